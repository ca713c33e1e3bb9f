"""Indexing: ``x[idx]`` and ``x[idx] = v`` with autograd, plus the scatter
helper reductions use for their gradients."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state, _view_of
from ..autograd.graph import Node

__all__ = ["getitem", "setitem", "nonzero"]

_INDEX_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool")


def _convert(index):
    """Translate a torch index into a NumPy one; tell whether it is basic
    (a view) and which node name torch would record."""
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    basic = True
    kinds = []
    for i in index:
        if isinstance(i, Tensor):
            if i.dtype.name not in _INDEX_DTYPES:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(i._data)
            basic = False
            kinds.append("t")
        elif isinstance(i, (list, np.ndarray)):
            arr = np.asarray(i)
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(arr)
            basic = False
            kinds.append("t")
        elif isinstance(i, bool):
            out.append(i)
            basic = False
            kinds.append("t")
        elif isinstance(i, (int, np.integer)):
            out.append(int(i))
            kinds.append("i")
        elif isinstance(i, slice):
            out.append(slice(_int(i.start), _int(i.stop), _int(i.step)))
            if i.step is not None and _int(i.step) <= 0:
                raise ValueError("step must be greater than zero")
            kinds.append("s" if i != slice(None) else ":")
        elif i is None:
            out.append(None)
            kinds.append("n")
        elif i is Ellipsis:
            out.append(i)
            kinds.append("e")
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices (got " + type(i).__name__ + ")"
            )
    if basic and Ellipsis not in out:
        # a trailing Ellipsis makes NumPy return a 0-d view, not a scalar copy
        out.append(Ellipsis)
    return tuple(out), basic, kinds


def _int(v):
    return None if v is None else int(v)


def _node_name(kinds, basic):
    if not basic:
        return "IndexBackward0"
    for k in reversed(kinds):
        if k == "i":
            return "SelectBackward0"
        if k == "s":
            return "SliceBackward0"
        if k == "n":
            return "UnsqueezeBackward0"
    return "AliasBackward0"


def _index(a, idx):
    try:
        return a[idx]
    except IndexError as e:
        msg = str(e).replace("axis", "dimension")
        raise IndexError(msg) from None


class IndexBackward(Node):
    __slots__ = ("shape", "dtype", "index", "basic", "_name")

    def name(self):
        return self._name

    def apply(self, g):
        return (index_put_zeros(g, self.index, self.shape, self.basic),)


def getitem(input, index):
    """``input[index]``: basic indexing gives a view, advanced a copy."""
    a = input._data
    if a.ndim == 0 and not isinstance(index, (type(None), type(Ellipsis), tuple, Tensor)):
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>(m)` in C++ to convert a 0-dim tensor to a number"
        )
    idx, basic, kinds = _convert(index)
    r = _index(a, idx)
    res = _view_of(r, input) if basic else _make(r)
    if _state.enabled and input._requires_grad:
        node = IndexBackward()
        node.shape, node.dtype, node.index, node.basic = a.shape, input.dtype, idx, basic
        node._name = _node_name(kinds, basic)
        _record(node, res, input)
    return res


class IndexPutZerosBackward(Node):
    __slots__ = ("index",)

    def name(self):
        return "IndexPutBackward0"

    def apply(self, g):
        return (_make(_index(g._data, self.index)) if not _state.enabled else _take(g, self),)


def _take(g, node):
    r = _make(_index(g._data, node.index))
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
        from .pointwise import _make as mk  # noqa: F401

        return (_make(np.take_along_axis(g._data, self.idx._data, axis=self.dim)),)


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
    """Gradient of ``x[idx] = v``: zero at idx for x, the slice for v."""

    __slots__ = ("index", "basic", "_name")

    def name(self):
        return self._name

    def apply(self, g):
        from .inplace import _zero_at

        nf = self.next_functions
        gx = _zero_at(g, self.index) if nf[0][0] is not None else None
        gv = None
        if nf[1][0] is not None:
            gv = _make(_index(g._data, self.index)) if not _state.enabled else _take(g, self)
        return gx, gv


def setitem(input, index, value):
    """``input[index] = value`` (values cast to input's dtype)."""
    idx, basic, kinds = _convert(index)
    vt = value if isinstance(value, Tensor) else None
    if _state.enabled and (input._requires_grad or (vt is not None and vt._requires_grad)):
        if input.grad_fn is None and input._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
                if basic
                else "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if input._base is not None and input._base._requires_grad:
            raise NotImplementedError(
                "torchless does not support in-place assignment into a view of a tensor that "
                "requires grad yet; assign into the base tensor instead"
            )
        old = _make(input._data.copy())
        old.grad_fn, old._requires_grad, old._out_nr = (
            input.grad_fn,
            input._requires_grad,
            input._out_nr,
        )
        _assign(input, idx, value)
        node = CopySlices()
        node.index, node.basic = idx, basic
        node._name = "CopySlices" if basic else "IndexPutBackward0"
        if vt is not None and vt.dtype is not input.dtype:
            vt = vt.to(input.dtype)
        _record(node, input, old, vt)
        node._meta = (
            (input.shape, input.dtype),
            (None, None) if vt is None else (vt.shape, vt.dtype),
        )
        input._out_nr = 0
        return
    _assign(input, idx, value)


def _assign(input, idx, value):
    v = value._data if isinstance(value, Tensor) else value
    a = input._data
    if not a.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    try:
        if isinstance(v, np.ndarray) or not isinstance(v, (bool, int, float)):
            a[idx] = v
        else:
            a[idx] = np.asarray(v).astype(a.dtype) if a.dtype.kind in "iub" else v
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None
    except ValueError as e:
        raise RuntimeError(str(e)) from None
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
