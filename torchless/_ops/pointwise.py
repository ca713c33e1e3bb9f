"""Pointwise ops: arithmetic, comparisons, unary math, casts.

Each op is a forward on arrays plus the Node that differentiates it,
written with Tensor ops so that it has its own derivative.
"""

from __future__ import annotations

import builtins

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import _INT_RANGE, _wrap_int, broadcast_error, float_array, operands

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

    def name(self):
        return "torch::autograd::NotImplemented"

    def __repr__(self):
        return f"<NotImplemented object at {id(self):#x}>"

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
        return g, (g if a == 1 else g * a)


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
    if rd is _bool:
        raise _not_implemented(rd, "remainder_cpu")
    _int_zero_check(bd, rd)
    try:
        res = _make(np.remainder(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        if bt is None:
            _record(RemainderBackward0(), res, input)
        else:
            node = RemainderBackward1()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out, "remainder")


def _rremainder(t, scalar):
    """``scalar % t``: torch has no derivative for it."""
    ops = operands(t, scalar)
    if ops is None:
        return NotImplemented
    bd, ad, rd, bt = ops  # the scalar divides by the tensor
    if rd is _bool:
        raise _not_implemented(rd, "remainder_cpu")
    _int_zero_check(bd, rd)
    try:
        res = _make(np.remainder(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
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
    if rd is _bool:
        raise _not_implemented(rd, "fmod_cpu")
    _int_zero_check(bd, rd)
    try:
        res = _make(np.fmod(ad, bd))
    except ValueError:
        raise broadcast_error(np.shape(ad), np.shape(bd)) from None
    if _grad_on(input, bt):
        if bt is None:
            _record(FmodBackward0(), res, input)
        else:
            node = FmodBackward1()
            node.save(input, bt)
            _record(node, res, input, bt)
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


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element (gradient zero)."""
    if input.dtype is _bool:
        res = _make(input._data.copy())
    else:
        a = input._data
        r = np.asarray(np.sign(a))
        if a.dtype.kind == "f":
            np.putmask(r, r != r, 0)  # torch's sign(nan) is 0
        res = _make(r)
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
        # threshold_backward: zero where the output is <= 0 (nan passes)
        return (where(r <= 0, 0.0, g),)


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
    if (min is not None and type(min) is float) or (max is not None and type(max) is float):
        if not input.dtype.is_floating_point:
            a = float_array(input)
    elif input.dtype._cat == D._INT:
        # int bounds are cast to the dtype, wrapping as torch casts them
        lo, hi = _INT_RANGE[input.dtype]
        if min is not None and not lo <= min <= hi:
            min = _wrap_int(int(min), input.dtype)
        if max is not None and not lo <= max <= hi:
            max = _wrap_int(int(max), input.dtype)
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
    "maximum": maximum,
    "minimum": minimum,
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
}
