"""Function: how an operation declares its forward and its backward.

Every operation of autodidact is a ``Function`` subclass in ``ops/``, a
forward and a backward side by side::

    class Mul(Function):
        def forward(ctx, a, b):              # arrays in, array out
            ctx.save_for_backward(a, b)
            return a * b

        def backward(ctx, grad):             # Tensors in, Tensors out
            a, b = ctx.saved_tensors
            return grad * b, grad * a

and every call goes through one ``apply()``, which runs the forward on
the inputs' arrays and, when an input requires grad and grad mode is on,
records a node for backward: ``MulBackward0``, named as PyTorch names it.

Backward rules are written with Tensor operations. Normally they run
under ``no_grad`` and cost what the arithmetic costs; with
``create_graph=True`` they are recorded like any forward computation, so
the gradient can itself be differentiated (second derivatives).

Arrays passed to ``save_for_backward`` come back in backward as the
Tensors they belong to: the inputs themselves (so a second derivative
reaches them), the output (rebuilt from its array, never kept as a
Tensor, which would be a reference cycle), or a constant.

A user-defined op (``autograd.Function``, as in PyTorch) is the same
thing with ``forward`` taking Tensors; see ``autograd/function.py``.
"""

import re
import weakref

from . import graph
from .dtypes import _BY_NUMPY

__all__ = ["Function", "BackwardNode", "AccumulateGrad", "swap_backward", "MissingBackwardError"]

# Filled by tensor.py: the function-level imports would otherwise be circular.
Tensor = None
_wrap = None   # Tensor._wrap: a new tensor around an op's result array

_SAVED_INPUT, _SAVED_OUTPUT, _SAVED_CONSTANT = 0, 1, 2

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the graph "
    "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
    "you need to backward through the graph a second time or if you need to access saved "
    "tensors after calling backward. To see which nodes backward freed, draw the graph "
    "with viz.draw_graph(output, show_saved=True).")


class MissingBackwardError(NotImplementedError):
    """An op was differentiated but has no backward rule."""


class BackwardNode(graph.Node):
    """The node an op leaves in the graph; it is also the op's ``ctx``.

    It holds what backward needs and nothing more: edges to the inputs'
    nodes, the inputs' shapes (to undo broadcasting), what forward saved,
    and the output's shape and dtype (for drawing the graph).

    Every field is a slot, set once when the op is recorded: a node holds
    no dict of its own unless a rule keeps something extra on ``ctx``
    (``ctx.dim = dim``), and it owns no lists or closures, so each node
    adds as few objects as possible for Python's cycle collector to scan.
    """

    __slots__ = ("_saved", "_released", "_input_shapes", "_constant_refs", "output_shape",
                 "output_dtype", "_output_ref", "needs_input_grad", "__dict__")

    function = None   # the Function subclass; set on each generated node class

    def __init__(self, next_functions=()):
        # (Function.apply fills a node without this call: see _new_node.)
        super().__init__(next_functions)
        self._saved = None
        self._released = False
        self._constant_refs = None

    # -- what forward calls
    def save_for_backward(self, *values):
        """Keep ``values`` (arrays, Tensors or numbers) for backward."""
        self._saved = values

    # -- what backward calls
    @property
    def saved_tensors(self):
        """What forward saved, as Tensors (checked for in-place changes since)."""
        if self._released:
            raise RuntimeError(_FREED_MESSAGE)
        values = []
        for kind, value, counter, version in self._saved or ():
            if counter is not None and counter.item() != version:
                raise RuntimeError(_modified_message(self, kind, value, counter.item(), version))
            if kind == _SAVED_OUTPUT:
                # Rebuilt for this backward only: a Tensor held by its own
                # grad_fn would be a reference cycle.
                value = Tensor._wrap(value)
                if graph._grad_mode.enabled:
                    value.grad_fn, value._requires_grad = self, True
            values.append(value)
        return tuple(values)

    def apply(self, grad):
        grads = self.function.backward(self, grad)
        if type(grads) is not tuple:
            grads = (grads,)
        # Undo broadcasting: an input of shape (3,) that was broadcast to
        # (2, 3) receives the sum of the (2, 3) gradient over the new axis.
        shapes = self._input_shapes
        if len(grads) != len(shapes):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients (expected "
                f"{len(shapes)}, got {len(grads)}): one per input, None for an input that "
                "needs none")
        for i, g in enumerate(grads):
            if g is not None and shapes[i] is not None and g._data.shape != shapes[i]:
                grads = grads[:i] + (_reduce(self, i, g, shapes[i]),) + grads[i + 1:]
                if graph._observing.current is not None:
                    graph._observing.current.reduced(self, i, g, grads[i])
        if (len(grads) == 2 and grads[0] is grads[1] and grads[0] is not None
                and self.needs_input_grad[1]):
            # add(a, b) hands one gradient object to both inputs; each leaf
            # may later change its .grad in place, so they must not share it.
            grads = (grads[0], grads[1].clone())
        return grads

    def release(self):
        self._released = True
        self._saved = None

    @property
    def metadata(self):
        return self.__dict__


def _reduce(node, i, grad, shape):
    """Sum a gradient that was broadcast back to its input's shape, or say why it can't be."""
    gshape = grad._data.shape
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gshape[lead + k] for k, s in enumerate(shape)):
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {i} - got "
            f"{list(gshape)} but expected shape compatible with {list(shape)}")
    return grad.sum_to_size(shape)


def _legacy_name(tensor_like, shape):
    dims = ", ".join(str(d) for d in shape)
    return f"[autodidact.{tensor_like.legacy_name} [{dims}]]"


def _op_name(node):
    """The op as PyTorch's messages name it: MulBackward0 -> Mul."""
    name = node.name()
    if name == "CopySlices":
        return "autodidact::autograd::CopySlices"
    return re.sub(r"Backward\d*$", "", name)


def _modified_message(node, kind, value, now, then):
    if kind == _SAVED_OUTPUT:
        what = _legacy_name(node.output_dtype, value.shape)
        producer = f", which is output 0 of {_op_name(node)},"
    else:
        what = _legacy_name(value.dtype, value.shape)
        producer = (f", which is output 0 of {_op_name(value.grad_fn)},"
                    if isinstance(value.grad_fn, BackwardNode) else "")
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {what}{producer} is at version {now}; expected version "
            f"{then} instead. Hint: the tensor was changed in place (an operation ending in "
            "'_', +=, or an index assignment) after it was used; use the out-of-place form "
            "(x = x + 1) or call .clone() before changing it. viz.draw_graph(output, "
            "show_saved=True) shows which saved tensor changed.")


class AccumulateGrad(graph.Node):
    """The node of a leaf tensor that requires grad: it adds gradients into ``.grad``.

    One per leaf (cached weakly on the tensor), so a leaf used twice in a
    graph still receives one summed gradient per backward pass.
    """

    __slots__ = ("variable",)
    accumulates = True

    def __init__(self, variable):
        super().__init__(())
        self.variable = variable

    def apply(self, grad):
        watch = graph._observing.current   # an Observer recording the pass, or None
        if watch is not None:
            watch.accumulating(self)
        self.variable._accumulate_grad(grad)
        if watch is not None:
            watch.accumulated(self)
        return ()


class _NoGradContext:
    """The ``ctx`` forward gets when nothing is recorded: saving is a no-op."""

    __slots__ = ()
    needs_input_grad = (False,) * 8   # no input needs a gradient (indexed, never unpacked)

    def save_for_backward(self, *values):
        pass

    def __setattr__(self, name, value):
        pass   # rules may set ctx.dim = ...; nothing needs it without a graph


_NO_GRAD_CONTEXT = _NoGradContext()


class Function:
    """Base class of every op: ``forward(ctx, *arrays, **params)`` and ``backward(ctx, grad)``.

    ``backward`` returns one gradient per positional input (``None`` for
    inputs that need none, such as a Python number or an index).

        >>> Mul.apply(x, y)          # what x * y calls
    """

    node_type = None
    derivative = None   # each op: its local derivative in words, on the line above backward
    multi_output = False   # True: forward returns several arrays, each an output with a gradient

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A node class per op, named as PyTorch names it: Mul -> MulBackward0.
        name = cls.__dict__.get("node_name", cls.__name__ + "Backward0")
        cls.node_type = type(name, (BackwardNode,), {"__slots__": (), "function": cls})

    @staticmethod
    def forward(ctx, *args, **params):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise MissingBackwardError(
            f"autodidact has no backward for '{_snake(ctx.function.__name__)}': "
            "define backward(ctx, grad) on it to differentiate through it")

    @classmethod
    def apply(cls, *inputs, **params):
        # This runs for every operation, so it is written for speed. One
        # pass over the inputs collects their arrays and their device, and
        # finds whether any needs a gradient; only then, when something is
        # recorded, a second pass builds the node's edges.
        device = None
        record = False
        arrays = []
        for x in inputs:
            if isinstance(x, Tensor):
                arrays.append(x._data)
                if x._requires_grad:
                    record = True
                if device is None:
                    device = x._device
                elif x._device is not device and x._device != device:
                    return _apply_across_devices(cls, inputs, params)
            else:
                arrays.append(x)
        if not (record and graph._grad_mode.enabled):
            out = cls.forward(_NO_GRAD_CONTEXT, *arrays, **params)
            if type(out) is tuple:
                return tuple([_wrap(o, device) for o in out])
            return _wrap(out, device)

        # Edges first, so that forward can ask ctx.needs_input_grad what to save.
        node = _new_node(cls.node_type, inputs)
        out = cls.forward(node, *arrays, **params)
        if type(out) is tuple:
            if cls.multi_output:
                return _record_outputs(node, tuple([_wrap(o, device) for o in out]))
            result = tuple([_wrap(o, device) for o in out])
            output = result[0]   # the differentiable output (max's values, not its indices)
            raw = out[0]
        else:
            result = output = _wrap(out, device)
            raw = out   # before wrapping (a NumPy scalar if 0-d)
        data = output._data
        dtype = data.dtype
        if dtype.kind != "f":
            return result   # comparisons, argmax: nothing to differentiate
        node.output_shape = data.shape
        node.output_dtype = _BY_NUMPY[dtype]
        node._output_ref = weakref.ref(output)
        if node._saved:
            node._saved = _pack(node._saved, inputs, arrays, output, raw)
        output.grad_fn = node
        output._requires_grad = True
        return result


def _new_node(node_type, inputs):
    """The node for an op on ``inputs``: its children, the inputs' shapes, ``needs_input_grad``.

    An input that needs no gradient (a number, a constant tensor) has the
    child ``None``; a constant tensor is also kept weakly, so that a
    drawing can show it while the caller holds it (the data x in w * x).
    """
    children, shapes, needs = [], [], []
    output_nrs = constants = None
    for x in inputs:
        if isinstance(x, Tensor):
            shapes.append(x._data.shape)
            if x._requires_grad:
                grad_fn = x.grad_fn
                children.append(grad_fn if grad_fn is not None else x._grad_accumulator())
                if x._output_nr:   # output k of an op that made several (split)
                    if output_nrs is None:
                        output_nrs = [0] * len(inputs)
                    output_nrs[len(children) - 1] = x._output_nr   # this input's position
                needs.append(True)
                continue
            if constants is None:
                constants = [None] * len(inputs)
            constants[len(children)] = weakref.ref(x)   # this input's position
        else:
            shapes.append(None)
        children.append(None)
        needs.append(False)
    node = _new(node_type)
    node._children = tuple(children)
    node._output_nrs = tuple(output_nrs) if output_nrs is not None else None
    node._hooks = node._saved = node._constant_refs = None
    node._released = False
    node._input_shapes = tuple(shapes)
    needs = tuple(needs)
    # Computed once (rules ask for it in forward and backward), and one shared
    # tuple per pattern, (True, False)..., rather than one more object per node.
    # (Ops of up to four inputs: cat's many would make too many patterns to keep.)
    node.needs_input_grad = _NEEDS.setdefault(needs, needs) if len(needs) <= 4 else needs
    if constants is not None:
        node._constant_refs = tuple(constants)
    return node


_new = object.__new__   # a node filled in place: what BackwardNode.__init__ would set, and more


def _record_outputs(node, outputs):
    """Make each of ``outputs`` output k of ``node`` (split, unbind: one node, n tensors).

    Backward then receives a list, one gradient per output (``None`` for
    an output that got none), and returns one gradient per input.
    """
    node.num_outputs = len(outputs)
    if not outputs:
        return outputs   # unbind along an axis of size 0
    first = outputs[0]   # what a drawing of the node shows
    node.output_shape = first._data.shape
    node.output_dtype = _BY_NUMPY[first._data.dtype]
    node._output_ref = weakref.ref(first)
    for k, output in enumerate(outputs):
        output.grad_fn, output._requires_grad = node, True
        if k:
            output._output_nr = k
    return outputs


def _edge(x):
    """Where the gradient for input ``x`` goes next: its grad_fn, its leaf node, or nowhere."""
    if not isinstance(x, Tensor) or not x._requires_grad:
        return _NO_EDGE
    if x.grad_fn is not None:
        return (x.grad_fn, x._output_nr)
    return (x._grad_accumulator(), 0)


_NO_EDGE = (None, 0)
_NEEDS = {}   # the needs_input_grad tuples met so far, each kept once


def _pack(values, inputs, arrays, output, raw_output):
    """Turn the values saved in forward into (kind, value, version counter, version) each.

    An input's array comes back as the input, the output's as the output
    (rebuilt when backward asks), anything else as a constant. A value
    that is None or a number, the usual constants, is stored as it is
    (no counter: it cannot change).
    """
    packed = []
    for value in values:
        if value is None or type(value) is float or type(value) is int:
            packed.append((_SAVED_CONSTANT, value, None, None) if value is not None
                          else _SAVED_NONE)
            continue
        packed.append(_pack_one(value, inputs, arrays, output, raw_output))
    return tuple(packed)


def _pack_one(value, inputs, arrays, output, raw_output):
    for tensor, array in zip(inputs, arrays):
        if value is array and isinstance(tensor, Tensor):
            counter = tensor._vc
            return (_SAVED_INPUT, tensor, counter, counter.item())
    if value is output._data or value is raw_output:
        counter = output._vc
        return (_SAVED_OUTPUT, output._data, counter, counter.item())
    if isinstance(value, Tensor):
        counter = value._vc
        return (_SAVED_INPUT, value, counter, counter.item())
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        value = Tensor._wrap(value, output._device)   # an intermediate array: a constant
    return (_SAVED_CONSTANT, value, None, None)


_SAVED_NONE = (_SAVED_CONSTANT, None, None, None)


def _apply_across_devices(cls, inputs, params):
    """Inputs on two devices: only a 0-d CPU tensor may join a GPU op (as PyTorch
    lets it, like a number); it is moved there, differentiably. Anything else raises."""
    from .ops.promotion import move_to
    devices = [x._device for x in inputs if isinstance(x, Tensor)]
    target = next((d for d in devices if d.type != "cpu"), devices[0])
    for x in inputs:
        if isinstance(x, Tensor) and x._device != target and not (
                x._device.type == "cpu" and x._data.ndim == 0):
            _raise_device_mismatch(target, x._device)
    return cls.apply(*[move_to(x, target) if isinstance(x, Tensor) and x._device != target
                       else x for x in inputs], **params)


def _raise_device_mismatch(a, b):
    if a.type == "cpu" and b.type != "cpu":
        a, b = b, a   # the GPU first, as PyTorch words it: "cuda:0 and cpu"
    raise RuntimeError(
        "Expected all tensors to be on the same device, but found at least two devices, "
        f"{a} and {b}! Move them to one device first: x.to(y.device), or .cuda() / .cpu().")


class swap_backward:
    """Replace one op's backward rule inside a ``with`` block, then restore it.

    For exercises: plug a student's derivative into the real engine.

        >>> with swap_backward("tanh", lambda ctx, grad: ...):
        ...     loss.backward()
    """

    def __init__(self, op, backward):
        self.function = _resolve_function(op)
        self.backward = backward

    def __enter__(self):
        self._previous = self.function.__dict__.get("backward")
        self.function.backward = staticmethod(self.backward)
        self._previous_derivative = self.function.__dict__.get("derivative")
        self.function.derivative = _swapped_derivative(self.function, self.backward)
        return self.function

    def __exit__(self, *exc_info):
        if self._previous is None:
            del self.function.backward
        else:
            self.function.backward = self._previous
        if self._previous_derivative is None:
            del self.function.derivative
        else:
            self.function.derivative = self._previous_derivative
        return False


def _swapped_derivative(function, backward):
    """What a walkthrough says of a rule swapped in: whose it is, not what it computes."""
    name = getattr(backward, "__name__", "the rule")
    return (f"a rule swapped in for {_snake(function.__name__)} with swap_backward "
            f"({name}); it decides what each input receives")


def _snake(name):
    """FloorDivide -> floor_divide: an op's name as its function is spelled."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _resolve_function(op):
    if isinstance(op, type) and issubclass(op, Function):
        return op
    from . import ops
    found = ops.REGISTRY.get(op.lower().replace("_", "")) if isinstance(op, str) else None
    if found is None:
        raise KeyError(f"no op named {op!r}; known ops: {', '.join(sorted(ops.REGISTRY))}")
    return found

