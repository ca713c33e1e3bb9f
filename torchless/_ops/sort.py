"""Sorting and selection: sort, argsort, msort, topk, kthvalue, median,
nanmedian, mode, unique, unique_consecutive, searchsorted, bucketize.

Which of several equal elements comes first is part of what torch returns
(its indices), and torch's CPU kernels decide it with the C++ algorithms
they call: a stable sort, libstdc++'s ``std::sort`` / ``nth_element`` /
``partial_sort`` (transcribed in ``_random.py``), or TH's quickselect. Rows
without ties have one answer, which NumPy computes; rows with ties are run
through the transcriptions on integer ranks of their values.
"""

from __future__ import annotations

import numpy as np

from .._random import _nth_element, _partial_sort, _sort
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from .reduction import MaxBackward1, _ReturnTypes

__all__ = [
    "sort",
    "argsort",
    "msort",
    "topk",
    "kthvalue",
    "median",
    "nanmedian",
    "mode",
    "unique",
    "unique_consecutive",
    "searchsorted",
    "bucketize",
]

_i64 = np.int64
_RADIX_MIN = 32768  # at::internal::GRAIN_SIZE


# ----------------------------------------------------------------------------
# rows: the sorted dim moved last and the rest flattened


def _rows(a, d):
    """``a`` as a 2-D array of rows along dim ``d``."""
    b = np.moveaxis(a, d, -1)
    return b.reshape(-1, a.shape[d]), b.shape


def _unrows(r, bshape, d):
    """Inverse of ``_rows`` for a result with ``r.shape[1]`` entries per row."""
    return np.moveaxis(r.reshape(bshape[:-1] + (r.shape[1],)), -1, d)


def _ascending(rows):
    """Stable ascending order of each row (NaN last), and the sorted rows."""
    order = np.argsort(rows, axis=1, kind="stable")
    return order, np.take_along_axis(rows, order, axis=1)


def _descending(rows):
    """Stable descending order of each row (NaN first, ties in index order):
    the reversed stable ascending order of the reversed row."""
    n = rows.shape[1]
    rev = np.argsort(rows[:, ::-1], axis=1, kind="stable")[:, ::-1]
    order = (n - 1) - rev
    return order, np.take_along_axis(rows, order, axis=1)


def _equal_neighbours(s):
    """Where each sorted element equals the next (NaNs equal each other)."""
    eq = s[:, 1:] == s[:, :-1]
    if s.dtype.kind == "f":
        eq |= np.isnan(s[:, 1:]) & np.isnan(s[:, :-1])
    return eq


def _ranks(order, eq):
    """Dense ranks (0 for the smallest, NaN largest) from an ascending order
    and its equal-neighbour mask."""
    m, n = order.shape
    rs = np.zeros((m, n), _i64)
    np.cumsum(~eq, axis=1, out=rs[:, 1:])
    ranks = np.empty((m, n), _i64)
    np.put_along_axis(ranks, order, rs, axis=1)
    return ranks


def _pairs(keys):
    return list(zip(keys.tolist(), range(len(keys))))


def _std_sort_row(ranks, descending):
    """Indices of ``std::sort`` of (value, index) pairs with torch's
    comparator ("greater" for descending, "less" otherwise)."""
    v = _pairs(ranks if descending else -ranks)
    _sort(v, 0, len(v))
    return [i for _, i in v]


class SortBackward0(Node):
    """Gradient of the values picked along a dim: scattered back to the
    indices they came from."""

    __slots__ = ("dim", "shape")

    def apply(self, g):
        (idx,) = self.saved()
        if not self.shape:
            return (g,)
        if g.ndim < len(self.shape):
            g, idx = g.unsqueeze(self.dim), idx.unsqueeze(self.dim)
        if g.numel() == 0:
            return (_make(np.zeros(self.shape, dtype=g._data.dtype)),)
        from .indexing import scatter_zeros

        return (scatter_zeros(g, self.dim, idx, self.shape),)


def _selected(name, node_name, input, d, vals, idx, fields=None):
    """The (values, indices) named tuple of a selecting op, with its node."""
    values, indices = _make(np.asarray(vals)), _make(np.asarray(idx, dtype=_i64))
    if _state.enabled and input._requires_grad:
        node = SortBackward0()
        node._name = node_name
        node.dim, node.shape = d, input._data.shape
        node.save(indices)
        _record(node, values, input)
    return _ReturnTypes.make(name, values, indices)


# ----------------------------------------------------------------------------
# sort / argsort / msort


def _sort_indices(a, d, descending, stable):
    n = a.shape[d]
    if a.size == 0 or n <= 1 or a.strides[d] == 0:
        # torch leaves a dim of stride 0 (an expanded tensor) in index order
        shape = [1] * a.ndim
        shape[d] = n
        return np.broadcast_to(np.arange(n, dtype=_i64).reshape(shape), a.shape).copy()
    rows, bshape = _rows(a, d)
    order, s = (_descending if descending else _ascending)(rows)
    if (
        not stable
        and not descending
        and a.ndim == 1
        and a.size >= _RADIX_MIN
        and a.dtype.kind in "iu"
    ):
        stable = True  # torch's radix sort (fbgemm) for long 1-D integer tensors is stable
    if not stable:
        eq = _equal_neighbours(s)
        tied = np.flatnonzero(eq.any(axis=1))
        if tied.size:
            if descending:
                order_asc, s = _ascending(rows[tied])
                ranks = _ranks(order_asc, _equal_neighbours(s))
            else:
                ranks = _ranks(order[tied], eq[tied])
            for k, r in enumerate(tied):
                order[r] = _std_sort_row(ranks[k], descending)
    return _unrows(order, bshape, d)


def sort(input, dim=-1, descending=False, stable=None):
    """Sorted values along ``dim`` and the indices they came from. NaN sorts
    as the largest value. ``stable=True`` keeps equal elements in order;
    otherwise ties are ordered as torch's CPU sort orders them."""
    a = input._data
    d = input._wrap_dim(dim)
    if a.ndim == 0:
        vals, idx = a.copy(), np.zeros((), _i64)
    else:
        idx = _sort_indices(a, d, descending, bool(stable))
        vals = np.take_along_axis(a, idx, axis=d)
    name = "SortBackward0" if stable is None else "SortBackward1"
    return _selected("sort", name, input, d, vals, idx)


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``."""
    a = input._data
    d = input._wrap_dim(dim)
    if a.ndim == 0:
        return _make(np.zeros((), _i64))
    return _make(_sort_indices(a, d, descending, bool(stable)))


def msort(input):
    """``input`` sorted along its first dim."""
    return sort(input, 0).values


# ----------------------------------------------------------------------------
# topk / kthvalue


def _topk_row(ranks, k, largest, sorted):
    """torch's CPU topk selection of one row (partial_sort or nth_element)."""
    n = len(ranks)
    v = _pairs(ranks if largest else -ranks)
    if k * 64 <= n:
        _partial_sort(v, 0, k, n)
    else:
        _nth_element(v, 0, k - 1, n)
        if sorted:
            _sort(v, 0, k - 1)
    return [i for _, i in v[:k]]


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim`` and their
    indices; NaN counts as the largest value."""
    a = input._data
    d = input._wrap_dim(dim)
    n = a.shape[d] if a.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if a.ndim == 0:  # k is 0 or 1: torch returns the element either way
        return _selected("topk", "TopkBackward0", input, d, a.copy(), np.zeros((), _i64))
    rows, bshape = _rows(a, d)
    if rows.shape[0] == 0 or k == 0:
        sel = np.zeros((rows.shape[0], k), _i64)
    else:
        order, s = (_descending if largest else _ascending)(rows)
        sel = order[:, :k].copy()
        # only ties within the first k + 1 values can change the (sorted) selection
        eq = _equal_neighbours(s[:, : k + 1])
        by_algorithm = not sorted and k * 64 > n and k > 1
        todo = np.arange(rows.shape[0]) if by_algorithm else np.flatnonzero(eq.any(axis=1))
        if todo.size:
            oa, sa = _ascending(rows[todo])
            ranks = _ranks(oa, _equal_neighbours(sa))
            for j, r in enumerate(todo):
                sel[r] = _topk_row(ranks[j], k, largest, sorted)
    idx = _unrows(sel, bshape, d)
    return _selected("topk", "TopkBackward0", input, d, np.take_along_axis(a, idx, axis=d), idx)


def _quick_select_row(keys, k):
    """TH's quickselect (median-of-three, Sedgewick partition) over keys
    compared with ">": the index that lands at position ``k``."""
    arr = keys.tolist()
    ind = list(range(len(arr)))

    def swap(i, j):
        arr[i], arr[j] = arr[j], arr[i]
        ind[i], ind[j] = ind[j], ind[i]

    lo, hi = 0, len(arr) - 1
    while True:
        if hi <= lo:
            break
        if hi == lo + 1:
            if arr[lo] > arr[hi]:
                swap(lo, hi)
            break
        p = (lo + hi) >> 1
        swap(p, lo + 1)
        if arr[lo + 1] > arr[hi]:
            swap(lo + 1, hi)
        if arr[lo] > arr[hi]:
            swap(lo, hi)
        if arr[lo + 1] > arr[lo]:
            swap(lo + 1, lo)
        i, j = lo + 1, hi
        piv = arr[lo]
        while True:
            i += 1
            while piv > arr[i]:
                i += 1
            j -= 1
            while arr[j] > piv:
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return ind[k]


def _reduce_dim(vals, idx, bshape, d, keepdim):
    """Per-row results back in the input's layout, the dim kept or not."""
    vals = vals.reshape(bshape[:-1])
    idx = idx.reshape(bshape[:-1])
    if keepdim:
        vals, idx = np.expand_dims(vals, d), np.expand_dims(idx, d)
    return vals, idx


def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest element along ``dim`` and its index."""
    a = input._data
    d = input._wrap_dim(dim)
    n = a.shape[d] if a.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 0 < k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if a.ndim == 0:
        return _selected("kthvalue", "KthvalueBackward0", input, d, a.copy(), np.zeros((), _i64))
    rows, bshape = _rows(a, d)
    if rows.shape[0] == 0:
        vals, idx = _reduce_dim(rows[:, 0], np.zeros(0, _i64), bshape, d, keepdim)
        return _selected("kthvalue", "KthvalueBackward0", input, d, vals, idx)
    order, s = _ascending(rows)
    idx = order[:, k - 1].copy()
    eq = _equal_neighbours(s)
    tied = np.zeros(rows.shape[0], bool)
    if k > 1:
        tied |= eq[:, k - 2]
    if k < n:
        tied |= eq[:, k - 1]
    todo = np.flatnonzero(tied)
    if todo.size:
        ranks = _ranks(order[todo], eq[todo])
        for j, r in enumerate(todo):
            idx[r] = _quick_select_row(ranks[j], k - 1)
    vals = rows[np.arange(rows.shape[0]), idx]
    vals, idx = _reduce_dim(vals, idx, bshape, d, keepdim)
    return _selected("kthvalue", "KthvalueBackward0", input, d, vals, idx)


# ----------------------------------------------------------------------------
# median / nanmedian / mode


def _median_all(input, ignore_nan):
    a = input._data
    flat = a.ravel() if a.size else None
    if a.dtype.kind == "f" and flat is not None:
        nan = np.isnan(flat)
        if nan.any():
            if not ignore_nan:
                flat = None
            else:
                flat = flat[~nan]
                if flat.size == 0:
                    flat = None
    if flat is None:
        v = np.asarray(np.nan, a.dtype)
    else:
        k = (flat.size - 1) // 2
        v = np.partition(flat, k)[k]
    res = _make(np.asarray(v, dtype=a.dtype))
    if _state.enabled and input._requires_grad:
        node = MaxBackward1()
        node._name = "NanmedianBackward0" if ignore_nan else "MedianBackward0"
        node.save(input, res)
        _record(node, res, input)
    return res


def _median_dim(input, dim, keepdim, ignore_nan):
    name = "nanmedian" if ignore_nan else "median"
    node_name = "NanmedianBackward1" if ignore_nan else "MedianBackward1"
    a = input._data
    d = input._wrap_dim(dim)
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if a.ndim == 0:
        return _selected(name, node_name, input, d, a.copy(), np.zeros((), _i64))
    rows, bshape = _rows(a, d)
    m, n = rows.shape
    order, _ = _ascending(rows)
    if a.dtype.kind == "f":
        nan = np.isnan(rows)
        num_nan = nan.sum(axis=1)
    else:
        nan, num_nan = None, np.zeros(m, _i64)
    if ignore_nan:
        # the comparator orders (value, index) with NaN last, so the pick is
        # the stable sort's; a row of NaNs goes through nth_element
        pos = np.where(num_nan < n, (n - num_nan - 1) // 2, 0)
        idx = order[np.arange(m), pos]
        for r in np.flatnonzero(num_nan == n):
            v = [(0, i) for i in range(n)]
            _nth_element(v, 0, 0, n)
            idx[r] = v[0][1]
    else:
        idx = order[:, (n - 1) // 2].copy()
        has_nan = num_nan > 0
        if has_nan.any():
            idx[has_nan] = np.argmax(nan[has_nan], axis=1)
    vals = rows[np.arange(m), idx]
    vals, idx = _reduce_dim(vals, idx, bshape, d, keepdim)
    return _selected(name, node_name, input, d, vals, idx)


def _check_median_dtype(input, name):
    if input.dtype.name == "bool":
        from .pointwise import _not_implemented

        raise _not_implemented(input.dtype, name)


def median(input, dim=None, keepdim=False):
    """The lower median of all elements (NaN if any), or (values, indices)
    along ``dim``."""
    if dim is None:
        _check_median_dtype(input, "median_cpu")
        return _median_all(input, False)
    _check_median_dtype(input, "median_out")
    return _median_dim(input, dim, keepdim, False)


def nanmedian(input, dim=None, keepdim=False):
    """``median`` ignoring NaN values."""
    if dim is None:
        _check_median_dtype(input, "median_cpu")
        return _median_all(input, True)
    _check_median_dtype(input, "median_out")
    return _median_dim(input, dim, keepdim, True)


class _Key:
    """A value ordered by a C++ comparator ``less`` (which may treat NaN as
    equal to everything): lets the "greater, NaN first" transcriptions of
    ``_random.py`` run ``std::sort`` with ``less``."""

    __slots__ = ("v", "less")

    def __init__(self, v, less):
        self.v, self.less = v, less

    def __ne__(self, other):  # never "NaN" to the transcriptions
        return False

    def __eq__(self, other):
        return True

    def __gt__(self, other):
        return self.less(self.v, other.v)

    __hash__ = None


def _lt(x, y):
    return x < y


def _lex_lt(x, y):
    """torch's unique_dim comparator: the first position where one slice is
    less or greater decides (NaN decides nothing)."""
    for p, q in zip(x, y):
        if p < q:
            return True
        if p > q:
            return False
    return False


def _mode_row(row, ranks):
    """torch's mode of one row: std::sort by value ("<"), then the longest
    run of equal values, the first one on equal lengths; its last index."""
    n = len(row)
    if ranks is None:
        v = [(_Key(x, _lt), i) for i, x in enumerate(row.tolist())]
    else:
        v = _pairs(-ranks)
    _sort(v, 0, n)
    vals = [row[i] for _, i in v]
    best_v, best_i, best, run = vals[0], v[0][1], 0, 0
    for j in range(n):
        run += 1
        if j == n - 1 or vals[j] != vals[j + 1]:
            if run > best:
                best_v, best_i, best = vals[j], v[j][1], run
            run = 0
    return best_v, best_i


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest of equally
    frequent ones) and an index where it occurs."""
    a = input._data
    d = input._wrap_dim(dim)
    if a.ndim == 0:
        return _selected("mode", "ModeBackward0", input, d, a.copy(), np.zeros((), _i64))
    if a.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    rows, bshape = _rows(a, d)
    m, n = rows.shape
    order, s = _ascending(rows)
    vals = s[:, 0].copy()
    idx = order[:, 0].copy()
    eq = _equal_neighbours(s)
    if a.dtype.kind == "f":
        nan_rows = np.isnan(rows).any(axis=1)
    else:
        nan_rows = np.zeros(m, bool)
    todo = np.flatnonzero(eq.any(axis=1) | nan_rows)
    if todo.size:
        ranks = _ranks(order[todo], eq[todo])
        for j, r in enumerate(todo):
            vals[r], idx[r] = _mode_row(rows[r], None if nan_rows[r] else ranks[j])
    vals, idx = _reduce_dim(vals, idx, bshape, d, keepdim)
    return _selected("mode", "ModeBackward0", input, d, vals, idx)


# ----------------------------------------------------------------------------
# unique / unique_consecutive


class _NoDerivative(Node):
    """The node of an op torch has no derivative for: backward raises."""

    __slots__ = ("op",)

    def apply(self, g):
        raise NotImplementedError(f"the derivative for '{self.op}' is not implemented.")


def _no_derivative(res, input, name, op):
    if _state.enabled and input._requires_grad:
        node = _NoDerivative()
        node._name, node.op = name, op
        _record(node, res, input)
    return res


def _unique_dim(input, dim, consecutive):
    """torch's unique over slices along ``dim``: slices std::sort-ed by a
    lexicographic "<" (unless consecutive), then runs of equal slices merged."""
    a = input._data
    if a.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = input._wrap_dim(dim)
    if a.size == 0:
        if a.shape.count(0) != 1:
            raise RuntimeError(
                "Number of zero sized dimensions is more than one, so unique cannot be applied "
            )
        if a.shape[d] != 0:
            raise RuntimeError(
                "There are 0 sized dimensions, and they aren't selected, so unique cannot be "
                "applied"
            )
        return a.copy(), np.zeros(0, _i64), np.zeros(0, _i64)
    moved = np.moveaxis(a, d, 0)
    n = moved.shape[0]
    flat = moved.reshape(n, -1)
    if consecutive:
        order = np.arange(n)
    elif a.dtype.kind == "f" and np.isnan(flat).any():
        v = [(_Key(row, _lex_lt), i) for i, row in enumerate(flat.tolist())]
        _sort(v, 0, n)
        order = np.array([i for _, i in v], dtype=_i64)
    else:
        order = np.lexsort(flat.T[::-1]) if flat.shape[1] else np.arange(n)
    srt = flat[order]
    start = np.ones(n, bool)
    start[1:] = (srt[1:] != srt[:-1]).any(axis=1)
    inv = np.empty(n, _i64)
    inv[order] = np.cumsum(start) - 1
    counts = np.diff(np.append(np.flatnonzero(start), n))
    vals = np.moveaxis(moved[order][start], 0, d)
    return vals, inv, counts


def _unique_result(out, inv, counts, return_inverse, return_counts):
    if return_inverse and return_counts:
        return out, inv, counts
    if return_inverse:
        return out, inv
    if return_counts:
        return out, counts
    return out


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), optionally with the inverse indices and
    the counts; with ``dim``, the distinct slices along it. Each NaN is
    distinct."""
    a = input._data
    if dim is None:
        flat = a.ravel()
        vals, inv, counts = np.unique(
            flat, return_inverse=True, return_counts=True, equal_nan=False
        )
        inv = inv.reshape(a.shape)
        out = _no_derivative(_make(vals), input, "Unique2Backward0", "_unique2")
    else:
        vals, inv, counts = _unique_dim(input, dim, False)
        out = _no_derivative(_make(vals), input, "UniqueDimBackward0", "unique_dim")
    inv_t = _make(np.asarray(inv, dtype=_i64))
    counts_t = _make(np.asarray(counts, dtype=_i64))
    return _unique_result(out, inv_t, counts_t, return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """One element (or slice along ``dim``) from each run of equal
    consecutive ones, optionally with the inverse indices and run lengths."""
    a = input._data
    if dim is None:
        flat = a.ravel()
        if flat.size:
            start = np.empty(flat.size, bool)
            start[0] = True
            np.not_equal(flat[1:], flat[:-1], out=start[1:])
        else:
            start = np.zeros(0, bool)
        vals = flat[start]
        inv = (np.cumsum(start) - 1).reshape(a.shape)
    else:
        vals, inv, counts = _unique_dim(input, dim, True)
        start = None
    if start is not None:
        counts = np.diff(np.append(np.flatnonzero(start), start.size))
    out = _no_derivative(
        _make(np.asarray(vals)), input, "UniqueConsecutiveBackward0", "unique_consecutive"
    )
    inv_t = _make(np.asarray(inv, dtype=_i64))
    counts_t = _make(np.asarray(counts, dtype=_i64))
    return _unique_result(out, inv_t, counts_t, return_inverse, return_counts)


# ----------------------------------------------------------------------------
# searchsorted / bucketize


def _search_values(values, like):
    if isinstance(values, Tensor):
        return values._data, False
    return np.asarray(values, dtype=like.dtype), True


def searchsorted(
    sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None, out=None
):
    """Where each of ``input`` would be inserted into the innermost dim of
    ``sorted_sequence`` to keep it sorted (the first such place, or the last
    with ``right=True`` / ``side='right'``)."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(
                f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
            )
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of "
                "left while right was True"
            )
        right = side == "right"
    seq = sorted_sequence._data
    vals, scalar = _search_values(input, seq)
    if scalar and seq.ndim != 1:
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor "
            f"dimension is 1, but we got boundaries tensor dim({seq.ndim}) and input value's "
            f"dim(0) numel(1)"
        )
    if seq.ndim != 1 and (seq.ndim != vals.ndim or seq.shape[:-1] != vals.shape[:-1]):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(vals.shape)}"
        )
    if sorter is not None:
        if sorter.shape != sorted_sequence.shape:
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got "
                f"boundary tensor {list(seq.shape)}and got sorter tensor "
                f"{list(sorter.shape)}"
            )
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    how = "right" if right else "left"
    if seq.ndim == 1:
        r = np.searchsorted(seq, vals, side=how)
    else:
        r = np.empty(vals.shape, _i64)
        s2, v2, r2 = seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1]), None
        r2 = r.reshape(-1, vals.shape[-1])
        for i in range(s2.shape[0]):
            r2[i] = np.searchsorted(s2[i], v2[i], side=how)
    res = _make(np.asarray(r, dtype=np.int32 if out_int32 else _i64))
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "searchsorted")
    return res


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The index of the bucket of ``boundaries`` (1-D, sorted) each element
    of ``input`` falls in."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})"
        )
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


def _tensor_unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return unique(self, sorted, return_inverse, return_counts, dim)


# Tensor methods that are this family's functions (self first)
TENSOR_METHODS: dict = {
    "sort": sort,
    "argsort": argsort,
    "msort": msort,
    "topk": topk,
    "kthvalue": kthvalue,
    "median": median,
    "nanmedian": nanmedian,
    "mode": mode,
    "unique": _tensor_unique,
    "unique_consecutive": unique_consecutive,
}
