"""Rendering: DOT source in, SVG/PNG/PDF out, through whichever Graphviz is installed.

viz pipes the DOT source to a renderer program, looked for in this order:

1. Graphviz's ``dot`` on PATH (``apt-get install graphviz``, ``brew install
   graphviz``): every format, PDF included;
2. ``graphviz-pure``, a static build of the same layout engine from PyPI
   (``pip install graphviz-pure``, no root needed), on PATH or beside
   ``sys.executable``: a virtual environment's ``bin`` folder is often not
   on PATH when Python is run by its full path. SVG and PNG only.

When neither is there, :class:`RendererNotFoundError` says how to get one.

    >>> viz.render(loss, "graph.svg")       # a Tensor or Scalar is drawn first
    >>> viz.render(graph, "graph.png")      # the format follows the extension
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Renderer", "RendererNotFoundError", "find_renderer", "pipe", "render", "FORMATS"]

RENDERER_NAMES = ("dot", "graphviz-pure")
# File extension -> Graphviz output format (None: the DOT source itself).
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": None, ".gv": None}
_PURE_FORMATS = {"svg", "png"}

INSTALL_HINT = (
    "Install one of them:\n"
    "  apt-get install graphviz      (Debian/Ubuntu, as root; brew install graphviz on macOS)\n"
    "  pip install graphviz-pure     (a static renderer from PyPI: no root needed, SVG and PNG)\n"
    "or write the DOT source instead: viz.render(graph, 'graph.dot').")


class RendererNotFoundError(RuntimeError):
    """Neither Graphviz's ``dot`` nor ``graphviz-pure`` is installed where viz can find it."""


@dataclass(frozen=True)
class Renderer:
    """A renderer program: its name (``dot`` or ``graphviz-pure``) and where it is."""

    name: str
    path: str

    def supports(self, format):
        return self.name == "dot" or format in _PURE_FORMATS


def _candidates(name):
    """Where to look for ``name``: on PATH, then in the folder of the running Python."""
    found = shutil.which(name)
    if found:
        yield found
    folder = Path(sys.executable).parent
    for filename in (name, name + ".exe"):
        path = folder / filename
        if path.is_file() and os.access(path, os.X_OK):
            yield str(path)


def find_renderer(prefer=None):
    """The renderer viz will use: ``dot`` if installed, else ``graphviz-pure``.

    ``prefer`` (``"dot"`` or ``"graphviz-pure"``) asks for that one only.
    Raises :class:`RendererNotFoundError`, naming what to install, when
    there is none.
    """
    names = RENDERER_NAMES if prefer is None else (prefer,)
    if prefer is not None and prefer not in RENDERER_NAMES:
        raise ValueError(f"prefer must be one of {RENDERER_NAMES}, not {prefer!r}")
    for name in names:
        for path in _candidates(name):
            return Renderer(name, path)
    looked = f"on PATH and in {Path(sys.executable).parent}"
    wanted = " nor ".join(f"'{n}'" for n in names)
    if len(names) > 1:
        what = f"viz needs Graphviz to draw graphs, but found neither {wanted} ({looked}).\n"
    else:
        what = f"viz could not find {wanted} ({looked}).\n"
    raise RendererNotFoundError(what + INSTALL_HINT)


def pipe(source, format="svg", renderer=None, timeout=60):
    """Lay out DOT ``source`` and return the picture's bytes in ``format`` (svg, png, pdf)."""
    renderer = renderer or find_renderer()
    if not renderer.supports(format):
        raise ValueError(
            f"{renderer.name} cannot write {format.upper()} (it writes "
            f"{', '.join(sorted(_PURE_FORMATS))}); choose a .svg or .png file, or install "
            f"Graphviz's dot for {format.upper()} (apt-get install graphviz).")
    command = [renderer.path, "-Kdot", f"-T{format}"]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except OSError as error:
        raise RendererNotFoundError(f"could not run {renderer.path}: {error}\n"
                                    + INSTALL_HINT) from error
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{renderer.name} failed (exit code {done.returncode}) on the "
                           f"graph's DOT source: {message or 'no message'}")
    if format == "svg":
        return _preserve_spaces(done.stdout)
    return done.stdout


def _preserve_spaces(svg):
    """Mark the SVG's text as space-preserving, as newer Graphviz does per text element.

    The rows of a matrix are aligned with leading spaces; without
    ``xml:space="preserve"`` (older ``dot`` writes none) viewers strip them.
    """
    start = svg.find(b"<svg")
    end = svg.find(b">", start)
    if start < 0 or end < 0 or b"xml:space" in svg[start:end]:
        return svg
    return svg[:start + 4] + b' xml:space="preserve"' + svg[start + 4:]


def render(graph_or_output, path, renderer=None, **draw_options):
    """Write a picture of a graph to ``path``; the extension picks the format.

    ``graph_or_output`` is a ``graphviz`` graph (what ``draw_graph``
    returns) or a Tensor/Scalar, drawn first with ``draw_options``
    (``params=``, ``show_order=``...). ``.svg``, ``.png`` and ``.pdf``
    are rendered; ``.dot``/``.gv`` write the DOT source and need no
    renderer. Missing folders are created. Returns the path written.
    """
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in FORMATS:
        raise ValueError(f"cannot tell the format of {str(path)!r} from its extension: "
                         f"use one of {', '.join(FORMATS)}")
    graph = graph_or_output
    if not hasattr(graph, "source"):
        from .draw import draw_graph
        graph = draw_graph(graph_or_output, **draw_options)
    elif draw_options:
        raise TypeError(f"drawing options {sorted(draw_options)} apply to a Tensor or "
                        f"Scalar, not to a graph that is already drawn")
    format = FORMATS[extension]
    data = graph.source.encode("utf-8") if format is None else pipe(graph.source, format,
                                                                        renderer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
