# Corpus program: "Learn the Basics: Optimizing Model Parameters": hyper-parameters, the
# training and test loops, loss and optimiser.
# Follows: pytorch/tutorials beginner_source/basics/optimization_tutorial.py
#          (commit 802d68671f544c32347a2f1e780b80fcc2d8c9e7).
# Written for this corpus after that page's steps (same model, loss, optimiser,
# hyper-parameters and printed lines); no text copied.
# Edits: FashionMNIST, which the page downloads through torchvision, is replaced by fixed
# arrays made with NumPy (3200 training and 640 test images of 1x28x28, labelled by a fixed
# linear rule), read through a small Dataset in place of `datasets.FashionMNIST(...,
# transform=ToTensor())`; 10 epochs -> 2 (100 training steps).
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class FixedImages(Dataset):
    """Stands in for FashionMNIST with ToTensor(): (1x28x28 float image in [0, 1), label)."""

    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        pixels = rng.random((n, 1, 28, 28), dtype=np.float32)
        self.images = pixels * (rng.random((n, 1, 28, 28)) < 0.5)
        rule = np.random.default_rng(1).standard_normal((784, 10))
        self.labels = (self.images.reshape(n, 784) @ rule).argmax(1)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return torch.from_numpy(self.images[idx]), int(self.labels[idx])


training_data = FixedImages(3200, seed=2)
test_data = FixedImages(640, seed=3)

train_dataloader = DataLoader(training_data, batch_size=64)
test_dataloader = DataLoader(test_data, batch_size=64)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10)
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()

learning_rate = 1e-3
batch_size = 64
epochs = 2

# the loss for classification: log-softmax and negative log likelihood together
loss_fn = nn.CrossEntropyLoss()

optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    # training mode matters for batch normalisation and dropout; set here as good practice
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)

        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 100 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0

    # no gradients are needed to evaluate
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()

    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(test_dataloader, model, loss_fn)
print("Done!")
