# Corpus program: the cubic fit of sin(x) as a custom nn.Module trained with SGD.
# Follows: pytorch/tutorials beginner_source/examples_nn/polynomial_module.py
#          (commit c53e7d4efc0e39e455c531d21ec7db28ba220214), "Learning PyTorch with Examples".
# Written for this corpus after that program's steps (same data, model, learning rate, steps
# and printed lines); no text copied.
# Edits: 2000 steps -> 500, printing every 50th (keeps the suite quick).
import math

import torch


class Polynomial3(torch.nn.Module):
    def __init__(self):
        """Four scalar parameters, drawn at random."""
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3'


x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

model = Polynomial3()

criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(500):
    y_pred = model(x)

    loss = criterion(y_pred, y)
    if t % 50 == 49:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f'Result: {model.string()}')
