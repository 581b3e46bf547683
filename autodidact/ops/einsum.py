"""einsum: products and sums written as index equations, e.g. ``'ij,jk->ik'``.

There is no derivative rule here: einsum is spelled with ops that have
one, as PyTorch does it, in four steps:

1. a letter repeated within one operand (``'ii->i'``) takes a diagonal;
2. a letter found in one operand only, and not in the output, is summed out;
3. two operands are combined by one batched matrix product: the letters
   both share and keep are the batch, the ones they share and drop are
   contracted (``bmm``), the rest are their rows and columns; with nothing
   to contract it is a broadcast multiply (``'i,j->ij'``);
4. the result is permuted to the output's order.

    >>> autodidact.einsum('ij,jk->ik', a, b)    # a @ b
    >>> autodidact.einsum('ii->', a)            # a.trace()
"""

import string

from ..tensor import Tensor

_LETTERS = string.ascii_letters


def _fail(equation, why):
    raise RuntimeError(f"einsum(): {why} (equation '{equation}')")


def _parse(equation, operands):
    """The letters of each operand and of the output, with '...' spelled out as digits."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        _fail(equation, f"more operands were provided than specified in the equation"
              if len(operands) > len(terms) else
              "fewer operands were provided than specified in the equation")
    ellipsis_dims = 0
    for i, (term, x) in enumerate(zip(terms, operands)):
        letters = term.replace("...", "")
        if any(c not in _LETTERS for c in letters) or term.count("...") > 1:
            _fail(equation, f"invalid subscript given at index {len(term)} for operand {i}; "
                  "subscripts must be letters, with at most one ellipsis")
        if "..." in term:
            if len(letters) > x.dim():
                _fail(equation, f"the number of subscripts in the equation ({len(letters)}) is "
                      f"more than the number of dimensions ({x.dim()}) for operand {i}")
            ellipsis_dims = max(ellipsis_dims, x.dim() - len(letters))
        elif len(letters) != x.dim():
            _fail(equation, f"the number of subscripts in the equation ({len(letters)}) does "
                  f"not match the number of dimensions ({x.dim()}) for operand {i} and no "
                  "ellipsis was given")
    spelled = []
    for term, x in zip(terms, operands):
        n = x.dim() - len(term.replace("...", ""))
        digits = "".join(str(d) for d in range(ellipsis_dims - n, ellipsis_dims))
        spelled.append(term.replace("...", digits))
    all_digits = "".join(str(d) for d in range(ellipsis_dims))
    if arrow:
        if any(c not in _LETTERS for c in output.replace("...", "")):
            _fail(equation, "invalid subscript in the output; subscripts must be letters")
        for c in output.replace("...", ""):
            if output.count(c) > 1:
                _fail(equation, f"output subscript {c} appears more than once in the output")
            if not any(c in term for term in terms):
                _fail(equation, f"output subscript {c} does not appear in the equation for any "
                      "input operand")
        output = output.replace("...", all_digits)   # without '...', those axes are summed
    else:
        # Implicit output: the letters used once, in alphabetical order, after '...'.
        joined = "".join(terms)
        output = all_digits + "".join(sorted(c for c in set(joined) if c in _LETTERS
                                             and joined.count(c) == 1))
    return spelled, output


def _diagonals(x, term):
    """Take the diagonal for each letter repeated in ``term`` (step 1)."""
    from .matrix import diagonal
    while True:
        repeated = next((c for c in term if term.count(c) > 1), None)
        if repeated is None:
            return x, term
        first = term.index(repeated)
        second = term.index(repeated, first + 1)
        x = diagonal(x, 0, first, second)   # the diagonal becomes the last axis
        term = term[:first] + term[first + 1:second] + term[second + 1:] + repeated


def _sum_out(x, term, keep):
    """Sum out the letters not in ``keep`` (step 2)."""
    gone = [i for i, c in enumerate(term) if c not in keep]
    if gone:
        x = x.sum(gone)
        term = "".join(c for c in term if c in keep)
    return x, term


def _permute(x, term, order):
    if term == order:
        return x
    return x.permute(*[term.index(c) for c in order])


def _pair(equation, a, ta, b, tb, keep):
    """Combine two operands over their shared letters (step 3); ``keep`` = letters still needed."""
    sizes = {}
    for x, term in ((a, ta), (b, tb)):
        for c, n in zip(term, x.shape):
            if c in sizes and sizes[c] != n:
                _fail(equation, f"subscript {c} has size {n} which does not match the "
                      f"previously seen size {sizes[c]}")
            sizes[c] = n
    batch = [c for c in ta if c in tb and c in keep]
    summed = [c for c in ta if c in tb and c not in keep]
    rows = [c for c in ta if c not in tb]
    cols = [c for c in tb if c not in ta]
    if not summed:
        # Nothing to add up: broadcast each against the other and multiply.
        order = batch + rows + cols
        left = _permute(a, ta, "".join(batch + rows))
        right = _permute(b, tb, "".join(batch + cols))
        for _ in cols:
            left = left.unsqueeze(-1)
        for _ in rows:
            right = right.unsqueeze(len(batch))
        return left * right, "".join(order)
    n = {group: _product(sizes[c] for c in letters) for group, letters in
         (("batch", batch), ("rows", rows), ("summed", summed), ("cols", cols))}
    left = _permute(a, ta, "".join(batch + rows + summed)).reshape(
        n["batch"], n["rows"], n["summed"])
    right = _permute(b, tb, "".join(batch + summed + cols)).reshape(
        n["batch"], n["summed"], n["cols"])
    shape = [sizes[c] for c in batch + rows + cols]
    return left.bmm(right).reshape(shape), "".join(batch + rows + cols)


def _product(values):
    total = 1
    for v in values:
        total *= v
    return total


def einsum(equation, *operands):
    """Sum of products over the repeated letters of ``equation``; the output keeps the rest.

        >>> autodidact.einsum('bij,bjk->bik', x, y)   # batched matmul
        >>> autodidact.einsum('i,j->ij', u, v)        # outer product
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str) or not all(isinstance(x, Tensor) for x in operands):
        raise TypeError("einsum(): expected an equation string and Tensor operands")
    if not operands:
        _fail(equation, "must provide at least one operand")
    terms, output = _parse(equation, operands)
    pieces = [_diagonals(x, term) for x, term in zip(operands, terms)]
    x, term = pieces[0]
    for i, (y, other) in enumerate(pieces[1:], 1):
        later = output + "".join(t for _, t in pieces[i + 1:])
        x, term = _sum_out(x, term, later + other)
        y, other = _sum_out(y, other, later + term)
        x, term = _pair(equation, x, term, y, other, later)
    x, term = _sum_out(x, term, output)
    return _permute(x, term, output)


__all__ = ["einsum"]
