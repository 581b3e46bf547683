"""float32 log, sin and cos as PyTorch's AVX2 ``randn`` computes them.

PyTorch's vectorised Box-Muller step (``normal_fill_16_AVX2``) calls
``log256_ps`` and ``sincos256_ps`` from ``avx_mathfun.h``: Julien
Pommier's and Giovanni Garberoglio's AVX ports of the Cephes library's
float32 polynomials (zlib licence). They are re-expressed here on NumPy
arrays, operation for operation in float32, with one subtlety: the
compiler fused most multiply-then-add pairs into single FMA instructions
(one rounding instead of two), so those steps use ``fma32``. Which pairs
were fused is what torch's output shows; the comments mark them.
"""

import numpy as np

from .exact import fma32

f32 = np.float32
_SQRTHF = f32(0.707106781186547524)
_LOG_P = [f32(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                           -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                           2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1 = f32(-2.12194440e-4)
_LOG_Q2 = f32(0.693359375)


def log256(x):
    """Natural log of a positive float32 array (Cephes ``logf``, as compiled for AVX2)."""
    x = np.maximum(x.astype(f32), np.array(0x00800000, np.int32).view(f32))  # no denormals
    bits = x.view(np.int32)
    exponent = (bits >> 23) - 0x7F
    x = ((bits & ~0x7F800000) | np.array(0.5, f32).view(np.int32)).view(f32)  # mantissa in [0.5, 1)
    e = exponent.astype(f32) + f32(1)
    small = x < _SQRTHF                    # then use 2x - 1 and one less in the exponent
    tmp = np.where(small, x, f32(0))
    x = x - f32(1)
    e = e - np.where(small, f32(1), f32(0))
    x = x + tmp
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = fma32(y, x, p)                 # fused: y * x + p
    y = y * x
    y = fma32(y, z, e * _LOG_Q1)           # fused: y * z + (e * q1 rounded first)
    y = y - z * f32(0.5)
    return fma32(e, _LOG_Q2, x + y)        # fused: e * q2 + (x + y)


_DP1, _DP2, _DP3 = f32(-0.78515625), f32(-2.4187564849853515625e-4), f32(-3.77489497744594108e-8)
_SIN_P = (f32(-1.9515295891E-4), f32(8.3321608736E-3), f32(-1.6666654611E-1))
_COS_P = (f32(2.443315711809948E-005), f32(-1.388731625493765E-003), f32(4.166664568298827E-002))
_FOPI = f32(1.27323954473516)   # 4 / pi


def sincos256(x):
    """(sin x, cos x) of a float32 array (Cephes ``sincosf``, as compiled for AVX2)."""
    x = x.astype(f32)
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _FOPI).astype(np.int32)      # truncation toward zero, as cvttps
    j = (j + 1) & ~1                       # j = (j + 1) & ~1: an even octant
    y = j.astype(f32)
    swap_sin = (j & 4) != 0
    use_sin_poly = (j & 2) == 0            # the polynomial for the sine near 0
    # Extended precision modular arithmetic: x - y * pi/4 in three fused steps.
    x = fma32(y, _DP1, x)
    x = fma32(y, _DP2, x)
    x = fma32(y, _DP3, x)
    flip_cos = ((j - 2) & 4) == 0
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    cos_poly = fma32(np.full_like(z, _COS_P[0]), z, _COS_P[1])
    cos_poly = fma32(cos_poly, z, _COS_P[2])
    cos_poly = cos_poly * z
    cos_poly = fma32(cos_poly, z, -(z * f32(0.5)))   # fused: y * z - z/2
    cos_poly = cos_poly + f32(1)
    sin_poly = fma32(np.full_like(z, _SIN_P[0]), z, _SIN_P[1])
    sin_poly = fma32(sin_poly, z, _SIN_P[2])
    sin_poly = sin_poly * z
    sin_poly = fma32(sin_poly, x, x)                 # fused: y2 * x + x
    sin = np.where(use_sin_poly, sin_poly, cos_poly)
    cos = np.where(use_sin_poly, cos_poly, sin_poly)
    sin = np.where(sign_sin, -sin, sin)
    cos = np.where(flip_cos, -cos, cos)
    return sin, cos
