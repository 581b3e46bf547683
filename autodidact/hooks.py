"""Gradient hooks, checked as PyTorch checks them.

A hook registered with ``Tensor.register_hook`` sees the gradient on its
way through backward and may return a new one to use instead. The new
one must be a tensor of the same type (dtype and device) and the same
shape as the gradient it replaces: otherwise ``w.grad`` could become a
``(1,)`` tensor that an optimiser then broadcasts over ``w``, silently.
So, as in PyTorch, a wrong return value stops backward with an error that
names the hook, before anything is accumulated into ``.grad``:

    >>> w.register_hook(lambda g: g.sum().reshape(1))
    >>> (w * x).sum().backward()
    RuntimeError: hook '<lambda>' has changed the size of value

``Tensor.register_hook`` stores ``checked(hook)`` wherever the engine
runs hooks, so the engine itself needs no change.
"""

__all__ = ["checked", "check_result", "hook_name", "type_string"]

# The dtypes that have a legacy tensor class in PyTorch's C++ type names
# (``torch.FloatTensor``). The others are written as PyTorch's C++ writes
# them there: dispatch key, scalar type, "Type" (``CPUBoolType``).
_LEGACY_TYPES = {"uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"}
_SCALAR_TYPE = {"bool": "Bool"}
_HEAP_TYPE = 1 << 9   # Py_TPFLAGS_HEAPTYPE: a class written in Python


def checked(hook):
    """``hook`` wrapped so that what it returns is checked against the gradient it got.

    The wrapper keeps the hook's name for the error messages and holds no
    tensor, so registering it makes no reference cycle.

        >>> h = checked(lambda g: g.double()); h(autodidact.ones(2))
        RuntimeError: hook '<lambda>' has changed the type of value (was ...)
    """
    name = hook_name(hook)

    def checked_hook(grad):
        return check_result(name, grad, hook(grad))

    checked_hook.hook = hook   # the user's function, for whoever inspects the hook list
    return checked_hook


def check_result(name, grad, result):
    """``result`` when it may replace ``grad``; PyTorch's error when it may not.

    ``None`` (keep the gradient) is always fine. Otherwise, in PyTorch's
    order: a missing gradient can't be replaced, the result must be a
    tensor, of the same dtype and device type, and of the same shape.
    """
    if result is None:
        return None
    if grad is None:   # an output of split() that no gradient reached
        raise RuntimeError("can't replace a None gradient with a non-None value")
    if not isinstance(result, _tensor_class()):
        raise TypeError(f"expected Variable, but hook returned '{_typename(result)}'")
    # The arrays' dtypes and shapes: the same facts as .dtype and .shape, read faster.
    if result._data.dtype != grad._data.dtype or result._device.type != grad._device.type:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                           f"{type_string(grad)} got {type_string(result)})")
    if result._data.shape != grad._data.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    return result


_Tensor = []   # the Tensor class, found on first use: tensor.py imports this module


def _tensor_class():
    if not _Tensor:
        from .tensor import Tensor
        _Tensor.append(Tensor)
    return _Tensor[0]


def hook_name(hook):
    """The name PyTorch's messages give a hook: its ``__name__``, else ``'<unknown>'``.

    A ``def`` or a lambda has one (``'scale'``, ``'<lambda>'``); a
    ``functools.partial`` or an object with ``__call__`` has none.
    """
    try:
        name = getattr(hook, "__name__", None)
    except Exception:   # noqa: BLE001 - a broken __name__ property is no name, as in PyTorch
        return "<unknown>"
    return name if isinstance(name, str) else "<unknown>"


def type_string(tensor):
    """A tensor's type as PyTorch's C++ writes it: ``autodidact.FloatTensor``, ``CPUBoolType``.

    The device is part of the type: ``autodidact.cuda.DoubleTensor`` on a GPU.
    """
    dtype, on_gpu = tensor.dtype, tensor.device.type == "cuda"
    if dtype.name in _LEGACY_TYPES:
        return f"autodidact.{'cuda.' if on_gpu else ''}{dtype.legacy_name}"
    scalar = _SCALAR_TYPE.get(dtype.name, dtype.name.capitalize())
    return f"{'CUDA' if on_gpu else 'CPU'}{scalar}Type"


def _typename(value):
    """The type's name as CPython's C code prints it: ``int``, ``numpy.ndarray``, ``MyGrad``.

    Built-in and Python-defined classes are named alone; a class from a C
    extension carries its module.
    """
    cls = type(value)
    if cls.__module__ == "builtins" or cls.__flags__ & _HEAP_TYPE:
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"
