# The seed's linear model, y = x * w, trained by hand, exactly as the seed
# writes it, with only the import lines changed: autodidact runs it as
# PyTorch does (compare the reference transcript, behaviour notes §17).
#
#     python examples/seed_linear_model.py
#
# Written for PyTorch 0.3, so in the old style: Variable, .data, and a
# hand-written update of w.data; w.grad.data.zero_() forgets the gradient,
# which backward() would otherwise keep adding to.
import autodidact as torch
from autodidact.autograd import Variable

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = Variable(torch.Tensor([1.0]), requires_grad=True)  # Any random value


# our model forward pass
def forward(x):
    return x * w


# Loss function
def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


# Before training
print("predict (before training)", 4, forward(4).data[0])

# Training loop
for epoch in range(10):
    for x_val, y_val in zip(x_data, y_data):
        l = loss(x_val, y_val)
        l.backward()
        print("\tgrad: ", x_val, y_val, w.grad.data[0])
        w.data = w.data - 0.01 * w.grad.data

        # Manually zero the gradients after updating weights
        w.grad.data.zero_()

    print("progress:", epoch, l.data[0])

# After training
print("predict (after training)", 4, forward(4).data[0])
