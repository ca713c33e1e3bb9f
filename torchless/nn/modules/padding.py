"""Padding layers: constant (``ZeroPad``, ``ConstantPad``), reflection,
replication and circular padding of the last 1, 2 or 3 dims."""

from __future__ import annotations

from collections.abc import Iterable

from ..._ops.padding import pad
from ..._tensor import Tensor
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


def _ntuple(v, n: int) -> tuple:
    """``torch.nn.modules.utils._ntuple``: an iterable as a tuple, else ``n`` copies."""
    if isinstance(v, Iterable):
        return tuple(v)
    return (v,) * n


class _CircularPadNd(Module):
    __constants__ = ["padding"]
    _dims = (2, 3)

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * (self._dims[0] - 1))

    def _check_input_dim(self, input: Tensor) -> None:
        lo, hi = self._dims
        if input.dim() != lo and input.dim() != hi:
            raise ValueError(f"expected {lo}D or {hi}D input (got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        return pad(input, self.padding, "circular")

    def extra_repr(self) -> str:
        return f"{self.padding}"


class CircularPad1d(_CircularPadNd):
    """Pad the last dim by wrapping around: ``padding`` is an int or ``(left, right)``."""

    _dims = (2, 3)


class CircularPad2d(_CircularPadNd):
    """Pad the last two dims by wrapping around: an int or ``(left, right, top, bottom)``."""

    _dims = (3, 4)


class CircularPad3d(_CircularPadNd):
    """Pad the last three dims by wrapping around: an int or a 6-tuple."""

    _dims = (4, 5)


class _ConstantPadNd(Module):
    __constants__ = ["padding", "value"]
    _n = 2

    def __init__(self, padding, value: float) -> None:
        super().__init__()
        self.value = value
        self.padding = _ntuple(padding, self._n)

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``: ``padding`` is an int or ``(left, right)``."""

    _n = 2


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: an int or ``(left, right, top, bottom)``.

    Example::

        >>> nn.ConstantPad2d(1, 0.5)(torch.zeros(1, 2, 2)).shape
        torch.Size([1, 4, 4])
    """

    _n = 4


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``: an int or a 6-tuple."""

    _n = 6


class _ReflectionPadNd(Module):
    __constants__ = ["padding"]
    _n = 2

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, self._n)

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, "reflect")

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_ReflectionPadNd):
    """Pad the last dim with its reflection (the edge not repeated)."""

    _n = 2


class ReflectionPad2d(_ReflectionPadNd):
    """Pad the last two dims with their reflection: an int or ``(left, right, top, bottom)``."""

    _n = 4


class ReflectionPad3d(_ReflectionPadNd):
    """Pad the last three dims with their reflection: an int or a 6-tuple."""

    _n = 6


class _ReplicationPadNd(Module):
    __constants__ = ["padding"]
    _n = 2

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, self._n)

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, "replicate")

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReplicationPad1d(_ReplicationPadNd):
    """Pad the last dim by repeating its edge values."""

    _n = 2


class ReplicationPad2d(_ReplicationPadNd):
    """Pad the last two dims by repeating their edges: an int or a 4-tuple."""

    _n = 4


class ReplicationPad3d(_ReplicationPadNd):
    """Pad the last three dims by repeating their edges: an int or a 6-tuple."""

    _n = 6


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros: an int or ``(left, right)``."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros: an int or ``(left, right, top, bottom)``.

    Example::

        >>> nn.ZeroPad2d((1, 1, 2, 0))(torch.ones(1, 1, 2, 2)).shape
        torch.Size([1, 1, 4, 4])
    """

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pad the last three dims with zeros: an int or a 6-tuple."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"
