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
