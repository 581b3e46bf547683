"""Gradient hooks are checked as PyTorch checks them (issue 17, item 3).

A hook may replace the gradient only with a tensor of the same dtype,
device and shape. Anything else stops backward with PyTorch's error,
naming the hook, and leaves ``.grad`` as it was. Each case runs on
autodidact and on torch (the ``torch_oracle`` fixture) and compares the
error (type and text, "torch." read as "autodidact.") and the gradients
left behind.
"""

import functools
import gc

import numpy as np
import pytest

import autodidact
from autodidact import graph
from autodidact.hooks import checked, hook_name, type_string
from torch_compare import run, same_error

DTYPES = ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"]


class Gradient:
    """A plain Python object, which a hook must not return."""


# What a hook returns, given the gradient it got and the library (autodidact or torch).
RETURNS = {
    "the same gradient": lambda M, g: g,
    "None": lambda M, g: None,
    "twice the gradient": lambda M, g: g * 2,
    "a non-contiguous copy": lambda M, g: M.stack([g, g], -1)[..., 0],
    "a result that requires grad": lambda M, g: g * M.ones(g.shape, requires_grad=True),
    "a Parameter": lambda M, g: M.nn.Parameter(g.clone()),
    "a sum of shape (1,)": lambda M, g: g.sum().reshape(1),
    "a sum of shape ()": lambda M, g: g.sum(),
    "a column": lambda M, g: g.reshape(-1, 1),
    "an int": lambda M, g: 3,
    "a float": lambda M, g: 3.0,
    "a bool": lambda M, g: True,
    "a list": lambda M, g: g.tolist(),
    "a tuple": lambda M, g: (g,),
    "an ndarray": lambda M, g: g.detach().numpy(),
    "a NumPy scalar": lambda M, g: np.float32(1.0),
    "an object": lambda M, g: Gradient(),
    "float32 of another shape": lambda M, g: g.sum().reshape(1).float(),
    **{f"{name}": (lambda name: lambda M, g: g.to(getattr(M, name)))(name) for name in DTYPES},
}


# Where the hook sits and how backward reaches it. Each returns the outcome
# of backward (None or the exception) and the gradients it left behind.
def on_leaf(M, hook, dtype):
    w = M.nn.Parameter(M.tensor([1.0, 2.0, 3.0], dtype=dtype))
    w.register_hook(hook)
    return run(M, lambda M: (w * M.tensor([1.0, 2.0, 3.0], dtype=dtype)).sum().backward()), [w.grad]


def on_zero_dim_leaf(M, hook, dtype):
    w = M.tensor(2.0, dtype=dtype, requires_grad=True)
    w.register_hook(hook)
    return run(M, lambda M: (w * 3).backward()), [w.grad]


def on_leaf_with_a_gradient(M, hook, dtype):
    w = M.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
    (w * 5).sum().backward()                 # .grad is [5, 5, 5] before the checked pass
    w.register_hook(hook)
    return run(M, lambda M: (w * w).sum().backward()), [w.grad]


def on_non_leaf(M, hook, dtype):
    w = M.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
    y = w * 2
    y.register_hook(hook)
    return run(M, lambda M: (y * y).sum().backward()), [w.grad]


def on_retained_non_leaf(M, hook, dtype):
    w = M.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=dtype, requires_grad=True)
    y = w.exp()
    y.retain_grad()
    y.register_hook(hook)
    return run(M, lambda M: y.sum().backward()), [y.grad, w.grad]


def through_grad(M, hook, dtype):
    w = M.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
    w.register_hook(hook)
    y = w * 2
    y.register_hook(lambda g: g)             # a fine hook before it changes nothing
    return run(M, lambda M: M.autograd.grad((y * w).sum(), [w, y])), [w.grad]


def through_backward_inputs(M, hook, dtype):
    w = M.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
    v = M.tensor([4.0, 5.0, 6.0], dtype=dtype, requires_grad=True)
    w.register_hook(hook)
    return run(M, lambda M: (w * v).sum().backward(inputs=[w, v])), [w.grad, v.grad]


PLACES = [on_leaf, on_zero_dim_leaf, on_leaf_with_a_gradient, on_non_leaf,
          on_retained_non_leaf, through_grad, through_backward_inputs]


def outcome_of(M, place, returns, dtype):
    outcome, grads = place(M, lambda g: RETURNS[returns](M, g), getattr(M, dtype))
    if isinstance(outcome, tuple):   # autograd.grad's gradients
        grads = list(outcome) + grads
        outcome = None
    return outcome, grads


def same_outcome(ours, theirs):
    (our_error, our_grads), (their_error, their_grads) = ours, theirs
    if isinstance(their_error, Exception) or isinstance(our_error, Exception):
        same_error(our_error, their_error)
    assert len(our_grads) == len(their_grads)
    for a, b in zip(our_grads, their_grads):
        assert (a is None) == (b is None), (a, b)
        if b is not None:
            assert a.dtype.name == str(b.dtype).replace("torch.", "")
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-3)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("returns", list(RETURNS))
@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.__name__)
def test_what_a_hook_returns_is_checked_as_in_torch(torch_oracle, place, returns, dtype):
    ours = outcome_of(autodidact, place, returns, dtype)
    theirs = outcome_of(torch_oracle, place, returns, dtype)
    same_outcome(ours, theirs)


# ------------------------------------------------------------ the cases

def test_a_hook_that_changes_the_size_stops_backward_and_leaves_grad_none(torch_oracle):
    """The issue's reproducer: w.grad used to become a (1,) tensor that SGD broadcast."""
    for M in (autodidact, torch_oracle):
        w = M.nn.Parameter(M.tensor([1.0, 2.0, 3.0]))
        w.register_hook(lambda g: g.sum().reshape(1))
        with pytest.raises(RuntimeError, match=r"^hook '<lambda>' has changed the size of value$"):
            (w * M.tensor([1.0, 2.0, 3.0])).sum().backward()
        assert w.grad is None


def test_a_hook_that_changes_the_dtype_names_both_types(torch_oracle):
    message = ("hook '<lambda>' has changed the type of value "
               "(was {lib}.FloatTensor got {lib}.DoubleTensor)")
    for M, lib in ((autodidact, "autodidact"), (torch_oracle, "torch")):
        w = M.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(lambda g: g.double())
        error = run(M, lambda M: (w * 2).sum().backward())
        assert isinstance(error, RuntimeError) and str(error) == message.format(lib=lib)
        assert w.grad is None


def test_a_hook_that_returns_a_number_gets_a_type_error(torch_oracle):
    for M in (autodidact, torch_oracle):
        w = M.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(lambda g: 0)
        with pytest.raises(TypeError, match=r"^expected Variable, but hook returned 'int'$"):
            (w * 2).sum().backward()
        assert w.grad is None


# -------------------------------------------------------------------- names

def scale_by(k, g):
    return (g * k).sum()


class Scaler:
    def __call__(self, g):
        return g.sum()

    def halve(self, g):
        return g.sum() / 2


class Named:
    __name__ = 42   # not a string: PyTorch falls back to '<unknown>'

    def __call__(self, g):
        return g.sum()


def named_hook(g):
    return g.sum()


@pytest.mark.parametrize("make", [
    lambda: named_hook, lambda: functools.partial(scale_by, 2), lambda: Scaler(),
    lambda: Scaler().halve, lambda: Named(), lambda: functools.wraps(named_hook)(Scaler()),
], ids=["def", "partial", "callable-object", "bound-method", "non-string-name", "wrapped"])
def test_the_error_names_the_hook_as_torch_does(torch_oracle, make):
    def program(M):
        w = M.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(make())
        (w * 2).sum().backward()
    same_error(run(autodidact, program), run(torch_oracle, program))


def test_hook_names_without_torch():
    assert hook_name(named_hook) == "named_hook"
    assert hook_name(lambda g: g) == "<lambda>"
    assert hook_name(functools.partial(scale_by, 2)) == "<unknown>"
    assert hook_name(Scaler()) == "<unknown>"
    assert hook_name(Scaler().halve) == "halve"


def test_type_strings_follow_torch_s_cpp_names():
    assert type_string(autodidact.ones(1)) == "autodidact.FloatTensor"
    assert type_string(autodidact.ones(1, dtype=autodidact.int8)) == "autodidact.CharTensor"
    assert type_string(autodidact.ones(1, dtype=autodidact.bool)) == "CPUBoolType"


# ------------------------------------------------------- what else must hold

def test_a_removed_checked_hook_is_not_called():
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    leaf_handle = w.register_hook(lambda g: 0)
    node_handle = y.register_hook(lambda g: g.sum())
    leaf_handle.remove()
    node_handle.remove()
    node_handle.remove()   # a second remove does nothing, as in PyTorch
    y.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_one_function_registered_twice_is_removed_once():
    seen = []
    w = autodidact.tensor([1.0], requires_grad=True)
    hook = seen.append
    first = w.register_hook(hook)
    w.register_hook(hook)
    first.remove()
    (w * 2).sum().backward()
    assert len(seen) == 1


def test_the_observer_still_hears_of_a_hook_that_replaced_the_gradient():
    heard = []

    class Listener(graph.Observer):
        def hooked(self, node, grad):
            heard.append((node.name(), grad.tolist()))

    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    y.register_hook(lambda g: g * 10)
    z = y * 1
    z.register_hook(lambda g: None)   # keeps the gradient: nothing to hear
    with graph.observe(Listener()):
        z.sum().backward()
    assert heard == [("MulBackward0", [10.0, 10.0])]
    assert w.grad.tolist() == [30.0, 30.0]


def test_a_failed_hook_leaves_grad_mode_and_the_collector_as_they_were():
    gc_was = gc.isenabled()
    gc.enable()
    try:
        w = autodidact.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(lambda g: g.double())
        with pytest.raises(RuntimeError, match="has changed the type of value"):
            (w * 2).sum().backward(create_graph=False)
        assert autodidact.is_grad_enabled() and gc.isenabled()
        assert w.grad is None
    finally:
        if not gc_was:
            gc.disable()


def test_a_hook_cannot_replace_the_gradient_an_output_never_got(torch_oracle):
    def program(M):
        w = M.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        a, b = w.split(2)
        b.register_hook(lambda g: M.zeros(2))   # b gets no gradient: its hook sees None
        a.sum().backward()
    same_error(run(autodidact, program), run(torch_oracle, program))


def test_a_hook_sees_none_for_an_output_no_gradient_reached_and_may_keep_it(torch_oracle):
    def program(M):
        w = M.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        a, b = w.split(2)
        seen = []
        b.register_hook(lambda g: seen.append(g))
        a.sum().backward()
        return seen, w.grad.tolist()
    assert program(autodidact) == program(torch_oracle) == ([None], [1.0, 1.0, 0.0, 0.0])


def test_checked_wraps_any_callable_and_keeps_it():
    hook = Scaler()
    wrapped = checked(hook)
    assert wrapped.hook is hook
    assert wrapped(autodidact.tensor(2.0)).item() == 2.0   # a 0-d sum keeps the shape ()
    with pytest.raises(RuntimeError, match=r"^hook '<unknown>' has changed the size of value$"):
        wrapped(autodidact.ones(2))                      # (2,) -> () is refused


# ------------------------------------------------------------------- device

@pytest.mark.cuda
def test_a_hook_that_moves_the_gradient_to_another_device():
    """The device is part of the type: 'torch.FloatTensor' vs 'torch.cuda.FloatTensor'.

    Texts from PyTorch's check_variable_result (type_equal compares device
    type and dtype; toString writes the legacy name or 'CUDABoolType'): the
    CPU-only oracle cannot run them. AUTODIDACT_FAKE_CUPY=1 rehearses it.
    """
    w = autodidact.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: g.cuda())
    with pytest.raises(RuntimeError) as caught:
        (w * 2).sum().backward()
    assert str(caught.value) == ("hook '<lambda>' has changed the type of value (was "
                                 "autodidact.FloatTensor got autodidact.cuda.FloatTensor)")
    assert w.grad is None
    v = autodidact.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    y = v * 2
    y.register_hook(lambda g: g.cpu().bool())
    with pytest.raises(RuntimeError) as caught:
        y.sum().backward()
    assert str(caught.value) == ("hook '<lambda>' has changed the type of value (was "
                                 "autodidact.cuda.FloatTensor got CPUBoolType)")
    y2 = v * 2
    y2.register_hook(lambda g: g.bool())
    with pytest.raises(RuntimeError, match=r"\(was autodidact.cuda.FloatTensor got CUDABoolType\)"):
        y2.sum().backward()
    assert v.grad is None
