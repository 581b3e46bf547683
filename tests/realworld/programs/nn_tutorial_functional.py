# Corpus program: the same model with torch.nn.functional's cross_entropy.
# Follows: pytorch/tutorials beginner_source/nn_tutorial.py, "What is torch.nn really?"
#          (commit 764a8d6aed986f155098d91ea55a1f0c95b26dd8),
#          the section "Using torch.nn.functional".
# Written for this corpus after that page's steps up to that section (same model, batch size,
# learning rate, epochs and printed lines); no text copied.
# Edits: MNIST, which the page downloads, is replaced by fixed arrays made with NumPy (3200
# training and 640 validation images of 784 pixels, mostly 0 as in MNIST, labelled by a fixed
# linear rule so that there is something to learn); no plotting.
import math

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(0)
pixels = rng.random((3840, 784), dtype=np.float32) * (rng.random((3840, 784)) < 0.2)
labels = (pixels @ rng.standard_normal((784, 10))).argmax(1)
x_train, y_train = pixels[:3200], labels[:3200]
x_valid, y_valid = pixels[3200:], labels[3200:]

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
n, c = x_train.shape

weights = torch.randn(784, 10) / math.sqrt(784)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)

# cross_entropy = log_softmax followed by the negative log likelihood, in one call
loss_func = F.cross_entropy


def model(xb):
    return xb @ weights + bias


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


bs = 64
xb = x_train[0:bs]
yb = y_train[0:bs]
print(loss_func(model(xb), yb), accuracy(model(xb), yb))

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
