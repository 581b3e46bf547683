"""dtypes: names and aliases, casts, and PyTorch's promotion rules.

The promotion tables below are section 12 of the PyTorch 2.13 reference,
copied cell for cell: each operator is called on 1-D tensors of the row
and column dtypes (and on a Python scalar, on both sides), and the result
dtype or the error must match.
"""

import re
import warnings

import numpy as np
import pytest

import autodidact
from autodidact import dtypes

ABBREVIATIONS = {"b": "bool", "u8": "uint8", "i8": "int8", "i16": "int16", "i32": "int32",
                 "i64": "int64", "f16": "float16", "f32": "float32", "f64": "float64"}
ROWS = ["b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64"]
COLUMNS = ROWS + ["int 2", "float 2.5", "bool True"]
SCALARS = {"int 2": 2, "float 2.5": 2.5, "bool True": True}


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


# Section 12, verbatim (rows: the left tensor; columns: the right operand).
RESULT_TYPE = """
b   | b   u8  i8  i16 i32 i64 f16 f32 f64 i64 f32 b
u8  | u8  u8  i16 i16 i32 i64 f16 f32 f64 u8  f32 u8
i8  | i8  i16 i8  i16 i32 i64 f16 f32 f64 i8  f32 i8
i16 | i16 i16 i16 i16 i32 i64 f16 f32 f64 i16 f32 i16
i32 | i32 i32 i32 i32 i32 i64 f16 f32 f64 i32 f32 i32
i64 | i64 i64 i64 i64 i64 i64 f16 f32 f64 i64 f32 i64
f16 | f16 f16 f16 f16 f16 f16 f16 f32 f64 f16 f16 f16
f32 | f32 f32 f32 f32 f32 f32 f32 f32 f64 f32 f32 f32
f64 | f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
"""

SUB = """
b   | E1  E2  E2  E2  E2  E2  E2  E2  E2  E2  E2  E1
u8  | E2  u8  i16 i16 i32 i64 f16 f32 f64 u8  f32 E2
i8  | E2  i16 i8  i16 i32 i64 f16 f32 f64 i8  f32 E2
i16 | E2  i16 i16 i16 i32 i64 f16 f32 f64 i16 f32 E2
i32 | E2  i32 i32 i32 i32 i64 f16 f32 f64 i32 f32 E2
i64 | E2  i64 i64 i64 i64 i64 f16 f32 f64 i64 f32 E2
f16 | E2  f16 f16 f16 f16 f16 f16 f32 f64 f16 f16 E2
f32 | E2  f32 f32 f32 f32 f32 f32 f32 f64 f32 f32 E2
f64 | E2  f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 E2
"""

TRUE_DIVIDE = """
b   | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
u8  | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
i8  | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
i16 | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
i32 | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
i64 | f32 f32 f32 f32 f32 f32 f16 f32 f64 f32 f32 f32
f16 | f16 f16 f16 f16 f16 f16 f16 f32 f64 f16 f16 f16
f32 | f32 f32 f32 f32 f32 f32 f32 f32 f64 f32 f32 f32
f64 | f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
"""

FLOOR_DIVIDE = """
b   | E1  u8  i8  i16 i32 i64 f16 f32 f64 i64 f32 E1
u8  | u8  u8  i16 i16 i32 i64 f16 f32 f64 u8  f32 u8
i8  | i8  i16 i8  i16 i32 i64 f16 f32 f64 i8  f32 i8
i16 | i16 i16 i16 i16 i32 i64 f16 f32 f64 i16 f32 i16
i32 | i32 i32 i32 i32 i32 i64 f16 f32 f64 i32 f32 i32
i64 | i64 i64 i64 i64 i64 i64 f16 f32 f64 i64 f32 i64
f16 | f16 f16 f16 f16 f16 f16 f16 f32 f64 f16 f16 f16
f32 | f32 f32 f32 f32 f32 f32 f32 f32 f64 f32 f32 f32
f64 | f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
"""

ERRORS = {
    "-": {"E1": (RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead."),
          "E2": (RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not "
                               "supported. If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead.")},
    "//": {"E1": (NotImplementedError, "\"div_floor_cpu\" not implemented for 'Bool'")},
    "%": {"E1": (NotImplementedError, "\"remainder_cpu\" not implemented for 'Bool'")},
}


def parse(table):
    cells = {}
    for line in table.strip().splitlines():
        row, values = line.split("|")
        for column, value in zip(COLUMNS, values.split()):
            cells[row.strip(), column] = value
    return cells


TABLES = {
    "+": parse(RESULT_TYPE),   # + and * equal result_type in every cell (section 12)
    "*": parse(RESULT_TYPE),
    "-": parse(SUB),
    "/": parse(TRUE_DIVIDE),
    "//": parse(FLOOR_DIVIDE),
    "%": parse(FLOOR_DIVIDE),  # the % table is the // table, with its own E1
}

OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
             "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b}


def operand(column):
    if column in SCALARS:
        return SCALARS[column]
    return autodidact.ones(2, dtype=getattr(autodidact, ABBREVIATIONS[column]))


# ----------------------------------------------------------- names, aliases


LEGACY = [("float16", "HalfTensor", 2, True, True), ("float32", "FloatTensor", 4, True, True),
          ("float64", "DoubleTensor", 8, True, True), ("int8", "CharTensor", 1, False, True),
          ("uint8", "ByteTensor", 1, False, False), ("int16", "ShortTensor", 2, False, True),
          ("int32", "IntTensor", 4, False, True), ("int64", "LongTensor", 8, False, True),
          ("bool", "BoolTensor", 1, False, False)]


@pytest.mark.parametrize("name, legacy, itemsize, floating, signed", LEGACY)
def test_dtype_facts(name, legacy, itemsize, floating, signed):
    dtype = getattr(autodidact, name)
    t = autodidact.zeros(2, dtype=dtype)
    assert t.dtype is dtype
    assert str(dtype) == repr(dtype) == f"autodidact.{name}"
    assert t.type() == f"autodidact.{legacy}"
    assert t.element_size() == itemsize == dtype.itemsize
    assert t.is_floating_point() is floating is dtype.is_floating_point
    assert dtype.is_signed is signed


def test_aliases_are_the_same_objects():
    assert autodidact.half is autodidact.float16
    assert autodidact.float is autodidact.float32
    assert autodidact.double is autodidact.float64
    assert autodidact.short is autodidact.int16
    assert autodidact.int is autodidact.int32
    assert autodidact.long is autodidact.int64


@pytest.mark.parametrize("spec, expected", [
    ("float32", "float32"), ("float", "float32"), ("double", "float64"), ("long", "int64"),
    ("autodidact.int16", "int16"), ("torch.half", "float16"), ("DoubleTensor", "float64"),
    (np.float64, "float64"), (np.dtype("int8"), "int8"), (float, "float64"), (int, "int64"),
    (bool, "bool"), (autodidact.uint8, "uint8"),
])
def test_to_dtype(spec, expected):
    assert dtypes.to_dtype(spec).name == expected


def test_unknown_dtype_names_say_which_exist():
    with raises(TypeError, "unknown dtype 'float128'; use one of bool, double, float"):
        autodidact.zeros(2, dtype="float128")
    with raises(TypeError, "autodidact has no dtype for <class 'numpy.complex64'>; supported are "
                           "float16, float32, float64, int8, int16, int32, int64, uint8, bool"):
        autodidact.ones(2, dtype=np.complex64)


def test_default_dtype():
    assert autodidact.get_default_dtype() is autodidact.float32
    try:
        autodidact.set_default_dtype(autodidact.float64)
        assert autodidact.tensor([1.5]).dtype is autodidact.float64
        assert autodidact.zeros(2).dtype is autodidact.float64
        assert (autodidact.tensor([1, 2]) / 2).dtype is autodidact.float64
    finally:
        autodidact.set_default_dtype(autodidact.float32)
    assert autodidact.tensor([1.5]).dtype is autodidact.float32
    with raises(TypeError, "only floating-point types are supported as the default type, got "
                           "autodidact.int64"):
        autodidact.set_default_dtype(autodidact.int64)


def test_dtypes_survive_pickling():
    import pickle
    assert pickle.loads(pickle.dumps(autodidact.float16)) is autodidact.float16


# ------------------------------------------------------------------ casts


X = [-1.7, -0.5, 0.5, 1.7, 2.5]


@pytest.mark.parametrize("method, dtype, values", [
    ("int", "int32", [-1, 0, 0, 1, 2]),
    ("long", "int64", [-1, 0, 0, 1, 2]),
    ("char", "int8", [-1, 0, 0, 1, 2]),
    ("short", "int16", [-1, 0, 0, 1, 2]),
    ("byte", "uint8", [255, 0, 0, 1, 2]),
    ("bool", "bool", [True] * 5),
    ("half", "float16", [-1.7001953125, -0.5, 0.5, 1.7001953125, 2.5]),
    ("double", "float64", [float(np.float32(v)) for v in X]),
    ("float", "float32", [float(np.float32(v)) for v in X]),
])
def test_cast_methods_truncate_toward_zero(method, dtype, values):
    y = getattr(autodidact.tensor(X), method)()
    assert y.dtype.name == dtype
    assert y.tolist() == values


def test_float_on_float32_is_the_same_object():
    x = autodidact.tensor(X)
    assert x.float() is x
    assert x.to(autodidact.float32) is x
    assert x.to("cpu") is x and x.cpu() is x
    assert x.to(autodidact.float32, copy=True) is not x
    assert x.double() is not x


def test_casts_wrap_and_saturate_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert autodidact.tensor([-3.0, 300.0]).to(autodidact.uint8).tolist() == [253, 44]
        assert autodidact.tensor([300, -1]).to(autodidact.uint8).tolist() == [44, 255]
        assert autodidact.tensor([300, -1]).to(autodidact.int8).tolist() == [44, -1]
        assert autodidact.tensor([70000.0]).half().tolist() == [float("inf")]
        assert autodidact.tensor([2, 0, -1]).bool().tolist() == [True, False, True]
        assert autodidact.tensor([True, False]).float().tolist() == [1.0, 0.0]


def test_to_overloads():
    x = autodidact.ones(2)
    assert x.to(autodidact.float64).dtype is autodidact.float64
    assert x.to(dtype=autodidact.int8).dtype is autodidact.int8
    assert x.to(autodidact.ones(1, dtype=autodidact.int64)).dtype is autodidact.int64
    assert x.to("cpu", autodidact.float64).dtype is autodidact.float64
    assert x.to(float).dtype is autodidact.float64
    assert x.to(int).dtype is autodidact.int64
    assert x.to(bool).dtype is autodidact.bool
    with raises(TypeError, "to() received an invalid argument"):
        x.to([1])


def test_type_casts_and_names():
    x = autodidact.tensor(X)
    assert x.type() == "autodidact.FloatTensor"
    assert x.type(autodidact.IntTensor).dtype is autodidact.int32
    assert x.type(autodidact.IntTensor).tolist() == [-1, 0, 0, 1, 2]
    assert x.type("torch.DoubleTensor").dtype is autodidact.float64
    assert x.type("autodidact.DoubleTensor").dtype is autodidact.float64
    assert x.type(autodidact.int16).dtype is autodidact.int16
    assert x.type_as(autodidact.ones(1, dtype=autodidact.uint8)).dtype is autodidact.uint8


def test_float16_precision():
    h = autodidact.tensor([0.1], dtype=autodidact.float16)
    assert h.item() == 0.0999755859375


# -------------------------------------------------------- promotion tables


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("column", COLUMNS)
def test_result_type_table(row, column):
    expected = ABBREVIATIONS[TABLES["+"][row, column]]
    assert autodidact.result_type(operand(row), operand(column)).name == expected


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("symbol", list(TABLES))
def test_operator_tables(symbol, row):
    """Every cell of one operator's row: result dtype or error, scalar on either side."""
    op = OPERATORS[symbol]
    mismatches = []
    for column in COLUMNS:
        cell = TABLES[symbol][row, column]
        pairs = [(operand(row), operand(column))]
        if column in SCALARS:
            pairs.append((SCALARS[column], operand(row)))   # the scalar on the left too
        for left, right in pairs:
            if cell.startswith("E"):
                exc, message = ERRORS[symbol][cell]
                try:
                    op(left, right)
                except exc as error:
                    if message not in str(error):
                        mismatches.append((column, str(error)))
                else:
                    mismatches.append((column, f"no {exc.__name__}"))
            else:
                got = op(left, right).dtype.name
                if got != ABBREVIATIONS[cell]:
                    mismatches.append((column, got))
    assert not mismatches, f"{row} {symbol} ...: {mismatches}"


def test_promote_types_and_can_cast():
    assert autodidact.promote_types(autodidact.uint8, autodidact.int8) is autodidact.int16
    assert autodidact.promote_types(autodidact.bool, autodidact.float16) is autodidact.float16
    assert autodidact.promote_types(autodidact.int64, autodidact.float16) is autodidact.float16
    assert autodidact.promote_types(autodidact.float16, autodidact.float32) is autodidact.float32
    assert autodidact.can_cast(autodidact.float32, autodidact.int32) is False
    assert autodidact.can_cast(autodidact.int32, autodidact.float32) is True
    assert autodidact.can_cast(autodidact.int64, autodidact.bool) is False
    assert autodidact.can_cast(autodidact.bool, autodidact.uint8) is True
    assert autodidact.can_cast(autodidact.float64, autodidact.float16) is True


@pytest.mark.parametrize("left, right, expected", [
    # 0-d tensors and Python numbers count only when of a higher category
    (autodidact.ones(2, dtype=autodidact.int32), autodidact.tensor(1), "int32"),
    (autodidact.ones(2, dtype=autodidact.int8), autodidact.tensor(1000), "int8"),
    (autodidact.ones(2, dtype=autodidact.float16), autodidact.tensor(1.0, dtype=autodidact.float64),
     "float16"),
    (autodidact.ones(2, dtype=autodidact.int32), autodidact.tensor(1.0, dtype=autodidact.float64),
     "float64"),
    (autodidact.ones(2, dtype=autodidact.int32), 1.5, "float32"),
    (autodidact.ones(2, dtype=autodidact.uint8), autodidact.tensor(-1, dtype=autodidact.int8),
     "uint8"),
    (autodidact.ones(2, dtype=autodidact.uint8), autodidact.ones(2, dtype=autodidact.int8), "int16"),
    (autodidact.ones(2, dtype=autodidact.bool), autodidact.tensor(1), "int64"),
    (autodidact.ones(2, dtype=autodidact.float32), autodidact.tensor(1.0, dtype=autodidact.float64),
     "float32"),
    # two 0-d tensors promote normally between themselves
    (autodidact.tensor(1.0, dtype=autodidact.float64), autodidact.tensor(1.0), "float64"),
    (autodidact.tensor(1, dtype=autodidact.int8), autodidact.tensor(1), "int64"),
    (autodidact.tensor(1), 2.5, "float32"),
    (autodidact.tensor(1, dtype=autodidact.int8), autodidact.tensor(2.5, dtype=autodidact.float64),
     "float64"),
])
def test_zero_dim_tensors_take_part_by_category(left, right, expected):
    assert (left + right).dtype.name == expected
    assert (right + left).dtype.name == expected
    assert autodidact.result_type(left, right).name == expected


def test_result_type_of_numbers():
    assert autodidact.result_type(2, 2.5) is autodidact.float32
    assert autodidact.result_type(autodidact.tensor(2), 2.5) is autodidact.float32
    assert autodidact.result_type(True, 2) is autodidact.int64
    assert autodidact.result_type(True, False) is autodidact.bool
    assert autodidact.result_type(1, 2) is autodidact.int64
    assert (autodidact.tensor(1) / 2).dtype is autodidact.float32
    assert (autodidact.tensor(1) // 2).dtype is autodidact.int64


@pytest.mark.parametrize("expression, values, dtype", [
    (lambda: autodidact.tensor([250], dtype=autodidact.uint8) + 10, [4], "uint8"),
    (lambda: autodidact.tensor([250], dtype=autodidact.uint8)
     + autodidact.tensor([10], dtype=autodidact.uint8), [4], "uint8"),
    (lambda: autodidact.tensor([127], dtype=autodidact.int8) + 1, [-128], "int8"),
    (lambda: autodidact.tensor([127], dtype=autodidact.int8) + 1000, [103], "int8"),
    (lambda: autodidact.ones(2, dtype=autodidact.int8) + autodidact.tensor(1000), [-23, -23],
     "int8"),
    (lambda: autodidact.ones(2, dtype=autodidact.int32) + 2 ** 40, [1, 1], "int32"),
    (lambda: autodidact.ones(2, dtype=autodidact.uint8) - 2, [255, 255], "uint8"),
    (lambda: autodidact.ones(2, dtype=autodidact.float16) * 1e6, [float("inf")] * 2, "float16"),
    (lambda: autodidact.ones(2) * np.float64(2.0), [2.0, 2.0], "float32"),
    (lambda: np.float64(2.0) * autodidact.ones(2), [2.0, 2.0], "float32"),
    (lambda: autodidact.ones(2) * np.int64(2), [2.0, 2.0], "float32"),
    (lambda: autodidact.ones(2, dtype=autodidact.int8) * np.int64(3), [3, 3], "int8"),
])
def test_integer_arithmetic_wraps(expression, values, dtype):
    result = expression()
    assert result.dtype.name == dtype and result.tolist() == values


def test_bool_negation_and_subtraction_errors():
    mask = autodidact.tensor([True, False])
    with raises(RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported. If "
                              "you are trying to invert a mask, use the `~` or `logical_not()` "
                              "operator instead."):
        -mask
    with raises(RuntimeError, ERRORS["-"]["E2"][1]):
        autodidact.ones(2) - True
    with raises(RuntimeError, ERRORS["-"]["E1"][1]):
        mask - mask
    with raises(RuntimeError, ERRORS["-"]["E2"][1]):
        autodidact.sub(autodidact.ones(2), mask)


# ----------------------------------------------- integer division semantics


A = [7, -7, 7, -7]
B = [2, 2, -2, -2]


def test_true_division_of_integers_is_float32():
    q = autodidact.tensor(A) / autodidact.tensor(B)
    assert q.dtype is autodidact.float32 and q.tolist() == [3.5, -3.5, -3.5, 3.5]
    assert autodidact.div(autodidact.tensor(A), autodidact.tensor(B)).tolist() == q.tolist()
    assert (7 / autodidact.tensor([2, -2])).tolist() == [3.5, -3.5]


def test_floor_division_and_remainder_follow_python():
    a, b = autodidact.tensor(A), autodidact.tensor(B)
    assert (a // b).tolist() == [x // y for x, y in zip(A, B)] == [3, -4, -4, 3]
    assert autodidact.floor_divide(a, b).tolist() == [3, -4, -4, 3]
    assert autodidact.div(a, b, rounding_mode="floor").tolist() == [3, -4, -4, 3]
    assert (a % b).tolist() == [x % y for x, y in zip(A, B)] == [1, 1, -1, -1]
    assert autodidact.remainder(a, b).tolist() == [1, 1, -1, -1]
    assert (a // b).dtype is autodidact.int64
    assert (7 // autodidact.tensor([2, -2])).tolist() == [3, -4]
    assert (7 % autodidact.tensor([2, -2])).tolist() == [1, -1]
    assert (autodidact.tensor([7.5, -7.5]) // 2).tolist() == [3.0, -4.0]
    assert (autodidact.tensor([7.5, -7.5]) % 2).tolist() == [1.5, 0.5]
    assert (autodidact.tensor([7.5, -7.5]) % -2).tolist() == [-0.5, -1.5]
    assert (autodidact.tensor([5], dtype=autodidact.uint8) // 2).tolist() == [2]
    assert (autodidact.tensor([-5], dtype=autodidact.int8) // 2).tolist() == [-3]
    assert (a // 2.0).dtype is autodidact.float32 and (a % 2.0).dtype is autodidact.float32


def test_trunc_division():
    a, b = autodidact.tensor(A), autodidact.tensor(B)
    q = autodidact.div(a, b, rounding_mode="trunc")
    assert q.dtype is autodidact.int64 and q.tolist() == [3, -3, -3, 3]
    f = autodidact.div(autodidact.tensor([-7.0, 7.0]), 2, rounding_mode="trunc")
    assert f.dtype is autodidact.float32 and f.tolist() == [-3.0, 3.0]
    assert autodidact.div(autodidact.tensor([-7, 7]), 2.5, rounding_mode="trunc").tolist() == [-2.0, 2.0]
    with raises(RuntimeError, "div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                              "but found 'foo'"):
        autodidact.div(a, b, rounding_mode="foo")


@pytest.mark.parametrize("expression", [
    lambda: autodidact.tensor([1, 2]) // 0,
    lambda: autodidact.tensor([1, 2]) % 0,
    lambda: autodidact.tensor([5]) // autodidact.tensor([0]),
    lambda: autodidact.tensor([5, 3]) % autodidact.tensor([2, 0]),
    lambda: 7 // autodidact.tensor([0, 2]),
    lambda: autodidact.div(autodidact.tensor([-7, 7]), 0, rounding_mode="trunc"),
    lambda: autodidact.tensor([1], dtype=autodidact.uint8) // 0,
])
def test_integer_division_by_zero(expression):
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        expression()


def test_float_division_by_zero_is_ieee():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (autodidact.tensor([1, 2]) / 0).tolist() == [float("inf")] * 2
        q = (autodidact.tensor([1.0, -1.0, 0.0]) / 0).tolist()
        assert q[:2] == [float("inf"), float("-inf")] and q[2] != q[2]
        assert (autodidact.tensor([1.0, -1.0]) // 0).tolist() == [float("inf"), float("-inf")]
        assert all(v != v for v in (autodidact.tensor([1.0, -1.0]) % 0).tolist())
        assert (autodidact.tensor([1, 2]) // 0.0).tolist() == [float("inf")] * 2


def test_integer_division_in_place():
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        autodidact.tensor([1, 2]).div_(2)
    assert autodidact.tensor([3, 5]).floor_divide_(2).tolist() == [1, 2]


@pytest.mark.parametrize("expression, values, dtype", [
    (lambda: autodidact.tensor([2]) ** 2, [4], "int64"),
    (lambda: autodidact.tensor([2]) ** 0.5, [2 ** 0.5], "float32"),
    (lambda: autodidact.tensor([2.0]) ** 2, [4.0], "float32"),
    (lambda: 2 ** autodidact.tensor([3]), [8], "int64"),
    (lambda: autodidact.tensor([2]) ** autodidact.tensor([-1]), [0], "int64"),
    (lambda: autodidact.tensor([2, 3, 1, -1, -1, 0]) ** autodidact.tensor([-1, 2, -3, -3, -2, -1]),
     [0, 9, 1, -1, 1, 0], "int64"),
    (lambda: 2 ** autodidact.tensor([-1]), [0], "int64"),
    (lambda: autodidact.tensor([True, False]) ** True, [True, False], "bool"),
    (lambda: autodidact.tensor([True, False]) ** False, [True, True], "bool"),
    (lambda: autodidact.tensor([True, False]) ** 2, [1, 0], "int64"),
    (lambda: autodidact.tensor([2.0, 3.0]) ** -1, [0.5, 1 / 3], "float32"),
])
def test_powers(expression, values, dtype):
    result = expression()
    assert result.dtype.name == dtype
    assert result.tolist() == pytest.approx(values)


def test_power_errors():
    with raises(RuntimeError, "Integers to negative integer powers are not allowed."):
        autodidact.tensor([2]) ** -1
    with raises(RuntimeError, "Integers to negative integer powers are not allowed."):
        autodidact.tensor([2], dtype=autodidact.uint8) ** -1
    with raises(NotImplementedError, "\"pow\" not implemented for 'Bool'"):
        autodidact.tensor([True]) ** autodidact.tensor([True])
    with raises(NotImplementedError, "\"pow\" not implemented for 'Bool'"):
        True ** autodidact.tensor([True, False])
    nan = (autodidact.tensor([-8.0]) ** (1 / 3)).item()
    assert nan != nan
