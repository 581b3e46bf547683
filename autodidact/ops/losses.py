"""The fused losses behind ``nn``'s criteria: one node each, named and wired as PyTorch's.

    op                 forward (per element, then reduced)       backward (g = dL/d(loss))
    mse_loss           (x - t)**2                                2 (x - t) g,  -(same) for t
    nll_loss           -w[t_i] * logp[i, t_i]                    -w[t_i] g at (i, t_i), 0 elsewhere
    binary_cross_entropy
                       -w (t log x + (1 - t) log(1 - x))         w (x - t) / (x (1 - x)) g
    binary_cross_entropy_with_logits
                       (1 - t) z - (1 + (pw - 1) t) logsigmoid(z)
                                                                 w ((1 + (pw - 1) t) sigmoid(z) - pw t) g
    smooth_l1_loss     d**2 / (2 beta) if |d| < beta else |d| - beta/2      clamp(d / beta, -1, 1) g
    huber_loss         d**2 / 2 if |d| < delta else delta (|d| - delta/2)   clamp(d, -delta, delta) g

``reduction`` is 'mean' (divide the sum by the count, or for ``nll_loss``
by the total weight of the rows kept), 'sum' or 'none' (one loss per
element). Logarithms are clamped at -100 as in PyTorch, and
``logsigmoid(z) = min(z, 0) - log1p(exp(-|z|))`` never overflows, so the
losses stay finite at logits of ±1e4.

    >>> F.binary_cross_entropy_with_logits(autodidact.tensor([1e4]), autodidact.tensor([1.0]))
    tensor(0.)
"""

import numpy as np

from .. import graph
from ..backend import module_of
from ..function import Function
from ..tensor import Tensor


class _Elementwise(Function):
    """A loss computed element by element, then reduced: the shared forward and backward."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        losses = cls.losses   # forward's ctx may be a stand-in that knows no class: bind it here

        def forward(ctx, x, t, reduction="mean", **options):
            ctx.save_for_backward(x, t)
            ctx.reduction, ctx.options = reduction, options
            elementwise = losses(module_of(x), x, t, **options)
            ctx.count = elementwise.size   # x and t broadcast: the mean is over every pair
            return _reduce_array(module_of(x), elementwise, reduction, x.dtype)
        cls.forward = staticmethod(forward)

    derivative = ("x and t receive grad times d(loss)/dx and d(loss)/dt, elementwise ('mean' divides "
                  "by the number of elements)")

    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        if ctx.reduction == "mean":
            grad = grad / ctx.count if ctx.count else grad * float("nan")
        grad_x, grad_t = ctx.function.grads(x, t, grad, **ctx.options)
        need_x, need_t = ctx.needs_input_grad
        return grad_x if need_x else None, grad_t if need_t else None


def _reduce_array(xp, losses, reduction, dtype):
    if reduction == "none":
        return losses.astype(dtype, copy=False)
    total = losses.sum()
    if reduction == "mean":
        total = total / losses.size if losses.size else xp.nan
    return xp.asarray(total, dtype=dtype)


class MseLoss(_Elementwise):
    @staticmethod
    def losses(xp, x, t):
        diff = x - t
        return diff * diff

    derivative = "d(x - t)²/dx = 2(x - t), so x receives 2(x - t)·grad and t its negative"

    @staticmethod
    def grads(x, t, grad):
        grad_x = (x - t) * (grad * 2.0)
        return grad_x, -grad_x


class SmoothL1Loss(_Elementwise):
    @staticmethod
    def losses(xp, x, t, beta):
        d = xp.abs(x - t)
        return xp.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)

    derivative = ("d/dx is (x - t)/beta inside |x - t| < beta and its sign outside, so x "
                  "receives grad times that and t its negative")

    @staticmethod
    def grads(x, t, grad, beta):
        slope = ((x - t) / beta).clamp(-1.0, 1.0)   # beta > 0: F.smooth_l1_loss sends 0 to l1
        return slope * grad, -(slope * grad)


class HuberLoss(_Elementwise):
    @staticmethod
    def losses(xp, x, t, delta):
        d = xp.abs(x - t)
        return xp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))

    derivative = ("d/dx is x - t inside |x - t| < delta and ±delta outside, so x receives "
                  "grad times that and t its negative")

    @staticmethod
    def grads(x, t, grad, delta):
        slope = (x - t).clamp(-delta, delta)
        return slope * grad, -(slope * grad)


class BinaryCrossEntropy(_Elementwise):
    """-w (t log x + (1 - t) log(1 - x)) for probabilities x; ``weight`` a broadcastable array."""

    @staticmethod
    def losses(xp, x, t, weight):
        with np.errstate(divide="ignore"):   # log(0) = -inf, clamped to -100 as PyTorch does
            log_x = xp.maximum(xp.log(x), -100)
            log_1mx = xp.maximum(xp.log1p(-x), -100)
        losses = -(t * log_x + (1 - t) * log_1mx)
        return losses if weight is None else losses * weight

    derivative = ("d/dx = (x - t)/(x(1 - x)) and d/dt = log(1 - x) - log(x), each times the "
                  "weight, so x and t receive grad times those")

    @staticmethod
    def grads(x, t, grad, weight):
        if weight is not None:
            grad = grad * Tensor._wrap(weight, x._device)
        grad_x = (x - t) / (x * (1 - x)).clamp(min=1e-12) * grad
        grad_t = ((1 - x).log().clamp(min=-100) - x.log().clamp(min=-100)) * grad
        return grad_x, grad_t


class BinaryCrossEntropyWithLogits(_Elementwise):
    """BCE of sigmoid(z), from the logits z, with PyTorch's stable formula."""

    @staticmethod
    def losses(xp, z, t, weight, pos_weight):
        log_sigmoid = xp.minimum(z, 0) - xp.log1p(xp.exp(-xp.abs(z)))
        if pos_weight is not None:
            log_sigmoid = log_sigmoid * ((pos_weight - 1) * t + 1)
        losses = (1 - t) * z - log_sigmoid
        return losses if weight is None else losses * weight

    derivative = ("d/dz = (1 + (pw - 1)t)·sigmoid(z) - pw·t (sigmoid(z) - t without pos_weight) "
                  "and d/dt = -z - (pw - 1)·logsigmoid(z): z and t receive grad × weight × these")

    @staticmethod
    def grads(z, t, grad, weight, pos_weight):
        if weight is not None:
            grad = grad * Tensor._wrap(weight, z._device)
        if pos_weight is None:
            return (z.sigmoid() - t) * grad, -z * grad
        pw = Tensor._wrap(pos_weight, z._device)
        log_sigmoid = z.clamp(max=0) - ((-z.abs()).exp() + 1).log()
        grad_z = ((pw - 1) * t + 1) * z.sigmoid() - pw * t
        return grad_z * grad, (-z - (pw - 1) * log_sigmoid) * grad


class NllLoss(Function):
    """-w[t_i] logp[i, t_i] for log-probabilities (N, C) or (C,) and class indices t.

    ``target``, ``weight`` and ``ignored`` are keywords, not inputs: no
    gradient goes to them (PyTorch's node has one edge, to logp).
    ``ignored`` is None or a bool per target (those whose class is
    ``ignore_index``): they count zero and are left out of the mean.
    """

    def forward(ctx, logp, target, weight=None, ignored=None, reduction="mean"):
        xp = module_of(logp)
        target_shape = target.shape
        logp = _class_rows(logp)   # (rows, C): every position of every sample is a row
        target = target.reshape(-1)
        ignored = None if ignored is None else ignored.reshape(-1)
        rows = xp.arange(logp.shape[0])
        if ignored is not None:
            target = xp.where(ignored, 0, target)   # any valid class: those rows weigh 0
        losses = -logp[rows, target]
        if weight is None and ignored is None:
            # Every row weighs 1: one number, not an array of ones to multiply by.
            row_weight, total = logp.dtype.type(1), logp.dtype.type(len(rows))
        else:
            # Each row's weight: w[t_i] (1 without weights), 0 where ignored.
            row_weight = xp.ones(len(rows), dtype=logp.dtype) if weight is None \
                else weight[target].astype(logp.dtype)
            if ignored is not None:
                row_weight[ignored] = 0
            losses = losses * row_weight
            total = row_weight.sum()
        scale = row_weight
        if reduction == "mean":
            # No weight left (every row ignored): the loss is nan and the gradient 0, as in PyTorch.
            loss = losses.sum() / total if total else xp.nan
            scale = row_weight / total if total else row_weight * 0.0
        elif reduction == "sum":
            loss = losses.sum()
        ctx.rows, ctx.target, ctx.scale = rows, target, scale
        if reduction == "none":
            return losses.reshape(target_shape)
        return xp.asarray(loss, dtype=logp.dtype)

    derivative = ("only logp[i, t_i] enters the loss, with slope -w[t_i] (divided by the total "
                  "weight for the mean): it receives that times grad, every other entry 0")

    def backward(ctx, grad):
        shape, = ctx._input_shapes
        rows, target = ctx.rows, ctx.target
        classes = shape[1] if len(shape) > 1 else shape[0]
        if graph.is_grad_enabled():   # create_graph: a one-hot the graph can differentiate
            onehot = module_of(grad._data).zeros((len(rows), classes), dtype=grad._data.dtype)
            onehot[rows, target] = -ctx.scale
            grad_rows = Tensor._wrap(onehot, grad._device) * grad.reshape(-1, 1)
            if len(shape) <= 2:
                return grad_rows.reshape(shape)
            spread = grad_rows.reshape(shape[0], *shape[2:], classes)
            return spread.permute(0, len(shape) - 1, *range(1, len(shape) - 1))
        g = grad._data
        out = module_of(g).zeros((len(rows), classes), dtype=g.dtype)
        out[rows, target] = -(ctx.scale * g.reshape(-1))
        return Tensor._wrap(_from_class_rows(out, shape), grad._device)


class NllLoss2d(NllLoss):
    """nll_loss of (N, C, H, W) log-probabilities: PyTorch's node for inputs of 3 or more axes."""

    node_name = "NllLoss2DBackward0"


def _class_rows(logp):
    """(C,) -> (1, C); (N, C) as it is; (N, C, d1, ...) -> (N * d1 * ..., C), the class axis last."""
    if logp.ndim == 1:
        return logp[None]
    if logp.ndim == 2:
        return logp
    return module_of(logp).moveaxis(logp, 1, -1).reshape(-1, logp.shape[1])


def _from_class_rows(rows, shape):
    """The inverse of ``_class_rows``: (rows, C) back to the input's shape."""
    if len(shape) <= 2:
        return rows.reshape(shape)
    spread = rows.reshape((shape[0],) + tuple(shape[2:]) + (shape[1],))
    return module_of(rows).moveaxis(spread, -1, 1)
