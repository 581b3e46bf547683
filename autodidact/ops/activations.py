"""The activations of ``nn`` beyond relu, tanh and sigmoid: one node each, as in PyTorch.

    op           forward                                  backward (g = dL/d(out))
    leaky_relu   x if x > 0 else slope * x                g if x > 0 else slope * g
    elu          x if x > 0 else alpha * (exp(x) - 1)     g if x > 0 else g * alpha * exp(x)
    gelu         x * Phi(x)   (Phi: the normal CDF)       g * (Phi(x) + x * phi(x))
    softplus     log(1 + exp(beta x)) / beta              g * sigmoid(beta x)
    hardtanh     clamp(x, min_val, max_val)               g inside (min_val, max_val), else 0
    silu         x * sigmoid(x)                           g * s * (1 + x (1 - s)),  s = sigmoid(x)

Each backward is written with Tensor operations, so it can itself be
differentiated (``create_graph=True``). Where PyTorch's kernels take a
branch (``x > 0``, ``beta * x > threshold``), the same branch is taken
here, so gradients at the boundary agree too.

    >>> leaky_relu(autodidact.tensor([-2.0, 3.0]), 0.1)
    tensor([-0.2000,  3.0000])
"""

import math

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor
from . import layout
from .arithmetic import where
from .masks import masked_grad
from .math import Erf, _erf_array

__all__ = ["leaky_relu", "elu", "gelu", "softplus", "hardtanh", "silu"]


class LeakyRelu(Function):
    def forward(ctx, a, negative_slope):
        ctx.save_for_backward(a)
        ctx.negative_slope = negative_slope
        with np.errstate(invalid="ignore"):   # inf * 0 for a slope of 0: NaN, unused
            return module_of(a).where(a > 0, a, a * a.dtype.type(negative_slope))

    derivative = "1 where x > 0, else negative_slope: x receives grad there, slope × grad elsewhere"

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * _positive(a, 1.0, ctx.negative_slope)


class Elu(Function):
    def forward(ctx, a, alpha):
        ctx.save_for_backward(a)
        ctx.alpha = alpha
        xp = module_of(a)
        return xp.where(a > 0, a, a.dtype.type(alpha) * xp.expm1(xp.minimum(a, 0)))

    derivative = "1 where x > 0, else alpha·exp(x): x receives grad there, grad × alpha·exp(x) elsewhere"

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        negative = (a.clamp(max=0).exp() * ctx.alpha)
        return grad * where(a <= 0, negative, 1.0)   # NaN takes the x > 0 branch, as in PyTorch


class Gelu(Function):
    """x * Phi(x), Phi the standard normal CDF; ``approximate='tanh'`` uses Hendrycks's formula."""

    def forward(ctx, a, approximate):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        x = a.astype(np.float64)
        if approximate == "tanh":
            cdf = 0.5 * (1 + module_of(a).tanh(_K * (x + _C * x ** 3)))
        else:
            cdf = 0.5 * (1 + _erf_array(x / math.sqrt(2)))
        return (x * cdf).astype(a.dtype)

    derivative = ("d(x·Phi(x))/dx = Phi(x) + x·phi(x) (phi the normal density; the tanh form "
                  "differentiates its tanh instead), so x receives grad times that")

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            inner = (a + a * a * a * _C) * _K
            t = inner.tanh()
            slope = (t + 1) * 0.5 + a * (1 - t * t) * (1 + a * a * (3 * _C)) * (0.5 * _K)
        else:
            cdf = (Erf.apply(a * (1 / math.sqrt(2))) + 1) * 0.5
            density = (a * a * -0.5).exp() * (1 / math.sqrt(2 * math.pi))
            slope = cdf + a * density
        return grad * slope


_K, _C = math.sqrt(2 / math.pi), 0.044715


class Softplus(Function):
    def forward(ctx, a, beta, threshold):
        ctx.save_for_backward(a)
        ctx.beta, ctx.threshold = beta, threshold
        xp = module_of(a)
        scaled = a * a.dtype.type(beta)
        # Above the threshold softplus(x) is x to the dtype's precision: return x, as PyTorch does.
        soft = xp.log1p(xp.exp(xp.minimum(scaled, threshold))) / a.dtype.type(beta)
        return xp.where(scaled > threshold, a, soft).astype(a.dtype, copy=False)

    derivative = ("d softplus(x)/dx = sigmoid(beta·x) (1 above the threshold), so x receives "
                  "grad times that")

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        scaled = a * ctx.beta
        return grad * where(scaled > ctx.threshold, 1.0, scaled.sigmoid())


class Hardtanh(Function):
    def forward(ctx, a, min_val, max_val):
        ctx.save_for_backward(a)
        ctx.min_val, ctx.max_val = min_val, max_val
        return module_of(a).clip(a, min_val, max_val).astype(a.dtype, copy=False)

    derivative = "1 strictly inside (min_val, max_val), else 0: x receives grad only inside"

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        # Blocked at and beyond the bounds; NaN is neither, so it passes (as in PyTorch).
        blocked = (a._data <= ctx.min_val) | (a._data >= ctx.max_val)
        return masked_grad(grad, ~blocked)


class Silu(Function):
    def forward(ctx, a):
        ctx.save_for_backward(a)
        xp = module_of(a)
        e = xp.exp(-xp.abs(a))   # sigmoid without overflow, as ops.elementwise.Sigmoid does it
        return (a * xp.where(a >= 0, 1 / (1 + e), e / (1 + e))).astype(a.dtype, copy=False)

    derivative = ("d(x·s)/dx = s·(1 + x·(1 - s)) with s = sigmoid(x), so x receives grad "
                  "times that")

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        s = a.sigmoid()
        return grad * s * (a * (1 - s) + 1)


# ------------------------------------------------------------ helpers (Tensor level)

def _mask(condition, like):
    """A bool Tensor as 1.0/0.0 in ``like``'s dtype (a constant: masks carry no gradient)."""
    return condition.to(like.dtype)


def _positive(a, if_positive, otherwise):
    """``if_positive`` where a > 0, else ``otherwise`` (two numbers), as a Tensor like ``a``."""
    return _mask(a > 0, a) * (if_positive - otherwise) + otherwise


# ------------------------------------------------------------ the functions

def _float_input(name, input, kernel=None):
    """Refuse a non-Tensor, or an integer or bool tensor, with PyTorch's words.

    ``kernel`` is the name PyTorch's message gives (its kernel's, e.g. ``"silu_cpu"``).
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if not input.dtype.is_floating_point:
        from .promotion import _dt_name
        raise NotImplementedError(
            f'"{kernel or name}" not implemented for \'{_dt_name(input.dtype)}\'')


def leaky_relu(input, negative_slope=0.01):
    _float_input("leaky_relu", input, "leaky_relu_cpu")
    return LeakyRelu.apply(input, negative_slope=float(negative_slope))


def elu(input, alpha=1.0):
    _float_input("elu", input, "elu_cpu")
    return Elu.apply(input, alpha=float(alpha))


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _float_input("gelu", input, "GeluKernelImpl")
    return layout.apply(Gelu, input, approximate=approximate)


def softplus(input, beta=1.0, threshold=20.0):
    _float_input("softplus", input, "softplus_cpu")
    return Softplus.apply(input, beta=float(beta), threshold=float(threshold))


def hardtanh(input, min_val=-1.0, max_val=1.0):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if not isinstance(input, Tensor):
        _float_input("hardtanh", input)   # PyTorch's TypeError
    if input.dtype is _dt.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    # Integer tensors are clamped too, in their dtype (as in PyTorch).
    return Hardtanh.apply(input, min_val=float(min_val), max_val=float(max_val))


def silu(input):
    _float_input("silu", input, "silu_cpu")
    return Silu.apply(input)
