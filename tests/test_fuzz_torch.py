"""Differential fuzzing: random short tensor programs, run on autodidact and on PyTorch 2.13.

Hypothesis writes a program of one to four steps over a few input tensors
(0-d, empty and broadcasting shapes; float32, float64, int64 and bool):
elementwise math with tensors and Python numbers, reductions with `dim` and
`keepdim`, matmul, indexing, views, in-place ops, cat and stack, some steps
under `no_grad`. Each step is one line of Python, so a program prints as a
script a student can paste into a file that starts with `import torch` (or
`import autodidact as torch`):

    x0 = torch.tensor([[1.0, -0.5]], dtype=torch.float32, requires_grad=True)
    v1 = x0.transpose(0, 1)
    v2 = torch.cat([v1, v1], dim=-1)
    with torch.no_grad(): v1.mul_(2)
    loss = x0.sum() + v2.sum() * 2
    loss.backward()

The program runs once with `torch` standing for PyTorch and once for
autodidact; then the two runs are compared: the same step raised (or none
did), and for every variable the dtype, shape, strides, `requires_grad` and
values (to a tolerance that fits the dtype; NaN equals NaN), then whether
`loss.backward()` raised and the gradients of the inputs. PyTorch picks
each next step: the generator looks at the shapes PyTorch's run has so far,
so most programs do something rather than fail at their first line.

Mismatches that are known are listed in EXCLUSIONS, each with a name, the
programs it covers and why: bugs this
fuzzer found (delete the entry once the fix lands), and differences kept on
purpose. `check_source(text)` replays one pasted program.

`make test` runs 1,000 programs with the suite's Hypothesis profile
(deterministic, about 15 s on two cores); `make fuzz` runs many more
(AUTODIDACT_FUZZ_EXAMPLES, 50,000 by default there) with fresh random
programs each time, printing its counts every 5,000. With
AUTODIDACT_FUZZ_LOG=path, a long run writes every mismatch to that file and
carries on, failing at the end if it wrote any.
"""

import math
import os
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest

import autodidact

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# How many programs: 1,000 in the suite (well under a minute on two cores),
# AUTODIDACT_FUZZ_EXAMPLES for a long run (`make fuzz`).
LONG_RUN = os.environ.get("AUTODIDACT_FUZZ_EXAMPLES")
EXAMPLES = int(LONG_RUN) if LONG_RUN else 1000
BATCH = 5000
LOG = os.environ.get("AUTODIDACT_FUZZ_LOG")


# ---------------------------------------------------------------------------
# Programs: inputs and steps, each one line of Python
# ---------------------------------------------------------------------------

@dataclass
class Step:
    """One line of the program: `op` names what it does (exclusions match on it)."""
    op: str
    line: str
    no_grad: bool = False
    target: str = ""          # the variable it reads first (or writes, when in-place)

    def source(self):
        return f"with torch.no_grad(): {self.line}" if self.no_grad else self.line


@dataclass
class Program:
    inputs: list = field(default_factory=list)    # Steps that make x0, x1, ...
    steps: list = field(default_factory=list)
    loss: str = ""                                # `loss = ...`, or "" when nothing to sum
    specials: bool = False                        # inputs may hold nan and +-inf

    def lines(self):
        lines = [s.source() for s in self.inputs + self.steps]
        if self.loss:
            lines += [self.loss, "loss.backward()"]
        return lines

    def source(self):
        return "\n".join(self.lines())

    def ops(self):
        return {s.op for s in self.steps}

    def has(self, *ops):
        return any(s.op in ops for s in self.steps)

    def step_of(self, line):
        """The step (or input) whose line is `line`; a blank step for the loss lines."""
        for step in self.inputs + self.steps:
            if step.source() == line:
                return step
        return Step("", line)

    def made(self, name):
        """The line that assigned variable `name` (or `name` itself when it is a line)."""
        for line in self.lines():
            bare = line.replace("with torch.no_grad(): ", "")
            if bare.startswith(name + " = "):
                return line
        return name


DTYPES = ["float32", "float64", "int64", "bool"]
FLOATS = {"float32", "float64"}
# Common values first (Hypothesis shrinks towards them); 0 and ties are frequent on purpose.
# All are exact in binary, so sums and products of a few of them are exact in float32 on
# both sides: a result that is 0 is 0 in both, and `v > 0` cannot tip one way in NumPy's
# matmul and the other in PyTorch's (as 2.5 * 0.1 - 0.5 * 0.5 did, with and without FMA).
FLOAT_VALUES = [1.0, -1.0, 0.5, 2.0, 0.0, -0.5, 1.5, -2.0, 3.0, 0.25, -0.75, 0.125, -3.0, 2.5]
SPECIAL_VALUES = [math.nan, math.inf, -math.inf]
INT_VALUES = [1, 2, 0, -1, 3, -2, -3]


def fmt(value):
    """A number as Python source: floats keep their point, nan and inf are spelled out."""
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "-float('inf')"
    return repr(value)


def nested(values):
    """Nested Python lists (or one number) in source form."""
    if not isinstance(values, list):
        return fmt(values)
    return "[" + ", ".join(nested(v) for v in values) + "]"


def literal(values, shape, dtype, requires_grad=False):
    """`torch.tensor(...)` source for the given flat values, shape and dtype."""
    grad = ", requires_grad=True" if requires_grad else ""
    if 0 in shape:
        return f"torch.zeros({tuple(shape)!r}, dtype=torch.{dtype}{grad})"
    array = np.array(values, dtype=object).reshape(shape)
    return f"torch.tensor({nested(array.tolist())}, dtype=torch.{dtype}{grad})"


def scalars(dtype, specials=False):
    """A strategy for one element of a tensor of `dtype`."""
    if dtype == "bool":
        return st.booleans()
    if dtype == "int64":
        return st.sampled_from(INT_VALUES)
    return st.sampled_from(FLOAT_VALUES + (SPECIAL_VALUES if specials else []))


def draw_literal(draw, shape, dtype, specials=False, requires_grad=False):
    values = draw(st.lists(scalars(dtype, specials), min_size=math.prod(shape),
                           max_size=math.prod(shape)))
    return literal(values, shape, dtype, requires_grad)


SIDES = st.sampled_from([2, 3, 1, 0])


@st.composite
def shapes(draw, base=None):
    """A shape of up to three dims; given `base`, one that broadcasts with it
    (a suffix of it, some sides replaced by 1) most of the time."""
    if base is None or draw(st.integers(0, 5)) == 0:
        return tuple(draw(st.lists(SIDES, max_size=3)))
    keep = draw(st.integers(0, len(base)))
    shape = list(base[len(base) - keep:])
    for i in range(len(shape)):
        if draw(st.integers(0, 2)) == 0:
            shape[i] = 1
    return tuple(shape)


# ---------------------------------------------------------------------------
# Running a program
# ---------------------------------------------------------------------------

class Run:
    """A program run in one library (`torch` names it in the source): the
    variables after each line, and where and how it failed."""

    def __init__(self, lib):
        self.lib = lib
        self.env = {"torch": lib}
        self.failed_at = None     # index of the line that raised
        self.error = None

    def execute(self, line, index):
        """Run one line; an exception ends the program (recorded, not raised)."""
        if self.failed_at is not None:
            return False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(line, "<program>", "exec"), self.env)  # noqa: S102 - our own line
        except Exception as exc:  # noqa: BLE001 - the exception is a result to compare
            self.failed_at, self.error = index, exc
            return False
        return True

    def tensors(self):
        """The program's tensor variables, by name, in order."""
        Tensor = self.lib.Tensor
        return {k: v for k, v in self.env.items() if isinstance(v, Tensor)}

    def eval(self, expression):
        """Evaluate a side expression on this run's variables (generation only)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eval(expression, dict(self.env))  # noqa: S307 - our own expression


def dtype_name(t):
    return str(t.dtype).split(".")[-1]


# ---------------------------------------------------------------------------
# Steps: each draws one line given the variables PyTorch's run has so far
# ---------------------------------------------------------------------------

UNARY = ["neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "sign",
         "floor", "ceil", "round", "reciprocal", "square", "log1p", "expm1", "rsqrt", "frac",
         "erf", "isnan", "isfinite", "logical_not"]
BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le",
          "gt", "ge", "floor_divide", "remainder", "atan2"]
OPERATORS = ["+", "-", "*", "/", "**", "//", "%", "<", "==", "&", "|"]
REDUCTIONS = ["sum", "mean", "prod", "amax", "amin", "max", "min", "argmax", "argmin", "std",
              "var", "all", "any", "logsumexp", "norm"]
MULTI_DIM = {"sum", "mean", "amax", "amin", "std", "var", "logsumexp"}
INPLACE = ["add_", "sub_", "mul_", "div_", "clamp_", "zero_", "fill_", "relu_", "neg_", "copy_",
           "+=", "requires_grad_"]
VIEWS = ["view", "reshape", "transpose", "permute", "expand", "squeeze", "unsqueeze", "flatten",
         "t", "mT", "narrow", "contiguous", "clone", "detach", "unbind", "chunk", "split"]
CONVERSIONS = ["float", "double", "long", "bool", "to"]


def pick(draw, run, floats_first=False):
    """A variable name and its tensor (PyTorch's)."""
    tensors = run.tensors()
    names = list(tensors)
    if floats_first:
        floating = [n for n in names if dtype_name(tensors[n]) in FLOATS]
        names = floating or names
    name = draw(st.sampled_from(names[::-1]))     # the newest first: steps chain
    return name, tensors[name]


def dim_of(draw, ndim, extra=0):
    """A dim in range for `ndim` dims (negative ones too); 0 when there are none."""
    top = ndim + extra
    if top == 0:
        return 0
    return draw(st.integers(-top, top - 1))


def operand(draw, run, name, t, specials):
    """The other operand of a binary op: a variable, a Python number or a constant tensor."""
    kind = draw(st.sampled_from(["variable", "number", "constant", "self"]))
    if kind == "variable":
        return pick(draw, run)[0]
    if kind == "self":
        return name
    if kind == "number":
        return fmt(draw(scalars(draw(st.sampled_from(["float64", "int64", "bool"])), specials)))
    shape = draw(shapes(tuple(t.shape)))
    return draw_literal(draw, shape, draw(st.sampled_from(DTYPES)), specials)


def unary_step(draw, run, specials):
    name, _ = pick(draw, run, floats_first=True)
    op = draw(st.sampled_from(UNARY))
    form = f"{name}.{op}()" if draw(st.booleans()) else f"torch.{op}({name})"
    return "unary:" + op, form, name


def binary_step(draw, run, specials):
    name, t = pick(draw, run)
    other = operand(draw, run, name, t, specials)
    if draw(st.booleans()):
        op = draw(st.sampled_from(OPERATORS))
        if draw(st.integers(0, 3)) == 0 and not other.startswith("torch"):
            return "operator:" + op, f"{other} {op} {name}", name     # a number on the left
        return "operator:" + op, f"{name} {op} {other}", name
    op = draw(st.sampled_from(BINARY))
    if op in ("add", "sub") and draw(st.integers(0, 3)) == 0:
        alpha = draw(st.sampled_from(["2", "0.5", "True"]))
        return "alpha:" + op, f"torch.{op}({name}, {other}, alpha={alpha})", name
    if op in ("maximum", "minimum", "atan2") and not other.startswith("torch") and \
            other not in run.env:
        other = f"torch.tensor({other})"          # these take tensors only
    form = f"{name}.{op}({other})" if draw(st.booleans()) else f"torch.{op}({name}, {other})"
    return "binary:" + op, form, name


def where_step(draw, run, specials):
    name, t = pick(draw, run)
    other = operand(draw, run, name, t, specials)
    condition = draw(st.sampled_from([f"{name} > 0", f"{name} != 1"]))
    if draw(st.booleans()):
        value = fmt(draw(scalars(draw(st.sampled_from(["float64", "int64"])))))
        return "masked_fill", f"{name}.masked_fill({condition}, {value})", name
    return "where", f"torch.where({condition}, {name}, {other})", name


def reduction_step(draw, run, specials):
    name, t = pick(draw, run)
    op = draw(st.sampled_from(REDUCTIONS))
    ndim = t.dim()
    how = draw(st.sampled_from(["dim", "all", "dims"] if op in MULTI_DIM else ["dim", "all"]))
    if op == "norm":
        how = "all" if how == "dims" else how
    keepdim = draw(st.booleans())
    if how == "all":
        return "reduce:" + op, f"{name}.{op}()", name
    if how == "dims":
        dims = tuple(draw(st.lists(st.integers(-max(ndim, 1), max(ndim, 1) - 1), min_size=1,
                                   max_size=max(ndim, 1), unique=True)))
        return "reduce:" + op, f"{name}.{op}(dim={dims!r}, keepdim={keepdim})", name
    dim = dim_of(draw, ndim)
    suffix = ""
    if op in ("max", "min"):
        suffix = draw(st.sampled_from([".values", ".indices"]))
    return "reduce:" + op, f"{name}.{op}(dim={dim}, keepdim={keepdim}){suffix}", name


def matmul_step(draw, run, specials):
    name, t = pick(draw, run, floats_first=True)
    dtype = dtype_name(t)
    choice = draw(st.sampled_from(["fit", "variable", "transpose"]))
    if choice == "variable":
        other = pick(draw, run)[0]
    elif choice == "transpose" and t.dim() >= 2:
        other = f"{name}.mT"
    else:
        inner = t.shape[-1] if t.dim() else 2
        shape = draw(st.sampled_from([(inner,), (inner, 2), (inner, 1), (2, inner, 3)]))
        other = draw_literal(draw, shape, dtype, specials)
    form = draw(st.sampled_from(["{a} @ {b}", "torch.matmul({a}, {b})", "{a}.matmul({b})"]))
    return "matmul", form.format(a=name, b=other), name


@st.composite
def index_key(draw, shape, allow_advanced=True):
    """Source of an index for a tensor of `shape`: ints, slices, None, ..., lists, masks."""
    ndim = len(shape)
    used = draw(st.integers(0, ndim))
    advanced = draw(st.sampled_from(["none", "list", "mask", "tensor"])) if allow_advanced \
        else "none"
    parts, advanced_done = [], False
    for size in shape[:used]:
        kinds = ["slice"] + (["int"] if size else [])
        if advanced != "none" and not advanced_done:
            kinds.append(advanced)
        kind = draw(st.sampled_from(kinds))
        if kind == "slice":
            start = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            stop = draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
            step = draw(st.one_of(st.none(), st.integers(1, 2)))
            text = ("" if start is None else str(start)) + ":" + \
                ("" if stop is None else str(stop))
            parts.append(text + ("" if step is None else f":{step}"))
        elif kind == "int":
            parts.append(str(draw(st.integers(-size, size - 1))))
        elif kind in ("list", "tensor"):
            values = draw(st.lists(st.integers(-size, size - 1), max_size=3)) if size else []
            parts.append(str(values) if kind == "list" else f"torch.tensor({values!r})")
            advanced_done = True
        else:
            mask = draw(st.lists(st.booleans(), min_size=size, max_size=size))
            parts.append(f"torch.tensor({mask!r})")
            advanced_done = True
    if used < ndim and draw(st.booleans()):
        parts.append("...")
    if draw(st.integers(0, 3)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), "None")
    return ", ".join(parts) if parts else "..."


def index_step(draw, run, specials):
    name, t = pick(draw, run)
    if t.dim() and draw(st.integers(0, 4)) == 0:
        return "index:mask", f"{name}[{name} > 0]", name
    key = draw(index_key(tuple(t.shape)))
    return "index", f"{name}[{key}]", name


def index_put_step(draw, run, specials):
    name, t = pick(draw, run)
    key = draw(index_key(tuple(t.shape)))
    try:
        region = run.eval(f"{name}[{key}]")
    except Exception:  # noqa: BLE001 - a failing key is a program too
        region_shape = ()
    else:
        region_shape = tuple(region.shape)
    kind = draw(st.sampled_from(["number", "same", "row", "variable"]))
    if kind == "number":
        value = fmt(draw(scalars(dtype_name(t) if draw(st.booleans()) else "float64")))
    elif kind == "variable":
        value = pick(draw, run)[0]
    else:
        shape = region_shape if kind == "same" else region_shape[-1:]
        dtype = dtype_name(t) if draw(st.integers(0, 3)) else draw(st.sampled_from(DTYPES))
        value = draw_literal(draw, shape, dtype, specials)
    return "index_put", f"{name}[{key}] = {value}", name


def inplace_step(draw, run, specials):
    name, t = pick(draw, run)
    op = draw(st.sampled_from(INPLACE))
    # Through .data the write is hidden from autograd (no version bump in PyTorch);
    # through .detach() it is not (the version counter is shared).
    via = draw(st.sampled_from(["", "", "", ".data", ".detach()"]))
    target = name + via
    if op == "+=":
        target = name
    if op in ("zero_", "relu_", "neg_"):
        return "inplace:" + op, f"{target}.{op}()", name
    if op == "fill_":
        return "inplace:" + op, f"{target}.fill_({fmt(draw(scalars('float64')))})", name
    if op == "clamp_":
        low, high = draw(st.sampled_from([("-0.5", "None"), ("None", "1"), ("0", "2"),
                                          ("1", "0"), ("-1", "1")]))
        return "inplace:" + op, f"{target}.clamp_(min={low}, max={high})", name
    if op == "requires_grad_":
        return "inplace:" + op, f"{name}.requires_grad_()", name
    other = operand(draw, run, name, t, specials)
    if op == "copy_":
        other = pick(draw, run)[0]
    if op == "+=":
        return "inplace:" + op, f"{name} += {other}", name
    return "inplace:" + op, f"{target}.{op}({other})", name


def view_shape(draw, shape):
    """A target shape for view/reshape: mostly one with the same number of elements."""
    n = math.prod(shape)
    divisors = [d for d in range(1, n + 1) if n % d == 0] or [1]
    d = draw(st.sampled_from(divisors))
    candidates = [(-1,), (n,), (d, -1), (-1, d), (d, n // d) if n else (0, 3), (1, -1),
                  tuple(shape[::-1]), (2, -1)]
    target = draw(st.sampled_from(candidates))
    return ", ".join(str(s) for s in target)


def view_step(draw, run, specials):
    name, t = pick(draw, run)
    op = draw(st.sampled_from(VIEWS))
    shape, ndim = tuple(t.shape), t.dim()
    if op in ("view", "reshape"):
        return "view:" + op, f"{name}.{op}({view_shape(draw, shape)})", name
    if op == "transpose":
        return "view:" + op, f"{name}.transpose({dim_of(draw, ndim)}, {dim_of(draw, ndim)})", name
    if op == "permute":
        order = draw(st.permutations(range(ndim)))
        return "view:" + op, f"{name}.permute({', '.join(map(str, order))})", name
    if op == "expand":
        target = [s if s != 1 or draw(st.booleans()) else draw(st.sampled_from([2, 3, 0]))
                  for s in shape]
        target = [draw(st.sampled_from([2, 1]))] * draw(st.integers(0, 1)) + target
        if target and draw(st.integers(0, 3)) == 0:
            target[-1] = -1
        return "view:" + op, f"{name}.expand({tuple(target)!r})", name
    if op == "squeeze":
        arg = str(dim_of(draw, ndim)) if draw(st.booleans()) else ""
        return "view:" + op, f"{name}.squeeze({arg})", name
    if op == "unsqueeze":
        return "view:" + op, f"{name}.unsqueeze({dim_of(draw, ndim, extra=1)})", name
    if op == "narrow":
        dim = dim_of(draw, ndim)
        size = shape[dim] if ndim else 0
        start = draw(st.integers(0, size))
        length = draw(st.integers(0, size - start))
        return "view:" + op, f"{name}.narrow({dim}, {start}, {length})", name
    if op in ("unbind", "chunk", "split"):
        dim = dim_of(draw, ndim)
        arg = {"unbind": "", "chunk": "2, ", "split": "1, "}[op]
        return "view:" + op, f"{name}.{op}({arg}dim={dim})[{draw(st.integers(-1, 1))}]", name
    if op == "mT":
        return "view:" + op, f"{name}.mT", name
    return "view:" + op, f"{name}.{op}()", name


def join_step(draw, run, specials):
    name, t = pick(draw, run)
    other = draw(st.sampled_from([name, pick(draw, run)[0], f"{name}[:0]", f"{name} * 2"]))
    op = draw(st.sampled_from(["cat", "stack"]))
    dim = dim_of(draw, t.dim(), extra=1 if op == "stack" else 0)
    return "join:" + op, f"torch.{op}([{name}, {other}], dim={dim})", name


def other_step(draw, run, specials):
    name, t = pick(draw, run)
    ndim = t.dim()
    op = draw(st.sampled_from(["softmax", "log_softmax", "cumsum", "flip", "clamp",
                               "index_select"] + CONVERSIONS))
    if op in ("softmax", "log_softmax", "cumsum"):
        return "other:" + op, f"{name}.{op}(dim={dim_of(draw, ndim)})", name
    if op == "flip":
        return "other:" + op, f"{name}.flip({dim_of(draw, ndim)})", name
    if op == "clamp":
        low, high = draw(st.sampled_from([("0", "None"), ("None", "0.5"), ("-1", "1"),
                                          ("1", "-1")]))
        return "other:" + op, f"{name}.clamp(min={low}, max={high})", name
    if op == "index_select":
        dim = dim_of(draw, ndim)
        size = t.shape[dim] if ndim else 1
        index = draw(st.lists(st.integers(0, max(size - 1, 0)), max_size=3))
        return "other:" + op, f"{name}.index_select({dim}, torch.tensor({index!r}))", name
    if op == "to":
        return "other:" + op, f"{name}.to(torch.{draw(st.sampled_from(DTYPES))})", name
    return "other:" + op, f"{name}.{op}()", name


# Hypothesis leans towards the first entry; binary ops (the most varied) come twice.
STEP_KINDS = [binary_step, view_step, reduction_step, index_step, inplace_step, unary_step,
              binary_step, matmul_step, index_put_step, join_step, where_step, other_step]
WRITES = ("inplace:", "index_put")


@st.composite
def programs(draw):
    """A program, built line by line while PyTorch runs it (returned with that run)."""
    program = Program(specials=draw(st.integers(0, 3)) == 0)
    run = Run(torch_module())
    base = draw(shapes())
    for i in range(draw(st.integers(1, 3))):
        shape = base if i == 0 else draw(shapes(base))
        dtype = draw(st.sampled_from(["float32", "float64", "float32", "int64", "bool"]))
        grad = dtype in FLOATS and draw(st.integers(0, 3)) > 0
        text = draw_literal(draw, shape, dtype, program.specials, requires_grad=grad)
        program.inputs.append(Step("input", f"x{i} = {text}"))
        run.execute(program.inputs[-1].line, i)
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(STEP_KINDS))
        op, expression, target = kind(draw, run, program.specials)
        no_grad = draw(st.integers(0, 5)) == 0
        line = expression if op.startswith(WRITES) else f"v{i + 1} = {expression}"
        program.steps.append(Step(op, line, no_grad, target))
        if not run.execute(program.steps[-1].source(), len(program.inputs) + i):
            break
    if run.failed_at is None:
        terms = [name for name, t in run.tensors().items()
                 if t.requires_grad and dtype_name(t) in FLOATS]
        if terms:
            program.loss = "loss = " + " + ".join(
                f"{n}.sum()" + (f" * {k + 1}" if k else "") for k, n in enumerate(terms))
    return program, run


def torch_module():
    import torch
    return torch


# ---------------------------------------------------------------------------
# Comparing the two runs
# ---------------------------------------------------------------------------

@dataclass
class Mismatch:
    """What differed: `what` is one of raised, dtype, shape, stride, requires_grad, value,
    backward-raised, grad; `name` the variable (or line) it is about.

    For the exclusions, `check_program` adds the line that made the variable
    (or raised), each side's error text ("" for none), and whether PyTorch's
    run held a nan or an infinity anywhere.
    """
    what: str
    name: str
    detail: str
    ours: object = None           # the differing arrays (value, grad)
    theirs: object = None
    line: str = ""
    our_error: str = ""
    their_error: str = ""
    nonfinite: bool = False
    index: int = -1               # the line that raised, for raised and backward-raised


TOLERANCE = {"float32": 1e-4, "float64": 1e-9}


def as_numpy(t):
    return t.detach().numpy()


def largest(t):
    """The largest finite magnitude in a float tensor (0 when there is none)."""
    a = np.abs(as_numpy(t).astype(np.float64))
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else 0.0


@dataclass
class Tolerance:
    """How close two float results must be.

    Relative to the dtype (float32 results differ in their last bits between
    NumPy's and PyTorch's kernels; a float64 result computed from float32
    ones inherits that), and absolute to the largest magnitude in the run:
    rounding a big intermediate value leaves an error of its size in a
    small result.
    """
    scale: float
    mixed: bool          # the program has float32 tensors: float64 results get float32's rtol

    @classmethod
    def of(cls, program, run):
        floats = [t for t in run.tensors().values() if dtype_name(t) in FLOATS and t.numel()]
        scale = max([1.0] + [largest(t) for t in floats])
        mixed = "float32" in program.source() or any(dtype_name(t) == "float32"
                                                     for t in run.tensors().values())
        return cls(scale, mixed)

    def same(self, a, b, dtype):
        rtol = TOLERANCE["float32" if self.mixed else dtype]
        return np.isclose(a, b, rtol=rtol, atol=rtol * self.scale, equal_nan=True)


def compare_values(name, ours, theirs, dtype, tolerance, what="value"):
    """None when the arrays agree for `dtype` (NaN equals NaN, inf equals inf)."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape:
        return Mismatch(what, name, f"shape {ours.shape} != {theirs.shape}")
    if dtype in FLOATS:
        same = tolerance.same(ours.astype(np.float64), theirs.astype(np.float64), dtype)
    else:
        same = ours == theirs
    if not np.all(same):
        return Mismatch(what, name, f"autodidact {ours.tolist()}\n  torch      {theirs.tolist()}",
                        ours, theirs)
    return None


def strides_of(t):
    """Strides of the dims that address elements (size > 1); none for an empty tensor.
    A size-1 dim's stride is never used, and PyTorch's choice there is an internal detail."""
    if t.numel() == 0:
        return None
    return tuple(s for s, n in zip(t.stride(), t.shape) if n > 1)


def compare_tensor(name, ours, theirs, tolerance):
    if not isinstance(ours, autodidact.Tensor):
        return Mismatch("type", name, f"autodidact gave {type(ours).__name__}")
    if dtype_name(ours) != dtype_name(theirs):
        return Mismatch("dtype", name, f"{dtype_name(ours)} != {dtype_name(theirs)}")
    if tuple(ours.shape) != tuple(theirs.shape):
        return Mismatch("shape", name, f"{tuple(ours.shape)} != {tuple(theirs.shape)}")
    if ours.requires_grad != theirs.requires_grad:
        return Mismatch("requires_grad", name, f"{ours.requires_grad} != {theirs.requires_grad}",
                        theirs=theirs)
    value = compare_values(name, as_numpy(ours), as_numpy(theirs), dtype_name(theirs), tolerance)
    if value is not None:
        return value
    if strides_of(ours) != strides_of(theirs):
        return Mismatch("stride", name, f"{ours.stride()} != {theirs.stride()}")
    return None


def describe(run, index):
    return "no error" if run.failed_at != index else f"{type(run.error).__name__}: {run.error}"


def compare_runs(program, ours, theirs):
    """The first Mismatch between autodidact's run and PyTorch's, or None."""
    if ours.failed_at != theirs.failed_at:
        index = min(i for i in (ours.failed_at, theirs.failed_at) if i is not None)
        earlier = earlier_difference(program, ours, theirs, index)
        if earlier:
            return earlier
        line = program.lines()[index]
        return Mismatch("raised", line, f"autodidact: {describe(ours, index)}\n"
                                        f"  torch:      {describe(theirs, index)}", index=index)
    tolerance = Tolerance.of(program, theirs)
    for name, t in theirs.tensors().items():
        found = compare_tensor(name, ours.env.get(name), t, tolerance)
        if found:
            return found
    return None


def earlier_difference(program, ours, theirs, index):
    """A dtype or shape that differs in a variable made before line `index`, where one
    side raised: the cause to report, rather than the raise it led to."""
    before = dict.fromkeys(line.replace("with torch.no_grad(): ", "").split(" = ")[0]
                           for line in program.lines()[:index])
    for name in before:
        mine, t = ours.env.get(name), theirs.env.get(name)
        if isinstance(mine, autodidact.Tensor) and isinstance(t, theirs.lib.Tensor):
            if dtype_name(mine) != dtype_name(t):
                return Mismatch("dtype", name, f"{dtype_name(mine)} != {dtype_name(t)}")
            if tuple(mine.shape) != tuple(t.shape):
                return Mismatch("shape", name, f"{tuple(mine.shape)} != {tuple(t.shape)}")
    return None


def compare_backward(program, ours, theirs):
    """Run `loss.backward()` on both and compare whether it raised and the inputs' grads."""
    index = len(program.lines()) - 1
    ours.execute(program.lines()[index - 1], index - 1)
    theirs.execute(program.lines()[index - 1], index - 1)
    if ours.failed_at is None and theirs.failed_at is None:
        found = compare_tensor("loss", ours.env["loss"], theirs.env["loss"],
                               Tolerance.of(program, theirs))
        if found:
            return found
    ours.execute(program.lines()[index], index)
    theirs.execute(program.lines()[index], index)
    if ours.failed_at != theirs.failed_at:
        index = min(i for i in (ours.failed_at, theirs.failed_at) if i is not None)
        return Mismatch("backward-raised", program.lines()[index],
                        f"autodidact: {describe(ours, index)}\n"
                        f"  torch:      {describe(theirs, index)}", index=index)
    if theirs.failed_at is not None:
        return None
    tolerance = Tolerance.of(program, theirs)
    for name, t in theirs.tensors().items():
        if not name.startswith("x") or not t.is_leaf:    # an input written in place may
            continue                                     # have become a non-leaf
        mine = ours.env[name].grad
        if (mine is None) != (t.grad is None):
            return Mismatch("grad", name, f"autodidact {mine}, torch {t.grad}")
        if t.grad is not None:
            tolerance.scale = max(tolerance.scale, largest(t.grad))
            found = compare_values(name, as_numpy(mine), as_numpy(t.grad), dtype_name(t),
                                   tolerance, what="grad")
            if found:
                return found
    return None


# ---------------------------------------------------------------------------
# Known mismatches, by name
# ---------------------------------------------------------------------------

@dataclass
class Exclusion:
    """A known mismatch: programs it covers (`applies(program, mismatch)`), and why.

    `area` says who fixes it ("kept" for a difference kept on purpose): once a
    fix has landed, delete its entry and `make fuzz` checks the fix.
    """
    name: str
    area: str
    reason: str
    applies: object


def raised(mismatch, ours=None, theirs=None):
    """The mismatch is about which side raised; `ours`/`theirs`: text in that side's
    error ("" for: that side did not raise)."""
    if mismatch.what not in ("raised", "backward-raised"):
        return False
    for text, error in ((ours, mismatch.our_error), (theirs, mismatch.their_error)):
        if text == "" and error:
            return False
        if text and text not in error:
            return False
    return True


def on(mismatch, *words):
    """The line the mismatch is about contains one of `words`."""
    return any(w in mismatch.line for w in words)


def is_view(t):
    """PyTorch's tensor is a view that requires grad (reading its grad_fn may raise)."""
    try:
        return t.requires_grad and t._base is not None
    except RuntimeError:
        return True


# A line that makes a view under no_grad: `with torch.no_grad(): v1 = x0.expand((1,))`.
NO_GRAD_VIEW = re.compile(r"with torch\.no_grad\(\): v\d+ = \w+(\[|\.(view|reshape|transpose|"
                          r"permute|expand|squeeze|unsqueeze|flatten|t|mT|narrow|unbind|chunk|"
                          r"split|detach)\b)")


# Ops whose backward autodidact makes from less than PyTorch saves (ops/inplace.py's docstring).
SAVES_LESS = ("relu", "abs", "clamp", "maximum", "minimum", "max(", "min(", "amax", "amin",
              "gather", "take_along_dim", "masked_select", "**", "pow")

EXCLUSIONS = [
    # -- Differences kept on purpose. -------------------------------------------------------
    Exclusion(
        "version-counter", "kept (autodidact saves less on purpose)",
        "PyTorch raises its version-counter error at backward where a saved tensor was "
        "modified in place since; autodidact saves only what its gradient needs for relu, "
        "abs, clamp, maximum/minimum, max/min/amax, gather/take_along_dim, masked_select "
        "and pow with a constant exponent (see the docstring of autodidact/ops/inplace.py), "
        "so it does not raise there and its gradient is still right.",
        lambda p, m: raised(m, ours="", theirs="modified by an inplace operation") and any(
            w in line for line in p.lines() for w in SAVES_LESS)),
    Exclusion(
        "promoted-operand-version", "kept (autodidact saves the promoted copy)",
        "x.atan2(i) with an integer or bool i (or x64 / w32 with a float32 w), then i (w) "
        "changed in place: PyTorch saved the operand itself and raises its version-counter "
        "error at backward; autodidact promotes it to the result's dtype first and saves "
        "that copy, which the write does not reach, so the gradients are those of the "
        "values the forward pass used.",
        lambda p, m: raised(m, ours="", theirs="modified by an inplace operation") and (
            any(t in m.their_error for t in ("LongTensor", "BoolTensor", "IntTensor", "BoolType"))
            or ("FloatTensor" in m.their_error  # a float32 operand of a float64 result
                and any("float64" in line for line in p.lines())))),
    Exclusion(
        "multi-output-view-checked-at-backward", "kept (documented in ops/pieces.py)",
        "A piece of split/chunk/unbind whose base was then changed in place: PyTorch raises "
        "when the piece is next used, autodidact when backward reaches it (a write to the "
        "piece itself is refused by both).",
        lambda p, m: raised(m, ours="", theirs="returns multiple views")
        and not p.step_of(m.line).op.startswith(WRITES)),
    Exclusion(
        "pytorch-bool-exponent", "kept (PyTorch's quirk)",
        "torch.pow(x, False) or x ** False then backward: PyTorch's pow backward skips its "
        "exponent-0 rule for a bool exponent and computes 0 * x ** -1, NaN at x = 0 or NaN; "
        "autodidact gives 0 there, as PyTorch does for x ** 0.",
        lambda p, m: m.what == "grad" and any(
            ("pow(" in line and "False)" in line) or "** False" in line for line in p.lines())),
    Exclusion(
        "numpy-pow-half-at-minus-inf", "kept (NumPy's arithmetic)",
        "(-inf) ** 0.5 is NaN in NumPy (it computes x ** 0.5 as sqrt(x)) and inf in C's "
        "pow, which PyTorch's tensor-exponent pow uses; it shows as the gradient of "
        "x ** tensor(1.5) at x = -inf.",
        lambda p, m: m.what in ("grad", "value") and m.nonfinite and any(
            ("pow(" in line or "**" in line) and ("1.5" in line or "0.5" in line)
            for line in p.lines())),
    Exclusion(
        "data-write-after-save", "kept (what each saves differs; .data bypasses both checks)",
        "relu(x) then y.data.mul_(...) then backward: a write through .data is invisible to "
        "the version counter in both libraries, so the gradient depends on what each op "
        "saved: PyTorch's relu saved its output (and reads the new values), autodidact's "
        "saved the mask at forward time (and keeps the old gradient).",
        lambda p, m: m.what == "grad" and any(".data." in line for line in p.lines())),
    Exclusion(
        "view-requires-grad-without-graph", "kept",
        "PyTorch reports requires_grad=True for a view of a tensor that requires grad even "
        "when the view was made under no_grad, or before its base's requires_grad_() (with "
        "grad_fn None, or one made up later if the view is written in place): an artefact "
        "of views sharing autograd metadata with their base. autodidact says False, as "
        "section 25 of the reference records for results under no_grad.",
        lambda p, m: m.what == "requires_grad" and (
            (is_view(m.theirs) and (m.line.startswith("with torch.no_grad()")
                                    or any("requires_grad_()" in line for line in p.lines())))
            or any(NO_GRAD_VIEW.match(line) for line in p.lines()))),  # such a view, used later
    Exclusion(
        "empty-skips-checks", "kept",
        "PyTorch returns at once for an empty input to matmul or softmax of bool or int64, "
        "a matmul of empty tensors of two dtypes, or an integer division by zero, before "
        "its kernel would refuse it; autodidact refuses either way, with PyTorch's message "
        "(`... not implemented for 'Bool'`, `expected scalar type ...`, "
        "`ZeroDivisionError`).",
        lambda p, m: raised(m, theirs="") and (
            "not implemented for" in m.our_error or "ZeroDivisionError" in m.our_error
            or ("expected scalar type" in m.our_error
                and any("torch.zeros(" in line for line in p.lines())))),
    Exclusion(
        "empty-overlap-check", "kept",
        "x = torch.zeros(3, 0); x[[0, 1, 2]] = x: PyTorch refuses the write as overlapping "
        "memory (`unsupported operation: some elements of the input tensor and the "
        "written-to tensor refer to a single memory location`) although an empty tensor "
        "has no elements; autodidact writes nothing. With elements, both refuse.",
        lambda p, m: raised(m, ours="", theirs="refer to a single memory location")
        and any("torch.zeros(" in line for line in p.lines())),
    Exclusion(
        "pytorch-bool-operand-backward", "kept",
        "x ** torch.tensor([True]), or torch.atan2(b, x) with a bool b, then backward: "
        "PyTorch's backward does arithmetic on the bool operand and raises its own "
        "`Subtraction, the `-` operator, with a bool tensor is not supported` (or "
        "`Negation, ...`); autodidact gives the right gradient.",
        lambda p, m: m.what == "backward-raised" and raised(
            m, ours="", theirs="bool tensor is not supported")),
    Exclusion(
        "remainder-of-a-number", "kept",
        "(0 % x).sum().backward(): PyTorch has no derivative of remainder(number, tensor) "
        "(`derivative for aten::remainder is not implemented`); autodidact gives "
        "-floor(a / x), as PyTorch itself does for remainder(tensor, tensor).",
        lambda p, m: raised(m, ours="", theirs="derivative for aten::remainder")),
    Exclusion(
        "no-grad-view-used-after-inplace", "kept",
        "with no_grad: v = x.squeeze(); v.add_(v) -- then any use of v with grad enabled "
        "raises PyTorch's `A view was created in no_grad mode and its base or another view "
        "of its base has been modified inplace with grad mode enabled` although the write "
        "was under no_grad: the same view-metadata artefact as "
        "view-requires-grad-without-graph. autodidact raises it where the write itself "
        "is made with grad enabled, as the reference records.",
        lambda p, m: raised(m, ours="", theirs="A view was created in no_grad mode")
        and not p.step_of(m.line).op.startswith(WRITES)),
    Exclusion(
        "pytorch-internal-assert", "kept",
        "PyTorch fails its own internal assert (`false INTERNAL ASSERT FAILED ... please "
        "report a bug to PyTorch`), e.g. at backward of `False ** x`; autodidact computes "
        "the gradient.",
        lambda p, m: "INTERNAL ASSERT FAILED" in m.their_error),
    Exclusion(
        "pytorch-int-requires-grad", "kept",
        "b = torch.tensor(True); b[None] = w (w requires grad) makes PyTorch's bool tensor "
        "require grad, which its own factories refuse (`Only Tensors of floating point ... "
        "can require gradients`), and its next op on it may fail with `Autograd not support "
        "dtype: Long`; autodidact's stays a plain bool (int64) tensor.",
        lambda p, m: (m.what == "requires_grad" and dtype_name(m.theirs) not in FLOATS)
        or raised(m, ours="", theirs="Autograd not support dtype")),
    # -- Bugs found by this fuzzer: none open (each fixed one is a regression test in ------
    # -- tests/test_fuzz_regressions.py). A new one goes here, named, with its reproducer. --
]


def excluded(program, mismatch):
    """The first exclusion that covers this mismatch, or None."""
    for exclusion in EXCLUSIONS:
        if exclusion.applies(program, mismatch):
            return exclusion
    return None


# ---------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------

def check_program(program, theirs):
    """Run `program` on autodidact and compare it with PyTorch's run; returns a Mismatch."""
    ours = Run(autodidact)
    for index, line in enumerate(program.lines()[:len(program.inputs) + len(program.steps)]):
        ours.execute(line, index)
    found = compare_runs(program, ours, theirs)
    if found is None and program.loss:
        found = compare_backward(program, ours, theirs)
    if found is not None:
        found.line = program.made(found.name)
        found.our_error = error_text(ours, found.index)
        found.their_error = error_text(theirs, found.index)
        found.nonfinite = not all(np.isfinite(as_numpy(t).astype(np.float64)).all()
                                  for t in theirs.tensors().values() if dtype_name(t) in FLOATS)
    return found


def error_text(run, index):
    """The error the run raised at line `index` ("" when it did not raise there)."""
    return f"{type(run.error).__name__}: {run.error}" if run.failed_at == index else ""


def report(program, found):
    return (f"autodidact and PyTorch differ ({found.what} of {found.name}):\n"
            f"  {found.detail}\n\nThe program (import torch, or import autodidact as torch):\n\n"
            + program.source())


COUNTS = Counter()     # programs run, agreeing, raising on both sides, by exclusion, logged


def check_one(drawn):
    """The property: PyTorch's run of the drawn program and autodidact's agree."""
    program, theirs = drawn
    COUNTS["programs"] += 1
    found = check_program(program, theirs)
    if found is None:
        COUNTS["agree"] += 1
        COUNTS["both raised" if theirs.failed_at is not None else "ran to the end"] += 1
        return
    exclusion = excluded(program, found)
    if exclusion is not None:
        COUNTS["excluded: " + exclusion.name] += 1
        return
    if LOG:
        COUNTS["mismatches"] += 1
        with open(LOG, "a") as f:
            f.write(report(program, found) + "\n\n" + "-" * 72 + "\n")
        return
    raise AssertionError(report(program, found))


def run_programs(count):
    """Check `count` programs: the suite's profile (deterministic), or fresh random ones
    in a long run (where a failing program is shrunk and printed, as in the suite)."""
    options = dict(max_examples=count, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))
    if LONG_RUN:
        options["derandomize"] = False
    settings(**options)(given(programs())(check_one))()


def test_random_programs_agree_with_pytorch(torch_oracle, capsys):
    """Random short programs give PyTorch's errors, dtypes, shapes, strides, values, grads."""
    COUNTS.clear()
    if not LONG_RUN:
        run_programs(EXAMPLES)
        return
    # A long run goes in batches, each a fresh Hypothesis run (its memory of the
    # programs it tried stays small), and says how far it is after each.
    while COUNTS["programs"] < EXAMPLES:
        run_programs(min(BATCH, EXAMPLES - COUNTS["programs"]))
        with capsys.disabled():
            print(f"\nfuzz: {summary()}", flush=True)
    assert not COUNTS["mismatches"], f"{COUNTS['mismatches']} mismatches, written to {LOG}"


def summary():
    counts = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()) if k != "programs")
    return f"{COUNTS['programs']} programs: {counts}"


# ---------------------------------------------------------------------------
# The fuzzer's own checks: it sees a planted bug, and a program is a script
# ---------------------------------------------------------------------------

def check_source(source):
    """Check one program given as source (a reproducer pasted from a report):
    the Mismatch between autodidact and PyTorch, or None.

        >>> check_source("x0 = torch.tensor([1.0, 2.0])\\nv1 = x0.exp()")   # None
    """
    lines = [line for line in source.strip().splitlines() if line.strip()]
    program = Program()
    for line in lines:
        if line.startswith("loss = "):
            program.loss = line
        elif line != "loss.backward()":
            program.steps.append(Step("", line))
    theirs = Run(torch_module())
    for index, line in enumerate(program.lines()[:len(program.steps)]):
        theirs.execute(line, index)
    return check_program(program, theirs)


PLANTED = """
x0 = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float32, requires_grad=True)
v1 = x0.transpose(0, 1)
v2 = v1.exp() * 2
loss = x0.sum() + v2.sum() * 2
loss.backward()
"""


def test_a_program_that_agrees_passes(torch_oracle):
    assert check_source(PLANTED) is None


@pytest.mark.parametrize("planted, what", [
    (lambda self: autodidact.Tensor.tanh(self), "value"),         # a wrong forward
    (lambda self: autodidact.Tensor.double(self), "dtype"),         # a wrong dtype
    (lambda self: autodidact.Tensor.neg(self).detach(), "requires_grad"),
    (lambda self: 1 / 0, "raised"),
])
def test_the_comparison_sees_a_planted_bug(torch_oracle, monkeypatch, planted, what):
    monkeypatch.setattr(autodidact.Tensor, "exp", planted)
    found = check_source(PLANTED)
    assert found is not None and found.what == what, found


def test_the_comparison_sees_a_wrong_gradient(torch_oracle, monkeypatch):
    original = autodidact.Tensor.exp
    monkeypatch.setattr(autodidact.Tensor, "exp", lambda self: original(self.detach()) +
                        0 * self)                      # right values, gradient lost
    found = check_source(PLANTED)
    assert found is not None and found.what == "grad" and found.name == "x0", found


def test_a_reported_program_runs_as_a_script(torch_oracle):
    """The report is Python: pasted under `import torch` it runs and fails the same way."""
    program = Program(steps=[Step("", line) for line in PLANTED.strip().splitlines()[:-2]],
                      loss="loss = x0.sum() + v2.sum() * 2")
    text = report(program, Mismatch("value", "v2", "..."))
    script = text.split("as torch):\n\n", 1)[1]
    namespace = {"torch": torch_oracle}
    exec(script, namespace)  # noqa: S102 - the report's own program
    assert namespace["x0"].grad is not None


def test_every_exclusion_is_named_and_explained():
    names = [e.name for e in EXCLUSIONS]
    assert len(names) == len(set(names))
    for exclusion in EXCLUSIONS:
        assert exclusion.area and len(exclusion.reason) > 40 and callable(exclusion.applies)
