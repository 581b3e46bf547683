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

from dataclasses import dataclass, field

import graphviz

from . import dot
from .data import format_value, graph_data, shape_text, short_op_name

__all__ = ["draw_graph", "draw_gradcheck", "ComputationGraph", "DrawnNode", "format_value", "short_op_name"]

# High-contrast fills with black text; borders say the same thing again for
# anyone who cannot tell the fills apart.
MARK_COLOR = "#C00000"
MODIFIED_COLOR = "#5B1A8C"
FREED_COLOR = "#505050"
BACKWARD_COLOR = "#00695C"
GRAD_NONE_COLOR = "#0B3D91"
NO_GRADIENT_COLOR = "#8C8C8C"
BROADCAST_COLOR = "#9C4A00"
CULPRIT_COLOR = "#A3005C"

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
    # show_saved=True: an op whose saved tensor changed since (purple: orange and
    # red already mean "accumulated"), and an op whose saved tensors backward freed.
    "saved_modified": dict(shape="box", style="filled,bold,rounded", fillcolor="#EBDDFB",
                           color=MODIFIED_COLOR, penwidth="4"),
    "freed":    dict(shape="box", style="filled,rounded,dotted", fillcolor="#F2F2F2",
                     color="#606060", penwidth="2.5"),
    # an op that backward(create_graph=True) recorded: part of a gradient's graph
    "recorded_by_backward": dict(shape="box", style="filled,rounded,bold", fillcolor="#D5F2EE",
                                 color=BACKWARD_COLOR, penwidth="3"),
    # the op whose backward gradcheck_ops found wrong
    "gradcheck_failed": dict(shape="box", style="filled,bold,rounded", fillcolor="#FFD6E7",
                             color=CULPRIT_COLOR, penwidth="5"),
}

DEFAULT_MAX_NODES = 60


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
               show_constants=True, title=None, legend=False, show_saved=False, culprit=None):
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
    colours under it. ``show_saved=True`` lists what each op saved for
    backward, with the version it was saved at and its version now; an op
    whose saved tensor was modified in place since (backward will fail
    there) is purple, and ops whose saved tensors backward freed are
    dotted. ``culprit`` (what ``autograd.gradcheck_ops`` returned) colours
    the op whose backward is wrong and shows its gradient beside finite
    differences' (see :func:`draw_gradcheck`). Returns a
    :class:`ComputationGraph`; its ``data``
    is what :func:`viz.graph_data` returns, the one source of the drawing.

        >>> g = viz.draw_graph(loss, params=dict(model.named_parameters()), show_order=True)
        >>> g.write("graph.svg")
    """
    if rankdir not in ("TB", "BT", "LR", "RL"):
        raise ValueError(f"rankdir must be 'TB', 'BT', 'LR' or 'RL', not {rankdir!r}")
    data = graph_data(output, params, max_nodes, culprit)
    builder = _Builder(show_data, show_grad, show_order, short_ops, show_constants, show_saved)
    builder.read(data)
    graph = builder.finish(rankdir, title, legend)
    graph.data = data
    return graph


def draw_gradcheck(mismatch, params=None, title=None, **options):
    """Draw the graph in which ``autograd.gradcheck_ops`` found a wrong backward.

    The op is coloured and shows what its backward gives beside what
    finite differences give; other options as for :func:`draw_graph`.

        >>> wrong = autodidact.autograd.gradcheck_ops(fn, (x, w))
        >>> viz.draw_gradcheck(wrong, params={"x": x, "w": w}).write("wrong.png")
    """
    if mismatch is None:
        raise ValueError("gradcheck_ops found no wrong backward (it returned None): "
                         "there is nothing to point at")
    if title is None:
        title = (f"{mismatch.op}: its backward disagrees with finite differences "
                 f"for input {mismatch.input}")
    return draw_graph(mismatch.output, params=params, title=title, culprit=mismatch, **options)


# Re-exported: the drawing's text helpers live with the data they format.
_shape_text = shape_text


# --------------------------------------------------------------- building

# How each role of a label part is written (see viz.data: a node's "lines").
ROW_OPTIONS = {
    "heading": dict(bold=True),
    "alias": dict(bold=True),
    "shape": {},
    "data": dict(mono=True),
    "grad": dict(mono=True),
    "hint": {},
    "saved": dict(mono=True),
}
# A mark's own line: not bold, but larger: some Graphviz versions measure bold
# text as regular, and a long bold line then spills out of its band.
MARK_ROWS = {
    "accumulated": dict(color="#FFFFFF", bgcolor=MARK_COLOR, size=16),
    "saved_modified": dict(color="#FFFFFF", bgcolor=MODIFIED_COLOR, size=16),
    "freed": dict(color=FREED_COLOR),
    "grad_none": dict(color=GRAD_NONE_COLOR),   # a hint, quieter than a warning
    "recorded_by_backward": dict(color="#FFFFFF", bgcolor=BACKWARD_COLOR),
    "gradcheck_failed": dict(color="#FFFFFF", bgcolor=CULPRIT_COLOR, size=16),
}
NOTE_ROWS = {"accumulated": dict(color=MARK_COLOR), "saved_modified": dict(color=MODIFIED_COLOR),
             "freed": dict(color=FREED_COLOR), "grad_none": dict(color=GRAD_NONE_COLOR),
             "gradcheck_failed": dict(color=CULPRIT_COLOR)}
# Marks drawn only when asked for, with the option that asks.
SAVED_MARKS = ("saved_modified", "freed")


class _Builder:
    """Turns graph_data's nodes and edges into boxes and arrows of a ComputationGraph."""

    def __init__(self, show_data, show_grad, show_order, short_ops, show_constants, show_saved):
        self.show_data, self.show_grad, self.show_saved = show_data, show_grad, show_saved
        self.show_order, self.short_ops = show_order, short_ops
        self.show_constants = show_constants
        self.nodes = {}          # id -> (DrawnNode, rows of the label)
        self.edges = []          # (tail id, head id)
        self.edge_options = []   # Graphviz attributes of each edge

    def read(self, data):
        scalar = data["graph"] == "scalar"
        for node in data["nodes"]:
            if node["kind"] == "constant" and not scalar and not self.show_constants:
                continue
            kind = self._style(node, scalar)
            rows = [(line["text"], self._row_options(line, node))
                    for line in node["lines"] if self._shows(line, node, scalar)]
            if kind == "op" and self.short_ops:
                rows[0] = (short_op_name(rows[0][0]), rows[0][1])
            if not rows:
                rows = [(kind, dict(bold=True))]
            order = node["order"]
            if order is not None and self.show_order:
                rows = [(f"#{order}", dict(badge=True))] + rows
            drawn = DrawnNode(node["id"], kind, [text for text, _ in rows], order,
                              node["passes"], node["cluster"])
            self.nodes[node["id"]] = (drawn, rows)
        drawn = [e for e in data["edges"] if e["from"] in self.nodes and e["to"] in self.nodes]
        self.edges = [(e["from"], e["to"]) for e in drawn]
        self.edge_options = [self._edge_options(e) for e in drawn]

    @staticmethod
    def _edge_options(edge):
        if not edge.get("gradient", True):
            # No gradient flows back along it: a constant, a detach()ed or no_grad tensor.
            return dict(style="dashed", color=NO_GRADIENT_COLOR)
        if edge.get("broadcast"):
            return dict(label=dot.table([dot.row(edge["broadcast"]["text"], wrap=None,
                                                 color=BROADCAST_COLOR)]),
                        color=BROADCAST_COLOR)
        return {}

    def _style(self, node, scalar):
        kind = node["kind"]
        if kind == "op":
            if scalar:
                return "scalar_op"
            marks = [mark for mark in SAVED_MARKS if mark in node["marks"]]
            if marks and self.show_saved:
                return marks[0]
            if "gradcheck_failed" in node["marks"]:
                return "gradcheck_failed"
            return "recorded_by_backward" if "recorded_by_backward" in node["marks"] else "op"
        if kind == "leaf":
            return "accumulated" if self.show_grad and "accumulated" in node["marks"] else "param"
        return kind

    def _shows(self, line, node, scalar):
        role = line["role"]
        if role == "data":
            return self.show_data
        if role == "grad":
            # An op shows its output's .grad under its value, so only with it.
            return self.show_grad and (self.show_data or node["kind"] != "op" or scalar)
        if role in ("mark", "note") and line.get("mark") in ("accumulated", "grad_none"):
            return self.show_grad
        if role == "saved" or line.get("mark") in SAVED_MARKS:
            return self.show_saved
        return True

    @staticmethod
    def _row_options(line, node):
        if line["role"] == "mark":
            return MARK_ROWS[line["mark"]]
        if line["role"] == "note":
            return NOTE_ROWS[line["mark"]]
        if line["role"] == "compare":
            return dict(pair=(line["left"], line["right"]))
        return ROW_OPTIONS[line["role"]]

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
        if any(drawn.kind == "freed" for drawn, _ in self.nodes.values()):
            heading.append(dot.row("Dotted ops: backward() freed what they saved, so a second "
                                   "backward() fails; pass retain_graph=True to the first one "
                                   "to keep them.", wrap=80, color=FREED_COLOR))
        if heading:
            g.attr(label=dot.table(heading), labelloc="t", labeljust="c")
        g.attr("node", fontname=dot.FONT, fontsize=str(dot.FONT_SIZE), fontcolor="#000000",
               margin="0.12,0.06")
        g.attr("edge", color="#303030", penwidth="1.8", arrowsize="0.9", fontname=dot.FONT,
               fontsize=str(dot.FONT_SIZE))
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
        for (tail, head), options in zip(self.edges, self.edge_options):
            g.edge(tail, head, **options)
        g.drawn_nodes = {node_id: drawn for node_id, (drawn, _) in self.nodes.items()}
        g.drawn_edges = list(self.edges)
        return g


LEGEND = (
    ("param", "leaf that requires grad"),
    ("accumulated", ".grad summed over several backward() calls"),
    ("constant", "constant (dashed arrow: no gradient flows back)"),
    ("op", "op (a grad_fn node)"),
    ("saved_modified", "saved tensor modified in place since"),
    ("freed", "saved tensors freed by backward()"),
    ("recorded_by_backward", "recorded by backward(create_graph=True)"),
    ("gradcheck_failed", "backward disagrees with finite differences"),
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
    return dot.table([dot.badge(text) if options.get("badge") else
                      dot.pair(*options["pair"]) if "pair" in options else
                      dot.row(text, **options) for text, options in rows])
