"""Products built on matmul: mv, outer, addmm, tensordot.

    op        forward                        backward (grad = dL/d(out))
    addmm     beta c + alpha (m1 @ m2)       beta grad,  alpha grad @ m2^T,  alpha m1^T @ grad
    mv        M @ v                          (matmul's rule)
    outer     v[:, None] * w                 (a view and a mul: their rules)
    tensordot permute, reshape, mm, reshape  (their rules)

Only addmm is a rule of its own (PyTorch records it as one node); the
others are spelled with ops that already have one.
"""

from ..backend import module_of
from ..function import Function
from . import linalg
from .linalg import Mv, _check

# ----------------------------------------------------------------- the rules


class ScaledAddmm(Function):
    """beta c + alpha (m1 @ m2), any c that broadcasts: ``torch.addmm``. (nn.Linear's own,
    bias-only form is ``layers.Addmm``; both record PyTorch's AddmmBackward0.)"""

    node_name = "AddmmBackward0"
    derivative = ("d(beta c + alpha m1 m2) is beta for c, alpha × (· @ m2^T) for m1 and "
                  "alpha × (m1^T @ ·) for m2: each receives grad passed through its own")

    def forward(ctx, c, m1, m2, beta, alpha):
        need_c, need_m1, need_m2 = ctx.needs_input_grad[:3]
        ctx.beta, ctx.alpha = beta, alpha
        ctx.save_for_backward(m1 if need_m2 else None, m2 if need_m1 else None)
        product = module_of(m1).matmul(m1, m2)
        if alpha != 1:
            product = product * alpha
        if beta == 0:   # c is ignored, even if it holds NaN (PyTorch)
            return product
        return (c * beta if beta != 1 else c) + product

    def backward(ctx, grad):
        m1, m2 = ctx.saved_tensors
        need_c, need_m1, need_m2 = ctx.needs_input_grad
        grad_c = (grad * ctx.beta if ctx.beta != 1 else grad) if need_c else None
        grad_m1 = grad @ m2.t() * ctx.alpha if need_m1 else None
        grad_m2 = m1.t() @ grad * ctx.alpha if need_m2 else None
        return grad_c, grad_m1, grad_m2


# ------------------------------------------------------- public functions


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat1 @ mat2): nn.Linear's product and bias in one op.

        >>> autodidact.addmm(bias, x, weight.t())    # x @ weight.t() + bias
    """
    from .dispatch import _finish
    if mat1.dim() != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.dim()}-D tensor")
    if mat2.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2.dim()}-D tensor")
    _check(mat1, mat2)
    shape = (mat1.shape[0], mat2.shape[1])
    lead = 2 - input.dim()
    for d, size in enumerate(input.shape):   # input must expand to (n, p)
        if lead < 0 or size not in (1, shape[lead + d]):
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[max(lead, 0) + d] if lead >= 0 else -1}) "
                f"must match the existing size ({size}) at non-singleton dimension {lead + d}.  "
                f"Target sizes: {list(shape)}.  Tensor sizes: {list(input.shape)}")
    return _finish(ScaledAddmm.apply(input, mat1, mat2, beta=beta, alpha=alpha), out, "addmm")


def matmul(input, other, *, out=None):
    """``input @ other`` (the rules are in ``ops/linalg.py``), written into ``out`` if given."""
    if out is None:
        return linalg.matmul(input, other)
    from .dispatch import _finish
    return _finish(linalg.matmul(input, other), out, "matmul")


def mv(input, vec, *, out=None):
    """Matrix times vector: (n, m) @ (m,) -> (n,)."""
    from .dispatch import _finish
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.dim()}, "
                           f"{vec.dim()}")
    _check(input, vec)
    return _finish(Mv.apply(input, vec), out, "mv")


def outer(input, vec2, *, out=None):
    """Outer product of two vectors: out[i, j] = input[i] * vec2[j]."""
    from .arithmetic import mul
    from .dispatch import _finish
    if input.dim() != 1 or vec2.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.dim()}-D"
                           if input.dim() != 1 else
                           f"outer: Expected 1-D argument vec2, but got {vec2.dim()}-D")
    return _finish(mul(input.reshape(-1, 1), vec2), out, "outer")


ger = outer


def tensordot(a, b, dims=2, out=None):
    """Sum the products over the last ``dims`` axes of a and the first ``dims`` of b.

    ``dims`` may also be two lists of axes: ``tensordot(a, b, ([1, 0], [0, 1]))``.
    It is one matrix product: the contracted axes of each operand are moved
    together (permute), flattened (reshape), multiplied (mm) and unflattened.
    """
    from .dispatch import _finish
    matmul = linalg.matmul
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
    for da, db in zip(dims_a, dims_b):   # named as given (PyTorch's message)
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[da]} in dim {da} and second has size {b.shape[db]} "
                               f"in dim {db}")
    dims_a = [d % a.dim() if a.dim() else d for d in dims_a]
    dims_b = [d % b.dim() if b.dim() else d for d in dims_b]
    free_a = [d for d in range(a.dim()) if d not in dims_a]
    free_b = [d for d in range(b.dim()) if d not in dims_b]
    size = 1
    for d in dims_a:
        size *= a.shape[d]
    if not free_a and not free_b:   # everything contracted: a dot product of two vectors
        left, right = a.permute(list(dims_a)).reshape(size), b.permute(list(dims_b)).reshape(size)
    else:
        left = a.permute([*free_a, *dims_a]).reshape(-1, size)
        right = b.permute([*dims_b, *free_b]).reshape(size, -1)
    shape = [a.shape[d] for d in free_a] + [b.shape[d] for d in free_b]
    return _finish(matmul(left, right).reshape(shape), out, "tensordot")


__all__ = ["addmm", "matmul", "mv", "outer", "ger", "tensordot"]
