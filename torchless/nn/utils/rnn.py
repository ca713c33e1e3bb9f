"""``torchless.nn.utils.rnn``: batches of variable-length sequences.

A :class:`PackedSequence` holds the steps of several sequences interleaved:
``data`` has the first step of every sequence, then the second step of every
sequence that is that long, and so on; ``batch_sizes[t]`` says how many
sequences have a step ``t``. The recurrent layers take it instead of a padded
batch and skip the padding. ``pack_padded_sequence``/``pad_packed_sequence``
convert from and to a padded tensor; ``pad_sequence``/``unpad_sequence`` and
``pack_sequence``/``unpack_sequence`` from and to a list of tensors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from ..._ops import rnn as _rnn
from ..._tensor import Tensor, _make

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def bind(optional, fn):
    if optional is None:
        return None
    return fn(optional)


class PackedSequence(PackedSequence_):
    r"""The data and ``batch_sizes`` of a packed batch of sequences.

    Made by :func:`pack_padded_sequence` or :func:`pack_sequence`, not by hand.
    For sequences ``abc`` and ``x``, ``data`` is ``axbc`` and ``batch_sizes`` is
    ``[2, 1, 1]``.

    Attributes:
        data: the packed steps, ``(sum of lengths, *)``.
        batch_sizes: the number of sequences at each step (int64, on the CPU).
        sorted_indices: how the sequences were reordered by decreasing length, or None.
        unsorted_indices: the inverse permutation, to restore the original order.
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        return super().__new__(
            cls, *_packed_sequence_init_args(data, batch_sizes, sorted_indices, unsorted_indices)
        )

    def pin_memory(self):
        return type(self)(
            self.data.pin_memory(),
            self.batch_sizes,
            bind(self.sorted_indices, lambda t: t.pin_memory()),
            bind(self.unsorted_indices, lambda t: t.pin_memory()),
        )

    def to(self, *args: Any, **kwargs: Any):
        """``self.data.to(...)``; returns self when ``data`` is unchanged. The
        indices follow ``data``'s device; ``batch_sizes`` stays on the CPU."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        non_blocking = kwargs.get("non_blocking", False)

        def call_to(t):
            return t.to(data.device, non_blocking=non_blocking)

        sorted_indices = bind(self.sorted_indices, call_to)
        unsorted_indices = bind(self.unsorted_indices, call_to)
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("device", "cuda")
        return self.to(*args, **kwargs)

    def cpu(self, *args: Any, **kwargs: Any):
        kwargs["device"] = "cpu"
        return self.to(*args, **kwargs)

    def double(self):
        from ... import double

        return self.to(dtype=double)

    def float(self):
        from ... import float as float32

        return self.to(dtype=float32)

    def half(self):
        from ... import half

        return self.to(dtype=half)

    def long(self):
        from ... import long

        return self.to(dtype=long)

    def int(self):
        from ... import int as int32

        return self.to(dtype=int32)

    def short(self):
        from ... import short

        return self.to(dtype=short)

    def char(self):
        from ... import int8

        return self.to(dtype=int8)

    def byte(self):
        from ... import uint8

        return self.to(dtype=uint8)

    @property
    def is_cuda(self) -> bool:
        """True when ``data`` is on a GPU."""
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return self.data.is_pinned()


def _packed_sequence_init_args(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        if batch_sizes.device.type != "cpu":
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never "
                "be created manually. They should be instantiated by functions like "
                "pack_sequence and pack_padded_sequences in nn.utils.rnn. "
                "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"
            )
        return data, batch_sizes, sorted_indices, unsorted_indices
    # PackedSequence((data, batch_sizes), sorted_indices=...)
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError("Expected data to be a list or tuple of length 2")
    return data[0], data[1], sorted_indices, unsorted_indices


def _packed_sequence_init(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    data, batch_sizes, sorted_indices, unsorted_indices = _packed_sequence_init_args(
        data, batch_sizes, sorted_indices, unsorted_indices
    )
    return PackedSequence(data, batch_sizes, sorted_indices, unsorted_indices)


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation (a 1-D int64 tensor), or None for None."""
    if permutation is None:
        return None
    p = np.asarray(permutation._data)
    out = np.empty_like(p)
    out[p] = np.arange(p.size, dtype=p.dtype)
    return _make(out)


def _as_lengths(lengths) -> Tensor:
    from ... import as_tensor, int64

    if isinstance(lengths, Tensor):
        return lengths.to(dtype=int64)
    return as_tensor(lengths, dtype=int64, device="cpu")


def pack_padded_sequence(
    input: Tensor, lengths, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    r"""Pack a padded batch of variable-length sequences.

    Args:
        input: ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``), padded.
        lengths: the length of each sequence (a list or a CPU int64 tensor).
        batch_first: whether ``input`` is batch-major.
        enforce_sorted: require ``lengths`` in decreasing order; with ``False`` the
            batch is sorted here and the permutation kept in the result.

    Returns:
        a :class:`PackedSequence`.

    Example::

        >>> seq = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
        >>> pack_padded_sequence(seq, [2, 1, 3], batch_first=True, enforce_sorted=False)
        PackedSequence(data=tensor([4, 1, 3, 5, 2, 6]), batch_sizes=tensor([3, 2, 1]),
                       sorted_indices=tensor([2, 0, 1]), unsorted_indices=tensor([1, 2, 0]))
    """
    lengths = _as_lengths(lengths)
    if enforce_sorted:
        sorted_indices = None
    else:
        from ... import sort

        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        batch_dim = 0 if batch_first else 1
        input = input.index_select(batch_dim, sorted_indices)
    data, batch_sizes = _rnn.pack_padded(input, lengths, batch_first)
    return _packed_sequence_init(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Unpack a :class:`PackedSequence` into a padded tensor (the inverse of
    :func:`pack_padded_sequence`).

    Args:
        sequence: the packed batch.
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``.
        padding_value: the value of the padding.
        total_length: pad to this many steps (at least the longest sequence's).

    Returns:
        the padded tensor and the lengths of the sequences (int64), in the
        batch's original order.
    """
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{max_seq_length}"
            )
        max_seq_length = total_length
    padded_output, lengths = _rnn.pad_packed(
        sequence.data, sequence.batch_sizes, batch_first, padding_value, max_seq_length
    )
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        batch_dim = 0 if batch_first else 1
        return (
            padded_output.index_select(batch_dim, unsorted_indices),
            lengths[unsorted_indices.cpu()],
        )
    return padded_output, lengths


def pad_sequence(
    sequences,
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    r"""Stack tensors of shapes ``(L_i, *)`` along a new batch dim, padded with
    ``padding_value`` to the longest length.

    Args:
        sequences: the tensors (their trailing dims and dtype must agree).
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``.
        padding_value: the value of the padding (default 0).
        padding_side: ``'right'`` (default) or ``'left'``.

    Example::

        >>> pad_sequence([torch.ones(25, 300), torch.ones(22, 300), torch.ones(15, 300)]).size()
        torch.Size([25, 3, 300])
    """
    if not isinstance(sequences, Iterable):
        raise RuntimeError(
            "pad_sequence: Expected iterable for input sequences, but got arg of type: "
            f"{type(sequences)}"
        )
    sequences = tuple(sequences)
    return _rnn.pad_sequence(sequences, batch_first, padding_value, padding_side)


def unpad_sequence(
    padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False
) -> list[Tensor]:
    r"""Split a padded batch into a list of tensors of the given lengths (the
    inverse of :func:`pad_sequence`). As in torch, a ``(T, B, *)`` input is
    transposed in place."""
    from ... import arange

    unpadded_sequences = []
    if not batch_first:
        _rnn.transpose01_(padded_sequences)
    max_length = padded_sequences.shape[1]
    idx = arange(max_length, device=lengths.device)
    for seq, length in zip(padded_sequences, lengths, strict=True):
        mask = idx < length
        unpadded_sequences.append(seq[mask])
    return unpadded_sequences


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    r"""Pack a list of tensors of shapes ``(L_i, *)``: :func:`pad_sequence` then
    :func:`pack_padded_sequence`.

    Example::

        >>> pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])
        PackedSequence(data=tensor([1, 4, 6, 2, 5, 3]), batch_sizes=tensor([3, 2, 1]), sorted_indices=None, unsorted_indices=None)
    """  # noqa: E501
    from ... import as_tensor

    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    r"""Unpack a :class:`PackedSequence` into a list of tensors (the inverse of
    :func:`pack_sequence`)."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
