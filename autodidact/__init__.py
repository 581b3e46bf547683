"""autodidact: a define-by-run autograd engine to learn from, shaped like PyTorch.

    import autodidact as torch               # PyTorch code of this subset runs unchanged
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    print(x.grad)                            # tensor([2., 4.])

Where things are: ``graph.py`` is the engine, ``tensor.py`` the Tensor,
``function.py`` how an op declares forward and backward, ``ops/`` the
derivative rules, ``scalar.py`` lesson 1's Scalar. On top: ``nn``, ``optim``,
``utils.data`` (datasets and the DataLoader), ``accelerator`` and ``backends``
(the device questions tutorials ask), loaded on first use.
"""

from . import dtypes
from .backend import device, get_default_device, set_default_device
from .dtypes import (bool, double, dtype, float, float16, float32, float64, get_default_dtype,
                     half, int, int8, int16, int32, int64, long, promote_types, result_type,
                     set_default_dtype, short, uint8, can_cast)
from .graph import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .printing import set_printoptions
from .tensor import Size, Tensor
from . import ops  # attaches the ops to Tensor as methods
from .ops import *  # noqa: F401,F403
from .ops.promotion import cast
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                       initial_seed, linspace, manual_seed, ones, ones_like, rand, rand_like,
                       randint, randn, randn_like, randperm, seed, tensor, zeros, zeros_like)
from .legacy import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor,
                     IntTensor, LongTensor, ShortTensor)
from . import linalg   # the public torch.linalg-shaped module (ops/linalg.py is matmul's rules)
from .creation import accepts_size_keyword as _accepts_size_keyword
rand, randn = _accepts_size_keyword(rand), _accepts_size_keyword(randn)   # randn(size=(2, 3))
from . import autograd, cuda
from . import random
from .random import (Generator, default_generator, get_rng_state, set_rng_state,
                     use_deterministic_algorithms, are_deterministic_algorithms_enabled)
from .random.functions import bernoulli, multinomial, normal, randint_like

# nn, optim and datasets load on first use (`autodidact.nn`, `from autodidact
# import nn`), so that `import autodidact` stays quick for a tensor-only script.
_LAZY_SUBMODULES = ("nn", "optim", "datasets", "serialization", "utils", "backends",
                    "accelerator")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'autodidact' has no attribute '{name}'")


def save(obj, f):
    """Save a tensor or a state dict to an .npz file (see ``autodidact.serialization``)."""
    from .serialization import save as _save
    return _save(obj, f)


def load(f, map_location=None, *, weights_only=True, max_bytes=None):
    """Load what ``save`` wrote; never unpickles, so a file cannot run code.

    ``max_bytes`` (default 2 GiB) bounds the file and its arrays; raise it for a big file
    you trust (see ``autodidact.serialization``).
    """
    from .serialization import load as _load
    return _load(f, map_location=map_location, weights_only=weights_only, max_bytes=max_bytes)

__version__ = "0.1.0"


def numel(input):
    return input.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def _attach_random_fills():
    from .random import functions
    for name in ("uniform_", "normal_", "random_", "bernoulli_", "exponential_", "geometric_",
                 "cauchy_", "log_normal_", "bernoulli", "multinomial"):
        setattr(Tensor, name, getattr(functions, name))


_attach_random_fills()
