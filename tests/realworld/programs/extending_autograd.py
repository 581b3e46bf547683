# Corpus program: extending torch.autograd and torch.nn with your own Function and Module.
# Follows: pytorch/pytorch docs/source/notes/extending.rst (commit
#          9457fcf98d74285b60d498b0669cec01b5d23bbb), "Extending PyTorch": the sections
#          "Extending torch.autograd" and "Extending torch.nn".
# Written for this corpus after that note's examples (LinearFunction in both styles,
# MulConstant, MyCube, gradcheck, the Linear module); no text copied. Edits: the note only
# defines most examples; here each is also called and its results printed. The gradcheck
# inputs are 4x5 and 3x5 instead of 20x20 and 30x20 (keeps the suite quick). The sections on
# forward-mode AD, torch.func, __torch_function__ and C++ extensions are left out: autodidact
# has none of them.
import torch
import torch.nn as nn
from torch.autograd import Function, gradcheck


# PyTorch 2's style: forward without ctx, then setup_context saves what backward needs.
class LinearFunction(Function):
    @staticmethod
    def forward(input, weight, bias):
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def setup_context(ctx, inputs, output):
        input, weight, bias = inputs
        ctx.save_for_backward(input, weight, bias)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


def linear(input, weight, bias=None):
    return LinearFunction.apply(input, weight, bias)


x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], requires_grad=True)
w = torch.tensor([[0.1, 0.2, 0.3], [0.0, -1.0, 1.0]], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
y = linear(x, w, b)
print(y)
y.sum().backward()
print(x.grad, w.grad, b.grad, sep="\n")
print(linear(x, w))


# A Function with a non-Tensor argument: its gradient is None.
class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


t = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = MulConstant.apply(t, 5.0)
print(out)
out.backward(torch.tensor([1.0, 0.1, 0.01]))
print(t.grad)


# The same, with gradients left unmaterialised: backward may receive None.
class MulConstantLazy(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.set_materialize_grads(False)
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        if grad_output is None:
            return None, None
        return grad_output * ctx.constant, None


t.grad = None
MulConstantLazy.apply(t, 3.0).sum().backward()
print(t.grad)


# An intermediate wanted in backward is returned as an output, and its gradient handled.
class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        dx = 3 * x ** 2
        result = x ** 3
        return result, dx

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        result, dx = output
        ctx.save_for_backward(x, dx)

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        result = grad_output * dx + grad_dx * 6 * x
        return result


def my_cube(x):
    result, dx = MyCube.apply(x)
    return result


x = torch.tensor([1.0, 2.0], requires_grad=True)
first, = torch.autograd.grad(my_cube(x).sum(), x, create_graph=True)
second, = torch.autograd.grad(first.sum(), x)
print(first, second)

# Checking a backward against finite differences (double precision).
input = (torch.randn(4, 5, dtype=torch.double, requires_grad=True),
         torch.randn(3, 5, dtype=torch.double, requires_grad=True))
test = gradcheck(linear, input, eps=1e-6, atol=1e-4)
print(test)


# The older style: forward takes ctx and saves for backward itself.
class LinearFunctionCombined(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


print(gradcheck(LinearFunctionCombined.apply, input, eps=1e-6, atol=1e-4))


# A Module around the Function.
class Linear(nn.Module):
    def __init__(self, input_features, output_features, bias=True):
        super().__init__()
        self.input_features = input_features
        self.output_features = output_features
        self.weight = nn.Parameter(torch.empty(output_features, input_features))
        if bias:
            self.bias = nn.Parameter(torch.empty(output_features))
        else:
            self.register_parameter('bias', None)
        self.weight.data.uniform_(-0.1, 0.1)
        if self.bias is not None:
            self.bias.data.uniform_(-0.1, 0.1)

    def forward(self, input):
        return LinearFunction.apply(input, self.weight, self.bias)

    def extra_repr(self):
        return 'input_features={}, output_features={}, bias={}'.format(
            self.input_features, self.output_features, self.bias is not None
        )


layer = Linear(3, 2)
print(layer)
print(Linear(3, 2, bias=False))
print([name for name, _ in layer.named_parameters()])
out = layer(torch.ones(4, 3))
print(out.shape, out.grad_fn)
out.sum().backward()
print(layer.weight.grad, layer.bias.grad, sep="\n")
