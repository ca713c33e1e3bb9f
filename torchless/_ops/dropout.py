"""Dropout: ``dropout``, ``alpha_dropout``, ``feature_alpha_dropout`` and the
channel-wise ``dropout1d``/``2d``/``3d``.

The masks are drawn as torch draws them on the CPU, so a seeded run drops
the same elements: ``bernoulli_(1 - p)`` into a tensor of the input's dtype
(of shape ``(N, C, 1, ...)`` for the channel-wise kinds), then ``mask / (1 -
p)`` and ``input * mask`` in that dtype. ``p = 0``, ``p = 1`` and evaluation
draw nothing; ``p = 0`` and evaluation return the input itself. The output
is an ordinary product (``MulBackward0``; ``AddBackward0`` for the alpha
kinds), as torch records it on the CPU.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = [
    "dropout",
    "alpha_dropout",
    "feature_alpha_dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "rrelu",
]

_SELU_ALPHA = 1.7580993408473766  # -selu's negative saturation / scale


def _check_p(p) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _short(t: Tensor) -> str:
    return t.dtype._legacy[:-6]


def _dropout_impl(input: Tensor, p, train, feature: bool, alpha: bool, inplace: bool, lead=None):
    """ATen's ``_dropout_impl``. ``lead`` is the noise shape's (N, C) for an
    unbatched in-place channel dropout (N = 1, dropped from the noise)."""
    from .._random import default_generator

    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = _make(np.zeros((), input._data.dtype))
        return input.mul_(zero) if inplace else input * zero
    shape = tuple(input.shape) if lead is None else (1,) + tuple(input.shape)
    if feature:
        if len(shape) < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        nshape = shape[:2] + (1,) * (len(shape) - 2)
    else:
        nshape = shape
    dt = input._data.dtype
    if feature:
        noise = default_generator._bernoulli_scalar(nshape, 1 - p, dt)
    else:
        noise = _like_input_draw(input._data, lambda s: default_generator._bernoulli_scalar(
            s, 1 - p, dt))  # fmt: skip
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_short(input)}"
        )
    if lead is not None:
        noise = noise.reshape(nshape[1:])
    work = np.float32 if dt == np.float16 else dt.type
    if alpha:
        a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
        n = noise.astype(work)
        b = ((n - work(1)) * work(_SELU_ALPHA * a) + work(_SELU_ALPHA * a * p)).astype(dt)
        noise = (n * work(a)).astype(dt)
        nt, bt = _make(noise), _make(b)
        if inplace:
            return input.mul_(nt).add_(bt)
        return input * nt + bt
    noise = (noise.astype(work) / work(1 - p)).astype(dt)
    nt = _make(noise)
    return input.mul_(nt) if inplace else input * nt


def _like_input_draw(a, draw):
    """Draw an array of ``a``'s shape in ``a``'s memory order: torch draws into
    ``empty_like(input)``, which keeps the strides of a dense input (a transposed
    one, say), and fills it in memory order."""
    if a.ndim < 2 or a.flags.c_contiguous:
        return draw(a.shape)
    from .shape import _is_dense

    if not _is_dense(a):
        return draw(a.shape)
    perm = sorted(range(a.ndim), key=lambda d: -a.strides[d])
    drawn = draw(tuple(a.shape[d] for d in perm))
    return drawn.transpose(np.argsort(perm))


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)`` (only when ``training``)."""
    _check_p(p)
    return _dropout_impl(input, p, training, False, False, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: dropped elements take SELU's negative
    saturation value, then an affine map keeps mean and variance."""
    _check_p(p)
    return _dropout_impl(input, p, training, False, True, inplace)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (dim 1)."""
    _check_p(p)
    return _dropout_impl(input, p, training, True, True, inplace)


def _feature(input, p, training, inplace, batched: bool):
    if batched:
        return _dropout_impl(input, p, training, True, False, inplace)
    if inplace:
        # the channel mask of the unsqueezed input, applied to the input itself
        return _dropout_impl(input, p, training, True, False, True, lead=True)
    return _dropout_impl(input.unsqueeze(0), p, training, True, False, False).squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a ``(N, C, L)`` or ``(C, L)`` input."""
    _check_p(p)
    nd = input.dim()
    if nd not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that dropout1d "
            "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
            "dimension, and an optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature(input, p, training, inplace, nd == 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a ``(N, C, H, W)`` input (a 3-D input is taken
    as ``(N, C, L)``, as torch does for now)."""
    _check_p(p)
    nd = input.dim()
    if nd not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _dropout_impl(input, p, training, True, False, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input."""
    _check_p(p)
    nd = input.dim()
    if nd not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {nd}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    return _feature(input, p, training, inplace, nd == 5)


# ----------------------------------------------------------------------------
# rrelu: a leaky ReLU whose negative slopes are drawn in training


class RreluWithNoiseBackward0(Node):
    __slots__ = ("noise",)

    def apply(self, g):
        return (g * _make(self.noise),)


def _rrelu(input: Tensor, lower, upper, training) -> Tensor:
    from .._random import default_generator

    if not lower <= upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"rrelu_with_noise_out_cpu\" not implemented for '{_short(input)}'"
        )
    a = input._data
    dt = a.dtype
    work = np.float64 if dt == np.float64 else np.float32
    neg = a <= 0
    if training:
        # one double uniform per non-positive element, in order; the bounds are
        # first rounded to the computation type, as torch converts them
        lo, hi = float(work(lower)), float(work(upper))
        u = default_generator._uniform_base(int(np.count_nonzero(neg)), np.float64)
        noise = np.ones(a.shape, dt)
        noise[neg] = (u * (hi - lo) + lo).astype(dt)
        out = (a * noise).astype(dt)
    else:
        slope = dt.type((lower + upper) / 2)
        noise = np.where(neg, slope, dt.type(1)).astype(dt)
        out = np.where(neg, a * slope, a).astype(dt)
    res = _make(out)
    if _state.enabled and input._requires_grad:
        node = RreluWithNoiseBackward0()
        node.noise = noise
        _record(node, res, input)
    return res


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: in training each non-positive element is
    multiplied by a slope drawn uniformly from ``[lower, upper]``; in
    evaluation by the mean slope ``(lower + upper) / 2``."""
    if inplace:
        from .inplace import apply_inplace

        return apply_inplace(input, _rrelu, lower, upper, training)
    return _rrelu(input, lower, upper, training)
