# Corpus program: a network that reuses its middle layer 0 to 3 times, drawn at random on
# every forward pass.
# Follows: pytorch/tutorials beginner_source/examples_nn/dynamic_net.py, the earlier edition
#          of "Learning PyTorch with Examples" (the two-layer version of the page; the file's
#          current commit is e13beed18d7cc24f9ed01746a6d03325ce622800).
# Written for this corpus after that program's steps (same sizes, optimiser settings and printed
# lines); no text copied. Edits: 500 steps -> 100, printing every 10th; the harness seeds
# Python's `random` module the same way for both frameworks.
import random

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super(DynamicNet, self).__init__()
        self.input_linear = torch.nn.Linear(D_in, H)
        self.middle_linear = torch.nn.Linear(H, H)
        self.output_linear = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.input_linear(x).clamp(min=0)
        for _ in range(random.randint(0, 3)):
            h_relu = self.middle_linear(h_relu).clamp(min=0)
        y_pred = self.output_linear(h_relu)
        return y_pred


N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

model = DynamicNet(D_in, H, D_out)

criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
for t in range(100):
    y_pred = model(x)

    loss = criterion(y_pred, y)
    if t % 10 == 9:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
