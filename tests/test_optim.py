"""optim: SGD and Adam against PyTorch 2.13, step for step; the Optimizer's bookkeeping.

Each comparison starts both frameworks from the same weights, feeds the
same data, and checks the parameters after many steps (reference §27).
"""

import warnings

import numpy as np
import pytest

import autodidact as ad
from autodidact import nn, optim
import autodidact.nn.functional as F


def build(torch, seed=0):
    """The same small MLP in both frameworks, and a fixed batch."""
    ad.manual_seed(seed)
    ours = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    with torch.no_grad():
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            tp.copy_(torch.from_numpy(p.detach().numpy()))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((12, 5)).astype(np.float32)
    y = rng.integers(0, 3, 12)
    return ours, theirs, (ad.from_numpy(x), ad.from_numpy(y)), (torch.from_numpy(x),
                                                                 torch.from_numpy(y))


def train_both(torch, make, kwargs, steps=25, seed=0):
    ours, theirs, (x, y), (tx, ty) = build(torch, seed)
    opt = make(optim)(ours.parameters(), **kwargs)
    topt = make(torch.optim)(theirs.parameters(), **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        topt.zero_grad()
        F.cross_entropy(ours(x), y).backward()
        torch.nn.functional.cross_entropy(theirs(tx), ty).backward()
        opt.step()
        topt.step()
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-5, atol=2e-6)
    return opt, topt


SGD_SETTINGS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.5),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.1, weight_decay=0.01),
    dict(lr=0.05, momentum=0.8, weight_decay=0.1, nesterov=True),
    dict(lr=0.1, momentum=0.5, maximize=True),
]


@pytest.mark.parametrize("kwargs", SGD_SETTINGS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()))
def test_sgd_matches_pytorch(torch_oracle, kwargs):
    opt, topt = train_both(torch_oracle, lambda m: m.SGD, kwargs)
    if kwargs.get("momentum"):
        ours = [opt.state[p]["momentum_buffer"].numpy() for p in opt.param_groups[0]["params"]]
        theirs = [topt.state[p]["momentum_buffer"].numpy() for p in topt.param_groups[0]["params"]]
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=2e-6)


ADAM_SETTINGS = [
    dict(),
    dict(lr=0.01, betas=(0.8, 0.99)),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, amsgrad=True),
    dict(lr=0.01, maximize=True, eps=1e-6),
    dict(lr=0.01, betas=(0.3, 0.9)),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
]


@pytest.mark.parametrize("kwargs", ADAM_SETTINGS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "defaults")
def test_adam_matches_pytorch(torch_oracle, kwargs):
    opt, topt = train_both(torch_oracle, lambda m: m.Adam, kwargs)
    p = opt.param_groups[0]["params"][0]
    tp = topt.param_groups[0]["params"][0]
    assert opt.state[p]["step"].item() == topt.state[tp]["step"].item() == 25
    for key in ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if kwargs.get("amsgrad") else ()):
        np.testing.assert_allclose(opt.state[p][key].numpy(), topt.state[tp][key].numpy(),
                                   rtol=1e-5, atol=1e-7)


def test_adamw_matches_pytorch(torch_oracle):
    train_both(torch_oracle, lambda m: m.AdamW, dict(lr=0.01))


def test_reprs_match_pytorch(torch_oracle):
    torch = torch_oracle
    w, tw = ad.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    for name, kwargs in [("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9)),
                         ("Adam", dict()), ("AdamW", dict(lr=0.01))]:
        assert repr(getattr(optim, name)([w], **kwargs)) == repr(getattr(torch.optim, name)([tw], **kwargs))
    groups = lambda a, b: [{"params": [a]}, {"params": [b], "lr": 0.5}]   # noqa: E731
    assert repr(optim.SGD(groups(w, ad.ones(1, requires_grad=True)), lr=0.1, momentum=0.9)) == \
        repr(torch.optim.SGD(groups(tw, torch.ones(1, requires_grad=True)), lr=0.1, momentum=0.9))


def test_sgd_repr_and_defaults_without_torch():
    w = ad.ones(2, requires_grad=True)
    assert repr(optim.SGD([w], lr=0.1)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n"
        "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")
    assert optim.SGD([w]).defaults["lr"] == 0.001


def test_reference_momentum_sequence():
    p = ad.tensor([1.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    seen = []
    for _ in range(3):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
        seen.append(p.item())
    # PyTorch rounds p + (-lr) * buf once (a fused multiply-add); NumPy rounds the
    # product and then the sum, so the last digit may differ.
    np.testing.assert_allclose(seen, [0.800000011920929, 0.46000000834465027,
                                      0.06199999898672104], rtol=1e-6)


def test_reference_plain_step_and_zero_grad():
    w = ad.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
    opt.step()
    assert repr(w) == "tensor([0.8000, 1.6000], requires_grad=True)"
    opt.zero_grad()
    assert w.grad is None
    (w * w).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.tolist() == [0.0, 0.0]
    opt.step()
    assert repr(w) == "tensor([0.8000, 1.6000], requires_grad=True)"


def test_step_skips_parameters_without_grad_and_leaves_leaves():
    a, b = ad.ones(2, requires_grad=True), ad.ones(2, requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    (a * 3).sum().backward()
    opt.step()
    assert b.tolist() == [1.0, 1.0] and a.tolist() != [1.0, 1.0]
    assert a.is_leaf and a.grad_fn is None and a.requires_grad
    assert b not in opt.state and len(opt.state) == 1


def test_step_bumps_the_version_so_stale_graphs_are_caught():
    w = ad.ones(2, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_closure_is_called_with_grad_enabled_and_its_loss_returned():
    w = ad.tensor([3.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    with ad.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and abs(w.item() - 2.4) < 1e-6


def test_param_groups_have_their_own_hyperparameters():
    a, b = ad.ones(1, requires_grad=True), ad.ones(1, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    (a + b).sum().backward()
    opt.step()
    assert abs(a.item() - 0.9) < 1e-7 and abs(b.item() - 0.5) < 1e-7
    opt.param_groups[0]["lr"] = 1.0   # learning-rate schedules change it in place
    opt.step()
    assert abs(a.item() + 0.1) < 1e-6
    c = ad.ones(1, requires_grad=True)
    opt.add_param_group({"params": c, "momentum": 0.9})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.9
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_named_parameters_are_accepted():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"][0] is model.weight


def test_constructor_errors_match_pytorchs():
    w = ad.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="^Invalid learning rate: -1$"):
        optim.SGD([w], lr=-1)
    with pytest.raises(TypeError, match="^params argument given to the optimizer should be an "
                                        "iterable of Tensors or dicts, but got "
                                        "autodidact.FloatTensor$"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list$"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="^can't optimize a non-leaf Tensor$"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        optim.SGD([w], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid momentum value: -0.5"):
        optim.SGD([w], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        optim.Adam([w], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid epsilon value: -1"):
        optim.Adam([w], eps=-1)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([w, w], lr=0.1)
    optim.SGD([ad.ones(2)], lr=0.1)   # a leaf that needs no grad is accepted


def test_optimizer_zero_grad_defaults_to_none():
    model = nn.Linear(2, 1)
    opt = optim.Adam(model.parameters())
    model(ad.ones(1, 2)).sum().backward()
    opt.zero_grad()
    assert model.weight.grad is None and model.bias.grad is None


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.05, amsgrad=True)],
                         ids=["sgd-momentum", "adam-amsgrad"])
def test_state_dict_round_trip_resumes_training_exactly(make):
    def fresh():
        ad.manual_seed(1)
        return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x, y = ad.randn(8, 3), ad.randn(8, 1)

    def train(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            F.mse_loss(model(x), y).backward()
            opt.step()

    straight = fresh()
    opt = make(straight.parameters())
    train(straight, opt, 10)

    first = fresh()
    opt1 = make(first.parameters())
    train(first, opt1, 5)
    saved_model, saved_opt = first.state_dict(), opt1.state_dict()
    assert sorted(saved_opt) == ["param_groups", "state"]
    assert saved_opt["param_groups"][0]["params"] == [0, 1, 2, 3]

    second = fresh()
    second.load_state_dict(saved_model)
    opt2 = make(second.parameters())
    opt2.load_state_dict(saved_opt)
    train(second, opt2, 5)
    for p, q in zip(straight.parameters(), second.parameters()):
        assert np.array_equal(p.detach().numpy(), q.detach().numpy())


def test_load_state_dict_checks_the_groups():
    a = ad.ones(1, requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    other = optim.SGD([ad.ones(1, requires_grad=True), ad.ones(1, requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(other.state_dict())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.load_state_dict(optim.SGD([ad.ones(1, requires_grad=True)], lr=0.7).state_dict())
    assert opt.param_groups[0]["lr"] == 0.7 and opt.param_groups[0]["params"] == [a]
