"""The same program on a GPU: every op, gradient and training step on ``cuda`` against the CPU.

Every test here is marked ``cuda``: ``pytest -m cuda`` runs them where
CuPy and a GPU are usable, and they are skipped, with the reason, where
not. Each one computes something on the GPU and the same thing on the
CPU (NumPy), and compares values, dtypes, devices and gradients.

The op table is ``tests/test_gradcheck_ops.py``'s (every differentiable op
over shapes that broadcast, 0-d, empty and non-contiguous inputs), so a
new op there is checked on the GPU too.

    AUTODIDACT_FAKE_CUPY=1 python -m pytest -m cuda tests/test_cuda.py

rehearses these tests on a CPU-only machine, with ``tests/fake_cupy.py``
standing in for CuPy.
"""

import copy
import re

import numpy as np
import pytest

import autodidact
from autodidact import backend
from conftest_devices import cuda_skip_reason

pytestmark = pytest.mark.cuda

CUDA0 = autodidact.device("cuda:0")
CPU = autodidact.device("cpu")


@pytest.fixture(autouse=True, scope="module")
def _gpu():
    reason = cuda_skip_reason()
    if reason is not None:
        pytest.skip(reason)


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


def host(t):
    """A tensor's values as a NumPy array, wherever they live."""
    return t.detach().cpu().numpy()


def tolerance(dtype):
    return {"float16": (2e-3, 1e-3), "float32": (2e-5, 1e-6)}.get(dtype.name, (1e-7, 1e-10))


def assert_same(gpu, cpu, what="value"):
    """``gpu`` is on the GPU and equals ``cpu`` (to rounding), in dtype and shape too."""
    assert gpu.device == CUDA0, f"{what} is on {gpu.device}, not cuda:0"
    assert gpu.dtype is cpu.dtype, f"{what}: {gpu.dtype} vs {cpu.dtype}"
    assert tuple(gpu.shape) == tuple(cpu.shape), what
    rtol, atol = tolerance(cpu.dtype)
    if cpu.dtype.is_floating_point:
        np.testing.assert_allclose(host(gpu), host(cpu), rtol=rtol, atol=atol, err_msg=what)
    else:
        np.testing.assert_array_equal(host(gpu), host(cpu), err_msg=what)


# ------------------------------------------------------------ the op table

try:
    from test_gradcheck_ops import PARAMS as OP_PARAMS, make_arrays, wrap
    _TABLE_PROBLEM = None
except Exception as exc:   # noqa: BLE001  (the table moved or broke: the local one still runs)
    OP_PARAMS, _TABLE_PROBLEM = [], f"{type(exc).__name__}: {exc}"


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _run(fn, arrays, device):
    inputs = [autodidact.tensor(a, requires_grad=True, device=device) for a in arrays]
    return inputs, _outputs(fn(autodidact, *inputs))


def _compare_forward_backward(fn, arrays):
    """fn on the GPU and on the CPU: outputs, then gradients of a random projection."""
    cpu_in, cpu_out = _run(fn, arrays, "cpu")
    gpu_in, gpu_out = _run(fn, arrays, "cuda")
    assert len(gpu_out) == len(cpu_out)
    rng = np.random.default_rng(3)
    loss_cpu = loss_gpu = None
    for k, (g, c) in enumerate(zip(gpu_out, cpu_out)):
        assert_same(g, c, f"output {k}")
        if c.requires_grad:
            w = rng.standard_normal(tuple(c.shape))
            term_cpu = (c * autodidact.tensor(w, dtype=c.dtype)).sum()
            term_gpu = (g * autodidact.tensor(w, dtype=g.dtype, device="cuda")).sum()
            loss_cpu = term_cpu if loss_cpu is None else loss_cpu + term_cpu
            loss_gpu = term_gpu if loss_gpu is None else loss_gpu + term_gpu
    if loss_cpu is None:
        return
    assert loss_gpu.device == CUDA0
    loss_cpu.backward()
    loss_gpu.backward()
    for i, (g, c) in enumerate(zip(gpu_in, cpu_in)):
        if c.grad is None:
            assert g.grad is None or not host(g.grad).any(), f"input {i}"
            continue
        assert g.grad is not None, f"input {i} got no gradient on the GPU"
        assert_same(g.grad, c.grad, f"gradient of input {i}")


@pytest.mark.parametrize("c, shapes, noncontig", OP_PARAMS)
def test_every_op_and_gradient_matches_the_cpu(c, shapes, noncontig):
    _compare_forward_backward(wrap(c.fn, noncontig), make_arrays(c, shapes, noncontig))


def test_the_op_table_was_found():
    assert _TABLE_PROBLEM is None, f"tests/test_gradcheck_ops.py's table: {_TABLE_PROBLEM}"
    assert len(OP_PARAMS) > 100


# Ops the shared table leaves out (non-differentiable, integer, bool) and a
# few on their own, so the file still checks the basics if the table moves.
LOCAL = {
    "add": (lambda M, a, b: a + b * 2, [(2, 3), (3,)]),
    "exp_log": (lambda M, a: (a.exp() + 1).log(), [(4,)]),
    "tanh_sigmoid_relu": (lambda M, a: a.tanh() * a.sigmoid() + a.relu(), [(2, 3)]),
    "sum_mean_dims": (lambda M, a: a.sum(0) * a.mean(-1, keepdim=True), [(3, 3)]),
    "max_dim": (lambda M, a: a.max(1).values + a.min(0).values, [(3, 3)]),
    "matmul": (lambda M, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    "softmax": (lambda M, a: a.softmax(-1) * a.log_softmax(0), [(3, 4)]),
    "index_repeat": (lambda M, a: a[[0, 0, 2]] * a[M.tensor([1, 1])].sum(), [(3, 2)]),
    "mask": (lambda M, a: a[a.detach() > 0].sum() + a[:, 1:].prod(), [(3, 3)]),
    "setitem": (lambda M, a: _set_row(M, a), [(3, 4)]),
    "view_shape": (lambda M, a: a.t().reshape(2, -1).flip(1).permute(1, 0), [(3, 4)]),
    "cat_stack": (lambda M, a, b: M.cat([a, b]).sum(0) + M.stack([a, b]).mean(0)[0], [(2, 3), (2, 3)]),
    "var_std": (lambda M, a: a.var(0) + a.std(1, keepdim=True).sum(), [(3, 3)]),
    "clamp_where": (lambda M, a: M.where(a > 0, a.clamp(max=0.5), a * 3), [(5,)]),
    "float32": (lambda M, a: (a.float() * 3).sigmoid().double(), [(4,)]),
}


def _set_row(M, a):
    b = a * 1
    b[1] = a[0] * 2
    b[:, 0] = 7.0
    return b


@pytest.mark.parametrize("name", LOCAL)
def test_local_ops_match_the_cpu(name):
    fn, shapes = LOCAL[name]
    rng = np.random.default_rng(len(name))
    _compare_forward_backward(fn, [rng.standard_normal(s) for s in shapes])


NON_DIFFERENTIABLE = {
    "argmax": lambda M, x, i: x.argmax(1),
    "argmin_keepdim": lambda M, x, i: x.argmin(0, keepdim=True),
    "argmax_all": lambda M, x, i: x.argmax(),
    "max_indices": lambda M, x, i: x.max(1).indices,
    "compare": lambda M, x, i: (x > 0) & (x < 1),
    "eq_ne": lambda M, x, i: (i == 2) | (i != 3),
    "logical_not": lambda M, x, i: ~(x > 0),
    "nonzero": lambda M, x, i: M.nonzero(x > 0),
    "int_floordiv": lambda M, x, i: i // 3,
    "int_remainder": lambda M, x, i: i % -3,
    "int_div": lambda M, x, i: i / 4,
    "int_pow": lambda M, x, i: i ** 2,
    "int_sum": lambda M, x, i: i.sum(1),
    "bool_sum": lambda M, x, i: (x > 0).sum(),
    "int_mul_float": lambda M, x, i: i * 1.5,
    "int8_wrap": lambda M, x, i: i.to(M.int8) * 100,
    "clamp_int": lambda M, x, i: i.clamp(0, 5),
    "all_any": lambda M, x, i: M.stack([(x > -10).all(), (x > 10).any()]),
    "round_sign": lambda M, x, i: (x * 3).round() + x.sign(),
    "isnan": lambda M, x, i: M.where(x > 0, x * float("nan"), x).isnan(),
    "allclose": lambda M, x, i: M.tensor(M.allclose(x, x + 1e-9), device=x.device),
    "cast_bool": lambda M, x, i: i.bool().int(),
    "where_int": lambda M, x, i: M.where(i > 4, i, 0),
    "index_int": lambda M, x, i: i[[1, 1], [0, 3]],
}


@pytest.mark.parametrize("name", NON_DIFFERENTIABLE)
def test_integer_bool_and_index_results_match_the_cpu(name):
    fn = NON_DIFFERENTIABLE[name]
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((3, 4))
    ints = rng.integers(-8, 9, (3, 4))
    cpu = fn(autodidact, autodidact.tensor(xs), autodidact.tensor(ints))
    gpu = fn(autodidact, autodidact.tensor(xs, device="cuda"), autodidact.tensor(ints, device="cuda"))
    assert_same(gpu, cpu, name)


@pytest.mark.parametrize("name", ["tanh", "exp_mul", "matmul", "softmax", "cross_entropy"])
def test_second_derivatives_match_the_cpu(name):
    """create_graph=True on the GPU: a Hessian-vector product, against the CPU's."""
    F = pytest.importorskip("autodidact.nn.functional")
    fns = {
        "tanh": lambda x: x.tanh().sum(),
        "exp_mul": lambda x: (x.exp() * x * x).sum(),
        "matmul": lambda x: ((x @ x.t()) ** 2).sum(),
        "softmax": lambda x: (x.softmax(1) * x).sum(),
        "cross_entropy": lambda x: F.cross_entropy(x, autodidact.tensor([0, 2, 1], device=x.device)),
    }
    rng = np.random.default_rng(1)
    a, v = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    results = []
    for device in ("cpu", "cuda"):
        x = autodidact.tensor(a, requires_grad=True, device=device)
        g, = autodidact.autograd.grad(fns[name](x), x, create_graph=True)
        (g * autodidact.tensor(v, device=device)).sum().backward()
        results.append(x.grad)
    assert_same(results[1], results[0], "Hessian-vector product")


def test_gradcheck_runs_on_the_gpu():
    gradcheck = autodidact.autograd.gradcheck
    x = autodidact.randn(2, 3, dtype=autodidact.float64, device="cuda", requires_grad=True)
    w = autodidact.randn(3, dtype=autodidact.float64, device="cuda", requires_grad=True)
    assert gradcheck(lambda x, w: ((x * w).tanh() @ w).exp(), (x, w))
    assert gradcheck(lambda x: x[[0, 0, 1]].softmax(-1), (x,))


# --------------------------------------------------------- scatter-add


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_repeated_indices_add_their_gradients_on_the_gpu(dtype):
    dt = getattr(autodidact, dtype)
    x = autodidact.tensor([1.0, 2.0, 3.0], dtype=dt, device="cuda", requires_grad=True)
    x[[0, 0, 2]].sum().backward()
    assert x.grad.device == CUDA0 and x.grad.dtype is dt
    assert x.grad.tolist() == [2.0, 0.0, 1.0]


def test_repeated_index_pairs_rows_and_index_tensors_on_the_gpu():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 4))
    for key in (([0, 0, 2], [1, 1, 1]), (slice(None), [3, 3, 0]), [2, 2, 2]):
        _compare_forward_backward(lambda M, x: x[key] * 2, [a])
    x = autodidact.tensor(a, device="cuda", requires_grad=True)
    index = autodidact.tensor([1, 1, 0], device="cuda")
    (x[index] ** 2).sum().backward()
    expected = np.zeros_like(a)
    np.add.at(expected, [1, 1, 0], 2 * a[[1, 1, 0]])
    np.testing.assert_allclose(host(x.grad), expected)
    y = autodidact.tensor(a, device="cuda", requires_grad=True)
    y.index_select(0, autodidact.tensor([2, 2], device="cuda")).sum().backward()
    assert host(y.grad)[2].tolist() == [2.0] * 4 and not host(y.grad)[:2].any()


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float32, np.float64, np.float16])
def test_backend_scatter_add_on_gpu_arrays(dtype):
    import cupy
    key = (np.array([0, 2, 0, 0]), slice(None))
    start = np.arange(12).reshape(3, 4).astype(dtype)
    values = np.arange(16).reshape(4, 4).astype(dtype)
    expected = start.copy()
    np.add.at(expected, key, values)
    out = cupy.asarray(start)
    backend.scatter_add(out, (cupy.asarray(key[0]), key[1]), cupy.asarray(values))
    np.testing.assert_allclose(out.get(), expected, rtol=1e-3)


# -------------------------------------------------------------- creation


CREATORS = {
    "zeros": lambda M, d: M.zeros(2, 3, device=d),
    "ones_int": lambda M, d: M.ones((2,), dtype=M.int32, device=d),
    "full": lambda M, d: M.full((2, 2), 3.5, device=d),
    "full_int": lambda M, d: M.full((3,), 7, device=d),
    "arange": lambda M, d: M.arange(5, device=d),
    "arange_float": lambda M, d: M.arange(0, 1, 0.25, device=d),
    "linspace": lambda M, d: M.linspace(-1, 1, 5, device=d),
    "eye": lambda M, d: M.eye(3, device=d),
    "eye_rect": lambda M, d: M.eye(2, 4, dtype=M.float64, device=d),
    "tensor": lambda M, d: M.tensor([[1, 2], [3, 4]], device=d),
    "tensor_float": lambda M, d: M.tensor([1.5, -2.0], device=d, requires_grad=True),
    "zeros_like": lambda M, d: M.zeros_like(M.ones(2, 2, device=d)),
    "ones_like_dtype": lambda M, d: M.ones_like(M.ones(2, device=d), dtype=M.float64),
    "full_like": lambda M, d: M.full_like(M.ones(3, device=d), 2.0),
    "legacy": lambda M, d: M.Tensor([1, 2, 3], device=d),
    "new_tensor": lambda M, d: M.ones(2, device=d).new_tensor([5.0, 6.0]),
}


@pytest.mark.parametrize("name", CREATORS)
def test_creation_functions_take_device(name):
    cpu = CREATORS[name](autodidact, "cpu")
    gpu = CREATORS[name](autodidact, "cuda")
    assert_same(gpu, cpu, name)
    assert gpu.is_cuda and gpu.requires_grad == cpu.requires_grad and gpu.is_leaf


def test_uninitialised_and_random_creation_on_the_gpu():
    for t in (autodidact.empty(2, 3, device="cuda"), autodidact.Tensor(2, 3, device="cuda"),
              autodidact.rand(2, 3, device="cuda"), autodidact.randn(2, 3, device="cuda"),
              autodidact.empty_like(autodidact.ones(2, 3, device="cuda"))):
        assert t.device == CUDA0 and t.shape == (2, 3) and t.dtype is autodidact.float32
    r = autodidact.rand(1000, device="cuda", dtype=autodidact.float64)
    assert 0 <= r.min().item() and r.max().item() < 1 and r.dtype is autodidact.float64
    n = autodidact.randn(4000, device="cuda")
    assert abs(n.mean().item()) < 0.1 and abs(n.std().item() - 1) < 0.1
    i = autodidact.randint(3, 7, (500,), device="cuda")
    assert i.dtype is autodidact.int64 and i.device == CUDA0
    assert set(host(i).tolist()) == {3, 4, 5, 6}
    p = autodidact.randperm(20, device="cuda")
    assert p.device == CUDA0 and p.dtype is autodidact.int64
    assert sorted(host(p).tolist()) == list(range(20))
    assert autodidact.rand_like(autodidact.ones(2, device="cuda")).device == CUDA0
    assert autodidact.randn_like(autodidact.ones(2), device="cuda").device == CUDA0


def test_manual_seed_seeds_both_devices_reproducibly():
    def draw():
        return [host(autodidact.rand(5, device="cuda")), host(autodidact.randn(3, device="cuda")),
                host(autodidact.randint(0, 100, (4,), device="cuda")),
                host(autodidact.randperm(6, device="cuda")), host(autodidact.rand(3))]
    autodidact.manual_seed(1234)
    first = draw()
    autodidact.manual_seed(1234)
    second = draw()
    autodidact.cuda.manual_seed(1234)
    third = draw()
    for a, b, c in zip(first, second, third):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    autodidact.manual_seed(99)
    assert not np.array_equal(host(autodidact.rand(5, device="cuda")), first[0])


def test_the_cpu_stream_does_not_depend_on_gpu_draws():
    autodidact.manual_seed(7)
    plain = host(autodidact.rand(4))
    autodidact.manual_seed(7)
    autodidact.rand(100, device="cuda")
    assert np.array_equal(host(autodidact.rand(4)), plain)


def test_in_place_random_fills_on_the_gpu():
    w = autodidact.empty(300, device="cuda")
    w.uniform_(-2, 2)
    assert w.device == CUDA0 and -2 <= w.min().item() and w.max().item() < 2
    w.normal_(5.0, 0.1)
    assert abs(w.mean().item() - 5.0) < 0.05
    nn = pytest.importorskip("autodidact.nn")
    layer = nn.Linear(8, 4, device="cuda")
    assert layer.weight.device == CUDA0 and layer.bias.device == CUDA0
    assert abs(layer.weight).max().item() <= 1 / np.sqrt(8)


# ----------------------------------------------------------------- moves


def test_moves_between_devices():
    x = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]])
    for moved in (x.cuda(), x.cuda(0), x.to("cuda"), x.to("cuda:0"), x.to(CUDA0), x.to(0),
                  x.to(autodidact.device("cuda")), x.to(device="cuda")):
        assert moved.device == CUDA0 and moved.is_cuda
        assert str(moved.device) == "cuda:0" and moved.device.index == 0
        assert moved.tolist() == x.tolist()
    g = x.cuda()
    assert g.cuda() is g and g.to("cuda") is g and g.to(CUDA0) is g
    back = g.cpu()
    assert back.device == CPU and back.tolist() == x.tolist() and g.to("cpu").device == CPU
    assert back is not x and not np.shares_memory(back.numpy(), x.numpy())


def test_to_another_tensor_moves_and_casts():
    target = autodidact.zeros(1, dtype=autodidact.float64, device="cuda")
    x = autodidact.tensor([1.5, 2.5])
    y = x.to(target)
    assert y.device == CUDA0 and y.dtype is autodidact.float64 and y.tolist() == [1.5, 2.5]
    z = y.to(x)
    assert z.device == CPU and z.dtype is autodidact.float32
    w = x.to("cuda", autodidact.int64)
    assert w.device == CUDA0 and w.dtype is autodidact.int64 and w.tolist() == [1, 2]
    c = y.to("cuda", copy=True)
    assert c is not y and c.device == CUDA0


def test_gradients_flow_back_across_moves():
    x = autodidact.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.cuda()
    assert y.grad_fn.name() == "ToCopyBackward0" and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.device == CPU and x.grad.tolist() == [2.0, 4.0, 6.0]

    w = autodidact.tensor([1.0, -1.0], device="cuda", requires_grad=True)
    (w.cpu() * 3).sum().backward()
    assert w.grad.device == CUDA0 and w.grad.tolist() == [3.0, 3.0]

    a = autodidact.tensor([2.0], requires_grad=True)
    b = (a.cuda() * 5).cpu().to("cuda", autodidact.float64) ** 2
    b.sum().backward()
    assert a.grad.device == CPU and a.grad.dtype is autodidact.float32 and a.grad.tolist() == [100.0]

    with autodidact.no_grad():
        assert a.cuda().grad_fn is None


def test_cpu_scalar_tensors_join_gpu_ops_and_get_their_gradient():
    """As in PyTorch, a 0-d CPU tensor may be used with GPU tensors (like a number)."""
    x = autodidact.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    s = autodidact.tensor(3.0, requires_grad=True)
    y = x * s + autodidact.tensor(1.0)
    assert y.device == CUDA0 and y.tolist() == [4.0, 7.0]
    y.sum().backward()
    assert x.grad.device == CUDA0 and x.grad.tolist() == [3.0, 3.0]
    assert s.grad.device == CPU and s.grad.item() == 3.0


def test_tensor_facts_on_the_gpu():
    x = autodidact.tensor([[1.5, 2.0]], device="cuda", requires_grad=True)
    assert repr(x) == "tensor([[1.5000, 2.0000]], device='cuda:0', requires_grad=True)"
    assert repr(x * 2).endswith("device='cuda:0', grad_fn=<MulBackward0>)")
    assert x.type() == "autodidact.cuda.FloatTensor"
    assert x.tolist() == [[1.5, 2.0]] and x[0, 1].item() == 2.0 and float(x.sum()) == 3.5
    assert bool(x.sum() > 3) and len(x) == 1
    assert x.detach().device == CUDA0 and x.data.device == CUDA0 and x.clone().device == CUDA0
    assert x.is_contiguous() and x.expand(2, 2).t().is_contiguous() is False
    d = copy.deepcopy(x)
    assert d.device == CUDA0 and d.requires_grad and d.tolist() == x.tolist()


def test_numpy_of_a_gpu_tensor_raises_and_says_cpu_first():
    x = autodidact.ones(2, device="cuda")
    with raises(TypeError, "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                           "to copy the tensor to host memory first."):
        x.numpy()
    with pytest.raises(TypeError):
        np.asarray(x)
    assert x.cpu().numpy().tolist() == [1.0, 1.0]
    assert x.numpy(force=True).tolist() == [1.0, 1.0]


MISMATCH = ("Expected all tensors to be on the same device, but found at least two devices, "
            "cuda:0 and cpu!")


def test_mixing_devices_raises_pytorchs_error():
    g = autodidact.ones(2, 2, device="cuda", requires_grad=True)
    c = autodidact.ones(2, 2)
    for op in (lambda: g + c, lambda: c + g, lambda: c * g, lambda: g @ c,
               lambda: autodidact.cat([g, c]), lambda: autodidact.where(c > 0, g, c)):
        with raises(RuntimeError, MISMATCH):
            op()
    with raises(RuntimeError, MISMATCH):
        g.detach()[0] = c[0]


def test_out_and_in_place_ops_on_the_gpu():
    a = autodidact.tensor([1.0, 2.0], device="cuda")
    b = autodidact.tensor([3.0, 4.0], device="cuda")
    out = autodidact.empty(2, device="cuda")
    assert autodidact.add(a, b, out=out) is out and out.tolist() == [4.0, 6.0]
    a.add_(1).mul_(b).sub_(0.5)
    assert a.tolist() == [5.5, 11.5] and a.device == CUDA0
    a[0] = 10
    a[a > 11] = 0.0
    assert a.tolist() == [10.0, 0.0]
    a.copy_(autodidact.tensor([7.0, 8.0]))            # from the CPU: copy_ moves it
    assert a.tolist() == [7.0, 8.0] and a.device == CUDA0
    a.fill_(2.0)
    assert a.tolist() == [2.0, 2.0]
    a.zero_()
    assert a.tolist() == [0.0, 0.0]
    i = autodidact.tensor([1, 2, 3], device="cuda")
    i += 1
    i[[0, 0]] = 9
    assert i.tolist() == [9, 3, 4]


def test_serialization_of_gpu_tensors(tmp_path):
    x = autodidact.tensor([1.0, 2.0], device="cuda")
    autodidact.save({"x": x}, tmp_path / "t.npz")
    loaded = autodidact.load(tmp_path / "t.npz")
    assert loaded["x"].device == CPU and loaded["x"].tolist() == [1.0, 2.0]
    onto = autodidact.load(tmp_path / "t.npz", map_location="cuda")
    assert onto["x"].device == CUDA0


def test_cuda_module_facts():
    assert autodidact.cuda.is_available() is True
    assert autodidact.cuda.device_count() >= 1
    assert autodidact.cuda.current_device() == 0
    assert autodidact.cuda.unavailable_reason() == ""
    assert isinstance(autodidact.cuda.get_device_name(), str)
    autodidact.cuda.synchronize()
    assert autodidact.device("cuda") == autodidact.ones(1, device="cuda").device


# ------------------------------------------------------- nn and optim


def _train(device, optimizer, steps=6, loss="cross_entropy"):
    nn = pytest.importorskip("autodidact.nn")
    optim = pytest.importorskip("autodidact.optim")
    autodidact.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 4))   # made on the CPU
    model.to(device)
    rng = np.random.default_rng(0)
    x = autodidact.tensor(rng.standard_normal((16, 20)), dtype=autodidact.float32, device=device)
    if loss == "cross_entropy":
        y = autodidact.tensor(rng.integers(0, 4, 16), device=device)
        loss_fn = nn.CrossEntropyLoss()
    else:
        y = autodidact.tensor(rng.standard_normal((16, 4)), dtype=autodidact.float32, device=device)
        loss_fn = nn.MSELoss()
    opt = {"sgd": lambda p: optim.SGD(p, lr=0.1),
           "sgd_momentum": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3,
                                               nesterov=True),
           "adam": lambda p: optim.Adam(p, lr=1e-2),
           "adamw_amsgrad": lambda p: optim.AdamW(p, lr=1e-2, amsgrad=True)}[optimizer](
        model.parameters())
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        value = loss_fn(model(x), y)
        value.backward()
        opt.step()
        losses.append(value.item())
    return losses, model, opt


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum", "adam", "adamw_amsgrad"])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_training_on_the_gpu_matches_the_cpu(optimizer, loss):
    cpu_losses, cpu_model, _ = _train("cpu", optimizer, loss=loss)
    gpu_losses, gpu_model, opt = _train("cuda", optimizer, loss=loss)
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-4, atol=1e-5)
    assert gpu_losses[-1] < gpu_losses[0]
    for (name, p), q in zip(gpu_model.named_parameters(), cpu_model.parameters()):
        assert p.device == CUDA0 and p.grad.device == CUDA0, name
        np.testing.assert_allclose(host(p), host(q), rtol=1e-4, atol=1e-5, err_msg=name)
    for state in opt.state.values():
        for key, value in state.items():
            if isinstance(value, autodidact.Tensor) and key != "step":
                assert value.device == CUDA0, key


def test_modules_move_and_keep_working():
    nn = pytest.importorskip("autodidact.nn")
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    x = autodidact.randn(4, 3)
    expected = host(model(x))
    assert model.cuda() is model
    assert all(p.device == CUDA0 for p in model.parameters())
    out = model(x.cuda())
    assert out.device == CUDA0
    np.testing.assert_allclose(host(out), expected, rtol=1e-5, atol=1e-6)
    with raises(RuntimeError, MISMATCH):
        model(x)
    state = model.state_dict()
    assert all(v.device == CUDA0 for v in state.values())
    fresh = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    fresh.load_state_dict(state)                     # GPU values into CPU parameters
    np.testing.assert_allclose(host(fresh(x)), expected, rtol=1e-5, atol=1e-6)
    model.cpu()
    assert all(p.device == CPU for p in model.parameters())
    F = pytest.importorskip("autodidact.nn.functional")
    logits = autodidact.randn(5, 3, device="cuda", requires_grad=True)
    target = autodidact.tensor([0, 2, 1, 1, 0], device="cuda")
    F.cross_entropy(logits, target).backward()
    assert logits.grad.device == CUDA0
    with raises(RuntimeError, MISMATCH):
        F.cross_entropy(logits, target.cpu())
