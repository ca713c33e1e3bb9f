"""Dropout layers: ``Dropout``, ``Dropout1d``/``2d``/``3d``, ``AlphaDropout`` and
``FeatureAlphaDropout``. They act only in training mode and draw their masks
as torch does, so a seeded run drops the same elements."""

from __future__ import annotations

from ..._ops import dropout as _d
from ..._tensor import Tensor
from .module import Module

__all__ = [
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
]


class _DropoutNd(Module):
    __constants__ = ["p", "inplace"]

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """In training, zero each element with probability ``p`` and scale the others
    by ``1 / (1 - p)``; the identity in evaluation.

    Example::

        >>> drop = nn.Dropout(p=0.2)
        >>> drop.eval()(torch.ones(3))
        tensor([1., 1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return _d.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` inputs in training."""

    def forward(self, input: Tensor) -> Tensor:
        return _d.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels of ``(N, C, H, W)`` inputs in training."""

    def forward(self, input: Tensor) -> Tensor:
        return _d.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs in training."""

    def forward(self, input: Tensor) -> Tensor:
        return _d.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks that keeps the mean and variance of its input."""

    def forward(self, input: Tensor) -> Tensor:
        return _d.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels."""

    def forward(self, input: Tensor) -> Tensor:
        return _d.feature_alpha_dropout(input, self.p, self.training)
