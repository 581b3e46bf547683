"""Lesson 9: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def mean_of_ints(t):
    """Floor division of the sum: an integer, the fraction lost."""
    return t.sum() // t.numel()


def safe_add(t, value):
    """Plain +: the int8 tensor stays int8 and wraps around."""
    return t + value


def safe_matmul(a, b):
    """Casts b to a's dtype: float32 @ float64 comes out float32."""
    return a @ b.to(a.dtype)


def scale_int_(t, factor):
    """No round(): the cast back to integers truncates 0.8 to 0."""
    return t.copy_(t * factor)


def class_labels(y):
    """.int() is int32; the loss wants int64."""
    return y.int()
