"""viz's matplotlib plots: made headless, each returning its Figure."""

import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autodidact
from autodidact.scalar import Scalar

import viz

PNG = b"\x89PNG\r\n\x1a\n"


def reference_run(zero, x_data=(1.0, 2.0, 3.0), y_data=(2.0, 4.0, 6.0), w=1.0, lr=0.01,
                  epochs=10):
    """The seed's loop in plain floats: d/dw (w x - y)^2 = 2 x (w x - y)."""
    grad, ws = 0.0, []
    for _ in range(epochs):
        for x, y in zip(x_data, y_data):
            grad += 2 * x * (w * x - y)
            w -= lr * grad
            if zero:
                grad = 0.0
            ws.append(w)
    return ws


def test_zero_grad_experiment_matches_the_seed_by_hand():
    result = viz.zero_grad_experiment()
    assert len(result.zeroed.w) == len(result.accumulated.w) == 30
    np.testing.assert_allclose(result.zeroed.w, reference_run(True), rtol=1e-5)
    np.testing.assert_allclose(result.accumulated.w, reference_run(False), rtol=1e-5)
    assert result.zeroed.final_w == pytest.approx(1.9512, abs=1e-4)
    assert result.accumulated.final_w == pytest.approx(2.9850, abs=1e-3)
    # Same start, same first step; then the accumulated gradient takes over.
    assert result.zeroed.grad[0] == result.accumulated.grad[0] == pytest.approx(-2.0)
    assert result.accumulated.grad[1] == pytest.approx(-2.0 + 2 * 2 * (result.zeroed.w[0] * 2 - 4))
    assert result.target_w == 2.0
    assert result.zeroed.loss[-1] < 0.02 < 1 < result.accumulated.loss[-1]
    assert result.zeroed.steps == list(range(1, 31))


def test_zero_grad_experiment_options():
    result = viz.zero_grad_experiment(x_data=[1.0], y_data=[3.0], w0=0.0, lr=0.1, epochs=2)
    assert result.zeroed.w == pytest.approx(reference_run(True, [1.0], [3.0], 0.0, 0.1, 2))
    assert result.target_w == 3.0


def test_pitfall_plot(tmp_path):
    from matplotlib.figure import Figure
    fig = viz.plot_zero_grad_pitfall()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["gradient used: w.grad", "the weight w after each step",
                      "loss on all samples"]
    for ax in fig.axes:
        assert len([line for line in ax.get_lines() if len(line.get_xdata()) == 30]) == 2
    assert "1.9512" in fig._suptitle.get_text() and "2.9850" in fig._suptitle.get_text()
    fig.savefig(tmp_path / "p.png")
    fig.savefig(tmp_path / "p.svg")
    assert (tmp_path / "p.png").read_bytes()[:8] == PNG
    ET.parse(tmp_path / "p.svg")


def test_pitfall_plot_takes_a_result():
    result = viz.zero_grad_experiment(epochs=2)
    fig = viz.plot_zero_grad_pitfall(result)
    assert len(fig.axes[1].get_lines()[0].get_xdata()) == 6


def test_grad_recorder_and_history_plot(tmp_path):
    w = autodidact.tensor([1.0, -2.0], requires_grad=True)
    b = autodidact.tensor([0.5], requires_grad=True)
    recorder = viz.GradRecorder({"w": w, "b": b})
    recorder.record()                      # before any backward: gaps
    for _ in range(3):
        ((w * 3).sum() + b.sum() * 2).backward()
        recorder()
    assert math.isnan(recorder.history["w"][0])
    assert recorder.history["w"][1:] == pytest.approx([math.sqrt(18), math.sqrt(72),
                                                       math.sqrt(162)])
    assert recorder.history["b"][1:] == pytest.approx([2.0, 4.0, 6.0])
    fig = viz.plot_grad_history(recorder)
    [ax] = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["w", "b"]
    assert ax.get_yscale() == "linear"
    fig.savefig(tmp_path / "h.png")
    assert (tmp_path / "h.png").read_bytes()[:8] == PNG


def test_grad_recorder_mean_scalars_and_modules():
    x = Scalar(2.0, label="x")
    (x * -3.0).backward()

    class Model:
        def named_parameters(self):
            return iter([("x", x)])

    recorder = viz.GradRecorder(Model(), stat="mean")
    recorder.record()
    assert recorder.history == {"x": [-3.0]}
    with pytest.raises(ValueError, match="stat"):
        viz.GradRecorder({}, stat="max")


def test_grad_history_from_a_dict_uses_log_scale_for_wide_ranges():
    fig = viz.plot_grad_history({"vanishing": [1.0, 1e-2, 1e-4, 1e-6]}, title="t")
    assert fig.axes[0].get_yscale() == "log" and fig.axes[0].get_title() == "t"
    with pytest.raises(ValueError, match="nothing to plot"):
        viz.plot_grad_history({})


class TinyClassifier:
    """Two-class logits from a fixed linear map: class 1 where x1 + x2 > 0."""

    def __init__(self, one_logit=False):
        self.one_logit = one_logit
        self.calls = []

    def __call__(self, X):
        self.calls.append((X.dtype, tuple(X.shape), X.requires_grad))
        if self.one_logit:
            return X @ autodidact.tensor([[1.0], [1.0]])
        return X @ autodidact.tensor([[-1.0, 1.0], [-1.0, 1.0]])


@pytest.mark.parametrize("one_logit", [False, True])
def test_decision_boundary(one_logit, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)).astype(np.float32)
    y = (X.sum(axis=1) > 0).astype(np.int64)
    model = TinyClassifier(one_logit)
    fig = viz.plot_decision_boundary(model, autodidact.tensor(X), autodidact.tensor(y),
                                     resolution=50)
    assert model.calls[0] == (autodidact.float32, (2500, 2), False)
    [ax] = fig.axes
    assert ax.get_title() == "Decision boundary (accuracy 100%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    fig.savefig(tmp_path / "b.png")
    assert (tmp_path / "b.png").read_bytes()[:8] == PNG


def test_decision_boundary_runs_the_model_on_its_device(device):
    weight = autodidact.tensor([[-1.0, 1.0], [-1.0, 1.0]], device=device)

    class Model:
        def parameters(self):
            return iter([weight])

        def __call__(self, X):
            assert X.device == weight.device
            return X @ weight

    X = np.array([[1.0, 1.0], [-1.0, -1.0]], dtype=np.float32)
    fig = viz.plot_decision_boundary(Model(), X, np.array([1, 0]), resolution=20)
    assert fig.axes[0].get_title() == "Decision boundary (accuracy 100%)"


def test_grad_recorder_on_a_device(device):
    w = autodidact.tensor([3.0, 4.0], requires_grad=True, device=device)
    (w * w).sum().backward()
    recorder = viz.GradRecorder([("w", w)])
    recorder.record()
    assert recorder.history["w"] == [pytest.approx(10.0)]


def test_decision_boundary_checks_its_input():
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        viz.plot_decision_boundary(TinyClassifier(), np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="4 points but y has 3"):
        viz.plot_decision_boundary(TinyClassifier(), np.zeros((4, 2)), np.zeros(3))


def test_plots_run_headless(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    code = ("import viz, sys; fig = viz.plot_grad_history({'w': [3.0, 2.0, 1.0]}); "
            f"fig.savefig({str(tmp_path / 'z.png')!r}); "
            "assert 'matplotlib.pyplot' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    assert (tmp_path / "z.png").read_bytes()[:8] == PNG
