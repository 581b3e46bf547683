"""`autodidact walk`: run a script, write the walkthrough of backward from its result."""

import json
import re
import textwrap

import pytest

from autodidact import cli

SCRIPT = """
import autodidact as torch
w = torch.tensor([1.0], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
loss = ((w * x - 2.0) ** 2).mean()
print("ran once")
loss
"""


def _steps(path):
    data = re.search(r'<script type="application/json" id="walk-data">(.*?)</script>',
                     path.read_text(encoding="utf-8"), re.S).group(1)
    return json.loads(data.replace("<\\/", "</"))["steps"]


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    return path


def test_walk_writes_the_page_of_the_last_expression(script, tmp_path, capsys):
    out = tmp_path / "walk.html"
    assert cli.COMMANDS["walk"][:2] == ("viz.walk_commands", "walk_command")
    assert cli.main(["walk", str(script), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("ran once") == 1 and f"Wrote {out}" in printed
    steps = _steps(out)
    assert [s["title"] for s in steps][-1] == "w #5"   # named after the script's variable
    assert steps[-1]["leaf"]["after"]["text"] == "[1.3333]"   # mean(2 (w x - 2) x) at w = 1


def test_walk_with_var_and_passes(script, tmp_path, capsys):
    out = tmp_path / "walk.html"
    assert cli.main(["walk", str(script), "--var", "loss", "--passes", "2",
                     "--out", str(out)]) == 0
    leaf_steps = [s for s in _steps(out) if s["leaf"]]
    assert [s["leaf"]["after"]["text"] for s in leaf_steps] == ["[1.3333]", "[2.6667]"]


def test_walk_says_what_was_wrong(script, tmp_path, capsys):
    assert cli.main(["walk", str(script), "--var", "nope", "--out", str(tmp_path / "a.html")]) == 1
    assert "defines no variable 'nope'" in capsys.readouterr().err
    freed = tmp_path / "freed.py"
    freed.write_text(textwrap.dedent(SCRIPT).replace('print("ran once")', "loss.backward()"),
                     encoding="utf-8")
    assert cli.main(["walk", str(freed), "--out", str(tmp_path / "b.html")]) == 1
    error = capsys.readouterr().err
    assert "backward through the graph a second time" in error and "retain_graph=True" in error
    assert cli.main(["walk", str(script), "--var", "x", "--out", str(tmp_path / "c.html")]) == 1
    assert "does not require grad" in capsys.readouterr().err
