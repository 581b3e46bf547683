"""The random functions a PyTorch program calls, on tensors, with ``generator=``.

Creation (``rand``, ``randn``, ``randint``, ``randperm``, ``*_like``,
``normal``, ``bernoulli``, ``multinomial``) and the in-place fills
(``Tensor.uniform_``, ``normal_``, ``random_``, ``bernoulli_``,
``exponential_``, ``geometric_``, ``cauchy_``, ``log_normal_``). Each
picks its generator (``generator=`` or the device's default), draws
NumPy numbers with the modules beside this one, and wraps them. A fill
writes its numbers in the tensor's memory order, as PyTorch's kernels do.

    >>> g = autodidact.Generator().manual_seed(2147483647)
    >>> autodidact.randn(3, generator=g)
    tensor([-0.9800, -1.6578, -0.0572])
"""

import numpy as np

from .. import backend
from .. import dtypes as _dt
from ..tensor import Tensor
from . import continuous, discrete, gpu, integers, normal as _normal, uniform as _uniform
from .engine import generator_for


# ----------------------------------------------------------- helpers

def _dtype_name(dtype):
    from ..ops.promotion import _dt_name
    return _dt_name(dtype)


def _float_only(dtype, kernel):
    if not dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype_name(dtype)}\'')


def _memory_order(shape, strides):
    """Axes from the largest stride to the smallest: the order memory is laid out in."""
    return sorted(range(len(shape)), key=lambda axis: -abs(strides[axis]))


class _Fresh(Tensor):
    """A tensor being created by rand/randn/randint: its numbers need no copying in."""

    __slots__ = ()


def _fill(target, draw, kind="fill"):
    """Overwrite ``target`` with ``draw(n)`` (a flat array), in memory order."""
    from ..ops.assign import overwrite
    from ..ops.write_checks import check_can_modify
    array = target._data
    if type(target) is _Fresh:               # nothing refers to it yet: take the array
        target.__class__ = Tensor
        target._data = draw(array.size).reshape(array.shape).astype(array.dtype, copy=False)
        return target
    check_can_modify(target)
    values = draw(array.size)
    if array.flags.c_contiguous:
        result = values.reshape(array.shape)
    else:
        xp = backend.module_of(values)
        result = xp.empty(array.shape, dtype=values.dtype)
        axes = _memory_order(array.shape, array.strides)
        result.transpose(axes)[...] = values.reshape([array.shape[a] for a in axes])
    return overwrite(target, result.astype(array.dtype, copy=False), kind)


def _is_gpu(target):
    return target.device.type != "cpu"


def _new(size, dtype, device, name, default=None):
    """An uninitialised tensor to fill, and its generator's device."""
    from ..creation import _shape
    dtype = (default or _dt.get_default_dtype()) if dtype is None else _dt.to_dtype(dtype)
    dev = backend.device_or_default(device)
    xp = backend.array_module(dev)
    fresh = Tensor._wrap(xp.empty(_shape(size, name), dtype=dtype.numpy), dev)
    fresh.__class__ = _Fresh
    return fresh


def _finish(out, requires_grad):
    from ..creation import _finish as finish
    return finish(out, None, requires_grad)


# ----------------------------------------------------------- in-place fills

def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kwargs):
    """Fill with numbers from [from, to); returns the tensor."""
    from_ = kwargs.pop("from", from_)
    _float_only(self.dtype, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_} > to={to}")
    g = generator_for(self.device, generator)
    if _is_gpu(self):
        return _fill(self, lambda n: gpu.uniform(g._cupy_rng, n, self._data.dtype, from_, to),
                     "uniform")
    return _fill(self, lambda n: _uniform.uniform(g, n, self._data.dtype, from_, to), "uniform")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with numbers from N(mean, std**2); returns the tensor."""
    _float_only(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    g = generator_for(self.device, generator)
    if _is_gpu(self):
        return _fill(self, lambda n: gpu.normal(g._cupy_rng, n, self._data.dtype, mean, std),
                     "normal")
    dtype = self._data.dtype
    if self.numel() >= 16 and self._data.flags.c_contiguous:
        return _fill(self, lambda n: _normal.normal_fill(g, n, dtype, mean, std), "normal")
    return _fill(self, lambda n: _normal.normal_scalar(g, n, mean, std).astype(dtype), "normal")


def random_(self, from_=None, to=None, *, generator=None, **kwargs):
    """Fill with integers: ``random_(to)`` from [0, to), ``random_(from, to)``, or ``random_()``."""
    from_ = kwargs.pop("from", from_)
    g = generator_for(self.device, generator)
    if from_ is not None and to is None and "from" not in kwargs:
        from_, to = 0, from_                       # random_(to)
    if to is None:
        if _is_gpu(self):
            top = 2 ** 24 if self.dtype.is_floating_point else int(np.iinfo(self._data.dtype).max)
            return _fill(self, lambda n: gpu.integers(g._cupy_rng, n, self._data.dtype, 0, top))
        return _fill(self, lambda n: integers.full_range(g, n, self._data.dtype))
    if from_ >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={from_} >= to={to}")
    if _is_gpu(self):
        return _fill(self, lambda n: gpu.integers(g._cupy_rng, n, self._data.dtype, from_, to))
    return _fill(self, lambda n: integers.from_to(g, n, self._data.dtype, from_, to))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 0/1: each element is 1 with probability ``p`` (a number or a tensor)."""
    g = generator_for(self.device, generator)
    if isinstance(p, Tensor):
        probs = backend.move(p._data, self.device)
        probs = backend.module_of(probs).broadcast_to(probs, self._data.shape)
        _check_probabilities(probs)
        if _is_gpu(self):
            return _fill(self, lambda n: gpu.transformed(backend.module_of(probs), g._cupy_rng,
                                                         "bernoulli", n, p=probs.ravel()))
        return _fill(self, lambda n: discrete.bernoulli_tensor(g, np.ascontiguousarray(probs)))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return _fill(self, _sampler(self, g, "bernoulli", p=p))


def _check_probabilities(probs):
    xp = backend.module_of(probs)
    if probs.size and not bool(xp.all((probs >= 0) & (probs <= 1))):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with waiting times of a rate-``lambd`` Poisson process."""
    if not self.dtype.is_floating_point:
        raise RuntimeError(f"Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_dtype_name(self.dtype).capitalize()}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return _fill(self, _sampler(self, generator_for(self.device, generator), "exponential",
                                lambd=lambd))


def geometric_(self, p, *, generator=None):
    """Fill with the number of trials up to the first success (probability ``p``)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return _fill(self, _sampler(self, generator_for(self.device, generator), "geometric", p=p))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill with Cauchy numbers (location ``median``, scale ``sigma``)."""
    if not self.dtype.is_floating_point:
        raise RuntimeError(f"Cauchy distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{np.dtype(self._data.dtype).name.replace('int64', 'long int')}")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    return _fill(self, _sampler(self, generator_for(self.device, generator), "cauchy",
                                median=median, sigma=sigma))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with ``exp(N(mean, std**2))``."""
    _float_only(self.dtype, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    return _fill(self, _sampler(self, generator_for(self.device, generator), "log_normal",
                                mean=mean, std=std))


_CPU_SAMPLERS = {
    "exponential": lambda g, n, p: continuous.exponential(g, n, p["lambd"]),
    "cauchy": lambda g, n, p: continuous.cauchy(g, n, p["median"], p["sigma"]),
    "log_normal": lambda g, n, p: continuous.log_normal(g, n, p["mean"], p["std"]),
    "geometric": lambda g, n, p: discrete.geometric(g, n, p["p"]),
    "bernoulli": lambda g, n, p: discrete.bernoulli_scalar(g, n, p["p"]),
}


def _sampler(target, g, kind, **params):
    """A ``draw(n)`` for ``_fill``: float64 (or bool) numbers of the distribution."""
    if _is_gpu(target):
        xp = backend.module_of(target._data)
        return lambda n: gpu.transformed(xp, g._cupy_rng, kind, n, **params)
    return lambda n: _CPU_SAMPLERS[kind](g, n, params)


# ----------------------------------------------------------- creation

def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Numbers from [0, 1): float32 unless ``dtype`` says otherwise."""
    out = _new(size, dtype, device, "rand")
    return _finish(uniform_(out, 0.0, 1.0, generator=generator), requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Numbers from the standard normal distribution N(0, 1)."""
    out = _new(size, dtype, device, "randn")
    return _finish(normal_(out, 0.0, 1.0, generator=generator), requires_grad)


def _like(input, dtype, device):
    return (dtype or input.dtype), (device or input.device)


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return rand(input.shape, generator=generator, dtype=dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(input, dtype, device)
    return randn(input.shape, generator=generator, dtype=dtype, device=device,
                 requires_grad=requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False):
    """Integers from [low, high); int64 unless ``dtype`` says otherwise.

        >>> autodidact.randint(10, (3,)), autodidact.randint(5, 10, (2, 2))
    """
    if high is None and size is not None:
        low, high = 0, low                     # randint(high, size=...)
    elif size is None:
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() needs high and size: randint(high, size) or "
                        "randint(low, high, size)")
    if not isinstance(size, (tuple, list)) and type(size).__name__ != "Size":
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not "
                        f"{type(size).__name__} (write randint(low, high, (n,)))")
    out = _new((tuple(size),), dtype, device, "randint", default=_dt.int64)
    return _finish(random_(out, low, high, generator=generator), requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, device=None,
                 requires_grad=False):
    if high is None:
        low, high = 0, low
    dtype, device = _like(input, dtype, device)
    return randint(low, high, tuple(input.shape), generator=generator, dtype=dtype,
                   device=device, requires_grad=requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random ordering of 0, 1, ..., n - 1 (PyTorch's Fisher-Yates shuffle)."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = _dt.int64 if dtype is None else _dt.to_dtype(dtype)
    dev = backend.device_or_default(device)
    g = generator_for(dev, generator)
    if dev.type == "cpu":
        order = integers.randperm(g, int(n))
    else:
        order = gpu.permutation(backend.array_module(dev), g._cupy_rng, int(n))
    return _finish(Tensor._wrap(order.astype(dtype.numpy), dev), requires_grad)


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    """Samples from N(mean, std**2): numbers and a ``size``, or tensors of means/stds.

        >>> autodidact.normal(0.0, 1.0, (2, 3))
        >>> autodidact.normal(torch.zeros(3), torch.ones(3))    # one draw per pair
    """
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal() with numbers for mean and std needs a size: "
                            "normal(mean, std, size)")
        out = _new((tuple(size),), dtype, device, "normal")
        return _finish(normal_(out, mean, std, generator=generator), requires_grad)
    if isinstance(std, Tensor) and bool((std < 0).any()):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    from ..ops.shape import broadcast_shapes
    like = mean if isinstance(mean, Tensor) else std
    shape = broadcast_shapes(*[tuple(t.shape) for t in (mean, std) if isinstance(t, Tensor)])
    out = _new((shape,), like.dtype, like.device, "normal")
    # PyTorch draws N(0, 1) (or N(0, std) for a number std), then scales and shifts.
    if isinstance(std, Tensor):
        normal_(out, 0.0, 1.0, generator=generator)
        out = out * std + mean
    else:
        normal_(out, 0.0, std, generator=generator)
        out = out + mean
    return out


def bernoulli(input, p=None, *, generator=None):
    """0/1 draws: each element is 1 with the probability in ``input`` (or ``p``)."""
    out = Tensor._wrap(backend.module_of(input._data).empty_like(input._data), input.device)
    return bernoulli_(out, input if p is None else p, generator=generator)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Category indices drawn from each row of (unnormalised) probabilities.

        >>> g = autodidact.Generator().manual_seed(0)
        >>> autodidact.multinomial(autodidact.tensor([0.1, 0.9]), 5, True, generator=g)
        tensor([1, 1, 1, 1, 1])
    """
    _check_multinomial(input, num_samples, replacement)
    g = generator_for(input.device, generator)
    probs = backend.to_host(input._data)
    if g.device.type == "cpu":
        index = discrete.multinomial(g, probs, num_samples, replacement)
    else:
        index = _gpu_multinomial(g, probs, num_samples, replacement)
    index = index.reshape(input.shape[:-1] + (num_samples,))
    return Tensor._wrap(backend.move(index.astype(np.int64), input.device), input.device)


def _gpu_multinomial(g, probs, num_samples, replacement):
    """The same two methods, driven by the GPU generator's uniform numbers."""
    rows = probs.reshape(-1, probs.shape[-1]).astype(np.float64)
    draws = rows.shape[0] * (rows.shape[1] if not replacement else num_samples)
    u = backend.to_host(g._cupy_rng.random(draws))
    if not replacement:
        race = rows / (-np.log1p(-u)).reshape(rows.shape)
        return np.argsort(-race, axis=-1, kind="stable")[:, :num_samples]
    cumulative = np.cumsum(rows, axis=-1)
    cumulative /= cumulative[:, -1:]
    return discrete._first_at_least(cumulative, u.reshape(rows.shape[0], num_samples))


def _check_multinomial(input, num_samples, replacement):
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_dtype_name(input.dtype).capitalize()}")
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = input.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    probs = backend.to_host(input._data)
    rows = probs.reshape(-1, categories)
    if replacement and num_samples > 1:      # the searching kernel's own words
        if (rows < 0).any():
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry < 0)")
        if not np.isfinite(rows).all():
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry = infinity or NaN)")
    elif (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
