# Corpus program: logistic regression on MNIST-like data with tensors only.
# Follows: pytorch/tutorials beginner_source/nn_tutorial.py, "What is torch.nn really?"
#          (commit 764a8d6aed986f155098d91ea55a1f0c95b26dd8),
#          the section "Neural net from scratch (without torch.nn)".
# Written for this corpus after that page's steps up to that section (same model, batch size,
# learning rate, epochs and printed lines); no text copied.
# Edits: MNIST, which the page downloads, is replaced by fixed arrays made with NumPy (3200
# training and 640 validation images of 784 pixels, mostly 0 as in MNIST, labelled by a fixed
# linear rule so that there is something to learn); no plotting.
import math

import numpy as np
import torch

rng = np.random.default_rng(0)
pixels = rng.random((3840, 784), dtype=np.float32) * (rng.random((3840, 784)) < 0.2)
labels = (pixels @ rng.standard_normal((784, 10))).argmax(1)
x_train, y_train = pixels[:3200], labels[:3200]
x_valid, y_valid = pixels[3200:], labels[3200:]

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
n, c = x_train.shape
print(x_train, y_train)
print(x_train.shape)
print(y_train.min(), y_train.max())

# Xavier-style start: weights scaled by 1/sqrt(fan in); requires_grad set after the scaling
weights = torch.randn(784, 10) / math.sqrt(784)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


bs = 64

xb = x_train[0:bs]
preds = model(xb)
preds[0], preds.shape
print(preds[0], preds.shape)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll

yb = y_train[0:bs]
print(loss_func(preds, yb))


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


print(accuracy(preds, yb))

lr = 0.5
epochs = 2

for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()

print(loss_func(model(xb), yb), accuracy(model(xb), yb))
