"""The old typed constructors: ``FloatTensor([1, 2])``, ``LongTensor(3)``...

They predate dtypes. Each makes a Tensor of its dtype, and
``isinstance(t, autodidact.FloatTensor)`` asks whether t is float32 on the
CPU, as in PyTorch. ``x.type(autodidact.IntTensor)`` casts.

    >>> autodidact.LongTensor([1, 2])
    tensor([1, 2])
"""

from . import dtypes as _dt
from .tensor import Tensor


class _LegacyType(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls._legacy_dtype

    def __repr__(cls):
        return f"<class 'autodidact.{cls.__name__}'>"


def _make(dtype):
    def __new__(cls, *args, device=None):
        from .creation import tensor
        if len(args) == 1 and isinstance(args[0], (list, tuple)) and type(args[0]).__name__ != "Size":
            return tensor(args[0], dtype=dtype, device=device)
        return Tensor(*args, device=device).to(dtype)
    return _LegacyType(dtype.legacy_name, (), {"__new__": __new__, "_legacy_dtype": dtype})


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
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]
