"""Lesson 11 exercises: backward rules, the order of backward, your own op.

Your code is plugged into the real engine while the tests run (and taken
out again after each): your tanh backward trains a network, your
topological order drives a real backward().

Work in your copy (`autodidact exercises start 11`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 11`.
"""

import autodidact as torch
from autodidact import autograd


def tanh_backward(grad, out):
    """Return the gradient of tanh at its input, given `out = tanh(x)` and the output's gradient.

    All Tensors of one shape. The tests swap this in as tanh's backward,
    run gradcheck, and train a small network with it.

    Hint: d/dx tanh(x) = 1 - tanh(x)**2, and you already have tanh(x): `out`.
    """
    raise NotImplementedError


def mul_backward(grad, a, b):
    """The backward of a * b: return (gradient for a, gradient for b).

    grad is the gradient of the product; a and b are what was multiplied
    (either may be a plain number). Don't worry about broadcasting: the
    engine sums a gradient back to its input's shape.

    Hint: nudge a, and a * b moves by b times as much.
    """
    raise NotImplementedError


def topological_order(root):
    """Every node reachable from `root` (a grad_fn), each before all the nodes that fed it.

    A node's inputs are `node.next_functions`: (child, index) pairs, child
    None for an input that needs no gradient. root comes first. The tests
    drive a real backward with it: autograd.backward(loss, order_fn=your_function).

    Hint: depth-first; a node is finished when all its children are; the
    reverse of the finishing order is the answer. Use a list as a stack
    rather than recursion: a chain of 5,000 ops must work, and Python stops
    recursing at about 1,000. Visit each node once.
    """
    raise NotImplementedError


class Softplus(autograd.Function):
    """softplus(x) = log(1 + exp(x)): a smooth relu, as your own op.

    Softplus.apply(x) computes it and records a SoftplusBackward node.

    Hint: forward saves x (ctx.save_for_backward(x)); backward reads it
    back (x, = ctx.saved_tensors). The derivative of log(1 + exp(x)) is
    exp(x) / (1 + exp(x)) = sigmoid(x).
    """

    @staticmethod
    def forward(ctx, x):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError
