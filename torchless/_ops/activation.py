"""Activation functions: the elementwise nonlinearities of ``torch.nn.functional``
and softmax, log_softmax and softmin.

Each is a forward on arrays plus the Node torch names for it. Where torch has a
``<name>_backward`` op, the gradient is one op here too (one pass over the
arrays, with a node of its own that differentiates it with Tensor ops, so
``create_graph`` works); the rest write their gradients with Tensor ops.
Half-precision inputs are computed in float32 and rounded once, as torch's
CPU kernels do. The in-place forms (``inplace=True``) record the
``...Backward1`` nodes torch records for them.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._tensor import _make, _record, _state, wrap_dim
from ..autograd.graph import Node
from .inplace import apply_inplace
from .pointwise import _record_not_implemented, exp, sigmoid, tanh, where

__all__ = [
    "erf",
    "relu6",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "elu",
    "elu_",
    "selu",
    "selu_",
    "celu",
    "celu_",
    "gelu",
    "silu",
    "mish",
    "softplus",
    "softsign",
    "hardsigmoid",
    "hardswish",
    "logsigmoid",
    "tanhshrink",
    "softshrink",
    "hardshrink",
    "threshold",
    "threshold_",
    "prelu",
    "glu",
    "softmax",
    "log_softmax",
    "softmin",
]

_f16 = np.dtype(np.float16)


def _short_name(dt) -> str:
    """The C++ scalar type name torch's messages use: Float, Long, Bool..."""
    return dt._legacy[: -len("Tensor")]


def _check_float(input, kernel: str) -> None:
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_short_name(input.dtype)}'")


def _unary(input, fn, node):
    """``fn`` on the input's array (float16 computed in float32), recording the
    node ``node()`` makes, which keeps the input."""
    a = input._data
    r = fn(a.astype(np.float32) if a.dtype == _f16 else a)
    if r.dtype != a.dtype:
        r = r.astype(a.dtype)
    res = _make(r)
    if _state.enabled and input._requires_grad:
        node = node()
        node.save(input)
        _record(node, res, input)
    return res


def _with_attrs(cls, **attrs):
    def make():
        node = cls()
        for k, v in attrs.items():
            setattr(node, k, v)
        return node

    return make


class _PointwiseBackward(Node):
    """The node of a pointwise activation ``f``: its gradient ``g * f'(x)`` is an
    op of its own (``_grad_op``), as torch's ``<name>_backward`` ops are, so a
    first-order backward is one pass over the arrays while ``create_graph``
    still records a differentiable graph. Subclasses give ``d1`` (``g * f'(x)``
    on arrays) and ``d2`` (``h * g * f''(x)`` with Tensor ops; None where ``f``
    is piecewise linear)."""

    __slots__ = ()
    _bb_name = ""  # the name of the gradient op's node

    def apply(self, g):
        (x,) = self.saved()
        return (_grad_op(self, g, x),)

    def d1(self, g, x):
        raise NotImplementedError

    def d2(self, h, g, x):
        return None


class _GradOpBackward(Node):
    __slots__ = ("fwd",)

    def apply(self, h):
        g, x = self.saved()
        nf = self.next_functions
        gg = _grad_op(self.fwd, h, x) if nf[0][0] is not None else None
        gx = None
        if nf[1][0] is not None:
            gx = self.fwd.d2(h, g, x)
            if gx is None:
                gx = _make(np.zeros_like(x._data))
        return gg, gx


def _grad_op(node, g, x):
    """``g * f'(x)`` for the activation whose node is ``node``."""
    xa, ga = x._data, g._data
    if xa.dtype == _f16:
        r = node.d1(ga.astype(np.float32), xa.astype(np.float32)).astype(_f16)
    else:
        r = node.d1(ga, xa)
        if r.dtype != xa.dtype:
            r = r.astype(xa.dtype)
    res = _make(r)
    if _state.enabled and (g._requires_grad or x._requires_grad):
        if node._bb_name is None:  # torch has no derivative for this gradient
            return _record_not_implemented(node._op, res, x)
        b = _GradOpBackward()
        b.fwd, b._name = node, node._bb_name
        b.save(g, x)
        _record(b, res, g, x)
    return res


def _np_sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ----------------------------------------------------------------------------
# erf: NumPy has none. |x| < 0.5: its Maclaurin series; 0.5 <= |x| < 6: Taylor
# polynomials on intervals of width 1/8, built once from math.erf and the
# Hermite polynomials (d^n/dx^n e^{-x^2} = (-1)^n H_n(x) e^{-x^2}); |x| >= 6:
# +-1. Accurate to 2 ulp in float64.

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_ERF_SMALL = [_TWO_OVER_SQRT_PI * (-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(13)]
_ERF_LO, _ERF_W, _ERF_HI, _ERF_DEG = 0.5, 0.125, 6.0, 11
_ERF_N = int((_ERF_HI - _ERF_LO) / _ERF_W)


def _erf_table():
    """Row 0: interval centres; row 1 + j: the j-th Taylor coefficient there."""
    cols = []
    for k in range(_ERF_N):
        c = _ERF_LO + (k + 0.5) * _ERF_W
        h = [1.0, 2.0 * c]  # physicists' Hermite polynomials at c
        for n in range(1, _ERF_DEG):
            h.append(2.0 * c * h[n] - 2.0 * n * h[n - 1])
        e = _TWO_OVER_SQRT_PI * math.exp(-c * c)
        coefs = [
            (-1) ** (j - 1) * e * h[j - 1] / math.factorial(j) for j in range(1, _ERF_DEG + 1)
        ]
        cols.append([c, math.erf(c), *coefs])
    return np.array(cols, dtype=np.float64).T.copy()


_ERF_TABLE = _erf_table()


def _erf_array(a):
    """erf of an array, computed in float64, returned in float64."""
    x = np.abs(a, dtype=np.float64)
    out = np.empty_like(x)
    small = x < _ERF_LO
    xs = x[small]
    z = xs * xs
    p = _ERF_SMALL[-1] * z + _ERF_SMALL[-2]
    for c in _ERF_SMALL[-3::-1]:
        p *= z
        p += c
    out[small] = xs * p
    big = ~small
    xb = x[big]
    k = ((np.fmin(xb, _ERF_HI) - _ERF_LO) * (1.0 / _ERF_W)).astype(np.intp)
    np.minimum(k, _ERF_N - 1, out=k)
    rows = _ERF_TABLE.take(k, axis=1)
    t = xb - rows[0]
    q = rows[_ERF_DEG + 1] * t
    for j in range(_ERF_DEG, 1, -1):
        q += rows[j]
        q *= t
    q += rows[1]
    q[xb >= _ERF_HI] = 1.0
    out[big] = q
    return np.copysign(out, a)


class ErfBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * (exp(x * x * -1.0) * _TWO_OVER_SQRT_PI),)


def erf(input):
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt``."""
    if not input.dtype.is_floating_point:
        input = input.float()
    return _unary(input, _erf_array, ErfBackward0)


# ----------------------------------------------------------------------------
# hardtanh, relu6


class HardtanhBackward0(_PointwiseBackward):
    __slots__ = ("min_val", "max_val")
    _bb_name = "HardtanhBackwardBackward0"

    def d1(self, g, x):
        return np.where((x <= self.min_val) | (x >= self.max_val), 0, g)


def _hardtanh(input, min_val, max_val):
    if input.dtype.name == "bool":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if not input.dtype.is_floating_point:
        min_val, max_val = int(min_val), int(max_val)
        if input.dtype.name == "uint8" and (min_val < 0 or max_val < 0):
            raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")

    def fn(a):
        return np.minimum(np.maximum(a, a.dtype.type(min_val)), a.dtype.type(max_val))

    return _unary(input, fn, _with_attrs(HardtanhBackward0, min_val=min_val, max_val=max_val))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clamp to ``[min_val, max_val]``: ``HardTanh``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return apply_inplace(input, _hardtanh, min_val, max_val)
    return _hardtanh(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """``min(max(0, x), 6)`` (recorded as hardtanh, as in torch)."""
    return hardtanh(input, 0.0, 6.0, inplace)


# ----------------------------------------------------------------------------
# leaky_relu


class LeakyReluBackward0(_PointwiseBackward):
    __slots__ = ("negative_slope",)
    _bb_name = "LeakyReluBackwardBackward0"

    def d1(self, g, x):
        return np.where(x > 0, g, g * self.negative_slope)


class LeakyReluBackward1(LeakyReluBackward0):
    __slots__ = ()

    def apply(self, g):
        if self.negative_slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an "
                "issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope"
            )
        return super().apply(g)


def _leaky_relu(input, negative_slope, node_cls):
    _check_float(input, "leaky_relu_cpu")

    def fn(a):
        return np.where(a > 0, a, a * negative_slope)

    return _unary(input, fn, _with_attrs(node_cls, negative_slope=negative_slope))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    if inplace:
        return apply_inplace(input, _leaky_relu, negative_slope, LeakyReluBackward1)
    return _leaky_relu(input, negative_slope, LeakyReluBackward0)


def leaky_relu_(input, negative_slope=0.01):
    """In-place :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, inplace=True)


# ----------------------------------------------------------------------------
# elu, selu, celu: one kernel,
# elu(x) = scale * (x if x > 0 else alpha * (exp(x * input_scale) - 1))

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class EluBackward0(_PointwiseBackward):
    __slots__ = ("alpha", "scale", "input_scale")
    _bb_name = "EluBackwardBackward0"

    def d1(self, g, x):
        a, s, i = self.alpha, self.scale, self.input_scale
        return np.where(x <= 0, g * (np.exp(x * i) * (i * a * s)), g * s)

    def d2(self, h, g, x):
        a, s, i = self.alpha, self.scale, self.input_scale
        return where(x <= 0, h * g * (exp(x * i) * (a * s * i * i)), 0.0)


class EluBackward1(EluBackward0):
    __slots__ = ()

    def apply(self, g):
        if self.alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which is "
                "not supported. This is caused by calling in-place forward function with a "
                "negative slope, please call out-of-place version instead."
            )
        return super().apply(g)


class CeluBackward0(EluBackward0):
    __slots__ = ()


class CeluBackward1(EluBackward1):
    __slots__ = ()


def _elu(input, alpha, scale, input_scale, node_cls):
    _check_float(input, "elu_cpu")

    def fn(a):
        return np.where(a > 0, a * scale, np.expm1(a * input_scale) * (alpha * scale))

    node = _with_attrs(node_cls, alpha=alpha, scale=scale, input_scale=input_scale)
    return _unary(input, fn, node)


def elu(input, alpha=1.0, inplace=False):
    """Exponential linear unit: ``x`` if positive, else ``alpha * (exp(x) - 1)``."""
    if inplace:
        return apply_inplace(input, _elu, alpha, 1.0, 1.0, EluBackward1)
    return _elu(input, alpha, 1.0, 1.0, EluBackward0)


def elu_(input, alpha=1.0):
    """In-place :func:`elu`."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """Scaled ELU with torch's fixed ``alpha`` and ``scale``."""
    if inplace:
        return apply_inplace(input, _elu, _SELU_ALPHA, _SELU_SCALE, 1.0, EluBackward1)
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0, EluBackward0)


def selu_(input):
    """In-place :func:`selu`."""
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    inv = 1.0 / alpha
    if inplace:
        return apply_inplace(input, _elu, alpha, 1.0, inv, CeluBackward1)
    return _elu(input, alpha, 1.0, inv, CeluBackward0)


def celu_(input, alpha=1.0):
    """In-place :func:`celu`."""
    return celu(input, alpha, inplace=True)


# ----------------------------------------------------------------------------
# gelu

_SQRT1_2 = 1.0 / math.sqrt(2.0)
_GELU_ALPHA = _TWO_OVER_SQRT_PI * _SQRT1_2 * 0.5  # 1 / sqrt(2 pi)
_GELU_BETA = math.sqrt(2.0) * _TWO_OVER_SQRT_PI * 0.5  # sqrt(2 / pi)
_GELU_KAPPA = 0.044715


class GeluBackward0(_PointwiseBackward):
    __slots__ = ("approximate",)
    _bb_name = "GeluBackwardBackward0"

    def d1(self, g, x):
        if self.approximate == "tanh":
            x_sq = x * x
            t = np.tanh((x + x_sq * x * _GELU_KAPPA) * _GELU_BETA)
            d_inner = (x_sq * (3.0 * _GELU_KAPPA) + 1.0) * _GELU_BETA
            return g * ((t + 1.0) * 0.5 + x * 0.5 * (1.0 - t * t) * d_inner)
        cdf = (_erf_array(x * _SQRT1_2).astype(x.dtype, copy=False) + 1.0) * 0.5
        pdf = np.exp(x * x * -0.5) * _GELU_ALPHA
        return g * (cdf + x * pdf)

    def d2(self, h, g, x):
        x_sq = x * x
        if self.approximate == "tanh":
            t = tanh((x + x_sq * x * _GELU_KAPPA) * _GELU_BETA)
            du = (x_sq * (3.0 * _GELU_KAPPA) + 1.0) * _GELU_BETA
            d2f = (1.0 - t * t) * (du - x * t * du * du + x_sq * (3.0 * _GELU_BETA * _GELU_KAPPA))
            return h * g * d2f
        pdf = exp(x_sq * -0.5) * _GELU_ALPHA
        return h * g * (pdf * (2.0 - x_sq))


def _gelu_array(a, approximate):
    if approximate == "tanh":
        inner = (a + a * a * a * _GELU_KAPPA) * _GELU_BETA
        return a * 0.5 * (np.tanh(inner) + 1.0)
    cdf = _erf_array(a * _SQRT1_2).astype(a.dtype, copy=False) + 1.0
    return a * 0.5 * cdf


def gelu(input, approximate="none"):
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate='tanh'`` uses the
    tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _check_float(input, "GeluKernelImpl")
    return _unary(
        input,
        lambda a: _gelu_array(a, approximate),
        _with_attrs(GeluBackward0, approximate=approximate),
    )


# ----------------------------------------------------------------------------
# silu, mish, softplus


class SiluBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        s = sigmoid(x)
        return (g * (s * (x * (1.0 - s) + 1.0)),)


def _silu(input):
    _check_float(input, "silu_cpu")
    return _unary(input, lambda a: a * _np_sigmoid(a), SiluBackward0)


def silu(input, inplace=False):
    """``x * sigmoid(x)`` (swish)."""
    if inplace:
        return apply_inplace(input, _silu)
    return _silu(input)


class MishBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        t = tanh(softplus(x))
        return (g * (t + x * sigmoid(x) * (1.0 - t * t)),)


def _softplus_array(a, beta, threshold):
    z = a * beta
    with np.errstate(over="ignore"):
        soft = np.log1p(np.exp(z)) / beta
    return np.where(z > threshold, a, soft)


def _mish(input):
    _check_float(input, "mish_cpu")
    return _unary(input, lambda a: a * np.tanh(_softplus_array(a, 1.0, 20.0)), MishBackward0)


def mish(input, inplace=False):
    """``x * tanh(softplus(x))``."""
    if inplace:
        return apply_inplace(input, _mish)
    return _mish(input)


class SoftplusBackward0(_PointwiseBackward):
    __slots__ = ("beta", "threshold")
    _bb_name = "SoftplusBackwardBackward0"

    def d1(self, g, x):
        z = x * self.beta
        return np.where(z > self.threshold, g, g * _np_sigmoid(z))

    def d2(self, h, g, x):
        z = x * self.beta
        s = sigmoid(z)
        return where(z > self.threshold, 0.0, h * g * (s * (1.0 - s) * self.beta))


def softplus(input, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``."""
    _check_float(input, "softplus_cpu")
    return _unary(
        input,
        lambda a: _softplus_array(a, beta, threshold),
        _with_attrs(SoftplusBackward0, beta=beta, threshold=threshold),
    )


def softsign(input):
    """``x / (1 + |x|)`` (composite, as in torch)."""
    return input / (input.abs() + 1)


# ----------------------------------------------------------------------------
# hardsigmoid, hardswish

# torch multiplies the hardsigmoid gradient by 1/6 rounded to float
_ONE_SIXTH_F = float(np.float32(1.0 / 6.0))


class HardsigmoidBackward0(_PointwiseBackward):
    __slots__ = ()
    _bb_name = None  # torch has no derivative for hardsigmoid_backward
    _op = "hardsigmoid_backward"

    def d1(self, g, x):
        return np.where((x > -3.0) & (x < 3.0), g * _ONE_SIXTH_F, 0)


def _hardsigmoid(input):
    _check_float(input, "hardsigmoid_cpu")
    return _unary(
        input, lambda a: np.minimum(np.maximum(a + 3.0, 0.0), 6.0) / 6.0, HardsigmoidBackward0
    )


def hardsigmoid(input, inplace=False):
    """``relu6(x + 3) / 6``."""
    if inplace:
        return apply_inplace(input, _hardsigmoid)
    return _hardsigmoid(input)


class HardswishBackward0(_PointwiseBackward):
    __slots__ = ()
    _bb_name = "HardswishBackwardBackward0"

    def d1(self, g, x):
        return np.where(x < 3.0, np.where(x <= -3.0, 0, g * (x / 3.0 + 0.5)), g)

    def d2(self, h, g, x):
        return where((x > -3.0) & (x < 3.0), h * g / 3.0, 0.0)


def _hardswish(input):
    _check_float(input, "hardswish_cpu")
    return _unary(
        input, lambda a: a * np.minimum(np.maximum(a + 3.0, 0.0), 6.0) / 6.0, HardswishBackward0
    )


def hardswish(input, inplace=False):
    """``x * relu6(x + 3) / 6``."""
    if inplace:
        return apply_inplace(input, _hardswish)
    return _hardswish(input)


# ----------------------------------------------------------------------------
# logsigmoid, tanhshrink, softshrink, hardshrink, threshold


class LogSigmoidBackward0(_PointwiseBackward):
    __slots__ = ()
    _bb_name = "LogSigmoidBackwardBackward0"

    def d1(self, g, x):
        return g * _np_sigmoid(-x)

    def d2(self, h, g, x):
        return -(h * g * (sigmoid(x) * sigmoid(-x)))


def _logsigmoid_array(a):
    # log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), without overflow
    return np.minimum(a, 0.0) - np.log1p(np.exp(-np.abs(a)))


def logsigmoid(input):
    """``log(sigmoid(x))``, computed stably."""
    _check_float(input, "log_sigmoid_cpu")
    return _unary(input, _logsigmoid_array, LogSigmoidBackward0)


def tanhshrink(input):
    """``x - tanh(x)`` (composite, as in torch)."""
    return input - tanh(input)


class _ShrinkBackward(_PointwiseBackward):
    __slots__ = ("lambd",)

    def d1(self, g, x):
        lam = self.lambd
        return np.where((x >= -lam) & (x <= lam), 0, g)


class SoftshrinkBackward0(_ShrinkBackward):
    __slots__ = ()
    _bb_name = "SoftshrinkBackwardBackward0"


class HardshrinkBackward0(_ShrinkBackward):
    __slots__ = ()
    _bb_name = "HardshrinkBackwardBackward0"


def softshrink(input, lambd=0.5):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0."""
    _check_float(input, "softshrink_check")
    if lambd < 0:
        limit = np.finfo(input.dtype.np).max
        raise RuntimeError(
            f"lambda must be in range [0, {_fmt_g(limit)}] for input dtype "
            f"{_short_name(input.dtype)}, but found {_fmt_g(lambd)}"
        )

    def fn(a):
        return np.where(a > lambd, a - lambd, np.where(a < -lambd, a + lambd, a * 0))

    return _unary(input, fn, _with_attrs(SoftshrinkBackward0, lambd=lambd))


def _fmt_g(v) -> str:
    """A number as C++ streams print it (6 significant digits)."""
    return f"{float(v):g}"


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    _check_float(input, "hardshrink_cpu")

    def fn(a):
        return np.where((a >= -lambd) & (a <= lambd), 0.0, a)

    return _unary(input, fn, _with_attrs(HardshrinkBackward0, lambd=lambd))


class ThresholdBackward0(_PointwiseBackward):
    __slots__ = ("threshold",)
    _bb_name = "ThresholdBackwardBackward0"

    def d1(self, g, x):
        return np.where(x <= self.threshold, 0, g)


class ThresholdBackward1(ThresholdBackward0):
    __slots__ = ()


def _threshold(input, threshold, value, node_cls):
    dt = input.dtype
    if dt.name == "bool":
        raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
    if not dt.is_floating_point:  # both scalars are converted to the integer type
        info = np.iinfo(dt.np)
        for v in (threshold, value):
            if not info.min <= int(v) <= info.max:
                raise RuntimeError(
                    f"value cannot be converted to type {dt.name}_t without overflow"
                )
        threshold, value = int(threshold), int(value)

    def fn(a):
        return np.where(a <= threshold, np.asarray(value).astype(a.dtype), a)

    return _unary(input, fn, _with_attrs(node_cls, threshold=threshold))


def threshold(input, threshold, value, inplace=False):
    """``value`` where ``x <= threshold``, else ``x``."""
    if inplace:
        return apply_inplace(input, _threshold, threshold, value, ThresholdBackward1)
    return _threshold(input, threshold, value, ThresholdBackward0)


def threshold_(input, threshold, value):
    """In-place :func:`threshold`."""
    return apply_inplace(input, _threshold, threshold, value, ThresholdBackward1)


# ----------------------------------------------------------------------------
# prelu, glu


class PreluKernelBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        x, w = self.saved()
        return _prelu_backward(g, x, w)


class PreluKernelBackwardBackward0(Node):
    """Node of the prelu gradient op: two outputs (for the input and the weight)
    and three inputs (the incoming gradient, the input, the weight)."""

    __slots__ = ()
    _nout = 2

    def apply(self, hs):
        g, x, w = self.saved()
        hx, hw = hs
        nf = self.next_functions
        pos = x > 0
        gg = gx = gw = None
        if nf[0][0] is not None:
            if hx is not None:
                gg = where(pos, hx, hx * w)
            if hw is not None:
                t = where(pos, 0.0, hw * x)
                gg = t if gg is None else gg + t
        if nf[1][0] is not None:  # prelu is linear in x piecewise: zero where hw is absent
            gx = where(pos, 0.0, hw * g) if hw is not None else _make(np.zeros_like(x._data))
        if nf[2][0] is not None:
            gw = where(pos, 0.0, hx * g) if hx is not None else _make(np.zeros_like(x._data))
        return gg, gx, gw


def _prelu_backward(g, x, w):
    """The gradients of prelu for the input and the (broadcast) weight, as one op."""
    ga, xa, wa = g._data, x._data, w._data
    pos = xa > 0
    gx = _make(np.where(pos, ga, ga * wa).astype(xa.dtype, copy=False))
    gw = _make(np.where(pos, 0, ga * xa).astype(xa.dtype, copy=False))
    if _state.enabled and (g._requires_grad or x._requires_grad or w._requires_grad):
        node = PreluKernelBackwardBackward0()
        node.save(g, x, w)
        _record(node, gx, g, x, w)
        _record(node, gw, g, x, w)
        gw._out_nr = 1
    return gx, gw


def prelu(input, weight):
    """``x`` where positive, else ``weight * x``, with one weight per channel
    (dim 1) or a single shared one."""
    if input.dtype is not weight.dtype:
        raise RuntimeError(
            f"prelu: Type promoting not supported. Got {_short_name(input.dtype)} and "
            f"{_short_name(weight.dtype)}"
        )
    nd = input.ndim
    if weight.numel() != 1:
        if nd == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if nd > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers "
                f"= {weight.numel()} and channel size = {channels}."
            )
    if weight.ndim > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}"
        )
    _check_float(input, "prelu_cpu")
    w = weight
    if nd != weight.ndim:
        shape = [1] * nd
        if nd > 1:
            shape[1] = weight.numel()
        w = weight.reshape(shape)
    a, wa = input._data, w._data
    up = a.dtype == _f16
    ca, cw = (a.astype(np.float32), wa.astype(np.float32)) if up else (a, wa)
    r = np.where(ca > 0, ca, ca * cw)
    res = _make(r.astype(a.dtype) if up or r.dtype != a.dtype else r)
    if _state.enabled and (input._requires_grad or w._requires_grad):
        node = PreluKernelBackward0()
        node.save(input, w)
        _record(node, res, input, w)
    return res


def _halves(arr, d):
    n = arr.shape[d] // 2
    return np.take(arr, np.arange(n), axis=d), np.take(arr, np.arange(n, 2 * n), axis=d)


class GluBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        (x,) = self.saved()
        return (_glu_backward(g, x, self.dim),)


class GluBackwardBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, h):
        from .shape import cat

        g, x = self.saved()
        d = self.dim
        n = x.shape[d] // 2
        a, b = x.narrow(d, 0, n), x.narrow(d, n, n)
        ha, hb = h.narrow(d, 0, n), h.narrow(d, n, n)
        s = sigmoid(b)
        ds = s * (1.0 - s)
        nf = self.next_functions
        gg = ha * s + hb * a * ds if nf[0][0] is not None else None
        gx = None
        if nf[1][0] is not None:
            grad_a = hb * g * ds
            grad_b = (ha + hb * a * (1.0 - 2.0 * s)) * g * ds
            gx = cat([grad_a, grad_b], d)
        return gg, gx


def _glu_backward(g, x, d):
    """The gradient of glu: ``[g * s, g * a * s * (1 - s)]`` with ``s = sigmoid(b)``."""
    a, b = _halves(x._data, d)
    ga = g._data
    s = _np_sigmoid(b)
    first = ga * s
    res = _make(np.concatenate([first, first * a * (1.0 - s)], axis=d).astype(a.dtype))
    if _state.enabled and (g._requires_grad or x._requires_grad):
        node = GluBackwardBackward0()
        node.dim = d
        node.save(g, x)
        _record(node, res, g, x)
    return res


def glu(input, dim=-1):
    """Gated linear unit: split ``input`` in halves ``a, b`` along ``dim``;
    ``a * sigmoid(b)``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {size}")
    _check_float(input, "glu_cpu")

    def fn(arr):
        first, second = _halves(arr, d)
        return first * _np_sigmoid(second)

    return _unary(input, fn, _with_attrs(GluBackward0, dim=d))


# ----------------------------------------------------------------------------
# softmax, log_softmax, softmin


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_array(a, axis):
    if a.size == 0:
        return a.copy()
    if a.ndim == 0:
        return np.ones_like(a)
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def _log_softmax_array(a, axis):
    if a.size == 0:
        return a.copy()
    if a.ndim == 0:
        return a - a
    s = a - a.max(axis=axis, keepdims=True)
    s -= np.log(np.exp(s).sum(axis=axis, keepdims=True))
    return s


class SoftmaxBackward0(Node):
    __slots__ = ("dim",)
    _saves_output = True

    def apply(self, g):
        (y,) = self.saved()
        return (_softmax_backward_data(g, y, self.dim, False),)


class LogSoftmaxBackward0(Node):
    __slots__ = ("dim",)
    _saves_output = True

    def apply(self, g):
        (y,) = self.saved()
        return (_softmax_backward_data(g, y, self.dim, True),)


class SoftmaxBackwardDataBackward0(Node):
    """Second derivative of softmax: ``out = y * (g - sum(g * y))``."""

    __slots__ = ("dim",)

    def apply(self, h):
        g, y = self.saved()
        d = self.dim
        nf = self.next_functions
        hy_sum = _sum_keep(h * y, d)
        gg = y * (h - hy_sum) if nf[0][0] is not None else None
        gy = None
        if nf[1][0] is not None:
            gy = h * (g - _sum_keep(g * y, d)) - g * hy_sum
        return gg, gy


class LogSoftmaxBackwardDataBackward0(Node):
    """Second derivative of log_softmax: ``out = g - exp(y) * sum(g)``."""

    __slots__ = ("dim",)

    def apply(self, h):
        g, y = self.saved()
        d = self.dim
        nf = self.next_functions
        p = exp(y)
        gg = h - _sum_keep(h * p, d) if nf[0][0] is not None else None
        gy = -(h * p * _sum_keep(g, d)) if nf[1][0] is not None else None
        return gg, gy


def _sum_keep(t, d):
    return t.sum(d, keepdim=True) if t.ndim else t


def _softmax_backward_data(g, y, dim, log):
    """The gradient of (log_)softmax for output ``y``, as one op of its own."""
    ga, ya = g._data, y._data
    ax = dim if ya.ndim else None
    if log:
        r = ga - np.exp(ya) * ga.sum(axis=ax, keepdims=True)
    else:
        gy = ga * ya
        r = gy - ya * gy.sum(axis=ax, keepdims=True)
    res = _make(r)
    if _state.enabled and (g._requires_grad or y._requires_grad):
        node = LogSoftmaxBackwardDataBackward0() if log else SoftmaxBackwardDataBackward0()
        node.dim = dim
        node.save(g, y)
        _record(node, res, g, y)
    return res


def _softmax_impl(input, dim, dtype, log, stacklevel, name):
    if dim is None:
        dim = _softmax_dim(name, input.ndim, stacklevel + 1)  # + this frame
    if dtype is not None:
        input = input.to(dtype)
    nd = input.ndim
    d = wrap_dim(dim, nd)
    if not input.dtype.is_floating_point:
        last = "lastdim_" if nd == 0 or d == nd - 1 else ""
        kname = ("log_softmax_" if log else "softmax_") + last + "kernel_impl"
        raise NotImplementedError(f"\"{kname}\" not implemented for '{_short_name(input.dtype)}'")
    a = input._data
    ca = a.astype(np.float32) if a.dtype == _f16 else a
    r = _log_softmax_array(ca, d) if log else _softmax_array(ca, d)
    res = _make(r.astype(a.dtype) if r.dtype != a.dtype else r)
    if _state.enabled and input._requires_grad:
        node = LogSoftmaxBackward0() if log else SoftmaxBackward0()
        node.dim = d
        _record(node, res, input)
        node.save_output(res)
    return res


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``exp(x) / sum(exp(x))`` along ``dim`` (computed with the maximum
    subtracted). ``dtype`` casts the input first."""
    return _softmax_impl(input, dim, dtype, False, _stacklevel, "softmax")


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``x - log(sum(exp(x)))`` along ``dim``, computed stably."""
    return _softmax_impl(input, dim, dtype, True, _stacklevel, "log_softmax")


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """``softmax(-x)`` along ``dim``."""
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim, _stacklevel)
    return _softmax_impl(-input, dim, dtype, False, _stacklevel, "softmin")
