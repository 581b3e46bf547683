"""Lesson 3: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def add_into(x, y, out):
    """Returns a new tensor; `out` is never written."""
    return x + y


def reverse_rows(x):
    """Flips the wrong dimension: reverses each row's columns."""
    return x.flip(1)


def center_columns(x):
    """Subtracts each row's mean (dim=1) instead of each column's."""
    return x - x.mean(dim=1, keepdim=True)


def scale_in_place(x, factor):
    """Not in place: x * factor is a new tensor and x keeps its numbers."""
    return x * factor


def as_one_row(x):
    """view() only: fails on a transposed (non-contiguous) tensor."""
    return x.view(1, -1)


def as_one_row__copy(x):
    """Always copies (clone), so the result never shares x's memory."""
    return x.clone().reshape(1, -1)
