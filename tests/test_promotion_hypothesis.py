"""Property tests of broadcasting and type promotion.

* Broadcastable shape pairs give NumPy's broadcast shape and NumPy's values.
* Shape pairs that do not broadcast give PyTorch's error, naming the first
  clash from the last dimension back (and, with torch installed, exactly
  torch's message).
* Random dtype pairs, as tensors with dimensions, 0-d tensors or Python
  numbers, give the dtype of the recorded rules (reference section 12)
  and, with torch installed, torch.result_type and torch's own result.

The hypothesis profile (conftest) is deterministic: derandomize, at most 50
examples, no deadline.
"""

import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import autodidact

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]

# promote_types between dimensioned tensors, the 9 x 9 block of section 12's table.
PROMOTE = """
bool    | bool    uint8   int8    int16   int32   int64   float16 float32 float64
uint8   | uint8   uint8   int16   int16   int32   int64   float16 float32 float64
int8    | int8    int16   int8    int16   int32   int64   float16 float32 float64
int16   | int16   int16   int16   int16   int32   int64   float16 float32 float64
int32   | int32   int32   int32   int32   int32   int64   float16 float32 float64
int64   | int64   int64   int64   int64   int64   int64   float16 float32 float64
float16 | float16 float16 float16 float16 float16 float16 float16 float32 float64
float32 | float32 float32 float32 float32 float32 float32 float32 float32 float64
float64 | float64 float64 float64 float64 float64 float64 float64 float64 float64
"""
TABLE = {}
for _line in PROMOTE.strip().splitlines():
    _row, _cells = _line.split("|")
    for _column, _cell in zip(NAMES, _cells.split()):
        TABLE[_row.strip(), _column] = _cell


def category(name):
    return 0 if name == "bool" else 2 if name.startswith("float") else 1


def expected_dtype(operands):
    """The recorded rule: dimensioned tensors, then 0-d tensors, then Python numbers;
    a lower tier counts only when it brings a higher category."""
    tiers = [None, None, None]
    for kind, name in operands:
        tier = {"tensor": 0, "0-d": 1, "python": 2}[kind]
        tiers[tier] = name if tiers[tier] is None else TABLE[tiers[tier], name]
    result = None
    for name in tiers:
        if name is not None and (result is None or category(name) > category(result)):
            result = name
    return result


def numpy_data(shape, name, seed):
    rng = np.random.default_rng(seed)
    if name == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if name.startswith("float"):
        return rng.uniform(-3, 3, shape).astype(name)
    low = 0 if name == "uint8" else -5
    return rng.integers(low, 6, shape).astype(name)


PYTHON_VALUES = {"bool": True, "int64": 3, "float32": 2.5}


def make(module, kind, name, seed):
    """An operand in ``module`` (autodidact or torch) from the same NumPy data."""
    if kind == "python":
        return PYTHON_VALUES[name]
    shape = (2,) if kind == "tensor" else ()
    return module.tensor(numpy_data(shape, name, seed), dtype=getattr(module, name))


operand_specs = st.one_of(
    st.tuples(st.sampled_from(["tensor", "0-d"]), st.sampled_from(NAMES)),
    st.tuples(st.just("python"), st.sampled_from(sorted(PYTHON_VALUES))),
)


def _clash(left, right):
    """PyTorch's broadcast error for two shapes: the first clash from the last dim back."""
    ndim = max(len(left), len(right))
    a = (1,) * (ndim - len(left)) + tuple(left)
    b = (1,) * (ndim - len(right)) + tuple(right)
    for axis in reversed(range(ndim)):
        if a[axis] != b[axis] and a[axis] != 1 and b[axis] != 1:
            return (f"The size of tensor a ({a[axis]}) must match the size of tensor b "
                    f"({b[axis]}) at non-singleton dimension {axis}")
    return None


@st.composite
def clashing_shapes(draw):
    """Two shapes that do not broadcast: at some trailing-aligned position the sizes
    differ and neither is 1 (the other positions are anything)."""
    sides = st.integers(0, 3)
    left = draw(st.lists(sides, min_size=1, max_size=3))
    right = draw(st.lists(sides, min_size=1, max_size=3))
    k = draw(st.integers(1, min(len(left), len(right))))
    x, y = draw(st.sampled_from([(0, 2), (2, 0), (2, 3), (3, 2), (0, 3), (3, 0)]))
    left[-k], right[-k] = x, y
    return tuple(left), tuple(right)


# ---------------------------------------------------------------- broadcasting


@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=0,
                                     max_side=3),
       st.sampled_from(["+", "-", "*", "maximum", "<"]))
def test_broadcastable_shapes_give_numpys_shape_and_values(shapes, op):
    left, right = shapes.input_shapes
    a = np.arange(int(np.prod(left)), dtype=np.float32).reshape(left) - 2
    b = np.arange(int(np.prod(right)), dtype=np.float32).reshape(right) * 0.5
    x, y = autodidact.tensor(a), autodidact.tensor(b)
    result, expected = {
        "+": (lambda: x + y, lambda: a + b),
        "-": (lambda: x - y, lambda: a - b),
        "*": (lambda: x * y, lambda: a * b),
        "maximum": (lambda: autodidact.maximum(x, y), lambda: np.maximum(a, b)),
        "<": (lambda: x < y, lambda: a < b),
    }[op]
    got, want = result(), expected()
    assert got.shape == shapes.result_shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


@given(clashing_shapes(), st.sampled_from(["+", "*", "==", "where"]))
def test_shapes_that_do_not_broadcast_give_pytorchs_error(shapes, op):
    left, right = shapes
    message = _clash(left, right)
    assert message is not None
    with pytest.raises(RuntimeError, match="^" + re.escape(message) + "$"):
        x, y = autodidact.ones(left), autodidact.ones(right)
        {"+": lambda: x + y, "*": lambda: x * y, "==": lambda: x == y,
         "where": lambda: autodidact.where(x > 0, x, y)}[op]()


@given(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
       array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3))
def test_broadcastability_is_numpys(left, right):
    try:
        np.broadcast_shapes(left, right)
    except ValueError:
        with pytest.raises(RuntimeError, match="^The size of tensor a"):
            autodidact.ones(left) - autodidact.ones(right)
    else:
        assert (autodidact.ones(left) - autodidact.ones(right)).shape == \
            np.broadcast_shapes(left, right)


@given(clashing_shapes())
def test_broadcast_errors_match_torch(torch_oracle, shapes):
    torch = torch_oracle
    left, right = shapes
    with pytest.raises(RuntimeError) as ours:
        autodidact.ones(left) * autodidact.ones(right)
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(left) * torch.ones(right)
    assert str(ours.value) == str(theirs.value)


@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=0,
                                     max_side=3))
def test_broadcast_shapes_match_torch(torch_oracle, shapes):
    torch = torch_oracle
    left, right = shapes.input_shapes
    ours = autodidact.ones(left) + autodidact.ones(right)
    theirs = torch.ones(left) + torch.ones(right)
    assert tuple(ours.shape) == tuple(theirs.shape)


# ------------------------------------------------------------------ promotion


@given(operand_specs, operand_specs, st.integers(0, 2 ** 16))
def test_promotion_follows_the_recorded_rules(left, right, seed):
    assume(left[0] != "python" or right[0] != "python")
    expected = expected_dtype([left, right])
    x, y = make(autodidact, *left, seed), make(autodidact, *right, seed + 1)
    assert autodidact.result_type(x, y).name == expected
    assert (x * y).dtype.name == expected
    assert (y + x).dtype.name == expected
    quotient = (x / y).dtype.name
    assert quotient == (expected if category(expected) == 2 else "float32")


@given(operand_specs, operand_specs, st.integers(0, 2 ** 16),
       st.sampled_from(["+", "*", "-", "/", "//", "%", "==", "<"]))
def test_promotion_matches_torch(torch_oracle, left, right, seed, op):
    torch = torch_oracle
    assume(left[0] != "python" or right[0] != "python")
    results = []
    for module in (autodidact, torch):
        x, y = make(module, *left, seed), make(module, *right, seed + 1)
        try:
            with np.errstate(all="ignore"):
                value = {"+": lambda: x + y, "*": lambda: x * y, "-": lambda: x - y,
                         "/": lambda: x / y, "//": lambda: x // y, "%": lambda: x % y,
                         "==": lambda: x == y, "<": lambda: x < y}[op]()
        except Exception as error:   # compare the kind of error
            results.append(("error", type(error).__name__, str(error).split(".")[0]))
            continue
        results.append(("value", str(value.dtype).split(".")[-1], tuple(value.shape),
                        value.tolist()))
        if module is torch:
            assert str(torch.result_type(x, y)).split(".")[-1] == \
                autodidact.result_type(make(autodidact, *left, seed),
                                       make(autodidact, *right, seed + 1)).name
    ours, theirs = results
    assert ours[:3] == theirs[:3]
    if ours[0] == "value":
        np.testing.assert_allclose(np.array(ours[3], dtype=np.float64),
                                   np.array(theirs[3], dtype=np.float64),
                                   rtol=2e-3 if "float16" in ours[1] else 1e-6, equal_nan=True)
