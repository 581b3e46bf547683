"""autograd.Function: a user-defined op with its own forward and backward, as in PyTorch."""

import numpy as np
import pytest

import autodidact
from autodidact import autograd
from autodidact.function import MissingBackwardError


class Cube(autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return x * x * x * scale

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 3 * x * x * ctx.scale, None


class MyExp(autograd.Function):
    """Saves its output, as exp's rule does."""

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        return grad * y


class MyMul(autograd.Function):
    seen = []

    @staticmethod
    def forward(ctx, a, b):
        MyMul.seen.append(("forward", ctx.needs_input_grad))
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        MyMul.seen.append(("backward", ctx.needs_input_grad))
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


def test_apply_records_a_node_and_backward_calls_the_users_rule():
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x, 2.0)
    assert y.grad_fn.name() == "CubeBackward" and not y.is_leaf and y.requires_grad
    assert y.tolist() == [2.0, 16.0]
    assert y.grad_fn.next_functions[0][0].variable is x
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 24.0]


def test_forward_is_not_recorded_inside():
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x, 1.0)
    # One node for the whole op, straight to x: the three multiplications left no trace
    # (and the number 1.0 has no edge, as in PyTorch).
    assert [n and n.name() for n, _ in y.grad_fn.next_functions] == ["AccumulateGrad"]


def test_no_node_when_nothing_requires_grad_or_under_no_grad():
    a = autodidact.tensor([1.0, 2.0])
    assert Cube.apply(a, 1.0).grad_fn is None
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    with autodidact.no_grad():
        assert Cube.apply(x, 1.0).grad_fn is None


def test_needs_input_grad_in_forward_and_backward():
    MyMul.seen.clear()
    a = autodidact.tensor([1.0, 2.0], requires_grad=True)
    b = autodidact.tensor([3.0, 4.0])
    MyMul.apply(a, b).sum().backward()
    assert MyMul.seen == [("forward", (True, False)), ("backward", (True, False))]
    assert a.grad.tolist() == [3.0, 4.0]


def test_gradcheck_of_user_functions():
    x = autodidact.randn(4, dtype=autodidact.float64, requires_grad=True)
    y = autodidact.randn(4, dtype=autodidact.float64, requires_grad=True)
    assert autograd.gradcheck(lambda t: Cube.apply(t, 1.5), (x,))
    assert autograd.gradcheck(MyExp.apply, (x,))
    assert autograd.gradcheck(MyMul.apply, (x, y))


def test_second_derivative_through_a_user_function():
    x = autodidact.tensor(2.0, requires_grad=True)
    g, = autograd.grad(Cube.apply(x, 1.0), x, create_graph=True)     # 3 x^2
    h, = autograd.grad(g, x)                                          # 6 x
    assert (g.item(), h.item()) == (12.0, 12.0)
    x = autodidact.tensor(1.0, dtype=autodidact.float64, requires_grad=True)
    g, = autograd.grad(MyExp.apply(x), x, create_graph=True)         # its saved output too
    h, = autograd.grad(g, x)
    assert h.item() == pytest.approx(np.e)


def test_saved_tensors_are_freed_and_version_checked():
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = MyExp.apply(x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    h = x * 1
    z = Cube.apply(h, 1.0)
    h.add_(1)
    with pytest.raises(RuntimeError, match="output 0 of Add, is at version 1; expected version 0"):
        z.sum().backward()


def test_output_that_is_an_input_becomes_a_new_tensor():
    class Identity(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and y.grad_fn is not None and x.is_leaf
    (y * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_a_broadcast_gradient_is_summed_back_and_a_wrong_one_refused():
    class Broadcasting(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad.expand(3, 2)                # broadcastable to x's (2,)

    class Wrong(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, grad):
            return grad                             # 0-d for an input of shape (2,)

    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    Broadcasting.apply(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match=r"Function WrongBackward returned an invalid gradient "
                                           r"at index 0 - got \[\] but expected shape compatible "
                                           r"with \[2\]"):
        Wrong.apply(x).backward()


def test_backward_returning_the_wrong_number_of_gradients():
    class TwoInputs(autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"function TwoInputsBackward returned an incorrect "
                                           r"number of gradients \(expected 2, got 1\)"):
        TwoInputs.apply(x, x).sum().backward()


def test_missing_backward_says_what_to_do():
    class NoBackward(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(MissingBackwardError, match="You must implement either the backward or "
                                                   "vjp method for your custom autograd.Function"):
        NoBackward.apply(x)[1].sum().backward()


def test_user_function_matches_pytorch(torch_oracle):
    torch = torch_oracle
    results = []
    for M in (autodidact, torch):
        class Softplus(M.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return (1 + x.exp()).log()

            @staticmethod
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return grad * x.sigmoid()

        x = M.tensor([-1.0, 0.5, 2.0], dtype=M.float64, requires_grad=True)
        y = Softplus.apply(x)
        g, = M.autograd.grad((y * y).sum(), x, create_graph=True)
        h, = M.autograd.grad(g.sum(), x)
        results.append((y.detach().numpy(), g.detach().numpy(), h.numpy(), y.grad_fn.name()))
    for ours, theirs in zip(*results):
        if isinstance(ours, str):
            assert ours == theirs
        else:
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)
