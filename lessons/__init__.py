"""lessons: the autodidact course, one numbered lesson a file.

Each lesson (``01_scalars.py`` ... ``11_inside_backward.py``) is a Jupytext
percent-format script: runnable with python, openable as a notebook.
``exercises/`` holds the stubs students copy (``autodidact exercises start
N``), ``answers/`` the reference answers and the plausible wrong answers
their tests are shown to catch. ``course.py`` is what the lessons share
(output folder, plot style, saving pictures), ``catalog.py`` the table of
contents, ``commands.py`` the ``lessons``/``lesson``/``exercises`` commands,
``runner.py`` and ``checking.py`` the two sides of ``exercises check`` (the
checker, and the process that runs the tests on a student's file),
``classroom.py`` the course file (points, limits) and the GitHub Classroom
workflow, ``grading.py`` ``exercises grade``, ``doctor.py`` ``autodidact
doctor``, ``narrate.py`` a lesson run with its explanations printed.
README.md is the teacher's guide.

Lessons import autodidact; autodidact never imports them (only its command
line reaches them, per command).
"""
