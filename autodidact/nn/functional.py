"""nn.functional: layers and losses as plain functions (``import autodidact.nn.functional as F``).

The Modules in ``nn`` hold parameters and call these; use them directly
when you hold the weights yourself. The losses live in ``loss_functions.py``
and are imported here, so ``F.cross_entropy`` is where PyTorch has it.

    >>> logits = F.linear(x, w, b)
    >>> loss = F.cross_entropy(logits, labels)   # labels: int64 class indices
"""

import warnings

from .. import creation, graph
from ..ops import activations, layers
from ..ops.activations import gelu, softplus
from ..ops.arithmetic import relu as _relu
from ..ops.arithmetic import sigmoid as _sigmoid
from ..ops.arithmetic import tanh as _tanh
from ..ops.linalg import matmul, mm
from ..ops.promotion import _dt_name
from ..ops.softmaxes import log_softmax as _log_softmax
from ..ops.softmaxes import softmax as _softmax
from ..tensor import Tensor
from .loss_functions import (binary_cross_entropy, binary_cross_entropy_with_logits,
                             cross_entropy, huber_loss, kl_div, l1_loss, mse_loss, nll_loss,
                             smooth_l1_loss)

__all__ = ["linear", "dropout", "embedding", "batch_norm", "layer_norm", "relu", "relu6",
           "leaky_relu", "elu", "gelu", "softplus", "hardtanh", "silu", "sigmoid", "tanh",
           "softmax", "log_softmax", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
           "nll_loss", "cross_entropy", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "kl_div"]


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
    # Recorded as PyTorch records it: bias + x @ weight.t() (AddmmBackward0 over a
    # TBackward0), between views for inputs that are not 2-D; matmul without a bias.
    weight_t = layers.weight_t(weight)
    if bias is None:
        return mm(input, weight_t) if x.ndim == 2 else matmul(input, weight_t)
    if x.ndim == 2:
        return layers.Addmm.apply(bias, input, weight_t)
    if input.is_contiguous():
        rows = input.view(-1, x.shape[-1])
        return layers.Addmm.apply(bias, rows, weight_t).view(*x.shape[:-1], w.shape[0])
    return matmul(input, weight_t) + bias


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


# ------------------------------------------------------------------- dropout, embedding, norms

def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by 1/(1 - p), when training.

    The scaling keeps every element's expected value, so at evaluation
    (``training=False``) the input passes unchanged. Drawn as PyTorch's CPU
    dropout draws: a Bernoulli(1 - p) mask the shape of the input, divided
    by 1 - p, multiplied in (a ``MulBackward0`` node).

        >>> F.dropout(autodidact.ones(4), 0.5)       # e.g. tensor([2., 0., 0., 2.])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        zero = creation.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input * zero
    noise = creation.empty_like(input)
    noise.bernoulli_(1 - p)          # PyTorch's stream: one 53-bit uniform per element, u < 1 - p
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """The rows of ``weight`` picked by the integer indices in ``input``: shape input.shape + (dim,).

    Row ``padding_idx`` receives no gradient, so it stays what it is
    (``nn.Embedding`` starts it at zeros).

        >>> F.embedding(autodidact.tensor([[0, 2]]), autodidact.eye(3)).shape
        autodidact.Size([1, 2, 3])
    """
    if not isinstance(input, Tensor) or input.dtype.is_floating_point or input.dtype.name == "bool":
        kind = type(input).__name__ if not isinstance(input, Tensor) else input.type()
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following "
                           f"scalar types: Long, Int; but got {kind} instead (while checking "
                           "arguments for embedding)")
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding's max_norm=, scale_grad_by_freq= and sparse= are not "
                                  "supported by autodidact")
    rows = weight.shape[0]
    if padding_idx is not None:
        padding_idx = _check_padding_idx(padding_idx, rows)
    indices = input._data
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        raise IndexError("index out of range in self")
    return layers.Embedding.apply(weight, indices=indices, padding_idx=padding_idx)


def _check_padding_idx(padding_idx, rows):
    if padding_idx > 0 and padding_idx >= rows:
        raise AssertionError("Padding_idx must be within num_embeddings")
    if padding_idx < 0:
        if padding_idx < -rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx += rows
    return padding_idx


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalise each channel (axis 1) to mean 0 and variance 1, then scale and shift.

    Training: with the batch's statistics (over every axis but 1), and the
    running statistics (if given) move towards them by ``momentum``:
    ``running = (1 - momentum) * running + momentum * batch`` (the
    variance unbiased). Evaluation: with the running statistics.
    """
    if training:
        size = input.shape
        count = size[0]
        for extent in size[2:]:
            count *= extent
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {size}")
    channels = input.shape[1]
    dims = (0,) + tuple(range(2, input.dim()))
    shape = (1, channels) + (1,) * (input.dim() - 2)   # a (C,) vector, broadcastable
    if training or running_mean is None:
        batch_stats = []   # forward leaves the batch's mean and variance here
        out = layers.NativeBatchNorm.apply(input, weight, bias, dims=dims, eps=eps,
                                           param_shape=shape, batch_stats=batch_stats)
        if training and running_mean is not None:
            _update_running(batch_stats, input, running_mean, running_var, momentum)
        return out
    stats = (running_mean._data.reshape(shape), running_var._data.reshape(shape))
    return layers.NativeBatchNorm.apply(input, weight, bias, dims=dims, eps=eps,
                                        param_shape=shape, stats=stats)


def _update_running(batch_stats, input, running_mean, running_var, momentum):
    """running = (1 - momentum) running + momentum batch; the variance made unbiased (n/(n-1))."""
    mean, var = batch_stats
    count = input.numel() // input.shape[1]
    unbiased = var.reshape(-1) * (count / (count - 1))
    with graph.no_grad():
        for running, batch in ((running_mean, mean.reshape(-1)), (running_var, unbiased)):
            running._data *= 1 - momentum
            running._data += momentum * batch.astype(running._data.dtype)
            running._bump_version()


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise each sample over its last ``len(normalized_shape)`` axes, then scale and shift."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    count = len(normalized_shape)
    if count == 0 or tuple(input.shape[input.dim() - count:]) != normalized_shape \
            or input.dim() < count:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with "
                           f"shape [*, {', '.join(str(s) for s in normalized_shape)}], but got "
                           f"input of size{list(input.shape)}")
    dims = tuple(range(input.dim() - count, input.dim()))
    return layers.NativeLayerNorm.apply(input, weight, bias, dims=dims, eps=eps,
                                        param_shape=normalized_shape)


# ------------------------------------------------------------------- activations

def relu(input, inplace=False):
    """max(input, 0) elementwise; ``inplace=True`` overwrites ``input``."""
    return input.relu_() if inplace else _relu(input)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh between 0 and 6 (recorded as HardtanhBackward0, as in PyTorch)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else ``negative_slope * x``: negative inputs keep a small gradient."""
    return _maybe_inplace(input, activations.leaky_relu(input, negative_slope), inplace)


def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, else ``alpha * (exp(x) - 1)``: smooth, and negative down to -alpha."""
    return _maybe_inplace(input, activations.elu(input, alpha), inplace)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]; gradient 1 strictly inside, 0 outside."""
    return _maybe_inplace(input, activations.hardtanh(input, min_val, max_val), inplace)


def silu(input, inplace=False):
    """x * sigmoid(x) (also called swish)."""
    return _maybe_inplace(input, activations.silu(input), inplace)


def _maybe_inplace(input, result, inplace):
    """With ``inplace``, write ``result`` into ``input`` and return it (PyTorch's ``inplace=True``)."""
    return input.copy_(result) if inplace else result


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


# one_hot lives with gather and scatter (ops/gather.py): it puts a 1 at each class index.
from ..ops.gather import one_hot  # noqa: E402

__all__ += ["one_hot"]
