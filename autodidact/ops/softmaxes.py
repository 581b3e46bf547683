"""Softmax and log_softmax: a vector made into probabilities (or their logs) along a dim.

    op            forward                      backward
    softmax       y = exp(a) / sum exp(a)      y * (grad - sum(grad * y))
    log_softmax   y = a - logsumexp(a)         grad - exp(y) * sum(grad)

Both subtract the max along ``dim`` first (``_shifted``), so ``exp`` never
overflows: softmax([1000., 1000.]) is [0.5, 0.5], not nan. They sum along a
dim but keep its length, so they live apart from the reductions::

    >>> softmax(tensor([1., 1.]), dim=0)
    tensor([0.5000, 0.5000])
"""

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor, normalize_dim
from .layout import row_major   # results are row-major, whatever the input's layout
from .reduce import _type_word

# ----------------------------------------------------------------- the rules


class Softmax(Function):
    def forward(ctx, a, dim):
        xp = module_of(a)
        x = a.astype(np.float32) if a.dtype == np.float16 else a   # half: in float32, as PyTorch
        e = xp.exp(_shifted(x, dim))
        out = row_major((e / e.sum(axis=dim, keepdims=True)).astype(a.dtype, copy=False))
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    derivative = "d sᵢ/daⱼ = sᵢ(δᵢⱼ − sⱼ), so a receives out × (grad − Σ grad·out)"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return out * (grad - (grad * out).sum(dim=ctx.dim, keepdim=True))


class LogSoftmax(Function):
    """a - logsumexp(a), computed after subtracting the max (no overflow)."""

    def forward(ctx, a, dim):
        xp = module_of(a)
        x = a.astype(np.float32) if a.dtype == np.float16 else a   # half: in float32, as PyTorch
        shifted = _shifted(x, dim)
        if x.size:   # each sum holds exp(0) = 1 from the max: its log is never log(0)
            out = shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))
        else:
            out = x.copy()   # empty: nothing to normalise (and no sum to take the log of)
        out = row_major(out.astype(a.dtype, copy=False))
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    derivative = "d(log sᵢ)/daⱼ = δᵢⱼ − sⱼ, so a receives grad − softmax(a) × Σ grad"
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        if not graph.is_grad_enabled():   # the usual case: on the arrays, not four recorded ops
            g = grad._data
            softmax = module_of(g).exp(out._data)
            return Tensor._wrap(g - softmax * g.sum(axis=ctx.dim, keepdims=True), grad._device)
        return grad - out.exp() * grad.sum(dim=ctx.dim, keepdim=True)


# ------------------------------------------------------------ public functions


def softmax(input, dim, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim``, computed without overflow."""
    input = _floating(input, dim, dtype, "softmax")
    return Softmax.apply(input, dim=_softmax_axis(dim, input))


def log_softmax(input, dim, dtype=None):
    """log(softmax(x)), computed stably as x - logsumexp(x)."""
    input = _floating(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(input, dim=_softmax_axis(dim, input))


# ------------------------------------------------------------ helpers


def _shifted(x, dim):
    """``x`` minus its max along ``dim`` (softmax's guard against overflow).

    Along an empty axis there is no max and nothing to shift: the result
    is as empty as ``x``, as in PyTorch (NumPy's max would raise).
    """
    if x.size == 0:
        return x
    return x - x.max(axis=dim, keepdims=True)


def _softmax_axis(dim, input):
    """The axis to normalise over; None for a 0-d tensor (CuPy has no axis 0 there)."""
    axis = normalize_dim(dim, input.dim())
    return axis if input.dim() else None


def _floating(input, dim, dtype, name):
    """``input`` in ``dtype`` if given; integers and bools refused with PyTorch's kernel error."""
    if dtype is not None:
        input = input.to(_dt.to_dtype(dtype))
    if not input.dtype.is_floating_point:
        kernel = f"{name}_lastdim" if normalize_dim(dim, input.dim()) >= input.dim() - 1 else name
        raise NotImplementedError(f'"{kernel}_kernel_impl" not implemented for \'{_type_word(input.dtype)}\'')
    return input
