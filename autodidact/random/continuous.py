"""``exponential_``, ``cauchy_`` and ``log_normal_``: one float64 draw per element.

Each draws ``uniform_real<double>`` (a 53-bit number from a 64-bit word)
or, for the log-normal, one scalar-path normal (sharing the cached second
Box-Muller sample), transforms it in float64 with the C library, and
rounds to the tensor's dtype.
"""

import numpy as np

from . import capability, libm
from .exact import fma64
from .normal import normal_scalar
from .uniform import unit


def exponential(g, n, lambd):
    """``-1/lambd * log1p(-u)``: the time to the next event of a rate-``lambd`` process."""
    u = unit(g, n, np.float64)
    return (-1.0 / float(lambd)) * libm.double("log1p", -u)


def cauchy(g, n, median, sigma):
    """``median + sigma * tan(pi * (u - 1/2))``: heavy-tailed, no mean."""
    u = unit(g, n, np.float64)
    spread = libm.double("tan", np.pi * (u - 0.5))
    if capability.vectorised():
        return fma64(float(sigma), spread, float(median))   # compiled as one FMA
    return float(median) + float(sigma) * spread


def log_normal(g, n, mean, std):
    """``exp(N(mean, std**2))``: a number whose logarithm is normal."""
    return libm.double("exp", normal_scalar(g, n, mean, std))
