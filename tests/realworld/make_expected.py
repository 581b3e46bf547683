"""Store PyTorch's output for the corpus programs in tests/realworld/expected/.

    python tests/realworld/make_expected.py                 # every program
    python tests/realworld/make_expected.py polynomial_tensor two_layer_net_tensor

Run it (with PyTorch installed) after adding or changing a program; the
suite then checks autodidact against these files, and its oracle test
re-runs PyTorch to prove they are current.
"""

import os
import sys

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


def main(names):
    import torch
    torch.set_num_threads(1)
    harness.EXPECTED.mkdir(exist_ok=True)
    for name in names or harness.program_names():
        # Addresses (0x...) are masked, so that the file is the same on every run.
        text = harness.normalise(harness.run_program(name, "torch"), ours=False)
        harness.expected_path(name).write_text(text)
        print("wrote", harness.expected_path(name).relative_to(harness.HERE.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
