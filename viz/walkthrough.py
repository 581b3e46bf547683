"""walkthrough: step through the engine's real backward pass, in the browser or in Jupyter.

``viz.walkthrough(loss)`` runs ``backward`` on the graph behind ``loss``
with a :class:`~viz.record.Recorder` watching, then builds one
self-contained HTML page: the graph as ``draw_graph`` draws it from
:func:`viz.graph_data` (the same ids, names and boxes), and beside it a
panel that tells, step by step, what the engine did at each node —

- the gradient that arrived, and "2 contributions summed" where it came
  from several paths;
- the node's rule, as a formula and in words (each op's ``derivative``);
- what it sent to each input, and "summed over axis 0: (4, 3) → (3,)"
  where broadcasting was undone;
- a leaf's ``.grad`` before → after.

``passes=3`` runs three passes (``retain_graph``) to show gradients
accumulating when nobody zeroes them. Either way every ``.grad`` (and
its pass count) is put back as it was: looking changes nothing. The
graph must still have its saved values: record before your own
``backward()``, or call that one with ``retain_graph=True``.

The page needs nothing but itself: the JavaScript and CSS (``viz/
walkthrough.js``, ``viz/walkthrough.css``, hand-written) and the SVG are
inlined, and nothing is loaded from the network.

    >>> page = viz.walkthrough(loss, params={"w": w}, passes=2)
    >>> page.save("walk.html")        # open it in a browser; in Jupyter it shows inline
"""

import html
import json
import re
from pathlib import Path

import numpy as np

from autodidact import graph as engine
from autodidact.graph import topological_order
from autodidact.scalar import Scalar
from autodidact.tensor import Tensor

from .data import _number, format_value, names_of
from .draw import DEFAULT_MAX_NODES, draw_graph
from .record import Recorder

__all__ = ["walkthrough", "Walkthrough"]

_HERE = Path(__file__).parent
_FULL_LIMIT = 16   # tensors with at most this many elements are shown in full


class Walkthrough:
    """A recorded backward pass, as a page: ``.save(path)``, ``.html``, Jupyter display.

    ``steps`` is the page's data, one dict per step (what the panel shows).
    """

    def __init__(self, title, svg, steps, leaves):
        self.title, self.svg, self.steps, self.leaves = title, svg, steps, leaves

    @property
    def html(self):
        """The whole page as one string: HTML, CSS, JavaScript, SVG and data inlined."""
        data = json.dumps({"title": self.title, "steps": self.steps, "leaves": self.leaves},
                          ensure_ascii=False, allow_nan=False)
        page = (_HERE / "walkthrough.html").read_text(encoding="utf-8")
        fill = {
            "TITLE": html.escape(self.title),
            "CSS": (_HERE / "walkthrough.css").read_text(encoding="utf-8"),
            "SVG": _strip_xml_header(self.svg),
            # "</" would end the script element early; JSON reads "<\/" as "</".
            "DATA": data.replace("</", "<\\/"),
            "JS": (_HERE / "walkthrough.js").read_text(encoding="utf-8"),
        }
        return re.sub(r"@@(TITLE|CSS|SVG|DATA|JS)@@", lambda m: fill[m.group(1)], page)

    def save(self, path):
        """Write the page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self):
        # In an iframe: the page's script and style stay apart from the notebook's.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                'style="width: 100%; height: 640px; border: 1px solid #ccc;"></iframe>')

    def __repr__(self):
        return f"<Walkthrough {self.title!r}: {len(self.steps)} steps>"


def walkthrough(output, params=None, passes=1, gradient=None, max_nodes=DEFAULT_MAX_NODES,
                title=None):
    """Record ``passes`` backward passes from ``output`` and return them as a :class:`Walkthrough`.

    ``params`` names tensors, as for ``draw_graph`` (``dict(model.named_parameters())``);
    ``gradient`` is what ``backward`` starts from (needed when ``output``
    has more than one element). Graphs bigger than ``max_nodes`` step
    through the drawn part; the nodes left out are one step. Every
    ``.grad`` is restored afterwards.

        >>> viz.walkthrough(loss, params={"w": w}).save("walk.html")
    """
    if not isinstance(output, (Tensor, Scalar)):
        raise TypeError(f"walkthrough() steps through the backward pass from a Tensor or a "
                        f"Scalar, not a {type(output).__name__}")
    if isinstance(passes, bool) or not isinstance(passes, int) or passes < 1:
        raise ValueError(f"passes must be a whole number of at least 1, got {passes!r}")
    root = output if isinstance(output, Scalar) else output.grad_fn
    if root is None:
        raise RuntimeError(
            "element 0 of tensors does not require grad and does not have a grad_fn "
            "(nothing to walk through: the output was not computed from a tensor with "
            "requires_grad=True)")
    names = names_of(params)
    drawing = draw_graph(output, params=params, show_grad=False, show_order=True,
                         max_nodes=max_nodes)
    order = topological_order(root)
    recorder = _record(output, order, passes, gradient)
    prefix = "s" if isinstance(output, Scalar) else "n"
    ids = {node: f"{prefix}{number}" for number, node in enumerate(order, start=1)}
    describe = _Describer(ids, drawing.data)
    steps = _collapse([describe.step(step, passes) for step in recorder.steps])
    leaves = describe.leaves(order)
    if title is None:
        title = (f"Backward from {names.get(id(output), 'the output')}"
                 + (f", {passes} passes without zero_grad()" if passes > 1 else ""))
    return Walkthrough(title, drawing.to_svg(), steps, leaves)


# ---------------------------------------------------------------- recording

def _record(output, order, passes, gradient):
    """Run ``passes`` observed backward passes, then put every ``.grad`` back as it was."""
    saved = _grads(order)
    recorder = Recorder()
    try:
        with engine.observe(recorder):
            for number in range(passes):
                if number:
                    recorder.next_pass()
                if isinstance(output, Scalar):
                    output.backward()
                else:
                    output.backward(gradient, retain_graph=True)
    finally:
        _restore(saved)
    return recorder


def _grads(order):
    """What backward may change: each leaf's .grad (its object and a copy) and pass count."""
    saved = []
    for node in order:
        if isinstance(node, Scalar):
            saved.append((node, node.grad, None, None))
        elif getattr(node, "accumulates", False):
            leaf = node.variable
            grad = leaf._grad
            copy = None if grad is None else grad._data.copy()
            saved.append((leaf, grad, copy, leaf._grad_passes))
    return saved


def _restore(saved):
    for owner, grad, copy, passes in saved:
        if isinstance(owner, Scalar):
            owner.grad = grad
            continue
        if grad is not None:
            grad._data[...] = copy   # the same object as before (`g is x.grad` holds)
        owner._grad, owner._grad_passes = grad, passes


# ------------------------------------------------------------- the steps

class _Describer:
    """Turns recorded steps into what the panel says, naming nodes as the drawing does.

    ``data`` is the drawing's :func:`viz.graph_data`: a node reached by
    backward has the id ``n<k>`` (``s<k>`` for a Scalar), k its place in
    ``topological_order``, and is named as its box is.
    """

    def __init__(self, ids, data):
        self.ids = ids
        self.nodes = {node["id"]: node for node in data["nodes"]}

    def drawn_id(self, node):
        node_id = self.ids.get(node)
        return node_id if node_id in self.nodes else "omitted"

    def label(self, node):
        """``w #5``, ``MulBackward0 = y_pred #4``, ``x1 #7``: the name in the node's box."""
        node_id = self.ids[node]
        drawn = self.nodes.get(node_id)
        if drawn is None:   # left out of the drawing
            text = node.name() if not isinstance(node, Scalar) else (node.label or "a value")
        elif drawn["kind"] == "op":
            text = drawn["op"] + (f" = {drawn['name']}" if drawn["name"] else "")
        elif drawn["name"]:
            text = drawn["name"]
        elif node_id + "op" in self.nodes:   # a Scalar made by an operation
            text = f"the result of {self.nodes[node_id + 'op']['op']}"
        else:
            text = {"leaf": "leaf", "output": "output"}.get(drawn["kind"], "a constant")
        return f"{text} #{node_id[1:]}"

    def step(self, step, passes):
        node = step.node
        node_id = self.drawn_id(node)
        formula, words = _rule(node)
        item = {
            "id": node_id, "pass": step.pass_number, "passes": passes, "count": 1,
            "title": self.label(node), "formula": formula, "words": words,
            "grad": _value(step.grad), "hooked": step.hooked,
            "contributions": [{"from": self.label(sender), "value": _value(value)}
                              for sender, value in step.contributions],
            # the edges the gradient came along, drawn from this node to each sender
            "edges": [f"{node_id}->{self.drawn_id(sender)}{'op' if isinstance(sender, Scalar) else ''}"
                      for sender, _ in step.contributions],
            "sent": [], "reduced": [], "nodes": [node_id], "leaf": None,
        }
        if isinstance(node, Scalar):
            item["nodes"].append(node_id + "op")
            item["edges"].append(f"{node_id}op->{node_id}")
        for index, (child, value) in enumerate(step.sent):
            if child is None:
                continue
            item["sent"].append({"to": self.label(child), "value": _value(value)})
            child_id = self.drawn_id(child)
            head = node_id + "op" if isinstance(node, Scalar) else node_id
            item["edges"].append(f"{child_id}->{head}")
            if index in step.reduced:
                before, after = step.reduced[index]
                item["reduced"].append({"to": self.label(child),
                                        "text": _reduction_text(before.shape, after.shape),
                                        "before": _value(before), "after": _value(after)})
        if step.accumulates:
            leaf_name = self.label(node).rsplit(" #", 1)[0]   # a leaf's label is its name
            item["leaf"] = {"name": leaf_name, "before": _value(step.grad_before),
                            "after": _value(step.grad_after)}
            if not isinstance(node, Scalar):
                item["words"] = (f"a leaf: the gradient is added into {leaf_name}.grad "
                                 "(added, not stored: it accumulates)")
        return item

    def leaves(self, order):
        """The leaves whose .grad the page follows: the drawing's leaf boxes."""
        return [self.label(node) for node in order
                if self.nodes.get(self.ids[node], {}).get("kind") == "leaf"]


def _rule(node):
    """(formula, words) from the op's ``derivative``: "d(a·b)/da = b, so a receives grad × b"."""
    if isinstance(node, Scalar):
        text = node.derivative
        if text is None:
            return "", "a leaf: .grad += grad (gradients add up over backward calls)"
    elif getattr(node, "accumulates", False):
        return ".grad += grad", ""
    else:
        text = getattr(getattr(node, "function", None), "derivative", None)
        if text is None:
            return "", f"{node.name()} applies its own backward rule"
    formulas, words = [], []
    for part in text.split(";"):
        formula, so, said = part.strip().partition(", so ")
        if so:
            formulas.append(formula)
            words.append(said)
        else:
            words.append(formula)
    return "; ".join(formulas), "; ".join(words)


def _reduction_text(before, after):
    """ "summed over axis 0: (4, 3) → (3,)": which axes a broadcast gradient was summed over."""
    lead = len(before) - len(after)
    axes = list(range(lead)) + [lead + i for i, size in enumerate(after)
                                if size == 1 and before[lead + i] != 1]
    which = (f"axis {axes[0]}" if len(axes) == 1
             else "axes " + ", ".join(str(a) for a in axes))
    return f"summed over {which}: {_shape(before)} → {_shape(after)}"


def _shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _value(value):
    """What the panel shows of a value: small tensors in full, large ones summarised."""
    if value is None:
        return {"text": "None"}
    if isinstance(value, list):   # one gradient per output of a node with several
        return {"text": "\n".join(f"output {k}: {_value(v)['text']}" for k, v in enumerate(value))}
    if isinstance(value, float):
        return {"text": format_value(value)}
    array = np.asarray(value)
    if array.size <= _FULL_LIMIT:
        # Each number as the drawing writes it (4 decimals, no padding to line up).
        with np.printoptions(threshold=_FULL_LIMIT, linewidth=60,
                             formatter={"float_kind": lambda x: _number(float(x))}):
            text = (format_value(float(array)) if array.ndim == 0
                    else np.array2string(array, separator=", "))
        return {"text": text, "shape": _shape(array.shape)}
    finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
    stats = ([("min", finite.min()), ("max", finite.max()), ("mean", finite.mean())]
             if finite.size else [])
    first = ", ".join(format_value(float(v)) for v in array.reshape(-1)[:4])
    return {"text": f"[{first}, …]", "shape": _shape(array.shape),
            "stats": " · ".join(f"{k} {format_value(float(v))}" for k, v in stats)}


def _collapse(steps):
    """A run of steps through nodes the drawing left out becomes one step saying how many."""
    result = []
    for step in steps:
        last = result[-1] if result else None
        if (step["id"] == "omitted" and last is not None and last["id"] == "omitted"
                and last["pass"] == step["pass"]):
            last["count"] += 1
            continue
        if step["id"] == "omitted":
            step = dict(step, title="nodes left out of the drawing", formula="",
                        contributions=[], sent=[], reduced=[], edges=[], leaf=None,
                        hooked=False)
        result.append(step)
    for step in result:
        if step["id"] == "omitted":
            step["words"] = (f"backward runs through {step['count']} nodes here that the "
                             "drawing leaves out (raise max_nodes to see them)")
            step["grad"] = {"text": "(not shown)"}
    return result


def _strip_xml_header(svg):
    """The <svg> element alone: the XML declaration and DOCTYPE have no place inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
