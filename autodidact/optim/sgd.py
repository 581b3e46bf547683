"""SGD: stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

PyTorch's rule, for each parameter p with gradient g (lr, momentum mu,
dampening tau, weight_decay lambda):

    g = -g                          if maximize
    g = g + lambda * p              if weight_decay
    b = g                           first step, if momentum
    b = mu * b + (1 - tau) * g      later steps
    g = g + mu * b  (nesterov)  or  g = b
    p = p - lr * g

Note: momentum is applied to the gradient, not to the step (some books
put lr inside the buffer; with a constant lr the two agree).
"""

from .. import graph
from ..tensor import Tensor
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Plain or momentum SGD: ``SGD(model.parameters(), lr=0.1, momentum=0.9)``."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        lr = lr.item() if isinstance(lr, Tensor) else lr
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        if differentiable:
            raise NotImplementedError("SGD(differentiable=True) is not supported by autodidact")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    @graph.no_grad()
    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given."""
        loss = self._closure_loss(closure)
        self._check_can_step()   # nothing changes unless every update can be made
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            maximize = group["maximize"]
            for param, grad in self._params_with_grad(group):
                p = param._data
                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    grad = grad + weight_decay * p     # a new array: .grad stays as it was
                if momentum != 0:
                    state = self.state[param]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        buffer = state["momentum_buffer"] = Tensor._wrap(grad.copy(),
                                                                         param._device)
                    else:
                        buffer._data *= momentum
                        buffer._data += (1 - dampening) * grad if dampening else grad
                    grad = grad + momentum * buffer._data if nesterov else buffer._data
                p -= lr * grad
                param._bump_version()
        return loss
