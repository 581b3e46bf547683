"""Indexing: ``x[key]`` and the gradient that flows back through it.

    op        forward            backward
    index     a[key]             zeros of a's shape with grad added at key
    scatter   zeros, add at key  grad[key]

Basic keys (ints, slices, None, ...) give a view; advanced keys (lists,
index tensors, boolean masks) give a copy, as in PyTorch. Backward *adds*
at the indexed places, so an index repeated twice receives the gradient
twice: ``x[[0, 0]].sum()`` has gradient 2 at ``x[0]``.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor


class Index(Function):
    def forward(ctx, a, key):
        ctx.input_shape, ctx.key = a.shape, key
        return a[key]

    def backward(ctx, grad):
        return IndexBackwardScatter.apply(grad, key=ctx.key, shape=ctx.input_shape)


class IndexBackwardScatter(Function):
    """Scatter-add ``g`` into zeros of ``shape`` at ``key`` (Index's backward)."""

    node_name = "IndexPutBackward0"

    def forward(ctx, g, key, shape):
        ctx.key = key
        out = module_of(g).zeros(shape, dtype=g.dtype)
        scatter_add(out, key, g)
        return out

    def backward(ctx, grad):
        return Index.apply(grad, key=ctx.key)


def scatter_add(out, key, values):
    """out[key] += values, adding (not overwriting) where key repeats an index."""
    if _is_basic(key):
        out[key] += values
    elif isinstance(out, np.ndarray):
        np.add.at(out, key, values)
    else:
        import cupyx
        cupyx.scatter_add(out, key, values)


def _is_basic(key):
    return all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in key)


_BAD_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
              "are valid indices (got {})")


def normalize_key(tensor, key):
    """Check an index expression and translate it for the array module.

    Returns a tuple key of ints, slices, None, Ellipsis and integer/bool
    arrays, having raised PyTorch's errors for what PyTorch refuses.
    """
    if not isinstance(key, tuple):
        key = (key,)
    parts = []
    for k in key:
        if isinstance(k, slice):
            if k.step is not None:
                step = int(k.step)
                if step == 0:
                    raise ValueError("slice step cannot be zero")
                if step < 0:
                    raise ValueError(
                        "step must be greater than zero (autodidact, like PyTorch, has no negative "
                        "strides; use x.flip(dim) to reverse)")
            parts.append(slice(_as_int(k.start), _as_int(k.stop), _as_int(k.step)))
        elif k is None or k is Ellipsis:
            parts.append(k)
        elif isinstance(k, bool):
            parts.append(np.asarray(k))
        elif isinstance(k, (int, np.integer)):
            parts.append(int(k))
        elif isinstance(k, Tensor):
            if k.dtype.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            parts.append(k._data if k.dtype is not _dt.uint8 else k._data.astype(bool))
        elif isinstance(k, (list, tuple, np.ndarray)):
            array = np.asarray(k)
            if array.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if array.dtype.kind not in "biu" and array.size:
                raise IndexError(_BAD_INDEX.format(type(k).__name__))
            if array.size == 0:
                array = array.astype(np.int64)
            parts.append(module_of(tensor._data).asarray(array))
        else:
            raise IndexError(_BAD_INDEX.format(type(k).__name__))
    _check_bounds(tensor, parts)
    return tuple(parts)


def _as_int(v):
    if v is None:
        return None
    if isinstance(v, Tensor):
        return int(v.item())
    return int(v)


def _check_bounds(tensor, parts):
    """PyTorch's messages for indices that do not fit the tensor."""
    shape = tensor.shape
    consumed = sum(1 if not hasattr(p, "dtype") or p.dtype != bool else p.ndim
                   for p in parts if p is not None and p is not Ellipsis)
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim = 0
    for p in parts:
        if p is Ellipsis:
            dim = len(shape) - sum(
                1 if not hasattr(q, "dtype") or q.dtype != bool else q.ndim
                for q in parts[parts.index(p) + 1:] if q is not None and q is not Ellipsis)
            continue
        if p is None:
            continue
        if isinstance(p, int):
            if not -shape[dim] <= p < shape[dim]:
                raise IndexError(f"index {p} is out of bounds for dimension {dim} with size {shape[dim]}")
            dim += 1
        elif hasattr(p, "dtype") and p.dtype == bool:
            for i, size in enumerate(p.shape):
                if size != shape[dim + i]:
                    raise IndexError(
                        f"The shape of the mask {list(p.shape)} at index {i} does not match the "
                        f"shape of the indexed tensor {list(shape)} at index {dim + i}")
            dim += p.ndim
        elif hasattr(p, "dtype"):
            if p.size and (int(p.max()) >= shape[dim] or int(p.min()) < -shape[dim]):
                bad = int(p.max()) if int(p.max()) >= shape[dim] else int(p.min())
                raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {shape[dim]}")
            dim += 1
        else:
            dim += 1


def getitem(tensor, key):
    """``tensor[key]``: a view for basic keys, a copy for advanced ones."""
    parts = normalize_key(tensor, key)
    out = Index.apply(tensor, key=parts)
    if _is_basic(parts):
        from .shape import _as_view
        _as_view(out, tensor)
    return out


def index_select(input, dim, index):
    from ..tensor import normalize_dim
    axis = normalize_dim(dim, input.dim())
    key = (slice(None),) * axis + (index,)
    return getitem(input, key)
