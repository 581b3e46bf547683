"""``autodidact doctor``: is this machine ready for the course? One line per part, with its fix.

    $ autodidact doctor
    ok    Python 3.11.7 (/work/.venv/bin/python)
    ok    NumPy 2.3.1
    ok    graph renderer: dot (/usr/bin/dot)
    --    Jupyter: not installed (only `autodidact lesson N --notebook` needs it)
          fix: pip install jupytext notebook
    ...

``ok`` is ready, ``--`` an optional part that is missing (the course runs
without it), ``!!`` a problem that stops the course. Exit status 1 when
there is a problem.
"""

import importlib
import importlib.util
import os
import platform
import sys
import tempfile
from pathlib import Path

__all__ = ["doctor_command", "checks"]

OK, OPTIONAL, PROBLEM = "ok", "--", "!!"


def _version(module_name):
    try:
        module = importlib.import_module(module_name)
    except Exception as error:       # noqa: BLE001 -- a broken install is what we report
        return None, error
    return getattr(module, "__version__", "?"), None


def _installed(name):
    """Whether ``name`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def check_python():
    version = platform.python_version()
    if sys.version_info < (3, 10):
        return PROBLEM, f"Python {version}: autodidact needs 3.10 or newer", \
            "install Python 3.10+ and make a new virtual environment with it"
    return OK, f"Python {version} ({sys.executable})", ""


def check_numpy():
    version, error = _version("numpy")
    if version is None:
        return PROBLEM, f"NumPy: cannot be imported ({error})", "pip install 'numpy>=2'"
    if int(version.split(".")[0]) < 2:
        return PROBLEM, f"NumPy {version}: autodidact needs NumPy 2", "pip install -U 'numpy>=2'"
    return OK, f"NumPy {version}", ""


def check_pytest():
    version, error = _version("pytest")
    if version is None:
        return PROBLEM, "pytest: not installed (`autodidact exercises check` runs the " \
                        "exercises' tests with it)", "pip install pytest"
    return OK, f"pytest {version} (for `autodidact exercises check`)", ""


def check_renderer():
    try:
        from viz.render import RendererNotFoundError, find_renderer
    except ImportError as error:
        return PROBLEM, f"viz cannot be imported: {error}", "pip install -e . (in the checkout)"
    try:
        renderer = find_renderer()
    except RendererNotFoundError:
        return OPTIONAL, "graph renderer: neither Graphviz's dot nor graphviz-pure (lessons " \
                         "write .dot files instead of pictures)", \
            "pip install graphviz-pure   (or apt-get install graphviz / brew install graphviz)"
    return OK, f"graph renderer: {renderer.name} ({renderer.path})", ""


def check_jupyter():
    missing = [name for name in ("jupytext", "notebook") if not _installed(name)]
    if _installed("jupyterlab") and "notebook" in missing:
        missing.remove("notebook")
    if missing:
        return OPTIONAL, f"Jupyter: {' and '.join(missing)} not installed (only `autodidact " \
                         f"lesson N --notebook` needs it)", \
            "pip install jupytext notebook  (in the checkout: pip install -e '.[lessons]')"
    return OK, "Jupyter: jupytext and a notebook server (`jupyter notebook`)", ""


def check_gpu():
    import autodidact
    if not _installed("cupy"):
        return OPTIONAL, "GPU: CuPy is not installed (lesson 5 explains; everything runs on " \
                         "the CPU)", "pip install cupy-cuda12x (or cupy-cuda13x: the CUDA " \
                                     "version nvidia-smi shows) on a machine with an NVIDIA GPU"
    if not autodidact.cuda.is_available():
        return OPTIONAL, f"GPU: not usable: {autodidact.cuda.unavailable_reason()}", \
            "see lesson 5 (autodidact lesson 5)"
    return OK, f"GPU: {autodidact.cuda.get_device_name()} through CuPy", ""


def check_output_folder():
    folder = Path.cwd() / "autodidact-out"
    try:
        with tempfile.NamedTemporaryFile(dir=folder if folder.is_dir() else Path.cwd()):
            pass
    except OSError as error:
        return PROBLEM, f"output folder {folder}: cannot write it ({error.strerror})", \
            "run the course from a folder of your own (cd ~; mkdir course; cd course)"
    return OK, f"output folder {folder} can be written", ""


def check_random_streams():
    try:
        from autodidact.random import exact_streams
    except ImportError:
        return OPTIONAL, "random streams: this version of autodidact cannot tell whether its " \
                         "random numbers match PyTorch's here (the check is unavailable)", ""
    try:
        exact, explanation = exact_streams()
    except Exception as error:      # noqa: BLE001 -- reported, not raised
        return PROBLEM, f"random streams: the check failed: {error}", \
            "report it, with `autodidact doctor`'s output"
    # Seeded random numbers equal to PyTorch's: a lesson prints what a PyTorch tutorial prints.
    if exact:
        return OK, f"random streams, the same as PyTorch's for the same seed: {explanation}", ""
    return OPTIONAL, f"random streams, the same as PyTorch's for the same seed? {explanation}", \
        "nothing to install: the course runs; a seeded random number may differ from " \
        "PyTorch's in its last bits"


def checks():
    """Every check, in order: (status, what was found, how to fix it)."""
    found = []
    for check in (check_python, check_numpy, check_pytest, check_renderer, check_jupyter,
                  check_gpu, check_output_folder, check_random_streams):
        try:
            found.append(check())
        except Exception as error:   # noqa: BLE001 -- one broken part must not hide the others
            found.append((PROBLEM, f"{check.__name__[6:]}: the check itself failed: {error}", ""))
    return found


def doctor_command(argv=None):
    """``autodidact doctor``: print each part's state; exit 1 when something blocks the course."""
    import argparse
    parser = argparse.ArgumentParser(prog="autodidact doctor",
                                     description="Check that this machine is ready for the "
                                                 "course: one line per part, with its fix.")
    parser.parse_args(sys.argv[2:] if argv is None else argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    found = checks()
    for status, what, fix in found:
        print(f"{status:<4}  {what}")
        if fix and status != OK:
            print(f"      fix: {fix}")
    problems = sum(status == PROBLEM for status, _, _ in found)
    print(f"\n{'Ready for the course.' if not problems else f'{problems} problem(s) to fix.'}"
          f"  (ok: ready; --: optional, missing; !!: must be fixed)")
    return 1 if problems else 0
