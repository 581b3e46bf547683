"""Uniform numbers (``rand``, ``uniform_``) from the generator's words.

PyTorch's ``uniform_real``: keep as many low bits of a word as the type's
mantissa holds (24 of one 32-bit word for float32, 53 of a 64-bit word
for float64), scale them into [0, 1), then ``x * (to - from) + from``.
On AVX2/AVX512 builds the compiler turned that last line into one fused
multiply-add; the portable DEFAULT build rounds the product and the sum.
float16 draws as float32 and is rounded at the end.

    >>> g = Generator().manual_seed(0); uniform(g, 2, np.float32, 0.0, 1.0)
    array([0.49625659, 0.7682218 ], dtype=float32)
"""

import numpy as np

from . import capability
from .exact import fma32, fma64

_MANTISSA_BITS = {np.float64: 53, np.float32: 24, np.float16: 24}   # half draws in float


def unit(g, n, dtype):
    """``n`` numbers in [0, 1) of ``dtype``'s computing type (float64 or float32)."""
    if np.dtype(dtype) == np.float64:
        bits = g.words64(n) & np.uint64(2 ** 53 - 1)
        return bits.astype(np.float64) * 2.0 ** -53
    bits = g.words(n) & np.uint64(2 ** 24 - 1)
    return bits.astype(np.float32) * np.float32(2.0 ** -24)


def uniform(g, n, dtype, low, high):
    """``n`` numbers from [low, high) of ``dtype``, as PyTorch's ``uniform_`` draws them."""
    dtype = np.dtype(dtype)
    compute = np.float64 if dtype == np.float64 else np.float32
    x = unit(g, n, dtype)
    low_c, high_c = compute(low), compute(high)
    width = high_c - low_c
    if low_c == 0 and width == 1:
        value = x
    elif capability.vectorised():
        value = (fma64 if compute is np.float64 else fma32)(x, width, low_c)
    else:
        value = x * width + low_c
    value = value.astype(dtype, copy=False)
    # The cast to a narrower type can round up onto `high`; PyTorch puts such
    # values at `low` (its range is half-open).
    top, bottom = dtype.type(high), dtype.type(low)
    return np.where(value == top, bottom, value) if (value == top).any() else value
