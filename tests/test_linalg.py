"""torch.linalg against torch: inv, det, slogdet, solve, cholesky, qr, svd, svdvals, eigh,
eigvalsh, pinv, matrix_rank, lstsq and the norms; values (decompositions through quantities
that do not depend on sign choices), gradients, grad_fn names, named-tuple results, torch's
errors; float64 gradchecks and gradgradchecks on well-conditioned inputs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, oracle, rand_array, to_lib

import torchless as tl
import torchless.linalg  # noqa: F401  (torch.linalg)

F32 = dict(rtol=1e-4, atol=1e-5)
F64 = dict(rtol=1e-10, atol=1e-11)
BATCHES = [(), (2,), (2, 1)]


def tol(dtype):
    return F32 if dtype == "float32" else F64


def well(shape, dtype="float64", seed=0):
    """A well-conditioned square matrix (or batch): random plus n * identity."""
    n = shape[-1]
    return (rand_array(shape, dtype, seed, -1, 1) + n * np.eye(n)).astype(dtype)


def spd(shape, dtype="float64", seed=0):
    """A symmetric positive-definite matrix (or batch)."""
    a = rand_array(shape, dtype, seed, -1, 1)
    n = shape[-1]
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def L64(a):
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


# ----------------------------------------------------------------------------- inv, det


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inv_det_slogdet(dtype, batch):
    a = well(batch + (3, 3), dtype, 1)
    neg = a.copy()
    neg[..., [0, 1], :] = neg[..., [1, 0], :]  # negative determinant

    def body(lib):
        x, y = to_lib(lib, a, True), to_lib(lib, neg, True)
        s = lib.linalg.slogdet(y)
        return [
            lib.linalg.inv(x),
            lib.inverse(x),
            x.inverse(),
            lib.linalg.det(x),
            lib.det(y),
            y.det(),
            s,
            lib.slogdet(x),
            x.slogdet(),
            lib.logdet(x),
            lib.logdet(y),
        ]

    oracle(body, **tol(dtype))


def test_det_singular_and_empty():
    s = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])

    def body(lib):
        x = to_lib(lib, s, True)
        return [lib.linalg.det(x), lib.linalg.det(to_lib(lib, np.zeros((2, 0, 0)), True))]

    oracle(body, **F64)

    def cofactors(lib):  # with create_graph, torch's gradient at a singular matrix
        x = to_lib(lib, np.stack([s, np.eye(3) + s]), True)
        (g,) = lib.autograd.grad(lib.linalg.det(x).sum(), x, create_graph=True)
        return g.detach()

    oracle(cofactors, rtol=1e-9, atol=1e-9)
    oracle(lambda lib: lib.linalg.slogdet(to_lib(lib, s)), **F64)
    oracle(lambda lib: lib.linalg.inv(to_lib(lib, np.zeros((0, 0)), True)), **F64)


def test_inv_det_errors():
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    sing3 = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
    batch = np.stack([np.eye(2), sing])
    cases = [
        lambda lib: lib.linalg.inv(to_lib(lib, sing)),
        lambda lib: lib.linalg.inv(to_lib(lib, sing3)),
        lambda lib: lib.linalg.inv(to_lib(lib, np.zeros((2, 2)))),
        lambda lib: lib.linalg.inv(to_lib(lib, batch)),
        lambda lib: lib.inverse(to_lib(lib, sing)),
        lambda lib: lib.linalg.inv(to_lib(lib, np.ones((2, 3)))),
        lambda lib: lib.linalg.inv(to_lib(lib, np.ones((2, 2), np.int64))),
        lambda lib: lib.linalg.inv(to_lib(lib, np.ones(3))),
        lambda lib: lib.linalg.inv(to_lib(lib, np.eye(2, dtype=np.float16))),
        lambda lib: lib.linalg.det(to_lib(lib, np.ones((2, 3)))),
        lambda lib: lib.linalg.det(to_lib(lib, np.ones((2, 2), np.int64))),
        lambda lib: lib.linalg.det(to_lib(lib, np.eye(2, dtype=np.float16))),
        lambda lib: lib.linalg.slogdet(to_lib(lib, np.ones((2, 3)))),
        lambda lib: lib.matrix_power(to_lib(lib, sing), -1),
    ]
    for c in cases:
        oracle(c)
    assert issubclass(tl.linalg.LinAlgError, RuntimeError)
    with pytest.raises(tl.linalg.LinAlgError):
        tl.linalg.inv(tl.tensor(sing))


def test_inv_ex():
    def body(lib):
        x = to_lib(lib, well((2, 3, 3), "float64", 1), True)
        r = lib.linalg.inv_ex(x)
        return r, lib.linalg.inv_ex(to_lib(lib, np.array([[1.0, 2], [2, 4]]))).info

    oracle(body, **F64)


def test_inv_det_gradcheck():
    a = L64(well((2, 3, 3), seed=1))
    assert gradgradcheck(tl.linalg.inv, [a])
    assert gradgradcheck(tl.linalg.det, [a])
    assert gradgradcheck(lambda x: tl.linalg.slogdet(x).logabsdet, [a])
    assert gradcheck(tl.logdet, [a])


# ----------------------------------------------------------------------------- solve


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_solve(dtype):
    a = well((3, 3), dtype, 1)
    ab = well((2, 3, 3), dtype, 2)
    b, bm, bb = (
        rand_array((3,), dtype, 3),
        rand_array((3, 2), dtype, 4),
        rand_array((2, 3), dtype, 5),
    )
    br = rand_array((4, 3), dtype, 6)

    def body(lib):
        A, Ab = to_lib(lib, a, True), to_lib(lib, ab, True)
        B, Bm, Bb, Br = (to_lib(lib, x, True) for x in (b, bm, bb, br))
        return [
            lib.linalg.solve(A, B),
            lib.linalg.solve(A, Bm),
            lib.linalg.solve(Ab, Bb),
            lib.linalg.solve(Ab, Bm),
            lib.linalg.solve(A, Bm.expand(2, 3, 2)),
            lib.linalg.solve(A, Br, left=False),
            lib.linalg.solve(Ab, Br, left=False),
        ]

    oracle(body, **tol(dtype))


def test_solve_errors():
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])

    def t(lib, a):
        return to_lib(lib, np.asarray(a))

    cases = [
        lambda lib: lib.linalg.solve(t(lib, sing), t(lib, np.ones(2))),
        lambda lib: lib.linalg.solve(t(lib, np.stack([np.eye(2), sing])), t(lib, np.ones((2, 2)))),
        lambda lib: lib.linalg.solve(t(lib, np.ones((2, 3))), t(lib, np.ones(2))),
        lambda lib: lib.linalg.solve(t(lib, np.eye(2)), t(lib, np.ones(3))),
        lambda lib: lib.linalg.solve(t(lib, np.eye(2)), t(lib, np.ones((3, 2)))),
        lambda lib: lib.linalg.solve(t(lib, np.eye(3)), t(lib, np.ones(3)), left=False),
        lambda lib: lib.linalg.solve(t(lib, np.eye(3)), t(lib, np.ones((2, 4))), left=False),
        lambda lib: lib.linalg.solve(t(lib, np.eye(2, dtype="f4")), t(lib, np.ones(2))),
        lambda lib: lib.linalg.solve(t(lib, np.ones(3)), t(lib, np.ones(3))),
        lambda lib: lib.linalg.solve(
            t(lib, np.eye(3, dtype=np.int64)), t(lib, np.ones(3, dtype=np.int64))
        ),
    ]
    for c in cases:
        oracle(c)


def test_solve_gradcheck():
    a = L64(well((2, 3, 3), seed=1))
    assert gradgradcheck(tl.linalg.solve, [a, L64(rand_array((2, 3), "float64", 2))])
    assert gradgradcheck(tl.linalg.solve, [a[0], L64(rand_array((3, 2), "float64", 3))])
    assert gradgradcheck(
        lambda a, b: tl.linalg.solve(a, b, left=False), [a, L64(rand_array((4, 3), "float64", 4))]
    )


# ----------------------------------------------------------------------------- cholesky


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cholesky(dtype, batch):
    a = spd(batch + (4, 4), dtype, 1)

    def body(lib):
        x = to_lib(lib, a, True)
        return [
            lib.linalg.cholesky(x),
            lib.linalg.cholesky(x, upper=True),
            lib.linalg.cholesky_ex(x),
        ]

    oracle(body, **tol(dtype))


def test_cholesky_reads_one_triangle():
    a = spd((3, 3), "float64", 2)
    lower, upper = np.tril(a), np.triu(a)

    def body(lib):
        lo, up = to_lib(lib, lower, True), to_lib(lib, upper, True)
        return lib.linalg.cholesky(lo), lib.linalg.cholesky(up, upper=True)

    oracle(body, **F64)


def test_cholesky_legacy():
    a = spd((3, 3), "float64", 3)

    def body(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = to_lib(lib, a, True)
            return lib.cholesky(x), x.cholesky(upper=True)

    oracle(body, **F64)


def test_cholesky_errors():
    npd = np.array([[1.0, 2.0], [2.0, 1.0]])
    cases = [
        lambda lib: lib.linalg.cholesky(to_lib(lib, npd)),
        lambda lib: lib.linalg.cholesky(to_lib(lib, np.stack([np.eye(2), npd]))),
        lambda lib: lib.linalg.cholesky(to_lib(lib, np.zeros((2, 2)))),
        lambda lib: lib.linalg.cholesky(to_lib(lib, np.ones((2, 3)))),
        lambda lib: lib.linalg.cholesky(to_lib(lib, np.ones((2, 2), np.int64))),
        lambda lib: lib.linalg.cholesky(to_lib(lib, np.eye(2, dtype=np.float16))),
        lambda lib: lib.linalg.cholesky_ex(to_lib(lib, npd)).info,
    ]
    for c in cases:
        oracle(c)


def test_cholesky_gradcheck():
    x = L64(rand_array((2, 3, 3), "float64", 1, -1, 1))

    def f(x, upper=False):  # a symmetric positive-definite function of x
        return tl.linalg.cholesky(x @ x.mT + 3 * tl.eye(3, dtype=tl.float64), upper=upper)

    assert gradgradcheck(f, [x])
    assert gradcheck(lambda x: f(x, True), [x])


# ----------------------------------------------------------------------------- qr

QR_SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 3), (2, 3, 4)]


@pytest.mark.parametrize("shape", QR_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_qr(dtype, shape):
    a = rand_array(shape, dtype, 1)

    def body(lib):
        x = to_lib(lib, a, True)
        q, r = lib.linalg.qr(x)
        # Q and R are unique up to the signs of R's diagonal; LAPACK's Householder choice
        # is the same in both
        return q, r, lib.linalg.qr(x, mode="r").R

    oracle(body, **tol(dtype))
    oracle(lambda lib: lib.linalg.qr(to_lib(lib, a), mode="complete"), **tol(dtype))


def test_qr_modes_and_errors():
    a = rand_array((4, 2), "float64", 2)

    def backward(lib, mode):
        q, r = lib.linalg.qr(to_lib(lib, a, True), mode=mode)
        (r.sum() + (q.sum() if q.numel() else 0)).backward()

    oracle(lambda lib: backward(lib, "r"))
    oracle(lambda lib: backward(lib, "complete"))
    oracle(lambda lib: lib.linalg.qr(to_lib(lib, a), mode="x"))
    oracle(lambda lib: lib.linalg.qr(to_lib(lib, np.ones(3))))
    oracle(lambda lib: lib.linalg.qr(to_lib(lib, np.ones((2, 2), np.int64))))

    def legacy(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = to_lib(lib, a, True)
            return lib.qr(x), x.qr(some=False)

    oracle(legacy, **F64)


def test_qr_gradcheck():
    for shape in [(4, 3), (3, 3), (2, 3, 5)]:
        x = L64(rand_array(shape, "float64", 3))
        assert gradgradcheck(lambda x: tuple(tl.linalg.qr(x)), [x])
    x = L64(rand_array((3, 3), "float64", 4))
    assert gradcheck(lambda x: tuple(tl.linalg.qr(x, mode="complete")), [x])


# ----------------------------------------------------------------------------- svd, eigh

SVD_SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 3), (2, 1, 3, 4)]


def _svd_invariants(lib, x, full_matrices=False):
    U, S, Vh = lib.linalg.svd(x, full_matrices=full_matrices)
    k = S.shape[-1]
    Uk, Vk = U[..., :k], Vh[..., :k, :]
    return [S, (Uk * S.unsqueeze(-2)) @ Vk, Uk * Uk, Vk * Vk, Uk @ Vk]


@pytest.mark.parametrize("shape", SVD_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_svd(dtype, shape):
    a = rand_array(shape, dtype, 1)

    def body(lib):
        x = to_lib(lib, a, True)
        return [_svd_invariants(lib, x), lib.linalg.svdvals(x)]

    oracle(body, **tol(dtype))

    def full(lib):
        U, S, Vh = lib.linalg.svd(to_lib(lib, a), full_matrices=True)
        return U.shape, S, Vh.shape

    oracle(full, **tol(dtype))


def test_svd_full_matrices_grad_and_legacy():
    a = rand_array((4, 2), "float64", 2)

    def body(lib):
        x = to_lib(lib, a, True)
        inv = _svd_invariants(lib, x, full_matrices=True)
        U, S, V = lib.svd(x)
        U2, S2, V2 = x.svd(some=False)
        k = S.shape[-1]
        legacy = [S, (U * S) @ V.mT, U2[:, :k] @ V2.mT, lib.svd(x, compute_uv=False)]
        return inv, legacy

    oracle(body, **F64)
    oracle(lambda lib: lib.linalg.svd(to_lib(lib, np.zeros((0, 3)))), **F64)
    oracle(lambda lib: lib.linalg.svd(to_lib(lib, np.ones((2, 2), np.int64))))
    oracle(lambda lib: lib.linalg.svdvals(to_lib(lib, np.ones(3))))


def test_svd_gradcheck():
    for shape in [(4, 3), (3, 3), (3, 4)]:
        x = L64(rand_array(shape, "float64", 5))
        assert gradgradcheck(lambda x: _svd_invariants(tl, x), [x])
        assert gradcheck(lambda x: _svd_invariants(tl, x, full_matrices=True), [x])


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_eigh(dtype, batch):
    a = rand_array(batch + (4, 4), dtype, 1)
    lower = np.tril(a)  # eigh reads one triangle
    upper = np.triu(a)

    def body(lib):
        lo, up = to_lib(lib, lower, True), to_lib(lib, upper, True)
        L, V = lib.linalg.eigh(lo)
        L2, V2 = lib.linalg.eigh(up, UPLO="U")
        return [L, V * V, (V * L.unsqueeze(-2)) @ V.mT, L2, V2 * V2, lib.linalg.eigvalsh(lo)]

    oracle(body, **tol(dtype))


def test_eigh_errors():
    cases = [
        lambda lib: lib.linalg.eigh(to_lib(lib, np.ones((2, 3)))),
        lambda lib: lib.linalg.eigh(to_lib(lib, np.eye(2)), UPLO="X"),
        lambda lib: lib.linalg.eigh(to_lib(lib, np.ones((2, 2), np.int64))),
        lambda lib: lib.linalg.eigh(to_lib(lib, np.eye(2, dtype=np.float16))),
    ]
    for c in cases:
        oracle(c)


def test_eigh_gradcheck():
    x = L64(rand_array((2, 3, 3), "float64", 6))

    def f(x):
        L, V = tl.linalg.eigh(x + x.mT)  # symmetric, so both triangles count
        return L, V * V, V[..., :1] @ V[..., :1].mT

    assert gradgradcheck(f, [x])
    assert gradgradcheck(lambda x: tl.linalg.eigvalsh(x + x.mT), [x])


# ----------------------------------------------------------------------------- pinv, lstsq


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 3)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pinv(dtype, shape):
    a = rand_array(shape, dtype, 1)

    def body(lib):
        x = to_lib(lib, a, True)
        return lib.linalg.pinv(x), lib.pinverse(x), x.pinverse()

    oracle(body, **tol(dtype))


def test_pinv_tolerances_rank():
    d = np.diag([3.0, 1.0, 0.1])
    s = spd((3, 3), "float64", 2)
    low = rand_array((4, 2), "float64", 3) @ rand_array((2, 3), "float64", 4)

    def body(lib):
        D, S, Lo = to_lib(lib, d, True), to_lib(lib, s, True), to_lib(lib, low)
        return [
            lib.linalg.pinv(D, atol=0.5),
            lib.linalg.pinv(D, rtol=0.2),
            lib.linalg.pinv(S, hermitian=True),
            lib.linalg.pinv(Lo),
            lib.linalg.matrix_rank(Lo),
            lib.linalg.matrix_rank(D, atol=0.5),
            lib.linalg.matrix_rank(D, atol=0.05, rtol=0.5),
            lib.linalg.matrix_rank(S, hermitian=True),
            lib.linalg.matrix_rank(to_lib(lib, np.stack([d, np.eye(3)]))),
        ]

    oracle(body, **F64)
    oracle(lambda lib: lib.linalg.pinv(to_lib(lib, np.ones(3))))
    oracle(lambda lib: lib.linalg.pinv(to_lib(lib, np.ones((2, 2), np.int64))))
    oracle(lambda lib: lib.linalg.matrix_rank(to_lib(lib, np.ones(3))))
    oracle(lambda lib: lib.linalg.matrix_rank(to_lib(lib, np.ones((2, 2), np.int64))))


@pytest.mark.parametrize("driver", [None, "gelsy", "gelsd", "gelss", "gels"])
def test_lstsq(driver):
    a, b = rand_array((5, 3), "float64", 1), rand_array((5, 2), "float64", 2)
    ab = rand_array((2, 5, 3), "float64", 3)

    def body(lib):
        A, B, Ab = to_lib(lib, a, True), to_lib(lib, b, True), to_lib(lib, ab, True)
        return [
            lib.linalg.lstsq(A, B, driver=driver),
            lib.linalg.lstsq(A[:3], B[:3], driver=driver),
            lib.linalg.lstsq(A, B[:, 0], driver=driver).solution,
            lib.linalg.lstsq(Ab, B.expand(2, 5, 2), driver=driver).solution,
            lib.linalg.lstsq(Ab, B[:, 0].expand(2, 5), driver=driver).solution,
        ]

    oracle(body, rtol=1e-9, atol=1e-10)


def test_lstsq_errors_and_gradcheck():
    a = rand_array((5, 3), "float64", 1)
    oracle(lambda lib: lib.linalg.lstsq(to_lib(lib, a), to_lib(lib, a[:4])))
    oracle(lambda lib: lib.linalg.lstsq(to_lib(lib, a), to_lib(lib, a), driver="x"))
    oracle(lambda lib: lib.linalg.lstsq(to_lib(lib, np.stack([a, a])), to_lib(lib, a[:, :2])))
    A, B = L64(a), L64(rand_array((5, 2), "float64", 2))
    assert gradgradcheck(lambda a, b: tl.linalg.lstsq(a, b).solution, [A, B])
    assert gradcheck(lambda a, b: tl.linalg.lstsq(a.mT, b[:3]).solution, [A, B])
    assert gradgradcheck(lambda a, b: tuple(tl.linalg.lstsq(a, b, driver="gelsd")[:2]), [A, B])


def test_pinv_gradcheck():
    for shape in [(4, 3), (3, 4)]:
        assert gradgradcheck(tl.linalg.pinv, [L64(rand_array(shape, "float64", 7))])
    s = L64(rand_array((3, 3), "float64", 8))
    assert gradcheck(lambda x: tl.linalg.pinv(x + x.mT, hermitian=True), [s])


# ----------------------------------------------------------------------------- norms

VECTOR_ORDS = [2, 1, 0, 3, 0.5, 1.5, -1, math.inf, -math.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_norm(dtype, ord):
    a = rand_array((2, 3, 4), dtype, 1)
    a[0, 0, 0] = 0.0  # a zero entry

    def body(lib):
        x = to_lib(lib, a, True)
        return [
            lib.linalg.vector_norm(x, ord),
            lib.linalg.vector_norm(x, ord, dim=1),
            lib.linalg.vector_norm(x, ord, dim=(0, 2), keepdim=True),
            lib.linalg.vector_norm(x, ord, dim=[-1]),
            lib.linalg.norm(x[0, 0], ord),
            lib.linalg.norm(x, ord, dim=2, keepdim=True),
        ]

    oracle(body, **tol(dtype))


def test_vector_norm_special():
    def body(lib):
        z = to_lib(lib, np.zeros((2, 3)), True)
        h = to_lib(lib, np.ones(3, np.float16))
        x = to_lib(lib, rand_array((2, 3), "float32", 1), True)
        return [
            lib.linalg.vector_norm(z),  # zero norm: zero gradient
            lib.linalg.vector_norm(z, 3),
            lib.linalg.vector_norm(z, 1.5),
            lib.linalg.vector_norm(h),
            lib.linalg.vector_norm(x, dtype=lib.float64),
            lib.linalg.vector_norm(to_lib(lib, np.array(-2.0), True), 3),
            lib.linalg.vector_norm(to_lib(lib, np.ones(0))),
            lib.linalg.vector_norm(to_lib(lib, np.ones((2, 0))), math.inf, dim=0),
            lib.linalg.norm(to_lib(lib, rand_array((2, 3, 4), "float64", 2), True)),
        ]

    oracle(body, **F32)
    errors = [
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(2, np.int64))),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(2)), dtype=lib.float32),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(2, "f4")), dtype=lib.int64),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(0)), math.inf),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(0)), -math.inf),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(0)), -1),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones((2, 0))), math.inf, dim=1),
        lambda lib: lib.linalg.vector_norm(to_lib(lib, np.ones(3)), "fro"),
    ]
    for c in errors:
        oracle(c)


MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrix_norm(dtype, ord):
    a = rand_array((2, 3, 4), dtype, 1)

    def body(lib):
        x = to_lib(lib, a, True)
        return [
            lib.linalg.matrix_norm(x, ord),
            lib.linalg.matrix_norm(x, ord, keepdim=True),
            lib.linalg.matrix_norm(x, ord, dim=(2, 0)),
            lib.linalg.matrix_norm(x, ord, dim=(0, 2), keepdim=True),
            lib.linalg.norm(x[0], ord),
            lib.linalg.norm(x, ord, dim=(1, 2)),
        ]

    oracle(body, **tol(dtype))


def test_norm_errors():
    a = rand_array((2, 3, 4), "float32", 1)
    cases = [
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, a), 3),
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, a), "abc"),
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, a[0, 0])),
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, a), dim=(0,)),
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, a), dim=(1, 1)),
        lambda lib: lib.linalg.matrix_norm(to_lib(lib, np.ones((2, 2), np.int64))),
        lambda lib: lib.linalg.norm(to_lib(lib, a), dim=(0, 1, 2)),
        lambda lib: lib.linalg.norm(to_lib(lib, a), 2),
        lambda lib: lib.linalg.norm(to_lib(lib, a[0, 0]), "fro"),
        lambda lib: lib.linalg.norm(to_lib(lib, a[0]), "abc"),
    ]
    for c in cases:
        oracle(c)


def test_vecdot():
    x, y = rand_array((2, 3), "float64", 1), rand_array((3,), "float64", 2)
    oracle(lambda lib: lib.linalg.vecdot(to_lib(lib, x, True), to_lib(lib, y, True)), **F64)
    oracle(lambda lib: lib.linalg.vecdot(to_lib(lib, x), to_lib(lib, y.astype("f4"))))


def test_norm_gradcheck():
    x = L64(rand_array((2, 3), "float64", 3))
    for ord in [2, 1, 3, 1.5, 0.5, math.inf, -math.inf, -1]:
        assert gradgradcheck(lambda x, o=ord: tl.linalg.vector_norm(x, o, dim=1), [x])
    assert gradgradcheck(lambda x: tl.linalg.vector_norm(x, 4), [x])
    for ord in ["fro", "nuc", 2, -2, 1, math.inf]:
        assert gradgradcheck(lambda x, o=ord: tl.linalg.matrix_norm(x, o), [x])


# ----------------------------------------------------------------------------- results


def test_return_types():
    def body(lib):
        e = to_lib(lib, np.eye(2))
        return [
            repr(lib.linalg.slogdet(e)),
            repr(lib.slogdet(e)),
            repr(lib.linalg.qr(e)),
            repr(lib.linalg.eigh(e)),
            repr(lib.linalg.svd(e)),
            lib.linalg.eigh(e).n_fields,
            len(lib.linalg.eigh(e)),
            lib.linalg.svd(e).Vh,
            lib.linalg.slogdet(e).logabsdet,
            lib.linalg.lstsq(e, e).rank,
            type(lib.linalg.lstsq(e, e)).__name__,
        ]

    oracle(body)


def test_namespace():
    torch = pytest.importorskip("torch")

    for name in tl.linalg.__all__:
        assert hasattr(torch.linalg, name), name
    with pytest.raises(AttributeError, match=r"torch\.linalg\.eig yet"):
        tl.linalg.eig  # noqa: B018


def test_out():
    a = well((3, 3), "float64", 1)

    def body(lib):
        x = to_lib(lib, a)
        outs = [lib.empty(0, dtype=lib.float64) for _ in range(4)]
        lib.linalg.inv(x, out=outs[0])
        lib.linalg.solve(x, x[0], out=outs[1])
        lib.linalg.vector_norm(x, 3, dim=0, out=outs[2])
        lib.linalg.svdvals(x, out=outs[3])
        return outs

    oracle(body, **F64)
    oracle(lambda lib: lib.linalg.inv(to_lib(lib, a, True), out=lib.empty(0, dtype=lib.float64)))
    oracle(lambda lib: lib.linalg.det(to_lib(lib, a, True), out=lib.empty(0, dtype=lib.float64)))
