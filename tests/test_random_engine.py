"""The NumPy random engine against torch's CPU generator, byte for byte.

The oracle tests draw the same thing from ``torchless._random.Generator`` and from a
``torch.Generator`` seeded alike, compare the output bytes and dtype, and compare
the generator state with ``get_state()`` after every call. The other tests check
the exact-arithmetic helpers and the state handling without torch.
"""

import copy
import math
import pickle
import warnings
from fractions import Fraction

import numpy as np
import pytest

from torchless import _random as R
from torchless._random import Generator

SEEDS = [0, 1, 42, -1, 2**40 + 7]
SIZES = [0, 1, 5, 15, 16, 17, 31, 32, 100, 1000, 4097]
FLOATS = ["float16", "float32", "float64"]
INTS = ["int64", "int32", "int16", "int8", "uint8", "bool"]


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def tdtype(torch, name):
    return getattr(torch, name)


def assert_same(ours, theirs, g, tg, what=""):
    theirs = theirs.numpy() if hasattr(theirs, "numpy") else np.asarray(theirs)
    assert ours.dtype == theirs.dtype, what
    assert ours.shape == theirs.shape, what
    assert ours.flags.c_contiguous, what
    if ours.tobytes() != theirs.tobytes():
        bad = np.nonzero(ours.reshape(-1).view(np.uint8) != theirs.reshape(-1).view(np.uint8))
        raise AssertionError(f"{what}: values differ at byte {bad[0][:5]}")
    assert np.array_equal(g._get_state_bytes(), tg.get_state().numpy()), f"{what}: state"


def pair(torch, seed):
    return Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


def same_error(fn_ours, fn_theirs):
    """Both raise the same exception type with the same message (torch's C++ suffix cut)."""
    with pytest.raises(Exception) as theirs:
        fn_theirs()
    with pytest.raises(type(theirs.value)) as ours:
        fn_ours()
    expected = str(theirs.value).split("\nException raised from")[0]
    assert str(ours.value) == expected


# ------------------------------------------------------------------------------------
# Without torch: state, seeding, helpers
# ------------------------------------------------------------------------------------


def test_default_seed_and_state_layout():
    g = Generator()
    assert g.initial_seed() == 67280421310721
    assert g._device_str == "cpu"
    st = g._get_state_bytes()
    assert st.dtype == np.uint8 and st.shape == (5056,)
    assert int(st[:8].view(np.uint64)[0]) == 67280421310721
    assert st[8:24].view(np.int32).tolist() == [1, 1, 0, 0]  # left, seeded, next (u64)
    # first word of init_genrand(seed & 0xffffffff), stored as uint64
    assert int(st[24:32].view(np.uint64)[0]) == 67280421310721 & 0xFFFFFFFF
    assert not st[5016:].any()


def test_manual_seed_wraps_and_rejects():
    g = Generator()
    assert g.manual_seed(-1) is g
    assert g.initial_seed() == 2**64 - 1
    assert g.manual_seed(-(2**63)).initial_seed() == 2**63
    assert g.manual_seed(2**64 - 1).initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        g.manual_seed(2**64)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        g.manual_seed(-(2**63) - 1)
    with pytest.raises(RuntimeError, match="manual_seed expected a long, but got float"):
        g.manual_seed(1.5)
    with pytest.raises(RuntimeError, match="but got bool"):
        g.manual_seed(True)
    # only the low 32 bits reach the engine
    a = Generator().manual_seed(5)._raw32(10)
    b = Generator().manual_seed(5 + 2**32)._raw32(10)
    assert np.array_equal(a, b)


def test_seed_is_nondeterministic_and_default_generator():
    g = Generator()
    s1, s2 = g.seed(), g.seed()
    assert s1 != s2 and g.initial_seed() == s2 and 0 <= s2 < 2**64
    # torch seeds its default generator from /dev/urandom, not with the default seed
    assert isinstance(R.default_generator, Generator)
    assert R.default_generator.initial_seed() != 67280421310721


@pytest.mark.parametrize("skip", [0, 1, 623, 624, 625, 1248, 5000])
def test_state_roundtrip_continues_stream(skip):
    g = Generator().manual_seed(123)
    g._raw32(skip)
    g._normal((1,), "float64")  # leaves a cached normal
    st = g._get_state_bytes()
    expect = [g._raw32(700), g._normal((3,), "float64")]
    h = Generator()
    h._set_state_bytes(st)
    assert np.array_equal(h._get_state_bytes(), st)
    got = [h._raw32(700), h._normal((3,), "float64")]
    for x, y in zip(expect, got):
        assert x.tobytes() == y.tobytes()


def test_set_state_validates():
    g = Generator()
    st = g._get_state_bytes()
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056"):
        g._set_state_bytes(st[:-1])
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        g._set_state_bytes(st.astype(np.int8))
    with pytest.raises(RuntimeError, match="RNG state must be contiguous"):
        g._set_state_bytes(np.concatenate([st, st])[::2])
    bad = st.copy()
    bad[8:12] = np.array([0], np.int32).view(np.uint8)  # left = 0
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g._set_state_bytes(bad)
    g._set_state_bytes(st.reshape(2, -1))  # any shape with 5056 elements


def test_pickle_and_clone_state():
    g = Generator().manual_seed(9)
    g._normal((3,), "float32")
    for h in (pickle.loads(pickle.dumps(g)), copy.deepcopy(g), g.clone_state()):
        assert np.array_equal(h._get_state_bytes(), g._get_state_bytes())
        assert (
            h._uniform((5,), "float64").tobytes()
            == g.clone_state()._uniform((5,), "float64").tobytes()
        )


def exact_fma(a, b, c):
    return float(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)))


def test_fma32_is_single_rounding():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(20000).astype(np.float32)
    b = rng.standard_normal(20000).astype(np.float32)
    c = rng.standard_normal(20000).astype(np.float32)
    # products landing on float32 rounding midpoints: a * b = c-grid + half ulp +- tiny
    a[:8] = np.float32(1 + 2**-23)
    b[:8] = np.float32(1 + 2**-23)
    c[:8] = np.float32(-1.0)
    a[8:16] = np.float32(1 + 2**-12)
    b[8:16] = np.float32(1 + 2**-12)
    c[8:16] = np.float32(2.0**-24)
    out = R._fma32(a, b, c, tiny=True)
    ref = np.array([exact_fma(x, y, z) for x, y, z in zip(a, b, c)])
    # the exact value rounded once to float32: via Fraction for the midpoint cases
    ref32 = np.array(
        [
            np.float32(float(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))))
            if abs(r) > 0
            else np.float32(r)
            for x, y, z, r in zip(a[:16], b[:16], c[:16], ref[:16])
        ]
    )
    assert out.dtype == np.float32
    assert np.array_equal(out[16:], ref[16:].astype(np.float32))
    for x, y, z, got, approx in zip(a[:16], b[:16], c[:16], out[:16], ref32):
        exact = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
        lo = np.nextafter(np.float32(approx), np.float32(-np.inf))
        hi = np.nextafter(np.float32(approx), np.float32(np.inf))
        best = min((lo, approx, hi), key=lambda v: abs(Fraction(float(v)) - exact))
        assert got == best


def test_fma64_matches_exact_rational():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(5000) * 10.0 ** rng.integers(-30, 30, 5000)
    b = rng.standard_normal(5000)
    c = rng.standard_normal(5000) * 10.0 ** rng.integers(-30, 30, 5000)
    a[:4] = [1 + 2**-52, 1e300, 1e-300, 0.0]
    b[:4] = [1 - 2**-52, 1e10, 1e-300, 5.0]
    c[:4] = [-1.0, 1.0, 1e-310, -0.0]
    out = R._fma64(a, b, c)
    ref = [R._fma_exact(x, y, z) for x, y, z in zip(a, b, c)]
    assert out.tobytes() == np.array(ref).tobytes()
    assert R._fma_exact(1 + 2**-52, 1 - 2**-52, -1.0) == -(2.0**-104)


def test_libm_log_matches_math_log():
    rng = np.random.default_rng(2)
    xs = [
        1.0 - rng.integers(0, 2**53, 60000).astype(np.float64) * 2.0**-53,
        np.exp(rng.uniform(-700, 700, 20000)),
        1.0 + rng.uniform(-1e-3, 1e-3, 20000),
        1.0 - rng.integers(1, 2**20, 20000) * 2.0**-53,
        np.array([1.0, 0.5, 2.0, 2.0**-1022, 1.7976931348623157e308, 0.75, 1.5]),
    ]
    for x in xs:
        ref = np.array([math.log(v) for v in x.tolist()])
        assert R._libm_log(x).tobytes() == ref.tobytes()


def ref_swaps(j, n):
    a = list(range(n))
    for i in range(n - 1):
        a[i], a[j[i]] = a[j[i]], a[i]
    return a


def ref_inside_out(z, n):
    a = [0] * n
    for i in range(n):
        a[i] = a[z[i]]
        a[z[i]] = i
    return a


@pytest.mark.parametrize("n", [2, 3, 7, 16, 33, 500])
def test_vectorised_shuffles_match_their_loops(n):
    rng = np.random.default_rng(n)
    for trial in range(20):
        j = np.array([i + rng.integers(0, n - i) for i in range(n - 1)], np.int64)
        z = np.array([rng.integers(0, i + 1) for i in range(n)], np.int64)
        if trial == 1:
            j, z = np.arange(n - 1, dtype=np.int64), np.zeros(n, np.int64)
        if trial == 2:
            j, z = np.full(n - 1, n - 1, np.int64), np.arange(n, dtype=np.int64)
        assert R._perm_swaps(j, n).tolist() == ref_swaps(j.tolist(), n)
        assert R._perm_inside_out(z, n).tolist() == ref_inside_out(z.tolist(), n)


def test_unusual_state_reads_words_then_twists():
    g = Generator().manual_seed(3)
    st = g._get_state_bytes()
    st[8:12] = np.array([6], np.int32).view(np.uint8)  # left = 6 with next = 100
    st[16:24] = np.array([100], np.uint64).view(np.uint8)
    g._set_state_bytes(st)
    assert np.array_equal(g._get_state_bytes(), st)
    words = st[24 : 24 + 624 * 8].view(np.uint64)[100:105]
    assert np.array_equal(g._raw32(5), R._temper(words.astype(np.uint32)))
    assert g._left_next() == (1, 105)


# ------------------------------------------------------------------------------------
# Oracle: torch 2.13 CPU
# ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("bounds", [(0.0, 1.0), (-2.5, 3.7), (1.0, 1.0 + 2**-20), (5.0, 5.0)])
def test_uniform(torch, dtype, bounds):
    lo, hi = bounds
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES:
            ours = g._uniform((n,), dtype, lo, hi)
            theirs = torch.empty(n, dtype=tdtype(torch, dtype)).uniform_(lo, hi, generator=tg)
            assert_same(ours, theirs, g, tg, f"uniform {seed} {n}")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("params", [(0.0, 1.0), (0.3, 2.5), (-1e3, 1e-3), (2.0, 0.0)])
def test_normal(torch, dtype, params):
    mean, std = params
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES:
            ours = g._normal((n,), dtype, mean, std)
            theirs = torch.empty(n, dtype=tdtype(torch, dtype)).normal_(mean, std, generator=tg)
            assert_same(ours, theirs, g, tg, f"normal {seed} {n}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal_large_blocks(torch, dtype):
    # long enough for the float64 log fallback and the float32 fma repairs to occur
    g, tg = pair(torch, 2024)
    for n in (1 << 16, 40003):
        ours = g._normal((n,), dtype, 0.25, 3.0)
        theirs = torch.empty(n, dtype=tdtype(torch, dtype)).normal_(0.25, 3.0, generator=tg)
        assert_same(ours, theirs, g, tg, f"normal large {n}")


def test_normal_shape_and_noncontiguous_path(torch):
    g, tg = pair(torch, 7)
    ours = g._normal((4, 5), "float32")
    assert_same(ours, torch.randn(4, 5, generator=tg), g, tg, "randn 2-D")
    ours = g._normal((5, 4), "float32", contiguous=False)
    theirs = torch.empty(4, 5).t().normal_(generator=tg)  # 20 elements, not contiguous
    assert np.array_equal(ours.reshape(-1), theirs.t().contiguous().reshape(-1).numpy())
    assert np.array_equal(g._get_state_bytes(), tg.get_state().numpy())


RANGES = [(0, 10), (-5, 5), (0, 2), (3, 2**28 - 1), (0, 2**28), (-(2**40), 2**40)]
RANGES += [(0, 2**31 - 1), (-(2**63), 2**63 - 1), (100, 2**24 + 10)]


@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_randint(torch, dtype):
    for lo, hi in RANGES:
        for seed in SEEDS[:3]:
            g, tg = pair(torch, seed)
            for n in SIZES:
                t = torch.empty(n, dtype=tdtype(torch, dtype))
                with warnings.catch_warnings(record=True) as wt:
                    warnings.simplefilter("always")
                    try:
                        theirs = t.random_(lo, hi, generator=tg)
                    except RuntimeError as e:
                        with pytest.raises(RuntimeError, match=str(e).split("\n")[0]):
                            g._randint(lo, hi, (n,), dtype)
                        break
                with warnings.catch_warnings(record=True) as wo:
                    warnings.simplefilter("always")
                    ours = g._randint(lo, hi, (n,), dtype)
                assert [str(w.message) for w in wo] == [
                    str(w.message).split(" (Triggered internally")[0] for w in wt
                ]
                assert_same(ours, theirs, g, tg, f"randint {lo} {hi} {seed} {n}")


@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_random_without_bounds_and_from_only(torch, dtype):
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES:
            ours = g._random((n,), dtype)
            theirs = torch.empty(n, dtype=tdtype(torch, dtype)).random_(generator=tg)
            assert_same(ours, theirs, g, tg, f"random_ {seed} {n}")
            for lo in (0, 7, -3, -(2**63)):
                t = torch.empty(n, dtype=tdtype(torch, dtype))
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        theirs = t.random_(lo, None, generator=tg)
                except (RuntimeError, NotImplementedError) as e:
                    with pytest.raises(type(e), match=str(e).split("\n")[0][:40]):
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            g._randint(lo, None, (n,), dtype)
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ours = g._randint(lo, None, (n,), dtype)
                assert_same(ours, theirs, g, tg, f"random_({lo}) {seed} {n}")


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "float32", "float64", "float16"])
def test_randperm(torch, dtype):
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES + [2049, 20000]:
            if dtype == "float16" and n > 2049:
                continue
            ours = g._randperm(n, dtype)
            theirs = torch.randperm(n, dtype=tdtype(torch, dtype), generator=tg)
            assert_same(ours, theirs, g, tg, f"randperm {seed} {n}")


def test_randperm_errors(torch):
    g = Generator()
    for n, dtype in ((300, "uint8"), (40000, "int16"), (5, "bool"), (3000, "float16")):
        same_error(
            lambda n=n, dtype=dtype: g._randperm(n, dtype),
            lambda n=n, dtype=dtype: torch.randperm(n, dtype=tdtype(torch, dtype)),
        )


@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_bernoulli_scalar(torch, dtype):
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES:
            for p in (0.0, 0.3, 1.0):
                ours = g._bernoulli_scalar((n,), p, dtype)
                theirs = torch.empty(n, dtype=tdtype(torch, dtype)).bernoulli_(p, generator=tg)
                assert_same(ours, theirs, g, tg, f"bernoulli {seed} {n} {p}")


@pytest.mark.parametrize("pdtype", FLOATS)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "float16"])
def test_bernoulli_tensor(torch, pdtype, dtype):
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for n in SIZES:
            probs = np.linspace(0, 1, n).astype(pdtype).reshape(-1, 1)
            ours = g._bernoulli_tensor(probs, dtype)
            out = torch.empty(n, 1, dtype=tdtype(torch, dtype))
            theirs = out.bernoulli_(torch.from_numpy(probs), generator=tg)
            assert_same(ours, theirs, g, tg, f"bernoulli tensor {seed} {n}")


def test_bernoulli_tensor_bad_probability_draws_then_raises(torch):
    g, tg = pair(torch, 4)
    probs = np.array([0.5, 0.2, 1.5, 0.1], np.float32)
    same_error(
        lambda: g._bernoulli_tensor(probs, "float32"),
        lambda: torch.bernoulli(torch.from_numpy(probs), generator=tg),
    )
    assert np.array_equal(g._get_state_bytes(), tg.get_state().numpy())


@pytest.mark.parametrize("dtype", FLOATS)
def test_other_distributions(torch, dtype):
    td = tdtype(torch, dtype)
    cases = [
        (
            lambda g, n: g._exponential((n,), dtype, 1.5),
            lambda t, tg: t.exponential_(1.5, generator=tg),
        ),
        (
            lambda g, n: g._geometric((n,), dtype, 0.3),
            lambda t, tg: t.geometric_(0.3, generator=tg),
        ),
        (
            lambda g, n: g._log_normal((n,), dtype, 0.5, 0.7),
            lambda t, tg: t.log_normal_(0.5, 0.7, generator=tg),
        ),
        (
            lambda g, n: g._cauchy((n,), dtype, 0.5, 2.0),
            lambda t, tg: t.cauchy_(0.5, 2.0, generator=tg),
        ),
    ]
    for seed in SEEDS[:3]:
        g, tg = pair(torch, seed)
        for n in SIZES[:-1]:
            for ours_fn, theirs_fn in cases:
                ours = ours_fn(g, n)
                theirs = theirs_fn(torch.empty(n, dtype=td), tg)
                assert_same(ours, theirs, g, tg, f"{seed} {n}")


def test_geometric_integer_dtypes(torch):
    for dtype in ["int64", "int32", "uint8"]:
        g, tg = pair(torch, 11)
        for n in SIZES[:-1]:
            ours = g._geometric((n,), dtype, 0.2)
            theirs = torch.empty(n, dtype=tdtype(torch, dtype)).geometric_(0.2, generator=tg)
            assert_same(ours, theirs, g, tg, f"geometric {dtype} {n}")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("replacement", [True, False])
def test_multinomial(torch, dtype, replacement):
    rng = np.random.default_rng(5)
    for seed in SEEDS:
        g, tg = pair(torch, seed)
        for shape in ((5,), (3, 7), (4, 100), (2, 1000), (12,)):
            probs = rng.random(shape).astype(dtype)
            if shape == (12,):
                probs[[2, 5, 6]] = 0  # ties among the zero-probability picks
            for ns in (1, 3, 5, 12):
                if ns > shape[-1]:
                    continue
                ours = g._multinomial(probs, ns, replacement)
                theirs = torch.multinomial(torch.from_numpy(probs), ns, replacement, generator=tg)
                assert_same(ours, theirs, g, tg, f"multinomial {seed} {shape} {ns}")


def test_topk_tie_order_matches_torch(torch):
    rng = np.random.default_rng(8)
    for n in [1, 2, 5, 16, 17, 40, 63, 64, 65, 129, 700]:
        for k in sorted({1, 2, n // 64, n // 64 + 1, n // 2, n - 1, n}):
            if not 1 <= k <= n:
                continue
            for levels in (2, 5, 1000):
                vals = rng.integers(0, levels, n).astype(np.float32)
                if levels == 5:
                    vals[rng.integers(0, n, max(1, n // 5))] = np.nan
                expect = torch.topk(torch.from_numpy(vals), k).indices.tolist()
                assert R._topk_indices(vals, k) == expect, (n, k, levels)


def test_error_messages(torch):
    g = Generator()
    t = torch.empty(3)
    same_error(lambda: g._uniform((3,), "float32", 2, 1), lambda: t.uniform_(2, 1))
    same_error(lambda: g._uniform((3,), "float32", -3e38, 3e38), lambda: t.uniform_(-3e38, 3e38))
    same_error(
        lambda: g._uniform((3,), "int64"), lambda: torch.empty(3, dtype=torch.int64).uniform_()
    )
    same_error(lambda: g._normal((3,), "float32", 0, -1), lambda: t.normal_(0, -1))
    same_error(lambda: g._randint(5, 5, (3,), "int64"), lambda: t.random_(5, 5))
    same_error(
        lambda: g._randint(0, 300, (3,), "uint8"),
        lambda: torch.empty(3, dtype=torch.uint8).random_(0, 300),
    )
    same_error(lambda: g._bernoulli_scalar((3,), 1.5, "float32"), lambda: t.bernoulli_(1.5))
    same_error(lambda: g._exponential((3,), "float32", 0), lambda: t.exponential_(0))
    same_error(lambda: g._geometric((3,), "float32", 1.0), lambda: t.geometric_(1.0))
    same_error(
        lambda: g._multinomial(np.zeros(4, np.float32), 2, False),
        lambda: torch.multinomial(torch.zeros(4), 2),
    )
    same_error(
        lambda: g._multinomial(np.ones(4, np.float32), 5, False),
        lambda: torch.multinomial(torch.ones(4), 5),
    )


def test_states_interchange_with_torch(torch):
    g, tg = pair(torch, 77)
    for k, n in enumerate((1, 600, 17, 1000)):
        g._normal((n,), "float64")
        torch.randn(n, dtype=torch.float64, generator=tg)
        # torch's state into ours and ours into torch, then both continue alike
        h = Generator()
        h._set_state_bytes(tg.get_state().numpy())
        th = torch.Generator()
        th.set_state(torch.from_numpy(g._get_state_bytes()))
        a = h._normal((5 + k,), "float32")
        b = torch.randn(5 + k, generator=th)
        assert_same(a, b, h, th, "interchanged state")


def test_unusual_state_like_torch(torch):
    g, tg = pair(torch, 3)
    st = g._get_state_bytes()
    st[8:12] = np.array([6], np.int32).view(np.uint8)
    st[16:24] = np.array([100], np.uint64).view(np.uint8)
    g._set_state_bytes(st)
    tg.set_state(torch.from_numpy(st.copy()))
    for n in (3, 2, 700):
        assert_same(
            g._randint(0, 1000, (n,), "int64"),
            torch.randint(0, 1000, (n,), generator=tg),
            g,
            tg,
            "unusual state",
        )


def test_long_mixed_sequence(torch):
    rng = np.random.default_rng(99)
    g, tg = pair(torch, 2**40 + 7)
    calls = [
        (lambda n: g._uniform((n,), "float32"), lambda n: torch.rand(n, generator=tg)),
        (
            lambda n: g._uniform((n,), "float64", -1, 2),
            lambda n: torch.empty(n, dtype=torch.float64).uniform_(-1, 2, generator=tg),
        ),
        (lambda n: g._normal((n,), "float32"), lambda n: torch.randn(n, generator=tg)),
        (
            lambda n: g._normal((n,), "float64", 1, 3),
            lambda n: torch.empty(n, dtype=torch.float64).normal_(1, 3, generator=tg),
        ),
        (
            lambda n: g._normal((n,), "float16"),
            lambda n: torch.randn(n, dtype=torch.float16, generator=tg),
        ),
        (
            lambda n: g._randint(-7, 9, (n,), "int64"),
            lambda n: torch.randint(-7, 9, (n,), generator=tg),
        ),
        (
            lambda n: g._randint(0, 2**30, (n,), "int32"),
            lambda n: torch.randint(0, 2**30, (n,), dtype=torch.int32, generator=tg),
        ),
        (lambda n: g._randperm(n, "int64"), lambda n: torch.randperm(n, generator=tg)),
        (
            lambda n: g._bernoulli_scalar((n,), 0.4, "float32"),
            lambda n: torch.empty(n).bernoulli_(0.4, generator=tg),
        ),
        (
            lambda n: g._random((n,), "int16"),
            lambda n: torch.empty(n, dtype=torch.int16).random_(generator=tg),
        ),
        (
            lambda n: g._exponential((n,), "float32"),
            lambda n: torch.empty(n).exponential_(generator=tg),
        ),
    ]
    for step in range(300):
        ours_fn, theirs_fn = calls[rng.integers(len(calls))]
        n = int(rng.choice([0, 1, 2, 3, 7, 15, 16, 17, 33, 64, 130, 700]))
        assert_same(ours_fn(n), theirs_fn(n), g, tg, f"step {step}")
