"""nn: layers, losses and the Module they are built from, as in ``torch.nn``.

    module.py      Module: registration, parameters(), state_dict(), train()/eval()
    parameter.py   Parameter: a Tensor that a Module learns
    linear.py      Linear (and Identity)
    activation.py  ReLU, Tanh, Sigmoid, Softmax, LogSoftmax; LeakyReLU, ELU, GELU, SiLU,
                   Softplus, Hardtanh, ReLU6
    container.py   Sequential, ModuleList; ModuleDict, ParameterList, ParameterDict
    flatten.py     Flatten, Unflatten
    dropout.py     Dropout
    sparse.py      Embedding
    normalization.py  BatchNorm1d, LayerNorm
    loss.py        MSELoss, CrossEntropyLoss; L1Loss, SmoothL1Loss, HuberLoss, NLLLoss,
                   BCELoss, BCEWithLogitsLoss, KLDivLoss
    functional.py  the same as functions: F.linear, F.relu, F.dropout...
    loss_functions.py  the losses of F: F.cross_entropy, F.nll_loss...
    init.py        weight initialisations: kaiming_uniform_, xavier_uniform_...
    modules/       PyTorch's import path: nn.modules.linear and the like

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
from .activation import ELU, GELU, Hardtanh, LeakyReLU, ReLU6, SiLU, Softplus
from .container import ModuleDict, ParameterDict, ParameterList
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .loss import BCELoss, BCEWithLogitsLoss, HuberLoss, KLDivLoss, L1Loss, NLLLoss, SmoothL1Loss
from .normalization import BatchNorm1d, LayerNorm
from .sparse import Embedding
from . import modules

__all__ = ["Module", "Parameter", "Linear", "Identity", "Sequential", "ModuleList", "ReLU",
           "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "MSELoss", "CrossEntropyLoss",
           "functional", "init"]
__all__ += ["LeakyReLU", "ELU", "GELU", "Softplus", "Hardtanh", "ReLU6", "SiLU", "ModuleDict",
            "ParameterList", "ParameterDict", "Flatten", "Unflatten", "Dropout", "Embedding",
            "BatchNorm1d", "LayerNorm", "L1Loss", "SmoothL1Loss", "HuberLoss", "NLLLoss",
            "BCELoss", "BCEWithLogitsLoss", "KLDivLoss", "modules"]
