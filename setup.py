"""Packaging lives in setup.cfg; this file says which packages, for one reason.

The exercises' tests (tests/exercises/) ship inside the lessons package, as
lessons/exercise_tests/, so that `autodidact exercises check` works from an
installed wheel as it does in the checkout (lessons/catalog.py finds both).
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["autodidact", "autodidact.*", "viz", "viz.*",
                                    "lessons", "lessons.*"]) + ["lessons.exercise_tests"],
    package_dir={"lessons.exercise_tests": "tests/exercises"},
)
