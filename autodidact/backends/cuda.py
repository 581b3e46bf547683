"""autodidact.backends.cuda: PyTorch's switches for CUDA matrix products, kept and unused.

    >>> autodidact.backends.cuda.matmul.allow_tf32 = True   # accepted; CuPy decides
"""

import types

__all__ = ["matmul", "is_built"]

matmul = types.SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                               allow_bf16_reduced_precision_reduction=True)


def is_built():
    """Whether autodidact can use CUDA at all: it can wherever CuPy works."""
    from .. import backend
    return backend.cuda_available()
