"""autograd.Function: define your own op, with its forward and backward, as in PyTorch.

    class Cube(autograd.Function):
        @staticmethod
        def forward(ctx, x):                 # Tensors in, a Tensor out
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad):             # dL/d(out) in, dL/d(x) out
            x, = ctx.saved_tensors
            return grad * 3 * x * x

    y = Cube.apply(x)                        # recorded as CubeBackward

Forward runs without recording (its inside is not part of the graph);
the node that ``apply`` records calls your backward.
"""

import weakref

from .. import function as _function
from .. import graph
from ..tensor import Tensor


class FunctionCtx:
    """The type of ``ctx`` in a user Function (it is the graph node itself)."""


class Function(_function.Function):
    """Base class for user-defined differentiable operations."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.node_type = type(cls.__name__ + "Backward", (cls.node_type,), {"__slots__": ()})
        cls.derivative = cls.__dict__.get("derivative") or _user_derivative(cls.__name__)

    @classmethod
    def apply(cls, *args, **kwargs):
        record = graph.is_grad_enabled() and any(
            isinstance(a, Tensor) and a.requires_grad for a in args)
        node = cls.node_type()
        # Set before forward, so that ctx.needs_input_grad works there too.
        node.next_functions = tuple(_function._edge(a) if record else (None, 0) for a in args)
        with graph.no_grad():
            result = cls.forward(node, *args, **kwargs)
        if not isinstance(result, Tensor):
            raise TypeError(
                f"{cls.__name__}.forward must return a Tensor, got {type(result).__name__} "
                "(autodidact's Function has exactly one output: return the others from a "
                "second Function, or combine them with autodidact.stack)")
        if not record:
            return result
        if result.grad_fn is not None or any(a is result for a in args):
            result = result.detach()   # a new tensor for the new node, sharing storage
        # A gradient of the wrong shape is summed back where it was broadcast
        # (as for the built-in ops) or refused, never stored as it is.
        node._input_shapes = tuple(a._data.shape if isinstance(a, Tensor) else None for a in args)
        node.output_shape, node.output_dtype = result._data.shape, result.dtype
        node._output_ref = weakref.ref(result)
        if node._saved:
            node._saved = tuple(_pack_user(v, result) for v in node._saved)
        result.grad_fn, result._requires_grad = node, True
        return result

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("define forward(ctx, *inputs) in your Function subclass")

    @staticmethod
    def backward(ctx, *grads):
        raise _function.MissingBackwardError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD. (autodidact has no vjp: "
            "define backward(ctx, grad) in your Function subclass.)")


def _user_derivative(name):
    """What a walkthrough says of a rule the user wrote: autodidact can't put it in words."""
    return f"your own rule: {name}.backward(ctx, grad) says what each input receives"


def _pack_user(value, result):
    if value is result:
        return (_function._SAVED_OUTPUT, result._data, result._vc, result._vc.value)
    if isinstance(value, Tensor):
        return (_function._SAVED_INPUT, value, value._vc, value._vc.value)
    return (_function._SAVED_CONSTANT, value, None, None)
