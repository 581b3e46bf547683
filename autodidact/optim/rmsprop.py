"""RMSprop: divide each step by a running root-mean-square of recent gradients (Hinton, 2012).

PyTorch's rule, for each parameter p with gradient g (lr, alpha, eps):

    g = -g                                   if maximize
    g = g + weight_decay * p                 if weight_decay
    v = alpha * v + (1 - alpha) * g * g      running mean of g**2
    m = alpha-lerp of g; v_c = v - m * m     if centered (the variance instead)
    avg = sqrt(v (or v_c)) + eps
    b = momentum * b + g / avg; p = p - lr * b   if momentum
    p = p - lr * g / avg                          otherwise
"""

from .. import creation, graph
from ..backend import module_of
from ..tensor import Tensor
from .adam import _lerp_
from .optimizer import Optimizer, count_step

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """``RMSprop(model.parameters(), lr=0.01)``: steps scaled per weight by recent gradient sizes."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        lr = lr.item() if isinstance(lr, Tensor) else lr
        for name, value in (("learning rate", lr), ("epsilon value", eps),
                            ("momentum value", momentum), ("weight_decay value", weight_decay),
                            ("alpha value", alpha)):
            if not 0.0 <= value:
                raise ValueError(f"Invalid {name}: {value}")
        if differentiable or capturable:
            raise NotImplementedError("RMSprop(differentiable=True / capturable=True) is not "
                                      "supported by autodidact")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, param, group):
        state = self.state[param]
        if not state:
            state["step"] = creation.tensor(0.0)
            state["square_avg"] = creation.zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = creation.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = creation.zeros_like(param)
        return state

    @graph.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given."""
        loss = self._closure_loss(closure)
        self._check_can_step()   # nothing changes unless every update can be made
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            for param, grad in self._params_with_grad(group):
                p = param._data
                xp = module_of(p)
                state = self._init_state(param, group)
                count_step(state)
                if group["maximize"]:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * p
                square_avg = state["square_avg"]._data
                square_avg *= alpha
                square_avg += (1 - alpha) * grad * grad
                if group["centered"]:
                    grad_avg = state["grad_avg"]._data
                    _lerp_(grad_avg, grad, 1 - alpha)
                    avg = xp.sqrt(square_avg - grad_avg * grad_avg)
                else:
                    avg = xp.sqrt(square_avg)
                avg += eps
                if momentum > 0:
                    buffer = state["momentum_buffer"]._data
                    buffer *= momentum
                    buffer += grad / avg
                    p -= lr * buffer
                else:
                    p += -lr * grad / avg
                param._bump_version()
        return loss
