"""Lesson 5 exercises: devices. They run with or without a GPU.

Work in your copy (`autodidact exercises start 5`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 5`.
"""

import autodidact as torch


def pick_device():
    """The device a program should use: "cuda" when a GPU is usable here, else "cpu".

    Return a torch.device (or the string "cuda" / "cpu").

    Hint: torch.cuda.is_available() answers the question. Mind the brackets.
    """
    raise NotImplementedError


def move_batch(batch, device):
    """A new dict like `batch` with every tensor moved to `device`; other values as they were.

    Example: {"x": tensor, "y": tensor, "name": "batch 3"} -> the tensors
    moved, "name" untouched. Leave `batch` itself unchanged.

    Hint: isinstance(value, torch.Tensor), and value.to(device).
    """
    raise NotImplementedError


def to_numpy_anywhere(t):
    """A NumPy array with t's numbers, wherever t lives (CPU or GPU) and even if it requires grad.

    Hint: NumPy knows only CPU memory, and numpy() refuses a tensor that
    requires grad. Two calls before .numpy() fix both.
    """
    raise NotImplementedError
