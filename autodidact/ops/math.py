"""More elementwise math: logs and exponentials near 0, rounding, reciprocals, atan2, lerp.

    op          forward                 backward (grad = dL/d(out))
    log1p       log(1 + a)              grad / (1 + a)
    expm1       exp(a) - 1  (keep out)  grad * (out + 1)
    log2        log(a) / log(2)         grad / (a log 2)
    erf         erf(a)                  grad * 2/sqrt(pi) * exp(-a**2)
    floor       floor(a)                0 (a step function)
    frac        a - trunc(a)            grad
    reciprocal  1 / a       (keep out)  -grad * out**2
    rsqrt       a ** -1/2   (keep out)  -grad * out**3 / 2
    atan2       atan(a / b), quadrant   grad * b / (a²+b²),  -grad * a / (a²+b²)
    hypot       sqrt(a² + b²)           grad * a / out,  grad * b / out
    lerp        a + w (b - a)           grad (1 - w), grad w, grad (b - a)

They sit beside ``elementwise.py`` (the first ops a student reads) so that
file stays short; the promotion rules and ``out=`` are the same ones.
"""

import math

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of, to_host
from ..function import Function
from ..tensor import Tensor
from .arithmetic import _clamp_operand, exp, pow
from .dispatch import _binary, _finish, _unary_float
from .elementwise import Reciprocal
from .masks import _clamp_shares, masked_grad, masked_grads, zero_gradient
from .promotion import cast

# ----------------------------------------------------------------- the rules


class Log1P(Function):
    derivative = "d log(1+a)/da = 1/(1+a), so a receives grad / (1 + a)"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return module_of(a).log1p(a)

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a + 1)


class Expm1(Function):
    derivative = "d(exp(a) - 1)/da = exp(a) = out + 1, so a receives grad × (out + 1)"

    def forward(ctx, a):
        with np.errstate(over="ignore"):
            out = module_of(a).expm1(a)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out + 1)


class Log2(Function):
    derivative = "d log2(a)/da = 1/(a ln 2), so a receives grad / (a × ln 2)"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _log_base(a, 2.0)

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a * math.log(2.0))


class Log10(Function):
    derivative = "d log10(a)/da = 1/(a ln 10), so a receives grad / (a × ln 10)"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _log_base(a, 10.0)

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / (a * math.log(10.0))


class Erf(Function):
    derivative = "d erf(a)/da = 2/sqrt(pi) × exp(-a²), so a receives grad × that"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf_array(a.astype(np.float64)).astype(a.dtype)

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad * (2.0 / math.sqrt(math.pi)) * exp(-(a * a))


def _erf_array(x):
    """erf elementwise on a float64 array.

    NumPy has no erf; the standard library's is exact to the last bit (run
    element by element on the host: fine at teaching sizes). CuPy ships one.
    """
    xp = module_of(x)
    if xp is np:
        # (np.asarray: on a 0-d array, frompyfunc returns a bare float)
        return np.asarray(np.frompyfunc(math.erf, 1, 1)(x), dtype=np.float64)
    try:
        from cupyx.scipy.special import erf   # a GPU array: CuPy ships erf
    except ImportError:   # a CuPy build without its scipy part: compute on the host
        return xp.asarray(_erf_array(to_host(x)))
    return erf(x)


class Floor(Function):
    derivative = "floor is flat between the integers, so a receives zero (grad × 0)"

    def forward(ctx, a):
        return module_of(a).floor(a)

    def backward(ctx, grad):
        return zero_gradient(grad)


class Ceil(Floor):
    derivative = "ceil is flat between the integers, so a receives zero (grad × 0)"

    def forward(ctx, a):
        return module_of(a).ceil(a)


class Frac(Function):
    derivative = "d(a - trunc(a))/da = 1 between the integers, so a receives grad unchanged"

    def forward(ctx, a):
        return a - module_of(a).trunc(a)

    def backward(ctx, grad):
        return grad * 1


class Rsqrt(Function):
    derivative = "d(a^-1/2)/da = -a^-3/2 / 2 = -out³/2, so a receives -grad × out³ / 2"

    def forward(ctx, a):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (1 / module_of(a).sqrt(a)).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -0.5 * grad * out * out * out


class ClampMin(Function):
    """max(a, low) for a number ``low``: the gradient passes where a >= low."""

    node_name = "ClampMinBackward0"
    derivative = "1 where a >= low (bound included), 0 below it, so a receives grad there"

    def forward(ctx, a, low):
        ctx.save_for_backward((a >= low).astype(a.dtype))
        return module_of(a).maximum(a, low).astype(a.dtype, copy=False)

    def backward(ctx, grad):
        inside, = ctx.saved_tensors
        return masked_grad(grad, inside)


class ClampMax(ClampMin):
    node_name = "ClampMaxBackward0"
    derivative = "1 where a <= high (bound included), 0 above it, so a receives grad there"

    def forward(ctx, a, high):
        ctx.save_for_backward((a <= high).astype(a.dtype))
        return module_of(a).minimum(a, high).astype(a.dtype, copy=False)


class ClampMinTensor(Function):
    """max(a, low) for a tensor ``low``: a gets grad where a >= low, low where a < low (NaN: neither)."""

    node_name = "ClampMinBackward1"
    derivative = "a receives grad where a >= low, low receives grad where a < low"

    def forward(ctx, a, low):
        ctx.save_for_backward(a, low)
        return module_of(a).maximum(a, low)

    def backward(ctx, grad):
        a, low = ctx.saved_tensors
        inside, below, _ = _clamp_shares(a._data, low._data, None)
        return masked_grads(grad, (inside, below), ctx.needs_input_grad)


class ClampMaxTensor(Function):
    """min(a, high) for a tensor ``high``: a gets grad where a <= high, high where a > high."""

    node_name = "ClampMaxBackward1"
    derivative = "a receives grad where a <= high, high receives grad where a > high"

    def forward(ctx, a, high):
        ctx.save_for_backward(a, high)
        return module_of(a).minimum(a, high)

    def backward(ctx, grad):
        a, high = ctx.saved_tensors
        inside, _, above = _clamp_shares(a._data, None, high._data)
        return masked_grads(grad, (inside, above), ctx.needs_input_grad)


class Atan2(Function):
    derivative = ("d atan2(a, b)/da = b/(a²+b²) and d/db = -a/(a²+b²), so a receives "
                  "grad × b/(a²+b²) and b receives -grad × a/(a²+b²)")

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return module_of(a).arctan2(a, b)

    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        squares = a * a + b * b
        # At the origin (or where a² + b² underflows) PyTorch takes 1/(a² + b²) as 0: grad 0.
        recip = squares.reciprocal().masked_fill(squares == 0, 0)
        return grad * b * recip, grad * -a * recip


class Hypot(Function):
    derivative = ("d sqrt(a²+b²)/da = a/out and d/db = b/out, so a receives grad × a/out "
                  "and b receives grad × b/out")

    def forward(ctx, a, b):
        out = module_of(a).hypot(a, b)
        need_a, need_b = ctx.needs_input_grad[:2]   # saves what PyTorch saves, no more
        ctx.save_for_backward(a if need_a else None, b if need_b else None, out)
        return out

    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        scale = grad / out
        return (scale * a if a is not None else None), (scale * b if b is not None else None)


class Lerp(Function):
    """start + weight * (end - start), with a number ``weight``."""

    derivative = ("d/dstart = 1 - w and d/dend = w, so start receives grad × (1 - w) and "
                  "end receives grad × w")

    def forward(ctx, start, end, weight):
        ctx.weight = weight
        return start + weight * (end - start)

    def backward(ctx, grad):
        return grad * (1 - ctx.weight), grad * ctx.weight


class LerpTensor(Function):
    """start + weight * (end - start), with a tensor ``weight`` (broadcasting)."""

    node_name = "LerpBackward1"
    derivative = ("d/dstart = 1 - w, d/dend = w, d/dw = end - start, so each receives "
                  "grad times its own")

    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        return start + weight * (end - start)

    def backward(ctx, grad):
        start, end, weight = ctx.saved_tensors
        return grad * (1 - weight), grad * weight, grad * (end - start)


# ------------------------------------------------------------ helpers


def _log_base(a, base):
    xp = module_of(a)
    with np.errstate(divide="ignore", invalid="ignore"):   # log of 0 is -inf, of < 0 NaN
        return xp.log2(a) if base == 2 else xp.log10(a)


_C_NAME = {"float16": "c10::Half", "float32": "float", "float64": "double"}


def _refuse(input, kernel, kinds="b"):
    """PyTorch's "not implemented" for the dtypes a kernel has no loop for."""
    from .promotion import _dt_name
    if input._data.dtype.kind in kinds:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dt_name(input.dtype)}\'')


# ------------------------------------------------------- public functions


log1p = _unary_float(Log1P, "log1p")
expm1 = _unary_float(Expm1, "expm1")
log2 = _unary_float(Log2, "log2")
log10 = _unary_float(Log10, "log10")
erf = _unary_float(Erf, "erf")
reciprocal = _unary_float(Reciprocal, "reciprocal")
rsqrt = _unary_float(Rsqrt, "rsqrt")


def floor(input, *, out=None):
    """The largest integer <= each element; integer tensors come back unchanged (a copy)."""
    return _rounding(Floor, "floor_vml_cpu", input, out, "floor")


def ceil(input, *, out=None):
    """The smallest integer >= each element; integer tensors come back unchanged (a copy)."""
    return _rounding(Ceil, "ceil_vml_cpu", input, out, "ceil")


def _rounding(function, kernel, input, out, name):
    _refuse(input, kernel)
    if not input.is_floating_point():
        return _finish(input.clone(), out, name)
    return _finish(function.apply(input), out, name)


def frac(input, *, out=None):
    """The fractional part, a - trunc(a), with the sign of a: frac(-1.5) is -0.5."""
    _refuse(input, "frac_cpu", kinds="biu")
    return _finish(Frac.apply(input), out, "frac")


def square(input, *, out=None):
    """input * input; integers stay integers and bools become int64 (as PyTorch)."""
    if input.dtype is _dt.bool:
        input = cast(input, _dt.int64)
    return _finish(pow(input, 2), out, "square")


def clamp_min(input, min, *, out=None):
    """max(input, min): clamp from below only (``min`` a number or a tensor)."""
    if isinstance(min, Tensor):
        return _finish(_binary(ClampMinTensor, input, min), out, "clamp_min")
    input = _clamp_operand(input, min=min)
    return _finish(ClampMin.apply(input, low=min), out, "clamp_min")


def clamp_max(input, max, *, out=None):
    """min(input, max): clamp from above only (``max`` a number or a tensor)."""
    if isinstance(max, Tensor):
        return _finish(_binary(ClampMaxTensor, input, max), out, "clamp_max")
    input = _clamp_operand(input, max=max)
    return _finish(ClampMax.apply(input, high=max), out, "clamp_max")


def atan2(input, other, *, out=None):
    """The angle of the point (other, input), in (-pi, pi]; integers compute as floats."""
    return _finish(_binary(Atan2, input, other, floating=True), out, "atan2")


arctan2 = atan2


def hypot(input, other, *, out=None):
    """sqrt(input² + other²), without overflow for large values; floating point only."""
    _refuse(input, "hypot_cpu", kinds="biu")
    return _finish(_binary(Hypot, input, other), out, "hypot")


def lerp(input, end, weight, *, out=None):
    """Linear interpolation: input + weight * (end - input); float tensors of one dtype."""
    _refuse(input, "lerp_kernel_scalar" if not isinstance(weight, Tensor)
            else "lerp_kernel_tensor", kinds="biu")
    if end.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_C_NAME[input.dtype.name]} for `end` but got dtype "
                           f"{_C_NAME[end.dtype.name]}")
    if isinstance(weight, Tensor):
        return _finish(LerpTensor.apply(input, end, weight), out, "lerp")
    return _finish(Lerp.apply(input, end, weight=weight), out, "lerp")


__all__ = ["log1p", "expm1", "log2", "log10", "erf", "floor", "ceil", "frac", "reciprocal",
           "rsqrt", "square", "clamp_min", "clamp_max", "atan2", "arctan2", "hypot", "lerp"]
