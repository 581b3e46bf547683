"""DataLoader: batches of examples from a dataset, in sequence or shuffled.

    >>> loader = DataLoader(dataset, batch_size=64, shuffle=True)
    >>> for X, y in loader:          # one pass over the data (an "epoch")
    ...     loss = loss_fn(model(X), y)

What one pass does: the sampler gives indices (0, 1, 2... or a random
order), the batch sampler groups them by ``batch_size``, each group is
read from the dataset (``dataset[i]`` for each i) and ``collate_fn``
turns the list of examples into one batch.

Everything happens in the main process. ``num_workers``, ``pin_memory``
and ``persistent_workers`` are accepted, so that programs written for
PyTorch run unchanged, with one warning per DataLoader that they do nothing.
"""

import warnings

from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler, draw_int64

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info():
    """Always None: there are no worker processes, every batch is loaded in the main one."""
    return None


class _EndlessSampler:
    """For an IterableDataset: one dummy index per example, for as long as the stream lasts."""

    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` (see the module docstring).

    ``shuffle=True`` draws a new order each pass; ``drop_last=True`` drops a
    last, short batch; ``sampler`` / ``batch_sampler`` choose the order
    yourself; ``collate_fn`` builds a batch from a list of examples;
    ``batch_size=None`` yields examples one by one, not batched.
    ``len(loader)`` is the number of batches.
    """

    _FIXED = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
              "persistent_workers")

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        # PyTorch's checks and words, in PyTorch's order.
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; "
                             "use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._iterable:
                sampler = _EndlessSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._initialized = True

        ignored = [f"{name}={value!r}" for name, value in (
            ("num_workers", num_workers), ("pin_memory", pin_memory),
            ("persistent_workers", persistent_workers)) if value]
        if ignored:
            warnings.warn(
                f"autodidact's DataLoader loads every batch in the main process: "
                f"{', '.join(ignored)} accepted and ignored (results are the same, only "
                "PyTorch's speed-ups are missing).", UserWarning, stacklevel=2)

    def __setattr__(self, name, value):
        if getattr(self, "_initialized", False) and name in self._FIXED:
            raise ValueError(f"{name} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(name, value)

    def __iter__(self):
        return _LoaderIterator(self)

    def __len__(self):
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last \
                    else -(-length // self.batch_size)
            return length
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)


class _LoaderIterator:
    """One pass over a DataLoader: indices from the (batch) sampler, examples, collate."""

    def __init__(self, loader):
        self._loader = loader
        self._batched = loader.batch_sampler is not None
        self._indices = iter(loader.batch_sampler if self._batched else loader.sampler)
        # PyTorch draws a seed for its worker processes here; drawing it too
        # keeps the random stream in step with PyTorch's.
        self._base_seed = draw_int64(loader.generator)
        self._stream = iter(loader.dataset) if loader._iterable else None

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._loader)

    def __next__(self):
        index = next(self._indices)   # StopIteration ends the pass
        dataset, loader = self._loader.dataset, self._loader
        if self._stream is not None:
            if not self._batched:
                return loader.collate_fn(next(self._stream))
            data = []
            for _ in index:
                try:
                    data.append(next(self._stream))
                except StopIteration:
                    break
            if not data or (loader.drop_last and len(data) < len(index)):
                raise StopIteration
            return loader.collate_fn(data)
        if not self._batched:
            return loader.collate_fn(dataset[index])
        if callable(getattr(dataset, "__getitems__", None)):
            return loader.collate_fn(dataset.__getitems__(index))
        return loader.collate_fn([dataset[i] for i in index])
