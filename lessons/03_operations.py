# %% [markdown]
# # Lesson 3: Operations
#
# **You will learn**
#
# - three ways to add two tensors, and a fourth that writes into a tensor you give (`out=`);
# - in-place operations: the trailing underscore, `y.add_(x)`;
# - indexing and slicing like NumPy: `x[:, 1]`, `x[1:3]`, masks;
# - broadcasting: how a (3, 1) and a (1, 4) tensor add up to a (3, 4) one;
# - `view(-1, 15)`: the same numbers under another shape, sharing memory;
# - why `x[::-1]` fails, and what to write instead.

# %%
import numpy as np

import autodidact as torch
from lessons.course import Lesson, draw_numbers, draw_symbol

lesson = Lesson(3)
torch.manual_seed(0)
x = torch.rand(5, 3)
y = torch.rand(5, 3)

# %% [markdown]
# ## Adding: three ways, and `out=`
#
# `x + y`, `torch.add(x, y)` and `x.add(y)` all make a new tensor. With `out=`
# the result goes into a tensor you made beforehand (no new memory), and that
# same tensor is returned.

# %%
a = x + y
b = torch.add(x, y)
c = x.add(y)
result = torch.Tensor(5, 3)
returned = torch.add(x, y, out=result)
print("x + y, torch.add(x, y), x.add(y) agree:", torch.equal(a, b) and torch.equal(b, c))
print("out=result filled it:", torch.equal(result, a), "  and returned it:", returned is result)
print(f"x + y =\n{a}")

# %% [markdown]
# ## In place: the trailing underscore
#
# `y.add(x)` leaves `y` alone and returns a new tensor; `y.add_(x)` changes `y`
# itself (and returns it). Every in-place method ends in `_`: `add_`, `mul_`,
# `zero_`, `uniform_`. `y += x` is `y.add_(x)` too.

# %%
before = y.clone()
y.add(x)
print("after y.add(x):  y changed?", not torch.equal(y, before))
y.add_(x)
print("after y.add_(x): y changed?", not torch.equal(y, before), "  y == before + x:",
      torch.allclose(y, before + x))

# %% [markdown]
# ## Indexing and slicing
#
# NumPy's rules: `x[i]` is row `i`, `x[:, j]` column `j`, `x[1:3]` rows 1 and 2
# (the end is left out). A boolean tensor picks the elements where it is True.

# %%
x = torch.arange(15.0).view(5, 3)
print(f"x =\n{x}")
print("x[:, 1]        =", x[:, 1], "  (the seed's 'second column')")
print("x[0]           =", x[0])
print(f"x[1:3, :2]     =\n{x[1:3, :2]}")
print("x[x % 2 == 0]  =", x[x % 2 == 0], "  (a mask: the even numbers)")

# %% [markdown]
# A slice is a *view*: it shares memory with `x`. Writing into the slice writes
# into `x`. (A mask or a list of indices gives a copy instead.)

# %%
column = x[:, 1]
column[0] = 100.0
print("after column[0] = 100:  x[0] =", x[0])
x[0, 1] = 1.0   # put it back

# %%
fig, ax = lesson.figure()
column_1 = np.zeros((5, 3), bool); column_1[:, 1] = True
block = np.zeros((5, 3), bool); block[1:3, :2] = True
draw_numbers(ax, x.numpy(), "x", at=(0, 0))
draw_numbers(ax, x.numpy(), "x[:, 1]", highlight=column_1, at=(4, 0))
draw_numbers(ax, x.numpy(), "x[1:3, :2]", highlight=block, at=(8, 0))
fig.suptitle("Indexing picks boxes out of x\n(a slice is a view of the same memory)")
lesson.save(fig, "indexing", "the boxes x[:, 1] and x[1:3, :2] pick out")

# %% [markdown]
# ## Broadcasting
#
# Tensors of different shapes can be added when, comparing shapes from the
# right, each pair of sizes is equal or one of them is 1. A size-1 dimension is
# stretched (without copying) to match. So a (3, 1) column plus a (1, 4) row is
# a (3, 4) table: every row of the column with every column of the row.

# %%
col = torch.tensor([[0.0], [10.0], [20.0]])      # shape (3, 1)
row = torch.tensor([[1.0, 2.0, 3.0, 4.0]])       # shape (1, 4)
table = col + row
print("shapes:", tuple(col.shape), "+", tuple(row.shape), "->", tuple(table.shape))
print(table)
try:
    torch.ones(3) + torch.ones(2)
except RuntimeError as error:
    print("(3,) + (2,) does not broadcast:", error)

# %%
fig, ax = lesson.figure()
draw_numbers(ax, col.numpy(), "col (3, 1)", at=(0, 0))
draw_symbol(ax, "+", (1.75, 1.5))
draw_numbers(ax, row.numpy(), "row (1, 4)", at=(2.5, 1))
draw_symbol(ax, "=", (7.25, 1.5))
draw_numbers(ax, table.numpy(), "col + row (3, 4)", highlight=np.ones((3, 4), bool), at=(8, 0))
fig.suptitle("Broadcasting: size-1 dimensions stretch to match")
lesson.save(fig, "broadcasting", "a (3, 1) column plus a (1, 4) row: a (3, 4) table")

# %% [markdown]
# ## `view`: the same numbers, another shape
#
# The 15 numbers of a 5x3 tensor sit in memory in one row, row after row.
# `view` reads that same memory with another shape; `-1` means "whatever size
# makes the count right". Nothing is copied: change the view, change `x`.

# %%
x = torch.arange(15.0).view(5, 3)
v = x.view(-1, 15)
print("x.view(-1, 15).shape =", v.shape, "  x.view(15).shape =", x.view(15).shape)
v[0, 14] = -1.0
print("after v[0, 14] = -1:  x[4] =", x[4], " (shared memory)")
try:
    x.view(-1, 4)
except RuntimeError as error:
    print("x.view(-1, 4):", error)

# %% [markdown]
# A transpose is also a view, but its rows are no longer consecutive in memory,
# so `view` cannot flatten it. `reshape` can: it copies when it must.

# %%
t = x.t()
try:
    t.view(15)
except RuntimeError as error:
    print("x.t().view(15):", error)
print("x.t().reshape(15) =", t.reshape(15))

# %%
fig, ax = lesson.figure()
changed = (x == -1).numpy()
draw_numbers(ax, x.numpy(), "x: shape (5, 3)", highlight=changed, at=(6, 0))
draw_numbers(ax, v.numpy(), "x.view(-1, 15): shape (1, 15)", highlight=changed.reshape(1, 15),
             at=(0, 7))
fig.suptitle("One memory, two shapes: v[0, 14] = -1 changed x[4, 2]")
lesson.save(fig, "view", "x and x.view(-1, 15): the same 15 numbers, read two ways")

# %% [markdown]
# ## `x[::-1]` fails: use `flip`
#
# NumPy reverses with a negative step by reading memory backwards. PyTorch (and
# autodidact) tensors cannot have negative steps, so that slice is refused.
# `flip(dim)` makes a reversed copy.

# %%
try:
    x[::-1]
except ValueError as error:
    print("x[::-1]:", error)
print(f"x.flip(0) =\n{x.flip(0)}")

# %%
lesson.done()
