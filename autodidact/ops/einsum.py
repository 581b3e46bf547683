"""einsum: products and sums written as index equations, e.g. ``'ij,jk->ik'``.

There is no derivative rule here: einsum is spelled with ops that have
one, as PyTorch does it, in four steps:

1. each operand is aligned: a letter repeated within it (``'ii->i'``)
   takes a diagonal, a letter it lacks gets an axis of size 1, and one
   permute puts its axes in one order: the output's letters, then the
   summed ones;
2. a summed letter found in one operand only is summed out there;
3. operands are combined left to right: a letter whose last operand this
   is gets summed, by one batched matrix product (``bmm``) whose batch is
   the axes both share; with nothing to sum it is a broadcast multiply;
4. a view drops the summed axes (size 1 by then).

The steps, and so the graph recorded, are PyTorch's.

    >>> autodidact.einsum('ij,jk->ik', a, b)    # a @ b
    >>> autodidact.einsum('ii->', a)            # a.trace()
"""

from ..tensor import Tensor
from .linalg import Bmm

# string.ascii_letters, spelled out: importing `string` would slow every `import autodidact`.
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


def _align(x, term, order):
    """One operand with an axis for every label of ``order``, in that order (step 1).

    A repeated label takes the diagonal (put back where the label first
    was); a missing label gets a new axis of size 1; then one permute.
    """
    from .matrix import diagonal
    while True:
        repeated = next((c for c in term if term.count(c) > 1), None)
        if repeated is None:
            break
        first = term.index(repeated)
        second = term.index(repeated, first + 1)
        x = diagonal(x, 0, first, second)   # the diagonal comes out as the last axis
        last = x.dim() - 1
        x = x.permute([*range(first), last, *range(first, last)])
        term = term[:second] + term[second + 1:]
    for label in order:
        if label not in term:
            x = x.unsqueeze(x.dim())
            term += label
    return x.permute([term.index(c) for c in order])


def _sum_product(equation, left, right, sum_dims):
    """sum over ``sum_dims`` of left * right (aligned operands) as one bmm (step 3).

    Axes both operands have are the batch, axes of one only its rows (or
    columns); the summed axes stay as size 1, to keep every label's place.
    """
    for d in range(left.dim()):
        a, b = left.shape[d], right.shape[d]
        if a != b and a != 1 and b != 1:
            _fail(equation, f"operands do not broadcast: size {a} against {b} at aligned dim {d}")
    batch, rows, cols, summed = [], [], [], []
    for d in range(left.dim()):
        in_left, in_right = left.shape[d] != 1, right.shape[d] != 1
        if d in sum_dims:
            if in_left and in_right:
                summed.append(d)
            elif in_left:
                left = left.sum(d, keepdim=True)
            elif in_right:
                right = right.sum(d, keepdim=True)
        elif in_left and in_right:
            batch.append(d)
        elif in_left:
            rows.append(d)
        else:
            cols.append(d)
    keep = [d for d in sum_dims if d not in summed]
    summed += keep                        # size 1 on both sides by now
    size = {d: max(left.shape[d], right.shape[d]) for d in range(left.dim())}
    n = [_product(size[d] for d in group) for group in (batch, rows, summed, cols)]
    left = left.permute([*batch, *rows, *summed, *cols]).reshape(n[0], n[1], n[2])
    right = right.permute([*batch, *summed, *cols, *rows]).reshape(n[0], n[2], n[3])
    shape = [size[d] for d in batch + rows] + [1] * len(summed) + [size[d] for d in cols]
    where = batch + rows + summed + cols
    result = Bmm.apply(left, right).view(shape)   # one BmmBackward0 node, as torch.bmm
    return result.permute(*[where.index(d) for d in range(len(where))])


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
    _check_sizes(equation, terms, operands)
    # Every operand gets the same axes: the output's labels, then the summed ones.
    summed = sorted({c for term in terms for c in term} - set(output))
    order = output + "".join(summed)
    aligned = [_align(x, term, order) for x, term in zip(operands, terms)]
    first_summed = len(output)
    if len(aligned) == 1:
        dims = list(range(first_summed, len(order)))
        return aligned[0].sum(dims) if dims else aligned[0]
    # A summed label only one operand has is summed there first (step 2).
    for i, term in enumerate(terms):
        alone = [order.index(c) for c in summed
                 if c in term and not any(c in other for j, other in enumerate(terms) if j != i)]
        if alone:
            aligned[i] = aligned[i].sum(alone, keepdim=True)
    result = aligned[0]
    for i in range(1, len(aligned)):
        # Sum a label with the last operand that has it (and some earlier one).
        sum_dims = [order.index(c) for c in summed if c in terms[i]
                    and any(c in t for t in terms[:i]) and not any(c in t for t in terms[i + 1:])]
        if sum_dims:
            result = _sum_product(equation, result, aligned[i], sum_dims)
        else:
            result = result * aligned[i]
    if summed:
        result = result.view(result.shape[:first_summed])   # the summed axes have size 1 now
    return result


def _check_sizes(equation, terms, operands):
    sizes = {}
    for i, (term, x) in enumerate(zip(terms, operands)):
        for c, n in zip(term, x.shape):
            if c in sizes and sizes[c] != n and 1 not in (n, sizes[c]):
                _fail(equation, f"subscript {c} has size {n} for operand {i} which does not "
                      f"broadcast with previously seen size {sizes[c]}")
            sizes[c] = n if c not in sizes or sizes[c] == 1 else sizes[c]


__all__ = ["einsum"]
