"""The pytest plugin behind `autodidact exercises check`.

Loaded into the pytest run of a student's file (``-p lessons.checking``),
it writes one record per test to the JSON file named by
``$AUTODIDACT_CHECK_REPORT``: the exercise it checks (its
``@pytest.mark.exercise`` marker), and whether it passed, failed (with the
reason in plain words) or found the exercise not started yet (the stub's
``NotImplementedError``).
"""

import json
import os
from pathlib import Path

import pytest

REPORT_ENV = "AUTODIDACT_CHECK_REPORT"
STUDENT_ENV = "AUTODIDACT_EXERCISES"


# ------------------------------------------------------------------ the plugin

_records = []
_exercise_of = {}


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("exercise")
        _exercise_of[item.nodeid] = marker.args[0] if marker else None


def pytest_collectreport(report):
    if report.failed:
        _records.append({"exercise": None, "test": report.nodeid, "status": "error",
                         "reason": _first_lines(str(report.longrepr), 6)})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.failed):
        record = {"exercise": _exercise_of.get(item.nodeid), "test": item.name}
        if report.passed:
            record.update(status="passed", reason="")
        elif report.skipped:
            record.update(status="skipped", reason=str(report.longrepr[-1]))
        else:
            record.update(_explain(call.excinfo, report.when))
        _records.append(record)


def pytest_sessionfinish(session):
    path = os.environ.get(REPORT_ENV)
    if path:
        Path(path).write_text(json.dumps(_records, indent=1), encoding="utf-8")


def _student_file():
    target = os.environ.get(STUDENT_ENV)
    return str(Path(target).resolve()) if target else None


def _explain(excinfo, when):
    """(status, reason) for a test that did not pass, in words a student can act on."""
    if excinfo is None:
        return {"status": "failed", "reason": "the test failed"}
    error, student = excinfo.value, _student_file()
    where = ""
    for entry in reversed(excinfo.traceback):
        path = str(entry.path)
        if student and (path == student or Path(path).parent == Path(student)):
            where = f" (line {entry.lineno + 1} of {Path(path).name})"
            break
    name = type(error).__name__
    if when == "setup":
        return {"status": "error",
                "reason": f"your file could not be loaded: {name}: {_first_lines(error, 3)}{where}"}
    if isinstance(error, AttributeError) and "'_exercise_student_" in str(error):
        missing = str(error).rsplit("attribute", 1)[-1].strip(" '\"")
        return {"status": "failed", "reason": f"your file has no {missing!r}: keep the stub's "
                                              f"function (or class) of that name"}
    if isinstance(error, NotImplementedError) and where:
        return {"status": "not started", "reason": "still raises NotImplementedError"}
    if isinstance(error, AssertionError):
        message = str(error).split("\nassert ")[0].strip()
        if message and not message.startswith("assert "):
            return {"status": "failed", "reason": _first_lines(message, 6)}
        return {"status": "failed", "reason": "a check failed: " + _first_lines(str(error), 3)}
    return {"status": "failed",
            "reason": f"your code raised {name}: {_first_lines(error, 4)}{where}"}


def _first_lines(text, count):
    lines = str(text).strip().splitlines()
    return "\n".join(lines[:count]) + (" ..." if len(lines) > count else "")
