# Corpus program: training and validation through fit() and get_data().
# Follows: pytorch/tutorials beginner_source/nn_tutorial.py, "What is torch.nn really?"
#          (commit 764a8d6aed986f155098d91ea55a1f0c95b26dd8),
#          the section "Create fit() and get_data()".
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
from torch.utils.data import DataLoader
from torch.utils.data import TensorDataset

rng = np.random.default_rng(0)
pixels = rng.random((3840, 784), dtype=np.float32) * (rng.random((3840, 784)) < 0.2)
labels = (pixels @ rng.standard_normal((784, 10))).argmax(1)
x_train, y_train = pixels[:3200], labels[:3200]
x_valid, y_valid = pixels[3200:], labels[3200:]

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
loss_func = F.cross_entropy
bs = 64
lr = 0.5
epochs = 2

train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


def get_model():
    model = Mnist_Logistic()
    return model, optim.SGD(model.parameters(), lr=lr)


def loss_batch(model, loss_func, xb, yb, opt=None):
    """The loss of one batch, and its size; a training step too when given an optimiser."""
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(
                *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
            )
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

        print(epoch, val_loss)


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
model, opt = get_model()
fit(epochs, model, loss_func, opt, train_dl, valid_dl)
