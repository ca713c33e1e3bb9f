"""Tensor printing against torch: the same values must print the same text.

Each oracle test builds its values once as a NumPy array, makes a torch tensor
and a torchless tensor from it, and compares ``repr``/``str``/``format`` exactly.
Two torchless implementations run every test: a minimal stand-in object with the
attributes ``_tensor_str`` relies on (so printing is tested on its own), and the
real ``torchless.tensor`` once it exists.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pytest

from torchless import _dtype as tl_dtype
from torchless import _tensor_str as ts

torch = pytest.importorskip("torch")

try:  # the real Tensor, when the package provides it
    import torchless as tl

    tl.tensor  # noqa: B018
    HAVE_REAL = True
except (ImportError, AttributeError):
    HAVE_REAL = False

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
FLOATS = ["float16", "float32", "float64"]
SHAPES = [(), (0,), (3, 0), (5,), (2, 3), (2, 3, 4), (1001,), (30, 40), (2, 2, 2, 2), (1, 0, 2)]


# --------------------------------------------------------------------------- stand-in tensor


class _Device:
    def __init__(self, type_: str = "cpu", index: int | None = None):
        self.type = type_
        self.index = index


class _Node:
    def __init__(self, name: str):
        self._name = name

    def name(self) -> str:
        return self._name


class FakeTensor:
    """Exactly the attributes the lead's Tensor guarantees to ``_tensor_str``."""

    # torchless's own classes print as "tensor(...)"; pretend to be one of them
    __module__ = "torchless._printing_test_fake"

    def __init__(self, array, requires_grad=False, grad_fn=None, device=None):
        self._array = np.asarray(array)
        self.dtype = tl_dtype._by_name(self._array.dtype.name)
        self.shape = self._array.shape
        self.requires_grad = requires_grad or grad_fn is not None
        self.is_leaf = grad_fn is None
        self.grad_fn = None if grad_fn is None else _Node(grad_fn)
        self.device = device or _Device()

    def _host(self):
        return self._array

    def __repr__(self):
        return ts.tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec):
        return ts.tensor_format(self, spec)


FakeTensor.__qualname__ = FakeTensor.__name__ = "Tensor"


class FakeParameter(FakeTensor):
    __module__ = FakeTensor.__module__
    _is_parameter = True

    def __init__(self, array, requires_grad=True):
        super().__init__(array, requires_grad=requires_grad)


FakeParameter.__qualname__ = FakeParameter.__name__ = "Parameter"


# --------------------------------------------------------------------------- helpers


IMPL_NAMES = ["fake", "real"] if HAVE_REAL else ["fake"]
IMPLS = ["fake", pytest.param("real", marks=pytest.mark.skipif(not HAVE_REAL, reason="no Tensor"))]


@pytest.fixture(params=IMPLS)
def impl(request):
    return request.param


def make(impl: str, arr: np.ndarray, requires_grad: bool = False):
    """A torchless tensor holding ``arr`` exactly, its dtype taken from ``arr``."""
    if impl == "fake":
        return FakeTensor(arr, requires_grad=requires_grad)
    t = tl.from_numpy(np.array(arr, copy=True))
    return t.requires_grad_() if requires_grad else t


def ref(arr: np.ndarray, requires_grad: bool = False):
    t = torch.from_numpy(np.array(arr, copy=True))
    return t.requires_grad_() if requires_grad else t


@contextlib.contextmanager
def both_printoptions(**kwargs):
    """Set the same print options in torch and torchless; restore both after."""
    old_torch = torch._tensor_str.get_printoptions()
    old_tl = ts.get_printoptions()
    torch.set_printoptions(**kwargs)
    ts.set_printoptions(**kwargs)
    try:
        yield
    finally:
        torch.set_printoptions(**old_torch)
        ts.set_printoptions(**old_tl)


@contextlib.contextmanager
def both_default_dtype(name: str):
    old_torch = torch.get_default_dtype()
    old_tl = tl_dtype.get_default_dtype()
    torch.set_default_dtype(getattr(torch, name))
    tl_dtype.set_default_dtype(getattr(tl_dtype, name))
    try:
        yield
    finally:
        torch.set_default_dtype(old_torch)
        tl_dtype.set_default_dtype(old_tl)


def check(impl: str, arr: np.ndarray, requires_grad: bool = False) -> str:
    expected = repr(ref(arr, requires_grad))
    got = make(impl, arr, requires_grad)
    assert repr(got) == expected
    assert str(got) == str(ref(arr, requires_grad))
    return expected


def check_all(arr: np.ndarray, requires_grad: bool = False) -> None:
    for impl in IMPL_NAMES:
        check(impl, arr, requires_grad)


def cast(values: np.ndarray, dtype: str) -> np.ndarray:
    """Bring float values into ``dtype``'s range the way a test wants them."""
    values = np.asarray(values, dtype=np.float64)
    if dtype in FLOATS:
        with np.errstate(over="ignore"):
            return values.astype(dtype)
    values = np.nan_to_num(values, nan=0.0, posinf=1e300, neginf=-1e300)
    if dtype == "bool":
        return values > 0
    info = np.iinfo(dtype)
    top = np.nextafter(float(info.max), 0.0) if dtype == "int64" else info.max  # 2**63 overflows
    return np.clip(np.round(values), info.min, top).astype(dtype)


def value_sets(shape, rng):
    """Named generators of float64 values of ``shape``."""
    n = math.prod(shape)
    normal = rng.standard_normal(shape)
    sets = {f"normal*{s:g}": normal * s for s in (1e-6, 1e-4, 1e-2, 1.0, 1e2, 1e4, 1e8, 1e9)}
    sets["positive"] = np.abs(normal) + 0.5
    sets["integers"] = np.round(normal * 50)
    sets["big_integers"] = np.round(normal * 1e10)
    sets["zeros"] = np.zeros(shape)
    sets["neg_zeros"] = -np.zeros(shape)
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.0, 1e-5, 123.0, 1e12])
    sets["specials"] = np.resize(specials, n).reshape(shape)
    sets["nonfinite_only"] = np.resize(np.array([np.nan, np.inf, -np.inf, 0.0]), n).reshape(shape)
    sets["nan_ints"] = np.resize(np.array([np.nan, 1.0, -3.0, 20.0]), n).reshape(shape)
    sets["tiny_huge"] = np.resize(np.array([1e-30, -1e30, 3e38, 1e-300, 1e300]), n).reshape(shape)
    sets["subnormal"] = np.resize(np.array([5e-324, 1e-310, 6e-8, 65504.0]), n).reshape(shape)
    sets["ratio_1000"] = np.resize(np.array([1.0, 1000.0, 0.5]), n).reshape(shape)
    sets["ratio_1001"] = np.resize(np.array([1.0, 1001.0]), n).reshape(shape)
    sets["edge_1e8"] = np.resize(np.array([1e8, 99999999.0, 1.5e8]), n).reshape(shape)
    sets["edge_1e-4"] = np.resize(np.array([1e-4, 2e-4, 9.9e-5]), n).reshape(shape)
    sets["rounding"] = np.resize(np.array([0.99995, 9.99995, -0.00005, 2.5]), n).reshape(shape)
    return sets


# --------------------------------------------------------------------------- oracle tests


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_repr_matches_torch(impl, dtype, shape):
    rng = np.random.default_rng(abs(hash((dtype, shape))) % 2**32)
    seen = set()
    for values in value_sets(shape, rng).values():
        arr = cast(values, dtype)
        key = arr.tobytes()
        if key in seen:  # integer dtypes collapse many sets into one
            continue
        seen.add(key)
        check(impl, arr)


@pytest.mark.parametrize("dtype", DTYPES)
def test_large_ints_and_extremes(impl, dtype):
    if dtype in FLOATS:
        info = np.finfo(dtype)
        vals = [info.max, -info.max, info.tiny, info.eps, info.smallest_subnormal, 1.0]
    elif dtype == "bool":
        vals = [True, False, True]
    else:
        info = np.iinfo(dtype)
        vals = [info.min, info.max, 0, 1, -1 if info.min < 0 else 2]
    arr = np.array(vals, dtype=dtype)
    for shape in [(len(vals),), (1, len(vals)), (len(vals), 1)]:
        check(impl, arr.reshape(shape))
    for v in arr:
        check(impl, np.array(v, dtype=dtype))


@pytest.mark.parametrize("dtype", FLOATS)
def test_scalars(impl, dtype):
    for v in [0.0, -0.0, 1.0, -1.0, 1.5, 0.1, 1e-5, 1e-4, 1e8, 1.5e8, 123456.7, np.nan, np.inf]:
        check(impl, cast(np.array(v), dtype))


def test_line_wrapping_and_nesting(impl):
    rng = np.random.default_rng(0)
    for shape in [(100,), (3, 30), (2, 3, 25), (4, 1, 1, 20), (1, 1, 1, 1, 1), (40, 2)]:
        for scale in (1.0, 1e5, 1e-7):
            check(impl, (rng.standard_normal(shape) * scale).astype(np.float32))
        check(impl, rng.integers(-(10**12), 10**12, shape))
        check(impl, rng.integers(0, 2, shape).astype(bool))


def test_summarised(impl):
    rng = np.random.default_rng(1)
    for shape in [(1001,), (1000,), (10, 101), (101, 10), (11, 11, 11), (2, 600), (600, 2)]:
        check(impl, rng.standard_normal(shape).astype(np.float32))
        check(impl, rng.integers(-5, 5, shape).astype(np.int32))
    # the middle values decide nothing: only the printed edges count
    arr = np.ones(2000, dtype=np.float32)
    arr[1000] = 1e-9
    check(impl, arr)


def test_set_printoptions(impl):
    rng = np.random.default_rng(2)
    arrays = [
        (rng.standard_normal((4, 6)) * 3).astype(np.float32),
        rng.standard_normal(20) * 1e6,
        np.arange(30, dtype=np.int64),
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.array([1e-5, 1.0, np.nan]),
        np.array(3.14159265, dtype=np.float32),
        np.arange(2000, dtype=np.float32).reshape(4, 500),
        np.zeros((2, 0)),
    ]
    options = [
        {"precision": 2},
        {"precision": 8},
        {"precision": 0},
        {"sci_mode": True},
        {"sci_mode": False},
        {"sci_mode": True, "precision": 1},
        {"linewidth": 40},
        {"linewidth": 120},
        {"linewidth": 5},
        {"threshold": 5},
        {"threshold": 10, "edgeitems": 1},
        {"threshold": 10, "edgeitems": 0},
        {"edgeitems": 0},
        {"edgeitems": 5},
        {"profile": "short"},
        {"profile": "full"},
        {"profile": "default"},
        {"profile": "short", "precision": 6},
    ]
    for opts in options:
        with both_printoptions(**opts):
            assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
            for arr in arrays:
                check(impl, arr)
                check(impl, arr, requires_grad=arr.dtype.kind == "f")


def test_printoptions_state():
    before = ts.get_printoptions()
    assert before == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }
    assert list(before) == list(torch._tensor_str.get_printoptions())
    try:
        ts.set_printoptions(precision=2, sci_mode=True)
        assert ts.get_printoptions()["sci_mode"] is True
        ts.set_printoptions(linewidth=100)  # like torch, resets sci_mode
        assert ts.get_printoptions()["sci_mode"] is None
        ts.set_printoptions(profile="full")
        assert ts.get_printoptions()["threshold"] == math.inf
        assert ts.get_printoptions()["precision"] == 4
        ts.set_printoptions(profile="no such profile")  # ignored, as torch does
        assert ts.get_printoptions()["threshold"] == math.inf
        with ts.printoptions(precision=7, sci_mode=False):
            assert ts.get_printoptions()["precision"] == 7
            assert ts.get_printoptions()["sci_mode"] is False
        assert ts.get_printoptions()["precision"] == 4
        assert ts.get_printoptions()["sci_mode"] is None
        with pytest.raises(RuntimeError, match="boom"), ts.printoptions(edgeitems=1):
            raise RuntimeError("boom")
        assert ts.get_printoptions()["edgeitems"] == 3
    finally:
        ts.set_printoptions(**before)
    assert ts.get_printoptions() == before


@pytest.mark.parametrize("dtype", DTYPES)
def test_default_dtype_float64(impl, dtype):
    arr = cast(np.array([[1.5, -2.0], [0.25, 3.0]]), dtype)
    with both_default_dtype("float64"):
        check(impl, arr)
        check(impl, arr[:0])
        check(impl, arr.reshape(-1)[:0])
        check(impl, arr[0, 0])


@pytest.mark.parametrize("dtype", FLOATS)
def test_requires_grad(impl, dtype):
    arr = np.array([1.0, 2.5, -3.0], dtype=dtype)
    check(impl, arr, requires_grad=True)
    check(impl, arr[0], requires_grad=True)
    check(impl, arr[:0], requires_grad=True)
    wide = np.linspace(-1e3, 1e3, 13, dtype=dtype)  # the suffix must wrap
    check(impl, wide, requires_grad=True)
    check(impl, np.linspace(-1, 1, 10, dtype=dtype), requires_grad=True)


def grad_fn_pairs(impl):
    """(torch tensor, torchless tensor) pairs carrying a grad_fn."""
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    expected = [x * 2, s**2, (x * 2).sum(), x.reshape(3, 1) * torch.ones(1, 40)]
    if impl == "fake":
        got = [
            FakeTensor(np.array([2.0, 4.0, 6.0], np.float32), grad_fn="MulBackward0"),
            FakeTensor(np.array(4.0, np.float32), grad_fn="PowBackward0"),
            FakeTensor(np.array(12.0, np.float32), grad_fn="SumBackward0"),
            FakeTensor(
                np.repeat(np.array([[1.0], [2.0], [3.0]], np.float32), 40, 1),
                grad_fn="MulBackward0",
            ),
        ]
    else:
        tx = tl.tensor([1.0, 2.0, 3.0], requires_grad=True)
        tsc = tl.tensor(2.0, requires_grad=True)
        got = [tx * 2, tsc**2, (tx * 2).sum(), tx.reshape(3, 1) * tl.ones(1, 40)]
    return list(zip(expected, got))


def test_grad_fn(impl):
    for expected, got in grad_fn_pairs(impl):
        assert repr(got) == repr(expected)


def test_parameter(impl):
    arr = np.array([[0.5, -1.25], [2.0, 3.0]], dtype=np.float32)
    if impl == "fake":
        param = FakeParameter
    else:
        nn = pytest.importorskip("torchless.nn")
        if not hasattr(nn, "Parameter"):
            pytest.skip("no torchless.nn.Parameter yet")

        def param(a, requires_grad=True):
            return nn.Parameter(make("real", a), requires_grad=requires_grad)

    cases = [
        (torch.nn.Parameter(ref(arr)), param(arr)),
        (torch.nn.Parameter(ref(arr), requires_grad=False), param(arr, requires_grad=False)),
        (torch.nn.Parameter(ref(arr[0, 0])), param(arr[0, 0])),
    ]
    for expected, got in cases:
        assert repr(got) == repr(expected)
        assert str(got) == str(expected)
        assert f"{got}" == f"{expected}"
        with pytest.raises(TypeError, match="unsupported format string passed to Parameter"):
            format(got, ".3f")


@pytest.mark.parametrize("dtype", DTYPES)
def test_format(impl, dtype):
    for v in [1.5, -2.0, 0.0, 7.0]:
        arr = cast(np.array(v), dtype)
        expected, got = ref(arr), make(impl, arr)
        for spec in ["", ".3f", "10.2e", ">8", "g", ".1%"]:
            try:
                want = format(expected, spec)
            except (TypeError, ValueError) as err:
                with pytest.raises(type(err)):
                    format(got, spec)
            else:
                assert format(got, spec) == want
    arr = cast(np.array([1.5]), dtype)
    expected, got = ref(arr), make(impl, arr)
    assert f"{got}" == f"{expected}" == str(expected)
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        format(got, ".3f")
    with pytest.raises(TypeError):
        format(expected, ".3f")


def test_requires_grad_format(impl):
    arr = np.array(2.5, dtype=np.float32)
    expected, got = ref(arr, requires_grad=True), make(impl, arr, requires_grad=True)
    assert f"{got:.3f}" == f"{expected:.3f}" == "2.500"
    assert f"{got}" == f"{expected}"


# --------------------------------------------------------------------------- stand-in only


def test_tensor_contents():
    for arr in [np.arange(4, dtype=np.int32), np.zeros((2, 0)), np.array(1.0, np.float32)]:
        expected = ref(arr).__repr__(tensor_contents="<values>")
        assert ts.tensor_repr(FakeTensor(arr), tensor_contents="<values>") == expected


def test_device_suffix():
    t = FakeTensor(np.array([1.0, 2.0], np.float32), device=_Device("cuda", 0))
    assert repr(t) == "tensor([1., 2.], device='cuda:0')"
    t = FakeTensor(np.array([1, 2], np.int32), requires_grad=False, device=_Device("cuda", 1))
    assert repr(t) == "tensor([1, 2], device='cuda:1', dtype=torch.int32)"
    t = FakeTensor(np.zeros((0, 2), np.float32), requires_grad=True, device=_Device("cuda", 0))
    assert repr(t) == "tensor([], device='cuda:0', size=(0, 2), requires_grad=True)"


def test_subclass_prefix():
    class Sub(torch.Tensor):
        pass

    class FakeSub(FakeTensor):
        __module__ = __name__

    FakeSub.__name__ = FakeSub.__qualname__ = "Sub"
    for arr in [np.array([1.0, 2.0], np.float32), np.array(2.0, np.float32)]:
        assert repr(FakeSub(arr)) == repr(ref(arr).as_subclass(Sub))
    arr = np.array(2.5, np.float32)
    assert f"{FakeSub(arr)}" == f"{ref(arr).as_subclass(Sub)}"


# --------------------------------------------------------------------------- property tests

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    _float_dtypes = st.sampled_from([np.float16, np.float32, np.float64])
    _shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(arr=hnp.arrays(_float_dtypes, _shapes))
    def test_hypothesis_floats(arr):
        check_all(arr)

    @settings(max_examples=100, deadline=None)
    @given(
        arr=hnp.arrays(
            st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_]),
            _shapes,
        )
    )
    def test_hypothesis_ints(arr):
        check_all(arr)

    @settings(max_examples=100, deadline=None)
    @given(
        arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=12)),
        precision=st.integers(0, 10),
        linewidth=st.integers(1, 150),
        threshold=st.integers(0, 200),
        edgeitems=st.integers(0, 4),
        sci_mode=st.sampled_from([None, True, False]),
    )
    def test_hypothesis_printoptions(arr, precision, linewidth, threshold, edgeitems, sci_mode):
        with both_printoptions(
            precision=precision,
            linewidth=linewidth,
            threshold=threshold,
            edgeitems=edgeitems,
            sci_mode=sci_mode,
        ):
            check_all(arr)
