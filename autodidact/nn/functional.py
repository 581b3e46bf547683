"""nn.functional: layers and losses as plain functions (``import autodidact.nn.functional as F``).

The Modules in ``nn`` hold parameters and call these; use them directly
when you hold the weights yourself.

    >>> logits = F.linear(x, w, b)
    >>> loss = F.cross_entropy(logits, labels)   # labels: int64 class indices
"""

import warnings

import numpy as np

from .. import dtypes as _dt
from ..ops import layers
from ..ops.elementwise import _dt_name, promote
from ..ops.elementwise import relu as _relu
from ..ops.elementwise import sigmoid as _sigmoid
from ..ops.elementwise import tanh as _tanh
from ..ops.reduce import log_softmax as _log_softmax
from ..ops.reduce import softmax as _softmax
from ..ops.shape import broadcast_shapes
from ..tensor import Tensor

__all__ = ["linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss",
           "cross_entropy"]

_REDUCTIONS = ("mean", "sum", "none")


# ------------------------------------------------------------------- layers

def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: weight is (out_features, in_features).

    The dtypes must match (a float64 input into float32 weights is an
    error, as in PyTorch: convert one of them with ``.float()``/``.double()``).
    """
    # One quick test for the usual case; the detailed checks only when it fails.
    x = getattr(input, "_data", None)
    w = getattr(weight, "_data", None)
    b = None if bias is None else getattr(bias, "_data", None)
    if (x is None or w is None or x.ndim == 0 or w.ndim != 2 or x.dtype != w.dtype
            or x.shape[-1] != w.shape[1]
            or bias is not None and (b is None or b.dtype != w.dtype or b.shape != w.shape[:1])):
        _check_linear(input, weight, bias)
    if bias is None:
        return layers.LinearNoBias.apply(input, weight, None)
    return layers.Linear.apply(input, weight, bias)


def _check_linear(input, weight, bias):
    """Raise PyTorch's error for what is wrong with linear's arguments (if anything is)."""
    for name, value in (("input", input), ("weight", weight), ("bias", bias)):
        if not isinstance(value, Tensor) and not (name == "bias" and value is None):
            raise TypeError(f"linear(): argument '{name}' must be Tensor, not {type(value).__name__}")
    if input.dim() == 0 or weight.dim() != 2:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input.dim()}D and {weight.dim()}D")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{_dt_name(input.dtype)} and {_dt_name(weight.dtype)}")
    out_features, in_features = weight.shape
    if input.shape[-1] != in_features:
        rows = input.numel() // input.shape[-1] if input.shape[-1] else 0
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} "
                           f"and {in_features}x{out_features})")
    if bias is not None:
        if bias.dtype is not weight.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{_dt_name(bias.dtype)} and {_dt_name(weight.dtype)}")
        if tuple(bias.shape) not in ((out_features,), (), (1,)):
            raise RuntimeError(f"The size of tensor a ({out_features}) must match the size of "
                               f"tensor b ({bias.shape[-1]}) at non-singleton dimension "
                               f"{input.dim() - 1}")


# ------------------------------------------------------------------- activations

def relu(input, inplace=False):
    """max(input, 0) elementwise; ``inplace=True`` overwrites ``input``."""
    return input.relu_() if inplace else _relu(input)


def sigmoid(input):
    """1 / (1 + exp(-input)), computed without overflow."""
    return _sigmoid(input)


def tanh(input):
    return _tanh(input)


def _softmax_dim(name, ndim):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim`` (the class axis: ``dim=1`` for a batch of logits)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input, dim=None, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably as x - logsumexp(x)."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    return _log_softmax(input, dim, dtype=dtype)


# ------------------------------------------------------------------- losses

def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
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


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """The mean (or sum, or elementwise) squared difference between input and target."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if weight is not None:
        raise NotImplementedError("mse_loss(weight=...) is not supported by autodidact; multiply "
                                  "the elementwise loss (reduction='none') by the weights instead")
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", UserWarning, stacklevel=2)
        broadcast_shapes(input.shape, target.shape)
    if input.dtype is not target.dtype:
        (input, target), _ = promote(input, target)
    return layers.MseLoss.apply(input, target, reduction=reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of logits against class indices.

    ``input`` holds raw scores (logits), shape (N, C) (or (C,), or
    (N, C, d1, ...)); ``target`` the class of each row, int64, shape (N,).
    The mean over rows by default. Don't apply softmax first: this does it,
    stably.

        >>> F.cross_entropy(autodidact.tensor([[2.0, 0.0]]), autodidact.tensor([0]))
        tensor(0.1269)
    """
    z, t = getattr(input, "_data", None), getattr(target, "_data", None)
    if (z is not None and t is not None and z.ndim == 2 and t.ndim == 1 and len(z) == len(t)
            and z.dtype.kind == "f" and t.dtype == np.int64 and reduction in _REDUCTIONS
            and weight is None and not label_smoothing and size_average is None
            and reduce is None):   # the usual case, told at once; the rest checks step by step
        ignored = _ignored_rows(target, z.shape[1], ignore_index)
        return layers.CrossEntropy.apply(input, target, ignored=ignored, reduction=reduction)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if weight is not None or label_smoothing:
        raise NotImplementedError(
            "cross_entropy's weight= and label_smoothing= are not supported by autodidact; "
            "weight the elementwise loss (reduction='none') yourself")
    if not isinstance(input, Tensor) or not isinstance(target, Tensor):
        raise TypeError("cross_entropy(): input and target must be Tensors")
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_dt_name(input.dtype)}'")
    if target.dtype.is_floating_point and tuple(target.shape) == tuple(input.shape):
        raise NotImplementedError(
            "cross_entropy with class probabilities as target is not supported by autodidact; "
            "pass class indices (int64), or compute -(target * F.log_softmax(input, 1)).sum(1).mean()")
    if target.dtype not in (_dt.int64, _dt.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_dt_name(target.dtype)}. "
            "Class indices must be int64: use target.long()")
    if input.dim() == 1:   # one sample: (C,) logits and a 0-d target
        if target.dim() != 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        loss = cross_entropy(input.unsqueeze(0), target.reshape(1), ignore_index=ignore_index,
                             reduction=reduction)
        return loss.reshape(()) if reduction == "none" else loss
    if input.dim() == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0-d logits")
    if target.dim() == 0 or input.shape[0] != target.shape[0]:
        got = target.shape[0] if target.dim() else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({got}).")
    if input.dim() > 2:   # (N, C, d1, ...): every position is a row of C scores
        classes = input.shape[1]
        spatial = tuple(target.shape)
        if spatial != (input.shape[0],) + tuple(input.shape[2:]):
            raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, "
                               f"got {list(target.shape)}")
        rows = input.permute(0, *range(2, input.dim()), 1)   # the class axis last
        loss = cross_entropy(rows.reshape(-1, classes), target.reshape(-1),
                             ignore_index=ignore_index, reduction=reduction)
        return loss.reshape(spatial) if reduction == "none" else loss
    if target.dim() != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    ignored = _ignored_rows(target, input.shape[1], ignore_index)
    return layers.CrossEntropy.apply(input, target, ignored=ignored, reduction=reduction)


def _ignored_rows(target, classes, ignore_index):
    """None when every row counts, else a bool per row: is its target ``ignore_index``?

    Raises PyTorch's IndexError for a class index outside [0, classes).
    """
    values = target._data
    if values.size == 0 or (values.min() >= 0 and values.max() < classes
                            and not 0 <= ignore_index < classes):
        return None   # the usual case, told by two quick reductions
    ignored = values == ignore_index
    bad = ((values < 0) | (values >= classes)) & ~ignored
    if bad.any():
        raise IndexError(f"Target {int(values[bad][0])} is out of bounds.")
    return ignored if ignored.any() else None



# one_hot lives with gather and scatter (ops/gather.py): it puts a 1 at each class index.
from ..ops.gather import one_hot  # noqa: E402

__all__ += ["one_hot"]
