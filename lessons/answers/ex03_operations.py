"""Lesson 3: reference answers."""

import autodidact as torch


def add_into(x, y, out):
    return torch.add(x, y, out=out)


def reverse_rows(x):
    return x.flip(0)


def center_columns(x):
    return x - x.mean(dim=0)


def scale_in_place(x, factor):
    return x.mul_(factor)


def as_one_row(x):
    return x.reshape(1, -1)
