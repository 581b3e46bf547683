"""optim.RMSprop, Adagrad and Adadelta against PyTorch 2.13: the parameters after every one of
60 steps (float64), the state, reprs, state_dict round trips and the argument errors."""

import copy

import numpy as np
import pytest

import autodidact as ad
import autodidact.nn.functional as F
from autodidact import optim
from test_optim import build, train_both


def train_step_by_step(torch, name, kwargs, steps=60):
    """60 steps in float64: the update rules must agree to rounding. Near a flat spot
    RMSprop's steps are nearly g/|g|, which amplifies the last-bit differences of the
    gradients (summation order) step after step: in float32 past the tolerance within ~30
    steps, in float64 only after ~90."""
    ours, theirs, (x, y), (tx, ty) = build(torch)
    ours.double()
    theirs.double()
    x, tx = x.double(), tx.double()
    opt = getattr(optim, name)(ours.parameters(), **kwargs)
    topt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for step in range(steps):
        opt.zero_grad()
        topt.zero_grad()
        F.cross_entropy(ours(x), y).backward()
        torch.nn.functional.cross_entropy(theirs(tx), ty).backward()
        opt.step()
        topt.step()
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-7,
                                       atol=1e-9, err_msg=f"after step {step + 1}")
    return opt, topt


SETTINGS = [
    ("RMSprop", dict()), ("RMSprop", dict(lr=0.005, alpha=0.9, eps=1e-6)),
    ("RMSprop", dict(lr=0.005, momentum=0.9)), ("RMSprop", dict(lr=0.005, centered=True)),
    ("RMSprop", dict(lr=0.005, centered=True, momentum=0.5, weight_decay=0.1, maximize=True)),
    ("Adagrad", dict()), ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("Adagrad", dict(lr=0.05, initial_accumulator_value=0.1, weight_decay=0.01, eps=1e-8)),
    ("Adagrad", dict(lr=0.05, maximize=True)),
    ("Adadelta", dict()), ("Adadelta", dict(lr=0.5, rho=0.95, eps=1e-5)),
    ("Adadelta", dict(weight_decay=0.1, maximize=True)),
]


@pytest.mark.parametrize("name, kwargs", SETTINGS,
                         ids=[f"{n}-{','.join(f'{a}={b}' for a, b in k.items()) or 'defaults'}"
                              for n, k in SETTINGS])
def test_optimizers_match_pytorch_step_by_step(torch_oracle, name, kwargs):
    opt, topt = train_step_by_step(torch_oracle, name, kwargs)
    p, tp = opt.param_groups[0]["params"][0], topt.param_groups[0]["params"][0]
    assert sorted(opt.state[p]) == sorted(topt.state[tp])
    for key, value in topt.state[tp].items():
        np.testing.assert_allclose(opt.state[p][key].numpy(), value.numpy(), rtol=1e-7,
                                   atol=1e-12)
    assert opt.state[p]["step"].item() == 60 and opt.state[p]["step"].dtype is ad.float32


def test_defaults_and_reprs_match_pytorchs(torch_oracle):
    w, tw = ad.ones(2, requires_grad=True), torch_oracle.ones(2, requires_grad=True)
    for name in ("RMSprop", "Adagrad", "Adadelta"):
        ours, theirs = getattr(optim, name)([w]), getattr(torch_oracle.optim, name)([tw])
        assert ours.defaults == theirs.defaults
        assert repr(ours) == repr(theirs)


def test_adagrad_state_exists_before_the_first_step_as_in_pytorch(torch_oracle):
    w, tw = ad.ones(2, requires_grad=True), torch_oracle.ones(2, requires_grad=True)
    ours = optim.Adagrad([w], initial_accumulator_value=0.5)
    theirs = torch_oracle.optim.Adagrad([tw], initial_accumulator_value=0.5)
    assert ours.state[w]["sum"].tolist() == theirs.state[tw]["sum"].tolist() == [0.5, 0.5]
    assert ours.state_dict()["state"][0]["step"].item() == 0.0


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "Adadelta"])
def test_state_dict_round_trip_continues_the_same_run(name):
    def run(opt_state=None, steps=5):
        ad.manual_seed(0)
        w = ad.tensor([1.0, -2.0, 3.0], requires_grad=True)
        opt = getattr(optim, name)([w], lr=0.05)
        if opt_state is not None:
            opt.load_state_dict(opt_state)
        return w, opt

    w, opt = run()
    for _ in range(6):
        opt.zero_grad()
        (w * w * w).sum().backward()
        opt.step()
    # state_dict() shares the live state, as PyTorch's does: copy it to keep it.
    saved, weights = copy.deepcopy(opt.state_dict()), w.detach().clone()
    expected = []
    for _ in range(4):
        opt.zero_grad()
        (w * w * w).sum().backward()
        opt.step()
        expected.append(w.tolist())
    w2, opt2 = run(saved)
    with ad.no_grad():
        w2.copy_(weights)
    for want in expected:
        opt2.zero_grad()
        (w2 * w2 * w2).sum().backward()
        opt2.step()
        assert w2.tolist() == want


ERRORS = [
    ("RMSprop", dict(lr=-1.0)), ("RMSprop", dict(alpha=-0.5)), ("RMSprop", dict(momentum=-1)),
    ("RMSprop", dict(eps=-1.0)), ("Adagrad", dict(lr_decay=-1)),
    ("Adagrad", dict(initial_accumulator_value=-1)), ("Adagrad", dict(weight_decay=-1)),
    ("Adadelta", dict(rho=1.5)), ("Adadelta", dict(eps=-1.0)), ("Adadelta", dict(lr=-0.1)),
]


@pytest.mark.parametrize("name, kwargs", ERRORS)
def test_argument_errors_match_pytorchs(torch_oracle, name, kwargs):
    with pytest.raises(ValueError) as theirs:
        getattr(torch_oracle.optim, name)([torch_oracle.ones(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)([ad.ones(1, requires_grad=True)], **kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "Adadelta"])
def test_optimizers_step_on_every_device(device, name):
    w = ad.tensor([1.0, -2.0], device=device, requires_grad=True)
    opt = getattr(optim, name)([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    assert w.device.type == device and w.abs().sum().item() < 3.0


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "Adadelta"])
def test_optimizers_match_pytorch_in_float32(torch_oracle, name):
    train_both(torch_oracle, lambda m: getattr(m, name), dict(lr=0.01))
