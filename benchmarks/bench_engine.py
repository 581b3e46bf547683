"""Engine overhead: small ops, a small backward, and long chains, side by side in one run.

Five measurements for the autograd issues, each timed side by side with
its anchors (PyTorch on the CPU, one thread; bare NumPy where it applies):

1. 999 elementwise ops (mul, add, tanh in turn) on a 10x10 float32
   tensor, then backward: microseconds per op, against PyTorch and bare
   NumPy doing the same forward and backward by hand (the floor for any
   NumPy-backed engine).
2. One recorded op, forward and backward: 999 ``x * 1.001`` on 10x10
   float32, then one backward, per op; and the small backward
   ``a.sum().backward()`` of a 10x10 leaf, per call.
3. One op (``x * 1.001``), forward only, with and without recording a
   node: the bookkeeping a recorded op adds.
4. A 100,000-op chain on one value (x = tanh(x * 0.999 + 0.001)), forward
   then backward: autodidact's Scalar, a 0-d Tensor, a 0-d PyTorch tensor.
5. Does the forward cost per op stay flat as a graph grows? The same 0-d
   Tensor chain's forward, 1e3 ops against 1e6, with Python's cycle
   collector on (as it is in every program): each op leaves a few objects
   the collector tracks (counted too), and its full collections walk the whole graph.
   It runs first, before PyTorch is imported: the full collections walk
   every object in memory, and a program of autodidact alone has no PyTorch.

Every figure is the median of several turns, with its spread (lowest to
highest), in CPU time of this process and in wall-clock time: the machine
may be shared, and the wall clock also counts the time other programs
hold the processor. Ratios are of CPU-time medians. Frameworks take turns,
with a short pause between (PyTorch's and OpenBLAS's worker threads keep
spinning after a call and slow down whatever runs next on a small machine).
The header names every framework module imported.

    python -m benchmarks.bench_engine [--repeats 7] [--chain-repeats 3] [--skip growth]
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")   # before NumPy loads its BLAS: one thread for everyone

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import autodidact  # noqa: E402
from autodidact.scalar import Scalar  # noqa: E402

torch = None   # imported in main, after workload 5 (see there)


def import_torch():
    """PyTorch on one thread, or None: the comparison is optional."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


ELEMENTWISE_OPS = 999      # a multiple of 3: mul, add, tanh
CHAIN_LENGTH = 100_000
SMALL_BACKWARDS = 200      # a.sum().backward() calls per turn
GROWTH = (999, 999_999)    # chain lengths compared in workload 5 (multiples of 3)
FRAMEWORK_MODULES = ("numpy", "autodidact", "torch", "micrograd", "cupy", "scipy", "jax")


class Timing:
    """The turns of one measurement: CPU and wall seconds, per unit of work."""

    def __init__(self, per=1):
        self.per, self.cpu, self.wall = per, [], []

    def add(self, cpu, wall):
        self.cpu.append(cpu / self.per)
        self.wall.append(wall / self.per)

    @property
    def median(self):
        return statistics.median(self.cpu)

    def text(self, scale=1e6, width=8):
        """``median [min-max]`` of CPU time, then the wall-clock median."""
        c = [v * scale for v in self.cpu]
        spread = f"[{min(c):.2f}-{max(c):.2f}]"
        return (f"{statistics.median(c):{width}.2f} {spread:>17s}"
                f" {statistics.median(self.wall) * scale:{width}.2f}")


def timed(fn):
    """(CPU seconds, wall seconds) of one call of ``fn``."""
    gc.collect()
    start_cpu, start = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - start_cpu, time.perf_counter() - start


def in_turns(runs, repeats, per=1, pause=0.05, warm_up=True):
    """Time each of ``runs`` (name -> function) ``repeats`` times, taking turns."""
    results = {name: Timing(per) for name in runs}
    for run in runs.values() if warm_up else ():
        run()
    for _ in range(repeats):
        for name, run in runs.items():
            results[name].add(*timed(run))
            time.sleep(pause)
    return results


def imported_modules():
    """The framework modules this process has imported, with their versions."""
    loaded = sorted({name.split(".")[0] for name, module in sys.modules.items()
                     if module is not None} & set(FRAMEWORK_MODULES))   # None: import blocked
    return ", ".join(f"{name} {getattr(sys.modules[name], '__version__', '')}".strip()
                     for name in loaded)


def table(title, unit, results, reference=None, scale=1e6):
    print(f"\n{title}")
    print(f"   {'':30s} {unit + ' CPU':>8s} {'[spread]':>17s} {'wall':>8s}"
          + (f"  {'vs ' + reference:>14s}" if reference in results else ""))
    for name, timing in results.items():
        row = f"   {name:30s} {timing.text(scale)}"
        if reference in results:
            row += f"  {timing.median / results[reference].median:13.2f}x"
        print(row)


# ----------------------------------------------------------- workload 1

def elementwise(lib, start):
    x = lib.tensor(start, requires_grad=True)
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


# ----------------------------------------------------------- workload 2

def mul_chain(lib, start):
    """999 recorded x * 1.001, then one backward: per op, a forward and a backward."""
    x = lib.tensor(start, requires_grad=True)
    y = x
    for _ in range(ELEMENTWISE_OPS):
        y = y * 1.001
    y.backward(lib.ones_like(y))


def mul_numpy(start):
    scale, y = np.float32(1.001), start
    for _ in range(ELEMENTWISE_OPS):
        y = y * scale
    grad = np.ones_like(y)
    for _ in range(ELEMENTWISE_OPS):
        grad = grad * scale
    return grad


def small_backwards(leaf):
    def run():
        for _ in range(SMALL_BACKWARDS):
            leaf.sum().backward()
    return run


# ----------------------------------------------------------- workload 3

def per_op_costs(start, repeats, number=5_000):
    """One x * 1.001 on 10x10 float32, by how much autograd does: turns of ``number`` calls."""
    s = np.float32(1.001)
    plain = autodidact.tensor(start)
    # The input of a recorded op is an intermediate, as inside a network (a
    # leaf's AccumulateGrad node would be made anew for each discarded result).
    hidden = autodidact.tensor(start, requires_grad=True) * 1

    def repeat(fn, x):
        def run():
            for _ in range(number):
                fn(x)
        return run

    runs = {"NumPy": repeat(lambda a: a * s, start),
            "autodidact, nothing recorded": repeat(lambda x: x * 1.001, plain),
            "autodidact, recorded": repeat(lambda x: x * 1.001, hidden)}
    if torch is not None:
        runs["PyTorch, nothing recorded"] = repeat(lambda x: x * 1.001, torch.tensor(start))
        runs["PyTorch, recorded"] = repeat(lambda x: x * 1.001,
                                           torch.tensor(start, requires_grad=True) * 1)
    return in_turns(runs, repeats, per=number, pause=0.02)


# ----------------------------------------------------------- workload 4

def chain(make):
    def run():
        y = make(0.5)
        for _ in range(CHAIN_LENGTH):
            y = (y * 0.999 + 0.001).tanh()
        y.backward()
    return run


# ----------------------------------------------------------- workload 5

def chain_forward(length):
    """CPU and wall seconds per op of a 0-d Tensor chain's forward (the graph then freed)."""
    x = autodidact.tensor(0.5, requires_grad=True)
    y = x
    start_cpu, start = time.process_time(), time.perf_counter()
    for _ in range(length // 3):
        y = (y * 0.999 + 0.001).tanh()
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
    del x, y
    return cpu / length, wall / length


def tracked_per_op(length=3_000):
    """Objects the cycle collector tracks per op of the 0-d chain, the chain alive (after a
    collection: the tuples of numbers it then stops tracking do not count)."""
    x = autodidact.tensor(0.5, requires_grad=True)
    gc.collect()
    before = len(gc.get_objects())
    y = x
    for _ in range(length // 3):
        y = (y * 0.999 + 0.001).tanh()
    gc.collect()
    gc.collect()   # a tuple is untracked once what it holds is: it can take two passes
    per_op = (len(gc.get_objects()) - before) / length
    del x, y
    return per_op


def growth(long_repeats):
    """Forward cost per op at GROWTH[0] and GROWTH[1] ops, the collector on."""
    assert gc.isenabled()
    results = {f"{n:,} ops": Timing() for n in GROWTH}
    short, long = GROWTH
    chain_forward(short)   # warm-up: the first chain meets cold caches (10x the others)
    for _ in range(long_repeats):
        # Many short chains around each long one: the same conditions for both.
        for _ in range(10):
            results[f"{short:,} ops"].add(*chain_forward(short))
        gc.collect()
        results[f"{long:,} ops"].add(*chain_forward(long))
        gc.collect()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--chain-repeats", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=(),
                        choices=("elementwise", "one-op", "forward", "chain", "growth"))
    args = parser.parse_args(argv)

    import platform
    print(f"Python {platform.python_version()}; one BLAS thread; "
          f"gc {gc.isenabled() and 'on' or 'off'}")
    if "growth" not in args.skip:   # workload 5 first, while PyTorch is not in memory
        print("(workload 5 runs first, before PyTorch is imported; its table comes last)")
        growth_modules = imported_modules()
        growth_results, tracked = growth(args.chain_repeats), tracked_per_op()
    global torch
    if not {"elementwise", "one-op", "forward", "chain"} <= set(args.skip):
        torch = import_torch()   # only for a workload that compares with it

    start = np.random.default_rng(0).random((10, 10), dtype=np.float32)
    print(f"imported: {imported_modules()}")
    print("times: median [lowest-highest] of CPU time over the turns, then the wall-clock median")
    anchor = "PyTorch" if torch is not None else "bare NumPy"

    if "elementwise" not in args.skip:
        runs = {"autodidact": lambda: elementwise(autodidact, start)}
        if torch is not None:
            runs["PyTorch"] = lambda: elementwise(torch, start)
        runs["bare NumPy"] = lambda: elementwise_numpy(start)
        table(f"1. {ELEMENTWISE_OPS} elementwise ops (mul, add, tanh) on 10x10 float32, forward + "
              f"backward ({args.repeats} turns)", "us/op",
              in_turns(runs, args.repeats, per=ELEMENTWISE_OPS), anchor)

    if "one-op" not in args.skip:
        runs = {"autodidact": lambda: mul_chain(autodidact, start)}
        if torch is not None:
            runs["PyTorch"] = lambda: mul_chain(torch, start)
        runs["bare NumPy"] = lambda: mul_numpy(start)
        table(f"2a. one recorded op (x * 1.001, 10x10 float32), forward + backward: a chain of "
              f"{ELEMENTWISE_OPS}, one backward ({args.repeats} turns)", "us/op",
              in_turns(runs, args.repeats, per=ELEMENTWISE_OPS), anchor)
        runs = {"autodidact": small_backwards(autodidact.tensor(start, requires_grad=True))}
        if torch is not None:
            runs["PyTorch"] = small_backwards(torch.tensor(start, requires_grad=True))
        table(f"2b. a.sum().backward(), a 10x10 float32 leaf ({args.repeats} turns of "
              f"{SMALL_BACKWARDS} calls)", "us/call",
              in_turns(runs, args.repeats, per=SMALL_BACKWARDS), anchor)

    if "forward" not in args.skip:
        table(f"3. one op (x * 1.001 on 10x10 float32), forward only ({args.repeats} turns)",
              "us/op", per_op_costs(start, args.repeats),
              "PyTorch, recorded" if torch is not None else None)

    if "chain" not in args.skip:
        runs = {"autodidact Scalar": chain(Scalar),
                "autodidact 0-d Tensor": chain(lambda v: autodidact.tensor(v, requires_grad=True))}
        if torch is not None:
            runs["PyTorch 0-d tensor"] = chain(lambda v: torch.tensor(v, requires_grad=True))
        table(f"4. a {CHAIN_LENGTH:,}-op chain on one value, forward + backward "
              f"({args.chain_repeats} turns)", "s", in_turns(runs, args.chain_repeats, warm_up=False),
              "PyTorch 0-d tensor" if torch is not None else None, scale=1)

    if "growth" not in args.skip:
        table(f"5. forward of a 0-d Tensor chain, per op, the cycle collector on "
              f"({args.chain_repeats} long chains, 10 short ones around each)", "us/op",
              growth_results, f"{GROWTH[0]:,} ops")
        print(f"   objects the collector tracks per op, the chain alive: {tracked:.2f}")
        print(f"   (measured first, when the process had imported: {growth_modules})")


if __name__ == "__main__":
    main()
