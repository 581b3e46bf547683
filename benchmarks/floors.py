"""What CPython allows: the fastest node-graph Scalar, and what growth one node per op costs.

Two of the engine's targets are ratios to other measurements (12x micrograd
on its demo; forward cost per op at a million ops within 1.3x of its cost at
a thousand, with the collector on). This script measures, beside autodidact,
the floor that any Python autograd recording one node object per operation
stands on:

1. micrograd's demo (as in ``bench_scalar`` part 1), with the collector on,
   for micrograd 0.1.0, autodidact's Scalar, and ``Bare``: the leanest
   Scalar this benchmark's authors could write. Slots, local derivatives as
   numbers, results built without ``__init__``, and a backward for Bare
   alone that adds straight into ``.grad``: no gradients kept apart per
   pass, no hooks, no observer, no ``apply`` call per node, no thread
   safety, and micrograd's semantics (a second ``backward()`` counts the
   first one's gradients again). It is not a design: it is what a Scalar
   recording nodes for a general backward, as autodidact's does (the engine
   Tensor uses too), can at best approach.
2. Forward cost per op of a chain of ``tanh`` at 1,000 and 1,000,000 ops,
   collector on: a Bare node per op, made inline (no method call, so its
   absolute ns/op is a floor for making the node alone; the growth column is
   what compares like with like), and no tracked object per op (the floats
   appended to two lists, which the collector does not track), beside
   autodidact's Scalar.

    python -m benchmarks.floors [--steps 10] [--rounds 3] [--repeats 5]

micrograd is optional: without it part 1 prints autodidact and Bare only.
"""

import argparse
import functools
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
        print("   micrograd is not installed (pip install micrograd==0.1.0): "
              "its columns are left out")
        Value = None
    header = f"   {'round':>5} {'autodidact':>11} {'Bare':>7} {'autodidact / Bare':>18}"
    if Value:
        header += f" {'micrograd':>10} {'/ autodidact':>13} {'/ Bare':>7}"
    print(header + "  last losses")
    for k in range(rounds):
        ours, our_loss = demo_seconds(Scalar, bench_scalar.MLP, steps)
        bare, bare_loss = demo_seconds(Bare, functools.partial(bench_scalar.MLP, value=Bare),
                                       steps)
        row = f"   {k + 1:5} {ours:11.3f} {bare:7.3f} {ours / bare:17.2f}x"
        losses = f"{our_loss:.6f} {bare_loss:.6f}"
        if Value:
            micro, micro_loss = demo_seconds(Value, MicroMLP, steps)
            row += f" {micro:10.3f} {micro / ours:12.1f}x {micro / bare:6.1f}x"
            losses += f" {micro_loss:.6f}"
        print(f"{row}  {losses}")
    print("   (CPU s per step, medians over the steps; collector on everywhere; micrograd's\n"
          "    columns: its time, and how many times faster autodidact and Bare are. The same\n"
          "    losses: each builds the same graph and takes the same steps)")


# ------------------------------------------------------- 2. growth

def bare_chain(n):
    x = Bare(0.5)
    for _ in range(n):
        t = math.tanh(x.data)
        x = _bare(t, x, 1.0 - t * t)
    return x


def float_chain(n):
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
                        ("a Bare node per op, made inline", bare_chain),
                        ("no tracked object (floats in lists)", float_chain)]:
        small, large = ns_per_op(build, 1_000, repeats), ns_per_op(build, 1_000_000, repeats)
        print(f"   {name:36} {small:10.0f} {large:10.0f} {large / small:6.2f}x")
    print("   (CPU ns per op of the forward chain x = tanh(x), collector on, medians; Bare's\n"
          "    node is made without a method call: compare the growth, not the ns/op)")


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
