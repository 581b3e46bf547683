"""The engine: grad mode, the graph's nodes, topological order, backward.

A computation is recorded as a graph of *nodes*, one per operation. Each
node knows two things:

- ``next_functions``: the nodes that produced its inputs, as
  ``(node, output_nr)`` pairs: which node, and which of its outputs
  (``(None, 0)`` for an input that needs no gradient); the engine walks
  the nodes alone, which it asks for with ``children()``;
- ``apply(grad)``: given the gradient of the loss with respect to the
  node's output, return one gradient per input (the chain rule, one link).
  Most ops make one tensor; an op that makes several (``split``,
  ``unbind``) receives a list instead, one gradient per output, ``None``
  for an output no gradient reached.

Backward is then three lines of thinking: put the nodes in an order where
each comes before the nodes that fed it (reverse topological order), walk
that order, and at each node add up the gradients that arrived before
passing them on. Leaves end the walk: their node (``AccumulateGrad`` for
tensors) adds the gradient into ``.grad``.

This file knows nothing of NumPy or of what a tensor is: a ``Scalar``
holding a Python float and a ``Tensor`` holding an array both run on it.

    >>> from autodidact.scalar import Scalar
    >>> x = Scalar(3.0); y = x * x + x
    >>> y.backward(); x.grad          # d(x*x + x)/dx = 2x + 1
    7.0
"""

import contextlib
import gc
import threading

__all__ = [
    "Node", "topological_order", "run_backward",
    "is_grad_enabled", "set_grad_enabled", "no_grad", "enable_grad",
    "Observer", "observe",
]


# ---------------------------------------------------------------- grad mode

class _GradModeState(threading.local):
    """Grad mode is per thread, as in PyTorch: a ``no_grad()`` in a data-loading thread, or the
    pause a backward pass makes while it runs, must never switch recording off in a thread that
    is building its own graph. Each thread starts with recording on."""
    enabled = True


_grad_mode = _GradModeState()


def is_grad_enabled():
    """True when new operations are recorded for backward in this thread (the default)."""
    return _grad_mode.enabled


class _GradMode(contextlib.ContextDecorator):
    """Sets this thread's grad mode for a ``with`` block or a decorated function, then restores it."""

    def __init__(self, enabled):
        self.enabled = bool(enabled)

    def __enter__(self):
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = self.enabled
        return self

    def __exit__(self, *exc_info):
        _grad_mode.enabled = self._previous
        return False


class no_grad(_GradMode):
    """Record nothing inside: results have no ``grad_fn`` and need no memory for backward.

    Use it for evaluation and for updating weights by hand.

        >>> with autodidact.no_grad():
        ...     w -= lr * w.grad
    """

    def __init__(self):
        super().__init__(False)


class enable_grad(_GradMode):
    """Record operations again inside a ``no_grad`` block."""

    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_GradMode):
    """Switch recording on or off: as a call, a ``with`` block or a decorator.

        >>> autodidact.set_grad_enabled(False)   # off until switched back on
        >>> with autodidact.set_grad_enabled(True): ...
    """

    def __init__(self, mode):
        super().__init__(mode)
        # Called as a plain function it takes effect at once, as in PyTorch;
        # used as a context manager, __exit__ restores the mode from before.
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = self.enabled

    def __enter__(self):
        return self


# --------------------------------------------------------------------- nodes

class Node:
    """One recorded operation: where its inputs came from and how to go back.

    A node keeps the nodes of its inputs as ``children()`` (``None`` for an
    input that needs no gradient) and, apart, which output of each child
    the input was (all 0 unless a child made several tensors: then a tuple).
    ``next_functions`` shows the two together as PyTorch's pairs, built when
    asked: each stored pair would be one more object for Python's cycle
    collector to scan while a big graph is built. Subclasses implement
    ``apply``. ``_hooks`` are functions run on the gradient that reaches
    the node before ``apply`` sees it (``Tensor.register_hook``).
    """

    __slots__ = ("_children", "_output_nrs", "_hooks", "__weakref__")
    accumulates = False   # True for a leaf's node, which writes .grad
    num_outputs = 1       # more for an op that makes several tensors (split)

    def __init__(self, next_functions=()):
        self.next_functions = next_functions
        self._hooks = None

    def name(self):
        return type(self).__name__

    def children(self):
        """The nodes the inputs came from, in order: what the engine walks.

        The one question the engine asks a node, once per backward pass.
        """
        return self._children

    @property
    def next_functions(self):
        """``(node, output_nr)`` for each input, as PyTorch lists them (``(None, 0)``: no gradient)."""
        children = self.children()
        return tuple(zip(children, self._output_nrs or (0,) * len(children)))

    @next_functions.setter
    def next_functions(self, edges):
        self._children = tuple([child for child, _ in edges])
        output_nrs = tuple([output_nr for _, output_nr in edges])
        self._output_nrs = output_nrs if any(output_nrs) else None

    def apply(self, grad):
        raise NotImplementedError(f"{self.name()} does not implement apply(grad)")

    def release(self):
        """Free what was saved for backward (called unless retain_graph=True)."""

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"


def topological_order(root):
    """Every node reachable from ``root``, each before the nodes that fed it.

    An iterative depth-first search with an explicit stack: recursion
    would stop at Python's recursion limit (about 1,000 nested calls),
    and a training graph can be a million nodes deep.

        >>> [n.name() for n in topological_order(loss.grad_fn)]
        ['SumBackward0', 'MulBackward0', 'AccumulateGrad']
    """
    return _walk(root)[0]


def _walk(root):
    """``topological_order(root)``, and beside it each node's ``children()``.

    Backward reuses those lists rather than asking each node a second time.
    """
    order, children_of, visited = [], [], {root}
    # Each stack entry is a node, its children and an iterator over them; a
    # node is finished (appended) once all its children are finished.
    children = root.children()
    stack = [(root, children, iter(children))]
    while stack:
        node, children, unseen = stack[-1]
        for child in unseen:
            if child is not None and child not in visited:
                visited.add(child)
                grandchildren = child.children()
                stack.append((child, grandchildren, iter(grandchildren)))
                break
        else:
            stack.pop()
            order.append(node)
            children_of.append(children)
    order.reverse()   # finished last = the root; it must come first
    children_of.reverse()
    return order, children_of


# ------------------------------------------------------------------ observer

class Observer:
    """Told about each step of backward, to record the pass (``viz.walkthrough`` does).

    Override what you need; every method does nothing here. The engine
    calls them in this order, for each node that a gradient reaches:

    - ``reached(node, grad)``: ``grad`` is the sum of every gradient sent
      to the node (each one was in an earlier ``applied`` call);
    - ``hooked(node, grad)``: a hook replaced the gradient with ``grad``;
    - ``reduced(node, index, grad, summed)``: the rule's gradient for input
      ``index`` had the broadcast shape and was summed back to the input's;
    - ``accumulating(node)`` and ``accumulated(node)``: a leaf's ``.grad``
      just before and just after the gradient is added in;
    - ``applied(node, input_grads)``: what the node sends to each input,
      in the order of ``node.next_functions``.
    """

    def reached(self, node, grad): pass
    def hooked(self, node, grad): pass
    def reduced(self, node, index, grad, summed): pass
    def accumulating(self, node): pass
    def accumulated(self, node): pass
    def applied(self, node, input_grads): pass


class _Observing(threading.local):
    current = None   # this thread's Observer; None (the usual case) costs one check per node


_observing = _Observing()


@contextlib.contextmanager
def observe(observer):
    """Tell ``observer`` about every backward pass run on this thread inside the block.

        >>> with graph.observe(recorder):
        ...     loss.backward()
    """
    previous, _observing.current = _observing.current, observer
    try:
        yield observer
    finally:
        _observing.current = previous


def run_backward(root, grad, retain_graph=False, order_fn=None, capture=None):
    """Send ``grad`` from ``root`` back through the graph (the chain rule, repeated).

    Gradients that reach a node from several paths are summed before the
    node passes them on, which is why the nodes must be visited in
    topological order. A node with several outputs gets a list, one
    gradient per output, routed by the ``output_nr`` of each edge.
    ``capture`` maps nodes to the gradient wanted at them
    (``autograd.grad``); with it, only the nodes that lead to one of
    them run, and leaves' ``.grad`` is left untouched. ``order_fn``
    replaces ``topological_order`` (an exercise plugs its own in). Saved
    values are freed on the way unless ``retain_graph``.
    """
    watch = _observing.current   # an Observer recording this pass, or (usually) None
    # The walk keeps one stack entry per level of depth; Python's cycle
    # collector would scan them over and over on a deep graph (see below).
    with _collector_paused:
        if order_fn is None:
            order, children_of = _walk(root)
        else:
            order = order_fn(root)
            children_of = [node.children() for node in order]
        if capture is not None:
            leads = set()   # the nodes from which a wanted node can be reached
            for node, children in zip(reversed(order), reversed(children_of)):
                if node in capture or any(child in leads for child in children):
                    leads.add(node)
        pending = {root: grad}
        for node, children in zip(order, children_of):
            grad = pending.pop(node, None)
            if grad is None:
                continue   # no gradient flows here (a branch that needs none)
            if watch is not None:
                watch.reached(node, grad)
            if node._hooks:
                for hook in node._hooks:
                    result = hook(grad)
                    if result is not None:
                        grad = result
                        if watch is not None:
                            watch.hooked(node, grad)
            if capture is not None:
                if node in capture:
                    capture[node] = grad
                if not any(child in leads for child in children):
                    continue   # nothing wanted lies beyond (and .grad is never written)
            input_grads = node.apply(grad)
            if watch is not None:
                watch.applied(node, input_grads)
            if not retain_graph:
                node.release()
            if len(input_grads) < len(children):
                raise RuntimeError(
                    f"{node.name()}.apply returned {len(input_grads)} gradients for "
                    f"{len(children)} inputs: return one per input (None where none is needed)")
            for k, child in enumerate(children):
                child_grad = input_grads[k]
                if child is None or child_grad is None:
                    continue
                if child.num_outputs > 1:   # one slot per output, summed apart
                    output_nr = node._output_nrs[k] if node._output_nrs else 0
                    slots = pending.setdefault(child, [None] * child.num_outputs)
                    arrived = slots[output_nr]
                    slots[output_nr] = child_grad if arrived is None else arrived + child_grad
                    continue
                arrived = pending.get(child)   # a gradient from another path, not yet passed on
                pending[child] = child_grad if arrived is None else arrived + child_grad
        if pending:   # only a wrong order_fn leaves gradients undelivered
            late = next(iter(pending))
            raise RuntimeError(
                f"a gradient reached {late.name()} after backward had passed it: the order must "
                "list each node before every node that fed it (a reverse topological order)")


class _CollectorPause:
    """Pause Python's cycle collector while backward walks the graph: ``with _collector_paused:``.

    The walk keeps one stack entry per level of depth, so a million-op
    chain holds a million of them; the collector would scan them again
    and again (3x slower). Nothing made here forms a reference cycle.

    The collector is one for the whole process while passes run in many
    threads, so the pause is counted: the first pass to start pauses it,
    the last to end switches it back on, and only if it was on before.
    (A class, not a generator: entering it costs a tenth as much, and it
    runs once per ``backward()``.)
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = False

    def __enter__(self):
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1

    def __exit__(self, *exc_info):
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._was_enabled:
                gc.enable()
        return False


_collector_paused = _CollectorPause()
