"""Matrix products.

    op       forward        backward
    matmul   a @ b          grad @ b^T,  a^T @ grad   (batch axes summed back)

1-D operands are treated as PyTorch does: a vector on the left is a row,
on the right a column, and that axis is removed from the result.
"""

from ..backend import module_of
from ..function import Function
from .promotion import _dt_name


class Matmul(Function):
    node_name = "MmBackward0"

    def forward(ctx, a, b):
        # a's gradient needs b and b's needs a: keep only what will be used.
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None,
                              b if ctx.needs_input_grad[0] else None)
        return module_of(a).matmul(a, b)

    derivative = "d(A@B)/dA = Bᵀ and d(A@B)/dB = Aᵀ, so A receives grad @ Bᵀ and B Aᵀ @ grad"
    def backward(ctx, grad):
        a, b = ctx.saved_tensors           # None where the other input needs no gradient
        need_a, need_b = ctx.needs_input_grad
        a_shape, b_shape = ctx._input_shapes
        # Lift vectors to matrices so one formula serves every case.
        a2_shape = (1,) + a_shape if len(a_shape) == 1 else a_shape
        b2_shape = b_shape + (1,) if len(b_shape) == 1 else b_shape
        g = grad   # b's axis first: for vector @ vector, grad is 0-d
        if len(b_shape) == 1:
            g = g.unsqueeze(-1)
        if len(a_shape) == 1:
            g = g.unsqueeze(-2)
        if 0 in g._data.strides and g._data.size > 1:
            # A broadcast gradient (sum's backward is an expand, stride 0): NumPy's
            # matmul can't hand it to BLAS and runs ~10% slower per product than on
            # a real array, which costs far less to make once.
            g = g.contiguous()
        grad_a = grad_b = None
        if need_a:
            b2 = b.unsqueeze(-1) if len(b_shape) == 1 else b
            grad_a = (g @ b2.transpose(-1, -2)).sum_to_size(a2_shape)
            grad_a = grad_a.reshape(a_shape) if len(a_shape) == 1 else grad_a
        if need_b:
            a2 = a.unsqueeze(0) if len(a_shape) == 1 else a
            grad_b = (a2.transpose(-1, -2) @ g).sum_to_size(b2_shape)
            grad_b = grad_b.reshape(b_shape) if len(b_shape) == 1 else grad_b
        return grad_a, grad_b


class Dot(Matmul):
    node_name = "DotBackward0"


class Bmm(Matmul):
    node_name = "BmmBackward0"


class Mv(Matmul):
    node_name = "MvBackward0"


_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool"}


def _check(a, b):
    """PyTorch's errors for matmul, in its order: operand types, shapes, dtypes, bool.

    PyTorch runs a product as one of four kernels and each words its
    errors its own way: dot (1-D @ 1-D), mv (N-D @ 1-D), mm (a matrix, or
    a batch folded into one, @ a matrix) and bmm (anything @ a batch).
    """
    from ..tensor import Tensor
    for position, (name, x) in enumerate((("input", a), ("other", b)), 1):
        if not isinstance(x, Tensor):
            raise TypeError(f"matmul(): argument '{name}' (position {position}) must be "
                            f"Tensor, not {type(x).__name__}")
    if a.dim() == 0 or b.dim() == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.dim()}D and {b.dim()}D")
    if a.dim() == 1 and b.dim() == 1:
        _check_dot(a, b)
        return
    k = a.shape[-1]
    if b.dim() == 1:                                   # mv
        rows = 1
        for size in a.shape[:-1]:
            rows *= size
        if b.shape[0] != k:
            raise RuntimeError(
                f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec ({b.shape[0]})")
        if a.dtype is not b.dtype:
            raise RuntimeError(
                "addmv input tensors must have the same dtype, but got "
                f"{_dt_name(b.dtype)}, {_dt_name(a.dtype)}, and {_dt_name(b.dtype)}")
        _refuse_bool(a, "addmv_impl_cpu")
    elif b.dim() == 2:                                 # mm (a batch folded into rows)
        rows = 1
        for size in a.shape[:-1]:
            rows *= size
        if b.shape[0] != k:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                               f"({rows}x{k} and {b.shape[0]}x{b.shape[1]})")
        _check_same_dtype(a, b)
        _refuse_bool(a, "addmm_impl_cpu_")
    else:                                              # bmm, batch dims broadcast
        from .shape import broadcast_shapes
        batch = 1
        for size in broadcast_shapes(a.shape[:-2], b.shape[:-2]):
            batch *= size
        if b.shape[-2] != k:
            raise RuntimeError(
                "Expected size for first two dimensions of batch2 tensor to be: "
                f"[{batch}, {k}] but got: [{batch}, {b.shape[-2]}].")
        if a.dtype is not b.dtype:
            raise RuntimeError(
                f"expected scalar type {_dt_name(a.dtype)} but found {_dt_name(b.dtype)}")
        _refuse_bool(a, "bmm")
    if a.dim() > 2 and b.dim() > 2:
        from .shape import broadcast_shapes
        broadcast_shapes(a.shape[:-2], b.shape[:-2])


def _check_dot(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_dt_name(a.dtype)} "
            f"and {_dt_name(b.dtype)}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively")
    _refuse_bool(a, "dot")


def _check_same_dtype(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C_TYPE[a.dtype.name]} != "
            f"{_C_TYPE[b.dtype.name]}")


def _refuse_bool(a, kernel):
    if a.dtype.name == "bool":
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def matmul(input, other):
    """Matrix product with PyTorch's rules for vectors and batches; dtypes must match.

    Built, as PyTorch builds it, from four products (dot, mv, mm, bmm) and
    reshapes around them, so the graph it records is PyTorch's node for
    node: ``x @ W`` for a batch ``x`` (3-D) and a matrix ``W`` folds the
    batch into rows (``ViewBackward0``), multiplies (``MmBackward0``) and
    unfolds (``UnsafeViewBackward0``).

        >>> (autodidact.ones(2, 3, 4, requires_grad=True) @ autodidact.ones(4, 5)).grad_fn
        <UnsafeViewBackward0 object at ...>
    """
    _check(input, other)
    a_dim, b_dim = input.dim(), other.dim()
    if a_dim == 1 and b_dim == 1:
        return Dot.apply(input, other)
    if a_dim == 2 and b_dim == 1:
        return Mv.apply(input, other)
    if a_dim == 1 and b_dim == 2:   # a row vector, then the row axis dropped again
        return _squeeze_(Matmul.apply(input.unsqueeze(0), other), 0)
    if a_dim == 2 and b_dim == 2:
        return Matmul.apply(input, other)
    if _should_fold(input, other):
        return _folded(input, other)
    return _batched(input, other)


def _should_fold(a, b):
    """Whether the batch of the larger operand can be folded into the rows of one mm or mv.

    PyTorch folds when the smaller operand (1-D or 2-D) requires grad (its
    gradient is then one product, not a sum over an expanded batch), or
    when folding needs no copy.
    """
    a_larger = a.dim() >= b.dim()
    big = a if a_larger else b.mT
    small = b if a_larger else a
    if not (big.dim() >= 3 and small.dim() <= 2):
        return False
    if small.requires_grad:
        return True
    if a.dim() == 2:
        return False   # folding would need the result transposed and copied
    if big.numel() == 0:
        return True
    shape, strides = big.shape, big.stride()
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.dim() - 2))


def _folded(a, b):
    """(..., n, k) @ (k, m) as one (rows, k) @ (k, m) product; a 2-D @ N-D one transposed."""
    transpose = b.dim() > a.dim()
    big = b.mT if transpose else a
    small = (a.t() if a.dim() == 2 else a) if transpose else b
    shape = big.shape[:-1]
    rows = 1
    for size in shape:
        rows *= size
    folded = big.reshape(rows, big.shape[-1])
    if small.dim() == 2:
        out = _unsafe_view(Matmul.apply(folded, small), shape + (small.shape[1],))
        return out.mT.contiguous() if transpose else out
    return _unsafe_view(Mv.apply(folded, small), shape)


def _batched(a, b):
    """Broadcast the batch axes, flatten them into one, bmm, and unflatten."""
    from .shape import broadcast_shapes
    if a.dim() == 3 and b.dim() == 3 and a.shape[0] != b.shape[0]:
        # A batch of one that needs a gradient is squeezed to a matrix and
        # folded instead: its gradient is then one product, not a sum.
        if a.shape[0] == 1 and a.requires_grad:
            return matmul(a.squeeze(0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return matmul(a, b.squeeze(0))
    n = a.shape[-2] if a.dim() > 1 else 1
    p = b.shape[-1] if b.dim() > 1 else 1
    k_a, k_b = a.shape[-1], b.shape[0] if b.dim() == 1 else b.shape[-2]
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
    count = 1
    for size in batch:
        count *= size
    a3 = a.expand(batch + (n, k_a)).reshape(count, n, k_a)
    if b.dim() == 1:   # a vector stays a vector: it becomes a column only after flattening
        b3 = b.expand(batch + (k_b,)).reshape(count, k_b).unsqueeze(2)
    else:
        b3 = b.expand(batch + (k_b, p)).reshape(count, k_b, p)
    shape = batch + ((n,) if a.dim() > 1 else ()) + ((p,) if b.dim() > 1 else ())
    out = Bmm.apply(a3, b3)
    return _unsafe_view(out.squeeze(-1) if b.dim() == 1 else out, shape)


def _unsafe_view(tensor, shape):
    from .shape import UnsafeView
    return UnsafeView.apply(tensor, shape=tuple(shape))


def _squeeze_(tensor, dim):
    """PyTorch's in-place ``squeeze_(dim)`` on a fresh product (SqueezeBackward4)."""
    from .layout import element_strides
    from .shape import SqueezeDimInplace
    shape, strides = list(tensor.shape), list(element_strides(tensor._data))
    del shape[dim], strides[dim]
    return SqueezeDimInplace.apply(tensor, shape=tuple(shape), strides=tuple(strides))


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
    return matmul(input, other)


def bmm(input, mat2):
    """Batched matrix product of two 3-D tensors with the same batch size (no broadcasting)."""
    if input.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if mat2.shape[0] != input.shape[0] or mat2.shape[1] != input.shape[2]:
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    _check(input, mat2)
    return Bmm.apply(input, mat2)   # one BmmBackward0, as PyTorch records it (no view chain)
