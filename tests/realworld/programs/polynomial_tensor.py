# Corpus program: fit y = sin(x) with a cubic, gradients written by hand on tensors.
# Follows: pytorch/tutorials beginner_source/examples_tensor/polynomial_tensor.py
#          (commit 4fe88118795089fb1d5d4b1e91834ea6e31f67e4), "Learning PyTorch with Examples".
# Written for this corpus after that program's steps (same data, model, learning rate, steps
# and printed lines); no text copied.
# Edits: 2000 steps -> 500, printing every 50th (keeps the suite quick).
import math

import torch

dtype = torch.float
device = torch.device("cpu")

# 2000 points of sin(x) on [-pi, pi]
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# four random coefficients
a = torch.randn((), device=device, dtype=dtype)
b = torch.randn((), device=device, dtype=dtype)
c = torch.randn((), device=device, dtype=dtype)
d = torch.randn((), device=device, dtype=dtype)

learning_rate = 1e-6
for t in range(500):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum().item()
    if t % 50 == 49:
        print(t, loss)

    # d(loss)/d(coefficient), by the chain rule
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()

    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
