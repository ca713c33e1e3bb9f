"""torchless._fma: the fused multiply-add emulation against exact rational arithmetic (random
and adversarial inputs: rounding midpoints, cancellation, subnormals, overflow, signed zeros,
inf and nan) and against torch's ``add(y, x, alpha=a)``, which is an FMA on the CPU."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from torchless._fma import axpy, fma, fma_exact

# (significand bits, lowest normal exponent, highest exponent) of each format
_FORMATS = {
    np.dtype(np.float16): (11, -14, 15),
    np.dtype(np.float32): (24, -126, 127),
    np.dtype(np.float64): (53, -1022, 1023),
}
DTYPES = [np.float16, np.float32, np.float64]
# p-bit integers m1, m2 with m1 * m2 = 2**(2p - 1) + j for a small j > 0 (found by search)
_ABOVE_MIDPOINT = {11: (1377, 1523), 24: (9010893, 15618595)}


def _round(v: Fraction, dtype) -> float:
    """``v`` rounded to nearest-even in ``dtype`` (as a float; inf past the range)."""
    p, emin, emax = _FORMATS[np.dtype(dtype)]
    if v == 0:
        return 0.0
    sign = -1.0 if v < 0 else 1.0
    v = abs(v)
    e = v.numerator.bit_length() - v.denominator.bit_length()
    if Fraction(2) ** e > v:
        e -= 1
    q = max(e, emin) - (p - 1)  # the unit in the last place
    m = v / Fraction(2) ** q
    n = math.floor(m)
    if m - n > Fraction(1, 2) or (m - n == Fraction(1, 2) and n % 2):
        n += 1
    if n * Fraction(2) ** q >= Fraction(2) ** (emax + 1):
        return sign * math.inf
    return sign * math.ldexp(n, q)  # -0.0 when a tiny value rounds to zero


def _ieee_fma(a: float, b: float, c: float, dtype) -> float:
    """The IEEE 754 fusedMultiplyAdd of three values of ``dtype``, rounded once to it."""
    if math.isnan(a) or math.isnan(b) or math.isnan(c):
        return math.nan
    if math.isinf(a) or math.isinf(b):
        if a == 0 or b == 0:
            return math.nan
        prod = a * b
        return math.nan if (math.isinf(c) and c != prod) else prod
    if math.isinf(c):
        return c
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        # +0, unless both addends are -0 (a nonzero product has the sign opposite to c's)
        neg_prod = math.copysign(1.0, a) * math.copysign(1.0, b) < 0
        return -0.0 if neg_prod and math.copysign(1.0, c) < 0 else 0.0
    return _round(exact, dtype)


def _expected(a, b, c, dtype):
    """The reference result: one rounding to ``dtype``; for float16, torch's arithmetic
    (an FMA in float32, then rounded to float16)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, dtype) for v in (a, b, c)))
    out = []
    for x, y, z in zip(a.ravel().tolist(), b.ravel().tolist(), c.ravel().tolist()):
        if np.dtype(dtype) == np.float16:
            r = _ieee_fma(x, y, z, np.float32)
            out.append(_round(Fraction(r), np.float16) if math.isfinite(r) and r else r)
        else:
            out.append(_ieee_fma(x, y, z, dtype))
    return np.array(out, dtype).reshape(a.shape)


def _same_bits(got, expect):
    """Equal values with equal signs of zero; any nan matches any nan."""
    got = np.asarray(got)
    assert got.dtype == expect.dtype
    assert got.shape == expect.shape
    nan = np.isnan(expect)
    np.testing.assert_array_equal(np.isnan(got), nan)
    np.testing.assert_array_equal(got[~nan], expect[~nan])
    np.testing.assert_array_equal(np.signbit(got[~nan]), np.signbit(expect[~nan]))


# --------------------------------------------------------------------------------- inputs


def _ulp(v: np.ndarray) -> np.ndarray:
    return np.abs(np.spacing(v))


def _random_operands(dtype, n, seed):
    """Random operands over the format's range, plus sums that fall on rounding midpoints
    (c chosen so that a * b + c is within the product's low part of a midpoint) and exact
    cancellations."""
    rng = np.random.default_rng(seed)
    info = np.finfo(dtype)
    lo, hi = math.log2(info.smallest_subnormal), math.log2(info.max)
    span = min(hi, -lo) / 2

    def draw(k, lo_e, hi_e):
        return (rng.choice([-1.0, 1.0], k) * 2.0 ** rng.uniform(lo_e, hi_e, k)).astype(dtype)

    a = draw(n, -span, span)
    b = draw(n, -span, span)
    c = draw(n, lo, hi)
    k = n // 4
    # a subnormal or tiny factor times a large one (splitting and underflow), last quarter
    p_bits, emin, emax = _FORMATS[np.dtype(dtype)]
    a[-k:] = draw(k, lo, emin + p_bits)
    b[-k:] = draw(k, 0, emax)
    # c of the product's size: cancellation and midpoints
    with np.errstate(over="ignore"):
        for part in (slice(0, k), slice(n - k, n)):
            p = (a[part].astype(np.float64) * b[part]).astype(dtype)
            half = (_ulp(p) / 2).astype(dtype)
            pick = rng.integers(0, 5, k)
            c[part] = np.select(
                [pick == 0, pick == 1, pick == 2, pick == 3],
                [-p, half, -half, (-p + 3 * half).astype(dtype)],
                p,
            )
    return a, b, c


def _adversarial(dtype):
    """Hand-picked cases per format: double-rounding traps, subnormal results, overflow,
    cancellation to tiny results, signed zeros, infinities and nan."""
    p, emin, emax = _FORMATS[np.dtype(dtype)]
    u = 2.0 ** -(p - 1)  # ulp of 1
    tiny = 2.0 ** (emin - p + 1)  # the smallest subnormal
    big = float(np.finfo(dtype).max)
    inf, nan = math.inf, math.nan
    h = 2.0 ** (emin // 2)  # splits a scale of 2**emin between two normal factors
    # a * b = 2**-p * (1 - u**2): just below half an ulp of 1, by far less than a float64
    # ulp of 1, so a * b + c computed in float64 lands on the midpoint and ties to even
    below = (2.0**-p * (1 + u), 1 - u)
    cases = [
        (*below, 1 + u),
        (-below[0], below[1], -(1 + u)),
        # the same on the subnormal grid, next to the largest subnormal (odd)
        (below[0] * h, below[1] * h, 2.0**emin - tiny),
        (below[0] * h, -below[1] * h, -(2.0**emin - tiny)),
    ]
    if p in _ABOVE_MIDPOINT:  # a * b = 2**-p * (1 + j * 2**(1 - 2p)): just above half an ulp
        m1, m2 = _ABOVE_MIDPOINT[p]
        above = (m1 * 2.0 ** (-2 * p), m2 * 2.0 ** (1 - p))
        cases += [
            (*above, 1 + 2 * u),
            (-above[0], above[1], -(1 + 2 * u)),
            (above[0] * h, above[1] * h, 2.0**emin - 2 * tiny),
            (above[0] * h, -above[1] * h, -(2.0**emin - 2 * tiny)),
        ]
    cases += [
        # a * b = 1 + 2u + u**2: with c = -1 the result is 2u + u**2 (exactly representable
        # or not); with c = u/2 the sum sits just above a midpoint
        (1 + u, 1 + u, -1.0),
        (1 + u, 1 + u, u / 2),
        (1 + u, 1 - u, -1.0),
        (1 - u, 1 + u, u / 2),
        (-(1 + u), 1 + u, -u / 2),
        (1 + 2.0 ** -(p // 2), 1 + 2.0 ** -(p // 2), 2.0**-p),
        (1 + 2.0 ** -(p // 2), 1 - 2.0 ** -(p // 2), -(2.0**-p)),
        # results and products in the subnormal range
        (2.0 ** (emin // 2), 2.0 ** (emin // 2 - p), 0.0),
        (2.0 ** (emin // 2) * (1 + u), 2.0 ** (emin - emin // 2 - 1), tiny),
        (2.0 ** (emin // 2) * (1 + u), -(2.0 ** (emin - emin // 2 - 1)), tiny * 3),
        (tiny, 0.5, tiny),
        (tiny, 0.5, -tiny),
        (tiny, 0.5, 0.0),
        (tiny, -0.5, 0.0),
        (tiny, 0.5, -0.0),
        (tiny, tiny, 0.0),
        (-tiny, tiny, 0.0),
        (tiny, tiny, -0.0),
        (tiny * 3, 0.5, tiny * 5),
        (2.0**emin, 1 - u, -(2.0**emin)),
        (2.0**emin * 1.5, 1 + u, -(2.0**emin)),
        # overflow, and products that overflow while the FMA does not
        (big, 2.0, -big),
        (big, 1 + u, -big),
        (big, 1 + u, 0.0),
        (big, 1.0, big * u / 4),
        (big, -1.0, -big * u / 2),
        (big / 2, 2.0, 0.0),
        (2.0 ** (emax // 2 + 1), 2.0 ** (emax - emax // 2), -big),
        (big, big, -inf),
        (big, big, inf),
        (big, -big, inf),
        # signed zeros
        (0.0, 0.0, 0.0),
        (-0.0, 0.0, 0.0),
        (-0.0, 0.0, -0.0),
        (0.0, -1.0, -0.0),
        (-1.0, 0.0, -0.0),
        (1.0, 1.0, -1.0),
        (-1.0, 1.0, 1.0),
        (1 + u, 1 - u, -(1 - u * u)),
        (3.0, 5.0, -15.0),
        # infinities and nan
        (inf, 0.0, 1.0),
        (inf, 2.0, -inf),
        (inf, -2.0, -inf),
        (inf, 2.0, 1.0),
        (2.0, 3.0, inf),
        (0.0, 3.0, -inf),
        (nan, 1.0, 1.0),
        (1.0, nan, 1.0),
        (1.0, 1.0, nan),
        (inf, inf, nan),
    ]
    a, b, c = (np.array(col, dtype) for col in zip(*cases))
    return a, b, c


# ---------------------------------------------------------------------- exact arithmetic


def test_fma_exact_is_ieee():
    a, b, c = _adversarial(np.float64)
    ra, rb, rc = _random_operands(np.float64, 3000, seed=3)
    for x, y, z in zip(
        np.concatenate([a, ra]).tolist(),
        np.concatenate([b, rb]).tolist(),
        np.concatenate([c, rc]).tolist(),
    ):
        got, want = fma_exact(x, y, z), _ieee_fma(x, y, z, np.float64)
        assert (math.isnan(got) and math.isnan(want)) or (
            got == want and math.copysign(1, got) == math.copysign(1, want)
        ), (x, y, z, got, want)
    assert fma_exact(1 + 2**-52, 1 - 2**-52, -1.0) == -(2.0**-104)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_adversarial(dtype):
    a, b, c = _adversarial(dtype)
    expect = _expected(a, b, c, dtype)
    _same_bits(fma(a, b, c), expect)
    # each case alone (0-d) and in every operand order where the product is symmetric
    for i in range(a.size):
        _same_bits(fma(a[i : i + 1], b[i], c[i : i + 1]), expect[i : i + 1])
        _same_bits(fma(b[i : i + 1], a[i : i + 1], c[i]), expect[i : i + 1])
        _same_bits(fma(a[i], b[i], c[i]), expect[i])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", [0, 1])
def test_fma_random(dtype, seed):
    a, b, c = _random_operands(dtype, 4000, seed)
    expect = _expected(a, b, c, dtype)
    _same_bits(fma(a, b, c), expect)
    # a scalar factor (split once) and a scalar addend
    _same_bits(fma(a, b[7], c), _expected(a, b[7], c, dtype))
    _same_bits(fma(a[5], b, c[9]), _expected(a[5], b, c[9], dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_shapes_and_out(dtype):
    a, b, c = (v[:24].reshape(4, 6) for v in _random_operands(dtype, 40, 5))
    expect = _expected(a, b[0], c, dtype)
    _same_bits(fma(a, b[0], c), expect)  # broadcasting a row
    out = np.empty_like(c)
    assert fma(a, b[0], c, out=out) is out
    _same_bits(out, expect)
    cc = c.copy()
    fma(a, b[0], cc, out=cc)  # in place on the addend
    _same_bits(cc, expect)
    ft = np.asfortranarray(c)
    fma(a, b[0], ft, out=ft)  # a non-contiguous (Fortran-ordered) output
    _same_bits(ft, expect)
    r = fma(np.asarray(a[0, 0]), np.asarray(b[0, 0]), np.asarray(c[0, 0]))
    assert isinstance(r, np.ndarray) and r.shape == ()
    _same_bits(r, _expected(a[0, 0], b[0, 0], c[0, 0], dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_long_arrays(dtype):
    """Arrays long enough to be done in pieces, with the hard cases in every piece; the same
    values strided (done in one piece) and empty arrays."""
    a, b, c = _adversarial(dtype)
    expect = _expected(a, b, c, dtype)
    reps = 70000 // a.size + 1
    a, b, c, expect = (np.tile(v, reps) for v in (a, b, c, expect))
    _same_bits(fma(a, b, c), expect)
    cc = c.copy()
    assert fma(a, b, cc, out=cc) is cc
    _same_bits(cc, expect)
    a2, b2, c2 = (np.repeat(v, 2)[::2] for v in (a, b, c))
    _same_bits(fma(a2, b2, c2), expect)
    e = np.empty((0, 3), dtype)
    assert fma(e, e, e).shape == (0, 3)
    assert axpy(e, e, 0.1).shape == (0, 3)


def test_fma_python_scalars_take_the_array_dtype():
    x = np.array([1 + 2**-23, 3.0], np.float32)
    got = fma(x, 0.1, np.float32(1))  # 0.1 rounded to float32 first, as torch does
    _same_bits(got, _expected(x, np.float32(0.1), np.float32(1), np.float32))
    with pytest.raises(TypeError):
        fma(np.arange(3), 2, 1)


# ----------------------------------------------------------------------- against torch


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _torch_add(torch, y, x, alpha):
    return torch.add(torch.from_numpy(y), torch.from_numpy(x), alpha=alpha).numpy()


ALPHAS = [0.1, -0.01, 0.9, 1.0, -1.0, 0.0, 0.5, -0.25, 2.0, -1e3, 3.3e-5, 1 / 3]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_axpy_matches_torch(torch, dtype, alpha):
    a, b, c = _random_operands(dtype, 5000, 7)
    y, x = c, a
    expect = _torch_add(torch, y, x, alpha)
    _same_bits(axpy(y, x, alpha), expect)
    out = y.copy()
    assert axpy(out, x, alpha, out=out) is out
    _same_bits(out, expect)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", ALPHAS + [1e300, 2.0**-1070, 2.0**-149, 7.0e-46, 3.0e38])
def test_axpy_adversarial_matches_torch(torch, dtype, alpha):
    a, b, c = _adversarial(dtype)
    ys = np.concatenate([c, a, b, c])
    xs = np.concatenate([a, b, c, b])
    with np.errstate(over="ignore"):
        if not math.isfinite(float(dtype(alpha))):
            pytest.skip("torch refuses an alpha out of the dtype's range")
    for y, x in [(ys, xs), (ys[:1].reshape(()), xs[:1].reshape(()))]:
        expect = _torch_add(torch, y, x, alpha)
        got = axpy(y, x, alpha)
        assert isinstance(got, np.ndarray)  # a 0-d array, not a NumPy scalar
        _same_bits(got, expect)
        # and the exact reference agrees with torch
        _same_bits(expect, _expected(x, dtype(alpha), y, dtype))


@pytest.mark.parametrize("n", [1, 5, 31, 32, 33, 63, 64, 100, 1000, 4097, 32768])
@pytest.mark.parametrize("alpha", [0.1, -0.01, 0.3333, 7.7, 1.0, 0.5])
def test_axpy_float16_matches_torch(torch, n, alpha):
    rng = np.random.default_rng(n)
    y = rng.standard_normal(n).astype(np.float16)
    x = (rng.standard_normal(n) * 8).astype(np.float16)
    expect = _torch_add(torch, y, x, alpha)
    _same_bits(axpy(y, x, alpha), expect)
    out = y.copy()
    axpy(out, x, alpha, out=out)
    _same_bits(out, expect)
    if n == 1:
        got = axpy(y.reshape(()), x.reshape(()), alpha)
        assert isinstance(got, np.ndarray)
        _same_bits(got, expect.reshape(()))


def test_axpy_float16_one_thread_large(torch):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        rng = np.random.default_rng(9)
        y = rng.standard_normal(70001).astype(np.float16)
        x = rng.standard_normal(70001).astype(np.float16)
        _same_bits(axpy(y, x, 0.37), _torch_add(torch, y, x, 0.37))
    finally:
        torch.set_num_threads(threads)


@pytest.mark.parametrize("alpha", ALPHAS + [1e30, 2.0**-149, 3.0e38])
def test_axpy_small_arrays_match_torch(torch, alpha):
    """Arrays of up to 8 elements take a Python-float path: every operand pair of the
    random and adversarial sets, in chunks of 1 to 8, must still give torch's bits."""
    a, b, c = _random_operands(np.float32, 2000, 11)
    a2, b2, c2 = _adversarial(np.float32)
    ys = np.concatenate([c, c2, a2])
    xs = np.concatenate([a, a2, b2])
    with np.errstate(over="ignore"):
        if not math.isfinite(float(np.float32(alpha))):
            pytest.skip("torch refuses an alpha out of the dtype's range")
    i = 0
    size = 1
    while i < len(ys):
        y, x = ys[i : i + size].copy(), xs[i : i + size].copy()
        _same_bits(axpy(y, x, alpha), _torch_add(torch, y, x, alpha))
        i += size
        size = size % 8 + 1
