"""Indexing: ``x[idx]`` and ``x[idx] = v`` with autograd; index_select,
gather and the scatter family, index_add/copy/fill/put, the masked ops,
take/put, take_along_dim, nonzero/argwhere; and the flat-position helpers
that view gradients (as_strided, unfold, views re-created after an
in-place op) are built on."""

from __future__ import annotations

import re
import warnings

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state, _view_of, wrap_dim
from ..autograd.graph import Node
from ._common import checked_int
from .inplace import (
    _guard,
    apply_inplace,
    inplace_variant,
    rebase_view,
    regenerate_views,
    track_view,
)

__all__ = [
    "nonzero",
    "argwhere",
    "index_select",
    "gather",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "index_add",
    "index_copy",
    "index_fill",
    "index_put",
    "index_put_",
    "masked_fill",
    "masked_select",
    "masked_scatter",
    "take",
    "take_along_dim",
    "put",
]

_i64 = D.int64
_INDEX_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool")
_INDEX_KINDS = "iub"  # int, unsigned and bool arrays may index
_ZERO_DIM_MSG = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
    "C++ to convert a 0-dim tensor to a number"
)
_BAD_INDEX_DTYPE = "tensors used as indices must be long, int, byte or bool tensors"


def _c_order(arr):
    """``arr`` as a C-contiguous array (0-d stays 0-d)."""
    return np.asarray(arr, order="C")


def _index_array(i):
    """A tensor, list or array used as an index, as a NumPy int or bool array."""
    if isinstance(i, Tensor):
        arr = i._host()
    else:
        arr = np.asarray(_lists_of_arrays(i))
        if arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)  # x[[]] selects nothing
    if arr.dtype.kind not in _INDEX_KINDS:
        raise IndexError(_BAD_INDEX_DTYPE)
    if arr.dtype == np.uint8:
        warnings.warn(
            "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
            "instead. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)",
            UserWarning,
            stacklevel=4,
        )
        arr = arr.astype(np.bool_)
    return arr


def _lists_of_arrays(i):
    if isinstance(i, list):
        return [x._host() if isinstance(x, Tensor) else _lists_of_arrays(x) for x in i]
    return i


def _sequence_as_tuple(index):
    """NumPy's old rule, kept by torch: a short list holding sequences,
    slices, tensors, None or ... indexes as a tuple would."""
    if len(index) >= 32:
        return False
    for x in index:
        if x is None or x is Ellipsis or isinstance(x, (Tensor, list, tuple, slice, np.ndarray)):
            return True
    return False


_ALL = slice(None)


def _plan_ints_and_slices(index, shape):
    """``_plan`` for a tuple of ints and forward slices (x[:, 0], x[i, j:k]),
    or None for anything else."""
    steps = []
    dim = 0
    for pos, c in enumerate(index):
        tc = type(c)
        if tc is int:
            size = shape[pos]
            if not -size <= c < size:
                raise IndexError(
                    f"index {c} is out of bounds for dimension {pos} with size {size}"
                )
            steps.append(("select", dim, c))
        elif tc is slice:
            if c != _ALL:
                if c.step is not None and not (type(c.step) is int and c.step > 0):
                    return None
                start, stop, step = c.indices(shape[pos])
                if step != 1 or start != 0 or stop < shape[pos]:
                    steps.append(("slice", dim, c))
            dim += 1
        else:
            return None
    return steps, index + (Ellipsis,), None


def _plan(index, shape):
    """Follow a torch index over a tensor of ``shape`` as torch applies it:
    basic components first (select, slice, unsqueeze, left to right), then
    the tensors, as one advanced index into the result.

    Returns ``(steps, basic, adv)``: the basic steps ``(kind, dim, arg)``
    that torch records one node each for; the NumPy basic index for the
    whole of them; and the advanced index into the basic result (a tuple),
    or None.
    """
    t = type(index)
    if shape:  # the common single indices, kept short
        if t is int:
            size = shape[0]
            if not -size <= index < size:
                raise IndexError(
                    f"index {index} is out of bounds for dimension 0 with size {size}"
                )
            return [("select", 0, index)], (index, Ellipsis), None
        if t is slice and index.step is None:
            return [("slice", 0, index)], (index, Ellipsis), None
        if t is Tensor and index.dtype is _i64 and index._data.ndim:
            return [], (Ellipsis,), (index._data,)
        if t is tuple and len(index) <= len(shape):
            plan = _plan_ints_and_slices(index, shape)
            if plan is not None:
                return plan
    if t is list and _sequence_as_tuple(index):
        index = tuple(index)
    single = type(index) is not tuple
    comps = (index,) if single else index
    ndim = len(shape)
    items = []
    specified = 0
    for c in comps:
        if c is None:
            items.append(("n", None))
        elif c is Ellipsis:
            items.append(("e", None))
        elif isinstance(c, (bool, np.bool_)):
            items.append(("b", bool(c)))
        elif isinstance(c, (int, np.integer)):
            items.append(("i", int(c)))
            specified += 1
        elif isinstance(c, slice):
            items.append(("s", c))
            specified += 1
        elif isinstance(c, Tensor) and c._data.ndim == 0 and c.dtype.name in _INDEX_DTYPES:
            # a 0-d tensor indexes as the number it holds
            if c.dtype.name == "bool":
                items.append(("b", bool(c._data)))
            else:
                items.append(("i", int(c._data)))
                specified += 1
        elif isinstance(c, (Tensor, list, np.ndarray)):
            arr = _index_array(c)
            items.append(("t", arr))
            specified += arr.ndim if arr.dtype == np.bool_ else 1
        elif isinstance(c, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                f"are valid indices (got {type(c).__name__})"
            )
    if specified > ndim:
        if ndim == 0 and single:
            if items[0][0] == "s":
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
            if items[0][0] == "i":
                raise IndexError(_ZERO_DIM_MSG)
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    steps = []
    basic = []
    adv = []  # (dim in the basic result, array)
    cur = list(shape)
    dim = 0
    for pos, (kind, v) in enumerate(items):
        if kind == "i":
            size = cur[dim]
            if not -size <= v < size:
                raise IndexError(
                    f"index {v} is out of bounds for dimension {pos} with size {size}"
                )
            basic.append(v)
            steps.append(("select", dim, v))
            del cur[dim]
        elif kind == "s":
            if v.step is not None:
                step = int(v.step)
                if step == 0:
                    raise ValueError("slice step cannot be zero")
                if step < 0:
                    raise ValueError("step must be greater than zero")
            v = slice(*(None if e is None else int(e) for e in (v.start, v.stop, v.step)))
            size = cur[dim]
            start, stop, step = v.indices(size)
            n = len(range(start, stop, step))
            # torch skips a slice that keeps a whole dim, unless it is the whole index
            if single or n != size or step != 1:
                steps.append(("slice", dim, v))
            basic.append(v)
            cur[dim] = n
            dim += 1
        elif kind == "n" or kind == "b":
            basic.append(None)
            steps.append(("unsqueeze", dim, None))
            cur.insert(dim, 1)
            if kind == "b":
                adv.append((dim, np.zeros(1 if v else 0, np.int64)))
            dim += 1
        elif kind == "e":
            k = ndim - specified
            if Ellipsis not in basic:  # torch lets a second ... through, covering nothing
                basic.extend((slice(None),) * k)
                basic.append(Ellipsis)
            dim += k
        else:
            k = v.ndim if v.dtype == np.bool_ else 1
            basic.extend((slice(None),) * k)
            adv.append((dim, v))
            dim += k
    if Ellipsis not in basic:
        basic.append(Ellipsis)  # keeps a fully indexed result a 0-d view
    if not adv:
        return steps, tuple(basic), None
    return steps, tuple(basic), _advanced(adv, cur)


def _advanced(adv, shape):
    """The NumPy index applying ``adv`` to a tensor of ``shape``."""
    idx = []
    d = 0
    for dim, arr in adv:
        while d < dim:
            idx.append(slice(None))
            d += 1
        if arr.dtype == np.bool_:
            for j in range(arr.ndim):
                if arr.shape[j] != shape[dim + j]:
                    raise IndexError(
                        f"The shape of the mask {list(arr.shape)} at index {j} does not match "
                        f"the shape of the indexed tensor {list(shape)} at index {dim + j}"
                    )
            d += arr.ndim
        else:
            d += 1
        idx.append(arr)
    return tuple(idx)


def _take_adv(a, idx):
    """``a[idx]`` for an advanced index, with torch's errors."""
    try:
        return a[idx]
    except IndexError as e:
        msg = str(e)
        if msg.startswith("shape mismatch"):
            shapes = [list(i.shape) for i in idx if isinstance(i, np.ndarray)]
            msg = (
                "shape mismatch: indexing tensors could not be broadcast together with shapes "
                + ", ".join(str(s) for s in shapes)
            )
        m = re.match(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg)
        if m:  # torch counts the index tensors, not the dims
            msg = (
                f"index {m.group(1)} is out of bounds for dimension "
                f"{_tensor_ordinal(idx, int(m.group(2)))} with size {m.group(3)}"
            )
        raise IndexError(msg) from None


def _tensor_ordinal(idx, axis):
    """Which index tensor of ``idx`` indexes ``axis``."""
    ax = n = 0
    for i in idx:
        k = i.ndim if isinstance(i, np.ndarray) and i.dtype == np.bool_ else 1
        if isinstance(i, np.ndarray):
            if ax <= axis < ax + k:
                return n + axis - ax
            n += k
        ax += k
    return axis


class IndexBackward(Node):
    """Gradient of an index step: ``g`` placed into zeros of the input's
    shape (repeated advanced indices accumulate)."""

    __slots__ = ("shape", "dtype", "index", "basic")

    def apply(self, g):
        return (index_put_zeros(g, self.index, self.shape, self.basic),)


class AliasBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


def _step(t, kind, dim, arg, base):
    """One basic step of an index, recorded as torch records it."""
    a = t._data
    if kind == "unsqueeze":
        from .shape import UnsqueezeBackward0

        res = _view_of(np.expand_dims(a, dim), base)
        node = UnsqueezeBackward0()
        node.dim = dim
    else:
        idx = (slice(None),) * dim + (arg, Ellipsis)
        res = _view_of(a[idx], base)
        node = IndexBackward()
        node.shape, node.dtype, node.index, node.basic = a.shape, t.dtype, idx, True
        node._name = "SelectBackward0" if kind == "select" else "SliceBackward0"
    return track_view(_record(node, res, t))


def getitem(input, index):
    """``input[index]`` as torch indexes: ints, slices, None and ``...``
    give a view; tensors, lists and bools then index it (a copy)."""
    a = input._data
    if type(index) is int and a.ndim:  # the common case, kept short
        n = a.shape[0]
        if not -n <= index < n:
            raise IndexError(f"index {index} is out of bounds for dimension 0 with size {n}")
        res = _view_of(a[index, ...], input)
        if _state.enabled and input._requires_grad:
            node = IndexBackward()
            node.shape, node.dtype, node.index, node.basic = a.shape, input.dtype, (index,), True
            node._name = "SelectBackward0"
            track_view(_record(node, res, input))
        return res
    steps, basic, adv = _plan(index, a.shape)
    if not (_state.enabled and input._requires_grad):
        view = a[basic]
        if adv is None:
            return _view_of(view, input)
        return _make(_take_adv(view, adv))
    # under autograd: one node per step, as torch records them
    t = input
    for kind, dim, arg in steps:
        t = _step(t, kind, dim, arg, input)
    if adv is not None:
        res = _make(_take_adv(t._data, adv))
        node = IndexBackward()
        node.shape, node.dtype, node.index, node.basic = t._data.shape, t.dtype, adv, False
        node._name = "IndexBackward0"
        return _record(node, res, t)
    if t is input:  # nothing but full slices and ...: an alias
        t = track_view(_record(AliasBackward0(), _view_of(a[...], input), input))
    return t


class IndexPutZerosBackward(Node):
    __slots__ = ("index",)

    def name(self):
        return "IndexPutBackward0"

    def apply(self, g):
        return (_make(_take_adv(g._data, self.index)) if not _state.enabled else _take(g, self),)


def _take(g, node):
    r = _make(_take_adv(g._data, node.index))
    inner = IndexBackward()
    inner.shape, inner.dtype, inner.index = g._data.shape, g.dtype, node.index
    inner.basic = False
    inner._name = "IndexBackward0"
    return _record(inner, r, g) if g._requires_grad else r


def index_put_zeros(g, index, shape, basic):
    """A zero tensor of ``shape`` with ``g`` added at ``index`` (repeated
    indices accumulate): the gradient of indexing."""
    z = np.zeros(shape, dtype=g._data.dtype)
    if basic:
        z[index] = g._data
    else:
        np.add.at(z, index, g._data)
    res = _make(z)
    if _state.enabled and g._requires_grad:
        node = IndexPutZerosBackward()
        node.index = index
        _record(node, res, g)
    return res


class ScatterZerosBackward(Node):
    __slots__ = ("dim", "idx")

    def name(self):
        return "ScatterBackward0"

    def apply(self, g):
        return (gather_along(g, self.dim, self.idx),)


def scatter_zeros(g, dim, idx, shape):
    """Zeros of ``shape`` with ``g`` written at ``idx`` along ``dim``."""
    z = np.zeros(shape, dtype=g._data.dtype)
    np.put_along_axis(z, idx._data, g._data, axis=dim)
    res = _make(z)
    if _state.enabled and g._requires_grad:
        node = ScatterZerosBackward()
        node.dim, node.idx = dim, idx
        _record(node, res, g)
    return res


# ----------------------------------------------------------------------------
# assignment


class CopySlices(Node):
    """Gradient of ``x[index] = v``: for x, ``g`` with zeros where ``v`` was
    written; for ``v``, the written part of ``g``."""

    __slots__ = ("index",)

    def apply(self, g):
        nf = self.next_functions
        gx = _zero_at(g, self.index) if nf[0][0] is not None else None
        gv = getitem(g, self.index) if nf[1][0] is not None else None
        return gx, gv


class IndexPutBackward0(CopySlices):
    """``x[index] = v`` for an index of tensors only."""

    __slots__ = ()


class _ZeroAtBackward(Node):
    __slots__ = ("index",)

    def name(self):
        return "IndexPutBackward0"

    def apply(self, g):
        return (_zero_at(g, self.index),)


def _zero_at(g, index):
    """A copy of ``g`` with zeros at ``index`` (a torch index)."""
    z = g._data.copy()
    steps, basic, adv = _plan(index, z.shape)
    view = z[basic]
    if adv is None:
        view[...] = 0
    else:
        view[adv] = 0
    res = _make(z)
    if _state.enabled and g._requires_grad:
        node = _ZeroAtBackward()
        node.index = index
        _record(node, res, g)
    return res


def setitem(input, index, value):
    """``input[index] = value``: a number, or a tensor broadcast to the
    indexed part (cast to input's dtype for basic indices; advanced ones need
    the same dtype, as torch's index_put_)."""
    a = input._data
    steps, basic, adv = _plan(index, a.shape)
    vt = value if isinstance(value, Tensor) else None
    if vt is None:
        if input.dtype._cat == D._INT and type(value) in (int, float):
            value = checked_int(value, input.dtype)  # torch's overflow check
    elif adv is not None and vt.dtype is not input.dtype:
        _check_value_shape(a[basic], adv, vt._data)  # torch checks shapes first
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{input.dtype._legacy[:-6]} for the destination and {vt.dtype._legacy[:-6]} for "
            "the source."
        )
    tracked = _state.enabled and (input._requires_grad or (vt is not None and vt._requires_grad))
    is_view = False
    if tracked:
        if input.grad_fn is None and input._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
                if steps
                else "a leaf Variable that requires grad is being used in an in-place operation."
            )
        is_view = _guard(input)
        if adv is None and vt is not None:
            target = a[basic].shape
            if vt._data.shape != target:
                vt = vt.expand(target)  # torch's copy_ expands the value first
    _assign(input, basic, adv, value if vt is None else vt)
    if tracked:
        old = _make(a)  # carries the history before the write
        old.grad_fn, old._requires_grad, old._out_nr = (
            input.grad_fn,
            input._requires_grad,
            input._out_nr,
        )
        if adv is not None and not steps:
            node = IndexPutBackward0()
            node._name = "IndexPutBackward0"
        else:
            node = CopySlices()
            node._name = "torch::autograd::CopySlices"
        node.index = index
        _record(node, _make(a) if is_view else input, old, vt)
        node._meta = (
            (input.shape, input.dtype),
            (None, None) if vt is None else (vt.shape, vt.dtype),
        )
        if is_view:
            rebase_view(input, node, input.dtype)
            return
        input._out_nr = 0
        regenerate_views(input)


def _check_value_shape(view, adv, v):
    shape = _take_adv(view, adv).shape
    try:
        np.broadcast_shapes(np.shape(v), shape)
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be broadcast to "
            f"indexing result of shape {list(shape)}"
        ) from None


def _assign(input, basic, adv, value):
    a = input._data
    if not a.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    view = a[basic]
    if isinstance(value, Tensor):
        v = value._data
    elif a.dtype.kind in "iub" and isinstance(value, (bool, int, float)):
        v = np.asarray(value).astype(a.dtype)  # floats truncate, ints wrap, as torch casts
    else:
        v = value
    try:
        if adv is None:
            view[...] = v
        else:
            view[adv] = v
    except ValueError:
        if adv is None:  # torch's message: the value is expanded to the target
            value.expand(view.shape)
        _check_value_shape(view, adv, v)
        raise
    except IndexError as e:
        _take_adv(view, adv)  # raises torch's message
        raise e
    input._bump()


# ----------------------------------------------------------------------------
# flat positions: take, put, and the helpers views use for their gradients


def _positions_in(v, a):
    """For each element of array ``v`` (a view of ``a``'s memory), the flat
    (C order) index of the element of ``a`` at the same address, or -1."""
    isz = a.itemsize
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    r0 = root.__array_interface__["data"][0]

    def storage(x):
        off = (x.__array_interface__["data"][0] - r0) // isz
        pos = np.full(x.shape, off, dtype=np.int64)
        for k, (n, st) in enumerate(zip(x.shape, x.strides)):
            shape = [1] * x.ndim
            shape[k] = n
            pos = pos + (np.arange(n, dtype=np.int64) * (st // isz)).reshape(shape)
        return pos

    pa = storage(a).reshape(-1)
    pv = storage(v)
    order = np.argsort(pa, kind="stable")
    sa = pa[order]
    i = np.searchsorted(sa, pv)
    ic = np.minimum(i, max(sa.size - 1, 0))
    if sa.size == 0:
        return np.full(pv.shape, -1, dtype=np.int64)
    found = sa[ic] == pv
    return np.where(found, order[ic], -1).astype(np.int64)


class _AccumulateAtBackward(Node):
    __slots__ = ("idx",)

    def name(self):
        return "PutBackward0"

    def apply(self, g):
        return (_gather_at(g, self.idx, "TakeBackward0"),)


def _accumulate_at(g, idx, shape):
    """Zeros of ``shape`` with ``g`` added at the flat positions ``idx``
    (an array of g's shape; -1 drops an element)."""
    z = np.zeros(int(np.prod(shape, dtype=np.int64)), dtype=g._data.dtype)
    gd = g._data
    keep = idx >= 0
    if keep.all():
        np.add.at(z, idx.reshape(-1), gd.reshape(-1))
    else:
        np.add.at(z, idx[keep], gd[keep])
    res = _make(z.reshape(shape))
    if _state.enabled and g._requires_grad:
        node = _AccumulateAtBackward()
        node.idx = idx
        _record(node, res, g)
    return res


class _GatherAtBackward(Node):
    __slots__ = ("idx", "shape")

    def apply(self, g):
        return (_accumulate_at(g, self.idx, self.shape),)


def _gather_at(x, idx, name):
    """The elements of ``x`` at flat positions ``idx`` (zero where -1)."""
    flat = x._data.reshape(-1)
    keep = idx >= 0
    if keep.all():
        r = flat[idx]
    else:
        r = np.where(keep, flat[np.where(keep, idx, 0)] if flat.size else 0, 0)
        r = r.astype(flat.dtype)
    res = _make(_c_order(r))
    if _state.enabled and x._requires_grad:
        node = _GatherAtBackward()
        node.idx, node.shape, node._name = idx, x._data.shape, name
        _record(node, res, x)
    return res


def _long_index(index, name):
    if index.dtype is not _i64:
        raise RuntimeError(
            f"{name}(): Expected a long tensor for index, but got {_short(index.dtype)}"
        )
    return index._data


def _flat_index(idx, numel):
    """Flat indices with negative ones wrapped, checked against ``numel``."""
    bad = (idx >= numel) | (idx < -numel)
    if bad.any():
        v = int(idx.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]])
        raise IndexError(
            f"out of range: tried to access index {v} on a tensor of {numel} elements."
        )
    return np.where(idx < 0, idx + numel, idx).astype(np.int64)


def take(input, index):
    """The elements at flat (C-order) positions ``index``, in its shape."""
    idx = _flat_index(_long_index(index, "take"), input._data.size)
    return _gather_at(input, idx, "TakeBackward0")


class PutBackward0(Node):
    __slots__ = ("idx", "accumulate", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gs = gv = None
        if nf[0][0] is not None:
            gs = g if self.accumulate else _put_zero(g, self.idx)
        if nf[1][0] is not None:
            gv = _gather_at(g, self.idx, "TakeBackward0").reshape(self.src_shape)
        return gs, gv


def _put_zero(g, idx):
    from .creation import zeros

    return _put(g, idx, zeros(idx.shape, dtype=g.dtype), False)


def _put(input, idx, source, accumulate):
    a = input._data
    out = np.array(a, order="C")
    flat = out.reshape(-1)
    src = source._data.reshape(-1)
    if accumulate:
        np.add.at(flat, idx.reshape(-1), src)
    else:
        flat[idx.reshape(-1)] = src
    res = _make(out)
    if _state.enabled and (input._requires_grad or source._requires_grad):
        node = PutBackward0()
        node.idx, node.accumulate, node.src_shape = idx, accumulate, source._data.shape
        _record(node, res, input, source)
    return res


def put(input, index, source, accumulate=False):
    """A copy of ``input`` with ``source``'s elements written (or added) at
    flat positions ``index``."""
    idx = _long_index(index, "put_")
    if source.dtype is not input.dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{_short(input.dtype)} and source.dtype = {_short(source.dtype)}"
        )
    if idx.size != source._data.size:
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source._data.size}, index.numel() = {idx.size}"
        )
    return _put(input, _flat_index(idx, input._data.size), source, accumulate)


# ----------------------------------------------------------------------------
# index_select, gather, scatter


def _short(dtype):
    from .inplace import _short_name

    return _short_name(dtype)


def _dim_index(d, idx):
    return (slice(None),) * d + (idx,)


class IndexSelectBackward0(Node):
    __slots__ = ("dim", "index", "shape")

    def apply(self, g):
        from .creation import zeros

        return (index_add(zeros(self.shape, dtype=g.dtype), self.dim, self.index, g),)


def index_select(input, dim, index, *, out=None):
    """The slices of ``input`` at ``index`` along ``dim``."""
    a = input._data
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = wrap_dim(dim, a.ndim)
    idx = index._data.reshape(-1).astype(np.int64, copy=False)
    if a.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
            )
        r = a.copy()
        n = 1
    else:
        n = a.shape[d]
        r = None
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        v = int(idx[np.flatnonzero(bad)[0]])
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={v} axis_dim={n}")
    if r is None:
        r = _c_order(np.take(a, idx, axis=d))
    res = _make(r)
    if _state.enabled and input._requires_grad:
        node = IndexSelectBackward0()
        node.dim, node.index, node.shape = d, index, a.shape
        _record(node, res, input)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "index_select")
    return res


def _along(idx, dim):
    """The NumPy index that pairs each position of ``idx`` with itself in
    every dim but ``dim``, where it takes idx's value."""
    nd = idx.ndim
    out = []
    for d in range(nd):
        if d == dim:
            out.append(idx)
        else:
            shape = [1] * nd
            shape[d] = idx.shape[d]
            out.append(np.arange(idx.shape[d]).reshape(shape))
    return tuple(out)


def _check_bounds(idx, d, n):
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        v = int(idx.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]])
        raise RuntimeError(f"index {v} is out of bounds for dimension {d} with size {n}")


class GatherBackward0(Node):
    __slots__ = ("dim", "idx", "shape")

    def apply(self, g):
        from .creation import zeros

        return (scatter_add(zeros(self.shape, dtype=g.dtype), self.dim, self.idx, g),)


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` for dim 1 (and so on):
    the values at ``index`` along ``dim``, in index's shape."""
    a = input._data
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    d = wrap_dim(dim, a.ndim)
    ix = index._data
    if max(ix.ndim, 1) != max(a.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    a1 = a.reshape(1) if a.ndim == 0 else a
    i1 = ix.reshape(-1) if ix.ndim == 0 else ix
    for k in range(a1.ndim):
        if k != d and i1.shape[k] > a1.shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(ix.shape)} to be no "
                f"larger than self {list(a.shape)} apart from dimension {d}"
            )
    _check_bounds(i1, d, a1.shape[d])
    r = a1[_along(i1.astype(np.int64, copy=False), d)].reshape(ix.shape)
    res = _make(_c_order(r))
    if _state.enabled and input._requires_grad:
        node = GatherBackward0()
        node.dim, node.idx, node.shape = d, index, a.shape
        _record(node, res, input)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "gather")
    return res


def gather_along(g, dim, idx):
    """``g``'s values at ``idx`` along ``dim`` (the dual of scatter_zeros)."""
    return gather(g, dim, idx)


def _scatter_prep(input, dim, index, src, name):
    """Checks shared by the scatter family; the index (as int64) and src
    (cut to index's shape) as arrays, the wrapped dim, and the output array."""
    a = input._data
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = wrap_dim(dim, a.ndim)
    ix = index._data
    nd = max(a.ndim, 1)
    if max(ix.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and max(src._data.ndim, 1) != nd:
        if src._data.ndim < nd:
            wrap_dim(nd - 1, src._data.ndim)  # torch reads src.size() past its dims
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    a1 = a.reshape(1) if a.ndim == 0 else a
    i1 = (ix.reshape(-1) if ix.ndim == 0 else ix).astype(np.int64, copy=False)
    s1 = None
    if src is not None:
        s1 = src._data.reshape(-1) if src._data.ndim == 0 else src._data
    for k in range(nd):
        if (k != d and i1.shape[k] > a1.shape[k]) or (
            s1 is not None and i1.shape[k] > s1.shape[k]
        ):
            msg = (
                f"Expected index {list(ix.shape)} to be no larger than self {list(a.shape)} "
                f"apart from dimension {d}"
            )
            if s1 is not None:
                msg += f" and to be no larger size than src {list(src._data.shape)}"
            raise RuntimeError(msg)
    _check_bounds(i1, d, a1.shape[d])
    if s1 is not None:
        s1 = s1[tuple(slice(0, n) for n in i1.shape)]
    out = np.array(a1, order="C")
    return d, i1, s1, out


class ScatterBackward(Node):
    """Gradient of scatter: zeros where values were written; for src, the
    gradient at the written positions."""

    __slots__ = ("dim", "index", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gs = scatter(g, self.dim, self.index, 0) if nf[0][0] is not None else None
        if len(nf) == 1:
            return (gs,)
        gv = None
        if nf[1][0] is not None:
            gv = _fit_src(gather(g, self.dim, self.index), self.src_shape)
        return gs, gv


def _scatter_value(value, a):
    """A fill value as an array of ``a``'s dtype, with torch's overflow check
    for integer dtypes."""
    if isinstance(value, Tensor):
        value = value.item()
    elif isinstance(value, np.generic):
        value = value.item()
    if a.dtype.kind in "iu" and type(value) in (int, float):
        value = checked_int(value, D._FROM_NP[a.dtype])
    return np.asarray(value).astype(a.dtype)


def _fit_src(gv, shape):
    """``gv`` (index-shaped) in the leading corner of zeros of ``shape``: the
    gradient of a src larger than its index."""
    if gv._data.shape == tuple(shape):
        return gv
    from .creation import zeros

    z = zeros(shape, dtype=gv.dtype)
    z[tuple(slice(0, n) for n in gv._data.shape)] = gv
    return z


def scatter(input, dim, index, src=None, *, value=None, reduce=None, out=None):
    """A copy of ``input`` with ``src``'s values (or ``value``) written at
    ``index`` along ``dim``; ``reduce='add'``/``'multiply'`` combines instead."""
    is_tensor = isinstance(src, Tensor)
    if src is not None and not is_tensor:
        value, src = src, None
    d, i1, s1, arr = _scatter_prep(input, dim, index, src, "scatter")
    pos = _along(i1, d)
    v = s1 if is_tensor else _scatter_value(value, arr)
    if reduce is None:
        arr[pos] = v
    else:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if is_tensor:
            _warn_scatter_reduce()
        (np.add if reduce == "add" else np.multiply).at(arr, pos, v)
    res = _make(arr.reshape(input._data.shape))
    if _state.enabled and (input._requires_grad or (is_tensor and src._requires_grad)):
        if reduce is not None:
            from .pointwise import NotImplementedBackward

            node = NotImplementedBackward()
            node.op = "scatter"
        else:
            node = ScatterBackward()
            node._name = "ScatterBackward0" if is_tensor else "ScatterBackward1"
            node.dim, node.index = d, index
            node.src_shape = src._data.shape if is_tensor else None
        if is_tensor:
            _record(node, res, input, src)
        else:
            _record(node, res, input)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "scatter")
    return res


def _warn_scatter_reduce():
    from .._tensor import _WARNED

    if not _WARNED.get("scatter_reduce"):
        _WARNED["scatter_reduce"] = True
        warnings.warn(
            "The reduce argument of torch.scatter with Tensor src is deprecated and will be "
            "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
            "reduction options. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:225.)",
            UserWarning,
            stacklevel=3,
        )


class ScatterAddBackward0(Node):
    __slots__ = ("dim", "index", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gv = None
        if nf[1][0] is not None:
            gv = _fit_src(gather(g, self.dim, self.index), self.src_shape)
        return (g if nf[0][0] is not None else None), gv


def scatter_add(input, dim, index, src, *, out=None):
    """A copy of ``input`` with ``src``'s values added at ``index`` along
    ``dim`` (repeated indices accumulate)."""
    d, i1, s1, arr = _scatter_prep(input, dim, index, src, "scatter")
    np.add.at(arr, _along(i1, d), s1)
    res = _make(arr.reshape(input._data.shape))
    if _state.enabled and (input._requires_grad or src._requires_grad):
        node = ScatterAddBackward0()
        node.dim, node.index, node.src_shape = d, index, src._data.shape
        _record(node, res, input, src)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "scatter_add")
    return res


_REDUCES = ("sum", "prod", "mean", "amax", "amin")


class ScatterReduceBackward0(Node):
    __slots__ = ("dim", "index", "reduce", "include_self")

    def apply(self, g):
        from .pointwise import where

        x, src, res = self.saved()
        d, index, red = self.dim, self.index, self.reduce
        src_shape = src._data.shape
        if src_shape != index._data.shape:
            src = getitem(src, tuple(slice(0, n) for n in index._data.shape))
        if red == "sum":
            gs, gv = g, gather(g, d, index)
        elif red == "mean":
            n = ones_like_(g) if self.include_self else g * 0
            n = scatter_add(n, d, index, ones_like_(src))
            n = masked_fill(n, _make(n._data == 0), 1)
            gs = g / n
            gv = gather(g, d, index) / gather(n, d, index)
        elif red == "prod":
            masked_self = masked_fill(x, _make(x._data == 0), 1)
            msr = scatter_reduce(masked_self, d, index, src, red, include_self=self.include_self)
            gs = g * msr / masked_self
            src_zero = _make(src._data == 0)
            nz = scatter_add(x * 0, d, index, src_zero.to(x.dtype))
            nz = gather(nz, d, index)
            single = _make(src_zero._data & (nz._data == 1))
            masked_src = masked_fill(src, single, 1)
            mres = scatter_reduce(x, d, index, masked_src, red, include_self=self.include_self)
            gv = where(
                single,
                gather(g * mres, d, index),
                gather(g * res, d, index) / masked_fill(src, src_zero, 1),
            )
        else:
            value = gather(res, d, index)
            self_is = _make(x._data == res._data)
            src_is = _make(src._data == value._data)
            n = scatter_add(self_is.to(x.dtype), d, index, src_is.to(x.dtype))
            gd = g / n
            gs = self_is * gd
            gv = src_is * gather(gd, d, index)
        if not self.include_self:
            gs = scatter(gs, d, index, 0)
        gv = _fit_src(gv, src_shape)
        nf = self.next_functions
        return (gs if nf[0][0] is not None else None), (gv if nf[1][0] is not None else None)


def ones_like_(t):
    from .creation import ones_like

    return ones_like(t)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """A copy of ``input`` with ``src``'s values reduced into it at ``index``
    along ``dim``: 'sum', 'prod', 'mean', 'amax' or 'amin'; with
    ``include_self=False`` the scattered-to positions start empty."""
    if reduce not in _REDUCES:
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    d, i1, s1, arr = _scatter_prep(input, dim, index, src, "scatter_reduce")
    pos = _along(i1, d)
    if reduce == "mean":
        cnt = np.ones(arr.shape, dtype=np.int64)
        if not include_self:
            arr[pos] = 0
            cnt[pos] = 0
        np.add.at(arr, pos, s1)
        np.add.at(cnt, pos, 1)
        cnt[cnt == 0] = 1
        if arr.dtype.kind in "iu":
            arr = np.floor_divide(arr, cnt).astype(arr.dtype)
        else:
            arr = (arr / cnt).astype(arr.dtype)
    else:
        fn = {"sum": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}[reduce]
        if not include_self:
            if reduce == "sum":
                arr[pos] = 0
            elif reduce == "prod":
                arr[pos] = 1
            else:
                if arr.dtype.kind == "f":
                    start = -np.inf if reduce == "amax" else np.inf
                elif arr.dtype == np.bool_:
                    start = reduce != "amax"
                else:
                    info = np.iinfo(arr.dtype)
                    start = info.min if reduce == "amax" else info.max
                arr[pos] = start
        fn.at(arr, pos, s1)
    res = _make(arr.reshape(input._data.shape))
    if _state.enabled and (input._requires_grad or src._requires_grad):
        node = ScatterReduceBackward0()
        node.dim, node.index, node.reduce, node.include_self = d, index, reduce, include_self
        x = _make(input._data)
        x._vc = input._vc
        node.save(x, src, Tensor._alias(res))
        _record(node, res, input, src)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "scatter_reduce")
    return res


# ----------------------------------------------------------------------------
# index_add, index_copy, index_fill, index_put


class IndexAddBackward0(Node):
    __slots__ = ("dim", "index", "alpha", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gv = None
        if nf[1][0] is not None:
            gv = index_select(g, self.dim, self.index)
            if self.alpha != 1:
                gv = gv * self.alpha
            if gv._data.shape != self.src_shape:
                gv = gv.reshape(self.src_shape)
        return (g if nf[0][0] is not None else None), gv


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """A copy of ``input`` with ``alpha * source`` added at ``index`` along
    ``dim`` (repeated indices accumulate)."""
    a = input._data
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError(
            f"index_add_(): Expected dtype int32/int64 for index but got: {_short(index.dtype)}"
        )
    ix = index._data
    if ix.ndim > 1:
        raise IndexError(
            "index_add_(): Index is supposed to be a vector, but got dim: "
            f"{ix.ndim} with type: {_short(index.dtype)} and size: {list(ix.shape)}"
        )
    d = wrap_dim(dim, a.ndim)
    a1 = a.reshape(1) if a.ndim == 0 else a
    s = source._data
    s1 = s.reshape(1) if s.ndim == 0 else s
    idx = ix.reshape(-1).astype(np.int64, copy=False)
    if s1.ndim != a1.ndim or any(s1.shape[k] != a1.shape[k] for k in range(a1.ndim) if k != d):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(a.shape)} source.shape = {list(s.shape)}"
        )
    if idx.size != s1.shape[d]:
        raise RuntimeError(
            f"index_add_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({s1.shape[d]}), for dim: {d}"
        )
    if source.dtype is not input.dtype:
        raise RuntimeError(
            f"index_add_(): self ({_short(input.dtype)}) and source ({_short(source.dtype)}) "
            "must have the same scalar type"
        )
    n = a1.shape[d]
    if a1.ndim == 1 and ((idx < 0) | (idx >= n)).any():
        raise IndexError("index out of range in self")
    _check_bounds(idx, d, n)
    arr = np.array(a1, order="C")
    if a.dtype.kind in "iu":
        alpha = int(alpha)
    v = s1 if alpha == 1 else s1 * np.asarray(alpha).astype(a.dtype)
    np.add.at(arr, _dim_index(d, idx), v)
    res = _make(arr.reshape(a.shape))
    if _state.enabled and (input._requires_grad or source._requires_grad):
        node = IndexAddBackward0()
        node.dim, node.index, node.alpha, node.src_shape = d, index, alpha, s.shape
        _record(node, res, input, source)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "index_add")
    return res


class IndexCopyBackward0(Node):
    __slots__ = ("dim", "index", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gs = index_fill(g, self.dim, self.index, 0) if nf[0][0] is not None else None
        gv = None
        if nf[1][0] is not None:
            gv = index_select(g, self.dim, self.index)
            if gv._data.shape != self.src_shape:
                gv = gv.reshape(self.src_shape)
        return gs, gv


def index_copy(input, dim, index, source):
    """A copy of ``input`` with the slices of ``source`` written at ``index``
    along ``dim``."""
    a = input._data
    if index.dtype is not _i64:
        raise RuntimeError(
            f"index_copy_(): Expected a long tensor for index, but got {_short(index.dtype)}"
        )
    ix = index._data
    if ix.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {ix.ndim})")
    d = wrap_dim(dim, a.ndim)
    a1 = a.reshape(1) if a.ndim == 0 else a
    s = source._data
    s1 = s.reshape(1) if s.ndim == 0 else s
    idx = ix.reshape(-1)
    if idx.size != (s1.shape[d] if s1.ndim > d else 1):
        raise IndexError(
            f"index_copy_(): Number of indices ({idx.size}) should be equal to source.size(dim) "
            f"({s1.shape[d] if s1.ndim > d else 1})"
        )
    for k in range(max(a1.ndim, s1.ndim)):
        if k != d and (k >= a1.ndim or k >= s1.ndim or a1.shape[k] != s1.shape[k]):
            raise RuntimeError(
                "index_copy_(): Source/destination tensor must have same slice shapes. "
                f"Destination slice shape: {_slice_shape(a1.shape, d)} at dimension {d} and "
                f"source slice shape: {_slice_shape(s1.shape, d)} at dimension {d}."
            )
    if source.dtype is not input.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{_short(input.dtype)} and (source) {_short(source.dtype)}"
        )
    bad = (idx < 0) | (idx >= a1.shape[d])
    if bad.any():
        v = int(idx[np.flatnonzero(bad)[0]])
        raise IndexError(
            f"index_copy_(): index {v} is out of bounds for dimension {d} with size {a1.shape[d]}"
        )
    arr = np.array(a1, order="C")
    arr[_dim_index(d, idx)] = s1
    res = _make(arr.reshape(a.shape))
    if _state.enabled and (input._requires_grad or source._requires_grad):
        node = IndexCopyBackward0()
        node.dim, node.index, node.src_shape = d, index, s.shape
        _record(node, res, input, source)
    return res


def _slice_shape(shape, d):
    rest = [s for i, s in enumerate(shape) if i != d]
    return " ".join(str(s) for s in rest) if rest else ""


class IndexFillBackward(Node):
    __slots__ = ("dim", "index")

    def apply(self, g):
        nf = self.next_functions
        gs = index_fill(g, self.dim, self.index, 0) if nf[0][0] is not None else None
        if len(nf) == 1:
            return (gs,)
        gv = index_select(g, self.dim, self.index).sum() if nf[1][0] is not None else None
        return gs, gv


def index_fill(input, dim, index, value):
    """A copy of ``input`` with the slices at ``index`` along ``dim`` set to
    ``value`` (a number or a 0-d tensor)."""
    a = input._data
    vt = value if isinstance(value, Tensor) else None
    if vt is not None and vt._data.ndim != 0:
        raise RuntimeError(
            "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{vt._data.ndim} dimension(s)."
        )
    if index.dtype is not _i64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    ix = index._data
    if ix.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    d = wrap_dim(dim, a.ndim)
    a1 = a.reshape(1) if a.ndim == 0 else a
    n = a1.shape[d]
    idx = ix.reshape(-1)
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        v = int(idx[np.flatnonzero(bad)[0]])
        raise IndexError(f"index {v} is out of bounds for dimension {d} with size {n}")
    arr = np.array(a1, order="C")
    arr[_dim_index(d, idx)] = _scatter_value(value, a)
    res = _make(arr.reshape(a.shape))
    if _state.enabled and (input._requires_grad or (vt is not None and vt._requires_grad)):
        node = IndexFillBackward()
        node.dim, node.index = d, index
        node._name = "IndexFillBackward0" if vt is None else "IndexFillBackward1"
        if vt is None:
            _record(node, res, input)
        else:
            _record(node, res, input, vt)
    return res


class _IndexPutOpBackward(Node):
    __slots__ = ("index", "accumulate")

    def name(self):
        return "IndexPutBackward0"

    def apply(self, g):
        nf = self.next_functions
        gs = gv = None
        if nf[0][0] is not None:
            gs = g if self.accumulate else _zero_at(g, self.index)
        if nf[1][0] is not None:
            gv = getitem(g, self.index)
        return gs, gv


def index_put(input, indices, values, accumulate=False):
    """A copy of ``input`` with ``values`` written (or added) at the index
    given by the tuple of tensors ``indices``."""
    a = input._data
    indices = tuple(indices)
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 1, but got {type(t).__name__}"
            )
    if len(indices) > max(a.ndim, 0):
        raise IndexError(f"too many indices for tensor of dimension {a.ndim} (got {len(indices)})")
    steps, basic, adv = _plan(indices, a.shape)
    arr = np.array(a, order="C")
    view = arr[basic]
    v = values._data
    if adv is None:
        adv = (Ellipsis,)
    if values.dtype is not input.dtype:
        _check_value_shape(view, adv, v)
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{input.dtype._legacy[:-6]} for the destination and {values.dtype._legacy[:-6]} "
            "for the source."
        )
    try:
        if accumulate:
            target = _take_adv(view, adv).shape
            np.add.at(view, adv, np.broadcast_to(v, target))
        else:
            view[adv] = v
    except ValueError:
        _check_value_shape(view, adv, v)
        raise
    except IndexError:
        _take_adv(view, adv)
        raise
    res = _make(arr)
    if _state.enabled and (input._requires_grad or values._requires_grad):
        node = _IndexPutOpBackward()
        node.index, node.accumulate = indices, accumulate
        _record(node, res, input, values)
    return res


# ----------------------------------------------------------------------------
# masks


_MASK_C_NAMES = {
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
}


def _broadcast_with_mask(a, m):
    from ._common import broadcast_error

    try:
        return np.broadcast_shapes(m.shape, a.shape)
    except ValueError:
        raise broadcast_error(m.shape, a.shape) from None


class MaskedFillBackward(Node):
    __slots__ = ("mask",)

    def apply(self, g):
        nf = self.next_functions
        gs = masked_fill(g, self.mask, 0) if nf[0][0] is not None else None
        if len(nf) == 1:
            return (gs,)
        gv = None
        if nf[1][0] is not None:
            gv = masked_fill(g, _make(~self.mask._data), 0).sum()
        return gs, gv


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` where ``mask`` (broadcast) is True."""
    a = input._data
    if mask.dtype is not D.bool:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_MASK_C_NAMES.get(mask.dtype.name, mask.dtype.name)}"
        )
    vt = value if isinstance(value, Tensor) else None
    if vt is not None and vt._data.ndim != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{vt._data.ndim} dimension(s)."
        )
    m = mask._data
    shape = a.shape if m.shape == a.shape else _broadcast_with_mask(a, m)
    out = np.array(np.broadcast_to(a, shape) if shape != a.shape else a, order="C")
    np.copyto(out, _scatter_value(value, a), where=m)
    res = _make(out)
    if _state.enabled and (input._requires_grad or (vt is not None and vt._requires_grad)):
        node = MaskedFillBackward()
        node.mask = mask
        node._name = "MaskedFillBackward0" if vt is None else "MaskedFillBackward1"
        if vt is None:
            _record(node, res, input)
        else:
            _record(node, res, input, vt)
    return res


class MaskedSelectBackward0(Node):
    __slots__ = ("mask", "shape")

    def apply(self, g):
        from .creation import zeros

        return (masked_scatter(zeros(self.shape, dtype=g.dtype), self.mask, g),)


def masked_select(input, mask, *, out=None):
    """The elements where ``mask`` (broadcast with input) is True, as 1-D."""
    a = input._data
    if mask.dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    m = mask._data
    shape = _broadcast_with_mask(a, m)
    r = np.broadcast_to(a, shape)[np.broadcast_to(m, shape)]
    res = _make(_c_order(r))
    if _state.enabled and input._requires_grad:
        node = MaskedSelectBackward0()
        node.mask, node.shape = mask, shape
        _record(node, res, input)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "masked_select")
    return res


class MaskedScatterBackward0(Node):
    __slots__ = ("mask", "src_shape")

    def apply(self, g):
        nf = self.next_functions
        gs = masked_fill(g, self.mask, 0) if nf[0][0] is not None else None
        gv = None
        if nf[1][0] is not None:
            sel = masked_select(g, self.mask)
            n = int(np.prod(self.src_shape, dtype=np.int64))
            if sel._data.size < n:
                from .creation import zeros
                from .shape import cat

                sel = cat([sel, zeros(n - sel._data.size, dtype=g.dtype)])
            gv = sel.view(self.src_shape)
        return gs, gv


def masked_scatter(input, mask, source):
    """A copy of ``input`` with ``source``'s leading elements written, in
    order, where ``mask`` is True."""
    a = input._data
    if mask.dtype is not D.bool:
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{_short(mask.dtype)}"
        )
    if source.dtype is not input.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{_short(input.dtype)} and {_short(source.dtype)}"
        )
    m = mask._data
    shape = _broadcast_with_mask(a, m)
    out = np.array(np.broadcast_to(a, shape), order="C")
    mb = np.broadcast_to(m, shape)
    n = int(mb.sum())
    s = source._data.reshape(-1)
    if n > s.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out[mb] = s[:n]
    res = _make(out)
    if _state.enabled and (input._requires_grad or source._requires_grad):
        node = MaskedScatterBackward0()
        node.mask, node.src_shape = mask, source._data.shape
        _record(node, res, input, source)
    return res


def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` with input and indices broadcast against each other (the
    flattened input and indices when ``dim`` is None)."""
    from .shape import broadcast_to, view

    if dim is None:
        return gather(view(input, -1), 0, view(indices, -1))
    a, ix = input._data, indices._data
    if indices.dtype is not _i64:
        raise RuntimeError(
            "torch.take_along_dim(): dtype of indices should be Long but got "
            f"{_short(indices.dtype)}"
        )
    if a.ndim != ix.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {a.ndim} dimensions for input, and {ix.ndim} dimensions for "
            "indices"
        )
    from ._common import broadcast_error

    d = wrap_dim(dim, a.ndim)
    ss = list(a.shape)
    ss[d] = ix.shape[d]
    try:
        bshape = np.broadcast_shapes(tuple(ss), ix.shape)
    except ValueError:
        raise broadcast_error(tuple(ss), ix.shape) from None
    ib = broadcast_to(indices, bshape)
    si = list(ix.shape)
    si[d] = a.shape[d]
    try:
        bshape = np.broadcast_shapes(tuple(si), a.shape)
    except ValueError:
        raise broadcast_error(tuple(si), a.shape) from None
    xb = broadcast_to(input, bshape)
    res = gather(xb, d, ib)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "take_along_dim")
    return res


def argwhere(input):
    """The indices of the non-zero elements, one row each: ``nonzero``."""
    return nonzero(input)


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) tensor, or a tuple of
    1-D tensors with ``as_tuple=True``."""
    if not isinstance(as_tuple, bool):
        raise TypeError(
            f"nonzero(): argument 'as_tuple' must be bool, not {type(as_tuple).__name__}"
        )
    a = input._data
    if a.ndim == 0:
        n = int(bool(a))
        if as_tuple:
            return (_make(np.zeros(n, dtype=np.int64)),)
        return _make(np.zeros((n, 0), dtype=np.int64))
    nz = np.nonzero(a)
    if as_tuple:
        return tuple(_make(i.astype(np.int64)) for i in nz)
    # torch's result is column-major: stride (1, n)
    return _make(np.array(nz, dtype=np.int64).T)


_ = D


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
def index_put_(input, indices, values, accumulate=False):
    """In-place ``index_put``."""
    return apply_inplace(input, index_put, indices, values, accumulate)


def _put_(input, index, source, accumulate=False):
    return apply_inplace(input, put, index, source, accumulate)


TENSOR_METHODS = {
    "__getitem__": getitem,
    "nonzero": nonzero,
    "argwhere": argwhere,
    "index_select": index_select,
    "gather": gather,
    "scatter": scatter,
    "scatter_": inplace_variant(scatter),
    "scatter_add": scatter_add,
    "scatter_add_": inplace_variant(scatter_add),
    "scatter_reduce": scatter_reduce,
    "scatter_reduce_": inplace_variant(scatter_reduce),
    "index_add": index_add,
    "index_add_": inplace_variant(index_add),
    "index_copy": index_copy,
    "index_copy_": inplace_variant(index_copy),
    "index_fill": index_fill,
    "index_fill_": inplace_variant(index_fill),
    "index_put": index_put,
    "index_put_": index_put_,
    "masked_fill": masked_fill,
    "masked_fill_": inplace_variant(masked_fill),
    "masked_select": masked_select,
    "masked_scatter": masked_scatter,
    "masked_scatter_": inplace_variant(masked_scatter),
    "take": take,
    "take_along_dim": take_along_dim,
    "put": put,
    "put_": _put_,
}
