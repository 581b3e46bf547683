"""Integers (``randint``, ``random_``) and permutations (``randperm``).

``random_(from, to)`` takes a word modulo ``to - from`` and adds ``from``:
one 32-bit word when the range is below 2**28, a 64-bit word otherwise.
``random_()`` with no bounds fills the dtype's whole non-negative range.
"""

import numpy as np

_DIGITS = {np.float16: 11, np.float32: 24, np.float64: 53}


def from_to(g, n, dtype, low, high):
    """``n`` integers from [low, high) as ``dtype``, PyTorch's ``random_(low, high)``."""
    span = int(high) - int(low)
    if span < 2 ** 28:
        values = (g.words(n) % np.uint64(span)).view(np.int64)
        return _cast(values + int(low) if low else values, dtype)
    # uint64 arithmetic wraps as C++'s does; the int64 view is static_cast<int64_t>.
    values = (g.words64(n) % np.uint64(span) + np.uint64(int(low) % 2 ** 64)).view(np.int64)
    return _cast(values, dtype)


def full_range(g, n, dtype):
    """``random_()``: integers from [0, 2**digits] for floats, [0, max] for integers."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return (g.words(n) & np.uint64(1)).astype(np.bool_)
    if dtype.kind == "f":
        words = g.words64(n) if dtype == np.float64 else g.words(n)
        return (words % np.uint64(2 ** _DIGITS[dtype.type] + 1)).astype(dtype)
    words = g.words64(n) if dtype == np.int64 else g.words(n)
    return _cast((words % np.uint64(int(np.iinfo(dtype).max) + 1)).view(np.int64), dtype)


def _cast(values, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return values != 0
    return values.astype(dtype, copy=False)   # wraps for narrow integers, as static_cast does


def randperm(g, n):
    """PyTorch's Fisher-Yates shuffle of ``0..n-1``, without a Python loop.

    PyTorch swaps position i with i + z_i, z_i = word_i % (n - i), for
    i = 0 .. n - 2. Each swap writes the value then at i into position
    j_i = i + z_i, so the value at position i when step i starts is the
    one the latest earlier step aimed at i brought there, and so on back:
    following "who wrote here last" links to their start gives every such
    value at once (pointer jumping, a few vectorised passes). The value
    step i takes from j_i is likewise what the latest earlier step aimed
    at j_i brought there, or j_i itself if nothing did.
    """
    if n <= 1:
        return np.arange(n, dtype=np.int64)
    steps = np.arange(n, dtype=np.int64)
    target = steps.copy()
    target[:-1] += (g.words(n - 1) % (n - steps[:-1]).astype(np.uint64)).astype(np.int64)
    # Steps grouped by target, in order: the previous member of a step's
    # group is the latest earlier step aimed at the same position.
    # (Sorting the unique keys target * n + step is a stable sort by target,
    # and NumPy sorts plain integers several times faster than it argsorts.)
    keys = np.sort(target * n + steps)
    grouped = keys // n
    order = keys - grouped * n
    previous = np.full(n, -1, dtype=np.int64)
    same = grouped[1:] == grouped[:-1]
    previous[order[1:][same]] = order[:-1][same]
    # parent[i]: the latest step k < i aimed at position i (k = i only when
    # j_i = i, and then it is the last of its group: take the one before it).
    last_of_group = np.full(n, -1, dtype=np.int64)
    ends = np.append(~same, True)
    last_of_group[grouped[ends]] = order[ends]
    parent = last_of_group
    self_aimed = parent == steps
    parent[self_aimed] = previous[self_aimed]
    root = np.where(parent >= 0, parent, steps)
    while True:                          # pointer jumping to the chain's start
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    return np.where(previous >= 0, root[np.maximum(previous, 0)], target)
