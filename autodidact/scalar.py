"""Scalar: autograd on plain Python floats (lesson 1, the whole story).

A ``Scalar`` holds one number, ``.data``, and after ``backward()`` one more,
``.grad``: how much the final result changes when ``.data`` is nudged.
Every operation on Scalars makes a new Scalar that remembers

- its *parents*, the Scalars it was computed from, and
- its *local derivatives*, d(result)/d(parent), worked out while the
  result itself is computed (for ``a * b`` they are ``b`` and ``a``).

That is enough for the chain rule. ``backward()`` visits the Scalars from
the result back to the leaves; each one adds the gradient it receives to
its ``.grad`` and hands ``grad * local derivative`` on to each parent.

A Scalar is its own node in the graph (a ``graph.Node``), so it runs on the
same engine as ``Tensor``: ``graph.run_backward`` orders the nodes and adds
up the gradients arriving from several paths. Nothing here knows about
arrays; everything is a Python float.

If you know micrograd: ``parents`` is its ``_prev``, and where micrograd
keeps a ``_backward`` closure per result, a Scalar keeps its local
derivatives as plain numbers. No closures means no reference cycles, so a
graph is freed the moment its output is dropped.

    >>> x = Scalar(3.0)
    >>> y = x * x + x            # dy/dx = 2x + 1
    >>> y.backward(); x.grad
    7.0
"""

import math
import numbers

from .graph import Node, _grad_mode, run_backward

__all__ = ["Scalar", "zero_grad"]


class Scalar(Node):
    """One Python float that remembers how it was computed, for backward.

    ``Scalar(2.0)`` makes a *leaf* (an input or a parameter). Operations
    make new Scalars: ``+ - * /``, ``** number``, ``exp``, ``log``,
    ``tanh``, ``relu``, ``sigmoid``. Python numbers mix in freely:
    ``2 * x`` and ``1 - x`` work.

        >>> a = Scalar(2.0, label="a"); b = 1 - 2 / a
        >>> b.backward(); a.grad         # d(1 - 2/a)/da = 2 / a**2
        0.5
    """

    # Slots instead of a __dict__: smaller and faster. The parents and their
    # local derivatives sit in slots of their own, not in tuples: every
    # operation has one or two parents, and each tuple would be one more
    # object for Python's cycle collector to track and scan again and again
    # while a big graph is built (that scanning cost more than the maths).
    # A Scalar made by hand with more parents keeps them all, as a tuple, in
    # ``_a`` (and their local derivatives in ``_da``).
    __slots__ = ("data", "grad", "op", "label", "_a", "_b", "_da", "_db")
    _hooks = None   # a Scalar has no hooks: graph.Node's slot stays empty, one less to scan
    _output_nrs = None   # each parent made one Scalar: next_functions pairs them with 0

    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        """Make a Scalar holding ``float(data)``; operations also pass how they made it.

        ``parents`` are the Scalars an operation read, ``local_grads`` the
        derivative of its result with respect to each, and ``op`` its
        symbol, shown when the graph is drawn. A leaf has none of them.
        """
        parents, local_grads = tuple(parents), tuple(local_grads)
        if len(parents) != len(local_grads):
            raise ValueError(
                f"a Scalar needs one local derivative per parent: got {len(parents)} "
                f"parents and {len(local_grads)} local_grads")
        self.data = float(data)
        self.grad = 0.0          # d(output)/d(self), filled in by backward()
        self.label = label       # a name for drawings, e.g. "w1"
        self.op, self._a, self._da, self._b, self._db = "", None, 0.0, None, 0.0
        if not parents or not _grad_mode.enabled:
            return               # a leaf, or a result made under no_grad(): no way back
        self.op = op
        if len(parents) == 1:
            self._a, self._da = parents[0], local_grads[0]
        elif len(parents) == 2:
            (self._a, self._b), (self._da, self._db) = parents, local_grads
        else:
            self._a, self._da = parents, local_grads

    # ------------------------------------------------------ how it was made

    @property
    def parents(self):
        """The Scalars this one was computed from (``()`` for a leaf)."""
        return self.children()

    @property
    def local_grads(self):
        """d(self)/d(parent) for each parent, in the order of ``parents``."""
        if self._b is not None:
            return (self._da, self._db)
        if self._a is None:
            return ()
        return self._da if type(self._a) is tuple else (self._da,)

    def children(self):
        """The parents, as the engine asks every node for them (``graph.Node.children``)."""
        if self._b is not None:
            return (self._a, self._b)
        if self._a is None:
            return ()
        return self._a if type(self._a) is tuple else (self._a,)

    # ------------------------------------------------------------- backward

    def apply(self, grad):
        """The engine calls this with d(output)/d(self); return one gradient per parent.

        The chain rule, one link: d(output)/d(parent) =
        d(output)/d(self) * d(self)/d(parent). Every Scalar keeps the
        gradient that passed through it, not only the leaves (as in
        micrograd; a Tensor keeps it on leaves only).
        """
        self.grad += grad      # +=, not =: gradients add up over backward calls
        if self._b is not None:
            return (grad * self._da, grad * self._db)
        if self._a is None:
            return ()
        if type(self._a) is tuple:
            return tuple([grad * local for local in self._da])
        return (grad * self._da,)

    def backward(self):
        """Fill in ``.grad`` of every Scalar this one was computed from.

        Gradients *accumulate*: a second ``backward()`` adds to ``.grad``
        again. Reset with ``zero_grad(params)`` (or ``p.grad = 0.0``)
        before each training step. The graph stays usable (its saved
        values are just floats), so calling backward twice is allowed.

            >>> x = Scalar(3.0); y = x * x
            >>> y.backward(); y.backward(); x.grad     # 6 + 6
            12.0
        """
        run_backward(self, 1.0, retain_graph=True)

    @property
    def derivative(self):
        """The local derivative of the op that made this Scalar, in words (None for a leaf)."""
        return DERIVATIVES.get("**" if self.op.startswith("**") else self.op) if self.op else None

    # ------------------------------------------------------------ arithmetic
    # Each operation: compute the value, and the derivative of the value
    # with respect to each input, at the same time. Then
    #     _result(value, op, a, d(value)/da, b, d(value)/db)
    # is the same Scalar as
    #     Scalar(value, parents=(a, b), local_grads=(d(value)/da, d(value)/db), op=op)
    # only made faster (your own ops can use the second form). A number on
    # either side is wrapped as a Scalar first (``type(...) is Scalar`` just
    # skips that call in the usual case).

    def __add__(self, other):
        other = other if type(other) is Scalar else _as_scalar(other)
        return _result(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __sub__(self, other):
        other = other if type(other) is Scalar else _as_scalar(other)
        return _result(self.data - other.data, "-", self, 1.0, other, -1.0)

    def __mul__(self, other):
        other = other if type(other) is Scalar else _as_scalar(other)
        return _result(self.data * other.data, "*", self, other.data, other, self.data)

    def __truediv__(self, other):
        other = other if type(other) is Scalar else _as_scalar(other)
        a, b = self.data, other.data
        # d(a/b)/da = 1/b,  d(a/b)/db = -a/b**2
        return _result(a / b, "/", self, 1.0 / b, other, -a / (b * b))

    def __pow__(self, exponent):
        if not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"Scalar ** {type(exponent).__name__} is not supported: the exponent "
                f"must be a Python int or float. For a Scalar exponent b, "
                f"write (b * a.log()).exp().")
        a = self.data
        if a < 0 and not float(exponent).is_integer():
            raise ValueError(
                f"{a} ** {exponent} is not a real number (a negative base needs "
                f"a whole-number exponent)")
        if exponent == 0:
            local = 0.0                      # a**0 is 1 for every a: flat
        elif a == 0 and exponent < 1:
            local = math.inf                 # like sqrt: vertical at 0
        else:
            local = exponent * a ** (exponent - 1)   # d(a**n)/da = n * a**(n-1)
        return _result(a ** exponent, f"**{exponent}", self, local)

    def __neg__(self):
        return _result(-self.data, "neg", self, -1.0)

    # Reflected forms: Python calls these for `2 + x`, `1 - x`, `2 * x`, `2 / x`.
    def __radd__(self, other):
        return _as_scalar(other) + self

    def __rsub__(self, other):
        return _as_scalar(other) - self

    def __rmul__(self, other):
        return _as_scalar(other) * self

    def __rtruediv__(self, other):
        return _as_scalar(other) / self

    # ------------------------------------------------------------- functions

    def exp(self):
        out = math.exp(self.data)
        return _result(out, "exp", self, out)             # d(e^a)/da = e^a

    def log(self):
        a = self.data
        if a <= 0:
            raise ValueError(f"log() needs a positive number, got {a}")
        return _result(math.log(a), "log", self, 1.0 / a)  # d(ln a)/da = 1/a

    def tanh(self):
        t = math.tanh(self.data)
        return _result(t, "tanh", self, 1.0 - t * t)       # 1 - tanh(a)**2

    def relu(self):
        if self.data > 0:
            return _result(self.data, "relu", self, 1.0)
        return _result(0.0, "relu", self, 0.0)              # flat: no gradient

    def sigmoid(self):
        a = self.data
        # Two forms of 1 / (1 + e^-a), so that exp never overflows.
        if a >= 0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _result(s, "sigmoid", self, s * (1.0 - s))  # s * (1 - s)

    # ------------------------------------------------------------- display
    # No __eq__ on purpose: the engine keeps Scalars in sets and dicts, by
    # identity. Two Scalars holding 3.0 are still two different nodes.

    def __repr__(self):
        return f"Scalar(data={self.data:.4f}, grad={self.grad:.4f})"


# Each op's local derivative in words, by the op's symbol (shown by viz.walkthrough).
DERIVATIVES = {
    "+": "d(a+b)/da = d(a+b)/db = 1, so a and b each receive grad unchanged",
    "-": "d(a−b)/da = 1 and d(a−b)/db = −1, so a receives grad and b receives −grad",
    "*": "d(a·b)/da = b, so a receives grad × b; d(a·b)/db = a, so b receives grad × a",
    "/": "d(a/b)/da = 1/b and d(a/b)/db = −a/b², so a receives grad/b and b −grad·a/b²",
    "**": "d(aⁿ)/da = n·aⁿ⁻¹, so a receives grad × n·aⁿ⁻¹",
    "neg": "d(−a)/da = −1, so a receives −grad",
    "exp": "d(eᵃ)/da = eᵃ (the output itself), so a receives grad × out",
    "log": "d(ln a)/da = 1/a, so a receives grad / a",
    "tanh": "d(tanh a)/da = 1 − tanh²(a), so a receives grad × (1 − out²)",
    "relu": "d(relu a)/da = 1 where a > 0, else 0, so a receives grad only where a > 0",
    "sigmoid": "d(σ(a))/da = σ(a)·(1 − σ(a)), so a receives grad × out × (1 − out)",
}


_new = object.__new__


def _result(data, op, a, da, b=None, db=0.0):
    """The Scalar an operation returns: ``data``, made by ``op`` from ``a`` (and ``b``).

    It fills the same slots as ``Scalar.__init__``, without the checks and
    the call: an operation is a few arithmetic steps, so building its
    result is most of its cost, and a training step makes tens of
    thousands of them.
    """
    out = _new(Scalar)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _grad_mode.enabled:
        out.op = op
        out._a = a
        out._da = da
        out._b = b
        out._db = db
    else:        # under no_grad(): a leaf, with no way back
        out.op = ""
        out._a = out._b = None
        out._da = out._db = 0.0
    return out


def _as_scalar(value):
    """Wrap a Python number as a leaf Scalar, so that ``x * 2`` and ``2 * x`` work."""
    if type(value) is not float and type(value) is not int:
        # A float or an int (the common case) skips these two questions:
        # asking numbers.Real takes ten times as long as asking type().
        if isinstance(value, Scalar):
            return value
        if not isinstance(value, numbers.Real):   # bool, NumPy's numbers pass
            raise TypeError(
                f"a Scalar can only be combined with a Scalar or a Python number, "
                f"not with {type(value).__name__}")
    # A leaf, as Scalar(value) makes it, without the call and the checks.
    out = _new(Scalar)
    out.data = float(value)
    out.grad = 0.0
    out.label = out.op = ""
    out._a = out._b = None
    out._da = out._db = 0.0
    return out


def zero_grad(scalars):
    """Set ``.grad`` of each Scalar back to 0.0 (gradients accumulate otherwise).

    Call it once per training step, before ``backward()``.

        >>> w = Scalar(1.0); (w * 3).backward(); zero_grad([w]); w.grad
        0.0
    """
    for s in scalars:
        s.grad = 0.0
