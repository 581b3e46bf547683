"""The seed's older spellings: FloatTensor & co, isinstance checks, ``.type()``."""

import numpy as np
import pytest

import autodidact as ad
from torch_compare import same_exact as same_value

LEGACY = [("FloatTensor", "float32"), ("DoubleTensor", "float64"), ("HalfTensor", "float16"),
          ("LongTensor", "int64"), ("IntTensor", "int32"), ("ShortTensor", "int16"),
          ("CharTensor", "int8"), ("ByteTensor", "uint8"), ("BoolTensor", "bool")]


@pytest.mark.parametrize("name,dtype", LEGACY)
def test_constructors_from_data_and_sizes_match_torch(torch_oracle, name, dtype):
    ours, theirs = getattr(ad, name), getattr(torch_oracle, name)
    same_value(ours([1, 0, 2]), theirs([1, 0, 2]))
    same_value(ours([[1, 2], [3, 4]]), theirs([[1, 2], [3, 4]]))
    same_value(ours((1, 2)), theirs((1, 2)))
    assert ours(2, 3).shape == (2, 3) and ours(2, 3).dtype is getattr(ad, dtype)
    assert ours(ad.Size([4])).shape == (4,)
    same_value(ours(), theirs())
    assert ours.dtype is getattr(ad, dtype)
    assert repr(ours) == f"<class 'autodidact.{name}'>"


@pytest.mark.parametrize("name,dtype", LEGACY)
def test_isinstance_asks_for_dtype_and_the_cpu(name, dtype):
    cls = getattr(ad, name)
    t = ad.zeros(2, dtype=getattr(ad, dtype))
    assert isinstance(t, cls) and isinstance(t, ad.Tensor)
    others = [n for n, _ in LEGACY if n != name]
    assert not any(isinstance(t, getattr(ad, n)) for n in others)
    assert not isinstance(3, cls) and not issubclass(cls, ad.Tensor)


def test_type_query_names_the_legacy_class(torch_oracle):
    for name, dtype in LEGACY:
        assert ad.zeros(1, dtype=getattr(ad, dtype)).type() == "autodidact." + name
        assert torch_oracle.zeros(1, dtype=getattr(torch_oracle, dtype)).type() == "torch." + name


@pytest.mark.parametrize("spec", ["torch.DoubleTensor", "autodidact.DoubleTensor", "DoubleTensor_cls",
                                  "torch.IntTensor", "IntTensor_cls", "int16", "torch.ByteTensor",
                                  "torch.BoolTensor", "torch.HalfTensor"])
def test_type_casts_like_torch(torch_oracle, spec):
    def cast(lib):
        x = lib.tensor([-1.7, -0.5, 0.5, 1.7, 2.5])
        if spec.endswith("_cls"):
            return x.type(getattr(lib, spec[:-4]))
        if spec == "int16":
            return x.type(lib.int16)
        return x.type(spec.replace("autodidact.", "torch.") if lib is torch_oracle else spec)
    same_value(cast(ad), cast(torch_oracle))


def test_type_returns_self_when_nothing_changes():
    x = ad.tensor([1., 2.])
    assert x.type("torch.FloatTensor") is x
    assert x.type(ad.FloatTensor) is x and x.type(ad.float32) is x


@pytest.mark.parametrize("spec", ["torch.Foo", "float", "torch.float64", float, int])
def test_type_refuses_what_is_not_a_type_like_torch(torch_oracle, spec):
    with pytest.raises(ValueError) as ours:
        ad.tensor([1.]).type(spec)
    with pytest.raises(ValueError) as theirs:
        torch_oracle.tensor([1.]).type(spec)
    assert str(ours.value).startswith(str(theirs.value))


def test_type_cast_keeps_the_gradient_flowing():
    x = ad.tensor([1., 2.], requires_grad=True)
    y = x.type("torch.DoubleTensor")
    assert y.dtype is ad.float64
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3., 3.] and x.grad.dtype is ad.float32


def test_legacy_constructors_accept_numpy_and_tensors():
    assert ad.FloatTensor(np.array([1., 2.])).dtype is ad.float32
    assert ad.LongTensor(np.array([1.7, 2.2])).tolist() == [1, 2]
    t = ad.tensor([1., 2.])
    assert ad.FloatTensor(t) is t
    assert ad.LongTensor(ad.tensor([1.5])).tolist() == [1]


def test_legacy_constructors_refuse_keywords_with_the_fix():
    with pytest.raises(TypeError, match="use autodidact.tensor\\(data, dtype=..., requires_grad=...\\)"):
        ad.FloatTensor([1.], requires_grad=True)
    with pytest.raises(TypeError):
        ad.FloatTensor([1.], dtype=ad.float64)


def test_the_seeds_old_style_code_runs():
    x_data = ad.Tensor([[1.0], [2.0], [3.0]])
    y = ad.FloatTensor([[2.0], [4.0], [6.0]])
    w = ad.autograd.Variable(ad.FloatTensor([1.0]), requires_grad=True)
    loss = ((x_data * w - y) ** 2).mean()
    loss.backward()
    assert isinstance(w.grad, ad.FloatTensor)
    assert abs(w.grad.item() - (-28 / 3)) < 1e-5
    idx = ad.LongTensor([0, 2])
    assert x_data[idx].view(-1).tolist() == [1.0, 3.0]
    assert x_data.type(ad.DoubleTensor).type() == "autodidact.DoubleTensor"
