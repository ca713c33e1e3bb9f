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
from ._common import float_array, operands

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
    "to_copy",
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
    if a.dtype is _bool and (b.dtype is _bool if isinstance(b, Tensor) else type(b) is bool):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


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
    if alpha != 1:
        bd = bd * alpha
    res = _make(np.add(bd, ad) if _reverse else np.add(ad, bd))
    if _grad_on(input, bt):
        node = AddBackward0()
        node.alpha = alpha
        _record(node, res, input, bt)
    return _out(res, out)


class SubBackward0(Node):
    __slots__ = ("alpha",)

    def apply(self, g):
        a = self.alpha
        return g, (-g if a == 1 else g * -a)


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
        bd = bd * alpha
    res = _make(np.subtract(ad, bd))
    if _grad_on(input, bt):
        node = SubBackward0()
        node.alpha = alpha
        _record(node, res, input, bt)
    return _out(res, out)


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
    res = _make(np.subtract(bd, ad))
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
    r = np.multiply(bd, ad) if _reverse else np.multiply(ad, bd)
    res = _make(r)
    if _grad_on(input, bt):
        node = MulBackward0()
        if bt is None:
            node.scalar = other
            node.save(None, None)
        else:
            node.save(input if bt._requires_grad else None, bt if input._requires_grad else None)
        _record(node, res, input, bt)
    return _out(res, out)


class DivBackward0(Node):
    __slots__ = ("scalar",)

    def apply(self, g):
        a, b = self.saved()  # a is saved only when the divisor needs a gradient
        if b is None:
            return g / self.scalar, None
        ga = g / b if self.next_functions[0][0] is not None else None
        gb = -g * ((a / b) / b) if a is not None else None
        return ga, gb


def div(input, other, *, rounding_mode=None, out=None):
    """True division (int operands give floats), or rounded with
    ``rounding_mode='trunc'`` / ``'floor'``."""
    if rounding_mode is not None:
        if rounding_mode == "floor":
            return floor_divide(input, other)
        if rounding_mode == "trunc":
            return _trunc_divide(input, other)
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
        bd = bd.astype(fd) if bt is not None else bd
    res = _make(np.true_divide(ad, bd))
    if _grad_on(input, bt):
        node = DivBackward0()
        if bt is None:
            node.scalar = other
            node.save(None, None)
        else:
            node.save(input if bt._requires_grad else None, bt)
        _record(node, res, input, bt)
    return _out(res, out)


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


def floor_divide(input, other, *, out=None):
    """Division rounded towards minus infinity (no gradient, as in torch)."""
    if not isinstance(input, Tensor):
        input = Tensor._scalar_like(input, other)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    _int_zero_check(bd, rd)
    if rd.is_floating_point:
        # torch: floor(a / b) computed from fmod, matching Python's //
        r = np.floor_divide(ad, bd)
    else:
        r = np.floor_divide(ad, bd)
    return _out(_make(r), out)


def _rfloordiv(t, scalar):
    return floor_divide(Tensor._scalar_like(scalar, t), t)


def _trunc_divide(input, other):
    if not isinstance(input, Tensor):
        input = Tensor._scalar_like(input, other)
    ops = operands(input, other)
    ad, bd, rd, bt = ops
    _int_zero_check(bd, rd)
    if rd.is_floating_point:
        r = np.trunc(np.true_divide(ad, bd))
    else:
        q = np.floor_divide(ad, bd)
        # floor and trunc differ where the signs differ and there is a remainder
        fix = (np.remainder(ad, bd) != 0) & ((ad < 0) != (bd < 0))
        r = q + fix.astype(q.dtype)
    return _make(np.asarray(r, dtype=rd.np))


class RemainderBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        gb = None
        if nf[1][0] is not None:
            gb = -g * floor_divide(a, b)
        return g, gb


class RemainderBackward1(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of the divisor."""
    if not isinstance(input, Tensor):
        return _rremainder(other, input)
    ops = operands(input, other)
    if ops is None:
        return NotImplemented
    ad, bd, rd, bt = ops
    _int_zero_check(bd, rd)
    res = _make(np.remainder(ad, bd))
    if _grad_on(input, bt):
        if bt is None:
            _record(RemainderBackward1(), res, input)
        else:
            node = RemainderBackward0()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out)


def _rremainder(t, scalar):
    return remainder(Tensor._scalar_like(scalar, t), t)


def fmod(input, other, *, out=None):
    """C-style modulus: the result has the sign of the dividend."""
    ops = operands(input, other)
    ad, bd, rd, bt = ops
    _int_zero_check(bd, rd)
    res = _make(np.fmod(ad, bd))
    if _grad_on(input, bt):
        if bt is None:
            _record(RemainderBackward1(), res, input)
        else:
            node = _FmodBackward0()
            node.save(input, bt)
            _record(node, res, input, bt)
    return _out(res, out)


class _FmodBackward0(Node):
    __slots__ = ()

    def name(self):
        return "FmodBackward1"

    def apply(self, g):
        a, b = self.saved()
        gb = None
        if self.next_functions[1][0] is not None:
            gb = -g * _trunc_divide(a, b)
        return g, gb


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
    if not rd.is_floating_point and rd is not _bool:
        neg_exp = (bd < 0).any() if bt is not None else bd < 0
        if neg_exp:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    if bt is None:
        if bd == 2:
            r = np.multiply(ad, ad)
        elif bd == 1:
            r = ad.copy()
        else:
            r = np.power(ad, bd)
    else:
        r = np.power(ad, bd)
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
    return _out(res, out)


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
    else:
        rd = t.dtype
    r = np.power(np.asarray(base, dtype=rd.np), t._data.astype(rd.np, copy=False))
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
    return _out(res, out)


negative = neg


class AbsBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * sign(x),)


def abs(input, *, out=None):
    """Absolute value."""
    res = _make(np.abs(input._data))
    if _state.enabled and input._requires_grad:
        node = AbsBackward0()
        node.save(input)
        _record(node, res, input)
    return _out(res, out)


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
        res = _make(np.sign(input._data))
    if _state.enabled and input._requires_grad:
        _record(SgnBackward(), res, input)
    return _out(res, out)


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
    return _out(_unary_float(input, np.exp, ExpBackward0, "out"), out)


class LogBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g / x,)


def log(input, *, out=None):
    """Natural logarithm."""
    return _out(_unary_float(input, np.log, LogBackward0, "in"), out)


class SqrtBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g / (r * 2),)


def sqrt(input, *, out=None):
    """Square root."""
    return _out(_unary_float(input, np.sqrt, SqrtBackward0, "out"), out)


class RsqrtBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (-0.5 * g * pow(r, 3),)


def rsqrt(input, *, out=None):
    """``1 / sqrt(input)``."""
    return _out(
        _unary_float(input, lambda a: np.reciprocal(np.sqrt(a)), RsqrtBackward0, "out"), out
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
    return _out(_unary_float(input, np.sin, SinBackward0, "in"), out)


class CosBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        (x,) = self.saved()
        return (g * -sin(x),)


def cos(input, *, out=None):
    """Cosine."""
    return _out(_unary_float(input, np.cos, CosBackward0, "in"), out)


class TanhBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (g * (1 - r * r),)


def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return _out(_unary_float(input, np.tanh, TanhBackward0, "out"), out)


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
    return _out(_unary_float(input, _sigmoid_array, SigmoidBackward0, "out"), out)


class ReluBackward0(Node):
    __slots__ = ()
    _saves_output = True

    def apply(self, g):
        (r,) = self.saved()
        return (where(r > 0, g, 0.0),)


def relu(input):
    """``max(input, 0)`` elementwise."""
    if input.dtype is _bool:
        raise RuntimeError("\"clamp_min_scalar_cpu\" not implemented for 'Bool'")
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


def clamp(input, min=None, max=None, *, out=None):
    """Limit each element to ``[min, max]``."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        r = input
        if min is not None:
            r = maximum(r, min if isinstance(min, Tensor) else Tensor._scalar_like(min, input))
        if max is not None:
            r = minimum(r, max if isinstance(max, Tensor) else Tensor._scalar_like(max, input))
        return _out(r, out)
    a = input._data
    if (min is not None and type(min) is float) or (max is not None and type(max) is float):
        if not input.dtype.is_floating_point:
            a = float_array(input)
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
    return _out(res, out)


clip = clamp


class MaximumBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        # ties share the gradient equally, as torch does
        ga = gb = None
        if nf[0][0] is not None:
            ga = g * (where(a > b, 1.0, 0.0) + where(a == b, 0.5, 0.0)).to(g.dtype)
        if nf[1][0] is not None:
            gb = g * (where(b > a, 1.0, 0.0) + where(a == b, 0.5, 0.0)).to(g.dtype)
        return ga, gb


class MinimumBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        ga = gb = None
        if nf[0][0] is not None:
            ga = g * (where(a < b, 1.0, 0.0) + where(a == b, 0.5, 0.0)).to(g.dtype)
        if nf[1][0] is not None:
            gb = g * (where(b < a, 1.0, 0.0) + where(a == b, 0.5, 0.0)).to(g.dtype)
        return ga, gb


def _binary_tensor(input, other):
    if not isinstance(other, Tensor):
        raise TypeError(
            f"expected Tensor as element 1 in argument 1, but got {type(other).__name__}"
        )
    return operands(input, other)


def maximum(input, other, *, out=None):
    """Elementwise maximum of two tensors (nan propagates)."""
    ad, bd, rd, bt = _binary_tensor(input, other)
    res = _make(np.maximum(ad, bd))
    if _grad_on(input, bt):
        node = MaximumBackward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out)


def minimum(input, other, *, out=None):
    """Elementwise minimum of two tensors (nan propagates)."""
    ad, bd, rd, bt = _binary_tensor(input, other)
    res = _make(np.minimum(ad, bd))
    if _grad_on(input, bt):
        node = MinimumBackward0()
        node.save(input, bt)
        _record(node, res, input, bt)
    return _out(res, out)


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
            f"{condition.dtype.name.capitalize()}"
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
    r = np.where(condition._data, ia, oa)
    if r.dtype != rd.np:
        r = r.astype(rd.np)
    res = _make(r)
    if _grad_on(it, ot):
        node = WhereBackward0()
        node.save(condition)
        _record(node, res, it, ot)
    return _out(res, out)


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
        return _out(_make(fn(ops[0], ops[1])), out)

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


def logical_not(input, *, out=None):
    return _out(_make(np.logical_not(input._data)), out)


def logical_and(input, other, *, out=None):
    return _out(_make(np.logical_and(_as_bool(input), _as_bool(other))), out)


def logical_or(input, other, *, out=None):
    return _out(_make(np.logical_or(_as_bool(input), _as_bool(other))), out)


def logical_xor(input, other, *, out=None):
    return _out(_make(np.logical_xor(_as_bool(input), _as_bool(other))), out)


def _bitwise(fn, sym):
    def op(input, other, *, out=None):
        if not isinstance(input, Tensor):
            input, other = other, input
        ops = operands(input, other)
        if ops is None:
            return NotImplemented
        if ops[2].is_floating_point:
            raise RuntimeError(f"\"{sym}_cpu\" not implemented for '{_short(ops[2])}'")
        return _out(_make(fn(ops[0], ops[1])), out)

    return op


def _short(d):
    return {"float32": "Float", "float64": "Double", "float16": "Half"}.get(d.name, d.name)


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input, *, out=None):
    if input.dtype.is_floating_point:
        raise RuntimeError(f"\"bitwise_not_cpu\" not implemented for '{_short(input.dtype)}'")
    return _out(_make(np.invert(input._data)), out)


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


def _out(res, out):
    """Write into ``out=`` when given (torch's out argument)."""
    if out is None:
        return res
    from .inplace import copy_into_out

    return copy_into_out(out, res)
