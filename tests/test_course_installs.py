"""Every command the README and the course show works after either set-up, with nothing extra.

`make demo` and `pip install -e .` install autodidact's own requirements
only: the test suite's extras (hypothesis, jupytext, nbclient, ipykernel,
torch) must not be needed by any course command. The first test hides
them behind an import blocker and runs the commands from a student's
folder; the second builds autodidact's wheel, installs it (no network,
no dependencies) into a fresh virtual environment that borrows the
suite's NumPy, matplotlib, graphviz and pytest through a .pth file, and
runs a lesson and the exercise checker there.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lessons import catalog

ROOT = catalog.COURSE.parent
DEV_ONLY = ("hypothesis", "jupytext", "nbclient", "ipykernel", "torch")

BLOCKER = textwrap.dedent(f'''
    """Make the test suite's extra packages look uninstalled."""
    import sys
    from importlib.abc import MetaPathFinder

    class Blocker(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {DEV_ONLY!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
''')

SCRIPT = "import autodidact as torch\nw = torch.tensor([2.0], requires_grad=True)\n" \
         "loss = (w * 3).sum()\nloss.backward()\n"


def _run(command, cwd, env, timeout=120):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
def test_every_course_command_runs_without_the_dev_packages(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    student = tmp_path / "student"
    student.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker), str(ROOT)]),
               MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    env.pop("AUTODIDACT_LESSON_OUT", None)
    code, out = _run([sys.executable, "-c", "import jupytext"], student, env)
    assert code != 0 and "blocked" in out, "the blocker must hide jupytext"
    (student / "my_script.py").write_text(SCRIPT)
    subs = student / "submissions" / "ada"
    subs.mkdir(parents=True)
    shutil.copy(catalog.find(1).answer, subs / catalog.find(1).stub.name)
    autodidact = [sys.executable, "-m", "autodidact"]
    commands = [  # (arguments, exit status, what the output must say)
        (["--help"], 0, "exercises"),
        (["tour"], 0, "float32"),
        (["demo"], 0, "zero_grad"),
        (["lessons"], 0, "Inside backward"),
        (["lesson", "1"], 0, "[lesson 1 done"),
        (["lesson", "1", "--notebook"], 1, "pip install jupytext notebook"),
        (["exercises", "list"], 0, "mse"),
        (["exercises", "start", "1"], 0, "my-exercises/ex01_scalars.py"),
        (["exercises", "check", "1"], 1, "not started"),
        (["exercises", "grade", "submissions", "--lesson", "1"], 0, "grades.csv"),
        (["exercises", "classroom"], 0, ".github/workflows/classroom.yml"),
        (["graph", "my_script.py", "--out", "graph.svg"], 0, "drawing loss"),
        (["doctor"], 0, "random streams"),
    ]
    # `exercises start 1` first (check needs its copy), then the others two at a time.
    start = next(c for c in commands if c[0][:2] == ["exercises", "start"])
    others = [c for c in commands if c is not start]
    outcomes = [(start, _run(autodidact + start[0], student, env))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes += zip(others, pool.map(lambda c: _run(autodidact + c[0], student, env),
                                         others))
    for (arguments, status, says), (code, out) in outcomes:
        assert code == status and says in out, (arguments, code, out[-2000:])
        assert "Traceback" not in out and "blocked" not in out, (arguments, out[-2000:])


@pytest.mark.slow
def test_the_wheel_installed_alone_runs_a_lesson_and_checks_exercises(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "autodidact-out",
        "my-exercises", "wheelhouse", ".hypothesis", ".pytest_cache"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",
                                                           "AUTODIDACT_LESSON_OUT")}
    env.update(MPLBACKEND="Agg", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    code, out = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                      "--no-build-isolation", "-w", str(tmp_path / "wheels"), str(source)],
                     tmp_path, env, timeout=300)
    assert code == 0, out
    wheel, = (tmp_path / "wheels").glob("autodidact-*.whl")
    venv = tmp_path / "venv"
    code, out = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    assert code == 0, out
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code, site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                          "['purelib'])"], tmp_path, env)
    # The suite's own packages (numpy, matplotlib, graphviz, pytest, pip), found through a .pth.
    import numpy
    import pytest as pytest_module
    borrowed = {str(Path(m.__file__).resolve().parents[1]) for m in (numpy, pytest_module)}
    Path(site.strip(), "suite-packages.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    code, out = _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                      "--ignore-installed", str(wheel)], tmp_path, env, timeout=300)
    assert code == 0, out
    student = tmp_path / "student"
    student.mkdir()
    code, out = _run([str(python), "-c", "import autodidact, lessons; print(autodidact.__file__);"
                                         " print(lessons.__file__)"], student, env)
    assert code == 0 and out.count(str(venv)) == 2, out
    script = venv / ("Scripts/autodidact.exe" if os.name == "nt" else "bin/autodidact")
    code, out = _run([str(script), "lesson", "1"], student, env)
    assert code == 0 and "[lesson 1 done" in out, out[-2000:]
    assert (student / "autodidact-out" / "lesson-01" / "neuron_graph.svg").is_file()
    code, out = _run([str(script), "exercises", "start", "7"], student, env)
    assert code == 0, out
    code, out = _run([str(script), "exercises", "check", "7"], student, env)
    assert code == 1 and "not started" in out and "Traceback" not in out, out
    answer = Path(site.strip()) / "lessons" / "answers" / "ex07_linear_model.py"
    shutil.copy(answer, student / "my-exercises" / "ex07_linear_model.py")
    code, out = _run([str(script), "exercises", "check", "7"], student, env)
    assert code == 0 and "All 4 exercises of lesson 7 pass" in out, out
