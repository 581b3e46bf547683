"""``out=``: ops that write their result into a tensor you pass, as PyTorch 2.13 does.

The op returns ``out`` itself; an out of the wrong shape is resized (with
PyTorch's deprecation warning unless it was empty); its dtype must be one
the result can be cast to; autograd refuses ``out=``; and when anything is
refused, ``out`` keeps its bytes and its version.
"""

import warnings

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run_quietly as run, same_error, same_value

RESIZE_WARNING = (
    "An output with one or more elements was resized since it had shape [5, 5], which does not "
    "match the required output shape [2, 3]. This behavior is deprecated, and in a future "
    "PyTorch release outputs will not be resized unless they have zero elements. You can "
    "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
    "t.resize_(0).")


def fingerprint(t):
    return bytes(np.ascontiguousarray(t.detach().numpy()).tobytes()), t._version, tuple(t.shape)


def x23(lib):
    return lib.tensor([[1., 2., 3.], [4., 5., 6.]])


OPS = {
    "add": lambda lib, out: lib.add(x23(lib), lib.ones(2, 3), out=out),
    "add_alpha": lambda lib, out: lib.add(x23(lib), lib.ones(3), alpha=10, out=out),
    "sub": lambda lib, out: lib.sub(x23(lib), 1, out=out),
    "mul": lambda lib, out: lib.mul(x23(lib), lib.tensor([2., 0., -1.]), out=out),
    "div": lambda lib, out: lib.div(x23(lib), 4, out=out),
    "pow": lambda lib, out: lib.pow(x23(lib), 2, out=out),
    "exp": lambda lib, out: lib.exp(x23(lib) / 10, out=out),
    "neg": lambda lib, out: lib.neg(x23(lib), out=out),
    "abs": lambda lib, out: lib.abs(-x23(lib), out=out),
    "clamp": lambda lib, out: lib.clamp(x23(lib), 2, 5, out=out),
    "floor_divide": lambda lib, out: lib.floor_divide(x23(lib), 2, out=out),
    "remainder": lambda lib, out: lib.remainder(x23(lib), 4, out=out),
    "cat": lambda lib, out: lib.cat([x23(lib)[:1], x23(lib)[1:]], out=out),
    "stack": lambda lib, out: lib.stack([x23(lib)[0], x23(lib)[1]], out=out),
}


@pytest.mark.parametrize("name", list(OPS))
def test_out_receives_the_result_and_is_returned(torch_oracle, name):
    for lib in (ad, torch_oracle):
        out = lib.zeros(2, 3)
        r = OPS[name](lib, out)
        assert r is out and out._version == 1
    ours, theirs = ad.zeros(2, 3), torch_oracle.zeros(2, 3)
    OPS[name](ad, ours)
    OPS[name](torch_oracle, theirs)
    same_value(ours, theirs)


@pytest.mark.parametrize("dtype", ["float64", "float16", "int64", "int8", "bool"])
@pytest.mark.parametrize("name", ["add", "mul", "div", "exp", "cat"])
def test_out_dtype_must_be_castable(torch_oracle, name, dtype):
    target = ad.zeros(2, 3, dtype=getattr(ad, dtype))
    before = fingerprint(target)
    ours = run(ad, lambda lib: OPS[name](lib, target))
    theirs = run(torch_oracle, lambda lib: OPS[name](lib, lib.zeros(2, 3, dtype=getattr(lib, dtype))))
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        assert fingerprint(target) == before
    else:
        assert ours is target
        same_value(ours, theirs)


def test_integer_results_into_other_dtypes(torch_oracle):
    for lib in (ad, torch_oracle):
        a, b = lib.tensor([1, 2]), lib.tensor([3, 4])
        assert lib.add(a, b, out=lib.empty(2)).tolist() == [4., 6.]
        assert lib.add(a, b, out=lib.empty(2, dtype=lib.int8)).dtype is lib.int8
    fn = lambda lib: lib.add(lib.tensor([1, 2]), lib.tensor([3, 4]), out=lib.empty(2, dtype=lib.bool))  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))
    assert str(run(ad, fn)) == "result type Long can't be cast to the desired output type Bool"


def test_wrong_shape_is_resized_with_pytorchs_warning():
    out = ad.empty(5, 5)
    with pytest.warns(UserWarning) as record:
        r = ad.add(x23(ad), ad.ones(2, 3), out=out)
    assert str(record[0].message) == RESIZE_WARNING
    assert r is out and out.shape == (2, 3) and out.tolist() == [[2., 3., 4.], [5., 6., 7.]]
    assert out._version == 1


def test_empty_out_is_resized_silently():
    out = ad.empty(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ad.add(x23(ad), 1, out=out)
    assert r is out and out.shape == (2, 3)


@pytest.mark.parametrize("make_out", [
    lambda lib: lib.zeros(4)[1:3],            # a view with room after it in its base
    lambda lib: lib.zeros(4),                 # bigger than needed: keeps its storage
    lambda lib: lib.zeros(2, 2)[:, 0],        # same shape, not contiguous: written in place
])
def test_out_views_write_into_their_base_like_torch(torch_oracle, make_out):
    def fn(lib):
        out = make_out(lib)
        base = out._base if out._base is not None else out
        n = 3 if out.shape == (2,) and out.is_contiguous() else 2
        lib.add(lib.ones(n), lib.arange(float(n)), out=out)
        return out, base
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (o, ob), (t, tb) = fn(ad), fn(torch_oracle)
    same_value(o, t)
    same_value(ob, tb)


def test_out_with_autograd_is_refused_and_changes_nothing(torch_oracle):
    cases = [
        lambda lib, out: lib.add(lib.ones(2, 3, requires_grad=True), lib.ones(2, 3), out=out),
        lambda lib, out: lib.exp(lib.ones(2, 3, requires_grad=True) * 2, out=out),
    ]
    for case in cases:
        target = ad.zeros(2, 3)
        before = fingerprint(target)
        same_error(run(ad, lambda lib: case(lib, target)),
                   run(torch_oracle, lambda lib: case(lib, lib.zeros(2, 3))))
        assert fingerprint(target) == before
    fn = lambda lib: lib.add(lib.ones(2), lib.ones(2), out=lib.zeros(2, requires_grad=True))  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))
    assert str(run(ad, lambda lib: cases[0](lib, lib.zeros(2, 3)))) == (
        "add(): functions with out=... arguments don't support "
                                      "automatic differentiation, but one of the arguments "
                                      "requires grad.")
    with ad.no_grad():
        out = ad.zeros(2, 3)
        ad.add(ad.ones(2, 3, requires_grad=True), 1, out=out)
    assert out.tolist() == [[2.] * 3] * 2 and not out.requires_grad


def test_out_that_is_expanded_is_refused_like_torch(torch_oracle):
    fn = lambda lib: lib.add(lib.ones(2, 3), 1, out=lib.zeros(1, 3).expand(2, 3))  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))


def test_out_must_be_a_tensor():
    with pytest.raises(TypeError, match="^add\\(\\): argument 'out' must be Tensor, not list$"):
        ad.add(ad.ones(2), 1, out=[1])


def test_out_may_be_an_input():
    y = ad.arange(4.)
    r = ad.add(y, 1, out=y)
    assert r is y and y.tolist() == [1., 2., 3., 4.] and y._version == 1
    z = ad.tensor(1.)
    assert ad.add(ad.ones(()), 1, out=z) is z and z.item() == 2.
