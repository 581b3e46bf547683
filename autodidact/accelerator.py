"""autodidact.accelerator: the device-neutral way current tutorials pick a device.

    >>> device = (autodidact.accelerator.current_accelerator().type
    ...           if autodidact.accelerator.is_available() else "cpu")

autodidact's only accelerator is an NVIDIA GPU through CuPy, so these
answer what ``autodidact.cuda`` answers: without a usable GPU,
``is_available()`` is False and ``current_accelerator()`` is None.
"""

from . import backend

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "synchronize"]


def is_available():
    """True when a GPU is usable (CuPy, driver and device all present)."""
    return backend.cuda_available()


def current_accelerator(check_available=False):
    """``device(type='cuda')`` where a GPU is usable, else None (never the CPU)."""
    return backend.device("cuda") if backend.cuda_available() else None


def device_count():
    """How many GPUs can be used (0 without one)."""
    return backend.cuda_device_count()


def current_device_index():
    """The index of the GPU that ``"cuda"`` means (raises without a usable GPU)."""
    from . import cuda
    return cuda.current_device()


def synchronize(device=None):
    """Wait for queued GPU work to finish (see ``autodidact.cuda.synchronize``)."""
    from . import cuda
    cuda.synchronize(device)
