"""viz.render: SVG, PNG, PDF or DOT via `dot` or `graphviz-pure`; the error when neither exists."""

import stat
import sys
import xml.etree.ElementTree as ET

import pytest

import autodidact
from autodidact.scalar import Scalar

import viz
from viz.render import Renderer, RendererNotFoundError, find_renderer, pipe

SVG = "{http://www.w3.org/2000/svg}"


def renderer_or_skip(name):
    try:
        return find_renderer(prefer=name)
    except RendererNotFoundError:
        pytest.skip(f"{name} is not installed (apt-get install graphviz / "
                    f"pip install graphviz-pure)")


@pytest.fixture(params=["dot", "graphviz-pure"])
def renderer(request):
    """Each renderer that is installed here (CI has dot at least)."""
    return renderer_or_skip(request.param)


@pytest.fixture
def only(renderer, tmp_path, monkeypatch):
    """Make `renderer` the only one viz can find, so that render() and Jupyter use it."""
    folder = tmp_path / "only-bin"
    folder.mkdir()
    (folder / renderer.name).symlink_to(renderer.path)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here" / "python"))
    assert find_renderer() == Renderer(renderer.name, str(folder / renderer.name))
    return renderer


def node_texts(svg):
    """The text of each node of an SVG drawn by Graphviz, one string per node (lines joined)."""
    root = ET.fromstring(svg)
    texts = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            lines = [(t.text or "").replace("\xa0", " ") for t in group.iter(f"{SVG}text")]
            texts.append("\n".join(lines))
    return texts


def seed(passes):
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor([1.0, 2.0, 3.0])
    for _ in range(passes):
        loss = ((w * x - 2.0) ** 2).mean()
        loss.backward()
    return loss, w


def test_svg_of_the_accumulated_graph(renderer):
    loss, w = seed(passes=3)
    g = viz.draw_graph(loss, params={"w": w}, show_order=True, legend=True, title="three")
    svg = pipe(g.source, "svg", renderer).decode("utf-8")
    texts = node_texts(svg)
    [leaf] = [t for t in texts if t.startswith("#5\nw\n")]
    assert "grad accumulated over 3 passes" in leaf
    assert any("MulBackward0" in t for t in texts)
    assert len(texts) == len(g.drawn_nodes)
    assert "three" in svg


HOSTILE = ['a<b>&c "d" {e} |f| \\g', "line1\nline2", "]; digraph {", "</TD></TR>",
           "&amp; &#38;", "\\N \\G \\L \\n \\l", "x -> y", "it's", "λ ∂ →", "a  b",
           "back\\", "bell\x07"]


def test_hostile_names_appear_as_written(renderer):
    tensors = [autodidact.tensor([float(i)], requires_grad=True) for i in range(len(HOSTILE))]
    out = tensors[0]
    for t in tensors[1:]:
        out = out * t
    params = {f"cluster.{name}" if i < 2 else name: t
              for i, (name, t) in enumerate(zip(HOSTILE, tensors))}
    g = viz.draw_graph(out, params=params, title=HOSTILE[0])
    svg = pipe(g.source, "svg", renderer).decode("utf-8")
    heads = {text.split("\n(1,) float32")[0] for text in node_texts(svg)}
    expected = {f"cluster.{n}" if i < 2 else n for i, n in enumerate(HOSTILE)}
    expected = {n.replace("\x07", "\\x07") for n in expected}
    assert expected <= heads, expected - heads
    # The title and the cluster's name survive too.
    all_text = [(t.text or "").replace("\xa0", " ") for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert HOSTILE[0] in all_text and "cluster" in all_text


def test_scalar_graph_renders(renderer):
    x = Scalar(2.0, label="x <in>")
    y = (x * x + 1).tanh()
    y.backward()
    texts = node_texts(pipe(viz.draw_graph(y).source, "svg", renderer))
    assert any(t.startswith("x <in>\ndata 2.0") for t in texts)
    assert "tanh" in texts


def test_render_by_extension(only, tmp_path):
    renderer = only
    loss, w = seed(passes=1)
    svg = viz.render(loss, tmp_path / "sub" / "g.svg", params={"w": w})
    assert svg == tmp_path / "sub" / "g.svg"
    ET.parse(svg)
    assert viz.render(viz.draw_graph(loss), tmp_path / "g.png").read_bytes()[:8] == \
        b"\x89PNG\r\n\x1a\n"
    assert viz.draw_graph(loss).write(tmp_path / "g2.svg").exists()
    if renderer.name == "dot":
        assert viz.render(loss, tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"
    else:
        with pytest.raises(ValueError, match="cannot write PDF"):
            viz.render(loss, tmp_path / "g.pdf")


def test_jupyter_shows_svg(only):
    loss, _ = seed(passes=1)
    g = viz.draw_graph(loss)
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml"}
    ET.fromstring(bundle["image/svg+xml"])
    ET.fromstring(g._repr_svg_())
    assert g._repr_mimebundle_(exclude=["image/svg+xml"]) == {}


def test_dot_files_need_no_renderer(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    loss, _ = seed(passes=1)
    path = viz.render(loss, tmp_path / "g.dot")
    assert path.read_text().startswith("digraph autodidact {")
    with pytest.raises(ValueError, match="extension"):
        viz.render(loss, tmp_path / "g.jpeg")
    with pytest.raises(TypeError, match="already drawn"):
        viz.render(viz.draw_graph(loss), tmp_path / "g.dot", show_order=True)


def test_missing_renderer_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(RendererNotFoundError) as caught:
        find_renderer()
    message = str(caught.value)
    assert "apt-get install graphviz" in message and "pip install graphviz-pure" in message
    assert "'dot'" in message and "'graphviz-pure'" in message and str(tmp_path) in message
    loss, _ = seed(passes=1)
    with pytest.raises(RendererNotFoundError, match="pip install graphviz-pure"):
        viz.render(loss, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()


def fake_program(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 3\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_graphviz_pure_is_found_beside_python_when_not_on_path(tmp_path, monkeypatch):
    venv_bin = tmp_path / "venv" / "bin"
    program = fake_program(venv_bin, "graphviz-pure")
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(sys, "executable", str(venv_bin / "python"))
    found = find_renderer()
    assert (found.name, found.path) == ("graphviz-pure", str(program))
    assert not found.supports("pdf") and found.supports("png")
    # dot on PATH wins over graphviz-pure.
    dot = fake_program(tmp_path / "elsewhere", "dot")
    assert find_renderer() == Renderer("dot", str(dot))


def test_a_failing_renderer_reports_its_error(tmp_path, monkeypatch):
    fake_program(tmp_path, "dot")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="dot failed \\(exit code 3\\)"):
        pipe("digraph { a }", "svg")
