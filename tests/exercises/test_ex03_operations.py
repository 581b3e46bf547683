"""Lesson 3 exercises: out=, flip, broadcasting, in-place ops and views."""

import pytest

import autodidact as torch

exercise = pytest.mark.exercise


def _xy():
    torch.manual_seed(3)
    return torch.rand(5, 3), torch.rand(5, 3)


@exercise("add_into")
def test_add_into_writes_out_and_returns_it(ex):
    x, y = _xy()
    out = torch.zeros(5, 3)
    got = ex.add_into(x, y, out)
    assert got is out, "return the very tensor you were given as `out`, not a new one"
    assert torch.allclose(out, x + y), "`out` should now hold x + y"


@exercise("reverse_rows")
def test_reverse_rows(ex):
    x = torch.arange(12.0).view(4, 3)
    got = ex.reverse_rows(x)
    want = torch.tensor([[9.0, 10, 11], [6, 7, 8], [3, 4, 5], [0, 1, 2]])
    assert torch.equal(got, want), (
        f"the rows of {x.tolist()} reversed are {want.tolist()}; you gave {got.tolist()}")
    assert torch.equal(x, torch.arange(12.0).view(4, 3)), "leave x as it was"


@exercise("center_columns")
def test_center_columns(ex):
    x = torch.tensor([[1.0, 10.0, 0.0], [3.0, 20.0, 0.0], [5.0, 60.0, 3.0], [7.0, 30.0, 1.0]])
    original = x.clone()
    got = ex.center_columns(x)
    assert tuple(got.shape) == (4, 3), f"keep the shape (4, 3); got {tuple(got.shape)}"
    means = got.mean(dim=0)
    assert torch.allclose(means, torch.zeros(3), atol=1e-5), (
        f"every column of the result should average 0; the column means are {means}")
    assert torch.allclose(got, original - original.mean(dim=0)), "subtract the column means, nothing else"
    assert torch.equal(x, original), "leave x as it was (return a new tensor)"


@exercise("scale_in_place")
def test_scale_in_place(ex):
    x = torch.arange(6.0).view(2, 3)
    column = x[:, 0]
    got = ex.scale_in_place(x, 2.5)
    assert got is x, "return x itself, changed in place"
    assert torch.equal(x, torch.arange(6.0).view(2, 3) * 2.5), f"x should be scaled by 2.5, it is {x}"
    assert torch.equal(column, torch.tensor([0.0, 7.5])), (
        "a view of x (x[:, 0]) should see the change: scale x's own memory")


@exercise("as_one_row")
def test_as_one_row_shares_memory_and_handles_a_transpose(ex):
    x = torch.arange(6.0).view(2, 3)
    got = ex.as_one_row(x)
    assert tuple(got.shape) == (1, 6), f"the shape should be (1, 6), got {tuple(got.shape)}"
    assert got.tolist() == [[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]], f"row-major order expected, got {got}"
    got[0, 5] = -1.0
    assert x[1, 2].item() == -1.0, "for a contiguous x the result should share x's memory"

    t = torch.arange(6.0).view(2, 3).t()          # not contiguous: view(1, -1) fails
    got = ex.as_one_row(t)
    assert got.tolist() == [[0.0, 3.0, 1.0, 4.0, 2.0, 5.0]], (
        f"x.t() read row by row is [0, 3, 1, 4, 2, 5]; got {got.tolist()}")
