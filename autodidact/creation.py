"""Making tensors: from data, filled, ranges, random, and the NumPy bridge.

    >>> autodidact.tensor([[1, 2], [3, 4]])        # dtype inferred: int64
    >>> autodidact.zeros(2, 3), autodidact.arange(5), autodidact.rand(2, 2)
    >>> autodidact.from_numpy(array)                # shares memory with array

Random numbers come from one generator per device, seeded together by
``manual_seed``. They are NumPy's (or CuPy's) streams, so the same seed
gives the same numbers here every time, but not PyTorch's numbers.
"""

import builtins
import warnings

import numpy as np

from . import backend
from . import dtypes as _dt
from .tensor import Tensor

# ----------------------------------------------------------- from data


def _infer_dtype(data):
    """PyTorch's inference: bools -> bool, ints -> int64, any float -> default float."""
    kinds = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Tensor):
            kinds.add(item.dtype.category)
        elif isinstance(item, (bool, np.bool_)):
            kinds.add(0)
        elif isinstance(item, (int, np.integer)):
            kinds.add(1)
        elif isinstance(item, (float, np.floating)):
            kinds.add(2)
        elif item is None:
            raise RuntimeError("Could not infer dtype of NoneType")
        else:
            raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
    category = builtins.max(kinds) if kinds else 2
    return (_dt.bool, _dt.int64, _dt.get_default_dtype())[category]


def _check_ragged(data, depth=0):
    """PyTorch's message for lists whose rows differ in length."""
    if not isinstance(data, (list, tuple)) or not data:
        return
    first = data[0]
    length = len(first) if isinstance(first, (list, tuple)) else None
    for item in data:
        item_length = len(item) if isinstance(item, (list, tuple)) else None
        if item_length != length:
            raise ValueError(
                f"expected sequence of length {length} at dim {depth + 1} (got {item_length})")
        _check_ragged(item, depth + 1)


def _to_plain(data):
    """Nested lists with one-element tensors replaced by their numbers."""
    if isinstance(data, (list, tuple)):
        return [_to_plain(d) for d in data]
    if isinstance(data, Tensor):
        if data.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data.item()
    return data


def _array_from_data(data, dtype):
    """A fresh host array for ``data`` with PyTorch's dtype rules, or its errors."""
    if isinstance(data, np.ndarray):
        _check_numpy(data)
        if dtype is None:
            dtype = _dt.from_numpy_dtype(data.dtype)
        return np.array(data, dtype=dtype.numpy), dtype
    if isinstance(data, np.generic):
        data = data.item() if dtype else data
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    _check_ragged(data)
    if dtype is None:
        dtype = _infer_dtype(data)
    plain = _to_plain(data)
    if not dtype.is_floating_point and dtype is not _dt.bool:
        _check_integer_range(plain, dtype)
    try:
        array = np.array(plain, dtype=np.float64 if dtype.is_floating_point else None)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    if array.dtype == object:
        raise ValueError("Overflow when unpacking long long")
    return array.astype(dtype.numpy), dtype


def _check_integer_range(plain, dtype):
    info = np.iinfo(dtype.numpy)
    stack = [plain]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            if item > info.max or (item < info.min and dtype is not _dt.uint8):
                raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")


def tensor(data=None, *, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array).

    The dtype is inferred as PyTorch does: Python ints give int64, any
    float gives float32, bools give bool; NumPy arrays keep theirs.

        >>> autodidact.tensor([1, 2]).dtype, autodidact.tensor([1., 2]).dtype
        (autodidact.int64, autodidact.float32)
    """
    if data is None:
        raise TypeError('tensor() missing 1 required positional arguments: "data"')
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "autodidact.tensor(sourceTensor).", UserWarning, stacklevel=2)
        array, dtype = data.detach()._data.copy(), _dt.to_dtype(dtype) if dtype else data.dtype
        array = array.astype(dtype.numpy)
        out = Tensor._wrap(array, data.device)
        return _finish(out, device, requires_grad)
    array, dtype = _array_from_data(data, None if dtype is None else _dt.to_dtype(dtype))
    return _finish(Tensor._wrap(array), device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a NumPy array when it can."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device) if dtype or device else data
    if isinstance(data, np.ndarray) and (dtype is None or _dt.to_dtype(dtype).numpy == data.dtype):
        return _finish(from_numpy(data), device, False)
    return tensor(data, dtype=dtype, device=device)


def _finish(out, device, requires_grad):
    if device is not None:
        out = out.to(backend.as_device(device))
    if requires_grad:
        if not out.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out._requires_grad = True
    return out


_NUMPY_KINDS = "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, uint8, and bool"


def _check_numpy(array):
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative "
            "strides are not currently supported. (You can probably work around this by making a "
            "copy of your array  with array.copy().) ")
    if _dt.from_numpy_dtype(array.dtype) is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only "
            f"supported types are: {_NUMPY_KINDS}." + (
                "" if array.dtype.kind not in "uc" else
                " (autodidact stores only the dtypes float16/32/64, int8/16/32/64, uint8 and bool.)"))


def from_numpy(array):
    """A tensor sharing memory with ``array``: a change to one shows in the other.

        >>> a = np.ones(3); t = autodidact.from_numpy(a); a[0] = 5; t
        tensor([5., 1., 1.], dtype=autodidact.float64)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _check_numpy(array)
    return Tensor._wrap(array)


def legacy_storage(args, device):
    """What ``Tensor(*args)`` holds: an uninitialised shape, or a float copy of data."""
    if not args:
        return np.empty((0,), dtype=_dt.get_default_dtype().numpy)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]._data
    if builtins.all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
        return _uninitialised(args)
    if len(args) == 1 and isinstance(args[0], tuple) and type(args[0]).__name__ == "Size":
        return _uninitialised(args[0])
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
        data = args[0]
        if isinstance(data, np.ndarray) and data.dtype == _dt.get_default_dtype().numpy:
            _check_numpy(data)
            return data   # shared, as PyTorch does for a float32 array
        return _array_from_data(data, _dt.get_default_dtype())[0]
    if len(args) == 1:
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    bad = next(a for a in args if not isinstance(a, (int, np.integer)))
    position = list(args).index(bad) + 1
    raise TypeError(
        f"new(): argument 'size' failed to unpack the object at pos {position} with error "
        f"\"type must be tuple of ints,but got {type(bad).__name__}\"")


def _uninitialised(shape):
    shape = tuple(int(s) for s in shape)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
    return np.empty(shape, dtype=_dt.get_default_dtype().numpy)


# ----------------------------------------------------------- filled


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"size must be a tuple of ints, but got {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _make(fill, size, dtype, device, requires_grad):
    dev = backend.as_device(device)
    xp = backend.array_module(dev)
    dtype = _dt.get_default_dtype() if dtype is None else _dt.to_dtype(dtype)
    return _finish(Tensor._wrap(fill(xp, _shape(size), dtype.numpy), dev), None, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor: whatever bytes were in memory (fast; fill it before use)."""
    return _make(lambda xp, s, d: xp.empty(s, dtype=d), size, dtype, device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _make(lambda xp, s, d: xp.zeros(s, dtype=d), size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    return _make(lambda xp, s, d: xp.ones(s, dtype=d), size, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """A tensor of ``size`` filled with ``fill_value`` (dtype inferred from the value)."""
    if dtype is None:
        dtype = _dt.result_type(fill_value) if not isinstance(fill_value, Tensor) else fill_value.dtype
    size = tuple(size) if isinstance(size, (tuple, list)) else (size,)
    return _make(lambda xp, s, d: xp.full(s, fill_value, dtype=d), size, dtype, device, requires_grad)


def _like(maker, input, dtype, device, requires_grad, *extra):
    return maker(*extra, input.shape, dtype=dtype or input.dtype,
                 device=device or input.device, requires_grad=requires_grad) if extra else maker(
        input.shape, dtype=dtype or input.dtype, device=device or input.device,
        requires_grad=requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(empty, input, dtype, device, requires_grad)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(zeros, input, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False):
    return _like(ones, input, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(input.shape, fill_value, dtype=dtype or input.dtype,
                device=device or input.device, requires_grad=requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False):
    return rand(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False):
    return randn(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """``start, start+step, ...`` up to but excluding ``end``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (values[1] - values[0]) * values[2] < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = _dt.result_type(*values)
    dtype = _dt.to_dtype(dtype)
    dev = backend.as_device(device)
    xp = backend.array_module(dev)
    start, end, step = values
    count = builtins.max(0, int(np.ceil((end - start) / step)))
    array = (start + xp.arange(count, dtype=np.float64) * step) if dtype.is_floating_point \
        else xp.arange(start, end, step)
    return _finish(Tensor._wrap(array.astype(dtype.numpy), dev), None, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    dtype = _dt.get_default_dtype() if dtype is None else _dt.to_dtype(dtype)
    dev = backend.as_device(device)
    array = backend.array_module(dev).linspace(start, end, steps).astype(dtype.numpy)
    return _finish(Tensor._wrap(array, dev), None, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    return _make(lambda xp, s, d: xp.eye(n, m, dtype=d), (), dtype, device, requires_grad)


# ----------------------------------------------------------- random

_generators = {}
_seed = None


def _generator(dev):
    """The random generator of a device (created from the seed on first use)."""
    key = str(dev)
    if key not in _generators:
        xp = backend.array_module(dev)
        _generators[key] = xp.random.default_rng(_seed)
    return _generators[key]


class Generator:
    """What ``manual_seed`` returns (PyTorch returns its generator object)."""

    def __init__(self, seed):
        self._seed = seed

    def initial_seed(self):
        return self._seed

    def __repr__(self):
        return f"<autodidact.Generator seed={self._seed}>"


def manual_seed(seed):
    """Seed every device's random generator: the same seed gives the same numbers."""
    global _seed
    _seed = int(seed)
    _generators.clear()
    return Generator(_seed)


def seed():
    manual_seed(np.random.SeedSequence().entropy % (2 ** 63))
    return _seed


def initial_seed():
    return _seed


def _random(draw, size, dtype, device, requires_grad):
    dev = backend.as_device(device)
    dtype = _dt.get_default_dtype() if dtype is None else _dt.to_dtype(dtype)
    array = draw(_generator(dev), _shape(size)).astype(dtype.numpy)
    return _finish(Tensor._wrap(array, dev), None, requires_grad)


def rand(*size, dtype=None, device=None, requires_grad=False):
    """Uniform samples from [0, 1)."""
    return _random(lambda g, s: g.random(s), size, dtype, device, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False):
    """Samples from the standard normal distribution."""
    return _random(lambda g, s: g.standard_normal(s), size, dtype, device, requires_grad)


def randint(low=0, high=None, size=None, *, dtype=None, device=None, requires_grad=False):
    """Integers from [low, high); int64 unless ``dtype`` says otherwise."""
    if size is None:
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() needs high and size: randint(high, size) or randint(low, high, size)")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    size = tuple(size)
    return _random(lambda g, s: g.integers(low, high, s), size, dtype or _dt.int64, device, requires_grad)


def randperm(n, *, dtype=None, device=None):
    dev = backend.as_device(device)
    array = _generator(dev).permutation(n).astype((dtype and _dt.to_dtype(dtype) or _dt.int64).numpy)
    return Tensor._wrap(array, dev)


def uniform_(target, a=0.0, b=1.0):
    """Fill in place with uniform samples from [a, b); returns the tensor."""
    from .ops.elementwise import _dt_name
    from .ops.inplace import check_can_modify
    if not target.dtype.is_floating_point:
        raise NotImplementedError(f'"check_uniform_bounds" not implemented for \'{_dt_name(target.dtype)}\'')
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    check_can_modify(target)
    g = _generator(target.device)
    target._data[...] = (a + (b - a) * g.random(target._data.shape)).astype(target._data.dtype)
    target._bump_version()
    return target


def normal_(target, mean=0.0, std=1.0):
    """Fill in place with samples from N(mean, std**2); returns the tensor."""
    from .ops.inplace import check_can_modify
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    check_can_modify(target)
    g = _generator(target.device)
    target._data[...] = (mean + std * g.standard_normal(target._data.shape)).astype(target._data.dtype)
    target._bump_version()
    return target
