"""Bugs the differential fuzzer (tests/test_fuzz_torch.py) found, each compared with PyTorch.

One test per reproducer of the fuzzer's "Bugs found" exclusions, named as the
exclusion was; the exclusion is gone once its test passes.
"""

import warnings

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run, same_error, same_exact, same_value


def both(torch, fn):
    return run(ad, fn), run(torch, fn)


def same_outcome(ours, theirs):
    """The same error where PyTorch raises, else exactly the same tensor."""
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_exact(ours, theirs)


# ------------------------------------------------------------------ prod-dim-0d-backward

@pytest.mark.parametrize("reduce", ["prod", "sum", "amax", "logsumexp"])
def test_reducing_dim_0_of_a_0d_tensor_differentiates(torch_oracle, reduce):
    def fn(lib):
        x = lib.tensor(2., requires_grad=True)
        getattr(x, reduce)(dim=0).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_value(ours, theirs)


# ------------------------------------------------------------------ requires-grad-on-non-leaf

@pytest.mark.parametrize("flag", [True, False])
def test_requires_grad_on_a_non_leaf_only_refuses_false(torch_oracle, flag):
    def fn(lib):
        y = lib.tensor([1.], requires_grad=True) * 2
        return y.requires_grad_(flag)
    ours, theirs = both(torch_oracle, fn)
    if flag:
        same_exact(ours, theirs)
        assert ours.grad_fn is not None and ours.requires_grad
    else:
        same_error(ours, theirs)


# ------------------------------------------------------------------ max-dim-bool

@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_along_dim_0_of_a_0d_bool_keeps_bool(torch_oracle, name, keepdim):
    def fn(lib):
        return getattr(lib.tensor(False), name)(dim=0, keepdim=keepdim)
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours.values, theirs.values)
    same_exact(ours.indices, theirs.indices)


def test_max_along_dim_0_of_a_0d_tensor_is_a_copy_with_a_gradient(torch_oracle):
    def fn(lib):
        x = lib.tensor(2., requires_grad=True)
        values = x.max(dim=0).values
        values.backward()
        return values.detach(), x.grad
    (ours, our_grad), (theirs, their_grad) = both(torch_oracle, fn)
    same_exact(ours, theirs)
    same_exact(our_grad, their_grad)


# ------------------------------------------------------------------ chunk-empty-dim

@pytest.mark.parametrize("shape, chunks, dim", [((0, 3), 1, 0), ((0, 3), 2, 0), ((0,), 5, 0),
                                                ((2, 0), 3, 1), ((2, 0), 2, -1)])
def test_chunk_of_an_empty_dim_gives_chunks_empty_pieces(torch_oracle, shape, chunks, dim):
    def fn(lib):
        x = lib.zeros(*shape, requires_grad=True)
        return [piece.detach() for piece in x.chunk(chunks, dim)]
    ours, theirs = both(torch_oracle, fn)
    assert len(ours) == len(theirs)
    for our_piece, their_piece in zip(ours, theirs):
        same_exact(our_piece, their_piece)


# ------------------------------------------------------------------ index-select-0d

@pytest.mark.parametrize("index", [[0], 0, [1], [-1], [0, 0], []])
def test_index_select_of_a_0d_tensor(torch_oracle, index):
    def fn(lib):
        x = lib.tensor(5., requires_grad=True)
        picked = x.index_select(0, lib.tensor(index, dtype=lib.int64))
        picked.sum().backward()
        return picked.detach(), x.grad
    ours, theirs = both(torch_oracle, fn)
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_exact(ours[0], theirs[0])
        same_exact(ours[1], theirs[1])


# ------------------------------------------------------------------ missing-argument

@pytest.mark.parametrize("call", [
    lambda lib, x: x.permute(), lambda lib, x: x.reshape(), lambda lib, x: x.view(),
    lambda lib, x: lib.permute(x), lambda lib, x: lib.reshape(x)])
@pytest.mark.parametrize("shape", [(), (2,)])
def test_shape_methods_without_their_argument_raise_type_error(torch_oracle, call, shape):
    ours, theirs = both(torch_oracle, lambda lib: call(lib, lib.ones(shape)))
    same_error(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, x: x.permute(()), lambda lib, x: x.reshape(()), lambda lib, x: x.view(()),
    lambda lib, x: x.T, lambda lib, x: lib.einsum("->", x),
    lambda lib, x: lib.tensordot(x, x, dims=0)])
@pytest.mark.filterwarnings("ignore:Tensor.T is deprecated")
def test_a_0d_tensor_still_permutes_and_reshapes_to_no_dims(torch_oracle, call):
    def fn(lib):
        x = lib.tensor(3., requires_grad=True)
        call(lib, x).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


# ------------------------------------------------------------------ mT-0d

def test_mT_of_a_0d_tensor_is_the_tensor_with_a_deprecation_warning(torch_oracle):
    x = ad.tensor(1.5, requires_grad=True)
    with pytest.warns(UserWarning, match="Tensor.mT is deprecated on 0-D tensors"):
        assert x.mT is x
    with warnings.catch_warnings():   # PyTorch warns once a process (TORCH_WARN_ONCE)
        warnings.simplefilter("ignore")
        theirs = torch_oracle.tensor(1.5, requires_grad=True)
        assert theirs.mT is theirs


def test_mT_of_a_vector_raises_as_in_torch(torch_oracle):
    ours, theirs = both(torch_oracle, lambda lib: lib.ones(3).mT)
    same_error(ours, theirs)


# ------------------------------------------------------------------ atan2-grad-at-origin

INF, NAN = float("inf"), float("nan")


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")   # inf * 0 in NumPy
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_atan2_gradient_at_the_origin_is_zero_as_in_torch(torch_oracle, dtype):
    # the origin (both signs of zero), a float32 underflow of a² + b², and infinities
    a_values = [0., -0., 1e-30, 0., INF, NAN, 1., -INF]
    b_values = [0., -0., 1e-30, INF, INF, 0., 0., 0.]

    def fn(lib):
        a = lib.tensor(a_values, dtype=getattr(lib, dtype), requires_grad=True)
        b = lib.tensor(b_values, dtype=getattr(lib, dtype), requires_grad=True)
        lib.atan2(a, b).sum().backward()
        return a.grad, b.grad
    ours, theirs = both(torch_oracle, fn)
    for our_grad, their_grad in zip(ours, theirs):
        np.testing.assert_array_equal(our_grad.numpy(), their_grad.numpy())
        numbers = ~np.isnan(their_grad.numpy())   # the sign of a zero, not of a NaN
        np.testing.assert_array_equal(np.signbit(our_grad.numpy()[numbers]),
                                      np.signbit(their_grad.numpy()[numbers]))


# ------------------------------------------------------------------ index-put-self

@pytest.mark.parametrize("shape, key", [
    (shape, key) for shape in [(), (3,), (2, 3)]
    for key in [None, (None, None), Ellipsis] + ([slice(None)] if shape else [])] + [
    ((1, 1), -1),                          # the value's leading 1s go: a 0-d read, stride 0
    ((1, 1, 1), (-1, Ellipsis)),
    ((1, 1), (None, slice(-1, None))),
    ((1, 1), (slice(0, 2), None)),
    ((1, 3), 0),                           # (1, 3) read as (3,): the same elements, allowed
    ((3,), None),
    ((), None),                            # a 0-d value is a fill: allowed
])
def test_writing_a_tensor_into_a_view_of_itself_as_pytorch_does(torch_oracle, shape, key):
    """Copied where PyTorch copies; refused as overlapping where it refuses (the value's
    leading 1s dropped, then expanded: a stride 0 read of one element is refused)."""
    def fn(lib):
        x = lib.arange(float(np.prod(shape, dtype=int))).reshape(shape)
        x[key] = x
        return x
    same_outcome(*both(torch_oracle, fn))


def test_writing_a_tensor_into_itself_by_an_index_list_still_refused(torch_oracle):
    def fn(lib):
        x = lib.tensor([1, 2, 3])
        x[[0, 1, 2]] = x
    ours, theirs = both(torch_oracle, fn)
    same_error(ours, theirs)


# ------------------------------------------------------------------ nan-into-int

@pytest.mark.parametrize("target", ["bool", "int32", "int64", "float32"])
@pytest.mark.parametrize("number", [float("nan"), float("inf"), 1e300, -1.5, 300.])
@pytest.mark.parametrize("source_shape", [(), (1,)])
def test_a_one_element_value_through_a_mask_is_checked_as_a_number(
        torch_oracle, target, number, source_shape):
    def fn(lib):
        x = lib.zeros(2, dtype=getattr(lib, target))
        x[lib.tensor([True, False])] = lib.full(source_shape, number, dtype=lib.float64)
        return x
    same_outcome(*both(torch_oracle, fn))


# ------------------------------------------------------------------ false-version-error

@pytest.mark.parametrize("divide", [lambda lib, v: v / -1, lambda lib, v: v / lib.tensor(2.)])
def test_dividing_by_a_constant_saves_no_dividend(torch_oracle, divide):
    def fn(lib):
        x = lib.tensor([-0.75, 2.], requires_grad=True)
        v1 = x * 1
        v2 = divide(lib, v1)
        v1.mul_(3)            # would trip the version counter, had the division saved v1
        (v1.sum() + v2.sum()).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_value(ours, theirs)


def test_the_fuzzers_false_version_error_program_runs(torch_oracle):
    def fn(lib):
        x0 = lib.tensor([-0.75], requires_grad=True)
        v1 = x0[lib.tensor([False])]
        v2 = v1 / -1
        v1[...] = lib.zeros(0)
        (v1.sum() + v2.sum()).backward()
        return x0.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


# ------------------------------------------------ found by the long run after the merge

def test_in_place_op_reading_the_0d_tensor_its_view_shows_is_refused(torch_oracle):
    def fn(lib):
        x = lib.tensor(0)
        x.reshape(-1).add_(x)
        return x
    ours, theirs = both(torch_oracle, fn)
    same_error(ours, theirs)


def test_a_view_of_a_0d_tensor_written_back_into_it(torch_oracle):
    def fn(lib):
        x = lib.tensor(1.0)
        x[None] = x.view(-1)
        return x
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


def test_add_with_alpha_computes_in_the_result_dtype(torch_oracle):
    def fn(lib):
        return lib.add(lib.tensor(0.5, dtype=lib.float64), lib.tensor([True, False]), alpha=0.5)
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


def test_prod_over_the_dim_of_a_0d_infinity_has_gradient_one(torch_oracle):
    def fn(lib):
        x = lib.tensor(-float("inf"), requires_grad=True)
        x.prod(dim=0, keepdim=True).sum().backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


@pytest.mark.parametrize("make", [
    lambda lib: lib.arange(6.).reshape(2, 3).t(),
    lambda lib: lib.arange(24.).reshape(2, 3, 4).permute(2, 0, 1),
    lambda lib: lib.arange(4.).reshape(1, 4).expand(3, 4),
])
def test_masked_fill_is_row_major_whatever_the_input_layout(torch_oracle, make):
    def fn(lib):
        x = make(lib)
        return x.masked_fill(x > 1, 0.0)
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)
    assert ours.stride() == theirs.stride()


def test_a_value_with_leading_ones_written_into_a_0d_tensor_gets_its_gradient(torch_oracle):
    def fn(lib):
        value = lib.tensor([0.125], requires_grad=True)
        target = lib.tensor(-1.0)
        target[...] = value
        (target * 3).backward()
        return value.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


def test_a_stepped_slice_of_size_one_keeps_its_stride_for_the_overlap_check(torch_oracle):
    def fn(lib):
        x = lib.stack([lib.tensor([0.125]), lib.tensor([0.125])], dim=-1)
        x[None, ::2, ...] = x
        return x
    ours, theirs = both(torch_oracle, fn)
    same_error(ours, theirs)


@pytest.mark.parametrize("source", ["self", "other"])
def test_a_one_element_tensor_written_into_its_0d_slot(torch_oracle, source):
    def fn(lib):
        x = lib.tensor([2.0], dtype=lib.float64, requires_grad=True)
        v = x.sign()
        v[-1] = v if source == "self" else x
        (x.sum() + v.sum() * 2).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


def test_a_filled_tensor_sends_exact_zeros_back_even_for_a_nan_gradient(torch_oracle):
    def fn(lib):
        x = lib.tensor([0.125, 0.0], requires_grad=True)
        v = x.sin()
        v[...] = 0.125
        w = v % v
        (x.sum() + (w % w).sum()).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


# ------------------------------------------------------- what the long runs found after stop 21

def _prod_grad(values, dim):
    def fn(lib):
        x = lib.tensor(values, requires_grad=True)
        (x.prod() if dim is None else x.prod(dim=dim)).sum().backward()
        return x.grad
    return fn


@pytest.mark.parametrize("values, dim", [
    ([[[-2.0, -float("inf"), 0.25], [1.5, 2.0, -1.0], [0.0, 3.0, 0.5]]], 0),   # -inf, no zero
    ([[-float("inf"), 2.0], [3.0, 4.0], [0.5, 1.0]], 0),
    ([0.25, float("nan"), 0.125], 0),                        # NaN: every gradient NaN
    ([[1.0, 1.0, 2.0], [float("nan"), 0.0, 2.0]], 1),        # a zero somewhere: running products
    ([[0.0, float("inf")], [2.0, 3.0]], 1),                  # 0 * inf in one slice
    ([0.0, 0.0, 3.0], None),                                 # two zeros: exact zeros
    ([0.0, float("inf"), 3.0], None),
    ([2.0, -float("inf"), 3.0], None),
])
def test_prod_gradient_follows_pytorchs_rule_at_zeros_infinities_and_nan(torch_oracle, values, dim):
    ours, theirs = both(torch_oracle, _prod_grad(values, dim))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_prod_gradient_with_two_zeros_is_zero_even_for_an_infinite_gradient(torch_oracle):
    def fn(lib):
        x = lib.tensor([0.0, 0.0, 3.0], requires_grad=True)
        (x.prod() * float("inf")).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


_LAYOUTS = {
    "transposed": lambda lib: lib.arange(6.).reshape(2, 3).t() - 2.5,
    "permuted": lambda lib: (lib.arange(24.).reshape(2, 3, 4) - 11.5).permute(2, 0, 1),
    "expanded": lambda lib: (lib.arange(4.).reshape(1, 4) - 1.5).expand(3, 4),
    "stepped": lambda lib: (lib.arange(12.).reshape(3, 4) - 5.5)[:, ::2],
    "int transposed": lambda lib: (lib.arange(6).reshape(2, 3) - 2).t(),
    "bool transposed": lambda lib: (lib.arange(6).reshape(2, 3) > 2).t(),
}

_LAID_OUT_OPS = {   # row-major in PyTorch, or laid out as their input
    "cumsum": lambda x: x.cumsum(1), "cumsum(0)": lambda x: x.cumsum(0),
    "cumprod": lambda x: x.cumprod(1), "logsumexp": lambda x: x.float().logsumexp(1, keepdim=True),
    "norm": lambda x: x.float().norm(dim=1, keepdim=True), "norm(p=1)": lambda x: x.float().norm(p=1, dim=1),
    "tril": lambda x: x.tril(), "triu": lambda x: x.triu(),
    "sort": lambda x: x.sort(1)[0], "argsort": lambda x: x.argsort(0), "flip": lambda x: x.flip(1),
    "2 ** x": lambda x: 2 ** x, "sign": lambda x: x.sign(),
}


@pytest.mark.parametrize("op", sorted(_LAID_OUT_OPS) + ["gelu"])
@pytest.mark.parametrize("layout", sorted(_LAYOUTS))
def test_results_have_pytorchs_strides_whatever_the_input_layout(torch_oracle, op, layout):
    def fn(lib):
        x = _LAYOUTS[layout](lib)
        if op == "gelu":
            return lib.nn.functional.gelu(x)
        return _LAID_OUT_OPS[op](x)
    ours, theirs = both(torch_oracle, fn)
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        return
    assert (tuple(ours.shape), ours.dtype.name) == (tuple(theirs.shape), str(theirs.dtype)[6:])
    np.testing.assert_allclose(ours.numpy().astype(float), theirs.numpy().astype(float),
                               rtol=1e-5, atol=1e-6)   # gelu far out in float32: 1e-7 apart
    assert ours.stride() == theirs.stride()


@pytest.mark.parametrize("key", [
    lambda lib: lib.tensor([False]), lambda lib: lib.tensor([True]),
    lambda lib: (lib.tensor([True]), None), lambda lib: (Ellipsis, lib.tensor([True])),
    lambda lib: lib.tensor(True), lambda lib: True,   # 0-d masks: checked (PyTorch refuses)
])
def test_a_one_element_value_written_through_one_mask_may_be_the_target(torch_oracle, key):
    def fn(lib):
        x = lib.tensor([-0.5])
        x[key(lib)] = x
        return x
    same_outcome(*both(torch_oracle, fn))


@pytest.mark.parametrize("key", [
    lambda lib: (lib.tensor([True]), lib.tensor([0])),   # two index tensors: checked
    lambda lib: lib.tensor([[True]]),
])
def test_a_mask_write_of_the_target_itself_is_checked_unless_it_is_one_mask(torch_oracle, key):
    def fn(lib):
        x = lib.tensor([[1.0]])
        x[key(lib)] = x
        return x
    same_outcome(*both(torch_oracle, fn))


def test_remainder_keeps_pytorchs_signed_zeros(torch_oracle):
    def fn(lib):
        a = lib.tensor([-0.5, 0.5, -0.5, 0.5, 0.0, -0.0, 3.0, -3.0, 1.0, float("inf"), -2.0])
        b = lib.tensor([0.125, 0.125, -0.125, -0.125, 1.0, 1.0, -2.0, 2.0, 0.0, 2.0, float("inf")])
        r = a % b
        return lib.stack([r, lib.atan2(r, lib.tensor(-1.0).expand(11))])
    ours, theirs = both(torch_oracle, fn)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(np.signbit(ours.numpy()), np.signbit(theirs.numpy()))


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "gelu", "softplus", "silu", "hardtanh"])
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_activations_of_integer_and_bool_tensors_answer_as_pytorch(torch_oracle, name, dtype):
    def fn(lib):
        return getattr(lib.nn.functional, name)(lib.tensor([-3, 0, 3]).to(getattr(lib, dtype)))
    same_outcome(*both(torch_oracle, fn))


def test_hardtanh_of_an_integer_tensor_truncates_its_bounds(torch_oracle):
    def fn(lib):
        return lib.nn.functional.hardtanh(lib.tensor([-3, 0, 3]), -1.5, 2.5)
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


@pytest.mark.parametrize("dtype", ["bool", "int64", "float32"])
@pytest.mark.parametrize("shape", [(0, 1), (2, 1)])
@pytest.mark.parametrize("view", ["no_grad", "unbind"])
def test_views_of_integer_tensors_take_writes_from_tensors_that_require_grad(
        torch_oracle, dtype, shape, view):
    # PyTorch's views of integer and bool tensors are outside autograd: no check, no graph.
    def fn(lib):
        x0 = lib.zeros(shape[1:], requires_grad=True)
        x1 = lib.zeros(shape, dtype=getattr(lib, dtype))
        if view == "no_grad":
            with lib.no_grad():
                v1 = x1[...]
        else:
            v1 = x1.unbind(1)[0]
        v1[...] = x0
        return v1
    ours, theirs = both(torch_oracle, fn)
    same_outcome(ours, theirs)
    if not isinstance(theirs, Exception):
        assert ours.requires_grad == theirs.requires_grad


@pytest.mark.parametrize("values", [float("nan"), 1.0, [float("nan")], [1.0], [1.0, float("nan")],
                                    [[1.0, 2.0], [3.0, float("nan")]], [float("inf"), 1.0]])
@pytest.mark.parametrize("correction", [0, 1, 2, 3])
@pytest.mark.parametrize("dim", [None, 0, (0,)])
@pytest.mark.parametrize("name", ["var", "std"])
def test_variance_gradients_with_too_few_elements_follow_pytorch(
        torch_oracle, values, correction, dim, name):
    # 2 / (n - correction) is infinite or negative: PyTorch's gradient is NaN, inf or finite.
    def fn(lib):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        kwargs = {} if dim is None else {"dim": dim}
        y = getattr(x, name)(correction=correction, **kwargs)
        (y.sum() * 2).backward()
        return y, x.grad
    ours, theirs = both(torch_oracle, fn)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.detach().numpy(), t.detach().numpy())


@pytest.mark.parametrize("code", [
    "x = lib.tensor([[3]]); x[[-1, -1, -1], 1:-1:2] = x",        # the slice is empty
    "x = lib.arange(8.).reshape(2, 4); x[[0], 2:] = x[0, :2]",    # the slice holds no x[0, :2]
    "x = lib.arange(8.).reshape(2, 4); x[1:, [0, 1]] = x[0, :2]",
    "x = lib.arange(8.).reshape(2, 4); x[lib.tensor([True, False]), 2:] = x[1, :2]",
    "x = lib.arange(4.); x[[0, 1, 2, 3]] = x",                     # refused: x itself
    "x = lib.arange(8.).reshape(2, 4); x[:, [0, 1, 2, 3]] = x",
    "x = lib.arange(4.); x[None, [0, 1, 2, 3]] = x",
    "x = lib.arange(8.); x[[0, 1], ] = x[1:3]",
])
def test_an_indexed_write_checks_overlap_against_the_sliced_view(torch_oracle, code):
    _x_after_agrees(torch_oracle, code)


def _x_after_agrees(torch_oracle, code):
    """Run ``code`` (which makes ``x``) on both libraries: the same x, or the same error."""
    def fn(lib):
        scope = {"lib": lib}
        exec(code, scope)
        return scope["x"]
    same_outcome(*both(torch_oracle, fn))


# ------------------------------------------------------- what the long run of stop 23 found

@pytest.mark.parametrize("code", [
    # v[None] = x with v = x expanded: the value, expanded, is v itself (found by the fuzzer)
    "x = lib.tensor([[[-2, -1], [3, 2]], [[1, -2], [3, -1]]]); v = x.expand(2, 2, 2, -1); "
    "v[None] = x",
    "x = lib.zeros(3); v = x.expand(2, 3); v[...] = v",
    "x = lib.zeros(3); v = x.expand(2, 3); v[:] = x",
    "x = lib.zeros(3); v = x.expand(2, 3); v.copy_(v)",
    "x = lib.zeros(1, 3); x.copy_(x)",
    # another tensor, or the same memory seen otherwise: refused
    "x = lib.zeros(3); v = x.expand(2, 3); v[None] = lib.ones(3)",
    "x = lib.zeros(3); v = x.expand(2, 3); v.copy_(v.clone())",
    "x = lib.zeros(3); v = x.expand(2, 3); v.copy_(x)",
])
def test_copying_a_view_onto_itself_is_allowed_even_when_it_overlaps_itself(torch_oracle, code):
    """PyTorch's copy_ returns at once when the source is the target seen the same way (one
    start, shape, strides and dtype), before checking the target for internal overlap."""
    _x_after_agrees(torch_oracle, code)
