"""Lesson 11: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch
from autodidact import autograd


def tanh_backward(grad, out):
    """Sign slip: 1 + out**2."""
    return grad * (1 + out * out)


def mul_backward(grad, a, b):
    """Each factor gets itself back instead of the other factor."""
    return grad * a, grad * b


def topological_order(root):
    """Breadth-first: a node can come before one of the nodes that feed it."""
    seen, queue, i = {root}, [root], 0
    while i < len(queue):
        for child, _ in queue[i].next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
        i += 1
    return queue


def topological_order__recursive(root):
    """Right order, but recursive: a chain deeper than Python's recursion limit fails."""
    order, seen = [], set()

    def visit(node):
        seen.add(node)
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                visit(child)
        order.append(node)

    visit(root)
    return order[::-1]


class Softplus(autograd.Function):
    """Backward uses sigmoid(-x), the derivative of log(1 + exp(-x)): a sign slip."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.log(1 + torch.exp(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * torch.sigmoid(-x)
