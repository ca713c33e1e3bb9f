"""Pooling against torch: max/avg pooling (1-D, 2-D), adaptive avg/max pooling, lp pooling.

Values, indices, shapes, dtypes, gradients, grad_fn names, double backward and error
messages through the oracle; float64 finite-difference gradchecks that need no torch."""

from __future__ import annotations

import types

import numpy as np
import pytest
from oracle import is_torch, make, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import pooling as P
from torchless.autograd import gradcheck, gradgradcheck

_OURS = types.SimpleNamespace(**{name: getattr(P, name) for name in P.__all__})


def F(lib):
    """The functional namespace of ``lib``: torch.nn.functional or our pooling module."""
    return lib.nn.functional if is_torch(lib) else _OURS


TOL = {
    "float16": dict(rtol=1e-3, atol=1e-3),
    "float32": dict(rtol=1e-4, atol=1e-5),
    "float64": dict(rtol=1e-10, atol=1e-10),
}


def _pool(fn, xa, kw, dtype="float64", layout="contig", grad=True):
    def body(lib):
        x = make(lib, xa, layout, requires_grad=grad)
        return getattr(F(lib), fn)(x, **kw)

    return oracle(body, **TOL[dtype])


# --------------------------------------------------------------------------- max pooling

MAX2D = [
    ((2, 3, 6, 6), dict(kernel_size=2)),
    ((2, 3, 7, 8), dict(kernel_size=3, stride=2, padding=1)),
    ((2, 3, 7, 8), dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 1))),
    ((1, 2, 7, 7), dict(kernel_size=3, stride=2, ceil_mode=True)),
    ((2, 2, 8, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, dilation=2)),
    ((2, 2, 6, 6), dict(kernel_size=2, stride=[3, 1], padding=(1,), ceil_mode=True)),
    ((3, 5, 5), dict(kernel_size=2, stride=1)),  # unbatched
    ((0, 3, 4, 4), dict(kernel_size=2)),
    ((2, 2, 5, 4), dict(kernel_size=(5, 1), stride=None)),
    ((2, 2, 5, 4), dict(kernel_size=(2, 1), stride=[])),
]


@pytest.mark.parametrize("return_indices", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(MAX2D)))
def test_max_pool2d(case, dtype, return_indices):
    xs, kw = MAX2D[case]
    xa = rand_array(xs, dtype, seed=case)
    _pool("max_pool2d", xa, dict(kw, return_indices=return_indices), dtype)


@pytest.mark.parametrize("layout", ["T", "step"])
def test_max_pool2d_noncontiguous(layout):
    xa = rand_array((3, 2, 6, 7), "float64", seed=9)
    _pool(
        "max_pool2d",
        xa,
        dict(kernel_size=3, stride=2, padding=1, return_indices=True),
        layout=layout,
    )


def test_max_pool2d_ties_and_special_values():
    # many equal values: torch keeps the first maximum of each window
    ties = np.round(rand_array((2, 2, 6, 6), "float64", seed=1, low=0, high=2))
    _pool("max_pool2d", ties, dict(kernel_size=3, stride=1, padding=1, return_indices=True))
    _pool("max_pool2d", ties, dict(kernel_size=2, return_indices=True))
    sp = rand_array((1, 2, 4, 6), "float64", seed=2)
    sp[0, 0, 0, :] = -np.inf  # windows of -inf next to the padding
    sp[0, 0, 1, 0] = -np.inf
    sp[0, 1, 0, 1] = np.nan
    sp[0, 1, 1, 0] = np.nan
    sp[0, 1, 3, 4] = np.inf
    for kw in [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=1, padding=1),
        dict(kernel_size=2, stride=2, padding=1, ceil_mode=True),
    ]:
        _pool("max_pool2d", sp, dict(kw, return_indices=True))
    allneg = np.full((1, 1, 3, 3), -np.inf)
    _pool("max_pool2d", allneg, dict(kernel_size=3, stride=1, padding=1, return_indices=True))


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "float16"])
def test_max_pool2d_dtypes(dtype):
    xa = rand_array((2, 3, 5, 5), dtype, seed=3, low=-100, high=100)
    oracle(
        lambda lib: F(lib).max_pool2d(
            to_lib(lib, xa, dtype == "float16"), 2, 1, 1, return_indices=True
        ),
        **TOL["float16"],
    )


MAX1D = [
    ((2, 3, 9), dict(kernel_size=2)),
    ((2, 3, 9), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((2, 3, 10), dict(kernel_size=3, padding=1, dilation=2)),
    ((3, 7), dict(kernel_size=(2,), stride=[1])),  # unbatched
]


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("return_indices", [False, True])
@pytest.mark.parametrize("case", range(len(MAX1D)))
def test_max_pool1d(case, return_indices, grad):
    xs, kw = MAX1D[case]
    xa = rand_array(xs, "float32", seed=case)
    _pool("max_pool1d", xa, dict(kw, return_indices=return_indices), "float32", grad=grad)


def test_max_pool1d_dtypes():
    xa = rand_array((2, 3, 6), "int64", low=-9, high=9)
    oracle(lambda lib: F(lib).max_pool1d(to_lib(lib, xa), 2))
    oracle(lambda lib: F(lib).max_pool1d(to_lib(lib, xa), 2, return_indices=True))


# --------------------------------------------------------------------------- avg pooling

AVG2D = [
    ((2, 3, 6, 6), dict(kernel_size=2)),
    ((2, 3, 7, 8), dict(kernel_size=3, stride=2, padding=1)),
    ((2, 3, 7, 8), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (
        (1, 2, 7, 7),
        dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    ),
    (
        (2, 2, 6, 7),
        dict(
            kernel_size=(2, 3), stride=(3, 2), padding=(1, 1), ceil_mode=True, divisor_override=5
        ),
    ),
    ((2, 2, 6, 7), dict(kernel_size=2, divisor_override=-3)),
    ((2, 2, 6, 7), dict(kernel_size=(3,), stride=[], padding=[1, 0])),
    ((3, 5, 5), dict(kernel_size=2, stride=1)),  # unbatched
    ((0, 3, 4, 4), dict(kernel_size=2)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(AVG2D)))
def test_avg_pool2d(case, dtype):
    xs, kw = AVG2D[case]
    xa = rand_array(xs, dtype, seed=case)
    _pool("avg_pool2d", xa, kw, dtype)


def test_avg_pool2d_noncontiguous_and_dtypes():
    xa = rand_array((3, 2, 6, 7), "float64", seed=9)
    _pool("avg_pool2d", xa, dict(kernel_size=3, stride=2, padding=1), layout="T")
    xi = rand_array((2, 2, 5, 6), "int64", low=-50, high=50)  # C++ integer division
    for kw in [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=1, padding=1, count_include_pad=False),
        dict(kernel_size=2, divisor_override=-3, ceil_mode=True),
    ]:
        oracle(lambda lib, kw=kw: F(lib).avg_pool2d(to_lib(lib, xi), **kw))
    xh = rand_array((2, 2, 5, 6), "float16")
    oracle(lambda lib: F(lib).avg_pool2d(to_lib(lib, xh, True), 3, 1, 1), **TOL["float16"])


AVG1D = [
    ((2, 3, 9), dict(kernel_size=2)),
    ((2, 3, 9), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    ((2, 3, 9), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ((3, 7), dict(kernel_size=3, stride=1)),  # unbatched
]


@pytest.mark.parametrize("case", range(len(AVG1D)))
def test_avg_pool1d(case):
    xs, kw = AVG1D[case]
    _pool("avg_pool1d", rand_array(xs, "float32", seed=case), kw, "float32")


# --------------------------------------------------------------------------- adaptive

ADAPTIVE_SIZES = [3, (2, 5), (None, 3), (7, 8), (4, 3), (9, 11), 1, (1, 1), (1, 2), (0, 2)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("size", ADAPTIVE_SIZES)
def test_adaptive_avg_pool2d(size, dtype):
    xa = rand_array((2, 3, 7, 8), dtype, seed=1)
    _pool("adaptive_avg_pool2d", xa, dict(output_size=size), dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("size", ADAPTIVE_SIZES)
def test_adaptive_max_pool2d(size, dtype):
    xa = rand_array((2, 3, 7, 8), dtype, seed=2)
    _pool("adaptive_max_pool2d", xa, dict(output_size=size, return_indices=True), dtype)


def test_adaptive_unbatched_noncontiguous_and_special():
    xa = rand_array((3, 6, 5), "float64", seed=3)
    _pool("adaptive_avg_pool2d", xa, dict(output_size=(4, 3)), layout="T")
    _pool("adaptive_max_pool2d", xa, dict(output_size=(4, 3), return_indices=True), layout="T")
    _pool("adaptive_avg_pool2d", xa, dict(output_size=1))
    sp = np.round(rand_array((1, 2, 5, 5), "float64", seed=4, low=0, high=2))
    sp[0, 0, 0, 0] = sp[0, 0, 1, 1] = np.nan
    sp[0, 1] = -np.inf
    _pool("adaptive_max_pool2d", sp, dict(output_size=3, return_indices=True))
    xh = rand_array((2, 2, 5, 6), "float16")
    for fn in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
        oracle(lambda lib, fn=fn: getattr(F(lib), fn)(to_lib(lib, xh, True), 3), **TOL["float16"])


@pytest.mark.parametrize("size", [1, 3, 4, 9])
def test_adaptive_pool1d(size):
    xa = rand_array((2, 3, 7), "float64", seed=size)
    _pool("adaptive_avg_pool1d", xa, dict(output_size=size))
    _pool("adaptive_max_pool1d", xa, dict(output_size=size, return_indices=True))
    _pool("adaptive_avg_pool1d", xa[0], dict(output_size=size))
    _pool("adaptive_max_pool1d", xa[0], dict(output_size=size))


# --------------------------------------------------------------------------- lp pooling


@pytest.mark.parametrize(
    "fn, xs, args, kw",
    [
        ("lp_pool2d", (2, 3, 6, 7), (2, 2), {}),
        ("lp_pool2d", (2, 3, 6, 7), (3, (2, 3)), dict(stride=(1, 2), ceil_mode=True)),
        ("lp_pool2d", (2, 3, 6, 7), (1.5, 3), dict(stride=2, ceil_mode=True)),
        ("lp_pool2d", (2, 3, 6, 7), (float("inf"), 2), {}),
        ("lp_pool2d", (2, 3, 6, 7), (-float("inf"), 2), {}),
        ("lp_pool1d", (2, 3, 9), (2, 3), {}),
        ("lp_pool1d", (2, 3, 9), (3, 2), dict(stride=1, ceil_mode=True)),
        ("lp_pool1d", (2, 3, 9), (float("inf"), 2), {}),
    ],
)
def test_lp_pool(fn, xs, args, kw):
    xa = np.abs(rand_array(xs, "float64", seed=5)) + 0.1

    def body(lib):
        return getattr(F(lib), fn)(to_lib(lib, xa, True), *args, **kw)

    oracle(body, **TOL["float64"])


# --------------------------------------------------------------------------- double backward


@pytest.mark.parametrize(
    "fn, kw",
    [
        ("max_pool2d", dict(kernel_size=3, stride=1, padding=1)),
        ("max_pool2d", dict(kernel_size=2)),
        ("avg_pool2d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
        ("adaptive_avg_pool2d", dict(output_size=(3, 4))),
        ("adaptive_max_pool2d", dict(output_size=(3, 4))),
        ("max_pool1d", dict(kernel_size=2)),
        ("avg_pool1d", dict(kernel_size=3, stride=2)),
    ],
)
def test_pool_double_backward(fn, kw):
    shape = (2, 2, 6, 7) if "1d" not in fn else (2, 2, 7)
    xa = rand_array(shape, "float64", seed=6)

    def body(lib):
        x = to_lib(lib, xa, True)
        y = getattr(F(lib), fn)(x, **kw)
        (g,) = lib.autograd.grad((y * y * y).sum(), x, create_graph=True)
        return g

    oracle(body, **TOL["float64"])


def test_pool_saved_tensor_checks():
    xa = rand_array((1, 2, 4, 4))
    for fn in ("max_pool2d", "avg_pool2d"):

        def modified(lib, fn=fn):
            x = to_lib(lib, xa, True).clone()
            y = getattr(F(lib), fn)(x, 2)
            x.mul_(2)
            y.sum().backward()

        def twice(lib, fn=fn):
            y = getattr(F(lib), fn)(to_lib(lib, xa, True), 2)
            y.sum().backward()
            y.sum().backward()

        oracle(modified, grads=False)
        oracle(twice, grads=False)


# --------------------------------------------------------------------------- errors

MAX2D_ERRORS = [
    ((2, 4, 5, 5), dict(kernel_size=3, padding=2)),
    ((2, 4, 5, 5), dict(kernel_size=3, padding=2, dilation=2)),
    ((2, 4, 5, 5), dict(kernel_size=0)),
    ((2, 4, 5, 5), dict(kernel_size=0, stride=1)),
    ((2, 4, 5, 5), dict(kernel_size=2, stride=0)),
    ((2, 4, 5, 5), dict(kernel_size=2, stride=-1)),
    ((2, 4, 5, 5), dict(kernel_size=2, dilation=0)),
    ((2, 4, 5, 5), dict(kernel_size=2, padding=-1)),
    ((2, 4, 5, 5), dict(kernel_size=6)),
    ((2, 4, 5, 5), dict(kernel_size=(1, 2, 3))),
    ((2, 4, 5, 5), dict(kernel_size=2, stride=(1, 2, 3))),
    ((2, 4, 5, 5), dict(kernel_size=2, padding=(1, 2, 3))),
    ((2, 4, 5, 5), dict(kernel_size=2, dilation=(1, 2, 3))),
    ((5, 5), dict(kernel_size=2)),
    ((1, 2, 4, 5, 5), dict(kernel_size=2)),
    ((2, 0, 5, 5), dict(kernel_size=2)),
    ((2, 4, 0, 5), dict(kernel_size=2)),
    ((0, 5, 5), dict(kernel_size=2)),
]


@pytest.mark.parametrize("case", range(len(MAX2D_ERRORS)))
def test_max_pool2d_errors(case):
    xs, kw = MAX2D_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: F(lib).max_pool2d(to_lib(lib, xa), **kw))


MAX1D_ERRORS = [
    ((5,), dict(kernel_size=2)),
    ((2, 4, 5, 5), dict(kernel_size=2)),
    ((2, 4, 5), dict(kernel_size=6)),
    ((2, 4, 5), dict(kernel_size=3, padding=2)),
    ((2, 4, 5), dict(kernel_size=0)),
    ((2, 4, 5), dict(kernel_size=2, stride=0)),
    ((2, 4, 5), dict(kernel_size=2, padding=-1)),
    ((2, 4, 5), dict(kernel_size=2, dilation=0)),
    ((2, 4, 5), dict(kernel_size=(2, 2))),
    ((2, 4, 5), dict(kernel_size=2, stride=(2, 2))),
    ((2, 4, 5), dict(kernel_size=2, padding=(0, 0))),
    ((2, 4, 5), dict(kernel_size=2, dilation=(1, 1))),
    ((2, 0, 5), dict(kernel_size=2)),
    ((2, 5), dict(kernel_size=2, ceil_mode=True, stride=9)),
]


@pytest.mark.parametrize("return_indices", [False, True])
@pytest.mark.parametrize("case", range(len(MAX1D_ERRORS)))
def test_max_pool1d_errors(case, return_indices):
    xs, kw = MAX1D_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: F(lib).max_pool1d(to_lib(lib, xa), return_indices=return_indices, **kw))


AVG_ERRORS = [
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=3, padding=2)),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=0)),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=2, stride=0)),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=6)),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=2, divisor_override=0)),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=(1, 2, 3))),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=2, stride=(1, 2, 3))),
    ("avg_pool2d", (2, 4, 5, 5), dict(kernel_size=2, padding=(1, 2, 3))),
    ("avg_pool2d", (5, 5), dict(kernel_size=2)),
    ("avg_pool2d", (5,), dict(kernel_size=2)),
    ("avg_pool2d", (1, 2, 4, 5, 5), dict(kernel_size=2)),
    ("avg_pool2d", (2, 0, 5, 5), dict(kernel_size=2)),
    ("avg_pool1d", (5,), dict(kernel_size=2)),
    ("avg_pool1d", (2, 4, 5, 5), dict(kernel_size=2)),
    ("avg_pool1d", (2, 4, 5), dict(kernel_size=3, padding=2)),
    ("avg_pool1d", (2, 4, 5), dict(kernel_size=6)),
    ("avg_pool1d", (2, 4, 5), dict(kernel_size=0)),
    ("avg_pool1d", (2, 4, 5), dict(kernel_size=(2, 2))),
    ("avg_pool1d", (2, 4, 5), dict(kernel_size=2, padding=-1)),
]


@pytest.mark.parametrize("case", range(len(AVG_ERRORS)))
def test_avg_pool_errors(case):
    fn, xs, kw = AVG_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: getattr(F(lib), fn)(to_lib(lib, xa), **kw))


ADAPTIVE_ERRORS = [
    ("adaptive_avg_pool2d", (5, 5), 3),
    ("adaptive_avg_pool2d", (2, 4, 5, 5), (1, 2, 3)),
    ("adaptive_avg_pool2d", (2, 4, 5, 5), -1),
    ("adaptive_avg_pool2d", (2, 4, 0, 5), 2),
    ("adaptive_avg_pool2d", (2, 0, 5, 5), 2),
    ("adaptive_avg_pool2d", (0, 4, 5, 5), 2),
    ("adaptive_avg_pool2d", (5,), (None, 2)),
    ("adaptive_max_pool2d", (5, 5), 3),
    ("adaptive_max_pool2d", (2, 4, 5, 5), (1, 2, 3)),
    ("adaptive_max_pool2d", (2, 4, 5, 5), -1),
    ("adaptive_max_pool2d", (2, 4, 0, 5), 2),
    ("adaptive_max_pool2d", (2, 0, 5, 5), 2),
    ("adaptive_max_pool2d", (0, 4, 5, 5), 2),
    ("adaptive_avg_pool1d", (5,), 2),
    ("adaptive_avg_pool1d", (2, 4, 5), (2, 3)),
    ("adaptive_avg_pool1d", (2, 4, 5), -1),
    ("adaptive_avg_pool1d", (2, 0, 5), 2),
    ("adaptive_max_pool1d", (5,), 2),
    ("adaptive_max_pool1d", (2, 4, 5), (2, 3)),
    ("adaptive_max_pool1d", (2, 0, 5), 2),
]


@pytest.mark.parametrize("case", range(len(ADAPTIVE_ERRORS)))
def test_adaptive_errors(case):
    fn, xs, size = ADAPTIVE_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: getattr(F(lib), fn)(to_lib(lib, xa), size))


def test_pool_dtype_errors():
    xb = rand_array((2, 3, 4, 4), "bool")
    xi = rand_array((2, 3, 4, 4), "int32", low=-9, high=9)
    xl = rand_array((2, 3, 4, 4), "int64", low=-9, high=9)
    for fn, xa in [
        ("max_pool2d", xb),
        ("avg_pool2d", xb),
        ("avg_pool2d", xi),
        ("adaptive_avg_pool2d", xl),
        ("adaptive_max_pool2d", xl),
        ("adaptive_avg_pool2d", xb),
    ]:
        oracle(lambda lib, fn=fn, xa=xa: getattr(F(lib), fn)(to_lib(lib, xa), 2))
    oracle(lambda lib: F(lib).max_pool1d(to_lib(lib, xi[0]), 2))
    oracle(lambda lib: F(lib).adaptive_avg_pool2d(to_lib(lib, xl), 1), match="mean")


# --------------------------------------------------------------------------- gradcheck (no torch)


def _t(shape, seed):
    # distinct values, so max pooling is differentiable at the point
    a = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape) / 7.0
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


@pytest.mark.parametrize(
    "fn, kw, second",
    [
        (P.max_pool2d, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True), True),
        (P.max_pool2d, dict(kernel_size=2, dilation=2), False),
        (
            P.avg_pool2d,
            dict(kernel_size=3, stride=2, padding=1, count_include_pad=False, ceil_mode=True),
            True,
        ),
        (P.avg_pool2d, dict(kernel_size=2, stride=1, divisor_override=3), False),
        (P.adaptive_avg_pool2d, dict(output_size=(3, 2)), True),
        (P.adaptive_max_pool2d, dict(output_size=(3, 2)), True),
        (P.max_pool1d, dict(kernel_size=3, stride=2, padding=1), False),
        (P.avg_pool1d, dict(kernel_size=2, stride=1, padding=1), False),
        (P.adaptive_avg_pool1d, dict(output_size=3), False),
        (P.adaptive_max_pool1d, dict(output_size=3), False),
    ],
)
def test_gradcheck_pool(fn, kw, second):
    shape = (1, 2, 5, 4) if "1d" not in fn.__name__ else (2, 2, 5)
    x = _t(shape, 0)
    f = lambda x: fn(x, **kw)  # noqa: E731
    assert gradcheck(f, (x,))
    if second:
        assert gradgradcheck(lambda x: f(x) ** 2, (x,))


def test_gradcheck_lp_pool():
    x = tl.tensor(
        np.random.default_rng(1).random((1, 2, 4, 5)) + 0.5, dtype=tl.float64, requires_grad=True
    )
    assert gradcheck(lambda x: P.lp_pool2d(x, 3, 2, stride=1), (x,))
    assert gradcheck(lambda x: P.lp_pool1d(x[0], 2, 2), (x,))
