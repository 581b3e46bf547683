"""lessons: the autodidact course, one numbered lesson a file.

Each lesson is a Jupytext percent-format script (runnable with python,
openable as a notebook); exercises/ will hold the stubs students copy and
answers/ the reference answers. Lessons import autodidact; autodidact
never imports them.
"""
