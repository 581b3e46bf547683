"""Promotion: bringing operands to one dtype and one device, as PyTorch does.

``x + 2``, ``int_tensor * 0.5``, ``float16 + float32``: before any rule runs,
the operands are brought to their common dtype (PyTorch's promotion rules,
``dtypes.result_type``) and Python numbers are kept as numbers where NumPy
keeps the array's dtype. Kept apart from the rules, which see only arrays of
one dtype, and from the public functions, which only call ``promote``::

    >>> promote(tensor([1, 2]), 0.5)[1]
    autodidact.float32

The two conversion rules, ``Cast`` (dtype) and ``MoveTo`` (device), live here
too: promotion is made of them, and their backward is a conversion back.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import array_module
from ..function import Function
from ..tensor import Tensor
from . import layout   # the strides of a result: PyTorch's, not NumPy's
from .shape import broadcast_shapes


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


def _dt_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[dtype.name]
