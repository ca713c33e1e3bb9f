"""Reductions: sum, mean, max/min, argmax/argmin, and sum_to_shape (the one
place where broadcasting is undone for gradients)."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import dims_arg

__all__ = [
    "sum",
    "mean",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
]

_bool = D.bool
_i64 = D.int64
_f16 = D.float16


class _ReturnTypes:
    """Named tuples as torch.return_types prints them."""

    @staticmethod
    def make(name, values, indices):
        cls = _RT.get(name)
        if cls is None:
            base = namedtuple(name, ["values", "indices"])

            def __repr__(self):  # noqa: N807
                return (
                    f"torch.return_types.{name}(\nvalues={self.values},\nindices={self.indices})"
                )

            cls = _RT[name] = type(name, (base,), {"__repr__": __repr__, "__slots__": ()})
        return cls(values, indices)


_RT: dict = {}


# np.add.reduce directly: np.sum's Python wrapper costs more than the sum on
# the small arrays that dominate per-op overhead
_add_reduce = np.add.reduce


def _keep_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _reduce_shape(shape, dims, keepdim):
    if keepdim:
        return _keep_shape(shape, dims)
    return tuple(s for i, s in enumerate(shape) if i not in dims)


class SumBackward0(Node):
    __slots__ = ("shape",)

    def apply(self, g):
        return (g.expand(self.shape),)


class SumBackward1(Node):
    __slots__ = ("shape", "dims", "keepdim")

    def apply(self, g):
        if not self.keepdim:
            g = g.reshape(_keep_shape(self.shape, self.dims))
        return (g.expand(self.shape),)


def _sum_array(a, axes, keepdim, out_np):
    if a.dtype == np.float16 and out_np is None:
        # torch accumulates half in float32
        return _add_reduce(a, axes, np.float32, keepdims=keepdim).astype(np.float16)
    return _add_reduce(a, axes, out_np, keepdims=keepdim)


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints).
    Integer and bool inputs sum to int64, as in torch."""
    if isinstance(dim, D.dtype):  # sum(x, torch.float64)
        dim, dtype = None, dim
    a = input._data
    dims = dims_arg(dim, a.ndim)
    if dtype is not None:
        out_np = dtype.np
        if not dtype.is_floating_point and _state.enabled and input._requires_grad:
            raise RuntimeError(f"Autograd not support dtype: {dtype._legacy[:-6]}")
    elif input.dtype._cat != D._FLOAT:
        out_np = np.int64
    else:
        out_np = None
    if dim is None and not keepdim:
        res = _make(np.asarray(_sum_array(a, None, False, out_np)))
        if _state.enabled and input._requires_grad:
            node = SumBackward0()
            node.shape = a.shape
            _record(node, res, input)
        return res
    axes = tuple(range(a.ndim)) if dims is None else dims
    res = _make(np.asarray(_sum_array(a, axes, keepdim, out_np)))
    if _state.enabled and input._requires_grad:
        node = SumBackward1()
        node.shape, node.dims, node.keepdim = a.shape, axes, keepdim
        _record(node, res, input)
    return res


class MeanBackward0(Node):
    __slots__ = ("shape", "n")

    def apply(self, g):
        return (g.expand(self.shape) / self.n,)


class MeanBackward1(Node):
    __slots__ = ("shape", "dims", "keepdim", "n")

    def apply(self, g):
        if not self.keepdim:
            g = g.reshape(_keep_shape(self.shape, self.dims))
        return (g.expand(self.shape) / self.n,)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean of all elements or over ``dim``; floating dtypes only."""
    if isinstance(dim, D.dtype):
        dim, dtype = None, dim
    if dtype is not None:
        if not dtype.is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Optional dtype must be either a floating "
                f"point or complex dtype. Got: {dtype._legacy[:-6]}"
            )
        if input.dtype is not dtype:
            input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.dtype._legacy[:-6]}"
        )
    a = input._data
    dims = dims_arg(dim, a.ndim)
    axes = None if dims is None else dims
    if axes is None:
        n = a.size
    else:
        n = 1
        for d in axes:
            n *= a.shape[d]
    s = _sum_array(a, axes, keepdim, None)
    # sum then divide, as torch computes a mean
    r = (
        np.true_divide(s, a.dtype.type(n))
        if a.dtype != np.float16
        else ((np.asarray(s, np.float32) / np.float32(n)).astype(np.float16))
    )
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and input._requires_grad:
        if dim is None and not keepdim:
            node = MeanBackward0()
            node.shape, node.n = a.shape, n
        else:
            node = MeanBackward1()
            node.shape, node.n, node.keepdim = a.shape, n, keepdim
            node.dims = tuple(range(a.ndim)) if dims is None else dims
        _record(node, res, input)
    return res


class SumToBackward(Node):
    """Gradient of sum_to_shape: broadcast back (ExpandBackward's dual)."""

    __slots__ = ("shape",)

    def name(self):
        return "SumToSizeBackward0"

    def apply(self, g):
        return (g.expand(self.shape),)


def sum_to_shape(g: Tensor, shape) -> Tensor:
    """Sum ``g`` down to ``shape`` (undoing broadcasting)."""
    a = g._data
    shape = tuple(shape)
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and a.shape[lead + i] != 1
    )
    r = _add_reduce(a, axes, None, keepdims=True) if axes else a
    if lead:
        r = r.reshape(shape)
    res = _make(np.asarray(r) if r is not a else a.copy())
    if _state.enabled and g._requires_grad:
        node = SumToBackward()
        node.shape = a.shape
        _record(node, res, g)
    return res


# ----------------------------------------------------------------------------
# max / min


class MaxBackward1(Node):
    """Gradient of a full max/min: split evenly among the extreme elements."""

    __slots__ = ()

    def name(self):
        return self._name

    def apply(self, g):
        x, r = self.saved()
        # a nan result came from the nan elements: they share the gradient
        mask = (x == r) | (x.isnan() & r.isnan()) if r.dtype.is_floating_point else x == r
        mask = mask.to(g.dtype)
        return (mask * (g / mask.sum()),)


class MaxBackward0(Node):
    """Gradient of max/min over a dim: scattered to the chosen indices."""

    __slots__ = ("shape", "dim", "keepdim")

    def name(self):
        return self._name

    def apply(self, g):
        (idx,) = self.saved()
        from .indexing import scatter_zeros

        if not self.shape:  # a 0-d input is its own max
            return (g,)
        if not self.keepdim:
            g = g.unsqueeze(self.dim)
            idx = idx.unsqueeze(self.dim)
        return (scatter_zeros(g, self.dim, idx, self.shape),)


def _extreme(input, dim, keepdim, which):
    a = input._data
    fn = np.max if which == "max" else np.min
    argfn = np.argmax if which == "max" else np.argmin
    if dim is None:
        if a.size == 0:
            raise RuntimeError(
                f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        res = _make(np.asarray(fn(a)))
        if _state.enabled and input._requires_grad:
            node = MaxBackward1()
            node._name = "MaxBackward1" if which == "max" else "MinBackward1"
            node.save(input, res)
            _record(node, res, input)
        return res
    if isinstance(dim, Tensor):
        return maximum_or_minimum(input, dim, which)
    d = input._wrap_dim(dim)
    if a.ndim == 0:
        vals, idx = a.copy(), np.zeros((), np.int64)
    else:
        if a.shape[d] == 0:
            raise IndexError(f"{which}(): Expected reduction dim {d} to have non-zero size.")
        idx = argfn(a, axis=d, keepdims=True)
        # nan wins in torch's max/min, as in argmax
        vals = np.take_along_axis(a, idx, axis=d)
        if not keepdim:
            vals, idx = vals.squeeze(d), idx.squeeze(d)
    values = _make(np.asarray(vals))
    indices = _make(np.asarray(idx, dtype=np.int64))
    if _state.enabled and input._requires_grad:
        node = MaxBackward0()
        node._name = "MaxBackward0" if which == "max" else "MinBackward0"
        node.shape, node.dim, node.keepdim = a.shape, d, keepdim
        node.save(indices)
        _record(node, values, input)
    return _ReturnTypes.make(which, values, indices)


def maximum_or_minimum(input, other, which):
    from .pointwise import maximum, minimum

    return maximum(input, other) if which == "max" else minimum(input, other)


def max(input, dim=None, keepdim=False):
    """The largest element, or (values, indices) along ``dim``."""
    return _extreme(input, dim, keepdim, "max")


def min(input, dim=None, keepdim=False):
    """The smallest element, or (values, indices) along ``dim``."""
    return _extreme(input, dim, keepdim, "min")


class AmaxBackward0(Node):
    """Gradient of amax/amin: split evenly among the extreme elements of
    each reduced slice."""

    __slots__ = ("dims", "keepdim", "_name")

    def name(self):
        return self._name

    def apply(self, g):
        x, r = self.saved()
        if not self.keepdim:
            shape = _keep_shape(x.shape, self.dims)
            g, r = g.reshape(shape), r.reshape(shape)
        mask = (x == r).to(g.dtype)
        return ((g / mask.sum(self.dims, keepdim=True)) * mask,)


def _check_nonempty(a, dims, name):
    if a.size == 0:
        if dims is None:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        for d in dims:
            if a.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _amax_amin(input, dim, keepdim, name, fn):
    a = input._data
    dims = dims_arg(dim, a.ndim)
    _check_nonempty(a, dims, name)
    res = _make(np.asarray(fn(a, axis=dims, keepdims=keepdim)))
    if _state.enabled and input._requires_grad:
        node = AmaxBackward0()
        node._name = "AmaxBackward0" if name == "amax" else "AminBackward0"
        node.dims = tuple(range(a.ndim)) if dims is None else dims
        node.keepdim = keepdim
        _record(node, res, input)
        if res._vc is None:
            res._vc = [0]
        node.save(input, Tensor._alias(res))  # an alias: no reference cycle
    return res


def amax(input, dim=(), keepdim=False):
    """The largest values over ``dim`` (all dims by default); ties share
    the gradient."""
    return _amax_amin(input, dim, keepdim, "amax", np.max)


def amin(input, dim=(), keepdim=False):
    """The smallest values over ``dim`` (all dims by default); ties share
    the gradient."""
    return _amax_amin(input, dim, keepdim, "amin", np.min)


def _arg_extreme(input, dim, keepdim, name, fn):
    a = input._data
    if input.dtype is _bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if a.size == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        r = fn(a)
        if keepdim:
            r = np.reshape(r, (1,) * a.ndim)
        return _make(np.asarray(r, dtype=np.int64))
    d = input._wrap_dim(dim)
    if a.ndim == 0:
        return _make(np.zeros((), np.int64))
    _check_nonempty(a, (d,), name)
    return _make(np.asarray(fn(a, axis=d, keepdims=keepdim), dtype=np.int64))


def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (flattened when ``dim`` is None)."""
    return _arg_extreme(input, dim, keepdim, "argmax", np.argmax)


def argmin(input, dim=None, keepdim=False):
    """Index of the smallest element (flattened when ``dim`` is None)."""
    return _arg_extreme(input, dim, keepdim, "argmin", np.argmin)


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "sum": sum,
    "mean": mean,
    "max": max,
    "min": min,
    "amax": amax,
    "amin": amin,
    "argmax": argmax,
    "argmin": argmin,
}
