"""Lesson 5 exercises: picking a device and moving data. Pass with or without a GPU."""

import numpy as np
import pytest

import autodidact as torch

exercise = pytest.mark.exercise


@exercise("pick_device")
def test_pick_device_follows_is_available(ex, monkeypatch):
    for available, want in ((True, "cuda"), (False, "cpu")):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
        got = ex.pick_device()
        assert torch.device(got).type == want, (
            f"when torch.cuda.is_available() returns {available}, pick {want!r}; you picked {got!r}")


@exercise("move_batch")
def test_move_batch(ex):
    batch = {"x": torch.ones(2, 3), "y": torch.tensor([0, 1]), "name": "batch 3", "size": 2}
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    got = ex.move_batch(batch, device)
    assert set(got) == set(batch), f"keep every key; got {sorted(got)}"
    for key in ("x", "y"):
        assert isinstance(got[key], torch.Tensor) and got[key].device == device, (
            f"{key!r} should be a tensor on {device}, got {got[key]!r}")
        assert got[key].cpu().tolist() == batch[key].tolist(), f"{key!r} changed its values"
    assert got["name"] == "batch 3" and got["size"] == 2, "leave values that are not tensors as they are"
    assert batch["x"].device.type == "cpu" and set(batch) == {"x", "y", "name", "size"}, (
        "leave the batch you were given unchanged (return a new dict)")


@exercise("to_numpy_anywhere")
def test_to_numpy_anywhere(ex):
    tensors = [torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], requires_grad=True)]
    if torch.cuda.is_available():
        tensors.append(torch.tensor([1.0, 2.0], device="cuda", requires_grad=True))
    for t in tensors:
        got = ex.to_numpy_anywhere(t)
        assert isinstance(got, np.ndarray), (
            f"for {t!r} return a NumPy array, not {type(got).__name__}")
        assert got.tolist() == [1.0, 2.0], f"for {t!r} expected [1.0, 2.0], got {got!r}"
