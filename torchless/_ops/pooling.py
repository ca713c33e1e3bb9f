"""Pooling: max/avg pooling (1-D, 2-D), adaptive avg/max pooling and power-average pooling.

How they map onto NumPy
-----------------------
* ``max_pool2d`` and ``avg_pool2d`` loop over the kernel offsets only (kH * kW of them):
  offset (i, j) is one strided slice ``xp[..., i*d::s, j*d::s]`` of the (padded) input that
  holds that offset's element of every window at once, for every sample, channel and output
  pixel. Max pooling folds the slices with ``np.maximum`` and keeps, per window, the first
  offset that was strictly greater (torch's tie rule, NaN winning as in torch); average
  pooling adds them and divides by torch's per-window divisor (``count_include_pad``,
  ``ceil_mode`` overhang, ``divisor_override``). No copy of the windows is made: gathering
  them into an (..., kH*kW) array for ``argmax`` would copy element by element.
* Their backward passes are linear maps of the output gradient: max pooling scatters it to
  the saved argmax positions (one fancy assignment, or ``np.add.at`` where windows
  overlap); average pooling adds ``grad / divisor`` back through the same strided slices.
  Each is recorded through ``conv._linear`` with its adjoint, so double backward works
  (the adjoint of the scatter is a gather, of the slice-add the pooling itself).
* Adaptive average pooling is separable: one matrix of ones per spatial dim marks each
  output's window, so the pooled sums are ``P_h @ x @ P_w.T`` (two batched matmuls), divided
  by the window sizes. Adaptive max pooling gathers the windows (padded to the largest by
  repeating the last index, which changes neither the max nor the first argmax) with one
  fancy index and takes ``argmax`` over them.
* 1-D pooling is 2-D pooling over a unit height, as in torch (grad_fn ``SqueezeBackward1``);
  ``lp_pool`` is composed from ``avg_pool`` exactly as torch composes it.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _state
from .conv import _linear, _scalar_name

__all__ = [
    "max_pool1d",
    "max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "lp_pool1d",
    "lp_pool2d",
]

_ALL = slice(None)


# --------------------------------------------------------------------------- arguments


def _int_list(v):
    """What torch's argument parser makes of an ``int[N]`` argument, before the op checks
    its length: an int becomes ``[v] * N`` (done by the callers), a sequence a list."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return [int(v)]
    return [int(e) for e in v]


def _two(v, fn, what, msg):
    """An int or a sequence of 1 or 2 ints as a pair (``fn: what must ...`` otherwise);
    None (or an empty stride) stays None."""
    if v is None:
        return None
    v = _int_list(v)
    if not v and what == "stride":
        return None
    if len(v) == 1:
        return (v[0], v[0])
    if len(v) != 2:
        raise RuntimeError(f"{fn}: {what} {msg}")
    return (v[0], v[1])


def _div_trunc(a: int, b: int) -> int:
    """C++ integer division (rounds toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _out_size(size, k, pad, stride, dil, ceil_mode):
    """torch's ``pooling_output_shape``, with its checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    if pad > _div_trunc((k - 1) * dil + 1, 2):
        raise RuntimeError(
            f"pad should be at most half of effective kernel size, but got pad={pad}, "
            f"kernel_size={k} and dilation={dil}"
        )
    out = (size + 2 * pad - dil * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _shape_check(input, k, s, p, d, out):
    """torch's ``pool2d_shape_check`` for an input (C, H, W) or (N, C, H, W)."""
    kh, kw = k
    if kw <= 0 or kh <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kh} kW: {kw}")
    if s[1] <= 0 or s[0] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}"
        )
    shape = tuple(input.shape)
    nd = len(shape)
    valid = shape[1] != 0 and shape[2] != 0
    if not ((nd == 3 and shape[0] != 0 and valid) or (nd == 4 and valid and shape[3] != 0)):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:{list(shape)}"
        )
    if kw // 2 < p[1] or kh // 2 < p[0]:
        raise RuntimeError(
            "pad should be smaller than or equal to half of kernel size, but got "
            f"padW = {p[1]}, padH = {p[0]}, kW = {kw}, kH = {kh}"
        )
    if out[0] < 1 or out[1] < 1:
        h, w = shape[-2:]
        c = shape[-3]
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: "
            f"({c}x{out[0]}x{out[1]}). Output size is too small"
        )


def _size(t, d):
    """``t.size(d)`` with torch's IndexError."""
    nd = t.ndim
    if nd == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if not -nd <= d < nd:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {d})"
        )
    return t.shape[d]


def _not_implemented(name, t):
    raise NotImplementedError(f"\"{name}\" not implemented for '{_scalar_name(t.dtype)}'")


def _check_dim_range(fn, t):
    """torch's ``checkDimRange(fn, self, 2, 4)``."""
    if not 2 <= t.ndim < 4:
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {t.ndim}-dimensional tensor for argument #1 "
            f"'self' (while checking arguments for {fn})"
        )


def _check1d(fn, name, v):
    if len(v) != 1:
        raise RuntimeError(f"{fn}() argument '{name}' should contain one int (got {len(v)})")


def _check_tensor(fn, t):
    if not isinstance(t, Tensor):
        raise TypeError(
            f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(t).__name__}"
        )


def _grad(t) -> bool:
    return _state.enabled and t._requires_grad


# --------------------------------------------------------------------------- window slices


def _slices(k, s, d, out):
    """For each kernel offset (i, j): the slices of the padded input holding that offset's
    element of every window."""
    res = []
    for i in range(k[0]):
        si = slice(i * d[0], i * d[0] + (out[0] - 1) * s[0] + 1, s[0])
        for j in range(k[1]):
            sj = slice(j * d[1], j * d[1] + (out[1] - 1) * s[1] + 1, s[1])
            res.append((Ellipsis, si, sj))
    return res


def _hi_pad(hw, k, s, p, d, out):
    """Padding needed after each dim for every window to fit (the ``ceil_mode`` overhang)."""
    return [
        max(0, (o - 1) * st + dl * (kk - 1) + 1 - (n + pp))
        for o, st, dl, kk, n, pp in zip(out, s, d, k, hw, p)
    ]


def _pad_hw(a, k, s, p, d, out, fill):
    """``a`` (..., H, W) padded by ``p`` before and enough after for every window, with
    ``fill``."""
    h, w = a.shape[-2:]
    hi = _hi_pad((h, w), k, s, p, d, out)
    if not (p[0] or p[1] or hi[0] or hi[1]):
        return a
    xp = np.full(a.shape[:-2] + (h + p[0] + hi[0], w + p[1] + hi[1]), fill, a.dtype)
    xp[..., p[0] : p[0] + h, p[1] : p[1] + w] = a
    return xp


# --------------------------------------------------------------------------- max pooling


class _Gather:
    """Picking the elements at flat spatial ``idx`` (..., oh, ow) of an (..., H, W) array
    (the gradient map of max pooling); its adjoint scatters (adds) them back."""

    __slots__ = ("idx", "hw", "unique", "names")

    def __init__(self, idx, hw, unique, names):
        self.idx, self.hw, self.unique, self.names = idx, hw, unique, names

    def fwd(self, a):
        n = self.hw[0] * self.hw[1]
        idx = self.idx
        rows = int(np.prod(idx.shape[:-2]))
        per = idx.shape[-2] * idx.shape[-1]
        r = np.take_along_axis(a.reshape(rows, n), idx.reshape(rows, per), axis=1)
        return r.reshape(idx.shape)

    def adj(self, g):
        if self.names is _AMAX_NAMES:
            _nonempty_grad("adaptive_max_pool2d_backward", g)
        n = self.hw[0] * self.hw[1]
        idx = self.idx
        lead = idx.shape[:-2]
        rows = int(np.prod(lead))
        out = np.zeros(rows * n, g.dtype)
        per = idx.shape[-2] * idx.shape[-1]
        flat = (idx.reshape(rows, per) + (np.arange(rows, dtype=np.int64) * n)[:, None]).ravel()
        if self.unique:
            out[flat] = g.ravel()
        else:
            np.add.at(out, flat, g.ravel())
        return out.reshape(lead + self.hw)


def _nonempty_grad(fn, g):
    """The adaptive pooling backward kernels refuse an empty spatial grad_output."""
    for i in (-2, -1):
        if g.shape[i] == 0:
            raise RuntimeError(
                f"{fn}(): Expected grad_output to have non-zero size for non-batch dimensions, "
                f"but grad_output has sizes {list(g.shape)} with dimension {i + g.ndim} being "
                "empty"
            )


_MAX_NAMES = ("MaxPool2DWithIndicesBackward0", "MaxPool2DWithIndicesBackwardBackward0")
_AMAX_NAMES = ("AdaptiveMaxPool2DBackward0", "AdaptiveMaxPool2DBackwardBackward0")


def _max_pool_arr(a, k, s, p, d, out, need_idx):
    """Max over each window of ``a`` (..., H, W) and (if asked) the flat index h * W + w
    of the first maximum (the last NaN, if any, as torch)."""
    h, w = a.shape[-2:]
    floating = a.dtype.kind == "f"
    fill = -np.inf if floating else np.iinfo(a.dtype).min
    xp = _pad_hw(a, k, s, p, d, out, fill)
    padded = xp is not a
    sl = _slices(k, s, d, out)
    best = xp[sl[0]].copy()
    idx = np.zeros(best.shape, np.intp) if need_idx else None
    for n, si in enumerate(sl[1:], 1):
        cur = xp[si]
        if need_idx:
            m = cur > best
            idx += m * (n - idx)
        np.maximum(best, cur, out=best)
    if not need_idx:
        return best, None
    if floating:
        nan = np.isnan(best)
        if nan.any():  # torch takes the last NaN of a window
            for n, si in enumerate(sl):
                np.putmask(idx, nan & np.isnan(xp[si]), n)
    if padded:
        only = best == fill
        if only.any():  # nothing above the padding: torch names the first real element
            # the first kernel offset r with o * s - p + r * d >= 0, per dim
            first = [
                np.maximum(0, -((np.arange(o) * st - pp) // dl))
                for o, st, pp, dl in zip(out, s, p, d)
            ]
            kfirst = first[0][:, None] * k[1] + first[1][None, :]
            idx = np.where(only, kfirst, idx)
    offs = np.array(
        [i * d[0] * w + j * d[1] for i in range(k[0]) for j in range(k[1])], dtype=np.int64
    )
    base = (np.arange(out[0], dtype=np.int64) * s[0] - p[0])[:, None] * w + (
        np.arange(out[1], dtype=np.int64) * s[1] - p[1]
    )[None, :]
    return best, np.take(offs, idx) + base


def _max_pool2d_impl(input, k, s, p, d, ceil_mode, want_indices):
    """Validate as torch's ``max_pool2d_with_indices`` and run it: (output, indices or
    None when neither asked for nor needed by autograd)."""
    fn = "max_pool2d"
    kernel = _two(k, fn, "kernel_size", "must either be a single int, or a tuple of two ints")
    stride = _two(s, fn, "stride", "must either be omitted, a single int, or a tuple of two ints")
    if stride is None:
        stride = kernel
    pad = _two(p, fn, "padding", "must either be a single int, or a tuple of two ints")
    dil = _two(d, fn, "dilation", "must be either a single int, or a tuple of two ints")
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    h, w = input.shape[-2:]
    out = (
        _out_size(h, kernel[0], pad[0], stride[0], dil[0], ceil_mode),
        _out_size(w, kernel[1], pad[1], stride[1], dil[1], ceil_mode),
    )
    _shape_check(input, kernel, stride, pad, dil, out)
    if input.dtype is D.bool:
        _not_implemented("max_pool2d", input)
    grad = _grad(input)
    vals, idx = _max_pool_arr(input._data, kernel, stride, pad, dil, out, want_indices or grad)
    indices = None if idx is None else _make(idx)
    if not grad:
        return _make(vals), indices
    unique = all(st >= dl * (kk - 1) + 1 for st, dl, kk in zip(stride, dil, kernel))
    op = _Gather(idx, (h, w), unique, _MAX_NAMES)
    return _linear(input, op, result=vals), indices


def max_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
):
    """2-D max pooling over (N, C, H, W) or (C, H, W).

    Args:
        kernel_size: window size (int or pair).
        stride: window step (default: ``kernel_size``).
        padding: implicit -inf padding on both sides (at most half the kernel).
        dilation: spacing between window elements.
        ceil_mode: round the output size up (a last window may hang over the end, but must
            start inside the input or its left padding).
        return_indices: also return the flat index ``h * W + w`` of each maximum.

    Returns:
        (N, C, H_out, W_out) with ``(H + 2p - d (k - 1) - 1) // stride + 1`` (rounded up with
        ``ceil_mode``), and the indices (int64) when asked.
    """
    _check_tensor("max_pool2d", input)
    out, indices = _max_pool2d_impl(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
    )
    return (out, indices) if return_indices else out


def _max_pool1d_checks(input, k, s, p, d, ceil_mode):
    """torch.max_pool1d's own checks (the path without indices)."""
    shape = tuple(input.shape)
    nd = len(shape)
    if not ((nd == 2 and shape[0] and shape[1]) or (nd == 3 and shape[1] and shape[2])):
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
            f"for input, but got:{list(shape)}"
        )
    if len(k) != 1:
        raise RuntimeError(
            "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 "
            f"but got size {len(k)}"
        )
    if len(s) not in (0, 1):
        raise RuntimeError(
            "max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 "
            f"but got size {len(s)}"
        )
    if len(p) != 1:
        raise RuntimeError(
            "max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but "
            f"got size {len(p)}"
        )
    if len(d) != 1:
        raise RuntimeError(
            "max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but "
            f"got size {len(d)}"
        )
    s = s or k
    if k[0] <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k[0]}")
    if s[0] <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s[0]}")
    if p[0] < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p[0]}")
    if p[0] > k[0] // 2:
        raise RuntimeError(
            "max_pool1d() padding should be at most half of kernel size, but got "
            f"padding={p[0]} and kernel_size={k[0]}"
        )
    if d[0] <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d[0]}")
    ow = _out_size(shape[-1], k[0], p[0], s[0], d[0], ceil_mode)
    if ow <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {ow}")


def max_pool1d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
):
    """1-D max pooling over (N, C, L) or (C, L): :func:`max_pool2d` over a unit height
    (arguments are ints or 1-tuples)."""
    _check_tensor("max_pool1d", input)
    k, p, d = _int_list(kernel_size), _int_list(padding), _int_list(dilation)
    s = [] if stride is None else _int_list(stride)
    if return_indices:
        _check_dim_range("max_pool1d", input)
        s = s or k
        for name, v in (("kernel_size", k), ("stride", s), ("padding", p), ("dilation", d)):
            _check1d("max_pool1d", name, v)
    else:
        _max_pool1d_checks(input, k, s, p, d, ceil_mode)
        s = s or k
        if not _grad(input) and input.dtype._cat != D._FLOAT:
            _not_implemented("max_pool1d_impl", input)
    x = input.unsqueeze(-2)
    out, indices = _max_pool2d_impl(
        x, (1, k[0]), (1, s[0]), (0, p[0]), (1, d[0]), ceil_mode, return_indices
    )
    out = out.squeeze(-2)
    return (out, indices.squeeze(-2)) if return_indices else out


# --------------------------------------------------------------------------- avg pooling


class _AvgPool:
    """Average pooling as a linear map of (..., H, W) arrays; the adjoint adds
    ``grad / divisor`` back through the same window slices."""

    __slots__ = ("k", "s", "p", "out", "hw", "div")
    names = ("AvgPool2DBackward0", "AvgPool2DBackwardBackward0")

    def __init__(self, k, s, p, out, hw, div):
        self.k, self.s, self.p, self.out, self.hw, self.div = k, s, p, out, hw, div

    def fwd(self, a):
        work = a.astype(np.float32) if a.dtype == np.float16 else a
        xp = _pad_hw(work, self.k, self.s, self.p, (1, 1), self.out, 0)
        sl = _slices(self.k, self.s, (1, 1), self.out)
        acc = xp[sl[0]].copy()
        for si in sl[1:]:
            acc += xp[si]
        div = self.div
        if acc.dtype.kind in "iu":
            r = _trunc_div(acc, div)
        else:
            r = acc / div.astype(acc.dtype)
        return r.astype(a.dtype, copy=False)

    def adj(self, g):
        work = g.astype(np.float32) if g.dtype == np.float16 else g
        gd = work / self.div.astype(work.dtype)
        h, w = self.hw
        ph, pw = self.p
        hi = _hi_pad(self.hw, self.k, self.s, self.p, (1, 1), self.out)
        buf = np.zeros(g.shape[:-2] + (h + ph + hi[0], w + pw + hi[1]), gd.dtype)
        for si in _slices(self.k, self.s, (1, 1), self.out):
            buf[si] += gd
        r = buf[..., ph : ph + h, pw : pw + w]
        return np.ascontiguousarray(r, dtype=g.dtype)


def _trunc_div(a, b):
    """C++ integer division of arrays (rounds toward zero)."""
    q = np.floor_divide(a, b)
    q += (np.remainder(a, b) != 0) & ((a < 0) != (b < 0))
    return q


def _avg_divisor(hw, k, s, p, out, count_include_pad, divisor_override):
    """Per-window divisors (oh, ow) as torch's avg_pool2d computes them."""
    sizes = []
    for n, kk, st, pp, o in zip(hw, k, s, p, out):
        start = np.arange(o, dtype=np.int64) * st - pp
        end = np.minimum(start + kk, n + pp)
        pool = end - start
        valid = np.minimum(end, n) - np.maximum(start, 0)
        sizes.append(pool if count_include_pad else valid)
    if divisor_override is not None:
        return np.full(tuple(out), divisor_override, np.int64)
    return sizes[0][:, None] * sizes[1][None, :]


def _avg_pool2d_impl(input, k, s, p, ceil_mode, count_include_pad, divisor_override):
    fn = "avg_pool2d"
    kernel = _two(k, fn, "kernel_size", "must either be a single int, or a tuple of two ints")
    stride = _two(s, fn, "stride", "must either be omitted, a single int, or a tuple of two ints")
    if stride is None:
        stride = kernel
    pad = _two(p, fn, "padding", "must either be a single int, or a tuple of two ints")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _size(input, -3)
    h, w = input.shape[-2:]
    out = (
        _out_size(h, kernel[0], pad[0], stride[0], 1, ceil_mode),
        _out_size(w, kernel[1], pad[1], stride[1], 1, ceil_mode),
    )
    _shape_check(input, kernel, stride, pad, (1, 1), out)
    if input.dtype._cat != D._FLOAT and input.dtype is not D.int64:
        _not_implemented("avg_pool2d", input)
    div = _avg_divisor((h, w), kernel, stride, pad, out, count_include_pad, divisor_override)
    return _linear(input, _AvgPool(kernel, stride, pad, out, (h, w), div))


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """2-D average pooling over (N, C, H, W) or (C, H, W).

    Args:
        kernel_size, stride (default ``kernel_size``), padding: ints or pairs; the padding
            is zeros, at most half the kernel.
        ceil_mode: round the output size up.
        count_include_pad: count the zero padding in the divisor (a window's overhang past
            the padding in ``ceil_mode`` is never counted).
        divisor_override: divide every window's sum by this instead.

    Returns:
        (N, C, H_out, W_out), sized as :func:`max_pool2d` with dilation 1.
    """
    _check_tensor("avg_pool2d", input)
    return _avg_pool2d_impl(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    )


def avg_pool1d(
    input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True
):
    """1-D average pooling over (N, C, L) or (C, L): :func:`avg_pool2d` over a unit height."""
    _check_tensor("avg_pool1d", input)
    k, p = _int_list(kernel_size), _int_list(padding)
    s = [] if stride is None else _int_list(stride)
    s = s or k
    _check_dim_range("avg_pool1d", input)
    for name, v in (("kernel_size", k), ("stride", s), ("padding", p)):
        _check1d("avg_pool1d", name, v)
    out = _avg_pool2d_impl(
        input.unsqueeze(-2), (1, k[0]), (1, s[0]), (0, p[0]), ceil_mode, count_include_pad, None
    )
    return out.squeeze(-2)


# --------------------------------------------------------------------------- adaptive


def _adaptive_bounds(n, o):
    """Start and end (exclusive) of each of ``o`` adaptive windows over ``n`` elements."""
    i = np.arange(o, dtype=np.int64)
    return (i * n) // o, ((i + 1) * n + o - 1) // o


class _AdaptiveAvg:
    """Adaptive average pooling as ``P_h @ x @ P_w.T / counts`` (P: window indicators)."""

    __slots__ = ("ph", "pw", "cnt", "hw")
    names = ("AdaptiveAvgPool2DBackward0", "AdaptiveAvgPool2DBackwardBackward0")

    def __init__(self, hw, out):
        mats, cnts = [], []
        for n, o in zip(hw, out):
            start, end = _adaptive_bounds(n, o)
            j = np.arange(n)
            mats.append((j >= start[:, None]) & (j < end[:, None]))
            cnts.append(end - start)
        self.ph, self.pw = mats
        self.cnt = cnts[0][:, None] * cnts[1][None, :]
        self.hw = hw

    def fwd(self, a):
        work = a.astype(np.float32) if a.dtype == np.float16 else a
        dt = work.dtype
        r = np.matmul(self.ph.astype(dt), np.matmul(work, self.pw.T.astype(dt)))
        return (r / self.cnt.astype(dt)).astype(a.dtype, copy=False)

    def adj(self, g):
        _nonempty_grad("adaptive_avg_pool2d_backward", g)
        work = g.astype(np.float32) if g.dtype == np.float16 else g
        dt = work.dtype
        gd = work / self.cnt.astype(dt)
        r = np.matmul(self.ph.T.astype(dt), np.matmul(gd, self.pw.astype(dt)))
        return r.astype(g.dtype, copy=False)


def _list_with_default(out_size, defaults):
    """torch.nn.functional's handling of ``None`` in an output size."""
    if isinstance(out_size, (int, np.integer)):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(f"Input dimension should be at least {len(out_size) + 1}")
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size) :])]


def _adaptive_avg_pool2d_impl(input, output_size):
    out = _int_list(output_size)
    if len(out) == 1 and isinstance(output_size, (int, np.integer)):
        out = out * 2
    if len(out) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    if out[0] < 0 or out[1] < 0:
        raise RuntimeError(
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
            f"but received {{{out[0]}, {out[1]}}}"
        )
    if out == [1, 1]:  # torch takes the mean here
        return input.mean((-1, -2), keepdim=True)
    nd = input.ndim
    if nd not in (3, 4):
        raise RuntimeError(
            f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}"
        )
    for i in (-2, -1):
        if input.shape[i] <= 0:
            raise RuntimeError(
                "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {list(input.shape)} with dimension {i + nd} "
                "being empty"
            )
    if input.dtype._cat != D._FLOAT:
        _not_implemented("adaptive_avg_pool2d", input)
    return _linear(input, _AdaptiveAvg(tuple(input.shape[-2:]), tuple(out)))


def adaptive_avg_pool2d(input, output_size):
    """2-D adaptive average pooling to ``output_size`` (int, or pair with ``None`` keeping
    the input's size) over (N, C, H, W) or (C, H, W): output (i, j) averages rows
    ``[i*H // oh, ceil((i+1)*H / oh))`` and the matching columns."""
    _check_tensor("adaptive_avg_pool2d", input)
    return _adaptive_avg_pool2d_impl(input, _list_with_default(output_size, input.shape))


def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling over (N, C, L) or (C, L)."""
    _check_tensor("adaptive_avg_pool1d", input)
    _check_dim_range("adaptive_avg_pool1d", input)
    o = _int_list(output_size)
    _check1d("adaptive_avg_pool1d", "output_size", o)
    return _adaptive_avg_pool2d_impl(input.unsqueeze(-2), [1, o[0]]).squeeze(-2)


def _adaptive_max_arr(a, out):
    """Max over adaptive windows of ``a`` (..., H, W) and the flat index of each max."""
    h, w = a.shape[-2:]
    if not out[0] or not out[1]:
        shape = a.shape[:-2] + tuple(out)
        return np.empty(shape, a.dtype), np.empty(shape, np.int64)
    idx = []
    for n, o in zip((h, w), out):
        start, end = _adaptive_bounds(n, o)
        kmax = int((end - start).max())
        # windows padded to kmax by repeating their last index
        idx.append(np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1))
    ih, iw = idx
    kh, kw = ih.shape[1], iw.shape[1]
    win = a[..., ih[:, None, :, None], iw[None, :, None, :]]
    win = win.reshape(win.shape[:-2] + (kh * kw,))
    am = win.argmax(-1)
    vals = np.take_along_axis(win, am[..., None], -1)[..., 0]
    if a.dtype.kind == "f":
        nan = np.isnan(vals)
        if nan.any():  # torch takes the last NaN of a window
            last = kh * kw - 1 - np.isnan(win[..., ::-1]).argmax(-1)
            am = np.where(nan, last, am)
    r, c = np.divmod(am, kw)
    oi = np.arange(out[0])[:, None]
    oj = np.arange(out[1])[None, :]
    flat = ih[oi, r] * w + iw[oj, c]
    return vals, flat.astype(np.int64)


def _adaptive_max_pool2d_impl(input, output_size, fn="adaptive_max_pool2d"):
    nd = input.ndim
    if nd not in (3, 4):
        raise RuntimeError(f"{fn}(): Expected 3D or 4D tensor, but got: {list(input.shape)}")
    for i in range(1, nd):
        if input.shape[i] <= 0:
            raise RuntimeError(
                f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(input.shape)} with dimension {i} being empty"
            )
    out = _int_list(output_size)
    if len(out) == 1 and isinstance(output_size, (int, np.integer)):
        out = out * 2
    if len(out) != 2:
        raise RuntimeError(f"{fn}(): internal error: output_size.size() must be 2")
    if out[0] < 0 or out[1] < 0:
        shape = list(input.shape[:-2]) + out
        neg = out[0] if out[0] < 0 else out[1]
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: {shape}")
    if input.dtype._cat != D._FLOAT:
        _not_implemented(fn, input)
    a = input._data
    h, w = a.shape[-2:]
    work = a.astype(np.float32) if a.dtype == np.float16 else a
    vals, idx = _adaptive_max_arr(work, out)
    vals = vals.astype(a.dtype, copy=False)
    indices = _make(idx)
    if not _grad(input):
        return _make(vals), indices
    unique = all(o == 0 or n % o == 0 for n, o in zip((h, w), out))
    op = _Gather(idx, (h, w), unique, _AMAX_NAMES)
    return _linear(input, op, result=vals), indices


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """2-D adaptive max pooling to ``output_size`` over (N, C, H, W) or (C, H, W) (windows as
    :func:`adaptive_avg_pool2d`); with ``return_indices`` also the flat index ``h * W + w``
    of each maximum."""
    _check_tensor("adaptive_max_pool2d", input)
    out, indices = _adaptive_max_pool2d_impl(input, _list_with_default(output_size, input.shape))
    return (out, indices) if return_indices else out


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """1-D adaptive max pooling over (N, C, L) or (C, L)."""
    _check_tensor("adaptive_max_pool1d", input)
    _check_dim_range("adaptive_max_pool1d", input)
    for i in range(1, input.ndim):
        if input.shape[i] <= 0:
            raise RuntimeError(
                "adaptive_max_pool1d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {list(input.shape)} with dimension {i} being "
                "empty"
            )
    o = _int_list(output_size)
    _check1d("adaptive_max_pool1d", "output_size", o)
    out, indices = _adaptive_max_pool2d_impl(input.unsqueeze(-2), [1, o[0]])
    out, indices = out.squeeze(-2), indices.squeeze(-2)
    return (out, indices) if return_indices else out


# --------------------------------------------------------------------------- power average


def _lp(out, norm_type, window):
    from .pointwise import abs as _abs
    from .pointwise import relu, sign

    return (sign(out) * relu(_abs(out))).mul(window).pow(1.0 / norm_type)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """2-D power-average pooling: ``(sum over the window of x ** p) ** (1 / p)``, computed
    as torch does (from :func:`avg_pool2d`; ``p = inf`` is max pooling of ``|x|``)."""
    kw, kh = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool2d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool2d(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool2d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return _lp(out, norm_type, kw * kh)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """1-D power-average pooling (see :func:`lp_pool2d`)."""
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool1d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool1d(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool1d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return _lp(out, norm_type, kernel_size)
