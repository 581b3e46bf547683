"""Shape ops: view, reshape, transpose, permute, expand, cat, stack, flip...

    op          forward                         backward
    view        same storage, new shape         grad.reshape(input shape)
    permute     axes reordered (a view)         grad.permute(inverse order)
    expand      size-1 axes stretched (a view)  grad summed back (sum_to_size)
    cat         pieces joined along dim         grad split at the same places
    stack       pieces joined along a new dim   grad unstacked
    flip        order reversed along dims       grad flipped back

A *view* is a new tensor over the same memory: the same numbers seen with
another shape and other strides (how many elements to step in memory to
move one place along each axis). ``x.stride()`` shows them, in elements,
exactly as PyTorch computes them. A view and its base share one version
counter, so an in-place change through either is seen by everything that
saved the other for backward.

    >>> x = autodidact.arange(6.).view(2, 3)
    >>> x.stride(), x.t().stride(), x.t().is_contiguous()
    ((3, 1), (1, 3), False)
"""

import weakref

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor, normalize_dim
from .layout import cat_strides, copy_strides, relaid, row_major, with_strides

# ----------------------------------------------------------------- the rules


class View(Function):
    """The same memory with another shape and strides (worked out beforehand)."""

    def forward(ctx, a, shape, strides):
        ctx.input_shape = a.shape
        return restride(a, shape, strides)

    derivative = "a view only rearranges elements (derivative 1), so a receives grad reshaped back"
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape)


class Unsqueeze(View):
    pass


class Squeeze(View):
    pass


class ReshapeAlias(View):
    """``reshape`` that could be a view of a non-contiguous tensor (PyTorch's name for it)."""


class SqueezeDim(View):
    node_name = "SqueezeBackward1"   # squeeze(dim); PyTorch numbers each overload


class SqueezeDims(View):
    node_name = "SqueezeBackward2"   # squeeze((dim, dim))


class SqueezeDimInplace(View):
    node_name = "SqueezeBackward4"   # squeeze_(dim), as matmul uses it


class Alias(View):
    """A second tensor over exactly the same elements (``x[:]``, ``t()`` of a vector)."""


class UnsafeView(Function):
    """A new shape for a fresh row-major result (reshape's copy, matmul's product).

    Like a view, but the result is not marked as one: nothing else can
    see the memory it reshapes.
    """

    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return module_of(a).ascontiguousarray(a).reshape(shape)

    derivative = "reshape only rearranges elements (derivative 1), so a receives grad reshaped back"
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape)


class Permute(Function):
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    derivative = "permuting axes moves elements (derivative 1), so a receives grad permuted back"
    def backward(ctx, grad):
        return grad.permute(np.argsort(ctx.dims).tolist())


class Transpose(Permute):
    pass


class TransposeMatrix(Permute):
    node_name = "TBackward0"


class Expand(Function):
    def forward(ctx, a, shape, strides):
        ctx.input_shape = a.shape
        return as_strided_array(a, shape, strides)

    derivative = "each element was copied to many places, so a receives those places' grads summed"
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.input_shape)


class Cat(Function):
    """Inputs joined along ``dim``. A 1-D empty input beside inputs of more
    dimensions is left out of the join (PyTorch's legacy rule) but stays an
    input: it gets an empty gradient, and makes the result require grad."""

    def forward(ctx, *arrays, dim):
        joined = [a for a in arrays if not _legacy_empty(a)] or arrays[:1]
        ndim = joined[0].ndim
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] if a.ndim == ndim else None for a in arrays]
        return _joined(module_of(arrays[0]).concatenate(joined, axis=dim),
                       [(a.shape, element_strides(a)) for a in joined])

    derivative = "each input is one piece of the output, so each receives its piece of grad"
    def backward(ctx, grad):
        pieces, start = [], 0
        for size in ctx.sizes:
            if size is None:   # a skipped 1-D empty input
                pieces.append(grad.new_zeros(0))
                continue
            pieces.append(grad.narrow(ctx.dim, start, size))
            start += size
        return tuple(pieces)


def _legacy_empty(array):
    return array.ndim == 1 and array.size == 0


class Stack(Function):
    def forward(ctx, *arrays, dim):
        ctx.dim = dim
        out = module_of(arrays[0]).stack(arrays, axis=dim)
        first = arrays[0]
        if dim == first.ndim:   # PyTorch: cat of the inputs unsqueezed at the end
            return _joined(out, [(a.shape + (1,), element_strides(a) + (1,)) for a in arrays])
        if first.ndim not in (4, 5):   # else: cat along dim, then viewed
            return row_major(out)
        joined = first.shape[:dim] + (first.shape[dim] * len(arrays),) + first.shape[dim + 1:]
        strides = cat_strides([(a.shape, element_strides(a)) for a in arrays], joined)
        return relaid(out, view_strides(joined, strides, out.shape))

    derivative = "each input is one slice of the output, so each receives its slice of grad"
    def backward(ctx, grad):
        return tuple(grad.select(ctx.dim, i) for i in range(grad.shape[ctx.dim]))


def _joined(out, operands):
    """cat's (and stack's) result with PyTorch's layout: row-major, or channels-last."""
    if len(out.shape) in (4, 5):
        return relaid(out, cat_strides(operands, out.shape))
    return row_major(out)


class Split(Function):
    """Pieces of ``a`` along ``dim``, each a view: one node with one output per piece."""

    multi_output = True

    def forward(ctx, a, sizes, dim):
        ctx.sizes, ctx.dim, ctx.input_shape = sizes, dim, a.shape
        pieces, start, key = [], 0, [slice(None)] * a.ndim
        for size in sizes:
            key[dim] = slice(start, start + size)
            pieces.append(a[tuple(key)])
            start += size
        return tuple(pieces)

    derivative = ("each piece is a slice of a, so a receives the pieces' gradients joined "
                  "along dim (zeros for a piece that got none)")

    def backward(ctx, grads):
        shape = list(ctx.input_shape)
        pieces = []
        for size, g in zip(ctx.sizes, _per_output(ctx, grads)):
            shape[ctx.dim] = size
            pieces.append(g if g is not None else _zeros_like_grad(grads, shape))
        return cat(pieces, ctx.dim)


class SplitWithSizes(Split):
    """``split`` given a list of sizes (PyTorch names its node apart)."""


class Unbind(Function):
    """Every slice of ``a`` along ``dim``, that axis removed, each a view: one node."""

    multi_output = True

    def forward(ctx, a, dim):
        ctx.dim, ctx.input_shape = dim, a.shape
        key = [slice(None)] * a.ndim
        pieces = []
        for i in range(a.shape[dim]):
            key[dim] = i
            pieces.append(a[(*key, Ellipsis)])   # with ..., a 0-d piece is a view, not a copy
        return tuple(pieces)

    derivative = ("each slice is one index of a along dim, so a receives the slices' "
                  "gradients stacked along dim (zeros for a slice that got none)")

    def backward(ctx, grads):
        shape = ctx.input_shape[:ctx.dim] + ctx.input_shape[ctx.dim + 1:]
        return stack([g if g is not None else _zeros_like_grad(grads, shape)
                      for g in _per_output(ctx, grads)], ctx.dim)


def _per_output(ctx, grads):
    """The list of gradients a multi-output node receives (a lone piece's comes alone)."""
    return grads if ctx.num_outputs > 1 else [grads]


def _zeros_like_grad(grads, shape):
    """Zeros for a piece no gradient reached, of the dtype and device of those that came."""
    g = next(g for g in _as_sequence(grads) if g is not None)
    return Tensor._wrap(module_of(g._data).zeros(tuple(shape), dtype=g._data.dtype), g._device)


def _as_sequence(grads):
    return grads if isinstance(grads, (list, tuple)) else [grads]


class Flip(Function):
    def forward(ctx, a, dims):
        ctx.dims = dims
        # A copy, as in PyTorch: tensors never have negative strides.
        return module_of(a).flip(a, axis=dims).copy()

    derivative = "flipping moves elements (derivative 1), so a receives grad flipped back"
    def backward(ctx, grad):
        return grad.flip(ctx.dims)


class Contiguous(Function):
    node_name = "CloneBackward0"

    def forward(ctx, a):
        return module_of(a).ascontiguousarray(a) if a.ndim else a.copy()

    derivative = "a copy (derivative 1), so a receives grad unchanged"
    def backward(ctx, grad):
        return grad


class Clone(Contiguous):
    def forward(ctx, a):
        return copy_like(a)


class Repeat(Function):
    def forward(ctx, a, repeats):
        ctx.input_shape, ctx.repeats = a.shape, repeats
        lead = len(repeats) - a.ndim
        return module_of(a).tile(a.reshape((1,) * lead + a.shape), repeats)

    derivative = "each element was repeated, so a receives its repeats' grads summed"
    def backward(ctx, grad):
        # Fold each repeated axis into (repeats, size) and sum the copies.
        shape = (1,) * (len(ctx.repeats) - len(ctx.input_shape)) + tuple(ctx.input_shape)
        folded = []
        for r, s in zip(ctx.repeats, shape):
            folded += [r, s]
        summed = grad.reshape(folded).sum(dim=tuple(range(0, len(folded), 2)))
        return summed.reshape(ctx.input_shape)


# ------------------------------------------------------------ strides


_VIEW_ERROR = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead.")


def element_strides(array):
    """An array's strides counted in elements (NumPy counts bytes), as ``stride()`` shows them."""
    item = array.itemsize
    return tuple(s // item for s in array.strides)


def as_strided_array(a, shape, strides):
    """``a``'s memory seen with ``shape`` and ``strides`` (in elements); writable if ``a`` is."""
    item = a.itemsize
    return module_of(a).lib.stride_tricks.as_strided(
        a, shape=tuple(shape), strides=tuple(s * item for s in strides))


def restride(a, shape, strides):
    """``a`` reshaped without copying, with exactly these (PyTorch's) strides.

    NumPy's own no-copy reshape maps the elements to memory the same way;
    it may only choose other strides for axes of size 1 (where a stride
    never moves anywhere), so it is used when it agrees and corrected
    otherwise.
    """
    shape, strides = tuple(shape), tuple(strides)
    if isinstance(a, np.ndarray):
        try:
            out = a.reshape(shape, copy=False)
        except ValueError:
            out = None
        if out is not None and element_strides(out) == strides:
            return out
    return as_strided_array(a, shape, strides)


def view_strides(shape, strides, new_shape):
    """The strides a view of ``new_shape`` needs, or None when no view can do it.

    PyTorch's rule (``computeStride``): the old axes fall into chunks that
    are contiguous with each other; each chunk can be re-split into new
    axes freely, but no new axis may span two chunks.
    """
    shape, strides, new_shape = tuple(shape), tuple(strides), tuple(new_shape)
    if not shape:
        return (1,) * len(new_shape)
    numel = 1
    for s in shape:
        numel *= s
    if numel == 0:
        if shape == new_shape:
            return strides
        out, step = [0] * len(new_shape), 1
        for d in range(len(new_shape) - 1, -1, -1):
            out[d] = step
            step *= max(new_shape[d], 1)
        return tuple(out)
    out = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                out[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel = view_numel = 1
    if view_d != -1:
        return None
    return tuple(out)


def _is_dense(shape, strides):
    """True when the elements fill a block of memory without gaps or overlaps."""
    dims = sorted((i for i in range(len(shape)) if shape[i] > 1), key=lambda i: strides[i])
    expected = 1
    for i in dims:
        if strides[i] != expected:
            return False
        expected *= shape[i]
    return True


def copy_like(a):
    """A copy of ``a`` in ``a``'s order of axes, without gaps (PyTorch's clone)."""
    if a.flags.c_contiguous and 1 not in a.shape:
        return a.copy()
    return with_strides(a, copy_strides(a.shape, element_strides(a)))


def data_ptr(array):
    """The address of an array's first element."""
    if isinstance(array, np.ndarray):
        return array.__array_interface__["data"][0]
    return array.data.ptr


# ------------------------------------------------------------ helpers


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
        if known == 0 and numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {given} because the unspecified "
                "dimension size -1 can be any value and is ambiguous")
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
    """Mark ``out`` as a view of ``base``: one storage, one version counter.

    ``_base`` is always the tensor that owns the storage (never a view), as
    in PyTorch. Views made while grad mode is on are remembered (weakly) by
    that base: when an in-place op changes the base inside a graph, their
    ``grad_fn`` is brought up to date (see ``inplace.py``).
    """
    out._vc = base._vc
    root = base._base
    if root is None:
        root = base
    out._base = root
    if graph._grad_mode.enabled:
        if out._data.dtype.kind == "f" and out._data.dtype == root._data.dtype:
            views = root.__dict__.get("_views")
            if views is None:
                views = root.__dict__["_views"] = weakref.WeakSet()
            views.add(out)
        if base.__dict__.get("_multi_output_view"):   # a view of a piece of split/unbind
            out.__dict__["_multi_output_view"] = True
    else:
        out.__dict__["_no_grad_view"] = True   # refused later in a graph (see inplace.py)
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
    from .elementwise import promote
    converted, _ = promote(*tensors)
    return converted


def _finish(result, out, name):
    if out is None:
        return result
    from .inplace import write_out
    if isinstance(out, Tensor) and not _dt.can_cast(result.dtype, out.dtype):
        from .elementwise import _dt_name
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
