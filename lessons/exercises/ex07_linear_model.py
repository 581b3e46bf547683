"""Lesson 7 exercises: the loss, its gradient, the update, the training loop.

Work in your copy (`autodidact exercises start 7`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 7`.
"""

import autodidact as torch


def mse(y_pred, y):
    """The mean squared error between two tensors of the same shape, as a 0-d tensor.

    Example: mse(tensor([1., 2.]), tensor([2., 4.])) is ((1-2)**2 + (2-4)**2) / 2 = 2.5.
    It must stay differentiable (no .item(), no NumPy).

    Hint: square first, then average.
    """
    raise NotImplementedError


def gradient_by_hand(w, x, y):
    """d/dw of the seed's loss (x*w - y)**2, for plain floats w, x, y. No autograd.

    Example: gradient_by_hand(1.0, 2.0, 4.0) is -8.0 (lesson 6's number).

    Hint: the chain rule: the derivative of the square, times the derivative
    of what is squared (x*w - y) with respect to w.
    """
    raise NotImplementedError


def sgd_step(w, lr):
    """One gradient-descent step on the leaf w (whose .grad backward() has filled): in place.

    Move w against its gradient by lr * w.grad, then reset w.grad to zero
    for the next step. w must stay the same leaf tensor, requiring grad.
    Return nothing.

    Hint: the seed writes w.data = w.data - lr * w.grad.data and
    w.grad.data.zero_(); `with torch.no_grad(): w -= lr * w.grad` works too.
    """
    raise NotImplementedError


def train(x_data, y_data, w0=1.0, lr=0.01, epochs=10):
    """The seed's training loop: fit y = w * x one sample at a time; return the final w as a float.

    Start from w = w0 (a float32 tensor of shape (1,) that requires grad);
    each epoch, for each (x, y) in order: loss (x*w - y)**2, backward(),
    update w with lr, and zero the gradient.
    Example: train([1., 2., 3.], [2., 4., 6.]) is about 1.951216.

    Hint: your sgd_step does the update; write it out here or copy it in.
    """
    raise NotImplementedError
