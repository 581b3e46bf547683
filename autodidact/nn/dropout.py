"""Dropout: zero random elements while training, so that no unit can rely on another."""

from . import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` in training (scaling the rest by 1/(1-p)).

    In ``eval()`` mode it returns its input unchanged: remember
    ``model.eval()`` before measuring a model that has dropout.

        >>> drop = nn.Dropout(0.5); drop.eval(); drop(x) is x
        True
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
