"""Lesson 11 exercises: the student's rules and order, plugged into the real engine.

Every plug-in happens inside a `with` block (swap_backward) or a single call
(order_fn=), so the engine is itself again after each test; conftest checks.
"""

import math

import pytest

import autodidact as torch
from autodidact import autograd, nn
from autodidact.function import swap_backward
from autodidact.graph import topological_order

exercise = pytest.mark.exercise


def _students_tanh(ex):
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return ex.tanh_backward(grad, out)
    return swap_backward("tanh", backward)


@exercise("tanh_backward")
def test_tanh_backward_passes_gradcheck(ex):
    x = torch.tensor([-2.0, -0.5, 0.0, 0.3, 1.7], dtype=torch.float64, requires_grad=True)
    with _students_tanh(ex):
        ok = autograd.gradcheck(torch.tanh, (x,), raise_exception=False)
    assert ok, ("with your rule as tanh's backward, gradients disagree with finite differences "
                "(gradcheck failed): check the derivative 1 - tanh(x)**2")


@exercise("tanh_backward")
def test_tanh_backward_trains_a_network(ex):
    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 40).view(40, 1)
    y = torch.sin(2 * x)
    model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
    loss_fn = nn.MSELoss()
    with _students_tanh(ex):
        first = loss_fn(model(x), y).item()
        for _ in range(150):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        last = loss_fn(model(x), y).item()
    assert last < 0.05 and last < first / 5, (
        f"a Tanh network trained with your backward should fit sin(2x): the loss went from "
        f"{first:.3f} to {last:.3f} (below 0.05 expected)")


def _which_formula(got, grad, a, b):
    """Name the formula a returned gradient matches ("grad * a", ...), for the report."""
    candidates = {"grad * b": grad * b, "grad * a": grad * a, "grad": grad, "a": a, "b": b,
                  "grad * a * b": grad * a * b, "a * b": a * b}
    for name, value in candidates.items():
        if isinstance(got, torch.Tensor) and got.shape == value.shape and torch.allclose(got, value):
            return name
    return repr(got)


@exercise("mul_backward")
def test_mul_backward_names_each_gradient(ex):
    grad, a, b = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 5.0]), torch.tensor([7.0, 11.0])
    got = ex.mul_backward(grad, a, b)
    assert isinstance(got, tuple) and len(got) == 2, (
        f"return two gradients, (for a, for b); yours returned {got!r}")
    for name, want, mine in (("a", "grad * b", got[0]), ("b", "grad * a", got[1])):
        found = _which_formula(mine, grad, a, b)
        assert found == want, f"{name}'s gradient should be {want}; yours gives {found}"


@exercise("mul_backward")
def test_mul_backward_in_the_engine(ex):
    a = torch.tensor([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([3.0, -0.25, 1.1], dtype=torch.float64, requires_grad=True)
    def rule(ctx, grad):
        # Mul saves only what its backward will use: the factor it does not
        # need comes back as None, and the gradient computed from it is dropped.
        a, b = (0.0 if v is None else v for v in ctx.saved_tensors)
        return ex.mul_backward(grad, a, b)

    with swap_backward("mul", rule):
        ok = autograd.gradcheck(lambda p, q: p * q, (a, b), raise_exception=False)
        c = torch.tensor([2.0, 3.0], requires_grad=True)
        (c * 4.0).sum().backward()
    assert ok, "with your rule as mul's backward, gradcheck fails for a (2, 3) times a (3,) tensor"
    assert c.grad.tolist() == [4.0, 4.0], f"d(4c)/dc is 4; with your rule c.grad = {c.grad.tolist()}"


def _diamond():
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    a = w * torch.tensor([2.0, 3.0])
    return (a * a.tanh() + a.exp()).sum(), [w]


def _mlp():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    x = torch.randn(4, 3)
    h = model(x)
    return (h * h).sum() + model[0].weight.sum(), list(model.parameters())


def _deep_chain(n=5000):
    w = torch.tensor(1.0, requires_grad=True)
    h = w
    for _ in range(n):
        h = h * 1.0001
    return h, [w]


@exercise("topological_order")
def test_topological_order_drives_a_real_backward(ex):
    for name, build in (("diamond", _diamond), ("MLP", _mlp), ("chain of 5000 ops", _deep_chain)):
        loss, leaves = build()
        order = ex.topological_order(loss.grad_fn)
        assert len(order) == len(set(order)) and set(order) == set(topological_order(loss.grad_fn)), (
            f"for the {name} graph, list every reachable node exactly once")
        loss, leaves = build()
        autograd.backward(loss, order_fn=ex.topological_order)
        mine = [leaf.grad.clone() for leaf in leaves]
        loss, leaves = build()
        loss.backward()
        for got, want in zip(mine, leaves):
            assert torch.allclose(got, want.grad, rtol=1e-5, atol=1e-6), (
                f"for the {name} graph, backward in your order gives {got}, the engine's order "
                f"{want.grad}")


@exercise("Softplus")
def test_softplus_values_and_node(ex):
    x = torch.tensor([-3.0, -0.5, 0.0, 1.0, 2.5], requires_grad=True)
    y = ex.Softplus.apply(x)
    want = [math.log1p(math.exp(v)) for v in x.tolist()]
    assert torch.allclose(y, torch.tensor(want), atol=1e-6), f"softplus({x.tolist()}) is {want}, got {y}"
    assert y.grad_fn is not None and y.grad_fn.name() == "SoftplusBackward", (
        f"the result should be recorded as SoftplusBackward, got {y.grad_fn}")
    y.sum().backward()
    sig = [1 / (1 + math.exp(-v)) for v in x.tolist()]
    assert torch.allclose(x.grad, torch.tensor(sig), atol=1e-6), (
        f"d softplus/dx is sigmoid(x) = {[round(s, 4) for s in sig]}; backward gave {x.grad}")


@exercise("Softplus")
def test_softplus_passes_gradcheck(ex):
    x = torch.tensor([[-2.0, 0.1], [0.7, 3.0]], dtype=torch.float64, requires_grad=True)
    assert autograd.gradcheck(ex.Softplus.apply, (x,), raise_exception=False), (
        "gradcheck: your Softplus backward disagrees with finite differences")
