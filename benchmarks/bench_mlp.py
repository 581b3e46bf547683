"""A training step of an MLP, autodidact against raw NumPy and PyTorch: side by side, in one run.

Three measurements, printed as tables with ratios to raw NumPy:

1. Speed: one training step (zero_grad, forward, cross-entropy, backward,
   SGD step) of an MLP 784-256-10 with ReLU, at batch 128 and at batch 32
   (where the engine's fixed Python cost per step shows most), float32,
   fixed random data, the same initial weights everywhere. "numpy" is the same
   network written by hand, forward and backward: the limit for a
   NumPy-backed engine. PyTorch runs on the CPU with one thread (BLAS is
   pinned to one thread for everyone). The frameworks take turns, with a
   short pause between turns; each figure is the median of the turns in
   CPU time of the process (the machine may be shared: the wall clock
   also counts other programs), with its spread (lowest to highest) and
   the wall-clock median beside it. The header names every framework
   module imported.
2. Memory: peak resident memory beyond the data (after imports and
   the input arrays exist) over 50 steps, each framework in its own fresh
   process, median of several processes (default 7).
3. ``(A @ B).sum()`` forward and backward, A and B 1024x1024 float32
   requiring grad, against the three raw matmuls it costs (A @ B,
   G @ B^T, A^T @ G).

    python -m benchmarks.bench_mlp [--repeats 15] [--steps 20] [--batches 128 32] [--memory-runs 7]

PyTorch is optional: without it its rows are left out.
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"   # before NumPy loads its BLAS: one thread for every framework

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.mlp_data import SIZES, LR, hand_written_step, make_data  # noqa: E402

BATCHES = (128, 32)
FRAMEWORK_MODULES = ("numpy", "autodidact", "torch", "micrograd", "cupy", "scipy", "jax")
FRAMEWORKS = ("numpy", "autodidact", "torch")


# ------------------------------------------------------------ the three steps

def numpy_step(x, y, weights):
    """The network by hand in NumPy: forward, softmax cross-entropy, backward, SGD."""
    return hand_written_step(x, y, weights)


def framework_step(torch, x, y, weights):
    """One training step written once in PyTorch's API: ``torch`` is autodidact or PyTorch."""
    nn, optim = torch.nn, torch.optim
    model = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]))
    with torch.no_grad():
        for param, value in zip(model.parameters(), weights):
            param.copy_(torch.from_numpy(value))
    optimizer = optim.SGD(model.parameters(), lr=LR)
    criterion = nn.CrossEntropyLoss()
    inputs, labels = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def autodidact_step(x, y, weights):
    import autodidact.nn
    import autodidact.optim  # noqa: F401  (loaded on first use otherwise)
    return framework_step(autodidact, x, y, weights)


def torch_step(x, y, weights):
    import torch
    torch.set_num_threads(1)
    return framework_step(torch, x, y, weights)


STEPS = {"numpy": numpy_step, "autodidact": autodidact_step, "torch": torch_step}


def available(frameworks):
    found = []
    for name in frameworks:
        if name == "torch":
            try:
                import torch  # noqa: F401
            except ImportError:
                print("(torch is not installed: its rows are left out)")
                continue
        found.append(name)
    return found


# ------------------------------------------------------------ 1. speed

def time_steps(frameworks, repeats, steps, pause, batch=128):
    """Per framework, the seconds per step of each turn: (wall, CPU) lists."""
    x, y, weights = make_data(batch)
    runners = {name: STEPS[name](x, y, weights) for name in frameworks}
    losses = {name: [runners[name]() for _ in range(3)] for name in frameworks}   # warm up
    first = {name: values[0] for name, values in losses.items()}
    spread = max(first.values()) - min(first.values())
    print("first-step loss: " + ", ".join(f"{n} {v:.6f}" for n, v in first.items())
          + f" (spread {spread:.1e}: the same network everywhere)")
    wall = {name: [] for name in frameworks}
    cpu = {name: [] for name in frameworks}
    for _ in range(repeats):
        for name in frameworks:
            run = runners[name]
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(steps):
                run()
            wall[name].append((time.perf_counter() - start) / steps)
            cpu[name].append((time.process_time() - start_cpu) / steps)
            time.sleep(pause)
    return wall, cpu


# ------------------------------------------------------------ 2. memory

def _status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child_memory(name, steps):
    """In a fresh process: peak RSS (MiB) over ``steps`` steps, beyond imports and data."""
    if name == "torch":
        import torch  # noqa: F401  (imports are not the framework's training memory)
    elif name == "autodidact":
        import autodidact.nn  # noqa: F401  (nn and optim load on first use)
        import autodidact.optim  # noqa: F401
    x, y, weights = make_data()
    gc.collect()
    baseline = _status_kib("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")   # reset the peak (VmHWM) to the current RSS
        peak_field = "VmHWM"
    except OSError:
        peak_field = None
    step = STEPS[name](x, y, weights)
    for _ in range(steps):
        step()
    if peak_field is None:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    else:
        peak = _status_kib(peak_field)
    print(f"{(peak - baseline) / 1024:.3f}")


def measure_memory(frameworks, runs, steps):
    results = {name: [] for name in frameworks}
    for _ in range(runs):
        for name in frameworks:   # in turns, each in its own process
            out = subprocess.run([sys.executable, "-m", "benchmarks.bench_mlp", "--child", name,
                                  "--child-steps", str(steps)], cwd=ROOT, check=True,
                                 capture_output=True, text=True)
            results[name].append(float(out.stdout.strip().splitlines()[-1]))
    return {name: statistics.median(values) for name, values in results.items()}


# ------------------------------------------------------------ 3. (A @ B).sum()

def time_matmul(repeats, n=1024, pause=0.05, with_torch=True):
    import autodidact
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)

    def raw():
        g = np.ones((n, n), dtype=np.float32)
        a @ b, g @ b.T, a.T @ g

    A = autodidact.tensor(a, requires_grad=True)
    B = autodidact.tensor(b, requires_grad=True)

    def ours():
        A.grad = B.grad = None
        (A @ B).sum().backward()

    runs = {"numpy (3 matmuls)": raw, "autodidact": ours}
    if with_torch:
        import torch
        torch.set_num_threads(1)
        TA = torch.tensor(a, requires_grad=True)
        TB = torch.tensor(b, requires_grad=True)

        def theirs():
            TA.grad = TB.grad = None
            (TA @ TB).sum().backward()
        runs["torch"] = theirs
    times = {name: [] for name in runs}
    for run in runs.values():
        run()   # warm up
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
            time.sleep(pause)
    return {name: statistics.median(values) for name, values in times.items()}


# ------------------------------------------------------------ report

def table(title, unit, values, reference, extra=None):
    """One row per framework: the value and its ratio to ``reference`` (and ``extra``'s likewise)."""
    print(f"\n{title}")
    head = f"  {'':<20}{unit:>12}{'x numpy':>10}"
    if extra is not None:
        extra_unit, extra_values = extra
        head += f"{extra_unit:>14}{'x numpy':>10}"
    print(head)
    for name, value in values.items():
        row = f"  {name:<20}{value:>12.3f}{value / values[reference]:>10.2f}"
        if extra is not None:
            row += f"{extra_values[name]:>14.3f}{extra_values[name] / extra_values[reference]:>10.2f}"
        print(row)


def speed_table(batch, repeats, steps, wall, cpu):
    """CPU ms/step: median [spread], its ratio to raw NumPy, and the wall-clock median."""
    print(f"\n1. training step at batch {batch} (median of {repeats} turns of {steps} steps)")
    print(f"  {'':<14}{'CPU ms/step':>12}{'[spread]':>18}{'x numpy':>9}{'wall ms':>10}{'x numpy':>9}")
    med_cpu = {name: statistics.median(values) * 1e3 for name, values in cpu.items()}
    med_wall = {name: statistics.median(values) * 1e3 for name, values in wall.items()}
    for name in cpu:
        spread = f"[{min(cpu[name]) * 1e3:.3f}-{max(cpu[name]) * 1e3:.3f}]"
        print(f"  {name:<14}{med_cpu[name]:>12.3f}{spread:>18}{med_cpu[name] / med_cpu['numpy']:>9.2f}"
              f"{med_wall[name]:>10.3f}{med_wall[name] / med_wall['numpy']:>9.2f}")
    if "torch" in cpu:
        print(f"  autodidact / torch: {med_cpu['autodidact'] / med_cpu['torch']:.2f}x CPU, "
              f"{med_wall['autodidact'] / med_wall['torch']:.2f}x wall")


def imported_modules():
    """The framework modules this process has imported, with their versions."""
    loaded = sorted({name.split(".")[0] for name, module in sys.modules.items()
                     if module is not None} & set(FRAMEWORK_MODULES))   # None: import blocked
    return ", ".join(f"{name} {getattr(sys.modules[name], '__version__', '')}".strip()
                     for name in loaded)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="turns per framework (speed)")
    parser.add_argument("--steps", type=int, default=20, help="training steps per turn")
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between turns")
    parser.add_argument("--batches", type=int, nargs="+", default=BATCHES)
    parser.add_argument("--memory-runs", type=int, default=7, help="processes per framework")
    parser.add_argument("--memory-steps", type=int, default=50)
    parser.add_argument("--matmul-repeats", type=int, default=9)
    parser.add_argument("--skip", nargs="*", default=(), choices=("speed", "memory", "matmul"))
    parser.add_argument("--child", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    parser.add_argument("--child-steps", type=int, default=50, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_memory(args.child, args.child_steps)
        return
    frameworks = available(FRAMEWORKS)
    import platform
    if "speed" not in args.skip:
        import autodidact.nn  # noqa: F401  (imported here so that the header names it)
        import autodidact.optim  # noqa: F401
    print(f"MLP {'-'.join(map(str, SIZES))} ReLU, float32, SGD lr={LR}; one BLAS thread; "
          f"Python {platform.python_version()}; imported: {imported_modules()}")
    if "speed" not in args.skip:
        for batch in args.batches:
            wall, cpu = time_steps(frameworks, args.repeats, args.steps, args.pause, batch)
            speed_table(batch, args.repeats, args.steps, wall, cpu)
    if "memory" not in args.skip:
        memory = measure_memory(frameworks, args.memory_runs, args.memory_steps)
        table(f"2. peak RSS beyond the data, {args.memory_steps} steps (median of "
              f"{args.memory_runs} processes)", "MiB", memory, "numpy")
    if "matmul" not in args.skip:
        mm = time_matmul(args.matmul_repeats, with_torch="torch" in frameworks)
        table(f"3. (A @ B).sum() forward + backward, 1024x1024 float32 (median of "
              f"{args.matmul_repeats})", "ms", {k: v * 1e3 for k, v in mm.items()},
              "numpy (3 matmuls)")


if __name__ == "__main__":
    main()
