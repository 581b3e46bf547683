# The seed's linear model again, with the update left to an optimizer:
# optim.SGD does `w = w - lr * w.grad` for every parameter it was given,
# and optimizer.zero_grad() replaces `w.grad.data.zero_()`. Same numbers
# as seed_linear_model.py (plain SGD is exactly the hand-written update).
#
#     python examples/seed_linear_model_sgd.py
import autodidact as torch
from autodidact import nn, optim

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = nn.Parameter(torch.Tensor([1.0]))   # a Parameter requires grad by default
optimizer = optim.SGD([w], lr=0.01)


def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


print("predict (before training)", 4, forward(4).item())

for epoch in range(10):
    for x_val, y_val in zip(x_data, y_data):
        optimizer.zero_grad()   # w.grad = None: gradients would add up otherwise
        l = loss(x_val, y_val)
        l.backward()
        print("\tgrad: ", x_val, y_val, round(w.grad.item(), 4))
        optimizer.step()        # w = w - 0.01 * w.grad
    print("progress:", epoch, round(l.item(), 4))

print("predict (after training)", 4, round(forward(4).item(), 4))
print("w =", round(w.item(), 6))
