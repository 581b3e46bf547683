"""Plots for the lessons: the zero-grad pitfall, gradient histories, decision boundaries.

Each function returns a matplotlib ``Figure`` made without pyplot, so it
works headless (no display, no backend to choose) and leaves no figure
open behind it. Save it with ``fig.savefig("plot.png")``; in Jupyter a
returned Figure shows inline.

The experiment behind the pitfall is one function,
:func:`zero_grad_experiment`, shared by the demo, the lessons and the
examples: the seed's linear model ``y = w * x``, trained twice from the
same start, once zeroing ``w.grad`` after each step and once not.

    >>> result = viz.zero_grad_experiment()
    >>> result.zeroed.final_w, result.accumulated.final_w
    (1.9512..., 2.9850...)
    >>> viz.plot_zero_grad_pitfall(result).savefig("zero_grad.png")
"""

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["TrainingHistory", "PitfallResult", "zero_grad_experiment", "plot_zero_grad_pitfall",
           "GradRecorder", "plot_grad_history", "plot_decision_boundary"]

# Okabe-Ito colours: distinct for colour-blind eyes and on a projector.
BLUE, ORANGE, GREEN, PINK, SKY, YELLOW = ("#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                           "#56B4E9", "#E69F00")
PALETTE = (BLUE, ORANGE, GREEN, PINK, SKY, YELLOW)

_STYLE = {
    "font.size": 14, "axes.titlesize": 16, "axes.labelsize": 14, "legend.fontsize": 13,
    "xtick.labelsize": 13, "ytick.labelsize": 13, "axes.linewidth": 1.2,
    "axes.grid": True, "grid.alpha": 0.35, "figure.facecolor": "white",
    "savefig.facecolor": "white", "svg.fonttype": "none",
}


def _figure(**kwargs):
    """A new Figure outside pyplot (headless), with viz's readable style."""
    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context(_STYLE):
        return Figure(layout="constrained", **kwargs)


def _styled(function):
    """Run ``function`` with viz's style, so that the axes it makes follow it."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        import matplotlib
        with matplotlib.rc_context(_STYLE):
            return function(*args, **kwargs)
    return wrapper


# ------------------------------------------------------- the zero-grad pitfall

@dataclass
class TrainingHistory:
    """One training run, step by step.

    Per step: ``sample_loss``, the loss of the step's one sample (what the
    seed prints); ``grad``, the ``w.grad`` the step used; ``w`` after the
    step; ``loss``, the mean loss over all samples with that ``w``.
    """

    label: str
    sample_loss: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    grad: list = field(default_factory=list)
    w: list = field(default_factory=list)

    @property
    def final_w(self):
        return self.w[-1]

    @property
    def steps(self):
        return list(range(1, len(self.w) + 1))


@dataclass
class PitfallResult:
    """Both runs of :func:`zero_grad_experiment`, from the same start."""

    zeroed: TrainingHistory
    accumulated: TrainingHistory
    w0: float
    lr: float
    target_w: float


def zero_grad_experiment(x_data=(1.0, 2.0, 3.0), y_data=(2.0, 4.0, 6.0), w0=1.0, lr=0.01,
                         epochs=10):
    """Train the seed's model ``y_pred = w * x`` twice: zeroing ``w.grad`` each step, and not.

    One step per sample, as in the seed: ``loss = (w * x - y) ** 2``,
    ``loss.backward()``, ``w.data -= lr * w.grad.data``, and, in the first
    run only, ``w.grad.data.zero_()``. Without that last line every
    backward adds to the gradients of all the steps before it, and ``w``
    overshoots. Returns a :class:`PitfallResult`.
    """
    import autodidact

    def train(zero, label):
        history = TrainingHistory(label)
        samples = list(zip(x_data, y_data))
        w = autodidact.tensor([float(w0)], requires_grad=True)
        for _ in range(epochs):
            for x, y in zip(x_data, y_data):
                loss = (w * x - y) ** 2
                loss.backward()
                history.sample_loss.append(loss.item())
                history.grad.append(w.grad.item())
                w.data -= lr * w.grad.data
                if zero:
                    w.grad.data.zero_()
                history.w.append(w.item())
                history.loss.append(sum((w.item() * a - b) ** 2 for a, b in samples) / len(samples))
        return history

    # The least-squares answer, to draw as the target: sum(xy) / sum(x^2).
    target = sum(x * y for x, y in zip(x_data, y_data)) / sum(x * x for x in x_data)
    return PitfallResult(zeroed=train(True, "w.grad zeroed each step"),
                         accumulated=train(False, "never zeroed: gradients accumulate"),
                         w0=float(w0), lr=float(lr), target_w=target)


@_styled
def plot_zero_grad_pitfall(result=None, **experiment_options):
    """Side by side, per step: ``w.grad``, ``w`` and the loss, with and without zeroing.

    ``result`` comes from :func:`zero_grad_experiment` (run here with
    ``experiment_options`` when not given). Returns the Figure.
    """
    if result is None:
        result = zero_grad_experiment(**experiment_options)
    fig = _figure(figsize=(15, 5.6))
    axes = fig.subplots(1, 3)
    runs = ((result.zeroed, BLUE, "-", "o"), (result.accumulated, ORANGE, "--", "s"))
    panels = (("grad", "gradient used: w.grad", "w.grad"),
              ("w", "the weight w after each step", "w"),
              ("loss", "loss on all samples", "mean loss (log scale)"))
    for ax, (attribute, title, ylabel) in zip(axes, panels):
        for history, color, linestyle, marker in runs:
            ax.plot(history.steps, getattr(history, attribute), color=color, linestyle=linestyle,
                    linewidth=2.5, marker=marker, markersize=4, label=history.label)
        ax.set_title(title)
        ax.set_xlabel("step (one sample each)")
        ax.set_ylabel(ylabel)
    axes[0].axhline(0.0, color="black", linewidth=1)
    axes[1].axhline(result.target_w, color="black", linestyle=":", linewidth=2,
                    label=f"best w = {result.target_w:g}")
    axes[2].set_yscale("log")
    fig.legend(*axes[1].get_legend_handles_labels(), loc="outside lower center", ncols=3,
               framealpha=0.95)
    fig.suptitle(f"Forgetting zero_grad(): final w = {result.zeroed.final_w:.4f} with zeroing, "
                 f"{result.accumulated.final_w:.4f} without (lr = {result.lr:g}, "
                 f"start w = {result.w0:g})", fontsize=17, fontweight="bold")
    return fig


# ----------------------------------------------------------- gradient history

class GradRecorder:
    """Records the gradient of each named parameter, once per :meth:`record` call.

    ``params`` is a ``{name: tensor}`` mapping, ``(name, tensor)`` pairs
    or a module with ``named_parameters()``. Each call appends, per name,
    the L2 norm of ``.grad`` (``stat="norm"``) or its mean (``"mean"``,
    which keeps the sign of a one-number gradient); a missing gradient
    is recorded as NaN, a gap in the plot.

        >>> recorder = viz.GradRecorder(model)
        >>> for step in ...: loss.backward(); recorder.record(); optimizer.step(); ...
        >>> viz.plot_grad_history(recorder)
    """

    def __init__(self, params, stat="norm"):
        if stat not in ("norm", "mean"):
            raise ValueError(f"stat must be 'norm' or 'mean', not {stat!r}")
        if hasattr(params, "named_parameters") and not isinstance(params, dict):
            params = params.named_parameters()
        items = params.items() if hasattr(params, "items") else params
        self.params = [(str(name), tensor) for name, tensor in items]
        self.stat = stat
        self.history = {name: [] for name, _ in self.params}

    def record(self):
        """Append the current gradient of every parameter; call it after ``backward()``."""
        for name, tensor in self.params:
            self.history[name].append(self._statistic(tensor.grad))

    __call__ = record

    def _statistic(self, grad):
        if grad is None:
            return math.nan
        if isinstance(grad, (int, float)):   # a Scalar's gradient
            return abs(float(grad)) if self.stat == "norm" else float(grad)
        array = _numpy(grad).astype(np.float64)
        if self.stat == "norm":
            return float(np.sqrt((array ** 2).sum()))
        return float(array.mean()) if array.size else math.nan


@_styled
def plot_grad_history(history, title=None, logy=None):
    """One line per parameter: its gradient (as recorded) against the step.

    ``history`` is a :class:`GradRecorder` or a ``{name: [values]}``
    mapping. ``logy`` picks a log scale; by default it is used when all
    values are positive and span more than three orders of magnitude.
    """
    stat = "norm"
    if isinstance(history, GradRecorder):
        stat, history = history.stat, history.history
    if not history:
        raise ValueError("nothing to plot: the history has no parameters "
                         "(call GradRecorder.record() after each backward())")
    fig = _figure(figsize=(9, 5.2))
    ax = fig.subplots()
    values = []
    for number, (name, series) in enumerate(history.items()):
        series = [float(v) for v in series]
        values += [v for v in series if not math.isnan(v)]
        ax.plot(range(1, len(series) + 1), series, color=PALETTE[number % len(PALETTE)],
                linestyle=("-", "--", "-.", ":")[number // len(PALETTE) % 4], linewidth=2.5,
                label=str(name))
    if logy is None:
        logy = bool(values) and min(values) > 0 and max(values) / min(values) > 1e3
    if logy:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("step")
    ax.set_ylabel("gradient norm ||grad||" if stat == "norm" else "mean gradient")
    ax.set_title(title or "Gradients during training")
    if len(history) <= 12:
        ax.legend(loc="best", framealpha=0.95)
    return fig


# ----------------------------------------------------------- decision boundary

@_styled
def plot_decision_boundary(model, X, y, resolution=200, padding=0.5, title=None, device=None):
    """The classes ``model`` predicts over the plane, with the points ``X`` coloured by ``y``.

    ``model`` is called on an (N, 2) float32 Tensor and returns logits:
    (N, C) for C classes (argmax), or (N,)/(N, 1) for two (positive
    means class 1). It runs under ``no_grad()``, on ``device`` (by
    default the device of the model's first parameter, else the CPU).
    ``X`` is (N, 2), ``y`` (N,) integer labels, as Tensors or arrays.
    Returns the Figure.
    """
    import autodidact
    from matplotlib.colors import ListedColormap

    X, y = _numpy(X).astype(np.float64), _numpy(y).astype(np.int64).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2) (two features to plot), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels")
    (x0, y0), (x1, y1) = X.min(axis=0) - padding, X.max(axis=0) + padding
    xs, ys = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32)

    if device is None:
        device = _model_device(model)

    def predict(points):
        with autodidact.no_grad():
            inputs = autodidact.tensor(points, dtype=autodidact.float32, device=device)
            logits = _numpy(model(inputs))
        if logits.ndim == 1 or logits.shape[-1] == 1:
            return (logits.reshape(-1) > 0).astype(np.int64)
        return logits.argmax(axis=-1)

    regions = predict(grid).reshape(xs.shape)
    n_classes = int(max(regions.max(), y.max() if y.size else 0)) + 1
    colors = [PALETTE[i % len(PALETTE)] for i in range(n_classes)]
    fig = _figure(figsize=(7.5, 6.5))
    ax = fig.subplots()
    ax.contourf(xs, ys, regions, levels=np.arange(n_classes + 1) - 0.5,
                cmap=ListedColormap(colors), alpha=0.25)
    ax.contour(xs, ys, regions, levels=np.arange(n_classes) + 0.5, colors="black",
               linewidths=2)
    for label in range(n_classes):
        mask = y == label
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=36, color=colors[label], edgecolors="black",
                       linewidths=0.8, marker="os^Dv<>"[label % 7], label=f"class {label}")
    accuracy = float((predict(X.astype(np.float32)) == y).mean()) if y.size else float("nan")
    ax.set_title(title or f"Decision boundary (accuracy {accuracy:.0%})")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.legend(loc="best", framealpha=0.95)
    return fig


def _model_device(model):
    """The device of the model's first parameter, or None (the CPU) when it has none."""
    parameters = getattr(model, "parameters", None)
    if callable(parameters):
        for p in parameters():
            return p.device
    return None


def _numpy(value):
    """A NumPy array from a Tensor (detached, on the CPU), an array or a list."""
    data = getattr(value, "_data", None)
    if data is not None:
        return data if isinstance(data, np.ndarray) else data.get()
    return np.asarray(value)
