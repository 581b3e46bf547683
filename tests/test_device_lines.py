"""The device lines tutorials start with: accelerator, backends, the default device, model.to."""

import threading

import numpy as np
import pytest

import autodidact


@pytest.fixture(autouse=True)
def _default_device_restored():
    yield
    autodidact.set_default_device(None)


def test_accelerator_answers_what_cuda_answers():
    available = autodidact.cuda.is_available()
    assert autodidact.accelerator.is_available() is available
    assert autodidact.accelerator.device_count() == autodidact.cuda.device_count()
    current = autodidact.accelerator.current_accelerator()
    assert current == (autodidact.device("cuda") if available else None)


def test_accelerator_lines_match_a_cpu_only_torch(torch_oracle):
    if autodidact.cuda.is_available() or torch_oracle.cuda.is_available():
        pytest.skip("compares the machine without a GPU")
    for lib in (autodidact, torch_oracle):
        device = (lib.accelerator.current_accelerator().type
                  if lib.accelerator.is_available() else "cpu")
        assert device == "cpu"
    assert autodidact.accelerator.current_accelerator() is None
    assert autodidact.accelerator.current_accelerator() == \
        torch_oracle.accelerator.current_accelerator()


def test_backends_match_a_cpu_only_torch(torch_oracle):
    import autodidact.backends.cudnn as cudnn          # the import line tutorials use
    theirs = torch_oracle.backends
    assert autodidact.backends.mps.is_available() is theirs.mps.is_available() is False
    assert autodidact.backends.mps.is_built() is theirs.mps.is_built() is False
    for flag in ("enabled", "benchmark", "deterministic", "allow_tf32"):
        assert getattr(cudnn, flag) == getattr(theirs.cudnn, flag), flag
    assert cudnn.is_available() is theirs.cudnn.is_available() is False
    assert cudnn.version() is theirs.cudnn.version() is None
    assert autodidact.backends.cuda.matmul.allow_tf32 is theirs.cuda.matmul.allow_tf32


def test_cudnn_flags_keep_what_a_program_sets():
    cudnn = autodidact.backends.cudnn
    saved = cudnn.benchmark, cudnn.deterministic
    try:
        cudnn.benchmark, cudnn.deterministic = True, True
        assert autodidact.backends.cudnn.benchmark and autodidact.backends.cudnn.deterministic
    finally:
        cudnn.benchmark, cudnn.deterministic = saved


def test_default_device_starts_as_the_cpu(torch_oracle):
    assert autodidact.get_default_device() == autodidact.device("cpu")
    assert repr(autodidact.get_default_device()) == repr(torch_oracle.get_default_device())


# The random creators (rand, randn, randint, randperm) move to autodidact/random with
# PyTorch's streams; they join this table once they place tensors with device_or_default.
CREATORS = {
    "zeros": lambda: autodidact.zeros(2),
    "ones": lambda: autodidact.ones(2, 3),
    "empty": lambda: autodidact.empty(2),
    "full": lambda: autodidact.full((2,), 1.5),
    "tensor": lambda: autodidact.tensor([1.0, 2.0]),
    "as_tensor": lambda: autodidact.as_tensor(np.ones(2)),
    "arange": lambda: autodidact.arange(3),
    "linspace": lambda: autodidact.linspace(0, 1, 5),
    "eye": lambda: autodidact.eye(2),
    "linear weight": lambda: autodidact.nn.Linear(2, 3).weight,
    "rand": lambda: autodidact.rand(2),
    "randn": lambda: autodidact.randn(2, 3),
    "randint": lambda: autodidact.randint(0, 5, (2,)),
    "randperm": lambda: autodidact.randperm(4),
}


@pytest.mark.parametrize("make", CREATORS.values(), ids=CREATORS.keys())
def test_creation_functions_use_the_default_device(make, device):
    autodidact.set_default_device(device)
    assert autodidact.get_default_device() == autodidact.device(device)
    assert make().device.type == device


def test_an_explicit_device_wins_and_from_numpy_stays_on_the_cpu(device):
    autodidact.set_default_device(device)
    assert autodidact.zeros(2, device="cpu").device.type == "cpu"
    assert autodidact.from_numpy(np.ones(2)).device.type == "cpu"
    autodidact.set_default_device(None)
    assert autodidact.zeros(2).device.type == "cpu"


def test_default_device_is_per_thread(device):
    autodidact.set_default_device(device)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(
        (autodidact.get_default_device().type, autodidact.zeros(1).device.type)))
    worker.start()
    worker.join()
    assert seen == [("cpu", "cpu")]            # a new thread starts on the CPU, as in PyTorch
    assert autodidact.zeros(1).device.type == device


def test_a_bad_default_device_is_refused_at_once(torch_oracle):
    for lib in (autodidact, torch_oracle):
        with pytest.raises(RuntimeError, match="device type at start of device string: gpu"):
            lib.set_default_device("gpu")


@pytest.mark.parametrize("spec", ["cpu", autodidact.device("cpu")], ids=["str", "device"])
def test_model_to_the_cpu_returns_the_model(spec):
    model = autodidact.nn.Linear(2, 2)
    assert model.to(spec) is model and model.weight.device.type == "cpu"


def test_model_to_mps_says_what_to_do():
    with pytest.raises(RuntimeError, match=r"mps \(autodidact has no 'mps' backend: .* Use 'cpu'"):
        autodidact.nn.Linear(2, 2).to("mps")


def test_model_to_cuda_without_a_gpu_says_why():
    if autodidact.cuda.is_available():
        pytest.skip("this machine has a usable GPU")
    with pytest.raises(autodidact.cuda.CudaUnavailableError, match="no usable GPU"):
        autodidact.nn.Linear(2, 2).to("cuda")


def test_model_to_the_device_tutorials_pick(device):
    picked = "cuda" if autodidact.cuda.is_available() else "cpu"
    if picked != device:
        pytest.skip(f"the tutorial's line picks {picked} here")
    model = autodidact.nn.Linear(2, 2).to(picked)
    assert model.weight.device.type == device and model(autodidact.ones(1, 2, device=picked)
                                                        ).device.type == device
