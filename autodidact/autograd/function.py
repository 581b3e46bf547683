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
the node that ``apply`` records calls your backward. Also as in PyTorch:

- several outputs: ``forward`` returns a tuple and ``backward`` receives
  one gradient per output, zeros for an output no gradient reached
  (``None`` after ``ctx.set_materialize_grads(False)``);
- PyTorch 2's style: ``forward(*inputs)`` without ``ctx``, and a separate
  ``setup_context(ctx, inputs, output)`` that saves what backward needs;
- ``ctx.mark_non_differentiable(t)`` for outputs such as indices,
  ``ctx.mark_dirty(x)`` for an input that forward changed in place;
- ``@once_differentiable`` on a backward written without autograd in
  mind: it runs untracked, and differentiating it again raises.
"""

import functools
import weakref

from .. import function as _function
from .. import graph
from ..backend import array_module
from ..tensor import Tensor

_TWICE = "trying to differentiate twice a function that was marked with @once_differentiable"


class FunctionCtx:
    """What ``ctx`` offers in a user Function (``ctx`` is the graph node itself)."""

    __slots__ = ()

    def mark_dirty(self, *tensors):
        """Declare inputs that forward changed in place (and returns): they take the new node."""
        self.__dict__["_dirty"] = tensors

    def mark_non_differentiable(self, *tensors):
        """Declare outputs without a gradient (indices, masks): they don't require grad."""
        self.__dict__["_non_differentiable"] = tensors

    def set_materialize_grads(self, value):
        """False: backward gets None, not zeros, for an output no gradient reached."""
        self.__dict__["_materialize_grads"] = bool(value)


class _UserNode(FunctionCtx):
    """The node of a user Function: it hands backward one gradient per forward output."""

    __slots__ = ()

    def __repr__(self):   # as PyTorch prints a custom Function's node
        return f"<{type(self).__module__}.{type(self).__qualname__} object at {id(self):#x}>"

    def apply(self, grad):
        arrived = grad if self.num_outputs > 1 else (grad,)
        materialize = self.__dict__.get("_materialize_grads", True)
        grads = []
        for g, like in zip(arrived, self._output_likes):
            if g is None and materialize and like is not None:
                shape, dtype, device = like   # zeros, as PyTorch passes for a missing gradient
                g = Tensor._wrap(array_module(device).zeros(shape, dtype=dtype), device)
            grads.append(g)
        # The shared post-processing (shape checks, broadcasting undone) of every node,
        # then only the gradients of tensor inputs: the others have no edge.
        grads = _function.BackwardNode.apply(self, grads)
        return tuple(g for g, edge in zip(grads, self._arg_edges) if edge is not None)

    @property
    def needs_input_grad(self):
        """One bool per argument of forward: does a gradient for it go anywhere?"""
        return tuple(edge is not None and edge[0] is not None for edge in self._arg_edges)


class _OneGradientPerOutput:
    """What the engine calls as ``function.backward(ctx, grads)``: the user's ``backward(ctx, *grads)``."""

    __slots__ = ("user",)

    def __init__(self, user):
        self.user = user

    @property
    def __name__(self):
        return self.user.__name__

    def backward(self, ctx, grads):
        result = self.user.backward(ctx, *grads)
        count = len(ctx._arg_edges)
        if type(result) is tuple and len(result) > count and all(g is None for g in result[count:]):
            result = result[:count]   # extra trailing Nones are allowed (optional arguments)
        return result


class Function(_function.Function):
    """Base class for user-defined differentiable operations."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.node_type = type(cls.__name__ + "Backward", (_UserNode, cls.node_type),
                             {"__slots__": (), "function": _OneGradientPerOutput(cls),
                              "__module__": __name__})
        cls.derivative = cls.__dict__.get("derivative") or _user_derivative(cls.__name__)

    @classmethod
    def apply(cls, *args, **kwargs):
        record = graph.is_grad_enabled() and any(
            isinstance(a, Tensor) and a.requires_grad for a in args)
        node = cls.node_type()
        # Set before forward, so that ctx.needs_input_grad works there too. As in
        # PyTorch, only tensor arguments have an edge (a number has none).
        node._arg_edges = tuple((_function._edge(a) if record else (None, 0))
                                if isinstance(a, Tensor) else None for a in args)
        node.next_functions = tuple(edge for edge in node._arg_edges if edge is not None)
        with graph.no_grad():
            if cls.setup_context is not Function.setup_context:   # PyTorch 2's style
                output = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, output)
            else:
                output = cls.forward(node, *args, **kwargs)
        several = type(output) is tuple
        outputs = list(output) if several else [output]
        dirty = node.__dict__.get("_dirty", ())
        if any(not any(d is o for o in outputs) for d in dirty):
            raise RuntimeError(
                "Some elements marked as dirty during the forward method were not returned as "
                "output. The inputs that are modified inplace must all be outputs of the "
                "Function.")
        if not record or not any(isinstance(o, Tensor) for o in outputs):
            return output
        frozen = node.__dict__.get("_non_differentiable", ())
        for k, out in enumerate(outputs):
            if isinstance(out, Tensor):
                outputs[k] = _claim(node, k, out, args, dirty, frozen)
        _record(node, args, outputs)
        return tuple(outputs) if several else outputs[0]

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("define forward(ctx, *inputs) in your Function subclass")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """PyTorch 2's style: define it, and forward(*inputs) without ctx, to save for backward here."""
        raise NotImplementedError("setup_context is not overridden")

    @staticmethod
    def backward(ctx, *grads):
        raise _function.MissingBackwardError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD. (autodidact has no vjp: "
            "define backward(ctx, grad) in your Function subclass.)")


def _user_derivative(name):
    """What a walkthrough says of a rule the user wrote: autodidact can't put it in words."""
    return f"your own rule: {name}.backward(ctx, grad) says what each input receives"


def _claim(node, k, out, args, dirty, frozen):
    """Make ``out`` output ``k`` of ``node`` (or leave it out of the graph); returns the tensor."""
    if any(out is f for f in frozen) or out._data.dtype.kind != "f":
        return out   # no gradient: integer outputs, and those marked non-differentiable
    if any(out is d for d in dirty):
        # The input itself now holds the new values: it takes the new node.
        if out.grad_fn is None and out._requires_grad:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation.")
        out._bump_version()
    elif out.grad_fn is not None or any(a is out for a in args):
        out = out.detach()   # a new tensor for the new node, sharing storage
    out.grad_fn, out._requires_grad = node, True
    out._output_nr = k
    return out


def _record(node, args, outputs):
    """What the node keeps about its inputs and outputs, once forward has run."""
    # A gradient of the wrong shape is summed back where it was broadcast
    # (as for the built-in ops) or refused, never stored as it is.
    node._input_shapes = tuple(a._data.shape if isinstance(a, Tensor) else None for a in args)
    node.num_outputs = len(outputs)
    # Zeros stand in for the gradient of an output that gets none: their shape, dtype, device.
    node._output_likes = tuple(
        (o._data.shape, o._data.dtype, o._device) if isinstance(o, Tensor) else None
        for o in outputs)
    mine = [o for o in outputs if isinstance(o, Tensor) and o.grad_fn is node]
    first = mine[0] if mine else None   # what a drawing of the node shows
    if first is not None:
        node.output_shape, node.output_dtype = first._data.shape, first.dtype
        node._output_ref = weakref.ref(first)
    if node._saved:
        node._saved = tuple(_pack_user(v, first) for v in node._saved)


def _pack_user(value, first):
    if value is first and first is not None and first._output_nr == 0:
        # Rebuilt in backward from its array: the tensor held by its own node
        # would be a reference cycle. (Other outputs are kept as they are:
        # a cycle, broken when backward frees what was saved.)
        return (_function._SAVED_OUTPUT, first._data, first._vc, first._vc.item())
    if isinstance(value, Tensor):
        return (_function._SAVED_INPUT, value, value._vc, value._vc.item())
    return (_function._SAVED_CONSTANT, value, None, None)


def once_differentiable(backward):
    """Run a backward untracked; differentiating its result again raises, as in PyTorch.

    For a backward written with operations that autograd cannot follow
    (NumPy, say). Under ``create_graph=True`` its results get an ``Error``
    node that raises if a second backward reaches it.

        @staticmethod
        @once_differentiable
        def backward(ctx, grad): ...
    """
    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        with graph.no_grad():
            results = backward(ctx, *grads)
        if not graph.is_grad_enabled() or not any(
                isinstance(g, Tensor) and g.requires_grad for g in grads):
            return results
        single = not isinstance(results, tuple)
        results = [results] if single else list(results)
        for k, r in enumerate(results):
            if isinstance(r, Tensor) and r._data.dtype.kind == "f":
                results[k] = _DelayedError.apply(r.detach().requires_grad_())
        return results[0] if single else tuple(results)
    return wrapper


class _DelayedError(_function.Function):
    """The node left on a once-differentiable backward's results: reaching it raises."""

    node_name = "Error"

    def forward(ctx, a):
        return a

    derivative = "none: the backward it follows was marked @once_differentiable"

    def backward(ctx, grad):
        raise RuntimeError(_TWICE)
