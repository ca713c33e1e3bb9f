"""torch's CPU random number generator, reproduced bit for bit on NumPy arrays.

A :class:`Generator` holds the same state as ``torch.Generator()`` on the CPU: a
Mersenne Twister (MT19937) plus the cached second sample of the scalar
Box-Muller transform. Its sampling methods take a shape and a NumPy dtype and
return a new C-contiguous array holding the values torch would write into a
contiguous tensor of that shape, advancing the state exactly as torch does, so
``torchless.manual_seed(s); torchless.randn(3)`` prints what torch prints.

What is reproduced, and how (torch 2.13, x86-64 CPU wheel):

* The engine is MT19937 seeded with ``init_genrand`` on the low 32 bits of the
  seed; NumPy's ``MT19937`` bit generator runs the same recurrence once its key
  is set, so the 32-bit stream comes from C. A 64-bit draw is two 32-bit draws,
  ``(first << 32) | second``.
* ``get_state``/``set_state`` use torch's 5056-byte layout (``CPUGeneratorImplState``).
* Uniforms: the low 24 (float32, float16) or 53 (float64) bits of a draw
  times 2**-digits; ``uniform_(a, b)`` is ``fma(x, b - a, a)`` (one rounding, as
  the compiled code fuses it), with a result equal to ``b`` replaced by ``a``.
* Normals: fewer than 16 elements use scalar double Box-Muller with the cached
  sample; 16 or more run torch's blockwise transform. float32 blocks emulate
  the AVX2 kernel (``avx_mathfun.h`` polynomials with the multiply-adds the
  compiler fuses); float64 blocks use glibc's ``log``/``sin``/``cos`` (see
  ``_libm_log``). float16 runs the float32 kernel one block at a time (so it
  draws no uniforms for a partial block) and rounds the results.
* Integers, ``random_``, ``randperm`` (both of torch's shuffles, vectorised),
  Bernoulli with a scalar or tensor probability, exponential, geometric,
  log-normal, Cauchy and multinomial follow ATen's CPU kernels; multinomial's
  ties are ordered as torch's topk orders them (libstdc++'s selection algorithms).
* ``default_generator`` is seeded from the OS at import, as torch seeds its
  default generator (``torch.initial_seed()`` differs between processes);
  ``Generator()`` starts from torch's fixed default seed 67280421310721.

Where the work is not vectorised: the scalar Box-Muller path (fewer than 16
elements, or a non-contiguous tensor) and the exponential, geometric, log-normal
and Cauchy kernels call glibc's ``log1p``/``log``/``exp``/``tan`` through Python's
``math`` once per element, because NumPy's versions round differently; float64
normals of 16 or more elements send about 6% of their logs the same way (see
``_libm_log``); tied rows of multinomial-without-replacement are ordered in Python.

Limits: torch's float32 ``randn`` for 16 or more elements, ``uniform_`` with a
nonzero lower bound and ``normal_`` with a mean or std use different (fused or
vectorised) arithmetic on CPUs without AVX2 or under
``ATEN_CPU_CAPABILITY=default``; this module matches the AVX2/AVX512 path.
torch builds with MKL on Intel CPUs may use MKL for ``bernoulli_(p)`` and
``exponential_``; this module matches the ATen kernels (as on AMD CPUs).
float64 paths rely on the process's C math library matching the glibc the
torch wheel runs on (NumPy's float64 sin/cos are checked against it once).
"""

from __future__ import annotations

import math
import os
import warnings
from decimal import Decimal, localcontext

import numpy as np

from . import _fma
from ._fma import _SPLITTER

__all__ = ["Generator", "default_generator"]

_DEFAULT_SEED = 67280421310721
_MT_N = 624
_STATE_SIZE = 5056
_U64 = (1 << 64) - 1

# torch's CPUGeneratorImplState, little-endian, with its padding bytes (always zero).
_STATE_DTYPE = np.dtype(
    [
        ("seed", "<u8"),
        ("left", "<i4"),
        ("seeded", "<i4"),
        ("next", "<u8"),
        ("state", "<u8", (_MT_N,)),
        ("normal_x", "<f8"),
        ("normal_y", "<f8"),
        ("normal_rho", "<f8"),
        ("normal_is_valid", "<i4"),
        ("pad0", "<i4"),
        ("next_float_normal", "<f4"),
        ("next_float_normal_valid", "u1"),
        ("pad1", "u1", (3,)),
    ]
)
assert _STATE_DTYPE.itemsize == _STATE_SIZE

_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
_FLOAT_DIGITS = {_F16: 11, _F32: 24, _F64: 53}
_DTYPE_NAMES = {
    np.dtype(np.bool_): "bool",
    np.dtype(np.uint8): "unsigned char",
    np.dtype(np.int8): "signed char",
    np.dtype(np.int16): "short int",
    np.dtype(np.int32): "int",
    np.dtype(np.int64): "long int",
    _F16: "c10::Half",
    _F32: "float",
    _F64: "double",
}
_SCALAR_NAMES = {_F16: "Half", _F32: "Float", _F64: "Double"}
_CHUNK = 1 << 16  # elements per chunk in the long vectorised pipelines (keeps them in cache)


def _chunked(fn, x: np.ndarray, *args, **kwargs) -> np.ndarray:
    """``fn(x, *args)`` on cache-sized pieces of a 1-D ``x`` (scalar args only)."""
    if x.size <= _CHUNK:
        return fn(x, *args, **kwargs)
    parts = [fn(x[i : i + _CHUNK], *args, **kwargs) for i in range(0, x.size, _CHUNK)]
    return np.concatenate(parts)


def _fmt(x) -> str:
    """A number as C++'s ``operator<<`` prints it in torch's error messages."""
    if isinstance(x, int):
        return str(x)
    return f"{x:g}"


def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= int(s)
    return n


# ---------------------------------------------------------------------------------------
# Exact floating-point helpers
# ---------------------------------------------------------------------------------------


def _fma32(a, b, c, tiny: bool = False, exact: bool = False) -> np.ndarray:
    """``fma(a, b, c)`` on float32 operands, rounded once to float32 (see ``_fma.py``).

    ``exact=True`` skips the double-rounding check where the float64 sum is known exact.
    Subnormal results are always handled (``tiny`` is accepted for older callers).
    """
    return _fma._fma32(a, b, c, exact=exact)


def _fma64(a, b, c) -> np.ndarray:
    """``fma(a, b, c)`` on float64 operands, rounded once (see ``_fma.py``)."""
    return _fma._fma64(a, b, c)


_fma_exact = _fma.fma_exact


# ---------------------------------------------------------------------------------------
# glibc's log on arrays
# ---------------------------------------------------------------------------------------
#
# torch's float64 normal kernel calls the C library's log(), which is not NumPy's
# (NumPy's SIMD log differs from glibc in about 0.3% of values) and Python's
# math.log one element at a time is slow. _libm_log evaluates log in double-double
# arithmetic (error far below 2**-60 relative), rounds it, and sends to math.log
# only the elements whose exact value lies within 1/32 ulp of a rounding midpoint:
# glibc's log is accurate to 0.52 ulp, so everywhere else it returns the correctly
# rounded value. About 6% of elements take the scalar path.

_LOG_TABLE = None
_LN2_HI = float.fromhex("0x1.62e42fefa3800p-1")  # 42 significant bits: k * _LN2_HI is exact
_LN2_LO = float.fromhex("0x1.ef35793c76730p-45")
_LOG_BAND = 1.0 / 32


def _log_table():
    """invc, -log(invc) (double-double) and exponent shift for 128 mantissa intervals."""
    global _LOG_TABLE
    if _LOG_TABLE is None:
        invc = np.empty(128)
        lh = np.empty(128)
        ll = np.empty(128)
        shift = np.zeros(128, np.int64)
        with localcontext() as ctx:
            ctx.prec = 50
            for i in range(128):
                c = 1.0 + (i + 0.5) / 128.0
                if c > 1.40625:  # reduce to [0.7, 1) so that x just below 1 has k = 0
                    c *= 0.5
                    shift[i] = 1
                # invc on a 2**-8 grid keeps m * invc - 1 exact; the intervals touching
                # 1 use invc = 1 so that log(x) near 1 has no cancellation
                q = 1.0 if i in (0, 127) else round(256.0 / c) / 256.0
                invc[i] = q
                d = -Decimal(q).ln()
                lh[i] = float(d)
                ll[i] = float(d - Decimal(lh[i]))
        _LOG_TABLE = (invc, lh, ll, shift)
    return _LOG_TABLE


def _libm_log(x: np.ndarray) -> np.ndarray:
    """glibc's ``log`` of positive normal float64 values, vectorised."""
    invc_t, lh_t, ll_t, shift_t = _log_table()
    i0 = int(np.argmax(shift_t))  # intervals from i0 on are halved
    out = np.empty_like(x)
    for start in range(0, x.size, _CHUNK):
        xs = x[start : start + _CHUNK]
        bits = xs.view(np.int64)
        i = (bits >> 45) & 127
        sh = (i >= i0).astype(np.int64)
        kd = ((bits >> 52) - (1023 - sh)).astype(np.float64)
        # m in [1, 2), or [0.5, 1) for the upper intervals: exact
        m = ((bits & 0x000FFFFFFFFFFFFF) | ((0x3FF - sh) << 52)).view(np.float64)
        invc = invc_t[i]
        # r = m * invc - 1 exactly: split m so that both partial products are exact
        mh = (m.view(np.int64) & ~0x3FFFFFF).view(np.float64)
        r = (mh * invc - 1.0) + (m - mh) * invc
        # log1p(r) = r - r**2/2 + r**3 * (1/3 - r/4 + ... + r**6/9), |r| < 2**-7.4
        r2 = r * r
        t = _SPLITTER * r
        rh = t - (t - r)
        rl = r - rh
        q = -0.5 * r2
        ql = -0.5 * (((rh * rh - r2) + 2.0 * rh * rl) + rl * rl)
        poly = 1.0 / 9.0
        for j in range(5, -1, -1):
            poly = poly * r + (-1.0) ** j / (j + 3)
        # k*ln2 + log(1/invc) + r + q as a double-double; each addend is smaller in
        # magnitude than the running sum, so Fast2Sum is exact
        w = kd * _LN2_HI
        hi = w + lh_t[i]
        lo = (w - hi) + lh_t[i]
        w = hi + r
        lo += (hi - w) + r
        hi = w + q
        lo += (w - hi) + q
        lo += ll_t[i] + kd * _LN2_LO + ql + poly * r2 * r
        s = hi + lo
        e = (hi - s) + lo
        # is the exact value within _LOG_BAND ulp of a midpoint between doubles?
        sbits = s.view(np.int64) & 0x7FFFFFFFFFFFFFFF
        sp = np.maximum((sbits & 0x7FF0000000000000) - (52 << 52), 1).view(np.float64)
        near = np.abs(np.abs(e) - 0.5 * sp) <= _LOG_BAND * sp
        near |= (sbits & 0x000FFFFFFFFFFFFF) == 0  # powers of two: half spacing below
        near &= s != 0
        if near.any():
            idx = np.nonzero(near)[0]
            s[idx] = [math.log(v) for v in xs[idx].tolist()]
        out[start : start + _CHUNK] = s
    return out


_TRIG_OK = None


def _numpy_trig_is_libm() -> bool:
    """Whether NumPy's float64 sin/cos call the C library (checked once on 4096 values)."""
    global _TRIG_OK
    if _TRIG_OK is None:
        t = np.linspace(0.0, 2 * math.pi, 4096) + 1e-7
        ok = np.array_equal(np.sin(t), [math.sin(v) for v in t.tolist()])
        ok = ok and np.array_equal(np.cos(t), [math.cos(v) for v in t.tolist()])
        _TRIG_OK = bool(ok)
    return _TRIG_OK


def _libm_sin_cos(x: np.ndarray):
    if _numpy_trig_is_libm():
        return np.sin(x), np.cos(x)
    vals = x.tolist()
    return (
        np.array([math.sin(v) for v in vals], np.float64),
        np.array([math.cos(v) for v in vals], np.float64),
    )


# ---------------------------------------------------------------------------------------
# The AVX2 float32 normal kernel (ATen's normal_fill_16_AVX2 with avx_mathfun.h)
# ---------------------------------------------------------------------------------------

_f = np.float32
_SQRTHF = _f(0.707106781186547524)
_LOGP = [
    _f(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
]
_LOGQ1 = _f(-2.12194440e-4)
_LOGQ2 = _f(0.693359375)
_DP1, _DP2, _DP3 = _f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8)
_SINP = (_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1))
_COSP = (_f(2.443315711809948e-005), _f(-1.388731625493765e-003), _f(4.166664568298827e-002))
_FOPI = _f(1.27323954473516)
_TWO_PI_F = _f(2.0 * math.pi)
_ONE, _HALF, _ZERO = _f(1.0), _f(0.5), _f(0.0)


def _log256_ps(x: np.ndarray) -> np.ndarray:
    """log256_ps for x in (0, 1]; the Horner steps and y*z + e*q1 are fused (as compiled)."""
    bits = x.view(np.uint32)
    e = ((bits >> 23).astype(np.int32) - 0x7F).astype(np.float32) + _ONE
    x = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(np.float32)
    mask = x < _SQRTHF
    tmp = np.where(mask, x, _ZERO)
    x = x - _ONE
    e = e - mask.astype(np.float32)
    x = x + tmp
    z = x * x
    y = _fma32(_LOGP[0], x, _LOGP[1])
    for p in _LOGP[2:]:
        y = _fma32(y, x, p)
    y = y * x
    y = _fma32(y, z, e * _LOGQ1)
    y = y - z * _HALF
    x = x + y
    return x + e * _LOGQ2


def _sincos256_ps(x: np.ndarray):
    """sincos256_ps for x >= 0, with the compiler's fused multiply-adds."""
    y = x * _FOPI
    j = (y.astype(np.int32) + 1) & ~1
    y = j.astype(np.float32)
    swap_sin = (j & 4) != 0
    poly_mask = (j & 2) == 0
    neg_cos = (~(j - 2) & 4) != 0
    # y is an even integer below 10 and x < 2*pi: these sums span at most 48 bits, so
    # they are exact in float64 and need no double-rounding check
    x = _fma32(y, _DP1, x, exact=True)
    x = _fma32(y, _DP2, x, exact=True)
    x = _fma32(y, _DP3, x, exact=True)
    z = x * x
    yc = _fma32(_COSP[0], z, _COSP[1])
    yc = _fma32(yc, z, _COSP[2])
    yc = yc * z
    yc = _fma32(yc, z, -(z * _HALF))
    yc = yc + _ONE
    ys = _fma32(_SINP[0], z, _SINP[1])
    ys = _fma32(ys, z, _SINP[2])
    ys = ys * z
    ys = _fma32(ys, x, x)
    ysin2 = np.where(poly_mask, ys, _ZERO)
    ysin1 = np.where(poly_mask, _ZERO, yc)
    s = ysin1 + ysin2
    c = (yc - ysin1) + (ys - ysin2)
    s = np.where(swap_sin, -s, s)
    c = np.where(neg_cos, -c, c)
    return s, c


def _normal_blocks_f32(d: np.ndarray, mean: np.float32, std: np.float32) -> np.ndarray:
    """normal_fill_16_AVX2 over float32 uniforms whose length is a multiple of 16."""
    out = np.empty_like(d)
    step = _CHUNK - _CHUNK % 16
    for start in range(0, d.size, step):
        blk = d[start : start + step].reshape(-1, 16)
        u1 = _ONE - blk[:, :8]
        u2 = blk[:, 8:]
        radius = np.sqrt(_f(-2.0) * _log256_ps(u1))
        s, c = _sincos256_ps(_TWO_PI_F * u2)
        res = out[start : start + step].reshape(-1, 16)
        if std == 1 and mean == 0:
            # fma(v, 1, 0) is v + 0: exact, except that -0.0 becomes +0.0
            res[:, :8] = radius * c + _ZERO
            res[:, 8:] = radius * s + _ZERO
        else:
            res[:, :8] = _fma32(radius * c, std, mean)
            res[:, 8:] = _fma32(radius * s, std, mean)
    return out


def _normal_blocks_f64(d: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16<double>: glibc log and sin/cos, then fma(r*cos, std, mean)."""
    blk = d.reshape(-1, 16)
    u1 = np.ascontiguousarray(1.0 - blk[:, :8])
    radius = np.sqrt(-2.0 * _libm_log(u1.reshape(-1))).reshape(u1.shape)
    s, c = _libm_sin_cos((2.0 * math.pi) * blk[:, 8:])
    out = np.empty_like(blk)
    out[:, :8] = radius * c
    out[:, 8:] = radius * s
    out = out.reshape(-1)
    if std == 1.0 and mean == 0.0:
        return out + 0.0  # fma(v, 1, 0): exact, but -0.0 becomes +0.0
    return _chunked(_fma64, out, std, mean)


def _to_half(x) -> np.ndarray:
    """float -> c10::Half as torch converts a float (round to nearest even)."""
    return np.asarray(x, np.float32).astype(np.float16)


# ---------------------------------------------------------------------------------------
# randperm
# ---------------------------------------------------------------------------------------


def _chain_roots(parent: np.ndarray) -> np.ndarray:
    """Follow parent pointers to the roots (parent[r] == r) by pointer jumping."""
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def _stable_argsort(keys: np.ndarray, bound: int) -> np.ndarray:
    """Stable argsort of non-negative int64 keys below ``bound``: LSD radix, 16 bits a pass
    (NumPy's stable sort is a radix sort for 16-bit keys)."""
    order = None
    shift = 0
    while True:
        digit = ((keys >> shift) & 0xFFFF).astype(np.uint16)
        if order is None:
            order = np.argsort(digit, kind="stable")
        else:
            order = order[np.argsort(digit[order], kind="stable")]
        shift += 16
        if bound <= 1 << shift:
            return order


def _perm_swaps(j: np.ndarray, n: int) -> np.ndarray:
    """The result of ``for i in range(n - 1): swap(a[i], a[j[i]])`` on ``a = arange(n)``.

    With j[i] >= i, position i is final after step i and receives what position j[i]
    held then: the value moved there by the latest earlier step k with j[k] == j[i],
    or j[i] itself if there is none. The value step k moves is what position k held
    just before step k, found by following "latest earlier step that targeted me"
    links to a root (pointer jumping), all vectorised.
    """
    m = n - 1
    ks = _stable_argsort(j, n)  # steps grouped by target, ascending within a target
    js = j[ks]
    first = np.ones(m, bool)
    first[1:] = js[1:] != js[:-1]
    # parent[p]: the latest step k < p with j[k] == p. Steps targeting p are all <= p,
    # so it is the last of p's group, or the one before when that last one is p itself.
    t = np.nonzero(np.append(first[1:], True))[0]
    target, k = js[t], ks[t]
    own = k == target
    before = own & ~first[t]
    k = np.where(own, np.where(before, ks[np.maximum(t - 1, 0)], -1), k)
    parent = np.arange(n, dtype=np.int64)
    ok = k >= 0
    parent[target[ok]] = k[ok]
    held = _chain_roots(parent)  # held[p]: value at position p just before step p
    prev = np.empty(m, np.int64)
    prev[0] = 0
    prev[1:] = ks[:-1]
    out = np.empty(n, np.int64)
    out[ks] = np.where(first, js, held[prev])
    out[m] = held[m]
    return out


def _perm_inside_out(z: np.ndarray, n: int) -> np.ndarray:
    """The result of ``for i in range(n): a[i] = a[z[i]]; a[z[i]] = i`` (z[i] <= i).

    Position p ends up holding i for the last step i with z[i] == p; if no step
    targets it, it keeps what step p copied from z[p], i.e. the content of z[p] at
    time p, which is found the same way, by following links to a root.
    """
    idx = np.arange(n, dtype=np.int64)
    order = _stable_argsort(z, n)
    zs = z[order]
    # last step (at any time) targeting p
    last = np.searchsorted(zs, idx, side="right") - 1
    last_ok = last >= 0
    last_ok &= zs[np.maximum(last, 0)] == idx
    last_step = order[np.maximum(last, 0)]
    final_write = np.where(last_ok, last_step, -1)
    # content of q at time p (q = z[p] < p): the latest step t < p with z[t] == q writes t;
    # if none, q holds what step q copied (recurse on q).  z[p] == p means a[p] = p.
    q = z
    key = q * n + idx  # find latest t < p with z[t] == q: search (q, p) in sorted (z, t)
    skey = zs * n + order
    at = np.searchsorted(skey, key, side="left") - 1
    t_ok = at >= 0
    t_ok &= zs[np.maximum(at, 0)] == q
    t = order[np.maximum(at, 0)]
    # value copied by step p: t if some earlier step wrote q, else copied-by-q (chain)
    # nodes: copied[p] = t (value) or copied[q]; roots encoded as value + n
    parent = np.where(t_ok, t + n, q)
    parent = np.where(q == idx, idx + n, parent)
    ext = np.concatenate([parent, np.arange(n, 2 * n, dtype=np.int64)])
    ext = _chain_roots(ext)
    copied = ext[:n] - n
    return np.where(final_write >= 0, final_write, copied)


# ---------------------------------------------------------------------------------------
# torch.topk's selection order (libstdc++'s partial_sort / nth_element + sort)
# ---------------------------------------------------------------------------------------
#
# Values that tie are ordered by the mechanics of the C++ algorithms torch's CPU topk
# calls, so rows with ties are run through these transcriptions of libstdc++'s
# (GCC 13) algorithms, on a list of (value, index) pairs with "greater, NaN first".


def _gt(x, y) -> bool:
    a, b = x[0], y[0]
    return (a != a and b == b) or a > b


def _unguarded_linear_insert(v, last):
    val = v[last]
    nxt = last - 1
    while _gt(val, v[nxt]):
        v[last] = v[nxt]
        last = nxt
        nxt -= 1
    v[last] = val


def _insertion_sort(v, first, last):
    if first == last:
        return
    for i in range(first + 1, last):
        if _gt(v[i], v[first]):
            val = v[i]
            v[first + 1 : i + 1] = v[first:i]
            v[first] = val
        else:
            _unguarded_linear_insert(v, i)


def _push_heap(v, first, hole, top, value):
    parent = (hole - 1) // 2
    while hole > top and _gt(v[first + parent], value):
        v[first + hole] = v[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    v[first + hole] = value


def _adjust_heap(v, first, hole, length, value):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if _gt(v[first + child], v[first + child - 1]):
            child -= 1
        v[first + hole] = v[first + child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        v[first + hole] = v[first + child - 1]
        hole = child - 1
    _push_heap(v, first, hole, top, value)


def _make_heap(v, first, last):
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(v, first, parent, length, v[first + parent])
        if parent == 0:
            return
        parent -= 1


def _pop_heap(v, first, last, result):
    value = v[result]
    v[result] = v[first]
    _adjust_heap(v, first, 0, last - first, value)


def _partial_sort(v, first, middle, last):
    _make_heap(v, first, middle)
    for i in range(middle, last):
        if _gt(v[i], v[first]):
            _pop_heap(v, first, middle, i)
    while middle - first > 1:
        middle -= 1
        _pop_heap(v, first, middle, middle)


def _move_median_to_first(v, result, a, b, c):
    if _gt(v[a], v[b]):
        if _gt(v[b], v[c]):
            pick = b
        elif _gt(v[a], v[c]):
            pick = c
        else:
            pick = a
    elif _gt(v[a], v[c]):
        pick = a
    elif _gt(v[b], v[c]):
        pick = c
    else:
        pick = b
    v[result], v[pick] = v[pick], v[result]


def _partition_pivot(v, first, last):
    mid = first + (last - first) // 2
    _move_median_to_first(v, first, first + 1, mid, last - 1)
    pivot = v[first]
    lo, hi = first + 1, last
    while True:
        while _gt(v[lo], pivot):
            lo += 1
        hi -= 1
        while _gt(pivot, v[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        v[lo], v[hi] = v[hi], v[lo]
        lo += 1


def _nth_element(v, first, nth, last):
    if first == last or nth == last:
        return
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _make_heap(v, first, nth + 1)
            for i in range(nth + 1, last):
                if _gt(v[i], v[first]):
                    _pop_heap(v, first, nth + 1, i)
            v[first], v[nth] = v[nth], v[first]
            return
        depth -= 1
        cut = _partition_pivot(v, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(v, first, last)


def _introsort_loop(v, first, last, depth):
    while last - first > 16:
        if depth == 0:
            _partial_sort(v, first, last, last)
            return
        depth -= 1
        cut = _partition_pivot(v, first, last)
        _introsort_loop(v, cut, last, depth)
        last = cut


def _sort(v, first, last):
    if first == last:
        return
    _introsort_loop(v, first, last, 2 * ((last - first).bit_length() - 1))
    if last - first > 16:
        _insertion_sort(v, first, first + 16)
        for i in range(first + 16, last):
            _unguarded_linear_insert(v, i)
    else:
        _insertion_sort(v, first, last)


def _topk_indices(row: np.ndarray, k: int) -> list:
    """Indices of torch.topk(row, k) (largest, sorted) on the CPU, ties included."""
    n = row.size
    v = list(zip(row.tolist(), range(n)))
    if k * 64 <= n:
        _partial_sort(v, 0, k, n)
    else:
        _nth_element(v, 0, k - 1, n)
        _sort(v, 0, k - 1)
    return [i for _, i in v[:k]]


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


def _init_genrand(seed32: int) -> np.ndarray:
    """MT19937's init_genrand state for a 32-bit seed (NumPy's legacy seeding is the same)."""
    return np.random.RandomState(seed32).get_state()[1].astype(np.uint32)


def _temper(y: np.ndarray) -> np.ndarray:
    y = y.astype(np.uint64)
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    y ^= y >> 18
    return y & 0xFFFFFFFF


class Generator:
    """A CPU random number generator with torch's algorithm and state.

    ``Generator()`` starts from torch's default seed 67280421310721, as
    ``torch.Generator()`` does. Methods whose names start with an underscore are the
    array-level samplers the tensor functions are built on.

    Example::

        >>> g = Generator().manual_seed(0)
        >>> g._uniform((3,), "float32")
        array([0.4962566 , 0.7682218 , 0.08847743], dtype=float32)
    """

    __slots__ = (
        "device",
        "_device_str",
        "_bg",
        "_seed",
        "_next_at_end",
        "_pending",
        "_pending_next",
        "_normal_double",
        "_normal_float",
    )

    def __init__(self, device="cpu"):
        dev = str(device)
        if dev.split(":")[0] != "cpu":
            raise RuntimeError(
                f"Device type {dev.upper()} is not supported for torch.Generator() api."
            )
        self._device_str = "cpu"
        self.device = "cpu"
        self._bg = np.random.MT19937(0)
        self._pending = None
        self._pending_next = 0
        self._set_seed(_DEFAULT_SEED)

    # -- seeding and state -------------------------------------------------------------

    def _set_seed(self, seed: int) -> None:
        self._seed = seed
        key = _init_genrand(seed & 0xFFFFFFFF)
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _MT_N}}
        self._next_at_end = 0  # a fresh engine reports next = 0, left = 1
        self._pending = None
        self._normal_double = None
        self._normal_float = None

    def manual_seed(self, seed) -> Generator:
        """Seed the generator (as ``torch.Generator.manual_seed``) and return it.

        Negative seeds wrap to unsigned 64 bits; only the low 32 bits seed MT19937.
        """
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        if not isinstance(seed, int):
            raise TypeError("an integer is required")
        if not -(1 << 63) <= seed <= _U64:
            raise ValueError("Overflow when unpacking long long")
        self._set_seed(seed & _U64)
        return self

    def seed(self) -> int:
        """Seed from the OS's entropy source (64 bits, as torch reads /dev/urandom)."""
        s = int.from_bytes(os.urandom(8), "little")
        self._set_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed last set (after ``set_state``, the seed stored in that state)."""
        return self._seed

    def _left_next(self):
        if self._pending is not None:
            return self._pending.size + 1, self._pending_next
        pos = int(self._bg.state["state"]["pos"])
        if pos >= _MT_N:
            return 1, self._next_at_end
        return _MT_N + 1 - pos, pos

    def _get_state_bytes(self) -> np.ndarray:
        """The state as torch's 5056-byte ``get_rng_state()`` layout (uint8 array)."""
        rec = np.zeros((), _STATE_DTYPE)
        left, nxt = self._left_next()
        rec["seed"] = self._seed
        rec["left"] = left
        rec["seeded"] = 1
        rec["next"] = nxt
        rec["state"] = self._bg.state["state"]["key"]
        if self._normal_double is not None:
            rec["normal_y"] = self._normal_double
            rec["normal_is_valid"] = 1
        if self._normal_float is not None:
            rec["next_float_normal"] = self._normal_float
            rec["next_float_normal_valid"] = 1
        return np.frombuffer(rec.tobytes(), np.uint8).copy()

    def _set_state_bytes(self, arr) -> None:
        """Restore a state from torch's layout; validates as ``torch.set_rng_state``."""
        arr = np.asarray(arr)
        if arr.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if not arr.flags.c_contiguous:
            raise RuntimeError("RNG state must be contiguous")
        if arr.size != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input "
                f"RNG state size to be {arr.size}"
            )
        rec = np.frombuffer(arr.tobytes(), _STATE_DTYPE)[0]
        left = int(rec["left"])
        nxt = int(rec["next"]) & 0xFFFFFFFF
        if int(rec["seeded"]) == 0 or not 0 < left <= _MT_N or nxt > _MT_N:
            raise RuntimeError("Invalid mt19937 state")
        key = (rec["state"] & 0xFFFFFFFF).astype(np.uint32)
        self._seed = int(rec["seed"])
        self._pending = None
        self._next_at_end = _MT_N
        if left == 1:
            pos = _MT_N
            self._next_at_end = nxt
        elif left + nxt == _MT_N + 1:
            pos = nxt
        else:
            # a state torch never produces itself: the next left - 1 draws read
            # state[next:], then the engine twists (words past the end read as 0)
            words = np.zeros(left - 1, np.uint32)
            avail = key[nxt : nxt + left - 1]
            words[: avail.size] = avail
            self._pending = _temper(words)
            self._pending_next = nxt
            pos = _MT_N
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._normal_double = float(rec["normal_y"]) if int(rec["normal_is_valid"]) else None
        self._normal_float = (
            np.float32(rec["next_float_normal"]) if int(rec["next_float_normal_valid"]) else None
        )

    def get_state(self):
        """The state as a uint8 tensor of 5056 bytes (torch's layout)."""
        from ._tensor import _make

        return _make(self._get_state_bytes())

    def set_state(self, new_state) -> Generator:
        """Restore a state returned by :meth:`get_state` (or by torch)."""
        from ._tensor import Tensor

        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        self._set_state_bytes(new_state._host())
        return self

    # -- raw draws ---------------------------------------------------------------------

    def _raw32(self, n: int) -> np.ndarray:
        """``n`` 32-bit draws as a uint64 array."""
        if self._pending is not None:
            p = self._pending
            if n < p.size:
                self._pending = p[n:]
                self._pending_next += n
                return p[:n].copy()
            self._pending = None
            if n == p.size:
                self._next_at_end = self._pending_next + n
                return p
            rest = self._bg.random_raw(n - p.size)
            self._next_at_end = _MT_N
            return np.concatenate([p, rest])
        if n <= 0:
            return np.empty(0, np.uint64)
        self._next_at_end = _MT_N
        return self._bg.random_raw(n)

    def _raw64(self, n: int) -> np.ndarray:
        """``n`` 64-bit draws, each ``(first << 32) | second``."""
        r = self._raw32(2 * n)
        return (r[0::2] << np.uint64(32)) | r[1::2]

    def _uniform_base(self, n: int, dt: np.dtype) -> np.ndarray:
        """uniform_real_distribution(0, 1) of torch for dtype ``dt`` (exact)."""
        if dt == _F64:
            return (self._raw64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
        if dt == _F32:
            return (self._raw32(n) & np.uint64(0xFFFFFF)).astype(np.float32) * _f(2.0**-24)
        raise AssertionError(dt)

    # -- uniform -----------------------------------------------------------------------

    def _uniform(self, shape, np_dtype, low=0.0, high=1.0) -> np.ndarray:
        """``torch.rand`` / ``Tensor.uniform_(low, high)``: values in [low, high)."""
        dt = np.dtype(np_dtype)
        if dt not in _FLOAT_DIGITS:
            raise _not_implemented("check_uniform_bounds", dt)
        low, high = float(low), float(high)
        fmax = float(np.finfo(dt).max)
        if not -fmax <= low <= fmax:
            raise RuntimeError(f"from is out of bounds for {_DTYPE_NAMES[dt]}")
        if not -fmax <= high <= fmax:
            raise RuntimeError(f"to is out of bounds for {_DTYPE_NAMES[dt]}")
        if not low <= high:
            raise RuntimeError(
                f"uniform_ expects to return a [from, to) range, but found from={_fmt(low)} "
                f"> to={_fmt(high)}"
            )
        if not high - low <= fmax:
            raise RuntimeError(
                f"uniform_ expects to-from <= std::numeric_limits<{_SCALAR_NAMES[dt]}>::max(), "
                f"but found to={_fmt(high)} and from={_fmt(low)} which result in to-from to "
                "exceed the limit"
            )
        shape = tuple(shape)
        n = _numel(shape)
        if n == 0:
            return np.empty(shape, dt)
        # float16 is drawn and computed as float32 (ATen's opmath type), then rounded
        x = self._uniform_base(n, _F32 if dt == _F16 else dt)
        if dt == _F64:
            if low == 0.0 and high == 1.0:
                out = x
            else:
                out = _chunked(_fma64, x, high - low, low)
                out[out == high] = low
        else:
            a, b = _f(low), _f(high)
            out = x if (a == 0 and b == 1) else _chunked(_fma32, x, b - a, a)
            if dt == _F16:
                out = out.astype(np.float16)
                a, b = _to_half(a), _to_half(b)
            # a result that reached `to` (here or by rounding to half) is replaced by `from`
            out[out == b] = a
        return out.reshape(shape)

    # -- normal ------------------------------------------------------------------------

    def _normal_scalar(self, n: int, mean: float, std: float) -> np.ndarray:
        """n draws of normal_distribution<double>: Box-Muller with the cached sample.

        Each fresh pair of float64 uniforms (u1, u2) gives r * cos(theta), returned,
        and r * sin(theta), cached for the next draw, with r = sqrt(-2 log1p(-u2))
        and theta = 2 pi u1 (glibc's log1p, one element at a time).
        """
        vals = np.empty(n, np.float64)
        k = 0
        if n and self._normal_double is not None:
            vals[0] = self._normal_double
            self._normal_double = None
            k = 1
        pairs = (n - k + 1) // 2
        if pairs:
            u = self._uniform_base(2 * pairs, _F64)
            r = np.sqrt(-2.0 * np.array([math.log1p(-v) for v in u[1::2].tolist()]))
            sin_t, cos_t = _libm_sin_cos((2.0 * math.pi) * u[0::2])
            both = np.empty(2 * pairs, np.float64)
            both[0::2] = r * cos_t
            both[1::2] = r * sin_t
            vals[k:] = both[: n - k]
            if (n - k) % 2:
                self._normal_double = float(both[-1])
        if std == 1.0 and mean == 0.0:
            return vals + 0.0
        return _fma64(vals, std, mean)

    def _normal(self, shape, np_dtype, mean=0.0, std=1.0, *, contiguous=True) -> np.ndarray:
        """``torch.randn`` / ``Tensor.normal_(mean, std)``.

        torch runs its blockwise kernel only on contiguous tensors of 16 or more
        elements; ``contiguous=False`` selects the element-by-element path that
        ``normal_`` takes on a non-contiguous tensor (the values then come in the
        order torch visits the elements, which the caller scatters).
        """
        dt = np.dtype(np_dtype)
        mean, std = float(mean), float(std)
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
        shape = tuple(shape)
        n = _numel(shape)
        if n == 0:
            return np.empty(shape, dt)
        if dt not in _FLOAT_DIGITS:
            raise _not_implemented("normal_kernel_cpu", dt)
        if n < 16 or not contiguous:
            return _from_double(self._normal_scalar(n, mean, std), dt).reshape(shape)
        head = n - n % 16
        # float16 runs the float32 kernel block by block and rounds the results; it
        # draws uniforms only for the whole blocks (float32/float64 draw all n first)
        ct = _F32 if dt == _F16 else dt
        d = self._uniform_base(head if dt == _F16 else n, ct)
        tail = self._uniform_base(16, ct) if n % 16 else None
        if ct == _F32:
            block, m, s = _normal_blocks_f32, _f(mean), _f(std)
        else:
            block, m, s = _normal_blocks_f64, mean, std
        out = np.empty(n, ct)
        out[:head] = block(d[:head], m, s)
        if tail is not None:
            out[n - 16 :] = block(tail, m, s)
        return out.astype(dt, copy=False).reshape(shape)

    # -- integers ----------------------------------------------------------------------

    def _randint(self, low, high, shape, np_dtype) -> np.ndarray:
        """``Tensor.random_(low, high)`` / ``torch.randint``: integers in [low, high).

        ``high=None`` is ``random_(low)`` with torch's ``to=None``: [low, dtype max].
        """
        dt = np.dtype(np_dtype)
        low = int(low)
        shape = tuple(shape)
        is_float = dt in _FLOAT_DIGITS
        full_range = False
        if high is not None:
            high = int(high)
            if not low < high:
                raise RuntimeError(
                    f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
                )
            if is_float:
                low = _update_from(low, dt)
                high = _update_to(high, dt)
                if not low < high:
                    raise RuntimeError(
                        "random_ expects 'from' casted to dtype to be less than 'to' casted to "
                        f"dtype, but got from={low} >= to={high}"
                    )
            _check_from_to(low, high - 1, dt)
            rng = (high - low) & _U64
        elif low != -(1 << 63):
            if is_float:
                to_inc = 1 << _FLOAT_DIGITS[dt]
                low = _update_from(low, dt)
                if not low < to_inc:
                    raise RuntimeError(
                        "random_ expects 'from' casted to dtype to be less than or equal to "
                        f"'to_inc' casted to dtype, but got from={low} > to_inc={to_inc}"
                    )
            elif dt == np.bool_:
                to_inc = 1
            else:
                to_inc = int(np.iinfo(dt).max)
            _check_from_to(low, to_inc, dt)
            rng = (to_inc - low + 1) & _U64
        else:
            full_range = True
        n = _numel(shape)
        if n == 0:
            return np.empty(shape, dt)
        if full_range:
            if dt in (_F16, np.dtype(np.bool_)):
                raise NotImplementedError(
                    '"random_full_64_bits_range_kernel_cpu" not implemented for '
                    f"'{_torch_name(dt)}'"
                )
            if dt not in (np.dtype(np.int64), _F32, _F64):
                raise RuntimeError(
                    "random_full_64_bits_range_kernel_cpu handles only int64, double, float and "
                    "bfloat16"
                )
            v = self._raw64(n).view(np.int64)
        else:
            draws = self._raw64(n) if rng >= 1 << 28 else self._raw32(n)
            v = (draws % np.uint64(rng) + np.uint64(low & _U64)).view(np.int64)
        return _cast_int64(v, dt).reshape(shape)

    def _random(self, shape, np_dtype) -> np.ndarray:
        """``Tensor.random_()`` without bounds: [0, 2**digits] for floats, [0, max] else."""
        dt = np.dtype(np_dtype)
        shape = tuple(shape)
        n = _numel(shape)
        if n == 0:
            return np.empty(shape, dt)
        if dt == np.bool_:
            return (self._raw32(n) & np.uint64(1)).astype(np.bool_).reshape(shape)
        if dt in (_F64, np.dtype(np.int64)):
            v = self._raw64(n)
            mod = (1 << 53) + 1 if dt == _F64 else 1 << 63
        else:
            v = self._raw32(n)
            if dt in _FLOAT_DIGITS:
                mod = (1 << _FLOAT_DIGITS[dt]) + 1
            else:
                mod = int(np.iinfo(dt).max) + 1
        return (v % np.uint64(mod)).astype(dt).reshape(shape)

    def _randperm(self, n, np_dtype) -> np.ndarray:
        """``torch.randperm(n)``: torch's two shuffles, both vectorised."""
        n = int(n)
        dt = np.dtype(np_dtype)
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
        top = n - 1 if n > 0 else n
        if dt.kind in "iu" and top > np.iinfo(dt).max:
            raise RuntimeError(
                f"value cannot be converted to type {_C_INT_NAMES[dt]} without overflow"
            )
        limit = {_F16: (2049, "2049 for Half"), _F32: (2**24 + 1, "2^24+1 for Float")}
        limit[_F64] = (2**53 + 1, "2^53+1 for Double")
        if dt in limit and n > limit[dt][0]:
            raise RuntimeError(f"n cannot be greater than {limit[dt][1]} type.")
        if dt == np.bool_:
            raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
        if n < 0xFFFFFFFF // 20:
            if n <= 1:
                return np.arange(n, dtype=np.int64).astype(dt)
            span = np.arange(n, 1, -1, dtype=np.uint64)  # n - i for i = 0..n-2
            z = (self._raw32(n - 1) % span).astype(np.int64)
            perm = _perm_swaps(z + np.arange(n - 1, dtype=np.int64), n)
        else:
            z = (self._raw64(n) % np.arange(1, n + 1, dtype=np.uint64)).astype(np.int64)
            perm = _perm_inside_out(z, n)
        return perm.astype(dt)

    # -- Bernoulli ---------------------------------------------------------------------

    def _bernoulli_scalar(self, shape, p, np_dtype) -> np.ndarray:
        """``Tensor.bernoulli_(p)`` with a float p: a float64 uniform < p."""
        p = float(p)
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_fmt(p)}")
        shape = tuple(shape)
        n = _numel(shape)
        dt = np.dtype(np_dtype)
        if n == 0:
            return np.empty(shape, dt)
        return (self._uniform_base(n, _F64) < p).astype(dt).reshape(shape)

    def _bernoulli_tensor(self, probs, np_dtype) -> np.ndarray:
        """``torch.bernoulli(probs)`` / ``bernoulli_(p_tensor)``, elementwise, C order.

        float64 probabilities compare with a float64 uniform (64-bit draw); float32 and
        float16 ones with a float32 uniform (32-bit draw), in float32.
        """
        probs = np.asarray(probs)
        dt = np.dtype(np_dtype)
        n = probs.size
        if n == 0:
            return np.empty(probs.shape, dt)
        pd = probs.dtype
        if pd not in _FLOAT_DIGITS:
            raise _not_implemented("bernoulli_tensor_cpu_p_", pd)
        p = probs.reshape(-1)
        kind = _F64 if pd == _F64 else _F32
        bad = ~((p >= 0) & (p <= 1))
        if bad.any():
            # each element checks its p before drawing: the ones before the bad one drew
            self._uniform_base(int(np.argmax(bad)), kind)
            raise RuntimeError(
                "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                "message be improved?  If so, please report an enhancement request to PyTorch.)"
            )
        x = self._uniform_base(n, kind)
        return (x < p).astype(dt).reshape(probs.shape)

    # -- other distributions (double arithmetic per element, as ATen's serial kernels) --

    def _double_uniforms(self, n: int) -> list:
        return self._uniform_base(n, _F64).tolist()

    def _exponential(self, shape, np_dtype, lambd=1.0) -> np.ndarray:
        """``Tensor.exponential_(lambd)``: -1/lambd * log1p(-u) in double."""
        lambd = float(lambd)
        if not lambd > 0.0:
            raise RuntimeError(
                f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}"
            )
        shape, dt, n = _prep(shape, np_dtype)
        if n == 0:
            return np.empty(shape, dt)
        if dt not in _FLOAT_DIGITS:
            raise RuntimeError(
                "Exponential distribution is a continuous probability distribution. dtype must "
                f"be a floating point but you specified {_torch_name(dt)}"
            )
        c = -1.0 / lambd
        vals = [c * math.log1p(-u) for u in self._double_uniforms(n)]
        return _from_double(np.array(vals, np.float64), dt).reshape(shape)

    def _geometric(self, shape, np_dtype, p) -> np.ndarray:
        """``Tensor.geometric_(p)``: ceil(log(u) / log1p(-p)) in double."""
        p = float(p)
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
        shape, dt, n = _prep(shape, np_dtype)
        if n == 0:
            return np.empty(shape, dt)
        if dt == np.bool_:
            raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
        den = math.log1p(-p)
        vals = []
        for u in self._double_uniforms(n):
            q = (math.log(u) if u > 0 else -math.inf) / den
            vals.append(math.ceil(q) if math.isfinite(q) else q)
        return _from_double(np.array(vals, np.float64), dt).reshape(shape)

    def _log_normal(self, shape, np_dtype, mean=1.0, std=2.0) -> np.ndarray:
        """``Tensor.log_normal_(mean, std)``: exp(normal(mean, std)) in double."""
        mean, std = float(mean), float(std)
        if not std > 0.0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_fmt(std)}")
        shape, dt, n = _prep(shape, np_dtype)
        if n == 0:
            return np.empty(shape, dt)
        if dt not in _FLOAT_DIGITS:
            raise _not_implemented("log_normal_cpu", dt)
        v = self._normal_scalar(n, mean, std)
        vals = [math.exp(x) if x < 709.8 else math.inf for x in v.tolist()]
        return _from_double(np.array(vals, np.float64), dt).reshape(shape)

    def _cauchy(self, shape, np_dtype, median=0.0, sigma=1.0) -> np.ndarray:
        """``Tensor.cauchy_(median, sigma)``: median + sigma * tan(pi * (u - 0.5))."""
        median, sigma = float(median), float(sigma)
        if not sigma > 0.0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_fmt(sigma)}")
        shape, dt, n = _prep(shape, np_dtype)
        if dt not in _FLOAT_DIGITS:
            raise RuntimeError(
                "Cauchy distribution is a continuous probability distribution. dtype must be a "
                f"floating point but you specified {_DTYPE_NAMES[dt]}"
            )
        if n == 0:
            return np.empty(shape, dt)
        tans = [math.tan(math.pi * (u - 0.5)) for u in self._double_uniforms(n)]
        vals = [_fma_exact(sigma, t, median) for t in tans]
        return _from_double(np.array(vals, np.float64), dt).reshape(shape)

    def _poisson(self, rates, np_dtype) -> np.ndarray:
        """``torch.poisson(rates)``: ATen's ``sample_poisson`` per element, in C order.

        A rate >= 10 uses Hoermann's transformed rejection (PTRS), a smaller positive rate
        multiplies double uniforms until the product drops to exp(-rate); rate 0 gives 0
        without drawing. Every uniform is a 53-bit double from one 64-bit draw.
        """
        rates = np.asarray(rates)
        dt = np.dtype(np_dtype)
        if dt not in _FLOAT_DIGITS:
            raise _not_implemented("poisson_cpu", dt)
        lam_list = rates.astype(np.float64).reshape(-1).tolist()
        out = np.zeros(len(lam_list), np.float64)
        mask = np.uint64((1 << 53) - 1)

        def uniform() -> float:
            return float(self._raw64(1)[0] & mask) * 2.0**-53

        lgamma = _c_lgamma()
        log = math.log
        for i, lam in enumerate(lam_list):
            if not lam >= 0:
                raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
            if lam >= 10:
                slam = math.sqrt(lam)
                loglam = log(lam)
                b = 0.931 + 2.53 * slam
                a = -0.059 + 0.02483 * b
                invalpha = 1.1239 + 1.1328 / (b - 3.4)
                vr = 0.9277 - 3.6224 / (b - 2)
                while True:
                    u = uniform() - 0.5
                    v = uniform()
                    us = 0.5 - abs(u)
                    kf = math.floor((2 * a / us + b) * u + lam + 0.43)
                    k = int(kf) if math.isfinite(kf) else -(2**63)  # (int64_t) of inf: x86
                    if us >= 0.07 and v <= vr:
                        break
                    if k < 0 or (us < 0.013 and v > us):
                        continue
                    lhs = (log(v) if v > 0 else -math.inf) + log(invalpha)
                    lhs -= log(a / (us * us) + b)
                    if lhs <= -lam + k * loglam - lgamma(float(k) + 1.0):
                        break
                out[i] = k
            elif lam > 0:
                enlam = math.exp(-lam)
                x = 0
                prod = 1.0
                while True:
                    prod *= uniform()
                    if prod > enlam:
                        x += 1
                    else:
                        break
                out[i] = x
        return _from_double(out, dt).reshape(rates.shape)

    def _multinomial(self, probs_2d, num_samples, replacement) -> np.ndarray:
        """``torch.multinomial(probs, num_samples, replacement)`` for a 1-D or 2-D array.

        Without replacement (or for one sample) torch draws q ~ Exp(1) in the input's
        dtype and takes the top ``num_samples`` of probs / q; with replacement it
        searches a float64 uniform per sample in each row's normalised cumulative sum.
        Rows are processed in order, so an invalid row raises after the rows before
        it have drawn. Ties in probs / q (zero probabilities, float16 rounding) are
        ordered as torch's topk orders them, by emulating libstdc++'s selection.
        """
        probs = np.asarray(probs_2d)
        if not 0 < probs.ndim <= 2:
            raise RuntimeError("prob_dist must be 1 or 2 dim")
        if probs.dtype not in _FLOAT_DIGITS:
            raise RuntimeError(
                "multinomial only supports floating-point dtypes for input, got: "
                f"{_torch_name(probs.dtype)}"
            )
        n_sample = int(num_samples)
        if n_sample <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        ncat = probs.shape[-1]
        if not replacement and n_sample > ncat:
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        if ncat > 1 << 24:
            raise RuntimeError("number of categories cannot exceed 2^24")
        out_shape = (n_sample,) if probs.ndim == 1 else (probs.shape[0], n_sample)
        if _numel(out_shape) == 0:
            return np.empty(out_shape, np.int64)
        rows = np.ascontiguousarray(probs).reshape(-1, ncat)
        if not replacement or n_sample == 1:
            if not (rows.max() < np.inf and rows.min() >= 0):
                raise RuntimeError(
                    "probability tensor contains either `inf`, `nan` or element < 0"
                )
            if (rows.sum(axis=1) == 0).any():
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            q = rows / self._exponential(rows.shape, rows.dtype, 1.0)
            if n_sample == 1:
                return np.argmax(q, axis=1).reshape(out_shape)
            # topk(q, n_sample): a plain sort where the chosen values are distinct
            key = np.where(np.isnan(q), -np.inf, -q.astype(np.float64))
            order = np.argsort(key, axis=1, kind="stable")
            idx = order[:, :n_sample].astype(np.int64)
            top = np.take_along_axis(key, order[:, : n_sample + 1], axis=1)
            tied = ~(np.diff(top, axis=1) > 0).all(axis=1)
            for i in np.nonzero(tied)[0]:
                idx[i] = _topk_indices(q[i], n_sample)
            return idx.reshape(out_shape)
        acc = np.float64 if rows.dtype == _F64 else np.float32
        vals = rows.astype(acc)
        bad_neg = ~(vals >= 0)
        bad_inf = ~np.isfinite(vals)
        cum = np.cumsum(vals, axis=1, dtype=acc)  # sequential, as the kernel's loop
        total = cum[:, -1].copy()
        out = np.empty((rows.shape[0], n_sample), np.int64)
        for i in range(rows.shape[0]):
            row_neg, row_inf = bad_neg[i], bad_inf[i]
            if row_neg.any() or row_inf.any():
                first_neg = int(np.argmax(row_neg)) if row_neg.any() else ncat
                first_inf = int(np.argmax(row_inf)) if row_inf.any() else ncat
                what = "< 0" if first_neg <= first_inf else "= infinity or NaN"
                raise RuntimeError(
                    f"invalid multinomial distribution (encountering probability entry {what})"
                )
            if not total[i] > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            c = cum[i] / total[i]
            c[-1] = 1
            u = self._uniform_base(n_sample, _F64)
            out[i] = np.searchsorted(c.astype(np.float64), u, side="left")
        return out.reshape(out_shape)

    def clone_state(self) -> Generator:
        """A new generator in this generator's state."""
        g = Generator(self._device_str)
        g._set_state_bytes(self._get_state_bytes())
        return g

    def get_offset(self) -> int:
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset) -> Generator:
        raise RuntimeError("CPU Generator does not use offset")

    def __reduce__(self):
        return (Generator, (self._device_str,), self._get_state_bytes())

    def __setstate__(self, state) -> None:
        self._set_state_bytes(state)

    def __repr__(self) -> str:
        return f"<torchless._random.Generator object at {id(self):#x}>"


def _not_implemented(kernel: str, dt) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_torch_name(dt)}'")


def _prep(shape, np_dtype):
    shape = tuple(shape)
    return shape, np.dtype(np_dtype), _numel(shape)


_TORCH_NAMES = {
    np.dtype(np.bool_): "Bool",
    np.dtype(np.uint8): "Byte",
    np.dtype(np.int8): "Char",
    np.dtype(np.int16): "Short",
    np.dtype(np.int32): "Int",
    np.dtype(np.int64): "Long",
    _F16: "Half",
    _F32: "Float",
    _F64: "Double",
}


def _torch_name(dt) -> str:
    return _TORCH_NAMES.get(np.dtype(dt), str(dt))


def _wrap64(v: int) -> int:
    """An integer wrapped to int64, as C++'s signed arithmetic behaves on x86-64."""
    return ((v + (1 << 63)) & _U64) - (1 << 63)


def _cast_to_float(v: int, dt) -> int:
    """static_cast<int64_t>(static_cast<scalar_t>(v)) for an int64 v.

    int64 -> float rounds to nearest (via float for half); a value that then does not
    fit int64 (or an infinity) converts to INT64_MIN, as x86-64's cvttsd2si does.
    """
    x = np.array(v, np.int64)
    if dt == _F64:
        f = float(x.astype(np.float64))
    else:
        f = float(x.astype(np.float32).astype(dt))
    if not math.isfinite(f) or not -(2.0**63) <= f < 2.0**63:
        return -(1 << 63)
    return int(f)


def _update_from(frm: int, dt) -> int:
    plus1 = _cast_to_float(_wrap64(frm + 1), dt)
    if plus1 < frm:
        n = abs(_wrap64(frm + 1)).bit_length() - 1
        frm = _wrap64(plus1 + (1 << (n - _FLOAT_DIGITS[dt] + 1)))
    return frm


def _update_to(to: int, dt) -> int:
    minus1 = _cast_to_float(_wrap64(to - 1), dt)
    if minus1 >= to:
        n = abs(_wrap64(to - 1)).bit_length() - 1
        to = _wrap64(minus1 - (1 << (n - _FLOAT_DIGITS[dt] + 1)))
    return to


def _check_from_to(frm: int, to_inc: int, dt) -> None:
    name = _DTYPE_NAMES[dt]
    if dt in _FLOAT_DIGITS:
        fmax = float(np.finfo(dt).max)
        lo, hi = -fmax, fmax
    elif dt == np.bool_:
        lo, hi = 0, 1
    else:
        info = np.iinfo(dt)
        lo, hi = int(info.min), int(info.max)
    if not lo <= frm <= hi:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not lo <= to_inc <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")
    if dt in _FLOAT_DIGITS:
        digits = _FLOAT_DIGITS[dt]
        for var, what in ((frm, "from"), (to_inc, "to - 1")):
            if var < -(1 << digits) or var > (1 << digits):
                warnings.warn(
                    f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                    f"limitations {name} can support discrete uniform distribution only within "
                    "this range. This warning will become an error in version 1.7 release, "
                    "please fix the code in advance",
                    UserWarning,
                    stacklevel=4,
                )


_LGAMMA = None


def _c_lgamma():
    """The C library's ``lgamma`` (ATen's ``std::lgamma``); Python's own if unavailable."""
    global _LGAMMA
    if _LGAMMA is None:
        try:
            import ctypes
            import ctypes.util

            f = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").lgamma
            f.restype = ctypes.c_double
            f.argtypes = [ctypes.c_double]
            _LGAMMA = f
        except (OSError, AttributeError):
            _LGAMMA = math.lgamma
    return _LGAMMA


def _from_double(v: np.ndarray, dt) -> np.ndarray:
    """static_cast<scalar_t>(double): float16 goes through float (c10::Half(float))."""
    if dt == _F16:
        return v.astype(np.float32).astype(np.float16)
    with np.errstate(invalid="ignore"):  # out-of-range values: whatever x86 gives, as torch
        return v.astype(dt, copy=False)


_C_INT_NAMES = {
    np.dtype(np.uint8): "uint8_t",
    np.dtype(np.int8): "int8_t",
    np.dtype(np.int16): "int16_t",
    np.dtype(np.int32): "int",
    np.dtype(np.int64): "int64_t",
}


def _cast_int64(v: np.ndarray, dt) -> np.ndarray:
    """static_cast<scalar_t>(int64): wraps for narrow integers, rounds for floats."""
    if dt == _F16:
        return v.astype(np.float32).astype(np.float16)
    return v.astype(dt)


# torch seeds its default CPU generator from /dev/urandom at start-up
# (getDefaultCPUGenerator uses getNonDeterministicRandom), unlike torch.Generator().
default_generator = Generator()
default_generator.seed()
