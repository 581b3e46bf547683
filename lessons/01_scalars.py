# %% [markdown]
# # Lesson 1: Scalars and the chain rule
#
# **You will learn**
#
# - what a gradient says: how much a result moves when you nudge one input;
# - the chain rule, the one idea behind every `backward()`;
# - how a `Scalar` records the computation that made it, as a graph;
# - to compute gradients by hand, then let the engine do it, and check one against the other.
#
# Everything here is plain Python floats. The engine is `autodidact/scalar.py`
# (about 200 lines) and `autodidact/graph.py`: read them after this lesson.
#
# Run it: `autodidact lesson 1` (in the course's checkout, `python lessons/01_scalars.py` also
# runs it, without these explanations).

# %%
import math

from autodidact.scalar import Scalar
import viz
from lessons.course import Lesson

lesson = Lesson(1)

# %% [markdown]
# ## A derivative is a nudge
#
# Take `f(x) = x*x + x` at `x = 3`. Nudge `x` by a tiny `h` and see how far `f`
# moves: the ratio of the two is the derivative. Calculus says it is `2x + 1`,
# which is 7 at `x = 3`.

# %%
def f(x):
    return x * x + x


h = 1e-6
print("f(3)                  =", f(3.0))
print("(f(3 + h) - f(3)) / h =", round((f(3.0 + h) - f(3.0)) / h, 4), " <- the slope, 2*3 + 1 = 7")

# %% [markdown]
# ## The chain rule
#
# When `y = g(u)` and `u = k(x)`, a nudge of `x` moves `u` by `du/dx` times as
# much, and each bit of `u` moves `y` by `dy/du`. So
#
#     dy/dx = dy/du * du/dx
#
# A long computation is a chain of small steps, and its derivative is the
# product of the steps' local derivatives. `backward()` is nothing more than
# this, done for every input at once, from the result backwards.

# %% [markdown]
# ## A Scalar remembers how it was made
#
# A `Scalar` holds one float, `.data`. Every operation on Scalars makes a new
# Scalar that remembers its *parents* and the *local derivative* with respect
# to each, worked out while computing. Here is one neuron with two inputs:
# `o = tanh(x1*w1 + x2*w2 + b)`. (If you know micrograd, these are its numbers.)

# %%
x1, x2 = Scalar(2.0, label="x1"), Scalar(0.0, label="x2")
w1, w2 = Scalar(-3.0, label="w1"), Scalar(1.0, label="w2")
b = Scalar(6.8813735870195432, label="b")

x1w1 = x1 * w1; x1w1.label = "x1*w1"
x2w2 = x2 * w2; x2w2.label = "x2*w2"
n = x1w1 + x2w2 + b; n.label = "n"
o = n.tanh(); o.label = "o"

print("o =", round(o.data, 4))
print("o was made by", repr(o.op), "from", [p.label for p in o.parents],
      "with local derivative", [round(d, 4) for d in o.local_grads], "= 1 - o**2")

# %% [markdown]
# The graph behind `o`: boxes are Scalars (data and grad), circles the
# operations. Every `grad` is still 0: nothing has gone backwards yet.

# %%
lesson.save(viz.draw_graph(o, rankdir="LR", title="o = tanh(x1*w1 + x2*w2 + b), before backward()"),
            "neuron_graph", "the neuron's graph; every grad is 0")

# %% [markdown]
# ## Backward by hand
#
# Start at the end: `do/do = 1`. Then one step at a time, the chain rule:
#
# - `o = tanh(n)`, so `do/dn = 1 - o**2` (the local derivative of tanh, times 1);
# - `n = x1w1 + x2w2 + b`: a sum passes its gradient unchanged to each term,
#   so `do/db = do/d(x1w1) = do/d(x2w2) = do/dn`;
# - `x1w1 = x1 * w1`: a product sends each factor the *other* factor,
#   so `do/dw1 = do/d(x1w1) * x1` and `do/dx1 = do/d(x1w1) * w1`.

# %%
do_dn = 1 - o.data ** 2
by_hand = {
    "b": do_dn,
    "w1": do_dn * x1.data, "x1": do_dn * w1.data,
    "w2": do_dn * x2.data, "x2": do_dn * w2.data,
}
for name, value in by_hand.items():
    print(f"by hand: do/d{name:<2} = {value:+.4f}")

# %% [markdown]
# ## Backward by the engine
#
# `o.backward()` does the same walk: it visits the Scalars from `o` back to the
# leaves, each after every Scalar that uses it, multiplies the gradient it
# receives by each local derivative and hands it to the parents.

# %%
o.backward()
for leaf in (b, w1, x1, w2, x2):
    agree = "agrees" if abs(leaf.grad - by_hand[leaf.label]) < 1e-12 else "DIFFERS"
    print(f"engine:  do/d{leaf.label:<2} = {leaf.grad:+.4f}   ({agree} with the hand computation)")

# %% [markdown]
# Now every box has its gradient. The numbers `#1, #2, ...` are the order in
# which `backward()` reached the boxes: each one only after all the boxes that
# use it.

# %%
lesson.save(viz.draw_graph(o, rankdir="LR", show_order=True,
                           title="after o.backward(): every grad filled in, #n = order reached"),
            "neuron_graph_backward", "the same graph with gradients, numbered in backward order")

# %% [markdown]
# ## Check with a nudge
#
# A gradient can always be checked numerically: nudge `w1` and recompute.

# %%
def neuron(w1_value):
    return math.tanh(x1.data * w1_value + x2.data * w2.data + b.data)


nudge = (neuron(w1.data + 1e-6) - neuron(w1.data - 1e-6)) / 2e-6
print(f"nudge:   do/dw1 = {nudge:+.4f}   (the engine said {w1.grad:+.4f})")

# %% [markdown]
# ## Gradients add up
#
# In `y = a*a + a`, `a` is used three times. Its gradient is the *sum* over
# every path from `y` back to `a`: `a + a + 1 = 2a + 1`. That is why the engine
# adds (`+=`) into `.grad`, and why a second `backward()` adds again.

# %%
a = Scalar(3.0, label="a")
y = a * a + a
y.backward()
print("after one backward:  a.grad =", a.grad, " (2*3 + 1)")
y.backward()
print("after two backwards: a.grad =", a.grad, "(added again: reset .grad between steps)")

# %%
lesson.done()
