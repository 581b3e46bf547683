"""Grad mode is per thread and backward's collector pause is counted across threads."""
import gc
import threading

import autodidact as ad


def _in_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("v", fn()))
    t.start()
    return t, out


def test_no_grad_in_one_thread_leaves_another_recording():
    entered, done = threading.Event(), threading.Event()

    def other():
        with ad.no_grad():
            entered.set()
            done.wait(10)

    t = threading.Thread(target=other)
    t.start()
    assert entered.wait(10)
    x = ad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    done.set()
    t.join()
    assert ad.is_grad_enabled()
    assert y.grad_fn is not None


def test_backward_in_one_thread_does_not_stop_recording_in_another():
    in_backward, recorded = threading.Event(), threading.Event()
    w = ad.tensor([1.0, 2.0], requires_grad=True)

    def hook(g):
        in_backward.set()          # backward is running now, in the other thread
        assert recorded.wait(10)
        return g

    w.register_hook(hook)
    t = threading.Thread(target=lambda: (w * 3).sum().backward())
    t.start()
    assert in_backward.wait(10)
    x = ad.tensor([1.0], requires_grad=True)
    y = x * 2
    mode = ad.is_grad_enabled()
    recorded.set()
    t.join()
    assert mode and y.grad_fn is not None
    assert w.grad.tolist() == [3.0, 3.0]


def test_overlapping_backward_passes_leave_grad_mode_and_collector_on():
    barrier = threading.Barrier(2)
    gc_was = gc.isenabled()
    gc.enable()
    try:
        def train():
            w = ad.tensor([1.0, 2.0], requires_grad=True)
            w.register_hook(lambda g: (barrier.wait(10), g)[1])
            (w * w).sum().backward()
            return w.grad.tolist(), ad.is_grad_enabled()

        results = []
        threads = [threading.Thread(target=lambda: results.append(train())) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [([2.0, 4.0], True)] * 2
        assert ad.is_grad_enabled()
        assert gc.isenabled()
    finally:
        if not gc_was:
            gc.disable()


def test_set_grad_enabled_is_per_thread():
    t_set, check = threading.Event(), threading.Event()
    seen = {}

    def other():
        ad.set_grad_enabled(False)
        t_set.set()
        check.wait(10)
        seen["other"] = ad.is_grad_enabled()

    t = threading.Thread(target=other)
    t.start()
    assert t_set.wait(10)
    seen["main"] = ad.is_grad_enabled()
    check.set()
    t.join()
    assert seen == {"main": True, "other": False}


# --------------------------------------------------------------------------------------------
# Forced interleavings (issue 17, item 1). Each thread runs in `together`; the threads meet at
# the points of one threading.Barrier, so the order below is the only one possible. A thread
# that fails breaks the barrier, so the others stop at once instead of waiting.

def together(*roles):
    """Run each role(sync) in its own thread; sync() waits for the others. Results in order."""
    barrier = threading.Barrier(len(roles))
    results = [None] * len(roles)

    def sync():
        barrier.wait(10)

    def run(i, role):
        try:
            results[i] = role(sync)
        except BaseException as exc:   # noqa: BLE001 - reported below, in the test's thread
            results[i] = exc
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i, role)) for i, role in enumerate(roles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:   # the first real error, not the BrokenBarrierError it caused elsewhere
        real = [f for f in failures if not isinstance(f, threading.BrokenBarrierError)]
        raise (real or failures)[0]
    return results


def no_sync():
    pass


def twice(sync):
    def wait_twice():
        sync()
        sync()
    return wait_twice


def train(before_forward=no_sync, after_forward=no_sync, in_backward=no_sync,
          after_backward=no_sync, steps=3):
    """Fit y = x @ w with SGD and momentum; the four points let a test pause it anywhere."""
    x = ad.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=ad.float64)
    y = ad.tensor([1.0, 0.0, -1.0], dtype=ad.float64)
    w = ad.tensor([0.5, -0.5], dtype=ad.float64, requires_grad=True)
    w.register_hook(lambda g: in_backward())   # runs inside backward; None keeps the gradient
    opt = ad.optim.SGD([w], lr=0.01, momentum=0.9)
    losses = []
    for _ in range(steps):
        before_forward()
        loss = ((x @ w - y) ** 2).mean()
        after_forward()
        opt.zero_grad()
        loss.backward()
        after_backward()
        opt.step()
        losses.append(loss.item())
    return losses, w.tolist()


def test_two_models_trained_at_once_learn_what_each_learns_alone():
    """Each step: A's backward is paused while B records its forward, and B's backward starts
    while A's runs and ends after it. With one grad mode for the process, B's forward ran with
    recording off (A's backward had switched it off), so B's backward raised "element 0 of
    tensors does not require grad"."""
    alone = train()

    def a(sync):
        return train(after_forward=sync, in_backward=twice(sync), after_backward=sync)

    def b(sync):
        return train(before_forward=twice(sync), after_forward=sync, in_backward=sync)

    assert together(a, b) == [alone, alone]
