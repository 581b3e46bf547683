"""viz.graph_data: the graph as plain data, the drawing built from it, the golden files.

The lessons' golden graphs are checked in test_lessons.py, on the data the
lessons write while that file runs them; refresh all with
``python tests/golden_graphs.py``.
"""

import json

import pytest

import autodidact
from autodidact.graph import topological_order
from autodidact.scalar import Scalar

import viz
from golden_graphs import GOLDEN, demo_graphs, differences, dump, load, rounded


def seed(passes=1):
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor([1.0, 2.0, 3.0])
    y = autodidact.tensor([2.0, 4.0, 6.0])
    for _ in range(passes):
        loss = ((w * x - y) ** 2).mean()
        loss.backward()
    return loss, w, x, y


def nodes(data, **where):
    return [n for n in data["nodes"] if all(n[k] == v for k, v in where.items())]


def test_the_seed_graph_as_data():
    loss, w, x, y = seed()
    data = viz.graph_data(loss, params={"w": w, "x": x})
    assert data["format"] == "autodidact.graph_data/1" and data["graph"] == "tensor"
    assert data["root"] == "out" and data["omitted"] == 0
    ops = nodes(data, kind="op")
    assert [(n["id"], n["op"], n["order"]) for n in ops] == [
        ("n1", "MeanBackward0", 1), ("n2", "PowBackward0", 2), ("n3", "SubBackward0", 3),
        ("n4", "MulBackward0", 4)]
    [leaf] = nodes(data, kind="leaf")
    assert (leaf["id"], leaf["name"], leaf["shape"], leaf["dtype"]) == ("n5", "w", [1], "float32")
    assert leaf["value"]["values"] == [1.0] and leaf["grad"]["values"] == [pytest.approx(-28 / 3)]
    assert leaf["passes"] == 1 and leaf["marks"] == [] and leaf["requires_grad"]
    assert [line["role"] for line in leaf["lines"]] == ["heading", "shape", "data", "grad"]
    constants = {n["id"]: n for n in nodes(data, kind="constant")}
    assert set(constants) == {"n4c1", "n3c1"}
    assert constants["n4c1"]["name"] == "x" and constants["n4c1"]["value"]["text"] == "[1., 2., 3.]"
    # y is still alive (held here) but unnamed: its value is known, its name is not.
    assert constants["n3c1"]["name"] is None and constants["n3c1"]["value"]["values"] == [2, 4, 6]
    [out] = nodes(data, kind="output")
    assert out["value"]["shape"] == [] and out["value"]["values"] == [pytest.approx(14 / 3)]
    # Edges run with the data, each into an input slot of the node that used it.
    edges = {(e["from"], e["to"]): (e["input"], e["output_nr"], e["gradient"])
             for e in data["edges"]}
    assert edges == {("n5", "n4"): (0, 0, True), ("n4c1", "n4"): (1, 0, False),
                     ("n4", "n3"): (0, 0, True), ("n3c1", "n3"): (1, 0, False),
                     ("n3", "n2"): (0, 0, True), ("n2", "n1"): (0, 0, True),
                     ("n1", "out"): (None, 0, True)}
    # w (1,) was broadcast against x (3,): backward sums its gradient over axis 0.
    [broadcast] = [e for e in data["edges"] if e["broadcast"]]
    assert (broadcast["from"], broadcast["to"]) == ("n5", "n4")
    assert broadcast["broadcast"] == {"grad_shape": [3], "input_shape": [1], "axes": [0],
                                      "text": "grad summed over axis 0\n(3,) -> (1,)"}


def test_the_data_is_json_ready_and_deterministic():
    loss, w, x, y = seed(passes=3)
    data = viz.graph_data(loss, params={"w": w})
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert viz.graph_data(loss, params={"w": w}) == data     # ids and order do not drift
    [leaf] = nodes(data, kind="leaf")
    assert leaf["marks"] == ["accumulated"] and leaf["passes"] == 3
    assert [line["role"] for line in leaf["lines"]][-2:] == ["mark", "note"]


def test_non_finite_values_stay_json():
    w = autodidact.tensor([float("nan"), float("inf"), -float("inf")], requires_grad=True)
    data = viz.graph_data(w.sum(), params={"w": w})
    [leaf] = nodes(data, kind="leaf")
    assert leaf["value"]["values"] == ["nan", "inf", "-inf"]
    json.dumps(data, allow_nan=False)


def test_ids_follow_backward_order_and_the_cap():
    t = autodidact.tensor([1.0], requires_grad=True)
    y = t
    for _ in range(20):
        y = y * 1.5
    assert len(topological_order(y.grad_fn)) == 21
    data = viz.graph_data(y, max_nodes=6)
    assert data["omitted"] == 15
    assert [n["id"] for n in data["nodes"]] == ["n1", "n2", "n3", "n19", "n20", "n21",
                                                "omitted", "out"]
    assert {"from": "omitted", "to": "n3", "input": None, "output_nr": None, "gradient": True,
            "broadcast": None} in data["edges"]
    with pytest.raises(ValueError, match="max_nodes"):
        viz.graph_data(y, max_nodes=1)
    with pytest.raises(TypeError, match="Tensor or a Scalar"):
        viz.graph_data(3.0)


def test_a_scalar_graph_as_data():
    x, w = Scalar(2.0, label="x"), Scalar(-3.0, label="w")
    o = (x * w + 1).tanh()
    o.backward()
    data = viz.graph_data(o)
    assert data["graph"] == "scalar" and data["root"] == "s1"
    assert {n["op"] for n in nodes(data, kind="op")} == {"*", "+", "tanh"}
    assert {n["name"] for n in nodes(data, kind="leaf")} == {"x", "w"}
    [xn] = nodes(data, name="x")
    assert xn["value"]["values"] == [2.0] and xn["grad"]["values"] == [pytest.approx(x.grad)]
    [times] = nodes(data, op="*")
    into = sorted((e["input"], e["from"]) for e in data["edges"] if e["to"] == times["id"])
    assert [nodes(data, id=i)[0]["name"] for _, i in into] == ["x", "w"]


def test_draw_graph_is_built_from_the_data():
    loss, w, x, y = seed(passes=3)
    g = viz.draw_graph(loss, params={"w": w}, show_saved=True)
    assert g.data == viz.graph_data(loss, params={"w": w})
    assert list(g.drawn_nodes) == [n["id"] for n in g.data["nodes"]]
    assert g.drawn_edges == [(e["from"], e["to"]) for e in g.data["edges"]]
    for node in g.data["nodes"]:
        drawn = g.drawn_nodes[node["id"]]
        assert drawn.lines == [line["text"] for line in node["lines"]]
    assert g.drawn_nodes["n5"].kind == "accumulated"


def test_rounding_and_the_comparison_used_for_golden_files():
    assert rounded({"a": [1.23456, 2], "b": "1.23456"}) == {"a": [1.235, 2], "b": "1.23456"}
    assert differences({"v": 1.2346}, {"v": 1.235}) == []
    assert differences({"v": 1.25}, {"v": 1.235}) != []
    assert differences({"t": "data [1.0001, 2.]"}, {"t": "data [1.0002, 2.]"}) == []
    assert differences({"t": "grad [1.]"}, {"t": "data [1.]"}) != []
    assert differences({"ids": ["n1"]}, {"ids": ["n1", "n2"]}) != []


@pytest.mark.parametrize("name", ["demo-graph", "demo-graph_accumulated"])
def test_demo_graphs_match_their_golden_files(name):
    data = demo_graphs()[name]
    assert not differences(data, load(name)), (
        f"{name} changed; if on purpose, run `python tests/golden_graphs.py` and review "
        f"`git diff {GOLDEN}`:\n" + "\n".join(differences(data, load(name))[:20]))
    assert json.loads(dump(data)) == load(name)


def test_the_data_of_a_graph_on_a_device(device):
    w = autodidact.tensor([1.0, 2.0], requires_grad=True, device=device)
    b = autodidact.tensor([0.5], requires_grad=True, device=device)
    loss = (w * autodidact.tensor([3.0, 4.0], device=device) + b).sum()
    loss.backward()
    data = viz.graph_data(loss, params={"w": w, "b": b})
    [wn] = nodes(data, name="w")
    assert wn["value"]["values"] == [1.0, 2.0] and wn["grad"]["values"] == [3.0, 4.0]
    [broadcast] = [e for e in data["edges"] if e["broadcast"]]
    assert nodes(data, id=broadcast["from"])[0]["name"] == "b"
    assert broadcast["broadcast"]["axes"] == [0]
    assert json.loads(json.dumps(data)) == data
