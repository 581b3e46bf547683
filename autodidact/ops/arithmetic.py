"""The public elementwise functions: add, sub, mul, div, pow, exp, clamp, where...

Each reads its arguments as PyTorch does (``alpha=``, ``rounding_mode=``,
``out=``, a number on either side), refuses what PyTorch refuses, and calls
one rule from ``elementwise.py``; the promotion and ``out=`` plumbing comes
from ``promotion.py`` and ``dispatch.py``. Apart from the rules so that the
derivative rules read on their own, without the argument parsing::

    >>> add(tensor([1., 2.]), 1, alpha=2)
    tensor([3., 4.])
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import array_module
from ..tensor import Tensor
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .dispatch import _binary, _finish, _need_tensor, _scalar_tensor, _unary_float
from .elementwise import (Abs, Add, Clamp, ClampTensor, Cos, Div, Exp, FloorDivide, Log,
                          Maximum, Minimum, Mul, Neg, Pow, PowTensor, Reciprocal, Relu,
                          Remainder, Round, RPow, Rsub, Sigmoid, Sign, Sin, Sqrt, Sub, Tanh,
                          Trunc, TruncDivide, Where)
from .promotion import _dt_name, _promote_pair, as_operand, cast
from .shape import broadcast_shapes


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
    if other.dtype is not dtype:   # alpha * other in the result's dtype, not other's
        other = cast(other, dtype)
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
        return _finish(RPow.apply(b, base=a), out, "pow")   # row-major, unlike 2 * x
    return _finish(layout.binary(PowTensor, a, b), out, "pow")



def neg(input, *, out=None):
    if input.dtype is _dt.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return _finish(layout.unary(Neg, input), out, "neg")


negative = neg


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
        # sign(True) is True: a copy, laid out as the input (PyTorch's result follows it)
        return Tensor._wrap(layout.like_inputs(input._data.copy(), input._data), input._device)
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
    _check_bound_kinds(min, max)
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


def _check_bound_kinds(min, max):
    """PyTorch's clamp takes two tensor bounds or two number bounds, not one of each.

    A 0-d tensor that needs no gradient passes for a number, as in PyTorch.
    """
    def kind(v):
        if isinstance(v, Tensor):
            return "number" if v.dim() == 0 and not v.requires_grad else "Tensor"
        return None if v is None else "number"
    kinds = {kind(min), kind(max)} - {None}
    if len(kinds) == 2:
        names = ", ".join(f"{name}={'Tensor' if isinstance(v, Tensor) else type(v).__name__}"
                          for name, v in (("min", min), ("max", max)))
        raise TypeError(
            f"clamp() received an invalid combination of arguments - got ({names}), but "
            "expected min and max both tensors or both numbers: make the number a tensor "
            "(autodidact.full_like(bound, value)) or the tensor a number (.item())")


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
