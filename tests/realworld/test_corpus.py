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
    fresh = harness.run_program(name, "torch")
    stored = harness.expected_path(name).read_text()
    assert fresh == stored, (f"PyTorch now prints something else for {name}: run "
                             f"`python tests/realworld/make_expected.py {name}`")


def test_every_expected_file_has_its_program():
    orphans = sorted(p.stem for p in harness.EXPECTED.glob("*.txt") if p.stem not in NAMES)
    assert orphans == []


def test_every_program_is_listed_in_the_readme():
    readme = (harness.HERE / "README.md").read_text()
    assert [n for n in NAMES if f"`{n}`" not in readme] == []
