"""Lesson 4 exercises: numpy() and from_numpy share memory; the cases they refuse."""

import numpy as np
import pytest

import autodidact as torch

exercise = pytest.mark.exercise


@exercise("to_numpy")
def test_to_numpy_shares_memory_even_with_grad(ex):
    for requires_grad in (False, True):
        t = torch.tensor([1.0, 2.0, 3.0], requires_grad=requires_grad)
        a = ex.to_numpy(t)
        assert isinstance(a, np.ndarray), f"return a NumPy array, not {type(a).__name__}"
        assert a.tolist() == [1.0, 2.0, 3.0] and a.dtype == np.float32, (
            f"expected array([1., 2., 3.], dtype=float32), got {a!r}")
        a[0] = 10.0
        assert t[0].item() == 10.0, (
            f"the array should share the tensor's memory (requires_grad={requires_grad}): "
            f"after a[0] = 10 the tensor still holds {t[0].item()}")


@exercise("shared_from_numpy")
def test_shared_from_numpy(ex):
    a = np.array([1.0, 2.0, 3.0])
    t = ex.shared_from_numpy(a)
    assert isinstance(t, torch.Tensor), f"return a Tensor, not {type(t).__name__}"
    assert t.dtype == torch.float64, f"a float64 array should give a float64 tensor, got {t.dtype}"
    a += 1
    assert t.tolist() == [2.0, 3.0, 4.0], (
        f"after a += 1 the tensor should show [2, 3, 4] (shared memory); it shows {t.tolist()}")


@exercise("from_any_numpy")
def test_from_any_numpy(ex):
    reversed_array = np.arange(5.0)[::-1]
    t = ex.from_any_numpy(reversed_array)
    assert t.tolist() == [4.0, 3.0, 2.0, 1.0, 0.0] and t.dtype == torch.float64, (
        f"a[::-1] of arange(5.) should give tensor([4., 3., 2., 1., 0.]) float64; got {t!r}")
    ints = np.arange(3, dtype=np.int32)
    t = ex.from_any_numpy(ints)
    assert t.dtype == torch.int32, f"keep the array's dtype (int32), got {t.dtype}"
    ints[0] = 7
    assert t[0].item() == 7, "an ordinary array should share memory with the tensor"


@exercise("double_via_numpy")
def test_double_via_numpy(ex):
    t = torch.tensor([1.0, -2.0, 3.5])
    got = ex.double_via_numpy(t)
    assert got is t, "return t itself (double it in place through NumPy)"
    assert t.tolist() == [2.0, -4.0, 7.0], f"t should now be [2, -4, 7], it is {t.tolist()}"
