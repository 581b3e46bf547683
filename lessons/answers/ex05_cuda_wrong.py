"""Lesson 5: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def pick_device():
    """`is_available` without brackets: a function is always true, so always "cuda"."""
    return torch.device("cuda" if torch.cuda.is_available else "cpu")


def move_batch(batch, device):
    """Calls .to() on every value, strings included."""
    return {key: value.to(device) for key, value in batch.items()}


def to_numpy_anywhere(t):
    """Forgets detach(): numpy() refuses a tensor that requires grad."""
    return t.cpu().numpy()
