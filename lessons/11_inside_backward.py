# %% [markdown]
# # Lesson 11: Inside backward
#
# **You will learn**
#
# - why `backward()` must visit the graph in *topological order*, and what goes
#   wrong in any other order;
# - how the engine finds that order (a depth-first walk, without recursion);
# - that each op is a forward and a backward side by side, in one table;
# - to write your own op with `autograd.Function`, and to check its backward
#   with `gradcheck` (finite differences);
# - to swap an op's backward rule for an experiment, and get the original back.
#
# The engine is `autodidact/graph.py` (about 200 lines, half of them comments);
# the rules are in `autodidact/ops/`. After this lesson you can read both.

# %%
import autodidact as torch
from autodidact import autograd
from autodidact.graph import topological_order
from autodidact.function import swap_backward
import viz
from lessons.course import Lesson, COLORS

lesson = Lesson(11)

# %% [markdown]
# ## A graph where order matters
#
# `a` is used twice: directly, and through `tanh`. Its node must wait until the
# gradients from *both* uses have arrived, add them, and only then pass the sum on.

# %%
w = torch.tensor([0.5, -1.0], requires_grad=True)
x = torch.tensor([2.0, 3.0])
a = w * x
b = a.tanh()
loss = (a * b).sum()
names = {"w": w, "x": x, "a": a, "b = tanh(a)": b, "loss": loss}

order = topological_order(loss.grad_fn)
print("topological order:", " -> ".join(node.name() for node in order))
lesson.save(viz.draw_graph(loss, params=names, show_order=True, legend=True, rankdir="LR",
                           title="loss = (a * tanh(a)).sum(), a = w * x: #n is backward's order"),
            "graph_order", "the graph numbered in backward's order: a's node (MulBackward0 = a) "
            "comes after both of its users")

# %% [markdown]
# Step through it: at `a`'s node (`MulBackward0 = a`) the page says
# "2 contributions summed", with the piece from each user and their sum.

# %%
page = viz.walkthrough(loss, params=names)
print(f">> open {page.save(lesson.folder / 'walkthrough.html')} in a browser and step to "
      "MulBackward0 = a: two contributions, summed before being passed on")
page

# %% [markdown]
# ## The order: finished last comes first
#
# Walk depth-first from the loss; a node is *finished* when all the nodes it
# reaches are finished. Reverse the finishing order, and every node comes before
# all the nodes it feeds into on the way back. `graph.topological_order` does
# this with a list as a stack instead of recursion: Python stops recursing about
# 1,000 calls deep, and a training graph can be far deeper.
#
# A plain breadth-first walk (nearest first) looks similar but is wrong: it
# reaches `a`'s node after one of its users and passes the gradient on before the
# other user has sent its part. `autograd.backward` takes the order from a
# function you give it (`order_fn=`), so we can watch that happen: `w.grad` gets
# only part of its gradient, and the engine, finding a gradient that arrived too
# late, stops with an error.

# %%
def breadth_first(root):
    """Nearest nodes first: a tempting order, and a wrong one."""
    seen, queue, i = {root}, [root], 0
    while i < len(queue):
        for child, _ in queue[i].next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
        i += 1
    return queue


def grad_of_w(order_fn):
    w.grad = None
    loss = (w * x * (w * x).tanh()).sum()
    autograd.backward(loss, order_fn=order_fn)
    return w.grad


print("breadth-first order:", " -> ".join(node.name() for node in breadth_first(loss.grad_fn)))
print("w.grad with the engine's order:", grad_of_w(None))
try:
    grad_of_w(breadth_first)
except RuntimeError as error:
    print("w.grad with breadth-first:     ", w.grad, " <- only part of it, and then:")
    print("  RuntimeError:", error)

# %% [markdown]
# ## An op is a forward and a backward
#
# Every op of autodidact is a `Function` in `autodidact/ops/`: `forward` computes
# the result (and saves what backward will need), `backward` maps the output's
# gradient to one gradient per input. Multiplication, in its simplest form (the
# one in `ops/elementwise.py` also skips saving a factor no gradient will need):
#
#     class Mul(Function):
#         def forward(ctx, a, b):
#             ctx.save_for_backward(a, b)
#             return a * b
#
#         def backward(ctx, grad):
#             a, b = ctx.saved_tensors
#             return grad * b, grad * a
#
# Your own op is the same, with `autograd.Function` (PyTorch's spelling): its
# forward gets and returns Tensors. Here `x ** 3`, as a single op.

# %%
class Cube(autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 3 * x * x


v = torch.tensor([1.0, 2.0, -0.5], requires_grad=True)
y = Cube.apply(v)
print("Cube.apply(v) =", y)
y.sum().backward()
print("v.grad =", v.grad, " (3 v**2)")

# %% [markdown]
# ## gradcheck: trust, but verify
#
# A backward rule can be checked without any calculus: nudge each input element
# by a tiny `eps` both ways and compare the change of the output with what
# backward says. `autograd.gradcheck` does that; it wants float64 inputs, since
# float32's rounding would drown the tiny differences.

# %%
class BrokenCube(autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 2 * x * x          # wrong: the 3 became a 2


point = torch.tensor([1.0, 2.0, -0.5], dtype=torch.float64, requires_grad=True)
print("gradcheck(Cube):      ", autograd.gradcheck(Cube.apply, (point,)))
try:
    autograd.gradcheck(BrokenCube.apply, (point,))
except autograd.GradcheckError as error:
    print("gradcheck(BrokenCube):", error)

# %%
xs = torch.linspace(-1.5, 1.5, 61, dtype=torch.float64)
slopes = {}
for op in (Cube, BrokenCube):
    leaf = xs.clone().requires_grad_()
    op.apply(leaf).sum().backward()
    slopes[op.__name__] = leaf.grad.numpy()
h = 1e-4
numeric = (((xs + h) ** 3 - (xs - h) ** 3) / (2 * h)).numpy()
fig, ax = lesson.figure()
ax.plot(xs.numpy(), numeric, color=COLORS["black"], linewidth=6, alpha=0.35,
        label="finite differences (the truth)")
ax.plot(xs.numpy(), slopes["Cube"], color=COLORS["blue"], label="Cube's backward: 3x^2")
ax.plot(xs.numpy(), slopes["BrokenCube"], color=COLORS["orange"], linestyle="--",
        label="BrokenCube's backward: 2x^2")
ax.set_xlabel("x")
ax.set_ylabel("d(x^3)/dx")
ax.set_title("gradcheck compares backward with finite differences")
ax.legend()
lesson.save(fig, "gradcheck",
            "a right backward lies on the finite differences; a wrong one does not")

# %% [markdown]
# ## Swapping a rule, for one experiment
#
# `swap_backward(op, rule)` replaces one op's backward inside a `with` block and
# puts the original back at the end, even after an error. The exercises use it to
# plug *your* rules into the real engine. Here: a wrong rule for `exp`, caught by
# gradcheck, then the engine as before.

# %%
def wrong_exp_backward(ctx, grad):
    out, = ctx.saved_tensors
    return grad * out * 2                # d/dx exp(x) is exp(x), not twice that


with swap_backward("exp", wrong_exp_backward):
    ok = autograd.gradcheck(torch.exp, (point,), raise_exception=False)
    print("inside the with block, gradcheck(exp):", ok)
print("after it, gradcheck(exp):              ", autograd.gradcheck(torch.exp, (point,)))

# %%
lesson.done()
