"""The loop each DataLoader worker process runs, and what a worker knows about itself."""

from __future__ import annotations

import os
import queue
import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import MP_STATUS_CHECK_INTERVAL, ExceptionWrapper

__all__ = ["WorkerInfo", "get_worker_info"]

_worker_info: WorkerInfo | None = None


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What :func:`get_worker_info` returns inside a worker.

    Attributes:
        id: this worker's id, ``0 .. num_workers - 1``.
        num_workers: how many workers the DataLoader runs.
        seed: the seed of this worker's default generator and of Python's ``random``
            (the loader's base seed plus ``id``).
        dataset: this process's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker process, its :class:`WorkerInfo`; in the main process, None.

    Useful in an :class:`~torchless.utils.data.IterableDataset`'s ``__iter__`` or a
    ``worker_init_fn`` to give each worker its share of the data.
    """
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's answer when its copy of an iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Sent to persistent workers at the start of each new epoch."""

    seed: int | None = None


_MASK32 = 0xFFFFFFFF


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """The four 32-bit words that seed NumPy's legacy global generator in a worker, as torch
    computes them: NumPy's SeedSequence hash (mixing constants and all) of
    ``[worker_id, low32(base_seed), high32(base_seed), 0]``, written out so that no NumPy
    version change can alter it."""
    mult_a, mix_l, mix_r = 0x931E8875, 0xCA01F9DD, 0x4973F715
    hash_const = 0x43B0D7E5

    def hashmix(value: int) -> int:
        nonlocal hash_const
        value = (value ^ hash_const) & _MASK32
        hash_const = (hash_const * mult_a) & _MASK32
        value = (value * hash_const) & _MASK32
        return value ^ (value >> 16)

    def mix(x: int, y: int) -> int:
        r = (mix_l * x - mix_r * y) & _MASK32
        return r ^ (r >> 16)

    pool = [hashmix(v) for v in (worker_id, base_seed & _MASK32, base_seed >> 32, 0)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))

    out_const = 0x8B51F9DD
    state = []
    for value in pool:
        value ^= out_const
        out_const = (out_const * 0x58F38DED) & _MASK32
        value = (value * out_const) & _MASK32
        state.append(value ^ (value >> 16))
    return state


def _worker_loop(
    dataset_kind,
    dataset,
    index_queue,
    data_queue,
    done_event,
    auto_collation,
    collate_fn,
    drop_last,
    base_seed,
    init_fn,
    worker_id,
    num_workers,
    persistent_workers,
) -> None:
    """Seed this process, then answer ``(idx, index)`` requests with ``(idx, batch)`` on
    ``data_queue`` until told to stop (None) or until the main process is gone."""
    import torchless

    from ..dataloader import _DatasetKind

    global _worker_info
    try:
        seed = base_seed + worker_id
        random.seed(seed)
        torchless.manual_seed(seed)
        np.random.seed(_generate_state(base_seed, worker_id))
        _worker_info = WorkerInfo(
            id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset
        )

        init_exception = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = _DatasetKind.create_fetcher(
                dataset_kind, dataset, auto_collation, collate_fn, drop_last
            )
        except Exception:
            init_exception = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")

        # After an iterable dataset ends, this worker ignores requests until the next epoch.
        iteration_end = False
        # when the parent dies, this process is re-parented and getppid changes
        parent_pid = os.getppid()
        while os.getppid() == parent_pid:
            try:
                r = index_queue.get(timeout=MP_STATUS_CHECK_INTERVAL)
            except queue.Empty:
                continue
            if isinstance(r, _ResumeIteration):
                data_queue.put((r, None))
                iteration_end = False
                fetcher = _DatasetKind.create_fetcher(
                    dataset_kind, dataset, auto_collation, collate_fn, drop_last
                )
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_end:
                continue
            idx, index = r
            if init_exception is not None:
                data = init_exception
                init_exception = None
            else:
                try:
                    data = fetcher.fetch(index)
                except Exception as e:
                    if isinstance(e, StopIteration) and dataset_kind == _DatasetKind.Iterable:
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                    else:
                        data = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
            data_queue.put((idx, data))
            del data, idx, index, r
    except KeyboardInterrupt:
        pass
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()
