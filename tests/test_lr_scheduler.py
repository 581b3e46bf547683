"""optim.lr_scheduler against PyTorch 2.13: the learning rates (and OneCycleLR's momentum)
after every step, compared exactly; get_last_lr; state_dict round trips; the warning for
stepping the scheduler first, and the error for a scheduler given something else."""

import math
import warnings

import pytest

import autodidact as ad
from autodidact import nn, optim
from autodidact.optim import lr_scheduler


def two_groups(lib, make_optimizer):
    w = lib.ones(2, requires_grad=True)
    b = lib.ones(1, requires_grad=True)
    return make_optimizer(lib)([{"params": [w]}, {"params": [b], "lr": 0.5}])


def sgd(lib):
    return lambda groups: lib.optim.SGD(groups, lr=0.1, momentum=0.9)


def adam(lib):
    return lambda groups: lib.optim.Adam(groups, lr=0.1)


SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=7, gamma=0.3),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[5, 20, 20, 33], gamma=0.5),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.97),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda epoch: 0.95 ** epoch / (1 + epoch % 3)),
    "LambdaLR-per-group": lambda m, o: m.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=16, eta_min=0.001),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=60),
    "OneCycleLR-linear-three-phase": lambda m, o: m.OneCycleLR(
        o, max_lr=0.8, epochs=6, steps_per_epoch=10, pct_start=0.25, anneal_strategy="linear",
        three_phase=True, div_factor=10.0),
}


def trace(lib, schedule, make_optimizer, steps=60):
    """The rates (and momentum settings) after construction and after each step."""
    opt = two_groups(lib, make_optimizer)
    scheduler = schedule(lib.optim.lr_scheduler, opt)
    seen = [(scheduler.get_last_lr(), _momenta(opt))]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        seen.append((scheduler.get_last_lr(), _momenta(opt)))
    return seen, scheduler


def _momenta(opt):
    return [(g.get("momentum"), g.get("betas")) for g in opt.param_groups]


@pytest.mark.parametrize("name", SCHEDULES)
@pytest.mark.parametrize("make_optimizer", [sgd, adam], ids=["SGD", "Adam"])
def test_learning_rates_match_pytorch_exactly(torch_oracle, name, make_optimizer):
    ours, _ = trace(ad, SCHEDULES[name], make_optimizer)
    theirs, _ = trace(torch_oracle, SCHEDULES[name], make_optimizer)
    assert ours == theirs


def test_cosine_annealing_goes_on_past_t_max_as_pytorch(torch_oracle):
    make = lambda m, o: m.CosineAnnealingLR(o, T_max=5)  # noqa: E731
    assert trace(ad, make, sgd, 23)[0] == trace(torch_oracle, make, sgd, 23)[0]


@pytest.mark.parametrize("options", [
    {}, {"mode": "max", "factor": 0.5, "patience": 2},
    {"threshold_mode": "abs", "threshold": 0.05, "cooldown": 2, "patience": 1, "min_lr": 0.02},
    {"patience": 0, "min_lr": [0.01, 0.3], "eps": 1e-3},
], ids=["defaults", "max", "abs-cooldown", "per-group-min"])
def test_reduce_on_plateau_matches_pytorch(torch_oracle, options):
    metrics = [1.0, 0.9, 0.91, 0.92, 0.9, 0.95, 0.89999, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76,
               0.77, 0.78, 0.79, 0.8, 0.81, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65] * 2

    def run(lib):
        opt = two_groups(lib, sgd)
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
        seen = []
        for value in metrics:
            opt.step()
            scheduler.step(lib.tensor(value))   # a 0-d tensor, as a loss would be
            seen.append((scheduler.get_last_lr(), scheduler.num_bad_epochs, scheduler.best))
        return seen
    assert run(ad) == run(torch_oracle)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "OneCycleLR", "LambdaLR"])
def test_state_dict_round_trip_resumes_the_same_schedule(torch_oracle, name):
    def run(lib):
        opt = two_groups(lib, sgd)
        scheduler = SCHEDULES[name](lib.optim.lr_scheduler, opt)
        for _ in range(12):
            opt.step()
            scheduler.step()
        saved_opt, saved = opt.state_dict(), scheduler.state_dict()
        resumed_opt = two_groups(lib, sgd)
        resumed = SCHEDULES[name](lib.optim.lr_scheduler, resumed_opt)
        resumed_opt.load_state_dict(saved_opt)
        resumed.load_state_dict(saved)
        rates = []
        for _ in range(20):
            resumed_opt.step()
            resumed.step()
            rates.append(resumed.get_last_lr())
        return sorted(saved), rates
    (our_keys, ours), (their_keys, theirs) = run(ad), run(torch_oracle)
    assert our_keys == their_keys and ours == theirs


def test_closed_form_with_an_epoch_argument_warns_as_pytorch(torch_oracle):
    def run(lib):
        opt = two_groups(lib, sgd)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        opt.step()
        with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was "
                                             "not necessary"):
            scheduler.step(10)
        return scheduler.get_last_lr()
    assert run(ad) == run(torch_oracle)


def test_stepping_the_scheduler_before_the_optimizer_warns_once_as_pytorch(torch_oracle):
    for lib in (ad, torch_oracle):
        opt = two_groups(lib, sgd)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, step_size=1)
        with pytest.warns(UserWarning) as caught:
            scheduler.step()
        assert len(caught) == 1 and str(caught[0].message).startswith(
            "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 "
            "and later, you should call them in the opposite order")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            opt.step()
            scheduler.step()   # the right order: silent


def test_get_lr_outside_step_warns_to_use_get_last_lr():
    scheduler = lr_scheduler.StepLR(two_groups(ad, sgd), step_size=2)
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        scheduler.get_lr()


ERRORS = [
    (TypeError, lambda lib: lib.optim.lr_scheduler.StepLR(lib.nn.Linear(2, 1), step_size=1)),
    (TypeError, lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(lib.nn.Linear(2, 1))),
    (TypeError, lambda lib: lib.optim.lr_scheduler.OneCycleLR(lib.nn.Linear(2, 1), 0.1, 10)),
    (ValueError, lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(two_groups(lib, sgd),
                                                                      factor=1.0)),
    (ValueError, lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(two_groups(lib, sgd),
                                                                      mode="biggest")),
    (ValueError, lambda lib: lib.optim.lr_scheduler.OneCycleLR(two_groups(lib, sgd), 0.1)),
    (ValueError, lambda lib: lib.optim.lr_scheduler.OneCycleLR(two_groups(lib, sgd), 0.1,
                                                               total_steps=10, pct_start=1)),
    (ValueError, lambda lib: lib.optim.lr_scheduler.OneCycleLR(two_groups(lib, sgd), [0.1],
                                                               total_steps=10)),
    (ValueError, lambda lib: lib.optim.lr_scheduler.LambdaLR(two_groups(lib, sgd),
                                                             [lambda e: 1.0])),
    (KeyError, lambda lib: lib.optim.lr_scheduler.StepLR(lib.optim.SGD(
        [lib.ones(1, requires_grad=True)], lr=0.1), step_size=1, last_epoch=3)),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_pytorchs(torch_oracle, index):
    kind, make = ERRORS[index]
    with pytest.raises(kind) as theirs:
        make(torch_oracle)
    with pytest.raises(kind) as ours:
        make(ad)
    assert str(ours.value) == str(theirs.value)


def test_one_cycle_refuses_to_step_past_its_total(torch_oracle):
    for lib in (ad, torch_oracle):
        opt = two_groups(lib, sgd)
        scheduler = lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3)
        for _ in range(3):
            opt.step()
            scheduler.step()
        with pytest.raises(ValueError, match="^Tried to step 4 times. The specified number of "
                                             "total steps is 3$"):
            scheduler.step()


def test_a_schedule_in_a_training_loop_without_torch():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.parameters(), lr=1.0)
    scheduler = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    rates = []
    for _ in range(6):
        opt.zero_grad()
        model(ad.ones(3, 2)).sum().backward()
        opt.step()
        scheduler.step()
        rates.append(opt.param_groups[0]["lr"])
    assert rates == [1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    assert optim.lr_scheduler._LRScheduler is optim.lr_scheduler.LRScheduler
    assert math.isclose(lr_scheduler.CosineAnnealingLR(opt, T_max=4).get_last_lr()[0], 0.125)
