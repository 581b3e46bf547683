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

The public functions (``add``, ``mul``, ``exp``...) first bring their
operands to one dtype with PyTorch's promotion rules, then call the op.
"""

import math as _math
import operator

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import array_module, module_of
from ..function import Function
from ..tensor import Tensor
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .shape import broadcast_shapes

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
        a, = ctx.saved_tensors
        return grad * cos(a)


class Cos(Function):
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return module_of(a).cos(a)

    derivative = "d(cos a)/da = −sin a, so a receives −grad × sin(a)"
    def backward(ctx, grad):
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
        return grad * (1 - out * out)


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
        return grad * out * (1 - out)


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
        with np.errstate(divide="ignore", invalid="ignore"):   # float % 0 is nan, silently
            return module_of(a).remainder(a, b)

    derivative = "d(a mod b)/da = 1, d/db = −floor(a/b), so a receives grad, b −grad·floor(a/b)"
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad if need_a else None), (
            -grad * floor_divide(a.detach(), b.detach()) if need_b else None)


class Cast(Function):
    """Change dtype; the gradient is cast back to the input's dtype."""

    node_name = "ToCopyBackward0"

    def forward(ctx, a, dtype):
        ctx.input_dtype = _dt._BY_NUMPY[a.dtype]
        # Out-of-range values wrap or saturate silently, as in PyTorch (300. -> uint8 44).
        with np.errstate(over="ignore", invalid="ignore"):
            return a.astype(dtype.numpy)

    derivative = "a cast changes only the dtype (derivative 1), so a receives grad cast back"
    def backward(ctx, grad):
        return cast(grad, ctx.input_dtype)


class MoveTo(Function):
    """Copy to another device; the gradient goes back to where the input was."""

    node_name = "ToCopyBackward0"

    def forward(ctx, a, device):
        from ..backend import device_of_array, move
        ctx.source = device_of_array(a)
        return move(a, device)

    derivative = "a copy to another device (derivative 1), so a receives grad moved back"
    def backward(ctx, grad):
        return move_to(grad, ctx.source)


class Compare(Function):
    """==, !=, <, <=, >, >=: boolean results, nothing to differentiate."""

    def forward(ctx, a, b, op):
        return op(a, b)


class Logical(Function):
    def forward(ctx, a, b, op):
        return op(a, b)


# ------------------------------------------------------------ promotion


def _is_tensor(x):
    return isinstance(x, Tensor)


def as_operand(x):
    """Tensors stay; NumPy arrays become tensors; Python numbers stay numbers."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.generic):
        # Before the Python check: np.float64 is a float subclass, but it
        # must count as a Python number here (PyTorch: float32 * np.float64(2)
        # stays float32), not as a float64 operand.
        return x.item()
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._wrap(x)
    raise TypeError(
        f"unsupported operand type {type(x).__name__}: expected a Tensor or a number")


def _to_dtype(x, dtype, device):
    """Bring one operand to ``dtype``: tensors by a (differentiable) cast, numbers as they fit."""
    if isinstance(x, Tensor):
        return x if x.dtype is dtype else cast(x, dtype)
    if dtype is _dt.float16:
        # A number beyond float16's range becomes inf, silently, as in PyTorch.
        with np.errstate(over="ignore"):
            return array_module(device).asarray(x, dtype=np.float16)
    if dtype.is_floating_point:
        return x   # NumPy keeps the array's dtype for a Python number (NEP 50)
    # Integers wrap around as in PyTorch (int8 + 1000); NumPy 2 would raise.
    return array_module(device).asarray(x).astype(dtype.numpy)


def _device_of(*xs):
    for x in xs:
        if isinstance(x, Tensor):
            return x._device
    return None


def promote(*operands, floating=False):
    """Operands converted to their common dtype (PyTorch's rules) and that dtype.

    ``floating`` makes an integer result the default float dtype (for ``/``).
    """
    operands = [as_operand(x) for x in operands]
    first = operands[0]
    # Fast path: tensors of one dtype with Python floats alongside.
    dtype = _dt.result_type(*operands)
    if floating and not dtype.is_floating_point:
        dtype = _dt.get_default_dtype()
    device = _device_of(*operands)
    if first is None:
        raise TypeError("expected a Tensor")
    return [_to_dtype(x, dtype, device) for x in operands], dtype


def _promote_pair(a, b, floating=False):
    """``promote`` for the two operands of a broadcasting op, with PyTorch's shape error."""
    (a, b), dtype = promote(a, b, floating=floating)
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a._data.shape != b._data.shape:
        broadcast_shapes(a._data.shape, b._data.shape)   # PyTorch's message, not NumPy's
    return (a, b), dtype


def _binary(function, a, b, floating=False):
    # Fast paths first: two tensors of one dtype, or a float tensor and a
    # Python number (NumPy keeps the array's dtype for a number, as PyTorch does).
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a._data.shape != b._data.shape:
                broadcast_shapes(a._data.shape, b._data.shape)   # PyTorch's message, not NumPy's
            if a._data.dtype == b._data.dtype and (not floating or a._data.dtype.kind == "f"):
                return layout.binary(function, a, b)
        elif (type(b) is float or type(b) is int) and a._data.dtype.kind == "f" \
                and a._data.dtype.itemsize > 2:   # float16 takes the slow path: 1e6 -> inf
            return layout.binary(function, a, b)
    elif (type(a) is float or type(a) is int) and isinstance(b, Tensor) and b._data.dtype.kind == "f" \
            and b._data.dtype.itemsize > 2:
        return layout.binary(function, a, b)
    (a, b), _ = _promote_pair(a, b, floating=floating)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError("expected at least one Tensor operand")
    if not isinstance(a, Tensor):
        a = _scalar_tensor(a, b)
    return layout.binary(function, a, b)


def _scalar_tensor(value, like):
    """A number on the left (2 - x) becomes a 0-d tensor of ``like``'s dtype and device."""
    xp = array_module(like._device)
    return Tensor._wrap(xp.asarray(value).astype(like._data.dtype), like._device)


# ------------------------------------------------------- public functions


def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, broadcasting. ``out=`` writes into a given tensor."""
    if type(alpha) is not int or alpha != 1:
        other = _scaled(input, other, alpha)
    return _finish(_binary(Add, input, other), out, "add")


def sub(input, other, *, alpha=1, out=None):
    _refuse_bool_subtraction(input, other)
    if type(alpha) is not int or alpha != 1:
        other = _scaled(input, other, alpha)
    return _finish(_binary(Sub, input, other), out, "sub")


def _rtruediv(input, other):
    """other / input: what ``2 / x`` computes. For a Python number, PyTorch's way:
    ``reciprocal(x) * 2`` (ReciprocalBackward0, then MulBackward0), bit for bit."""
    if isinstance(other, (bool, int, float)) and isinstance(input, Tensor):
        if not input.dtype.is_floating_point:
            input = cast(input, _dt.get_default_dtype())
        return mul(Reciprocal.apply(input), other)
    return div(other, input)


def rsub(input, other, *, alpha=1):
    """other - alpha * input: what ``4.2 - x`` computes (Python's reflected subtraction)."""
    if alpha == 1 and isinstance(input, Tensor) and not isinstance(other, Tensor):
        if (type(other) is float or type(other) is int) and input._data.dtype.kind == "f" \
                and input._data.dtype.itemsize > 2:
            return layout.apply_with_number(Rsub, input, other=other)   # _binary's fast path
        _refuse_bool_subtraction(other, input)
        (a, b), _ = _promote_pair(input, other)
        if not isinstance(b, Tensor):
            return layout.apply_with_number(Rsub, a, other=b)
    return sub(other, input, alpha=alpha)


def _scaled(input, other, alpha):
    """``alpha * other`` for add and sub, with alpha checked against the result's dtype.

    A bool result is computed in bool, as PyTorch does: ``a + alpha * b`` is
    ``a or (alpha and b)``, so ``add(tensor([True]), tensor([True]), alpha=2)``
    stays ``tensor([True])``. A bool alpha is only for bool results, a float
    alpha only for floating ones.
    """
    dtype = _dt.result_type(as_operand(input), as_operand(other))
    if isinstance(alpha, (bool, np.bool_)) and dtype is not _dt.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and not dtype.is_floating_point:
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number.")
    if dtype is _dt.bool:
        alpha = bool(alpha)
        if not isinstance(other, Tensor):
            return bool(other) and alpha
    if not isinstance(other, Tensor):
        return other * alpha   # a Python number: scaled in Python, promoted as a number
    return mul(other, alpha)


subtract = sub


def mul(input, other, *, out=None):
    return _finish(_binary(Mul, input, other), out, "mul")


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """True division: integers give the default float dtype (``7 / 2 == 3.5``)."""
    if rounding_mode == "floor":
        return floor_divide(input, other, out=out)
    if rounding_mode == "trunc":
        (a, b), dtype = _promote_pair(input, other)
        _check_integer_division(a, b, dtype, "div_trunc")
        if not isinstance(a, Tensor):
            a = _scalar_tensor(a, b)
        return _finish(layout.binary(TruncDivide, a, b), out, "div")
    if rounding_mode is not None:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
    return _finish(_binary(Div, input, other, floating=True), out, "div")


divide = true_divide = div


def floor_divide(input, other, *, out=None):
    """Floor division like Python's ``//`` (``-7 // 2 == -4``)."""
    (a, b), dtype = _promote_pair(input, other)
    _check_integer_division(a, b, dtype, "div_floor")
    if not isinstance(a, Tensor):
        a = _scalar_tensor(a, b)
    return _finish(layout.binary(FloorDivide, a, b), out, "floor_divide")


def remainder(input, other, *, out=None):
    """Remainder with the divisor's sign, like Python's ``%``."""
    (a, b), dtype = _promote_pair(input, other)
    _check_integer_division(a, b, dtype, "remainder")
    if not isinstance(a, Tensor):
        a = _scalar_tensor(a, b)
    return _finish(layout.binary(Remainder, a, b), out, "remainder")


def _check_integer_division(a, b, dtype, name):
    if dtype is _dt.bool:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'Bool\'')
    if not dtype.is_floating_point:
        divisor = b._data if isinstance(b, Tensor) else b
        if not (divisor != 0).all():
            raise RuntimeError("ZeroDivisionError")


def pow(input, exponent, *, out=None):
    """input ** exponent; a number, a tensor, or a number raised to a tensor."""
    (a, b), dtype = _promote_pair(input, exponent)
    if dtype is _dt.bool:
        if isinstance(exponent, bool) and isinstance(input, Tensor):
            # x ** True is x, x ** False is all True (PyTorch allows these two).
            xp = array_module(input._device)
            data = input._data.copy() if exponent else xp.ones_like(input._data)
            return _finish(Tensor._wrap(data, input._device), out, "pow")
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
    if (not dtype.is_floating_point and isinstance(exponent, int) and exponent < 0):
        # Only a Python int exponent is refused; a tensor of negative
        # exponents gives 0 (or +-1 for a base of +-1), as in PyTorch.
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    # PyTorch's nodes: tensor ** number (PowBackward0) and number ** tensor
    # (PowBackward2) have the tensor as their one input; tensor ** tensor two.
    if not isinstance(b, Tensor):
        return _finish(layout.apply(Pow, a, exponent=b), out, "pow")
    if not isinstance(a, Tensor):
        return _finish(layout.apply_with_number(RPow, b, base=a), out, "pow")
    return _finish(layout.binary(PowTensor, a, b), out, "pow")


class RPow(Function):
    """``c ** b`` for a Python number ``c`` (``2 ** x``): one input, the exponent."""

    node_name = "PowBackward2"

    def forward(ctx, b, base):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = _integer_power(module_of(b).asarray(base, dtype=b.dtype), b) \
                if b.dtype.kind in "iu" else base ** b
        ctx.base = base
        ctx.save_for_backward(out, b if base == 0 else None)
        return out

    derivative = ("d(c^b)/db = c^b·log(c) = out·log(c), so b receives grad × out × log(c) "
                  "(0 for c = 0 and b >= 0)")

    def backward(ctx, grad):
        out, b = ctx.saved_tensors
        if ctx.base == 0:   # out·log(0) is 0·(-inf) where b >= 0: taken as 0 (PyTorch's convention)
            return grad * where(b >= 0, 0.0, out * -_math.inf)
        return grad * out * (_math.log(ctx.base) if ctx.base > 0 else _math.nan)


def neg(input, *, out=None):
    if input.dtype is _dt.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return _finish(layout.unary(Neg, input), out, "neg")


negative = neg


def _unary_float(function, name):
    """A math function that makes integers into the default float dtype first (as PyTorch)."""
    def op(input, *, out=None):
        if not input.dtype.is_floating_point:
            input = cast(input, _dt.get_default_dtype())
        return _finish(layout.unary(function, input), out, name)
    op.__name__ = name
    op.__doc__ = f"Elementwise {name}; integer inputs compute in the default float dtype."
    return op


exp = _unary_float(Exp, "exp")
log = _unary_float(Log, "log")
sqrt = _unary_float(Sqrt, "sqrt")
sin = _unary_float(Sin, "sin")
cos = _unary_float(Cos, "cos")
tanh = _unary_float(Tanh, "tanh")
sigmoid = _unary_float(Sigmoid, "sigmoid")


def relu(input):
    """max(input, 0); its gradient at 0 is 0."""
    if input.dtype is _dt.bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    return layout.unary(Relu, input)


def abs(input, *, out=None):
    if input.dtype is _dt.bool:
        raise NotImplementedError('"abs_cpu" not implemented for \'Bool\'')
    return _finish(layout.unary(Abs, input), out, "abs")


absolute = abs


def sign(input):
    if input.dtype is _dt.bool:
        return Tensor._wrap(input._data.copy(), input._device)   # sign(True) is True
    return layout.unary(Sign, input)


def round(input):
    if input.dtype is _dt.bool:
        raise NotImplementedError('"round_vml_cpu" not implemented for \'Bool\'')
    return layout.unary(Round, input)


def trunc(input, *, out=None):
    """Round toward zero: trunc(-1.5) is -1. Integer tensors come back unchanged (a copy)."""
    if input.dtype is _dt.bool:
        raise NotImplementedError('"trunc_vml_cpu" not implemented for \'Bool\'')
    return _finish(Trunc.apply(input), out, "trunc")


def clamp(input, min=None, max=None, *, out=None):
    """Clip to [min, max]; the gradient passes at and between the bounds."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if any(isinstance(v, Tensor) for v in (min, max)):
        # Tensor bounds broadcast against the input; the dtypes promote; they are inputs
        # of the node (ClampBackward0), so they receive gradients too.
        dtype = _dt.result_type(input, *(v for v in (min, max) if v is not None))
        low, high = (cast(v, dtype) if isinstance(v, Tensor) and v.dtype is not dtype else v
                     for v in (min, max))
        input = input if input.dtype is dtype else cast(input, dtype)
        return _finish(ClampTensor.apply(input, low, high), out, "clamp")
    input = _clamp_operand(input, min, max)
    return _finish(Clamp.apply(input, low=min, high=max), out, "clamp")


def _clamp_operand(input, min=None, max=None):
    """``input`` cast to the dtype clamp computes in: the bounds promote with it.

    So a bool tensor clamped by the number 0 gives int64, as in PyTorch; a
    bool result from number bounds has no kernel there, and raises its error.

        >>> autodidact.tensor([True, False]).clamp(min=0)
        tensor([1, 0])
    """
    bounds = [v for v in (min, max) if v is not None]
    if input._data.dtype.kind == "f" and all(type(v) is float or type(v) is int for v in bounds):
        return input   # the usual case: numbers never change a float tensor's dtype
    dtype = _dt.result_type(input, *bounds)
    if dtype is _dt.bool and not any(isinstance(v, Tensor) for v in bounds):
        kernel = "clamp" if len(bounds) == 2 else "clamp_min" if min is not None else "clamp_max"
        raise NotImplementedError(f'"{kernel}_scalar_cpu" not implemented for \'Bool\'')
    return input if input.dtype is dtype else cast(input, dtype)


clip = clamp


def where(condition, input=None, other=None):
    """Pick ``input`` where ``condition`` holds, ``other`` elsewhere (broadcasting).

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.
    """
    if not isinstance(condition, Tensor):
        raise TypeError("where(): condition must be a bool Tensor")
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if condition.dtype is not _dt.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {_dt_name(condition.dtype)}")
    input, other = as_operand(input), as_operand(other)
    # Condition first, as PyTorch checks the shapes (and names them in its message).
    broadcast_shapes(condition._data.shape, *(x._data.shape for x in (input, other)
                                              if isinstance(x, Tensor)))
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        dtype = _dt.result_type(input, other)
        xp = array_module(condition._device)
        a, b = (Tensor._wrap(xp.asarray(v).astype(dtype.numpy), condition._device)
                for v in (input, other))
    else:
        (a, b), _ = _promote_pair(input, other)
        if not isinstance(a, Tensor):
            a = _scalar_tensor(a, b)
    return layout.apply(Where, condition, a, b)


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, dim) int64 tensor, or one tensor per dim."""
    xp = array_module(input._device)
    found = xp.nonzero(input._data) if input.dim() > 0 else xp.nonzero(input._data.reshape(1))
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64), input._device) for i in found)
    stacked = xp.stack(found, axis=1) if found else xp.zeros((0, 0), dtype=np.int64)
    return Tensor._wrap(stacked.astype(np.int64), input._device)


def maximum(input, other):
    """Elementwise max of two tensors (NaN wins); ties split the gradient."""
    _need_tensor("maximum", other)
    return _binary(Maximum, input, other)


def minimum(input, other):
    _need_tensor("minimum", other)
    return _binary(Minimum, input, other)


def _need_tensor(name, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")


def cast(input, dtype):
    """``input`` as ``dtype`` (a new tensor; differentiable between float dtypes)."""
    return layout.apply_copy(Cast, input, dtype=_dt.to_dtype(dtype))


def move_to(input, device):
    """``input`` copied to ``device``; differentiable: the gradient moves back."""
    from ..backend import as_device
    device = as_device(device)
    out = MoveTo.apply(input, device=device)
    out._device = device   # apply() labels results with the inputs' device
    return out


# ------------------------------------------------------------ comparisons


def _compare(op):
    def compare(input, other):
        (a, b), _ = _promote_pair(input, other)
        if not isinstance(a, Tensor):
            a = _scalar_tensor(a, b)
        return layout.apply(Compare, a, b, op=op)
    return compare


eq = _compare(operator.eq)
ne = _compare(operator.ne)
lt = less = _compare(operator.lt)
le = less_equal = _compare(operator.le)
gt = greater = _compare(operator.gt)
ge = greater_equal = _compare(operator.ge)


def equal(input, other):
    """True when both have the same shape and values."""
    return input.shape == other.shape and bool(eq(input, other).all())


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"{_dt_name(input.dtype)} did not match {_dt_name(other.dtype)}")
    xp = array_module(input._device)
    return bool(xp.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    xp = array_module(input._device)
    return Tensor._wrap(xp.isclose(input._data, other._data, rtol=rtol, atol=atol,
                                   equal_nan=equal_nan), input._device)


def _logical(op, name):
    def logical(input, other):
        (a, b), dtype = _promote_pair(input, other)
        if dtype.is_floating_point:
            raise NotImplementedError(
                f'"{name}_cpu" not implemented for \'{_dt_name(dtype)}\': bitwise operators '
                "need integer or bool tensors (compare first, e.g. (x > 0) & (y > 0))")
        if not isinstance(a, Tensor):
            a = _scalar_tensor(a, b)
        return Logical.apply(a, b, op=op)
    return logical


bitwise_and = _logical(operator.and_, "bitwise_and")
bitwise_or = _logical(operator.or_, "bitwise_or")
bitwise_xor = _logical(operator.xor, "bitwise_xor")


def logical_not(input):
    xp = array_module(input._device)
    return Tensor._wrap(xp.logical_not(input._data), input._device)


def bitwise_not(input):
    if input.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    xp = array_module(input._device)
    return Tensor._wrap(xp.invert(input._data), input._device)


def isnan(input):
    return Tensor._wrap(array_module(input._device).isnan(input._data), input._device)


def isinf(input):
    return Tensor._wrap(array_module(input._device).isinf(input._data), input._device)


def isfinite(input):
    return Tensor._wrap(array_module(input._device).isfinite(input._data), input._device)


# ------------------------------------------------------------ helpers


def masked_grad(grad, share):
    """``grad * share``, except that a share of 0 gives exactly 0, whatever ``grad`` holds.

    ``share`` says how much of the gradient each element receives: 1, 0, or
    1/2 on a tie. PyTorch *selects* (``where(mask, grad, 0)``), so an element
    that receives nothing gets 0 even from an infinite or NaN gradient, where
    the product would give ``inf * 0 = NaN``. The product is the fast path
    (``where()`` is ten times slower on a random mask); one look at ``grad``
    says whether it can be taken.

        >>> masked_grad(tensor([inf, inf, 2.]), tensor([0., 1., 0.5]))
        tensor([0., inf, 1.])
    """
    if graph.is_grad_enabled():   # create_graph=True: recorded ops, to differentiate again
        if not isinstance(share, Tensor):
            share = Tensor._wrap(share.astype(grad._data.dtype), grad._device)
        with np.errstate(invalid="ignore"):   # the NaNs of inf * 0 are replaced at once
            return where(share != 0, grad * share, 0.0)
    g, s = grad._data, share._data if isinstance(share, Tensor) else share
    xp = module_of(g)
    if xp.isfinite(g).all():
        return Tensor._wrap(g * s, grad._device)   # the usual case: one product
    with np.errstate(invalid="ignore"):
        return Tensor._wrap(xp.where(s != 0, g * s, 0).astype(g.dtype, copy=False), grad._device)


def masked_grads(grad, shares, needed):
    """``masked_grad`` by each input's share, for the inputs that need a gradient (else None)."""
    return tuple([masked_grad(grad, share) if need else None
                  for share, need in zip(shares, needed)])


def zero_gradient(grad):
    """The gradient of a step function (round, sign, floor): zeros, even for an infinite grad."""
    return Tensor._wrap(module_of(grad._data).zeros_like(grad._data), grad._device)


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


def _mask_between(a, low, high):
    """1 where low <= a <= high, 0 elsewhere (and at NaN), in a's dtype."""
    inside = True
    if low is not None:
        inside = inside & (a >= low)
    if high is not None:
        inside = inside & (a <= high)
    return module_of(a).asarray(inside).astype(a.dtype)


def _clamp_shares(a, low, high):
    """Which of a, low and high gives clamp(a, low, high) its value, elementwise (0/1 in
    a's dtype; None for a missing bound). Where low > high, high wins, as in PyTorch."""
    below = above = None
    if low is not None:
        below = (a < low) if high is None else (a < low) & (low < high)
        below = below.astype(a.dtype)
    if high is not None:
        above = (a > high) if low is None else (a > high) | (high < low)
        above = above.astype(a.dtype)
    return _mask_between(a, low, high), below, above


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


def _tie_share(loses, ties, dtype):
    """An operand's share of the gradient: 0 where it loses, 1/2 on a tie, else 1 (NaN too)."""
    return (~loses).astype(dtype) - ties.astype(dtype) * 0.5


def _dt_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[dtype.name]


def _is_bool(x):
    return x is True or x is False or (isinstance(x, Tensor) and x._data.dtype.kind == "b")


def _refuse_bool_subtraction(a, b):
    a_bool, b_bool = _is_bool(a), _is_bool(b)
    if a_bool and b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _finish(result, out, name):
    """Return ``result``, or write it into ``out`` and return ``out``."""
    if out is None:
        return result
    from .inplace import write_out
    return write_out(result, out, name)


_OPERANDS = (Tensor, bool, int, float, np.ndarray, np.generic)


def operator_method(op):
    """``op`` as a Tensor operator (``__add__``...): an operand no op can use (a str, a
    list, None) gives NotImplemented, so Python raises its own TypeError and ``==`` /
    ``!=`` fall back to identity, as in PyTorch (``t == None`` is False)."""
    def method(self, other):
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return op(self, other)
    method.__name__ = getattr(op, "__name__", "operator")
    method.__doc__ = op.__doc__
    return method
