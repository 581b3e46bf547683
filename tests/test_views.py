"""Views: one storage seen with another shape and strides, as PyTorch 2.13 does it.

A view shares memory and the version counter with its base; ``view``
refuses what its layout cannot express; ``reshape`` copies only when it
must; strides, offsets and contiguity are PyTorch's; in-place changes
through views (or to a base that has views) keep gradients right.
"""

import pytest

import autodidact as ad
from torch_compare import run, same_error, same_value


def same_layout(ours, theirs):
    same_value(ours, theirs)
    assert ours.stride() == theirs.stride()
    assert ours.is_contiguous() == theirs.is_contiguous()
    assert (ours._base is not None) == (theirs._base is not None)


# ------------------------------------------------------------------ view


def test_view_shares_storage_base_and_version():
    y = ad.zeros(5, 3)
    v = y.view(15)
    assert v._base is y and v.data_ptr() == y.data_ptr()
    assert v._vc is y._vc
    v[0] = 1.
    assert y[0, 0].item() == 1.
    assert y._version == v._version == 1
    w = v.view(3, 5)
    assert w._base is y           # the base is the owner of the storage, never a view
    w.add_(1)
    assert y._version == 2 and y.sum().item() == 16.


@pytest.mark.parametrize("shape", [(-1, 15), (15,), (3, 5), (-1,), (3, -1), (1, 3, 5),
                                   ([3, 5],), ((3, 5),), (-1, 4), (-1, -1), (4, 4), (16,),
                                   (-2, 15), (0, -1), (5, 3, -1)])
def test_view_sizes_and_errors_match_torch(torch_oracle, shape):
    ours = run(ad, lambda lib: lib.zeros(5, 3).view(*shape))
    theirs = run(torch_oracle, lambda lib: lib.zeros(5, 3).view(*shape))
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_layout(ours, theirs)
    ours_r = run(ad, lambda lib: lib.zeros(5, 3).reshape(*shape))
    theirs_r = run(torch_oracle, lambda lib: lib.zeros(5, 3).reshape(*shape))
    if isinstance(theirs_r, Exception):
        same_error(ours_r, theirs_r)
    else:
        same_layout(ours_r, theirs_r)


def test_view_accepts_a_size_and_zero_dim_tensors_as_sizes():
    y = ad.zeros(5, 3)
    assert y.view(ad.Size([3, 5])).shape == (3, 5)
    assert y.view(ad.tensor(3), 5).shape == (3, 5)
    assert ad.tensor(3.).view(1).shape == (1,) and ad.tensor([3.]).view(()).shape == ()
    assert ad.zeros(2, 3).view_as(ad.zeros(3, 2)).shape == (3, 2)


def test_ambiguous_empty_view_raises_like_torch(torch_oracle):
    fn = lambda lib: lib.zeros(0, 3).view(-1, 0)  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))
    assert ad.zeros(0, 3).view(3, -1).shape == (3, 0)


NON_VIEWABLE = [
    lambda lib: lib.arange(6.).view(2, 3).t(),
    lambda lib: lib.arange(6).view(2, 3)[:, :2],
    lambda lib: lib.arange(6).view(2, 3).permute(1, 0),
    lambda lib: lib.zeros(3, 1).expand(3, 4),
]


@pytest.mark.parametrize("make", NON_VIEWABLE, ids=range(len(NON_VIEWABLE)))
def test_view_of_a_layout_it_cannot_express_fails_and_reshape_copies(torch_oracle, make):
    ours, theirs = make(ad), make(torch_oracle)
    same_error(run(ad, lambda lib: ours.view(-1)), run(torch_oracle, lambda lib: theirs.view(-1)))
    assert "Use .reshape(...) instead." in str(run(ad, lambda lib: ours.view(-1)))
    r, tr = ours.reshape(-1), theirs.reshape(-1)
    same_value(r, tr)
    assert r._base is None and r.data_ptr() != ours.data_ptr()
    before = ours.clone()
    r[0] = 100
    assert ad.equal(ours, before)          # writes to the copy do not reach the original


VIEW_CASES = [
    lambda lib: lib.arange(6.).view(2, 3).t().view(3, 2),
    lambda lib: lib.zeros(3, 1).expand(3, 4).view(3, 2, 2),
    lambda lib: lib.zeros(4, 3).t().view(3, 1, 4),
    lambda lib: lib.zeros(4, 3).t().view(3, 2, 2),
    lambda lib: lib.zeros(4, 1, 3)[:, :, 1:].view(4, 2),
    lambda lib: lib.zeros(4, 1, 3)[::2].view(2, 1, 1, 3),
    lambda lib: lib.zeros(2, 3, 4).permute(2, 0, 1).view(4, 6),
    lambda lib: lib.zeros(2, 3, 4)[:, 1].view(2, 2, 2),
    lambda lib: lib.zeros(0, 3).view(3, 0),
    lambda lib: lib.zeros(2, 3).unsqueeze(1).view(6),
    lambda lib: lib.zeros(1, 3).view(3),
    lambda lib: lib.tensor(1.).view(1, 1),
]


@pytest.mark.parametrize("make", VIEW_CASES, ids=range(len(VIEW_CASES)))
def test_view_strides_are_pytorchs(torch_oracle, make):
    ours, theirs = make(ad), make(torch_oracle)
    same_layout(ours, theirs)


RESHAPE_CASES = [
    (lambda lib: lib.zeros(5, 3), (-1,)),
    (lambda lib: lib.zeros(5, 3).t(), (3, 5)),
    (lambda lib: lib.zeros(5, 3).t(), (15,)),
    (lambda lib: lib.zeros(4, 6)[:, :3], (2, 2, 3)),
    (lambda lib: lib.zeros(4, 6)[:, :3], (12,)),
    (lambda lib: lib.zeros(4, 6)[::2], (12,)),
    (lambda lib: lib.zeros(3, 1).expand(3, 4), (3, 2, 2)),
    (lambda lib: lib.zeros(3, 1).expand(3, 4), (12,)),
]


@pytest.mark.parametrize("make,shape", RESHAPE_CASES, ids=range(len(RESHAPE_CASES)))
def test_reshape_copies_only_when_it_must(torch_oracle, make, shape):
    a, ta = make(ad), make(torch_oracle)
    r, tr = a.reshape(*shape), ta.reshape(*shape)
    same_value(r, tr)
    shares = r.data_ptr() == a.data_ptr() and r._base is not None
    assert shares == (tr._base is not None)
    if shares:
        assert r.stride() == tr.stride()
        r.fill_(7.)
        assert a.max().item() == 7.


# ---------------------------------------------------------- layout queries


LAYOUTS = [
    lambda lib: lib.arange(15.).view(5, 3),
    lambda lib: lib.arange(15.).view(5, 3)[:, 1],
    lambda lib: lib.arange(15.).view(5, 3)[1:, 1:],
    lambda lib: lib.arange(15.).view(5, 3).t(),
    lambda lib: lib.arange(15.).view(5, 3).T,
    lambda lib: lib.arange(24.).view(2, 3, 4).transpose(0, 2),
    lambda lib: lib.arange(24.).view(2, 3, 4).permute(1, 2, 0),
    lambda lib: lib.arange(24.).view(2, 3, 4).swapaxes(1, 2),
    lambda lib: lib.arange(6.).view(2, 3).t().unsqueeze(1),
    lambda lib: lib.arange(6.).view(2, 3).unsqueeze(-1),
    lambda lib: lib.arange(6.).view(2, 3)[:, None].unsqueeze(3),
    lambda lib: lib.zeros(1, 3, 1, 2)[:, :, :, :1].squeeze(),
    lambda lib: lib.zeros(1, 3, 1).squeeze((0, 2)),
    lambda lib: lib.zeros(2, 3).squeeze(0),
    lambda lib: lib.zeros(3, 1).expand(2, 3, 4),
    lambda lib: lib.zeros(3, 1).expand(-1, 5),
    lambda lib: lib.zeros(3, 1).expand(3, 1),
    lambda lib: lib.zeros(3, 1).expand_as(lib.zeros(3, 2)),
    lambda lib: lib.zeros(3, 4)[:, ::2].unsqueeze(2),
    lambda lib: lib.zeros(2, 3, 4).flatten(1),
    lambda lib: lib.zeros(2, 3, 4).t() if False else lib.zeros(2, 3).t().flatten(),
    lambda lib: lib.zeros(2, 3).t().contiguous(),
    lambda lib: lib.zeros(2, 3).t().clone(),
    lambda lib: lib.zeros(2, 3)[:, ::2].clone(),
    lambda lib: lib.zeros(3).t(),
    lambda lib: lib.tensor(2.).t(),
    lambda lib: lib.zeros(2, 6).unflatten(1, (2, 3)),
    lambda lib: lib.zeros(2, 6).unflatten(1, (-1, 3)),
    lambda lib: lib.zeros(2, 3)[:, 0:1],
    lambda lib: lib.zeros(0, 3),
    lambda lib: lib.zeros(2, 0),
    lambda lib: lib.zeros(2, 3, 4).narrow(2, 1, 2),
    lambda lib: lib.zeros(2, 3, 4).select(1, 2),
    lambda lib: lib.zeros(6, 4).split(4)[1],
    lambda lib: lib.zeros(2, 3, 4).mT,
]


@pytest.mark.parametrize("make", LAYOUTS, ids=range(len(LAYOUTS)))
def test_strides_offsets_and_contiguity_match_torch(torch_oracle, make):
    ours, theirs = make(ad), make(torch_oracle)
    same_layout(ours, theirs)
    if theirs.numel():
        assert ours.storage_offset() == theirs.storage_offset()
    assert ours.stride(0 if ours.dim() else None) == (
        theirs.stride(0) if theirs.dim() else theirs.stride())


def test_stride_of_one_dim_and_its_errors():
    x = ad.zeros(2, 3)
    assert x.stride(0) == 3 and x.stride(-1) == 1 and ad.tensor(1.).stride() == ()
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of "
                                         r"\[-2, 1\], but got 2\)"):
        x.stride(2)


def test_data_ptr_tells_shared_storage():
    x = ad.arange(6.).view(2, 3)
    assert x.view(6).data_ptr() == x.data_ptr()
    assert x[1].data_ptr() == x.data_ptr() + 3 * x.element_size()
    assert x.t().data_ptr() == x.data_ptr()
    assert x.clone().data_ptr() != x.data_ptr()


def test_contiguous_returns_self_when_already_contiguous():
    x = ad.zeros(2, 3)
    assert x.contiguous() is x
    c = x.t().contiguous()
    assert c.is_contiguous() and c.stride() == (2, 1) and c._base is None


def test_view_dtype_reinterprets_the_bytes(torch_oracle):
    ours = ad.tensor([1., 2.]).view(ad.int32)
    theirs = torch_oracle.tensor([1., 2.]).view(torch_oracle.int32)
    same_value(ours, theirs)
    assert ours._base is not None
    with pytest.raises(RuntimeError, match="view\\(dtype\\) is not differentiable"):
        ad.ones(2, requires_grad=True).view(ad.int32)


# ------------------------------------------------------- the view ops


SHAPE_ERRORS = [
    lambda lib: lib.zeros(2, 3).unsqueeze(3),
    lambda lib: lib.zeros(1, 3).squeeze(2),
    lambda lib: lib.zeros(2, 3).permute(0),
    lambda lib: lib.zeros(2, 3).permute(0, 0),
    lambda lib: lib.zeros(2, 3).permute(0, 2),
    lambda lib: lib.zeros(2, 3).transpose(0, 2),
    lambda lib: lib.zeros(2, 3, 4).t(),
    lambda lib: lib.zeros(3).expand(-1, 3),
    lambda lib: lib.zeros(2, 3).expand(3),
    lambda lib: lib.zeros(2, 3).expand(4, 3),
    lambda lib: lib.zeros(2, 3, 4).flatten(2, 1),
]


@pytest.mark.parametrize("fn", SHAPE_ERRORS, ids=range(len(SHAPE_ERRORS)))
def test_view_op_errors_match_torch(torch_oracle, fn):
    same_error(run(ad, fn), run(torch_oracle, fn))


def test_expand_has_stride_zero_and_writes_land_once():
    x = ad.tensor([[1.], [2.], [3.]])
    e = x.expand(3, 4)
    assert e.stride() == (1, 0) and e.shape == (3, 4) and e._base is x
    assert not e.is_contiguous()
    x.mul_(10)
    assert e.tolist() == [[10.] * 4, [20.] * 4, [30.] * 4]
    e.fill_(5.)   # allowed, as in PyTorch: every place of a row is the one element
    assert x.tolist() == [[5.], [5.], [5.]]


def test_flatten_and_t_return_what_torch_returns():
    v = ad.zeros(3)
    assert v.flatten() is v
    assert ad.zeros(2, 3).flatten(1, 1).shape == (2, 3)
    s = ad.tensor(2.).flatten()
    assert s.shape == (1,) and s._base is not None
    assert v.t()._base is v


def test_views_write_through_to_the_base_and_share_one_version_counter():
    b = ad.zeros(2, 3)
    views = [b.view(6), b.t(), b[1], b[:, 1:], b.unsqueeze(0), b.permute(1, 0), b.T,
             b.reshape(3, 2), b.flatten(), b.narrow(1, 0, 2), b.select(0, 0), b.squeeze(),
             b[None, ..., None], b.expand(1, 2, 3)]
    for i, v in enumerate(views):
        assert v._base is b
        v.view(-1)[0:1].fill_(float(i + 1)) if v.is_contiguous() else v.fill_(0.)
    assert b._version == len(views)
    assert all(v._version == len(views) for v in views)
    b.view(6)[4] = 42.
    assert views[1][1, 1].item() == 42. and views[3][1, 0].item() == 42.


def test_detach_shares_version_but_data_does_not(torch_oracle):
    x = ad.ones(2, requires_grad=True)
    d, e = x.data, x.detach()
    d.add_(1)
    assert x._version == 0
    e.add_(1)
    assert x._version == 1 and x.tolist() == [3., 3.]


# -------------------------------------------------- autograd through views


VIEW_GRADS = [
    lambda x: x.view(3, 4).t().reshape(12),
    lambda x: x.view(2, 6)[:, 1:5].reshape(2, 2, 2).permute(2, 1, 0),
    lambda x: x.view(4, 3)[:, :1].expand(4, 5),
    lambda x: x.view(2, 2, 3).unsqueeze(1).squeeze(1).transpose(0, 2).flatten(),
    lambda x: x[None, 2:].unflatten(1, (5, 2)),
]


@pytest.mark.parametrize("chain", VIEW_GRADS, ids=range(len(VIEW_GRADS)))
def test_gradients_through_view_chains_match_torch(torch_oracle, chain):
    def grad(lib):
        x = lib.arange(12., dtype=lib.float64).requires_grad_()
        y = chain(x)
        (y * lib.arange(float(y.numel()), dtype=lib.float64).view(y.shape)).sum().backward()
        return x.grad
    same_value(grad(ad), grad(torch_oracle))


INPLACE_THROUGH_VIEWS = {
    "slice_mul": lambda lib, y, w: y[1:3].mul_(3),
    "view_exp": lambda lib, y, w: y.view(2, 2).exp_(),
    "transpose_add_tensor": lambda lib, y, w: y.view(2, 2).t().add_(w.view(2, 2)),
    "chain_setitem": lambda lib, y, w: y.view(2, 2)[:, 1].__setitem__(0, w[0] * w[1]),
    "view_of_view_fill": lambda lib, y, w: y[1:].view(3)[::2].fill_(2.),
    "view_zero": lambda lib, y, w: y[::3].zero_(),
    "view_copy": lambda lib, y, w: y[:2].copy_(w[2:] * 2),
    "base_then_view_used": None,
    "view_then_base_used_again": None,
    "two_views_then_both_used": None,
}


def _inplace_case(lib, name):
    x = lib.tensor([1., 2., 3., 4.], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([.5, -1., 2., 3.], dtype=lib.float64, requires_grad=True)
    y = x * 2
    weights = lib.tensor([1., 2., 3., 4.], dtype=lib.float64)
    if name == "base_then_view_used":
        v = y[1:3]
        y.mul_(w)
        out = (v * lib.tensor([5., 7.], dtype=lib.float64)).sum() + (y * weights).sum()
    elif name == "view_then_base_used_again":
        v = y.view(2, 2)
        v[1].mul_(w[:2])
        out = (y * weights).sum() + (v ** 2).sum()
    elif name == "two_views_then_both_used":
        a, b = y[:2], y[1:]
        a.add_(w[2:])
        b.mul_(w[1:])
        out = (a * lib.tensor([3., 5.], dtype=lib.float64)).sum() + b.sum() + (y * weights).sum()
    else:
        INPLACE_THROUGH_VIEWS[name](lib, y, w)
        out = (y * weights).sum()
    out.backward()
    return y, x.grad, w.grad


@pytest.mark.parametrize("name", list(INPLACE_THROUGH_VIEWS))
def test_inplace_through_views_of_non_leaves_gives_torchs_gradients(torch_oracle, name):
    oy, ox, ow = _inplace_case(ad, name)
    ty, tx, tw = _inplace_case(torch_oracle, name)
    same_value(oy, ty)
    same_value(ox, tx)
    if tw is None:
        assert ow is None or not ow.any()
    else:
        same_value(ow, tw)


def test_inplace_through_a_view_names_the_nodes_like_torch():
    x = ad.ones(4, requires_grad=True)
    y = x * 1
    v = y[1:3]
    v.add_(1)
    assert y.grad_fn.name() == "CopySlices"
    assert v.grad_fn.name() == "AsStridedBackward0"
    assert y.tolist() == [1., 2., 2., 1.] and not v.is_leaf


def test_inplace_on_a_view_of_a_leaf_raises_and_changes_nothing():
    w = ad.ones(3, requires_grad=True)
    for fn in (lambda: w[0:2].add_(1), lambda: w.view(3).mul_(2), lambda: w.t().zero_(),
               lambda: w[1:].fill_(3.), lambda: w.unsqueeze(0).copy_(ad.zeros(1, 3))):
        with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad is "
                                               "being used in an in-place operation."):
            fn()
    assert w.tolist() == [1., 1., 1.] and w._version == 0
    with ad.no_grad():
        w[0:2].add_(1)
    assert w.tolist() == [2., 2., 1.] and w.is_leaf


def test_view_made_under_no_grad_and_changed_with_grad_raises_torchs_error(torch_oracle):
    def fn(lib):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            v = x[0:1]
        v.add_(1)
    ours, theirs = run(ad, fn), run(torch_oracle, fn)
    same_error(ours, theirs)


def test_base_changed_in_place_refreshes_its_views_for_backward():
    x = ad.tensor([1., 2., 3.], requires_grad=True)
    y = x * 1
    v = y[1:]
    y.mul_(3)                         # v now sees 3 * x[1:]
    assert v.tolist() == [6., 9.]
    v.sum().backward()
    assert x.grad.tolist() == [0., 3., 3.]


def test_a_view_whose_base_becomes_part_of_a_graph_follows_it():
    w = ad.tensor([1., 2.], requires_grad=True)
    y = ad.zeros(3)
    v = y[:2]
    assert not v.requires_grad
    y.copy_(ad.cat([w, w[:1]]) * 2)
    assert v.requires_grad and v.tolist() == [2., 4.]
    v.sum().backward()
    assert w.grad.tolist() == [2., 2.]


def test_views_made_without_grad_mode_are_not_tracked_and_still_share_memory():
    x = ad.arange(4.)
    with ad.no_grad():
        v = x[1:3]
    v.add_(1)                         # x does not require grad: allowed
    assert x.tolist() == [0., 2., 3., 3.]
