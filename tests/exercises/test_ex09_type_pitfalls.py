"""Lesson 9 exercises: promotion, integer arithmetic and casts."""

import pytest

import autodidact as torch
from autodidact import nn

exercise = pytest.mark.exercise


@exercise("mean_of_ints")
def test_mean_of_ints(ex):
    for values, want in (([1, 2], 1.5), ([7, 8, 10], 25 / 3), ([-3, 2], -0.5)):
        got = ex.mean_of_ints(torch.tensor(values))
        assert isinstance(got, torch.Tensor) and got.dtype == torch.float32, (
            f"return a float32 tensor; got {got!r}")
        assert abs(got.item() - want) < 1e-5, f"the mean of {values} is {want:.4f}; you gave {got.item()}"


@exercise("safe_add")
def test_safe_add_does_not_wrap(ex):
    t = torch.tensor([100, 120], dtype=torch.int8)
    got = ex.safe_add(t, 1000)
    assert got.tolist() == [1100, 1120], f"[100, 120] + 1000 is [1100, 1120]; you gave {got.tolist()}"
    assert got.dtype == torch.int64, f"the result should be int64, got {got.dtype}"
    assert t.dtype == torch.int8 and t.tolist() == [100, 120], "leave t as it was"


@exercise("safe_matmul")
def test_safe_matmul_keeps_the_wider_dtype(ex):
    a32 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b64 = torch.tensor([[1.0, 1e-9], [0.0, 1.0]], dtype=torch.float64)
    for a, b in ((a32, b64), (b64, a32), (a32, a32)):
        got = ex.safe_matmul(a, b)
        want = torch.promote_types(a.dtype, b.dtype)
        assert got.dtype == want, f"{a.dtype} @ {b.dtype} should come out {want}, got {got.dtype}"
        expected = a.double() @ b.double()
        assert torch.allclose(got.double(), expected), f"wrong product: {got} instead of {expected}"


@exercise("scale_int_")
def test_scale_int_in_place_with_rounding(ex):
    t = torch.tensor([1, 2, 3, -3, 10])
    got = ex.scale_int_(t, 0.4)
    assert got is t, "scale t itself, in place, and return it"
    assert t.dtype == torch.int64, f"t must keep its dtype int64, it is {t.dtype}"
    assert t.tolist() == [0, 1, 1, -1, 4], (
        f"[1, 2, 3, -3, 10] * 0.4 = [0.4, 0.8, 1.2, -1.2, 4.0], rounded [0, 1, 1, -1, 4]; "
        f"t is {t.tolist()}")


@exercise("class_labels")
def test_class_labels_work_with_cross_entropy(ex):
    y = torch.tensor([0.0, 2.0, 1.0])
    got = ex.class_labels(y)
    assert got.dtype == torch.int64, f"CrossEntropyLoss wants int64 labels, got {got.dtype}"
    assert got.tolist() == [0, 2, 1], f"the labels should stay [0, 2, 1], got {got.tolist()}"
    nn.CrossEntropyLoss()(torch.zeros(3, 3), got)      # must not raise
