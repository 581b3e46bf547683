"""autodidact.backends: the flags tutorials set or ask about before training.

    >>> autodidact.backends.mps.is_available()        # Apple GPUs: never, here
    False
    >>> autodidact.backends.cudnn.benchmark = True     # accepted; autodidact has no cuDNN

autodidact computes with NumPy on the CPU and CuPy on NVIDIA GPUs; it has
no Apple (``mps``) backend and calls no cuDNN kernels, so these modules
answer "not here" and keep the flags a program sets, to no effect.
"""

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
