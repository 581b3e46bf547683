"""Random numbers: 1e6 draws from PyTorch's CPU streams, autodidact vs PyTorch vs NumPy.

For each function, the time to draw 1,000,000 numbers (float32 where it
applies) with autodidact (PyTorch's exact stream, computed with NumPy),
PyTorch on one thread, and NumPy's own generator doing the nearest thing
(its numbers differ: it is the floor for NumPy code). Medians of several
runs, taken in turn. ``--profile`` adds cProfile's top lines for randn and
randperm, the two that need the most work to vectorise.

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

try:
    import torch
    torch.set_num_threads(1)
except ImportError:   # the comparison is optional
    torch = None

N = 1_000_000
PROBS = np.random.RandomState(0).random_sample(27).astype(np.float32)


def _median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        time.sleep(0.02)
    return statistics.median(times)


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
          f"streams exact: {exact} ({why})")
    print(f"{'function':<28} {'autodidact':>11} {'torch 1-thr':>11} {'numpy':>9} "
          f"{'vs torch':>9} {'vs numpy':>9}")
    for name, (ours, theirs, floor) in cases().items():
        t_ours = _median_time(ours, args.repeats)
        t_numpy = _median_time(floor, args.repeats)
        t_torch = _median_time(theirs, args.repeats) if torch else float("nan")
        print(f"{name:<28} {t_ours * 1e3:9.1f}ms {t_torch * 1e3:9.1f}ms {t_numpy * 1e3:7.1f}ms "
              f"{t_ours / t_torch:8.1f}x {t_ours / t_numpy:8.1f}x")
    if args.profile:
        for name in ("randn float32", "randperm"):
            print(f"\nprofile of {name}:")
            print(_profile(cases()[name][0]))


if __name__ == "__main__":
    main()
