"""examples/: each program runs and prints what it promises.

The seed's linear model must print PyTorch 2.13's transcript exactly
(reference §17); with its two import lines changed back, the same file
runs on PyTorch and prints the same.
"""

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Reference §17, PyTorch 2.13, float32.
SEED_TRANSCRIPT = """\
predict (before training) 4 tensor(4.)
\tgrad:  1.0 2.0 tensor(-2.)
\tgrad:  2.0 4.0 tensor(-7.8400)
\tgrad:  3.0 6.0 tensor(-16.2288)
progress: 0 tensor(7.3159)
\tgrad:  1.0 2.0 tensor(-1.4786)
\tgrad:  2.0 4.0 tensor(-5.7962)
\tgrad:  3.0 6.0 tensor(-11.9981)
progress: 1 tensor(3.9988)
\tgrad:  1.0 2.0 tensor(-1.0932)
\tgrad:  2.0 4.0 tensor(-4.2852)
\tgrad:  3.0 6.0 tensor(-8.8704)
progress: 2 tensor(2.1857)
\tgrad:  1.0 2.0 tensor(-0.8082)
\tgrad:  2.0 4.0 tensor(-3.1681)
\tgrad:  3.0 6.0 tensor(-6.5580)
progress: 3 tensor(1.1946)
\tgrad:  1.0 2.0 tensor(-0.5975)
\tgrad:  2.0 4.0 tensor(-2.3422)
\tgrad:  3.0 6.0 tensor(-4.8484)
progress: 4 tensor(0.6530)
\tgrad:  1.0 2.0 tensor(-0.4417)
\tgrad:  2.0 4.0 tensor(-1.7316)
\tgrad:  3.0 6.0 tensor(-3.5845)
progress: 5 tensor(0.3569)
\tgrad:  1.0 2.0 tensor(-0.3266)
\tgrad:  2.0 4.0 tensor(-1.2802)
\tgrad:  3.0 6.0 tensor(-2.6500)
progress: 6 tensor(0.1951)
\tgrad:  1.0 2.0 tensor(-0.2414)
\tgrad:  2.0 4.0 tensor(-0.9465)
\tgrad:  3.0 6.0 tensor(-1.9592)
progress: 7 tensor(0.1066)
\tgrad:  1.0 2.0 tensor(-0.1785)
\tgrad:  2.0 4.0 tensor(-0.6997)
\tgrad:  3.0 6.0 tensor(-1.4485)
progress: 8 tensor(0.0583)
\tgrad:  1.0 2.0 tensor(-0.1320)
\tgrad:  2.0 4.0 tensor(-0.5173)
\tgrad:  3.0 6.0 tensor(-1.0709)
progress: 9 tensor(0.0319)
predict (after training) 4 tensor(7.8049)
"""


def run(path, cwd=None, source=None):
    """Run an example (or ``source`` in its place) in a fresh interpreter; return stdout."""
    args = [sys.executable, str(path)] if source is None else [sys.executable, "-c", source]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120,
                            cwd=cwd or EXAMPLES.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_seed_linear_model_is_the_seeds_code_with_its_imports_changed():
    source = (EXAMPLES / "seed_linear_model.py").read_text()
    assert "import autodidact as torch\nfrom autodidact.autograd import Variable\n" in source
    for line in ("x_data = [1.0, 2.0, 3.0]", "y_data = [2.0, 4.0, 6.0]",
                 "w = Variable(torch.Tensor([1.0]), requires_grad=True)",
                 "w.data = w.data - 0.01 * w.grad.data", "w.grad.data.zero_()"):
        assert line in source


def test_seed_linear_model_prints_pytorchs_transcript():
    assert run(EXAMPLES / "seed_linear_model.py") == SEED_TRANSCRIPT


def test_seed_linear_model_runs_on_pytorch_with_the_import_lines_changed(torch_oracle):
    source = (EXAMPLES / "seed_linear_model.py").read_text()
    source = source.replace("import autodidact as torch", "import torch").replace(
        "from autodidact.autograd import", "from torch.autograd import")
    assert run(None, source=source) == SEED_TRANSCRIPT


def test_seed_linear_model_with_sgd_reaches_the_same_weight(tmp_path):
    out = run(EXAMPLES / "seed_linear_model_sgd.py", cwd=tmp_path)   # from any directory
    lines = out.splitlines()
    assert lines[0] == "predict (before training) 4 4.0"
    assert "\tgrad:  3.0 6.0 -16.2288" in lines
    assert "progress: 9 0.0319" in lines
    assert lines[-2:] == ["predict (after training) 4 7.8049", "w = 1.951216"]


def test_two_moons_classifier_reaches_97_percent(tmp_path):
    out = run(EXAMPLES / "two_moons_classifier.py", cwd=tmp_path)
    assert "Sequential(" in out and "step   0" in out
    accuracy = float(re.search(r"final training accuracy: ([\d.]+)%", out).group(1))
    assert accuracy >= 97.0, out
