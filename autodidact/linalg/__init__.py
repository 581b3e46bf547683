"""``autodidact.linalg``: linear algebra shaped like ``torch.linalg``.

    norm          a vector norm, or a matrix norm (2 dims, or a 2-D input with ``ord``)
    vector_norm   the ord-norm of the elements along dim: 2, 1, inf, -inf, 0 or any p
    matrix_norm   'fro', 1, -1, inf, -inf over two dims
    inv, det      inverse and determinant of square matrices (batches too)
    solve         X with A @ X = B, without forming the inverse

    >>> A = autodidact.tensor([[2., 0.], [0., 4.]])
    >>> autodidact.linalg.solve(A, autodidact.tensor([2., 4.]))
    tensor([1., 1.])

The derivative rules live in ``autodidact/ops/norms.py`` and ``ops/solve.py``;
this module is only the public names.
"""

from ..ops.norms import linalg_norm as norm, matrix_norm, vector_norm
from ..ops.solve import LinAlgError, det, inv, solve

__all__ = ["norm", "vector_norm", "matrix_norm", "inv", "det", "solve", "LinAlgError"]
