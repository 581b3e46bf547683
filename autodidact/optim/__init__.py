"""optim: the update rules, as in ``torch.optim``.

    optimizer.py   Optimizer: parameter groups, state, zero_grad(), state_dict()
    sgd.py         SGD (momentum, dampening, Nesterov, weight decay)
    adam.py        Adam, AdamW
    stale.py       the forgotten zero_grad(): StaleGradWarning, check_stale_grads()
    rmsprop.py     RMSprop
    adagrad.py     Adagrad
    adadelta.py    Adadelta
    lr_scheduler.py  learning-rate schedules: StepLR, CosineAnnealingLR, OneCycleLR...

    >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
from .stale import StaleGradWarning, check_stale_grads

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "lr_scheduler",
           "StaleGradWarning", "check_stale_grads"]
