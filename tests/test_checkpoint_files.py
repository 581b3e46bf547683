"""Crafted checkpoint files: each one is refused with a clear error, or loads exactly.

A table of files built byte by byte: not checkpoints at all, truncated,
zip bombs (against a lowered ``max_bytes``, so that no test allocates more
than a few megabytes), bad manifests (one bad field each), members that
lie about their size, dtype or shape, and an array of every dtype NumPy
can write. Each row names the error class and a fragment of the message.
"""

import bz2
import gzip
import io
import json
import pickle
import struct
import warnings
import zipfile
from typing import NamedTuple

import numpy as np
import pytest

import autodidact as ad
from autodidact import nn
from autodidact.serialization import CheckpointError, UnsafeLoadError

MANIFEST = "__autodidact__.npy"
NOT_CHECKPOINT = "is not an autodidact checkpoint"
DAMAGED = "is damaged or truncated"
TOO_BIG = "is too big to load"


# ------------------------------------------------------------- builders

def npy(array, version=None):
    """``array`` as the bytes of a .npy file (object arrays are pickled, as NumPy can)."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version, allow_pickle=True)
    return buffer.getvalue()


def npy_header(header, data=b"", version=b"\x01\x00"):
    """A .npy file with a header written by hand (``header`` is the dict's text)."""
    text = header.encode("latin1")
    text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
    return b"\x93NUMPY" + version + struct.pack("<H", len(text)) + text + data


class Zeros(NamedTuple):
    """A member that is ``header`` then ``size`` zero bytes, deflated and written a megabyte
    at a time: megabytes that compress to kilobytes, as in a zip bomb."""
    header: bytes
    size: int


def archive(members, method=zipfile.ZIP_STORED):
    """A zip archive of ``(name, bytes or Zeros)`` members, in order (a name may repeat)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "Duplicate name": on purpose in one row
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            if isinstance(data, Zeros):
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as member:
                    member.write(data.header)
                    block = bytes(1 << 20)
                    for start in range(0, data.size, len(block)):
                        member.write(block[:data.size - start])
            else:
                zf.writestr(info, data)
    return buffer.getvalue()


def manifest_member(manifest):
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    return (MANIFEST, npy(np.array(text)))


def entry(name="t0", dtype="float32", shape=(2,), **changes):
    """A format 2 tensor entry; ``changes`` replace fields, ``None`` removes one."""
    node = {"tensor": name, "dtype": dtype, "shape": shape if shape is None else list(shape),
            "requires_grad": False, "parameter": False}
    node.update(changes)
    return {key: value for key, value in node.items() if value is not None}


def checkpoint(obj=None, arrays=None, manifest=None, extra=(), method=zipfile.ZIP_STORED):
    """A format 2 file: ``obj`` (default one tensor entry) and its ``arrays`` as members."""
    obj = entry() if obj is None else obj
    arrays = {"t0": np.ones(2, np.float32)} if arrays is None else arrays
    manifest = {"format": 2, "object": obj} if manifest is None else manifest
    members = [(name + ".npy", data if isinstance(data, bytes) else npy(data))
               for name, data in arrays.items()]
    return archive(members + list(extra) + [manifest_member(manifest)], method)


def old_checkpoint(member):
    """A format 1 file, as autodidact wrote before format 2: its manifest promised no dtype or
    shape. ``member`` is t0's array, or the bytes of its .npy file."""
    node = {"tensor": "t0", "requires_grad": False, "parameter": False}
    data = member if isinstance(member, bytes) else npy(member)
    return archive([("t0.npy", data), manifest_member({"format": 1, "object": node})])


def valid():
    return checkpoint(obj={"dict": [["w", entry(shape=(64,))], ["b", entry("t1", shape=(3,))]]},
                      arrays={"t0": np.arange(64, dtype=np.float32),
                              "t1": np.ones(3, np.float32)})


def truncated(keep):
    def build():
        data = valid()
        return data[:keep(len(data))]
    return build


def flipped(position):
    """The valid file with one byte changed at ``position(data)``."""
    def build():
        data = bytearray(valid())
        data[position(data)] ^= 0xFF
        return bytes(data)
    return build


def bomb(promised_shape, count):
    """t0.npy: a float64 ``(count,)`` array of zeros, deflated; the manifest promises
    ``promised_shape`` (format 2), or nothing (format 1, when ``promised_shape`` is None)."""
    header = npy_header(f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({count},), }}")
    if promised_shape is None:
        manifest = {"format": 1, "object": {"tensor": "t0", "requires_grad": False,
                                            "parameter": False}}
    else:
        manifest = {"format": 2, "object": entry(dtype="float64", shape=promised_shape)}
    return archive([("t0.npy", Zeros(header, count * 8)), manifest_member(manifest)])


def lying_size(declared):
    """t0.npy whose central directory declares ``declared`` bytes (the data holds more)."""
    def build():
        data = bytearray(checkpoint(arrays={"t0": np.ones(2, np.float32)}))
        entry_at = data.index(b"PK\x01\x02")   # t0.npy comes first
        struct.pack_into("<I", data, entry_at + 24, declared)
        struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, declared)
        return bytes(data)
    return build


def nested(depth):
    node = entry()
    for _ in range(depth):
        node = {"list": [node]}
    return node


def torch_like():
    return archive([("archive/data.pkl", pickle.dumps({"weight": [1.0]}, protocol=2)),
                    ("archive/version", b"3\n")])


def random_bytes():
    return np.random.default_rng(17).integers(0, 256, 4096, dtype=np.uint8).tobytes()


def with_garbage_member():
    """A valid file and a deflated member whose compressed bytes are garbage: reading it
    would raise, so loading proves it was never read."""
    data = bytearray(checkpoint(extra=[("junk.npy", bytes(4096))], method=zipfile.ZIP_DEFLATED))
    start = data.index(b"junk.npy") + len("junk.npy")   # its data follows its local header
    data[start:start + 16] = b"\xff" * 16
    return bytes(data)


# ------------------------------------------------------------- the table

def ok(check):
    """A row for a file that loads; ``check(result)`` says it loaded right."""
    return (None, check)


def fails(error, fragment):
    return (error, fragment)


def is_ones(t):
    return type(t) is ad.Tensor and t.dtype is ad.float32 and t.tolist() == [1.0, 1.0]


NOT_CHECKPOINTS = [
    ("empty", lambda: b"", fails(CheckpointError, f"{NOT_CHECKPOINT}: it is empty")),
    ("text", lambda: b"weights: 1 2 3\n", fails(CheckpointError, f"{NOT_CHECKPOINT}: it starts")),
    ("json", lambda: b'{"format": 2}', fails(CheckpointError, NOT_CHECKPOINT)),
    ("gzip", lambda: gzip.compress(valid()), fails(CheckpointError, "gzip-compressed")),
    ("bzip2", lambda: bz2.compress(b"weights"), fails(CheckpointError, "bzip2-compressed")),
    ("random", random_bytes, fails(CheckpointError, NOT_CHECKPOINT)),
    ("hdf5", lambda: b"\x89HDF\r\n\x1a\n" + bytes(64), fails(CheckpointError, "HDF5")),
    ("pickle-2", lambda: pickle.dumps([1.0], protocol=2),
     fails(UnsafeLoadError, "holds pickled Python objects")),
    ("pickle-5", lambda: pickle.dumps({"w": 1.0}, protocol=5),
     fails(UnsafeLoadError, "never unpickles")),
    ("zip-empty", lambda: archive([]), fails(CheckpointError, "an empty zip archive")),
    ("zip-torch-save", torch_like, fails(CheckpointError, "torch.save")),
    ("zip-plain-npz", lambda: archive([("w.npy", npy(np.ones(2)))]),
     fails(CheckpointError, "has no '__autodidact__' entry")),
    ("zip-magic-only", lambda: b"PK\x03\x04", fails(CheckpointError, DAMAGED)),
]

TRUNCATED = [
    ("cut-at-3", truncated(lambda n: 3), fails(CheckpointError, NOT_CHECKPOINT)),
    ("cut-at-30", truncated(lambda n: 30), fails(CheckpointError, DAMAGED)),
    ("cut-in-first-member", truncated(lambda n: 150), fails(CheckpointError, DAMAGED)),
    ("cut-at-half", truncated(lambda n: n // 2), fails(CheckpointError, DAMAGED)),
    ("cut-before-directory", truncated(lambda n: n - 200), fails(CheckpointError, DAMAGED)),
    ("cut-in-end-record", truncated(lambda n: n - 10), fails(CheckpointError, DAMAGED)),
    ("cut-last-byte", truncated(lambda n: n - 1), fails(CheckpointError, DAMAGED)),
    ("flipped-data-byte", flipped(lambda data: 180), fails(CheckpointError, "Bad CRC-32")),
    # the top byte of where the manifest's directory entry says its local header starts
    ("flipped-directory-offset", flipped(lambda data: data.rindex(b"PK\x01\x02") + 45),
     fails(CheckpointError, DAMAGED)),
    ("npy-truncated", lambda: npy(np.ones(8))[:-5], fails(CheckpointError, "truncated")),
    ("npy-trailing-bytes", lambda: npy(np.ones(8)) + b"x", fails(CheckpointError, "goes on")),
    ("npy-bad-header", lambda: npy_header("{'descr': '<f4'}"),
     fails(CheckpointError, "not a valid .npy array")),
]

LIMIT = 100_000   # bombs and big files are tested against this lowered max_bytes
BOMBS = [
    ("bomb-declared-over-promise", lambda: bomb((10,), 1_000_000),
     fails(CheckpointError, "declares 8_000_128 bytes, but the float64 array"), None),
    ("bomb-promise-over-limit", lambda: bomb((1_000_000,), 1_000_000),
     fails(CheckpointError, "promises arrays of 8_000_000 bytes"), LIMIT),
    ("bomb-format-1-header-over-limit", lambda: bomb(None, 1_000_000),
     fails(CheckpointError, "holds 8_000_000 bytes, over load's limit"), LIMIT),
    ("bomb-shape-product-huge", lambda: checkpoint(obj=entry(shape=(2 ** 40, 2 ** 40))),
     fails(CheckpointError, TOO_BIG), None),
    ("bomb-manifest", lambda: checkpoint(manifest='"' + " " * 200_000 + '"',
                                         method=zipfile.ZIP_DEFLATED),
     fails(CheckpointError, "its manifest '__autodidact__.npy' holds"), LIMIT),
    ("file-over-limit", lambda: checkpoint(arrays={"t0": np.ones(2, np.float32)},
                                           extra=[("pad.bin", bytes(LIMIT))]),
     fails(CheckpointError, "over load's limit of max_bytes=100_000"), LIMIT),
    ("zip-header-lies-small", lying_size(16), fails(CheckpointError, "Bad CRC-32"), None),
    ("zip-header-lies-big", lying_size(10 ** 9),
     fails(CheckpointError, "declares 1_000_000_000 bytes"), None),
]

BAD_MANIFESTS = [
    ("manifest-not-json", lambda: checkpoint(manifest="{format: 2"), "not valid JSON"),
    ("manifest-huge-integer", lambda: checkpoint(manifest='{"format": ' + "9" * 5000 + "}"),
     "not valid JSON"),
    ("manifest-a-list", lambda: checkpoint(manifest=[2]), "is a JSON list"),
    ("manifest-no-format", lambda: checkpoint(manifest={"object": entry()}), "no 'format'"),
    ("manifest-no-object", lambda: checkpoint(manifest={"format": 2}), "no 'object'"),
    ("manifest-extra-key", lambda: checkpoint(manifest={"format": 2, "object": entry(),
                                                        "x": 1}), "has the unknown key 'x'"),
    ("format-a-string", lambda: checkpoint(manifest={"format": "2", "object": entry()}),
     "format '2'"),
    ("format-true", lambda: checkpoint(manifest={"format": True, "object": entry()}),
     "format True"),
    ("format-from-the-future", lambda: checkpoint(manifest={"format": 99, "object": entry()}),
     "upgrade"),
    ("json-key-twice", lambda: checkpoint(
        manifest='{"format": 2, "format": 2, "object": null}'), "JSON key 'format' twice"),
    ("entry-empty", lambda: checkpoint(obj={}), "needs exactly one of"),
    ("entry-two-kinds", lambda: checkpoint(obj=dict(entry(), list=[])), "needs exactly one"),
    ("entry-unknown-kind", lambda: checkpoint(obj={"set": []}), "needs exactly one of"),
    ("bare-list", lambda: checkpoint(obj=[entry()]), "bare list at object"),
    ("list-not-a-list", lambda: checkpoint(obj={"list": {"a": 1}}), "expected a list"),
    ("container-extra-key", lambda: checkpoint(obj={"list": [], "n": 1}),
     "has the unknown key 'n'"),
    ("tensor-no-dtype", lambda: checkpoint(obj=entry(dtype=None)), "has no 'dtype' key"),
    ("tensor-no-shape", lambda: checkpoint(obj=entry(shape=None)), "has no 'shape' key"),
    ("tensor-no-requires-grad", lambda: checkpoint(obj=entry(requires_grad=None)),
     "has no 'requires_grad' key"),
    ("tensor-unknown-key", lambda: checkpoint(obj=entry(device="cuda")),
     "has the unknown key 'device'"),
    ("name-a-number", lambda: checkpoint(obj=entry(name=5)), "names the array 5"),
    ("name-empty", lambda: checkpoint(obj=entry(name="")), 'names the array ""'),
    ("name-the-manifest", lambda: checkpoint(obj=entry(name="__autodidact__")),
     "names the array"),
    ("name-a-list", lambda: checkpoint(obj=entry(name=["t0"])), 'names the array ["t0"]'),
    ("name-missing-member", lambda: checkpoint(obj=entry(name="t9")),
     "no member 't9.npy', which its manifest names at object"),
    ("name-twice", lambda: checkpoint(obj={"list": [entry(), entry()]}),
     "names the array 't0' twice"),
    ("requires-grad-a-string", lambda: checkpoint(obj=entry(requires_grad="yes")),
     'requires_grad="yes"'),
    ("parameter-an-int", lambda: checkpoint(obj=entry(parameter=1)), "parameter=1"),
    ("requires-grad-on-int64", lambda: checkpoint(
        obj=entry(dtype="int64", requires_grad=True), arrays={"t0": np.ones(2, np.int64)}),
     "only floating point tensors can require gradients"),
    ("dtype-unknown", lambda: checkpoint(obj=entry(dtype="complex64")),
     'dtype "complex64"; autodidact stores'),
    ("dtype-alias", lambda: checkpoint(obj=entry(dtype="float")), 'dtype "float"'),
    ("dtype-a-number", lambda: checkpoint(obj=entry(dtype=4)), "dtype 4"),
    ("shape-a-string", lambda: checkpoint(obj=dict(entry(), shape="2")), 'shape "2"'),
    ("shape-negative", lambda: checkpoint(obj=entry(shape=[-2])), "shape [-2]"),
    ("shape-float", lambda: checkpoint(obj=entry(shape=[2.0])), "shape [2.0]"),
    ("shape-bool", lambda: checkpoint(obj=entry(shape=[True, True])), "shape [true, true]"),
    ("shape-65-dims", lambda: checkpoint(obj=entry(shape=[1] * 65)), "65 dimensions"),
    ("dict-item-not-a-pair", lambda: checkpoint(obj={"dict": [["w"]]}), "[key, value] pair"),
    ("dict-key-a-list", lambda: checkpoint(obj={"dict": [[["w"], 1]]}), 'the key ["w"]'),
    ("dict-key-twice", lambda: checkpoint(obj={"dict": [["w", 1], ["w", 2]]}),
     "the key 'w' twice"),
    ("dict-not-a-list", lambda: checkpoint(obj={"dict": {"w": 1}}), "expected a list"),
    ("nested-101-deep", lambda: checkpoint(obj=nested(101)), "more than 100 levels"),
    ("nested-json-bottomless", lambda: checkpoint(manifest="[" * 100_000 + "]" * 100_000),
     "nests too deeply"),
    ("manifest-a-float-array", lambda: archive([(MANIFEST, npy(np.ones(3)))]),
     "not one string"),
    ("manifest-not-npy", lambda: archive([(MANIFEST, b"{}")]), "not a valid .npy array"),
]

MEMBERS = [
    ("member-wrong-shape", lambda: checkpoint(arrays={"t0": np.ones(3, np.float32)}),
     fails(CheckpointError, "holds float32 data of shape [3], but the manifest promises "
                            "float32 of shape [2]")),
    ("member-transposed-shape", lambda: checkpoint(obj=entry(shape=(2, 3)),
                                                   arrays={"t0": np.ones((3, 2), np.float32)}),
     fails(CheckpointError, "shape [3, 2]")),
    ("member-wrong-dtype", lambda: checkpoint(arrays={"t0": np.ones(2, np.float64)}),
     fails(CheckpointError, "holds float64 data")),
    ("member-0d-for-1d", lambda: checkpoint(arrays={"t0": np.array(1.0, np.float32)}),
     fails(CheckpointError, "of shape []")),
    ("member-negative-shape", lambda: old_checkpoint(
        npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")),
     fails(CheckpointError, "has the shape [-1]")),
    ("member-npy-version-3", lambda: old_checkpoint(
        npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }",
                   version=b"\x03\x00")), fails(CheckpointError, "unsupported .npy format")),
    ("member-not-npy", lambda: checkpoint(arrays={"t0": b"garbage" * 20}),
     fails(CheckpointError, "not a valid .npy array")),
    ("member-short-data", lambda: checkpoint(arrays={"t0": npy(np.ones(2, np.float32))[:-4]}),
     fails(CheckpointError, "but its header and data take")),
    ("member-trailing-data", lambda: checkpoint(arrays={"t0": npy(np.ones(2, np.float32))
                                                        + b"\0" * 8}),
     fails(CheckpointError, "but its header and data take")),
    ("member-named-twice-in-zip", lambda: archive(
        [("t0.npy", npy(np.ones(2, np.float32))), ("t0.npy", npy(np.zeros(2, np.float32))),
         manifest_member({"format": 2, "object": entry()})]),
     fails(CheckpointError, "two members named 't0.npy'")),
    ("unnamed-pickle-member-never-read", lambda: checkpoint(
        extra=[("t1.npy", npy(np.array([print], dtype=object)))]), ok(is_ones)),
    ("unnamed-garbage-member-never-read", with_garbage_member, ok(is_ones)),
    ("unnamed-bomb-never-read", lambda: checkpoint(extra=[("junk.npy", Zeros(b"", 20 << 20))]),
     ok(is_ones)),
    ("deflated-members-load", lambda: checkpoint(method=zipfile.ZIP_DEFLATED), ok(is_ones)),
    ("fortran-order-loads", lambda: checkpoint(obj=entry(shape=(2, 3)), arrays={
        "t0": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3))}),
     ok(lambda t: t.tolist() == [[0, 1, 2], [3, 4, 5]])),
    ("bool-bytes-read-as-true", lambda: old_checkpoint(npy_header(
        "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", b"\x00\x01\x02")),
     ok(lambda t: t.tolist() == [False, True, True] and t[1:].eq(True).all().item())),
    ("parameter-and-nesting-load", lambda: checkpoint(
        obj={"ordered_dict": [["p", entry(requires_grad=True, parameter=True)],
                              [3, {"tuple": [None, 1.5, "s", True]}]]}),
     ok(lambda d: type(d["p"]) is nn.Parameter and d["p"].requires_grad
        and d[3] == (None, 1.5, "s", True))),
]


# every dtype NumPy can write; autodidact stores the first nine
STORED = ["bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"]
REFUSED = {
    "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "longdouble": np.dtype(np.longdouble).str, "complex64": "complex64",
    "complex128": "complex128", "clongdouble": np.dtype(np.clongdouble).str,
    "U3": "<U3", "S3": "|S3", "V4": "|V4", "datetime64[s]": "datetime64",
    "timedelta64[ms]": "timedelta64", "structured": "|V8", ">i2": "big-endian",
    ">i4": "big-endian", ">i8": "big-endian", ">f2": "big-endian", ">f4": "big-endian",
    ">f8": "big-endian", ">u2": ">u2", ">c8": ">c8", ">U2": ">U2",
}


def _array_of(dtype):
    if dtype == "structured":
        return np.zeros(2, [("a", "<i4"), ("b", "<f4")])
    if dtype == "object":
        return np.array([1, None], dtype=object)
    return np.zeros(2, dtype=dtype)


def _dtype_rows():
    rows = []
    for name in STORED:
        rows.append((f"dtype-{name}-loads", lambda name=name: old_checkpoint(_array_of(name)),
                     ok(lambda t, name=name: t.dtype is getattr(ad, name) and t.shape == (2,))))
    for name, fragment in REFUSED.items():
        rows.append((f"dtype-{name}-refused", lambda name=name: old_checkpoint(_array_of(name)),
                     fails(CheckpointError, fragment)))
    rows.append(("dtype-object-refused", lambda: old_checkpoint(_array_of("object")),
                 fails(UnsafeLoadError, "pickled Python objects")))
    # format 2: the manifest promises float32; the member brings another dtype
    for name in ("complex64", "int8", "S3", ">f4"):
        rows.append((f"dtype-{name}-against-float32-promise",
                     lambda name=name: checkpoint(arrays={"t0": _array_of(name)}),
                     fails(CheckpointError, "t0.npy")))
    return rows


CASES = (
    [pytest.param(build, expected, None, id=name) for name, build, expected in NOT_CHECKPOINTS]
    + [pytest.param(build, expected, None, id=name) for name, build, expected in TRUNCATED]
    + [pytest.param(build, expected, limit, id=name) for name, build, expected, limit in BOMBS]
    + [pytest.param(build, fails(CheckpointError, fragment), None, id=name)
       for name, build, fragment in BAD_MANIFESTS]
    + [pytest.param(build, expected, None, id=name) for name, build, expected in MEMBERS]
    + [pytest.param(build, expected, None, id=name) for name, build, expected in _dtype_rows()]
)


def test_the_table_is_big_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("build, expected, limit", CASES)
def test_crafted_file(tmp_path, build, expected, limit):
    path = tmp_path / "crafted.npz"
    path.write_bytes(build())
    options = {} if limit is None else {"max_bytes": limit}
    error, detail = expected
    if error is None:
        assert detail(ad.load(path, **options))
        return
    with pytest.raises(CheckpointError) as caught:
        ad.load(path, **options)
    message = str(caught.value)
    assert type(caught.value) is error, message
    assert detail in message, message
    assert repr(str(path)) in message   # the error names the file
    assert "Traceback" not in message and "KeyError" not in message


def test_a_buffer_gives_the_same_errors_as_a_path():
    for param in CASES[::7]:
        build, (error, detail), limit = param.values
        options = {} if limit is None else {"max_bytes": limit}
        if error is None:
            assert detail(ad.load(io.BytesIO(build()), **options))
            continue
        with pytest.raises(error, match="the BytesIO buffer") as caught:
            ad.load(io.BytesIO(build()), **options)
        assert detail in str(caught.value)


def test_only_the_members_the_manifest_names_are_opened(monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    data = checkpoint(extra=[("unnamed.npy", npy(np.ones(3))), ("t7.npy", npy(np.ones(3)))])
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert is_ones(ad.load(io.BytesIO(data)))
    assert sorted(opened) == [MANIFEST, "t0.npy"]


def test_every_file_save_writes_loads_again():
    """save refuses what load refuses: whatever it accepts comes back whole."""
    values = {"t": ad.arange(6.0).reshape(2, 3).T, "p": nn.Parameter(ad.ones(2)),
              "empty": ad.zeros(0, 3, dtype=ad.int16), "bool": ad.tensor([True, False]),
              "nested": [[[{"deep": (1, None, ad.tensor(2.5))}]]], 7: "seven", None: 1.5,
              "np": np.arange(4, dtype=np.uint8)}
    buffer = io.BytesIO()
    ad.save(values, buffer)
    back = ad.load(io.BytesIO(buffer.getvalue()))
    assert back["t"].tolist() == values["t"].tolist()
    assert back["empty"].shape == (0, 3) and back["empty"].dtype is ad.int16
    assert back["nested"][0][0][0]["deep"][2].item() == 2.5
    assert back[7] == "seven" and back[None] == 1.5 and back["np"].tolist() == [0, 1, 2, 3]
