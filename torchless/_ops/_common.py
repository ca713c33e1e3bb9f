"""Helpers shared by the op families: operand promotion and dim handling."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, wrap_dim

# torch computes inf and nan silently where NumPy would warn
np.seterr(all="ignore")

_f64 = D.float64
_i64 = D.int64
_bool = D.bool
_default = D._default
_INT_RANGE = {
    d: (int(np.iinfo(d.np).min), int(np.iinfo(d.np).max)) for d in D.ALL_DTYPES if d._cat == D._INT
}

_pair_cache: dict = {}


def _tensor_pair_dtype(a: Tensor, b: Tensor) -> D.dtype:
    key = (a.dtype, a._data.ndim == 0, b.dtype, b._data.ndim == 0)
    r = _pair_cache.get(key)
    if r is None:
        r = D.result_type(a, b)
        _pair_cache[key] = r
    return r


def operands(a: Tensor, b):
    """Promote a tensor and another operand as torch does.

    Returns ``(a_array, b_array_or_scalar, result_dtype, b_tensor_or_None)``,
    both operands already in the result dtype, or None when ``b`` is not
    something torch accepts (the caller returns NotImplemented).
    """
    if isinstance(b, Tensor):
        da, db = a.dtype, b.dtype
        if da is db:
            return a._data, b._data, da, b
        rd = _tensor_pair_dtype(a, b)
        ad = a._data if da is rd else a._data.astype(rd.np)
        bd = b._data if db is rd else b._data.astype(rd.np)
        return ad, bd, rd, b
    tb = type(b)
    da = a.dtype
    if tb is float:
        if da.is_floating_point:
            return a._data, b, da, None
        rd = _default.dtype
        return a._data.astype(rd.np), b, rd, None
    if tb is int:
        if da is _bool:
            return a._data.astype(np.int64), b, _i64, None
        if da._cat == D._INT:
            lo, hi = _INT_RANGE[da]
            if not lo <= b <= hi:
                b = _wrap_int(b, da)
        return a._data, b, da, None
    if tb is bool:
        return a._data, b, da, None
    if isinstance(b, np.generic):
        return operands(a, b.item())
    if isinstance(b, np.ndarray):
        return operands(a, Tensor._from_numpy_array(b))
    if isinstance(b, (int, float)):  # int/float subclasses (e.g. IntEnum)
        return operands(a, float(b) if isinstance(b, float) else int(b))
    return None


def _wrap_int(v: int, dt: D.dtype):
    """A Python int outside an integer dtype's range wraps as torch casts it."""
    if not -(2**63) <= v < 2**64:
        raise RuntimeError(f"Overflow when unpacking long long: {v}")
    return np.array(v & (2**64 - 1), dtype=np.uint64).astype(dt.np)


def scalar_tensor(v, like: Tensor) -> Tensor:
    """A 0-d tensor holding a Python scalar, in ``like``'s dtype."""
    return _make(np.asarray(v, dtype=like.dtype.np))


def dims_arg(dim, ndim: int):
    """Normalise a ``dim`` argument (int, sequence or None) to a sorted
    tuple of non-negative dims, or None for all dims."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        if len(dim) == 0:
            return None
        out = tuple(sorted(wrap_dim(d, ndim) for d in dim))
        if len(set(out)) != len(out):
            raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
        return out
    return (wrap_dim(dim, ndim),)


def float_array(t: Tensor):
    """The tensor's array, cast to the default float dtype if it is not a
    floating type (for functions like exp that always give floats)."""
    if t.dtype.is_floating_point:
        return t._data
    return t._data.astype(_default.dtype.np)
