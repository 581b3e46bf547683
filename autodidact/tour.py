"""`autodidact demo`: a short tour of tensors and autograd.

Each step below is real code, run as the interactive prompt would run it
(expressions echo their value), with `torch` bound to autodidact: the
same lines run unchanged on PyTorch, which is the point of the API.
"""

import argparse
import sys

TOUR = [
    ("Tensors", [
        "x = torch.tensor([[1., 2.], [3., 4.]])",
        "torch.zeros(2, 3)",
        "torch.arange(6).view(2, 3)",
        "x.shape, x.dtype",
    ]),
    ("Arithmetic, broadcasting, reductions", [
        "x + torch.tensor([10., 20.])",
        "x @ x",
        "x.sum(), x.mean(dim=0)",
    ]),
    ("Dtypes promote as in PyTorch", [
        "i = torch.arange(3)",
        "i.dtype, (i / 2).dtype",
    ]),
    ("The NumPy bridge shares memory", [
        "a = x.numpy(); a[0, 0] = 100.",
        "x[0]",
    ]),
    ("Autograd: d/dw (3w - 6)^2 = 6(3w - 6)", [
        "w = torch.tensor([1.0], requires_grad=True)",
        "loss = ((w * 3 - 6) ** 2).sum()",
        "loss.backward()",
        "w.grad",
        "with torch.no_grad():\n    w -= 0.05 * w.grad",
        "w",
    ]),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="autodidact demo",
        description="A short tour of autodidact's tensors and autograd.")
    parser.add_argument("--out", metavar="DIR", default="autodidact-out",
                        help="folder for the tour's pictures (default: %(default)s)")
    return parser.parse_args(argv)


def run_step(source, namespace):
    """Print `source` with prompts, then run it as the interactive prompt would."""
    lines = source.splitlines()
    print(">>> " + lines[0])
    for line in lines[1:]:
        print("... " + line)
    exec(compile(source + "\n", "<tour>", "single"), namespace)


def tour(torch):
    """Print the tour, running every step against the module `torch`."""
    print(f"autodidact tour: every line runs as shown, with `import {torch.__name__} as torch`.")
    namespace = {"torch": torch}
    for number, (heading, steps) in enumerate(TOUR, start=1):
        print(f"== {number}. {heading} ==")
        for source in steps:
            run_step(source, namespace)


def main(argv=None):
    """Entry point of `autodidact demo`; returns the exit code."""
    parse_args(sys.argv[1:] if argv is None else argv)
    import autodidact
    tour(autodidact)
    return 0
