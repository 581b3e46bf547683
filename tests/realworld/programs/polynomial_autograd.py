# Corpus program: the cubic fit of sin(x) again, gradients from autograd.
# Follows: pytorch/tutorials beginner_source/examples_autograd/polynomial_autograd.py
#          (commit 92f11a171bb3f3f6bbd8dfb102c59d67c2385032), "Learning PyTorch with Examples".
# Written for this corpus after that program's steps (same data, model, learning rate, steps
# and printed lines); no text copied.
# Edits: 2000 steps -> 500, printing every 50th (keeps the suite quick).
import math

import torch

dtype = torch.float
device = "cpu"
torch.set_default_device(device)

x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)

# requires_grad=True: autograd records what is done to these
a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(500):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 50 == 49:
        print(t, loss.item())

    loss.backward()

    # the update itself must not be recorded
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
