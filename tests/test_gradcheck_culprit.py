"""autograd.gradcheck_ops names the op whose backward is wrong; viz.draw_gradcheck draws it.

Three wrong rules, of the kinds students write, are swapped into the real engine with
swap_backward; each time the check must blame that op and no other.
"""

import numpy as np
import pytest

import autodidact
import viz
from autodidact.autograd import GradcheckError, OpMismatch, gradcheck, gradcheck_ops
from autodidact.function import swap_backward
from viz.render import pipe

from test_viz_render import node_texts, renderer  # noqa: F401  (a fixture)

F64 = autodidact.float64


def neuron():
    """((tanh(x @ w + b) * s) ** 2).mean(): matmul, add, tanh, mul, pow and mean."""
    x = autodidact.tensor([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8]], dtype=F64)
    w = autodidact.tensor([[0.2], [-0.4]], dtype=F64, requires_grad=True)
    b = autodidact.tensor([0.1], dtype=F64, requires_grad=True)
    s = autodidact.tensor([1.5], dtype=F64, requires_grad=True)
    return (lambda w, b, s: (((x @ w + b).tanh() * s) ** 2).mean()), (w, b, s)


def tanh_plus(ctx, grad):                 # 1 + tanh**2 instead of 1 - tanh**2
    (out,) = ctx.saved_tensors
    return grad * (1 + out ** 2)


def mul_without_grad(ctx, grad):          # the local derivative, not times the incoming grad
    a, b = ctx.saved_tensors
    need_a, need_b = ctx.needs_input_grad
    return (b.expand_as(grad) if need_a else None), (a.expand_as(grad) if need_b else None)


def pow_exponent_kept(ctx, grad):         # n * a**n, the exponent not lowered by one
    (a,) = ctx.saved_tensors
    return grad * ctx.exponent * a ** ctx.exponent


WRONG = [("tanh", tanh_plus, "TanhBackward0", 0),
         ("mul", mul_without_grad, "MulBackward0", 0),
         ("pow", pow_exponent_kept, "PowBackward0", 0)]


def test_every_op_of_the_right_rules_agrees():
    fn, inputs = neuron()
    assert gradcheck(fn, inputs)
    assert gradcheck_ops(fn, inputs) is None


@pytest.mark.parametrize("op, rule, name, index", WRONG, ids=[w[0] for w in WRONG])
def test_the_wrong_rule_is_named(op, rule, name, index):
    fn, inputs = neuron()
    with swap_backward(op, rule):
        with pytest.raises(GradcheckError, match="gradcheck_ops"):
            gradcheck(fn, inputs)                   # the whole: wrong, but where?
        wrong = gradcheck_ops(fn, inputs)
    assert isinstance(wrong, OpMismatch)
    assert (wrong.op, wrong.input) == (name, index) and wrong.node.name() == name
    assert wrong.analytic.shape == wrong.numeric.shape
    assert not np.isclose(wrong.analytic[wrong.element], wrong.numeric[wrong.element])
    assert name in str(wrong) and "finite differences give" in str(wrong)
    assert gradcheck_ops(fn, inputs) is None        # the engine is itself again


def test_the_numeric_side_is_the_true_derivative():
    fn, inputs = neuron()
    with swap_backward("tanh", tanh_plus):
        wrong = gradcheck_ops(fn, inputs)
    # Both are v * (1 -/+ tanh(a)**2) for the same random v: their ratio is v-free.
    (t,) = [entry[1] for entry in wrong.node._saved]
    t = np.asarray(t)
    np.testing.assert_allclose(wrong.analytic / wrong.numeric, (1 + t ** 2) / (1 - t ** 2),
                               rtol=1e-5)


def test_only_float64_and_one_tensor():
    x = autodidact.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="float64"):
        gradcheck_ops(lambda x: x.sum(), (x,))
    x = x.double().detach().requires_grad_()
    with pytest.raises(TypeError, match="one Tensor"):
        gradcheck_ops(lambda x: (x, x), (x,))
    assert gradcheck_ops(lambda x: x, (x,)) is None


@pytest.mark.parametrize("op, rule, name, index", WRONG, ids=[w[0] for w in WRONG])
def test_the_culprit_is_drawn_with_both_gradients(op, rule, name, index):
    fn, (w, b, s) = neuron()
    with swap_backward(op, rule):
        wrong = gradcheck_ops(fn, (w, b, s))
    g = viz.draw_gradcheck(wrong, params={"w": w, "b": b, "s": s}, legend=True)
    [culprit] = [n for n in g.data["nodes"] if "gradcheck_failed" in n["marks"]]
    assert culprit["op"] == name
    assert [n["id"] for n in g.data["nodes"] if n["kind"] == "op"
            and g.drawn_nodes[n["id"]].kind == "gradcheck_failed"] == [culprit["id"]]
    [compare] = [line for line in culprit["lines"] if line["role"] == "compare"]
    assert compare["left"].startswith("backward gives\n")
    assert compare["right"].startswith("finite differences\n")
    assert viz.draw.format_value(wrong.numeric) in compare["right"]
    assert f"{name}: its backward disagrees with finite differences" in g.source
    assert "backward disagrees with finite differences" in g.source    # the legend
    with pytest.raises(ValueError, match="nothing to point at"):
        viz.draw_gradcheck(None)


def test_the_culprit_renders(renderer):  # noqa: F811
    fn, (w, b, s) = neuron()
    with swap_backward("tanh", tanh_plus):
        wrong = gradcheck_ops(fn, (w, b, s))
    g = viz.draw_gradcheck(wrong, params={"w": w, "b": b, "s": s})
    texts = node_texts(pipe(g.source, "svg", renderer).decode("utf-8"))
    assert len(texts) == len(g.drawn_nodes)
    [box] = [t for t in texts if "TanhBackward0" in t]
    assert "backward gives" in box and "finite differences" in box


def test_on_a_device(device):
    x = autodidact.tensor([0.3, -0.7], dtype=F64, requires_grad=True, device=device)
    fn = lambda x: (x * 2).tanh().sum()   # noqa: E731
    assert gradcheck_ops(fn, (x,)) is None
    with swap_backward("tanh", tanh_plus):
        wrong = gradcheck_ops(fn, (x,))
    assert wrong.op == "TanhBackward0" and isinstance(wrong.numeric, np.ndarray)
