"""Lesson 2: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def make_uniform(rows, cols, low, high):
    """Scaled but not shifted: rand * (high - low) lands in [0, high - low)."""
    return torch.rand(rows, cols) * (high - low)


def shape_and_count(t):
    """len(t) counts rows only (and fails on a 0-d tensor)."""
    return tuple(t.size()), len(t)


def smallest_int_dtype(values):
    """Off by one at the top: 128 is taken to fit in int8."""
    for dtype, bits in ((torch.int8, 8), (torch.int16, 16), (torch.int32, 32)):
        if all(abs(v) <= 2 ** (bits - 1) for v in values):
            return dtype
    return torch.int64


def smallest_int_dtype__symmetric(values):
    """Off by one at the bottom: -128 is taken not to fit in int8."""
    for dtype, bits in ((torch.int8, 8), (torch.int16, 16), (torch.int32, 32)):
        if all(abs(v) < 2 ** (bits - 1) for v in values):
            return dtype
    return torch.int64


def memory_bytes(t):
    """Every number taken to be 4 bytes (true of float32 only)."""
    return t.numel() * 4
