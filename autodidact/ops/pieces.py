"""The pieces of ``split``, ``unbind`` and ``chunk``: views that one node made together.

``a, b = y.unbind()`` gives two views of ``y`` whose ``grad_fn`` is one
``UnbindBackward0``. An in-place change of one piece would have to
rewrite that node for one of its outputs only, which autodidact (like
PyTorch) cannot do, so inside a graph:

- writing into a piece, or into a view of one, is refused at once
  (``refuse_write``), with PyTorch's words;
- a piece whose memory changed through another tensor (its base, a
  sibling, or the piece itself under ``no_grad``) can no longer be
  differentiated: its ``grad_fn`` becomes an ``InvalidView`` node that
  raises PyTorch's error when backward reaches it.

A piece used before the change keeps its gradient: the node saved
nothing that the change overwrote.

    >>> rows = (w * 1).unbind()
    >>> rows[0].mul_(2)
    RuntimeError: Output 0 of Unbind is a view and is being modified inplace. ...
"""

from .. import graph
from ..function import _op_name
from .index import is_basic, split_mixed

_MULTIPLE_VIEWS = (
    "This view is the output of a function that returns multiple views. Such functions do not "
    "allow the output views to be modified inplace. You should replace the inplace operation "
    "by an out-of-place one.")


def refuse_write(target):
    """A piece of split/unbind/chunk (or a view of one) may not change inside a graph.

    One backward node made all the pieces, so it cannot be rewritten for
    one of them: ``a, b = y.unbind(); a.mul_(2)`` raises, as in PyTorch. A
    piece of a tensor that does not require grad has no node, and PyTorch
    words that case as a view made without grad mode.
    """
    node = target.grad_fn
    if node is None:
        what = ("A view was created in no_grad mode and is being modified inplace with grad "
                "mode enabled.")
    else:
        what = (f"Output {target._output_nr} of {_op_name(node)} is a view and is being "
                "modified inplace.")
    raise RuntimeError(f"{what} {_MULTIPLE_VIEWS}")


def written_view(target, parts):
    """The view PyTorch writes through for ``target[key] = value`` (for its error's wording).

    PyTorch indexes first, then copies into the result: ``piece[0] = 5``
    changes ``piece[0]``, a ``Select`` view; ``piece[:] = 5`` and
    ``piece[[0]] = 5`` change ``piece`` itself. Only pieces of split/unbind
    need the view made, to name it.
    """
    if not (target.__dict__.get("_multi_output_view") and graph._grad_mode.enabled):
        return target
    mixed = split_mixed(parts)
    if mixed is not None:
        basic = mixed[0]   # the ints are applied first, as a view
    elif is_basic(parts):
        basic = parts
    else:
        return target   # advanced indexing writes into target itself
    if all(p is Ellipsis or p == slice(None) for p in basic):
        return target
    return target[basic]


class InvalidView(graph.Node):
    """The ``grad_fn`` of a piece of split/unbind whose memory was changed in place since.

    One node made all the pieces, so it cannot be rewritten for one of
    them: PyTorch refuses to differentiate through such a piece, and so
    does this node when backward reaches it. (PyTorch raises as soon as
    the piece is used; autodidact at backward, the first moment it can
    check without slowing every op down.)

        >>> a, b = y.unbind(); y.mul_(2); (a * 3).sum().backward()
        RuntimeError: Output 0 of Unbind is a view and its base or another view ...
    """

    __slots__ = ("message",)

    def __init__(self, message, edge):
        super().__init__((edge,))
        self.message = message

    def name(self):
        return "Invalid"

    def apply(self, grad):
        raise RuntimeError(self.message)


def invalidate(view):
    """Give the piece ``view`` an ``InvalidView`` node (once), naming its node as it was."""
    node = view.grad_fn
    if node is None or isinstance(node, InvalidView):
        return
    view.grad_fn = InvalidView(
        f"Output {view._output_nr} of {_op_name(node)} is a view and its base or another view "
        f"of its base has been modified inplace. {_MULTIPLE_VIEWS}",
        (node, view._output_nr))
    if view._output_nr:
        view._output_nr = 0


def invalidate_pieces(tensor):
    """After an unrecorded write (under no_grad, or nothing requiring grad) into ``tensor``'s
    memory: the pieces of split/unbind that share it can no longer be differentiated."""
    root = tensor._base if tensor._base is not None else tensor
    views = root.__dict__.get("_views")
    if views:
        for view in list(views):
            if view.__dict__.get("_multi_output_view"):
                invalidate(view)
