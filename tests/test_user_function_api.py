"""autograd.Function beyond one output: each program runs on autodidact and on PyTorch alike.

Several outputs (one gradient each in backward), PyTorch 2's
setup_context, mark_non_differentiable, mark_dirty, set_materialize_grads
and once_differentiable. Every test records what it sees on both sides
(values, what backward received, names, output numbers, errors) and
compares the two records.
"""

import numpy as np
import pytest

import autodidact
from autodidact.autograd import gradcheck
from torch_compare import run, same_error


def _plain(value):
    """A record that compares equal across the two libraries."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "detach"):
        return ("tensor", str(value.dtype).split(".")[-1], value.detach().tolist())
    return type(value).__name__


def both(torch, program):
    """``program(lib, seen)`` on each library; returns the two records."""
    records = []
    for lib in (autodidact, torch):
        seen = []
        result = program(lib, seen)
        records.append(_plain([result, seen]))
    return records


def test_several_outputs_each_get_their_own_gradient(torch_oracle):
    def program(lib, seen):
        class Two(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.save_for_backward(x)
                return x * 2, x * 3, k, (x > 1.5).long()

            @staticmethod
            def backward(ctx, g1, g2, gk, gi):
                seen.append([g1, g2, gk, gi, ctx.needs_input_grad])
                return g1 * 2 + g2 * 3, None

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        a, b, k, i = Two.apply(x, 5)
        names = [type(a.grad_fn).__name__, a.grad_fn is b.grad_fn, a.output_nr, b.output_nr,
                 k, i.requires_grad, i.grad_fn, len(a.grad_fn.next_functions)]
        a.sum().backward()          # b, k and i get no gradient: zeros, None, zeros
        first = x.grad.clone()
        (a * b).sum().backward()
        return [names, first, x.grad]
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_set_materialize_grads_false_passes_none(torch_oracle):
    def program(lib, seen):
        class Pair(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x.clone(), x.clone()

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append([g1, g2])
                return g1 if g2 is None else g1 + g2

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        p, q = Pair.apply(x)
        (p * 3).sum().backward()
        return x.grad
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_mark_non_differentiable(torch_oracle):
    def program(lib, seen):
        class Mask(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                mask = (x > 1.5).to(x.dtype)
                ctx.mark_non_differentiable(mask)
                ctx.save_for_backward(mask)
                return x * mask, mask

            @staticmethod
            def backward(ctx, g, g_mask):
                seen.append(g_mask)
                mask, = ctx.saved_tensors
                return g * mask

        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y, mask = Mask.apply(x)
        facts = [mask.requires_grad, mask.grad_fn, mask.output_nr, y.output_nr]
        (y * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        return [facts, x.grad]
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_mark_dirty(torch_oracle):
    def program(lib, seen):
        class AddOne(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 1

        w = lib.tensor([1.0, 2.0], requires_grad=True)
        y = w * 2
        before = y._version
        z = AddOne.apply(y)
        facts = [z is y, type(y.grad_fn).__name__, y._version - before,
                 type(y.grad_fn.next_functions[0][0]).__name__, z]
        (z * z).sum().backward()
        return [facts, w.grad]
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_mark_dirty_errors(torch_oracle):
    def dirty_leaf(lib):
        class AddOne(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

        return AddOne.apply(lib.tensor([1.0], requires_grad=True))

    def not_returned(lib):
        class AddOne(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x * 2

        return AddOne.apply(lib.tensor([1.0], requires_grad=True) * 1)

    for program in (dirty_leaf, not_returned):
        same_error(run(autodidact, program), run(torch_oracle, program))


def test_setup_context_style(torch_oracle):
    def program(lib, seen):
        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(x, s):
                seen.append("forward without ctx")
                return x * s

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, s = inputs
                seen.append([ctx.needs_input_grad, lib.is_grad_enabled()])
                ctx.s = s
                ctx.save_for_backward(x, output)

            @staticmethod
            def backward(ctx, g):
                x, out = ctx.saved_tensors
                return g * ctx.s + out * 0, None

        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = Scale.apply(x, 3.0)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        return [type(y.grad_fn).__name__, g]
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_saved_outputs_keep_their_output_number(torch_oracle):
    def program(lib, seen):
        class SaveBoth(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                a, b = x * 2, x.exp()
                ctx.save_for_backward(a, b)
                return a, b

            @staticmethod
            def backward(ctx, ga, gb):
                a, b = ctx.saved_tensors
                seen.append([b.output_nr, type(b.grad_fn).__name__])
                return ga * 2 + gb * b

        x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
        a, b = SaveBoth.apply(x)
        (a + b).sum().backward()
        return x.grad
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


def test_once_differentiable(torch_oracle):
    def program(lib, seen):
        once = lib.autograd.function.once_differentiable

        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 2

            @staticmethod
            @once
            def backward(ctx, g):
                x, = ctx.saved_tensors
                seen.append([lib.is_grad_enabled(), g.requires_grad])
                return 2 * x * g

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        plain, = lib.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        g, = lib.autograd.grad((Square.apply(x) * x).sum(), x, create_graph=True)
        facts = [plain, plain.requires_grad, g, [type(n).__name__ for n, _ in g.grad_fn.next_functions]]
        try:
            g.sum().backward()
        except RuntimeError as error:
            facts.append(str(error))
        return facts
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs


class _Polar(autodidact.autograd.Function):
    """Two outputs from two inputs: r = sqrt(x² + y²), theta-ish = x * y."""

    @staticmethod
    def forward(ctx, x, y):
        r = (x * x + y * y).sqrt()
        ctx.save_for_backward(x, y, r)
        return r, x * y

    @staticmethod
    def backward(ctx, gr, gp):
        x, y, r = ctx.saved_tensors
        return gr * x / r + gp * y, gr * y / r + gp * x


def test_gradcheck_and_second_derivative_of_a_two_output_function():
    x = autodidact.tensor([0.5, -1.0, 2.0], dtype=autodidact.float64, requires_grad=True)
    y = autodidact.tensor([1.5, 0.25, -0.5], dtype=autodidact.float64, requires_grad=True)
    assert gradcheck(_Polar.apply, (x, y))
    assert gradcheck(lambda x, y: _Polar.apply(x, y)[1], (x, y))
    assert autodidact.autograd.gradgradcheck(_Polar.apply, (x, y))


def test_wrong_number_of_gradients_from_a_two_output_function():
    class Wrong(autodidact.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1, g2

    x = autodidact.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"function WrongBackward returned an incorrect number "
                                           r"of gradients \(expected 1, got 2\)"):
        Wrong.apply(x)[0].sum().backward()
    np.testing.assert_equal(x.grad, None)


def test_extra_trailing_nones_are_allowed_as_in_pytorch(torch_oracle):
    def program(lib, seen):
        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, factor=2.0):
                ctx.factor = factor
                return x * factor

            @staticmethod
            def backward(ctx, g):
                return g * ctx.factor, None, None   # one more than there were inputs

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        Scale.apply(x).sum().backward()
        return x.grad
    ours, theirs = both(torch_oracle, program)
    assert ours == theirs
