"""Lesson 6: plausible wrong answers (each docstring names the mistake)."""

import autodidact as torch
from autodidact.autograd import Variable


def make_parameter(value):
    """torch.tensor([value]) is int64 for a whole number, which cannot require grad."""
    return torch.tensor([value], requires_grad=True)


def elementwise_gradient(f, x):
    """mean() instead of sum(): every gradient divided by the number of elements."""
    leaf = x.detach().requires_grad_()
    f(leaf).mean().backward()
    return leaf.grad


def intermediate_grad(w_value, x, y):
    """Returns the leaf's gradient, d loss / d w, not d loss / d y_pred."""
    w = torch.tensor([float(w_value)], requires_grad=True)
    ((x * w - y) ** 2).backward()
    return w.grad.item()


def count_nodes(t):
    """No set of seen nodes: a node reached along two paths is counted twice."""
    if t.grad_fn is None:
        return 0
    count, stack = 0, [t.grad_fn]
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(child for child, _ in node.next_functions if child is not None)
    return count
