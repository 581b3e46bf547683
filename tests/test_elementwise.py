"""Elementwise ops: arithmetic with broadcasting and out=, the math functions,
clamp/where/maximum/minimum, comparisons and bitwise ops.

Values are checked against NumPy computing the same thing; behaviour and
error texts against PyTorch 2.13 (reference sections 5, 10, 13, 32, 34).
"""

import re
import warnings

import numpy as np
import pytest

import autodidact


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4)).astype(np.float32)
B = RNG.standard_normal((3, 4)).astype(np.float32)
POSITIVE = (np.abs(A) + 0.1).astype(np.float32)


def t(array):
    return autodidact.tensor(array)


def close(tensor, expected, rtol=1e-6, atol=1e-6):
    got = tensor.numpy()
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


# -------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("name, op, reference", [
    ("add", lambda x, y: x + y, np.add),
    ("sub", lambda x, y: x - y, np.subtract),
    ("mul", lambda x, y: x * y, np.multiply),
    ("div", lambda x, y: x / y, np.divide),
    ("pow", lambda x, y: x ** y, np.power),
    ("maximum", None, np.maximum),
    ("minimum", None, np.minimum),
])
def test_binary_values_and_three_spellings(name, op, reference):
    x, y = (t(POSITIVE), t(B)) if name == "pow" else (t(A), t(B))
    expected = reference(x.numpy(), y.numpy())
    close(getattr(autodidact, name)(x, y), expected, rtol=1e-5)
    close(getattr(x, name)(y), expected, rtol=1e-5)
    if op is not None:
        close(op(x, y), expected, rtol=1e-5)


def test_scalars_on_either_side():
    x = autodidact.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert (x + 1).tolist() == (1 + x).tolist() == [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]
    assert (1 - x).tolist() == [[0.0, -1.0, -2.0], [-3.0, -4.0, -5.0]]
    assert (x - 1).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert (2 * x).tolist() == [[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]]
    assert (x / 2).tolist() == [[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]]
    close(1 / x, 1 / x.numpy())
    close(2 ** x, 2 ** x.numpy(), rtol=1e-6)
    assert (-x).tolist() == [[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0]]
    assert (+x) is x


def test_add_alpha():
    x, y = autodidact.tensor([[1.0, 2.0, 3.0]]), autodidact.ones(1, 3)
    assert autodidact.add(x, y, alpha=10).tolist() == [[11.0, 12.0, 13.0]]
    assert autodidact.sub(x, y, alpha=2).tolist() == [[-1.0, 0.0, 1.0]]
    assert autodidact.add(autodidact.tensor([1, 2]), autodidact.tensor([3, 4]), alpha=2).tolist() == [7, 10]
    with raises(RuntimeError, "For integral input tensors, argument alpha must not be a floating "
                              "point number."):
        autodidact.add(autodidact.tensor([1, 2]), autodidact.tensor([3, 4]), alpha=0.5)


@pytest.mark.parametrize("left, right, shape", [
    ((3, 1), (1, 4), (3, 4)),
    ((5, 3), (3,), (5, 3)),
    ((5, 3), (5, 1), (5, 3)),
    ((2, 1, 3), (4, 1), (2, 4, 3)),
    ((), (2, 2), (2, 2)),
    ((1, 3), (0, 3), (0, 3)),
    ((2, 3, 4), (5, 1, 1, 4), (5, 2, 3, 4)),
])
def test_broadcasting_shapes_and_values(left, right, shape):
    a = RNG.standard_normal(left).astype(np.float32)
    b = RNG.standard_normal(right).astype(np.float32)
    result = t(a) + t(b)
    assert result.shape == shape
    close(result, a + b)


def test_broadcast_example_values():
    a = autodidact.arange(3.0).reshape(3, 1)
    b = autodidact.arange(4.0).reshape(1, 4)
    assert (a + b).tolist() == [[0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 5.0]]
    assert (autodidact.tensor(5.0) + autodidact.ones(2, 2)).tolist() == [[6.0, 6.0], [6.0, 6.0]]


@pytest.mark.parametrize("left, right, a, b, dim", [
    ((2, 3), (3, 2), 3, 2, 1),
    ((2, 3), (2,), 3, 2, 1),
    ((5, 3), (5,), 3, 5, 1),
    ((2, 3), (0, 3), 2, 0, 0),
    ((2, 3, 4), (2, 5, 4), 3, 5, 1),
])
@pytest.mark.parametrize("op", [
    lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y, lambda x, y: x / y,
    lambda x, y: x // y, lambda x, y: x % y, lambda x, y: x ** y, lambda x, y: x == y,
    lambda x, y: x < y, autodidact.maximum, lambda x, y: autodidact.where(x > 0, x, y),
])
def test_shapes_that_do_not_broadcast_name_both(left, right, a, b, dim, op):
    x, y = autodidact.ones(*left), autodidact.ones(*right)
    with raises(RuntimeError, f"The size of tensor a ({a}) must match the size of tensor b ({b}) "
                              f"at non-singleton dimension {dim}"):
        op(x, y)


def test_int_and_ndarray_operands():
    assert (autodidact.tensor([1, 2]) + np.ones(2)).dtype is autodidact.float64
    assert (autodidact.tensor([1, 2]) + np.ones(2)).tolist() == [2.0, 3.0]


@pytest.mark.parametrize("other, name", [("a", "str"), ([1, 2], "list"), (None, "NoneType")])
def test_unsupported_operands_give_pythons_type_error(other, name):
    x = autodidact.tensor([1, 2])
    with raises(TypeError, f"unsupported operand type(s) for +: 'Tensor' and '{name}'"):
        x + other
    with raises(TypeError, f"unsupported operand type(s) for -: '{name}' and 'Tensor'"):
        other - x


def test_equality_with_non_numbers_falls_back_to_identity():
    x = autodidact.tensor([1, 2])
    assert (x == None) is False   # noqa: E711  (the comparison is the point)
    assert (x != None) is True    # noqa: E711
    assert (x == "a") is False


# --------------------------------------------------------------- out=


def test_out_returns_out_itself():
    x, y = autodidact.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), autodidact.ones(2, 3)
    result = autodidact.empty(2, 3)
    r = autodidact.add(x, y, out=result)
    assert r is result
    assert result.tolist() == [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]


def test_out_of_another_dtype():
    x, y = autodidact.ones(2, 3), autodidact.ones(2, 3)
    assert autodidact.add(x, y, out=autodidact.empty(2, 3, dtype=autodidact.float64)).dtype is autodidact.float64
    assert autodidact.add(x, y, out=autodidact.empty(2, 3, dtype=autodidact.float16)).tolist() == [[2.0] * 3] * 2
    ints = autodidact.tensor([1, 2]), autodidact.tensor([3, 4])
    assert autodidact.add(*ints, out=autodidact.empty(2)).tolist() == [4.0, 6.0]
    assert autodidact.add(*ints, out=autodidact.empty(2, dtype=autodidact.int8)).tolist() == [4, 6]


@pytest.mark.parametrize("args, out, message", [
    ((autodidact.ones(2, 3), autodidact.ones(2, 3)), autodidact.zeros(2, 3, dtype=autodidact.int64),
     "result type Float can't be cast to the desired output type Long"),
    ((autodidact.tensor([1, 2]), autodidact.tensor([3, 4])), autodidact.zeros(2, dtype=autodidact.bool),
     "result type Long can't be cast to the desired output type Bool"),
])
def test_out_that_cannot_hold_the_result_is_left_unchanged(args, out, message):
    before = out.tolist()
    with raises(RuntimeError, message):
        autodidact.add(*args, out=out)
    assert out.tolist() == before


def test_out_of_the_wrong_shape_is_resized():
    x, y = autodidact.ones(2, 3), autodidact.ones(2, 3)
    with pytest.warns(UserWarning, match=re.escape(
            "An output with one or more elements was resized since it had shape [5, 5], which "
            "does not match the required output shape [2, 3].")):
        assert autodidact.add(x, y, out=autodidact.empty(5, 5)).shape == (2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert autodidact.add(x, y, out=autodidact.empty(0)).shape == (2, 3)


def test_out_with_autograd_is_refused():
    out = autodidact.zeros(2, 3)
    with raises(RuntimeError, "add(): functions with out=... arguments don't support automatic "
                              "differentiation, but one of the arguments requires grad."):
        autodidact.add(autodidact.ones(2, 3, requires_grad=True), autodidact.ones(2, 3), out=out)
    assert out.tolist() == [[0.0] * 3] * 2


# ------------------------------------------------------- math functions


@pytest.mark.parametrize("name, reference, data", [
    ("exp", np.exp, A), ("log", np.log, POSITIVE), ("sqrt", np.sqrt, POSITIVE),
    ("sin", np.sin, A), ("cos", np.cos, A), ("tanh", np.tanh, A),
    ("sigmoid", lambda a: 1 / (1 + np.exp(-a)), A), ("relu", lambda a: np.maximum(a, 0), A),
    ("abs", np.abs, A), ("neg", np.negative, A), ("sign", np.sign, A),
])
def test_unary_values(name, reference, data):
    x = t(data)
    expected = reference(data.astype(np.float64)).astype(np.float32)
    close(getattr(autodidact, name)(x), expected, rtol=1e-6)
    close(getattr(x, name)(), expected, rtol=1e-6)
    assert getattr(x, name)().dtype is autodidact.float32


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid"])
def test_float_functions_of_integers_are_float32(name):
    x = autodidact.tensor([1, 4])
    y = getattr(autodidact, name)(x)
    assert y.dtype is autodidact.float32
    close(y, getattr(autodidact, name)(x.float()).numpy())


def test_integer_preserving_functions():
    assert autodidact.relu(autodidact.tensor([-1, 0, 2])).tolist() == [0, 0, 2]
    assert autodidact.abs(autodidact.tensor([-1, 2])).tolist() == [1, 2]
    assert autodidact.abs(autodidact.tensor([-128], dtype=autodidact.int8)).tolist() == [-128]
    assert autodidact.neg(autodidact.tensor([1, -2])).tolist() == [-1, 2]
    assert autodidact.sign(autodidact.tensor([True, False])).tolist() == [True, False]
    assert autodidact.tensor([3, -4]).sign().tolist() == [1, -1]
    assert autodidact.round(autodidact.tensor([0.5, 1.5, 2.5, -0.5])).tolist() == [0.0, 2.0, 2.0, -0.0]


def test_bool_inputs_that_pytorch_refuses():
    mask = autodidact.tensor([True, False])
    with raises(RuntimeError, "Boolean inputs not supported for relu"):
        autodidact.relu(mask)
    with raises(NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"):
        autodidact.abs(mask)


def test_special_values_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert autodidact.exp(autodidact.tensor([1000.0])).tolist() == [float("inf")]
        logs = autodidact.log(autodidact.tensor([0.0, -1.0, 1.0])).tolist()
        assert logs[0] == float("-inf") and logs[1] != logs[1] and logs[2] == 0.0
        assert autodidact.sqrt(autodidact.tensor([-1.0])).item() != autodidact.sqrt(autodidact.tensor([-1.0])).item()
        assert autodidact.tanh(autodidact.tensor([-100.0, 0.0, 100.0])).tolist() == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("dtype", [autodidact.float16, autodidact.float32, autodidact.float64])
def test_sigmoid_is_stable_at_the_extremes(dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = autodidact.sigmoid(autodidact.tensor([-1000.0, 0.0, 1000.0], dtype=dtype))
    assert y.dtype is dtype and y.tolist() == [0.0, 0.5, 1.0]


# --------------------------------------------------- clamp, where, max/min


def test_clamp():
    x = autodidact.tensor([-2.0, 0.5, 3.0])
    assert autodidact.clamp(x, -1, 1).tolist() == [-1.0, 0.5, 1.0]
    assert x.clamp(min=0).tolist() == [0.0, 0.5, 3.0]
    assert x.clamp(max=0).tolist() == [-2.0, 0.0, 0.0]
    assert x.clip(-1, 1).tolist() == [-1.0, 0.5, 1.0]
    assert x.clamp(2, 1).tolist() == [1.0, 1.0, 1.0]   # min > max: everything is max
    assert x.clamp(autodidact.tensor(0.0), autodidact.tensor(1.0)).tolist() == [0.0, 0.5, 1.0]
    assert x.clamp(autodidact.tensor([0.0, 1.0, 0.0])).tolist() == [0.0, 1.0, 3.0]
    ints = autodidact.tensor([-2, 0, 3])
    assert ints.clamp(-1, 1).tolist() == [-1, 0, 1] and ints.clamp(-1, 1).dtype is autodidact.int64
    assert ints.clamp(min=1.5).dtype is autodidact.float32
    assert ints.clamp(-0.5, 1).tolist() == [-0.5, 0.0, 1.0]
    with raises(RuntimeError, "clamp: At least one of 'min' or 'max' must not be None"):
        x.clamp()


def test_where():
    condition = autodidact.tensor([True, False])
    assert autodidact.where(condition, autodidact.tensor([1, 2]), autodidact.tensor([3.0, 4.0])).tolist() == [1.0, 4.0]
    assert autodidact.where(condition, autodidact.tensor([1, 2]), 0).dtype is autodidact.int64
    assert autodidact.where(condition, autodidact.tensor([1, 2]), 0.5).dtype is autodidact.float32
    assert autodidact.where(condition, 1.0, 0.0).tolist() == [1.0, 0.0]
    assert autodidact.where(condition, 1, 0).tolist() == [1, 0]
    assert autodidact.where(condition, 1, 0).dtype is autodidact.int64
    mixed = autodidact.where(condition, autodidact.ones(2, dtype=autodidact.int8),
                             autodidact.ones(2, dtype=autodidact.uint8))
    assert mixed.dtype is autodidact.int16
    assert autodidact.where(condition, autodidact.ones(2), autodidact.zeros(2, dtype=autodidact.float64)).dtype is autodidact.float64
    grid = autodidact.where(autodidact.tensor([[True], [False]]), autodidact.tensor([1, 2]), autodidact.tensor([3, 4]))
    assert grid.tolist() == [[1, 2], [3, 4]]
    assert autodidact.tensor([5, 6]).where(condition, 0).tolist() == [5, 0]
    indices, = autodidact.where(autodidact.tensor([False, True, True]))
    assert indices.tolist() == [1, 2] and indices.dtype is autodidact.int64


def test_where_errors():
    with raises(RuntimeError, "where expected condition to be a boolean tensor, but got a tensor "
                              "with dtype Long"):
        autodidact.where(autodidact.tensor([1, 0]), autodidact.tensor([1, 2]), 0)
    with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at "
                              "non-singleton dimension 1"):
        autodidact.where(autodidact.tensor([[True], [False]]), autodidact.tensor([1, 2]),
                         autodidact.tensor([3, 4, 5]))


def test_nonzero():
    x = autodidact.tensor([[0, 1], [2, 0]])
    assert autodidact.nonzero(x).tolist() == [[0, 1], [1, 0]]
    rows, cols = autodidact.nonzero(x, as_tuple=True)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]


def test_maximum_minimum():
    assert autodidact.maximum(autodidact.tensor([1, 5]), autodidact.tensor([3.0, 2.0])).tolist() == [3.0, 5.0]
    assert autodidact.minimum(autodidact.tensor([1, 5]), autodidact.tensor([3, 2])).tolist() == [1, 2]
    nan = autodidact.maximum(autodidact.tensor([1.0, float("nan")]), autodidact.tensor([3.0, 2.0])).tolist()
    assert nan[0] == 3.0 and nan[1] != nan[1]
    assert autodidact.max(autodidact.tensor([1.0, 5.0]), autodidact.tensor([3.0, 2.0])).tolist() == [3.0, 5.0]
    with raises(TypeError, "maximum(): argument 'other' (position 2) must be Tensor, not int"):
        autodidact.maximum(autodidact.tensor([1, 5]), 3)


# ------------------------------------------------------------- comparisons


@pytest.mark.parametrize("name, symbol, reference", [
    ("eq", "==", np.equal), ("ne", "!=", np.not_equal), ("lt", "<", np.less),
    ("le", "<=", np.less_equal), ("gt", ">", np.greater), ("ge", ">=", np.greater_equal),
])
def test_comparisons(name, symbol, reference):
    a = np.array([[1, 2, 3], [3, 2, 1]])
    b = np.array([2, 2, 2])
    x, y = t(a), t(b)
    expected = reference(a, b)
    for result in (getattr(autodidact, name)(x, y), getattr(x, name)(y),
                   eval(f"x {symbol} y"), eval(f"x {symbol} 2"), eval(f"x {symbol} 2.0")):
        assert result.dtype is autodidact.bool
        assert result.tolist() == expected.tolist()


def test_comparisons_promote():
    assert (autodidact.tensor([1.0, 2.0]) == 1).tolist() == [True, False]
    assert (autodidact.tensor([1, 2]) == autodidact.tensor([1.0, 2.0])).tolist() == [True, True]
    assert (autodidact.tensor([1, 2]) < 1.5).tolist() == [True, False]
    # A scalar out of the tensor's range wraps first, as in PyTorch: 300 is 44 in uint8.
    assert (autodidact.tensor([250], dtype=autodidact.uint8) < 300).tolist() == [False]
    assert (autodidact.tensor([1, 2]) >= autodidact.tensor([[1], [3]])).tolist() == [[True, True], [False, False]]
    nan = autodidact.tensor([float("nan")])
    assert (nan == nan).tolist() == [False]


def test_equal_and_allclose():
    assert autodidact.equal(autodidact.tensor([1, 2]), autodidact.tensor([1, 2])) is True
    assert autodidact.equal(autodidact.tensor([1, 2]), autodidact.tensor([1, 3])) is False
    assert autodidact.equal(autodidact.tensor([1, 2]), autodidact.tensor([1, 2, 3])) is False
    assert autodidact.allclose(autodidact.tensor([1.0]), autodidact.tensor([1.0 + 1e-9])) is True
    with raises(RuntimeError, "Float did not match Double"):
        autodidact.allclose(autodidact.tensor([1.0]), autodidact.tensor([1.0], dtype=autodidact.float64))


# ------------------------------------------------------------------ bitwise


def test_bitwise_ops():
    assert (autodidact.tensor([True, True]) & autodidact.tensor([True, False])).tolist() == [True, False]
    assert (autodidact.tensor([1, 2]) | 4).tolist() == [5, 6]
    assert (autodidact.tensor([1, 2]) ^ autodidact.tensor([3, 3])).tolist() == [2, 1]
    assert (~autodidact.tensor([True, False])).tolist() == [False, True]
    assert (~autodidact.tensor([1, 2])).tolist() == [-2, -3]
    assert autodidact.logical_not(autodidact.tensor([0, 3])).tolist() == [True, False]


def test_bitwise_ops_on_floats():
    with raises(NotImplementedError, "\"bitwise_and_cpu\" not implemented for 'Float'"):
        autodidact.tensor([1.0]) & autodidact.tensor([1.0])
    with raises(TypeError, "~ (operator.invert) is only implemented on integer and Boolean-type tensors"):
        ~autodidact.tensor([1.0])


def test_isnan_isinf_isfinite():
    x = autodidact.tensor([1.0, float("nan"), float("inf")])
    assert autodidact.isnan(x).tolist() == [False, True, False]
    assert autodidact.isinf(x).tolist() == [False, False, True]
    assert autodidact.isfinite(x).tolist() == [True, False, False]
    assert autodidact.isinf(autodidact.tensor([1, 2])).tolist() == [False, False]
