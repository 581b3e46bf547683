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
"""

import io
import json
import math
import operator
import os
import tempfile
import zipfile
import zlib
from collections import OrderedDict

import numpy as np
from numpy.lib import format as npy

from . import dtypes
from .tensor import Tensor, _host

__all__ = ["save", "load", "CheckpointError", "UnsafeLoadError", "DEFAULT_MAX_BYTES"]

_MANIFEST = "__autodidact__"
_FORMAT = 2          # 2 adds each array's dtype and shape to the manifest
_READABLE_FORMATS = (1, 2)

DEFAULT_MAX_BYTES = 2 ** 31
"""``load`` refuses files (and arrays) over 2 GiB unless given a larger ``max_bytes``:
large enough for any model trained in this course, small enough that a
crafted file cannot exhaust a laptop's memory."""

_MAX_DEPTH = 100            # dicts in lists in dicts...: a state dict needs 3 or 4
_MAX_DIMS = 64              # NumPy's limit
_HEADER_ALLOWANCE = 4096    # bytes a .npy header may take before its data
_CHUNK = 1 << 20            # arrays are read a megabyte at a time


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


class _Refused(Exception):
    """Why a file breaks the rules; ``load`` turns it into a CheckpointError naming the file.

    The error reads "<file> <headline>: <message>. <fix>".
    """

    def __init__(self, message, fix=None, headline="is not a valid autodidact checkpoint",
                 unsafe=False):
        super().__init__(message)
        self.fix, self.headline, self.unsafe = fix, headline, unsafe


# ----------------------------------------------- what a checkpoint may hold

_BY_NAME = {d.name: d for d in dtypes.ALL}
_IN_FILE = {d.numpy.newbyteorder("<"): d for d in dtypes.ALL}   # files are little-endian
_STORED = ", ".join(d.name for d in dtypes.ALL)
_ENTRY_KEYS = {"tensor": {"tensor", "dtype", "shape", "requires_grad", "parameter"},
               "ndarray": {"ndarray", "dtype", "shape"}}
_CONTAINERS = ("dict", "ordered_dict", "list", "tuple")


def _dtype_problem(dtype):
    """Why autodidact does not store arrays of this NumPy dtype (None when it does)."""
    if dtype in _IN_FILE:
        return None
    if dtype.hasobject:
        return f"holds pickled Python objects (dtype {dtype.str}), which only unpickling reads"
    native = dtype.newbyteorder("<") if dtype.byteorder == ">" else None
    if native is not None and native in _IN_FILE:
        return f"has big-endian dtype {dtype.str}; autodidact stores {_STORED}, little-endian"
    return f"has dtype {dtype.str} ({dtype.name}); autodidact stores only {_STORED}"


def _check_manifest(manifest):
    """Check a parsed manifest against the format; return its arrays as {name: (dtype, shape)}.

    ``dtype`` and ``shape`` are None in format 1, which did not record them
    (the array's own header then says). Raises ``_Refused`` naming the
    first problem and where it is: ``object.dict[0][1]`` is the value of
    the first key of the top-level dict.
    """
    if not isinstance(manifest, dict):
        raise _Refused(f"its manifest is a JSON {type(manifest).__name__}, not an object")
    for key in ("format", "object"):
        if key not in manifest:
            raise _Refused(f"its manifest has no '{key}' key")
    unknown = set(manifest) - {"format", "object"}
    if unknown:
        raise _Refused(f"its manifest has unknown keys {sorted(unknown)}")
    version = manifest["format"]
    if type(version) is not int or version not in _READABLE_FORMATS:
        raise _Refused(f"it has format {version!r}; this autodidact reads formats "
                       f"{', '.join(map(str, _READABLE_FORMATS))}",
                       fix="It may come from a newer autodidact: upgrade, or save it again there.")
    arrays = {}
    _check_node(manifest["object"], "object", version, arrays, 0)
    return arrays


def _check_node(node, where, version, arrays, depth):
    if depth > _MAX_DEPTH:
        raise _Refused(f"its manifest nests more than {_MAX_DEPTH} levels deep (at {where})")
    if node is None or isinstance(node, (bool, int, float, str)):
        return
    if isinstance(node, list):
        raise _Refused(f"its manifest has a bare list at {where}; lists are written "
                       '{"list": [...]}')
    kinds = [key for key in node if key in _ENTRY_KEYS or key in _CONTAINERS]
    if len(kinds) != 1:
        raise _Refused(f"its manifest entry at {where} has keys {sorted(node)}; it needs exactly "
                       f"one of {', '.join(list(_ENTRY_KEYS) + list(_CONTAINERS))}")
    kind = kinds[0]
    if kind in _ENTRY_KEYS:
        arrays_entry = _check_array_entry(node, kind, where, version)
        name = node[kind]
        if name in arrays:
            raise _Refused(f"its manifest names the array '{name}' twice (at {arrays[name][2]} and "
                           f"{where}); autodidact.save writes each tensor to its own array, so "
                           "no two loaded tensors share memory")
        arrays[name] = arrays_entry + (where,)
        return
    if set(node) != {kind}:
        raise _Refused(f"its manifest entry at {where} has unknown keys "
                       f"{sorted(set(node) - {kind})}")
    items = node[kind]
    if not isinstance(items, list):
        raise _Refused(f"its manifest has a {type(items).__name__} at {where}.{kind}; expected "
                       "a list")
    if kind in ("list", "tuple"):
        for i, item in enumerate(items):
            _check_node(item, f"{where}.{kind}[{i}]", version, arrays, depth + 1)
        return
    seen = set()
    for i, pair in enumerate(items):
        place = f"{where}.{kind}[{i}]"
        if not (isinstance(pair, list) and len(pair) == 2):
            raise _Refused(f"its manifest has {_short(pair)} at {place}; a dict item is a "
                           "[key, value] pair")
        key, value = pair
        if not (key is None or isinstance(key, (bool, int, float, str))):
            raise _Refused(f"its manifest has the key {_short(key)} at {place}; keys are "
                           "strings, numbers, booleans or null")
        if key in seen:
            raise _Refused(f"its manifest has the key {key!r} twice in the dict at {where}")
        seen.add(key)
        _check_node(value, place + "[1]", version, arrays, depth + 1)


def _check_array_entry(node, kind, where, version):
    """(dtype, shape) of a tensor or ndarray entry, checked field by field."""
    expected = _ENTRY_KEYS[kind] if version >= 2 else _ENTRY_KEYS[kind] - {"dtype", "shape"}
    missing, unknown = expected - set(node), set(node) - expected
    if missing:
        raise _Refused(f"its manifest entry at {where} has no {sorted(missing)}")
    if unknown:
        raise _Refused(f"its manifest entry at {where} has unknown keys {sorted(unknown)}")
    name = node[kind]
    if not isinstance(name, str) or not name or name == _MANIFEST:
        raise _Refused(f"its manifest entry at {where} names the array {_short(name)}; a name "
                       f"is a non-empty string other than '{_MANIFEST}'")
    for flag in ("requires_grad", "parameter"):
        if flag in node and type(node[flag]) is not bool:
            raise _Refused(f"its manifest entry at {where} has {flag}={_short(node[flag])}; "
                           "expected true or false")
    if version < 2:
        return (None, None)
    dtype, shape = node["dtype"], node["shape"]
    if not isinstance(dtype, str) or dtype not in _BY_NAME:
        raise _Refused(f"its manifest entry at {where} has dtype {_short(dtype)}; autodidact "
                       f"stores {_STORED}")
    if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
        raise _Refused(f"its manifest entry at {where} has shape {_short(shape)}; a shape is a "
                       "list of non-negative integers")
    if len(shape) > _MAX_DIMS:
        raise _Refused(f"its manifest entry at {where} has {len(shape)} dimensions; at most "
                       f"{_MAX_DIMS}")
    if node.get("requires_grad") and not _BY_NAME[dtype].is_floating_point:
        raise _Refused(f"its manifest entry at {where} has requires_grad=true for a {dtype} "
                       "tensor; only floating point tensors can require gradients")
    return (_BY_NAME[dtype], tuple(shape))


def _short(value):
    text = json.dumps(value) if not isinstance(value, (set, bytes)) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_manifest(text):
    """The manifest's JSON; a key written twice in one JSON object is refused."""
    def no_duplicates(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"its manifest has the JSON key {key!r} twice in one object")
            seen.add(key)
        return dict(pairs)
    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except RecursionError:
        raise _Refused("its manifest nests too deeply to read") from None
    except ValueError as error:   # JSONDecodeError, or an integer of thousands of digits
        raise _Refused(f"its manifest is not valid JSON ({error})") from None


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
    manifest = {"format": _FORMAT, "object": _encode(obj, arrays, "object", 0)}
    text = json.dumps(manifest)
    try:   # save refuses what load refuses: load's own checks, on what would be written
        _check_manifest(_parse_manifest(text))
    except _Refused as problem:
        raise ValueError(f"autodidact.save would write a file that autodidact.load refuses: "
                         f"{problem}") from None
    arrays[_MANIFEST] = np.array(text)
    if hasattr(f, "write"):
        _write_archive(f, arrays)
    else:
        _replace_atomically(os.fspath(f), arrays)


def _encode(obj, arrays, where, depth):
    """``obj`` as JSON, its arrays moved into ``arrays`` under generated names."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"autodidact.save: {where} nests more than {_MAX_DEPTH} levels deep "
                         "(does a list or dict contain itself?)")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, Tensor):
        from .nn.parameter import Parameter
        return dict(_add_array(_host(obj._data), arrays, "tensor"),
                    requires_grad=obj.requires_grad, parameter=isinstance(obj, Parameter))
    if isinstance(obj, np.ndarray):
        stored = obj.dtype.newbyteorder("<") if obj.dtype.isnative else obj.dtype
        problem = _dtype_problem(stored)
        if problem:
            raise TypeError(f"autodidact.save cannot store the NumPy array at {where}: it "
                            f"{problem}. Convert it first, e.g. array.astype(numpy.float32)")
        return _add_array(obj, arrays, "ndarray")
    if isinstance(obj, np.generic):
        return _encode(obj.item(), arrays, where, depth)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise TypeError(f"autodidact.save: dict keys must be strings or numbers, got "
                                f"{type(key).__name__} {key!r}")
            items.append([key, _encode(value, arrays, f"{where}[{key!r}]", depth + 1)])
        return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(value, arrays, f"{where}[{i}]", depth + 1)
                       for i, value in enumerate(obj)]}
    raise TypeError(
        f"autodidact.save cannot store a {type(obj).__module__}.{type(obj).__qualname__}: it "
        "saves tensors, NumPy arrays, numbers, strings, None, and dicts, lists and tuples of "
        "them (to save a model, save model.state_dict())")


def _add_array(array, arrays, kind):
    """Put ``array`` in ``arrays`` (little-endian, as every file is) under a new name."""
    name = f"t{len(arrays)}"
    arrays[name] = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return {kind: name, "dtype": dtypes.from_numpy_dtype(array.dtype).name,
            "shape": list(array.shape)}


def _write_archive(handle, arrays):
    """The .npz layout NumPy reads: one uncompressed ``NAME.npy`` member per array."""
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            with archive.open(name + ".npy", "w", force_zip64=array.nbytes > 2 ** 30) as member:
                npy.write_array(member, array, allow_pickle=False)


def _replace_atomically(path, arrays):
    """Write to a unique temporary file beside ``path``, fsync it, then rename it over ``path``.

    The temporary name is unique (``mkstemp``), so saves running at the
    same time never write into each other's file; ``os.replace`` is atomic
    on POSIX and Windows when both names are in one folder.
    """
    path = os.path.realpath(path)   # through a symlink to its target, as open() would write
    folder = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                     suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_archive(handle, arrays)
            handle.flush()
            os.fsync(handle.fileno())   # the bytes are on disk before the name points at them
            _give_usual_mode(handle.fileno(), path)
        os.replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise
    _sync_folder(folder)


def _give_usual_mode(fd, path):
    """mkstemp makes the file private (0600); give it the mode a plain open() would."""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        mode = 0o666 & ~_UMASK
    os.fchmod(fd, mode)


def _current_umask():
    mask = os.umask(0)   # the only portable way to read it is to set it
    os.umask(mask)
    return mask


_UMASK = _current_umask()   # read once, at import, rather than racing other threads later


def _remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _sync_folder(folder):
    """Make the rename itself durable (POSIX); a best effort elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    source = _describe(f)
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else operator.index(max_bytes)
    try:
        with _opened(f, max_bytes) as handle:
            head = handle.read(6)
            handle.seek(-len(head), io.SEEK_CUR)
            if head.startswith(b"\x93NUMPY"):
                array = _read_npy(handle, "the array", _expecting(None, None, "the array"),
                                  None, max_bytes)
                return _tensor(array, False, False, map_location)
            if not head.startswith(b"PK\x03\x04"):
                raise _not_a_checkpoint(head)
            manifest, arrays = _read_archive(handle, max_bytes)
    except _Refused as problem:
        kind = UnsafeLoadError if problem.unsafe else CheckpointError
        fix = problem.fix or ("Only files written by autodidact.save can be loaded; if this one "
                              "was, it has been damaged since: save it again.")
        raise kind(f"{source} {problem.headline}: {problem}. {fix}") from None
    return _decode(manifest["object"], arrays, map_location)


def _over_limit(what, size, max_bytes):
    return _Refused(f"{what} {_bytes(size)}, over load's limit of max_bytes={max_bytes:_}",
                    headline="is too big to load",
                    fix=f"If you trust the file, raise the limit: autodidact.load(..., "
                        f"max_bytes={max(size, max_bytes + 1):_}).")


class _opened:
    """A seekable binary handle on ``f`` that is no bigger than ``max_bytes``.

    A path is opened (and closed afterwards); a seekable file object is
    used from where it stands; anything else is read, up to the limit,
    into memory.
    """

    def __init__(self, f, max_bytes):
        self.f, self.max_bytes, self.handle, self.close = f, max_bytes, None, False

    def __enter__(self):
        f = self.f
        if not hasattr(f, "read"):
            f, self.close = open(f, "rb"), True
        elif not (hasattr(f, "seekable") and f.seekable()):
            f = io.BytesIO(f.read(self.max_bytes + 1))
        self.handle = f
        start = f.tell()
        size = f.seek(0, io.SEEK_END) - start
        f.seek(start)
        if size > self.max_bytes:
            self.__exit__()
            raise _over_limit("it is", size, self.max_bytes)
        return f

    def __exit__(self, *exc):
        if self.close:
            self.handle.close()


_MAGIC = {b"\x1f\x8b": "gzip-compressed data (decompress it first, e.g. with gunzip)",
          b"BZh": "bzip2-compressed data", b"\xfd7zXZ": "xz-compressed data",
          b"\x89HDF": "an HDF5 file (h5py, Keras)", b"PK\x05\x06": "an empty zip archive"}
_NOT = "is not an autodidact checkpoint"


def _not_a_checkpoint(head):
    """Why a file that starts with ``head`` (neither zip nor .npy) is refused."""
    if not head:
        return _Refused("it is empty", headline=_NOT)
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return _unsafe("it holds pickled Python objects, as torch.save and pickle write")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return _Refused(f"it is {what}", headline=_NOT)
    return _Refused(f"it starts with {head!r}, not with a zip archive's b'PK\\x03\\x04'",
                    headline=_NOT)


def _unsafe(message):
    return _Refused(message, headline="is not arrays alone", unsafe=True,
                    fix="autodidact.load never unpickles, because unpickling can run arbitrary "
                        "code hidden in the file. Only files written by autodidact.save (NumPy "
                        "arrays and a JSON manifest) can be loaded.")


_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError,
            RuntimeError, OSError, ValueError, OverflowError)   # what zipfile may raise


def _read_archive(handle, max_bytes):
    """The manifest and the arrays it names, read member by member within bounds."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = {}
            for info in archive.infolist():
                if info.filename in members:
                    raise _Refused(f"it holds two members named {info.filename!r}")
                members[info.filename] = info
            if _MANIFEST + ".npy" not in members:
                raise _Refused(
                    f"it is a zip archive but not one written by autodidact.save (it has no "
                    f"'{_MANIFEST}' entry)", headline=_NOT,
                    fix="A PyTorch checkpoint (torch.save) is a pickle inside a zip and cannot "
                        "be loaded safely: in PyTorch, save the state dict's tensors as NumPy "
                        "arrays (numpy.savez) and wrap them with autodidact.from_numpy.")
            manifest = _read_manifest(archive, members[_MANIFEST + ".npy"], max_bytes)
            promised = _check_manifest(manifest)
            return manifest, _read_arrays(archive, members, promised, max_bytes)
    except _DAMAGED as error:
        raise _Refused(f"it is damaged or truncated ({type(error).__name__}: {error})") from None


def _read_manifest(archive, info, max_bytes):
    label = f"its manifest '{info.filename}'"

    def check(shape, dtype):
        if dtype.kind != "U" or shape != ():
            raise _Refused(f"{label} is an array of dtype {dtype.str} and shape {list(shape)}, "
                           "not one string")
        return dtype.itemsize
    with archive.open(info) as stream:
        text = _read_npy(stream, label, check, info.file_size, max_bytes)
    return _parse_manifest(str(text.item()))


def _read_arrays(archive, members, promised, max_bytes):
    """Read each promised array, refusing sizes beyond what the manifest promises."""
    total = sum(_nbytes(dtype, shape) for dtype, shape, _ in promised.values() if dtype)
    if total > max_bytes:
        raise _over_limit("its manifest promises arrays of", total, max_bytes)
    budget = max_bytes   # format 1 promised no sizes: each header spends the budget as read
    arrays = {}
    for name, (dtype, shape, where) in promised.items():
        info = members.get(name + ".npy")
        if info is None:
            raise _Refused(f"it has no member '{name}.npy', which its manifest names at {where}")
        label = f"member '{info.filename}'"
        if dtype is not None and not (_nbytes(dtype, shape) <= info.file_size
                                      <= _nbytes(dtype, shape) + _HEADER_ALLOWANCE):
            raise _Refused(f"{label} declares {_bytes(info.file_size)}, but the {dtype.name} "
                           f"array of shape {list(shape)} its manifest promises takes "
                           f"{_bytes(_nbytes(dtype, shape))} and a header")
        with archive.open(info) as stream:
            arrays[name] = _read_npy(stream, label, _expecting(dtype, shape, label),
                                     info.file_size, budget)
        budget -= arrays[name].nbytes
    return arrays


def _expecting(dtype, shape, label):
    """The header check for an array: one of our dtypes, and the promised dtype and shape."""
    def check(found_shape, found_dtype):
        problem = _dtype_problem(found_dtype)
        if problem:
            if found_dtype.hasobject:
                raise _unsafe(f"{label} {problem}")
            raise _Refused(f"{label} {problem}")
        if len(found_shape) > _MAX_DIMS or any(n < 0 for n in found_shape):
            raise _Refused(f"{label} has the shape {list(found_shape)}")
        found = _IN_FILE[found_dtype]
        if dtype is not None and (found is not dtype or found_shape != shape):
            raise _Refused(f"{label} holds {found.name} data of shape {list(found_shape)}, "
                           f"but the manifest promises {dtype.name} of shape {list(shape)}")
        return _nbytes(found, found_shape)
    return check


def _read_npy(stream, label, check, declared, budget):
    """One ``.npy`` array from ``stream``, reading no more than its header promises.

    ``check(shape, dtype)`` vets the header and returns the data's size in
    bytes; ``declared`` is how long the zip member says it is (None for a
    plain file). The data is read a chunk at a time into a buffer of
    exactly that size, and the stream must end right after it.
    """
    try:
        version = npy.read_magic(stream)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"unsupported .npy format version {version}")
        read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran_order, dtype = read_header(stream, max_header_size=_HEADER_ALLOWANCE)
    except (ValueError, SyntaxError, TypeError, EOFError) as error:
        raise _Refused(f"{label} is not a valid .npy array ({error})") from None
    nbytes = check(shape, dtype)
    if nbytes > budget:
        raise _over_limit(f"{label} holds", nbytes, budget)
    start = stream.tell()
    if declared is not None and declared != start + nbytes:
        raise _Refused(f"{label} declares {_bytes(declared)}, but its header and data take "
                       f"{_bytes(start + nbytes)}")
    buffer = bytearray(nbytes)
    view, filled = memoryview(buffer), 0
    while filled < nbytes:
        chunk = stream.read(min(_CHUNK, nbytes - filled))
        if not chunk:
            raise _Refused(f"{label} is truncated after {_bytes(filled)} of its {_bytes(nbytes)}")
        view[filled:filled + len(chunk)] = chunk
        filled += len(chunk)
    if stream.read(1):
        raise _Refused(f"{label} goes on after the {_bytes(nbytes)} its header promises")
    array = np.frombuffer(buffer, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")
    if dtype.kind == "b":
        array = array.view(np.uint8) != 0   # a crafted byte 2 reads as True, not as a third value
    return array.astype(dtype.newbyteorder("="), copy=False)


def _nbytes(dtype, shape):
    return math.prod(shape) * dtype.itemsize


def _bytes(count):
    return f"{count:_} bytes"


def _describe(f):
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
