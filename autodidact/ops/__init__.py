"""The derivative rules, grouped by kind, and the Tensor methods made from them.

    elementwise.py   the rules of add, mul, exp, tanh, relu, clamp, where...
    arithmetic.py    their public functions: add, mul, exp, clamp, where...
    compare.py       comparisons and logical ops: eq, lt, isclose, bitwise_and...
    promotion.py     operands to one dtype and device: promote, cast, move_to
    dispatch.py      from arguments to a rule: broadcasting checks, out=, operators
    masks.py         masked_grad: the gradients of rules that select
    reduce.py        sum, mean, max, prod, var, std...
    softmaxes.py     softmax, log_softmax
    shape.py         the rules of view, reshape, permute, expand, cat, stack, flip...
    shape_functions.py  their public functions, and stride(), is_contiguous()
    strides.py       PyTorch's stride rules: for a result, and the ones a view needs
    layout.py        those rules applied to arrays: a result re-laid, a leaf's .grad
    linalg.py        matmul
    layers.py        fused layers: linear (addmm), embedding, batch_norm, layer_norm
    losses.py        fused losses: mse_loss, nll_loss, binary_cross_entropy, smooth_l1...
    activations.py   leaky_relu, elu, gelu, softplus, hardtanh, silu
    index.py         x[key] and its scatter-add backward
    inplace.py       add_, out=: an op's result written into a tensor (and its graph)
    assign.py        x[key] = v, fill_, zero_, copy_: given values written
    write_checks.py  what every in-place write checks first (leaf, overlap, dtype)
    math.py          log1p, expm1, erf, floor, reciprocal, atan2, hypot, lerp...
    scan.py          cumsum, cumprod, logsumexp
    sort.py          sort, topk, kthvalue, median, mode; unique, bincount, histc
    gather.py        gather, scatter(_add), masked_fill/select, take_along_dim, one_hot
    matrix.py        tril, triu, diagonal, diag, trace
    contract.py      addmm, mv, outer, tensordot (and matmul's out=)
    einsum.py        einsum, spelled with the ops above
    norms.py         vector/matrix norms, Tensor.norm, dist (autodidact.linalg)
    solve.py         inv, det, solve (autodidact.linalg)

Every op is a function here and, by the table at the bottom, a Tensor
method too: ``x.exp()`` is ``autodidact.exp(x)``.
"""

import warnings

from ..function import Function
from ..tensor import Tensor
from . import arithmetic, dispatch, elementwise, index, inplace, layers, linalg, reduce, shape
from . import assign, shape_functions
from . import activations, losses
# The public functions (and, as before the split, every public name of the rule modules).
from .elementwise import *  # noqa: F401,F403
from .masks import *  # noqa: F401,F403
from .promotion import *  # noqa: F401,F403
from .dispatch import *  # noqa: F401,F403
from .arithmetic import *  # noqa: F401,F403
from .compare import *  # noqa: F401,F403
from .linalg import bmm, dot, matmul, mm
from .reduce import (all, amax, amin, any, argmax, argmin, max, mean, min, prod, std, sum,
                     sum_to_size, var)
from .softmaxes import log_softmax, softmax
from .shape import broadcast_shapes
from .shape_functions import (broadcast_to, cat, chunk, clone, concat, concatenate, contiguous,
                              expand, expand_as, flatten, flip, narrow, permute, repeat, reshape,
                              select, split, squeeze, stack, swapaxes, swapdims, t, transpose,
                              unbind, unflatten, unsqueeze, view, view_as)
from .index import index_select
from .gather import gather, masked_fill, masked_select, scatter, scatter_add, take_along_dim
from .math import (arctan2, atan2, ceil, clamp_max, clamp_min, erf, expm1, floor, frac, hypot,
                   lerp, log1p, log2, log10, reciprocal, rsqrt, square)
from .scan import cumprod, cumsum, logsumexp
from .matrix import diag, diagonal, trace, tril, triu
from .contract import addmm, ger, matmul, mv, outer, tensordot   # matmul with out=
from .einsum import einsum
from .norms import dist, norm
from .sort import (argsort, bincount, histc, histogram, kthvalue, median, mode, sort, topk,
                   unique)


def _all_functions():
    """Every Function subclass defined in ops/, by lower-case name (for swap_backward)."""
    found, stack = {}, [Function]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith(__name__):
                found[sub.__name__.lower()] = sub
            stack.append(sub)
    return found


REGISTRY = _all_functions()

# What ``from autodidact.ops import *`` gives the package: the functions,
# never the modules they live in (``linalg`` here is the matmul rules, not
# the public ``autodidact.linalg``).
__all__ = [_name for _name, _value in list(globals().items())
           if not _name.startswith("_") and not isinstance(_value, type(elementwise))]


def _numpy_spellings(function):
    """Also accept NumPy's ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``, as
    PyTorch does (``x.sum(axis=0, keepdims=True)``)."""
    def accepting(*args, **kwargs):
        if kwargs:
            if "axis" in kwargs:
                if "dim" in kwargs:
                    raise TypeError(f"{function.__name__}() got multiple values for argument "
                                    "'dim' (axis= is another name for dim=)")
                kwargs["dim"] = kwargs.pop("axis")
            if "keepdims" in kwargs:
                kwargs["keepdim"] = kwargs.pop("keepdims")
        return function(*args, **kwargs)
    accepting.__name__, accepting.__doc__ = function.__name__, function.__doc__
    accepting.__wrapped__ = function
    return accepting


for _name in ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std",
              "var", "all", "any", "logsumexp", "median", "mode", "cumsum", "cumprod",
              "softmax", "log_softmax", "sort", "argsort", "squeeze", "unsqueeze"]:
    globals()[_name] = _numpy_spellings(globals()[_name])

# --------------------------------------------------- Tensor methods

_METHODS = [
    # elementwise
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "pow", "neg", "negative", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid",
    "relu", "abs", "absolute", "sign", "round", "clamp", "clip", "maximum", "minimum",
    "eq", "ne", "lt", "le", "gt", "ge", "less", "less_equal", "greater", "greater_equal",
    "equal", "allclose", "isclose", "logical_not", "bitwise_not", "isnan", "isinf", "isfinite",
    # reductions
    "sum", "mean", "max", "min", "amax", "amin", "argmax", "argmin", "prod", "var", "std",
    "softmax", "log_softmax", "all", "any", "sum_to_size",
    # shape
    "view", "view_as", "reshape", "flatten", "unflatten", "squeeze", "unsqueeze", "permute",
    "transpose", "swapaxes", "swapdims", "t", "expand", "expand_as", "broadcast_to",
    "contiguous", "clone", "flip", "narrow", "select", "split", "chunk", "unbind", "repeat",
    "index_select",
    # linear algebra
    "matmul", "mm", "dot", "bmm",
    # more math, running totals, gather/scatter
    "log1p", "expm1", "log2", "log10", "erf", "floor", "ceil", "frac", "reciprocal", "rsqrt",
    "square", "clamp_min", "clamp_max", "atan2", "arctan2", "hypot", "lerp",
    "cumsum", "cumprod", "logsumexp",
    "gather", "scatter", "scatter_add", "masked_fill", "masked_select", "take_along_dim",
    "sort", "argsort", "topk", "kthvalue", "median", "mode", "unique", "bincount", "histc",
    "histogram",
    "tril", "triu", "diagonal", "diag", "trace", "addmm", "mv", "outer", "ger", "norm", "dist",
]

for _name in _METHODS:
    setattr(Tensor, _name, globals()[_name])

Tensor.is_contiguous = shape_functions.is_contiguous
Tensor.stride = shape_functions.stride
Tensor.storage_offset = shape_functions.storage_offset
Tensor.data_ptr = shape_functions.tensor_data_ptr
Tensor.reshape_as = shape_functions.reshape_as
Tensor.where = lambda self, condition, other: where(condition, self, other)
Tensor.type_as = lambda self, other: self.to(other.dtype)
Tensor.__getitem__ = index.getitem
Tensor.__setitem__ = assign.setitem
def _reversed_axes(self):
    """x.T: the axes in reverse order, a matrix transposed. Any other number of axes
    works but is deprecated, with PyTorch's warning (a 0-d tensor is returned as it is)."""
    if self.dim() == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in "
                      "these cases.", UserWarning, stacklevel=2)
    elif self.dim() != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*autodidact.arange(x.ndim - 1, -1, -1))` "
            "to reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
    return self.permute(tuple(reversed(range(self.dim()))))


def _conjugate_transpose(self):
    """x.H: the conjugate transpose of a matrix; real tensors have no imaginary part, so x.T."""
    if self.dim() == 0:
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return self
    if self.dim() != 2:
        hint = " For batches of matrices, consider using tensor.mH" if self.dim() > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self.dim()}-D tensor.{hint}")
    return self.transpose(0, 1)


def _matrix_conjugate_transpose(self):
    """x.mH: each matrix of a batch conjugate-transposed; for real tensors, x.mT."""
    return _last_two_swapped(self, "mH", "Consider using x.conj().")


Tensor.T = property(_reversed_axes)
Tensor.H = property(_conjugate_transpose)
Tensor.mH = property(_matrix_conjugate_transpose)


def _matrix_transpose(self):
    """x.mT: each matrix of a batch transposed (the last two axes swapped), as PyTorch:
    a 0-d tensor is returned as it is, with PyTorch's deprecation warning; a 1-D one refused."""
    return _last_two_swapped(self, "mT", "This function is the identity in these cases.")


def _last_two_swapped(self, name, zero_d_hint):
    """x.mT and x.mH (the same for real tensors), with PyTorch's warning and error by ``name``."""
    if self.dim() == 0:
        warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. {zero_d_hint}",
                      UserWarning, stacklevel=3)
        return self
    if self.dim() == 1:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of matrices. "
                           "Got 1-D tensor.")
    return self.transpose(-2, -1)


Tensor.mT = property(_matrix_transpose)
Tensor.fill_ = assign.fill_
Tensor.zero_ = assign.zero_
Tensor.copy_ = assign.copy_


def _inplace_method(op):
    def method(self, *args, **kwargs):
        return inplace.apply_inplace(self, op, *args, **kwargs)
    method.__name__ = op.__name__ + "_"
    method.__doc__ = f"In-place {op.__name__}: changes this tensor and returns it."
    return method


for _name in ["add", "sub", "mul", "div", "pow", "clamp", "clip", "exp", "log", "sqrt", "sin",
              "cos", "tanh", "sigmoid", "relu", "abs", "neg", "floor_divide", "remainder",
              "round", "sign", "eq", "ne", "lt", "le", "gt", "ge", "bitwise_and", "bitwise_or",
              "bitwise_xor",
              "masked_fill", "scatter", "scatter_add", "clamp_min", "clamp_max", "floor", "ceil",
              "frac", "log1p", "expm1", "log2", "log10", "erf", "reciprocal", "rsqrt", "square",
              "lerp", "tril", "triu", "cumsum", "cumprod", "atan2", "hypot"]:
    setattr(Tensor, _name + "_", _inplace_method(globals()[_name]))


# --------------------------------------------------- operators

def _swap(op):
    return lambda self, other: op(other, self)


Tensor.__add__ = add
Tensor.__radd__ = add
Tensor.__sub__ = sub
Tensor.__rsub__ = rsub
Tensor.__mul__ = mul
Tensor.__rmul__ = mul
Tensor.__truediv__ = div
Tensor.__rtruediv__ = _swap(div)
Tensor.__floordiv__ = floor_divide
Tensor.__rfloordiv__ = _swap(floor_divide)
Tensor.__mod__ = remainder
Tensor.__rmod__ = _swap(remainder)
Tensor.__pow__ = pow
Tensor.__rpow__ = _swap(pow)
Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = _swap(matmul)
Tensor.__neg__ = neg
Tensor.__pos__ = lambda self: self
Tensor.__abs__ = abs
Tensor.__eq__ = eq
Tensor.__ne__ = ne
Tensor.__lt__ = lt
Tensor.__le__ = le
Tensor.__gt__ = gt
Tensor.__ge__ = ge
Tensor.__and__ = Tensor.__rand__ = bitwise_and
Tensor.__or__ = Tensor.__ror__ = bitwise_or
Tensor.__xor__ = Tensor.__rxor__ = bitwise_xor
Tensor.__invert__ = bitwise_not
Tensor.__hash__ = lambda self: id(self)

for _dunder, _op in [("__iadd__", add), ("__isub__", sub), ("__imul__", mul),
                     ("__itruediv__", div), ("__ipow__", pow), ("__ifloordiv__", floor_divide),
                     ("__imod__", remainder), ("__iand__", bitwise_and),
                     ("__ior__", bitwise_or), ("__ixor__", bitwise_xor)]:
    setattr(Tensor, _dunder, _inplace_method(_op))

# An operand no op can use (a str, a list, None) makes the operator return
# NotImplemented: Python then raises its own TypeError, and == / != fall
# back to identity (`t == None` is False), as in PyTorch.
for _dunder in ("__sub__", "__rsub__", "__floordiv__", "__rfloordiv__", "__mod__",
                "__rmod__", "__pow__", "__rpow__", "__eq__", "__ne__", "__lt__", "__le__",
                "__gt__", "__ge__", "__and__", "__rand__", "__or__", "__ror__", "__xor__",
                "__rxor__", "__matmul__", "__rmatmul__"):
    setattr(Tensor, _dunder, dispatch.operator_method(getattr(Tensor, _dunder)))


def _arithmetic(function, reflected=False, floating=False):
    """The hottest operators, calling the op directly (no out=, no alpha)."""
    operands = dispatch._OPERANDS
    binary = dispatch._binary

    # a + b and a * b are the same numbers either way round, and PyTorch records
    # the tensor first (2 * x: MulBackward0 with edges (x, None)): keep it first.
    swap = reflected and function not in (elementwise.Add, elementwise.Mul)

    def method(self, other):
        if type(other) is not float and not isinstance(other, operands):
            return NotImplemented
        if swap:
            return binary(function, other, self, floating)
        return binary(function, self, other, floating)
    method.__name__ = f"__{'r' if reflected else ''}{function.__name__.lower()}__"
    return method


Tensor.__add__ = _arithmetic(elementwise.Add)
Tensor.__radd__ = _arithmetic(elementwise.Add, reflected=True)
Tensor.__mul__ = _arithmetic(elementwise.Mul)
Tensor.__rmul__ = _arithmetic(elementwise.Mul, reflected=True)
Tensor.__truediv__ = _arithmetic(elementwise.Div, floating=True)
Tensor.__rtruediv__ = dispatch.operator_method(arithmetic._rtruediv)
