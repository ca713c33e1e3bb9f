"""Matrix products: matmul (every broadcasting case), mm, mv, dot, bmm, addmm."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import broadcast_error

__all__ = ["matmul", "mm", "mv", "dot", "bmm", "addmm", "outer"]


def _dt_name(t):
    return {
        "float32": "float",
        "float64": "double",
        "float16": "c10::Half",
        "int64": "long int",
        "int32": "int",
    }.get(t.dtype.name, t.dtype.name)


class MatmulBackward(Node):
    """d(a @ b): ``g @ b^T`` and ``a^T @ g``, with 1-D operands handled by
    temporarily giving them a unit dim (batch broadcasting is undone by the
    engine)."""

    __slots__ = ("_name",)

    def name(self):
        return self._name

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        a1 = a.unsqueeze(0) if a.ndim == 1 else a
        b1 = b.unsqueeze(-1) if b.ndim == 1 else b
        if a.ndim == 1 and b.ndim == 1:
            g1 = g.reshape(1, 1)
        elif a.ndim == 1:
            g1 = g.unsqueeze(-2)
        elif b.ndim == 1:
            g1 = g.unsqueeze(-1)
        else:
            g1 = g
        ga = gb = None
        if nf[0][0] is not None:
            ga = matmul(g1, b1.mT)
            if a.ndim == 1:
                ga = ga.reshape(ga.shape[:-2] + (ga.shape[-1],)) if ga.ndim > 2 else ga.reshape(-1)
        if nf[1][0] is not None:
            gb = matmul(a1.mT, g1)
            if b.ndim == 1:
                gb = gb.reshape(gb.shape[:-1]) if gb.ndim > 2 else gb.reshape(-1)
        return ga, gb


# the node torch's matmul ends with, by operand dims (torch composes matmul
# of batches from views, mm/bmm and a final view; one node stands for them)
_NAMES = {
    (1, 1): "DotBackward0",
    (2, 1): "MvBackward0",
    (1, 2): "SqueezeBackward4",
    (2, 2): "MmBackward0",
}


def _matmul_name(da, db):
    name = _NAMES.get((da, db))
    if name is None:
        name = "CloneBackward0" if da == 2 else "UnsafeViewBackward0"
    return name


def _check_dtypes(input, other, da, db):
    """torch's error for operands of different dtypes, which depends on the
    kernel matmul reaches for these dims."""
    x, y = input.dtype._legacy[:-6], other.dtype._legacy[:-6]
    if da == 1 and db == 1:
        msg = f"dot : expected both vectors to have same dtype, but found {x} and {y}"
    elif db == 1:
        msg = f"addmv input tensors must have the same dtype, but got {y}, {x}, and {y}"
    elif db >= 3 and (da >= 3 or da == 2):
        msg = f"expected scalar type {x} but found {y}"
    else:
        msg = (
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_dt_name(input)} != {_dt_name(other)}"
        )
    raise RuntimeError(msg)


def matmul(input, other, *, out=None):
    """Matrix product with NumPy/torch broadcasting rules."""
    return _out(_matmul(input, other), out, "matmul")


def _out(res, out, name):
    if out is None:
        return res
    from .inplace import copy_into_out

    return copy_into_out(out, res, name)


def _matmul(input, other, name=None):
    if not isinstance(other, Tensor):
        raise TypeError(
            f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D"
        )
    if input.dtype is not other.dtype:
        _check_dtypes(input, other, a.ndim, b.ndim)
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if ka != kb:
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                f"[{b.shape[0]}] to have the same number of elements, but got {a.shape[0]} "
                f"and {b.shape[0]} elements respectively"
            )
        if a.ndim == 2 and b.ndim == 1:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x"
                f"{a.shape[1]}), vec ({b.shape[0]})"
            )
        sa = "x".join(map(str, a.shape if a.ndim == 2 else (int(np.prod(a.shape[:-1])), ka)))
        sb = "x".join(
            map(
                str,
                b.shape if b.ndim == 2 else (b.shape[0], 1) if b.ndim == 1 else (kb, b.shape[-1]),
            )
        )
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")
    try:
        r = np.matmul(a, b)
    except ValueError:
        raise broadcast_error(a.shape[:-2], b.shape[:-2]) from None
    res = _make(r)
    if _state.enabled and (input._requires_grad or other._requires_grad):
        node = MatmulBackward()
        node._name = name or _matmul_name(a.ndim, b.ndim)
        node.save(input, other)
        _record(node, res, input, other)
    return res


def mm(input, mat2, *, out=None):
    """Product of two matrices."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return _out(_matmul(input, mat2), out, "mm")


def mv(input, vec, *, out=None):
    """Matrix times vector."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    return _out(_matmul(input, vec), out, "mv")


def dot(input, other, *, out=None):
    """Inner product of two 1-D tensors."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return _out(_matmul(input, other), out, "dot")


def bmm(input, mat2, *, out=None):
    """Batched matrix product of two 3-D tensors."""
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    a, b = input._data.shape, mat2._data.shape
    if b[0] != a[0] or b[1] != a[2]:  # bmm does not broadcast
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a[0]}, {a[2]}] but got: [{b[0]}, {b[1]}]."
        )
    return _out(_matmul(input, mat2, "BmmBackward0"), out, "bmm")


class AddmmBackward0(Node):
    __slots__ = ("alpha", "beta")

    def apply(self, g):
        m1, m2 = self.saved()
        nf = self.next_functions
        gi = g1 = g2 = None
        if nf[0][0] is not None:
            gi = g if self.beta == 1 else g * self.beta
        if nf[1][0] is not None:
            g1 = g.mm(m2.t())
            if self.alpha != 1:
                g1 = g1 * self.alpha
        if nf[2][0] is not None:
            g2 = m1.t().mm(g)
            if self.alpha != 1:
                g2 = g2 * self.alpha
        return gi, g1, g2


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)`` in one op."""
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got " + f"{mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got " + f"{mat2.ndim}-D tensor")
    a, b = mat1._data, mat2._data
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
            f"{b.shape[0]}x{b.shape[1]})"
        )
    if input.dtype is not mat2.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {input.dtype._legacy[:-6]} and "
            f"{mat2.dtype._legacy[:-6]}"
        )
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {mat1.dtype._legacy[:-6]} and "
            f"{mat2.dtype._legacy[:-6]}"
        )
    r = np.matmul(a, b)
    if alpha != 1:
        r *= alpha
    c = input._data
    if beta != 1:
        c = c * beta
    if c.shape == r.shape:
        r += c
    else:
        try:
            r = r + np.broadcast_to(c, r.shape)
        except ValueError:
            input.expand(r.shape)  # raises torch's message
            raise
    res = _make(r)
    if _state.enabled and (input._requires_grad or mat1._requires_grad or mat2._requires_grad):
        node = AddmmBackward0()
        node.alpha, node.beta = alpha, beta
        node.save(mat1 if mat2._requires_grad else None, mat2 if mat1._requires_grad else None)
        _record(node, res, input, mat1, mat2)
    return _out(res, out, "addmm")


def outer(input, vec2):
    """Outer product of two 1-D tensors (composed as torch composes it)."""
    if input.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.ndim}-D")
    if vec2.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    return input.reshape(input.shape[0], 1) * vec2


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "matmul": matmul,
    "mm": mm,
    "mv": mv,
    "dot": dot,
    "bmm": bmm,
    "outer": outer,
}
