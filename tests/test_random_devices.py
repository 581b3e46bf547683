"""Random functions on every device: reproducible after manual_seed, and the right distribution.

On ``cuda`` the numbers come from CuPy's generator (PyTorch's CUDA numbers
differ from its CPU ones too), so these tests check what holds on every
device: the same seed gives the same numbers, a Generator on the device
is honoured, and the samples have the distribution asked for. Run on a
GPU, or on NumPy through the fake CuPy (``AUTODIDACT_FAKE_CUPY=1
python -m pytest -m cuda``).
"""

import numpy as np
import pytest

import autodidact

N = 20000


def _draw_all(device, generator=None):
    kw = {"device": device, "generator": generator}
    g = {"generator": generator}
    probs = autodidact.tensor([0.1, 0.0, 0.6, 0.3], device=device)
    return {
        "rand": autodidact.rand(N, **kw),
        "randn": autodidact.randn(N, dtype=autodidact.float64, **kw),
        "randint": autodidact.randint(-3, 4, (N,), **kw),
        "randperm": autodidact.randperm(1000, **kw),
        "uniform_": autodidact.empty(N, device=device).uniform_(2, 5, **g),
        "normal_": autodidact.empty(N, device=device).normal_(3, 0.5, **g),
        "random_": autodidact.empty(N, device=device, dtype=autodidact.int32).random_(10, **g),
        "bernoulli_": autodidact.empty(N, device=device).bernoulli_(0.25, **g),
        "bernoulli": autodidact.bernoulli(autodidact.full((N,), 0.75, device=device), **g),
        "exponential_": autodidact.empty(N, device=device).exponential_(2.0, **g),
        "geometric_": autodidact.empty(N, device=device).geometric_(0.5, **g),
        "cauchy_": autodidact.empty(N, device=device).cauchy_(1.0, 2.0, **g),
        "log_normal_": autodidact.empty(N, device=device).log_normal_(0.0, 0.25, **g),
        "multinomial": autodidact.multinomial(probs, N, replacement=True, **g),
        "multinomial_no_replacement": autodidact.multinomial(probs, 3, **g),
    }


def _numpy(draws):
    return {name: t.cpu().numpy() for name, t in draws.items()}


def test_same_seed_same_numbers(device):
    autodidact.manual_seed(1234)
    first = _numpy(_draw_all(device))
    autodidact.manual_seed(1234)
    again = _numpy(_draw_all(device))
    autodidact.manual_seed(4321)
    other = _numpy(_draw_all(device))
    for name in first:
        assert np.array_equal(first[name], again[name]), name
    assert not np.array_equal(first["rand"], other["rand"])


def test_a_generator_on_the_device_is_its_own_stream(device):
    g = autodidact.Generator(device).manual_seed(7)
    first = _numpy(_draw_all(device, g))
    g.manual_seed(7)
    assert all(np.array_equal(a, b) for a, b in zip(first.values(),
                                                    _numpy(_draw_all(device, g)).values()))
    assert g.device.type == device and g.initial_seed() == 7


def test_samples_have_the_distribution_asked_for(device):
    autodidact.manual_seed(0)
    d = _numpy(_draw_all(device))
    assert d["rand"].dtype == np.float32 and 0 <= d["rand"].min() and d["rand"].max() < 1
    assert abs(d["rand"].mean() - 0.5) < 0.01
    assert abs(d["randn"].mean()) < 0.03 and abs(d["randn"].std() - 1) < 0.03
    assert set(np.unique(d["randint"])) == set(range(-3, 4))
    assert sorted(d["randperm"]) == list(range(1000))
    assert 2 <= d["uniform_"].min() and d["uniform_"].max() < 5
    assert abs(d["normal_"].mean() - 3) < 0.02 and abs(d["normal_"].std() - 0.5) < 0.02
    assert set(np.unique(d["random_"])) == set(range(10))
    assert abs(d["bernoulli_"].mean() - 0.25) < 0.015
    assert abs(d["bernoulli"].mean() - 0.75) < 0.015
    assert abs(d["exponential_"].mean() - 0.5) < 0.02
    assert d["geometric_"].min() == 1 and abs(d["geometric_"].mean() - 2) < 0.05
    assert abs(np.median(d["cauchy_"]) - 1.0) < 0.1
    assert abs(np.log(d["log_normal_"]).std() - 0.25) < 0.01
    counts = np.bincount(d["multinomial"], minlength=4) / N
    assert counts[1] == 0 and np.allclose(counts, [0.1, 0.0, 0.6, 0.3], atol=0.015)
    assert sorted(d["multinomial_no_replacement"]) == [0, 2, 3]


def test_results_live_on_the_device(device):
    assert autodidact.rand(3, device=device).device.type == device
    assert autodidact.multinomial(autodidact.ones(3, device=device), 2).device.type == device


def test_a_generator_that_does_not_fit_is_refused(device):
    if device == "cuda":
        with pytest.raises(RuntimeError, match="Expected a 'cuda' device type for generator"):
            autodidact.rand(2, device="cuda", generator=autodidact.Generator())
    with pytest.raises(TypeError, match="generator must be an autodidact.Generator"):
        autodidact.rand(2, device=device, generator=np.random.default_rng(0))
