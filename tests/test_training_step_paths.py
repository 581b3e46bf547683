"""The shortcuts a training step takes (issue 18) behave as the general paths and as PyTorch.

``loss.backward()`` goes straight to the engine, ``cross_entropy`` checks its
targets with one reduction, ``nn.Linear``'s ``weight.t()`` keeps nothing on its
node, and the optimizer's checks skip what an SGD without state does not need.
Each test here compares the shortcut with what PyTorch does (or with the
general path it stands for).
"""

import numpy as np
import pytest

import autodidact
import autodidact.nn as nn
import autodidact.nn.functional as F
from torch_compare import run, same_error, same_value


@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_the_implicit_gradient_is_one_in_the_outputs_dtype_and_shape(torch_oracle, shape, dtype):
    def grads(lib):
        x = lib.tensor(np.full(shape, 3.0, dtype=dtype), requires_grad=True)
        y = x * x
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        y.backward()
        return seen[0], x.grad

    (ours_root, ours_x), (theirs_root, theirs_x) = grads(autodidact), grads(torch_oracle)
    same_value(ours_root, theirs_root)
    same_value(ours_x, theirs_x)


def test_backward_from_a_leaf_and_from_a_non_scalar_as_pytorch(torch_oracle):
    def from_leaf(lib):
        w = lib.tensor([2.0], requires_grad=True)
        w.backward()
        return w.grad

    same_value(run(autodidact, from_leaf), run(torch_oracle, from_leaf))

    def from_vector(lib):
        (lib.ones(3, requires_grad=True) * 2).backward()

    ours, theirs = run(autodidact, from_vector), run(torch_oracle, from_vector)
    assert type(ours) is type(theirs) is RuntimeError
    assert str(ours).startswith("grad can be implicitly created only for scalar outputs")


def test_backward_from_one_output_of_several_goes_through_the_general_path():
    x = autodidact.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    first, second = x.split(2)
    (second * 3).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 3.0, 3.0]
    y = autodidact.tensor([5.0, 6.0], requires_grad=True)
    _, last = y.split(1)
    last.backward()   # a one-element output of a node with two outputs
    assert y.grad.tolist() == [0.0, 1.0]


def test_backward_restores_grad_mode_even_when_a_hook_raises():
    x = autodidact.tensor(2.0, requires_grad=True)
    y = x * x

    def fail(grad):
        raise ValueError("no")

    y.register_hook(fail)
    with pytest.raises(ValueError):
        y.backward()
    assert autodidact.is_grad_enabled()
    with autodidact.no_grad():
        with pytest.raises(ValueError):
            _raising_backward(fail)
        assert not autodidact.is_grad_enabled()   # restored to off, as it was


def _raising_backward(hook):
    with autodidact.enable_grad():
        x = autodidact.tensor(2.0, requires_grad=True)
        y = x * x
    y.register_hook(hook)
    y.backward()


@pytest.mark.parametrize("target", [[0, -1, 2], [0, 3, 1], [0, -100, 1]])
def test_cross_entropy_refuses_a_class_outside_the_range_as_pytorch(torch_oracle, target):
    def loss(lib):
        z = lib.tensor(np.arange(9.0, dtype=np.float32).reshape(3, 3), requires_grad=True)
        return lib.nn.functional.cross_entropy(z, lib.tensor(target), ignore_index=5)

    ours, theirs = run(autodidact, loss), run(torch_oracle, loss)
    assert isinstance(theirs, Exception)
    same_error(ours, theirs)


@pytest.mark.parametrize("target,ignore_index", [([0, 1, 2], -100), ([0, 1, 2], 1),
                                                  ([2, 2, 0], 2), ([1, 0, 2], 7)])
def test_cross_entropy_of_targets_in_range_as_pytorch(torch_oracle, target, ignore_index):
    def loss(lib):
        z = lib.tensor(np.linspace(-1, 2, 9, dtype=np.float32).reshape(3, 3), requires_grad=True)
        out = lib.nn.functional.cross_entropy(z, lib.tensor(target), ignore_index=ignore_index)
        out.backward()
        return out, z.grad

    (ours, ours_grad), (theirs, theirs_grad) = loss(autodidact), loss(torch_oracle)
    same_value(ours, theirs)
    same_value(ours_grad, theirs_grad)


def test_cross_entropy_compares_devices_that_are_not_the_same_object():
    from autodidact import backend
    z = autodidact.zeros(2, 3, requires_grad=True)
    target = autodidact.tensor([0, 1])
    target._device = backend.device("cpu")   # another object for the same device: accepted
    assert target._device is not z._device
    assert F.cross_entropy(z, target).item() == pytest.approx(np.log(3))
    target._device = backend.device("cuda:0")   # a target that claims to live on a GPU
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        F.cross_entropy(z, target)


def test_linear_records_a_transpose_node_with_no_metadata_as_pytorch(torch_oracle):
    layer = nn.Linear(3, 2)
    out = layer(autodidact.ones(4, 3))
    t_node = out.grad_fn.next_functions[2][0]
    assert t_node.name() == "TBackward0"
    theirs = torch_oracle.nn.Linear(3, 2)(torch_oracle.ones(4, 3)).grad_fn.next_functions[2][0]
    assert t_node.metadata == dict(theirs.metadata) == {}
    out.sum().backward()
    assert layer.weight.grad.tolist() == [[4.0, 4.0, 4.0]] * 2
    assert layer.weight.grad._data.flags.c_contiguous   # the transposed-back base, owned


def test_sgd_with_momentum_state_of_the_wrong_shape_is_refused_before_any_change():
    w = nn.Parameter(autodidact.ones(3))
    opt = autodidact.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = autodidact.ones(3)
    opt.step()
    opt.state[w]["momentum_buffer"] = autodidact.ones(2)
    w.grad = autodidact.ones(3)
    before = w.detach().clone()
    with pytest.raises(RuntimeError, match="the state 'momentum_buffer'"):
        opt.step()
    assert w.tolist() == before.tolist()


def test_the_stale_gradient_warning_still_comes_once_per_optimizer():
    w = nn.Parameter(autodidact.ones(2))
    opt = autodidact.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    with pytest.warns(autodidact.optim.StaleGradWarning):
        opt.step()   # the same .grad again: no zero_grad() between
    other = autodidact.optim.SGD([w], lr=0.1)
    other.step()   # a new optimizer has seen nothing yet
    with pytest.warns(autodidact.optim.StaleGradWarning):
        other.step()
