"""Shape ops: view, reshape, transpose, permute, expand, cat, stack, flip...

    op          forward                         backward
    view        same storage, new shape         grad.reshape(input shape)
    permute     axes reordered (a view)         grad.permute(inverse order)
    expand      size-1 axes stretched (a view)  grad summed back (sum_to_size)
    cat         pieces joined along dim         grad split at the same places
    stack       pieces joined along a new dim   grad unstacked
    flip        order reversed along dims       grad flipped back

Views share storage and the version counter with their base, so an
in-place change through a view is seen by everything that saved the base.
"""

import numpy as np

from ..backend import module_of
from ..function import Function
from ..tensor import Tensor, normalize_dim

# ----------------------------------------------------------------- the rules


class View(Function):
    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return _view(a, shape)

    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape)


class Reshape(Function):
    node_name = "ViewBackward0"

    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return a.reshape(shape)

    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape)


class Permute(Function):
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    def backward(ctx, grad):
        return grad.permute(*np.argsort(ctx.dims).tolist())


class Transpose(Permute):
    node_name = "TransposeBackward0"


class Expand(Function):
    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return module_of(a).broadcast_to(a, shape)

    def backward(ctx, grad):
        return grad.sum_to_size(ctx.input_shape)


class Cat(Function):
    def forward(ctx, *arrays, dim):
        ctx.dim, ctx.sizes = dim, [a.shape[dim] for a in arrays]
        return module_of(arrays[0]).concatenate(arrays, axis=dim)

    def backward(ctx, grad):
        pieces, start = [], 0
        for size in ctx.sizes:
            pieces.append(grad.narrow(ctx.dim, start, size))
            start += size
        return tuple(pieces)


class Stack(Function):
    def forward(ctx, *arrays, dim):
        ctx.dim = dim
        return module_of(arrays[0]).stack(arrays, axis=dim)

    def backward(ctx, grad):
        return tuple(grad.select(ctx.dim, i) for i in range(grad.shape[ctx.dim]))


class Flip(Function):
    def forward(ctx, a, dims):
        ctx.dims = dims
        # A copy, as in PyTorch: tensors never have negative strides.
        return module_of(a).flip(a, axis=dims).copy()

    def backward(ctx, grad):
        return grad.flip(ctx.dims)


class Contiguous(Function):
    node_name = "CloneBackward0"

    def forward(ctx, a):
        return module_of(a).ascontiguousarray(a) if a.ndim else a.copy()

    def backward(ctx, grad):
        return grad


class Clone(Contiguous):
    def forward(ctx, a):
        return a.copy()


class Repeat(Function):
    def forward(ctx, a, repeats):
        ctx.input_shape, ctx.repeats = a.shape, repeats
        lead = len(repeats) - a.ndim
        return module_of(a).tile(a.reshape((1,) * lead + a.shape), repeats)

    def backward(ctx, grad):
        # Fold each repeated axis into (repeats, size) and sum the copies.
        shape = (1,) * (len(ctx.repeats) - len(ctx.input_shape)) + tuple(ctx.input_shape)
        folded = []
        for r, s in zip(ctx.repeats, shape):
            folded += [r, s]
        summed = grad.reshape(folded).sum(dim=tuple(range(0, len(folded), 2)))
        return summed.reshape(ctx.input_shape)


# ------------------------------------------------------------ helpers


_VIEW_ERROR = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead.")


def _view(a, shape):
    """``a`` reshaped without copying, or PyTorch's error when that is impossible."""
    try:
        if isinstance(a, np.ndarray):
            return a.reshape(shape, copy=False)
        out = a.view()
        out.shape = shape
        return out
    except (ValueError, AttributeError):
        raise RuntimeError(_VIEW_ERROR) from None


def infer_shape(shape, numel):
    """Resolve one ``-1`` in ``shape``, with PyTorch's errors for impossible shapes."""
    shape = tuple(int(s) for s in shape)
    given = list(shape)
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {given}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{given}' is invalid for input of size {numel}")
        shape = shape[:unknown[0]] + (numel // known,) + shape[unknown[0] + 1:]
    elif known != numel:
        raise RuntimeError(f"shape '{given}' is invalid for input of size {numel}")
    return shape


def _shape_args(shape):
    """Accept ``view(2, 3)``, ``view((2, 3))``, ``view([2, 3])`` and ``view(Size)``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def _as_view(out, base):
    """Mark ``out`` as a view of ``base``: one storage, one version counter."""
    out._vc = base._vc
    out._base = base if base._base is None else base._base
    return out


def broadcast_shapes(*shapes):
    """The shape these broadcast to, or PyTorch's error naming the clash."""
    ndim = max(len(s) for s in shapes)
    result = [1] * ndim
    for s in shapes:
        # From the last dimension back, as PyTorch checks: (2, 3) + (3, 2)
        # reports the clash at dimension 1 (3 vs 2), not at dimension 0.
        for i, size in reversed(list(enumerate(s))):
            axis = ndim - len(s) + i
            if size == result[axis] or size == 1:
                continue
            if result[axis] == 1:
                result[axis] = size
            else:
                raise RuntimeError(
                    f"The size of tensor a ({result[axis]}) must match the size of tensor b "
                    f"({size}) at non-singleton dimension {axis}")
    return tuple(result)


# ------------------------------------------------------- public functions


def view(input, *shape):
    """Same storage, new shape; fails when the layout cannot express it (use reshape)."""
    if len(shape) == 1 and hasattr(shape[0], "numpy") and not isinstance(shape[0], (tuple, list)):
        raise TypeError("view(dtype) is not supported; use .to(dtype)")
    target = infer_shape(_shape_args(shape), input.numel())
    return _as_view(View.apply(input, shape=target), input)


def view_as(input, other):
    return view(input, other.shape)


def reshape(input, *shape):
    """New shape; a view when the layout allows it, a copy otherwise."""
    target = infer_shape(_shape_args(shape), input.numel())
    out = Reshape.apply(input, shape=target)
    if np.shares_memory(out._data, input._data) if isinstance(out._data, np.ndarray) else False:
        _as_view(out, input)
    return out


def flatten(input, start_dim=0, end_dim=-1):
    if input.dim() == 0:
        return reshape(input, 1)
    start, end = normalize_dim(start_dim, input.dim()), normalize_dim(end_dim, input.dim())
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    axis = normalize_dim(dim, input.dim())
    shape = input.shape
    return view(input, shape[:axis] + tuple(sizes) + shape[axis + 1:])


def squeeze(input, dim=None):
    """Drop axes of size 1 (all of them, or the given one if it has size 1)."""
    shape = list(input.shape)
    if dim is None:
        new = [s for s in shape if s != 1]
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = {normalize_dim(d, input.dim()) for d in dims}
        new = [s for i, s in enumerate(shape) if not (i in axes and s == 1)]
    return view(input, tuple(new))


def unsqueeze(input, dim):
    """Insert an axis of size 1 at ``dim``."""
    axis = normalize_dim(dim, input.dim() + 1)
    shape = list(input.shape)
    shape.insert(axis, 1)
    return view(input, tuple(shape))


def permute(input, *dims):
    dims = _shape_args(dims)
    if len(dims) != input.dim():
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.dim()} is "
            f"not equal to len(dims) = {len(dims)}")
    axes = tuple(normalize_dim(d, input.dim()) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _as_view(Permute.apply(input, dims=axes), input)


def transpose(input, dim0, dim1):
    """Swap two axes (a view)."""
    n = input.dim()
    axes = list(range(n))
    if n:
        a, b = normalize_dim(dim0, n), normalize_dim(dim1, n)
        axes[a], axes[b] = axes[b], axes[a]
    return _as_view(Transpose.apply(input, dims=tuple(axes)), input)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a matrix (0-d and 1-D tensors come back as they are)."""
    if input.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.dim()}D")
    return transpose(input, 0, 1) if input.dim() == 2 else view(input, input.shape)


def expand(input, *sizes):
    """Stretch size-1 axes to ``sizes`` without copying (-1 keeps a size)."""
    sizes = _shape_args(sizes)
    shape = input.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in the "
            f"tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = []
    for i, size in enumerate(sizes):
        own = shape[i - lead] if i >= lead else None
        if size == -1:
            if own is None:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}")
            size = own
        elif own is not None and own != size and own != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size ({own}) "
                f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                f"{list(shape)}")
        target.append(size)
    target = tuple(target)
    if target == tuple(shape):
        return _as_view(View.apply(input, shape=target), input)
    return _as_view(Expand.apply(input, shape=target), input)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, shape):
    return expand(input, shape)


def contiguous(input):
    """``input`` itself when its storage is in row-major order, else a row-major copy."""
    return input if input.is_contiguous() else Contiguous.apply(input)


def is_contiguous(input):
    return bool(input._data.flags.c_contiguous)


def clone(input):
    return Clone.apply(input)


def _tensors(tensors, name):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    from .elementwise import promote
    converted, _ = promote(*tensors)
    return converted


def cat(tensors, dim=0):
    """Join tensors along an existing axis (dtypes promote, shapes must agree elsewhere)."""
    tensors = _tensors(tensors, "cat")
    # PyTorch skips 1-D empty tensors here (a legacy rule kept for old code).
    tensors = [t for t in tensors if not (t.dim() == 1 and t.numel() == 0)] or tensors[:1]
    axis = normalize_dim(dim, tensors[0].dim())
    ref = tensors[0].shape
    for i, t in enumerate(tensors[1:], start=1):
        if t.dim() != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {t.dim()}")
        for d, (x, y) in enumerate(zip(ref, t.shape)):
            if d != axis and x != y:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size {x} "
                    f"but got size {y} for tensor number {i} in the list.")
    return Cat.apply(*tensors, dim=axis)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Join same-shape tensors along a new axis."""
    tensors = _tensors(tensors, "stack")
    axis = normalize_dim(dim, tensors[0].dim() + 1)
    for i, t in enumerate(tensors[1:], start=1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                f"entry 0 and {list(t.shape)} at entry {i}")
    return Stack.apply(*tensors, dim=axis)


def flip(input, dims):
    """Reverse the order along ``dims`` (a copy, as in PyTorch): what ``x[::-1]`` means."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    axes = tuple(normalize_dim(d, input.dim()) for d in dims)
    return Flip.apply(input, dims=axes)


def narrow(input, dim, start, length):
    """The slice ``start:start+length`` along ``dim`` (a view)."""
    axis = normalize_dim(dim, input.dim())
    index = [slice(None)] * input.dim()
    index[axis] = slice(start, start + length)
    return input[tuple(index)]


def select(input, dim, index):
    axis = normalize_dim(dim, input.dim())
    key = [slice(None)] * input.dim()
    key[axis] = index
    return input[tuple(key)]


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be shorter), or of the given sizes."""
    axis = normalize_dim(dim, tensor.dim())
    length = tensor.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and length:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {length}")
        sizes = [min(size, length - i) for i in range(0, length, size)] if size else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != length:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
                f"size at dimension {axis}), but got split_sizes={sizes}")
    pieces, start = [], 0
    for size in sizes:
        pieces.append(narrow(tensor, axis, start, size))
        start += size
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    """At most ``chunks`` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    length = input.shape[normalize_dim(dim, input.dim())]
    size = -(-length // chunks) if length else 1
    return split(input, size, dim)


def unbind(input, dim=0):
    axis = normalize_dim(dim, input.dim())
    return tuple(select(input, axis, i) for i in range(input.shape[axis]))


def repeat(input, *repeats):
    """Tile the tensor ``repeats[i]`` times along each axis (a copy)."""
    repeats = tuple(_shape_args(repeats))
    if len(repeats) < input.dim():
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    return Repeat.apply(input, repeats=repeats)
