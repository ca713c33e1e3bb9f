"""Loss functions of ``torch.nn.functional``.

Where torch runs a loss as one kernel (nll_loss, smooth_l1_loss, huber_loss,
binary_cross_entropy(_with_logits), soft_margin_loss, multi_margin_loss) it is
one forward on arrays and one Node here, with torch's name; the losses torch
composes from other ops (kl_div, cosine_embedding_loss, triplet_margin_loss...)
are composed the same way, so their graphs carry the same node names.
``cross_entropy`` is log_softmax followed by nll_loss: two nodes, the hot path
of classification training.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import cast_error, not_implemented, operands
from .activation import _fmt_g, _short_name, log_softmax, logsigmoid
from .nn import _reduction
from .pointwise import _record_not_implemented, abs, exp, log, minimum, sigmoid, where

__all__ = [
    "cross_entropy",
    "nll_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "kl_div",
    "poisson_nll_loss",
    "gaussian_nll_loss",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "multilabel_soft_margin_loss",
    "multi_margin_loss",
    "triplet_margin_loss",
    "ctc_loss",
]


def _reduce(loss, reduction):
    """ATen's apply_loss_reduction."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _norm_factor(reduction, n):
    return 1.0 / n if reduction == "mean" and n else 1.0


def _not_differentiable(fn: str, arg: str, t) -> None:
    if t is not None and t._requires_grad and _state.enabled:
        raise RuntimeError(
            f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This "
            "input cannot have requires_grad True."
        )


def _broadcast_shape(s1, s2) -> tuple:
    """torch.broadcast_shapes for two shapes, with torch's error."""
    n = max(len(s1), len(s2))
    out = []
    for i in range(n - 1, -1, -1):
        o1, o2 = i - n + len(s1), i - n + len(s2)
        d1 = s1[o1] if o1 >= 0 else 1
        d2 = s2[o2] if o2 >= 0 else 1
        if d1 != d2 and d1 != 1 and d2 != 1:
            raise RuntimeError(
                f"The size of tensor a ({d1}) must match the size of tensor b ({d2}) at "
                f"non-singleton dimension {i}"
            )
        out.append(d1 if d2 == 1 else d2)
    return tuple(reversed(out))


def _broadcast_tensors(a, b):
    shape = _broadcast_shape(a._data.shape, b._data.shape)
    if a._data.shape != shape:
        a = a.expand(shape)
    if b._data.shape != shape:
        b = b.expand(shape)
    return a, b


def _size_warning(input, target) -> None:
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


# ----------------------------------------------------------------------------
# the scalar forms ATen's composite losses record (Tensor op Scalar)


class AddBackward1(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


class SubBackward1(AddBackward1):
    __slots__ = ()


class MulBackward1(Node):
    __slots__ = ("other",)

    def apply(self, g):
        return (_mul_scalar(g, self.other),)


class DivBackward1(Node):
    __slots__ = ("other",)

    def apply(self, g):
        return (_div_scalar(g, self.other),)


def _scalar_op(t, fn, s, node_cls):
    a, s, _, _ = operands(t, s)  # an integral tensor with a float scalar gives a float
    res = _make(np.asarray(fn(a, s), dtype=a.dtype))
    if _state.enabled and t._requires_grad:
        node = node_cls()
        if node_cls is MulBackward1 or node_cls is DivBackward1:
            node.other = s
        _record(node, res, t)
    return res


def _add_scalar(t, s):
    return _scalar_op(t, np.add, s, AddBackward1)


def _sub_scalar(t, s):
    return _scalar_op(t, np.subtract, s, SubBackward1)


def _mul_scalar(t, s):
    return _scalar_op(t, np.multiply, s, MulBackward1)


def _div_scalar(t, s):
    return _scalar_op(t, np.true_divide, s, DivBackward1)


class ClampMinBackward0(Node):
    __slots__ = ("min",)

    def apply(self, g):
        (x,) = self.saved()
        return (where(x >= self.min, g, 0.0),)


def _clamp_min(t, m):
    a = t._data
    res = _make(np.maximum(a, a.dtype.type(m)))
    if _state.enabled and t._requires_grad:
        node = ClampMinBackward0()
        node.min = m
        node.save(t)
        _record(node, res, t)
    return res


class MaskedFillBackward0(Node):
    __slots__ = ("mask",)

    def apply(self, g):
        return (where(self.mask, 0.0, g),)


def _masked_fill(t, mask, value):
    r = t._data.copy()
    r[np.broadcast_to(mask._data, r.shape)] = value
    res = _make(r)
    if _state.enabled and t._requires_grad:
        node = MaskedFillBackward0()
        node.mask = mask
        _record(node, res, t)
    return res


class XlogyBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        x, y = self.saved()
        nf = self.next_functions
        gx = g * _xlogy((x != 0).to(x.dtype), y) if nf[0][0] is not None else None
        gy = g * x / y if nf[1][0] is not None else None
        return gx, gy


def _xlogy(x, y):
    """``x * log(y)``, 0 where x == 0 (nan where y is nan)."""
    xa, ya, _, _ = operands(x, y)
    r = np.where(np.isnan(ya), np.nan, np.where(xa == 0, 0.0, xa * np.log(ya)))
    res = _make(np.asarray(r, dtype=np.result_type(xa, ya)))
    if _state.enabled and (x._requires_grad or y._requires_grad):
        node = XlogyBackward0()
        node.save(x, y)
        _record(node, res, x, y)
    return res


class NormBackward1(Node):
    __slots__ = ("p", "dim")

    def apply(self, g):
        (x,) = self.saved()
        p, d = self.p, self.dim
        n = _norm(x, p, d).unsqueeze(d)  # recomputed: it must stay differentiable in x
        g = g.unsqueeze(d)
        if p == 2:
            r = x * (g / n)
            return (where(n == 0, 0.0, r),)
        if p == 1:
            return (x.sign() * g,)
        if p == 0:
            return (_make(np.zeros_like(x._data)),)
        if math.isinf(p):
            ax = abs(x)
            hit = (ax == n).to(x.dtype)
            return (x.sign() * hit * (g / hit.sum(d, keepdim=True)),)
        r = x * abs(x) ** (p - 2) * (g / n ** (p - 1))
        return (where(n == 0, 0.0, r),)


def _norm(x, p, dim):
    """The p-norm over one dim (as at::norm(x, p, dim))."""
    a = x._data
    ad = np.abs(a)
    if p == 2:
        r = np.sqrt(np.sum(a * a, axis=dim))
    elif p == 1:
        r = np.sum(ad, axis=dim)
    elif math.isinf(p):
        r = np.max(ad, axis=dim) if p > 0 else np.min(ad, axis=dim)
    elif p == 0:
        r = np.sum(ad != 0, axis=dim).astype(a.dtype)
    else:
        r = np.sum(ad**p, axis=dim) ** (1.0 / p)
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and x._requires_grad:
        node = NormBackward1()
        node.p, node.dim = p, dim
        node.save(x)
        _record(node, res, x)
    return res


def _full_like(t, value):
    return _make(np.full(t._data.shape, value, dtype=t._data.dtype))


# ----------------------------------------------------------------------------
# a loss's input gradient as one op of its own (torch's ``<loss>_backward``)


class _LossGradBackward(Node):
    """Node of a loss gradient op ``fwd.d1(g, *inputs)``. The op is linear in the
    incoming gradient ``g``, so its gradient for ``g`` is the same op; ``fwd.d2``
    gives those for the inputs, with Tensor ops."""

    __slots__ = ("fwd",)

    def name(self) -> str:
        return self.fwd._bb_name

    def apply(self, h):
        g, *ins = self.saved()
        nf = self.next_functions
        gg = _loss_grad(self.fwd, h, *ins) if nf[0][0] is not None else None
        rest = self.fwd.d2(h, g, *ins)
        return (gg, *(r if e[0] is not None else None for r, e in zip(rest, nf[1:])))


def _loss_grad(node, g, *ins):
    arrs = [t._data for t in ins]
    r = node.d1(g._data, *arrs)
    res = _make(np.asarray(r, dtype=np.result_type(*arrs)))
    if _state.enabled and (g._requires_grad or any(t._requires_grad for t in ins)):
        if node._bb_name is None:  # torch has no derivative for this gradient
            _record_not_implemented(node._op, res, *ins)
        else:
            b = _LossGradBackward()
            b.fwd = node
            b.save(g, *ins)
            _record(b, res, g, *ins)
    return res


# ----------------------------------------------------------------------------
# nll_loss: one gather along the class dim; its gradient one scatter


class _NllPlan:
    """What a target decides, shared by the forward and every derivative: the
    class index per position (0 where ignored), its weight (0 where ignored),
    their total and where targets were ignored."""

    __slots__ = ("ts", "wt", "ignored", "total", "reduction", "batched", "shape", "error")


class NllLossBackward0(Node):
    __slots__ = ("plan",)

    _bb = "NllLossBackwardBackward0"

    def apply(self, g):
        (x,) = self.saved()
        return (_nll_backward(g, x, self),)


class NllLoss2DBackward0(NllLossBackward0):
    __slots__ = ()
    _bb = "NllLoss2DBackwardBackward0"


class NllLossBackwardBackward0(Node):
    """The gradient of nll_loss is linear in the incoming gradient: its own
    gradient is nll_loss again, of the gradient flowing back."""

    __slots__ = ("plan", "fwd")

    def name(self) -> str:
        return self.fwd._bb

    def apply(self, h):
        nf = self.next_functions
        gg = _nll_apply(h, self.plan, type(self.fwd)) if nf[0][0] is not None else None
        gx = _make(np.zeros(self.plan.shape, h.dtype.np)) if nf[1][0] is not None else None
        return gg, gx


def _nll_plan(input, target, weight, reduction, ignore_index):
    a = input._data
    t = target._data
    batched = a.ndim > 1
    if not batched:
        t = t.reshape(1)
    n_classes = a.shape[1] if batched else a.shape[0]
    t = t.astype(np.int64, copy=False)
    valid = t != ignore_index
    all_valid = bool(valid.all())
    ts = t if all_valid else np.where(valid, t, 0)
    if ts.size and not (0 <= ts.min() and ts.max() < n_classes):
        bad = ts[(ts < 0) | (ts >= n_classes)]
        raise IndexError(f"Target {int(bad.flat[0])} is out of bounds.")
    if weight is None:
        wt = np.ones(ts.shape, dtype=a.dtype) if all_valid else valid.astype(a.dtype)
    else:
        wt = weight._data[ts]
        if not all_valid:
            wt = np.where(valid, wt, wt.dtype.type(0))
    plan = _NllPlan()
    plan.ts, plan.wt, plan.reduction, plan.batched = ts, wt, reduction, batched
    plan.ignored = None if all_valid else ~valid
    plan.total = wt.sum() if reduction == "mean" else None
    plan.shape = a.shape
    plan.error = None
    return plan


def _pick(a, ts):
    """``a[n, ts[n, ...], ...]``: one value per position along the class dim."""
    if a.ndim == 2:
        return a[np.arange(a.shape[0]), ts]
    return np.take_along_axis(a, ts[:, None], axis=1)[:, 0]


def _nll_apply(x, plan, node_cls):
    """nll_loss of ``x`` (class dim 1, or 0 when unbatched) under ``plan``."""
    a = x._data
    if not plan.batched:
        a = a.reshape(1, -1)
    loss = _pick(a, plan.ts) * plan.wt
    red = plan.reduction
    if red == "none":
        r = np.negative(loss)
        if plan.ignored is not None:
            r[plan.ignored] = 0
        if not plan.batched:
            r = r.reshape(())
    elif red == "sum":
        r = -loss.sum()
    else:
        r = -loss.sum() / plan.total
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and x._requires_grad:
        node = node_cls()
        node.plan = plan
        node.save(x)
        _record(node, res, x)
    return res


def _nll_backward(g, x, fwd):
    """The gradient of nll_loss for incoming ``g``: ``-weight[t] * g`` (over the
    total weight for 'mean') at each target class, zero elsewhere."""
    plan = fwd.plan
    if plan.error is not None:
        raise RuntimeError(plan.error)
    ga = g._data
    shape = plan.shape if plan.batched else (1, plan.shape[0])
    wt = plan.wt
    if plan.reduction == "none":
        vals = -(wt * ga.reshape(wt.shape))
    elif plan.reduction == "sum":
        vals = wt * -ga
    else:
        vals = wt * (-ga / plan.total)
    if plan.ignored is not None:
        vals[plan.ignored] = 0
    grad = np.zeros(shape, dtype=wt.dtype)
    ts = plan.ts
    if grad.ndim == 2:
        grad[np.arange(shape[0]), ts] = vals
    else:
        np.put_along_axis(grad, ts[:, None], vals[:, None], axis=1)
    res = _make(grad.reshape(plan.shape))
    if _state.enabled and (g._requires_grad or x._requires_grad):
        node = NllLossBackwardBackward0()
        node.plan, node.fwd = plan, fwd
        _record(node, res, g, x)
    return res


def _check_nll_dtypes(input, target, weight, fn):
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_short_name(target.dtype)}"
        )
    if weight is not None:
        if weight.dtype is not input.dtype:
            raise RuntimeError(
                f"expected scalar type {_short_name(input.dtype)} but found "
                f"{_short_name(weight.dtype)}"
            )
        _not_differentiable(fn, "weight", weight)


def _nll_loss(input, target, weight, reduction, ignore_index, backward_error=None):
    """nll_loss for 1-D or 2-D input."""
    xs, ts = input._data.shape, target._data.shape
    if len(ts) > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    no_batch = len(xs) == 1 and len(ts) == 0
    if not (no_batch or xs[0] == ts[0]):
        raise RuntimeError(f"size mismatch (got input: {list(xs)}, target: {list(ts)})")
    n_classes = xs[-1]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )
    _check_nll_dtypes(input, target, weight, "nll_loss_forward")
    plan = _nll_plan(input, target, weight, reduction, ignore_index)
    plan.error = backward_error
    return _nll_apply(input, plan, NllLossBackward0)


def _nll_loss2d(input, target, weight, reduction, ignore_index):
    if target.ndim != 3:
        raise RuntimeError(
            "only batches of spatial targets supported (3D tensors) but got targets of "
            f"dimension: {target.ndim}"
        )
    if input.ndim != 4:
        raise RuntimeError(
            "only batches of spatial inputs supported (4D tensors), but got input of "
            f"dimension: {input.ndim}"
        )
    if weight is not None and weight.numel() != input.shape[1]:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    s = input.shape
    if (s[0], s[2], s[3]) != tuple(target.shape):
        raise RuntimeError(f"size mismatch (got input: {list(s)} , target: {list(target.shape)}")
    _check_nll_dtypes(input, target, weight, "nll_loss2d_forward")
    plan = _nll_plan(input, target, weight, reduction, ignore_index)
    return _nll_apply(input, plan, NllLoss2DBackward0)


def _nll_loss_nd(input, target, weight, reduction, ignore_index):
    xs, ts = input._data.shape, target._data.shape
    nd = len(xs)
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and xs[0] != (ts[0] if ts else 0):
        raise ValueError(
            f"Expected input batch_size ({xs[0]}) to match target batch_size "
            f"({ts[0] if ts else 0})."
        )
    if nd == 1 and len(ts) == 1:
        if ts[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {ts[0]}"
            )
        # torch computes this case forward, and refuses it in backward
        err = f"size mismatch (got input: {list(input.shape)}, target: {list(target.shape)})"
        return _nll_loss(input, target.reshape(()), weight, reduction, ignore_index, err)
    if nd <= 2:
        return _nll_loss(input, target, weight, reduction, ignore_index)
    if nd == 4:
        return _nll_loss2d(input, target, weight, reduction, ignore_index)
    n, c = input.shape[0], input.shape[1]
    out_size = [n, *input.shape[2:]]
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {out_size}, got {list(target.shape)}")
    x = input.contiguous()
    t = target.contiguous()
    x = x.view(n, c, 1, -1) if x.numel() > 0 else x.view(n, c, 0, 0)
    t = t.view(n, 1, -1) if t.numel() > 0 else t.view(n, 0, 0)
    out = _nll_loss2d(x, t, weight, reduction, ignore_index)
    return out.view(out_size) if reduction == "none" else out


def nll_loss(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
):
    """Negative log likelihood of class-index targets: ``-input[n, target[n]]``
    (times ``weight[target[n]]``), averaged over the non-ignored targets'
    weights, summed, or per element.

    Shape:
        input ``(C)``, ``(N, C)`` or ``(N, C, d1, ..., dK)`` of log-probabilities;
        target ``()``, ``(N)`` or ``(N, d1, ..., dK)`` of class indices.
    """
    reduction = _reduction(reduction, size_average, reduce)
    return _nll_loss_nd(input, target, weight, reduction, ignore_index)


# ----------------------------------------------------------------------------
# cross_entropy


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Cross entropy between logits and class indices (log_softmax then
    nll_loss) or class probabilities (a target of the input's shape), with
    optional class ``weight``, ``ignore_index`` and ``label_smoothing``."""
    reduction = _reduction(reduction, size_average, reduce)
    class_dim = 0 if input._data.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{_short_name(target.dtype)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        _check_smoothing(label_smoothing)
        return _cross_entropy_smoothed(
            input, target, weight, reduction, ignore_index, label_smoothing, class_dim
        )
    logp = log_softmax(input, class_dim)
    return _nll_loss_nd(logp, target, weight, reduction, ignore_index)


def _check_smoothing(ls):
    if ls > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {_fmt_g(ls)}")


def _class_view(weight, ndim, class_dim):
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)


def _cross_entropy_probs(input, target, weight, reduction, ls, class_dim):
    n_classes = input.shape[class_dim]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {n_classes} "
            f"classes or no classes but got weight tensor of shape: {list(weight.shape)}"
        )
    logp = log_softmax(input, class_dim)
    if ls > 0.0:
        _check_smoothing(ls)
        target = _add_scalar(_mul_scalar(target, 1 - ls), ls / n_classes)
    prod = logp * target
    if weight is not None:
        prod = prod * _class_view(weight, logp.ndim, class_dim)
    if reduction == "mean":
        if input.numel() == 0:
            return -prod.sum().fill_(math.nan)
        return _div_scalar(-prod.sum(), input.numel() // n_classes)
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum(class_dim)


def _cross_entropy_smoothed(input, target, weight, reduction, ignore_index, ls, class_dim):
    logp = log_softmax(input, class_dim)
    nll = _nll_loss_nd(logp, target, weight, reduction, ignore_index)
    n_classes = logp.shape[class_dim]
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _class_view(weight, logp.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = _masked_fill(smooth, ignore_mask, 0.0)
    if reduction == "mean":
        keep = ~ignore_mask._data
        if weight is not None:
            picked = weight._data[target._data[keep].reshape(-1)]
            ret = smooth.sum() / _make(np.asarray(picked.sum(), dtype=picked.dtype))
        else:
            ret = smooth.sum() / _make(np.asarray(keep.sum(), dtype=np.int64))
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return _mul_scalar(nll, 1 - ls) + _mul_scalar(ret, ls / n_classes)


# ----------------------------------------------------------------------------
# l1, smooth_l1, huber


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum, or elementwise) absolute error ``|input - target|``."""
    _size_warning(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction(reduction, size_average, reduce)
    x, y = _broadcast_tensors(input, target)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        err = abs(x - y) * weight
        if reduction == "none":
            return err
        if reduction == "sum":
            return err.sum()
        if reduction == "mean":
            return err.sum() / weight.sum()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    reduction = _reduction(reduction)
    return _reduce(abs(x - y), reduction)


class _PairLossBackward(Node):
    """A loss of ``d = input - target`` elementwise. The input's gradient is the
    op ``d1(g, input, target)``; the target's is the same op with the two
    swapped (``d1`` is odd in ``d``)."""

    __slots__ = ("reduction", "param", "norm")

    def apply(self, g):
        x, y = self.saved()
        nf = self.next_functions
        gx = _loss_grad(self, g, x, y) if nf[0][0] is not None else None
        gy = _loss_grad(self, g, y, x) if nf[1][0] is not None else None
        return gx, gy

    def d2(self, h, g, a, b):
        inside = (abs(a - b) < self.param).to(h.dtype)
        ga = h * g * inside * (self.norm / self.scale2())
        return ga, -ga


class SmoothL1LossBackward0(_PairLossBackward):
    __slots__ = ()
    _bb_name = "SmoothL1LossBackwardBackward0"

    def d1(self, g, a, b):
        d, beta, norm = a - b, self.param, self.norm
        return np.where(d < -beta, -norm * g, np.where(d > beta, norm * g, norm * d * g / beta))

    def scale2(self):
        return self.param


class HuberLossBackward0(_PairLossBackward):
    __slots__ = ()
    _bb_name = "HuberLossBackwardBackward0"

    def d1(self, g, a, b):
        d, delta, norm = a - b, self.param, self.norm
        return np.where(
            d < -delta, -norm * g * delta, np.where(d > delta, norm * g * delta, norm * d * g)
        )

    def scale2(self):
        return 1.0


def _pair_loss(input, target, reduction, param, fn, node_cls, kernel):
    x, y = _broadcast_tensors(input, target)
    xa, ya, rd, _ = operands(x, y)
    if kernel == "huber_cpu":  # written into a tensor like the input
        if rd.is_floating_point and not input.dtype.is_floating_point:
            raise cast_error(rd, input.dtype)
        rd = input.dtype
    if not rd.is_floating_point:
        raise not_implemented(kernel, rd)
    loss = fn(np.abs(xa - ya), param)
    res = _make(np.asarray(_reduce_array(loss, reduction).astype(rd.np, copy=False)))
    if _state.enabled and (x._requires_grad or y._requires_grad):
        node = node_cls()
        node.reduction, node.param = reduction, param
        node.norm = _norm_factor(reduction, loss.size)
        node.save(x, y)
        _record(node, res, x, y)
    return res


def _smooth_l1(z, beta):
    return np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)


def _huber(z, delta):
    return np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Squared error below ``beta`` (scaled by ``1/beta``), absolute error above."""
    _size_warning(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    if beta == 0.0:
        x, y = _broadcast_tensors(input, target)
        return _reduce(abs(x - y), reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _pair_loss(
        input, target, reduction, beta, _smooth_l1, SmoothL1LossBackward0, "smooth_l1_cpu"
    )


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Squared error below ``delta``, ``delta``-scaled absolute error above."""
    _size_warning(input, target)
    if weight is None:
        reduction = _reduction(reduction)
        _check_delta(delta)
        return _pair_loss(input, target, reduction, delta, _huber, HuberLossBackward0, "huber_cpu")
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    _check_delta(delta)
    loss = _pair_loss(input, target, "none", delta, _huber, HuberLossBackward0, "huber_cpu")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    raise ValueError(
        f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
    )


def _check_delta(delta):
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")


# ----------------------------------------------------------------------------
# binary cross entropy

_BCE_EPS = 1e-12
_BCE_EPS_F = float(np.float32(1e-12))  # the first derivative clamps at 1e-12 rounded to float


class BinaryCrossEntropyBackward0(Node):
    __slots__ = ("reduction", "weight")
    _bb_name = "BinaryCrossEntropyBackwardBackward0"

    def apply(self, g):
        x, t = self.saved()
        w = self.weight
        nf = self.next_functions
        gx = _loss_grad(self, g, x, t) if nf[0][0] is not None else None
        gt = None
        if nf[1][0] is not None:  # composite in torch: -logit(x) * g (* w) (/ n)
            gt = -log(x / (1.0 - x)) * g
            if w is not None:
                gt = gt * w
            if self.reduction == "mean":
                gt = _div_scalar(gt, t.numel())
        return gx, gt

    def d1(self, g, x, t):
        r = g * (x - t) / np.maximum((1 - x) * x, _BCE_EPS_F)
        if self.weight is not None:
            r = r * self.weight._data
        if self.reduction == "mean":
            r = r / x.size
        return r

    def d2(self, h, g, x, t):
        w = self.weight
        gx = (x * x - 2.0 * x * t + t) / ((x + _BCE_EPS) ** 2 * ((1.0 - x) + _BCE_EPS) ** 2)
        gx = gx * (h * g)
        gt = -h * g
        if w is not None:
            gx, gt = gx * w, gt * w
        gt = gt / ((1.0 - x) * x).clamp(min=_BCE_EPS)
        if self.reduction == "mean":
            gx, gt = gx / x.numel(), gt / x.numel()
        return gx, gt


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """``-w * (t * log(x) + (1 - t) * log(1 - x))`` for probabilities ``x``; each
    log is clamped at -100, as in torch."""
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        shape = _broadcast_shape(target._data.shape, weight._data.shape)
        weight = weight.expand(shape)
        if shape != input._data.shape:
            raise RuntimeError(
                f"output with shape {list(input.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
        _not_differentiable("binary_cross_entropy", "weight", weight)
    if target.dtype is not input.dtype:
        raise RuntimeError(
            f"Found dtype {_short_name(target.dtype)} but expected {_short_name(input.dtype)}"
        )
    if not input.dtype.is_floating_point:
        raise not_implemented("binary_cross_entropy", input.dtype)
    x, t = input._data, target._data
    if not np.all((x >= 0) & (x <= 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if not np.all((t >= 0) & (t <= 1)):
        raise RuntimeError("all elements of target should be between 0 and 1")
    lo = x.dtype.type(-100)
    loss = (t - 1) * np.maximum(np.log1p(-x), lo) - t * np.maximum(np.log(x), lo)
    if weight is not None:
        loss = loss * weight._data.astype(x.dtype, copy=False)
    res = _make(np.asarray(_reduce_array(loss, reduction), dtype=x.dtype))
    if _state.enabled and (input._requires_grad or target._requires_grad):
        node = BinaryCrossEntropyBackward0()
        node.reduction, node.weight = reduction, weight
        node.save(input, target)
        _record(node, res, input, target)
    return res


def _reduce_array(a, reduction):
    if reduction == "sum":
        return a.sum()
    if reduction == "mean":
        return a.sum() / a.dtype.type(a.size) if a.size else a.dtype.type("nan")
    return a


class BinaryCrossEntropyWithLogitsBackward0(Node):
    """Both gradients are composite in torch, in this order of ops."""

    __slots__ = ("reduction", "weight", "pos_weight")

    def apply(self, g):
        x, t = self.saved()
        w, pw = self.weight, self.pos_weight
        nf = self.next_functions
        gx = gt = None
        if nf[0][0] is not None:
            if pw is None:
                gx = (sigmoid(x) - t) * g
            else:
                tpw = pw * t
                gx = ((tpw + 1.0 - t) * sigmoid(x) - tpw) * g
            gx = self._finish(gx, w, x)
        if nf[1][0] is not None:
            if pw is None:
                gt = -x * g
            else:
                gt = (logsigmoid(-x) - logsigmoid(x) * pw) * g
            gt = self._finish(gt, w, x)
        return gx, gt

    def _finish(self, r, w, x):
        if w is not None:
            r = r * w
        if self.reduction == "mean":
            r = _div_scalar(r, x.numel())
        return r


def binary_cross_entropy_with_logits(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
    pos_weight=None,
):
    """Binary cross entropy of ``sigmoid(input)``, computed stably from the
    logits; ``pos_weight`` weighs the positive term per class."""
    reduction = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    _not_differentiable("binary_cross_entropy_with_logits", "weight", weight)
    _not_differentiable("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    if not input.dtype.is_floating_point:
        raise not_implemented("log_sigmoid_cpu", input.dtype)
    if target.dtype is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if not target.dtype.is_floating_point:
        raise cast_error(input.dtype, target.dtype)
    xa, ta, _, _ = operands(input, target)
    xd = input.dtype.np  # log_sigmoid(input), weighted in place, keeps the input's dtype
    ls = (np.minimum(xa, 0) - np.log1p(np.exp(-np.abs(xa)))).astype(xd, copy=False)
    if pos_weight is not None:
        _broadcast_shape(pos_weight._data.shape, ta.shape)
        ls = (ls * ((pos_weight._data - 1) * ta + 1)).astype(xd, copy=False)
    loss = (1 - ta) * xa - ls
    if weight is not None:
        shape = _broadcast_shape(loss.shape, weight._data.shape)
        if shape != xa.shape:
            raise RuntimeError(
                f"output with shape {list(xa.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
        loss = loss * weight._data
    dt = target.dtype.np  # the loss is computed in place in ``1 - target``
    res = _make(np.asarray(_reduce_array(loss.astype(dt, copy=False), reduction), dtype=dt))
    if _state.enabled and (input._requires_grad or target._requires_grad):
        node = BinaryCrossEntropyWithLogitsBackward0()
        node.reduction, node.weight, node.pos_weight = reduction, weight, pos_weight
        node.save(input, target)
        _record(node, res, input, target)
    return res


# ----------------------------------------------------------------------------
# kl_div, poisson_nll_loss, gaussian_nll_loss


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence of ``target`` from ``input`` (log-probabilities):
    ``target * (log(target) - input)``; ``reduction='batchmean'`` divides the sum by
    the batch size."""
    if size_average is not None or reduce is not None:
        red = _reduction(reduction, size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the "
                "support size.'batchmean' divides only by the batch size, and aligns with the "
                "KL div math definition.'mean' will be changed to behave the same as "
                "'batchmean' in the next major release.",
                UserWarning,
                stacklevel=2,
            )
        red = "sum" if reduction == "batchmean" else _reduction(reduction)
    if any(not (t.dtype.is_floating_point or t.dtype.is_complex) for t in (input, target)):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = exp(target) * (target - input)
    else:
        loss = _xlogy(target, target) - target * input
    out = _reduce(loss, red)
    if reduction == "batchmean" and input.ndim != 0:
        out = out / input.shape[0]
    return out


def poisson_nll_loss(
    input,
    target,
    log_input=True,
    full=False,
    size_average=None,
    eps=1e-8,
    reduce=None,
    reduction="mean",
):
    """Negative log likelihood of a Poisson target: ``exp(input) - target * input``
    (or ``input - target * log(input + eps)``), with Stirling's term if ``full``."""
    reduction = _reduction(reduction, size_average, reduce)
    if log_input:
        loss = exp(input) - target * input
    else:
        loss = input - target * log(_add_scalar(input, eps))
    if full:
        tf = target if target.dtype.is_floating_point else target.float()
        stirling = tf * log(tf) - tf + _mul_scalar(log(_mul_scalar(tf, 2 * math.pi)), 0.5)
        loss = loss + _masked_fill(stirling, target <= 1, 0.0)
    return _reduce(loss, reduction)


# the C type names torch's scalar checks print
_C_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
}


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log likelihood of ``target`` under a Gaussian of mean ``input`` and
    variance ``var`` (a tensor of the input's shape, one dim short of it, or
    broadcastable in one dim; or a float)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        from .creation import ones_like

        var = ones_like(input) * var
    elif bool(np.any(var._data < 0)):
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and (
            sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1
        ):
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if not var.dtype.is_floating_point and isinstance(eps, float):
        raise RuntimeError(
            f"result type {D._default.dtype._legacy[:-6]} can't be cast to the desired output "
            f"type {_C_NAMES.get(var.dtype.name, var.dtype.name)}"
        )
    var = var.clone()
    np.maximum(var._data, eps, out=var._data)  # clamped outside autograd, as torch does
    var._bump()
    loss = (log(var) + (input - target) ** 2 / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


# ----------------------------------------------------------------------------
# margin losses


def cosine_embedding_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """``1 - cos(x1, x2)`` where target is 1, ``max(0, cos(x1, x2) - margin)`` where
    it is -1."""
    reduction = _reduction(reduction, size_average, reduce)
    td = target.ndim
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        raise RuntimeError(
            "1D target tensor expects 2D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}."
        )
    if td == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        raise RuntimeError(
            "0D target tensor expects 1D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}."
        )
    eps = 1e-12
    prod_sum = (input1 * input2).sum(td)
    mag1 = _add_scalar((input1 * input1).sum(td), eps)
    mag2 = _add_scalar((input2 * input2).sum(td), eps)
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = _full_like(cos, 0)
    pos = _full_like(cos, 1) - cos
    neg = _clamp_min(_sub_scalar(cos, margin), 0)
    out = where(target == 1, pos, zeros) + where(target == -1, neg, zeros)
    return _reduce(out, reduction)


def margin_ranking_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """``max(0, -target * (input1 - input2) + margin)``."""
    reduction = _reduction(reduction, size_average, reduce)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got "
            f"sizes: input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} "
        )
    diff = input1 - input2
    out = _clamp_min(_add_scalar(-target * diff, float(margin)), 0)
    return _reduce(out, reduction)


def hinge_embedding_loss(
    input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"
):
    """``x`` where target is 1, ``max(0, margin - x)`` where it is -1."""
    reduction = _reduction(reduction, size_average, reduce)
    zeros = _full_like(input, 0)
    margin_clamp = _clamp_min(_full_like(input, margin) - input, 0)
    out = where(target != 1, margin_clamp, zeros) + where(target != -1, input, zeros)
    return _reduce(out, reduction)


class SoftMarginLossBackward0(Node):
    __slots__ = ("reduction", "target", "norm")
    _bb_name = "SoftMarginLossBackwardBackward0"

    def apply(self, g):
        (x,) = self.saved()
        return (_loss_grad(self, g, x),)

    def d1(self, g, x):
        t = self.target._data
        z = np.exp(-t * x)
        return -t * z / (1.0 + z) * self.norm * g

    def d2(self, h, g, x):
        t = self.target
        z = exp(-t * x)
        return (h * (t * t) * z / ((z + 1.0) * (z + 1.0)) * self.norm * g,)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target * input))``."""
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable("soft_margin_loss", "target", target)
    if input.dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if not input.dtype.is_floating_point:
        rd = D.promote_types(input.dtype, target.dtype)
        raise cast_error(rd if rd.is_floating_point else D._default.dtype, input.dtype)
    xa, ta, _, _ = operands(input, target)
    _broadcast_shape(xa.shape, ta.shape)
    loss = np.log1p(np.exp(-ta * xa))
    dt = input.dtype.np  # computed in place in the input's dtype
    res = _make(np.asarray(_reduce_array(loss.astype(dt, copy=False), reduction), dtype=dt))
    if _state.enabled and input._requires_grad:
        node = SoftMarginLossBackward0()
        node.reduction = reduction
        node.target = target.detach()
        node.norm = _norm_factor(reduction, input.numel())
        node.save(input)
        _record(node, res, input)
    return res


def multilabel_soft_margin_loss(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """Per sample, the mean over classes of the binary logistic loss."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(reduction, size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input.shape[class_dim]
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


class MultiMarginLossBackward0(Node):
    __slots__ = ("p", "margin", "reduction", "t", "wy")
    _bb_name = None  # torch has no derivative for multi_margin_loss_backward
    _op = "multi_margin_loss_backward"

    def apply(self, g):
        (x,) = self.saved()
        return (_loss_grad(self, g, x),)

    def d1(self, g, x):
        t, wy = self.t, self.wy
        n, c = wy.shape[0], x.size // max(wy.shape[0], 1)
        a = x.reshape(n, c)
        rows = np.arange(n)
        z = a - a[rows, t][:, None] + self.margin
        active = z > 0
        active[rows, t] = False
        coef = np.where(active, z * 2 if self.p == 2 else 1, 0) * (wy / c)
        if self.reduction == "none":
            gx = coef * g.reshape(n, 1)
        else:
            gx = coef * (g / n if self.reduction == "mean" and n else g)
        gx[rows, t] = -gx.sum(1)
        return gx.reshape(x.shape)


def multi_margin_loss(
    input,
    target,
    p=1,
    margin=1.0,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """Multi-class hinge loss: per sample, the mean over classes ``i != y`` of
    ``max(0, margin - x[y] + x[i]) ** p`` (times ``weight[y]``)."""
    reduction = _reduction(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    nd = input.ndim
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError(
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(input.shape)}"
        )
    nframe = 1 if nd <= 1 else input.shape[0]
    dim = 1 if nd == 0 else input.shape[-1]
    if target.ndim > 1 or target.numel() != nframe:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{nframe}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}."
        )
    if weight is not None:
        if weight.numel() != dim:
            raise RuntimeError(
                f"inconsistent weight size, expected {dim} but got {list(weight.shape)}"
            )
        _not_differentiable("multi_margin_loss", "weight", weight)
    if input.dtype not in (D.float32, D.float64):
        raise not_implemented("multi_margin_loss_cpu_kernel", input.dtype)
    a = input._data.reshape(nframe, dim)
    t = target._data.reshape(nframe).astype(np.int64, copy=False)
    if t.size and (t.min() < 0 or t.max() >= dim):
        raise RuntimeError("target out of range")
    onehot = np.zeros((nframe, dim), dtype=a.dtype)
    onehot[np.arange(nframe), t] = 1
    xy = a[np.arange(nframe), t][:, None]
    z = np.maximum(a - xy + a.dtype.type(margin), 0)
    z[onehot == 1] = 0
    h = z * z if p == 2 else z
    wy = np.ones((nframe, 1), a.dtype) if weight is None else weight._data[t][:, None]
    per = (h * wy).sum(1) / a.dtype.type(dim)
    if reduction == "none":
        r = per.reshape(target.shape)
    else:
        r = _reduce_array(per, reduction)
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and input._requires_grad:
        node = MultiMarginLossBackward0()
        node.p, node.margin, node.reduction = p, margin, reduction
        node.t, node.wy = t, wy
        node.save(input)
        _record(node, res, input)
    return res


def _pairwise_distance(x1, x2, p, eps):
    dim = max(x1.ndim, x2.ndim) - 1
    return _norm(_add_scalar(x1 - x2, eps), p, dim)


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin=1.0,
    p=2,
    eps=1e-6,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """``max(0, margin + d(anchor, positive) - d(anchor, negative))`` with ``d`` the
    p-norm distance along the last dim (``swap`` uses the closer of the negative's
    distances)."""
    reduction = _reduction(reduction, size_average, reduce)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not (a == pd == nd):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a}D, positive {pd}D, and negative {nd}D inputs"
        )
    d_pos = _pairwise_distance(anchor, positive, p, eps)
    d_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, _pairwise_distance(positive, negative, p, eps))
    out = _clamp_min(_add_scalar(d_pos, margin) - d_neg, 0)
    return _reduce(out, reduction)


# ----------------------------------------------------------------------------
# ctc_loss: the alpha recursion forward, the beta recursion backward (one node,
# as ATen's _ctc_loss), then torch's composite reduction on top


def _ctc_argtype(v) -> str:
    """How torch's argument parser names a Python value's type."""
    if isinstance(v, Tensor):
        return "Tensor"
    if isinstance(v, tuple):
        return f"tuple of ({', '.join(_ctc_argtype(e) for e in v)})"
    if isinstance(v, list):
        return f"list of [{', '.join(_ctc_argtype(e) for e in v)}]"
    cls = type(v)
    mod = cls.__module__
    return cls.__qualname__ if mod == "builtins" else f"{mod.split('.')[0]}.{cls.__qualname__}"


def _ctc_int_list(v):
    """``v`` as a tuple of ints where torch's ``int[]`` accepts it, else None."""
    if not isinstance(v, (tuple, list)):
        return None
    out = []
    for e in v:
        if isinstance(e, Tensor):
            if e.ndim != 0 or e.dtype.is_floating_point or e.dtype is D.bool:
                return None
            out.append(int(e.item()))
        elif isinstance(e, (bool, np.bool_)) or not isinstance(e, (int, np.integer)):
            return None
        else:
            out.append(int(e))
    return tuple(out)


def _ctc_type_error(args) -> TypeError:
    names = ", ".join(
        "Tensor" if isinstance(a, Tensor) else _ctc_argtype(a).split(" of ")[0] for a in args
    )
    sigs, marks = [], []
    for lengths in ("tuple of ints", "Tensor"):
        sigs.append(
            f" * (Tensor log_probs, Tensor targets, {lengths} input_lengths, {lengths} "
            "target_lengths, int blank = 0, int reduction = at::Reduction::Mean, "
            "bool zero_infinity = False)"
        )
        tensor_params = (0, 1) if lengths != "Tensor" else (0, 1, 2, 3)
        m = [
            _ctc_argtype(a)
            if i in tensor_params and isinstance(a, Tensor)
            else f"!{_ctc_argtype(a)}!"
            for i, a in enumerate(args)
        ]
        marks.append(
            "      didn't match because some of the arguments have invalid types: "
            f"({', '.join(m)})"
        )
    body = "\n".join(f"{s}\n{m}" for s, m in zip(sigs, marks))
    return TypeError(
        f"ctc_loss() received an invalid combination of arguments - got ({names}), but "
        f"expected one of:\n{body}\n"
    )


def _ctc_lengths(input_lengths, target_lengths, args):
    """The lengths as int64 arrays, parsed as torch's two overloads parse them."""
    if isinstance(input_lengths, Tensor) and isinstance(target_lengths, Tensor):
        for name, t in (("input_lengths", input_lengths), ("target_lengths", target_lengths)):
            if t.dtype.is_floating_point or t.dtype.is_complex or t.dtype is D.bool:
                raise RuntimeError(f"{name} must be integral")
        return (
            input_lengths._data.reshape(-1).astype(np.int64),
            target_lengths._data.reshape(-1).astype(np.int64),
        )
    il, tl = _ctc_int_list(input_lengths), _ctc_int_list(target_lengths)
    if il is None or tl is None:
        for name, v in (("input_lengths", input_lengths), ("target_lengths", target_lengths)):
            if isinstance(v, (tuple, list)):
                for pos, e in enumerate(v):
                    if isinstance(e, float):
                        raise TypeError(
                            f"ctc_loss(): argument '{name}' failed to unpack the object at pos "
                            f'{pos + 1} with error "type must be tuple of ints,but got float"'
                        )
        raise _ctc_type_error(args)
    return np.array(il, dtype=np.int64), np.array(tl, dtype=np.int64)


class _CtcPlan:
    """What the forward leaves for the backward: the extended targets (blanks
    between and around the labels), the lengths, log_alpha and the losses."""

    __slots__ = ("ext", "valid", "skip", "il", "tl", "alpha", "nll", "blank", "zero_inf")


def _ctc_check(lp, targets, il, tl, blank):
    """ATen's ctc_loss_allocate_outputs checks."""
    where_ = " (while checking arguments for ctc_loss_allocate_outputs)"
    if lp.ndim != 3:
        raise RuntimeError(
            f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for "
            f"argument #1 'log_probs'{where_}"
        )
    if not 1 <= targets.ndim <= 2:
        raise RuntimeError(
            f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional tensor for "
            f"argument #2 'targets'{where_}"
        )
    T, N, C = lp.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if il.size != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tl.size != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    for v in tl:
        if v < 0:
            raise RuntimeError(
                f"Expected target_lengths to have value at least 0, but got value {v}{where_}"
            )
    if targets.ndim == 1:
        total = int(tl.sum())
        if targets.shape[0] != total:
            raise RuntimeError(
                f"Expected tensor to have size {total} at dimension 0, but got size "
                f"{targets.shape[0]} for argument #2 'targets'{where_}"
            )
    else:
        if targets.shape[0] != N:
            raise RuntimeError(
                f"Expected tensor to have size {N} at dimension 0, but got size "
                f"{targets.shape[0]} for argument #2 'targets'{where_}"
            )
        mx = int(tl.max()) if N else 0
        if targets.shape[1] < mx:
            raise RuntimeError(
                f"Expected tensor to have size at least {mx} at dimension 1, but got size "
                f"{targets.shape[1]} for argument #2 'targets'{where_}"
            )
    for v in il:
        if v < 0:
            raise RuntimeError(
                f"Expected input_lengths to have value at least 0, but got value {v}{where_}"
            )
        if v > T:
            raise RuntimeError(
                f"Expected input_lengths to have value at most {T}, but got value {v}{where_}"
            )


def _lse3(a, b, c):
    """``log(exp(a) + exp(b) + exp(c))`` elementwise, as ATen does it (max shifted,
    a max of -inf taken as 0)."""
    m = np.maximum(np.maximum(a, b), c)
    m[m == -np.inf] = 0
    return np.log(np.exp(a - m) + np.exp(b - m) + np.exp(c - m)) + m


def _ctc_forward(a, targets, il, tl, blank):
    """The negative log likelihoods (N,) and the plan, for log_probs ``a`` (T, N, C)."""
    T, N, _ = a.shape
    S = int(tl.max()) if N else 0
    L = 2 * S + 1
    ext = np.full((N, L), blank, dtype=np.int64)
    pos = np.arange(S)
    if targets.ndim == 1:
        offsets = np.concatenate([[0], np.cumsum(tl)[:-1]]).astype(np.int64)
        idx = offsets[:, None] + pos
    else:
        idx = np.broadcast_to(pos, (N, S))
    has = pos < tl[:, None]
    if S:
        flat = targets if targets.ndim == 1 else None
        if flat is not None:
            lab = flat[np.where(has, idx, 0)] if flat.size else np.zeros((N, S), np.int64)
        else:
            lab = targets[np.arange(N)[:, None], idx]
        ext[:, 1::2] = np.where(has, lab, blank)
    s = np.arange(L)
    valid = s < (2 * tl[:, None] + 1)
    skip = np.zeros((N, L), dtype=bool)
    skip[:, 2:] = ext[:, 2:] != ext[:, :-2]
    plan = _CtcPlan()
    plan.ext, plan.valid, plan.skip, plan.il, plan.tl, plan.blank = ext, valid, skip, il, tl, blank
    ninf = -np.inf
    alpha = np.full((T, N, L), ninf, dtype=a.dtype)
    rows = np.arange(N)[:, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if T:
            lpe = a[:, rows, ext]  # (T, N, L): log prob of each extended label
            alpha[0, :, 0] = lpe[0, :, 0]
            if L > 1:
                alpha[0, :, 1] = np.where(tl > 0, lpe[0, :, 1], ninf)
            alpha[0][~valid] = ninf
            for t in range(1, T):
                prev = alpha[t - 1]
                la2 = np.full_like(prev, ninf)
                la2[:, 1:] = prev[:, :-1]
                la3 = np.full_like(prev, ninf)
                la3[:, 2:] = np.where(skip[:, 2:], prev[:, :-2], ninf)
                cur = _lse3(prev, la2, la3) + lpe[t]
                cur[~valid] = ninf
                alpha[t] = cur
        nll = np.empty(N, dtype=a.dtype)
        for n in range(N):
            T_n, S_n = int(il[n]), int(tl[n])
            if T_n == 0:
                nll[n] = -(0.0 if S_n == 0 else ninf)
                continue
            l1 = alpha[T_n - 1, n, 2 * S_n]
            l2 = alpha[T_n - 1, n, 2 * S_n - 1] if S_n > 0 else a.dtype.type(ninf)
            m = max(l1, l2)
            m = 0 if m == ninf else m
            nll[n] = -(np.log(np.exp(l1 - m) + np.exp(l2 - m)) + m)
    plan.alpha, plan.nll = alpha, nll
    return nll, plan


def _ctc_backward(a, gr, plan):
    """torch's gradient w.r.t. log_probs ``a`` (T, N, C) for incoming ``gr`` (N,):
    ``exp(lp) - exp(log(sum of alpha * beta over the states of label c) + nll - lp)``,
    times the incoming gradient, zero past each input length."""
    T, N, C = a.shape
    ext, valid, skip, il, tl = plan.ext, plan.valid, plan.skip, plan.il, plan.tl
    alpha, nll = plan.alpha, plan.nll
    L = ext.shape[1]
    ninf = -np.inf
    rows = np.arange(N)[:, None]
    beta = np.full((T, N, L), ninf, dtype=a.dtype)
    # beta's skip from s + 2 to s: allowed where ext[s + 2] != ext[s]
    skip_b = np.zeros((N, L), dtype=bool)
    skip_b[:, :-2] = skip[:, 2:]
    lpe = a[:, rows, ext]
    last = il - 1
    ends = np.stack([2 * tl, np.maximum(2 * tl - 1, 0)], 1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for t in range(T - 1, -1, -1):
            if t < T - 1:
                nxt = beta[t + 1]
                lb2 = np.full_like(nxt, ninf)
                lb2[:, :-1] = nxt[:, 1:]
                lb3 = np.full_like(nxt, ninf)
                lb3[:, :-2] = np.where(skip_b[:, :-2], nxt[:, 2:], ninf)
                cur = _lse3(nxt, lb2, lb3) + lpe[t]
                cur[(t >= last)] = ninf
            else:
                cur = np.full((N, L), ninf, dtype=a.dtype)
            start = np.nonzero(last == t)[0]
            if start.size:
                init = np.full((start.size, L), ninf, dtype=a.dtype)
                r = np.arange(start.size)
                e0 = ends[start, 0]
                init[r, e0] = lpe[t, start, e0]
                pos = tl[start] > 0
                e1 = ends[start, 1]
                init[r[pos], e1[pos]] = lpe[t, start[pos], e1[pos]]
                cur[start] = init
            cur[~valid] = ninf
            beta[t] = cur
        ab = alpha + beta  # (T, N, L)
        m = ab.max(axis=2, initial=ninf, keepdims=True) if L else np.zeros((T, N, 1))
        m[m == ninf] = 0
        e = np.exp(ab - m)
        onehot = (ext[:, :, None] == np.arange(C)).astype(a.dtype)  # (N, L, C)
        coll = np.matmul(e.transpose(1, 0, 2), onehot).transpose(1, 0, 2)  # (T, N, C)
        lcab = np.log(coll) + m
        grad = (np.exp(a) - np.exp(lcab + nll[:, None] - a)) * gr[:, None]
    grad[np.arange(T)[:, None] >= il[None, :]] = 0
    if plan.zero_inf:
        grad[:, nll == np.inf] = 0
    return grad


class CtcLossBackward0(Node):
    __slots__ = ("plan",)
    _bb_name = None  # torch has no derivative for _ctc_loss_backward
    _op = "_ctc_loss_backward"

    def apply(self, g):
        (x,) = self.saved()
        return (_loss_grad(self, g, x),)

    def d1(self, g, x):
        wide = x.dtype == np.float32
        a = x.astype(np.float64) if wide else x
        grad = _ctc_backward(a, np.asarray(g, dtype=a.dtype).reshape(-1), self.plan)
        return grad.astype(x.dtype, copy=False)


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank=0,
    reduction="mean",
    zero_infinity=False,
):
    """The Connectionist Temporal Classification loss: per sample, the negative log
    of the total probability of the alignments of its target to its input.

    Shape:
        log_probs ``(T, N, C)`` or ``(T, C)``; targets ``(N, S)`` padded, or the
        ``sum(target_lengths)`` targets concatenated; input_lengths and
        target_lengths ``(N)`` (tensors, or tuples / lists of ints).
    """
    if reduction not in ("none", "mean", "sum"):
        if reduction == "elementwise_mean":
            warnings.warn(
                "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                UserWarning,
                stacklevel=2,
            )
            reduction = "mean"
        else:
            raise ValueError(f"{reduction} is not a valid value for reduction")
    args = (log_probs, targets, input_lengths, target_lengths, blank, 0, zero_infinity)
    if (
        not isinstance(log_probs, Tensor)
        or not isinstance(targets, Tensor)
        or isinstance(blank, (bool, np.bool_))
        or not isinstance(blank, (int, np.integer))
        or not isinstance(zero_infinity, bool)
        or isinstance(input_lengths, Tensor) != isinstance(target_lengths, Tensor)
    ):
        raise _ctc_type_error(args)
    il, tl = _ctc_lengths(input_lengths, target_lengths, args)
    blank = int(blank)
    batched = log_probs.ndim == 3
    if not batched:
        if log_probs.ndim == 0:
            raise IndexError(
                "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
            )
        log_probs = log_probs.unsqueeze(1)
    if log_probs.dtype not in (D.float32, D.float64):
        raise not_implemented("ctc_loss_cpu", log_probs.dtype)
    if log_probs.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    ta = targets._data.astype(np.int64)
    _ctc_check(log_probs, ta, il, tl, blank)
    x = log_probs._data
    wide = x.dtype == np.float32
    nll, plan = _ctc_forward(x.astype(np.float64) if wide else x, ta, il, tl, blank)
    plan.zero_inf = bool(zero_infinity)
    res = _make(nll.astype(x.dtype, copy=False))
    if _state.enabled and log_probs._requires_grad:
        node = CtcLossBackward0()
        node.plan = plan
        node.save(log_probs)
        _record(node, res, log_probs)
    if zero_infinity:
        res = where(res == math.inf, _make(np.zeros((), x.dtype)), res)
    if reduction == "mean":
        return (res / _make(np.maximum(tl, 1).astype(x.dtype))).mean()
    if reduction == "sum":
        return res.sum()
    return res if batched else res.squeeze(0)
