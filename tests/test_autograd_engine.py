"""The Tensor autograd engine: graph, backward, accumulation, grad modes, hooks, grad().

Values here are written out by hand (they hold without PyTorch installed);
test_autograd_torch.py compares the same behaviours with PyTorch itself.
"""

import weakref

import numpy as np
import pytest

import autodidact
from autodidact import autograd, graph
from autodidact.autograd import Variable
from autodidact.function import MissingBackwardError, swap_backward


def leaf(values, dtype=None):
    return autodidact.tensor(values, dtype=dtype, requires_grad=True)


def names(tensor):
    """The graph behind ``tensor`` as nested (name, children) pairs, as next_functions says."""
    def walk(node):
        if node is None:
            return None
        return (node.name(), [walk(child) for child, _ in node.next_functions])
    return walk(tensor.grad_fn)


# ------------------------------------------------------------- the graph

def test_ops_record_nodes_named_as_in_pytorch():
    x = leaf([[1.0, 5.0], [3.0, 2.0]])
    assert x.grad_fn is None and x.is_leaf
    cases = {
        "MulBackward0": x * 2, "AddBackward0": x + x, "SubBackward0": x - 1,
        "DivBackward0": x / 3, "NegBackward0": -x, "PowBackward0": x ** 2,
        "ExpBackward0": x.exp(), "LogBackward0": x.log(), "TanhBackward0": x.tanh(),
        "SigmoidBackward0": x.sigmoid(), "ReluBackward0": x.relu(),
        "SumBackward0": x.sum(), "SumBackward1": x.sum(0), "MeanBackward0": x.mean(),
        "MaxBackward1": x.max(), "MaxBackward0": x.max(0).values, "MinBackward1": x.min(),
        "MinBackward0": x.min(1).values, "MmBackward0": x @ x, "ViewBackward0": x.view(4),
        "PermuteBackward0": x.permute(1, 0), "ExpandBackward0": x.expand(3, 2, 2),
        "CatBackward0": autodidact.cat([x, x]), "StackBackward0": autodidact.stack([x, x]),
        "IndexBackward0": x[[0, 0]], "SoftmaxBackward0": x.softmax(0),
        "LogSoftmaxBackward0": x.log_softmax(1), "CloneBackward0": x.clone(),
    }
    for name, out in cases.items():
        assert out.grad_fn.name() == type(out.grad_fn).__name__ == name
        assert f"grad_fn=<{name}>" in repr(out)
    assert x.max(0).indices.grad_fn is None   # indices are not differentiable


def test_next_functions_lead_to_the_inputs_and_accumulate_grad_for_leaves():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = autodidact.tensor([5.0, 6.0])
    y = (x * w + c).sum()
    assert names(y) == ("SumBackward0", [("AddBackward0", [
        ("MulBackward0", [("AccumulateGrad", []), ("AccumulateGrad", [])]), None])])
    mul = y.grad_fn.next_functions[0][0].next_functions[0][0]
    acc_x, acc_w = (node for node, _ in mul.next_functions)
    assert acc_x.variable is x and acc_w.variable is w
    assert all(index == 0 for _, index in mul.next_functions)
    # One AccumulateGrad per leaf, shared by every use of it.
    assert (x * 3).grad_fn.next_functions[0][0] is acc_x


def test_nodes_know_their_output_shape_and_dtype_without_keeping_it_alive():
    x = leaf([[1.0, 2.0, 3.0]], dtype=autodidact.float64)
    y = x.sum(1)
    node = y.grad_fn
    assert node.output_shape == (1,) and node.output_dtype is autodidact.float64
    ref = weakref.ref(y)
    del y
    assert ref() is None                  # the node holds no strong reference to its output
    assert node.output_shape == (1,)
    assert x.exp().grad_fn.output_shape == (1, 3)


def test_results_of_ops_on_tensors_without_grad_are_leaves():
    a = autodidact.ones(2)
    assert (a * 2).is_leaf and (a * 2).grad_fn is None and not (a * 2).requires_grad
    x = leaf([1.0, 2.0])
    assert not (x * 2).is_leaf and (x * a).requires_grad


def test_topological_order_is_public_iterative_and_puts_each_node_before_its_inputs():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = (y.exp() + y).sum()
    order = graph.topological_order(z.grad_fn)
    assert order[0] is z.grad_fn
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for child, _ in node.next_functions:
            if child is not None:
                assert position[node] < position[child]
    assert [n.name() for n in order].count("MulBackward0") == 1   # visited once though used twice
    assert order[-1].name() == "AccumulateGrad"


# --------------------------------------------------------- backward itself

def test_a_tensor_used_twice_gets_the_sum_of_both_gradients():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]
    x.grad = None
    (x + x + x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]
    x.grad = None
    y = x * 2
    (y * y + y).sum().backward()           # d/dx (4x^2 + 2x) = 8x + 2
    assert x.grad.tolist() == [10.0, 18.0, 26.0]


def test_gradients_accumulate_across_backward_calls_in_the_same_tensor():
    x = autodidact.tensor(2.0, requires_grad=True)
    (x ** 2).backward()
    assert x.grad.item() == 4.0
    g = x.grad
    (x ** 3).backward()
    assert x.grad.item() == 16.0 and g is x.grad
    (x * 5).backward()
    assert x.grad.item() == 21.0 and g is x.grad
    x.grad = autodidact.tensor(100.0)
    (x * 1).backward()
    assert x.grad.item() == 101.0


def test_seed_style_accumulation_without_zeroing():
    w = autodidact.tensor([1.0], requires_grad=True)
    ((3.0 * w - 6.0) ** 2).backward()
    assert w.grad.tolist() == [-18.0]
    ((3.0 * w - 6.0) ** 2).backward()
    assert w.grad.tolist() == [-36.0]
    w.grad.zero_()
    assert w.grad.tolist() == [0.0]


def test_gradients_of_broadcast_inputs_are_summed_back_to_their_shapes():
    a = leaf([[1.0], [2.0], [3.0]])
    b = leaf([[10.0, 20.0, 30.0, 40.0]])
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and a.grad.tolist() == [[100.0]] * 3
    assert b.grad.shape == (1, 4) and b.grad.tolist() == [[6.0] * 4]
    s = autodidact.tensor(2.0, requires_grad=True)
    (s * autodidact.ones(3, 2)).sum().backward()
    assert s.grad.shape == () and s.grad.item() == 6.0
    e = leaf([1.0, 2.0])
    e.expand(3, 2).sum().backward()
    assert e.grad.tolist() == [3.0, 3.0]


def test_indexing_gradients_add_up_at_repeated_indices():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    x[[0, 0, 2]].sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 1.0, 0.0]
    x.grad = None
    (x[[0, 0, 2]] * autodidact.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [11.0, 0.0, 100.0, 0.0]
    x.grad = None
    x[x > 2].sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 1.0]
    m = autodidact.arange(6.0).view(2, 3).requires_grad_()
    m[[1, 1]].sum().backward()
    assert m.grad.tolist() == [[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]]


def test_implicit_gradient_needs_exactly_one_element():
    for shape in [(), (1,), (1, 1)]:
        x = autodidact.ones(shape, requires_grad=True)
        (x * 2).backward()
        assert x.grad.shape == shape and x.grad.sum().item() == 2.0
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (autodidact.ones(2, requires_grad=True) * 2).backward()
    autodidact.ones(0, requires_grad=True).sum().backward()   # an empty sum is fine


def test_backward_with_an_explicit_gradient_computes_a_vector_jacobian_product():
    x = autodidact.ones(3, requires_grad=True)
    (x * 2).backward(autodidact.tensor([1.0, 0.1, 0.01]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 0.2, 0.02], rtol=1e-6)
    x.grad = None
    (x * 2).backward(autodidact.ones(3, dtype=autodidact.float64))   # cast to x's dtype
    assert x.grad.dtype is autodidact.float32
    x.grad = None
    (x * 2).sum().backward(autodidact.tensor(2.0))
    assert x.grad.tolist() == [4.0, 4.0, 4.0]


def test_saved_tensors_are_freed_after_backward_unless_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    z = (x + 1).sum()      # nothing saved: a second pass is allowed, and adds up
    x.grad = None
    z.backward()
    z.backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_backward_accepts_several_outputs_at_once():
    a = leaf([1.0, 2.0])
    autograd.backward([a.sum(), (a * 2).sum()])
    assert a.grad.tolist() == [3.0, 3.0]
    a.grad = None
    autograd.backward([a * 3, a.sum()], [autodidact.ones(2), autodidact.tensor(2.0)])
    assert a.grad.tolist() == [5.0, 5.0]
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        autograd.backward([a.sum(), a.sum()], [autodidact.tensor(1.0)])


# --------------------------------------------- the accumulation counter

def test_grad_passes_counts_passes_since_grad_was_empty_or_zero():
    w = leaf([1.0, 2.0])
    assert w.grad_passes == 0
    (w * 3).sum().backward()
    assert w.grad_passes == 1
    (w * 3).sum().backward()
    (w * w).sum().backward()
    assert w.grad_passes == 3

    w.grad = None                                   # reset 1: set to None
    assert w.grad_passes == 0
    (w * 3).sum().backward()
    assert w.grad_passes == 1

    (w * 3).sum().backward()
    w.grad.zero_()                                  # reset 2: zeroed in place
    (w * 3).sum().backward()
    assert w.grad_passes == 1

    (w * 3).sum().backward()
    w.grad.data.zero_()                             # reset 3: zeroed through .data
    (w * 3).sum().backward()
    assert w.grad_passes == 1


def test_grad_passes_reset_by_optimizer_zero_grad():
    w = leaf([1.0, 2.0])
    opt = autodidact.optim.SGD([w], lr=0.1)
    for set_to_none in (True, False):
        (w * 3).sum().backward()
        (w * 3).sum().backward()
        assert w.grad_passes >= 2
        opt.zero_grad(set_to_none=set_to_none)
        (w * 3).sum().backward()
        assert w.grad_passes == 1


def test_grad_passes_counts_a_pass_whose_gradient_is_zero_as_a_start():
    w = leaf([1.0, 2.0])
    (w * 0).sum().backward()
    (w * 0).sum().backward()
    assert w.grad_passes == 1         # .grad was all zeros when the second pass came
    (w * 1).sum().backward()
    assert w.grad_passes == 1


# ---------------------------------------------------------------- grad mode

def test_no_grad_records_nothing_and_restores_the_mode():
    x = autodidact.ones(2, requires_grad=True)
    with autodidact.no_grad():
        y = x * 2
        assert not autodidact.is_grad_enabled() and not autograd.is_grad_enabled()
        assert not y.requires_grad and y.grad_fn is None and y.is_leaf
        z = autodidact.ones(2, requires_grad=True)
        assert z.requires_grad and z.is_leaf
        x.add_(1)                         # allowed here: the manual SGD step
        assert x._version == 1 and x.is_leaf and x.grad_fn is None
    assert autodidact.is_grad_enabled()
    assert (y * x).requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.sum().backward()


def test_grad_mode_as_decorator_context_manager_and_function():
    x = autodidact.ones(2, requires_grad=True)

    @autodidact.no_grad()
    def doubled(t):
        return t * 2

    @autodidact.enable_grad()
    def tripled(t):
        return t * 3

    assert not doubled(x).requires_grad
    with autodidact.no_grad():
        assert tripled(x).requires_grad
        with autodidact.enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
    with autodidact.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    try:
        autodidact.set_grad_enabled(False)       # a plain call takes effect at once
        assert not (x * 2).requires_grad and not autodidact.is_grad_enabled()
    finally:
        autodidact.set_grad_enabled(True)
    assert (x * 2).requires_grad
    assert autograd.no_grad is autodidact.no_grad


def test_grad_mode_is_restored_when_the_block_raises():
    with pytest.raises(ValueError):
        with autodidact.no_grad():
            raise ValueError
    assert autodidact.is_grad_enabled()

    @autodidact.no_grad()
    def fails():
        raise KeyError

    with pytest.raises(KeyError):
        fails()
    assert autodidact.is_grad_enabled()


# ------------------------------------------- detach, hooks, retain_grad

def test_detach_and_detach_():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and np.shares_memory(d.numpy(), y._data)
    assert (x * 3).detach().requires_grad_().is_leaf
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf


def test_requires_grad_():
    t = autodidact.ones(2)
    assert t.requires_grad_() is t and t.requires_grad
    t.requires_grad_(False)
    assert not t.requires_grad
    t.requires_grad = True
    assert t.requires_grad


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = leaf([1.0, 2.0])
    y = x * 3
    assert not y.retains_grad
    y.retain_grad()
    z = (y * y).sum()
    z.backward(retain_graph=True)
    assert y.retains_grad and y.grad.tolist() == [6.0, 12.0]
    z.backward()
    assert y.grad.tolist() == [12.0, 24.0]          # it accumulates like a leaf's
    x.retain_grad()                                 # a leaf: nothing to do
    assert not x.retains_grad
    w = x * 3
    w.retain_grad()
    w.register_hook(lambda g: g * 10)               # registered later, yet .grad sees it
    w.sum().backward()
    assert w.grad.tolist() == [10.0, 10.0]


def test_hooks_on_leaves_and_non_leaves_see_and_can_replace_the_gradient():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()))
    y = x * 3
    y_handle = y.register_hook(lambda g: g * 10)    # replaces the gradient flowing on
    y.sum().backward()
    assert seen == [[30.0, 30.0]] and x.grad.tolist() == [30.0, 30.0]
    handle.remove()
    y_handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    assert seen == [[30.0, 30.0]] and x.grad.tolist() == [3.0, 3.0]

    x.grad = None
    x.register_hook(lambda g: g * 0 + 7)            # a leaf hook replacing the gradient
    (x * 3).sum().backward()
    assert x.grad.tolist() == [7.0, 7.0]


def test_removed_non_leaf_hook_is_not_called():
    x = leaf([1.0, 2.0])
    y = x * 3
    y.register_hook(lambda g: g * 2).remove()
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


# ------------------------------------------------------------ autograd.grad

def test_grad_returns_gradients_and_leaves_dot_grad_untouched():
    x, w, unused = leaf([1.0, 2.0]), leaf([3.0, 4.0]), leaf(1.0)
    y = (x * w).sum()
    gx, gw, gu = autograd.grad(y, [x, w, unused], allow_unused=True, retain_graph=True)
    assert gx.tolist() == [3.0, 4.0] and gw.tolist() == [1.0, 2.0] and gu is None
    assert x.grad is None and w.grad is None
    (gx2,) = autograd.grad(y, x)
    assert gx2.tolist() == [3.0, 4.0] and not gx2.requires_grad
    zero, = autograd.grad((x * 2).sum(), unused, materialize_grads=True)
    assert zero.tolist() == 0.0


def test_grad_with_respect_to_an_intermediate_runs_only_the_graph_above_it():
    x = leaf([1.0, 2.0])
    y = x * 3
    gy, = autograd.grad((y * y).sum(), y)
    assert gy.tolist() == [6.0, 12.0]
    (y * 1).sum().backward()                  # y = x * 3 was neither run nor freed
    assert x.grad.tolist() == [3.0, 3.0]


def test_grad_runs_leaf_hooks_and_accepts_several_outputs():
    x = leaf([1.0, 1.0])
    x.register_hook(lambda g: g * 2)
    gx, = autograd.grad((x * 3).sum(), x)
    assert gx.tolist() == [6.0, 6.0]
    z = leaf([1.0, 1.0])
    gz, = autograd.grad([(z * 3).sum(), (z * z).sum()], [z])
    assert gz.tolist() == [5.0, 5.0]
    gz, = autograd.grad((z * 3).sum(), z, grad_outputs=autodidact.tensor(2.0))
    assert gz.tolist() == [6.0, 6.0]


def test_backward_inputs_accumulates_only_into_the_given_tensors():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * w).sum().backward(inputs=[w])
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]
    y = x * 2
    (y * y).sum().backward(inputs=[y])             # a non-leaf input gets .grad too
    assert y.grad.tolist() == [4.0, 8.0] and x.grad is None
    seen = []
    w.register_hook(lambda g: seen.append(1))
    (x * w).sum().backward(inputs=w)
    assert seen == [1] and w.grad.tolist() == [2.0, 4.0]   # the hook ran once


# --------------------------------------------------- higher derivatives

def test_second_derivative_of_x_to_the_fourth_at_2_is_48():
    x = autodidact.tensor(2.0, requires_grad=True)
    dy, = autograd.grad(x ** 4, x, create_graph=True)
    assert dy.item() == 32.0 and dy.requires_grad
    d2y, = autograd.grad(dy, x, create_graph=True)
    assert d2y.item() == 48.0
    d3y, = autograd.grad(d2y, x)
    assert d3y.item() == 48.0                      # 24 x
    assert x.grad is None


def test_second_derivative_through_backward_create_graph():
    x = autodidact.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="create_graph=True will create a reference cycle"):
        (x ** 4).backward(create_graph=True)
    g = x.grad
    assert g.item() == 32.0 and g.grad_fn is not None
    x.grad = None
    g.backward()
    assert x.grad.item() == 48.0


@pytest.mark.parametrize("fn, second", [
    (lambda x: x.tanh(), lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    (lambda x: x.exp(), np.exp),
    (lambda x: x.sigmoid(), lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),
    (lambda x: x.sin(), lambda x: -np.sin(x)),
    (lambda x: x.log(), lambda x: -1 / x ** 2),
    (lambda x: x.sqrt(), lambda x: -0.25 * x ** -1.5),
    (lambda x: 1 / x, lambda x: 2 / x ** 3),
])
def test_second_derivatives_of_elementwise_functions(fn, second):
    values = np.array([0.3, 1.1, 2.0])
    x = autodidact.tensor(values, requires_grad=True)
    g, = autograd.grad(fn(x).sum(), x, create_graph=True)
    h, = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), second(values), rtol=1e-10)


# ------------------------------------------------------ Variable and .data

def test_variable_returns_a_tensor_and_every_tensor_is_a_variable():
    t = autodidact.Tensor([1.0])
    v = Variable(t)
    assert type(v) is autodidact.Tensor and v is not t and not v.requires_grad
    assert np.shares_memory(v.numpy(), t.numpy())
    w = Variable(autodidact.Tensor([1.0]), requires_grad=True)
    assert repr(w) == "tensor([1.], requires_grad=True)"
    assert isinstance(w, Variable) and isinstance(autodidact.ones(1), Variable)
    assert not issubclass(autodidact.Tensor, Variable)
    assert w.grad is None and w.is_leaf and w.grad_fn is None
    assert type(w.data) is autodidact.Tensor and not w.data.requires_grad
    assert repr(Variable(autodidact.tensor([1.0, 2.0]), requires_grad=True) * 2) == \
        "tensor([2., 4.], grad_fn=<MulBackward0>)"
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        Variable(t, volatile=True)
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        Variable([1.0])


def test_the_seeds_linear_model_runs_as_written():
    x_data, y_data = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    w = Variable(autodidact.Tensor([1.0]), requires_grad=True)

    def forward(x):
        return x * w

    def loss(x, y):
        y_pred = forward(x)
        return (y_pred - y) * (y_pred - y)

    grads = []
    for epoch in range(10):
        for x_val, y_val in zip(x_data, y_data):
            l = loss(x_val, y_val)
            l.backward()
            grad = w.grad.data[0]              # a 0-d tensor now, not a float
            assert grad.shape == ()
            grads.append(grad.item())
            w.data = w.data - 0.01 * w.grad.data
            w.grad.data.zero_()
    assert [round(g, 4) for g in grads[:3]] == [-2.0, -7.84, -16.2288]
    assert l.shape == (1,) and l.grad_fn.name() == "MulBackward0"
    assert l.item() == pytest.approx(0.03185431286692619, rel=1e-6)
    assert forward(4).data[0].item() == pytest.approx(7.804864, rel=1e-6)
    assert w.is_leaf and w.requires_grad


def test_data_and_detach_share_storage_but_only_detach_shares_the_version():
    x = leaf([1.0, 2.0])
    d, e = x.data, x.detach()
    for t in (d, e):
        assert not t.requires_grad and t.is_leaf and t.grad_fn is None and t is not x
        assert np.shares_memory(t.numpy(), x._data)
    assert x.data is not x.data
    d.add_(1)
    assert x.tolist() == [2.0, 3.0] and x._version == 0 and d._version == 1
    e.add_(1)
    assert x.tolist() == [3.0, 4.0] and x._version == 1 and e._version == 1


def test_data_hides_an_in_place_change_that_detach_reveals():
    a = leaf([1.0, 2.0])
    s = a.sigmoid()
    s.data.zero_()
    s.sum().backward()
    assert a.grad.tolist() == [0.0, 0.0]      # silently wrong, as in PyTorch: the pitfall
    b = leaf([1.0, 2.0])
    s = b.sigmoid()
    s.detach().zero_()
    with pytest.raises(RuntimeError, match="output 0 of Sigmoid, is at version 1; expected "
                                           "version 0 instead"):
        s.sum().backward()


def test_data_can_be_assigned_and_keeps_the_tensor_a_leaf():
    x = leaf([1.0, 2.0])
    x.data = autodidact.tensor([5.0, 6.0])
    assert x.tolist() == [5.0, 6.0] and x.requires_grad and x.is_leaf
    x.data = autodidact.zeros(3)               # the shape may change
    assert x.shape == (3,)
    y = x * 2
    assert y.data.grad_fn is None and y.data.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="data set to a tensor that requires gradients must "
                                           "be floating point or complex dtype"):
        x.data = autodidact.tensor([5, 6])


# ------------------------------------- exercises: swapped rules, orders

def test_swap_backward_plugs_a_rule_in_and_restores_it_on_exit():
    from autodidact.ops.elementwise import Tanh
    original = Tanh.__dict__["backward"]
    x = leaf([0.5, -1.0])
    with swap_backward("tanh", lambda ctx, grad: grad * 100) as function:
        assert function is Tanh
        autodidact.tanh(x).sum().backward()
    assert x.grad.tolist() == [100.0, 100.0]
    assert Tanh.__dict__["backward"] is original
    x.grad = None
    autodidact.tanh(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1 - np.tanh([0.5, -1.0]) ** 2, rtol=1e-6)


def test_swap_backward_restores_the_rule_when_the_block_raises():
    from autodidact.ops.elementwise import FloorDivide, Mul
    original = Mul.__dict__["backward"]
    with pytest.raises(ValueError):
        with swap_backward(Mul, lambda ctx, grad: (grad, grad)):
            raise ValueError("boom")
    assert Mul.__dict__["backward"] is original
    with swap_backward("floor_divide", lambda ctx, grad: (grad * 0, None)):
        assert "backward" in FloorDivide.__dict__
    assert "backward" not in FloorDivide.__dict__     # it had none of its own
    with swap_backward("log_softmax", lambda ctx, grad: grad):   # names as the functions spell them
        pass


def test_gradcheck_catches_a_wrong_rule_and_names_input_element_and_values():
    x = autodidact.tensor([0.5, -1.0], dtype=autodidact.float64, requires_grad=True)
    with swap_backward("tanh", lambda ctx, grad: grad * (1 + ctx.saved_tensors[0] ** 2)):
        with pytest.raises(autograd.GradcheckError,
                           match=r"Jacobian mismatch for input 0 at element \(0,\): backward "
                                 r"gives .*, finite differences give"):
            autograd.gradcheck(autodidact.tanh, (x,))
        assert not autograd.gradcheck(autodidact.tanh, (x,), raise_exception=False)
    assert autograd.gradcheck(autodidact.tanh, (x,))


def test_backward_with_a_given_order_uses_it_for_that_call_only():
    calls = []

    def order(root):
        calls.append(root)
        return graph.topological_order(root)

    x = leaf([1.0, 2.0])
    y = (x * 2).exp().sum()
    autograd.backward(y, order_fn=order)
    assert len(calls) == 1 and calls[0] is y.grad_fn
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([2.0, 4.0]), rtol=1e-6)
    (x * 2).exp().sum().backward()
    assert len(calls) == 1                                 # nothing outlived the call


def test_backward_with_a_wrong_order_fails_instead_of_losing_gradients():
    x = leaf([1.0, 2.0])
    y = (x * 2).exp().sum()
    with pytest.raises(RuntimeError, match="after backward had passed it"):
        autograd.backward(y, order_fn=lambda root: graph.topological_order(root)[::-1])


def test_a_missing_rule_fails_with_a_named_error_not_a_key_error():
    r = leaf([1.5, 2.5])
    q = r // 1
    assert q.requires_grad
    with pytest.raises(MissingBackwardError, match="autodidact has no backward for "
                                                   "'floor_divide'") as info:
        q.sum().backward()
    assert isinstance(info.value, NotImplementedError)
    assert not isinstance(info.value, KeyError)


def test_ops_save_only_what_backward_will_use(torch_oracle):
    """b * 2 needs b only for the gradient of 2, which no one wants: changing b
    in place afterwards is fine (PyTorch agrees), while b * w still refuses."""
    results = []
    for M in (autodidact, torch_oracle):
        x = M.ones(3, requires_grad=True)
        b = x * 1
        c = b * 2.0
        b.add_(1)
        c.sum().backward()
        results.append(x.grad.tolist())
        w = M.ones(3, requires_grad=True)
        b = x * 1
        d = b * w
        b.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            d.sum().backward()
    assert results[0] == results[1] == [2.0, 2.0, 2.0]
