"""The checkpoint on disk: a zip of ``.npy`` members, written atomically and read within bounds.

    >>> write_checkpoint("ckpt.npz", manifest_text, {"t0": numpy.ones(3, numpy.float32)})
    >>> manifest, arrays = read_checkpoint("ckpt.npz", max_bytes=2**31)

The layout is NumPy's ``.npz``: one uncompressed member ``NAME.npy`` per
array, plus ``__autodidact__.npy``, a 0-d string array holding the manifest
(see ``checkpoint_format``). ``numpy.load`` can read every file written here.

Writing is atomic: the bytes go to a new temporary file beside the target,
are flushed to disk, and the temporary file is then renamed over the
target in one step, so a reader never meets half a file and a failed save
leaves the old one whole.

Reading trusts nothing. A zip member says how long it is and a ``.npy``
header says what it holds, and both can lie: a few kilobytes can inflate to
gigabytes (a "zip bomb"). So the manifest is read and checked first, and
then only the members it names are opened, each checked against what the
manifest promised before any of its data is read, and read a megabyte at a
time into a buffer of exactly the promised size. A file, or arrays, over
``max_bytes`` are refused before they take the memory.
"""

import contextlib
import io
import math
import os
import tempfile
import zipfile
import zlib

import numpy as np
from numpy.lib import format as npy

from .checkpoint_format import (IN_FILE, MANIFEST, Refused, checked_manifest, dtype_problem,
                                shape_problem)

_HEADER_ALLOWANCE = 4096    # bytes a .npy header may take before its data
_CHUNK = 1 << 20            # arrays are read a megabyte at a time


# ------------------------------------------------------------------ writing

def write_checkpoint(f, manifest_text, arrays):
    """Write the manifest and ``{name: array}`` to ``f``: a path (atomically) or a file object."""
    arrays = {MANIFEST: np.array(manifest_text), **arrays}
    if hasattr(f, "write"):
        _write_archive(f, arrays)
    else:
        _replace_atomically(os.fspath(f), arrays)


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
    except BaseException:            # Ctrl-C too: never leave a .partial file behind
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


# ------------------------------------------------------------------ reading

def read_checkpoint(f, max_bytes):
    """The checked manifest and ``{name: array}`` of the checkpoint in ``f``; raises ``Refused``.

    ``f`` is a path or a binary file object. A plain ``.npy`` file
    (``numpy.save``) reads as a checkpoint holding that one array as a tensor.
    """
    with _opened(f, max_bytes) as handle:
        head = handle.read(6)
        handle.seek(-len(head), io.SEEK_CUR)
        if head.startswith(b"\x93NUMPY"):
            array = _read_npy(handle, "the array", _expecting(None, None, "the array"), None,
                              max_bytes)
            one_tensor = {"tensor": "array", "requires_grad": False, "parameter": False}
            return {"format": 1, "object": one_tensor}, {"array": array}   # format 1: no promises
        if not head.startswith(b"PK\x03\x04"):
            raise _not_a_checkpoint(head)
        return _read_archive(handle, max_bytes)


@contextlib.contextmanager
def _opened(f, max_bytes):
    """A seekable binary handle on ``f``, refused if more than ``max_bytes`` are left in it.

    A path is opened (and closed afterwards); a seekable file object is
    used from where it stands; anything else is read, up to the limit,
    into memory.
    """
    if not hasattr(f, "read"):
        with open(f, "rb") as handle:
            yield _within_limit(handle, max_bytes)
        return
    if not (hasattr(f, "seekable") and f.seekable()):
        f = io.BytesIO(f.read(max_bytes + 1))
    yield _within_limit(f, max_bytes)


def _within_limit(handle, max_bytes):
    start = handle.tell()
    size = handle.seek(0, io.SEEK_END) - start
    handle.seek(start)
    if size > max_bytes:
        raise _over_limit("it is", size, max_bytes)
    return handle


# The refusals that are not "is not a valid autodidact checkpoint": each reads
# '<file> <headline>: <message>. <fix>' once load names the file.

def _not_ours(message, fix=None):
    return Refused(message, headline="is not an autodidact checkpoint", fix=fix)


def _unsafe(message):
    return Refused(message, headline="is not arrays alone", unsafe=True,
                   fix="autodidact.load never unpickles, because unpickling can run arbitrary "
                       "code hidden in the file. Only files written by autodidact.save (NumPy "
                       "arrays and a JSON manifest) can be loaded.")


def _over_limit(what, size, max_bytes):
    return Refused(f"{what} {_bytes(size)}, over load's limit of max_bytes={max_bytes:_}",
                   headline="is too big to load",
                   fix=f"If you trust the file, raise the limit: autodidact.load(..., "
                       f"max_bytes={max(size, max_bytes + 1):_}).")


_MAGIC = {b"\x1f\x8b": "gzip-compressed data (decompress it first, e.g. with gunzip)",
          b"BZh": "bzip2-compressed data", b"\xfd7zXZ": "xz-compressed data",
          b"\x89HDF": "an HDF5 file (h5py, Keras)", b"PK\x05\x06": "an empty zip archive"}


def _not_a_checkpoint(head):
    """Why a file that starts with ``head`` (neither zip nor .npy) is refused."""
    if not head:
        return _not_ours("it is empty")
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return _unsafe("it holds pickled Python objects, as torch.save and pickle write")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return _not_ours(f"it is {what}")
    return _not_ours(f"it starts with {head!r}, not with a zip archive's b'PK\\x03\\x04'")


_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError,
            RuntimeError, OSError, ValueError, OverflowError)   # what zipfile may raise


def _read_archive(handle, max_bytes):
    """The manifest and the arrays it names, read member by member within bounds."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = {}
            for info in archive.infolist():
                if info.filename in members:
                    raise Refused(f"it holds two members named {info.filename!r}")
                members[info.filename] = info
            if MANIFEST + ".npy" not in members:
                raise _not_ours(
                    f"it is a zip archive but not one written by autodidact.save (it has no "
                    f"'{MANIFEST}' entry)",
                    fix="A PyTorch checkpoint (torch.save) is a pickle inside a zip and cannot "
                        "be loaded safely: in PyTorch, save the state dict's tensors as NumPy "
                        "arrays (numpy.savez) and wrap them with autodidact.from_numpy.")
            text = _read_manifest_text(archive, members[MANIFEST + ".npy"], max_bytes)
            manifest, promised = checked_manifest(text)
            return manifest, _read_arrays(archive, members, promised, max_bytes)
    except _DAMAGED as error:
        raise Refused(f"it is damaged or truncated ({type(error).__name__}: {error})") from None


def _read_manifest_text(archive, info, max_bytes):
    label = f"its manifest '{info.filename}'"

    def check(shape, dtype):
        if dtype.kind != "U" or shape != ():
            raise Refused(f"{label} is an array of dtype {dtype.str} and shape {list(shape)}, "
                          "not one string")
        return dtype.itemsize
    with archive.open(info) as stream:
        text = _read_npy(stream, label, check, info.file_size, max_bytes)
    return str(text.item())


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
            raise Refused(f"it has no member '{name}.npy', which its manifest names at {where}")
        label = f"member '{info.filename}'"
        if dtype is not None:   # the zip's own size for the member, checked before opening it
            size = _nbytes(dtype, shape)
            if not size <= info.file_size <= size + _HEADER_ALLOWANCE:
                raise Refused(f"{label} declares {_bytes(info.file_size)}, but the {dtype.name} "
                              f"array of shape {list(shape)} its manifest promises takes "
                              f"{_bytes(size)} and a header")
        with archive.open(info) as stream:
            arrays[name] = _read_npy(stream, label, _expecting(dtype, shape, label),
                                     info.file_size, budget)
        budget -= arrays[name].nbytes
    return arrays


def _expecting(dtype, shape, label):
    """The header check for an array: one of our dtypes, and the promised dtype and shape."""
    def check(found_shape, found_dtype):
        problem = dtype_problem(found_dtype)
        if problem:
            if found_dtype.hasobject:
                raise _unsafe(f"{label} {problem}")
            raise Refused(f"{label} {problem}")
        problem = shape_problem(found_shape)
        if problem:
            raise Refused(f"{label} has the shape {list(found_shape)}; {problem}")
        found = IN_FILE[found_dtype]
        if dtype is not None and (found is not dtype or found_shape != shape):
            raise Refused(f"{label} holds {found.name} data of shape {list(found_shape)}, "
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
        raise Refused(f"{label} is not a valid .npy array ({error})") from None
    nbytes = check(shape, dtype)
    if nbytes > budget:
        raise _over_limit(f"{label} holds", nbytes, budget)
    start = stream.tell()
    if declared is not None and declared != start + nbytes:
        raise Refused(f"{label} declares {_bytes(declared)}, but its header and data take "
                      f"{_bytes(start + nbytes)}")
    buffer = bytearray(nbytes)
    view, filled = memoryview(buffer), 0
    while filled < nbytes:
        chunk = stream.read(min(_CHUNK, nbytes - filled))
        if not chunk:
            raise Refused(f"{label} is truncated after {_bytes(filled)} of its {_bytes(nbytes)}")
        view[filled:filled + len(chunk)] = chunk
        filled += len(chunk)
    if stream.read(1):
        raise Refused(f"{label} goes on after the {_bytes(nbytes)} its header promises")
    array = np.frombuffer(buffer, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")
    if dtype.kind == "b":
        array = array.view(np.uint8) != 0   # a crafted byte 2 reads as True, not as a third value
    return array.astype(dtype.newbyteorder("="), copy=False)


def _nbytes(dtype, shape):
    return math.prod(shape) * dtype.itemsize


def _bytes(count):
    return f"{count:_} bytes"
