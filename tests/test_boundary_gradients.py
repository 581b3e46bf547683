"""Gradients at the boundaries, compared with PyTorch: 0, -0, ±inf, NaN, ±1e-7 and ties.

Ops whose backward *selects* (relu passes the gradient where x > 0, max
sends it to the largest element, round sends none at all) must give a
gradient of exactly 0 where they select nothing, even when the gradient
arriving from above is infinite or NaN: ``sqrt`` just after ``clamp`` sends
``inf`` back at 0, and ``inf * 0`` would be NaN. Where PyTorch multiplies
instead (abs, amax with a dim), its NaN is the answer too.

The table below runs every op of that kind on the same boundary inputs,
under four upstream gradients (finite, +inf, -inf, NaN), on autodidact and
on PyTorch, and compares values and input gradients, NaN for NaN.
"""

import math

import numpy as np
import pytest

import autodidact

inf, nan = math.inf, math.nan

# Where PyTorch's answer is NaN too (abs and pow multiply: inf * 0), NumPy warns
# on the way; the table checks the values, not the warnings.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

# The values where a selecting backward decides: both zeros, tiny values on
# each side, the infinities, NaN, and ordinary numbers for contrast.
BOUNDARY = [0.0, -0.0, 1e-7, -1e-7, 0.2, -0.5, 1.0, -2.0, 6.0, inf, -inf, nan]

# Partners for binary ops: every boundary value meets each of these, so
# ties (0 with -0, inf with inf, 1 with 1) and NaN on either side all occur.
PARTNERS = [0.0, -0.0, 1.0, inf, -inf, nan]

# Rows for reductions: ties, NaNs (one or two), infinities, signed zeros.
ROWS = [[1.0, 1.0, 0.0], [nan, 2.0, nan], [inf, inf, -inf], [-0.0, 0.0, -1.0],
        [3.0, nan, 1.0], [-inf, -inf, -inf], [1e-7, -1e-7, 0.0]]

# The gradient arriving from above, elementwise: what backward(gradient=...) passes.
UPSTREAM = {"finite": None, "inf": inf, "-inf": -inf, "nan": nan}


def _grid():
    xs, ys = np.meshgrid(BOUNDARY, PARTNERS, indexing="ij")
    return xs.ravel(), ys.ravel()


UNARY = {
    "relu": lambda M, x: M.relu(x),
    "F.relu": lambda M, x: M.nn.functional.relu(x),
    "clamp(min=0)": lambda M, x: x.clamp(min=0),
    "clamp(max=0)": lambda M, x: x.clamp(max=0),
    "clamp(-1e-7, 1)": lambda M, x: x.clamp(-1e-7, 1),
    "clamp(0, 0)": lambda M, x: x.clamp(0, 0),
    "clamp(min=0-d tensor)": lambda M, x: x.clamp(min=M.tensor(0.0)),
    "clamp_min(0)": lambda M, x: M.clamp_min(x, 0.0),
    "clamp_max(1)": lambda M, x: M.clamp_max(x, 1.0),
    "clip(0, 6)": lambda M, x: M.clip(x, 0.0, 6.0),
    "abs": lambda M, x: x.abs(),
    "sign": lambda M, x: x.sign(),
    "round": lambda M, x: x.round(),
    "floor": lambda M, x: x.floor(),
    "ceil": lambda M, x: x.ceil(),
    "trunc": lambda M, x: M.trunc(x),
    "x ** 0": lambda M, x: x ** 0,
    "x ** 0.0": lambda M, x: x ** 0.0,
    "x ** 0.5": lambda M, x: x ** 0.5,
    "x ** 1": lambda M, x: x ** 1,
    "x ** 2": lambda M, x: x ** 2,
    "x ** -1": lambda M, x: x ** -1,
    "x ** -0.5": lambda M, x: x ** -0.5,
    "0 ** x": lambda M, x: 0 ** x,
    "0.0 ** x": lambda M, x: 0.0 ** x,
    "2 ** x": lambda M, x: 2 ** x,
    "(-2) ** x": lambda M, x: (-2.0) ** x,
    "where(x > 0, x, 0)": lambda M, x: M.where(x > 0, x, 0.0),
    "where(x > 0, 1, x)": lambda M, x: M.where(x > 0, 1.0, x),
    "maximum(x, 0)": lambda M, x: M.maximum(x, M.zeros_like(x)),
    "minimum(x, 0)": lambda M, x: M.minimum(x, M.zeros_like(x)),
    "max(x, other=0)": lambda M, x: M.max(x, M.zeros_like(x)),
    "hardtanh": lambda M, x: M.nn.functional.hardtanh(x),
    "hardtanh(0, 0.2)": lambda M, x: M.nn.functional.hardtanh(x, 0.0, 0.2),
    "relu6": lambda M, x: M.nn.functional.relu6(x),
    "leaky_relu": lambda M, x: M.nn.functional.leaky_relu(x, 0.1),
    "leaky_relu(0)": lambda M, x: M.nn.functional.leaky_relu(x, 0.0),
    "elu": lambda M, x: M.nn.functional.elu(x),
    "softplus": lambda M, x: M.nn.functional.softplus(x),
    "nn.ReLU": lambda M, x: M.nn.ReLU()(x),
    "relu_ (in place)": lambda M, x: (x * 1).relu_(),
    "clamp_(0, 1) (in place)": lambda M, x: (x * 1).clamp_(0, 1),
}

BINARY = {
    "maximum": lambda M, x, y: M.maximum(x, y),
    "minimum": lambda M, x, y: M.minimum(x, y),
    "max(x, y)": lambda M, x, y: M.max(x, y),
    "min(x, y)": lambda M, x, y: M.min(x, y),
    "clamp(min=y)": lambda M, x, y: x.clamp(min=y),
    "clamp(max=y)": lambda M, x, y: x.clamp(max=y),
    "clamp(y, y + 1)": lambda M, x, y: x.clamp(y, y + 1),
    "clamp(y - 1, y)": lambda M, x, y: x.clamp(y - 1, y),
    "clamp(y, 0)": lambda M, x, y: x.clamp(y, M.zeros_like(y)),
    "clamp_min(y)": lambda M, x, y: M.clamp_min(x, y),
    "clamp_max(y)": lambda M, x, y: M.clamp_max(x, y),
    "where(x > y, x, y)": lambda M, x, y: M.where(x > y, x, y),
    "x ** y": lambda M, x, y: x ** y,
    "y ** x": lambda M, x, y: y ** x,
}

REDUCTIONS = {
    "max()": lambda M, x: x.max(),
    "min()": lambda M, x: x.min(),
    "max(dim=1)": lambda M, x: x.max(dim=1).values,
    "min(dim=1)": lambda M, x: x.min(dim=1).values,
    "max(dim=0, keepdim)": lambda M, x: x.max(dim=0, keepdim=True).values,
    "amax()": lambda M, x: x.amax(),
    "amin()": lambda M, x: x.amin(),
    "amax(dim=1)": lambda M, x: x.amax(dim=1),
    "amin(dim=(0, 1))": lambda M, x: x.amin(dim=(0, 1)),
    "row max()": lambda M, x: x[1].max(),
    "row min()": lambda M, x: x[4].min(),
}


def _upstream(M, out, kind):
    """The gradient passed to backward: a fixed finite pattern, or all inf / -inf / NaN."""
    if UPSTREAM[kind] is None:
        pattern = np.resize(np.array([0.5, -1.5, 2.0], dtype=np.float64), out.numel())
        return M.tensor(pattern.reshape(tuple(out.shape)), dtype=out.dtype, device=out.device)
    return M.full(tuple(out.shape), UPSTREAM[kind], dtype=out.dtype, device=out.device)


def _run(M, fn, arrays, dtype_name, kind, device="cpu"):
    """fn on leaves made of ``arrays``; the output and each leaf's gradient, as NumPy."""
    dtype = getattr(M, dtype_name)
    leaves = [M.tensor(a, dtype=dtype, requires_grad=True, device=device) for a in arrays]
    out = fn(M, *leaves)
    out.backward(_upstream(M, out, kind))
    grads = [None if leaf.grad is None else leaf.grad.cpu().numpy() for leaf in leaves]
    return out.detach().cpu().numpy(), grads


def _same(ours, theirs, what):
    assert ours.dtype.name == str(theirs.dtype), what
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64),
                               rtol=1e-6, atol=0, equal_nan=True, err_msg=what)


def _compare(torch, fn, arrays, dtype, kind):
    ours, theirs = _run(autodidact, fn, arrays, dtype, kind), _run(torch, fn, arrays, dtype, kind)
    _same(ours[0], theirs[0], "value")
    for i, (g_ours, g_theirs) in enumerate(zip(ours[1], theirs[1])):
        assert (g_ours is None) == (g_theirs is None), f"input {i}: gradient None on one side"
        if g_theirs is not None:
            _same(g_ours, g_theirs, f"gradient of input {i} (inputs {arrays})")


DTYPES = ["float32", "float64"]


@pytest.mark.parametrize("kind", UPSTREAM)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_op_at_the_boundaries(torch_oracle, name, dtype, kind):
    _compare(torch_oracle, UNARY[name], [np.array(BOUNDARY)], dtype, kind)


@pytest.mark.parametrize("kind", UPSTREAM)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", BINARY)
def test_binary_op_at_the_boundaries(torch_oracle, name, dtype, kind):
    _compare(torch_oracle, BINARY[name], list(_grid()), dtype, kind)


@pytest.mark.parametrize("kind", UPSTREAM)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_at_the_boundaries(torch_oracle, name, dtype, kind):
    _compare(torch_oracle, REDUCTIONS[name], [np.array(ROWS)], dtype, kind)


# A few of each kind, on the GPU (or the fake CuPy) against the CPU: the same
# selection on the device's array module.
ON_DEVICE = [(UNARY, "relu"), (UNARY, "sign"), (UNARY, "hardtanh"), (UNARY, "where(x > 0, x, 0)"),
             (BINARY, "maximum"), (BINARY, "clamp(y, y + 1)"), (BINARY, "clamp_min(y)"),
             (BINARY, "x ** y"), (REDUCTIONS, "max()"), (REDUCTIONS, "max(dim=1)"),
             (REDUCTIONS, "amax(dim=1)")]


@pytest.mark.parametrize("table, name", ON_DEVICE, ids=[name for _, name in ON_DEVICE])
def test_the_device_selects_as_the_cpu_does(table, name, device):
    if device == "cpu":
        pytest.skip("compares another device with the CPU")
    inputs = {id(UNARY): [np.array(BOUNDARY)], id(BINARY): list(_grid()),
              id(REDUCTIONS): [np.array(ROWS)]}[id(table)]
    for kind in UPSTREAM:
        here = _run(autodidact, table[name], inputs, "float32", kind)
        there = _run(autodidact, table[name], inputs, "float32", kind, device)
        _same(there[0], here[0], "value")
        for g_there, g_here in zip(there[1], here[1]):
            _same(g_there, g_here, f"gradient, {kind} upstream")


# ------------------------------------------------- the reproducers of issue 17

def _grad(fn, values, device="cpu", create_graph=False):
    x = autodidact.tensor(values, requires_grad=True, device=device)
    grad, = autodidact.autograd.grad(fn(x).sum(), x, create_graph=create_graph)
    return grad.cpu().tolist()


# Each expected gradient is PyTorch 2.13's. A sqrt after the op sends an
# infinite gradient back wherever the op's output is 0.
REPRODUCERS = {
    "clamp(min=0).sqrt()": (lambda x: x.clamp(min=0).sqrt(), [-1e-7, 4.0], [0.0, 0.25]),
    "relu(x).sqrt()": (lambda x: autodidact.relu(x).sqrt(), [-1e-7, 4.0], [0.0, 0.25]),
    "maximum(x, 0) ** 0.5": (lambda x: autodidact.maximum(x, autodidact.zeros_like(x)) ** 0.5,
                             [-1e-7, 4.0], [0.0, 0.25]),
    "round(x).sqrt()": (lambda x: autodidact.round(x).sqrt(), [0.2, 4.0], [0.0, 0.0]),
    "sign(x).sqrt()": (lambda x: autodidact.sign(x).sqrt(), [0.0, 4.0], [0.0, 0.0]),
    "x ** 0 (tensor exponent)": (lambda x: x ** autodidact.zeros_like(x), [0.0, 4.0], [0.0, 0.0]),
    "polynomial features": (lambda x: x[:, None] ** autodidact.arange(3.0, device=x.device),
                            [0.0, 2.0], [1.0, 5.0]),
    "max() holding a NaN": (lambda x: x.max(), [1.0, nan, 3.0], [0.0, 1.0, 0.0]),
}


@pytest.mark.filterwarnings("error")   # and no "invalid value encountered" on the way
@pytest.mark.parametrize("name", REPRODUCERS)
def test_issue_17_reproducer(name, device):
    fn, values, expected = REPRODUCERS[name]
    assert _grad(fn, values, device) == expected


@pytest.mark.parametrize("name", REPRODUCERS)
def test_reproducer_with_create_graph(name):
    """The recorded backward (to differentiate again) selects as the plain one does."""
    fn, values, expected = REPRODUCERS[name]
    assert _grad(fn, values, create_graph=True) == expected
