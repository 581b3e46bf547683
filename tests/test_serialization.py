"""save/load: round trips in .npz, and loading that can never run code."""

import io
import os
import pickle
import zipfile

import numpy as np
import pytest

import autodidact as ad
from autodidact import nn, optim
from autodidact.serialization import UnsafeLoadError


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
    with pytest.raises(TypeError, match="dict keys must be strings or numbers"):
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


def test_an_npz_with_a_pickled_array_is_refused_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    ad.save(ad.ones(2), path)
    # Add an object array (stored as a pickle) next to a valid manifest.
    evil = np.empty(1, dtype=object)
    evil[0] = _Payload(str(marker))
    with zipfile.ZipFile(path, "a") as archive, archive.open("t1.npy", "w") as entry:
        np.lib.format.write_array(entry, evil, allow_pickle=True)
    with pytest.raises(UnsafeLoadError, match="pickled Python objects"):
        ad.load(path)
    assert not marker.exists()


def test_other_files_are_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, weight=np.ones(2))
    with pytest.raises(ValueError, match="not one written by autodidact.save"):
        ad.load(path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(UnsafeLoadError):
        ad.load(text)
    single = tmp_path / "array.npy"
    np.save(single, np.arange(3))
    assert ad.load(single).tolist() == [0, 1, 2]   # a plain .npy array is fine


def test_a_pytorch_checkpoint_is_refused(tmp_path, torch_oracle):
    path = tmp_path / "torch.pt"
    torch_oracle.save({"weight": torch_oracle.ones(2)}, path)
    with pytest.raises((ValueError, UnsafeLoadError), match="torch.save"):
        ad.load(path)
