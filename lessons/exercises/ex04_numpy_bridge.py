"""Lesson 4 exercises: the NumPy bridge, both ways.

Work in your copy (`autodidact exercises start 4`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 4`.
"""

import numpy as np

import autodidact as torch


def to_numpy(t):
    """A NumPy array sharing t's memory, for any CPU tensor, even one that requires grad.

    Example: to_numpy(torch.ones(3, requires_grad=True)) is array([1., 1., 1.], dtype=float32).

    Hint: t.numpy() refuses a tensor that requires grad; its error message says what to do.
    """
    raise NotImplementedError


def shared_from_numpy(a):
    """A tensor that shares the memory of the NumPy array `a` (changing `a` changes it).

    Hint: one of torch.tensor(a) and torch.from_numpy(a) copies.
    """
    raise NotImplementedError


def from_any_numpy(a):
    """A tensor with the values and dtype of any 1-D NumPy array, even a reversed one (a[::-1]).

    For an ordinary array, share its memory as from_numpy does.

    Hint: from_numpy refuses negative strides; a.strides tells you if there
    are any, and a.copy() makes an ordinary array.
    """
    raise NotImplementedError


def double_via_numpy(t):
    """Double every number of the CPU tensor t, using NumPy on t's own memory; return t.

    No new tensor: afterwards `t` itself holds the doubled numbers.

    Hint: t.numpy() shares t's memory; NumPy's in-place operators (`*=`)
    change an array without making a new one.
    """
    raise NotImplementedError
