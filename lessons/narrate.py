"""Run a lesson as a script that also says what it explains: ``python -m lessons.narrate FILE``.

A lesson is a Jupytext percent-format file: markdown cells (``# %% [markdown]``,
their lines commented out) between code cells (``# %%``). Run with plain
``python``, the markdown is only comments and the student sees the output
alone. ``autodidact lesson N`` runs it through this module instead, which
prints each explanation before the code it explains, then runs that code,
cell after cell, in one namespace, as ``__main__`` (an error's traceback
names the lesson's own file and lines).
"""

import re
import sys
import traceback
from pathlib import Path

__all__ = ["cells", "narrate"]

_CELL = re.compile(r"^# %%(.*)$")


def cells(source):
    """``[(kind, text, first_line)]``: the file's cells, 'markdown' or 'code', in order."""
    found, kind, lines, start = [], "code", [], 1
    for number, line in enumerate(source.splitlines(), 1):
        match = _CELL.match(line)
        if match:
            if "".join(lines).strip():
                found.append((kind, "\n".join(lines), start))
            kind = "markdown" if "[markdown]" in match.group(1) else "code"
            lines, start = [], number + 1
        else:
            lines.append(line)
    if "".join(lines).strip():
        found.append((kind, "\n".join(lines), start))
    return found


def _prose(text):
    """A markdown cell's text without its comment marks."""
    return "\n".join(re.sub(r"^# ?", "", line) for line in text.strip().splitlines())


def narrate(path):
    path = Path(path).resolve()
    namespace = {"__name__": "__main__", "__file__": str(path), "__builtins__": __builtins__}
    sys.argv = [str(path)]
    sys.path.insert(0, str(path.parent))       # as `python FILE` would
    for kind, text, first_line in cells(path.read_text(encoding="utf-8")):
        if kind == "markdown":
            print("\n" + _prose(text) + "\n", flush=True)
        else:
            code = compile("\n" * (first_line - 1) + text, str(path), "exec")
            try:
                exec(code, namespace)
            except Exception as error:
                # The lesson's own frames only, as `python FILE` would show them.
                traceback.print_exception(type(error), error, error.__traceback__.tb_next)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(narrate(sys.argv[1]))
