"""What CPython allows: the fastest node-graph Scalar, and the cost of one object per op.

Two of the engine's targets are set against other programs (12x micrograd on
its demo; forward cost per op at a million ops within 1.3x of its cost at a
thousand, with the collector on). This script measures the floor that any
Python engine building a graph of node objects stands on, beside autodidact:

1. micrograd's demo (as in ``bench_scalar`` part 1), with the collector on,
   for micrograd 0.1.0, autodidact's Scalar, and ``Bare``: the leanest
   Scalar this benchmark's authors could write. Slots, local derivatives as
   numbers, results built without ``__init__``, and a Scalar-only backward
   that adds straight into ``.grad``: no pending gradients, no hooks, no
   observer, no ``apply`` call, no thread safety, and micrograd's semantics
   (a second ``backward()`` counts the first one's gradients again). It is
   not a design, only the limit of the shared-engine one.
2. Forward cost per op of a chain of ``tanh`` at 1,000 and 1,000,000 ops,
   collector on: one bare object per op (value, parent, local derivative:
   what a node graph must keep), and no object per op at all (values
   appended to two lists), beside autodidact's Scalar.

    python -m benchmarks.floors [--steps 10] [--rounds 3]

micrograd is optional: without it part 1 prints autodidact and Bare only.
"""

import argparse
import gc
import math
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from autodidact.scalar import Scalar  # noqa: E402
from benchmarks import bench_scalar  # noqa: E402

_new = object.__new__


class Bare:
    """The leanest node-graph Scalar: enough of micrograd's Value for its demo, no more."""

    __slots__ = ("data", "grad", "_a", "_b", "_da", "_db")

    def __init__(self, data):
        self.data, self.grad = float(data), 0.0
        self._a = self._b = None
        self._da = self._db = 0.0

    def __add__(self, other):
        other = other if type(other) is Bare else Bare(other)
        return _bare(self.data + other.data, self, 1.0, other, 1.0)

    __radd__ = __add__

    def __mul__(self, other):
        other = other if type(other) is Bare else Bare(other)
        return _bare(self.data * other.data, self, other.data, other, self.data)

    __rmul__ = __mul__

    def __neg__(self):
        return _bare(-self.data, self, -1.0)

    def relu(self):
        return _bare(self.data, self, 1.0) if self.data > 0 else _bare(0.0, self, 0.0)

    def backward(self):
        order, seen = [], {self}
        stack = [(self, iter((self._a, self._b)))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent is not None and parent not in seen:
                    seen.add(parent)
                    stack.append((parent, iter((parent._a, parent._b))))
                    break
            else:
                stack.pop()
                order.append(node)
        self.grad = 1.0
        for node in reversed(order):
            if node._a is not None:
                node._a.grad += node.grad * node._da
                if node._b is not None:
                    node._b.grad += node.grad * node._db


def _bare(data, a, da, b=None, db=0.0):
    out = _new(Bare)
    out.data, out.grad = data, 0.0
    out._a, out._da, out._b, out._db = a, da, b, db
    return out


# ------------------------------------------------------------ 1. the demo

def demo_seconds(value_cls, mlp_cls, steps):
    """Median CPU seconds per step of micrograd's demo with the collector on, and the loss."""
    X, y = bench_scalar.two_moons()
    random.seed(1337)
    model = mlp_cls(2, [16, 16, 1])
    gc.collect()
    times, loss = bench_scalar.demo_steps(value_cls, model, X, y, steps)
    gc.collect()
    time.sleep(0.5)
    return statistics.median(t[0] for t in times), loss


def bench_demo(steps, rounds):
    try:
        from micrograd.engine import Value
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("   micrograd is not installed (pip install micrograd==0.1.0): its row is left out")
        Value = MicroMLP = None
    print(f"   {'round':>5} {'micrograd':>10} {'autodidact':>11} {'Bare':>7}   "
          f"{'micrograd / autodidact':>22} {'micrograd / Bare':>17}  last losses")
    for k in range(rounds):
        micro, micro_loss = demo_seconds(Value, MicroMLP, steps) if Value else (float("nan"),
                                                                                 float("nan"))
        ours, our_loss = demo_seconds(Scalar, bench_scalar.MLP, steps)
        bench_scalar.Scalar = Bare   # the demo's MLP makes its weights with this class
        try:
            bare, bare_loss = demo_seconds(Bare, bench_scalar.MLP, steps)
        finally:
            bench_scalar.Scalar = Scalar
        print(f"   {k + 1:5} {micro:10.3f} {ours:11.3f} {bare:7.3f}   "
              f"{micro / ours:21.1f}x {micro / bare:16.1f}x  "
              f"{micro_loss:.6f} {our_loss:.6f} {bare_loss:.6f}")
    print("   (CPU s per step, medians over the steps; collector on everywhere; the same losses:\n"
          "    the three build the same graph and take the same steps)")


# ------------------------------------------------------- 2. growth

def bare_chain(n):
    x = Bare(0.5)
    for _ in range(n):
        t = math.tanh(x.data)
        x = _bare(t, x, 1.0 - t * t)
    return x


def list_chain(n):
    values, locals_ = [0.5], []
    for _ in range(n):
        t = math.tanh(values[-1])
        values.append(t)
        locals_.append(1.0 - t * t)
    return values, locals_


def scalar_chain(n):
    return bench_scalar.tanh_chain(Scalar(0.5), n)


def ns_per_op(build, n, repeats):
    runs = max(repeats, 1_000_000 // n // 10)
    results = []
    gc.collect()
    for _ in range(runs):
        start = time.process_time()
        out = build(n)
        results.append((time.process_time() - start) / n * 1e9)
        del out
    gc.collect()
    return statistics.median(results)


def bench_growth(repeats):
    print(f"   {'':36} {'1,000 ops':>10} {'1,000,000':>10} {'growth':>7}")
    for name, build in [("autodidact Scalar", scalar_chain),
                        ("one bare object per op", bare_chain),
                        ("no object per op (two lists)", list_chain)]:
        small, large = ns_per_op(build, 1_000, repeats), ns_per_op(build, 1_000_000, repeats)
        print(f"   {name:36} {small:10.0f} {large:10.0f} {large / small:6.2f}x")
    print("   (CPU ns per op of the forward chain x = tanh(x), collector on, medians)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="demo steps per framework")
    parser.add_argument("--rounds", type=int, default=3, help="demo rounds, in turns")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each long chain")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}\n")
    print("1. micrograd's demo, collector on: micrograd, autodidact's Scalar, and Bare")
    bench_demo(args.steps, args.rounds)
    print("\n2. forward cost per op as the graph grows, collector on")
    bench_growth(args.repeats)


if __name__ == "__main__":
    main()
