"""Bugs the differential fuzzer (tests/test_fuzz_torch.py) found, each compared with PyTorch.

One test per reproducer of the fuzzer's "Bugs found" exclusions, named as the
exclusion was; the exclusion is gone once its test passes.
"""

import pytest

import autodidact as ad
from torch_compare import run, same_error, same_exact, same_value


def both(torch, fn):
    return run(ad, fn), run(torch, fn)


# ------------------------------------------------------------------ prod-dim-0d-backward

@pytest.mark.parametrize("reduce", ["prod", "sum", "amax", "logsumexp"])
def test_reducing_dim_0_of_a_0d_tensor_differentiates(torch_oracle, reduce):
    def fn(lib):
        x = lib.tensor(2., requires_grad=True)
        getattr(x, reduce)(dim=0).backward()
        return x.grad
    ours, theirs = both(torch_oracle, fn)
    same_value(ours, theirs)
