"""optim: the update rules, as in ``torch.optim``.

    optimizer.py   Optimizer: parameter groups, state, zero_grad(), state_dict()
    sgd.py         SGD (momentum, dampening, Nesterov, weight decay)
    adam.py        Adam, AdamW
    rmsprop.py     RMSprop
    adagrad.py     Adagrad
    adadelta.py    Adadelta
    lr_scheduler.py  learning-rate schedules: StepLR, CosineAnnealingLR, OneCycleLR...

    >>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD
from .adadelta import Adadelta
from .adagrad import Adagrad
from .rmsprop import RMSprop
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]
__all__ += ["RMSprop", "Adagrad", "Adadelta", "lr_scheduler"]
