"""The facts of a tensor: size/shape, dim, numel, len, item, tolist, bool,
repr, and the device surface (.cpu(), .to(device), .cuda() without a GPU).

Expectations are PyTorch 2.13's (reference sections 4, 15, 33 and 34).
"""

import contextlib
import re
import sys
import types

import numpy as np
import pytest

import autodidact
from autodidact import backend


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


def _gpu_present():
    return autodidact.cuda.is_available()


# ------------------------------------------------------------- size, shape


def test_size_and_shape_are_the_same_size():
    x = autodidact.zeros(5, 3)
    assert x.size() == x.shape == (5, 3)
    assert type(x.size()) is autodidact.Size and isinstance(x.shape, tuple)
    assert repr(x.size()) == str(x.shape) == "autodidact.Size([5, 3])"
    assert autodidact.Size.__mro__ == (autodidact.Size, tuple, object)


def test_size_is_a_tuple_that_stays_a_size():
    s = autodidact.Size([5, 3])
    assert s == (5, 3) and s != [5, 3]
    assert s.numel() == 15 and autodidact.Size([]).numel() == 1
    assert repr(s + (1,)) == "autodidact.Size([5, 3, 1])"
    assert repr((1,) + s) == "autodidact.Size([1, 5, 3])"
    assert repr(s[1:]) == "autodidact.Size([3])"
    assert s[0] == 5 and type(s[0]) is int
    assert repr(s * 2) == "autodidact.Size([5, 3, 5, 3])"
    assert repr(autodidact.Size([])) == "autodidact.Size([])"


def test_size_of_one_dimension():
    x = autodidact.zeros(5, 3)
    assert (x.size(0), x.size(1), x.size(-1), x.size(dim=1)) == (5, 3, 3, 3)
    assert (x.shape[0], x.shape[-1]) == (5, 3)


@pytest.mark.parametrize("dim", [2, -3])
def test_size_out_of_range(dim):
    with raises(IndexError, f"Dimension out of range (expected to be in range of [-2, 1], but got {dim})"):
        autodidact.zeros(5, 3).size(dim)


def test_shape_index_out_of_range_is_a_tuple_error():
    with raises(IndexError, "tuple index out of range"):
        autodidact.zeros(5, 3).shape[2]


def test_shape_is_not_writable():
    x = autodidact.zeros(5, 3)
    with pytest.raises(AttributeError, match="shape"):
        x.shape = (3, 5)
    assert x.shape == (5, 3)


def test_dim_numel_len():
    x = autodidact.zeros(5, 3)
    assert (x.dim(), x.ndim, x.ndimension(), x.numel(), x.nelement(), len(x)) == (2, 2, 2, 15, 15, 5)
    assert autodidact.numel(x) == 15
    assert len(autodidact.zeros(0, 4)) == 0 and autodidact.zeros(0, 4).numel() == 0


def test_zero_dim_tensor_facts():
    s = autodidact.tensor(3.0)
    assert s.size() == s.shape == autodidact.Size([]) and s.dim() == 0 and s.numel() == 1
    with raises(TypeError, "len() of a 0-d tensor"):
        len(s)
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        s.size(0)
    with raises(TypeError, "iteration over a 0-d tensor"):
        iter(s)


def test_iteration_gives_rows():
    rows = list(autodidact.tensor([[1, 2], [3, 4]]))
    assert [r.tolist() for r in rows] == [[1, 2], [3, 4]]


# ----------------------------------------------------- item, tolist, bool


def test_item_types():
    assert autodidact.tensor(2.5).item() == 2.5 and type(autodidact.tensor(2.5).item()) is float
    assert autodidact.tensor(2).item() == 2 and type(autodidact.tensor(2).item()) is int
    assert autodidact.tensor([True]).item() is True
    assert autodidact.tensor([[2.5]]).item() == 2.5   # any shape with one element
    assert autodidact.tensor(2.5, dtype=autodidact.float16).item() == 2.5


@pytest.mark.parametrize("data, n", [([1.0, 2.0], 2), ([], 0)])
def test_item_needs_one_element(data, n):
    with raises(RuntimeError, f"a Tensor with {n} elements cannot be converted to Scalar"):
        autodidact.tensor(data).item()


def test_tolist():
    assert autodidact.ones(3).tolist() == [1.0, 1.0, 1.0]
    assert autodidact.tensor(2.5).tolist() == 2.5
    assert autodidact.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert autodidact.tensor([[True]]).tolist() == [[True]]
    assert autodidact.zeros(2, 0).tolist() == [[], []]
    assert autodidact.tensor([1.0, 2.0], requires_grad=True).tolist() == [1.0, 2.0]
    assert type(autodidact.tensor([1, 2]).tolist()[0]) is int


def test_bool():
    assert bool(autodidact.tensor([0.0])) is False
    assert bool(autodidact.tensor(2.0)) is True
    assert bool(autodidact.tensor([[3]])) is True
    with raises(RuntimeError, "Boolean value of Tensor with more than one value is ambiguous"):
        bool(autodidact.tensor([1.0, 2.0]))
    with raises(RuntimeError, "Boolean value of Tensor with no values is ambiguous"):
        bool(autodidact.tensor([]))


def test_float_int_index_conversions():
    assert float(autodidact.tensor([2.5])) == 2.5
    assert int(autodidact.tensor([2.9])) == 2 and int(autodidact.tensor([-2.9])) == -2
    assert int(autodidact.tensor(True)) == 1
    assert [10, 20, 30][autodidact.tensor(1)] == 20
    with raises(ValueError, "only one element tensors can be converted to Python scalars"):
        float(autodidact.ones(2))
    with raises(ValueError, "only one element tensors can be converted to Python scalars"):
        int(autodidact.ones(2))
    with raises(TypeError, "only integer tensors of a single element can be converted to an index"):
        [1, 2, 3][autodidact.tensor(1.0)]


def test_format_of_a_0d_tensor():
    assert f"{autodidact.tensor(2.5):.2f}" == "2.50"
    assert f"{autodidact.tensor([1.5])}" == "tensor([1.5000])"


# -------------------------------------------------------------------- repr


@pytest.mark.parametrize("make, text", [
    (lambda: autodidact.tensor([1.0, 2.0, 3.0]), "tensor([1., 2., 3.])"),
    (lambda: autodidact.tensor([1.5, 2.0]), "tensor([1.5000, 2.0000])"),
    (lambda: autodidact.tensor([1, -2, 300]), "tensor([  1,  -2, 300])"),
    (lambda: autodidact.tensor([True, False]), "tensor([ True, False])"),
    (lambda: autodidact.tensor([1, 2], dtype=autodidact.int32),
     "tensor([1, 2], dtype=autodidact.int32)"),
    (lambda: autodidact.tensor([1.0, 2.0], dtype=autodidact.float64),
     "tensor([1., 2.], dtype=autodidact.float64)"),
    (lambda: autodidact.tensor([1.5, 2.0], dtype=autodidact.float16),
     "tensor([1.5000, 2.0000], dtype=autodidact.float16)"),
    (lambda: autodidact.tensor([1, 2], dtype=autodidact.uint8),
     "tensor([1, 2], dtype=autodidact.uint8)"),
    (lambda: autodidact.tensor(3.0), "tensor(3.)"),
    (lambda: autodidact.tensor(3), "tensor(3)"),
    (lambda: autodidact.tensor(3.5), "tensor(3.5000)"),
    (lambda: autodidact.tensor(3.5, requires_grad=True), "tensor(3.5000, requires_grad=True)"),
    (lambda: autodidact.tensor([]), "tensor([])"),
    (lambda: autodidact.tensor([], dtype=autodidact.int64), "tensor([], dtype=autodidact.int64)"),
    (lambda: autodidact.zeros(0, 3), "tensor([], size=(0, 3))"),
    (lambda: autodidact.tensor([1e10, 1.0]), "tensor([1.0000e+10, 1.0000e+00])"),
    (lambda: autodidact.tensor([float("nan"), float("inf"), -float("inf"), 1.0]),
     "tensor([nan, inf, -inf, 1.])"),
    (lambda: autodidact.zeros(2, 3), "tensor([[0., 0., 0.],\n        [0., 0., 0.]])"),
    (lambda: autodidact.ones(2, dtype=autodidact.float64, requires_grad=True) * 2,
     "tensor([2., 2.], dtype=autodidact.float64, grad_fn=<MulBackward0>)"),
    (lambda: autodidact.tensor([1.0, 2.0], requires_grad=True).sum(),
     "tensor(3., grad_fn=<SumBackward0>)"),
])
def test_repr(make, text):
    t = make()
    assert repr(t) == text
    assert str(t) == text


# ------------------------------------------------------------------ device


def test_cpu_device_surface():
    x = autodidact.ones(2)
    assert x.device == autodidact.device("cpu") and x.device.type == "cpu"
    assert repr(x.device) == "device(type='cpu')" and str(x.device) == "cpu"
    assert x.is_cuda is False
    assert x.cpu() is x and x.to("cpu") is x and x.to(autodidact.device("cpu")) is x
    assert autodidact.zeros(2, device="cpu").device == autodidact.device("cpu")
    assert autodidact.tensor([1], device=autodidact.device("cpu")).device.type == "cpu"


def test_device_objects():
    assert repr(autodidact.device("cuda")) == "device(type='cuda')"
    assert repr(autodidact.device("cuda:0")) == "device(type='cuda', index=0)"
    assert repr(autodidact.device("cuda", 1)) == "device(type='cuda', index=1)"
    assert str(autodidact.device("cuda:1")) == "cuda:1"
    assert autodidact.device("cpu") == autodidact.device("cpu") == "cpu"
    assert autodidact.device("cpu") != autodidact.device("cuda")
    assert hash(autodidact.device("cpu")) == hash(autodidact.device("cpu"))


@pytest.mark.parametrize("spec", ["gpu", "cuda:x"])
def test_unknown_device_strings(spec):
    with pytest.raises(RuntimeError, match=r"Expected one of cpu, cuda.* device type at start of "
                                           r"device string: gpu|Invalid device string: 'cuda:x'"):
        autodidact.ones(2).to(spec)


def test_the_portable_idiom_works_here():
    device = autodidact.device("cuda" if autodidact.cuda.is_available() else "cpu")
    assert autodidact.ones(2).to(device).device == device


@pytest.mark.skipif(_gpu_present(), reason="a GPU is usable here")
def test_cuda_is_not_available_here():
    assert autodidact.cuda.is_available() is False
    assert autodidact.cuda.device_count() == 0


CUDA_CALLS = [
    lambda: autodidact.ones(2).cuda(),
    lambda: autodidact.ones(2).to("cuda"),
    lambda: autodidact.ones(2).to(autodidact.device("cuda")),
    lambda: autodidact.ones(2, device="cuda"),
    lambda: autodidact.tensor([1.0], device="cuda:0"),
    lambda: autodidact.cuda.current_device(),
]


@pytest.mark.skipif(_gpu_present(), reason="a GPU is usable here")
@pytest.mark.parametrize("call", CUDA_CALLS)
def test_cuda_without_a_gpu_says_why_and_how_to_fix(call):
    with pytest.raises(RuntimeError) as info:
        call()
    message = str(info.value)
    assert isinstance(info.value, backend.CudaUnavailableError)
    assert "no usable GPU" in message
    assert "CuPy" in message
    assert "pip install cupy-cuda12x" in message and "cupy-cuda13x" in message
    assert "nvidia-smi" in message


def _fake_cupy(monkeypatch, get_count):
    """Make `import cupy` find a stand-in whose runtime reports ``get_count()``."""
    fake = types.ModuleType("cupy")
    fake.__version__ = "13.6.0"
    fake.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=get_count),
                                      Device=lambda index: contextlib.nullcontext())
    fake.arange = np.arange   # the probe runs a first kernel: cupy.arange(3) + 1
    monkeypatch.setitem(sys.modules, "cupy", fake)
    monkeypatch.setattr(backend, "_cuda_probe", None)


def test_cuda_with_cupy_but_no_driver(monkeypatch):
    def no_driver():
        raise RuntimeError("cudaErrorInsufficientDriver: CUDA driver version is insufficient")
    _fake_cupy(monkeypatch, no_driver)
    assert autodidact.cuda.is_available() is False
    with pytest.raises(backend.CudaUnavailableError) as info:
        autodidact.ones(2).cuda()
    message = str(info.value)
    assert "no usable GPU" in message and "driver" in message
    assert "insufficient" in message   # the driver's own words are passed on
    assert "cupy-cuda12x" in message and "cupy-cuda13x" in message


def test_cuda_with_a_driver_but_no_device(monkeypatch):
    _fake_cupy(monkeypatch, lambda: 0)
    assert autodidact.cuda.is_available() is False
    with pytest.raises(backend.CudaUnavailableError) as info:
        autodidact.ones(2).to("cuda")
    assert "no GPU device was found" in str(info.value) and "nvidia-smi" in str(info.value)


def test_cuda_device_index_beyond_the_count(monkeypatch):
    _fake_cupy(monkeypatch, lambda: 1)
    assert autodidact.cuda.is_available() is True
    assert autodidact.cuda.device_count() == 1
    with pytest.raises(backend.CudaUnavailableError) as info:
        autodidact.ones(2).to("cuda:3")
    assert "Cannot use device 'cuda:3'" in str(info.value)
    assert "valid indices 0..0" in str(info.value)


def test_numpy_of_a_gpu_tensor_says_to_copy_first():
    x = autodidact.ones(2)
    x._device = autodidact.device("cuda", 0)   # a stand-in: only the message is under test
    with raises(TypeError, "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to "
                           "copy the tensor to host memory first."):
        x.numpy()


def test_import_does_not_import_cupy():
    import subprocess
    code = "import sys, autodidact; autodidact.cuda; print('cupy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_tensor_type_checks():
    assert autodidact.is_tensor(autodidact.ones(2)) and not autodidact.is_tensor([1])
    assert autodidact.is_floating_point(autodidact.ones(2))
    assert not autodidact.is_floating_point(autodidact.ones(2, dtype=autodidact.int8))
    assert isinstance(np.float32(1), np.floating)   # sanity: numpy stays unpatched
