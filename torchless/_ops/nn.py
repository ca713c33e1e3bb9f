"""Neural-network functions: linear and the losses (fused where real models
spend their time)."""

from __future__ import annotations

import warnings

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import not_implemented, operands
from .linalg import addmm, einsum, matmul
from .shape import t

__all__ = ["linear", "bilinear", "mse_loss"]


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``; 2-D inputs run as one addmm, as in torch."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    wt = t(weight)
    if input.ndim == 2:
        if bias is None:
            return matmul(input, wt)
        return addmm(bias, input, wt)
    if bias is None:
        return matmul(input, wt)
    if input.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are 0D and 2D"
        )
    shape = input.shape
    flat = input.reshape(-1, shape[-1])
    return addmm(bias, flat, wt).view(*shape[:-1], weight.shape[0])


class TrilinearBackward0(Node):
    """d ``y[n, o] = x1[n, i] W[o, i, j] x2[n, j]``: one einsum per operand."""

    __slots__ = ()

    def apply(self, g):
        x1, w, x2 = self.saved()
        nf = self.next_functions
        g1 = einsum("no,oij,nj->ni", g, w, x2) if nf[0][0] is not None else None
        gw = einsum("no,ni,nj->oij", g, x1, x2) if nf[1][0] is not None else None
        g2 = einsum("no,oij,ni->nj", g, w, x1) if nf[2][0] is not None else None
        return g1, gw, g2


def bilinear(input1, input2, weight, bias=None):
    """``y = x1^T A x2 + b`` for each of ``weight``'s output features: ``input1``
    ``(*, in1)``, ``input2`` ``(*, in2)``, ``weight`` ``(out, in1, in2)``, ``bias``
    ``(out,)``; computed as torch's ``_trilinear`` on the flattened batch."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}"
        )
    for i in range(input1.ndim - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {i}: got "
                f"{input1.shape[i]} and {input2.shape[i]}"
            )
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
            f"expected {weight.shape[1]}"
        )
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
            f"expected {weight.shape[2]}"
        )
    if bias is not None and bias.shape[0] != weight.shape[0]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but "
            f"expected {weight.shape[0]}"
        )
    out_shape = tuple(input1.shape[:-1]) + (weight.shape[0],)
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    if not (x1.dtype is weight.dtype is x2.dtype):
        raise RuntimeError(
            f"expected scalar type {x1.dtype._legacy[:-6]} but found "
            f"{(weight.dtype if weight.dtype is not x1.dtype else x2.dtype)._legacy[:-6]}"
        )
    r = np.einsum("ni,oij,nj->no", x1._data, weight._data, x2._data, optimize=True)
    res = _make(np.asarray(r, dtype=x1._data.dtype))
    if _state.enabled and (x1._requires_grad or weight._requires_grad or x2._requires_grad):
        node = TrilinearBackward0()
        node.save(x1, weight, x2)
        _record(node, res, x1, weight, x2)
    out = res.reshape(out_shape)
    return out if bias is None else out + bias


_REDUCTIONS = ("none", "mean", "sum")


def _reduction(reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use reduction='"
            + _legacy(size_average, reduce)
            + "' instead.",
            UserWarning,
            stacklevel=3,
        )
        reduction = _legacy(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _legacy(size_average, reduce):
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


class MseLossBackward0(Node):
    __slots__ = ("reduction",)

    def apply(self, g):
        x, y = self.saved()
        n = x.numel()
        red = self.reduction
        norm = 2.0 / max(n, 1) if red == "mean" else 2.0  # empty input: empty gradient
        gx = (x - y) * norm * g
        nf = self.next_functions
        return (gx if nf[0][0] is not None else None), (-gx if nf[1][0] is not None else None)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: ``mean((input - target) ** 2)`` (or sum / none)."""
    reduction = _reduction(reduction, size_average, reduce)
    if not isinstance(target, Tensor):
        raise TypeError(
            f"mse_loss(): argument 'target' (position 2) must be Tensor, not "
            f"{type(target).__name__}"
        )
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    ad, bd, rd, _ = operands(input, target)
    try:
        ad, bd = np.broadcast_arrays(ad, bd)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({input.shape[-1]}) must match the size of tensor b "
            f"({target.shape[-1]}) at non-singleton dimension {max(input.ndim, target.ndim) - 1}"
        ) from None
    if not rd.is_floating_point and not rd.is_complex:
        raise not_implemented("mse_cpu", rd)
    d = np.subtract(ad, bd)
    sq = np.multiply(d, d)
    if reduction == "none":
        r = sq
    elif reduction == "sum":
        r = np.add.reduce(sq, axis=None)
    else:
        total = np.add.reduce(sq, axis=None)
        r = total / sq.dtype.type(sq.size) if sq.size else np.asarray(np.nan, sq.dtype)
    res = _make(np.asarray(r, dtype=sq.dtype))
    if _state.enabled and (input._requires_grad or target._requires_grad):
        node = MseLossBackward0()
        node.reduction = reduction
        xb = input if input.shape == sq.shape else input.expand(sq.shape)
        yb = target if target.shape == sq.shape else target.expand(sq.shape)
        node.save(xb, yb)
        _record(node, res, input, target)
    return res
