"""The classic mistakes drawn: saved tensors and their versions, freed nodes, broadcasting
undone, where no gradient flows, .grad None on a non-leaf, nodes recorded by backward.

Each is checked on the data (viz.graph_data), on the DOT source and on the SVG that
both renderers (`dot` and `graphviz-pure`) make of it.
"""

import re
import warnings

import pytest

import autodidact
import viz
from viz.draw import STYLES
from viz.render import pipe

from test_viz_draw import attr, node_line
from test_viz_render import node_texts, renderer  # noqa: F401  (a fixture)


def by_id(data):
    return {n["id"]: n for n in data["nodes"]}


def modified_after_saving():
    """b is saved by c * b, then changed in place: backward will fail at that Mul."""
    a = autodidact.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 2
    c = b.exp()
    d = (c * b).sum()
    b.add_(1)
    return d, {"a": a, "b": b, "c": c}


def test_saved_tensors_with_their_versions_and_the_modified_one():
    d, names = modified_after_saving()
    data = viz.graph_data(d, params=names)
    [culprit] = [n for n in data["nodes"] if "saved_modified" in n["marks"]]
    assert culprit["op"] == "MulBackward0" and culprit["name"] is None
    saved = {item["name"]: item for item in culprit["saved"]}
    assert saved["b"]["what"] == "input 1" and saved["c"]["what"] == "input 0"
    assert (saved["b"]["saved_version"], saved["b"]["version"], saved["b"]["modified"]) == (0, 1, True)
    assert (saved["c"]["saved_version"], saved["c"]["version"], saved["c"]["modified"]) == (0, 0, False)
    [exp] = [n for n in data["nodes"] if n["op"] == "ExpBackward0"]
    assert exp["saved"] == [dict(what="its output", name="c", shape=[3], dtype="float32",
                                 saved_version=0, version=0, modified=False)]
    # Drawn only when asked: its own style, not the accumulated orange and red.
    plain = viz.draw_graph(d, params=names)
    assert "saved" not in plain.source and plain.drawn_nodes[culprit["id"]].kind == "op"
    g = viz.draw_graph(d, params=names, show_saved=True)
    assert g.drawn_nodes[culprit["id"]].kind == "saved_modified"
    lines = g.drawn_nodes[culprit["id"]].lines
    assert "saved b (input 1) (3,) v0, now v1!" in lines
    assert "modified in place after it was saved" in lines and "backward will fail here" in lines
    line = node_line(g, culprit["id"])
    assert attr(line, "fillcolor") not in (STYLES["accumulated"]["fillcolor"], STYLES["op"]["fillcolor"])
    assert attr(line, "color") != STYLES["accumulated"]["color"]
    with pytest.raises(RuntimeError, match=r"draw_graph\(output, show_saved=True\) shows"):
        d.backward()


def test_freed_nodes_after_backward_and_the_error_that_points_to_them():
    w = autodidact.tensor([1.0], requires_grad=True)
    loss = ((w * autodidact.tensor([1.0, 2.0])) ** 2).sum()
    data = viz.graph_data(loss)
    assert not any("freed" in n["marks"] for n in data["nodes"])
    assert [len(n["saved"]) for n in data["nodes"] if n["kind"] == "op"] == [0, 1, 1]
    loss.backward()
    g = viz.draw_graph(loss, show_saved=True, legend=True)
    ops = [n for n in g.data["nodes"] if n["kind"] == "op"]
    assert all("freed" in n["marks"] and n["saved"] == [] for n in ops)
    assert {g.drawn_nodes[n["id"]].kind for n in ops} == {"freed"}
    assert "a second backward() fails; pass retain_graph=True" in g.source.replace("<BR/>", " ")
    assert "dotted" in node_line(g, ops[0]["id"])
    assert "freed" not in viz.draw_graph(loss).source
    with pytest.raises(RuntimeError, match=r"viz.draw_graph\(output, show_saved=True\)"):
        loss.backward()


def test_retain_graph_keeps_them():
    w = autodidact.tensor([1.0], requires_grad=True)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    data = viz.graph_data(loss)
    assert not any("freed" in n["marks"] for n in data["nodes"])


def test_broadcasting_undone_on_the_edge():
    W = autodidact.ones(2, 3, requires_grad=True)
    b = autodidact.zeros(3, requires_grad=True)
    col = autodidact.zeros(2, 1, requires_grad=True)
    out = (W + b + col).sum()
    data = viz.graph_data(out, params={"W": W, "b": b, "col": col})
    nodes = by_id(data)
    found = {nodes[e["from"]]["name"]: e["broadcast"] for e in data["edges"] if e["broadcast"]}
    assert set(found) == {"b", "col"}
    assert found["b"]["axes"] == [0] and found["b"]["text"] == \
        "grad summed over axis 0\n(2, 3) -> (3,)"
    assert found["col"]["axes"] == [1] and found["col"]["input_shape"] == [2, 1]
    src = viz.draw_graph(out, params={"W": W, "b": b, "col": col}).source
    assert src.count("grad summed over axis") == 2
    # matmul changes shapes for another reason: no broadcast mark there.
    x = autodidact.ones(4, 2)
    assert not any(e["broadcast"] for e in viz.graph_data((x @ W).sum())["edges"])


def test_no_gradient_flows_from_constants_detached_or_no_grad_tensors():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    frozen = (w * 3).detach()
    with autodidact.no_grad():
        quiet = w * 2
    out = (w * frozen + quiet).sum()
    data = viz.graph_data(out, params={"w": w, "frozen": frozen, "quiet": quiet})
    nodes = by_id(data)
    dead = sorted(nodes[e["from"]]["name"] for e in data["edges"] if not e["gradient"])
    assert dead == ["frozen", "quiet"]
    g = viz.draw_graph(out, params={"w": w, "frozen": frozen, "quiet": quiet})
    dashed = [line for line in g.body if "->" in line and "dashed" in line]
    assert len(dashed) == 2


def test_a_named_non_leaf_says_why_its_grad_is_none():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    kept = h + 1
    kept.retain_grad()
    loss = kept.sum()
    names = {"w": w, "h": h, "kept": kept}
    before = viz.graph_data(loss, params=names)
    assert not any("grad_none" in n["marks"] for n in before["nodes"])   # no backward yet
    loss.backward()
    data = viz.graph_data(loss, params=names)
    marked = {n["name"] for n in data["nodes"] if "grad_none" in n["marks"]}
    assert marked == {"h"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert h.grad is None and kept.grad is not None
    lines = viz.draw_graph(loss, params=names).drawn_nodes
    [hn] = [n for n in data["nodes"] if n["name"] == "h"]
    assert "h.retain_grad() before backward() keeps it" in lines[hn["id"]].lines
    assert not any("retain_grad" in line
                   for line in viz.draw_graph(loss, params=names, show_grad=False)
                   .drawn_nodes[hn["id"]].lines)


def test_nodes_recorded_by_backward_under_create_graph():
    x = autodidact.tensor([1.5], requires_grad=True)
    y = (x ** 3).sum()
    (dx,) = autodidact.autograd.grad(y, x, create_graph=True)
    data = viz.graph_data(dx)
    ops = [n for n in data["nodes"] if n["kind"] == "op"]
    assert ops and all("recorded_by_backward" in n["marks"] for n in ops)
    assert not any("recorded_by_backward" in n["marks"]
                   for n in viz.graph_data(y)["nodes"])            # the forward graph is not
    g = viz.draw_graph(dx)
    assert {g.drawn_nodes[n["id"]].kind for n in ops} == {"recorded_by_backward"}
    # backward() too: the graph of x.grad
    z = (x ** 2).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")               # create_graph's reference-cycle warning
        z.backward(create_graph=True)
    grad_ops = [n for n in viz.graph_data(x.grad)["nodes"] if n["kind"] == "op"]
    assert grad_ops and all("recorded_by_backward" in n["marks"] for n in grad_ops)
    assert not any("recorded_by_backward" in n["marks"] for n in viz.graph_data(z)["nodes"])


def test_the_new_styles_are_light_with_black_text_and_named_in_the_legend():
    d, names = modified_after_saving()
    src = viz.draw_graph(d, params=names, show_saved=True, legend=True).source
    assert "saved tensor modified in place since" in src
    sizes = [float(s) for s in re.findall(r'(?:fontsize|POINT-SIZE)="?([\d.]+)', src)]
    assert min(sizes) >= 14


def test_the_mistakes_render_to_svg(renderer):  # noqa: F811
    d, names = modified_after_saving()
    g = viz.draw_graph(d, params=names, show_saved=True, legend=True)
    texts = node_texts(pipe(g.source, "svg", renderer).decode("utf-8"))
    assert len(texts) == len(g.drawn_nodes)
    assert any("modified in place after it was saved" in t and "now v1!" in t for t in texts)
    W = autodidact.ones(2, 3, requires_grad=True)
    b = autodidact.zeros(3, requires_grad=True)
    loss = (W + b).sum()
    loss.backward()
    g = viz.draw_graph(loss, params={"W": W, "b": b}, show_saved=True)
    svg = pipe(g.source, "svg", renderer).decode("utf-8")
    assert "grad summed over axis 0" in svg
    assert sum("saved tensors freed by backward()" in t for t in node_texts(svg)) == 2
