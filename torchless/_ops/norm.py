"""Normalisation ops: batch, layer, group, instance, RMS and local-response
norms, and ``normalize``.

``batch_norm``, ``layer_norm`` and ``group_norm`` are fused as in torch: one
forward on arrays and one node (``NativeBatchNormBackward0``, ...) whose
backward is written with Tensor ops. A first-order backward uses the mean and
inverse standard deviation saved by the forward; under ``create_graph`` it
recomputes them from the saved input with Tensor ops, so that gradients of
gradients see how the statistics depend on the input. The others are
composed of Tensor ops, as torch composes them, and record torch's graph
(``MulBackward0`` for rms_norm, ``DivBackward0`` for normalize and
local_response_norm, with torch's nodes below them).

The batch-norm forward follows torch's CPU kernel for contiguous inputs with
spatial dims: per-channel sums in double, the variance sum of float
products, running statistics updated with torch's precision, and the output
``input * alpha + beta`` as one fused multiply-add (``_fma``), so that its
values match torch's bit for bit there. Layer and group norms compute their
statistics in double and match torch to about one float32 ulp.
"""

from __future__ import annotations

import math

import numpy as np

from .._fma import fma as _fma
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = [
    "batch_norm",
    "instance_norm",
    "layer_norm",
    "group_norm",
    "rms_norm",
    "local_response_norm",
    "normalize",
]

_f16 = np.dtype(np.float16)
_f32 = np.dtype(np.float32)
_f64 = np.dtype(np.float64)


def _short(t: Tensor) -> str:
    return t.dtype._legacy[:-6]  # 'FloatTensor' -> 'Float'


def _check_float(input: Tensor, kernel: str) -> None:
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_short(input)}'")


def _work(a):
    """float16 arrays are computed in float32, as torch's kernels accumulate."""
    return a.astype(_f32) if a.dtype == _f16 else a


def _param(t: Tensor | None, dt):
    if t is None:
        return None
    a = t._data
    return a if a.dtype == dt else a.astype(dt)


def _list(shape) -> str:
    return str(list(shape))


# ----------------------------------------------------------------------------
# shared backward for the normalisations over some axes of the input


def _stats(x: Tensor, axes, eps: float):
    """Mean and inverse standard deviation over ``axes`` (kept), with Tensor
    ops, so that they are differentiable functions of ``x``."""
    m = x.mean(axes, keepdim=True)
    xc = x - m
    var = (xc * xc).mean(axes, keepdim=True)
    return xc, (var + eps).rsqrt()


def _normalized_grad(g: Tensor, x: Tensor, w: Tensor | None, axes, mean, rstd, eps):
    """The gradient of ``xhat * w`` with respect to ``x``, where ``xhat`` is
    ``x`` normalised over ``axes``; returns it and ``xhat``.

    ``mean`` and ``rstd`` are the forward's arrays (kept dims); under
    create_graph the statistics are recomputed from ``x`` instead."""
    if _state.enabled and x._requires_grad:
        xc, r = _stats(x, axes, eps)
        xhat = xc * r
    else:
        r = _make(rstd)
        xhat = _make((x._data - mean) * rstd)
    gh = g if w is None else g * w
    gx = r * (gh - gh.mean(axes, keepdim=True) - xhat * (gh * xhat).mean(axes, keepdim=True))
    return gx, xhat


def _sum_except(t: Tensor, keep: tuple, shape) -> Tensor:
    """Sum ``t`` over every dim not in ``keep``, then view it as ``shape``."""
    axes = tuple(d for d in range(t.ndim) if d not in keep)
    r = t.sum(axes) if axes else t
    return r.reshape(shape)


# ----------------------------------------------------------------------------
# batch_norm


class NativeBatchNormBackward0(Node):
    __slots__ = ("training", "eps", "mean", "invstd")

    def apply(self, g):
        x, w, rm, rv = self.saved()
        nd = x.ndim
        c = x.shape[1]
        cshape = (1, c) + (1,) * (nd - 2)
        axes = (0,) + tuple(range(2, nd))
        nf = self.next_functions
        wb = None if w is None else w.view(cshape)
        gx = gw = gb = None
        if self.training:
            mean = self.mean.reshape(cshape)
            invstd = self.invstd.reshape(cshape)
            if nf[0][0] is not None or nf[1][0] is not None:
                gxn, xhat = _normalized_grad(g, x, wb, axes, mean, invstd, self.eps)
                if nf[0][0] is not None:
                    gx = gxn
                if nf[1][0] is not None:
                    gw = _sum_except(g * xhat, (1,), (c,))
        else:
            invstd = (rv + self.eps).rsqrt().view(cshape)
            if nf[0][0] is not None:
                gx = g * invstd if wb is None else g * (wb * invstd)
            if nf[1][0] is not None:
                gw = _sum_except(g * ((x - rm.view(cshape)) * invstd), (1,), (c,))
        if nf[2][0] is not None:
            gb = _sum_except(g, (1,), (c,))
        return gx, gw, gb


def _verify_batch_size(size) -> None:
    n = size[0]
    for s in size[2:]:
        n *= s
    if n == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )


def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,
    eps=1e-5,
):
    """Normalise each channel (dim 1) over the batch and spatial dims, then
    scale by ``weight`` and shift by ``bias``.

    In training the batch statistics are used and, where given, the running
    statistics are updated in place: ``running = (1 - momentum) * running +
    momentum * batch_stat``, with the unbiased batch variance. In evaluation
    the running statistics are used.
    """
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def _check_features(name, t, c):
    if t is not None and t.numel() != c:
        raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")


def _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps):
    """``torch.batch_norm``: the op without the functional's argument checks."""
    a = input._data
    c = a.shape[1] if a.ndim >= 2 else 0
    _check_features("running_mean", running_mean, c)
    _check_features("running_var", running_var, c)
    _check_features("weight", weight, c)
    _check_features("bias", bias, c)
    if not training:
        if running_mean is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        if running_var is None:
            raise RuntimeError("running_var must be defined in evaluation mode")
    _check_float(input, "batch_norm")
    out_dt = a.dtype
    x = _work(a)
    dt = x.dtype
    cshape = (1, c) + (1,) * (a.ndim - 2)
    n = a.size // c if c else 0
    mean = invstd = None
    if a.size == 0:
        y = x.copy()
        mean = np.zeros(c, dt)
        invstd = np.zeros(c, dt)
    else:
        if training:
            mean, invstd = _batch_stats(x, c, n, eps, running_mean, running_var, momentum)
            m_use, s_use = mean, invstd
        else:
            m_use = _param(running_mean, dt)
            s_use = (dt.type(1) / np.sqrt(_param(running_var, dt) + dt.type(eps))).astype(dt)
        w = _param(weight, dt)
        b = _param(bias, dt)
        alpha = s_use if w is None else s_use * w
        beta = -m_use * alpha if b is None else _fma(-m_use, alpha, b)
        y = _fma(x, alpha.reshape(cshape), beta.reshape(cshape))
    res = _make(y if y.dtype == out_dt else y.astype(out_dt))
    if _state.enabled and (
        input._requires_grad
        or (weight is not None and weight._requires_grad)
        or (bias is not None and bias._requires_grad)
    ):
        node = NativeBatchNormBackward0()
        node.training = bool(training)
        node.eps = float(eps)
        node.mean, node.invstd = mean, invstd
        if training:
            node.save(input, weight, None, None)
        else:
            node.save(input, weight, running_mean, running_var)
        _record(node, res, input, weight, bias)
    return res


def _channel_sums(x, c):
    """Per-channel sums of ``x`` in double, added in memory order as torch's
    kernel adds them (a sequential sum: NumPy's pairwise one differs in the
    last bits for float64)."""
    rows = np.moveaxis(x.reshape(x.shape[0], c, -1), 1, 0).reshape(c, -1)
    return np.cumsum(rows, axis=1, dtype=_f64)[:, -1], rows


def _batch_stats(x, c, n, eps, running_mean, running_var, momentum):
    """Batch mean and inverse std of each channel; updates the running stats."""
    dt = x.dtype
    tp = dt.type
    s, rows = _channel_sums(x, c)
    mean = (s / n).astype(dt)
    d = rows - mean[:, None]
    var_sum = np.cumsum(d * d, axis=1, dtype=_f64)[:, -1].astype(dt)
    biased = var_sum / tp(n)
    invstd = (1.0 / np.sqrt(biased.astype(_f64) + eps)).astype(dt)
    with np.errstate(all="ignore"):
        mom = tp(momentum)
        if running_mean is not None:
            rm = _param(running_mean, dt)
            new = mom * mean + (tp(1) - mom) * rm
            _store(running_mean, new)
        if running_var is not None:
            rv = _param(running_var, dt)
            unbiased = (var_sum / tp(n - 1)).astype(_f64)
            new = np.float64(mom) * unbiased + ((tp(1) - mom) * rv).astype(_f64)
            _store(running_var, new)
    return mean, invstd


def _store(t: Tensor, arr) -> None:
    """Write new running statistics into a buffer (an in-place update)."""
    np.copyto(t._data, np.asarray(arr).reshape(t._data.shape), casting="unsafe")
    t._bump()


# ----------------------------------------------------------------------------
# instance_norm


class RepeatBackward0(Node):
    __slots__ = ("times",)

    def apply(self, g):
        return (g.view(self.times, -1).sum(0),)


def _repeat(t: Tensor | None, times: int):
    """``t.repeat(times)`` for a vector."""
    if t is None:
        return None
    res = _make(np.tile(t._data, times))
    if _state.enabled and t._requires_grad:
        node = RepeatBackward0()
        node.times = times
        _record(node, res, t)
    return res


def _verify_spatial_size(size) -> None:
    n = 1
    for s in size[2:]:
        n *= s
    if n == 1:
        raise ValueError(
            f"Expected more than 1 spatial element when training, got input size {size}"
        )


def instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats=True,
    momentum=0.1,
    eps=1e-5,
):
    """Normalise each channel of each sample over its spatial dims.

    torch computes it as a batch norm of the input viewed as one sample of
    ``N * C`` channels; running statistics (if given) get the mean over the
    batch of the per-sample updates.
    """
    if use_input_stats:
        _verify_spatial_size(input.size())
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    shape = input.shape
    b, c = shape[0], shape[1]
    flat = (1, b * c) + tuple(shape[2:])
    rm = None if running_mean is None else _make(np.tile(running_mean._data, b))
    rv = None if running_var is None else _make(np.tile(running_var._data, b))
    x = input.contiguous().view(flat)
    out = _batch_norm(
        x, _repeat(weight, b), _repeat(bias, b), rm, rv, use_input_stats, momentum, eps
    )
    for src, dst in ((rm, running_mean), (rv, running_var)):
        if dst is not None:
            per = src._data.reshape(b, c)
            _store(dst, np.add.reduce(per, axis=0) / per.dtype.type(b))
    return out.view(shape)


# ----------------------------------------------------------------------------
# layer_norm and rms_norm


def _normalized_shape(normalized_shape, fn: str) -> tuple:
    head = f"{fn}(): argument 'normalized_shape' (position 2) must be tuple of ints"
    if isinstance(normalized_shape, Tensor) or not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"{head}, not {type(normalized_shape).__name__}")
    for i, s in enumerate(normalized_shape):
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{head}, but found element of type {type(s).__name__} at pos {i}")
    return tuple(int(s) for s in normalized_shape)


def _check_layer_norm(input, ns, weight, bias, star_sep=", "):
    if len(ns) < 1:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            f"one element, but got normalized_shape = {list(ns)}"
        )
    if weight is not None and tuple(weight.shape) != ns:
        raise RuntimeError(
            "Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{_list(weight.shape)} and normalized_shape = {list(ns)}"
        )
    if bias is not None and tuple(bias.shape) != ns:
        raise RuntimeError(
            "Expected bias to be of same shape as normalized_shape, but got bias of shape "
            f"{_list(bias.shape)} and normalized_shape = {list(ns)}"
        )
    shape = tuple(input.shape)
    k = len(ns)
    if len(shape) < k or shape[len(shape) - k :] != ns:
        star = "".join(star_sep + str(s) for s in ns) if star_sep else ", ".join(map(str, ns))
        raise RuntimeError(
            f"Given normalized_shape={list(ns)}, expected input with shape [*{star}], but got "
            f"input of size{_list(shape)}"
        )


class NativeLayerNormBackward0(Node):
    __slots__ = ("k", "eps", "mean", "rstd")

    def apply(self, g):
        x, w = self.saved()
        nd = x.ndim
        axes = tuple(range(nd - self.k, nd))
        lead = tuple(range(nd - self.k))
        nf = self.next_functions
        gx = gw = gb = None
        if nf[0][0] is not None or nf[1][0] is not None:
            gxn, xhat = _normalized_grad(g, x, w, axes, self.mean, self.rstd, self.eps)
            if nf[0][0] is not None:
                gx = gxn
            if nf[1][0] is not None:
                gw = (g * xhat).sum(lead) if lead else g * xhat
        if nf[2][0] is not None:
            gb = g.sum(lead) if lead else g
        return gx, gw, gb


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the trailing ``normalized_shape`` dims, then apply the
    elementwise affine ``weight`` and ``bias`` (of that shape)."""
    ns = _normalized_shape(normalized_shape, "layer_norm")
    _check_layer_norm(input, ns, weight, bias)
    _check_float(input, "LayerNormKernelImpl")
    a = input._data
    x = _work(a)
    dt = x.dtype
    k = len(ns)
    axes = tuple(range(a.ndim - k, a.ndim))
    mean, rstd = _row_stats(x, axes, eps)
    scale = rstd
    shift = -mean * rstd
    y = x * scale + shift
    w, b = _param(weight, dt), _param(bias, dt)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    res = _make(y.astype(a.dtype, copy=False))
    if _state.enabled and (
        input._requires_grad
        or (weight is not None and weight._requires_grad)
        or (bias is not None and bias._requires_grad)
    ):
        node = NativeLayerNormBackward0()
        node.k, node.eps, node.mean, node.rstd = k, float(eps), mean, rstd
        node.save(input, weight)
        _record(node, res, input, weight, bias)
    return res


def _row_stats(x, axes, eps):
    """Mean and 1/sqrt(var + eps) over ``axes`` (kept), accumulated in double."""
    dt = x.dtype
    n = 1
    for d in axes:
        n *= x.shape[d]
    with np.errstate(all="ignore"):
        mean = (np.add.reduce(x, axis=axes, dtype=_f64, keepdims=True) / n).astype(dt)
        d = x - mean
        var = np.add.reduce(d * d, axis=axes, dtype=_f64, keepdims=True) / n
        rstd = (1.0 / np.sqrt(np.maximum(var, 0.0) + eps)).astype(dt)
    return mean, rstd


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """``input / sqrt(mean(input**2) + eps)`` over the trailing dims, times
    ``weight``; ``eps`` defaults to the dtype's machine epsilon. Composed of
    Tensor ops, as torch composes it."""
    ns = _normalized_shape(normalized_shape, "rms_norm")
    _check_layer_norm(input, ns, weight, None, star_sep="")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"rms_norm\" not implemented for '{_short(input)}'")
    dt = input._data.dtype
    if eps is None:  # the epsilon of the computation type (float32 for float16)
        eps = float(np.finfo(_f32 if dt == _f16 else dt).eps)
    eps = float(dt.type(eps))  # torch holds it in the input's dtype
    x = input
    if dt == _f16:
        x = input.float()
    dims = tuple(range(x.ndim - len(ns), x.ndim))
    r = _add_scalar(x.pow(2).mean(dims, keepdim=True), eps).rsqrt()
    y = x * r
    if y.dtype is not input.dtype:
        y = y.to(input.dtype)
    if weight is not None:
        y = y * weight
    return y


class AddBackward1(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


def _add_scalar(t: Tensor, v: float) -> Tensor:
    """``t.add_(v)`` on a fresh result, recorded as torch records it."""
    res = _make(t._data + t._data.dtype.type(v))
    if _state.enabled and t._requires_grad:
        _record(AddBackward1(), res, t)
    return res


# ----------------------------------------------------------------------------
# group_norm


class NativeGroupNormBackward0(Node):
    __slots__ = ("groups", "eps", "mean", "rstd")

    def apply(self, g):
        x, w = self.saved()
        shape = x.shape
        n, c = shape[0], shape[1]
        grouped = (n, self.groups, -1)
        cshape = (1, c) + (1,) * (x.ndim - 2)
        nf = self.next_functions
        gx = gw = gb = None
        if nf[0][0] is not None or nf[1][0] is not None:
            gh = g if w is None else g * w.view(cshape)
            gxn, xhat = _normalized_grad(
                gh.reshape(grouped), x.reshape(grouped), None, (2,), self.mean, self.rstd, self.eps
            )
            if nf[0][0] is not None:
                gx = gxn.view(shape)
            if nf[1][0] is not None:
                gw = _sum_except(g * xhat.view(shape), (1,), (c,))
        if nf[2][0] is not None:
            gb = _sum_except(g, (1,), (c,))
        return gx, gw, gb


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the channels into ``num_groups`` groups and normalise each group
    of each sample, then apply the per-channel affine ``weight`` and ``bias``."""
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    shape = tuple(input.shape)
    _verify_batch_size([shape[0] * shape[1] // num_groups, num_groups] + list(shape[2:]))
    n, c = shape[0], shape[1]
    if c % num_groups != 0:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {_list(shape)} and num_groups={num_groups}"
        )
    wshape = _list(weight.shape) if weight is not None else "[0]"
    if weight is not None and (weight.ndim != 1 or weight.numel() != c):
        raise RuntimeError(
            "Expected weight to be a vector of size equal to the number of channels in input, "
            f"but got weight of shape {wshape} and input of shape {_list(shape)}"
        )
    if bias is not None and (bias.ndim != 1 or bias.numel() != c):
        # torch's message shows the weight's shape here
        raise RuntimeError(
            "Expected bias to be a vector of size equal to the number of channels in input, "
            f"but got bias of shape {wshape} and input of shape {_list(shape)}"
        )
    _check_float(input, "GroupNormKernelImpl")
    a = input._data
    x = _work(a)
    dt = x.dtype
    xg = x.reshape(n, num_groups, -1)
    mean, rstd = _row_stats(xg, (2,), eps)
    per_c = c // num_groups
    # per (sample, channel): scale = rstd * w, shift = b - mean * scale, fused as torch's
    # kernel computes them
    r_c = np.repeat(rstd.reshape(n, num_groups), per_c, axis=1)
    m_c = np.repeat(mean.reshape(n, num_groups), per_c, axis=1)
    w, b = _param(weight, dt), _param(bias, dt)
    bshape = (n, c) + (1,) * (a.ndim - 2)
    if w is None and b is None:
        y = ((xg - mean) * rstd).reshape(x.shape)
    else:
        scale = r_c if w is None else r_c * w
        shift = -m_c * scale if b is None else _fma(-scale, m_c, b)
        y = _fma(x, scale.reshape(bshape), shift.reshape(bshape))
    res = _make(y.astype(a.dtype, copy=False))
    if _state.enabled and (
        input._requires_grad
        or (weight is not None and weight._requires_grad)
        or (bias is not None and bias._requires_grad)
    ):
        node = NativeGroupNormBackward0()
        node.groups, node.eps, node.mean, node.rstd = num_groups, float(eps), mean, rstd
        node.save(input, weight)
        _record(node, res, input, weight, bias)
    return res


# ----------------------------------------------------------------------------
# local_response_norm and normalize (composed of Tensor ops)


class AvgPool3DBackward0(Node):
    """The node of the channel-window average of local_response_norm (torch
    computes it with avg_pool3d); its backward spreads each gradient over the
    window, an op of its own whose backward is the average again."""

    __slots__ = ("size", "adjoint")

    def name(self) -> str:
        return "AvgPool3DBackward0Backward0" if self.adjoint else "AvgPool3DBackward0"

    def apply(self, g):
        return (_window_op(g, self.size, not self.adjoint),)


def _window_op(t: Tensor, size: int, adjoint: bool) -> Tensor:
    """The mean of each window of ``size`` along dim 2 of an already padded tensor
    (summed in window order, as torch's average pooling adds), or its adjoint."""
    a = t._data
    if not adjoint:
        n = a.shape[2] - size + 1
        s = a[:, :, 0:n].copy()
        for i in range(1, size):
            s += a[:, :, i : i + n]
        out = s / a.dtype.type(size)
    else:
        out = np.zeros(a.shape[:2] + (a.shape[2] + size - 1,) + a.shape[3:], a.dtype)
        scaled = a / a.dtype.type(size)
        for i in range(size):
            out[:, :, i : i + a.shape[2]] += scaled
    res = _make(out)
    if _state.enabled and t._requires_grad:
        node = AvgPool3DBackward0()
        node.size, node.adjoint = size, adjoint
        _record(node, res, t)
    return res


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Divide each element by ``(k + alpha * mean of squares over size
    neighbouring channels) ** beta``."""
    from .padding import pad
    from .pooling import avg_pool2d

    dim = input.dim()
    if dim < 3:
        raise ValueError(
            "Expected 3D or higher dimensionality                          input (got "
            f"{dim} dimensions)"
        )
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = div.unsqueeze(1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = _window_op(div, size, False).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


class LinalgVectorNormBackward0(Node):
    __slots__ = ("p", "dims")

    def apply(self, g):
        from .pointwise import where

        x, norm = self.saved()
        p = self.p
        if _state.enabled and x._requires_grad:  # create_graph: the norm depends on x
            norm = _norm(x, p, self.dims)
        if p == 0:
            return (x * 0,)
        if p == 1:
            return (x.sign() * g,)
        if p == 2:
            return (where(norm == 0, 0.0, x / norm) * g,)
        if math.isinf(p):
            mask = (x.abs() == norm).to(x.dtype)
            return (x.sign() * ((g / mask.sum(self.dims, keepdim=True)) * mask),)
        if p < 1:
            xp = where(x == 0, 0.0, x.abs().pow(p - 1))
            return (x.sign() * xp * g * norm.pow(1 - p),)
        if p < 2:
            r = x.sign() * x.abs().pow(p - 1) * g / norm.pow(p - 1)
        else:
            r = x * x.abs().pow(p - 2) * g / norm.pow(p - 1)
        return (where(norm == 0, 0.0, r),)


def _norm(input: Tensor, p: float, dim) -> Tensor:
    """``input.norm(p, dim, keepdim=True)``, recorded as torch records it."""
    a = _work(input._data)
    nd = a.ndim
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    axes = tuple(sorted(d % nd if nd else 0 for d in dims)) if nd else ()
    for d in dims:
        if nd and not -nd <= d < nd:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got "
                f"{d})"
            )
    ab = np.abs(a)
    with np.errstate(all="ignore"):
        if p == 2:
            r = np.sqrt(np.add.reduce(ab * ab, axis=axes, keepdims=True))
        elif p == 1:
            r = np.add.reduce(ab, axis=axes, keepdims=True)
        elif p == 0:
            r = np.add.reduce((ab != 0).astype(a.dtype), axis=axes, keepdims=True)
        elif math.isinf(p):
            fn = np.maximum if p > 0 else np.minimum
            r = fn.reduce(ab, axis=axes, keepdims=True)
        else:
            r = np.add.reduce(ab**p, axis=axes, keepdims=True) ** (1.0 / p)
    res = _make(np.asarray(r).astype(input._data.dtype))
    if _state.enabled and input._requires_grad:
        node = LinalgVectorNormBackward0()
        node.p, node.dims = float(p), axes
        node.save(input, _make(res._data))
        _record(node, res, input)
    return res


class ClampMinBackward0(Node):
    __slots__ = ("min",)

    def apply(self, g):
        from .pointwise import where

        (x,) = self.saved()
        return (where(x >= self.min, g, 0.0),)


def _clamp_min(t: Tensor, m: float) -> Tensor:
    a = t._data
    res = _make(np.maximum(a, a.dtype.type(m)))
    if _state.enabled and t._requires_grad:
        node = ClampMinBackward0()
        node.min = m
        node.save(t)
        _record(node, res, t)
    return res


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """Divide each vector along ``dim`` by ``max(its p-norm, eps)``."""
    from .pointwise import div

    denom = _clamp_min(_norm(input, p, dim), eps).expand_as(input)
    if out is None:
        return input / denom
    return div(input, denom, out=out)
