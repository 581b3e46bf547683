"""The Generator: PyTorch's CPU engine, a 32-bit Mersenne Twister, on NumPy.

PyTorch's CPU generator is ``mt19937`` seeded by the standard
``init_genrand`` recurrence with the low 32 bits of the seed. NumPy's
``MT19937`` bit generator, seeded the legacy way (as ``RandomState(seed)``
does), is the same machine: its ``random_raw`` returns the same 32-bit
words, so everything here is a transform of those words.

    >>> g = autodidact.Generator().manual_seed(2147483647)
    >>> autodidact.rand(2, generator=g)       # what torch.rand(2, generator=g) prints
    tensor([0.7081, 0.3542])

A generator also remembers the second sample of the last scalar
Box-Muller pair (see ``normal.py``): ``get_state``/``set_state`` keep it
and ``manual_seed`` clears it, as in PyTorch.
"""

import numpy as np

from .. import backend

DEFAULT_SEED = 67280421310721   # a fresh torch.Generator()'s seed
_STATE_BYTES = 624 * 4 + 4 + 8 + 8 + 8   # key, position, seed, has-cache flag, cached normal


class Generator:
    """A source of random numbers: ``Generator(device='cpu')``.

    On the CPU it draws PyTorch's numbers bit for bit; on ``cuda`` it wraps
    CuPy's generator (PyTorch's CUDA numbers differ from its CPU numbers
    too). ``manual_seed`` returns the generator itself, so
    ``g = Generator().manual_seed(42)`` reads as in PyTorch.
    """

    def __init__(self, device="cpu"):
        self.device = backend.as_device(device)
        self._cupy_rng = None
        self.manual_seed(DEFAULT_SEED)

    # ------------------------------------------------------------ seeding

    def manual_seed(self, seed):
        """Restart the stream from ``seed`` (any integer from -2**63 to 2**64 - 1)."""
        seed = _check_seed(seed)
        self._seed = seed
        self._next_normal = None          # PyTorch forgets the cached normal too
        if self.device.type == "cpu":
            self._bits = np.random.MT19937(0)
            self._bits._legacy_seeding(seed & 0xFFFFFFFF)
        else:
            xp = backend.array_module(self.device)
            self._cupy_rng = xp.random.default_rng(seed)
        return self

    def seed(self):
        """Seed from the operating system's entropy; returns the seed chosen."""
        fresh = int(np.random.SeedSequence().entropy) % (2 ** 63)
        self.manual_seed(fresh)
        return fresh

    def initial_seed(self):
        """The seed this stream started from (all 64 bits, as given to manual_seed)."""
        return self._seed

    # ------------------------------------------------------------ state

    def get_state(self):
        """The whole state as a uint8 tensor: restore it with ``set_state``.

        It holds the Twister's 624 words and position, the seed and the
        cached normal sample. (Not byte-compatible with PyTorch's 5056-byte
        state; a state saved here restores here.)
        """
        from ..tensor import Tensor
        self._require_cpu("get_state")
        state = self._bits.state["state"]
        has, value = (0, 0.0) if self._next_normal is None else (1, self._next_normal)
        raw = b"".join((state["key"].astype("<u4").tobytes(),
                        np.int32(state["pos"]).astype("<i4").tobytes(),
                        np.uint64(self._seed).astype("<u8").tobytes(),
                        np.uint64(has).astype("<u8").tobytes(),
                        np.float64(value).astype("<f8").tobytes()))
        return Tensor._wrap(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Go back to a state that ``get_state`` returned; returns the generator."""
        from ..tensor import Tensor
        self._require_cpu("set_state")
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        raw = backend.to_host(new_state._data)
        if raw.dtype != np.uint8 or raw.size != _STATE_BYTES:
            raise RuntimeError(f"Expected a uint8 state of {_STATE_BYTES} bytes from "
                               f"Generator.get_state(), got {raw.size} elements of "
                               f"{raw.dtype}: save the state with get_state() and pass it back")
        raw = np.ascontiguousarray(raw).tobytes()
        key = np.frombuffer(raw, "<u4", 624, 0).astype(np.uint32)
        pos = int(np.frombuffer(raw, "<i4", 1, 2496)[0])
        seed, has = (int(v) for v in np.frombuffer(raw, "<u8", 2, 2500))
        value = float(np.frombuffer(raw, "<f8", 1, 2516)[0])
        bits = np.random.MT19937(0)
        bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._bits, self._seed = bits, seed
        self._next_normal = value if has else None
        return self

    def _require_cpu(self, what):
        if self.device.type != "cpu":
            raise RuntimeError(f"{what}() of a cuda Generator is not supported by autodidact: "
                               "it wraps CuPy's generator; reseed it with manual_seed instead")

    # ------------------------------------------------------------ raw words

    def words(self, n):
        """The next ``n`` 32-bit outputs (PyTorch's ``random()``), as uint64."""
        return self._bits.random_raw(int(n))

    def words64(self, n):
        """The next ``n`` 64-bit outputs (``random64()``: two words, first one high)."""
        pairs = self._bits.random_raw(2 * int(n))
        return (pairs[0::2] << np.uint64(32)) | pairs[1::2]

    def __repr__(self):
        return f"<autodidact.Generator device={self.device} initial_seed={self._seed}>"


def _check_seed(seed):
    """PyTorch takes any int64 or uint64 and keeps it as an unsigned 64-bit number."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        if hasattr(seed, "item") and getattr(seed, "dim", lambda: 1)() == 0:
            seed = seed.item()
        else:
            raise TypeError(f"manual_seed expected an int, but got {type(seed).__name__}: "
                            "seed with an integer such as manual_seed(42)")
    seed = int(seed)
    if not -2 ** 63 <= seed < 2 ** 64:
        raise ValueError("Overflow when unpacking long long")
    return seed % 2 ** 64


# ---------------------------------------------------------------- defaults
#
# One default generator per device, as in PyTorch: ``manual_seed`` reseeds
# them all. The CPU one starts from PyTorch's fresh-generator seed so that a
# program that never seeds still draws the same numbers each run (PyTorch's
# own default generator starts from a random seed).

default_generator = Generator("cpu")
_device_generators = {}


def generator_for(device, generator=None):
    """The generator a random function on ``device`` draws from."""
    dev = backend.as_device(device)
    if generator is not None:
        if not isinstance(generator, Generator):
            raise TypeError(f"generator must be an autodidact.Generator, not "
                            f"{type(generator).__name__}")
        if generator.device.type != dev.type:
            raise RuntimeError(f"Expected a '{dev.type}' device type for generator but found "
                               f"'{generator.device.type}'")
        return generator
    if dev.type == "cpu":
        return default_generator
    key = str(dev)
    if key not in _device_generators:
        _device_generators[key] = Generator(dev).manual_seed(default_generator.initial_seed())
    return _device_generators[key]


def manual_seed(seed):
    """Seed every device's default generator; returns the CPU one.

        >>> autodidact.manual_seed(0); autodidact.rand(2)
        tensor([0.4963, 0.7682])
    """
    default_generator.manual_seed(seed)
    _device_generators.clear()     # GPU generators restart from the new seed on first use
    return default_generator


def seed():
    """Seed the default generators from the operating system; returns the seed."""
    chosen = default_generator.seed()
    _device_generators.clear()
    return chosen


def initial_seed():
    """The seed the default CPU generator started from."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default CPU generator's state (a uint8 tensor) for ``set_rng_state``."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default CPU generator to a state from ``get_rng_state``."""
    default_generator.set_state(new_state)
