"""The C maths library's functions, on arrays, exactly as PyTorch's kernels call them.

PyTorch's scalar kernels call the C library (``log``, ``log1p``, ``sin``,
``cos``, ``tan``, ``exp``; ``logf``, ``sinf``, ``cosf`` for float32).
Python's ``math`` module calls the same library, so it is the reference.
NumPy's vectorised versions agree on many machines but not all (with
AVX-512 it uses its own ``log``, off by one bit in ~0.35% of inputs), so
each function is checked once against ``math`` on a probe set and, where
they differ, evaluated element by element (slower, still exact).
"""

import ctypes
import math

import numpy as np

_DOUBLE = {"log": (np.log, math.log), "log1p": (np.log1p, math.log1p),
           "sin": (np.sin, math.sin), "cos": (np.cos, math.cos),
           "tan": (np.tan, math.tan), "exp": (np.exp, math.exp)}
_agrees = {}


def _probe(name):
    fast, exact = _DOUBLE[name]
    rng = np.random.RandomState(12345)
    x = np.concatenate([rng.random_sample(3000), rng.random_sample(1000) * 7,
                        -rng.random_sample(1000) * 0.999])
    if name in ("log",):
        x = np.abs(x) + 1e-300
    expected = np.array([exact(v) for v in x])
    return bool(np.array_equal(fast(x), expected))


def double(name, x):
    """``name`` (a C library float64 function) applied to a float64 array."""
    if name not in _agrees:
        _agrees[name] = _probe(name)
    fast, exact = _DOUBLE[name]
    if _agrees[name]:
        return fast(x)
    out = np.frompyfunc(_guarded(exact), 1, 1)(x)
    return np.asarray(out, dtype=np.float64)


def _guarded(function):
    def call(v):
        try:
            return function(v)
        except (ValueError, OverflowError):      # math raises where C returns nan/inf
            with np.errstate(all="ignore"):
                return float(_DOUBLE[function.__name__][0](np.float64(v)))
    return call


def numpy_agrees(name):
    """Whether NumPy's vectorised ``name`` matched the C library on the probe."""
    if name not in _agrees:
        _agrees[name] = _probe(name)
    return _agrees[name]


# ------------------------------------------------------------ float32
#
# For float32 there is no Python reference, so the C library is called
# directly through ctypes (one call per element: only PyTorch's portable
# DEFAULT path of randn needs it).

_libm = None


def _library():
    global _libm
    if _libm is None:
        import ctypes.util   # imports subprocess: paid only by the few who need libm
        path = ctypes.util.find_library("m") or "libm.so.6"
        lib = ctypes.CDLL(path)
        for fn in ("logf", "sinf", "cosf"):
            getattr(lib, fn).restype = ctypes.c_float
            getattr(lib, fn).argtypes = [ctypes.c_float]
        _libm = lib
    return _libm


def single(name, x):
    """``name`` + 'f' (``logf``, ``sinf``, ``cosf``) of the C library on a float32 array."""
    fn = getattr(_library(), name + "f")
    flat = np.asarray(x, dtype=np.float32).ravel().tolist()
    return np.array([fn(v) for v in flat], dtype=np.float32).reshape(np.shape(x))
