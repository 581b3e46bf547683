"""The exercises' tests, and the fixture that hands each test the code it checks.

Every test here takes the fixture ``ex``: the exercise module under test, one
function (or class) per exercise. A test says which exercise it checks with
``@pytest.mark.exercise("name")``.

In the normal test run each test runs three ways (and more where the wrong
answers hold several mistakes for one exercise):

- ``[answer]``: on ``lessons/answers/exNN_name.py``; it must pass;
- ``[stub]``: with the exercise's blank stub from ``lessons/exercises/``
  (everything else from the answer); strict xfail: it must fail, and with
  the stub's NotImplementedError;
- ``[wrong]``, ``[wrong-LABEL]``: with a plausible wrong answer from
  ``lessons/answers/exNN_name_wrong.py`` (``name`` for the first mistake,
  ``name__label`` for more); strict xfail: it must fail.

So a test that cannot tell right from wrong fails the suite.

``autodidact exercises check N`` sets ``AUTODIDACT_EXERCISES`` to the
student's file or folder (``my-exercises/``): then each test runs once,
``[student]``, on the student's module as it is.

Exercises plug students' code into the engine (``swap_backward``,
``backward(order_fn=...)``) only inside ``with`` blocks; an autouse
fixture checks after every test that the engine's rule table is as it
was, and ``test_zz_engine_untouched.py`` checks it once more at the end.
"""

import importlib.util
import os
import re
import sys
import types
from pathlib import Path

import pytest

import autodidact  # noqa: F401  (the ops table must exist before the snapshot)
from autodidact import graph, ops
from autodidact.autograd import engine

ENV = "AUTODIDACT_EXERCISES"        # lessons.checking.STUDENT_ENV: set by `exercises check`
COURSE = Path(__file__).resolve().parents[2] / "lessons"
STUBS, ANSWERS = COURSE / "exercises", COURSE / "answers"

_LOADED = {}


def load_module(path, kind):
    """Import the file at ``path`` as a fresh module (cached per path and kind)."""
    path = Path(path).resolve()
    key = (kind, str(path))
    if key not in _LOADED:
        name = f"_exercise_{kind}_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module   # dataclasses and pickling look modules up by name
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        _LOADED[key] = module
    return _LOADED[key]


def wrong_variants(wrong_module, exercise):
    """``[(id, object)]``: the wrong answers kept for ``exercise`` (``name``, ``name__label``)."""
    variants = []
    for name, obj in vars(wrong_module).items():
        if name == exercise:
            variants.append(("wrong", obj))
        elif name.startswith(exercise + "__"):
            variants.append(("wrong-" + name[len(exercise) + 2:].replace("_", "-"), obj))
    return variants


def stem_of(test_module):
    """``test_ex07_linear_model.py`` -> ``ex07_linear_model``."""
    return Path(test_module.__file__).stem[len("test_"):]


def student_file(stem):
    """The student's file for ``stem`` from $AUTODIDACT_EXERCISES (a file or a folder)."""
    target = Path(os.environ[ENV])
    return target / f"{stem}.py" if target.is_dir() else target


def _with(module, name, obj):
    """The answer module with one exercise swapped for ``obj`` (a stub or a wrong answer)."""
    namespace = types.SimpleNamespace(**vars(module))
    setattr(namespace, name, obj)
    return namespace


def _first_line(obj):
    doc = (getattr(obj, "__doc__", None) or "").strip()
    return doc.splitlines()[0] if doc else "a plausible wrong answer"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "exercise(name): the exercise (stub function or class) a test checks")


def pytest_generate_tests(metafunc):
    if "ex" not in metafunc.fixturenames:
        return
    stem = stem_of(metafunc.module)
    marker = metafunc.definition.get_closest_marker("exercise")
    if marker is None:
        raise pytest.UsageError(f"{metafunc.definition.nodeid} takes `ex` but has no "
                                f"@pytest.mark.exercise(name) saying which exercise it checks")
    name = marker.args[0]
    if os.environ.get(ENV):
        metafunc.parametrize("ex", [pytest.param(("student", stem, name, None), id="student")],
                             indirect=True)
        return
    params = [pytest.param(("answer", stem, name, None), id="answer"),
              pytest.param(("stub", stem, name, None), id="stub", marks=pytest.mark.xfail(
                  strict=True, raises=NotImplementedError,
                  reason="the blank stub must fail with NotImplementedError"))]
    wrong = load_module(ANSWERS / f"{stem}_wrong.py", "wrong")
    variants = wrong_variants(wrong, name)
    if not variants:
        raise pytest.UsageError(f"lessons/answers/{stem}_wrong.py keeps no wrong answer "
                                f"for {name!r}: every exercise needs one")
    for variant_id, obj in variants:
        params.append(pytest.param(("wrong", stem, name, variant_id), id=variant_id,
                                   marks=pytest.mark.xfail(strict=True,
                                                           reason=_first_line(obj))))
    metafunc.parametrize("ex", params, indirect=True)


@pytest.fixture
def ex(request):
    """The exercise module under test (see the module docstring for which one)."""
    kind, stem, name, variant = request.param
    if kind == "student":
        path = student_file(stem)
        if not path.is_file():
            pytest.fail(f"no file {path}: run `autodidact exercises start "
                        f"{int(stem[2:4])}` first", pytrace=False)
        return load_module(path, "student")
    answer = load_module(ANSWERS / f"{stem}.py", "answer")
    if kind == "answer":
        return answer
    if kind == "stub":
        stub = load_module(STUBS / f"{stem}.py", "stub")
        return _with(answer, name, getattr(stub, name))
    wrong = load_module(ANSWERS / f"{stem}_wrong.py", "wrong")
    return _with(answer, name, dict(wrong_variants(wrong, name))[variant])


# ----------------------------------------------- the engine is left as it was

def engine_state():
    """What exercises may swap, and must put back: every op's backward, the engine's functions."""
    rules = {name: function.__dict__.get("backward") for name, function in
             ops._all_functions().items()}
    return {"rules": rules, "registry": dict(ops.REGISTRY),
            "topological_order": graph.topological_order, "run_backward": graph.run_backward,
            "backward": engine.backward, "grad_enabled": graph.is_grad_enabled()}


ENGINE_AT_START = engine_state()


def engine_changes(before, after):
    """What differs between two ``engine_state()`` snapshots, in words (empty: nothing)."""
    changes = []
    for name in sorted(set(before["rules"]) | set(after["rules"])):
        if before["rules"].get(name) is not after["rules"].get(name):
            changes.append(f"the backward rule of '{name}' was replaced")
    if before["registry"] != after["registry"]:
        changes.append("ops.REGISTRY changed")
    for key in ("topological_order", "run_backward", "backward", "grad_enabled"):
        if before[key] is not after[key] and before[key] != after[key]:
            changes.append(f"{key} changed")
    return changes


@pytest.fixture(autouse=True)
def _engine_restored():
    """After every exercise test: nothing it plugged into the engine is still there."""
    yield
    changes = engine_changes(ENGINE_AT_START, engine_state())
    if changes:
        # Put it back, so one leak does not fail every test after it, then say so.
        functions = ops._all_functions()
        for name, rule in ENGINE_AT_START["rules"].items():
            function = functions[name]
            if rule is not None:
                function.backward = rule
            elif "backward" in function.__dict__:
                del function.backward
        graph._grad_mode.enabled = ENGINE_AT_START["grad_enabled"]
        pytest.fail("the test left the engine changed: " + "; ".join(changes), pytrace=False)


@pytest.fixture
def engine_changes_now():
    """A function returning what differs from the engine before the exercises ([] if nothing)."""
    return lambda: engine_changes(ENGINE_AT_START, engine_state())
