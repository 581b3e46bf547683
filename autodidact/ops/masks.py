"""Masked gradients: how a rule that *selects* passes its gradient on.

relu, clamp, max, where and friends send the gradient to some elements and
exactly 0 to the others. The tempting ``grad * mask`` is wrong when the
gradient from above is infinite or NaN: ``inf * 0 = nan``, so an element
that should receive nothing would receive NaN (``sqrt`` just after ``relu``
sends ``inf`` back at 0). PyTorch *selects* instead (``where(mask, grad, 0)``);
``masked_grad`` does the same, taking the fast product when ``grad`` is finite.

They live apart from the rules so that every selecting rule (elementwise,
activations, reductions) shares one careful implementation::

    >>> masked_grad(tensor([inf, inf, 2.]), tensor([0., 1., 0.5]))
    tensor([0., inf, 1.])
"""

import numpy as np

from .. import graph
from ..backend import module_of
from ..tensor import Tensor


def masked_grad(grad, share):
    """``grad * share``, except that a share of 0 gives exactly 0, whatever ``grad`` holds.

    ``share`` says how much of the gradient each element receives: 1, 0, or
    1/2 on a tie. PyTorch *selects* (``where(mask, grad, 0)``), so an element
    that receives nothing gets 0 even from an infinite or NaN gradient, where
    the product would give ``inf * 0 = NaN``. The product is the fast path
    (``where()`` is ten times slower on a random mask); one look at ``grad``
    says whether it can be taken.

        >>> masked_grad(tensor([inf, inf, 2.]), tensor([0., 1., 0.5]))
        tensor([0., inf, 1.])
    """
    if graph.is_grad_enabled():   # create_graph=True: recorded ops, to differentiate again
        from .arithmetic import where   # a public function: imported where it runs (one-way imports)
        if not isinstance(share, Tensor):
            share = Tensor._wrap(share.astype(grad._data.dtype), grad._device)
        with np.errstate(invalid="ignore"):   # the NaNs of inf * 0 are replaced at once
            return where(share != 0, grad * share, 0.0)
    g, s = grad._data, share._data if isinstance(share, Tensor) else share
    xp = module_of(g)
    if xp.isfinite(g).all():
        return Tensor._wrap(g * s, grad._device)   # the usual case: one product
    with np.errstate(invalid="ignore"):
        return Tensor._wrap(xp.where(s != 0, g * s, 0).astype(g.dtype, copy=False), grad._device)


def masked_grads(grad, shares, needed):
    """``masked_grad`` by each input's share, for the inputs that need a gradient (else None)."""
    return tuple([masked_grad(grad, share) if need else None
                  for share, need in zip(shares, needed)])


def zero_gradient(grad):
    """The gradient of a step function (round, sign, floor): zeros, even for an infinite grad."""
    return Tensor._wrap(module_of(grad._data).zeros_like(grad._data), grad._device)


def _mask_between(a, low, high):
    """1 where low <= a <= high, 0 elsewhere (and at NaN), in a's dtype."""
    inside = True
    if low is not None:
        inside = inside & (a >= low)
    if high is not None:
        inside = inside & (a <= high)
    return module_of(a).asarray(inside).astype(a.dtype)


def _clamp_shares(a, low, high):
    """Which of a, low and high gives clamp(a, low, high) its value, elementwise (0/1 in
    a's dtype; None for a missing bound). Where low > high, high wins, as in PyTorch."""
    below = above = None
    if low is not None:
        below = (a < low) if high is None else (a < low) & (low < high)
        below = below.astype(a.dtype)
    if high is not None:
        above = (a > high) if low is None else (a > high) | (high < low)
        above = above.astype(a.dtype)
    return _mask_between(a, low, high), below, above


def _tie_share(loses, ties, dtype):
    """An operand's share of the gradient: 0 where it loses, 1/2 on a tie, else 1 (NaN too)."""
    return (~loses).astype(dtype) - ties.astype(dtype) * 0.5
