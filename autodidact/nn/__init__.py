"""nn: layers, losses and the Module they are built from, as in ``torch.nn``.

    module.py      Module: registration, parameters(), state_dict(), train()/eval()
    parameter.py   Parameter: a Tensor that a Module learns
    linear.py      Linear (and Identity)
    activation.py  ReLU, Tanh, Sigmoid, Softmax, LogSoftmax
    container.py   Sequential, ModuleList
    loss.py        MSELoss, CrossEntropyLoss
    functional.py  the same as functions: F.linear, F.relu, F.cross_entropy...
    init.py        weight initialisations: kaiming_uniform_, xavier_uniform_...

    >>> model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    >>> loss = nn.CrossEntropyLoss()(model(x), labels)
"""

from . import functional, init
from .activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleList, Sequential
from .linear import Identity, Linear
from .loss import CrossEntropyLoss, MSELoss
from .module import Module
from .parameter import Parameter

__all__ = ["Module", "Parameter", "Linear", "Identity", "Sequential", "ModuleList", "ReLU",
           "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "MSELoss", "CrossEntropyLoss",
           "functional", "init"]
