"""backward() and grad(): check the request, then hand it to the engine in graph.py."""

from .. import graph
from ..tensor import Tensor


def _root_gradient(output, gradient, create_graph):
    """The gradient to start from: given, or 1 for a one-element output."""
    if gradient is None:
        if output.numel() != 1:
            raise RuntimeError(
                "grad can be implicitly created only for scalar outputs. For an output with "
                f"{output.numel()} elements pass gradient= (a tensor of its shape "
                f"{list(output.shape)}), or reduce it first, e.g. output.sum().backward()")
        from ..creation import ones_like
        return ones_like(output)
    if not isinstance(gradient, Tensor):
        from ..creation import tensor
        gradient = tensor(gradient, dtype=output.dtype, device=output.device)
    if gradient.shape != output.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape} and output[0] "
            f"has a shape of {output.shape}.")
    if gradient.dtype is not output.dtype:
        gradient = gradient.to(output.dtype)
    # Our own copy: leaves may keep it as .grad and change it in place later.
    return gradient if create_graph else gradient.detach().clone()


def _root_node(output):
    if output.grad_fn is not None:
        return output.grad_fn
    if output.requires_grad:
        return output._grad_accumulator()
    raise RuntimeError(
        "element 0 of tensors does not require grad and does not have a grad_fn. "
        "Create the leaves with requires_grad=True (or call .requires_grad_()) before "
        "computing the output, and do not compute it under no_grad().")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             order_fn=None):
    """Accumulate the gradient of ``tensors`` into the ``.grad`` of every leaf.

    ``order_fn`` replaces ``graph.topological_order`` (for the course's
    exercise on ordering the graph).
    """
    output = tensors[0] if isinstance(tensors, (list, tuple)) else tensors
    if grad_tensors is not None and isinstance(grad_tensors, (list, tuple)):
        grad_tensors = grad_tensors[0]
    if retain_graph is None:
        retain_graph = create_graph
    root = _root_node(output)
    with graph.set_grad_enabled(create_graph):
        gradient = _root_gradient(output, grad_tensors, create_graph)
        if inputs is not None:
            wanted = grad(output, inputs, gradient, retain_graph=retain_graph,
                          create_graph=create_graph, allow_unused=True)
            for leaf, g in zip(_as_list(inputs), wanted):
                if g is not None:
                    leaf._accumulate_grad(g)
            return
        graph.run_backward(root, gradient, retain_graph=retain_graph, order_fn=order_fn)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.

    Leaves' ``.grad`` stays as it was. With ``create_graph=True`` the
    results are themselves differentiable (for second derivatives).

        >>> x = autodidact.tensor(2.0, requires_grad=True)
        >>> autodidact.autograd.grad(x ** 3, x)
        (tensor(12.),)
    """
    output = _as_list(outputs)[0]
    if grad_outputs is not None and isinstance(grad_outputs, (list, tuple)):
        grad_outputs = grad_outputs[0]
    inputs = _as_list(inputs)
    if retain_graph is None:
        retain_graph = create_graph
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors does not require grad "
                               f"(input {i}). Create it with requires_grad=True.")
    root = _root_node(output)
    nodes = [x.grad_fn if x.grad_fn is not None else x._grad_accumulator() for x in inputs]
    capture = {node: None for node in nodes}
    with graph.set_grad_enabled(create_graph):
        gradient = _root_gradient(output, grad_outputs, create_graph)
        graph.run_backward(root, gradient, retain_graph=retain_graph, capture=capture)
    results = []
    for i, (x, node) in enumerate(zip(inputs, nodes)):
        g = capture[node]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(
                    f"One of the differentiated Tensors (input {i}) appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior.")
            if materialize_grads:
                from ..creation import zeros_like
                g = zeros_like(x)
        results.append(g)
    return tuple(results)
