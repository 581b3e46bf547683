"""Inverse, determinant and linear solve of square matrices (batches too).

    op      forward              backward (grad = dL/d(out))
    inv     X = A^-1             -X^T @ grad @ X^T
    det     d = det(A)           grad * d * A^-T
    solve   X = A^-1 B           B receives G = A^-T @ grad;  A receives -G @ X^T

Each backward is written with the ops themselves (inv's with matmul,
solve's with solve), so second derivatives work too.
"""

import numpy as np

from ..backend import module_of
from ..function import Function


class LinAlgError(RuntimeError):
    """A matrix that has no inverse (singular) where one is needed."""


# ----------------------------------------------------------------- the rules


class LinalgInvEx(Function):
    derivative = "d(A^-1) = -A^-1 dA A^-1, so A receives -X^T @ grad @ X^T with X = A^-1"

    def forward(ctx, a):
        out = _solver(a, "linalg.inv", lambda xp: xp.linalg.inv(a))
        ctx.save_for_backward(out)
        return out

    def backward(ctx, grad):
        out, = ctx.saved_tensors
        t = out.mT
        return -(t @ grad @ t)


class LinalgDet(Function):
    derivative = "d det(A)/dA = det(A) A^-T, so A receives grad × det(A) × A^-T"

    def forward(ctx, a):
        out = module_of(a).linalg.det(a).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out

    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        scale = (grad * out).unsqueeze(-1).unsqueeze(-1)
        return scale * inv(a).mT


class LinalgSolveEx(Function):
    derivative = ("X = A^-1 B: B receives G = A^-T @ grad (a solve with A^T) and A receives "
                  "-G @ X^T")

    def forward(ctx, a, b, vector):
        ctx.vector = vector
        rhs = b[..., None] if vector else b
        out = _solver(a, "autodidact.linalg.solve",
                      lambda xp: xp.linalg.solve(a, rhs), singular="The solver failed "
                      "because the input matrix is singular.")
        out = out[..., 0] if vector else out
        ctx.save_for_backward(a, out)
        return out

    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        grad_b = solve(a.mT, grad)
        if ctx.vector:
            grad_a = -(grad_b.unsqueeze(-1) @ out.unsqueeze(-2))
        else:
            grad_a = -(grad_b @ out.mT)
        return grad_a, grad_b


# ------------------------------------------------------------ helpers


def _solver(a, name, run, singular=None):
    """Run a NumPy/CuPy solver, turning its singular-matrix error into PyTorch's."""
    xp = module_of(a)
    try:
        with np.errstate(all="ignore"):
            return run(xp)
    except np.linalg.LinAlgError:
        raise LinAlgError(f"{name}: " + (singular or "The input matrix is singular, so it has no "
                                         "inverse (its determinant is 0).")) from None


def _square(name, A):
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if not A.dtype.is_floating_point:
        from .promotion import _dt_name
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_dt_name(A.dtype)}")


# ------------------------------------------------------- public functions


def inv(A, *, out=None):
    """The inverse of a square matrix (or of each in a batch); raises if it is singular."""
    from .dispatch import _finish
    _square("linalg.inv", A)
    return _finish(LinalgInvEx.apply(A), out, "linalg_inv")


def det(A, *, out=None):
    """The determinant of a square matrix (or of each in a batch)."""
    from .dispatch import _finish
    _square("linalg.det", A)
    return _finish(LinalgDet.apply(A), out, "linalg_det")


def solve(A, B, *, left=True, out=None):
    """X with A @ X = B, without forming A's inverse; B may be a vector or a matrix.

        >>> autodidact.linalg.solve(autodidact.eye(2) * 2, autodidact.ones(2))
        tensor([0.5000, 0.5000])
    """
    from .dispatch import _finish
    if not left:
        return _finish(solve(A.mT, B.mT).mT, out, "linalg_solve")
    _square("linalg.solve", A)
    if A.dtype is not B.dtype:
        from .promotion import _dt_name
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_dt_name(A.dtype)} and B of type {_dt_name(B.dtype)} "
                           "instead")
    # B is a vector (or a batch of them) when it has one axis fewer than A (PyTorch's rule).
    vector = B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    rows = B.shape[-1] if vector else B.shape[-2]
    if rows != A.shape[-1]:
        cols = 1 if vector else B.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"AX = B ({A.shape[-2]}x{A.shape[-1]} and {rows}x{cols})")
    return _finish(LinalgSolveEx.apply(A, B, vector=vector), out, "linalg_solve")


__all__ = []
