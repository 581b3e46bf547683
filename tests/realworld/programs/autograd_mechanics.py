# Corpus program: how autograd records history, and the switches that stop it.
# Follows: pytorch/pytorch docs/source/notes/autograd.rst (commit
#          94eeb1b22fe4aed51a9fa85e145a6d83d4dc8368), "Autograd mechanics".
# Written for this corpus after that note's examples and statements (the graph recreated at
# every iteration, requires_grad and freezing, the grad modes, evaluation mode, in-place
# correctness checks, multithreaded backward, tensor hooks and in-place changes); no text
# copied. Edits: the note's code is mostly fragments; here each is completed into something
# that runs and prints. Left out, as autodidact has none of them: the saved-tensor attributes
# (grad_fn._saved_self, _raw_saved_*), saved_tensors_hooks, inference mode, Node hooks
# (register_hook/register_prehook on a grad_fn), complex numbers.
import threading

import torch
import torch.nn as nn

# The graph is recreated at every iteration: what you run is what you differentiate.
w = torch.tensor([1.0, -2.0], requires_grad=True)
for steps in (1, 3):
    y = w
    for _ in range(steps):
        y = y * 2 + 1
    loss = y.sum()
    names, node = [], loss.grad_fn
    while node is not None:
        names.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    print(steps, names)
    loss.backward()
    print(w.grad)
    w.grad = None

# requires_grad: only ops with an input that requires grad are recorded, and only
# leaves that require grad get .grad.
a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
print(a.requires_grad, b.requires_grad, c.requires_grad, c.is_leaf, c.grad_fn)

# Freezing part of a model.
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
model[0].requires_grad_(False)
out = model(torch.ones(2, 3)).sum()
out.backward()
print([(name, p.requires_grad, p.grad is None) for name, p in model.named_parameters()])

# Grad modes: no-grad records nothing, even for inputs that require grad.
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn)
with torch.no_grad():
    with torch.enable_grad():
        z = x * 2
print(z.requires_grad)
torch.set_grad_enabled(False)
print((x * 2).requires_grad)
torch.set_grad_enabled(True)
print((x * 2).requires_grad)


@torch.no_grad()
def doubled(t):
    return t * 2


print(doubled(x).requires_grad, torch.is_grad_enabled())

# An optimizer-style update in no-grad mode, then the updated weights used in grad mode.
with torch.no_grad():
    x -= 0.5 * torch.ones(2)
print(x, x.requires_grad, x.is_leaf)

# Evaluation mode is not a grad mode: it only switches modules like Dropout.
model.eval()
print(model.training, model(torch.ones(1, 3)).requires_grad)
model.train()
print(model.training)

# In-place correctness checks: a saved tensor changed in place is caught at backward.
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.sigmoid()
c = b * 2
b.mul_(3)
print(b._version)
try:
    c.sum().backward()
    print("no error")
except RuntimeError:
    print("RuntimeError")

d = a.exp()
d.add_(1)      # exp saved its output, which add_ then changed
try:
    d.sum().backward()
    print("no error")
except RuntimeError:
    print("RuntimeError")


# Multithreaded backward: each thread builds and runs its own graph.
results = []


def train_fn():
    x = torch.ones(5, 5, requires_grad=True)
    y = (x + 3) * (x + 4) * 0.5
    y.sum().backward()
    results.append(x.grad[0, 0].item())


threads = []
for _ in range(10):
    p = threading.Thread(target=train_fn, args=())
    p.start()
    threads.append(p)
for p in threads:
    p.join()
print(results)

# Tensor hooks run before .grad of a retain_grad tensor is filled, in registration order.
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()
h.register_hook(lambda g: print("hook 1 sees", g) or g * 2)
h.register_hook(lambda g: print("hook 2 sees", g))
(h * h).sum().backward()
print(h.grad, x.grad)

# A hook registered after an in-place change sees the gradient of the new value.
t = torch.tensor(1., requires_grad=True).sin()
t.cos_()
t.register_hook(lambda g: print("gradient at the new t:", g))
t.backward()
