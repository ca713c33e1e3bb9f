"""Embeddings: ``embedding`` (a row lookup), ``embedding_bag`` (sums, means
or maxima of bags of rows) and ``one_hot``.

The gradient of a lookup adds each output row's gradient into the weight row
it came from (``embedding_dense_backward``, itself an op whose backward is
the lookup again). ``padding_idx`` rows get no gradient; with
``scale_grad_by_freq`` each row's gradient is divided by how often its index
occurs in the batch; ``max_norm`` renormalises the looked-up weight rows in
place before the lookup, as torch does. Gradients are dense: ``sparse=True``
is accepted and gives the same values as a dense tensor.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = ["embedding", "embedding_bag", "one_hot", "embedding_renorm_"]


def _check_indices(indices: Tensor, fn: str, arg: str = "indices", pos: int = 1) -> None:
    if indices.dtype.name not in ("int64", "int32"):
        raise RuntimeError(
            f"Expected tensor for argument #{pos} '{arg}' to have one of the following scalar "
            f"types: Long, Int; but got {indices.type()} instead (while checking arguments for "
            f"{fn})"
        )


def _rows(weight_arr, idx):
    n = weight_arr.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    return weight_arr[idx]


def embedding_renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float):
    """Scale each weight row that ``indices`` names so that its ``norm_type``
    norm is at most ``max_norm`` (in place, no gradient), as torch does."""
    if weight.ndim != 2:
        raise RuntimeError(
            f"embedding_renorm_(): argument 'self' (position 1) must be 2-D, but got "
            f"{weight.ndim}-D"
        )
    _check_indices(indices, "embedding_renorm_", "indices", 2)
    w = weight._data
    rows = np.unique(indices._data.reshape(-1))
    _rows(w, rows)  # the range check
    changed = False
    for r in rows.tolist():
        row = w[r]
        norm = float(_vector_norm(row, norm_type))
        if norm > max_norm:
            scale = max_norm / (norm + 1e-7)
            w[r] = row * row.dtype.type(scale)
            changed = True
    if changed:
        weight._bump()
    return weight


def _vector_norm(row, p):
    a = np.abs(row.astype(np.float64))
    if p == 2:
        return np.sqrt(np.dot(a, a))
    if p == 1:
        return a.sum()
    if p == 0:
        return float(np.count_nonzero(a))
    if np.isinf(p):
        return a.max() if p > 0 else a.min()
    return np.sum(a**p) ** (1.0 / p)


# ----------------------------------------------------------------------------
# embedding


class EmbeddingDenseBackwardBackward0(Node):
    __slots__ = ("indices", "padding_idx")

    def apply(self, gg):
        idx = self.indices
        r = _lookup(gg, idx)
        if self.padding_idx >= 0:
            keep = (idx != self.padding_idx).astype(gg._data.dtype)
            r = r * _make(keep.reshape(idx.shape + (1,)))
        return (r,)


def embedding_dense_backward(
    grad: Tensor, indices, num_weights: int, padding_idx: int, scale_grad_by_freq: bool
) -> Tensor:
    """The weight gradient of a lookup: each row of ``grad`` added into row
    ``indices[i]`` of a zero ``(num_weights, dim)`` tensor."""
    idx = indices.reshape(-1)
    g = grad._data
    dim = g.shape[-1]
    g2 = g.reshape(-1, dim)
    keep = idx != padding_idx
    if scale_grad_by_freq:
        counts = np.bincount(idx, minlength=num_weights)
        scale = (1.0 / counts[idx]).astype(g.dtype)
        g2 = g2 * scale[:, None]
    if not keep.all():
        idx, g2 = idx[keep], g2[keep]
    out = np.zeros((num_weights, dim), g.dtype)
    np.add.at(out, idx, g2)
    res = _make(out)
    if _state.enabled and grad._requires_grad:
        node = EmbeddingDenseBackwardBackward0()
        node.indices, node.padding_idx = indices, padding_idx
        _record(node, res, grad)
    return res


class EmbeddingBackward0(Node):
    __slots__ = ("indices", "num_weights", "padding_idx", "scale_grad_by_freq")

    def apply(self, g):
        return (
            embedding_dense_backward(
                g, self.indices, self.num_weights, self.padding_idx, self.scale_grad_by_freq
            ),
        )


def _lookup(weight: Tensor, idx: np.ndarray, padding_idx: int = -1, freq: bool = False):
    """``weight[idx]`` (rows), recorded as torch's embedding."""
    res = _make(_rows(weight._data, idx))
    if _state.enabled and weight._requires_grad:
        node = EmbeddingBackward0()
        node.indices, node.num_weights = idx, weight._data.shape[0]
        node.padding_idx, node.scale_grad_by_freq = padding_idx, bool(freq)
        _record(node, res, weight)
    return res


def embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
):
    """Rows of ``weight`` at the indices in ``input``: the result has shape
    ``input.shape + (embedding_dim,)``."""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        embedding_renorm_(weight.detach(), input, max_norm, norm_type)
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input, "embedding")
    idx = input._data.astype(np.int64, copy=False)
    return _lookup(weight, idx, padding_idx, scale_grad_by_freq)


# ----------------------------------------------------------------------------
# embedding_bag


class EmbeddingBagBackward0(Node):
    __slots__ = ("idx", "bag", "scale", "mode", "max_idx", "num_weights", "padding_idx")

    def apply(self, g):
        weight, psw = self.saved()
        nf = self.next_functions
        idx, bag = self.idx, self.bag
        gw = gpsw = None
        if nf[0][0] is not None:
            if self.mode == 2:  # max: each output element came from one weight element
                gw = _max_bag_backward(g, self.max_idx, self.num_weights)
            else:
                rows = _take_rows(g, bag)
                if psw is not None:
                    rows = rows * psw.unsqueeze(1)
                if self.scale is not None:
                    rows = rows * _make(self.scale[:, None])
                gw = embedding_dense_backward(rows, idx, self.num_weights, self.padding_idx, False)
        if len(nf) > 1 and nf[1][0] is not None:
            keep = (idx != self.padding_idx).astype(g._data.dtype)
            gpsw = (_take_rows(g, bag) * _lookup(weight, idx)).sum(1) * _make(keep)
        return gw, gpsw


def _take_rows(g: Tensor, bag: np.ndarray) -> Tensor:
    from .. import tensor

    return g[tensor(bag)]


class _MaxBagBackwardBackward(Node):
    __slots__ = ("max_idx",)

    def name(self) -> str:
        return "EmbeddingBagBackwardBackward0"

    def apply(self, gg):
        mi = self.max_idx
        cols = np.broadcast_to(np.arange(mi.shape[1]), mi.shape)
        valid = mi >= 0
        vals = np.where(valid, gg._data[np.where(valid, mi, 0), cols], 0)
        return (_make(vals.astype(gg._data.dtype)),)


def _max_bag_backward(g: Tensor, max_idx, num_weights) -> Tensor:
    ga = g._data
    out = np.zeros((num_weights, ga.shape[1]), ga.dtype)
    valid = max_idx >= 0
    rows = max_idx[valid]
    cols = np.nonzero(valid)[1]
    np.add.at(out, (rows, cols), ga[valid])
    res = _make(out)
    if _state.enabled and g._requires_grad:
        node = _MaxBagBackwardBackward()
        node.max_idx = max_idx
        _record(node, res, g)
    return res


def embedding_bag(
    input,
    weight,
    offsets=None,
    max_norm=None,
    norm_type=2,
    scale_grad_by_freq=False,
    mode="mean",
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    """Sums, means or maxima of bags of embedding rows, without building the
    rows: bag ``b`` holds ``input[offsets[b]:offsets[b + 1]]`` (a 2-D input is
    one bag per row). ``per_sample_weights`` weight each row (mode 'sum')."""
    if weight.dtype.name == "int64" and input.is_floating_point():
        import warnings

        warnings.warn(
            "Argument order of nn.functional.embedding_bag was changed. Usage "
            "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
            "`embedding_bag(input, weight, ...)`.",
            stacklevel=2,
        )
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if not weight.dim() == 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}"
        )
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch "
                "of fixed length sequences. However, found offsets of type "
                f"{_type_str(offsets)}"
            )
        offs_type = input.dtype._legacy
        offs = np.arange(0, input.numel(), max(input.size(1), 1), dtype=np.int64)
        if input.size(1) == 0:
            offs = np.zeros(input.size(0), np.int64)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        offs = offsets._data.astype(np.int64)
        offs_type = offsets.dtype._legacy
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}"
        )
    modes = {"sum": 0, "mean": 1, "max": 2}
    if mode not in modes:
        raise ValueError("mode has to be one of sum, mean or max")
    mode_enum = modes[mode]
    if mode_enum == 2:
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        embedding_renorm_(weight.detach(), input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub."
        )
    return _embedding_bag(
        weight, input, offs, scale_grad_by_freq, mode_enum, per_sample_weights,
        include_last_offset, padding_idx, offs_type,
    )  # fmt: skip


def _type_str(obj) -> str:
    if isinstance(obj, Tensor):
        return "<class 'torch.Tensor'>"
    return str(type(obj))


def _embedding_bag(weight, input, offs, freq, mode, psw, include_last, padding_idx, offs_type):
    _check_indices(input, "embedding_bag")
    n = weight.shape[0]
    if padding_idx is None:
        padding_idx = -1
    elif not -n <= padding_idx < n:
        raise RuntimeError(
            f"padding_idx must be within the number of embeddings, -{n} through {n - 1}, but got "
            f"{padding_idx}"
        )
    elif padding_idx < 0:
        padding_idx += n
    idx = input._data.reshape(-1).astype(np.int64)
    numel = idx.size
    if offs.size and offs[0] != 0:
        # torch's message ends with the (empty) tensor its check printed
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
            f"position 0. However, got {int(offs[0])}\n[ torch.{offs_type}{{}} ]"
        )
    if offs.size and offs[-1] > numel:
        raise RuntimeError(
            f"offsets[-1] can not be greater than input's length {numel} but got offsets[-1] of "
            f"{int(offs[-1])}"
        )
    nbags = offs.size - 1 if include_last else offs.size
    starts = offs[:nbags]
    ends = np.append(offs[1:], numel)[:nbags] if not include_last else offs[1 : nbags + 1]
    if np.any(ends < starts) or (idx.size and (idx.min() < 0 or idx.max() >= n)):
        raise RuntimeError(
            "Expected i < index_size to be true, but got false.  (Could this error message be "
            "improved?  If so, please report an enhancement request to PyTorch.)"
        )
    freq_scale = _bag_freq_scale(idx, n) if freq and mode != 2 else None
    # the bag of each index position; positions after the last bag are ignored
    bag = np.searchsorted(ends, np.arange(numel), side="right").astype(np.int64)
    pflat = None if psw is None else psw.reshape(-1)
    if not (bag < nbags).all():
        sel = np.nonzero(bag < nbags)[0]
        idx, bag = idx[sel], bag[sel]
        if freq_scale is not None:
            freq_scale = freq_scale[sel]
        if pflat is not None:
            from .. import tensor

            pflat = pflat[tensor(sel)]
    keep = idx != padding_idx
    w = weight._data
    dim = w.shape[1]
    out = np.zeros((nbags, dim), w.dtype)
    max_idx = scale = None
    if mode == 2:
        max_idx = np.full((nbags, dim), -1, np.int64)
        for i in np.nonzero(keep)[0].tolist():
            b, r = bag[i], w[idx[i]]
            better = (max_idx[b] < 0) | (r > out[b])
            out[b] = np.where(better, r, out[b])
            max_idx[b] = np.where(better, idx[i], max_idx[b])
    else:
        rows = w[idx[keep]]
        if pflat is not None:
            rows = rows * pflat._data[keep][:, None]
        np.add.at(out, bag[keep], rows)
        if mode == 1:
            counts = np.maximum(np.bincount(bag[keep], minlength=nbags), 1)
            out = out / counts.astype(w.dtype)[:, None]
            scale = np.where(keep, 1.0 / counts[bag], 0.0)
        if freq_scale is not None:
            scale = freq_scale if scale is None else scale * freq_scale
        if scale is not None:
            scale = scale.astype(w.dtype)
    res = _make(out.astype(w.dtype, copy=False))
    if _state.enabled and (weight._requires_grad or (pflat is not None and pflat._requires_grad)):
        node = EmbeddingBagBackward0()
        node.idx, node.bag, node.scale, node.mode, node.max_idx = idx, bag, scale, mode, max_idx
        node.num_weights, node.padding_idx = n, padding_idx
        node.save(weight, pflat)
        _record(node, res, weight, pflat)
    return res


def _bag_freq_scale(idx, n):
    """The gradient scale of each index position under ``scale_grad_by_freq``.

    torch's CPU backward groups the sorted indices and divides group ``i`` by the count
    of ``sorted_indices[i]`` (the i-th index in sorted order, not the group's own
    index), so this reproduces that: the scales torch applies."""
    counts = np.bincount(idx, minlength=n)
    sorted_idx = np.sort(idx)
    uniq = np.unique(sorted_idx)
    group_scale = 1.0 / counts[sorted_idx[: uniq.size]]
    return group_scale[np.searchsorted(uniq, idx)]


# ----------------------------------------------------------------------------
# one_hot


def one_hot(tensor, num_classes=-1):
    """A tensor of zeros with a 1 at each class index: shape
    ``tensor.shape + (num_classes,)``, int64."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    a = tensor._data
    if a.size == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return _make(np.zeros(a.shape + (num_classes,), np.int64))
    if a.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(a.max()) + 1
    elif a.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(a.shape + (num_classes,), np.int64)
    np.put_along_axis(out, a[..., None], 1, axis=-1)
    return _make(out)
