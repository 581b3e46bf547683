"""The fused ops behind ``nn``'s layers: the affine map, the embedding lookup, the two norms.

Each could be written with smaller ops (``x @ w.t() + b``, a mean, a
variance...); one node does the same arithmetic with fewer passes over
memory and fewer steps of the engine, which is what a training loop
spends its time on. The nodes are the ones PyTorch records, with their
inputs in PyTorch's order, so a program that walks ``grad_fn`` meets the
same graph.

    op           forward                           backward (g = dL/d(out))
    addmm        b + x @ wt                        g summed over rows,  g @ wt^T,  x^T @ g
    embedding    weight[indices]                   g added into the rows picked (none at padding)
    batch_norm   (x - mean) / sqrt(var + eps) * w + b, statistics over all axes but the channel
    layer_norm   the same, statistics over the last axes (normalized_shape)
                 both: dx = (w g - mean(w g) - xhat mean(w g xhat)) / sqrt(var + eps),
                       dw = sum(g xhat),  db = sum(g)

    >>> F.linear(x, w, b).grad_fn          # what nn.Linear records
    <AddmmBackward0 object at 0x...>
"""

from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor
from .index import IndexBackwardScatter
from .shape import TransposeMatrix


class Addmm(Function):
    """bias + x @ wt for x (rows, in), wt = weight.t() (in, out) and bias (out,): nn.Linear's node."""

    def forward(ctx, bias, x, wt):
        # wt's gradient needs x and x's needs wt: keep only what will be used (a first
        # layer's input needs no gradient, so its weight is not kept for it).
        needs = ctx.needs_input_grad
        ctx.save_for_backward(x if needs[2] else None, wt if needs[1] else None)
        out = module_of(x).matmul(x, wt)
        out += bias   # in place: no second array the size of the output
        return out

    derivative = "b receives grad summed over rows, x receives grad·wtᵀ and wt receives xᵀ·grad (the product rule)"

    def backward(ctx, grad):
        x, wt = ctx.saved_tensors   # None where no gradient needs it
        need_bias, need_x, need_wt = ctx.needs_input_grad
        if graph.is_grad_enabled():   # create_graph: Tensor ops, recorded
            return (grad.sum(0) if need_bias else None, grad @ wt.t() if need_x else None,
                    (grad.t() @ x).t() if need_wt else None)
        # The usual case: the same formulas on the arrays, without an op per line.
        g = grad._data
        wrap, device = Tensor._wrap, grad._device
        return (wrap(g.sum(0), device) if need_bias else None,
                wrap(g @ wt._data.T, device) if need_x else None,
                # (g^T x)^T: contiguous once TBackward0 transposes it back to weight's layout.
                wrap((g.T @ x._data).T, device) if need_wt else None)


class TransposeWeight(TransposeMatrix):
    """``weight.t()`` inside nn.Linear: PyTorch's ``TBackward0``, handing back an owned gradient.

    Addmm gives it (x^T g)^T, a transposed view; transposing back yields an
    array laid out exactly as its base, and the base itself is returned, so
    that ``weight.grad`` takes it as it is instead of copying a view.
    """

    node_name = "TBackward0"

    def forward(ctx, a):
        return a.T   # a 2-D weight: no axes to keep on ctx (PyTorch's TBackward0 keeps none)

    derivative = "the transpose moves entries without changing them, so the weight receives grad transposed back"

    def backward(ctx, grad):
        if graph.is_grad_enabled():   # create_graph: the recorded transpose
            return grad.t()
        out = grad._data.T
        base = out.base
        if base is not None and base.shape == out.shape and base.strides == out.strides:
            out = base
        return Tensor._wrap(out, grad._device)


def weight_t(weight):
    """``weight.t()`` as nn.Linear records it (a view of the weight, a ``TBackward0`` node).

    The view never leaves F.linear, so it takes from ``_as_view`` only what
    backward needs, the weight's version counter (a weight changed in place
    before backward is caught), not the registry of views kept for in-place
    ops on them (a weak reference added and dropped every step).
    """
    out = TransposeWeight.apply(weight)
    out._vc = weight._vc
    out._base = weight if weight._base is None else weight._base
    return out


class Embedding(Function):
    """Rows of ``weight`` picked by integer ``indices`` (a keyword: it carries no gradient)."""

    def forward(ctx, weight, indices, padding_idx=None):
        ctx.indices, ctx.padding_idx = indices, padding_idx
        return weight[indices]

    derivative = ("each output row is a copy of one weight row, so that row receives the sum of "
                  "the grads of every place it was picked (none for padding_idx)")

    def backward(ctx, grad):
        weight_shape, = ctx._input_shapes
        if ctx.padding_idx is not None:
            keep = Tensor._wrap(ctx.indices != ctx.padding_idx, grad._device)
            grad = grad * keep.unsqueeze(-1).to(grad.dtype)
        return IndexBackwardScatter.apply(grad, key=(ctx.indices,), shape=weight_shape)


class _Normalize(Function):
    """(x - mean) / sqrt(var + eps) * weight + bias, with the statistics over ``dims``.

    ``weight`` and ``bias`` (or None) are broadcast as ``param_shape``
    against x: (1, C, 1) for BatchNorm's (C,) vectors, as they are for
    LayerNorm. Backward recomputes the statistics with Tensor ops, so that
    it can itself be differentiated.
    """

    def forward(ctx, x, weight, bias, dims, eps, param_shape, stats=None, batch_stats=None):
        # stats: given (mean, var) arrays, as BatchNorm in eval mode uses its running ones;
        # batch_stats: a list that receives the batch's (mean, var), for the running ones.
        xp = module_of(x)
        if stats is None:
            mean = x.mean(axis=dims, keepdims=True)
            centred = x - mean
            var = (centred * centred).mean(axis=dims, keepdims=True)
        else:
            mean, var = stats
            centred = x - mean
        ctx.save_for_backward(x, weight)
        ctx.dims, ctx.eps, ctx.stats, ctx.param_shape = dims, eps, stats, param_shape
        if batch_stats is not None:
            batch_stats.extend((mean, var))
        out = centred / xp.sqrt(var + eps)
        if weight is not None:
            out *= weight.reshape(param_shape)
        if bias is not None:
            out += bias.reshape(param_shape)
        return out.astype(x.dtype, copy=False)

    derivative = ("with xhat = (x - mean)/sqrt(var + eps): weight receives sum(grad·xhat), bias "
                  "sum(grad), and x the scaled grad minus its mean and its projection on xhat")

    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_weight, need_bias = ctx.needs_input_grad
        weight_shape, bias_shape = ctx._input_shapes[1:]
        dims, param_shape = ctx.dims, ctx.param_shape
        scaled = grad if weight is None else grad * weight.reshape(param_shape)
        if ctx.stats is not None:   # fixed statistics: an affine map of x
            mean, var = (Tensor._wrap(s, grad._device) for s in ctx.stats)
            std = (var + ctx.eps).sqrt()
            xhat = (x - mean) / std
            grad_x = scaled / std if need_x else None
        else:
            mean = x.mean(dims, keepdim=True)
            centred = x - mean
            inv_std = 1 / ((centred * centred).mean(dims, keepdim=True) + ctx.eps).sqrt()
            xhat = centred * inv_std
            grad_x = None
            if need_x:
                grad_x = (scaled - scaled.mean(dims, keepdim=True)
                          - xhat * (scaled * xhat).mean(dims, keepdim=True)) * inv_std
        grad_weight = (grad * xhat).sum_to_size(param_shape).reshape(weight_shape) \
            if need_weight else None
        grad_bias = grad.sum_to_size(param_shape).reshape(bias_shape) if need_bias else None
        return grad_x, grad_weight, grad_bias


class NativeBatchNorm(_Normalize):
    """BatchNorm's node: statistics per channel, over the batch (and length) axes."""


class NativeLayerNorm(_Normalize):
    """LayerNorm's node: statistics per sample, over the last axes."""
