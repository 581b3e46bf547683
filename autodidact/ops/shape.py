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

This file holds the rules and the shape arithmetic they share
(``broadcast_shapes``, ``infer_shape``, ``_as_view``); the public functions
that read the arguments and pick a rule are in ``shape_functions.py``, and
the strides a view needs in ``strides.py``.

    >>> x = autodidact.arange(6.).view(2, 3)
    >>> x.stride(), x.t().stride(), x.t().is_contiguous()
    ((3, 1), (1, 3), False)
"""


import weakref

import numpy as np

from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor
from .layout import (as_strided_array, copy_like, element_strides, like_inputs, relaid, restride,
                     row_major)
from .strides import cat_strides, view_strides

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
        from .shape_functions import cat   # a public function: imported where it runs
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
        from .shape_functions import stack
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
        # A copy, as in PyTorch: tensors never have negative strides. Laid out as a's
        # elements are (PyTorch's result follows its input's memory order).
        return like_inputs(module_of(a).flip(a, axis=dims).copy(), a)

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
