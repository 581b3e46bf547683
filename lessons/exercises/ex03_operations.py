"""Lesson 3 exercises: out=, in place, indexing, broadcasting, views.

Work in your copy (`autodidact exercises start 3`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 3`.
"""

import autodidact as torch


def add_into(x, y, out):
    """Put x + y into the existing tensor `out` (no new tensor) and return `out`.

    Example: r = torch.empty(5, 3); add_into(x, y, r) is r, and r now holds x + y.

    Hint: torch.add takes an out= argument.
    """
    raise NotImplementedError


def reverse_rows(x):
    """The rows of the 2-D tensor x in reverse order (last row first).

    x[::-1] would do it in NumPy, but tensors refuse negative steps.

    Hint: flip(dim) reverses along one dimension; rows are dimension 0.
    """
    raise NotImplementedError


def center_columns(x):
    """x with each column's mean subtracted, so that every column averages 0.

    x has shape (n, m); return a new tensor of shape (n, m) and leave x as it was.

    Hint: x.mean(dim=0) has shape (m,); broadcasting subtracts it from every row.
    """
    raise NotImplementedError


def scale_in_place(x, factor):
    """Multiply every number of x by `factor`, in x itself, and return x.

    Views of x (such as x[:, 0]) must see the change too.

    Hint: in-place methods end in an underscore.
    """
    raise NotImplementedError


def as_one_row(x):
    """x's numbers in one row, shape (1, x.numel()), in row-major order.

    Share x's memory when x's layout allows it (then changing the result
    changes x), and still work when it does not, as for a transpose x.t().

    Hint: view(1, -1) shares memory but fails on a transpose; one method
    does what view does when it can, and copies when it must.
    """
    raise NotImplementedError
