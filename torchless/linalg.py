"""``torch.linalg``: decompositions, solvers and norms, with torch's gradients.

Each decomposition runs NumPy's LAPACK routine forward and records one node named as torch
names it (``LinalgSvdBackward0``...). The backward formulas are torch's (``FunctionsManual``),
written with Tensor operations, and a node that needs its own outputs (the inverse, the
factors of a decomposition) takes them re-linked to itself, so gradients of gradients work.
Products (``multi_dot``, ``cross``, ``matrix_power``) and ``vector_norm`` live with the other
products in ``torchless._ops.linalg``; they are re-exported here under torch's names.

Decompositions are unique only up to signs (the columns of ``U`` and ``V`` of an SVD, the
eigenvectors of ``eigh``); torchless gives what NumPy's LAPACK gives, which usually matches
torch's choice but is not promised to.
"""

from __future__ import annotations

import math
import warnings
from collections import namedtuple

import numpy as np

from ._missing import missing_attribute_getattr
from ._ops.linalg import _square, linalg_cross, matmul, matrix_power, multi_dot, vector_norm
from ._ops.pointwise import where
from ._ops.reduction import amax, amin
from ._ops.shape import cat
from ._tensor import Tensor, _make, _record, _state
from .autograd.graph import Node

__all__ = [
    "LinAlgError",
    "inv",
    "inv_ex",
    "det",
    "slogdet",
    "solve",
    "cholesky",
    "cholesky_ex",
    "qr",
    "svd",
    "svdvals",
    "eigh",
    "eigvalsh",
    "pinv",
    "matrix_rank",
    "lstsq",
    "norm",
    "vector_norm",
    "matrix_norm",
    "multi_dot",
    "cross",
    "matrix_power",
    "matmul",
    "vecdot",
]

cross = linalg_cross


class _LinAlgError(RuntimeError):
    """A matrix that cannot be factorised (singular, not positive-definite); torch's
    ``torch.linalg.LinAlgError`` (``torch._C._LinAlgError``), a ``RuntimeError``."""


LinAlgError = _LinAlgError


# ----------------------------------------------------------------------------
# helpers

_RT: dict = {}


def _return_type(name: str, fields: tuple):
    """A named tuple class that prints as ``torch.return_types.<name>``."""
    cls = _RT.get(name)
    if cls is None:
        base = namedtuple(name, fields)

        def __repr__(self):  # noqa: N807
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
            return f"torch.return_types.{name}(\n{body})"

        attrs = {
            "__repr__": __repr__,
            "__slots__": (),
            "n_fields": len(fields),
            "n_sequence_fields": len(fields),
            "n_unnamed_fields": 0,
        }
        cls = _RT[name] = type(name, (base,), attrs)
    return cls


def _short(dt) -> str:
    return dt._legacy[:-6]


def _check(A, fn, square=True, half=None):
    """torch's checks of a matrix argument: at least 2-D, square, floating; ``half`` is
    the kernel name torch reports for float16 (None: "Low precision dtypes")."""
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if square:
        _square(A, fn)
    if not A.dtype.is_floating_point:
        raise RuntimeError(
            f"{fn}: Expected a floating point or complex tensor as input. Got {_short(A.dtype)}"
        )
    if A.dtype.itemsize == 2:
        if half is None:
            raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got Half")
        raise NotImplementedError(f"\"{half}\" not implemented for 'Half'")


def _batch_prefix(A, index) -> str:
    return f"(Batch element {index}): " if A.ndim > 2 else ""


def _lu_zero_pivot(a) -> int | None:
    """The 1-based index of the first zero pivot of LU with partial pivoting (LAPACK's
    getrf ``info``), or None."""
    a = np.array(a, dtype=np.float64)
    n = a.shape[0]
    first = None
    for j in range(n):
        p = j + int(np.argmax(np.abs(a[j:, j])))
        if a[p, j] == 0:
            first = j + 1 if first is None else first
            continue
        a[[j, p]] = a[[p, j]]
        a[j + 1 :, j] /= a[j, j]
        a[j + 1 :, j + 1 :] -= np.outer(a[j + 1 :, j], a[j, j + 1 :])
    return first


def _singular_error(A, a, fn, template):
    """torch's error for the first singular matrix in a batch (or a generic one)."""
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, m in enumerate(flat):
        k = _lu_zero_pivot(m)
        if k is not None:
            return _LinAlgError(f"{fn}: {_batch_prefix(A, i)}" + template.format(k=k))
    return _LinAlgError(f"{fn}: " + template.format(k=a.shape[-1]))


def _eye(n, like):
    return _make(np.eye(n, dtype=like._data.dtype))


def _tril(X, k=0):
    """The lower triangle of (a batch of) matrices, as a differentiable product."""
    mask = np.tril(np.ones(X.shape[-2:], dtype=X._data.dtype), k)
    return X * _make(mask)


def _triu(X, k=0):
    mask = np.triu(np.ones(X.shape[-2:], dtype=X._data.dtype), k)
    return X * _make(mask)


def _diag_embed(v):
    return v.unsqueeze(-1) * _eye(v.shape[-1], v)


def _solve_right(A, B):
    """``B @ A^{-1}`` (differentiable)."""
    return solve(A, B, left=False)


class _OutputsNode(Node):
    """A node whose backward uses its own outputs: they are kept as plain aliases (no
    reference cycle) and, when the backward builds a graph, re-linked to this node."""

    __slots__ = ("_nin",)

    def keep(self, inputs, outputs) -> None:
        outs = []
        for o in outputs:
            if o._vc is None:
                o._vc = [0]
            outs.append(Tensor._alias(o))
        self._nin = len(inputs)
        self.save(*inputs, *outs)

    def unpack(self):
        saved = self.saved()
        ins, outs = saved[: self._nin], saved[self._nin :]
        if _state.enabled:
            relinked = []
            for i, o in enumerate(outs):
                a = Tensor._alias(o, grad_fn=self)
                a._out_nr = i
                relinked.append(a)
            outs = tuple(relinked)
        return ins, outs


def _outputs(node, outs, *inputs):
    """Record ``outs`` as outputs 0, 1... of ``node``."""
    for i, o in enumerate(outs):
        _record(node, o, *inputs)
        o._out_nr = i


def _needs(*ts) -> bool:
    return _state.enabled and any(t._requires_grad for t in ts)


# ----------------------------------------------------------------------------
# inv, det, slogdet


class LinalgInvExBackward0(_OutputsNode):
    """d A^{-1}: ``-A^{-T} g A^{-T}``."""

    __slots__ = ()

    def apply(self, g):
        _, (ainv,) = self.unpack()
        ainv_t = ainv.mT
        return (-matmul(ainv_t, matmul(g, ainv_t)),)


_INV_MSG = (
    "The diagonal element {k} is zero, the inversion could not be completed because the input "
    "matrix is singular."
)


def _inv_array(A, fn="linalg.inv"):
    a = A._data
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        raise _singular_error(A, a, fn, _INV_MSG) from None


def _inv(A):
    res = _make(np.asarray(_inv_array(A), dtype=A._data.dtype))
    if _needs(A):
        node = LinalgInvExBackward0()
        node.keep((), (res,))
        _record(node, res, A)
    return res


def inv(A, *, out=None):
    """The inverse of a square matrix (or of each in a batch).

    Raises ``torch.linalg.LinAlgError`` for a singular matrix, naming the zero pivot of its
    LU factorisation as torch does.
    """
    _check(A, "linalg.inv")
    return _out(_inv(A), out, "linalg_inv_ex")


def inv_ex(A, *, check_errors=False, out=None):
    """``(inverse, info)``: ``info`` is 0, or the 1-based zero pivot of a singular matrix."""
    _check(A, "linalg.inv_ex")
    a = A._data
    flat = a.reshape((-1,) + a.shape[-2:])
    info = np.array([_lu_zero_pivot(m) or 0 for m in flat], dtype=np.int32)
    info = info.reshape(a.shape[:-2])
    if check_errors and info.any():
        raise _singular_error(A, a, "linalg.inv_ex", _INV_MSG)
    if info.any():
        with np.errstate(all="ignore"):
            r = np.linalg.pinv(a) * np.inf
    else:
        r = np.linalg.inv(a)
    res = _make(np.asarray(r, dtype=a.dtype))
    if _needs(A):
        node = LinalgInvExBackward0()
        node.keep((), (res,))
        _record(node, res, A)
    return _return_type("linalg_inv_ex", ("inverse", "info"))(res, _make(info))


class LinalgDetBackward0(_OutputsNode):
    """d det(A): ``g * det(A) * A^{-T}``. For an exactly singular matrix torch gives zero,
    unless the gradient is built with ``create_graph``: then the cofactor matrix, from an
    SVD (whose own gradient torchless does not record)."""

    __slots__ = ()

    def apply(self, g):
        (A,), (d,) = self.unpack()
        if A.numel() == 0:
            return (A * 0,)
        singular = d._data == 0
        if not singular.any():
            return ((g * d).unsqueeze(-1).unsqueeze(-1) * _inv(A).mT,)
        a = A._data
        if not _state.enabled:
            # torch solves with the LU factors here: an exactly singular matrix gets a zero
            # gradient (the cofactors come only when the gradient is itself differentiated)
            safe = np.where(singular[..., None, None], np.eye(a.shape[-1], dtype=a.dtype), a)
            r = (g._data * d._data)[..., None, None] * np.swapaxes(np.linalg.inv(safe), -1, -2)
            return (_make(np.asarray(r, dtype=a.dtype)),)
        u, s, vh = np.linalg.svd(a)
        alpha = np.linalg.det(u) * np.linalg.det(vh)
        n = s.shape[-1]
        others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
        cof = np.matmul(u * (alpha[..., None] * others)[..., None, :], vh)
        return (g.unsqueeze(-1).unsqueeze(-1) * _make(np.asarray(cof, dtype=a.dtype)),)


def det(A, *, out=None):
    """The determinant of a square matrix (or of each in a batch)."""
    _check(A, "linalg.det", half="lu_cpu")
    a = A._data
    res = _make(np.asarray(np.linalg.det(a), dtype=a.dtype))
    if _needs(A):
        node = LinalgDetBackward0()
        node.keep((A,), (res,))
        _record(node, res, A)
    return _out(res, out, "_linalg_det")


class LinalgSlogdetBackward0(_OutputsNode):
    """d log|det A|: ``g * A^{-T}`` (the sign has no gradient)."""

    __slots__ = ()
    _nout = 2

    def apply(self, gs):
        (A,), _ = self.unpack()
        g = gs[1]
        if g is None:
            return (None,)
        return (g.unsqueeze(-1).unsqueeze(-1) * _inv(A).mT,)


def slogdet(A, *, out=None, _name="linalg_slogdet"):
    """``(sign, logabsdet)``: the sign of the determinant and the log of its absolute value
    (``torch.return_types.linalg_slogdet``)."""
    _check(A, "linalg.slogdet")
    a = A._data
    sign, logabs = np.linalg.slogdet(a)
    s = _make(np.asarray(sign, dtype=a.dtype))
    la = _make(np.asarray(logabs, dtype=a.dtype))
    if _needs(A):
        node = LinalgSlogdetBackward0()
        node.keep((A,), ())
        _outputs(node, (s, la), A)
    return _return_type(_name, ("sign", "logabsdet"))(s, la)


def logdet(A):
    """``log(det(A))``: nan where the determinant is negative."""
    _check(A, "logdet")
    sign, logabs = slogdet(A)
    return where(sign == -1.0, math.nan, logabs)


# ----------------------------------------------------------------------------
# solve


class LinalgSolveExBackward0(_OutputsNode):
    """d A^{-1}B: ``gB = A^{-T} g``, ``gA = -gB X^T`` (``X A = B``: ``gB = g A^{-T}``,
    ``gA = -X^T gB``)."""

    __slots__ = ("left", "vector")

    def apply(self, g):
        (A,), (X,) = self.unpack()
        nf = self.next_functions
        if self.vector:
            g, X = g.unsqueeze(-1), X.unsqueeze(-1)
        gB = solve(A.mT, g, left=self.left)
        gA = None
        if nf[0][0] is not None:
            gA = -matmul(gB, X.mT) if self.left else -matmul(X.mT, gB)
        if self.vector:
            gB = gB.squeeze(-1)
        return gA, (gB if nf[1][0] is not None else None)


def _is_vector_rhs(A, B) -> bool:
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, *, left=True, out=None):
    """The solution ``X`` of ``A X = B`` (``X A = B`` when not ``left``), batched and
    broadcast; ``B`` may be a vector (or a batch of vectors)."""
    _check(A, "linalg.solve", half="lu_cpu")
    if A.dtype is not B.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{_short(A.dtype)} and B of type {_short(B.dtype)} instead"
        )
    vector = _is_vector_rhs(A, B)
    a, b = A._data, B._data
    bm = b[..., None] if vector else b
    n = a.shape[-1]
    if (bm.shape[-2] if left else bm.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {eq} "
            f"({a.shape[-2]}x{n} and {bm.shape[-2]}x{bm.shape[-1]})"
        )
    try:
        batch = np.broadcast_shapes(a.shape[:-2], bm.shape[:-2])
    except ValueError:
        from ._ops._common import broadcast_error

        raise broadcast_error(a.shape[:-2], bm.shape[:-2]) from None
    ab = np.broadcast_to(a, batch + a.shape[-2:])
    bb = np.broadcast_to(bm, batch + bm.shape[-2:])
    try:
        if left:
            x = np.linalg.solve(ab, bb)
        else:
            x = np.swapaxes(
                np.linalg.solve(np.swapaxes(ab, -1, -2), np.swapaxes(bb, -1, -2)), -1, -2
            )
    except np.linalg.LinAlgError:
        err = _singular_error(
            A, ab, "torch.linalg.solve", "The solver failed because the input matrix is singular."
        )
        raise err from None
    if vector:
        x = x[..., 0]
    res = _make(np.asarray(x, dtype=a.dtype))
    if _needs(A, B):
        node = LinalgSolveExBackward0()
        node.left, node.vector = left, vector
        node.keep((A,), (res,))
        _record(node, res, A, B)
    return _out(res, out, "_linalg_solve_ex")


# ----------------------------------------------------------------------------
# cholesky

_CHOL_MSG = (
    "The factorization could not be completed because the input is not positive-definite "
    "(the leading minor of order {k} is not positive-definite)."
)


class LinalgCholeskyExBackward0(_OutputsNode):
    """Murray's formula: ``gA = L^{-T} Phi(L^T gL) L^{-1}``, ``Phi`` the lower triangle with
    its diagonal halved, symmetrised."""

    __slots__ = ("upper",)

    def apply(self, g):
        _, (L,) = self.unpack()
        if self.upper:
            L, g = L.mT, g.mT
        P = _tril(matmul(L.mT, g))
        P = (P + _tril(P, -1).mT) * 0.5
        gA = solve(L.mT, P)
        return (_solve_right(L, gA),)


def _cholesky_error(A, a, fn):
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, m in enumerate(flat):
        try:
            np.linalg.cholesky(m)
            continue
        except np.linalg.LinAlgError:
            pass
        k = m.shape[-1]
        for j in range(1, m.shape[-1] + 1):
            try:
                np.linalg.cholesky(m[:j, :j])
            except np.linalg.LinAlgError:
                k = j
                break
        return _LinAlgError(f"{fn}: {_batch_prefix(A, i)}" + _CHOL_MSG.format(k=k))
    return _LinAlgError(f"{fn}: " + _CHOL_MSG.format(k=a.shape[-1]))


def _cholesky(A, upper, fn, name):
    a = A._data
    src = np.swapaxes(a, -1, -2) if upper else a  # the triangle torch reads
    try:
        low = np.linalg.cholesky(src)
    except np.linalg.LinAlgError:
        raise _cholesky_error(A, src, fn) from None
    r = np.swapaxes(low, -1, -2) if upper else low
    res = _make(np.ascontiguousarray(r, dtype=a.dtype))
    if _needs(A):
        node = LinalgCholeskyExBackward0()
        node.upper, node._name = upper, name
        node.keep((), (res,))
        _record(node, res, A)
    return res


def cholesky(A, *, upper=False, out=None):
    """The Cholesky factor ``L`` (lower; ``upper``: ``L^T``) of a symmetric
    positive-definite matrix, read from its lower (``upper``: upper) triangle."""
    _check(A, "linalg.cholesky", half="cholesky_cpu")
    res = _cholesky(A, upper, "linalg.cholesky", "LinalgCholeskyExBackward0")
    return _out(res, out, "linalg_cholesky_ex")


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """``(L, info)``: ``info`` is 0, or the order of the first leading minor that is not
    positive-definite (``L`` is then not meaningful)."""
    _check(A, "linalg.cholesky_ex", half="cholesky_cpu")
    a = A._data
    flat = a.reshape((-1,) + a.shape[-2:])
    infos = []
    for m in flat:
        try:
            np.linalg.cholesky(m)
            infos.append(0)
        except np.linalg.LinAlgError:
            k = m.shape[-1]
            for j in range(1, m.shape[-1] + 1):
                try:
                    np.linalg.cholesky(m[:j, :j])
                except np.linalg.LinAlgError:
                    k = j
                    break
            infos.append(k)
    info = np.array(infos, dtype=np.int32).reshape(a.shape[:-2])
    if info.any():
        if check_errors:
            raise _cholesky_error(A, a, "linalg.cholesky_ex")
        res = _make(np.full(a.shape, np.nan, dtype=a.dtype))
    else:
        res = _cholesky(A, upper, "linalg.cholesky_ex", "LinalgCholeskyExBackward0")
    return _return_type("linalg_cholesky_ex", ("L", "info"))(res, _make(info))


def cholesky_legacy(A, upper=False):
    """``torch.cholesky`` (deprecated in torch, with its warning)."""
    _warn_once(
        "cholesky",
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in "
        "a future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\n"
        "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\n"
        "should be replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce "
        "equivalent results for all valid (symmetric positive definite) inputs.",
    )
    _check(A, "cholesky", half="cholesky_cpu")
    return _cholesky(A, upper, "cholesky", "CholeskyBackward0")


def _warn_once(key, msg):
    from ._tensor import _WARNED

    if not _WARNED.get(key):
        _WARNED[key] = True
        warnings.warn(msg, UserWarning, stacklevel=4)


# ----------------------------------------------------------------------------
# qr


class LinalgQrBackward0(_OutputsNode):
    """torch's ``linalg_qr_backward``: for ``m >= n``
    ``gA = [gQ + Q copyltu(M)] R^{-T}``, ``M = R gR^T - gQ^T Q``; a wide matrix is split
    into its leading square part and the rest."""

    __slots__ = ("mode",)
    _nout = 2

    def apply(self, gs):
        _, (Q, R) = self.unpack()
        gQ, gR = gs
        if self.mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                "through linalg.qr."
            )
        m, n = Q.shape[-2], R.shape[-1]
        if self.mode == "complete" and m > n:
            raise RuntimeError(
                "The QR decomposition is not differentiable when mode='complete' and "
                "nrows > ncols."
            )
        if m >= n:
            return (_qr_backward_tall(gQ, gR, Q, R),)
        R1, R2 = R.narrow(-1, 0, m), R.narrow(-1, m, n - m)
        gR1 = gR2 = None
        if gR is not None:
            gR1, gR2 = gR.narrow(-1, 0, m), gR.narrow(-1, m, n - m)
        if gR2 is not None:
            t = matmul(matmul(Q, R2), gR2.mT)  # Y gR2^T, Y = Q R2
            gQ = t if gQ is None else gQ + t
        gX = _qr_backward_tall(gQ, gR1, Q, R1)
        gY = matmul(Q, gR2) if gR2 is not None else R2 * 0
        return (cat([gX, gY], -1),)


def _qr_backward_tall(gQ, gR, Q, R):
    M = None
    if gR is not None:
        M = matmul(gR, R.mT)
    if gQ is not None:
        t = matmul(Q.mT, gQ)
        M = -t if M is None else M - t
    M = _triu(M)
    M = M + M.mT - _diag_embed((M * _eye(M.shape[-1], M)).sum(-1))
    gA = matmul(Q, M)
    if gQ is not None:
        gA = gA + gQ
    return _solve_right(R.mT, gA)


def qr(A, mode="reduced", *, out=None, _name="linalg_qr"):
    """``(Q, R)`` with ``A = Q R``, ``Q`` orthonormal columns, ``R`` upper triangular;
    ``mode`` 'reduced', 'complete' or 'r' (``R`` only, ``Q`` empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    if _name == "qr":
        _warn_once(
            "qr",
            "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
            "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string "
            "parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\n"
            "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
        )
    _check(A, "linalg.qr", square=False, half="geqrf_cpu")
    a = A._data
    m, n = a.shape[-2:]
    k = min(m, n)
    if a.size == 0:
        batch = a.shape[:-2]
        qc = m if mode == "complete" else k
        q = np.broadcast_to(np.eye(m, qc, dtype=a.dtype), batch + (m, qc)).copy()
        r = np.zeros(batch + (qc if mode != "r" else k, n), dtype=a.dtype)
    elif mode == "r":
        q, r = None, np.linalg.qr(a, mode="r")
    else:
        q, r = np.linalg.qr(a, mode=mode)
    if mode == "r":
        q = np.zeros((0,), dtype=a.dtype)
    Qt = _make(np.ascontiguousarray(q, dtype=a.dtype))
    Rt = _make(np.ascontiguousarray(r, dtype=a.dtype))
    if _needs(A):
        node = LinalgQrBackward0()
        node.mode = mode
        node.keep((), (Qt, Rt))
        _outputs(node, (Qt, Rt), A)
    return _return_type(_name, ("Q", "R"))(Qt, Rt)


# ----------------------------------------------------------------------------
# svd, svdvals


class LinalgSvdBackward0(_OutputsNode):
    """torch's ``svd_backward`` (distinct singular values assumed):
    ``gA = U [(skew(U^T gU) / E) S + S (skew(V^T gV) / E) + diag(gS)] V^T`` plus the parts
    of ``gU``/``gV`` outside the column spaces, ``E_jk = S_k^2 - S_j^2`` (1 on the
    diagonal). With ``full_matrices`` the extra columns of ``U``/``V`` have no gradient."""

    __slots__ = ("full",)
    _nout = 3

    def apply(self, gs):
        _, (U, S, Vh) = self.unpack()
        gU, gS, gVh = gs
        if gU is None and gS is None and gVh is None:
            return (None,)
        k = S.shape[-1]
        if self.full:
            U, Vh = U.narrow(-1, 0, k), Vh.narrow(-2, 0, k)
            gU = None if gU is None else gU.narrow(-1, 0, k)
            gVh = None if gVh is None else gVh.narrow(-2, 0, k)
        return (svd_backward(gU, gS, gVh, U, S, Vh),)


def svd_backward(gU, gS, gVh, U, S, Vh):
    m, n = U.shape[-2], Vh.shape[-1]
    if gU is None and gVh is None:
        if m >= n:
            return matmul(U, gS.unsqueeze(-1) * Vh)
        return matmul(U * gS.unsqueeze(-2), Vh)
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + _eye(S.shape[-1], S)
    UhgU = VhgV = None
    if gU is not None:
        UhgU = matmul(U.mT, gU)
        UhgU = UhgU - UhgU.mT
    if gVh is not None:
        VhgV = matmul(Vh, gVh.mT)
        VhgV = VhgV - VhgV.mT
    if UhgU is not None and VhgV is not None:
        gA = (UhgU * S.unsqueeze(-2) + S.unsqueeze(-1) * VhgV) / E
    elif UhgU is not None:
        gA = UhgU * (S.unsqueeze(-2) / E)
    else:
        gA = S.unsqueeze(-1) * (VhgV / E)
    if gS is not None:
        gA = gA + _diag_embed(gS)
    if m > n and gU is not None:
        gA = matmul(U, gA)
        gUSinv = gU / S.unsqueeze(-2)
        gA = gA + gUSinv - matmul(U, matmul(U.mT, gUSinv))
        return matmul(gA, Vh)
    if m < n and gVh is not None:
        gA = matmul(gA, Vh)
        SinvgVh = gVh / S.unsqueeze(-1)
        gA = gA + SinvgVh - matmul(matmul(SinvgVh, Vh.mT), Vh)
        return matmul(U, gA)
    if m >= n:
        return matmul(U, matmul(gA, Vh))
    return matmul(matmul(U, gA), Vh)


def _svd(A, full_matrices, fn="linalg.svd"):
    _check(A, fn, square=False, half="linalg_svd_cpu")
    a = A._data
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    if a.size == 0:
        um, vn = (m, n) if full_matrices else (k, k)
        u = np.broadcast_to(np.eye(m, um, dtype=a.dtype), batch + (m, um)).copy()
        s = np.zeros(batch + (k,), dtype=a.dtype)
        vh = np.broadcast_to(np.eye(vn, n, dtype=a.dtype), batch + (vn, n)).copy()
    else:
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    U = _make(np.ascontiguousarray(u, dtype=a.dtype))
    S = _make(np.ascontiguousarray(s, dtype=a.dtype))
    Vh = _make(np.ascontiguousarray(vh, dtype=a.dtype))
    if _needs(A):
        node = LinalgSvdBackward0()
        node.full = full_matrices and m != n
        node.keep((), (U, S, Vh))
        _outputs(node, (U, S, Vh), A)
    return U, S, Vh


def svd(A, full_matrices=True, *, driver=None, out=None):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh``, ``S`` descending
    (``torch.return_types.linalg_svd``)."""
    return _return_type("linalg_svd", ("U", "S", "Vh"))(*_svd(A, full_matrices))


def svdvals(A, *, driver=None, out=None):
    """The singular values of ``A``, descending."""
    return _out(_svd(A, False)[1], out, "_linalg_svd")


def svd_legacy(A, some=True, compute_uv=True):
    """``torch.svd``: ``(U, S, V)``; without ``compute_uv``, zero ``U`` and ``V``."""
    U, S, Vh = _svd(A, not some)
    if not compute_uv:
        m, n = A.shape[-2:]
        batch = tuple(A.shape[:-2])
        U = _make(np.zeros(batch + (m, m), dtype=A._data.dtype))
        V = _make(np.zeros(batch + (n, n), dtype=A._data.dtype))
        return _return_type("svd", ("U", "S", "V"))(U, S, V)
    return _return_type("svd", ("U", "S", "V"))(U, S, Vh.mT)


# ----------------------------------------------------------------------------
# eigh, eigvalsh


class LinalgEighBackward0(_OutputsNode):
    """d eigh: ``gA = V (diag(gL) + skew(V^T gV) / (2E)) V^T``, ``E_ij = L_j - L_i``."""

    __slots__ = ()
    _nout = 2

    def apply(self, gs):
        _, (L, V) = self.unpack()
        gL, gV = gs
        if gL is None and gV is None:
            return (None,)
        if gV is None:
            return (matmul(V * gL.unsqueeze(-2), V.mT),)
        VhgV = matmul(V.mT, gV)
        VhgV = (VhgV - VhgV.mT) * 0.5
        E = L.unsqueeze(-2) - L.unsqueeze(-1) + _eye(L.shape[-1], L)
        gA = VhgV / E
        if gL is not None:
            gA = gA + _diag_embed(gL)
        return (matmul(V, matmul(gA, V.mT)),)


def _eigh(A, UPLO, fn="linalg.eigh"):
    if A.ndim >= 2 and not A.dtype.is_floating_point:
        _square(A, fn)
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{_short(A.dtype)}'")
    _check(A, fn, half="linalg_eigh_cpu")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    a = A._data
    if a.size == 0:
        w = np.zeros(a.shape[:-1], dtype=a.dtype)
        v = np.zeros(a.shape, dtype=a.dtype)
    else:
        w, v = np.linalg.eigh(a, UPLO=UPLO)
    L = _make(np.ascontiguousarray(w, dtype=a.dtype))
    V = _make(np.ascontiguousarray(v, dtype=a.dtype))
    if _needs(A):
        node = LinalgEighBackward0()
        node.keep((), (L, V))
        _outputs(node, (L, V), A)
    return L, V


def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, read from
    its lower (``UPLO='U'``: upper) triangle (``torch.return_types.linalg_eigh``)."""
    return _return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))(*_eigh(A, UPLO))


def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues (ascending) of a symmetric matrix."""
    return _out(_eigh(A, UPLO, "linalg.eigvalsh")[0], out, "_linalg_eigh")


# ----------------------------------------------------------------------------
# pinv, matrix_rank, lstsq


class LinalgPinvBackward0(_OutputsNode):
    """torch's ``pinv_backward``."""

    __slots__ = ()

    def apply(self, g):
        (A,), (P,) = self.unpack()
        return (pinv_backward(g, P, A),)


def pinv_backward(g, P, A):
    m, n = A.shape[-2], A.shape[-1]
    Ph, gh = P.mT, g.mT
    if m <= n:
        K = matmul(gh, P)
        KPh = matmul(K, Ph)
        return (
            -matmul(P, K).mT
            + KPh
            - matmul(matmul(A, P), KPh)
            + matmul(matmul(Ph, P), gh - matmul(K, A))
        )
    K = matmul(P, gh)
    PhK = matmul(Ph, K)
    return (
        -matmul(K, P).mT
        + matmul(matmul(gh - matmul(A, K), P), Ph)
        + PhK
        - matmul(matmul(PhK, P), A)
    )


def _tolerances(a, atol, rtol, smax):
    """torch's ``max(atol, rtol * smax)``; defaults: ``rtol = eps * max(m, n)`` when neither
    is given, 0 when only ``atol`` is."""

    def arr(v):
        return None if v is None else np.asarray(v._data if isinstance(v, Tensor) else v)

    atol, rtol = arr(atol), arr(rtol)
    if rtol is None:
        if atol is not None and np.all(atol > 0):
            rtol = np.zeros(())
        else:
            rtol = np.asarray(np.finfo(a.dtype).eps * max(a.shape[-2:]))
    if atol is None:
        atol = np.zeros(())
    return np.maximum(atol[..., None], rtol[..., None] * smax)


def _pinv_check(A):
    if A.ndim < 2 or not A.dtype.is_floating_point or A.dtype.itemsize == 2:
        shape = list(A.shape)
        raise RuntimeError(
            f"linalg.pinv({_short(A.dtype)}{{{shape}}}): expected a tensor with 2 or more "
            "dimensions of float, double, cfloat or cdouble types"
        )


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The Moore-Penrose pseudo-inverse, from an SVD (``hermitian``: an eigendecomposition)
    dropping singular values at most ``max(atol, rtol * largest)``."""
    _pinv_check(A)
    a = A._data
    if a.size == 0:
        r = np.zeros(a.shape[:-2] + (a.shape[-1], a.shape[-2]), dtype=a.dtype)
    elif hermitian:
        w, v = np.linalg.eigh(a)
        aw = np.abs(w)
        tol = _tolerances(a, atol, rtol, aw.max(-1, keepdims=True))
        with np.errstate(divide="ignore"):
            winv = np.where(aw > tol, 1 / w, 0)
        r = np.matmul(v * winv[..., None, :], np.swapaxes(v, -1, -2))
    else:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        tol = _tolerances(a, atol, rtol, s[..., :1])
        with np.errstate(divide="ignore"):
            sinv = np.where(s > tol, 1 / s, 0)
        r = np.matmul(np.swapaxes(vh, -1, -2) * sinv[..., None, :], np.swapaxes(u, -1, -2))
    res = _make(np.ascontiguousarray(r, dtype=a.dtype))
    if _needs(A):
        node = LinalgPinvBackward0()
        node.keep((A,), (res,))
        _record(node, res, A)
    return _out(res, out, "linalg_pinv")


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, tol=None, out=None):
    """The number of singular values above ``max(atol, rtol * largest)`` (int64)."""
    if A.ndim < 2:
        raise RuntimeError(
            "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."
        )
    if not A.dtype.is_floating_point or A.dtype.itemsize == 2:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    a = A._data
    if a.size == 0:
        return _make(np.zeros(a.shape[:-2], dtype=np.int64))
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(a))
        smax = s.max(-1, keepdims=True)
    else:
        s = np.linalg.svd(a, compute_uv=False)
        smax = s[..., :1]
    t = _tolerances(a, atol, rtol, smax)
    return _out(_make(np.asarray(np.sum(s > t, axis=-1), dtype=np.int64)), out)


class LinalgLstsqBackward0(Node):
    """torch's ``linalg_lstsq_backward``: the solution's through the pseudo-inverse of
    ``A``, the residuals' (when computed) at the optimum."""

    __slots__ = ("vector",)
    _nout = 2

    def apply(self, gs):
        A, B = self.saved()
        gX, gR = gs
        if gR is not None and gR.numel() == 0:
            gR = None
        nf = self.next_functions
        if gX is None and gR is None:
            return None, None
        if self.vector:
            B = B.unsqueeze(-1)
            gX = None if gX is None else gX.unsqueeze(-1)
            gR = None if gR is None else gR.unsqueeze(-1)
        P = pinv(A)
        gA = gB = None
        if gX is not None:
            if nf[0][0] is not None:
                gA = pinv_backward(matmul(gX, B.mT), P, A)
            if nf[1][0] is not None:
                gB = matmul(P.mT, gX)
        if gR is not None:
            # residuals ||A X - B||^2 at the optimum X: d/dA = 2 R X^T, d/dB = -2 R
            X = matmul(P, B)
            Rw = (matmul(A, X) - B) * (gR.unsqueeze(-2) * 2)
            if nf[0][0] is not None:
                t = matmul(Rw, X.mT)
                gA = t if gA is None else gA + t
            if nf[1][0] is not None:
                gB = -Rw if gB is None else gB - Rw
        if gB is not None and self.vector:
            gB = gB.squeeze(-1)
        return gA, gB


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of ``A X = B``: ``(solution, residuals, rank,
    singular_values)`` as torch's CPU drivers fill them (default ``gelsy``: no residuals
    nor singular values)."""
    if driver is None:
        driver = "gelsy"
    if driver not in _DRIVERS:
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    if A.dtype is not B.dtype:
        raise RuntimeError(
            f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"input's dtype {_short(A.dtype)} and other's dtype {_short(B.dtype)}"
        )
    _check(A, "torch.linalg.lstsq", square=False)
    vector = B.ndim == A.ndim - 1
    a, b = A._data, B._data
    bm = b[..., None] if vector else b
    try:
        batch = np.broadcast_shapes(a.shape[:-2], bm.shape[:-2])
    except ValueError:
        from ._ops._common import broadcast_error

        raise broadcast_error(a.shape[:-2], bm.shape[:-2]) from None
    if bm.shape[-2] != a.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = a.shape[-2:]
    ab = np.broadcast_to(a, batch + a.shape[-2:])
    bb = np.broadcast_to(bm, batch + bm.shape[-2:])
    u, s, vh = np.linalg.svd(ab, full_matrices=False)
    cut = (np.finfo(a.dtype).eps * max(m, n) if rcond is None else rcond) * s[..., :1]
    rank = np.sum(s > cut, axis=-1)
    with np.errstate(divide="ignore"):
        sinv = np.where(s > cut, 1 / s, 0)
    x = np.matmul(
        np.swapaxes(vh, -1, -2) * sinv[..., None, :], np.matmul(np.swapaxes(u, -1, -2), bb)
    )
    empty = np.zeros((0,), dtype=a.dtype)
    resid = empty
    if driver != "gelsy" and m > n and np.all(rank == n):
        resid = np.sum((np.matmul(ab, x) - bb) ** 2, axis=-2)
        if vector:
            resid = resid[..., 0]
    if vector:
        x = x[..., 0]
    X = _make(np.ascontiguousarray(x, dtype=a.dtype))
    Rs = _make(np.asarray(resid, dtype=a.dtype))
    rk = (
        _make(np.asarray(rank, dtype=np.int64))
        if driver != "gels"
        else _make(np.zeros((0,), dtype=np.int64))
    )
    sv = _make(np.asarray(s, dtype=a.dtype)) if driver in ("gelsd", "gelss") else _make(empty)
    if _needs(A, B):
        node = LinalgLstsqBackward0()
        node.vector = vector
        node.save(A, B)
        _outputs(node, (X, Rs), A, B)
    return _return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))(
        X, Rs, rk, sv
    )


# ----------------------------------------------------------------------------
# norms

_MATRIX_ORDS = (1, -1, 2, -2, math.inf, -math.inf)


def _ord_repr(ord) -> str:
    if isinstance(ord, float) and ord.is_integer():
        return str(int(ord))
    return str(ord)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Matrix norms over the two dims ``dim``: 'fro' and 'nuc', the largest (smallest)
    singular value for ``ord = 2`` (-2), the largest (smallest) absolute column sum for
    ``ord = 1`` (-1) and row sum for ``ord = inf`` (-inf)."""
    from ._tensor import wrap_dim

    if A.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if not A.dtype.is_floating_point:
        raise RuntimeError(
            "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got "
            f"{_short(A.dtype)}"
        )
    dim = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
    if len(dim) != 2:
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
        )
    d0, d1 = wrap_dim(dim[0], A.ndim), wrap_dim(dim[1], A.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
        if ord == "fro":
            return _out(vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype), out)
    elif ord not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {_ord_repr(ord)} not supported.")
    if dtype is not None:
        A = A.to(dtype)
    if ord in ("nuc", 2, -2):
        perm = [i for i in range(A.ndim) if i not in (d0, d1)] + [d0, d1]
        s = svdvals(A.permute(*perm))
        if ord == "nuc":
            r = s.sum(-1, keepdim=keepdim)
        elif ord == 2:
            r = amax(s, -1, keepdim)
        else:
            r = amin(s, -1, keepdim)
        if keepdim:
            inv_perm = [perm.index(i) for i in range(A.ndim)]
            r = r.unsqueeze(-1).permute(*inv_perm)
        return _out(r, out)
    if math.isinf(ord):
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:
        d1 -= 1
    r = vector_norm(A, 1, d0, keepdim)
    return _out(amax(r, d1, keepdim) if ord > 0 else amin(r, d1, keepdim), out)


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """``vector_norm`` or ``matrix_norm`` as torch chooses: a matrix norm for a string
    ``ord``, or for a numeric ``ord`` over two dims (a 2-D input without ``dim``)."""
    if dim is not None:
        dims = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
        if len(dims) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}"
            )
    else:
        dims = None
        if ord is not None and A.ndim not in (1, 2):
            raise RuntimeError(
                "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
    if isinstance(ord, str):
        return matrix_norm(
            A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype, out=out
        )
    if ord is not None and (
        (dims is not None and len(dims) == 2) or (dims is None and A.ndim == 2)
    ):
        return matrix_norm(
            A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype, out=out
        )
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)


def vecdot(x, y, *, dim=-1, out=None):
    """``sum(x * y, dim)`` (conjugating ``x``: the same for real tensors)."""
    if x.dtype is not y.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{_short(x.dtype)} and y of type {_short(y.dtype)} instead"
        )
    return _out((x * y).sum(dim), out, "sum")


def _out(res, out, name="linalg_vector_norm"):
    if out is None:
        return res
    from ._ops.inplace import copy_into_out

    return copy_into_out(out, res, name)


__getattr__ = missing_attribute_getattr(__name__)
