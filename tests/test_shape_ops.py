"""Shape ops: cat, stack, split, chunk, flip, repeat, narrow, select, unbind, unflatten...

Values, dtypes, errors and gradients as in PyTorch 2.13; cat and stack
take ``out=``.
"""

import pytest

import autodidact as ad
from torch_compare import run, same_value


def same(ours, theirs):
    """Results (a tensor, a tuple of tensors, or an exception) agree."""
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"autodidact did not raise, gave {ours!r}"
        assert type(ours) is type(theirs)
        assert str(ours) == str(theirs).replace("torch.", "autodidact."), (str(ours), str(theirs))
    elif isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            same(o, t)
    else:
        assert not isinstance(ours, Exception), ours
        same_value(ours, theirs)


def x23(lib):
    return lib.arange(6.).view(2, 3)


CASES = {
    "cat0": lambda lib: lib.cat([lib.ones(2, 3), lib.zeros(1, 3)]),
    "cat1": lambda lib: lib.cat([lib.ones(2, 3), lib.zeros(2, 1)], dim=1),
    "cat_neg_dim": lambda lib: lib.cat((x23(lib), x23(lib)), -1),
    "cat_promotes": lambda lib: lib.cat([lib.ones(2), lib.zeros(2, dtype=lib.int64)]),
    "cat_double": lambda lib: lib.cat([x23(lib), x23(lib).double()]),
    "cat_int_bool": lambda lib: lib.cat([lib.tensor([[1, 2, 3]]), lib.tensor([[True, False, True]])]),
    "cat_skips_empty_1d": lambda lib: lib.cat([x23(lib), lib.zeros(0)]),
    "cat_empty_only": lambda lib: lib.cat([lib.zeros(0), lib.zeros(0)]),
    "cat_one": lambda lib: lib.cat([x23(lib)]),
    "concat": lambda lib: lib.concat([x23(lib), x23(lib)]),
    "cat_bad_sizes": lambda lib: lib.cat([lib.ones(2, 3), lib.zeros(2, 2)]),
    "cat_bad_ndim": lambda lib: lib.cat([lib.ones(2, 3), lib.zeros(3)]),
    "cat_0d": lambda lib: lib.cat([lib.tensor(1.), lib.tensor(2.)]),
    "cat_dim_oob": lambda lib: lib.cat([x23(lib), x23(lib)], dim=2),
    "cat_dim_oob_neg": lambda lib: lib.cat([x23(lib), x23(lib)], -3),
    "cat_empty_list": lambda lib: lib.cat([]),
    "cat_a_tensor": lambda lib: lib.cat(x23(lib)),
    "cat_a_number": lambda lib: lib.cat([x23(lib), 1]),
    "stack0": lambda lib: lib.stack([lib.ones(3), lib.zeros(3)]),
    "stack1": lambda lib: lib.stack([lib.ones(3), lib.zeros(3)], dim=1),
    "stack_neg": lambda lib: lib.stack([x23(lib), x23(lib)], -1),
    "stack_0d": lambda lib: lib.stack([lib.tensor(1.), lib.tensor(2.)]),
    "stack_promotes": lambda lib: lib.stack([x23(lib), x23(lib).long()]),
    "stack_bad": lambda lib: lib.stack([lib.ones(3), lib.zeros(2)]),
    "stack_transposed": lambda lib: lib.stack([x23(lib), x23(lib).t()]),
    "stack_dim_oob": lambda lib: lib.stack([x23(lib), x23(lib)], 3),
    "stack_empty": lambda lib: lib.stack([]),
    "split_int": lambda lib: lib.arange(5).split(2),
    "split_sizes": lambda lib: lib.arange(5).split([1, 4]),
    "split_dim1": lambda lib: x23(lib).split(2, dim=1),
    "split_big": lambda lib: lib.arange(5).split(10),
    "split_bad_sum": lambda lib: lib.arange(5).split([1, 3]),
    "split_negative_entry": lambda lib: x23(lib).split([1, -1, 3], 1),
    "split_negative": lambda lib: x23(lib).split(-1),
    "split_zero": lambda lib: x23(lib).split(0),
    "split_zero_of_empty": lambda lib: lib.zeros(0).split(0),
    "chunk3": lambda lib: lib.arange(5).chunk(3),
    "chunk4_of_6": lambda lib: lib.arange(6).chunk(4),
    "chunk_dim1": lambda lib: x23(lib).chunk(2, 1),
    "chunk0": lambda lib: lib.arange(5).chunk(0),
    "chunk_neg": lambda lib: x23(lib).chunk(-1),
    "flip0": lambda lib: lib.arange(5).flip(0),
    "flip_both": lambda lib: x23(lib).flip(0, 1),
    "flip_list": lambda lib: x23(lib).flip([1]),
    "flip_fn": lambda lib: lib.flip(x23(lib), dims=[1]),
    "flip_dup": lambda lib: x23(lib).flip([1, 1]),
    "flip_oob": lambda lib: x23(lib).flip(2),
    "flip_none": lambda lib: x23(lib).flip(),
    "flip_0d": lambda lib: lib.tensor(3.).flip(0),
    "repeat": lambda lib: lib.tensor([1, 2]).repeat(2, 2),
    "repeat_more_dims": lambda lib: x23(lib).repeat(2, 1, 3),
    "repeat_tuple": lambda lib: x23(lib).repeat((1, 2)),
    "repeat_fewer": lambda lib: x23(lib).repeat(2),
    "repeat_negative": lambda lib: x23(lib).repeat(-1, 2),
    "repeat_zero": lambda lib: x23(lib).repeat(0, 1),
    "narrow": lambda lib: lib.arange(6).narrow(0, 2, 3),
    "narrow_neg_start": lambda lib: lib.arange(6).narrow(0, -2, 2),
    "narrow_too_long": lambda lib: lib.arange(6).narrow(0, 4, 3),
    "narrow_bad_start": lambda lib: x23(lib).narrow(0, 3, 0),
    "narrow_neg_length": lambda lib: x23(lib).narrow(0, 0, -1),
    "narrow_0d": lambda lib: lib.tensor(1.).narrow(0, 0, 1),
    "select": lambda lib: x23(lib).select(1, -1),
    "select_oob": lambda lib: x23(lib).select(0, 5),
    "select_bad_dim": lambda lib: x23(lib).select(2, 0),
    "select_0d": lambda lib: lib.tensor(1.).select(0, 0),
    "unbind": lambda lib: x23(lib).unbind(1),
    "unbind_oob": lambda lib: x23(lib).unbind(2),
    "unflatten": lambda lib: lib.zeros(2, 6).unflatten(1, (2, 3)),
    "unflatten_infer": lambda lib: x23(lib).unflatten(1, (-1, 3)),
    "unflatten_bad": lambda lib: x23(lib).unflatten(1, (2, 2)),
    "index_select": lambda lib: x23(lib).index_select(1, lib.tensor([2, 0, 2])),
    "broadcast_to": lambda lib: lib.tensor([1., 2.]).broadcast_to((3, 2)),
    "swapdims": lambda lib: x23(lib).swapdims(0, 1),
    "reshape_as": lambda lib: x23(lib).reshape_as(lib.zeros(3, 2)),
    "squeeze_all": lambda lib: lib.zeros(1, 3, 1).squeeze(),
    "squeeze_non1": lambda lib: x23(lib).squeeze(0),
    "unsqueeze_neg": lambda lib: x23(lib).unsqueeze(-1),
}


@pytest.mark.parametrize("name", list(CASES))
def test_shape_op_matches_torch(torch_oracle, name):
    same(run(ad, CASES[name]), run(torch_oracle, CASES[name]))


def test_split_and_chunk_pieces_are_views():
    x = ad.arange(6.)
    a, b = x.split(3)
    assert a._base is x and b._base is x
    b.fill_(0.)
    assert x.tolist() == [0., 1., 2., 0., 0., 0.]
    c = x.chunk(2)[0]
    assert c._base is x and x._version == 1


def test_cat_stack_flip_repeat_make_copies():
    x = ad.arange(4.)
    for y in (ad.cat([x, x]), ad.stack([x, x]), x.flip(0), x.repeat(2)):
        assert y._base is None and y.data_ptr() != x.data_ptr()
        assert y.is_contiguous()


GRAD_CASES = {
    "cat": lambda lib, a, b: lib.cat([a, b.view(2, 3), a], dim=0),
    "cat1": lambda lib, a, b: lib.cat([a, b.view(2, 3)[:, :1]], dim=1),
    "stack": lambda lib, a, b: lib.stack([a, b.view(2, 3)], dim=2),
    "split": lambda lib, a, b: a.split([1, 2], dim=1)[1] * 3,
    "chunk": lambda lib, a, b: lib.cat(b.chunk(4)[::2]),
    "flip": lambda lib, a, b: a.flip(0, 1) * lib.tensor([1., 2., 3.], dtype=lib.float64),
    "repeat": lambda lib, a, b: a.repeat(2, 1, 2),
    "narrow": lambda lib, a, b: b.narrow(0, 1, 4),
    "select": lambda lib, a, b: a.select(1, 1),
    "unbind": lambda lib, a, b: a.unbind(0)[1] * 5,
    "expand": lambda lib, a, b: a[:, :1].expand(2, 4),
    "index_select": lambda lib, a, b: b.index_select(0, lib.tensor([5, 0, 5])),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_shape_op_gradients_match_torch(torch_oracle, name):
    def grads(lib):
        a = lib.arange(6., dtype=lib.float64).view(2, 3).requires_grad_()
        b = lib.arange(6., dtype=lib.float64).mul(-1).requires_grad_()
        y = GRAD_CASES[name](lib, a, b)
        (y * lib.arange(float(y.numel()), dtype=lib.float64).view(y.shape)).sum().backward()
        return a.grad, b.grad
    for ours, theirs in zip(grads(ad), grads(torch_oracle)):
        if theirs is None:
            assert ours is None
        else:
            same_value(ours, theirs)


def test_shape_ops_pass_gradcheck():
    from autodidact.autograd import gradcheck
    a = ad.randn(2, 3, dtype=ad.float64, requires_grad=True)
    b = ad.randn(1, 3, dtype=ad.float64, requires_grad=True)
    assert gradcheck(lambda a, b: ad.cat([a, b]).flip(0).repeat(1, 2), (a, b))
    assert gradcheck(lambda a, b: ad.stack([a, b.expand(2, 3)], 1).permute(2, 0, 1), (a, b))
    assert gradcheck(lambda a: a.t()[1:, ::2].reshape(-1).unsqueeze(0), (a,))


@pytest.mark.parametrize("op", ["cat", "stack"])
def test_cat_and_stack_write_into_out(torch_oracle, op):
    for lib in (ad, torch_oracle):
        out = lib.zeros(4, dtype=lib.float64) if op == "cat" else lib.empty(0)
        r = getattr(lib, op)([lib.ones(2), lib.arange(2.)], out=out)
        assert r is out
        assert out.tolist() == ([1., 1., 0., 1.] if op == "cat" else [[1., 1.], [0., 1.]])
    with pytest.raises(TypeError, match="^autodidact.cat\\(\\): input types can't be cast to the "
                                        "desired output type Long$"):
        ad.cat([ad.ones(2)], out=ad.zeros(2, dtype=ad.int64))
