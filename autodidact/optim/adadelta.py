"""Adadelta: Adagrad's step sizes from running averages instead of sums (Zeiler, 2012).

PyTorch's rule, for each parameter p with gradient g (rho, eps, lr):

    g = -g                                        if maximize
    g = g + weight_decay * p                      if weight_decay
    v = rho * v + (1 - rho) * g * g               running mean of g**2
    d = sqrt(u + eps) / sqrt(v + eps) * g         the step, in the units of p
    u = rho * u + (1 - rho) * d * d               running mean of the steps' squares
    p = p - lr * d

With the default ``lr=1.0`` the step needs no learning rate at all: its
size comes from the ratio of the two running averages.
"""

from .. import creation, graph
from ..backend import module_of
from ..tensor import Tensor
from .optimizer import Optimizer, count_step

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """``Adadelta(model.parameters())``: lr=1.0, rho=0.9, eps=1e-6 as in PyTorch."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        lr = lr.item() if isinstance(lr, Tensor) else lr
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if differentiable or capturable:
            raise NotImplementedError("Adadelta(differentiable=True / capturable=True) is not "
                                      "supported by autodidact")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param):
        state = self.state[param]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["square_avg"] = creation.zeros_like(param)
            state["acc_delta"] = creation.zeros_like(param)
        return state

    @graph.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given."""
        loss = self._closure_loss(closure)
        self._check_can_step()   # nothing changes unless every update can be made
        for group in self.param_groups:
            lr, rho, eps, weight_decay = group["lr"], group["rho"], group["eps"], group["weight_decay"]
            for param, grad in self._params_with_grad(group):
                p = param._data
                xp = module_of(p)
                state = self._init_state(param)
                count_step(state)
                if group["maximize"]:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * p
                square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
                square_avg *= rho
                square_avg += (1 - rho) * grad * grad
                delta = xp.sqrt(acc_delta + eps) / xp.sqrt(square_avg + eps) * grad
                acc_delta *= rho
                acc_delta += (1 - rho) * delta * delta
                p += -lr * delta
                param._bump_version()
        return loss
