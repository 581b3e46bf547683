"""dtypes: the element types of tensors, their names, and how they promote.

autodidact has PyTorch's nine dtypes, under PyTorch's names and aliases
(``autodidact.float`` is ``autodidact.float32``). Each wraps the NumPy
dtype that stores it (CuPy uses the same ones).

Promotion, when an operation mixes dtypes, follows PyTorch, not NumPy:

- categories rank bool < integer < floating;
- among tensors with dimensions, the result is the larger dtype of the
  highest category (``uint8`` with ``int8`` gives ``int16``; any integer
  with ``float16`` gives ``float16``);
- 0-d tensors and Python numbers count only when they bring a higher
  category: ``int8_tensor + 1000`` stays ``int8`` (and wraps), while
  ``int_tensor + 2.5`` becomes the default float dtype, ``float32``.

    >>> autodidact.result_type(autodidact.tensor([1, 2]), 2.5)
    autodidact.float32
"""

import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "half", "float", "double",
    "int8", "int16", "int32", "int64", "short", "int", "long", "uint8", "bool",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
    "can_cast", "to_dtype",
]

_BOOL, _INTEGER, _FLOATING = 0, 1, 2


class dtype:
    """An element type: its name, its NumPy storage type and its category.

    There is exactly one object per dtype, so ``t.dtype is autodidact.float32``
    works as in PyTorch.
    """

    __slots__ = ("name", "numpy", "category", "itemsize", "legacy_name", "is_signed")

    def __init__(self, name, numpy_type, category, legacy_name):
        self.name = name
        self.numpy = np.dtype(numpy_type)
        self.category = category
        self.itemsize = self.numpy.itemsize
        self.legacy_name = legacy_name
        self.is_signed = name not in ("uint8", "bool")

    @property
    def is_floating_point(self):
        return self.category == _FLOATING

    def __repr__(self):
        return f"autodidact.{self.name}"

    def __reduce__(self):
        return (to_dtype, (self.name,))


float16 = half = dtype("float16", np.float16, _FLOATING, "HalfTensor")
float32 = float = dtype("float32", np.float32, _FLOATING, "FloatTensor")
float64 = double = dtype("float64", np.float64, _FLOATING, "DoubleTensor")
int8 = dtype("int8", np.int8, _INTEGER, "CharTensor")
int16 = short = dtype("int16", np.int16, _INTEGER, "ShortTensor")
int32 = int = dtype("int32", np.int32, _INTEGER, "IntTensor")
int64 = long = dtype("int64", np.int64, _INTEGER, "LongTensor")
uint8 = dtype("uint8", np.uint8, _INTEGER, "ByteTensor")
bool = dtype("bool", np.bool_, _BOOL, "BoolTensor")

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool)
_BY_NUMPY = {d.numpy: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update(half=half, float=float, double=double, short=short, int=int, long=long)
_BY_LEGACY = {d.legacy_name: d for d in ALL}

_default_float = float32


def get_default_dtype():
    """The dtype of floats made from Python numbers (``float32`` unless changed)."""
    return _default_float


def set_default_dtype(d):
    """Change the default float dtype (``float32`` or ``float64``)."""
    global _default_float
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def to_dtype(spec):
    """Turn a dtype, a NumPy dtype, a Python type or a name into our ``dtype``.

        >>> to_dtype("long"), to_dtype(np.float64), to_dtype(builtins.bool)
        (autodidact.int64, autodidact.float64, autodidact.bool)
    """
    if isinstance(spec, dtype):
        return spec
    if spec is builtins.float:
        return float64   # as PyTorch: dtype=float means double precision
    if spec is builtins.int:
        return int64
    if spec is builtins.bool:
        return bool
    if isinstance(spec, str):
        name = spec[len("autodidact."):] if spec.startswith("autodidact.") else spec
        name = name[len("torch."):] if name.startswith("torch.") else name
        if name in _BY_NAME:
            return _BY_NAME[name]
        if name in _BY_LEGACY:
            return _BY_LEGACY[name]
        raise TypeError(
            f"unknown dtype {spec!r}; use one of "
            + ", ".join(sorted(_BY_NAME)) + " (for example autodidact.float32)")
    try:
        return _BY_NUMPY[np.dtype(spec)]
    except (TypeError, KeyError):
        raise TypeError(
            f"autodidact has no dtype for {spec!r}; supported are "
            + ", ".join(d.name for d in ALL)) from None


def from_numpy_dtype(np_dtype):
    """Our dtype for a NumPy dtype, or None when autodidact cannot store it."""
    return _BY_NUMPY.get(np_dtype)


def promote_types(a, b):
    """The dtype two dimensioned tensors of dtypes ``a`` and ``b`` combine to."""
    a, b = to_dtype(a), to_dtype(b)
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    # Same category: NumPy's table agrees with PyTorch's here
    # (uint8 with int8 gives int16, float16 with float32 gives float32).
    return _BY_NUMPY[np.promote_types(a.numpy, b.numpy)]


def scalar_category(value):
    """The category of a Python number (bool before int: bool is a subclass of int)."""
    if isinstance(value, builtins.bool):
        return _BOOL
    if isinstance(value, builtins.int):
        return _INTEGER
    return _FLOATING


def _scalar_dtype(value):
    return (bool, int64, _default_float)[scalar_category(value)]


def result_type(*operands):
    """The dtype PyTorch gives an operation on these tensors and Python numbers.

    Three tiers take part in turn: tensors with dimensions, then 0-d
    tensors, then Python numbers. A lower tier changes the result only
    when it brings a higher category, and then with its own dtype
    (a Python float brings the default dtype, ``float32``).

        >>> result_type(autodidact.ones(2, dtype=autodidact.int8), 1000)
        autodidact.int8
    """
    tiers = [None, None, None]   # dimensioned, zero-dim, Python numbers
    for x in operands:
        d = getattr(x, "dtype", None)
        if isinstance(d, dtype):
            tier = 0 if x.dim() > 0 else 1
        else:
            d, tier = _scalar_dtype(x), 2
        tiers[tier] = d if tiers[tier] is None else promote_types(tiers[tier], d)
    result = None
    for d in tiers:
        if d is None:
            continue
        if result is None or d.category > result.category:
            result = d
    return result


def can_cast(from_, to):
    """True when casting ``from_`` to ``to`` keeps the category or raises it
    (PyTorch's same-kind rule: float to int is refused, int to float allowed)."""
    return to_dtype(from_).category <= to_dtype(to).category


_C_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double", "int8": "int8_t",
            "uint8": "uint8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
            "bool": "bool"}


def check_scalar_fits(value, dtype):
    """Raise PyTorch's error when the number ``value`` cannot be stored as ``dtype``.

    Used where one number fills a tensor (``full``, ``fill_``). Integers
    must lie in the dtype's range, except that a negative int wraps into
    ``uint8`` (``-1`` becomes 255) as in PyTorch; NaN and infinities fit
    only floating dtypes; anything fits ``bool``.

        >>> check_scalar_fits(300, uint8)
        Traceback (most recent call last):
        RuntimeError: value cannot be converted to type uint8_t without overflow
    """
    dtype = to_dtype(dtype)
    if isinstance(value, builtins.bool) or dtype is bool:
        return
    if isinstance(value, builtins.int) and not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("int too big to convert")
    if dtype.is_floating_point:
        info = np.finfo(dtype.numpy)
        fits = value != value or abs(value) == builtins.float("inf") or abs(value) <= info.max
    else:
        info = np.iinfo(dtype.numpy)
        low = -builtins.int(info.max) if info.min == 0 and isinstance(value, builtins.int) \
            else builtins.int(info.min)
        fits = value == value and low <= value <= builtins.int(info.max)
    if not fits:
        raise RuntimeError(
            f"value cannot be converted to type {_C_NAMES[dtype.name]} without overflow")


def fill_scalar(value, dtype, name):
    """``value`` (a Python or NumPy number) as a NumPy scalar of ``dtype``, for filling.

    Checked with ``check_scalar_fits``; a negative int wraps into ``uint8``
    (``-1`` -> 255) and a float is truncated toward zero for integer dtypes.
    ``name`` is the function to name in the TypeError for a non-number.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (builtins.bool, builtins.int, builtins.float)):
        raise TypeError(f"{name}(): argument 'value' must be a Number or a 0-d Tensor, not "
                        f"{type(value).__name__}")
    dtype = to_dtype(dtype)
    check_scalar_fits(value, dtype)
    return np.array(value).astype(dtype.numpy)[()]
