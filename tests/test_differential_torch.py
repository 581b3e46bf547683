"""Differential tests: the same small programs run on autodidact and on PyTorch 2.13.

Each program is a function of the module (``autodidact`` or ``torch``) and of
tensors built in that module from the same NumPy arrays (the two random
generators differ, so inputs never come from ``rand``). The results are
compared: values (to a tolerance fitting the dtype), dtypes, shapes, Python
types, and for a program that fails, the exception type and PyTorch's words
(autodidact's message must start with them; it may add a fix after).

These tests need the optional oracle (`pip install -e '.[torch]'`); they are
skipped without it, and required under AUTODIDACT_REQUIRE_ORACLE=1.
"""

import warnings

import numpy as np
import pytest

import autodidact

RNG = np.random.default_rng(2024)


def data(*shape, dtype="float32", low=-3.0, high=3.0):
    """NumPy input data: floats in [low, high), integers in [low, high], or bools."""
    if dtype == "bool":
        return RNG.integers(0, 2, shape).astype(bool)
    if dtype.startswith("float"):
        return RNG.uniform(low, high, shape).astype(dtype)
    return RNG.integers(int(low), int(high) + 1, shape).astype(dtype)


F = data(3, 4)
G = data(3, 4)
V = data(4)
P = data(3, 4, low=0.1, high=3.0)          # positive
I = data(3, 4, dtype="int64", low=-5, high=5)
NZ = np.where(I == 0, 3, I)                # integers without zeros
U = data(3, 4, dtype="uint8", low=0, high=250)
B = data(3, 4, dtype="bool")
H = data(3, 4, dtype="float16")
D = data(3, 4, dtype="float64")
BATCH = data(2, 3, 4)
BIG = np.array([1000.0, 1001.0, 1002.0], dtype=np.float32)
TIES = np.array([[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]], dtype=np.float32)


class Program:
    """A named program, its NumPy inputs, and how strictly to compare errors."""

    def __init__(self, name, function, *inputs, message=True):
        self.name, self.function, self.inputs, self.message = name, function, inputs, message

    def run(self, module):
        tensors = [module.from_numpy(np.array(a, copy=True)) if isinstance(a, np.ndarray) else a
                   for a in self.inputs]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ("ok", normalise(self.function(module, *tensors), module))
        except Exception as error:   # noqa: BLE001 (the exception is the result)
            return ("error", type(error).__name__,
                    str(error).replace("torch.", "autodidact.").strip())


def normalise(result, module):
    """A comparable picture of a result: tensors become (dtype, shape, values)."""
    if isinstance(result, module.Tensor):
        values = result.detach().cpu().numpy() if module is not autodidact else \
            result.detach().numpy()
        return ("tensor", str(result.dtype).split(".")[-1], tuple(result.shape),
                np.array(values, copy=True), result.requires_grad)
    if isinstance(result, tuple) and type(result).__module__.endswith("return_types"):
        return ("return_types", tuple(normalise(r, module) for r in result))
    if isinstance(result, (tuple, list)):
        return (type(result).__name__, tuple(normalise(r, module) for r in result))
    if isinstance(result, module.Size):
        return ("size", tuple(result))
    if isinstance(result, module.dtype):
        return ("dtype", str(result).split(".")[-1])
    if isinstance(result, str):
        return ("str", result.replace("torch.", "autodidact."))
    if isinstance(result, float) and result != result:
        return ("float", "nan")
    return (type(result).__name__, result)


TOLERANCE = {"float16": 2e-3, "float32": 1e-5, "float64": 1e-10}


def assert_same(ours, theirs, program):
    assert ours[0] == theirs[0], f"{program.name}: autodidact {ours}, torch {theirs}"
    if ours[0] == "error":
        assert ours[1] == theirs[1], f"{program.name}: {ours[1]} vs torch's {theirs[1]}"
        if program.message:
            assert ours[2].startswith(theirs[2]), \
                f"{program.name}: message\n  {ours[2]!r}\ndoes not start with torch's\n  {theirs[2]!r}"
        return
    _same_value(ours[1], theirs[1], program.name)


def _same_value(ours, theirs, name):
    assert ours[0] == theirs[0], f"{name}: {ours} vs torch's {theirs}"
    if ours[0] == "tensor":
        _, dtype, shape, values, grad = ours
        assert (dtype, shape, grad) == theirs[1:3] + (theirs[4],), f"{name}: {ours[1:3]} vs {theirs[1:3]}"
        if dtype in TOLERANCE:
            np.testing.assert_allclose(values.astype(np.float64), theirs[3].astype(np.float64),
                                       rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype],
                                       equal_nan=True, err_msg=name)
        else:
            np.testing.assert_array_equal(values, theirs[3], err_msg=name)
    elif ours[0] in ("tuple", "list", "return_types"):
        assert len(ours[1]) == len(theirs[1]), name
        for a, b in zip(ours[1], theirs[1]):
            _same_value(a, b, name)
    elif ours[0] == "float":
        assert ours[1] == pytest.approx(theirs[1], rel=1e-6), name
    else:
        assert ours == theirs, f"{name}: {ours} vs torch's {theirs}"


def P_(name, function, *inputs, **kwargs):
    return Program(name, function, *inputs, **kwargs)


PROGRAMS = [
    # ---- creation from data (values never from an RNG)
    P_("tensor ints", lambda M: M.tensor([1, 2, 3])),
    P_("tensor mixed", lambda M: M.tensor([[1, 2.5], [True, 4]])),
    P_("tensor bools", lambda M: M.tensor([True, False])),
    P_("tensor 0-d", lambda M: M.tensor(3.5)),
    P_("tensor numpy f64", lambda M: M.tensor(np.array([1.5, 2.5]))),
    P_("tensor numpy i32", lambda M: M.tensor(np.array([1, 2], dtype=np.int32))),
    P_("tensor numpy scalar", lambda M: M.tensor(np.float64(1.5))),
    P_("tensor numpy scalars", lambda M: M.tensor([np.float16(1.5), 1])),
    P_("tensor dtype wrap", lambda M: M.tensor([-1, -255], dtype=M.uint8)),
    P_("tensor float to int", lambda M: M.tensor([1.7, -1.7], dtype=M.int8)),
    P_("tensor overflow", lambda M: M.tensor([300], dtype=M.uint8)),
    P_("tensor float overflow", lambda M: M.tensor([-0.5], dtype=M.uint8)),
    P_("tensor long long", lambda M: M.tensor([2 ** 63])),
    P_("tensor ragged", lambda M: M.tensor([[1, 2], [3]])),
    P_("tensor not a sequence", lambda M: M.tensor([[1, 2], 3])),
    P_("tensor str", lambda M: M.tensor("a")),
    P_("tensor None", lambda M: M.tensor(None)),
    P_("tensor of tensors", lambda M: M.tensor([M.tensor(1.0), M.tensor(2.0)])),
    P_("tensor int requires_grad", lambda M: M.tensor([1, 2], requires_grad=True)),
    P_("tensor requires_grad", lambda M: M.tensor([1.0, 2.0], requires_grad=True)),
    P_("Tensor data", lambda M: M.Tensor([[1, 2], [3, 4]])),
    P_("Tensor sizes", lambda M: (M.Tensor(5, 3).shape, M.Tensor(5, 3).dtype)),
    P_("Tensor float", lambda M: M.Tensor(2.5)),
    P_("Tensor negative", lambda M: M.Tensor(2, -1)),
    P_("Tensor float size", lambda M: M.Tensor(5, 3.0)),
    P_("Tensor of Size", lambda M: M.Tensor(M.Size([2, 2])).shape),
    P_("zeros", lambda M: M.zeros(2, 3, dtype=M.int16)),
    P_("ones tuple", lambda M: M.ones((2, 3))),
    P_("zeros negative", lambda M: M.zeros(-1)),
    P_("ones negative", lambda M: M.ones(2, -1)),
    P_("empty float size", lambda M: M.empty(2, 3.0)),
    P_("full int", lambda M: M.full((2,), 3)),
    P_("full float", lambda M: M.full((2, 2), 1.5)),
    P_("full bool", lambda M: M.full((2,), True)),
    P_("full uint8 wrap", lambda M: M.full((2,), -1, dtype=M.uint8)),
    P_("full uint8 overflow", lambda M: M.full((2,), 300, dtype=M.uint8)),
    P_("full 0-d", lambda M: M.full((), 2.0)),
    P_("arange int", lambda M: M.arange(5)),
    P_("arange float", lambda M: M.arange(0.0, 1.0, 0.25)),
    P_("arange mixed", lambda M: M.arange(0, 1, 0.25)),
    P_("arange negative step", lambda M: M.arange(5, 0, -1)),
    P_("arange dtype", lambda M: M.arange(3, dtype=M.uint8)),
    P_("arange bad sign", lambda M: M.arange(1, 0)),
    P_("arange zero step", lambda M: M.arange(0, 1, 0)),
    P_("linspace", lambda M: M.linspace(0, 1, 5)),
    P_("linspace int", lambda M: M.linspace(0, 10, 5, dtype=M.int64)),
    P_("linspace negative", lambda M: M.linspace(0, 1, -1)),
    P_("eye", lambda M: M.eye(2, 3)),
    P_("eye negative", lambda M: M.eye(-1)),
    P_("zeros_like", lambda M, x: M.zeros_like(x), I),
    P_("ones_like dtype", lambda M, x: M.ones_like(x, dtype=M.float64), I),
    P_("full_like", lambda M, x: M.full_like(x, 2.7), I),
    P_("rand_like int", lambda M, x: M.rand_like(x), I),
    P_("randn int", lambda M: M.randn(2, dtype=M.int64)),
    P_("randint equal bounds", lambda M: M.randint(5, 5, (2,))),
    P_("random dtypes", lambda M: (M.rand(2).dtype, M.randn(2).dtype, M.randint(0, 9, (2,)).dtype)),
    P_("uniform_ bounds", lambda M: M.empty(3).uniform_(2, 2)),
    P_("uniform_ a > b", lambda M: M.empty(3).uniform_(1, -1)),
    P_("uniform_ int", lambda M: M.empty(3, dtype=M.int64).uniform_(-1, 1)),
    P_("normal_ int", lambda M: M.empty(3, dtype=M.int64).normal_()),
    P_("normal_ std 0", lambda M: M.empty(3).normal_(2, 0)),
    P_("fill_", lambda M, x: x.fill_(2.7), I),
    P_("fill_ uint8", lambda M: M.empty(2, dtype=M.uint8).fill_(-1)),
    P_("fill_ overflow", lambda M: M.empty(2, dtype=M.int8).fill_(300)),
    P_("fill_ tensor 1-d", lambda M: M.empty(2).fill_(M.tensor([1.0]))),
    P_("zero_", lambda M, x: x.zero_(), F),
    P_("from_numpy shares", lambda M: _share(M)),

    # ---- facts
    P_("size", lambda M, x: (x.size(), x.shape, x.size(0), x.size(-1), x.dim(), x.numel(), len(x)), BATCH),
    P_("size out of range", lambda M, x: x.size(3), BATCH),
    P_("0-d len", lambda M: len(M.tensor(1.0))),
    P_("item", lambda M, x: x[1, 2].item(), F),
    P_("item many", lambda M, x: x.item(), F),
    P_("tolist", lambda M, x: x.tolist(), I),
    P_("bool many", lambda M, x: bool(x), F),
    P_("bool empty", lambda M: bool(M.tensor([]))),
    P_("float many", lambda M, x: float(x), F),
    P_("int", lambda M: int(M.tensor([-2.9]))),
    P_("repr float", lambda M: repr(M.tensor([1.5, 2.0]))),
    P_("repr int32", lambda M: repr(M.tensor([1, 2], dtype=M.int32))),
    P_("repr grad", lambda M: repr(M.tensor([1.0, 2.0], requires_grad=True) * 2)),
    P_("repr empty", lambda M: repr(M.zeros(0, 3))),
    P_("repr scientific", lambda M: repr(M.tensor([1e-5, 1e5]))),
    P_("repr Size", lambda M: repr(M.zeros(5, 3).size())),
    P_("repr dtype", lambda M: repr(M.float64)),
    P_("type name", lambda M, x: x.type(), U),
    P_("Size slicing", lambda M: (M.Size([2, 3])[1:], M.Size([2, 3]) + (4,))),

    # ---- casts
    P_("casts", lambda M, x: (x.int(), x.long(), x.short(), x.char(), x.byte(), x.bool(), x.half(),
                              x.double()), F),
    P_("cast wrap", lambda M: M.tensor([-3.0, 300.0]).to(M.uint8)),
    P_("cast half overflow", lambda M: M.tensor([70000.0]).half()),
    P_("to tensor", lambda M, x, y: x.to(y), F, I),
    P_("float is x", lambda M, x: x.float() is x, F),
    P_("type legacy", lambda M, x: x.type(M.IntTensor), F),

    # ---- arithmetic and promotion
    P_("add", lambda M, x, y: x + y, F, G),
    P_("sub broadcast", lambda M, x, y: x - y, F, V),
    P_("mul int float", lambda M, x, y: x * y, I, F),
    P_("div ints", lambda M, x, y: x / y, I, NZ),
    P_("floordiv ints", lambda M, x, y: x // y, I, NZ),
    P_("mod ints", lambda M, x, y: x % y, I, NZ),
    P_("floordiv floats", lambda M, x, y: x // y, F, P),
    P_("mod floats", lambda M, x, y: x % y, F, P),
    P_("floordiv zero", lambda M, x: x // 0, I),
    P_("mod zero", lambda M, x: x % M.zeros(4, dtype=M.int64), I),
    P_("trunc div", lambda M, x, y: M.div(x, y, rounding_mode="trunc"), I, NZ),
    P_("floor div", lambda M, x, y: M.div(x, y, rounding_mode="floor"), I, NZ),
    P_("div bad mode", lambda M, x: M.div(x, 2, rounding_mode="round"), I),
    P_("pow", lambda M, x, y: x ** y, P, F),
    P_("int pow", lambda M, x: x ** 2, I),
    P_("int pow negative", lambda M, x: x ** -1, I),
    P_("int pow tensor negative", lambda M, x: x ** M.tensor([-1, 2, -2, 0]), I),
    P_("bool pow", lambda M, x: x ** x, B),
    P_("bool sub", lambda M, x: x - x, B),
    P_("bool neg", lambda M, x: -x, B),
    P_("float minus True", lambda M, x: x - True, F),
    P_("uint8 wrap", lambda M, x: x + 10, U),
    P_("uint8 minus", lambda M, x: x - 2, U),
    P_("uint8 int8", lambda M, x: x + M.ones(4, dtype=M.int8), U),
    P_("int8 0-d", lambda M: M.ones(2, dtype=M.int8) + M.tensor(1000)),
    P_("int32 0-d float64", lambda M: M.ones(2, dtype=M.int32) + M.tensor(1.0, dtype=M.float64)),
    P_("half python float", lambda M, x: (x * 1e3, x + 0.1, 2.5 / x), H),
    P_("half float32", lambda M, x, y: x + y, H, F),
    P_("double float", lambda M, x, y: x * y, D, F),
    P_("scalar left", lambda M, x: (2 - x, 2 / x, 2 ** x, 7 // x, 7 % x), NZ),
    P_("numpy scalar", lambda M, x: x * np.float64(2.0), F),
    P_("alpha", lambda M, x, y: M.add(x, y, alpha=2), I, I),
    P_("alpha float on ints", lambda M, x, y: M.add(x, y, alpha=0.5), I, I),
    P_("broadcast 3-d", lambda M, x, y: x * y, BATCH, V),
    P_("broadcast error", lambda M, x, y: x + y, F, G.T.copy()),
    P_("broadcast error 2", lambda M, x: x + M.ones(2), F),
    P_("result_type", lambda M, x, y: (M.result_type(x, y), M.result_type(x, 2.5),
                                       M.result_type(2, 2.5)), U, I),
    P_("promote_types", lambda M: M.promote_types(M.uint8, M.int8)),
    P_("can_cast", lambda M: (M.can_cast(M.float32, M.int32), M.can_cast(M.int32, M.float32))),
    P_("out=", lambda M, x, y: M.add(x, y, out=M.empty(3, 4, dtype=M.float64)), F, G),
    P_("out= bad dtype", lambda M, x, y: M.add(x, y, out=M.empty(3, 4, dtype=M.int64)), F, G),
    P_("add_ int float", lambda M, x: x.add_(0.5), I),
    P_("div_ int", lambda M, x: x.div_(2), I),

    # ---- math functions
    P_("exp log", lambda M, x: (x.exp(), x.log(), x.sqrt()), P),
    P_("trig", lambda M, x: (M.sin(x), M.cos(x), M.tanh(x)), F),
    P_("sigmoid relu abs", lambda M, x: (M.sigmoid(x), M.relu(x), M.abs(x), M.neg(x)), F),
    P_("int math", lambda M, x: (M.exp(x), M.sigmoid(x), M.relu(x), M.abs(x), M.sign(x)), I),
    P_("half math", lambda M, x: (M.exp(x), M.tanh(x), M.sigmoid(x)), H),
    P_("sigmoid extremes", lambda M: M.sigmoid(M.tensor([-1000.0, 0.0, 1000.0]))),
    P_("log nonpositive", lambda M: M.log(M.tensor([0.0, -1.0]))),
    P_("relu bool", lambda M, x: M.relu(x), B),
    P_("abs bool", lambda M, x: M.abs(x), B),
    P_("clamp", lambda M, x: (x.clamp(-1, 1), x.clamp(min=0), x.clamp(max=0.5), x.clamp(2, 1)), F),
    P_("clamp int float", lambda M, x: x.clamp(min=0.5), I),
    P_("clamp tensor", lambda M, x, y: x.clamp(min=y), F, V),
    P_("clamp nothing", lambda M, x: x.clamp(), F),
    P_("where", lambda M, c, x, y: M.where(c, x, y), B, I, F),
    P_("where scalars", lambda M, c: (M.where(c, 1, 0), M.where(c, 1.0, 0)), B),
    P_("where not bool", lambda M, x: M.where(x, x, x), I),
    P_("where one arg", lambda M, c: M.where(c), B),
    P_("maximum", lambda M, x, y: (M.maximum(x, y), M.minimum(x, y)), I, F),
    P_("maximum scalar", lambda M, x: M.maximum(x, 1), F),
    P_("compare", lambda M, x, y: (x == y, x != y, x < y, x <= y, x > y, x >= y), I, F),
    P_("compare scalar", lambda M, x: (x == 1, x > 0.5, x < True), I),
    P_("equal", lambda M, x, y: (M.equal(x, x), M.equal(x, y)), F, G),
    P_("allclose dtypes", lambda M, x, y: M.allclose(x, y), F, D),
    P_("bitwise", lambda M, x, y: (x & y, x | y, x ^ y, ~x), B, B),
    P_("bitwise int", lambda M, x: (x & 3, x | 4, ~x), I),
    P_("bitwise float", lambda M, x: x & x, F),
    P_("invert float", lambda M, x: ~x, F),
    P_("eq None", lambda M, x: (x == None, x != None), F),   # noqa: E711

    # ---- reductions
    P_("sum", lambda M, x: (x.sum(), x.sum(0), x.sum(1, keepdim=True), x.sum((0, 2)),
                            x.sum(-1)), BATCH),
    P_("sum ints", lambda M, x: (x.sum(), x.sum(1), x.sum(dtype=M.float32)), U),
    P_("sum bool", lambda M, x: x.sum(0), B),
    P_("sum half", lambda M, x: x.sum(), H),
    P_("sum dtype int8", lambda M, x: x.sum(0, dtype=M.int8), I),
    P_("sum duplicate dims", lambda M, x: x.sum((1, 1)), F),
    P_("mean", lambda M, x: (x.mean(), x.mean(0), x.mean((0, 1), keepdim=True)), BATCH),
    P_("mean int", lambda M, x: x.mean(), I),
    P_("mean int dtype", lambda M, x: x.mean(dtype=M.int64), I),
    P_("mean int to float", lambda M, x: x.mean(dtype=M.float32), I),
    P_("prod", lambda M, x: (x.prod(), x.prod(1)), data(2, 3, low=0.5, high=1.5)),
    P_("prod ints", lambda M, x: x.prod(0), I),
    P_("max all", lambda M, x: (x.max(), x.min()), TIES),
    P_("max dim", lambda M, x: x.max(dim=1), TIES),
    P_("min dim keepdim", lambda M, x: x.min(0, keepdim=True), TIES),
    P_("max dim repr", lambda M, x: repr(x.max(1)), TIES),
    P_("max binary", lambda M, x, y: M.max(x, y), F, G),
    P_("max empty", lambda M: M.tensor([]).max()),
    P_("max empty dim", lambda M: M.zeros(0, 3).max(0)),
    P_("argmax", lambda M, x: (x.argmax(), x.argmin(), x.argmax(1), x.argmax(0, keepdim=True),
                               x.argmax(keepdim=True)), TIES),
    P_("argmax empty", lambda M: M.tensor([]).argmax()),
    P_("var std", lambda M, x: (x.var(), x.std(), x.var(1), x.std(0, keepdim=True),
                                x.var(unbiased=False), x.std(correction=0)), F),
    P_("var int", lambda M, x: x.var(), I),
    P_("amax", lambda M, x: (x.amax(0), x.amin((0, 1))), BATCH),
    P_("all any", lambda M, x: (x.all(), x.any(), x.any(1)), B),
    P_("empty sum", lambda M: (M.tensor([]).sum(), M.zeros(2, 0).sum(1))),
    P_("0-d reductions", lambda M: (M.tensor(5.0).sum(0), M.tensor(5.0).max(0))),
    P_("dim out of range", lambda M, x: x.sum(2), F),
    P_("softmax", lambda M, x: (M.softmax(x, 0), M.softmax(x, -1), M.log_softmax(x, 1)), F),
    P_("softmax big", lambda M, x: (M.softmax(x, 0), M.log_softmax(x, 0)), BIG),
    P_("softmax half", lambda M, x: M.softmax(x, 1), H),
    P_("softmax int", lambda M, x: M.softmax(x, 0), I),
    P_("softmax int dtype", lambda M, x: M.softmax(x, 0, dtype=M.float64), I),
    P_("softmax -inf", lambda M: M.softmax(M.tensor([1.0, float("-inf")]), 0)),

    # ---- matmul
    P_("matmul 2x2", lambda M, x, y: x @ y, F, G.T.copy()),
    P_("matmul vec", lambda M, x, y: (x @ y, y @ x.T, y @ y), F, V),
    P_("matmul batch", lambda M, x, y: x @ y, BATCH, data(4, 5)),
    P_("matmul batch broadcast", lambda M, x, y: x @ y, data(2, 1, 2, 3), data(4, 3, 5)),
    P_("matmul int", lambda M, x, y: x @ y, I, I.T.copy()),
    P_("matmul half", lambda M, x, y: x @ y, H, H.T.copy()),
    P_("matmul dtypes", lambda M, x, y: x @ y, F, D.T.copy()),
    P_("matmul float long", lambda M, x, y: x @ y, F, I.T.copy()),
    P_("matmul shapes", lambda M, x, y: x @ y, F, G),
    P_("matmul vec mismatch", lambda M, x: x @ M.ones(3), F),
    P_("dot mismatch", lambda M: M.ones(3) @ M.ones(2)),
    P_("dot dtypes", lambda M: M.dot(M.ones(2), M.ones(2, dtype=M.float64))),
    P_("mv dtypes", lambda M: M.ones(2, 2, dtype=M.float64) @ M.ones(2)),
    P_("bmm shapes", lambda M: M.ones(4, 2, 3) @ M.ones(4, 2, 5)),
    P_("bmm dtypes", lambda M: M.ones(2, 2, 2) @ M.ones(2, 2, 2, dtype=M.float64)),
    P_("batch broadcast error", lambda M: M.ones(4, 2, 3) @ M.ones(5, 3, 5)),
    P_("matmul 0-d", lambda M: M.tensor(2.0) @ M.ones(2)),
    P_("matmul bool", lambda M, x: x @ x.T, B),
    P_("mm vector", lambda M: M.mm(M.ones(3), M.ones(3, 2))),
    P_("bmm 2-d", lambda M: M.bmm(M.ones(2, 2, 3), M.ones(3, 3))),
    P_("bmm batch", lambda M: M.bmm(M.ones(2, 2, 3), M.ones(3, 3, 4))),

    # ---- the numpy bridge and autograd surface
    P_("numpy requires grad", lambda M: M.ones(2, requires_grad=True).numpy()),
    P_("numpy non-leaf", lambda M: (M.ones(2, requires_grad=True) * 2).numpy()),
    P_("detach numpy", lambda M: M.ones(2, requires_grad=True).detach().numpy().tolist()),
    P_("from_numpy negative", lambda M: M.from_numpy(np.arange(6)[::-1])),
    P_("tensor negative", lambda M: M.tensor(np.arange(6)[::-1])),
    P_("from_numpy object", lambda M: M.from_numpy(np.array([1, 2], dtype=object)),
       message=False),   # PyTorch lists dtypes autodidact does not have
    P_("from_numpy list", lambda M: M.from_numpy([1, 2])),
    P_("tensor + ndarray", lambda M, x: x + np.ones(4), I),
    P_("cpu is x", lambda M, x: (x.cpu() is x, x.to("cpu") is x, x.device.type), F),
    P_("bad device", lambda M, x: x.to("gpu"), F, message=False),   # PyTorch lists 20 backends

    # ---- more math: dtypes (integers become floats, or stay), and refusals
    *[P_(f"{name} {dtype}", (lambda n: lambda M, x: getattr(M, n)(x))(name), source)
      for name in ("log1p", "expm1", "log2", "log10", "erf", "floor", "ceil", "frac",
                   "reciprocal", "rsqrt", "square")
      for dtype, source in (("f32", P), ("f64", D), ("i64", I), ("bool", B), ("f16", H))],
    P_("clamp_min int float", lambda M, x: x.clamp_min(0.5), I),
    P_("clamp_max int", lambda M, x: M.clamp_max(x, 1), I),
    P_("clamp_min tensor", lambda M, x, y: x.clamp_min(y), F, G),
    P_("atan2 ints", lambda M, x, y: M.atan2(x, y), I, NZ),
    P_("atan2 mixed", lambda M, x, y: M.atan2(x, y).dtype, F, D),
    P_("hypot", lambda M, x, y: M.hypot(x, y), F, G),
    P_("hypot int", lambda M, x: M.hypot(x, x), I),
    P_("lerp", lambda M, x, y: M.lerp(x, y, 0.25), F, G),
    P_("lerp tensor weight", lambda M, x, y, w: x.lerp(y, w), F, G, V),
    P_("lerp int", lambda M, x: M.lerp(x, x, 0.5), I),
    P_("lerp dtypes", lambda M, x, y: M.lerp(x, y, 0.5), F, D),
    # ---- running totals
    P_("cumsum", lambda M, x: x.cumsum(1), F),
    P_("cumsum int8", lambda M: M.tensor([100, 100], dtype=M.int8).cumsum(0)),
    P_("cumsum bool", lambda M, x: M.cumsum(x, dim=0), B),
    P_("cumsum dtype", lambda M, x: x.cumsum(0, dtype=M.float64), I),
    P_("cumsum 0-d", lambda M: M.tensor(3.0).cumsum(0)),
    P_("cumsum bad dim", lambda M, x: x.cumsum(2), F),
    P_("cumsum out", lambda M, x: M.cumsum(x, 0, out=M.empty(3, 4)), F),
    P_("cumprod", lambda M, x: x.cumprod(0), F),
    P_("cumprod int", lambda M, x: x.cumprod(1), I),
    P_("logsumexp", lambda M, x: x.logsumexp(1), F),
    P_("logsumexp large", lambda M, x: M.logsumexp(x, 0), BIG),
    P_("logsumexp int", lambda M, x: M.logsumexp(x, 1), I),
    P_("logsumexp keepdim tuple", lambda M, x: x.logsumexp((0, 2), keepdim=True), BATCH),
    P_("logsumexp empty", lambda M: M.logsumexp(M.ones(0, 3), 0)),
    P_("logsumexp -inf", lambda M: M.tensor([-float("inf"), -float("inf")]).logsumexp(0)),
    # ---- ordering (indices compared where there are no ties, or PyTorch documents them)
    P_("sort", lambda M, x: x.sort(), F),
    P_("sort dim0 descending", lambda M, x: M.sort(x, 0, True), F),
    P_("sort stable ties", lambda M, x: x.sort(stable=True), TIES),
    P_("sort stable descending ties", lambda M, x: x.sort(dim=1, descending=True, stable=True), TIES),
    P_("argsort stable ties", lambda M, x: M.argsort(x, stable=True), TIES),
    P_("sort int", lambda M, x: x.sort(), I),
    P_("sort uint8 descending", lambda M, x: x.sort(descending=True, stable=True).values, U),
    P_("sort bool", lambda M, x: x.sort(stable=True), B),
    P_("sort nan", lambda M: M.tensor([1.0, float("nan"), -1.0]).sort()),
    P_("sort nan descending", lambda M: M.tensor([1.0, float("nan"), -1.0]).sort(descending=True)),
    P_("sort 0-d", lambda M: M.tensor(2.5).sort()),
    P_("sort empty", lambda M: M.ones(0, 3).sort(0)),
    P_("topk", lambda M, x: x.topk(2), F),
    P_("topk smallest", lambda M, x: M.topk(x, 3, dim=0, largest=False), F),
    P_("topk too many", lambda M, x: x.topk(5), F),
    P_("topk zero", lambda M, x: x.topk(0), F),
    P_("kthvalue", lambda M, x: x.kthvalue(2), F),
    P_("kthvalue keepdim", lambda M, x: x.kthvalue(3, 0, keepdim=True), F),
    P_("kthvalue out of range", lambda M, x: x.kthvalue(5), F),
    P_("median", lambda M, x: x.median(), F),
    P_("median even", lambda M: M.tensor([4.0, 1.0, 3.0, 2.0]).median()),
    P_("median int", lambda M, x: x.median(), I),
    P_("median dim", lambda M, x: x.median(1), F),
    P_("median dim values ties", lambda M, x: x.median(0).values, TIES),
    P_("median keepdim", lambda M, x: M.median(x, 0, keepdim=True), F),
    P_("mode values", lambda M, x: x.mode(1).values, I),
    P_("mode", lambda M: M.tensor([[1, 2, 2, 3], [5, 4, 4, 4]]).mode()),
    P_("unique", lambda M, x: M.unique(x), I),
    P_("unique inverse counts", lambda M, x: x.unique(return_inverse=True, return_counts=True), I),
    P_("unique dim", lambda M: M.tensor([[1, 2], [1, 2], [0, 1]]).unique(dim=0)),
    P_("unique float grad", lambda M, x: M.unique(x.requires_grad_()), F),
    P_("bincount", lambda M: M.bincount(M.tensor([0, 3, 3, 1]))),
    P_("bincount weights", lambda M: M.tensor([0, 3, 3]).bincount(M.tensor([0.5, 1.0, 1.0]))),
    P_("bincount weights f64", lambda M: M.bincount(M.tensor([1, 1]), M.tensor([0.5, 1.0], dtype=M.float64))),
    P_("bincount minlength", lambda M: M.bincount(M.tensor([1]), minlength=4)),
    P_("bincount negative", lambda M: M.bincount(M.tensor([-1, 2]))),
    P_("bincount 2-d", lambda M, x: M.bincount(x), I),
    P_("histc", lambda M, x: M.histc(x, bins=4, min=0, max=3), P),
    P_("histc data range", lambda M, x: x.histc(5), F),
    P_("histc int", lambda M, x: M.histc(x), I),
    P_("histogram", lambda M, x: M.histogram(x, bins=4, range=(0.0, 3.0)), P),
    P_("histogram edges", lambda M: M.histogram(M.tensor([1.0, 2.0, 1.0]), M.tensor([0.0, 1.0, 2.0, 3.0]))),
    P_("histogram weight density", lambda M, x, w: M.histogram(x, 3, weight=w, density=True), P, D.astype("float32")),
    # ---- gather and scatter
    P_("gather", lambda M, x: x.gather(1, M.tensor([[0, 3], [1, 1], [2, 0]])), F),
    P_("gather int", lambda M, x: M.gather(x, 0, M.tensor([[2, 1, 0, 0]])), I),
    P_("gather bad dtype", lambda M, x: x.gather(1, M.tensor([[0.0]])), F),
    P_("gather out of range", lambda M, x: x.gather(1, M.tensor([[4]])), F),
    P_("gather dims", lambda M, x: x.gather(1, M.tensor([0])), F),
    P_("gather 0-d", lambda M: (M.tensor(3.0).gather(0, M.tensor(0)), M.tensor([1.0, 2.0]).gather(0, M.tensor(1)))),
    P_("gather negative", lambda M, v: v.gather(0, M.tensor([-1])), V),
    P_("gather int32 index", lambda M, x: x.gather(1, M.tensor([[1]], dtype=M.int32)), F),
    P_("scatter", lambda M, x, y: x.scatter(1, M.tensor([[0, 3], [1, 1], [2, 0]]), y), F, G),
    P_("scatter value", lambda M, x: M.scatter(x, 0, M.tensor([[2, 1, 0, 0]]), -1.0), F),
    P_("scatter_add", lambda M, x: x.scatter_add(1, M.tensor([[0, 0], [1, 1], [3, 3]]), M.ones(3, 2, dtype=M.int64)), I),
    P_("scatter_add dtype", lambda M, x: x.scatter_add(0, M.tensor([[0]]), M.ones(1, 1, dtype=M.float64)), F),
    P_("masked_fill", lambda M, x: x.masked_fill(x > 0, 0.0), F),
    P_("masked_fill int", lambda M, x: M.masked_fill(x, x < 0, 7), I),
    P_("masked_fill tensor value", lambda M, x: x.masked_fill(x > 0, M.tensor(2.5)), F),
    P_("masked_fill broadcast", lambda M, x: x.masked_fill(M.tensor([True, False, False, True]), -1.0), F),
    P_("masked_fill int mask", lambda M, x: x.masked_fill(M.ones(3, 4, dtype=M.int64), 0.0), F),
    P_("masked_select", lambda M, x: x.masked_select(x > 1), F),
    P_("masked_select broadcast", lambda M, x: M.masked_select(x, M.tensor([True, False, True, False])), F),
    P_("take_along_dim", lambda M, x: M.take_along_dim(x, x.argsort(1), 1), F),
    P_("take_along_dim flat", lambda M, x: x.take_along_dim(M.tensor([0, 11, 5])), F),
    P_("take_along_dim broadcast", lambda M, x: M.take_along_dim(x, M.tensor([[0], [1]]).unsqueeze(0), 2), BATCH),
    # ---- products and matrices
    P_("mv", lambda M, x, v: M.mv(x, v), F, V),
    P_("mv bad", lambda M, x: x.mv(x), F),
    P_("outer", lambda M, v: M.outer(v, v), V),
    P_("outer int", lambda M: M.outer(M.tensor([1, 2]), M.tensor([3, 4, 5]))),
    P_("addmm", lambda M, x, y, v: M.addmm(v, x.T, y), F, G, V),
    P_("addmm beta alpha", lambda M, x, y: M.addmm(x[:, :3], x, y.T, beta=0.5, alpha=-2), F, G),
    P_("addmm bad input", lambda M, x, y: M.addmm(M.ones(5), x.T, y), F, G),
    P_("tensordot", lambda M, x, y: M.tensordot(x, y, dims=([1], [1])), F, G),
    P_("tensordot int dims", lambda M, x, y: M.tensordot(x, y.T, 1), BATCH, F),
    P_("tensordot mismatch", lambda M, x: M.tensordot(x, x, 1), F),
    *[P_(f"einsum {eq}", (lambda e: lambda M, *xs: M.einsum(e, *xs))(eq), *xs)
      for eq, xs in (("ij,jk->ik", (F, G.T.copy())), ("bij,bjk->bik", (BATCH, BATCH.transpose(0, 2, 1).copy())),
                     ("i,i->", (V, V)), ("i,j->ij", (V, V[:3].copy())), ("ij->ji", (F,)),
                     ("ii->i", (F[:, :3].copy(),)), ("ii->", (F[:, :3].copy(),)), ("ij->", (F,)),
                     ("...ij,...jk->...ik", (BATCH, G.T.copy())), ("ij,jk", (F, G.T.copy())),
                     ("ij,jk->ik", (I, NZ.T.copy())), ("ij", (F,)))],
    P_("einsum too many operands", lambda M, x: M.einsum("ij->ji", x, x), F, message=False),
    P_("einsum subscripts", lambda M, x: M.einsum("i->i", x), F, message=False),
    P_("tril", lambda M, x: x.tril(), F),
    P_("triu batch", lambda M, x: M.triu(x, -1), BATCH),
    P_("tril bool", lambda M, x: x.tril(1), B),
    P_("tril 1-d", lambda M, x: x.tril(), V),
    P_("diag vector", lambda M, x: M.diag(x, 1), V),
    P_("diag matrix", lambda M, x: x.diag(-1), F),
    P_("diag int", lambda M, x: x.diag(), I),
    P_("diagonal", lambda M, x: x.diagonal(1, 1, 2), BATCH),
    P_("trace", lambda M, x: x.trace(), F),
    P_("trace int", lambda M, x: M.trace(x), I),
    P_("trace 3-d", lambda M, x: x.trace(), BATCH),
    # ---- norms and linalg
    P_("norm", lambda M, x: x.norm(), F),
    P_("norm p", lambda M, x: (x.norm(1), x.norm(float("inf")), x.norm(3), x.norm(0)), F),
    P_("norm dim", lambda M, x: M.norm(x, dim=1, keepdim=True), F),
    P_("norm fro dims", lambda M, x: x.norm("fro", dim=(0, 2)), BATCH),
    P_("norm int", lambda M, x: x.norm(), I),
    P_("norm f64", lambda M, x: x.norm(2, 0), D),
    P_("dist", lambda M, x, y: (M.dist(x, y), x.dist(y, 1), M.dist(x, y, float("inf"))), F, G),
    P_("dist broadcast", lambda M, x, v: M.dist(x, v), F, V),
    P_("vector_norm", lambda M, x: M.linalg.vector_norm(x, 3.5, dim=(0, 1)), BATCH),
    P_("vector_norm int", lambda M, x: M.linalg.vector_norm(x), I),
    P_("vector_norm empty inf", lambda M: M.linalg.vector_norm(M.ones(0), float("inf"))),
    P_("vector_norm empty", lambda M: M.linalg.vector_norm(M.ones(0))),
    P_("matrix_norm", lambda M, x: (M.linalg.matrix_norm(x), M.linalg.matrix_norm(x, 1),
                                    M.linalg.matrix_norm(x, -1), M.linalg.matrix_norm(x, float("inf")),
                                    M.linalg.matrix_norm(x, -float("inf"))), BATCH),
    P_("matrix_norm 1-d", lambda M, x: M.linalg.matrix_norm(x), V),
    P_("matrix_norm bad dim", lambda M, x: M.linalg.matrix_norm(x, dim=0), F,
       message=False),   # PyTorch lists both signatures
    P_("linalg.norm", lambda M, x: (M.linalg.norm(x), M.linalg.norm(x, 1), M.linalg.norm(x, dim=1),
                                    M.linalg.norm(x, "fro", dim=(0, 1))), F),
    P_("linalg.norm vector ord", lambda M, x: M.linalg.norm(x, float("inf")), V),
    *[P_(f"linalg.norm errors {i}", f, message=i != 2) for i, f in enumerate([
        lambda M: M.linalg.norm(M.ones(3), "fro"), lambda M: M.linalg.norm(M.ones(2, 2, 2), "fro"),
        lambda M: M.linalg.norm(M.ones(2, 2), "fro", dim=(0,)),
        lambda M: M.linalg.norm(M.ones(2, 2), 1, dim=(0, 1, 1))])],
    P_("inv", lambda M, x: M.linalg.inv(x[:, :3]), F),
    P_("inv batch", lambda M, x: M.linalg.inv(x[:, :, :3]), BATCH),
    P_("inv not square", lambda M, x: M.linalg.inv(x), F),
    P_("inv int", lambda M, x: M.linalg.inv(x[:, :3]), I),
    P_("det", lambda M, x: M.linalg.det(x[:, :3]), F),
    P_("det batch", lambda M, x: M.linalg.det(x[:, :, :3]), BATCH),
    P_("det not square", lambda M, x: M.linalg.det(x), F),
    P_("solve vector", lambda M, x, y: M.linalg.solve(x[:, :3], y[:, 0]), F, G),
    P_("solve matrix", lambda M, x, y: M.linalg.solve(x[:, :3], y), F, G),
    P_("solve batch of vectors", lambda M, x: M.linalg.solve(x[:, :, :3], x[:, :, 3]), BATCH),
    P_("solve shapes", lambda M, x, v: M.linalg.solve(x[:, :3], v), F, V),
    P_("solve dtypes", lambda M, x, y: M.linalg.solve(x[:, :3], y), F, D),
    P_("solve left=False", lambda M, x, y: M.linalg.solve(x[:, :3], y.T, left=False), F, G),
    # ---- creation: new_*, one_hot
    P_("new_ones", lambda M, x: x.new_ones(2, 3), I),
    P_("new_zeros tuple", lambda M, x: x.new_zeros((2,), dtype=M.float64), F),
    P_("new_full", lambda M, x: x.new_full((2, 2), 7), F),
    P_("new_empty shape", lambda M, x: (x.new_empty(3).shape, x.new_empty(3).dtype), H),
    P_("new_ones requires_grad", lambda M, x: x.new_ones(2, requires_grad=True), F),
    P_("one_hot", lambda M: M.nn.functional.one_hot(M.tensor([0, 2, 1]))),
    P_("one_hot classes", lambda M: M.nn.functional.one_hot(M.tensor([[0], [2]]), 4)),
    P_("one_hot 0-d", lambda M: M.nn.functional.one_hot(M.tensor(1), 3)),
    P_("one_hot empty", lambda M: M.nn.functional.one_hot(M.zeros(0, dtype=M.int64), 3)),
    P_("one_hot empty infer", lambda M: M.nn.functional.one_hot(M.zeros(0, dtype=M.int64))),
    P_("one_hot float", lambda M: M.nn.functional.one_hot(M.tensor([0.0]))),
    P_("one_hot negative", lambda M: M.nn.functional.one_hot(M.tensor([-1]))),
    P_("one_hot too large", lambda M: M.nn.functional.one_hot(M.tensor([3]), 2)),
    P_("matmul out", lambda M, x, y: (lambda r: (M.matmul(x, y.T, out=r), r))(M.empty(3, 3)), F, G),
    P_("sum out", lambda M, x: (lambda r: (M.sum(x, 1, out=r), r))(M.empty(3)), F),
    P_("sum out without dim", lambda M, x: M.sum(x, out=M.empty(())), F, message=False),
    P_("sum out dtype", lambda M, x: M.sum(x, 0, out=M.empty(4, dtype=M.int32)), F),
    # ---- already present, compared here too
    P_("new_tensor", lambda M, x: (x.new_tensor([1, 2]), x.new_tensor([1, 2], dtype=M.int64)), F),
    P_("index_select", lambda M, x: x.index_select(1, M.tensor([2, 0])), F),
    P_("index_select 0-d index", lambda M, x: M.index_select(x, 1, M.tensor(1)), F),
    P_("index_select 2-d index", lambda M, x: x.index_select(0, M.tensor([[0]])), F),
    P_("index_select float index", lambda M, x: x.index_select(1, M.tensor([0.0])), F),
    P_("index_select out of range", lambda M, x: x.index_select(1, M.tensor([4])), F),
    P_("all any dim", lambda M, x: (x.all(dim=1), (x > 0).any(1, keepdim=True), M.all(x > -9, 0)), F),
    P_("var std correction", lambda M, x: (x.var(1, correction=2), x.std(dim=0, correction=0, keepdim=True)), F),
    P_("prod dtype", lambda M, x: x.prod(1, dtype=M.float64), F),
    P_("eye int", lambda M: M.eye(2, 3, dtype=M.int64)),
    P_("full_like dtype", lambda M, x: M.full_like(x, 7, dtype=M.int32), F),
    P_("linspace one step", lambda M: M.linspace(-1, 1, steps=1)),
    P_("argmax keepdim", lambda M, x: (x.argmax(dim=1, keepdim=True), M.argmin(x, 0)), F),
    P_("max min dim named", lambda M, x: (x.max(1).values, x.min(dim=0, keepdim=True).indices), F),
    # ---- in place
    P_("masked_fill_", lambda M, x: x.masked_fill_(x > 0, 0.0), F),
    P_("scatter_ one-hot", lambda M: M.zeros(3, 4).scatter_(1, M.tensor([[0], [3], [1]]), 1.0)),
    P_("scatter_add_", lambda M, x: x.scatter_add_(0, M.tensor([[0, 1, 2, 0]]), M.ones(1, 4, dtype=M.int64)), I),
    P_("unary in place", lambda M, x: (x.clamp_min_(0.5), x.log1p_(), x.expm1_(), x.log2_(), x.sqrt().log10_(),
                                       x.erf_(), x.reciprocal_(), x.rsqrt_(), x.square_(), x.frac_(),
                                       x.floor_(), x.ceil_(), x.clamp_max_(1.0)), P),
    P_("tril_ triu_ cumsum_ lerp_", lambda M, x, y: (x.tril_(), x.triu_(-1), x.cumsum_(0), x.lerp_(y, 0.5),
                                                       x.atan2_(y), x.hypot_(y)), F, G),
    P_("in-place on a leaf", lambda M, x: x.requires_grad_().masked_fill_(x > 0, 0.0), F),
    P_("masked_fill_ graph", lambda M, x: (x.requires_grad_() * 1).masked_fill_(x > 0, 0.0), F),
    # ---- NumPy spellings
    P_("sum axis keepdims", lambda M, x: x.sum(axis=1, keepdims=True), F),
    P_("mean axis", lambda M, x: M.mean(x, axis=0), F),
    P_("max axis", lambda M, x: x.max(axis=1, keepdims=True), F),
    P_("argmax axis", lambda M, x: x.argmax(axis=0), F),
    P_("std var axis", lambda M, x: (x.std(axis=1), M.var(x, axis=0, keepdims=True)), F),
    P_("all any axis", lambda M, x: (x.all(axis=1), x.any(axis=0, keepdims=True)), B),
    P_("prod amax amin axis", lambda M, x: (x.prod(axis=1), x.amax(axis=0), M.amin(x, axis=1, keepdims=True)), F),
    P_("cumsum softmax axis", lambda M, x: (x.cumsum(axis=1), x.softmax(axis=0)), F),
    P_("logsumexp median axis", lambda M, x: (x.logsumexp(axis=1), x.median(axis=0).values), F),
    P_("squeeze unsqueeze axis", lambda M, x: (x.unsqueeze(axis=0).shape, x[None].squeeze(axis=0).shape), F),
    P_("size=", lambda M: (M.zeros(size=(2, 3)), M.ones(size=[2]), M.empty(size=(1, 2)).shape,
                           M.rand(size=(2,)).shape, M.randn(size=(2, 3)).dtype)),
    P_("range index", lambda M: M.arange(10)[range(2, 8, 2)]),
    P_("range index 2-d", lambda M: M.arange(12).reshape(3, 4)[range(2), range(1, 3)]),
    P_("range assign", lambda M: (lambda x: (x.__setitem__(range(3), 0), x)[1])(M.arange(6))),
    P_("range empty", lambda M: M.arange(6.0)[range(0)]),
    P_("f-string 0-d", lambda M: (f"{M.tensor(2.5)}", f"{M.tensor(2.5):.4f}", f"{M.tensor(3):5d}",
                                  f"{M.tensor(True)}", f"{M.tensor(1e-8):e}")),
    P_("f-string tensor", lambda M: f"{M.tensor([1.0, 2.0])}"),
    P_("f-string tensor spec", lambda M: f"{M.tensor([1.0, 2.0]):.2f}"),
    P_("type", lambda M: (str(type(M.ones(1))), repr(M.Tensor), type(M.ones(1)).__name__)),
]


def _share(M):
    array = np.ones(3)
    t = M.from_numpy(array)
    array[0] = 5
    t.add_(1)
    return (t, array.tolist())


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_same_as_torch(torch_oracle, program):
    ours = program.run(autodidact)
    theirs = program.run(torch_oracle)
    assert_same(ours, theirs, program)


# --------------------------------------------------------- systematic sweeps


UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg", "sign",
         "round"]
DTYPES = ["float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]


@pytest.mark.parametrize("name", UNARY)
def test_unary_functions_over_dtypes(torch_oracle, name):
    for dtype in DTYPES:
        source = data(2, 3, dtype=dtype, low=0 if dtype == "uint8" else -3, high=3)
        program = Program(f"{name}[{dtype}]", lambda M, x: getattr(M, name)(x), source)
        assert_same(program.run(autodidact), program.run(torch_oracle), program)


REDUCTIONS = ["sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "var", "std",
              "softmax", "log_softmax", "max", "min"]


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_over_dims(torch_oracle, name):
    source = data(2, 3, 4, low=0.5, high=2.0)
    for dim in (0, 1, 2, -1):
        for keepdim in (False, True):
            if name in ("softmax", "log_softmax"):
                function = lambda M, x: getattr(M, name)(x, dim)   # noqa: E731
            else:
                function = lambda M, x: getattr(M, name)(x, dim, keepdim)   # noqa: E731
            program = Program(f"{name}(dim={dim}, keepdim={keepdim})", function, source)
            assert_same(program.run(autodidact), program.run(torch_oracle), program)


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "//", "%", "**", "<", "=="])
def test_binary_operators_over_dtype_pairs(torch_oracle, symbol):
    op = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
          "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
          "**": lambda a, b: a ** b, "<": lambda a, b: a < b, "==": lambda a, b: a == b}[symbol]
    for left in DTYPES:
        for right in DTYPES:
            a = data(2, 3, dtype=left, low=1, high=4)
            b = data(3, dtype=right, low=1, high=3)
            program = Program(f"{left} {symbol} {right}", lambda M, x, y: op(x, y), a, b)
            assert_same(program.run(autodidact), program.run(torch_oracle), program)
