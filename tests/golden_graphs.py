"""Golden files of viz.graph_data: the demo's and the lessons' graphs, pinned as data.

Each file in tests/golden/graph_data/ is what ``viz.graph_data`` returns for
one graph the course draws, with every float rounded to
``SIGNIFICANT_DIGITS`` significant digits. The tests compare today's data
with them, numbers within the last kept digit, everything else exactly.

After a deliberate change (a graph's shape, a seeded value, a label),
refresh them all and review the diff:

    python tests/golden_graphs.py            # rewrites tests/golden/graph_data/*.json
    git diff tests/golden/

It draws the demo's two graphs here and runs every lesson that draws a
graph, with ``AUTODIDACT_GRAPH_DATA=1`` so that ``Lesson.save`` writes
each graph's data beside its picture (``NAME.graph.json``).
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "graph_data"
SIGNIFICANT_DIGITS = 4
DATA_ENV = "AUTODIDACT_GRAPH_DATA"        # read by lessons/course.py
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[+-]?\d+)?")


def rounded(data, digits=SIGNIFICANT_DIGITS):
    """``data`` with every float rounded to ``digits`` significant digits."""
    if isinstance(data, float):
        return float(f"{data:.{digits - 1}e}") if math.isfinite(data) else data
    if isinstance(data, dict):
        return {key: rounded(value, digits) for key, value in data.items()}
    if isinstance(data, list):
        return [rounded(value, digits) for value in data]
    return data


def _numbers_close(a, b):
    # Two values that round differently by one unit in the last kept digit are equal here.
    return math.isclose(a, b, rel_tol=2 * 10 ** (1 - SIGNIFICANT_DIGITS), abs_tol=1e-4)


def differences(actual, golden, where="data"):
    """Where ``actual`` (rounded) and ``golden`` differ, as readable lines (empty: the same)."""
    if isinstance(golden, float) and isinstance(actual, (int, float)) \
            and not isinstance(actual, bool):
        return [] if _numbers_close(actual, golden) else [f"{where}: {actual!r} != {golden!r}"]
    if isinstance(golden, dict) and isinstance(actual, dict):
        if set(actual) != set(golden):
            return [f"{where}: keys {sorted(actual)} != {sorted(golden)}"]
        return [line for key in golden
                for line in differences(actual[key], golden[key], f"{where}.{key}")]
    if isinstance(golden, list) and isinstance(actual, list):
        if len(actual) != len(golden):
            return [f"{where}: {len(actual)} items != {len(golden)}"]
        return [line for i, (a, g) in enumerate(zip(actual, golden))
                for line in differences(a, g, f"{where}[{i}]")]
    if isinstance(golden, str) and isinstance(actual, str) and actual != golden:
        # Text with numbers in it (a value's printout): the same words, close numbers.
        a_numbers, g_numbers = _NUMBER.findall(actual), _NUMBER.findall(golden)
        if (_NUMBER.sub("#", actual) == _NUMBER.sub("#", golden)
                and all(_numbers_close(float(a), float(g))
                        for a, g in zip(a_numbers, g_numbers))):
            return []
        return [f"{where}: {actual!r} != {golden!r}"]
    return [] if actual == golden else [f"{where}: {actual!r} != {golden!r}"]


def load(name):
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def dump(data):
    return json.dumps(rounded(data), indent=1, sort_keys=False, allow_nan=False) + "\n"


def demo_graphs():
    """``{golden name: data}`` for the two graphs ``autodidact demo`` draws."""
    import viz
    from viz.commands import seed_graph
    graphs = {}
    for passes, name in ((1, "demo-graph"), (3, "demo-graph_accumulated")):
        loss, params = seed_graph(passes)
        graphs[name] = viz.graph_data(loss, params=params)
    return graphs


def lesson_graph_files(out_folder, number):
    """``{golden name: path}`` of the graph data a lesson wrote into ``out_folder``."""
    return {f"lesson-{number:02d}-{path.name[:-len('.graph.json')]}": path
            for path in sorted(Path(out_folder).glob("*.graph.json"))}


def refresh():
    """Rewrite every golden file from today's code; print what changed."""
    sys.path.insert(0, str(ROOT))
    from lessons import catalog
    GOLDEN.mkdir(parents=True, exist_ok=True)
    found = dict(demo_graphs())
    with tempfile.TemporaryDirectory() as tmp:
        for lesson in catalog.lessons():
            if "draw_graph" not in lesson.path.read_text(encoding="utf-8"):
                continue
            out = Path(tmp) / f"out-{lesson.number:02d}"
            env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
                       AUTODIDACT_LESSON_OUT=str(out), **{DATA_ENV: "1"})
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
            subprocess.run([sys.executable, str(lesson.path)], cwd=tmp, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            for name, path in lesson_graph_files(out, lesson.number).items():
                found[name] = json.loads(path.read_text(encoding="utf-8"))
    stale = {path.stem for path in GOLDEN.glob("*.json")} - set(found)
    for name in sorted(stale):
        (GOLDEN / f"{name}.json").unlink()
        print(f"removed {name}.json")
    for name, data in sorted(found.items()):
        path = GOLDEN / f"{name}.json"
        text = dump(data)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote   {path.relative_to(ROOT)}")
    print(f"{len(found)} golden graphs in {GOLDEN.relative_to(ROOT)}/")


if __name__ == "__main__":
    refresh()
