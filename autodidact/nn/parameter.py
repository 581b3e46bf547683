"""Parameter: a Tensor that a Module learns.

A Parameter is a Tensor (every op works on it, unchanged) with two
differences: it requires grad by default, and assigning one as an
attribute of a Module registers it, so that ``module.parameters()``
finds it and an optimizer can update it.

    >>> w = nn.Parameter(autodidact.ones(2))
    >>> w
    Parameter containing:
    tensor([1., 1.], requires_grad=True)
"""

from ..tensor import Tensor, _init

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf Tensor that a Module owns; ``requires_grad=True`` unless told otherwise.

    It shares storage with ``data`` (no copy), as in PyTorch.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from ..creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        self = object.__new__(cls)
        _init(self, data._data, data._device)
        self._requires_grad = bool(requires_grad)
        return self

    def __init__(self, data=None, requires_grad=True):
        pass   # everything happened in __new__ (Tensor.__init__ is the legacy constructor)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        # copy.deepcopy(model) keeps its parameters Parameters.
        return (_rebuild_parameter, (self._data, self._requires_grad))


def _rebuild_parameter(array, requires_grad):
    return Parameter(Tensor._wrap(array), requires_grad)
