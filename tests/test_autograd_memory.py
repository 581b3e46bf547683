"""Memory and depth: graphs die with their output, backward frees what it used, deep graphs work.

The tests that check lifetimes switch the garbage collector off: they
prove there are no reference cycles between tensors and nodes (memory
comes back by reference counting alone), which is what lets a training
loop run for ever in constant memory.
"""

import gc
import time
import tracemalloc
import weakref

import numpy as np
import pytest

import autodidact
from autodidact import autograd


@pytest.fixture
def no_gc():
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_graph_dies_with_its_output(no_gc):
    x = autodidact.randn(3, requires_grad=True)
    h = x * 2
    y = h.exp()
    loss = (y * h).sum()                  # y * h saves both tensors
    refs = [weakref.ref(t) for t in (h, y)]
    nodes = [weakref.ref(n) for n in (loss.grad_fn, h.grad_fn, y.grad_fn)]
    del h, y
    assert all(r() is not None for r in refs + nodes)   # the graph holds them...
    del loss
    assert all(r() is None for r in refs + nodes)       # ...and only the graph
    assert x._accumulator is None or x._accumulator() is None


def test_backward_frees_saved_tensors_unless_retain_graph(no_gc):
    x = autodidact.randn(3, requires_grad=True)
    h = x * 2
    loss = (h * h).sum()
    node = loss.grad_fn.next_functions[0][0]
    ref = weakref.ref(h)
    del h
    loss.backward(retain_graph=True)
    assert ref() is not None and node._saved is not None
    loss.backward()
    assert ref() is None and node._saved is None        # freed though loss is still here
    assert loss.grad_fn is not None


def test_hooks_retain_grad_and_backward_leave_no_cycles(no_gc):
    x = autodidact.randn(3, requires_grad=True)
    h = x * 2
    h.retain_grad()
    h.register_hook(lambda g: g * 1)
    loss = h.sum()
    loss.backward()
    refs = [weakref.ref(h), weakref.ref(loss.grad_fn), weakref.ref(h.grad_fn)]
    del h, loss
    assert all(r() is None for r in refs)
    leaf_ref = weakref.ref(x)
    del x
    assert leaf_ref() is None


def test_user_function_graphs_die_with_their_output(no_gc):
    class Square(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            out = x * x
            ctx.save_for_backward(x, out)
            return out

        @staticmethod
        def backward(ctx, grad):
            x, _ = ctx.saved_tensors
            return 2 * x * grad

    x = autodidact.randn(3, requires_grad=True)
    y = Square.apply(x * 1)
    refs = [weakref.ref(y), weakref.ref(y.grad_fn)]
    y.sum().backward()
    del y
    assert all(r() is None for r in refs)


def test_create_graph_cycle_is_broken_by_resetting_grad(no_gc):
    # As in PyTorch (which warns about it): x.grad's graph leads back to x.
    x = autodidact.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning):
        (x ** 4).backward(create_graph=True)
    ref = weakref.ref(x)
    x.grad = None
    del x
    assert ref() is None


def test_grad_with_create_graph_leaves_no_cycle(no_gc):
    x = autodidact.tensor(2.0, requires_grad=True)
    g, = autograd.grad(x ** 4, x, create_graph=True)
    refs = [weakref.ref(x), weakref.ref(g)]
    del x, g
    assert all(r() is None for r in refs)


def _tiny_mlp():
    rng = np.random.default_rng(0)
    x = autodidact.tensor(rng.standard_normal((32, 2)), dtype=autodidact.float32)
    y = autodidact.tensor((rng.standard_normal((32, 1)) > 0).astype(np.float32))
    params = [autodidact.tensor(rng.standard_normal(shape) * 0.5, dtype=autodidact.float32,
                                requires_grad=True) for shape in [(2, 16), (16,), (16, 1), (1,)]]

    def step(keep=None):
        w1, b1, w2, b2 = params
        out = ((x @ w1 + b1).relu() @ w2 + b2).sigmoid()
        loss = ((out - y) ** 2).mean()
        loss.backward()
        for p in params:
            p.data = p.data - 0.5 * p.grad      # the seed's update
            p.grad = None
        if keep is not None:
            keep.append(loss)                   # what a leak looks like
        return loss.item()
    return step


def _memory_at_steps_20_and_200(keep=None):
    step = _tiny_mlp()
    tracemalloc.start()
    try:
        for i in range(1, 21):
            step(keep)
        current_20, peak_20 = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for i in range(21, 201):
            last = step(keep)
        current_200, peak_200 = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current_20, peak_20, current_200, peak_200, last


def test_a_training_loop_keeps_memory_flat(no_gc):
    current_20, peak_20, current_200, peak_200, loss = _memory_at_steps_20_and_200()
    assert loss < 0.25                                   # it trains
    margin = 256 * 1024                                  # interpreter caches, not graphs
    assert peak_200 < peak_20 + margin, (peak_20, peak_200)
    assert current_200 < current_20 + margin, (current_20, current_200)
    # The same loop keeping each loss (and so its graph) alive blows far past the margin.
    kept = []
    leaky = _memory_at_steps_20_and_200(kept)
    assert leaky[2] > leaky[0] + 2 * margin


def test_backward_through_a_chain_of_100000_tensor_ops(no_gc):
    x = autodidact.tensor(1.0, dtype=autodidact.float64, requires_grad=True)
    y = x
    start = time.perf_counter()
    for i in range(50_000):
        y = y * 1.0001
        y = y + 0.0001
    y.backward()
    elapsed = time.perf_counter() - start
    assert x.grad.item() == pytest.approx(1.0001 ** 50_000, rel=1e-9)
    assert elapsed < 60              # seconds; a recursive sort would fail, not be slow
    del y                            # freeing a deep graph must not recurse either


def test_grad_through_a_deep_chain_and_a_deep_topological_order():
    x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(5_000):             # five times what a recursive sort survives
        y = y.tanh()
    order = autodidact.graph.topological_order(y.sum().grad_fn)
    assert len(order) == 5_002
    g, = autograd.grad(y.sum(), x)
    assert g.shape == (2,) and np.all(np.isfinite(g.numpy()))
