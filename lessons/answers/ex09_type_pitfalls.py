"""Lesson 9: reference answers."""

import autodidact as torch


def mean_of_ints(t):
    return t.float().mean()


def safe_add(t, value):
    return t.to(torch.int64) + value


def safe_matmul(a, b):
    dtype = torch.promote_types(a.dtype, b.dtype)
    return a.to(dtype) @ b.to(dtype)


def scale_int_(t, factor):
    return t.copy_((t * factor).round())


def class_labels(y):
    return y.long()
