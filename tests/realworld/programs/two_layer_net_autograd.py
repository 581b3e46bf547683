# Corpus program: the two-layer ReLU network with gradients from autograd.
# Follows: pytorch/tutorials beginner_source/examples_autograd/two_layer_net_autograd.py
#          (commit 9ecc44a60f16b38aa68e5bfd85f9c809254b09eb), "Learning PyTorch with Examples"
#          (the earlier edition of the page).
# Written for this corpus after that program's steps (same sizes, learning rate and printed
# lines); no text copied. Edits: 500 steps -> 100, printing every 10th (see
# two_layer_net_tensor.py).
import torch

dtype = torch.float
device = torch.device("cpu")

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device, dtype=dtype)
y = torch.randn(N, D_out, device=device, dtype=dtype)

w1 = torch.randn(D_in, H, device=device, dtype=dtype, requires_grad=True)
w2 = torch.randn(H, D_out, device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(100):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)

    loss = (y_pred - y).pow(2).sum()
    if t % 10 == 9:
        print(t, loss.item())

    loss.backward()

    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad

        w1.grad.zero_()
        w2.grad.zero_()
