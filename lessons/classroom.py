"""For a class: the course file (points and limits) and the GitHub Classroom workflow.

    course = load_course()                  # lessons/course.ini, or $AUTODIDACT_COURSE
    course.points(7, "mse")                 # 2
    print(workflow(course))                 # .github/workflows/classroom.yml's text

The course file is an INI file (read with the standard library, so a
student's installation needs nothing more): a ``[course]`` section with
the limits, and one ``[lesson N]`` section per lesson giving each
exercise its points.
"""

import configparser
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog

__all__ = ["Course", "load_course", "workflow", "COURSE_ENV", "DEFAULT_COURSE_FILE"]

COURSE_ENV = "AUTODIDACT_COURSE"
DEFAULT_COURSE_FILE = catalog.COURSE / "course.ini"


@dataclass
class Course:
    """Points per exercise and the limits exercises are checked under."""

    path: Path
    default_points: float = 1
    time_limit: float = 20.0          # seconds per test, from its start
    memory_mb: int = 2048             # per student process when grading (POSIX)
    install: str = "."                # what the classroom workflow installs
    workflow_minutes: int = 5         # per exercise step of the workflow
    listed: dict = field(default_factory=dict)   # {(lesson, exercise): points}

    def points(self, lesson, exercise):
        return self.listed.get((int(lesson), exercise), self.default_points)


def load_course(path=None):
    """The course file at ``path``, else $AUTODIDACT_COURSE, else lessons/course.ini."""
    path = Path(path or os.environ.get(COURSE_ENV) or DEFAULT_COURSE_FILE)
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    parser.optionxform = str            # exercise names keep their case (MLP, Softplus)
    try:
        with open(path, encoding="utf-8") as file:
            parser.read_file(file)
    except OSError as error:
        raise SystemExit(f"autodidact: cannot read the course file {path}: {error.strerror}")
    except configparser.Error as error:
        raise SystemExit(f"autodidact: the course file {path} is not an INI file: {error}")
    course = Course(path)
    section = parser["course"] if parser.has_section("course") else {}
    try:
        course.default_points = _number(section.get("points", 1))
        course.time_limit = float(section.get("time limit", course.time_limit))
        course.memory_mb = int(section.get("memory limit", course.memory_mb))
        course.install = section.get("install", course.install).strip() or "."
        course.workflow_minutes = int(section.get("workflow timeout", course.workflow_minutes))
        for name in parser.sections():
            match = re.fullmatch(r"lesson\s+(\d+)", name.strip())
            if match:
                for exercise, value in parser[name].items():
                    course.listed[(int(match.group(1)), exercise)] = _number(value)
            elif name != "course":
                raise ValueError(f"unknown section [{name}] (expected [course] or [lesson N])")
    except ValueError as error:
        raise SystemExit(f"autodidact: the course file {path}: {error}")
    return course


def _number(text):
    value = float(text)
    if value < 0:
        raise ValueError(f"points must not be negative, got {text}")
    return int(value) if value == int(value) else value


# ------------------------------------------------------------ the workflow

WORKFLOW_PATH = Path(".github") / "workflows" / "classroom.yml"


def _q(text):
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(str(text))


def workflow(course, install=None, lessons=None, python="3.11"):
    """The text of a GitHub Classroom autograding workflow: one grader step per exercise.

    Each step runs ``autodidact exercises check N --exercise NAME`` (exit
    status 0 when that exercise passes) and is worth the course file's
    points; the reporter step at the end adds them up.
    """
    install = install or course.install
    pip = "python -m pip install -e ." if install == "." else \
        f"python -m pip install {shlex.quote(install)}"
    chosen = lessons or catalog.lessons()
    steps, ids = [], []
    for lesson in chosen:
        for exercise in catalog.exercise_names(lesson.stub):
            step_id = f"ex{lesson.number:02d}-{exercise.lower().replace('_', '-')}"
            ids.append(step_id)
            steps.append(
                f"    - name: {_q(f'Lesson {lesson.number}: {exercise}')}\n"
                f"      id: {step_id}\n"
                f"      uses: classroom-resources/autograding-command-grader@v1\n"
                f"      with:\n"
                f"        test-name: {_q(f'lesson {lesson.number} {exercise}')}\n"
                f"        setup-command: {_q('')}\n"
                f"        command: {_q(f'autodidact exercises check {lesson.number} --exercise {exercise}')}\n"
                f"        timeout: {course.workflow_minutes}\n"
                f"        max-score: {course.points(lesson.number, exercise)}\n")
    env = "".join(f"        {step_id.upper()}_RESULTS: "
                  f"\"${{{{steps.{step_id}.outputs.result}}}}\"\n" for step_id in ids)
    return (
        "# Written by `autodidact exercises classroom`: GitHub Classroom's autograding.\n"
        "# One step per exercise, worth the points of the course file "
        f"({course.path.name}).\n"
        "name: Autograding Tests\n"
        "\"on\":\n"
        "  - push\n"
        "  - repository_dispatch\n"
        "permissions:\n"
        "  checks: write\n"
        "  actions: read\n"
        "  contents: read\n"
        "jobs:\n"
        "  run-autograding-tests:\n"
        "    runs-on: ubuntu-latest\n"
        "    if: github.actor != 'github-classroom[bot]'\n"
        "    steps:\n"
        "    - name: Check out the code\n"
        "      uses: actions/checkout@v4\n"
        "    - name: Set up Python\n"
        "      uses: actions/setup-python@v5\n"
        "      with:\n"
        f"        python-version: {_q(python)}\n"
        "    - name: Install autodidact\n"
        f"      run: {_q(pip)}\n"
        + "".join(steps) +
        "    - name: Autograding Reporter\n"
        "      uses: classroom-resources/autograding-grading-reporter@v1\n"
        "      env:\n"
        + env +
        "      with:\n"
        f"        runners: {','.join(ids)}\n")
