"""Suite-wide set-up: one thread, reproducible hypothesis, PyTorch as an oracle.

PyTorch is an optional extra. Tests that compare against it take the
`torch_oracle` fixture and are skipped where it is missing, except when
AUTODIDACT_REQUIRE_ORACLE=1 (as in CI): then a missing or wrong torch
fails the whole run before any test starts.
"""

import importlib.util
import os

# Pin BLAS and OpenMP to one thread before numpy or torch is imported:
# results stay reproducible and runs on small machines stay quick.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import pytest  # noqa: E402

ORACLE_VERSION = "2.13.0"

try:
    import torch as _torch
except ImportError:
    _torch = None
else:
    _torch.set_num_threads(1)

try:
    from hypothesis import settings as _settings
except ImportError:
    pass
else:
    _settings.register_profile(
        "ci", deadline=None, derandomize=True, max_examples=50, database=None)
    _settings.load_profile("ci")


def _oracle_problem():
    """Why the installed torch can't serve as the oracle, or None if it can."""
    if _torch is None:
        return "PyTorch is not installed"
    public = _torch.__version__.split("+")[0]
    if public != ORACLE_VERSION:
        return f"PyTorch {_torch.__version__} is installed, not {ORACLE_VERSION}"
    return None


def pytest_configure(config):
    if os.environ.get("AUTODIDACT_REQUIRE_ORACLE") == "1":
        problem = _oracle_problem()
        if problem is not None:
            raise pytest.UsageError(
                f"AUTODIDACT_REQUIRE_ORACLE=1 but {problem}. Install the oracle with "
                f"`.venv/bin/pip install -e '.[torch]'` (or run `make test`, which does), "
                f"or unset AUTODIDACT_REQUIRE_ORACLE to skip the comparisons.")


@pytest.fixture(scope="session")
def torch_oracle():
    """The torch module to compare against; skips the test where it can't be used."""
    problem = _oracle_problem()
    if problem is not None:
        pytest.skip(f"{problem}: comparisons with PyTorch {ORACLE_VERSION} skipped "
                    f"(install with `pip install -e '.[torch]'`)")
    return _torch


def _cuda_problem():
    """Why CUDA tests can't run here, or None if they can."""
    if importlib.util.find_spec("cupy") is None:
        return "CuPy is not installed (pip install -e '.[cuda12]' or '.[cuda13]')"
    try:
        import cupy
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # no driver, no device, broken install
        return f"CuPy cannot use a GPU: {exc}"
    return None if count > 0 else "CuPy sees no GPU"


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `cuda` where there is no usable GPU."""
    cuda_items = [item for item in items if item.get_closest_marker("cuda")]
    if not cuda_items:
        return
    problem = _cuda_problem()
    if problem is not None:
        skip = pytest.mark.skip(reason=problem)
        for item in cuda_items:
            item.add_marker(skip)


# The `device` fixture (cpu always, cuda where a GPU is usable) for tests
# parametrised by device; see tests/conftest_devices.py (issue 8).
pytest_plugins = ["conftest_devices"]
