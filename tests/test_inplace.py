"""In-place ops: ``add_`` & co, ``+=`` & co, ``fill_``, ``zero_``, ``copy_``.

Each returns the tensor itself, bumps its version once, keeps its shape
and dtype (PyTorch's errors otherwise) and, when it refuses, changes
nothing: not a byte, not the version.
"""

import numpy as np
import pytest

import autodidact as ad
from torch_compare import run, same_error, same_value


def fingerprint(t):
    return bytes(np.ascontiguousarray(t.detach().numpy()).tobytes()), t._version, tuple(t.shape)


# ------------------------------------------------------ every in-place method

FLOAT_OPS = [
    ("add_", (2.,)), ("add_", ("other",)), ("sub_", ("other",)), ("mul_", (3.,)),
    ("div_", ("other",)), ("pow_", (2,)), ("clamp_", (-0.5, 1.)), ("clip_", (0.,)),
    ("exp_", ()), ("log_", ()), ("sqrt_", ()), ("sin_", ()), ("cos_", ()), ("tanh_", ()),
    ("sigmoid_", ()), ("relu_", ()), ("abs_", ()), ("neg_", ()), ("floor_divide_", (0.5,)),
    ("remainder_", (0.7,)), ("round_", ()), ("sign_", ()), ("eq_", (1.5,)), ("ne_", (1.5,)),
    ("lt_", ("other",)), ("le_", (0.5,)), ("gt_", ("other",)), ("ge_", (2.,)),
    ("fill_", (7.,)), ("zero_", ()), ("copy_", ("other",)), ("add_", ("row",)),
    ("mul_", ("int_other",)), ("sub_", ("other", "alpha")), ("clamp_", ("min_only",)),
]


def _args(lib, args):
    out, kwargs = [], {}
    for a in args:
        if a == "other":
            out.append(lib.tensor([[0.5, -1.5, 2.], [3., 0.25, -0.5]]))
        elif a == "row":
            out.append(lib.tensor([1., 2., 3.], dtype=lib.float64))
        elif a == "int_other":
            out.append(lib.tensor([[1, 2, 3], [4, 5, 6]]))
        elif a == "alpha":
            kwargs["alpha"] = 2
        elif a == "min_only":
            kwargs["min"] = 0.5
        else:
            out.append(a)
    return out, kwargs


@pytest.mark.parametrize("name,args", FLOAT_OPS, ids=[f"{n}{i}" for i, (n, _) in enumerate(FLOAT_OPS)])
def test_inplace_methods_match_torch_and_return_self(torch_oracle, name, args):
    def fn(lib):
        t = lib.tensor([[1.5, -2., 0.25], [4., 0., -0.75]])
        pos, kw = _args(lib, args)
        r = getattr(t, name)(*pos, **kw)
        assert r is t
        assert t._version == 1
        return t
    with np.errstate(invalid="ignore", divide="ignore"):
        ours = fn(ad)
    same_value(ours, fn(torch_oracle))


INT_OPS = [("add_", (3,)), ("sub_", (1,)), ("mul_", (2,)), ("floor_divide_", (2,)),
           ("remainder_", (3,)), ("pow_", (2,)), ("neg_", ()), ("abs_", ()), ("sign_", ()),
           ("clamp_", (0, 3)), ("bitwise_and_", (6,)), ("bitwise_or_", (1,)),
           ("bitwise_xor_", (5,)), ("fill_", (9,)), ("zero_", ()), ("div_", (2,)),
           ("add_", (0.5,)), ("mul_", (2.5,)), ("exp_", ()), ("sqrt_", ()), ("clamp_", (0.5,)),
           ("pow_", (0.5,)), ("pow_", (-1,)), ("floor_divide_", (0,)), ("add_", (1000,))]


@pytest.mark.parametrize("dtype", ["int64", "int8"])
@pytest.mark.parametrize("name,args", INT_OPS, ids=[f"{n}{a}" for n, a in INT_OPS])
def test_inplace_on_integers_matches_torch_or_refuses_like_it(torch_oracle, name, args, dtype):
    target = ad.tensor([5, -7, 0, 3], dtype=getattr(ad, dtype))
    before = fingerprint(target)

    def fn(lib, t=None):
        t = lib.tensor([5, -7, 0, 3], dtype=getattr(lib, dtype)) if t is None else t
        return getattr(t, name)(*args)
    ours, theirs = run(ad, lambda lib: fn(lib, target)), run(torch_oracle, fn)
    if isinstance(theirs, Exception):
        if name == "clamp_" and args == (0.5,):
            # PyTorch's clamp_ spells the type "long int" here, unlike every other op.
            assert str(ours) == "result type Float can't be cast to the desired output type " + \
                {"int64": "Long", "int8": "Char"}[dtype]
        else:
            same_error(ours, theirs)
        assert fingerprint(target) == before
    else:
        assert ours is target
        same_value(ours, theirs)


@pytest.mark.parametrize("op,value", [("__iadd__", 2), ("__isub__", 2), ("__imul__", 3),
                                      ("__itruediv__", 2.), ("__ipow__", 2),
                                      ("__ifloordiv__", 2), ("__imod__", 3)])
def test_augmented_assignment_changes_the_same_object(torch_oracle, op, value):
    for lib in (ad, torch_oracle):
        t = lib.tensor([5., 7., -2.])
        ident = id(t)
        t = getattr(t, op)(value)
        assert id(t) == ident and t._version == 1
    ours, theirs = ad.tensor([5., 7., -2.]), torch_oracle.tensor([5., 7., -2.])
    same_value(getattr(ours, op)(value), getattr(theirs, op)(value))


def test_bitwise_augmented_assignment_on_integers(torch_oracle):
    for lib in (ad, torch_oracle):
        i = lib.tensor([4, 7])
        i &= 6
        i |= 1
        i ^= 2
        assert i.tolist() == [7, 5]


def test_plus_equals_is_in_place_and_rebinding_is_not():
    y = ad.full((2, 3), 2.)
    x = ad.ones(2, 3)
    before = id(y)
    y += x
    assert id(y) == before and y.tolist() == [[3.] * 3] * 2
    z = y
    y = y + x
    assert z is not y


def test_broadcasting_only_into_the_target(torch_oracle):
    for lib in (ad, torch_oracle):
        t = lib.ones(2, 3)
        t.add_(lib.ones(3))
        assert t.tolist() == [[2.] * 3] * 2
    fn = lambda lib: lib.ones(3).add_(lib.ones(2, 3))  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))
    assert str(run(ad, fn)) == "output with shape [3] doesn't match the broadcast shape [2, 3]"


REFUSALS = [
    lambda lib, t: t.add_(lib.ones(2, 4)),
    lambda lib, t: t.add_(lib.ones(3, 2, 4)),
    lambda lib, t: t.mul_(lib.ones(3)),
    lambda lib, t: t.add_(0.5),
    lambda lib, t: t.mul_(2.5),
    lambda lib, t: t.__iadd__(1.5),
    lambda lib, t: t.div_(2),
    lambda lib, t: t.add_(lib.tensor([1., 1., 1., 1.])),
    lambda lib, t: t.exp_(),
    lambda lib, t: t.floor_divide_(0),
    lambda lib, t: t.remainder_(lib.tensor([1, 0, 1, 1])),
    lambda lib, t: t.pow_(-1),
    lambda lib, t: t.copy_(lib.ones(3)),
    lambda lib, t: t.copy_(lib.ones(2, 4)),
    lambda lib, t: t.fill_(lib.tensor([1, 2])),
    lambda lib, t: t.fill_(2 ** 63),
    lambda lib, t: t.neg_().ge_(lib.ones(5)),
]


@pytest.mark.parametrize("fn", REFUSALS, ids=range(len(REFUSALS)))
def test_refused_inplace_ops_change_nothing(torch_oracle, fn):
    target = ad.tensor([[5, -7, 0, 3]])
    before = fingerprint(target)
    ours = run(ad, lambda lib: fn(lib, target))
    theirs = run(torch_oracle, lambda lib: fn(lib, lib.tensor([[5, -7, 0, 3]])))
    assert isinstance(ours, Exception), ours
    if not (isinstance(theirs, Exception) and type(theirs) is type(ours)):
        pytest.fail(f"torch gave {theirs!r}, autodidact raised {ours!r}")
    if fn is not REFUSALS[-1]:
        same_error(ours, theirs)
    assert fingerprint(target) == before or fn is REFUSALS[-1]


def test_a_refused_chain_keeps_what_was_applied_before_it():
    t = ad.tensor([[5, -7, 0, 3]])
    with pytest.raises(RuntimeError):
        t.neg_().ge_(ad.ones(5))     # neg_ happened; ge_ was refused and changed nothing
    assert t.tolist() == [[-5, 7, 0, -3]] and t._version == 1


def test_integer_arithmetic_in_place_wraps_like_torch(torch_oracle):
    for lib in (ad, torch_oracle):
        assert lib.zeros(2, dtype=lib.int8).add_(1000).tolist() == [-24, -24]
        assert lib.tensor([250], dtype=lib.uint8).add_(10).tolist() == [4]
        assert lib.tensor([1, 2], dtype=lib.int8).add_(lib.tensor([1, 2])).dtype is lib.int8
        assert lib.tensor([1., 2.]).add_(lib.tensor([1., 2.], dtype=lib.float64)).dtype is lib.float32


# ------------------------------------------------------------ fill_, zero_, copy_


@pytest.mark.parametrize("dtype,value", [
    ("uint8", 300), ("uint8", -1), ("uint8", -129), ("uint8", -256), ("int8", 1000),
    ("int8", -128), ("int16", 40000), ("int32", 1e10), ("int64", 1.5), ("bool", 300),
    ("float16", 70000.), ("float16", float("inf")), ("float32", 1e300), ("float64", 1e300),
])
def test_fill_converts_numbers_like_torch(torch_oracle, dtype, value):
    target = ad.zeros(2, dtype=getattr(ad, dtype))
    before = fingerprint(target)
    ours = run(ad, lambda lib: target.fill_(value))
    theirs = run(torch_oracle, lambda lib: lib.zeros(2, dtype=getattr(lib, dtype)).fill_(value))
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        assert fingerprint(target) == before
    else:
        same_value(ours, theirs)


def test_fill_takes_a_zero_dim_tensor_and_refuses_others(torch_oracle):
    for lib in (ad, torch_oracle):
        assert lib.zeros(2).fill_(lib.tensor(True)).tolist() == [1., 1.]
        assert lib.zeros(2, dtype=lib.int64).fill_(lib.tensor(1.5)).tolist() == [1, 1]
    fn = lambda lib: lib.zeros(2).fill_(lib.tensor([1., 2.]))  # noqa: E731
    same_error(run(ad, fn), run(torch_oracle, fn))
    with pytest.raises(TypeError, match="fill_\\(\\): argument 'value' must be a number"):
        ad.zeros(2).fill_("a")


COPIES = [
    lambda lib: lib.zeros(2, 3).copy_(lib.tensor([1., 2., 3.])),
    lambda lib: lib.zeros(3, dtype=lib.int64).copy_(lib.tensor([1.7, -1.7, 2.])),
    lambda lib: lib.zeros(2, dtype=lib.bool).copy_(lib.tensor([2, 0])),
    lambda lib: lib.zeros(3).copy_(lib.ones(2, 3)),
    lambda lib: lib.zeros(3).copy_(lib.ones(2)),
    lambda lib: lib.zeros(2, 3).copy_(lib.ones(3, 2)),
    lambda lib: lib.zeros(3).copy_(lib.ones(1, 3)),
    lambda lib: lib.zeros(3).copy_([1, 2, 3]),
    lambda lib: lib.zeros(2, 2).t().copy_(lib.arange(4.).view(2, 2)),
    lambda lib: lib.zeros(2, dtype=lib.int8).copy_(lib.tensor(300)),
]


@pytest.mark.parametrize("fn", COPIES, ids=range(len(COPIES)))
def test_copy_matches_torch(torch_oracle, fn):
    ours, theirs = run(ad, fn), run(torch_oracle, fn)
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_value(ours, theirs)


def test_copy_from_another_dtype_and_back_keeps_target_dtype():
    t = ad.zeros(3)
    assert t.copy_(ad.tensor([1, 2, 3])) is t and t.dtype is ad.float32 and t._version == 1


# ------------------------------------------------------------ memory overlap

OVERLAPS = [
    lambda lib: lib.zeros(1, 3).expand(2, 3).add_(1),
    lambda lib: lib.zeros(1, 3).expand(2, 3).exp_(),
    lambda lib: lib.zeros(1, 3).expand(2, 3).copy_(lib.ones(2, 3)),
    lambda lib: lib.zeros(1, 3).expand(2, 3).fill_(2.),
    lambda lib: lib.zeros(1, 3).expand(2, 3).zero_(),
    lambda lib: (lambda y: (y[1:].add_(y[:-1]), y)[1])(lib.arange(4.)),
    lambda lib: (lambda y: (y[1:].copy_(y[:-1]), y)[1])(lib.arange(4.)),
    lambda lib: (lambda y: (y.add_(y), y)[1])(lib.arange(4.)),
    lambda lib: (lambda y: (y.copy_(y), y)[1])(lib.arange(4.)),
    lambda lib: (lambda y: (y.add_(y.t()), y)[1])(lib.arange(4.).view(2, 2)),
    lambda lib: (lambda y: (y[:, 1].add_(y[:, 0]), y)[1])(lib.arange(6.).view(2, 3)),
]


@pytest.mark.parametrize("fn", OVERLAPS, ids=range(len(OVERLAPS)))
def test_memory_overlap_is_refused_like_torch(torch_oracle, fn):
    ours, theirs = run(ad, fn), run(torch_oracle, fn)
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
    else:
        same_value(ours, theirs)


def test_refused_overlap_changes_nothing():
    y = ad.arange(4.)
    before = fingerprint(y)
    with pytest.raises(RuntimeError, match="^unsupported operation: some elements"):
        y[1:].add_(y[:-1])
    assert fingerprint(y) == before


# ------------------------------------------------------------ autograd


LEAF_OPS = [lambda w: w.add_(1), lambda w: w.__iadd__(1), lambda w: w.__isub__(0.1 * ad.ones(3)),
            lambda w: w.zero_(), lambda w: w.fill_(2.), lambda w: w.uniform_(-1, 1),
            lambda w: w.normal_(), lambda w: w.copy_(ad.zeros(3)), lambda w: w.exp_(),
            lambda w: w.clamp_(0, 0.5)]


@pytest.mark.parametrize("fn", LEAF_OPS, ids=range(len(LEAF_OPS)))
def test_inplace_on_a_leaf_that_requires_grad_raises_and_changes_nothing(fn):
    w = ad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in "
                                           "an in-place operation."):
        fn(w)
    assert w.tolist() == [1., 1., 1.] and w._version == 0 and w.is_leaf


def test_updating_a_leaf_under_no_grad_data_or_detach_is_allowed(torch_oracle):
    for lib in (ad, torch_oracle):
        w = lib.ones(3, requires_grad=True)
        w.data.add_(1)
        w.detach().add_(1)
        with lib.no_grad():
            w -= 0.5
        assert w.tolist() == [2.5] * 3 and w.is_leaf and w.requires_grad and w.grad_fn is None
        assert w._version == 2


def test_inplace_on_a_non_leaf_is_differentiable(torch_oracle):
    for lib in (ad, torch_oracle):
        w = lib.ones(3, requires_grad=True)
        w2 = w * 2
        r = w2.add_(1)
        assert r is w2 and w2.grad_fn.name() == "AddBackward0" and w2._version == 1
        w2.sum().backward()
        assert w.grad.tolist() == [2., 2., 2.]


CHAINS = {
    "mul_exp": lambda lib, y, v: y.mul_(v).exp_(),
    "div_clamp_pow": lambda lib, y, v: y.div_(v).clamp_(-0.5, 3.).pow_(2),
    "sigmoid_tanh": lambda lib, y, v: y.sigmoid_().tanh_().mul_(v),
    "sub_alpha_abs": lambda lib, y, v: y.sub_(v, alpha=3).abs_().sqrt_(),
    "copy_from_v": lambda lib, y, v: y.copy_(v * 3),
    "fill_then_add": lambda lib, y, v: y.fill_(2.).add_(v),
    "zero_then_add": lambda lib, y, v: y.zero_().add_(v * v),
    "fill_with_tensor": lambda lib, y, v: y.fill_(v[1] * 2),
    "neg_relu": lambda lib, y, v: y.add_(v).neg_().relu_(),
    "exp_alone": lambda lib, y, v: y.mul_(v).exp_(),
    "iops": lambda lib, y, v: y.__imul__(v).__iadd__(v).__itruediv__(2.),
    "cast_from_double": lambda lib, y, v: y.add_(v.double()),
}


@pytest.mark.parametrize("name", list(CHAINS))
def test_chains_of_inplace_ops_give_torchs_gradients(torch_oracle, name):
    def grads(lib):
        x = lib.tensor([0.5, -1.5, 2.], requires_grad=True)
        v = lib.tensor([1.5, 2., -0.5], requires_grad=True)
        y = x * 1.5
        CHAINS[name](lib, y, v)
        (y * lib.tensor([1., 2., 3.])).sum().backward()
        return y, x.grad, v.grad
    ours, theirs = run(ad, grads), run(torch_oracle, grads)
    if isinstance(theirs, Exception):
        # An op that saved its output (sigmoid_, tanh_, relu_) had it overwritten by the next.
        assert isinstance(ours, RuntimeError), ours
        head = str(theirs).split(" Hint:")[0].replace("torch.", "autodidact.")
        assert str(ours).startswith(head)
        return
    for o, t in zip(ours, theirs):
        if t is None:
            assert o is None or not o.any()
        else:
            same_value(o, t)


def test_inplace_with_an_operand_that_requires_grad_on_a_plain_tensor(torch_oracle):
    for lib in (ad, torch_oracle):
        w = lib.tensor([2., 3.], requires_grad=True)
        y = lib.tensor([5., 7.])
        y.mul_(w)
        assert y.requires_grad and not y.is_leaf
        (y * y).sum().backward()
        assert w.grad.tolist() == [100., 294.]


def test_random_fill_of_a_non_leaf_cuts_the_gradient(torch_oracle):
    for lib in (ad, torch_oracle):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        y.uniform_()
        assert y.requires_grad
        y.sum().backward()
        assert x.grad.tolist() == [0., 0., 0.]
    y = ad.ones(3, requires_grad=True) * 1
    assert y.normal_().grad_fn.name() == "NormalBackward0"


def test_changing_a_saved_tensor_fails_at_backward_with_the_version_error(torch_oracle):
    def fn(lib):
        a = lib.ones(3, requires_grad=True)
        b = a * 2
        c = b * b
        b.add_(1)
        assert b._version == 1
        c.sum().backward()
    ours, theirs = run(ad, fn), run(torch_oracle, fn)
    assert isinstance(ours, RuntimeError) and isinstance(theirs, RuntimeError)
    assert str(ours).startswith(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [autodidact.FloatTensor [3]], which is output 0 of Add, is at version 1; "
        "expected version 0 instead.")


def test_changing_an_output_that_backward_needs_fails_and_detach_shares_the_check():
    x = ad.ones(3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match="output 0 of Exp, is at version 1"):
        y.sum().backward()
    x = ad.ones(3, requires_grad=True)
    y = x.sigmoid()
    y.detach().zero_()
    with pytest.raises(RuntimeError, match="output 0 of Sigmoid"):
        y.sum().backward()
    x = ad.ones(3, requires_grad=True)
    b = x + 1
    b.add_(1)
    b.sum().backward()                      # add saves nothing: fine
    assert x.grad.tolist() == [1., 1., 1.]


def test_every_inplace_op_bumps_the_version_once():
    t = ad.ones(3)
    ops = [lambda: t.add_(1), lambda: t.mul_(2), lambda: t.fill_(1.), lambda: t.zero_(),
           lambda: t.copy_(ad.ones(3)), lambda: t.__setitem__(0, 3.), lambda: t.uniform_(),
           lambda: t.normal_(), lambda: t.clamp_(0, 1), lambda: t.__iadd__(1),
           lambda: ad.add(t, 1, out=t)]
    for i, op in enumerate(ops, start=1):
        op()
        assert t._version == i
