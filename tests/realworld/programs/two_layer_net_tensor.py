# Corpus program: a two-layer ReLU network trained with hand-written backpropagation.
# Follows: pytorch/tutorials beginner_source/examples_tensor/two_layer_net_tensor.py
#          (commit e09ddfcdfced88f11c01edbe424abe052eb109e6), "Learning PyTorch with Examples"
#          (the earlier edition of the page, before the polynomial rewrite).
# Written for this corpus after that program's steps (same sizes, learning rate and printed
# lines); no text copied. Edits: 500 steps -> 100, printing every 10th (keeps the suite quick;
# past ~250 steps the loss is so small that float32 rounding in the two libraries' sums
# differs by more than the tolerance).
import torch

dtype = torch.float
device = torch.device("cpu")

# N batch size, D_in input width, H hidden width, D_out output width
N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device, dtype=dtype)
y = torch.randn(N, D_out, device=device, dtype=dtype)

w1 = torch.randn(D_in, H, device=device, dtype=dtype)
w2 = torch.randn(H, D_out, device=device, dtype=dtype)

learning_rate = 1e-6
for t in range(100):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)

    loss = (y_pred - y).pow(2).sum().item()
    if t % 10 == 9:
        print(t, loss)

    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
