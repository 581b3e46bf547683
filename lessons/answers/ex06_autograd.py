"""Lesson 6: reference answers."""

import autodidact as torch
from autodidact.autograd import Variable


def make_parameter(value):
    return Variable(torch.Tensor([value]), requires_grad=True)


def elementwise_gradient(f, x):
    leaf = x.detach().requires_grad_()
    f(leaf).sum().backward()
    return leaf.grad


def intermediate_grad(w_value, x, y):
    w = torch.tensor([float(w_value)], requires_grad=True)
    y_pred = x * w
    y_pred.retain_grad()
    ((y_pred - y) ** 2).backward()
    return y_pred.grad.item()


def count_nodes(t):
    if t.grad_fn is None:
        return 0
    seen, stack = {t.grad_fn}, [t.grad_fn]
    while stack:
        node = stack.pop()
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)
