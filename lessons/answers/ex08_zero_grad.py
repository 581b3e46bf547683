"""Lesson 8: reference answers."""

import autodidact as torch


def zero_grads(params):
    for p in params:
        p.grad = None


def grad_after_passes(w, x, y, passes):
    return passes * 2 * x * (x * w - y)


def accumulate_micro_batches(w, x, y, chunk_size):
    n = len(x)
    for start in range(0, n, chunk_size):
        xs, ys = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = ((w * xs - ys) ** 2).mean() * (len(xs) / n)
        loss.backward()


def train_step(model, optimizer, loss_fn, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
