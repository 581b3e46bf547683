"""Random index expressions and random chains of views, against NumPy and PyTorch.

- ``x[key]`` for random keys (ints, slices with positive steps, None,
  ``...``, lists of ints, boolean masks) gives NumPy's values (read with
  PyTorch's rule that ints apply before index arrays) and PyTorch's
  decision between a view and a copy, with its strides;
- ``x[key] = value`` writes what NumPy writes;
- random chains of view/transpose/permute/unsqueeze/squeeze/expand/narrow
  give PyTorch's values, strides and contiguity, fail exactly where
  PyTorch's ``view`` fails, and write through to the base as PyTorch's do.

The PyTorch half of each check runs where the oracle is installed.
"""

import importlib.util

import numpy as np
import pytest

import autodidact as ad

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# The PyTorch half runs where the oracle the suite pins (see conftest.py) is installed.
HAS_TORCH = importlib.util.find_spec("torch") is not None
if HAS_TORCH:
    import torch
    HAS_TORCH = torch.__version__.split("+")[0] == "2.13.0"

shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)


@st.composite
def index_keys(draw, shape):
    """A key for a tensor of ``shape``: a tuple of parts, as PyTorch and NumPy both read it.

    Index lists in one key share a length (so they broadcast together); a
    mask comes alone. An Ellipsis stands before or after the parts that
    use up axes.
    """
    ndim = len(shape)
    consumed = draw(st.integers(0, ndim))
    ellipsis = draw(st.sampled_from(["none", "front", "back"])) if consumed < ndim else "none"
    sizes = shape[ndim - consumed:] if ellipsis == "front" else shape[:consumed]
    advanced = draw(st.sampled_from(["none", "lists", "mask"]))
    length = draw(st.integers(0, 3))
    parts, mask_used = [], False
    for size in sizes:
        kinds = ["slice"] + (["int"] if size else [])
        if advanced == "lists" and (size or length == 0):
            kinds.append("list")
        if advanced == "mask" and not mask_used:
            kinds.append("mask")
        kind = draw(st.sampled_from(kinds))
        if kind == "slice":
            start = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
            stop = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
            step = draw(st.one_of(st.none(), st.integers(1, 3)))
            parts.append(slice(start, stop, step))
        elif kind == "int":
            parts.append(draw(st.integers(-size, size - 1)))
        elif kind == "list":
            parts.append(draw(st.lists(st.integers(-size, size - 1), min_size=length,
                                       max_size=length)) if size else [])
        else:
            parts.append(("mask", tuple(draw(st.lists(st.booleans(), min_size=size,
                                                      max_size=size)))))
            mask_used = True
    if ellipsis == "front":
        parts.insert(0, Ellipsis)
    elif ellipsis == "back":
        parts.append(Ellipsis)
    for _ in range(draw(st.integers(0, 2))):
        parts.insert(draw(st.integers(0, len(parts))), None)
    return tuple(parts)


def for_lib(key, lib):
    """The key with masks and lists as the library's objects."""
    out = []
    for p in key:
        if isinstance(p, tuple):
            out.append(lib.tensor(p[1], dtype=lib.bool) if lib is not np else np.array(p[1], bool))
        elif isinstance(p, list):
            out.append(lib.tensor(p, dtype=lib.int64) if lib is not np else np.array(p, np.int64))
        else:
            out.append(p)
    return tuple(out)


def numpy_reference(array, key):
    """NumPy's x[key], read with PyTorch's rule: ints and slices first, then index arrays."""
    advanced = [p for p in key if isinstance(p, np.ndarray)]
    if advanced and any(type(p) is int for p in key):
        basic, rest = [], []
        for p in key:
            if type(p) is int:
                basic.append(p)
            elif p is None or isinstance(p, slice):
                basic.append(p)
                rest.append(slice(None))
            elif p is Ellipsis:
                basic.append(p)
                rest.append(p)
            else:
                basic.extend([slice(None)] * (p.ndim if p.dtype == bool else 1))
                rest.append(p)
        return array[tuple(basic)][tuple(rest)]
    return array[key]


@given(st.data())
def test_random_index_expressions(data):
    shape = data.draw(shapes)
    key = data.draw(index_keys(shape))
    base = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    x = ad.tensor(base)
    ours = x[for_lib(key, ad)]
    expected = numpy_reference(base, for_lib(key, np))
    assert tuple(ours.shape) == expected.shape
    np.testing.assert_array_equal(ours.numpy(), expected)
    basic = all(p is None or p is Ellipsis or isinstance(p, (int, slice)) for p in key)
    assert (ours._base is not None) == basic
    if basic:
        assert np.shares_memory(ours.numpy(), x.numpy()) or ours.numel() == 0
    if HAS_TORCH:
        theirs = torch.tensor(base)[for_lib(key, torch)]
        assert tuple(theirs.shape) == tuple(ours.shape)
        assert (theirs._base is not None) == (ours._base is not None)
        if theirs._base is not None and theirs.numel():   # empty tensors' strides are arbitrary
            assert ours.stride() == theirs.stride()
            assert ours.is_contiguous() == theirs.is_contiguous()
            assert ours.storage_offset() == theirs.storage_offset()


@given(st.data())
def test_random_index_assignment(data):
    shape = data.draw(shapes)
    key = data.draw(index_keys(shape))
    base = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    region = numpy_reference(base, for_lib(key, np))
    value_shape = data.draw(st.sampled_from([(), region.shape[-1:] if region.ndim else ()]))
    value = np.full(value_shape, -5., dtype=np.float32) - np.arange(
        int(np.prod(value_shape)), dtype=np.float32).reshape(value_shape)
    x = ad.tensor(base)
    x[for_lib(key, ad)] = ad.tensor(value)
    # The reference: write into a view of the region's places, as PyTorch does.
    expected = base.copy()
    positions = numpy_reference(np.arange(expected.size).reshape(shape), for_lib(key, np))
    flat = expected.reshape(-1)
    broadcast = np.broadcast_to(value, positions.shape)
    for pos, val in zip(positions.reshape(-1), broadcast.reshape(-1)):
        flat[pos] = val       # in order: the last write wins where places repeat
    np.testing.assert_array_equal(x.numpy(), expected)
    assert x._version == 1


# ------------------------------------------------------------ view chains

VIEW_OPS = ["view", "transpose", "permute", "unsqueeze", "squeeze", "expand", "narrow", "t",
            "flatten", "slice", "reshape"]


@st.composite
def view_chains(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    ops = []
    current = shape
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(VIEW_OPS))
        ndim = len(current)
        if op == "view" or op == "reshape":
            numel = int(np.prod(current))
            factors = [f for f in range(1, numel + 1) if numel % f == 0]
            first = draw(st.sampled_from(factors))
            rest = numel // first
            second = draw(st.sampled_from([f for f in range(1, rest + 1) if rest % f == 0]))
            new = (first, second, rest // second)
            new = tuple(draw(st.permutations(new)))
            if draw(st.booleans()):
                new = tuple(d for d in new if d != 1) or (1,)
            if draw(st.booleans()):
                i = draw(st.integers(0, len(new) - 1))
                args = new[:i] + (-1,) + new[i + 1:]
            else:
                args = new
            ops.append((op, args))
            current = new
        elif op == "transpose" and ndim:
            a, b = draw(st.integers(-ndim, ndim - 1)), draw(st.integers(-ndim, ndim - 1))
            ops.append((op, (a, b)))
            c = list(current)
            c[a], c[b] = c[b], c[a]
            current = tuple(c)
        elif op == "permute" and ndim:
            perm = tuple(draw(st.permutations(list(range(ndim)))))
            ops.append((op, perm))
            current = tuple(current[p] for p in perm)
        elif op == "unsqueeze" and ndim < 5:
            d = draw(st.integers(-ndim - 1, ndim))
            ops.append((op, (d,)))
            c = list(current)
            c.insert(d if d >= 0 else d + ndim + 1, 1)
            current = tuple(c)
        elif op == "squeeze":
            if draw(st.booleans()) and ndim:
                d = draw(st.integers(-ndim, ndim - 1))
                ops.append((op, (d,)))
                if current[d] == 1:
                    c = list(current)
                    del c[d]
                    current = tuple(c)
            else:
                ops.append((op, ()))
                current = tuple(s for s in current if s != 1)
        elif op == "expand" and ndim < 5:
            lead = draw(st.integers(0 if ndim else 1, 1))
            new = tuple(draw(st.integers(1, 3)) for _ in range(lead))
            new += tuple(draw(st.integers(1, 3)) if s == 1 else draw(st.sampled_from([s, -1]))
                         for s in current)
            ops.append((op, new))
            current = tuple(n if n != -1 else s for n, s in
                            zip(new, (None,) * lead + current))
        elif op == "narrow" and ndim and all(current):
            d = draw(st.integers(0, ndim - 1))
            start = draw(st.integers(0, current[d] - 1))
            length = draw(st.integers(1, current[d] - start))
            ops.append((op, (d, start, length)))
            c = list(current)
            c[d] = length
            current = tuple(c)
        elif op == "t" and ndim <= 2:
            ops.append((op, ()))
            current = tuple(reversed(current))
        elif op == "flatten" and ndim:
            ops.append((op, ()))
            current = (int(np.prod(current)),)
        elif op == "slice" and ndim and current[0]:
            step = draw(st.integers(1, 3))
            ops.append((op, (step,)))
            current = (len(range(0, current[0], step)),) + current[1:]
    return shape, ops


def apply_numpy(array, op, args):
    """The value a view op gives, computed with NumPy (which has no views to fail)."""
    if op in ("view", "reshape"):
        return array.reshape(args)
    if op == "transpose":
        return np.swapaxes(array, *args)
    if op == "permute":
        return np.transpose(array, args)
    if op == "unsqueeze":
        return np.expand_dims(array, args[0])
    if op == "squeeze":
        if args and array.shape[args[0]] != 1:
            return array
        return np.squeeze(array, args if args else None)
    if op == "expand":
        shape = tuple(s if s != -1 else array.shape[i - (len(args) - array.ndim)]
                      for i, s in enumerate(args))
        return np.broadcast_to(array, shape)
    if op == "narrow":
        d, start, length = args
        index = [slice(None)] * array.ndim
        index[d] = slice(start, start + length)
        return array[tuple(index)]
    if op == "t":
        return array.T
    if op == "flatten":
        return array.reshape(-1)
    if op == "slice":
        return array[::args[0]]
    raise AssertionError(op)


def apply_tensor(t, op, args):
    if op == "slice":
        return t[::args[0]]
    return getattr(t, op)(*args)


@given(view_chains())
def test_random_view_chains(chain):
    shape, ops = chain
    base = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    ours = ad.tensor(base)
    root = ours
    expected = base
    theirs = torch.tensor(base) if HAS_TORCH else None
    torch_root = theirs
    for op, args in ops:
        try:
            ours_next = apply_tensor(ours, op, args)
        except RuntimeError as exc:
            assert op == "view" and "Use .reshape(...) instead." in str(exc)
            if HAS_TORCH:
                with pytest.raises(RuntimeError, match="view size is not compatible"):
                    apply_tensor(theirs, op, args)
            return
        ours = ours_next
        expected = apply_numpy(expected, op, args)
        np.testing.assert_array_equal(ours.numpy(), expected)
        if HAS_TORCH:
            theirs = apply_tensor(theirs, op, args)
            assert (ours._base is not None) == (theirs._base is not None)
            if theirs.numel():
                assert ours.stride() == theirs.stride(), (op, args)
                assert ours.is_contiguous() == theirs.is_contiguous()
                assert ours.storage_offset() == theirs.storage_offset()
    # Writing through the end of the chain lands in the base when every step was a view.
    ours.fill_(-1.)
    if ours._base is root:
        assert root._version == 1 and (root.numpy() == -1).any()
    if HAS_TORCH:
        theirs.fill_(-1.)
        np.testing.assert_array_equal(root.numpy(), torch_root.numpy())


@given(view_chains())
def test_random_view_chains_carry_gradients(chain):
    shape, ops = chain
    x = ad.arange(float(np.prod(shape)), dtype=ad.float64).view(shape).requires_grad_()
    y = x
    for op, args in ops:
        try:
            y = apply_tensor(y, op, args)
        except RuntimeError:
            return
    weights = ad.arange(float(y.numel()), dtype=ad.float64).view(y.shape) + 1
    (y * weights).sum().backward()
    # The reference: push the weights back through NumPy's chain by scatter-adding positions.
    positions = np.arange(int(np.prod(shape))).reshape(shape)
    for op, args in ops:
        positions = apply_numpy(positions, op, args)
    expected = np.zeros(int(np.prod(shape)))
    np.add.at(expected, positions.reshape(-1), weights.numpy().reshape(-1))
    np.testing.assert_array_equal(x.grad.numpy().reshape(-1), expected)


INPLACE_OPS = ["add_", "mul_", "exp_", "fill_", "zero_", "copy_", "setitem", "sub_base"]


@pytest.mark.skipif(not HAS_TORCH, reason="compares gradients with PyTorch 2.13")
@given(view_chains(), st.sampled_from(INPLACE_OPS))
def test_inplace_through_random_views_gives_torchs_gradients(chain, op):
    shape, ops = chain

    def run_with(lib):
        a = lib.arange(1., float(np.prod(shape)) + 1, dtype=lib.float64).view(shape)
        a.requires_grad_()
        s = lib.tensor(0.75, dtype=lib.float64, requires_grad=True)
        y = a * 1
        v = y
        for name, args in ops:
            v = v[::args[0]] if name == "slice" else getattr(v, name)(*args)
        if op == "setitem":
            v[...] = s * 2
        elif op == "sub_base":
            y.sub_(s)                      # the base changes; the view must follow
        elif op in ("exp_", "zero_"):
            getattr(v, op)()
        elif op == "copy_":
            v.copy_(s * 3)
        elif op == "fill_":
            v.fill_(s)
        else:
            getattr(v, op)(s)
        weights = lib.arange(float(y.numel()), dtype=lib.float64).view(y.shape).cos()
        loss = (y * weights).sum() + (v * v).sum()
        loss.backward()
        return y.detach(), a.grad, s.grad

    ours, theirs = run_with_errors(run_with, ad), run_with_errors(run_with, torch)
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), (theirs, ours)
        assert str(ours).split(" Hint:")[0].split(". ")[0] == \
            str(theirs).split(" Hint:")[0].split(". ")[0].replace("torch.", "autodidact.")
        return
    assert not isinstance(ours, Exception), ours
    for o, t in zip(ours, theirs):
        if t is None:
            assert o is None or not o.numpy().any()
        else:
            np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-9, atol=1e-12)


def run_with_errors(fn, lib):
    try:
        return fn(lib)
    except (RuntimeError, ValueError, TypeError) as exc:
        return exc
