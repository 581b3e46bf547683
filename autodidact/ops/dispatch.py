"""Dispatch: from a public function's arguments to one rule, and back to ``out=``.

Every elementwise function does the same few things around its rule: check
the operands' shapes broadcast (PyTorch's message), promote them, turn a number
on the left into a 0-d tensor, apply the rule with PyTorch's output layout, and
write into ``out=`` if one was given. They are done here, once::

    add = lambda a, b, out=None: _finish(_binary(Add, a, b), out, "add")
    exp = _unary_float(Exp, "exp")   # integers compute in the default float dtype

Also here: ``operator_method``, which makes a function a Tensor operator.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import array_module
from ..tensor import Tensor
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .promotion import _promote_pair, cast
from .shape import broadcast_shapes


def _binary(function, a, b, floating=False):
    # Fast paths first: two tensors of one dtype, or a float tensor and a
    # Python number (NumPy keeps the array's dtype for a number, as PyTorch does).
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            x, y = a._data, b._data
            if x.dtype == y.dtype and (not floating or x.dtype.kind == "f"):
                # Shapes are compared only when NumPy refuses them (it costs two tuples
                # on every op otherwise); its message then gives way to PyTorch's, below.
                try:
                    return layout.binary(function, a, b)
                except ValueError:
                    if x.shape == y.shape:
                        raise   # not a matter of broadcasting
            if x.shape != y.shape:
                broadcast_shapes(x.shape, y.shape)   # PyTorch's message, not NumPy's
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


def _unary_float(function, name):
    """A math function that makes integers into the default float dtype first (as PyTorch)."""
    def op(input, *, out=None):
        if not input.dtype.is_floating_point:
            input = cast(input, _dt.get_default_dtype())
        return _finish(layout.unary(function, input), out, name)
    op.__name__ = name
    op.__doc__ = f"Elementwise {name}; integer inputs compute in the default float dtype."
    return op


def _need_tensor(name, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")


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
