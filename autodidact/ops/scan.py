"""Running totals along a dimension, and logsumexp.

    op         forward                     backward (grad = dL/d(out))
    cumsum     out_j = sum_{i<=j} a_i      a_i receives sum_{j>=i} grad_j (a reversed cumsum)
    cumprod    out_j = prod_{i<=j} a_i     a_i receives sum_{j>=i} grad_j * out_j / a_i
    logsumexp  log sum exp(a)  (stably)    grad * exp(a - out) = grad * softmax(a)

Each element of a running total feeds every later element, so its
gradient collects from all of them: a cumulative sum run backwards.
"""

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of
from ..function import Function
from ..tensor import normalize_dim
from .dispatch import _finish
from .layout import row_major
from .promotion import cast
from .reduce import _dims, _expand_back

# ----------------------------------------------------------------- the rules


class Cumsum(Function):
    derivative = ("out_j adds up a_i for every i <= j, so a_i receives the sum of grad_j "
                  "over j >= i: grad cumsummed from the end")

    def forward(ctx, a, dim):
        ctx.dim = dim
        return row_major(module_of(a).cumsum(a, axis=dim, dtype=a.dtype))

    def backward(ctx, grad):
        return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim)


class Cumprod(Function):
    derivative = ("d out_j / d a_i = product of a_k for k <= j, k != i, so a_i receives "
                  "sum over j >= i of grad_j × that product")

    def forward(ctx, a, dim):
        ctx.dim = dim
        out = row_major(module_of(a).cumprod(a, axis=dim, dtype=a.dtype))
        ctx.save_for_backward(a, out)
        return out

    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if not (a == 0).any():
            # out_j / a_i is the product without a_i: one reversed cumsum.
            return (grad * out).flip(dim).cumsum(dim).flip(dim) / a
        # A zero makes the division undefined: take each a_i out in turn
        # (replaced by 1) and differentiate the running product directly.
        n = a.shape[dim]
        pieces = []
        for i in range(n):
            ones = a.narrow(dim, i, 1) * 0 + 1
            without_i = _cat([a.narrow(dim, 0, i), ones, a.narrow(dim, i + 1, n - i - 1)], dim)
            later = (grad * cumprod(without_i, dim)).narrow(dim, i, n - i)
            pieces.append(later.sum(dim, keepdim=True))
        return _cat(pieces, dim)


class Logsumexp(Function):
    derivative = ("d log(sum exp(a))/da = exp(a - out), the softmax of a, so a receives "
                  "grad × exp(a - out)")

    def forward(ctx, a, dim, keepdim=False):
        xp = module_of(a)
        ctx.input_shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        if a.size == 0:
            out = xp.full(_reduced_shape(a.shape, dim, keepdim), -np.inf, dtype=a.dtype)
        else:
            # Subtract the max first: exp of a large number would overflow.
            top = a.max(axis=dim, keepdims=True)
            top = xp.where(xp.isfinite(top), top, 0)
            with np.errstate(divide="ignore"):
                out = xp.log(xp.exp(a - top).sum(axis=dim, keepdims=True)) + top
            if not keepdim:
                out = out.squeeze(dim)
            out = row_major(out.astype(a.dtype, copy=False))
        ctx.save_for_backward(a, out)
        return out

    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        shape, dim, keepdim = ctx.input_shape, ctx.dim, ctx.keepdim
        return _expand_back(grad, shape, dim, keepdim) * (a - _expand_back(out, shape, dim,
                                                                            keepdim)).exp()


# ------------------------------------------------------------ helpers


def _cat(pieces, dim):
    from .shape_functions import cat
    return cat(pieces, dim)


def _reduced_shape(shape, dim, keepdim):
    axes = range(len(shape)) if dim is None else (dim,) if isinstance(dim, int) else dim
    if keepdim:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _scan(function, input, dim, dtype, out, name):
    if dtype is not None:
        input = cast(input, _dt.to_dtype(dtype))
    elif not input.dtype.is_floating_point:
        input = cast(input, _dt.int64)   # integers and bools accumulate in int64, as PyTorch
    axis = normalize_dim(dim, input.dim())
    if input.dim() == 0:
        return _finish(input * 1, out, name)
    return _finish(function.apply(input, dim=axis), out, name)


# ------------------------------------------------------- public functions


def cumsum(input, dim, *, dtype=None, out=None):
    """Running sum along ``dim``: cumsum([1, 2, 3]) is [1, 3, 6]. Integers sum in int64.

        >>> autodidact.tensor([1., 2., 3.]).cumsum(0)
        tensor([1., 3., 6.])
    """
    return _scan(Cumsum, input, dim, dtype, out, "cumsum")


def cumprod(input, dim, *, dtype=None, out=None):
    """Running product along ``dim``: cumprod([1, 2, 3]) is [1, 2, 6]; zeros are allowed."""
    return _scan(Cumprod, input, dim, dtype, out, "cumprod")


def logsumexp(input, dim, keepdim=False, *, out=None):
    """log(sum(exp(input))) along ``dim``, computed without overflow (integers as floats).

        >>> autodidact.tensor([1000., 1000.]).logsumexp(0)   # not inf
        tensor(1000.6931)
    """
    if not input.dtype.is_floating_point:
        input = cast(input, _dt.get_default_dtype())
    axes = _dims(dim, input.dim())
    return _finish(Logsumexp.apply(input, dim=axes, keepdim=keepdim), out, "logsumexp")


__all__ = ["cumsum", "cumprod", "logsumexp"]
