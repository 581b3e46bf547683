"""autodidact.cuda: is a GPU usable here? (CuPy is imported only to find out.)

    >>> autodidact.cuda.is_available()
    False
"""

from . import backend


def is_available():
    """True when CuPy, a CUDA driver and at least one GPU are all present."""
    return backend.cuda_available()


def device_count():
    return backend.cuda_device_count()


def current_device():
    if not is_available():
        backend._check_cuda(backend.device("cuda"))
    return 0


def manual_seed(seed):
    from .creation import manual_seed as seed_all
    seed_all(seed)


manual_seed_all = manual_seed
