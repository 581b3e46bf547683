"""Lesson 10: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch
from autodidact import nn, optim


class MLP(nn.Module):
    """No non-linearity between the layers: the model stays linear."""

    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.layer1 = nn.Linear(n_in, n_hidden)
        self.layer2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.layer2(self.layer1(x))


def accuracy(logits, labels):
    """argmax over the batch (dim=0) instead of over the classes."""
    return (logits.argmax(dim=0) == labels).float().mean().item()


def cross_entropy(logits, labels):
    """log_softmax over the batch (dim=0) instead of over the classes."""
    logp = torch.log_softmax(logits, dim=0)
    return -logp[torch.arange(len(labels)), labels].mean()


def train(model, X, y, steps=150, lr=0.05):
    """Forgets optimizer.zero_grad(): gradients pile up and training diverges."""
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
