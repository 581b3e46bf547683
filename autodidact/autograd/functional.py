"""Derivatives of whole functions: jacobian, hessian and their products with a vector.

``autograd.grad`` differentiates a graph you built; these build it for
you: they call ``func`` on fresh copies of ``inputs`` and run backward as
many times as the answer needs.

    jacobian(f, x)      J[i, j] = d f_i / d x_j      one backward per output element
    vjp(f, x, v)        v^T J                       one backward
    jvp(f, x, v)        J v                         backward twice (the "double backward trick")
    hessian(f, x)       H[i, j] = d² f / dx_i dx_j    the jacobian of the gradient
    vhp(f, x, v)        v^T H                       two backwards
    hvp(f, x, v)        H v                         three backwards (the trick again)

``jvp`` needs no forward mode: backward is linear in the gradient it
starts from (u ↦ u^T J), so differentiating it with respect to u and
feeding v gives J v. ``inputs`` is a Tensor or a tuple of Tensors, and
the results follow that shape, as in PyTorch.

    >>> x = autodidact.tensor([1.0, 2.0])
    >>> jacobian(lambda x: x ** 2, x)
    tensor([[2., 0.],
            [0., 4.]])

``create_graph=True`` keeps the results differentiable; ``strict=True``
raises where a derivative is independent of an input instead of filling
in zeros. ``vectorize=True`` is accepted and computed row by row (PyTorch
batches those rows through ``vmap``; the numbers are the same).
"""

from .. import graph
from ..tensor import Tensor
from .engine import grad as _grad

__all__ = ["jacobian", "hessian", "vjp", "jvp", "vhp", "hvp"]


# ------------------------------------------------------------------ plumbing

def _tensors(value, arg_name, fn_name):
    """(was it a tuple, the tuple of Tensors); PyTorch's TypeError for anything else."""
    is_tuple = isinstance(value, tuple)
    items = value if is_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg_name}"
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors "
                f"but the {where} has type {type(item)}.")
    return is_tuple, items


def _fresh(tensors, create_graph, need_graph):
    """New tensors for ``func`` to run on: linked to the caller's graph only with create_graph."""
    if create_graph:
        return tuple(t.view_as(t) if t.requires_grad else t.detach().requires_grad_(need_graph)
                     for t in tensors)
    return tuple(t.detach().requires_grad_(need_graph) for t in tensors)


def _check_differentiable(values, kind, strict):
    """strict mode: every value must depend on the inputs (PyTorch's message for each kind)."""
    if not strict:
        return
    for i, value in enumerate(values):
        if value is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if value.requires_grad:
            continue
        if kind == "outputs":
            raise RuntimeError(
                f"Output {i} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when "
                "running in strict mode.")
        if kind == "grad_inputs":
            raise RuntimeError(
                f"The gradient with respect to input {i} is independent of the inputs of the "
                "user-provided function. This is not allowed in strict mode.")
        if kind == "jacobian":
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided "
                f"function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).")
        raise RuntimeError(
            f"The hessian of the user-provided function with respect to input {i} is "
            "independent of the input. This is not allowed in strict mode. You should ensure "
            "that your function is thrice differentiable and that the hessian depends on the "
            "inputs.")


def _check_v(v, others, others_are_tuple):
    """``v`` must have one tensor per entry of ``others``, each of the same size."""
    if len(v) != len(others):
        if others_are_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(others)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, others)):
        if a.size() != b.size():
            entry = f"Entry {i} in " if others_are_tuple else ""
            raise RuntimeError(f"{entry}v has invalid size: should be {b.size()} but got "
                               f"{a.size()}.")


def _backward(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` that skips outputs without a graph, and gives None for unused inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    kept = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    return _grad([o for o, _ in kept], list(inputs), [g for _, g in kept],
                 retain_graph=retain_graph, create_graph=create_graph, allow_unused=True)


_ZERO_FILL_ERRORS = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}


def _zeros_for_missing(grads, likes, strict, create_graph, stage):
    """Zeros where a gradient is None (an unused input), or strict mode's error."""
    filled = []
    for i, (g, like) in enumerate(zip(grads, likes)):
        if g is None:
            if strict:
                raise RuntimeError(_ZERO_FILL_ERRORS[stage].format(i=i))
            g = _zeros_like(like)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if stage.startswith("double") else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode when create_graph=True.")
        filled.append(g)
    return tuple(filled)


def _zeros_like(t, requires_grad=False):
    from ..creation import zeros_like
    return zeros_like(t, requires_grad=requires_grad)


def _finish(tensors, create_graph):
    """The results as the caller sees them: without history unless create_graph."""
    return tuple(t if create_graph else t.detach() for t in tensors)


def _shape_like(values, was_tuple):
    return values if was_tuple else values[0]


def _vector(v, fn_name, create_graph, others, others_are_tuple, what):
    """``v`` checked against ``others``; None only where ``others`` is one single number."""
    if v is None:
        if len(others) != 1 or others[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {what}.")
        return None
    _, v = _tensors(v, "v", fn_name)
    v = _fresh(v, create_graph, need_graph=False)
    _check_v(v, others, others_are_tuple)
    return v


def _single_scalar_output(outputs, was_tuple, fn_name):
    if was_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                           "contain a single element")


# -------------------------------------------------------------- the functions

def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product, one backward pass.

    ``v`` has the outputs' shape (it may be left out for a one-element output).
    """
    with graph.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "vjp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _tensors(func(*inputs), "outputs of the user-provided function",
                                          "vjp")
        _check_differentiable(outputs, "outputs", strict)
        v = _vector(v, "vjp", create_graph, outputs, outputs_tuple,
                    "user-provided function returns a single Tensor with a single element")
    with graph.set_grad_enabled(create_graph or graph.is_grad_enabled()):
        grads = _backward(outputs, inputs, v, create_graph=create_graph)
        grads = _zeros_for_missing(grads, inputs, strict, create_graph, "back")
    return (_shape_like(_finish(outputs, create_graph), outputs_tuple),
            _shape_like(_finish(grads, create_graph), inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)``: the Jacobian-vector product, by the double backward trick.

    Backward maps a gradient u of the outputs to u^T J, linearly; its
    derivative with respect to u, applied to v, is J v. So: backward once
    from u = 0 keeping the graph, then backward that from v.
    """
    with graph.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jvp")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        v = _vector(v, "jvp", create_graph, inputs, inputs_tuple,
                    "input to the user-provided function is a single Tensor with a single element")
        outputs_tuple, outputs = _tensors(func(*inputs), "outputs of the user-provided function",
                                          "jvp")
        _check_differentiable(outputs, "outputs", strict)
        # Any u works (backward is linear in it): zeros are free of inf and nan.
        u = tuple(_zeros_like(o, requires_grad=True) for o in outputs)
        grad_inputs = _backward(outputs, inputs, u, create_graph=True)
        _check_differentiable(grad_inputs, "grad_inputs", strict)
    with graph.set_grad_enabled(create_graph or graph.is_grad_enabled()):
        products = _backward(grad_inputs, u, v, create_graph=create_graph)
        products = _zeros_for_missing(products, outputs, strict, create_graph, "back_trick")
    return (_shape_like(_finish(outputs, create_graph), outputs_tuple),
            _shape_like(_finish(products, create_graph), outputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``, indexed ``J[out_index + in_index]``.

    One backward pass per output element. For several outputs or inputs,
    a tuple (per output) of tuples (per input). ``strategy="forward-mode"`` (with ``vectorize=True``, as PyTorch
    requires) is computed the same way: the numbers are the same.
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        _check_forward_mode(create_graph, strict, vectorize)
    with graph.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", "jacobian")
        inputs = _fresh(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _tensors(func(*inputs), "outputs of the user-provided function",
                                          "jacobian")
        _check_differentiable(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "autodidact.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                "supported together. Please either set `strict=False` or `vectorize=False`.")
        jac = tuple(_jacobian_of_output(i, out, inputs, create_graph, strict)
                    for i, out in enumerate(outputs))
    jac = tuple(_finish(per_input, create_graph) for per_input in jac)
    if not inputs_tuple:
        jac = tuple(per_input[0] for per_input in jac)
    return jac if outputs_tuple else jac[0]


def _jacobian_of_output(i, out, inputs, create_graph, strict):
    """One row of J per element of ``out`` (a backward from that element), per input."""
    from ..ops.shape_functions import stack
    rows = [[] for _ in inputs]
    flat = out.reshape(-1)
    for j in range(out.numel()):
        grads = _backward((flat[j],), inputs, retain_graph=True, create_graph=create_graph)
        for k, (g, x) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is independent "
                                       f"of input {k}. This is not allowed in strict mode.")
                g = _zeros_like(x)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError("The jacobian of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode when "
                                   "create_graph=True.")
            rows[k].append(g)
    return tuple(stack(r, dim=0).view(out.size() + x.size()) for r, x in zip(rows, inputs))


def _check_forward_mode(create_graph, strict, vectorize):
    if create_graph:
        raise NotImplementedError(
            "autodidact.autograd.functional.jacobian: `create_graph=True` and "
            '`strategy="forward-mode"` are not supported together (yet). Please either set '
            '`create_graph=False` or `strategy="reverse-mode"`.')
    if strict:
        raise RuntimeError(
            "autodidact.autograd.functional.jacobian: `strict=True` and "
            '`strategy="forward-mode"` are not supported together (yet). Please either set '
            '`strict=False` or `strategy="reverse-mode"`.')
    if not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"   # sic
            "only implemented for `vectorize=True`.")


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a function with one scalar output: the Jacobian of its gradient.

    For several inputs, a tuple of tuples: ``H[i][j]`` holds
    d²f / d inputs[i] d inputs[j].
    """
    inputs_tuple, inputs = _tensors(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar_output(*xs):
        out = func(*xs)
        was_tuple, outs = _tensors(out, "outputs of the user-provided function", "hessian")
        _check_differentiable(outs, "outputs", strict)
        if was_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def gradient(*xs):
        if outer_jacobian_strategy == "forward-mode":
            xs = tuple(x.requires_grad_(True) for x in xs)
        g = jacobian(scalar_output, xs, create_graph=True)
        _check_differentiable(g, "jacobian", strict)
        return g

    result = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                      vectorize=vectorize, strategy=outer_jacobian_strategy)
    return result if inputs_tuple else result[0][0]


def _gradient_of_scalar(func, inputs, v, create_graph, strict, name):
    """What vhp and hvp both start with: the inputs, v, func's scalar output and its gradient.

    The gradient is recorded (``create_graph=True``) so that a second
    backward pass can go through it.
    """
    with graph.enable_grad():
        inputs_tuple, inputs = _tensors(inputs, "inputs", name)
        inputs = _fresh(inputs, create_graph, need_graph=True)
        v = _vector(v, name, create_graph, inputs, inputs_tuple,
                    "input to the user-provided function is a single Tensor with a single element")
        outputs_tuple, outputs = _tensors(func(*inputs), "outputs of the user-provided function",
                                          name)
        _check_differentiable(outputs, "outputs", strict)
        _single_scalar_output(outputs, outputs_tuple, name)
        gradient = _backward(outputs, inputs, create_graph=True)
        _check_differentiable(gradient, "jacobian", strict)
    return inputs_tuple, inputs, v, outputs_tuple, outputs, gradient


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)`` for a function with one scalar output: two backward passes."""
    inputs_tuple, inputs, v, outputs_tuple, outputs, gradient = _gradient_of_scalar(
        func, inputs, v, create_graph, strict, "vhp")
    with graph.set_grad_enabled(create_graph or graph.is_grad_enabled()):
        products = _backward(gradient, inputs, v, create_graph=create_graph)
        products = _zeros_for_missing(products, inputs, strict, create_graph, "double_back")
    return (_shape_like(_finish(outputs, create_graph), outputs_tuple),
            _shape_like(_finish(products, create_graph), inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)`` for a function with one scalar output.

    H is symmetric for a twice continuously differentiable function, so
    H v equals v^T H; it is computed here as PyTorch does, by the double
    backward trick on the gradient (one backward more than ``vhp``).
    """
    inputs_tuple, inputs, v, outputs_tuple, outputs, gradient = _gradient_of_scalar(
        func, inputs, v, create_graph, strict, "hvp")
    with graph.enable_grad():
        u = tuple(_zeros_like(x, requires_grad=True) for x in inputs)
        u_times_h = _backward(gradient, inputs, u, create_graph=True)
        _check_differentiable(gradient, "hessian", strict)
    with graph.set_grad_enabled(create_graph or graph.is_grad_enabled()):
        products = _backward(u_times_h, u, v, create_graph=create_graph)
        products = _zeros_for_missing(products, inputs, strict, create_graph, "double_back_trick")
    return (_shape_like(_finish(outputs, create_graph), outputs_tuple),
            _shape_like(_finish(products, create_graph), inputs_tuple))
