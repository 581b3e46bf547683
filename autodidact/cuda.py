"""autodidact.cuda: is a GPU usable here? (CuPy is imported only to find out.)

    >>> autodidact.cuda.is_available()
    False
    >>> device = "cuda" if autodidact.cuda.is_available() else "cpu"   # the portable idiom

The answer is worked out once per process and cached: CuPy imported, the
driver asked how many GPUs it sees. When it is False,
``unavailable_reason()`` says which of CuPy, driver or device is missing
and how to fix it; ``.cuda()`` raises with the same words.
"""

from . import backend
from .backend import CudaUnavailableError

__all__ = ["is_available", "device_count", "current_device", "get_device_name",
           "synchronize", "manual_seed", "manual_seed_all", "unavailable_reason",
           "CudaUnavailableError"]


def is_available():
    """True when CuPy, a CUDA driver and at least one GPU are all present."""
    return backend.cuda_available()


def device_count():
    """How many GPUs can be used (0 without CuPy, driver or device)."""
    return backend.cuda_device_count()


def unavailable_reason():
    """Why ``is_available()`` is False ('' when it is True)."""
    return backend.cuda_unavailable_reason()


def current_device():
    """The index of the GPU that ``"cuda"`` means (raises without a usable GPU)."""
    _check()
    return backend.as_device("cuda").index


def get_device_name(device=None):
    """The GPU's name, as the driver reports it (``'NVIDIA H100 80GB HBM3'``)."""
    _check(device)
    import cupy
    index = backend.as_device("cuda" if device is None else device)._index()
    name = cupy.cuda.runtime.getDeviceProperties(index)["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def synchronize(device=None):
    """Wait for every queued GPU kernel to finish: GPU work runs asynchronously.

    Time GPU code between two ``synchronize()`` calls, or the clock stops
    when the work was queued rather than when it was done.
    """
    _check(device)
    backend.synchronize(device)


def _check(device=None):
    dev = backend.device("cuda") if device is None else backend.device(
        device if not isinstance(device, int) else f"cuda:{device}")
    backend._check_cuda(dev)
    return True


def manual_seed(seed):
    """Seed the random generators (autodidact seeds every device's together)."""
    from .creation import manual_seed as seed_all
    seed_all(seed)


manual_seed_all = manual_seed
