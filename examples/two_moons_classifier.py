"""A small classifier end to end: an MLP learns the two-moons dataset.

    python examples/two_moons_classifier.py

Two interleaving half circles can't be split by a straight line; a
network with one hidden layer bends the boundary around them. Every piece
is the PyTorch one: nn.Sequential, nn.CrossEntropyLoss on raw scores
(logits) and int64 labels, optim.Adam, and the loop zero_grad, forward,
loss, backward, step.
"""

import time

import autodidact as torch
from autodidact import datasets, nn, optim

torch.manual_seed(0)
X, y = datasets.two_moons(n_samples=200, noise=0.1, seed=0)   # X (200, 2) float32, y (200,) int64

model = nn.Sequential(
    nn.Linear(2, 32),
    nn.ReLU(),
    nn.Linear(32, 32),
    nn.ReLU(),
    nn.Linear(32, 2),      # one score per class
)
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.02)
print(model)


def accuracy():
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


start = time.perf_counter()
for step in range(301):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}  training accuracy {accuracy():.1%}")

final = accuracy()
print(f"trained {sum(p.numel() for p in model.parameters())} parameters on {len(y)} points "
      f"in {time.perf_counter() - start:.2f} s")
print(f"final training accuracy: {final:.1%}")
