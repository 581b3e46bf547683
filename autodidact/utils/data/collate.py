"""Collating: how a list of examples becomes one batch.

``default_collate`` follows the structure of the first example and stacks
what sits at the same place in every example, as PyTorch does:

    tensors              stacked along a new first dimension
    NumPy arrays         made tensors, then stacked; NumPy scalars keep their dtype
    Python floats        a float64 tensor;  ints: int64;  bools: bool
    str, bytes           left as a list
    dicts                a dict of collated values, key by key
    tuples, lists        collated position by position (a tuple becomes a list)

    >>> default_collate([(autodidact.zeros(2), 0), (autodidact.ones(2), 1)])
    [tensor([[0., 0.], [1., 1.]]), tensor([0, 1])]
"""

import collections.abc
import copy
import re

import numpy as np

import autodidact

__all__ = ["default_collate", "default_convert"]

_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
          "found {}")
_STRINGS_OR_OBJECTS = re.compile(r"[SaUO]")   # NumPy dtype codes no tensor can hold


def default_collate(batch):
    """One batch from a list of examples (see the module's table)."""
    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, autodidact.Tensor):
        return autodidact.stack(batch, 0)
    if isinstance(elem, np.ndarray):
        if _STRINGS_OR_OBJECTS.search(elem.dtype.str):
            raise TypeError(_ERROR.format(elem.dtype))
        return default_collate([autodidact.as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return autodidact.as_tensor(batch)
    if isinstance(elem, float):
        return autodidact.tensor(batch, dtype=autodidact.float64)
    if isinstance(elem, int):
        return autodidact.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        return _same_kind(elem, collated, dict)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):   # a namedtuple keeps its type
        return elem_type(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        collated = [default_collate(samples) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return collated   # PyTorch returns a list here, for backward compatibility
        return _same_kind(elem, collated, list)
    raise TypeError(_ERROR.format(elem_type))


def default_convert(data):
    """What a DataLoader with ``batch_size=None`` does to each example: NumPy becomes tensors."""
    if isinstance(data, autodidact.Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _STRINGS_OR_OBJECTS.search(data.dtype.str) else autodidact.as_tensor(data)
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return autodidact.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _same_kind(data, {key: default_convert(data[key]) for key in data}, dict)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _same_kind(data, [default_convert(d) for d in data], list)
    return data


def _same_kind(original, values, fallback):
    """``values`` (a dict or list) in the container type of ``original`` where it can be built."""
    try:
        if isinstance(original, (collections.abc.MutableMapping, collections.abc.MutableSequence)):
            clone = copy.copy(original)
            if isinstance(original, collections.abc.MutableMapping):
                clone.update(values)
            else:
                for i, value in enumerate(values):
                    clone[i] = value
            return clone
        return type(original)(values)
    except TypeError:
        return fallback(values)
