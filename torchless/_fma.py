"""Fused multiply-add, ``a * b + c`` rounded once, on NumPy (or CuPy) arrays.

torch's CPU kernels fuse multiply-adds: the vectorised kernels call ``vec::fmadd`` (one FMA
instruction), and the compiler contracts ``x + alpha * y`` into an FMA in the scalar code it
builds for AVX2/AVX-512. So ``y.add_(x, alpha=a)`` (every SGD update), ``uniform_(a, b)``,
``normal_(mean, std)`` and the polynomials of the vectorised ``log``/``sin``/``cos`` round
once where NumPy's ``a * b + c`` rounds twice, and the last bit differs in a fraction of
the elements. NumPy has no FMA (nor has Python before 3.13), so this module emulates it
exactly, bit for bit, with ordinary IEEE float operations:

- **float32**: the product of two float32 numbers is exact in float64, so ``a * b + c``
  computed in float64 and rounded to float32 is the correctly rounded FMA, unless the
  float64 sum landed exactly on a float32 rounding midpoint (double rounding). Those few
  elements (found from their bits, see ``_midpoints32``) are redone with the float64 sum
  rounded *to odd* (TwoSum gives its exact error), whose rounding to float32 is always
  right (53 >= 24 + 2 bits).
- **float64**: Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded
  sums: proved algorithms using rounding to odd", IEEE TC 2008): the product as an exact
  pair ``p + ep`` (Dekker's product with Veltkamp's splitting), the sum ``p + c`` as an
  exact pair ``th + tl`` (TwoSum), ``tl + ep`` rounded to odd, then one rounding of
  ``th + that``. It is exact when nothing overflows and the product does not underflow;
  every element where that could fail ends up non-finite or below 2**-850 in magnitude
  (zeros included), and only those are redone: with IEEE rules where the product is exact
  or an input is not finite, else with exact rational arithmetic (:func:`fma_exact`).
- **float16**: torch computes in float32 (the "opmath" type) and rounds to float16 at
  the end; a product of two float16 numbers is exact in float32, so this is float32
  arithmetic. :func:`axpy` also reproduces the scalar loop torch runs on the tail of a
  tensor, which rounds the product to float16 first (see :func:`axpy`).

The pointwise ops built on it round as torch's CPU kernels do (measured against torch 2.13,
vectorised loops and scalar tails alike): :func:`lerp` (``fma(w, end - start, start)`` where
``|w| < 0.5``, else ``fma(w - 1, end - start, end)``), :func:`addcmul` (``fma(value * t1, t2,
input)``: the product ``value * t1`` rounded, then one rounding) and :func:`addcdiv` (``input
+ (value * t1) / t2``, three roundings); scalars are cast to the computation dtype first. The
Tensor ops (``torch.lerp``...) and the optimizers' in-place updates both run them.

Every function takes the array module ``xp`` (``numpy`` or ``cupy``) of its arrays.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import numpy as np

__all__ = ["addcdiv", "addcmul", "axpy", "fma", "fma_exact", "lerp", "scale"]

_F16 = np.dtype(np.float16)
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_f32 = np.float32
_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp's constant for float64
_TINY = 2.0**-850  # float64 results below this (and zeros) are redone
_LOW29 = 0x1FFFFFFF  # the float64 bits below float32's last one
_MID29 = 0x10000000  # ... as they are at a float32 rounding midpoint
_F32_TINY = 2.0**-126  # float32's smallest normal number
_HALF_BLOCK = 32  # elements per step of torch's vectorised float16 loop (AVX2 and AVX-512)
_CHUNK32 = 1 << 16  # elements per piece of a long float32 FMA (see _in_chunks)
_CHUNK64 = 1 << 15  # the same for float64, whose emulation has more temporaries
_math_fma = getattr(math, "fma", None)  # Python 3.13+


def fma_exact(x: float, y: float, z: float) -> float:
    """``x * y + z`` on Python floats with one rounding (IEEE 754 ``fusedMultiplyAdd``).

    Any input, including infinities, NaN and signed zeros. Uses ``math.fma`` where Python
    has it (3.13+), else exact rational arithmetic.
    """
    x, y, z = float(x), float(y), float(z)
    if _math_fma is not None:
        try:
            return _math_fma(x, y, z)
        except (OverflowError, ValueError):
            pass  # math.fma raises where IEEE gives inf or nan: use the exact path below
    if not (math.isfinite(x) and math.isfinite(y)):
        return x * y + z  # the product is exactly inf or nan
    if not math.isfinite(z):
        return z  # a finite product (even one overflowing float64) leaves inf/nan as is
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    if exact == 0:
        # an exact zero is +0, unless both addends are -0 (the product is -0 only when
        # it is zero with a negative sign, and then z must be -0 too)
        prod_neg = math.copysign(1.0, x) * math.copysign(1.0, y) < 0
        return -0.0 if (prod_neg and math.copysign(1.0, z) < 0) else 0.0
    try:
        return float(exact)  # int / int: correctly rounded, subnormals included
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def fma(a, b, c, *, out=None, xp=np):
    """``a * b + c`` elementwise with a single rounding, as an FMA instruction computes it.

    Args:
        a, b, c: arrays or scalars, broadcast together. The computation dtype is their
            result type (float16, float32 or float64; Python scalars do not promote).
        out: an array of the broadcast shape to write the result into (may be one of the
            inputs); a new array when None.
        xp: the array module of the arrays (``numpy`` or ``cupy``).

    Returns:
        ``out``, or a new array (0-d for scalar inputs). float16 is computed as torch's
        float16 kernels do: the FMA in float32, rounded to float16.

    Example::

        >>> float(fma(0.1, 10.0, -1.0))  # the rounding error of 0.1 * 10, which NumPy loses
        5.551115123125783e-17
    """
    dt = xp.result_type(a, b, c)
    if dt == _F64:
        return _fma64(a, b, c, xp, out)
    if dt == _F32:
        # scalars are rounded to float32 first, as torch casts them to the tensor's dtype
        a, b, c = (
            v if getattr(v, "dtype", None) == _F32 else xp.asarray(v, _F32) for v in (a, b, c)
        )
        return _fma32(a, b, c, xp, out)
    if dt == _F16:
        r = _fma16(a, b, c, xp)
        if out is None:
            return r
        xp.copyto(out, r)
        return out
    raise TypeError(f"fma: expected float16, float32 or float64 operands, got {dt}")


_pack_d = struct.Struct("<d").pack
_unpack_q = struct.Struct("<q").unpack
_SMALL = 8  # up to this many elements, Python floats beat a dozen NumPy calls


def _axpy32_small(y, x, a: float):
    """float32 ``y + a * x`` rounded once, element by element in Python floats: the
    product of two float32 values is exact in a double and the sum rounds once, so
    rounding that double to float32 is right unless it lies on a float32 midpoint or in
    float32's subnormal range (then None: the vectorised path decides)."""
    vals = []
    for yv, xv in zip(y.ravel().tolist(), x.ravel().tolist()):
        s = xv * a + yv
        bits = _unpack_q(_pack_d(s))[0]
        if (bits & 0x1FFFFFFF) == 0x10000000 or (s != 0.0 and -_F32_TINY < s < _F32_TINY):
            return None
        vals.append(s)
    return np.array(vals, dtype=np.float32).reshape(y.shape)


def axpy(y, x, alpha: float, out=None, xp=np):
    """``y + alpha * x`` as torch's ``y.add(x, alpha=alpha)`` computes it on the CPU.

    torch casts ``alpha`` to the tensor's dtype and computes ``fma(x, alpha, y)``. For
    float16 its vectorised loop does that in float32 and rounds to float16, while the
    scalar loop that finishes each thread's chunk (the ``n % 32`` last elements of it:
    all of a tensor under 32 elements) rounds ``alpha * x`` to float16 before adding. This
    reproduces both for a single chunk, i.e. exactly for tensors up to 32768 elements
    (torch's grain size) or run by one thread; above that torch splits the tensor between
    its threads and its tails move, so up to 31 elements per thread may differ from torch
    in the last bit.

    Args:
        y: the array added to (``self``).
        x: the array scaled by ``alpha`` (``other``), of ``y``'s shape and dtype.
        alpha: a Python number.
        out: where to write the result (may be ``y`` itself); a new array when None.
        xp: the array module of the arrays.

    Returns:
        ``out``, or a new array.
    """
    dt = y.dtype
    if dt == _F16:
        r = _axpy16(y, x, alpha, xp)
        if out is None:
            return r
        xp.copyto(out, r)
        return out
    a = float(alpha) if dt == _F64 else float(_f32(alpha))
    if dt == _F32 and xp is np and y.size <= _SMALL and x.shape == y.shape:
        r = _axpy32_small(y, x, a)
        if r is not None:
            if out is None:
                return r
            out[...] = r
            return out
    if a == 1.0 or a == -1.0 or a == 0.0 or _exact_scale(a):
        # the product a * x is exact (for a power of two: unless it under- or overflows,
        # checked by undoing it), so one IEEE addition rounds y + a * x once
        with np.errstate(invalid="ignore", over="ignore", under="ignore"):
            if a == 1.0 or a == -1.0:
                r = x
            else:
                r = xp.multiply(x, dt.type(a))
                if a != 0.0 and not xp.array_equal(r * dt.type(1.0 / a), x, equal_nan=True):
                    r = None
            if r is not None:
                if out is None:  # not xp.add(y, r): NumPy turns a 0-d result into a scalar
                    out = xp.empty_like(y)
                if a == -1.0:
                    return xp.subtract(y, r, out=out)
                return xp.add(y, r, out=out)
    if dt == _F64:
        return _fma64(x, a, y, xp, out)
    return _fma32(x, _f32(a), y, xp, out)


def scale(y, alpha: float, xp=np):
    """``y *= alpha`` in place, as torch's ``y.mul_(alpha)`` (``alpha`` cast to the
    computation dtype: float32 for float16 and float32)."""
    dt = y.dtype
    if dt == _F64:
        xp.multiply(y, float(alpha), out=y)
    elif dt == _F32:
        xp.multiply(y, _f32(alpha), out=y)
    else:
        xp.copyto(y, y.astype(_F32) * _f32(alpha), casting="unsafe")
    return y


def lerp(start, end, weight, *, out=None, xp=np):
    """``start + weight * (end - start)`` as torch's CPU ``lerp`` kernel rounds it.

    Args:
        start, end: arrays of one floating dtype, broadcast together.
        weight: a number (cast to the computation dtype) or an array.
        out: where to write the result (may be ``start`` itself); a new array when None.
        xp: the array module of the arrays.

    Returns:
        ``out``, or a new array of ``start``'s dtype (float16 computes in float32 and
        rounds once).
    """
    half = start.dtype == _F16
    if half:
        start, end = start.astype(_F32), end.astype(_F32)
    ct = start.dtype.type
    into = None if half else out
    diff = end - start
    if isinstance(weight, xp.ndarray):
        w = weight.astype(start.dtype, copy=False)
        small = xp.abs(w) < 0.5
        r = fma(xp.where(small, w, w - ct(1)), diff, xp.where(small, start, end), out=into, xp=xp)
    else:
        w = ct(weight)
        if abs(w) < 0.5:
            r = fma(diff, w, start, out=into, xp=xp)
        else:
            r = fma(diff, w - ct(1), end, out=into, xp=xp)
    return _to_half(r, out, xp) if half else r


def addcmul(input, tensor1, tensor2, value=1, *, out=None, xp=np):
    """``input + value * tensor1 * tensor2`` as torch's CPU ``addcmul`` kernel rounds it:
    ``fma(value * tensor1, tensor2, input)``.

    Arguments, ``out`` and the result as for :func:`lerp`; the three arrays share a
    floating dtype.
    """
    half = input.dtype == _F16
    if half:
        input, tensor1, tensor2 = input.astype(_F32), tensor1.astype(_F32), tensor2.astype(_F32)
    v = input.dtype.type(value)
    r = fma(tensor1 if v == 1 else tensor1 * v, tensor2, input, out=None if half else out, xp=xp)
    return _to_half(r, out, xp) if half else r


def addcdiv(input, tensor1, tensor2, value=1, *, out=None, xp=np):
    """``input + value * tensor1 / tensor2`` as torch's CPU ``addcdiv`` kernel rounds it:
    ``input + (value * tensor1) / tensor2``, three roundings.

    Arguments, ``out`` and the result as for :func:`addcmul`.
    """
    half = input.dtype == _F16
    if half:
        input, tensor1, tensor2 = input.astype(_F32), tensor1.astype(_F32), tensor2.astype(_F32)
    v = input.dtype.type(value)
    q = (tensor1 * v if v != 1 else tensor1) / tensor2
    if half:
        return _to_half(input + q, out, xp)
    if out is None:
        return input + q
    return xp.add(input, q, out=out)


def _to_half(r, out, xp):
    """A float16 op's float32 result, rounded to float16 (into ``out`` if given)."""
    if out is None:
        return r.astype(_F16)
    xp.copyto(out, r, casting="unsafe")
    return out


# ---------------------------------------------------------------------------------------
# float16
# ---------------------------------------------------------------------------------------


def _fma16(a, b, c, xp):
    """float16 FMA as torch's vectorised kernels compute it: float32 FMA, then float16.
    A product of two float16 numbers is exact in float32, so plain float32 operations."""
    a, b, c = (xp.asarray(v, _F32) for v in (a, b, c))
    with np.errstate(invalid="ignore", over="ignore"):
        r = a * b
        r += c  # r may be a NumPy scalar: += then rebinds
        return xp.asarray(r).astype(_F16)


def _axpy16(y, x, alpha, xp):
    a32 = _f32(_F16.type(alpha))
    r = x.astype(_F32, order="C")
    with np.errstate(invalid="ignore", over="ignore"):
        r *= a32  # exact
        tail = r.size % _HALF_BLOCK
        if tail:
            # torch's scalar loop: c10::Half arithmetic, each operation rounded to float16
            rt = r.reshape(-1)[-tail:]
            rt[...] = rt.astype(_F16)
        r += y.astype(_F32, order="C")
        return r.astype(_F16)


# ---------------------------------------------------------------------------------------
# float32
# ---------------------------------------------------------------------------------------


def _fma32(a, b, c, xp=np, out=None, exact=False):
    """``fma(a, b, c)`` rounded to float32 (float32 operands, broadcast).

    ``exact=True`` skips the midpoint check, for callers whose float64 sum is known exact.
    """
    if xp is np and max(np.size(a), np.size(b), np.size(c)) > _CHUNK32:
        r = _in_chunks(_fma32, _CHUNK32, _F32, a, b, c, xp, out, exact=exact)
        if r is not None:
            return r
    with np.errstate(invalid="ignore"):  # inf * 0 and inf - inf: nan, as the FMA gives
        s = xp.multiply(a, b, dtype=_F64)  # exact
        if getattr(s, "ndim", 0) and np.shape(c) in ((), s.shape):
            s += c
        else:
            s = xp.asarray(xp.add(s, c, dtype=_F64))
        if out is None:
            out = s.astype(_F32)
            t = out
        else:
            t = s.astype(_F32)
        if not exact:
            idx = _midpoints32(s, t, xp)
            if idx is not None:
                pv = xp.multiply(
                    _take(a, idx, s.shape, xp), _take(b, idx, s.shape, xp), dtype=_F64
                )
                cv = xp.asarray(_take(c, idx, s.shape, xp), _F64)
                _put(t, idx, _add_round_to_odd(xp.atleast_1d(pv), xp.atleast_1d(cv), xp), xp)
        if t is not out:
            xp.copyto(out, t)
    return out


def _midpoints32(s, t, xp):
    """Flat indices of the float64 values ``s`` that lie exactly halfway between two float32
    numbers (``t`` is ``s`` rounded to float32), or None.

    Above float32's subnormal range a midpoint has the bit after float32's last one set and
    all below it clear. In the subnormal range the grid is fixed, 2**-149, so those are
    tested apart, when there are any (results of magnitude up to 2**-126, zeros aside).
    """
    mid = xp.bitwise_and(s.view(np.int64), _LOW29) == _MID29
    found = mid.any()
    at = xp.abs(t)
    if at.size and not at.min() > _F32_TINY:  # (a nan gives a nan minimum: look closer)
        small = (at <= _F32_TINY) & (s != 0)
        if small.any():
            small &= xp.mod(s * 2.0**149, 1.0) == 0.5
            mid |= small
            found = True
    return xp.flatnonzero(mid) if found else None


def _in_chunks(fn, chunk, dtype, a, b, c, xp, out, **kw):
    """``fn`` run on consecutive pieces of ``chunk`` elements, so that its temporaries stay
    in the CPU's cache (three times faster for float64), where the operands allow it: NumPy
    arrays, each C-contiguous of the full shape or a scalar. None where not done."""
    if xp is not np:
        return None
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    n = math.prod(shape)
    if n <= chunk or not all(
        not getattr(v, "ndim", 0) or (v.shape == shape and v.flags.c_contiguous)
        for v in (a, b, c, out if out is not None else 0)
    ):
        return None
    if out is None:
        out = np.empty(shape, dtype)
    a, b, c = (v.reshape(-1) if getattr(v, "ndim", 0) else v for v in (a, b, c))
    flat = out.reshape(-1)
    for i in range(0, n, chunk):
        part = slice(i, i + chunk)
        fn(*(v[part] if getattr(v, "ndim", 0) else v for v in (a, b, c)), xp, flat[part], **kw)
    return out


def _take(v, idx, shape, xp):
    """The elements at flat indices ``idx`` of ``v`` broadcast to ``shape``."""
    if not getattr(v, "ndim", 0):
        return v
    if v.shape == shape and v.flags.c_contiguous:
        return v.reshape(-1)[idx]
    return xp.broadcast_to(v, shape)[xp.unravel_index(idx, shape)]


def _put(arr, idx, vals, xp):
    """Write ``vals`` at the flat (C-order) indices ``idx`` of ``arr``."""
    if arr.flags.c_contiguous:
        arr.reshape(-1)[idx] = vals
    else:
        arr[xp.unravel_index(idx, arr.shape)] = vals


def _add_round_to_odd(a, b, xp):
    """``a + b`` (float64 arrays) rounded to odd: exact, or else the one of the two floats
    around the exact sum whose last bit is 1. Rounding that to a format with 2 or more
    fewer bits is rounding the exact sum. Returns a new array; ``a`` and ``b`` are kept."""
    s = a + b
    # TwoSum: e = (a + b) - s exactly
    bb = s - a
    e = s - bb
    xp.subtract(a, e, out=e)
    xp.subtract(b, bb, out=bb)
    e += bb
    # truncate (one step towards zero where s was rounded away from zero: e and s of
    # opposite signs), then set the last bit where inexact. e * sign(s) is exact (no
    # underflow, unlike e * s) and false for nan, so inf and nan stay what they are.
    xp.sign(s, out=bb)
    bb *= e
    bits = s.view(np.int64)
    bits -= bb < 0
    bits |= e != 0
    return s


# ---------------------------------------------------------------------------------------
# float64
# ---------------------------------------------------------------------------------------


def _fma64(a, b, c, xp=np, out=None):
    """``fma(a, b, c)`` on float64 operands (broadcast), Boldo and Melquiond's way."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    if not shape:  # 0-d: NumPy would hand back scalars, which in-place steps cannot use
        r = _fma64(*(xp.reshape(xp.asarray(v, _F64), (1,)) for v in (a, b, c)), xp=xp)
        r = r.reshape(())
        if out is None:
            return r
        xp.copyto(out, r)
        return out
    r = _in_chunks(_fma64, _CHUNK64, _F64, a, b, c, xp, out)
    if r is not None:
        return r
    if not getattr(b, "ndim", 0):  # split a scalar factor once, in Python
        x, m = a, float(b)
    elif not getattr(a, "ndim", 0):
        x, m = b, float(a)
    else:
        x, m = a, xp.asarray(b, _F64)
        if m.shape != shape:
            m = xp.broadcast_to(m, shape)
    x = xp.asarray(x, _F64)
    if x.shape != shape:
        x = xp.broadcast_to(x, shape)
    if not isinstance(c, float) and getattr(c, "ndim", 0) == 0:
        c = float(c)
    elif not isinstance(c, float):
        c = xp.asarray(c, _F64)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        r = _bm_fma(x, m, c, xp)
        # redo what may be wrong: non-finite results (an input, or an overflow anywhere
        # along the way) and tiny ones (the product may have underflowed; see _TINY)
        ar = xp.abs(r)
        if r.size and not (ar.min() >= _TINY and ar.max() < math.inf):
            idx = xp.flatnonzero(~((ar >= _TINY) & (ar < math.inf)))
            fixed = _fma64_slow(
                _take(x, idx, shape, xp), _take(m, idx, shape, xp), _take(c, idx, shape, xp), xp
            )
            _put(r, idx, fixed, xp)
    if out is None:
        return r
    xp.copyto(out, r)
    return out


def _bm_fma(x, m, c, xp):
    """Boldo-Melquiond on full-shape ``x``, float or full-shape ``m``, broadcastable ``c``."""
    s = _SPLITTER
    if isinstance(m, float):
        t = s * m
        mh = t - (t - m)
        ml = m - mh
    else:
        mh = m * s
        t = mh - m
        mh -= t
        ml = m - mh
    # Dekker's product: p + ep == x * m exactly
    p = x * m
    xh = x * s
    t = xh - x
    xh -= t  # the high 26 bits of x
    xl = x - xh
    ep = xh * mh
    ep -= p
    xh *= ml
    ep += xh
    xp.multiply(xl, mh, out=t)
    ep += t
    xl *= ml
    ep += xl
    # TwoSum: th + tl == p + c exactly
    th = p + c
    bb = xp.subtract(th, p, out=xh)
    tl = xp.subtract(th, bb, out=t)
    xp.subtract(p, tl, out=tl)
    xp.subtract(c, bb, out=bb)
    tl += bb
    # the one rounding: th + RO(tl + ep)
    th += _add_round_to_odd(tl, ep, xp)
    return th


def _fma64_slow(x, m, c, xp):
    """The elements _fma64 redoes: an exact product (a zero factor) or a non-finite
    input follow IEEE rules in one rounding; the rest go through exact arithmetic."""
    x, m, c = (xp.broadcast_to(xp.asarray(v, _F64), x.shape) for v in (x, m, c))
    r = c + x * m  # right where the product is exact or an input is not finite
    finite = xp.isfinite(x) & xp.isfinite(m)
    r = xp.where(finite & ~xp.isfinite(c), c, r)  # a finite product leaves inf/nan
    rest = xp.flatnonzero(finite & xp.isfinite(c) & (x != 0) & (m != 0))
    if rest.size:
        r[rest] = xp.asarray(
            [fma_exact(*t) for t in zip(x[rest].tolist(), m[rest].tolist(), c[rest].tolist())]
        )
    return r


def _exact_scale(a: float) -> bool:
    """True when ``a`` is a power of two."""
    return math.isfinite(a) and math.frexp(a)[0] in (0.5, -0.5)
