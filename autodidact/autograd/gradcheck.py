"""gradcheck: compare backward's gradients with finite differences.

For each input element x_i, the central difference

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

approximates d(sum of f * v)/dx_i; backward must agree within
``atol + rtol * |numeric|``. Use float64 inputs: in float32 the rounding
error of the difference swamps the comparison.

    >>> x = autodidact.randn(3, dtype=autodidact.float64, requires_grad=True)
    >>> gradcheck(lambda x: (x * x).sum(), (x,))
    True

``gradgradcheck`` does the same for second derivatives: it gradchecks
the function that maps the inputs (and a gradient for the outputs) to
the first derivatives backward computes with ``create_graph=True``.
"""

import numpy as np

from .. import graph
from ..backend import move, to_host
from ..tensor import Tensor


class GradcheckError(AssertionError):
    """Backward and finite differences disagree; the message names input and element."""


def central_differences(flat, projected, eps):
    """d projected() / d flat[j] for every j, by (f(+eps) - f(-eps)) / 2 eps, ``flat`` nudged in place.

    ``flat`` is a flat view of an input's array; each element goes back to
    its old value after its two evaluations.
    """
    numeric = np.zeros(flat.size, dtype=np.float64)
    for j in range(flat.size):
        old = flat[j].item()   # a number: on CuPy, flat[j] is a view that would change too
        flat[j] = old + eps
        plus = projected()
        flat[j] = old - eps
        minus = projected()
        flat[j] = old
        numeric[j] = (plus - minus) / (2 * eps)
    return numeric


def _outputs(fn, inputs):
    out = fn(*inputs)
    return out if isinstance(out, (tuple, list)) else (out,)


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, seed=0):
    """True when ``fn``'s backward matches central differences for every input element."""
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    tensors = [(i, x) for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    for i, x in tensors:
        if x.dtype.name != "float64":
            raise ValueError(
                f"gradcheck needs float64 inputs for precision; input {i} is {x.dtype}. "
                "Create it with dtype=autodidact.float64 or call .double().")
    first = _outputs(fn, inputs)
    # The outputs that depend on the inputs; the same positions are read again below.
    which = [k for k, o in enumerate(first) if isinstance(o, Tensor) and o.requires_grad]
    outputs = [first[k] for k in which]
    rng = np.random.default_rng(seed)
    # A random projection v turns many outputs into one number, sum(out * v).
    weights = [rng.standard_normal(o.shape) for o in outputs]

    def projected():
        with graph.no_grad():
            outs = _outputs(fn, inputs)
            return sum(float((to_host(outs[k]._data).astype(np.float64) * w).sum())
                       for k, w in zip(which, weights))

    if not outputs:
        return True
    from .engine import grad
    total = None
    for o, w in zip(outputs, weights):
        term = (o * Tensor._wrap(move(w.astype(o._data.dtype), o.device), o.device)).sum()
        total = term if total is None else total + term
    analytic = grad(total, [x for _, x in tensors], allow_unused=True)
    for (i, x), g in zip(tensors, analytic):
        flat = x._data.reshape(-1) if x._data.flags.c_contiguous else None
        if flat is None:
            raise ValueError(f"gradcheck input {i} must be contiguous (call .contiguous())")
        numeric = central_differences(flat, projected, eps).reshape(x.shape)
        got = np.zeros(x.shape) if g is None else to_host(g._data).astype(np.float64)
        bad = ~np.isclose(got, numeric, atol=atol, rtol=rtol, equal_nan=True)
        if bad.any():
            where = tuple(int(k) for k in np.argwhere(bad)[0])
            message = (f"Jacobian mismatch for input {i} at element {where}: backward gives "
                       f"{float(got[where])!r}, finite differences give {float(numeric[where])!r} "
                       f"(eps={eps}, atol={atol}, rtol={rtol}). To find which op's backward "
                       "is wrong: autodidact.autograd.gradcheck_ops(fn, inputs).")
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, seed=0):
    """True when the second derivatives of ``func`` match finite differences of its first.

    ``grad_outputs`` (one per output; random when not given) is the
    gradient the first backward starts from; it is checked too, since the
    first derivatives depend on it linearly.

        >>> x = autodidact.randn(3, dtype=autodidact.float64, requires_grad=True)
        >>> gradgradcheck(lambda x: (x ** 3).sum(), (x,))
        True
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    outputs = [o for o in _outputs(func, inputs) if isinstance(o, Tensor) and o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [Tensor._wrap(move(rng.standard_normal(o.shape).astype(o._data.dtype),
                                          o.device), o.device).requires_grad_()
                        for o in outputs]
    else:
        grad_outputs = list(grad_outputs) if isinstance(grad_outputs, (tuple, list)) \
            else [grad_outputs]
    count = len(inputs)

    def first_derivatives(*values):
        from .engine import grad
        ins, gos = values[:count], values[count:]
        # Recorded even inside gradcheck's untracked re-evaluations: this
        # function's own value is a backward pass.
        with graph.enable_grad():
            outs = [o for o in _outputs(func, ins) if isinstance(o, Tensor) and o.requires_grad]
            wrt = [x for x in ins if isinstance(x, Tensor) and x.requires_grad]
            grads = grad(outs, wrt, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, inputs + tuple(grad_outputs), eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception, seed=seed)
