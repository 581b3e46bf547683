"""The forgotten zero_grad(): optimizer.step() and check_stale_grads() warn, and only then."""

import warnings

import pytest

import autodidact
from autodidact import nn, optim
from autodidact.optim import StaleGradWarning, check_stale_grads

X = [1.0, 2.0, 3.0]
Y = [2.0, 4.0, 6.0]


def seed_loss(w):
    x, y = autodidact.tensor(X), autodidact.tensor(Y)
    return ((w * x - y) ** 2).mean()


def stale_warnings(record):
    return [w for w in record if issubclass(w.category, StaleGradWarning)]


def run(steps, before_backward=None, backwards=1, optimizer_class=optim.SGD, carry=False,
        retain=False):
    """The seed's loop through an optimizer; returns the StaleGradWarnings raised."""
    w = autodidact.tensor([1.0], requires_grad=True)
    optimizer = optimizer_class([w], lr=0.01)
    optimizer.carry_grads = carry
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(steps):
            if before_backward is not None:
                before_backward(optimizer, w)
            loss = seed_loss(w)
            for k in range(backwards):
                loss.backward(retain_graph=retain and k < backwards - 1)
                if not retain and k < backwards - 1:
                    loss = seed_loss(w)
            optimizer.step()
    return stale_warnings(record)


def test_the_ordinary_loop_never_warns():
    assert run(5, lambda opt, w: opt.zero_grad()) == []
    assert run(5, lambda opt, w: opt.zero_grad(), optimizer_class=optim.Adam) == []


def test_the_loop_without_zero_grad_warns_and_names_the_parameter_and_the_fix():
    found = run(3)
    assert len(found) == 2           # steps 2 and 3 (under "always")
    message = str(found[0].message)
    assert "optimizer.step() used gradients that were already there" in message
    assert "params[0] (shape (1,))" in message
    assert "optimizer.zero_grad()" in message and "optimizer.carry_grads = True" in message
    assert found[0].filename == __file__          # points at the caller's step() line
    assert run(3, optimizer_class=optim.Adam)


@pytest.mark.parametrize("zero", [
    lambda opt, w: opt.zero_grad(set_to_none=False),
    lambda opt, w: w.grad is not None and w.grad.zero_(),
    lambda opt, w: w.grad is not None and w.grad.data.zero_(),
    lambda opt, w: setattr(w, "grad", None),
], ids=["set_to_none=False", "grad.zero_()", "grad.data.zero_()", "grad = None"])
def test_every_way_of_zeroing_counts(zero):
    assert run(4, zero) == []


def test_two_losses_or_micro_batches_before_one_step_are_fine():
    assert run(4, lambda opt, w: opt.zero_grad(), backwards=2) == []
    assert run(4, lambda opt, w: opt.zero_grad(), backwards=3) == []
    # and a varying number of them, with zeroing in place
    counts = iter([1, 3, 2, 4])
    w = autodidact.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.01)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for n in counts:
            optimizer.zero_grad(set_to_none=False)
            for _ in range(n):
                seed_loss(w).backward()
            optimizer.step()
    assert stale_warnings(record) == []


def test_retain_graph_twice_before_one_step_is_fine():
    assert run(4, lambda opt, w: opt.zero_grad(), backwards=2, retain=True) == []


def test_the_opt_out():
    assert run(4, carry=True) == []


def test_named_parameters_are_named_and_a_module_loop_warns():
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.named_parameters(), lr=0.1)
    x = autodidact.ones(4, 2)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(2):
            model(x).sum().backward()
            optimizer.step()
    [found] = stale_warnings(record)
    assert "weight, bias" in str(found.message)


def test_shown_once_per_optimizer_under_the_default_filter():
    def loop(optimizer, w):
        for _ in range(4):
            seed_loss(w).backward()
            optimizer.step()                      # one line: one warning location

    with warnings.catch_warnings(record=True) as record:
        warnings.resetwarnings()
        warnings.simplefilter("default")
        w1 = autodidact.tensor([1.0], requires_grad=True)
        loop(optim.SGD([w1], lr=0.01), w1)
        w2 = autodidact.tensor([1.0], requires_grad=True)
        loop(optim.SGD([w2], lr=0.01), w2)
    assert len(stale_warnings(record)) == 2       # once for each optimizer


def test_a_closure_computes_fresh_gradients_and_never_warns():
    w = autodidact.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.01)

    def closure():
        optimizer.zero_grad()
        loss = seed_loss(w)
        loss.backward()
        return loss

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(3):
            optimizer.step(closure)
    assert stale_warnings(record) == []


def test_a_subclass_calling_super_step_is_checked_once():
    class Clipped(optim.SGD):
        def step(self, closure=None):
            return super().step(closure)

    assert run(3, lambda opt, w: opt.zero_grad(), optimizer_class=Clipped) == []
    assert len(run(3, optimizer_class=Clipped)) == 2


def test_a_custom_optimizer_whose_step_takes_no_closure():
    class PlainDescent(optim.Optimizer):
        def __init__(self, params, lr):
            super().__init__(params, dict(lr=lr))

        def step(self):
            for group in self.param_groups:
                for p in group["params"]:
                    p.data -= group["lr"] * p.grad.data

    assert run(3, lambda opt, w: opt.zero_grad(), optimizer_class=PlainDescent) == []
    assert len(run(3, optimizer_class=PlainDescent)) == 2


def hand_loop(steps, zero):
    """The seed's loop written by hand (lesson 08), checking before each update."""
    w = autodidact.tensor([1.0], requires_grad=True)
    results = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(steps):
            seed_loss(w).backward()
            results.append(check_stale_grads({"w": w}))
            w.data -= 0.01 * w.grad.data
            if zero:
                w.grad.data.zero_()
    return results, stale_warnings(record)


def test_the_hand_written_loop():
    results, found = hand_loop(3, zero=True)
    assert results == [[], [], []] and found == []
    results, found = hand_loop(3, zero=False)
    assert results == [[], ["w"], ["w"]] and len(found) == 2
    assert "This update used gradients that were already there" in str(found[0].message)
    assert "w" in str(found[0].message) and found[0].filename == __file__
    assert check_stale_grads([autodidact.tensor([1.0], requires_grad=True)]) == []


def test_on_a_device(device):
    w = autodidact.tensor([1.0, 2.0], requires_grad=True, device=device)
    x = autodidact.tensor([3.0, 4.0], device=device)
    optimizer = optim.SGD([w], lr=0.01)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for zero in (True, True, False):
            if zero:
                optimizer.zero_grad(set_to_none=False)
            (w * x).sum().backward()
            optimizer.step()
    assert len(stale_warnings(record)) == 1
