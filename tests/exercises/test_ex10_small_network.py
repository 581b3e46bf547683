"""Lesson 10 exercises: an nn.Module, accuracy, cross-entropy by hand, training."""

import pytest

import autodidact as torch
from autodidact import datasets, nn

exercise = pytest.mark.exercise


@exercise("MLP")
def test_mlp_shapes_parameters_and_non_linearity(ex):
    torch.manual_seed(0)
    model = ex.MLP(3, 8, 4)
    assert isinstance(model, nn.Module), "MLP should be an nn.Module (class MLP(nn.Module))"
    count = sum(p.numel() for p in model.parameters())
    assert count == 3 * 8 + 8 + 8 * 4 + 4, (
        f"MLP(3, 8, 4) should have 3*8 + 8 + 8*4 + 4 = 68 parameters; parameters() found {count}")
    out = model(torch.randn(5, 3))
    assert tuple(out.shape) == (5, 4), f"a (5, 3) batch should give (5, 4) logits, got {tuple(out.shape)}"

    model = ex.MLP(2, 16, 1)
    with torch.no_grad():
        a, b = torch.randn(1, 2) * 3, torch.randn(1, 2) * 3
        zero = torch.zeros(1, 2)
        gap = (model(a) + model(b) - model(a + b) - model(zero)).abs().item()
    assert gap > 1e-4, ("the model is linear: f(a) + f(b) == f(a + b) + f(0). Put a non-linearity "
                        "(torch.tanh or torch.relu) between the two layers")


@exercise("accuracy")
def test_accuracy(ex):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.5, 0.2, 0.9], [1.0, 0.0, 4.0],
                           [0.0, 1.0, 0.5]])
    labels = torch.tensor([0, 1, 1, 2, 0])
    got = ex.accuracy(logits, labels)
    assert isinstance(got, float), f"return a Python float, not {type(got).__name__}"
    assert abs(got - 0.6) < 1e-6, (
        f"the predictions are [0, 1, 2, 2, 1] against labels [0, 1, 1, 2, 0]: 3 of 5 right, 0.6; "
        f"you gave {got}")


@exercise("cross_entropy")
def test_cross_entropy_matches_nn(ex):
    torch.manual_seed(2)
    logits = torch.randn(6, 3, requires_grad=True)
    labels = torch.tensor([0, 2, 1, 1, 0, 2])
    got = ex.cross_entropy(logits, labels)
    want = nn.CrossEntropyLoss()(logits, labels)
    assert got.dim() == 0, f"return a 0-d tensor, got shape {tuple(got.shape)}"
    assert abs(got.item() - want.item()) < 1e-5, (
        f"nn.CrossEntropyLoss gives {want.item():.5f} on these logits; yours gives {got.item():.5f}")
    got.backward()
    mine = logits.grad.clone()
    logits.grad = None
    want.backward()
    assert torch.allclose(mine, logits.grad, atol=1e-6), "your loss's gradient differs from nn's"


@exercise("train")
def test_train_fits_two_moons(ex):
    X, y = datasets.two_moons(200, noise=0.15, seed=0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    losses = ex.train(model, X, y, steps=150, lr=0.05)
    assert len(losses) == 150 and all(isinstance(v, float) for v in losses), (
        "return one loss per step, as floats")
    with torch.no_grad():
        accuracy = (model(X).argmax(dim=1) == y).float().mean().item()
    assert losses[-1] < 0.05 and accuracy >= 0.97, (
        f"after 150 steps of Adam the loss should be below 0.05 and the accuracy at least 97%; "
        f"yours ended at loss {losses[-1]:.3f}, accuracy {accuracy:.0%}")
