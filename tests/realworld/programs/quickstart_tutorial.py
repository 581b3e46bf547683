# Corpus program: the whole "Learn the Basics" quickstart: data, model, training, testing,
# saving and loading, predicting.
# Follows: pytorch/tutorials beginner_source/basics/quickstart_tutorial.py
#          (commit afcd669d56554c2ef46f2da92edbfaf8c54043ec), "Learn the Basics: Quickstart".
# Written for this corpus after that page's steps (same model, loss, optimiser, batch size and
# printed lines); no text copied.
# Edits: FashionMNIST, which the page downloads through torchvision, is replaced by fixed
# arrays made with NumPy (3200 training and 640 test images of 1x28x28, labelled by a fixed
# linear rule), read through a small Dataset in place of `datasets.FashionMNIST(...,
# transform=ToTensor())`; 5 epochs -> 2 (100 training steps).
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

batch_size = 64

train_dataloader = DataLoader(training_data, batch_size=batch_size)
test_dataloader = DataLoader(test_data, batch_size=batch_size)

for X, y in test_dataloader:
    print(f"Shape of X [N, C, H, W]: {X.shape}")
    print(f"Shape of y: {y.shape} {y.dtype}")
    break

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")


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


model = NeuralNetwork().to(device)
print(model)

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)

        pred = model(X)
        loss = loss_fn(pred, y)

        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 100 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


epochs = 2
for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
    test(test_dataloader, model, loss_fn)
print("Done!")

torch.save(model.state_dict(), "model.pth")
print("Saved PyTorch Model State to model.pth")

model = NeuralNetwork().to(device)
model.load_state_dict(torch.load("model.pth", weights_only=True))

classes = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

model.eval()
x, y = test_data[0][0], test_data[0][1]
with torch.no_grad():
    x = x.to(device)
    pred = model(x)
    predicted, actual = classes[pred[0].argmax(0)], classes[y]
    print(f'Predicted: "{predicted}", Actual: "{actual}"')
