"""Distances and similarities: cosine_similarity, pairwise_distance, cdist, pdist.

``cosine_similarity`` and ``pairwise_distance`` are composed as torch composes them (a
clamped ``linalg.vector_norm``; ``norm(x1 - x2 + eps)``). ``cdist`` and ``pdist`` are one
op each with torch's node (``CdistBackward0``, ``PdistBackward0``); ``cdist`` with ``p = 2``
on more than 25 rows (or ``compute_mode='use_mm_for_euclid_dist'``) goes through a matrix
product as torch does (``_euclidean_dist``, then a view). Their backward formulas are Tensor
operations, so they have second derivatives.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state, wrap_dim
from ..autograd.graph import Node
from ._common import broadcast_error
from .linalg import _pnorm_array, norm_p, vector_norm
from .pointwise import where

__all__ = ["cosine_similarity", "pairwise_distance", "cdist", "pdist"]


def _short(dt) -> str:
    return dt._legacy[:-6]


# ----------------------------------------------------------------------------
# cosine_similarity, pairwise_distance


class CloneBackward0(Node):
    """The norm clamped to ``eps`` without recording the clamp (torch clamps a clone in
    place under no_grad): the gradient passes through unchanged."""

    __slots__ = ()

    def apply(self, g):
        return (g,)


def _clamped_clone(n, eps):
    res = _make(np.maximum(n._data, n._data.dtype.type(eps)))
    if _state.enabled and n._requires_grad:
        _record(CloneBackward0(), res, n)
    return res


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))`` along ``dim``, with the
    operands broadcast together."""
    dt = D.result_type(x1, x2)
    if not dt.is_floating_point:
        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is {_short(dt)}"
        )
    if x1.dtype is not dt:
        x1 = x1.to(dt)
    if x2.dtype is not dt:
        x2 = x2.to(dt)
    if x1.shape != x2.shape:
        try:
            shape = np.broadcast_shapes(x1.shape, x2.shape)
        except ValueError:
            raise broadcast_error(x1.shape, x2.shape) from None
        x1 = x1 if x1.shape == shape else x1.expand(shape)
        x2 = x2 if x2.shape == shape else x2.expand(shape)
    d = wrap_dim(dim, x1.ndim)
    n1 = _clamped_clone(vector_norm(x1, 2, d, True), eps)
    n2 = _clamped_clone(vector_norm(x2, 2, d, True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(d)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The ``p``-norm of ``x1 - x2 + eps`` along the last dim (of the broadcast shape)."""
    dim = max(x1.ndim, x2.ndim) - 1
    return norm_p(x1 - x2 + eps, p, dim, keepdim)


# ----------------------------------------------------------------------------
# cdist

_MODES = {
    "use_mm_for_euclid_dist_if_necessary": 0,
    "use_mm_for_euclid_dist": 1,
    "donot_use_mm_for_euclid_dist": 2,
}


def _kept(res):
    """An alias of an output for its node to save (sharing its version counter)."""
    if res._vc is None:
        res._vc = [0]
    return Tensor._alias(res)


def _relinked(out, node):
    """A saved output, leading back to its node when the backward builds a graph."""
    return Tensor._alias(out, grad_fn=node) if _state.enabled else out


def _dist_grad(g, diff, dist, p):
    """The gradient of ``||diff||_p`` (along the last dim, ``dist``) for incoming ``g``,
    as torch's ``_cdist_backward`` writes it for each ``p``."""
    g = g.unsqueeze(-1)
    dist = dist.unsqueeze(-1)
    if p == 0:
        return diff * 0
    if p == 1:
        return g * diff.sign()
    if math.isinf(p):
        return g * diff.sign() * (diff.abs() == dist).to(diff.dtype)
    if p == 2:
        return where(dist == 0, 0.0, g * diff / dist)
    zero = dist == 0
    if p < 1:
        zero = zero | (diff == 0)
    if p < 2:
        t = diff.sign() * diff.abs().pow(p - 1) * g / dist.pow(p - 1)
    else:
        t = diff * diff.abs().pow(p - 2) * g / dist.pow(p - 1)
    return where(zero, 0.0, t)


class CdistBackward0(Node):
    __slots__ = ("p",)

    def apply(self, g):
        x1, x2, dist = self.saved()
        dist = _relinked(dist, self)
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        t = _dist_grad(g, diff, dist, self.p)
        nf = self.next_functions
        g1 = t.sum(-2) if nf[0][0] is not None else None
        g2 = -t.sum(-3) if nf[1][0] is not None else None
        return g1, g2


class EuclideanDistBackward0(Node):
    """torch's ``_euclidean_dist_backward``."""

    __slots__ = ()

    def apply(self, g):
        x1, x2, res = self.saved()
        res = _relinked(res, self)
        ratio = where(res == 0, 0.0, g / res)
        nf = self.next_functions
        g1 = g2 = None
        if nf[0][0] is not None:
            g1 = x1 * ratio.sum(-1, keepdim=True) - ratio.matmul(x2)
        if nf[1][0] is not None:
            g2 = x2 * ratio.sum(-2).unsqueeze(-1) - ratio.mT.matmul(x1)
        return g1, g2


def _euclidean_dist(x1, x2):
    """Distances from one matrix product, as torch's ``_euclidean_dist``:
    ``[-2 x1, |x1|^2, 1] @ [x2, 1, |x2|^2]^T``, clamped at 1e-30, square-rooted."""
    a, b = x1._data, x2._data
    an = np.add.reduce(a * a, axis=-1, keepdims=True)
    bn = np.add.reduce(b * b, axis=-1, keepdims=True)
    one_a, one_b = np.ones_like(an), np.ones_like(bn)
    left = np.concatenate([a * a.dtype.type(-2), an, one_a], -1)
    right = np.concatenate([b, one_b, bn], -1)
    r = np.matmul(left, np.swapaxes(right, -1, -2))
    r = np.sqrt(np.maximum(r, a.dtype.type(1e-30)))
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and (x1._requires_grad or x2._requires_grad):
        node = EuclideanDistBackward0()
        node.save(x1, x2, _kept(res))
        _record(node, res, x1, x2)
    return res


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The ``p``-norm distance between each row of ``x1`` and each row of ``x2``
    (batched: ``(*, P, M)`` and ``(*, R, M)`` give ``(*, P, R)``)."""
    mode = _MODES.get(compute_mode)
    if mode is None:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    if x1.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: "
            f"{x2.shape[-1]}"
        )
    if not x1.dtype.is_floating_point:
        raise RuntimeError(
            f"cdist only supports floating-point dtypes, X1 got: {_short(x1.dtype)}"
        )
    if not x2.dtype.is_floating_point:
        raise RuntimeError(
            f"cdist only supports floating-point dtypes, X2 got: {_short(x2.dtype)}"
        )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if x1.dtype is not x2.dtype:
        raise RuntimeError(f"expected scalar type {_short(x1.dtype)} but found {_short(x2.dtype)}")
    r1, r2, c = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    try:
        batch = tuple(np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2]))
    except ValueError:
        raise broadcast_error(x1.shape[:-2], x2.shape[:-2]) from None
    e1 = x1 if tuple(x1.shape[:-2]) == batch else x1.expand(batch + (r1, c))
    e2 = x2 if tuple(x2.shape[:-2]) == batch else x2.expand(batch + (r2, c))
    out_shape = batch + (r1, r2)
    empty = x1.numel() == 0 or x2.numel() == 0
    if not empty and p == 2 and (mode == 1 or (mode == 0 and (r1 > 25 or r2 > 25))):
        return _euclidean_dist(e1, e2).view(out_shape)
    a, b = e1._data, e2._data
    if r1 == 0 or r2 == 0 or 0 in batch:
        r = np.empty(out_shape, dtype=a.dtype)
    elif c == 0:
        r = np.zeros(out_shape, dtype=a.dtype)
    else:
        r = _pnorm_array(a[..., :, None, :] - b[..., None, :, :], float(p), -1, False)
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and (x1._requires_grad or x2._requires_grad):
        node = CdistBackward0()
        node.p = float(p)
        node.save(e1, e2, _kept(res))
        _record(node, res, x1, x2)  # the engine sums the gradients over broadcast batches
    return res


# ----------------------------------------------------------------------------
# pdist


class _RowsBackward(Node):
    """Gradient of a row gather (a scatter-add) or of a scatter-add (a gather)."""

    __slots__ = ("idx", "n", "gather")

    def name(self):
        return "IndexBackward0" if self.gather else "IndexAddBackward0"

    def apply(self, g):
        if self.gather:
            return (_scatter_rows(g, self.idx, self.n),)
        return (_gather_rows(g, self.idx),)


def _gather_rows(x, idx):
    res = _make(x._data[idx])
    if _state.enabled and x._requires_grad:
        node = _RowsBackward()
        node.idx, node.n, node.gather = idx, x.shape[0], True
        _record(node, res, x)
    return res


def _scatter_rows(t, idx, n):
    r = np.zeros((n,) + t._data.shape[1:], dtype=t._data.dtype)
    np.add.at(r, idx, t._data)
    res = _make(r)
    if _state.enabled and t._requires_grad:
        node = _RowsBackward()
        node.idx, node.n, node.gather = idx, n, False
        _record(node, res, t)
    return res


class PdistBackward0(Node):
    __slots__ = ("p", "i", "j")

    def apply(self, g):
        x, dist = self.saved()
        dist = _relinked(dist, self)
        n = x.shape[0]
        diff = _gather_rows(x, self.i) - _gather_rows(x, self.j)
        t = _dist_grad(g, diff, dist, self.p)
        return (_scatter_rows(t, self.i, n) - _scatter_rows(t, self.j, n),)


def pdist(input, p=2):
    """The ``p``-norm distances between the rows of a matrix, for each pair ``i < j`` in
    row-major order (``n * (n - 1) / 2`` of them)."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    a = input._data
    n = a.shape[0]
    i, j = np.triu_indices(n, 1)
    if a.shape[1] == 0:
        r = np.zeros(i.shape, dtype=a.dtype)
    else:
        r = _pnorm_array(a[i] - a[j], float(p), -1, False)
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and input._requires_grad:
        node = PdistBackward0()
        node.p, node.i, node.j = float(p), i, j
        node.save(input, _kept(res))
        _record(node, res, input)
    return res


# Tensor methods that are this family's functions (self first)
TENSOR_METHODS: dict = {}
