"""The losses of ``nn.functional``: argument checks in PyTorch's words, then the ops.

Each returns the mean over elements by default; ``reduction='sum'`` adds
them up and ``reduction='none'`` returns one loss per element (per sample
for the class losses). The arithmetic lives in ``ops/losses.py``; this
file decides which op to call and refuses bad arguments first, so no op
ever sees them.

    >>> F.cross_entropy(logits, labels)                   # logits (N, C), labels int64 (N,)
    >>> F.binary_cross_entropy_with_logits(scores, targets)   # targets in [0, 1], scores' shape
"""

import warnings

import numpy as np

from .. import dtypes as _dt
from ..ops import losses
from ..ops.arithmetic import where
from ..ops.gather import _same_device
from ..ops.promotion import _dt_name, promote
from ..ops.shape import broadcast_shapes
from ..ops.softmaxes import log_softmax as _log_softmax
from ..tensor import Tensor

__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "nll_loss", "cross_entropy",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div"]

_REDUCTIONS = ("mean", "sum", "none")


# ------------------------------------------------------------------- shared checks

def _check_reduction(reduction, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _legacy_reduction(size_average, reduce, reduction):
    """The pre-1.0 flags ``size_average``/``reduce``, translated as PyTorch does (with its warning)."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                  f"{'sum' if size_average is False else 'mean'}' instead.", UserWarning,
                  stacklevel=3)
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "none" if not reduce else "mean" if size_average else "sum"


def _reduction(size_average, reduce, reduction):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    return reduction


def _same_size_or_warn(input, target):
    """Regression losses broadcast a target of another shape, with PyTorch's warning."""
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", UserWarning, stacklevel=3)
        broadcast_shapes(input.shape, target.shape)
    if input.dtype is not target.dtype:
        (input, target), _ = promote(input, target)
    return input, target


def _reduce(losses, reduction):
    return losses if reduction == "none" else losses.sum() if reduction == "sum" \
        else losses.mean()


def _array(value, like):
    """A weight tensor's array in ``like``'s dtype, or None."""
    return None if value is None else value._data.astype(like._data.dtype, copy=False)


# ------------------------------------------------------------------- regression

def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """The mean (or sum, or elementwise) squared difference between input and target."""
    reduction = _reduction(size_average, reduce, reduction)
    if weight is not None:
        raise NotImplementedError("mse_loss(weight=...) is not supported by autodidact; multiply "
                                  "the elementwise loss (reduction='none') by the weights instead")
    input, target = _same_size_or_warn(input, target)
    return losses.MseLoss.apply(input, target, reduction=reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """The mean absolute difference |input - target| (recorded as abs of a subtraction, as in PyTorch)."""
    reduction = _reduction(size_average, reduce, reduction)
    input, target = _same_size_or_warn(input, target)
    return _reduce((input - target).abs(), reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Squared below ``beta`` (divided by 2 beta), absolute above: less swayed by outliers than MSE."""
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:   # the plain L1 loss, recorded as PyTorch records it then
        return l1_loss(input, target, reduction=reduction)
    input, target = _same_size_or_warn(input, target)
    return losses.SmoothL1Loss.apply(input, target, reduction=reduction, beta=float(beta))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Squared (halved) below ``delta``, linear with slope ``delta`` above."""
    _check_reduction(reduction)
    if weight is not None:
        raise NotImplementedError("huber_loss(weight=...) is not supported by autodidact")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    input, target = _same_size_or_warn(input, target)
    return losses.HuberLoss.apply(input, target, reduction=reduction, delta=float(delta))


# ------------------------------------------------------------------- probabilities

def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1] (after a sigmoid).

    Prefer ``binary_cross_entropy_with_logits`` on the raw scores: it is
    the same loss, computed without the sigmoid's rounding.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_dt_name(target.dtype)} but expected "
                           f"{_dt_name(input.dtype)}")
    x = input._data
    if x.size and not ((x >= 0) & (x <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        weight = weight.expand(broadcast_shapes(target.shape, weight.shape))
    return losses.BinaryCrossEntropy.apply(input, target, reduction=reduction,
                                           weight=_array(weight, input))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input), computed from the logits stably.

    ``pos_weight`` (one per class, broadcast over the last axis) weighs
    the positive examples: above 1 it favours recall.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    if input.dtype is not target.dtype:
        (input, target), _ = promote(input, target)
    for value in (weight, pos_weight):
        if value is not None:
            broadcast_shapes(input.shape, value.shape)
    return losses.BinaryCrossEntropyWithLogits.apply(
        input, target, reduction=reduction, weight=_array(weight, input),
        pos_weight=_array(pos_weight, input))


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL(target || exp(input)): ``input`` holds log-probabilities, ``target`` probabilities.

    Use ``reduction='batchmean'`` for the mathematical definition (the sum
    divided by the batch size); 'mean' divides by every element, and warns.
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, _REDUCTIONS + ("batchmean",))
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", UserWarning, stacklevel=2)
    if log_target:
        pointwise = target.exp() * (target - input)
    else:
        # xlogy(t, t) - t * input: t log t is taken as 0 where t is 0 (and gets no gradient there).
        positive = target != 0
        t_log_t = where(positive, target * where(positive, target, 1.0).log(), 0.0)
        pointwise = t_log_t - target * input
    if reduction == "batchmean":
        total = pointwise.sum()
        return total / input.shape[0] if input.dim() else total
    return _reduce(pointwise, reduction)


# ------------------------------------------------------------------- classes

def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """The negative log-likelihood of each row's class, from log-probabilities (N, C).

    ``input`` holds log-probabilities (a ``log_softmax``'s output);
    ``target`` the class of each row, int64. ``weight`` (C,) weighs the
    classes; rows whose target is ``ignore_index`` count for nothing. The
    mean divides by the total weight of the rows kept.
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_class_target(input, target)
    classes = input.shape[1] if input.dim() > 1 else input.shape[0]
    if weight is not None:
        if weight.dim() != 1 or weight.shape[0] != classes:
            raise RuntimeError(f"weight tensor should be defined either for all {classes} classes "
                               f"or no classes but got weight tensor of shape: "
                               f"{list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_dt_name(input.dtype)} but found "
                               f"{_dt_name(weight.dtype)}")
    _same_device(input, target)   # the targets index the input's array
    ignored = _ignored_rows(target, classes, ignore_index)
    options = dict(weight=_array(weight, input), ignored=ignored, reduction=reduction)
    if input.dim() <= 2:
        return losses.NllLoss.apply(input, target=target._data, **options)
    if input.dim() == 4:
        return losses.NllLoss2d.apply(input, target=target._data, **options)
    # (N, C, d) or more axes: seen as (N, C, 1, d1 * d2 * ...), as PyTorch's nll_loss_nd does.
    n = input.shape[0]
    flat = input.contiguous().view(n, classes, 1, -1)
    loss = losses.NllLoss2d.apply(flat, target=target._data.reshape(n, 1, -1), **dict(
        options, ignored=None if ignored is None else ignored.reshape(n, 1, -1)))
    return loss.view(n, *input.shape[2:]) if reduction == "none" else loss


def _check_class_target(input, target):
    """PyTorch's errors for logits/log-probabilities and class indices that don't fit."""
    if not isinstance(input, Tensor) or not isinstance(target, Tensor):
        raise TypeError("input and target must be Tensors")
    if target.dtype not in (_dt.int64, _dt.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_dt_name(target.dtype)}. "
            "Class indices must be int64: use target.long()")
    if input.dim() == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0-d logits")
    if input.dim() == 1:
        if target.dim() != 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        return
    if target.dim() == 0 or input.shape[0] != target.shape[0]:
        got = target.shape[0] if target.dim() else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({got}).")
    if input.dim() == 2 and target.dim() != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() > 2 and tuple(target.shape) != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, "
                           f"got {list(target.shape)}")


def _ignored_rows(target, classes, ignore_index):
    """None when every row counts, else a bool per row: is its target ``ignore_index``?

    Raises PyTorch's IndexError for a class index outside [0, classes).
    """
    values = target._data
    if values.size == 0 or (not 0 <= ignore_index < classes and values.dtype == np.int64
                            and values.view(np.uint64).max() < classes):
        # The usual case, told by one reduction: read as unsigned, a negative
        # class is huge, so "max < classes" also says "none below 0".
        return None
    ignored = values == ignore_index
    bad = ((values < 0) | (values >= classes)) & ~ignored
    if bad.any():
        raise IndexError(f"Target {int(values[bad][0])} is out of bounds.")
    return ignored if ignored.any() else None


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of logits against class indices (or class probabilities).

    ``input`` holds raw scores (logits), shape (N, C) (or (C,), or
    (N, C, d1, ...)); ``target`` the class of each row, int64, shape (N,),
    or a probability per class, the input's shape. Recorded as PyTorch
    records it: ``nll_loss(log_softmax(input, 1), target)``. Don't apply
    softmax first: this does it, stably. ``label_smoothing`` mixes the
    target with the uniform distribution.

        >>> F.cross_entropy(autodidact.tensor([[2.0, 0.0]]), autodidact.tensor([0]))
        tensor(0.1269)
    """
    if isinstance(input, Tensor) and getattr(target, "_device", None) is not input._device:
        _same_device(input, target)   # the targets index the input's array (the same device
                                      # object, the usual case, needs no comparing)
    z, t = getattr(input, "_data", None), getattr(target, "_data", None)
    if (z is not None and t is not None and z.ndim == 2 and t.ndim == 1 and len(z) == len(t)
            and z.dtype.kind == "f" and t.dtype == np.int64 and reduction in _REDUCTIONS
            and weight is None and not label_smoothing and size_average is None
            and reduce is None):   # the usual case, told at once; the rest checks step by step
        ignored = _ignored_rows(target, z.shape[1], ignore_index)
        return losses.NllLoss.apply(_log_softmax(input, 1), target=t, ignored=ignored,
                                    reduction=reduction)
    reduction = _reduction(size_average, reduce, reduction)
    if not isinstance(input, Tensor) or not isinstance(target, Tensor):
        raise TypeError("cross_entropy(): input and target must be Tensors")
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_dt_name(input.dtype)}'")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.dim() == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0-d logits")
    class_dim = 0 if input.dim() == 1 else 1
    classes = input.shape[class_dim]
    if tuple(target.shape) == tuple(input.shape) and target.dtype.is_floating_point:
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing,
                                            class_dim)
    logp = _log_softmax(input, class_dim)
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing:
        return loss
    # Mix in the loss against the uniform distribution: -mean_c(logp) per row, weighted.
    smooth = -(logp * _broadcast_weight(weight, input, class_dim)).sum(class_dim) \
        if weight is not None else -logp.sum(class_dim)
    kept = target != ignore_index
    smooth = where(kept, smooth, 0.0)   # not a product: 0 * inf would make the gradient nan
    if reduction == "mean":
        counted = target._data[kept._data]
        total = float(weight._data[counted].sum()) if weight is not None else counted.size
        # Nothing counted: the loss is nan and the gradient 0, as in PyTorch.
        smooth = smooth.sum() / total if total else smooth.sum() + float("nan")
    elif reduction == "sum":
        smooth = smooth.sum()
    return loss * (1 - label_smoothing) + smooth * (label_smoothing / classes)


def _broadcast_weight(weight, input, class_dim):
    """A (C,) class weight shaped to multiply ``input`` along its class axis."""
    if class_dim == 0:
        return weight
    return weight.reshape((1, -1) + (1,) * (input.dim() - 2))


def _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing, class_dim):
    """Cross-entropy against a probability per class: -sum_c target_c log softmax(input)_c."""
    classes = input.shape[class_dim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != classes):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                           f"{classes} classes or no classes but got weight tensor of shape: "
                           f"{list(weight.shape)}")
    logp = _log_softmax(input, class_dim)
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = logp * target
    if weight is not None:
        terms = terms * _broadcast_weight(weight, input, class_dim)
    if reduction == "none":
        return -terms.sum(class_dim)
    if reduction == "sum":
        return -terms.sum()
    rows = input.numel() // classes if classes else 0
    return -terms.sum() / rows if rows else -terms.sum() * float("nan")
