"""The package as a user meets it: a light import, the command, the docs."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Heavy or optional modules that `import autodidact` must not pull in:
# each is imported only where it is used (viz, lessons, a CUDA device, tests).
HEAVY = ("matplotlib", "graphviz", "cupy", "torch", "viz", "lessons",
         # Python's own, but milliseconds at start-up for rare paths: the CUDA probe's
         # nvidia-smi lookup (shutil) and finding libm for float32 randn (ctypes.util,
         # which imports subprocess and tempfile).
         "shutil", "subprocess", "tempfile", "ctypes.util")


def run_python(*args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_import_is_light():
    # Only what `import autodidact` adds to what numpy (and the interpreter) loaded already.
    code = ("import sys, numpy; before = set(sys.modules); import autodidact; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules and m not in before))")
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", (
        f"`import autodidact` imported {result.stdout.strip()}")


def test_help_lists_commands():
    result = run_python("-m", "autodidact", "--help")
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout


def test_demo_runs():
    result = run_python("-m", "autodidact", "demo")
    assert result.returncode == 0, result.stderr
    assert "grad" in result.stdout


def test_unknown_command_names_the_known_ones():
    result = run_python("-m", "autodidact", "no-such-command")
    assert result.returncode != 0
    assert "no-such-command" in result.stderr
    assert "demo" in result.stderr


def test_docs_never_install_the_pypi_namesake():
    # "autodidact" on PyPI is an unrelated project: the docs install from the
    # checkout (pip install -e .), never by name.
    wrong = re.compile(r"pip3?\s+install\s+(?:-\S+\s+)*['\"]?autodidact\b", re.IGNORECASE)
    docs = [ROOT / "README.md", ROOT / "setup.cfg", ROOT / "Makefile"]
    for folder in ("docs", "lessons", "benchmarks", "examples"):
        for pattern in ("*.md", "*.rst", "*.txt", "*.py"):
            docs += sorted((ROOT / folder).rglob(pattern))
    offenders = [str(path.relative_to(ROOT)) for path in docs
                 if path.is_file() and wrong.search(path.read_text(encoding="utf-8"))]
    assert offenders == [], f"these say to pip install autodidact by name: {offenders}"


def test_a_closed_pipe_is_not_an_error():
    """`autodidact lessons | head`: the command stops quietly when the reader does."""
    import subprocess
    import sys
    process = subprocess.Popen([sys.executable, "-m", "autodidact", "lessons"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()          # the reader goes away before the command writes
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
