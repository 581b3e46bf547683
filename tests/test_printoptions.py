"""set_printoptions against PyTorch: the same options print the same text."""

import pytest

import autodidact


@pytest.fixture(autouse=True)
def _defaults_restored(torch_oracle):
    yield
    autodidact.set_printoptions(profile="default")
    torch_oracle.set_printoptions(profile="default")


def _values(lib):
    return [lib.tensor([1 / 3, 2.5, -7.0]), lib.arange(2000.0).view(40, 50) / 7,
            lib.linspace(0, 1, 30), lib.tensor([1e-6, 1.0, 1e9]), lib.arange(12).view(3, 4)]


@pytest.mark.parametrize("options", [
    dict(precision=2), dict(edgeitems=2, linewidth=75), dict(threshold=10, edgeitems=1),
    dict(linewidth=40), dict(profile="short"), dict(profile="full", linewidth=200),
    dict(precision=6, threshold=50)], ids=str)
def test_the_same_options_print_the_same(options, torch_oracle):
    autodidact.set_printoptions(**options)
    torch_oracle.set_printoptions(**options)
    for ours, theirs in zip(_values(autodidact), _values(torch_oracle)):
        assert repr(ours) == repr(theirs)


def test_sci_mode_is_refused_with_the_reason():
    with pytest.raises(NotImplementedError, match="sci_mode"):
        autodidact.set_printoptions(sci_mode=True)
