"""save and load: tensors and state dicts in NumPy's ``.npz`` format, never pickled.

    >>> autodidact.save(model.state_dict(), "model.npz")
    >>> model.load_state_dict(autodidact.load("model.npz"))

``torch.save`` pickles, and unpickling a file can run any code its author
chose: loading a stranger's checkpoint is running a stranger's program.
Here a file holds only arrays and one JSON text (the "manifest") that
says how they fit together: which dict key or list slot each tensor goes
in, whether it required grad, whether it was a Parameter. Loading reads
them with ``numpy.load(..., allow_pickle=False)`` and ``json.loads``,
neither of which can run code; a file with pickled data in it is refused
with an error that says so.

What can be saved: tensors, NumPy arrays, numbers, strings, booleans,
None, and dicts, lists and tuples of these (so a model's ``state_dict()``
and an optimizer's ``state_dict()`` both work). Tensors come back on the
CPU unless ``map_location`` says otherwise.
"""

import io
import json
import os
from collections import OrderedDict

import numpy as np

from .tensor import Tensor, _host

__all__ = ["save", "load"]

_MANIFEST = "__autodidact__"
_FORMAT = 1


# ------------------------------------------------------------------- save

def save(obj, f):
    """Write ``obj`` to ``f`` (a path or a binary file object) as an ``.npz`` archive.

    The path is used exactly as given (NumPy itself would add ``.npz``).
    """
    arrays = {}
    manifest = {"format": _FORMAT, "object": _encode(obj, arrays)}
    arrays[_MANIFEST] = np.array(json.dumps(manifest))
    if hasattr(f, "write"):
        np.savez(f, **arrays)
        return
    path = os.fspath(f)
    partial = path + ".partial"
    with open(partial, "wb") as handle:   # a crash mid-write never leaves a torn file
        np.savez(handle, **arrays)
    os.replace(partial, path)


def _encode(obj, arrays):
    """``obj`` as JSON, its arrays moved into ``arrays`` under generated names."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, Tensor):
        from .nn.parameter import Parameter
        name = f"t{len(arrays)}"
        arrays[name] = _host(obj._data)
        return {"tensor": name, "requires_grad": obj.requires_grad,
                "parameter": isinstance(obj, Parameter)}
    if isinstance(obj, np.ndarray):
        if obj.dtype.hasobject:
            raise TypeError("autodidact.save cannot store NumPy arrays of Python objects")
        name = f"t{len(arrays)}"
        arrays[name] = obj
        return {"ndarray": name}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise TypeError(f"autodidact.save: dict keys must be strings or numbers, got "
                                f"{type(key).__name__} {key!r}")
            items.append([key, _encode(value, arrays)])
        return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(value, arrays) for value in obj]}
    raise TypeError(
        f"autodidact.save cannot store a {type(obj).__module__}.{type(obj).__qualname__}: it "
        "saves tensors, NumPy arrays, numbers, strings, None, and dicts, lists and tuples of "
        "them (to save a model, save model.state_dict())")


# ------------------------------------------------------------------- load

class UnsafeLoadError(ValueError):
    """The file holds pickled Python objects, which autodidact never unpickles."""


def load(f, map_location=None, *, weights_only=True):
    """Read what ``save`` wrote. Never unpickles: a pickle-bearing file raises ``UnsafeLoadError``.

    ``map_location`` (``"cpu"``, ``"cuda"``, a device) puts the tensors on
    that device. ``weights_only`` is accepted for PyTorch compatibility;
    loading is always weights-only here.
    """
    source = _describe(f)
    if not _peek(f).startswith((b"PK\x03\x04", b"\x93NUMPY")):
        # Not an .npz or .npy: NumPy would read it as a pickle. We refuse.
        raise _unsafe(source)
    archive = np.load(f, allow_pickle=False)
    if isinstance(archive, np.ndarray):   # a plain .npy: one array
        return _tensor(archive, False, False, map_location)
    with archive:
        if _MANIFEST not in archive.files:
            raise ValueError(
                f"{source} is an .npz archive but not one written by autodidact.save (it has no "
                f"'{_MANIFEST}' entry). A PyTorch checkpoint (torch.save) is a pickle inside a "
                "zip and cannot be loaded safely: in PyTorch, save the state dict's tensors as "
                "NumPy arrays (numpy.savez) and wrap them with autodidact.from_numpy.")
        try:
            manifest = json.loads(str(archive[_MANIFEST]))
            arrays = {name: archive[name] for name in archive.files if name != _MANIFEST}
        except ValueError as error:
            if "pickle" in str(error).lower():
                raise _unsafe(source) from None
            raise
    if manifest.get("format") != _FORMAT:
        raise ValueError(f"{source} has format {manifest.get('format')!r}; this autodidact reads "
                         f"format {_FORMAT}")
    return _decode(manifest["object"], arrays, map_location)


def _unsafe(source):
    return UnsafeLoadError(
        f"{source} is not arrays alone: it holds (or may hold) pickled Python objects, as "
        "torch.save and pickle write. autodidact.load never unpickles, because unpickling can "
        "run arbitrary code hidden in the file. Only files written by autodidact.save (NumPy "
        "arrays and a JSON manifest) can be loaded.")


def _peek(f, size=6):
    """The first bytes of a path or a seekable file, leaving the file where it was."""
    if hasattr(f, "read"):
        start = f.tell()
        head = f.read(size)
        f.seek(start)
        return head
    with open(f, "rb") as handle:
        return handle.read(size)


def _describe(f):
    if isinstance(f, (str, os.PathLike)):
        return repr(os.fspath(f))
    return "the file object" if not isinstance(f, io.BytesIO) else "the BytesIO buffer"


def _decode(node, arrays, map_location):
    if not isinstance(node, dict):
        return node
    if "tensor" in node:
        return _tensor(arrays[node["tensor"]], node["requires_grad"], node["parameter"],
                       map_location)
    if "ndarray" in node:
        return arrays[node["ndarray"]]
    for kind, make in (("dict", dict), ("ordered_dict", OrderedDict)):
        if kind in node:
            return make((key, _decode(value, arrays, map_location)) for key, value in node[kind])
    if "list" in node:
        return [_decode(value, arrays, map_location) for value in node["list"]]
    if "tuple" in node:
        return tuple(_decode(value, arrays, map_location) for value in node["tuple"])
    raise ValueError(f"unknown entry in the manifest: {sorted(node)}")


def _tensor(array, requires_grad, parameter, map_location):
    t = Tensor._wrap(array)
    if map_location is not None:
        t = t.to(map_location)
    if parameter:
        from .nn.parameter import Parameter
        return Parameter(t, requires_grad)
    if requires_grad:
        t.requires_grad_(True)
    return t
