"""dtype objects, the default dtype, and torch's type promotion.

A ``dtype`` wraps the NumPy dtype that backs it. Promotion follows torch, not
NumPy: categories rank bool < integer < floating, a higher category wins
outright (``float16 + int64 -> float16``), and Python scalars and 0-d tensors
only widen a result when they belong to a higher category.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "dtype",
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "half",
    "float",
    "double",
    "short",
    "int",
    "long",
    "get_default_dtype",
    "set_default_dtype",
    "promote_types",
    "result_type",
    "can_cast",
    "finfo",
    "iinfo",
]

_builtin_bool = bool
_builtin_int = int
_builtin_float = float

# category ranks used by promotion
_BOOL, _INT, _FLOAT = 0, 1, 2


class dtype:
    """A tensor element type, printed as torch prints it (``torch.float32``)."""

    __slots__ = (
        "name",
        "np",
        "itemsize",
        "is_floating_point",
        "is_complex",
        "is_signed",
        "_cat",
        "_legacy",
    )

    def __init__(self, name: str, np_dtype, cat: int, legacy: str):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.is_floating_point = cat == _FLOAT
        self.is_complex = False
        self.is_signed = cat == _FLOAT or self.np.kind == "i"
        self._cat = cat
        self._legacy = legacy  # e.g. "FloatTensor", used in error messages

    def __repr__(self) -> str:
        return "torch." + self.name

    def to_real(self) -> dtype:
        return self

    def __reduce__(self):
        return (_by_name, (self.name,))


bool = dtype("bool", np.bool_, _BOOL, "BoolTensor")  # noqa: A001
uint8 = dtype("uint8", np.uint8, _INT, "ByteTensor")
int8 = dtype("int8", np.int8, _INT, "CharTensor")
int16 = dtype("int16", np.int16, _INT, "ShortTensor")
int32 = dtype("int32", np.int32, _INT, "IntTensor")
int64 = dtype("int64", np.int64, _INT, "LongTensor")
float16 = dtype("float16", np.float16, _FLOAT, "HalfTensor")
float32 = dtype("float32", np.float32, _FLOAT, "FloatTensor")
float64 = dtype("float64", np.float64, _FLOAT, "DoubleTensor")

half = float16
float = float32  # noqa: A001
double = float64
short = int16
int = int32  # noqa: A001
long = int64

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)

# NumPy dtype -> torchless dtype (keys are np.dtype objects and scalar types)
_FROM_NP: dict = {}
for _d in ALL_DTYPES:
    _FROM_NP[_d.np] = _d
    _FROM_NP[_d.np.type] = _d


def _by_name(name: str) -> dtype:
    return globals()[name]


def from_numpy_dtype(np_dtype) -> dtype:
    """The torchless dtype for a NumPy dtype; TypeError for unsupported ones."""
    d = _FROM_NP.get(np_dtype)
    if d is None:
        npd = np.dtype(np_dtype)
        d = _FROM_NP.get(npd)
        if d is None:
            if npd.kind in "uic" or npd == np.float16:
                # torch has these (uint16..64, complex); torchless does not yet
                raise TypeError(f"torchless does not support numpy.{npd.name} arrays yet")
            raise TypeError(
                f"can't convert np.ndarray of type numpy.{npd.type.__name__}. The only "
                "supported types are: float64, float32, float16, complex64, complex128, int64, "
                "int32, int16, int8, uint64, uint32, uint16, uint8, and bool."
            )
    return d


class _Default:
    __slots__ = ("dtype",)


_default = _Default()
_default.dtype = float32


def get_default_dtype() -> dtype:
    """The dtype a Python float becomes (float32 unless changed)."""
    return _default.dtype


def set_default_dtype(d: dtype) -> None:
    """Set the floating dtype used for Python floats and float factories."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default.dtype = d


_promote_cache: dict = {}


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` cast to, as torch.promote_types."""
    if a is b:
        return a
    key = (a, b)
    r = _promote_cache.get(key)
    if r is None:
        if a._cat != b._cat:
            hi, lo = (a, b) if a._cat > b._cat else (b, a)
            # bool promotes into anything; an int into a float keeps the float
            r = hi
            del lo
        else:
            r = _FROM_NP[np.promote_types(a.np, b.np)]
        _promote_cache[key] = r
    return r


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """torch's combine_categories: a lower-priority operand (0-d tensor or
    Python scalar) changes the result only if it is of a higher category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(x) -> dtype:
    """The dtype a Python scalar takes part in promotion with."""
    t = type(x)
    if t is _builtin_bool or t is np.bool_:
        return bool
    if t is _builtin_int:
        return int64
    if t is _builtin_float:
        return _default.dtype
    if isinstance(x, np.generic):
        return from_numpy_dtype(x.dtype)
    if isinstance(x, _builtin_int):
        return int64
    if isinstance(x, _builtin_float):
        return _default.dtype
    raise TypeError(f"unsupported scalar type {t.__name__}")


def result_type(*operands) -> dtype:
    """torch.result_type for any number of tensors and Python scalars.

    Tensors with dims outrank 0-d tensors, which outrank Python scalars; a
    lower tier only matters when it brings a higher category.
    """
    from ._tensor import Tensor

    dim_r = zero_r = wrapped_r = None
    for x in operands:
        if isinstance(x, Tensor):
            if x._data.ndim:
                dim_r = x.dtype if dim_r is None else promote_types(dim_r, x.dtype)
            else:
                zero_r = x.dtype if zero_r is None else promote_types(zero_r, x.dtype)
        else:
            d = scalar_dtype(x)
            wrapped_r = d if wrapped_r is None else promote_types(wrapped_r, d)
    return _combine(dim_r, _combine(zero_r, wrapped_r))


def can_cast(from_: dtype, to: dtype) -> _builtin_bool:
    """torch.can_cast: casting is allowed unless it lowers the category."""
    return from_._cat <= to._cat


class finfo:
    """Machine limits of a floating dtype, as torch.finfo."""

    def __init__(self, type: dtype | None = None):  # noqa: A002
        type = type or _default.dtype
        if not type.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type.")
        fi = np.finfo(type.np)
        self.dtype = type.name
        self.bits = fi.bits
        self.eps = _builtin_float(fi.eps)
        self.max = _builtin_float(fi.max)
        self.min = _builtin_float(fi.min)
        self.tiny = _builtin_float(fi.tiny)
        self.smallest_normal = self.tiny
        self.resolution = _builtin_float(fi.resolution)

    def __repr__(self):
        return (
            f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """Limits of an integer dtype, as torch.iinfo."""

    def __init__(self, type: dtype):  # noqa: A002
        if type.is_floating_point:
            raise TypeError("torch.iinfo() requires an integer input type.")
        ii = np.iinfo(type.np) if type is not bool else None
        self.dtype = type.name
        self.bits = type.itemsize * 8
        self.max = _builtin_int(ii.max) if ii else 1
        self.min = _builtin_int(ii.min) if ii else 0

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
