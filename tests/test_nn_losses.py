"""nn's losses against PyTorch 2.13: modules and functions, every reduction, values, gradients
(to the input and, where PyTorch gives one, to the target), errors and warnings; stability at
logits of ±1e4; finite-difference checks in float64."""

import warnings

import numpy as np
import pytest

import autodidact as ad
import autodidact.nn.functional as F
from autodidact import nn
from autodidact.autograd import gradcheck
from torch_compare import run, same_error

REDUCTIONS = ["mean", "sum", "none"]


def pair(torch, array, requires_grad=False):
    return ad.tensor(array, requires_grad=requires_grad), torch.tensor(array,
                                                                       requires_grad=requires_grad)


def same(ours, theirs, rtol=1e-5, atol=1e-6):
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


# The nodes recorded as PyTorch records them. Composite losses (class probabilities, label
# smoothing, kl_div) go through ops whose names are the ops' own business.
FUSED_NODES = {"MseLossBackward0", "SmoothL1LossBackward0", "HuberLossBackward0",
               "BinaryCrossEntropyBackward0", "BinaryCrossEntropyWithLogitsBackward0",
               "NllLossBackward0", "NllLoss2DBackward0", "MeanBackward0", "SumBackward0",
               "AbsBackward0"}


def compare(torch, loss, tloss, inputs, grads_of):
    """loss(*ours) against tloss(*theirs): value, dtype, node name, and the gradients."""
    ours = [ad.tensor(a, requires_grad=i in grads_of) for i, a in enumerate(inputs)]
    theirs = [torch.tensor(a, requires_grad=i in grads_of) for i, a in enumerate(inputs)]
    out, tout = loss(*ours), tloss(*theirs)
    same(out, tout)
    if type(tout.grad_fn).__name__ in FUSED_NODES:
        assert out.grad_fn.name() == type(tout.grad_fn).__name__
    weights = np.linspace(0.5, 1.5, max(out.numel(), 1)).reshape(out.shape)
    (out * ad.tensor(weights, dtype=out.dtype)).sum().backward()
    (tout * torch.tensor(weights, dtype=tout.dtype)).sum().backward()
    for i in grads_of:
        same(ours[i].grad, theirs[i].grad)


rng = np.random.default_rng(0)
X = rng.standard_normal((4, 5)).astype(np.float32)
T = rng.standard_normal((4, 5)).astype(np.float32)
P = rng.uniform(0.05, 0.95, (4, 5)).astype(np.float32)
Y = rng.uniform(0, 1, (4, 5)).astype(np.float32)
LABELS = np.array([1, 0, 4, 2])


# ------------------------------------------------------------------ regression

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, module, kwargs", [
    ("mse_loss", "MSELoss", {}), ("l1_loss", "L1Loss", {}),
    ("smooth_l1_loss", "SmoothL1Loss", {}), ("smooth_l1_loss", "SmoothL1Loss", {"beta": 0.3}),
    ("smooth_l1_loss", "SmoothL1Loss", {"beta": 0.0}),
    ("huber_loss", "HuberLoss", {}), ("huber_loss", "HuberLoss", {"delta": 0.4}),
])
def test_regression_losses_match_pytorch(torch_oracle, name, module, kwargs, reduction):
    fn, tfn = getattr(F, name), getattr(torch_oracle.nn.functional, name)
    compare(torch_oracle, lambda x, t: fn(x, t, reduction=reduction, **kwargs),
            lambda x, t: tfn(x, t, reduction=reduction, **kwargs), (X, T), (0, 1))
    compare(torch_oracle, getattr(nn, module)(reduction=reduction, **kwargs),
            getattr(torch_oracle.nn, module)(reduction=reduction, **kwargs),
            (X.astype(np.float64), T.astype(np.float64)), (0,))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_losses_broadcast_a_target_with_pytorchs_warning(torch_oracle, name):
    x, tx = pair(torch_oracle, X, requires_grad=True)
    t, tt = pair(torch_oracle, T[0])
    with pytest.warns(UserWarning, match=r"Using a target size \(autodidact.Size\(\[5\]\)\) that "
                                         r"is different to the input size"):
        out = getattr(F, name)(x, t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tout = getattr(torch_oracle.nn.functional, name)(tx, tt)
    same(out, tout)
    out.backward()
    tout.backward()
    same(x.grad, tx.grad)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss"])
def test_regression_losses_promote_mixed_dtypes_as_pytorch(torch_oracle, name):
    out = getattr(F, name)(ad.tensor(X), ad.tensor(T.astype(np.float64)))
    tout = getattr(torch_oracle.nn.functional, name)(torch_oracle.tensor(X),
                                                     torch_oracle.tensor(T.astype(np.float64)))
    same(out, tout)


# ------------------------------------------------------------------ binary

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_matches_pytorch(torch_oracle, reduction, weighted):
    weight = np.linspace(0.5, 2, 5).astype(np.float32)

    def loss(lib, functional):
        def fn(p, y):
            w = lib.tensor(weight) if weighted else None
            return functional.binary_cross_entropy(p, y, weight=w, reduction=reduction)
        return fn
    compare(torch_oracle, loss(ad, F), loss(torch_oracle, torch_oracle.nn.functional), (P, Y),
            (0, 1))
    module = nn.BCELoss(weight=ad.tensor(weight) if weighted else None, reduction=reduction)
    tmodule = torch_oracle.nn.BCELoss(weight=torch_oracle.tensor(weight) if weighted else None,
                                      reduction=reduction)
    compare(torch_oracle, module, tmodule, (P, Y), (0,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_bce_with_logits_matches_pytorch(torch_oracle, reduction, options):
    weight = np.linspace(0.5, 2, 5).astype(np.float32)
    pos_weight = np.linspace(3, 0.2, 5).astype(np.float32)

    def loss(lib, functional):
        def fn(z, y):
            w = lib.tensor(weight) if options in ("weight", "both") else None
            pw = lib.tensor(pos_weight) if options in ("pos_weight", "both") else None
            return functional.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=pw,
                                                               reduction=reduction)
        return fn
    compare(torch_oracle, loss(ad, F), loss(torch_oracle, torch_oracle.nn.functional), (X, Y),
            (0, 1))
    module = nn.BCEWithLogitsLoss(pos_weight=ad.tensor(pos_weight), reduction=reduction)
    tmodule = torch_oracle.nn.BCEWithLogitsLoss(pos_weight=torch_oracle.tensor(pos_weight),
                                                reduction=reduction)
    compare(torch_oracle, module, tmodule, (X, Y), (0,))


def test_binary_losses_at_extreme_values_match_pytorch(torch_oracle):
    logits = np.array([-1e4, -100.0, -20.0, 0.0, 20.0, 100.0, 1e4], dtype=np.float32)
    for target in (np.zeros(7, np.float32), np.ones(7, np.float32), np.full(7, 0.3, np.float32)):
        compare(torch_oracle, lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction="none"),
                lambda z, y: torch_oracle.nn.functional.binary_cross_entropy_with_logits(
                    z, y, reduction="none"), (logits, target), (0,))
        probs = np.array([0.0, 1e-30, 0.5, 1 - 1e-7, 1.0], dtype=np.float32)
        compare(torch_oracle, lambda p, y: F.binary_cross_entropy(p, y, reduction="none"),
                lambda p, y: torch_oracle.nn.functional.binary_cross_entropy(p, y, reduction="none"),
                (probs, target[:5]), (0,))


# ------------------------------------------------------------------ classes

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": True}, {"ignore_index": 0},
                                     {"weight": True, "ignore_index": 4}],
                         ids=["plain", "weight", "ignore", "weight+ignore"])
def test_nll_loss_matches_pytorch(torch_oracle, reduction, options):
    weight = np.linspace(0.2, 2, 5).astype(np.float32)

    def loss(lib, functional):
        def fn(logp):
            w = lib.tensor(weight) if options.get("weight") else None
            return functional.nll_loss(logp, lib.tensor(LABELS), weight=w, reduction=reduction,
                                       ignore_index=options.get("ignore_index", -100))
        return fn
    compare(torch_oracle, loss(ad, F), loss(torch_oracle, torch_oracle.nn.functional), (X,), (0,))
    module = nn.NLLLoss(weight=ad.tensor(weight), reduction=reduction)
    tmodule = torch_oracle.nn.NLLLoss(weight=torch_oracle.tensor(weight), reduction=reduction)
    compare(torch_oracle, lambda x: module(x, ad.tensor(LABELS)),
            lambda x: tmodule(x, torch_oracle.tensor(LABELS)), (X,), (0,))


CE_OPTIONS = [{"weight": True}, {"label_smoothing": 0.1}, {"weight": True, "label_smoothing": 0.2},
              {"ignore_index": 2, "label_smoothing": 0.1},
              {"weight": True, "ignore_index": 1, "label_smoothing": 0.3}]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", CE_OPTIONS, ids=lambda o: ",".join(o))
@pytest.mark.parametrize("shape", [(4, 5), (5,), (2, 5, 3)])
def test_cross_entropy_weight_and_label_smoothing_match_pytorch(torch_oracle, reduction,
                                                                options, shape):
    logits = rng.standard_normal(shape).astype(np.float32)
    labels = {(4, 5): LABELS, (5,): np.array(2), (2, 5, 3): np.array([[0, 2, 4], [1, 1, 3]])}[shape]
    weight = np.linspace(0.2, 2, 5).astype(np.float32)

    def loss(lib, module):
        kwargs = dict(options, reduction=reduction)
        if options.get("weight"):
            kwargs["weight"] = lib.tensor(weight)
        criterion = module.CrossEntropyLoss(**kwargs)
        return lambda z: criterion(z, lib.tensor(labels))
    compare(torch_oracle, loss(ad, nn), loss(torch_oracle, torch_oracle.nn), (logits,), (0,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": True}, {"label_smoothing": 0.25},
                                     {"weight": True, "label_smoothing": 0.1}],
                         ids=["plain", "weight", "smoothing", "both"])
@pytest.mark.parametrize("shape", [(4, 5), (5,), (2, 5, 3)])
def test_cross_entropy_with_class_probabilities_matches_pytorch(torch_oracle, reduction, options,
                                                                shape):
    logits = rng.standard_normal(shape).astype(np.float32)
    probs = rng.uniform(0, 1, shape).astype(np.float32)
    probs /= probs.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
    weight = np.linspace(0.2, 2, 5).astype(np.float32)

    def loss(lib, functional):
        def fn(z, p):
            w = lib.tensor(weight) if options.get("weight") else None
            return functional.cross_entropy(z, p, weight=w, reduction=reduction,
                                            label_smoothing=options.get("label_smoothing", 0.0))
        return fn
    compare(torch_oracle, loss(ad, F), loss(torch_oracle, torch_oracle.nn.functional),
            (logits, probs), (0, 1))


def test_cross_entropy_is_recorded_as_nll_loss_over_log_softmax():
    z = ad.randn(4, 5, requires_grad=True)
    loss = F.cross_entropy(z, ad.tensor(LABELS))
    node = loss.grad_fn
    assert node.name() == "NllLossBackward0" and len(node.next_functions) == 1
    assert node.next_functions[0][0].name() == "LogSoftmaxBackward0"
    assert node.next_functions[0][0].next_functions[0][0].variable is z


def test_class_losses_at_extreme_logits_match_pytorch(torch_oracle):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [3e38, 0.0, -3e38],
                       [50.0, 49.0, -50.0]], dtype=np.float32)
    labels = np.array([1, 0, 0])
    for reduction in REDUCTIONS:
        compare(torch_oracle, lambda z: F.cross_entropy(z, ad.tensor(labels), reduction=reduction,
                                                        label_smoothing=0.1),
                lambda z: torch_oracle.nn.functional.cross_entropy(
                    z, torch_oracle.tensor(labels), reduction=reduction, label_smoothing=0.1),
                (logits[[0, 1, 3]], ), (0,))
    compare(torch_oracle, lambda z: F.kl_div(F.log_softmax(z, 1), ad.tensor(P[:3, :3]),
                                             reduction="batchmean"),
            lambda z: torch_oracle.nn.functional.kl_div(
                torch_oracle.log_softmax(z, 1), torch_oracle.tensor(P[:3, :3]),
                reduction="batchmean"), (logits[[0, 1, 3]],), (0,))


# ------------------------------------------------------------------ KL divergence

@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none", "mean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_pytorch(torch_oracle, reduction, log_target):
    target = np.where(Y > 0.8, 0.0, Y).astype(np.float32)   # zeros: 0 log 0 counts as 0
    if log_target:
        target = np.log(P)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(torch_oracle, nn.KLDivLoss(reduction=reduction, log_target=log_target),
                torch_oracle.nn.KLDivLoss(reduction=reduction, log_target=log_target),
                (np.log(P), target), (0,))
    if reduction == "mean":
        with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss by both "
                                             "the batch size and the support size."):
            F.kl_div(ad.tensor(X), ad.tensor(Y))


# ------------------------------------------------------------------ gradcheck

def double(array, requires_grad=True):
    return ad.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_gradcheck(reduction):
    x, t = double(X[:2, :3]), double(T[:2, :3])
    p, y = double(P[:2, :3]), double(Y[:2, :3])
    labels = ad.tensor([2, 0])
    weight = double([0.5, 1.0, 2.0], requires_grad=False)
    checks = [
        (lambda a, b: F.mse_loss(a, b, reduction=reduction), (x, t)),
        (lambda a, b: F.l1_loss(a, b, reduction=reduction), (x, t)),
        (lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.5), (x, t)),
        (lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.5), (x, t)),
        (lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), (p, y)),
        (lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, reduction=reduction, pos_weight=double([2.0, 0.5, 1.0], False)), (x, y)),
        (lambda a: F.nll_loss(a, labels, weight=weight, reduction=reduction), (x,)),
        (lambda a: F.cross_entropy(a, labels, weight=weight, label_smoothing=0.2,
                                   reduction=reduction), (x,)),
        (lambda a, b: F.cross_entropy(a, b.softmax(1), reduction=reduction), (x, t)),
        (lambda a, b: F.kl_div(a, b, reduction=reduction), (x, y)),
    ]
    for fn, inputs in checks:
        assert gradcheck(fn, inputs)


# ------------------------------------------------------------------ errors

ERRORS = [
    lambda lib: lib.nn.functional.binary_cross_entropy(lib.full((4, 5), 0.5), lib.ones(4, 4)),
    lambda lib: lib.nn.functional.binary_cross_entropy(lib.full((2,), 1.5), lib.ones(2)),
    lambda lib: lib.nn.functional.binary_cross_entropy(lib.full((2,), 0.5), lib.ones(2).double()),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.ones(4, 5), lib.ones(4, 4)),
    lambda lib: lib.nn.functional.nll_loss(lib.ones(4, 5), lib.ones(4)),
    lambda lib: lib.nn.functional.nll_loss(lib.ones(4, 5), lib.tensor([1, 2, 3])),
    lambda lib: lib.nn.functional.nll_loss(lib.ones(4, 5), lib.tensor([1, 2, 3, 7])),
    lambda lib: lib.nn.functional.nll_loss(lib.ones(4, 5), lib.tensor([1, 2, 3, 0]),
                                           weight=lib.ones(4)),
    lambda lib: lib.nn.functional.nll_loss(lib.ones(4, 5).double(), lib.tensor([1, 2, 3, 0]),
                                           weight=lib.ones(5)),
    lambda lib: lib.nn.functional.l1_loss(lib.ones(2), lib.ones(2), reduction="avg"),
    lambda lib: lib.nn.functional.smooth_l1_loss(lib.ones(2), lib.ones(2), beta=-1),
    lambda lib: lib.nn.functional.huber_loss(lib.ones(2), lib.ones(2), delta=0),
    lambda lib: lib.nn.functional.cross_entropy(lib.ones(4, 5), lib.ones(4, 5), ignore_index=2),
    lambda lib: lib.nn.functional.cross_entropy(lib.ones(4, 5), lib.tensor([1, 2, 3, 0]),
                                                label_smoothing=1.5),
    lambda lib: lib.nn.functional.cross_entropy(lib.ones(4, 5), lib.tensor([1, 2, 3, 0]).int()),
    lambda lib: lib.nn.functional.cross_entropy(lib.ones(4, 5), lib.ones(4, 5),
                                                weight=lib.ones(3)),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_loss_errors_match_pytorchs(torch_oracle, index):
    ours, theirs = run(ad, ERRORS[index]), run(torch_oracle, ERRORS[index])
    same_error(ours, theirs, prefix=True)


def test_loss_modules_keep_class_weights_as_buffers_that_move_with_the_model(torch_oracle):
    ours = nn.CrossEntropyLoss(weight=ad.ones(3)).double()
    theirs = torch_oracle.nn.CrossEntropyLoss(weight=torch_oracle.ones(3)).double()
    assert ours.weight.dtype is ad.float64 and list(ours.state_dict()) == list(theirs.state_dict())
    assert list(nn.BCEWithLogitsLoss(pos_weight=ad.ones(2)).state_dict()) == ["pos_weight"]


def test_losses_on_every_device(device):
    z = ad.randn(4, 3, device=device, requires_grad=True)
    labels = ad.tensor([0, 2, 1, 2], device=device)
    y = ad.rand(4, 3, device=device)
    losses = [F.cross_entropy(z, labels, weight=ad.ones(3, device=device), label_smoothing=0.1),
              F.cross_entropy(z, y.softmax(1)), F.nll_loss(z.log_softmax(1), labels),
              F.binary_cross_entropy_with_logits(z, y, pos_weight=ad.ones(3, device=device)),
              F.binary_cross_entropy(z.sigmoid(), y), F.smooth_l1_loss(z, y), F.huber_loss(z, y),
              F.l1_loss(z, y), F.kl_div(z.log_softmax(1), y, reduction="batchmean")]
    for loss in losses:
        assert loss.device.type == device
        loss.backward()
    assert z.grad.device.type == device and bool(ad.isfinite(z.grad).all())
