"""Lesson 1: plausible wrong answers, kept so the tests are shown to catch them.

Each function has the name of the exercise it gets wrong (`name__label`
for a second mistake on the same exercise); its docstring says the mistake.
"""

import math

from autodidact.graph import topological_order
from autodidact.scalar import Scalar


def numerical_derivative(f, x, h=1e-3):
    """One-sided difference: error of order h, not h**2."""
    return (f(x + h) - f(x)) / h


def neuron_gradients(x1, w1, x2, w2, b):
    """tanh's derivative taken as 1 - n**2 (the input squared, not the output)."""
    n = x1 * w1 + x2 * w2 + b
    do_dn = 1 - n ** 2
    return {"x1": do_dn * w1, "w1": do_dn * x1, "x2": do_dn * w2, "w2": do_dn * x2, "b": do_dn}


def neuron_gradients__swapped_factors(x1, w1, x2, w2, b):
    """A product's gradient sent to the factor itself (do/dw1 = do/dn * w1)."""
    do_dn = 1 - math.tanh(x1 * w1 + x2 * w2 + b) ** 2
    return {"x1": do_dn * x1, "w1": do_dn * w1, "x2": do_dn * x2, "w2": do_dn * w2, "b": do_dn}


def scalar_sin(a):
    """Sign slip: -cos (the derivative of cos is -sin, not the other way round)."""
    return Scalar(math.sin(a.data), (a,), (-math.cos(a.data),), "sin")


def backward_by_hand(root):
    """Missing accumulation: `=` instead of `+=`, so a Scalar used twice keeps one share."""
    root.grad = 1.0
    for node in topological_order(root):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = node.grad * local
