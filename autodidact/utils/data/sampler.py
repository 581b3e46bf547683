"""Samplers: the order in which a DataLoader visits a dataset's indices.

    >>> list(SequentialSampler(range(4)))
    [0, 1, 2, 3]
    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]

Random orders are drawn the way PyTorch draws them, call for call: a
sampler given no generator first draws a 64-bit seed from the global
stream and seeds a fresh ``Generator`` with it, then asks
``randperm(n, generator=...)`` for the order. With PyTorch's streams in
autodidact, the same seed gives the same shuffles as PyTorch.
"""

import itertools

import autodidact

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "BatchSampler"]


# ----------------------------------------------------------- random draws
#
# Every random number of autodidact.utils.data is drawn by the three
# functions below, through autodidact's public functions (looked up at call
# time), exactly as PyTorch's sampler.py and dataloader.py draw theirs.


def _global_stream_only():
    """True while autodidact has no ``Generator`` of its own: then ``generator=`` is
    accepted but every draw comes from the global stream (``manual_seed``)."""
    return not hasattr(autodidact, "Generator")


def draw_int64(generator=None):
    """A random 64-bit integer, as ``torch.empty((), dtype=torch.int64).random_()`` draws it
    (None, and nothing drawn, while autodidact has no Generator)."""
    if _global_stream_only():
        return None
    empty = autodidact.empty((), dtype=autodidact.int64)
    return int(empty.random_(generator=generator).item())


def generator_for(generator):
    """``generator``, or (given None) a fresh one seeded from the global stream."""
    if generator is not None or _global_stream_only():
        return generator
    seed = draw_int64()
    fresh = autodidact.Generator()
    fresh.manual_seed(seed)
    return fresh


def draw_permutation(n, generator):
    """A random order of ``range(n)``, as a list."""
    if _global_stream_only():
        return autodidact.randperm(n).tolist()
    return autodidact.randperm(n, generator=generator).tolist()


def draw_integers(high, size, generator):
    """``size`` random integers from [0, high), as a list."""
    if _global_stream_only():
        return autodidact.randint(0, high, (size,)).tolist()
    return autodidact.randint(high=high, size=(size,), dtype=autodidact.int64,
                              generator=generator).tolist()


# ----------------------------------------------------------- samplers


class Sampler:
    """The base class: a sampler is iterable (``__iter__`` yields indices) and has a ``len``."""

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, 2, ... len(data_source) - 1: the order of ``shuffle=False``."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A new random order every pass (``shuffle=True``); with ``replacement``, indices may repeat.

        >>> autodidact.manual_seed(0); list(RandomSampler(range(5)))   # a permutation of 0..4
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        generator = generator_for(self.generator)
        if self.replacement:
            # Drawn 32 at a time, as PyTorch does, so the streams stay in step.
            for _ in range(self.num_samples // 32):
                yield from draw_integers(n, 32, generator)
            yield from draw_integers(n, self.num_samples % 32, generator)
        else:
            for _ in range(self.num_samples // n):
                yield from draw_permutation(n, generator)
            yield from draw_permutation(n, generator)[:self.num_samples % n]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices``, in a new random order every pass."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in draw_permutation(len(self.indices), self.generator):
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of ``batch_size`` (the last may be short).

    ``drop_last=True`` drops a last batch shorter than ``batch_size``.
    """

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        batch = list(itertools.islice(indices, self.batch_size))
        while batch and (len(batch) == self.batch_size or not self.drop_last):
            yield batch
            batch = list(itertools.islice(indices, self.batch_size))

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
