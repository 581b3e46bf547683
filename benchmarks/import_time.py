"""How much `import autodidact` costs on top of `import numpy`.

Two measurements, each over N turns (default 9) of fresh interpreters:

- CPU time (of the child process) and wall clock of `python -c pass` (the
  interpreter alone), `python -c "import numpy"` and `python -c "import
  autodidact"`, run in turns, so that a busy moment of a shared machine
  slows all three; "autodidact over numpy" is the median of each turn's
  difference;
- Python's own `-X importtime` report for `import autodidact`: the
  cumulative time of the top-level autodidact import and of numpy inside it.

Medians, with the spread (lowest-highest) of the turns.

    python -m benchmarks.import_time [-n 9]
"""

import argparse
import os
try:
    import resource   # Unix: the children's CPU time
except ImportError:
    resource = None   # elsewhere the CPU column repeats the wall clock
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Time imports as a user meets them, from up-to-date bytecode caches: with
# PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), every run
# would compile the sources again and measure the compiler instead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# One BLAS thread, as in every benchmark here: NumPy's BLAS otherwise starts a worker per core
# at import, and their spinning would count as the import's CPU time.
ENV.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")


def run_ms(code, python):
    """(CPU ms, wall ms) of one fresh ``python -c code``: the child's user + system time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    start = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=ROOT, check=True, env=ENV)
    wall = time.perf_counter() - start
    if before is None:
        return wall * 1e3, wall * 1e3
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu * 1e3, wall * 1e3


def spread(values):
    return f"[{min(values):.1f}-{max(values):.1f}]"


def importtime_ms(python):
    """Cumulative ms of the top-level `autodidact` and `numpy` lines of -X importtime."""
    result = subprocess.run([python, "-X", "importtime", "-c", "import autodidact"],
                            cwd=ROOT, check=True, capture_output=True, text=True, env=ENV)
    found = {}
    for line in result.stderr.splitlines():
        # "import time:   self [us] |  cumulative | imported package"
        if not line.startswith("import time:"):
            continue
        fields = line[len("import time:"):].split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].strip()
        if name in ("autodidact", "numpy") and name not in found:
            found[name] = int(fields[1]) / 1e3
    if "autodidact" not in found:
        raise RuntimeError("no 'autodidact' line in -X importtime's report:\n"
                           + result.stderr[-2000:])
    return found.get("autodidact"), found.get("numpy", 0.0)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_time",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=9, help="runs per measurement (default 9)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to time")
    args = parser.parse_args(argv)

    programs = {"python -c pass": "pass",
                "python -c 'import numpy'": "import numpy",
                "python -c 'import autodidact'": "import autodidact"}
    # One untimed run of each, so bytecode caches are written before timing.
    for code in programs.values():
        run_ms(code, args.python)

    cpu = {label: [] for label in programs}
    wall = {label: [] for label in programs}
    reports = []
    for _ in range(args.n):   # in turns: pass, numpy, autodidact, the -X importtime report
        for label, code in programs.items():
            c, w = run_ms(code, args.python)
            cpu[label].append(c)
            wall[label].append(w)
        reports.append(importtime_ms(args.python))
    over = "autodidact over numpy"
    numpy_label, ours_label = list(programs)[1:]
    cpu[over] = [a - n for a, n in zip(cpu[ours_label], cpu[numpy_label])]
    wall[over] = [a - n for a, n in zip(wall[ours_label], wall[numpy_label])]

    print(f"import time, {args.n} turns of fresh interpreters (ms): CPU median [spread], "
          "wall median")
    for label in cpu:
        print(f"  {label:<32} {statistics.median(cpu[label]):8.1f} {spread(cpu[label]):>15} "
              f"{statistics.median(wall[label]):8.1f}")
    print("  -X importtime, cumulative (median [spread]):")
    for label, values in (("autodidact", [a for a, _ in reports]),
                          ("numpy, inside it", [n for _, n in reports]),
                          ("autodidact over numpy", [a - n for a, n in reports])):
        print(f"    {label:<30} {statistics.median(values):8.1f} {spread(values):>15}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
