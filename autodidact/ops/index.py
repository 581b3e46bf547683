"""Indexing: ``x[key]`` and the gradient that flows back through it.

    op        forward            backward
    index     a[key]             zeros of a's shape with grad added at key
    scatter   zeros, add at key  grad[key]

Basic keys (ints, slices with a positive step, None, ``...``) give a
*view*: the result shares memory with ``x``, so writing into it writes
into ``x``. Advanced keys (lists, integer or boolean tensors, masks) give
a *copy*, as in PyTorch and NumPy. Backward *adds* at the indexed places,
so an index repeated twice receives the gradient twice: ``x[[0, 0]].sum()``
has gradient 2 at ``x[0]``.

    >>> x = autodidact.arange(6.).view(2, 3)
    >>> x[:, 1]                  # a view: x[:, 1].fill_(0) changes x
    tensor([1., 4.])
    >>> x[x > 3]                 # a copy
    tensor([4., 5.])
"""

import warnings

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor
from .strides import broadcast_shape, contiguous_strides, is_contiguous, iterator_strides, view_strides


class Index(Function):
    """Advanced indexing (lists, index tensors, masks): a copy (laid out with ``strides``)."""

    def forward(ctx, a, key, strides=None):
        ctx.input_shape, ctx.key = a.shape, key
        out = a[key]
        return out if strides is None else layout.relaid(out, strides)

    derivative = "indexing picks elements, so a receives grad at the picked places and 0 elsewhere"
    def backward(ctx, grad):
        return IndexBackwardScatter.apply(grad, key=ctx.key, shape=ctx.input_shape)


class Slice(Index):
    """Basic indexing: a view of the same memory (named after its last step, as in PyTorch)."""

    def forward(ctx, a, key, strides=None):
        ctx.input_shape, ctx.key = a.shape, key
        out = a[key + (Ellipsis,)] if Ellipsis not in key else a[key]   # 0-d views, not scalars
        if strides is not None and element_strides(out) != strides:
            out = as_strided_array(out, out.shape, strides)
        return out


class Select(Slice):
    pass


class Unsqueeze(Slice):
    node_name = "UnsqueezeBackward0"


class Alias(Slice):
    node_name = "AliasBackward0"


class AsStrided(Index):
    """A view's elements picked from its base by position (after the base changed in place)."""


class IndexBackwardScatter(Function):
    """Scatter-add ``g`` into zeros of ``shape`` at ``key`` (Index's backward)."""

    node_name = "IndexPutBackward0"

    def forward(ctx, g, key, shape):
        ctx.key = key
        out = module_of(g).zeros(shape, dtype=g.dtype)
        scatter_add(out, key, g)
        return out

    derivative = "scatter-add places g's elements, so g receives grad picked from those places"
    def backward(ctx, grad):
        return Index.apply(grad, key=ctx.key)


def scatter_add(out, key, values):
    """out[key] += values, adding (not overwriting) where key repeats an index."""
    if is_basic(key):
        out[key] += values
    else:
        from .. import backend   # np.add.at, or CuPy's scatter-add: they differ
        backend.scatter_add(out, key, values)


def is_basic(key):
    """True for keys of ints, slices, None and ``...`` only: they make views."""
    for k in key:
        if not (k is None or k is Ellipsis or type(k) is int or type(k) is slice):
            return False
    return True


_BAD_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
              "are valid indices (got {})")
_BAD_INDEX_TENSOR = "tensors used as indices must be long, int, byte or bool tensors"
_ZERO_DIM = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
_NEGATIVE_STEP = ("step must be greater than zero (autodidact, like PyTorch, has no negative "
                  "strides: use x.flip(dim) to reverse the order, e.g. x.flip(0) for x[::-1])")


def _sequence_as_tuple(key):
    """PyTorch reads ``x[[0, slice(None)]]`` or ``x[[[0, 1], [1, 2]]]`` as a tuple of indices.

    A list (shorter than 32) holding a sequence, a tensor, a slice, None or
    ``...`` is taken as several indices, one per axis; a list of plain
    numbers or bools is one index.
    """
    if type(key) is not list or len(key) >= 32:
        return False
    for k in key:
        if isinstance(k, (Tensor, list, tuple, slice, np.ndarray, str)) or k is None or k is Ellipsis:
            return True
    return False


def normalize_key(tensor, key):
    """Check an index expression and translate it for the array module.

    Returns a tuple of ints, slices, None, Ellipsis and integer/bool
    arrays, having raised PyTorch's errors for what PyTorch refuses.
    """
    if type(key) is not tuple:
        if _sequence_as_tuple(key):
            warnings.warn(
                "Using a non-tuple sequence for multidimensional indexing is deprecated and will "
                "be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 "
                "this will be interpreted as tensor index, x[torch.tensor(seq)], which will "
                "result either in an error or a different result", UserWarning, stacklevel=3)
            key = tuple(key)
        else:
            key = (key,)
    parts = []
    for k in key:
        kind = type(k)
        if kind is int or k is None or k is Ellipsis:
            parts.append(k)
        elif kind is slice:
            parts.append(_slice(k))
        elif kind is bool:
            parts.append(module_of(tensor._data).asarray(k))
        elif isinstance(k, Tensor):
            parts.append(_tensor_index(tensor, k))
        elif isinstance(k, (list, tuple, range, np.ndarray)):   # x[range(2, 5)] is x[[2, 3, 4]]
            parts.append(_sequence_index(tensor, k))
        elif hasattr(k, "__cuda_array_interface__"):   # a GPU array (a key normalized before)
            parts.append(_tensor_index(tensor, Tensor._wrap(k)))
        elif isinstance(k, (np.integer, np.bool_)) or (
                hasattr(k, "__index__") and not isinstance(k, float)):
            parts.append(module_of(tensor._data).asarray(k) if isinstance(k, np.bool_)
                         else int(k.__index__()))
        else:
            raise IndexError(_BAD_INDEX.format(type(k).__name__))
    parts = tuple(parts)
    _check_bounds(tensor, parts)
    return parts


def _slice(k):
    step = _as_int(k.step)
    if step is not None:
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError(_NEGATIVE_STEP)
    return slice(_as_int(k.start), _as_int(k.stop), step)


def _tensor_index(tensor, k):
    """An index tensor: a 0-d integer tensor is an int (a view); others are advanced."""
    dtype = k.dtype
    if dtype not in (_dt.int64, _dt.int32, _dt.uint8, _dt.bool):
        raise IndexError(_BAD_INDEX_TENSOR)
    if k._data.ndim == 0 and dtype is not _dt.bool and dtype is not _dt.uint8:
        return int(k.item())
    if dtype is _dt.uint8:
        warnings.warn("indexing with dtype autodidact.uint8 is now deprecated, please use a dtype "
                      "autodidact.bool instead.", UserWarning, stacklevel=4)
        k = Tensor._wrap(k._data.astype(bool), k._device)
    if k._device != tensor._device:
        from ..backend import move
        return move(k._data, tensor._device)
    return k._data


def _sequence_index(tensor, k):
    """A list (or array) of ints is an index array; a list of bools is a mask."""
    array = np.asarray(k)
    if array.size == 0:
        array = array.astype(np.int64)
    if array.dtype.kind == "f":
        raise IndexError(_BAD_INDEX_TENSOR)
    if array.dtype.kind not in "biu":
        raise IndexError(_BAD_INDEX.format(type(k).__name__))
    if array.dtype.kind == "u" and array.dtype != np.uint8:
        array = array.astype(np.int64)
    if array.dtype == np.uint8 and isinstance(k, np.ndarray):
        array = array.astype(bool)
    return module_of(tensor._data).asarray(array)


def _as_int(v):
    if v is None:
        return None
    if isinstance(v, Tensor):
        return int(v.item())
    if isinstance(v, float):
        raise TypeError("slice indices must be integers or None or have an __index__ method")
    return v.__index__()


def _consumes(p):
    """How many axes of the tensor an index part uses up."""
    if p is None or p is Ellipsis:
        return 0
    if getattr(p, "dtype", None) == bool:
        return p.ndim
    return 1


def _check_bounds(tensor, parts):
    """PyTorch's messages for indices that do not fit the tensor.

    PyTorch first applies the ints, slices and Nones, then the index
    tensors and masks to what that left; its messages describe that
    intermediate result, and number index tensors among themselves.
    """
    shape = tensor._data.shape
    consumed = sum(_consumes(p) for p in parts)
    if consumed > len(shape):
        if len(shape) == 0 and len(parts) == 1:   # x[0] or x[:] of a 0-d x: PyTorch's words
            raise IndexError("slice() cannot be applied to a 0-dim tensor."
                             if type(parts[0]) is slice else _ZERO_DIM)
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    if sum(1 for p in parts if p is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    sizes = []        # the shape after the basic part of the key
    advanced = []     # (axis in that shape, index array)
    dim = 0
    for position, p in enumerate(parts):
        if p is Ellipsis:
            n = len(shape) - consumed
            sizes.extend(shape[dim:dim + n])
            dim += n
        elif p is None:
            sizes.append(1)
        elif type(p) is int:
            if not -shape[dim] <= p < shape[dim]:
                raise IndexError(
                    f"index {p} is out of bounds for dimension {position} with size {shape[dim]}")
            dim += 1
        elif type(p) is slice:
            sizes.append(len(range(*p.indices(shape[dim]))))
            dim += 1
        else:
            advanced.append((len(sizes), p))
            n = p.ndim if p.dtype == bool else 1
            sizes.extend(shape[dim:dim + n])
            dim += n
    sizes.extend(shape[dim:])
    number, shapes = 0, []
    for axis, p in advanced:
        if p.dtype == bool:
            for i, size in enumerate(p.shape):
                if size != sizes[axis + i]:
                    raise IndexError(
                        f"The shape of the mask {list(p.shape)} at index {i} does not match the "
                        f"shape of the indexed tensor {sizes} at index {axis + i}")
            count = int(p.sum())
            shapes += [(count,)] * p.ndim if p.ndim else [(count,)]
            number += p.ndim
        else:
            if p.size:
                high, low = int(p.max()), int(p.min())
                if high >= sizes[axis] or low < -sizes[axis]:
                    bad = high if high >= sizes[axis] else low
                    raise IndexError(f"index {bad} is out of bounds for dimension {number} "
                                     f"with size {sizes[axis]}")
            shapes.append(tuple(p.shape))
            number += 1
    if len(shapes) > 1:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                             "with shapes " + ", ".join(str(list(s)) for s in shapes)) from None


def split_mixed(parts):
    """Split a key mixing ints with index arrays into PyTorch's two steps.

    PyTorch applies ints (like slices) before the index arrays, so
    ``x[0, :, [1, 2]]`` indexes ``x[0]`` with ``[:, [1, 2]]``; NumPy would
    count the int as an index array and move the result's axes. Returns
    (basic key, advanced key), or None when NumPy and PyTorch agree.
    """
    if is_basic(parts) or not any(type(p) is int for p in parts):
        return None
    basic, advanced = [], []
    for p in parts:
        if type(p) is int:
            basic.append(p)
        elif p is None or type(p) is slice:
            basic.append(p)
            advanced.append(slice(None))
        elif p is Ellipsis:
            basic.append(p)
            advanced.append(p)
        else:
            basic.extend([slice(None)] * (p.ndim if p.dtype == bool else 1))
            advanced.append(p)
    return tuple(basic), tuple(advanced)


def basic_layout(shape, strides, key):
    """The strides PyTorch gives ``x[key]`` for a basic key, and the op it ends with.

    PyTorch applies the key one part at a time: an int selects, a slice
    slices (a slice that keeps everything does nothing), None unsqueezes.
    NumPy agrees on everything but the stride of a new axis.
    """
    sizes, strides = list(shape), list(strides)
    consumed = sum(1 for p in key if type(p) is int or type(p) is slice)
    op, dim = Alias, 0
    for p in key:
        if p is Ellipsis:
            dim += len(shape) - consumed
        elif p is None:
            step = sizes[dim] * strides[dim] if dim < len(sizes) else 1
            sizes.insert(dim, 1)
            strides.insert(dim, step)
            dim += 1
            op = Unsqueeze
        elif type(p) is int:
            del sizes[dim], strides[dim]
            op = Select
        else:
            start, stop, step = p.indices(sizes[dim])
            length = len(range(start, stop, step))
            if not (start == 0 and length == sizes[dim] and step == 1):
                op = Slice
            sizes[dim] = length
            strides[dim] *= step
            dim += 1
    return tuple(strides), op


def getitem(tensor, key):
    """``tensor[key]``: a view for basic keys, a copy for advanced ones."""
    parts = normalize_key(tensor, key)
    if not is_basic(parts):
        mixed = split_mixed(parts)
        if mixed is not None:
            tensor, parts = _basic(tensor, mixed[0]), mixed[1]
        array = tensor._data
        strides = advanced_strides(array.shape, element_strides(array), parts)
        return Index.apply(tensor, key=parts, strides=strides)
    return _basic(tensor, parts)


def advanced_strides(shape, strides, parts):
    """The strides PyTorch gives ``x[parts]`` for a key with index arrays or masks.

    PyTorch first applies the basic parts (ints select, slices slice, None
    inserts an axis); then it reads the index arrays (a mask as the
    positions of its true elements, one index array per axis it covers)
    broadcast together, moves the indexed axes to the front if they are
    not next to each other, and runs its elementwise layout rule
    (``strides.iterator_strides``) over ``x`` with the indexed axes
    replaced by the index's (stride 0) and the index arrays. Returns None
    where NumPy's layout already agrees (a row-major ``x`` indexed along
    its first axis only) or the result has fewer than two axes.

        >>> x = autodidact.arange(24.).view(2, 3, 4).transpose(1, 2)   # strides (12, 1, 4)
        >>> x[[0, 1]].stride()                                          # x's order is kept
        (12, 1, 4)
    """
    if len(parts) == 1 and getattr(parts[0], "dtype", None) != bool and 1 not in shape \
            and is_contiguous(shape, strides) and parts[0].flags.c_contiguous:
        return None
    sizes, steps, index = [], [], []   # per axis after the basic parts: size, stride, index
    consumed = sum(_consumes(p) for p in parts)
    dim = 0
    for p in parts:
        if p is Ellipsis:
            for _ in range(len(shape) - consumed):
                sizes.append(shape[dim]), steps.append(strides[dim]), index.append(None)
                dim += 1
        elif p is None:
            sizes.append(1), index.append(None)
            steps.append(shape[dim] * strides[dim] if dim < len(shape) else 1)
        elif type(p) is int:
            dim += 1
        elif type(p) is slice:
            start, stop, step = p.indices(shape[dim])
            sizes.append(len(range(start, stop, step)))
            steps.append(strides[dim] * step), index.append(None)
            dim += 1
        elif p.dtype == bool:
            if p.ndim == 0:
                return None   # x[True]: a new axis of size 1 or 0, nothing to order
            count = int(p.sum())   # each axis of the mask: an index array of `count`, stride ndim
            for _ in range(p.ndim):
                sizes.append(shape[dim]), steps.append(strides[dim])
                index.append(((count,), (p.ndim,)))
                dim += 1
        else:
            sizes.append(shape[dim]), steps.append(strides[dim])
            index.append((p.shape, element_strides(p)))
            dim += 1
    for d in range(dim, len(shape)):
        sizes.append(shape[d]), steps.append(strides[d]), index.append(None)
    return _index_layout(sizes, steps, index)


def _index_layout(sizes, steps, index):
    """PyTorch's ``AdvancedIndex`` and index iterator, on (shape, strides) pairs."""
    from .shape_functions import expand_strides
    indexed = [d for d, ix in enumerate(index) if ix is not None]
    common = broadcast_shape([index[d][0] for d in indexed])
    for d in indexed:
        own_shape, own_strides = index[d]
        if tuple(own_shape) != common:
            index[d] = (common, expand_strides(own_shape, own_strides, common))
    if indexed != list(range(indexed[0], indexed[-1] + 1)):   # not side by side: to the front
        order = indexed + [d for d in range(len(sizes)) if d not in indexed]
        sizes, steps, index = ([seq[d] for d in order] for seq in (sizes, steps, index))
        indexed = list(range(len(indexed)))
    before, after = indexed[0], indexed[-1] + 1
    if len(sizes) - len(indexed) + len(common) < 2:
        return None
    src = (tuple(sizes[:before]) + common + tuple(sizes[after:]),
           tuple(steps[:before]) + (0,) * len(common) + tuple(steps[after:]))
    operands = [src]
    ones_before, ones_after = (1,) * before, (1,) * (len(sizes) - after)
    for d in indexed:
        own_shape, own_strides = index[d]
        shape = ones_before + tuple(own_shape) + ones_after
        operands.append((shape, view_strides(own_shape, own_strides, shape)))
    return iterator_strides(operands)


def _basic(tensor, parts):
    """``tensor[parts]`` for a basic key: a view, with PyTorch's strides and grad_fn name."""
    array = tensor._data
    strides, op = basic_layout(array.shape, element_strides(array), parts)
    out = op.apply(tensor, key=parts, strides=strides if None in parts else None)
    return _as_view(out, tensor)


def index_select(input, dim, index):
    from ..tensor import normalize_dim
    axis = normalize_dim(dim, input.dim())
    if not isinstance(index, Tensor) or index.dtype not in (_dt.int64, _dt.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if input.dim() == 0:   # a 0-d tensor indexes as one of size 1, and stays 0-d
        if index.numel() != 1:
            raise RuntimeError("index_select(): Index to scalar can have only 1 value, "
                               f"got {index.numel()} value(s)")
        if int(index._data.reshape(-1)[0]) != 0:
            raise IndexError("index out of range in self")
        return index_select(input.reshape(1), 0, index.reshape(1)).reshape(())
    size = input.shape[axis]
    if index.numel() and (int(index._data.min()) < 0 or int(index._data.max()) >= size):
        bad = int(index._data.max()) if int(index._data.max()) >= size else int(index._data.min())
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}: "
                           f"index_select's index {bad} is not in [0, {size}) for dimension {axis}")
    key = (slice(None),) * axis + (index.reshape(-1),)
    shape = input.shape[:axis] + (index.numel(),) + input.shape[axis + 1:]
    return Index.apply(input, key=normalize_key(input, key),
                       strides=contiguous_strides(shape))   # always row-major


# shape.py imports nothing from here, so this import at the end is safe.
from . import layout  # noqa: E402
from .layout import as_strided_array, element_strides  # noqa: E402
from .shape import _as_view  # noqa: E402
