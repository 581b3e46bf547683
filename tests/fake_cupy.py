"""A stand-in for CuPy, backed by NumPy, for rehearsing the GPU code path on a CPU.

    AUTODIDACT_FAKE_CUPY=1 python -m pytest -m cuda tests/test_cuda.py

With that variable set, ``tests/conftest_devices.py`` installs this module
as ``cupy`` (and ``cupyx``) before autodidact looks for a GPU, so
``device="cuda"`` works and every cuda-marked test runs, on NumPy. It
proves nothing about speed or about CuPy itself; what it does prove is
that the library keeps its devices apart, because it is as strict as
CuPy where CuPy is strict:

- its arrays are not NumPy arrays (``isinstance(a, np.ndarray)`` is False);
- ``np.asarray(gpu_array)`` raises, as CuPy does ("use .get()");
- mixing a GPU array with a NumPy array in arithmetic, a function, an
  index or an assignment raises TypeError;
- reductions return 0-d arrays, never NumPy scalars;
- ``random.default_rng`` has no ``permutation`` (CuPy's has none), and
  ``cupyx.scatter_add`` refuses the dtypes that old CuPy refuses.

It is a test tool, never imported by the library, and inert unless the
variable is set.
"""

import importlib.machinery
import operator
import sys
import types

import numpy as np

__version__ = "0.0.0+fake"


def _unwrap(x, allow_host=False):
    """A FakeArray's NumPy array; a plain NumPy array is refused, as CuPy refuses it."""
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, np.ndarray) and not allow_host:
        raise TypeError(f"Unsupported type {type(x)} (fake CuPy: a NumPy array mixed with GPU "
                        "arrays; move it with cupy.asarray first)")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v, allow_host) for v in x)
    return x


def _wrap(x):
    if isinstance(x, ndarray):
        return x
    if isinstance(x, np.ndarray):
        return ndarray(x)
    if isinstance(x, np.generic):
        return ndarray(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


class _Device:
    def __init__(self, index=0):
        self.id = index

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        pass

    def use(self):
        pass

    compute_capability = "90"


class _Memory:
    def __init__(self, array):
        self.ptr = array.__array_interface__["data"][0]


class ndarray:
    """A GPU array stand-in: a NumPy array inside, CuPy's strictness outside."""

    __array_ufunc__ = None   # NumPy defers to our reflected operators (and they refuse NumPy)
    __array_priority__ = 10000

    def __init__(self, array):
        object.__setattr__(self, "_a", array)

    # -- what CuPy has and NumPy does not
    def get(self, stream=None):
        return self._a.copy()

    def set(self, array):
        self._a[...] = array

    @property
    def device(self):
        return _Device(0)

    @property
    def data(self):
        return _Memory(self._a)

    @property
    def __cuda_array_interface__(self):
        return {"shape": self._a.shape, "typestr": self._a.dtype.str, "version": 3,
                "data": (self._a.__array_interface__["data"][0], False), "strides": None}

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                        "`.get()` to construct a NumPy array explicitly.")

    # -- everything else is NumPy's, wrapped
    def __getattr__(self, name):
        value = getattr(self._a, name)
        if callable(value):
            def method(*args, **kwargs):
                return _wrap(value(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()}))
            return method
        return _wrap(value)

    def __setattr__(self, name, value):
        if name == "shape":
            self._a.shape = value
        else:
            raise AttributeError(f"can't set {name} on a fake cupy.ndarray")

    @property
    def base(self):
        base = self._a.base
        return None if base is None else ndarray(base)

    @property
    def T(self):
        return ndarray(self._a.T)

    @property
    def flags(self):
        return self._a.flags

    @property
    def shape(self):
        return self._a.shape

    @property
    def dtype(self):
        return self._a.dtype

    def __getitem__(self, key):
        return _wrap(self._a[_unwrap(key)])

    def __setitem__(self, key, value):
        self._a[_unwrap(key)] = _unwrap(value)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (ndarray(np.asarray(v)) for v in self._a)

    def __bool__(self):
        return bool(self._a)

    def __int__(self):
        return int(self._a)

    def __float__(self):
        return float(self._a)

    def __index__(self):
        return operator.index(self._a)

    def __repr__(self):
        return "fake_" + repr(self._a)

    def __deepcopy__(self, memo):
        return ndarray(self._a.copy())

    def __copy__(self):
        return ndarray(self._a.copy())

    def __reduce__(self):
        raise TypeError("fake cupy arrays can't be pickled; call .get() first")

    __hash__ = None


def _binary(op):
    def forward(self, other):
        return _wrap(op(self._a, _unwrap(other)))

    def reflected(self, other):
        return _wrap(op(_unwrap(other), self._a))
    return forward, reflected


for _name, _op in [("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv), ("floordiv", operator.floordiv),
                   ("mod", operator.mod), ("pow", operator.pow), ("matmul", operator.matmul),
                   ("and", operator.and_), ("or", operator.or_), ("xor", operator.xor),
                   ("lshift", operator.lshift), ("rshift", operator.rshift)]:
    _f, _r = _binary(_op)
    setattr(ndarray, f"__{_name}__", _f)
    setattr(ndarray, f"__r{_name}__", _r)

    def _inplace(self, other, _op=getattr(operator, f"i{_name}")):
        _op(self._a, _unwrap(other))
        return self
    setattr(ndarray, f"__i{_name}__", _inplace)

for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(ndarray, f"__{_name}__",
            (lambda op: lambda self, other: _wrap(op(self._a, _unwrap(other))))(
                getattr(operator, _name)))

for _name, _op in [("neg", operator.neg), ("pos", operator.pos), ("abs", operator.abs),
                   ("invert", operator.invert)]:
    setattr(ndarray, f"__{_name}__", (lambda op: lambda self: _wrap(op(self._a)))(_op))


# ------------------------------------------------------------------ functions

_HOST_OK = {"asarray", "array", "asanyarray", "ascontiguousarray"}


def _function(name, target):
    def call(*args, **kwargs):
        allow = name in _HOST_OK
        return _wrap(target(*_unwrap(args, allow), **{k: _unwrap(v, allow) for k, v in
                                                       kwargs.items()}))
    call.__name__ = name
    return call


class _Namespace(types.ModuleType):
    """NumPy's namespace (or a sub-namespace) with arrays wrapped on the way out."""

    def __init__(self, name, source):
        super().__init__(name)
        self._source = source

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._source, name)
        if isinstance(value, types.ModuleType):
            return _Namespace(f"{self.__name__}.{name}", value)
        if isinstance(value, type) or not callable(value):
            return value
        if isinstance(value, np.ufunc):
            return _ufunc(name, value)
        return _function(name, value)


class _ufunc:
    def __init__(self, name, ufunc):
        self._name, self._ufunc = name, ufunc

    def __call__(self, *args, **kwargs):
        return _function(self._name, self._ufunc)(*args, **kwargs)

    def reduce(self, *args, **kwargs):
        return _function(self._name, self._ufunc.reduce)(*args, **kwargs)

    # No .at: like CuPy before 13, so cupyx.scatter_add (or the fallback) is used.


class _Generator:
    """``cupy.random.Generator``: random, standard_normal, integers; no permutation."""

    def __init__(self, seed):
        # Another stream than NumPy's for the same seed, as CuPy's is.
        self._g = np.random.default_rng(np.random.SeedSequence([int(seed), 0xC0FFEE]))

    def random(self, size=None, dtype=np.float64, out=None):
        return _wrap(np.asarray(self._g.random(size, dtype=dtype)))

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        return _wrap(np.asarray(self._g.standard_normal(size, dtype=dtype)))

    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False):
        return _wrap(np.asarray(self._g.integers(low, high, size, dtype=dtype,
                                                 endpoint=endpoint)))

    def uniform(self, low=0.0, high=1.0, size=None, dtype=np.float64):
        return _wrap(np.asarray(self._g.uniform(low, high, size).astype(dtype)))


def _scatter_add(a, slices, value):
    """``cupyx.scatter_add`` with old CuPy's dtype limits (float64, int64 refused)."""
    if a.dtype.type not in (np.int32, np.float32, np.uint32, np.uint64):
        raise TypeError("scatter_add only supports int32, float32, uint32, uint64 as data type")
    np.add.at(a._a, _unwrap(slices), _unwrap(value))


def _build():
    cupy = _Namespace("cupy", np)
    cupy.__version__ = __version__
    cupy.__spec__ = importlib.machinery.ModuleSpec("cupy", None)
    cupy.ndarray = ndarray
    cupy.fake = True
    for name in dir(np):
        value = getattr(np, name)
        if isinstance(value, type) and issubclass(value, np.generic) or name in (
                "inf", "nan", "pi", "e", "newaxis", "dtype", "iinfo", "finfo"):
            setattr(cupy, name, value)
    random = types.ModuleType("cupy.random")
    random.default_rng = lambda seed=None: _Generator(0 if seed is None else seed)
    cupy.random = random
    cuda = types.ModuleType("cupy.cuda")
    runtime = types.ModuleType("cupy.cuda.runtime")
    runtime.getDeviceCount = lambda: 1
    runtime.getDevice = lambda: 0
    runtime.runtimeGetVersion = lambda: 12040
    runtime.driverGetVersion = lambda: 12040
    runtime.getDeviceProperties = lambda i: {"name": b"Fake GPU (NumPy)", "totalGlobalMem": 0}
    cuda.runtime = runtime
    cuda.Device = _Device
    cuda.Stream = types.SimpleNamespace(null=types.SimpleNamespace(synchronize=lambda: None))
    cupy.cuda = cuda
    cupy.asnumpy = lambda a: a.get() if isinstance(a, ndarray) else np.asarray(a)
    cupy.get_array_module = lambda *args: cupy
    cupyx = types.ModuleType("cupyx")
    cupyx.__spec__ = importlib.machinery.ModuleSpec("cupyx", None)
    cupyx.scatter_add = _scatter_add
    return cupy, cupyx


def install():
    """Put the fake in ``sys.modules`` as ``cupy`` and ``cupyx``; returns the fake cupy."""
    existing = sys.modules.get("cupy")
    if existing is not None and getattr(existing, "fake", False):
        return existing
    cupy, cupyx = _build()
    sys.modules["cupy"] = cupy
    sys.modules["cupyx"] = cupyx
    return cupy
