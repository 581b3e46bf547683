"""Lesson 2 exercises: uniform_, size(), dtypes and their memory."""

import pytest

import autodidact as torch

exercise = pytest.mark.exercise


@exercise("make_uniform")
@pytest.mark.parametrize("low, high", [(-1, 1), (2, 5)])
def test_make_uniform_shape_dtype_and_range(ex, low, high):
    torch.manual_seed(0)
    t = ex.make_uniform(50, 40, low, high)
    assert isinstance(t, torch.Tensor), f"return a Tensor, not {type(t).__name__}"
    assert t.shape == (50, 40), f"the shape should be (50, 40), got {tuple(t.shape)}"
    assert t.dtype == torch.float32, f"the dtype should be float32, got {t.dtype}"
    lo, hi = t.min().item(), t.max().item()
    assert low <= lo and hi < high, (
        f"numbers must lie in [{low}, {high}); yours go from {lo:.3f} to {hi:.3f}")
    assert lo < low + 0.1 * (high - low) and hi > high - 0.1 * (high - low), (
        f"2000 draws should cover [{low}, {high}) nearly end to end; yours span only "
        f"{lo:.3f} to {hi:.3f}")


@exercise("shape_and_count")
def test_shape_and_count(ex):
    for shape, count in (((5, 3), 15), ((2, 3, 4), 24), ((7,), 7), ((), 1)):
        got = ex.shape_and_count(torch.zeros(shape))
        assert tuple(got) == (shape, count), (
            f"for a tensor of shape {shape} expected {(shape, count)}, got {got!r}")
        assert type(got[0]) is tuple, f"the shape should be a plain tuple, got {type(got[0]).__name__}"


SMALLEST = [([0, 100], "int8"), ([-128, 127], "int8"), ([128], "int16"), ([-129], "int16"),
            ([0, 200], "int16"), ([-32768, 32767], "int16"), ([32768], "int32"),
            ([2 ** 31 - 1, -2 ** 31], "int32"), ([2 ** 31], "int64"), ([-2 ** 40], "int64")]


@exercise("smallest_int_dtype")
def test_smallest_int_dtype(ex):
    for values, want in SMALLEST:
        got = ex.smallest_int_dtype(values)
        assert got == getattr(torch, want), (
            f"the smallest integer dtype for {values} is {want}, got {got}")


@exercise("memory_bytes")
def test_memory_bytes(ex):
    for dtype, per_number in (("float32", 4), ("float64", 8), ("int8", 1), ("int64", 8),
                              ("bool", 1), ("float16", 2)):
        t = torch.zeros(10, 3, dtype=getattr(torch, dtype))
        got = ex.memory_bytes(t)
        assert got == 30 * per_number, (
            f"30 {dtype} numbers take {30 * per_number} bytes ({per_number} each); "
            f"you said {got!r}")
