"""What every lesson shares: where its pictures go, a plot style for the projector, saving.

    from lessons.course import Lesson
    lesson = Lesson(3)                   # pictures go to autodidact-out/lesson-03/
    fig, ax = lesson.figure()            # a headless matplotlib Figure, projector style
    ...
    lesson.save(fig, "broadcasting", "a (3, 1) column plus a (1, 4) row: a (3, 4) grid")

``save`` writes ``NAME.svg`` and ``NAME.png`` (1024x768 for a lesson's own
plots) and prints where to look. The folder is ``$AUTODIDACT_LESSON_OUT``
when that is set (the tests, and ``autodidact lesson N --out DIR``, set
it), else ``autodidact-out/lesson-NN/`` under the current folder: never
inside the course's own files.

Nothing here is part of autodidact: it only keeps the lessons short.
"""

import os
import sys
import time
from pathlib import Path

__all__ = ["Lesson", "Picture", "output_folder", "draw_numbers", "draw_symbol", "COLORS",
           "OUT_ENV"]

OUT_ENV = "AUTODIDACT_LESSON_OUT"
GRAPH_DATA_ENV = "AUTODIDACT_GRAPH_DATA"   # set: save() also writes each graph's data as JSON

# Okabe-Ito: colours that stay apart for colour-blind eyes and on a washed-out projector.
COLORS = {"blue": "#0072B2", "orange": "#D55E00", "green": "#009E73", "pink": "#CC79A7",
          "sky": "#56B4E9", "yellow": "#E69F00", "black": "#000000", "grey": "#606060"}

# At 100 dpi a 10.24 x 7.68 inch figure is a 1024 x 768 PNG, and 14 pt is 19 pixels:
# readable from the back of a classroom. Nothing smaller than 14 pt.
PROJECTOR_STYLE = {
    "figure.figsize": (10.24, 7.68), "figure.dpi": 100, "savefig.dpi": 100,
    "font.size": 16, "axes.titlesize": 19, "axes.titleweight": "bold", "axes.labelsize": 17,
    "xtick.labelsize": 15, "ytick.labelsize": 15, "legend.fontsize": 15,
    "figure.titlesize": 20, "figure.titleweight": "bold",
    "lines.linewidth": 3, "lines.markersize": 8, "axes.linewidth": 1.5,
    "axes.grid": True, "grid.alpha": 0.4, "grid.color": "#808080",
    "text.color": "black", "axes.labelcolor": "black", "xtick.color": "black",
    "ytick.color": "black", "axes.edgecolor": "black",
    "figure.facecolor": "white", "savefig.facecolor": "white", "svg.fonttype": "none",
}


def output_folder(number):
    """Where lesson ``number`` writes its pictures (made if missing)."""
    chosen = os.environ.get(OUT_ENV)
    if chosen:
        folder = Path(chosen)
    else:
        here = Path.cwd()
        name = f"lesson-{number:02d}"
        # Opened as a notebook from its own output folder (autodidact lesson N
        # --notebook writes it there): write beside the notebook, not deeper.
        if here.name == name and here.parent.name == "autodidact-out":
            folder = here
        else:
            folder = here / "autodidact-out" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _in_notebook():
    """True inside a Jupyter kernel (where a saved picture is also shown inline)."""
    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Picture:
    """The files one ``Lesson.save`` wrote; a notebook shows the PNG inline."""

    def __init__(self, paths):
        self.paths = list(paths)

    @property
    def png(self):
        return next((p for p in self.paths if p.suffix == ".png"), None)

    def _repr_png_(self):
        return self.png.read_bytes() if self.png else None

    def __repr__(self):
        return "Picture(" + ", ".join(str(p) for p in self.paths) + ")"


class Lesson:
    """One lesson's output folder and pictures.

    Creating it switches matplotlib to the projector style for the rest of
    the lesson (the lesson runs in its own Python process or kernel).
    """

    def __init__(self, number):
        import matplotlib
        from cycler import cycler
        matplotlib.rcParams.update(PROJECTOR_STYLE)
        matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(COLORS.values())[:6])
        self.number = number
        self.folder = output_folder(number)
        self.written = []
        self._said_no_renderer = False
        self._start = time.perf_counter()
        print(f"[lesson {number}: pictures go to {self._show(self.folder)}/]")

    def figure(self, nrows=1, ncols=1, **kwargs):
        """A new ``(figure, axes)``, made without pyplot: no window ever opens."""
        from matplotlib.figure import Figure
        fig = Figure(layout="constrained", figsize=kwargs.pop("figsize", None))
        axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
        return fig, axes

    def save(self, picture, name, what):
        """Write ``picture`` (a matplotlib Figure or a viz graph) as NAME.svg and NAME.png.

        Prints the PNG's path and ``what`` the student should look for in it;
        in a notebook, also shows the picture below the cell.
        """
        svg, png = self.folder / f"{name}.svg", self.folder / f"{name}.png"
        if hasattr(picture, "source"):        # a graphviz graph from viz.draw_graph
            import viz
            if os.environ.get(GRAPH_DATA_ENV) and getattr(picture, "data", None):
                # The graph as data too, for the golden files (tests/golden_graphs.py).
                import json
                (self.folder / f"{name}.graph.json").write_text(json.dumps(picture.data))
            try:
                viz.render(picture, svg)
                viz.render(picture, png)
                paths = [svg, png]
            except viz.RendererNotFoundError:
                paths = [viz.render(picture, self.folder / f"{name}.dot")]
                if not self._said_no_renderer:      # once a lesson, in one line
                    print("  (no Graphviz renderer: graphs are written as .dot text; "
                          "pip install graphviz-pure draws them, or apt-get install graphviz)")
                    self._said_no_renderer = True
        else:                                 # a matplotlib Figure
            picture.savefig(svg)
            # About 1024 pixels wide: a smaller figure (viz's plots) is scaled up,
            # text and all, so that it fills a projected slide as ours do.
            width = picture.get_size_inches()[0]
            picture.savefig(png, dpi=min(160, max(100, round(1024 / width))))
            paths = [svg, png]
        self.written += paths
        print(f"  >> look at {self._show(paths[-1])}: {what}")
        if _in_notebook():
            from IPython.display import display
            display(Picture(paths))

    def done(self):
        """Say what was written, and how to go on."""
        seconds = time.perf_counter() - self._start
        pictures = sorted({p.stem for p in self.written})
        print(f"\n[lesson {self.number} done in {seconds:.1f} s: {len(pictures)} "
              f"picture{'s' if len(pictures) != 1 else ''} "
              f"({', '.join(pictures)}) in {self._show(self.folder)}/, as .svg and .png]")
        print(f"[exercises: autodidact exercises start {self.number}, "
              f"then autodidact exercises check {self.number}]")

    @staticmethod
    def _show(path):
        try:
            return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)


def draw_numbers(ax, values, title=None, highlight=None, at=(0, 0), color=COLORS["sky"],
                 fmt=None):
    """Draw a 1-D or 2-D array as a grid of boxes with its numbers written in them.

    Boxes are one unit wide, the top-left corner at ``at`` (x to the right,
    y downwards), so several arrays drawn in one ``ax`` share a scale.
    ``highlight`` is a boolean array of the same shape: those boxes are
    filled. Returns the (width, height) the grid took.
    """
    import numpy as np
    from matplotlib.patches import Rectangle

    array = np.asarray(values)
    if array.ndim < 2:
        array = array.reshape(1, -1)
    marks = np.zeros(array.shape, bool) if highlight is None else \
        np.asarray(highlight, bool).reshape(array.shape)
    rows, cols = array.shape
    if fmt is None:
        whole = array.dtype.kind in "iub" or bool(np.all(np.mod(array, 1) == 0))
        fmt = "{:.0f}" if whole else "{:.2f}"
    x0, y0 = at
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((x0 + j, y0 + i), 1, 1, edgecolor="black", linewidth=1.5,
                                   facecolor=color if marks[i, j] else "white"))
            value = array[i, j]
            text = str(bool(value)) if array.dtype.kind == "b" else fmt.format(value)
            ax.text(x0 + j + 0.5, y0 + i + 0.5, text, ha="center", va="center", fontsize=16,
                    fontweight="bold" if marks[i, j] else "normal")
    if title:
        ax.text(x0 + cols / 2, y0 - 0.25, title, ha="center", va="bottom", fontsize=17,
                fontweight="bold")
    top = y0 - (0.9 if title else 0.1)
    ax.update_datalim([(x0 - 0.1, top), (x0 + cols + 0.1, y0 + rows + 0.1)])
    ax.autoscale_view()
    if not ax.yaxis_inverted():
        ax.invert_yaxis()
    ax.set_aspect("equal")
    ax.axis("off")
    return cols, rows


def draw_symbol(ax, symbol, at):
    """Write an operator (``+``, ``=``, an arrow) between grids drawn by draw_numbers."""
    ax.text(at[0], at[1], symbol, ha="center", va="center", fontsize=30, fontweight="bold")
