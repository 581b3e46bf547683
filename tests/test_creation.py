"""Making tensors: the legacy Tensor(...) constructor, tensor(), the filled and
random creators, *_like, manual_seed, and the in-place fills.

Every expectation is PyTorch 2.13's (reference sections 2, 3, 11 and 34),
with "torch." spelled "autodidact.". Error tests check the exception type
and PyTorch's words; where autodidact adds a fix after them, the words are
matched as a prefix.
"""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import autodidact
from autodidact import creation

ROOT = Path(__file__).resolve().parent.parent


def raises(exc, message):
    """pytest.raises matching ``message`` literally (as a substring)."""
    return pytest.raises(exc, match=re.escape(message))


# --------------------------------------------------------- Tensor(...): legacy


def test_tensor_of_sizes_is_uninitialised_float32():
    x = autodidact.Tensor(5, 3)
    assert type(x) is autodidact.Tensor
    assert x.shape == (5, 3) and x.dtype is autodidact.float32
    assert x.requires_grad is False and x.is_leaf and x.device == autodidact.device("cpu")
    assert x.grad_fn is None


@pytest.mark.parametrize("args, shape", [((3,), (3,)), ((0,), (0,)), ((), (0,)),
                                         ((2, 1, 4), (2, 1, 4)), ((np.int64(2),), (2,))])
def test_tensor_of_sizes_shapes(args, shape):
    x = autodidact.Tensor(*args)
    assert x.shape == shape and x.dtype is autodidact.float32


def test_tensor_of_a_size_object_is_a_shape_not_data():
    assert autodidact.Tensor(autodidact.Size([2, 2])).shape == (2, 2)


@pytest.mark.parametrize("data, values", [
    ([5, 3], [5.0, 3.0]),
    ((5, 3), [5.0, 3.0]),
    ([[1, 2], [3, 4]], [[1.0, 2.0], [3.0, 4.0]]),
    ([True], [1.0]),
    (range(3), [0.0, 1.0, 2.0]),
    (np.array([1, 2]), [1.0, 2.0]),
])
def test_tensor_of_data_is_float32_data(data, values):
    x = autodidact.Tensor(data)
    assert x.dtype is autodidact.float32
    assert x.tolist() == values


def test_tensor_vs_tensor_dtype():
    assert autodidact.Tensor([1, 2]).dtype is autodidact.float32
    assert autodidact.tensor([1, 2]).dtype is autodidact.int64


def test_tensor_of_a_tensor_aliases_it_unchanged():
    source = autodidact.tensor([1, 2])
    x = autodidact.Tensor(source)
    assert x.dtype is autodidact.int64 and x.tolist() == [1, 2]
    source[0] = 7
    assert x.tolist() == [7, 2]


def test_tensor_of_float32_array_shares_memory():
    array = np.ones(3, dtype=np.float32)
    x = autodidact.Tensor(array)
    array[0] = 9
    assert x.tolist() == [9.0, 1.0, 1.0]


def test_tensor_of_a_float_is_an_error():
    with raises(TypeError, "new(): data must be a sequence (got float)"):
        autodidact.Tensor(2.5)


def test_tensor_with_a_float_size_is_an_error():
    with raises(TypeError, "new(): argument 'size' failed to unpack the object at pos 2 with "
                           "error \"type must be tuple of ints,but got float\""):
        autodidact.Tensor(5, 3.0)


@pytest.mark.parametrize("args, shown", [((-1,), "-1: [-1]"), ((2, -1), "-1: [2, -1]")])
def test_tensor_with_a_negative_size_is_an_error(args, shown):
    with raises(RuntimeError, f"Trying to create tensor with negative dimension {shown}"):
        autodidact.Tensor(*args)


@pytest.mark.parametrize("keyword", [{"dtype": autodidact.float64}, {"requires_grad": True}])
def test_tensor_takes_no_dtype_or_requires_grad(keyword):
    with raises(TypeError, "new() received an invalid combination of arguments - got (int, int, "):
        autodidact.Tensor(5, 3, **keyword)


def test_legacy_typed_constructors():
    assert autodidact.FloatTensor([1, 2]).dtype is autodidact.float32
    assert autodidact.LongTensor([1, 2]).tolist() == [1, 2]
    assert autodidact.LongTensor([1, 2]).dtype is autodidact.int64
    assert autodidact.ByteTensor(2, 3).dtype is autodidact.uint8
    assert autodidact.ByteTensor(2, 3).shape == (2, 3)
    assert autodidact.LongTensor(2).shape == (2,)
    assert autodidact.BoolTensor([1, 0]).tolist() == [True, False]
    assert autodidact.HalfTensor([1, 2]).dtype is autodidact.float16
    assert isinstance(autodidact.ones(2), autodidact.FloatTensor)
    assert not isinstance(autodidact.ones(2, dtype=autodidact.int64), autodidact.FloatTensor)


# --------------------------------------------------------------- tensor()


def test_tensor_of_a_number_is_0d():
    x = autodidact.tensor(5)
    assert x.shape == autodidact.Size([]) and x.dim() == 0 and x.item() == 5


def test_tensor_without_data():
    with raises(TypeError, 'tensor() missing 1 required positional arguments: "data"'):
        autodidact.tensor()


@pytest.mark.parametrize("data, dtype", [
    ([1, 2], "int64"),
    ([1.0, 2], "float32"),
    ([True], "bool"),
    ([1, 2.5], "float32"),
    ([True, 2], "int64"),
    ([True, 2.0], "float32"),
    ([[1], [2.5]], "float32"),
    ([], "float32"),
    (3.5, "float32"),
    (True, "bool"),
    ((1, 2), "int64"),
    (range(3), "int64"),
    ([(1, 2), [3, 4]], "int64"),
    # NumPy arrays and scalars keep their dtype; leaves promote as PyTorch's
    # promote_types does.
    (np.array([1.0, 2.0]), "float64"),
    (np.array([1, 2]), "int64"),
    (np.array([1, 2], dtype=np.int32), "int32"),
    (np.float32(1.5), "float32"),
    (np.float64(1.5), "float64"),
    (np.int32(1), "int32"),
    (np.uint8(3), "uint8"),
    (np.float16(1.5), "float16"),
    ([np.float64(1.5)], "float64"),
    ([np.float64(1.5), 2.0], "float64"),
    ([np.int32(1)], "int32"),
    ([np.int32(1), 2], "int64"),
    ([np.float16(1.5), 1], "float16"),
    ([np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)], "int32"),
])
def test_tensor_infers_dtype_as_pytorch(data, dtype):
    assert autodidact.tensor(data).dtype.name == dtype


def test_tensor_of_one_element_tensors():
    assert autodidact.tensor([autodidact.tensor(1.0), autodidact.tensor(2.0)]).tolist() == [1.0, 2.0]
    assert autodidact.tensor([autodidact.tensor(1, dtype=autodidact.int32)]).dtype is autodidact.int32
    assert autodidact.tensor([autodidact.tensor([1.5])]).tolist() == [1.5]
    with raises(ValueError, "only one element tensors can be converted to Python scalars"):
        autodidact.tensor([autodidact.ones(2), autodidact.ones(2)])


def test_tensor_of_a_tensor_copies_with_a_warning():
    source = autodidact.ones(2)
    with pytest.warns(UserWarning, match=re.escape(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone()")):
        copy = autodidact.tensor(source)
    source[0] = 5.0
    assert copy.tolist() == [1.0, 1.0]


def test_tensor_copies_an_array():
    array = np.ones(3)
    x = autodidact.tensor(array)
    array[0] = 9
    assert x.tolist() == [1.0, 1.0, 1.0] and x.dtype is autodidact.float64


@pytest.mark.parametrize("data, dtype, values", [
    ([-1], autodidact.uint8, [255]),
    ([-255], autodidact.uint8, [1]),
    ([1.5], autodidact.int64, [1]),
    ([1.7, -1.7], autodidact.int8, [1, -1]),
    ([2 ** 53 + 1, 0.5], autodidact.int64, [2 ** 53 + 1, 0]),
    ([True, 2], autodidact.bool, [True, True]),
    ([2], autodidact.bool, [True]),
    ([300], autodidact.int16, [300]),
    ([[True]], autodidact.float16, [[1.0]]),
    ([2 ** 64], autodidact.float32, [float(np.float32(2.0 ** 64))]),
    ([70000.0], autodidact.float16, [float("inf")]),
    ([1.5, 2], autodidact.float64, [1.5, 2.0]),
])
def test_tensor_with_dtype_converts(data, dtype, values):
    x = autodidact.tensor(data, dtype=dtype)
    assert x.dtype is dtype and x.tolist() == values


@pytest.mark.parametrize("data, dtype, exc, message", [
    ([300], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([128], autodidact.int8, RuntimeError, "value cannot be converted to type int8 without overflow"),
    ([-256], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([-0.5], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([255.5], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([-128.9], autodidact.int8, RuntimeError,
     "value cannot be converted to type int8 without overflow"),
    ([1e10], autodidact.int32, RuntimeError,
     "value cannot be converted to type int32 without overflow"),
    ([float("nan")], autodidact.int64, RuntimeError,
     "value cannot be converted to type int64 without overflow"),
    ([float("inf")], autodidact.int32, RuntimeError,
     "value cannot be converted to type int32 without overflow"),
    ([np.float64(300.0)], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([autodidact.tensor(300)], autodidact.uint8, RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ([2 ** 63], None, ValueError, "Overflow when unpacking long long"),
    (2 ** 63, None, ValueError, "Overflow when unpacking long long"),
    ([-2 ** 63 - 1], None, ValueError, "Overflow when unpacking long long"),
    ([2 ** 63], autodidact.int8, ValueError, "Overflow when unpacking long long"),
])
def test_tensor_range_errors(data, dtype, exc, message):
    with raises(exc, message):
        autodidact.tensor(data, dtype=dtype)


def test_tensor_extreme_int64_values_fit():
    assert autodidact.tensor([-2 ** 63, 2 ** 63 - 1]).tolist() == [-2 ** 63, 2 ** 63 - 1]


def test_casting_a_numpy_array_wraps_without_a_check():
    # Arrays are cast, not checked (as PyTorch): 300 -> 44, 2**40 -> 0.
    assert autodidact.tensor(np.array([300]), dtype=autodidact.uint8).tolist() == [44]
    assert autodidact.tensor(np.array(2 ** 40), dtype=autodidact.int32).item() == 0


@pytest.mark.parametrize("data, exc, message", [
    ([[1, 2], [3]], ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
    ([[1, 2], [3, 4, 5]], ValueError, "expected sequence of length 2 at dim 1 (got 3)"),
    ([[[1], [2]], [[3], []]], ValueError, "expected sequence of length 1 at dim 2 (got 0)"),
    ([[1, 2], 3], TypeError, "not a sequence"),
    ([1, [2, 3]], TypeError, "'list' object cannot be interpreted as an integer"),
    ("a", TypeError, "new(): invalid data type 'str'"),
    ([1, "a"], TypeError, "new(): invalid data type 'str'"),
    (None, RuntimeError, "Could not infer dtype of NoneType"),
    ([1, None], RuntimeError, "Could not infer dtype of NoneType"),
    ({1: 2}, RuntimeError, "Could not infer dtype of dict"),
    (object(), RuntimeError, "Could not infer dtype of object"),
])
def test_tensor_bad_data(data, exc, message):
    with raises(exc, message):
        autodidact.tensor(data)


def test_tensor_empty_nested_lists_have_a_shape():
    assert autodidact.tensor([[]]).shape == (1, 0)
    assert autodidact.tensor([[], []]).shape == (2, 0)


def test_tensor_requires_grad():
    x = autodidact.tensor([1.0, 2], requires_grad=True)
    assert x.requires_grad and x.is_leaf
    with raises(RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"):
        autodidact.tensor([1, 2], requires_grad=True)


# ------------------------------------------------------ filled creators


@pytest.mark.parametrize("maker, fill", [(autodidact.zeros, 0.0), (autodidact.ones, 1.0)])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([2, 3],)])
def test_zeros_ones_sizes(maker, fill, size):
    x = maker(*size)
    assert x.shape == (2, 3) and x.dtype is autodidact.float32
    assert x.tolist() == [[fill] * 3] * 2


@pytest.mark.parametrize("maker", [autodidact.empty, autodidact.zeros, autodidact.ones])
def test_creators_take_dtype_and_device(maker):
    x = maker(2, dtype=autodidact.int32, device="cpu")
    assert x.dtype is autodidact.int32 and x.device == autodidact.device("cpu")
    assert maker(()).shape == () and maker(0, 3).shape == (0, 3)
    y = maker(2, requires_grad=True)
    assert y.requires_grad and y.is_leaf


def test_creator_dtypes_from_python_types():
    assert autodidact.ones(2, dtype=float).dtype is autodidact.float64
    assert autodidact.ones(2, dtype=int).dtype is autodidact.int64
    assert autodidact.ones(2, dtype=bool).dtype is autodidact.bool


def test_zeros_negative_size():
    with raises(RuntimeError, "zeros: Dimension size must be non-negative."):
        autodidact.zeros(-1)
    with raises(RuntimeError, "zeros: Dimension size must be non-negative."):
        autodidact.zeros((2, -3))


@pytest.mark.parametrize("maker", [autodidact.empty, autodidact.ones, autodidact.rand,
                                   autodidact.randn])
def test_negative_size(maker):
    with raises(RuntimeError, "Trying to create tensor with negative dimension -1: [2, -1]"):
        maker(2, -1)


@pytest.mark.parametrize("name", ["empty", "zeros", "ones", "rand"])
def test_float_sizes(name):
    maker = getattr(autodidact, name)
    with raises(TypeError, f"{name}(): argument 'size' failed to unpack the object at pos 2 with "
                           "error \"type must be tuple of ints,but got float\""):
        maker(2, 3.0)
    with raises(TypeError, f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                           "float"):
        maker(2.0)


def test_full_infers_dtype_from_the_value():
    assert autodidact.full((2,), 3).dtype is autodidact.int64
    assert autodidact.full((2,), 3.0).dtype is autodidact.float32
    assert autodidact.full((2,), True).dtype is autodidact.bool
    assert autodidact.full((2,), 3).tolist() == [3, 3]
    assert autodidact.full([2, 2], 1.5).tolist() == [[1.5, 1.5], [1.5, 1.5]]
    assert autodidact.full((), 2.0).shape == ()
    assert autodidact.full((2,), autodidact.tensor(2.0)).tolist() == [2.0, 2.0]


def test_full_with_dtype():
    assert autodidact.full((2,), 3, dtype=autodidact.float64).dtype is autodidact.float64
    assert autodidact.full((2,), 1.5, dtype=autodidact.int64).tolist() == [1, 1]
    assert autodidact.full((2,), -1, dtype=autodidact.uint8).tolist() == [255, 255]


def test_full_errors():
    with raises(TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not int"):
        autodidact.full(2, 3)
    with raises(RuntimeError, "value cannot be converted to type uint8_t without overflow"):
        autodidact.full((2,), 300, dtype=autodidact.uint8)
    with raises(RuntimeError, "fill_ only supports 0-dimension value tensor but got tensor with "
                              "1 dimensions."):
        autodidact.full((2,), autodidact.ones(2))


@pytest.mark.parametrize("args, kwargs, values, dtype", [
    ((5,), {}, [0, 1, 2, 3, 4], "int64"),
    ((1, 4), {}, [1, 2, 3], "int64"),
    ((0.0, 1.0, 0.25), {}, [0.0, 0.25, 0.5, 0.75], "float32"),
    ((0, 1, 0.25), {}, [0.0, 0.25, 0.5, 0.75], "float32"),
    ((5, 0, -1), {}, [5, 4, 3, 2, 1], "int64"),
    ((5.0,), {}, [0.0, 1.0, 2.0, 3.0, 4.0], "float32"),
    ((0, 10, 3), {}, [0, 3, 6, 9], "int64"),
    ((0, 5), {"dtype": autodidact.float64}, [0.0, 1.0, 2.0, 3.0, 4.0], "float64"),
    ((3,), {"dtype": autodidact.uint8}, [0, 1, 2], "uint8"),
    ((-1.5, 1.5), {}, [-1.5, -0.5, 0.5], "float32"),
    ((0, 0), {}, [], "int64"),
])
def test_arange(args, kwargs, values, dtype):
    x = autodidact.arange(*args, **kwargs)
    assert x.dtype.name == dtype
    assert x.tolist() == pytest.approx(values)


def test_arange_errors():
    with raises(RuntimeError, "step must be nonzero"):
        autodidact.arange(0, 1, 0)
    with raises(RuntimeError, "upper bound and lower bound inconsistent with step sign"):
        autodidact.arange(1, 0)
    with raises(RuntimeError, "upper bound and lower bound inconsistent with step sign"):
        autodidact.arange(0, 5, -1)


def test_linspace():
    assert autodidact.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert autodidact.linspace(0, 1, 5).dtype is autodidact.float32
    assert autodidact.linspace(0, 1, 1).tolist() == [0.0]
    assert autodidact.linspace(0, 1, 0).shape == (0,)
    assert autodidact.linspace(-1, 1, 3, dtype=autodidact.float64).dtype is autodidact.float64
    x = autodidact.linspace(0, 10, 5, dtype=autodidact.int64)
    assert x.dtype is autodidact.int64 and x.tolist() == [0, 2, 5, 7, 10]
    with raises(RuntimeError, "number of steps must be non-negative"):
        autodidact.linspace(0, 1, -1)


def test_eye():
    assert autodidact.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert autodidact.eye(2).dtype is autodidact.float32
    assert autodidact.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert autodidact.eye(3, dtype=autodidact.int64).dtype is autodidact.int64
    assert autodidact.eye(0).shape == (0, 0)
    with raises(RuntimeError, "n must be greater or equal to 0, got -1"):
        autodidact.eye(-1)
    with raises(RuntimeError, "m must be greater or equal to 0, got -2"):
        autodidact.eye(2, -2)


# --------------------------------------------------------------- *_like


def test_like_functions_copy_shape_dtype_and_device():
    source = autodidact.tensor([[1, 2, 3]], dtype=autodidact.int16)
    for maker in (autodidact.empty_like, autodidact.zeros_like, autodidact.ones_like):
        x = maker(source)
        assert x.shape == (1, 3) and x.dtype is autodidact.int16 and x.device == source.device
    assert autodidact.zeros_like(source).tolist() == [[0, 0, 0]]
    assert autodidact.ones_like(source).tolist() == [[1, 1, 1]]
    assert autodidact.ones_like(source, dtype=autodidact.float64).dtype is autodidact.float64
    assert autodidact.full_like(autodidact.tensor([1, 2]), 2.7).tolist() == [2, 2]
    assert autodidact.full_like(autodidact.tensor([1.0, 2.0]), 2).tolist() == [2.0, 2.0]
    floats = autodidact.ones(2, 2, dtype=autodidact.float64)
    assert autodidact.rand_like(floats).dtype is autodidact.float64
    assert autodidact.randn_like(floats).shape == (2, 2)
    assert autodidact.zeros_like(floats, requires_grad=True).requires_grad


def test_random_like_of_integers_is_an_error():
    ints = autodidact.ones(2, dtype=autodidact.int64)
    with raises(NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"):
        autodidact.rand_like(ints)
    with raises(NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"):
        autodidact.randn_like(ints)


# --------------------------------------------------------------- random


def test_random_dtypes():
    assert autodidact.rand(2, 3).dtype is autodidact.float32
    assert autodidact.randn(2, 3).dtype is autodidact.float32
    assert autodidact.randint(0, 10, (2,)).dtype is autodidact.int64
    assert autodidact.randint(10, (2,)).dtype is autodidact.int64
    assert autodidact.rand(2, dtype=autodidact.float64).dtype is autodidact.float64
    assert autodidact.randn(2, dtype=autodidact.float16).dtype is autodidact.float16
    assert autodidact.randint(0, 10, (2,), dtype=autodidact.int32).dtype is autodidact.int32
    assert autodidact.randint(0, 10, (2,), dtype=autodidact.float32).dtype is autodidact.float32
    assert autodidact.rand((2, 3)).shape == (2, 3)
    assert autodidact.randint(3, 5, (2, 2)).shape == (2, 2)


def test_random_ranges():
    autodidact.manual_seed(1)
    u = autodidact.rand(100_000).numpy()
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.01
    n = autodidact.randn(100_000, dtype=autodidact.float64).numpy()
    assert abs(n.mean()) < 0.02 and abs(n.std() - 1.0) < 0.02
    k = autodidact.randint(-3, 4, (10_000,)).numpy()
    assert set(np.unique(k).tolist()) == set(range(-3, 4))


def test_random_errors():
    with raises(RuntimeError, "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"):
        autodidact.randint(5, 5, (2,))
    with raises(TypeError, "randint(): argument 'size' must be tuple of ints, not int"):
        autodidact.randint(0, 10, 3)
    with raises(NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"):
        autodidact.rand(2, dtype=autodidact.int64)
    with raises(NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Bool'"):
        autodidact.rand(2, dtype=autodidact.bool)
    with raises(NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Int'"):
        autodidact.randn(2, dtype=autodidact.int32)


@pytest.mark.parametrize("dtype", [autodidact.float16, autodidact.float32, autodidact.float64])
def test_uniform_ranges_stay_half_open_after_rounding(monkeypatch, dtype):
    # The largest uniform, 1 - 2**-24 (or 1 - 2**-53), rounds to 1.0 in float16:
    # as in PyTorch, a value rounded onto `to` becomes `from`, never `to`.
    from autodidact.random.engine import Generator
    monkeypatch.setattr(Generator, "words", lambda self, n: np.full(n, 2 ** 32 - 1, np.uint64))
    monkeypatch.setattr(Generator, "words64", lambda self, n: np.full(n, 2 ** 64 - 1, np.uint64))
    top = autodidact.rand(4, dtype=dtype).max().item()
    assert top < 1.0 and (top == 0.0) == (dtype is autodidact.float16)
    x = autodidact.empty(4, dtype=dtype).uniform_(-1, 1)
    assert x.max().item() < 1.0
    assert (x.min().item() == -1.0) == (dtype is autodidact.float16)


def test_manual_seed_reproduces_every_stream():
    def draw():
        return (autodidact.rand(3).tolist(), autodidact.randn(3).tolist(),
                autodidact.randint(0, 100, (3,)).tolist(),
                autodidact.empty(3).uniform_(-1, 1).tolist(),
                autodidact.empty(3).normal_(2.0, 0.5).tolist(),
                autodidact.randperm(5).tolist())

    generator = autodidact.manual_seed(42)
    first = draw()
    autodidact.manual_seed(42)
    assert draw() == first
    autodidact.manual_seed(43)
    assert draw() != first
    # As in PyTorch, manual_seed returns the default generator itself.
    assert generator is autodidact.default_generator
    assert generator.initial_seed() == autodidact.initial_seed() == 43
    assert autodidact.cuda.is_available() in (True, False)
    autodidact.cuda.manual_seed(42)   # the CUDA spelling seeds the same streams
    assert draw() == first


def test_a_fresh_process_draws_the_same_numbers():
    # As in PyTorch, the default generator starts from a fixed seed.
    code = "import autodidact; print(autodidact.rand(3).tolist(), autodidact.initial_seed())"
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, timeout=120) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.split("]")[1].strip() == "67280421310721"


# ------------------------------------------------- in-place random fills


def test_uniform_is_in_place_and_half_open():
    x = autodidact.Tensor(5, 3)
    assert x.uniform_(-1, 1) is x
    big = autodidact.empty(100_000).uniform_(-1, 1).numpy()
    assert big.min() >= -1 and big.max() < 1
    assert big.min() < -0.99 and big.max() > 0.99
    default = autodidact.empty(10_000).uniform_().numpy()
    assert default.min() >= 0 and default.max() < 1


def test_uniform_equal_bounds_and_dtype():
    assert autodidact.empty(3).uniform_(2, 2).tolist() == [2.0, 2.0, 2.0]
    assert autodidact.empty(3, dtype=autodidact.float64).uniform_(-1, 1).dtype is autodidact.float64


def test_uniform_errors_leave_the_tensor_unchanged():
    x = autodidact.zeros(3)
    with raises(RuntimeError, "uniform_ expects to return a [from, to) range, but found from=1 > to=-1"):
        x.uniform_(1, -1)
    assert x.tolist() == [0.0, 0.0, 0.0]
    ints = autodidact.zeros(3, dtype=autodidact.int64)
    with raises(NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"):
        ints.uniform_(-1, 1)
    assert ints.tolist() == [0, 0, 0]
    leaf = autodidact.zeros(3, requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        leaf.uniform_(-1, 1)
    assert leaf.tolist() == [0.0, 0.0, 0.0]


def test_normal_():
    x = autodidact.empty(100_000, dtype=autodidact.float64)
    assert x.normal_(3.0, 2.0) is x
    assert abs(x.numpy().mean() - 3.0) < 0.05 and abs(x.numpy().std() - 2.0) < 0.05
    assert autodidact.empty(3).normal_(2, 0).tolist() == [2.0, 2.0, 2.0]
    with raises(RuntimeError, "normal expects std >= 0.0, but found std -1"):
        autodidact.empty(3).normal_(0, -1)
    with raises(NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"):
        autodidact.empty(3, dtype=autodidact.int64).normal_()


# ----------------------------------------------------------- fill_, zero_


@pytest.mark.parametrize("dtype, value, expected", [
    (autodidact.float32, 2.5, 2.5),
    (autodidact.int64, 2.7, 2),
    (autodidact.int32, 2.5, 2),
    (autodidact.uint8, -1, 255),
    (autodidact.bool, 0.5, True),
    (autodidact.bool, 5, True),
    (autodidact.float32, autodidact.tensor(2.0), 2.0),
    (autodidact.int64, autodidact.tensor(1.5), 1),
])
def test_fill_(dtype, value, expected):
    x = autodidact.empty(3, dtype=dtype)
    assert x.fill_(value) is x
    assert x.tolist() == [expected] * 3 and x.dtype is dtype


@pytest.mark.parametrize("dtype, value, message", [
    (autodidact.uint8, 300, "value cannot be converted to type uint8_t without overflow"),
    (autodidact.int8, -129, "value cannot be converted to type int8_t without overflow"),
    (autodidact.uint8, -1.5, "value cannot be converted to type uint8_t without overflow"),
    (autodidact.int32, float("nan"), "value cannot be converted to type int without overflow"),
])
def test_fill_out_of_range(dtype, value, message):
    x = autodidact.zeros(3, dtype=dtype)
    with raises(RuntimeError, message):
        x.fill_(value)
    assert x.tolist() == [0, 0, 0]


def test_fill_with_a_tensor_of_dimensions_is_an_error():
    x = autodidact.ones(3)
    with raises(RuntimeError, "fill_ only supports 0-dimension value tensor but got tensor with "
                              "1 dimensions."):
        x.fill_(autodidact.tensor([2.0]))
    assert x.tolist() == [1.0, 1.0, 1.0]


def test_zero_():
    x = autodidact.ones(2, 3, dtype=autodidact.int16)
    assert x.zero_() is x
    assert x.tolist() == [[0, 0, 0], [0, 0, 0]]
    leaf = autodidact.ones(2, requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        leaf.zero_()
    with autodidact.no_grad():
        leaf.zero_()
    assert leaf.tolist() == [0.0, 0.0]


def test_creation_functions_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        autodidact.tensor([1e300], dtype=autodidact.float32)
        autodidact.rand(10, dtype=autodidact.float16)
        autodidact.empty(10, dtype=autodidact.float16).uniform_(-1, 1)
