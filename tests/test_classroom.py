"""The course in a classroom: a checker students can't break or fool, and the teacher's kit.

Student files here loop, exit, raise KeyboardInterrupt and write into
whatever they can reach; `exercises check` must report each exercise on
its own and never believe a forged report. Then the teacher's side:
points from the course file, hidden tests, `grade`, the GitHub Classroom
workflow, `doctor`. The runs start real processes (a second or two each),
with a short time limit where a file loops.
"""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from lessons import catalog, checking, classroom

ROOT = catalog.COURSE.parent
LESSON7 = catalog.find(7)
ANSWER7 = LESSON7.answer.read_text()
ENV = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")


@pytest.fixture
def autodidact(monkeypatch, capfd):
    """``autodidact(*ARGS, cwd=FOLDER)``: the command run in FOLDER, as in a terminal.

    In this process (the test processes the checker starts are real ones):
    returns an object with returncode, stdout and stderr.
    """
    from autodidact import cli

    def run(*args, cwd):
        monkeypatch.chdir(cwd)
        capfd.readouterr()
        code = cli.main([str(a) for a in args])
        out = capfd.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)
    return run


def line_of(out, name):
    """The report's line for exercise ``name``."""
    return next(line for line in out.splitlines() if re.match(rf"\s+\d+\. {name}\s", line))


# ------------------------------------------------------------ finding the file

def test_start_and_check_from_inside_my_exercises(tmp_path, autodidact):
    work = tmp_path / "my-exercises"
    work.mkdir()
    started = autodidact("exercises", "start", 7, cwd=work)
    assert started.returncode == 0
    assert (work / "ex07_linear_model.py").is_file() and not (work / "my-exercises").exists()
    (work / "ex07_linear_model.py").write_text(ANSWER7)
    checked = autodidact("exercises", "check", 7, cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "in ex07_linear_model.py  (looked for ex07_linear_model.py)" in checked.stdout
    assert "All 4 exercises of lesson 7 pass the public tests (9 of 9 points)" in checked.stdout
    missing = autodidact("exercises", "check", 6, cwd=tmp_path)
    assert missing.returncode == 2
    assert ("looked for ex06_autograd.py, then my-exercises/ex06_autograd.py"
            in missing.stderr.replace(os.sep, "/"))


# ------------------------------------------------------------ a checker that holds

MISBEHAVING = ANSWER7 + '''

def mse(y_pred, y):
    while True:
        pass


def gradient_by_hand(w, x, y):
    import os
    os._exit(3)


def sgd_step(w, lr):
    print("about to stop everything")
    raise KeyboardInterrupt


def train(x_data, y_data, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor([float(w0)], requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(x_data, y_data):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w.item()
'''


def test_a_loop_an_exit_and_an_interrupt_cost_their_own_exercise_only(tmp_path, autodidact):
    mine = tmp_path / "mine.py"
    mine.write_text(MISBEHAVING)
    start = time.perf_counter()
    done = autodidact("exercises", "check", 7, "--file", mine, "--time-limit", 2, cwd=tmp_path)
    seconds = time.perf_counter() - start
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "TIMED OUT" in line_of(out, "mse") and "still running after 2 s" in out
    assert "FAILED" in line_of(out, "gradient_by_hand")
    assert "ended the test process (exit code 3" in out
    assert "FAILED" in line_of(out, "sgd_step")
    assert "your code raised KeyboardInterrupt (line" in out
    assert "| about to stop everything" in out, "a failing exercise shows what it printed"
    assert "passed" in line_of(out, "train") and "3/3 points" in line_of(out, "train")
    assert "1 of 4 exercises pass the public tests (3 of 9 points)" in out
    assert "Traceback" not in out + done.stderr
    assert seconds < 60


FORGER = '''
import glob, json, os, tempfile

FAKE = [{"event": "result", "test": "x", "status": "passed", "exercise": name}
        for name in ("mse", "gradient_by_hand", "sgd_step", "train")]


def forge():
    lines = "".join(json.dumps(record) + "\\n" for record in FAKE)
    lines += json.dumps({"event": "done", "code": 0}) + "\\n"
    print(lines)                                   # stdout
    for fd in range(1, 256):                       # every descriptor it has
        try:
            os.write(fd, lines.encode())
        except OSError:
            pass
    for folder in {os.getcwd(), tempfile.gettempdir()}:
        for name in ("report.json", "results.json"):
            with open(os.path.join(folder, name), "w") as file:
                json.dump(FAKE, file)
    print("All 4 exercises pass")


def mse(y_pred, y):
    forge()
    return ((y_pred - y) ** 2).mean()


def gradient_by_hand(w, x, y):
    import sys
    sys.exit(0)
'''


def test_a_student_file_cannot_forge_the_report(tmp_path, autodidact):
    mine = tmp_path / "mine.py"
    mine.write_text(ANSWER7.split("def mse")[0] + FORGER + "\n\n"
                    + ANSWER7[ANSWER7.index("def sgd_step"):])
    done = autodidact("exercises", "check", 7, "--file", mine, cwd=tmp_path)
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "FAILED" in line_of(out, "mse")
    assert "something other than the checker wrote into the checker's report" in out
    assert "FAILED" in line_of(out, "gradient_by_hand") and "sys.exit(0)" in out
    assert "passed" in line_of(out, "sgd_step") and "passed" in line_of(out, "train")
    assert "2 of 4 exercises pass" in out and "All 4 exercises of lesson 7 pass" not in out


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_ctrl_c_stops_cleanly_with_the_results_so_far(tmp_path):
    flag = tmp_path / "train-started"
    mine = tmp_path / "mine.py"
    mine.write_text(ANSWER7.replace(
        "def train(x_data, y_data, w0=1.0, lr=0.01, epochs=10):\n",
        f"def train(x_data, y_data, w0=1.0, lr=0.01, epochs=10):\n"
        f"    open({str(flag)!r}, 'w').close()\n    while True:\n        pass\n"))
    process = subprocess.Popen([sys.executable, "-m", "autodidact", "exercises", "check", "7",
                                "--file", str(mine)], cwd=tmp_path, env=ENV, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not flag.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert flag.exists(), "the check never reached train()"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, out + err
    assert "Traceback" not in out + err
    assert "passed" in line_of(out, "mse") and "passed" in line_of(out, "sgd_step")
    assert "not checked" in line_of(out, "train")
    assert "Stopped (Ctrl-C)" in out and "3 of 4 exercises checked pass" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux enforces RLIMIT_AS")
def test_the_memory_limit_stops_a_hungry_exercise(tmp_path):
    from lessons.runner import run_exercises
    mine = tmp_path / "mine.py"
    mine.write_text(ANSWER7 + "\n\ndef mse(y_pred, y):\n    import numpy\n"
                              "    numpy.ones(4 * 1024 ** 3, dtype=numpy.uint8)\n")
    results = run_exercises(LESSON7, mine, names=["mse", "train"], memory_mb=1200)
    assert results.exercises["mse"].status == "failed"
    assert "MemoryError" in results.exercises["mse"].reason
    assert results.exercises["train"].passed


# ------------------------------------------------------------ words in the report

def _explained(tmp_path, monkeypatch, student_source, call):
    """What checking.explain says about an error raised through a student's file."""
    mine = tmp_path / "mine.py"
    mine.write_text(student_source)
    monkeypatch.setenv(catalog.STUDENT_ENV, str(mine))
    namespace = {}
    exec(compile(student_source, str(mine), "exec"), namespace)
    with pytest.raises(BaseException) as excinfo:
        call(namespace)
    return checking.explain(excinfo, "call")


def test_the_students_errors_told_from_the_engines(tmp_path, monkeypatch):
    import autodidact as torch
    from autodidact.function import swap_backward
    source = ("import autodidact as torch\n\n"
              "def own(x):\n    raise ValueError('mine')\n\n"
              "def calls_badly(x):\n    return torch.zeros(2, 3) @ torch.zeros(2, 3)\n\n"
              "def wrong_shape(ctx, grad):\n    return torch.zeros(5)\n")
    said = _explained(tmp_path, monkeypatch, source, lambda ns: ns["own"](1))
    assert said["reason"] == "your code raised ValueError: mine (line 4 of mine.py)"
    said = _explained(tmp_path, monkeypatch, source, lambda ns: ns["calls_badly"](1))
    assert said["reason"].startswith("autodidact raised RuntimeError when your code called "
                                     "it (line 7 of mine.py): ")

    def through_the_engine(ns):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with swap_backward("tanh", ns["wrong_shape"]):
            x.tanh().sum().backward()
    said = _explained(tmp_path, monkeypatch, source, through_the_engine)
    assert said["reason"].startswith("the engine refused what your code returned "
                                     "(RuntimeError): "), said


@pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")
def test_mul_backward_report_names_the_gradient():
    """The wrong answer (each factor gets itself) is reported as such, gradient by gradient."""
    import importlib.util
    path = catalog.exercise_tests(catalog.find(11))
    spec = importlib.util.spec_from_file_location("_ex11_tests", path)
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    import types
    swapped = types.SimpleNamespace(mul_backward=lambda grad, a, b: (grad * a, grad * b))
    with pytest.raises(AssertionError, match=r"a's gradient should be grad \* b; yours gives "
                                             r"grad \* a"):
        tests.test_mul_backward_names_each_gradient(swapped)
    right = types.SimpleNamespace(mul_backward=lambda grad, a, b: (grad * b, grad * a))
    tests.test_mul_backward_names_each_gradient(right)


# ------------------------------------------------------------ the teacher's kit

def test_the_course_file_gives_points_to_real_exercises():
    course = classroom.load_course()
    assert course.time_limit == 20 and course.default_points == 1
    for (number, name), points in course.listed.items():
        assert name in catalog.exercise_names(catalog.find(number).stub), (number, name)
        assert points > 0
    assert course.points(7, "train") == 3 and course.points(7, "no_such") == 1


def test_a_bad_course_file_says_what_is_wrong(tmp_path):
    bad = tmp_path / "course.ini"
    bad.write_text("[course]\npoints = -2\n")
    with pytest.raises(SystemExit, match="points must not be negative"):
        classroom.load_course(bad)
    bad.write_text("[lessons 7]\nmse = 1\n")
    with pytest.raises(SystemExit, match=r"unknown section \[lessons 7\]"):
        classroom.load_course(bad)


def test_hidden_tests_run_and_the_wording_is_honest(tmp_path, autodidact):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_ex07_more.py").write_text(
        "import pytest\nimport autodidact as torch\n\n"
        "@pytest.mark.exercise('mse')\n"
        "def test_mse_keeps_float64(ex):\n"
        "    x = torch.tensor([0., 3.], dtype=torch.float64)\n"
        "    assert ex.mse(x, x * 0).dtype == torch.float64, 'keep the inputs\\' dtype'\n"
        "\n@pytest.mark.exercise('train')\n"
        "def test_train_is_a_float(ex):\n"
        "    assert isinstance(ex.train([1.0], [2.0], epochs=1), float)\n")
    mine = tmp_path / "mine.py"
    # Passes the public mse test but not the teacher's: float64 in, float32 out.
    mine.write_text(ANSWER7.replace("return ((y_pred - y) ** 2).mean()",
                                    "return ((y_pred - y) ** 2).mean().float()"))
    public = autodidact("exercises", "check", 7, "--file", mine, cwd=tmp_path)
    assert "All 4 exercises of lesson 7 pass the public tests" in public.stdout, public.stdout
    assert "Your teacher may run more tests" in public.stdout
    both = autodidact("exercises", "check", 7, "--file", mine, "--tests", hidden, cwd=tmp_path)
    assert both.returncode == 1
    assert "with 1 extra test file(s)" in both.stdout
    assert "FAILED" in line_of(both.stdout, "mse") and "passed" in line_of(both.stdout, "train")
    assert "3 of 4 exercises pass the public tests and the extra tests" in both.stdout
    (hidden / "test_ex07_broken.py").write_text("def test_x(ex:\n")
    broken = autodidact("exercises", "check", 7, "--file", mine, "--tests", hidden, cwd=tmp_path)
    assert "Warning: a test file could not be loaded" in broken.stdout
    assert "SyntaxError" in broken.stdout and "the extra tests" not in broken.stdout


def test_check_one_exercise_for_the_workflow(tmp_path, autodidact):
    mine = tmp_path / "ex07_linear_model.py"
    mine.write_text(ANSWER7.replace("return 2 * (x * w - y) * x", "return 2 * (x * w - y)"))
    bad = autodidact("exercises", "check", 7, "--exercise", "gradient_by_hand", cwd=tmp_path)
    assert bad.returncode == 1 and "FAILED" in bad.stdout and "mse" not in bad.stdout
    unknown = autodidact("exercises", "check", 7, "--exercise", "msee", cwd=tmp_path)
    assert unknown.returncode == 2 and "has no exercise 'msee'" in unknown.stderr


def test_the_classroom_workflow(tmp_path, autodidact):
    yaml = pytest.importorskip("yaml")
    done = autodidact("exercises", "classroom", "--install",
                      "autodidact[lessons] @ git+https://example.org/course.git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / ".github" / "workflows" / "classroom.yml"
    flow = yaml.safe_load(path.read_text())
    assert flow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    install = next(step for step in steps if step.get("name") == "Install autodidact")
    assert install["run"] == ("python -m pip install "
                              "'autodidact[lessons] @ git+https://example.org/course.git'")
    graders = [s for s in steps if s.get("uses") == "classroom-resources/"
               "autograding-command-grader@v1"]
    course = classroom.load_course()
    expected = [(lesson.number, name) for lesson in catalog.lessons()
                for name in catalog.exercise_names(lesson.stub)]
    assert len(graders) == len(expected)
    for step, (number, name) in zip(graders, expected):
        settings = step["with"]
        assert settings["command"] == f"autodidact exercises check {number} --exercise {name}"
        assert settings["max-score"] == course.points(number, name)
        assert settings["timeout"] == course.workflow_minutes and "setup-command" in settings
        assert settings["test-name"]
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    ids = [step["id"] for step in graders]
    assert len(set(ids)) == len(ids)
    assert reporter["with"]["runners"].split(",") == ids
    assert reporter["env"] == {f"{i.upper()}_RESULTS": f"${{{{steps.{i}.outputs.result}}}}"
                               for i in ids}
    again = autodidact("exercises", "classroom", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr
    forced = autodidact("exercises", "classroom", "--force", "--lesson", 7, cwd=tmp_path)
    flow = yaml.safe_load(path.read_text())
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    assert forced.returncode == 0 and steps[2]["run"] == "python -m pip install -e ."
    assert flow["jobs"]["run-autograding-tests"]["steps"][-1]["with"]["runners"] == \
        "ex07-mse,ex07-gradient-by-hand,ex07-sgd-step,ex07-train"


@pytest.mark.slow
def test_grade_a_folder_with_a_right_a_broken_and_a_looping_submission(tmp_path, autodidact):
    subs = tmp_path / "submissions"
    (subs / "ada").mkdir(parents=True)
    (subs / "ada" / "ex07_linear_model.py").write_text(ANSWER7)
    (subs / "bo" / "my-exercises").mkdir(parents=True)
    (subs / "bo" / "my-exercises" / "ex07_linear_model.py").write_text("def mse(:\n")
    (subs / "cy").mkdir()
    (subs / "cy" / "ex07_linear_model.py").write_text(ANSWER7.replace(
        "    w = torch.tensor([float(w0)], requires_grad=True)\n",
        "    while True:\n        pass\n"))
    done = autodidact("exercises", "grade", subs, "--out", tmp_path / "out" / "grades.csv",
                      "--time-limit", 2, "--memory", 1500, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(tmp_path / "out" / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["student", "lesson", "exercise", "points", "status", "reason"]
    table = {(r["student"], r["exercise"]): r for r in rows}
    assert len(rows) == 12
    assert all(table["ada", n]["status"] == "passed" for n in ("mse", "train"))
    assert sum(int(r["points"]) for r in rows if r["student"] == "ada") == 9
    assert all(r["status"] == "failed" and "SyntaxError" in r["reason"]
               for r in rows if r["student"] == "bo")
    assert table["cy", "train"]["status"] == "timed out" and table["cy", "train"]["points"] == "0"
    assert table["cy", "mse"]["status"] == "passed" and table["cy", "mse"]["points"] == "2"
    report = json.loads((tmp_path / "out" / "grades.json").read_text())
    assert {row["student"] for row in report["rows"]} == {"ada", "bo", "cy"}
    assert "ada" in done.stdout and "9 of 9 points" in done.stdout


@pytest.mark.slow
def test_check_through_rechecks_the_earlier_lessons(tmp_path, autodidact):
    work = tmp_path / "my-exercises"
    work.mkdir()
    for number in (1, 2):
        lesson = catalog.find(number)
        (work / lesson.stub.name).write_text(lesson.answer.read_text())
    done = autodidact("exercises", "check", "--through", 2, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "==== Lesson 1:" in done.stdout and "==== Lesson 2:" in done.stdout
    assert "Lessons 1 to 2: 2 of 2 pass completely (1, 2)." in done.stdout


def test_doctor_says_each_part_and_its_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from lessons import doctor
    code = doctor.doctor_command([])
    out = capsys.readouterr().out
    for part in ("Python", "NumPy", "pytest", "graph renderer", "Jupyter", "GPU",
                 "output folder", "random streams"):
        assert re.search(rf"^(ok|--|!!)\s+{part}", out, re.M), (part, out)
    assert code == (1 if "\n!!" in out else 0)
    for status, what, fix in doctor.checks():
        assert status == doctor.OK or fix or "random streams" in what


def test_doctor_asks_the_random_streams_themselves(monkeypatch):
    import autodidact.random
    from lessons import doctor
    exact, explanation = autodidact.random.exact_streams()
    status, what, _ = doctor.check_random_streams()
    assert status == (doctor.OK if exact else doctor.OPTIONAL) and explanation in what
    monkeypatch.setattr(autodidact.random, "exact_streams",
                        lambda: (False, "not verified: a made-up CPU"))
    status, what, fix = doctor.check_random_streams()
    assert status == doctor.OPTIONAL and "not verified: a made-up CPU" in what and fix

