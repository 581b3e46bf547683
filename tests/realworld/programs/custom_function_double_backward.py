# Corpus program: custom autograd Functions that support double backward.
# Follows: pytorch/tutorials intermediate_source/custom_function_double_backward_tutorial.rst
#          (commit d4e697bcefdadc591b93ebdc87905f08018fe27a), "Double Backward with Custom
#          Functions".
# Written for this corpus after that page's steps (the same five Functions, inputs and checks);
# no text copied. Edits: the page draws each graph with torchviz; here each gradient, its
# grad_fn and the nodes that feed it are printed instead, and gradcheck's results are printed.
# gradgradcheck is given its grad_outputs (random ones drawn here), as PyTorch's would draw
# them from the global stream and shift every later draw.
import torch


def gradgradcheck(fn, x):
    out = fn(x)
    return torch.autograd.gradgradcheck(fn, x, torch.rand(out.shape, dtype=out.dtype) * 2 - 1)


def show(name, grad_x):
    """What the torchviz picture shows: is the gradient itself part of a graph, and of which."""
    print(name, grad_x)
    if grad_x.grad_fn is None:
        print("  no graph behind it")
    else:
        print("  grad_fn:", grad_x.grad_fn)
        print("  fed by:", [type(node).__name__ if node is not None else None
                            for node, _ in grad_x.grad_fn.next_functions])


# Saving the inputs: backward is built from recorded ops, so it can be differentiated.
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return grad_out * 2 * x


x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
print("Square gradcheck:", torch.autograd.gradcheck(Square.apply, x))
print("Square gradgradcheck:", gradgradcheck(Square.apply, x))

x = torch.tensor(1., requires_grad=True).clone()
out = Square.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
show("Square: d out/dx =", grad_x)


# Saving the outputs: they have a grad_fn too (this Function's own node).
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = torch.exp(x)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_out):
        result, = ctx.saved_tensors
        return result * grad_out


x = torch.tensor(1., requires_grad=True, dtype=torch.double).clone()
print("Exp gradcheck:", torch.autograd.gradcheck(Exp.apply, x))
print("Exp gradgradcheck:", gradgradcheck(Exp.apply, x))
out = Exp.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
show("Exp: d out/dx =", grad_x)


# Saving intermediate results: return them as extra outputs, so that backward's
# graph reaches them, and let backward take their gradients too.
class Sinh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2, expx, expnegx

    @staticmethod
    def backward(ctx, grad_out, grad_out_exp, grad_out_negexp):
        expx, expnegx = ctx.saved_tensors
        grad_input = grad_out * (expx + expnegx) / 2
        grad_input += grad_out_exp * expx
        grad_input -= grad_out_negexp * expnegx
        return grad_input


def sinh(x):
    return Sinh.apply(x)[0]


x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
print("Sinh gradcheck:", torch.autograd.gradcheck(sinh, x))
print("Sinh gradgradcheck:", gradgradcheck(sinh, x))
out = sinh(x)
grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
show("Sinh: d out/dx =", grad_x)


# What not to do: intermediates kept on ctx are outside every graph.
class SinhBad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.expx = expx
        ctx.expnegx = expnegx
        return (expx - expnegx) / 2

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out * (ctx.expx + ctx.expnegx) / 2


out = SinhBad.apply(x)
grad_x, = torch.autograd.grad(out.sum(), x, create_graph=True)
show("SinhBad: d out/dx =", grad_x)
print("  requires grad:", grad_x.requires_grad)


# When backward can't be recorded (NumPy, C++): make it a Function of its own.
def cube_forward(x):
    return x ** 3


def cube_backward(grad_out, x):
    return grad_out * 3 * x ** 2


def cube_backward_backward(grad_out, sav_grad_out, x):
    return grad_out * sav_grad_out * 6 * x


def cube_backward_backward_grad_out(grad_out, x):
    return grad_out * 3 * x ** 2


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return cube_forward(x)

    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return CubeBackward.apply(grad_out, x)


class CubeBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, grad_out, x):
        ctx.save_for_backward(x, grad_out)
        return cube_backward(grad_out, x)

    @staticmethod
    def backward(ctx, grad_out):
        x, sav_grad_out = ctx.saved_tensors
        dx = cube_backward_backward(grad_out, sav_grad_out, x)
        dgrad_out = cube_backward_backward_grad_out(grad_out, x)
        return dgrad_out, dx


x = torch.tensor(2., requires_grad=True, dtype=torch.double)
print("Cube gradcheck:", torch.autograd.gradcheck(Cube.apply, x))
print("Cube gradgradcheck:", gradgradcheck(Cube.apply, x))
out = Cube.apply(x)
grad_x, = torch.autograd.grad(out, x, create_graph=True)
show("Cube: d out/dx =", grad_x)
grad_grad_x, = torch.autograd.grad(grad_x, x)
print("Cube: d2 out/dx2 =", grad_grad_x)
