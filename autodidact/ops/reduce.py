"""Reductions: sum, mean, max/min, prod, var/std (softmax is in softmaxes.py).

    op            forward                      backward
    sum           a.sum(dim, keepdim)          grad expanded back to a's shape
    mean          a.mean(dim, keepdim)         grad expanded, divided by n
    max (all)     a.max()                      grad shared evenly among the ties
    max (dim)     a.max(dim) -> values, index  grad sent to the returned index
    prod          a.prod(dim)                  grad * prod / a (running products if a has a 0)
    sum_to_size   sum over broadcast axes      grad expanded back

``sum_to_size`` is the one helper that undoes broadcasting for every op.
"""

from collections import namedtuple

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor, normalize_dim
from .masks import masked_grad, zero_gradient
from .layout import row_major   # results are row-major, whatever the input's layout
from .shape import _as_view

# ----------------------------------------------------------------- the rules


class Sum(Function):
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        # dtype: NumPy would widen int8
        return row_major(a.sum(axis=dim, keepdims=keepdim, dtype=a.dtype))

    derivative = "d(Σa)/daᵢ = 1, so every element of a receives grad (expanded back to a's shape)"
    def backward(ctx, grad):
        return _spread_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim)


class SumToSize(Function):
    """Sum a broadcast gradient back to an input's shape."""

    node_name = "SumBackward1"

    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return _sum_to(a, shape)

    derivative = "each element counted once in the sum (derivative 1), so a receives grad expanded"
    def backward(ctx, grad):
        return grad.expand(ctx.input_shape)


class Mean(Function):
    def forward(ctx, a, dim=None, keepdim=False):
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.count = _reduced_count(a.shape, dim)
        with np.errstate(invalid="ignore", divide="ignore"):
            return row_major(a.mean(axis=dim, keepdims=keepdim))

    derivative = "d(mean a)/daᵢ = 1/n, so every element of a receives grad / n"
    def backward(ctx, grad):
        return _spread_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim) / ctx.count


class Amax(Function):
    """max() of all elements: ties share the gradient evenly; a NaN max goes to the NaNs."""

    node_name = "MaxBackward1"

    def forward(ctx, a, dim=None, keepdim=False):
        # max() of [1, nan, 3] is nan: its gradient goes to the nan (nan_ties), as in PyTorch.
        return _keep_ties(ctx, a, a.max(axis=dim, keepdims=keepdim), dim, keepdim, nan_ties=True)

    derivative = "only the largest element counts (ties share), so it receives grad, the rest 0"
    def backward(ctx, grad):
        weights, = ctx.saved_tensors
        return masked_grad(_expand_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim), weights)


class Amin(Amax):
    node_name = "MinBackward1"

    def forward(ctx, a, dim=None, keepdim=False):
        return _keep_ties(ctx, a, a.min(axis=dim, keepdims=keepdim), dim, keepdim, nan_ties=True)


class MaxDim(Function):
    """max(dim): (values, indices); the gradient goes to the returned index only."""

    node_name = "MaxBackward0"

    def forward(ctx, a, dim, keepdim=False, pick="argmax"):
        xp = module_of(a)
        indices = getattr(a, pick)(axis=dim, keepdims=True)
        values = xp.take_along_axis(a, indices, axis=dim)
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.save_for_backward(indices)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return values, indices.astype(np.int64)

    derivative = "only the element at the returned index counts, so it receives grad, the rest 0"
    def backward(ctx, grad):
        indices, = ctx.saved_tensors
        xp = module_of(grad._data)
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        # One-hot along dim: position == index (CuPy has no put_along_axis).
        positions = xp.arange(ctx.input_shape[ctx.dim]).reshape(
            [-1 if d == ctx.dim else 1 for d in range(len(ctx.input_shape))])
        return masked_grad(grad, positions == indices._data)


class MinDim(MaxDim):
    node_name = "MinBackward0"


class Argmax(Function):
    def forward(ctx, a, dim=None, keepdim=False, pick="argmax"):
        return row_major(getattr(a, pick)(axis=dim, keepdims=keepdim).astype(np.int64))


class Prod(Function):
    def forward(ctx, a, dim=None, keepdim=False):
        out = row_major(a.prod(axis=dim, keepdims=keepdim))
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        ctx.save_for_backward(a, out)
        return out

    derivative = "d(∏a)/daᵢ = the product of the others, so aᵢ receives grad × that product"
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        grad = _expand_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim)
        if a.dim() == 0:
            return grad   # no other elements: their product is 1 (even where a is inf or 0)
        # PyTorch's rule, to the letter (so inf and NaN come out as in PyTorch):
        # with no zero anywhere in a, the product of the others is prod / aᵢ;
        # with a zero, dividing is impossible and running products are used.
        zeros = int((a == 0).sum())
        if zeros == 0:
            return grad * (_expand_back(out, ctx.input_shape, ctx.dim, ctx.keepdim) / a)
        if ctx.dim is None and zeros > 1 and not graph.is_grad_enabled():
            return zero_gradient(grad)   # every product of others holds a zero
        return grad * _product_of_others(a, ctx.dim)


class Var(Function):
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        ctx.save_for_backward(a)
        ctx.dim, ctx.correction, ctx.keepdim, ctx.input_shape = dim, correction, keepdim, a.shape
        ctx.n = _reduced_count(a.shape, dim)
        with np.errstate(invalid="ignore", divide="ignore"):
            return row_major(a.var(axis=dim, ddof=correction, keepdims=keepdim))

    derivative = "d var/daᵢ = 2(aᵢ − mean)/(n − correction), so aᵢ receives grad × that"
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        return _variance_grad(ctx, a, grad)


class Std(Var):
    """sqrt(var): the gradient is var's, times d(sqrt v)/dv = 1 / (2 std) (0 where std is 0)."""

    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        out = row_major(module_of(a).sqrt(Var.forward(ctx, a, dim, correction, keepdim)))
        ctx.save_for_backward(a, out)
        return out

    derivative = "d std/daᵢ = (aᵢ − mean)/((n − correction)·std), so aᵢ receives grad × that"
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        from .arithmetic import where
        # Where std is 0 (all values equal) the gradient is taken as 0, as in PyTorch.
        return _variance_grad(ctx, a, where(out == 0, 0.0, grad / (2 * out)))


def _variance_grad(ctx, a, grad):
    """d var / d a = 2 (a - mean) / (n - correction), times grad expanded back.

    With no more elements than ``correction`` 2 / (n - correction) is
    infinite; PyTorch's gradient of a whole reduction is then NaN where
    aᵢ equals the mean (inf × 0) and infinite elsewhere, even at a NaN.
    """
    grad = _expand_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim)
    dof = ctx.n - ctx.correction
    if ctx.dim is None and dof <= 0:
        from .arithmetic import where
        return grad * where(a == a.mean(), float("nan"), float("inf")).to(a.dtype)
    centered = a - a.mean(dim=ctx.dim, keepdim=True)
    return grad * centered * (2.0 / dof if dof else float("inf"))


# ------------------------------------------------------------ helpers


def _dims(dim, ndim):
    """None, an int or a sequence of ints, as a tuple of non-negative axes (or None)."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        if len(dim) == 0:
            return None
        axes = [normalize_dim(d, ndim) for d in dim]
        for axis in axes:
            if axes.count(axis) > 1:
                raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        return tuple(sorted(axes)) if ndim > 0 else None
    axis = normalize_dim(dim, ndim)
    return axis if ndim > 0 else None   # a 0-d tensor takes dim 0 or -1: all of it


def _reduced_count(shape, dim):
    """How many elements each output of a reduction over ``dim`` combines."""
    dims = range(len(shape)) if dim is None else (dim,) if isinstance(dim, int) else dim
    n = 1
    for axis in dims:
        n *= shape[axis]
    return n


def _expand_back(grad, shape, dim, keepdim):
    """Undo a reduction: put back the reduced axes (size 1) and expand to ``shape``."""
    if dim is not None and not keepdim and shape:   # (a 0-d input lost no axis)
        for axis in sorted((dim,) if isinstance(dim, int) else dim):
            grad = grad.unsqueeze(axis)
    elif dim is None and not keepdim:
        grad = grad.reshape((1,) * len(shape))
    return grad.expand(shape)


def _spread_back(grad, shape, dim, keepdim):
    """Sum's and mean's backward: ``grad`` expanded back to ``shape``, as ``_expand_back`` does.

    In an ordinary backward nothing is recorded, and the expand is made
    directly on the array: a view with stride 0 along the reduced axes,
    the view ``expand`` makes, without its checks (the shapes are known
    to fit). Under ``create_graph`` it is the recorded ``_expand_back``.

        >>> _spread_back(tensor(1.), (2, 3), None, False)   # tensor([[1., 1., 1.], [1., 1., 1.]])
    """
    g = grad._data
    if graph._grad_mode.enabled or type(g) is not np.ndarray or not g.flags.c_contiguous:
        return _expand_back(grad, shape, dim, keepdim)   # recorded, on a GPU, or strided
    if dim is None:
        kept = (1,) * len(shape)
    else:
        axes = (dim,) if isinstance(dim, int) else dim
        kept = tuple([1 if i in axes else size for i, size in enumerate(shape)])
    if g.shape != kept:
        g = g.reshape(kept)   # put back the reduced axes, with size 1
    strides = tuple([0 if kept[i] != shape[i] else step for i, step in enumerate(g.strides)])
    out = Tensor._wrap(np.ndarray(shape, g.dtype, g, 0, strides), grad._device)
    return _as_view(out, grad)


def _sum_to(array, shape):
    """Sum ``array`` over the axes along which ``shape`` was broadcast.

    ``shape`` may have more axes than ``array``, all of them leading 1s
    (``x[...] = v`` drops a value's leading 1s): the sum is then a reshape.
    """
    lead = array.ndim - len(shape)
    if lead < 0:
        return array.reshape(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and array.shape[lead + i] != 1)
    out = array.sum(axis=axes, keepdims=True) if axes else array
    return out.reshape(shape)


def _keep_ties(ctx, a, out, dim, keepdim, nan_ties):
    """Save what a max/min reduction's backward needs (its tie weights); return ``out``
    laid out row-major, as PyTorch's reductions are whatever the input's layout."""
    out = row_major(out)
    ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
    ctx.save_for_backward(_tie_weights(a, out, dim, keepdim, nan_ties))
    return out


def _tie_weights(a, out, dim, keepdim, nan_ties=True):
    """1/k at each of the k positions holding the extreme value, 0 elsewhere.

    A NaN extreme is shared among the NaNs if ``nan_ties``; otherwise it
    matches nothing and every weight is NaN (0 / 0).
    """
    xp = module_of(a)
    expanded = out if keepdim or dim is None and out.ndim == a.ndim else (
        out.reshape((1,) * a.ndim) if dim is None else xp.expand_dims(out, dim))
    hits = a == expanded
    if nan_ties and a.dtype.kind == "f":
        hits |= xp.isnan(a) & xp.isnan(expanded)
    hits = hits.astype(a.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return hits / hits.sum(axis=dim, keepdims=True)


def _product_of_others(a, dim):
    """For each element, the product of the other elements reduced with it."""
    if 0 in a.shape:
        return a   # nothing to multiply: the gradient is as empty as the input
    if dim is None:
        flat = a.reshape(-1)
        return _product_of_others(flat, 0).reshape(a.shape)
    from .scan import cumprod   # scan.py builds on this file: imported when first needed
    from .shape_functions import cat
    n = a.shape[dim]
    first = a.narrow(dim, 0, 1)
    one = Tensor._wrap(module_of(first._data).ones_like(first._data), a._device)
    # Exclusive running products from each end: prod of a_k for k < i, and for k > i.
    before = cumprod(cat([one, a.narrow(dim, 0, n - 1)], dim), dim)
    after = cumprod(cat([one, a.flip(dim).narrow(dim, 0, n - 1)], dim), dim).flip(dim)
    return before * after


# ------------------------------------------------------- public functions


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or along ``dim``. Integers and bools sum to int64."""
    axes = _dims(dim, input.dim())
    if out is not None and dtype is None and isinstance(out, Tensor):
        dtype = out.dtype   # a reduction into out= computes in out's dtype (PyTorch)
    if dtype is not None:
        input = input.to(_dt.to_dtype(dtype))
    elif not input.dtype.is_floating_point:
        input = input.to(_dt.int64)
    # PyTorch names the two forms' nodes SumBackward0 and SumBackward1.
    result = (Sum if axes is None else SumDim).apply(input, dim=axes, keepdim=keepdim)
    if out is not None:
        if dim is None:
            raise TypeError("sum() received an invalid combination of arguments - got (Tensor, "
                            "out=Tensor): out= needs dim, as in sum(x, dim=0, out=r)")
        from .dispatch import _finish
        return _finish(result, out, "sum")
    return result


class SumDim(Sum):
    node_name = "SumBackward1"


def sum_to_size(input, *size):
    """Sum ``input`` down to ``size``, the inverse of broadcasting (used by backward)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    if tuple(input.shape) == tuple(shape):
        return input
    return SumToSize.apply(input, shape=tuple(shape))


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Average of all elements, or along ``dim``. Integer tensors need ``dtype=`` or ``.float()``."""
    if dtype is not None:
        if not _dt.to_dtype(dtype).is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Optional dtype must be either a floating "
                f"point or complex dtype. Got: {_type_word(_dt.to_dtype(dtype))}")
        input = input.to(_dt.to_dtype(dtype))
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_type_word(input.dtype)}")
    axes = _dims(dim, input.dim())
    return (Mean if axes is None else MeanDim).apply(input, dim=axes, keepdim=keepdim)


class MeanDim(Mean):
    node_name = "MeanBackward1"


def _return_type(name, fields=("values", "indices")):
    """A named tuple printed as PyTorch's ``torch.return_types.max`` (values, indices)."""
    base = namedtuple(name, fields)

    def __repr__(self):
        shown = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"autodidact.return_types.{name}(\n{shown})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "autodidact.return_types"})


ReturnTypes = {name: _return_type(name) for name in (
    "max", "min", "sort", "topk", "kthvalue", "median", "mode")}
ReturnTypes["histogram"] = _return_type("histogram", ("hist", "bin_edges"))


def _extreme(name, input, dim, keepdim, other):
    if other is not None or isinstance(dim, Tensor):
        from .arithmetic import maximum, minimum
        return (maximum if name == "max" else minimum)(input, dim if other is None else other)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument.")
        return (Amax if name == "max" else Amin).apply(input)
    axis = normalize_dim(dim, input.dim())
    if input.dim() == 0:   # dim 0 or -1 of a 0-d tensor: itself, at index 0
        zero = Tensor._wrap(module_of(input._data).zeros((), dtype=np.int64), input._device)
        return ReturnTypes[name](input.clone(), zero)   # a copy, of the same dtype
    if input.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    op = MaxDim if name == "max" else MinDim
    values, indices = op.apply(input, dim=axis, keepdim=keepdim, pick="arg" + name)
    return ReturnTypes[name](values, indices)


def max(input, dim=None, keepdim=False, *, other=None):
    """The largest value; with ``dim``, (values, indices) along it; with a tensor, elementwise."""
    return _extreme("max", input, dim, keepdim, other)


def min(input, dim=None, keepdim=False, *, other=None):
    return _extreme("min", input, dim, keepdim, other)


def amax(input, dim=(), keepdim=False):
    return AmaxDims.apply(input, dim=_dims(dim, input.dim()), keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return AminDims.apply(input, dim=_dims(dim, input.dim()), keepdim=keepdim)


class AmaxDims(Amax):
    """amax(): max()'s tie sharing, but with PyTorch's amax arithmetic: a product with the
    weights (an infinite grad gives NaN beside the max), and a NaN max matches nothing (every
    weight NaN). PyTorch's max() selects instead; its amax() does not."""

    node_name = "AmaxBackward0"

    def forward(ctx, a, dim=None, keepdim=False):
        return _keep_ties(ctx, a, a.max(axis=dim, keepdims=keepdim), dim, keepdim, nan_ties=False)

    derivative = "only the largest elements count (ties share), so they receive grad × 1/k"
    def backward(ctx, grad):
        weights, = ctx.saved_tensors
        return _expand_back(grad, ctx.input_shape, ctx.dim, ctx.keepdim) * weights


class AminDims(AmaxDims):
    node_name = "AminBackward0"

    def forward(ctx, a, dim=None, keepdim=False):
        return _keep_ties(ctx, a, a.min(axis=dim, keepdims=keepdim), dim, keepdim, nan_ties=False)


def argmax(input, dim=None, keepdim=False):
    """Index of the (first) largest value; over the flattened tensor without ``dim``."""
    return _arg_extreme("argmax", input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return _arg_extreme("argmin", input, dim, keepdim)


def _arg_extreme(name, input, dim, keepdim):
    if input.dtype is _dt.bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    axis = None if dim is None else normalize_dim(dim, input.dim())
    if axis is None and input.numel() == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if axis is not None and input.dim() > 0 and input.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    if input.dim() == 0:
        axis = None
    # keepdim without dim keeps every dimension, as size 1 (PyTorch).
    return Argmax.apply(input, dim=axis, keepdim=keepdim, pick=name)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(_dt.to_dtype(dtype))
    elif not input.dtype.is_floating_point:
        input = input.to(_dt.int64)
    axis = None if dim is None else normalize_dim(dim, input.dim())
    return (Prod if axis is None else ProdDim).apply(input, dim=axis, keepdim=keepdim)


class ProdDim(Prod):
    node_name = "ProdBackward1"


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance; by default with Bessel's correction (divides by n - 1), as PyTorch."""
    return _spread(Var, input, dim, unbiased, keepdim, correction)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var`` (same arguments)."""
    return _spread(Std, input, dim, unbiased, keepdim, correction)


def _spread(op, input, dim, unbiased, keepdim, correction):
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"std and var only support floating point and complex dtypes, got {_type_word(input.dtype)}")
    return op.apply(input, dim=_dims(dim, input.dim()), correction=correction, keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    xp = module_of(input._data)
    return Tensor._wrap(row_major(xp.asarray(input._data.all(axis=dim, keepdims=keepdim))),
                        input._device)


def any(input, dim=None, keepdim=False):
    xp = module_of(input._data)
    return Tensor._wrap(row_major(xp.asarray(input._data.any(axis=dim, keepdims=keepdim))),
                        input._device)


def _type_word(dtype):
    from .promotion import _dt_name
    return _dt_name(dtype)
