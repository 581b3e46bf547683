"""nn's layers beyond Linear: activations, Dropout, Embedding, BatchNorm1d, LayerNorm, Flatten,
the dict and list containers, and the ``nn.modules`` import path.

Each is compared with PyTorch 2.13 through the ``torch_oracle`` fixture:
reprs, parameter and buffer names, initial values that need no random
draw, values and gradients from the same weights, errors; gradients are
also checked by finite differences (``gradcheck``, float64).
"""

import numpy as np
import pytest

import autodidact as ad
import autodidact.nn.functional as F
from autodidact import nn
from autodidact.autograd import gradcheck


def ours_and_theirs(torch, array, requires_grad=True):
    ours = ad.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return ours, theirs


def same(ours, theirs, rtol=1e-6, atol=1e-7):
    a = ours.detach().numpy()
    b = theirs.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def copy_parameters(torch, ours, theirs):
    with torch.no_grad():
        for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == tname
            tp.copy_(torch.from_numpy(p.detach().numpy().copy()))


def run_both(torch, make, x_array, *, train=True, steps=1):
    """Build the layer in both frameworks with the same weights, run forward and backward."""
    ours, theirs = make(nn), make(torch.nn)
    copy_parameters(torch, ours, theirs)
    ours.train(train)
    theirs.train(train)
    rng = np.random.default_rng(1)
    for _ in range(steps):
        x, tx = ours_and_theirs(torch, x_array)
        out, tout = ours(x), theirs(tx)
        weights = rng.standard_normal(out.shape)
        (out * ad.tensor(weights, dtype=out.dtype)).sum().backward()
        (tout * torch.tensor(weights, dtype=tout.dtype)).sum().backward()
        same(out, tout, rtol=1e-5, atol=1e-6)   # float32 statistics, summed in another order
        same(x.grad, tx.grad, rtol=1e-5, atol=1e-6)
        x_array = x_array * 1.5 + 0.25
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        same(p.grad, tp.grad, rtol=1e-5, atol=1e-6)
    return ours, theirs


# ------------------------------------------------------------------ reprs and names

REPRS = [
    "LeakyReLU()", "LeakyReLU(0.2, True)", "ELU()", "ELU(0.5, inplace=True)", "GELU()",
    "GELU('tanh')", "Softplus()", "Softplus(2, 10)", "Hardtanh()", "Hardtanh(-2.0, 3.0)",
    "ReLU6()", "ReLU6(True)", "SiLU()", "SiLU(True)", "Dropout()", "Dropout(0.2, True)",
    "Embedding(10, 3)", "Embedding(10, 3, padding_idx=-1)", "Embedding(4, 2, max_norm=1.0)",
    "BatchNorm1d(3)", "BatchNorm1d(3, affine=False, track_running_stats=False, momentum=None)",
    "BatchNorm1d(4, eps=1e-3, bias=False)", "LayerNorm(5)", "LayerNorm([2, 3], elementwise_affine=False)",
    "LayerNorm(4, bias=False)", "Flatten()", "Flatten(0, 2)", "Unflatten(1, (2, 5))",
    "Sequential(Flatten(), Linear(4, 3), BatchNorm1d(3), GELU(), Dropout(0.1), Linear(3, 2))",
    "ModuleDict({'act': ReLU(), 'lin': Linear(2, 3)})",
]


@pytest.mark.parametrize("source", REPRS)
def test_reprs_match_pytorchs(torch_oracle, source):
    ours = eval(source, dict(vars(nn)))
    theirs = eval(source, dict(vars(torch_oracle.nn)))
    assert repr(ours) == repr(theirs).replace("torch.", "autodidact.")


def test_parameter_containers_register_their_entries_and_print_like_pytorch(torch_oracle):
    def build(lib):
        return lib.nn.ParameterList([lib.nn.Parameter(lib.ones(3)), lib.zeros(2, 2)]), \
            lib.nn.ParameterDict({"w": lib.nn.Parameter(lib.ones(2, 3)), "b": lib.zeros(2)})
    (plist, pdict), (tlist, tdict) = build(ad), build(torch_oracle)
    assert repr(plist) == repr(tlist).replace("torch.", "autodidact.")
    assert repr(pdict) == repr(tdict).replace("torch.", "autodidact.")
    assert [n for n, _ in plist.named_parameters()] == ["0", "1"]
    assert all(type(p) is nn.Parameter for p in plist) and type(pdict["b"]) is nn.Parameter
    assert list(pdict.state_dict()) == list(tdict.state_dict()) == ["b", "w"]   # a dict: sorted
    plist.append(ad.ones(1))
    assert len(plist) == 3 and plist[-1].requires_grad
    assert "w" in pdict and list(pdict.keys()) == ["b", "w"]
    del pdict["w"]
    assert len(pdict) == 1


def test_module_dict_registers_modules_in_order():
    heads = nn.ModuleDict({"a": nn.Linear(2, 3)})
    heads["b"] = nn.Linear(3, 1)
    heads.update([("c", nn.ReLU())])
    assert list(heads) == ["a", "b", "c"] and "b" in heads and len(heads) == 3
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    assert isinstance(heads.pop("c"), nn.ReLU) and list(heads.keys()) == ["a", "b"]


def test_state_dict_keys_match_pytorchs(torch_oracle):
    def build(lib):
        return lib.nn.Sequential(lib.nn.Embedding(5, 4, padding_idx=0), lib.nn.Flatten(),
                                 lib.nn.Linear(8, 6), lib.nn.BatchNorm1d(6), lib.nn.ReLU(),
                                 lib.nn.LayerNorm(6), lib.nn.Dropout(), lib.nn.Linear(6, 2))
    ours, theirs = build(ad), build(torch_oracle)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.state_dict()["3.num_batches_tracked"].dtype is ad.int64
    assert list(nn.BatchNorm1d(2, track_running_stats=False).state_dict()) == ["weight", "bias"]


def test_module_path_of_pytorchs_tutorials():
    import autodidact.nn.modules.loss as loss_module
    from autodidact.nn.modules import Module, Linear
    from autodidact.nn.modules.batchnorm import BatchNorm1d
    from autodidact.nn.modules.loss import _Loss
    assert Module is nn.Module and Linear is nn.Linear and BatchNorm1d is nn.BatchNorm1d
    assert issubclass(nn.MSELoss, _Loss) and loss_module.CrossEntropyLoss is nn.CrossEntropyLoss
    assert nn.modules.linear.Linear is nn.Linear


def test_initialisation_draws_through_nn_init_in_pytorchs_order(torch_oracle, monkeypatch):
    """Every layer fills its parameters by the same nn.init calls as PyTorch, in the same order,
    so that with the same random stream the parameters are the same."""
    def record(lib_init, log):
        depth = [0]   # only the calls a layer makes, not those one init function makes of another
        for name in ("uniform_", "normal_", "ones_", "zeros_", "kaiming_uniform_"):
            original = getattr(lib_init, name)

            def spy(tensor, *args, _original=original, _name=name, **kwargs):
                if depth[0] == 0:
                    log.append((_name, tuple(tensor.shape)))
                depth[0] += 1
                try:
                    return _original(tensor, *args, **kwargs)
                finally:
                    depth[0] -= 1
            monkeypatch.setattr(lib_init, name, spy)

    ours_log, theirs_log = [], []
    record(nn.init, ours_log)
    record(torch_oracle.nn.init, theirs_log)
    for lib, log in ((nn, ours_log), (torch_oracle.nn, theirs_log)):
        lib.Embedding(6, 3, padding_idx=2)
        lib.BatchNorm1d(4)
        lib.LayerNorm((2, 3))
        lib.Linear(3, 2)
    assert ours_log == theirs_log and ours_log[0] == ("normal_", (6, 3))


# ------------------------------------------------------------------ activations

ACTIVATIONS = [
    ("LeakyReLU", (), "leaky_relu", {}), ("LeakyReLU", (0.2,), "leaky_relu", {"negative_slope": 0.2}),
    ("ELU", (), "elu", {}), ("ELU", (0.7,), "elu", {"alpha": 0.7}),
    ("GELU", (), "gelu", {}), ("GELU", ("tanh",), "gelu", {"approximate": "tanh"}),
    ("Softplus", (), "softplus", {}), ("Softplus", (2.0, 1.0), "softplus", {"beta": 2.0, "threshold": 1.0}),
    ("Hardtanh", (), "hardtanh", {}), ("Hardtanh", (-0.5, 2.0), "hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("ReLU6", (), "relu6", {}), ("SiLU", (), "silu", {}),
]
# Boundaries where kernels branch (0, ±1, 6, the softplus threshold) and large magnitudes.
POINTS = np.array([-1e4, -30.0, -6.0, -2.0, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 2.0, 6.0, 7.0, 10.0,
                   25.0, 1e4])


@pytest.mark.parametrize("module, args, function, kwargs", ACTIVATIONS,
                         ids=[f"{a[0]}{a[1]}" for a in ACTIVATIONS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activations_match_pytorch_values_gradients_and_nodes(torch_oracle, module, args,
                                                              function, kwargs, dtype):
    array = POINTS.astype(dtype)
    x, tx = ours_and_theirs(torch_oracle, array)
    out, tout = getattr(nn, module)(*args)(x), getattr(torch_oracle.nn, module)(*args)(tx)
    # gelu's erf is computed in float64 here, in float32 by PyTorch: a last-bit difference.
    tolerance = dict(rtol=1e-5, atol=1e-7) if dtype == "float32" else {}
    same(out, tout, **tolerance)
    assert out.grad_fn.name() == type(tout.grad_fn).__name__
    out.sum().backward()
    tout.sum().backward()
    same(x.grad, tx.grad, **tolerance)
    same(getattr(F, function)(x, **kwargs),
         getattr(torch_oracle.nn.functional, function)(tx, **kwargs), **tolerance)


@pytest.mark.parametrize("function, kwargs", [(a[2], a[3]) for a in ACTIVATIONS],
                         ids=[f"{a[2]}{a[3]}" for a in ACTIVATIONS])
def test_activations_gradcheck(function, kwargs):
    # Away from the kinks, where finite differences are exact enough.
    x = ad.tensor([[-2.3, -0.7, 0.3], [0.9, 1.7, 3.1]], dtype=ad.float64, requires_grad=True)
    assert gradcheck(lambda t: getattr(F, function)(t, **kwargs), (x,))


SMOOTH = [a[2:] for a in ACTIVATIONS if a[2] in ("elu", "gelu", "softplus", "silu")]


@pytest.mark.parametrize("function, kwargs", SMOOTH, ids=[f"{a[0]}{a[1]}" for a in SMOOTH])
def test_smooth_activations_second_derivative_matches_pytorch(torch_oracle, function, kwargs):
    array = np.array([[-2.3, -0.7, 0.3], [0.9, 1.7, 3.1]])
    x = ad.tensor(array, requires_grad=True)
    grad, = ad.autograd.grad(getattr(F, function)(x, **kwargs).sum(), x, create_graph=True)
    second, = ad.autograd.grad(grad.sum(), x)
    tx = torch_oracle.tensor(array, requires_grad=True)
    tgrad, = torch_oracle.autograd.grad(
        getattr(torch_oracle.nn.functional, function)(tx, **kwargs).sum(), tx, create_graph=True)
    tsecond, = torch_oracle.autograd.grad(tgrad.sum(), tx)
    same(grad, tgrad)
    same(second, tsecond, rtol=1e-6, atol=1e-12)


def test_inplace_activation_writes_into_its_input():
    x = ad.tensor([-1.0, 2.0])
    assert nn.LeakyReLU(0.5, inplace=True)(x) is x and x.tolist() == [-0.5, 2.0]
    y = ad.tensor([-3.0, 8.0])
    nn.ReLU6(inplace=True)(y)
    assert y.tolist() == [0.0, 6.0]


def test_activation_errors_match_pytorchs(torch_oracle):
    for lib in (ad, torch_oracle):
        with pytest.raises(AssertionError, match=r"^max_val \(1.0\) must be greater than "
                                                 r"min_val \(2.0\)$"):
            lib.nn.Hardtanh(2.0, 1.0)
        with pytest.raises(ValueError, match="^min_val cannot be greater than max_val$"):
            lib.nn.functional.hardtanh(lib.ones(2), 2.0, 1.0)
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        F.gelu(ad.ones(2), approximate="fast")


# ------------------------------------------------------------------ Dropout

def test_dropout_zeroes_and_rescales_in_training_and_passes_through_in_eval():
    ad.manual_seed(0)
    drop = nn.Dropout(0.25)
    x = ad.ones(200, 50, requires_grad=True)
    out = drop(x)
    values = set(np.unique(out.detach().numpy()).tolist())
    assert values == {0.0, np.float32(1 / 0.75)}
    kept = (out.detach().numpy() != 0).mean()
    assert 0.72 < kept < 0.78   # 10,000 draws: 0.75 within 7 standard deviations
    assert out.grad_fn.name() == "MulBackward0"
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), out.detach().numpy())   # the mask, scaled
    drop.eval()
    assert drop(x) is x
    assert F.dropout(x, 0.0) is x and F.dropout(x, 0.5, training=False) is x


def test_dropout_edge_cases_and_errors_match_pytorch(torch_oracle):
    x, tx = ours_and_theirs(torch_oracle, np.arange(6.0).reshape(2, 3))
    out, tout = F.dropout(x, 1.0), torch_oracle.nn.functional.dropout(tx, 1.0)
    same(out, tout)
    assert out.grad_fn.name() == type(tout.grad_fn).__name__ == "MulBackward0"
    for lib in (nn, torch_oracle.nn):
        with pytest.raises(ValueError, match=r"^dropout probability has to be between 0 and 1, "
                                             r"but got 1.5$"):
            lib.Dropout(1.5)
    y = ad.ones(4, 4)
    assert F.dropout(y, 0.5, inplace=True) is y
    assert set(np.unique(y.numpy()).tolist()) <= {0.0, 2.0}


# ------------------------------------------------------------------ Embedding

def test_embedding_matches_pytorch_and_padding_gets_no_gradient(torch_oracle):
    def make(lib):
        return lib.Embedding(6, 3, padding_idx=2)
    ours = make(nn)
    assert ours.weight[2].tolist() == [0.0, 0.0, 0.0]
    indices = np.array([[0, 2, 5], [2, 2, 1]])
    theirs = make(torch_oracle.nn)
    copy_parameters(torch_oracle, ours, theirs)
    out, tout = ours(ad.tensor(indices)), theirs(torch_oracle.tensor(indices))
    same(out, tout)
    assert out.grad_fn.name() == "EmbeddingBackward0" and len(out.grad_fn.next_functions) == 1
    weights = np.random.default_rng(0).standard_normal((2, 3, 3)).astype(np.float32)
    (out * ad.tensor(weights)).sum().backward()
    (tout * torch_oracle.tensor(weights)).sum().backward()
    same(ours.weight.grad, theirs.weight.grad)
    assert ours.weight.grad[2].tolist() == [0.0, 0.0, 0.0]


def test_embedding_gradcheck_and_from_pretrained():
    weight = ad.randn(5, 2, dtype=ad.float64, requires_grad=True)
    indices = ad.tensor([[1, 1], [4, 0]])
    assert gradcheck(lambda w: F.embedding(indices, w), (weight,))
    table = ad.arange(6.0).reshape(3, 2)
    emb = nn.Embedding.from_pretrained(table)
    assert not emb.weight.requires_grad and emb(ad.tensor([2])).tolist() == [[4.0, 5.0]]
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad


def test_embedding_errors_match_pytorchs(torch_oracle):
    for lib in (ad, torch_oracle):
        emb = lib.nn.Embedding(4, 2)
        with pytest.raises(IndexError, match="^index out of range in self$"):
            emb(lib.tensor([4]))
        with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices' to have "
                                               "one of the following scalar types: Long, Int; "
                                               "but got"):
            emb(lib.tensor([1.0]))
        with pytest.raises(AssertionError, match="^Padding_idx must be within num_embeddings$"):
            lib.nn.Embedding(4, 2, padding_idx=4)


# ------------------------------------------------------------------ BatchNorm1d and LayerNorm

@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5)])
@pytest.mark.parametrize("options", [{}, {"momentum": None}, {"affine": False},
                                     {"track_running_stats": False}, {"bias": False}],
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults")
def test_batch_norm_trains_and_evaluates_as_pytorch(torch_oracle, shape, options):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(shape) * 3 + 2).astype(np.float32)
    make = lambda lib: lib.BatchNorm1d(3, **options)  # noqa: E731
    ours, theirs = run_both(torch_oracle, make, x, steps=3)
    for name, buffer in theirs.state_dict().items():
        same(ours.state_dict()[name], buffer, rtol=1e-5, atol=1e-6)
    ours.eval()
    theirs.eval()
    for module in (ours, theirs):
        for p in module.parameters():
            p.grad = None
    run_both(torch_oracle, lambda lib: ours if lib is nn else theirs, x * 0.5 - 1, train=False)


def test_batch_norm_gradcheck_in_training_and_evaluation():
    x = ad.randn(5, 3, 2, dtype=ad.float64, requires_grad=True)
    w = ad.randn(3, dtype=ad.float64, requires_grad=True)
    b = ad.randn(3, dtype=ad.float64, requires_grad=True)
    mean, var = ad.randn(3, dtype=ad.float64), ad.rand(3, dtype=ad.float64) + 0.5
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w, b))
    assert gradcheck(lambda x, w, b: F.batch_norm(x, mean, var, w, b), (x, w, b))
    out = F.batch_norm(x, None, None, w, b, training=True)
    assert out.grad_fn.name() == "NativeBatchNormBackward0" and len(out.grad_fn.next_functions) == 3


def test_batch_norm_errors_match_pytorchs(torch_oracle):
    for lib in (ad, torch_oracle):
        bn = lib.nn.BatchNorm1d(3)
        with pytest.raises(ValueError, match=r"^Expected more than 1 value per channel when "
                                             r"training, got input size "):
            bn(lib.ones(1, 3))
        with pytest.raises(ValueError, match=r"^expected 2D or 3D input \(got 4D input\)$"):
            bn(lib.ones(2, 3, 1, 1))
        bn.eval()
        assert bn(lib.ones(1, 3)).shape == (1, 3)   # one sample is fine in eval mode


@pytest.mark.parametrize("shape, normalized", [((4, 5), 5), ((2, 3, 4), (3, 4)), ((6,), [6])])
@pytest.mark.parametrize("options", [{}, {"elementwise_affine": False}, {"bias": False}],
                         ids=["defaults", "no-affine", "no-bias"])
def test_layer_norm_matches_pytorch(torch_oracle, shape, normalized, options):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal(shape) * 2 - 1).astype(np.float32)

    def make(lib):
        layer = lib.LayerNorm(normalized, **options)
        if layer.weight is not None:   # not the ones and zeros they start from
            with (ad if lib is nn else __import__("torch")).no_grad():
                layer.weight.mul_(1.5).add_(0.25)
        return layer
    ours, _ = run_both(torch_oracle, make, x)
    x64 = ad.tensor(x.astype(np.float64), requires_grad=True)
    params = [p.detach().double().requires_grad_() for p in ours.parameters()]
    assert gradcheck(lambda x, *ps: F.layer_norm(x, normalized, *ps), (x64, *params))


def test_layer_norm_shape_error_matches_pytorchs(torch_oracle):
    for lib in (ad, torch_oracle):
        with pytest.raises(RuntimeError, match=r"^Given normalized_shape=\[5\], expected input "
                                               r"with shape \[\*, 5\], but got input of "
                                               r"size\[4, 3\]$"):
            lib.nn.LayerNorm(5)(lib.ones(4, 3))


# ------------------------------------------------------------------ Flatten

def test_flatten_and_unflatten_match_pytorch(torch_oracle):
    x, tx = ours_and_theirs(torch_oracle, np.arange(24.0).reshape(2, 3, 4))
    for args in [(), (0,), (0, 1), (1, 2)]:
        same(nn.Flatten(*args)(x), torch_oracle.nn.Flatten(*args)(tx))
    same(nn.Unflatten(2, (2, 2))(x), torch_oracle.nn.Unflatten(2, (2, 2))(tx))
    for lib in (nn, torch_oracle.nn):
        with pytest.raises(TypeError, match="^unflattened_size must be tuple of ints, but found "
                                            "element of type float at pos 0$"):
            lib.Unflatten(1, (2.0, 3))


# ------------------------------------------------------------------ on every device

def test_new_layers_train_on_every_device(device):
    ad.manual_seed(0)
    model = nn.Sequential(nn.Embedding(7, 4, padding_idx=0), nn.Flatten(), nn.Linear(8, 6),
                          nn.BatchNorm1d(6), nn.GELU(), nn.LayerNorm(6), nn.Dropout(0.2),
                          nn.SiLU(), nn.Linear(6, 3)).to(device)
    tokens = ad.tensor([[1, 2], [3, 0], [6, 5], [0, 4]], device=device)
    loss = nn.CrossEntropyLoss()(model(tokens), ad.tensor([0, 1, 2, 1], device=device))
    loss.backward()
    assert loss.device.type == device
    assert all(p.grad is not None and p.grad.device.type == device for p in model.parameters())
    assert model[3].running_mean.device.type == device and model[3].num_batches_tracked.item() == 1
    assert model[0].weight.grad[0].abs().sum().item() == 0.0
    model.eval()
    assert model(tokens).shape == (4, 3)


# ------------------------------------------------------------------ Module's walking and casting

def test_module_tree_walks_casts_and_prints_as_pytorch(torch_oracle):
    """named_modules (with and without duplicates), named_children, buffers (persistent or
    not), apply's order, requires_grad_, half/double (int64 buffers stay), print(model)."""
    def facts(lib):
        nn_ = lib.nn
        shared = nn_.Linear(2, 2)

        class Net(nn_.Module):
            def __init__(self):
                super().__init__()
                self.a = shared
                self.b = nn_.Sequential(shared, nn_.ReLU(), nn_.BatchNorm1d(2))
                self.register_buffer("steps", lib.zeros(1))
                self.register_buffer("scratch", lib.ones(2), persistent=False)
                self.c = nn_.ModuleDict({"x": nn_.Softmax(dim=1), "y": nn_.Softmax()})

        model, seen = Net(), []
        model.apply(lambda module: seen.append(type(module).__name__))
        found = [[n for n, _ in model.named_modules()],
                 [n for n, _ in model.named_modules(remove_duplicate=False)],
                 [n for n, _ in model.named_children()], [n for n, _ in model.named_buffers()],
                 list(model.state_dict()), seen]
        model.requires_grad_(False)
        found.append([p.requires_grad for p in model.parameters()])
        model.half()
        found.append([str(t.dtype) for t in list(model.buffers()) + list(model.parameters())])
        model.double()
        found.append([str(t.dtype) for t in list(model.buffers()) + list(model.parameters())])
        found.append(repr(model))
        return str(found).replace("torch.", "autodidact.")
    assert facts(ad) == facts(torch_oracle)
