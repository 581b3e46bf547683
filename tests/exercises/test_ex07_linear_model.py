"""Lesson 7 exercises: the seed's loss, gradient, update and loop."""

import pytest

import autodidact as torch

exercise = pytest.mark.exercise

X_DATA, Y_DATA = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


@exercise("mse")
def test_mse_values_and_gradient(ex):
    got = ex.mse(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0]))
    assert isinstance(got, torch.Tensor) and got.dim() == 0, f"return a 0-d tensor, got {got!r}"
    assert abs(got.item() - 2.5) < 1e-6, f"mse([1, 2], [2, 4]) = (1 + 4) / 2 = 2.5; you gave {got.item()}"
    got = ex.mse(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0]))
    assert abs(got.item() - 1.0) < 1e-6, (
        f"mse([1, 3], [2, 2]) = (1 + 1) / 2 = 1.0 (errors -1 and +1 must not cancel); you gave {got.item()}")
    y_pred = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ex.mse(y_pred, torch.tensor([0.0, 0.0, 0.0])).backward()
    assert torch.allclose(y_pred.grad, torch.tensor([2 / 3, 4 / 3, 2.0])), (
        f"the gradient of mse wrt y_pred should be 2 (y_pred - y) / n = [0.667, 1.333, 2]; "
        f"got {y_pred.grad}")


@exercise("gradient_by_hand")
def test_gradient_by_hand_matches_autograd(ex):
    for w, x, y in ((1.0, 2.0, 4.0), (1.0, 3.0, 6.0), (2.5, -1.5, 0.5), (0.0, 4.0, 1.0)):
        leaf = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        ((x * leaf - y) ** 2).backward()
        got = ex.gradient_by_hand(w, x, y)
        assert abs(got - leaf.grad.item()) < 1e-9, (
            f"d/dw (x*w - y)**2 at w={w}, x={x}, y={y} is {leaf.grad.item()}; you gave {got}")


@exercise("sgd_step")
def test_sgd_step(ex):
    w = torch.tensor([1.0], requires_grad=True)
    ((2.0 * w - 4.0) ** 2).backward()          # w.grad = -8
    ex.sgd_step(w, 0.01)
    assert w.is_leaf and w.requires_grad, "w must stay a leaf that requires grad (update it in place)"
    assert abs(w.item() - 1.08) < 1e-6, (
        f"w = 1 with gradient -8 and lr 0.01 should become 1 - 0.01 * (-8) = 1.08; it is {w.item()}")
    assert w.grad is None or w.grad.abs().sum().item() == 0, (
        f"reset the gradient after the step; w.grad is still {w.grad}")
    ((2.0 * w - 4.0) ** 2).backward()          # a second step sees only its own gradient
    ex.sgd_step(w, 0.01)
    want = 1.08 - 0.01 * (2 * (2 * 1.08 - 4) * 2)
    assert abs(w.item() - want) < 1e-5, f"after a second step w should be {want:.5f}, it is {w.item()}"


@exercise("train")
def test_train_matches_the_seed(ex):
    got = ex.train(X_DATA, Y_DATA)
    assert isinstance(got, float), f"return the final w as a float, not {type(got).__name__}"
    assert abs(got - 1.951216) < 1e-5, (
        f"the seed's loop ends at w = 1.951216 after 10 epochs; yours ends at {got:.6f}")
    got = ex.train(X_DATA, Y_DATA, epochs=3)
    assert abs(got - 1.595905) < 1e-5, f"after 3 epochs w should be 1.595905; yours is {got:.6f}"
    got = ex.train(X_DATA, Y_DATA, w0=3.0, lr=0.02, epochs=10)
    assert abs(got - 2.0) < 0.01, f"from w0 = 3 with lr = 0.02, 10 epochs should reach about 2; got {got:.4f}"
