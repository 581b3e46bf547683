# %% [markdown]
# # Lesson 10: A small network, end to end
#
# **You will learn**
#
# - to build a model as an `nn.Module`: layers as attributes, `forward` as the recipe;
# - to classify with `nn.CrossEntropyLoss` (logits in, class numbers as labels);
# - the training loop with an optimizer: `zero_grad()`, forward, loss, `backward()`, `step()`;
# - to judge the result: accuracy, and the decision boundary drawn over the plane;
# - to watch the gradients during training, and to draw a whole model's graph.
#
# The data: two interleaving half moons. No straight line separates them, so the
# model needs a hidden layer and a non-linearity.

# %%
import autodidact as torch
from autodidact import datasets, nn, optim
import viz
from lessons.course import Lesson, COLORS

lesson = Lesson(10)
torch.manual_seed(0)

# %% [markdown]
# ## The data
#
# 200 points `X` of shape (200, 2) and their classes `y` (0 or 1, int64), made
# from a seed: the same every run, nothing downloaded.

# %%
X, y = datasets.two_moons(200, noise=0.15, seed=0)
print("X:", tuple(X.shape), X.dtype, "  y:", tuple(y.shape), y.dtype,
      "  classes:", sorted(set(y.tolist())))

fig, ax = lesson.figure()
for label, color, marker in ((0, COLORS["blue"], "o"), (1, COLORS["orange"], "s")):
    points = X[y == label].numpy()
    ax.scatter(points[:, 0], points[:, 1], color=color, marker=marker, s=50, edgecolors="black",
               label=f"class {label}")
ax.set_title("Two moons: no straight line separates them")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.legend()
lesson.save(fig, "two_moons_data", "the two classes; try to draw a straight line between them")

# %% [markdown]
# ## The model
#
# Two inputs, a hidden layer of 16 units with `tanh`, and 2 outputs, one *logit*
# per class (the larger one wins). Layers assigned as attributes are registered:
# `model.parameters()` finds their weights and biases.

# %%
class TwoMoonsNet(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.layer1 = nn.Linear(2, hidden)
        self.layer2 = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.layer2(torch.tanh(self.layer1(x)))


model = TwoMoonsNet()
print(model)
for name, p in model.named_parameters():
    print(f"  {name:<14} {tuple(p.shape)}")
print("parameters in all:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# ## Loss and optimizer
#
# `CrossEntropyLoss` turns logits into probabilities (softmax) and scores the
# probability given to the right class. Adam is gradient descent that adapts
# each parameter's step size.

# %%
loss_fn = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.05)
recorder = viz.GradRecorder(model)


def accuracy(logits, labels):
    return (logits.argmax(dim=1) == labels).float().mean().item()


print(f"before training: loss {loss_fn(model(X), y).item():.3f}, "
      f"accuracy {accuracy(model(X), y):.0%} (random weights)")

# %% [markdown]
# ## The training loop
#
# The four lines at the heart of every PyTorch program. We train on all 200
# points at once (full batch); real data comes in mini-batches, same loop.
#
# Run this program on PyTorch (`import torch` instead of autodidact, the same
# points) and it prints the same losses, from 0.8145 at step 0 to 0.0055 at
# step 199: `manual_seed(0)` gives both libraries the same starting weights.

# %%
losses, accuracies = [], []
for step in range(200):
    optimizer.zero_grad()            # lesson 8: forget the last step's gradients
    logits = model(X)
    loss = loss_fn(logits, y)
    loss.backward()
    recorder.record()                # note each parameter's gradient size
    optimizer.step()
    losses.append(loss.item())
    accuracies.append(accuracy(logits, y))
    if step % 40 == 0 or step == 199:
        print(f"step {step:3d}: loss {loss.item():.4f}, accuracy {accuracies[-1]:.0%}")

# %% [markdown]
# ## What it learned
#
# The decision boundary: every point of the plane coloured by the class the model
# predicts there. A curve now separates the moons.

# %%
lesson.save(viz.plot_decision_boundary(model, X, y), "decision_boundary",
            "the curved boundary the network learned between the moons")

# %%
fig, (left, right) = lesson.figure(1, 2)
left.plot(losses, color=COLORS["blue"])
left.set_yscale("log")
left.set_xlabel("step")
left.set_ylabel("cross-entropy loss (log scale)")
left.set_title("Loss")
right.plot([100 * a for a in accuracies], color=COLORS["green"])
right.set_xlabel("step")
right.set_ylabel("accuracy (%)")
right.set_title(f"Accuracy: {accuracies[-1]:.0%} at the end")
lesson.save(fig, "training_curves", "the loss falling and the accuracy rising, step by step")

# %% [markdown]
# How big each parameter's gradient was at each step: large at first, smaller
# as the model settles.

# %%
lesson.save(viz.plot_grad_history(recorder, title="Gradient size per parameter"), "grad_history",
            "the size of each parameter's gradient over training")

# %% [markdown]
# ## The model's graph
#
# One forward pass on a batch of 4 points, drawn: the parameters grouped by
# layer (`layer1.weight` and `layer1.bias` in one frame), and the ops between.

# %%
optimizer.zero_grad()
small_loss = loss_fn(model(X[:4]), y[:4])
small_loss.backward()
names = {**dict(model.named_parameters()), "loss": small_loss}
lesson.save(viz.draw_graph(small_loss, params=names, show_data=False,
                           title="cross-entropy of TwoMoonsNet on 4 points, after backward()"),
            "model_graph", "the network's graph, parameters framed by layer")

# %%
lesson.done()
