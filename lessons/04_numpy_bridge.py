# %% [markdown]
# # Lesson 4: The NumPy bridge
#
# **You will learn**
#
# - that `t.numpy()` and `torch.from_numpy(a)` do not copy: tensor and array
#   share one block of memory, so changing one changes the other, both ways;
# - that `torch.tensor(a)` copies, when you want independence;
# - the two cases the bridge refuses, and the fix each error message gives:
#   a tensor that requires grad, and an array read backwards (`a[::-1]`).
#
# autodidact keeps its numbers in a NumPy array on the CPU, so the bridge is
# free: handing an array over is handing over the same memory.

# %%
import numpy as np

import autodidact as torch
from lessons.course import Lesson, draw_numbers, draw_symbol

lesson = Lesson(4)

# %% [markdown]
# ## Tensor to array: `.numpy()`
#
# Change the tensor in place, and the array sees it.

# %%
a = torch.ones(5)
b = a.numpy()
print("a =", a, "  b =", b)
a.add_(1)
print("after a.add_(1):")
print("a =", a, "  b =", b, "  <- b changed too: one memory")

# %% [markdown]
# ## Array to tensor: `torch.from_numpy`
#
# And the other way: change the array in place, and the tensor sees it. The
# dtype comes along: NumPy's default float64 stays float64.

# %%
c = np.ones(5)
d = torch.from_numpy(c)
np.add(c, 1, out=c)
print("after np.add(c, 1, out=c):")
print("c =", c, "  d =", d, "  <- d changed too")
print("d.dtype =", d.dtype, "(NumPy's float64 came along)")

# %% [markdown]
# Careful: only *in-place* changes are shared. `c = c + 1` makes a new array and
# points the name `c` at it; `d` still shows the old memory.

# %%
c = c + 1
print("after c = c + 1:  c =", c, "  d =", d, "  <- a new array, d unchanged")

# %% [markdown]
# ## When you want a copy: `torch.tensor(a)`

# %%
e = np.zeros(3)
f = torch.tensor(e)
e[0] = 42.0
print("after e[0] = 42:  e =", e, "  f =", f, "  <- torch.tensor copied")

# %%
fig, ax = lesson.figure()
ones = np.ones(5)
draw_numbers(ax, ones, "a = torch.ones(5)", at=(0, 0))
draw_numbers(ax, ones, "b = a.numpy()", at=(7, 0))
draw_numbers(ax, ones + 1, "a after a.add_(1)", highlight=np.ones(5, bool), at=(0, 2.4))
draw_numbers(ax, ones + 1, "b: the same memory", highlight=np.ones(5, bool), at=(7, 2.4))
draw_numbers(ax, np.array([42.0, 0, 0]), "e after e[0] = 42", highlight=[True, False, False],
             at=(1, 4.8))
draw_numbers(ax, np.zeros(3), "f = torch.tensor(e): a copy", at=(8, 4.8))
for y in (0.5, 2.9, 5.3):
    draw_symbol(ax, "<->" if y < 5 else "=/=", (6, y))
fig.suptitle("numpy() and from_numpy share memory; torch.tensor copies")
lesson.save(fig, "shared_memory", "change one side and the other changes; the copy does not")

# %% [markdown]
# ## What the bridge refuses
#
# A tensor that requires grad: NumPy would let you change it behind autograd's
# back. The message says what to do: `detach()` first (a tensor without grad,
# sharing the memory).

# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    w.numpy()
except RuntimeError as error:
    print("w.numpy():", error)
print("w.detach().numpy() =", w.detach().numpy())

# %% [markdown]
# An array read backwards has a negative stride (it walks memory right to left).
# Tensors cannot, so `from_numpy` refuses it; copying the array first makes an
# ordinary one.

# %%
r = np.arange(4.0)[::-1]
try:
    torch.from_numpy(r)
except ValueError as error:
    print("from_numpy(a[::-1]):", error)
print("from_numpy(a[::-1].copy()) =", torch.from_numpy(r.copy()))

# %%
lesson.done()
