"""Scalar against micrograd 0.1.0 and PyTorch: side by side, in one run.

Three measurements, printed as tables (medians and spread, CPU and wall seconds):

1. micrograd's own demo: an MLP 2-16-16-1 with ReLU on 100 two-moons
   points, hinge loss + L2, plain SGD; every number a scalar node. Time
   per training step (forward, backward, update) for micrograd with the
   garbage collector on, with it off, and for autodidact's Scalar (gc on).
   micrograd's closures make reference cycles, so its graphs wait for the
   collector; Scalar's graphs are freed as soon as the loss is.
   (Scalar with gc off is shown too, for what the collector costs it.)
2. A chain of 100,000 ops on one value, forward then backward, Scalar
   against a PyTorch 0-d float64 tensor on one CPU thread (gc on for
   both): ``x = x * 1.0001 + 0.0001`` (50,000 turns, two ops each, the
   numbers wrapped as Scalars) and ``x = x.tanh()`` (100,000 turns). CPU
   seconds, with the spread of the totals and their wall-clock median.
3. Does the cost of an op grow with the graph? Scalar forward time per op
   for chains of 1,000 and of 1,000,000 ops, with the collector on (it
   scans a growing graph again and again), CPU and wall time, and the
   CPU time spent inside the collector (gc.callbacks): its full
   collections are what grows. Measured before part 2 imports PyTorch, whose
   objects the full collections would walk as well.

The demo runs before torch is imported, so that only autodidact, micrograd
and NumPy sit in memory while it runs (the collector's full passes walk
everything in memory); the modules imported are printed with its table.

    python -m benchmarks.bench_scalar [--steps 10] [--chain 100000] [--repeats 5]
                                      [--growth 1000000]

Every figure is CPU time of the process (on a shared machine the wall clock
also counts the time other programs hold the processor), with the
wall-clock median beside it and the spread (lowest-highest) of the runs.

micrograd and torch are optional: a missing one is reported, not fatal.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from autodidact.scalar import Scalar  # noqa: E402


def two_moons(n=100, noise=0.1, seed=1337):
    """micrograd's demo data: autodidact's two moons, as lists, labels -1/+1."""
    from autodidact import datasets
    X, y = datasets.two_moons(n, noise=noise, seed=seed)
    return X.tolist(), (y * 2 - 1).tolist()


# ------------------------------------------------- a tiny MLP of Scalars
# The same shape as micrograd.nn, so both frameworks build the same graph.
# ``value`` is the class its weights are made of (benchmarks.floors passes its own).

class Neuron:
    def __init__(self, nin, nonlin=True, value=Scalar):
        self.w = [value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout, **kwargs):   # kwargs: Neuron's nonlin and value
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, nin, nouts, value=Scalar):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, value=value)
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def demo_steps(value_cls, model, X, y, steps):
    """micrograd's demo loop; returns (CPU, wall) seconds of each step and the last loss."""
    params = model.parameters()
    times = []
    for k in range(steps):
        t0, w0 = time.process_time(), time.perf_counter()
        inputs = [list(map(value_cls, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in params)
        total = data_loss + reg_loss
        for p in params:
            p.grad = 0
        total.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        loss = total.data
        # Drop the graph inside the timed region: freeing it is part of the cost.
        del inputs, scores, losses, data_loss, reg_loss, total
        times.append((time.process_time() - t0, time.perf_counter() - w0))
    return times, loss


def bench_mlp(steps):
    X, y = two_moons()
    rows = []

    def run(name, value_cls, mlp_cls, gc_on):
        random.seed(1337)
        model = mlp_cls(2, [16, 16, 1])
        gc.collect()
        (gc.enable if gc_on else gc.disable)()
        try:
            times, loss = demo_steps(value_cls, model, X, y, steps)
        finally:
            gc.enable()
            gc.collect()
        rows.append((name, [t[0] for t in times], [t[1] for t in times], loss))
        time.sleep(1.0)   # let the machine settle between frameworks

    try:
        from micrograd.engine import Value
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("micrograd is not installed (pip install micrograd==0.1.0): skipping it")
    else:
        run("micrograd 0.1.0, gc on", Value, MicroMLP, True)
        run("micrograd 0.1.0, gc off", Value, MicroMLP, False)
    run("autodidact Scalar, gc on", Scalar, MLP, True)
    run("autodidact Scalar, gc off", Scalar, MLP, False)
    return rows


# ------------------------------------------------- a long chain on one value

def mul_add_chain(x, n):
    for _ in range(n // 2):          # two ops per turn
        x = x * 1.0001 + 0.0001
    return x


def tanh_chain(x, n):
    for _ in range(n):
        x = x.tanh()
    return x


def time_chain(chain, leaf, n):
    """CPU seconds of the forward chain and of backward through it, wall seconds of both,
    and d(out)/d(leaf)."""
    t0, w0 = time.process_time(), time.perf_counter()
    out = chain(leaf, n)
    t1 = time.process_time()
    out.backward()
    t2, w2 = time.process_time(), time.perf_counter()
    return t1 - t0, t2 - t1, w2 - w0, float(leaf.grad)


def bench_chain(chain, n, repeats):
    """Rows of (name, forward, backward, totals, wall totals, gradient): CPU medians over
    the repeats, and every repeat's total (CPU and wall) for the spread."""
    makers = [("autodidact Scalar", lambda: Scalar(0.5))]
    try:
        import torch
    except ImportError:
        print("   torch is not installed: skipping it")
    else:
        torch.set_num_threads(1)
        makers.append((f"PyTorch {torch.__version__} 0-d float64",
                       lambda: torch.tensor(0.5, dtype=torch.float64, requires_grad=True)))
    rows = []
    for name, make_leaf in makers:
        results = [time_chain(chain, make_leaf(), n) for _ in range(repeats)]
        rows.append((name,
                     statistics.median(r[0] for r in results),
                     statistics.median(r[1] for r in results),
                     [r[0] + r[1] for r in results],
                     [r[2] for r in results],
                     results[-1][3]))
        gc.collect()
        time.sleep(1.0)
    return rows


# ------------------------------------------- cost per op as the graph grows

class CollectorClock:
    """CPU time spent inside Python's cycle collector, per generation (via gc.callbacks)."""

    def __init__(self):
        self.seconds = [0.0, 0.0, 0.0]
        self.runs = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.process_time()
        else:
            generation = info["generation"]
            self.seconds[generation] += time.process_time() - self._start
            self.runs[generation] += 1

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc_info):
        gc.callbacks.remove(self)


def forward_per_op(chain, n, repeats):
    """Per repeat: CPU and wall ns per op of building ``chain`` n ops long, collector on, and
    the collector's CPU ns per op: young generations (0 and 1), full collections (2)."""
    runs = max(repeats, 1_000_000 // n // 10)   # short chains: enough of them to time
    results = []
    gc.collect()
    gc.enable()
    for _ in range(runs):
        leaf = Scalar(0.5)
        with CollectorClock() as collector:
            t0, w0 = time.process_time(), time.perf_counter()
            out = chain(leaf, n)
            t1, w1 = time.process_time(), time.perf_counter()
        young, full = sum(collector.seconds[:2]), collector.seconds[2]
        results.append(((t1 - t0) / n * 1e9, (w1 - w0) / n * 1e9,
                        young / n * 1e9, full / n * 1e9, collector.runs[2]))
        del out, leaf          # freeing is not part of the forward cost
    gc.collect()
    return results


def bench_growth(sizes, repeats):
    """Part 3's table, as lines to print (it runs before part 2 imports PyTorch: see main)."""
    lines = []
    line = lines.append
    for title, chain in [("x = x.tanh()", tanh_chain), ("x = x * 1.0001 + 0.0001", mul_add_chain)]:
        line(f"   {title}")
        line(f"   {'ops':>12} {'CPU ns/op':>10} {'(min-max)':>13} {'wall ns/op':>11} "
             f"{'(min-max)':>13} {'gen 0-1':>8} {'full':>6} {'runs':>5} {'rest':>6}")
        medians = {}
        for n in sizes:
            results = forward_per_op(chain, n, repeats)
            cpu, wall = [r[0] for r in results], [r[1] for r in results]
            young, full = [r[2] for r in results], [r[3] for r in results]
            rest = [r[0] - r[2] - r[3] for r in results]
            medians[n] = (statistics.median(cpu), statistics.median(wall),
                          statistics.median(rest))
            line(f"   {n:12,} {medians[n][0]:10.0f} {spread(cpu, '.0f'):>13} "
                 f"{medians[n][1]:11.0f} {spread(wall, '.0f'):>13} "
                 f"{statistics.median(young):8.0f} {statistics.median(full):6.0f} "
                 f"{statistics.median(r[4] for r in results):5.0f} {medians[n][2]:6.0f}")
        small, large = medians[sizes[0]], medians[sizes[-1]]
        line(f"   {sizes[-1]:,} ops cost {large[0] / small[0]:.2f}x per op what {sizes[0]:,} "
             f"do, CPU ({large[1] / small[1]:.2f}x wall; target: at most 1.3x); "
             f"{large[2] / small[2]:.2f}x outside the collector")
    line("   (gen 0-1, full: CPU ns per op inside the collector's young and full collections;\n"
         "    runs: full collections per chain; rest: CPU ns per op outside the collector;\n"
         "    python -m benchmarks.floors measures a bare node per op on the tanh chain)")
    return lines


def spread(values, fmt=".3f"):
    """``min-max`` of the values, to read beside their median."""
    return f"{min(values):{fmt}}-{max(values):{fmt}}"


def third_party_modules():
    """Top-level modules imported that are not Python's own (nor private, nor this script)."""
    names = {name.partition(".")[0] for name in sys.modules}
    return sorted(name for name in names - set(sys.stdlib_module_names)
                  if not name.startswith("_") and name not in ("cython_runtime", "benchmarks"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="SGD steps per framework")
    parser.add_argument("--chain", type=int, default=100_000, help="ops in each chain")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each chain")
    parser.add_argument("--growth", type=int, default=1_000_000,
                        help="the long chain of part 3 (the short one is 1,000 ops)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}; medians of CPU time, spread and wall clock beside\n")
    print(f"1. micrograd's demo: MLP 2-16-16-1, 100 two-moons points, hinge + L2, "
          f"{args.steps} SGD steps")
    rows = bench_mlp(args.steps)
    print(f"   modules imported besides the standard library: {', '.join(third_party_modules())}")
    ours = next(statistics.median(cpu) for name, cpu, _, _ in rows
                if name == "autodidact Scalar, gc on")
    print(f"   {'':28} {'CPU s/step':>10} {'(min-max)':>15} {'wall s/step':>11} "
          f"{'/ Scalar':>9} {'last loss':>10}")
    for name, cpu, wall, loss in rows:
        t = statistics.median(cpu)
        print(f"   {name:28} {t:10.3f} {spread(cpu):>15} {statistics.median(wall):11.3f} "
              f"{t / ours:8.1f}x {loss:10.6f}")
    print("   (medians over the steps; the same weights and data in each run: the losses agree)")
    micro = {name: statistics.median(cpu) for name, cpu, _, _ in rows}.get(
        "micrograd 0.1.0, gc on")
    if micro:
        print(f"   Scalar is {micro / ours:.1f}x faster than micrograd with gc on, CPU time "
              f"(target: 12x)")

    # Part 3 runs now, while only autodidact, micrograd and NumPy are in memory: the
    # collector's full passes walk every object there, and part 2 imports PyTorch.
    growth_table = bench_growth([1_000, args.growth], args.repeats)
    growth_modules = ", ".join(third_party_modules())

    for title, chain in [("x = x * 1.0001 + 0.0001", mul_add_chain), ("x = x.tanh()", tanh_chain)]:
        print(f"\n2. a chain of {args.chain:,} ops, {title}; forward + backward, "
              f"median of {args.repeats}")
        rows = bench_chain(chain, args.chain, args.repeats)
        theirs = statistics.median(rows[-1][3]) if len(rows) > 1 else None   # PyTorch's
        print(f"   {'':32} {'forward':>8} {'backward':>9} {'total':>7} {'(min-max)':>13} "
              f"{'wall':>7} {'/ torch':>8} {'d out/d x':>10}")
        for name, fwd, bwd, totals, walls, grad in rows:
            total = statistics.median(totals)
            ratio = f"{total / theirs:7.2f}x" if theirs else f"{'-':>8}"
            print(f"   {name:32} {fwd:8.3f} {bwd:9.3f} {total:7.3f} {spread(totals):>13} "
                  f"{statistics.median(walls):7.3f} {ratio} {grad:10.4g}")
        if len(rows) > 1:
            print(f"   Scalar takes {statistics.median(rows[0][3]) / theirs:.2f}x PyTorch's CPU "
                  f"time (target: at most 2x)")

    print(f"\n3. Scalar forward cost per op, chains of 1,000 and {args.growth:,} ops, collector on "
          f"(medians of at least {args.repeats} runs)")
    print(f"   measured before part 2, with these modules imported besides the standard "
          f"library: {growth_modules}")
    print("\n".join(growth_table))


if __name__ == "__main__":
    main()
