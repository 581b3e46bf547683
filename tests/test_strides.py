"""Results have PyTorch's strides, so ``view`` succeeds or fails exactly where PyTorch's does.

Every program below runs on autodidact and on PyTorch; the results must
agree in shape, values, ``stride()``, ``is_contiguous()`` and in whether
``view(-1)`` raises. The rules themselves are in ``autodidact/ops/layout.py``.
"""

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run, same_error, same_value


def _a(lib):
    return lib.arange(6.).reshape(2, 3)                    # strides (3, 1)


def _bt(lib):
    return lib.arange(6.).reshape(3, 2).T                  # (2, 3), strides (1, 2)


def _x(lib):
    return lib.arange(24.).reshape(2, 3, 4)


def _xt(lib):
    return _x(lib).transpose(1, 2)                         # (2, 4, 3), strides (12, 1, 4)


def _xp(lib):
    return _x(lib).permute(2, 0, 1)                        # (4, 2, 3), strides (1, 12, 4)


def _image(lib):
    return lib.arange(48.).reshape(2, 2, 4, 3).permute(0, 3, 1, 2)   # channels-last strides


PROGRAMS = {
    # advanced indexing: PyTorch's index iterator
    "a[:, [0, 2]]": lambda lib: _a(lib)[:, [0, 2]],
    "a[[1, 0]]": lambda lib: _a(lib)[[1, 0]],
    "bt[:, [0, 2]]": lambda lib: _bt(lib)[:, [0, 2]],
    "xt[[0, 1]]": lambda lib: _xt(lib)[[0, 1]],
    "xt[:, [0, 1]]": lambda lib: _xt(lib)[:, [0, 1]],
    "xp[:, :, [0, 1]]": lambda lib: _xp(lib)[:, :, [0, 1]],
    "xp[[0, 1], :, [0, 1]]": lambda lib: _xp(lib)[[0, 1], :, [0, 1]],
    "xt[0, [1, 2]]": lambda lib: _xt(lib)[0, [1, 2]],
    "xt[:, None, [0, 1]]": lambda lib: _xt(lib)[:, None, [0, 1]],
    "xt[index tensor 2x2]": lambda lib: _xt(lib)[:, lib.tensor([[0, 1], [2, 3]])],
    "xt[transposed index]": lambda lib: _xp(lib)[lib.tensor([[0, 1], [2, 3]]).t()],
    "xt[xt > 5]": lambda lib: _xt(lib)[_xt(lib) > 5],
    "xp[mask of 2 axes]": lambda lib: _xp(lib)[lib.tensor([[True, False], [True, True],
                                                           [False, True], [True, True]])],
    "xt[:, mask]": lambda lib: _xt(lib)[:, lib.tensor([True, False, True, True])],
    "index_select": lambda lib: _xt(lib).index_select(2, lib.tensor([2, 0])),
    "masked_select": lambda lib: _xt(lib).masked_select(_xt(lib) > 3),
    "gather": lambda lib: _xt(lib).gather(1, lib.zeros(2, 3, 3, dtype=lib.long).transpose(1, 2)),
    # elementwise: the output follows the inputs' memory order
    "bt * a": lambda lib: _bt(lib) * _a(lib),
    "a * bt": lambda lib: _a(lib) * _bt(lib),
    "bt * bt": lambda lib: _bt(lib) * _bt(lib),
    "bt * 2": lambda lib: _bt(lib) * 2,
    "2 - bt": lambda lib: 2 - _bt(lib),
    "bt + row": lambda lib: _bt(lib) + lib.ones(3),
    "column + bt": lambda lib: lib.ones(2, 1) + _bt(lib),
    "exp(bt)": lambda lib: _bt(lib).exp(),
    "exp(xp)": lambda lib: _xp(lib).exp(),
    "exp(every other column)": lambda lib: _xt(lib)[:, ::2].exp(),
    "xp * xt.permute": lambda lib: _xp(lib) * _xt(lib).permute(1, 0, 2),
    "expanded * bt": lambda lib: lib.arange(3.).expand(2, 3) * _bt(lib),
    "expanded column.exp()": lambda lib: lib.arange(2.)[:, None].expand(2, 3).t().exp(),
    "one value expanded * bt": lambda lib: lib.tensor(2.).expand(2, 3) * _bt(lib),
    "bt * one value expanded": lambda lib: _bt(lib) * lib.tensor(2.).expand(2, 3),
    "xp * one value expanded": lambda lib: _xp(lib) * lib.tensor(2.).expand(4, 2, 3),
    "one value expanded.exp()": lambda lib: lib.tensor(2.).expand(2, 3).exp(),
    "one value expanded, twice": lambda lib: lib.tensor(2.).expand(2, 3) + lib.ones(1, 1).expand(2, 3),
    "bt > 2": lambda lib: _bt(lib) > 2,
    "where(bt > 2, bt, a)": lambda lib: lib.where(_bt(lib) > 2, _bt(lib), _a(lib)),
    "bt.double()": lambda lib: _bt(lib).double(),
    "every other column .double()": lambda lib: _xt(lib)[:, ::2].double(),
    "bt.long() * a": lambda lib: _bt(lib).long() * _a(lib),
    "unsqueezed.t() * 2": lambda lib: lib.arange(3.)[None].t() * 2,
    "image * 2": lambda lib: _image(lib) * 2,
    "bt.clone()": lambda lib: _bt(lib).clone(),
    "every other column .clone()": lambda lib: _xt(lib)[:, ::2].clone(),
    # reductions, softmax, cat and stack: row-major (cat keeps channels-last)
    "xt.sum(1, keepdim)": lambda lib: _xt(lib).sum(1, keepdim=True),
    "xp.sum((0, 2), keepdim)": lambda lib: _xp(lib).sum((0, 2), keepdim=True),
    "xt.mean(2, keepdim)": lambda lib: _xt(lib).mean(2, keepdim=True),
    "xt.amax(0, keepdim)": lambda lib: _xt(lib).amax(0, keepdim=True),
    "xt.max(1, keepdim)": lambda lib: _xt(lib).max(1, keepdim=True)[0],
    "xt.argmax(1, keepdim)": lambda lib: _xt(lib).argmax(1, keepdim=True),
    "xt.prod(1, keepdim)": lambda lib: _xt(lib).prod(1, keepdim=True),
    "xt.std(1, keepdim)": lambda lib: _xt(lib).std(1, keepdim=True),
    "xt.var(2, keepdim)": lambda lib: _xt(lib).var(2, keepdim=True),
    "(xt > 3).all(1, keepdim)": lambda lib: (_xt(lib) > 3).all(1, keepdim=True),
    "xt.softmax(1)": lambda lib: _xt(lib).softmax(1),
    "xt.log_softmax(2)": lambda lib: _xt(lib).log_softmax(2),
    "cat([bt, bt])": lambda lib: lib.cat([_bt(lib), _bt(lib)]),
    "cat([bt, bt], 1)": lambda lib: lib.cat([_bt(lib), _bt(lib)], 1),
    "cat(images, 1)": lambda lib: lib.cat([_image(lib), _image(lib)], 1),
    "stack([bt, bt], 1)": lambda lib: lib.stack([_bt(lib), _bt(lib)], 1),
    "stack([xt, xt], 3)": lambda lib: lib.stack([_xt(lib), _xt(lib)], 3),
    "stack(images, 2)": lambda lib: lib.stack([_image(lib), _image(lib)], 2),
    "stack(images, 4)": lambda lib: lib.stack([_image(lib), _image(lib)], 4),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_layout_and_view_match_torch(torch_oracle, name):
    program = PROGRAMS[name]
    ours, theirs = run(ad, program), run(torch_oracle, program)
    same_value(ours.float(), theirs.float())
    assert ours.stride() == theirs.stride()
    assert ours.is_contiguous() == theirs.is_contiguous()
    flat_ours = run(ad, lambda lib: program(lib).view(-1))
    flat_theirs = run(torch_oracle, lambda lib: program(lib).view(-1))
    if isinstance(flat_theirs, Exception):
        same_error(flat_ours, flat_theirs)
    else:
        same_value(flat_ours.float(), flat_theirs.float())


# ------------------------------------------------------ the reproducers


def test_a_list_indexed_copy_is_row_major_and_can_be_viewed():
    a = ad.arange(6.).reshape(2, 3)
    flat = a[:, [0, 2]].view(-1)
    assert flat.tolist() == [0., 2., 3., 5.]


def test_transposed_times_row_major_follows_the_first_input_and_cannot_be_viewed():
    a, b = ad.arange(6.).reshape(2, 3), ad.arange(6.).reshape(3, 2)
    product = b.T * a
    assert product.stride() == (1, 2) and not product.is_contiguous()
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        product.view(-1)
    assert (a * b.T).view(-1).tolist() == product.reshape(-1).tolist()


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", [((2, 0), 1), ((0, 3), 0), ((0, 3), 1), ((2, 0), 0)])
def test_softmax_over_an_empty_dimension_is_empty_like_torch(torch_oracle, name, shape, dim):
    def program(lib):
        x = lib.zeros(*shape, requires_grad=True)
        y = getattr(lib, name)(x, dim)
        y.sum().backward()
        return y, x.grad

    (y, grad), (their_y, their_grad) = run(ad, program), run(torch_oracle, program)
    same_value(y, their_y)
    same_value(grad, their_grad)
    assert y.stride() == their_y.stride()


def test_writing_through_a_view_of_a_0d_tensor_works_like_torch(torch_oracle):
    def program(lib):
        s = lib.tensor(.5)
        w = lib.tensor([3.], requires_grad=True)
        r = s.view(1).mul_(w)
        r.sum().backward()
        return s, r, w.grad

    (s, r, grad), (their_s, their_r, their_grad) = run(ad, program), run(torch_oracle, program)
    same_value(s, their_s)
    same_value(r, their_r)
    same_value(grad, their_grad)
    assert type(s.grad_fn).__name__ == type(their_s.grad_fn).__name__ == "CopySlices"
    assert type(r.grad_fn).__name__ == type(their_r.grad_fn).__name__ == "AsStridedBackward0"


def test_a_0d_tensor_changed_through_a_2d_view_gives_torchs_gradient(torch_oracle):
    def program(lib):
        s = lib.tensor(.5)
        w = lib.tensor(3., requires_grad=True)
        s.view(1, 1).add_(w)
        (s.view(1) * 2).sum().backward()
        return s, w.grad

    (s, grad), (their_s, their_grad) = run(ad, program), run(torch_oracle, program)
    same_value(s, their_s)
    same_value(grad, their_grad)


# ------------------------------------------------------ random layouts


def _random_layout(rng, shape):
    """A NumPy array of ``shape`` in a random layout: row-major, permuted, sliced, expanded,
    or with odd strides along axes of size 1 (which PyTorch carries through)."""
    kind = rng.integers(5)
    if kind == 0 or not shape:
        return rng.standard_normal(shape).astype(np.float32)
    if kind == 1:
        order = rng.permutation(len(shape))
        base = rng.standard_normal([shape[i] for i in order]).astype(np.float32)
        return base.transpose(np.argsort(order))
    if kind == 2:
        big = rng.standard_normal([2 * s for s in shape]).astype(np.float32)
        return big[tuple(slice(None, None, 2) if rng.random() < .5 else slice(0, s)
                         for s in shape)]
    if kind == 3:
        small = [1 if rng.random() < .5 else s for s in shape]
        return np.broadcast_to(_random_layout(rng, small), shape)
    base = rng.standard_normal(shape).astype(np.float32)
    strides = [rng.choice([4, 8, 20]) if s == 1 else st for s, st in zip(shape, base.strides)]
    return np.lib.stride_tricks.as_strided(base, shape, strides)


def _random_shape(rng):
    return tuple(int(rng.choice([1, 1, 2, 3])) for _ in range(rng.integers(0, 5)))


def _operands(rng, count):
    shape = _random_shape(rng)
    operands = [_random_layout(rng, shape)]
    for _ in range(count - 1):
        lead = rng.integers(0, len(shape) + 1)
        other = tuple(1 if rng.random() < .3 else s for s in shape[lead:])
        operands.append(_random_layout(rng, other))
    rng.shuffle(operands)
    return operands


RANDOM_PROGRAMS = {
    "exp": (1, lambda lib, x: lib.exp(x)),
    "times 2.5": (1, lambda lib, x: x * 2.5),
    "2.5 minus": (1, lambda lib, x: 2.5 - x),
    "double": (1, lambda lib, x: x.double()),
    "clone": (1, lambda lib, x: x.clone()),
    "mul": (2, lambda lib, x, y: x * y),
    "greater": (2, lambda lib, x, y: x > y),
    "mul long": (2, lambda lib, x, y: x * y.long()),
    "where": (3, lambda lib, c, x, y: lib.where(c > 0, x, y)),
}


@pytest.mark.filterwarnings("ignore:The given NumPy array is not writable")
@pytest.mark.parametrize("name", RANDOM_PROGRAMS)
def test_elementwise_layouts_match_torch_on_random_layouts(torch_oracle, name):
    count, program = RANDOM_PROGRAMS[name]
    rng = np.random.default_rng(sorted(RANDOM_PROGRAMS).index(name))
    for _ in range(150):
        arrays = _operands(rng, count)
        ours = program(ad, *[ad.from_numpy(a) for a in arrays])
        theirs = program(torch_oracle, *[torch_oracle.from_numpy(a) for a in arrays])
        if theirs.numel() == 0:
            continue   # every empty tensor reports row-major strides
        layouts = [(a.shape, tuple(s // a.itemsize for s in a.strides)) for a in arrays]
        assert (ours.stride(), ours.is_contiguous()) == (theirs.stride(), theirs.is_contiguous()), \
            layouts


def test_advanced_indexing_layouts_match_torch_on_random_layouts(torch_oracle):
    rng = np.random.default_rng(7)
    for _ in range(300):
        shape = tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(1, 5)))
        array = _random_layout(rng, shape)
        key = []
        for size in shape:
            choice = rng.integers(5)
            if choice == 0:
                key.append(rng.integers(0, size, size=2).tolist())
            elif choice == 1:
                key.append(int(rng.integers(0, size)))
            elif choice == 2 and not any(type(k) is np.ndarray for k in key):
                key.append(rng.random(size) < .6)
            else:
                key.append(slice(None))
            if rng.random() < .15:
                key.append(None)
        if not any(isinstance(k, (list, np.ndarray)) for k in key):
            key[0] = [0]

        def program(lib, x):
            return x[tuple(lib.from_numpy(k) if type(k) is np.ndarray else k for k in key)]

        ours = run(ad, lambda lib: program(lib, lib.from_numpy(array)))
        theirs = run(torch_oracle, lambda lib: program(lib, lib.from_numpy(array)))
        if isinstance(theirs, Exception):
            assert isinstance(ours, Exception), key
            continue
        assert ours.shape == theirs.shape, key
        if theirs.numel():
            assert (ours.stride(), ours.is_contiguous()) == \
                (theirs.stride(), theirs.is_contiguous()), (shape, array.strides, key)


# ------------------------------------------------------ a leaf's gradient: PyTorch's layout contract

_LEAVES = {
    "transposed": lambda lib: lib.arange(12.).reshape(3, 4).t(),
    "permuted": lambda lib: lib.arange(24.).reshape(2, 3, 4).permute(2, 0, 1),
    "every other column": lambda lib: lib.arange(12.).reshape(3, 4)[:, ::2],
    "expanded row": lambda lib: lib.ones(3).expand(1, 3),
    "column": lambda lib: lib.ones(3, 1),
}

_USES = {
    "sum": lambda x: x.sum(),                                # one value spread out
    "times 2": lambda x: (x * 2).sum(),                      # laid out as the spread value
    "contiguous": lambda x: (x.contiguous() * 2).sum(),      # row-major
    "through t()": lambda x: (x.t().contiguous() * 2).sum() if x.dim() == 2 else x.sum(),
    "twice": lambda x: (x * 2).sum() + (x.contiguous() * 3).sum(),
}


@pytest.mark.parametrize("use", sorted(_USES))
@pytest.mark.parametrize("leaf", sorted(_LEAVES))
def test_a_leafs_gradient_is_laid_out_as_the_leaf_like_torch(torch_oracle, leaf, use):
    """A gap-free leaf's .grad has the leaf's strides, any other leaf's is row-major, whatever
    layout backward made the gradient in (PyTorch's gradient layout contract)."""
    def program(lib):
        x = _LEAVES[leaf](lib).detach().requires_grad_()
        _USES[use](x).backward()
        return x.grad

    ours, theirs = run(ad, program), run(torch_oracle, program)
    same_value(ours, theirs)
    assert ours.stride() == theirs.stride()
