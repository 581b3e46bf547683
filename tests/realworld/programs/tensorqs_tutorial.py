# Corpus program: tensors, as "Learn the Basics" introduces them.
# Follows: pytorch/tutorials beginner_source/basics/tensorqs_tutorial.py
#          (commit 7a5420a2093171a4560d25d4a19d95aa0ae6d8c7), "Learn the Basics: Tensors".
# Written for this corpus after that page's steps (same tensors, operations and printed
# lines); no text copied. Edits: none.
import numpy as np
import torch

# Initializing a tensor: from data, from NumPy, from another tensor, from a shape
data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)

np_array = np.array(data)
x_np = torch.from_numpy(np_array)

x_ones = torch.ones_like(x_data)   # keeps x_data's shape and dtype
print(f"Ones Tensor: \n {x_ones} \n")

x_rand = torch.rand_like(x_data, dtype=torch.float)   # the dtype overridden
print(f"Random Tensor: \n {x_rand} \n")

shape = (2, 3,)
rand_tensor = torch.rand(shape)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)

print(f"Random Tensor: \n {rand_tensor} \n")
print(f"Ones Tensor: \n {ones_tensor} \n")
print(f"Zeros Tensor: \n {zeros_tensor}")

# Attributes
tensor = torch.rand(3, 4)

print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

# Operations run on an accelerator when there is one
if torch.accelerator.is_available():
    tensor = tensor.to(torch.accelerator.current_accelerator())

# Indexing and slicing, as in NumPy
tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)

# Joining
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1)

# Matrix product, three ways (y1, y2, y3 are equal)
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)

y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)

# Element-wise product, three ways (z1, z2, z3 are equal)
z1 = tensor * tensor
z2 = tensor.mul(tensor)

z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)

# A one-element tensor to a Python number
agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))

# In-place operations end in _
print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

# The bridge with NumPy: memory is shared both ways
t = torch.ones(5)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")

t.add_(1)
print(f"t: {t}")
print(f"n: {n}")

n = np.ones(5)
t = torch.from_numpy(n)

np.add(n, 1, out=n)
print(f"t: {t}")
print(f"n: {n}")
