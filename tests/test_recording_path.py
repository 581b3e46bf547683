"""The lean recording path (issue 18): what it skips must not change what anyone sees.

Function.apply builds a node's edges only when it records, computes
``needs_input_grad`` once, and a tensor gets its version counter only when
something needs it; sum's and mean's backward make their expand directly.
Each test checks a behaviour those shortcuts could break.
"""

import gc

import numpy as np
import pytest

import autodidact
from autodidact import graph
from autodidact.function import swap_backward


REDUCTIONS = [({}, "all"), ({"dim": 0}, "dim 0"), ({"dim": 1, "keepdim": True}, "dim 1 kept"),
              ({"dim": (0, 2)}, "dims 0 and 2"), ({"dim": -1}, "dim -1")]


@pytest.mark.parametrize("op", ["sum", "mean"])
@pytest.mark.parametrize("kwargs", [r[0] for r in REDUCTIONS], ids=[r[1] for r in REDUCTIONS])
def test_reduction_gradient_has_pytorchs_values_and_strides(torch_oracle, op, kwargs):
    """sum's gradient is an expand (stride 0 along the reduced axes); mean's is a new tensor."""
    start = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    weights = np.random.default_rng(0).random(np.sum(start, axis=kwargs.get("dim"),
                                                     keepdims=kwargs.get("keepdim", False)).shape,
                                              dtype=np.float32)

    def run(lib):
        x = lib.tensor(start, requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(tuple(g.stride())))
        (getattr(x, op)(**kwargs) * lib.tensor(weights)).sum().backward()
        return x.grad.numpy(), seen

    (ours, our_strides), (theirs, their_strides) = run(autodidact), run(torch_oracle)
    np.testing.assert_array_equal(ours, theirs)
    assert our_strides == their_strides


def test_reduction_gradient_under_create_graph_is_differentiable():
    x = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    g, = autodidact.autograd.grad((x ** 3).sum(), x, create_graph=True)   # 3 x^2
    gg, = autodidact.autograd.grad(g.mean(), x)                           # 6 x / 4
    np.testing.assert_allclose(gg.numpy(), 6 * x.detach().numpy() / 4)


def test_needs_input_grad_is_a_tuple_per_input_in_forward_and_backward():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    data = autodidact.tensor([3.0, 4.0])
    seen = []

    def backward(ctx, grad):
        seen.append(ctx.needs_input_grad)
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)

    with swap_backward("mul", backward):
        (w * data).sum().backward()
        (data * w).sum().backward()
    assert seen == [(True, False), (False, True)]
    np.testing.assert_array_equal(w.grad.numpy(), [6.0, 8.0])


def test_a_result_changed_in_place_after_it_was_saved_is_refused():
    """Counters are made on first use: the one a rule saves is the one ``add_`` bumps."""
    x = autodidact.tensor([0.5, 1.0], requires_grad=True)
    y = x.tanh()          # saves its output
    assert y._version == 0
    y.add_(1)
    assert y._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_a_view_and_a_detached_tensor_share_the_counter_of_a_tensor_never_counted_before():
    y = autodidact.tensor([1.0, 2.0, 3.0]) * 2
    view, detached = y[1:], y.detach()
    view.mul_(2)
    assert y._version == detached._version == view._version == 1
    detached.add_(1)
    assert y._version == 2


def test_a_recorded_op_leaves_few_objects_for_the_cycle_collector():
    """Per op of a 10x10 chain: the node, its children (a tuple) and the weak reference
    to its output for drawings; nothing else survives a collection (no (node, 0) pairs:
    next_functions builds them when asked)."""
    x = autodidact.tensor(np.ones((10, 10), np.float32), requires_grad=True)
    gc.collect()
    before = len(gc.get_objects())
    y = x
    for _ in range(300):
        y = y * 1.001
    gc.collect()
    gc.collect()   # a tuple is untracked once what it holds is: it can take two passes
    per_op = (len(gc.get_objects()) - before) / 300
    assert per_op <= 3.5
    y.backward(autodidact.ones_like(y))
    np.testing.assert_allclose(x.grad.numpy(), np.full((10, 10), 1.001 ** 300), rtol=1e-4)


def test_next_functions_pairs_children_with_their_output_numbers():
    """A node keeps its children and their output numbers apart; next_functions shows the pairs."""
    x = autodidact.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    first, second = x.split(2)
    y = second * first + second
    mul = y.grad_fn.next_functions[0][0]
    split = first.grad_fn
    assert mul.children() == (split, split)
    assert mul.next_functions == ((split, 1), (split, 0))
    assert y.grad_fn.next_functions == ((mul, 0), (split, 1))
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 4.0, 2.0, 3.0]   # d/dfirst = second; d/dsecond = first + 1


def test_a_node_made_from_pairs_keeps_them():
    class Pair(graph.Node):
        __slots__ = ()

    a, b = Pair(), Pair()
    node = Pair(((a, 0), (None, 0), (b, 2)))
    assert node.children() == (a, None, b)
    assert node.next_functions == ((a, 0), (None, 0), (b, 2))
    node.next_functions = ((b, 0),)
    assert node.children() == (b,) and node.next_functions == ((b, 0),)
    assert Pair().next_functions == () and Pair().children() == ()
