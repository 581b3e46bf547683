"""Random numbers: the Generator and PyTorch 2.13's CPU streams, bit for bit.

After the same seed, autodidact draws the numbers PyTorch draws, so a
tutorial's printed numbers (a loss, a sampled name) come out the same:

    >>> autodidact.manual_seed(0); autodidact.rand(3)
    tensor([0.4963, 0.7682, 0.0885])          # torch.manual_seed(0); torch.rand(3)
    >>> g = autodidact.Generator().manual_seed(2147483647)
    >>> autodidact.multinomial(probs, 1, replacement=True, generator=g)

The files, one idea each: ``engine.py`` (the Mersenne Twister, seeding,
state), ``uniform.py``, ``normal.py``, ``integers.py`` (randint, randperm),
``continuous.py`` (exponential, Cauchy, log-normal), ``discrete.py``
(Bernoulli, geometric, multinomial), ``exact.py`` (fused multiply-add),
``cephes.py`` (the float32 log/sin/cos of PyTorch's AVX2 randn),
``libm.py`` (the C maths library), ``capability.py`` (which of PyTorch's
code paths, and whether verified here), ``gpu.py`` (CuPy on ``cuda``),
``functions.py`` (the tensor functions).

PyTorch draws differently on its vectorised (AVX2/AVX512) and portable
(``ATEN_CPU_CAPABILITY=default``) builds; autodidact follows the same
variable, or ``set_cpu_capability``. ``exact_streams()`` says whether this
machine is one where the streams were verified: x86-64 Linux with glibc.
ARM and macOS builds (other kernels and maths libraries) and the MKL
Bernoulli path PyTorch takes on Intel CPUs are not verified.
"""

from .capability import exact_streams, get_cpu_capability, set_cpu_capability
from .engine import (Generator, default_generator, get_rng_state, initial_seed, manual_seed,
                     seed, set_rng_state)

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "exact_streams", "get_cpu_capability",
           "set_cpu_capability", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled"]

_deterministic = False


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Accepted for PyTorch programs: autodidact's algorithms are always deterministic."""
    global _deterministic
    if not isinstance(mode, bool):
        raise TypeError(f"use_deterministic_algorithms expects a bool, but got "
                        f"{type(mode).__name__}")
    _deterministic = mode


def are_deterministic_algorithms_enabled():
    return _deterministic
