"""``autodidact exercises grade SUBMISSIONS_DIR``: mark a class's submissions into a CSV.

    submissions/
      alice/ex07_linear_model.py               one folder per student; the file may also
      bob/my-exercises/ex07_linear_model.py    sit in a my-exercises/ (or deeper) inside it
    $ autodidact exercises grade submissions --lesson 7 --out grades.csv

Each student's file is checked as ``exercises check`` checks it, in test
processes of its own, with the course file's time limit per test and, on
POSIX systems, a memory limit per process (Linux enforces it; macOS
ignores it; Windows has none). Several students are checked at once.
A file that does not load, loops or exits costs its own points only.

grades.csv has one row per student, lesson and exercise: student,
lesson, exercise, points, status, reason. grades.json beside it has the
same and more: each exercise's maximum, what the code printed, the
seconds each check took.
"""

import csv
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import catalog
from .classroom import load_course
from .runner import run_exercises

__all__ = ["grade_command", "grade", "find_submission"]

FIELDS = ["student", "lesson", "exercise", "points", "status", "reason"]


def find_submission(folder, lesson):
    """The student's file for ``lesson`` in ``folder`` (itself, my-exercises/, or deeper)."""
    name = lesson.stub.name
    for place in (folder / name, folder / "my-exercises" / name):
        if place.is_file():
            return place
    return next(iter(sorted(folder.rglob(name))), None)


def grade(submissions, lessons, course, tests_dir=None, time_limit=None, memory_mb=None,
          jobs=None, progress=print):
    """Check every student's file of each lesson; return the rows (dicts), in order."""
    from .commands import hidden_tests
    students = sorted(p for p in Path(submissions).iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    tasks = [(student, lesson) for student in students for lesson in lessons]
    done = {}

    def check(student, lesson):
        names = catalog.exercise_names(lesson.stub)
        path = find_submission(student, lesson)
        if path is None:
            return None, names, 0.0
        tests = [catalog.exercise_tests(lesson), *hidden_tests(tests_dir, lesson)]
        results = run_exercises(lesson, path, tests=tests, names=names,
                                time_limit=time_limit or course.time_limit,
                                memory_mb=memory_mb or course.memory_mb)
        return results, names, results.seconds

    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        futures = {pool.submit(check, student, lesson): (student, lesson)
                   for student, lesson in tasks}
        try:
            for future in as_completed(futures):
                student, lesson = futures[future]
                results, names, seconds = future.result()
                done[(student.name, lesson.number)] = (results, names)
                if results is None:
                    progress(f"  {student.name:<20} lesson {lesson.number:>2}: no "
                             f"{lesson.stub.name} in {student}")
                    continue
                passed = [e for e in results.exercises.values() if e.passed]
                points = sum(course.points(lesson.number, e.name) for e in passed)
                total = sum(course.points(lesson.number, n) for n in names)
                progress(f"  {student.name:<20} lesson {lesson.number:>2}: {len(passed)} of "
                         f"{len(names)} exercises, {points} of {total} points  "
                         f"({seconds:.1f} s)")
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    rows = []
    for student, lesson in tasks:
        results, names = done[(student.name, lesson.number)]
        for name in names:
            most = course.points(lesson.number, name)
            if results is None:
                row = dict(status="missing", reason=f"no {lesson.stub.name} in the folder",
                           points=0, output="", seconds=0.0)
            else:
                result = results.exercises[name]
                row = dict(status=result.status, reason=result.reason,
                           points=most if result.passed else 0, output=result.output,
                           seconds=round(results.seconds, 2))
            rows.append(dict(student=student.name, lesson=lesson.number, exercise=name,
                             max_points=most, **row))
    return rows


def grade_command(args):
    course = load_course(args.course)
    submissions = Path(args.submissions)
    if not submissions.is_dir():
        print(f"autodidact: {submissions} is not a folder (give the folder holding one "
              f"folder per student)", file=sys.stderr)
        return 2
    from .commands import _lesson_or_exit
    if args.lesson:
        lessons = [_lesson_or_exit(n) for n in args.lesson]
    else:
        lessons = [lesson for lesson in catalog.lessons()
                   if any(p.is_dir() and find_submission(p, lesson)
                          for p in submissions.iterdir())]
    if not lessons:
        print(f"autodidact: no exercise file (exNN_name.py) in any folder of {submissions}",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    print(f"Grading lesson(s) {', '.join(str(lesson.number) for lesson in lessons)} in "
          f"{submissions}/ (points from {course.path}"
          + (f", extra tests from {args.tests}" if args.tests else "") + "):", flush=True)
    try:
        rows = grade(submissions, lessons, course, tests_dir=args.tests,
                     time_limit=args.time_limit, memory_mb=args.memory, jobs=args.jobs,
                     progress=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print(f"\nStopped (Ctrl-C): {args.out} was not written.", file=sys.stderr)
        return 130
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    report = out.with_suffix(".json")
    report.write_text(json.dumps({"course_file": str(course.path), "rows": rows}, indent=1),
                      encoding="utf-8")
    students = len({row["student"] for row in rows})
    print(f"\nWrote {out} and {report}: {students} students, {len(rows)} rows, in "
          f"{time.perf_counter() - start:.1f} s.")
    return 0
