"""The strides PyTorch gives a result: arithmetic on shapes and strides, no arrays.

A tensor's *strides* say how far to step in memory to move one place
along each axis (here counted in elements, as ``Tensor.stride()`` does).
Everything in this file takes and returns tuples of numbers; ``layout``
applies the answers to NumPy's (or CuPy's) arrays.

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

A view needs strides of its own (``view_strides``), or is impossible
without a copy: PyTorch's ``computeStride``, here too.

    >>> iterator_strides([((2, 3), (1, 2)), ((2, 3), (3, 1))])   # b.T * a
    (1, 2)
"""

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



# ------------------------------------------------------------ views

_VIEW_ERROR = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead.")


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
