"""Small 2-D classification datasets, generated from a seed (nothing is downloaded).

Each function returns ``(X, y)``: ``X`` a float32 tensor of shape
(n_samples, 2), ``y`` an int64 tensor of class indices, ready for
``nn.CrossEntropyLoss``. The same seed gives the same points every time.

    two_moons   two interleaving half circles (2 classes): needs a curved boundary
    spirals     arms winding around the origin (3 classes by default): harder
    blobs       Gaussian clusters: nearly linearly separable

    >>> X, y = datasets.two_moons(200, noise=0.1, seed=0)
    >>> X.shape, y.dtype
    (autodidact.Size([200, 2]), autodidact.int64)
"""

import math

import numpy as np

from .tensor import Tensor

__all__ = ["two_moons", "spirals", "blobs"]


def _as_tensors(X, y, rng, shuffle):
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return (Tensor._wrap(np.ascontiguousarray(X, dtype=np.float32)),
            Tensor._wrap(np.ascontiguousarray(y, dtype=np.int64)))


def _check_count(n_samples):
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 0:
        raise ValueError(f"n_samples must be a non-negative int, got {n_samples!r}")


def two_moons(n_samples=200, noise=0.1, seed=0, shuffle=True):
    """Two interleaving half circles: class 0 the upper arc, class 1 the lower one.

    ``noise`` is the standard deviation of Gaussian noise added to every
    point (the same construction as scikit-learn's ``make_moons``).
    """
    _check_count(n_samples)
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    t_upper = np.linspace(0, math.pi, n_upper)
    t_lower = np.linspace(0, math.pi, n_lower)
    X = np.concatenate([
        np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1),
        np.stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_upper), np.ones(n_lower)])
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _as_tensors(X, y, rng, shuffle)


def spirals(n_samples=300, classes=3, noise=0.2, seed=0, shuffle=True):
    """``classes`` spiral arms, each a class, winding out from the origin (radius 0 to 1).

    ``noise`` jitters each point's angle (in radians). The classic
    "not linearly separable" example (CS231n).
    """
    _check_count(n_samples)
    if classes < 1:
        raise ValueError(f"classes must be at least 1, got {classes}")
    rng = np.random.default_rng(seed)
    counts = [n_samples // classes + (1 if k < n_samples % classes else 0) for k in range(classes)]
    points, labels = [], []
    for k, n in enumerate(counts):
        radius = np.linspace(0.0, 1.0, n)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, n) + rng.normal(scale=noise, size=n)
        points.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
        labels.append(np.full(n, k))
    return _as_tensors(np.concatenate(points), np.concatenate(labels), rng, shuffle)


def blobs(n_samples=300, centers=3, std=1.0, seed=0, box=(-10.0, 10.0), shuffle=True):
    """Gaussian clusters, one class each.

    ``centers`` is a number of clusters (their centres drawn uniformly in
    ``box`` on both axes) or a list of (x, y) centres. ``std`` is each
    cluster's standard deviation.
    """
    _check_count(n_samples)
    rng = np.random.default_rng(seed)
    if isinstance(centers, int):
        if centers < 1:
            raise ValueError(f"centers must be at least 1, got {centers}")
        centres = rng.uniform(box[0], box[1], size=(centers, 2))
    else:
        centres = np.asarray(centers, dtype=np.float64)
        if centres.ndim != 2 or centres.shape[1] != 2:
            raise ValueError(f"centers must be a number or a list of (x, y) pairs, got shape "
                             f"{centres.shape}")
    k = len(centres)
    counts = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]
    X = np.concatenate([c + std * rng.standard_normal((n, 2)) for c, n in zip(centres, counts)])
    y = np.concatenate([np.full(n, i) for i, n in enumerate(counts)])
    return _as_tensors(X, y, rng, shuffle)
