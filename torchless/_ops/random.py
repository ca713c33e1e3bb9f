"""Random sampling ops: in-place fills (``uniform_``, ``normal_``,
``bernoulli_``, ``random_``, ``exponential_``, ``geometric_``,
``log_normal_``, ``cauchy_``) and ``bernoulli``, ``multinomial``, ``poisson``.

Every draw goes through a Generator (the default one unless ``generator=``
is given), which reproduces torch's CPU generator bit for bit and raises
torch's own argument errors."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = ["bernoulli", "multinomial", "poisson"]  # torch-level names; the fills are methods


def _gen(generator):
    from .._random import default_generator

    return default_generator if generator is None else generator


def _fill(t: Tensor, arr) -> Tensor:
    from .inplace import _write

    _write(t, arr)
    return t


def uniform_(self, from_=0.0, to=1.0, *, generator=None) -> Tensor:
    """Fill with samples uniform in [from_, to)."""
    return _fill(self, _gen(generator)._uniform(self.shape, self._data.dtype, from_, to))


def normal_(self, mean=0.0, std=1.0, *, generator=None) -> Tensor:
    """Fill with normal samples of the given mean and std."""
    arr = self._data
    g = _gen(generator)
    if arr.flags.c_contiguous or arr.size < 16:
        return _fill(self, g._normal(self.shape, arr.dtype, mean, std))
    # torch draws one element at a time, in memory order, for strided tensors
    vals = g._normal((arr.size,), arr.dtype, mean, std, contiguous=False)
    order = np.argsort(_memory_offsets(arr).ravel(), kind="stable")
    flat = vals.copy()
    flat[order] = vals
    return _fill(self, flat.reshape(arr.shape))


def _memory_offsets(arr):
    """Each element's byte offset from the first, in index order (vectorised)."""
    off = np.zeros(arr.shape, dtype=np.int64)
    for d, (n, st) in enumerate(zip(arr.shape, arr.strides)):
        shape = [1] * arr.ndim
        shape[d] = n
        off = off + np.arange(n, dtype=np.int64).reshape(shape) * st
    return off


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    """Fill with 1 where a uniform draw falls below ``p`` (a number or tensor)."""
    g = _gen(generator)
    if isinstance(p, Tensor):
        return _fill(self, g._bernoulli_tensor(p._data, self._data.dtype))
    return _fill(self, g._bernoulli_scalar(self.shape, p, self._data.dtype))


class BernoulliBackward0(Node):
    """Sampling has a zero gradient (torch records it all the same)."""

    __slots__ = ()

    def apply(self, g):
        return (g * 0,)


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """Samples 0/1 with the probabilities in ``input`` (or a scalar ``p``)."""
    g = _gen(generator)
    if p is not None:
        res = _make(g._bernoulli_scalar(input.shape, p, input._data.dtype))
    else:
        res = _make(g._bernoulli_tensor(input._data, input._data.dtype))
    if _state.enabled and input._requires_grad:
        _record(BernoulliBackward0(), res, input)
    return res


def random_(self, from_=None, to=None, *, generator=None) -> Tensor:
    """Fill with integers uniform in [from_, to), or over the dtype's range."""
    g = _gen(generator)
    if from_ is None and to is None:
        return _fill(self, g._random(self.shape, self._data.dtype))
    if to is None:
        from_, to = 0, from_
    return _fill(self, g._randint(int(from_), int(to), self.shape, self._data.dtype))


def exponential_(self, lambd=1.0, *, generator=None) -> Tensor:
    """Fill with exponential samples of rate ``lambd``."""
    return _fill(self, _gen(generator)._exponential(self.shape, self._data.dtype, lambd))


def geometric_(self, p, *, generator=None) -> Tensor:
    """Fill with geometric samples (trials until the first success)."""
    return _fill(self, _gen(generator)._geometric(self.shape, self._data.dtype, p))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None) -> Tensor:
    """Fill with samples whose logarithm is normal(mean, std)."""
    return _fill(self, _gen(generator)._log_normal(self.shape, self._data.dtype, mean, std))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None) -> Tensor:
    """Fill with Cauchy samples."""
    return _fill(self, _gen(generator)._cauchy(self.shape, self._data.dtype, median, sigma))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None) -> Tensor:
    """Indices drawn from the rows of ``input`` (unnormalised probabilities)."""
    return _make(_gen(generator)._multinomial(input._data, num_samples, replacement))


class PoissonBackward0(Node):
    """Sampling has a zero gradient (torch records it all the same)."""

    __slots__ = ()

    def apply(self, g):
        return (g * 0,)


def poisson(input, generator=None) -> Tensor:
    """Poisson counts with the rates in ``input``, in its dtype (torch's CPU sampler)."""
    res = _make(_gen(generator)._poisson(input._data, input._data.dtype))
    if _state.enabled and input._requires_grad:
        _record(PoissonBackward0(), res, input)
    return res


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "uniform_": uniform_,
    "normal_": normal_,
    "bernoulli_": bernoulli_,
    "bernoulli": bernoulli,
    "random_": random_,
    "exponential_": exponential_,
    "geometric_": geometric_,
    "log_normal_": log_normal_,
    "cauchy_": cauchy_,
    "multinomial": multinomial,
}
