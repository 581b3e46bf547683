# %% [markdown]
# # Lesson 9: Type pitfalls
#
# **You will learn**
#
# - the promotion rules: what dtype `a + b` gets when `a` and `b` differ;
# - that a Python number does not widen a tensor, so `int8 + 1000` wraps around;
# - integer division: `/` always gives floats, `//` rounds *down* (`-7 // 2 == -4`);
# - the casts that fail, and why: in-place results that don't fit, matrix
#   products of mixed dtypes, integer tensors asked for gradients or means;
# - what float32 cannot hold that float64 can.
#
# The seed warns of "type mismatch errors". Modern PyTorch promotes most mixed
# operations silently, which moves the trouble: from an error you see to a
# dtype you did not expect. autodidact follows PyTorch's rules exactly.

# %%
import numpy as np

import autodidact as torch
from lessons.course import Lesson, COLORS

lesson = Lesson(9)


def attempt(code, namespace):
    """Run one line; print its value, or the error it raised (its type and its message)."""
    try:
        print(f"{code:<44} -> {eval(code, globals(), namespace)!r}")
    except Exception as error:
        print(f"{code:<44} !! {type(error).__name__}: {error}")


# %% [markdown]
# ## Promotion: the wider type wins
#
# Categories go bool < integer < float. Mixing two tensors gives the wider
# dtype of the higher category: an int64 tensor plus a float32 tensor is float32;
# float32 plus float64 is float64.

# %%
i64 = torch.tensor([1, 2])
f32 = torch.tensor([1.0, 2.0])
f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
i8 = torch.tensor([100, 120], dtype=torch.int8)
ns = dict(i64=i64, f32=f32, f64=f64, i8=i8, torch=torch)
for code in ("(i64 + f32).dtype", "(f32 + f64).dtype", "(i8 + i64).dtype",
             "torch.result_type(i64, f32)"):
    attempt(code, ns)

# %% [markdown]
# ## A Python number does not widen a tensor
#
# A plain number (or a 0-d tensor) only counts by its *category*. `i8 + 1000`
# stays int8, and int8 holds -128..127: 100 + 1000 = 1100 wraps around to 76.
# A float number does lift an int tensor to floats, but to float32, not float64.

# %%
for code in ("i8 + 1000", "(i64 + 2.5).dtype",
             "(f32 + torch.tensor(1.0, dtype=torch.float64)).dtype"):
    attempt(code, ns)

# %% [markdown]
# The whole table for two tensors: row dtype + column dtype.

# %%
kinds = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
         torch.float16, torch.float32, torch.float64]
short = [str(k).split(".")[-1] for k in kinds]
table = [[str(torch.promote_types(a, b)).split(".")[-1] for b in kinds] for a in kinds]
rank = {name: i for i, name in enumerate(short)}
fig, ax = lesson.figure()
ax.imshow([[rank[c] for c in row] for row in table], cmap="Blues", vmin=-3, vmax=len(kinds) + 2)
for i, row in enumerate(table):
    for j, cell in enumerate(row):
        ax.text(j, i, cell.replace("float", "f").replace("uint", "u").replace("int", "i"),
                ha="center", va="center", fontsize=14,
                color="white" if rank[cell] >= 6 else "black", fontweight="bold")
ax.set_xticks(range(len(kinds)), [s.replace("float", "f").replace("uint", "u").replace("int", "i")
                                  for s in short])
ax.set_yticks(range(len(kinds)), short)
ax.grid(False)
ax.set_title("dtype of a + b (row + column): f = float, i = int, u = uint")
lesson.save(fig, "promotion_table", "which dtype wins for each pair; darker is wider")

# %% [markdown]
# ## Integer division
#
# `/` is true division: integers in, float32 out. `//` is floor division, which
# rounds towards minus infinity (as in Python, unlike C): `-7 // 2` is -4.
# `%` takes the sign of the divisor, so `(a // b) * b + a % b == a` always.

# %%
a, b = torch.tensor([7, -7]), torch.tensor([2, 2])
ns.update(a=a, b=b)
for code in ("a / b", "a // b", "a % b", "(a // b) * b + a % b"):
    attempt(code, ns)

# %% [markdown]
# ## Casts that fail, and why
#
# Each of these is refused with a message that says what was wrong:
#
# - an in-place result must fit the tensor it is written into: int64 can't take 0.5;
# - a matrix product needs both matrices of one dtype (no silent promotion there);
# - gradients need fractions: integer tensors can't require grad;
# - a mean of integers is a fraction too: say which float you want.

# %%
m32, m64 = torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64)
ns.update(m32=m32, m64=m64)
for code in ("i64.clone().add_(0.5)", "m64 @ m32", "torch.tensor([1, 2], requires_grad=True)",
             "i64.mean()"):
    attempt(code, ns)
print("The fixes:")
for code in ("i64.float().add_(0.5)", "m64 @ m32.to(m64.dtype)", "i64.float().mean()"):
    attempt(code, ns)

# %% [markdown]
# A classifier's labels must be int64 (class numbers), and a model's input must
# match its weights' dtype: a float64 batch into a float32 `nn.Linear` fails.

# %%
loss_fn, layer = torch.nn.CrossEntropyLoss(), torch.nn.Linear(2, 2)
ns.update(loss_fn=loss_fn, layer=layer)
for code in ("loss_fn(torch.zeros(3, 2), torch.tensor([0., 1., 1.]))",
             "layer(torch.zeros(1, 2, dtype=torch.float64))"):
    attempt(code, ns)

# %% [markdown]
# ## float32 against float64
#
# float32 keeps about 7 significant digits, float64 about 16. Past 2**24 =
# 16,777,216 float32 cannot even hold every whole number; 0.1 is never exact.

# %%
for code in ("torch.tensor(16777217.0).item()",
             "torch.tensor(16777217.0, dtype=torch.float64).item()",
             "torch.tensor(0.1).item()", "torch.tensor(0.1, dtype=torch.float64).item()",
             "(torch.tensor(1e8) + 1 - 1e8).item()"):
    attempt(code, ns)

# %% [markdown]
# The gap between one float and the next grows with the number. At a million,
# float32's neighbours are 0.06 apart; float64's are 1e-10 apart.

# %%
magnitudes = np.logspace(-4, 9, 200)
fig, ax = lesson.figure()
ax.loglog(magnitudes, np.spacing(magnitudes.astype(np.float32)), color=COLORS["orange"],
          label="float32 (torch.float, the default)")
ax.loglog(magnitudes, np.spacing(magnitudes), color=COLORS["blue"], linestyle="--",
          label="float64 (torch.double)")
ax.axhline(1.0, color=COLORS["black"], linestyle=":", linewidth=2)
ax.text(1.2e-4, 2.0, "gap of 1: whole numbers start to go missing", fontsize=15)
ax.set_xlabel("size of the number")
ax.set_ylabel("gap to the next float")
ax.set_title("How far apart neighbouring floats are")
ax.legend(loc="lower right")
lesson.save(fig, "float_spacing", "the gap between neighbouring floats, float32 against float64")

# %% [markdown]
# ## A cast after `requires_grad=True` makes a non-leaf
#
# `torch.tensor([1.0, 2.0], requires_grad=True).double()` looks like a float64
# weight, but the cast is an operation: the name now holds its *result*, an
# intermediate, and `.grad` stays `None` after `backward()`. The picture shows
# the real leaf (float32, with the gradient) and the cast (`ToCopyBackward0`)
# whose `.grad` nobody keeps. Give the dtype when you create it instead:
# `torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)`.

# %%
import warnings

import viz

w = torch.tensor([1.0, 2.0], requires_grad=True).double()
loss = (w * torch.tensor([3.0, 4.0], dtype=torch.float64)).sum()
loss.backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("w.is_leaf =", w.is_leaf, "  w.grad =", w.grad)
print("warning:", str(caught[0].message)[:90], "...")
lesson.save(viz.draw_graph(loss, params={"w": w, "loss": loss},
                           title="w = tensor(..., requires_grad=True).double(): "
                                 "w is the cast's result"),
            "cast_is_not_a_leaf", "the leaf keeps the gradient; the cast named w does not")

# %%
lesson.done()
