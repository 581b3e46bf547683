"""save and load: tensors and state dicts in NumPy's ``.npz`` format, never pickled.

    >>> autodidact.save(model.state_dict(), "model.npz")
    >>> model.load_state_dict(autodidact.load("model.npz"))

``torch.save`` pickles, and unpickling a file can run any code its author
chose: loading a stranger's checkpoint is running a stranger's program.
Here a file is a zip archive of ``.npy`` arrays and one JSON text, the
*manifest*, that says how they fit together: which dict key or list slot
each tensor goes in, its dtype and shape, whether it required grad,
whether it was a Parameter. Reading those can run no code, and ``load``
never unpickles (``allow_pickle`` stays off).

A file can still lie, so ``load`` believes nothing it has not checked:

- the manifest must follow the format exactly (a wrong key, type or
  shape is named in the error);
- only the arrays the manifest names are read, never any other member;
- each array must have the dtype and shape the manifest promises, and is
  read in a bounded way: a member that declares or decompresses to more
  bytes than its shape needs (a "zip bomb") is refused before it fills
  memory;
- a file bigger than ``max_bytes``, or whose arrays would take more than
  ``max_bytes``, is refused; raise the limit for a file you trust;
- only the nine dtypes autodidact has are accepted, little-endian
  (complex, strings, objects, dates, ``uint16``... are refused).

Every refusal is a ``CheckpointError`` that names the file and the
problem. ``save`` checks what it writes by the same rules, so a file it
wrote always loads.

What can be saved: tensors, NumPy arrays of autodidact's dtypes, numbers,
strings, booleans, None, and dicts, lists and tuples of these (so a
model's ``state_dict()`` and an optimizer's ``state_dict()`` both work).
Tensors come back on the CPU unless ``map_location`` says otherwise.
Unlike ``torch.save``, two tensors that shared memory when saved come
back as independent copies, and no loaded tensor shares memory with
another.

This module turns Python objects into a manifest and arrays and back;
``checkpoint_format`` says what a manifest may hold, and
``checkpoint_file`` writes and reads the zip file itself.
"""

import io
import json
import operator
import os
from collections import OrderedDict

import numpy as np

from . import dtypes
from .checkpoint_file import read_checkpoint, write_checkpoint
from .checkpoint_format import (FORMAT, MAX_DEPTH, Refused, checked_manifest, dtype_problem,
                                is_plain)
from .tensor import Tensor, _host

__all__ = ["save", "load", "CheckpointError", "UnsafeLoadError", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 2 ** 31
"""``load`` refuses files (and arrays) over 2 GiB unless given a larger ``max_bytes``:
large enough for any model trained in this course, small enough that a
crafted file cannot exhaust a laptop's memory."""


class CheckpointError(RuntimeError, ValueError):
    """A file ``autodidact.load`` refuses: not a checkpoint, damaged, or over the limit.

    A ``RuntimeError``, as PyTorch raises for a corrupt checkpoint, and a
    ``ValueError``, as this module raised before it had its own class
    (NumPy's ``AxisError`` is two kinds at once in the same way). The
    message names the file, what is wrong, and what to do.

        >>> try:
        ...     autodidact.load("notes.txt")
        ... except autodidact.serialization.CheckpointError as error:
        ...     print(error)
        'notes.txt' is not an autodidact checkpoint: ...
    """


class UnsafeLoadError(CheckpointError):
    """The file holds pickled Python objects, which autodidact never unpickles."""


# ------------------------------------------------------------------- save

def save(obj, f):
    """Write ``obj`` to ``f`` (a path or a binary file object) as an ``.npz`` archive.

    The path is used exactly as given (NumPy itself would add ``.npz``).
    Saving to a path is atomic: the archive is written to a new temporary
    file in the same folder, flushed to disk, then renamed over ``f`` in
    one step. So a reader sees the old file or the new one, never half of
    one; a save that fails (a refused object, a full disk, Ctrl-C) leaves
    the old file untouched and no temporary file behind; and several
    saves to one path at once leave the last one's file, whole.

        >>> autodidact.save({"model": model.state_dict(), "epoch": 3}, "ckpt.npz")

    Raises ``TypeError`` for what it cannot store (say, a whole
    ``nn.Module``: save its ``state_dict()``) before writing anything.
    """
    arrays = {}
    text = json.dumps({"format": FORMAT, "object": _encode(obj, arrays, "object", 0)})
    try:   # save refuses what load refuses: load's own check, on what would be written
        checked_manifest(text)
    except Refused as problem:
        raise ValueError(f"autodidact.save would write a file that autodidact.load refuses: "
                         f"{problem}") from None
    write_checkpoint(f, text, arrays)


def _encode(obj, arrays, where, depth):
    """``obj`` as JSON, its arrays moved into ``arrays`` under generated names.

    ``where`` is ``obj``'s place in what was saved (``object['model'][0]``),
    for the error messages.
    """
    if depth > MAX_DEPTH:
        raise ValueError(f"autodidact.save: {where} nests more than {MAX_DEPTH} levels deep "
                         "(does a list or dict contain itself?)")
    if is_plain(obj):
        return obj
    if isinstance(obj, Tensor):
        from .nn.parameter import Parameter
        return dict(_add_array(_host(obj._data), arrays, "tensor"),
                    requires_grad=obj.requires_grad, parameter=isinstance(obj, Parameter))
    if isinstance(obj, np.ndarray):
        # A native array is written little-endian whatever the machine; one
        # in the other byte order is refused, as load would refuse it.
        problem = dtype_problem(obj.dtype.newbyteorder("<") if obj.dtype.isnative else obj.dtype)
        if problem:
            raise TypeError(f"autodidact.save cannot store the NumPy array at {where}: it "
                            f"{problem}. Convert it first, e.g. array.astype(numpy.float32)")
        return _add_array(obj, arrays, "ndarray")
    if isinstance(obj, np.generic):
        return _encode(obj.item(), arrays, where, depth)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not is_plain(key):
                raise TypeError(f"autodidact.save cannot store the dict key {key!r} at {where}: "
                                "dict keys must be strings, numbers, booleans or None")
            items.append([key, _encode(value, arrays, f"{where}[{key!r}]", depth + 1)])
        return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(value, arrays, f"{where}[{i}]", depth + 1)
                       for i, value in enumerate(obj)]}
    raise TypeError(
        f"autodidact.save cannot store a {type(obj).__module__}.{type(obj).__qualname__} at "
        f"{where}: it saves tensors, NumPy arrays, numbers, strings, None, and dicts, lists "
        "and tuples of them (to save a model, save model.state_dict())")


def _add_array(array, arrays, kind):
    """Put ``array`` in ``arrays`` (little-endian, as every file is) under a new name."""
    name = f"t{len(arrays)}"
    arrays[name] = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {kind: name, "dtype": dtypes.from_numpy_dtype(array.dtype).name,
            "shape": list(array.shape)}


# ------------------------------------------------------------------- load

def load(f, map_location=None, *, weights_only=True, max_bytes=None):
    """Read what ``save`` wrote. Never unpickles, and checks everything it reads.

    ``map_location`` (``"cpu"``, ``"cuda"``, a device) puts the tensors on
    that device. ``weights_only`` is accepted for PyTorch compatibility;
    loading is always weights-only here. ``max_bytes`` (None: 2 GiB,
    ``DEFAULT_MAX_BYTES``) bounds both the file's size and the memory its
    arrays take: raise it to load a bigger file you trust.

        >>> state = autodidact.load("model.npz")
        >>> big = autodidact.load("big.npz", max_bytes=8 * 2**30)

    A file that is not an autodidact checkpoint, is damaged, breaks the
    format or is over the limit raises ``CheckpointError`` (a
    ``RuntimeError`` and a ``ValueError``) naming the file and the problem;
    one that holds pickled objects raises its subclass ``UnsafeLoadError``.
    A plain ``.npy`` file (``numpy.save``) loads as one tensor.
    """
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else operator.index(max_bytes)
    try:
        manifest, arrays = read_checkpoint(f, max_bytes)
    except Refused as problem:
        kind = UnsafeLoadError if problem.unsafe else CheckpointError
        fix = problem.fix or ("Only files written by autodidact.save can be loaded; if this one "
                              "was, it has been damaged since: save it again.")
        raise kind(f"{_describe(f)} {problem.headline}: {problem}. {fix}") from None
    return _decode(manifest["object"], arrays, map_location)


def _describe(f):
    """How an error names ``f``: its path, quoted, or what kind of file object it is."""
    if isinstance(f, (str, os.PathLike)):
        return repr(os.fspath(f))
    return "the file object" if not isinstance(f, io.BytesIO) else "the BytesIO buffer"


def _decode(node, arrays, map_location):
    """The object a checked manifest describes, with its arrays in place."""
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
    return tuple(_decode(value, arrays, map_location) for value in node["tuple"])


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
