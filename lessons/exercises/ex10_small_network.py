"""Lesson 10 exercises: a module, a metric, a loss by hand, a training loop.

Work in your copy (`autodidact exercises start 10`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 10`.
"""

import autodidact as torch
from autodidact import nn, optim


class MLP(nn.Module):
    """A two-layer network: Linear(n_in, n_hidden), a non-linearity, Linear(n_hidden, n_out).

    model = MLP(2, 16, 2); model(x) maps a (batch, 2) tensor to (batch, 2) logits.

    Hint: call super().__init__() first, then assign the layers as attributes
    (self.layer1 = nn.Linear(...)) so that parameters() finds them. Without
    the non-linearity (torch.tanh or torch.relu) between them, two Linear
    layers are no better than one: a straight line.
    """

    def __init__(self, n_in, n_hidden, n_out):
        raise NotImplementedError

    def forward(self, x):
        raise NotImplementedError


def accuracy(logits, labels):
    """The fraction (a float from 0 to 1) of rows whose largest logit is at the right class.

    logits has shape (batch, classes), labels shape (batch,) of class numbers.

    Hint: argmax over the classes: which dim is that? Then compare, .float(), .mean(), .item().
    """
    raise NotImplementedError


def cross_entropy(logits, labels):
    """nn.CrossEntropyLoss by hand: the mean over the batch of -log(softmax(logits)[label]).

    Return a 0-d tensor that backward() can go through.

    Hint: torch.log_softmax(logits, dim=...) gives log-probabilities per row;
    pick each row's entry at its label with logp[torch.arange(batch), labels].
    """
    raise NotImplementedError


def train(model, X, y, steps=150, lr=0.05):
    """Train `model` on (X, y) with nn.CrossEntropyLoss and optim.Adam(lr=lr), full batch.

    Run `steps` steps; return the list of the losses (floats), one per step.

    Hint: the four lines from the lesson, in their order.
    """
    raise NotImplementedError
