"""autodidact.utils.data: datasets, samplers and the DataLoader that batches them.

A *dataset* answers ``len(ds)`` and ``ds[i]`` (one example); a *sampler*
says in which order to visit the indices; a ``BatchSampler`` groups them;
the ``DataLoader`` fetches each group from the dataset and *collates* the
examples into one batch (tensors stacked along a new first dimension).

    >>> ds = TensorDataset(autodidact.arange(10.).view(5, 2), autodidact.arange(5))
    >>> for x, y in DataLoader(ds, batch_size=2, shuffle=True):
    ...     print(x.shape, y)          # autodidact.Size([2, 2]) tensor([3, 0]) ...

Files: ``dataset.py`` (Dataset, TensorDataset, Subset, ConcatDataset,
random_split), ``sampler.py`` (the orders, and the one place random draws
are made), ``collate.py`` (how examples become a batch), ``dataloader.py``.
Everything runs in the main process: ``num_workers``, ``pin_memory`` and
``persistent_workers`` are accepted, with a warning that they do nothing.
"""

from .collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, Subset,
                      TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset",
           "IterableDataset", "RandomSampler", "Sampler", "SequentialSampler", "Subset",
           "SubsetRandomSampler", "TensorDataset", "default_collate", "default_convert",
           "get_worker_info", "random_split"]
