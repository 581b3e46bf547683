# Corpus program: the two-layer network as nn.Sequential, parameters updated by hand.
# Follows: pytorch/tutorials beginner_source/examples_nn/two_layer_net_nn.py
#          (commit 12645e91811595c58a0de1308639aef9870a2be5), "Learning PyTorch with Examples"
#          (the earlier edition of the page).
# Written for this corpus after that program's steps (same sizes, loss, learning rate and printed
# lines); no text copied. Edits: 500 steps -> 100, printing every 10th (see
# two_layer_net_tensor.py).
import torch

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
)

loss_fn = torch.nn.MSELoss(reduction='sum')

learning_rate = 1e-4
for t in range(100):
    y_pred = model(x)

    loss = loss_fn(y_pred, y)
    if t % 10 == 9:
        print(t, loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
