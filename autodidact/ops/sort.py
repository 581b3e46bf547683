"""Ordering: sort, topk, kthvalue, median, mode; and counting: unique, bincount, histograms.

    op                     forward                          backward (grad = dL/d(values))
    sort/topk/kthvalue/    values picked from a along dim,  grad put back at the picked
    median(dim)/mode       and the indices they came from   indices, 0 elsewhere
    median()               the lower middle value           grad shared among the elements
                                                            equal to it

Picking an element is a copy, so its gradient is a copy back: every
ordering op shares one backward. Counting ops give integers: nothing to
differentiate.

Which index an op returns among equal values is PyTorch's choice only
where PyTorch documents it: ``sort(stable=True)`` keeps the original
order of equal elements, ``median`` returns the lower of the two middle
values. Elsewhere the index always points at an equal value.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import device_of_array, module_of, move, to_host
from ..function import Function
from ..tensor import Tensor, normalize_dim
from .gather import ScatterAdd
from .layout import like_inputs
from .reduce import Amax, ReturnTypes, _tie_weights

# ----------------------------------------------------------------- the rules


class Sort(Function):
    """Values and indices along ``dim``; the gradient goes back to where each value came from."""

    derivative = ("each value is a copy of one element of a, so a receives grad at the "
                  "returned indices and 0 elsewhere")

    def forward(ctx, a, dim, pick, keepdim=True, keep_layout=False):
        indices = pick(a, dim)
        values = module_of(a).take_along_axis(a, indices, axis=dim)
        ctx.dim, ctx.input_shape, ctx.keepdim, ctx.indices = dim, a.shape, keepdim, indices
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        indices = indices.astype(np.int64)
        if keep_layout:   # a whole sort is laid out as its input (PyTorch); topk and the rest row-major
            values, indices = like_inputs(values, a), like_inputs(indices, a)
        return values, indices

    def backward(ctx, grad):
        if not ctx.keepdim:
            grad = grad.unsqueeze(ctx.dim)
        return ScatterAdd.apply(grad.new_zeros(ctx.input_shape), grad, index=ctx.indices,
                                dim=ctx.dim)


class Topk(Sort):
    derivative = "each of the k values is a copy of one element of a: a receives grad there"


class Kthvalue(Sort):
    derivative = "the k-th value is a copy of one element of a: a receives grad there, 0 elsewhere"


class MedianDim(Sort):
    node_name = "MedianBackward1"
    derivative = "the median is a copy of one element of a: a receives grad there, 0 elsewhere"


class Mode(Sort):
    derivative = "the mode is a copy of one element of a: a receives grad there, 0 elsewhere"


class Median(Amax):
    """The lower median of all elements; ties share the gradient evenly, as for max()."""

    node_name = "MedianBackward0"
    derivative = ("the median equals the elements that tie with it, so each of the k of them "
                  "receives grad / k")

    def forward(ctx, a):
        flat = module_of(a).sort(a.reshape(-1))   # NaNs sort last
        if flat.size == 0:
            out = module_of(a).asarray(np.nan, a.dtype)
        elif flat[-1] != flat[-1]:
            out = flat[-1]   # a NaN makes the median NaN (PyTorch)
        else:
            out = flat[(flat.size - 1) // 2]
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, None, False
        ctx.save_for_backward(_tie_weights(a, out, None, False))
        return out


class Unique2(Function):
    """unique: the sorted distinct values (and inverse, counts); PyTorch has no backward."""

    def forward(ctx, a, sorted, return_inverse, return_counts, dim):
        host = to_host(a)
        found = np.unique(host, return_inverse=True, return_counts=True, axis=dim)
        values, inverse, counts = found
        inverse = inverse.reshape(host.shape if dim is None else (host.shape[dim],))
        back = (lambda x: x) if module_of(a) is np else (
            lambda x: move(x, device_of_array(a)))
        return back(values), back(inverse.astype(np.int64)), back(counts.astype(np.int64))


# ------------------------------------------------------------ helpers


def _stable_order(a, dim, descending):
    """Indices that sort ``a`` along ``dim``, equal elements kept in their original order.

    Descending without negating (unsigned integers would wrap): sort the
    reversed array ascending, reverse the result, and map the positions back.
    """
    xp = module_of(a)
    if not descending:
        return xp.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    flipped = xp.flip(a, axis=dim)
    return n - 1 - xp.flip(xp.argsort(flipped, axis=dim, kind="stable"), axis=dim)


def _first(k, descending):
    def pick(a, dim):
        return _stable_order(a, dim, descending).take(module_of(a).arange(k), axis=dim)
    return pick


def _at(position):
    """The sorted position ``position(n)`` along dim, kept as a size-1 axis."""
    def pick(a, dim):
        order = _stable_order(a, dim, False)
        return order.take(module_of(a).asarray([position(a.shape[dim])]), axis=dim)
    return pick


def _lower_median(a, dim):
    """The lower median's position along dim, or the first NaN's where a slice holds one
    (PyTorch's median of a slice with a NaN is NaN)."""
    picks = _at(lambda n: (n - 1) // 2)(a, dim)
    if a.dtype.kind == "f":
        xp = module_of(a)
        nan = xp.isnan(a)
        if nan.any():
            first_nan = xp.expand_dims(nan.argmax(axis=dim), dim)
            picks = xp.where(nan.any(axis=dim, keepdims=True), first_nan, picks)
    return picks


def _most_frequent(a, dim):
    """The smallest of the most frequent values along dim, at its last position (PyTorch's)."""
    host = np.moveaxis(to_host(a), dim, -1)
    rows = host.reshape(-1, host.shape[-1])
    picks = np.empty(len(rows), dtype=np.int64)
    for r, row in enumerate(rows):
        values, counts = np.unique(row, return_counts=True)
        best = values[np.argmax(counts)]
        picks[r] = np.nonzero(row == best)[0][-1]
    picks = np.moveaxis(picks.reshape(host.shape[:-1] + (1,)), -1, dim)
    return picks if module_of(a) is np else move(picks, device_of_array(a))


def _axis(input, dim):
    return normalize_dim(dim, input.dim())


def _as_vector(input):
    """A 0-d tensor sorts as a 1-element vector, and comes back 0-d."""
    return input.reshape(1) if input.dim() == 0 else input


def _pair(name, input, values, indices):
    if input.dim() == 0:
        values, indices = values.reshape(()), indices.reshape(())
    return ReturnTypes[name](values, indices)


def _refuse_bool(input, kernel):
    if input.dtype is _dt.bool:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


# ------------------------------------------------------- public functions


def sort(input, dim=-1, descending=False, *, stable=False, out=None):
    """(values, indices) sorted along ``dim``; equal elements keep their order (always stable).

        >>> autodidact.tensor([3., 1., 2.]).sort().indices
        tensor([1, 2, 0])
    """
    axis = _axis(input, dim)
    values, indices = Sort.apply(_as_vector(input), dim=axis, keep_layout=True,
                                 pick=lambda a, d: _stable_order(a, d, descending))
    return _pair("sort", input, values, indices)


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``)."""
    return sort(input, dim, descending, stable=stable).indices


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) values along ``dim`` and their indices, largest first."""
    axis = _axis(input, dim)
    size = input.shape[axis] if input.dim() else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if input.dtype is _dt.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    values, indices = Topk.apply(_as_vector(input), dim=axis, pick=_first(k, largest))
    return _pair("topk", input, values, indices)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest value along ``dim`` (k counts from 1) and its index."""
    axis = _axis(input, dim)
    size = input.shape[axis] if input.dim() else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    _refuse_bool(input, "kthvalue_cpu")
    values, indices = Kthvalue.apply(_as_vector(input), dim=axis, pick=_at(lambda n: k - 1),
                                     keepdim=keepdim or input.dim() == 0)
    return _pair("kthvalue", input, values, indices)


def median(input, dim=None, keepdim=False, *, out=None):
    """The lower median (of an even count, the smaller middle value); with ``dim``, and index.

        >>> autodidact.tensor([1., 4., 2., 3.]).median()
        tensor(2.)
    """
    _refuse_bool(input, "median_cpu" if dim is None else "median_out")
    if dim is None:
        return Median.apply(input)
    axis = _axis(input, dim)
    if input.dim() and input.shape[axis] == 0:
        raise IndexError(f"median(): Expected reduction dim {axis} to have non-zero size.")
    values, indices = MedianDim.apply(_as_vector(input), dim=axis,
                                      pick=_lower_median,
                                      keepdim=keepdim or input.dim() == 0)
    return _pair("median", input, values, indices)


def mode(input, dim=-1, keepdim=False, *, out=None):
    """The most frequent value along ``dim`` (the smallest if several are) and an index of it."""
    axis = _axis(input, dim)
    values, indices = Mode.apply(_as_vector(input), dim=axis, pick=_most_frequent,
                                 keepdim=keepdim or input.dim() == 0)
    return _pair("mode", input, values, indices)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values, sorted; optionally where each element went and how many there were.

        >>> autodidact.unique(autodidact.tensor([3, 1, 3]), return_counts=True)
        (tensor([1, 3]), tensor([1, 2]))
    """
    axis = None if dim is None else _axis(input, dim)
    values, inverse, counts = Unique2.apply(input, sorted=sorted, return_inverse=return_inverse,
                                            return_counts=return_counts, dim=axis)
    extra = [t for t, wanted in ((inverse, return_inverse), (counts, return_counts)) if wanted]
    return (values, *extra) if extra else values


def bincount(input, weights=None, minlength=0):
    """How many times each non-negative integer occurs (or the sum of its ``weights``)."""
    if input.dim() != 1 or input.dtype.is_floating_point or input.dtype is _dt.bool or (
            input.numel() and int(input._data.min()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    xp = module_of(input._data)
    w = None if weights is None else weights._data
    counts = xp.bincount(input._data, weights=w, minlength=minlength)
    if weights is None:
        counts = counts.astype(np.int64)
    elif weights.dtype is not _dt.float32:
        counts = counts.astype(np.float64)
    else:
        counts = counts.astype(np.float32 if weights.dtype is _dt.float32 else np.float64)
    return Tensor._wrap(counts, input._device)


def histc(input, bins=100, min=0, max=0, *, out=None):
    """Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0).

    Values outside [min, max] are ignored; the last bin includes ``max``.
    """
    if not input.dtype.is_floating_point:
        from .promotion import _dt_name
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{_dt_name(input.dtype)}\'')
    low, high = float(min), float(max)
    if low == high and input.numel():
        low, high = float(input._data.min()), float(input._data.max())
    if low == high:
        low, high = low - 1, high + 1
    xp = module_of(input._data)
    counts, _ = xp.histogram(input._data, bins=bins, range=(low, high))
    return Tensor._wrap(counts.astype(input._data.dtype), input._device)


def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """(hist, bin_edges): counts in ``bins`` bins (a number, or a tensor of edges)."""
    xp = module_of(input._data)
    edges = bins._data if isinstance(bins, Tensor) else bins
    data = input._data
    if range is None and not isinstance(bins, Tensor):
        range = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
    w = None if weight is None else weight._data
    hist, edges = xp.histogram(data, bins=edges, range=range, weights=w, density=density)
    dtype = data.dtype
    return ReturnTypes["histogram"](Tensor._wrap(hist.astype(dtype), input._device),
                                    Tensor._wrap(edges.astype(dtype), input._device))


__all__ = ["sort", "argsort", "topk", "kthvalue", "median", "mode", "unique", "bincount",
           "histc", "histogram"]
