"""Where a tensor's numbers live: devices and the array module for each.

A tensor's storage is a NumPy array on the CPU and a CuPy array on a
CUDA GPU. Both libraries share one interface, so an op asks
``array_module(device)`` (or ``module_of(array)``) for the module
(``numpy`` or ``cupy``) and calls ``xp.exp``, ``xp.matmul``... on it,
never ``numpy`` by name. Where the two libraries differ, the difference
is handled here, once (``scatter_add``).

CuPy is imported only when a CUDA device is first used, and
``cuda_available()`` treats every failure (no CuPy, no driver, no GPU) as
"not available": ``import cupy`` succeeds on machines without a driver.
The answer is worked out once and cached.

    >>> autodidact.device("cuda:0")
    device(type='cuda', index=0)
    >>> array_module(autodidact.device("cpu")).__name__
    'numpy'
"""

import os
import sys
import threading

import numpy

__all__ = ["device", "array_module", "module_of", "cuda_available", "cuda_device_count",
           "cuda_unavailable_reason", "CudaUnavailableError", "move", "to_host",
           "scatter_add", "get_default_device", "set_default_device", "device_or_default"]

_DEVICE_TYPES = ("cpu", "cuda")
# Devices PyTorch knows that autodidact has no backend for: the fix to add to the error.
_OTHER_DEVICES = {kind: f" (autodidact has no '{kind}' backend: it runs on the CPU, and on NVIDIA "
                        "GPUs through CuPy. Use 'cpu', or pick the device with "
                        "`\"cuda\" if torch.cuda.is_available() else \"cpu\"`)"
                  for kind in ("mps", "xpu", "xla", "meta", "hip", "mtia", "privateuseone")}


class device:
    """A place for storage: ``device("cpu")``, ``device("cuda")``, ``device("cuda:1")``.

    Making a ``device("cuda")`` never fails; putting a tensor there does
    when no GPU is usable. A tensor's ``.device`` always has an index on a
    GPU (``cuda:0``), as in PyTorch: ``"cuda"`` alone means the current GPU.
    """

    __slots__ = ("type", "index")

    def __init__(self, spec, index=None):
        if isinstance(spec, device):
            spec, index = spec.type, spec.index if index is None else index
        if not isinstance(spec, str):
            raise TypeError(f"device() expects a string such as 'cpu' or 'cuda:0', got {spec!r}")
        kind, _, number = spec.partition(":")
        if kind not in _DEVICE_TYPES:
            hint = _OTHER_DEVICES.get(kind, "")
            raise RuntimeError(
                "Expected one of cpu, cuda device type at start of device string: " + spec + hint)
        if number:
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{spec}'")
            index = int(number)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)
                                  or index < 0):
            raise RuntimeError(f"Device index must be a non-negative integer, got {index!r}")
        if kind == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be 0, got {index}")
        self.type = kind
        self.index = index

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
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

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")
_CUDA = {}   # index -> the one device("cuda", index) tensors carry


def as_device(spec):
    """The device a tensor is put on, from a device, a string, an int, or None (the CPU).

    ``"cuda"`` becomes the current GPU with its index (``cuda:0``), as
    PyTorch does for tensors; the same device object is returned each
    time, so comparing devices is quick.
    """
    if spec is None or spec is CPU:
        return CPU
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = device("cuda", spec)
    elif not isinstance(spec, device):
        spec = device(spec)
    if spec.type == "cpu":
        return CPU
    index = _current_cuda_index() if spec.index is None else spec.index
    found = _CUDA.get(index)
    if found is None:
        found = _CUDA[index] = device("cuda", index)
    return found


# The device creation functions use when none is given. Per thread, as in
# PyTorch 2.13: a thread started later still sees the CPU.
_default_device = threading.local()


def get_default_device():
    """Where ``zeros``, ``tensor``, ``randn``... put a tensor given no ``device=`` (this thread).

        >>> autodidact.get_default_device()
        device(type='cpu')
    """
    chosen = getattr(_default_device, "device", None)
    return CPU if chosen is None else as_device(chosen)


def device_or_default(device):
    """The device asked for, or this thread's default device when ``device`` is None.

    What a creation function (``zeros``, ``tensor``, ``randn``...) calls to
    place its result; ``as_device(None)`` stays the CPU everywhere else.
    """
    return as_device(get_default_device() if device is None else device)


def set_default_device(device):
    """Make ``device`` the default for creation functions in this thread (None: back to cpu).

    An explicit ``device=`` still wins; ``from_numpy`` always shares the
    array's CPU memory. Other threads keep their own default. A GPU is
    checked when a tensor is first put there, not here, as in PyTorch.

        >>> autodidact.set_default_device("cpu"); autodidact.zeros(2).device
        device(type='cpu')
    """
    if device is None or isinstance(device, _device_class):
        _default_device.device = device
    elif isinstance(device, int) and not isinstance(device, bool):
        _default_device.device = _device_class("cuda", device)
    else:
        _default_device.device = _device_class(device)   # PyTorch's error for a bad string


_device_class = device   # `device` is also the parameter's name above, as in PyTorch


def _current_cuda_index():
    """The GPU that ``"cuda"`` means: CuPy's current device where CuPy is in use, else 0."""
    cupy = sys.modules.get("cupy")
    if cupy is None or _cuda_probe is None or _cuda_probe[0] == 0:
        return 0
    try:
        return int(cupy.cuda.runtime.getDevice())
    except Exception:   # noqa: BLE001  (any CUDA error: fall back to the first GPU)
        return 0


# ------------------------------------------------------------------ CUDA probe

class CudaUnavailableError(RuntimeError):
    """No usable GPU: the message says whether CuPy, the driver or a device is missing."""


_cuda_probe = None   # (count, reason) once probed

_INSTALL_HINT = (
    "Install the CuPy build that matches the CUDA version in the header of `nvidia-smi` "
    "(\"CUDA Version: 12.x\" or \"13.x\"): `pip install cupy-cuda12x` or "
    "`pip install cupy-cuda13x` (the extras `pip install -e '.[cuda12]'` / `'.[cuda13]'`).")


def _probe_cuda():
    """(number of usable GPUs, why there are none), worked out once."""
    global _cuda_probe
    if _cuda_probe is None:
        _cuda_probe = _find_gpus()
    return _cuda_probe


def _find_gpus():
    import shutil   # here, not at the top: `import autodidact` need not pay for it
    has_smi = shutil.which("nvidia-smi") is not None
    try:
        import cupy
    except Exception as exc:   # ImportError, or a broken install failing at import
        reason = (f"CuPy is missing: `import cupy` failed ({type(exc).__name__}: {exc}). "
                  "autodidact keeps GPU tensors in CuPy arrays. " + _INSTALL_HINT)
        if not has_smi:
            reason += (" No NVIDIA driver was found either (`nvidia-smi` is not on PATH): "
                       "if this machine has no NVIDIA GPU, use device='cpu'.")
        return 0, reason
    version = "?"
    try:
        version = str(cupy.__version__)
        count = int(cupy.cuda.runtime.getDeviceCount())
    except Exception as exc:   # CUDARuntimeError: no driver, driver too old, no device node
        return 0, (
            f"the CUDA driver is missing or unusable: CuPy {version} is installed but asking "
            f"the driver for GPUs failed ({type(exc).__name__}: {exc}). "
            + ("Check that `nvidia-smi` lists a GPU, and that the CuPy build matches the CUDA "
               "version in its header: `pip install cupy-cuda12x` for CUDA 12.x, "
               "`pip install cupy-cuda13x` for CUDA 13.x." if has_smi else
               "`nvidia-smi` is not on PATH: install the NVIDIA driver (or use device='cpu'), "
               "then the CuPy build matching the CUDA version `nvidia-smi` shows "
               "(`pip install cupy-cuda12x` or `cupy-cuda13x`)."))
    if count <= 0:
        hidden = os.environ.get("CUDA_VISIBLE_DEVICES")
        return 0, (
            f"no GPU device was found: CuPy {version} and the CUDA driver are present, but "
            "the driver reports 0 devices"
            + (f" (CUDA_VISIBLE_DEVICES={hidden!r} may hide them)" if hidden is not None else "")
            + ". Check `nvidia-smi`, or use device='cpu'.")
    try:   # a first kernel: CuPy compiles it, so a missing CUDA library shows up here
        with cupy.cuda.Device(0):
            if int((cupy.arange(3) + 1).sum()) != 6:
                raise RuntimeError("1 + 2 + 3 came out wrong")
    except Exception as exc:   # CompileException, a missing libnvrtc / libcublas, ...
        return 0, (
            f"the GPU can't run code: CuPy {version} sees {count} GPU(s) but a first kernel "
            f"failed ({type(exc).__name__}: {exc}). This usually means a CuPy build for another "
            "CUDA version, or missing CUDA libraries: install the CuPy build matching the CUDA "
            "version `nvidia-smi` shows (`pip install cupy-cuda12x` or `cupy-cuda13x`).")
    return count, ""


def cuda_available():
    """True when CuPy, a CUDA driver and at least one GPU are all there (cached)."""
    return _probe_cuda()[0] > 0


def cuda_device_count():
    return _probe_cuda()[0]


def cuda_unavailable_reason():
    """Why CUDA can't be used here ('' when it can)."""
    return _probe_cuda()[1]


def _check_cuda(dev):
    count, reason = _probe_cuda()
    if count == 0:
        raise CudaUnavailableError(f"Cannot use device '{dev}': no usable GPU, {reason}")
    if dev._index() >= count:
        raise CudaUnavailableError(
            f"Cannot use device '{dev}': CUDA error: invalid device ordinal. Only {count} GPU(s) "
            f"found (valid indices 0..{count - 1}).")


def array_module(dev):
    """``numpy`` for the CPU, ``cupy`` for a CUDA device (checked to be usable)."""
    if dev.type == "cpu":
        return numpy
    _check_cuda(dev)
    import cupy
    return cupy


def _is_gpu_array(array):
    return type(array) is not numpy.ndarray and hasattr(array, "__cuda_array_interface__")


def module_of(array):
    """The array module (``numpy`` or ``cupy``) an array belongs to."""
    if _is_gpu_array(array):
        import cupy
        return cupy
    return numpy


def device_of_array(array):
    if _is_gpu_array(array):
        return as_device(int(array.device.id))
    return CPU


def to_host(array):
    """``array`` as a NumPy array: itself on the CPU, a copy from a GPU."""
    return array.get() if _is_gpu_array(array) else array


def move(array, dev):
    """``array`` on ``dev``: itself when it is already there, else a copy."""
    if dev.type == "cpu":
        return to_host(array)
    cupy = array_module(dev)
    index = dev._index()
    if _is_gpu_array(array):
        if int(array.device.id) == index:
            return array
        with cupy.cuda.Device(index):
            return array.copy()   # copies into the current device's memory
    with cupy.cuda.Device(index):
        return cupy.asarray(array)


def synchronize(dev=None):
    """Wait until every kernel queued on ``dev`` (a GPU) has finished; no-op for the CPU."""
    dev = as_device("cuda" if dev is None else dev)
    if dev.type == "cpu":
        return
    array_module(dev).cuda.Device(dev._index()).synchronize()


# ------------------------------------------------ where NumPy and CuPy differ

def scatter_add(out, key, values):
    """``out[key] += values``, adding (not overwriting) where ``key`` repeats an index.

    ``out[key] += values`` alone keeps one of the repeated writes. NumPy
    has ``np.add.at``; CuPy has ``cupyx.scatter_add`` for some dtypes.
    Anything else takes the generic route: number every element of
    ``out``, pick the numbers at ``key`` and add ``values`` at them with a
    ``bincount``, which works alike on both.
    """
    if not _is_gpu_array(out):
        numpy.add.at(out, key, values)
        return
    import cupy
    values = cupy.asarray(values, dtype=out.dtype)
    for scatter in (getattr(cupy.add, "at", None), _cupyx_scatter_add()):
        if scatter is None:
            continue
        try:
            scatter(out, key, values)
            return
        except (TypeError, NotImplementedError, ValueError, IndexError):
            continue   # a dtype CuPy's atomics do not cover (int64, float16 on old CuPy...)
    _scatter_add_by_bincount(cupy, out, key, values)


def _cupyx_scatter_add():
    """``cupyx.scatter_add`` (CuPy before 13 has no ``cupy.add.at``), or None."""
    try:
        import cupyx
        return cupyx.scatter_add
    except (ImportError, AttributeError):
        return None


def _scatter_add_by_bincount(xp, out, key, values):
    """The generic scatter-add: sum the values landing on each element, then add once."""
    positions = xp.arange(out.size).reshape(out.shape)[key]
    if positions.size == 0:
        return
    flat = positions.reshape(-1)
    values = xp.broadcast_to(values, positions.shape).reshape(-1)
    if out.dtype.kind == "f":
        sums = xp.bincount(flat, weights=values.astype(numpy.float64), minlength=out.size)
        where = xp.nonzero(xp.bincount(flat, minlength=out.size))[0]
        totals = sums[where]
    else:   # integers and bools: sorted, summed exactly in int64
        order = xp.argsort(flat)
        flat, values = flat[order], values[order].astype(numpy.int64)
        last = xp.nonzero(xp.concatenate([flat[1:] != flat[:-1], xp.ones(1, dtype=bool)]))[0]
        running = xp.cumsum(values)[last]
        totals = running - xp.concatenate([xp.zeros(1, dtype=numpy.int64), running[:-1]])
        where = flat[last]
    target = out.reshape(-1)   # a view of out when out is contiguous, else a copy
    target[where] = (target[where] + totals).astype(out.dtype)
    if not out.flags.c_contiguous:
        out[...] = target.reshape(out.shape)

