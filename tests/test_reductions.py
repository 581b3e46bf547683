"""Reductions with dim and keepdim: sum, mean, prod, max/min (values and
indices), argmax/argmin, var/std, amax/amin, all/any, softmax, log_softmax.

Values are checked against NumPy; dtypes, results on empty tensors and
error texts against PyTorch 2.13 (reference section 30).
"""

import re
import warnings

import numpy as np
import pytest

import autodidact


def raises(exc, message):
    return pytest.raises(exc, match=re.escape(message))


RNG = np.random.default_rng(1)
DATA = RNG.standard_normal((2, 3, 4)).astype(np.float32)
M = autodidact.tensor([[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]])


def close(tensor, expected, rtol=1e-5, atol=1e-6):
    got = tensor.numpy()
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


DIMS = [None, 0, 1, 2, -1, (0, 2), [1, -1], (0, 1, 2)]
CASES = ([("sum", np.sum, dim) for dim in DIMS] + [("mean", np.mean, dim) for dim in DIMS]
         + [("prod", np.prod, dim) for dim in DIMS if not isinstance(dim, (tuple, list))])


@pytest.mark.parametrize("name, reference, dim", CASES)
@pytest.mark.parametrize("keepdim", [False, True])
def test_sum_mean_prod_match_numpy(name, reference, dim, keepdim):
    x = autodidact.tensor(DATA)
    if dim is None:
        result, expected = getattr(x, name)(), reference(DATA.astype(np.float64))
    else:
        result = getattr(autodidact, name)(x, dim, keepdim)
        axis = tuple(dim) if isinstance(dim, list) else dim
        expected = reference(DATA.astype(np.float64), axis=axis, keepdims=keepdim)
    assert result.dtype is autodidact.float32
    close(result, expected)


def test_sum_over_dims():
    x = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.sum(0).tolist() == [4.0, 6.0]
    assert x.sum(1, keepdim=True).tolist() == [[3.0], [7.0]]
    assert x.sum((0, 1)).tolist() == 10.0
    assert x.sum([0, 1], keepdim=True).tolist() == [[10.0]]
    assert x.sum(dim=-1).tolist() == [3.0, 7.0]
    assert autodidact.sum(x, dim=0).tolist() == [4.0, 6.0]
    assert x.mean(-1, True).tolist() == [[1.5], [3.5]]


@pytest.mark.parametrize("data, dtype, result", [
    ([1, 2], None, "int64"), ([1, 2], autodidact.int8, "int64"), ([True, True], None, "int64"),
    ([1.0, 2.0], autodidact.float16, "float16"), ([1.0, 2.0], autodidact.float64, "float64"),
])
def test_sum_dtypes(data, dtype, result):
    assert autodidact.tensor(data, dtype=dtype).sum().dtype.name == result
    assert autodidact.tensor(data, dtype=dtype).sum(0).dtype.name == result


def test_sum_with_dtype():
    x = autodidact.tensor([[1, 2], [3, 4]])
    assert x.sum(dtype=autodidact.float32).dtype is autodidact.float32
    assert x.sum(0, dtype=autodidact.int8).dtype is autodidact.int8
    assert x.sum(0, dtype=autodidact.int8).tolist() == [4, 6]
    assert autodidact.tensor([True, True]).sum().item() == 2
    assert autodidact.tensor([[1, 2], [3, 4]], dtype=autodidact.int8).prod().dtype is autodidact.int64
    assert autodidact.tensor([1, 2, 3, 4]).prod().item() == 24


def test_mean_of_integers():
    with raises(RuntimeError, "mean(): could not infer output dtype. Input dtype must be either a "
                              "floating point or complex dtype. Got: Long"):
        autodidact.tensor([1, 2]).mean()
    with raises(RuntimeError, "mean(): could not infer output dtype. Optional dtype must be either "
                              "a floating point or complex dtype. Got: Long"):
        autodidact.tensor([1, 2]).mean(dtype=autodidact.int64)
    assert autodidact.tensor([1, 2]).float().mean().item() == 1.5
    assert autodidact.tensor([1, 2]).mean(dtype=autodidact.float32).item() == 1.5


def test_dim_errors():
    x = autodidact.ones(2, 2)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        x.sum(dim=2)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"):
        x.mean(-3)
    with raises(RuntimeError, "dim 0 appears multiple times in the list of dims"):
        x.sum(dim=(0, 0))
    with raises(RuntimeError, "dim 1 appears multiple times in the list of dims"):
        x.sum(dim=(1, -1))


def test_zero_dim_reductions_take_dim_0_or_minus_1():
    s = autodidact.tensor(5.0)
    assert s.sum(0).item() == 5.0 and s.mean(dim=-1).item() == 5.0
    values, indices = s.max(0)
    assert values.item() == 5.0 and indices.item() == 0
    assert s.argmax(0).item() == 0
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        s.sum(1)


def test_empty_reductions():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # NumPy's "Mean of empty slice"
        assert autodidact.tensor([]).sum().item() == 0.0
        mean = autodidact.tensor([]).mean().item()
    assert mean != mean
    assert autodidact.tensor([]).prod().item() == 1.0
    assert autodidact.zeros(2, 0).sum(dim=1).tolist() == [0.0, 0.0]
    with raises(RuntimeError, "max(): Expected reduction dim to be specified for input.numel() == 0. "
                              "Specify the reduction dim with the 'dim' argument."):
        autodidact.tensor([]).max()
    with raises(RuntimeError, "min(): Expected reduction dim to be specified for input.numel() == 0."):
        autodidact.tensor([]).min()
    with raises(IndexError, "max(): Expected reduction dim 0 to have non-zero size."):
        autodidact.zeros(0, 3).max(dim=0)
    assert autodidact.zeros(0, 3).max(dim=1).values.shape == (0,)
    with raises(IndexError, "argmax(): Expected reduction dim to be specified for input.numel() == 0."):
        autodidact.tensor([]).argmax()


# ---------------------------------------------------------------- max / min


def test_max_min_over_everything():
    assert M.max().item() == 5.0 and M.min().item() == 0.0
    assert autodidact.tensor([1, 3, 2]).max().tolist() == 3
    assert autodidact.tensor([1, 3, 2]).max().dtype is autodidact.int64
    assert autodidact.tensor([True, False]).max().item() is True
    nan = autodidact.tensor([1.0, float("nan"), 3.0]).max().item()
    assert nan != nan


def test_max_with_dim_returns_values_and_first_indices():
    result = M.max(dim=1)
    values, indices = result
    assert values.tolist() == [5.0, 2.0] and indices.tolist() == [1, 0]
    assert result.values is values and result.indices is indices
    assert indices.dtype is autodidact.int64
    assert type(result).__name__ == "max"
    low = autodidact.min(M, 0)
    assert low.values.tolist() == [1.0, 2.0, 0.0] and low.indices.tolist() == [0, 1, 1]
    kept = M.max(1, keepdim=True)
    assert kept.values.tolist() == [[5.0], [2.0]] and kept.indices.tolist() == [[1], [0]]
    assert M.max(dim=-1).indices.tolist() == [1, 0]


def test_max_with_dim_prints_as_pytorch():
    assert repr(M.max(dim=1)) == ("autodidact.return_types.max(\nvalues=tensor([5., 2.]),\n"
                                  "indices=tensor([1, 0]))")
    assert repr(M.min(dim=1)).startswith("autodidact.return_types.min(\nvalues=")


def test_max_with_dim_out_of_range():
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        M.max(dim=2)


def test_argmax_argmin():
    x = autodidact.tensor([1.0, 3.0, 3.0, 2.0])
    assert x.argmax().item() == 1
    assert autodidact.tensor([1.0, 1.0, 1.0]).argmax().item() == 0
    assert autodidact.tensor([2.0, 1.0, 2.0]).argmin().item() == 1
    grid = autodidact.tensor([[1, 3], [3, 1]])
    assert grid.argmax(dim=1).tolist() == [1, 0]
    assert grid.argmax(dim=0, keepdim=True).tolist() == [[1, 0]]
    assert grid.argmax(keepdim=True).tolist() == [[1]]
    assert autodidact.argmin(grid, 1).tolist() == [0, 1]
    assert grid.argmax().dtype is autodidact.int64
    assert autodidact.tensor([1.0, float("nan"), 3.0]).argmax().item() == 1
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        grid.argmax(dim=2)


def test_amax_amin():
    x = autodidact.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.amax(dim=0).tolist() == [3.0, 4.0]
    assert x.amax().item() == 4.0
    assert x.amin((0, 1)).item() == 1.0
    assert autodidact.amin(x, 1, keepdim=True).tolist() == [[1.0], [3.0]]


# ---------------------------------------------------------------- var / std


@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_var_std_are_unbiased_by_default(dim, keepdim):
    x = autodidact.tensor(DATA)
    reference = DATA.astype(np.float64)
    kwargs = {} if dim is None else {"dim": dim, "keepdim": keepdim}
    axis = dim
    close(x.var(**kwargs), reference.var(axis=axis, ddof=1, keepdims=keepdim and dim is not None))
    close(x.std(**kwargs), reference.std(axis=axis, ddof=1, keepdims=keepdim and dim is not None))
    close(x.var(**kwargs, unbiased=False), reference.var(axis=axis, keepdims=keepdim and dim is not None))
    close(x.std(**kwargs, correction=0), reference.std(axis=axis, keepdims=keepdim and dim is not None))


def test_var_std_values():
    x = autodidact.tensor([1.0, 2.0, 3.0, 4.0])
    assert x.var().item() == pytest.approx(5 / 3)
    assert x.var(unbiased=False).item() == pytest.approx(1.25)
    assert x.var(correction=0).item() == pytest.approx(1.25)
    assert x.std().item() == pytest.approx((5 / 3) ** 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # NumPy's "Degrees of freedom <= 0"
        single = autodidact.tensor([1.0]).var().item()
    assert single != single
    assert autodidact.tensor([1.0, 2.0], dtype=autodidact.float16).var().dtype is autodidact.float16


def test_var_std_of_integers():
    for name in ("var", "std"):
        with raises(RuntimeError, "std and var only support floating point and complex dtypes"):
            getattr(autodidact.tensor([1, 2]), name)()


def test_all_any():
    x = autodidact.tensor([[True, False]])
    assert x.all().item() is False and x.any().item() is True
    assert x.any(dim=1).tolist() == [True]
    assert autodidact.tensor([1, 0]).all().item() is False
    assert autodidact.tensor([1.0, 2.0]).all().item() is True


# ------------------------------------------------------ softmax, log_softmax


def reference_softmax(a, axis):
    a = a.astype(np.float64)
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_softmax_values(dim):
    x = autodidact.tensor(DATA)
    expected = reference_softmax(DATA, dim)
    close(autodidact.softmax(x, dim=dim), expected)
    close(x.softmax(dim), expected)
    close(autodidact.log_softmax(x, dim=dim), np.log(expected))
    close(x.log_softmax(dim), np.log(expected))
    np.testing.assert_allclose(x.softmax(dim).sum(dim).numpy(), 1.0, rtol=1e-6)


@pytest.mark.parametrize("dtype", [autodidact.float32, autodidact.float64, autodidact.float16])
def test_softmax_is_stable_on_large_inputs(dtype):
    big = autodidact.tensor([1000.0, 1001.0, 1002.0], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probabilities = autodidact.softmax(big, dim=0)
        logs = autodidact.log_softmax(big, dim=0)
    assert probabilities.dtype is dtype and logs.dtype is dtype
    expected = reference_softmax(np.array([0.0, 1.0, 2.0]), 0)
    tolerance = 1e-3 if dtype is autodidact.float16 else 1e-6
    np.testing.assert_allclose(probabilities.numpy().astype(np.float64), expected, rtol=tolerance)
    np.testing.assert_allclose(logs.numpy().astype(np.float64), np.log(expected), rtol=tolerance)
    assert autodidact.softmax(autodidact.tensor([-1000.0, 0.0], dtype=dtype), 0).tolist() == [0.0, 1.0]


def test_softmax_half_computes_in_float32():
    # PyTorch rounds float16 softmax from a float32 computation: [0.2690, 0.7310].
    y = autodidact.softmax(autodidact.tensor([1.0, 2.0], dtype=autodidact.float16), dim=0)
    assert y.tolist() == [0.26904296875, 0.73095703125]


def test_softmax_with_minus_infinity():
    assert autodidact.softmax(autodidact.tensor([1.0, float("-inf")]), 0).tolist() == [1.0, 0.0]
    assert autodidact.log_softmax(autodidact.tensor([1.0, float("-inf")]), 0).tolist() == [0.0, float("-inf")]


def test_softmax_dtypes_and_errors():
    ints = autodidact.tensor([1, 2])
    assert autodidact.softmax(ints, dim=0, dtype=autodidact.float64).dtype is autodidact.float64
    with raises(NotImplementedError, "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"):
        autodidact.softmax(ints, dim=0)
    with raises(NotImplementedError, "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'"):
        autodidact.log_softmax(ints, dim=0)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        autodidact.softmax(autodidact.tensor([1.0, 2.0]), dim=1)
    assert autodidact.softmax(autodidact.zeros(0, 3), dim=1).shape == (0, 3)
    assert autodidact.softmax(autodidact.tensor(3.0), dim=0).item() == 1.0
