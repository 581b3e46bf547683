"""Elementwise ops: arithmetic, math functions, comparisons, casts.

Each op is a forward on arrays and a backward on Tensors, side by side::

    op        forward               backward (grad = dL/d(out))
    add       a + b                 grad, grad
    mul       a * b                 grad * b, grad * a
    div       a / b                 grad / b, -grad * a / b**2
    exp       exp(a)  (keep out)    grad * out
    tanh      tanh(a) (keep out)    grad * (1 - out**2)
    relu      max(a, 0)             grad where a > 0, else 0

A rule that *selects* (relu, clamp, max, where) passes the gradient to some
elements and exactly 0 to the others, whatever arrives from above: even an
infinite gradient (``sqrt`` just after ``relu`` sends ``inf`` back at 0),
where a plain ``grad * mask`` would give ``inf * 0 = NaN``. ``masked_grad``
does that in one place; a step function (round, sign) sends ``zero_gradient``.

Broadcasting is undone for every op in one place (``BackwardNode.apply``
sums the gradient back to each input's shape), so no rule here does it.

This file holds only the rules. Around it, each in its own file:

    promotion.py   operands to one dtype and device (promote, cast, move_to)
    dispatch.py    from arguments to a rule (_binary, _unary_float, _finish, out=)
    arithmetic.py  the public functions: add, mul, exp, clamp, where...
    compare.py     eq, lt, isclose, bitwise_and, isnan...
    masks.py       masked_grad, zero_gradient: the gradients of selecting rules

The imports go one way: a public function imports its rule, never the
reverse (a backward that needs a public function imports it where it runs).
"""

import math as _math

import numpy as np

from ..backend import module_of
from ..function import Function
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .masks import (_clamp_shares, _mask_between, _tie_share, masked_grad, masked_grads,
                    zero_gradient)

# ----------------------------------------------------------------- the rules


class Add(Function):
    def forward(ctx, a, b):
        return a + b

    derivative = "d(a+b)/da = d(a+b)/db = 1, so a and b each receive grad unchanged"
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    def forward(ctx, a, b):
        return a - b

    derivative = "d(a−b)/da = 1 and d(a−b)/db = −1, so a receives grad and b receives −grad"
    def backward(ctx, grad):
        return grad, -grad


class Rsub(Function):
    """``c - a`` for a Python number ``c`` (``4.2 - x``): the number is no input of the node."""

    node_name = "RsubBackward1"

    def forward(ctx, a, other):
        return other - a

    derivative = "d(c - a)/da = -1, so a receives -grad"

    def backward(ctx, grad):
        return -grad


class Mul(Function):
    def forward(ctx, a, b):
        # Keep only what backward uses: b for a's gradient, a for b's.
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    derivative = "d(a·b)/da = b, so a receives grad × b; d(a·b)/db = a, so b receives grad × a"
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Function):
    """a / b. Saves a only when b needs a gradient (as PyTorch): ``x / 3`` keeps no x,
    so changing x in place afterwards does not break backward."""

    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b

    derivative = "d(a/b)/da = 1/b and d(a/b)/db = −a/b², so a receives grad/b and b −grad·a/b²"
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad / b if need_a else None), (-grad * a / (b * b) if need_b else None)


class Reciprocal(Function):
    """1 / a: what ``number / x`` starts with, as PyTorch computes it (then a multiply)."""

    def forward(ctx, a):
        with np.errstate(divide="ignore"):
            out = (1 / a).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    derivative = "d(1/a)/da = -1/a² = -out², so a receives -grad × out²"

    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -grad * out * out


class Neg(Function):
    def forward(ctx, a):
        return -a

    derivative = "d(−a)/da = −1, so a receives −grad"
    def backward(ctx, grad):
        return -grad


class Pow(Function):
    """``a ** n`` for a Python number ``n`` (``x ** 2``): one input, as PyTorch records it."""

    def forward(ctx, a, exponent):
        ctx.exponent = exponent
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _integer_power(a, exponent) if a.dtype.kind in "iu" else _power(a, exponent)

    derivative = "d(a^n)/da = n·a^(n-1), so a receives grad × n × a^(n-1)"

    def backward(ctx, grad):
        a, = ctx.saved_tensors
        if ctx.exponent == 0:
            return zero_gradient(grad)   # a ** 0 is constant (0 × a ** -1 would be NaN at 0)
        return grad * ctx.exponent * a ** (ctx.exponent - 1)


class PowTensor(Function):
    """a ** b for two tensors; d/da = b * a**(b-1), d/db = a**b * log(a)."""

    node_name = "PowBackward1"

    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = _integer_power(a, b) if a.dtype.kind in "iu" else a ** b
        # The output is needed only for the exponent's gradient.
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        return out

    derivative = "d(aᵇ)/da = b·aᵇ⁻¹, so a receives grad × b·aᵇ⁻¹; d(aᵇ)/db = aᵇ·ln a, so b receives grad × aᵇ·ln a"

    def backward(ctx, grad):
        from .arithmetic import log, where   # public functions: imported where they run
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with np.errstate(invalid="ignore"):   # the NaNs of 0 × inf are replaced by where()
            # Where b == 0, a ** 0 is constant: 0 (not 0 × a ** -1, NaN at a = 0).
            grad_a = where(b == 0, 0.0, grad * b * a ** (b - 1)) if need_a else None
            # a**b · log(a) is 0 × -inf at a = 0: taken as 0 when b >= 0 (PyTorch's convention).
            grad_b = grad * where((a == 0) & (b >= 0), 0.0, out * log(a)) if need_b else None
        return grad_a, grad_b


class Exp(Function):
    def forward(ctx, a):
        xp = module_of(a)
        with np.errstate(over="ignore"):
            out = xp.exp(a)
        ctx.save_for_backward(out)
        return out

    derivative = "d(eᵃ)/da = eᵃ (the output itself), so a receives grad × out"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


class Log(Function):
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return module_of(a).log(a)

    derivative = "d(ln a)/da = 1/a, so a receives grad / a"
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return grad / a


class Sqrt(Function):
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = module_of(a).sqrt(a)
        ctx.save_for_backward(out)
        return out

    derivative = "d(√a)/da = 1/(2√a), so a receives grad / (2 × out)"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad / (2 * out)


class Sin(Function):
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return module_of(a).sin(a)

    derivative = "d(sin a)/da = cos a, so a receives grad × cos(a)"
    def backward(ctx, grad):
        from .arithmetic import cos
        a, = ctx.saved_tensors
        return grad * cos(a)


class Cos(Function):
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return module_of(a).cos(a)

    derivative = "d(cos a)/da = −sin a, so a receives −grad × sin(a)"
    def backward(ctx, grad):
        from .arithmetic import sin
        a, = ctx.saved_tensors
        return -grad * sin(a)


class Tanh(Function):
    def forward(ctx, a):
        out = module_of(a).tanh(a)
        ctx.save_for_backward(out)
        return out

    derivative = "d(tanh a)/da = 1 − tanh²(a), so a receives grad × (1 − out²)"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return layout.binary(TanhGrad, grad, out)   # grad * (1 - out * out), as one op


class TanhGrad(Function):
    """tanh's backward, grad × (1 − out²), as one op (PyTorch's ``tanh_backward``).

    One step of the engine instead of three (a product, a difference, a
    product), and still differentiable, for second derivatives.
    """

    node_name = "TanhBackwardBackward0"

    def forward(ctx, grad, out):
        ctx.save_for_backward(grad, out)
        return grad * (1 - out * out)

    derivative = "d(g·(1 − out²))/dg = 1 − out² and d/dout = −2·g·out, so g receives h × (1 − out²), out −2·h·g·out"
    def backward(ctx, h):
        grad, out = ctx.saved_tensors
        need_grad, need_out = ctx.needs_input_grad
        return (h * (1 - out * out) if need_grad else None,
                h * grad * out * -2 if need_out else None)


class Sigmoid(Function):
    def forward(ctx, a):
        xp = module_of(a)
        # 1 / (1 + exp(-a)) overflows for very negative a; this form does not.
        e = xp.exp(-xp.abs(a))
        out = xp.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    derivative = "d(σ(a))/da = σ(a)·(1 − σ(a)), so a receives grad × out × (1 − out)"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return layout.binary(SigmoidGrad, grad, out)   # grad * out * (1 - out), as one op


class SigmoidGrad(Function):
    """sigmoid's backward, grad × out × (1 − out), as one op (PyTorch's ``sigmoid_backward``)."""

    node_name = "SigmoidBackwardBackward0"

    def forward(ctx, grad, out):
        ctx.save_for_backward(grad, out)
        return grad * out * (1 - out)

    derivative = "d(g·out·(1 − out))/dg = out·(1 − out) and d/dout = g·(1 − 2·out), so g receives h × out × (1 − out), out h·g·(1 − 2·out)"
    def backward(ctx, h):
        grad, out = ctx.saved_tensors
        need_grad, need_out = ctx.needs_input_grad
        return (h * out * (1 - out) if need_grad else None,
                h * grad * (1 - 2 * out) if need_out else None)


class Relu(Function):
    def forward(ctx, a):
        out = module_of(a).maximum(a, 0)
        # relu'(0) = 0; NaN passes its gradient (relu(NaN) is NaN != 0), as in PyTorch.
        ctx.save_for_backward((out != 0).astype(a.dtype))
        return out

    derivative = "d(relu a)/da = 1 where a > 0, else 0, so a receives grad only where a > 0"
    def backward(ctx, grad):
        passes, = ctx.saved_tensors
        return masked_grad(grad, passes)


class Abs(Function):
    def forward(ctx, a):
        ctx.save_for_backward(_sign(a))   # abs'(0) = 0
        return module_of(a).abs(a)

    derivative = "d|a|/da = sign(a), so a receives grad × sign(a) (0 at a = 0)"
    def backward(ctx, grad):
        # A product, as in PyTorch: an infinite grad at a = 0 gives NaN there too.
        sign_a, = ctx.saved_tensors
        return grad * sign_a


class Sign(Function):
    def forward(ctx, a):
        return _sign(a)

    derivative = "sign(a) is flat almost everywhere (derivative 0), so a receives zeros"
    def backward(ctx, grad):
        return zero_gradient(grad)


class Clamp(Function):
    """Clip to [low, high]; the gradient passes where low <= a <= high (bounds included)."""

    node_name = "ClampBackward1"   # PyTorch's name for clamp with number bounds

    def forward(ctx, a, low=None, high=None):
        ctx.save_for_backward(_mask_between(a, low, high))
        xp = module_of(a)   # max then min, as clip does (CuPy's clip may refuse a None bound)
        out = a if low is None else xp.maximum(a, low)
        out = out if high is None else xp.minimum(out, high)
        return out.astype(a.dtype, copy=out is a)

    derivative = "d(clamp a)/da = 1 inside [min, max], else 0, so a receives grad only inside"
    def backward(ctx, grad):
        inside, = ctx.saved_tensors
        return masked_grad(grad, inside)


class ClampTensor(Function):
    """Clip to tensor bounds (``low`` or ``high`` may be None); each bound is an input too.

    a receives the gradient where low <= a <= high; low where a < low (and
    low < high); high where a > high (or high < low, where high wins). NaN
    on either side sends the gradient nowhere, as in PyTorch.
    """

    node_name = "ClampBackward0"

    def forward(ctx, a, low, high):
        ctx.save_for_backward(a, low, high)
        xp = module_of(a)
        out = a if low is None else xp.maximum(a, low)
        out = out if high is None else xp.minimum(out, high)
        return out.astype(a.dtype, copy=out is a)

    derivative = ("1 for whichever of a, min and max is the answer, so a receives grad inside "
                  "[min, max], min below it and max above it")
    def backward(ctx, grad):
        a, low, high = (getattr(t, "_data", t) for t in ctx.saved_tensors)   # arrays, numbers
        return masked_grads(grad, _clamp_shares(a, low, high), ctx.needs_input_grad)


class Where(Function):
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return module_of(a).where(condition, a, b)

    derivative = "where(c, a, b) takes a where c is true, so a receives grad there and b elsewhere"
    def backward(ctx, grad):
        from .arithmetic import where
        condition, = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad[1:]
        return (None,
                where(condition, grad, 0.0) if need_a else None,
                where(condition, 0.0, grad) if need_b else None)


class Maximum(Function):
    """Elementwise max; where a == b the gradient is split half and half (NaN: both get it)."""

    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(_tie_share(a < b, a == b, a.dtype) if need_a else None,
                              _tie_share(b < a, a == b, a.dtype) if need_b else None)
        return module_of(a).maximum(a, b)

    derivative = "d max(a, b) = 1 for the larger input, so it receives grad (a tie: half each)"
    def backward(ctx, grad):
        return masked_grads(grad, ctx.saved_tensors, ctx.needs_input_grad)


class Minimum(Function):
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(_tie_share(a > b, a == b, a.dtype) if need_a else None,
                              _tie_share(b > a, a == b, a.dtype) if need_b else None)
        return module_of(a).minimum(a, b)

    derivative = "d min(a, b) = 1 for the smaller input, so it receives grad (a tie: half each)"
    def backward(ctx, grad):
        return masked_grads(grad, ctx.saved_tensors, ctx.needs_input_grad)


class Round(Function):
    def forward(ctx, a):
        return module_of(a).round(a)

    derivative = "round(a) is flat almost everywhere (derivative 0), so a receives zeros"
    def backward(ctx, grad):
        return zero_gradient(grad)


class Trunc(Function):
    def forward(ctx, a):
        return module_of(a).trunc(a) if a.dtype.kind == "f" else a.copy()

    derivative = "trunc(a) is flat between the integers (derivative 0), so a receives zeros"
    def backward(ctx, grad):
        return zero_gradient(grad)


class FloorDivide(Function):
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):   # float // 0 is +-inf, silently
            return module_of(a).floor_divide(a, b)
    # No backward, as in PyTorch: the result is piecewise constant.


class TruncDivide(Function):
    """a / b rounded toward zero (``div(..., rounding_mode='trunc')``)."""

    node_name = "DivBackward1"

    def forward(ctx, a, b):
        xp = module_of(a)
        if a.dtype.kind == "f":
            with np.errstate(divide="ignore", invalid="ignore"):
                return xp.trunc(a / b)
        # Integers: floor, then step back toward zero where signs differ.
        quotient = xp.floor_divide(a, b)
        inexact = (xp.remainder(a, b) != 0) & ((a < 0) != (b < 0))
        return quotient + inexact.astype(quotient.dtype)


class Remainder(Function):
    """a - b * floor(a / b); d/da = 1, d/db = -floor(a / b) (a step function: a constant)."""

    def forward(ctx, a, b):
        need_b = ctx.needs_input_grad[1]   # only b's gradient reads a and b (as in PyTorch)
        ctx.save_for_backward(a if need_b else None, b if need_b else None)
        xp = module_of(a)
        if a.dtype.kind != "f":
            return xp.remainder(a, b)
        # PyTorch's formula, not NumPy's remainder: the same values, and the
        # same signed zeros (-2. % 2 is -0. in PyTorch, 0. in NumPy), which
        # atan2 or a division would show.
        with np.errstate(divide="ignore", invalid="ignore"):   # float % 0 is nan, silently
            mod = xp.fmod(a, b)
            return xp.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)

    derivative = "d(a mod b)/da = 1, d/db = −floor(a/b), so a receives grad, b −grad·floor(a/b)"
    def backward(ctx, grad):
        from .arithmetic import floor_divide
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad if need_a else None), (
            -grad * floor_divide(a.detach(), b.detach()) if need_b else None)


class Compare(Function):
    """==, !=, <, <=, >, >=: boolean results, nothing to differentiate."""

    def forward(ctx, a, b, op):
        return op(a, b)


class Logical(Function):
    def forward(ctx, a, b, op):
        return op(a, b)


class RPow(Function):
    """``c ** b`` for a Python number ``c`` (``2 ** x``): one input, the exponent."""

    node_name = "PowBackward2"

    def forward(ctx, b, base):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = _integer_power(module_of(b).asarray(base, dtype=b.dtype), b) \
                if b.dtype.kind in "iu" else base ** b
        ctx.base = base
        ctx.save_for_backward(out, b if base == 0 else None)
        return layout.row_major(out)   # PyTorch's number ** tensor is row-major, whatever b's layout

    derivative = ("d(c^b)/db = c^b·log(c) = out·log(c), so b receives grad × out × log(c) "
                  "(0 for c = 0 and b >= 0)")

    def backward(ctx, grad):
        from .arithmetic import where
        out, b = ctx.saved_tensors
        if ctx.base == 0:   # out·log(0) is 0·(-inf) where b >= 0: taken as 0 (PyTorch's convention)
            return grad * where(b >= 0, 0.0, out * -_math.inf)
        return grad * out * (_math.log(ctx.base) if ctx.base > 0 else _math.nan)


# ------------------------------------------------------------ numeric helpers


def _sign(a):
    """sign(a), with PyTorch's sign(NaN) = 0 (NumPy's is NaN)."""
    xp = module_of(a)
    return xp.nan_to_num(xp.sign(a)) if a.dtype.kind == "f" else xp.sign(a)


def _power(a, exponent):
    """a ** exponent for a float array, with PyTorch's shortcuts: -0.5 is 1/sqrt(a) (so
    (-0.) ** -0.5 is -inf, and (-inf) ** -0.5 NaN, where C's pow gives inf and 0); 3 is
    a*a*a and -2 is 1/(a*a), to the last bit. (NumPy already takes sqrt for 0.5.)"""
    if exponent == -0.5:
        return (1 / module_of(a).sqrt(a)).astype(a.dtype, copy=False)
    if exponent == 3:
        return a * a * a
    if exponent == -2:
        return (1 / (a * a)).astype(a.dtype, copy=False)
    return a ** exponent


def _integer_power(a, b):
    """a ** b for integer arrays, with C's answer for negative exponents (NumPy raises)."""
    xp = module_of(a)
    negative = b < 0
    if not xp.any(negative):
        return a ** b
    out = a ** xp.where(negative, 0, b).astype(b.dtype if hasattr(b, "dtype") else a.dtype)
    sign = xp.where(b % 2 == 0, 1, -1)
    special = xp.where(a == 1, 1, xp.where(a == -1, sign, 0))
    return xp.where(negative, special, out).astype(out.dtype)
