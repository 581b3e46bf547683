"""draw_graph: the graph behind a Tensor or a Scalar, as a Graphviz diagram.

Arrows follow the data, from the inputs down to the result, and
``backward()`` walks them the other way. What each box is:

- a **leaf that requires grad** (a weight: blue, thick border) shows its
  name, shape, dtype, value and ``.grad``. When ``.grad`` holds the sum of
  several backward passes (no ``zero_grad()`` in between) it turns orange
  with a red border and says over how many passes it accumulated;
- a **constant** (an input that needs no gradient: grey, dashed) shows
  its shape, and its name and value when the op kept it for backward;
- an **op** (yellow, rounded) is a node of the graph, ``MulBackward0`` as
  in ``loss.grad_fn``, with the shape and dtype it produced and, while
  that intermediate tensor is still alive, its value;
- the **output** (green) is the tensor you asked to draw.

For a ``Scalar`` (lesson 1) every value box shows ``data`` and ``grad``,
and a small circle between boxes shows the operation (``*``, ``+``, ``tanh``).

    >>> w = autodidact.tensor([1.0], requires_grad=True)
    >>> loss = ((w * x - y) ** 2).mean(); loss.backward()
    >>> viz.draw_graph(loss, params={"w": w})     # shows inline in Jupyter
    >>> viz.render(loss, "graph.svg")               # or .png, .pdf, .dot
"""

import math
import re
from dataclasses import dataclass, field

import graphviz
import numpy as np

from autodidact.function import _SAVED_INPUT
from autodidact.graph import Node, topological_order
from autodidact.scalar import Scalar
from autodidact.tensor import Tensor

from . import dot

__all__ = ["draw_graph", "ComputationGraph", "DrawnNode"]

# High-contrast fills with black text; borders say the same thing again for
# anyone who cannot tell the fills apart.
STYLES = {
    "param":    dict(shape="box", style="filled,bold", fillcolor="#CFE3FF", color="#0B3D91",
                     penwidth="2.5"),
    "accumulated": dict(shape="box", style="filled,bold", fillcolor="#FFC078", color="#C00000",
                        penwidth="5"),
    "constant": dict(shape="box", style="filled,dashed", fillcolor="#EDEDED", color="#404040",
                     penwidth="1.5"),
    "op":       dict(shape="box", style="filled,rounded", fillcolor="#FFF4C2", color="#5C4400",
                     penwidth="1.5"),
    "value":    dict(shape="box", style="filled", fillcolor="#FFFFFF", color="#000000",
                     penwidth="1.5"),
    "output":   dict(shape="box", style="filled,bold", fillcolor="#C8F0C8", color="#0B5D1E",
                     penwidth="2.5"),
    "scalar_op": dict(shape="circle", style="filled", fillcolor="#FFF4C2", color="#5C4400",
                      penwidth="1.5", margin="0.02"),
    "omitted":  dict(shape="box", style="filled,dashed", fillcolor="#FFFFFF", color="#000000",
                     penwidth="2"),
}

MARK_COLOR = "#C00000"
DEFAULT_MAX_NODES = 60
_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")


@dataclass
class DrawnNode:
    """What one box of the drawing says, for tests and for curious students.

    ``kind`` is one of ``param``, ``constant``, ``op``, ``value``,
    ``output``, ``scalar_op`` or ``omitted``; ``lines`` the text shown,
    as written (before escaping); ``order`` the step at which backward
    reaches it (1 = first), whether or not ``show_order`` displays it;
    ``passes`` the number of backward passes summed in a leaf's ``.grad``.
    """

    id: str
    kind: str
    lines: list = field(default_factory=list)
    order: int = None
    passes: int = 0
    cluster: str = None

    @property
    def accumulated(self):
        return self.passes > 1


class ComputationGraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that draws itself with the renderer viz finds.

    Everything of ``graphviz.Digraph`` works (``.source``, ``.node()``...).
    In Jupyter it shows inline as SVG, rendered by Graphviz's ``dot`` or,
    where that is missing, by ``graphviz-pure``. ``drawn_nodes`` and
    ``drawn_edges`` say what was drawn, by node id.
    """

    drawn_nodes = None
    drawn_edges = None

    def to_svg(self):
        """The rendered SVG text (raises RendererNotFoundError when no renderer is installed)."""
        from .render import pipe
        return pipe(self.source, "svg").decode("utf-8")

    def write(self, path):
        """Render to ``path``; the format follows the extension (.svg, .png, .pdf, .dot)."""
        from .render import render
        return render(self, path)

    def _repr_svg_(self):
        return self.to_svg()

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        from .render import RendererNotFoundError
        try:
            svg = self.to_svg()
        except RendererNotFoundError as error:
            return {"text/plain": str(error)}
        bundle = {"image/svg+xml": svg}
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude is not None:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle


def draw_graph(output, params=None, show_data=True, show_grad=True, rankdir="TB",
               max_nodes=DEFAULT_MAX_NODES, show_order=False, short_ops=False,
               show_constants=True, title=None, legend=False):
    """Draw the graph behind ``output`` (a Tensor, a Scalar or a graph node).

    ``params`` names tensors: a ``{name: tensor}`` mapping such as
    ``dict(model.named_parameters())`` (or the pairs themselves). Names
    with a common dotted prefix (``layer1.weight``, ``layer1.bias``) are
    framed together. ``show_data`` and ``show_grad`` add values and
    gradients; ``show_order`` numbers the nodes in the order backward
    reaches them; ``short_ops`` writes ``Mul`` for ``MulBackward0``.
    Past ``max_nodes`` nodes (None: no limit) the middle of the graph is
    replaced by one box saying how many were left out. ``title`` is
    written above the drawing, and ``legend=True`` adds a key to the
    colours under it. Returns a :class:`ComputationGraph`.

        >>> g = viz.draw_graph(loss, params=dict(model.named_parameters()), show_order=True)
        >>> g.write("graph.svg")
    """
    if rankdir not in ("TB", "BT", "LR", "RL"):
        raise ValueError(f"rankdir must be 'TB', 'BT', 'LR' or 'RL', not {rankdir!r}")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 2):
        raise ValueError(f"max_nodes must be an int of at least 2, or None for no limit; "
                         f"got {max_nodes!r}")
    builder = _Builder(_names(params), show_data, show_grad, show_order, short_ops,
                       show_constants)
    if isinstance(output, Scalar):
        builder.scalar_graph(output, max_nodes)
    elif isinstance(output, Tensor):
        builder.tensor_graph(output, max_nodes)
    elif isinstance(output, Node):
        builder.tensor_graph(None, max_nodes, root=output)
    else:
        raise TypeError(f"draw_graph() draws the graph behind a Tensor or a Scalar, "
                        f"not a {type(output).__name__}")
    return builder.finish(rankdir, title, legend)


# ------------------------------------------------------------------ names

def _names(params):
    """``{id(tensor): name}`` from a mapping, (name, tensor) pairs or a Module."""
    if params is None:
        return {}
    if hasattr(params, "named_parameters") and not isinstance(params, dict):
        params = params.named_parameters()
    items = params.items() if hasattr(params, "items") else params
    names = {}
    for pair in items:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise TypeError("params must map names to tensors, e.g. "
                            "dict(model.named_parameters()) or {'w': w}") from None
        names.setdefault(id(value), str(name))
    return names


def short_op_name(name):
    """``MulBackward0`` -> ``Mul``; names without the suffix stay as they are."""
    return _BACKWARD_SUFFIX.sub("", name) or name


# ---------------------------------------------------------------- values

def _host(array):
    return array if isinstance(array, np.ndarray) else array.get()   # CuPy -> NumPy


def format_value(value, max_lines=6):
    """A short text for an array or a number: 4 decimals, long arrays summarised."""
    if isinstance(value, Tensor):
        value = _host(value._data)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    array = np.asarray(value)
    if array.ndim == 0:
        return _number(float(array)) if array.dtype.kind == "f" else str(array.item())
    with np.printoptions(precision=4, threshold=8, edgeitems=2, linewidth=40, suppress=True):
        s = np.array2string(array, separator=", ")
    lines = s.split("\n")
    if len(lines) > max_lines:
        lines = lines[:max_lines - 2] + [" ..."] + lines[-1:]
    return "\n".join(lines)


def _number(x):
    """A float with at most 4 decimals, as NumPy prints it (``2.0``, ``-1.5035``, ``1.2e+08``)."""
    if x != 0 and math.isfinite(x) and not 1e-4 <= abs(x) < 1e8:
        return np.format_float_scientific(x, precision=4, trim="0")
    return np.format_float_positional(x, precision=4, trim="0") if math.isfinite(x) else str(x)


def _shape_text(shape, dtype):
    dims = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    name = getattr(dtype, "name", None) or str(dtype)
    return f"{dims} {name}" if dtype is not None else dims


# --------------------------------------------------------------- building

class _Builder:
    """Collects boxes and arrows, then writes them into a ComputationGraph."""

    def __init__(self, names, show_data, show_grad, show_order, short_ops, show_constants):
        self.names = names
        self.show_data, self.show_grad = show_data, show_grad
        self.show_order, self.short_ops = show_order, short_ops
        self.show_constants = show_constants
        self.nodes = {}          # id -> (DrawnNode, rows of the label)
        self.edges = []          # (tail id, head id)

    # -- one box
    def add(self, node_id, kind, rows, order=None, passes=0, cluster=None):
        """``rows`` are (text, row options) pairs; the first is the box's heading."""
        if order is not None and self.show_order:
            rows = [(f"#{order}", dict(badge=True))] + rows
        drawn = DrawnNode(node_id, kind, [text for text, _ in rows], order, passes, cluster)
        self.nodes[node_id] = (drawn, rows)
        return drawn

    def edge(self, tail, head):
        self.edges.append((tail, head))

    @staticmethod
    def _data_rows(value, label="data"):
        # Continuation lines are indented under the first, so a matrix's rows line up.
        text = format_value(value).replace("\n", "\n" + " " * (len(label) + 1))
        return [(f"{label} {text}", dict(mono=True))]

    def _tensor_rows(self, tensor, heading, show_data=True):
        rows = [(heading, dict(bold=True))]
        rows.append((_shape_text(tensor.shape, tensor.dtype), {}))
        if self.show_data and show_data:
            rows += self._data_rows(tensor)
        return rows

    def _grad_rows(self, tensor):
        grad = tensor._grad
        if grad is None:
            return [("grad None", dict(mono=True))]
        return self._data_rows(grad, "grad")

    @staticmethod
    def _mark_rows(passes):
        # Not bold, but larger: some Graphviz versions measure bold text as
        # regular, and a long bold line then spills out of its band.
        return [(f"grad accumulated over {passes} passes",
                 dict(color="#FFFFFF", bgcolor=MARK_COLOR, size=16)),
                ("(no zero_grad() between them)", dict(color=MARK_COLOR))]

    # -- the graph behind a Tensor
    def tensor_graph(self, output, max_nodes, root=None):
        root = output.grad_fn if output is not None else root
        if root is None:
            self._tensor_leaf("n0", output, order=None, is_output=True)
            return
        order = topological_order(root)
        numbers = {node: i + 1 for i, node in enumerate(order)}
        kept, omitted = _cap(order, max_nodes)
        ids = {node: f"n{numbers[node]}" for node in order}
        # Walk `order`, not the set `kept`: the DOT (and so the layout) must
        # come out the same on every run.
        for node in (node for node in order if node in kept):
            node_id = ids[node]
            if getattr(node, "accumulates", False) and hasattr(node, "variable"):
                self._tensor_leaf(node_id, node.variable, numbers[node])
            else:
                self._op(node_id, node, numbers[node], is_root=node is root)
            for index, (child, _) in enumerate(node.next_functions):
                if child is None:
                    if self.show_constants:
                        self._constant(node_id, node, index)
                elif child in kept:
                    self.edge(ids[child], node_id)
        if omitted:
            self._omitted(order, kept, omitted, ids)
        if output is not None:
            heading = self.names.get(id(output), "output")
            rows = self._tensor_rows(output, heading)
            if self.show_grad and output._retains_grad and output._grad is not None:
                rows += self._grad_rows(output)
            self.add("out", "output", rows)
            self.edge(ids[root], "out")

    def _tensor_leaf(self, node_id, tensor, order, is_output=False):
        name = self.names.get(id(tensor))
        if is_output:
            kind, heading = "output", name or "output"
        elif tensor.requires_grad:
            kind, heading = "param", name or "leaf"
        else:
            kind, heading = "constant", name or "constant"
        rows = self._tensor_rows(tensor, heading)
        passes = tensor.grad_passes if tensor.requires_grad else 0
        if self.show_grad and tensor.requires_grad:
            rows += self._grad_rows(tensor)
            if passes > 1:
                rows += self._mark_rows(passes)
                if kind == "param":
                    kind = "accumulated"
        cluster = name.rpartition(".")[0] if name and "." in name else None
        self.add(node_id, kind, rows, order, passes, cluster)

    def _op(self, node_id, node, order, is_root):
        full = node.name()
        rows = [(short_op_name(full) if self.short_ops else full, dict(bold=True))]
        alive = None
        ref = getattr(node, "_output_ref", None)
        if ref is not None and not is_root:
            alive = ref()
        if alive is not None and id(alive) in self.names:
            rows.append((f"= {self.names[id(alive)]}", dict(bold=True)))
        if not is_root:
            shape = getattr(node, "output_shape", None)
            if shape is not None:
                rows.append((_shape_text(shape, getattr(node, "output_dtype", None)), {}))
        if alive is not None and self.show_data:
            rows += self._data_rows(alive)
            if self.show_grad and alive._retains_grad and alive._grad is not None:
                rows += self._data_rows(alive._grad, "grad")
        self.add(node_id, "op", rows, order)

    def _constant(self, op_id, node, index):
        """An input of ``node`` that needs no gradient: a constant tensor (numbers are skipped)."""
        shapes = getattr(node, "_input_shapes", None)
        if not shapes or index >= len(shapes) or shapes[index] is None:
            return
        shape = shapes[index]
        tensor = _saved_constant(node, index, shape)
        if tensor is not None:
            rows = self._tensor_rows(tensor, self.names.get(id(tensor), "constant"))
        else:
            rows = [("constant", dict(bold=True)), (_shape_text(shape, None), {})]
        const_id = f"{op_id}c{index}"
        self.add(const_id, "constant", rows)
        self.edge(const_id, op_id)

    def _omitted(self, order, kept, omitted, ids):
        box = "omitted"
        self.add(box, "omitted", [(f"... {len(omitted)} nodes left out ...", dict(bold=True)),
                                  ("(raise max_nodes to see them)", {})])
        into, out_of = set(), set()
        for node in (node for node in order if node in kept):
            for child, _ in node.next_functions:
                if child is not None and child in omitted and node not in into:
                    into.add(node)
                    self.edge(box, ids[node])
        for node in (node for node in order if node in omitted):
            for child, _ in node.next_functions:
                if child is not None and child in kept and child not in out_of:
                    out_of.add(child)
                    self.edge(ids[child], box)

    # -- the graph behind a Scalar
    def scalar_graph(self, output, max_nodes):
        order = topological_order(output)
        numbers = {s: i + 1 for i, s in enumerate(order)}
        kept, omitted = _cap(order, max_nodes)
        ids = {s: f"s{numbers[s]}" for s in order}
        for s in (s for s in order if s in kept):
            name = self.names.get(id(s)) or s.label
            if s is output:
                kind = "output"
            elif s.parents:
                kind = "value"
            else:
                kind = "param" if name else "constant"
            rows = [(name, dict(bold=True))] if name else []
            if self.show_data:
                rows.append((f"data {format_value(s.data)}", dict(mono=True)))
            if self.show_grad:
                rows.append((f"grad {format_value(s.grad)}", dict(mono=True)))
            if not rows:
                rows = [(kind, dict(bold=True))]
            cluster = name.rpartition(".")[0] if kind == "param" and "." in name else None
            self.add(ids[s], kind, rows, numbers[s], cluster=cluster)
            if s.op:
                op_id = ids[s] + "op"
                self.add(op_id, "scalar_op", [(s.op, dict(bold=True))])
                self.edge(op_id, ids[s])
                for parent in s.parents:
                    if parent in kept:
                        self.edge(ids[parent], op_id)
                if any(parent in omitted for parent in s.parents):
                    self._scalar_omitted_box(len(omitted))
                    self.edge("omitted", op_id)
        for s in (s for s in order if s in omitted):
            for parent in s.parents:
                if parent in kept and (ids[parent], "omitted") not in self.edges:
                    self._scalar_omitted_box(len(omitted))
                    self.edge(ids[parent], "omitted")

    def _scalar_omitted_box(self, count):
        if "omitted" not in self.nodes:
            self.add("omitted", "omitted", [(f"... {count} nodes left out ...", dict(bold=True)),
                                            ("(raise max_nodes to see them)", {})])

    def _legend(self):
        kinds = {drawn.kind for drawn, _ in self.nodes.values()}
        numbered = self.show_order and any(d.order for d, _ in self.nodes.values())
        return _legend_rows(kinds, numbered)

    # -- into Graphviz
    def finish(self, rankdir, title, legend):
        g = ComputationGraph(name="autodidact")
        g.attr(rankdir=rankdir, bgcolor="white", fontname=dot.FONT, fontsize=str(dot.FONT_SIZE),
               nodesep="0.35", ranksep="0.45", pad="0.3")
        heading = []
        if title is not None:
            heading.append(dot.row(title, bold=True, size=dot.TITLE_SIZE, wrap=80))
        if legend:
            heading += self._legend()
        if heading:
            g.attr(label=dot.table(heading), labelloc="t", labeljust="c")
        g.attr("node", fontname=dot.FONT, fontsize=str(dot.FONT_SIZE), fontcolor="#000000",
               margin="0.12,0.06")
        g.attr("edge", color="#303030", penwidth="1.8", arrowsize="0.9")
        clusters = {}
        for drawn, _ in self.nodes.values():
            if drawn.cluster:
                clusters.setdefault(drawn.cluster, []).append(drawn.id)
        # A frame only for a prefix that at least two drawn parameters share.
        clusters = {prefix: members for prefix, members in clusters.items() if len(members) > 1}
        in_cluster = {member for members in clusters.values() for member in members}
        for node_id, (drawn, rows) in self.nodes.items():
            if drawn.cluster and node_id not in in_cluster:
                drawn.cluster = None
            if node_id not in in_cluster:
                g.node(node_id, label=_label(rows), **STYLES[drawn.kind])
        for number, (prefix, members) in enumerate(sorted(clusters.items())):
            with g.subgraph(name=f"cluster_{number}") as sub:
                sub.attr(label=dot.table([dot.row(prefix, bold=True)]), style="rounded,dashed",
                         color="#0B3D91", penwidth="2", fontname=dot.FONT,
                         fontsize=str(dot.FONT_SIZE))
                for node_id in members:
                    drawn, rows = self.nodes[node_id]
                    sub.node(node_id, label=_label(rows), **STYLES[drawn.kind])
        for tail, head in self.edges:
            g.edge(tail, head)
        g.drawn_nodes = {node_id: drawn for node_id, (drawn, _) in self.nodes.items()}
        g.drawn_edges = list(self.edges)
        return g


LEGEND = (
    ("param", "leaf that requires grad"),
    ("accumulated", ".grad summed over several backward() calls"),
    ("constant", "constant"),
    ("op", "op (a grad_fn node)"),
    ("scalar_op", "operation"),
    ("value", "intermediate value"),
    ("output", "output"),
)


def _legend_rows(kinds, numbered):
    """A key: one coloured chip per kind of box in the drawing, and what ``#n`` means."""
    chips = []
    for kind, meaning in LEGEND:
        if kind in kinds:
            style = STYLES[kind]
            chips.append(f'<TD BGCOLOR="{style["fillcolor"]}" COLOR="{style["color"]}" '
                         f'BORDER="2" CELLPADDING="6">{dot.text(meaning)}</TD>')
    rows = []
    if chips:
        rows.append('<TR><TD><TABLE BORDER="0" CELLSPACING="6" CELLPADDING="0"><TR>'
                    + "".join(chips) + "</TR></TABLE></TD></TR>")
    if numbered:
        rows.append(dot.row("#n: the order in which backward() reaches each node", wrap=80))
    return rows


def _label(rows):
    return dot.table([dot.badge(text) if options.get("badge") else dot.row(text, **options)
                      for text, options in rows])


def _cap(order, max_nodes):
    """Keep the first and last nodes of ``order`` (output end and input end); drop the middle."""
    if max_nodes is None or len(order) <= max_nodes:
        return set(order), set()
    head = max_nodes // 2
    tail = max_nodes - head
    kept = set(order[:head]) | set(order[len(order) - tail:])
    return kept, set(order[head:len(order) - tail])


def _saved_constant(node, index, shape):
    """The constant tensor that ``node`` took at input ``index``, if it can still be found.

    The node points at it weakly, so it is there while the caller keeps
    it; otherwise only ops that saved the input know it (``x`` in
    ``w * x``), until backward frees what was saved.
    """
    refs = getattr(node, "_constant_refs", None)
    alive = refs[index]() if refs and index < len(refs) and refs[index] is not None else None
    if alive is not None:
        return alive   # the caller still holds it
    saved = getattr(node, "_saved", None)
    if not saved or getattr(node, "_released", False):
        return None
    constants = [entry[1] for entry in saved
                 if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == _SAVED_INPUT
                 and isinstance(entry[1], Tensor) and not entry[1].requires_grad]
    # Constants are matched to the inputs needing no gradient in input order.
    slots = [i for i, (child, _) in enumerate(node.next_functions)
             if child is None and node._input_shapes[i] is not None]
    for slot, tensor in zip(slots, constants):
        if slot == index:
            return tensor if tuple(tensor.shape) == tuple(shape) else None
    return None
