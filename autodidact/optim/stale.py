"""The forgotten ``zero_grad()``: noticing an update that reuses last step's gradients.

``backward()`` adds into ``.grad``; it never replaces it. A training loop
that forgets ``optimizer.zero_grad()`` therefore steps, each time, along
the sum of every gradient so far, and nothing fails: the loss just goes
wrong. The check here notices it. At each update it remembers which
gradient each parameter held; at the next update, a parameter whose
``.grad`` is that same gradient, neither set to None nor zeroed since
(``zero_grad()``, ``.grad.zero_()``, ``.grad.data.zero_()``), is stale.

Several ``backward()`` calls between two updates (two losses,
micro-batches, ``retain_graph=True``) are how gradient accumulation is
meant to be done, and never warn: only an update that meets a gradient
the previous update already used does.

``optimizer.step()`` runs the check by itself (see ``Optimizer``). A loop
that updates weights by hand calls :func:`check_stale_grads` before each
update:

    >>> with autodidact.no_grad():
    ...     autodidact.optim.check_stale_grads({"w": w})   # warns if w.grad is stale
    ...     w -= lr * w.grad
    ...     w.grad.zero_()
"""

import warnings
import weakref

__all__ = ["StaleGradWarning", "StaleGradCheck", "check_stale_grads"]


class StaleGradWarning(UserWarning):
    """An update used a ``.grad`` that the previous update had already used (no zero_grad())."""


class StaleGradCheck:
    """Remembers, at each update, which gradient each parameter held.

    ``stale(named)`` takes ``(name, parameter)`` pairs about to be updated
    and returns the names of those whose ``.grad`` is still the one seen
    at the previous call, then remembers the gradients seen now.
    """

    def __init__(self):
        self._seen = {}    # id(param) -> (weak param, weak .grad, its restarts count)

    def stale(self, named):
        found, seen = [], {}
        for name, param in named:
            grad = param._grad
            if grad is None:
                continue
            key = id(param)
            before = self._seen.get(key)
            if (before is not None and before[0]() is param and before[1]() is grad
                    and before[2] == param._grad_restarts and grad._data.any()):
                found.append(name)
            seen[key] = (weakref.ref(param), weakref.ref(grad), param._grad_restarts)
        # Keep what other calls saw (a hand-written loop may check its layers one by
        # one), less the parameters that are gone.
        self._seen = {k: v for k, v in self._seen.items() if v[0]() is not None}
        self._seen.update(seen)
        return found

    def forget(self):
        """Start over (an update whose gradients come from a closure run inside it)."""
        self._seen = {}


def stale_message(names, where, opt_out):
    listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (f"{where} used gradients that were already there at the previous update: "
            f"{listed}. Their .grad was neither zeroed nor set to None since, so backward() "
            "added the new gradient to the old one and this update followed their sum. Call "
            "optimizer.zero_grad() (or set .grad = None, or .grad.zero_()) before each "
            f"backward() of a new step. {opt_out}")


_HAND_WRITTEN = StaleGradCheck()
_OPTIMIZERS = weakref.WeakKeyDictionary()   # optimizer -> (its StaleGradCheck, warning registry)


def _unnamed(group, index, param, several_groups):
    """How the warning names a parameter given without a name: where it is, and its shape."""
    where = f"param_groups[{group}]['params'][{index}]" if several_groups else f"params[{index}]"
    return f"{where} (shape {tuple(param.shape)})"


def check_optimizer(optimizer, closure, caller):
    """The check ``optimizer.step()`` makes (``caller``: the frame that called step())."""
    check, registry = _OPTIMIZERS.setdefault(optimizer, (StaleGradCheck(), {}))
    if closure is not None or optimizer.carry_grads:
        check.forget()    # a closure computes fresh gradients inside step()
        return
    groups = optimizer.param_groups
    named = [(names[i] if names else _unnamed(g, i, param, len(groups) > 1), param)
             for g, group in enumerate(groups)
             for names in [group.get("param_names")]
             for i, param in enumerate(group["params"])]
    stale = check.stale(named)
    if stale:
        opt_out = ("If you carry gradients across steps on purpose, set "
                   "optimizer.carry_grads = True.")
        # Our own registry: under the default filter, shown once per optimizer.
        warnings.warn_explicit(stale_message(stale, "optimizer.step()", opt_out),
                               StaleGradWarning, caller.f_code.co_filename, caller.f_lineno,
                               module=caller.f_globals.get("__name__"), registry=registry)


def check_stale_grads(params):
    """Warn (StaleGradWarning) if a gradient about to be used was already used last time.

    For a loop that updates weights by hand, the check ``optimizer.step()``
    makes by itself: call it before each update, with the parameters as a
    ``{name: tensor}`` mapping (names appear in the warning) or a list.
    Returns the names of the stale parameters (``[]`` when all is well).

        >>> autodidact.optim.check_stale_grads({"w": w})
        >>> w.data -= lr * w.grad.data
    """
    items = params.items() if hasattr(params, "items") else (
        (f"parameter {i}", p) for i, p in enumerate(params))
    names = _HAND_WRITTEN.stale(items)
    if names:
        warnings.warn(stale_message(names, "This update", "If you carry gradients across "
                                    "updates on purpose, don't call check_stale_grads()."),
                      StaleGradWarning, stacklevel=2)
    return names
