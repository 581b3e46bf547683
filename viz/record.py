"""Recording backward as it happens: the steps the walkthrough shows.

The engine tells an :class:`autodidact.graph.Observer` about each step
of a backward pass. :class:`Recorder` is one: it keeps, for every node a
gradient reached, in the engine's order,

- the gradient that arrived and the separate contributions it was summed from,
- what the node's rule sent to each input, before and after broadcasting
  was undone,
- and a leaf's ``.grad`` before and after the gradient was added in.

Values are copied to the host as NumPy arrays (or floats, for a Scalar)
at the moment they pass, so a later step that changes ``.grad`` in place
cannot rewrite what an earlier step showed.

    >>> recorder = Recorder()
    >>> with autodidact.graph.observe(recorder):
    ...     loss.backward()
    >>> [step.node.name() for step in recorder.steps]
    ['SumBackward0', 'MulBackward0', 'AccumulateGrad']
"""

from dataclasses import dataclass, field

import numpy as np

from autodidact.graph import Observer
from autodidact.scalar import Scalar
from autodidact.tensor import Tensor

__all__ = ["Recorder", "Step", "host_value"]


def host_value(value):
    """A copy of a gradient or value on the host: a float, a NumPy array, or None."""
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, (list, tuple)):   # a node with several outputs gets one per output
        return [host_value(v) for v in value]
    if isinstance(value, Tensor):
        value = value._data
    if isinstance(value, (int, np.generic)):
        return float(value)
    if not isinstance(value, np.ndarray):
        value = value.get()   # a CuPy array: brought over for display only
    return np.array(value, copy=True)


@dataclass
class Step:
    """One node reached by one backward pass.

    ``contributions`` are ``(sender, value)`` pairs (empty for the node
    backward started from); ``grad`` is their sum (after hooks);
    ``reduced`` maps an input index to ``(broadcast value, summed value)``;
    ``sent`` holds one ``(receiver, value)`` per input, as
    ``next_functions`` lists them; ``grad_before``/``grad_after`` are the
    ``.grad`` of a leaf (or of any Scalar) around this step.
    """

    node: object
    pass_number: int
    grad: object = None
    contributions: list = field(default_factory=list)
    hooked: bool = False
    reduced: dict = field(default_factory=dict)
    sent: list = field(default_factory=list)
    grad_before: object = None
    grad_after: object = None
    accumulates: bool = False


class Recorder(Observer):
    """An Observer that keeps every step of the passes it watches, as :class:`Step` objects."""

    def __init__(self):
        self.steps = []
        self.pass_number = 1
        self._arriving = {}   # node -> [(sender, value)] not yet summed into a step

    def next_pass(self):
        """Number the steps recorded from now on as the next pass."""
        self.pass_number += 1
        self._arriving = {}

    def reached(self, node, grad):
        step = Step(node, self.pass_number, host_value(grad),
                    self._arriving.pop(node, []))
        if isinstance(node, Scalar):   # every Scalar keeps its .grad, not only leaves
            step.grad_before, step.accumulates = node.grad, True
        self.steps.append(step)

    def hooked(self, node, grad):
        self.steps[-1].grad, self.steps[-1].hooked = host_value(grad), True

    def reduced(self, node, index, grad, summed):
        self.steps[-1].reduced[index] = (host_value(grad), host_value(summed))

    def accumulating(self, node):
        step = self.steps[-1]
        step.accumulates, step.grad_before = True, host_value(node.variable._grad)

    def accumulated(self, node):
        self.steps[-1].grad_after = host_value(node.variable._grad)

    def applied(self, node, input_grads):
        step = self.steps[-1]
        if isinstance(node, Scalar):
            step.grad_after = node.grad
        for (child, _), value in zip(node.next_functions, input_grads):
            value = host_value(value)
            step.sent.append((child, value))
            if child is not None and value is not None:
                self._arriving.setdefault(child, []).append((node, value))
