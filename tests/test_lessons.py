"""The course: every lesson runs as a script and draws what it promises; the commands work.

The lessons run as students run them, `python lessons/NN_name.py`, each in
its own process and a temporary folder, several at a time (they take
seconds each). One lesson is also converted to a notebook and executed
with nbclient. The exercises' own tests are in tests/exercises/.
"""

import json
import os
import re
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest

from lessons import catalog
from lessons.course import OUT_ENV

COURSE = catalog.COURSE
LESSONS = catalog.lessons()

# The pictures each lesson promises (each as .svg and .png).
PICTURES = {
    1: ["neuron_graph", "neuron_graph_backward"],
    2: ["uniform_vs_normal", "dtype_sizes"],
    3: ["indexing", "broadcasting", "view"],
    4: ["shared_memory"],
    5: ["matmul_timing"],
    6: ["graph_forward", "graph_backward"],
    7: ["one_step_graph", "training"],
    8: ["graph_one_pass", "graph_three_passes", "zero_grad_pitfall"],
    9: ["promotion_table", "float_spacing"],
    10: ["two_moons_data", "decision_boundary", "training_curves", "grad_history", "model_graph"],
    11: ["graph_order", "gradcheck"],
}
DEFAULT_OUT_LESSON = 1      # run without the env var: writes to ./autodidact-out/lesson-01/


def _source_files():
    """The course's own files (what a lesson must never add to or change)."""
    return {p: p.stat().st_mtime for p in COURSE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every lesson, run as a script in a fresh folder: {number: (result, out folder, seconds)}."""
    base = tmp_path_factory.mktemp("lessons")
    before = _source_files()

    def run(lesson):
        cwd = base / f"cwd-{lesson.number:02d}"
        cwd.mkdir()
        # PYTHONPATH: this checkout's autodidact and lessons, whatever is installed.
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join(p for p in (str(COURSE.parent),
                                                          os.environ.get("PYTHONPATH")) if p))
        env.pop(OUT_ENV, None)
        if lesson.number == DEFAULT_OUT_LESSON:
            out = cwd / "autodidact-out" / f"lesson-{lesson.number:02d}"
        else:
            out = base / f"out-{lesson.number:02d}"
            env[OUT_ENV] = str(out)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(lesson.path)], cwd=cwd, env=env,
                                capture_output=True, text=True, timeout=300)
        return lesson.number, (result, out, time.perf_counter() - start)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = dict(pool.map(run, LESSONS))
    results["source_changed"] = sorted(str(p) for p, m in _source_files().items()
                                       if before.get(p) != m)
    return results


def test_there_are_eleven_lessons_in_the_seed_order():
    assert [lesson.number for lesson in LESSONS] == list(range(1, 12))
    assert set(PICTURES) == {lesson.number for lesson in LESSONS}


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_lesson_runs_and_draws_its_pictures(runs, lesson):
    result, out, seconds = runs[lesson.number]
    assert result.returncode == 0, f"{lesson.name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert ">> look at" in result.stdout, "a lesson says which picture to look at"
    assert f"[lesson {lesson.number} done" in result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for name in PICTURES[lesson.number]:
        svg, png = out / f"{name}.svg", out / f"{name}.png"
        assert svg.is_file() and png.is_file(), f"{lesson.name} promised {name}.svg and .png in {out}"
        assert ET.parse(svg).getroot().tag.endswith("svg"), f"{svg} is not SVG"
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
        width, height = struct.unpack(">II", header[16:24])
        assert max(width, height) >= 500 and min(width, height) >= 250, (
            f"{png} is {width}x{height}: too small to project (aim for about 1024x768)")
        assert f"{name}.png" in result.stdout, f"the lesson should tell the student to look at {name}.png"
    assert seconds < 60, f"{lesson.name} took {seconds:.0f} s; a lesson should run in seconds"


def test_lessons_never_write_into_the_course(runs):
    assert runs["source_changed"] == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_lesson_opens_with_what_you_will_learn(lesson):
    text = lesson.path.read_text(encoding="utf-8")
    first_cell = text.split("# %%\n", 1)[0]
    assert text.startswith("# %% [markdown]\n"), "a lesson starts with prose, not code"
    assert f"# # Lesson {lesson.number}: " in first_cell
    assert "**You will learn**" in first_cell
    assert text.count("# %% [markdown]") >= 4, "explain before each step: markdown cells between code"


def test_cuda_lesson_explains_why_without_a_gpu(runs):
    import autodidact
    result = runs[5][0]
    if autodidact.cuda.is_available():
        assert "is_available() = True" in result.stdout
    else:
        assert "No usable GPU here, because:" in result.stdout
        assert result.stdout.count(autodidact.cuda.unavailable_reason()) == 1, "said once"


def test_lessons_say_whole_sentences_and_draw_what_they_name(runs):
    out6 = runs[6][0].stdout
    assert "won't be populated during autograd.backward()." in out6, "a warning cut mid-word"
    result, out, _ = runs[7]
    title = " ".join(t.text or "" for t in ET.parse(out / "one_step_graph.svg").iter()
                     if t.tag.endswith("text"))
    # The seed squares by multiplying: the graph has a Mul of two Subs, and no Pow.
    assert "(1.0 * w - 2.0) * (1.0 * w - 2.0)" in title and "** 2" not in title


def test_a_lesson_runs_as_a_notebook(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    kernelspec = pytest.importorskip("ipykernel.kernelspec")
    from lessons.commands import to_notebook
    # A "python3" kernel that is this Python, found before any other installed one.
    kernelspec.install(prefix=str(tmp_path / "jupyter"), kernel_name="python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter" / "share" / "jupyter"))
    lesson = catalog.find(1)
    notebook = to_notebook(lesson.path)
    monkeypatch.setenv(OUT_ENV, str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "look at" in text and "agrees with the hand computation" in text
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "pictures show inline"
    assert (tmp_path / "out" / "neuron_graph.png").is_file()


# ------------------------------------------------------------------ commands

def _command(name, argv, capsys):
    from autodidact import cli
    code = cli.main([name, *argv])
    return code, capsys.readouterr()


def test_lessons_command_lists_every_lesson(capsys):
    code, out = _command("lessons", [], capsys)
    assert code == 0
    for lesson in LESSONS:
        assert re.search(rf"^\s+{lesson.number}\s+{re.escape(lesson.title)}", out.out, re.M)


def test_lesson_notebook_command_writes_a_notebook(tmp_path, capsys):
    code, out = _command("lesson", ["3", "--notebook", "--out", str(tmp_path)], capsys)
    assert code == 0
    notebook = json.loads((tmp_path / "03_operations.ipynb").read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    kinds = [cell["cell_type"] for cell in notebook["cells"]]
    assert kinds[0] == "markdown" and "code" in kinds
    assert "jupyter notebook" in out.out
    # A second --notebook keeps the student's edits; --force replaces them.
    path = tmp_path / "03_operations.ipynb"
    path.write_text(path.read_text().replace("Lesson 3", "Lesson 3 (my notes)"))
    code, out = _command("lesson", ["3", "--notebook", "--out", str(tmp_path)], capsys)
    assert code == 0 and "already there (your edits are kept)" in out.out
    assert "(my notes)" in path.read_text()
    _command("lesson", ["3", "--notebook", "--out", str(tmp_path), "--force"], capsys)
    assert "(my notes)" not in path.read_text()


def test_lesson_command_runs_the_lesson_script(tmp_path, capsys, monkeypatch):
    """The plumbing only: the lessons themselves run in the `runs` fixture."""
    from lessons import commands
    calls = []
    monkeypatch.setattr(commands.subprocess, "run", lambda command, env, check: calls.append(
        (command, env)) or subprocess.CompletedProcess(command, 0))
    code, out = _command("lesson", ["4", "--out", str(tmp_path)], capsys)
    assert code == 0 and "Lesson 4: The NumPy bridge" in out.out
    (command, env), = calls
    assert command == [sys.executable, "-m", "lessons.narrate", str(catalog.find(4).path)]
    assert env[OUT_ENV] == str(tmp_path.resolve()) and env["MPLBACKEND"] == "Agg"


def test_a_near_miss_command_suggests_the_right_one(capsys):
    code, out = _command("lessons", ["3"], capsys)
    assert code == 2 and "did you mean `autodidact lesson 3`?" in out.err
    code, out = _command("lesons", [], capsys)
    assert code == 2 and "Did you mean 'lessons'?" in out.err
    code, out = _command("lessons", [], capsys)
    assert "\"the seed\": the short tutorial" in out.out


def test_a_lesson_without_a_renderer_says_so_once_in_one_line(tmp_path, monkeypatch, capsys):
    import viz
    from autodidact.scalar import Scalar
    from lessons.course import Lesson
    monkeypatch.setenv(OUT_ENV, str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "empty" / "python"))
    lesson = Lesson(99)
    a = Scalar(2.0, label="a")
    for name in ("one", "two"):
        lesson.save(viz.draw_graph(a * a), name, "a graph")
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if "no Graphviz renderer" in line]
    assert len(said) == 1 and "pip install graphviz-pure" in said[0]
    assert (tmp_path / "one.dot").is_file() and (tmp_path / "two.dot").is_file()


def test_a_narrated_lesson_says_what_it_explains(tmp_path):
    """`autodidact lesson N` prints each explanation, then runs the code after it."""
    lesson = tmp_path / "99_tiny.py"
    lesson.write_text("# %% [markdown]\n# # Lesson 99: tiny\n#\n# We add **two** numbers.\n\n"
                      "# %%\nx = 1 + 1\nprint('x =', x)\n\n# %% [markdown]\n# Then fail.\n\n"
                      "# %%\nprint(x)\n1 / 0\n")
    done = subprocess.run([sys.executable, "-m", "lessons.narrate", str(lesson)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(COURSE.parent)))
    assert done.stdout.index("We add **two** numbers.") < done.stdout.index("x = 2") \
        < done.stdout.index("Then fail.")
    assert f'File "{lesson}", line 15' in done.stderr and "ZeroDivisionError" in done.stderr
    assert "narrate.py" not in done.stderr and done.returncode == 1


def test_unknown_lesson_is_a_clear_error(capsys):
    with pytest.raises(SystemExit) as stop:
        _command("lesson", ["12"], capsys)
    assert stop.value.code == 2
    assert "there is no lesson '12'" in capsys.readouterr().err


def test_exercises_start_copies_and_keeps_work(tmp_path, capsys):
    work = tmp_path / "my-exercises"
    code, out = _command("exercises", ["start", "7", "--dir", str(work)], capsys)
    assert code == 0 and "autodidact exercises check 7" in out.out
    copy = work / "ex07_linear_model.py"
    assert copy.read_text() == catalog.find(7).stub.read_text()
    copy.write_text(copy.read_text() + "\n# my work\n")
    code, out = _command("exercises", ["start", "7", "--dir", str(work)], capsys)
    assert "already there" in out.out and copy.read_text().endswith("# my work\n")


def _check(path, capfd, lesson=7):
    from autodidact import cli
    code = cli.main(["exercises", "check", str(lesson), "--file", str(path)])
    return code, capfd.readouterr().out


def test_exercises_report_all_or_nothing(capsys):
    """The report's two ends, from results such as the checker returns (no test run)."""
    from lessons.classroom import load_course
    from lessons.commands import report
    from lessons.runner import ExerciseResult, Results
    lesson = catalog.find(7)
    names = catalog.exercise_names(lesson.stub)
    blank = Results({n: ExerciseResult(n, "not started", "still raises NotImplementedError")
                     for n in names})
    assert report(lesson, lesson.stub, blank, load_course()) == 1
    out = capsys.readouterr().out
    assert all(re.search(rf"{n}\s+not started\s+0/\d points?", out) for n in names)
    assert "0 of 4 exercises pass the public tests (0 of 9 points)" in out
    done = Results({n: ExerciseResult(n, "passed") for n in names})
    assert report(lesson, lesson.stub, done, load_course()) == 0
    assert "All 4 exercises of lesson 7 pass the public tests (9 of 9 points)" in \
        capsys.readouterr().out


def test_exercises_check_reports_each_exercise_in_plain_words(tmp_path, capfd):
    """The answers, with one exercise replaced by its wrong answer and one left blank."""
    lesson = catalog.find(7)
    text = lesson.answer.read_text()
    wrong = "def gradient_by_hand(w, x, y):\n    return 2 * (x * w - y)\n"
    text = re.sub(r"def gradient_by_hand\(w, x, y\):\n    return .*\n", wrong, text)
    text = re.sub(r"(def mse\(y_pred, y\):\n)    return .*\n", r"\1    raise NotImplementedError\n", text)
    mine = tmp_path / "mine.py"
    mine.write_text(text)
    code, out = _check(mine, capfd)
    assert code == 1
    assert re.search(r"1\. mse\s+not started", out), out
    assert re.search(r"2\. gradient_by_hand\s+FAILED", out), out
    assert "d/dw (x*w - y)**2 at w=1.0, x=2.0, y=4.0 is -8.0; you gave -4.0" in out
    assert re.search(r"3\. sgd_step\s+passed", out) and re.search(r"4\. train\s+passed", out)
    assert "2 of 4 exercises pass" in out


def test_exercises_check_a_file_that_does_not_load(tmp_path, capfd):
    broken = tmp_path / "broken.py"
    broken.write_text("def pick_device(:\n")
    code, out = _check(broken, capfd, lesson=5)
    assert code == 1 and "could not be loaded: SyntaxError" in out, out


def test_exercises_check_without_a_copy_says_how_to_start(tmp_path, capfd, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from autodidact import cli
    assert cli.main(["exercises", "check", "3"]) == 2
    assert "autodidact exercises start 3" in capfd.readouterr().err


# ------------------------------------------------------------- the exercises

@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_exercise_files_hang_together(lesson):
    """Stub, answer, wrong answers and tests: the same exercises, 3 to 6 of them."""
    names = catalog.exercise_names(lesson.stub)
    assert 3 <= len(names) <= 6, f"{lesson.stub.name} has {len(names)} exercises"
    assert catalog.exercise_names(lesson.answer) == names
    wrong = catalog.exercise_names(lesson.wrong)
    assert set(wrong) == set(names), "every exercise keeps a plausible wrong answer"
    text = lesson.stub.read_text()
    for name in names:
        body = re.search(rf"^(def|class) {name}\b.*?(?=^(def|class) |\Z)", text, re.S | re.M).group(0)
        assert '"""' in body and "Hint" in body, f"{name}: a docstring with a hint"
        assert "raise NotImplementedError" in body, f"{name}: the stub raises NotImplementedError"
    tests = catalog.exercise_tests(lesson).read_text()
    tested = set(re.findall(r'exercise\("(\w+)"\)', tests))
    assert tested == set(names), f"tests cover {sorted(tested)}, exercises are {names}"
