"""Pointwise ops: arithmetic, comparisons, unary math, casts.

Each op is a forward on arrays plus the Node that differentiates it,
written with Tensor ops so that it has its own derivative.
"""

from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import broadcast_error, checked_int, float_array, operands
from .inplace import apply_inplace, inplace_variant

__all__ = [
    "add",
    "sub",
    "rsub",
    "mul",
    "div",
    "true_divide",
    "divide",
    "multiply",
    "subtract",
    "floor_divide",
    "remainder",
    "fmod",
    "pow",
    "neg",
    "negative",
    "abs",
    "absolute",
    "reciprocal",
    "exp",
    "log",
    "sqrt",
    "rsqrt",
    "square",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "sign",
    "clamp",
    "clip",
    "maximum",
    "minimum",
    "where",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_not",
    "logical_and",
    "logical_or",
    "logical_xor",
    "bitwise_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "isnan",
    "isinf",
    "isfinite",
    "exp2",
    "expm1",
    "log2",
    "log10",
    "log1p",
    "tan",
    "asin",
    "acos",
    "atan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "asinh",
    "acosh",
    "atanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "atan2",
    "arctan2",
    "deg2rad",
    "rad2deg",
    "logit",
    "erfc",
    "erfinv",
    "floor",
    "ceil",
    "round",
    "trunc",
    "fix",
    "frac",
    "sgn",
    "positive",
    "nan_to_num",
    "signbit",
    "isposinf",
    "isneginf",
    "isreal",
    "hypot",
    "logaddexp",
    "logaddexp2",
    "fmax",
    "fmin",
    "copysign",
    "xlogy",
    "heaviside",
    "float_power",
    "lerp",
    "addcmul",
    "addcdiv",
    "clamp_min",
    "clamp_max",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "isclose",
    "allclose",
    "equal",
]

_bool = D.bool


def _grad_on(*ts) -> bool:
    if not _state.enabled:
        return False
    for t in ts:
        if t is not None and t._requires_grad:
            return True
    return False


def _check_bool_sub(a, b):
    # a Python bool takes part as a bool tensor, as torch wraps it
    a_bool = a.dtype is _bool
    b_bool = b.dtype is _bool if isinstance(b, Tensor) else type(b) is bool
    if a_bool or b_bool:
        if a_bool and b_bool:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
                "`^` or `logical_xor()` operator instead."
            )
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def _not_implemented(dtype, kernel):
    """torch's error for a kernel that has no implementation for ``dtype``."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{dtype._legacy[:-6]}'")


class NotImplementedBackward(Node):
    """The node torch records for ops without a derivative: backward raises."""

    __slots__ = ("op",)
    _full_name = "torch::autograd::NotImplemented"

    def apply(self, g):
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")


def _record_not_implemented(op, res, *inputs):
    node = NotImplementedBackward()
    node.op = op
    return _record(node, res, *inputs)


# ----------------------------------------------------------------------------
# add / sub


class AddBackward0(Node):
    __slots__ = ("alpha",)

    def apply(self, g):
        a = self.alpha
        if a == 1 or self.next_functions[1][0] is None:
            return g, g
        return g, g * a


def add(input, other, *, alpha=1, out=None, _reverse=False):
    """``input + alpha * other`` with broadcasting and torch's promotion."""
    if not isinstance(input, Tensor):
        input, other, _reverse = other, input, True
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    try:
        if alpha != 1:
            res = _make(_scaled_add(ad, bd, alpha, rd))
        else:
            res = _make(np.add(bd, ad) if _reverse else np.add(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = AddBackward0()
        node.alpha = alpha
        _record(node, res, input, bt)
    return _out(res, out, "add")


def _scaled_add(ad, bd, alpha, rd):
    """``a + alpha * b``: one rounding for floats (torch's CPU kernel is a fused
    multiply-add), integer arithmetic otherwise."""
    if rd.is_floating_point:
        from .._fma import fma

        a = np.asarray(ad, dtype=rd.np)
        b = np.asarray(bd, dtype=rd.np)
        return fma(b, alpha, a)
    return np.add(ad, np.multiply(bd, alpha))


class SubBackward0(Node):
    __slots__ = ("alpha",)

    def apply(self, g):
        if self.next_functions[1][0] is None:  # only the first input needs a gradient
            return g, None
        a = self.alpha
        return g, (-g if a == 1 else g * -a)


def _sub_scaled(input, bt, ad, bd, rd, alpha, out):
    try:
        res = _make(_scaled_add(ad, bd, -alpha, rd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = SubBackward0()
        node.alpha = alpha
        _record(node, res, input, bt)
    return _out(res, out, "sub")


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    if not isinstance(input, Tensor):
        return rsub(other, input, alpha=alpha)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    _check_bool_sub(input, other)
    ad, bd, rd, bt = ops
    if alpha != 1:
        # input - alpha*other is one fused multiply-add, as torch computes it
        return _sub_scaled(input, bt, ad, bd, rd, alpha, out)
    try:
        res = _make(np.subtract(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = SubBackward0()
        node.alpha = alpha
        _record(node, res, input, bt)
    return _out(res, out, "sub")


class RsubBackward0(Node):
    __slots__ = ("alpha",)

    def apply(self, g):
        a = self.alpha
        return (-g if a == 1 else g * -a), g


class RsubBackward1(Node):
    __slots__ = ("alpha",)

    def apply(self, g):
        a = self.alpha
        return ((-g if a == 1 else g * -a),)


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    _check_bool_sub(input, other)
    ad, bd, rd, bt = ops
    if alpha != 1:
        ad = ad * alpha
    try:
        res = _make(np.subtract(bd, ad))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if bt is not None:
        if _grad_on(input, bt):
            node = RsubBackward0()
            node.alpha = alpha
            _record(node, res, input, bt)
    elif _grad_on(input):
        node = RsubBackward1()
        node.alpha = alpha
        _record(node, res, input)
    return res


# ----------------------------------------------------------------------------
# mul / div


class MulBackward0(Node):
    __slots__ = ("scalar",)

    def apply(self, g):
        a, b = self.saved()  # each saved only when the other side needs it
        if b is None and a is None:
            return g * self.scalar, None
        return (None if b is None else g * b), (None if a is None else g * a)


def mul(input, other, *, out=None, _reverse=False):
    """Elementwise product with broadcasting."""
    if not isinstance(input, Tensor):
        input, other = other, input
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    try:
        r = np.multiply(bd, ad) if _reverse else np.multiply(ad, bd)
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    res = _make(r)
    if _grad_on(input, bt):
        node = MulBackward0()
        if bt is None:
            node.scalar = other
            node.save(None, None)
        else:
            node.save(input if bt._requires_grad else None, bt if input._requires_grad else None)
        _record(node, res, input, bt)
    return _out(res, out, "mul")


class DivBackward0(Node):
    __slots__ = ("scalar",)

    def apply(self, g):
        a, b = self.saved()  # a is saved only when the divisor needs a gradient
        if b is None:
            return g / self.scalar, None
        ga = g / b if self.next_functions[0][0] is not None else None
        gb = -g * ((a / b) / b) if a is not None else None
        return ga, gb


class DivBackward2(Node):
    """Division with a rounding mode: a step function, so zero gradients."""

    __slots__ = ()

    def apply(self, g):
        nf = self.next_functions
        return (g * 0 if nf[0][0] is not None else None), (g * 0 if nf[1][0] is not None else None)


def div(input, other, *, rounding_mode=None, out=None):
    """True division (int operands give floats), or rounded with
    ``rounding_mode='trunc'`` / ``'floor'``."""
    if rounding_mode is not None:
        if rounding_mode == "floor" or rounding_mode == "trunc":
            return _rounded_divide(input, other, rounding_mode, out, "div")
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    if not isinstance(input, Tensor):
        return rdiv(other, input)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    if not rd.is_floating_point:
        fd = D._default.dtype.np
        ad = ad.astype(fd)
        if bt is not None:
            bd = bd.astype(fd)
        else:  # the scalar as given: an int outside the dtype's range must not wrap
            bd = other.item() if isinstance(other, np.generic) else other
    try:
        res = _make(np.true_divide(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = DivBackward0()
        if bt is None:
            node.scalar = other
            node.save(None, None)
        else:
            node.save(input if bt._requires_grad else None, bt)
        _record(node, res, input, bt)
    return _out(res, out, "div")


true_divide = div
divide = div
multiply = mul
subtract = sub


def rdiv(input, other):
    """``other / input`` for a scalar ``other``: reciprocal, then multiply,
    as torch records it."""
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


class ReciprocalBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (-g * (r * r),)


def reciprocal(input):
    """``1 / input`` elementwise."""
    res = _make(np.reciprocal(float_array(input)))
    if _grad_on(input):
        node = ReciprocalBackward0()
        _record(node, res, input)
        node.save_output(res)
    return res


def _int_zero_check(bd, rd):
    if not rd.is_floating_point and np.any(np.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")


def _rounded_divide(input, other, mode, out, op, reverse=False):
    """Division rounded by ``mode`` ('floor' or 'trunc'); ``other / input``
    with ``reverse``. As ``div`` with a rounding mode it records DivBackward2
    (zero gradients); as ``floor_divide`` a node whose backward raises, as
    torch does."""
    if not isinstance(input, Tensor):
        input, other, reverse = other, input, True
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    if reverse:  # a scalar keeps its low priority in promotion either side
        ad, bd = bd, ad
    if rd is _bool:
        raise _not_implemented(rd, f"div_{mode}_cpu")
    _int_zero_check(bd, rd)
    if bt is not None and ad.shape != bd.shape:
        try:
            np.broadcast_shapes(ad.shape, bd.shape)
        except ValueError:
            raise broadcast_error(ad.shape, bd.shape) from None
    if mode == "floor":
        r = np.floor_divide(ad, bd)
    elif rd.is_floating_point:
        r = np.trunc(np.true_divide(ad, bd))
    else:
        q = np.floor_divide(ad, bd)
        # floor and trunc differ where the signs differ and there is a remainder
        fix = (np.remainder(ad, bd) != 0) & ((ad < 0) != (bd < 0))
        r = q + fix.astype(q.dtype)
    res = _make(np.asarray(r, dtype=rd.np))
    if _grad_on(input, bt):
        if op == "div":
            _record(DivBackward2(), res, input, bt)
        else:
            grads = [t for t in (input, bt) if t is not None and t._requires_grad]
            _record_not_implemented(op, res, *grads)
    return _out(res, out, op)


def floor_divide(input, other, *, out=None):
    """Division rounded towards minus infinity (no derivative, as in torch)."""
    return _rounded_divide(input, other, "floor", out, "floor_divide")


def _rfloordiv(t, scalar):
    return _rounded_divide(t, scalar, "floor", None, "floor_divide", reverse=True)


def _modulus_result(ad, bd, rd, fn, name):
    """remainder / fmod on promoted operands, with torch's refusals."""
    if rd is _bool:
        raise _not_implemented(rd, f"{name}_cpu")
    _int_zero_check(bd, rd)
    try:
        return _make(fn(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None


def _record_modulus(res, input, bt, scalar_node, tensor_node):
    """The graph of remainder / fmod: by a scalar, or by a tensor (saved)."""
    if _grad_on(input, bt):
        if bt is None:
            _record(scalar_node(), res, input)
        else:
            node = tensor_node()
            node.save(input, bt)
            _record(node, res, input, bt)


class RemainderBackward0(Node):
    """remainder(tensor, scalar)."""

    __slots__ = ()

    def apply(self, g):
        return (g,)


class RemainderBackward1(Node):
    """remainder(tensor, tensor)."""

    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        gb = None
        if self.next_functions[1][0] is not None:
            gb = -g * div(a, b, rounding_mode="floor")
        return g, gb


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of the divisor."""
    if not isinstance(input, Tensor):
        return _rremainder(other, input)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    res = _modulus_result(ad, bd, rd, np.remainder, "remainder")
    _record_modulus(res, input, bt, RemainderBackward0, RemainderBackward1)
    return _out(res, out, "remainder")


def _rremainder(t, scalar):
    """``scalar % t``: torch has no derivative for it."""
    ops = operands(t, scalar)
    if ops is None:
        return NotImplemented
    bd, ad, rd, bt = ops  # the scalar divides by the tensor
    res = _modulus_result(ad, bd, rd, np.remainder, "remainder")
    if _grad_on(t):
        _record_not_implemented("remainder", res, t)
    return res


class FmodBackward0(Node):
    """fmod(tensor, scalar)."""

    __slots__ = ()

    def apply(self, g):
        return (g,)


class FmodBackward1(Node):
    """fmod(tensor, tensor)."""

    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        gb = None
        if self.next_functions[1][0] is not None:
            gb = -g * div(a, b, rounding_mode="trunc")
        return g, gb


def fmod(input, other, *, out=None):
    """C-style modulus: the result has the sign of the dividend."""
    ops = operands(input, other)
    if ops is None:
        raise TypeError(
            f"fmod(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    ad, bd, rd, bt = ops
    res = _modulus_result(ad, bd, rd, np.fmod, "fmod")
    _record_modulus(res, input, bt, FmodBackward0, FmodBackward1)
    return _out(res, out, "fmod")


# ----------------------------------------------------------------------------
# pow


class PowBackward0(Node):
    """d/dx x**c for a scalar exponent c."""

    __slots__ = ("exponent",)

    def apply(self, g):
        (x,) = self.saved()
        e = self.exponent
        if e == 0:
            return (g * 0,)
        if e == 2 and not _state.enabled:
            return (g * (x * 2),)  # x ** 1 is x exactly: one op fewer when no graph is kept
        return (g * (pow(x, e - 1) * e),)


class PowBackward1(Node):
    """x**y for two tensors."""

    __slots__ = ()

    def apply(self, g):
        x, y = self.saved()
        nf = self.next_functions
        gx = gy = None
        if nf[0][0] is not None:
            gx = g * (y * pow(x, y - 1))
            gx = where(y == 0, 0.0, gx)
        if nf[1][0] is not None:
            r = pow(x, y)
            gy = g * where((x == 0) & (y >= 0), 0.0, r * log(x))
        return gx, gy


class PowBackward2(Node):
    """c**y for a scalar base c."""

    __slots__ = ("base",)
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        c = self.base
        if c == 0:
            (y,) = self.exponent
            return (g * where(y >= 0, 0.0, r * float(np.log(c))),)
        return (g * (r * float(np.log(c))),)


def pow(input, exponent, *, out=None):
    """``input ** exponent``; either may be a Python scalar."""
    if not isinstance(input, Tensor):
        return _rpow(exponent, input)
    ops = operands(input, exponent)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    if rd is _bool:
        if bt is not None:
            raise _not_implemented(rd, "pow")
        # bool ** bool: x ** True is x, x ** False is all True
        return _out(_make(ad.copy() if bd else np.ones_like(ad)), out, "pow")
    if bt is None and not rd.is_floating_point and exponent < 0:
        # the exponent as given: a wrapped negative int would pass
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if bt is None:
        if bd == 2:
            r = np.multiply(ad, ad)
        elif bd == 1:
            r = ad.copy()
        else:
            r = np.power(ad, bd)
    else:
        try:
            r = np.power(ad, bd) if rd.is_floating_point else _int_power(ad, bd)
        except ValueError:
            raise broadcast_error(ad.shape, bd.shape) from None
    res = _make(r)
    if _grad_on(input, bt):
        if bt is None:
            node = PowBackward0()
            node.exponent = exponent
            node.save(input)
            _record(node, res, input)
        else:
            node = PowBackward1()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out, "pow")


def _int_power(a, e):
    """Integer power; a negative exponent gives 1 for base 1, +-1 for base -1
    and 0 otherwise, as torch computes it (NumPy refuses)."""
    neg = e < 0
    if not neg.any():
        return np.power(a, e)
    r = np.power(a, np.where(neg, 0, e))
    alt = np.where(a == 1, 1, np.where(a == -1, np.where(e % 2 == 0, 1, -1), 0))
    return np.where(neg, alt, r).astype(r.dtype, copy=False)


def _rpow(t, base):
    """``base ** t`` for a scalar base."""
    if isinstance(base, Tensor):
        return pow(base, t)
    if isinstance(base, np.generic):
        base = base.item()
    if type(base) is float and not t.dtype.is_floating_point:
        rd = D._default.dtype
    elif t.dtype is _bool:
        rd = D.int64 if type(base) is int else t.dtype
        if rd is _bool:
            raise _not_implemented(rd, "pow")
    else:
        rd = t.dtype
    b, e = np.asarray(base, dtype=rd.np), t._data.astype(rd.np, copy=False)
    r = np.power(b, e) if rd.is_floating_point else _int_power(b, e)
    res = _make(np.asarray(r, dtype=rd.np))
    if _grad_on(t):
        node = PowBackward2()
        node.base = base
        if base == 0:
            node.exponent = (t,)
        _record(node, res, t)
        node.save_output(res)
    return res


# ----------------------------------------------------------------------------
# unary


class NegBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (-g,)


def neg(input, *, out=None):
    """``-input``."""
    if input.dtype is _bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    res = _make(np.negative(input._data))
    if _state.enabled and input._requires_grad:
        _record(NegBackward0(), res, input)
    return _out(res, out, "neg")


negative = neg


class AbsBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * sign(x),)


def abs(input, *, out=None):
    """Absolute value."""
    if input.dtype is _bool:
        raise _not_implemented(_bool, "abs_cpu")
    res = _make(np.abs(input._data))
    if _state.enabled and input._requires_grad:
        node = AbsBackward0()
        node.save(input)
        _record(node, res, input)
    return _out(res, out, "abs")


absolute = abs


class SgnBackward(Node):
    __slots__ = ()

    def name(self):
        return "SignBackward0"

    def apply(self, g):
        return (g * 0,)


def _sign_result(input):
    if input.dtype is _bool:
        return _make(input._data.copy())
    a = input._data
    r = np.asarray(np.sign(a))
    if a.dtype.kind == "f":
        np.putmask(r, r != r, 0)  # torch's sign(nan) is 0
    return _make(r)


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element (gradient zero)."""
    res = _sign_result(input)
    if _state.enabled and input._requires_grad:
        _record(SgnBackward(), res, input)
    return _out(res, out, "sign")


def _unary_float(input, fn, node_cls, save):
    """Run a float-valued unary function; ``save`` is 'in', 'out' or None."""
    res = _make(fn(float_array(input)))
    if _state.enabled and input._requires_grad:
        node = node_cls()
        _record(node, res, input)
        if save == "in":
            node.save(input)
        elif save == "out":
            node.save_output(res)
    return res


class ExpBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * r,)


def exp(input, *, out=None):
    """e raised to each element."""
    return _out(_unary_float(input, np.exp, ExpBackward0, "out"), out, "exp")


class LogBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / x,)


def log(input, *, out=None):
    """Natural logarithm."""
    return _out(_unary_float(input, np.log, LogBackward0, "in"), out, "log")


class SqrtBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g / (r * 2),)


def sqrt(input, *, out=None):
    """Square root."""
    return _out(_unary_float(input, np.sqrt, SqrtBackward0, "out"), out, "sqrt")


class RsqrtBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (-0.5 * g * pow(r, 3),)


def rsqrt(input, *, out=None):
    """``1 / sqrt(input)``."""
    return _out(
        _unary_float(input, lambda a: np.reciprocal(np.sqrt(a)), RsqrtBackward0, "out"),
        out,
        "rsqrt",
    )


def square(input, *, out=None):
    """``input ** 2``."""
    if input.dtype is _bool:
        input = input.to(D.int64)
    return pow(input, 2, out=out)


class SinBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * cos(x),)


def sin(input, *, out=None):
    """Sine."""
    return _out(_unary_float(input, np.sin, SinBackward0, "in"), out, "sin")


class CosBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * -sin(x),)


def cos(input, *, out=None):
    """Cosine."""
    return _out(_unary_float(input, np.cos, CosBackward0, "in"), out, "cos")


class TanhBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * (1 - r * r),)


def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return _out(_unary_float(input, np.tanh, TanhBackward0, "out"), out, "tanh")


class SigmoidBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * ((1 - r) * r),)


def _sigmoid_array(a):
    # 1 / (1 + exp(-a)) overflows harmlessly to 0 for large negative a
    return np.reciprocal(np.exp(np.negative(a)) + a.dtype.type(1))


def sigmoid(input, *, out=None):
    """Logistic sigmoid ``1 / (1 + exp(-x))``."""
    return _out(_unary_float(input, _sigmoid_array, SigmoidBackward0, "out"), out, "sigmoid")


class ReluBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        if _state.enabled:  # create_graph: stay differentiable
            # threshold_backward: zero where the output is <= 0 (nan passes)
            return (where(r <= 0, 0.0, g),)
        # the same on arrays: a multiply by the mask is 4x faster than
        # np.where, and equal unless g is not finite or r is nan (then where)
        ra, ga = r._data, g._data
        out = np.multiply(ga, ra > 0)
        if not np.isfinite(out).all() or np.isnan(ra).any():
            out = np.where(ra <= 0, ga.dtype.type(0), ga)
        return (_make(out),)


def relu(input):
    """``max(input, 0)`` elementwise."""
    if input.dtype is _bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    res = _make(np.maximum(input._data, input._data.dtype.type(0)))
    if _state.enabled and input._requires_grad:
        node = ReluBackward0()
        _record(node, res, input)
        node.save_output(res)
    return res


# ----------------------------------------------------------------------------
# clamp, maximum, minimum, where


class ClampBackward1(Node):
    __slots__ = ("lo", "hi")

    def apply(self, g):
        (x,) = self.saved()
        mask = None
        if self.lo is not None:
            mask = x >= self.lo
        if self.hi is not None:
            m = x <= self.hi
            mask = m if mask is None else mask & m
        return (where(mask, g, 0.0),)


class ClampBackward0(Node):
    """clamp with tensor bounds (either may be None)."""

    __slots__ = ()

    def apply(self, g):
        x, lo, hi = self.saved()
        nf = self.next_functions
        gx = glo = ghi = None
        if nf[0][0] is not None:
            if lo is not None and hi is not None:
                mask = (x >= lo) & (x <= hi)
            else:
                mask = x >= lo if lo is not None else x <= hi
            gx = where(mask, g, 0.0)
        if lo is not None and hi is not None:
            if nf[1][0] is not None:
                glo = where((x < lo) & (lo < hi), g, 0.0)
            if nf[2][0] is not None:
                ghi = where((x > hi) | (hi < lo), g, 0.0)
        elif lo is not None and nf[1][0] is not None:
            glo = where(x < lo, g, 0.0)
        elif hi is not None and nf[2][0] is not None:
            ghi = where(x > hi, g, 0.0)
        return gx, glo, ghi


def _clamp_tensor(input, lo, hi):
    if lo is not None and not isinstance(lo, Tensor):
        lo = Tensor._scalar_like(lo, input)
    if hi is not None and not isinstance(hi, Tensor):
        hi = Tensor._scalar_like(hi, input)
    rd = D.result_type(*(t for t in (input, lo, hi) if t is not None))
    r = input._data.astype(rd.np, copy=False)
    shapes = [t._data.shape for t in (input, lo, hi) if t is not None]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise broadcast_error(*shapes) from None
    if lo is not None:
        r = np.maximum(r, lo._data.astype(rd.np, copy=False))
    if hi is not None:
        r = np.minimum(r, hi._data.astype(rd.np, copy=False))
    res = _make(r if r is not input._data else r.copy())
    if _grad_on(input, lo, hi):
        node = ClampBackward0()
        node.save(input, lo, hi)
        _record(node, res, input, lo, hi)
    return res


def clamp(input, min=None, max=None, *, out=None):
    """Limit each element to ``[min, max]``."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _out(_clamp_tensor(input, min, max), out, "clamp")
    a = input._data
    dt = input.dtype
    if (min is not None and type(min) is float) or (max is not None and type(max) is float):
        if not dt.is_floating_point:
            a = float_array(input)
    elif dt is _bool:
        if all(type(v) is bool for v in (min, max) if v is not None):
            kernel = (
                "clamp"
                if min is not None and max is not None
                else ("clamp_min" if min is not None else "clamp_max")
            )
            raise _not_implemented(dt, f"{kernel}_scalar_cpu")
        a = a.astype(np.int64)  # a bool tensor and an int make int64
    elif dt._cat == D._INT:
        # int bounds are converted to the dtype as torch converts them (checked)
        if min is not None:
            min = _int_bound(min, dt)
        if max is not None:
            max = _int_bound(max, dt)
    r = a
    if min is not None:
        r = np.maximum(r, min)
    if max is not None:
        r = np.minimum(r, max)
    if r is a:
        r = a.copy()
    res = _make(np.asarray(r, dtype=a.dtype))
    if _grad_on(input):
        node = ClampBackward1()
        node.lo, node.hi = min, max
        node.save(input)
        _record(node, res, input)
    return _out(res, out, "clamp")


clip = clamp


def _int_bound(v, dt):
    try:
        return checked_int(v, dt)
    except ValueError:  # an int64 bound out of range
        raise RuntimeError("value cannot be converted to type int64_t without overflow") from None


class MaximumBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        # ties share the gradient equally; where either is nan both get it all
        h = where(a == b, g / 2, g)
        ga = where(a < b, 0.0, h) if nf[0][0] is not None else None
        gb = where(a > b, 0.0, h) if nf[1][0] is not None else None
        return ga, gb


class MinimumBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        h = where(a == b, g / 2, g)
        ga = where(a > b, 0.0, h) if nf[0][0] is not None else None
        gb = where(a < b, 0.0, h) if nf[1][0] is not None else None
        return ga, gb


def _binary_tensor(input, other, name):
    if not isinstance(other, Tensor):
        raise TypeError(
            f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    return operands(input, other)


def maximum(input, other, *, out=None):
    """Elementwise maximum of two tensors (nan propagates)."""
    ad, bd, rd, bt = _binary_tensor(input, other, "maximum")
    try:
        res = _make(np.maximum(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = MaximumBackward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out, "maximum")


def minimum(input, other, *, out=None):
    """Elementwise minimum of two tensors (nan propagates)."""
    ad, bd, rd, bt = _binary_tensor(input, other, "minimum")
    try:
        res = _make(np.minimum(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        node = MinimumBackward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out, "minimum")


class WhereBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (c,) = self.saved()
        nf = self.next_functions
        ga = where(c, g, 0.0) if nf[0][0] is not None else None
        gb = where(c, 0.0, g) if nf[1][0] is not None else None
        return ga, gb


def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` holds, else ``other``; either may be a
    scalar. With only a condition: the indices of true elements."""
    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError("where(): argument 'condition' must be Tensor")
    if condition.dtype is not _bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.dtype._legacy[:-6]}"
        )
    it = input if isinstance(input, Tensor) else None
    ot = other if isinstance(other, Tensor) else None
    if it is None and ot is None:
        rd = D.result_type(input, other)
        ia, oa = input, other
    elif it is None:
        rd = D.result_type(other, input) if type(input) is not float else _where_scalar(ot, input)
        ia, oa = input, ot._data
    elif ot is None:
        rd = D.result_type(input, other) if type(other) is not float else _where_scalar(it, other)
        ia, oa = it._data, other
    else:
        rd = D.result_type(it, ot)
        ia, oa = it._data, ot._data
    try:
        r = np.where(condition._data, ia, oa)
    except ValueError:
        raise broadcast_error(condition._data.shape, np.shape(ia), np.shape(oa)) from None
    if r.dtype != rd.np:
        r = r.astype(rd.np)
    res = _make(r)
    if _grad_on(it, ot):
        node = WhereBackward0()
        node.save(condition)
        _record(node, res, it, ot)
    return _out(res, out, "where")


def _where_scalar(t, s):
    return t.dtype if t.dtype.is_floating_point else D._default.dtype


# ----------------------------------------------------------------------------
# comparisons and logic (no gradients)


def _compare(fn):
    def op(input, other, *, out=None):
        if not isinstance(input, Tensor):
            input, other = Tensor._scalar_like(input, other), other
        ops = operands(input, other)
        if ops is None:
            return NotImplemented
        try:
            r = fn(ops[0], ops[1])
        except ValueError:
            raise broadcast_error(np.shape(ops[0]), np.shape(ops[1])) from None
        return _out(_make(r), out, fn.__name__)

    op.__name__ = fn.__name__
    return op


eq = _compare(np.equal)
ne = _compare(np.not_equal)
lt = _compare(np.less)
le = _compare(np.less_equal)
gt = _compare(np.greater)
ge = _compare(np.greater_equal)
eq.__doc__ = "Elementwise ``input == other`` as a bool tensor."
ne.__doc__ = "Elementwise ``input != other`` as a bool tensor."
lt.__doc__ = "Elementwise ``input < other`` as a bool tensor."
le.__doc__ = "Elementwise ``input <= other`` as a bool tensor."
gt.__doc__ = "Elementwise ``input > other`` as a bool tensor."
ge.__doc__ = "Elementwise ``input >= other`` as a bool tensor."


def _as_bool(x):
    return x._data.astype(np.bool_, copy=False) if isinstance(x, Tensor) else builtins.bool(x)


def _logical(fn, input, other):
    a, b = _as_bool(input), _as_bool(other)
    try:
        return fn(a, b)
    except ValueError:
        raise broadcast_error(np.shape(a), np.shape(b)) from None


def logical_not(input, *, out=None):
    return _out(_make(np.logical_not(input._data)), out, "logical_not")


def logical_and(input, other, *, out=None):
    return _out(_make(_logical(np.logical_and, input, other)), out, "logical_and")


def logical_or(input, other, *, out=None):
    return _out(_make(_logical(np.logical_or, input, other)), out, "logical_or")


def logical_xor(input, other, *, out=None):
    return _out(_make(_logical(np.logical_xor, input, other)), out, "logical_xor")


def _bitwise(fn, sym):
    def op(input, other, *, out=None):
        if not isinstance(input, Tensor):
            input, other = other, input
        ops = operands(input, other)
        if ops is None:
            return NotImplemented
        if ops[2].is_floating_point:
            raise _not_implemented(ops[2], f"{sym}_cpu")
        try:
            r = fn(ops[0], ops[1])
        except ValueError:
            raise broadcast_error(np.shape(ops[0]), np.shape(ops[1])) from None
        return _out(_make(r), out, sym)

    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input, *, out=None):
    if input.dtype.is_floating_point:
        raise _not_implemented(input.dtype, "bitwise_not_cpu")
    return _out(_make(np.invert(input._data)), out, "bitwise_not")


def isnan(input):
    return _make(np.isnan(input._data))


def isinf(input):
    return _make(np.isinf(input._data))


def isfinite(input):
    return _make(np.isfinite(input._data))


# ----------------------------------------------------------------------------
# more unary math: exponentials, logarithms, trigonometry, error functions
#
# Integer and bool inputs give the default float dtype (``float_array``). The
# backward formulas are torch's (tools/autograd/derivatives.yaml).

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_DEG2RAD = math.pi / 180.0
_RAD2DEG = 180.0 / math.pi
_SQRT_PI_2 = math.sqrt(math.pi) / 2.0
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_f64 = np.dtype(np.float64)


def _zeros_grad(g):
    """torch's ``zeros_like(grad)``: a constant, so inf or nan in ``g`` stays out."""
    return _make(np.zeros_like(g._data))


def _via_float64(fn):
    """``fn`` computed in float64 (accurate to an ulp there) and rounded once to the
    input's dtype."""

    def f(a):
        r = fn(a.astype(np.float64, copy=False))
        return r if a.dtype == _f64 else r.astype(a.dtype)

    return f


class Exp2Backward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * r * _LN2,)


def exp2(input, *, out=None):
    """2 raised to each element."""
    return _out(_unary_float(input, np.exp2, Exp2Backward0, "out"), out, "exp2")


class Expm1Backward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * (r + 1),)


def expm1(input, *, out=None):
    """``exp(x) - 1``, accurate for small ``x``."""
    return _out(_unary_float(input, np.expm1, Expm1Backward0, "out"), out, "expm1")


class Log2Backward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / (x * _LN2),)


def log2(input, *, out=None):
    """Base-2 logarithm."""
    return _out(_unary_float(input, np.log2, Log2Backward0, "in"), out, "log2")


class Log10Backward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / (x * _LN10),)


def log10(input, *, out=None):
    """Base-10 logarithm."""
    return _out(_unary_float(input, np.log10, Log10Backward0, "in"), out, "log10")


class Log1PBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / (x + 1),)


def log1p(input, *, out=None):
    """``log(1 + x)``, accurate for small ``x``."""
    return _out(_unary_float(input, np.log1p, Log1PBackward0, "in"), out, "log1p")


class TanBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * (r * r + 1),)


def tan(input, *, out=None):
    """Tangent."""
    return _out(_unary_float(input, np.tan, TanBackward0, "out"), out, "tan")


class AsinBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * rsqrt(-x * x + 1),)


def asin(input, *, out=None):
    """Inverse sine."""
    return _out(_unary_float(input, np.arcsin, AsinBackward0, "in"), out, "asin")


class AcosBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * -rsqrt(-x * x + 1),)


def acos(input, *, out=None):
    """Inverse cosine."""
    return _out(_unary_float(input, np.arccos, AcosBackward0, "in"), out, "acos")


class AtanBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / (x * x + 1),)


def atan(input, *, out=None):
    """Inverse tangent."""
    return _out(_unary_float(input, np.arctan, AtanBackward0, "in"), out, "atan")


class SinhBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * cosh(x),)


def sinh(input, *, out=None):
    """Hyperbolic sine."""
    return _out(_unary_float(input, np.sinh, SinhBackward0, "in"), out, "sinh")


class CoshBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * sinh(x),)


def cosh(input, *, out=None):
    """Hyperbolic cosine."""
    return _out(_unary_float(input, np.cosh, CoshBackward0, "in"), out, "cosh")


class AsinhBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * rsqrt(x * x + 1),)


def asinh(input, *, out=None):
    """Inverse hyperbolic sine."""
    return _out(_unary_float(input, np.arcsinh, AsinhBackward0, "in"), out, "asinh")


class AcoshBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * rsqrt(x * x - 1),)


def acosh(input, *, out=None):
    """Inverse hyperbolic cosine."""
    return _out(_unary_float(input, np.arccosh, AcoshBackward0, "in"), out, "acosh")


class AtanhBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * (1 / (1 - x * x)),)


def atanh(input, *, out=None):
    """Inverse hyperbolic tangent."""
    return _out(_unary_float(input, np.arctanh, AtanhBackward0, "in"), out, "atanh")


arcsin = asin
arccos = acos
arctan = atan
arcsinh = asinh
arccosh = acosh
arctanh = atanh


class Deg2RadBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (g * _DEG2RAD,)


def deg2rad(input, *, out=None):
    """Degrees to radians: ``input * pi / 180``."""
    return _out(
        _unary_float(input, lambda a: a * _DEG2RAD, Deg2RadBackward0, None), out, "deg2rad"
    )


class Rad2DegBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (g * _RAD2DEG,)


def rad2deg(input, *, out=None):
    """Radians to degrees: ``input * 180 / pi``."""
    return _out(
        _unary_float(input, lambda a: a * _RAD2DEG, Rad2DegBackward0, None), out, "rad2deg"
    )


class LogitBackward0(Node):
    __slots__ = ("eps",)

    def apply(self, g):
        (x,) = self.saved()
        eps = self.eps
        d = g / (x * (1 - x))
        if _state.enabled:  # create_graph: torch's infinitely differentiable formula
            if eps is None:
                return (where((x >= 0.0) & (x <= 1.0), d, math.nan),)
            return (where((x >= eps) & (x <= 1.0 - eps), d, 0.0),)
        # torch's logit_backward kernel: dy * inf at 0 and 1; a negative eps is no eps
        d = where((x == 0.0) | (x == 1.0), g * math.inf, d)
        if eps is None or eps < 0:
            return (where((x < 0.0) | (x > 1.0), math.nan, d),)
        t = x._data.dtype.type
        return (where((x < eps) | (x > float(t(1) - t(eps))), 0.0, d),)


def logit(input, eps=None, *, out=None):
    """``log(p / (1 - p))``; with ``eps`` (not negative), ``p`` is first clamped to
    ``[eps, 1 - eps]``."""
    if eps is None or eps < 0:

        def fn(a):
            return np.log(a / (a.dtype.type(1) - a))

    else:

        def fn(a):
            one = a.dtype.type(1)
            lo = a.dtype.type(eps)
            hi = one - lo
            a = np.where(a < lo, lo, np.where(a > hi, hi, a))  # torch's order: lo wins
            return np.log(a / (one - a))

    res = _unary_float(input, fn, LogitBackward0, "in")
    if res.grad_fn is not None:
        res.grad_fn.eps = None if eps is None else float(eps)
    return _out(res, out, "logit")


# erfc: Cephes' rational approximations (ndtr.c, S. L. Moshier) for x >= 1, with
# exp(-x^2) computed without the rounding error of x^2; 1 - erf(x) below 1.
_ERFC_P = (
    2.46196981473530512524e-10,
    5.64189564831068821977e-1,
    7.46321056442269912687e0,
    4.86371970985681366614e1,
    1.96520832956077098242e2,
    5.26445194995477358631e2,
    9.34528527171957607540e2,
    1.02755188689515710272e3,
    5.57535335369399327526e2,
)
_ERFC_Q = (
    1.0,
    1.32281951154744992508e1,
    8.67072140885989742329e1,
    3.54937778887819891062e2,
    9.75708501743205489753e2,
    1.82390916687909736289e3,
    2.24633760818710981792e3,
    1.65666309194161350182e3,
    5.57535340817727675546e2,
)
_ERFC_R = (
    5.64189583547755073984e-1,
    1.27536670759978104416e0,
    5.01905042251180477414e0,
    6.16021097993053585195e0,
    7.40974269950448939160e0,
    2.97886665372100240670e0,
)
_ERFC_S = (
    1.0,
    2.26052863220117276590e0,
    9.39603524938001434673e0,
    1.20489539808096656605e1,
    1.70814450747565897222e1,
    9.60896809063285878198e0,
    3.36907645100081516050e0,
)
_ERFC_UNDERFLOW = 27.3  # erfc(x) is below the smallest float64 beyond this


def _polyval(coefs, x):
    r = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        r *= x
        r += c
    return r


def _exp_neg_square(x):
    """``exp(-x*x)`` for float64 ``x >= 0`` to about an ulp: ``x = m + f`` with ``m`` a
    multiple of 1/128, so ``m*m`` is exact and ``x*x - m*m = (2m + f) f`` is small."""
    m = np.floor(x * 128.0 + 0.5) * (1.0 / 128.0)
    f = x - m
    return np.exp(-m * m) * np.exp(-(2.0 * m + f) * f)


def _erfc_pos(x):
    """erfc of float64 ``x >= 1`` (or nan)."""
    e = _exp_neg_square(np.minimum(x, _ERFC_UNDERFLOW))
    mid = x < 8.0
    p = np.where(mid, _polyval(_ERFC_P, x) / _polyval(_ERFC_Q, x), 0.0)
    far = ~mid
    if far.any():
        xf = np.where(far, x, 8.0)
        p = np.where(far, _polyval(_ERFC_R, xf) / _polyval(_ERFC_S, xf), p)
    return np.where(x > _ERFC_UNDERFLOW, 0.0, e * p)


def _erfc64(a):
    """erfc of a float64 array."""
    from .activation import _erf_array

    x = np.abs(a)
    big = x >= 1.0  # nan is not big: 1 - erf(nan) is nan
    if not big.any():
        return 1.0 - _erf_array(a)
    y = _erfc_pos(np.where(big, x, 1.0))
    y = np.where(a < 0, 2.0 - y, y)
    if big.all():
        return y
    return np.where(big, y, 1.0 - _erf_array(np.where(big, 0.0, a)))


class ErfcBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * (exp(x * x * -1.0) * -_TWO_OVER_SQRT_PI),)


def erfc(input, *, out=None):
    """The complementary error function ``1 - erf(x)``, accurate where it is small."""
    return _out(_unary_float(input, _via_float64(_erfc64), ErfcBackward0, "in"), out, "erfc")


# erfinv: Giles' single-precision approximation ("Approximating the erfinv function",
# GPU Computing Gems, 2011) as a start (an asymptotic one beyond its range, where
# 1 - |y| < 1e-7), then, in float64: for |y| <= 0.5, two Halley steps on erf(x) = |y|
# (each cubes the relative error); above, three Newton steps on log(erfc(x)) = log(1 - |y|),
# nearly quadratic in x and with 1 - |y| exact there. The result is as accurate as erf and
# erfc.
_GILES_CENTRAL = (
    2.81022636e-08,
    3.43273939e-07,
    -3.5233877e-06,
    -4.39150654e-06,
    0.00021858087,
    -0.00125372503,
    -0.00417768164,
    0.246640727,
    1.50140941,
)
_GILES_TAIL = (
    -0.000200214257,
    0.000100950558,
    0.00134934322,
    -0.00367342844,
    0.00573950773,
    -0.0076224613,
    0.00943887047,
    1.00167406,
    2.83297682,
)


def _erfinv_start(a, q):
    """Giles' approximation of erfinv(a) for 0 <= a < 1, ``q = 1 - a``."""
    w = -np.log(q * (1.0 + a))
    x = np.where(
        w < 5.0,
        _polyval(_GILES_CENTRAL, w - 2.5),
        _polyval(_GILES_TAIL, np.sqrt(np.clip(w, 5.0, 16.0)) - 3.0),
    )
    x *= a
    far = w >= 16.0
    if far.any():  # erfc(x) ~ exp(-x^2) / (x sqrt(pi))
        x0 = np.sqrt(-np.log(q))
        x = np.where(far, np.sqrt(-np.log(q) - np.log(x0 * math.sqrt(math.pi))), x)
    return x


def _erfinv64(y):
    """erfinv of a float64 array."""
    from .activation import _erf_array

    a = np.abs(y)
    x = np.full_like(a, math.nan)  # |y| > 1 and nan
    inner = a <= 0.5
    if inner.any():
        ai = a[inner]
        xi = _erfinv_start(ai, 1.0 - ai)
        for _ in range(2):
            u = (_erf_array(xi) - ai) / (_exp_neg_square(xi) * _TWO_OVER_SQRT_PI)
            xi -= u / (1.0 + xi * u)
        x[inner] = xi
    tail = (a > 0.5) & (a < 1.0)
    if tail.any():
        q = 1.0 - a[tail]
        lq = np.log(q)
        xt = _erfinv_start(a[tail], q)
        for _ in range(3):
            e = _erfc64(xt)
            xt += (np.log(e) - lq) * e / (_exp_neg_square(xt) * _TWO_OVER_SQRT_PI)
        x[tail] = xt
    x[a == 1.0] = math.inf
    return np.copysign(x, y)


class ErfinvBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * (exp(r * r) * _SQRT_PI_2),)


def erfinv(input, *, out=None):
    """The inverse error function: ``erf(erfinv(y)) = y`` for ``-1 <= y <= 1``."""
    return _out(
        _unary_float(input, _via_float64(_erfinv64), ErfinvBackward0, "out"), out, "erfinv"
    )


# ----------------------------------------------------------------------------
# rounding, sign and friends (integers pass through unchanged)


class FloorBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (_zeros_grad(g),)


class CeilBackward0(FloorBackward0):
    __slots__ = ()


class TruncBackward0(FloorBackward0):
    __slots__ = ()


class RoundBackward0(FloorBackward0):
    __slots__ = ()


class RoundBackward1(FloorBackward0):
    __slots__ = ()


def _rounding(input, fn, node_cls, kernel, out, name):
    """A rounding function: floats rounded by ``fn``, integers copied; bool refused."""
    dt = input.dtype
    if dt is _bool:
        raise _not_implemented(dt, kernel)
    a = input._data
    res = _make(fn(a) if dt.is_floating_point else a.copy())
    if _state.enabled and input._requires_grad:
        _record(node_cls(), res, input)
    return _out(res, out, name)


def floor(input, *, out=None):
    """The largest integer not above each element."""
    return _rounding(input, np.floor, FloorBackward0, "floor_vml_cpu", out, "floor")


def ceil(input, *, out=None):
    """The smallest integer not below each element."""
    return _rounding(input, np.ceil, CeilBackward0, "ceil_vml_cpu", out, "ceil")


def trunc(input, *, out=None):
    """Round towards zero."""
    return _rounding(input, np.trunc, TruncBackward0, "trunc_vml_cpu", out, "trunc")


fix = trunc


def round(input, *, decimals=None, out=None):
    """Round half to even; with ``decimals``, to that many decimal places (negative:
    to tens, hundreds...), as ``rint(x * 10**d) / 10**d`` in the input's dtype."""
    if decimals is None:
        return _rounding(input, np.rint, RoundBackward0, "round_vml_cpu", out, "round")
    decimals = operator.index(decimals)
    dt = input.dtype
    if not dt.is_floating_point:
        raise _not_implemented(dt, "round_vml_cpu" if decimals == 0 else "round_cpu")
    if decimals == 0:
        fn = np.rint
    else:

        def fn(a):
            t = a.dtype.type(10.0 ** builtins.abs(decimals))
            if decimals > 0:
                return np.rint(a * t) / t
            return np.rint(a / t) * t

    return _rounding(input, fn, RoundBackward1, "round_cpu", out, "round")


class FracBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


def frac(input, *, out=None):
    """The fractional part ``x - trunc(x)``, with the sign of ``x``."""
    dt = input.dtype
    if not dt.is_floating_point:
        raise _not_implemented(dt, "frac_cpu")
    a = input._data
    res = _make(a - np.trunc(a))
    if _state.enabled and input._requires_grad:
        _record(FracBackward0(), res, input)
    return _out(res, out, "frac")


class SgnBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (_zeros_grad(g),)


def sgn(input, *, out=None):
    """The sign of each element (for real tensors the same as ``sign``)."""
    res = _sign_result(input)
    if _state.enabled and input._requires_grad:
        _record(SgnBackward0(), res, input)
    return _out(res, out, "sgn")


def positive(input):
    """``input`` itself (``+input``); refused for bool tensors, as in torch."""
    if input.dtype is _bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


class NanToNumBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * isfinite(x),)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace nan, +inf and -inf by ``nan``, ``posinf`` and ``neginf`` (by default
    zero and the dtype's largest and lowest finite values)."""
    a = input._data
    if input.dtype.is_floating_point:
        info = np.finfo(a.dtype)
        t = a.dtype.type
        r = a.copy()
        r[np.isnan(a)] = t(nan)
        r[a == np.inf] = info.max if posinf is None else t(posinf)
        r[a == -np.inf] = info.min if neginf is None else t(neginf)
    else:
        r = a.copy()
    res = _make(r)
    if _state.enabled and input._requires_grad:
        node = NanToNumBackward0()
        node.save(input)
        _record(node, res, input)
    return _out(res, out, "nan_to_num")


def signbit(input, *, out=None):
    """True where the sign bit is set (negative numbers, -0.0, negative nan)."""
    a = input._data
    if input.dtype.is_floating_point:
        r = np.signbit(a)
    elif input.is_signed:
        r = a < 0
    else:
        r = np.zeros(a.shape, np.bool_)
    return _out(_make(r), out, "signbit")


def isposinf(input, *, out=None):
    """True where the element is +inf."""
    a = input._data
    r = np.isposinf(a) if input.dtype.is_floating_point else np.zeros(a.shape, np.bool_)
    return _out(_make(r), out, "isposinf")


def isneginf(input, *, out=None):
    """True where the element is -inf."""
    a = input._data
    r = np.isneginf(a) if input.dtype.is_floating_point else np.zeros(a.shape, np.bool_)
    return _out(_make(r), out, "isneginf")


def isreal(input):
    """True everywhere: torchless tensors are real."""
    return _make(np.ones(input._data.shape, np.bool_))


# ----------------------------------------------------------------------------
# more binary math


def _need_tensor(x, name, arg, pos):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}"
        )


def _tensor_method(fn, name=None, arg="other"):
    """The Tensor method of a function that takes two tensors: torch counts the
    argument after ``self`` as position 1 in its type error."""
    name = name or fn.__name__

    def method(self, other, *args, **kwargs):
        _need_tensor(other, name, arg, 1)
        return fn(self, other, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = fn.__doc__
    return method


def _two_tensors(input, other, name, arg="other"):
    """Operands of a function that takes only tensors, promoted together."""
    _need_tensor(input, name, "input", 1)
    _need_tensor(other, name, arg, 2)
    return operands(input, other)


def _to_float(ad, bd, rd, bt):
    """Promoted operands of a float-valued function: integers and bools go to the
    default float dtype (a scalar operand stays a Python number)."""
    if rd.is_floating_point:
        return ad, bd, rd
    rd = D._default.dtype
    return ad.astype(rd.np), (bd.astype(rd.np) if bt is not None else bd), rd


def _apply2(fn, ad, bd):
    try:
        return fn(ad, bd)
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None


class Atan2Backward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        d = a * a + b * b
        recip = where(d == 0, 0.0, reciprocal(d))
        ga = g * b * recip if nf[0][0] is not None else None
        gb = g * -a * recip if nf[1][0] is not None else None
        return ga, gb


def atan2(input, other, *, out=None):
    """The angle of the point ``(other, input)``: ``atan(input / other)`` in the right
    quadrant."""
    return _atan2(input, other, out, "atan2")


def arctan2(input, other, *, out=None):
    """Alias of ``atan2``."""
    return _atan2(input, other, out, "arctan2")


def _atan2(input, other, out, name):
    ad, bd, rd, bt = _two_tensors(input, other, name)
    ad, bd, rd = _to_float(ad, bd, rd, bt)
    res = _make(_apply2(np.arctan2, ad, bd))
    if _grad_on(input, bt):
        node = Atan2Backward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out, name)


class HypotBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        r = hypot(a, b)
        nf = self.next_functions
        ga = g * a / r if nf[0][0] is not None else None
        gb = g * b / r if nf[1][0] is not None else None
        return ga, gb


def hypot(input, other, *, out=None):
    """``sqrt(input**2 + other**2)`` without overflow or underflow on the way."""
    ad, bd, rd, bt = _two_tensors(input, other, "hypot")
    if not rd.is_floating_point:
        raise _not_implemented(rd, "hypot_cpu")
    res = _make(_apply2(np.hypot, ad, bd))
    if _grad_on(input, bt):
        node = HypotBackward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out, "hypot")


class LogaddexpBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        ga = g / (exp(b - a) + 1) if nf[0][0] is not None else None
        gb = g / (exp(a - b) + 1) if nf[1][0] is not None else None
        return ga, gb


class Logaddexp2Backward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        ga = g / (_rpow(b - a, 2.0) + 1) if nf[0][0] is not None else None
        gb = g / (_rpow(a - b, 2.0) + 1) if nf[1][0] is not None else None
        return ga, gb


def _binary_saving_inputs(input, other, out, name, fn, node_cls, float_only=False):
    """A two-tensor op whose backward needs both inputs."""
    ad, bd, rd, bt = _two_tensors(input, other, name)
    if float_only and not rd.is_floating_point:
        raise _not_implemented(rd, f"{name}_cpu")
    res = _make(_apply2(fn, ad, bd))
    if _grad_on(input, bt):
        node = node_cls()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out, name)


def logaddexp(input, other, *, out=None):
    """``log(exp(input) + exp(other))`` without overflow."""
    return _binary_saving_inputs(
        input, other, out, "logaddexp", np.logaddexp, LogaddexpBackward0, float_only=True
    )


def logaddexp2(input, other, *, out=None):
    """``log2(2**input + 2**other)`` without overflow."""
    return _binary_saving_inputs(
        input, other, out, "logaddexp2", np.logaddexp2, Logaddexp2Backward0, float_only=True
    )


class FmaxBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        take_a = (a >= b) | isnan(b)  # ties and a nan ``other`` go to ``input``
        ga = where(take_a, g, 0.0) if nf[0][0] is not None else None
        gb = where(take_a, 0.0, g) if nf[1][0] is not None else None
        return ga, gb


class FminBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        take_a = (a <= b) | isnan(b)
        ga = where(take_a, g, 0.0) if nf[0][0] is not None else None
        gb = where(take_a, 0.0, g) if nf[1][0] is not None else None
        return ga, gb


def fmax(input, other, *, out=None):
    """Elementwise maximum that ignores nan (nan only where both are nan)."""
    return _binary_saving_inputs(input, other, out, "fmax", np.fmax, FmaxBackward0)


def fmin(input, other, *, out=None):
    """Elementwise minimum that ignores nan (nan only where both are nan)."""
    return _binary_saving_inputs(input, other, out, "fmin", np.fmin, FminBackward0)


class CopysignBackward0(Node):
    """copysign(tensor, tensor): the sign source gets a zero gradient."""

    __slots__ = ()

    def apply(self, g):
        x, y = self.saved()
        r = copysign(x, y)  # torch's ratio result / self, nan where self is inf or nan
        nf = self.next_functions
        gx = g * where(x == 0, 0.0, r / x) if nf[0][0] is not None else None
        gy = _zeros_grad(g) if nf[1][0] is not None else None
        return gx, gy


class CopysignBackward1(Node):
    """copysign(tensor, scalar)."""

    __slots__ = ("scalar",)

    def apply(self, g):
        (x,) = self.saved()
        r = copysign(x, self.scalar)
        return (g * where(x == 0, 0.0, r / x),)


def copysign(input, other, *, out=None):
    """``|input|`` with the sign of ``other`` (a tensor or a number)."""
    if not isinstance(input, Tensor):
        raise _invalid_args(
            "copysign",
            (input, other),
            [
                "Tensor input, Tensor other, *, Tensor out = None",
                "Tensor input, Number other, *, Tensor out = None",
            ],
        )
    ops = operands(input, other)
    if ops is None:
        raise _invalid_args(
            "copysign",
            (input, other),
            [
                "Tensor input, Tensor other, *, Tensor out = None",
                "Tensor input, Number other, *, Tensor out = None",
            ],
        )
    ad, bd, rd = _to_float(*ops)
    bt = ops[3]
    res = _make(_apply2(np.copysign, ad, bd))
    if _grad_on(input, bt):
        if bt is None:
            node = CopysignBackward1()
            node.scalar = other
            node.save(input)
            _record(node, res, input)
        else:
            node = CopysignBackward0()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out, "copysign")


def _xlogy_array(x, y, dt):
    # torch: nan where y is nan, else 0 where x is 0, else x * log(y); numbers are cast
    # to the result dtype first
    x, y = np.asarray(x, dtype=dt), np.asarray(y, dtype=dt)
    r = np.multiply(x, np.log(y))
    r = np.where(x == 0, 0, r)
    return np.where(np.isnan(y), y, r).astype(dt, copy=False)


class XlogyBackward0(Node):
    """xlogy(tensor, tensor)."""

    __slots__ = ()

    def apply(self, g):
        x, y = self.saved()
        nf = self.next_functions
        gx = gy = None
        if nf[0][0] is not None:
            gx = where((x == 0.0) & (y <= 0.0), 0.0, xlogy(g, y))
        if nf[1][0] is not None:
            gy = g * x / y
        return gx, gy


class XlogyBackward1(Node):
    """xlogy(scalar, tensor)."""

    __slots__ = ("scalar",)

    def apply(self, g):
        (y,) = self.saved()
        return (g * self.scalar / y,)


class XlogyBackward2(Node):
    """xlogy(tensor, scalar)."""

    __slots__ = ("scalar",)

    def apply(self, g):
        (x,) = self.saved()
        y = self.scalar
        gx = xlogy(g, y)
        if y <= 0:
            gx = where(x == 0.0, 0.0, gx)
        return (gx,)


def xlogy(input, other, *, out=None):
    """``input * log(other)``, zero where ``input`` is zero (unless ``other`` is nan).
    Either may be a number."""
    sigs = [
        "Tensor input, Tensor other, *, Tensor out = None",
        "Number self, Tensor other, *, Tensor out = None",
        "Tensor input, Number other, *, Tensor out = None",
    ]
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            raise _invalid_args("xlogy", (input, other), sigs)
        ops = operands(other, input)
        if ops is None:
            raise _invalid_args("xlogy", (input, other), sigs)
        bd, ad, rd = _to_float(*ops)
        res = _make(_apply2(lambda x, y: _xlogy_array(x, y, rd.np), ad, bd))
        if _grad_on(other):
            node = XlogyBackward1()
            node.scalar = input
            node.save(other)
            _record(node, res, other)
        return _out(res, out, "xlogy")
    ops = operands(input, other)
    if ops is None:
        raise _invalid_args("xlogy", (input, other), sigs)
    ad, bd, rd = _to_float(*ops)
    bt = ops[3]
    res = _make(_apply2(lambda x, y: _xlogy_array(x, y, rd.np), ad, bd))
    if _grad_on(input, bt):
        if bt is None:
            node = XlogyBackward2()
            node.scalar = other
            node.save(input)
            _record(node, res, input)
        else:
            node = XlogyBackward0()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out, "xlogy")


def heaviside(input, values, *, out=None):
    """The step function: 0 below zero, 1 above, ``values`` at zero (no derivative)."""
    _need_tensor(input, "heaviside", "input", 1)
    _need_tensor(values, "heaviside", "values", 2)
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    a, v = input._data, values._data
    r = _apply2(lambda a, v: np.where(a == 0, v, a > 0), a, v).astype(a.dtype, copy=False)
    res = _make(r)
    if _grad_on(input, values):
        grads = [t for t in (input, values) if t._requires_grad]
        _record_not_implemented("heaviside", res, *grads)
    return _out(res, out, "heaviside")


def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in float64 (both converted first)."""
    if isinstance(exponent, Tensor):
        if exponent.dtype is not D.float64:
            exponent = to_copy(exponent, D.float64)
    elif not isinstance(input, Tensor):
        raise _invalid_args(
            "float_power",
            (input, exponent),
            [
                "Tensor input, Tensor exponent, *, Tensor out = None",
                "Number self, Tensor exponent, *, Tensor out = None",
                "Tensor input, Number exponent, *, Tensor out = None",
            ],
        )
    else:
        exponent = float(exponent)
    if isinstance(input, Tensor):
        if input.dtype is not D.float64:
            input = to_copy(input, D.float64)
        return pow(input, exponent, out=out)
    return _out(_rpow(exponent, float(input)), out, "float_power")


def _float_power_(self, exponent):
    if self.dtype is not D.float64:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {_short(self.dtype)} but the "
            "operation's result requires dtype Double"
        )
    return apply_inplace(self, float_power, exponent)


# ----------------------------------------------------------------------------
# lerp, addcmul, addcdiv: torch's CPU kernels fuse the multiply-add; the arithmetic, with
# torch's rounding, is in torchless/_fma.py (which the optimizers' updates also run).

_CPP_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _short(dt):
    """The scalar type name of torch's messages: Float, Long, Bool..."""
    return dt._legacy[:-6]


def _type_name(x):
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _invalid_args(name, args, sigs):
    """torch's type error for arguments that match no signature of ``name``."""
    got = ", ".join(_type_name(a) for a in args)
    lines = "".join(f" * ({s})\n" for s in sigs)
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected "
        f"one of:\n{lines}"
    )


class LerpBackward0(Node):
    """lerp with a scalar weight."""

    __slots__ = ("weight",)

    def apply(self, g):
        w = self.weight
        nf = self.next_functions
        gs = g * (1 - w) if nf[0][0] is not None else None
        ge = g * w if nf[1][0] is not None else None
        return gs, ge


class LerpBackward1(Node):
    """lerp with a tensor weight."""

    __slots__ = ()

    def apply(self, g):
        s, e, w = self.saved()
        nf = self.next_functions
        gs = g * (1 - w) if nf[0][0] is not None else None
        ge = g * w if nf[1][0] is not None else None
        gw = g * (e - s) if nf[2][0] is not None else None
        return gs, ge, gw


def lerp(input, end, weight, *, out=None):
    """``input + weight * (end - input)``; ``weight`` a number or a tensor, all
    broadcast together. ``input`` and ``end`` (and a weight with dims) share a dtype."""
    from .._fma import lerp as lerp_arrays

    scalar_w = not isinstance(weight, Tensor)
    if (
        not isinstance(input, Tensor)
        or not isinstance(end, Tensor)
        or (scalar_w and (isinstance(weight, str) or not isinstance(weight, (int, float))))
    ):
        raise _invalid_args(
            "lerp",
            (input, end, weight),
            [
                "Tensor input, Tensor end, Tensor weight, *, Tensor out = None",
                "Tensor input, Tensor end, Number weight, *, Tensor out = None",
            ],
        )
    dt = input.dtype
    for t, arg in ((end, "end"), (weight, "weight")):
        if isinstance(t, Tensor) and t.dtype is not dt and (arg == "end" or t._data.ndim):
            raise RuntimeError(
                f"expected dtype {_CPP_NAMES[dt.name]} for `{arg}` but got dtype "
                f"{_CPP_NAMES[t.dtype.name]}"
            )
    if not dt.is_floating_point:
        raise _not_implemented(dt, "lerp_kernel_scalar" if scalar_w else "lerp_kernel_tensor")
    s, e = input._data, end._data
    w = weight if scalar_w else weight._data
    shapes = [s.shape, e.shape] + ([] if scalar_w else [w.shape])
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise broadcast_error(*shapes) from None
    if s.shape != shape:
        s = np.broadcast_to(s, shape)
    if e.shape != shape:
        e = np.broadcast_to(e, shape)
    res = _make(np.asarray(lerp_arrays(s, e, w)))
    if scalar_w:
        if _grad_on(input, end):
            node = LerpBackward0()
            node.weight = weight
            _record(node, res, input, end)
    elif _grad_on(input, end, weight):
        node = LerpBackward1()
        node.save(input, end, weight)
        _record(node, res, input, end, weight)
    return _out(res, out, "lerp")


def _addc_method(fn):
    """The Tensor method of addcmul/addcdiv (its type errors count from ``tensor1``)."""
    name = fn.__name__

    def method(self, tensor1, tensor2, *, value=1):
        _need_tensor(tensor1, name, "tensor1", 1)
        _need_tensor(tensor2, name, "tensor2", 2)
        return fn(self, tensor1, tensor2, value=value)

    method.__name__ = name
    method.__doc__ = fn.__doc__
    return method


def _three(input, tensor1, tensor2, name):
    _need_tensor(input, name, "input", 1)
    _need_tensor(tensor1, name, "tensor1", 2)
    _need_tensor(tensor2, name, "tensor2", 3)
    rd = D.result_type(input, tensor1, tensor2)
    shapes = (input._data.shape, tensor1._data.shape, tensor2._data.shape)
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise broadcast_error(*shapes) from None
    return rd, *(t._data.astype(rd.np, copy=False) for t in (input, tensor1, tensor2))


class AddcmulBackward0(Node):
    __slots__ = ("value",)

    def apply(self, g):
        t1, t2 = self.saved()
        v = self.value
        nf = self.next_functions
        g1 = g * (t2 * v) if nf[1][0] is not None else None
        g2 = g * (t1 * v) if nf[2][0] is not None else None
        return g, g1, g2


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2``."""
    from .._fma import addcmul as addcmul_arrays

    rd, a, b, c = _three(input, tensor1, tensor2, "addcmul")
    if rd is _bool:
        raise _not_implemented(rd, "addcmul_cpu_out")
    if rd.is_floating_point:
        r = addcmul_arrays(a, b, c, value)
    else:
        v = np.asarray(int(value), dtype=np.int64).astype(rd.np)  # wraps, as torch casts
        r = a + v * b * c
    res = _make(np.asarray(r, dtype=rd.np))
    if _grad_on(input, tensor1, tensor2):
        node = AddcmulBackward0()
        node.value = value
        node.save(tensor1 if tensor2._requires_grad else None, tensor2)
        _record(node, res, input, tensor1, tensor2)
    return _out(res, out, "addcmul")


class AddcdivBackward0(Node):
    __slots__ = ("value",)

    def apply(self, g):
        t1, t2 = self.saved()
        v = self.value
        nf = self.next_functions
        g1 = g * (v / t2) if nf[1][0] is not None else None
        g2 = -g * (v * t1 / (t2 * t2)) if nf[2][0] is not None else None
        return g, g1, g2


_ADDCDIV_INT = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
    "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
    "tensor2), for all dtypes."
)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2``."""
    from .._fma import addcdiv as addcdiv_arrays

    for i, (t, arg) in enumerate(((input, "input"), (tensor1, "tensor1"), (tensor2, "tensor2"))):
        _need_tensor(t, "addcdiv", arg, i + 1)
    if not tensor1.dtype.is_floating_point and not tensor2.dtype.is_floating_point:
        raise RuntimeError(_ADDCDIV_INT)
    rd, a, b, c = _three(input, tensor1, tensor2, "addcdiv")
    res = _make(np.asarray(addcdiv_arrays(a, b, c, value), dtype=a.dtype))
    if _grad_on(input, tensor1, tensor2):
        node = AddcdivBackward0()
        node.value = value
        node.save(tensor1 if tensor2._requires_grad else None, tensor2)
        _record(node, res, input, tensor1, tensor2)
    return _out(res, out, "addcdiv")


# ----------------------------------------------------------------------------
# clamp_min, clamp_max


class ClampMinBackward0(Node):
    __slots__ = ("bound",)

    def apply(self, g):
        (x,) = self.saved()
        return (where(x >= self.bound, g, 0.0),)


class ClampMaxBackward0(Node):
    __slots__ = ("bound",)

    def apply(self, g):
        (x,) = self.saved()
        return (where(x <= self.bound, g, 0.0),)


class ClampMinBackward1(Node):
    __slots__ = ()

    def apply(self, g):
        x, m = self.saved()
        nf = self.next_functions
        gx = where(x >= m, g, 0.0) if nf[0][0] is not None else None
        gm = where(x < m, g, 0.0) if nf[1][0] is not None else None
        return gx, gm


class ClampMaxBackward1(Node):
    __slots__ = ()

    def apply(self, g):
        x, m = self.saved()
        nf = self.next_functions
        gx = where(x <= m, g, 0.0) if nf[0][0] is not None else None
        gm = where(x > m, g, 0.0) if nf[1][0] is not None else None
        return gx, gm


def _clamp_one(input, bound, is_min, out):
    name = "clamp_min" if is_min else "clamp_max"
    arg = "min" if is_min else "max"
    if not isinstance(input, Tensor) or not (
        isinstance(bound, Tensor) or isinstance(bound, (int, float))
    ):
        raise _invalid_args(
            name,
            (input, bound),
            [
                f"Tensor input, Tensor {arg}, *, Tensor out = None",
                f"Tensor input, Number {arg}, *, Tensor out = None",
            ],
        )
    lo, hi = (bound, None) if is_min else (None, bound)
    res = clamp(
        input.detach(),
        lo.detach() if isinstance(lo, Tensor) else lo,
        hi.detach() if isinstance(hi, Tensor) else hi,
    )
    if _grad_on(input, bound if isinstance(bound, Tensor) else None):
        if isinstance(bound, Tensor):
            node = ClampMinBackward1() if is_min else ClampMaxBackward1()
            node.save(input, bound)
            _record(node, res, input, bound)
        else:
            node = ClampMinBackward0() if is_min else ClampMaxBackward0()
            node.bound = bound
            node.save(input)
            _record(node, res, input)
    return _out(res, out, name)


def clamp_min(input, min, *, out=None):
    """``max(input, min)`` elementwise (nan propagates)."""
    return _clamp_one(input, min, True, out)


def clamp_max(input, max, *, out=None):
    """``min(input, max)`` elementwise (nan propagates)."""
    return _clamp_one(input, max, False, out)


# ----------------------------------------------------------------------------
# shifts


def _shift_array(a, b, left):
    """torch's shifts: a shift by a negative amount or by the width or more gives 0
    (left) or the sign fill (right)."""
    b = np.asarray(b, dtype=a.dtype)
    bits = a.dtype.itemsize * 8
    signed = a.dtype.kind == "i"
    neg = (b.astype(np.int8) if a.dtype == np.uint8 else b) < 0
    if left:
        bad = neg | (b >= bits)
        r = np.left_shift(a, np.where(bad, 0, b))
        return np.where(bad, 0, r).astype(r.dtype, copy=False)
    top = bits - 1 if signed else bits
    bad = neg | (b >= top)
    r = np.right_shift(a, np.where(bad, bits - 1 if signed else 0, b))
    if not signed:
        r = np.where(bad, 0, r).astype(r.dtype, copy=False)
    return r


def _shift(input, other, left, out):
    name = "bitwise_left_shift" if left else "bitwise_right_shift"
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            return NotImplemented
        input = Tensor._scalar_like(input, other)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    if rd._cat != D._INT:
        raise _not_implemented(rd, "lshift_cpu" if left else "rshift_cpu")
    res = _make(_apply2(lambda a, b: _shift_array(a, b, left), ad, bd))
    return _out(res, out, name)


def bitwise_left_shift(input, other, *, out=None):
    """``input << other`` for integers (no wrap-around of the shift amount)."""
    return _shift(input, other, True, out)


def bitwise_right_shift(input, other, *, out=None):
    """``input >> other`` for integers, arithmetic (sign-filling) for signed types."""
    return _shift(input, other, False, out)


def _rlshift(self, other):
    return _shift(other, self, True, None)


def _rrshift(self, other):
    return _shift(other, self, False, None)


# ----------------------------------------------------------------------------
# closeness and equality


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` elementwise (infinities close to
    themselves; nan to nan only with ``equal_nan``)."""
    _need_tensor(input, "isclose", "input", 1)
    _need_tensor(other, "isclose", "other", 2)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_short(input.dtype)} did not match {_short(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol:g}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol:g}")
    a, b = input._data, other._data
    close = _apply2(np.equal, a, b)
    fp = input.dtype.is_floating_point
    if equal_nan and fp:
        close |= np.isnan(a) & np.isnan(b)
    if rtol == 0 and atol == 0:
        return _make(close)
    if fp:
        ft = a.dtype.type
        allowed = ft(atol) + np.abs(ft(rtol) * b)
        actual = np.abs(a - b)
    else:  # the difference in the default float dtype, not wrapping around
        fd = D._default.dtype.np
        ft = fd.type
        a, b = a.astype(fd), b.astype(fd)
        allowed = ft(atol) + np.abs(ft(rtol) * b)
        actual = np.abs(a - b)
    close |= np.isfinite(actual) & (actual <= allowed)
    return _make(close)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when every element of ``input`` is close to ``other`` (see ``isclose``)."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True when both have the same shape and the same values."""
    _need_tensor(input, "equal", "input", 1)
    _need_tensor(other, "equal", "other", 2)
    a, b = input._data, other._data
    if a.shape != b.shape:
        return False
    return builtins.bool(np.array_equal(a, b))


# ----------------------------------------------------------------------------
# casts


class ToCopyBackward0(Node):
    __slots__ = ("src_dtype",)

    def apply(self, g):
        return (g.to(self.src_dtype),)


def to_copy(input, dtype=None, device=None, copy=False):
    """Convert to ``dtype`` / ``device``; the same tensor if nothing changes
    and no copy is asked for."""
    from .._device import backend_for

    arr = input._data
    dev = input.device
    same_dev = device is None or device == dev
    if (dtype is None or dtype is input.dtype) and same_dev:
        if not copy:
            return input
        res = _make(arr.copy())
    else:
        if not same_dev:
            xp = backend_for(device)
            if device.type == "cpu":
                arr = input._host()
            else:
                with xp.cuda.Device(device.index or 0):
                    arr = xp.asarray(arr)
        if dtype is not None and dtype is not input.dtype:
            arr = arr.astype(dtype.np)
        elif arr is input._data:
            arr = arr.copy()
        res = _make(arr)
    if _grad_on(input):
        if not res.dtype.is_floating_point:
            return res
        node = ToCopyBackward0()
        node.src_dtype = input.dtype
        _record(node, res, input)
    return res


def _out(res, out, name):
    """Write into ``out=`` when given (torch's out argument); ``name`` is the
    op's name for torch's error message."""
    if out is None:
        return res
    from .inplace import copy_into_out

    return copy_into_out(out, res, name)


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "__add__": add,
    "__sub__": sub,
    "__mul__": mul,
    "__truediv__": div,
    "__pow__": pow,
    "__neg__": neg,
    "add": add,
    "sub": sub,
    "subtract": sub,
    "mul": mul,
    "multiply": mul,
    "div": div,
    "divide": div,
    "true_divide": div,
    "floor_divide": floor_divide,
    "remainder": remainder,
    "fmod": fmod,
    "pow": pow,
    "neg": neg,
    "negative": neg,
    "abs": abs,
    "absolute": abs,
    "reciprocal": reciprocal,
    "exp": exp,
    "log": log,
    "sqrt": sqrt,
    "rsqrt": rsqrt,
    "square": square,
    "sin": sin,
    "cos": cos,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "sign": sign,
    "clamp": clamp,
    "clip": clamp,
    "maximum": _tensor_method(maximum),
    "minimum": _tensor_method(minimum),
    "eq": eq,
    "ne": ne,
    "lt": lt,
    "le": le,
    "gt": gt,
    "ge": ge,
    "logical_not": logical_not,
    "logical_and": logical_and,
    "logical_or": logical_or,
    "logical_xor": logical_xor,
    "bitwise_not": bitwise_not,
    "bitwise_and": bitwise_and,
    "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor,
    "isnan": isnan,
    "isinf": isinf,
    "isfinite": isfinite,
    "exp2": exp2,
    "expm1": expm1,
    "log2": log2,
    "log10": log10,
    "log1p": log1p,
    "tan": tan,
    "asin": asin,
    "acos": acos,
    "atan": atan,
    "arcsin": arcsin,
    "arccos": arccos,
    "arctan": arctan,
    "sinh": sinh,
    "cosh": cosh,
    "asinh": asinh,
    "acosh": acosh,
    "atanh": atanh,
    "arcsinh": arcsinh,
    "arccosh": arccosh,
    "arctanh": arctanh,
    "deg2rad": deg2rad,
    "rad2deg": rad2deg,
    "logit": logit,
    "erfc": erfc,
    "erfinv": erfinv,
    "floor": floor,
    "ceil": ceil,
    "round": round,
    "trunc": trunc,
    "fix": fix,
    "frac": frac,
    "sgn": sgn,
    "nan_to_num": nan_to_num,
    "positive": positive,
    "signbit": signbit,
    "isposinf": isposinf,
    "isneginf": isneginf,
    "isreal": isreal,
    "copysign": copysign,
    "xlogy": xlogy,
    "float_power": float_power,
    "lerp": lerp,
    "addcmul": _addc_method(addcmul),
    "addcdiv": _addc_method(addcdiv),
    "clamp_min": clamp_min,
    "clamp_max": clamp_max,
    "bitwise_left_shift": bitwise_left_shift,
    "bitwise_right_shift": bitwise_right_shift,
    "atan2": _tensor_method(atan2),
    "arctan2": _tensor_method(arctan2),
    "hypot": _tensor_method(hypot),
    "logaddexp": _tensor_method(logaddexp),
    "logaddexp2": _tensor_method(logaddexp2),
    "fmax": _tensor_method(fmax),
    "fmin": _tensor_method(fmin),
    "isclose": _tensor_method(isclose),
    "allclose": _tensor_method(allclose),
    "equal": _tensor_method(equal),
    "heaviside": _tensor_method(heaviside, arg="values"),
    "exp2_": inplace_variant(exp2),
    "expm1_": inplace_variant(expm1),
    "log2_": inplace_variant(log2),
    "log10_": inplace_variant(log10),
    "log1p_": inplace_variant(log1p),
    "tan_": inplace_variant(tan),
    "asin_": inplace_variant(asin),
    "acos_": inplace_variant(acos),
    "atan_": inplace_variant(atan),
    "arcsin_": inplace_variant(arcsin),
    "arccos_": inplace_variant(arccos),
    "arctan_": inplace_variant(arctan),
    "sinh_": inplace_variant(sinh),
    "cosh_": inplace_variant(cosh),
    "asinh_": inplace_variant(asinh),
    "acosh_": inplace_variant(acosh),
    "atanh_": inplace_variant(atanh),
    "arcsinh_": inplace_variant(arcsinh),
    "arccosh_": inplace_variant(arccosh),
    "arctanh_": inplace_variant(arctanh),
    "deg2rad_": inplace_variant(deg2rad),
    "rad2deg_": inplace_variant(rad2deg),
    "logit_": inplace_variant(logit),
    "erfc_": inplace_variant(erfc),
    "erfinv_": inplace_variant(erfinv),
    "floor_": inplace_variant(floor),
    "ceil_": inplace_variant(ceil),
    "round_": inplace_variant(round),
    "trunc_": inplace_variant(trunc),
    "fix_": inplace_variant(fix),
    "frac_": inplace_variant(frac),
    "sgn_": inplace_variant(sgn),
    "nan_to_num_": inplace_variant(nan_to_num),
    "copysign_": inplace_variant(copysign),
    "xlogy_": inplace_variant(xlogy),
    "lerp_": inplace_variant(lerp),
    "addcmul_": inplace_variant(addcmul),
    "addcdiv_": inplace_variant(addcdiv),
    "clamp_min_": inplace_variant(clamp_min),
    "clamp_max_": inplace_variant(clamp_max),
    "bitwise_left_shift_": inplace_variant(bitwise_left_shift),
    "bitwise_right_shift_": inplace_variant(bitwise_right_shift),
    "atan2_": inplace_variant(atan2),
    "arctan2_": inplace_variant(arctan2),
    "hypot_": inplace_variant(hypot),
    "heaviside_": inplace_variant(heaviside),
    "float_power_": _float_power_,
    "__lshift__": bitwise_left_shift,
    "__rlshift__": _rlshift,
    "__ilshift__": inplace_variant(bitwise_left_shift),
    "__rshift__": bitwise_right_shift,
    "__rrshift__": _rrshift,
    "__irshift__": inplace_variant(bitwise_right_shift),
}
