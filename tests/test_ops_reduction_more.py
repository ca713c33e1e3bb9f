"""More reductions against torch: nansum, nanmean, prod, var/std (and their fused means),
norm / vector_norm / matrix_norm, logsumexp, cumsum, cumprod, cummax, cummin, all, any,
count_nonzero, aminmax, diff; float64 gradchecks and gradgradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, is_torch, make, next_fns, oracle, rand_array, to_lib

import torchless as tl
import torchless.linalg as tla

SHAPES = [(), (0,), (5,), (3, 4), (2, 3, 4), (2, 0, 3)]
INF = float("inf")


def _dims(shape):
    """None, each dim, a negative dim and tuples."""
    n = len(shape)
    if n == 0:
        return [None, 0, -1]
    out = [None, 0, -1]
    if n >= 2:
        out += [1, (0, -1)]
    if n == 3:
        out += [(0, 2), (0, 1, 2)]
    return out


def _cases(dims=_dims):
    return [(s, d) for s in SHAPES for d in dims(s)]


def _grad_ok(dtype):
    return dtype in ("float16", "float32", "float64")


def _with_nans(shape, seed):
    a = np.array(rand_array(shape, "float64", seed=seed))
    a[np.random.default_rng(seed).random(shape) < 0.3] = np.nan
    return a


# --------------------------------------------------------------------------- nansum / nanmean


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shape,dim", _cases(), ids=str)
@pytest.mark.parametrize("op", ["nansum", "nanmean"])
def test_nansum_nanmean(op, shape, dim, keepdim):
    a = _with_nans(shape, 1)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        if dim is None and not keepdim:
            return getattr(lib, op)(x), getattr(x, op)()
        return getattr(lib, op)(x, dim, keepdim)

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float16", "float32", "int64", "int32", "uint8", "bool"])
def test_nansum_nanmean_dtypes(dtype):
    a = rand_array((3, 4), dtype, seed=2)

    def body(lib):
        x = to_lib(lib, a, requires_grad=_grad_ok(dtype))
        out = [lib.nansum(x), x.nansum(1), lib.nansum(x, 0, dtype=lib.float64)]
        out.append(lib.nanmean(x) if _grad_ok(dtype) else None)
        return out

    oracle(body, rtol=1e-3, atol=1e-3)
    oracle(lambda lib: lib.nanmean(to_lib(lib, a), 0, dtype=lib.float64))


def test_nanmean_int_error_and_grad_fn():
    oracle(lambda lib: lib.nanmean(to_lib(lib, np.arange(4))))
    a = _with_nans((2, 3), 3)
    oracle(lambda lib: next_fns(lib.nanmean(to_lib(lib, a, True), 1)))


# --------------------------------------------------------------------------- prod


def _zeros(shape, where, seed=0):
    a = rand_array(shape, "float64", seed=seed)
    for w in where:
        a[w] = 0.0
    return a


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize(
    "shape,dim", _cases(lambda s: [None] + list(range(len(s))) + [-1]), ids=str
)
def test_prod_shapes(shape, dim, keepdim):
    a = rand_array(shape, "float64", seed=4, low=0.5, high=1.5)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        if dim is None:
            return lib.prod(x), x.prod()
        return lib.prod(x, dim, keepdim), x.prod(dim, keepdim=keepdim)

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "zeros",
    [[(0, 1)], [(0, 1), (0, 3)], [(0, 1), (1, 1)], [(0, 0), (1, 2), (2, 2), (2, 3)]],
    ids=str,
)
def test_prod_gradient_with_zeros(zeros):
    a = _zeros((3, 4), zeros, seed=5)

    def body(lib):
        x = to_lib(lib, a, True)
        return lib.prod(x), lib.prod(x, 1), lib.prod(x, 0, True)

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "dtype", ["float16", "float32", "int64", "int32", "int8", "uint8", "bool"]
)
def test_prod_dtypes(dtype):
    a = rand_array((3, 4), dtype, seed=6, low=-2, high=3)

    def body(lib):
        x = to_lib(lib, a, requires_grad=_grad_ok(dtype))
        return lib.prod(x), x.prod(0), x.prod(1, True, dtype=lib.float64)

    oracle(body, rtol=1e-3)


def test_prod_errors():
    a = rand_array((3, 4), "float32", seed=7)
    oracle(lambda lib: to_lib(lib, a).prod(2))
    oracle(lambda lib: to_lib(lib, a, True).prod(dtype=lib.int64))
    oracle(lambda lib: lib.prod(to_lib(lib, a), (0, 1)), match="^prod\\(\\) received an invalid")


# --------------------------------------------------------------------------- var / std


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shape,dim", _cases(), ids=str)
@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
def test_var_std_shapes(op, shape, dim, keepdim):
    a = rand_array(shape, "float64", seed=8)

    def body(lib):
        x = make(lib, a, "step", requires_grad=True)
        return getattr(lib, op)(x, dim, keepdim=keepdim)

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
def test_var_std_overloads(op):
    a = rand_array((3, 4), "float32", seed=9)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        f = getattr(lib, op)
        return (
            f(x),
            f(x, False),
            f(x, 1, False, True),
            f(x, dim=0, unbiased=True),
            f(x, unbiased=False),
            f(x, (0, 1), correction=0),
            f(x, 1, correction=2, keepdim=True),
            f(x, correction=0.5),
        )

    oracle(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
def test_var_std_no_degrees_of_freedom(op):
    """torch warns (an error under pytest) when there are no degrees of freedom."""
    a = rand_array((3, 4), "float32", seed=10)
    oracle(lambda lib: getattr(lib, op)(to_lib(lib, a), 1, correction=4))
    oracle(lambda lib: getattr(lib, op)(to_lib(lib, a[:1]), 0))
    oracle(lambda lib: getattr(lib, op)(lib.zeros(0)))

    def body(lib):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = to_lib(lib, a, True)
            return getattr(lib, op)(x, 1, correction=4), getattr(lib, op)(x[:1], 0)

    oracle(body)


@pytest.mark.parametrize("dtype", ["float16", "float64", "int64", "bool"])
@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
def test_var_std_dtypes(op, dtype):
    a = rand_array((3, 4), dtype, seed=11)
    oracle(lambda lib: getattr(lib, op)(to_lib(lib, a), 1), rtol=1e-3, atol=1e-3)


def test_var_std_grad_fns():
    a = rand_array((3, 4), "float32", seed=12)

    def body(lib):
        x = to_lib(lib, a, True)
        outs = [lib.var(x), lib.std(x, 0), *lib.var_mean(x, 1), *lib.std_mean(x)]
        return [next_fns(o) for o in outs], type(lib.var_mean(x)).__name__

    oracle(body)


def test_var_mean_single_output_gradients():
    a = rand_array((3, 4), "float64", seed=13)

    def body(lib):
        x = to_lib(lib, a, True)
        v, m = lib.var_mean(x, 1)
        s, m2 = lib.std_mean(x, 0, keepdim=True)
        return v, m2

    oracle(body, rtol=1e-9)


# --------------------------------------------------------------------------- norm

PS = ["fro", None, 0, 1, 2, 3, 0.5, 1.5, INF, -INF, -1]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1), [1, 0]], ids=str)
@pytest.mark.parametrize("p", PS, ids=str)
def test_norm(p, dim, keepdim):
    a = rand_array((3, 4), "float64", seed=14)
    a[1, 2] = 0.0
    a[0, 1] = -a[0, 3]  # a tie in abs value

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        if dim is None and not keepdim:
            return lib.norm(x, p), x.norm(p)
        return lib.norm(x, p, dim, keepdim), x.norm(p=p, dim=dim, keepdim=keepdim)

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_norm_shapes(shape):
    a = rand_array(shape, "float32", seed=15)

    def body(lib):
        x = to_lib(lib, a, True)
        out = [lib.norm(x), x.norm(1), x.norm(0)]
        if 0 not in shape:
            out += [x.norm(INF), x.norm(-1)]
        return out

    oracle(body, rtol=1e-5, atol=1e-6)


def test_norm_dtypes_and_errors():
    a = rand_array((3, 4), "float32", seed=16)
    oracle(lambda lib: lib.norm(to_lib(lib, a, True), dtype=lib.float64), rtol=1e-6)
    oracle(lambda lib: lib.norm(to_lib(lib, a.astype(np.float16)), dtype=lib.float32), rtol=1e-3)
    oracle(lambda lib: lib.norm(to_lib(lib, a.astype(np.float16))), rtol=1e-3)
    oracle(lambda lib: lib.norm(to_lib(lib, a), dtype=lib.float16))
    oracle(lambda lib: lib.norm(to_lib(lib, a), dim=1, dtype=lib.int64))
    oracle(lambda lib: lib.norm(to_lib(lib, np.arange(4))))
    oracle(lambda lib: lib.norm(lib.zeros(0), INF))
    oracle(lambda lib: lib.norm(lib.zeros(0), -1))
    oracle(lambda lib: lib.norm(lib.zeros(2, 0), INF, 1))
    oracle(lambda lib: lib.norm(to_lib(lib, a), "abc"))
    oracle(lambda lib: lib.norm(to_lib(lib, np.zeros((2, 2, 2))), "fro", (0, 1, 2)))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, INF, -INF], ids=str)
def test_matrix_norm(ord, keepdim):
    a = rand_array((2, 3, 4), "float64", seed=17)

    def body(lib):
        x = to_lib(lib, a, True)
        f = (lib.linalg if is_torch(lib) else tla).matrix_norm
        return f(x, ord, keepdim=keepdim), f(x, ord, (0, 2), keepdim), f(x, ord, (-1, 0))

    oracle(body, rtol=1e-9, atol=1e-12)


def test_vector_and_matrix_norm_functions():
    a = rand_array((3, 4), "float32", seed=18)

    def body(lib):
        x = to_lib(lib, a, True)
        la = lib.linalg if is_torch(lib) else tla
        vn, mn = la.vector_norm, la.matrix_norm
        return vn(x), vn(x, 3, 1, True), vn(x, INF, dtype=lib.float64), mn(x), mn(x, "nuc")

    oracle(body, rtol=1e-5, atol=1e-6)
    for bad in [(lambda f, x: f(x, "abc")), (lambda f, x: f(x, 3)), (lambda f, x: f(x[0]))]:

        def err(lib, bad=bad):
            return bad((lib.linalg if is_torch(lib) else tla).matrix_norm, to_lib(lib, a))

        oracle(err)
    oracle(lambda lib: (lib.linalg if is_torch(lib) else tla).vector_norm(lib.ones(2), "x"))


# --------------------------------------------------------------------------- logsumexp


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("shape,dim", [c for c in _cases() if c[1] is not None], ids=str)
def test_logsumexp(shape, dim, keepdim):
    a = rand_array(shape, "float64", seed=19, low=-30, high=30)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        return lib.logsumexp(x, dim, keepdim), x.logsumexp(dim)

    oracle(body, rtol=1e-9, atol=1e-12)


def test_logsumexp_infs_ints_and_grad_fn():
    a = np.array([[-INF, -INF, -INF], [INF, 1.0, 2.0], [0.0, np.nan, 1.0], [1.0, 2.0, 3.0]])

    def body(lib):
        x = to_lib(lib, a.astype(np.float32), True)
        return lib.logsumexp(x, 1), lib.logsumexp(x[3:], (0, 1)), next_fns(x[3:].logsumexp(0))

    oracle(body)
    oracle(lambda lib: lib.logsumexp(to_lib(lib, np.arange(6).reshape(2, 3)), 1))
    oracle(lambda lib: lib.logsumexp(to_lib(lib, rand_array((2, 3), "float16")), 1), rtol=1e-3)


# --------------------------------------------------------------------------- cumsum / cumprod


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_cumsum_cumprod_shapes(op, shape):
    a = rand_array(shape, "float64", seed=20, low=0.5, high=1.5)

    def body(lib):
        out = []
        for d in [0, -1] + list(range(1, len(shape))):
            x = make(lib, a, "T", requires_grad=True)
            out.append(getattr(lib, op)(x, d))
        return out

    oracle(body, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "dtype", ["float16", "float32", "int64", "int32", "int8", "uint8", "bool"]
)
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_cumsum_cumprod_dtypes(op, dtype):
    a = rand_array((3, 40), dtype, seed=21, low=-2, high=3)
    if dtype in ("float16", "float32"):
        a = rand_array((3, 40), dtype, seed=21, low=0.9, high=1.2)

    def body(lib):
        x = to_lib(lib, a, requires_grad=_grad_ok(dtype))
        f = getattr(lib, op)
        return f(x, 1), getattr(x, op)(0), f(x, 1, dtype=lib.float64), f(x, 0, dtype=lib.int32)

    # float32 scans accumulate in double: exact
    oracle(body, exact=dtype == "float32", rtol=1e-3)


@pytest.mark.parametrize(
    "zeros", [[(0, 1)], [(0, 1), (0, 3)], [(1, 0), (1, 4)], [(0, 5), (2, 0), (2, 2)]], ids=str
)
def test_cumprod_gradient_with_zeros(zeros):
    a = _zeros((3, 6), zeros, seed=22)

    def body(lib):
        x = to_lib(lib, a, True)
        return lib.cumprod(x, 1), lib.cumprod(x.t(), 0)

    oracle(body, rtol=1e-9, atol=1e-12)


def test_cumsum_inplace_and_errors():
    a = rand_array((3, 4), "float32", seed=23)

    def body(lib):
        x = to_lib(lib, a, True) * 1
        x.cumsum_(1)
        y = to_lib(lib, a).cumprod_(0)
        return x, y

    oracle(body, rtol=1e-6)
    oracle(lambda lib: to_lib(lib, a).cumsum(2))
    oracle(lambda lib: lib.cumsum(to_lib(lib, np.float32(3.0)), 0))


# --------------------------------------------------------------------------- cummax / cummin


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "bool", "float16"])
@pytest.mark.parametrize("op", ["cummax", "cummin"])
def test_cummax_cummin(op, dtype):
    rng = np.random.default_rng(24)
    a = rng.integers(0, 4, (3, 9)).astype(dtype)
    if dtype.startswith("float"):
        a[0, 3] = a[1, 6] = a[1, 7] = np.nan
        a[2, 2], a[2, 5] = 0.0, -0.0

    def body(lib):
        x = make(lib, a, "T", requires_grad=_grad_ok(dtype))
        return getattr(lib, op)(x, 1), getattr(x, op)(0), repr(getattr(lib, op)(x, -1))

    oracle(body)


def test_cummax_edges():
    oracle(
        lambda lib: (
            lib.cummax(to_lib(lib, np.float32(2.0), True), 0),
            lib.cummin(lib.zeros(0), 0),
        )
    )
    oracle(lambda lib: lib.cummax(lib.zeros(2, 0, requires_grad=True), 1))
    oracle(lambda lib: lib.cummax(lib.zeros(2, 3), 2))


# --------------------------------------------------------------------------- all / any / count


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "bool", "float16", "int8"])
@pytest.mark.parametrize("op", ["all", "any"])
def test_all_any(op, dtype):
    a = rand_array((3, 4), dtype, seed=25, low=0, high=2)
    b = np.ones((2, 3), dtype)

    def body(lib):
        x, y = make(lib, a, "T"), to_lib(lib, b)
        f = getattr(lib, op)
        return (
            f(x),
            f(y),
            f(x, 0),
            getattr(x, op)(1, True),
            f(x, (0, 1)),
            f(x, dim=()),
            f(x, -1, keepdim=True),
            f(to_lib(lib, np.zeros((0, 3), dtype))),
            f(to_lib(lib, np.zeros((0, 3), dtype)), 1),
            f(to_lib(lib, np.array(1, dtype)), 0),
        )

    oracle(body)


def test_all_any_nan():
    a = np.array([np.nan, 0.0, 1.0])
    oracle(lambda lib: (lib.all(to_lib(lib, a[[0, 2]])), lib.any(to_lib(lib, a[:1]))))


@pytest.mark.parametrize("shape,dim", _cases(), ids=str)
def test_count_nonzero(shape, dim):
    a = rand_array(shape, "int64", seed=26, low=0, high=2).astype(np.float32)

    def body(lib):
        x = make(lib, a, "T")
        return lib.count_nonzero(x, dim), x.count_nonzero(dim=dim), lib.count_nonzero(x, [])

    oracle(body)


# --------------------------------------------------------------------------- aminmax / diff


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "bool"])
def test_aminmax(dtype, dim, keepdim):
    a = rand_array((3, 4), dtype, seed=27, low=0, high=3)

    def body(lib):
        x = make(lib, a, "T", requires_grad=_grad_ok(dtype))
        r = lib.aminmax(x, dim=dim, keepdim=keepdim)
        return r, x.aminmax(dim=dim), repr(r), type(r).__name__, r.min, r.max

    oracle(body)


def test_aminmax_nan_single_output_and_errors():
    a = np.array([[1.0, np.nan, 3.0], [2.0, 2.0, 0.0]])

    def body(lib):
        x = to_lib(lib, a, True)
        return lib.aminmax(x), lib.aminmax(x, dim=1), lib.aminmax(x[1:], dim=1).max

    oracle(body)
    oracle(lambda lib: lib.aminmax(to_lib(lib, np.float32(3.0), True), dim=0))
    oracle(lambda lib: lib.aminmax(lib.zeros(0)))
    oracle(lambda lib: lib.aminmax(lib.zeros(2, 0), dim=1))
    oracle(lambda lib: lib.aminmax(lib.zeros(0, 2), dim=1))
    oracle(lambda lib: lib.aminmax(lib.zeros(2, 3), dim=(0, 1)))


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool", "uint8"])
def test_diff(dtype):
    a = rand_array((3, 5), dtype, seed=28, low=-5, high=5)

    def body(lib):
        x = make(lib, a, "T", requires_grad=_grad_ok(dtype))
        return (
            lib.diff(x),
            x.diff(2, 0),
            lib.diff(x, n=4),
            lib.diff(x, n=9, dim=0),
            lib.diff(x, prepend=x[:, :2], append=x[:, :1]),
            lib.diff(x, dim=0, append=x),
        )

    oracle(body)


def test_diff_n0_and_errors():
    a = rand_array((3, 4), "float32", seed=29)
    oracle(lambda lib: lib.diff(to_lib(lib, a, True), n=0))
    oracle(lambda lib: lib.diff(to_lib(lib, np.float32(1.0))))
    oracle(lambda lib: lib.diff(to_lib(lib, a), n=-1))
    oracle(lambda lib: lib.diff(to_lib(lib, a), prepend=to_lib(lib, a[0])))
    oracle(lambda lib: lib.diff(to_lib(lib, a), prepend=to_lib(lib, a[:2])))


# --------------------------------------------------------------------------- gradcheck


def _x(shape, seed=0, low=-2.0, high=2.0):
    a = np.random.default_rng(seed).uniform(low, high, size=shape)
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


def _nan_x():
    a = np.random.default_rng(3).uniform(-2, 2, size=(3, 4))
    a[0, 1] = a[2, 3] = np.nan
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


GC = {
    "nansum": (lambda x: x.nansum(1), _nan_x),
    "nanmean": (lambda x: x.nanmean(0, keepdim=True), _nan_x),
    "prod": (lambda x: x.prod(), None),
    "prod_dim": (lambda x: x.prod(1), None),
    "var": (lambda x: x.var(), None),
    "var_dim": (lambda x: x.var(1, correction=0), None),
    "std": (lambda x: x.std((0, 1), keepdim=True), None),
    "var_mean": (lambda x: tl.var_mean(x, 1), None),
    "std_mean": (lambda x: tl.std_mean(x), None),
    "norm2": (lambda x: x.norm(), None),
    "norm1": (lambda x: x.norm(1, 1), None),
    "norm3": (lambda x: x.norm(3, 0, True), None),
    "norm_half": (lambda x: x.norm(0.5), None),
    "norm_1.5": (lambda x: x.norm(1.5, 1), None),
    "norm_inf": (lambda x: x.norm(INF, 1), None),
    "norm_-inf": (lambda x: x.norm(-INF), None),
    "logsumexp": (lambda x: x.logsumexp(1), None),
    "cumsum": (lambda x: x.cumsum(1), None),
    "cumprod": (lambda x: x.cumprod(0), None),
    "cummax": (lambda x: x.cummax(1).values, None),
    "cummin": (lambda x: x.cummin(0).values, None),
    "aminmax": (lambda x: tl.aminmax(x, dim=1), None),
    "diff": (lambda x: x.diff(2), None),
    "matrix_norm_1": (lambda x: tla.matrix_norm(x, 1), None),
}


@pytest.mark.parametrize("op", list(GC))
def test_gradcheck(op):
    f, make_x = GC[op]
    x = make_x() if make_x else _x((3, 4), seed=1)
    gradcheck(f, [x])
    gradgradcheck(f, [x])


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_gradgradcheck_prod_with_zeros(dim):
    a = _zeros((3, 4), [(0, 1), (2, 2), (2, 3)], seed=30)
    x = tl.tensor(a, requires_grad=True)
    f = (lambda t: t.prod()) if dim is None else (lambda t: t.prod(dim))
    gradcheck(f, [x])
    gradgradcheck(f, [x])


def test_gradgradcheck_cumprod_with_zeros():
    a = _zeros((2, 5), [(0, 1), (1, 2), (1, 4)], seed=31)
    x = tl.tensor(a, requires_grad=True)
    gradcheck(lambda t: t.cumprod(1), [x])
    gradgradcheck(lambda t: t.cumprod(1), [x])


def test_nuc_norm_gradcheck():
    gradcheck(lambda t: t.norm("nuc"), [_x((3, 4), seed=2)])
    gradcheck(lambda t: tl.norm(t, "nuc", (0, 2)), [_x((2, 3, 3), seed=3)])


def test_double_backward_against_torch():
    a = rand_array((3, 4), "float64", seed=32, low=0.5, high=2)

    def body(lib):
        x = to_lib(lib, a, True)
        outs = []
        for f in (
            lambda t: t.prod(1),
            lambda t: t.std(0),
            lambda t: t.norm(3, 1),
            lambda t: t.logsumexp(0),
            lambda t: t.cumprod(1),
        ):
            (g,) = lib.autograd.grad(f(x).sum(), x, create_graph=True)
            outs.append(g)
        return outs

    oracle(body, rtol=1e-9)


def test_reduction_summation_precision_note():
    """NumPy's pairwise float32 sum may differ from torch's in the last bits; the values
    agree to float32 rounding (documented, not emulated)."""
    a = rand_array((1000,), "float32", seed=33)
    oracle(lambda lib: lib.nansum(to_lib(lib, a)), rtol=1e-6)
    assert math.isfinite(float(tl.nansum(tl.tensor(a))))


def test_empty_dim_lists():
    """An empty dim list: var/std reduce everything but torch's backward counts one
    element; logsumexp fails as torch does; all/any reduce nothing."""
    a = rand_array((3, 4), "float32", seed=34)

    def body(lib):
        x = to_lib(lib, a, True)
        return (
            lib.var(x, []),
            lib.std(x, ()),
            lib.var_mean(x, []),
            lib.std_mean(x, [], keepdim=True),
            lib.logsumexp(x, (), True),
            lib.logsumexp(to_lib(lib, np.float32(3.0), True), ()),
        )

    oracle(body)
    oracle(lambda lib: lib.logsumexp(to_lib(lib, a, True), ()))
    oracle(lambda lib: lib.nansum(to_lib(lib, a, True), dtype=lib.int64))
