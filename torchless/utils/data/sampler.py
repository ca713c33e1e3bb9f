"""Samplers: the order in which a :class:`~torchless.utils.data.DataLoader` visits a dataset's
indices (``torch.utils.data.sampler``).

The random samplers draw from torchless's generators with the same calls, in the same order,
as torch's samplers, so a seeded program visits the same indices under both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

import torchless

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Base class of samplers: ``__iter__`` yields indices (or lists of indices, for a batch
    sampler); ``__len__``, when a subclass provides it, says how many."""

    def __iter__(self) -> Iterator[_T_co]:
        raise NotImplementedError

    # No default __len__ (see Dataset): len() of a sampler without one raises TypeError.


class SequentialSampler(Sampler[int]):
    """``0, 1, ..., len(data_source) - 1``, in order."""

    data_source: Sized

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


def _seeded_generator():
    """A new generator seeded from the default one, as torch's RandomSampler makes it."""
    seed = int(torchless.empty((), dtype=torchless.int64).random_().item())
    generator = torchless.Generator()
    generator.manual_seed(seed)
    return generator


class RandomSampler(Sampler[int]):
    """The indices of ``data_source`` in random order.

    Args:
        data_source: the dataset (it must have ``__len__``).
        replacement: draw each index independently (``randint``) instead of permuting.
        num_samples: how many indices to yield (default ``len(data_source)``); without
            replacement, more than ``len(data_source)`` chains several permutations.
        generator: the generator to draw from. Without one, each iteration seeds a fresh
            generator with a 64-bit number drawn from the default generator.
    """

    data_source: Sized
    replacement: bool

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator=None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator

        if not isinstance(self.replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={self.replacement}"
            )
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                "num_samples should be a positive integer value, but got "
                f"num_samples={self.num_samples}"
            )

    @property
    def num_samples(self) -> int:
        # read at each use: the dataset may grow or shrink
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        generator = _seeded_generator() if self.generator is None else self.generator
        if self.replacement:
            # drawn in blocks of 32, as torch draws them (the block size shapes the stream)
            for _ in range(self.num_samples // 32):
                yield from torchless.randint(
                    high=n, size=(32,), dtype=torchless.int64, generator=generator
                ).tolist()
            yield from torchless.randint(
                high=n, size=(self.num_samples % 32,), dtype=torchless.int64, generator=generator
            ).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from torchless.randperm(n, generator=generator).tolist()
            yield from torchless.randperm(n, generator=generator).tolist()[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a random order (``randperm`` over their positions)."""

    indices: Sequence[int]

    def __init__(self, indices: Sequence[int], generator=None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in torchless.randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


def _multinomial(weights, num_samples: int, replacement: bool, generator):
    """``torch.multinomial(weights, num_samples, replacement, generator=generator)``."""
    multinomial = getattr(torchless, "multinomial", None)
    if multinomial is not None:
        return multinomial(weights, num_samples, replacement, generator=generator)
    gen = torchless.default_generator if generator is None else generator
    return torchless.from_numpy(gen._multinomial(weights.numpy(), num_samples, replacement))


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices in ``[0, len(weights))``, index ``i`` drawn with probability
    proportional to ``weights[i]`` (``torchless.multinomial`` over float64 weights).

    Args:
        weights: a 1-D sequence of non-negative weights (they need not sum to 1).
        num_samples: how many indices to draw.
        replacement: with replacement (the default), an index may come more than once.
        generator: the generator to draw from (the default generator if None).

    Example::

        >>> g = torchless.Generator().manual_seed(0)
        >>> list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, generator=g))
        [5, 4, 4, 5, 4]
    """

    weights: torchless.Tensor
    num_samples: int
    replacement: bool

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator=None,
    ) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(
                "num_samples should be a positive integer value, but got "
                f"num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        weights_tensor = torchless.as_tensor(weights, dtype=torchless.double)
        if len(weights_tensor.shape) != 1:
            raise ValueError(
                "weights should be a 1d sequence but given "
                f"weights have shape {tuple(weights_tensor.shape)}"
            )
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        rand_tensor = _multinomial(
            self.weights, self.num_samples, self.replacement, self.generator
        )
        yield from iter(rand_tensor.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Groups the indices of another sampler into lists of ``batch_size``.

    Args:
        sampler: the sampler (or any iterable of indices) to group.
        batch_size: the size of each batch.
        drop_last: drop the last batch when it is shorter than ``batch_size``.

    Example::

        >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
        [[0, 1, 2], [3, 4, 5], [6]]
    """

    def __init__(
        self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool
    ) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        sampler_iter = iter(self.sampler)
        batch = list(itertools.islice(sampler_iter, self.batch_size))
        while batch:
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch
            batch = list(itertools.islice(sampler_iter, self.batch_size))

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
