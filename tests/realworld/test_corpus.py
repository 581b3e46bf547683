"""The corpus: real tutorial programs run under autodidact print what PyTorch prints.

Every program in programs/ runs with ``torch`` aliased to autodidact and its
stdout is compared, token by token, with PyTorch's stored in expected/:
addresses (0x...) masked, ``autodidact`` read as ``torch``, numbers within
rtol 1e-4 / atol 1e-6, everything else exactly. These checks need no
PyTorch. ``test_expected_output_is_current`` re-runs each program on
PyTorch (the oracle) to prove the stored file is what PyTorch prints today.
"""

import pytest

import harness

NAMES = harness.program_names()


@pytest.mark.parametrize("name", NAMES)
def test_autodidact_prints_what_pytorch_printed(name):
    expected = harness.expected_path(name)
    assert expected.exists(), (f"no stored output for {name}: run "
                               f"`python tests/realworld/make_expected.py {name}`")
    harness.assert_same_output(harness.run_program(name, "autodidact"), expected.read_text())


@pytest.mark.parametrize("name", NAMES)
def test_expected_output_is_current(name, torch_oracle):
    """PyTorch still prints what is stored (to the same tolerance: another CPU may round
    float32 sums differently in the last digits)."""
    fresh = harness.run_program(name, "torch")
    problem = harness.output_difference(fresh, harness.expected_path(name).read_text())
    assert problem is None, (f"PyTorch now prints something else for {name} ({problem}): run "
                             f"`python tests/realworld/make_expected.py {name}`")


def test_every_expected_file_has_its_program():
    orphans = sorted(p.stem for p in harness.EXPECTED.glob("*.txt") if p.stem not in NAMES)
    assert orphans == []


def test_every_program_is_listed_in_the_readme():
    readme = (harness.HERE / "README.md").read_text()
    assert [n for n in NAMES if f"`{n}`" not in readme] == []


# ----------------------------------------------------------- the harness itself


@pytest.mark.parametrize("ours, theirs, same", [
    ("loss 0.25000\n", "loss 0.250001\n", True),                 # within rtol 1e-4
    ("loss 0.2503\n", "loss 0.2500\n", False),                   # beyond it
    ("1e-7 0.0\n", "0.0 1e-7\n", True),                          # within atol 1e-6
    ("tensor([1.0000,  2.0000])", "tensor([1.0000, 2.0000])", True),   # spacing is not compared
    ("<AddBackward0 object at 0x7f00>", "<AddBackward0 object at 0x1234abcd>", True),
    ("dtype=autodidact.float64", "dtype=torch.float64", True),
    ("Size([2, 3])", "Size([2, 4])", False),
    ("a b", "a b c", False),
    ("nan inf -inf", "nan inf -inf", True),
    ("nan", "0.0", False),
    ("Predicted: Dress", "Predicted: Shirt", False),
], ids=range(11))
def test_output_comparison(ours, theirs, same):
    assert (harness.output_difference(ours, theirs) is None) is same


def test_torch_is_autodidact_for_the_whole_module_tree_and_only_inside():
    import sys
    import autodidact
    import torch as real_torch
    with harness.torch_is_autodidact():
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader
        assert torch is autodidact and nn is autodidact.nn
        assert DataLoader is autodidact.utils.data.DataLoader
        with pytest.raises(ModuleNotFoundError, match="torch.no_such_module"):
            import torch.no_such_module  # noqa: F401
    assert sys.modules["torch"] is real_torch
    assert autodidact.__spec__.name == "autodidact" and autodidact.nn.__spec__.name == "autodidact.nn"


def test_numpy_draws_give_both_frameworks_the_same_numbers(torch_oracle):
    import autodidact

    def draws(lib):
        with harness.numpy_draws(lib, 7):
            w = lib.empty(2, 3)
            values = [lib.randn(2, 3), lib.rand((4,), dtype=lib.float64), lib.randint(5, (3,)),
                      lib.randint(2, 9, size=(2,)), lib.randperm(6), lib.randn_like(w),
                      w.uniform_(-1, 1), lib.zeros(3).normal_(2.0, 0.5)]
        return [(str(v.dtype).split(".")[-1], v.tolist()) for v in values]
    before = autodidact.randn, torch_oracle.Tensor.uniform_
    assert draws(autodidact) == draws(torch_oracle)
    assert (autodidact.randn, torch_oracle.Tensor.uniform_) == before   # put back afterwards
