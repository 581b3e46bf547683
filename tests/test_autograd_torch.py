"""Autograd side by side with PyTorch: special points, higher derivatives, graphs, training.

Every test runs the same code on ``autodidact`` and on ``torch`` (the
``torch_oracle`` fixture; skipped where PyTorch 2.13 is missing) and
compares values, gradients and names. Literal expectations from the
reference (section 30 and friends) are checked too, so a test says what
the answer is, not only that both agree.
"""

import numpy as np
import pytest

import autodidact


def both(torch, fn):
    """fn(M) for autodidact and for torch, as NumPy (nested lists/tuples kept)."""
    def plain(value):
        if isinstance(value, (list, tuple)):
            return type(value)(plain(v) for v in value)
        if hasattr(value, "detach"):
            return value.detach().numpy(force=True) if value.__class__.__module__.startswith(
                "torch") else value.detach().numpy()
        return value
    return plain(fn(autodidact)), plain(fn(torch))


def assert_same(ours, theirs, rtol=1e-6, atol=1e-7):
    if isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b, rtol, atol)
    elif isinstance(theirs, np.ndarray):
        assert np.shape(ours) == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)
    else:
        assert ours == theirs


def grad_of(fn, values, dtype="float32"):
    """x -> fn(M, x).sum().backward(), returning (value, x.grad) for each framework."""
    def run(M):
        x = M.tensor(values, dtype=getattr(M, dtype), requires_grad=True)
        out = fn(M, x)
        out.sum().backward()
        return out, x.grad
    return run


# -------------------------------------------- section 30: special points

SPECIAL = [
    ("relu at 0", lambda M, x: M.relu(x), [0.0, -1.0, 2.0], [0.0, 0.0, 1.0]),
    ("abs at 0", lambda M, x: x.abs(), [0.0, -2.0, 3.0], [0.0, -1.0, 1.0]),
    ("clamp(min=0) at the bound", lambda M, x: x.clamp(min=0), [0.0, -1.0, 1.0], [1.0, 0.0, 1.0]),
    ("clamp(max=0) at the bound", lambda M, x: x.clamp(max=0), [0.0, -1.0, 1.0], [1.0, 1.0, 0.0]),
    ("clamp(-1, 1) at both bounds", lambda M, x: x.clamp(-1, 1), [-1.0, 1.0, 2.0], [1.0, 1.0, 0.0]),
    ("sqrt at 0", lambda M, x: x.sqrt(), [0.0, 4.0], [np.inf, 0.25]),
    ("pow 0.5 at 0", lambda M, x: x ** 0.5, [0.0, 4.0], [np.inf, 0.25]),
    ("log at 0", lambda M, x: M.log(x), [0.0, 2.0], [np.inf, 0.5]),
    ("max ties split evenly", lambda M, x: x.max(), [1.0, 3.0, 3.0, 2.0], [0.0, 0.5, 0.5, 0.0]),
    ("min without ties", lambda M, x: x.min(), [1.0, 3.0, 3.0, 2.0], [1.0, 0.0, 0.0, 0.0]),
    ("amax ties split evenly", lambda M, x: M.amax(x, 0), [1.0, 3.0, 3.0, 2.0], [0.0, 0.5, 0.5, 0.0]),
    ("max(dim) to the returned index", lambda M, x: x.max(dim=0).values, [1.0, 3.0, 3.0, 2.0],
     [0.0, 1.0, 0.0, 0.0]),
    ("max(dim, keepdim)", lambda M, x: x.max(0, keepdim=True).values, [1.0, 3.0, 3.0, 2.0],
     [0.0, 1.0, 0.0, 0.0]),
    ("maximum ties 0.5", lambda M, x: M.maximum(x, M.tensor([0.0, 3.0, 0.0, 2.0])),
     [1.0, 3.0, 3.0, 2.0], [1.0, 0.5, 1.0, 0.5]),
    ("minimum ties 0.5", lambda M, x: M.minimum(x, M.tensor([0.0, 3.0, 0.0, 2.0])),
     [1.0, 3.0, 3.0, 2.0], [0.0, 0.5, 0.0, 0.5]),
    ("prod with one zero", lambda M, x: x.prod(), [0.0, 2.0, 1.0, 3.0], [6.0, 0.0, 0.0, 0.0]),
    ("prod with two zeros", lambda M, x: x.prod(), [0.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]),
    ("std of equal values", lambda M, x: x.std(), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
    ("sign", lambda M, x: x.sign(), [0.0, -1.0, 2.0], [0.0, 0.0, 0.0]),
    ("round", lambda M, x: x.round(), [1.5, 2.5], [0.0, 0.0]),
    ("mean", lambda M, x: x.mean(), [1.0, 3.0, 3.0, 2.0], [0.25] * 4),
    ("where picks its branch", lambda M, x: M.where(x > 0, x * 2, x * 3), [-1.0, 0.0, 1.0],
     [3.0, 3.0, 2.0]),
]


@pytest.mark.parametrize("name, fn, values, expected", SPECIAL, ids=[s[0] for s in SPECIAL])
def test_gradient_at_special_points(name, fn, values, expected):
    x = autodidact.tensor(values, requires_grad=True)
    fn(autodidact, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.array(expected, dtype=np.float32))


@pytest.mark.parametrize("name, fn, values, expected", SPECIAL, ids=[s[0] for s in SPECIAL])
def test_gradient_at_special_points_matches_torch(name, fn, values, expected, torch_oracle):
    ours, theirs = both(torch_oracle, grad_of(fn, values))
    assert_same(ours, theirs, rtol=0, atol=0)


def test_max_and_min_along_a_dim_of_a_matrix(torch_oracle):
    rows = [[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]]

    def run(M):
        out = []
        for op in (lambda m: m.max(dim=1).values, lambda m: m.min(dim=1).values,
                   lambda m: M.amax(m, 1), lambda m: m.max(), lambda m: m.sum(dim=0),
                   lambda m: m.mean(dim=1, keepdim=True)):
            m = M.tensor(rows, requires_grad=True)
            op(m).sum().backward()
            out.append(m.grad)
        out.append(M.tensor(rows).max(dim=1).indices)
        return out
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)
    assert ours[0].tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    assert ours[3].tolist() == [[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]]


# ------------------------------------------------- second derivatives

@pytest.mark.parametrize("name", ["tanh", "exp", "sigmoid", "softmax", "log_softmax", "x^4"])
def test_second_derivatives_via_grad_twice(name, torch_oracle):
    fns = {
        "tanh": lambda M, x: x.tanh(),
        "exp": lambda M, x: x.exp(),
        "sigmoid": lambda M, x: x.sigmoid(),
        "softmax": lambda M, x: M.softmax(x, dim=-1),
        "log_softmax": lambda M, x: M.log_softmax(x, dim=0),
        "x^4": lambda M, x: x ** 4,
    }
    values = [[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]]
    weights = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]

    def run(M):
        x = M.tensor(values, dtype=M.float64, requires_grad=True)
        w = M.tensor(weights, dtype=M.float64)
        g, = M.autograd.grad((fns[name](M, x) * w).sum(), x, create_graph=True)
        h, = M.autograd.grad((g * w).sum(), x, create_graph=True)
        k, = M.autograd.grad(h.sum(), x)
        return g, h, k
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs, rtol=1e-10, atol=1e-12)


def test_x_to_the_fourth_matches_torch_through_backward(torch_oracle):
    def run(M):
        x = M.tensor(2.0, requires_grad=True)
        g, = M.autograd.grad(x ** 4, x, create_graph=True)
        h, = M.autograd.grad(g, x)
        return g, h
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)
    assert ours[1] == 48.0


# ------------------------------------------------- graph structure, names

def _structure(t):
    def walk(node):
        if node is None:
            return None
        return (type(node).__name__, [walk(child) for child, _ in node.next_functions])
    return walk(t.grad_fn)


GRAPHS = {
    "affine": lambda M, x, w: (x @ w + 1).relu().sum(),
    "reused": lambda M, x, w: (x * x + x).mean(),
    "reductions": lambda M, x, w: x.max() + x.sum(0).sum() + x.mean(),
    "max_dim": lambda M, x, w: x.max(1).values.exp().sum(),
    "softmax": lambda M, x, w: M.log_softmax(x, dim=1).sum(),
    "views": lambda M, x, w: x.view(6).reshape(3, 2).t().sum(),
    "mixed": lambda M, x, w: (M.tanh(x) / (x.sigmoid() + 1) - M.cat([x, x]).sum()).sum(),
    "indexing": lambda M, x, w: (x[0] * x[[1, 1]]).sum(),
    "constant": lambda M, x, w: (x * M.ones(2, 3)).sum(),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_grad_fn_names_and_next_functions_match_torch(name, torch_oracle):
    results = []
    for M in (autodidact, torch_oracle):
        x = M.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 0.5]], requires_grad=True)
        w = M.tensor([[1.0], [0.5], [-1.0]], requires_grad=True)
        results.append(_structure(GRAPHS[name](M, x, w)))
    assert results[0] == results[1]


def test_accumulate_grad_nodes_point_at_their_leaf(torch_oracle):
    for M in (autodidact, torch_oracle):
        x = M.ones(2, requires_grad=True)
        node = (x * 2).grad_fn.next_functions[0][0]
        assert type(node).__name__ == "AccumulateGrad" and node.variable is x
        assert node.next_functions == ()


# ------------------------------------------------------- engine behaviour

def test_accumulation_hooks_and_retain_grad_match_torch(torch_oracle):
    def run(M):
        x = M.tensor(2.0, requires_grad=True)
        out = []
        for f in (lambda: x ** 2, lambda: x ** 3, lambda: x * 5):
            f().backward()
            out.append(x.grad.clone())
        v = M.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        v.register_hook(lambda g: seen.append(g.clone()))
        y = v * 3
        y.retain_grad()
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        return out, seen, y.grad, v.grad
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)


def test_grad_and_backward_inputs_match_torch(torch_oracle):
    def run(M):
        x = M.tensor([1.0, 2.0], requires_grad=True)
        w = M.tensor([3.0, 4.0], requires_grad=True)
        y = x * 3
        loss = (y * w).sum() + (x * x).sum()
        gy, gw = M.autograd.grad(loss, [y, w], retain_graph=True)
        gx, = M.autograd.grad([loss, (x * 2).sum()], [x], retain_graph=True)
        loss.backward(inputs=[w])
        return gy, gw, gx, w.grad, x.grad is None
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)


def test_in_place_ops_and_setitem_on_non_leaves_match_torch(torch_oracle):
    def run(M):
        w = M.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w2 = w * 2
        w2.add_(1)
        w2.mul_(w)
        w2[0] = w[2] * 5
        w2[1:] *= 2
        w2.sum().backward()
        return w2, w.grad, type(w2.grad_fn).__name__ != "AccumulateGrad"
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)


def test_data_and_detach_semantics_match_torch(torch_oracle):
    def run(M):
        a = M.tensor([1.0, 2.0], requires_grad=True)
        s = a.sigmoid()
        s.data.zero_()                       # invisible to autograd
        s.sum().backward()
        x = M.tensor([1.0, 2.0], requires_grad=True)
        d, e = x.data, x.detach()
        d.add_(1)
        versions = [x._version, d._version]
        e.add_(1)
        versions += [x._version, e._version]
        return a.grad, x.detach().clone(), versions
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs)


# ----------------------------------------------------------- training

def test_seed_linear_model_trajectory_matches_torch(torch_oracle):
    def run(M, zero):
        w = M.autograd.Variable(M.Tensor([1.0]), requires_grad=True)
        history = []
        for epoch in range(10 if zero else 3):
            for x_val, y_val in zip([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]):
                y_pred = x_val * w
                l = (y_pred - y_val) * (y_pred - y_val)
                l.backward()
                history.append(w.grad.item())
                w.data = w.data - 0.01 * w.grad.data
                if zero:
                    w.grad.data.zero_()
            history.append(l.item())
        return np.array(history + [w.item()])
    for zero in (True, False):
        ours, theirs = run(autodidact, zero), run(torch_oracle, zero)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert run(autodidact, False)[-1] == pytest.approx(2.9257566928863525, rel=1e-6)


def test_small_mlp_training_matches_torch(torch_oracle):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((16, 3))
    target = rng.standard_normal((16, 2))
    init = [rng.standard_normal(s) * 0.5 for s in [(3, 8), (8,), (8, 2), (2,)]]

    def run(M):
        x, y = M.tensor(data), M.tensor(target)
        params = [M.tensor(p, requires_grad=True) for p in init]
        losses = []
        for _ in range(30):
            w1, b1, w2, b2 = params
            h = M.tanh(x @ w1 + b1)
            out = M.log_softmax(h @ w2 + b2, dim=1) + (h.relu() ** 2).mean()
            loss = ((out - y) ** 2).mean() + 0.01 * sum((p * p).sum() for p in params)
            loss.backward()
            with M.no_grad():
                for p in params:
                    p -= 0.1 * p.grad
                    p.grad = None
            losses.append(loss.item())
        return np.array(losses), [p.detach().numpy() for p in params]
    ours, theirs = run(autodidact), run(torch_oracle)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-10)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert ours[0][-1] < ours[0][0]


# --------------------------------------------------------------- dtypes

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_gradients_keep_the_leaf_dtype(dtype, torch_oracle):
    def run(M):
        x = M.tensor([0.5, 1.5], dtype=getattr(M, dtype), requires_grad=True)
        y = M.tensor([2.0, 3.0], dtype=M.float64)
        (x * y).sum().backward()             # x is promoted to float64 on the way
        z = M.tensor([1.0, 2.0], requires_grad=True)
        (z.to(getattr(M, dtype)) * 3).sum().backward()
        return str(x.grad.dtype).split(".")[-1], x.grad, str(z.grad.dtype).split(".")[-1], z.grad
    ours, theirs = both(torch_oracle, run)
    assert_same(ours, theirs, rtol=1e-3)
    assert ours[0] == dtype and ours[2] == "float32"
