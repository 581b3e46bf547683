"""The checks before an in-place write, each with PyTorch's message.

``x.add_(1)``, ``x[0] = 5``, ``out=``, ``fill_``: before any of them
changes a byte, these decide whether it may, so that a refused write leaves
the target exactly as it was. Apart from the writing itself (``inplace.py``)
because every kind of write asks the same questions::

    check_can_modify(leaf_requiring_grad)   # RuntimeError: a leaf Variable that requires grad...
    check_overlap(y[1:], [y[:-1]])          # RuntimeError: unsupported operation: some elements...
"""

import numpy as np

from .. import dtypes as _dt
from .. import graph
from ..tensor import Tensor
from .promotion import _dt_name
from .pieces import refuse_write
from .layout import data_ptr, element_strides
from .strides import is_dense

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."
_NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
_INTERNAL_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation.")
_PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
    "a single memory location. Please clone() the tensor before performing the operation.")


# ------------------------------------------------------------ checks


def check_can_modify(target, values=()):
    """Raise PyTorch's error when autograd forbids changing ``target`` in place.

    ``values``: the op's other operands; one that requires grad makes the
    write part of the graph even when ``target`` is not.
    """
    if not graph._grad_mode.enabled:
        return
    flags = target.__dict__
    # Views of integer and bool tensors are outside autograd (PyTorch makes them
    # non-differentiable views): nothing written into them is recorded.
    if ("_no_grad_view" in flags or "_multi_output_view" in flags) and \
            target.dtype.is_floating_point and _in_graph(target, values):
        if "_no_grad_view" in flags:
            raise RuntimeError(_NO_GRAD_VIEW)
        refuse_write(target)
    if target.grad_fn is None and target._requires_grad:
        raise RuntimeError(_LEAF + " Wrap the update in `with autodidact.no_grad():` or change "
                           "`.data` if you mean to update a weight by hand.")
    base = target._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF + " Wrap it in `with autodidact.no_grad():`.")


def _in_graph(target, values):
    """Would this in-place write be recorded: does the target, its base or a value require grad?"""
    base = target._base
    return target._requires_grad or (base is not None and base._requires_grad) or any(
        isinstance(v, Tensor) and v._requires_grad for v in values)


def _check_fits(result, target):
    if tuple(result.shape) != tuple(target.shape):
        raise RuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}")
    _check_castable(result.dtype, target.dtype)


def _check_castable(result_dtype, target_dtype):
    if not _dt.can_cast(result_dtype, target_dtype):
        raise RuntimeError(
            f"result type {_dt_name(result_dtype)} can't be cast to the desired output type "
            f"{_dt_name(target_dtype)}")


def has_internal_overlap(array):
    """True when two places of the array are one element in memory (stride 0, as after expand)."""
    return array.size > 1 and any(
        step == 0 and size > 1 for step, size in zip(array.strides, array.shape))


_NO, _FULL, _PARTIAL = 0, 1, 2


def overlap(a, b):
    """How the memory of two arrays overlaps, as PyTorch judges it.

    Only arrays without gaps can be judged; others count as not
    overlapping (PyTorch calls them "too hard" and lets them through).
    """
    if a.size == 0 or b.size == 0:
        return _NO
    if not (is_dense(a.shape, element_strides(a)) and is_dense(b.shape, element_strides(b))):
        return _NO
    a_begin, b_begin = data_ptr(a), data_ptr(b)
    a_end, b_end = a_begin + a.nbytes, b_begin + b.nbytes
    if a_begin == b_begin and a_end == b_end:
        # PyTorch's test, strides to the letter: a (1,) view of a 0-d tensor only partly overlaps it
        return _FULL if a.strides == b.strides else _PARTIAL
    return _PARTIAL if a_begin < b_end and b_begin < a_end else _NO


def same_view(a, b):
    """True when ``b`` is ``a`` itself seen the same way: one start, shape, strides and dtype.

    PyTorch's ``copy_`` returns at once for such a source, before any
    overlap check (there is nothing to copy): so ``v[None] = x`` is allowed
    for ``v = x.expand(2, 3)``, whose expanded value reads each place of
    ``v`` exactly where it would write it.
    """
    return (hasattr(b, "strides") and a.shape == b.shape and a.strides == b.strides
            and a.dtype == b.dtype and data_ptr(a) == data_ptr(b))


def check_overlap(written, inputs, full_too=False, internal=True):
    """PyTorch's errors for writing into memory that is read at the same time.

    ``full_too``: an input that is exactly the target counts as well (for
    ``x[index] = x``); ``internal``: the target may not have two places in
    one memory location (``expand``-ed).
    """
    if internal and has_internal_overlap(written):
        raise RuntimeError(_INTERNAL_OVERLAP)
    for x in inputs:
        data = x._data if isinstance(x, Tensor) else x   # a tensor, or an array viewing one
        if hasattr(data, "strides") and not isinstance(data, np.generic):   # not a number
            status = overlap(written, data)
            if status == _PARTIAL or (full_too and status == _FULL):
                raise RuntimeError(_PARTIAL_OVERLAP)
