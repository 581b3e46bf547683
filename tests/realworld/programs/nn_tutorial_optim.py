# Corpus program: training steps by torch.optim.SGD.
# Follows: pytorch/tutorials beginner_source/nn_tutorial.py, "What is torch.nn really?"
#          (commit 764a8d6aed986f155098d91ea55a1f0c95b26dd8),
#          the section "Refactor using torch.optim".
# Written for this corpus after that page's steps up to that section (same model, batch size,
# learning rate, epochs and printed lines); no text copied.
# Edits: MNIST, which the page downloads, is replaced by fixed arrays made with NumPy (3200
# training and 640 validation images of 784 pixels, mostly 0 as in MNIST, labelled by a fixed
# linear rule so that there is something to learn); no plotting.
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch import optim

rng = np.random.default_rng(0)
pixels = rng.random((3840, 784), dtype=np.float32) * (rng.random((3840, 784)) < 0.2)
labels = (pixels @ rng.standard_normal((784, 10))).argmax(1)
x_train, y_train = pixels[:3200], labels[:3200]
x_valid, y_valid = pixels[3200:], labels[3200:]

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
n, c = x_train.shape
loss_func = F.cross_entropy
bs = 64
lr = 0.5
epochs = 2


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


def get_model():
    model = Mnist_Logistic()
    return model, optim.SGD(model.parameters(), lr=lr)


model, opt = get_model()
xb = x_train[0:bs]
yb = y_train[0:bs]
print(loss_func(model(xb), yb))

for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

print(loss_func(model(xb), yb))
