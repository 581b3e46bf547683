"""Lesson 6 exercises: leaves, backward(), gradients of intermediates, the graph.

Work in your copy (`autodidact exercises start 6`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 6`.
"""

import autodidact as torch
from autodidact.autograd import Variable


def make_parameter(value):
    """The seed's weight: a float32 leaf tensor of shape (1,) holding `value`, requiring grad.

    Works for whole numbers too: make_parameter(2) holds 2.0.

    Hint: the seed writes Variable(torch.Tensor([...]), requires_grad=True).
    Mind that torch.tensor([2]) is an int64 tensor, and ints cannot require grad.
    """
    raise NotImplementedError


def elementwise_gradient(f, x):
    """For an elementwise function f (like torch.sin), return f'(x) at every element of x.

    x is a float tensor that does not require grad; leave it so. Example:
    elementwise_gradient(lambda t: t ** 2, torch.tensor([1., 2.])) is tensor([2., 4.]).

    Hint: backward() needs a single number to start from: reduce f's
    output with .sum() (why sum and not mean?), or pass backward a tensor
    of ones. Work on x.detach().requires_grad_(), a leaf of your own.
    """
    raise NotImplementedError


def intermediate_grad(w_value, x, y):
    """d loss / d y_pred, as a float, for loss = (y_pred - y) ** 2 with y_pred = x * w.

    w is a leaf holding w_value; y_pred is an intermediate result, so its
    .grad stays None unless you ask to keep it before backward().

    Hint: y_pred.retain_grad().
    """
    raise NotImplementedError


def count_nodes(t):
    """How many distinct nodes the graph behind tensor t has, AccumulateGrad nodes included.

    Start at t.grad_fn and follow node.next_functions, a tuple of (node, index)
    pairs (node is None for inputs that need no gradient). For a tensor no
    operation made (t.grad_fn is None), return 0.
    Example: for a = x * w; t = a * a + a  (w a leaf) the answer is 4:
    AddBackward0, MulBackward0 (a*a), MulBackward0 (x*w), AccumulateGrad (w).

    Hint: a node reached along two paths is still one node: keep a set of those seen.
    """
    raise NotImplementedError
