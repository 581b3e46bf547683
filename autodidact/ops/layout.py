"""The memory order PyTorch gives a result: which strides a new tensor gets.

A tensor's *strides* say how far to step in memory to move one place
along each axis. Two tensors can hold the same numbers in different
orders: ``x.t().exp()`` could be stored row by row or column by column.
It matters to a student in one place: ``view`` works only when the
strides allow it, so ``y.view(-1)`` raises for some ``y`` and not for
others. autodidact gives every result PyTorch's strides, so ``view``
succeeds or fails exactly where PyTorch's does.

The rules themselves, arithmetic on shapes and strides, are in ``strides``.

NumPy has rules of its own (a conflict between inputs makes it choose
row-major, for instance), so the ops that follow their inputs ask this
module for PyTorch's strides and re-lay NumPy's result when they differ.
The common cases cost next to nothing: a result of 0 or 1 axes is always
laid out alike by both (one attribute read), and inputs laid out as
NumPy's result, or row-major with no axis of size 1, cost one stride
comparison per input tensor.

One known difference: when every input already has NumPy's result's
strides, the result is kept as NumPy made it; PyTorch may still choose
other strides for axes of size 1 (which never move anywhere) there, and
makes a 4-D channels-last-contiguous input's result channels-last.
"""

import numpy as np

from ..backend import module_of
from ..tensor import Tensor
from .strides import contiguous_strides, copy_strides, is_dense, iterator_strides

# ------------------------------------------------------------ arrays


def element_strides(array):
    """An array's strides in elements (NumPy counts bytes)."""
    item = array.itemsize
    return tuple(s // item for s in array.strides)


def _operand(x):
    """(shape, strides) of an array operand; a Python number is a 0-d operand."""
    if hasattr(x, "strides"):
        return x.shape, element_strides(x)
    return (), ()


def with_strides(array, strides):
    """``array``'s values in new memory laid out with ``strides`` (elements, gap-free)."""
    xp = module_of(array)
    item = array.itemsize
    buffer = xp.empty(max(array.size, 1), dtype=array.dtype)
    out = xp.lib.stride_tricks.as_strided(
        buffer, shape=array.shape, strides=tuple(s * item for s in strides))
    out[...] = array
    return out


def relaid(out, strides):
    """``out`` itself when it already has ``strides``, else a copy that has them.

    Empty results keep NumPy's layout: ``stride()`` reports row-major
    strides for every empty tensor, as PyTorch's are.
    """
    if out.size == 0 or element_strides(out) == tuple(strides):
        return out
    return with_strides(out, strides)


def like_inputs(out, *inputs):
    """An elementwise result ``out`` re-laid with the strides PyTorch gives it.

    ``inputs`` are the op's operands (arrays or Python numbers), in order.
    NumPy lays out a result of row-major inputs row-major, as PyTorch does,
    unless an input has an unusual stride along an axis of size 1 (which
    PyTorch carries through). So inputs that have the result's strides, or
    are row-major with no axis of size 1 (the common case), cost one or two
    checks each, and the result is returned as NumPy made it.
    """
    strides = out.strides
    for x in inputs:
        if type(x) not in _NUMBERS and x.strides != strides and _unusual(x):
            return relaid(out, iterator_strides([_operand(x) for x in inputs]))
    return out


_NUMBERS = (float, int, bool)


def _unusual(array):
    """Not row-major, or an axis of size 1 (whose stride PyTorch may carry through).

    One value broadcast everywhere (every stride 0, as ``sum``'s gradient is
    spread back) is not unusual: like a Python number, it has no say in the
    order of the axes, in PyTorch's rule as in NumPy's.
    """
    return (not array.flags.c_contiguous or 1 in array.shape) and any(array.strides)


def row_major(out):
    """``out`` laid out row-major with a new tensor's strides (reductions, softmax, cat...).

    NumPy's reductions follow their input's memory order; PyTorch's do not.
    """
    if out.flags.c_contiguous and 1 not in out.shape:
        return out
    return relaid(out, contiguous_strides(out.shape))


def apply(function, *operands, **params):
    """``function.apply(*operands, **params)``, its result laid out as PyTorch lays it out.

    For elementwise ops, whose result follows their inputs' memory order
    (operands are Tensors or Python numbers). ``unary`` and ``binary`` are
    the same, written for the hot paths.

        >>> b = autodidact.arange(6.).reshape(3, 2)
        >>> apply(Mul, b.T, 2.0).stride()
        (1, 2)
    """
    result = function.apply(*operands, **params)
    out = result._data
    if out.ndim < 2:
        return result   # see the note below
    strides = out.strides
    for x in operands:
        if isinstance(x, Tensor) and x._data.strides != strides and _unusual(x._data):
            _relay(result, operands)
            break
    return result


# The common cases cost one attribute read (a result of fewer than two axes),
# or one stride comparison per input tensor:
#
# - a result of 0 or 1 axes needs nothing: NumPy makes it fresh and gap-free,
#   and PyTorch lays out every such result row-major too;
# - an input laid out as NumPy's result (the same strides), or row-major with no
#   axis of size 1, leaves NumPy's layout as PyTorch's.


def unary(function, a):
    """``apply(function, a)``: one stride comparison when ``a`` is laid out as NumPy's result."""
    result = function.apply(a)
    out = result._data
    if out.ndim > 1:
        data = a._data
        if data.strides != out.strides and _unusual(data):
            _relay(result, (a,))
    return result


def binary(function, a, b):
    """``apply(function, a, b)``: a stride comparison per tensor in the common case.

    ``a`` or ``b`` may be a Python number (it has no say in the layout).
    """
    result = function.apply(a, b)
    out = result._data
    if out.ndim > 1:
        strides = out.strides
        data = a._data if isinstance(a, Tensor) else None
        if data is not None and data.strides != strides and _unusual(data):
            _relay(result, (a, b))
            return result
        data = b._data if isinstance(b, Tensor) else None
        if data is not None and data.strides != strides and _unusual(data):
            _relay(result, (a, b))
    return result


def _relay(result, operands):
    """Give ``result`` (fresh from an elementwise op on ``operands``) PyTorch's strides."""
    out = result._data
    laid = relaid(out, iterator_strides([_operand(getattr(x, "_data", x)) for x in operands]))
    if laid is not out:
        # Nothing else has seen the result yet (a node that saved it keeps
        # NumPy's array: the same values, the same version counter).
        result._data = laid


def apply_with_number(function, input, **params):
    """``apply`` for an op of a tensor and a Python number given as a parameter (``2 - x``).

    PyTorch wraps the number in a 0-d tensor, one more operand: the inputs
    then no longer share one shape, which changes the rule a little.
    """
    result = function.apply(input, **params)
    out, data = result._data, input._data
    if out.ndim > 1 and data.strides != out.strides and _unusual(data):
        _relay(result, (data, 0))
    return result


def apply_copy(function, input, **params):
    """``function.apply(input, **params)`` for a copy that keeps the layout (``.to(dtype)``)."""
    result = function.apply(input, **params)
    out, data = result._data, input._data
    if data.flags.c_contiguous and out.flags.c_contiguous and 1 not in data.shape:
        return result
    laid = relaid(out, copy_strides(data.shape, element_strides(data)))
    if laid is not out:
        result._data = laid
    return result


# ------------------------------------------------------------ views
# Arrays seen through given strides (``strides.view_strides`` says which a
# view needs): what view, reshape, expand and clone stand on.


def as_strided_array(a, shape, strides):
    """``a``'s memory seen with ``shape`` and ``strides`` (in elements); writable if ``a`` is."""
    item = a.itemsize
    return module_of(a).lib.stride_tricks.as_strided(
        a, shape=tuple(shape), strides=tuple(s * item for s in strides))


def restride(a, shape, strides):
    """``a`` reshaped without copying, with exactly these (PyTorch's) strides.

    NumPy's own no-copy reshape maps the elements to memory the same way;
    it may only choose other strides for axes of size 1 (where a stride
    never moves anywhere), so it is used when it agrees and corrected
    otherwise.
    """
    shape, strides = tuple(shape), tuple(strides)
    if isinstance(a, np.ndarray):
        try:
            out = a.reshape(shape, copy=False)
        except ValueError:
            out = None
        if out is not None and element_strides(out) == strides:
            return out
    return as_strided_array(a, shape, strides)


def copy_like(a):
    """A copy of ``a`` in ``a``'s order of axes, without gaps (PyTorch's clone)."""
    if a.flags.c_contiguous and 1 not in a.shape:
        return a.copy()
    return with_strides(a, copy_strides(a.shape, element_strides(a)))


def leaf_gradient(grad, variable, owned):
    """The array a leaf's first ``.grad`` holds: PyTorch's gradient layout contract.

    A gap-free leaf's gradient has the leaf's strides (a transposed weight
    gets a transposed gradient, so an update runs over both in one order);
    any other leaf's gradient is row-major. ``grad`` itself is kept when it
    is laid out so and ``owned`` (backward made it, nothing else sees it);
    otherwise it is copied into that layout.

        >>> w = autodidact.ones(3, 4).t().requires_grad_(); w.sum().backward()
        >>> w.grad.stride()        # as w's, though sum's gradient was one value spread out
        (1, 4)
    """
    if variable.flags.c_contiguous and 1 not in variable.shape:   # the usual leaf: row-major
        return grad if owned and grad.strides == variable.strides else grad.copy()
    strides = element_strides(variable)
    if is_dense(variable.shape, strides):
        obeys = all(g != 0 if size == 1 else g == s   # a size-1 axis of stride 0 is a view
                    for size, g, s in zip(grad.shape, element_strides(grad), strides))
    else:
        strides = contiguous_strides(variable.shape)
        obeys = grad.flags.c_contiguous
    if obeys:
        if owned:
            return grad
        strides = element_strides(grad)   # PyTorch's copy keeps them, even along axes of size 1
    if strides == contiguous_strides(variable.shape):
        return grad.copy()   # row-major (NumPy's default order for a copy)
    return with_strides(grad, strides)


def data_ptr(array):
    """The address of an array's first element."""
    if isinstance(array, np.ndarray):
        return array.__array_interface__["data"][0]
    return array.data.ptr
