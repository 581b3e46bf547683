"""The ops a tutorial reaches for after the basics, beyond the gradcheck and differential tables.

* the graph each op records is PyTorch's, node by node: ``grad_fn`` names, edge order,
  ``None`` edges and output numbers, down to the leaves;
* sorting ops with ties: indices point at equal values (PyTorch documents which index
  only for ``stable=True`` and the lower median, compared in the differential table);
* every derivative rule says what its local derivative is, in words;
* ``autodidact.linalg`` is the public module (not the matmul rules in ``ops/linalg.py``);
* NumPy's spellings, f-strings, ``type(t)``; the new ops on every device.
"""

import inspect
import pickle
import sys

import numpy as np
import pytest

import autodidact
from autodidact.function import Function

RNG = np.random.default_rng(12)
X = RNG.standard_normal((3, 4))
Y = RNG.standard_normal((3, 4))
SQ = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
V = RNG.standard_normal(3)
W = RNG.standard_normal(4)
INDEX = [[0, 3], [2, 2], [1, 0]]


def structure(node, seen=None):
    """A node as (name, [(child structure, output number), ...]); leaves as 'AccumulateGrad'."""
    if node is None:
        return None
    name = type(node).__name__
    if name == "AccumulateGrad":
        return name
    return (name, [(structure(child), number) for child, number in node.next_functions])


GRAPHS = {
    "cumsum": lambda M, x, y: x.cumsum(1),
    "cumprod": lambda M, x, y: M.cumprod(x, 0),
    "logsumexp": lambda M, x, y: x.logsumexp(1),
    "sort": lambda M, x, y: x.sort(1)[0],
    "argsort + take_along_dim": lambda M, x, y: M.take_along_dim(x, x.argsort(1), 1),
    "topk": lambda M, x, y: x.topk(2).values,
    "kthvalue": lambda M, x, y: x.kthvalue(2, 0).values,
    "median": lambda M, x, y: x.median(),
    "median dim": lambda M, x, y: x.median(1).values,
    "mode": lambda M, x, y: x.mode(0).values,
    "mv": lambda M, x, y: M.mv(x.t(), M.tensor(V)),
    "outer": lambda M, x, y: M.outer(x[0], y[1]),
    "addmm": lambda M, x, y: M.addmm(x[0], x.t(), y),
    "addmm constant input": lambda M, x, y: M.addmm(M.ones(4, dtype=x.dtype), x.t(), y),
    "tensordot": lambda M, x, y: M.tensordot(x, y, ([0, 1], [0, 1])),
    "tril": lambda M, x, y: x.tril(),
    "triu": lambda M, x, y: M.triu(x, 1),
    "diag of a matrix": lambda M, x, y: x.diag(),
    "diag of a vector": lambda M, x, y: M.diag(x[0], 1),
    "diagonal": lambda M, x, y: x.diagonal(),
    "trace": lambda M, x, y: x.trace(),
    "gather": lambda M, x, y: x.gather(1, M.tensor(INDEX)),
    "scatter": lambda M, x, y: x.scatter(1, M.tensor(INDEX), y[:, :2]),
    "scatter value": lambda M, x, y: x.scatter(1, M.tensor(INDEX), 0.5),
    "scatter_add": lambda M, x, y: x.scatter_add(1, M.tensor(INDEX), y[:, :2]),
    "masked_fill": lambda M, x, y: x.masked_fill(y > 0, 1.0),
    "masked_select": lambda M, x, y: x.masked_select(y > 0),
    "masked_fill tensor value": lambda M, x, y: x.masked_fill(y > 0, y.sum()),
    "clamp_min": lambda M, x, y: x.clamp_min(0.0),
    "clamp_max tensor": lambda M, x, y: x.clamp_max(y),
    "lerp": lambda M, x, y: M.lerp(x, y, 0.5),
    "lerp tensor weight": lambda M, x, y: x.lerp(y, x.sigmoid()),
    "atan2 hypot": lambda M, x, y: M.atan2(x, y) + M.hypot(x, y),
    "log1p expm1 log2 log10": lambda M, x, y: x.abs().log1p().expm1().log2().log10(),
    "erf floor ceil frac": lambda M, x, y: x.erf() + x.floor() + x.ceil() + x.frac(),
    "reciprocal rsqrt": lambda M, x, y: x.reciprocal() * x.abs().rsqrt(),
    "norm": lambda M, x, y: x.norm(),
    "norm p dim": lambda M, x, y: x.norm(1, dim=0),
    "dist": lambda M, x, y: M.dist(x, y),
    "vector_norm": lambda M, x, y: M.linalg.vector_norm(x, float("inf")),
    "matrix_norm": lambda M, x, y: M.linalg.matrix_norm(x),
    "matrix_norm 1": lambda M, x, y: M.linalg.matrix_norm(x, 1),
    "linalg.norm": lambda M, x, y: M.linalg.norm(x[0]),
    "inv det solve": lambda M, x, y: (M.linalg.inv(x[:, :3]) + M.linalg.det(x[:, :3])
                                      + M.linalg.solve(x[:, :3], y[:, 0])),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_records_pytorchs_graph(torch_oracle, name):
    build = GRAPHS[name]
    ours = build(autodidact, autodidact.tensor(X, requires_grad=True), autodidact.tensor(Y, requires_grad=True))
    theirs = build(torch_oracle, torch_oracle.tensor(X, requires_grad=True),
                   torch_oracle.tensor(Y, requires_grad=True))
    assert structure(ours.grad_fn) == structure(theirs.grad_fn)


EINSUMS = [("ij,jk->ik", [(3, 4), (4, 2)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
           ("i,i->", [(3,), (3,)]), ("i,j->ij", [(3,), (2,)]), ("ij->ji", [(3, 4)]),
           ("ii->i", [(3, 3)]), ("ii->", [(3, 3)]), ("ij->", [(3, 4)]),
           ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 2)]), ("ij,jk", [(3, 4), (4, 2)]),
           ("i,ij,j->", [(3,), (3, 4), (4,)]), ("bij,jk->bik", [(2, 3, 4), (4, 2)]),
           ("bii->b", [(2, 3, 3)]), ("i,j->", [(3,), (2,)]), ("ij,ij->i", [(3, 4), (3, 4)]),
           ("ijk->kji", [(2, 3, 4)]), ("i,j,k->ijk", [(3,), (2,), (2,)])]


@pytest.mark.parametrize("equation, shapes", EINSUMS, ids=[e for e, _ in EINSUMS])
def test_einsum_records_pytorchs_graph(torch_oracle, equation, shapes):
    arrays = [RNG.standard_normal(s) for s in shapes]
    ours = autodidact.einsum(equation, *[autodidact.tensor(a, requires_grad=True) for a in arrays])
    theirs = torch_oracle.einsum(equation, *[torch_oracle.tensor(a, requires_grad=True)
                                             for a in arrays])
    assert structure(ours.grad_fn) == structure(theirs.grad_fn)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)


# ------------------------------------------------------------------- ties

TIED = np.array([[2.0, 1.0, 2.0, 1.0, 3.0], [0.0, 0.0, 0.0, 5.0, 5.0]])


@pytest.mark.parametrize("pick", [
    lambda t: t.sort(1), lambda t: t.sort(1, descending=True), lambda t: t.topk(3),
    lambda t: t.topk(2, largest=False), lambda t: t.kthvalue(2, 1), lambda t: t.median(1),
    lambda t: t.mode(1), lambda t: t.max(1), lambda t: t.kthvalue(1, 0, keepdim=True),
], ids=["sort", "sort descending", "topk", "topk smallest", "kthvalue", "median", "mode", "max",
        "kthvalue dim0"])
def test_with_ties_the_indices_point_at_equal_values(pick, torch_oracle):
    values, indices = pick(autodidact.tensor(TIED))
    dim = 0 if indices.shape and indices.shape[0] == 1 and TIED.shape[0] != 1 else 1
    picked = np.take_along_axis(TIED, indices.numpy().reshape(
        values.shape if values.dim() == 2 else (-1, 1) if dim == 1 else (1, -1)), axis=dim)
    np.testing.assert_array_equal(picked.reshape(values.shape), values.numpy())
    expected = pick(torch_oracle.tensor(TIED)).values.numpy()
    np.testing.assert_array_equal(values.numpy(), expected)


# ------------------------------------------------------- derivative texts

NEW_RULE_MODULES = ["math", "scan", "gather", "sort", "matrix", "contract", "norms", "solve"]


def _rules():
    modules = [sys.modules[f"autodidact.ops.{name}"] for name in NEW_RULE_MODULES]
    found = []
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Function) and cls.__module__ == module.__name__ \
                    and "backward" in {k for c in cls.__mro__[:-2] for k in c.__dict__}:
                found.append(cls)
    return found


def test_every_new_rule_says_its_derivative_in_words():
    rules = _rules()
    assert len(rules) > 40
    for cls in rules:
        text = cls.__dict__.get("derivative")   # its own words, not its parent's
        assert isinstance(text, str) and len(text) > 20 and "\n" not in text, cls.__name__


# ------------------------------------------------------------------ linalg

def test_autodidact_linalg_is_the_public_module():
    import autodidact.linalg as linalg
    assert autodidact.linalg is linalg is sys.modules["autodidact.linalg"]
    assert set(linalg.__all__) >= {"norm", "vector_norm", "matrix_norm", "inv", "det", "solve"}
    assert autodidact.linalg is not autodidact.ops.linalg
    for internal in ("elementwise", "reduce", "shape", "index", "inplace", "layers"):
        assert not hasattr(autodidact, internal), internal


def test_a_singular_matrix_says_so():
    with pytest.raises(autodidact.linalg.LinAlgError, match="linalg.inv: .*singular"):
        autodidact.linalg.inv(autodidact.zeros(2, 2))
    with pytest.raises(RuntimeError, match="solve: The solver failed because the input matrix "
                                           "is singular"):
        autodidact.linalg.solve(autodidact.zeros(2, 2), autodidact.ones(2))


def test_matrix_norms_that_need_singular_values_say_so():
    with pytest.raises(NotImplementedError, match="ord='nuc' needs singular values"):
        autodidact.linalg.matrix_norm(autodidact.ones(2, 2), "nuc")
    with pytest.raises(NotImplementedError, match="singular values"):
        autodidact.ones(2, 2).norm("nuc")


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ix", [(2, 2), (2, 2)]), ("ij", [(2, 2), (2, 2)]), ("i,j->ii", [(2,), (2,)]),
    ("i1->i", [(2,)]), ("ij,jk->ik", [(2, 3), (2, 3)]), ("ijk->i", [(2, 2)]),
])
def test_an_einsum_it_cannot_do_names_the_equation(equation, shapes):
    with pytest.raises(RuntimeError, match=f"einsum\\(\\): .*\\(equation '{equation}'\\)"):
        autodidact.einsum(equation, *[autodidact.ones(*s) for s in shapes])


# -------------------------------------------------- f-strings and type()

def test_type_prints_autodidact_tensor_and_the_rest_still_works():
    t = autodidact.ones(2, requires_grad=True)
    assert str(type(t)) == "<class 'autodidact.Tensor'>"
    assert autodidact.Tensor.__module__ == "autodidact"
    assert isinstance(t, autodidact.Tensor) and isinstance(t.detach(), autodidact.FloatTensor)
    assert pickle.loads(pickle.dumps(autodidact.Tensor)) is autodidact.Tensor
    back = pickle.loads(pickle.dumps(t))
    assert back.requires_grad and back.tolist() == [1.0, 1.0]
    p = autodidact.nn.Parameter(autodidact.ones(1))
    assert isinstance(p, autodidact.Tensor) and type(p).__name__ == "Parameter"


def test_a_0d_tensor_formats_as_its_number():
    assert f"{autodidact.tensor(2.5)}" == "2.5"
    assert f"loss {autodidact.tensor(0.123456):.4f}" == "loss 0.1235"
    assert f"{autodidact.tensor(7):>4}" == "   7"
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        f"{autodidact.ones(2):.2f}"


def test_a_range_reads_and_writes_like_a_list():
    x = autodidact.arange(10.0, requires_grad=True)
    y = x * 1
    y[range(0, 10, 3)] = 0.0
    y[range(1, 3)].sum().backward()
    assert x.grad.tolist() == [0, 1, 1] + [0] * 7
    assert y.tolist()[:4] == [0.0, 1.0, 2.0, 0.0]


# ------------------------------------------------------------ on a device

DEVICE_CASES = {
    "cumsum": lambda M, x: x.cumsum(1) * x.cumprod(0),
    "logsumexp": lambda M, x: x.logsumexp(0),
    "sort": lambda M, x: x.sort(1).values + x.topk(4, 1).values,
    "median kthvalue mode": lambda M, x: x.median(0).values + x.kthvalue(2, 0).values
    + x.mode(0).values + x.median(),
    "gather scatter": lambda M, x: x.gather(1, M.tensor(INDEX, device=x.device)).sum()
    + x.scatter_add(1, M.tensor(INDEX, device=x.device), x[:, :2]).sum(),
    "masked": lambda M, x: x.masked_fill(x > 0, 0.0).sum() + x.masked_select(x > 0).sum(),
    "math": lambda M, x: (x.erf() + x.abs().log1p() + x.expm1() + M.atan2(x, x + 1)
                          + M.lerp(x, x * 2, 0.3) + x.clamp_min(0.1) + x.frac()),
    "matrices": lambda M, x: x.tril().sum() + x.diag().sum() + x[:, :3].trace()
    + M.einsum("ij,kj->ik", x, x).sum() + M.addmm(x[0], x.t(), x).sum(),
    "linalg": lambda M, x: x.norm() + M.linalg.inv(x[:, :3]).sum() + M.linalg.det(x[:, :3])
    + M.linalg.solve(x[:, :3], x[:, 3]).sum() + M.dist(x, x * 2, 1),
    "counting": lambda M, x: M.unique(M.tensor([3, 1, 3], device=x.device), return_counts=True)[1]
    .sum() + M.bincount(M.tensor([0, 2, 2], device=x.device)).sum() + M.histc(x, 4).sum(),
}


@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_new_ops_run_on_the_device(device, name):
    fn = DEVICE_CASES[name]
    on_cpu = autodidact.tensor(X, requires_grad=True)
    here = autodidact.tensor(X, device=device, requires_grad=True)
    expected, result = fn(autodidact, on_cpu), fn(autodidact, here)
    assert result.device.type == device
    np.testing.assert_allclose(result.detach().cpu().numpy(), expected.detach().numpy(), rtol=1e-10)
    if result.requires_grad:
        expected.sum().backward()
        result.sum().backward()
        assert here.grad.device.type == device
        np.testing.assert_allclose(here.grad.cpu().numpy(), on_cpu.grad.numpy(), rtol=1e-10)


def test_one_hot_and_new_ones_stay_on_the_device(device):
    labels = autodidact.tensor([0, 2], device=device)
    assert autodidact.nn.functional.one_hot(labels, 3).device.type == device
    assert labels.new_ones(2).device.type == device
    assert labels.new_full((1,), 5).tolist() == [5]
