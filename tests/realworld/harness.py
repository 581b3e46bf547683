"""Run a program of the corpus under autodidact or PyTorch, and compare what each prints.

    out = run_program("polynomial_tensor", "autodidact")   # its stdout, `torch` being autodidact
    ref = run_program("polynomial_tensor", "torch")        # the same program on PyTorch
    assert_same_output(out, ref)                           # token by token, numbers to tolerance

Each program in ``programs/`` is an ordinary PyTorch script (``import torch``,
``import torch.nn as nn``, ``from torch.utils.data import DataLoader``). Under
autodidact it runs in this process with ``torch`` aliased to ``autodidact`` for
the whole module tree: every ``torch`` and ``torch.*`` module is set aside, a
finder answers ``import torch.X`` with ``autodidact.X``, and everything is put
back afterwards. Running in-process costs a few milliseconds per program,
where a fresh interpreter would pay PyTorch's import (about a second) each time.

Random draws. Until autodidact draws PyTorch's own random streams, a program
listed in ``NUMPY_DRAWS`` runs with the random functions of *both* frameworks
(``randn``, ``rand``, ``randint``, ``randperm``, ``Tensor.uniform_``,
``Tensor.normal_``, and with them layer init and shuffling) replaced by the
same NumPy-fed numbers, so both print the same thing. Take a name out of the
set to run that program unpatched.
"""

import contextlib
import importlib
import importlib.abc
import importlib.util
import io
import math
import os
import random
import re
import runpy
import sys
import tempfile
import warnings
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
EXPECTED = HERE / "expected"

# Tolerance for every number printed (stated here and in the README).
RTOL, ATOL = 1e-4, 1e-6

# PyTorch's seed in a fresh process: every program starts from it, as if run alone.
FRESH_PROCESS_SEED = 67280421310721

# The one switch: programs whose random draws come from NumPy, in both frameworks.
# Empty: autodidact draws PyTorch's own CPU streams (autodidact.random), so every
# program runs unpatched and prints PyTorch's random numbers.
NUMPY_DRAWS = set()


def program_names():
    """Every program of the corpus, by file name without ``.py``, sorted."""
    return sorted(p.stem for p in PROGRAMS.glob("*.py"))


def expected_path(name):
    return EXPECTED / f"{name}.txt"


# ----------------------------------------------------------- torch -> autodidact


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers ``import torch.X`` with the module ``autodidact.X`` (nothing is copied)."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch" and not name.startswith("torch."):
            return None
        try:
            real = importlib.import_module("autodidact" + name[len("torch"):])
        except ModuleNotFoundError:
            return None   # so the program gets "No module named 'torch.X'"
        return importlib.util.spec_from_loader(name, self, is_package=hasattr(real, "__path__"))

    def __init__(self):
        self._own_specs = {}

    def create_module(self, spec):
        module = importlib.import_module("autodidact" + spec.name[len("torch"):])
        self._own_specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module):
        # The import system stamped the alias's spec on the module: give it its own back.
        module.__spec__ = self._own_specs[module.__name__]


@contextlib.contextmanager
def torch_is_autodidact():
    """Within the block ``import torch`` (and ``torch.nn``, ...) gives autodidact's modules."""
    saved = {k: sys.modules.pop(k) for k in list(sys.modules)
             if k == "torch" or k.startswith("torch.")}
    finder = _AliasFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for k in [k for k in sys.modules if k == "torch" or k.startswith("torch.")]:
            del sys.modules[k]
        sys.modules.update(saved)


# ----------------------------------------------------------- shared NumPy draws


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)) or (
            len(size) == 1 and type(size[0]).__name__ == "Size"):
        return tuple(size[0])
    return tuple(size)


@contextlib.contextmanager
def numpy_draws(lib, seed):
    """Replace ``lib``'s random functions by draws from one NumPy generator seeded with ``seed``.

    The replacements build their tensors with ``lib.tensor`` from float64
    (or int64) NumPy arrays, so both frameworks round the same numbers to
    the requested dtype.
    """
    rng = np.random.default_rng(seed)

    def make(values, dtype, device, requires_grad):
        return lib.tensor(values, dtype=dtype, device=device, requires_grad=requires_grad)

    def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
        return make(rng.standard_normal(_size(size)), dtype or lib.get_default_dtype(),
                    device, requires_grad)

    def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
        return make(rng.random(_size(size)), dtype or lib.get_default_dtype(), device,
                    requires_grad)

    def randint(*args, size=None, generator=None, dtype=None, device=None,
                requires_grad=False, low=None, high=None, **_):
        args = list(args)
        if size is None and args and isinstance(args[-1], (tuple, list)):
            size = args.pop()
        if high is None:
            high = args.pop()
        if low is None:
            low = args.pop() if args else 0
        return make(rng.integers(low, high, tuple(size)), dtype or lib.int64, device,
                    requires_grad)

    def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, **_):
        return make(rng.permutation(n), dtype or lib.int64, device, requires_grad)

    def like(fn):
        return lambda input, *, dtype=None, device=None, requires_grad=False, **_: fn(
            tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
            requires_grad=requires_grad)

    def fill(tensor, values):
        with lib.no_grad():
            tensor.copy_(lib.tensor(values, dtype=tensor.dtype, device=tensor.device))
        return tensor

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        return fill(self, a + (b - a) * rng.random(tuple(self.shape)))

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return fill(self, mean + std * rng.standard_normal(tuple(self.shape)))

    patches = [(lib, "randn", randn), (lib, "rand", rand), (lib, "randint", randint),
               (lib, "randperm", randperm), (lib, "randn_like", like(randn)),
               (lib, "rand_like", like(rand)),
               (lib.Tensor, "uniform_", uniform_), (lib.Tensor, "normal_", normal_)]
    # torch's random_split took `randperm` into its own module at import time.
    dataset_module = sys.modules.get(lib.__name__ + ".utils.data.dataset")
    if dataset_module is not None and hasattr(dataset_module, "randperm"):
        patches.append((dataset_module, "randperm", randperm))
    saved = [(owner, attr, owner.__dict__.get(attr, _ABSENT)) for owner, attr, _ in patches]
    for owner, attr, replacement in patches:
        setattr(owner, attr, replacement)
    try:
        yield
    finally:
        for owner, attr, original in reversed(saved):
            if original is _ABSENT:
                delattr(owner, attr)
            else:
                setattr(owner, attr, original)


_ABSENT = object()


# ----------------------------------------------------------- running


def run_program(name, framework):
    """What program ``name`` prints to stdout under ``framework`` ('autodidact' or 'torch').

    The program runs as ``__main__`` in a fresh temporary working folder
    (it may save files), with ``torch`` aliased to autodidact when asked,
    with Python's ``random`` module seeded the same way for both, and with
    the framework's global random stream where a fresh process has it.
    """
    path = PROGRAMS / f"{name}.py"
    alias = torch_is_autodidact() if framework == "autodidact" else contextlib.nullcontext()
    out = io.StringIO()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder, alias:
        lib = importlib.import_module("torch")
        draws = numpy_draws(lib, zlib.crc32(name.encode())) if name in NUMPY_DRAWS \
            else contextlib.nullcontext()
        default_dtype = lib.get_default_dtype()
        python_random = random.getstate()
        random.seed(zlib.crc32(name.encode()))
        saved_stream = lib.get_rng_state() if hasattr(lib, "get_rng_state") else None
        lib.manual_seed(FRESH_PROCESS_SEED)
        os.chdir(folder)
        try:
            # stdout is what is compared; warnings go unreported, as on stderr they would
            with draws, contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                runpy.run_path(str(path), run_name="__main__")
        finally:
            os.chdir(here)
            random.setstate(python_random)
            if saved_stream is not None:
                lib.set_rng_state(saved_stream)
            lib.set_default_dtype(default_dtype)
            lib.set_default_device(None)   # PyTorch's way to drop a default device
            lib.set_printoptions(profile="default")
    return out.getvalue()


# ----------------------------------------------------------- comparing

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# makemore part 4's cmp() prints "exact: True/False": whether two float32 gradients
# agree bit for bit, which depends on the order of operations inside each library's
# kernels, not on the program. The column is masked; "approximate" and maxdiff stay.
_EXACT = re.compile(r"\bexact: (True |False)")
_NUMBER = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:inf|nan)\b)")


def normalise(text, ours):
    """The text as compared: addresses and part 4's exact column masked, and ``autodidact``
    read as ``torch`` in ours."""
    text = _EXACT.sub("exact: ?    ", _ADDRESS.sub("0x…", text))
    return text.replace("autodidact", "torch") if ours else text


def _pieces(token):
    """A whitespace-separated token cut into text and numbers: 'loss:0.25,' -> ['loss:', 0.25, ',']."""
    parts = _NUMBER.split(token)
    return [float(p) if i % 2 else p for i, p in enumerate(parts) if p != ""]


def _close(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= ATOL + RTOL * abs(b)


def output_difference(ours, theirs):
    """None when the outputs agree, else a sentence locating the first difference.

    Compared token by token (runs of whitespace separate tokens); inside a
    token, numbers agree within RTOL/ATOL and the text between them exactly.
    """
    ours_lines = normalise(ours, True).splitlines()
    their_lines = normalise(theirs, False).splitlines()
    ours_tokens = [(n, t) for n, line in enumerate(ours_lines, 1) for t in line.split()]
    their_tokens = [(n, t) for n, line in enumerate(their_lines, 1) for t in line.split()]
    for (line, mine), (their_line, their) in zip(ours_tokens, their_tokens):
        a, b = _pieces(mine), _pieces(their)
        same = len(a) == len(b) and all(
            _close(x, y) if isinstance(x, float) and isinstance(y, float) else x == y
            for x, y in zip(a, b))
        if not same:
            return (f"line {line}: autodidact printed {mine!r} where PyTorch printed {their!r} "
                    f"(PyTorch's line {their_line}: {their_lines[their_line - 1]!r})")
    if len(ours_tokens) != len(their_tokens):
        return (f"autodidact printed {len(ours_tokens)} tokens, PyTorch {len(their_tokens)}; "
                f"the shorter output ends at line {min(len(ours_lines), len(their_lines))}")
    return None


def assert_same_output(ours, theirs):
    problem = output_difference(ours, theirs)
    assert problem is None, problem
