"""`autodidact demo` and `autodidact graph`: viz's commands, run through the CLI's table."""

import os
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

from autodidact import cli

from viz.render import RendererNotFoundError, find_renderer

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def renderer():
    try:
        return find_renderer()
    except RendererNotFoundError as error:
        pytest.skip(f"no Graphviz renderer installed: {error}")


@pytest.fixture
def no_renderer(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "empty" / "python"))


def svg_text(path):
    return [(t.text or "").replace("\xa0", " ") for t in ET.parse(path).iter(f"{SVG}text")]


def test_cli_dispatches_to_viz():
    assert cli.COMMANDS["demo"][:2] == ("viz.commands", "demo")
    assert cli.COMMANDS["graph"][:2] == ("viz.commands", "graph_command")


def test_demo_writes_the_pictures(renderer, tmp_path, capsys):
    out = tmp_path / "pictures"
    assert cli.main(["demo", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["graph.png", "graph.svg", "graph_accumulated.png", "graph_accumulated.svg",
                     "walkthrough.html", "zero_grad.png", "zero_grad.svg"]
    for name in ("graph.svg", "graph_accumulated.svg", "zero_grad.svg"):
        ET.parse(out / name)                                   # well-formed XML
    assert (out / "zero_grad.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    one, three = svg_text(out / "graph.svg"), svg_text(out / "graph_accumulated.svg")
    assert "grad [-9.3333]" in one and "grad [-28.]" in three
    assert "grad accumulated over 3 passes" in three
    assert not any("accumulated over" in t for t in one)
    printed = capsys.readouterr().out
    assert "1.9512" in printed and "2.9850" in printed
    for name in names:
        assert str(out / name) in printed


def test_demo_without_a_renderer_writes_dot_and_says_why(no_renderer, tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path)]) == 1
    assert (tmp_path / "graph.dot").exists() and (tmp_path / "graph_accumulated.dot").exists()
    assert (tmp_path / "zero_grad.png").exists()
    assert "apt-get install graphviz" in capsys.readouterr().err


SCRIPT = """
import autodidact as torch
w = torch.tensor([1.0], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
loss = ((w * x - 2.0) ** 2).mean()
loss.backward()
print("ran once")
loss * 1
"""


def write(tmp_path, source, name="script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def test_graph_draws_the_last_expression(renderer, tmp_path, capsys):
    script = write(tmp_path, SCRIPT)
    out = tmp_path / "g.svg"
    assert cli.main(["graph", str(script), "--out", str(out), "--order"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("ran once") == 1 and f"Wrote {out}" in printed
    texts = svg_text(out)
    assert "MulBackward0" in texts and "w" in texts and "loss" not in texts   # `loss * 1`
    assert "#6" in texts                   # Mul(1) Mean Pow Sub Mul AccumulateGrad


def test_graph_draws_a_named_variable_with_the_scripts_names(tmp_path):
    script = write(tmp_path, SCRIPT)
    out = tmp_path / "g.dot"                  # DOT needs no renderer
    assert cli.main(["graph", str(script), "--out", str(out), "--var", "loss",
                     "--short-ops"]) == 0
    source = out.read_text()
    assert ">loss<" in source and ">w<" in source and ">Mul<" in source


def test_graph_of_a_scalar_script_in_its_own_folder(tmp_path):
    (tmp_path / "helper.py").write_text("from autodidact.scalar import Scalar\n"
                                        "def f(a):\n    return (a * a).tanh()\n")
    script = write(tmp_path, """
        import sys
        from helper import Scalar, f          # the script's folder is on sys.path
        assert sys.argv == [__file__]
        a = Scalar(0.5, label="a")
        f(a)
        """)
    out = tmp_path / "s.dot"
    assert cli.main(["graph", str(script), "--out", str(out)]) == 0
    assert ">tanh<" in out.read_text()


@pytest.mark.parametrize("source, argv, message", [
    ("x = 1\n", [], "does not end with an expression"),
    ("import autodidact\nt = autodidact.ones(2)\nt\n", ["--var", "nope"],
     "defines no variable 'nope'. Tensors and Scalars it defines: t."),
    ("1 / 0\n", [], "ZeroDivisionError"),
    ("import sys\nsys.exit(3)\n", ["--var", "x"], "called exit(3)"),
    ("def (:\n", [], "is not valid Python"),
    ("[1, 2]\n", [], "is a list, not a Tensor or a Scalar"),
])
def test_graph_errors(tmp_path, capsys, source, argv, message):
    script = write(tmp_path, source)
    assert cli.main(["graph", str(script), "--out", str(tmp_path / "g.dot"), *argv]) == 1
    assert message in capsys.readouterr().err


def test_graph_of_a_script_ending_in_backward_draws_what_it_differentiates(tmp_path, capsys):
    script = write(tmp_path, SCRIPT.replace("loss * 1\n", "").replace(
        "loss.backward()\nprint(\"ran once\")\n", "print(\"ran once\")\nloss.backward()\n"))
    assert cli.main(["graph", str(script), "--out", str(tmp_path / "g.dot")]) == 0
    assert "drawing loss; --var NAME draws another" in capsys.readouterr().out
    assert ">loss<" in (tmp_path / "g.dot").read_text()


def test_graph_stops_an_endless_script(tmp_path, capsys):
    script = write(tmp_path, "x = 0\nwhile True:\n    x += 1\nx\n")
    assert cli.main(["graph", str(script), "--timeout", "0.5"]) == 1
    assert "still running after 0.5 s" in capsys.readouterr().err


def test_graph_writes_where_it_was_asked_when_the_script_changes_folder(tmp_path, capsys,
                                                                        monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = write(tmp_path, SCRIPT.replace("import autodidact as torch",
                                            f"import os\nos.chdir({str(elsewhere)!r})\n"
                                            f"import autodidact as torch"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["graph", str(script), "--out", "g.dot"]) == 0
    assert (tmp_path / "g.dot").is_file() and not (elsewhere / "g.dot").exists()
    assert "Wrote g.dot" in capsys.readouterr().out and os.getcwd() == str(tmp_path)


def test_graph_missing_file_and_missing_renderer(tmp_path, capsys, no_renderer):
    assert cli.main(["graph", str(tmp_path / "absent.py")]) == 1
    assert "cannot read" in capsys.readouterr().err
    script = write(tmp_path, SCRIPT)
    assert cli.main(["graph", str(script), "--out", str(tmp_path / "g.svg")]) == 1
    assert "pip install graphviz-pure" in capsys.readouterr().err
