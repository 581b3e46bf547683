"""Lesson 6 exercises: leaves, backward(), retain_grad() and walking the graph."""

import pytest

import autodidact as torch

exercise = pytest.mark.exercise


@exercise("make_parameter")
def test_make_parameter(ex):
    for value in (2, 1.5, -3):
        w = ex.make_parameter(value)
        assert isinstance(w, torch.Tensor), f"return a tensor, not {type(w).__name__}"
        assert w.dtype == torch.float32 and tuple(w.shape) == (1,), (
            f"make_parameter({value!r}) should be float32 of shape (1,), got {w.dtype} {tuple(w.shape)}")
        assert w.item() == float(value), f"it should hold {float(value)}, holds {w.item()}"
        assert w.requires_grad and w.is_leaf and w.grad is None, (
            "it should be a leaf that requires grad, with no gradient yet")


@exercise("elementwise_gradient")
def test_elementwise_gradient(ex):
    x = torch.tensor([1.0, 2.0, -3.0, 0.5])
    cases = [(lambda t: t ** 2, "t ** 2", [2.0, 4.0, -6.0, 1.0]),
             (torch.sin, "sin", torch.cos(x).tolist()),
             (lambda t: 3 * t + 1, "3t + 1", [3.0] * 4)]
    for f, name, want in cases:
        got = ex.elementwise_gradient(f, x)
        assert got is not None and torch.allclose(got, torch.tensor(want), atol=1e-6), (
            f"the derivative of {name} at {x.tolist()} is {want}; you gave {got}")
    assert not x.requires_grad, "leave x as it was: it should still not require grad"


@exercise("intermediate_grad")
def test_intermediate_grad(ex):
    for w, x, y in ((1.0, 2.0, 4.0), (0.5, 3.0, 1.0), (2.0, -1.0, 0.0)):
        got = ex.intermediate_grad(w, x, y)
        want = 2 * (x * w - y)
        assert isinstance(got, float), f"return a Python float (use .item()), not {type(got).__name__}"
        assert abs(got - want) < 1e-5, (
            f"with w={w}, x={x}, y={y}: d loss/d y_pred = 2 (y_pred - y) = {want}; you gave {got}")


@exercise("count_nodes")
def test_count_nodes(ex):
    w = torch.tensor([1.5], requires_grad=True)
    x = torch.tensor([2.0])
    assert ex.count_nodes(w) == 0, "a leaf has no node behind it: 0"
    assert ex.count_nodes(x * w) == 2, "x * w has 2 nodes: MulBackward0 and w's AccumulateGrad"
    a = x * w
    got = ex.count_nodes(a * a + a)
    assert got == 4, (f"a = x * w; a * a + a has 4 distinct nodes (Add, Mul, Mul, AccumulateGrad); "
                      f"you counted {got}. A node reached along two paths counts once")
    h = w
    for _ in range(6):
        h = h * h + h            # each step uses the previous result three times
    got = ex.count_nodes(h)
    assert got == 13, f"six steps of h = h * h + h have 13 distinct nodes; you counted {got}"
