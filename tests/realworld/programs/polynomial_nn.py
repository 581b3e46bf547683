# Corpus program: the cubic fit of sin(x) with nn.Sequential(Linear, Flatten) and MSELoss,
# parameters updated by hand.
# Follows: pytorch/tutorials beginner_source/examples_nn/polynomial_nn.py
#          (commit 90fb0068a1941e996b100fd9b4e05dbaa497076e), "Learning PyTorch with Examples".
# Written for this corpus after that program's steps (same data, model, learning rate and
# printed lines); no text copied.
# Edits: 2000 steps -> 500, printing every 50th (keeps the suite quick).
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# the features x, x^2, x^3 as a (2000, 3) tensor, by broadcasting
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

# Linear(3, 1) then Flatten(0, 1): one output per point, as a 1-D tensor like y
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)

loss_fn = torch.nn.MSELoss(reduction='sum')

learning_rate = 1e-6
for t in range(500):
    y_pred = model(xx)

    loss = loss_fn(y_pred, y)
    if t % 50 == 49:
        print(t, loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]

print(f'Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + {linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3')
