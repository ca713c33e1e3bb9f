"""Reductions: sum, mean, max/min, argmax/argmin, nansum/nanmean, prod,
var/std (and var_mean/std_mean), torch.norm, logsumexp, the scans (cumsum,
cumprod, cummax, cummin), all/any/count_nonzero, aminmax, diff, and
sum_to_shape (the one place where broadcasting is undone for gradients).

Sums use NumPy's pairwise summation, which can differ from torch's cascade
sum in the last bits of float32 results (torch's own order depends on the
CPU's vector width and thread count). Scans and var/std accumulate in double
for float32 as torch's CPU kernels do, so cumsum/cumprod match exactly."""

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
    "nansum",
    "nanmean",
    "prod",
    "var",
    "std",
    "var_mean",
    "std_mean",
    "norm",
    "logsumexp",
    "cumsum",
    "cumprod",
    "cummax",
    "cummin",
    "all",
    "any",
    "count_nonzero",
    "aminmax",
    "diff",
]

_bool = D.bool
_i64 = D.int64
_f16 = D.float16


class _ReturnTypes:
    """Named tuples as torch.return_types prints them."""

    @staticmethod
    def make(name, values, indices, fields=("values", "indices")):
        cls = _RT.get(name)
        if cls is None:
            base = namedtuple(name, fields)
            f0, f1 = fields

            def __repr__(self):  # noqa: N807
                return f"torch.return_types.{name}(\n{f0}={self[0]!r},\n{f1}={self[1]!r})"

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
    if not shape:  # everything: the common case of a scalar parameter
        r = np.asarray(_add_reduce(a, None))
    else:
        lead = a.ndim - len(shape)
        axes = list(range(lead))
        for i, s in enumerate(shape):
            if s == 1 and a.shape[lead + i] != 1:
                axes.append(lead + i)
        if axes:
            # reduce straight into an array of the target shape, which then owns
            # its memory (a reshaped view would have to be copied into .grad)
            r = np.empty(shape, dtype=a.dtype)
            _add_reduce(a, tuple(axes), None, r.reshape((1,) * lead + shape), keepdims=True)
        else:
            r = a.copy()
    res = _make(r)
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

    def apply(self, g):
        x, r = self.saved()
        # a nan result came from the nan elements: they share the gradient
        mask = (x == r) | (x.isnan() & r.isnan()) if r.dtype.is_floating_point else x == r
        mask = mask.to(g.dtype)
        return (mask * (g / mask.sum()),)


class MaxBackward0(Node):
    """Gradient of max/min over a dim: scattered to the chosen indices."""

    __slots__ = ("shape", "dim", "keepdim")

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

    __slots__ = ("dims", "keepdim")

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


# ----------------------------------------------------------------------------
# helpers shared by the reductions below


def _axes(dims, ndim):
    """dims_arg's result as explicit axes (None means all of them)."""
    return tuple(range(ndim)) if dims is None else dims


def _count(shape, axes):
    n = 1
    for d in axes:
        n *= shape[d]
    return n


def _save_io(node, x, res):
    """Save an op's input and its output (as an alias: no reference cycle)."""
    if res._vc is None:
        res._vc = [0]
    node.save(x, Tensor._alias(res))


def _saved_io(node):
    """The saved input and output; in a differentiable backward the output
    leads back to ``node``, so gradients of gradients flow through it."""
    x, r = node.saved()
    if _state.enabled:
        r = Tensor._alias(r, grad_fn=node)
    return x, r


def _acc_np(dt):
    """NumPy accumulation type of torch's CPU reductions and scans (float
    accumulates in double, half in float)."""
    if dt == np.float32:
        return np.float64
    if dt == np.float16:
        return np.float32
    return dt


# ----------------------------------------------------------------------------
# nansum / nanmean


class NansumBackward0(Node):
    __slots__ = ("shape", "dims", "keepdim")

    def apply(self, g):
        (x,) = self.saved()
        if not self.keepdim and self.dims is not None:
            g = g.reshape(_keep_shape(self.shape, self.dims))
        return (g.expand(self.shape) * x.isnan().logical_not(),)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum treating NaN as zero. Integer and bool inputs sum to int64."""
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
    if input.dtype.is_floating_point:
        a = np.where(np.isnan(a), a.dtype.type(0), a)
    res = _make(np.asarray(_sum_array(a, dims, keepdim, out_np)))
    if _state.enabled and input._requires_grad:
        node = NansumBackward0()
        node.shape, node.dims, node.keepdim = a.shape, dims, keepdim
        node.save(input)
        _record(node, res, input)
    return res


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean of the non-NaN elements (floating inputs only)."""
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            f"{input.dtype._legacy[:-6]}"
        )
    count = sum(input.isnan().logical_not(), dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype).div(count)


# ----------------------------------------------------------------------------
# prod


def _flip(t, dim):
    """``t`` reversed along ``dim`` (a differentiable copy)."""
    res = _make(np.flip(t._data, dim).copy())
    if _state.enabled and t._requires_grad:
        node = FlipBackward0()
        node.dim = dim
        _record(node, res, t)
    return res


class FlipBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        return (_flip(g, self.dim),)


def _prod_safe_zeros_backward(g, x, dim):
    """Gradient of a product along ``dim`` that is exact with zeros: the
    product of all the other elements, from exclusive cumulative products."""
    from .creation import ones
    from .shape import cat

    n = x.shape[dim]
    if x.numel() == 0:
        return g.expand(x.shape)
    one_shape = list(x.shape)
    one_shape[dim] = 1
    one = ones(one_shape, dtype=g.dtype)
    before = cumprod(cat([one, x.narrow(dim, 0, n - 1)], dim), dim)
    after = _flip(cumprod(cat([one, _flip(x.narrow(dim, 1, n - 1), dim)], dim), dim), dim)
    return g * (before * after)


class ProdBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        x, r = _saved_io(self)
        if x.ndim == 0:
            return (g,)
        zeros = int(np.count_nonzero(x._data == 0))
        if zeros == 0:
            return (g * (r / x),)
        if zeros > 1 and not _state.enabled:
            return (_make(np.zeros(x.shape, dtype=g._data.dtype)),)
        flat = x.contiguous().view(-1)
        return (_prod_safe_zeros_backward(g, flat, 0).view(x.shape),)


class ProdBackward1(Node):
    __slots__ = ("dim", "keepdim")

    def apply(self, g):
        x, r = _saved_io(self)
        if x.ndim == 0:
            return (g,)
        d = self.dim
        if not self.keepdim:
            g, r = g.unsqueeze(d), r.unsqueeze(d)
        if not np.any(x._data == 0):
            return (g * (r / x),)
        return (_prod_safe_zeros_backward(g, x, d),)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements, or along one ``dim``. Integer and bool
    inputs multiply in int64."""
    if isinstance(dim, (tuple, list)):
        raise TypeError(
            "prod() received an invalid combination of arguments - got (Tensor, "
            f"{type(dim).__name__}), but expected one of:\n"
            " * (Tensor input, *, torch.dtype dtype = None)\n"
            " * (Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, "
            "Tensor out = None)\n"
        )
    a = input._data
    if dtype is not None:
        out_np = dtype.np
        if not dtype.is_floating_point and _state.enabled and input._requires_grad:
            raise RuntimeError(f"Autograd not support dtype: {dtype._legacy[:-6]}")
    elif input.dtype._cat != D._FLOAT:
        out_np = np.int64
    else:
        out_np = a.dtype
    if out_np != a.dtype:
        a = a.astype(out_np)
    if dim is None:
        res = _make(np.asarray(np.multiply.reduce(a, axis=None), dtype=out_np))
        node = ProdBackward0() if _state.enabled and input._requires_grad else None
    else:
        d = input._wrap_dim(dim)
        axes = (d,) if a.ndim else ()
        res = _make(np.asarray(np.multiply.reduce(a, axis=axes, keepdims=keepdim), dtype=out_np))
        node = None
        if _state.enabled and input._requires_grad:
            node = ProdBackward1()
            node.dim, node.keepdim = d, keepdim
    if node is not None:
        _record(node, res, input)
        _save_io(node, input, res)
    return res


# ----------------------------------------------------------------------------
# var / std and their fused means


_DOF_WARNING = (
    "{}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
    "factor (input numel divided by output numel). (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)"
)


def _var_args(name, input, dim, unbiased, correction):
    """Resolve var/std's overloads: ``var(x, unbiased)``, ``var(x, dim,
    unbiased, keepdim)`` and ``var(x, dim, *, correction, keepdim)``."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got both unbiased and "
            "correction"
        )
    if correction is None:
        correction = 0 if unbiased is False else 1
    if not input.dtype.is_floating_point:
        what = "std and var" if name in ("var", "std") else name
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    return dim, correction


def _moments(input, dim, keepdim, correction, name):
    """(variance, mean) arrays in float64 (two passes, as torch accumulates
    in double), with torch's warning when there are no degrees of freedom."""
    a = input._data
    dims = dims_arg(dim, a.ndim)
    axes = _axes(dims, a.ndim)
    n = _count(a.shape, axes)
    out_n = a.size // n if n else _count(a.shape, [i for i in range(a.ndim) if i not in axes])
    reducing = a.size // out_n if out_n else 0
    if reducing - correction <= 0:
        import warnings

        warnings.warn(_DOF_WARNING.format(name), UserWarning, stacklevel=3)
    af = a.astype(np.float64)
    mean = _add_reduce(af, axes, None, keepdims=True) / np.float64(n)
    dev = af - mean
    m2 = _add_reduce(dev * dev, axes, None, keepdims=keepdim)
    dof = n - correction
    var = m2 / np.float64(dof if dof > 0 else 0)
    if n == 0:
        var = np.full_like(var, np.nan)
    if not keepdim:
        mean = mean.reshape(var.shape)
    return var, mean, dims


def _var_backward(g, x, dims, correction, keepdim):
    """torch's var_backward; ``dims`` None for a reduction over all dims, ()
    for an empty dim list (which torch's backward counts as one element)."""
    from .pointwise import where

    if x.ndim == 0 or dims is None:
        dof = x.numel() - correction
        if dof <= 0:
            return g * where(x == x.mean(), float("nan"), float("inf"))
        return (2.0 / dof) * g * (x - x.mean())
    if not dims:
        dof = 1 - correction
        scale = 2.0 / dof if dof != 0 else float("inf")
        return scale * g * (x - x.mean(tuple(range(x.ndim)), keepdim=True))
    if not keepdim and x.ndim > 1:
        g = g.reshape(_keep_shape(x.shape, dims))
    dof = _count(x.shape, dims) - correction
    scale = 2.0 / dof if dof != 0 else float("inf")
    return scale * g * (x - x.mean(dims, keepdim=True))


def _std_backward(g, r, x, dims, correction, keepdim):
    from .pointwise import where

    return _var_backward(where(r == 0, 0.0, g / (r * 2)), x, dims, correction, keepdim)


def _mean_backward(g, shape, dims, keepdim):
    if not dims:  # all dims (an empty dim list too)
        dims = None
    n = _count(shape, _axes(dims, len(shape)))
    if not keepdim and dims is not None:
        g = g.reshape(_keep_shape(shape, dims))
    return g.expand(shape) / n


class VarBackward0(Node):
    __slots__ = ("dims", "correction", "keepdim")

    def apply(self, g):
        (x,) = self.saved()
        return (_var_backward(g, x, self.dims, self.correction, self.keepdim),)


class StdBackward0(Node):
    __slots__ = ("dims", "correction", "keepdim")

    def apply(self, g):
        x, r = _saved_io(self)
        return (_std_backward(g, r, x, self.dims, self.correction, self.keepdim),)


class VarMeanBackward0(Node):
    __slots__ = ("dims", "correction", "keepdim")
    _nout = 2

    def apply(self, gs):
        (x,) = self.saved()
        gv, gm = gs
        out = None
        if gv is not None:
            out = _var_backward(gv, x, self.dims, self.correction, self.keepdim)
        if gm is not None:
            aux = _mean_backward(gm, x.shape, self.dims, self.keepdim)
            out = aux if out is None else out + aux
        return (out,)


class StdMeanBackward0(Node):
    __slots__ = ("dims", "correction", "keepdim")
    _nout = 2

    def apply(self, gs):
        x, r = _saved_io(self)
        gs_, gm = gs
        out = None
        if gs_ is not None:
            out = _std_backward(gs_, r, x, self.dims, self.correction, self.keepdim)
        if gm is not None:
            aux = _mean_backward(gm, x.shape, self.dims, self.keepdim)
            out = aux if out is None else out + aux
        return (out,)


def _var_std(input, dim, unbiased, keepdim, correction, name):
    dim, correction = _var_args(name, input, dim, unbiased, correction)
    var, mean, dims = _moments(input, dim, keepdim, correction, name)
    take_sqrt = name.startswith("std")
    dt = input._data.dtype
    res = _make(np.asarray(np.sqrt(var) if take_sqrt else var, dtype=dt))
    full = None if dim is None else (() if dims is None else dims)
    if name in ("var", "std"):
        if _state.enabled and input._requires_grad:
            node = StdBackward0() if take_sqrt else VarBackward0()
            node.dims, node.correction, node.keepdim = full, correction, keepdim
            _record(node, res, input)
            if take_sqrt:
                _save_io(node, input, res)
            else:
                node.save(input)
        return res
    m = _make(np.asarray(mean, dtype=dt))
    if _state.enabled and input._requires_grad:
        node = StdMeanBackward0() if take_sqrt else VarMeanBackward0()
        node.dims, node.correction, node.keepdim = full, correction, keepdim
        _record(node, res, input)
        _record(node, m, input)
        m._out_nr = 1
        if take_sqrt:
            _save_io(node, input, res)
        else:
            node.save(input)
    return res, m


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance over ``dim`` (all dims by default) with Bessel's correction
    unless ``unbiased=False`` or another ``correction`` is given."""
    return _var_std(input, dim, unbiased, keepdim, correction, "var")


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var``."""
    return _var_std(input, dim, unbiased, keepdim, correction, "std")


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` in one pass."""
    return _var_std(input, dim, unbiased, keepdim, correction, "var_mean")


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` in one pass."""
    return _var_std(input, dim, unbiased, keepdim, correction, "std_mean")


# ----------------------------------------------------------------------------
# norm: torch.norm's dispatch to linalg.vector_norm / linalg.matrix_norm


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``: a vector norm (``p`` a number or 'fro') over ``dim``,
    or a matrix norm ('nuc', or 'fro' over more than two dims), as torch
    dispatches to ``linalg.vector_norm`` / ``linalg.matrix_norm``."""
    from .linalg import vector_norm

    _dim = None if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return vector_norm(input, 2, _dim, keepdim, dtype=dtype, out=out)
        from ..linalg import matrix_norm

        if _dim is None:
            _dim = list(range(input.ndim))
        return matrix_norm(input, p, _dim, keepdim, dtype=dtype, out=out)
    return vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype, out=out)


def _tensor_norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    return norm(self, p, dim, keepdim, dtype=dtype)


# ----------------------------------------------------------------------------
# logsumexp


class LogsumexpBackward0(Node):
    __slots__ = ("dims", "keepdim")

    def apply(self, g):
        x, r = _saved_io(self)
        if not self.keepdim and x.ndim != 0:
            shape = _keep_shape(x.shape, self.dims)
            g, r = g.reshape(shape), r.reshape(shape)
        return (g * (x - r).exp(),)


def logsumexp(input, dim, keepdim=False):
    """``log(sum(exp(input)))`` over ``dim``, computed stably (the max is
    subtracted first). Integer inputs are taken as the default float."""
    if not input.dtype.is_floating_point:
        input = input.to(D._default.dtype)
    a = input._data
    if isinstance(dim, (tuple, list)) and not dim and a.ndim and a.size and not keepdim:
        # torch reduces the max over all dims but adds it back unsqueezed
        raise RuntimeError(
            f"output with shape [] doesn't match the broadcast shape {[1] * a.ndim}"
        )
    dims = dims_arg(dim, a.ndim)
    axes = _axes(dims, a.ndim)
    if a.size:
        m = np.max(a, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), m.dtype.type(0), m)
        s = _sum_array(np.exp(a - m), axes, keepdim, None)
        r = np.log(s) + (m if keepdim else m.reshape(s.shape))
    else:
        r = np.log(_sum_array(np.exp(a), axes, keepdim, None))
    res = _make(np.asarray(r, dtype=a.dtype))
    if _state.enabled and input._requires_grad:
        node = LogsumexpBackward0()
        node.dims, node.keepdim = axes, keepdim
        _record(node, res, input)
        _save_io(node, input, res)
    return res


# ----------------------------------------------------------------------------
# cumsum / cumprod / cummax / cummin


def _scan_dtype(input, dtype):
    if dtype is not None:
        if not dtype.is_floating_point and _state.enabled and input._requires_grad:
            raise RuntimeError(f"Autograd not support dtype: {dtype._legacy[:-6]}")
        return dtype.np
    if input.dtype._cat != D._FLOAT:
        return np.int64
    return input._data.dtype


def _scan(ufunc, input, dim, dtype):
    """An inclusive scan in torch's accumulation type, cast to the result."""
    a = input._data
    d = input._wrap_dim(dim)
    out_np = _scan_dtype(input, dtype)
    if a.dtype != out_np:
        a = a.astype(out_np)
    if a.ndim == 0:
        return _make(a.copy()), d
    acc = _acc_np(np.dtype(out_np))
    r = ufunc.accumulate(a, axis=d, dtype=acc)
    return _make(np.asarray(r, dtype=out_np)), d


class CumsumBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        d = self.dim
        if g.numel() <= 1 or g.shape[d] == 1:
            return (g,)
        return (_flip(cumsum(_flip(g, d), d), d),)


def cumsum(input, dim, *, dtype=None):
    """Cumulative sums along ``dim`` (float32 accumulates in double, as in
    torch). Integer and bool inputs give int64."""
    res, d = _scan(np.add, input, dim, dtype)
    if _state.enabled and input._requires_grad:
        node = CumsumBackward0()
        node.dim = d
        _record(node, res, input)
    return res


def _cumprod_backward_nograd(g, x, r, d):
    """The O(n) gradient of cumprod when the input has zeros (arrays only)."""
    ga, xa, ra = g._data, x._data, r._data
    dt = ga.dtype
    w = ra * ga
    zero = xa == 0
    cs = np.cumsum(zero, axis=d)
    out = np.zeros(xa.shape, dt)
    mask = cs == 0
    rc = np.flip(np.cumsum(np.flip(np.where(mask, w, dt.type(0)), d), d, dtype=_acc_np(dt)), d)
    out[mask] = (rc.astype(dt) / xa)[mask]
    mask = cs == 1
    first = np.argmax(mask, axis=d)
    first_k = np.expand_dims(first, d)
    first_mask = np.zeros(xa.shape, bool)
    np.put_along_axis(first_mask, first_k, True, axis=d)
    first_mask &= mask
    mask &= ~first_mask
    pre = np.cumprod(np.where(mask, xa, dt.type(1)), axis=d, dtype=_acc_np(dt)).astype(dt)
    tail = _add_reduce(pre * np.where(cs != 1, dt.type(0), ga), d, None, keepdims=True)
    before = np.take_along_axis(ra, np.maximum(first_k - 1, 0), axis=d)
    before = np.where(first_k == 0, dt.type(1), before)
    val = np.broadcast_to(tail * before, xa.shape)
    out[first_mask] = val[first_mask]
    return _make(out)


def _cumprod_backward_graph(g, x, d):
    """The O(n^2) differentiable gradient of cumprod (for create_graph)."""
    from .creation import ones
    from .shape import cat, stack

    n = x.shape[d]
    one_shape = list(x.shape)
    one_shape[d] = 1
    one = ones(one_shape, dtype=g.dtype)
    slices = []
    for k in range(n):
        if k == 0:
            omitted = cat([one, cumprod(x.narrow(d, 1, n - 1), d)], d)
        elif k == n - 1:
            omitted = prod(x.narrow(d, 0, k), d, True)
        else:
            until = prod(x.narrow(d, 0, k), d, True)
            after = cumprod(x.narrow(d, k + 1, n - k - 1), d)
            omitted = cat([until, until.expand(after.shape) * after], d)
        slices.append(sum(g.narrow(d, k, n - k) * omitted, d))
    return stack(slices, d)


class CumprodBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        x, r = _saved_io(self)
        d = self.dim
        if x.numel() <= 1 or x.shape[d] == 1:
            return (g,)
        if not np.any(x._data == 0):
            w = r * g
            return (_flip(cumsum(_flip(w, d), d), d).div(x),)
        if not _state.enabled:
            return (_cumprod_backward_nograd(g, x, r, d),)
        return (_cumprod_backward_graph(g, x, d),)


def cumprod(input, dim, *, dtype=None):
    """Cumulative products along ``dim`` (exact gradients with zeros)."""
    res, d = _scan(np.multiply, input, dim, dtype)
    if _state.enabled and input._requires_grad:
        node = CumprodBackward0()
        node.dim = d
        _record(node, res, input)
        _save_io(node, input, res)
    return res


def _cumsum_(self, dim, *, dtype=None):
    from .inplace import apply_inplace

    return apply_inplace(self, cumsum, dim, dtype=dtype)


def _cumprod_(self, dim, *, dtype=None):
    from .inplace import apply_inplace

    return apply_inplace(self, cumprod, dim, dtype=dtype)


class ScatterAddBackward0(Node):
    __slots__ = ("dim", "idx")

    def apply(self, g):
        from .indexing import gather_along

        return (gather_along(g, self.dim, self.idx),)


def scatter_add_zeros(g, dim, idx, shape):
    """Zeros of ``shape`` with ``g`` added at ``idx`` along ``dim`` (repeated
    indices accumulate)."""
    z = np.zeros(shape, dtype=g._data.dtype)
    ix = list(np.indices(idx._data.shape, sparse=True))
    ix[dim] = idx._data
    np.add.at(z, tuple(ix), g._data)
    res = _make(z)
    if _state.enabled and g._requires_grad:
        node = ScatterAddBackward0()
        node.dim, node.idx = dim, idx
        _record(node, res, g)
    return res


class CummaxBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        (idx,) = self.saved()
        if g.numel() == 0 or g.ndim == 0:
            return (g,)
        return (scatter_add_zeros(g, self.dim, idx, g.shape),)


def _cum_extreme(input, dim, name):
    a = input._data
    d = input._wrap_dim(dim)
    if a.ndim == 0 or a.size == 0:
        vals, idx = a.copy(), np.zeros(a.shape, np.int64)
    else:
        run = (np.maximum if name == "cummax" else np.minimum).accumulate(a, axis=d)
        hit = a == run
        if input.dtype.is_floating_point:
            hit |= np.isnan(a)
        pos = np.arange(a.shape[d], dtype=np.int64).reshape(
            [-1 if i == d else 1 for i in range(a.ndim)]
        )
        # torch keeps the last index reaching the running extreme (>= / <=), and NaN wins
        idx = np.maximum.accumulate(np.where(hit, pos, 0), axis=d)
        vals = np.take_along_axis(a, idx, axis=d)
    values, indices = _make(vals), _make(idx)
    if _state.enabled and input._requires_grad:
        node = CummaxBackward0()
        node._name = "CummaxBackward0" if name == "cummax" else "CumminBackward0"
        node.dim = d
        node.save(indices)
        _record(node, values, input)
    return _ReturnTypes.make(name, values, indices)


def cummax(input, dim):
    """Running maximum along ``dim`` and the index where it was reached."""
    return _cum_extreme(input, dim, "cummax")


def cummin(input, dim):
    """Running minimum along ``dim`` and the index where it was reached."""
    return _cum_extreme(input, dim, "cummin")


# ----------------------------------------------------------------------------
# all / any / count_nonzero / aminmax / diff


def _all_any(input, dim, keepdim, fn):
    a = input._data
    b = a.astype(bool) if a.dtype != np.bool_ else a
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        r = b.copy()  # torch reduces over no dim at all
    else:
        dims = dims_arg(dim, a.ndim)
        r = fn(b, axis=dims, keepdims=keepdim)
    return _make(np.asarray(r, dtype=np.uint8 if a.dtype == np.uint8 else np.bool_))


def all(input, dim=None, keepdim=False):
    """Whether every element (over ``dim``) is nonzero; uint8 in, uint8 out."""
    return _all_any(input, dim, keepdim, np.all)


def any(input, dim=None, keepdim=False):
    """Whether some element (over ``dim``) is nonzero; uint8 in, uint8 out."""
    return _all_any(input, dim, keepdim, np.any)


def count_nonzero(input, dim=None):
    """The number of nonzero elements over ``dim`` (all dims by default)."""
    a = input._data
    dims = dims_arg(dim, a.ndim)
    return _make(np.asarray(_add_reduce(a != 0, dims, np.int64), dtype=np.int64))


class AminmaxBackward0(Node):
    """Gradients of aminmax: each extreme's gradient split among its ties."""

    __slots__ = ("dims", "keepdim")
    _nout = 2

    def apply(self, gs):
        x, mn, mx = self.saved()
        out = None
        for g, r in zip(gs, (mn, mx)):
            if g is None:
                continue
            if not self.keepdim and self.dims is not None:
                shape = _keep_shape(x.shape, self.dims)
                g, r = g.reshape(shape), r.reshape(shape)
            mask = (x == r).to(g.dtype)
            t = (g / mask.sum(_axes(self.dims, x.ndim), keepdim=True)) * mask
            out = t if out is None else out + t
        return (out,)


def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` of all elements or along ``dim``."""
    a = input._data
    if dim is None:
        if a.size == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation "
                "has no identity."
            )
        dims = None
    else:
        if not isinstance(dim, int):
            raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
        d = input._wrap_dim(dim)
        if a.ndim and a.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        dims = (d,) if a.ndim else ()
    mn = _make(np.asarray(np.min(a, axis=dims, keepdims=keepdim)))
    mx = _make(np.asarray(np.max(a, axis=dims, keepdims=keepdim)))
    if _state.enabled and input._requires_grad:
        node = AminmaxBackward0()
        node.dims, node.keepdim = dims, keepdim
        _record(node, mn, input)
        _record(node, mx, input)
        mx._out_nr = 1
        for t in (mn, mx):
            if t._vc is None:
                t._vc = [0]
        node.save(input, Tensor._alias(mn), Tensor._alias(mx))
    return _ReturnTypes.make("aminmax", mn, mx, ("min", "max"))


def _diff_check_shape(input, other, d):
    if other is None:
        return
    if other.ndim != input.ndim:
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    for i in range(other.ndim):
        if i != d and other.shape[i] != input.shape[i]:
            raise RuntimeError(
                "diff expects the shape of tensor to prepend or append to match that of input "
                f"except along the differencing dimension; input.size({i}) = {input.shape[i]}, "
                f"but got tensor.size({i}) = {other.shape[i]}"
            )


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (xor for bool), after
    joining ``prepend`` and ``append``."""
    from .pointwise import logical_xor
    from .shape import cat

    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = input._wrap_dim(dim)
    _diff_check_shape(input, prepend, d)
    _diff_check_shape(input, append, d)
    if prepend is not None or append is not None:
        parts = [t for t in (prepend, input, append) if t is not None]
        input = cat(parts, d)
    if n == 0:
        from .creation import zeros_like

        return zeros_like(input).copy_(input)
    size = input.shape[d]
    length = size - 1
    r = input
    for _ in range(n if n < size else size):
        hi, lo = r.narrow(d, 1, length), r.narrow(d, 0, length)
        r = logical_xor(hi, lo) if r.dtype is _bool else hi - lo
        length -= 1
    return r


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
    "nansum": nansum,
    "nanmean": nanmean,
    "prod": prod,
    "var": var,
    "std": std,
    "norm": _tensor_norm,
    "logsumexp": logsumexp,
    "cumsum": cumsum,
    "cumprod": cumprod,
    "cumsum_": _cumsum_,
    "cumprod_": _cumprod_,
    "cummax": cummax,
    "cummin": cummin,
    "all": all,
    "any": any,
    "count_nonzero": count_nonzero,
    "aminmax": aminmax,
    "diff": diff,
}
