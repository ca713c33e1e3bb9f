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
from ._common import checked_int, not_implemented

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


def _size(size, name="zeros") -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    elif len(size) == 1 and not isinstance(size[0], (int, np.integer, Tensor)):
        raise TypeError(
            f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
            f"{type(size[0]).__name__}"
        )
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = s.item()
        if not isinstance(s, (int, np.integer)) or isinstance(s, _builtin_bool):
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {len(out) + 1} "
                f'with error "type must be tuple of ints,but got {type(s).__name__}"'
            )
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {list(size)}"
            )
        out.append(int(s))
    return tuple(out)


def _factory_size(size, name) -> tuple:
    """The size argument of zeros/ones/empty, with torch's errors."""
    if not size:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if name == "zeros":
        flat = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        for s in flat:
            if isinstance(s, int) and s < 0:
                raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _size(size, name)


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


def _raise_nested_shape_error(data, dtype):
    """torch's error for ragged nested sequences: sizes come from the first
    element at each depth, and every other element must match them."""
    sizes = []
    x = data
    while isinstance(x, (list, tuple)):
        sizes.append(len(x))
        if not x:
            break
        x = x[0]

    def walk(x, dim):
        if dim == len(sizes):
            if isinstance(x, (list, tuple)):
                if dtype.is_floating_point:
                    raise TypeError(f"must be real number, not {type(x).__name__}")
                raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
            return
        if not isinstance(x, (list, tuple)):
            raise TypeError("not a sequence")
        if len(x) != sizes[dim]:
            raise ValueError(
                f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(x)})"
            )
        for e in x:
            walk(e, dim + 1)

    walk(data, 0)
    raise ValueError("could not convert the data to a tensor")


def _flatten_tensors(data, found=None):
    """``data`` with its tensors as NumPy values. With ``found``, the dtype of
    every leaf is added to it (torch promotes them into the sequence's dtype):
    Python numbers give theirs, NumPy values and tensors (one element each,
    as torch requires) their own."""
    out = []
    for x in data:
        t = type(x)
        if t is list or t is tuple:
            x = _flatten_tensors(x, found)
        elif found is None:
            if isinstance(x, Tensor):
                x = x._host()
        elif t is float:
            found.add(D._default.dtype)
        elif t is int:
            found.add(D.int64)
        elif t is _builtin_bool:
            found.add(D.bool)
        elif isinstance(x, Tensor):
            if x._data.size != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            found.add(x.dtype)
            x = x._host().reshape(())
        elif isinstance(x, (np.generic, np.ndarray)):
            found.add(D.from_numpy_dtype(x.dtype))
        elif isinstance(x, str):
            raise TypeError("new(): invalid data type 'str'")
        elif isinstance(x, (int, float)):  # subclasses
            found.add(D.scalar_dtype(x))
        else:
            raise RuntimeError(f"Could not infer dtype of {t.__name__}")
        out.append(x)
    return out


def _infer_array(data, dtype=None):
    """The NumPy array for Python/NumPy data, in ``dtype`` if given (values
    are converted straight to it, never through the default dtype)."""
    t = type(data)
    if dtype is not None and not isinstance(data, (Tensor, np.ndarray, np.generic)):
        if t in (float, int, _builtin_bool):
            try:
                return np.array(data, dtype=dtype.np)
            except OverflowError:
                raise RuntimeError(
                    f"value cannot be converted to type {dtype.name} without overflow"
                ) from None
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
        if data and isinstance(data[0], np.ndarray):
            warnings.warn(
                "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                "consider converting the list to a single numpy.ndarray with numpy.array() "
                "before converting to a tensor. (Triggered internally at "
                "/__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)",
                UserWarning,
                stacklevel=3,
            )
        first = data
        while isinstance(first, (list, tuple)) and first:
            first = first[0]
        if isinstance(first, str):  # torch reads the first string as one more dim
            raise ValueError("too many dimensions 'str'")
        found = set()
        data = _flatten_tensors(data, found)
        rd = None
        for d in found:
            rd = d if rd is None else D.promote_types(rd, d)
        if rd is None:  # no leaves: an empty sequence
            rd = D._default.dtype
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.VisibleDeprecationWarning)
                arr = np.array(data)
        except (ValueError, np.exceptions.VisibleDeprecationWarning):
            _raise_nested_shape_error(data, rd)
        return arr.astype(rd.np, copy=False)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if hasattr(data, "__array__"):
        return np.asarray(data)
    if isinstance(data, float):
        return np.array(float(data), dtype=D._default.dtype.np)
    if isinstance(data, int):
        return np.array(int(data), dtype=np.int64)
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


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
    return _finish(np.zeros(_factory_size(size, "zeros"), dtype=_dt(dtype)), device, requires_grad)


def ones(
    *size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """A tensor of ones of the given size."""
    return _finish(np.ones(_factory_size(size, "ones"), dtype=_dt(dtype)), device, requires_grad)


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
    return _finish(np.zeros(_factory_size(size, "empty"), dtype=_dt(dtype)), device, requires_grad)


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
    return _finish(
        np.full(_size((size,), "full"), fill_value, dtype=dtype.np), device, requires_grad
    )


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
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        if any(isinstance(v, float) for v in vals):
            dtype = D._default.dtype
        else:
            dtype = D.int64
    elif dtype is D.int64:
        # torch's binding reads the bounds as int64 up front for an int64 result
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
    n = math.ceil((end - start) / step)
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(n, 0)
    if dtype.is_floating_point:
        arr = _arange_values(start, step, n, dtype.np.type)
    else:
        # an integer arange steps in integers: start and step are truncated first
        arr = (int(start) + int(step) * np.arange(n, dtype=np.int64)).astype(dtype.np)
    return _finish(arr, device, requires_grad)


def _arange_values(start, step, n, ct):
    """float32/float64 arange values bit for bit as torch's CPU kernel makes
    them (x86, AVX2 vectors): pairs of vectors of V lanes, each vector from a
    base ``start + step * i`` computed in double, its lanes ``base + k * step``;
    the last < 2V values one by one. Products are added fused (rounded once):
    emulated here in long double. float16 is computed in float32."""
    if ct is np.float16:
        return _arange_half(start, step, n)
    ld = np.longdouble
    lanes = 8 if ct is np.float32 else 4
    full = n // (2 * lanes) * 2 * lanes
    out = np.empty(n, ct)
    s, st = ld(start), ld(step)
    if full:
        chunk = np.arange(0, full, lanes).astype(ld)
        base = (s + st * chunk).astype(np.float64).astype(ct).astype(ld)
        k = np.arange(lanes).astype(ld)
        vals = base[:, None] + st * k[None, :]
        out[:full] = vals.reshape(-1).astype(np.float64).astype(ct)
    tail = np.arange(full, n).astype(ld)
    out[full:] = (s + st * tail).astype(np.float64).astype(ct)
    return out


def _arange_half(start, step, n):
    h, f = np.float16, np.float32
    lanes = 16
    full = n // (2 * lanes) * 2 * lanes
    s, st = f(start), f(step)
    out = np.empty(n, h)
    if full:
        base = (s + st * np.arange(0, full, lanes).astype(f)).astype(h).astype(f)
        vals = base[:, None] + np.arange(lanes).astype(f)[None, :] * st
        out[:full] = vals.reshape(-1).astype(h)
    out[full:] = (s + st * np.arange(full, n).astype(f)).astype(h)
    return out


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
    if dt is D.bool:
        raise not_implemented("linspace_cpu", dt)
    return _finish(_linspace_values(start, end, steps, dt), device, requires_grad)


def _linspace_values(start, end, steps, dt):
    """torch's kernel: the first half counts up from start, the rest down
    from end, by a step computed in the dtype (in double for integers)."""
    idx = np.arange(steps)
    up = idx < steps // 2
    down = steps - 1 - idx
    if dt is D.float16:
        # half arithmetic: every operation rounds to half
        h, f = np.float16, np.float32
        s, e = h(start), h(end)
        step = f(h(h(f(e) - f(s)) / f(steps - 1)))
        lo = h(f(s) + h(step * idx.astype(f)).astype(f))
        hi = h(f(e) - h(step * down.astype(f)).astype(f))
        return np.where(up, lo, hi)
    if dt.is_floating_point:
        ct = dt.np.type
        s, e = ct(start), ct(end)
        step = (e - s) / ct(steps - 1)
        # the multiply-add is fused (rounded once): computed here in a wider type
        wide = np.float64 if dt is D.float32 else np.longdouble
    else:
        # integer ends (converted with torch's overflow check), a double step
        s, e = float(checked_int(start, dt)), float(checked_int(end, dt))
        step = (e - s) / (steps - 1)
        wide = np.float64
    s, e, step = wide(s), wide(e), wide(step)
    arr = np.where(up, s + step * idx.astype(wide), e - step * down.astype(wide))
    return arr.astype(dt.np)


def eye(
    n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False
) -> Tensor:
    """The n x m identity matrix."""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
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
