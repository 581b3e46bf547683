"""The MLP benchmarks' network size, and the fixed data and start weights every framework uses.

Shared by ``bench_mlp.py`` and ``scripts/gpu-check`` (CPU against GPU),
so both time the same network from the same start.
"""

import numpy as np

SIZES, LR = (784, 256, 10), 0.01


def make_data(batch=128, seed=0):
    """Fixed random inputs and labels, and the initial weights all frameworks start from."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], batch).astype(np.int64)
    weights = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        weights.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return x, y, weights


def hand_written_step(x, y, weights, xp=np):
    """The same training step written by hand on ``xp`` (NumPy or CuPy): forward,
    softmax cross-entropy, backward, SGD, working in place where it can. This is
    the floor an array-backed autograd engine is measured against."""
    w1, b1, w2, b2 = [xp.array(w) for w in weights]   # copies: the step updates them
    x, y = xp.asarray(x), xp.asarray(y)
    rows = xp.arange(len(y))

    def step():
        h = x @ w1.T
        h += b1
        a = xp.maximum(h, 0)
        z = a @ w2.T
        z += b2
        z -= z.max(axis=1, keepdims=True)
        e = xp.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(xp.log(s[:, 0]).sum() - z[rows, y].sum()) / len(y)
        dz = e / s                       # softmax - onehot, over the batch
        dz[rows, y] -= 1
        dz /= len(y)
        dw2 = dz.T @ a
        db2 = dz.sum(axis=0)
        da = dz @ w2
        da *= h > 0
        dw1 = da.T @ x
        db1 = da.sum(axis=0)
        for w, g in ((w1, dw1), (b1, db1), (w2, dw2), (b2, db2)):
            w -= LR * g
        return loss
    return step
