"""Every differentiable op, checked by finite differences and against PyTorch.

Each case below is an op written once as ``fn(M, *inputs)``, where ``M`` is
``autodidact`` or ``torch``, so that the same line runs on both. Each runs
over several input shapes (broadcasting pairs, 0-d, empty) and, where an
input has two or more axes, once more on non-contiguous inputs: the inputs
are made contiguous with their last two axes swapped and ``fn`` transposes
them back before using them (gradcheck perturbs contiguous storage).

For every case and shape:

* ``autograd.gradcheck`` in float64 (central differences) agrees with backward;
* values and gradients agree with PyTorch on the same inputs.
"""

import zlib
from collections import namedtuple

import numpy as np
import pytest

import autodidact
from autodidact.autograd import gradcheck

Case = namedtuple("Case", "op name fn shapes domains eps atol contiguous_only")


def case(op, fn, shapes, domains="real", name=None, eps=1e-6, atol=1e-5, contiguous_only=False):
    return Case(op, name or op, fn, shapes, domains, eps, atol, contiguous_only)


# Input shapes for one-input and two-input ops.
UNARY = [(), (0,), (5,), (2, 3), (2, 3, 2)]
BINARY = [((), ()), ((4,), ()), ((), (2, 3)), ((2, 3), (3,)), ((3, 1), (1, 4)),
          ((2, 1, 3), (4, 1)), ((0, 3), (3,)), ((2, 3), (2, 3))]


def _setitem_basic(M, x, v):
    y = x * 1
    y[0] = v * 2
    return y


def _setitem_slice(M, x, v):
    y = x * 1
    y[:, 1:3] = v
    return y


def _setitem_advanced(M, x, v):
    y = x * 2
    y[[0, 2]] = v
    return y


def _setitem_mask(M, x):
    y = x * 3
    y[x.detach() > 0] = 0.0
    return y


def _setitem_scalar_tensor(M, x, s):
    y = x + 0
    y[1, 2] = s
    return y * y


def _inplace_chain(M, x, b):
    y = x * 1
    y += b
    y *= b
    y.sub_(x)
    y.div_(2.0)
    return y


def _inplace_unary(M, x):
    y = x * 1
    y.sin_()     # saves its input: the old value, kept aside
    y.exp_()     # saves its output: y must not change afterwards (PyTorch checks)
    return y * x


def _inplace_on_views(M, x, b):
    y = x * 1
    y[:, 1:].mul_(b)          # through a slice
    y.t()[0].sub_(b[0])       # through a transposed view
    y.view(-1)[::4] *= 2      # through a strided view
    return y


def _inplace_clamp_relu(M, x):
    y = x + 0.1
    y.clamp_(-0.5, 0.7)
    y.relu_()
    return y


CASES = [
    # ---------------------------------------------------------- arithmetic
    case("add", lambda M, a, b: a + b, BINARY),
    case("add", lambda M, a, b: M.add(a, b, alpha=2.5), BINARY[:4], name="add_alpha"),
    case("add", lambda M, a: a + 2.0, UNARY, name="add_scalar"),
    case("add", lambda M, a: 2.0 + a, UNARY[:3], name="radd_scalar"),
    case("sub", lambda M, a, b: a - b, BINARY),
    case("sub", lambda M, a: 3.0 - a, UNARY, name="rsub_scalar"),
    case("sub", lambda M, a, b: M.sub(a, b, alpha=0.5), BINARY[3:5], name="sub_alpha"),
    case("mul", lambda M, a, b: a * b, BINARY),
    case("mul", lambda M, a: a * 1.5, UNARY, name="mul_scalar"),
    case("div", lambda M, a, b: a / b, BINARY, ("real", "nonzero")),
    case("div", lambda M, a: a / 4.0, UNARY, name="div_scalar"),
    case("div", lambda M, a: 2.0 / a, UNARY, "nonzero", name="rdiv_scalar"),
    case("pow", lambda M, a, b: a ** b, BINARY, ("positive", "real"), name="pow_tensor_tensor"),
    case("pow", lambda M, a: a ** 3, UNARY, name="pow_int"),
    case("pow", lambda M, a: a ** 2.5, UNARY, "positive", name="pow_float"),
    case("pow", lambda M, a: a ** -1.5, UNARY, "positive", name="pow_negative"),
    case("pow", lambda M, a: a ** 0, UNARY[:4], name="pow_zero"),
    case("pow", lambda M, a: 2.0 ** a, UNARY, name="rpow_scalar"),
    case("pow", lambda M, a: a.pow(2), UNARY[:4], name="pow_method"),
    case("neg", lambda M, a: -a, UNARY),
    case("remainder", lambda M, a, b: a % b, BINARY, ("real", "nonzero")),
    case("remainder", lambda M, a: M.remainder(a, 0.7), UNARY, name="remainder_scalar"),
    case("round", lambda M, a: a.round(), UNARY),
    case("sign", lambda M, a: a.sign(), UNARY),
    # ------------------------------------------------------------- math
    case("exp", lambda M, a: a.exp(), UNARY),
    case("log", lambda M, a: M.log(a), UNARY, "positive"),
    case("sqrt", lambda M, a: a.sqrt(), UNARY, "positive"),
    case("sin", lambda M, a: a.sin(), UNARY),
    case("cos", lambda M, a: M.cos(a), UNARY),
    case("tanh", lambda M, a: M.tanh(a), UNARY),
    case("sigmoid", lambda M, a: M.sigmoid(a), UNARY),
    case("sigmoid", lambda M, a: M.sigmoid(a * 30), UNARY[2:4], name="sigmoid_saturated"),
    case("relu", lambda M, a: M.relu(a), UNARY),
    case("abs", lambda M, a: a.abs(), UNARY),
    case("clamp", lambda M, a: a.clamp(-0.5, 0.5), UNARY),
    case("clamp", lambda M, a: a.clamp(min=0.2), UNARY[2:], name="clamp_min"),
    case("clamp", lambda M, a: M.clamp(a, max=-0.1), UNARY[2:], name="clamp_max"),
    case("clamp", lambda M, a: a.clip(-1.0, 0.3), UNARY[2:4], name="clip"),
    case("where", lambda M, a, b: M.where(a.detach() > 0, a, b), BINARY),
    case("where", lambda M, a: M.where(a.detach() > 0, a, 0.5), UNARY, name="where_scalar"),
    case("maximum", lambda M, a, b: M.maximum(a, b), BINARY),
    case("minimum", lambda M, a, b: M.minimum(a, b), BINARY),
    case("max", lambda M, a, b: M.max(a, b), BINARY[3:5], name="max_binary"),
    # ------------------------------------------------------- reductions
    case("sum", lambda M, a: a.sum(), UNARY),
    case("sum", lambda M, a: a.sum(0), UNARY[1:], name="sum_dim"),
    case("sum", lambda M, a: a.sum(-1, keepdim=True), UNARY[1:], name="sum_keepdim"),
    case("sum", lambda M, a: a.sum((0, 2)), [(2, 3, 2), (0, 3, 2)], name="sum_tuple"),
    case("sum", lambda M, a: a.sum((-1, 0), keepdim=True), [(2, 3, 2)], name="sum_tuple_keepdim"),
    case("sum", lambda M, a: M.sum(a, dim=1), [(2, 3), (2, 3, 2)], name="sum_function"),
    case("mean", lambda M, a: a.mean(), UNARY[:1] + UNARY[2:]),
    case("mean", lambda M, a: a.mean(1), [(2, 3), (2, 3, 2)], name="mean_dim"),
    case("mean", lambda M, a: a.mean(0, keepdim=True), UNARY[2:], name="mean_keepdim"),
    case("mean", lambda M, a: a.mean((0, -1)), [(2, 3, 2)], name="mean_tuple"),
    case("max", lambda M, a: a.max(), [(), (5,), (2, 3), (2, 3, 2)], name="max_all"),
    case("min", lambda M, a: a.min(), [(), (5,), (2, 3), (2, 3, 2)], name="min_all"),
    case("max", lambda M, a: a.max(0).values, [(5,), (2, 3), (2, 3, 2)], name="max_dim"),
    case("max", lambda M, a: a.max(-1, keepdim=True)[0], [(2, 3), (2, 3, 2)], name="max_dim_keepdim"),
    case("min", lambda M, a: M.min(a, 1).values, [(2, 3), (2, 3, 2), (0, 3)], name="min_dim"),
    case("amax", lambda M, a: M.amax(a, (0, 2)), [(2, 3, 2)]),
    case("amax", lambda M, a: a.amax(-1, keepdim=True), [(5,), (2, 3)], name="amax_keepdim"),
    case("amax", lambda M, a: a.amax(), [(2, 3)], name="amax_all"),
    case("amin", lambda M, a: M.amin(a, 1), [(2, 3), (2, 3, 2)]),
    case("prod", lambda M, a: a.prod(), UNARY),
    case("prod", lambda M, a: a.prod(1), [(2, 3), (2, 3, 2), (2, 0)], name="prod_dim"),
    case("prod", lambda M, a: a.prod(0, keepdim=True), [(5,), (2, 3)], name="prod_keepdim"),
    case("var", lambda M, a: a.var(), [(5,), (2, 3), (2, 3, 2)]),
    case("var", lambda M, a: a.var(1, keepdim=True), [(2, 3), (2, 3, 2)], name="var_dim"),
    case("var", lambda M, a: a.var((0, 2), unbiased=False), [(2, 3, 2)], name="var_tuple"),
    case("var", lambda M, a: M.var(a, 0, correction=0), [(5,), (2, 3)], name="var_correction"),
    case("std", lambda M, a: a.std(), [(5,), (2, 3), (2, 3, 2)]),
    case("std", lambda M, a: a.std(-1), [(2, 3), (2, 3, 2)], name="std_dim"),
    case("softmax", lambda M, a: a.softmax(-1), UNARY[2:] + [(0, 3)]),
    case("softmax", lambda M, a: M.softmax(a, 0), [(), (5,), (2, 3), (2, 3, 2)], name="softmax_dim0"),
    case("log_softmax", lambda M, a: a.log_softmax(-1), UNARY[2:] + [(0, 3)]),
    case("log_softmax", lambda M, a: M.log_softmax(a, dim=1), [(2, 3), (2, 3, 2)], name="log_softmax_dim1"),
    case("log_softmax", lambda M, a: M.log_softmax(a * 50, dim=1), [(2, 3)], name="log_softmax_large"),
    case("sum_to_size", lambda M, a: a.sum_to_size(1, 3), [(2, 3), (4, 1, 3)]),
    # --------------------------------------------------- linear algebra
    case("matmul", lambda M, a, b: a @ b,
         [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (2, 3, 4)),
          ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((2, 1, 2, 3), (3, 3, 2)),
          ((0, 3), (3, 2)), ((2, 0), (0, 3))]),
    case("matmul", lambda M, a, b: M.matmul(a, b), [((2, 3), (3, 4)), ((2, 2, 3), (1, 3, 2))],
         name="matmul_function"),
    case("mm", lambda M, a, b: M.mm(a, b), [((2, 3), (3, 4))]),
    case("bmm", lambda M, a, b: M.bmm(a, b), [((2, 2, 3), (2, 3, 4))]),
    case("dot", lambda M, a, b: M.dot(a, b), [((3,), (3,)), ((0,), (0,))]),
    # ------------------------------------------------------------ shape
    case("view", lambda M, a: a.view(-1), UNARY, contiguous_only=True),
    case("view", lambda M, a: a.view(3, 2), [(2, 3), (6,)], name="view_shape", contiguous_only=True),
    case("view", lambda M, a, b: a.view_as(b), [((2, 3), (3, 2))], name="view_as", contiguous_only=True),
    case("reshape", lambda M, a: a.reshape(-1), UNARY),
    case("reshape", lambda M, a: a.reshape(3, 1, 2), [(2, 3), (6,)], name="reshape_shape"),
    case("transpose", lambda M, a: a.transpose(0, 1), [(2, 3), (2, 3, 2)]),
    case("transpose", lambda M, a: a.t(), [(5,), (2, 3)], name="t"),
    case("transpose", lambda M, a: a.T, [(2, 3)], name="T"),
    case("transpose", lambda M, a: a.mT, [(2, 3, 2)], name="mT"),
    case("transpose", lambda M, a: a.swapaxes(0, -1), [(2, 3, 2)], name="swapaxes"),
    case("permute", lambda M, a: a.permute(2, 0, 1), [(2, 3, 2), (0, 3, 2)]),
    case("expand", lambda M, a: a.expand(4, 3), [(3,), (1, 3), ()]),
    case("expand", lambda M, a: a.expand(2, -1, 3), [(4, 1)], name="expand_minus_one"),
    case("expand", lambda M, a, b: a.expand_as(b), [((3, 1), (3, 4))], name="expand_as"),
    case("squeeze", lambda M, a: a.squeeze(), [(1, 3, 1), (), (2, 1)]),
    case("squeeze", lambda M, a: a.squeeze(1), [(3, 1, 2), (2, 3)], name="squeeze_dim"),
    case("unsqueeze", lambda M, a: a.unsqueeze(0), UNARY),
    case("unsqueeze", lambda M, a: a.unsqueeze(-1), [(2, 3)], name="unsqueeze_last"),
    case("flatten", lambda M, a: a.flatten(), UNARY),
    case("flatten", lambda M, a: a.flatten(1), [(2, 3, 2)], name="flatten_start"),
    case("unflatten", lambda M, a: a.unflatten(1, (3, 2)), [(2, 6)], contiguous_only=True),
    case("repeat", lambda M, a: a.repeat(2, 3), [(3,), (2, 3), ()]),
    case("repeat", lambda M, a: a.repeat(2, 1, 2), [(2, 3)], name="repeat_new_dims"),
    case("cat", lambda M, a, b: M.cat([a, b]), [((2, 3), (1, 3)), ((2,), (3,)), ((0, 3), (2, 3))]),
    case("cat", lambda M, a, b: M.cat((a, b, a), dim=1), [((2, 3), (2, 1))], name="cat_dim1"),
    case("stack", lambda M, a, b: M.stack([a, b]), [((2, 3), (2, 3)), ((), ()), ((0,), (0,))]),
    case("stack", lambda M, a, b: M.stack([a, b, a], dim=-1), [((2, 3), (2, 3))], name="stack_last"),
    case("split", lambda M, a: a.split(2), [(5,), (4, 3)]),
    case("split", lambda M, a: M.split(a, [1, 2], dim=1), [(2, 3)], name="split_sizes"),
    case("chunk", lambda M, a: a.chunk(3, dim=-1), [(2, 5), (2, 3, 3)]),
    case("unbind", lambda M, a: a.unbind(1), [(2, 3)]),
    case("flip", lambda M, a: a.flip(0), [(5,), (2, 3)]),
    case("flip", lambda M, a: M.flip(a, (0, -1)), [(2, 3, 2)], name="flip_dims"),
    case("narrow", lambda M, a: a.narrow(1, 1, 2), [(2, 3), (2, 3, 2)]),
    case("select", lambda M, a: a.select(0, 1), [(2, 3), (3,)]),
    case("contiguous", lambda M, a: a.contiguous(), [(2, 3), (5,)]),
    case("clone", lambda M, a: a.clone(), UNARY),
    case("index_select", lambda M, a: a.index_select(1, M.tensor([2, 0, 2])), [(2, 3)]),
    # ---------------------------------------------------------- indexing
    case("index", lambda M, a: a[1], [(3,), (3, 4)], name="index_int"),
    case("index", lambda M, a: a[:, 1:3], [(2, 4), (2, 4, 2)], name="index_slice"),
    case("index", lambda M, a: a[..., None, 0], [(2, 3), (2, 3, 2)], name="index_ellipsis_none"),
    case("index", lambda M, a: a[1::2, -1], [(4, 3)], name="index_step"),
    case("index", lambda M, a: a[[0, 0, 2]], [(3,), (3, 2)], name="index_list_repeated"),
    case("index", lambda M, a: a[[0, 1], [2, 2]], [(2, 3)], name="index_pairs"),
    case("index", lambda M, a: a[M.tensor([[1, 1], [0, 2]])], [(3, 2)], name="index_tensor"),
    case("index", lambda M, a: a[:, [2, 0, 2]], [(2, 3)], name="index_mixed"),
    case("index", lambda M, a: a[a.detach() > 0], [(5,), (2, 3)], name="index_mask"),
    case("index", lambda M, a: a[M.tensor([True, False, True])], [(3, 2)], name="index_mask_rows"),
    case("setitem", _setitem_basic, [((3, 4), (4,)), ((3, 4), ())], name="setitem_basic"),
    case("setitem", _setitem_slice, [((2, 4), (2, 2)), ((2, 4), (2, 1))], name="setitem_slice"),
    case("setitem", _setitem_advanced, [((3, 2), (2,))], name="setitem_advanced"),
    case("setitem", _setitem_mask, [(2, 3), (5,)], name="setitem_mask"),
    case("setitem", _setitem_scalar_tensor, [((2, 3), ())], name="setitem_element"),
    # ---------------------------------------------------- in-place, casts
    case("inplace", _inplace_chain, [((2, 3), (3,)), ((3,), ())], ("real", "nonzero"),
         name="inplace_arithmetic"),
    case("inplace", _inplace_unary, UNARY[2:], name="inplace_unary"),
    case("inplace", _inplace_clamp_relu, UNARY[2:], name="inplace_clamp_relu"),
    case("inplace", _inplace_on_views, [((3, 3), (2,))], name="inplace_on_views",
         contiguous_only=True),
    case("cast", lambda M, a: a.float().double(), UNARY, eps=1e-2, atol=1e-4, name="cast_float32"),
    case("cast", lambda M, a: a.to(M.float16).to(M.float64), [(5,), (2, 3)], eps=1e-1, atol=2e-3,
         name="cast_float16"),
    case("cast", lambda M, a: (a.float() * 2).double(), [(2, 3)], eps=1e-2, atol=1e-4,
         name="cast_compute_float32"),
    case("cast", lambda M, a, b: a * b.float().double(), [((2, 3), (3,))], eps=1e-2, atol=1e-4,
         name="cast_mixed"),
    # ------------------------------------------------------ more math
    case("log1p", lambda M, a: a.log1p(), UNARY, "positive"),
    case("expm1", lambda M, a: M.expm1(a), UNARY),
    case("log2", lambda M, a: a.log2(), UNARY, "positive"),
    case("log10", lambda M, a: M.log10(a), UNARY, "positive"),
    case("erf", lambda M, a: a.erf(), UNARY),
    case("floor", lambda M, a: a.floor(), UNARY),
    case("ceil", lambda M, a: M.ceil(a), UNARY),
    case("frac", lambda M, a: a.frac(), UNARY),
    case("reciprocal", lambda M, a: a.reciprocal(), UNARY, "nonzero"),
    case("rsqrt", lambda M, a: a.rsqrt(), UNARY, "positive"),
    case("square", lambda M, a: a.square(), UNARY),
    case("clamp_min", lambda M, a: a.clamp_min(0.1), UNARY),
    case("clamp_max", lambda M, a: M.clamp_max(a, -0.2), UNARY),
    case("clamp_min", lambda M, a, b: a.clamp_min(b), BINARY[3:6], name="clamp_min_tensor"),
    case("atan2", lambda M, a, b: M.atan2(a, b), BINARY),
    case("hypot", lambda M, a, b: M.hypot(a, b), BINARY),
    case("lerp", lambda M, a, b: M.lerp(a, b, 0.3), [((2, 3), (2, 3)), ((), ()), ((2, 3), (3,))]),
    case("lerp", lambda M, a, b, w: a.lerp(b, w), [((2, 3), (2, 3), (3,)), ((4,), (4,), ())],
         name="lerp_tensor_weight"),
    # ------------------------------------------------- running totals
    case("cumsum", lambda M, a: a.cumsum(0), UNARY),
    case("cumsum", lambda M, a: M.cumsum(a, dim=-1), [(2, 3), (2, 3, 2)], name="cumsum_last"),
    case("cumprod", lambda M, a: a.cumprod(0), UNARY),
    case("cumprod", lambda M, a: M.cumprod(a, 1), [(2, 3), (2, 3, 2)], name="cumprod_dim1"),
    case("cumprod", lambda M, a: (a * M.tensor([[1.0, 0.0, 1.0]], dtype=a.dtype)).cumprod(1),
         [(2, 3)], name="cumprod_with_zero"),
    case("logsumexp", lambda M, a: a.logsumexp(0), UNARY),
    case("logsumexp", lambda M, a: M.logsumexp(a, (0, -1), keepdim=True), [(2, 3), (2, 3, 2)],
         name="logsumexp_dims"),
    # ------------------------------------------------- ordering
    case("sort", lambda M, a: a.sort(), UNARY),
    case("sort", lambda M, a: M.sort(a, 0, descending=True), [(5,), (2, 3)], name="sort_desc"),
    case("topk", lambda M, a: a.topk(2), [(5,), (2, 3), (2, 3, 2)]),
    case("topk", lambda M, a: M.topk(a, 1, dim=0, largest=False), [(2, 3)], name="topk_smallest"),
    case("kthvalue", lambda M, a: a.kthvalue(2, 0), [(5,), (2, 3)]),
    case("kthvalue", lambda M, a: a.kthvalue(1, -1, keepdim=True), [(2, 3)], name="kthvalue_keepdim"),
    case("median", lambda M, a: a.median(), [(), (5,), (2, 3), (2, 3, 2)]),
    case("median", lambda M, a: a.median(1), [(2, 3), (2, 4), (2, 3, 2)], name="median_dim"),
    case("mode", lambda M, a: a.mode(0), [(5,), (2, 3)]),
    # --------------------------------------------- gather and scatter
    case("gather", lambda M, a: a.gather(1, M.tensor([[2, 0, 2], [1, 1, 0]])), [(2, 3), (2, 4)]),
    case("gather", lambda M, a: M.gather(a, 0, M.tensor([[1], [0], [1]])), [(2, 3)], name="gather_dim0"),
    case("scatter", lambda M, a, b: a.scatter(1, M.tensor([[2, 0], [1, 2]]), b), [((2, 3), (2, 2))]),
    case("scatter", lambda M, a: a.scatter(0, M.tensor([[1, 0, 1]]), 0.5), [(2, 3)], name="scatter_value"),
    case("scatter_add", lambda M, a, b: a.scatter_add(1, M.tensor([[2, 2], [0, 2]]), b),
         [((2, 3), (2, 2))]),
    case("masked_fill", lambda M, a: a.masked_fill(a.detach() > 0, 2.0), UNARY),
    case("masked_fill", lambda M, a: a.masked_fill(M.tensor([True, False, True]), 0.0), [(2, 3)],
         name="masked_fill_broadcast"),
    case("masked_fill", lambda M, a, v: a.masked_fill(a.detach() > 0, v), [((2, 3), ()), ((0,), ())],
         name="masked_fill_tensor_value"),
    case("masked_select", lambda M, a: a.masked_select(a.detach() > 0), UNARY),
    case("masked_select", lambda M, a: M.masked_select(a, M.tensor([[True], [False]])), [(2, 3)],
         name="masked_select_broadcast"),
    case("take_along_dim", lambda M, a: M.take_along_dim(a, M.tensor([[0], [2]]), 1), [(2, 3)]),
    case("take_along_dim", lambda M, a: a.take_along_dim(M.tensor([0, 4, 4])), [(5,), (2, 3)],
         name="take_along_dim_flat", contiguous_only=True),   # PyTorch's view(-1) refuses a transpose
    # ---------------------------------------------- products, matrices
    case("mv", lambda M, a, b: M.mv(a, b), [((2, 3), (3,)), ((0, 3), (3,))]),
    case("outer", lambda M, a, b: M.outer(a, b), [((3,), (4,)), ((0,), (2,))]),
    case("addmm", lambda M, c, a, b: M.addmm(c, a, b), [((2, 4), (2, 3), (3, 4)), ((4,), (2, 3), (3, 4))]),
    case("addmm", lambda M, c, a, b: M.addmm(c, a, b, beta=0.5, alpha=2.0), [((), (2, 3), (3, 2))],
         name="addmm_scaled"),
    case("tensordot", lambda M, a, b: M.tensordot(a, b, 1), [((2, 3), (3, 4)), ((2, 3, 2), (2, 3))]),
    case("tensordot", lambda M, a, b: M.tensordot(a, b, ([1, 0], [0, 1])), [((2, 3, 2), (3, 2))],
         name="tensordot_lists"),
    case("einsum", lambda M, a, b: M.einsum("ij,jk->ik", a, b), [((2, 3), (3, 4))]),
    case("einsum", lambda M, a, b: M.einsum("bij,bjk->bik", a, b), [((2, 2, 3), (2, 3, 2))], name="einsum_bmm"),
    case("einsum", lambda M, a, b: M.einsum("i,i->", a, b), [((3,), (3,))], name="einsum_dot"),
    case("einsum", lambda M, a, b: M.einsum("i,j->ij", a, b), [((3,), (2,))], name="einsum_outer"),
    case("einsum", lambda M, a: M.einsum("ij->ji", a), [(2, 3)], name="einsum_transpose"),
    case("einsum", lambda M, a: M.einsum("ii->i", a), [(3, 3)], name="einsum_diagonal"),
    case("einsum", lambda M, a: M.einsum("ii->", a), [(3, 3)], name="einsum_trace"),
    case("einsum", lambda M, a: M.einsum("ij->", a), [(2, 3)], name="einsum_sum"),
    case("einsum", lambda M, a, b: M.einsum("...ij,...jk->...ik", a, b),
         [((2, 2, 3), (2, 3, 2)), ((2, 3), (3, 2))], name="einsum_ellipsis"),
    case("einsum", lambda M, a, b: M.einsum("ij,jk", a, b), [((2, 3), (3, 2))], name="einsum_implicit"),
    case("einsum", lambda M, a, b, c: M.einsum("i,ij,j->", a, b, c), [((2,), (2, 3), (3,))],
         name="einsum_three"),
    case("tril", lambda M, a: a.tril(), [(2, 3), (3, 3), (2, 3, 3)]),
    case("triu", lambda M, a: M.triu(a, 1), [(2, 3), (3, 3)]),
    case("diag", lambda M, a: a.diag(), [(3,), (2, 3), (0,)]),
    case("diag", lambda M, a: M.diag(a, -1), [(3,), (3, 3)], name="diag_offset"),
    case("diagonal", lambda M, a: a.diagonal(0, -2, -1), [(2, 3), (2, 3, 3)]),
    case("trace", lambda M, a: a.trace(), [(3, 3), (2, 3)]),
    # ------------------------------------------------- norms, linalg
    case("norm", lambda M, a: a.norm(), UNARY[:1] + UNARY[2:]),
    case("norm", lambda M, a: a.norm(1), UNARY[2:], name="norm_1"),
    case("norm", lambda M, a: a.norm(float("inf")), UNARY[2:], name="norm_inf"),
    case("norm", lambda M, a: a.norm("fro", dim=(0, 1)), [(2, 3), (2, 3, 2)], name="norm_fro"),
    case("norm", lambda M, a: a.norm(dim=1, keepdim=True), [(2, 3), (2, 3, 2)], name="norm_dim"),
    case("norm", lambda M, a: M.norm(a, 3, dim=0), [(5,), (2, 3)], name="norm_3"),
    case("dist", lambda M, a, b: M.dist(a, b), BINARY[:6]),
    case("dist", lambda M, a, b: M.dist(a, b, 1), BINARY[3:5], name="dist_1"),
    case("vector_norm", lambda M, a: M.linalg.vector_norm(a, -float("inf"), dim=-1), [(5,), (2, 3)]),
    case("matrix_norm", lambda M, a: M.linalg.matrix_norm(a), [(2, 3), (2, 3, 3)]),
    case("matrix_norm", lambda M, a: M.linalg.matrix_norm(a, 1), [(2, 3), (2, 3, 3)], name="matrix_norm_1"),
    case("matrix_norm", lambda M, a: M.linalg.matrix_norm(a, float("inf"), keepdim=True), [(2, 3)],
         name="matrix_norm_inf"),
    case("linalg_norm", lambda M, a: M.linalg.norm(a), [(5,), (2, 3)]),
    case("inv", lambda M, a: M.linalg.inv(a), [(3, 3), (2, 3, 3)]),
    case("det", lambda M, a: M.linalg.det(a), [(3, 3), (2, 3, 3)]),
    case("solve", lambda M, a, b: M.linalg.solve(a, b), [((3, 3), (3,)), ((3, 3), (3, 2)),
                                                       ((2, 3, 3), (2, 3))]),
    # ------------------------------------------------------ compositions
    case("composite", lambda M, a, b: ((a @ b).tanh() * 2 - a.sum()).softmax(-1).log().mean(),
         [((2, 3), (3, 4))], name="mlp_like"),
    case("composite", lambda M, a: (a * a).sum() + a.exp().mean() * a.sin().prod(), [(3,), (2, 2)],
         name="shared_input"),
]


def _params():
    params = []
    for c in CASES:
        for shapes in c.shapes:
            shapes = shapes if isinstance(shapes[0] if shapes else None, tuple) else (shapes,)
            sid = "-".join("x".join(map(str, s)) or "0d" for s in shapes)
            params.append(pytest.param(c, shapes, False, id=f"{c.name}-{sid}"))
            if not c.contiguous_only and any(len(s) >= 2 and s[-1] > 1 and s[-2] > 1 and 0 not in s
                                                for s in shapes):
                params.append(pytest.param(c, shapes, True, id=f"{c.name}-{sid}-noncontig"))
    return params


PARAMS = _params()


def _domain(c, i):
    return c.domains if isinstance(c.domains, str) else c.domains[i]


def make_arrays(c, shapes, noncontig):
    """Float64 arrays for the case (stored transposed for the non-contiguous run)."""
    rng = np.random.default_rng(zlib.crc32(f"{c.name}{shapes}".encode()))
    arrays = []
    for i, shape in enumerate(shapes):
        kind = _domain(c, i)
        if kind == "positive":
            a = rng.uniform(0.5, 2.0, shape)
        elif kind == "nonzero":
            a = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
        else:
            a = rng.standard_normal(shape)
        a = np.asarray(a, dtype=np.float64)
        if noncontig and a.ndim >= 2:
            a = np.ascontiguousarray(np.swapaxes(a, -1, -2))
        arrays.append(a)
    return arrays


def wrap(fn, noncontig, check_layout=False):
    """fn over the inputs as given, or over their transposes (non-contiguous views)."""
    if not noncontig:
        return fn

    def transposed(M, *xs):
        xs = [x.transpose(-1, -2) if x.dim() >= 2 else x for x in xs]
        if check_layout:
            assert any(not x.is_contiguous() for x in xs)
        return fn(M, *xs)
    return transposed


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def test_case_table_covers_every_differentiable_op():
    ops = {c.op for c in CASES}
    required = {
        "add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sqrt", "sin", "cos", "tanh",
        "sigmoid", "relu", "abs", "clamp", "where", "maximum", "minimum", "sum", "mean", "max",
        "min", "amax", "amin", "prod", "var", "std", "softmax", "log_softmax", "matmul", "mm",
        "bmm", "dot", "view", "reshape", "transpose", "permute", "expand", "squeeze",
        "unsqueeze", "flatten", "repeat", "cat", "stack", "split", "chunk", "flip", "narrow",
        "index", "setitem", "cast", "select", "unbind", "clone", "contiguous", "inplace",
        "sum_to_size", "index_select", "unflatten", "remainder", "round", "sign",
        "log1p", "expm1", "log2", "log10", "erf", "floor", "ceil", "frac", "reciprocal", "rsqrt",
        "square", "clamp_min", "clamp_max", "atan2", "hypot", "lerp", "cumsum", "cumprod",
        "logsumexp", "sort", "topk", "kthvalue", "median", "mode", "gather", "scatter",
        "scatter_add", "masked_fill", "masked_select", "take_along_dim", "mv", "outer", "addmm",
        "tensordot", "einsum", "tril", "triu", "diag", "diagonal", "trace", "norm", "dist",
        "vector_norm", "matrix_norm", "linalg_norm", "inv", "det", "solve"}
    assert required <= ops, sorted(required - ops)
    assert len(PARAMS) > 300


@pytest.mark.parametrize("c, shapes, noncontig", PARAMS)
def test_gradcheck(c, shapes, noncontig):
    arrays = make_arrays(c, shapes, noncontig)
    inputs = [autodidact.tensor(a, requires_grad=True) for a in arrays]
    fn = wrap(c.fn, noncontig, check_layout=True)
    assert gradcheck(lambda *xs: fn(autodidact, *xs), inputs, eps=c.eps, atol=c.atol)


@pytest.mark.parametrize("c, shapes, noncontig", PARAMS)
def test_matches_torch(c, shapes, noncontig, torch_oracle):
    torch = torch_oracle
    arrays = make_arrays(c, shapes, noncontig)
    fn = wrap(c.fn, noncontig)
    ours_in = [autodidact.tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    ours = _outputs(fn(autodidact, *ours_in))
    theirs = _outputs(fn(torch, *theirs_in))
    assert len(ours) == len(theirs)
    rng = np.random.default_rng(1)
    loss_ours = loss_theirs = 0
    for o, t in zip(ours, theirs):
        assert tuple(o.shape) == tuple(t.shape)
        assert o.dtype.name == str(t.dtype).replace("torch.", "")
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=1e-7, atol=1e-9)
        w = rng.standard_normal(tuple(o.shape))
        loss_ours = loss_ours + (o * autodidact.tensor(w, dtype=o.dtype)).sum()
        loss_theirs = loss_theirs + (t * torch.tensor(w, dtype=t.dtype)).sum()
    loss_ours.backward()
    loss_theirs.backward()
    for i, (x, y) in enumerate(zip(ours_in, theirs_in)):
        if y.grad is None:
            assert x.grad is None or not x.grad.numpy().any(), f"input {i}"
            continue
        assert x.grad is not None, f"input {i} got no gradient"
        assert x.grad.shape == tuple(y.grad.shape)
        np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), rtol=1e-7, atol=1e-9,
                                   err_msg=f"gradient of input {i}")


SECOND_ORDER = [p for p in PARAMS if not p.values[2]]


@pytest.mark.parametrize("c, shapes, noncontig", SECOND_ORDER)
def test_second_derivatives_match_torch(c, shapes, noncontig, torch_oracle):
    """Backward of backward (create_graph=True): a Hessian-vector product per input."""
    torch = torch_oracle
    arrays = make_arrays(c, shapes, noncontig)
    rng = np.random.default_rng(2)

    def hvp(M, tensor):
        xs = [tensor(a, requires_grad=True) for a in arrays]
        outs = _outputs(c.fn(M, *xs))
        total = sum((o * tensor(rng_w[i], dtype=o.dtype)).sum() for i, o in enumerate(outs))
        grads = M.autograd.grad(total, xs, create_graph=True, allow_unused=True)
        pairs = [(g, tensor(v)) for g, v in zip(grads, rng_v) if g is not None and g.requires_grad]
        if not pairs:
            return [None] * len(xs)
        second = sum((g * v).sum() for g, v in pairs)
        # (PyTorch may answer with a "ZeroTensor", which numpy() refuses without force.)
        return [None if g is None else g.detach().numpy(force=True)
                for g in M.autograd.grad(second, xs, allow_unused=True)]

    probe = _outputs(c.fn(autodidact, *[autodidact.tensor(a) for a in arrays]))
    rng_w = [rng.standard_normal(tuple(o.shape)) for o in probe]
    rng_v = [rng.standard_normal(a.shape) for a in arrays]
    ours = hvp(autodidact, autodidact.tensor)
    theirs = hvp(torch, torch.tensor)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if b is None or not b.any():
            assert a is None or not a.any(), f"input {i}"
        else:
            assert a is not None, f"input {i}: no second derivative"
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9, err_msg=f"input {i}")


# ------------------------------------------------------- gradcheck itself

def test_gradcheck_checks_every_input_and_output():
    a = autodidact.randn(2, 3, dtype=autodidact.float64, requires_grad=True)
    b = autodidact.randn(3, dtype=autodidact.float64, requires_grad=True)
    c = autodidact.randn(3, dtype=autodidact.float64)              # no grad: not perturbed
    assert gradcheck(lambda a, b, c, k: (a * b + c * k, (a - b).exp().sum(0)), (a, b, c, 2.0))
    assert gradcheck(lambda a, b: a.max(1), (a, b))                 # (values, indices)
    unused = autodidact.randn(2, dtype=autodidact.float64, requires_grad=True)
    assert gradcheck(lambda a, u: a * 2, (a, unused))               # zero both ways


def test_gradcheck_failure_names_the_input_the_element_and_both_values():
    from autodidact.function import swap_backward
    a = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=autodidact.float64, requires_grad=True)
    b = autodidact.tensor([0.5, -1.5], dtype=autodidact.float64, requires_grad=True)
    wrong = lambda ctx, grad: (grad * ctx.saved_tensors[1], grad * 0)   # noqa: E731
    with swap_backward("mul", wrong):
        with pytest.raises(autodidact.autograd.GradcheckError) as info:
            gradcheck(lambda a, b: a * b, (a, b))
        assert not gradcheck(lambda a, b: a * b, (a, b), raise_exception=False)
    message = str(info.value)
    assert message.startswith("Jacobian mismatch for input 1 at element (0,): backward gives 0.0,"
                              " finite differences give ")
    assert "eps=1e-06" in message


def test_gradcheck_wants_float64_and_contiguous_inputs():
    x = autodidact.randn(3, requires_grad=True)
    with pytest.raises(ValueError, match="gradcheck needs float64 inputs.*input 0 is "
                                         "autodidact.float32.*dtype=autodidact.float64"):
        gradcheck(lambda t: t * 2, (x,))
    y = autodidact.randn(3, 2, dtype=autodidact.float64).t().requires_grad_()
    with pytest.raises(ValueError, match=r"input 0 must be contiguous \(call .contiguous\(\)\)"):
        gradcheck(lambda t: t * 2, (y,))
    z = autodidact.randn(3, dtype=autodidact.float64, requires_grad=True)
    assert gradcheck(lambda t: t * 2, z)                            # one tensor, not a tuple
