"""The public shape functions: view, reshape, permute, expand, cat, split, flip...

Each reads its arguments as PyTorch does (``view(2, 3)`` or ``view((2, 3))``,
negative dims, ``-1`` to infer a size), decides whether the result can be a
view (same memory, new strides) or needs a copy, and calls one rule from
``shape.py``. Apart from the rules so that the derivative rules read on their
own; the stride arithmetic itself is in ``strides.py``::

    >>> x = autodidact.arange(6.).view(2, 3)
    >>> x.t().stride(), x.t().reshape(6).is_contiguous()
    ((1, 3), True)
"""

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..tensor import Tensor, normalize_dim
from .layout import data_ptr, element_strides
from .strides import _VIEW_ERROR, view_strides
from .shape import (Alias, Cat, Clone, Contiguous, Expand, Flip, Permute, Repeat, ReshapeAlias,
                    Split, SplitWithSizes, Squeeze, SqueezeDim, SqueezeDims, Stack, Transpose,
                    TransposeMatrix, Unbind, Unsqueeze, UnsafeView, View, _as_view, _legacy_empty,
                    _shape_args, infer_shape)


# ------------------------------------------------- layout: strides and friends


def stride(input, dim=None):
    """Steps in memory, in elements, to move one place along each axis (or along ``dim``)."""
    array = input._data
    if array.size == 0:   # NumPy leaves them 0; PyTorch's are row-major, as for a new tensor
        strides = view_strides((0,), (1,), array.shape)
    else:
        strides = element_strides(array)
    if dim is None:
        return strides
    return strides[normalize_dim(dim, input.dim())]


def storage_offset(input):
    """Where this tensor starts in its storage, in elements (0 unless it is a view)."""
    root = input._base
    if root is None:
        return 0
    return (data_ptr(input._data) - data_ptr(root._data)) // input._data.itemsize


def tensor_data_ptr(input):
    """The memory address of the first element (equal for tensors sharing a start)."""
    return data_ptr(input._data)


def is_contiguous(input, memory_format=None):
    """True when the elements lie in memory in row-major order without gaps."""
    return bool(input._data.flags.c_contiguous)


# ------------------------------------------------------- public functions


def view(input, *shape):
    """Same storage, new shape; fails when the layout cannot express it (use reshape).

    ``view(dtype)`` instead reinterprets the bytes as another dtype.
    """
    if not shape:   # x.view(()) is a 0-d view; x.view() says nothing
        raise TypeError("view() received an invalid combination of arguments - got (), but "
                        "expected one of:\n * (autodidact.dtype dtype)\n * (tuple of ints size)\n")
    if len(shape) == 1 and isinstance(shape[0], (_dt.dtype, np.dtype)):
        return _view_dtype(input, shape[0])
    target = infer_shape(_shape_args(shape), input.numel())
    strides = view_strides(input.shape, element_strides(input._data), target)
    if strides is None:
        raise RuntimeError(_VIEW_ERROR)
    return _as_view(View.apply(input, shape=target, strides=strides), input)


def _view_dtype(input, dtype):
    dtype = _dt.to_dtype(dtype)
    if dtype is input.dtype:
        return input
    if input._requires_grad and graph._grad_mode.enabled:
        raise RuntimeError(
            "view(dtype) is not differentiable: call .detach() first (or use .to(dtype), "
            "which converts the values instead of reinterpreting the bytes)")
    try:
        array = input._data.view(dtype.numpy)
    except ValueError as exc:
        raise RuntimeError(f"view(dtype): cannot view {input.dtype} as {dtype} here: {exc}") from None
    return _as_view(Tensor._wrap(array, input._device), input)


def view_as(input, other):
    return view(input, other.shape)


def reshape(input, *shape):
    """New shape; a view when the layout allows it, a copy otherwise."""
    if not shape:   # x.reshape(()) is 0-d; x.reshape() says nothing
        raise TypeError('reshape() missing 1 required positional arguments: "shape"')
    target = infer_shape(_shape_args(shape), input.numel())
    strides = view_strides(input.shape, element_strides(input._data), target)
    if strides is None:
        # No view can express it: a row-major copy, then that copy reshaped
        # (PyTorch records the same two nodes: CloneBackward0, UnsafeViewBackward0).
        return UnsafeView.apply(Contiguous.apply(input), shape=target)
    op = View if is_contiguous(input) else ReshapeAlias
    return _as_view(op.apply(input, shape=target, strides=strides), input)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge the axes ``start_dim..end_dim`` into one (a view when the layout allows)."""
    if input.dim() == 0:
        return reshape(input, 1)
    start, end = normalize_dim(start_dim, input.dim()), normalize_dim(end_dim, input.dim())
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input.shape
    return reshape(input, shape[:start] + (-1,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    axis = normalize_dim(dim, input.dim())
    shape = input.shape
    sizes = tuple(int(s) for s in sizes)
    if -1 in sizes:
        inner = infer_shape(sizes, shape[axis])
    else:
        inner, product = sizes, 1
        for s in sizes:
            product *= s
        if product != shape[axis]:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                f"{axis} ({shape[axis]}) in the input tensor")
    return view(input, shape[:axis] + tuple(inner) + shape[axis + 1:])


def squeeze(input, dim=None):
    """Drop axes of size 1 (all of them, or those of ``dim`` that have size 1)."""
    shape, strides = input.shape, element_strides(input._data)
    op = Squeeze
    if dim is None:
        keep = [i for i, s in enumerate(shape) if s != 1]
    else:
        op = SqueezeDims if isinstance(dim, (tuple, list)) else SqueezeDim
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = {normalize_dim(d, input.dim()) for d in dims}
        keep = [i for i, s in enumerate(shape) if not (i in axes and s == 1)]
    new_shape = tuple(shape[i] for i in keep)
    new_strides = tuple(strides[i] for i in keep)
    return _as_view(op.apply(input, shape=new_shape, strides=new_strides), input)


def unsqueeze(input, dim):
    """Insert an axis of size 1 at ``dim``."""
    axis = normalize_dim(dim, input.dim() + 1)
    shape, strides = list(input.shape), list(element_strides(input._data))
    # PyTorch's choice of stride for the new axis (it is never used to move).
    step = shape[axis] * strides[axis] if axis < len(shape) else 1
    shape.insert(axis, 1)
    strides.insert(axis, step)
    return _as_view(Unsqueeze.apply(input, shape=tuple(shape), strides=tuple(strides)), input)


def permute(input, *dims):
    if not dims:   # x.permute(()) permutes a 0-d tensor; x.permute() says nothing
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
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
    a, b = normalize_dim(dim0, n), normalize_dim(dim1, n)
    if n:
        axes[a], axes[b] = axes[b], axes[a]
    return _as_view(Transpose.apply(input, dims=tuple(axes)), input)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a matrix (0-d and 1-D tensors come back as they are, as views)."""
    if input.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.dim()}D")
    if input.dim() == 2:
        return _as_view(TransposeMatrix.apply(input, dims=(1, 0)), input)
    return _alias(input)


def _alias(input):
    return _as_view(Alias.apply(input, shape=input.shape, strides=element_strides(input._data)),
                    input)


def expand(input, *sizes):
    """Stretch size-1 axes to ``sizes`` without copying (-1 keeps a size).

    The stretched axes get stride 0: every place along them is the same
    element in memory.
    """
    if not sizes:
        raise TypeError('expand() missing 1 required positional arguments: "size"')
    sizes = tuple(int(s) for s in _shape_args(sizes))
    shape, strides = input.shape, element_strides(input._data)
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
        elif size < 0:
            raise RuntimeError(
                f"expand(): the size {size} at dimension {i} is negative; use -1 to keep a "
                "dimension's size")
        elif own is not None and own != size and own != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size ({own}) "
                f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                f"{list(shape)}")
        target.append(size)
    return _as_view(Expand.apply(input, shape=tuple(target),
                                 strides=expand_strides(shape, strides, target)), input)


def expand_strides(shape, strides, target):
    """The strides PyTorch gives a tensor of ``shape``/``strides`` expanded to ``target``.

    0 where an axis is stretched; a new leading axis of size 1 gets the
    stride of a step over everything after it.
    """
    lead = len(target) - len(shape)
    target_strides = [0] * len(target)
    if shape:
        for i in range(len(target) - 1, -1, -1):
            own = i - lead
            if own >= 0:
                step = strides[own] if shape[own] == target[i] else 0
            elif target[i] == 1:
                step = target[i + 1] * target_strides[i + 1] if i + 1 < len(target) else 1
            else:
                step = 0
            target_strides[i] = step
    return tuple(target_strides)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, shape):
    return expand(input, shape)


def contiguous(input, memory_format=None):
    """``input`` itself when its storage is in row-major order, else a row-major copy."""
    return input if input._data.flags.c_contiguous else Contiguous.apply(input)


def clone(input, memory_format=None):
    """A copy with its own storage (and the same layout), still in the graph."""
    return Clone.apply(input)


def _tensors(tensors, name):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    tensors = list(tensors)
    if not tensors:
        if name == "cat":
            raise ValueError("autodidact.cat(): expected a non-empty list of Tensors")
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    from .promotion import promote
    converted, _ = promote(*tensors)
    return converted


def _finish(result, out, name):
    if out is None:
        return result
    from .inplace import write_out
    if isinstance(out, Tensor) and not _dt.can_cast(result.dtype, out.dtype):
        from .promotion import _dt_name
        raise TypeError(f"autodidact.cat(): input types can't be cast to the desired output "
                        f"type {_dt_name(out.dtype)}")
    return write_out(result, out, name)


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing axis (dtypes promote, shapes must agree elsewhere)."""
    tensors = _tensors(tensors, "cat")
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # PyTorch skips 1-D empty tensors here (a legacy rule kept for old code).
    kept = [t for t in tensors if not _legacy_empty(t._data)] or tensors[:1]
    axis = normalize_dim(dim, kept[0].dim())
    ref = kept[0].shape
    for i, t in enumerate(kept[1:], start=1):
        if t.dim() != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {t.dim()}")
        for d, (x, y) in enumerate(zip(ref, t.shape)):
            if d != axis and x != y:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size {x} "
                    f"but got size {y} for tensor number {i} in the list.")
    return _finish(Cat.apply(*tensors, dim=axis), out, "cat")


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """Join same-shape tensors along a new axis."""
    tensors = _tensors(tensors, "stack")
    axis = normalize_dim(dim, tensors[0].dim() + 1)
    for i, t in enumerate(tensors[1:], start=1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                f"entry 0 and {list(t.shape)} at entry {i}")
    return _finish(Stack.apply(*tensors, dim=axis), out, "stack")


def flip(input, *dims, **kwargs):
    """Reverse the order along ``dims`` (a copy, as in PyTorch): what ``x[::-1]`` means.

        >>> autodidact.arange(4).flip(0)
        tensor([3, 2, 1, 0])
    """
    if "dims" in kwargs:
        dims = (kwargs.pop("dims"),)
    if kwargs:
        raise TypeError(f"flip() got unexpected keyword arguments {sorted(kwargs)}")
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    axes = []
    for d in dims:
        axis = normalize_dim(d, input.dim())
        if axis in axes:
            raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        axes.append(axis)
    return Flip.apply(input, dims=tuple(axes) if input.dim() else ())


def narrow(input, dim, start, length):
    """The slice ``start:start+length`` along ``dim`` (a view)."""
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    axis = normalize_dim(dim, input.dim())
    size = input.shape[axis]
    start, length = int(start), int(length)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    index = [slice(None)] * input.dim()
    index[axis] = slice(start, start + length)
    return input[tuple(index)]


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, with that axis removed (a view)."""
    if input.dim() == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    axis = normalize_dim(dim, input.dim())
    size = input.shape[axis]
    index = int(index)
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {axis}")
    key = [slice(None)] * input.dim()
    key[axis] = index
    return input[tuple(key)]


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be shorter), or of the given sizes."""
    axis = normalize_dim(dim, tensor.dim())
    length = tensor.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
        if size == 0 and length:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {length}")
        sizes = [min(size, length - i) for i in range(0, length, size)] if size else [0]
        sizes = sizes or [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != length:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
                f"size at dimension {axis}), but got split_sizes={sizes}")
    # An int size is PyTorch's split (SplitBackward0), a list its split_with_sizes.
    op = Split if isinstance(split_size_or_sections, int) else SplitWithSizes
    return _views_of(op.apply(tensor, sizes=tuple(sizes), dim=axis), tensor)


def _views_of(pieces, base):
    """Mark each piece of split/unbind a view of ``base``, and one of several views.

    PyTorch refuses in-place changes to such pieces (and to views of them)
    when autograd is involved: one backward node made them all.
    """
    for piece in pieces:
        _as_view(piece, base)
        if graph._grad_mode.enabled:
            piece.__dict__["_multi_output_view"] = True
    return pieces


def chunk(input, chunks, dim=0):
    """At most ``chunks`` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    length = input.shape[normalize_dim(dim, input.dim())]
    if length == 0:   # PyTorch gives `chunks` empty pieces
        return split(input, [0] * chunks, dim)
    return split(input, -(-length // chunks), dim)


def unbind(input, dim=0):
    """The slices along ``dim``, that axis removed: ``x.unbind(0)`` is ``(x[0], x[1], ...)``."""
    axis = normalize_dim(dim, input.dim())
    if input.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    return _views_of(Unbind.apply(input, dim=axis), input)


def repeat(input, *repeats):
    """Tile the tensor ``repeats[i]`` times along each axis (a copy)."""
    repeats = tuple(int(r) for r in _shape_args(repeats))
    if len(repeats) < input.dim():
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    if any(r < 0 for r in repeats):
        padded = (1,) * (len(repeats) - input.dim()) + tuple(input.shape)
        shape = [r * s for r, s in zip(repeats, padded)]
        bad = next(s for s in shape if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {shape}")
    return Repeat.apply(input, repeats=repeats)
