"""Tensor factories: tensor, as_tensor, from_numpy, zeros/ones/full/empty,
arange/linspace/eye, the *_like and new_* forms, and the random factories.

Public constructors validate their arguments; everything else in torchless
builds tensors through the unchecked ``_make``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtype as D
from .._device import as_device, backend_for
from .._tensor import Size, Tensor, _make

__all__ = [
    "tensor",
    "as_tensor",
    "asarray",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "empty",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "randperm",
    "rand_like",
    "randn_like",
    "randint_like",
    "normal",
    "scalar_tensor",
]

_builtin_bool = bool


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = s.item()
        if not isinstance(s, (int, np.integer)) or isinstance(s, _builtin_bool):
            raise TypeError(
                f"{'zeros'}(): argument 'size' (position 1) must be tuple of ints, but found "
                f"element of type {type(s).__name__} at pos {len(out)}"
            )
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {list(size)}"
            )
        out.append(int(s))
    return tuple(out)


def _finish(arr, device, requires_grad) -> Tensor:
    if device is not None:
        dev = as_device(device)
        if dev.type != "cpu":
            xp = backend_for(dev)
            with xp.cuda.Device(dev.index or 0):
                arr = xp.asarray(arr)
    t = _make(arr)
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t._requires_grad = True
    return t


# ----------------------------------------------------------------------------
# from data


def _nested_shape_error(data):
    """torch's message for ragged nested sequences."""

    def walk(x, dim):
        if isinstance(x, (list, tuple)):
            lens = {len(e) if isinstance(e, (list, tuple)) else -1 for e in x}
            if len(lens) > 1:
                first = x[0]
                n0 = len(first) if isinstance(first, (list, tuple)) else 0
                for e in x:
                    n = len(e) if isinstance(e, (list, tuple)) else 0
                    if n != n0:
                        return f"expected sequence of length {n0} at dim {dim + 1} (got {n})"
            for e in x:
                r = walk(e, dim + 1)
                if r:
                    return r
        return None

    return walk(data, 0) or "could not convert the data to a tensor"


def _flatten_tensors(data):
    if isinstance(data, Tensor):
        return data._host()
    if isinstance(data, (list, tuple)):
        return [_flatten_tensors(x) for x in data]
    return data


def _infer_array(data, dtype=None):
    """The NumPy array for Python/NumPy data, in ``dtype`` if given (values
    are converted straight to it, never through the default dtype)."""
    t = type(data)
    if dtype is not None and not isinstance(data, (Tensor, np.ndarray, np.generic)):
        if t in (float, int, _builtin_bool):
            return np.array(data, dtype=dtype.np)
        arr = _infer_array(data)  # validates and gives torch's errors
        if arr.dtype.kind == "f" and dtype.is_floating_point:
            arr = np.array(_flatten_tensors(data), dtype=dtype.np)
        return arr.astype(dtype.np, copy=False)
    if t is float:
        return np.array(data, dtype=D._default.dtype.np)
    if t is int:
        return np.array(data, dtype=np.int64)
    if t is _builtin_bool:
        return np.array(data, dtype=np.bool_)
    if isinstance(data, Tensor):
        return data._data.copy()
    if isinstance(data, (np.ndarray, np.generic)):
        D.from_numpy_dtype(data.dtype)
        return np.array(data)
    if isinstance(data, (list, tuple)):
        data = _flatten_tensors(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.VisibleDeprecationWarning)
                arr = np.array(data)
        except (ValueError, np.exceptions.VisibleDeprecationWarning):
            raise ValueError(_nested_shape_error(data)) from None
        k = arr.dtype.kind
        if k == "f":
            return arr.astype(D._default.dtype.np)
        if k in "iu":
            return arr.astype(np.int64)
        if k == "b":
            return arr
        raise TypeError(f"new(): invalid data type '{type(_first_leaf(data)).__name__}'")
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if hasattr(data, "__array__"):
        return np.asarray(data)
    if isinstance(data, float):
        return np.array(float(data), dtype=D._default.dtype.np)
    if isinstance(data, int):
        return np.array(int(data), dtype=np.int64)
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _first_leaf(data):
    while isinstance(data, (list, tuple)) and data:
        data = data[0]
    return data


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested sequences,
    NumPy arrays or tensors). Python floats give the default dtype, ints
    int64, bools bool."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    arr = _infer_array(data, dtype)
    if dtype is not None:
        arr = arr.astype(dtype.np, copy=False)
    return _finish(arr, device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with a tensor or NumPy array when
    no conversion is needed."""
    if isinstance(data, Tensor):
        if dtype is None or dtype is data.dtype:
            return data if device is None else data.to(device)
        return data.to(dtype)
    if isinstance(data, np.ndarray):
        D.from_numpy_dtype(data.dtype)
        arr = data if dtype is None else data.astype(dtype.np, copy=False)
        return _finish(arr, device, False)
    arr = _infer_array(data)
    if dtype is not None:
        arr = arr.astype(dtype.np, copy=False)
    return _finish(arr, device, False)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy:
        t = t.clone()
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    D.from_numpy_dtype(ndarray.dtype)
    return _make(ndarray)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dt = dtype or D._default.dtype
    return _finish(np.array(s, dtype=dt.np), device, requires_grad)


def _legacy_new(cls, *args, **kwargs):
    """``torch.Tensor(...)``: float32 data, or an uninitialised size."""
    device = kwargs.pop("device", None)
    if not args:
        arr = np.empty((0,), dtype=D._default.dtype.np)
    elif (
        len(args) == 1
        and isinstance(args[0], (list, tuple, np.ndarray, Tensor))
        and not (isinstance(args[0], Size))
    ):
        arr = np.array(_flatten_tensors(args[0]), dtype=D._default.dtype.np)
    else:
        arr = np.zeros(_size(args), dtype=D._default.dtype.np)
    t = _make(arr, cls=cls if cls is not Tensor else None)
    return _finish(t._data, device, False) if device is not None else t


# ----------------------------------------------------------------------------
# filled


def _dt(dtype):
    return (dtype or D._default.dtype).np


def zeros(
    *size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """A tensor of zeros of the given size."""
    return _finish(np.zeros(_size(size), dtype=_dt(dtype)), device, requires_grad)


def ones(
    *size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """A tensor of ones of the given size."""
    return _finish(np.ones(_size(size), dtype=_dt(dtype)), device, requires_grad)


def empty(
    *size,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    memory_format=None,
) -> Tensor:
    """A tensor of the given size (torchless fills it with zeros)."""
    return _finish(np.zeros(_size(size), dtype=_dt(dtype)), device, requires_grad)


def full(
    size,
    fill_value,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value`` (dtype inferred from it)."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = D.scalar_dtype(fill_value)
    return _finish(np.full(_size((size,)), fill_value, dtype=dtype.np), device, requires_grad)


def _like(input, dtype, device):
    return (dtype or input.dtype).np, (device if device is not None else input.device)


def zeros_like(
    input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _finish(np.zeros(input._data.shape, dtype=dt), dev, requires_grad)


def ones_like(
    input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _finish(np.ones(input._data.shape, dtype=dt), dev, requires_grad)


def empty_like(
    input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _finish(np.zeros(input._data.shape, dtype=dt), dev, requires_grad)


def full_like(
    input,
    fill_value,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _finish(np.full(input._data.shape, fill_value, dtype=dt), dev, requires_grad)


# ----------------------------------------------------------------------------
# ranges


def arange(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; computed in
    double then cast, as torch does."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        if any(isinstance(v, float) for v in vals):
            dtype = D._default.dtype
        else:
            dtype = D.int64
    n = math.ceil((end - start) / step)
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = max(n, 0)
    if dtype.is_floating_point:
        arr = (start + step * np.arange(n, dtype=np.float64)).astype(dtype.np)
    else:
        arr = (start + step * np.arange(n, dtype=np.int64)).astype(dtype.np)
    return _finish(arr, device, requires_grad)


def linspace(
    start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive,
    computed symmetrically from both ends as torch does."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = dtype or D._default.dtype
    if steps == 0:
        return _finish(np.zeros((0,), dt.np), device, requires_grad)
    if steps == 1:
        return _finish(np.array([start], dtype=dt.np), device, requires_grad)
    ct = dt.np.type if dt.is_floating_point else np.float64
    s, e = ct(start), ct(end)
    step = (e - s) / ct(steps - 1)
    idx = np.arange(steps, dtype=ct)
    half = steps // 2
    arr = np.where(idx < half, s + step * idx, e - step * (steps - 1 - idx))
    return _finish(arr.astype(dt.np), device, requires_grad)


def eye(
    n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """The n x m identity matrix."""
    return _finish(np.eye(n, n if m is None else m, dtype=_dt(dtype)), device, requires_grad)


# ----------------------------------------------------------------------------
# random


def _gen(generator):
    from .._random import default_generator

    return default_generator if generator is None else generator


def rand(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
) -> Tensor:
    """Uniform samples in [0, 1)."""
    dt = dtype or D._default.dtype
    arr = _gen(generator)._uniform(_size(size), dt.np)
    return _finish(arr, device, requires_grad)


def randn(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
) -> Tensor:
    """Standard normal samples."""
    dt = dtype or D._default.dtype
    arr = _gen(generator)._normal(_size(size), dt.np)
    return _finish(arr, device, requires_grad)


def randint(
    low=0,
    high=None,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
) -> Tensor:
    """Integers uniform in [low, high)."""
    if size is None:
        # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dt = dtype or D.int64
    arr = _gen(generator)._randint(int(low), int(high), _size((size,)), dt.np)
    return _finish(arr, device, requires_grad)


def randperm(
    n,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
) -> Tensor:
    """A random permutation of 0..n-1."""
    dt = dtype or D.int64
    arr = _gen(generator)._randperm(int(n), dt.np)
    return _finish(arr, device, requires_grad)


def rand_like(
    input,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    generator=None,
) -> Tensor:
    return rand(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
        generator=generator,
    )


def randn_like(
    input,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    generator=None,
) -> Tensor:
    return randn(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
        generator=generator,
    )


def randint_like(
    input,
    low=0,
    high=None,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    generator=None,
) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(
        low,
        high,
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        generator=generator,
    )


def normal(
    mean=0.0,
    std=1.0,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
) -> Tensor:
    """Normal samples: with tensor mean/std elementwise, else of ``size``."""
    g = _gen(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        mt = mean if isinstance(mean, Tensor) else None
        st = std if isinstance(std, Tensor) else None
        ref = mt if mt is not None else st
        shape = np.broadcast_shapes(*(x._data.shape for x in (mt, st) if x is not None))
        z = g._normal(shape, ref.dtype.np, 0.0, 1.0)
        m = mt._data if mt is not None else mean
        s = st._data if st is not None else std
        return _make((z * s + m).astype(ref.dtype.np))
    if size is None:
        raise TypeError("normal() missing required argument 'size'")
    dt = dtype or D._default.dtype
    arr = g._normal(_size((size,)), dt.np, float(mean), float(std))
    return _finish(arr, device, requires_grad)
