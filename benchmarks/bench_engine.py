"""Engine overhead: many small ops, and one very long chain, forward then backward.

Three measurements for the autograd issue, each timed side by side in one run:

1. 1,000 elementwise ops (mul, add, tanh in turn) on a 10x10 float32
   tensor, then backward: microseconds per op, for autodidact, PyTorch on
   the CPU, and bare NumPy doing the same forward and backward by hand
   (the floor for any NumPy-backed engine).
2. One op, forward only, with and without recording a node: the per-op
   cost of the engine's choice (rules written as Tensor code, run under
   no_grad unless create_graph), against NumPy and PyTorch.
3. A 100,000-op chain on one value (x = tanh(x * 0.999 + 0.001)), forward
   then backward: seconds, for autodidact's Scalar, a 0-d Tensor, and a
   0-d PyTorch tensor.

Medians of several runs; frameworks run in turn with a short pause between
(PyTorch's and OpenBLAS's worker threads keep spinning after a call and
slow down whatever runs next on a 2-core machine).

    python -m benchmarks.bench_engine [--repeats 7]
"""

import argparse
import gc
import statistics
import time

import numpy as np

import autodidact
from autodidact.scalar import Scalar

try:
    import torch
    torch.set_num_threads(1)
except ImportError:   # the comparison is optional
    torch = None

ELEMENTWISE_OPS = 999      # a multiple of 3: mul, add, tanh
CHAIN_LENGTH = 100_000


def _median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        time.sleep(0.05)
    return statistics.median(times)


# ----------------------------------------------------------- workload 1

def elementwise_autodidact(start):
    x = autodidact.tensor(start, requires_grad=True)
    y = x
    for _ in range(ELEMENTWISE_OPS // 3):
        y = (y * 1.001 + 0.001).tanh()
    y.sum().backward()


def elementwise_torch(start):
    x = torch.tensor(start, requires_grad=True)
    y = x
    for _ in range(ELEMENTWISE_OPS // 3):
        y = (y * 1.001 + 0.001).tanh()
    y.sum().backward()


def elementwise_numpy(start):
    scale, shift = np.float32(1.001), np.float32(0.001)
    y, outs = start, []
    for _ in range(ELEMENTWISE_OPS // 3):
        y = np.tanh(y * scale + shift)
        outs.append(y)
    grad = np.ones_like(y)
    for out in reversed(outs):
        grad = grad * (1 - out * out)   # tanh
        grad = grad * scale             # add passes it on; mul scales it
    return grad


# ----------------------------------------------------------- workload 3

def chain_scalar():
    x = Scalar(0.5)
    y = x
    for _ in range(CHAIN_LENGTH):
        y = (y * 0.999 + 0.001).tanh()
    y.backward()


def chain_tensor():
    x = autodidact.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(CHAIN_LENGTH):
        y = (y * 0.999 + 0.001).tanh()
    y.backward()


def chain_torch():
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(CHAIN_LENGTH):
        y = (y * 0.999 + 0.001).tanh()
    y.backward()


# ----------------------------------------------------------- workload 2

def per_op_costs(start, number=20_000):
    """Microseconds for one x * 1.001 on 10x10 float32, by how much autograd does."""
    import timeit

    def best(stmt, env):
        return min(timeit.repeat(stmt, globals=env, number=number, repeat=5)) / number * 1e6

    rows = {"NumPy": best("a * s", {"a": start, "s": np.float32(1.001)})}
    plain = autodidact.tensor(start)
    # The input of a recorded op is an intermediate, as inside a network (a
    # leaf's AccumulateGrad node would be made anew for each discarded result).
    hidden = autodidact.tensor(start, requires_grad=True) * 1
    rows["autodidact, nothing recorded"] = best("x * 1.001", {"x": plain})
    rows["autodidact, recorded"] = best("x * 1.001", {"x": hidden})
    if torch is not None:
        rows["PyTorch, nothing recorded"] = best("x * 1.001", {"x": torch.tensor(start)})
        hidden = torch.tensor(start, requires_grad=True) * 1
        rows["PyTorch, recorded"] = best("x * 1.001", {"x": hidden})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--chain-repeats", type=int, default=3)
    args = parser.parse_args(argv)

    start = np.random.default_rng(0).random((10, 10), dtype=np.float32)
    per_op = {}
    per_op["autodidact"] = _median_time(lambda: elementwise_autodidact(start), args.repeats)
    if torch is not None:
        per_op["PyTorch (CPU)"] = _median_time(lambda: elementwise_torch(start), args.repeats)
    per_op["bare NumPy"] = _median_time(lambda: elementwise_numpy(start), args.repeats)
    print(f"1. {ELEMENTWISE_OPS} elementwise ops on 10x10 float32, forward + backward "
          f"(median of {args.repeats})")
    print(f"   {'':16s} {'us/op':>8s} {'vs PyTorch':>11s} {'vs NumPy':>9s}")
    for name, seconds in per_op.items():
        us = seconds / ELEMENTWISE_OPS * 1e6
        vs_torch = seconds / per_op["PyTorch (CPU)"] if torch is not None else float("nan")
        print(f"   {name:16s} {us:8.2f} {vs_torch:10.2f}x {seconds / per_op['bare NumPy']:8.2f}x")

    print("\n2. one op (x * 1.001 on 10x10 float32), forward only: microseconds (best of 5)")
    for name, us in per_op_costs(start).items():
        print(f"   {name:30s} {us:7.2f}")

    chain = {"autodidact Scalar": _median_time(chain_scalar, args.chain_repeats),
             "autodidact 0-d Tensor": _median_time(chain_tensor, args.chain_repeats)}
    if torch is not None:
        chain["PyTorch 0-d tensor"] = _median_time(chain_torch, args.chain_repeats)
    print(f"\n3. a {CHAIN_LENGTH:,}-op chain on one value, forward + backward "
          f"(median of {args.chain_repeats})")
    print(f"   {'':22s} {'seconds':>8s} {'vs PyTorch':>11s}")
    for name, seconds in chain.items():
        vs_torch = seconds / chain["PyTorch 0-d tensor"] if torch is not None else float("nan")
        print(f"   {name:22s} {seconds:8.2f} {vs_torch:10.2f}x")


if __name__ == "__main__":
    main()
