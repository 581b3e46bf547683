"""The memory order PyTorch gives a result: which strides a new tensor gets.

A tensor's *strides* say how far to step in memory to move one place
along each axis. Two tensors can hold the same numbers in different
orders: ``x.t().exp()`` could be stored row by row or column by column.
It matters to a student in one place: ``view`` works only when the
strides allow it, so ``y.view(-1)`` raises for some ``y`` and not for
others. autodidact gives every result PyTorch's strides, so ``view``
succeeds or fails exactly where PyTorch's does.

PyTorch's rules, by kind of op:

- **elementwise ops** (``x * y``, ``exp(x)``, ``where``, casts) follow
  their inputs (PyTorch's ``TensorIterator``): when all inputs have one
  shape and are all row-major, the result is row-major; when they share
  one gap-free layout, the result copies it; otherwise the axes are
  sorted by the inputs' strides (the first input that orders two axes
  decides; broadcast axes have no say) and the result is laid out
  gap-free in that order::

      a = arange(6.).reshape(2, 3)       # strides (3, 1)
      b = arange(6.).reshape(3, 2).T     # strides (1, 2): column by column
      (b * a).stride()                   # (1, 2): b came first, b decides
      (a * b).stride()                   # (3, 1): a decides

- **advanced indexing** (``x[:, [0, 2]]``, ``x[mask]``) runs the same
  rule over ``x``'s strides (the indexed axes replaced by the index's)
  and the index tensors;
- **reductions, index_select, gather, cat, stack, softmax** make a
  row-major result whatever their inputs.

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

# --------------------------------------------------------------- predicates


def contiguous_strides(shape):
    """Row-major strides, as a new tensor gets them: ``(2, 3, 4)`` -> ``(12, 4, 1)``."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def is_contiguous(shape, strides):
    """Row-major without gaps (axes of size 1 may have any stride), as PyTorch checks it."""
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size == 0:
            return True
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def _is_channels_last(shape, strides):
    """PyTorch's channels-last check for 4-D tensors (N, C, H, W stored as N, H, W, C)."""
    if len(shape) != 4:
        return False
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def _channels_last_strides(shape):
    n, c, h, w = shape
    return (h * w * c, 1, w * c, c)


def is_dense(shape, strides):
    """Gap-free and non-overlapping in some axis order (PyTorch's non_overlapping_and_dense)."""
    axes = sorted((d for d in range(len(shape)) if shape[d] >= 2), key=lambda d: strides[d])
    expected = 1
    for d in axes:
        if strides[d] != expected:
            return False
        expected *= shape[d]
    return True


# ----------------------------------------------------------- the iterator rule


def iterator_strides(operands):
    """The strides PyTorch's TensorIterator gives the result of an op over ``operands``.

    ``operands`` is a list of ``(shape, strides)``, inputs in order (a
    Python number is ``((), ())``). A port of ``compute_fast_setup_type``,
    ``reorder_dimensions`` and ``allocate_or_resize_outputs``.

        >>> iterator_strides([((2, 3), (1, 2)), ((2, 3), (3, 1))])
        (1, 2)
    """
    shapes = [tuple(s) for s, _ in operands]
    shape = broadcast_shape(shapes)
    if all(s == shapes[0] for s in shapes):
        fast = _fast_setup(shape, [tuple(st) for _, st in operands])
        if fast is not None:
            return fast
    if len(shape) <= 1:
        return contiguous_strides(shape)
    strides = [_broadcast_strides(shape, s, st) for s, st in operands]
    perm = _sorted_axes(shape, strides)
    if perm == list(range(len(shape) - 1, -1, -1)):
        return contiguous_strides(shape)
    out, step = [0] * len(shape), 1
    for d in perm:
        out[d] = step
        step *= shape[d]
    return tuple(out)


def _fast_setup(shape, strides):
    """One shape for all: row-major, channels-last or one shared gap-free layout; else None."""
    if all(is_contiguous(shape, st) for st in strides):
        return contiguous_strides(shape)
    if all(_is_channels_last(shape, st) for st in strides):
        return _channels_last_strides(shape)
    if all(is_dense(shape, st) for st in strides) and all(st == strides[0] for st in strides):
        return strides[0]
    return None


def broadcast_shape(shapes):
    """The shape ``shapes`` broadcast to (they are known to fit)."""
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, size in enumerate(s, start=ndim - len(s)):
            if size != 1:
                out[i] = size
    return tuple(out)


def _broadcast_strides(shape, own_shape, own_strides):
    """An operand's strides over the common shape: 0 along every broadcast axis."""
    lead = len(shape) - len(own_shape)
    out = [0] * len(shape)
    for i, (size, stride) in enumerate(zip(own_shape, own_strides)):
        if not (size == 1 and shape[lead + i] != 1):
            out[lead + i] = stride
    return out


def _sorted_axes(shape, strides):
    """The axes, fastest-moving first: an insertion sort that asks each operand in turn.

    The first operand whose strides differ along two axes orders them (a
    broadcast axis, stride 0, gives no opinion); equal strides put the
    shorter axis first; with no opinion at all the row-major order stays.
    """
    def should_swap(dim0, dim1):
        for st in strides:
            s0, s1 = st[dim0], st[dim1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 < s1:
                return -1
            if s0 > s1:
                return 1
            if shape[dim0] > shape[dim1]:
                return 1
        return 0

    perm = list(range(len(shape) - 1, -1, -1))
    for i in range(1, len(shape)):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[dim0], perm[dim1])
            if comparison > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif comparison < 0:
                break
    return perm


def copy_strides(shape, strides):
    """The strides PyTorch gives a copy that keeps the layout (``clone()``, ``.to(dtype)``).

    A gap-free layout is kept as it is; any other is made gap-free in the
    same order of axes (PyTorch's ``infer_dense_strides``).

        >>> copy_strides((2, 2, 3), (12, 2, 4))    # every other row of a transposed tensor
        (6, 1, 2)
    """
    shape, strides = tuple(shape), tuple(strides)
    if is_dense(shape, strides):
        return strides
    if len(shape) <= 1:
        return (1,) * len(shape)
    out, step = [0] * len(shape), 1
    for d in _sorted_axes(shape, [strides]):
        out[d] = step
        if shape[d] > 1:
            step *= shape[d]
    return tuple(out)


def cat_strides(operands, shape):
    """The strides PyTorch gives ``cat`` (and ``stack``) of ``operands`` (shape, strides).

    Row-major, unless every input's strides look channels-last (a 4-D
    image batch stored as N, H, W, C; or 5-D as N, D, H, W, C): then the
    result is channels-last too.
    """
    formats = {_suggested_format(s, st) for s, st in operands}
    if len(formats) == 1 and None not in formats:
        if len(shape) == 4:
            return _channels_last_strides(shape)
        return _channels_last_3d_strides(shape)
    return contiguous_strides(shape)


def _suggested_format(shape, strides):
    """4 or 5 when the strides look channels-last (PyTorch's suggest_memory_format), else None."""
    order = {4: (1, 3, 2, 0), 5: (1, 4, 3, 2, 0)}.get(len(shape))
    if order is None or strides[1] == 0:
        return None
    low = 0
    for d in order:
        if shape[d] == 0 or strides[d] < low or (d == 0 and low == strides[1]):
            return None
        low = strides[d] * shape[d] if shape[d] > 1 else strides[d]
    return len(shape)


def _channels_last_3d_strides(shape):
    n, c, d, h, w = shape
    return (d * h * w * c, 1, h * w * c, w * c, c)


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
# The strides a view needs (or None: then only a copy can do it), and arrays
# seen through given strides: what view, reshape, expand and clone stand on.


_VIEW_ERROR = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead.")


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


def view_strides(shape, strides, new_shape):
    """The strides a view of ``new_shape`` needs, or None when no view can do it.

    PyTorch's rule (``computeStride``): the old axes fall into chunks that
    are contiguous with each other; each chunk can be re-split into new
    axes freely, but no new axis may span two chunks.
    """
    shape, strides, new_shape = tuple(shape), tuple(strides), tuple(new_shape)
    if not shape:
        return (1,) * len(new_shape)
    numel = 1
    for s in shape:
        numel *= s
    if numel == 0:
        if shape == new_shape:
            return strides
        out, step = [0] * len(new_shape), 1
        for d in range(len(new_shape) - 1, -1, -1):
            out[d] = step
            step *= max(new_shape[d], 1)
        return tuple(out)
    out = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                out[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel = view_numel = 1
    if view_d != -1:
        return None
    return tuple(out)


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
