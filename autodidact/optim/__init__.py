"""optim: the update rules, as in ``torch.optim``.

    optimizer.py   Optimizer: parameter groups, state, zero_grad(), state_dict()
    sgd.py         SGD (momentum, dampening, Nesterov, weight decay)
    adam.py        Adam, AdamW
    stale.py       the forgotten zero_grad(): StaleGradWarning, check_stale_grads()

    >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD
from .stale import StaleGradWarning, check_stale_grads

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]
__all__ += ["StaleGradWarning", "check_stale_grads"]
