"""The graphs nn records, node by node against PyTorch's: ``grad_fn`` names, the order of
``next_functions``, ``None`` edges, output numbers, and which leaf each AccumulateGrad feeds.

Tutorials print and walk ``loss.grad_fn.next_functions``; a Linear layer must read as
``AddmmBackward0(bias, input, TBackward0(weight))`` there too, and cross_entropy as
``NllLossBackward0`` over ``LogSoftmaxBackward0``.
"""

import numpy as np
import pytest

import autodidact as ad


def structure(node, leaves):
    """A nested description of the graph below ``node``: (name, [(output_nr, child)...]);
    an AccumulateGrad is described by the name its leaf has in ``leaves``."""
    if node is None:
        return None
    if type(node).__name__ == "AccumulateGrad":
        return ("AccumulateGrad", leaves[id(node.variable)])
    return (type(node).__name__,
            [(nr, structure(child, leaves)) for child, nr in node.next_functions])


def same_graph(build, torch):
    """Run ``build(lib)`` -> (output, {name: leaf}) in both frameworks; compare the graphs."""
    ours, our_leaves = build(ad)
    theirs, their_leaves = build(torch)
    ours_desc = structure(ours.grad_fn, {id(v): k for k, v in our_leaves.items()})
    theirs_desc = structure(theirs.grad_fn, {id(v): k for k, v in their_leaves.items()})
    assert ours_desc == theirs_desc
    return ours_desc


def linear_case(shape, bias, input_grad, contiguous=True):
    def build(lib):
        lib.manual_seed(0)
        layer = lib.nn.Linear(3, 2, bias=bias)
        x = lib.ones(*shape)
        if not contiguous:
            x = x.transpose(0, 1)
        x.requires_grad_(input_grad)
        leaves = {"weight": layer.weight, "x": x}
        if bias:
            leaves["bias"] = layer.bias
        return layer(x), leaves
    return build


# Without a bias, F.linear is matmul(x, weight.t()): for inputs that are not 2-D its graph is
# matmul's (PyTorch's view-shaped chain), checked with matmul, not here.
LINEAR_CASES = [(shape, True) for shape in [(3,), (4, 3), (2, 4, 3), (2, 2, 4, 3)]] + [((4, 3), False)]


@pytest.mark.parametrize("shape, bias", LINEAR_CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("input_grad", [False, True], ids=["x", "x-requires-grad"])
def test_linear_records_pytorchs_graph(torch_oracle, shape, bias, input_grad):
    graph = same_graph(linear_case(shape, bias, input_grad), torch_oracle)
    if bias and len(shape) == 2:
        assert graph[0] == "AddmmBackward0" and graph[1][2][1][0] == "TBackward0"


def test_linear_on_a_non_contiguous_input_records_pytorchs_graph(torch_oracle):
    build = linear_case((4, 2, 3), True, True, contiguous=False)
    ours, _ = build(ad)
    theirs, _ = build(torch_oracle)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__ == "AddBackward0"


@pytest.mark.parametrize("case", ["plain", "none", "sum", "weight", "ignore", "single"])
def test_cross_entropy_records_nll_loss_over_log_softmax(torch_oracle, case):
    def build(lib):
        z = lib.tensor(np.linspace(-2, 2, 20).reshape(4, 5).astype(np.float32),
                       requires_grad=True)
        target = lib.tensor([1, 0, 4, 2])
        kwargs = {"none": dict(reduction="none"), "sum": dict(reduction="sum"),
                  "weight": dict(weight=lib.linspace(0.5, 2, 5)),
                  "ignore": dict(ignore_index=4)}.get(case, {})
        if case == "single":   # one sample: (C,) logits, a 0-d target
            z = z[0].detach().requires_grad_()
            return lib.nn.functional.cross_entropy(z, target[0]), {"z": z}
        return lib.nn.functional.cross_entropy(z, target, **kwargs), {"z": z}
    graph = same_graph(build, torch_oracle)
    assert graph == ("NllLossBackward0", [(0, ("LogSoftmaxBackward0",
                                               [(0, ("AccumulateGrad", "z"))]))])


@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 5, 3, 2), (2, 5, 2, 1, 3)], ids=str)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cross_entropy_over_more_axes_records_nll_loss_2d(torch_oracle, shape, reduction):
    def build(lib):
        z = lib.tensor(np.linspace(-2, 2, int(np.prod(shape))).reshape(shape).astype(np.float32),
                       requires_grad=True)
        target = lib.tensor(np.arange(np.prod(shape) // 5).reshape((2,) + shape[2:]) % 5)
        return lib.nn.functional.cross_entropy(z, target, reduction=reduction), {"z": z}
    same_graph(build, torch_oracle)


def test_a_two_layer_network_and_its_loss_record_pytorchs_graph(torch_oracle):
    def build(lib):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
        x = lib.ones(5, 3)
        loss = lib.nn.functional.cross_entropy(model(x), lib.tensor([0, 1, 1, 0, 1]))
        return loss, dict(model.named_parameters())
    graph = same_graph(build, torch_oracle)
    # The path a tutorial walks: loss -> log_softmax -> the last layer's addmm -> its bias.
    addmm = graph[1][0][1][1][0][1]
    assert addmm[0] == "AddmmBackward0" and addmm[1][0][1] == ("AccumulateGrad", "2.bias")


@pytest.mark.parametrize("build_name", ["batch_norm", "layer_norm", "embedding", "dropout",
                                        "bce_logits", "mse", "gelu"])
def test_other_layers_and_losses_record_pytorchs_nodes(torch_oracle, build_name):
    def build(lib):
        lib.manual_seed(0)
        x = lib.tensor(np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32),
                       requires_grad=True)
        F_ = lib.nn.functional
        if build_name == "batch_norm":
            bn = lib.nn.BatchNorm1d(3)
            return bn(x), {"x": x, "w": bn.weight, "b": bn.bias}
        if build_name == "layer_norm":
            ln = lib.nn.LayerNorm(3)
            return ln(x), {"x": x, "w": ln.weight, "b": ln.bias}
        if build_name == "embedding":
            emb = lib.nn.Embedding(5, 2, padding_idx=0)
            return emb(lib.tensor([[0, 3], [4, 4]])), {"w": emb.weight}
        if build_name == "dropout":
            return F_.dropout(x, 0.5), {"x": x}
        if build_name == "bce_logits":
            return F_.binary_cross_entropy_with_logits(x, lib.ones(4, 3)), {"x": x}
        if build_name == "mse":
            return F_.mse_loss(x, lib.zeros(4, 3)), {"x": x}
        return F_.gelu(x), {"x": x}
    same_graph(build, torch_oracle)
