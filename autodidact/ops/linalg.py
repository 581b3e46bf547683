"""Matrix products.

    op       forward        backward
    matmul   a @ b          grad @ b^T,  a^T @ grad   (batch axes summed back)

1-D operands are treated as PyTorch does: a vector on the left is a row,
on the right a column, and that axis is removed from the result.
"""

from ..backend import module_of
from ..function import Function
from .elementwise import _dt_name


class Matmul(Function):
    node_name = "MmBackward0"

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return module_of(a).matmul(a, b)

    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # Lift vectors to matrices so one formula serves every case.
        a2 = a.unsqueeze(0) if a.dim() == 1 else a
        b2 = b.unsqueeze(-1) if b.dim() == 1 else b
        g = grad   # b's axis first: for vector @ vector, grad is 0-d
        if b.dim() == 1:
            g = g.unsqueeze(-1)
        if a.dim() == 1:
            g = g.unsqueeze(-2)
        grad_a = grad_b = None
        if need_a:
            grad_a = (g @ b2.transpose(-1, -2)).sum_to_size(a2.shape)
            grad_a = grad_a.reshape(a.shape) if a.dim() == 1 else grad_a
        if need_b:
            grad_b = (a2.transpose(-1, -2) @ g).sum_to_size(b2.shape)
            grad_b = grad_b.reshape(b.shape) if b.dim() == 1 else grad_b
        return grad_a, grad_b


class Dot(Matmul):
    node_name = "DotBackward0"


class Bmm(Matmul):
    node_name = "BmmBackward0"


_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool"}


def _check(a, b):
    from ..tensor import Tensor
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError("matmul(): argument 'other' must be Tensor")
    if a.dim() == 0 or b.dim() == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.dim()}D and {b.dim()}D")
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C_TYPE[a.dtype.name]} != "
            f"{_C_TYPE[b.dtype.name]}")
    if a.dim() == 1 and b.dim() == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
                "elements respectively")
        return
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.dim() == 1 else b.shape[-2]
    if inner_a != inner_b:
        rows_a = a.shape[-2] if a.dim() > 1 else 1
        left = f"{rows_a}x{inner_a}" if a.dim() <= 2 else f"{a.numel() // inner_a}x{inner_a}"
        right = f"{inner_b}x{b.shape[-1]}" if b.dim() > 1 else f"{inner_b}x1"
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({left} and {right})")
    if a.dim() > 2 and b.dim() > 2:
        from .shape import broadcast_shapes
        broadcast_shapes(a.shape[:-2], b.shape[:-2])


def matmul(input, other):
    """Matrix product with PyTorch's rules for vectors and batches; dtypes must match."""
    _check(input, other)
    if input.dim() == 1 and other.dim() == 1:
        return Dot.apply(input, other)
    if input.dim() == 3 and other.dim() == 3:
        return Bmm.apply(input, other)
    return Matmul.apply(input, other)


def mm(input, mat2):
    """Product of two matrices (2-D only)."""
    if input.dim() != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.dim() != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


def dot(input, other):
    """Inner product of two vectors."""
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {input.dim()}D and {other.dim()}D tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_dt_name(input.dtype)} "
            f"and {_dt_name(other.dtype)}")
    return matmul(input, other)


def bmm(input, mat2):
    if input.dim() != 3 or mat2.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    return matmul(input, mat2)
