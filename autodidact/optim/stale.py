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

    What was seen is written on the gradient tensor itself (this check, the
    parameter, the parameter's count of fresh starts): nothing to look up or
    clean up when parameters and gradients come and go, so an update pays a
    few attribute reads per parameter.
    """

    def __init__(self):
        self._generation = 0   # forget() moves on: every earlier mark no longer matches

    def stale(self, named):
        found = []
        for name, param in named:
            grad = param._grad
            if grad is None:
                continue
            mark = (id(param), param._grad_restarts, self._generation)
            marks = grad.__dict__.get("_stale_marks")
            if marks is None:
                marks = grad._stale_marks = {}
            elif marks.get(self) == mark and grad._data.any():
                found.append(name)
            marks[self] = mark
        return found

    def forget(self):
        """Start over (an update whose gradients come from a closure run inside it)."""
        self._generation += 1


def stale_message(names, where, opt_out):
    listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (f"{where} used gradients that were already there at the previous update: "
            f"{listed}. Their .grad was neither zeroed nor set to None since, so backward() "
            "added the new gradient to the old one and this update followed their sum. Call "
            "optimizer.zero_grad() (or set .grad = None, or .grad.zero_()) before each "
            f"backward() of a new step. {opt_out}")


_HAND_WRITTEN = StaleGradCheck()
_OPTIMIZERS = weakref.WeakKeyDictionary()   # optimizer -> (its StaleGradCheck, warning registry)


def _name(groups, g, i):
    """How the warning names parameter ``i`` of group ``g``: its name, or where it is."""
    names = groups[g].get("param_names")
    return names[i] if names else _unnamed(g, i, groups[g]["params"][i], len(groups) > 1)


def _unnamed(group, index, param, several_groups):
    """How the warning names a parameter given without a name: where it is, and its shape."""
    where = f"param_groups[{group}]['params'][{index}]" if several_groups else f"params[{index}]"
    return f"{where} (shape {tuple(param.shape)})"


def check_optimizer(optimizer, closure, caller):
    """The check ``optimizer.step()`` makes (``caller``: the frame that called step())."""
    found = _OPTIMIZERS.get(optimizer)
    if found is None:   # the first step: a check (and a warning registry) of its own
        found = _OPTIMIZERS[optimizer] = (StaleGradCheck(), {})
    check, registry = found
    if closure is not None or optimizer.carry_grads:
        check.forget()    # a closure computes fresh gradients inside step()
        return
    groups = optimizer.param_groups
    # Each parameter by its place, (group, index); named only if stale (a rare warning).
    placed = [((g, i), param) for g, group in enumerate(groups)
              for i, param in enumerate(group["params"])]
    stale = check.stale(placed)
    if stale:
        stale = [_name(groups, g, i) for g, i in stale]
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
