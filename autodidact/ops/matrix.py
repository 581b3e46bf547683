"""Parts of a matrix: triangles, diagonals, the trace.

    op          forward                         backward (grad = dL/d(out))
    tril/triu   a with the other triangle 0     grad with the same triangle kept
    diagonal    a[..., i, i+k] as a new axis    grad placed back on the diagonal (diag_embed)
    diag_embed  v placed on a diagonal          grad's diagonal read back (diagonal)
    trace       sum of a[i, i]                  grad times the identity

diagonal and diag_embed are each other's backward: one reads a
diagonal, the other writes it.
"""

from ..backend import module_of
from ..function import Function
from ..tensor import normalize_dim
from .layout import row_major

# ----------------------------------------------------------------- the rules


class Tril(Function):
    derivative = "tril keeps some elements (slope 1) and zeroes the rest, so a receives tril(grad)"

    def forward(ctx, a, diagonal):
        ctx.diagonal = diagonal
        return row_major(module_of(a).tril(a, diagonal))

    def backward(ctx, grad):
        return tril(grad, ctx.diagonal)


class Triu(Function):
    derivative = "triu keeps some elements (slope 1) and zeroes the rest, so a receives triu(grad)"

    def forward(ctx, a, diagonal):
        ctx.diagonal = diagonal
        return row_major(module_of(a).triu(a, diagonal))

    def backward(ctx, grad):
        return triu(grad, ctx.diagonal)


class Diagonal(Function):
    derivative = ("each out element is one diagonal element of a, so a receives grad on that "
                  "diagonal and 0 elsewhere")

    def forward(ctx, a, offset, dim1, dim2):
        ctx.offset, ctx.dim1, ctx.dim2, ctx.input_shape = offset, dim1, dim2, a.shape
        return module_of(a).diagonal(a, offset, dim1, dim2).copy()   # NumPy's is read-only

    def backward(ctx, grad):
        return DiagEmbed.apply(grad, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2,
                               shape=ctx.input_shape)


class DiagCopy(Diagonal):
    """diag() of a matrix: PyTorch copies the diagonal (diagonal_copy) and names the node so."""

    node_name = "DiagonalBackward0_copy"
    derivative = "each out element is one diagonal element of a: a receives grad there, 0 elsewhere"


class DiagEmbed(Function):
    derivative = ("out is v on a diagonal and 0 elsewhere, so v receives the diagonal of grad")

    def forward(ctx, v, offset, dim1, dim2, shape):
        ctx.offset, ctx.dim1, ctx.dim2 = offset, dim1, dim2
        xp = module_of(v)
        out = xp.zeros(shape, dtype=v.dtype)
        n = v.shape[-1]
        rows = xp.arange(n) + max(-offset, 0)
        cols = xp.arange(n) + max(offset, 0)
        # Move the two matrix axes last (a view), then write the diagonal through it.
        xp.moveaxis(out, (dim1, dim2), (-2, -1))[..., rows, cols] = v
        return out

    def backward(ctx, grad):
        return Diagonal.apply(grad, offset=ctx.offset, dim1=ctx.dim1, dim2=ctx.dim2)


class Trace(Function):
    derivative = "trace adds up the diagonal, so each diagonal element receives grad, others 0"

    def forward(ctx, a):
        ctx.input_shape = a.shape
        return module_of(a).trace(a).astype(a.dtype)

    def backward(ctx, grad):
        from ..creation import eye
        n, m = ctx.input_shape
        return grad * eye(n, m, dtype=grad.dtype, device=grad.device)


# ------------------------------------------------------- public functions


def _at_least_2d(name, input):
    if input.dim() < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0, *, out=None):
    """The lower triangle (on and below ``diagonal``); the rest set to 0. Batches work too."""
    from .dispatch import _finish
    _at_least_2d("tril", input)
    return _finish(Tril.apply(input, diagonal=diagonal), out, "tril")


def triu(input, diagonal=0, *, out=None):
    """The upper triangle (on and above ``diagonal``); the rest set to 0."""
    from .dispatch import _finish
    _at_least_2d("triu", input)
    return _finish(Triu.apply(input, diagonal=diagonal), out, "triu")


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal of the (dim1, dim2) matrices, as the last axis; ``offset`` > 0 is above."""
    d1, d2 = normalize_dim(dim1, input.dim()), normalize_dim(dim2, input.dim())
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2)


def diag(input, diagonal=0, *, out=None):
    """A vector's square matrix with it on a diagonal, or a matrix's diagonal as a vector.

        >>> autodidact.diag(autodidact.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    from .dispatch import _finish
    if input.dim() == 1:
        n = input.shape[0] + abs(diagonal)
        result = DiagEmbed.apply(input, offset=diagonal, dim1=0, dim2=1, shape=(n, n))
    elif input.dim() == 2:
        result = DiagCopy.apply(input, offset=diagonal, dim1=0, dim2=1)
    else:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " f"{input.dim()}D")
    return _finish(result, out, "diag")


def trace(input):
    """The sum of the main diagonal of a matrix."""
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    if not input.dtype.is_floating_point:
        from .. import dtypes as _dt
        from .promotion import cast
        return Trace.apply(cast(input, _dt.int64))
    return Trace.apply(input)


__all__ = ["tril", "triu", "diagonal", "diag", "trace"]
