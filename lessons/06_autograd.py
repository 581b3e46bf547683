# %% [markdown]
# # Lesson 6: Autograd
#
# **You will learn**
#
# - the seed's `Variable(tensor, requires_grad=True)`, and why today it is just a Tensor;
# - `.data`, `.grad`, `requires_grad`, `grad_fn`: what a tensor knows about its gradient;
# - how each operation records a node, so that `backward()` can walk back;
# - to read the computation graph drawn with its values, then with its gradients;
# - `no_grad()`, for work that must not be recorded.
#
# Lesson 1 did this with one float per `Scalar`. A tensor is the same idea with
# arrays: one node per *operation*, however many numbers it touches.

# %%
import warnings

import autodidact as torch
from autodidact.autograd import Variable
import viz
from lessons.course import Lesson

lesson = Lesson(6)

# %% [markdown]
# ## `Variable`: the old name for a tensor that wants gradients
#
# The seed writes `w = Variable(torch.Tensor([1.0]), requires_grad=True)`. Since
# PyTorch 0.4 a Variable *is* a Tensor: calling `Variable(...)` gives you a
# Tensor. Old code keeps working, new code writes
# `torch.tensor([1.0], requires_grad=True)`.

# %%
w = Variable(torch.Tensor([1.0]), requires_grad=True)
print("w =", w)
print("type(w):", type(w).__name__, "  isinstance(w, Variable):", isinstance(w, Variable))
print("w.requires_grad =", w.requires_grad, "  w.grad =", w.grad, "  w.grad_fn =", w.grad_fn,
      "  w.is_leaf =", w.is_leaf)
print("w.data =", w.data, "  (the same numbers, as a tensor that autograd ignores)")

# %% [markdown]
# ## Every operation leaves a node
#
# The seed's model is `y_pred = x * w` and its loss `(y_pred - y) ** 2`. Each
# result that depends on `w` gets a `grad_fn`: the node that knows how to send a
# gradient back to its inputs. `w` itself, made by you, is a *leaf*: no `grad_fn`.

# %%
x, y = 2.0, 4.0
y_pred = x * w
error = y_pred - y
loss = error ** 2
print("loss =", loss)
print("loss.grad_fn =", loss.grad_fn.name(), "-> its inputs' nodes:",
      [node.name() for node, _ in loss.grad_fn.next_functions if node is not None])
print("y_pred.grad_fn =", y_pred.grad_fn.name(), "  y_pred.is_leaf =", y_pred.is_leaf)

# %% [markdown]
# The whole graph, before `backward()`. Blue: the leaf `w` (its `grad` is still
# `None`). Yellow: the nodes, named as PyTorch names them. Green: the loss.

# %%
names = {"w": w, "y_pred": y_pred, "error": error, "loss": loss}
lesson.save(viz.draw_graph(loss, params=names, rankdir="LR",
                           title="loss = (x * w - y) ** 2, x = 2, y = 4, w = 1",
                           legend=True),
            "graph_forward", "the graph of the seed's loss, w.grad still None")

# %% [markdown]
# ## `backward()`
#
# `loss.backward()` walks the graph from the loss back to the leaves, applying
# the chain rule at each node, and leaves `d loss / d w` in `w.grad`. By hand:
# `loss = (x*w - y)**2`, so `d loss/d w = 2 * (x*w - y) * x = 2 * (2 - 4) * 2 = -8`.

# %% [markdown]
# Before calling it, watch it. `viz.walkthrough` runs backward on this graph with
# a recorder watching, and writes a page that steps through what the engine did
# at each node: the gradient arriving, the node's rule, what it sends on, and
# `w.grad` filling in. (It then puts `w.grad` back as it was: looking changes nothing.)

# %%
page = viz.walkthrough(loss, params=names)
print(f">> open {page.save(lesson.folder / 'walkthrough.html')} in a browser: the arrow keys "
      "step through backward, space plays")
page                            # in a notebook, the walkthrough shows here

# %%
loss.backward()
print("w.grad =", w.grad, "  (by hand: 2 * (x*w - y) * x = -8)")

# %%
lesson.save(viz.draw_graph(loss, params=names, show_order=True, rankdir="LR",
                           title="after loss.backward(): w.grad = -8  (#n = order reached)",
                           legend=True),
            "graph_backward", "the same graph after backward(): w.grad is filled in")

# %% [markdown]
# Only leaves keep their `.grad`: intermediate results pass the gradient on and
# forget it (asking warns you). Call `retain_grad()` before `backward()` to keep it.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("y_pred.grad =", y_pred.grad)
print("warning:", ". ".join(str(caught[0].message).split(". ")[:2]) + ". ...")
w2 = torch.tensor([1.0], requires_grad=True)
y_pred2 = x * w2
y_pred2.retain_grad()
((y_pred2 - y) ** 2).backward()
print("with retain_grad(): y_pred.grad =", y_pred2.grad, " (= 2 * (y_pred - y))")

# %% [markdown]
# ## Not everything may require grad
#
# Gradients need fractions: an integer tensor cannot require grad.

# %%
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as error:
    print("torch.tensor([1, 2], requires_grad=True):", error)

# %% [markdown]
# ## `no_grad()`: compute without recording
#
# Updating a weight is not part of the model: it must not be recorded (and
# changing a leaf in place while recording is refused). Inside
# `with torch.no_grad():` nothing gets a `grad_fn`.

# %%
try:
    w -= 0.1 * w.grad
except RuntimeError as error:
    print("w -= 0.1 * w.grad:", str(error).split(".")[0])
with torch.no_grad():
    w -= 0.1 * w.grad
    z = w * 3
print("inside no_grad: w =", w, " z.grad_fn =", z.grad_fn, " z.requires_grad =", z.requires_grad)

# %% [markdown]
# ## `.data` and `.detach()`
#
# Both give the same numbers as a tensor outside autograd. The seed updates with
# `w.data = w.data - 0.01 * w.grad.data`; modern code prefers `no_grad()`, and
# `.detach()` for taking a value out of the graph.

# %%
d = w.detach()
d[0] = 5.0                      # same memory: w changes too
print("w.detach():", d, " requires_grad =", d.requires_grad, "  after d[0] = 5: w =", w)

# %% [markdown]
# ## Three mistakes, and the pictures that explain them
#
# **`.grad` is None on an intermediate.** Drawn after `backward()`, a named
# intermediate says why its `.grad` stayed empty, and what keeps it. With all
# three of the seed's samples, the edge from `w` says one more thing: `w` (one
# number) was broadcast against `x` (three), so backward *sums* the three
# gradients that come back into one. The dashed arrows bring constants: no
# gradient goes back along them.

# %%
x3, y3 = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor([1.0], requires_grad=True)
y_pred = w * x3
loss = ((y_pred - y3) ** 2).mean()
loss.backward()
lesson.save(viz.draw_graph(loss, params={"w": w, "x": x3, "y": y3, "y_pred": y_pred,
                                         "loss": loss},
                           title="after backward(): y_pred.grad is None, w.grad is kept"),
            "grad_none", "the y_pred box: not a leaf, so no .grad unless retain_grad()")

# %% [markdown]
# **Backward twice.** `backward()` frees what each node saved for it (that is
# what keeps memory flat while training). A second `backward()` through the same
# graph fails; `show_saved=True` draws the freed nodes, dotted.

# %%
try:
    loss.backward()
except RuntimeError as error:
    print("second loss.backward():", str(error)[:80], "...")
    print("  ...", str(error)[str(error).index("Specify"):])
lesson.save(viz.draw_graph(loss, params={"w": w, "loss": loss}, show_saved=True,
                           title="after loss.backward(): what the nodes saved is freed"),
            "freed", "the dotted ops: backward freed their saved tensors")

# %% [markdown]
# **Changing a saved tensor in place.** `h * h` saves `h` to compute its
# gradient later. Change `h` in place afterwards and that gradient would be
# wrong, so `backward()` refuses. Drawn before `backward()`, the picture
# already shows the cause: which op saved what, at which version, and where
# the version moved on.

# %%
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = a * 2
out = (h * h).sum()
h.add_(1)                      # h is now at version 1; h * h saved version 0
lesson.save(viz.draw_graph(out, params={"a": a, "h": h, "out": out}, show_saved=True,
                           legend=True, title="h.add_(1) after h * h saved h"),
            "modified_in_place", "the purple op: it saved h at version 0, h is now at version 1")
try:
    out.backward()
except RuntimeError as error:
    print("out.backward():", str(error)[:160], "...")

# %%
lesson.done()
