"""Lesson 8 exercises: gradients add up; reset them, or use that on purpose.

Work in your copy (`autodidact exercises start 8`), replace each
`raise NotImplementedError`, and check with `autodidact exercises check 8`.
"""

import autodidact as torch


def zero_grads(params):
    """Reset the gradient of every tensor in `params`, ready for the next backward().

    Some may never have been through a backward() yet (their .grad is None):
    that must not fail. What optimizer.zero_grad() does, by hand.

    Hint: w.grad.zero_() fails when w.grad is None; setting w.grad = None never does.
    """
    raise NotImplementedError


def grad_after_passes(w, x, y, passes):
    """Predict w.grad after `passes` calls of backward() on (x*w - y)**2 with no zeroing between.

    Plain floats, no autograd: each pass adds the same gradient 2*x*(x*w - y).
    Example: grad_after_passes(1.0, 2.0, 4.0, 3) is -24.0.

    Hint: lesson 8's first cell printed -8, -16, -24.
    """
    raise NotImplementedError


def accumulate_micro_batches(w, x, y, chunk_size):
    """Leave in w.grad the gradient of ((w*x - y)**2).mean() over ALL of x, y, computed in chunks.

    w is a leaf (w.grad is None on entry); x and y are 1-D tensors of equal
    length. Cut them into consecutive chunks of chunk_size (the last may be
    shorter), and for each chunk build its loss and call backward(), so
    that in the end w.grad equals the whole batch's gradient. Return nothing.

    Hint: gradients add up across backward() calls; that is the point here.
    A chunk's mean loss must count for its share of the whole: scale it by
    len(chunk) / len(x). Do not zero between chunks.
    """
    raise NotImplementedError


def train_step(model, optimizer, loss_fn, x, y):
    """One training step; return the loss as a float (before the step).

    Reset the gradients, run the model on x, compute loss_fn(output, y),
    backward(), and let the optimizer update the parameters.

    Hint: the order matters. optimizer.step() uses the gradients that are
    there when it is called.
    """
    raise NotImplementedError
