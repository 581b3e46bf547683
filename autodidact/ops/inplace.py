"""In-place ops (``add_``, ``+=``, ``x[i] = v``, ``fill_``...) and ``out=``.

An in-place op is the out-of-place op followed by a write into the
target's storage, after the checks PyTorch also makes, so that a refused
op leaves the target exactly as it was (its bytes and its version):

1. autograd allows it: never on a leaf that requires grad, nor on a view
   of one (its ``.grad`` would describe values that no longer exist),
   unless under ``no_grad``;
2. the result has the target's shape: the other operand may broadcast
   into the target, the target may not grow;
3. the result's dtype can be cast to the target's (float into an int
   tensor is refused: PyTorch's "same kind" rule);
4. no two elements of the target share memory (an ``expand``-ed tensor),
   and no input partly overlaps it (``y[1:].add_(y[:-1])``).

The write bumps the version counter, which is how backward notices that
a value it saved has been overwritten since.

Inside a graph the target takes over the result's history: after
``y.add_(1)`` on a non-leaf ``y``, ``y.grad_fn`` is ``AddBackward0``. A
write through a view (``y[0] = 5``, ``y[1:].mul_(2)``) becomes a
``CopySlices`` node on the view's base, which sends the gradient of the
written region to the new values and the rest to the old base, as in
PyTorch; every other view of that base is then re-pointed at the new base
(``AsStridedBackward0``), so its gradient stays right. The pieces of
``split``/``unbind``/``chunk`` (and views of them) are different: one node
made them all, so PyTorch refuses to change them in place inside a graph,
and refuses to differentiate through a piece once its memory changed
through another tensor; autodidact does both (``pieces.py``).

Where autodidact saves less than PyTorch. Backward checks the version of
every tensor a rule saved, so it raises exactly where a saved value was
overwritten. Some rules save something smaller than PyTorch's (a mask, a
sign, weights for ties, an index, their output instead of their input),
so a graph that PyTorch refuses at backward is differentiated here, with
the right gradient, because what the rule needs was never overwritten:

    relu(x), then the output changed     saves the mask x > 0, not the output
    abs(x), then x changed                saves sign(x)
    clamp / clamp_min(x), then x changed  saves the mask of x within the bounds
    maximum / minimum(x, y), then x or y  saves which side won (ties shared)
    max / min / amax(x), then x or out    saves the weights of the extrema
    gather(x, dim, index), then x         saves x's shape and the index
    masked_select(x, mask), then x        saves the mask
    2 ** x, then x changed                saves the output only
    x ** y (y constant), then the output  saves the output only for y's gradient

These are kept on purpose (each is checked against PyTorch's gradient in
tests/test_small_differences.py). The other way round, a rule never saves
what its backward does not need (``x / 3`` and ``x % 3`` keep no x), so
autodidact does not refuse a graph that PyTorch differentiates.
"""

import warnings
import weakref

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..function import _SAVED_OUTPUT, Function, _op_name
from ..tensor import Tensor
from .elementwise import _dt_name, cast
from .index import AsStrided, is_basic, normalize_key, split_mixed
from .pieces import invalidate, invalidate_pieces, refuse_write, written_view
from .shape import _is_dense, broadcast_shapes, copy_like, data_ptr, element_strides

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."
_NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
_INTERNAL_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation.")
_PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
    "a single memory location. Please clone() the tensor before performing the operation.")


# ------------------------------------------------------------ the rules


class CopySlices(Function):
    """``a[key] = value`` as a function: a copy of ``a`` with ``value`` written at ``key``.

    Backward: the written places get their gradient from ``value``, the
    others from ``a``.
    """

    node_name = "CopySlices"

    def forward(ctx, a, value, key):
        ctx.key = key
        ctx.value_shape = getattr(value, "shape", None)
        out = copy_like(a)
        out[key] = value
        return out

    derivative = "a[key] = value: the written places receive grad into value, the rest into a"
    def backward(ctx, grad):
        need_a, need_value = ctx.needs_input_grad[:2]
        grad_a = grad_value = None
        if need_a:
            keep = module_of(grad._data).ones(grad.shape, dtype=grad._data.dtype)
            keep[ctx.key] = 0
            grad_a = grad * Tensor._wrap(keep, grad.device)
        if need_value:
            grad_value = grad[ctx.key]
            if ctx.value_shape is not None and tuple(grad_value.shape) != tuple(ctx.value_shape):
                grad_value = grad_value.sum_to_size(ctx.value_shape)
        return grad_a, grad_value


class Fill(Function):
    """Every element set to one value: the old values get no gradient."""

    def forward(ctx, a, value):
        out = module_of(a).empty_like(a)
        out[...] = value
        return out

    derivative = "filling replaces a's values, so a receives zeros and value receives grad summed"
    def backward(ctx, grad):
        need_a, need_value = ctx.needs_input_grad[:2]
        return (grad * 0 if need_a else None), (grad.sum() if need_value else None)


class Zero(Fill):
    pass


class Uniform(Fill):
    pass


class Normal(Fill):
    pass


class Copy(Function):
    """``a.copy_(src)``: src broadcast into a's shape and cast to its dtype."""

    node_name = "CopyBackwards"

    def forward(ctx, a, src):
        ctx.src_dtype = _dt._BY_NUMPY[src.dtype]
        out = module_of(a).empty_like(a)
        out[...] = src
        return out

    derivative = "copy_ replaces a's values with src, so a receives zeros and src receives grad"
    def backward(ctx, grad):
        need_a, need_src = ctx.needs_input_grad[:2]
        grad_src = None
        if need_src:
            grad_src = grad if grad.dtype is ctx.src_dtype else cast(grad, ctx.src_dtype)
        return (grad * 0 if need_a else None), grad_src


# ------------------------------------------------------------ checks


def check_can_modify(target, values=()):
    """Raise PyTorch's error when autograd forbids changing ``target`` in place.

    ``values``: the op's other operands; one that requires grad makes the
    write part of the graph even when ``target`` is not.
    """
    if not graph._grad_mode.enabled:
        return
    flags = target.__dict__
    if ("_no_grad_view" in flags or "_multi_output_view" in flags) and _in_graph(target, values):
        if "_no_grad_view" in flags:
            raise RuntimeError(_NO_GRAD_VIEW)
        refuse_write(target)
    if target.grad_fn is None and target._requires_grad:
        raise RuntimeError(_LEAF + " Wrap the update in `with autodidact.no_grad():` or change "
                           "`.data` if you mean to update a weight by hand.")
    base = target._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF + " Wrap it in `with autodidact.no_grad():`.")


def _in_graph(target, values):
    """Would this in-place write be recorded: does the target, its base or a value require grad?"""
    base = target._base
    return target._requires_grad or (base is not None and base._requires_grad) or any(
        isinstance(v, Tensor) and v._requires_grad for v in values)


def _check_fits(result, target):
    if tuple(result.shape) != tuple(target.shape):
        raise RuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}")
    _check_castable(result.dtype, target.dtype)


def _check_castable(result_dtype, target_dtype):
    if not _dt.can_cast(result_dtype, target_dtype):
        raise RuntimeError(
            f"result type {_dt_name(result_dtype)} can't be cast to the desired output type "
            f"{_dt_name(target_dtype)}")


def has_internal_overlap(array):
    """True when two places of the array are one element in memory (stride 0, as after expand)."""
    return array.size > 1 and any(
        step == 0 and size > 1 for step, size in zip(array.strides, array.shape))


_NO, _FULL, _PARTIAL = 0, 1, 2


def overlap(a, b):
    """How the memory of two arrays overlaps, as PyTorch judges it.

    Only arrays without gaps can be judged; others count as not
    overlapping (PyTorch calls them "too hard" and lets them through).
    """
    if a.size == 0 or b.size == 0:
        return _NO
    if not (_is_dense(a.shape, element_strides(a)) and _is_dense(b.shape, element_strides(b))):
        return _NO
    a_begin, b_begin = data_ptr(a), data_ptr(b)
    a_end, b_end = a_begin + a.nbytes, b_begin + b.nbytes
    if a_begin == b_begin and a_end == b_end:
        # The same elements in the same order (axes of size 1 step nowhere: x[None] is x)
        same = [(n, s) for n, s in zip(a.shape, a.strides) if n != 1] == [
            (n, s) for n, s in zip(b.shape, b.strides) if n != 1]
        return _FULL if same else _PARTIAL
    return _PARTIAL if a_begin < b_end and b_begin < a_end else _NO


def check_overlap(written, inputs, full_too=False, internal=True):
    """PyTorch's errors for writing into memory that is read at the same time.

    ``full_too``: an input that is exactly the target counts as well (for
    ``x[index] = x``); ``internal``: the target may not have two places in
    one memory location (``expand``-ed).
    """
    if internal and has_internal_overlap(written):
        raise RuntimeError(_INTERNAL_OVERLAP)
    for x in inputs:
        if isinstance(x, Tensor):
            status = overlap(written, x._data)
            if status == _PARTIAL or (full_too and status == _FULL):
                raise RuntimeError(_PARTIAL_OVERLAP)


# ------------------------------------------------------------ writing


def _snapshot(target):
    """A copy of ``target``'s value that keeps its place in the graph.

    What an op saves for backward must not change when the target is
    overwritten, so in-place ops compute from this copy.
    """
    copy = Tensor._wrap(copy_like(target._data), target._device)
    copy.grad_fn, copy._requires_grad = target.grad_fn, target._requires_grad
    if target._output_nr:
        copy._output_nr = target._output_nr
    if target.grad_fn is None and target._requires_grad:
        copy._accumulator = weakref.ref(target._grad_accumulator())   # gradients reach the leaf
    return copy


def _take_history(target, result):
    """``target`` now holds ``result``'s value, so its gradient flows through result's node."""
    target.grad_fn = result.grad_fn
    target._requires_grad = result._requires_grad
    if target._output_nr != result._output_nr:
        target._output_nr = result._output_nr
    if result.grad_fn is not None:
        result.grad_fn._output_ref = weakref.ref(target)


def root_key(root, view):
    """For each element of ``view``, its index in ``root`` (whose storage it shares).

    Found from memory addresses: the offset of every element of both,
    matched by sorting. Works for every view, however it was made.
    """
    r, v = root._data, view._data
    if r.ndim == 0:
        return (None,) * v.ndim   # a 0-d root: its one element, seen with the view's axes of 1
    item = r.itemsize
    r_offsets = _offsets(r.shape, element_strides(r)).ravel()
    v_offsets = _offsets(v.shape, element_strides(v)) + (data_ptr(v) - data_ptr(r)) // item
    if r.flags.c_contiguous:
        positions = v_offsets
    else:
        order = np.argsort(r_offsets, kind="stable")
        positions = order[np.searchsorted(r_offsets[order], v_offsets)]
    key = np.unravel_index(positions, r.shape) if r.ndim else ()
    xp = module_of(r)
    return tuple(xp.asarray(k) for k in key)


def _offsets(shape, strides):
    """The memory offset (in elements) of every place of an array of this layout."""
    offsets = np.zeros(shape, dtype=np.int64)
    for axis, (size, step) in enumerate(zip(shape, strides)):
        line = np.arange(size, dtype=np.int64) * step
        offsets += line.reshape((size,) + (1,) * (len(shape) - axis - 1))
    return offsets


def _refresh_views(root):
    """Re-point every live view of ``root`` at its new value in the graph.

    Pieces of split/unbind are not re-pointed but invalidated, as PyTorch
    does (see ``pieces.py``).
    """
    views = root.__dict__.get("_views")
    if not views:
        return
    for view in list(views):
        if view.__dict__.get("_multi_output_view"):
            invalidate(view)
            continue
        holder = AsStrided.apply(root, key=root_key(root, view))
        _take_history(view, holder)


def commit(target, result):
    """Write ``result`` into ``target``'s storage and take over its history; returns target.

    ``result`` must have the target's shape and a dtype castable to the
    target's; nothing is written otherwise.
    """
    _check_fits(result, target)
    if result.dtype is not target.dtype:
        result = cast(result, target.dtype) if result._requires_grad else Tensor._wrap(
            result._data.astype(target._data.dtype), result._device)
    recording = graph._grad_mode.enabled and (result._requires_grad or target._requires_grad)
    root = target._base
    if recording and root is not None:
        if root._data.dtype != target._data.dtype:
            raise RuntimeError(
                "in-place operations on a view(dtype) of a tensor are not supported by "
                "autodidact's autograd; use the out-of-place form (y = y + 1) instead")
        if has_internal_overlap(target._data):
            raise RuntimeError(_INTERNAL_OVERLAP)
        # Through a view: the base gets a CopySlices node that writes the
        # view's new values at the view's places.
        new_root = CopySlices.apply(_snapshot(root), result, key=root_key(root, target))
        target._data[...] = result._data
        _take_history(root, new_root)
    else:
        target._data[...] = result._data
        if recording:
            _take_history(target, result)
    target._bump_version()
    if recording:
        _watch_saved_output(result, target)
        _refresh_views(target if root is None else root)
    else:
        invalidate_pieces(target)
    return target


def _watch_saved_output(result, target):
    """If the op saved its output for backward, that output is now ``target``: watch its version.

    So ``y.sigmoid_().mul_(2)`` fails at backward as in PyTorch: sigmoid's
    backward needs the value that mul_ then overwrote.
    """
    node = result.grad_fn
    saved = getattr(node, "_saved", None)
    if not saved:
        return
    node._saved = tuple(
        (kind, value, target._vc, target._vc.value)
        if kind == _SAVED_OUTPUT and counter is result._vc else (kind, value, counter, version)
        for kind, value, counter, version in saved)


def _recording(target, args, kwargs):
    if not graph._grad_mode.enabled:
        return False
    if target._requires_grad:
        return True
    return any(isinstance(x, Tensor) and x._requires_grad
               for x in (*args, *kwargs.values()))


def apply_inplace(target, op, *args, **kwargs):
    """Run ``op(target, *args)`` out of place, then commit it into ``target``.

    When a graph is being recorded, the op works on a private copy of the
    target's old value, so what the op saves for backward is not
    overwritten by the commit.
    """
    check_can_modify(target, (*args, *kwargs.values()))
    check_overlap(target._data, (*args, *kwargs.values()))
    source = _snapshot(target) if _recording(target, args, kwargs) else target
    result = op(source, *args, **kwargs)
    if not isinstance(result, Tensor):
        raise TypeError(f"{getattr(op, '__name__', 'op')}_ did not produce a tensor")
    return commit(target, result)


def write_out(result, out, name):
    """Write an op's result into ``out=`` (resized with PyTorch's warning if needed); returns out."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if graph._grad_mode.enabled and (result._requires_grad or out._requires_grad):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad.")
    _check_castable(result.dtype, out.dtype)
    if result._device != out._device:
        raise RuntimeError(
            f"Expected out tensor to have device {result._device}, but got {out._device} instead")
    shape = tuple(result.shape)
    if tuple(out.shape) != shape:
        if out.numel() != 0:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out.shape)}, which does not match the required output shape "
                f"{list(shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                "t.resize_(0).", UserWarning, stacklevel=3)
        _resize(out, shape)
    elif has_internal_overlap(out._data):
        raise RuntimeError(_INTERNAL_OVERLAP)
    out._data[...] = result._data
    out._bump_version()
    invalidate_pieces(out)
    return out


def _resize(out, shape):
    """PyTorch's ``resize_``: keep the storage when it is big enough, else take a new one."""
    xp = module_of(out._data)
    numel = 1
    for s in shape:
        numel *= s
    root = out._base if out._base is not None else out
    storage = root._data
    if storage.flags.c_contiguous and storage.ndim and out._data.size:
        offset = (data_ptr(out._data) - data_ptr(storage)) // storage.itemsize
        if 0 <= offset and offset + numel <= storage.size and storage.dtype == out._data.dtype:
            out._data = storage.reshape(-1)[offset:offset + numel].reshape(shape)
            return
    out._data = xp.empty(shape, dtype=out._data.dtype)
    if out._base is not None:
        out._base = None   # new memory: no longer a view of its old base


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
        check_overlap(region, (value,))
    else:
        check_overlap(array, (value,), full_too=True, internal=False)
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
    check_overlap(target._data, (source,))
    recording = graph._grad_mode.enabled and (target._requires_grad or source._requires_grad)
    if not recording:
        from ..backend import move
        target._data[...] = move(source._data, target._device)
        target._bump_version()
        invalidate_pieces(target)
        return target
    if source._device != target._device:
        from .elementwise import move_to
        source = move_to(source, target._device)
    return commit(target, Copy.apply(target, source))
