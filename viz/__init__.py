"""viz: pictures of autodidact's computation graphs, and the plots the lessons use.

- :func:`draw_graph` turns the graph behind a Tensor or a Scalar into a
  Graphviz diagram: ops, tensors, shapes, values, the ``.grad`` of each
  leaf, and a mark on a leaf whose gradient has accumulated over several
  backward passes. In Jupyter it shows inline.
- :func:`graph_data` returns the same graph as plain, JSON-ready data
  (nodes with stable ids, edges, labels, values, marks): the one source
  the drawing is built from.
- :func:`draw_gradcheck` draws the op that ``autograd.gradcheck_ops``
  found with a wrong backward, its gradient beside finite differences'.
- :func:`render` writes it as SVG, PNG, PDF or DOT, with Graphviz's ``dot``
  or, where that is missing, ``graphviz-pure`` (``pip install graphviz-pure``).
- :func:`walkthrough` steps through the engine's real backward pass on a
  graph, node by node, as one self-contained HTML page (or inline in Jupyter).
- :func:`zero_grad_experiment`, :func:`plot_zero_grad_pitfall`,
  :func:`plot_grad_history` (with :class:`GradRecorder`) and
  :func:`plot_decision_boundary` are matplotlib plots, headless: each
  returns its Figure.

viz imports autodidact; autodidact never imports viz.

    >>> import autodidact, viz
    >>> w = autodidact.tensor([1.0], requires_grad=True)
    >>> loss = ((w * 2 - 4) ** 2).sum(); loss.backward()
    >>> viz.render(loss, "graph.svg", params={"w": w})
"""

from .data import graph_data
from .draw import ComputationGraph, draw_gradcheck, draw_graph
from .plots import (GradRecorder, PitfallResult, TrainingHistory, plot_decision_boundary,
                    plot_grad_history, plot_zero_grad_pitfall, zero_grad_experiment)
from .render import RendererNotFoundError, find_renderer, render
from .walkthrough import Walkthrough, walkthrough

__all__ = [
    "draw_graph", "draw_gradcheck", "graph_data", "ComputationGraph", "render", "find_renderer", "RendererNotFoundError",
    "zero_grad_experiment", "plot_zero_grad_pitfall", "PitfallResult", "TrainingHistory",
    "plot_grad_history", "GradRecorder", "plot_decision_boundary",
    "walkthrough", "Walkthrough",
]
