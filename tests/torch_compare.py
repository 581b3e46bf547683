"""Helpers for tests that run the same program on autodidact and on PyTorch.

    ours, theirs = run(autodidact, fn), run(torch, fn)   # a result or the exception
    same_value(ours, theirs)   # shape, dtype name and values agree
    same_error(ours, theirs)   # same exception type and text ("torch." read as "autodidact.")
"""

import warnings

import numpy as np


def run(lib, fn):
    """fn(lib), or the exception it raised: an error is a result to compare too."""
    try:
        return fn(lib)
    except Exception as exc:  # noqa: BLE001 - the exception is the result
        return exc


def run_quietly(lib, fn):
    """``run`` with warnings silenced (out= resizing warns on both sides)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(lib, fn)


def _same_layout(ours, theirs):
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.dtype.name == str(theirs.dtype).replace("torch.", "")


def same_value(ours, theirs):
    """Shape and dtype agree and values are equal to float tolerance (rtol 1e-6)."""
    _same_layout(ours, theirs)
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64),
                               theirs.detach().numpy().astype(np.float64), rtol=1e-6)


def same_exact(ours, theirs):
    """Shape and dtype agree and values are identical (indexing copies, never computes)."""
    _same_layout(ours, theirs)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def same_error(ours, theirs, prefix=False):
    """Both raised the same exception type with the same text (ours may add to it if prefix)."""
    assert isinstance(theirs, Exception), f"torch did not raise: {theirs!r}"
    assert isinstance(ours, Exception), f"autodidact did not raise, gave {ours!r}"
    assert type(ours) is type(theirs)
    text = str(theirs).replace("torch.", "autodidact.")
    if prefix:
        assert str(ours).startswith(text), (str(ours), text)
    else:
        assert str(ours) == text, (str(ours), text)
