# micrograd, the lecture's cross-check: one tanh neuron's gradients, computed by PyTorch.
#
# Follows Andrej Karpathy's lecture "The spelled-out intro to neural networks and
# backpropagation: building micrograd" (karpathy/nn-zero-to-hero,
# lectures/micrograd/micrograd_lecture_first_half_roughly.ipynb, commit
# 986b30a5a759035938896728262fca8fdbabcfb3; MIT licence, Copyright (c) 2022
# Andrej): the cell that checks micrograd's numbers with PyTorch, written for this corpus.
import torch

x1 = torch.Tensor([2.0]).double()
x1.requires_grad = True
x2 = torch.Tensor([0.0]).double()
x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double()
w1.requires_grad = True
w2 = torch.Tensor([1.0]).double()
w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double()
b.requires_grad = True
n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)

print(o.data.item())
o.backward()

print('---')
print('x2', x2.grad.item())
print('w2', w2.grad.item())
print('x1', x1.grad.item())
print('w1', w1.grad.item())
print(torch.Tensor([[1, 2, 3], [4, 5, 6]]))
print(torch.Tensor([[1, 2, 3], [4, 5, 6]]).shape)
print(torch.Tensor([2.0]).double().dtype)
print(o)
print(o.item())
print(x2.grad)
