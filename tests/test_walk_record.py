"""The engine's observer and viz's Recorder: what is recorded is what the engine did.

On random graphs (reused values, broadcasting, reductions) the recorded
contributions at each node sum to the gradient the engine passed on, the
steps come in the engine's order, and the last recorded ``.grad`` of each
leaf is its real ``.grad``. Also: Scalars, autograd.grad, retain_graph
and several passes, hooks, and that observing stops with its block.
"""

import random
import threading

import numpy as np
import pytest

import autodidact
from autodidact import graph
from autodidact.scalar import Scalar
from viz.record import Recorder


def _recorded(output, **kwargs):
    recorder = Recorder()
    with graph.observe(recorder):
        output.backward(**kwargs)
    return recorder


def _random_graph(seed):
    """A small random network of ops on leaves of shapes (3,), (4, 3), (1,): values reused."""
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    leaves = [autodidact.tensor(gen.standard_normal(shape), requires_grad=True)
              for shape in [(3,), (4, 3), (1,), (4, 3)]]
    values = list(leaves)
    for _ in range(rng.randint(3, 12)):
        a, b = rng.choice(values), rng.choice(values)
        op = rng.choice(["add", "mul", "sub", "tanh", "exp_small", "sum0", "square"])
        if op == "add":
            out = a + b
        elif op == "mul":
            out = a * b
        elif op == "sub":
            out = a - b
        elif op == "tanh":
            out = a.tanh()
        elif op == "exp_small":
            out = (a * 0.1).exp()
        elif op == "sum0":
            out = a.sum(0, keepdim=True) if a.dim() > 1 else a * 2
        else:
            out = a ** 2
        values.append(out)
    total = values[-1].sum()
    for v in values[-4:-1]:
        total = total + v.sum()   # more than one path into the late values
    return leaves, total


def _assert_sums_match(recorder):
    for step in recorder.steps:
        if not step.contributions or step.hooked:
            continue
        summed = sum(value for _, value in step.contributions)
        np.testing.assert_allclose(summed, step.grad, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_recorded_contributions_sum_to_what_the_engine_passed_on(seed):
    leaves, total = _random_graph(seed)
    recorder = _recorded(total)
    order = [n for n in graph.topological_order(total.grad_fn)]
    reached = [step.node for step in recorder.steps]
    assert reached == [n for n in order if n in set(reached)]   # the engine's order
    assert recorder.steps[0].node is total.grad_fn and recorder.steps[0].contributions == []
    _assert_sums_match(recorder)
    # Each contribution arrived from a step that sent exactly that value.
    for step in recorder.steps:
        for sender, value in step.contributions:
            sent = [v for s in recorder.steps if s.node is sender
                    for child, v in s.sent if child is step.node]
            assert any(np.array_equal(v, value) for v in sent)
    for leaf in leaves:
        steps = [s for s in recorder.steps if getattr(s.node, "variable", None) is leaf]
        if leaf.grad is None:
            assert steps == []
        else:
            assert len(steps) == 1 and steps[0].grad_before is None
            np.testing.assert_array_equal(steps[0].grad_after, leaf.grad.numpy())


def test_broadcasting_undone_is_recorded_before_and_after():
    x = autodidact.ones(4, 3)
    b = autodidact.tensor([1.0, 2.0, 3.0], requires_grad=True)
    recorder = _recorded((x + b).sum())
    add = next(s for s in recorder.steps if s.node.name() == "AddBackward0")
    broadcast, summed = add.reduced[1]
    assert broadcast.shape == (4, 3) and summed.shape == (3,)
    np.testing.assert_array_equal(summed, [4.0, 4.0, 4.0])
    assert 0 not in add.reduced   # x needs no gradient, and had the output's shape anyway


def test_two_passes_with_retain_graph_accumulate_and_are_numbered():
    w = autodidact.tensor([2.0, -1.0], requires_grad=True)
    loss = (w * w).sum()
    recorder = Recorder()
    with graph.observe(recorder):
        loss.backward(retain_graph=True)
        recorder.next_pass()
        loss.backward()
    leaf_steps = [s for s in recorder.steps if s.accumulates]
    assert [s.pass_number for s in leaf_steps] == [1, 2]
    np.testing.assert_array_equal(leaf_steps[1].grad_before, leaf_steps[0].grad_after)
    np.testing.assert_array_equal(leaf_steps[1].grad_after, w.grad.numpy())
    np.testing.assert_array_equal(w.grad.numpy(), [8.0, -4.0])
    assert recorder.steps[2].accumulates
    assert len(recorder.steps[2].contributions) == 2   # w used twice: two pieces summed


def test_scalar_graph_records_every_grad():
    x = Scalar(3.0, label="x")
    y = x * x + x
    recorder = _recorded(y)
    assert [s.node for s in recorder.steps][0] is y
    leaf = next(s for s in recorder.steps if s.node is x)
    assert leaf.grad_before == 0.0 and leaf.grad_after == x.grad == 7.0
    assert len(leaf.contributions) == 3   # x * x sends two pieces, + x one
    _assert_sums_match(recorder)


def test_autograd_grad_is_recorded_and_leaves_grad_untouched():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    recorder = Recorder()
    with graph.observe(recorder):
        (g,) = autodidact.autograd.grad((w * 3).sum(), [w])
    assert w.grad is None
    assert [s.node.name() for s in recorder.steps] == ["SumBackward0", "MulBackward0",
                                                       "AccumulateGrad"]
    np.testing.assert_array_equal(recorder.steps[-1].grad, g.numpy())
    assert recorder.steps[-1].grad_after is None   # .grad is never written by grad()


def test_a_hook_that_replaces_the_gradient_is_recorded():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    h.register_hook(lambda g: g * 10)
    recorder = _recorded(h.sum())
    step = next(s for s in recorder.steps if s.node is h.grad_fn)
    assert step.hooked
    np.testing.assert_array_equal(step.grad, [10.0, 10.0])
    np.testing.assert_array_equal(w.grad.numpy(), [20.0, 20.0])


def test_observing_ends_with_its_block_even_on_error():
    w = autodidact.tensor([1.0], requires_grad=True)
    loss = (w * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        with graph.observe(Recorder()):
            loss.backward()
    assert graph._observing.current is None


def test_an_observer_sees_only_its_own_thread():
    recorder = Recorder()
    w = autodidact.tensor([1.0], requires_grad=True)
    with graph.observe(recorder):
        other = threading.Thread(target=lambda: (w * 2).sum().backward())
        other.start()
        other.join()
    assert recorder.steps == [] and w.grad.item() == 2.0
