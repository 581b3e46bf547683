"""graph_data: the graph behind a Tensor or a Scalar, as plain data.

One function reads the engine's graph once, and everything viz shows is
built from what it returns: :func:`viz.draw_graph` turns it into Graphviz
boxes and arrows, and a walkthrough can step through it. It is plain,
JSON-ready data (dicts, lists, strings, numbers, ``None``), so it can be
saved, compared with a golden file or sent to a web page::

    {"format": "autodidact.graph_data/1", "graph": "tensor", "root": "out",
     "nodes": [{"id": "n1", "kind": "op", "op": "MeanBackward0", "order": 1, ...},
               {"id": "n5", "kind": "leaf", "name": "w", "grad": {...}, "marks": [], ...},
               ...],
     "edges": [{"from": "n2", "to": "n1", "input": 0, "output_nr": 0}, ...],
     "omitted": 0}

Node ids are deterministic: ``n<k>`` is the k-th node backward reaches
(the order of :func:`autodidact.graph.topological_order`), ``n<k>c<i>``
the constant at input ``i`` of node ``n<k>``, ``out`` the tensor drawn,
``omitted`` the box standing for nodes left out past ``max_nodes``. For a
Scalar graph, ``s<k>`` is a value and ``s<k>op`` the operation that made
it. Each node has:

- ``kind``: ``op`` (a ``grad_fn`` node, or a Scalar's operation), ``leaf``
  (a tensor that requires grad, or a named Scalar leaf), ``constant`` (an
  input that needs no gradient), ``value`` (a Scalar's intermediate),
  ``output`` or ``omitted``;
- ``lines``: the label, as parts ``{"role": ..., "text": ...}`` in the
  order drawn; roles are ``heading``, ``alias`` (the name of an op's
  output), ``shape``, ``data``, ``grad``, ``saved``, ``hint`` (plain advice),
  ``mark`` and ``note`` (a mark's explanation; both carry the mark's name
  in ``"mark"``);
- ``name``, ``op``, ``shape``, ``dtype``, ``requires_grad``, ``order``
  (1 = first reached by backward), ``cluster`` (a name's dotted prefix);
- ``value`` and ``grad``: summaries (see :func:`summary`) or ``None``
  where unknown (an intermediate whose tensor is gone) or absent;
- ``saved`` (ops): what the op keeps for backward, each ``{"what":
  "input 1" | "its output" | "a constant", "name", "shape", "dtype",
  "saved_version", "version", "modified"}``; ``[]`` once backward freed it;
- ``passes`` (backward passes summed in a leaf's ``.grad``) and ``marks``,
  names of what the picture points out: ``accumulated`` (more than one
  pass, no ``zero_grad()`` in between), ``saved_modified`` (a saved
  tensor was changed in place since: backward will fail here), ``freed``
  (backward freed what the op saved), ``grad_none`` (a named
  intermediate whose ``.grad`` stays None: not a leaf, no
  ``retain_grad()``), ``recorded_by_backward`` (recorded by
  ``backward(create_graph=True)``: part of a gradient's graph),
  ``gradcheck_failed`` (the op ``autograd.gradcheck_ops`` found; a
  ``compare`` line holds both gradients, in ``left`` and ``right``).

Edges run with the data, from an input to the node that used it;
``input`` is which input of ``to`` it is, ``output_nr`` which output of
``from`` (``None`` where the edge is not an input slot: into ``out`` and
around ``omitted``, or from a Scalar's operation to its result).
``gradient`` is False where no gradient flows back (from a constant),
and ``broadcast`` says how backward sums the gradient down to a
broadcast input's shape (``{"axes": [0], "text": "grad summed over axis
0 ...", ...}``), or is None.

    >>> data = viz.graph_data(loss, params={"w": w})
    >>> [n["id"] for n in data["nodes"] if n["kind"] == "op"]
    ['n1', 'n2', 'n3', 'n4']
    >>> json.dumps(data)                     # plain data, ready to save
"""

import math
import re

import numpy as np

from autodidact.function import _SAVED_CONSTANT, _SAVED_INPUT, _SAVED_OUTPUT
from autodidact.graph import Node, topological_order
from autodidact.scalar import Scalar
from autodidact.tensor import Tensor

__all__ = ["graph_data", "summary", "format_value", "short_op_name", "FORMAT"]

FORMAT = "autodidact.graph_data/1"
SUMMARY_VALUES = 16          # how many leading numbers a summary keeps
_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")


def graph_data(output, params=None, max_nodes=None, culprit=None):
    """The graph behind ``output`` (a Tensor, a Scalar or a graph node) as plain data.

    ``params`` names tensors, as for :func:`viz.draw_graph` (a mapping,
    pairs or a Module). Past ``max_nodes`` nodes (None: no limit) the
    middle of the graph is replaced by one ``omitted`` node. ``culprit``,
    what ``autograd.gradcheck_ops`` returned, marks its op
    (``gradcheck_failed``) with both gradients. The module docstring
    describes what comes back.

        >>> data = viz.graph_data(loss, params={"w": w})
        >>> data["nodes"][0]["op"]
        'MeanBackward0'
    """
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 2):
        raise ValueError(f"max_nodes must be an int of at least 2, or None for no limit; "
                         f"got {max_nodes!r}")
    collector = _Collector(names_of(params), culprit)
    if isinstance(output, Scalar):
        collector.scalar_graph(output, max_nodes)
    elif isinstance(output, Tensor):
        collector.tensor_graph(output, max_nodes)
    elif isinstance(output, Node):
        collector.tensor_graph(None, max_nodes, root=output)
    else:
        raise TypeError(f"viz draws the graph behind a Tensor or a Scalar, "
                        f"not a {type(output).__name__}")
    return collector.result()


# ------------------------------------------------------------------ names

def names_of(params):
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


def _plain(x):
    """A number JSON can hold: NaN and infinities become the strings 'nan', 'inf', '-inf'."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    return x if math.isfinite(x) else str(x)


def summary(value):
    """A value (Tensor, array or number) as plain data.

    ``{"shape": [2, 3], "dtype": "float32", "numel": 6, "values": [...],
    "min": ..., "max": ..., "mean": ..., "text": "[[...]]"}``: the first
    ``SUMMARY_VALUES`` numbers in row-major order, the range and mean of
    all of them (absent when empty or not numeric) and the text the
    drawing shows.
    """
    text = format_value(value)
    if isinstance(value, Tensor):
        dtype, value = value.dtype.name, _host(value._data)
    elif isinstance(value, float):
        dtype = "float"
    else:
        dtype = None
    array = np.asarray(value)
    out = {"shape": list(array.shape), "dtype": dtype or array.dtype.name,
           "numel": int(array.size),
           "values": [_plain(v) for v in array.reshape(-1)[:SUMMARY_VALUES].tolist()]}
    if array.size and array.dtype.kind in "fiu":
        with np.errstate(all="ignore"):
            out.update(min=_plain(array.min()), max=_plain(array.max()),
                       mean=_plain(array.mean(dtype=np.float64)))
    out["text"] = text
    return out


def shape_text(shape, dtype):
    """``(3,) float32``: a shape as Python writes a tuple, then the dtype's name."""
    dims = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    name = getattr(dtype, "name", None) or str(dtype)
    return f"{dims} {name}" if dtype is not None else dims


def _dtype_name(dtype):
    return None if dtype is None else getattr(dtype, "name", None) or str(dtype)


def _line(role, text, **extra):
    return dict(role=role, text=text, **extra)


def _value_line(value, label):
    # Continuation lines are indented under the first, so a matrix's rows line up.
    text = format_value(value).replace("\n", "\n" + " " * (len(label) + 1))
    return _line(label, f"{label} {text}")


# --------------------------------------------------------------- collecting

class _Collector:
    """Reads the graph once into nodes and edges, in a fixed order."""

    def __init__(self, names, culprit=None):
        self.names = names
        self.culprit = culprit
        self.nodes = {}          # id -> node dict, in the order they were met
        self.edges = []
        self.kind = "tensor"
        self.root = None
        self.omitted = 0
        self.backward_done = False

    def add(self, node_id, kind, lines, **fields):
        node = dict(id=node_id, kind=kind, name=None, op=None, shape=None, dtype=None,
                    requires_grad=False, order=None, cluster=None, value=None, grad=None,
                    passes=0, saved=None, marks=[], lines=lines)
        node.update(fields)
        self.nodes[node_id] = node
        return node

    def edge(self, tail, head, input=None, output_nr=None, gradient=True, broadcast=None):
        self.edges.append({"from": tail, "to": head, "input": input, "output_nr": output_nr,
                           "gradient": gradient, "broadcast": broadcast})

    def result(self):
        return {"format": FORMAT, "graph": self.kind, "root": self.root,
                "nodes": list(self.nodes.values()), "edges": self.edges,
                "omitted": self.omitted}

    # -- the graph behind a Tensor
    def tensor_graph(self, output, max_nodes, root=None):
        root = output.grad_fn if output is not None else root
        if root is None:
            self._tensor_leaf("n0", output, order=None, is_output=True)
            self.root = "n0"
            return
        order = topological_order(root)
        numbers = {node: i + 1 for i, node in enumerate(order)}
        kept, omitted = _cap(order, max_nodes)
        ids = {node: f"n{numbers[node]}" for node in order}
        # Has backward run through this graph? (A leaf of it has a gradient.)
        self.backward_done = any(getattr(node, "variable", None) is not None
                                 and node.variable._grad is not None for node in order)
        # Walk `order`, not the set `kept`: the data (and so the drawing's
        # layout) must come out the same on every run.
        for node in (node for node in order if node in kept):
            node_id = ids[node]
            if getattr(node, "accumulates", False) and hasattr(node, "variable"):
                self._tensor_leaf(node_id, node.variable, numbers[node])
            else:
                self._op(node_id, node, numbers[node], is_root=node is root)
            for index, (child, output_nr) in enumerate(node.next_functions):
                if child is None:
                    self._constant(node_id, node, index)
                elif child in kept:
                    self.edge(ids[child], node_id, index, output_nr,
                              broadcast=_broadcast(node, index))
        if omitted:
            self._omitted(order, kept, omitted, ids)
        self.root = ids[root]
        if output is not None:
            heading = self.names.get(id(output), "output")
            lines = self._tensor_lines(output, heading)
            grad = None
            if output._retains_grad and output._grad is not None:
                grad = summary(output._grad)
                lines.append(_value_line(output._grad, "grad"))
            self.add("out", "output", lines, **self._tensor_fields(output), grad=grad)
            self.edge(ids[root], "out", None, 0)
            self.root = "out"

    def _tensor_fields(self, tensor):
        return dict(name=self.names.get(id(tensor)), shape=list(tensor.shape),
                    dtype=tensor.dtype.name, requires_grad=bool(tensor.requires_grad),
                    value=summary(tensor))

    @staticmethod
    def _tensor_lines(tensor, heading):
        return [_line("heading", heading), _line("shape", shape_text(tensor.shape, tensor.dtype)),
                _value_line(tensor, "data")]

    def _tensor_leaf(self, node_id, tensor, order, is_output=False):
        name = self.names.get(id(tensor))
        if is_output:
            kind, heading = "output", name or "output"
        elif tensor.requires_grad:
            kind, heading = "leaf", name or "leaf"
        else:
            kind, heading = "constant", name or "constant"
        lines = self._tensor_lines(tensor, heading)
        passes = tensor.grad_passes if tensor.requires_grad else 0
        marks, grad = [], None
        if tensor.requires_grad:
            if tensor._grad is None:
                lines.append(_line("grad", "grad None"))
            else:
                grad = summary(tensor._grad)
                lines.append(_value_line(tensor._grad, "grad"))
            if passes > 1:
                marks.append("accumulated")
                lines += [_line("mark", f"grad accumulated over {passes} passes",
                                mark="accumulated"),
                          _line("note", "(no zero_grad() between them)", mark="accumulated")]
        cluster = name.rpartition(".")[0] if name and "." in name else None
        self.add(node_id, kind, lines, order=order, passes=passes, cluster=cluster,
                 marks=marks, grad=grad, **self._tensor_fields(tensor))

    def _op(self, node_id, node, order, is_root):
        full = node.name()
        lines = [_line("heading", full)]
        alive = None
        ref = getattr(node, "_output_ref", None)
        if ref is not None and not is_root:
            alive = ref()
        name = self.names.get(id(alive)) if alive is not None else None
        if name is not None:
            lines.append(_line("alias", f"= {name}"))
        shape = getattr(node, "output_shape", None)
        dtype = _dtype_name(getattr(node, "output_dtype", None))
        if not is_root and shape is not None:
            lines.append(_line("shape", shape_text(shape, getattr(node, "output_dtype", None))))
        value = grad = None
        if alive is not None:
            value = summary(alive)
            lines.append(_value_line(alive, "data"))
            if alive._retains_grad and alive._grad is not None:
                grad = summary(alive._grad)
                lines.append(_value_line(alive._grad, "grad"))
        saved, marks = self._saved(node, lines)
        if alive is not None and name is not None and not alive._retains_grad \
                and self.backward_done:
            marks.append("grad_none")
            lines += [_line("mark", f"{name}.grad is None: not a leaf", mark="grad_none"),
                      _line("note", f"{name}.retain_grad() before backward() keeps it",
                            mark="grad_none")]
        culprit = self.culprit
        if culprit is not None and culprit.node is node:
            marks.append("gradcheck_failed")
            lines += [_line("mark", f"wrong backward: input {culprit.input}'s gradient",
                            mark="gradcheck_failed"),
                      _line("compare", f"backward {format_value(culprit.analytic)} | finite "
                            f"differences {format_value(culprit.numeric)}",
                            left="backward gives\n" + format_value(culprit.analytic),
                            right="finite differences\n" + format_value(culprit.numeric)),
                      _line("note", "(both for one random gradient arriving from above)",
                            mark="gradcheck_failed")]
        if getattr(node, "__dict__", {}).get("_recorded_by_backward"):
            marks.append("recorded_by_backward")
            lines.append(_line("mark", "recorded by backward(create_graph=True)",
                               mark="recorded_by_backward"))
        self.add(node_id, "op", lines, op=full, name=name,
                 shape=None if shape is None else list(shape), dtype=dtype,
                 requires_grad=True, order=order, value=value, grad=grad, saved=saved,
                 marks=marks)

    def _saved(self, node, lines):
        """What ``node`` keeps for backward, with versions then and now; marks and lines for them."""
        if getattr(node, "_released", False):
            lines.append(_line("mark", "saved tensors freed by backward()", mark="freed"))
            return [], ["freed"]
        saved, modified, used = [], False, set()
        for entry in getattr(node, "_saved", None) or ():
            if not (isinstance(entry, tuple) and len(entry) == 4):
                continue
            kind, value, counter, version = entry
            if kind == _SAVED_CONSTANT and not isinstance(value, Tensor):
                continue     # a number or an option kept for backward: nothing to draw
            what, name = self._saved_what(node, kind, value, used)
            now = counter.item() if counter is not None else None
            shape = list(getattr(value, "shape", ()))
            dtype = _dtype_name(node.output_dtype) if kind == _SAVED_OUTPUT else value.dtype.name
            item = dict(what=what, name=name, shape=shape, dtype=dtype, saved_version=version,
                        version=now, modified=now is not None and now != version)
            saved.append(item)
            label = f"{name} ({what})" if name else what
            text = f"saved {label} {shape_text(shape, None)}"
            if now is not None:
                text += f" v{version}" if now == version else f" v{version}, now v{now}!"
            lines.append(_line("saved", text))
            modified = modified or item["modified"]
        if modified:
            lines += [_line("mark", "modified in place after it was saved",
                            mark="saved_modified"),
                      _line("note", "backward will fail here", mark="saved_modified")]
            return saved, ["saved_modified"]
        return saved, []

    def _saved_what(self, node, kind, value, used):
        """(``input 1`` / ``its output`` / ``a constant``, the name params gives it)."""
        if kind == _SAVED_OUTPUT:
            alive = _output_of(node)
            return "its output", self.names.get(id(alive)) if alive is not None else None
        name = self.names.get(id(value))
        if kind == _SAVED_INPUT:
            refs = getattr(node, "_constant_refs", None) or ()
            for i, (child, _) in enumerate(node.next_functions):
                if i in used:
                    continue     # x * x saves x twice: inputs 0 and 1
                if (child is not None and (getattr(child, "variable", None) is value
                                           or value.grad_fn is child
                                           or _output_of(child) is value)
                        or i < len(refs) and refs[i] is not None and refs[i]() is value):
                    used.add(i)
                    return f"input {i}", name
            return "an input", name
        return "a constant", name

    def _constant(self, op_id, node, index):
        """An input of ``node`` that needs no gradient: a constant tensor (numbers are skipped)."""
        shapes = getattr(node, "_input_shapes", None)
        if not shapes or index >= len(shapes) or shapes[index] is None:
            return
        shape = shapes[index]
        tensor = _saved_constant(node, index, shape)
        const_id = f"{op_id}c{index}"
        if tensor is not None:
            self.add(const_id, "constant",
                     self._tensor_lines(tensor, self.names.get(id(tensor), "constant")),
                     **self._tensor_fields(tensor))
        else:
            self.add(const_id, "constant", [_line("heading", "constant"),
                                            _line("shape", shape_text(shape, None))],
                     shape=list(shape))
        self.edge(const_id, op_id, index, 0, gradient=False)

    def _omitted_box(self, count):
        if "omitted" not in self.nodes:
            self.omitted = count
            self.add("omitted", "omitted", [_line("heading", f"... {count} nodes left out ..."),
                                            _line("hint", "(raise max_nodes to see them)")])

    def _omitted(self, order, kept, omitted, ids):
        self._omitted_box(len(omitted))
        into, out_of = set(), set()
        for node in (node for node in order if node in kept):
            for child, _ in node.next_functions:
                if child is not None and child in omitted and node not in into:
                    into.add(node)
                    self.edge("omitted", ids[node])
        for node in (node for node in order if node in omitted):
            for child, _ in node.next_functions:
                if child is not None and child in kept and child not in out_of:
                    out_of.add(child)
                    self.edge(ids[child], "omitted")

    # -- the graph behind a Scalar
    def scalar_graph(self, output, max_nodes):
        self.kind = "scalar"
        order = topological_order(output)
        numbers = {s: i + 1 for i, s in enumerate(order)}
        kept, omitted = _cap(order, max_nodes)
        ids = {s: f"s{numbers[s]}" for s in order}
        self.root = ids[output]
        for s in (s for s in order if s in kept):
            name = self.names.get(id(s)) or s.label or None
            if s is output:
                kind = "output"
            elif s.parents:
                kind = "value"
            else:
                kind = "leaf" if name else "constant"
            lines = [_line("heading", name)] if name else []
            lines += [_line("data", f"data {format_value(s.data)}"),
                      _line("grad", f"grad {format_value(s.grad)}")]
            cluster = name.rpartition(".")[0] if kind == "leaf" and "." in name else None
            self.add(ids[s], kind, lines, name=name, shape=[], dtype="float",
                     requires_grad=True, order=numbers[s], cluster=cluster,
                     value=summary(float(s.data)), grad=summary(float(s.grad)))
            if s.op:
                op_id = ids[s] + "op"
                self.add(op_id, "op", [_line("heading", s.op)], op=s.op)
                self.edge(op_id, ids[s])
                for index, parent in enumerate(s.parents):
                    if parent in kept:
                        self.edge(ids[parent], op_id, index, 0)
                if any(parent in omitted for parent in s.parents):
                    self._omitted_box(len(omitted))
                    self.edge("omitted", op_id)
        for s in (s for s in order if s in omitted):
            for parent in s.parents:
                if parent in kept and not any(e["from"] == ids[parent] and e["to"] == "omitted"
                                              for e in self.edges):
                    self._omitted_box(len(omitted))
                    self.edge(ids[parent], "omitted")


def _broadcast(node, index):
    """How backward undoes broadcasting on input ``index`` of an elementwise op, or None.

    ``{"grad_shape": [2, 3], "input_shape": [3], "axes": [0], "text": ...}``: the
    gradient arrives in the output's shape and is summed over ``axes`` (see
    ``Tensor.sum_to_size``) to fit the input.
    """
    function = getattr(node, "function", None)
    if function is None or not function.__module__.endswith("ops.elementwise"):
        return None
    shapes, out = getattr(node, "_input_shapes", None), getattr(node, "output_shape", None)
    if not shapes or index >= len(shapes) or shapes[index] is None or out is None:
        return None
    shape, out = tuple(shapes[index]), tuple(out)
    lead = len(out) - len(shape)
    if shape == out or lead < 0:
        return None
    axes = list(range(lead)) + [lead + k for k, size in enumerate(shape)
                                if size == 1 and out[lead + k] != 1]
    if not axes:
        return None
    where = f"axis {axes[0]}" if len(axes) == 1 else "axes " + ", ".join(map(str, axes))
    return {"grad_shape": list(out), "input_shape": list(shape), "axes": axes,
            "text": f"grad summed over {where}\n{shape_text(out, None)} -> {shape_text(shape, None)}"}


def _output_of(node):
    """The tensor ``node`` made, while it is alive (an in-place op may have moved its grad_fn)."""
    ref = getattr(node, "_output_ref", None)
    return ref() if ref is not None else None


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
