"""Lesson 1: reference answers. (Students may read these: try first.)"""

import math

from autodidact.graph import topological_order
from autodidact.scalar import Scalar


def numerical_derivative(f, x, h=1e-3):
    """Centred difference: its error shrinks like h**2."""
    return (f(x + h) - f(x - h)) / (2 * h)


def neuron_gradients(x1, w1, x2, w2, b):
    """The chain rule, from o back to each input."""
    n = x1 * w1 + x2 * w2 + b
    o = math.tanh(n)
    do_dn = 1 - o ** 2
    return {"x1": do_dn * w1, "w1": do_dn * x1, "x2": do_dn * w2, "w2": do_dn * x2, "b": do_dn}


def scalar_sin(a):
    """Value and local derivative, computed together."""
    return Scalar(math.sin(a.data), (a,), (math.cos(a.data),), "sin")


def backward_by_hand(root):
    """Visit in topological order and add (+=) each share into the parent's grad."""
    root.grad = 1.0
    for node in topological_order(root):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local
