"""save/load: round trips in .npz, and loading that can never run code."""

import gzip
import io
import json
import os
import pickle
import threading
import zipfile

import numpy as np
import pytest

import autodidact as ad
from autodidact import nn, optim
from autodidact import checkpoint_file
from autodidact.serialization import CheckpointError, UnsafeLoadError


@pytest.mark.parametrize("dtype", [ad.float32, ad.float64, ad.float16, ad.int64, ad.int32,
                                   ad.uint8, ad.bool])
def test_tensor_round_trip_keeps_values_dtype_and_shape(tmp_path, dtype):
    t = (ad.arange(12).reshape(3, 4) % 3).to(dtype)
    ad.save(t, tmp_path / "t.npz")
    back = ad.load(tmp_path / "t.npz")
    assert type(back) is ad.Tensor and back.dtype is dtype and back.shape == (3, 4)
    assert back.tolist() == t.tolist()


def test_the_path_is_used_as_given_and_nothing_else_is_left(tmp_path):
    path = tmp_path / "weights.pt"
    ad.save(ad.ones(2), str(path))
    assert os.listdir(tmp_path) == ["weights.pt"]   # NumPy alone would write weights.pt.npz
    assert ad.load(str(path)).tolist() == [1.0, 1.0]


def test_zero_d_requires_grad_and_parameters_come_back_as_they_were(tmp_path):
    obj = {"scalar": ad.tensor(3.5), "w": ad.ones(2, requires_grad=True),
           "p": nn.Parameter(ad.zeros(2)), "frozen": nn.Parameter(ad.ones(1), requires_grad=False)}
    ad.save(obj, tmp_path / "x.npz")
    back = ad.load(tmp_path / "x.npz")
    assert back["scalar"].shape == () and back["scalar"].item() == 3.5
    assert back["w"].requires_grad and type(back["w"]) is ad.Tensor
    assert type(back["p"]) is nn.Parameter and back["p"].requires_grad
    assert type(back["frozen"]) is nn.Parameter and not back["frozen"].requires_grad


def test_model_state_dict_round_trip_gives_the_same_outputs(tmp_path):
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    ad.save(model.state_dict(), tmp_path / "model.npz")
    state = ad.load(tmp_path / "model.npz")
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    fresh = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    assert repr(fresh.load_state_dict(state)) == "<All keys matched successfully>"
    x = ad.randn(4, 3)
    assert np.array_equal(model(x).detach().numpy(), fresh(x).detach().numpy())


def test_nested_optimizer_state_round_trips_through_a_buffer():
    model = nn.Linear(2, 2)
    opt = optim.Adam(model.parameters(), lr=0.01, amsgrad=True)
    model(ad.ones(3, 2)).sum().backward()
    opt.step()
    buffer = io.BytesIO()
    ad.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
             "note": "ok", "none": None, "ratio": 0.5, "flags": [True, (1, 2)]}, buffer)
    buffer.seek(0)
    back = ad.load(buffer)
    assert back["epoch"] == 3 and back["note"] == "ok" and back["none"] is None
    assert back["ratio"] == 0.5 and back["flags"] == [True, (1, 2)]
    saved = back["optimizer"]
    assert sorted(saved["state"]) == [0, 1]          # int keys stay ints
    assert saved["param_groups"][0]["betas"] == (0.9, 0.999)   # tuples stay tuples
    assert saved["state"][0]["step"].item() == 1.0
    again = optim.Adam(model.parameters(), lr=0.5, amsgrad=True)
    again.load_state_dict(saved)
    assert again.param_groups[0]["lr"] == 0.01
    assert np.array_equal(again.state[model.weight]["exp_avg"].numpy(),
                          opt.state[model.weight]["exp_avg"].numpy())


def test_unsupported_objects_are_refused_when_saving(tmp_path):
    with pytest.raises(TypeError, match="cannot store a builtins.object"):
        ad.save({"x": object()}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="save model.state_dict"):
        ad.save(nn.Linear(1, 1), tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dict key \\(1, 2\\) at object: dict keys must be strings"):
        ad.save({(1, 2): ad.ones(1)}, tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()


# ------------------------------------------------------------------ safety

class _Payload:
    """Unpickling this calls open(marker, 'w'): proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_file_is_refused_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps({"weight": _Payload(str(marker))}))
    with pytest.raises(UnsafeLoadError, match="never unpickles"):
        ad.load(path)
    assert not marker.exists()
    # the same check on a file object
    with open(path, "rb") as handle, pytest.raises(UnsafeLoadError):
        ad.load(handle)
    assert not marker.exists()


def _with_member(path, name, array, manifest=None):
    """Append ``name`` (an .npy member, pickled when ``array`` holds objects) to ``path``."""
    with zipfile.ZipFile(path, "a") as archive, archive.open(name, "w") as entry:
        np.lib.format.write_array(entry, array, allow_pickle=True)


def test_a_pickled_member_the_manifest_does_not_name_is_never_read(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    ad.save(ad.ones(2), path)
    evil = np.empty(1, dtype=object)
    evil[0] = _Payload(str(marker))
    _with_member(path, "t1.npy", evil)
    assert ad.load(path).tolist() == [1.0, 1.0]
    assert not marker.exists()


def test_a_pickled_array_the_manifest_names_is_refused_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    ad.save(ad.ones(1), path)
    evil = np.empty(1, dtype=object)
    evil[0] = _Payload(str(marker))
    # Rewrite the archive with the payload in place of t0 (format 1 manifests promise no dtype).
    manifest = '{"format": 1, "object": {"tensor": "t0", "requires_grad": false, ' \
               '"parameter": false}}'
    path.unlink()
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("t0.npy", "w") as entry:
            np.lib.format.write_array(entry, evil, allow_pickle=True)
        with archive.open("__autodidact__.npy", "w") as entry:
            np.lib.format.write_array(entry, np.array(manifest))
    with pytest.raises(UnsafeLoadError, match="pickled Python objects"):
        ad.load(path)
    assert not marker.exists()


def test_other_files_are_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, weight=np.ones(2))
    with pytest.raises(CheckpointError, match="not one written by autodidact.save"):
        ad.load(path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(CheckpointError, match="is not an autodidact checkpoint") as caught:
        ad.load(text)
    assert "pickled" not in str(caught.value) and "notes.txt" in str(caught.value)
    single = tmp_path / "array.npy"
    np.save(single, np.arange(3))
    assert ad.load(single).tolist() == [0, 1, 2]   # a plain .npy array is fine


def test_checkpoint_errors_are_caught_as_pytorchs_runtime_error_and_as_value_error(tmp_path):
    path = tmp_path / "empty.pt"
    path.write_bytes(b"")
    for kind in (RuntimeError, ValueError, CheckpointError):
        with pytest.raises(kind, match="'.*empty.pt' is not an autodidact checkpoint: it is empty"):
            ad.load(path)
    assert issubclass(UnsafeLoadError, CheckpointError)


def test_a_pytorch_checkpoint_is_refused(tmp_path, torch_oracle):
    path = tmp_path / "torch.pt"
    torch_oracle.save({"weight": torch_oracle.ones(2)}, path)
    with pytest.raises((ValueError, UnsafeLoadError), match="torch.save"):
        ad.load(path)


# ------------------------------------------------------------- atomic save

def test_a_failed_save_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    ad.save({"w": ad.ones(3)}, path)
    before = path.read_bytes()
    calls = []
    real = np.lib.format.write_array

    def write_then_fail(*args, **kwargs):   # the second array hits a full disk
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="No space left"):
        ad.save({"w": ad.zeros(3), "b": ad.zeros(2)}, path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["model.npz"]
    assert path.read_bytes() == before and ad.load(path)["w"].tolist() == [1.0, 1.0, 1.0]


def test_an_interrupted_save_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ad.save(ad.ones(2), tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


def test_save_writes_through_a_flushed_fsynced_unique_temporary_file(tmp_path, monkeypatch):
    seen = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        seen.append(("fsync", os.fstat(fd).st_size))
        real_fsync(fd)

    def replace(src, dst):
        seen.append(("replace", os.path.dirname(src), os.path.basename(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    ad.save(ad.ones(2), tmp_path / "w.npz")
    assert seen[0][0] == "fsync" and seen[0][1] > 0          # the data was flushed first
    replaced = next(step for step in seen if step[0] == "replace")
    assert replaced[1] == str(tmp_path) and replaced[2] != "w.npz.partial"
    assert (tmp_path / "w.npz").stat().st_mode & 0o777 == 0o666 & ~checkpoint_file._UMASK


def test_saving_through_a_symlink_writes_its_target(tmp_path):
    target = tmp_path / "real.npz"
    ad.save(ad.zeros(1), target)
    (tmp_path / "link.npz").symlink_to(target)
    ad.save(ad.ones(1), tmp_path / "link.npz")
    assert (tmp_path / "link.npz").is_symlink() and ad.load(target).tolist() == [1.0]


def test_concurrent_saves_to_one_path_always_leave_a_file_that_loads(tmp_path, monkeypatch):
    """Every thread has written its archive before any renames it over the target."""
    threads = 4
    path = tmp_path / "shared.npz"
    ready = threading.Barrier(threads)
    real_replace = os.replace

    def replace_after_all_wrote(src, dst):
        ready.wait(timeout=10)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_after_all_wrote)
    errors = []

    def saver(i):
        try:
            ad.save({"who": i, "w": ad.full((1000,), float(i))}, path)
        except BaseException as error:   # noqa: BLE001 - reported below
            errors.append(error)
            ready.abort()

    workers = [threading.Thread(target=saver, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    back = ad.load(path)
    assert back["w"].tolist() == [float(back["who"])] * 1000
    assert os.listdir(tmp_path) == ["shared.npz"]


def test_save_refuses_arrays_load_would_refuse(tmp_path):
    for array, fragment in [(np.ones(2, np.complex64), "complex64"),
                            (np.array(["a"]), "<U1"),
                            (np.ones(2, np.uint16), "uint16"),
                            (np.ones(2, ">f4"), "big-endian")]:
        with pytest.raises(TypeError, match=fragment):
            ad.save({"x": array}, tmp_path / "x.npz")
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contain itself"):
        ad.save(loop, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


def test_numpy_arrays_of_autodidacts_dtypes_round_trip(tmp_path):
    arrays = {"f": np.arange(6.0).reshape(2, 3).T, "b": np.array([True, False]),
              "u": np.arange(3, dtype=np.uint8), "empty": np.zeros((0, 4), np.int16)}
    ad.save(arrays, tmp_path / "a.npz")
    back = ad.load(tmp_path / "a.npz")
    for key, array in arrays.items():
        assert back[key].dtype == array.dtype and np.array_equal(back[key], array)


def test_two_entries_for_one_tensor_come_back_as_independent_copies(tmp_path):
    t = ad.ones(2)
    ad.save({"a": t, "b": t}, tmp_path / "t.npz")
    back = ad.load(tmp_path / "t.npz")
    back["a"].add_(1)
    assert back["b"].tolist() == [1.0, 1.0]


def test_a_format_1_file_from_an_earlier_autodidact_still_loads(tmp_path):
    path = tmp_path / "old.npz"
    manifest = ('{"format": 1, "object": {"dict": [["w", {"tensor": "t0", "requires_grad": true, '
                '"parameter": true}], ["n", {"ndarray": "t1"}]]}}')
    np.savez(path, t0=np.ones(2, np.float32), t1=np.arange(2), __autodidact__=np.array(manifest))
    back = ad.load(path)
    assert type(back["w"]) is nn.Parameter and back["w"].requires_grad
    assert back["n"].tolist() == [0, 1]


def test_the_limit_can_be_raised_for_a_file_you_trust(tmp_path):
    path = tmp_path / "big.npz"
    ad.save(ad.zeros(1000), path)
    with pytest.raises(CheckpointError, match=r"over load's limit of max_bytes=1_000.*max_bytes="):
        ad.load(path, max_bytes=1000)
    assert ad.load(path, max_bytes=10_000).shape == (1000,)


def test_load_reads_from_a_file_object_that_cannot_seek(tmp_path):
    buffer = io.BytesIO()
    ad.save({"w": ad.ones(2)}, buffer)

    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            return self.data.readinto(b)

    assert ad.load(Stream(buffer.getvalue()))["w"].tolist() == [1.0, 1.0]


# ------------------------------------- issue 17's reproducers, in format 1 files
# (the files main's autodidact.save wrote: np.savez of t0, t1... and a JSON manifest
# that promised no dtypes or shapes), so each fails on main for the reason the issue gives.

def _format_1(path, node, **arrays):
    np.savez(path, __autodidact__=np.array(json.dumps({"format": 1, "object": node})),
             **arrays)
    return path


def _tensor_node(name="t0"):
    return {"tensor": name, "requires_grad": False, "parameter": False}


def test_issue_a_member_the_manifest_never_names_is_never_decompressed(tmp_path):
    path = _format_1(tmp_path / "x.npz", _tensor_node(), t0=np.ones(2, np.float32))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("junk.npy", bytes(1 << 20))
    data = bytearray(path.read_bytes())
    start = data.index(b"junk.npy") + len("junk.npy")
    data[start:start + 16] = b"\xff" * 16   # garbage deflate data: decompressing it raises
    path.write_bytes(bytes(data))
    assert ad.load(path).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("node, arrays, fragment", [
    (_tensor_node("t1"), {"t0": np.ones(1)}, "no member 't1.npy'"),          # was KeyError: 't1'
    ([1, 2], {}, "bare list at object"),                                     # was accepted
    ({"dict": [["a", 1, 2]]}, {}, "[key, value] pair"),     # was too many values to unpack
    ({"tensor": "t0"}, {"t0": np.ones(1)},                                   # was KeyError
     "has no 'parameter' and 'requires_grad' keys"),
], ids=["missing-array", "bare-list", "three-item-pair", "entry-without-flags"])
def test_issue_crafted_manifests_give_a_clear_error(tmp_path, node, arrays, fragment):
    path = _format_1(tmp_path / "x.npz", node, **arrays)
    with pytest.raises(CheckpointError, match="is not a valid autodidact checkpoint") as caught:
        ad.load(path)
    assert fragment in str(caught.value)


def test_issue_a_manifest_that_is_not_an_object_gives_a_clear_error(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, __autodidact__=np.array("[1, 2]"))      # was AttributeError
    with pytest.raises(CheckpointError, match="its manifest is a JSON list"):
        ad.load(path)


def test_issue_a_deeply_nested_manifest_gives_a_clear_error(tmp_path):
    deep = '{"list": [' * 5000 + "null" + "]}" * 5000   # too deep for json.dumps to write
    path = tmp_path / "x.npz"
    np.savez(path, __autodidact__=np.array('{"format": 1, "object": ' + deep + "}"))
    with pytest.raises(CheckpointError, match="more than 100 levels|too deeply"):  # RecursionError
        ad.load(path)


@pytest.mark.parametrize("content", [b"", b"just some text\n", gzip.compress(b"weights")],
                         ids=["empty", "text", "gzip"])
def test_issue_empty_text_and_gzip_files_are_not_checkpoints(tmp_path, content):
    path = tmp_path / "x.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match="is not an autodidact checkpoint") as caught:
        ad.load(path)
    assert "pickled" not in str(caught.value)


@pytest.mark.parametrize("array", [np.ones(2, np.complex64), np.array(["w1", "w2"]),
                                   np.ones(2, ">f4"), np.zeros(2, "datetime64[s]"),
                                   np.ones(2, np.uint32), np.array([b"ab"])],
                         ids=["complex", "string", "big-endian", "datetime", "uint32", "bytes"])
def test_issue_arrays_of_dtypes_autodidact_does_not_store_are_refused(tmp_path, array):
    path = _format_1(tmp_path / "x.npz", _tensor_node(), t0=array)
    with pytest.raises(CheckpointError, match="member 't0.npy'.*autodidact stores"):
        ad.load(path)


def test_issue_one_array_named_twice_does_not_load_as_two_aliased_tensors(tmp_path):
    path = _format_1(tmp_path / "x.npz", {"list": [_tensor_node(), _tensor_node()]},
                     t0=np.ones(2, np.float32))
    with pytest.raises(CheckpointError, match="names the array 't0' twice"):
        ad.load(path)
