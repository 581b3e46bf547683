"""The `autodidact` command: a thin dispatch table.

Each command names a module and a function taking the remaining
arguments (a list of strings) and returning an exit code. The module is
imported only when its command runs, so `autodidact --help` stays fast
and the library itself never imports viz or lessons.

    $ autodidact demo            # the seed's graph and the zero-grad pitfall, drawn
    $ python -m autodidact demo  # the same, without the console script
"""

import difflib
import importlib
import os
import sys

# name -> (module, function, one-line help)
COMMANDS = {
    "demo": ("viz.commands", "demo",
             "draw the seed's graph and the zero-grad pitfall into autodidact-out/"),
    "tour": ("autodidact.tour", "main", "print a short tour of tensors and autograd"),
    "graph": ("viz.commands", "graph_command",
              "run a script and draw the graph of its last expression (--var NAME)"),
    "walk": ("viz.walk_commands", "walk_command",
             "run a script and step through backward from its result, in a web page"),
    "lessons": ("lessons.commands", "lessons_command", "list the course's lessons, one line each"),
    "lesson": ("lessons.commands", "lesson_command",
               "run lesson N (--notebook: write it as a Jupyter notebook)"),
    "exercises": ("lessons.commands", "exercises_command",
                  "start N: copy lesson N's exercises to my-exercises/; check N: test them"),
    "doctor": ("lessons.doctor", "doctor_command",
               "is this machine ready for the course? one line per part, with its fix"),
}


def usage():
    """Return the help text listing every command."""
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: autodidact COMMAND [ARGS...]",
        "",
        "commands:",
    ]
    for name, (_, _, help_text) in COMMANDS.items():
        lines.append(f"  {name:<{width}}  {help_text}")
    lines += ["", "Run 'autodidact COMMAND --help' for a command's options."]
    return "\n".join(lines)


def main(argv=None):
    """Run the command named by argv[0] with the rest of argv; return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(usage())
        return 2
    name, rest = argv[0], argv[1:]
    if name in ("-h", "--help", "help"):
        print(usage())
        return 0
    if name not in COMMANDS:
        known = ", ".join(sorted(COMMANDS))
        close = difflib.get_close_matches(name, COMMANDS, n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        print(f"autodidact: unknown command {name!r}.{guess} Known commands: {known}.\n"
              f"Run 'autodidact --help' for what each one does.", file=sys.stderr)
        return 2
    module_name, function_name, _ = COMMANDS[name]
    function = getattr(importlib.import_module(module_name), function_name)
    try:
        code = function(rest)
    except BrokenPipeError:
        # The reader went away (`autodidact lessons | head`): not an error.
        # Point stdout at /dev/null so Python's exit flush stays quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0 if code is None else code
