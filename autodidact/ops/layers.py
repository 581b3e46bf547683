"""The fused ops behind ``nn``: a layer's affine map and the two losses.

Each could be written with smaller ops (``x @ w.t() + b``, ``log_softmax``
then a gather); one node does the same arithmetic with fewer passes over
memory and fewer steps of the engine, which is what a training loop
spends its time on.

    op              forward                          backward (g = dL/d(out))
    linear          x @ w^T + b                      g @ w,  g^T @ x,  g summed over rows
    mse_loss        mean((a - b)**2)                 2 (a - b) g / n,  -(same)
    cross_entropy   mean(-log_softmax(z)[i, t_i])    (softmax(z) - onehot(t)) g / n

Like PyTorch, the nodes are named ``AddmmBackward0`` (``MmBackward0``
without a bias), ``MseLossBackward0`` and ``NllLossBackward0``;
cross_entropy's node also holds the log-softmax that PyTorch records as a
separate ``LogSoftmaxBackward0``.
"""

from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor
from .reduce import softmax


class Linear(Function):
    """x @ w^T + b for x of shape (..., in), w (out, in), b (out,) or None."""

    node_name = "AddmmBackward0"

    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        out = module_of(x).matmul(x, weight.T)
        if bias is not None:
            out += bias   # in place: no second array the size of the output
        return out

    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_weight, need_bias = ctx.needs_input_grad
        # Rows of a batch (and of any extra leading axes) all add to w's gradient.
        g2 = grad if grad.dim() == 2 else grad.reshape(-1, grad.shape[-1])
        grad_x = grad @ weight if need_x else None
        grad_weight = None
        if need_weight:
            x2 = x if x.dim() == 2 else x.reshape(-1, x.shape[-1])
            grad_weight = g2.t() @ x2
        grad_bias = g2.sum(0) if need_bias else None
        return grad_x, grad_weight, grad_bias


class LinearNoBias(Linear):
    node_name = "MmBackward0"


class MseLoss(Function):
    """(a - b)**2, averaged, summed, or left elementwise (``reduction``)."""

    def forward(ctx, a, b, reduction="mean"):
        ctx.save_for_backward(a, b)
        ctx.reduction = reduction
        diff = a - b
        squared = diff * diff
        if reduction == "none":
            return squared
        ctx.count = squared.size
        total = squared.sum()
        return module_of(a).asarray(total / ctx.count if reduction == "mean" else total,
                                    dtype=squared.dtype)

    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        scale = grad * (2.0 / ctx.count) if ctx.reduction == "mean" else grad * 2.0
        grad_a = (a - b) * scale
        return (grad_a if need_a else None), (-grad_a if need_b else None)


class CrossEntropy(Function):
    """-log softmax(z)[i, t_i] for logits z (N, C) and class indices t (N,).

    Rows whose target is ``ignore_index`` count zero and are left out of
    the mean. The log-softmax subtracts each row's max first, so large
    logits do not overflow.
    """

    node_name = "NllLossBackward0"

    def forward(ctx, logits, target, ignore_index=-100, reduction="mean"):
        xp = module_of(logits)
        rows = xp.arange(logits.shape[0])
        keep = target != ignore_index
        safe_target = xp.where(keep, target, 0)
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        losses = xp.log(total[:, 0]) - shifted[rows, safe_target]
        losses = xp.where(keep, losses, 0).astype(logits.dtype, copy=False)
        # Each row's share of the loss: 1/count for the mean, 1 otherwise, 0 if ignored.
        weight = keep.astype(logits.dtype)
        if reduction == "mean":
            weight /= keep.sum()   # 0 rows kept: nan, as in PyTorch
        ctx.save_for_backward(logits)
        ctx.probs, ctx.rows, ctx.target = exp / total, rows, safe_target
        ctx.weight, ctx.reduction = weight, reduction
        if reduction == "none":
            return losses
        return xp.asarray((losses * weight).sum(), dtype=logits.dtype)

    def backward(ctx, grad):
        logits, = ctx.saved_tensors
        xp = module_of(logits._data)
        if graph.is_grad_enabled():
            probs = softmax(logits, 1)   # create_graph: a softmax the graph can differentiate
        else:
            probs = Tensor._wrap(ctx.probs, logits._device)   # forward's, computed once
        onehot = xp.zeros_like(ctx.probs)
        onehot[ctx.rows, ctx.target] = 1
        scale = grad.reshape(-1, 1) * Tensor._wrap(ctx.weight[:, None], logits._device)
        return (probs - Tensor._wrap(onehot, logits._device)) * scale, None
