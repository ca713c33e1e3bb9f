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
    tuple of non-negative dims, or None for all dims. A 0-d tensor accepts
    dim 0 or -1 and has no dim to reduce: ()."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        if len(dim) == 0:
            return None
        out = tuple(sorted(wrap_dim(d, ndim) for d in dim))
        for i in range(1, len(out)):
            if out[i] == out[i - 1]:
                raise RuntimeError(f"dim {out[i]} appears multiple times in the list of dims")
        return out if ndim else ()
    d = wrap_dim(dim, ndim)
    return (d,) if ndim else ()


def float_array(t: Tensor):
    """The tensor's array, cast to the default float dtype if it is not a
    floating type (for functions like exp that always give floats)."""
    if t.dtype.is_floating_point:
        return t._data
    return t._data.astype(_default.dtype.np)


def not_implemented(kernel: str, dt: D.dtype) -> NotImplementedError:
    """torch's error for a kernel that has no implementation for dtype ``dt``."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{dt._legacy[:-6]}'")


def cast_error(result: D.dtype, out: D.dtype) -> RuntimeError:
    """torch's error for an in-place result of dtype ``result`` written to ``out``."""
    return RuntimeError(
        f"result type {result._legacy[:-6]} can't be cast to the desired output type "
        f"{out._legacy[:-6]}"
    )


def broadcast_error(*shapes) -> RuntimeError:
    """torch's error for shapes that do not broadcast together: sizes are
    matched from the last dim, pairwise from the first shape."""
    cur = tuple(shapes[0])
    for s in shapes[1:]:
        s = tuple(s)
        n = len(cur) if len(cur) > len(s) else len(s)
        out = []
        for i in range(n - 1, -1, -1):
            off = n - 1 - i
            a = cur[len(cur) - 1 - off] if off < len(cur) else 1
            b = s[len(s) - 1 - off] if off < len(s) else 1
            if a != b and a != 1 and b != 1:
                return RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {i}"
                )
            out.append(a if b == 1 else b)
        cur = tuple(reversed(out))
    return RuntimeError(f"shapes {[list(s) for s in shapes]} do not broadcast")


_C_TYPES = {
    "uint8": "uint8_t",
    "int8": "int8_t",
    "int16": "int16_t",
    "int32": "int",
    "int64": "int64_t",
}


def checked_int(v, dt: D.dtype) -> int:
    """A Python number converted to integer dtype ``dt`` as torch's checked
    conversion does: floats truncate and must fit; ints must fit, except
    that uint8 takes negative ints down to -255 and wraps them."""
    lo, hi = _INT_RANGE[dt]
    if isinstance(v, float):
        ok = lo <= v <= hi
    else:
        ok = (-hi if dt is D.uint8 else lo) <= v <= hi
    if not ok:
        if dt is D.int64 and not isinstance(v, float):
            raise ValueError("Overflow when unpacking long long")
        raise RuntimeError(
            f"value cannot be converted to type {_C_TYPES[dt.name]} without overflow"
        )
    v = int(v)
    return v + 256 if v < 0 and dt is D.uint8 else v
