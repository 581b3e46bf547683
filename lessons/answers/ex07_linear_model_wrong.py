"""Lesson 7: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def mse(y_pred, y):
    """Squares the mean error instead of averaging the squared errors: errors cancel."""
    return (y_pred - y).mean() ** 2


def gradient_by_hand(w, x, y):
    """Chain rule stopped halfway: forgets the inner derivative x."""
    return 2 * (x * w - y)


def sgd_step(w, lr):
    """Sign slip: steps up the gradient (uphill) instead of against it."""
    with torch.no_grad():
        w += lr * w.grad
    w.grad.zero_()


def sgd_step__no_zero(w, lr):
    """Updates w but leaves w.grad as it is: the next backward adds to it."""
    with torch.no_grad():
        w -= lr * w.grad


def train(x_data, y_data, w0=1.0, lr=0.01, epochs=10):
    """Forgets to zero the gradient between steps (lesson 8's pitfall)."""
    w = torch.tensor([float(w0)], requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(x_data, y_data):
            loss = (x * w - y) ** 2
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
    return w.item()
