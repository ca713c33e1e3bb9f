"""Device objects and the array backend behind each device.

The one seam between torchless and its array libraries: a device type names
its array module (``numpy`` for ``cpu``, ``cupy`` for ``cuda``). Op code asks
a tensor's array for its module and never imports cupy itself.
"""

from __future__ import annotations

import numpy as np

__all__ = ["device", "get_array_module"]


class device:
    """A device: ``device('cpu')``, ``device('cuda', 0)`` or ``device('cuda:1')``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index: int | None = None):  # noqa: A002
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        if ":" in type:
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed "
                    f"explicitly: {type}"
                )
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda", "meta"):
            raise RuntimeError(
                "Expected one of cpu, cuda, meta device type at start of device string: " + type
            )
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def as_device(d) -> device:
    """Normalise a device argument (str, int, device or None=cpu)."""
    if d is None:
        return CPU
    if isinstance(d, device):
        return d
    dev = device(d)
    if dev.type == "cpu":
        return CPU
    return dev


def get_array_module(arr):
    """The array module (numpy or cupy) that owns ``arr``."""
    if isinstance(arr, np.ndarray):
        return np
    mod = type(arr).__module__.split(".")[0]
    if mod == "cupy":
        import cupy

        return cupy
    return np


def device_of_array(arr) -> device:
    if isinstance(arr, np.ndarray):
        return CPU
    return device("cuda", int(arr.device.id))


def backend_for(dev: device):
    """The array module that holds arrays on ``dev``."""
    if dev.type == "cpu":
        return np
    if dev.type == "cuda":
        try:
            import cupy
        except ImportError as e:
            raise RuntimeError(
                "torchless needs the 'cupy' extra for CUDA tensors (pip install cupy)"
            ) from e
        return cupy
    raise RuntimeError(f"torchless does not support device type '{dev.type}'")
