# %% [markdown]
# # Lesson 8: The zero-grad pitfall
#
# **You will learn**
#
# - that `backward()` *adds* into `.grad`; it never replaces it;
# - what training looks like when nobody resets the gradient: the seed's loop
#   without `w.grad.data.zero_()`, side by side with the right one;
# - to see the accumulation in the graph: a leaf fed by several passes is marked;
# - the three ways to reset (`w.grad.zero_()`, `w.grad = None`, `optimizer.zero_grad()`),
#   and when adding up on purpose is what you want.

# %%
import autodidact as torch
import viz
from lessons.course import Lesson

lesson = Lesson(8)

# %% [markdown]
# ## Gradients add up
#
# Call `backward()` three times on the same loss (rebuilt each time) and watch
# `w.grad`: -8, then -16, then -24. Each pass adds its -8 to what was there.

# %%
w = torch.tensor([1.0], requires_grad=True)
for n in (1, 2, 3):
    loss = (2.0 * w - 4.0) ** 2
    loss.backward()
    print(f"after backward() number {n}: w.grad = {w.grad.item():+.1f}")

# %% [markdown]
# Why add and not replace? Because a weight used in several places, or a loss
# made of several parts, must receive the *sum* of every contribution. The
# engine cannot know when a new training step begins: you tell it, by zeroing.

# %% [markdown]
# ## The graph remembers
#
# The seed's loss over the three samples, drawn after one `backward()` and after
# three without zeroing. The second picture marks `w`: its gradient holds three
# passes' worth.

# %%
def seed_loss(w):
    x, y = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
    y_pred = w * x
    loss = ((y_pred - y) ** 2).mean()
    return loss, {"w": w, "x": x, "y": y, "y_pred": y_pred, "loss": loss}


for passes, name in ((1, "graph_one_pass"), (3, "graph_three_passes")):
    w = torch.tensor([1.0], requires_grad=True)
    for _ in range(passes):
        loss, names = seed_loss(w)
        loss.backward()
    what = "one backward()" if passes == 1 else "three backward() calls, never zeroed"
    print(f"after {what}: w.grad = {w.grad.item():.4f}")
    lesson.save(viz.draw_graph(loss, params=names, legend=True, rankdir="LR",
                               title=f"loss = ((w * x - y) ** 2).mean() after {what}"),
                name, f"w's box after {what}" + (": marked as accumulated" if passes > 1 else ""))

# %% [markdown]
# Watch it happen: a walkthrough of three backward passes on one graph, never
# zeroed. Step to the end of each pass and look at `w.grad` before → after.

# %%
w = torch.tensor([1.0], requires_grad=True)
loss, names = seed_loss(w)
page = viz.walkthrough(loss, params=names, passes=3)
print(f">> open {page.save(lesson.folder / 'walkthrough.html')} in a browser: pass by pass, "
      "w.grad goes -9.3333, -18.6667, -28")
page

# %% [markdown]
# ## Training without zeroing
#
# `viz.zero_grad_experiment` runs the seed's loop twice from `w = 1`: once as
# written, once without `w.grad.data.zero_()`. Without it each step uses the
# sum of all the gradients so far: `w` overshoots 2 and keeps swinging.

# %%
result = viz.zero_grad_experiment(x_data=(1.0, 2.0, 3.0), y_data=(2.0, 4.0, 6.0), w0=1.0, lr=0.01)
print(f"final w, zeroing every step:  {result.zeroed.final_w:.4f}")
print(f"final w, never zeroing:       {result.accumulated.final_w:.4f}   (the best w is 2)")
for step in range(0, 9, 3):
    print(f"  step {step + 1}: w.grad used = {result.zeroed.grad[step]:+8.3f} (zeroed)"
          f"   {result.accumulated.grad[step]:+8.3f} (accumulated)")

# %%
lesson.save(viz.plot_zero_grad_pitfall(result), "zero_grad_pitfall",
            "the gradient, w and the loss per step, with and without zeroing")

# %% [markdown]
# ## Three ways to reset
#
# - `w.grad.zero_()` (the seed's `w.grad.data.zero_()`): fill the gradient with zeros;
# - `w.grad = None`: drop it; the next `backward()` makes a fresh one;
# - `optimizer.zero_grad()`: does it for every parameter (PyTorch's default, and
#   autodidact's, is `set_to_none=True`: it sets `.grad` to `None`).
#
# Careful: before the first `backward()` a gradient does not exist, so
# `w.grad.zero_()` fails there. Resetting to `None` never fails.

# %%
fresh = torch.tensor([1.0], requires_grad=True)
try:
    fresh.grad.zero_()
except AttributeError as error:
    print("fresh.grad.zero_() before any backward():", error)
optimizer = torch.optim.SGD([fresh], lr=0.1)
((3.0 * fresh) ** 2).backward()
print("after backward: fresh.grad =", fresh.grad)
optimizer.zero_grad()
print("after optimizer.zero_grad(): fresh.grad =", fresh.grad)

# %% [markdown]
# ## When adding up is what you want
#
# A batch too big for memory can be cut into pieces: call `backward()` on each
# piece's loss (scaled by the piece's share) and step once. Because gradients
# add up, the sum is the gradient of the whole batch. Exercise 3 builds this.

# %%
x, y = torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([2.0, 4.0, 6.0, 8.0])
w = torch.tensor([1.0], requires_grad=True)
((w * x - y) ** 2).mean().backward()
whole = w.grad.item()
w.grad = None
for part in (slice(0, 2), slice(2, 4)):
    (((w * x[part] - y[part]) ** 2).mean() * 0.5).backward()    # each half: half the weight
print(f"gradient of the whole batch: {whole:.4f};  summed over two halves: {w.grad.item():.4f}")

# %% [markdown]
# ## autodidact notices the forgotten `zero_grad()`
#
# `optimizer.step()` remembers which gradient each parameter held. When the
# next `step()` finds that same gradient still there, neither zeroed nor set to
# `None`, it warns, once per optimizer: a `StaleGradWarning` naming the
# parameters. (PyTorch has no such warning: there the loop just trains badly.)
# Several `backward()` calls before one `step()` are fine: only a gradient that
# a previous step already used is stale. Carrying gradients across steps on
# purpose? Set `optimizer.carry_grads = True`.

# %%
import warnings

w = torch.tensor([1.0], requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.01)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for step in range(3):
        loss, names = seed_loss(w)
        loss.backward()            # no optimizer.zero_grad() before it
        optimizer.step()
print(f"{caught[0].category.__name__}: {str(caught[0].message)[:150]} ...")
print(f"w.grad at the third step: {w.grad.item():.4f}, {w.grad_passes} passes deep "
      "(graph_three_passes.png above draws the same thing)")

# %% [markdown]
# The seed's loop updates `w` by hand, with no optimizer to notice. It can ask:
# `torch.optim.check_stale_grads({"w": w})` before each update warns the same
# way (autodidact only; drop the line when you move to PyTorch).

# %%
w = torch.tensor([1.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for step in range(2):
        loss, _ = seed_loss(w)
        loss.backward()
        stale = torch.optim.check_stale_grads({"w": w})
        w.data -= 0.01 * w.grad.data
        # forgotten: w.grad.data.zero_()
print(f"second update: stale = {stale};  {caught[0].category.__name__}: "
      f"{str(caught[0].message)[:70]} ...")

# %%
lesson.done()
