"""The Python half of ``scripts/gpu-check``: probe the GPU, pick test files, time the MLP.

    python3 scripts/gpu_check_tools.py probe            # versions, GPUs; exit 77 without one
    python3 scripts/gpu_check_tools.py select FILE...   # the test files that collect cleanly
    python3 scripts/gpu_check_tools.py bench [--out DIR] [--budget SECONDS]

``bench`` times one training step of an MLP 784-256-10 (ReLU, cross-entropy,
SGD, float32) at batch 128 and 4096, on the CPU and on the GPU, each figure
the median of several steps after a warm-up, the GPU synchronised before
the clock is read. Beside autodidact it times the same step written by hand
on the raw array library (NumPy, CuPy: the limit for an engine on them) and,
where a CUDA-enabled PyTorch happens to be installed, PyTorch on the GPU.

autodidact is imported from this source tree. With AUTODIDACT_FAKE_CUPY=1,
``tests/fake_cupy.py`` stands in for CuPy (a rehearsal on a CPU-only machine:
the "GPU" numbers are then NumPy's).
"""

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if os.environ.get("AUTODIDACT_FAKE_CUPY") == "1":
    sys.path.insert(0, str(ROOT / "tests"))
    import fake_cupy
    fake_cupy.install()

from benchmarks.mlp_data import LR, SIZES  # noqa: E402  (the same network as bench_mlp)
BATCHES = (128, 4096)
NO_GPU = 77   # "skipped", as automake's test drivers read it


def _version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


# ------------------------------------------------------------------ probe

def probe():
    """Print what this machine has; exit 0 with a usable GPU, 77 without."""
    import numpy
    print(f"python      {sys.version.split()[0]} ({platform.platform()})")
    print(f"numpy       {numpy.__version__}")
    print(f"pytest      {_version('pytest') or 'not installed'}")
    torch = next((_version(n) for n in ("torch",) if _version(n)), None)
    print(f"torch       {torch or 'not installed'} (not needed: comparisons with it are skipped)")
    cupy_dist = next((d for d in ("cupy-cuda12x", "cupy-cuda13x", "cupy-cuda11x", "cupy")
                      if _version(d)), None)
    print(f"cupy wheel  {cupy_dist + ' ' + _version(cupy_dist) if cupy_dist else 'none found'}")
    print(f"cpu cores   {os.cpu_count()}")
    import autodidact
    from autodidact import backend
    available = autodidact.cuda.is_available()
    if not available:
        print(f"GPU         none usable: {autodidact.cuda.unavailable_reason()}")
        return NO_GPU
    import cupy
    runtime = cupy.cuda.runtime
    print(f"cupy        {cupy.__version__}"
          + (" (FAKE: tests/fake_cupy.py on NumPy)" if getattr(cupy, "fake", False) else ""))
    for what, call in (("CUDA runtime", runtime.runtimeGetVersion),
                       ("CUDA driver", runtime.driverGetVersion)):
        try:
            v = int(call())
            print(f"{what:<12}{v // 1000}.{v % 1000 // 10}")
        except Exception as exc:   # noqa: BLE001
            print(f"{what:<12}? ({exc})")
    for i in range(autodidact.cuda.device_count()):
        props = runtime.getDeviceProperties(i)
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        memory = props.get("totalGlobalMem", 0) / 2 ** 30
        print(f"GPU {i}       {name}, {memory:.0f} GiB, compute capability "
              f"{props.get('major', '?')}.{props.get('minor', '?')}")
    x = autodidact.ones(3, device="cuda")
    assert (x * 2).sum().item() == 6.0 and x.device == backend.as_device("cuda:0")
    print("autodidact  a tensor on cuda:0 computes: ok")
    return 0


# ----------------------------------------------------------------- select

def select(files):
    """Print the files (of ``files``) that pytest collects without errors; report the others."""
    import pytest

    class Collector:
        def __init__(self):
            self.broken, self.counts = {}, {}

        def pytest_collectreport(self, report):
            if report.failed:
                path = report.nodeid.split("::")[0] or "?"
                self.broken[path] = str(report.longrepr).strip().splitlines()[-1:]

        def pytest_collection_finish(self, session):
            for item in session.items:
                path = item.nodeid.split("::")[0]
                self.counts[path] = self.counts.get(path, 0) + 1

    collector = Collector()
    args = ["--collect-only", "-m", "cuda", "-p", "no:cacheprovider",
            "--continue-on-collection-errors", *files]
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            pytest.main(args, plugins=[collector])
        finally:
            sys.stdout = stdout
    keep = []
    for f in files:
        rel = os.path.relpath(f, os.getcwd())
        if any(rel == b or rel.startswith(b.rstrip("/") + "/") or b.startswith(rel)
               for b in collector.broken):
            reason = next((r for b, r in collector.broken.items() if b.startswith(rel)
                           or rel.startswith(b)), [""])
            print(f"gpu-check: leaving out {rel}: it does not collect here ({' '.join(reason)})",
                  file=sys.stderr)
            continue
        if collector.counts.get(rel, 0) == 0:
            continue   # no cuda-marked test in it
        print(f"gpu-check: {rel}: {collector.counts[rel]} cuda tests", file=sys.stderr)
        keep.append(rel)
    print("\n".join(keep))
    return 0 if keep else 1


# ------------------------------------------------------------------ bench

def _data(batch):
    from benchmarks.mlp_data import make_data
    return make_data(batch)


def autodidact_step(batch, device):
    import autodidact
    from autodidact import nn, optim
    x, y, weights = _data(batch)
    model = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(),
                          nn.Linear(SIZES[1], SIZES[2]))
    with autodidact.no_grad():
        for param, value in zip(model.parameters(), weights):
            param.copy_(autodidact.from_numpy(value))
    model.to(device)
    optimizer = optim.SGD(model.parameters(), lr=LR)
    criterion = nn.CrossEntropyLoss()
    inputs = autodidact.from_numpy(x).to(device)
    labels = autodidact.from_numpy(y).to(device)

    def step():
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def raw_step(batch, xp):
    """The same step written by hand on NumPy or CuPy (benchmarks/mlp_data.py)."""
    from benchmarks.mlp_data import hand_written_step
    return hand_written_step(*_data(batch), xp=xp)


def torch_cuda_step(batch):
    """PyTorch on the GPU, if this machine's torch has CUDA (a reference point only)."""
    import torch
    if not torch.cuda.is_available():
        return None
    from torch import nn, optim
    x, y, weights = _data(batch)
    model = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]))
    with torch.no_grad():
        for param, value in zip(model.parameters(), weights):
            param.copy_(torch.from_numpy(value))
    model.cuda()
    optimizer = optim.SGD(model.parameters(), lr=LR)
    criterion = nn.CrossEntropyLoss()
    inputs, labels = torch.from_numpy(x).cuda(), torch.from_numpy(y).cuda()

    def step():
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        return loss.item()
    step.sync = torch.cuda.synchronize
    return step


def _time(step, sync, budget, warmup=3, min_steps=5, max_steps=50):
    """Median seconds per step, with as many steps as ``budget`` seconds allow."""
    losses = [step() for _ in range(warmup)]
    sync()
    times = []
    deadline = time.perf_counter() + budget
    while len(times) < max_steps and (len(times) < min_steps or time.perf_counter() < deadline):
        sync()
        start = time.perf_counter()
        losses.append(step())
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), losses


def bench(out_dir, budget):
    import numpy
    import autodidact
    gpu = autodidact.cuda.is_available()
    cupy = None
    if gpu:
        import cupy
    started = time.perf_counter()
    rows = []
    runs = [("autodidact", "cpu"), ("numpy (by hand)", "cpu")]
    if gpu:
        runs += [("autodidact", "cuda"), ("cupy (by hand)", "cuda")]
    torch_version = _version("torch")
    if gpu and torch_version and os.environ.get("GPU_CHECK_TORCH", "1") == "1":
        runs.append((f"torch {torch_version}", "cuda"))
    share = budget / (len(runs) * len(BATCHES))
    for batch in BATCHES:
        for name, device in runs:
            sync = autodidact.cuda.synchronize if device == "cuda" else (lambda: None)
            try:
                if name == "autodidact":
                    step = autodidact_step(batch, device)
                elif name.startswith("numpy"):
                    step = raw_step(batch, numpy)
                elif name.startswith("cupy"):
                    step = raw_step(batch, cupy)
                else:
                    step = torch_cuda_step(batch)
                    if step is None:
                        continue
                    sync = step.sync
                seconds, steps, losses = _time(step, sync, share * 0.8)
            except Exception as exc:   # noqa: BLE001  (a row that fails is reported, not fatal)
                rows.append({"batch": batch, "framework": name, "device": device,
                             "error": f"{type(exc).__name__}: {exc}"})
                print(f"  batch {batch:5d}  {name:<22} {device:<5} FAILED: {exc}", flush=True)
                continue
            rows.append({"batch": batch, "framework": name, "device": device,
                         "ms_per_step": seconds * 1e3, "steps_timed": steps,
                         "samples_per_s": batch / seconds, "first_loss": losses[0],
                         "last_loss": losses[-1]})
            print(f"  batch {batch:5d}  {name:<22} {device:<5} {seconds * 1e3:9.3f} ms/step "
                  f"({steps} steps, loss {losses[0]:.4f} -> {losses[-1]:.4f})", flush=True)
    report = {
        "benchmark": "MLP 784-256-10, ReLU, cross-entropy, SGD(lr=0.01), float32: one training "
                     "step (zero_grad, forward, loss, backward, step, loss.item()); median of "
                     "the timed steps after 3 warm-up steps; the GPU synchronised around each",
        "gpu": _gpu_name() if gpu else None,
        "fake_gpu": bool(gpu and getattr(cupy, "fake", False)),
        "cupy": getattr(cupy, "__version__", None),
        "numpy": numpy.__version__,
        "cpu_cores": os.cpu_count(),
        "cpu_threads_env": {k: os.environ.get(k) for k in
                            ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "rows": rows,
        "speedups": _speedups(rows),
        "seconds": round(time.perf_counter() - started, 1),
    }
    table = _table(report)
    print(table)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
        (Path(out_dir) / "bench.txt").write_text(table + "\n")
    return 0 if all("error" not in r for r in rows if r["framework"] == "autodidact") else 1


def _gpu_name():
    import autodidact
    try:
        return autodidact.cuda.get_device_name()
    except Exception:   # noqa: BLE001
        return "?"


def _ms(rows, batch, name, device):
    for r in rows:
        if r["batch"] == batch and r["framework"] == name and r["device"] == device:
            return r.get("ms_per_step")
    return None


def _speedups(rows):
    out = {}
    for batch in BATCHES:
        cpu, gpu = _ms(rows, batch, "autodidact", "cpu"), _ms(rows, batch, "autodidact", "cuda")
        raw_gpu = _ms(rows, batch, "cupy (by hand)", "cuda")
        out[str(batch)] = {
            "autodidact gpu vs autodidact cpu": round(cpu / gpu, 2) if cpu and gpu else None,
            "autodidact gpu / raw cupy (overhead)": round(gpu / raw_gpu, 2) if gpu and raw_gpu else None,
        }
    return out


def _table(report):
    rows = report["rows"]
    names = []
    for r in rows:
        key = (r["framework"], r["device"])
        if key not in names:
            names.append(key)
    head = f"{'framework':<22} {'device':<6}" + "".join(f" {f'batch {b}':>14}" for b in BATCHES)
    lines = [report["benchmark"],
             f"GPU: {report['gpu']}{' (FAKE: NumPy stand-in)' if report['fake_gpu'] else ''}; "
             f"CuPy {report['cupy']}; NumPy {report['numpy']}; {report['cpu_cores']} CPU cores",
             "", head, "-" * len(head)]
    for name, device in names:
        cells = []
        for b in BATCHES:
            ms = _ms(rows, b, name, device)
            cells.append(f" {'-' if ms is None else f'{ms:.3f} ms':>14}")
        lines.append(f"{name:<22} {device:<6}" + "".join(cells))
    lines.append("")
    for b, s in report["speedups"].items():
        lines.append(f"batch {b}: autodidact on the GPU is "
                     f"{s['autodidact gpu vs autodidact cpu'] or '?'}x as fast as on the CPU; "
                     f"it takes {s['autodidact gpu / raw cupy (overhead)'] or '?'}x the time of "
                     "the hand-written CuPy step")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("probe")
    p = sub.add_parser("select")
    p.add_argument("files", nargs="+")
    p = sub.add_parser("bench")
    p.add_argument("--out", default=os.environ.get("OUT"))
    p.add_argument("--budget", type=float, default=60.0, help="seconds for all the timing")
    args = parser.parse_args(argv)
    if args.command == "probe":
        return probe()
    if args.command == "select":
        return select(args.files)
    return bench(args.out, args.budget)


if __name__ == "__main__":
    sys.exit(main())
