"""Misusing autograd: each mistake gets PyTorch's exception and words.

Each case is ``fn(M)`` with ``M`` autodidact or torch, the exception type,
and the start of autodidact's message: PyTorch's words with "torch." read
as "autodidact.". Where autodidact adds a hint after PyTorch's words, the
comparison with PyTorch stops at ``cut`` (where PyTorch's own hint begins,
or its build path).
"""

import warnings
from collections import namedtuple

import pytest

import autodidact

Misuse = namedtuple("Misuse", "id fn error words cut")


def misuse(id, fn, error, words, cut=None):
    return pytest.param(Misuse(id, fn, error, words, cut), id=id)


def _call(f):
    def run(M):
        f(M)
    return run


def _two_backwards(make):
    def run(M):
        x = M.tensor([1.0, 2.0], requires_grad=True)
        y = make(x)
        y.backward()
        y.backward()
    return run


def _modified(make):
    def run(M):
        make(M).sum().backward()
    return run


def _b_add_(M):
    a = M.ones(3, requires_grad=True)
    b = a * 2
    c = b * b
    b.add_(1)
    return c


def _exp_add_(M):
    y = M.ones(3, requires_grad=True).exp()
    y.add_(1)
    return y


def _sigmoid_mul_(M):
    s = M.sigmoid(M.zeros(2, requires_grad=True))
    s.mul_(2)
    return s


def _detach_zero_(M):
    y = M.ones(3, requires_grad=True).sigmoid()
    y.detach().zero_()
    return y


def _setitem_saved(M):
    y = M.ones(2, requires_grad=True) * 1
    z = y * y
    y[0] = 5.0
    return z


def _leaf_modified_under_no_grad(M):
    x = M.ones(3, requires_grad=True)
    y = x * x
    with M.no_grad():
        x.add_(1)
    return y


def _nonleaf_requires_grad_false(M):
    y = M.ones(2, requires_grad=True) * 3
    y.requires_grad = False


def _int_requires_grad_attr(M):
    t = M.tensor([1, 2])
    t.requires_grad = True


def _leaf_iadd(M):
    w = M.ones(3, requires_grad=True)
    w += 1


def _leaf_isub(M):
    w = M.ones(3, requires_grad=True)
    w -= 0.1 * M.ones(3)


def _leaf_setitem(M):
    w = M.ones(3, requires_grad=True)
    w[0] = 5.0


def _assign_grad(value):
    def run(M):
        x = M.tensor(2.0, requires_grad=True)
        x.grad = value(M)
    return run


_TWICE = ("Trying to backward through the graph a second time (or directly access saved tensors "
          "after they have already been freed). Saved intermediate values of the graph are freed "
          "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need "
          "to backward through the graph a second time or if you need to access saved tensors "
          "after calling backward.")
_MODIFIED = ("one of the variables needed for gradient computation has been modified by an "
             "inplace operation: ")
_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation."
_NO_GRAD_FN = "element 0 of tensors does not require grad and does not have a grad_fn"
_NOT_LEAF = ("you can only change requires_grad flags of leaf variables. If you want to use a "
             "computed variable in a subgraph that doesn't require differentiation use "
             "var_no_grad = var.detach().")

MISUSES = [
    # -- section 21: backward's gradient
    misuse("backward-non-scalar", _call(lambda M: (M.ones(3, requires_grad=True) * 2).backward()),
           RuntimeError, "grad can be implicitly created only for scalar outputs"),
    misuse("gradient-wrong-shape",
           _call(lambda M: (M.ones(3, requires_grad=True) * 2).backward(M.ones(2))),
           RuntimeError, "Mismatch in shape: grad_output[0] has a shape of autodidact.Size([2]) "
                         "and output[0] has a shape of autodidact.Size([3])."),
    misuse("gradient-extra-dim",
           _call(lambda M: (M.ones(3, requires_grad=True) * 2).backward(M.ones(1, 3))),
           RuntimeError, "Mismatch in shape: grad_output[0] has a shape of autodidact.Size([1, "
                         "3]) and output[0] has a shape of autodidact.Size([3])."),
    misuse("backward-no-grad", _call(lambda M: M.ones(3).sum().backward()),
           RuntimeError, _NO_GRAD_FN),
    misuse("backward-0d-no-grad", _call(lambda M: M.tensor(1.0).backward()),
           RuntimeError, _NO_GRAD_FN),
    misuse("backward-list-second-no-grad",
           _call(lambda M: M.autograd.backward([M.ones(1, requires_grad=True).sum(), M.ones(1)])),
           RuntimeError, "element 1 of tensors does not require grad and does not have a grad_fn"),
    misuse("backward-list-lengths",
           _call(lambda M: M.autograd.backward([M.ones(1, requires_grad=True).sum()] * 2,
                                               [M.tensor(1.0)])),
           RuntimeError, "got 2 tensors and 1 gradients"),
    # -- section 22: a second backward
    misuse("twice-mul", _two_backwards(lambda x: (x * x).sum()), RuntimeError, _TWICE),
    misuse("twice-mul-number", _two_backwards(lambda x: (x * 2).sum()), RuntimeError, _TWICE),
    misuse("twice-exp", _two_backwards(lambda x: x.exp().sum()), RuntimeError, _TWICE),
    # -- section 24: integer and bool tensors never require grad
    misuse("int-tensor-requires-grad", _call(lambda M: M.tensor([1, 2], requires_grad=True)),
           RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
    misuse("long-ones-requires-grad",
           _call(lambda M: M.ones(2, dtype=M.long, requires_grad=True)),
           RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
    misuse("bool-tensor-requires-grad", _call(lambda M: M.tensor([True], requires_grad=True)),
           RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
    misuse("variable-long", _call(lambda M: M.autograd.Variable(M.LongTensor([1]),
                                                                  requires_grad=True)),
           RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
    misuse("int-requires-grad_", _call(lambda M: M.tensor([1, 2]).requires_grad_()),
           RuntimeError, "only Tensors of floating point dtype can require gradients"),
    misuse("int-requires-grad-attribute", _int_requires_grad_attr,
           RuntimeError, "only Tensors of floating point and complex dtype can require gradients"),
    misuse("nonleaf-requires-grad-false", _nonleaf_requires_grad_false, RuntimeError, _NOT_LEAF),
    misuse("nonleaf-requires-grad_-false",
           _call(lambda M: (M.ones(2, requires_grad=True) * 3).requires_grad_(False)),
           RuntimeError, _NOT_LEAF),
    # -- section 19: in place on a leaf that requires grad
    misuse("leaf-add_", _call(lambda M: M.ones(3, requires_grad=True).add_(1)), RuntimeError, _LEAF),
    misuse("leaf-iadd", _leaf_iadd, RuntimeError, _LEAF),
    misuse("leaf-isub", _leaf_isub, RuntimeError, _LEAF),
    misuse("leaf-zero_", _call(lambda M: M.ones(3, requires_grad=True).zero_()), RuntimeError, _LEAF),
    misuse("leaf-uniform_", _call(lambda M: M.ones(3, requires_grad=True).uniform_(-1, 1)),
           RuntimeError, _LEAF),
    misuse("leaf-setitem", _leaf_setitem, RuntimeError, _VIEW_OF_LEAF),
    misuse("leaf-view-add_", _call(lambda M: M.ones(3, requires_grad=True)[0:2].add_(1)),
           RuntimeError, _VIEW_OF_LEAF),
    # -- section 20: a saved tensor changed in place since (at backward)
    misuse("modified-add", _modified(_b_add_), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [3]], which is output 0 of Add, is at version 1; "
                       "expected version 0 instead.", cut=" Hint:"),
    misuse("modified-exp-output", _modified(_exp_add_), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [3]], which is output 0 of Exp, is at version 1; "
                       "expected version 0 instead.", cut=" Hint:"),
    misuse("modified-sigmoid-output", _modified(_sigmoid_mul_), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [2]], which is output 0 of Sigmoid, is at version "
                       "1; expected version 0 instead.", cut=" Hint:"),
    misuse("modified-through-detach", _modified(_detach_zero_), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [3]], which is output 0 of Sigmoid, is at version "
                       "1; expected version 0 instead.", cut=" Hint:"),
    misuse("modified-by-setitem", _modified(_setitem_saved), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [2]], which is output 0 of "
                       "autodidact::autograd::CopySlices, is at version 1; expected version 0 "
                       "instead.", cut=" Hint:"),
    misuse("modified-leaf", _modified(_leaf_modified_under_no_grad), RuntimeError,
           _MODIFIED + "[autodidact.FloatTensor [3]] is at version 1; expected version 0 instead.",
           cut=" Hint:"),
    # -- the NumPy bridge, .data, .grad
    misuse("numpy-requires-grad", _call(lambda M: M.ones(2, requires_grad=True).numpy()),
           RuntimeError, "Can't call numpy() on Tensor that requires grad. Use "
                         "tensor.detach().numpy() instead."),
    misuse("data-int", _call(lambda M: setattr(M.ones(2, requires_grad=True), "data",
                                               M.tensor([5, 6]))),
           RuntimeError, "data set to a tensor that requires gradients must be floating point or "
                         "complex dtype"),
    misuse("grad-wrong-size", _assign_grad(lambda M: M.ones(3)), RuntimeError,
           "attempting to assign a gradient of size '[3]' to a tensor of size '[]'. Please ensure "
           "that the gradient and the tensor are the same size"),
    misuse("grad-wrong-dtype", _assign_grad(lambda M: M.ones((), dtype=M.float64)), RuntimeError,
           "attempting to assign a gradient with dtype 'double' to a tensor with grad_dtype "
           "'Float'. The gradient must match the tensor's grad_dtype (defaults to the tensor's "
           "dtype).", cut=" You can set"),
    misuse("grad-not-a-tensor", _assign_grad(lambda M: [1.0]), TypeError,
           "assigned grad expected to be a Tensor or None but got grad of type list"),
    misuse("grad-before-backward", _call(lambda M: M.ones(2, requires_grad=True).grad.zero_()),
           AttributeError, "'NoneType' object has no attribute 'zero_'"),
    misuse("grad-data-before-backward",
           _call(lambda M: M.ones(2, requires_grad=True).grad.data.zero_()),
           AttributeError, "'NoneType' object has no attribute 'data'"),
    # -- hooks, retain_grad, autograd.grad
    misuse("hook-without-grad", _call(lambda M: M.ones(2).register_hook(lambda g: g)),
           RuntimeError, "cannot register a hook on a tensor that doesn't require gradient"),
    misuse("retain-grad-without-grad", _call(lambda M: M.ones(2).retain_grad()),
           RuntimeError, "can't retain_grad on Tensor that has requires_grad=False"),
    misuse("grad-unused-input",
           _call(lambda M: M.autograd.grad((M.ones(2, requires_grad=True) * 2).sum(),
                                           [M.ones(1, requires_grad=True)])),
           RuntimeError, "The differentiated Tensor at index 0 appears to not have been used in "
                         "the graph. Set allow_unused=True if this is the desired behavior."),
    misuse("grad-input-without-grad",
           _call(lambda M: M.autograd.grad((M.ones(2, requires_grad=True) * 2).sum(),
                                           [M.ones(1)])),
           RuntimeError, "One of the differentiated Tensors does not require grad"),
    misuse("out-with-autograd",
           _call(lambda M: M.add(M.ones(2, requires_grad=True), 1, out=M.empty(2))),
           RuntimeError, "add(): functions with out=... arguments don't support automatic "
                         "differentiation, but one of the arguments requires grad."),
]


@pytest.mark.parametrize("case", MISUSES)
def test_misuse_raises_pytorchs_error(case):
    with pytest.raises(case.error) as info:
        case.fn(autodidact)
    assert str(info.value).startswith(case.words), str(info.value)


def _pytorch_words(message, cut):
    if cut is not None and cut in message:
        message = message[:message.index(cut)]
    return message.replace("torch.", "autodidact.").replace("torch::", "autodidact::")


@pytest.mark.parametrize("case", MISUSES)
def test_misuse_matches_pytorch(case, torch_oracle):
    with pytest.raises(Exception) as theirs:
        case.fn(torch_oracle)
    with pytest.raises(Exception) as ours:
        case.fn(autodidact)
    assert isinstance(ours.value, type(theirs.value)) or type(theirs.value) is type(ours.value)
    assert str(ours.value).startswith(_pytorch_words(str(theirs.value), case.cut)), \
        (str(ours.value), str(theirs.value))


# ------------------------------------------------------------- warnings

_NON_LEAF_GRAD = ("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                  "Its .grad attribute won't be populated during autograd.backward(). If you "
                  "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                  ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                  "mistake, make sure you access the leaf Tensor instead.")


def _read_non_leaf_grad(M):
    x = M.ones(2, requires_grad=True)
    y = x * 3
    y.sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = y.grad
    return value, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_grad_of_a_non_leaf_is_none_with_a_warning_pointing_to_retain_grad():
    value, messages = _read_non_leaf_grad(autodidact)
    assert value is None
    assert len(messages) == 1 and messages[0].startswith(_NON_LEAF_GRAD)
    assert autodidact.ones(2).grad is None          # a leaf without grad: silently None
    x = autodidact.ones(2, requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad.tolist() == [1.0, 1.0]


def test_non_leaf_grad_warning_matches_pytorch(torch_oracle):
    ours, theirs = _read_non_leaf_grad(autodidact), _read_non_leaf_grad(torch_oracle)
    assert ours[0] is None and theirs[0] is None
    assert ours[1][0].startswith(_pytorch_words(theirs[1][0], " See github.com"))


def test_backward_create_graph_warns_of_the_reference_cycle_as_pytorch_does(torch_oracle):
    texts = []
    for M in (torch_oracle, autodidact):
        x = M.tensor(2.0, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            (x ** 4).backward(create_graph=True)
        texts.append([str(w.message) for w in caught])
    theirs, ours = texts
    assert ours and ours[0].startswith(_pytorch_words(theirs[0], " (Triggered internally"))


# -------------------------------------------------- missing rules, Function

def test_a_missing_backward_names_the_op_and_is_not_a_key_error():
    r = autodidact.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(NotImplementedError) as info:
        (r // 1).sum().backward()
    assert isinstance(info.value, autodidact.function.MissingBackwardError)
    assert str(info.value).startswith("autodidact has no backward for 'floor_divide'")


def test_swap_backward_of_an_unknown_op_lists_the_known_ones():
    with pytest.raises(LookupError, match="no op named 'cummax'; known ops: .*tanh"):
        autodidact.function.swap_backward("cummax", lambda ctx, grad: grad)
