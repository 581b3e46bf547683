"""The course's commands: ``autodidact lessons``, ``lesson N``, ``exercises ...``.

``autodidact/cli.py`` only dispatches; the code lives here, beside the
lessons, and is imported when one of these commands runs.

    $ autodidact lessons                     # one line per lesson
    $ autodidact lesson 7                    # run lesson 7; pictures in autodidact-out/lesson-07/
    $ autodidact lesson 7 --notebook         # write it as a Jupyter notebook instead
    $ autodidact exercises start 7           # copy lesson 7's exercise stubs to my-exercises/
    $ autodidact exercises check 7           # test my-exercises/ex07_linear_model.py
    $ autodidact exercises check --through 7 # lessons 1 to 7, again
    $ autodidact exercises grade submissions --out grades.csv     # for the teacher
    $ autodidact exercises classroom         # .github/workflows/classroom.yml

``check`` runs the tests through ``runner.run_exercises`` (its own
processes, a time limit per test); ``grade`` lives in ``grading.py``, the
course file and the workflow in ``classroom.py``.

Each function takes the command's arguments (a list of strings) and
returns the exit code.
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import catalog
from .course import OUT_ENV

__all__ = ["lessons_command", "lesson_command", "exercises_command"]

WORK_FOLDER = "my-exercises"


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
    parser.add_argument("number", nargs="?", help=argparse.SUPPRESS)
    args = _parse(parser, argv)
    if args.number is not None:
        print(f"autodidact: `lessons` lists them all; did you mean `autodidact lesson "
              f"{args.number}`?", file=sys.stderr)
        return 2
    print("The course grows from \"the seed\": the short tutorial \"PyTorch Basics in 4 "
          "Minutes\"\n(tensors, autograd, a linear model), whose code the lessons run and "
          "take apart.\n")
    for lesson in catalog.lessons():
        count = len(catalog.exercise_names(lesson.stub)) if lesson.stub.is_file() else 0
        print(f"  {lesson.number:>2}  {lesson.title:<36} {count} exercises")
    print(f"\n(The lessons' files are in {_shown(catalog.COURSE)}/.)")
    print("Run one:        autodidact lesson N")
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
    parser.add_argument("--force", action="store_true",
                        help="with --notebook: replace a notebook already there (your edits "
                             "in it are lost)")
    args = _parse(parser, argv)
    lesson = _lesson_or_exit(args.number)
    if args.notebook:
        return _write_notebook(lesson, args.out, args.force)
    env = dict(os.environ, MPLBACKEND="Agg")
    if args.out:
        env[OUT_ENV] = str(Path(args.out).resolve())
    print(f"== Lesson {lesson.number}: {lesson.title}  ({_shown(lesson.path)})\n", flush=True)
    # Through lessons.narrate: the lesson's explanations are printed before its code runs.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(catalog.COURSE.parent),
                                                    env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "lessons.narrate", str(lesson.path)], env=env,
                          check=False).returncode


# (Never autodidact by name from PyPI: that is another project.)
NOTEBOOK_INSTALL = "pip install jupytext notebook  (in the checkout: pip install -e '.[lessons]')"


def _write_notebook(lesson, out, force=False):
    try:
        import jupytext
    except ImportError:
        print(f"autodidact: writing notebooks needs jupytext: {NOTEBOOK_INSTALL}",
              file=sys.stderr)
        return 1
    folder = Path(out) if out else Path("autodidact-out") / f"lesson-{lesson.number:02d}"
    target = folder / f"{lesson.name}.ipynb"
    if target.exists() and not force:
        print(f"{_shown(target)} is already there (your edits are kept): open it with  "
              f"jupyter notebook {_shown(target)}\n(--force writes a fresh copy over it.)")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    notebook = to_notebook(lesson.path)
    jupytext.write(notebook, str(target), fmt="ipynb")
    print(f"Wrote {_shown(target)} ({len(notebook.cells)} cells).")
    print(f"Open it with:  jupyter notebook {_shown(target)}")
    if shutil.which("jupyter") is None:
        print(f"(Jupyter's notebook is not installed here: {NOTEBOOK_INSTALL})")
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
    """``autodidact exercises [list | start N | check N | grade DIR | classroom]``."""
    parser = argparse.ArgumentParser(
        prog="autodidact exercises",
        description="Each lesson has exercises: stubs you fill in, checked by tests. "
                    "`start N` copies lesson N's stubs to my-exercises/ (yours to edit); "
                    "`check N` runs their tests on your copy and says what passes. "
                    "For teachers: `grade` marks a folder of submissions, `classroom` "
                    "writes a GitHub Classroom workflow (see the course's README.md).")
    sub = parser.add_subparsers(dest="action", metavar="{list,start,check,grade,classroom}")
    sub.add_parser("list", help="every lesson's exercises")
    start = sub.add_parser("start", help="copy lesson N's exercise stubs to my-exercises/")
    start.add_argument("number", metavar="N", help="the lesson's number, or 'all'")
    start.add_argument("--dir", metavar="DIR",
                       help=f"where to put the copies (default: {WORK_FOLDER}/, or this folder "
                            f"when you are in {WORK_FOLDER}/)")
    start.add_argument("--force", action="store_true",
                       help="overwrite a copy that is already there (your work is lost)")
    check = sub.add_parser("check", help="test your copy of lesson N's exercises")
    check.add_argument("number", metavar="N", nargs="?", help="the lesson's number")
    check.add_argument("--through", metavar="N",
                       help="check lessons 1 to N, one after the other")
    check.add_argument("--file", metavar="PATH",
                       help="your file, or a folder holding it (default: this folder, "
                            f"then {WORK_FOLDER}/)")
    check.add_argument("--exercise", metavar="NAME", action="append",
                       help="check only this exercise (repeatable)")
    _limits(check)
    check.add_argument("--verbose", "-v", action="store_true",
                       help="also show the test process's own output")
    grade = sub.add_parser("grade", help="for teachers: mark a folder of submissions "
                                         "(one folder per student) into a CSV")
    grade.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    grade.add_argument("--lesson", metavar="N", action="append",
                       help="grade lesson N (repeatable; default: every lesson a "
                            "submission has a file for)")
    grade.add_argument("--out", metavar="CSV", default="grades.csv",
                       help="the CSV to write (default: %(default)s); a .json beside it too")
    grade.add_argument("--jobs", type=int, metavar="K",
                       help="students checked at once (default: the number of CPUs)")
    grade.add_argument("--memory", type=int, metavar="MB",
                       help="memory limit per student process on POSIX systems "
                            "(default: the course file's)")
    _limits(grade)
    classroom = sub.add_parser("classroom", help="for teachers: write "
                                                 ".github/workflows/classroom.yml")
    classroom.add_argument("--install", metavar="REQUIREMENT",
                           help="what the workflow installs (default: the course file's "
                                "`install`, '.' = the repository itself)")
    classroom.add_argument("--course", metavar="FILE", help="the course file (points)")
    classroom.add_argument("--lesson", metavar="N", action="append",
                           help="only lesson N's exercises (repeatable; default: all)")
    classroom.add_argument("--force", action="store_true", help="overwrite an existing workflow")
    args = _parse(parser, argv)
    if args.action in (None, "list"):
        return _list_exercises()
    if args.action == "start":
        return _start(args.number, args.dir, args.force)
    if args.action == "grade":
        from .grading import grade_command
        return grade_command(args)
    if args.action == "classroom":
        return _classroom(args)
    return _check_command(args, check)


def _limits(parser):
    parser.add_argument("--tests", metavar="DIR",
                        help="a folder of extra (hidden) tests: its test_exNN_*.py files "
                             "run too")
    parser.add_argument("--course", metavar="FILE",
                        help="the course file: points and limits (default: the course's own)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="seconds each test may run, from its start (default: the course "
                             "file's, 20)")


def _list_exercises():
    for lesson in catalog.lessons():
        names = catalog.exercise_names(lesson.stub) if lesson.stub.is_file() else []
        print(f"  {lesson.number:>2}  {lesson.title}: {', '.join(names) or '(none)'}")
    print("\nautodidact exercises start N   copies lesson N's stubs to my-exercises/")
    print("autodidact exercises check N   tests your copy")
    return 0


def _start(number, folder, force):
    chosen = catalog.lessons() if number == "all" else [_lesson_or_exit(number)]
    if folder is None:
        # Already inside my-exercises/: copy here, not into my-exercises/my-exercises/.
        folder = "." if Path.cwd().name == WORK_FOLDER else WORK_FOLDER
    folder = Path(folder)
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
        print(f"(The originals stay as they are; reference answers are in "
              f"{_shown(lesson.answer)}, for after you have tried.)")
    return 0


def find_student_file(lesson, file=None):
    """(the student's file for ``lesson`` or None, the places looked at, in order).

    With ``--file``: that file, or that folder's file. Without: the current
    folder, then its my-exercises/.
    """
    name = lesson.stub.name
    if file:
        path = Path(file)
        places = [path / name] if path.is_dir() else [path]
    else:
        places = [Path(name), Path(WORK_FOLDER) / name]
    return next((p for p in places if p.is_file()), None), places


def hidden_tests(folder, lesson):
    """The teacher's extra tests for ``lesson`` in ``folder``: test_exNN*.py files."""
    if not folder:
        return []
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"autodidact: --tests {folder}: no such folder")
    return sorted(folder.glob(f"test_ex{lesson.number:02d}*.py"))


def _check_command(args, parser):
    from .classroom import load_course
    if (args.number is None) == (args.through is None):
        parser.error("say which lesson: `check N`, or `check --through N` for lessons 1 to N")
    course = load_course(args.course)
    if args.time_limit is not None and args.time_limit <= 0:
        parser.error("--time-limit must be a positive number of seconds")
    limit = args.time_limit or course.time_limit
    if args.through is None:
        return _check(_lesson_or_exit(args.number), args, course, limit)
    last = _lesson_or_exit(args.through)
    chosen = [lesson for lesson in catalog.lessons() if lesson.number <= last.number]
    passing, codes = [], []
    for lesson in chosen:
        print(f"==== Lesson {lesson.number}: {lesson.title}")
        code = _check(lesson, args, course, limit)
        codes.append(code)
        passing.append(code == 0)
        print()
        if code == 130:
            break
    good = [str(lesson.number) for lesson, ok in zip(chosen, passing) if ok]
    print(f"Lessons 1 to {last.number}: {len(good)} of {len(chosen)} pass completely"
          f"{' (' + ', '.join(good) + ')' if good else ''}.")
    return 130 if 130 in codes else (0 if all(passing) else 1)


def _check(lesson, args, course, limit):
    from .runner import run_exercises
    target, places = find_student_file(lesson, args.file)
    if target is not None:
        places = places[:places.index(target) + 1]
    looked = ", then ".join(_shown(p) for p in places)
    if target is None:
        print(f"No file to check: looked for {looked}.\nStart with:  autodidact exercises "
              f"start {lesson.number}   (from the folder above {WORK_FOLDER}/, or with "
              f"--file PATH)", file=sys.stderr)
        return 2
    names = catalog.exercise_names(lesson.stub)
    if args.exercise:
        unknown = [n for n in args.exercise if n not in names]
        if unknown:
            print(f"autodidact: lesson {lesson.number} has no exercise {unknown[0]!r}; its "
                  f"exercises are {', '.join(names)}", file=sys.stderr)
            return 2
        names = [n for n in names if n in args.exercise]
    hidden = hidden_tests(args.tests, lesson)
    tests = [catalog.exercise_tests(lesson), *hidden]
    print(f"Checking lesson {lesson.number}'s exercises in {_shown(target)}  (looked for "
          f"{looked})" + (f", with {len(hidden)} extra test file(s) from {args.tests}"
                          if hidden else "") + "\n", flush=True)
    results = run_exercises(lesson, target, tests=tests, names=names, time_limit=limit)
    if args.verbose:
        print(results.log + "\n")
    return report(lesson, target, results, course, hidden=bool(args.tests))


_MARK = {"passed": "passed", "failed": "FAILED", "not started": "not started",
         "timed out": "TIMED OUT", "not run": "not checked"}


def report(lesson, target, results, course, hidden=False):
    """Print one line per exercise (why it failed, what it printed); 0 when all pass."""
    exercises = list(results.exercises.values())
    passed = [e for e in exercises if e.passed]
    got = sum(course.points(lesson.number, e.name) for e in passed)
    total = sum(course.points(lesson.number, e.name) for e in exercises)
    width = max(len(e.name) for e in exercises) + 2
    for number, result in enumerate(exercises, 1):
        points = course.points(lesson.number, result.name)
        earned = points if result.passed else 0
        print(f"  {number}. {result.name:<{width}} {_MARK[result.status]:<12} "
              f"{earned}/{points} point{'s' if points != 1 else ''}")
        if result.status in ("failed", "timed out") or (result.status == "not run"
                                                         and result.reason):
            for line in result.reason.splitlines():
                print(f"       {line}")
            if result.output:
                print("       Your code printed:")
                for line in result.output.splitlines():
                    print(f"         | {line}")
    print()
    for warning in results.warnings:
        print(f"Warning: {warning}\n")
    if results.interrupted:
        print(f"Stopped (Ctrl-C) after {results.seconds:.1f} s: {len(passed)} of "
              f"{len(exercises)} exercises checked pass; the rest were not checked.")
        return 130
    which = "the public tests and the extra tests" if hidden else "the public tests"
    if results.warnings:
        which = "the tests that could run"        # never claim tests that did not load
    if len(passed) == len(exercises):
        print(f"All {len(exercises)} exercises of lesson {lesson.number} pass {which} "
              f"({got} of {total} points). Well done!")
        if not hidden:
            print("(Your teacher may run more tests of their own.)")
        return 0
    print(f"{len(passed)} of {len(exercises)} exercises pass {which} ({got} of {total} "
          f"points). Edit {_shown(target)}, then run `autodidact exercises check "
          f"{lesson.number}` again (-v shows the tests' own output).")
    return 1


def _classroom(args):
    from .classroom import WORKFLOW_PATH, load_course, workflow
    course = load_course(args.course)
    chosen = [_lesson_or_exit(n) for n in args.lesson] if args.lesson else None
    if WORKFLOW_PATH.exists() and not args.force:
        print(f"{WORKFLOW_PATH} is already there; --force replaces it.", file=sys.stderr)
        return 1
    text = workflow(course, install=args.install, lessons=chosen)
    WORKFLOW_PATH.parent.mkdir(parents=True, exist_ok=True)
    WORKFLOW_PATH.write_text(text, encoding="utf-8")
    steps = text.count("autograding-command-grader@v1")
    print(f"Wrote {WORKFLOW_PATH}: {steps} graded steps (one per exercise, points from "
          f"{course.path}), installing {args.install or course.install!r}.")
    print("Commit it to the assignment's template repository; GitHub Classroom runs it on "
          "every push.")
    return 0
