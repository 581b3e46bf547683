"""Comparisons and logical ops: eq, lt, isclose, bitwise_and, isnan...

Their results are booleans, so there is nothing to differentiate: these are
the elementwise functions without a derivative, kept apart from the ones with
one. Operands are promoted first, as for arithmetic (``int == float`` compares
as floats)::

    >>> lt(tensor([1, 2, 3]), 2.5)
    tensor([ True,  True, False])
"""

import operator

from ..backend import array_module
from ..tensor import Tensor
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .elementwise import Compare, Logical
from .dispatch import _scalar_tensor
from .promotion import _dt_name, _promote_pair


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
