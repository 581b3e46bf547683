"""Scalar: lesson 1's autograd on plain floats, checked three ways.

By hand (derivatives a student can work out on paper), by finite
differences (every operation), and against PyTorch in float64 where it is
installed. Then what the engine promises: gradients accumulate, a chain of
a million operations works, and graphs die with their output (no
reference cycles).
"""

import doctest
import gc
import math
import weakref

import pytest

import autodidact.scalar
from autodidact import graph
from autodidact.scalar import Scalar, zero_grad


def grads_of(f, *values):
    """Run f on Scalars made from values, backward from the result; return (value, grads)."""
    xs = [Scalar(v) for v in values]
    out = f(*xs)
    out.backward()
    return out.data, [x.grad for x in xs]


def numeric_grads(f, *values, h=1e-6):
    """Central differences: (f(v + h) - f(v - h)) / 2h, one input at a time."""
    def value(vs):
        return f(*[Scalar(v) for v in vs]).data

    grads = []
    for i in range(len(values)):
        up, down = list(values), list(values)
        up[i] += h
        down[i] -= h
        grads.append((value(up) - value(down)) / (2 * h))
    return grads


# ---------------------------------------------------------------- by hand

def test_the_first_example_of_lesson_1():
    x = Scalar(3.0)
    y = x * x + x
    y.backward()
    assert y.data == 12.0
    assert x.grad == 7.0           # d(x*x + x)/dx = 2x + 1


@pytest.mark.parametrize("f, x, value, grad", [
    (lambda x: x + 2, 3.0, 5.0, 1.0),
    (lambda x: x - 2, 3.0, 1.0, 1.0),
    (lambda x: x * 4, 3.0, 12.0, 4.0),
    (lambda x: x / 4, 3.0, 0.75, 0.25),
    (lambda x: -x, 3.0, -3.0, -1.0),
    (lambda x: x ** 3, 2.0, 8.0, 12.0),            # 3x^2
    (lambda x: x ** -1, 2.0, 0.5, -0.25),          # -1/x^2
    (lambda x: x ** 0.5, 4.0, 2.0, 0.25),          # 1/(2 sqrt x)
    (lambda x: x.exp(), 0.0, 1.0, 1.0),            # e^x
    (lambda x: x.log(), 2.0, math.log(2.0), 0.5),  # 1/x
    (lambda x: x.tanh(), 0.0, 0.0, 1.0),           # 1 - tanh^2
    (lambda x: x.tanh(), 1.0, math.tanh(1.0), 1 - math.tanh(1.0) ** 2),
    (lambda x: x.relu(), 3.0, 3.0, 1.0),
    (lambda x: x.relu(), -3.0, 0.0, 0.0),
    (lambda x: x.sigmoid(), 0.0, 0.5, 0.25),       # s(1 - s)
], ids=["add", "sub", "mul", "div", "neg", "cube", "reciprocal", "sqrt", "exp", "log",
        "tanh0", "tanh1", "relu+", "relu-", "sigmoid"])
def test_each_operation_by_hand(f, x, value, grad):
    out, (g,) = grads_of(f, x)
    assert out == pytest.approx(value, rel=1e-12)
    assert g == pytest.approx(grad, rel=1e-12)


def test_binary_operations_give_both_inputs_their_gradient():
    a, b = 3.0, 4.0
    assert grads_of(lambda a, b: a + b, a, b) == (7.0, [1.0, 1.0])
    assert grads_of(lambda a, b: a - b, a, b) == (-1.0, [1.0, -1.0])
    assert grads_of(lambda a, b: a * b, a, b) == (12.0, [4.0, 3.0])     # b, a
    value, (ga, gb) = grads_of(lambda a, b: a / b, a, b)
    assert value == 0.75
    assert ga == pytest.approx(1 / b) and gb == pytest.approx(-a / b ** 2)


def test_the_chain_rule():
    # y = tanh(2x + 1): dy/dx = (1 - tanh(2x + 1)^2) * 2
    x = 0.3
    value, (g,) = grads_of(lambda x: (2 * x + 1).tanh(), x)
    assert value == pytest.approx(math.tanh(1.6))
    assert g == pytest.approx(2 * (1 - math.tanh(1.6) ** 2))

    # y = (x^2 + 1)^3: dy/dx = 3 (x^2 + 1)^2 * 2x = 3 * 25 * 4 = 300 at x = 2
    value, (g,) = grads_of(lambda x: (x * x + 1) ** 3, 2.0)
    assert value == 125.0
    assert g == 300.0


def test_a_value_used_twice_gets_both_contributions():
    # The engine sums what reaches x from both of its uses before going on.
    value, (g,) = grads_of(lambda x: x * x, 5.0)
    assert g == 10.0
    a = Scalar(2.0)
    b = a * 3
    c = b * b + b          # dc/db = 2b + 1 = 13, db/da = 3
    c.backward()
    assert b.grad == 13.0
    assert a.grad == 39.0


def test_a_neuron():
    # Karpathy's hand-worked neuron: o = tanh(x1 w1 + x2 w2 + b)
    x1, x2, w1, w2 = Scalar(2.0), Scalar(0.0), Scalar(-3.0), Scalar(1.0)
    b = Scalar(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert x1.grad == pytest.approx(-1.5, abs=1e-4)
    assert w1.grad == pytest.approx(1.0, abs=1e-4)
    assert x2.grad == pytest.approx(0.5, abs=1e-4)
    assert w2.grad == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------ finite differences

UNARY = [
    ("neg", lambda a: -a, [0.7, -1.3]),
    ("exp", lambda a: a.exp(), [0.7, -1.3]),
    ("log", lambda a: a.log(), [0.7, 2.5]),
    ("tanh", lambda a: a.tanh(), [0.7, -1.3]),
    ("relu", lambda a: a.relu(), [0.7, -1.3]),
    ("sigmoid", lambda a: a.sigmoid(), [0.7, -1.3]),
    ("square", lambda a: a ** 2, [0.7, -1.3]),
    ("cube", lambda a: a ** 3, [0.7, -1.3]),
    ("pow_int_negative", lambda a: a ** -2, [0.7, -1.3]),
    ("pow_float", lambda a: a ** 1.5, [0.7, 2.5]),
    ("radd", lambda a: 2 + a, [0.7, -1.3]),
    ("rsub", lambda a: 1 - a, [0.7, -1.3]),
    ("rmul", lambda a: 2 * a, [0.7, -1.3]),
    ("rdiv", lambda a: 2 / a, [0.7, -1.3]),
    ("add_number", lambda a: a + 2.5, [0.7, -1.3]),
    ("sub_number", lambda a: a - 2.5, [0.7, -1.3]),
    ("mul_number", lambda a: a * 2.5, [0.7, -1.3]),
    ("div_number", lambda a: a / 2.5, [0.7, -1.3]),
]

BINARY = [
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / b),
    ("mixed", lambda a, b: (a * b + a.exp() / b).tanh() - (a - b) ** 2 + (b * b).log().sigmoid()),
]


@pytest.mark.parametrize("f, points", [(f, p) for _, f, p in UNARY], ids=[n for n, _, _ in UNARY])
def test_unary_gradients_match_finite_differences(f, points):
    for x in points:
        _, analytic = grads_of(f, x)
        assert analytic == pytest.approx(numeric_grads(f, x), rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("f", [f for _, f in BINARY], ids=[n for n, _ in BINARY])
@pytest.mark.parametrize("a, b", [(0.7, 1.9), (-1.3, 0.4), (2.0, -0.6)])
def test_binary_gradients_match_finite_differences(f, a, b):
    _, analytic = grads_of(f, a, b)
    assert analytic == pytest.approx(numeric_grads(f, a, b), rel=1e-6, abs=1e-8)


# ------------------------------------------------- numbers mix in freely

def test_reflected_operations_and_numbers_are_wrapped():
    x = Scalar(4.0)
    assert (2 * x).data == 8.0
    assert (1 - x).data == -3.0
    assert (2 / x).data == 0.5
    assert (3 + x).data == 7.0
    assert (x - 1).data == 3.0
    # sum() starts from 0 and adds Scalars to it: 0 + Scalar is __radd__.
    assert sum([x, x, x]).data == 12.0
    y = 1 - 2 / x          # dy/dx = 2 / x^2 = 0.125
    y.backward()
    assert x.grad == 0.125


def test_results_are_floats_and_remember_their_op():
    x = Scalar(3, label="x")
    assert isinstance(x.data, float) and x.data == 3.0
    assert x.grad == 0.0 and x.op == "" and x.label == "x"
    assert x.parents == () and x.next_functions == ()
    y = x * 2
    assert y.op == "*" and y.parents[0] is x and y.local_grads == (2.0, 3.0)
    assert [(n.data, nr) for n, nr in y.next_functions] == [(3.0, 0), (2.0, 0)]
    assert x.tanh().op == "tanh" and (x ** 2).op == "**2" and (-x).op == "neg"


def test_power_edge_cases():
    x = Scalar(0.0)
    (x ** 0.5).backward()
    assert x.grad == math.inf          # sqrt is vertical at 0, as in PyTorch
    x = Scalar(0.0)
    y = x ** 0
    y.backward()
    assert y.data == 1.0 and x.grad == 0.0


def test_numpy_numbers_mix_in_too():
    np = pytest.importorskip("numpy")
    x = Scalar(2.0)
    assert (x * np.float32(3.0)).data == 6.0
    assert (x ** np.int64(3)).data == 8.0


def test_sigmoid_does_not_overflow():
    assert Scalar(-800.0).sigmoid().data == 0.0
    assert Scalar(800.0).sigmoid().data == 1.0


def test_clear_errors():
    x = Scalar(2.0)
    with pytest.raises(TypeError, match="exponent must be a Python int or float"):
        x ** Scalar(2.0)
    with pytest.raises(TypeError, match="Scalar or a Python number, not with str"):
        x + "1"
    with pytest.raises(TypeError, match="not with list"):
        [1.0] * x
    with pytest.raises(ValueError, match="log\\(\\) needs a positive number, got -2.0"):
        (-x).log()
    with pytest.raises(ValueError, match="not a real number"):
        (-x) ** 0.5
    assert ((-x) ** 3).data == -8.0          # a whole exponent is fine
    with pytest.raises(ZeroDivisionError):
        x / 0


def test_the_docstring_examples_are_true():
    result = doctest.testmod(autodidact.scalar)
    assert result.attempted >= 5 and result.failed == 0


def test_repr():
    x = Scalar(3.0)
    assert repr(x) == "Scalar(data=3.0000, grad=0.0000)"
    (x * x).backward()
    assert repr(x) == "Scalar(data=3.0000, grad=6.0000)"


# ----------------------------------------------------- what the engine does

def test_gradients_accumulate_across_backward_calls():
    x = Scalar(3.0)
    y = x * x + x
    y.backward()
    y.backward()                   # the graph is still there: its values are floats
    assert x.grad == 14.0          # 7 + 7: added, not replaced
    assert y.grad == 2.0           # every Scalar accumulates, the output too
    zero_grad([x, y])
    assert x.grad == 0.0 and y.grad == 0.0
    y.backward()
    assert x.grad == 7.0


def test_a_new_graph_on_the_same_leaf_adds_to_its_grad():
    w = Scalar(2.0)
    (w * 3).backward()
    (w * 5).backward()
    assert w.grad == 8.0


def test_scalars_run_on_the_shared_engine():
    x = Scalar(3.0)
    h = x * 2
    y = h + x
    order = graph.topological_order(y)
    assert order[0] is y and order[-1] is x and order.index(h) < order.index(x)
    graph.run_backward(y, 1.0, retain_graph=True)
    assert x.grad == 3.0


def test_the_engine_asks_a_scalar_for_its_children_not_for_pairs():
    # children() is the engine's one question; next_functions stays for drawings.
    a, b = Scalar(1.0), Scalar(2.0)
    y = a * b
    assert y.children() == (a, b) == y.parents and a.children() == ()
    assert y.tanh().children() == (y,)
    assert y.next_functions == ((a, 0), (b, 0))
    three = Scalar(5.0, parents=(a, b, a), local_grads=(1.0, 2.0, 3.0), op="f")
    assert three.children() == (a, b, a) and three.local_grads == (1.0, 2.0, 3.0)
    three.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)        # a's two paths add up


def test_a_node_returning_too_few_gradients_is_named():
    # The engine used to drop the inputs beyond apply's answer without a word.
    x = Scalar(1.0)

    class Lossy(graph.Node):
        __slots__ = ()

        def apply(self, grad):
            return (grad,)

    with pytest.raises(RuntimeError, match="Lossy.apply returned 1 gradients for 2 inputs"):
        graph.run_backward(Lossy(((x, 0), (x, 0))), 1.0)


def test_no_grad_records_nothing():
    x = Scalar(3.0)
    with graph.no_grad():
        y = x * x
    assert y.data == 9.0 and y.parents == () and y.op == ""
    y.backward()
    assert x.grad == 0.0


def test_a_chain_of_a_million_operations():
    # micrograd's recursive topological sort fails at about 1,000 deep;
    # the engine's is iterative. y = x + x + ... + x, a million additions.
    x = Scalar(0.5)
    y = x
    n = 1_000_000
    was_enabled = gc.isenabled()
    gc.disable()       # the collector has nothing to find here: it would only slow the test
    try:
        for _ in range(n):
            y = y + x
        y.backward()
        del y          # freeing a million-deep chain must not overflow the C stack either
    finally:
        if was_enabled:
            gc.enable()
    assert x.grad == n + 1


def test_a_graph_dies_with_its_output():
    # No reference cycles: with the collector off, reference counting alone
    # must free every node once the output goes.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Scalar(0.5)
        h = (x * 2).exp()
        y = (h * x + 1).tanh()
        y.backward()
        h_ref, y_ref = weakref.ref(h), weakref.ref(y)
        del h
        assert h_ref() is not None     # y still needs it
        del y
        assert y_ref() is None and h_ref() is None
        assert x.grad != 0.0           # the leaf lives on, with its gradient
    finally:
        if was_enabled:
            gc.enable()


# ------------------------------------------------------------ against torch

def expression(a, b):
    """The same code runs on Scalars and on torch tensors."""
    c = a * b + 2 / a - 1
    d = (c.tanh() + (a - b) ** 2).exp() * b.sigmoid()
    return (d + (b * b).log() - a.relu() * 3).relu() + (-c) / b


def test_gradients_match_pytorch_float64():
    torch = pytest.importorskip("torch")
    for a, b in [(0.7, -1.2), (1.5, 0.3), (-0.4, 2.0)]:
        value, grads = grads_of(expression, a, b)
        ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        out = expression(ta, tb)
        out.backward()
        assert value == pytest.approx(out.item(), rel=1e-12)
        assert grads == pytest.approx([ta.grad.item(), tb.grad.item()], rel=1e-12)


# ------------------------------------------- what one operation leaves behind

def test_a_scalar_with_any_number_of_parents():
    # Lesson 1's constructor: a hand-made op with three parents runs backward.
    a, b, c = Scalar(1.0), Scalar(2.0), Scalar(3.0)
    s = Scalar(a.data + b.data * c.data, parents=(a, b, c), local_grads=(1.0, c.data, b.data),
               op="a+b*c")
    assert s.parents == (a, b, c) and s.local_grads == (1.0, 3.0, 2.0)
    assert [(n, nr) for n, nr in s.next_functions] == [(a, 0), (b, 0), (c, 0)]
    (s * 2).backward()
    assert (a.grad, b.grad, c.grad) == (2.0, 6.0, 4.0)
    one = Scalar(4.0, parents=[a], local_grads=[0.5], op="half")    # lists are fine too
    assert one.parents == (a,) and one.local_grads == (0.5,)


def test_parents_and_local_grads_must_pair_up():
    a = Scalar(1.0)
    with pytest.raises(ValueError, match="one local derivative per parent: got 2 parents and 1"):
        Scalar(2.0, parents=(a, a), local_grads=(1.0,))


def test_numbers_are_wrapped_as_leaves_even_under_no_grad():
    x = Scalar(2.0)
    with graph.no_grad():
        y = 3 * x + 1
    assert y.data == 7.0 and y.parents == () and y.op == ""
    z = 1 - x                                       # recording again
    assert z.parents[0].parents == () and z.parents[0].data == 1.0 and z.parents[1] is x


def test_each_operation_leaves_one_object_for_the_cycle_collector():
    # The collector scans every object it tracks, again and again while a graph
    # grows: each op's result is the only one it tracks (no tuples of parents).
    x = Scalar(0.5)
    keep = [x]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(1000):
            keep.append(keep[-1] * x)               # a binary op: two parents
            keep.append(keep[-1].tanh())            # a unary op
        made = len(gc.get_objects()) - before
    finally:
        if was_enabled:
            gc.enable()
    assert made <= 2000 + 50, f"{made} tracked objects for 2000 ops"
