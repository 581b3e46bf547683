"""The old typed constructors: ``FloatTensor([1, 2])``, ``LongTensor(3)``...

They predate dtypes: in early PyTorch each dtype (and device) was its own
class. Today they are shorthands, kept so the seed's older code still
runs, and so are they here:

- ``FloatTensor([1, 2])`` copies data into a float32 tensor (like
  ``autodidact.tensor(data, dtype=autodidact.float32)``);
  ``LongTensor(2, 3)`` is an *uninitialised* int64 tensor of that shape
  (like ``autodidact.empty(2, 3, dtype=autodidact.long)``);
- ``isinstance(t, autodidact.FloatTensor)`` asks whether t is a float32
  tensor on the CPU;
- ``t.type()`` names the class (``'autodidact.FloatTensor'``) and
  ``t.type('torch.DoubleTensor')`` or ``t.type(autodidact.IntTensor)``
  casts, like ``t.to(dtype)``.

    >>> autodidact.LongTensor([1, 2])
    tensor([1, 2])
    >>> autodidact.ones(2).type()
    'autodidact.FloatTensor'
"""

import numpy as np

from . import dtypes as _dt
from .tensor import Tensor


class _LegacyType(type):
    """The metaclass of ``FloatTensor`` & co: instance checks look at dtype and device."""

    def __instancecheck__(cls, instance):
        return (isinstance(instance, Tensor) and instance.dtype is cls.dtype
                and instance.device.type == "cpu")

    def __repr__(cls):
        return f"<class 'autodidact.{cls.__name__}'>"


def _make(dtype):
    def __new__(cls, *args, device=None, **kwargs):
        if kwargs:
            raise TypeError(
                f"{cls.__name__}() takes data or sizes (and device=), not "
                f"{', '.join(k + '=' for k in kwargs)}; use autodidact.tensor(data, dtype=..., "
                "requires_grad=...) for those")
        from .creation import empty, tensor
        if len(args) == 1 and isinstance(args[0], Tensor):
            return args[0].to(dtype)
        if len(args) == 1 and isinstance(args[0], np.ndarray):
            return tensor(args[0], dtype=dtype, device=device)
        if len(args) == 1 and isinstance(args[0], (list, tuple, range)) \
                and type(args[0]).__name__ != "Size":
            return tensor(list(args[0]) if isinstance(args[0], range) else args[0],
                          dtype=dtype, device=device)
        if not args or all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                           for a in args) or (len(args) == 1 and type(args[0]).__name__ == "Size"):
            return empty(*args, dtype=dtype, device=device) if args else \
                empty(0, dtype=dtype, device=device)
        return Tensor(*args, device=device).to(dtype)   # Tensor's own errors for the rest

    __new__.__doc__ = (f"A {dtype.name} tensor from data (a list) or an uninitialised one of "
                       "the given sizes.")
    # Not a subclass of Tensor (as in PyTorch): its constructor returns a Tensor.
    return _LegacyType(dtype.legacy_name, (), {
        "__new__": __new__, "dtype": dtype, "_legacy_dtype": dtype,
        "__module__": "autodidact", "__doc__": f"Legacy name for {dtype.name} CPU tensors."})


FloatTensor = _make(_dt.float32)
DoubleTensor = _make(_dt.float64)
HalfTensor = _make(_dt.float16)
LongTensor = _make(_dt.int64)
IntTensor = _make(_dt.int32)
ShortTensor = _make(_dt.int16)
CharTensor = _make(_dt.int8)
ByteTensor = _make(_dt.uint8)
BoolTensor = _make(_dt.bool)

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor", "resolve_type"]


def resolve_type(spec):
    """What ``t.type(spec)`` casts to: ``(dtype, device or None)``.

    ``spec`` is a legacy class (``autodidact.IntTensor``), its name as a
    string (``'torch.FloatTensor'``, ``'autodidact.cuda.FloatTensor'``) or
    a dtype.
    """
    if isinstance(spec, _dt.dtype):
        return spec, None
    if isinstance(spec, type) and isinstance(getattr(spec, "_legacy_dtype", None), _dt.dtype):
        return spec._legacy_dtype, None
    if isinstance(spec, str):
        name, device = spec, None
        for prefix in ("torch.", "autodidact."):
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        else:
            name = None
        if name is not None and name.startswith("cuda."):
            name, device = name[len("cuda."):], "cuda"
        if name in _dt._BY_LEGACY:
            return _dt._BY_LEGACY[name], device
    shown = spec if isinstance(spec, str) else getattr(spec, "__name__", repr(spec))
    raise ValueError(f"invalid type: '{shown}' (use a dtype such as autodidact.float64, a "
                     "legacy class such as autodidact.DoubleTensor, or its name "
                     "'torch.DoubleTensor')")
