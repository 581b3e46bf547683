# Corpus program: the two-layer network as a custom nn.Module trained by SGD.
# Follows: pytorch/tutorials beginner_source/examples_nn/two_layer_net_module.py
#          (commit 8b59e4ba1635d41aa3674f2c45e5d52487d5468e), "Learning PyTorch with Examples"
#          (the earlier edition of the page).
# Written for this corpus after that program's steps (same sizes, loss, optimiser and printed
# lines); no text copied. Edits: 500 steps -> 100, printing every 10th (see
# two_layer_net_tensor.py).
import torch


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred


N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = TwoLayerNet(D_in, H, D_out)

criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
for t in range(100):
    y_pred = model(x)

    loss = criterion(y_pred, y)
    if t % 10 == 9:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
