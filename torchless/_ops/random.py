"""In-place random fills (``uniform_``, ``normal_``, ``bernoulli_``,
``random_``) and ``bernoulli``, drawing from a Generator."""

from __future__ import annotations

from .._tensor import Tensor, _make

__all__ = ["uniform_", "normal_", "bernoulli_", "bernoulli", "random_"]


def _gen(generator):
    from .._random import default_generator

    return default_generator if generator is None else generator


def _fill(t: Tensor, arr) -> Tensor:
    from .inplace import _write

    _write(t, arr)
    return t


def uniform_(self, from_=0.0, to=1.0, *, generator=None) -> Tensor:
    """Fill with samples uniform in [from_, to)."""
    if from_ > to:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={from_} > to={to}"
        )
    return _fill(self, _gen(generator)._uniform(self.shape, self._data.dtype, from_, to))


def normal_(self, mean=0.0, std=1.0, *, generator=None) -> Tensor:
    """Fill with normal samples of the given mean and std."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _fill(self, _gen(generator)._normal(self.shape, self._data.dtype, mean, std))


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    """Fill with 1 where a uniform draw falls below ``p`` (a number or tensor)."""
    g = _gen(generator)
    if isinstance(p, Tensor):
        arr = g._bernoulli_tensor(p._data, self._data.dtype)
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        arr = g._bernoulli_scalar(self.shape, p, self._data.dtype)
    return _fill(self, arr)


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """Samples 0/1 with the probabilities in ``input``."""
    g = _gen(generator)
    if p is not None:
        return _make(g._bernoulli_scalar(input.shape, p, input._data.dtype))
    return _make(g._bernoulli_tensor(input._data, input._data.dtype))


def random_(self, from_=None, to=None, *, generator=None) -> Tensor:
    """Fill with integers uniform in [from_, to), or over the dtype's range."""
    g = _gen(generator)
    if from_ is None and to is None:
        return _fill(self, g._random(self.shape, self._data.dtype))
    if to is None:
        from_, to = 0, from_
    return _fill(self, g._randint(int(from_), int(to), self.shape, self._data.dtype))
