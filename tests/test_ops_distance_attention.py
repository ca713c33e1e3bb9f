"""Distances, attention and bilinear against torch: cosine_similarity, pairwise_distance,
cdist (both compute modes), pdist, scaled_dot_product_attention (math backend: masks,
causal, scale, dropout, grouped-query heads), bilinear; values, gradients, grad_fn names,
errors; float64 gradchecks and gradgradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, is_torch, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops.attention import scaled_dot_product_attention as tl_sdpa
from torchless._ops.nn import bilinear as tl_bilinear

F32 = dict(rtol=1e-4, atol=1e-5)
F64 = dict(rtol=1e-10, atol=1e-11)


def tol(dtype):
    return F32 if dtype == "float32" else F64


def t64(shape, seed, grad=True):
    return tl.tensor(rand_array(shape, "float64", seed), requires_grad=grad)


def F(lib):
    """``torch.nn.functional`` for torch; the op functions for torchless."""
    if is_torch(lib):
        return lib.nn.functional

    class _F:
        scaled_dot_product_attention = staticmethod(tl_sdpa)
        bilinear = staticmethod(tl_bilinear)
        cosine_similarity = staticmethod(tl.cosine_similarity)
        pairwise_distance = staticmethod(tl.pairwise_distance)
        pdist = staticmethod(tl.pdist)

    return _F


# ----------------------------------------------------------------------------- cosine, pairwise


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cosine_similarity(dtype):
    a, b = rand_array((4, 5), dtype, 1), rand_array((4, 5), dtype, 2)
    c = rand_array((3, 1, 5), dtype, 3)
    z = np.zeros((4, 5), dtype)
    tiny = (rand_array((4, 5), dtype, 4) * 1e-10).astype(dtype)

    def body(lib):
        x, y, w, zz, tt = (to_lib(lib, v, True) for v in (a, b, c, z, tiny))
        f = F(lib)
        return [
            f.cosine_similarity(x, y),
            lib.cosine_similarity(x, y, dim=0),
            f.cosine_similarity(x, y, dim=-1, eps=0.5),
            f.cosine_similarity(x, w, dim=-1),
            f.cosine_similarity(zz, y),
            f.cosine_similarity(tt, y),  # norms below eps: the clamp is not differentiated
            f.cosine_similarity(x[0], y[0], dim=0),
        ]

    oracle(body, **tol(dtype))


def test_cosine_similarity_dtypes_errors():
    ia = np.arange(6).reshape(2, 3)

    def body(lib):
        return lib.cosine_similarity(to_lib(lib, ia), to_lib(lib, rand_array((2, 3), "float32")))

    oracle(body, **F32)
    cases = [
        lambda lib: lib.cosine_similarity(to_lib(lib, ia), to_lib(lib, ia)),
        lambda lib: lib.cosine_similarity(
            to_lib(lib, np.ones((2, 3))), to_lib(lib, np.ones((4, 3)))
        ),
        lambda lib: lib.cosine_similarity(
            to_lib(lib, np.ones((2, 3))), to_lib(lib, np.ones((2, 3))), dim=2
        ),
        lambda lib: lib.cosine_similarity(to_lib(lib, np.ones(3)), to_lib(lib, np.ones(3))),
    ]
    for c in cases:
        oracle(c)


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, 0.0, math.inf, -1.0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pairwise_distance(dtype, p):
    a, b = rand_array((4, 5), dtype, 1), rand_array((4, 5), dtype, 2)

    def body(lib):
        x, y = to_lib(lib, a, True), to_lib(lib, b, True)
        f = F(lib)
        return [
            f.pairwise_distance(x, y, p),
            lib.pairwise_distance(x, y, p, keepdim=True),
            f.pairwise_distance(x, y[0], p, eps=1e-3),
            f.pairwise_distance(x[0], y[1], p),
            f.pairwise_distance(x[0, 0], y[0, 0], p),
        ]

    oracle(body, **tol(dtype))


def test_pairwise_distance_int():
    ia = np.arange(6).reshape(2, 3)
    oracle(lambda lib: lib.pairwise_distance(to_lib(lib, ia), to_lib(lib, ia)), **F32)


def test_cosine_pairwise_gradcheck():
    x, y = t64((3, 4), 1), t64((3, 4), 2)
    assert gradgradcheck(lambda a, b: tl.cosine_similarity(a, b), [x, y])
    for p in (2.0, 1.0, 3.0, 1.5, math.inf):
        assert gradgradcheck(lambda a, b, p=p: tl.pairwise_distance(a, b, p), [x, y])


# ----------------------------------------------------------------------------- cdist, pdist


@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 3.0, 0.5, 1.5, math.inf])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist(dtype, p):
    a, b = rand_array((4, 3), dtype, 1), rand_array((5, 3), dtype, 2)
    ab, bb = rand_array((2, 1, 4, 3), dtype, 3), rand_array((5, 2, 3), dtype, 4)

    def body(lib):
        x, y, xb, yb = (to_lib(lib, v, True) for v in (a, b, ab, bb))
        return [
            lib.cdist(x, y, p),
            lib.cdist(xb, yb, p),
            lib.cdist(x, x, p),  # zero distances on the diagonal
            lib.cdist(x, y, p, compute_mode="donot_use_mm_for_euclid_dist"),
        ]

    oracle(body, **tol(dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist_mm(dtype):
    a, b = rand_array((30, 3), dtype, 1), rand_array((6, 3), dtype, 2)
    ab = rand_array((2, 4, 3), dtype, 3)

    def body(lib):
        x, y, xb = (to_lib(lib, v, True) for v in (a, b, ab))
        return [
            lib.cdist(x, y),
            lib.cdist(y, x),
            lib.cdist(xb, y, compute_mode="use_mm_for_euclid_dist"),
            lib.cdist(x, y, compute_mode="donot_use_mm_for_euclid_dist"),
        ]

    oracle(
        body, rtol=1e-3 if dtype == "float32" else 1e-9, atol=1e-4 if dtype == "float32" else 1e-9
    )


def test_cdist_errors():
    def op(lib, *shape, dt="float32"):
        return to_lib(lib, rand_array(shape, dt, 0))

    cases = [
        lambda lib: lib.cdist(op(lib, 2, 3), op(lib, 2, 3), compute_mode="xx"),
        lambda lib: lib.cdist(op(lib, 2, 3), op(lib, 2, 3), p=-1),
        lambda lib: lib.cdist(op(lib, 3), op(lib, 3)),
        lambda lib: lib.cdist(op(lib, 2, 3), op(lib, 2, 4)),
        lambda lib: lib.cdist(op(lib, 2, 3), op(lib, 2, 3, dt="float64")),
        lambda lib: lib.cdist(op(lib, 2, 3, dt="int64"), op(lib, 2, 3, dt="int64")),
        lambda lib: lib.cdist(op(lib, 2, 4, 3), op(lib, 3, 2, 3)),
        lambda lib: lib.cdist(op(lib, 0, 3), op(lib, 2, 3)),
        lambda lib: lib.pdist(op(lib, 2, 2, 2)),
        lambda lib: lib.pdist(op(lib, 2, 2), -1),
        lambda lib: lib.pdist(op(lib, 2, 2, dt="int64")),
        lambda lib: lib.pdist(op(lib, 1, 2)),
    ]
    for c in cases:
        oracle(c)


@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 3.0, 0.5, math.inf])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pdist(dtype, p):
    a = rand_array((5, 3), dtype, 1)
    a[3] = a[1]  # a zero distance

    def body(lib):
        x = to_lib(lib, a, True)
        return F(lib).pdist(x, p), lib.pdist(x[:2], p)

    oracle(body, **tol(dtype))


def test_cdist_pdist_gradcheck():
    x, y = t64((3, 2), 1), t64((4, 2), 2)
    for p in (2.0, 1.0, 3.0, 1.5, math.inf):
        assert gradgradcheck(lambda a, b, p=p: tl.cdist(a, b, p), [x, y])
        assert gradgradcheck(lambda a, p=p: tl.pdist(a, p), [x])
    big = t64((27, 2), 3)
    assert gradgradcheck(lambda a, b: tl.cdist(a, b), [big, y])
    assert gradcheck(lambda a, b: tl.cdist(a, b), [t64((2, 3, 2), 4), t64((4, 2), 5)])


# ----------------------------------------------------------------------------- attention


def _math(lib):
    """torch's math backend (its CPU flash kernel differs in the last bits)."""
    if is_torch(lib):
        from torch.nn.attention import SDPBackend, sdpa_kernel

        return sdpa_kernel(SDPBackend.MATH)
    import contextlib

    return contextlib.nullcontext()


SDPA = [
    ((2, 3, 4), (2, 5, 4), (2, 5, 6)),
    ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)),
    ((3, 4), (5, 4), (5, 2)),
    ((1, 2, 2, 3, 4), (1, 2, 2, 3, 4), (1, 2, 2, 3, 4)),
]


@pytest.mark.parametrize("shapes", SDPA, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sdpa(dtype, shapes):
    q, k, v = (rand_array(s, dtype, i + 1) for i, s in enumerate(shapes))
    L, S = shapes[0][-2], shapes[1][-2]
    bmask = rand_array((L, S), "bool", 5)
    bmask[:, 0] = True
    fmask = rand_array((L, S), dtype, 6)

    def body(lib):
        tq, tk, tv = (to_lib(lib, x, True) for x in (q, k, v))
        f = F(lib).scaled_dot_product_attention
        with _math(lib):
            return [
                f(tq, tk, tv),
                f(tq, tk, tv, attn_mask=to_lib(lib, bmask)),
                f(tq, tk, tv, attn_mask=to_lib(lib, fmask, True)),
                f(tq, tk, tv, is_causal=True),
                f(tq, tk, tv, scale=0.3),
                f(tq, tk, tv, scale=-0.5),
            ]

    oracle(body, **tol(dtype))


def test_sdpa_masked_rows_gqa_dropout():
    q = rand_array((1, 4, 3, 4), "float64", 1)
    k, v = rand_array((1, 2, 3, 4), "float64", 2), rand_array((1, 2, 3, 4), "float64", 3)
    mask = np.array([[True, False, True], [False, False, False], [True, True, True]])

    def body(lib):
        tq, tk, tv = (to_lib(lib, x, True) for x in (q, k, v))
        f = F(lib).scaled_dot_product_attention
        with _math(lib):
            out = [
                f(tq, tk, tv, attn_mask=to_lib(lib, mask)),  # an all-masked row: zeros
                f(tq, tk, tv, enable_gqa=True),
                f(tq[:, :, :2], tk, tv, is_causal=True, enable_gqa=True),
            ]
            lib.manual_seed(0)
            out.append(f(tq[:, :2], tk, tv, dropout_p=0.3))
        return out

    oracle(body, **F64)


def test_sdpa_errors():
    def op(lib, *shape, dt="float64"):
        return to_lib(lib, rand_array(shape, dt, 0))

    def f(lib):
        return F(lib).scaled_dot_product_attention

    cases = [
        lambda lib: f(lib)(op(lib, 2, 3, 4), op(lib, 2, 3, 4, dt="float32"), op(lib, 2, 3, 4)),
        lambda lib: f(lib)(
            op(lib, 2, 3, 4),
            op(lib, 2, 3, 4),
            op(lib, 2, 3, 4),
            attn_mask=op(lib, 3, 3, dt="bool"),
            is_causal=True,
        ),
        lambda lib: f(lib)(
            op(lib, 2, 3, 4),
            op(lib, 2, 3, 4),
            op(lib, 2, 3, 4),
            attn_mask=op(lib, 3, 3, dt="int64"),
        ),
        lambda lib: f(lib)(
            op(lib, 1, 3, 3, 4), op(lib, 1, 2, 3, 4), op(lib, 1, 2, 3, 4), enable_gqa=True
        ),
        lambda lib: f(lib)(op(lib, 1, 4, 3, 4), op(lib, 1, 2, 3, 4), op(lib, 1, 2, 3, 4)),
        lambda lib: f(lib)(op(lib, 4), op(lib, 4), op(lib, 4)),
        lambda lib: f(lib)(op(lib, 2, 3, 4), op(lib, 2, 5, 3), op(lib, 2, 5, 6)),
    ]
    for c in cases:
        oracle(c)


def test_sdpa_gradcheck():
    q, k, v = t64((2, 3, 4), 1), t64((2, 5, 4), 2), t64((2, 5, 3), 3)
    m = tl.tensor(rand_array((3, 5), "float64", 4))
    assert gradgradcheck(lambda q, k, v: tl_sdpa(q, k, v), [q, k, v])
    assert gradgradcheck(lambda q, k, v: tl_sdpa(q, k, v, attn_mask=m, is_causal=False), [q, k, v])
    assert gradcheck(lambda q, k, v: tl_sdpa(q, k, v, is_causal=True, scale=0.7), [q, k, v])


# ----------------------------------------------------------------------------- bilinear


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bilinear(dtype):
    x1, x2 = rand_array((3, 2), dtype, 1), rand_array((3, 4), dtype, 2)
    w, b = rand_array((5, 2, 4), dtype, 3), rand_array((5,), dtype, 4)
    y1, y2 = rand_array((6, 3, 2), dtype, 5), rand_array((6, 3, 4), dtype, 6)

    def body(lib):
        a1, a2, tw, tb, b1, b2 = (to_lib(lib, v, True) for v in (x1, x2, w, b, y1, y2))
        f = F(lib).bilinear
        return [
            f(a1, a2, tw, tb),
            f(a1, a2, tw),
            f(b1, b2, tw, tb),
            f(a1[0], a2[0], tw, tb),
            (lib.bilinear if is_torch(lib) else f)(a1, a2, tw, tb),
        ]

    oracle(body, **tol(dtype))


def test_bilinear_errors_gradcheck():
    def op(lib, *shape):
        return to_lib(lib, rand_array(shape, "float32", 0))

    def f(lib):
        return F(lib).bilinear

    cases = [
        lambda lib: f(lib)(op(lib, 3, 2), op(lib, 3, 4), op(lib, 5, 3, 4)),
        lambda lib: f(lib)(op(lib, 3, 2), op(lib, 4, 4), op(lib, 5, 2, 4)),
        lambda lib: f(lib)(op(lib, 3, 2), op(lib, 3, 4), op(lib, 5, 2, 4), op(lib, 4)),
        lambda lib: f(lib)(op(lib, 3, 2), op(lib, 3, 3), op(lib, 5, 2, 4)),
        lambda lib: f(lib)(op(lib, 3, 2), op(lib, 4), op(lib, 5, 2, 4)),
    ]
    for c in cases:
        oracle(c)
    x1, x2, w, b = t64((3, 2), 1), t64((3, 3), 2), t64((2, 2, 3), 3), t64((2,), 4)
    assert gradgradcheck(tl_bilinear, [x1, x2, w, b])
