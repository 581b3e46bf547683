"""Losses as Modules: MSELoss and CrossEntropyLoss.

    >>> criterion = nn.CrossEntropyLoss()
    >>> loss = criterion(logits, labels)     # logits (N, C), labels int64 (N,)
"""

from . import functional as F
from .module import Module

__all__ = ["MSELoss", "CrossEntropyLoss"]


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = F._legacy_reduction(size_average, reduce, reduction)


class MSELoss(_Loss):
    """Mean squared error: mean((input - target)**2); ``reduction`` 'mean', 'sum' or 'none'."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy of raw scores (logits) against int64 class indices.

    Do not put a Softmax before it: it applies log-softmax itself, stably.
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)
