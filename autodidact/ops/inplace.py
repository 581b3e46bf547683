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

This file holds the rules and the writing (``commit``, ``apply_inplace``,
``write_out``); ``x[key] = v``, ``fill_`` and ``copy_`` are in ``assign.py``,
and the checks every write makes first are in ``write_checks.py``.
"""

import warnings
import weakref

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..function import _SAVED_OUTPUT, Function, _op_name
from ..tensor import Tensor
from .promotion import cast
from .index import AsStrided
from .pieces import invalidate, invalidate_pieces
from .layout import copy_like, data_ptr, element_strides
from .masks import masked_grad, zero_gradient   # exact zeros, even for an inf or NaN grad
from .write_checks import (_INTERNAL_OVERLAP, _check_castable, _check_fits, check_can_modify,
                           check_overlap, has_internal_overlap)

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
            grad_a = masked_grad(grad, Tensor._wrap(keep, grad.device))   # 0 where written, even for NaN
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
        return (zero_gradient(grad) if need_a else None), (grad.sum() if need_value else None)


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
        return (zero_gradient(grad) if need_a else None), grad_src


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
        (kind, value, target._vc, target._vc.item())
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
