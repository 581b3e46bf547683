"""Where a tensor's numbers live: devices and the array module for each.

A tensor's storage is a NumPy array on the CPU and a CuPy array on a
CUDA GPU. Both libraries share one interface, so an op asks
``array_module(device)`` for the module (``numpy`` or ``cupy``) and calls
``xp.exp``, ``xp.matmul``... on it, never ``numpy`` by name.

CuPy is imported only when a CUDA device is first used, and
``cuda_available()`` treats every failure (no CuPy, no driver, no GPU) as
"not available": ``import cupy`` succeeds on machines without a driver.

    >>> autodidact.device("cuda:0")
    device(type='cuda', index=0)
    >>> array_module(autodidact.device("cpu")).__name__
    'numpy'
"""

import numpy

__all__ = ["device", "array_module", "cuda_available", "cuda_device_count", "CudaUnavailableError"]

_DEVICE_TYPES = ("cpu", "cuda")


class device:
    """A place for storage: ``device("cpu")``, ``device("cuda")``, ``device("cuda:1")``.

    Making a ``device("cuda")`` never fails; putting a tensor there does
    when no GPU is usable.
    """

    __slots__ = ("type", "index")

    def __init__(self, spec, index=None):
        if isinstance(spec, device):
            spec, index = spec.type, spec.index if index is None else index
        if not isinstance(spec, str):
            raise TypeError(f"device() expects a string such as 'cpu' or 'cuda:0', got {spec!r}")
        kind, _, number = spec.partition(":")
        if kind not in _DEVICE_TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda device type at start of device string: " + spec)
        if number:
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{spec}'")
            index = int(number)
        if kind == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be 0, got {index}")
        self.type = kind
        self.index = index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self._index()) == (other.type, other._index())

    def __hash__(self):
        return hash((self.type, self._index()))

    def _index(self):
        return 0 if self.index is None else self.index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


CPU = device("cpu")


def as_device(spec):
    """A ``device`` from a device, a string, or None (the CPU)."""
    if spec is None:
        return CPU
    if isinstance(spec, device):
        return spec
    if isinstance(spec, int) and not isinstance(spec, bool):
        return device("cuda", spec)
    return device(spec)


# ------------------------------------------------------------------ CUDA probe

class CudaUnavailableError(RuntimeError):
    """No usable GPU: the message says whether CuPy, the driver or a device is missing."""


_cuda_probe = None   # (count, reason) once probed


def _probe_cuda():
    global _cuda_probe
    if _cuda_probe is not None:
        return _cuda_probe
    try:
        import cupy
    except Exception as exc:   # ImportError, or a broken install
        _cuda_probe = (0, (
            f"CuPy is not installed ({type(exc).__name__}: {exc}). Install the CuPy build "
            "matching the CUDA version that `nvidia-smi` shows: `pip install cupy-cuda12x` "
            "or `pip install cupy-cuda13x` (the extras `.[cuda12]` / `.[cuda13]`)."))
        return _cuda_probe
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:   # CUDARuntimeError: no driver, or driver too old
        _cuda_probe = (0, (
            f"CuPy is installed but cannot reach a CUDA driver ({exc}). Check that "
            "`nvidia-smi` works and that the CuPy build matches its CUDA version "
            "(`pip install cupy-cuda12x` or `cupy-cuda13x`)."))
        return _cuda_probe
    if count == 0:
        _cuda_probe = (0, "CuPy and the CUDA driver are present, but no GPU device was found "
                          "(`nvidia-smi` lists none). Use device='cpu'.")
    else:
        _cuda_probe = (count, "")
    return _cuda_probe


def cuda_available():
    return _probe_cuda()[0] > 0


def cuda_device_count():
    return _probe_cuda()[0]


def _check_cuda(dev):
    count, reason = _probe_cuda()
    if count == 0:
        raise CudaUnavailableError(f"Cannot use device '{dev}': no usable GPU. {reason}")
    if dev._index() >= count:
        raise CudaUnavailableError(
            f"Cannot use device '{dev}': only {count} CUDA device(s) found "
            f"(valid indices 0..{count - 1}).")


def array_module(dev):
    """``numpy`` for the CPU, ``cupy`` for a CUDA device (checked to be usable)."""
    if dev.type == "cpu":
        return numpy
    _check_cuda(dev)
    import cupy
    return cupy


def module_of(array):
    """The array module (``numpy`` or ``cupy``) an array belongs to."""
    if isinstance(array, numpy.ndarray):
        return numpy
    import cupy
    return cupy


def device_of_array(array):
    if isinstance(array, numpy.ndarray):
        return CPU
    return device("cuda", array.device.id)


def move(array, dev):
    """Copy ``array`` to ``dev`` (or return it when it is already there)."""
    if dev.type == "cpu":
        return array if isinstance(array, numpy.ndarray) else array.get()
    cupy = array_module(dev)
    with cupy.cuda.Device(dev._index()):
        return cupy.asarray(array)
