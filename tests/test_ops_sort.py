"""Sorting and selection against torch: sort, argsort, msort, topk, kthvalue, median,
nanmedian, mode, unique, unique_consecutive, searchsorted, bucketize. Indices are compared
exactly, ties included (torch's CPU algorithms decide their order)."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, oracle, rand_array, to_lib

import torchless as tl

SHAPES = [(), (0,), (5,), (3, 4), (2, 3, 4), (2, 0, 3)]


def _tied(shape, dtype="float32", seed=0, nan=False):
    """Values from a few integers (many ties), optionally with NaNs."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, size=shape).astype(dtype)
    if nan:
        a[rng.random(shape) < 0.15] = np.nan
    return a


def _dims(shape):
    return [0, -1] + ([1] if len(shape) >= 2 else []) + ([-2] if len(shape) == 3 else [])


def _grad_ok(dtype):
    return dtype in ("float32", "float64")


# --------------------------------------------------------------------------- sort


@pytest.mark.parametrize("stable", [None, False, True])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sort_shapes(shape, descending, stable):
    a = _tied(shape, "float64", seed=1, nan=True)

    def body(lib):
        out = []
        for d in _dims(shape):
            x = make(lib, a, "T", requires_grad=True)
            kw = {} if stable is None else {"stable": stable}
            out.append(lib.sort(x, dim=d, descending=descending, **kw))
            out.append(x.argsort(dim=d, descending=descending, **kw))
        return out

    oracle(body)


@pytest.mark.parametrize(
    "dtype", ["float16", "float32", "int64", "int32", "int16", "uint8", "bool"]
)
def test_sort_dtypes_and_ties(dtype):
    a = _tied((3, 40), dtype, seed=2) if dtype != "bool" else rand_array((3, 40), "bool")

    def body(lib):
        x = make(lib, a, "step", requires_grad=_grad_ok(dtype))
        return (
            x.sort(),
            x.sort(descending=True),
            x.sort(0),
            x.sort(stable=True, descending=True),
            lib.argsort(x, 1, True),
            lib.argsort(x, stable=True),
        )

    oracle(body)


@pytest.mark.parametrize("n", [17, 100, 700])
def test_sort_introsort_ties(n):
    """Long rows with ties go through std::sort's exact order."""
    a = _tied((2, n), "float32", seed=n, nan=True)
    oracle(lambda lib: [to_lib(lib, a).sort(descending=dsc) for dsc in (False, True)])


def test_sort_radix_and_expanded():
    a = np.random.default_rng(3).integers(0, 50, 40000)

    def body(lib):
        x = to_lib(lib, a)
        e = to_lib(lib, np.array([[2.0], [1.0]])).expand(2, 20)
        return x.sort().indices[:3000], x[:1000].sort().indices, e.sort(), e.sort(0)

    oracle(body)


def test_sort_msort_repr_and_grad_fn():
    a = _tied((3, 4), "float32", seed=4)

    def body(lib):
        x = to_lib(lib, a, True)
        return (
            repr(lib.sort(x, 0)),
            lib.msort(x),
            x.msort(),
            lib.sort(x, stable=True).values.grad_fn.name(),
            type(lib.sort(x)).__name__,
        )

    oracle(body)


def test_sort_errors():
    a = rand_array((2, 3), "float32", seed=5)
    oracle(lambda lib: to_lib(lib, a).sort(2))
    oracle(lambda lib: lib.argsort(to_lib(lib, a), -3))


# --------------------------------------------------------------------------- topk / kthvalue


@pytest.mark.parametrize("sorted_", [True, False])
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("n,k", [(1, 1), (6, 0), (6, 1), (6, 3), (6, 6), (40, 7), (200, 3)])
def test_topk(n, k, largest, sorted_):
    a = _tied((3, n), "float64", seed=n + k, nan=True)

    def body(lib):
        x = make(lib, a, "T" if n > 1 else "contig", requires_grad=True)
        return lib.topk(x, k, largest=largest, sorted=sorted_), x.t().topk(k, 0, largest)

    oracle(body)


@pytest.mark.parametrize("dtype", ["float16", "float32", "int64", "uint8", "int8"])
def test_topk_dtypes(dtype):
    a = _tied((4, 9), dtype, seed=6)
    oracle(lambda lib: (to_lib(lib, a).topk(3), to_lib(lib, a).topk(2, 0, False, False)))


def test_topk_edge_and_errors():
    a = rand_array((3, 4), "float32", seed=7)
    oracle(
        lambda lib: (lib.topk(to_lib(lib, np.float32(2.5)), 1), to_lib(lib, np.float32(1)).topk(0))
    )
    oracle(lambda lib: repr(lib.topk(to_lib(lib, a, True), 2)))
    oracle(lambda lib: lib.topk(to_lib(lib, np.zeros((0, 3), np.float32)), 2))
    oracle(lambda lib: to_lib(lib, a).topk(5))
    oracle(lambda lib: to_lib(lib, a).topk(-1))
    oracle(lambda lib: to_lib(lib, a).topk(2, 3))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("n", [1, 2, 3, 8, 31])
def test_kthvalue(n, keepdim):
    a = _tied((3, n), "float64", seed=n, nan=True)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        return [lib.kthvalue(x, k, 1, keepdim) for k in range(1, n + 1)] + [
            x.kthvalue(1, 0, keepdim)
        ]

    oracle(body)


def test_kthvalue_edge_and_errors():
    a = rand_array((3, 4), "float32", seed=8)
    oracle(lambda lib: lib.kthvalue(to_lib(lib, np.float32(4.0), True), 1))
    oracle(lambda lib: repr(to_lib(lib, a).kthvalue(2)))
    oracle(lambda lib: to_lib(lib, _tied((2, 9), "int64")).kthvalue(5))
    oracle(lambda lib: to_lib(lib, a).kthvalue(5))
    oracle(lambda lib: to_lib(lib, a).kthvalue(0))
    oracle(lambda lib: lib.kthvalue(to_lib(lib, np.zeros((2, 0), np.float32)), 1))
    oracle(lambda lib: lib.kthvalue(to_lib(lib, np.zeros((0, 3), np.float32)), 2, 1, True))


# --------------------------------------------------------------------------- median / mode


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("op", ["median", "nanmedian"])
@pytest.mark.parametrize("n", [1, 2, 5, 6, 17])
def test_median_dim(op, n, keepdim):
    a = _tied((4, n), "float64", seed=n, nan=True)
    a[3] = np.nan  # a row of NaNs

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        f = getattr(lib, op)
        return f(x, 1, keepdim), getattr(x, op)(0, keepdim=keepdim), f(x[:3], -1)

    oracle(body)


@pytest.mark.parametrize("op", ["median", "nanmedian"])
@pytest.mark.parametrize("shape", [(), (1,), (5,), (6,), (3, 4)], ids=str)
def test_median_all(op, shape):
    a = _tied(shape, "float64", seed=9)
    b = _tied(shape, "float64", seed=9, nan=True)

    def body(lib):
        f = getattr(lib, op)
        return f(to_lib(lib, a, True)), f(to_lib(lib, b, True)), getattr(to_lib(lib, a), op)()

    oracle(body)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "float32", "float16", "bool"])
@pytest.mark.parametrize("op", ["median", "nanmedian"])
def test_median_dtypes(op, dtype):
    a = _tied((3, 5), dtype, seed=10)
    oracle(lambda lib: getattr(lib, op)(to_lib(lib, a)))
    oracle(lambda lib: getattr(lib, op)(to_lib(lib, a), 0))


def test_median_errors_and_repr():
    oracle(lambda lib: lib.median(lib.zeros(0)))
    oracle(lambda lib: lib.nanmedian(lib.zeros(0)))
    oracle(lambda lib: lib.median(lib.zeros(2, 0), 1))
    oracle(lambda lib: lib.median(lib.zeros(2, 3), 2))
    oracle(lambda lib: repr(lib.nanmedian(to_lib(lib, _tied((2, 3), "float32")), 1)))
    oracle(lambda lib: lib.median(to_lib(lib, np.float32(3.0), True), 0))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "float16", "bool"])
def test_mode(dtype, keepdim):
    a = _tied((4, 13), dtype, seed=11) if dtype != "bool" else rand_array((4, 13), "bool")

    def body(lib):
        x = make(lib, a, "T", requires_grad=_grad_ok(dtype))
        return lib.mode(x, 1, keepdim), x.mode(0, keepdim), x.mode()

    oracle(body)


def test_mode_nan_and_edges():
    a = _tied((5, 20), "float32", seed=12, nan=True)
    a[4] = np.nan
    oracle(lambda lib: lib.mode(to_lib(lib, a, True)))
    oracle(lambda lib: (lib.mode(to_lib(lib, np.float32(2.0))), repr(lib.mode(to_lib(lib, a[0])))))
    oracle(lambda lib: lib.mode(to_lib(lib, np.zeros((3, 0), np.float32))))
    oracle(lambda lib: lib.mode(to_lib(lib, np.zeros((0, 3), np.float32))))
    oracle(lambda lib: lib.mode(to_lib(lib, a), 2))


# --------------------------------------------------------------------------- unique


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 4), (2, 0, 3)], ids=str)
def test_unique(shape):
    a = _tied(shape, "float32", seed=13)

    def body(lib):
        x = to_lib(lib, a)
        out = [
            lib.unique(x),
            lib.unique(x, return_inverse=True),
            lib.unique(x, return_counts=True),
            x.unique(sorted=False, return_inverse=True, return_counts=True),
        ]
        for d in range(len(shape)):
            out.append(lib.unique(x, dim=d, return_inverse=True, return_counts=True))
        return out

    oracle(body)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float64"])
def test_unique_dtypes_and_nan(dtype):
    a = _tied((4, 5), dtype, seed=14, nan=dtype == "float64")

    def body(lib):
        x = to_lib(lib, a)
        return lib.unique(x, return_inverse=True, return_counts=True), lib.unique(x, dim=1)

    oracle(body)


def test_unique_grad_fn_and_backward_error():
    a = _tied((3, 4), "float32", seed=15)

    def body(lib):
        x = to_lib(lib, a, True)
        u, ud = lib.unique(x), lib.unique(x, dim=0)
        c, cd = lib.unique_consecutive(x), lib.unique_consecutive(x, dim=1)
        names = [t.grad_fn.name() for t in (u, ud, c, cd)]
        errs = []
        for t in (u, ud, c):
            try:
                t.sum().backward()
            except NotImplementedError as e:
                errs.append(str(e))
        return names, errs

    oracle(body, grads=False)


@pytest.mark.parametrize("shape", [(), (0,), (9,), (3, 4), (2, 3, 2)], ids=str)
def test_unique_consecutive(shape):
    a = _tied(shape, "int64", seed=16) // 2

    def body(lib):
        x = to_lib(lib, a)
        out = [
            lib.unique_consecutive(x),
            lib.unique_consecutive(x, return_inverse=True, return_counts=True),
            x.unique_consecutive(return_counts=True),
        ]
        for d in range(len(shape)):
            out.append(lib.unique_consecutive(x, True, True, d))
        return out

    oracle(body)


def test_unique_consecutive_nan():
    a = np.array([1.0, np.nan, np.nan, 1.0, 1.0, 2.0])
    oracle(lambda lib: lib.unique_consecutive(to_lib(lib, a), return_counts=True))


# --------------------------------------------------------------------------- searchsorted


@pytest.mark.parametrize("kw", [{}, {"right": True}, {"side": "right"}, {"out_int32": True}])
def test_searchsorted(kw):
    seq = np.array([1.0, 2.0, 2.0, 4.0, 7.0])
    v = np.array([[0.0, 2.0, 3.0], [7.0, 8.0, 2.0]])
    seq2 = np.sort(_tied((2, 6), "float64", seed=17), axis=1)

    def body(lib):
        s = to_lib(lib, seq)
        return (
            lib.searchsorted(s, to_lib(lib, v), **kw),
            lib.searchsorted(s, 2.0, **kw),
            lib.searchsorted(to_lib(lib, seq2), to_lib(lib, v), **kw),
            lib.searchsorted(s, to_lib(lib, np.float64(4.0)), **kw),
        )

    oracle(body)


def test_searchsorted_sorter_ints_and_errors():
    seq = np.array([5, 1, 4, 2, 2])
    sorter = np.argsort(seq, kind="stable")

    def body(lib):
        return lib.searchsorted(
            to_lib(lib, seq), to_lib(lib, np.array([2, 3, 6])), sorter=to_lib(lib, sorter)
        )

    oracle(body)
    s2 = np.zeros((2, 3))
    oracle(lambda lib: lib.searchsorted(to_lib(lib, s2), to_lib(lib, np.zeros((3, 1)))))
    oracle(lambda lib: lib.searchsorted(to_lib(lib, s2), 1.0))
    oracle(lambda lib: lib.searchsorted(to_lib(lib, seq), 1, side="middle"))
    oracle(lambda lib: lib.searchsorted(to_lib(lib, seq), 1, right=True, side="left"))


def test_bucketize():
    b = np.array([1.0, 3.0, 5.0, 7.0])
    v = np.array([[0.0, 1.0, 3.0], [5.5, 7.0, 9.0]])

    def body(lib):
        bt, vt = to_lib(lib, b), to_lib(lib, v)
        return (
            lib.bucketize(vt, bt),
            lib.bucketize(vt, bt, right=True),
            lib.bucketize(vt, bt, out_int32=True),
            lib.bucketize(3.0, bt),
        )

    oracle(body)
    oracle(lambda lib: lib.bucketize(to_lib(lib, v), to_lib(lib, v)))


# --------------------------------------------------------------------------- gradcheck


def _x(shape, seed=0):
    # distinct values: the selection (and so the derivative) is locally constant
    a = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 1
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


SELECTIONS = {
    "sort": lambda x: x.sort(1).values,
    "sort_desc_dim0": lambda x: x.sort(0, descending=True).values,
    "msort": lambda x: x.msort(),
    "topk": lambda x: x.topk(2).values,
    "topk_smallest": lambda x: x.topk(3, 0, largest=False, sorted=False).values,
    "kthvalue": lambda x: x.kthvalue(2, 1, True).values,
    "median": lambda x: x.median(),
    "median_dim": lambda x: x.median(0).values,
    "nanmedian_dim": lambda x: x.nanmedian(1, keepdim=True).values,
    "mode": lambda x: x.mode(1).values,
}


@pytest.mark.parametrize("op", list(SELECTIONS))
def test_gradcheck_selections(op):
    x = _x((3, 4), seed=1)
    f = SELECTIONS[op]
    gradcheck(f, [x])
    gradgradcheck(lambda t: f(t * t), [x])


def test_sort_backward_of_backward():
    """The scattered gradient is itself differentiable (against torch)."""
    a = _tied((3, 5), "float64", seed=18)

    def body(lib):
        x = to_lib(lib, a, True)
        w = to_lib(lib, np.arange(15.0).reshape(3, 5), True)
        (g,) = lib.autograd.grad((x.sort(1).values * w).sum(), x, create_graph=True)
        return g

    oracle(body)
