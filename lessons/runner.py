"""Run one lesson's exercise tests on a student's file, safely: the checker's outside.

    results = run_exercises(lesson, Path("my-exercises/ex07_linear_model.py"))
    results.exercises["mse"].status      # 'passed', 'failed', 'not started', 'timed out', ...

The tests run in another process (``python -m lessons.checking``, in a
scratch folder, in a session of its own), which reports through a pipe
and a token only this side knows (see ``lessons/checking.py``). This side
times each test from its start: a test that runs past ``time_limit``
seconds gets its process killed, its exercise marked "timed out", and a
new process runs the exercises that remain. A process that dies in a
test (``os._exit``, a crash, the memory limit) costs that exercise
alone, the same way. Ctrl-C stops the run and keeps what was checked.
"""

import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog
from .catalog import STUDENT_ENV

__all__ = ["ExerciseResult", "Results", "run_exercises", "TIME_LIMIT"]

TIME_LIMIT = 20.0       # seconds per test, from its start
START_LIMIT = 120.0     # seconds for the test process to start and collect (imports)


@dataclass
class ExerciseResult:
    """What the checker found for one exercise."""

    name: str
    status: str = "not run"     # passed, failed, not started, timed out, crashed, not run
    reason: str = ""
    output: str = ""            # what the student's code printed, for a failed test
    passed_checks: int = 0
    checks: int = 0

    @property
    def passed(self):
        return self.status == "passed"


@dataclass
class Results:
    """Every exercise's result, in order, and what else happened on the way."""

    exercises: dict
    interrupted: bool = False
    warnings: list = field(default_factory=list)
    log: str = ""               # the test process's own output (shown with -v)
    seconds: float = 0.0


def run_exercises(lesson, student, tests=None, names=None, time_limit=TIME_LIMIT,
                  memory_mb=None):
    """Check ``names`` (default: all) of ``lesson``'s exercises in the file ``student``.

    ``tests``: the test files (default: the lesson's public ones). Returns
    ``Results``; never raises for anything the student's code does.
    """
    start = time.perf_counter()
    names = list(names or catalog.exercise_names(lesson.stub))
    tests = [str(Path(t).resolve()) for t in (tests or [catalog.exercise_tests(lesson)])]
    results = Results({name: ExerciseResult(name) for name in names})
    pending = list(names)
    logs = []
    with tempfile.TemporaryDirectory(prefix="autodidact-check-") as scratch:
        while pending and not results.interrupted:
            run = _Run(tests, Path(student).resolve(), pending, time_limit, memory_mb, scratch)
            finished, results.interrupted = run.go(results)
            logs.append(run.log())
            if results.interrupted:
                break
            if not finished:
                # No exercise could be settled: don't start the same failing process again.
                for name in pending:
                    results.exercises[name].reason = run.why_nothing()
                break
            pending = [name for name in pending if name not in finished]
    results.log = "\n".join(text for text in logs if text)
    results.seconds = time.perf_counter() - start
    return results


class _Run:
    """One test process: start it, read its report, time its tests, settle exercises."""

    def __init__(self, tests, student, names, time_limit, memory_mb, scratch):
        self.names, self.time_limit = names, time_limit
        self.token = secrets.token_hex(16)
        self.messages = queue.Queue()
        self.output = tempfile.TemporaryFile(dir=scratch)
        read, write = os.pipe()
        order = {"tests": tests, "student": str(student), "exercises": names,
                 "fixtures": str(Path(catalog.exercise_tests_folder()) / "conftest.py"),
                 "memory_mb": memory_mb, "token": self.token}
        # One BLAS thread: exercises are small, several students run at once when
        # grading, and each BLAS thread's buffers count against the memory limit.
        env = dict({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                    "MKL_NUM_THREADS": "1"}, **os.environ)
        env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1",
                   MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join(
                       [str(catalog.COURSE.parent)] + os.environ.get("PYTHONPATH", "").split(
                           os.pathsep)).rstrip(os.pathsep))
        env.pop(STUDENT_ENV, None)
        options = dict(cwd=scratch, env=env, stdin=subprocess.PIPE, stdout=self.output,
                       stderr=subprocess.STDOUT)
        if os.name == "nt":
            import msvcrt
            handle = msvcrt.get_osfhandle(write)
            os.set_handle_inheritable(handle, True)
            order["channel"] = handle
            options.update(close_fds=False,
                           creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
        else:
            order["channel"] = write
            options.update(pass_fds=(write,), start_new_session=True)
        self.process = subprocess.Popen([sys.executable, "-m", "lessons.checking"], **options)
        os.close(write)
        threading.Thread(target=self._read, args=(read,), daemon=True).start()
        try:
            self.process.stdin.write((json.dumps(order) + "\n").encode())
            self.process.stdin.close()
        except OSError:
            pass                    # it died at once; its output says why
        self.collected = None       # {test: exercise}
        self.problem = ""

    def _read(self, fd):
        with open(fd, "rb") as pipe:
            for line in pipe:
                self.messages.put(line)
        self.messages.put(None)

    def _message(self, line):
        try:
            message = json.loads(line)
        except ValueError:
            return None
        if not isinstance(message, dict) or message.pop("token", None) != self.token:
            return None
        return message

    def go(self, results):
        """Run to the end; fill ``results``; return (names settled, stopped by Ctrl-C)."""
        self.records, self.finished = {}, set()
        self.current = None              # the test running now, or "loading"
        try:
            ended = self._listen()
        except KeyboardInterrupt:
            ended = "interrupted"
        if ended != "done" or self.process.poll() is None:
            self._stop()
        return self._settle(results, ended), ended == "interrupted"

    def _listen(self):
        """Read the report until the process is done, dies, runs too long, or is tampered with."""
        phase_start = time.monotonic()
        while True:
            limit = self.time_limit if self.current else START_LIMIT
            try:
                line = self.messages.get(timeout=max(0.01, phase_start + limit - time.monotonic()))
            except queue.Empty:
                return "timed out"
            if line is None:
                return "ended"
            message = self._message(line)
            if message is None:
                return "forged"
            event = message["event"]
            if event == "collected":
                self.collected = dict(message["tests"])
            elif event == "collect-error":
                self.problem = f"a test file could not be loaded: {message['reason']}"
            elif event in ("loading", "start"):
                self.current = message.get("test", "loading")
                phase_start = time.monotonic()
            elif event in ("loaded", "finish"):
                if event == "finish":
                    self.finished.add(message["test"])
                self.current, phase_start = None, time.monotonic()
            elif event == "result":
                self.records.setdefault(message["test"], []).append(message)
            elif event == "done":
                return "done"

    def _stop(self):
        if self.process.poll() is None:
            try:
                if os.name == "nt":
                    self.process.kill()
                else:
                    os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def _settle(self, results, ended):
        """Settle what this run decided; exercises it did not finish stay for the next run."""
        if self.collected is None:
            return set()
        records, finished_tests, current = self.records, self.finished, self.current
        settled = set()
        if self.problem and self.problem not in results.warnings:
            results.warnings.append(self.problem)   # a broken (hidden) test file: say so
        if ended == "done":
            self.process.wait()
        code = self.process.returncode
        if ended == "interrupted":
            current = None
        culprit = None
        if current == "loading":
            culprit = "*"                        # the file itself, at import
        elif current:
            culprit = self.collected.get(current)
        why = {"timed out": f"still running after {self.time_limit:g} s",
               "ended": f"your code ended the test process (exit code {code}: os._exit, "
                        f"a crash, or the memory limit)",
               "forged": "something other than the checker wrote into the checker's report "
                         "(your code wrote to a pipe or file that is not its own)"}.get(ended)
        status = "timed out" if ended == "timed out" else "failed"
        for name in self.names:
            result = results.exercises[name]
            tests = [test for test, exercise in self.collected.items() if exercise == name]
            if culprit == "*":
                result.status = status
                result.reason = (f"your file did not finish loading: {why}" if ended != "forged"
                                 else why) + (" (is there a loop at the top level?)"
                                              if ended == "timed out" else "")
                settled.add(name)
            elif culprit == name:
                result.status = status
                test = current.rsplit("::", 1)[-1].replace("[student]", "")
                result.reason = f"{test}: {why}" + (" (an endless loop?)"
                                                     if ended == "timed out" else "")
                result.checks = len(tests)
                result.passed_checks = sum(_test_passed(records.get(t)) for t in tests
                                           if t in finished_tests)
                settled.add(name)
            elif not tests:
                result.status, result.reason = "not run", "no test checks this exercise"
                settled.add(name)
            elif all(test in finished_tests for test in tests) and ended != "forged":
                _summarise(result, [records.get(test, []) for test in tests])
                settled.add(name)
            elif ended == "forged" and culprit is None:
                result.status, result.reason = "failed", why
                settled.add(name)
        return settled

    def why_nothing(self):
        return self.problem or "the tests could not run (`-v` shows their output)"

    def log(self):
        self.output.seek(0)
        text = self.output.read().decode(errors="replace")
        self.output.close()
        return text.strip()



def _test_passed(test_records):
    return bool(test_records) and all(r["status"] in ("passed", "skipped") for r in test_records)


def _summarise(result, per_test):
    """An exercise's status from its tests' records (each test: one or more records)."""
    result.checks = len(per_test)
    result.passed_checks = sum(_test_passed(records) for records in per_test)
    flat = [record for records in per_test for record in records]
    bad = [r for r in flat if r["status"] not in ("passed", "skipped")]
    if not bad and flat:
        result.status, result.reason = "passed", ""
    elif bad and all(r["status"] == "not started" for r in bad):
        result.status, result.reason = "not started", "still raises NotImplementedError"
    else:
        first = next((r for r in bad if r["status"] != "not started"), bad[0] if bad else None)
        result.status = "failed"
        result.reason = first["reason"] if first else "no test result came back"
        result.output = first.get("output", "") if first else ""
        if result.passed_checks:
            result.reason += f"\n(passed {result.passed_checks} of {result.checks} checks)"
