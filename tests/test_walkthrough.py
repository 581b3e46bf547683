"""viz.walkthrough without a browser: the steps, the page, and that looking changes nothing.

The browser tests (test_walkthrough_browser.py) check what a student sees;
these check what the page is made of, on the same graphs.
"""

import re

import numpy as np
import pytest

import autodidact
import viz
from autodidact import graph
from autodidact.function import _FREED_MESSAGE
from viz.record import Recorder

import walk_examples


def _real_backward(output):
    """The nodes the engine reaches, in its order; the leaves' .grad is then the real one."""
    recorder = Recorder()
    with graph.observe(recorder):
        if isinstance(output, autodidact.Tensor):
            output.backward(retain_graph=True)
        else:
            output.backward()
    return [s.node for s in recorder.steps]


@pytest.mark.parametrize("example", ["seed_model", "scalar_neuron", "mlp_with_broadcast_bias",
                                     "used_twice"])
def test_one_step_per_node_in_the_engines_order_and_grads_left_alone(example):
    output, params, leaves = getattr(walk_examples, example)()
    page = viz.walkthrough(output, params=params)
    assert all(leaf.grad is None or leaf.grad == 0.0 for leaf in leaves.values())   # restored
    order = graph.topological_order(output if example == "scalar_neuron" else output.grad_fn)
    prefix = "s" if example == "scalar_neuron" else "n"
    expected = [f"{prefix}{order.index(node) + 1}" for node in _real_backward(output)]
    assert [step["id"] for step in page.steps] == expected
    # The last leaf step of each leaf shows what backward really put in .grad.
    for leaf in leaves.values():
        grad = leaf.grad if example == "scalar_neuron" else leaf.grad.numpy()
        shown = [s["leaf"]["after"]["text"] for s in page.steps
                 if s["leaf"] and s["id"] == f"{prefix}{_leaf_number(order, leaf)}"]
        assert shown and np.allclose(_numbers(shown[-1]), np.ravel(grad), atol=1e-4)


def _leaf_number(order, leaf):
    for i, node in enumerate(order):
        if node is leaf or getattr(node, "variable", None) is leaf:
            return i + 1
    raise AssertionError("leaf not in graph")


def _numbers(text):
    return np.array([float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", text)])


def test_the_page_is_self_contained_and_small():
    output, params, _ = walk_examples.seed_model()
    page = viz.walkthrough(output, params=params).html
    assert len(page.encode("utf-8")) < 1_000_000
    assert "<svg" in page and "walk-data" in page
    # No address but the SVG namespaces: nothing to fetch.
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)


def test_broadcast_bias_says_which_axis_was_summed():
    output, params, _ = walk_examples.mlp_with_broadcast_bias()
    steps = viz.walkthrough(output, params=params).steps
    texts = [r["text"] for s in steps for r in s["reduced"]]
    assert "summed over axis 0: (4, 3) → (3,)" in texts
    assert "summed over axis 0: (4, 1) → (1,)" in texts


def test_a_value_used_twice_shows_two_contributions():
    output, params, _ = walk_examples.used_twice()
    steps = viz.walkthrough(output, params=params).steps
    mul = next(s for s in steps if s["title"].startswith("MulBackward0") and
               len(s["contributions"]) == 2)
    summed = sum(_numbers(c["value"]["text"]) for c in mul["contributions"])
    np.testing.assert_allclose(summed, _numbers(mul["grad"]["text"]), atol=2e-4)


def test_three_passes_show_accumulation_then_restore_grad_and_pass_count():
    output, params, leaves = walk_examples.seed_model()
    w = leaves["w"]
    output.backward(retain_graph=True)
    grad_object, before = w.grad, w.grad.clone()
    page = viz.walkthrough(output, params=params, passes=3)
    assert w.grad is grad_object and w.grad_passes == 1
    np.testing.assert_array_equal(w.grad.numpy(), before.numpy())
    leaf_steps = [s for s in page.steps if s["leaf"]]
    assert [s["pass"] for s in leaf_steps] == [1, 2, 3]
    afters = [_numbers(s["leaf"]["after"]["text"])[0] for s in leaf_steps]
    np.testing.assert_allclose(afters, [-18.6667, -28.0, -37.3333], atol=1e-3)
    assert "3 passes" in page.title


def test_a_freed_graph_raises_the_engines_message_and_changes_nothing():
    output, params, leaves = walk_examples.seed_model()
    w = leaves["w"]
    output.backward()
    grad = w.grad.clone()
    with pytest.raises(RuntimeError) as error:
        viz.walkthrough(output, params=params)
    assert str(error.value) == _FREED_MESSAGE
    np.testing.assert_array_equal(w.grad.numpy(), grad.numpy())
    assert w.grad_passes == 1


def test_a_graph_over_the_drawing_cap_steps_through_the_drawn_part():
    x = autodidact.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(150):
        y = (y * 0.999).tanh()
    steps = viz.walkthrough(y.sum(), max_nodes=20).steps
    left_out = [s for s in steps if s["id"] == "omitted"]
    assert len(left_out) == 1 and left_out[0]["count"] == 302 - 20
    assert "282 nodes" in left_out[0]["words"]
    assert len(steps) == 21
    assert steps[-1]["leaf"] is not None


def test_jupyter_shows_it_inline_in_an_isolated_frame():
    output, params, _ = walk_examples.seed_model()
    page = viz.walkthrough(output, params=params)
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "&lt;svg" in shown
    assert "<script" not in shown   # the page's script is inside the frame, escaped


def test_bad_arguments_say_what_to_pass():
    output, params, _ = walk_examples.seed_model()
    with pytest.raises(ValueError, match="passes must be a whole number of at least 1"):
        viz.walkthrough(output, passes=0)
    with pytest.raises(TypeError, match="from a Tensor or a Scalar, not a list"):
        viz.walkthrough([output])
    with pytest.raises(RuntimeError, match="does not require grad"):
        viz.walkthrough(autodidact.ones(2).sum())


@pytest.mark.parametrize("example", ["seed_model"])
def test_a_walkthrough_on_the_gpu_shows_the_same_numbers(device, example):
    output, params, leaves = walk_examples.seed_model(device)
    w = leaves["w"]
    page = viz.walkthrough(output, params=params, passes=2)
    assert w.grad is None and w.device.type == device
    cpu = viz.walkthrough(*walk_examples.seed_model()[:2], passes=2)
    assert page.steps == cpu.steps
