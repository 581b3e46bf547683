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
        # w's gradient needs x and x's needs w: keep only what will be used (a first
        # layer's input needs no gradient, so its weight is not kept for it).
        needs = ctx.needs_input_grad
        ctx.save_for_backward(x if needs[1] else None, weight if needs[0] else None)
        out = module_of(x).matmul(x, weight.T)
        if bias is not None:
            out += bias   # in place: no second array the size of the output
        return out

    derivative = "out = x@Wᵀ + b: x receives grad @ W, W receives gradᵀ @ x, b grad summed over rows"
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors   # None where no gradient needs it
        if graph.is_grad_enabled():   # create_graph: Tensor ops, recorded
            return _linear_grads(grad, x, weight, ctx.needs_input_grad)
        # The usual case: the same formulas on the arrays, without an op per line.
        grads = _linear_grads(grad._data, None if x is None else x._data,
                              None if weight is None else weight._data, ctx.needs_input_grad)
        return _wrap_all(grads, grad._device)


def _linear_grads(grad, x, weight, needs):
    """The three gradients of x @ w^T + b; works on Tensors and on arrays alike."""
    need_x, need_weight, need_bias = needs
    # Every row of the batch (and of any extra leading axes) adds to w's and b's gradient.
    g2 = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
    grad_x = grad @ weight if need_x else None
    grad_weight = None
    if need_weight:
        grad_weight = g2.T @ (x if x.ndim == 2 else x.reshape(-1, x.shape[-1]))
    grad_bias = g2.sum(0) if need_bias else None
    return grad_x, grad_weight, grad_bias


def _wrap_all(arrays, device):
    wrap = Tensor._wrap
    return tuple([None if a is None else wrap(a, device) for a in arrays])


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
        ctx.count = count = squared.size
        total = squared.sum()
        return module_of(a).asarray(total / count if reduction == "mean" else total,
                                    dtype=squared.dtype)

    derivative = "d mean((a−b)²)/da = 2(a−b)/n, so a receives grad × 2(a−b)/n and b the opposite"
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        scale = grad * (2.0 / ctx.count) if ctx.reduction == "mean" else grad * 2.0
        grad_a = (a - b) * scale
        return (grad_a if need_a else None), (-grad_a if need_b else None)


class CrossEntropy(Function):
    """-log softmax(z)[i, t_i] for logits z (N, C) and class indices t (N,).

    ``ignored`` (None, or a bool per row) marks rows that count zero and
    are left out of the mean. The log-softmax subtracts each row's max
    first, so large logits do not overflow.
    """

    node_name = "NllLossBackward0"

    def forward(ctx, logits, target, ignored=None, reduction="mean"):
        xp = module_of(logits)
        n = logits.shape[0]
        rows = xp.arange(n)
        if ignored is not None:
            target = xp.where(ignored, 0, target)   # any valid class: those rows weigh 0
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        losses = xp.log(total).reshape(n) - shifted[rows, target]
        # Each row's weight in the loss: 1 (0 if ignored), divided by the count for the mean.
        if ignored is None:
            weight, count = 1.0, n
        else:
            weight = (~ignored).astype(logits.dtype)[:, None]
            count = n - int(ignored.sum())
            losses *= weight[:, 0]
        if reduction == "mean":
            # Nothing kept: the loss is nan and the gradient 0, as in PyTorch.
            weight = weight / count if count else weight * 0.0
        exp /= total   # now softmax(logits), which backward needs
        ctx.save_for_backward(logits)
        ctx.probs, ctx.rows, ctx.target, ctx.weight = exp, rows, target, weight
        if reduction == "none":
            return losses
        loss = losses.sum()
        if reduction == "mean":
            loss = loss / count if count else float("nan")
        return xp.asarray(loss, dtype=logits.dtype)

    derivative = "d loss/dz = softmax(z) − onehot(target), so the logits receive grad × that"
    def backward(ctx, grad):
        logits, = ctx.saved_tensors
        if graph.is_grad_enabled():   # create_graph: a softmax the graph can differentiate
            onehot = module_of(ctx.probs).zeros_like(ctx.probs)
            onehot[ctx.rows, ctx.target] = 1
            probs, onehot = softmax(logits, 1), Tensor._wrap(onehot, logits._device)
            weight = _wrap_if_array(ctx.weight, logits)
            return (probs - onehot) * (grad.reshape(-1, 1) * weight), None
        # The usual case: the same formula on arrays, reusing forward's softmax, with
        # the one-hot part subtracted in place rather than built.
        scale = grad._data.reshape(-1, 1) * ctx.weight   # (1, 1), or (N, 1) per row
        out = ctx.probs * scale
        out[ctx.rows, ctx.target] -= scale.reshape(-1)
        return Tensor._wrap(out, grad._device), None


def _wrap_if_array(value, like):
    return value if isinstance(value, float) else Tensor._wrap(value, like._device)
