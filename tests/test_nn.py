"""nn: Module, Parameter, Linear, Sequential, activations, losses and functional.

Literal expectations (names, reprs, error texts) come from PyTorch 2.13
(reference §35 and recorded sessions, "torch." spelled "autodidact.");
values and gradients are compared with an installed PyTorch through the
``torch_oracle`` fixture, with the same weights copied into both.
"""

import copy
import math
import warnings

import numpy as np
import pytest

import autodidact as ad
from autodidact import nn
from autodidact.autograd import gradcheck
import autodidact.nn.functional as F


def to_torch(torch, t, requires_grad=None):
    out = torch.from_numpy(np.array(t.detach().numpy(), copy=True))
    if requires_grad if requires_grad is not None else t.requires_grad:
        out.requires_grad_(True)
    return out


def copy_weights(torch, ours, theirs):
    """Copy every parameter of our module into the same-named one of a torch module."""
    ours_named = dict(ours.named_parameters())
    theirs_named = dict(theirs.named_parameters())
    assert list(ours_named) == list(theirs_named)
    with torch.no_grad():
        for name, p in ours_named.items():
            theirs_named[name].copy_(torch.from_numpy(p.detach().numpy()))


def close(ours, theirs, rtol=1e-5, atol=1e-6):
    a = ours.detach().numpy() if isinstance(ours, ad.Tensor) else np.asarray(ours)
    b = theirs.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.layer2 = nn.Linear(4, 2)

    def forward(self, x):
        return self.layer2(self.act(self.layer1(x)))


# ------------------------------------------------------------------ Parameter

def test_parameter_is_a_leaf_tensor_that_requires_grad_and_shares_storage():
    data = ad.ones(2)
    p = nn.Parameter(data)
    assert isinstance(p, ad.Tensor) and type(p) is nn.Parameter
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"
    data.add_(1)
    assert p.tolist() == [2.0, 2.0]
    assert not nn.Parameter(ad.ones(2), requires_grad=False).requires_grad
    assert type((p * 2).detach()) is ad.Tensor and type(p.detach()) is ad.Tensor


def test_parameter_of_integers_is_refused_unless_it_needs_no_grad():
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype "
                                           "can require gradients$"):
        nn.Parameter(ad.ones(2, dtype=ad.long))
    assert nn.Parameter(ad.ones(2, dtype=ad.long), requires_grad=False).dtype is ad.int64


def test_parameter_survives_deepcopy_as_a_parameter_with_its_own_storage():
    p = nn.Parameter(ad.ones(2))
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad
    with ad.no_grad():
        q.add_(1)
    assert p.tolist() == [1.0, 1.0]


def test_deepcopy_of_a_model_is_independent():
    model = TwoLayer()
    twin = copy.deepcopy(model)
    assert [type(p) for p in twin.parameters()] == [nn.Parameter] * 4
    assert [n for n, _ in twin.named_parameters()] == [n for n, _ in model.named_parameters()]
    with ad.no_grad():
        twin.layer1.weight.fill_(0.0)
    assert model.layer1.weight.numpy(force=True).any()


# ------------------------------------------------------------------ registration

def test_named_parameters_children_and_modules_follow_registration_order():
    model = TwoLayer()
    assert [n for n, _ in model.named_parameters()] == [
        "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
    assert [n for n, _ in model.named_children()] == ["layer1", "act", "layer2"]
    assert len(list(model.modules())) == 4
    assert [n for n, _ in model.named_modules()] == ["", "layer1", "act", "layer2"]
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1), nn.Sigmoid()))
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.0.weight", "2.0.bias"]
    assert len(list(seq.parameters())) == 4
    assert len(list(seq.children())) == 3 and len(list(seq.modules())) == 6
    assert len(list(seq.parameters(recurse=False))) == 0


def test_a_shared_layer_is_counted_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_setattr_routes_parameters_modules_and_plain_values():
    model = TwoLayer()
    model.scale = 3.0
    assert "scale" not in model._parameters and model.scale == 3.0
    model.extra = nn.Parameter(ad.zeros(1))
    assert [n for n, _ in model.named_parameters()][0] == "extra"   # own before children
    del model.extra
    assert "extra" not in dict(model.named_parameters())
    model.layer2 = None
    assert [n for n, _ in model.named_children()] == ["layer1", "act"]
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'nothing'"):
        model.nothing


def test_assigning_a_plain_tensor_to_a_parameter_is_refused_as_in_pytorch():
    lin = nn.Linear(3, 2)
    with pytest.raises(TypeError, match=r"^cannot assign 'autodidact\.FloatTensor' as parameter "
                                        r"'weight' \(autodidact\.nn\.Parameter or None expected\)$"):
        lin.weight = ad.zeros(2, 3)
    lin.weight.data = ad.zeros(2, 3)
    assert repr(lin.weight) == ("Parameter containing:\ntensor([[0., 0., 0.],\n"
                                "        [0., 0., 0.]], requires_grad=True)")
    lin.weight = nn.Parameter(ad.ones(2, 3))
    assert type(lin.weight) is nn.Parameter and lin.weight.sum().item() == 6
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation"):
        lin.weight.copy_(ad.zeros(2, 3))


def test_registering_before_init_and_bad_names_fail_clearly():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ad.ones(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Broken()
    with pytest.raises(KeyError, match="parameter name can.*t contain"):
        nn.Module().register_parameter("a.b", None)
    with pytest.raises(NotImplementedError,
                       match=r'Module \[Module\] is missing the required "forward" function'):
        nn.Module()(1)


def test_buffers_are_state_but_not_parameters():
    model = nn.Linear(2, 2)
    model.register_buffer("running", ad.zeros(2))
    model.register_buffer("scratch", ad.zeros(1), persistent=False)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_buffers()] == ["running", "scratch"]
    assert list(model.state_dict()) == ["weight", "bias", "running"]


def test_zero_grad_sets_none_by_default_or_zeros_in_place():
    model = TwoLayer()
    model(ad.ones(5, 3)).sum().backward()
    grad = model.layer1.weight.grad
    model.zero_grad(set_to_none=False)
    assert model.layer1.weight.grad is grad and not grad.numpy().any()
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'zero_'"):
        model.layer1.weight.grad.zero_()


def test_train_and_eval_set_the_flag_on_every_module():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("yes")


def test_requires_grad_freezes_and_to_changes_dtype_in_place():
    model = TwoLayer()
    weight = model.layer1.weight
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    model.requires_grad_(True).double()
    assert model.layer1.weight is weight and weight.dtype is ad.float64
    assert model(ad.ones(1, 3, dtype=ad.float64)).dtype is ad.float64
    model.to(ad.float32)
    assert weight.dtype is ad.float32 and weight.requires_grad


def test_apply_visits_every_module():
    seen = []
    TwoLayer().apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Linear", "TwoLayer"]


# ------------------------------------------------------------------ state_dict

def test_state_dict_names_and_shares_storage_detached():
    model = TwoLayer()
    state = model.state_dict()
    assert list(state) == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
    assert all(not t.requires_grad and type(t) is ad.Tensor for t in state.values())
    with ad.no_grad():
        model.layer1.bias.fill_(7.0)
    assert state["layer1.bias"].tolist() == [7.0] * 4


def test_load_state_dict_round_trip_gives_the_same_outputs():
    a, b = TwoLayer(), TwoLayer()
    x = ad.randn(5, 3)
    result = b.load_state_dict(a.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert np.array_equal(a(x).detach().numpy(), b(x).detach().numpy())
    # copied, not aliased
    with ad.no_grad():
        a.layer1.weight.fill_(0.0)
    assert b.layer1.weight.numpy(force=True).any()


def test_load_state_dict_errors_read_like_pytorchs():
    lin = nn.Linear(3, 2)
    state = dict(lin.state_dict())
    state["foo"] = ad.ones(1)
    del state["bias"]
    state["weight"] = ad.ones(2, 4)
    with pytest.raises(RuntimeError) as error:
        lin.load_state_dict(state)
    assert str(error.value) == (
        'Error(s) in loading state_dict for Linear:\n'
        '\tMissing key(s) in state_dict: "bias". \n'
        '\tUnexpected key(s) in state_dict: "foo". \n'
        '\tsize mismatch for weight: copying a param with shape autodidact.Size([2, 4]) from '
        'checkpoint, the shape in current model is autodidact.Size([2, 3]).')
    state = dict(lin.state_dict())
    state["foo"] = ad.ones(1)
    del state["bias"]
    result = lin.load_state_dict(state, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["foo"]
    assert repr(result) == "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['foo'])"
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lin.load_state_dict([1, 2])


def test_load_state_dict_with_assign_replaces_the_parameters():
    lin = nn.Linear(2, 1)
    new = {"weight": ad.ones(1, 2), "bias": ad.zeros(1)}
    lin.load_state_dict(new, assign=True)
    assert type(lin.weight) is nn.Parameter and lin.weight.requires_grad
    assert lin.weight.tolist() == [[1.0, 1.0]]


# ------------------------------------------------------------------ repr

def test_reprs_match_pytorchs():
    assert repr(nn.Linear(3, 2)) == "Linear(in_features=3, out_features=2, bias=True)"
    assert repr(nn.Linear(3, 2, bias=False)) == "Linear(in_features=3, out_features=2, bias=False)"
    assert repr(nn.Module()) == "Module()"
    assert [repr(m) for m in (nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.MSELoss(),
                              nn.CrossEntropyLoss(), nn.ReLU(inplace=True))] == [
        "ReLU()", "Tanh()", "Sigmoid()", "MSELoss()", "CrossEntropyLoss()", "ReLU(inplace=True)"]
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
                          nn.Sequential(nn.Linear(3, 1), nn.Sigmoid()), nn.Tanh())
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=3, out_features=1, bias=True)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        "  (3): Tanh()\n"
        ")")
    assert repr(TwoLayer()) == (
        "TwoLayer(\n"
        "  (layer1): Linear(in_features=3, out_features=4, bias=True)\n"
        "  (act): ReLU()\n"
        "  (layer2): Linear(in_features=4, out_features=2, bias=True)\n"
        ")")


def test_sequential_indexing_slicing_and_append():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(model) == 3 and isinstance(model[-1], nn.Linear) and model[1] is model[-2]
    tail = model[1:]
    assert isinstance(tail, nn.Sequential) and [n for n, _ in tail.named_children()] == ["1", "2"]
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    model.append(nn.Sigmoid())
    assert repr(model[3]) == "Sigmoid()"
    with pytest.raises(IndexError):
        model[4]
    layers = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1)])
    assert len(list(layers.parameters())) == 4 and len(layers) == 2


# ------------------------------------------------------------------ Linear

def test_linear_shapes_init_bounds_and_node_name():
    ad.manual_seed(0)
    lin = nn.Linear(100, 1000)
    assert lin.weight.shape == (1000, 100) and lin.bias.shape == (1000,)
    assert lin.weight.dtype is ad.float32
    for p in lin.parameters():
        values = p.detach().numpy()
        assert np.abs(values).max() <= 0.1 and np.abs(values).max() > 0.099
        assert abs(values.mean()) < 0.01   # centred
        assert 0.04 < values.std() < 0.07   # uniform on [-0.1, 0.1]: std 0.0577
    assert nn.Linear(3, 2, bias=False).bias is None
    assert lin(ad.ones(2, 100)).grad_fn.name() == "AddmmBackward0"
    assert nn.Linear(3, 2, bias=False)(ad.ones(2, 3)).grad_fn.name() == "MmBackward0"


def test_linear_forward_value_from_the_reference():
    lin = nn.Linear(3, 2)
    with ad.no_grad():
        lin.weight.copy_(ad.tensor([[1., 2., 3.], [4., 5., 6.]]))
        lin.bias.copy_(ad.tensor([0.5, -0.5]))
    assert repr(lin(ad.tensor([[1., 1., 1.]]))) == \
        "tensor([[ 6.5000, 14.5000]], grad_fn=<AddmmBackward0>)"


def test_linear_errors_match_pytorchs():
    lin = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match="^mat1 and mat2 must have the same dtype, but got "
                                           "Double and Float$"):
        lin(ad.ones(1, 3, dtype=ad.float64))
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 shapes cannot be multiplied "
                                           r"\(1x4 and 3x2\)$"):
        lin(ad.ones(1, 4))
    with pytest.raises(RuntimeError, match=r"\(1x4 and 3x2\)"):
        lin(ad.ones(4))
    with pytest.raises(RuntimeError, match=r"\(10x4 and 3x2\)"):
        lin(ad.ones(2, 5, 4))
    with pytest.raises(TypeError, match="argument 'input' must be Tensor"):
        lin([1.0, 2.0, 3.0])


@pytest.mark.parametrize("shape", [(5, 3), (3,), (2, 4, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_values_and_gradients_match_pytorch(torch_oracle, shape, bias):
    torch = torch_oracle
    ours = nn.Linear(3, 4, bias=bias)
    theirs = torch.nn.Linear(3, 4, bias=bias)
    copy_weights(torch, ours, theirs)
    x = ad.randn(*shape, requires_grad=True)
    tx = to_torch(torch, x)
    out, tout = ours(x), theirs(tx)
    close(out, tout)
    seed = ad.randn(*out.shape)
    out.backward(seed)
    tout.backward(to_torch(torch, seed))
    close(x.grad, tx.grad)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        close(p.grad, tp.grad)


def test_linear_skips_the_input_gradient_nobody_needs():
    lin = nn.Linear(3, 2)
    out = lin(ad.ones(4, 3))
    # PyTorch's order: bias, input, weight.t()
    assert out.grad_fn.needs_input_grad == (True, False, True)
    out.sum().backward()
    assert lin.weight.grad.tolist() == [[4.0] * 3] * 2 and lin.bias.grad.tolist() == [4.0, 4.0]


def test_linear_keeps_the_weight_only_when_the_input_needs_a_gradient():
    # As PyTorch's addmm: changing a first layer's weight between forward and
    # backward is allowed; when the input needs a gradient, it is caught (the
    # weight's transposed view, layers.weight_t, shares the weight's version counter).
    lin = nn.Linear(3, 2)
    out = lin(ad.ones(4, 3))
    with ad.no_grad():
        lin.weight.add_(1)
    out.sum().backward()
    assert lin.weight.grad.tolist() == [[4.0] * 3] * 2
    out = lin(ad.ones(4, 3, requires_grad=True))
    with ad.no_grad():
        lin.weight.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_evaluation_under_no_grad_records_nothing():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x, y = ad.randn(5, 3), ad.tensor([0, 1, 1, 0, 1])
    with ad.no_grad():
        out = model(x)
        losses = [F.cross_entropy(out, y), F.mse_loss(out, ad.zeros(5, 2))]
    assert out.grad_fn is None and not out.requires_grad
    assert all(loss.grad_fn is None and loss.dim() == 0 for loss in losses)


@pytest.mark.parametrize("shape", [(4, 3), (3,), (2, 2, 3)])
def test_linear_gradcheck(shape):
    x = ad.randn(*shape, dtype=ad.float64, requires_grad=True)
    w = ad.randn(2, 3, dtype=ad.float64, requires_grad=True)
    b = ad.randn(2, dtype=ad.float64, requires_grad=True)
    assert gradcheck(F.linear, (x, w, b))
    assert gradcheck(lambda x, w: F.linear(x, w), (x, w))


def numeric_gradient(fn, x, eps=1e-6):
    """Central differences of the scalar fn(x), with grad mode on (fn may call autograd.grad)."""
    flat = x.detach().numpy().reshape(-1)   # shares x's storage
    out = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = fn(x).item()
        flat[i] = old - eps
        minus = fn(x).item()
        flat[i] = old
        out[i] = (plus - minus) / (2 * eps)
    return out.reshape(x.shape)


def check_second_derivative(fn, x):
    """d/dx of |d fn/dx|^2 by create_graph=True, against finite differences."""
    def squared_gradient(x):
        g, = ad.autograd.grad(fn(x), x, create_graph=True)
        return (g * g).sum()
    x.grad = None
    squared_gradient(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), numeric_gradient(squared_gradient, x),
                               rtol=1e-4, atol=1e-6)


def test_linear_second_derivative_through_create_graph():
    x = ad.randn(4, 3, dtype=ad.float64, requires_grad=True)
    w = ad.randn(2, 3, dtype=ad.float64, requires_grad=True)
    b = ad.randn(2, dtype=ad.float64)
    check_second_derivative(lambda x: F.linear(x, w, b).tanh().sum(), x)
    check_second_derivative(lambda w: F.linear(x.detach(), w, b).tanh().sum(), w)


# ------------------------------------------------------------------ activations

@pytest.mark.parametrize("name", ["ReLU", "Tanh", "Sigmoid"])
def test_activation_modules_match_pytorch(torch_oracle, name):
    torch = torch_oracle
    x = ad.tensor([[-2.0, -0.5, 0.0], [0.5, 1.0, 30.0]], requires_grad=True)
    tx = to_torch(torch, x)
    out, tout = getattr(nn, name)()(x), getattr(torch.nn, name)()(tx)
    close(out, tout)
    assert out.grad_fn.name() == tout.grad_fn.name()
    out.backward(ad.ones_like(out) * 2)
    tout.backward(torch.ones_like(tout) * 2)
    close(x.grad, tx.grad)


def test_relu_inplace():
    x = ad.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_functional_softmaxes_match_pytorch(torch_oracle, fn, dim):
    torch = torch_oracle
    x = ad.randn(3, 4, requires_grad=True) * 5
    x.retain_grad()
    tx = to_torch(torch, x.detach(), requires_grad=True)
    out, tout = getattr(F, fn)(x, dim=dim), getattr(torch.nn.functional, fn)(tx, dim=dim)
    close(out, tout)
    w = ad.randn(3, 4)
    (out * w).sum().backward()
    (tout * to_torch(torch, w)).sum().backward()
    close(x.grad, tx.grad)


def test_softmax_without_dim_warns_and_picks_pytorchs_axis():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        out = F.softmax(ad.zeros(2, 4))
    assert np.allclose(out.numpy(), 0.25)


# ------------------------------------------------------------------ MSELoss

@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_matches_pytorch(torch_oracle, reduction):
    torch = torch_oracle
    a = ad.randn(4, 3, requires_grad=True)
    b = ad.randn(4, 3, requires_grad=True)
    ta, tb = to_torch(torch, a), to_torch(torch, b)
    out = nn.MSELoss(reduction=reduction)(a, b)
    tout = torch.nn.MSELoss(reduction=reduction)(ta, tb)
    close(out, tout)
    assert out.grad_fn.name() == tout.grad_fn.name() == "MseLossBackward0"
    seed = ad.randn(*out.shape)
    out.backward(seed)
    tout.backward(to_torch(torch, seed))
    close(a.grad, ta.grad)
    close(b.grad, tb.grad)


def test_mse_loss_broadcast_warns_promotes_and_checks_reduction(torch_oracle):
    torch = torch_oracle
    a = ad.randn(3, 1, requires_grad=True)
    b = ad.randn(3, dtype=ad.float64)
    with pytest.warns(UserWarning, match=r"Using a target size \(autodidact.Size\(\[3\]\)\) that "
                                         r"is different to the input size \(autodidact.Size"
                                         r"\(\[3, 1\]\)\)"):
        out = F.mse_loss(a, b)
    ta = to_torch(torch, a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tout = torch.nn.functional.mse_loss(ta, to_torch(torch, b))
    close(out, tout)
    out.backward()
    tout.backward()
    close(a.grad, ta.grad)
    with pytest.raises(ValueError, match="^foo is not a valid value for reduction$"):
        F.mse_loss(a, a, reduction="foo")


def test_mse_loss_gradcheck():
    a = ad.randn(3, 2, dtype=ad.float64, requires_grad=True)
    b = ad.randn(2, dtype=ad.float64, requires_grad=True)
    for reduction in ("mean", "sum", "none"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert gradcheck(lambda a, b: F.mse_loss(a, b, reduction=reduction), (a, b))


# ------------------------------------------------------------------ CrossEntropyLoss

@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_matches_pytorch(torch_oracle, reduction, ignore):
    torch = torch_oracle
    logits = (ad.randn(6, 5) * 3).requires_grad_()
    target = ad.tensor([0, 4, 2, 2, 1, 3])
    if ignore:
        target[1] = -100
        target[4] = -100
    tl = to_torch(torch, logits)
    out = nn.CrossEntropyLoss(reduction=reduction)(logits, target)
    tout = torch.nn.CrossEntropyLoss(reduction=reduction)(tl, to_torch(torch, target))
    close(out, tout)
    assert out.grad_fn.name() == tout.grad_fn.name() == "NllLossBackward0"
    seed = ad.randn(*out.shape)
    out.backward(seed)
    tout.backward(to_torch(torch, seed))
    close(logits.grad, tl.grad)


@pytest.mark.parametrize("shape,target_shape", [((5,), ()), ((2, 3, 4), (2, 4)),
                                                ((2, 3, 2, 2), (2, 2, 2))])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cross_entropy_other_shapes_match_pytorch(torch_oracle, shape, target_shape, reduction):
    torch = torch_oracle
    logits = ad.randn(*shape, requires_grad=True)
    target = ad.randint(0, shape[1] if len(shape) > 1 else shape[0], target_shape)
    tl = to_torch(torch, logits)
    out = F.cross_entropy(logits, target, reduction=reduction)
    tout = torch.nn.functional.cross_entropy(tl, to_torch(torch, target), reduction=reduction)
    close(out, tout)
    out.sum().backward()
    tout.sum().backward()
    close(logits.grad, tl.grad)


@pytest.mark.parametrize("target,ignore_index", [([0, 1, 0, 2], 0), ([5, 5, 5, 5], 5),
                                                 ([], -100)])
def test_cross_entropy_ignore_index_edge_cases_match_pytorch(torch_oracle, target, ignore_index):
    torch = torch_oracle
    logits = ad.randn(len(target), 3, requires_grad=True)
    target = ad.tensor(target, dtype=ad.int64)
    tl = to_torch(torch, logits)
    out = F.cross_entropy(logits, target, ignore_index=ignore_index)
    tout = torch.nn.functional.cross_entropy(tl, to_torch(torch, target), ignore_index=ignore_index)
    np.testing.assert_allclose(out.item(), tout.item(), rtol=1e-5, equal_nan=True)
    out.backward()
    tout.backward()
    close(abs(logits.grad), abs(tl.grad))   # all ignored: zeros (PyTorch's are +0, ours may be -0)


def test_cross_entropy_is_stable_for_huge_logits(torch_oracle):
    torch = torch_oracle
    logits = ad.tensor([[1000.0, 0.0, -1000.0], [-5e4, 5e4, 0.0]], requires_grad=True)
    target = ad.tensor([2, 1])
    tl = to_torch(torch, logits)
    out = F.cross_entropy(logits, target)
    tout = torch.nn.functional.cross_entropy(tl, to_torch(torch, target))
    assert math.isfinite(out.item())
    close(out, tout)
    out.backward()
    tout.backward()
    close(logits.grad, tl.grad)


def test_cross_entropy_target_errors_match_pytorchs():
    logits = ad.randn(3, 4)
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Int"):
        F.cross_entropy(logits, ad.tensor([1, 2, 3], dtype=ad.int32))
    with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but got Float"):
        nn.CrossEntropyLoss()(logits, ad.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(IndexError, match="^Target 4 is out of bounds.$"):
        F.cross_entropy(logits, ad.tensor([1, 2, 4]))
    with pytest.raises(ValueError, match=r"^Expected input batch_size \(3\) to match target "
                                         r"batch_size \(2\).$"):
        F.cross_entropy(logits, ad.tensor([1, 2]))
    assert F.cross_entropy(logits, ad.tensor([1, 2, 3], dtype=ad.uint8)).dim() == 0


def test_cross_entropy_gradcheck_and_second_derivative():
    logits = ad.randn(4, 3, dtype=ad.float64, requires_grad=True)
    target = ad.tensor([0, 2, 1, 1])
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda z: F.cross_entropy(z, target, reduction=reduction), (logits,))
    # create_graph: the gradient is itself differentiable (a softmax, recorded)
    check_second_derivative(lambda z: F.cross_entropy(z, target), logits)


def test_cross_entropy_keeps_float32_and_is_the_mean_nll():
    logits = ad.tensor([[2.0, 0.0]])
    loss = F.cross_entropy(logits, ad.tensor([0]))
    assert loss.dtype is ad.float32 and repr(loss) == "tensor(0.1269)"
    ls = F.log_softmax(ad.randn(5, 3), dim=1)
    t = ad.tensor([0, 1, 2, 1, 0])
    nll = -ls[ad.arange(5), t].mean()
    assert abs(F.cross_entropy(ls, t).item() - nll.item()) < 1e-6   # log_softmax is idempotent


# ------------------------------------------------------------------ a whole model

def test_mlp_training_steps_match_pytorch(torch_oracle):
    torch = torch_oracle
    ours = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                                 torch.nn.ReLU(), torch.nn.Linear(8, 3))
    copy_weights(torch, ours, theirs)
    x, y = ad.randn(16, 4), ad.randint(0, 3, (16,))
    tx, ty = to_torch(torch, x), to_torch(torch, y)
    lr = 0.1
    for _ in range(10):
        ours.zero_grad()
        theirs.zero_grad()
        loss = F.cross_entropy(ours(x), y)
        tloss = torch.nn.functional.cross_entropy(theirs(tx), ty)
        close(loss, tloss)
        loss.backward()
        tloss.backward()
        with ad.no_grad():
            for p in ours.parameters():
                p -= lr * p.grad
        with torch.no_grad():
            for p in theirs.parameters():
                p -= lr * p.grad
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        close(p, tp, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ on a GPU

@pytest.mark.cuda
@pytest.mark.parametrize("make_optimizer", ["sgd", "adam"])
def test_training_on_the_gpu_matches_the_cpu(make_optimizer, tmp_path):
    from autodidact import optim

    def build():
        ad.manual_seed(0)
        return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    cpu, gpu = build(), build().cuda()
    gpu.load_state_dict(cpu.state_dict())
    assert all(p.device.type == "cuda" for p in gpu.parameters())
    x, y = ad.randn(32, 4), ad.randint(0, 3, (32,))
    target = ad.randn(32, 3)
    opts = [optim.SGD(m.parameters(), lr=0.1, momentum=0.9) if make_optimizer == "sgd"
            else optim.Adam(m.parameters(), lr=0.01, amsgrad=True) for m in (cpu, gpu)]
    for _ in range(5):
        for model, opt, dev in ((cpu, opts[0], "cpu"), (gpu, opts[1], "cuda")):
            opt.zero_grad()
            out = model(x.to(dev))
            loss = F.cross_entropy(out, y.to(dev)) + F.mse_loss(out, target.to(dev))
            assert loss.device.type == dev
            loss.backward()
            opt.step()
    for p, q in zip(cpu.parameters(), gpu.parameters()):
        assert q.device.type == "cuda" and q.grad.device.type == "cuda"
        np.testing.assert_allclose(p.detach().numpy(), q.detach().cpu().numpy(),
                                   rtol=1e-4, atol=1e-5)
    ad.save(gpu.state_dict(), tmp_path / "gpu.npz")
    back = ad.load(tmp_path / "gpu.npz")
    assert all(t.device.type == "cpu" for t in back.values())
    assert all(t.device.type == "cuda"
               for t in ad.load(tmp_path / "gpu.npz", map_location="cuda").values())
