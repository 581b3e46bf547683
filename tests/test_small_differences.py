"""Smaller differences with PyTorch 2.13 (issue 17, item 5), each compared with PyTorch.

Dtypes (clamp and add of bool tensors), index assignment of another dtype,
cat with an empty 1-D input that requires grad, in-place writes to the
pieces of split/unbind/chunk, argmax of bools, optimizer steps that could
not finish, and the version counter: graphs where PyTorch refuses to
differentiate after an in-place change and autodidact either refuses too
or, saving less, still gives the right gradient.
"""

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run, same_error, same_exact, same_value

BOOLS = [True, False]


def both(torch, fn):
    return run(ad, fn), run(torch, fn)


def fingerprint(t):
    return bytes(np.ascontiguousarray(t.detach().numpy()).tobytes()), t._version


# ------------------------------------------------------------------ clamp of bools


@pytest.mark.parametrize("fn", [
    lambda m: m.tensor(BOOLS).clamp(min=0),
    lambda m: m.tensor(BOOLS).clamp(max=1),
    lambda m: m.tensor(BOOLS).clamp(0, 1),
    lambda m: m.tensor(BOOLS).clip(0, 1),
    lambda m: m.tensor(BOOLS).clamp(min=m.tensor(0)),
    lambda m: m.tensor(BOOLS).clamp(min=m.tensor(True)),
    lambda m: m.tensor(BOOLS).clamp(min=0.5),
    lambda m: m.tensor(BOOLS).clamp_min(0),
    lambda m: m.tensor(BOOLS).clamp_max(1),
    lambda m: m.clamp(m.tensor(BOOLS), min=0),
    lambda m: m.tensor([1, 2], dtype=m.int32).clamp(1),
    lambda m: m.tensor([1, 0]).clamp(max=0.5),
], ids=["min0", "max1", "both", "clip", "0d-int", "0d-bool", "float", "clamp_min", "clamp_max",
        "function", "int32", "int-float-bound"])
def test_clamp_promotes_with_its_bounds(torch_oracle, fn):
    """A bool tensor clamped by the number 0 is int64 in PyTorch (it stayed bool)."""
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


@pytest.mark.parametrize("fn", [
    lambda m: m.tensor(BOOLS).clamp(min=True),
    lambda m: m.tensor(BOOLS).clamp(max=False),
    lambda m: m.tensor(BOOLS).clamp(True, True),
    lambda m: m.tensor(BOOLS).clamp_min(True),
    lambda m: m.tensor(BOOLS).clamp_max(True),
], ids=["min", "max", "both", "clamp_min", "clamp_max"])
def test_clamp_of_bools_by_bools_raises_as_in_torch(torch_oracle, fn):
    same_error(*both(torch_oracle, fn))


def test_clamp_in_place_of_bools_refuses_and_keeps_the_data():
    x = ad.tensor(BOOLS)
    before = fingerprint(x)
    with pytest.raises(RuntimeError, match="result type Long can't be cast"):
        x.clamp_(min=0)
    assert fingerprint(x) == before


# ------------------------------------------------------------------ add and sub with alpha


@pytest.mark.parametrize("fn", [
    lambda m: m.add(m.tensor([True]), m.tensor([True]), alpha=2),
    lambda m: m.add(m.tensor([False, True]), m.tensor([True, True]), alpha=0),
    lambda m: m.add(m.tensor([True]), m.tensor([True]), alpha=True),
    lambda m: m.add(m.tensor([False]), True, alpha=2),
    lambda m: m.add(m.tensor([False]), True, alpha=0),
    lambda m: m.add(m.tensor([True]), 1, alpha=2),
    lambda m: m.add(m.tensor([True]), m.tensor([1]), alpha=2),
    lambda m: m.add(m.tensor([1.]), m.tensor([True]), alpha=2),
    lambda m: m.tensor([True]).add(m.tensor([True]), alpha=2),
    lambda m: m.tensor([True]).add_(m.tensor([True]), alpha=2),
    lambda m: m.sub(m.tensor([3]), m.tensor([1]), alpha=2),
], ids=["bool", "alpha0", "alpha-true", "number", "number-alpha0", "int-number", "int-tensor",
        "float", "method", "in-place", "sub"])
def test_add_with_alpha_keeps_torchs_dtype(torch_oracle, fn):
    """A bool result is computed in bool: True + 2 * True is True (it gave tensor([3]))."""
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


@pytest.mark.parametrize("fn", [
    lambda m: m.add(m.tensor([1.]), m.tensor([1.]), alpha=True),
    lambda m: m.add(m.tensor([1]), m.tensor([1]), alpha=True),
    lambda m: m.sub(m.tensor([1]), m.tensor([1]), alpha=True),
    lambda m: m.add(m.tensor([1.]), 1, alpha=True),
    lambda m: m.add(m.tensor([True]), m.tensor([True]), alpha=2.5),
    lambda m: m.sub(m.tensor([True]), m.tensor([True]), alpha=2),
], ids=["float-bool-alpha", "int-bool-alpha", "sub-bool-alpha", "number", "float-alpha-bool",
        "sub-bools"])
def test_alpha_errors_match_torch(torch_oracle, fn):
    same_error(*both(torch_oracle, fn))


# ------------------------------------------------------------------ index assignment dtypes


def _assign(key, value, dtype=None):
    def fn(m):
        x = m.zeros(4) if dtype is None else m.zeros(4, dtype=getattr(m, dtype))
        x[key(m) if callable(key) else key] = value(m)
        return x
    return fn


MASK = lambda m: m.tensor([True, False, True, False])  # noqa: E731


@pytest.mark.parametrize("fn", [
    _assign([0, 2], lambda m: m.tensor([1., 2.], dtype=m.float64)),
    _assign([0, 2], lambda m: m.tensor([1, 2])),
    _assign([0, 2], lambda m: m.tensor([1.5, 2.]), "int64"),
    _assign([0, 2], lambda m: m.tensor([1., 0.]), "bool"),
    _assign([0, 2], lambda m: m.tensor(1., dtype=m.float64)),
    _assign([0, 2], lambda m: m.tensor([1.], dtype=m.float64)),
    _assign(lambda m: m.tensor([0, 2]), lambda m: m.tensor([1., 2.], dtype=m.float64)),
    _assign(MASK, lambda m: m.tensor([1., 2.], dtype=m.float64)),
    _assign([], lambda m: m.tensor(1., dtype=m.float64)),
    lambda m: m.zeros(2, 3).__setitem__((0, [0, 1]), m.tensor([1., 2.], dtype=m.float64)),
    lambda m: m.zeros(2, 3).__setitem__((slice(None), [0, 1]), m.tensor([1., 2.],
                                                                          dtype=m.float64)),
    lambda m: m.zeros(4).__setitem__([0, 2], m.tensor([1., 2.], dtype=m.float64,
                                                      requires_grad=True)),
], ids=["double-into-float", "long-into-float", "float-into-long", "float-into-bool", "0d",
        "one-element", "index-tensor", "mask-two-values", "empty-index", "int-and-list",
        "slice-and-list", "requires-grad"])
def test_index_put_of_another_dtype_raises_as_in_torch(torch_oracle, fn):
    """PyTorch's index_put_ copies no tensor of another dtype (it was cast silently)."""
    same_error(*both(torch_oracle, fn))


@pytest.mark.parametrize("fn", [
    _assign(MASK, lambda m: m.tensor(1., dtype=m.float64)),
    _assign(MASK, lambda m: m.tensor([1.], dtype=m.float64)),
    _assign(MASK, lambda m: m.tensor(1)),
    _assign(MASK, lambda m: m.tensor(1.5), "int64"),
    _assign([True, False, True, False], lambda m: m.tensor(1., dtype=m.float64)),
    _assign(slice(0, 2), lambda m: m.tensor([1., 2.], dtype=m.float64)),
    _assign(1, lambda m: m.tensor(7., dtype=m.float64)),
    _assign(True, lambda m: m.tensor(7., dtype=m.float64)),
    _assign([0, 2], lambda m: 3),
    _assign([0, 2], lambda m: 2.5, "int64"),
    lambda m: (lambda x: (x.__setitem__((0, MASK(m)), m.tensor(1., dtype=m.float64)), x)[1])(
        m.zeros(2, 4)),
], ids=["mask-0d", "mask-one-element", "mask-long", "mask-float-into-long", "list-mask",
        "slice", "int", "bool-key", "number", "float-number-into-long", "int-and-mask"])
def test_index_assignment_that_torch_casts(torch_oracle, fn):
    """A fill through one mask, basic indexing and Python numbers are converted, as in PyTorch."""
    ours, theirs = both(torch_oracle, fn)
    same_exact(ours, theirs)


def test_refused_index_put_leaves_the_target_unchanged():
    x = ad.arange(4.)
    before = fingerprint(x)
    with pytest.raises(RuntimeError, match="Index put requires the source and destination"):
        x[[0, 2]] = ad.tensor([9., 9.], dtype=ad.float64)
    assert fingerprint(x) == before


# ------------------------------------------------------------------ cat with a skipped empty input


def test_cat_with_an_empty_input_that_requires_grad(torch_oracle):
    """PyTorch skips a 1-D empty input in cat but keeps it in the graph (requires_grad was lost)."""
    def fn(m):
        z = m.zeros(0, requires_grad=True)
        y = m.cat([m.ones(2), z])
        requires, name = y.requires_grad, y.grad_fn.name()
        y.sum().backward()
        return requires, name, z.grad
    (ours_rg, ours_name, ours_grad), (theirs_rg, theirs_name, theirs_grad) = both(torch_oracle, fn)
    assert (ours_rg, ours_name) == (theirs_rg, theirs_name) == (True, "CatBackward0")
    same_exact(ours_grad, theirs_grad)


def test_cat_skips_a_legacy_empty_input_beside_matrices(torch_oracle):
    def fn(m):
        z = m.zeros(0, dtype=m.float64, requires_grad=True)
        x = m.ones(2, 3, requires_grad=True)
        y = m.cat([z, x, z])
        y.sum().backward()
        return y, z.grad, x.grad
    for ours, theirs in zip(*both(torch_oracle, fn)):
        same_exact(ours, theirs)


# ------------------------------------------------------------------ pieces of split/unbind/chunk


def _pieces(kind):
    return {
        "unbind": lambda t: t.unbind(0),
        "split": lambda t: t.split(1),
        "chunk": lambda t: t.chunk(2),
        "split-sizes": lambda t: t.split([1, 1]),
        "one-chunk": lambda t: t.chunk(1),
        "one-split": lambda t: t.split(2),
        "iteration": lambda t: list(t),
    }[kind]


def _graph_base(m):
    return m.ones(2, 3, requires_grad=True) * 1


WRITES = {
    "mul_": lambda p: p.mul_(2),
    "add_": lambda p: p.add_(1),
    "zero_": lambda p: p.zero_(),
    "fill_": lambda p: p.fill_(1.),
    "copy_": lambda p: p.copy_(p.detach() * 0),
    "+=": lambda p: p.__iadd__(1),
    "setitem-int": lambda p: p.__setitem__(0, 5.),
    "setitem-all": lambda p: p.__setitem__(Ellipsis, 5.),
    "setitem-list": lambda p: p.__setitem__([0], 5.),
    "setitem-None": lambda p: p.__setitem__(None, 5.),
    "view": lambda p: p.view(-1).mul_(2),
    "transpose": lambda p: p.permute(*reversed(range(p.dim()))).mul_(2),
    "slice": lambda p: p[..., 1:].mul_(2),
}


@pytest.mark.parametrize("kind", ["unbind", "split", "chunk", "split-sizes", "one-chunk",
                                  "one-split", "iteration"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_pieces_refuse_in_place_writes_in_a_graph(torch_oracle, kind, write):
    """PyTorch refuses to change a piece of split/unbind (or a view of one) inside a graph;
    a single piece (chunk(1)), rows from iteration and views of pieces were let through."""
    def fn(m):
        piece = _pieces(kind)(_graph_base(m))[0]
        WRITES[write](piece)
        return piece
    same_error(*both(torch_oracle, fn))


def test_a_refused_write_to_a_piece_changes_nothing():
    rows = (ad.ones(2, 3, requires_grad=True) * 1).unbind()
    before = fingerprint(rows[0])
    with pytest.raises(RuntimeError, match="output of a function that returns multiple views"):
        rows[0].mul_(2)
    assert fingerprint(rows[0]) == before


@pytest.mark.parametrize("kind", ["unbind", "split", "one-chunk"])
def test_pieces_of_a_tensor_without_grad_refuse_a_value_that_requires_grad(torch_oracle, kind):
    def fn(m):
        piece = _pieces(kind)(m.ones(2, 3))[0]
        piece.mul_(m.ones(3, requires_grad=True))
        return piece
    same_error(*both(torch_oracle, fn))


@pytest.mark.parametrize("case", ["no-grad-base", "under-no_grad", "leaf-under-no_grad"])
def test_pieces_may_change_where_torch_allows_it(torch_oracle, case):
    def fn(m):
        if case == "no-grad-base":
            pieces = m.ones(2, 3).unbind()
            pieces[0].mul_(2)
            return pieces[0], m.ones(1)
        w = m.ones(2, 3, requires_grad=True)
        with m.no_grad():
            pieces = (w if case == "leaf-under-no_grad" else w * 1).unbind()
            pieces[0].mul_(2)
        return pieces[0].detach(), w.detach()
    for ours, theirs in zip(*both(torch_oracle, fn)):
        same_exact(ours, theirs)


def _changed_afterwards(how):
    def fn(m):
        w = m.ones(2, 3, requires_grad=True)
        y = w * 1
        pieces = y.unbind(0)
        if how == "base":
            y.mul_(2)
        elif how == "sibling-view":
            y[1].add_(1)
        elif how == "piece-under-no_grad":
            with m.no_grad():
                pieces[0].mul_(2)
        elif how == "base-under-no_grad":
            with m.no_grad():
                y.zero_()
        (pieces[0] * 3).sum().backward()
        return w.grad
    return fn


@pytest.mark.parametrize("how", ["base", "sibling-view", "piece-under-no_grad",
                                 "base-under-no_grad"])
def test_a_piece_whose_memory_changed_cannot_be_differentiated(torch_oracle, how):
    """PyTorch raises when a piece is used after its base changed in place; autodidact used to
    re-point it (or, under no_grad, keep its stale graph). It now raises at backward."""
    same_error(*both(torch_oracle, _changed_afterwards(how)))


def test_a_piece_used_before_the_change_still_differentiates(torch_oracle):
    def fn(m):
        w = m.ones(2, 3, requires_grad=True)
        y = w * 1
        first = y.unbind(0)[0]
        z = first * 2
        y.mul_(2)             # after the use: z's graph holds the unbind as it was
        z.sum().backward()
        return w.grad
    same_exact(*both(torch_oracle, fn))


# ------------------------------------------------------------------ argmax & co of bools


@pytest.mark.parametrize("fn", [
    lambda m: m.tensor(BOOLS).argmax(),
    lambda m: m.tensor(BOOLS).argmin(),
    lambda m: m.tensor([BOOLS]).argmax(dim=1),
    lambda m: m.argmin(m.tensor([BOOLS]), 0, keepdim=True),
    lambda m: m.zeros(0, dtype=m.bool).argmax(),
    lambda m: m.tensor(True).argmax(),
    lambda m: m.tensor(BOOLS).topk(1),
    lambda m: m.tensor(BOOLS).kthvalue(1),
    lambda m: m.tensor(BOOLS).median(),
], ids=["argmax", "argmin", "dim", "keepdim", "empty", "0d", "topk", "kthvalue", "median"])
def test_bools_refused_where_torch_refuses_them(torch_oracle, fn):
    same_error(*both(torch_oracle, fn))


@pytest.mark.parametrize("fn", [
    lambda m: m.tensor(BOOLS).max(),
    lambda m: m.tensor(BOOLS).sort().values,
    lambda m: m.tensor(BOOLS).argsort(),
], ids=["max", "sort", "argsort"])
def test_bools_kept_where_torch_takes_them(torch_oracle, fn):
    same_exact(*both(torch_oracle, fn))


# ------------------------------------------------------------------ optimizers


OPTIMIZERS = [
    ("SGD", dict(lr=0.1, momentum=0.9), "momentum_buffer"),
    ("Adam", dict(lr=0.1), "exp_avg"),
    ("Adam", dict(lr=0.1), "exp_avg_sq"),
    ("Adam", dict(lr=0.1, amsgrad=True), "max_exp_avg_sq"),
    ("AdamW", dict(lr=0.1), "exp_avg"),
    ("RMSprop", dict(lr=0.1, momentum=0.5, centered=True), "grad_avg"),
    ("RMSprop", dict(lr=0.1, momentum=0.5), "momentum_buffer"),
    ("Adagrad", dict(lr=0.1), "sum"),
    ("Adadelta", dict(lr=0.1), "acc_delta"),
]


def _trained(m, name, kwargs, n=2):
    params = [m.nn.Parameter(m.ones(3) * (i + 1)) for i in range(n)]
    opt = getattr(m.optim, name)(params, **kwargs)
    for p in params:
        p.grad = m.ones(3)
    opt.step()
    return params, opt


def _state_snapshot(opt, params):
    return [{k: (v.detach().numpy().copy() if hasattr(v, "numpy") else v)
             for k, v in opt.state[p].items()} for p in params]


def _same_state(a, b):
    assert [sorted(s) for s in a] == [sorted(s) for s in b]
    for x, y in zip(a, b):
        for k in x:
            np.testing.assert_array_equal(x[k], y[k])


@pytest.mark.parametrize("name, kwargs, key", OPTIMIZERS,
                         ids=[f"{n}-{k}" for n, _, k in OPTIMIZERS])
def test_a_wrong_shaped_state_is_refused_before_anything_changes(torch_oracle, name, kwargs, key):
    """A loaded state of another shape gave NumPy's broadcast error, halfway through the step.
    PyTorch fails too (with 'The size of tensor a (2) must match ...'); autodidact names the
    parameter, the state and both shapes, and changes no parameter and no state."""
    # PyTorch refuses this step as well:
    params, opt = _trained(torch_oracle, name, kwargs)
    state = opt.state_dict()
    state["state"][1][key] = torch_oracle.zeros(2)
    opt.load_state_dict(state)
    with pytest.raises(RuntimeError, match="must match the size"):
        opt.step()

    params, opt = _trained(ad, name, kwargs)
    state = opt.state_dict()
    state["state"][1][key] = ad.zeros(2)
    opt.load_state_dict(state)
    for p in params:
        p.grad = ad.ones(3)
    before = [p.detach().numpy().copy() for p in params], _state_snapshot(opt, params)
    with pytest.raises(RuntimeError) as info:
        opt.step()
    assert str(info.value) == (
        f"{name}.step(): the state '{key}' of param_groups[0]['params'][1] has shape [2], but "
        "the parameter has shape [3]. Was the state loaded (load_state_dict) from an optimizer "
        "over other parameters? Load one saved with these, or start without it.")
    for p, old in zip(params, before[0]):
        np.testing.assert_array_equal(p.detach().numpy(), old)
    _same_state(_state_snapshot(opt, params), before[1])


@pytest.mark.parametrize("name, kwargs", sorted({(n, tuple(k.items())) for n, k, _ in OPTIMIZERS}),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_a_wrong_shaped_gradient_leaves_no_state_behind(name, kwargs):
    """SGD left a momentum buffer (and Adam a step count) after a step that failed."""
    params = [ad.nn.Parameter(ad.ones(3)), ad.nn.Parameter(ad.ones(3))]
    opt = getattr(ad.optim, name)(params, **dict(kwargs))
    for p in params:
        p.grad = ad.ones(3)
    with ad.no_grad():
        params[1].data = ad.ones(2)   # replaced after backward: its .grad no longer fits
    before = _state_snapshot(opt, params)
    with pytest.raises(RuntimeError, match=r"the gradient of param_groups\[0\]\['params'\]\[1\] "
                                           r"has shape \[3\], but the parameter has shape \[2\]"):
        opt.step()
    np.testing.assert_array_equal(params[0].detach().numpy(), np.ones(3))
    _same_state(_state_snapshot(opt, params), before)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"])
@pytest.mark.parametrize("step", [1.0, 1])
def test_a_step_count_saved_as_a_number_is_accepted(torch_oracle, name, step):
    """An older checkpoint stores ``step`` as a number: PyTorch takes it (AttributeError here)."""
    def fn(m):
        params, opt = _trained(m, name, dict(lr=0.1), n=1)
        state = opt.state_dict()
        state["state"][0]["step"] = step
        opt.load_state_dict(state)
        params[0].grad = m.ones(3)
        opt.step()
        return params[0], opt.state[params[0]]["step"]
    for ours, theirs in zip(*both(torch_oracle, fn)):
        same_value(ours, theirs)


def test_a_step_count_set_by_hand_as_a_number_is_accepted():
    params, opt = _trained(ad, "Adam", dict(lr=0.1), n=1)
    opt.state[params[0]]["step"] = 1
    params[0].grad = ad.ones(3)
    opt.step()
    assert opt.state[params[0]]["step"].item() == 2.0


# ------------------------------------------------------------------ version counters

VERSION_ERROR = "one of the variables needed for gradient computation has been modified"

# Graphs where PyTorch refuses backward after an in-place change but autodidact's rule saved
# only what it needs (a mask, a sign, an index, an output), so its gradient is still right:
# kept on purpose (see the docstring of ops/inplace.py), each checked against PyTorch's
# gradient computed on untouched copies.
SAVES_LESS = {
    "relu-output": (lambda m, x: m.relu(x), "out"),
    "abs-input": (lambda m, x: x.abs(), "in"),
    "clamp-input": (lambda m, x: x.clamp(0.7, 1.5), "in"),
    "maximum-input": (lambda m, x: m.maximum(x, m.ones(2, 3)), "in"),
    "max-input": (lambda m, x: x.max(), "in"),
    "max-output": (lambda m, x: x.max(), "out"),
    "amax-input": (lambda m, x: x.amax(1), "in"),
    "gather-input": (lambda m, x: x.gather(1, m.tensor([[0, 2], [1, 1]])), "in"),
    "pow-number-base": (lambda m, x: 2 ** x, "in"),
    "pow-constant-exponent-output": (lambda m, x: x ** m.tensor([[1.5], [2.5]]), "out"),
    "masked_select-input": (lambda m, x: x.masked_select(m.tensor([[True, False, True]] * 2)),
                            "in"),
}


def _x():
    return np.array([[0.5, 1.2, 2.0], [1.7, 0.6, 1.1]])


def _changed_graph(m, op, where, copy_first):
    leaf = m.tensor(_x(), requires_grad=True)
    x = leaf.clone()
    out = op(m, x.clone() if copy_first else x)
    if where == "out":
        if copy_first:
            out = out.clone()
        out.mul_(2)
    else:
        x.mul_(2)
    weights = m.arange(1., out.numel() + 1).reshape(tuple(out.shape)).to(out.dtype)
    (out * weights).sum().backward()
    return leaf.grad


@pytest.mark.parametrize("case", sorted(SAVES_LESS))
def test_saving_less_than_torch_still_gives_the_right_gradient(torch_oracle, case):
    op, where = SAVES_LESS[case]
    with pytest.raises(RuntimeError, match=VERSION_ERROR):
        _changed_graph(torch_oracle, op, where, copy_first=False)
    right = _changed_graph(torch_oracle, op, where, copy_first=True)
    ours = _changed_graph(ad, op, where, copy_first=False)
    same_value(ours, right)


@pytest.mark.parametrize("op, changed", [
    (lambda m, x, y: x / 3, "x"),
    (lambda m, x, y: x / y, "x"),
    (lambda m, x, y: m.hypot(x, y), "y"),
    (lambda m, x, y: m.hypot(y, x), "y"),
    (lambda m, x, y: x.remainder(0.7), "x"),
    (lambda m, x, y: x % y, "x"),
], ids=["div-number", "div-constant-divisor", "hypot-other", "hypot-self", "remainder-number",
        "remainder-constant"])
def test_no_version_error_where_torch_saves_nothing(torch_oracle, op, changed):
    """Div saved its dividend, and hypot both inputs, even when no gradient needs them: x / 3
    failed at backward after x changed in place, where PyTorch differentiates."""
    def fn(m):
        leaf = m.tensor(_x(), requires_grad=True)
        x = leaf.clone()
        y = m.tensor(_x()[::-1].copy())
        out = op(m, x, y)
        (x if changed == "x" else y).mul_(2)
        out.sum().backward()
        return leaf.grad
    same_value(*both(torch_oracle, fn))


@pytest.mark.parametrize("op, where", [
    (lambda m, x: x.exp(), "out"),
    (lambda m, x: x.sigmoid(), "out"),
    (lambda m, x: x * x, "in"),
    (lambda m, x: x ** 2, "in"),
    (lambda m, x: x @ x.T, "in"),
    (lambda m, x: x.log(), "in"),
    (lambda m, x: x.softmax(1), "out"),
], ids=["exp", "sigmoid", "mul", "pow", "matmul", "log", "softmax"])
def test_version_errors_raised_as_in_torch(torch_oracle, op, where):
    """Where the saved value is needed, both refuse, with PyTorch's words."""
    ours, theirs = (run(m, lambda m: _changed_graph(m, op, where, False))
                    for m in (ad, torch_oracle))
    assert isinstance(theirs, RuntimeError) and VERSION_ERROR in str(theirs)
    assert isinstance(ours, RuntimeError) and VERSION_ERROR in str(ours)


# ------------------------------------------------------------------ found on the way


def test_pieces_of_a_vector_share_its_memory(torch_oracle):
    """unbind of a 1-D tensor gave 0-d copies: writing into a row (or an element while
    iterating) did not reach the tensor."""
    def fn(m):
        y = m.ones(3)
        y.unbind()[0].mul_(2)
        for element in y:
            element.add_(1)
        return y
    same_exact(*both(torch_oracle, fn))


@pytest.mark.parametrize("pieces", [False, True], ids=["slice", "unbind"])
@pytest.mark.parametrize("value_requires_grad", [False, True])
def test_a_view_made_under_no_grad_joins_no_graph(torch_oracle, pieces, value_requires_grad):
    """A view of a plain tensor made under no_grad may change later, unless the change would
    enter a graph (a value that requires grad): PyTorch refuses that, and autodidact let it by."""
    def fn(m):
        y = m.ones(2, 3)
        with m.no_grad():
            view = y.unbind()[0] if pieces else y[0]
        view.mul_(m.ones(3, requires_grad=value_requires_grad))
        return y
    ours, theirs = both(torch_oracle, fn)
    if value_requires_grad:
        same_error(ours, theirs)
    else:
        same_exact(ours, theirs)


# ------------------------------------------------------------------ found at stop 22

def test_the_zero_norm_sends_no_gradient(torch_oracle):
    def fn(lib):
        x = lib.tensor([[float("inf"), 1.0, 0.0]], requires_grad=True)
        y = lib.tensor([[2.0, 1.0, 0.0]], requires_grad=True)
        (x.norm(p=0) + lib.linalg.vector_norm(y, 0, dim=1).sum() * float("inf")).backward()
        return x.grad, y.grad
    ours, theirs = both(torch_oracle, fn)
    assert ours == (None, None) and theirs == (None, None)


def test_dist_with_p_0_gives_exact_zeros():
    # PyTorch's own backward fails here ("Expected a proper Tensor but got None").
    a = ad.tensor([1.0, float("inf")], requires_grad=True)
    b = ad.tensor([0.0, 2.0], requires_grad=True)
    (ad.dist(a, b, 0) * float("inf")).backward()
    assert a.grad.tolist() == [0.0, 0.0] and b.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("key", ["[:]", "[0]", "[:, 0]", "[0, :]", "[..., :]", "[None, 0]"])
def test_indexing_a_0d_tensor_fails_with_pytorchs_words(torch_oracle, key):
    ours, theirs = both(torch_oracle, lambda lib: eval("lib.tensor(1.)" + key))
    same_error(ours, theirs)


def _warned(lib, fn):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(lib, fn)
    texts = [str(w.message).split(" (Triggered internally")[0].replace("torch.", "autodidact.")
             for w in caught]
    return result, texts


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)])
@pytest.mark.parametrize("attribute", ["T", "H", "mT", "mH"])
def test_transposes_warn_and_refuse_as_pytorch_does(torch_oracle, shape, attribute):
    fn = lambda lib: getattr(lib.arange(float(np.prod(shape))).reshape(shape), attribute)  # noqa
    (ours, our_warnings), (theirs, their_warnings) = _warned(ad, fn), _warned(torch_oracle, fn)
    # PyTorch warns once per process (TORCH_WARN_ONCE): an earlier test may have had it.
    assert our_warnings == their_warnings or their_warnings == []
    assert bool(our_warnings) == (len(shape) == 0 or (attribute == "T" and len(shape) != 2))
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_exact(ours, theirs)
        assert ours.stride() == theirs.stride()


@pytest.mark.parametrize("low, high", [
    ("t([2., 2.])", "4."), ("2.", "t([4., 4.])"), ("t(2., requires_grad=True)", "4."),
])
def test_clamp_refuses_one_tensor_bound_and_one_number(torch_oracle, low, high):
    def fn(lib):
        t = lib.tensor
        return lib.tensor([1.0, 5.0]).clamp(eval(low), eval(high))
    ours, theirs = both(torch_oracle, fn)
    assert isinstance(ours, TypeError) and isinstance(theirs, TypeError)
    assert str(ours).startswith("clamp() received an invalid combination of arguments - got (")


def test_clamp_takes_a_0d_tensor_bound_as_a_number(torch_oracle):
    ours, theirs = both(torch_oracle, lambda lib: lib.tensor([1.0, 5.0]).clamp(2.0, lib.tensor(4.)))
    same_exact(ours, theirs)


NAN = float("nan")


@pytest.mark.parametrize("values", [
    [[NAN, 1.0, NAN]], [[1.0, NAN, 3.0, NAN]], [[2.0, 1.0, NAN, 0.0, NAN, 5.0]],
    [[1.0, NAN, 3.0, NAN], [4.0, 2.0, NAN, 1.0]], [[3.0, 1.0, 2.0]],
])
def test_a_median_over_a_nan_is_nan_at_the_first_nan(torch_oracle, values):
    def fn(lib):
        x = lib.tensor(values, requires_grad=True)
        whole = x.median()
        along = x.median(1)
        (whole + along.values.sum()).backward()
        return whole, along.values, along.indices, x.grad
    ours, theirs = both(torch_oracle, fn)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.detach().numpy(), t.detach().numpy())
