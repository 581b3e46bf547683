"""The course's commands: ``autodidact lessons``, ``lesson N``, ``exercises start|check N``.

``autodidact/cli.py`` only dispatches; the code lives here, beside the
lessons, and is imported when one of these commands runs.

    $ autodidact lessons                     # one line per lesson
    $ autodidact lesson 7                    # run lesson 7; pictures in autodidact-out/lesson-07/
    $ autodidact lesson 7 --notebook         # write it as a Jupyter notebook instead
    $ autodidact exercises start 7           # copy lesson 7's exercise stubs to my-exercises/
    $ autodidact exercises check 7           # test my-exercises/ex07_linear_model.py

Each function takes the command's arguments (a list of strings) and
returns the exit code.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import catalog
from .checking import REPORT_ENV, STUDENT_ENV
from .course import OUT_ENV

__all__ = ["lessons_command", "lesson_command", "exercises_command"]

WORK_FOLDER = "my-exercises"
CHECK_TIMEOUT = 300   # seconds: a student's endless loop must not hang the command


def _parse(parser, argv):
    return parser.parse_args(sys.argv[2:] if argv is None else argv)


def _lesson_or_exit(number):
    try:
        return catalog.find(number)
    except LookupError as error:
        print(f"autodidact: {error}", file=sys.stderr)
        raise SystemExit(2)


def _shown(path):
    """``path`` relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -------------------------------------------------------------------- lessons

def lessons_command(argv=None):
    """``autodidact lessons``: the course, one line per lesson."""
    parser = argparse.ArgumentParser(prog="autodidact lessons",
                                     description="List the course's lessons, one line each.")
    _parse(parser, argv)
    print("The course (after the seed, \"PyTorch Basics in 4 Minutes\"):\n")
    for lesson in catalog.lessons():
        count = len(catalog.exercise_names(lesson.stub)) if lesson.stub.is_file() else 0
        print(f"  {lesson.number:>2}  {lesson.title:<36} {count} exercises   "
              f"lessons/{lesson.path.name}")
    print("\nRun one:        autodidact lesson N            (or python lessons/NN_name.py)")
    print("As a notebook:  autodidact lesson N --notebook")
    print("Exercises:      autodidact exercises start N, then autodidact exercises check N")
    return 0


def lesson_command(argv=None):
    """``autodidact lesson N [--notebook] [--out DIR]``: run a lesson, or write it as a notebook."""
    parser = argparse.ArgumentParser(
        prog="autodidact lesson",
        description="Run lesson N as a script: it prints what to look at and writes its "
                    "pictures (SVG and PNG) to autodidact-out/lesson-NN/. With --notebook, "
                    "write the lesson as a Jupyter notebook there instead.")
    parser.add_argument("number", metavar="N",
                        help="the lesson's number (see `autodidact lessons`)")
    parser.add_argument("--notebook", action="store_true",
                        help="write the lesson as NN_name.ipynb instead of running it")
    parser.add_argument("--out", metavar="DIR",
                        help="folder for the pictures or the notebook "
                             "(default: autodidact-out/lesson-NN)")
    args = _parse(parser, argv)
    lesson = _lesson_or_exit(args.number)
    if args.notebook:
        return _write_notebook(lesson, args.out)
    env = dict(os.environ, MPLBACKEND="Agg")
    if args.out:
        env[OUT_ENV] = str(Path(args.out).resolve())
    print(f"== Lesson {lesson.number}: {lesson.title}  (lessons/{lesson.path.name})\n", flush=True)
    return subprocess.run([sys.executable, str(lesson.path)], env=env, check=False).returncode


def _write_notebook(lesson, out):
    try:
        import jupytext
    except ImportError:
        print("autodidact: writing notebooks needs jupytext: pip install -e '.[lessons]' "
              "(or pip install jupytext)", file=sys.stderr)
        return 1
    folder = Path(out) if out else Path("autodidact-out") / f"lesson-{lesson.number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{lesson.name}.ipynb"
    notebook = to_notebook(lesson.path)
    jupytext.write(notebook, str(target), fmt="ipynb")
    print(f"Wrote {_shown(target)} ({len(notebook.cells)} cells).")
    print(f"Open it with:  jupyter notebook {_shown(target)}")
    print("Run in its own folder, it writes its pictures beside it.")
    return 0


def to_notebook(path):
    """The lesson at ``path`` as a notebook object, set to run on the Python 3 kernel."""
    import jupytext
    notebook = jupytext.read(str(path), fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata.pop("jupytext", None)
    return notebook


# ------------------------------------------------------------------ exercises

def exercises_command(argv=None):
    """``autodidact exercises [list | start N | check N]``."""
    parser = argparse.ArgumentParser(
        prog="autodidact exercises",
        description="Each lesson has exercises: stubs you fill in, checked by tests. "
                    "`start N` copies lesson N's stubs to my-exercises/ (yours to edit); "
                    "`check N` runs their tests on your copy and says what passes.")
    sub = parser.add_subparsers(dest="action", metavar="{list,start,check}")
    sub.add_parser("list", help="every lesson's exercises")
    start = sub.add_parser("start", help="copy lesson N's exercise stubs to my-exercises/")
    start.add_argument("number", metavar="N", help="the lesson's number, or 'all'")
    start.add_argument("--dir", default=WORK_FOLDER, metavar="DIR",
                       help="where to put the copies (default: %(default)s)")
    start.add_argument("--force", action="store_true",
                       help="overwrite a copy that is already there (your work is lost)")
    check = sub.add_parser("check", help="test your copy of lesson N's exercises")
    check.add_argument("number", metavar="N", help="the lesson's number")
    check.add_argument("--file", metavar="PATH",
                       help=f"your file, or a folder holding it (default: {WORK_FOLDER}/)")
    check.add_argument("--verbose", "-v", action="store_true", help="also show pytest's own report")
    args = _parse(parser, argv)
    if args.action in (None, "list"):
        return _list_exercises()
    if args.action == "start":
        return _start(args.number, Path(args.dir), args.force)
    return _check(_lesson_or_exit(args.number), args.file, args.verbose)


def _list_exercises():
    for lesson in catalog.lessons():
        names = catalog.exercise_names(lesson.stub) if lesson.stub.is_file() else []
        print(f"  {lesson.number:>2}  {lesson.title}: {', '.join(names) or '(none)'}")
    print("\nautodidact exercises start N   copies lesson N's stubs to my-exercises/")
    print("autodidact exercises check N   tests your copy")
    return 0


def _start(number, folder, force):
    chosen = catalog.lessons() if number == "all" else [_lesson_or_exit(number)]
    folder.mkdir(parents=True, exist_ok=True)
    for lesson in chosen:
        target = folder / lesson.stub.name
        names = catalog.exercise_names(lesson.stub)
        if target.exists() and not force:
            print(f"{_shown(target)} is already there: keep working on it "
                  f"(--force starts over, and loses your work).")
            continue
        shutil.copyfile(lesson.stub, target)
        print(f"Copied lesson {lesson.number}'s {len(names)} exercises to {_shown(target)}: "
              f"{', '.join(names)}.")
    if len(chosen) == 1:
        lesson = chosen[0]
        print(f"\nOpen {_shown(folder / lesson.stub.name)}, read each docstring, and replace "
              f"`raise NotImplementedError` with your code.")
        print(f"Then run:  autodidact exercises check {lesson.number}")
        print("(The originals in lessons/exercises/ stay as they are; the answers are in "
              "lessons/answers/, for after you have tried.)")
    return 0


def _check(lesson, file, verbose):
    target = Path(file) if file else Path(WORK_FOLDER)
    if target.is_dir():
        target = target / lesson.stub.name
    if not target.is_file():
        print(f"No file {_shown(target)} to check. Start with:  "
              f"autodidact exercises start {lesson.number}", file=sys.stderr)
        return 2
    tests = catalog.exercise_tests(lesson)
    if not tests.is_file():
        print(f"autodidact: the tests of lesson {lesson.number}'s exercises are missing "
              f"({tests}). They live in the course's checkout, in tests/exercises/: run the "
              f"command in the checkout's folder, or install the checkout with "
              f"pip install -e '.[lessons]'.", file=sys.stderr)
        return 2
    target = target.resolve()
    print(f"Checking lesson {lesson.number}'s exercises in {_shown(target)}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="autodidact-check-") as scratch:
        report = Path(scratch) / "report.json"
        env = dict(os.environ, **{STUDENT_ENV: str(target), REPORT_ENV: str(report),
                                  "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"})
        # --confcutdir: only tests/exercises/conftest.py, not the suite's (which loads torch).
        command = [sys.executable, "-m", "pytest", str(tests), "-p", "lessons.checking",
                   "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                   f"--confcutdir={tests.parent}", "-q", "--no-header", "-rN", "--color=no",
                   "--tb=short"]
        try:
            done = subprocess.run(command, cwd=catalog.COURSE.parent, env=env,
                                  capture_output=True, text=True, timeout=CHECK_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"The tests ran for more than {CHECK_TIMEOUT} s and were stopped: is there "
                  f"a loop that never ends in {_shown(target)}?")
            return 1
        records = json.loads(report.read_text()) if report.is_file() else None
    if verbose or records is None:
        print(done.stdout + done.stderr)
    if records is None:
        print("The tests could not run (pytest's output is above).", file=sys.stderr)
        return 2
    return _report(lesson, target, records)


_MARK = {"passed": "passed", "failed": "FAILED", "error": "ERROR", "not started": "not started",
         "skipped": "skipped"}


def _report(lesson, target, records):
    """Print one line per exercise (and why it failed); return 0 when all pass."""
    names = catalog.exercise_names(lesson.stub)
    loading = [r for r in records if r["status"] == "error"]
    if loading and all(r["status"] == "error" for r in records):
        print(f"  {loading[0]['reason']}")
        print(f"\nFix that in {_shown(target)}, then run `autodidact exercises check "
              f"{lesson.number}` again.")
        return 1
    passed = 0
    for number, name in enumerate(names, 1):
        mine = [r for r in records if r["exercise"] == name]
        if not mine:
            status, reason = "not started", "no test ran"
        elif all(r["status"] in ("passed", "skipped") for r in mine):
            status, reason = "passed", ""
        elif all(r["status"] == "not started" for r in mine if r["status"] != "passed"):
            status, reason = "not started", "still raises NotImplementedError"
        else:
            bad = next(r for r in mine if r["status"] not in ("passed", "skipped", "not started"))
            status, reason = "failed", bad["reason"]
            if any(r["status"] == "passed" for r in mine):
                reason += f"\n(passed {sum(r['status'] == 'passed' for r in mine)} of "\
                          f"{len(mine)} checks)"
        passed += status == "passed"
        print(f"  {number}. {name:<26} {_MARK[status]}")
        if status == "failed":
            for line in reason.splitlines():
                print(f"       {line}")
    print()
    if passed == len(names):
        print(f"All {len(names)} exercises of lesson {lesson.number} pass. Well done!")
        return 0
    print(f"{passed} of {len(names)} exercises pass. Edit {_shown(target)}, then run "
          f"`autodidact exercises check {lesson.number}` again.")
    return 1
