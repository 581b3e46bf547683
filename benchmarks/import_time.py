"""How much `import autodidact` costs on top of `import numpy`.

Two measurements, each the median of N fresh interpreters (default 9):

- wall clock of `python -c "import numpy"` and `python -c "import autodidact"`
  (and of `python -c pass`, the interpreter alone);
- Python's own `-X importtime` report for `import autodidact`: the
  cumulative time of the top-level autodidact import and of numpy inside it.

    python -m benchmarks.import_time [-n 9]
"""

import argparse
import os
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


def wall_ms(code, python):
    start = time.perf_counter()
    subprocess.run([python, "-c", code], cwd=ROOT, check=True, env=ENV)
    return (time.perf_counter() - start) * 1e3


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

    # One untimed run of each, so bytecode caches are written before timing.
    for code in ("pass", "import numpy", "import autodidact"):
        wall_ms(code, args.python)

    rows = {}
    for label, code in (("python -c pass", "pass"),
                        ("python -c 'import numpy'", "import numpy"),
                        ("python -c 'import autodidact'", "import autodidact")):
        rows[label] = statistics.median(wall_ms(code, args.python) for _ in range(args.n))
    reports = [importtime_ms(args.python) for _ in range(args.n)]
    own = statistics.median(a - n for a, n in reports)
    cumulative = statistics.median(a for a, _ in reports)
    numpy_inside = statistics.median(n for _, n in reports)

    print(f"import time, median of {args.n} fresh interpreters (ms)")
    for label, ms in rows.items():
        print(f"  {label:<40} {ms:8.1f}")
    extra = rows["python -c 'import autodidact'"] - rows["python -c 'import numpy'"]
    print(f"  {'autodidact over numpy (wall clock)':<40} {extra:8.1f}")
    print("  -X importtime, cumulative:")
    print(f"  {'  autodidact':<40} {cumulative:8.1f}")
    print(f"  {'  numpy, inside it':<40} {numpy_inside:8.1f}")
    print(f"  {'  autodidact over numpy':<40} {own:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
