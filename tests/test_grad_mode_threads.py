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
