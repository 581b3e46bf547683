"""Exact floating-point steps that NumPy lacks: fused multiply-add, float32 maths.

A CPU with FMA computes ``a * b + c`` with one rounding; NumPy rounds the
product and then the sum. PyTorch's vectorised kernels were compiled with
FMA, so to draw its numbers we compute the exact result and round it once.

The trick is *rounding to odd* (Boldo and Melquiond, 2008): add in a wider
format, and if the sum was inexact force its last bit to 1. Rounding that
value to the narrower format is then the correctly rounded exact sum; no
double-rounding error is possible, since float64 keeps more than
24 + 2 bits (for float32) and the error terms of a float64 product and sum
are exact (for float64).
"""

import numpy as np


def _round_to_odd_sum(x, y):
    """x + y in float64, rounded to odd: exact if representable, else the odd neighbour."""
    s = x + y
    # Two-sum: the rounding error of s, exactly.
    z = s - x
    err = (x - (s - z)) + (y - z)
    inexact = err != 0
    if inexact.any():
        even = (s.view(np.int64) & 1) == 0
        fix = inexact & even
        s = np.where(fix, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)
    return s


_LOW29 = np.uint64(2 ** 29 - 1)     # the float64 mantissa bits that float32 drops
_HALF29 = np.uint64(2 ** 28)


def fma32(a, b, c):
    """float32 ``a * b + c`` rounded once, as the FMA instruction does.

    The product of two float32 numbers is exact in float64, so only the sum
    rounds twice (to float64, then to float32). That second rounding can
    only go wrong when the float64 sum lands exactly halfway between two
    float32 numbers, which is rare: those few (and tiny values, where
    float32 keeps fewer bits) are redone with rounding to odd.
    """
    s = np.multiply(a, b, dtype=np.float64)
    s += c
    risky = np.bitwise_and(s.view(np.uint64), _LOW29) == _HALF29
    risky |= np.abs(s) < 2.0 ** -125
    if risky.any():
        p = np.broadcast_to(np.multiply(a, b, dtype=np.float64), s.shape)[risky]
        s[risky] = _round_to_odd_sum(p, np.broadcast_to(np.float64(c) if np.isscalar(c) else
                                                        c.astype(np.float64), s.shape)[risky])
    return s.astype(np.float32)


_SPLIT = 134217729.0   # 2**27 + 1: Veltkamp's constant for float64


def _two_product(a, b):
    """(p, e) with p = fl(a*b) and p + e = a*b exactly (Dekker)."""
    p = a * b
    t = _SPLIT * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = _SPLIT * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def _two_sum(x, y):
    s = x + y
    z = s - x
    return s, (x - (s - z)) + (y - z)


def fma64(a, b, c):
    """float64 ``a * b + c`` rounded once (emulated; exact for finite, normal values)."""
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    with np.errstate(over="ignore", invalid="ignore"):
        p, e = _two_product(a, b)
        high, low = _two_sum(c, p)
        result = high + _round_to_odd_sum(low, e)
    plain = a * b + c
    # Where the splitting overflows or the inputs are not finite, the product
    # rounding cannot matter more than the infinities and NaNs already do.
    return np.where(np.isfinite(result), result, plain)
