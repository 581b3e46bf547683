"""Every rule explains itself: each differentiable op carries its local derivative in words.

The walkthrough shows ``derivative`` beside each step; an op without one
would show nothing, so a new op without a text fails here, by name.
"""

import autodidact
from autodidact import ops
from autodidact.function import Function, swap_backward
from autodidact.scalar import DERIVATIVES, Scalar


def _functions_in_ops():
    found, stack = [], [Function]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith(ops.__name__):
                found.append(sub)
            stack.append(sub)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


def _is_differentiable(cls):
    return cls.backward is not Function.backward


def test_every_differentiable_op_has_a_derivative_beside_its_backward():
    functions = [cls for cls in _functions_in_ops() if _is_differentiable(cls)]
    assert len(functions) > 40
    # An op that writes its own backward writes its own text; one that
    # inherits the rule (SumDim from Sum) inherits the text with it.
    missing = [f"{cls.__module__}.{cls.__name__}" for cls in functions
               if "backward" in cls.__dict__ and "derivative" not in cls.__dict__]
    assert missing == []
    for cls in functions:
        text = cls.derivative
        assert isinstance(text, str) and "receive" in text and "\n" not in text, cls
        assert len(text) <= 160, cls   # at most two lines of the walkthrough's panel


def test_ops_without_a_backward_need_no_text():
    # floor_divide, comparisons: piecewise constant, with no rule (as in PyTorch)
    assert not _is_differentiable(ops.elementwise.FloorDivide)
    assert ops.elementwise.FloorDivide.derivative is None


def _every_scalar_op():
    a, b = Scalar(2.0), Scalar(0.5)
    return [a + b, a - b, a * b, a / b, a ** 3, -a, a.exp(), a.log(), a.tanh(), a.relu(),
            a.sigmoid()]


def test_every_scalar_op_has_a_derivative():
    results = _every_scalar_op()
    assert {r.op if not r.op.startswith("**") else "**" for r in results} == set(DERIVATIVES)
    for r in results:
        assert "receive" in r.derivative
    assert Scalar(1.0).derivative is None   # a leaf was made by no op
    assert "n·aⁿ⁻¹" in (Scalar(2.0) ** 2).derivative


def test_a_user_function_gets_a_text_naming_it():
    class Cube(autodidact.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2

    assert "Cube.backward" in Cube.derivative

    class Explained(Cube):
        derivative = "d(x³)/dx = 3x², so x receives grad × 3x²"

    assert Explained.derivative == "d(x³)/dx = 3x², so x receives grad × 3x²"


def test_a_swapped_rule_is_named_and_the_text_restored():
    before = ops.elementwise.Tanh.derivative

    def my_tanh_backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out * out)

    with swap_backward("tanh", my_tanh_backward):
        text = ops.elementwise.Tanh.derivative
    assert "tanh" in text and "my_tanh_backward" in text and "swap_backward" in text
    assert ops.elementwise.Tanh.derivative == before
    with swap_backward("sumdim", lambda ctx, grad: grad):
        assert "sum_dim" in ops.reduce.SumDim.derivative
    assert ops.reduce.SumDim.derivative == ops.reduce.Sum.derivative
    assert "derivative" not in ops.reduce.SumDim.__dict__
