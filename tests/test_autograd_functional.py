"""autograd.functional and the batched/sequence forms of autograd.grad, against PyTorch.

Each case is a program run on both libraries; the results (nested tuples
of tensors, or the exception raised) must agree: same nesting, shapes,
dtypes and values, same error type and text.
"""

import warnings

import numpy as np
import pytest

import autodidact
from autodidact.autograd import gradcheck, gradgradcheck
from torch_compare import run, same_error


def _same(ours, theirs):
    if isinstance(theirs, Exception):
        same_error(ours, theirs)
        return
    assert not isinstance(ours, Exception), ours
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, type(theirs)) and len(ours) == len(theirs), (ours, theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
        return
    if theirs is None or isinstance(theirs, (bool, int, float, str)):
        assert ours == theirs
        return
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.dtype.name == str(theirs.dtype).replace("torch.", "")
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10,
                               atol=1e-12)


def _x(lib, *values):
    return lib.tensor(list(values), dtype=lib.float64)


def _m(lib):
    return lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=lib.float64)


def f_square(x):
    return x ** 2


def f_two_in(x, y):
    return x * y.exp() + x.sin()


def f_two_out(x, y):
    return (x * y).sum(), x ** 3 - y


def f_scalar(x):
    return (x ** 3).sum() * x.prod()


def f_scalar_two(x, y):
    return (x * x * y).sum() + (y ** 3).sum()


def f_linear(x):
    return x * 3


def f_constant(x):
    return x.detach() * 2


def f_unused_second(x, y):
    return x ** 2


CASES = {
    # jacobian
    "jacobian": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0, 2.0, 3.0)),
    "jacobian two inputs": lambda lib, F: F.jacobian(f_two_in, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0))),
    "jacobian two outputs": lambda lib, F: F.jacobian(f_two_out, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0))),
    "jacobian matrix": lambda lib, F: F.jacobian(lambda m: m @ m.t(), _m(lib)),
    "jacobian create_graph": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0, 2.0), create_graph=True),
    "jacobian vectorize": lambda lib, F: F.jacobian(f_two_in, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), vectorize=True),
    "jacobian forward-mode": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0, 2.0), vectorize=True, strategy="forward-mode"),
    "jacobian unused input": lambda lib, F: F.jacobian(f_unused_second, (_x(lib, 1.0), _x(lib, 2.0))),
    "jacobian strict unused": lambda lib, F: F.jacobian(f_unused_second, (_x(lib, 1.0), _x(lib, 2.0)), strict=True),
    "jacobian strict constant": lambda lib, F: F.jacobian(f_constant, _x(lib, 1.0), strict=True),
    "jacobian strict linear create_graph": lambda lib, F: F.jacobian(f_linear, _x(lib, 1.0), create_graph=True, strict=True),
    "jacobian strict vectorize": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0), strict=True, vectorize=True),
    "jacobian bad strategy": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0), strategy="sideways"),
    "jacobian forward-mode unvectorized": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0), strategy="forward-mode"),
    "jacobian forward-mode create_graph": lambda lib, F: F.jacobian(f_square, _x(lib, 1.0), create_graph=True, strategy="forward-mode"),
    "jacobian list input": lambda lib, F: F.jacobian(f_square, [_x(lib, 1.0)]),
    "jacobian non-tensor in tuple": lambda lib, F: F.jacobian(f_two_in, (_x(lib, 1.0), 2.0)),
    # hessian
    "hessian": lambda lib, F: F.hessian(f_scalar, _x(lib, 1.0, 2.0, -1.5)),
    "hessian two inputs": lambda lib, F: F.hessian(f_scalar_two, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0))),
    "hessian create_graph": lambda lib, F: F.hessian(f_scalar, _x(lib, 1.0, 2.0), create_graph=True),
    "hessian vectorize": lambda lib, F: F.hessian(f_scalar, _x(lib, 1.0, 2.0), vectorize=True),
    "hessian not scalar": lambda lib, F: F.hessian(f_square, _x(lib, 1.0, 2.0)),
    "hessian tuple output": lambda lib, F: F.hessian(lambda x: (x.sum(),), _x(lib, 1.0, 2.0)),
    "hessian strict linear": lambda lib, F: F.hessian(lambda x: (x * 2).sum(), _x(lib, 1.0, 2.0), strict=True),
    # vjp, jvp, vhp, hvp
    "vjp": lambda lib, F: F.vjp(f_square, _x(lib, 1.0, 2.0), _x(lib, 1.0, -1.0)),
    "vjp two": lambda lib, F: F.vjp(f_two_out, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), (lib.tensor(2.0, dtype=lib.float64), _x(lib, 1.0, 3.0))),
    "vjp no v": lambda lib, F: F.vjp(lambda x: (x ** 2).sum(), _x(lib, 1.0, 2.0)),
    "vjp no v not scalar": lambda lib, F: F.vjp(f_square, _x(lib, 1.0, 2.0)),
    "vjp v wrong size": lambda lib, F: F.vjp(f_square, _x(lib, 1.0, 2.0), _x(lib, 1.0)),
    "vjp v wrong count": lambda lib, F: F.vjp(f_two_out, (_x(lib, 1.0), _x(lib, 2.0)), (_x(lib, 1.0),)),
    "vjp v wrong entry": lambda lib, F: F.vjp(f_two_out, (_x(lib, 1.0), _x(lib, 2.0)), (_x(lib, 1.0), _x(lib, 1.0, 2.0))),
    "vjp v tuple for one output": lambda lib, F: F.vjp(f_square, _x(lib, 1.0), (_x(lib, 1.0), _x(lib, 1.0))),
    "vjp create_graph": lambda lib, F: F.vjp(f_square, _x(lib, 1.0, 2.0), _x(lib, 1.0, -1.0), create_graph=True),
    "vjp strict constant": lambda lib, F: F.vjp(f_constant, _x(lib, 1.0), _x(lib, 1.0), strict=True),
    "vjp strict unused": lambda lib, F: F.vjp(f_unused_second, (_x(lib, 1.0), _x(lib, 2.0)), _x(lib, 1.0), strict=True),
    "vjp unused": lambda lib, F: F.vjp(f_unused_second, (_x(lib, 1.0), _x(lib, 2.0)), _x(lib, 1.0)),
    "vjp bad output": lambda lib, F: F.vjp(lambda x: [x], _x(lib, 1.0)),
    "jvp": lambda lib, F: F.jvp(f_two_in, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), (_x(lib, 1.0, 0.0), _x(lib, 0.0, 2.0))),
    "jvp one": lambda lib, F: F.jvp(f_square, _x(lib, 1.0, 2.0), _x(lib, 3.0, -1.0)),
    "jvp two outputs": lambda lib, F: F.jvp(f_two_out, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), (_x(lib, 1.0, 0.0), _x(lib, 0.0, 2.0))),
    "jvp create_graph": lambda lib, F: F.jvp(f_square, _x(lib, 1.0, 2.0), _x(lib, 3.0, -1.0), create_graph=True),
    "jvp no v": lambda lib, F: F.jvp(f_square, _x(lib, 1.0, 2.0)),
    "jvp strict constant": lambda lib, F: F.jvp(f_constant, _x(lib, 1.0), _x(lib, 1.0), strict=True),
    "jvp strict unused": lambda lib, F: F.jvp(f_unused_second, (_x(lib, 1.0), _x(lib, 2.0)), (_x(lib, 1.0), _x(lib, 1.0)), strict=True),
    "vhp": lambda lib, F: F.vhp(f_scalar, _x(lib, 1.0, 2.0, -1.5), _x(lib, 1.0, 0.5, 2.0)),
    "vhp two": lambda lib, F: F.vhp(f_scalar_two, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), (_x(lib, 1.0, 0.0), _x(lib, 0.0, 2.0))),
    "vhp create_graph": lambda lib, F: F.vhp(f_scalar, _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5), create_graph=True),
    "vhp not scalar": lambda lib, F: F.vhp(f_square, _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5)),
    "vhp strict linear": lambda lib, F: F.vhp(lambda x: (x * 2).sum(), _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5), strict=True),
    "vhp linear": lambda lib, F: F.vhp(lambda x: (x * 2).sum(), _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5)),
    "hvp": lambda lib, F: F.hvp(f_scalar, _x(lib, 1.0, 2.0, -1.5), _x(lib, 1.0, 0.5, 2.0)),
    "hvp two": lambda lib, F: F.hvp(f_scalar_two, (_x(lib, 1.0, 2.0), _x(lib, 0.5, -1.0)), (_x(lib, 1.0, 0.0), _x(lib, 0.0, 2.0))),
    "hvp create_graph": lambda lib, F: F.hvp(f_scalar, _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5), create_graph=True),
    "hvp tuple output": lambda lib, F: F.hvp(lambda x: (x.sum(),), _x(lib, 1.0), _x(lib, 1.0)),
    "hvp no v": lambda lib, F: F.hvp(lambda x: x.sum() ** 3, _x(lib, 2.0)),
    "hvp strict linear": lambda lib, F: F.hvp(lambda x: (x * 2).sum(), _x(lib, 1.0, 2.0), _x(lib, 1.0, 0.5), strict=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_functional_matches_pytorch(name, torch_oracle):
    import torch.autograd.functional as theirs_functional
    case = CASES[name]
    ours = run(autodidact, lambda lib: case(lib, autodidact.autograd.functional))
    theirs = run(torch_oracle, lambda lib: case(lib, theirs_functional))
    _same(ours, theirs)


def test_hessian_of_a_quadratic_form_is_symmetric_and_exact():
    a = autodidact.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=autodidact.float64)
    h = autodidact.autograd.functional.hessian(lambda x: x @ a @ x, autodidact.tensor([0.3, -0.7], dtype=autodidact.float64))
    np.testing.assert_allclose(h.numpy(), 2 * a.numpy())


def test_create_graph_results_differentiate_again():
    x = autodidact.tensor([1.0, 2.0], dtype=autodidact.float64, requires_grad=True)
    _, g = autodidact.autograd.functional.vjp(lambda x: (x ** 3).sum(), x, create_graph=True)
    gg, = autodidact.autograd.grad(g.sum(), x)             # d/dx 3x² = 6x
    np.testing.assert_allclose(gg.numpy(), [6.0, 12.0])


# ------------------------------------------------------------- autograd.grad


GRAD_CASES = {
    "no inputs": lambda lib: lib.autograd.grad(
        _x(lib, 1.0, 2.0).requires_grad_() * 3, [], grad_outputs=[_x(lib, 1.0, 1.0)]),
    "floats in grad_outputs": lambda lib: _grad_of_square(lib, grad_outputs=[1.0, 2.0]),
    "one tensor in a list": lambda lib: _grad_of_square(lib, grad_outputs=[_x(lib, 1.0, -2.0)]),
    "None in a list for a scalar": lambda lib: _grad_of_sum(lib, grad_outputs=[None]),
    "batched": lambda lib: _grad_of_square(lib, grad_outputs=_m(lib), is_grads_batched=True),
    "batched two outputs": lambda lib: _grad_two_outputs(lib, is_grads_batched=True),
    "batched create_graph": lambda lib: _grad_of_square(lib, grad_outputs=_m(lib), is_grads_batched=True, create_graph=True),
    "batched unused": lambda lib: _grad_unused(lib, is_grads_batched=True),
}


def _grad_of_square(lib, **kwargs):
    x = _x(lib, 1.0, 2.0).requires_grad_()
    return lib.autograd.grad(x ** 2, x, **kwargs)


def _grad_of_sum(lib, **kwargs):
    x = _x(lib, 1.0, 2.0).requires_grad_()
    return lib.autograd.grad((x ** 2).sum(), x, **kwargs)


def _grad_two_outputs(lib, **kwargs):
    x = _x(lib, 1.0, 2.0).requires_grad_()
    y = _x(lib, -1.0, 0.5, 3.0).requires_grad_()
    outs = ((x ** 2).sum() * y, x.exp())
    batch = (lib.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 1.0]], dtype=lib.float64),
             lib.tensor([[1.0, 1.0], [0.0, -1.0]], dtype=lib.float64))
    return lib.autograd.grad(outs, (x, y), batch, **kwargs)


def _grad_unused(lib, **kwargs):
    x = _x(lib, 1.0, 2.0).requires_grad_()
    y = _x(lib, 3.0).requires_grad_()
    return lib.autograd.grad(x * 2, (x, y), _m(lib), allow_unused=True, **kwargs)


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_grad_forms_match_pytorch(name, torch_oracle):
    case = GRAD_CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = run(autodidact, case), run(torch_oracle, case)
    _same(ours, theirs)


def test_gradgradcheck_passes_and_catches_a_wrong_second_derivative():
    x = autodidact.tensor([0.5, -1.2, 2.0], dtype=autodidact.float64, requires_grad=True)
    assert gradgradcheck(lambda x: (x ** 3).sin(), (x,))
    assert gradgradcheck(lambda x, y: (x * y.exp()).sum(), (x, x.detach().clone().requires_grad_()))

    class WrongSecond(autodidact.autograd.Function):
        """Right first derivative (3x²), written so that its own derivative is wrong."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x.detach() ** 2 + 0 * x   # drops d(3x²)/dx = 6x

    assert gradcheck(WrongSecond.apply, (x,))
    assert not gradgradcheck(WrongSecond.apply, (x,), raise_exception=False)
