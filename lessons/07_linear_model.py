# %% [markdown]
# # Lesson 7: The seed's linear model
#
# **You will learn**
#
# - to fit `y = w * x` to three points with nothing but autograd and a loop;
# - the training step: forward, loss, `backward()`, update `w` by hand, zero the gradient;
# - to read the loss as a curve over `w`, and gradient descent as walking down it;
# - why `w` approaches 2 but does not reach it in ten epochs.
#
# This is the seed's program, line for line, with one modern touch: `.item()`
# turns a one-element tensor into a Python number (the seed's `l.data[0]`).

# %%
import autodidact as torch
from autodidact.autograd import Variable
import viz
from lessons.course import Lesson, COLORS

lesson = Lesson(7)

# %% [markdown]
# ## The data and the model
#
# Three points on the line `y = 2x`. The model guesses `y_pred = x * w`,
# starting from `w = 1`. The loss of one point is the squared error.

# %%
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = Variable(torch.Tensor([1.0]), requires_grad=True)   # a random guess: 1.0


def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


print("predict (before training)", 4, forward(4).item())

# %% [markdown]
# One step's graph, for the first point. `w` enters through one multiplication,
# `y_pred = x * w`; the seed writes the square as `(y_pred - y) * (y_pred - y)`,
# so `y_pred` feeds two subtractions, and backward adds up what comes back
# along both paths.

# %%
l = loss(1.0, 2.0)
l.backward()
lesson.save(viz.draw_graph(l, params={"w": w, "loss": l},
                           title="loss(1.0, 2.0) = (1.0 * w - 2.0) * (1.0 * w - 2.0), "
                                 "after backward()"),
            "one_step_graph", "the graph of one sample's loss; w.grad = -2")
w.grad.data.zero_()

# %% [markdown]
# ## Training: the seed's loop
#
# For each point: compute the loss, `backward()` puts `d loss / d w` in `w.grad`,
# then step `w` a little *against* the gradient (downhill), and zero the gradient
# for the next point. `lr = 0.01` is the step size, the learning rate.

# %%
lr = 0.01
history = {"w": [w.item()], "loss": []}
for epoch in range(10):
    for x_val, y_val in zip(x_data, y_data):
        l = loss(x_val, y_val)
        l.backward()
        print("\tgrad: ", x_val, y_val, round(w.grad.item(), 4))
        w.data = w.data - lr * w.grad.data
        w.grad.data.zero_()          # lesson 8: what happens without this line
        history["w"].append(w.item())
    print("progress:", epoch, round(l.item(), 4))
    history["loss"].append(sum(loss(x, y).item() for x, y in zip(x_data, y_data)) / 3)

print("predict (after training)", 4, round(forward(4).item(), 4), " (the true answer: 8)")
print(f"w = {w.item():.6f}: close to 2, not there yet")

# %% [markdown]
# ## Why `w` slows down near 2
#
# The gradient is `2 * x * (x*w - y)`: it shrinks as the error shrinks, so the
# steps shrink too. The loss over all three points, as a function of `w`, is a
# parabola with its bottom at `w = 2`. Each step walks down its slope.

# %%
fig, (left, right) = lesson.figure(1, 2)
ws = [1.0 + i * 0.02 for i in range(101)]
curve = [sum((x * v - y) ** 2 for x, y in zip(x_data, y_data)) / 3 for v in ws]
left.plot(ws, curve, color=COLORS["black"], label="mean loss over the 3 points")
steps = history["w"]
left.plot(steps, [sum((x * v - y) ** 2 for x, y in zip(x_data, y_data)) / 3 for v in steps],
          "o", color=COLORS["orange"], label="w after each step")
left.axvline(2.0, color=COLORS["green"], linestyle=":", label="best w = 2")
left.set_xlabel("w")
left.set_ylabel("loss")
left.set_title("Walking down the loss")
left.legend()
right.plot(range(len(steps)), steps, color=COLORS["blue"], marker="o", markersize=5)
right.axhline(2.0, color=COLORS["green"], linestyle=":")
right.set_xlabel("step (one sample each)")
right.set_ylabel("w")
right.set_title(f"w: 1.0 -> {steps[-1]:.4f}")
fig.suptitle("Training y = w * x on (1, 2), (2, 4), (3, 6) with lr = 0.01")
lesson.save(fig, "training", "w walking down the loss curve towards 2, step by step")

# %% [markdown]
# ## The same loop, the modern way
#
# Today one writes the update under `no_grad()` and lets an optimizer do the
# arithmetic. Same numbers:

# %%
w2 = torch.tensor([1.0], requires_grad=True)
optimizer = torch.optim.SGD([w2], lr=0.01)
for epoch in range(10):
    for x_val, y_val in zip(x_data, y_data):
        optimizer.zero_grad()
        l = (x_val * w2 - y_val) ** 2
        l.backward()
        optimizer.step()
print(f"with optim.SGD: w = {w2.item():.6f}  (the seed's loop: {w.item():.6f})")

# %%
lesson.done()
