"""Safe text for Graphviz: every label viz writes is an HTML-like label built here.

DOT has two kinds of label. A quoted string ("...") gives meaning to
backslashes (``\\n``, ``\\l``, ``\\N``) and ends at the first unescaped
quote, so a name such as ``a"b\\`` would break it. An HTML-like label
(``<...>``) is XML inside: escape ``&``, ``<``, ``>`` and ``"`` and
nothing a user writes can close it early or be read as markup, and the
braces and bars of record labels mean nothing there. Backslashes alone
keep a meaning: Graphviz still expands ``\\N`` (the node's id), ``\\G``
and their kin inside HTML-like labels and reads a doubled backslash as
one, so every backslash is doubled. viz puts every piece of user text
(names, values, op names, cluster titles) through :func:`text`, and
builds labels as small tables with :func:`table`.

Characters that XML itself forbids (control characters such as NUL or
BEL) are shown as ``\\x07``-style escapes: they could not appear in the
SVG at all, and a picture is better with a visible escape than none.

    >>> table([row('w "weight" <1>', bold=True)])
    '<<TABLE ...><TR><TD ...><B>w &quot;weight&quot; &lt;1&gt;</B></TD></TR></TABLE>>'
"""

import re
import textwrap

__all__ = ["clean", "text", "row", "pair", "badge", "table", "FONT", "MONO_FONT", "FONT_SIZE", "TITLE_SIZE"]

# Arial and Courier New, not Helvetica and Courier: every system and both
# renderers have them or a metric-compatible twin (Liberation, Arimo, Cousine),
# so text measured at layout fits its box in any viewer. (Asked for
# "Helvetica", some viewers substitute a wider font and bold text overflows.)
FONT = "Arial"
MONO_FONT = "Courier New"   # for numbers: columns of digits line up
FONT_SIZE = 14              # the smallest text viz writes: it is projected in class
TITLE_SIZE = 18

# XML 1.0 allows tab, newline, carriage return and everything from U+0020
# except the surrogates and U+FFFE/U+FFFF. Newlines are handled apart.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WRAP = 48                  # longest line of user text before it wraps


def clean(value):
    """``str(value)`` with line breaks unified to ``\\n`` and XML-illegal characters escaped."""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _FORBIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", s)


def _wrap(line, width):
    """Break a line longer than ``width`` at spaces (a 300-character name must not be that wide)."""
    if len(line) <= width:
        return [line]
    return textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False) or [line]


def text(value, wrap=_WRAP):
    """``value`` as the inside of an HTML-like label: escaped, with ``<BR/>`` at each line break.

    Lines longer than ``wrap`` characters are broken at spaces (``wrap=None``: never).
    """
    lines = clean(value).split("\n")
    if wrap:
        lines = [piece for line in lines for piece in _wrap(line, wrap)]
    return "<BR/>".join(_escape(line) for line in lines)


def _escape(s):
    # Graphviz expands \N, \G, \E, \T, \H and \L (node name, graph name...) even
    # inside HTML-like labels, and reads a doubled backslash as one: double them all.
    return (s.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
             .replace('"', "&quot;"))


def row(value, bold=False, mono=False, color=None, bgcolor=None, size=None, wrap=_WRAP):
    """One table row holding ``value`` (any object; it is escaped here).

    Multi-line values are left-aligned, so the rows of a matrix line up.
    """
    inner = text(value, wrap=wrap)
    if bold:
        inner = f"<B>{inner}</B>"
    font = []
    if mono:
        font.append(f'FACE="{MONO_FONT}"')
    if color:
        font.append(f'COLOR="{color}"')
    if size:
        font.append(f'POINT-SIZE="{max(int(size), FONT_SIZE)}"')
    if font:
        inner = f"<FONT {' '.join(font)}>{inner}</FONT>"
    cell = ['ALIGN="CENTER"']
    if "<BR/>" in inner:
        cell.append('BALIGN="LEFT"')
    if bgcolor:
        cell.append(f'BGCOLOR="{bgcolor}" CELLPADDING="5"')   # air inside a coloured band
    return f"<TR><TD {' '.join(cell)}>{inner}</TD></TR>"


def pair(left, right, color=None):
    """A row holding two boxes side by side (``left`` and ``right``, escaped here)."""
    font = f' COLOR="{color}"' if color else ""
    cells = "".join(f'<TD BORDER="1" CELLPADDING="4" BALIGN="LEFT"><FONT FACE="{MONO_FONT}"{font}>'
                    f"{text(value)}</FONT></TD>" for value in (left, right))
    return (f'<TR><TD><TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0"><TR>{cells}</TR>'
            "</TABLE></TD></TR>")


def badge(value, color="#FFFFFF", bgcolor="#000000"):
    """A row holding a small filled tag (``#3``), centred, not as wide as the box.

    Graphviz stretches a cell to its column, so the tag is a fixed-size
    cell inside a table of its own, sized for its text.
    """
    label = clean(value)
    width, height = 18 + 10 * len(label), 22
    return (f'<TR><TD><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}" BGCOLOR="{bgcolor}">'
            f'<FONT COLOR="{color}"><B>{text(label)}</B></FONT></TD></TR></TABLE></TD></TR>')


def table(rows):
    """An HTML-like label (the whole ``<...>``) stacking ``rows`` made by :func:`row`."""
    body = "".join(rows) or row("")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            f"{body}</TABLE>>")
