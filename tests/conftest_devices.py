"""The ``device`` fixture: run a test on the CPU always, and on a GPU where there is one.

    def test_exp(device):                     # runs as test_exp[cpu] and test_exp[cuda]
        x = autodidact.ones(3, device=device)
        assert x.exp().device.type == device

The ``cuda`` parameter carries the ``cuda`` mark, so ``pytest -m cuda``
selects exactly the GPU runs, and ``tests/conftest.py`` skips them, with
the reason, where no GPU is usable. Loaded by ``tests/conftest.py``
(``pytest_plugins``).

``AUTODIDACT_FAKE_CUPY=1`` installs ``tests/fake_cupy.py`` as CuPy first:
the GPU code path then runs on NumPy, to rehearse it on a CPU-only machine.
"""

import os

import pytest

if os.environ.get("AUTODIDACT_FAKE_CUPY") == "1":
    import fake_cupy
    fake_cupy.install()

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.cuda, id="cuda")]


def cuda_skip_reason():
    """Why the GPU runs can't happen here, or None when they can."""
    from autodidact import backend
    if backend.cuda_available():
        return None
    return "no usable GPU: " + backend.cuda_unavailable_reason()


@pytest.fixture(params=DEVICES)
def device(request):
    """``'cpu'``, then ``'cuda'`` (skipped, with the reason, without a usable GPU)."""
    if request.param == "cuda":
        reason = cuda_skip_reason()
        if reason is not None:
            pytest.skip(reason)
    return request.param
