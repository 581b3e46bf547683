"""Lesson 8 exercises: resetting gradients, predicting accumulation, using it on purpose."""

import pytest

import autodidact as torch
from autodidact import nn

exercise = pytest.mark.exercise


@exercise("zero_grads")
def test_zero_grads(ex):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    never = torch.tensor([0.5], requires_grad=True)     # no backward yet: .grad is None
    (a.sum() * b).sum().backward()
    ex.zero_grads([a, b, never])
    for name, p in (("a", a), ("b", b), ("never", never)):
        assert p.grad is None or p.grad.abs().sum().item() == 0, (
            f"after zero_grads, {name}.grad should be None or zeros; it is {p.grad}")
    (a.sum() * b).sum().backward()
    assert a.grad.tolist() == [3.0, 3.0] and b.grad.tolist() == [3.0], (
        "the next backward() should start from nothing: a.grad = [3, 3], b.grad = [3]; got "
        f"{a.grad.tolist()} and {b.grad.tolist()}")


@exercise("grad_after_passes")
def test_grad_after_passes_matches_autograd(ex):
    for w_value, x, y, passes in ((1.0, 2.0, 4.0, 3), (0.5, 3.0, 1.0, 2), (2.0, -1.0, 0.5, 5)):
        w = torch.tensor(w_value, dtype=torch.float64, requires_grad=True)
        for _ in range(passes):
            ((x * w - y) ** 2).backward()
        got = ex.grad_after_passes(w_value, x, y, passes)
        assert abs(got - w.grad.item()) < 1e-9, (
            f"after {passes} backward passes at w={w_value}, x={x}, y={y}, w.grad is "
            f"{w.grad.item()}; you predicted {got}")


@exercise("accumulate_micro_batches")
def test_accumulate_micro_batches_equals_the_whole_batch(ex):
    torch.manual_seed(8)
    x = torch.randn(10, dtype=torch.float64)
    y = 2 * x + 0.3 * torch.randn(10, dtype=torch.float64)
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    ((w * x - y) ** 2).mean().backward()
    want = w.grad.item()
    for chunk_size in (5, 4, 3, 10):
        w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        ex.accumulate_micro_batches(w, x, y, chunk_size)
        got = None if w.grad is None else w.grad.item()
        assert got is not None and abs(got - want) < 1e-9, (
            f"with chunks of {chunk_size} (of 10), w.grad should equal the whole batch's "
            f"gradient {want:.6f}; it is {got}")


def _linear_model():
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(0.5)
        model.bias.fill_(0.0)
    return model


@exercise("train_step")
def test_train_step_matches_a_hand_written_loop(ex):
    x = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([[2.0], [4.0], [6.0]])
    model = _linear_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    reference = _linear_model()
    ref_optimizer = torch.optim.SGD(reference.parameters(), lr=0.05)
    for step in range(3):
        got = ex.train_step(model, optimizer, nn.MSELoss(), x, y)
        ref_optimizer.zero_grad()
        want = nn.MSELoss()(reference(x), y)
        want.backward()
        ref_optimizer.step()
        assert isinstance(got, float), f"return the loss as a float, not {type(got).__name__}"
        assert abs(got - want.item()) < 1e-5, (
            f"step {step + 1}: the loss should be {want.item():.5f}, you returned {got:.5f}")
        assert abs(model.weight.item() - reference.weight.item()) < 1e-5, (
            f"after step {step + 1} the weight should be {reference.weight.item():.5f}, it is "
            f"{model.weight.item():.5f}")
