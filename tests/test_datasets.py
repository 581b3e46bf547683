"""datasets: generated from a seed, the right shapes and dtypes, nothing downloaded."""

import socket

import numpy as np
import pytest

import autodidact as ad
from autodidact import datasets


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dataset tried to use the network")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("make,classes", [(datasets.two_moons, 2), (datasets.spirals, 3),
                                          (datasets.blobs, 3)])
def test_shapes_dtypes_labels_and_no_network(no_network, make, classes):
    X, y = make(150, seed=3)
    assert X.shape == (150, 2) and X.dtype is ad.float32
    assert y.shape == (150,) and y.dtype is ad.int64
    counts = np.bincount(y.numpy(), minlength=classes)
    assert len(counts) == classes and counts.min() >= 150 // classes
    assert np.isfinite(X.numpy()).all() and not X.requires_grad


@pytest.mark.parametrize("make", [datasets.two_moons, datasets.spirals, datasets.blobs])
def test_the_seed_decides_the_points(make):
    a, b, c = make(60, seed=1), make(60, seed=1), make(60, seed=2)
    assert np.array_equal(a[0].numpy(), b[0].numpy()) and np.array_equal(a[1].numpy(), b[1].numpy())
    assert not np.array_equal(a[0].numpy(), c[0].numpy())


def test_two_moons_without_noise_lie_on_the_two_arcs():
    X, y = datasets.two_moons(100, noise=0.0, shuffle=False)
    X = X.numpy().astype(np.float64)
    upper, lower = X[y.numpy() == 0], X[y.numpy() == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (upper[:, 1] >= -1e-6).all() and (lower[:, 1] <= 0.5 + 1e-6).all()


def test_spirals_radius_and_class_count():
    X, y = datasets.spirals(400, classes=4, noise=0.0)
    assert set(y.tolist()) == {0, 1, 2, 3}
    assert np.hypot(*X.numpy().T).max() <= 1.0 + 1e-6


def test_blobs_centres_can_be_given():
    X, y = datasets.blobs(200, centers=[(0.0, 0.0), (10.0, 10.0)], std=0.1)
    X, y = X.numpy(), y.numpy()
    assert np.allclose(X[y == 0].mean(0), [0, 0], atol=0.05)
    assert np.allclose(X[y == 1].mean(0), [10, 10], atol=0.05)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="n_samples must be a non-negative int"):
        datasets.two_moons(-1)
    with pytest.raises(ValueError, match="classes must be at least 1"):
        datasets.spirals(10, classes=0)
    with pytest.raises(ValueError, match="list of \\(x, y\\) pairs"):
        datasets.blobs(10, centers=[1, 2, 3])
    X, y = datasets.blobs(0)
    assert X.shape == (0, 2) and y.shape == (0,)
