"""The table of random-stream cases compared with PyTorch 2.13 (tests/test_random_streams.py).

Each case is one call written once against the shared API, so the same
code runs on ``torch`` and on ``autodidact``: seed a generator, call the
function, then draw again (a scalar-path ``randn`` that uses the cached
normal, and a 64-bit ``randint``) to check the generator was left where
PyTorch leaves it. Run as a script, it prints PyTorch's results for every
case as a pickle, so the parent test can get the DEFAULT code path's
numbers from a ``ATEN_CPU_CAPABILITY=default`` subprocess in one go.
"""

import math
import pickle
import sys

import numpy as np

SEEDS = [0, 42, 2147483647, 2 ** 32, 2 ** 32 + 1, 2 ** 63 - 1, 2 ** 64 - 1, -1, "fresh",
         1, 2, 3, 7, 10, 13, 99, 100, 123, 1234, 4321, 12345, 31337, 65535, 65536, 99991,
         2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 40 + 17, 2 ** 53 + 1, 10 ** 12, 10 ** 15 + 7,
         -2, -12345, -2 ** 63, 5, 6, 8, 9, 11, 17, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67]
SHAPES = [(1,), (7,), (15,), (16,), (17,), (100,), (1000,), (3, 5), (27, 27), (40, 25)]
FLOATS = ["float32", "float64", "float16"]
INTS = ["int64", "int32", "int16", "int8", "uint8", "float32", "float64"]


def _gen(lib, seed):
    return lib.Generator() if seed == "fresh" else lib.Generator().manual_seed(seed)


def _empty(lib, shape, dtype):
    return lib.empty(*shape, dtype=getattr(lib, dtype))


def _probs(lib, shape, dtype, seed):
    """Unnormalised probabilities with zeros, the same on both sides (NumPy-made)."""
    rng = np.random.RandomState(7 if seed == "fresh" else int(seed) % 2 ** 32)
    p = rng.random_sample(shape) ** 3
    p[..., ::5] = 0
    p[..., -1] = 0.5
    return lib.tensor(p.tolist(), dtype=getattr(lib, dtype))


# name -> (dtypes, function(lib, generator, shape, dtype, seed) -> tensor)
FUNCTIONS = {
    "rand": (FLOATS, lambda L, g, s, d, _: L.rand(*s, generator=g, dtype=getattr(L, d))),
    "rand_like": (FLOATS, lambda L, g, s, d, _: L.rand_like(_empty(L, s, d), generator=g)),
    "randn": (FLOATS, lambda L, g, s, d, _: L.randn(*s, generator=g, dtype=getattr(L, d))),
    "randn_like": (FLOATS, lambda L, g, s, d, _: L.randn_like(_empty(L, s, d), generator=g)),
    "uniform_": (FLOATS, lambda L, g, s, d, _: _empty(L, s, d).uniform_(-2.5, 3.25, generator=g)),
    "normal_": (FLOATS, lambda L, g, s, d, _: _empty(L, s, d).normal_(0.75, 2.5, generator=g)),
    "normal_strided": (FLOATS, lambda L, g, s, d, _: _empty(L, s[::-1], d).t().normal_(
        generator=g) if len(s) == 2 else _empty(L, (2 * s[0],), d)[::2].normal_(generator=g)),
    "uniform_strided": (FLOATS, lambda L, g, s, d, _: _empty(L, s[::-1], d).t().uniform_(
        generator=g) if len(s) == 2 else _empty(L, (2 * s[0],), d)[::2].uniform_(generator=g)),
    "normal_numbers": (["float32", "float64"], lambda L, g, s, d, _: L.normal(
        -1.5, 0.5, s, generator=g, dtype=getattr(L, d))),
    "normal_tensors": (["float32", "float64"], lambda L, g, s, d, _: L.normal(
        L.arange(float(s[-1]), dtype=getattr(L, d)), L.ones(s, dtype=getattr(L, d)) * 3,
        generator=g)),
    "normal_mean_tensor": (["float32", "float64"], lambda L, g, s, d, _: L.normal(
        L.zeros(s, dtype=getattr(L, d)) + 1, 2.0, generator=g)),
    "randint": (INTS, lambda L, g, s, d, _: L.randint(-3, 9 if d != "uint8" else 9, s,
                                                      generator=g, dtype=getattr(L, d))
                if d != "uint8" else L.randint(0, 200, s, generator=g, dtype=L.uint8)),
    "randint_wide": (["int64", "float64"], lambda L, g, s, d, _: L.randint(
        -2 ** 40, 2 ** 45, s, generator=g, dtype=getattr(L, d))),
    "randint_2_28": (["int64", "int32"], lambda L, g, s, d, _: L.randint(
        2 ** 28, generator=g, size=s, dtype=getattr(L, d))),
    "randint_like": (INTS[:5], lambda L, g, s, d, _: L.randint_like(_empty(L, s, d), 3, 50,
                                                                    generator=g)),
    "random_": (INTS + ["bool"], lambda L, g, s, d, _: _empty(L, s, d).random_(generator=g)),
    "random_to": (INTS, lambda L, g, s, d, _: _empty(L, s, d).random_(77, generator=g)),
    "random_from_to": (INTS[:4], lambda L, g, s, d, _: _empty(L, s, d).random_(
        -20, 20, generator=g)),
    "randperm": (["int64", "int32"], lambda L, g, s, d, _: L.randperm(
        math.prod(s), generator=g, dtype=getattr(L, d))),
    "bernoulli_p": (["float32", "float64", "int64", "bool"], lambda L, g, s, d, _: _empty(
        L, s, d).bernoulli_(0.3, generator=g)),
    "bernoulli_tensor": (["float32", "float64"], lambda L, g, s, d, seed: L.bernoulli(
        _probs(L, s, d, seed) / 2, generator=g)),
    "bernoulli_float": (["float32", "float64"], lambda L, g, s, d, _: L.bernoulli(
        L.zeros(s, dtype=getattr(L, d)), 0.7, generator=g)),
    "exponential_": (FLOATS, lambda L, g, s, d, _: _empty(L, s, d).exponential_(
        1.7, generator=g)),
    "geometric_": (["float32", "float64", "int64", "int32"], lambda L, g, s, d, _: _empty(
        L, s, d).geometric_(0.3, generator=g)),
    "cauchy_": (FLOATS, lambda L, g, s, d, _: _empty(L, s, d).cauchy_(0.5, 2.0, generator=g)),
    "log_normal_": (FLOATS, lambda L, g, s, d, _: _empty(L, s, d).log_normal_(
        0.25, 0.5, generator=g)),
    "multinomial_1": (["float32", "float64"], lambda L, g, s, d, seed: L.multinomial(
        _probs(L, (min(s[-1], 27) + 2,) if len(s) == 1 else s, d, seed), 1, generator=g)),
    "multinomial_replacement": (["float32", "float64"], lambda L, g, s, d, seed: L.multinomial(
        _probs(L, _rows(s), d, seed), s[0], replacement=True, generator=g)),
    "multinomial_no_replacement": (["float32", "float64"], lambda L, g, s, d, seed: (
        _probs(L, (40,) if len(s) == 1 else s, d, seed).multinomial(
            min(s[0], 8), generator=g))),
    "init_kaiming_uniform_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.
                              kaiming_uniform_(_empty(L, _2d(s), d), a=math.sqrt(5), generator=g)),
    "init_kaiming_normal_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.
                             kaiming_normal_(_empty(L, _2d(s), d), generator=g)),
    "init_xavier_uniform_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.
                             xavier_uniform_(_empty(L, _2d(s), d), gain=2.0, generator=g)),
    "init_xavier_normal_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.
                            xavier_normal_(_empty(L, _2d(s), d), generator=g)),
    "init_uniform_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.uniform_(
        _empty(L, s, d), -0.1, 0.1, generator=g)),
    "init_normal_": (["float32", "float64"], lambda L, g, s, d, _: L.nn.init.normal_(
        _empty(L, s, d), 0.0, 0.02, generator=g)),
}


def _rows(shape):
    """Probabilities for multinomial: one row, a few rows, or more than 64 rows."""
    return (100, 10) if shape == (1000,) else (30,) if len(shape) == 1 else shape


def _2d(shape):
    return shape if len(shape) == 2 else (shape[0], 3)


# Cases on the default generator: manual_seed, then the call without generator=.
DEFAULT_FUNCTIONS = {
    "default_rand": lambda L, s: L.rand(*s),
    "default_randn": lambda L, s: L.randn(*s),
    "default_randint": lambda L, s: L.randint(0, 10, s),
    "default_linear": lambda L, s: L.cat([p.detach().reshape(-1) for p in L.nn.Linear(
        s[-1], 3).parameters()]),
}


def cases():
    """Every (function, seed, shape, dtype): all seeds for each function, with the
    shapes and dtypes turning over so that each function meets all of both."""
    table = []
    for name, (dtypes, _) in FUNCTIONS.items():
        for i, seed in enumerate(SEEDS):
            shape = SHAPES[i % len(SHAPES)]
            dtype = dtypes[(i // len(SHAPES) + i) % len(dtypes)]
            table.append((name, seed, shape, dtype))
    for name in DEFAULT_FUNCTIONS:
        for i, seed in enumerate(SEEDS[:12]):
            if seed != "fresh":
                table.append((name, seed, SHAPES[i % len(SHAPES)], "float32"))
    return table


def run_case(lib, case):
    """The case's values, then the next draws, as NumPy arrays."""
    name, seed, shape, dtype = case
    if name in DEFAULT_FUNCTIONS:
        lib.manual_seed(seed)
        value = DEFAULT_FUNCTIONS[name](lib, shape)
        after = [lib.randn(3), lib.randint(0, 2 ** 40, (2,))]
    else:
        g = _gen(lib, seed)
        value = FUNCTIONS[name][1](lib, g, shape, dtype, seed)
        after = [lib.randn(3, generator=g), lib.randint(0, 2 ** 40, (2,), generator=g)]
    return [np.array(t.detach().numpy()) for t in [value] + after]


def main():
    import torch
    torch.set_num_threads(1)
    results = {"capability": torch.backends.cpu.get_cpu_capability(),
               "values": [run_case(torch, case) for case in cases()]}
    sys.stdout.buffer.write(pickle.dumps(results))


if __name__ == "__main__":
    main()
