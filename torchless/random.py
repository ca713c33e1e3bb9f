"""torch.random: the default generator's seed and state, and fork_rng."""

from __future__ import annotations

import contextlib

import numpy as np

from ._random import Generator, default_generator
from ._tensor import Tensor, _make

__all__ = [
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
    "fork_rng",
    "Generator",
    "default_generator",
]


def manual_seed(seed) -> Generator:
    """Seed the default generator (torch's seed rules); returns it."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the default generator nondeterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state: torch's 5056-byte uint8 layout."""
    return _make(np.array(default_generator._get_state_bytes(), dtype=np.uint8))


def set_rng_state(new_state: Tensor) -> None:
    """Restore a state from get_rng_state (torch's or torchless's)."""
    if not isinstance(new_state, Tensor):
        raise TypeError(
            f"set_rng_state(): argument 'new_state' must be Tensor, not {type(new_state).__name__}"
        )
    default_generator._set_state_bytes(new_state._host())


@contextlib.contextmanager
def fork_rng(
    devices=None,
    enabled: bool = True,
    _caller="fork_rng",
    _devices_kw="devices",
    device_type="cuda",
):
    """Restore the default generator's state when the block exits."""
    if not enabled:
        yield
        return
    state = default_generator._get_state_bytes().copy()
    try:
        yield
    finally:
        default_generator._set_state_bytes(state)
