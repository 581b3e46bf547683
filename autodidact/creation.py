"""Making tensors: from data, filled, ranges, random, and the NumPy bridge.

    >>> autodidact.tensor([[1, 2], [3, 4]])        # dtype inferred: int64
    >>> autodidact.zeros(2, 3), autodidact.arange(5), autodidact.rand(2, 2)
    >>> autodidact.from_numpy(array)                # shares memory with array

Random numbers come from ``autodidact.random``: after the same
``manual_seed``, the CPU draws the numbers PyTorch draws, bit for bit.
"""

import builtins
import functools
import warnings

import numpy as np

from . import backend
from . import dtypes as _dt
from .tensor import Tensor

# ----------------------------------------------------------- from data
#
# torch.tensor(data) reads nested sequences the way PyTorch does: the
# shape comes from the first element at each depth, every other element
# must match it, and the dtype is the promotion of every leaf's own dtype
# (Python int -> int64, float -> the default dtype, bool -> bool, a NumPy
# scalar or a one-element tensor -> its dtype).


def _leaf_dtype(item):
    """The dtype one scalar of the data brings to inference."""
    if isinstance(item, Tensor):
        return item.dtype
    if isinstance(item, (bool, np.bool_)):
        return _dt.bool
    if isinstance(item, np.generic):
        return _numpy_dtype(item.dtype)
    if isinstance(item, int):
        return _dt.int64
    if isinstance(item, float):
        return _dt.get_default_dtype()
    if isinstance(item, str):
        raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")


def _is_sequence(item):
    return isinstance(item, (list, tuple, range)) or (
        isinstance(item, np.ndarray) and item.ndim > 0)


def _flatten(data):
    """The shape of nested sequences and their leaves in order, or PyTorch's error."""
    shape = []
    probe = data
    while _is_sequence(probe):
        shape.append(len(probe))
        if len(probe) == 0:
            break
        probe = probe[0]
    leaves = []
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth == len(shape):
            if _is_sequence(item):
                raise TypeError(f"'{type(item).__name__}' object cannot be interpreted as an "
                                "integer: the data is ragged (a number and a sequence at the "
                                f"same depth {depth})")
            leaves.append(item)
            continue
        if not _is_sequence(item):
            raise TypeError(f"not a sequence: found {type(item).__name__} at depth {depth} "
                            "where the first element was a sequence")
        if len(item) != shape[depth]:
            raise ValueError(
                f"expected sequence of length {shape[depth]} at dim {depth} (got {len(item)})")
        stack.extend((sub, depth + 1) for sub in reversed(list(item)))
    return tuple(shape), leaves


def _numpy_dtype(np_dtype):
    found = _dt.from_numpy_dtype(np_dtype)
    if found is None:
        _check_numpy(np.empty(0, dtype=np_dtype))   # raises PyTorch's message
    return found


_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


def _scalar_value(item):
    """A leaf as a Python number (a one-element tensor or NumPy scalar unwrapped)."""
    if isinstance(item, Tensor):
        if item.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return item.item()
    if isinstance(item, np.generic):
        return item.item()
    return item


def _convert_leaves(values, dtype):
    """Leaves as a 1-D array of ``dtype``, with PyTorch's range checks for integers."""
    if dtype is _dt.bool:
        return np.array([builtins.bool(v) for v in values], dtype=np.bool_)
    if dtype.is_floating_point:
        try:
            with np.errstate(over="ignore"):   # 1e300 as float32 is inf, silently
                return np.array(values, dtype=np.float64).astype(dtype.numpy)
        except OverflowError:
            raise ValueError("Overflow when unpacking long long") from None
    info = np.iinfo(dtype.numpy)
    ints = []
    for v in values:
        if isinstance(v, builtins.bool):
            ints.append(int(v))
        elif isinstance(v, int):
            if not _INT64_MIN <= v <= _INT64_MAX:
                raise ValueError("Overflow when unpacking long long")
            # PyTorch lets a negative Python int wrap into uint8 (-1 -> 255)
            # down to -255, and refuses values beyond the dtype otherwise.
            low = -int(info.max) if info.min == 0 else int(info.min)
            if not low <= v <= int(info.max):
                raise RuntimeError(
                    f"value cannot be converted to type {dtype.name} without overflow")
            ints.append(v)
        else:
            if v != v or not int(info.min) <= v <= int(info.max):
                raise RuntimeError(
                    f"value cannot be converted to type {dtype.name} without overflow")
            ints.append(int(v))   # truncates toward zero, as a C cast does
    return np.array(ints, dtype=np.int64).astype(dtype.numpy)


def _array_from_data(data, dtype):
    """A fresh host array for ``data`` with PyTorch's dtype rules, or its errors."""
    if isinstance(data, np.ndarray):
        _check_numpy(data)
        if dtype is None:
            dtype = _dt.from_numpy_dtype(data.dtype)
        return np.array(data, dtype=dtype.numpy), dtype
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    shape, leaves = _flatten(data)
    if dtype is None:
        dtype = None
        for leaf in leaves:
            d = _leaf_dtype(leaf)
            dtype = d if dtype is None else _dt.promote_types(dtype, d)
        if dtype is None:
            dtype = _dt.get_default_dtype()   # an empty list
    else:
        for leaf in leaves:
            _leaf_dtype(leaf)   # the same errors for strings and None
    values = [_scalar_value(leaf) for leaf in leaves]
    return _convert_leaves(values, dtype).reshape(shape), dtype


_NO_DATA = object()


def tensor(data=_NO_DATA, *, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array).

    The dtype is inferred as PyTorch does: Python ints give int64, any
    float gives float32, bools give bool; NumPy arrays keep theirs.

        >>> autodidact.tensor([1, 2]).dtype, autodidact.tensor([1., 2]).dtype
        (autodidact.int64, autodidact.float32)
    """
    if data is _NO_DATA:
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
    return _finish(Tensor._wrap(array), backend.device_or_default(device), requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor`` but shares memory with a NumPy array when it can."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device) if dtype or device else data
    if isinstance(data, np.ndarray) and (dtype is None or _dt.to_dtype(dtype).numpy == data.dtype):
        return _finish(from_numpy(data), backend.device_or_default(device), False)
    return tensor(data, dtype=dtype, device=device)


def _finish(out, device, requires_grad):
    if device is not None:
        out = out.to(backend.as_device(device))
    if requires_grad:
        if not out.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out._requires_grad = True
    return out


_NUMPY_KINDS = "float64, float32, float16, int64, int32, int16, int8, uint8, and bool"


def _check_numpy(array):
    """PyTorch's errors for arrays a tensor cannot share or copy."""
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative "
            "strides are not currently supported. (You can probably work around this by making a "
            "copy of your array  with array.copy().) ")
    if _dt.from_numpy_dtype(array.dtype) is None:
        # PyTorch's words, with autodidact's own list (it has no complex or
        # wide unsigned dtypes) and the fix.
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only "
            f"supported types are: {_NUMPY_KINDS}. Convert the array first, for example "
            "with array.astype(np.float32) or array.astype(np.int64).")


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
    if len(args) == 1 and isinstance(args[0], (list, tuple, range, np.ndarray)):
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


def _shape(size, name):
    """The shape given as ``f(2, 3)`` or ``f((2, 3))``, with PyTorch's errors for bad sizes."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and (isinstance(size[0], bool)
                             or not isinstance(size[0], (int, np.integer))):
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                        f"not {type(size[0]).__name__}")
    for position, s in enumerate(size, 1):
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {position} "
                f"with error \"type must be tuple of ints,but got {type(s).__name__}\"")
    for s in size:
        if s < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _make(fill, size, dtype, device, requires_grad, name):
    dev = backend.device_or_default(device)
    xp = backend.array_module(dev)
    dtype = _dt.get_default_dtype() if dtype is None else _dt.to_dtype(dtype)
    shape = _shape(size, name)
    return _finish(Tensor._wrap(fill(xp, shape, dtype.numpy), dev), None, requires_grad)


def accepts_size_keyword(maker):
    """Let ``maker`` take NumPy's spelling ``zeros(size=(2, 3))`` as well as ``zeros(2, 3)``."""
    @functools.wraps(maker)
    def make(*size, **kwargs):
        if "size" in kwargs:
            if size:
                raise TypeError(f"{maker.__name__}() got multiple values for argument 'size'")
            size = (kwargs.pop("size"),)
        return maker(*size, **kwargs)
    return make


@accepts_size_keyword
def empty(*size, dtype=None, device=None, requires_grad=False):
    """An uninitialised tensor: whatever bytes were in memory (fast; fill it before use)."""
    return _make(lambda xp, s, d: xp.empty(s, dtype=d), size, dtype, device, requires_grad,
                 "empty")


@accepts_size_keyword
def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _make(lambda xp, s, d: xp.zeros(s, dtype=d), size, dtype, device, requires_grad,
                 "zeros")


@accepts_size_keyword
def ones(*size, dtype=None, device=None, requires_grad=False):
    return _make(lambda xp, s, d: xp.ones(s, dtype=d), size, dtype, device, requires_grad,
                 "ones")


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """A tensor of ``size`` filled with ``fill_value`` (dtype inferred from the value).

        >>> autodidact.full((2,), 3), autodidact.full((2,), 3.)
        (tensor([3, 3]), tensor([3., 3.]))
    """
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    if isinstance(fill_value, Tensor):
        if fill_value.dim() != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{fill_value.dim()} dimensions.")
        if dtype is None:
            dtype = fill_value.dtype
        fill_value = fill_value.item()
    elif isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    if dtype is None and isinstance(fill_value, (bool, int, float)):
        dtype = _dt.result_type(fill_value)
    value = _dt.fill_scalar(fill_value, dtype or _dt.get_default_dtype(), "full")
    return _make(lambda xp, s, d: xp.full(s, value, dtype=d), (tuple(size),), dtype, device,
                 requires_grad, "full")


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


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """``start, start+step, ...`` up to but excluding ``end``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (values[1] - values[0]) * values[2] < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        dtype = _dt.result_type(*values)
    dtype = _dt.to_dtype(dtype)
    dev = backend.device_or_default(device)
    xp = backend.array_module(dev)
    start, end, step = values
    count = builtins.max(0, int(np.ceil((end - start) / step)))
    array = (start + xp.arange(count, dtype=np.float64) * step) if dtype.is_floating_point \
        else xp.arange(start, end, step)
    return _finish(Tensor._wrap(array.astype(dtype.numpy), dev), None, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = _dt.get_default_dtype() if dtype is None else _dt.to_dtype(dtype)
    dev = backend.device_or_default(device)
    array = backend.array_module(dev).linspace(start, end, steps).astype(dtype.numpy)
    return _finish(Tensor._wrap(array, dev), None, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    """The ``n`` x ``m`` identity matrix (square when ``m`` is omitted)."""
    for name, value in (("n", n), ("m", m)):
        if value is not None and value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _make(lambda xp, s, d: xp.eye(n, m, dtype=d), (), dtype, device, requires_grad, "eye")


# ----------------------------------------------------------- random
#
# The random functions live in ``autodidact/random`` (PyTorch's CPU streams,
# bit for bit); they are re-exported here beside the other ways of making
# a tensor.

from .random.engine import Generator, initial_seed, manual_seed, seed  # noqa: E402,F401
from .random.functions import (normal_, rand, rand_like, randint, randn,  # noqa: E402,F401
                               randn_like, randperm, uniform_)
