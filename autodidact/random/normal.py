"""Normal numbers (``randn``, ``normal_``): PyTorch's two Box-Muller paths.

* A contiguous tensor of 16 or more elements is first filled with
  uniforms, then transformed 16 at a time: with ``u1 = 1 - data[j]`` and
  ``u2 = data[j + 8]`` (j < 8), ``data[j] = r cos(2 pi u2)`` and
  ``data[j + 8] = r sin(2 pi u2)``, ``r = sqrt(-2 log u1)``. When the size
  is not a multiple of 16, 16 fresh uniforms replace the last 16 values
  and are transformed again. float32 on AVX2/AVX512 uses the Cephes
  polynomials of ``cephes.py``; otherwise the C library's functions.
* Smaller or non-contiguous tensors draw one ``normal_distribution<double>``
  per element: two 53-bit uniforms make a pair (cos, sin); the sine is
  kept in the generator for the next such draw, across calls.

Every block is independent, so NumPy transforms all blocks at once.
"""

import numpy as np

from . import capability, cephes, libm
from .exact import fma32, fma64
from .uniform import unit

_TWO_PI = 2.0 * np.pi


def _box_muller_blocks(data, mean, std):
    """Transform an (m, 16) array of uniforms in place of PyTorch's NormalFill16."""
    u1, u2 = 1 - data[:, :8], data[:, 8:]
    if data.dtype == np.float64:
        radius = np.sqrt(-2 * libm.double("log", u1))
        theta = _TWO_PI * u2
        cos, sin = libm.double("cos", theta), libm.double("sin", theta)
        fma = fma64
    elif capability.vectorised():
        radius = np.sqrt(np.float32(-2) * cephes.log256(u1))
        sin, cos = cephes.sincos256(np.float32(_TWO_PI) * u2)
        fma = fma32
    else:
        radius = np.sqrt(np.float32(-2) * libm.single("log", u1))
        theta = (_TWO_PI * u2.astype(np.float64)).astype(np.float32)
        cos, sin = libm.single("cos", theta), libm.single("sin", theta)
        fma = fma32
    first, second = radius * cos, radius * sin
    if not (mean == 0 and std == 1):            # fma(x, 1, 0) is x: skip the work
        first, second = fma(first, std, mean), fma(second, std, mean)
    return np.concatenate([first, second], axis=1)


def normal_fill(g, n, dtype, mean, std):
    """``n >= 16`` normal numbers for a contiguous tensor (the vectorised path)."""
    dtype = np.dtype(dtype)
    compute = np.float64 if dtype == np.float64 else np.float32
    full = n // 16 * 16
    # float32/float64 fill the whole tensor with uniforms first; float16 works
    # through a 16-number buffer, so it draws only the full blocks' uniforms.
    data = unit(g, n if dtype == compute else full, compute)
    out = np.empty(n, dtype=compute)
    out[:full] = _box_muller_blocks(data[:full].reshape(-1, 16), compute(mean),
                                    compute(std)).ravel()
    if n % 16:
        tail = unit(g, 16, compute).reshape(1, 16)
        out[n - 16:] = _box_muller_blocks(tail, compute(mean), compute(std)).ravel()
    return out.astype(dtype, copy=False)


def normal_scalar(g, n, mean, std):
    """``n`` draws of ``normal_distribution<double>`` (small or strided tensors), float64."""
    values = []
    if n and g._next_normal is not None:
        values.append(np.array([g._next_normal]))
        g._next_normal = None
        n -= 1
    if n:
        pairs = (n + 1) // 2
        u = unit(g, 2 * pairs, np.float64)
        u1, u2 = u[0::2], u[1::2]
        r = np.sqrt(-2.0 * libm.double("log1p", -u2))
        theta = _TWO_PI * u1
        both = np.empty(2 * pairs)
        both[0::2] = r * libm.double("cos", theta)
        both[1::2] = r * libm.double("sin", theta)
        if n % 2:
            g._next_normal = float(both[-1])
        values.append(both[:n])
    result = np.concatenate(values) if values else np.empty(0)
    if mean == 0 and std == 1:
        return result
    if capability.vectorised():
        return fma64(result, float(std), float(mean))
    return result * float(std) + float(mean)
