"""Padding: ``pad`` with the constant, reflect, replicate and circular modes.

Constant padding (negative pads crop) has its own node,
``ConstantPadNdBackward0``, whose backward is a constant pad with the pads
negated. The other modes gather each padded dim through an index array
(reflected, clamped or wrapped positions of the input); their backward
scatters the gradient back through the same arrays, an op of its own whose
backward is the gather again, so gradients of gradients work.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = ["pad"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_list(pad) -> tuple:
    if isinstance(pad, Tensor):
        pad = pad.tolist()
    if isinstance(pad, int):
        pad = (pad,)
    out = []
    for i, p in enumerate(pad):
        if isinstance(p, Tensor) and p.ndim == 0 and not p.dtype.is_floating_point:
            p = p.item()
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)):
            raise TypeError(
                f"pad(): argument 'pad' failed to unpack the object at pos {i + 1} with error "
                f'"type must be tuple of ints,but got {type(p).__name__}"'
            )
        out.append(int(p))
    return tuple(out)


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims of ``input``: ``pad`` lists
    ``(left, right)`` pairs starting from the last dim.

    ``mode`` is ``'constant'`` (fill with ``value``, default 0; negative pads
    crop; any number of dims), ``'reflect'`` (mirror without repeating the
    edge), ``'replicate'`` (repeat the edge) or ``'circular'`` (wrap around);
    the last three pad the last 1, 2 or 3 dims of a tensor with one or two
    more dims.
    """
    pads = _pad_list(pad)
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    nd = input.dim()
    if len(pads) % 2 != 0:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) > nd * 2:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pads)} and input of dimension {nd}"
        )
    if mode == "constant":
        return constant_pad_nd(input, pads, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pads) // 2
    if k not in (1, 2, 3) or nd not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pads)} is not supported for {nd}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if mode == "circular":
        return _circular(input, pads, k)
    return _reflect_or_replicate(input, pads, k, mode)


# ----------------------------------------------------------------------------
# constant


class ConstantPadNdBackward0(Node):
    __slots__ = ("pad",)

    def apply(self, g):
        return (constant_pad_nd(g, tuple(-p for p in self.pad), 0),)


def constant_pad_nd(input: Tensor, pad, value=0) -> Tensor:
    """Constant padding of the last ``len(pad) // 2`` dims (negative pads crop)."""
    a = input._data
    nd = a.ndim
    k = len(pad) // 2
    shape = list(a.shape)
    src = [slice(None)] * nd
    dst = [slice(None)] * nd
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = shape[d]
        new = n + lo + hi
        if new < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        shape[d] = new
        s0 = max(-lo, 0)
        s1 = n - max(-hi, 0)
        src[d] = slice(s0, max(s1, s0))
        d0 = max(lo, 0)
        dst[d] = slice(d0, d0 + max(s1 - s0, 0))
    out = np.empty(shape, a.dtype)
    out.fill(_fill_value(value, a.dtype))
    out[tuple(dst)] = a[tuple(src)]
    res = _make(out)
    if _state.enabled and input._requires_grad:
        node = ConstantPadNdBackward0()
        node.pad = tuple(pad)
        _record(node, res, input)
    return res


def _fill_value(value, dt):
    if isinstance(value, Tensor):
        value = value.item()
    if dt.kind in "iu" and isinstance(value, float):
        return int(value)  # torch truncates the fill value for integer tensors
    return value


# ----------------------------------------------------------------------------
# index-based modes: reflect, replicate, circular


def _index_arrays(shape, pads, k, mode):
    """One index array per padded dim (the last ``k``, first dim first)."""
    idxs = []
    for j in range(k):
        d = len(shape) - k + j
        i = k - 1 - j
        lo, hi = pads[2 * i], pads[2 * i + 1]
        n = shape[d]
        pos = np.arange(-lo, n + hi, dtype=np.int64)
        if mode == "reflect":
            pos = np.abs(pos)
            pos = np.where(pos >= n, 2 * (n - 1) - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, n - 1)
        else:  # circular: wrap within the part of the input that is kept
            start = max(-lo, 0)
            length = n - start - max(-hi, 0)
            pos = start + np.mod(np.arange(n + lo + hi) - max(lo, 0), max(length, 1))
        idxs.append(pos)
    return idxs


def _gather(a, idxs):
    k = len(idxs)
    for j, idx in enumerate(idxs):
        a = np.take(a, idx, axis=a.ndim - k + j)
    return a


def _scatter(g, idxs, in_shape):
    k = len(idxs)
    nd = len(in_shape)
    for j in range(k - 1, -1, -1):
        d = nd - k + j
        shape = list(g.shape)
        shape[d] = in_shape[d]
        out = np.zeros(shape, g.dtype)
        np.add.at(np.moveaxis(out, d, 0), idxs[j], np.moveaxis(g, d, 0))
        g = out
    return g


class _GatherBackward(Node):
    """The node of an index-based pad: its backward scatter-adds the gradient
    back through the index arrays."""

    __slots__ = ("idxs", "in_shape", "fwd")

    def name(self) -> str:
        return self.fwd

    def apply(self, g):
        return (_index_op(g, self.idxs, self.in_shape, False, self.fwd),)


class _ScatterBackward(Node):
    """The node of that scatter: its backward is the pad again."""

    __slots__ = ("idxs", "in_shape", "fwd")

    def name(self) -> str:
        f = self.fwd
        return f[: -len("0")] + "Backward0" if f.endswith("Backward0") else f + "Backward0"

    def apply(self, g):
        return (_index_op(g, self.idxs, None, True, self.fwd),)


def _index_op(t: Tensor, idxs, in_shape, gather: bool, fwd: str) -> Tensor:
    """Gather (the pad named ``fwd``) or scatter-add (its backward) ``t``
    through ``idxs``; ``in_shape`` is the shape the scatter gives back."""
    a = t._data
    if gather:
        res = _make(_gather(a, idxs))
        node = _GatherBackward() if _state.enabled and t._requires_grad else None
    else:
        res = _make(_scatter(a, idxs, tuple(in_shape)))
        node = _ScatterBackward() if _state.enabled and t._requires_grad else None
    if node is not None:
        node.idxs, node.in_shape, node.fwd = idxs, tuple(a.shape), fwd
        _record(node, res, t)
    return res


def _shape_str(shape) -> str:
    return str(list(shape))


def _check_nonempty(input, k):
    shape = tuple(input.shape)
    first = 1 if len(shape) == k + 2 else 0
    if any(s == 0 for s in shape[first:]):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and "
            f"other non-zero dimensions for input, but got: {_shape_str(shape)}"
        )


_LETTERS = ("D", "H", "W")


def _reflect_or_replicate(input, pads, k, mode):
    shape = tuple(input.shape)
    nd = len(shape)
    _check_nonempty(input, k)
    kernel = ("reflection" if mode == "reflect" else "replication") + f"_pad{k}d"
    outs = [shape[nd - 1 - i] + pads[2 * i] + pads[2 * i + 1] for i in range(k)]
    if mode == "reflect":
        for i in range(k):
            d = nd - 1 - i
            lo, hi = pads[2 * i], pads[2 * i + 1]
            if not (lo < shape[d] and hi < shape[d]):
                raise RuntimeError(
                    f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding "
                    f"input dimension, but got: padding ({lo}, {hi}) at dimension {d} of input "
                    f"{_shape_str(shape)}"
                )
    elif k > 1:
        for i in range(k):
            if outs[i] < 0:
                out_shape = list(shape[: nd - k]) + outs[::-1]
                raise RuntimeError(
                    f"Trying to create tensor with negative dimension {outs[i]}: {out_shape}"
                )
    if any(o < 1 for o in outs):
        letters = _LETTERS[3 - k :]
        ins = ", ".join(f"{c}: {shape[nd - k + j]}" for j, c in enumerate(letters))
        calc = " ".join(f"{c}: {outs[k - 1 - j]}" for j, c in enumerate(letters))
        raise RuntimeError(f"input ({ins}) is too small. Calculated output {calc}")
    if input.dtype.name == "bool":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    idxs = _index_arrays(shape, pads, k, mode)
    name = ("ReflectionPad" if mode == "reflect" else "ReplicationPad") + f"{k}DBackward0"
    return _index_op(input, idxs, shape, True, name)


def _circular(input, pads, k):
    shape = tuple(input.shape)
    nd = len(shape)
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pads[2 * i], pads[2 * i + 1]
        if not (lo <= shape[d] and hi <= shape[d]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if shape[d] + lo + hi < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    idxs = _index_arrays(shape, pads, k, "circular")
    return _index_op(input, idxs, shape, True, "torch::autograd::CopySlices")
