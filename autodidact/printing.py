"""How a tensor turns into text: ``repr(t)`` and ``print(t)``.

autodidact prints tensors exactly the way PyTorch 2.13 does, character for
character, except that the module name reads ``autodidact.`` where PyTorch
writes ``torch.``::

    tensor([1.5000, 2.0000])                      # floats: 4 decimals
    tensor([1., 2., 3.])                          # floats that are whole numbers
    tensor([1.0000e+10, 1.0000e+00])              # a wide range: scientific
    tensor([  1,  -2, 300])                       # right-aligned to the widest
    tensor([1, 2], dtype=autodidact.int32)        # non-default dtypes are named
    tensor([], size=(0, 3))                       # empty: the shape is named
    tensor([[1., 2.],
            [3., 4.]], requires_grad=True)        # autograd information last

The whole job is done by :func:`format_tensor`, in four steps:

1. Decide how *every* number will be written (the "style"): which notation
   and how wide.  One style serves the whole tensor so that the columns line
   up (see :func:`choose_style`).
2. Write the nested ``[...]`` brackets, one dimension at a time, wrapping long
   rows at 80 characters and eliding the middle of tensors with more than 1000
   elements (see :func:`format_block` and :func:`format_row`).
3. Collect the ``key=value`` notes that follow the numbers: device, size,
   dtype, grad_fn / requires_grad (see :func:`collect_suffixes`).
4. Attach the notes, moving to a new line when one would overflow the line
   (see :func:`attach_suffixes`).

The algorithm is PyTorch's own (``torch/_tensor_str.py``) rewritten for
reading.  Where PyTorch has a quirk, this module copies the quirk and a
comment says so: a printout that is "almost" PyTorch's would be confusing
when students compare the two side by side.

This module needs only NumPy; it knows nothing about the Tensor class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------------------
# Print options: PyTorch's defaults (``torch.set_printoptions(profile="default")``).
# ---------------------------------------------------------------------------

#: Digits after the decimal point (in both fixed and scientific notation).
PRECISION = 4
#: Tensors with more elements than this are summarised with ``...``.
THRESHOLD = 1000
#: How many items a summary keeps at each end of every dimension.
EDGEITEMS = 3
#: Rows of numbers are wrapped so that they (roughly) fit this many characters.
LINEWIDTH = 80

#: ``set_printoptions(profile=...)``: (precision, threshold, edgeitems, linewidth).
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80),
             "full": (4, math.inf, 3, 80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Change how every tensor prints from now on, as ``torch.set_printoptions`` does.

    ``precision`` decimals, summaries (``...``) above ``threshold`` elements
    keeping ``edgeitems`` at each end, rows wrapped at ``linewidth``;
    ``profile`` ("default", "short", "full") sets all four first.

        >>> autodidact.set_printoptions(precision=2); autodidact.tensor([1/3])
        tensor([0.33])
    """
    global PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH
    if sci_mode is not None:
        raise NotImplementedError("set_printoptions(sci_mode=...) is not supported by autodidact: "
                                  "it picks fixed or scientific notation as PyTorch does by "
                                  "default (sci_mode=None)")
    if profile is not None:
        PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = _PROFILES[profile]
    if precision is not None:
        PRECISION = precision
    if threshold is not None:
        THRESHOLD = threshold
    if edgeitems is not None:
        EDGEITEMS = edgeitems
    if linewidth is not None:
        LINEWIDTH = linewidth


#: The dtype a tensor gets when none is asked for.  PyTorch never mentions it.
DEFAULT_DTYPE = "float32"
#: Dtypes that non-empty tensors do not mention: ``float32`` is the default,
#: and ``int64`` / ``bool`` are what ``tensor([1, 2])`` / ``tensor([True])``
#: produce anyway, so printing them would be noise.
QUIET_DTYPES = frozenset({"float32", "int64", "bool"})

#: Every tensor's text starts with this.  Later lines are indented by its
#: length so that the numbers line up under the first ``[``.
PREFIX = "tensor("


def format_tensor(array, dtype_name, suffixes=()) -> str:
    """Return the text PyTorch 2.13 prints for a tensor holding ``array``.

    array:      the tensor's values as a NumPy array, of any shape (0-d and
                empty included) and of a float, integer or bool dtype.
    dtype_name: the tensor's dtype as autodidact names it, e.g. ``"float32"``,
                ``"int64"``, ``"bool"``, ``"float16"``, ``"uint8"``.
    suffixes:   extra ``"key=value"`` notes, e.g. ``("requires_grad=True",)``,
                ``("grad_fn=<MulBackward0>",)`` or ``("device='cuda:0'",)``.

    >>> format_tensor(np.array([1.5, 2.0], dtype=np.float32), "float32")
    'tensor([1.5000, 2.0000])'
    >>> format_tensor(np.array(3), "int64")
    'tensor(3)'
    >>> format_tensor(np.array([1, 2], dtype=np.int32), "int32")
    'tensor([1, 2], dtype=autodidact.int32)'
    """
    array = np.asarray(array)
    # Nested rows are indented so their first "[" sits under the first "["
    # after "tensor(".
    indent = len(PREFIX)
    if array.size == 0:
        body = "[]"
    else:
        body = format_values(array, indent)
    notes = collect_suffixes(array.shape, dtype_name, suffixes)
    return attach_suffixes(PREFIX + body, notes, indent)


# ---------------------------------------------------------------------------
# Step 1: one style for all the numbers of a tensor.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How every element of one tensor is written.

    notation: one of
        ``"plain"``  integers and bools, written by ``str()``: ``3``, ``True``;
        ``"whole"``  floats that are all whole numbers: ``3.``  (``nan``, ``inf``);
        ``"fixed"``  floats with 4 decimals: ``3.1416``;
        ``"sci"``    floats in scientific notation: ``3.1416e+00``.
    width: every element is right-aligned (padded with spaces on the left)
        to this many characters, so that the columns line up.
    """

    notation: str
    width: int


def choose_style(values: np.ndarray) -> Style:
    """Choose the notation and the column width for ``values``.

    ``values`` are the elements that will actually be shown (for a summarised
    tensor only the edges, so a huge value hidden in the elided middle does
    not widen the columns).
    """
    flat = values.reshape(-1)
    if not np.issubdtype(flat.dtype, np.floating):
        # Integers and bools: write each with str(); the widest sets the width.
        # (The minimum width of 1 is PyTorch's starting value.)
        width = max([1] + [len(str(v)) for v in flat.tolist()])
        return Style("plain", width)

    # Floats.  Only non-zero finite numbers decide the notation: zero, nan and
    # inf print the same in every notation.
    interesting = flat[np.isfinite(flat) & (flat != 0)]
    if interesting.size == 0:
        # Nothing but zeros, nans and infs: "0.", "nan".  Quirk kept from
        # PyTorch: the width stays 1 here and below it counts only the
        # interesting numbers, so "-0." or "-inf" can stick out of a column
        # (PyTorch prints tensor([0., -0.]) and tensor([-0.0000, 1.5000])).
        return Style("whole", 1)

    all_whole = bool(np.all(interesting == np.ceil(interesting)))
    numbers = interesting.tolist()  # Python floats (exact, even from float16)
    if use_scientific(interesting):
        notation = "sci"
        texts = [format_scientific(v) for v in numbers]
    elif all_whole:
        notation = "whole"
        # len of "%.0f" plus one for the "." that marks the tensor as float.
        texts = [f"{v:.0f}." for v in numbers]
    else:
        notation = "fixed"
        texts = [format_fixed(v) for v in numbers]
    return Style(notation, max([1] + [len(t) for t in texts]))


def use_scientific(nonzero_finite: np.ndarray) -> bool:
    """Should these non-zero finite numbers be written as ``1.0000e+05``?

    Yes when 4 fixed decimals would show them badly: when the biggest and the
    smallest magnitude are more than a factor 1000 apart (1.0000 next to
    1234.5678 wastes digits on one of them), when a number is above 1e8 (too
    many digits before the point), or when one is below 1e-4 (it would show
    as 0.0000).
    """
    # Compare in float64: float16 cannot even hold 1e8, and float64 is what
    # PyTorch converts to before dividing.
    magnitudes = np.abs(nonzero_finite).astype(np.float64)
    biggest = float(magnitudes.max())
    smallest = float(magnitudes.min())
    # Python float division gives inf (not an error) when the ratio overflows.
    return biggest / smallest > 1000.0 or biggest > 1.0e8 or smallest < 1.0e-4


def format_fixed(value: float) -> str:
    """``3.14159`` -> ``"3.1416"``: fixed-point with PRECISION decimals."""
    return f"{value:.{PRECISION}f}"


def format_scientific(value: float) -> str:
    """``123456.789`` -> ``"1.2346e+05"``: scientific with PRECISION decimals."""
    return f"{value:.{PRECISION}e}"


def format_element(value, style: Style) -> str:
    """Write one element (a Python number) in ``style``, right-aligned."""
    if style.notation == "plain":
        text = str(value)  # 42, -7, True, False
    elif style.notation == "sci":
        text = format_scientific(value)  # nan / inf come out as "nan" / "inf"
    elif style.notation == "whole":
        text = f"{value:.0f}"
        # The "." shows that the tensor holds floats.  "nan." or "inf." would
        # not read as numbers, so non-finite values go without it.
        if math.isfinite(value):
            text += "."
    else:  # "fixed"
        text = format_fixed(value)
    return text.rjust(style.width)


# ---------------------------------------------------------------------------
# Step 2: nested brackets, line wrapping and summaries.
# ---------------------------------------------------------------------------


def format_values(array: np.ndarray, indent: int) -> str:
    """Write the numbers of a non-empty ``array`` inside their brackets.

    ``indent`` is the column the outermost ``[`` is printed at.
    """
    summarize = array.size > THRESHOLD
    shown = edge_items(array) if summarize else array
    style = choose_style(shown)
    return format_block(array, indent, summarize, style)


def kept_indices(length: int, summarize: bool) -> list:
    """Indices of one dimension that are printed, ``None`` marking ``...``.

    A summary keeps EDGEITEMS items at each end of a dimension, and only
    bothers when that actually hides something (length > 2 * EDGEITEMS).
    """
    if summarize and length > 2 * EDGEITEMS:
        return list(range(EDGEITEMS)) + [None] + list(range(length - EDGEITEMS, length))
    return list(range(length))


def edge_items(array: np.ndarray) -> np.ndarray:
    """The elements a summary shows: the edges of every dimension."""
    for axis, length in enumerate(array.shape):
        keep = [i for i in kept_indices(length, summarize=True) if i is not None]
        array = np.take(array, keep, axis=axis)
    return array


def format_block(array: np.ndarray, indent: int, summarize: bool, style: Style) -> str:
    """Write ``array`` (any number of dimensions) with nested brackets.

    An n-d block is a list of (n-1)-d blocks, each one column further right
    than its parent's ``[``.  Between blocks PyTorch puts a comma and
    ``n - 1`` line breaks: rows of a matrix are on consecutive lines,
    matrices in a 3-d tensor are separated by one blank line, and so on.
    """
    if array.ndim == 0:
        return format_element(array.item(), style)
    if array.ndim == 1:
        return format_row(array, indent, summarize, style)
    parts = [
        "..." if i is None else format_block(array[i], indent + 1, summarize, style)
        for i in kept_indices(array.shape[0], summarize)
    ]
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def format_row(row: np.ndarray, indent: int, summarize: bool, style: Style) -> str:
    """Write a 1-d ``row``, wrapped into lines of a fixed number of elements.

    Each element takes ``style.width`` characters plus 2 for the ", " after
    it; as many as fit into LINEWIDTH - indent go on a line (at least one).
    This is PyTorch's estimate: it ignores the closing brackets and suffixes,
    so a printed line can be a few characters longer than 80.
    """
    values = row.tolist()
    # The " ..." marker counts as one element, but is not padded to the width.
    items = [
        " ..." if i is None else format_element(values[i], style)
        for i in kept_indices(len(values), summarize)
    ]
    per_line = max(1, (LINEWIDTH - indent) // (style.width + 2))
    lines = [", ".join(items[start:start + per_line]) for start in range(0, len(items), per_line)]
    # Continuation lines start one column right of the "[" of this row.
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


# ---------------------------------------------------------------------------
# Steps 3 and 4: the key=value notes after the numbers.
# ---------------------------------------------------------------------------


def collect_suffixes(shape: tuple, dtype_name: str, extra=()) -> list:
    """The notes after the numbers, in PyTorch's order.

    1. ``device='...'`` (passed in ``extra``): PyTorch decides it first;
    2. ``size=(...)`` for empty tensors that are not 1-d: ``[]`` alone would
       not say whether the shape was ``(0,)``, ``(0, 3)`` or ``(2, 0)``;
    3. ``dtype=autodidact.xxx`` unless the values make it obvious (see
       :func:`dtype_is_obvious`);
    4. everything else in ``extra``, in the order given (``grad_fn=<...>``
       or ``requires_grad=True``).
    """
    devices = [s for s in extra if s.startswith("device=")]
    others = [s for s in extra if not s.startswith("device=")]
    notes = list(devices)
    empty = 0 in shape
    if empty and len(shape) != 1:
        notes.append(f"size={tuple(int(n) for n in shape)}")
    if not dtype_is_obvious(dtype_name, empty):
        notes.append(f"dtype=autodidact.{dtype_name}")
    return notes + others


def dtype_is_obvious(dtype_name: str, empty: bool) -> bool:
    """Can the dtype go unmentioned?

    For a non-empty tensor the values tell floats (``1.``), integers (``1``)
    and bools (``True``) apart, so the usual dtype of each kind (float32,
    int64, bool) is not printed.  An empty tensor shows no values, so only the
    default dtype, float32, goes unmentioned.
    """
    if empty:
        return dtype_name == DEFAULT_DTYPE
    return dtype_name in QUIET_DTYPES


def attach_suffixes(text: str, notes: list, indent: int) -> str:
    """Append ``, note`` for each note, then the closing ``)``.

    A note that would push the line past LINEWIDTH starts a new line,
    indented like the numbers.
    """
    pieces = [text]
    # Quirk kept from PyTorch: the starting length is 2 more than the real
    # length of the last line (an off-by-two in its arithmetic).  Later
    # lengths are exact.
    line_length = len(text) - text.rfind("\n") + 1
    for note in notes:
        length = pytorch_length(note)
        if line_length + length + 2 > LINEWIDTH:
            pieces.append(",\n" + " " * indent + note)
            line_length = indent + length
        else:
            pieces.append(", " + note)
            line_length += length + 2
    pieces.append(")")
    return "".join(pieces)


def pytorch_length(note: str) -> int:
    """The length ``note`` has in PyTorch's spelling.

    ``dtype=autodidact.int8`` is 5 characters longer than PyTorch's
    ``dtype=torch.int8``.  Line breaks are decided on PyTorch's length, so
    that our text is always PyTorch's text with the module name swapped,
    never a different layout.
    """
    return len(note.replace("autodidact.", "torch."))
