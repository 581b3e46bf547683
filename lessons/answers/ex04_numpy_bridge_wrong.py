"""Lesson 4: plausible wrong answers (each docstring names the mistake)."""

import numpy as np

import autodidact as torch


def to_numpy(t):
    """Plain t.numpy(): refused for a tensor that requires grad."""
    return t.numpy()


def to_numpy__copy(t):
    """Goes through a Python list: a copy, sharing nothing."""
    return np.array(t.detach().tolist(), dtype=np.float32)


def shared_from_numpy(a):
    """torch.tensor(a) copies: later changes to `a` are not seen."""
    return torch.tensor(a)


def from_any_numpy(a):
    """from_numpy alone: refused for a reversed array."""
    return torch.from_numpy(a)


def from_any_numpy__always_copy(a):
    """Copies every array, so an ordinary one no longer shares memory."""
    return torch.from_numpy(a.copy())


def double_via_numpy(t):
    """t.numpy() * 2 is a new array, and the tensor made from it a new tensor."""
    return torch.from_numpy(t.numpy() * 2)
