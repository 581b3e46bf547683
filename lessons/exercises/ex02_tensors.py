"""Lesson 2 exercises: creating tensors, their size, their dtype.

Work in your copy (`autodidact exercises start 2`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 2`.
"""

import autodidact as torch


def make_uniform(rows, cols, low, high):
    """A float32 tensor of shape (rows, cols), each number drawn evenly from [low, high).

    Example: make_uniform(5, 3, -1, 1) is the seed's x after x.uniform_(-1, 1).

    Hint: make the memory with torch.empty (or torch.Tensor) and fill it in
    place with a method whose name ends in an underscore.
    """
    raise NotImplementedError


def shape_and_count(t):
    """Return (shape as a plain tuple of ints, number of elements) of tensor t.

    Example: for torch.zeros(5, 3) return ((5, 3), 15); for a 0-d tensor, ((), 1).

    Hint: t.size() is a tuple already; len(t) is only the first dimension.
    """
    raise NotImplementedError


def smallest_int_dtype(values):
    """The smallest of torch.int8, int16, int32, int64 that holds every int in `values`.

    Example: [0, 100] -> torch.int8; [0, 200] -> torch.int16; [-129] -> torch.int16.

    Hint: a signed integer of b bits holds -2**(b-1) up to 2**(b-1) - 1:
    int8 holds -128..127. Mind both ends.
    """
    raise NotImplementedError


def memory_bytes(t):
    """How many bytes the numbers of tensor t take in memory.

    Example: torch.zeros(1000) (float32) takes 4000 bytes;
    torch.zeros(1000, dtype=torch.float64) takes 8000.

    Hint: t.element_size() is the size of one number, in bytes.
    """
    raise NotImplementedError
