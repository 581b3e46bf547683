"""Norms: how long a vector is (vector_norm, Tensor.norm, dist), and matrix norms.

    op           forward                       backward (grad = dL/d(out))
    vector_norm  (sum |a|^p)^(1/p)             grad * sign(a) |a|^(p-1) / out^(p-1)
                 p=2: sqrt(sum a²)             grad * a / out          (0 where out = 0)
                 p=1: sum |a|                  grad * sign(a)
                 p=inf: max |a|                grad * sign(a), shared among the ties
                 p=0: number of non-zeros      none (dist: 0)
    dist         vector_norm(a - b, p)         the same, + for a and - for b

The public ``autodidact.linalg`` (norm, vector_norm, matrix_norm) and
``Tensor.norm`` all end in ``vector_norm`` here, as PyTorch's do: the
Frobenius norm of a matrix is the 2-norm of its elements.
"""

import math

import numpy as np

from .. import dtypes as _dt
from ..backend import module_of
from ..function import Function
from .layout import row_major
from .masks import zero_gradient
from .reduce import _dims, _expand_back

# ----------------------------------------------------------------- the rules


class LinalgVectorNorm(Function):
    derivative = ("d(sum |a|^p)^(1/p)/da = sign(a) |a|^(p-1) / out^(p-1) (a / out for p = 2), "
                  "so a receives grad × that")

    def forward(ctx, a, ord, dim, keepdim):
        ctx.ord, ctx.dim, ctx.keepdim, ctx.input_shape = ord, dim, keepdim, a.shape
        out = row_major(_norm_array(a, ord, dim, keepdim))
        ctx.save_for_backward(a, out)
        return out

    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        return _norm_grad(ctx, a, out, grad)


class Dist(Function):
    derivative = ("dist is the norm of a - b: a receives the norm's gradient at a - b, "
                  "b receives its negative")

    def forward(ctx, a, b, p):
        diff = a - b
        ctx.ord, ctx.dim, ctx.keepdim, ctx.input_shape = p, None, False, diff.shape
        out = _norm_array(diff, p, None, False)
        ctx.save_for_backward(a, b, out)
        return out

    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        g = _norm_grad(ctx, a - b, out, grad)
        if g is None:   # p = 0 (PyTorch's own backward fails here): exact zeros
            g = zero_gradient(grad.expand(ctx.input_shape))
        return g, -g


# ------------------------------------------------------------ helpers


def _norm_array(a, ord, dim, keepdim):
    xp = module_of(a)
    size = abs(a)
    if ord == 2:
        return xp.sqrt((a * a).sum(axis=dim, keepdims=keepdim))
    if ord == 1:
        return size.sum(axis=dim, keepdims=keepdim)
    if ord == math.inf:
        return size.max(axis=dim, keepdims=keepdim)
    if ord == -math.inf:
        return size.min(axis=dim, keepdims=keepdim)
    if ord == 0:
        return (a != 0).sum(axis=dim, keepdims=keepdim).astype(a.dtype)
    with np.errstate(divide="ignore", over="ignore"):
        return (size ** ord).sum(axis=dim, keepdims=keepdim) ** (1.0 / ord)


def _norm_grad(ctx, a, out, grad):
    """The norm's gradient at ``a``, written with Tensor ops (so it can be differentiated)."""
    from .arithmetic import where
    p, shape, dim, keepdim = ctx.ord, ctx.input_shape, ctx.dim, ctx.keepdim
    grad = _expand_back(grad, shape, dim, keepdim)
    out = _expand_back(out, shape, dim, keepdim)
    if p == 0:
        return None   # a count of non-zeros: PyTorch sends no gradient (x.grad stays None)
    if p == 2:
        return where(out == 0, 0.0, grad * a / out)
    if p == 1:
        return grad * a.sign()
    if p in (math.inf, -math.inf):
        hits = (a.abs() == out).to(a.dtype)   # ties share the gradient, as for max()
        count = hits.sum(dim, keepdim=True) if dim is not None else hits.sum()
        return grad * a.sign() * hits / count
    scaled = a.sign() * a.abs() ** (p - 1) / out ** (p - 1)
    return where(out == 0, 0.0, grad * scaled)


def _float_input(name, input):
    if not input.dtype.is_floating_point:
        from .promotion import _dt_name
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_dt_name(input.dtype)}")


def _check_empty(ord, input, dim):
    if ord in (math.inf, -math.inf) or ord < 0:
        reduced = [input.shape[d] for d in (range(input.dim()) if dim is None else
                                             (dim,) if isinstance(dim, int) else dim)]
        if input.numel() == 0 and (dim is None or 0 in reduced):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord:g} norm on an empty "
                               "tensor because the operation does not have an identity")


# ------------------------------------------------------- public functions


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """The ``ord``-norm of the elements along ``dim`` (all of them by default).

        >>> autodidact.linalg.vector_norm(autodidact.tensor([3., 4.]))
        tensor(5.)
    """
    from .dispatch import _finish
    from .promotion import cast
    _float_input("linalg.vector_norm", x)
    if dtype is not None:
        x = cast(x, _dt.to_dtype(dtype))
    _check_empty(ord, x, dim)
    axes = _dims(dim, x.dim())
    return _finish(LinalgVectorNorm.apply(x, ord=float(ord), dim=axes, keepdim=keepdim), out,
                   "linalg_vector_norm")


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """A matrix norm over the two axes ``dim``: 'fro' (default), 1, -1, inf or -inf.

    1 is the largest column sum of |A|, inf the largest row sum. ('nuc' and 2
    need singular values, which autodidact does not compute.)
    """
    from .dispatch import _finish
    from .promotion import cast
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if not isinstance(dim, (tuple, list)):
        raise TypeError(f"linalg_matrix_norm() received an invalid combination of arguments - "
                        f"got (Tensor, dim={type(dim).__name__}): dim must be a tuple of two "
                        "ints, e.g. dim=(-2, -1)")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    _float_input("linalg.matrix_norm", A)
    if dtype is not None:
        A = cast(A, _dt.to_dtype(dtype))
    if ord == "fro":
        return vector_norm(A, 2, dim, keepdim, out=out)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(
            f"linalg.matrix_norm: ord={ord!r} needs singular values, which autodidact does not "
            "compute; use ord='fro', 1, -1, inf or -inf")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    rows, cols = (d % A.dim() for d in dim)
    # 1: the largest column sum (sum over rows); inf: the largest row sum.
    summed, over = (rows, cols) if abs(ord) == 1 else (cols, rows)
    sums = vector_norm(A, 1, summed, keepdim)   # |A| summed down the columns (or rows)
    if not keepdim and summed < over:
        over -= 1   # the summed axis is gone
    pick = sums.amax if ord > 0 else sums.amin
    return _finish(pick(over, keepdim=keepdim), out, "linalg_matrix_norm")


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.norm``: a matrix norm over 2 dims (or of a 2-D input given ``ord``, or for a
    string ``ord``), else a vector norm (2 by default, over all elements)."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                           f"Got {list(dim)}")
    if dim is None and ord is not None and A.dim() not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.dim()}D.")
    if ord is not None and (isinstance(ord, str) or (dim is not None and len(dim) == 2)
                            or (dim is None and A.dim() == 2)):
        return matrix_norm(A, ord, dim if dim is not None else (-2, -1), keepdim, dtype=dtype,
                           out=out)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None, *, out=None):
    """``Tensor.norm``: the p-norm of the elements (2 for 'fro'), over ``dim`` if given.

        >>> autodidact.tensor([[3., 4.], [0., 0.]]).norm()
        tensor(5.)
    """
    if p == "nuc":
        return matrix_norm(input, "nuc", dim if dim is not None else (-2, -1), keepdim)
    if not input.dtype.is_floating_point:
        _float_input("linalg.vector_norm", input)
    ord = 2 if p == "fro" or p is None else p
    return vector_norm(input, ord, dim, keepdim, dtype=dtype, out=out)


def dist(input, other, p=2):
    """The p-norm of input - other (they broadcast)."""
    from .promotion import promote
    (input, other), _ = promote(input, other)
    _float_input("linalg.vector_norm", input)
    return Dist.apply(input, other, p=float(p))


__all__ = ["norm", "dist"]
