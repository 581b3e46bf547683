"""The graphs the walkthrough is tested on (with and without a browser).

Each returns ``(output, params, leaves)``: what to walk through, names for
the drawing, and ``{name: leaf}`` for the leaves whose ``.grad`` the last
step must show, by the name the page gives them.
"""

import autodidact
from autodidact.scalar import Scalar


def seed_model(device="cpu"):
    """The demo's graph: loss = ((w * x - y) ** 2).mean(), before any backward."""
    w = autodidact.tensor([1.0], requires_grad=True, device=device)
    x = autodidact.tensor([1.0, 2.0, 3.0], device=device)
    y = autodidact.tensor([2.0, 4.0, 6.0], device=device)
    y_pred = w * x
    error = y_pred - y
    loss = (error ** 2).mean()
    return loss, {"w": w, "x": x, "y": y, "y_pred": y_pred, "error": error, "loss": loss}, {"w": w}


def scalar_neuron():
    """Lesson 1's neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Scalar(2.0, label="x1"), Scalar(0.0, label="x2")
    w1, w2 = Scalar(-3.0, label="w1"), Scalar(1.0, label="w2")
    b = Scalar(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, None, {s.label: s for s in (x1, x2, w1, w2, b)}


def mlp_with_broadcast_bias():
    """Two layers on a batch of 4: the bias b1 (3,) is broadcast over the batch (4, 3)."""
    x = autodidact.tensor([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]])
    w1 = autodidact.tensor([[0.2, -0.4, 0.7], [0.9, 0.1, -0.6]], requires_grad=True)
    b1 = autodidact.tensor([0.1, -0.2, 0.3], requires_grad=True)
    w2 = autodidact.tensor([[0.5], [-1.2], [0.8]], requires_grad=True)
    b2 = autodidact.tensor([0.05], requires_grad=True)
    h = (x @ w1 + b1).tanh()
    loss = ((h @ w2 + b2) ** 2).mean()
    return loss, {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "h": h}, \
        {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


def used_twice():
    """a = w * x is used twice: its node receives two contributions, summed."""
    w = autodidact.tensor([0.5, -1.0], requires_grad=True)
    x = autodidact.tensor([2.0, 3.0])
    a = w * x
    loss = (a * a.tanh()).sum()
    return loss, {"w": w, "x": x, "a": a}, {"w": w}
