"""Assignments: ``x[key] = v``, ``fill_``, ``zero_``, ``copy_``.

These write *given* values into a tensor (where ``add_`` and friends write
an op's result): the value is converted to the target's dtype (a Python
number checked against the dtype's range, as PyTorch does), broadcast into
the indexed region, and written by ``inplace.commit``, which keeps the
graph and the version counters right::

    x[0] = 5          # setitem: CopySlices in a graph, as in PyTorch
    x.fill_(0.5)      # a 0-d tensor value is differentiable too
"""

import warnings

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..tensor import Tensor
from .promotion import _dt_name, cast
from .index import is_basic, normalize_key, split_mixed
from .inplace import Copy, CopySlices, Fill, Normal, Uniform, Zero, _snapshot, commit
from .pieces import invalidate_pieces, written_view
from .layout import element_strides
from .shape import broadcast_shapes
from .write_checks import (_VIEW_OF_LEAF, check_can_modify, check_overlap, has_internal_overlap,
                           same_view)

# ------------------------------------------------------------ __setitem__


def setitem(target, key, value):
    """``target[key] = value``: the value is cast to target's dtype and broadcast into place.

    Where an index repeats (``y[[0, 0]] = v``), the last write wins, as
    PyTorch does on the CPU (use ``index_put_(..., accumulate=True)`` there
    to add instead).
    """
    parts = normalize_key(target, key)
    if graph._grad_mode.enabled and target.grad_fn is None and target._requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF + " Wrap it in `with autodidact.no_grad():`.")
    check_can_modify(written_view(target, parts), (value,))
    mixed = split_mixed(parts)
    if mixed is not None:   # ints first, then the index arrays, as PyTorch does
        return setitem(target[mixed[0]], mixed[1], value)
    basic = is_basic(parts)
    array = target._data
    if basic:
        region = array[parts + (Ellipsis,)] if Ellipsis not in parts else array[parts]
        region_shape = region.shape
    else:
        region = None
        # The shape the key selects, without copying the data to find it.
        probe = np.lib.stride_tricks.as_strided(np.zeros(1, dtype=bool), array.shape,
                                                (0,) * array.ndim)
        region_shape = probe[tuple(_host(p) for p in parts)].shape
    if not basic:
        _check_index_put_dtype(parts, value, target)
    value = _value_for(value, target)
    if isinstance(value, Tensor):
        _check_broadcast_into(value.shape, region_shape, basic, value.type())
    if basic:
        written, read = _copy_operands(region, value)
        if not same_view(written, read):   # PyTorch's copy_ returns at once for that
            check_overlap(written, (read,))
    elif not _fills_through_mask(parts, value):
        check_overlap(_sliced_view(array, parts), (value,), full_too=True, internal=False)
    if isinstance(value, Tensor) and value.dim() > len(region_shape):
        # Its extra leading axes are 1s (checked above): PyTorch drops them.
        value = value.reshape(value.shape[value.dim() - len(region_shape):])
    recording = graph._grad_mode.enabled and (
        target._requires_grad or (isinstance(value, Tensor) and value._requires_grad))
    if not basic and has_internal_overlap(array):
        warnings.warn(
            "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor "
            "before performing this operation. This also applies to advanced indexing e.g. "
            "tensor[indices] = tensor", UserWarning, stacklevel=2)
    if not recording:
        raw = value._data if isinstance(value, Tensor) else value
        with np.errstate(over="ignore"):   # float16 takes inf for too large a number, as in PyTorch
            if basic:
                region[...] = raw
            else:
                array[parts] = raw
        target._bump_version()
        invalidate_pieces(target)
        return
    result = CopySlices.apply(_snapshot(target), value, key=parts)
    commit(target, result)


def _sliced_view(array, parts):
    """What PyTorch's ``x[key] = v`` checks ``v`` against when ``key`` holds index arrays.

    PyTorch applies the slices (and Nones) of the key first, then writes
    through the index arrays into that view; so the view, not all of x,
    must not share memory with ``v`` (``x[[0], 2:] = x[0, :2]`` is allowed,
    and nothing overlaps an empty view).
    """
    key = []
    for part in parts:
        if hasattr(part, "dtype"):   # an index array: its axes are kept whole
            if part.ndim == 0:       # a 0-d mask (x[True]) adds an axis, as None does
                key.append(None)
            else:
                key += [slice(None)] * (part.ndim if part.dtype == bool else 1)
        else:
            key.append(part)
    return array[tuple(key)]


def _fills_through_mask(parts, value):
    """True for ``x[mask] = v`` with one boolean mask and a one-element ``v``.

    PyTorch writes it as ``masked_fill``: ``v`` is read once, as a number,
    before anything is written, so it may be part of ``x`` (no overlap
    check; ``x[tensor([False])] = x`` for x of one element is allowed).
    """
    arrays = [p for p in parts if hasattr(p, "dtype")]
    return (isinstance(value, Tensor) and value.numel() == 1 and len(arrays) == 1
            and arrays[0].dtype == bool and arrays[0].ndim > 0)


def _copy_operands(region, value):
    """The written region and what is read from ``value``, as PyTorch's ``x[key] = value`` sees
    them when it checks their memory for overlap (``None`` to read: nothing is).

    A 0-d value is a fill, which reads no memory while writing. Otherwise
    leading 1s of the value are dropped and the rest expanded to the
    region's shape, and each axis ``None`` inserted in the region takes the
    stride PyTorch gives it (NumPy gives it 0). So
    ``x[None] = x`` reads each element where it writes it (allowed), while
    ``x[-1] = x`` of shape (1, 1) reads one element through a stride of 0 (refused).
    """
    if not isinstance(value, Tensor) or value.dim() == 0:
        return region, None
    from .shape_functions import expand_strides
    array = value._data
    as_strided = module_of(array).lib.stride_tricks.as_strided
    written = list(element_strides(region))
    for axis in reversed(range(region.ndim)):
        if region.shape[axis] == 1 and written[axis] == 0:   # an axis None inserted
            written[axis] = written[axis + 1] * region.shape[axis + 1] if axis + 1 < region.ndim else 1
    written = as_strided(region, region.shape, tuple(s * region.itemsize for s in written))
    if array.shape == region.shape:
        return written, array   # copied as it is
    first = next((i for i, n in enumerate(array.shape) if n != 1), array.ndim)
    shape, strides = array.shape[first:], element_strides(array)[first:]
    if len(shape) > region.ndim:
        return region, value   # the shapes do not fit: an error follows
    steps = expand_strides(shape, strides, region.shape)
    return written, as_strided(array, region.shape, tuple(s * array.itemsize for s in steps))


def _check_index_put_dtype(parts, value, target):
    """PyTorch's index_put_ copies no tensor of another dtype: ``x[[0, 2]] = y.double()`` raises.

    Its one exception is a fill: a one-element value written through one
    bool mask (``x[x > 0] = tensor(1.)``) is cast, as ``masked_fill_`` casts.
    A Python number or list is always converted; so is any value under
    basic indexing (``x[0:2] = y.double()``), which is a ``copy_``.
    """
    if not isinstance(value, Tensor) or value.dtype is target.dtype:
        return
    arrays = [p for p in parts if hasattr(p, "dtype") and not (p.ndim == 0 and p.dtype == bool)]
    if not arrays:   # x[True] = v: a bool key is basic indexing in PyTorch
        return
    if value.numel() == 1 and len(arrays) == 1 and arrays[0].dtype in (np.bool_, np.uint8):
        scalar_for(value.item(), target.dtype, setitem=True)   # a fill: nan into int64 raises
        return
    raise RuntimeError(
        f"Index put requires the source and destination dtypes match, got "
        f"{_dt_name(target.dtype)} for the destination and {_dt_name(value.dtype)} for the "
        "source.")


def _host(part):
    if hasattr(part, "get") and not isinstance(part, np.ndarray):
        return part.get()
    return part


_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double"}


def _overflow(dtype):
    return RuntimeError(
        f"value cannot be converted to type {_C_NAMES[dtype.name]} without overflow")


def scalar_for(value, dtype, setitem=False):
    """A Python number converted for a tensor of ``dtype``, with PyTorch's overflow check.

    Integers wrap only where PyTorch lets them (``-1`` into ``uint8`` is 255);
    a value out of range raises. (Index assignment differs a little in
    PyTorch: float16 takes 1e10 as inf, and an int beyond int64 fails
    earlier, in Python's conversion: ``setitem=True``.)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if setitem and isinstance(value, int) and not isinstance(value, bool) \
            and not -2 ** 63 <= value < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    check_half = not setitem
    if dtype is _dt.bool:
        return bool(value)
    if isinstance(value, bool):
        value = int(value)
    overflow = False
    if dtype.is_floating_point:
        checked = dtype is _dt.float32 or (dtype is _dt.float16 and check_half)
        if checked and not (isinstance(value, float) and not np.isfinite(value)):
            overflow = abs(value) > float(np.finfo(dtype.numpy).max)
        if overflow:
            raise _overflow(dtype)
        return value
    info = np.iinfo(dtype.numpy)
    low = -int(info.max) if info.min == 0 else int(info.min)   # unsigned: negatives wrap
    if isinstance(value, float):   # only Python ints wrap: -1.5 into uint8 is an overflow
        overflow = not np.isfinite(value) or not int(info.min) <= value <= int(info.max)
    else:
        overflow = not low <= value <= int(info.max)
    if overflow:
        raise _overflow(dtype)
    return np.asarray(int(value), dtype=np.int64).astype(dtype.numpy)[()]   # a NumPy scalar: CuPy takes it too


def _value_for(value, target):
    """What may be assigned: a number, a tensor (cast to target's dtype) or a list of numbers."""
    if isinstance(value, Tensor):
        if value._device != target._device:
            from ..function import _raise_device_mismatch
            _raise_device_mismatch(target._device, value._device)
        if value.dtype is not target.dtype:
            value = cast(value, target.dtype) if value._requires_grad else Tensor._wrap(
                value._data.astype(target._data.dtype), value._device)
        return value
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return scalar_for(value, target.dtype, setitem=True)
    if isinstance(value, (list, tuple)):
        # A convenience PyTorch does not offer (it wants a tensor): x[0] = [1, 2, 3].
        from ..creation import tensor
        try:
            return tensor(value, dtype=target.dtype, device=target._device)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"can't assign a {type(value).__name__} to a {target.type()}: {exc}") from None
    name = type(value).__name__
    if type(value).__module__ not in ("builtins", None):
        name = f"{type(value).__module__.split('.')[0]}.{name}"
    raise TypeError(f"can't assign a {name} to a {target.type()}")


def _check_broadcast_into(value_shape, region_shape, basic=True, type_name="autodidact.Tensor"):
    value_shape, region_shape = tuple(value_shape), tuple(region_shape)
    stripped = value_shape
    while len(stripped) > len(region_shape) and stripped[0] == 1:
        stripped = stripped[1:]   # leading 1s are dropped, as PyTorch does
    if not basic:
        try:
            result = broadcast_shapes(region_shape, stripped)
        except RuntimeError:
            result = None
        if result != region_shape:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(value_shape)} cannot be broadcast "
                f"to indexing result of shape {list(region_shape)}")
        return
    if len(stripped) > len(region_shape):
        raise RuntimeError(
            f"expand({type_name}{{{list(value_shape)}}}, size={list(region_shape)}): "
            f"the number of sizes provided ({len(region_shape)}) must be greater or equal to the "
            f"number of dimensions in the tensor ({len(value_shape)})")
    lead = len(region_shape) - len(stripped)
    for i, size in enumerate(stripped):
        want = region_shape[lead + i]
        if size != want and size != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({size}) "
                f"at non-singleton dimension {lead + i}.  Target sizes: {list(region_shape)}.  "
                f"Tensor sizes: {list(stripped)}")


# ------------------------------------------------------------ fill and friends


def _write_constant(target, value, kind):
    """Set ``target`` to a constant (a number, a 0-d tensor or an array of its shape)."""
    recording = graph._grad_mode.enabled and (
        target._requires_grad or (isinstance(value, Tensor) and value._requires_grad))
    if not recording:
        target._data[...] = value._data if isinstance(value, Tensor) else value
        target._bump_version()
        invalidate_pieces(target)
        return target
    return commit(target, kind.apply(target, value))


def fill_(target, value):
    """Set every element to ``value`` (in place); returns the tensor."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.dim()} dimensions.")
    elif isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        value = scalar_for(value, target.dtype)
    else:
        raise TypeError(f"fill_(): argument 'value' must be a number or a 0-d Tensor, not "
                        f"{type(value).__name__}")
    check_can_modify(target, (value,))
    if isinstance(value, Tensor):
        if value._device != target._device:
            from ..backend import move
            value = Tensor._wrap(move(value._data, target._device), target._device)
        if value.dtype is not target.dtype:
            value = cast(value, target.dtype) if value._requires_grad else Tensor._wrap(
                value._data.astype(target._data.dtype), target._device)
    return _write_constant(target, value, Fill)


def zero_(target):
    """Set every element to 0 (in place); returns the tensor."""
    check_can_modify(target)
    return _write_constant(target, scalar_for(0, target.dtype), Zero)


def overwrite(target, array, kind="fill"):
    """Write an array of ``target``'s shape into it, as random fills do (``uniform_``)."""
    check_can_modify(target)
    return _write_constant(target, array, {"uniform": Uniform, "normal": Normal}.get(kind, Fill))


def copy_(target, source, non_blocking=False):
    """Copy ``source``'s values into ``target`` (broadcast, cast to target's dtype); returns target."""
    if not isinstance(source, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(source).__name__}")
    check_can_modify(target, (source,))
    shape = broadcast_shapes(tuple(target.shape), tuple(source.shape))
    if shape != tuple(target.shape):
        raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    if not same_view(target._data, source._data):   # PyTorch's copy_ returns at once for that
        check_overlap(target._data, (source,))
    recording = graph._grad_mode.enabled and (target._requires_grad or source._requires_grad)
    if not recording:
        from ..backend import move
        target._data[...] = move(source._data, target._device)
        target._bump_version()
        invalidate_pieces(target)
        return target
    if source._device != target._device:
        from .promotion import move_to
        source = move_to(source, target._device)
    return commit(target, Copy.apply(target, source))
