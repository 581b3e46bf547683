"""Lesson 1 exercises: numerical derivatives, backward by hand, a Scalar op, accumulation."""

import math

import pytest

from autodidact.scalar import Scalar

exercise = pytest.mark.exercise


@exercise("numerical_derivative")
def test_numerical_derivative_is_centred(ex):
    got = ex.numerical_derivative(lambda x: x ** 3, 2.0)
    assert abs(got - 12.0) < 1e-5, (
        f"the slope of x**3 at 2 is 12; yours gave {got!r}, off by {abs(got - 12):.2g} "
        f"(a centred difference gets within 1e-5 with h=1e-3)")


@exercise("numerical_derivative")
def test_numerical_derivative_other_functions(ex):
    for f, x, want in ((math.sin, 0.5, math.cos(0.5)), (math.exp, 1.0, math.e),
                       (lambda x: 1 / x, 2.0, -0.25)):
        got = ex.numerical_derivative(f, x, h=1e-4)
        assert abs(got - want) < 1e-6, f"for {f} at {x} expected {want:.6f}, got {got!r}"


NEURONS = [(2.0, -3.0, 0.0, 1.0, 6.8813735870195432), (0.5, 0.3, -1.2, 0.8, 0.1),
           (-1.0, 2.0, 3.0, -0.5, 0.25)]


@exercise("neuron_gradients")
@pytest.mark.parametrize("values", NEURONS, ids=["micrograd", "small", "mixed"])
def test_neuron_gradients_match_the_engine(ex, values):
    got = ex.neuron_gradients(*values)
    assert isinstance(got, dict) and set(got) == {"x1", "w1", "x2", "w2", "b"}, (
        f"return a dict with keys x1, w1, x2, w2, b; got {got!r}")
    leaves = [Scalar(v) for v in values]
    x1, w1, x2, w2, b = leaves
    (x1 * w1 + x2 * w2 + b).tanh().backward()
    for name, leaf in zip(("x1", "w1", "x2", "w2", "b"), leaves):
        assert abs(got[name] - leaf.grad) < 1e-9, (
            f"do/d{name} at {dict(zip(('x1', 'w1', 'x2', 'w2', 'b'), values))} should be "
            f"{leaf.grad:.6f}; yours is {got[name]!r}")


@exercise("scalar_sin")
def test_scalar_sin_value_and_gradient(ex):
    a = Scalar(0.7)
    y = ex.scalar_sin(a)
    assert isinstance(y, Scalar), f"return a Scalar, not {type(y).__name__}"
    assert abs(y.data - math.sin(0.7)) < 1e-12, f"sin(0.7) is {math.sin(0.7)}, got {y.data}"
    y.backward()
    assert abs(a.grad - math.cos(0.7)) < 1e-12, (
        f"d sin(a)/da at 0.7 is cos(0.7) = {math.cos(0.7):.6f}; backward gave {a.grad!r}")


@exercise("scalar_sin")
def test_scalar_sin_in_a_chain(ex):
    a = Scalar(1.3)
    y = ex.scalar_sin(a * a) * 3 + a
    y.backward()
    want = 3 * math.cos(1.3 ** 2) * 2 * 1.3 + 1
    assert abs(a.grad - want) < 1e-9, (
        f"d/da (3 sin(a*a) + a) at 1.3 is {want:.6f}; through your sin backward gave {a.grad!r}")


EXPRESSIONS = {
    "used twice": lambda a, b: a * a + a,
    "neuron": lambda a, b: (a * b + b).tanh(),
    "diamond": lambda a, b: (a * b) * (a + b) / b,
}


@exercise("backward_by_hand")
@pytest.mark.parametrize("kind", list(EXPRESSIONS))
def test_backward_by_hand_matches_the_engine(ex, kind):
    build = EXPRESSIONS[kind]
    a, b = Scalar(3.0), Scalar(-2.0)
    build(a, b).backward()
    want = (a.grad, b.grad)
    a, b = Scalar(3.0), Scalar(-2.0)
    ex.backward_by_hand(build(a, b))
    for name, leaf, expected in zip("ab", (a, b), want):
        assert abs(leaf.grad - expected) < 1e-9, (
            f"in the '{kind}' expression dy/d{name} should be {expected:.4f}; after your "
            f"backward it is {leaf.grad!r}. A Scalar used more than once must get the sum "
            f"of its shares")
