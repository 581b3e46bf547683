"""Lesson 8: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch


def zero_grads(params):
    """p.grad.zero_() on every parameter: fails on one with no gradient yet."""
    for p in params:
        p.grad.zero_()


def grad_after_passes(w, x, y, passes):
    """Missing accumulation: the gradient of a single pass."""
    return 2 * x * (x * w - y)


def accumulate_micro_batches(w, x, y, chunk_size):
    """Zeroes between chunks: only the last chunk's gradient is left."""
    n = len(x)
    for start in range(0, n, chunk_size):
        w.grad = None
        xs, ys = x[start:start + chunk_size], y[start:start + chunk_size]
        (((w * xs - ys) ** 2).mean() * (len(xs) / n)).backward()


def accumulate_micro_batches__unscaled(w, x, y, chunk_size):
    """Sums the chunks' mean losses unscaled: the gradient is too big, and chunks weigh wrongly."""
    n = len(x)
    for start in range(0, n, chunk_size):
        xs, ys = x[start:start + chunk_size], y[start:start + chunk_size]
        ((w * xs - ys) ** 2).mean().backward()


def train_step(model, optimizer, loss_fn, x, y):
    """zero_grad() between backward() and step(): the step sees no gradient."""
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def train_step__no_zero(model, optimizer, loss_fn, x, y):
    """Never resets: each step uses the sum of every gradient so far."""
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
