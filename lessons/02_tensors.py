# %% [markdown]
# # Lesson 2: Tensors
#
# **You will learn**
#
# - that `Tensor(5, 3)` gives you *uninitialised* memory: not random, not zeros;
# - to fill a tensor in place with `uniform_(-1, 1)`, and what the trailing `_` means;
# - to ask a tensor its shape: `size()`, `shape`, `numel()`;
# - the ways to create tensors that say what you mean (`zeros`, `rand`, `arange`...);
# - dtypes: `float32` by default, `int64` for whole numbers, and what each costs in memory.
#
# This is the seed's first section. `import autodidact as torch` makes the code
# read exactly as PyTorch: everything below runs on PyTorch with that line changed.

# %%

import autodidact as torch
from lessons.course import Lesson, COLORS

lesson = Lesson(2)

# %% [markdown]
# ## `Tensor(5, 3)`: a 5x3 block of memory, as it was
#
# The seed starts with `x = torch.Tensor(5, 3)`. Two numbers are a *shape*, and
# the tensor gets memory for 15 float32 numbers but nobody writes to it: you see
# whatever bytes were there before. Watch: we fill a tensor with 7.25, drop it,
# and ask for a new one of the same size.

# %%
old = torch.full((5, 3), 7.25)
del old                      # its memory goes back to the allocator...
x = torch.Tensor(5, 3)       # ...which may hand the same bytes out again
print(x)
print("Leftovers (here probably 7.25), zeros or garbage: never rely on them.")
print("Say what you mean instead: torch.empty(5, 3) (the same, on purpose),",
      "torch.zeros(5, 3), torch.rand(5, 3).")

# %% [markdown]
# One trap: `Tensor(3)` is a shape (3 uninitialised numbers), `Tensor([3])` is
# data (one number, 3.0).

# %%
print("torch.Tensor(3).shape =", torch.Tensor(3).shape, "   torch.Tensor([3]) =", torch.Tensor([3]))

# %% [markdown]
# ## Filling in place: `uniform_(-1, 1)`
#
# A method ending in `_` changes the tensor itself and returns it. `uniform_`
# draws each number evenly from `[-1, 1)`: -1 can come out, 1 never does.

# %%
torch.manual_seed(0)            # the same "random" numbers every run
r = x.uniform_(-1, 1)
print(x)
print("r is x:", r is x, "  (in place: the same tensor, now filled)")

# %% [markdown]
# ## Its size
#
# `x.size()` and `x.shape` are the same thing, a `Size`, which is a tuple.

# %%
print("x.size()  =", x.size())
print("x.shape   =", x.shape, "  equal:", x.size() == x.shape, "  a tuple:", x.size() == (5, 3))
print("x.size(0) =", x.size(0), " rows;  x.size(1) =", x.size(1), " columns;  numel =", x.numel())

# %% [markdown]
# ## Creating tensors that say what you mean

# %%
print(f"torch.tensor([[1, 2], [3, 4]]) =\n{torch.tensor([[1, 2], [3, 4]])}")
print(f"torch.zeros(2, 3) =\n{torch.zeros(2, 3)}")
print(f"torch.eye(3) =\n{torch.eye(3)}")
print("torch.full((3,), 0.5)   =", torch.full((3,), 0.5))
print("torch.arange(0, 10, 3)  =", torch.arange(0, 10, 3))
print("torch.linspace(0, 1, 5) =", torch.linspace(0, 1, 5))
torch.manual_seed(1)
print("torch.randn(4) =", torch.randn(4), "(normal: mean 0, standard deviation 1)")

# %% [markdown]
# ## Same seed, same numbers as PyTorch
#
# "Random" numbers on a computer come from a generator: a machine that, started
# from a *seed*, always produces the same sequence. `manual_seed(0)` restarts it.
# autodidact's generator is PyTorch's (a Mersenne Twister, with PyTorch's exact
# recipes for turning its bits into `rand`, `randn`, `randint`...), so after the
# same seed you get the numbers PyTorch prints, to the last digit:
#
#     >>> torch.manual_seed(0); torch.rand(3)      # in PyTorch
#     tensor([0.4963, 0.7682, 0.0885])
#
# Why it matters: when you follow a tutorial or a lecture video, you can compare
# your numbers with the page. Same seed and same numbers means your code does
# what theirs does; a different loss then points at a real difference in your
# code, not at the dice. Programs that need several independent streams make
# their own generators: `g = torch.Generator().manual_seed(2147483647)`, then
# `torch.randn(3, generator=g)`.

# %%
torch.manual_seed(0)
print("torch.manual_seed(0); torch.rand(3) =", torch.rand(3))   # tensor([0.4963, 0.7682, 0.0885])
g = torch.Generator().manual_seed(2147483647)
print("torch.randn(3, generator=g) =", torch.randn(3, generator=g))   # [-0.9800, -1.6578, -0.0572]
print("is this machine's stream verified identical to PyTorch's?",
      torch.random.exact_streams()[0])

# %% [markdown]
# ## A picture of "random"
#
# 100,000 draws of each: `uniform_(-1, 1)` is flat between -1 and 1; `randn` is
# the bell curve, mostly within -2..2 but with no hard edge.

# %%
torch.manual_seed(0)
uniform = torch.empty(100_000).uniform_(-1, 1)
normal = torch.randn(100_000)
fig, (left, right) = lesson.figure(1, 2)
left.hist(uniform.numpy(), bins=40, color=COLORS["blue"], edgecolor="black")
left.set_title("empty(n).uniform_(-1, 1)")
left.set_xlabel("value")
left.set_ylabel("how many")
right.hist(normal.numpy(), bins=40, color=COLORS["orange"], edgecolor="black")
right.set_title("randn(n)")
right.set_xlabel("value")
fig.suptitle("100,000 draws each: flat between -1 and 1, and a bell")
lesson.save(fig, "uniform_vs_normal", "the flat histogram next to the bell")

# %% [markdown]
# ## dtypes: what each number is
#
# Every tensor has one dtype for all its numbers. Floats default to `float32`;
# `torch.tensor` of whole numbers gives `int64`. Beware: `torch.Tensor(...)` (capital T)
# always makes `float32`, even from whole numbers.

# %%
print("torch.tensor([1, 2]).dtype   =", torch.tensor([1, 2]).dtype)
print("torch.Tensor([1, 2]).dtype   =", torch.Tensor([1, 2]).dtype)
print("torch.tensor([1.5]).dtype    =", torch.tensor([1.5]).dtype)
print("torch.tensor([True]).dtype   =", torch.tensor([True]).dtype)
d = torch.tensor([1.5, 2.5]).to(torch.float64)
print("to(torch.float64):", d, "  .int():", d.int(), "(casting to int cuts the fraction off)")

# %% [markdown]
# What a dtype costs: bytes per number. A million float64 numbers take 8 MB,
# twice what float32 takes; that is why deep learning uses float32 (or less).

# %%
dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.float16, torch.int32,
          torch.float32, torch.int64, torch.float64]
sizes = [torch.zeros(1, dtype=dt).element_size() for dt in dtypes]
for dt, size in zip(dtypes, sizes):
    print(f"  {str(dt):<22} {size} byte{'s' if size > 1 else ''} per number")
fig, ax = lesson.figure()
names = [str(dt).split(".")[-1] for dt in dtypes]
colors = [COLORS["orange"] if "float" in n else COLORS["blue"] for n in names]
ax.barh(names, sizes, color=colors, edgecolor="black")
ax.set_xlabel("bytes per number (element_size())")
ax.set_title("Bytes per number: floats orange, integers and bool blue")
ax.set_xticks(range(0, 9))
lesson.save(fig, "dtype_sizes", "bytes per number for each dtype; float32 is the default")

# %%
lesson.done()
