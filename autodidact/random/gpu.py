"""Random numbers on ``cuda``: CuPy's generator, seeded by ``manual_seed``.

PyTorch's CUDA generator (Philox) gives other numbers than its CPU one,
so no course output can depend on GPU numbers matching the CPU's. Here
a GPU generator wraps ``cupy.random.default_rng(seed)``: the same seed
gives the same numbers on the same GPU setup, and every distribution is
built from its uniform and normal samples with the textbook transforms.
"""


def uniform(rng, shape, dtype, low, high):
    compute = "float64" if str(dtype) == "float64" else "float32"
    u = rng.random(shape, dtype=compute)
    return (u * (float(high) - float(low)) + float(low)).astype(dtype)


def normal(rng, shape, dtype, mean, std):
    compute = "float64" if str(dtype) == "float64" else "float32"
    return (rng.standard_normal(shape, dtype=compute) * float(std) + float(mean)).astype(dtype)


def integers(rng, shape, dtype, low, high):
    return rng.integers(int(low), int(high), shape).astype(dtype)


def permutation(xp, rng, n):
    """CuPy's generator has no permutation(): sorting n uniform numbers gives one."""
    return xp.argsort(rng.random(n))


def transformed(xp, rng, kind, shape, **p):
    """exponential, cauchy, log_normal, geometric or bernoulli samples (float64)."""
    if kind == "log_normal":
        return xp.exp(rng.standard_normal(shape) * float(p["std"]) + float(p["mean"]))
    u = rng.random(shape)
    if kind == "exponential":
        return -xp.log1p(-u) / float(p["lambd"])
    if kind == "cauchy":
        return float(p["median"]) + float(p["sigma"]) * xp.tan(xp.pi * (u - 0.5))
    if kind == "geometric":
        return xp.ceil(xp.log(u) / xp.log1p(xp.asarray(-float(p["p"]))))
    if kind == "bernoulli":
        return u < p["p"]
    raise ValueError(kind)
