"""The course's table of contents: its lessons, their exercise files, the exercises in each.

Read from the files themselves (nothing is run), so it is never out of date:

    >>> [lesson.number for lesson in lessons()][:3]
    [1, 2, 3]
    >>> exercise_names(find(7).stub)
    ['mse', 'gradient_by_hand', 'sgd_step', 'train']
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COURSE", "STUDENT_ENV", "Lesson", "lessons", "find", "exercise_names",
           "exercise_tests", "exercise_tests_folder"]

COURSE = Path(__file__).resolve().parent
STUDENT_ENV = "AUTODIDACT_EXERCISES"   # the student's file, for tests/exercises/conftest.py
_LESSON_FILE = re.compile(r"^(\d\d)_(\w+)\.py$")


@dataclass(frozen=True)
class Lesson:
    """One lesson: its number, file, title, and where its exercises are."""

    number: int
    path: Path

    @property
    def name(self):
        """``07_linear_model``."""
        return self.path.stem

    @property
    def title(self):
        """The lesson's heading, without "Lesson N:"."""
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# # "):
                return re.sub(r"^Lesson \d+:\s*", "", line[4:].strip())
        return self.name

    @property
    def stem(self):
        """``ex07_linear_model``: the name of its exercise, answer and test files."""
        return "ex" + self.name

    @property
    def stub(self):
        return COURSE / "exercises" / f"{self.stem}.py"

    @property
    def answer(self):
        return COURSE / "answers" / f"{self.stem}.py"

    @property
    def wrong(self):
        return COURSE / "answers" / f"{self.stem}_wrong.py"


def lessons():
    """Every lesson, in order."""
    found = []
    for path in sorted(COURSE.glob("*.py")):
        match = _LESSON_FILE.match(path.name)
        if match:
            found.append(Lesson(int(match.group(1)), path))
    return found


def find(number):
    """The lesson numbered ``number`` (an int or a string such as "7" or "07")."""
    try:
        wanted = int(str(number))
    except ValueError:
        wanted = None
    for lesson in lessons():
        if lesson.number == wanted:
            return lesson
    numbers = ", ".join(str(lesson.number) for lesson in lessons())
    raise LookupError(f"there is no lesson {number!r}; the lessons are {numbers} "
                      f"(`autodidact lessons` lists them)")


def exercise_names(path):
    """The exercises a Python file defines: public top-level functions and classes, in order.

    Read with ``ast``, without running the file. Names with a double
    underscore (a wrong answer's ``name__label``) are not exercises.
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    return [node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
            and not node.name.startswith("_") and "__" not in node.name]


def exercise_tests_folder():
    """The folder of the exercises' tests (and their conftest.py).

    In a checkout (or an editable install of one) it is tests/exercises/;
    an installed wheel carries the same files as lessons/exercise_tests/.
    """
    places = [COURSE.parent / "tests" / "exercises", COURSE / "exercise_tests"]
    return next((place for place in places if (place / "conftest.py").is_file()), places[0])


def exercise_tests(lesson):
    """The test file of ``lesson``'s exercises."""
    return exercise_tests_folder() / f"test_{lesson.stem}.py"
