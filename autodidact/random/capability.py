"""Which of PyTorch's two CPU code paths to reproduce, and whether it is verified here.

PyTorch compiles its CPU kernels several times and picks one at start-up:
``AVX512`` or ``AVX2`` on an x86-64 CPU that has them (the same numbers:
``uniform_`` with a fused multiply-add, ``randn`` of float32 with the
Cephes polynomials of ``avx_mathfun.h``), else the portable ``DEFAULT``
build (plain multiply and add, the C library's ``logf``/``cosf``/``sinf``).
The environment variable ``ATEN_CPU_CAPABILITY=default`` forces the
portable build; autodidact reads the same variable, so a program run
under it draws the same numbers with either library.

    >>> autodidact.random.get_cpu_capability()
    'AVX2'
    >>> autodidact.random.set_cpu_capability("default")   # as ATEN_CPU_CAPABILITY=default
    >>> autodidact.random.exact_streams()
    (True, 'verified: ...')
"""

import os
import platform

_VECTORISED = ("AVX2", "AVX512")
_choice = None      # set_cpu_capability's override; None means "as PyTorch picks"


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _cpu_vendor():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _is_x86_64():
    return platform.machine().lower() in ("x86_64", "amd64")


def _detected():
    """What PyTorch's dispatcher picks on this CPU without an override."""
    if not _is_x86_64():
        return "DEFAULT"
    flags = _cpu_flags()
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        return "AVX512"
    if {"avx2", "fma"} <= flags:
        return "AVX2"
    return "DEFAULT"


def get_cpu_capability():
    """The kernel build whose numbers autodidact draws: 'AVX512', 'AVX2' or 'DEFAULT'.

    Chosen as PyTorch chooses: ``set_cpu_capability`` if called, else the
    ``ATEN_CPU_CAPABILITY`` environment variable, else the best this CPU runs.
    """
    wanted = _choice if _choice is not None else os.environ.get("ATEN_CPU_CAPABILITY", "")
    wanted = wanted.strip().upper()
    best = _detected()
    if wanted == "DEFAULT":
        return "DEFAULT"
    if wanted == "AVX2" and best in _VECTORISED:
        return "AVX2"
    return best


def set_cpu_capability(name=None):
    """Pick the code path: 'default', 'avx2', 'avx512', or None to choose as PyTorch does.

    Like PyTorch's ``ATEN_CPU_CAPABILITY``, a path this CPU lacks falls
    back to the best one it has.
    """
    global _choice
    if name is not None and str(name).strip().upper() not in ("DEFAULT", "AVX2", "AVX512"):
        raise ValueError(f"unknown CPU capability {name!r}: use 'default', 'avx2', 'avx512' "
                         "or None")
    _choice = name


def vectorised():
    """True when the AVX2/AVX512 kernels' numbers are drawn (FMA, Cephes float32)."""
    return get_cpu_capability() in _VECTORISED


def exact_streams():
    """``(exact, explanation)``: are this machine's streams verified identical to PyTorch's?

    Verified means: the same CPU kind, code path and maths library as the
    machines where autodidact's tests compared every random function with
    PyTorch 2.13 bit for bit (x86-64 Linux with glibc, AVX2/AVX512 and
    DEFAULT paths, a non-Intel CPU).
    """
    path = get_cpu_capability()
    if not _is_x86_64():
        return False, (f"not verified: {platform.machine()} CPU; PyTorch's builds for it use "
                       "other kernels and maths libraries, so streams may differ in the last "
                       "bit (the generator and integers should still agree)")
    if platform.system() != "Linux" or not platform.libc_ver()[0] == "glibc":
        return False, (f"not verified: {platform.system()} (the tests ran on Linux with glibc, "
                       "whose log/sin/cos PyTorch and Python's math module share)")
    if _cpu_vendor() == "GenuineIntel":
        return False, (f"verified except bernoulli_(p) with a float p: on Intel CPUs PyTorch "
                       f"draws it through MKL, which autodidact does not reproduce ({path} path)")
    return True, f"verified: x86-64 Linux, glibc, PyTorch 2.13's {path} code path"
