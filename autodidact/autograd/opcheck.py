"""gradcheck_ops: which op of a composite function has the wrong backward?

``gradcheck`` says *that* a function's gradient is wrong. When the
function is a chain of ops (a neuron: ``tanh(x @ w + b)``), the question
that matters is *which* rule is wrong. This check runs ``fn`` once,
remembering each op's inputs, then checks every node of the graph on its
own: the node's backward applied to a random output gradient ``v``
against central differences of ``sum(forward(inputs) * v)``, input by
input. Each node is checked alone, so a wrong rule upstream cannot hide
or blame another, and the first node (in the order backward reaches
them) whose two gradients disagree is returned, with both gradients.

    >>> x = autodidact.randn(3, dtype=autodidact.float64, requires_grad=True)
    >>> with swap_backward("tanh", lambda ctx, g: g * (1 + ctx.saved_tensors[0] ** 2)):
    ...     wrong = gradcheck_ops(lambda x: (x * 2).tanh().sum(), (x,))
    >>> wrong.op, wrong.input
    ('TanhBackward0', 0)
    >>> viz.draw_gradcheck(wrong)            # the graph, that op coloured

Only ops run through ``Function.apply`` (every op of ``autodidact.ops``)
are checked; other nodes (a user's ``autograd.Function``, in-place
copies) are passed over.
"""

from dataclasses import dataclass

import numpy as np

from .. import function as _function
from .. import graph
from ..backend import move, to_host
from ..tensor import Tensor
from .gradcheck import central_differences

__all__ = ["gradcheck_ops", "OpMismatch"]


@dataclass(eq=False)
class OpMismatch:
    """The first op whose backward disagrees with finite differences.

    ``node`` is the graph node (``op`` its name, ``order`` its place in
    backward's order, 1 = first), ``input`` the input whose gradient is
    wrong, ``analytic`` what the node's backward gives and ``numeric``
    what finite differences give (NumPy arrays of that input's shape),
    ``element`` the first element where they differ, and ``output`` the
    result of ``fn``, whose graph holds the node (for drawing).
    """

    node: object
    op: str
    order: int
    input: int
    analytic: np.ndarray
    numeric: np.ndarray
    element: tuple
    output: Tensor

    def __str__(self):
        return (f"{self.op} (node #{self.order} in backward's order): its backward gives "
                f"{float(self.analytic[self.element])!r} for input {self.input} at element "
                f"{self.element}, finite differences give "
                f"{float(self.numeric[self.element])!r}")


class _Recording:
    """Inside the block, ``Function.apply`` also remembers each node's op, inputs and options."""

    def __init__(self):
        self.calls = {}     # node -> (Function subclass, inputs, params)

    def __enter__(self):
        function_class = _function.Function
        self._original = function_class.__dict__["apply"]
        original, calls = self._original.__func__, self.calls

        def apply(cls, *inputs, **params):
            result = original(cls, *inputs, **params)
            out = result[0] if type(result) is tuple else result
            node = getattr(out, "grad_fn", None)
            if node is not None and getattr(node, "function", None) is cls:
                calls.setdefault(node, (cls, inputs, params))
            return result

        function_class.apply = classmethod(apply)
        return self

    def __exit__(self, *exc_info):
        _function.Function.apply = self._original
        return False


def gradcheck_ops(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0):
    """Check each op of ``fn``'s graph alone; return the first :class:`OpMismatch`, or None.

    ``inputs`` as for :func:`gradcheck` (float64 tensors that require
    grad, for precision). ``fn`` must return one Tensor.

        >>> wrong = gradcheck_ops(lambda x, w: (x @ w).tanh().sum(), (x, w))
        >>> print(wrong or "every op's backward agrees with finite differences")
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype.name != "float64":
            raise ValueError(
                f"gradcheck_ops needs float64 inputs for precision; input {i} is {x.dtype}. "
                "Create it with dtype=autodidact.float64 or call .double().")
    with graph.enable_grad(), _Recording() as recording:
        output = fn(*inputs)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradcheck_ops needs fn to return one Tensor, not "
                        f"{type(output).__name__}")
    if output.grad_fn is None:
        return None
    rng = np.random.default_rng(seed)
    for order, node in enumerate(graph.topological_order(output.grad_fn), start=1):
        call = recording.calls.get(node)
        if call is None:
            continue
        found = _check_node(node, *call, rng, eps, atol, rtol)
        if found is not None:
            index, analytic, numeric, element = found
            return OpMismatch(node, node.name(), order, index, analytic, numeric, element,
                              output)
    return None


def _check_node(node, function, inputs, params, rng, eps, atol, rtol):
    """(input, analytic, numeric, element) for the first input of ``node`` that disagrees."""
    arrays = [x._data.copy() if isinstance(x, Tensor) else x for x in inputs]
    device = next(x.device for x in inputs if isinstance(x, Tensor))
    weights = np.asarray(rng.standard_normal(node.output_shape))

    def projected():
        out = function.forward(_function._NO_GRAD_CONTEXT, *arrays, **params)
        out = out[0] if type(out) is tuple else out
        return float((to_host(np.asarray(out) if np.isscalar(out) else out)
                      .astype(np.float64) * weights).sum())

    v = Tensor._wrap(move(weights.astype(node.output_dtype.name), device), device)
    with graph.no_grad():
        grads = node.apply(v)
    for index, (child, _) in enumerate(node.next_functions):
        if child is None or not isinstance(inputs[index], Tensor):
            continue
        array = arrays[index]
        numeric = central_differences(array.reshape(-1), projected, eps).reshape(array.shape)
        g = grads[index]
        analytic = np.zeros(array.shape) if g is None else \
            to_host(g._data).astype(np.float64).reshape(array.shape)
        bad = ~np.isclose(analytic, numeric, atol=atol, rtol=rtol, equal_nan=True)
        if bad.any():
            return index, analytic, numeric, tuple(int(k) for k in np.argwhere(bad)[0])
    return None
