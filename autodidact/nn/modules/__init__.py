"""``autodidact.nn.modules``: the path some programs import layers from, as in PyTorch.

``from torch.nn.modules.loss import _Loss`` or
``from torch.nn.modules import Module`` name the same classes as ``nn``:
each submodule here is the ``nn`` file that defines them (``linear``,
``activation``, ``loss``, ...), registered under both names.
"""

import sys

from .. import (activation, container, dropout, flatten, linear, loss, module, normalization,
                sparse)
from ..activation import *  # noqa: F401,F403
from ..container import *  # noqa: F401,F403
from ..dropout import *  # noqa: F401,F403
from ..flatten import *  # noqa: F401,F403
from ..linear import *  # noqa: F401,F403
from ..loss import *  # noqa: F401,F403
from ..module import Module  # noqa: F401
from ..normalization import *  # noqa: F401,F403
from ..sparse import *  # noqa: F401,F403

# PyTorch's file names where they differ from ours: BatchNorm1d lives in batchnorm.py there.
_FILES = {"activation": activation, "container": container, "dropout": dropout,
          "flatten": flatten, "linear": linear, "loss": loss, "module": module,
          "normalization": normalization, "batchnorm": normalization, "sparse": sparse}
for _name, _file in _FILES.items():
    sys.modules[f"{__name__}.{_name}"] = _file
    globals()[_name] = _file
