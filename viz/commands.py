"""viz's commands: ``autodidact demo`` and ``autodidact graph``.

``autodidact/cli.py`` only dispatches; the code of each command lives here,
with what it serves, and is imported when the command runs.

    $ autodidact demo [--out DIR]
    $ autodidact graph script.py --out graph.svg [--var NAME]
"""

import argparse
import ast
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

__all__ = ["demo", "graph_command", "run_script", "seed_graph"]

X_DATA = (1.0, 2.0, 3.0)
Y_DATA = (2.0, 4.0, 6.0)


# ----------------------------------------------------------------------- demo

def seed_graph(passes=1):
    """The seed's linear model on all three samples, after ``passes`` backward calls.

    Each pass builds ``loss = ((w * x - y) ** 2).mean()`` again and calls
    ``loss.backward()`` without zeroing ``w.grad``, as a training loop that
    forgot ``zero_grad()`` would. The intermediate tensors are kept (and
    named) so that the drawing can show their values. Returns
    ``(loss, params)`` for draw_graph.
    """
    import autodidact
    w = autodidact.tensor([1.0], requires_grad=True)
    x = autodidact.tensor(X_DATA)
    y = autodidact.tensor(Y_DATA)
    for _ in range(passes):
        y_pred = w * x
        error = y_pred - y
        loss = (error ** 2).mean()
        loss.backward()
    return loss, {"w": w, "x": x, "y": y, "y_pred": y_pred, "error": error, "loss": loss}


def demo(argv=None):
    """``autodidact demo``: draw the seed's graph and the zero-grad pitfall into a folder."""
    parser = argparse.ArgumentParser(
        prog="autodidact demo",
        description="Draw the computation graph of the seed's linear model, after one "
                    "backward pass and after three that were never zeroed, and plot the "
                    "zero-grad pitfall. Writes graph.svg/.png, graph_accumulated.svg/.png, "
                    "zero_grad.svg and zero_grad.png, and walkthrough.html, a page that "
                    "steps through backward.")
    parser.add_argument("--out", metavar="DIR", default="autodidact-out",
                        help="folder to write the pictures to (default: %(default)s)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()

    from . import draw_graph, plot_zero_grad_pitfall, render, zero_grad_experiment
    from .render import RendererNotFoundError

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written, missing_renderer = [], None

    print("The seed's model: loss = ((w * x - y) ** 2).mean(), "
          f"x = {list(X_DATA)}, y = {list(Y_DATA)}, w = 1.0")
    for passes, filename in ((1, "graph.svg"), (3, "graph_accumulated.svg")):
        loss, params = seed_graph(passes)
        w = params["w"]
        what = "one backward pass" if passes == 1 else \
            f"{passes} backward passes without zero_grad()"
        # Left to right: wide and low, as a projected slide is (top to bottom was 1164 px tall).
        graph = draw_graph(loss, params=params, show_order=True, rankdir="LR",
                           title=f"loss = ((w * x - y) ** 2).mean(), after {what}",
                           legend=True)
        print(f"  after {what}: w.grad = {w.grad.item():.4f}"
              + (f" ({passes} x {w.grad.item() / passes:.4f})" if passes > 1 else ""))
        try:
            written.append(render(graph, out / filename))
            written.append(render(graph, out / Path(filename).with_suffix(".png")))
        except RendererNotFoundError as error:
            missing_renderer = error
            written.append(render(graph, out / Path(filename).with_suffix(".dot")))

    if missing_renderer is None:   # the walkthrough inlines the rendered SVG
        from .walk_commands import demo_walkthrough
        walk_page = demo_walkthrough(out)
        written.append(walk_page)
    result = zero_grad_experiment(X_DATA, Y_DATA, w0=1.0, lr=0.01)
    figure = plot_zero_grad_pitfall(result)
    for filename in ("zero_grad.svg", "zero_grad.png"):
        figure.savefig(out / filename, dpi=110)
        written.append(out / filename)
    steps = len(result.zeroed.w)
    print(f"Training w * x ~ y for {steps} steps (lr = {result.lr:g}) from w = {result.w0:g}; "
          f"the best w is {result.target_w:g}:")
    print(f"  final w with    w.grad.data.zero_() each step: {result.zeroed.final_w:.4f}")
    print(f"  final w without zeroing (gradients add up):     {result.accumulated.final_w:.4f}")
    print("Wrote:")
    for path in written:
        print(f"  {path}")
    if missing_renderer is None:
        print(f"Step through backward, node by node: open {walk_page} in a browser")
    print(f"({time.perf_counter() - start:.1f} s)")
    if missing_renderer is not None:
        print(f"\nThe graphs were written as DOT source only: {missing_renderer}",
              file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------- graph

def graph_command(argv=None):
    """``autodidact graph FILE.py``: run a script and draw the graph of its result."""
    parser = argparse.ArgumentParser(
        prog="autodidact graph",
        description="Run a Python script and draw the computation graph of its last "
                    "top-level expression (or of the variable named by --var). Tensors "
                    "and Scalars the script names are labelled with their names.")
    parser.add_argument("script", metavar="FILE.py", help="the script to run")
    parser.add_argument("--out", metavar="PATH", default="graph.svg",
                        help="picture to write: .svg, .png, .pdf or .dot (default: %(default)s)")
    parser.add_argument("--var", metavar="NAME",
                        help="draw this variable of the script instead of its last expression")
    parser.add_argument("--order", action="store_true",
                        help="number the nodes in the order backward reaches them")
    parser.add_argument("--short-ops", action="store_true",
                        help="write Mul instead of MulBackward0")
    parser.add_argument("--rankdir", choices=("TB", "LR", "BT", "RL"), default="TB",
                        help="direction of the arrows (default: %(default)s)")
    parser.add_argument("--max-nodes", type=int, default=None, metavar="N",
                        help="collapse the middle of graphs bigger than this")
    parser.add_argument("--no-data", action="store_true", help="leave values out")
    parser.add_argument("--no-grad", action="store_true", help="leave gradients out")
    parser.add_argument("--timeout", type=float, default=SCRIPT_TIMEOUT, metavar="SECONDS",
                        help="stop a script that runs longer (default: %(default)g; POSIX)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    # The script may change folder: --out means a path from where the command was run.
    out = Path(args.out).resolve()

    from . import draw_graph, render
    from .draw import DEFAULT_MAX_NODES
    from .render import RendererNotFoundError

    try:
        value, namespace = run_script(args.script, args.var, timeout=args.timeout)
    except ScriptError as error:
        print(f"autodidact graph: {error}", file=sys.stderr)
        return 1
    try:
        graph = draw_graph(value, params=_named_values(namespace), show_order=args.order,
                           short_ops=args.short_ops, rankdir=args.rankdir,
                           max_nodes=args.max_nodes or DEFAULT_MAX_NODES,
                           show_data=not args.no_data, show_grad=not args.no_grad)
    except TypeError as error:
        what = f"--var {args.var}" if args.var else "the script's last expression"
        print(f"autodidact graph: {what} is a {type(value).__name__}, not a Tensor or a "
              f"Scalar: {error}", file=sys.stderr)
        return 1
    try:
        path = render(graph, out)
    except (RendererNotFoundError, ValueError) as error:
        print(f"autodidact graph: {error}", file=sys.stderr)
        return 1
    try:
        path = path.relative_to(Path.cwd())
    except ValueError:
        pass
    print(f"Wrote {path}")
    return 0


class ScriptError(Exception):
    """The script could not be run, or has nothing to draw."""


SCRIPT_TIMEOUT = 60.0     # seconds: an endless loop in a script must not hang the command


class _TimedOut(BaseException):
    """Raised in the script when its time is up (a BaseException: `except Exception` can't eat it)."""


def _backward_receiver(statement):
    """``loss`` when the statement is ``loss.backward(...)``, else None."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
            and call.func.attr == "backward" and isinstance(call.func.value, ast.Name):
        return call.func.value.id
    return None


def run_script(path, var=None, timeout=SCRIPT_TIMEOUT):
    """Run the script at ``path`` as ``__main__``; return (what to draw, its globals).

    Without ``var``, the script's last statement must be an expression:
    the rest of the script runs first, then that expression is evaluated
    in the script's namespace (once: it is not run twice). A script that
    ends with ``loss.backward()`` draws ``loss``. On POSIX systems a
    script running past ``timeout`` seconds is stopped.
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScriptError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise ScriptError(f"{path} is not valid Python: {error}") from None
    last = None
    if var is None and tree.body and _backward_receiver(tree.body[-1]):
        var = _backward_receiver(tree.body[-1])
        print(f"(the script ends with {var}.backward(): drawing {var}; --var NAME draws "
              f"another variable)")
    if var is None:
        if not tree.body or not isinstance(tree.body[-1], ast.Expr):
            raise ScriptError(
                f"{path} does not end with an expression to draw. End it with one "
                f"(e.g. a line that is just `loss`), or name a variable with --var NAME.")
        last = ast.Expression(tree.body.pop().value)
    namespace = {"__name__": "__main__", "__file__": str(path), "__builtins__": __builtins__}
    # As `python FILE.py` would: its folder first on sys.path, argv[0] = the script.
    saved_argv, saved_path, saved_cwd = sys.argv[:], sys.path[:], os.getcwd()
    sys.argv = [str(path)]
    sys.path.insert(0, str(path.resolve().parent))
    alarm = _start_alarm(timeout)
    try:
        exec(compile(tree, str(path), "exec"), namespace)
        value = eval(compile(last, str(path), "eval"), namespace) if last is not None else None
    except _TimedOut:
        raise ScriptError(f"{path} was still running after {timeout:g} s and was stopped "
                          f"(an endless loop? --timeout SECONDS gives it longer)") from None
    except SystemExit as exit_:
        raise ScriptError(f"{path} called exit({exit_.code})") from None
    except Exception:
        raise ScriptError(f"{path} raised an error:\n{traceback.format_exc().rstrip()}") from None
    finally:
        alarm()
        sys.argv[:], sys.path[:] = saved_argv, saved_path
        os.chdir(saved_cwd)
    if var is not None:
        if var not in namespace:
            drawable = ", ".join(sorted(_named_values(namespace))) or "none"
            raise ScriptError(f"{path} defines no variable {var!r}. "
                              f"Tensors and Scalars it defines: {drawable}.")
        value = namespace[var]
    return value, namespace


def _start_alarm(seconds):
    """Raise _TimedOut in this (main) thread after ``seconds``; return what cancels it."""
    if not seconds or not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        return lambda: None

    def ring(signum, frame):
        raise _TimedOut()
    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)

    def cancel():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return cancel


def _named_values(namespace):
    """``{name: tensor}`` for the script's Tensors, Scalars and modules' parameters."""
    from autodidact.scalar import Scalar
    from autodidact.tensor import Tensor
    names = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if isinstance(value, (Tensor, Scalar)):
            names.setdefault(name, value)
        elif hasattr(value, "named_parameters") and not isinstance(value, type):
            try:
                for pname, p in value.named_parameters():
                    names.setdefault(f"{name}.{pname}", p)
            except Exception:   # not a module after all
                continue
    return names


if __name__ == "__main__":  # pragma: no cover
    sys.exit(demo())
