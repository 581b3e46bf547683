# Corpus program: the two-layer network trained by torch.optim.Adam.
# Follows: pytorch/tutorials beginner_source/examples_nn/two_layer_net_optim.py
#          (commit 90c7ea99392b3e70032f55dc8ae549dbec59d227), "Learning PyTorch with Examples"
#          (the earlier edition of the page).
# Written for this corpus after that program's steps (same sizes, loss, optimiser and printed
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
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
for t in range(100):
    y_pred = model(x)

    loss = loss_fn(y_pred, y)
    if t % 10 == 9:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
