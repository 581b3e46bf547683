# Corpus program: tensors, as the 60-minute blitz ("What is PyTorch?") introduces them.
# Follows: pytorch/tutorials beginner_source/blitz/tensor_tutorial.py
#          (commit 08c4ec986e5eddc66264d3f00f256aafe22d2786, an earlier edition of the page),
#          pytorch/tutorials is BSD-3-Clause licensed.
# Written for this corpus after that page's steps (same tensors, operations and printed
# lines); no text copied. Edits: the uninitialised `empty(5, 3)` is shown by its shape and
# dtype, not its values (they are whatever was in memory).
import numpy as np
import torch

# An uninitialised 5x3 matrix, a random one, a zero one of longs, one from data
x = torch.empty(5, 3)
print(x.shape, x.dtype)

x = torch.rand(5, 3)
print(x)

x = torch.zeros(5, 3, dtype=torch.long)
print(x)

x = torch.tensor([5.5, 3])
print(x)

# New tensors from an existing one: its dtype and device unless told otherwise
x = x.new_ones(5, 3, dtype=torch.double)
print(x)

x = torch.randn_like(x, dtype=torch.float)
print(x)

print(x.size())

# Addition, four ways
y = torch.rand(5, 3)
print(x + y)

print(torch.add(x, y))

result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)

y.add_(x)   # in place: y changes
print(y)

# NumPy-like indexing
print(x[:, 1])

# Reshaping with view (-1 is inferred)
x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)
print(x.size(), y.size(), z.size())

# A one-element tensor to a Python number
x = torch.randn(1)
print(x)
print(x.item())

# The NumPy bridge shares memory both ways
a = torch.ones(5)
print(a)

b = a.numpy()
print(b)

a.add_(1)
print(a)
print(b)

a = np.ones(5)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(a)
print(b)

# Tensors on a GPU, when there is one
if torch.cuda.is_available():
    device = torch.device("cuda")
    y = torch.ones_like(x, device=device)
    x = x.to(device)
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))
