"""Picking and placing along a dimension by index, and by mask.

    op            forward                              backward (grad = dL/d(out))
    gather        out[i][j] = a[i][index[i][j]]        grad scatter-added back to a
    scatter_add   out = a; out[i][index[i][j]] += s    grad to a; grad gathered to s
    scatter       out = a; out[i][index[i][j]]  = s    grad to a except where written;
                                                       grad gathered to s
    masked_fill   a, with value where mask             grad where not mask, else 0
    masked_select a[mask] (1-D)                        grad put back at the mask

(written for dim=1; any dim works). gather and scatter_add are each
other's backward: what gather reads, scatter_add writes back.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of, scatter_add as _add_at
from ..function import Function
from ..tensor import Tensor, normalize_dim
from .layout import row_major   # gather's result is row-major, as in PyTorch

# ----------------------------------------------------------------- the rules


class Gather(Function):
    derivative = ("each out element is one element of a, so a receives grad added at the "
                  "positions index points to (repeats add up)")

    def forward(ctx, a, index, dim):
        # The index is data, never differentiated: kept on the node as an array.
        ctx.dim, ctx.input_shape, ctx.index = dim, a.shape, index
        return row_major(a[_positions(module_of(a), index, dim)])

    def backward(ctx, grad):
        return ScatterAdd.apply(grad.new_zeros(ctx.input_shape), grad, index=ctx.index,
                                dim=ctx.dim)


class ScatterAdd(Function):
    derivative = ("out = a + (s added at index), so a receives grad unchanged and s "
                  "receives grad gathered at index")

    def forward(ctx, a, src, index, dim):
        ctx.dim, ctx.index = dim, index
        out = a.copy()
        _add_at(out, _positions(module_of(a), index, dim), _crop(src, index.shape))
        return out

    def backward(ctx, grad):
        need_a, need_src = ctx.needs_input_grad
        grad_src = _gather_back(grad, ctx, ctx._input_shapes[1]) if need_src else None
        return (grad if need_a else None), grad_src


class Scatter(Function):
    derivative = ("out = a with s written at index, so a receives grad except where s was "
                  "written (0 there) and s receives grad gathered at index")

    def forward(ctx, a, src, index, dim):
        ctx.dim, ctx.index = dim, index
        out = a.copy()
        out[_positions(module_of(a), index, dim)] = _crop(src, index.shape)
        return out

    def backward(ctx, grad):
        need_a, need_src = ctx.needs_input_grad
        grad_a = ScatterValue.apply(grad, index=ctx.index, dim=ctx.dim, value=0.0) \
            if need_a else None
        grad_src = _gather_back(grad, ctx, ctx._input_shapes[1]) if need_src else None
        return grad_a, grad_src


class ScatterValue(Function):
    """scatter with a number: nothing flows to the number."""

    node_name = "ScatterBackward1"
    derivative = "out = a with a number written at index, so a receives grad except there"

    def forward(ctx, a, index, dim, value):
        ctx.dim, ctx.index = dim, index
        out = a.copy()
        out[_positions(module_of(a), index, dim)] = value
        return out

    def backward(ctx, grad):
        return ScatterValue.apply(grad, index=ctx.index, dim=ctx.dim, value=0.0)


class MaskedFill(Function):
    node_name = "MaskedFillBackward0"
    derivative = "out is a where mask is false and a constant elsewhere, so a receives grad where mask is false, 0 elsewhere"

    def forward(ctx, a, mask, value):
        xp = module_of(a)
        ctx.mask = mask   # data, never differentiated
        # Row-major whatever a's layout, as PyTorch's masked_fill (a contiguous clone, filled).
        return row_major(xp.where(mask, xp.asarray(value, dtype=a.dtype), a))

    def backward(ctx, grad):
        return MaskedFill.apply(grad, mask=ctx.mask, value=0)


class MaskedFillTensor(Function):
    """masked_fill with a 0-d tensor value, which receives the gradient of what it filled."""

    node_name = "MaskedFillBackward1"
    derivative = ("out is a where mask is false and value elsewhere, so a receives grad where "
                  "mask is false and value the sum of grad where it is true")

    def forward(ctx, a, value, mask):
        ctx.mask = mask
        return row_major(module_of(a).where(mask, value.astype(a.dtype), a))

    def backward(ctx, grad):
        from .arithmetic import where
        mask = Tensor._wrap(ctx.mask, grad._device)
        return where(mask, 0.0, grad), where(mask, grad, 0.0).sum()


class MaskedSelect(Function):
    derivative = "each out element is one element of a, so a receives grad at the mask, 0 elsewhere"

    def forward(ctx, a, mask):
        xp = module_of(a)
        shape = np.broadcast_shapes(a.shape, mask.shape)
        mask = xp.broadcast_to(mask, shape)
        ctx.mask = mask
        return xp.broadcast_to(a, shape)[mask]

    def backward(ctx, grad):
        placed = grad.new_zeros(ctx.mask.shape)
        placed[Tensor._wrap(ctx.mask, grad._device)] = grad   # the engine sums it to a's shape
        return placed


# ------------------------------------------------------------ helpers


def _positions(xp, index, dim):
    """The index tuple that reads a[..., index[i, j], ...] for every position of ``index``.

    Along ``dim`` the positions come from ``index``; along every other axis
    they are that axis's own coordinate (an open grid, broadcast).
    """
    grid = []
    for axis, size in enumerate(index.shape):
        if axis == dim:
            grid.append(index)
        else:
            shape = [1] * index.ndim
            shape[axis] = size
            grid.append(xp.arange(size).reshape(shape))
    return tuple(grid)


def _crop(src, shape):
    """The corner of ``src`` that ``index`` covers (src may be larger)."""
    if not hasattr(src, "shape") or src.shape == tuple(shape):
        return src
    return src[tuple(slice(0, s) for s in shape)]


def _gather_back(grad, ctx, src_shape):
    """src's gradient: grad read at the index, zero-padded where src is larger than index."""
    picked = Gather.apply(grad, index=ctx.index, dim=ctx.dim)
    if tuple(picked.shape) == tuple(src_shape):
        return picked
    full = picked.new_zeros(src_shape)
    full[tuple(slice(0, s) for s in picked.shape)] = picked
    return full


def _same_device(input, other):
    """An index or mask on another device than the data: PyTorch's error, not NumPy's."""
    if isinstance(other, Tensor) and other.device != input.device:
        from ..function import _raise_device_mismatch
        _raise_device_mismatch(input.device, other.device)


def _check_index(name, input, dim, index, src=None):
    """PyTorch's checks: an int64 index with input's number of dims, no larger than input."""
    if not isinstance(index, Tensor) or index.dtype is not _dt.int64:
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index" if name == "gather"
                           else f"{name}(): Expected dtype int64 for index")
    _same_device(input, index)
    axis = normalize_dim(dim, input.dim())
    if index.dim() != input.dim() and not (index.dim() <= 1 and input.dim() <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    for d in range(index.dim()):
        if d != axis and input.dim() and index.shape[d] > input.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be "
                f"{'no larger' if name == 'gather' else 'smaller'} than self "
                f"{list(input.shape)} apart from dimension {axis}")
    if src is not None:
        for d in range(index.dim()):
            if index.shape[d] > src.shape[d]:
                raise RuntimeError(
                    f"Size does not match at dimension {d} expected index {list(index.shape)} "
                    f"to be no larger than src {list(src.shape)}")
    data = index._data
    size = input.shape[axis] if input.dim() else 1
    if data.size and (int(data.min()) < 0 or int(data.max()) >= size):
        bad = int(data.max()) if int(data.max()) >= size else int(data.min())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    return axis


# ------------------------------------------------------- public functions


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Pick along ``dim`` by ``index``: ``out[i][j] = input[i][index[i][j]]`` for dim=1.

        >>> autodidact.tensor([[1, 2], [3, 4]]).gather(1, autodidact.tensor([[1], [0]]))
        tensor([[2],
                [3]])
    """
    from .dispatch import _finish
    if isinstance(index, Tensor) and index.dtype is _dt.int32:
        index = index.long()
    axis = _check_index("gather", input, dim, index)
    if input.dim() == 0 or index.dim() == 0:
        # A 0-d input or index is one element of a vector (PyTorch allows dim 0 there).
        flat = Gather.apply(input.reshape(-1), index=index._data.reshape(-1), dim=0)
        return _finish(flat.reshape(index.shape), out, "gather")
    return _finish(Gather.apply(input, index=index._data, dim=axis), out, "gather")


def scatter(input, dim, index, src=None, *, value=None, reduce=None, out=None):
    """Write ``src`` (a tensor or a number) into a copy of ``input`` at ``index`` along ``dim``.

    Where ``index`` repeats a position, which write wins is unspecified (as
    in PyTorch); use ``scatter_add`` to add them up.
    """
    from .dispatch import _finish
    if reduce is not None:
        raise NotImplementedError("scatter(reduce=...) is not supported by autodidact; use "
                                  "scatter_add, or scatter_reduce in PyTorch")
    if src is None:
        src = value
    axis = _check_index("scatter", input, dim, index,
                        src if isinstance(src, Tensor) else None)
    if isinstance(src, Tensor):
        _same_dtype("scatter", input, src)
        result = Scatter.apply(input, src, index=index._data, dim=axis)
    else:
        result = ScatterValue.apply(input, index=index._data, dim=axis, value=src)
    return _finish(result, out, "scatter")


def scatter_add(input, dim, index, src, *, out=None):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim``; repeats add up."""
    from .dispatch import _finish
    axis = _check_index("scatter_add", input, dim, index, src)
    _same_dtype("scatter_add", input, src)
    return _finish(ScatterAdd.apply(input, src, index=index._data, dim=axis), out,
                   "scatter_add")


def _same_dtype(name, input, src):
    if input.dtype is not src.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` where ``mask`` (a bool tensor) is true."""
    if not isinstance(mask, Tensor) or mask.dtype is not _dt.bool:
        from .linalg import _C_TYPE
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_C_TYPE[mask.dtype.name] if isinstance(mask, Tensor) else type(mask).__name__}")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.dim()} dimension(s).")
    _same_device(input, mask)
    shape = np.broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    if tuple(shape) != tuple(input.shape):
        input = input.expand(shape)
    if isinstance(value, Tensor):
        return MaskedFillTensor.apply(input, value, mask=mask._data)
    return MaskedFill.apply(input, mask=mask._data, value=value)


def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where ``mask`` is true, as a 1-D tensor (they broadcast)."""
    from .dispatch import _finish
    if not isinstance(mask, Tensor) or mask.dtype is not _dt.bool:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    from .shape import broadcast_shapes
    _same_device(input, mask)
    broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    return _finish(MaskedSelect.apply(input, mask=mask._data), out, "masked_select")


def take_along_dim(input, indices, dim=None, *, out=None):
    """Pick by ``indices`` along ``dim`` (NumPy's take_along_axis); they broadcast.

    Without ``dim``, both are flattened first.
    """
    from .dispatch import _finish
    if dim is None:
        return _finish(gather(input.reshape(-1), 0, indices.reshape(-1)), out, "take_along_dim")
    if indices.dtype is not _dt.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{indices.dtype.name}".replace("torch.", "autodidact."))
    axis = normalize_dim(dim, input.dim())
    if input.dim() != indices.dim():
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    from .shape import broadcast_shapes
    in_shape, ix_shape = list(input.shape), list(indices.shape)
    in_shape[axis] = ix_shape[axis] = 1
    shape = list(broadcast_shapes(tuple(in_shape), tuple(ix_shape)))
    input = input.expand(shape[:axis] + [input.shape[axis]] + shape[axis + 1:])
    indices = indices.expand(shape[:axis] + [indices.shape[axis]] + shape[axis + 1:])
    return _finish(gather(input, axis, indices), out, "take_along_dim")


def one_hot(tensor, num_classes=-1):
    """Class indices to one-hot rows: ``one_hot(tensor([0, 2]), 3)`` is [[1, 0, 0], [0, 0, 1]].

    (``nn.functional.one_hot``.) The result is int64 with one more axis, of
    size ``num_classes`` (by default one more than the largest index).
    """
    if not isinstance(tensor, Tensor) or tensor.dtype is not _dt.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = tensor._data
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and int(data.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and int(data.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    rows = data[..., None] == module_of(data).arange(num_classes)
    return Tensor._wrap(rows.astype(np.int64), tensor.device)


__all__ = ["gather", "scatter", "scatter_add", "masked_fill", "masked_select", "take_along_dim"]
