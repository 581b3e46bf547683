"""viz.draw_graph: the DOT it writes (nodes, edges, labels, marks, numbering), no renderer."""

import gc
import html
import re
import subprocess
import sys

import graphviz
import pytest
from hypothesis import given, strategies as st

import autodidact
from autodidact.graph import topological_order
from autodidact.scalar import Scalar

import viz
from viz import dot
from viz.draw import STYLES, draw_graph


def seed(passes=1):
    """The seed's model, ((w * x - y) ** 2).mean(), after `passes` backward calls."""
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor([1.0, 2.0, 3.0])
    y = autodidact.tensor([2.0, 4.0, 6.0])
    for _ in range(passes):
        loss = ((w * x - y) ** 2).mean()
        loss.backward()
    return loss, w


def node_line(g, node_id):
    """The DOT statement of one node."""
    [line] = [line for line in g.body if line.lstrip().startswith(f"{node_id} [")]
    return line


def attr(line, name):
    match = re.search(rf'\b{name}="?([^" \]]+)', line)
    return match and match.group(1)


def by_kind(g, kind):
    return [n for n in g.drawn_nodes.values() if n.kind == kind]


def test_returns_a_digraph_subclass_with_repr_hooks():
    loss, w = seed()
    g = draw_graph(loss, params={"w": w})
    assert isinstance(g, graphviz.Digraph)
    assert isinstance(g, viz.ComputationGraph)
    assert callable(g._repr_mimebundle_) and callable(g._repr_svg_)


def test_seed_graph_nodes_and_edges():
    loss, w = seed()
    g = draw_graph(loss, params={"w": w, "loss": loss})
    order = topological_order(loss.grad_fn)
    assert [n.name() for n in order] == ["MeanBackward0", "PowBackward0", "SubBackward0",
                                         "MulBackward0", "AccumulateGrad"]
    # One box per engine node (numbered in backward's order), the output, and two constants.
    ops = {n.lines[0]: n for n in by_kind(g, "op")}
    assert set(ops) == {"MeanBackward0", "PowBackward0", "SubBackward0", "MulBackward0"}
    assert [ops[name].order for name in ("MeanBackward0", "PowBackward0", "SubBackward0",
                                         "MulBackward0")] == [1, 2, 3, 4]
    [leaf] = by_kind(g, "param")
    assert leaf.order == 5 and leaf.lines == ["w", "(1,) float32", "data [1.]",
                                              "grad [-9.3333]"]
    [out] = by_kind(g, "output")
    assert out.lines == ["loss", "() float32", "data 4.6667"]
    assert len(by_kind(g, "constant")) == 2
    # Arrows follow the data: w -> Mul -> Sub -> Pow -> Mean -> loss.
    mul, sub, pow_, mean = (ops[n].id for n in ("MulBackward0", "SubBackward0", "PowBackward0",
                                                  "MeanBackward0"))
    for tail, head in [(leaf.id, mul), (mul, sub), (sub, pow_), (pow_, mean), (mean, out.id)]:
        assert (tail, head) in g.drawn_edges
        assert f"{tail} -> {head}" in g.source
    constants_into = sorted(head for tail, head in g.drawn_edges
                            if g.drawn_nodes[tail].kind == "constant")
    assert constants_into == sorted([mul, sub])


def test_labels_are_in_the_dot_source():
    loss, w = seed()
    src = draw_graph(loss, params={"w": w}).source
    for text in ("MulBackward0", "(1,) float32", "data [1.]", "grad [-9.3333]", "output",
                 "(3,)", "constant"):
        assert html.escape(text, quote=False) in src


def test_short_op_names():
    loss, w = seed()
    g = draw_graph(loss, short_ops=True)
    assert {n.lines[0] for n in by_kind(g, "op")} == {"Mean", "Pow", "Sub", "Mul"}
    assert "Backward0" not in g.source
    assert viz.draw.short_op_name("AccumulateGrad") == "AccumulateGrad"


def test_show_order_numbers_the_nodes_in_backward_order():
    loss, w = seed()
    plain = draw_graph(loss)
    assert "#1" not in plain.source
    g = draw_graph(loss, show_order=True)
    order = topological_order(loss.grad_fn)
    numbered = sorted((n.order, n.id) for n in g.drawn_nodes.values() if n.order)
    assert [number for number, _ in numbered] == list(range(1, len(order) + 1))
    for number, node_id in numbered:
        assert f"#{number}<" in node_line(g, node_id)
    assert draw_graph(loss, show_order=True, legend=True).source.count("#n: the order") == 1


def test_accumulated_mark_after_three_passes_and_not_after_one():
    one, w1 = seed(passes=1)
    three, w3 = seed(passes=3)
    assert (w1.grad_passes, w3.grad_passes) == (1, 3)
    g1 = draw_graph(one, params={"w": w1})
    g3 = draw_graph(three, params={"w": w3})
    [leaf1], [leaf3] = by_kind(g1, "param"), by_kind(g3, "accumulated")
    assert not by_kind(g1, "accumulated") and not by_kind(g3, "param")
    assert (leaf1.passes, leaf3.passes) == (1, 3) and leaf3.accumulated
    assert "grad accumulated over 3 passes" in g3.source
    assert "accumulated" not in g1.source
    assert "grad [-28.]" in leaf3.lines
    # More than the number differs: the box's fill, border colour and width.
    line1, line3 = node_line(g1, leaf1.id), node_line(g3, leaf3.id)
    for name in ("fillcolor", "color", "penwidth"):
        assert attr(line1, name) != attr(line3, name), name
    assert float(attr(line3, "penwidth")) >= 4


def test_zeroing_resets_the_mark():
    loss, w = seed(passes=3)
    w.grad.data.zero_()
    loss = ((w * autodidact.tensor([1.0, 2.0, 3.0]) - 2.0) ** 2).mean()
    loss.backward()
    g = draw_graph(loss, params={"w": w})
    assert not by_kind(g, "accumulated") and by_kind(g, "param")[0].passes == 1


def test_leaves_constants_ops_and_output_look_different():
    loss, w = seed()
    g = draw_graph(loss, params={"w": w})
    kinds = {kind: node_line(g, by_kind(g, kind)[0].id)
             for kind in ("param", "constant", "op", "output")}
    fills = {kind: attr(line, "fillcolor") for kind, line in kinds.items()}
    assert len(set(fills.values())) == 4, fills
    assert "dashed" in kinds["constant"] and "dashed" not in kinds["param"]


def test_a_leaf_that_does_not_require_grad_is_a_constant_and_has_no_grad_row():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    c = autodidact.tensor([3.0, 4.0])
    g = draw_graph(w + c, params={"w": w})
    assert not any("grad" in line for n in by_kind(g, "constant") for line in n.lines)
    assert by_kind(g, "param")[0].lines[-1] == "grad None"


def test_intermediates_show_data_while_alive():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    hidden = w * 3
    out = (hidden + 1).sum()
    g = draw_graph(out, params={"hidden": hidden})
    [mul] = [n for n in by_kind(g, "op") if n.lines[0] == "MulBackward0"]
    assert mul.lines == ["MulBackward0", "= hidden", "(2,) float32", "data [3., 6.]"]
    [add] = [n for n in by_kind(g, "op") if n.lines[0] == "AddBackward0"]
    assert not any(line.startswith("data") for line in add.lines)   # freed already
    del hidden
    gc.collect()
    [mul] = [n for n in by_kind(draw_graph(out), "op") if n.lines[0] == "MulBackward0"]
    assert mul.lines == ["MulBackward0", "(2,) float32"]


def test_graph_of_tensors_on_a_device(device):
    w = autodidact.tensor([1.0, 2.0], requires_grad=True, device=device)
    x = autodidact.tensor([3.0, 4.0], device=device)
    hidden = w * x
    loss = hidden.sum()
    loss.backward()
    g = draw_graph(loss, params={"w": w, "hidden": hidden, "loss": loss})
    assert by_kind(g, "param")[0].lines[2:] == ["data [1., 2.]", "grad [3., 4.]"]
    assert "data [3., 8.]" in [n for n in by_kind(g, "op") if n.lines[0] == "MulBackward0"][0].lines
    assert by_kind(g, "output")[0].lines[-1] == "data 11.0"


def test_show_data_and_show_grad_off():
    loss, w = seed()
    g = draw_graph(loss, params={"w": w}, show_data=False, show_grad=False)
    lines = [line for n in g.drawn_nodes.values() for line in n.lines]
    assert not any(line.startswith(("data", "grad")) for line in lines)


def test_a_constant_is_named_and_valued_while_it_is_alive():
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor([1.0, 2.0, 3.0])
    y_pred = w * x          # the node points at x weakly (and Mul saves it)
    g = draw_graph(y_pred, params={"x": x})
    [const] = by_kind(g, "constant")
    assert const.lines == ["x", "(3,) float32", "data [1., 2., 3.]"]
    y_pred.sum().backward()   # frees what Mul saved; the caller still holds x
    [const] = by_kind(draw_graph(y_pred, params={"x": x}), "constant")
    assert const.lines == ["x", "(3,) float32", "data [1., 2., 3.]"]
    del x                     # now nothing holds it: only the shape is left
    [const] = by_kind(draw_graph(y_pred), "constant")
    assert const.lines == ["constant", "(3,)"]
    assert not by_kind(draw_graph(y_pred, show_constants=False), "constant")


def test_matrix_values_keep_their_rows_aligned():
    a = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    g = draw_graph(a.sum(), params={"a": a})
    [leaf] = by_kind(g, "param")
    assert "data [[1., 2.],\n      [3., 4.]]" in leaf.lines
    assert 'BALIGN="LEFT"' in node_line(g, leaf.id)


def test_big_values_are_summarised():
    w = autodidact.zeros(1000, requires_grad=True)
    g = draw_graph(w.sum(), params={"w": w})
    data = by_kind(g, "param")[0].lines[2]
    assert "..." in data and len(data) < 60


def test_params_as_pairs_a_generator_or_a_module():
    w = autodidact.tensor([1.0], requires_grad=True)
    out = (w * 2).sum()

    class Module:
        def named_parameters(self):
            yield "layer.w", w

    for params in ([("layer.w", w)], iter([("layer.w", w)]), Module(), {"layer.w": w}):
        assert by_kind(draw_graph(out, params=params), "param")[0].lines[0] == "layer.w"
    with pytest.raises(TypeError, match="params must map names to tensors"):
        draw_graph(out, params=[w])


def test_parameters_with_a_common_prefix_share_a_cluster():
    W1 = autodidact.randn(3, 2, requires_grad=True)
    b1 = autodidact.zeros(3, requires_grad=True)
    W2 = autodidact.randn(1, 3, requires_grad=True)
    x = autodidact.randn(4, 2)
    out = ((x @ W1.T + b1).relu() @ W2.T).sum()
    g = draw_graph(out, params={"layer1.weight": W1, "layer1.bias": b1, "head.weight": W2})
    members = {n.lines[0]: n.cluster for n in by_kind(g, "param")}
    assert members == {"layer1.weight": "layer1", "layer1.bias": "layer1", "head.weight": None}
    assert g.source.count("subgraph cluster_") == 1
    cluster = g.source[g.source.index("subgraph cluster_"):]
    cluster = cluster[:cluster.index("}")]
    assert ">layer1<" in cluster
    for n in by_kind(g, "param"):
        assert (f"{n.id} [" in cluster) == (n.cluster == "layer1")


def test_past_max_nodes_the_middle_collapses_into_one_box():
    t = autodidact.tensor([1.0], requires_grad=True)
    y = t
    for _ in range(50):
        y = y * 1.01
    order = topological_order(y.grad_fn)
    assert len(order) == 51
    g = draw_graph(y, max_nodes=10)
    [box] = by_kind(g, "omitted")
    assert box.lines[0] == f"... {51 - 10} nodes left out ..."
    assert len([n for n in g.drawn_nodes.values() if n.order]) == 10
    assert ("n5", "omitted") not in g.drawn_edges   # arrows run input -> output
    assert ("omitted", "n5") in g.drawn_edges and ("n47", "omitted") in g.drawn_edges
    assert by_kind(g, "param")        # the input end is kept, and the output end
    assert by_kind(g, "output")
    assert not by_kind(draw_graph(y, max_nodes=None), "omitted")
    assert not by_kind(draw_graph(y, max_nodes=51), "omitted")


def test_scalar_graph():
    x = Scalar(2.0, label="x")
    w = Scalar(-3.0, label="w")
    o = (x * w + 1).tanh()
    o.backward()
    g = draw_graph(o, show_order=True)
    names = {n.lines[1]: n for n in by_kind(g, "param")}     # lines[0] is the "#n" tag
    assert set(names) == {"x", "w"}
    assert names["x"].lines[2:] == ["data 2.0", f"grad {viz.draw.format_value(x.grad)}"]
    assert {n.lines[0] for n in by_kind(g, "scalar_op")} == {"*", "+", "tanh"}
    assert len(by_kind(g, "constant")) == 1       # the 1 in `+ 1`
    assert by_kind(g, "output")[0].order == 1
    assert len(by_kind(g, "value")) == 2
    [tanh] = [n for n in by_kind(g, "scalar_op") if n.lines[0] == "tanh"]
    assert (tanh.id, by_kind(g, "output")[0].id) in g.drawn_edges


def test_scalar_graph_with_params_clusters_and_cap():
    a, b = Scalar(1.0), Scalar(2.0)
    s = a
    for _ in range(30):
        s = s * b
    g = draw_graph(s, params={"p.a": a, "p.b": b}, max_nodes=8)
    assert by_kind(g, "omitted")
    assert g.source.count("subgraph cluster_") == 1


def test_a_leaf_or_constant_output_is_one_box():
    w = autodidact.tensor([1.0], requires_grad=True)
    g = draw_graph(w, params={"w": w})
    assert [n.kind for n in g.drawn_nodes.values()] == ["output"] and not g.drawn_edges
    assert draw_graph(autodidact.ones(2)).drawn_nodes["n0"].lines[0] == "output"


def test_bad_arguments():
    loss, _ = seed()
    with pytest.raises(TypeError, match="Tensor or a Scalar"):
        draw_graph([1.0, 2.0])
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(loss, rankdir="up")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(loss, max_nodes=1)
    assert 'rankdir=LR' in draw_graph(loss, rankdir="LR").source


def test_fonts_are_large_enough_to_project():
    loss, w = seed(passes=3)
    src = draw_graph(loss, params={"w": w}, show_order=True, legend=True, title="t").source
    sizes = [float(s) for s in re.findall(r'(?:fontsize|POINT-SIZE)="?([\d.]+)', src)]
    assert sizes and min(sizes) >= 14


def test_title_and_legend():
    loss, w = seed(passes=3)
    g = draw_graph(loss, params={"w": w}, title='after 3 passes <"&>', legend=True)
    assert "after 3 passes &lt;&quot;&amp;&gt;" in g.source
    assert "leaf that requires grad" not in g.source            # no such box here
    assert ".grad summed over several backward() calls" in g.source


HOSTILE = ['a<b>&c "d" {e} |f| \\g', "line1\nline2", "]; digraph {", "</TD></TR>",
           "&amp; &#38;", "\\N\\G\\L", "x -> y", 'q"', "\\"]


def test_hostile_names_never_break_the_dot_source():
    tensors = [autodidact.tensor([float(i)], requires_grad=True) for i in range(len(HOSTILE))]
    out = tensors[0]
    for t in tensors[1:]:
        out = out + t
    g = draw_graph(out, params=dict(zip(HOSTILE, tensors)), title=HOSTILE[0])
    names = {n.lines[0] for n in by_kind(g, "param")}
    assert names == set(HOSTILE)
    # Every label is one HTML-like <...> with nothing raw inside.
    for line in g.body:
        if "label=" in line:
            label = re.search(r"label=<(.*)>", line).group(1)
            inner = re.sub(r"</?[A-Z]+[^<>]*>", "", label)   # viz's own tags
            assert "<" not in inner and ">" not in inner and '"' not in inner, line


@given(st.text())
def test_text_escaping_round_trips(value):
    escaped = dot.text(value, wrap=None)
    assert re.sub(r"<BR/>", "", escaped).count("<") == 0
    assert ">" not in escaped.replace("<BR/>", "") and '"' not in escaped
    back = html.unescape(escaped.replace("<BR/>", "\n")).replace("\\\\", "\\")
    assert back == dot.clean(value)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", back)


def test_clean_makes_forbidden_characters_visible():
    assert dot.clean("bell\x07\r\nnext\ttab") == "bell\\x07\nnext    tab"


def test_jupyter_repr_without_a_renderer_explains(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    loss, _ = seed()
    bundle = draw_graph(loss)._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "pip install graphviz-pure" in bundle["text/plain"]


def test_the_library_never_imports_viz_and_viz_loads_matplotlib_lazily():
    code = ("import sys, autodidact, autodidact.cli; assert 'viz' not in sys.modules; "
            "import viz; assert 'matplotlib' not in sys.modules, 'matplotlib loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_styles_use_black_text_on_light_fills():
    # High contrast for projectors: every fill is light (text is black).
    for kind, style in STYLES.items():
        fill = style["fillcolor"].lstrip("#")
        r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
        assert 0.299 * r + 0.587 * g + 0.114 * b > 170, kind
