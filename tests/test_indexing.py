"""Indexing and index assignment: x[key] and x[key] = value, as PyTorch 2.13 does them.

Basic keys (ints, slices, None, ...) give views, advanced keys (lists, index
tensors, masks) give copies; errors use PyTorch's words; a refused
assignment leaves the target's bytes and version as they were.
"""

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run, same_error, same_exact as same_value

# Both libraries warn that x[[[0, 1], [1, 2]]] (a list read as a tuple) is deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:Using a non-tuple sequence:UserWarning")

# ------------------------------------------------------------------ helpers


def unchanged(t):
    """A fingerprint of a tensor's contents and version, for nothing-half-applied checks."""
    return bytes(np.ascontiguousarray(t.detach().numpy()).tobytes()), t._version, tuple(t.shape)


def is_view(t):
    return t._base is not None


# ------------------------------------------------------------ reading x[key]

T = "TENSOR"   # placeholder replaced by an index tensor of the library under test

KEYS_2D = [
    (slice(None), 1), 1, (1, 2), -1, slice(1, 3), (slice(1, 3), slice(None, 2)),
    slice(None, None, 2), (Ellipsis, 0), None, (slice(None), None), (Ellipsis, None),
    (None, 0, None), slice(10, 20), (), (slice(None),), Ellipsis, (Ellipsis, 1, None),
    [0, 2, 4], [[0, 1], [1, 2]], ([0, 1], [1, 2]), ([0, 1], [[0], [1]]),
    [True, False, True, False, True], (slice(1, 3), [0, 2]), ([0, 2], slice(1, 3)),
    ([0, 2], None), (None, [0, 2]), True, False, (0, True), [], [-1, -5],
    (slice(None), [2, 0, 2]), [0, slice(None)], [[4], [2]], (1, [0, 2]), ([3], 2),
    ("tensor", [0, 2]), ("tensor", 1), ("tensor", True), ("tensor2", 1, 2), ("mask",),
    ("mask_row",), ("mask_row_then", 1), ("int32", [4, 0]), ("int8", [1, 1]),
]


def _key(lib, spec):
    """Build a key, with tensors of the library under test where the spec asks for them."""
    if isinstance(spec, tuple) and spec and spec[0] == "tensor":
        return lib.tensor(spec[1])
    if isinstance(spec, tuple) and spec and spec[0] == "tensor2":
        return lib.tensor(spec[1]), lib.tensor(spec[2])
    if isinstance(spec, tuple) and spec and spec[0] in ("int32", "int8"):
        return lib.tensor(spec[1], dtype=getattr(lib, spec[0]))
    if spec == ("mask",):
        return lib.arange(15.).view(5, 3) > 6
    if spec == ("mask_row",):
        return lib.tensor([True, False, True, False, True])
    if spec == ("mask_row_then", 1):
        return lib.tensor([True, False, True, False, True]), 1
    return spec


@pytest.mark.parametrize("spec", KEYS_2D, ids=repr)
def test_reading_matches_torch_values_and_view_or_copy(torch_oracle, spec):
    ours = run(ad, lambda lib: lib.arange(15.).view(5, 3)[_key(lib, spec)])
    theirs = run(torch_oracle, lambda lib: lib.arange(15.).view(5, 3)[_key(lib, spec)])
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        return
    same_value(ours, theirs)
    assert is_view(ours) == is_view(theirs)
    if is_view(theirs):
        assert ours.stride() == theirs.stride()
        if theirs.numel():   # where an empty view starts is arbitrary
            assert ours.storage_offset() == theirs.storage_offset()
        assert ours.is_contiguous() == theirs.is_contiguous()


KEYS_3D = [
    ([0, 1], slice(None), [1, 2]), (slice(None), [0, 1], [1, 2]), (0, slice(None), [3, 1]),
    ([1], Ellipsis, [0]), (Ellipsis, [0, 2], slice(1, 3)), (None, 1, None, slice(None, None, 2)),
    (slice(None), None, 1), ("mask2",), ("mask2", [2, 0, 1]), (1, slice(None), "mask_last"),
    ([[0], [1]], [[0, 1, 2]], slice(None)), ([0, 1], None, [1, 2]),
]


def _key3(lib, spec):
    def part(p):
        if p == "mask2":
            return lib.tensor([[True, False, True], [False, True, False]])
        if p == "mask_last":
            return lib.tensor([True, False, False, True])
        return p
    return tuple(part(p) for p in spec)


@pytest.mark.parametrize("spec", KEYS_3D, ids=repr)
def test_mixed_keys_on_3d_follow_torch_placement_rules(torch_oracle, spec):
    ours = ad.arange(24.).view(2, 3, 4)[_key3(ad, spec)]
    theirs = torch_oracle.arange(24.).view(2, 3, 4)[_key3(torch_oracle, spec)]
    same_value(ours, theirs)
    assert is_view(ours) == is_view(theirs)


def test_basic_slicing_is_a_view_sharing_storage_and_version():
    x = ad.arange(15.).view(5, 3)
    col = x[:, 1]
    assert col._base is x._base or col._base is x
    assert col.shape == (5,) and col.stride() == (3,) and col.storage_offset() == 1
    assert not col.is_contiguous()
    col.fill_(-1.)
    assert x[:, 1].tolist() == [-1.] * 5
    assert x._version == col._version == 1
    row = x[0:2]
    row.add_(100.)
    assert x._version == 2 and row._version == 2
    assert x[0, 0].item() == 100.


def test_an_element_is_a_zero_dim_view():
    x = ad.arange(15.).view(5, 3)
    e = x[1, 2]
    assert e.shape == () and e.item() == 5.0 and isinstance(e.item(), float)
    assert e._base is not None and e.data_ptr() == x.data_ptr() + 5 * 4
    e.fill_(50.)
    assert x[1, 2].item() == 50.
    assert x[1][2].item() == 50.


def test_advanced_indexing_is_a_copy():
    x = ad.arange(15.).view(5, 3)
    for c in (x[[3, 4]], x[x > 10], x[ad.tensor([0, 2])], x[[True, False, True, False, True]]):
        assert c._base is None
        c.fill_(-2.)
    assert x.min().item() == 0.0 and x._version == 0


def test_zero_dim_integer_tensor_is_an_int_index_and_gives_a_view(torch_oracle):
    x = ad.arange(15.).view(5, 3)
    v = x[ad.tensor(1)]
    assert v._base is not None and v.tolist() == [3., 4., 5.]
    assert torch_oracle.arange(15.).view(5, 3)[torch_oracle.tensor(1)]._base is not None


def test_python_bool_list_is_a_mask_and_int_list_is_an_index():
    x = ad.arange(5.)
    assert x[[True, False, True, False, True]].tolist() == [0., 2., 4.]
    assert x[[1, 0, 1]].tolist() == [1., 0., 1.]


@pytest.mark.parametrize("step", [-1, -2])
def test_negative_step_raises_with_flip_hint(torch_oracle, step):
    x = ad.arange(5)
    with pytest.raises(ValueError) as ours:
        x[::step]
    with pytest.raises(ValueError) as theirs:
        torch_oracle.arange(5)[::step]
    assert str(ours.value).startswith(str(theirs.value))
    assert "flip" in str(ours.value)
    with pytest.raises(ValueError, match="^step must be greater than zero"):
        ad.arange(6).view(2, 3)[:, ::-1]
    with pytest.raises(ValueError, match="^step must be greater than zero"):
        x[4:0:-1]


def test_zero_step_raises():
    with pytest.raises(ValueError, match="^slice step cannot be zero$"):
        ad.arange(5)[::0]


ERRORS = [
    lambda lib: lib.arange(15.).view(5, 3)[5],
    lambda lib: lib.arange(15.).view(5, 3)[-6],
    lambda lib: lib.arange(15.).view(5, 3)[:, 3],
    lambda lib: lib.arange(15.).view(5, 3)[1, 2, 3],
    lambda lib: lib.arange(15.).view(5, 3)[1.5],
    lambda lib: lib.arange(15.).view(5, 3)[lib.tensor([0.])],
    lambda lib: lib.arange(15.).view(5, 3)[lib.tensor([True, False])],
    lambda lib: lib.arange(15.).view(5, 3)[lib.ones(5, 2, dtype=lib.bool)],
    lambda lib: lib.arange(15.).view(5, 3)[[5]],
    lambda lib: lib.arange(15.).view(5, 3)[[-6]],
    lambda lib: lib.arange(15.).view(5, 3)[:, [3]],
    lambda lib: lib.arange(15.).view(5, 3)[[0, 1], [0, 3]],
    lambda lib: lib.arange(24.).view(2, 3, 4)[[0], :, [9]],
    lambda lib: lib.arange(24.).view(2, 3, 4)[lib.ones(2, 3, dtype=lib.bool), [9]],
    lambda lib: lib.arange(15.).view(5, 3)[[[0, 1], [2, 3]]],
    lambda lib: lib.arange(24.).view(2, 3, 4)[1, lib.tensor([True, False, False, True])],
    lambda lib: lib.arange(24.).view(2, 3, 4)[lib.ones(2, 3, dtype=lib.bool), [3, 0]],
    lambda lib: lib.arange(24.).view(2, 3, 4)[[0, 1], [0, 1, 2]],
    lambda lib: lib.arange(24.).view(2, 3, 4)[..., 7],
    lambda lib: lib.arange(24.).view(2, 3, 4)[0, ..., 9],
    lambda lib: lib.arange(15.).view(5, 3)[lib.tensor([1], dtype=lib.int8)],
    lambda lib: lib.tensor(3.)[0],
    lambda lib: lib.arange(5)[::0],
    lambda lib: lib.arange(5)[None, None, 7],
]


@pytest.mark.parametrize("fn", ERRORS, ids=range(len(ERRORS)))
def test_index_errors_use_pytorchs_words(torch_oracle, fn):
    same_error(run(ad, fn), run(torch_oracle, fn))


def test_uint8_index_is_a_deprecated_mask():
    x = ad.arange(5.)
    with pytest.warns(UserWarning, match="indexing with dtype autodidact.uint8 is now deprecated"):
        r = x[ad.tensor([1, 0, 1, 0, 0], dtype=ad.uint8)]
    assert r.tolist() == [0., 2.]


def test_numpy_integers_and_arrays_index():
    x = ad.arange(15.).view(5, 3)
    assert x[np.int64(1)].tolist() == [3., 4., 5.]
    assert x[np.array([0, 4])][:, 0].tolist() == [0., 12.]
    assert x[np.array([True, False, False, False, True])].shape == (2, 3)


def test_out_of_range_slices_are_empty():
    x = ad.arange(15.).view(5, 3)
    assert x[10:20].shape == (0, 3)
    assert repr(x[10:20]) == "tensor([], size=(0, 3))"


# ------------------------------------------------------ indexing and gradients

GRAD_KEYS = [[0, 0, 2], "t333", "mask", slice(1, 3), -1, (slice(None), 1), ([0, 1], [2, 2]),
             [1, 1], (None, slice(None, None, 2))]


@pytest.mark.parametrize("spec", GRAD_KEYS, ids=repr)
def test_gradients_through_indexing_scatter_add_like_torch(torch_oracle, spec):
    def grad(lib):
        x = lib.arange(12., dtype=lib.float64).view(4, 3).requires_grad_()
        if spec == "t333":
            key = lib.tensor([3, 3, 3])
        elif spec == "mask":
            key = x > 5
        else:
            key = spec
        y = x[key]
        w = lib.arange(float(y.numel()), dtype=lib.float64).view(y.shape) + 1
        (y * w).sum().backward()
        return x.grad, type(y.grad_fn).__name__ if lib is ad else y.grad_fn.name()
    (ours, our_name), (theirs, their_name) = grad(ad), grad(torch_oracle)
    same_value(ours, theirs)
    assert our_name == their_name


# ------------------------------------------------------------- x[key] = value


def _assign(lib, start, key, value):
    t = start(lib)
    t[key(lib) if callable(key) else key] = value(lib) if callable(value) else value
    return t


ASSIGNMENTS = [
    ((slice(None), 1), 100.),
    (lambda lib: lib.arange(15.).view(5, 3) > 5, 0.),
    (0, lambda lib: lib.tensor([7., 8., 9.])),
    (slice(0, 2), lambda lib: lib.tensor([7., 8., 9.])),
    (slice(0, 2), lambda lib: lib.tensor([[7.], [8.]])),
    (slice(0, 2), lambda lib: lib.ones(1, 2, 3)),
    ([0, 0], lambda lib: lib.tensor([[1., 1, 1], [2., 2, 2]])),
    (([0, 1], [1, 2]), lambda lib: lib.tensor([10., 20.])),
    (lambda lib: lib.arange(15.).view(5, 3) > 12, lambda lib: lib.tensor([1., 2.])),
    ([0, 1], lambda lib: lib.ones(1, 2, 3)),
    (Ellipsis, 1),
    (None, lambda lib: lib.ones(3)),
    (0, lambda lib: lib.tensor(4.)),
    (0, lambda lib: lib.tensor([1., 2, 3], dtype=lib.float64)),
    (0, lambda lib: lib.tensor([1, 2, 3])),
    (0, True),
    (0, np.float64(2.5)),
    ((slice(None), [0, 2]), lambda lib: lib.tensor([-1., -2.])),
    ([True, False, True, False, True], 5.),
]


@pytest.mark.parametrize("key,value", ASSIGNMENTS, ids=range(len(ASSIGNMENTS)))
def test_assignment_matches_torch(torch_oracle, key, value):
    def fn(lib):
        return _assign(lib, lambda lib: lib.arange(15.).view(5, 3), key, value)
    same_value(run(ad, fn), run(torch_oracle, fn))


ASSIGN_ERRORS = [
    (0, lambda lib: lib.tensor([7., 8.])),
    (slice(0, 2), lambda lib: lib.ones(2, 2, 3)),
    (slice(0, 2), lambda lib: lib.ones(2, 2)),
    (([0, 1], [1, 2]), lambda lib: lib.tensor([1., 2., 3.])),
    (lambda lib: lib.arange(15.).view(5, 3) > 12, lambda lib: lib.tensor([1., 2., 3.])),
    ([0, 1], lambda lib: lib.ones(2, 2, 3)),
    (slice(1, 1), lambda lib: lib.ones(5)),
    (5, 1.),
    (slice(None, None, -1), 1.),
    (0, "a"),
    (0, None),
    (0, np.array([1., 2., 3.])),
    (1.5, 0.),
]


@pytest.mark.parametrize("key,value", ASSIGN_ERRORS, ids=range(len(ASSIGN_ERRORS)))
def test_refused_assignment_raises_like_torch_and_changes_nothing(torch_oracle, key, value):
    target = ad.arange(15.).view(5, 3)
    before = unchanged(target)
    ours = run(ad, lambda lib: _assign(lib, lambda _: target, key, value))
    theirs = run(torch_oracle, lambda lib: _assign(lib, lambda lib: lib.arange(15.).view(5, 3),
                                                   key, value))
    same_error(ours, theirs, prefix=True)
    assert unchanged(target) == before


@pytest.mark.parametrize("dtype,value", [
    ("uint8", 300), ("uint8", -256), ("int8", 1000), ("int8", 128.0), ("int8", -128.5),
    ("int8", float("nan")), ("int32", 1e10), ("int16", 40000), ("float32", 1e300),
    ("int64", 2 ** 63), ("float16", 1e10),
])
def test_assigning_a_number_out_of_range_raises_like_torch(torch_oracle, dtype, value):
    target = ad.zeros(3, dtype=getattr(ad, dtype))
    before = unchanged(target)

    def fn(lib, t=None):
        t = lib.zeros(3, dtype=getattr(lib, dtype)) if t is None else t
        t[0] = value
        return t
    ours, theirs = run(ad, lambda lib: fn(lib, target)), run(torch_oracle, fn)
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        assert unchanged(target) == before
    else:
        same_value(ours, theirs)


@pytest.mark.parametrize("dtype,value", [
    ("uint8", -1), ("uint8", -129), ("int64", 1.7), ("int64", -1.7), ("bool", 2), ("bool", 0.5),
    ("float32", True), ("int8", True), ("float16", 70000.0), ("int32", 2.5),
])
def test_assigning_numbers_converts_like_torch(torch_oracle, dtype, value):
    def fn(lib):
        t = lib.zeros(3, dtype=getattr(lib, dtype))
        t[0] = value
        t[[1]] = value
        t[lib.tensor([False, False, True])] = value
        return t
    same_value(run(ad, fn), run(torch_oracle, fn))


def test_assigning_a_list_is_a_convenience_over_pytorch():
    # PyTorch refuses lists here ("can't assign a list to a torch.FloatTensor");
    # autodidact accepts them as it accepts tensors, with the same broadcasting rules.
    x = ad.zeros(2, 3)
    x[0] = [7, 8, 9]
    x[:, 1] = [5.5, 6.5]
    x[1, [0, 2]] = [1, 2]
    assert x.tolist() == [[7., 5.5, 9.], [1., 6.5, 2.]]
    before = unchanged(x)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(3\) must match "
                                           r"the existing size \(2\) at non-singleton dimension 0"):
        x[0] = [1, 2]
    with pytest.raises(TypeError, match="can't assign a list"):
        x[0] = [[1, 2], [3]]
    assert unchanged(x) == before
    i = ad.zeros(3, dtype=ad.int64)
    i[:] = [1.7, -1.7, 2.2]
    assert i.tolist() == [1, -1, 2]


def test_last_write_wins_for_repeated_indices(torch_oracle):
    for lib in (ad, torch_oracle):
        y = lib.zeros(3)
        y[[0, 0]] = lib.tensor([1., 2.])
        assert y.tolist() == [2., 0., 0.]
        y = lib.zeros(3)
        y[[0, 0]] += 1
        assert y.tolist() == [1., 0., 0.]
        y = lib.zeros(2, 2)
        y[[1, 1, 1]] = lib.tensor([[1., 1.], [2., 2.], [3., 3.]])
        assert y.tolist() == [[0., 0.], [3., 3.]]


def test_assignment_bumps_the_version_and_writes_through_views():
    x = ad.zeros(4)
    v = x[1:3]
    v[0] = 5.
    assert x.tolist() == [0., 5., 0., 0.]
    assert x._version == v._version == 1
    v[[1]] = 6.
    assert x.tolist() == [0., 5., 6., 0.]
    assert x._version == 2
    x[x > 5.5] = 1.
    assert x.tolist() == [0., 5., 1., 0.] and x._version == 3


def test_overlapping_assignment_raises_like_torch(torch_oracle):
    def partial(lib):
        y = lib.arange(4.)
        y[1:] = y[:-1]
        return y

    def advanced(lib):
        y = lib.arange(4.)
        y[lib.tensor([1, 2])] = y[0:2]
        return y

    def full(lib):
        y = lib.arange(4.)
        y[:] = y
        return y
    for fn in (partial, advanced):
        same_error(run(ad, fn), run(torch_oracle, fn))
    same_value(full(ad), full(torch_oracle))
    y = ad.arange(4.)
    before = unchanged(y)
    with pytest.raises(RuntimeError):
        y[1:] = y[:-1]
    assert unchanged(y) == before


def test_assignment_into_an_expanded_tensor_follows_torch(torch_oracle):
    def basic(lib):
        y = lib.zeros(1, 3).expand(2, 3)
        y[:, 0] = 5.
        return y

    def element(lib):
        y = lib.zeros(1, 3).expand(2, 3)
        y[0] = 1.
        return y

    def advanced(lib):
        y = lib.zeros(1, 3).expand(2, 3)
        with pytest.warns(UserWarning, match="Use of index_put_ on expanded tensors is deprecated"):
            y[[0, 1]] = 5.
        return y
    same_error(run(ad, basic), run(torch_oracle, basic))
    same_value(element(ad), element(torch_oracle))
    same_value(advanced(ad), advanced(torch_oracle))


def test_a_list_holding_sequences_is_read_as_a_tuple_with_pytorchs_warning():
    x = ad.arange(15.).view(5, 3)
    with pytest.warns(UserWarning, match="non-tuple sequence for multidimensional indexing"):
        assert x[[[0, 1], [1, 2]]].tolist() == [1., 5.]
    with pytest.warns(UserWarning):
        assert x[[slice(None), 1]].tolist() == [1., 4., 7., 10., 13.]


# --------------------------------------------------- assignment and autograd


def test_assignment_into_a_leaf_that_requires_grad_raises():
    w = ad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad is "
                                           "being used in an in-place operation."):
        w[0] = 5.
    assert w.tolist() == [1., 1., 1.] and w._version == 0
    with ad.no_grad():
        w[0] = 5.
    assert w.tolist() == [5., 1., 1.] and w.is_leaf and w.requires_grad


SETITEM_GRAD_CASES = [
    ("slice_value", lambda lib, x, v: (slice(1, 3), v[:2] * v[:2])),
    ("dup_advanced", lambda lib, x, v: ([0, 0, 2], v)),
    ("mask_scalar_tensor", lambda lib, x, v: ("mask", v[1])),
    ("broadcast", lambda lib, x, v: (slice(None), v[2])),
    ("number", lambda lib, x, v: (0, 5.0)),
    ("two_dim_index", lambda lib, x, v: ([1, 3], v[1:])),
]


@pytest.mark.parametrize("name,case", SETITEM_GRAD_CASES, ids=[c[0] for c in SETITEM_GRAD_CASES])
def test_assignment_into_a_non_leaf_is_differentiable_like_torch(torch_oracle, name, case):
    def grads(lib):
        x = lib.tensor([1., 2., 3., 4.], dtype=lib.float64, requires_grad=True)
        v = lib.tensor([10., 20., 30.], dtype=lib.float64, requires_grad=True)
        y = x * 2
        key, value = case(lib, x, v)
        if key == "mask":
            key = y > 4
        y[key] = value
        (y * lib.tensor([1., 2., 3., 4.], dtype=lib.float64)).sum().backward()
        return x.grad, v.grad, y
    ox, ov, oy = grads(ad)
    tx, tv, ty = grads(torch_oracle)
    same_value(oy.detach(), ty.detach())
    same_value(ox, tx)
    if tv is None:
        assert ov is None
    else:
        same_value(ov, tv)
    assert "CopySlices" in type(oy.grad_fn).__name__ or "CopySlices" in oy.grad_fn.name()


def test_assigning_a_tensor_that_requires_grad_into_a_plain_tensor_records_it():
    w = ad.tensor([2., 3.], requires_grad=True)
    y = ad.zeros(4)
    y[1:3] = w * w
    assert y.requires_grad and not y.is_leaf
    y.sum().backward()
    assert w.grad.tolist() == [4., 6.]


def test_assignment_after_use_is_caught_by_the_version_check(torch_oracle):
    def fn(lib):
        x = lib.ones(2, requires_grad=True)
        y = x * 1
        z = y * y
        y[0] = 5.
        z.sum().backward()
    ours, theirs = run(ad, fn), run(torch_oracle, fn)
    assert isinstance(ours, RuntimeError) and isinstance(theirs, RuntimeError)
    head = ("one of the variables needed for gradient computation has been modified by an "
            "inplace operation: [autodidact.FloatTensor [2]]")
    assert str(ours).startswith(head)
    assert "is at version 1; expected version 0 instead" in str(ours)
    assert "CopySlices" in str(ours)


def test_index_put_then_backward_twice_through_views_and_values_is_consistent():
    x = ad.arange(6., dtype=ad.float64).requires_grad_()
    y = x * 1
    y[::2] = y[1::2] + 10
    assert y.tolist() == [11., 1., 13., 3., 15., 5.]
    (y * ad.arange(6., dtype=ad.float64)).sum().backward()
    assert x.grad.tolist() == [0., 1., 0., 5., 0., 9.]


def test_a_range_indexes_like_a_list(torch_oracle):
    """``x[range(n), target]``, the negative log likelihood of "What is torch.nn really?"."""
    def pick(lib):
        x = lib.arange(12.0).view(4, 3)
        return x[range(4), lib.tensor([0, 2, 1, 0])], x[range(1, 3)]
    for ours, theirs in zip(pick(ad), pick(torch_oracle)):
        assert ours.tolist() == theirs.tolist() and tuple(ours.shape) == tuple(theirs.shape)
