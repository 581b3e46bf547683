"""autodidact.backends.mps: Apple's GPUs (Metal). autodidact has no such backend."""


def is_available():
    """Always False: autodidact runs on the CPU and on NVIDIA GPUs (through CuPy)."""
    return False


def is_built():
    """Always False, as for a PyTorch built without MPS."""
    return False
