"""Matrix products against torch (matmul in every broadcasting case, mm, mv, dot, bmm,
addmm, outer): values, dtypes, gradients, grad_fn names, errors; float64 gradchecks."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, next_fns, oracle, rand_array, to_lib

import torchless as tl

MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3,)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((2, 1, 2, 3), (5, 3, 4)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
    ((1, 3), (3, 1)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul(dtype, shapes):
    sa, sb = shapes
    a, b = rand_array(sa, dtype, 1), rand_array(sb, dtype, 2)

    def body(lib):
        x, y = to_lib(lib, a, True), to_lib(lib, b, True)
        r = lib.matmul(x, y)
        # torch composes batched matmul from views and mm/bmm; torchless records one node
        # named as torch's last, so the graph below it is compared only for <= 2-D operands
        graph = next_fns(r) if max(len(sa), len(sb)) <= 2 and (len(sa), len(sb)) != (1, 2) else 0
        return r, x @ y, x.matmul(y), graph

    oracle(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layout", ["T", "step"])
def test_matmul_noncontiguous(layout):
    a, b = rand_array((4, 3), "float32", 3), rand_array((3, 5), "float32", 4)

    def body(lib):
        x, y = make(lib, a, layout, True), make(lib, b, layout, True)
        return x @ y, x.mm(y), (x @ y).t() @ x

    oracle(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", ["int64", "int32", "float16"])
def test_matmul_other_dtypes(dtype):
    a, b = rand_array((2, 3), dtype, 5), rand_array((3, 4), dtype, 6)
    oracle(lambda lib: to_lib(lib, a) @ to_lib(lib, b), rtol=1e-2, atol=1e-2)
    oracle(lambda lib: lib.mv(to_lib(lib, a), to_lib(lib, b[:, 0])), rtol=1e-2, atol=1e-2)


def test_matmul_errors():
    f = rand_array((4, 1), "float32", 1)
    g = rand_array((2, 3), "float32", 2)
    oracle(lambda lib: lib.mm(to_lib(lib, f), to_lib(lib, g)))
    oracle(lambda lib: to_lib(lib, f) @ to_lib(lib, g))
    oracle(lambda lib: to_lib(lib, g) @ to_lib(lib, g[0, :2]))
    oracle(lambda lib: to_lib(lib, g[0]) @ to_lib(lib, f[:, 0]))
    oracle(lambda lib: to_lib(lib, rand_array((5, 2, 3), "float32")) @ to_lib(lib, f))
    oracle(lambda lib: to_lib(lib, np.array(1.0)) @ to_lib(lib, g))
    oracle(lambda lib: to_lib(lib, g) @ to_lib(lib, g.T.astype(np.float64)))
    oracle(lambda lib: lib.matmul(to_lib(lib, g), 2))
    oracle(
        lambda lib: (
            to_lib(lib, rand_array((2, 2, 3), "float32"))
            @ to_lib(lib, rand_array((3, 3, 4), "float32"))
        )
    )


def test_mm_mv_dot_bmm_outer():
    m = rand_array((2, 3), "float64", 1)
    n = rand_array((3, 4), "float64", 2)
    v = rand_array((3,), "float64", 3)
    w = rand_array((4,), "float64", 4)
    b1 = rand_array((5, 2, 3), "float64", 5)
    b2 = rand_array((5, 3, 4), "float64", 6)

    def body(lib):
        tm, tn, tv, tw = (to_lib(lib, x, True) for x in (m, n, v, w))
        tb1, tb2 = to_lib(lib, b1, True), to_lib(lib, b2, True)
        outs = [
            lib.mm(tm, tn),
            tm.mm(tn),
            lib.mv(tm, tv),
            tm.mv(tv),
            lib.dot(tv, tv),
            tv.dot(tv),
            lib.bmm(tb1, tb2),
            tb1.bmm(tb2),
            lib.outer(tv, tw),
            tv.outer(tw),
        ]
        return outs, [next_fns(o) for o in outs]

    oracle(body, rtol=1e-9, atol=1e-12)


def test_mm_mv_dot_bmm_errors():
    m = rand_array((2, 3), "float32", 1)
    v = rand_array((3,), "float32", 2)
    b = rand_array((2, 2, 3), "float32", 3)
    oracle(lambda lib: lib.mm(to_lib(lib, v), to_lib(lib, m)))
    oracle(lambda lib: lib.mm(to_lib(lib, m), to_lib(lib, v)))
    oracle(lambda lib: lib.mv(to_lib(lib, m), to_lib(lib, m)))
    oracle(lambda lib: lib.mv(to_lib(lib, m), to_lib(lib, v[:2])))
    oracle(lambda lib: lib.dot(to_lib(lib, m), to_lib(lib, v)))
    oracle(lambda lib: lib.dot(to_lib(lib, v), to_lib(lib, v[:2])))
    oracle(lambda lib: lib.dot(to_lib(lib, v), to_lib(lib, v.astype(np.float64))))
    oracle(lambda lib: lib.bmm(to_lib(lib, m), to_lib(lib, b)))
    oracle(lambda lib: lib.bmm(to_lib(lib, b), to_lib(lib, b)))
    oracle(lambda lib: lib.bmm(to_lib(lib, b), to_lib(lib, rand_array((3, 3, 2), "float32"))))


@pytest.mark.parametrize("bias_shape", [(2, 4), (4,), (1, 4), (2, 1), ()], ids=str)
@pytest.mark.parametrize("coef", [(1, 1), (0.5, 2.0), (0, 1)], ids=str)
def test_addmm(bias_shape, coef):
    beta, alpha = coef
    c = rand_array(bias_shape, "float64", 1)
    m1, m2 = rand_array((2, 3), "float64", 2), rand_array((3, 4), "float64", 3)

    def body(lib):
        tc, t1, t2 = to_lib(lib, c, True), to_lib(lib, m1, True), to_lib(lib, m2, True)
        r = lib.addmm(tc, t1, t2, beta=beta, alpha=alpha)
        return r, next_fns(r)

    oracle(body, rtol=1e-9, atol=1e-12)


def test_addmm_errors():
    c = rand_array((2, 4), "float32", 1)
    m1, m2 = rand_array((2, 3), "float32", 2), rand_array((3, 4), "float32", 3)
    oracle(lambda lib: lib.addmm(to_lib(lib, c), to_lib(lib, m1), to_lib(lib, m1)))
    oracle(lambda lib: lib.addmm(to_lib(lib, c), to_lib(lib, m1[0]), to_lib(lib, m2)))
    oracle(lambda lib: lib.addmm(to_lib(lib, c[:, :3]), to_lib(lib, m1), to_lib(lib, m2)))
    oracle(
        lambda lib: lib.addmm(to_lib(lib, c), to_lib(lib, m1), to_lib(lib, m2.astype(np.float64)))
    )


def test_out_argument():
    m, n = rand_array((2, 3), "float32", 1), rand_array((3, 4), "float32", 2)

    def body(lib):
        out = lib.zeros(2, 4)
        r = lib.mm(to_lib(lib, m), to_lib(lib, n), out=out)
        return r is out, out

    oracle(body)
    oracle(lambda lib: lib.mm(to_lib(lib, m, True), to_lib(lib, n), out=lib.zeros(2, 4)))
    oracle(lambda lib: lib.matmul(to_lib(lib, m, True), to_lib(lib, n), out=lib.zeros(2, 4)))


# --------------------------------------------------------------------------- gradcheck


def _x(shape, seed):
    a = np.random.default_rng(seed).uniform(-1, 1, size=shape)
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


@pytest.mark.parametrize("shapes", MATMUL_SHAPES[:10], ids=str)
def test_gradcheck_matmul(shapes):
    a, b = _x(shapes[0], 1), _x(shapes[1], 2)
    gradcheck(tl.matmul, [a, b])
    gradgradcheck(tl.matmul, [a, b])


LINALG_GC = {
    "mm": (lambda a, b: tl.mm(a, b), [(2, 3), (3, 4)]),
    "mv": (lambda a, b: tl.mv(a, b), [(2, 3), (3,)]),
    "dot": (lambda a, b: tl.dot(a, b), [(3,), (3,)]),
    "bmm": (lambda a, b: tl.bmm(a, b), [(2, 2, 3), (2, 3, 2)]),
    "outer": (lambda a, b: tl.outer(a, b), [(3,), (4,)]),
    "addmm": (lambda c, a: tl.addmm(c, a, a.t(), beta=0.5, alpha=2), [(2,), (2, 3)]),
    "addmm_bias_2d": (lambda c, a: tl.addmm(c, a.t(), a), [(3, 3), (2, 3)]),
}


@pytest.mark.parametrize("op", list(LINALG_GC))
def test_gradcheck_linalg(op):
    f, shapes = LINALG_GC[op]
    xs = [_x(s, i) for i, s in enumerate(shapes)]
    gradcheck(f, xs)
    gradgradcheck(f, xs)
