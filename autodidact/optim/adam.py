"""Adam (and AdamW): per-parameter step sizes from running averages of g and g**2.

PyTorch's rule, for each parameter p with gradient g, at step t (from 1):

    g = -g                               if maximize
    g = g + lambda * p                   if weight_decay (Adam's L2 penalty)
    p = p * (1 - lr * lambda)            instead, if decoupled (AdamW)
    m = m + (1 - beta1) * (g - m)        running mean of g
    v = beta2 * v + (1 - beta2) * g * g  running mean of g**2
    v_max = max(v_max, v)                if amsgrad (and use v_max below)
    p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

The two ``1 - beta**t`` factors correct m and v for starting at zero.
"""

import math

from .. import creation, graph
from ..backend import module_of
from ..tensor import Tensor
from .optimizer import Optimizer, count_step

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """``Adam(model.parameters(), lr=1e-3)``: a good default for most networks."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        lr = lr.item() if isinstance(lr, Tensor) else lr
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if differentiable or capturable:
            raise NotImplementedError(
                f"{type(self).__name__}(differentiable=True / capturable=True) is not supported "
                "by autodidact")
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _init_state(self, param, amsgrad):
        state = self.state[param]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["exp_avg"] = creation.zeros_like(param)
            state["exp_avg_sq"] = creation.zeros_like(param)
            if amsgrad:
                state["max_exp_avg_sq"] = creation.zeros_like(param)
        return state

    @graph.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given."""
        loss = self._closure_loss(closure)
        self._check_can_step()   # nothing changes unless every update can be made
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            for param, grad in self._params_with_grad(group):
                p = param._data
                xp = module_of(p)
                state = self._init_state(param, amsgrad)
                t = count_step(state)
                if group["maximize"]:
                    grad = -grad
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        p *= 1 - lr * weight_decay
                    else:
                        grad = grad + weight_decay * p
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                _lerp_(m, grad, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * grad * grad
                if amsgrad:
                    v_max = state["max_exp_avg_sq"]._data
                    xp.maximum(v_max, v, out=v_max)
                    v = v_max
                step_size = lr / (1 - beta1 ** t)
                denom = xp.sqrt(v)
                denom /= math.sqrt(1 - beta2 ** t)
                denom += eps
                update = m / denom
                update *= step_size
                p -= update
                param._bump_version()
        return loss


def _lerp_(start, end, weight):
    """start += weight * (end - start), in place, rounded as PyTorch's lerp_ rounds."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter): the decay skips the averages."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
