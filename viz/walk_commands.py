"""``autodidact walk``, and the walkthrough ``autodidact demo`` writes.

    $ autodidact walk script.py --out walk.html [--var NAME] [--passes N]

The script runs as ``python script.py`` would; its last expression (or
the variable ``--var`` names) is what backward starts from. Tensors,
Scalars and modules' parameters the script names are labelled with their
names. The script must not have called ``backward()`` on it already
without ``retain_graph=True``: the walkthrough runs backward itself.
"""

import argparse
import sys

from .commands import ScriptError, X_DATA, Y_DATA, _named_values, run_script

__all__ = ["walk_command", "demo_walkthrough"]


def walk_command(argv=None):
    """``autodidact walk FILE.py``: write a page that steps through backward from its result."""
    parser = argparse.ArgumentParser(
        prog="autodidact walk",
        description="Run a Python script, then step through the backward pass from its last "
                    "top-level expression (or the variable named by --var), node by node, "
                    "in one HTML page to open in a browser.")
    parser.add_argument("script", metavar="FILE.py", help="the script to run")
    parser.add_argument("--out", metavar="PATH", default="walk.html",
                        help="page to write (default: %(default)s)")
    parser.add_argument("--var", metavar="NAME",
                        help="start from this variable of the script instead of its last "
                             "expression")
    parser.add_argument("--passes", type=int, default=1, metavar="N",
                        help="backward passes to show, without zeroing in between "
                             "(default: %(default)s)")
    parser.add_argument("--max-nodes", type=int, default=None, metavar="N",
                        help="draw at most this many nodes (the rest is one step)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    from .draw import DEFAULT_MAX_NODES
    from .render import RendererNotFoundError
    from .walkthrough import walkthrough

    try:
        value, namespace = run_script(args.script, args.var)
    except ScriptError as error:
        print(f"autodidact walk: {error}", file=sys.stderr)
        return 1
    what = f"--var {args.var}" if args.var else "the script's last expression"
    try:
        page = walkthrough(value, params=_named_values(namespace), passes=args.passes,
                           max_nodes=args.max_nodes or DEFAULT_MAX_NODES)
    except (TypeError, ValueError, RuntimeError, RendererNotFoundError) as error:
        print(f"autodidact walk: {what}: {error}", file=sys.stderr)
        return 1
    path = page.save(args.out)
    print(f"Wrote {path} ({len(page.steps)} steps): open it in a browser "
          "(arrow keys step, space plays)")
    return 0


def demo_walkthrough(out, passes=2):
    """Write ``walkthrough.html`` into ``out``: the seed's model, ``passes`` backward passes."""
    import autodidact

    from .walkthrough import walkthrough
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor(X_DATA)
    y = autodidact.tensor(Y_DATA)
    y_pred = w * x
    error = y_pred - y
    loss = (error ** 2).mean()
    params = {"w": w, "x": x, "y": y, "y_pred": y_pred, "error": error, "loss": loss}
    page = walkthrough(loss, params=params, passes=passes,
                       title=f"loss = ((w * x - y) ** 2).mean(): {passes} backward passes, "
                             "no zero_grad()")
    return page.save(out / "walkthrough.html")
