"""Where do PyTorch and autodidact disagree on the version counter?

For each op of a table, and each of its inputs and its output, the search
runs ``out = op(x...)``, changes that tensor in place (``add_``, ``mul_``,
``t[0] = ...``), and calls backward, on PyTorch 2.13 and on autodidact. It
prints every graph where one raises PyTorch's "modified by an inplace
operation" error and the other does not; where only PyTorch raises, it
checks autodidact's gradient against the right one (PyTorch's, with the
op given untouched copies).

    PYTHONPATH=. python scripts/version_counter_search.py [op ...]

Each mismatch is either kept on purpose (autodidact saves less, its
gradient is right: listed in ops/inplace.py and checked in
tests/test_small_differences.py) or a rule to fix (it saved what its
backward never reads). Ops missing on one side are skipped.
"""

import sys

import numpy as np
import torch
import torch.nn.functional as tF

import autodidact as ad
import autodidact.nn.functional as adF

VERSION_ERROR = "modified by an inplace operation"
rng = np.random.default_rng(0)
A = rng.uniform(0.5, 2.0, (2, 3))
B = rng.uniform(0.5, 2.0, (2, 3))
C = rng.uniform(0.5, 2.0, (3, 2))
INPUTS = {1: [A], 2: [A, B], 3: [A, C]}   # arity 3: a matrix product's (2, 3) and (3, 2)


def F(m):
    return tF if m is torch else adF


OPS = {
 "exp": (1, lambda m, a: a.exp()), "log": (1, lambda m, a: a.log()), "sqrt": (1, lambda m, a: a.sqrt()),
 "sin": (1, lambda m, a: a.sin()), "cos": (1, lambda m, a: a.cos()), "tanh": (1, lambda m, a: a.tanh()),
 "sigmoid": (1, lambda m, a: a.sigmoid()), "relu": (1, lambda m, a: a.relu()), "abs": (1, lambda m, a: a.abs()),
 "neg": (1, lambda m, a: -a), "pow2": (1, lambda m, a: a ** 2), "pow0.5": (1, lambda m, a: a ** 0.5),
 "square": (1, lambda m, a: a.square()), "reciprocal": (1, lambda m, a: a.reciprocal()),
 "rsqrt": (1, lambda m, a: a.rsqrt()), "log1p": (1, lambda m, a: a.log1p()), "expm1": (1, lambda m, a: a.expm1()),
 "erf": (1, lambda m, a: m.erf(a)), "clamp": (1, lambda m, a: a.clamp(0.7, 1.5)),
 "softmax": (1, lambda m, a: a.softmax(1)), "log_softmax": (1, lambda m, a: a.log_softmax(1)),
 "gelu": (1, lambda m, a: F(m).gelu(a)), "silu": (1, lambda m, a: F(m).silu(a)),
 "leaky_relu": (1, lambda m, a: F(m).leaky_relu(a, 0.1)), "elu": (1, lambda m, a: F(m).elu(a)),
 "softplus": (1, lambda m, a: F(m).softplus(a)), "mul_scalar": (1, lambda m, a: a * 3), "div_scalar": (1, lambda m, a: a / 3),
 "rdiv": (1, lambda m, a: 2 / a), "rpow": (1, lambda m, a: 2 ** a),
 "add": (2, lambda m, a, b: a + b), "sub": (2, lambda m, a, b: a - b), "mul": (2, lambda m, a, b: a * b),
 "div": (2, lambda m, a, b: a / b), "pow": (2, lambda m, a, b: a ** b), "maximum": (2, lambda m, a, b: m.maximum(a, b)),
 "minimum": (2, lambda m, a, b: m.minimum(a, b)), "atan2": (2, lambda m, a, b: m.atan2(a, b)),
 "hypot": (2, lambda m, a, b: m.hypot(a, b)),
 "lerp": (2, lambda m, a, b: m.lerp(a, b, 0.3)),
 "where": (2, lambda m, a, b: m.where(a > 1, a, b)),
 "matmul": (3, lambda m, a, c: a @ c), "mm": (3, lambda m, a, c: m.mm(a, c)),
 "linear": (3, lambda m, a, c: F(m).linear(a, c.T)),
 "sum": (1, lambda m, a: a.sum()), "mean": (1, lambda m, a: a.mean()), "prod": (1, lambda m, a: a.prod()),
 "prod_dim": (1, lambda m, a: a.prod(1)), "max": (1, lambda m, a: a.max()), "max_dim": (1, lambda m, a: a.max(1)[0]),
 "min": (1, lambda m, a: a.min()), "amax": (1, lambda m, a: a.amax(1)), "norm": (1, lambda m, a: a.norm()),
 "var": (1, lambda m, a: a.var()), "std": (1, lambda m, a: a.std()), "logsumexp": (1, lambda m, a: a.logsumexp(1)),
 "cumsum": (1, lambda m, a: a.cumsum(1)), "cumprod": (1, lambda m, a: a.cumprod(1)),
 "sort": (1, lambda m, a: a.sort(1)[0]), "topk": (1, lambda m, a: a.topk(2)[0]),
 "index": (1, lambda m, a: a[[0, 1, 1]]), "gather": (1, lambda m, a: a.gather(1, m.tensor([[0, 2], [1, 1]]))),
 "mse": (2, lambda m, a, b: F(m).mse_loss(a, b)), "l1": (2, lambda m, a, b: F(m).l1_loss(a, b)),
 "bce": (2, lambda m, a, b: F(m).binary_cross_entropy(a.sigmoid(), b / 3)),
 "cross_entropy": (1, lambda m, a: F(m).cross_entropy(a, m.tensor([0, 2]))),
 "layer_norm": (1, lambda m, a: F(m).layer_norm(a, (3,))),
 "normalize": (1, lambda m, a: F(m).normalize(a, dim=1)),
 "dropout_eval": (1, lambda m, a: F(m).dropout(a, 0.5, training=False)),
 "t": (1, lambda m, a: a.t().contiguous() * 1), "expand_mul": (2, lambda m, a, b: a[:1] * b),
 "einsum": (3, lambda m, a, c: m.einsum("ij,jk->ik", a, c)),
 "outer": (2, lambda m, a, b: m.outer(a[0], b[0])), "dot": (2, lambda m, a, b: m.dot(a[0], b[0])),
 "addmm": (3, lambda m, a, c: m.addmm(m.ones(2, 2, dtype=a.dtype), a, c)),
 "baddbmm": (3, lambda m, a, c: m.bmm(a[None], c[None])),
 "tril": (1, lambda m, a: a.tril()), "flip": (1, lambda m, a: a.flip(1)), "cat": (2, lambda m, a, b: m.cat([a, b])),
 "stack": (2, lambda m, a, b: m.stack([a, b])), "sigmoid_mul": (2, lambda m, a, b: a.sigmoid() * b),
 "masked_fill": (1, lambda m, a: a.masked_fill(a > 1, 0.)),
 "clamp_min": (1, lambda m, a: a.clamp_min(1.)), "sign": (1, lambda m, a: a.sign()),
 "sinh": (1, lambda m, a: m.sinh(a)), "cosh": (1, lambda m, a: m.cosh(a)), "tan": (1, lambda m, a: m.tan(a)),
 "asin": (1, lambda m, a: m.asin(a / 3)), "atan": (1, lambda m, a: m.atan(a)),
 "log2": (1, lambda m, a: m.log2(a)), "hardtanh": (1, lambda m, a: F(m).hardtanh(a)),
 "logsigmoid": (1, lambda m, a: F(m).logsigmoid(a)), "softsign": (1, lambda m, a: F(m).softsign(a)),
 "mish": (1, lambda m, a: F(m).mish(a)), "relu6": (1, lambda m, a: F(m).relu6(a)),
}

OPS.update({
 "softmax_in": (1, lambda m, a: a.softmax(1) * 1), "log_softmax2": (1, lambda m, a: F(m).log_softmax(a, 0)),
 "sum_dim": (1, lambda m, a: a.sum(1)), "mean_dim": (1, lambda m, a: a.mean(0)), "var_dim": (1, lambda m, a: a.var(1)),
 "std_dim": (1, lambda m, a: a.std(0)), "norm_dim": (1, lambda m, a: a.norm(dim=1)), "min_dim": (1, lambda m, a: a.min(1)[0]),
 "index_select": (1, lambda m, a: a.index_select(1, m.tensor([0, 2]))), "masked_select": (1, lambda m, a: a.masked_select(a > 1)),
 "narrow_mul": (2, lambda m, a, b: a.narrow(1, 0, 2) * b.narrow(1, 1, 2)), "select_mul": (2, lambda m, a, b: a[0] * b[1]),
 "view_mul": (2, lambda m, a, b: a.view(3, 2) * b.view(3, 2)), "expand_mul2": (2, lambda m, a, b: a.sum(0).expand(2, 3) * b),
 "sq_sum": (1, lambda m, a: (a * a).sum()), "cube": (1, lambda m, a: a ** 3), "powt": (2, lambda m, a, b: a ** b),
 "logaddexp": (2, lambda m, a, b: m.logaddexp(a, b)), "xlogy": (2, lambda m, a, b: m.xlogy(a, b)),
 "addcmul": (2, lambda m, a, b: m.addcmul(a, a, b)), "rsub": (1, lambda m, a: 1 - a),
 "smooth_l1": (2, lambda m, a, b: F(m).smooth_l1_loss(a, b)), "huber": (2, lambda m, a, b: F(m).huber_loss(a, b)),
 "kl_div": (2, lambda m, a, b: F(m).kl_div(a.log(), b / 3, reduction="sum")),
 "nll": (1, lambda m, a: F(m).nll_loss(a.log_softmax(1), m.tensor([0, 2]))),
 "bce_logits": (2, lambda m, a, b: F(m).binary_cross_entropy_with_logits(a, b / 3)),
 "embedding": (1, lambda m, a: F(m).embedding(m.tensor([0, 1, 1]), a)),
 "cosine": (2, lambda m, a, b: F(m).cosine_similarity(a, b)), "pad": (1, lambda m, a: F(m).pad(a, (1, 1)) * 1),
 "trace": (1, lambda m, a: a[:, :2].trace()), "diag": (1, lambda m, a: a[:, :2].diagonal() * 1),
 "repeat": (1, lambda m, a: a.repeat(2, 1)), "roll": (1, lambda m, a: a.roll(1, 1)),
 "cummax": (1, lambda m, a: a.cummax(1)[0]), "logcumsumexp": (1, lambda m, a: a.logcumsumexp(1)),
 "sigmoid_out": (1, lambda m, a: F(m).sigmoid(a)), "tanh_f": (1, lambda m, a: F(m).tanh(a)),
 "softmin": (1, lambda m, a: F(m).softmin(a, 1)), "glu": (1, lambda m, a: F(m).glu(m.cat([a, a], 1), 1)),
 "selu": (1, lambda m, a: F(m).selu(a)), "celu": (1, lambda m, a: F(m).celu(a)), "hardswish": (1, lambda m, a: F(m).hardswish(a)),
 "hardsigmoid": (1, lambda m, a: F(m).hardsigmoid(a)), "softshrink": (1, lambda m, a: F(m).softshrink(a, 0.9)),
 "prelu": (1, lambda m, a: F(m).prelu(a, m.tensor([0.25]))), "group_norm": (1, lambda m, a: F(m).group_norm(a, 1)),
 "batch_norm": (1, lambda m, a: F(m).batch_norm(a, None, None, training=True)),
 "dist": (2, lambda m, a, b: m.dist(a, b)), "cdist": (2, lambda m, a, b: m.cdist(a, b)),
 "frac": (1, lambda m, a: a.frac()), "remainder": (1, lambda m, a: a.remainder(0.7)), "fmod": (1, lambda m, a: a.fmod(0.7)),
 "floor": (1, lambda m, a: a.floor()), "round": (1, lambda m, a: a.round()),
 "addmv": (3, lambda m, a, c: m.mv(a, c[:, 0])), "kron": (2, lambda m, a, b: m.kron(a, b)),
 "det": (1, lambda m, a: m.linalg.det(a[:, :2] + m.eye(2, dtype=a.dtype))),
 "inv": (1, lambda m, a: m.linalg.inv(a[:, :2] + m.eye(2, dtype=a.dtype))),
 "solve": (1, lambda m, a: m.linalg.solve(a[:, :2] + m.eye(2, dtype=a.dtype), a[:, 2:])),
 "cholesky": (1, lambda m, a: m.linalg.cholesky(a[:, :2] @ a[:, :2].T + m.eye(2, dtype=a.dtype))),
 "qr": (1, lambda m, a: m.linalg.qr(a)[1]), "svdvals": (1, lambda m, a: m.linalg.svdvals(a)),
 "eigh": (1, lambda m, a: m.linalg.eigh(a[:, :2] @ a[:, :2].T)[0]), "vector_norm": (1, lambda m, a: m.linalg.vector_norm(a, 3)),
 "matrix_norm": (1, lambda m, a: m.linalg.matrix_norm(a)), "lstsq": (1, lambda m, a: m.linalg.pinv(a)),
 "unfold": (1, lambda m, a: a.unfold(1, 2, 1) * 1), "take_along": (1, lambda m, a: m.take_along_dim(a, m.tensor([[0], [1]]), 1)),
 "scatter": (2, lambda m, a, b: a.scatter(1, m.tensor([[0], [1]]), b[:, :1])),
 "scatter_add": (2, lambda m, a, b: a.scatter_add(1, m.tensor([[0], [1]]), b[:, :1])),
 "index_add": (2, lambda m, a, b: a.index_add(1, m.tensor([0]), b[:, :1])),
 "where_cond_out": (1, lambda m, a: m.where(a > 1, a * a, a)),
 "sigmoid_then_view": (1, lambda m, a: a.sigmoid().view(-1)),
})


CHANGES = {"add_": lambda t: t.add_(1), "mul_": lambda t: t.mul_(2),
           "setitem": lambda t: t.__setitem__(0, 0.5)}


def gradients(m, name, where, change, needs, isolate=False):
    """Leaf gradients after ``op``, then ``change`` of input ``where`` (or "out"), then backward.

    ``isolate``: the op sees copies of its inputs and its output is copied
    before the change, so nothing it saved is touched (the right gradient).
    """
    arity, op = OPS[name]
    leaves = [m.tensor(x.copy(), requires_grad=n) for x, n in zip(INPUTS[arity], needs)]
    xs = [leaf.clone() for leaf in leaves]   # non-leaf inputs that save nothing themselves
    out = op(m, *([x.clone() for x in xs] if isolate else xs))
    if where == "out" and isolate:
        out = out.clone()
    CHANGES[change](out if where == "out" else xs[int(where)])
    weights = np.arange(1, out.numel() + 1, dtype=np.float32).reshape(tuple(out.shape))
    try:
        (out * m.tensor(weights)).sum().backward()
    except RuntimeError as exc:
        if VERSION_ERROR in str(exc):
            return "raises"
        raise
    return [None if leaf.grad is None else leaf.grad.numpy().copy() for leaf in leaves]


def same(a, b):
    return all((x is None) == (y is None) and (x is None or np.allclose(x, y, 1e-4, 1e-5))
               for x, y in zip(a, b))


def search(names):
    mismatches, ran = 0, set()
    for name in names:
        arity = OPS[name][0]
        n_inputs = min(arity, 2)
        needs_list = [[True] * n_inputs] + ([[True, False], [False, True]] if n_inputs == 2 else [])
        for needs in needs_list:
            for where in ["out"] + [str(i) for i in range(n_inputs)]:
                for change in CHANGES:
                    try:
                        theirs = gradients(torch, name, where, change, needs)
                        ours = gradients(ad, name, where, change, needs)
                    except Exception:   # an op one side lacks, or refuses for other reasons
                        continue
                    ran.add(name)
                    if isinstance(theirs, str) == isinstance(ours, str):
                        if not isinstance(ours, str) and not same(ours, theirs):
                            print(f"{name:16s} {where:3s} {change:8s} gradients differ")
                            mismatches += 1
                        continue
                    mismatches += 1
                    verdict = ""
                    if theirs == "raises":
                        right = gradients(torch, name, where, change, needs, isolate=True)
                        verdict = "autodidact's gradient is right" if same(ours, right) else \
                            "autodidact's gradient is WRONG"
                    flags = "".join("T" if n else "F" for n in needs)
                    print(f"{name:16s} grad={flags:2s} change {where:3s} by {change:8s} "
                          f"torch {'raises' if theirs == 'raises' else 'differentiates'}, "
                          f"autodidact {'raises' if ours == 'raises' else 'differentiates'}. "
                          f"{verdict}")
    print(f"{mismatches} mismatches; skipped (missing or refused on one side): "
          f"{', '.join(sorted(set(names) - ran)) or 'none'}")


if __name__ == "__main__":
    search(sys.argv[1:] or list(OPS))
