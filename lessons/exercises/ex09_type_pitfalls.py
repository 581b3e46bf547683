"""Lesson 9 exercises: promotion, integer arithmetic, casts.

Work in your copy (`autodidact exercises start 9`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 9`.
"""

import autodidact as torch


def mean_of_ints(t):
    """The mean of an integer tensor, as a float32 0-d tensor.

    Example: mean_of_ints(torch.tensor([1, 2])) is tensor(1.5000). (t.mean() refuses integers.)

    Hint: // is floor division, even for tensors: cast to float first.
    """
    raise NotImplementedError


def safe_add(t, value):
    """t + value for an integer tensor t and a Python int, without wrapping around.

    Example: safe_add(torch.tensor([100, 120], dtype=torch.int8), 1000) is
    tensor([1100, 1120]) (int64); a plain + would stay int8 and wrap to [76, 96].

    Hint: a Python number never widens a tensor: widen t yourself (to int64).
    """
    raise NotImplementedError


def safe_matmul(a, b):
    """a @ b for two float matrices of possibly different dtypes, in the wider of the two.

    Example: a float32 and a float64 matrix give a float64 product, whichever comes first.

    Hint: matmul refuses mixed dtypes; torch.promote_types(a.dtype, b.dtype)
    names the wider one. Casting to the first one's dtype loses precision.
    """
    raise NotImplementedError


def scale_int_(t, factor):
    """Multiply the integer tensor t by a float factor IN PLACE, rounding to the nearest integer.

    Return t (still of its integer dtype). Example: tensor([1, 2, 3]) scaled by
    0.4 becomes tensor([0, 1, 1]): 0.4, 0.8, 1.2 rounded.

    Hint: t.mul_(0.4) refuses (the result is float); compute in floats, round
    with .round(), then write back with t.copy_(...). Without round(), the cast
    back to integers cuts the fraction off.
    """
    raise NotImplementedError


def class_labels(y):
    """Class numbers stored as floats (say, read from a CSV) in the dtype CrossEntropyLoss wants.

    Example: class_labels(torch.tensor([0., 2., 1.])) is tensor([0, 2, 1]) (int64).

    Hint: there are several integer dtypes; the loss accepts int64 (and
    uint8), and .int() is int32.
    """
    raise NotImplementedError
