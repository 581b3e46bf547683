"""autograd: backward, grad, Variable, Function and gradcheck, as in ``torch.autograd``.

    >>> from autodidact.autograd import Variable, grad
    >>> x = Variable(autodidact.tensor([2.0]), requires_grad=True)
    >>> dy, = grad((x ** 4).sum(), x, create_graph=True)    # 4 x^3 = 32
    >>> grad(dy.sum(), x)                                   # 12 x^2 = 48
    (tensor([48.]),)
"""

from ..graph import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .engine import backward, grad
from .function import Function, FunctionCtx
from . import functional
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .opcheck import OpMismatch, gradcheck_ops
from .variable import Variable

__all__ = ["backward", "grad", "Variable", "Function", "FunctionCtx", "gradcheck", "gradgradcheck",
           "functional",
           "GradcheckError", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]
__all__ += ["gradcheck_ops", "OpMismatch"]
