"""Lesson 1 exercises: scalars and the chain rule.

Work in your copy (`autodidact exercises start 1` puts it in my-exercises/),
replace each `raise NotImplementedError` with your code, and check with
`autodidact exercises check 1`. Plain Python floats, and `Scalar`.
"""

import math

from autodidact.graph import topological_order
from autodidact.scalar import Scalar


def numerical_derivative(f, x, h=1e-3):
    """Estimate f'(x) from values of f alone, accurate to about h**2.

    Nudge x both ways: the slope between f(x - h) and f(x + h).
    Example: numerical_derivative(lambda x: x**3, 2.0) is close to 12.0
    (within 1e-5).

    Hint: a one-sided difference (f(x + h) - f(x)) / h is only accurate
    to about h; the centred one is much better.
    """
    raise NotImplementedError


def neuron_gradients(x1, w1, x2, w2, b):
    """Backward by hand: the gradients of o = tanh(x1*w1 + x2*w2 + b).

    Arguments are plain floats. Return a dict with the derivative of o
    with respect to each input: keys "x1", "w1", "x2", "w2", "b".
    Use only math and arithmetic (no Scalar, no backward()).

    Hint: first do/dn = 1 - o**2 where n = x1*w1 + x2*w2 + b and o = tanh(n);
    then the chain rule, one step at a time, as in the lesson.
    """
    raise NotImplementedError


def scalar_sin(a):
    """sin for Scalars: return a new Scalar holding sin(a.data) that backward can go through.

    A Scalar remembers its parents and the local derivative with respect
    to each: Scalar(value, parents=(a,), local_grads=(...,), op="sin").

    Hint: d/da sin(a) = cos(a). Look at Scalar.tanh in autodidact/scalar.py, and at
    the comment above its ops: their fast `_result(...)` is the `Scalar(...)` above.
    """
    raise NotImplementedError


def backward_by_hand(root):
    """Fill in .grad of every Scalar behind `root`, without calling backward().

    Set root.grad = 1.0, then visit the Scalars so that each comes after
    every Scalar that uses it (topological_order(root) gives you that
    order), and hand each parent its share: the node's grad times the
    local derivative (`node.parents` and `node.local_grads`).

    Hint: a Scalar used twice (y = a*a + a) must receive the sum of the
    gradients from every use.
    """
    raise NotImplementedError
