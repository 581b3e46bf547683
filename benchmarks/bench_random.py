"""Random numbers: 1e6 draws from PyTorch's CPU streams, autodidact vs PyTorch vs NumPy.

For each function, the time to draw 1,000,000 numbers (float32 where it
applies) with autodidact (PyTorch's exact stream, computed with NumPy),
PyTorch on one thread, and NumPy's own generator doing the nearest thing
(its numbers differ: it is the floor for NumPy code). The three take
turns, a short pause between; each figure is the median CPU time of the
process over the turns, with its spread (lowest-highest), and the
wall-clock medians follow in a table of their own (the machine may be
shared: the wall clock also counts other programs). Ratios are of CPU
medians. ``--profile`` adds cProfile's top lines for randn and randperm,
the two that need the most work to vectorise.

    python -m benchmarks.bench_random [--repeats 5] [--profile]
"""

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import time

import numpy as np

import autodidact
from benchmarks.bench_engine import imported_modules

try:
    import torch
    torch.set_num_threads(1)
except ImportError:   # the comparison is optional
    torch = None

N = 1_000_000
PROBS = np.random.RandomState(0).random_sample(27).astype(np.float32)


def in_turns(runs, repeats):
    """name -> ([CPU seconds], [wall seconds]) of each callable, the callables taking turns."""
    times = {name: ([], []) for name in runs}
    for fn in runs.values():
        fn()   # warm-up: first calls fill caches and allocate
    for _ in range(repeats):
        for name, fn in runs.items():
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            fn()
            times[name][0].append(time.process_time() - cpu)
            times[name][1].append(time.perf_counter() - wall)
            time.sleep(0.02)
    return times


def _cell(seconds):
    """'8.9 [8.7-9.3]': the median and spread in ms."""
    ms = [t * 1e3 for t in seconds]
    return f"{statistics.median(ms):.1f} [{min(ms):.1f}-{max(ms):.1f}]"




def cases():
    """name -> (autodidact, torch, numpy) callables drawing N numbers."""
    rng = np.random.default_rng(0)
    ad_probs = autodidact.tensor(PROBS)
    t_probs = torch.tensor(PROBS) if torch else None
    return {
        "rand float32": (lambda: autodidact.rand(N), lambda: torch.rand(N),
                         lambda: rng.random(N, dtype=np.float32)),
        "randn float32": (lambda: autodidact.randn(N), lambda: torch.randn(N),
                          lambda: rng.standard_normal(N, dtype=np.float32)),
        "randn float64": (lambda: autodidact.randn(N, dtype=autodidact.float64),
                          lambda: torch.randn(N, dtype=torch.float64),
                          lambda: rng.standard_normal(N)),
        "randint int64": (lambda: autodidact.randint(0, 1000, (N,)),
                          lambda: torch.randint(0, 1000, (N,)),
                          lambda: rng.integers(0, 1000, N)),
        "randperm": (lambda: autodidact.randperm(N), lambda: torch.randperm(N),
                     lambda: rng.permutation(N)),
        "multinomial (27 categories)": (
            lambda: autodidact.multinomial(ad_probs, N, replacement=True),
            lambda: torch.multinomial(t_probs, N, replacement=True),
            lambda: rng.choice(27, N, p=PROBS / PROBS.sum())),
        "bernoulli_(0.3) float32": (lambda: autodidact.empty(N).bernoulli_(0.3),
                                    lambda: torch.empty(N).bernoulli_(0.3),
                                    lambda: rng.random(N) < 0.3),
    }


def _profile(fn, lines=8):
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return "\n".join(line for line in out.getvalue().splitlines()
                     if line.strip() and not line.startswith(("   Ordered", "         ")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    exact, why = autodidact.random.exact_streams()
    print(f"1e6 draws; autodidact path {autodidact.random.get_cpu_capability()}, "
          f"streams exact: {exact} ({why}); imported: {imported_modules()}")
    print(f"CPU ms, median [lowest-highest] of {args.repeats} turns")
    columns = f"{'function':<28} {'autodidact':>22} {'torch 1-thread':>22} {'numpy':>22}"
    print(f"{columns} {'vs torch':>9} {'vs numpy':>9}")
    walls = {}
    for name, (ours, theirs, floor) in cases().items():
        runs = {"autodidact": ours, "numpy": floor}
        if torch:
            runs["torch"] = theirs
        times = in_turns(runs, args.repeats)
        cpu = {k: statistics.median(v[0]) for k, v in times.items()}
        walls[name] = {k: statistics.median(v[1]) for k, v in times.items()}
        torch_cell = _cell(times["torch"][0]) if torch else "-"
        vs_torch = f"{cpu['autodidact'] / cpu['torch']:8.1f}x" if torch else f"{'-':>9}"
        print(f"{name:<28} {_cell(times['autodidact'][0]):>22} {torch_cell:>22} "
              f"{_cell(times['numpy'][0]):>22} {vs_torch} "
              f"{cpu['autodidact'] / cpu['numpy']:8.1f}x")
    print("\nwall-clock ms, medians")
    print(columns)
    for name, wall in walls.items():
        torch_wall = f"{wall['torch'] * 1e3:22.1f}" if torch else f"{'-':>22}"
        print(f"{name:<28} {wall['autodidact'] * 1e3:22.1f} {torch_wall} "
              f"{wall['numpy'] * 1e3:22.1f}")
    if args.profile:
        for name in ("randn float32", "randperm"):
            print(f"\nprofile of {name}:")
            print(_profile(cases()[name][0]))


if __name__ == "__main__":
    main()
