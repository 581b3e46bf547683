"""The NumPy bridge (reference section 14): .numpy() and from_numpy share
memory both ways; tensor() copies; as_tensor and Tensor(float32 array)
share; negative strides and unsupported dtypes are refused with PyTorch's
words; .numpy() on a tensor that requires grad says to detach first.
"""

import re

import numpy as np
import pytest

import autodidact

NEGATIVE_STRIDES = ("At least one stride in the given numpy array is negative, and tensors with "
                    "negative strides are not currently supported. (You can probably work around "
                    "this by making a copy of your array  with array.copy().) ")
REQUIRES_GRAD = ("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                 "instead.")


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


def test_numpy_shares_memory_with_the_tensor():
    a = autodidact.ones(5)
    b = a.numpy()
    assert type(b) is np.ndarray and b.dtype == np.float32
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    b[0] = 100
    assert a.tolist() == [100.0, 2.0, 2.0, 2.0, 2.0]


def test_from_numpy_shares_memory_with_the_array():
    a = np.ones(5)
    b = autodidact.from_numpy(a)
    assert b.dtype is autodidact.float64
    np.add(a, 1, out=a)
    assert b.tolist() == [2.0] * 5
    b.add_(1)
    assert a.tolist() == [3.0] * 5
    a += 1
    assert b.tolist() == [4.0] * 5
    b[0] = -1
    assert a[0] == -1
    a = a + 1   # rebinding the name breaks the link, of course
    assert b.tolist() == [-1.0, 4.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize("dtype, expected", [
    (np.float64, "float64"), (np.float32, "float32"), (np.float16, "float16"), (np.int64, "int64"),
    (np.int32, "int32"), (np.int16, "int16"), (np.int8, "int8"), (np.uint8, "uint8"), (np.bool_, "bool"),
])
def test_from_numpy_keeps_the_dtype(dtype, expected):
    t = autodidact.from_numpy(np.zeros(2, dtype=dtype))
    assert t.dtype.name == expected
    assert t.numpy().dtype == np.dtype(dtype)


def test_zero_dim_and_strided_arrays():
    t = autodidact.from_numpy(np.array(3.0))
    assert t.shape == () and t.item() == 3.0
    assert autodidact.tensor(3.0).numpy().shape == ()
    assert autodidact.from_numpy(np.arange(6)[::2]).tolist() == [0, 2, 4]
    transposed = np.arange(6).reshape(2, 3).T
    t = autodidact.from_numpy(transposed)
    assert t.tolist() == transposed.tolist()
    transposed[0, 0] = 9
    assert t[0, 0].item() == 9
    assert autodidact.arange(6.0).view(2, 3).t().numpy().strides == (4, 12)


def test_tensor_copies_as_tensor_and_legacy_tensor_share():
    array = np.ones(3)
    copied = autodidact.tensor(array)
    shared = autodidact.as_tensor(array)
    array[0] = 9
    assert copied.tolist() == [1.0, 1.0, 1.0]
    assert shared.tolist() == [9.0, 1.0, 1.0]
    floats = np.ones(3, dtype=np.float32)
    legacy = autodidact.Tensor(floats)
    floats[1] = 7
    assert legacy.tolist() == [1.0, 7.0, 1.0]
    assert autodidact.as_tensor([1, 2]).tolist() == [1, 2]
    assert autodidact.as_tensor(np.ones(2), dtype=autodidact.float32).dtype is autodidact.float32


@pytest.mark.parametrize("convert", [autodidact.from_numpy, autodidact.tensor, autodidact.as_tensor,
                                     autodidact.Tensor])
@pytest.mark.parametrize("make", [lambda: np.arange(6)[::-1],
                                  lambda: np.arange(6).reshape(2, 3)[:, ::-1]])
def test_negative_strides_are_refused(convert, make):
    with raises(ValueError, NEGATIVE_STRIDES):
        convert(make())


def test_negative_strides_work_after_a_copy():
    assert autodidact.from_numpy(np.arange(6)[::-1].copy()).tolist() == [5, 4, 3, 2, 1, 0]


@pytest.mark.parametrize("array, name", [
    (np.array([1, 2], dtype=object), "object_"), (np.array(["a"]), "str_"),
    (np.array([1, 2], dtype=np.uint16), "uint16"), (np.array([1, 2], dtype=np.complex64), "complex64"),
    (np.array([1, 2], dtype=np.uint64), "uint64"),
])
@pytest.mark.parametrize("convert", [autodidact.from_numpy, autodidact.tensor])
def test_unsupported_dtypes_are_refused(array, name, convert):
    with pytest.raises(TypeError) as info:
        convert(array)
    message = str(info.value)
    assert message.startswith(f"can't convert np.ndarray of type numpy.{name}. The only supported "
                              "types are: float64, float32, float16, int64, int32, int16, int8, "
                              "uint8, and bool.")
    assert "astype" in message   # the fix


def test_from_numpy_needs_an_array():
    with raises(TypeError, "expected np.ndarray (got list)"):
        autodidact.from_numpy([1, 2])


@pytest.mark.parametrize("make", [
    lambda: autodidact.ones(2, requires_grad=True),
    lambda: autodidact.ones(2, requires_grad=True) * 2,
])
def test_numpy_of_a_tensor_that_requires_grad(make):
    x = make()
    with raises(RuntimeError, REQUIRES_GRAD):
        x.numpy()
    with raises(RuntimeError, REQUIRES_GRAD):
        np.asarray(x)
    assert x.detach().numpy().tolist() == [x.tolist()[0]] * 2
    assert x.numpy(force=True).dtype == np.float32
    assert x.data.numpy().shape == (2,)
    assert x.tolist() == x.detach().tolist()


def test_detach_numpy_still_shares_memory():
    w = autodidact.ones(2, requires_grad=True)
    view = w.detach().numpy()
    view[0] = 5
    assert w.tolist() == [5.0, 1.0]


def test_numpy_protocol():
    assert np.asarray(autodidact.ones(2)).tolist() == [1.0, 1.0]
    assert np.asarray(autodidact.ones(2)).dtype == np.float32
    assert np.array(autodidact.ones(2), dtype=np.float64).dtype == np.float64
    x = autodidact.ones(2)
    copied = np.array(x, copy=True)
    copied[0] = 3
    assert x.tolist() == [1.0, 1.0]


def test_mixing_tensors_and_arrays():
    result = autodidact.ones(2) + np.ones(2)
    assert isinstance(result, autodidact.Tensor) and result.dtype is autodidact.float64
    assert result.tolist() == [2.0, 2.0]
    reverse = np.ones(2) * autodidact.ones(2)
    assert isinstance(reverse, autodidact.Tensor) and reverse.tolist() == [1.0, 1.0]
    assert (np.float64(2.0) * autodidact.ones(2)).dtype is autodidact.float32
    assert (autodidact.ones(2) * np.int64(2)).dtype is autodidact.float32
