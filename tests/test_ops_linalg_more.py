"""More products against torch: vdot, addmv, addbmm, baddbmm, einsum, tensordot, inner,
kron, cross, matrix_power, multi_dot, chain_matmul, block_diag, cartesian_prod; values,
dtypes, gradients, grad_fn names, errors; float64 gradchecks and gradgradchecks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, is_torch, next_fns, oracle, rand_array, to_lib

import torchless as tl
import torchless.linalg  # noqa: F401  (torch.linalg)

F32 = dict(rtol=1e-4, atol=1e-5)
F64 = dict(rtol=1e-10, atol=1e-12)


def tol(dtype):
    return F32 if dtype == "float32" else F64


def t64(shape, seed, grad=True):
    return tl.tensor(rand_array(shape, "float64", seed), requires_grad=grad)


# ----------------------------------------------------------------------------- vdot, add*


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vdot_addmv(dtype):
    v, w = rand_array((4,), dtype, 1), rand_array((4,), dtype, 2)
    m, c = rand_array((3, 4), dtype, 3), rand_array((3,), dtype, 4)

    def body(lib):
        tv, tw, tm, tc = (to_lib(lib, x, True) for x in (v, w, m, c))
        return [
            lib.vdot(tv, tw),
            tv.vdot(tw),
            lib.addmv(tc, tm, tv),
            lib.addmv(tc, tm, tv, beta=0.5, alpha=-2.0),
            tc.addmv(tm, tv, alpha=3),
            lib.addmv(tc[:1], tm, tv),
        ]

    oracle(body, **tol(dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_addbmm_baddbmm(dtype):
    b1, b2 = rand_array((3, 2, 5), dtype, 1), rand_array((3, 5, 4), dtype, 2)
    c2, c3 = rand_array((2, 4), dtype, 3), rand_array((3, 2, 4), dtype, 4)

    def body(lib):
        x, y, i2, i3 = (to_lib(lib, a, True) for a in (b1, b2, c2, c3))
        return [
            lib.addbmm(i2, x, y),
            lib.addbmm(i2, x, y, beta=0.5, alpha=2),
            i2.addbmm(x, y),
            lib.addbmm(i2[0], x, y),
            lib.baddbmm(i3, x, y),
            lib.baddbmm(i3, x, y, beta=-1, alpha=0.25),
            i3.baddbmm(x, y),
            lib.baddbmm(i2, x, y),
            lib.addmm(i2, x[0], y[0], beta=2),
            i2.addmm(x[0], y[0]),
        ]

    oracle(body, **tol(dtype))


def test_add_products_beta_zero_ignores_nan():
    def body(lib):
        nan2 = lib.full((2, 2), float("nan"), dtype=lib.float64)
        x = to_lib(lib, rand_array((1, 2, 5), "float64", 1), True)
        y = to_lib(lib, rand_array((1, 5, 2), "float64", 2), True)
        return [
            lib.baddbmm(nan2.unsqueeze(0), x, y, beta=0),
            lib.addbmm(nan2, x, y, beta=0),
            lib.addmv(nan2[0], x[0], y[0, :, 0], beta=0),
        ]

    oracle(body, **F64)


def test_add_products_errors():
    def f(*shape, dt="float32"):
        return lambda lib: to_lib(lib, rand_array(shape, dt, 0))

    cases = [
        lambda lib: lib.addmv(f(3)(lib), f(2, 3)(lib), f(3)(lib)),
        lambda lib: lib.addmv(f(2)(lib), f(2, 3)(lib), f(2)(lib)),
        lambda lib: lib.addmv(f(2)(lib), f(3)(lib), f(3)(lib)),
        lambda lib: lib.addmv(f(2)(lib), f(2, 3)(lib), f(3, dt="float64")(lib)),
        lambda lib: lib.addbmm(f(2, 4)(lib), f(2, 2, 5)(lib), f(3, 5, 4)(lib)),
        lambda lib: lib.addbmm(f(2, 4)(lib), f(3, 2, 5)(lib), f(3, 4, 4)(lib)),
        lambda lib: lib.addbmm(f(3, 4)(lib), f(3, 2, 5)(lib), f(3, 5, 4)(lib)),
        lambda lib: lib.baddbmm(f(3, 3, 4)(lib), f(3, 2, 5)(lib), f(3, 5, 4)(lib)),
        lambda lib: lib.baddbmm(f(3, 2, 4)(lib), f(3, 2, 5)(lib), f(2, 5, 4)(lib)),
        lambda lib: lib.vdot(f(2, 2)(lib), f(2, 2)(lib)),
        lambda lib: lib.vdot(f(2)(lib), f(3)(lib)),
        lambda lib: lib.vdot(f(2)(lib), f(2, dt="float64")(lib)),
    ]
    for c in cases:
        oracle(c)


def test_add_products_gradcheck():
    i, m, v = t64((3,), 1), t64((3, 4), 2), t64((4,), 3)
    assert gradcheck(lambda i, m, v: tl.addmv(i, m, v, beta=0.5, alpha=2), [i, m, v])
    assert gradgradcheck(lambda i, m, v: tl.addmv(i, m, v, beta=0.5, alpha=2), [i, m, v])
    c, b1, b2 = t64((2, 3), 4), t64((2, 2, 4), 5), t64((2, 4, 3), 6)
    assert gradcheck(lambda c, x, y: tl.addbmm(c, x, y, alpha=1.5), [c, b1, b2])
    assert gradgradcheck(lambda c, x, y: tl.baddbmm(c, x, y, beta=2), [c, b1, b2])
    assert gradgradcheck(lambda a, b: tl.vdot(a, b), [t64((3,), 7), t64((3,), 8)])


# ----------------------------------------------------------------------------- einsum

EINSUM = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ij->ji", [(2, 3)]),
    ("ij->ij", [(2, 3)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("iij->j", [(3, 3, 2)]),
    ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,ij->i", [(2, 3), (2, 3)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("...ij,...jk", [(2, 3, 4), (4, 5)]),
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 4)]),
    ("...ij->...ji", [(4, 2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("i,i,i->", [(3,), (3,), (3,)]),
    ("ii,i->i", [(3, 3), (3,)]),
    ("iji,j->ij", [(3, 2, 3), (2,)]),
    ("ij,k->k", [(2, 3), (4,)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]),
    ("bA,Ab", [(2, 3), (3, 2)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]),
    ("ij,jk->ik", [(2, 0), (0, 4)]),
]


@pytest.mark.parametrize("case", EINSUM, ids=lambda c: c[0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_einsum(dtype, case):
    eq, shapes = case
    arrays = [rand_array(s, dtype, i + 1) for i, s in enumerate(shapes)]

    def body(lib):
        ops = [to_lib(lib, a, True) for a in arrays]
        return lib.einsum(eq, *ops), lib.einsum(eq, ops)

    oracle(body, **tol(dtype))


def test_einsum_sublist_and_int():
    a, b = rand_array((2, 3), "float32", 1), rand_array((3, 4), "float32", 2)
    ia, ib = rand_array((2, 3), "int64", 3), rand_array((3, 4), "int64", 4)

    def body(lib):
        x, y = to_lib(lib, a, True), to_lib(lib, b, True)
        return [
            lib.einsum(x, [0, 1], y, [1, 2], [0, 2]),
            lib.einsum(x, [0, 1], y, [1, 2]),
            lib.einsum(x, [Ellipsis, 1], [1]),
            lib.einsum("ij,jk->ik", to_lib(lib, ia), to_lib(lib, ib)),
        ]

    oracle(body, **F32)


def test_einsum_errors():
    a = rand_array((2, 3), "float32", 1)

    def op(lib, *shape):
        return to_lib(lib, rand_array(shape, "float32", 0))

    cases = [
        lambda lib: lib.einsum("ij,jk->ik", op(lib, 2, 3), op(lib, 4, 5)),
        lambda lib: lib.einsum("ij->ik", op(lib, 2, 3)),
        lambda lib: lib.einsum("ij", op(lib, 2, 3), op(lib, 3, 4)),
        lambda lib: lib.einsum("ij,jk->ik", op(lib, 2, 3)),
        lambda lib: lib.einsum("ijk->ij", op(lib, 2, 3)),
        lambda lib: lib.einsum("ii->i", op(lib, 2, 3)),
        lambda lib: lib.einsum("ij->ii", op(lib, 2, 2)),
        lambda lib: lib.einsum("ij-->i", op(lib, 2, 3)),
        lambda lib: lib.einsum("i.j", op(lib, 2, 3)),
        lambda lib: lib.einsum("ij,jk", op(lib, 2, 3), to_lib(lib, a.T.astype(np.float64))),
        lambda lib: lib.einsum("...ij,...jk->...ik", op(lib, 5, 2, 2, 3), op(lib, 4, 3, 4)),
        lambda lib: lib.einsum("ij"),
        lambda lib: lib.einsum(op(lib, 2, 3), [0, 60]),
    ]
    for c in cases:
        oracle(c)


def test_einsum_gradcheck():
    cases = [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ii->i", [(3, 3)]),
        ("iij->j", [(2, 2, 3)]),
        ("ij,j->", [(2, 3), (3,)]),
        ("ii,i->i", [(3, 3), (3,)]),
        ("ij,k->k", [(2, 3), (4,)]),
        ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),
        ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
        ("ij,jk->ik", [(2, 1), (3, 2)]),
    ]
    for i, (eq, shapes) in enumerate(cases):
        ins = [t64(s, 10 * i + k) for k, s in enumerate(shapes)]
        assert gradcheck(lambda *x, eq=eq: tl.einsum(eq, *x), ins)
        assert gradgradcheck(lambda *x, eq=eq: tl.einsum(eq, *x), ins)


# ----------------------------------------------------------------------------- tensordot...


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tensordot_inner_kron(dtype):
    a, b = rand_array((2, 3, 4), dtype, 1), rand_array((3, 4, 5), dtype, 2)
    c = rand_array((4, 3, 5), dtype, 3)
    m, n = rand_array((2, 3), dtype, 4), rand_array((4, 3), dtype, 5)
    v, w = rand_array((3,), dtype, 6), rand_array((2,), dtype, 7)

    def body(lib):
        ta, tb, tc, tm, tn, tv, tw = (to_lib(lib, x, True) for x in (a, b, c, m, n, v, w))
        outs = [
            lib.tensordot(ta, tb),
            lib.tensordot(ta, tb, 2),
            lib.tensordot(tm, tv, 1),
            lib.tensordot(tm, tw, 0),
            lib.tensordot(ta, tc, dims=([1, 2], [1, 0])),
            lib.tensordot(ta, tc, dims=([2], [0])),
            lib.tensordot(ta, tc, dims=lib.tensor([[1, 2], [1, 0]])),
            lib.inner(tm, tn),
            lib.inner(tv, tv),
            lib.inner(ta[..., :3], tv),
            tm.inner(tn),
            lib.inner(tv[0], tm),
            lib.kron(tm, tn),
            lib.kron(tw, tm),
            lib.kron(ta, tm),
            lib.kron(tv, tw),
            tm.kron(tv),
        ]
        return outs

    oracle(body, **tol(dtype))


def test_tensordot_inner_kron_errors():
    def op(lib, *shape, dt="float32"):
        return to_lib(lib, rand_array(shape, dt, 0))

    cases = [
        lambda lib: lib.tensordot(op(lib, 2, 3), op(lib, 2, 2), ([1], [0])),
        lambda lib: lib.tensordot(op(lib, 2, 3), op(lib, 3, 2), -1),
        lambda lib: lib.tensordot(op(lib, 2, 3), op(lib, 3), 3),
        lambda lib: lib.tensordot(op(lib, 2, 3), op(lib, 3, dt="float64"), 1),
        lambda lib: lib.inner(op(lib, 2), op(lib, 3)),
        lambda lib: lib.inner(op(lib, 3), op(lib, 3, dt="float64")),
    ]
    for c in cases:
        oracle(c)


def test_tensordot_kron_gradcheck():
    a, b = t64((2, 3, 2), 1), t64((3, 2, 2), 2)
    assert gradgradcheck(lambda a, b: tl.tensordot(a, b), [a, b])
    assert gradgradcheck(lambda a, b: tl.tensordot(a, b, dims=([0, 1], [1, 0])), [a, b])
    assert gradgradcheck(lambda a, b: tl.kron(a, b), [t64((2, 2), 3), t64((2, 3), 4)])
    assert gradgradcheck(lambda a, b: tl.inner(a, b), [t64((2, 3), 5), t64((4, 3), 6)])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross(dtype):
    a, b = rand_array((4, 3), dtype, 1), rand_array((4, 3), dtype, 2)
    c, d = rand_array((3, 5), dtype, 3), rand_array((1, 3), dtype, 4)
    e = rand_array((3, 5), dtype, 5)

    def body(lib):
        ta, tb, tc, td, te = (to_lib(lib, x, True) for x in (a, b, c, d, e))
        return [
            lib.cross(ta, tb, dim=1),
            lib.cross(ta, tb, dim=-1),
            ta.cross(tb, dim=1),
            lib.cross(tc, te, dim=0),
            lib.cross(td, ta, dim=1),
            lib.linalg.cross(ta, tb),
            lib.linalg.cross(td, tb),
            lib.linalg.cross(tc, te, dim=0),
        ]

    oracle(body, **tol(dtype))


def test_cross_default_dim_warns():
    a, b = rand_array((3, 2), "float64", 1), rand_array((3, 2), "float64", 2)

    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = lib.cross(to_lib(lib, a, True), to_lib(lib, b, True))
        return r, [str(x.message).split(" (Triggered")[0] for x in w]

    oracle(body, **F64)


def test_cross_errors():
    def op(lib, *shape, dt="float32"):
        return to_lib(lib, rand_array(shape, dt, 0))

    cases = [
        lambda lib: lib.linalg.cross(op(lib, 2, 2), op(lib, 2, 2)),
        lambda lib: lib.linalg.cross(op(lib, 2, 3), op(lib, 3, 3)),
        lambda lib: lib.linalg.cross(op(lib, 3), op(lib, 4, 3)),
        lambda lib: lib.linalg.cross(op(lib, 4, 3), op(lib, 4, 3, dt="float64")),
        lambda lib: lib.linalg.cross(op(lib, 4, 3), op(lib, 4, 3), dim=2),
        lambda lib: lib.cross(op(lib, 2, 2), op(lib, 2, 2), dim=1),
    ]
    for c in cases:
        oracle(c)
    oracle(
        lambda lib: lib.linalg.cross(
            to_lib(lib, np.ones((2, 3), np.int64)), to_lib(lib, np.arange(6).reshape(2, 3))
        )
    )


def test_cross_gradcheck():
    a, b = t64((2, 3), 1), t64((2, 3), 2)
    assert gradgradcheck(lambda a, b: tl.linalg.cross(a, b), [a, b])
    assert gradcheck(lambda a, b: tl.cross(a, b, dim=1), [a, t64((1, 3), 3)])


# ----------------------------------------------------------------------------- matrix_power


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, -1, -2, -3])
@pytest.mark.parametrize("batch", [(), (2,)], ids=["2d", "3d"])
def test_matrix_power(n, batch):
    a = rand_array(batch + (3, 3), "float64", 1, low=-1, high=1) + 2 * np.eye(3)

    def body(lib):
        x = to_lib(lib, a, True)
        r = lib.matrix_power(x, n)
        return r, x.matrix_power(n), lib.linalg.matrix_power(x, n)

    oracle(body, rtol=1e-9, atol=1e-10)


def test_matrix_power_int_and_errors():
    m = np.arange(9).reshape(3, 3) % 4
    oracle(lambda lib: [lib.matrix_power(to_lib(lib, m), k) for k in (0, 1, 2, 5)])
    oracle(lambda lib: lib.matrix_power(to_lib(lib, m), -1))
    oracle(lambda lib: lib.matrix_power(to_lib(lib, rand_array((2, 3))), 2))
    oracle(lambda lib: lib.matrix_power(to_lib(lib, rand_array((3,))), 2))
    oracle(lambda lib: lib.matrix_power(to_lib(lib, np.array([[1.0, 2], [2, 4]])), -1))


def test_matrix_power_gradcheck():
    a = tl.tensor(rand_array((3, 3), "float64", 1, -1, 1) + 2 * np.eye(3), requires_grad=True)
    for n in (0, 2, 5, -2):
        assert gradgradcheck(lambda a, n=n: tl.matrix_power(a, n), [a])


# ----------------------------------------------------------------------------- multi_dot...

MULTI = [
    [(2, 3), (3, 4)],
    [(2, 3), (3, 4), (4, 2)],
    [(5, 1), (1, 4), (4, 6)],
    [(2, 3), (3, 4), (4, 2), (2, 5)],
    [(3,), (3, 4), (4,)],
    [(3,), (3, 4)],
    [(3,), (3, 4), (4, 2)],
    [(6, 2), (2, 5), (5, 1), (1, 3), (3, 4)],
]


@pytest.mark.parametrize("shapes", MULTI, ids=str)
def test_multi_dot(shapes):
    arrays = [rand_array(s, "float64", i + 1) for i, s in enumerate(shapes)]

    def body(lib):
        return lib.linalg.multi_dot([to_lib(lib, a, True) for a in arrays])

    oracle(body, **F64)


def test_multi_dot_chain_matmul_errors():
    def op(lib, *shape, dt="float32"):
        return to_lib(lib, rand_array(shape, dt, 0))

    cases = [
        lambda lib: lib.linalg.multi_dot([op(lib, 2, 3)]),
        lambda lib: lib.linalg.multi_dot([op(lib, 2, 3), op(lib, 2, 3, 3)]),
        lambda lib: lib.linalg.multi_dot([op(lib, 2, 3, 3), op(lib, 3, 4)]),
        lambda lib: lib.linalg.multi_dot([op(lib, 2, 3), op(lib, 2, 3)]),
        lambda lib: lib.linalg.multi_dot([op(lib, 3, 3), op(lib, 3), op(lib, 3, 4)]),
        lambda lib: lib.linalg.multi_dot([op(lib, 2, 3), op(lib, 3, 2, dt="float64")]),
    ]
    for c in cases:
        oracle(c)


def test_chain_matmul():
    arrays = [rand_array(s, "float64", i) for i, s in enumerate([(2, 3), (3, 4), (4, 2)])]

    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            ts = [to_lib(lib, a, True) for a in arrays]
            r = [lib.chain_matmul(*ts), lib.chain_matmul(ts[0])]
        return r, len(w) > 0

    oracle(body, **F64)
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        oracle(lambda lib: lib.chain_matmul(to_lib(lib, np.ones(3))))


def test_block_diag_cartesian_prod():
    def body(lib):
        a = to_lib(lib, rand_array((2, 2), "float64", 1), True)
        b = to_lib(lib, rand_array((3,), "float32", 2), True)
        c = to_lib(lib, np.array(2.5), True)
        d = to_lib(lib, np.arange(2))
        e = to_lib(lib, rand_array((1, 0), "float64", 3), True)
        return [
            lib.block_diag(a, b, c, d, e),
            lib.block_diag(b, b),
            lib.cartesian_prod(b, b[:2]),
            lib.cartesian_prod(d, d, d),
            lib.cartesian_prod(b.double(), a[0]),
            next_fns(lib.block_diag(a, d)),
        ]

    oracle(body, **F32)
    oracle(lambda lib: lib.block_diag(to_lib(lib, np.ones((2, 2, 2)))))
    oracle(lambda lib: lib.cartesian_prod(to_lib(lib, np.ones((2, 2)))))
    oracle(lambda lib: lib.block_diag())
    oracle(lambda lib: lib.cartesian_prod(to_lib(lib, np.ones(2)), to_lib(lib, np.ones(2, "f4"))))


def test_block_diag_cartesian_gradcheck():
    assert gradgradcheck(lambda a, b: tl.block_diag(a, b), [t64((2, 3), 1), t64((2,), 2)])
    assert gradgradcheck(lambda a, b: tl.cartesian_prod(a, b), [t64((2,), 3), t64((3,), 4)])
    assert gradgradcheck(lambda *m: tl.linalg.multi_dot(m), [t64((2,), 5), t64((2, 3), 6)])


def test_method_and_names():
    """Tensor methods exist where torch has them, and top-level names point to ops."""
    torch = pytest.importorskip("torch")

    for name in ("vdot", "addmv", "addbmm", "baddbmm", "kron", "inner", "matrix_power", "ger"):
        assert hasattr(torch.Tensor, name) and hasattr(tl.Tensor, name), name
    for name in ("einsum", "tensordot", "block_diag", "cartesian_prod", "chain_matmul"):
        assert hasattr(torch, name) and hasattr(tl, name), name
    assert not is_torch(tl)
