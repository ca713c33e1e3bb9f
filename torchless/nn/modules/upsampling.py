"""Upsampling layers: ``Upsample`` and the fixed-mode ``UpsamplingNearest2d`` and
``UpsamplingBilinear2d``, thin wrappers over ``interpolate``."""

from __future__ import annotations

from typing import Any

from ..._ops.interpolate import interpolate
from ..._tensor import Tensor
from .module import Module

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]


class Upsample(Module):
    """Resample 1-D, 2-D or 3-D multi-channel data to ``size`` or by ``scale_factor``.

    Args:
        size: output spatial size (an int, or one per spatial dim).
        scale_factor: multiplier of the spatial size (a float, or one per dim).
        mode: ``'nearest'`` (default), ``'nearest-exact'``, ``'linear'``, ``'bilinear'``,
            ``'bicubic'``, ``'trilinear'`` or ``'area'``.
        align_corners: for the interpolating modes, align the corner pixels' centres
            (default ``False`` there; must stay ``None`` for the others).
        recompute_scale_factor: compute the output size from the scale factor and resample
            as if that size had been given.

    Shape:
        - Input: ``(N, C, W_in)``, ``(N, C, H_in, W_in)`` or ``(N, C, D_in, H_in, W_in)``.
        - Output: the same with each spatial size ``floor(size_in * scale_factor)`` or
          ``size``.

    Example::

        >>> m = nn.Upsample(scale_factor=2, mode="nearest")
        >>> m(torch.arange(1.0, 5.0).view(1, 1, 2, 2)).shape
        torch.Size([1, 1, 4, 4])
    """

    __constants__ = [
        "size",
        "scale_factor",
        "mode",
        "align_corners",
        "name",
        "recompute_scale_factor",
    ]
    name: str
    mode: str

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(
            input,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )

    def __setstate__(self, state: dict) -> None:
        if "recompute_scale_factor" not in state:
            state["recompute_scale_factor"] = True
        super().__setstate__(state)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        info += ", mode=" + repr(self.mode)
        return info


class UpsamplingNearest2d(Upsample):
    """2-D nearest-neighbour upsampling (``Upsample(..., mode='nearest')``); give ``size``
    or ``scale_factor``. Input ``(N, C, H, W)``."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """2-D bilinear upsampling with ``align_corners=True`` (``Upsample(...,
    mode='bilinear', align_corners=True)``); give ``size`` or ``scale_factor``. Input
    ``(N, C, H, W)``."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
