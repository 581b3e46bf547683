"""Lesson 4: reference answers."""

import numpy as np

import autodidact as torch


def to_numpy(t):
    return t.detach().numpy()


def shared_from_numpy(a):
    return torch.from_numpy(a)


def from_any_numpy(a):
    if any(stride < 0 for stride in a.strides):
        a = a.copy()
    return torch.from_numpy(a)


def double_via_numpy(t):
    array = t.numpy()
    array *= 2
    return t
