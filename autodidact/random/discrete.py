"""Bernoulli, geometric and multinomial draws.

* ``bernoulli_(p)`` with a number p: ``u < p`` with u a 53-bit uniform
  (two words per element). With a tensor of probabilities: float64 p the
  same, float32 p compares a 24-bit float uniform (one word).
* ``geometric_(p)``: ``ceil(log(u) / log1p(-p))`` in float64.
* ``multinomial``: with replacement, a binary search of one 53-bit
  uniform per sample in each row's normalised running sum; without
  replacement (or for a single sample) the "exponential race":
  ``argmax``/``topk`` of ``p / q`` with ``q ~ Exp(1)`` drawn in p's dtype.
"""

import numpy as np

from . import libm
from .continuous import exponential
from .uniform import unit


def bernoulli_scalar(g, n, p):
    """``n`` booleans, each true with probability ``p`` (a Python float)."""
    return unit(g, n, np.float64) < float(p)


def bernoulli_tensor(g, p):
    """One boolean per element of the probability array ``p`` (any shape)."""
    flat = p.ravel()
    if p.dtype == np.float64:
        return (unit(g, flat.size, np.float64) < flat).reshape(p.shape)
    return (unit(g, flat.size, np.float32) < flat.astype(np.float32)).reshape(p.shape)


def geometric(g, n, p):
    """The number of trials up to the first success, success probability ``p``."""
    u = unit(g, n, np.float64)
    with np.errstate(divide="ignore"):
        return np.ceil(libm.double("log", u) / libm.double("log1p", np.array(-float(p))))


def multinomial(g, probs, num_samples, replacement):
    """Category indices (int64, shape rows x num_samples) drawn from rows of ``probs``."""
    rows = probs.reshape(-1, probs.shape[-1])
    if not replacement or num_samples == 1:
        q = exponential(g, rows.size, 1.0).astype(probs.dtype).reshape(rows.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            race = rows / q
        if num_samples == 1:
            return np.argmax(race, axis=-1)[:, None]
        # topk: the largest first; a stable sort of the negated keys breaks ties
        # by index. (-0.0 and 0.0 compare equal, as in topk.)
        return np.argsort(-race, axis=-1, kind="stable")[:, :num_samples]
    compute = np.float64 if probs.dtype == np.float64 else np.float32
    cumulative = np.cumsum(rows.astype(compute), axis=-1, dtype=compute)   # in order, in dtype
    cumulative /= cumulative[:, -1:]
    cumulative[:, -1] = 1
    u = unit(g, rows.shape[0] * num_samples, np.float64).reshape(rows.shape[0], num_samples)
    return _first_at_least(cumulative, u)


def _first_at_least(cumulative, u):
    """Per row, the first index whose running sum is >= u (PyTorch's binary search).

    That is ``searchsorted(..., side='left')`` (exact: NumPy compares in
    float64); for many short rows one vectorised binary search over all rows
    beats a Python loop of searchsorted calls.
    """
    if cumulative.shape[0] <= 64:
        return np.stack([np.searchsorted(row, draws, side="left")
                         for row, draws in zip(cumulative, u)])
    left = np.zeros(u.shape, dtype=np.int64)
    right = np.full(u.shape, cumulative.shape[-1], dtype=np.int64)
    while True:
        open_ = right > left
        if not open_.any():
            return left
        mid = left + (right - left) // 2
        value = np.take_along_axis(cumulative, np.minimum(mid, cumulative.shape[-1] - 1), axis=-1)
        below = value < u
        left = np.where(open_ & below, mid + 1, left)
        right = np.where(open_ & ~below, mid, right)
