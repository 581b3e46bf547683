"""matmul / @ / mm / dot / bmm: shapes, values, and every error of section 31.

PyTorch runs a product as one of four kernels (dot, mv, mm, bmm), and each
words its errors its own way; autodidact says the same words.
"""

import re

import numpy as np
import pytest

import autodidact


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


RNG = np.random.default_rng(2)


def ones(*shape, dtype=None):
    return autodidact.ones(shape, dtype=dtype)


@pytest.mark.parametrize("left, right, shape", [
    ((3,), (3,), ()),
    ((2, 3), (3,), (2,)),
    ((3,), (3, 2), (2,)),
    ((2, 3), (3, 4), (2, 4)),
    ((4, 2, 3), (3, 5), (4, 2, 5)),
    ((3,), (4, 3, 5), (4, 5)),
    ((4, 2, 3), (3,), (4, 2)),
    ((4, 2, 3), (4, 3, 5), (4, 2, 5)),
    ((2, 1, 2, 3), (4, 3, 5), (2, 4, 2, 5)),
    ((2, 3), (5, 3, 2), (5, 2, 2)),
    ((0, 3), (3, 2), (0, 2)),
    ((2, 0), (0, 2), (2, 2)),
    ((0,), (0,), ()),
])
def test_matmul_shapes_and_values(left, right, shape):
    a = RNG.standard_normal(left).astype(np.float32)
    b = RNG.standard_normal(right).astype(np.float32)
    x, y = autodidact.tensor(a), autodidact.tensor(b)
    expected = np.matmul(a.astype(np.float64), b.astype(np.float64))
    for result in (x @ y, autodidact.matmul(x, y), x.matmul(y)):
        assert result.shape == shape and result.dtype is autodidact.float32
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_matmul_values_by_hand():
    assert (ones(3) @ ones(3)).tolist() == 3.0
    x = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (x.T @ autodidact.tensor([1.0, 1.0])).tolist() == [4.0, 6.0]
    assert (x @ x).tolist() == [[7.0, 10.0], [15.0, 22.0]]


@pytest.mark.parametrize("dtype", [autodidact.int64, autodidact.int32, autodidact.uint8,
                                   autodidact.float16, autodidact.float64])
def test_matmul_of_one_dtype_keeps_it(dtype):
    result = ones(2, 3, dtype=dtype) @ ones(3, 2, dtype=dtype)
    assert result.dtype is dtype and result.tolist() == [[3, 3], [3, 3]]


def test_integer_matmul_is_exact():
    a = autodidact.tensor([[1, 2], [3, 4]])
    b = autodidact.tensor([[5, 6], [7, 8]])
    assert (a @ b).tolist() == [[19, 22], [43, 50]]


def test_mm_dot_bmm():
    a = RNG.standard_normal((2, 3)).astype(np.float32)
    b = RNG.standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(autodidact.mm(autodidact.tensor(a), autodidact.tensor(b)).numpy(),
                               a @ b, rtol=1e-5)
    assert autodidact.dot(autodidact.tensor([1.0, 2.0]), autodidact.tensor([3.0, 4.0])).item() == 11.0
    assert autodidact.dot(ones(2, dtype=autodidact.int64), ones(2, dtype=autodidact.int64)).item() == 2
    assert autodidact.bmm(ones(2, 2, 3), ones(2, 3, 4)).shape == (2, 2, 4)
    assert ones(2, 3).mm(ones(3, 1)).shape == (2, 1)


@pytest.mark.parametrize("left, right, message", [
    # mm, and a batch folded into an mm
    ((2, 3), (2, 2), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x2)"),
    ((3,), (2, 5), "mat1 and mat2 shapes cannot be multiplied (1x3 and 2x5)"),
    ((4, 2, 3), (2, 5), "mat1 and mat2 shapes cannot be multiplied (8x3 and 2x5)"),
    ((2, 0), (3, 2), "mat1 and mat2 shapes cannot be multiplied (2x0 and 3x2)"),
    # dot
    ((3,), (2,), "inconsistent tensor size, expected tensor [3] and src [2] to have the same "
                 "number of elements, but got 3 and 2 elements respectively"),
    # mv
    ((2, 3), (2,), "size mismatch, got input (2), mat (2x3), vec (2)"),
    ((4, 2, 3), (2,), "size mismatch, got input (8), mat (8x3), vec (2)"),
    ((2, 4, 2, 3), (2,), "size mismatch, got input (16), mat (16x3), vec (2)"),
    # bmm (batch dims broadcast first)
    ((4, 2, 3), (4, 2, 5), "Expected size for first two dimensions of batch2 tensor to be: "
                           "[4, 3] but got: [4, 2]."),
    ((2, 3), (4, 2, 5), "Expected size for first two dimensions of batch2 tensor to be: "
                        "[4, 3] but got: [4, 2]."),
    ((3,), (4, 2, 5), "Expected size for first two dimensions of batch2 tensor to be: "
                      "[4, 3] but got: [4, 2]."),
    ((2, 1, 2, 3), (3, 2, 5), "Expected size for first two dimensions of batch2 tensor to be: "
                              "[6, 3] but got: [6, 2]."),
    ((4, 2, 3), (5, 3, 5), "The size of tensor a (4) must match the size of tensor b (5) at "
                           "non-singleton dimension 0"),
    ((2, 3, 4, 5), (3, 2, 5, 4), "The size of tensor a (3) must match the size of tensor b (2) "
                                 "at non-singleton dimension 1"),
    # 0-d operands
    ((), (2,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ((2,), (), "both arguments to matmul need to be at least 1D, but they are 1D and 0D"),
])
def test_matmul_shape_errors_name_both(left, right, message):
    with raises(RuntimeError, message):
        ones(*left) @ ones(*right)
    with raises(RuntimeError, message):
        autodidact.matmul(ones(*left), ones(*right))


@pytest.mark.parametrize("left, right, message", [
    ((2, 3, autodidact.float32), (3, 2, autodidact.float64),
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    ((2, 3, autodidact.float32), (3, 2, autodidact.int64),
     "expected m1 and m2 to have the same dtype, but got: float != long int"),
    ((2, 3, autodidact.int64), (3, 2, autodidact.int32),
     "expected m1 and m2 to have the same dtype, but got: long int != int"),
    ((2, 3, autodidact.int32), (3, 2, autodidact.int16),
     "expected m1 and m2 to have the same dtype, but got: int != short int"),
    ((2, 3, autodidact.float16), (3, 2, autodidact.uint8),
     "expected m1 and m2 to have the same dtype, but got: c10::Half != unsigned char"),
    ((2, 3, autodidact.int8), (3, 2, autodidact.bool),
     "expected m1 and m2 to have the same dtype, but got: signed char != bool"),
    ((2, autodidact.float32), (2, autodidact.float64),
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    ((2, autodidact.float32), (3, autodidact.float64),
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    ((2, 2, autodidact.float64), (2, autodidact.float32),
     "addmv input tensors must have the same dtype, but got Float, Double, and Float"),
    ((2, 2, autodidact.int32), (2, autodidact.int64),
     "addmv input tensors must have the same dtype, but got Long, Int, and Long"),
    ((2, 2, 2, autodidact.float64), (2, 2, 2, autodidact.float32),
     "expected scalar type Double but found Float"),
    ((2, autodidact.float32), (2, 2, 2, autodidact.float64),
     "expected scalar type Float but found Double"),
    # a shape mismatch is reported before a dtype mismatch (as PyTorch)
    ((2, 3, autodidact.float32), (2, 2, autodidact.float64),
     "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x2)"),
    ((2, 3, autodidact.float32), (2, autodidact.float64),
     "size mismatch, got input (2), mat (2x3), vec (2)"),
])
def test_matmul_does_not_promote(left, right, message):
    a = ones(*left[:-1], dtype=left[-1])
    b = ones(*right[:-1], dtype=right[-1])
    with raises(RuntimeError, message):
        a @ b


@pytest.mark.parametrize("left, right, kernel", [
    ((2,), (2,), "dot"), ((2, 2), (2,), "addmv_impl_cpu"), ((2, 2, 2), (2,), "addmv_impl_cpu"),
    ((2, 2), (2, 2), "addmm_impl_cpu_"), ((2,), (2, 2), "addmm_impl_cpu_"),
    ((2, 2, 2), (2, 2), "addmm_impl_cpu_"), ((2, 2, 2), (2, 2, 2), "bmm"), ((2,), (3, 2, 2), "bmm"),
])
def test_bool_matmul_is_not_implemented(left, right, kernel):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'Bool'"):
        ones(*left, dtype=autodidact.bool) @ ones(*right, dtype=autodidact.bool)


def test_matmul_operand_types():
    with raises(TypeError, "matmul(): argument 'other' (position 2) must be Tensor, not int"):
        autodidact.matmul(ones(2, 3), 2)
    with raises(TypeError, "matmul(): argument 'input' (position 1) must be Tensor, not int"):
        autodidact.matmul(2, ones(2))
    with raises(TypeError, "unsupported operand type(s) for @: 'Tensor' and 'list'"):
        ones(2, 3) @ [1, 2, 3]


def test_mm_dot_bmm_errors():
    with raises(RuntimeError, "self must be a matrix"):
        autodidact.mm(ones(3), ones(3, 2))
    with raises(RuntimeError, "mat2 must be a matrix"):
        autodidact.mm(ones(2, 3), ones(3))
    with raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x2)"):
        autodidact.mm(ones(2, 3), ones(2, 2))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: float != double"):
        autodidact.mm(ones(2, 3), ones(3, 2, dtype=autodidact.float64))
    with raises(RuntimeError, "1D tensors expected, but got 2D and 1D tensors"):
        autodidact.dot(ones(2, 2), ones(2))
    with raises(RuntimeError, "dot : expected both vectors to have same dtype, but found Float and Double"):
        autodidact.dot(ones(2), ones(2, dtype=autodidact.float64))
    with raises(RuntimeError, "inconsistent tensor size, expected tensor [2] and src [3]"):
        autodidact.dot(ones(2), ones(3))
    with raises(RuntimeError, "batch1 must be a 3D tensor"):
        autodidact.bmm(ones(2, 3), ones(2, 3, 3))
    with raises(RuntimeError, "batch2 must be a 3D tensor"):
        autodidact.bmm(ones(2, 2, 3), ones(3, 3))
    with raises(RuntimeError, "Expected size for first two dimensions of batch2 tensor to be: "
                              "[2, 3] but got: [3, 3]."):
        autodidact.bmm(ones(2, 2, 3), ones(3, 3, 4))
    with raises(RuntimeError, "Expected size for first two dimensions of batch2 tensor to be: "
                              "[2, 3] but got: [2, 2]."):
        autodidact.bmm(ones(2, 2, 3), ones(2, 2, 4))
    with raises(RuntimeError, "expected scalar type Float but found Double"):
        autodidact.bmm(ones(2, 2, 3), ones(2, 3, 4, dtype=autodidact.float64))
