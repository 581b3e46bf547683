"""The graph is recorded as PyTorch records it: node names, edge order, None edges, output numbers.

Tutorials print ``y.grad_fn`` and walk ``y.grad_fn.next_functions[0][0]``;
each construct below is built on both sides from the same numbers and the
two graphs are compared node by node, breadth first from the output. The
gradients must agree too: a graph of the right shape that computes the
wrong thing would be worse than one of the wrong shape.
"""

import numpy as np
import pytest

import autodidact
from autodidact.autograd import gradcheck


def structure(tensor):
    """The graph behind ``tensor`` as plain data: one (name, edges) row per node, breadth first.

    An edge is (child's row, output number), or None for an input that
    needs no gradient, so two graphs compare equal when their shape is
    the same, not merely their names.
    """
    root = tensor.grad_fn
    rows, index, queue = [], {id(root): 0}, [root]
    while queue:
        node = queue.pop(0)
        edges = []
        for child, output_nr in node.next_functions:
            if child is None:
                edges.append(None)
                continue
            if id(child) not in index:
                index[id(child)] = len(index)
                queue.append(child)
            edges.append((index[id(child)], output_nr))
        rows.append((type(node).__name__, edges))
    return rows


def _leaves(lib, shapes, requires_grad):
    rng = np.random.default_rng(len(shapes))
    out = []
    for shape, needs in zip(shapes, requires_grad):
        x = lib.tensor(rng.standard_normal(shape) + 2.0, dtype=lib.float64)
        out.append(x.requires_grad_(needs))
    return out


# Each construct: the leaves' shapes and a function of (lib, *leaves).
NUMBERS = {
    "2 * x": ([(3,)], lambda lib, x: 2 * x),
    "x * 2": ([(3,)], lambda lib, x: x * 2),
    "1 + x": ([(3,)], lambda lib, x: 1 + x),
    "x + 1": ([(3,)], lambda lib, x: x + 1),
    "4.2 - x": ([(3,)], lambda lib, x: 4.2 - x),
    "x - 1": ([(3,)], lambda lib, x: x - 1),
    "x / 2": ([(3,)], lambda lib, x: x / 2),
    "1 / x": ([(3,)], lambda lib, x: 1 / x),
    "2.5 / x": ([(3,)], lambda lib, x: 2.5 / x),
    "x ** 2": ([(3,)], lambda lib, x: x ** 2),
    "x.pow(3)": ([(3,)], lambda lib, x: x.pow(3)),
    "2 ** x": ([(3,)], lambda lib, x: 2 ** x),
    "x ** x": ([(3,)], lambda lib, x: x ** x),
    "x ** tensor": ([(3,)], lambda lib, x: x ** lib.tensor(2.0, dtype=lib.float64)),
    "(3 - 2 * x) ** 2": ([(3,)], lambda lib, x: ((3 - 2 * x) ** 2).sum()),
}

SPLITS = {
    "split(2)[2]": ([(5, 4)], lambda lib, x: x.split(2)[2]),
    "split([1, 4])[1]": ([(5, 4)], lambda lib, x: x.split([1, 4])[1]),
    "split((2, 3))[0]": ([(5, 4)], lambda lib, x: x.split((2, 3))[0]),
    "chunk(2)": ([(5, 4)], lambda lib, x: x.chunk(2)[1]),
    "chunk(3, dim=1)": ([(5, 4)], lambda lib, x: x.chunk(3, dim=1)[1]),
    "split(10)": ([(5, 4)], lambda lib, x: x.split(10)[0]),
    "two pieces used": ([(6,)], lambda lib, x: (lambda p: p[0] * p[2] + p[1])(x.split(2))),
    "pieces of a non-leaf": ([(6,)], lambda lib, x: (lambda p: p[2] - p[0])((x * 3).chunk(3))),
    "unbind": ([(3, 4)], lambda lib, x: (lambda r: r[0] * r[2])(x.unbind())),
    "unbind(1)": ([(3, 4)], lambda lib, x: x.unbind(1)[3]),
}

# matmul: every kind of operand PyTorch routes differently (dot, mv, mm, a
# folded batch, a transposed fold, bmm with broadcasting, a batch of one).
MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4)), ((2, 3), (5, 3, 4)),
    ((5, 2, 3), (5, 3, 4)), ((1, 5, 2, 3), (7, 1, 3, 4)), ((4, 5, 2, 3), (3,)),
    ((3,), (4, 5, 3, 2)), ((5, 2, 3), (1, 3, 4)), ((1, 2, 3), (5, 3, 4)),
    ((2, 5, 2, 3), (1, 3, 4)), ((0, 2, 3), (3, 4)),
]
MATMULS = {}
for _a, _b in MATMUL_SHAPES:
    for _needs in ((True, True), (True, False), (False, True)):
        MATMULS[f"{_a} @ {_b} {_needs}"] = ([_a, _b], lambda lib, a, b: a @ b, _needs)
# A batch whose axes are not in row-major order cannot be folded without a copy.
MATMULS["transposed batch @ matrix"] = (
    [(2, 5, 3), (3, 4)], lambda lib, a, b: a.transpose(0, 1) @ b, (True, False))
MATMULS["matrix @ transposed batch"] = (
    [(3, 5, 4), (2, 3)], lambda lib, a, b: b @ a.transpose(0, 1), (True, True))

# The named products record one node each, with no view chain around it.
MATMULS["bmm"] = ([(5, 2, 3), (5, 3, 4)], lambda lib, a, b: lib.bmm(a, b), (True, True))
MATMULS["bmm of a transpose"] = (
    [(5, 2, 3), (5, 2, 3)], lambda lib, a, b: a.bmm(b.transpose(1, 2)), (True, True))
MATMULS["mm"] = ([(2, 3), (3, 4)], lambda lib, a, b: lib.mm(a, b), (True, False))
MATMULS["dot"] = ([(3,), (3,)], lambda lib, a, b: lib.dot(a, b), (False, True))

CASES = {**{k: (shapes, fn, (True,) * len(shapes)) for k, (shapes, fn) in NUMBERS.items()},
         **{k: (shapes, fn, (True,) * len(shapes)) for k, (shapes, fn) in SPLITS.items()},
         **MATMULS}


@pytest.mark.parametrize("name", list(CASES))
def test_graph_matches_pytorch(name, torch_oracle):
    shapes, fn, needs = CASES[name]
    ours_in, theirs_in = _leaves(autodidact, shapes, needs), _leaves(torch_oracle, shapes, needs)
    ours, theirs = fn(autodidact, *ours_in), fn(torch_oracle, *theirs_in)
    assert structure(ours) == structure(theirs)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    # The same gradient flows back through both graphs.
    weights = np.linspace(-1, 1, max(ours.numel(), 1))[:ours.numel()].reshape(tuple(ours.shape))
    ours.backward(autodidact.tensor(weights))
    theirs.backward(torch_oracle.tensor(weights))
    for x, t in zip(ours_in, theirs_in):
        if t.grad is None:
            assert x.grad is None
        else:
            np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["4.2 - x", "2 ** x", "2.5 / x", "x.pow(3)", "two pieces used",
                                  "pieces of a non-leaf", "unbind", "(3, 4) @ (5, 3, 4) ...",
                                  "(5, 2, 3) @ (1, 3, 4) ...", "(1, 5, 2, 3) @ (7, 1, 3, 4) ..."])
def test_gradients_match_finite_differences(name):
    key = name.replace(" ...", " (True, True)").replace("(3, 4) @", "(3,) @")
    shapes, fn, _ = CASES[key]
    inputs = _leaves(autodidact, shapes, (True,) * len(shapes))
    assert gradcheck(lambda *xs: fn(autodidact, *xs), inputs)


def test_second_derivatives_through_split_and_matmul():
    x = autodidact.tensor([1.0, 2.0, 3.0, 4.0], dtype=autodidact.float64, requires_grad=True)
    m = autodidact.tensor(np.arange(8.0).reshape(1, 4, 2) / 4, requires_grad=True)

    def f(x, m):
        a, b = x.split(2)
        return ((a * b) ** 2).sum() + (x @ m).pow(2).sum()
    g, = autodidact.autograd.grad(f(x, m), x, create_graph=True)
    gg, = autodidact.autograd.grad(g.sum(), x)
    xt = x.detach().numpy()
    mt = m.detach().numpy()[0]
    # Hessian by hand: d²/dx² of (a b)² and of |x M|², summed over rows.
    a, b = xt[:2], xt[2:]
    h = np.zeros((4, 4))
    h[:2, :2] = np.diag(2 * b * b)
    h[2:, 2:] = np.diag(2 * a * a)
    h[:2, 2:] = h[2:, :2] = np.diag(4 * a * b)
    h += 2 * mt @ mt.T
    np.testing.assert_allclose(gg.numpy(), h.sum(axis=0))


def test_number_over_tensor_values_and_dtypes(torch_oracle):
    from torch_compare import same_exact
    for make in (lambda lib: 1 / lib.tensor([2, 4, 0]), lambda lib: 3 / lib.tensor([True, False]),
                 lambda lib: 1 / lib.tensor([3.0, 7.0, -0.0], dtype=lib.float16),
                 lambda lib: 10 / lib.tensor([3.0, 7.0, 11.0])):
        same_exact(make(autodidact), make(torch_oracle))


def test_split_outputs_are_views_numbered_in_order(torch_oracle):
    for lib in (autodidact, torch_oracle):
        x = lib.ones(6, 2, requires_grad=True)
        pieces = x.split(2)
        assert [p.output_nr for p in pieces] == [0, 1, 2]
        assert all(p.grad_fn is pieces[0].grad_fn for p in pieces)
        assert all(p._base is x for p in pieces)


def test_hooks_and_retain_grad_see_their_own_piece(torch_oracle):
    results = []
    for lib in (autodidact, torch_oracle):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
        a, b, c = w.split(2)
        seen = []
        b.register_hook(lambda g: seen.append(g.clone()) or g * 10)
        b.retain_grad()
        c.register_hook(seen.append)   # c gets no gradient: its hook is called with None
        ((a * 1).sum() + (b * b).sum()).backward()
        results.append((w.grad.tolist(), b.grad.tolist(),
                        [None if s is None else s.tolist() for s in seen]))
    assert results[0] == results[1]


def test_in_place_on_a_piece_is_refused_as_in_pytorch(torch_oracle):
    from torch_compare import run, same_error
    for make in (lambda lib: (lib.ones(4, 2, requires_grad=True) * 1).split(2)[1].add_(1),
                 lambda lib: (lib.ones(4, 2, requires_grad=True) * 1).unbind()[2].mul_(2),
                 lambda lib: lib.ones(4, 2, requires_grad=True).chunk(2)[1].zero_()):
        same_error(run(autodidact, make), run(torch_oracle, make))


def test_autograd_grad_with_respect_to_a_piece(torch_oracle):
    results = []
    for lib in (autodidact, torch_oracle):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        a, b = (x * 2).split(2)
        y = (a * b * b).sum()
        results.append([g.tolist() for g in lib.autograd.grad(y, [b, a])])
    assert results[0] == results[1]


def test_backward_from_a_piece(torch_oracle):
    results = []
    for lib in (autodidact, torch_oracle):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        pieces = (x * 2).split(2)
        pieces[1].backward(lib.tensor([1.0, 10.0]))
        results.append(x.grad.tolist())
    assert results[0] == results[1] == [0.0, 0.0, 2.0, 20.0]


def test_empty_unbind_and_split(torch_oracle):
    for lib in (autodidact, torch_oracle):
        e = lib.zeros(0, 3, requires_grad=True)
        assert e.unbind() == ()
        (piece,) = e.split(2)
        assert piece.shape == (0, 3) and type(piece.grad_fn).__name__ == "SplitBackward0"


def test_reshape_records_view_alias_or_copy(torch_oracle):
    for make in (lambda lib, x: x.reshape(12), lambda lib, x: x.t().reshape(4, 3),
                 lambda lib, x: x.t().reshape(-1), lambda lib, x: x[:, :2].reshape(3, 2),
                 lambda lib, x: x.unsqueeze(0).squeeze(0), lambda lib, x: x.unsqueeze(0).squeeze(),
                 lambda lib, x: x.unsqueeze(0).unsqueeze(2).squeeze((0, 2))):
        graphs = [structure(make(lib, lib.ones(3, 4, requires_grad=True)))
                  for lib in (autodidact, torch_oracle)]
        assert graphs[0] == graphs[1]


class _TwoOutputs(autodidact.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):          # g2 arrives as zeros: materialised on x's device
        return g1 * 2 + g2 * 3


def _device_program(device):
    x = autodidact.tensor([1.0, 2.0, 3.0, 4.0], dtype=autodidact.float64, device=device,
                          requires_grad=True)
    m = autodidact.tensor(np.arange(12.0).reshape(3, 2, 2) / 5, device=device, requires_grad=True)
    a, b = x.split(2)
    rows = m.unbind()
    y = (a * b).sum() + (a @ m).sum() + (rows[2] @ b).sum() + _TwoOutputs.apply(x)[0].sum()
    y.backward()
    jac = autodidact.autograd.functional.jacobian(lambda v: v @ m[0], b.detach())
    return [x.grad, m.grad, jac]


def test_new_graph_shapes_run_on_each_device(device):
    ours = _device_program(device)
    assert all(t.device.type == device for t in ours)
    for got, want in zip(ours, _device_program("cpu")):
        np.testing.assert_allclose(got.cpu().numpy(), want.numpy())
