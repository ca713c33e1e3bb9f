"""Resampling: ``interpolate`` (nearest, nearest-exact, linear, bilinear, bicubic, trilinear,
area) and the deprecated ``upsample*`` wrappers.

How they map onto NumPy
-----------------------
Every mode but ``area`` is separable: along each spatial dim, output ``o`` is a weighted sum
of a few input elements (its *taps*: 1 for nearest, 2 for linear, 4 for cubic). A dim's taps
are index arrays ``idx_j`` (one entry per output position) with weights ``w_j``, so resampling
a dim is ``sum_j take(x, idx_j, axis) * w_j``: one gather per tap over the whole tensor, no
loop over pixels. Dims are resampled last first, as torch's kernel nests its sums.

The backward is the adjoint: for each tap, ``grad * w_j`` is scatter-added back to
``idx_j``. The indices of a dim never decrease along the output, so the scatter-add is one
``np.add.reduceat`` over the runs of equal indices and one assignment to distinct positions.
Forward and backward are a pair of linear maps, each recorded with a node whose backward is
the other, so double backward works. As in torch, these nodes keep no tensor (only sizes).

The indices and weights are computed as ATen computes them (same precision, same order of
operations, the same ``floorf`` on the source position), so nearest modes pick the same
pixels as torch: including torch's quirks, e.g. ``nearest`` with a scale factor whose
output is exactly twice the input, where torch's backward (and, for small 2-D outputs, its
forward) uses ``i // 2`` but the general kernel ``floor(i / scale)``. ``area`` is adaptive
average pooling.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from .conv import _linear, _scalar_name
from .pooling import _adaptive_bounds, adaptive_avg_pool1d, adaptive_avg_pool2d

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_ALL = slice(None)
_F32 = np.float32

# --------------------------------------------------------------------------- index maths


def _opmath(dt):
    """The dtype ATen computes positions and weights in (``opmath_type``)."""
    return np.float64 if dt == np.float64 else np.float32


def _floorf(a):
    """C's ``floorf``: the argument is rounded to float32 first."""
    return np.floor(np.asarray(a).astype(_F32)).astype(np.int64)


def _pixel_scale(n, o, align_corners, scale, om):
    """ATen's ``area_pixel_compute_scale``: input pixels per output pixel."""
    if align_corners:
        return om(n - 1) / om(o - 1) if o > 1 else om(0)
    if scale is not None and scale > 0:
        return om(1.0 / scale)
    return om(n) / om(o)


def _source_index(scale, o, align_corners, cubic, om):
    """ATen's ``area_pixel_compute_source_index`` for output positions ``0..o-1``."""
    i = np.arange(o, dtype=om)
    if align_corners:
        return scale * i
    if om is _F32:  # the compiled kernel fuses this multiply-add: one rounding
        src = (np.float64(scale) * (i + om(0.5)) - 0.5).astype(_F32)
    else:
        src = scale * (i + om(0.5)) - om(0.5)
    return src if cubic else np.maximum(src, om(0))


def _float_scale(n, o, scale):
    """ATen's ``compute_scales_value<float>``."""
    if scale is not None and scale > 0:
        return _F32(1.0 / scale)
    return _F32(n) / _F32(o)


def _nearest_generic(n, o, scale, om, exact):
    """Source index of each output (``HelperInterpNearest[Exact]``, the general kernel)."""
    s = _pixel_scale(n, o, False, scale, om)
    if exact:
        src = _source_index(s, o, False, False, om)
        idx = _floorf(src.astype(np.float64) + 0.5)
    else:
        idx = _floorf(s * np.arange(o, dtype=om))
    return np.minimum(idx, n - 1)


def _nearest_float(n, o, scale, exact):
    """Source index of each output (``nearest_idx`` / ``nearest_exact_idx``: the backward
    kernels and the vectorised forward ones)."""
    i = np.arange(o, dtype=np.int64)
    s = _float_scale(n, o, scale)
    if exact:
        idx = _floorf((i + 0.5) * np.float64(s))
    elif o == n:
        return i
    elif o == 2 * n:
        return i >> 1
    else:
        idx = _floorf(i.astype(_F32) * s)
    return np.minimum(idx, n - 1)


def _linear_taps(n, o, align_corners, scale, dt):
    """Two taps per output (``compute_source_index_and_lambda``)."""
    i = np.arange(o, dtype=np.int64)
    if o == n:  # torch copies: weights 1 and 0
        return [(i, np.ones(o, dt)), (i, np.zeros(o, dt))]
    om = _opmath(dt)
    s = _pixel_scale(n, o, align_corners, scale, om)
    real = _source_index(s, o, align_corners, False, om)
    i0 = np.minimum(_floorf(real), n - 1)
    l1 = np.clip(real - i0.astype(om), om(0), om(1)).astype(dt)
    l0 = (dt.type(1) - l1).astype(dt)
    i1 = i0 + (i0 < n - 1)
    return [(i0, l0), (i1, l1)]


def _cubic_taps(n, o, align_corners, scale, dt):
    """Four taps per output: Keys' cubic convolution with A = -0.75 (as torch)."""
    om = _opmath(dt)
    s = _pixel_scale(n, o, align_corners, scale, om)
    real = _source_index(s, o, align_corners, True, om)
    i0 = np.minimum(_floorf(real), n - 1)
    t = np.clip(real - i0.astype(om), om(0), om(1))
    a = om(-0.75)

    def conv1(x):  # |x| <= 1
        return ((a + om(2)) * x - (a + om(3))) * x * x + om(1)

    def conv2(x):  # 1 < |x| < 2
        return ((a * x - om(5) * a) * x + om(8) * a) * x - om(4) * a

    one = om(1)
    ws = (conv2(t + one), conv1(t), conv1(one - t), conv2((one - t) + one))
    return [(np.clip(i0 + (j - 1), 0, n - 1), w.astype(dt)) for j, w in enumerate(ws)]


# --------------------------------------------------------------------------- the linear map


def _along(w, ndim, axis):
    """``w`` shaped to broadcast along ``axis`` of an ``ndim``-dim array."""
    shape = [1] * ndim
    shape[axis] = w.shape[0]
    return w.reshape(shape)


def _resample(a, taps, axis):
    """Resample ``axis`` of ``a``: ``sum_j take(a, idx_j) * w_j`` (in tap order)."""
    out = None
    for idx, w in taps:
        t = np.take(a, idx, axis=axis)
        if w is not None:
            t *= _along(w.astype(t.dtype, copy=False), t.ndim, axis)
        if out is None:
            out = t
        else:
            out += t
    return out


def _scatter_add(out, g, idx, axis):
    """``out[..., idx[k], ...] += g[..., k, ...]`` along ``axis``, duplicates summed."""
    if idx.size == 0 or g.size == 0:
        return
    pre = (_ALL,) * axis
    steps = np.diff(idx)
    if (steps > 0).all():  # distinct indices: one fancy add
        out[pre + (idx,)] += g
    elif (steps >= 0).all():  # runs of equal indices: sum each run first
        starts = np.concatenate(([0], np.flatnonzero(steps) + 1))
        out[pre + (idx[starts],)] += np.add.reduceat(g, starts, axis=axis)
    else:  # pragma: no cover - indices are monotone for every mode
        np.add.at(out, pre + (idx,), g)


def _resample_adj(g, taps, n, axis):
    """The adjoint of :func:`_resample`: (..., o, ...) -> (..., n, ...)."""
    shape = list(g.shape)
    shape[axis] = n
    out = np.zeros(shape, g.dtype)
    for idx, w in taps:
        gw = g if w is None else g * _along(w.astype(g.dtype, copy=False), g.ndim, axis)
        _scatter_add(out, gw, idx, axis)
    return out


class _Upsample:
    """A separable resampling as a linear map: ``fwd`` the forward taps per spatial dim (None
    for an identity dim), ``bwd`` the taps torch's backward kernel scatters through (the same
    but for the nearest modes' index quirks)."""

    __slots__ = ("fwd_taps", "bwd_taps", "sizes", "names")

    def __init__(self, fwd_taps, bwd_taps, sizes, names):
        self.fwd_taps, self.bwd_taps, self.sizes, self.names = fwd_taps, bwd_taps, sizes, names

    def fwd(self, a):
        work = a.astype(_F32) if a.dtype == np.float16 else a
        lead = a.ndim - len(self.sizes)
        for d in range(len(self.sizes) - 1, -1, -1):  # the last dim first, as torch nests
            taps = self.fwd_taps[d]
            if taps is not None:
                work = _resample(work, taps, lead + d)
        if work is a:
            work = work.copy()
        return work.astype(a.dtype, copy=False)

    def adj(self, g):
        work = g.astype(_F32) if g.dtype == np.float16 else g
        lead = g.ndim - len(self.sizes)
        for d, n in enumerate(self.sizes):
            taps = self.bwd_taps[d]
            if taps is not None:
                work = _resample_adj(work, taps, n, lead + d)
        if work is g:
            work = work.copy()
        return work.astype(g.dtype, copy=False)


class UpsampleBackward(Node):
    """Backward of a resampling (or of its backward): the other direction of the map.

    torch keeps only sizes for these nodes, not the input: no version check, and a second
    backward through them works."""

    __slots__ = ("op", "adjoint")

    def name(self):
        return self.op.names[self.adjoint]

    def apply(self, g):
        return (_apply(g, self.op, not self.adjoint),)


def _apply(t, op, adjoint=False):
    """Run ``op`` (or its adjoint) on tensor ``t``, recording the graph."""
    res = _make(op.adj(t._data) if adjoint else op.fwd(t._data))
    if _state.enabled and t._requires_grad:
        node = UpsampleBackward()
        node.op, node.adjoint = op, adjoint
        _record(node, res, t)
    return res


class _AdaptiveAvg3d:
    """Adaptive average pooling over the last three dims: window sums by one indicator
    matrix per dim, divided by the window volumes; the adjoint spreads ``grad / volume``
    back through the same matrices."""

    __slots__ = ("mats", "cnt")
    names = ("AdaptiveAvgPool3DBackward0", "AdaptiveAvgPool3DBackwardBackward0")

    def __init__(self, sizes, out):
        self.mats, cnts = [], []
        for n, o in zip(sizes, out):
            start, end = _adaptive_bounds(n, o)
            j = np.arange(n)
            self.mats.append((j >= start[:, None]) & (j < end[:, None]))
            cnts.append(end - start)
        self.cnt = cnts[0][:, None, None] * cnts[1][None, :, None] * cnts[2][None, None, :]

    def _apply(self, a, transpose):
        dt = a.dtype
        lead = a.ndim - 3
        for d, m in enumerate(self.mats):
            m = (m.T if transpose else m).astype(dt)
            a = np.moveaxis(np.tensordot(m, a, axes=([1], [lead + d])), 0, lead + d)
        return np.ascontiguousarray(a)

    def fwd(self, a):
        work = a.astype(_F32) if a.dtype == np.float16 else a
        r = self._apply(work, False) / self.cnt.astype(work.dtype)
        return r.astype(a.dtype, copy=False)

    def adj(self, g):
        work = g.astype(_F32) if g.dtype == np.float16 else g
        r = self._apply(work / self.cnt.astype(work.dtype), True)
        return r.astype(g.dtype, copy=False)


# --------------------------------------------------------------------------- kernels

_KIND_NAMES = {
    "nearest": "Nearest",
    "nearest-exact": "NearestExact",
    "linear": "Linear",
    "bilinear": "Bilinear",
    "trilinear": "Trilinear",
    "bicubic": "Bicubic",
}


def _channels_last(a) -> bool:
    """torch's ``is_contiguous(channels_last[_3d])`` for an array (N, C, *S)."""
    order = (1,) + tuple(range(a.ndim - 1, 1, -1)) + (0,)
    expected = 1
    for d in order:
        size = a.shape[d]
        if size != 1:
            if a.strides[d] != expected * a.itemsize:
                return False
            expected *= size
    return True


def _vectorised(a, out_sizes) -> bool:
    """Whether torch runs its vectorised (channels-last) kernel, which computes nearest
    indices in float32 with the special cases of ``nearest_idx``."""
    if len(out_sizes) == 1:
        return False
    cl = _channels_last(a) and a.shape[1] > 3
    if len(out_sizes) == 2:
        return cl or out_sizes[0] + out_sizes[1] <= 128
    return cl


def _size_check(shape, out_sizes):
    """torch's ``upsample_{1,2,3}d_common_check`` and its non-empty check."""
    nd = len(out_sizes)
    ins = shape[2:]
    if not all(s > 0 for s in ins) or not all(o > 0 for o in out_sizes):
        names = ("D", "H", "W")[3 - nd :]
        i = ", ".join(f"{n}: {v}" for n, v in zip(names, ins))
        o = ", ".join(f"{n}: {v}" for n, v in zip(names, out_sizes))
        sep = " and output" if nd == 1 else " output"
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input ({i}){sep} ({o})"
        )
    if math.prod(shape) == 0 and math.prod(shape[1:]) == 0:
        raise RuntimeError(
            f"Non-empty {nd + 2}D data tensor expected but got a tensor with sizes {list(shape)}"
        )


def _dtype_check(input, mode, vec):
    """The dtypes torch's kernels take: floating types, and uint8 (nearest modes)."""
    dt = input.dtype
    nd = input.ndim - 2
    if dt._cat == D._FLOAT:
        return
    if dt is D.uint8 and mode in ("nearest", "nearest-exact"):
        return
    if mode in ("nearest", "nearest-exact"):
        name = "upsample_nearest2d_channels_last" if vec else "compute_indices_weights_nearest"
    elif mode == "bicubic":
        name = "compute_indices_weights_cubic"
    else:
        name = "upsample_bilinear2d_channels_last" if vec else "compute_indices_weights_linear"
    if dt is D.uint8 and nd == 2:  # torch has a uint8 path of its own (rounded fixed point)
        raise NotImplementedError(
            f"torchless: interpolate(mode={mode!r}) does not support uint8 tensors; convert "
            "to float first"
        )
    raise NotImplementedError(f"\"{name}\" not implemented for '{_scalar_name(dt)}'")


def _to_int64(v: float) -> int:
    """``c10::checked_convert<int64_t>(double)``."""
    if not math.isfinite(v) or not -(2.0**63) <= v < 2.0**63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return int(v)


def _upsample(input, mode, output_size, scale_factors, align_corners):
    """The ``upsample_*`` kernels: sizes, checks, taps, and the recorded linear map."""
    shape = tuple(input.shape)
    nd = len(shape) - 2
    if output_size is not None:
        out = [int(o) for o in output_size]
        scales = [None] * nd
    else:
        out = [_to_int64(float(n) * float(s)) for n, s in zip(shape[2:], scale_factors)]
        scales = [float(s) for s in scale_factors]
    _size_check(shape, out)
    a = input._data
    vec = _vectorised(a, out)
    _dtype_check(input, mode, vec if nd == 2 else False)
    dt = a.dtype
    wdt = dt if dt.kind == "f" else np.dtype(np.float32)
    om = _opmath(wdt)
    fwd, bwd = [], []
    for n, o, s in zip(shape[2:], out, scales):
        if mode in ("nearest", "nearest-exact"):
            exact = mode == "nearest-exact"
            back = _nearest_float(n, o, s, exact)
            idx = back if vec else _nearest_generic(n, o, s, om, exact)
            same = idx.shape == back.shape and bool((idx == back).all())
            ident = n == o and bool((idx == np.arange(o)).all())
            f = None if ident else [(idx, None)]
            fwd.append(f)
            bwd.append(f if same else [(back, None)])
        else:
            fn = _cubic_taps if mode == "bicubic" else _linear_taps
            taps = fn(n, o, align_corners, s, np.dtype(wdt))
            fwd.append(taps)
            bwd.append(taps)
    if mode == "bicubic" and tuple(out) == shape[2:]:  # torch's backward then copies
        bwd = [None] * nd
    name = f"Upsample{_KIND_NAMES[mode]}{nd}D"
    op = _Upsample(fwd, bwd, shape[2:], (name + "Backward0", name + "BackwardBackward0"))
    return _apply(input, op)


def _adaptive_avg_pool3d(input, output_size):
    """Adaptive average pooling of (N, C, D, H, W) for ``mode='area'``."""
    out = [int(o) for o in output_size]
    if out == [1, 1, 1]:  # torch takes the mean here
        return input.mean((-1, -2, -3), keepdim=True)
    shape = tuple(input.shape)
    for i in range(1, len(shape)):
        if shape[i] <= 0:
            raise RuntimeError(
                "adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {list(shape)} with dimension {i} being empty"
            )
    if input.dtype._cat != D._FLOAT:
        raise NotImplementedError(
            f"\"adaptive_avg_pool3d_cpu\" not implemented for '{_scalar_name(input.dtype)}'"
        )
    return _linear(input, _AdaptiveAvg3d(shape[2:], out))


# --------------------------------------------------------------------------- public


def _is_integer(x) -> bool:
    if isinstance(x, (int, np.integer)):
        return True
    return isinstance(x, Tensor) and not x.is_floating_point()


_MODES_MSG = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def interpolate(
    input,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias=False,
):
    """Resample ``input`` (N, C, *S) with 1 to 3 spatial dims to ``size`` or by
    ``scale_factor``.

    Args:
        input: (N, C, W), (N, C, H, W) or (N, C, D, H, W).
        size: output spatial size (an int for every dim, or one per dim).
        scale_factor: multiplier of the spatial size (a float, or one per dim); the output
            size is ``floor(size * scale_factor)``.
        mode: ``'nearest'`` (torch's legacy nearest: source ``floor(i * in / out)``),
            ``'nearest-exact'`` (pixel centres, as Pillow and scikit-image),
            ``'linear'`` (3-D input), ``'bilinear'`` and ``'bicubic'`` (4-D),
            ``'trilinear'`` (5-D), ``'area'`` (adaptive average pooling).
        align_corners: for the interpolating modes: map the corner pixels' centres onto
            each other (``True``) or the corners of the images (``False``, the default).
        recompute_scale_factor: compute the output size from ``scale_factor`` and then
            resample as if that size had been given (the scale used for the source positions
            is then ``in / out`` rather than ``1 / scale_factor``).
        antialias: not supported (must be ``False``).

    Returns:
        (N, C, *size), differentiable with respect to ``input``.

    Example::

        >>> x = torch.arange(4.0).reshape(1, 1, 2, 2)
        >>> interpolate(x, scale_factor=2, mode="nearest")[0, 0]
        tensor([[0., 0., 1., 1.],
                [0., 0., 1., 1.],
                [2., 2., 3., 3.],
                [2., 2., 3., 3.]])
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: "
                "linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    elif size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size "
                    f"of {size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                    "and output size in (o1, o2, ...,oK) format."
                )
            if not all(_is_integer(x) for x in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}"
                )
            output_size = size
        else:
            output_size = [size for _ in range(dim)]
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, "
                    f"but got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. Please provide input tensor in "
                    "(N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
                )
            scale_factors = scale_factor
        else:
            scale_factors = [scale_factor for _ in range(dim)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor is not None and recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor is not None and recompute_scale_factor:
        output_size = [int(input.size(i + 2) * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and "
            "requires a 4-D tensor as input"
        )
    nd = input.dim()
    if mode == "lanczos" and nd == 4:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    if antialias:
        raise NotImplementedError(
            f"torchless: interpolate(mode={mode!r}, antialias={antialias}) is not implemented"
        )
    if nd in (3, 4, 5) and mode in ("nearest", "nearest-exact"):
        return _upsample(input, mode, output_size, scale_factors, None)
    if mode == "area" and nd in (3, 4, 5):
        if output_size is None:
            raise AssertionError("output_size is unexpectedly None")
        if nd == 3:
            return adaptive_avg_pool1d(input, output_size)
        if nd == 4:
            return adaptive_avg_pool2d(input, output_size)
        return _adaptive_avg_pool3d(input, output_size)
    if (nd, mode) in ((3, "linear"), (4, "bilinear"), (5, "trilinear"), (4, "bicubic")):
        return _upsample(input, mode, output_size, scale_factors, align_corners)
    for got, want, needs in (
        (3, "bilinear", 4),
        (3, "trilinear", 5),
        (4, "linear", 3),
        (4, "trilinear", 5),
        (5, "linear", 3),
        (5, "bilinear", 4),
    ):
        if nd == got and mode == want:
            raise NotImplementedError(f"Got {got}D input, but {want} mode needs {needs}D input")
    raise NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
        f"{_MODES_MSG} (got {mode})"
    )


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of :func:`interpolate` (warns, as torch)."""
    warnings.warn(
        "`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: :func:`interpolate` with ``mode='nearest'`` (warns, as torch)."""
    warnings.warn(
        "`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: :func:`interpolate` with ``mode='bilinear', align_corners=True`` (warns,
    as torch)."""
    warnings.warn(
        "`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` "
        "instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
