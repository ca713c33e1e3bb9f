"""``pixel_shuffle`` and ``pixel_unshuffle``: move ``r * r`` channels into an
``r x r`` block of pixels, and back. Each is the other's backward."""

from __future__ import annotations

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = ["pixel_shuffle", "pixel_unshuffle"]


def _check(input: Tensor, r: int, name: str, what: str) -> None:
    if input.dim() < 3:
        raise RuntimeError(
            f"{name} expects input to have at least 3 dimensions, but got input with "
            f"{input.dim()} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {r}")


class PixelShuffleBackward0(Node):
    __slots__ = ("r",)

    def apply(self, g):
        return (pixel_unshuffle(g, self.r),)


class PixelUnshuffleBackward0(Node):
    __slots__ = ("r",)

    def apply(self, g):
        return (pixel_shuffle(g, self.r),)


def pixel_shuffle(input, upscale_factor):
    """``(*, C * r**2, H, W)`` to ``(*, C, H * r, W * r)``."""
    r = upscale_factor
    _check(input, r, "pixel_shuffle", "upscale_factor")
    *lead, c, h, w = input.shape
    if c % (r * r) != 0:
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
            f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    oc = c // (r * r)
    a = input._data.reshape(*lead, oc, r, r, h, w)
    n = len(lead)
    a = a.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    res = _make(a.reshape(*lead, oc, h * r, w * r))
    if _state.enabled and input._requires_grad:
        node = PixelShuffleBackward0()
        node.r = r
        _record(node, res, input)
    return res


def pixel_unshuffle(input, downscale_factor):
    """``(*, C, H * r, W * r)`` to ``(*, C * r**2, H, W)``."""
    r = downscale_factor
    _check(input, r, "pixel_unshuffle", "downscale_factor")
    *lead, c, h, w = input.shape
    if h % r != 0:
        raise RuntimeError(
            "pixel_unshuffle expects height to be divisible by downscale_factor, but "
            f"input.size(-2)={h} is not divisible by {r}"
        )
    if w % r != 0:
        raise RuntimeError(
            "pixel_unshuffle expects width to be divisible by downscale_factor, but "
            f"input.size(-1)={w} is not divisible by {r}"
        )
    oh, ow = h // r, w // r
    a = input._data.reshape(*lead, c, oh, r, ow, r)
    n = len(lead)
    a = a.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    res = _make(a.reshape(*lead, c * r * r, oh, ow))
    if _state.enabled and input._requires_grad:
        node = PixelUnshuffleBackward0()
        node.r = r
        _record(node, res, input)
    return res
