"""Per-thread state, as in PyTorch: grad mode, the default device and the backward observer
belong to a thread; backward's collector pause is counted across threads; the default dtype,
the random generators and swap_backward are shared by the whole process.

No sleeps: the tests force their interleavings with threading.Event and threading.Barrier
(often a hook that waits, to hold a backward pass open while another thread works).
"""
import gc
import threading

import autodidact as ad


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


def test_a_create_graph_pass_does_not_switch_recording_on_in_a_no_grad_thread():
    """B sits in no_grad while A's pass, which records (create_graph), runs. With one grad
    mode, A's pass had switched recording on for B too: B's result got a grad_fn."""
    def a(sync):
        w = ad.tensor([1.0, 2.0], requires_grad=True)
        y = w * w
        loss = y.sum()
        y.register_hook(lambda g: twice(sync)())   # B computes between these two points
        sync()                                     # A has recorded its graph
        gw, = ad.autograd.grad(loss, w, create_graph=True)
        return gw.grad_fn is not None

    def b(sync):
        x = ad.tensor([1.0], requires_grad=True)
        sync()
        with ad.no_grad():
            sync()
            z = x * 2
            mode = ad.is_grad_enabled()
            sync()
        return z.grad_fn is None, mode, ad.is_grad_enabled()

    assert together(a, b) == [True, (True, False, True)]


def test_nested_and_overlapping_passes_leave_grad_mode_and_the_collector_as_they_were():
    """A's hook runs a nested backward; B's pass starts inside it and ends after A's outer pass.
    With one grad mode, B's pass restored the mode A's pass had left it in (off): recording
    stayed off in every thread. With one collector flag per pass, A's outer pass switched the
    collector back on while B's pass still ran."""
    seen = {}

    def a(sync):
        inner_w = ad.tensor([3.0], requires_grad=True)
        inner_w.register_hook(lambda g: twice(sync)())   # B's pass begins in between
        inner_loss = (inner_w * 2).sum()                 # recorded now: hooks run unrecorded

        def outer_hook(g):
            inner_loss.backward()                        # a pass inside a pass
            seen["a, inner pass over"] = ad.is_grad_enabled(), gc.isenabled()

        w = ad.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(outer_hook)
        (w * 5).sum().backward()
        seen["a, after"] = ad.is_grad_enabled()
        sync()                                            # A's passes are over
        return w.grad.tolist(), inner_w.grad.tolist()

    def b(sync):
        v = ad.tensor([1.0], requires_grad=True)
        loss = (v * 7).sum()
        sync()

        def hook(g):
            sync()                                        # A is inside both its passes
            sync()                                        # A's passes are over; B's is not
            seen["b, in its pass"] = ad.is_grad_enabled(), gc.isenabled()

        v.register_hook(hook)
        loss.backward()
        seen["b, after"] = ad.is_grad_enabled()
        return v.grad.tolist()

    gc_was = gc.isenabled()
    gc.enable()
    try:
        assert together(a, b) == [([5.0, 5.0], [2.0]), [7.0]]
        assert gc.isenabled()
    finally:
        if not gc_was:
            gc.disable()
    assert seen == {"a, inner pass over": (False, False), "a, after": True,
                    "b, in its pass": (False, False), "b, after": True}
    assert ad.is_grad_enabled()


def test_a_collector_switched_off_by_the_user_stays_off_after_overlapping_passes():
    """B's pass starts inside A's and ends after it. With one grad mode, B restored the mode
    A's pass had set (off) when it ended: recording stayed off for every thread."""
    def pass_(wait_before, wait_inside):
        def run(sync):
            w = ad.tensor([1.0], requires_grad=True)
            loss = (w * 2).sum()

            def hook(g):
                for _ in range(wait_inside):
                    sync()

            w.register_hook(hook)
            for _ in range(wait_before):
                sync()
            loss.backward()
            seen = ad.is_grad_enabled(), gc.isenabled()
            if wait_before == 1:
                sync()                           # A is done; B's pass may end
            return seen
        return run

    gc_was = gc.isenabled()
    gc.disable()
    try:   # A: 1 before, 2 inside, 1 after; B: 2 before, 2 inside
        assert together(pass_(1, 2), pass_(2, 2)) == [(True, False), (True, False)]
        assert not gc.isenabled()
    finally:
        if gc_was:
            gc.enable()


def test_each_thread_s_observer_hears_only_its_own_passes():
    """Two threads observe at once, and their passes overlap. With one observer for the
    process, the second `observe` replaced the first: A's recorder heard B's pass."""
    from autodidact import graph

    class Recorder(graph.Observer):
        def __init__(self):
            self.leaves = []

        def accumulating(self, node):
            self.leaves.append(node.variable.tolist())

    def role(value, first):
        def run(sync):
            w = ad.tensor([value], requires_grad=True)
            loss = (w * 2).sum()
            w.register_hook(lambda g: sync())         # both passes are running here
            recorder = Recorder()
            if not first:
                sync()                                # A observes already
            with graph.observe(recorder):
                if first:
                    sync()
                sync()                                # both observe; now both passes start
                loss.backward()
            return recorder.leaves
        return run

    assert together(role(1.0, True), role(2.0, False)) == [[[1.0]], [[2.0]]]
    assert graph._observing.current is None


def test_the_default_device_is_per_thread_as_in_torch(torch_oracle):
    """A sets its default device while B and the main thread look; only A's changes. (torch's
    CPU build has no cuda to create on; its 'meta' device stands in, as set_default_device
    checks neither.) With one default for the process, B saw A's device."""
    def program(M, other):
        def a(sync):
            M.set_default_device(other)
            sync()
            sync()
            here = M.get_default_device().type
            M.set_default_device(None)
            return here

        def b(sync):
            sync()
            here = M.get_default_device().type
            sync()
            return here

        return together(a, b) + [M.get_default_device().type]

    assert program(ad, "cuda") == ["cuda", "cpu", "cpu"]
    assert program(torch_oracle, "meta") == ["meta", "cpu", "cpu"]


def test_the_default_dtype_and_the_generators_are_shared_by_all_threads_as_in_torch(torch_oracle):
    """What one thread sets, the others see at once: PyTorch keeps these process-wide."""
    def program(M):
        def a(sync):
            M.set_default_dtype(M.float64)
            M.manual_seed(0)
            sync()
            sync()
            M.set_default_dtype(M.float32)
            return M.rand(2).tolist()        # the stream goes on after B's draws

        def b(sync):
            sync()
            seen = (str(M.tensor(1.0).dtype).split(".")[-1], M.rand(2).tolist())
            sync()
            return seen

        return together(a, b)

    ours, theirs = program(ad), program(torch_oracle)
    assert ours == theirs
    assert ours[1][0] == "float64"
    assert ad.get_default_dtype() is ad.float32


def test_swap_backward_is_shared_by_all_threads():
    """A student's rule plugged in by one thread is the rule every thread's backward uses."""
    from autodidact.function import swap_backward

    def a(sync):
        with swap_backward("exp", lambda ctx, grad: grad * 0 + 42):
            sync()
            sync()
        sync()                              # the rule is restored
        return "restored"

    def b(sync):
        w = ad.tensor([0.0], requires_grad=True)
        sync()
        ad.exp(w).sum().backward()          # while A's swap is in force
        swapped = w.grad.tolist()
        sync()
        sync()
        w.grad = None
        ad.exp(w).sum().backward()          # after A restored the rule
        return swapped, w.grad.tolist()

    assert together(a, b) == ["restored", ([42.0], [1.0])]
