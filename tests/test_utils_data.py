"""autodidact.utils.data against torch.utils.data: datasets, samplers, collate, DataLoader."""

import collections
import warnings

import numpy as np
import pytest

import autodidact
from autodidact.utils import data as ad_data
from torch_compare import run, same_error


def _structure(batch):
    """A batch as plain data: tensors become (dtype name, shape, values); containers kept."""
    if hasattr(batch, "dtype") and hasattr(batch, "tolist") and not isinstance(batch, np.ndarray):
        return ("tensor", str(batch.dtype).split(".")[-1], tuple(batch.shape), batch.tolist())
    if isinstance(batch, dict):
        return {k: _structure(v) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return (type(batch).__name__,) + tuple(_structure(v) for v in batch)
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [_structure(v) for v in batch])
    return batch


def test_import_paths():
    import autodidact.utils.data as by_import
    from autodidact.utils.data import DataLoader
    assert autodidact.utils.data is by_import
    assert DataLoader is by_import.DataLoader


Point = collections.namedtuple("Point", "x y")

EXAMPLES = {
    "tensors": lambda lib: [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
    "int tensors": lambda lib: [lib.tensor(1), lib.tensor(2)],
    "floats": lambda lib: [0.5, 1.5, 2.5],
    "ints": lambda lib: [1, 2, 3],
    "bools": lambda lib: [True, False],
    "numpy float32": lambda lib: [np.ones(2, np.float32), np.zeros(2, np.float32)],
    "numpy int32": lambda lib: [np.arange(3, dtype=np.int32)] * 2,
    "numpy scalars": lambda lib: [np.float32(1.5), np.float32(2.5)],
    "numpy mixed scalars": lambda lib: [np.int64(1), np.float32(2.5)],
    "numpy float64 scalars": lambda lib: [np.float64(1.5), np.float64(2.5)],
    "strings": lambda lib: ["a", "b"],
    "tuples": lambda lib: [(lib.zeros(2), 0), (lib.ones(2), 1)],
    "lists": lambda lib: [[1.0, 2], [3.0, 4]],
    "dicts": lambda lib: [{"x": lib.ones(3), "y": 1}, {"x": lib.zeros(3), "y": 2}],
    "namedtuples": lambda lib: [Point(1, 2.0), Point(3, 4.0)],
    "nested": lambda lib: [{"a": [(np.ones(2), "s")]}, {"a": [(np.zeros(2), "t")]}],
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_default_collate_matches_torch(name, torch_oracle):
    ours = ad_data.default_collate(EXAMPLES[name](autodidact))
    theirs = torch_oracle.utils.data.default_collate(EXAMPLES[name](torch_oracle))
    assert _structure(ours) == _structure(theirs)


@pytest.mark.parametrize("batch", [[object()], [np.array(["a"])], [[1, 2], [3]]],
                         ids=["object", "string array", "ragged"])
def test_default_collate_errors_match_torch(batch, torch_oracle):
    same_error(run(autodidact, lambda lib: ad_data.default_collate(batch)),
               run(torch_oracle, lambda lib: lib.utils.data.default_collate(batch)))


def test_default_convert_matches_torch(torch_oracle):
    example = {"a": np.arange(3), "b": (np.float32(1), "s"), "c": [np.ones(2)]}
    ours = ad_data.default_convert(example)
    theirs = torch_oracle.utils.data.default_convert(example)
    assert _structure(ours) == _structure(theirs)


def _tensor_dataset(lib, n=10):
    return lib.utils.data.TensorDataset(lib.arange(2.0 * n).view(n, 2), lib.arange(n))


@pytest.mark.parametrize("kwargs", [
    dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=10),
    dict(batch_size=None), dict(batch_size=4, collate_fn=lambda b: len(b)),
    dict(batch_size=1), dict(batch_size=20)], ids=str)
def test_sequential_loading_matches_torch(kwargs, torch_oracle):
    ours = ad_data.DataLoader(_tensor_dataset(autodidact), **kwargs)
    theirs = torch_oracle.utils.data.DataLoader(_tensor_dataset(torch_oracle), **kwargs)
    assert len(ours) == len(theirs)
    assert [_structure(b) for b in ours] == [_structure(b) for b in theirs]


def test_samplers_and_batch_sampler_match_torch(torch_oracle):
    def batches(lib):
        u = lib.utils.data
        ds = _tensor_dataset(lib, 7)
        sampler = u.BatchSampler(u.SequentialSampler(range(7)), batch_size=3, drop_last=False)
        by_batch_sampler = [_structure(b) for b in u.DataLoader(ds, batch_sampler=sampler)]
        custom = [_structure(b) for b in u.DataLoader(ds, batch_size=2, sampler=[6, 0, 3])]
        return by_batch_sampler, custom, len(sampler), list(sampler)
    assert batches(autodidact) == batches(torch_oracle)


def _stream(lib, n):
    """An IterableDataset of lib yielding 0..n-1, with a length."""
    class Stream(lib.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self):
            return n
    return Stream()


def test_iterable_dataset_batches_like_torch(torch_oracle):
    for kwargs in (dict(batch_size=3), dict(batch_size=3, drop_last=True),
                   dict(batch_size=None)):
        ours = ad_data.DataLoader(_stream(autodidact, 7), **kwargs)
        theirs = torch_oracle.utils.data.DataLoader(_stream(torch_oracle, 7), **kwargs)
        assert len(ours) == len(theirs)
        assert [_structure(b) for b in ours] == [_structure(b) for b in theirs]
    chained = _stream(autodidact, 2) + _stream(autodidact, 3)
    assert list(chained) == [0, 1, 0, 1, 2] and len(chained) == 5


def test_shuffle_visits_every_example_once_per_pass():
    autodidact.manual_seed(0)
    loader = ad_data.DataLoader(_tensor_dataset(autodidact), batch_size=4, shuffle=True)
    first = [y.tolist() for _, y in loader]
    second = [y.tolist() for _, y in loader]
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10)) == sorted(sum(second, []))
    assert first != second   # a new order each pass
    autodidact.manual_seed(0)
    assert [y.tolist() for _, y in loader] == first   # the seed fixes the orders


def _record_permutations(lib, monkeypatch):
    """Make lib.randperm return reversed ranges and record each n it is asked for."""
    calls = []

    def randperm(n, **kwargs):
        calls.append(n)
        return lib.arange(n - 1, -1, -1)
    monkeypatch.setattr(lib, "randperm", randperm)
    if hasattr(lib.utils.data.dataset, "randperm"):   # torch's random_split imported it
        monkeypatch.setattr(lib.utils.data.dataset, "randperm", randperm)
    return calls


def test_shuffles_ask_for_the_permutations_torch_asks_for(torch_oracle, monkeypatch):
    """Call for call, the same permutations are drawn: with PyTorch's streams, the same orders."""
    def program(lib):
        u = lib.utils.data
        calls = _record_permutations(lib, monkeypatch)
        ds = _tensor_dataset(lib, 5)
        shuffled = [_structure(b) for b in u.DataLoader(ds, batch_size=2, shuffle=True)]
        sampled = list(u.RandomSampler(range(3), num_samples=7))
        subset = list(u.SubsetRandomSampler([10, 20, 30]))
        parts = [list(s) for s in u.random_split(range(6), [0.5, 0.5])]
        return shuffled, sampled, subset, parts, calls
    assert program(autodidact) == program(torch_oracle)


def test_random_sampler_with_replacement_stays_in_range():
    autodidact.manual_seed(1)
    drawn = list(ad_data.RandomSampler(range(4), replacement=True, num_samples=70))
    assert len(drawn) == 70 and set(drawn) <= {0, 1, 2, 3}


def test_random_split_lengths_and_fractions():
    autodidact.manual_seed(0)
    parts = ad_data.random_split(range(10), [3, 7])
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(list(parts[0]) + list(parts[1])) == list(range(10))
    assert [len(p) for p in ad_data.random_split(range(10), [0.5, 0.3, 0.2])] == [5, 3, 2]
    assert [len(p) for p in ad_data.random_split(range(11), [0.34, 0.33, 0.33])] == [4, 4, 3]


def test_random_split_warning_and_errors_match_torch(torch_oracle):
    for lib, split in ((autodidact, ad_data.random_split),
                       (torch_oracle, torch_oracle.utils.data.random_split)):
        with pytest.warns(UserWarning, match="Length of split at index 1 is 0. This might "
                                             "result in an empty dataset."):
            split(range(2), [1.0, 0.0])
    for lengths in ([3, 3], [1.5, -0.5]):
        same_error(run(autodidact, lambda lib: ad_data.random_split(range(5), lengths)),
                   run(torch_oracle, lambda lib: lib.utils.data.random_split(range(5), lengths)))


def test_generator_is_accepted_everywhere():
    g = autodidact.manual_seed(3)
    loader = ad_data.DataLoader(_tensor_dataset(autodidact), batch_size=5, shuffle=True,
                                generator=g)
    assert sorted(sum((y.tolist() for _, y in loader), [])) == list(range(10))
    assert len(list(ad_data.RandomSampler(range(4), generator=g))) == 4
    assert len(ad_data.random_split(range(4), [2, 2], generator=g)) == 2


def test_datasets_match_torch(torch_oracle):
    def program(lib):
        u = lib.utils.data
        ds = _tensor_dataset(lib, 4)
        sub = u.Subset(ds, [3, 1])
        both = u.ConcatDataset([ds, sub])
        plus = ds + sub
        return (len(ds), _structure(ds[2]), len(sub), _structure(sub[0]), len(both),
                both.cumulative_sizes, _structure(both[5]), _structure(both[-1]), len(plus))
    assert program(autodidact) == program(torch_oracle)


@pytest.mark.parametrize("make", [
    lambda lib: lib.utils.data.TensorDataset(lib.zeros(3, 2), lib.zeros(4)),
    lambda lib: lib.utils.data.ConcatDataset([]),
    lambda lib: lib.utils.data.ConcatDataset([lib.utils.data.TensorDataset(lib.zeros(2))])[-3],
    lambda lib: lib.utils.data.Dataset()[0],
    lambda lib: lib.utils.data.BatchSampler(range(3), batch_size=0, drop_last=False),
    lambda lib: lib.utils.data.BatchSampler(range(3), batch_size=2, drop_last=1),
    lambda lib: lib.utils.data.RandomSampler(range(3), replacement=1),
    lambda lib: lib.utils.data.RandomSampler([], num_samples=None),
    lambda lib: lib.utils.data.DataLoader(range(3), shuffle=True, sampler=[0, 1]),
    lambda lib: lib.utils.data.DataLoader(range(3), batch_size=2, batch_sampler=[[0]]),
    lambda lib: lib.utils.data.DataLoader(range(3), batch_size=None, drop_last=True),
    lambda lib: lib.utils.data.DataLoader(range(3), num_workers=-1),
    lambda lib: lib.utils.data.DataLoader(range(3), timeout=-1),
    lambda lib: lib.utils.data.DataLoader(range(3), prefetch_factor=2),
    lambda lib: lib.utils.data.DataLoader(range(3), persistent_workers=True),
    lambda lib: setattr(lib.utils.data.DataLoader(range(3)), "batch_size", 5),
], ids=["tensor sizes", "empty concat", "concat index", "abstract dataset", "batch_size 0",
        "drop_last int", "replacement int", "no samples", "sampler and shuffle",
        "batch_sampler and batch_size", "None and drop_last", "negative workers",
        "negative timeout", "prefetch without workers", "persistent without workers",
        "set batch_size"])
def test_misuse_errors_match_torch(make, torch_oracle):
    same_error(run(autodidact, make), run(torch_oracle, make))


def test_iterable_dataset_refuses_shuffle_and_samplers(torch_oracle):
    for kwargs in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
        def make(lib):
            return lib.utils.data.DataLoader(_stream(lib, 3), **kwargs)
        same_error(run(autodidact, make), run(torch_oracle, make))


def test_worker_options_are_accepted_with_one_warning():
    with pytest.warns(UserWarning) as record:
        loader = ad_data.DataLoader(_tensor_dataset(autodidact), batch_size=4, num_workers=2,
                                    pin_memory=True, persistent_workers=True)
    assert len(record) == 1
    assert "num_workers=2, pin_memory=True, persistent_workers=True" in str(record[0].message)
    assert "main process" in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # iterating warns no more
        assert [len(y) for _, y in loader] == [4, 4, 2]
        ad_data.DataLoader(range(3))     # and the defaults never warn
    assert ad_data.get_worker_info() is None


def test_batches_stay_on_the_dataset_device(device):
    ds = ad_data.TensorDataset(autodidact.arange(6.0, device=device).view(3, 2),
                               autodidact.arange(3, device=device))
    x, y = next(iter(ad_data.DataLoader(ds, batch_size=2)))
    assert x.device.type == device and y.device.type == device
    assert x.tolist() == [[0.0, 1.0], [2.0, 3.0]] and y.tolist() == [0, 1]


def test_shuffles_are_pytorchs_once_autodidact_draws_pytorchs_streams(torch_oracle):
    """With autodidact.Generator (PyTorch's streams), the same seed gives PyTorch's orders;
    before it exists, every draw comes from the global stream and each order is a permutation."""
    def program(lib):
        u = lib.utils.data
        lib.manual_seed(0)
        ds = u.TensorDataset(lib.arange(10))
        passes = [[b[0].tolist() for b in u.DataLoader(ds, batch_size=4, shuffle=True)]
                  for _ in range(2)]
        generator = lib.manual_seed(42) if not hasattr(lib, "Generator") else \
            lib.Generator().manual_seed(42)
        split = [list(s) for s in u.random_split(range(10), [0.3, 0.7], generator=generator)]
        drawn = list(u.RandomSampler(range(5), replacement=True, num_samples=40))
        after = lib.randint(0, 1000, (3,)).tolist()   # the global stream left in step
        return passes, split, drawn, after
    ours, theirs = program(autodidact), program(torch_oracle)
    if hasattr(autodidact, "Generator"):
        assert ours == theirs
    else:
        passes, split, drawn, _ = ours
        assert all(sorted(sum(p, [])) == list(range(10)) for p in passes)
        assert sorted(split[0] + split[1]) == list(range(10)) and set(drawn) <= set(range(5))
