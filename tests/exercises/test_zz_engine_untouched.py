"""After every exercise test has run: the engine is exactly as it was before them.

The exercises plug students' rules and orders into the real engine; this
file runs last in this folder (the name sorts last) and checks, once more,
what conftest's autouse fixture checks after each test. It also checks that
the restoring itself works when the plugged-in code fails.
"""

import pytest

import autodidact as torch
from autodidact import autograd, ops
from autodidact.function import swap_backward


def test_the_rule_table_is_as_before_the_exercises(engine_changes_now):
    assert engine_changes_now() == []
    # ... and it still computes: every rule an exercise swaps gives the right gradient.
    x = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    for f in (torch.tanh, lambda t: t * t, lambda t: (t * t.tanh()).sum()):
        assert autograd.gradcheck(f, (x,))


def test_swap_backward_restores_after_an_error(engine_changes_now):
    before = ops.REGISTRY["tanh"].__dict__.get("backward")

    def broken(ctx, grad):
        raise NotImplementedError

    x = torch.tensor([0.5], requires_grad=True)
    with pytest.raises(NotImplementedError):
        with swap_backward("tanh", broken):
            x.tanh().sum().backward()
    assert ops.REGISTRY["tanh"].__dict__.get("backward") is before
    assert engine_changes_now() == []


def test_a_leak_would_be_seen(engine_changes_now):
    swap = swap_backward("exp", lambda ctx, grad: grad)
    swap.__enter__()
    try:
        assert engine_changes_now() == [
            "the backward rule of 'exp' was replaced"]
    finally:
        swap.__exit__(None, None, None)
    assert engine_changes_now() == []
