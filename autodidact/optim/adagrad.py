"""Adagrad: each weight's step shrinks with the sum of its squared gradients (Duchi et al., 2011).

PyTorch's rule, for each parameter p with gradient g, at step t (from 1):

    g = -g                                   if maximize
    g = g + weight_decay * p                 if weight_decay
    clr = lr / (1 + (t - 1) * lr_decay)
    s = s + g * g                            the sum, from initial_accumulator_value
    p = p - clr * g / (sqrt(s) + eps)

Weights that have seen large gradients take small steps from then on: good
for sparse features, too cautious late in a long training run.
"""

from .. import creation, graph
from ..backend import module_of
from ..tensor import Tensor
from .optimizer import Optimizer, count_step

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """``Adagrad(model.parameters(), lr=0.01)``. Its state exists from construction, as in PyTorch."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        lr = lr.item() if isinstance(lr, Tensor) else lr
        for name, value in (("learning rate", lr), ("lr_decay value", lr_decay),
                            ("weight_decay value", weight_decay),
                            ("initial_accumulator_value value", initial_accumulator_value),
                            ("epsilon value", eps)):
            if not 0.0 <= value:
                raise ValueError(f"Invalid {name}: {value}")
        if differentiable or fused:
            raise NotImplementedError("Adagrad(differentiable=True / fused=True) is not supported "
                                      "by autodidact")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for param in group["params"]:
                state = self.state[param]
                state["step"] = creation.tensor(0.0)
                state["sum"] = creation.full_like(param, initial_accumulator_value)

    @graph.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given."""
        loss = self._closure_loss(closure)
        self._check_can_step()   # nothing changes unless every update can be made
        for group in self.param_groups:
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            weight_decay = group["weight_decay"]
            for param, grad in self._params_with_grad(group):
                p = param._data
                state = self.state[param]
                t = count_step(state)
                if group["maximize"]:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * p
                clr = lr / (1 + (t - 1) * lr_decay)
                total = state["sum"]._data
                total += grad * grad
                std = module_of(p).sqrt(total)
                std += eps
                p += -clr * grad / std
                param._bump_version()
        return loss
