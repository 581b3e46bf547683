"""Variable: the pre-0.4 wrapper, kept so that old code (and the seed) runs.

Since PyTorch 0.4 a Tensor *is* a Variable: ``Variable(t, requires_grad=True)``
returns a Tensor, and every Tensor passes ``isinstance(t, Variable)``.

    >>> w = Variable(autodidact.Tensor([1.0]), requires_grad=True)
    >>> type(w).__name__, isinstance(w, Variable)
    ('Tensor', True)
"""

import warnings

from ..tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with "
                          "autodidact.no_grad():` instead.", UserWarning, stacklevel=2)
        if data is None:
            from ..creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        out._vc = data._vc
        if requires_grad:
            if not out.dtype.is_floating_point:
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            out._requires_grad = True
        return out
