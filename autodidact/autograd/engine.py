"""backward() and grad(): check the request, then hand it to the engine in graph.py."""

import warnings

from .. import graph
from ..tensor import Tensor

_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak.")


def _root_gradient(output, gradient, create_graph, index=0):
    """The gradient to start from: given, or 1 for a one-element output."""
    if gradient is None:
        if output.numel() != 1:
            raise RuntimeError(
                "grad can be implicitly created only for scalar outputs. For an output with "
                f"{output.numel()} elements pass gradient= (a tensor of its shape "
                f"{list(output.shape)}), or reduce it first, e.g. output.sum().backward()")
        return _ones_like(output)
    if not isinstance(gradient, Tensor):
        from ..creation import tensor
        gradient = tensor(gradient, dtype=output.dtype, device=output.device)
    if gradient.shape != output.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {gradient.shape} and "
            f"output[{index}] has a shape of {output.shape}.")
    if gradient.dtype is not output.dtype:
        gradient = gradient.to(output.dtype)
    # Our own copy: leaves may keep it as .grad and change it in place later.
    return gradient if create_graph else gradient.detach().clone()


def _ones_like(output):
    """The implicit starting gradient 1, in ``output``'s dtype, shape and device.

    A copy filled with 1 rather than ``ones_like``: the output has one
    element, and NumPy's ``ones_like`` costs ten times a copy there.
    """
    ones = output._data.copy()
    ones.fill(1)
    return Tensor._wrap(ones, output._device)


def _root_edge(output, index=0):
    """Where backward starts for ``output``: (its node, which of the node's outputs it is)."""
    if output.grad_fn is not None:
        return output.grad_fn, output._output_nr
    if output.requires_grad:
        return output._grad_accumulator(), 0
    raise RuntimeError(
        f"element {index} of tensors does not require grad and does not have a grad_fn. "
        "Create the leaves with requires_grad=True (or call .requires_grad_()) before "
        "computing the output, and do not compute it under no_grad().")


class _Outputs(graph.Node):
    """A node above several outputs, so that one backward pass starts from all of them."""

    __slots__ = ("grads",)

    def __init__(self, roots, grads):
        super().__init__(tuple(roots))
        self.grads = grads

    def apply(self, grad):
        return self.grads


def _start(outputs, gradients, create_graph):
    """The node backward starts from, and the gradient it starts with.

    Called in the grad mode of the backward pass (create_graph's).
    """
    if isinstance(outputs, (list, tuple)):
        outputs = list(outputs)
        if gradients is None:
            gradients = [None] * len(outputs)
        else:
            gradients = list(gradients) if isinstance(gradients, (list, tuple)) else [gradients]
    else:
        outputs = [outputs]
        if isinstance(gradients, (list, tuple)):   # grad(y, x, grad_outputs=[g]), as PyTorch allows
            gradients = list(gradients)
            for g in gradients:
                if g is not None and not isinstance(g, Tensor):
                    raise TypeError(
                        f"gradients can be either Tensors or None, but got {type(g).__name__}")
        else:
            gradients = [gradients]
    if len(outputs) != len(gradients):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(gradients)} gradients")
    roots = [_root_edge(o, i) for i, o in enumerate(outputs)]
    grads = [_root_gradient(o, g, create_graph, i)
             for i, (o, g) in enumerate(zip(outputs, gradients))]
    if len(roots) == 1 and roots[0][0].num_outputs == 1:
        return roots[0][0], grads[0]
    # Several starting points, or one output of a node with several: a node
    # above them hands each its gradient, routed like any other edge.
    return _Outputs(roots, tuple(grads)), True


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             order_fn=None):
    """Accumulate the gradient of ``tensors`` into the ``.grad`` of every leaf.

    ``inputs`` limits the accumulation to those tensors. ``order_fn``
    replaces ``graph.topological_order`` for this one call (for the
    course's exercise on ordering the graph).
    """
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        warnings.warn(_CYCLE_WARNING, UserWarning, stacklevel=3)
    if inputs is not None:
        inputs = _as_list(inputs)
        # The leaves' hooks run as their gradient is accumulated, not here too.
        wanted = _grad(tensors, inputs, grad_tensors, retain_graph, create_graph,
                       allow_unused=True, leaf_hooks=False)
        with graph.set_grad_enabled(create_graph):
            for x, g in zip(inputs, wanted):
                if g is not None:
                    _accumulate(x, g)
        return
    if not create_graph and grad_tensors is None and isinstance(tensors, Tensor):
        _backward_from_one(tensors, retain_graph, order_fn)   # loss.backward(): the usual call
        return
    with graph.set_grad_enabled(create_graph):
        root, gradient = _start(tensors, grad_tensors, create_graph)
        before = set(graph.topological_order(root)) if create_graph else None
        graph.run_backward(root, gradient, retain_graph=retain_graph, order_fn=order_fn)
    if create_graph:
        _mark_recorded_by_backward(before, [getattr(node, "variable", None) for node in before])


def _backward_from_one(output, retain_graph, order_fn):
    """``backward`` from one tensor, gradient 1, nothing recorded: what every training step calls.

    The same steps as the general case (``_start``, then the engine, with
    grad mode off), taken directly: no lists of outputs and gradients, and
    grad mode switched by hand rather than by a context manager object.
    """
    node = output.grad_fn
    if node is None or node.num_outputs != 1:
        node, gradient = _start(output, None, False)   # a leaf, or one of several outputs
    else:
        gradient = _root_gradient(output, None, False)
    mode = graph._grad_mode
    previous, mode.enabled = mode.enabled, False
    try:
        graph.run_backward(node, gradient, retain_graph=retain_graph, order_fn=order_fn)
    finally:
        mode.enabled = previous


def _accumulate(x, g):
    """backward(inputs=...): into .grad, for a non-leaf input too (as PyTorch does)."""
    if x.grad_fn is None:
        x._accumulate_grad(g)
    else:
        g = g if graph.is_grad_enabled() else g.detach()
        x._grad = g if x._grad is None else x._grad + g


def _mark_recorded_by_backward(before, leaves, grads=()):
    """create_graph=True: tag the nodes backward itself recorded (viz marks them).

    They are the graph of the gradients (of ``leaves``' ``.grad``, or
    ``grads``) that was not there before backward ran (``before``). Runs
    only with create_graph, so an ordinary backward pays nothing.
    """
    grads = list(grads) + [leaf._grad for leaf in leaves if leaf is not None]
    stack = [g.grad_fn for g in grads if g is not None and g.grad_fn is not None]
    seen = set()
    while stack:
        node = stack.pop()
        if node in before or node in seen or not hasattr(node, "__dict__"):
            continue
        seen.add(node)
        node._recorded_by_backward = True
        stack.extend(child for child, _ in node.next_functions if child is not None)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.

    Leaves' ``.grad`` stays as it was, and only the part of the graph
    between the outputs and the inputs is run (and freed). With
    ``create_graph=True`` the results are themselves differentiable
    (for second derivatives). ``is_grads_batched=True`` reads the first
    axis of each of ``grad_outputs`` as a batch of gradients to start
    from, and stacks the results (one backward pass per row).

        >>> x = autodidact.tensor(2.0, requires_grad=True)
        >>> autodidact.autograd.grad(x ** 3, x)
        (tensor(12.),)
    """
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). "
                      "To accumulate gradient for other parts of the graph, please use "
                      "autodidact.autograd.backward.", UserWarning, stacklevel=2)
    if isinstance(inputs, (list, tuple)) and not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    return _grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                 materialize_grads)


def _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                  materialize_grads):
    """``grad`` once per row of the batched ``grad_outputs``, results stacked (row by row:
    PyTorch vectorizes this with vmap, which gives the same numbers)."""
    from ..ops.shape_functions import stack
    outputs = _as_list(outputs)
    if grad_outputs is None:
        raise RuntimeError("is_grads_batched=True needs grad_outputs: a batch of gradients, "
                           "one row per backward pass")
    grad_outputs = _as_list(grad_outputs)
    rows = {g.shape[0] for g in grad_outputs if g is not None}
    if len(rows) != 1:
        raise RuntimeError("is_grads_batched=True: every grad_output needs the same batch size "
                           f"in its first dimension, got {sorted(rows)}")
    count = rows.pop()
    if retain_graph is None:
        retain_graph = create_graph
    per_row = []
    for b in range(count):
        per_row.append(_grad(outputs, inputs, [None if g is None else g[b] for g in grad_outputs],
                             retain_graph or b < count - 1, create_graph, allow_unused,
                             materialize_grads))
    results = []
    for i, column in enumerate(zip(*per_row)):
        results.append(None if column[0] is None else stack(column))
    return tuple(results)


def _grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused=False,
          materialize_grads=False, leaf_hooks=True):
    inputs = _as_list(inputs)
    if retain_graph is None:
        retain_graph = create_graph
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors does not require grad "
                               f"(input {i}). Create it with requires_grad=True.")
    nodes = [x.grad_fn if x.grad_fn is not None else x._grad_accumulator() for x in inputs]
    capture = {node: None for node in nodes}
    with graph.set_grad_enabled(create_graph):
        root, gradient = _start(outputs, grad_outputs, create_graph)
        before = set(graph.topological_order(root)) if create_graph else None
        graph.run_backward(root, gradient, retain_graph=retain_graph, capture=capture)
        if create_graph:
            _mark_recorded_by_backward(before, [], list(capture.values()))
        results = []
        for i, (x, node) in enumerate(zip(inputs, nodes)):
            g = capture[node]
            if node.num_outputs > 1 and g is not None:
                g = g[x._output_nr]   # the node got one gradient per output
            if g is not None and leaf_hooks and x.grad_fn is None and x._hooks:
                for hook in x._hooks:   # a leaf's hooks see its gradient here too
                    result = hook(g)
                    if result is not None:
                        g = result
            if g is None:
                if not (allow_unused or materialize_grads):
                    raise RuntimeError(
                        f"The differentiated Tensor at index {i} appears to not have been used "
                        "in the graph. Set allow_unused=True if this is the desired behavior.")
                if materialize_grads:
                    from ..creation import zeros_like
                    g = zeros_like(x)
            results.append(g)
    return tuple(results)
