"""In-place ops (``add_``, ``+=``, ``x[i] = v``, ``fill_``...) and ``out=``.

An in-place op is the out-of-place op followed by a write into the
target's storage, after three checks that PyTorch also makes, so that a
refused op leaves the target exactly as it was:

1. autograd allows it: never on a leaf that requires grad (its ``.grad``
   would describe values that no longer exist), unless under ``no_grad``;
2. the result has the target's shape: the other operand may broadcast
   into the target, the target may not grow;
3. the result's dtype can be cast to the target's (float into an int
   tensor is refused: PyTorch's "same kind" rule).

The write bumps the version counter, which is how backward notices that
a value it saved has been overwritten since.
"""

import warnings

from .. import dtypes as _dt
from .. import graph
from ..function import Function
from ..tensor import Tensor
from .elementwise import _dt_name, cast

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def check_can_modify(target):
    """Raise PyTorch's error when autograd forbids changing ``target`` in place."""
    if not graph.is_grad_enabled():
        return
    if target.grad_fn is None and target._requires_grad:
        raise RuntimeError(_LEAF + " Wrap the update in `with autodidact.no_grad():` or change "
                           "`.data` if you mean to update a weight by hand.")
    base = target._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF + " Wrap it in `with autodidact.no_grad():`.")


def _check_fits(result, target):
    if tuple(result.shape) != tuple(target.shape):
        raise RuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}")
    if not _dt.can_cast(result.dtype, target.dtype):
        raise RuntimeError(
            f"result type {_dt_name(result.dtype)} can't be cast to the desired output type "
            f"{_dt_name(target.dtype)}")


def commit(target, result):
    """Write ``result`` into ``target``'s storage and take over its history; returns target."""
    _check_fits(result, target)
    recording = graph.is_grad_enabled() and (result._requires_grad or target._requires_grad)
    if recording and target._base is not None:
        raise RuntimeError(
            "in-place operations on a view of a tensor that requires grad are not supported by "
            "autodidact's autograd; use the out-of-place form (y = y + 1, or torch.cat / "
            "torch.where to build the new value) instead.")
    target._data[...] = result._data
    target._bump_version()
    if recording:
        # The target now holds the result's value, so its gradient must flow
        # through the result's node: it takes over the result's history.
        target.grad_fn = result.grad_fn
        target._requires_grad = result._requires_grad
        if result.grad_fn is not None:
            result.grad_fn._output_ref = None
    return target


def apply_inplace(target, op, *args, **kwargs):
    """Run ``op(target, *args)`` out of place, then commit it into ``target``.

    When the target is part of a graph, the op works on a private copy of
    the target's old value, so what the op saves for backward is not
    overwritten by the commit.
    """
    check_can_modify(target)
    source = target
    if graph.is_grad_enabled() and target._requires_grad:
        source = _snapshot(target)
    result = op(source, *args, **kwargs)
    if result.dtype is not target.dtype and _dt.can_cast(result.dtype, target.dtype):
        _check_fits(result, target)
        result = cast(result, target.dtype) if result._requires_grad else Tensor._wrap(
            result._data.astype(target._data.dtype), result._device)
    return commit(target, result)


def _snapshot(target):
    """A copy of ``target``'s value that keeps its place in the graph."""
    copy = Tensor._wrap(target._data.copy(), target._device)
    copy.grad_fn, copy._requires_grad = target.grad_fn, target._requires_grad
    if target.grad_fn is None and target._requires_grad:
        copy._accumulator = None
        copy.grad_fn = None
    return copy


def write_out(result, out, name):
    """Write an op's result into ``out=`` (resized with PyTorch's warning if needed)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if result._requires_grad and graph.is_grad_enabled():
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad.")
    if not _dt.can_cast(result.dtype, out.dtype):
        raise RuntimeError(
            f"result type {_dt_name(result.dtype)} can't be cast to the desired output type "
            f"{_dt_name(out.dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        if out.numel() != 0:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out.shape)}, which does not match the required output shape "
                f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                "t.resize_(0).", UserWarning, stacklevel=3)
        out._data = result._data.astype(out._data.dtype)
    else:
        out._data[...] = result._data
    out._bump_version()
    return out


# ------------------------------------------------------------ __setitem__


class IndexPut(Function):
    """``a[key] = value`` as a function: a copy of a with value written at key."""

    node_name = "CopySlices"

    def forward(ctx, a, value, key):
        ctx.key, ctx.value_shape = key, getattr(value, "shape", ())
        out = a.copy()
        out[key] = value
        return out

    def backward(ctx, grad):
        need_a, need_value = ctx.needs_input_grad[:2]
        grad_a = grad_value = None
        if need_a:
            grad_a = grad.clone()
            grad_a._data[ctx.key] = 0
        if need_value:
            grad_value = grad[ctx.key].sum_to_size(ctx.value_shape) if ctx.value_shape else grad[ctx.key].sum()
        return grad_a, grad_value


def setitem(target, key, value):
    """``target[key] = value``: the value is cast to target's dtype and broadcast into place."""
    from .index import normalize_key
    parts = normalize_key(target, key)
    if graph.is_grad_enabled() and target.grad_fn is None and target._requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF + " Wrap it in `with autodidact.no_grad():`.")
    check_can_modify(target)
    region_shape = target._data[parts].shape
    if isinstance(value, Tensor):
        if value._device != target._device:
            from ..function import _raise_device_mismatch
            _raise_device_mismatch(target._device, value._device)
        _check_broadcast_into(value.shape, region_shape)
        if value.dtype is not target.dtype:
            value = value.to(target.dtype)
    else:
        value = _number_for(value, target)
    recording = graph.is_grad_enabled() and (
        target._requires_grad or (isinstance(value, Tensor) and value._requires_grad))
    if not recording:
        target._data[parts] = value._data if isinstance(value, Tensor) else value
        target._bump_version()
        return
    source = _snapshot(target)
    result = IndexPut.apply(source, value, key=parts)
    commit(target, result)


def _number_for(value, target):
    import numpy as np
    if isinstance(value, (bool, int, float)):
        if isinstance(value, float) and not target.dtype.is_floating_point:
            return int(value)
        return np.asarray(value).astype(target._data.dtype) if not target.dtype.is_floating_point else value
    if isinstance(value, (list, tuple)):
        from ..creation import tensor
        return setitem_value(tensor(value, dtype=target.dtype, device=target._device))
    raise TypeError(f"can't assign a {type(value).__name__} to a {target.type()}")


def setitem_value(t):
    return t


def _check_broadcast_into(value_shape, region_shape):
    value_shape, region_shape = tuple(value_shape), tuple(region_shape)
    if len(value_shape) > len(region_shape):
        extra = value_shape[:len(value_shape) - len(region_shape)]
        if any(s != 1 for s in extra):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(value_shape)} cannot be broadcast to "
                f"indexing result of shape {list(region_shape)}")
        value_shape = value_shape[len(extra):]
    lead = len(region_shape) - len(value_shape)
    for i, size in enumerate(value_shape):
        target = region_shape[lead + i]
        if size != target and size != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({target}) must match the existing size ({size}) "
                f"at non-singleton dimension {lead + i}.  Target sizes: {list(region_shape)}.  "
                f"Tensor sizes: {list(value_shape)}")


# ------------------------------------------------------------ fill and friends


def fill_(target, value):
    """Set every element to ``value`` (in place); returns the tensor."""
    check_can_modify(target)
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.dim()} dimensions.")
        value = value.item()
    # Checked and converted as PyTorch does (-1 wraps into uint8, 300 does not fit).
    target._data[...] = _dt.fill_scalar(value, target.dtype, "fill_")
    target._bump_version()
    return target


def zero_(target):
    return fill_(target, 0)


def copy_(target, source):
    """Copy ``source``'s values into ``target`` (broadcast, cast to target's dtype)."""
    check_can_modify(target)
    if not isinstance(source, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(source).__name__}")
    _check_broadcast_into(source.shape, target.shape)
    from ..backend import move
    target._data[...] = move(source._data, target._device)
    target._bump_version()
    return target
