"""Indexing: ``x[idx]`` and ``x[idx] = v`` with autograd, plus the scatter
helper reductions use for their gradients."""

from __future__ import annotations

import re
import warnings

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state, _view_of
from ..autograd.graph import Node
from ._common import checked_int

__all__ = ["nonzero"]

_i64 = D.int64
_INDEX_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool")
_INDEX_KINDS = "iub"  # int, unsigned and bool arrays may index
_ZERO_DIM_MSG = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
    "C++ to convert a 0-dim tensor to a number"
)
_BAD_INDEX_DTYPE = "tensors used as indices must be long, int, byte or bool tensors"


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

    __slots__ = ("shape", "dtype", "index", "basic", "_name")

    def name(self):
        return self._name

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
    return _record(node, res, t)


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
            _record(node, res, input)
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
        t = _record(AliasBackward0(), _view_of(a[...], input), input)
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


class GatherBackward0(Node):
    __slots__ = ("dim", "idx", "shape")

    def apply(self, g):
        return (scatter_zeros(g, self.dim, self.idx, self.shape),)


def gather_along(g, dim, idx):
    """``g``'s values at ``idx`` along ``dim`` (the dual of scatter_zeros)."""
    res = _make(np.take_along_axis(g._data, idx._data, axis=dim))
    if _state.enabled and g._requires_grad:
        node = GatherBackward0()
        node.dim, node.idx, node.shape = dim, idx, g._data.shape
        _record(node, res, g)
    return res


# ----------------------------------------------------------------------------
# assignment


class CopySlices(Node):
    """Gradient of ``x[index] = v``: for x, ``g`` with zeros where ``v`` was
    written; for ``v``, the written part of ``g``."""

    __slots__ = ("index", "_name")

    def name(self):
        return self._name

    def __repr__(self):
        return f"<{self._name.rsplit('::', 1)[-1]} object at {id(self):#x}>"

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
    if tracked:
        if input.grad_fn is None and input._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
                if steps
                else "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if input._base is not None and input._base._requires_grad:
            raise NotImplementedError(
                "torchless does not support in-place assignment into a view of a tensor that "
                "requires grad yet; assign into the base tensor instead"
            )
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
        _record(node, input, old, vt)
        node._meta = (
            (input.shape, input.dtype),
            (None, None) if vt is None else (vt.shape, vt.dtype),
        )
        input._out_nr = 0


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


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) tensor, or a tuple of
    1-D tensors with ``as_tuple=True``."""
    a = input._data
    if as_tuple:
        if a.ndim == 0:
            return (_make(np.nonzero(a.reshape(1))[0].astype(np.int64)),)
        return tuple(_make(i.astype(np.int64)) for i in np.nonzero(a))
    return _make(np.argwhere(a).astype(np.int64))


_ = D


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "__getitem__": getitem,
    "nonzero": nonzero,
}
