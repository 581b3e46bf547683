"""Devices without a GPU: device() itself, the one clear error when CUDA is missing,
and the device rules that hold on any machine.

Every test here runs on any machine. Where a test needs "no GPU", it makes
the CUDA probe see none (no CuPy, no driver, or no device) instead of
relying on the machine, so the same tests pass on a GPU machine too.
Tests with a real GPU are in ``tests/test_cuda.py``.

Expectations are PyTorch 2.13's (reference section 15), with the error for
a missing GPU being autodidact's own: it names what is missing and the fix.
"""

import contextlib
import copy
import importlib.util
import pickle
import re
import shutil
import sys
import types

import numpy as np
import pytest

import autodidact
from autodidact import backend
from autodidact.random import engine as random_engine
from autodidact.backend import CudaUnavailableError


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


# ------------------------------------------------------------------ device()


@pytest.mark.parametrize("spec, kind, index, text, shown", [
    ("cpu", "cpu", None, "cpu", "device(type='cpu')"),
    ("cuda", "cuda", None, "cuda", "device(type='cuda')"),
    ("cuda:0", "cuda", 0, "cuda:0", "device(type='cuda', index=0)"),
    ("cuda:1", "cuda", 1, "cuda:1", "device(type='cuda', index=1)"),
])
def test_device_parses_and_prints_as_pytorch(spec, kind, index, text, shown):
    d = autodidact.device(spec)
    assert (d.type, d.index) == (kind, index)
    assert str(d) == text and repr(d) == shown


def test_device_from_type_and_index_and_from_a_device():
    assert repr(autodidact.device("cuda", 1)) == "device(type='cuda', index=1)"
    d = autodidact.device("cuda:0")
    assert autodidact.device(d) == d and autodidact.device(d) is not d


def test_device_equality_and_hash():
    assert autodidact.device("cuda:0") == autodidact.device("cuda", 0)
    assert autodidact.device("cuda:0") == "cuda:0"
    assert autodidact.device("cpu") == "cpu"
    assert autodidact.device("cpu") != autodidact.device("cuda:0")
    assert autodidact.device("cuda:0") != autodidact.device("cuda:1")
    assert autodidact.device("cpu") != "gpu"            # not an error: just unequal
    assert autodidact.device("cpu") != 3
    assert len({autodidact.device("cuda:0"), autodidact.device("cuda", 0)}) == 1


def test_device_pickles_and_copies():
    d = autodidact.device("cuda:1")
    assert pickle.loads(pickle.dumps(d)) == d
    assert copy.deepcopy(d) == d


@pytest.mark.parametrize("spec, exc, message", [
    ("gpu", RuntimeError, "Expected one of cpu, cuda device type at start of device string: gpu"),
    ("cuda:x", RuntimeError, "Invalid device string: 'cuda:x'"),
    ("cpu:1", RuntimeError, "CPU device index must be 0"),
    (5.0, TypeError, "device() expects a string such as 'cpu' or 'cuda:0'"),
])
def test_bad_device_strings_fail_with_pytorch_words(spec, exc, message):
    with raises(exc, message):
        autodidact.device(spec)


def test_to_an_unknown_device_fails_as_pytorch():
    with raises(RuntimeError, "Expected one of cpu, cuda device type at start of device string: gpu"):
        autodidact.ones(2).to("gpu")


def test_making_a_cuda_device_never_fails():
    """``device('cuda')`` is only a name: using it is what needs a GPU."""
    d = autodidact.device("cuda" if autodidact.cuda.is_available() else "cpu")
    assert d.type in ("cpu", "cuda")
    assert autodidact.device("cuda:7").index == 7


def test_a_tensor_device_always_has_an_index_on_a_gpu():
    """``"cuda"`` means the current GPU: tensors carry ``cuda:0``, as in PyTorch."""
    assert backend.as_device("cuda") == autodidact.device("cuda:0")
    assert backend.as_device("cuda").index == 0
    assert backend.as_device(0) is backend.as_device("cuda:0") is backend.as_device("cuda")
    assert backend.as_device(None) is backend.as_device("cpu") is backend.CPU


# ----------------------------------------------------------- CPU tensors


def test_cpu_tensors_report_their_device():
    x = autodidact.ones(2)
    assert x.device == autodidact.device("cpu") and x.device.type == "cpu"
    assert x.is_cuda is False
    assert x.device.index is None   # PyTorch: device(type='cpu')


def test_cpu_and_to_cpu_return_the_same_object():
    x = autodidact.ones(2, requires_grad=True)
    assert x.cpu() is x
    assert x.to("cpu") is x
    assert x.to(autodidact.device("cpu")) is x
    assert x.to(autodidact.ones(3)) is x           # same device and dtype: nothing to do
    assert x.to("cpu", autodidact.float32) is x


def test_portable_device_idiom_runs_here():
    device = autodidact.device("cuda" if autodidact.cuda.is_available() else "cpu")
    x = autodidact.ones(2).to(device)
    assert x.device == device


def test_device_fixture_gives_cpu_and_cuda(device):
    """The shared fixture: cpu always; cuda where a GPU is usable (else skipped, with the reason)."""
    x = autodidact.ones(2, device=device)
    assert x.device.type == device
    assert (x + 1).device.type == device


# ------------------------------------------------------------- no GPU here


def _fresh_probe(monkeypatch, cupy_module, smi=True):
    """Make the CUDA probe see ``cupy_module`` (None: not installed) and ask again."""
    monkeypatch.setattr(backend, "_cuda_probe", None)
    monkeypatch.setattr(random_engine, "_device_generators", {})   # no GPU generator left over
    monkeypatch.setitem(sys.modules, "cupy", cupy_module)
    monkeypatch.setattr(shutil, "which",   # the probe imports shutil when it runs
                        lambda name: "/usr/bin/nvidia-smi" if smi and name == "nvidia-smi" else None)


def _fake_cupy(count=None, error=None, calls=None):
    """A module shaped like CuPy whose driver reports ``count`` GPUs, or raises ``error``."""
    def get_device_count():
        if calls is not None:
            calls.append(1)
        if error is not None:
            raise error
        return count
    runtime = types.SimpleNamespace(getDeviceCount=get_device_count)
    return types.SimpleNamespace(__version__="13.6.0",
                                 cuda=types.SimpleNamespace(runtime=runtime))


class CUDARuntimeError(RuntimeError):
    """The name CuPy gives a failing CUDA call."""


@pytest.fixture
def no_cupy(monkeypatch):
    _fresh_probe(monkeypatch, None)


@pytest.fixture
def no_driver(monkeypatch):
    error = CUDARuntimeError("cudaErrorInsufficientDriver: CUDA driver version is insufficient "
                             "for CUDA runtime version")
    _fresh_probe(monkeypatch, _fake_cupy(error=error))


@pytest.fixture
def no_device(monkeypatch):
    _fresh_probe(monkeypatch, _fake_cupy(count=0))


MOVES = {
    "x.cuda()": lambda: autodidact.ones(2).cuda(),
    "x.cuda(0)": lambda: autodidact.ones(2).cuda(0),
    "x.to('cuda')": lambda: autodidact.ones(2).to("cuda"),
    "x.to('cuda:0')": lambda: autodidact.ones(2).to("cuda:0"),
    "x.to(device('cuda'))": lambda: autodidact.ones(2).to(autodidact.device("cuda")),
    "x.to('cuda', float64)": lambda: autodidact.ones(2).to("cuda", autodidact.float64),
    "x.to(device=...)": lambda: autodidact.ones(2).to(device="cuda"),
    "zeros(device=)": lambda: autodidact.zeros(2, device="cuda"),
    "ones(device=)": lambda: autodidact.ones(2, 3, device="cuda"),
    "empty(device=)": lambda: autodidact.empty(2, device="cuda"),
    "full(device=)": lambda: autodidact.full((2,), 1.5, device="cuda"),
    "arange(device=)": lambda: autodidact.arange(3, device="cuda"),
    "linspace(device=)": lambda: autodidact.linspace(0, 1, 3, device="cuda"),
    "eye(device=)": lambda: autodidact.eye(2, device="cuda"),
    "tensor(device=)": lambda: autodidact.tensor([1.0, 2.0], device="cuda"),
    "rand(device=)": lambda: autodidact.rand(2, device="cuda"),
    "randn(device=)": lambda: autodidact.randn(2, device="cuda"),
    "randint(device=)": lambda: autodidact.randint(0, 5, (2,), device="cuda"),
    "zeros_like(device=)": lambda: autodidact.zeros_like(autodidact.ones(2), device="cuda"),
    "Tensor(2, device=)": lambda: autodidact.Tensor(2, device="cuda"),
}


@pytest.mark.parametrize("move", MOVES.values(), ids=MOVES.keys())
def test_without_cupy_every_way_onto_the_gpu_raises_one_clear_error(no_cupy, move):
    with pytest.raises(CudaUnavailableError) as info:
        move()
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert message.startswith("Cannot use device 'cuda")
    assert "CuPy is missing" in message
    assert "pip install cupy-cuda12x" in message and "cupy-cuda13x" in message
    assert "nvidia-smi" in message


def test_without_cupy_or_a_driver_the_error_says_both(monkeypatch):
    _fresh_probe(monkeypatch, None, smi=False)
    with pytest.raises(CudaUnavailableError) as info:
        autodidact.ones(2).cuda()
    message = str(info.value)
    assert "CuPy is missing" in message
    assert "No NVIDIA driver was found either" in message and "device='cpu'" in message


def test_with_cupy_but_no_driver_the_error_names_the_driver(no_driver):
    with pytest.raises(CudaUnavailableError) as info:
        autodidact.ones(2).cuda()
    message = str(info.value)
    assert "the CUDA driver is missing or unusable" in message
    assert "CuPy 13.6.0 is installed" in message
    assert "cudaErrorInsufficientDriver" in message
    assert "nvidia-smi" in message
    assert "pip install cupy-cuda12x" in message and "cupy-cuda13x" in message
    assert "CuPy is missing" not in message


def test_with_cupy_and_driver_but_no_gpu_the_error_names_the_device(no_device, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    with pytest.raises(CudaUnavailableError) as info:
        autodidact.zeros(2, device="cuda")
    message = str(info.value)
    assert "no GPU device was found" in message
    assert "CUDA_VISIBLE_DEVICES=''" in message
    assert "driver is missing" not in message and "CuPy is missing" not in message


def test_with_a_gpu_that_cannot_run_a_kernel_the_error_says_so(monkeypatch):
    """getDeviceCount works, but CuPy can't compile (a build for another CUDA, no NVRTC)."""
    broken = _fake_cupy(count=1)
    broken.cuda.Device = lambda index: contextlib.nullcontext()

    def arange(n):
        raise RuntimeError("CuPy failed to load libnvrtc.so.12: OSError: libnvrtc.so.12: cannot "
                           "open shared object file: No such file or directory")
    broken.arange = arange
    _fresh_probe(monkeypatch, broken)
    assert autodidact.cuda.is_available() is False
    with pytest.raises(CudaUnavailableError) as info:
        autodidact.ones(2).cuda()
    message = str(info.value)
    assert "the GPU can't run code" in message and "sees 1 GPU(s)" in message
    assert "libnvrtc.so.12" in message and "cupy-cuda12x" in message


@pytest.mark.parametrize("state", ["no_cupy", "no_driver", "no_device"])
def test_cuda_is_not_available_and_counts_no_devices(state, request):
    request.getfixturevalue(state)
    assert autodidact.cuda.is_available() is False
    assert autodidact.cuda.device_count() == 0
    assert autodidact.cuda.unavailable_reason()
    with pytest.raises(CudaUnavailableError):
        autodidact.cuda.current_device()
    with pytest.raises(CudaUnavailableError):
        autodidact.cuda.synchronize()


def test_the_probe_runs_once_and_is_cached(monkeypatch):
    calls = []
    _fresh_probe(monkeypatch, _fake_cupy(count=0, calls=calls))
    for _ in range(3):
        assert autodidact.cuda.is_available() is False
        assert autodidact.cuda.device_count() == 0
    with pytest.raises(CudaUnavailableError):
        autodidact.ones(1).cuda()
    assert len(calls) == 1
    # A GPU appearing later does not change the cached answer (PyTorch's too is fixed).
    monkeypatch.setitem(sys.modules, "cupy", _fake_cupy(count=1, calls=calls))
    assert autodidact.cuda.is_available() is False
    assert len(calls) == 1


def test_is_available_never_raises_on_a_broken_cupy(monkeypatch):
    class Broken(types.ModuleType):
        def __getattr__(self, name):
            raise ImportError("libcudart.so.12: cannot open shared object file")
    _fresh_probe(monkeypatch, Broken("cupy"))
    assert autodidact.cuda.is_available() is False
    assert "libcudart.so.12" in autodidact.cuda.unavailable_reason()


def test_nothing_else_changes_without_a_gpu(no_cupy):
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(CudaUnavailableError):
        x.cuda()
    assert x.device == autodidact.device("cpu") and x.grad_fn is None
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    assert autodidact.ones(2).to("cpu").tolist() == [1.0, 1.0]
    assert autodidact.device("cuda").type == "cuda"


def test_module_cuda_without_a_gpu_raises_the_same_error(no_cupy):
    nn = pytest.importorskip("autodidact.nn")
    model = nn.Linear(2, 3)
    with pytest.raises(CudaUnavailableError, match="CuPy is missing"):
        model.cuda()
    with pytest.raises(CudaUnavailableError, match="CuPy is missing"):
        nn.Linear(2, 3, device="cuda")
    assert model.weight.device == autodidact.device("cpu")


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None or "cupy" in sys.modules,
                    reason="CuPy is installed here: this machine's own answer is tested in "
                           "test_cuda.py")
def test_this_machine_without_cupy_gets_the_clear_error():
    """Not simulated: the real probe on a machine without CuPy."""
    assert autodidact.cuda.is_available() is False
    assert autodidact.cuda.device_count() == 0
    with pytest.raises(CudaUnavailableError) as info:
        autodidact.randn(3).cuda()
    assert "CuPy is missing" in str(info.value)
    assert "pip install cupy-cuda12x" in str(info.value)


# --------------------------------------------------- mixing devices, numpy()
#
# Without a GPU, a tensor can still be labelled as on one: enough to check
# the rules that look only at the label.


def _labelled_cuda(values):
    t = autodidact.tensor(values)
    t._device = backend.as_device("cuda:0")
    return t


MISMATCH = ("Expected all tensors to be on the same device, but found at least two devices, "
            "cuda:0 and cpu!")


@pytest.mark.parametrize("op", [
    lambda g, c: g + c,
    lambda g, c: c + g,
    lambda g, c: g * c,
    lambda g, c: autodidact.maximum(c, g),
    lambda g, c: autodidact.where(c > 0, g, c),
], ids=["cuda+cpu", "cpu+cuda", "mul", "maximum", "where"])
def test_mixing_devices_in_one_op_raises_pytorchs_error(op):
    g = _labelled_cuda([1.0, 2.0])
    c = autodidact.tensor([3.0, 4.0], requires_grad=True)
    with raises(RuntimeError, MISMATCH):
        op(g, c)


def test_mixing_devices_in_matmul_and_cat_raises():
    g = _labelled_cuda([[1.0, 2.0], [3.0, 4.0]])
    c = autodidact.ones(2, 2)
    with raises(RuntimeError, MISMATCH):
        g @ c
    with raises(RuntimeError, MISMATCH):
        autodidact.cat([c, g])


def test_two_gpus_are_two_devices():
    a = _labelled_cuda([1.0])
    b = autodidact.tensor([1.0])
    b._device = backend.as_device("cuda:1")
    with raises(RuntimeError, "found at least two devices, cuda:0 and cuda:1!"):
        a + b


def test_numpy_of_a_gpu_tensor_says_to_call_cpu_first():
    g = _labelled_cuda([1.0, 2.0])
    with raises(TypeError, "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                           "to copy the tensor to host memory first."):
        g.numpy()
    with pytest.raises(TypeError, match=r"Tensor\.cpu\(\)"):
        np.asarray(g)


def test_gpu_tensors_print_their_device():
    g = _labelled_cuda([1.0, 2.0])
    assert repr(g) == "tensor([1., 2.], device='cuda:0')"
    assert g.is_cuda and g.device.index == 0


# ------------------------------------------- the GPU's scatter-add, on NumPy


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.int64, np.int32, bool])
@pytest.mark.parametrize("shape, key", [
    ((5,), (np.array([0, 0, 3, 0]),)),
    ((3, 4), (np.array([0, 2, 0]), slice(None))),
    ((3, 4), (slice(1, 3), np.array([3, 3, 1]))),
    ((3, 4), (np.array([[0, 1], [0, 1]]), np.array([[2, 2], [2, 0]]))),
    ((3, 4), (np.array([True, False, True]),)),
    ((2, 3, 4), (Ellipsis, np.array([1, 1]))),
    ((2, 3, 4), (np.array([1, 0, 1]), slice(None), np.array([3, 3, 3]))),
    ((3,), (np.array([], dtype=np.int64),)),
    ((3, 2), (np.array([-1, 2]),)),
])
def test_generic_scatter_add_matches_numpy_add_at(shape, key, dtype):
    """The route CuPy takes when its atomics lack a dtype, checked against np.add.at."""
    rng = np.random.default_rng(0)
    start = (rng.standard_normal(shape) * 4).astype(dtype)
    region = np.arange(int(np.prod(shape))).reshape(shape)[key].shape
    values = (rng.standard_normal(region) * 4).astype(dtype)
    expected = start.copy()
    np.add.at(expected, key, values)
    got = start.copy()
    backend._scatter_add_by_bincount(np, got, key, values)
    assert got.dtype == expected.dtype
    if dtype == np.float16:   # summed in float64, rounded once: within a step of float16
        np.testing.assert_allclose(got, expected, rtol=1e-2, atol=1e-2)
    elif np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-6 if dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, expected)


def test_generic_scatter_add_into_a_non_contiguous_array():
    base = np.zeros((4, 3))
    out = base.T                       # (3, 4), not C-contiguous
    backend._scatter_add_by_bincount(np, out, (np.array([0, 0, 2]),), np.ones((3, 4)))
    expected = np.zeros((3, 4))
    np.add.at(expected, (np.array([0, 0, 2]),), np.ones((3, 4)))
    np.testing.assert_array_equal(base.T, expected)


def test_the_cpu_scatter_add_sums_repeated_indices():
    x = autodidact.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2]].sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 1.0]
