"""torch's CPU arithmetic for optimizer updates, on the arrays in place.

``Tensor.add_(other, alpha=a)`` on torch's CPU (the AVX2/AVX-512 kernels, also
for the tail elements) computes ``fma(other, a, self)``: ``other * a + self``
with a single rounding, ``a`` first cast to the tensor's dtype. For float16 the
fma runs in float32 (the opmath type) and its result is rounded to float16;
torch's scalar tail loop (the last elements of each thread's chunk, all of a
tensor under 64 elements) rounds the product to float16 first instead, which
this does not reproduce: float16 updates may differ from torch's in the last bit.
NumPy has no fused multiply-add, so :func:`axpy` emulates it exactly:

- float32: the product of two float32 numbers is exact in float64, and the sum
  rounded to float64 then to float32 is correctly rounded unless the float64 sum
  lands exactly on a float32 midpoint. Those rare elements are redone with the
  sum rounded to float64 *to odd* (TwoSum gives the exact error), whose rounding
  to float32 is always correct.
- float64: Boldo and Melquiond's emulation: the product as an exact
  double-double (Dekker's TwoProduct with Veltkamp's splitting), the sum with
  TwoSum, the two low parts added rounding to odd, and one final rounding.

A plain ``a * x`` (``mul_``) or ``x + y`` (alpha 1) is one IEEE operation, the
same in NumPy as in torch.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["axpy", "scale"]

_f32 = np.float32
_f64 = np.float64
_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp's constant for float64


def _exact_scale(a: float) -> bool:
    """True when multiplying by ``a`` is exact (a power of two, or zero)."""
    return a == 0.0 or math.frexp(a)[0] in (0.5, -0.5)


def _fma32(x: np.ndarray, a: float, y: np.ndarray, xp) -> np.ndarray:
    """A float64 array that rounds to ``fma(x, a, y)`` in float32 (x, y float32 arrays of
    one shape, a a float32 value)."""
    p = x.astype(_f64)
    p *= a  # exact: 24 bits by 24 bits
    s = p + y
    # Rounding s to float32 is correct unless s sits exactly on a float32 midpoint (low 29
    # mantissa bits 1 followed by 28 zeros; below 2**-126, where float32 is subnormal, low
    # 29 bits zero) while p + y does not. Flag both patterns (and exact float32 values,
    # which are harmless) and redo those elements exactly: this is rare.
    suspect = (s.view(np.int64) & 0x0FFFFFFF) == 0
    if suspect.any():
        idx = suspect.nonzero()
        s[idx] = _add_round_to_odd(p[idx], y[idx].astype(_f64), xp)
    return s


def _add_round_to_odd(p: np.ndarray, y: np.ndarray, xp) -> np.ndarray:
    """``p + y`` (float64 arrays) rounded to odd: exact in float64, or else the one of the
    two neighbours of the exact sum whose last bit is 1. Rounding that to float32 is
    correctly rounded, since 53 >= 24 + 2."""
    s = p + y
    # TwoSum: e = (p + y) - s exactly
    bb = s - p
    e = s - bb
    xp.subtract(p, e, out=e)
    xp.subtract(y, bb, out=bb)
    e += bb
    # truncate (one step towards zero when s was rounded away from zero, i.e. when e and s
    # differ in sign), then set the last bit when inexact; signbit, not e * s < 0, which
    # can underflow
    bits = s.view(np.int64)
    bits -= (xp.signbit(e) != xp.signbit(s)) & (e != 0)
    bits |= e != 0
    return s


def _fma64(x: np.ndarray, a: float, y: np.ndarray, xp) -> np.ndarray:
    """``fma(x, a, y)`` for float64 arrays (Boldo and Melquiond's emulation: exact product
    and sum as double-doubles, the low parts added rounding to odd, then one rounding)."""
    # TwoProduct (Dekker, Veltkamp's split; a is split once in Python): p + ep == x * a
    c = _SPLITTER * a
    ah = c - (c - a)
    al = a - ah
    p = x * a
    xh = x * _SPLITTER
    t = xh - x
    xh -= t  # the high half of x
    xl = x - xh
    ep = xh * ah
    ep -= p
    xh *= al
    ep += xh
    t = xl * ah
    ep += t
    xl *= al
    ep += xl
    # TwoSum: th + tl == y + p
    th = y + p
    bb = th - p
    tl = th - bb
    xp.subtract(p, tl, out=tl)
    xp.subtract(y, bb, out=bb)
    tl += bb
    # v = tl + ep rounded to odd, then the one rounding of th + v
    v = _add_round_to_odd(tl, ep, xp)
    th += v
    return th


def axpy(y: np.ndarray, x: np.ndarray, alpha: float, out: np.ndarray | None = None, xp=np):
    """``out = y + alpha * x`` as torch's ``y.add(x, alpha=alpha)`` computes it on the CPU.

    Args:
        y: the array added to (``self``).
        x: the array scaled by ``alpha`` (``other``).
        alpha: a Python number.
        out: where to write the result (may be ``y`` itself); a new array when None.
        xp: the array module of the arrays.

    Returns:
        ``out``.
    """
    dt = y.dtype
    if y.ndim == 0:  # NumPy turns 0-d results into scalars, which in-place steps need not be
        r = axpy(y.reshape(1), x.reshape(1), alpha, xp=xp).reshape(())
        if out is None:
            return r
        xp.copyto(out, r)
        return out
    if dt == _f64:
        a = float(alpha)
        if a == 1.0:
            return xp.add(y, x, out=out)
        if _exact_scale(a):
            r = x * a
            return xp.add(y, r, out=out)
        r = _fma64(x, a, y, xp)
    elif dt == _f32:
        a = float(_f32(alpha))
        if a == 1.0:
            return xp.add(y, x, out=out)
        if _exact_scale(a):
            r = x * _f32(a)
            return xp.add(y, r, out=out)
        r = _fma32(x, a, y, xp)
    else:
        # float16: torch casts alpha to float16, computes the fma in float32 (the opmath
        # type) and rounds the float32 result to float16
        a = float(y.dtype.type(alpha))
        r = _fma32(x.astype(_f32), a, y.astype(_f32), xp).astype(_f32)
    if out is None:
        return r.astype(dt)
    xp.copyto(out, r, casting="unsafe")
    return out


def scale(y: np.ndarray, alpha: float, xp=np) -> np.ndarray:
    """``y *= alpha`` in place, as torch's ``y.mul_(alpha)`` (``alpha`` cast to the
    computation dtype: float32 for float16 and float32)."""
    dt = y.dtype
    if dt == _f64:
        xp.multiply(y, float(alpha), out=y)
    elif dt == _f32:
        xp.multiply(y, _f32(alpha), out=y)
    else:
        xp.copyto(y, y.astype(_f32) * _f32(alpha), casting="unsafe")
    return y
