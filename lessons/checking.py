"""The checker's inside: the process that runs an exercise's tests on a student's file.

``autodidact exercises check`` (``lessons/runner.py``) never runs a
student's code itself. It starts ``python -m lessons.checking`` in a
scratch folder and sends it, on its standard input, what to run: the test
files, the student's file, which exercises, and the two things the report
depends on: a pipe to write the report into and a random token every
message carries. This process reads that line, closes its standard input,
and only then imports the student's file, so the student's code never
sees the token in a place it can read back (a file, an argument, the
environment). A message without the token, or a line that is not one of
ours, tells the checker that something else wrote into the pipe.

What goes back, one JSON line each: the tests collected (and the
exercise each checks, from its ``@pytest.mark.exercise`` marker), each
test's start and end, and each test's outcome in plain words: passed,
not started (the stub's ``NotImplementedError``), or failed and why, with
what the student's code printed. The checker times each test from its
start event and kills this process when one runs too long; it restarts
it for the exercises that remain when it dies (``os._exit``).

Inside a test, ``KeyboardInterrupt`` and ``SystemExit`` are the student's
(this process has its own session: the terminal's Ctrl-C goes to the
checker): both count as that test's failure, not the end of the run.
"""

import importlib.util
import json
import os
import sys
import traceback
from pathlib import Path

import pytest

from lessons.catalog import STUDENT_ENV

PACKAGE = Path(__file__).resolve().parents[1] / "autodidact"


class StudentInterrupt(Exception):
    """A KeyboardInterrupt raised by the student's code, turned into a test failure."""


class Reporter:
    """The pytest plugin: keeps the chosen exercises' tests, writes each outcome to the pipe."""

    def __init__(self, send, exercises, fixtures):
        self.send = send
        self.exercises = set(exercises) if exercises else None
        self.fixtures = fixtures          # tests/exercises/conftest.py, loaded as a module
        self.exercise_of = {}

    # -- which tests
    def pytest_collection_modifyitems(self, config, items):
        kept, dropped = [], []
        for item in items:
            marker = item.get_closest_marker("exercise")
            name = marker.args[0] if marker else None
            if name is not None and (self.exercises is None or name in self.exercises):
                self.exercise_of[item.nodeid] = name
                kept.append(item)
            else:
                dropped.append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        self.send(event="collected", tests=[[i.nodeid, self.exercise_of[i.nodeid]] for i in kept])

    def pytest_collectreport(self, report):
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.send(event="collect-error", test=report.nodeid,
                      reason="\n".join(lines[-4:]))

    def pytest_collection_finish(self, session):
        # Import the student's file once, before any test, so that a loop or an
        # exit at its top level is seen as the file's, not as the first test's.
        target = os.environ.get(STUDENT_ENV)
        if not target or not session.items:
            return
        stem = Path(session.items[0].path).stem[len("test_"):]
        path = self.fixtures.student_file(stem)
        if path.is_file():
            self.send(event="loading")
            try:
                self.fixtures.load_module(path, "student")
            except BaseException:      # noqa: B036 -- the tests report it, one by one
                pass
            self.send(event="loaded")

    # -- each test
    def pytest_runtest_logstart(self, nodeid):
        self.send(event="start", test=nodeid)

    def pytest_runtest_logfinish(self, nodeid):
        self.send(event="finish", test=nodeid)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item):
        return (yield from _students_interrupts())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        return (yield from _students_interrupts())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item):
        return (yield from _students_interrupts())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.when == "call" or report.failed:
            record = {"test": item.nodeid, "exercise": self.exercise_of.get(item.nodeid),
                      "when": report.when}
            if report.passed:
                record.update(status="passed", reason="")
            elif report.skipped:
                record.update(status="skipped", reason=str(report.longrepr[-1]))
            else:
                record.update(explain(call.excinfo, report.when))
                record["output"] = _first_lines(report.capstdout + report.capstderr, 20)
            self.send(event="result", **record)
        return report


def _students_interrupts():
    """Run a test phase; a KeyboardInterrupt from inside it is the student's, so it fails the test."""
    try:
        return (yield)
    except KeyboardInterrupt as error:
        raise StudentInterrupt("your code raised KeyboardInterrupt") from error


# ------------------------------------------------------------ plain words

def _student_file():
    target = os.environ.get(STUDENT_ENV)
    return Path(target).resolve() if target else None


def _where(excinfo):
    """(innermost line in the student's file or None, the innermost frame is autodidact's)."""
    student, line = _student_file(), None
    error = excinfo.value
    frames = [(Path(f.filename), f.lineno) for f in traceback.extract_tb(
        (error.__cause__ or error).__traceback__)]
    if isinstance(error, SyntaxError) and error.filename:
        frames.append((Path(error.filename), error.lineno or 0))
    for path, lineno in reversed(frames):
        if student and (path == student or path.parent == student):
            line = f"line {lineno} of {path.name}"
            break
    last = frames[-1][0] if frames else None
    in_library = last is not None and PACKAGE in last.parents
    in_student = last is not None and student is not None and (last == student
                                                                or last.parent == student)
    return line, in_library and not in_student


def explain(excinfo, when):
    """{status, reason} for a test that did not pass, in words a student can act on."""
    if excinfo is None:
        return {"status": "failed", "reason": "the test failed"}
    error = excinfo.value
    line, from_library = _where(excinfo)
    at = f" ({line})" if line else ""
    name = type(error).__name__
    if isinstance(error, StudentInterrupt):
        return {"status": "failed", "reason": f"your code raised KeyboardInterrupt{at}: an "
                                              f"exercise must return, not stop the run"}
    if isinstance(error, SystemExit):
        return {"status": "failed", "reason": f"your code called sys.exit({error.code!r}){at}: "
                                              f"an exercise must return its answer, not exit"}
    if (when == "setup" or isinstance(error, SyntaxError)) and line \
            and not isinstance(error, NotImplementedError):
        text = error.msg if isinstance(error, SyntaxError) else _first_lines(error, 3)
        return {"status": "error", "reason": f"your file could not be loaded: {name}: {text}{at}"}
    if isinstance(error, AttributeError) and "'_exercise_student_" in str(error):
        missing = str(error).rsplit("attribute", 1)[-1].strip(" '\"")
        return {"status": "failed", "reason": f"your file has no {missing!r}: keep the stub's "
                                              f"function (or class) of that name"}
    if isinstance(error, NotImplementedError) and line:
        return {"status": "not started", "reason": "still raises NotImplementedError"}
    if isinstance(error, AssertionError):
        message = str(error).split("\nassert ")[0].strip()
        if message and not message.startswith("assert "):
            return {"status": "failed", "reason": _first_lines(message, 6)}
        return {"status": "failed", "reason": "a check failed: " + _first_lines(str(error), 3)}
    if from_library:
        # autodidact refused something: a call the student's code made, or (the
        # student's code no longer on the stack) what it returned, used by the engine.
        if line:
            return {"status": "failed", "reason": f"autodidact raised {name} when your code "
                                                  f"called it ({line}): {_first_lines(error, 4)}"}
        return {"status": "failed", "reason": f"the engine refused what your code returned "
                                              f"({name}): {_first_lines(error, 4)}"}
    if line:
        return {"status": "failed", "reason": f"your code raised {name}: "
                                              f"{_first_lines(error, 4)} ({line})"}
    return {"status": "failed", "reason": f"the test raised {name}: {_first_lines(error, 4)}"}


def _first_lines(text, count):
    lines = str(text).strip().splitlines()
    return "\n".join(lines[:count]) + (" ..." if len(lines) > count else "")


# ------------------------------------------------------------ the process

def _open_channel(handle):
    """The write end of the report pipe, from the number the checker sent."""
    if os.name == "nt":
        import msvcrt
        return msvcrt.open_osfhandle(handle, os.O_WRONLY)
    return handle


def _limit_memory(megabytes):
    """On POSIX, cap this process's address space (Linux enforces it; macOS does not)."""
    if not megabytes:
        return
    try:
        import resource
    except ImportError:      # Windows: no such limit
        return
    limit = int(megabytes) * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _load_fixtures(path):
    spec = importlib.util.spec_from_file_location("autodidact_exercise_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main():
    order = json.loads(sys.stdin.readline())
    # Nothing the student's code can read holds the token from here on.
    sys.stdin.close()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    fd, token = _open_channel(order.pop("channel")), order.pop("token")

    def send(**message):
        os.write(fd, (json.dumps({"token": token, **message}) + "\n").encode())

    _limit_memory(order.get("memory_mb"))
    os.environ[STUDENT_ENV] = order["student"]
    os.environ.setdefault("MPLBACKEND", "Agg")
    fixtures = _load_fixtures(order["fixtures"])
    reporter = Reporter(send, order.get("exercises"), fixtures)
    Path("pytest.ini").write_text("[pytest]\n")
    code = pytest.main([*order["tests"], "-c", "pytest.ini", "--rootdir", ".", "--noconftest",
                        "--import-mode=importlib", "--continue-on-collection-errors",
                        "-p", "no:cacheprovider", "-q", "--no-header", "-rN", "--color=no",
                        "--tb=no"], plugins=[reporter, fixtures])
    send(event="done", code=int(code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
