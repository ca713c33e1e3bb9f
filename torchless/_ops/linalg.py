"""Matrix products and vector norms.

matmul (every broadcasting case), mm, mv, dot, vdot, bmm, the fused ``add*`` products
(addmm, addmv, addbmm, baddbmm), einsum and what torch composes from products (tensordot,
inner, kron, cross, matrix_power, multi_dot, chain_matmul, block_diag, cartesian_prod), and
the vector p-norms (``linalg.vector_norm`` and the ``norm`` that pairwise_distance uses).
The decompositions live in ``torchless.linalg``; the top-level names torch gives some of
them (``torch.det``, ``torch.svd``...) and their Tensor methods are thin wrappers here.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import broadcast_error, dims_arg, not_implemented, operands

__all__ = [
    "matmul",
    "mm",
    "mv",
    "dot",
    "vdot",
    "bmm",
    "addmm",
    "addmv",
    "addbmm",
    "baddbmm",
    "outer",
    "ger",
    "einsum",
    "tensordot",
    "inner",
    "kron",
    "cross",
    "matrix_power",
    "chain_matmul",
    "block_diag",
    "cartesian_prod",
    "det",
    "logdet",
    "slogdet",
    "inverse",
    "pinverse",
    "svd",
    "cholesky",
    "qr",
]


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

    __slots__ = ()

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        if b.ndim == 1 and a.ndim <= 2:
            # dot and mv: torch's formulas (grad * other, outer, mv), so that a
            # double backward records the nodes torch records
            ga = gb = None
            if a.ndim == 1:
                if nf[0][0] is not None:
                    ga = g * b
                if nf[1][0] is not None:
                    gb = g * a
            else:
                if nf[0][0] is not None:
                    ga = g.unsqueeze(1) * b
                if nf[1][0] is not None:
                    gb = matmul(a.mT, g)
            return ga, gb
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
        if a.ndim >= 2 and b.ndim == 1:  # mv, on the folded batch
            rows = int(np.prod(a.shape[:-1]))
            raise RuntimeError(
                f"size mismatch, got input ({rows}), mat ({rows}x{ka}), vec ({b.shape[0]})"
            )
        if b.ndim >= 3 or (a.ndim >= 3 and b.ndim != 2):  # bmm on the broadcast batch
            try:
                batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise broadcast_error(a.shape[:-2], b.shape[:-2]) from None
            n = int(np.prod(batch))
            raise RuntimeError(
                "Expected size for first two dimensions of batch2 tensor to be: "
                f"[{n}, {ka}] but got: [{n}, {kb}]."
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
            # (g^T m1)^T rather than m1^T g: the same products, laid out so that
            # when mat2 is weight.t() (nn.Linear) the weight's gradient comes
            # out C-contiguous and can become .grad without a copy
            g2 = g.t().mm(m1).t()
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


ger = outer


# ----------------------------------------------------------------------------
# vdot, addmv, addbmm, baddbmm


def vdot(input, other, *, out=None):
    """Dot product of two 1-D tensors (the first conjugated: the same for real ones)."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return _out(_matmul(input, other, "VdotBackward0"), out, "vdot")


def _scaled(t, s):
    return t if s == 1 else t * s


class AddmvBackward0(Node):
    __slots__ = ("alpha", "beta")

    def apply(self, g):
        mat, vec = self.saved()
        nf = self.next_functions
        gi = gm = gv = None
        if nf[0][0] is not None:
            gi = _scaled(g, self.beta)
        if nf[1][0] is not None:
            gm = _scaled(g.unsqueeze(1) * vec, self.alpha)
        if nf[2][0] is not None:
            gv = _scaled(matmul(mat.mT, g), self.alpha)
        return gi, gm, gv


def _add_scaled(r, c, alpha, beta, input, name):
    """``beta * c + alpha * r`` on arrays; ``beta == 0`` ignores ``c`` (nan included)."""
    if alpha != 1:
        r = r * alpha
    if beta != 0:
        c = c if beta == 1 else c * beta
        if c.shape != r.shape:
            try:
                c = np.broadcast_to(c, r.shape)
            except ValueError:
                input.expand(r.shape)  # raises torch's message
                raise
        r = r + c
    return np.asarray(r, dtype=input._data.dtype)


def _same_dtypes(msg_name, *ts):
    dt = ts[0].dtype
    for t in ts[1:]:
        if t.dtype is not dt:
            names = ", ".join(x.dtype._legacy[:-6] for x in ts[:-1])
            raise RuntimeError(
                f"{msg_name} input tensors must have the same dtype, but got {names}, and "
                f"{ts[-1].dtype._legacy[:-6]}"
            )


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat @ vec)`` in one op."""
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}"
        )
    n, k = mat.shape
    if vec.shape[0] != k or (input.numel() != 1 and tuple(input.shape) != (n,)):
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0] if input.ndim else 1}), mat ({n}x{k}), "
            f"vec ({vec.shape[0]})"
        )
    _same_dtypes("addmv", input, mat, vec)
    r = _add_scaled(np.matmul(mat._data, vec._data), input._data, alpha, beta, input, "addmv")
    res = _make(r)
    if _state.enabled and (input._requires_grad or mat._requires_grad or vec._requires_grad):
        node = AddmvBackward0()
        node.alpha, node.beta = alpha, beta
        node.save(mat if vec._requires_grad else None, vec if mat._requires_grad else None)
        _record(node, res, input, mat, vec)
    return _out(res, out, "addmv")


def _check_batches(b1, b2, name):
    if b1.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b1.dtype is not b2.dtype:
        raise RuntimeError(
            f"expected scalar type {b1.dtype._legacy[:-6]} but found {b2.dtype._legacy[:-6]}"
        )
    a, b = b1.shape, b2.shape
    if name == "addbmm":
        if a[0] != b[0]:
            raise RuntimeError(
                f"batch1 and batch2 must have same number of batches, got {a[0]} and {b[0]}"
            )
        if a[2] != b[1]:
            raise RuntimeError(
                f"Incompatible matrix sizes for bmm ({a[1]}x{a[2]} and {b[1]}x{b[2]})"
            )
    elif b[0] != a[0] or b[1] != a[2]:
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a[0]}, {a[2]}] but got: [{b[0]}, {b[1]}]."
        )


class AddbmmBackward0(Node):
    __slots__ = ("alpha", "beta", "batched")

    def name(self):
        return "BaddbmmBackward0" if self.batched else "AddbmmBackward0"

    def apply(self, g):
        b1, b2 = self.saved()
        nf = self.next_functions
        gi = g1 = g2 = None
        if nf[0][0] is not None:
            gi = _scaled(g, self.beta)
        gb = g if self.batched else g.unsqueeze(0)
        if nf[1][0] is not None:
            g1 = _scaled(matmul(gb, b2.mT), self.alpha)
        if nf[2][0] is not None:
            g2 = _scaled(matmul(b1.mT, gb), self.alpha)
        return gi, g1, g2


def _addbmm(input, batch1, batch2, beta, alpha, batched):
    name = "baddbmm" if batched else "addbmm"
    _check_batches(batch1, batch2, name)
    if input.dtype is not batch1.dtype:
        raise RuntimeError(
            f"expected scalar type {batch1.dtype._legacy[:-6]} but found "
            f"{input.dtype._legacy[:-6]}"
        )
    r = np.matmul(batch1._data, batch2._data)
    if not batched:
        r = np.add.reduce(r, axis=0)
    r = _add_scaled(r, input._data, alpha, beta, input, name)
    res = _make(r)
    if _state.enabled and (input._requires_grad or batch1._requires_grad or batch2._requires_grad):
        node = AddbmmBackward0()
        node.alpha, node.beta, node.batched = alpha, beta, batched
        node.save(
            batch1 if batch2._requires_grad else None, batch2 if batch1._requires_grad else None
        )
        _record(node, res, input, batch1, batch2)
    return res


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``."""
    return _out(_addbmm(input, batch1, batch2, beta, alpha, False), out, "addbmm")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (batch1 @ batch2)``, batch by batch."""
    return _out(_addbmm(input, batch1, batch2, beta, alpha, True), out, "baddbmm")


# ----------------------------------------------------------------------------
# einsum

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # torch's label order
_ELL = "..."
_einsum_cache: dict = {}


class EinsumBackward(Node):
    """d einsum: for each operand, an einsum of the gradient with the other operands
    (labels only this operand has are broadcast back, repeated ones put on the diagonal).
    Named as the op torch's einsum ends with (it composes permutes, sums, mul and bmm)."""

    __slots__ = ("spec",)

    def apply(self, g):
        ops = self.saved()
        ins, outl, sizes, spare = self.spec
        grads = []
        for k, (fn, _) in enumerate(self.next_functions):
            if fn is None:
                grads.append(None)
                continue
            lk = ins[k]
            uniq = "".join(dict.fromkeys(lk))
            others = [ins[j] for j in range(len(ins)) if j != k] + [outl]
            avail = set("".join(others))
            keep = "".join(c for c in uniq if c in avail)
            tens = [ops[j] for j in range(len(ins)) if j != k] + [g]
            r = einsum(",".join(others) + "->" + keep, *tens)
            # labels only this operand has were summed, and a label of size 1 in the other
            # terms broadcast: expand to the full sizes (the engine sums back to the operand)
            full = [sizes[c] for c in uniq]
            if len(keep) < len(uniq):
                r = r.reshape([r.shape[keep.index(c)] if c in keep else 1 for c in uniq])
            if list(r.shape) != full:
                r = r.expand(full)
            if len(uniq) < len(lk):  # repeated labels: the gradient lies on the diagonal
                seen, renamed, eyes, terms = set(), [], [], []
                free = iter(spare)
                for c in lk:
                    if c in seen:
                        f = next(free)
                        renamed.append(f)
                        terms.append(c + f)
                        eyes.append(_make(np.eye(sizes[c], dtype=g._data.dtype)))
                    else:
                        seen.add(c)
                        renamed.append(c)
                eq = ",".join([uniq] + terms) + "->" + "".join(renamed)
                r = einsum(eq, r, *eyes)
            grads.append(r)
        return tuple(grads)


def _einsum_terms(equation, nops):
    """The equation's operand terms and output term, as lists of letters and _ELL."""
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]

    def parse(text, offset, allow_comma):
        terms, cur, i = [], [], 0
        while i < len(text):
            c = text[i]
            if c == ".":
                k = len(terms)
                if text[i : i + 3] != "...":
                    raise RuntimeError(
                        f"einsum(): found '.' for operand {k} that is not part of any ellipsis"
                    )
                if _ELL in cur:
                    raise RuntimeError(
                        f"einsum(): found '.' for operand {k} for which an ellipsis was already "
                        "found"
                    )
                cur.append(_ELL)
                i += 3
                continue
            if c == "," and allow_comma:
                terms.append(cur)
                cur = []
            elif c in _LETTERS:
                cur.append(c)
            elif c != " ":
                raise RuntimeError(
                    f"einsum(): invalid subscript given at index {offset + i} in the equation "
                    "string, subscripts must be in [a-zA-Z]"
                )
            i += 1
        terms.append(cur)
        return terms

    terms = parse(lhs, 0, True)
    if nops > len(terms):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if nops < len(terms):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    out = None if arrow < 0 else parse(equation[arrow + 2 :], arrow + 2, False)[0]
    return terms, out


def _einsum_plan(equation, shapes):
    terms, out = _einsum_terms(equation, len(shapes))
    used = set(c for t in terms for c in t if c != _ELL)
    if out is not None:
        used.update(c for c in out if c != _ELL)
    spare = [c for c in _LETTERS if c not in used]
    # ellipsis dims become fresh labels, right-aligned across operands
    n_ell = 0
    for k, (t, shape) in enumerate(zip(terms, shapes)):
        n = len(t) - (_ELL in t)
        if _ELL in t:
            if n > len(shape):
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({n}) is more than the "
                    f"number of dimensions ({len(shape)}) for operand {k}"
                )
            n_ell = max(n_ell, len(shape) - n)
        elif n != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) does not match the "
                f"number of dimensions ({len(shape)}) for operand {k} and no ellipsis was given"
            )
    ell = "".join(spare[:n_ell])
    spare = spare[n_ell:]
    ins = []
    for t, shape in zip(terms, shapes):
        e = len(shape) - (len(t) - (_ELL in t))
        ins.append("".join(ell[n_ell - e :] if c == _ELL else c for c in t))
    sizes: dict = {}
    for k, (lab, shape) in enumerate(zip(ins, shapes)):
        mine: dict = {}
        for c, s in zip(lab, shape):
            if c in mine and mine[c] != s:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't "
                    f"match, {s} != {mine[c]}"
                )
            mine[c] = s
        for c, s in mine.items():
            prev = sizes.get(c)
            if prev is None or prev == 1:
                sizes[c] = s
            elif s != 1 and s != prev:
                if c in ell:
                    j = lab.index(c) - min(lab.index(e) for e in lab if e in ell)
                    raise RuntimeError(
                        f"einsum(): dimension {j} covered by ellipsis in operand {k}has size {s} "
                        f"which does not broadcast with previously seen ellipsis with size {prev} "
                        "for the respective dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {s} for operand {k} which does not "
                    f"broadcast with previously seen size {prev}"
                )
    if out is None:
        counts: dict = {}
        for lab in ins:
            for c in lab:
                counts[c] = counts.get(c, 0) + 1
        outl = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        outl = ""
        for c in out:
            if c == _ELL:
                outl += ell
                continue
            if c in outl:
                raise RuntimeError(
                    f"einsum(): output subscript {c} appears more than once in the output"
                )
            if c not in sizes:
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any "
                    "input operand"
                )
            outl += c
    targets = [tuple(sizes[c] for c in lab) for lab in ins]
    # the op torch's einsum ends with
    summed = [c for c in sizes if c not in outl]
    if len(ins) == 1:
        name = "SumBackward1" if summed else "PermuteBackward0"
    else:
        name = "ViewBackward0" if summed else "MulBackward0"
    eq = ",".join(ins) + "->" + outl
    # NumPy's plain loop over every label is the fastest for small problems; larger ones
    # go through its contraction path (pairwise BLAS products), found once per shape
    cost = 1
    for n in sizes.values():
        cost *= n
    path = False
    if len(ins) > 1 and cost > 20000:
        dummies = [np.broadcast_to(np.zeros((), np.float32), tg) for tg in targets]
        path = np.einsum_path(eq, *dummies, optimize="greedy")[0]
    return ins, outl, sizes, spare, targets, name, eq, path


def einsum(*args):
    """Einstein summation: ``einsum("ij,jk->ik", a, b)``, implicit outputs, ``...``
    broadcasting, repeated labels (diagonals), and torch's sublist form
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])``."""
    if len(args) < 2:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    if isinstance(args[0], str):
        equation, ops = args[0], args[1:]
        if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
            ops = tuple(ops[0])
    else:
        equation, ops = _sublist_equation(args)
    if not ops:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    shapes = tuple(t._data.shape for t in ops)
    key = (equation, shapes)
    plan = _einsum_cache.get(key)
    if plan is None:
        plan = _einsum_plan(equation, shapes)
        if len(_einsum_cache) > 512:
            _einsum_cache.clear()
        _einsum_cache[key] = plan
    ins, outl, sizes, spare, targets, name, eq, path = plan
    dt = ops[0].dtype
    for t in ops[1:]:
        if t.dtype is not dt:
            raise RuntimeError(
                f"expected scalar type {dt._legacy[:-6]} but found {t.dtype._legacy[:-6]}"
            )
    arrays = [
        t._data if t._data.shape == tg else np.broadcast_to(t._data, tg)
        for t, tg in zip(ops, targets)
    ]
    r = np.einsum(eq, *arrays, optimize=path)
    res = _make(np.asarray(r, dtype=ops[0]._data.dtype))
    if _state.enabled and any(t._requires_grad for t in ops):
        node = EinsumBackward()
        node._name = name
        node.spec = (ins, outl, sizes, spare)
        node.save(*ops)
        _record(node, res, *ops)
    return res


def _sublist_equation(args):
    def term(sub):
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int) and 0 <= s < 52:
                out.append(_LETTERS[s])
            else:
                raise ValueError(
                    "einsum(): subscript in subscript list is not within the valid range [0, 52)"
                )
        return "".join(out)

    ops = args[0::2]
    subs = args[1::2]
    if len(args) % 2:
        ops = ops[:-1] if isinstance(args[-1], (list, tuple)) else ops
    if len(args) % 2 and isinstance(args[-1], (list, tuple)):
        eq = ",".join(term(s) for s in subs) + "->" + term(args[-1])
    else:
        eq = ",".join(term(s) for s in subs)
    return eq, tuple(ops)


# ----------------------------------------------------------------------------
# compositions of products: tensordot, inner, kron, cross, matrix_power, multi_dot


def _unsafe_view(t, shape):
    """``t``'s data with another shape, recorded as torch's ``_unsafe_view``."""
    from .shape import UnsafeViewBackward0

    res = _make(t._data.reshape(shape))
    if _state.enabled and t._requires_grad:
        node = UnsafeViewBackward0()
        node.shape = t._data.shape
        _record(node, res, t)
    return res


def tensordot(a, b, dims=2, out=None):
    """Sum of products over the last ``dims`` dims of ``a`` and the first of ``b`` (or
    over the dims listed in ``dims = (dims_a, dims_b)``)."""
    if isinstance(dims, Tensor):
        dims = dims.item() if dims.numel() == 1 else dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da = list(range(a.ndim - dims, a.ndim))
        db = list(range(dims))
    else:
        da, db = dims
        da = [da] if isinstance(da, int) else list(da)
        db = [db] if isinstance(db, int) else list(db)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    from .._tensor import wrap_dim

    da = [wrap_dim(d, a.ndim) for d in da]
    db = [wrap_dim(d, b.ndim) for d in db]
    for x, y in zip(da, db):
        sx, sy = a.shape[x], b.shape[y]
        if sx != sy:
            if sx == 1:
                a = a.sum(x, keepdim=True)
            elif sy == 1:
                b = b.sum(y, keepdim=True)
            else:
                raise RuntimeError(
                    f"contracted dimensions need to match, but first has size {sx} in dim {x} "
                    f"and second has size {sy} in dim {y}"
                )
    fa = [d for d in range(a.ndim) if d not in da]
    fb = [d for d in range(b.ndim) if d not in db]
    csize = 1
    for d in da:
        csize *= a.shape[d]
    shape_a = [a.shape[d] for d in fa]
    shape_b = [b.shape[d] for d in fb]
    pa = a.permute(*(fa + da)).reshape(-1, csize)
    pb = b.permute(*(db + fb)).reshape(csize, -1)
    return _out(_matmul(pa, pb).reshape(shape_a + shape_b), out, "tensordot")


def inner(input, other, *, out=None):
    """Sum of products over the last dims of both (a scalar operand multiplies)."""
    if input.ndim == 0 or other.ndim == 0:
        return _out(input * other, out, "inner")
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    if input.ndim == 1 and other.ndim == 1:
        if input.dtype is not other.dtype:
            raise RuntimeError("both inputs should have same dtype")
        return _out(_matmul(input, other).reshape(()), out, "inner")
    return _out(tensordot(input, other, ([-1], [-1])), out, "inner")


def kron(input, other, *, out=None):
    """Kronecker product: blocks ``input[i, j] * other``."""
    nd = max(input.ndim, other.ndim)
    sa = (1,) * (nd - input.ndim) + tuple(input.shape)
    sb = (1,) * (nd - other.ndim) + tuple(other.shape)
    ra, rb = [], []
    for x, y in zip(sa, sb):
        ra += [x, 1]
        rb += [1, y]
    prod = input.reshape(ra) * other.reshape(rb)
    return _out(_unsafe_view(prod, tuple(x * y for x, y in zip(sa, sb))), out, "kron")


class LinalgCrossBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        ga = _cross(b, g, self.dim) if nf[0][0] is not None else None
        gb = _cross(g, a, self.dim) if nf[1][0] is not None else None
        return ga, gb


def _cross(a, b, dim):
    ad, bd, _, _ = operands(a, b)
    try:
        r = np.cross(ad, bd, axis=dim)
    except ValueError:
        raise broadcast_error(ad.shape, bd.shape) from None
    res = _make(np.asarray(r, dtype=ad.dtype))
    if _state.enabled and (a._requires_grad or b._requires_grad):
        node = LinalgCrossBackward0()
        node.dim = dim
        node.save(a, b)
        _record(node, res, a, b)
    return res


def _cross_checked(input, other, dim, shown):
    from .._tensor import wrap_dim

    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype._legacy[:-6]} but found {other.dtype._legacy[:-6]}"
        )
    nd = max(input.ndim, other.ndim)
    d = wrap_dim(dim, nd)
    sa = (1,) * (nd - input.ndim) + tuple(input.shape)
    sb = (1,) * (nd - other.ndim) + tuple(other.shape)
    if sa[d] != 3 or sb[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {shown} must have length 3. Got {sa[d]} and {sb[d]}"
        )
    if input.dtype is D.bool:
        raise not_implemented("cross", input.dtype)
    return _cross(input, other, d - nd)


def cross(input, other, dim=None, *, out=None):
    """Cross product of 3-vectors along ``dim`` (without ``dim``: the first dim of size 3,
    with torch's deprecation warning)."""
    if dim is None:
        import warnings

        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\n"
            "Please either pass the dim explicitly or simply use torch.linalg.cross.\n"
            "The default value of dim will change to agree with that of linalg.cross in a "
            "future release.",
            UserWarning,
            stacklevel=2,
        )
        shape = np.broadcast_shapes(input.shape, other.shape)
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return _out(_cross_checked(input, other, dim, dim), out, "cross")


def linalg_cross(input, other, *, dim=-1, out=None):
    """``torch.linalg.cross``: operands of the same number of dims, broadcast."""
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    return _out(_cross_checked(input, other, dim, dim), out, "linalg_cross")


class CopyBackwards(Node):
    """matrix_power(A, 0): an identity copied over A's shape (no gradient for A)."""

    __slots__ = ()

    def name(self):
        return "torch::autograd::CopyBackwards"

    def apply(self, g):
        return (g * 0,)


def _square(A, fn):
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if m != n:
        raise RuntimeError(
            f"{fn}: A must be batches of square matrices, but they are {m} by {n} matrices"
        )


def matrix_power(input, n, *, out=None):
    """``input`` multiplied by itself ``n`` times (by repeated squaring as torch does it;
    ``n < 0`` inverts first, ``n == 0`` gives identities)."""
    _square(input, "linalg.matrix_power")
    if n == 0:
        eye = np.broadcast_to(np.eye(input.shape[-1], dtype=input._data.dtype), input.shape)
        res = _make(eye.copy())
        if _state.enabled and input._requires_grad:
            _record(CopyBackwards(), res, input)
        return _out(res, out, "matmul")
    a = input
    if n < 0:
        from .. import linalg

        a = linalg.inv(input)
        n = -n
    if n == 1:
        return _out(a.clone() if a is input else a, out, "matmul")
    if n == 2:
        return _out(matmul(a, a), out, "matmul")
    if n == 3:
        return _out(matmul(matmul(a, a), a), out, "matmul")
    z = result = None
    while n > 0:
        bit = n % 2
        n //= 2
        z = a if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return _out(result, out, "matmul")


def multi_dot(tensors, *, out=None):
    """The product of a chain of matrices in the cheapest order (the first may be a row
    vector and the last a column vector)."""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first, last = tensors[0], tensors[-1]
    if first.ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {first.ndim}D")
    if last.ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {last.ndim}D")
    for i in range(1, n - 1):
        if tensors[i].ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {tensors[i].ndim}D")
    dt = first.dtype
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype is not dt:
            raise RuntimeError(
                "multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                f"{_dt_name(first)} and tensor {i} {_dt_name(t)}"
            )
    out_shape = []
    if first.ndim == 2:
        out_shape.append(first.shape[0])
    if last.ndim == 2:
        out_shape.append(last.shape[1])
    mats = list(tensors)
    if first.ndim == 1:
        mats[0] = first.unsqueeze(0)
    if last.ndim == 1:
        mats[-1] = last.unsqueeze(1)
    for i in range(n - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            sa = list(tensors[i].shape)
            sb = list(tensors[i + 1].shape)
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {sa} and {sb} cannot be "
                "multiplied"
            )
    if n == 2:
        r = mm(mats[0], mats[1])
    elif n == 3:
        a, b, c = mats
        p, q, s, t = a.shape[0], b.shape[0], c.shape[0], c.shape[1]
        if p * q * s + p * s * t < q * s * t + p * q * t:
            r = mm(mm(a, b), c)
        else:
            r = mm(a, mm(b, c))
    else:
        r = _chain_order(mats)
    return _out(r.view(out_shape), out, "mm")


def _chain_order(mats):
    """The matrix-chain product in the order of least cost (dynamic programming)."""
    n = len(mats)
    p = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def product(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return mm(product(i, k), product(k + 1, j))

    return product(0, n - 1)


def chain_matmul(*matrices, out=None):
    """Deprecated torch alias of ``linalg.multi_dot`` taking the matrices as arguments."""
    import warnings

    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
        "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
        "rather than multiple parameters.",
        UserWarning,
        stacklevel=2,
    )
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return _out(matrices[0].clone(), out, "chain_matmul")
    return multi_dot(matrices, out=out)


class BlockDiagBackward0(Node):
    __slots__ = ("spans",)

    def apply(self, g):
        grads = []
        for (r0, c0, shape, nd), (fn, _) in zip(self.spans, self.next_functions):
            if fn is None:
                grads.append(None)
                continue
            rows = shape[0] if nd == 2 else 1
            cols = shape[-1] if nd >= 1 else 1
            piece = g.narrow(0, r0, rows).narrow(1, c0, cols)
            grads.append(piece.reshape(shape))
        return tuple(grads)


def block_diag(*tensors):
    """A block-diagonal matrix of the inputs (0-D and 1-D inputs are one-row blocks)."""
    from .. import _dtype as D

    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input "
                f"{i} has {t.ndim} dimensions"
            )
    if not tensors:
        return _make(np.zeros((1, 0), dtype=D._default.dtype.np))
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = D.promote_types(dt, t.dtype)
    shapes = [
        (1, 1) if t.ndim == 0 else (1, t.shape[0]) if t.ndim == 1 else t.shape for t in tensors
    ]
    r = np.zeros((sum(s[0] for s in shapes), sum(s[1] for s in shapes)), dtype=dt.np)
    spans = []
    i = j = 0
    for t, s in zip(tensors, shapes):
        r[i : i + s[0], j : j + s[1]] = t._data.reshape(s)
        spans.append((i, j, tuple(t.shape), t.ndim))
        i += s[0]
        j += s[1]
    res = _make(r)
    if _state.enabled and any(t._requires_grad for t in tensors):
        node = BlockDiagBackward0()
        node.spans = spans
        _record(node, res, *tensors)
    return res


def cartesian_prod(*tensors):
    """All combinations of the elements of 1-D tensors, one per row."""
    from .shape import stack

    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    for t in tensors[1:]:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [t.shape[0] for t in tensors]
    cols = []
    for i, t in enumerate(tensors):
        shape = [1] * len(tensors)
        shape[i] = sizes[i]
        cols.append(t.reshape(shape).expand(sizes).reshape(-1))
    return stack(cols, 1)


# ----------------------------------------------------------------------------
# vector norms


def _ord_str(p):
    if isinstance(p, float) and p.is_integer():
        return str(int(p))
    return str(p)


class LinalgVectorNormBackward0(Node):
    """d ||x||_p, torch's ``norm_backward`` (also ``NormBackward1``, the node of
    ``at::norm(x, p, dim, keepdim)``); the saved norm is this node's output."""

    __slots__ = ("p", "dims", "keepdim")

    def apply(self, g):
        x, norm = self.saved()
        if _state.enabled:  # the norm's own derivative flows through this node
            norm = Tensor._alias(norm, grad_fn=self)
        return (norm_backward(g, x, self.p, norm, self.dims, self.keepdim),)


def norm_backward(g, x, p, norm, dims, keepdim):
    """The gradient of a p-norm over ``dims`` (None: all) for incoming gradient ``g``."""
    from .pointwise import where

    nd = x.ndim
    if not keepdim and nd:
        for d in sorted(range(nd) if dims is None else dims):
            g = g.unsqueeze(d)
            norm = norm.unsqueeze(d)
    if p == 0:  # torch returns no gradient at all
        return None
    if p == 1:
        return x.sign() * g
    if p == 2:
        return g * where(norm == 0, 0.0, x / norm)
    ax = x.abs()
    if math.isinf(p):
        mask = ((ax == norm) | ax.isnan()).to(x.dtype)
        if dims == () or not nd:
            count = mask
        else:
            count = mask.sum(tuple(range(nd)) if dims is None else dims, keepdim=True)
        return x.sign() * ((g / count) * mask)
    if p < 1:
        scaled = x.sign() * where(x == 0, 0.0, ax.pow(p - 1))
        return scaled * g * norm.pow(1 - p)
    scaled = x.sign() * ax.pow(p - 1) if p < 2 else x * ax.pow(p - 2)
    return scaled * where(norm == 0, 0.0, g / norm.pow(p - 1))


def _pnorm_array(a, p, axes, keepdim):
    work = a.astype(np.float32) if a.dtype == np.float16 else a
    ad = np.abs(work)
    if p == 2:
        r = np.sqrt(np.add.reduce(work * work, axis=axes, keepdims=keepdim))
    elif p == 1:
        r = np.add.reduce(ad, axis=axes, keepdims=keepdim)
    elif p == math.inf:  # (an empty reduction is rejected before: initial is only a guard)
        r = np.max(ad, axis=axes, keepdims=keepdim, initial=0.0)
    elif p == -math.inf:
        r = np.min(ad, axis=axes, keepdims=keepdim, initial=math.inf)
    elif p == 0:
        r = np.add.reduce((work != 0).astype(work.dtype), axis=axes, keepdims=keepdim)
    else:
        r = np.add.reduce(ad**p, axis=axes, keepdims=keepdim) ** (1.0 / p)
    return np.asarray(r, dtype=a.dtype)


def _pnorm(x, p, dims, keepdim, name):
    res = _make(_pnorm_array(x._data, p, dims, keepdim))
    if _state.enabled and x._requires_grad:
        node = LinalgVectorNormBackward0()
        node._name, node.p, node.dims, node.keepdim = name, p, dims, keepdim
        res._vc = [0]  # the saved norm shares the output's version counter
        node.save(x, Tensor._alias(res))
        _record(node, res, x)
    return res


def norm_p(input, p, dim, keepdim=False):
    """``at::norm(input, p, dim, keepdim)`` (``NormBackward1``), as pairwise_distance uses it."""
    from .._tensor import wrap_dim

    if not input.dtype.is_floating_point:
        input = input.to(_default_float())
    d = wrap_dim(dim, input.ndim) if input.ndim else None
    return _pnorm(input, p, None if d is None else (d,), keepdim, "NormBackward1")


def _default_float():
    from .. import _dtype as D

    return D._default.dtype


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``torch.linalg.vector_norm``: the ``ord``-norm of ``x`` over ``dim`` (all dims when
    None): ``sum(|x|**ord) ** (1 / ord)``, max/min of ``|x|`` for ``ord = ±inf``, the count
    of non-zeros for ``ord = 0``."""
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(
            "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
            f"{type(ord).__name__}"
        )
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{x.dtype._legacy[:-6]}"
        )
    if dtype is not None:
        if not dtype.is_floating_point:
            raise RuntimeError(
                "linalg.vector_norm: dtype should be floating point or complex, but got "
                f"{dtype._legacy[:-6]}"
            )
        if dtype.itemsize < x.dtype.itemsize:
            raise RuntimeError(
                f"linalg.vector_norm: the dtype of the input ({x.dtype._legacy[:-6]}) should "
                f"be convertible without narrowing to the specified dtype "
                f"({dtype._legacy[:-6]})"
            )
        if dtype is not x.dtype:
            x = x.to(dtype)
    dims = dims_arg(dim, x.ndim)
    if ord < 0 or math.isinf(ord):
        shape = x.shape
        if dims is None and x.numel() == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on an empty tensor "
                "because the operation does not have an identity"
            )
        for d in dims or ():
            if shape[d] == 0:
                raise RuntimeError(
                    f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on the "
                    f"dimension {d}because this dimension is empty and the operation does not "
                    "have an identity"
                )
    res = _pnorm(x, float(ord), dims, keepdim, "LinalgVectorNormBackward0")
    return _out(res, out, "linalg_vector_norm")


# ----------------------------------------------------------------------------
# top-level names of the decompositions (torch.det, torch.svd...): torchless.linalg


def _la():
    from .. import linalg

    return linalg


def det(input):
    """``torch.det``: ``torch.linalg.det``."""
    return _la().det(input)


def logdet(input):
    """Log of the determinant: nan for a negative determinant (``-inf`` for zero)."""
    return _la().logdet(input)


def slogdet(input):
    """``torch.slogdet``: ``(sign, logabsdet)`` as ``torch.return_types.slogdet``."""
    return _la().slogdet(input, _name="slogdet")


def inverse(input, *, out=None):
    """``torch.inverse``: ``torch.linalg.inv``."""
    return _la().inv(input, out=out)


def pinverse(input, rcond=1e-15):
    """``torch.pinverse``: ``torch.linalg.pinv`` with relative tolerance ``rcond``."""
    return _la().pinv(input, rtol=rcond)


def svd(input, some=True, compute_uv=True, *, out=None):
    """``torch.svd``: ``(U, S, V)`` with ``V`` (not ``Vh``); ``some=False`` gives full
    square ``U`` and ``V``."""
    return _la().svd_legacy(input, some, compute_uv)


def cholesky(input, upper=False, *, out=None):
    """``torch.cholesky`` (deprecated in torch for ``torch.linalg.cholesky``)."""
    return _la().cholesky_legacy(input, upper)


def qr(input, some=True, *, out=None):
    """``torch.qr``: ``linalg.qr`` in mode ``reduced`` (``some``) or ``complete``."""
    return _la().qr(input, mode="reduced" if some else "complete", _name="qr")


def _addmm_method(input, mat1, mat2, *, beta=1, alpha=1):
    return addmm(input, mat1, mat2, beta=beta, alpha=alpha)


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "matmul": matmul,
    "mm": mm,
    "mv": mv,
    "dot": dot,
    "vdot": vdot,
    "bmm": bmm,
    "outer": outer,
    "ger": outer,
    "addmm": _addmm_method,
    "addmv": addmv,
    "addbmm": addbmm,
    "baddbmm": baddbmm,
    "inner": inner,
    "kron": kron,
    "cross": cross,
    "matrix_power": matrix_power,
    "det": det,
    "logdet": logdet,
    "slogdet": slogdet,
    "inverse": inverse,
    "pinverse": pinverse,
    "svd": svd,
    "cholesky": cholesky,
    "qr": qr,
}
