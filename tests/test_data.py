"""torchless.utils.data against torch.utils.data: datasets, random_split, every sampler, the
DataLoader's batches for each option (values, dtypes, shapes, order, random draws bit for bit),
default_collate and default_convert for every element type, worker processes, and errors."""

from __future__ import annotations

import collections
import random
import warnings

import numpy as np
import pytest
from oracle import oracle

import torchless

torch = pytest.importorskip("torch")

Point = collections.namedtuple("Point", ["x", "y"])


def _same(body, **kw):
    return oracle(body, grads=False, exact=True, **kw)


def _warned(fn):
    """fn's result and the messages of the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [f"{w.category.__name__}: {w.message}" for w in caught]


def _data(lib, n=10, feat=3):
    """A TensorDataset of n float32 rows, int64 labels and a bool flag."""
    x = lib.tensor(np.arange(n * feat, dtype=np.float32).reshape(n, feat))
    y = lib.tensor(np.arange(n) * 7 % 5)
    m = lib.tensor(np.arange(n) % 3 == 0)
    return lib.utils.data.TensorDataset(x, y, m)


def _iterable(lib, n):
    class Stream(lib.utils.data.IterableDataset):
        def __init__(self, start, end):
            self.start, self.end = start, end

        def __iter__(self):
            info = lib.utils.data.get_worker_info()
            lo, hi = self.start, self.end
            if info is not None:  # split the range between the workers
                per = -(-(hi - lo) // info.num_workers)
                lo = lo + info.id * per
                hi = min(lo + per, hi)
            return iter(range(lo, hi))

        def __len__(self):
            return self.end - self.start

    return Stream(0, n)


# --------------------------------------------------------------------------- datasets


def test_tensor_dataset():
    def body(lib):
        ds = _data(lib, 6)
        return len(ds), ds[2], ds[-1], ds[1:4], ds[[0, 5]], ds.tensors[1]

    _same(body)


def test_tensor_dataset_size_mismatch():
    _same(lambda lib: lib.utils.data.TensorDataset(lib.zeros(3, 2), lib.zeros(4)))


def test_concat_dataset():
    def body(lib):
        D = lib.utils.data
        a, b = _data(lib, 4), D.TensorDataset(lib.arange(3.0), lib.arange(3), lib.ones(3) > 0)
        c = D.ConcatDataset([a, b, a])
        s = a + b
        items = [c[i] for i in range(len(c))] + [c[-1], c[-11]]
        return len(c), c.cumulative_sizes, items, type(s).__name__, len(s), s[5]

    _same(body)


@pytest.mark.parametrize(
    "case", ["neg", "empty", "iterable", "chain_bad", "iter_add", "cummulative"]
)
def test_dataset_combination_errors(case):
    def body(lib):
        D = lib.utils.data
        if case == "neg":
            return D.ConcatDataset([_data(lib, 2), _data(lib, 3)])[-6]
        if case == "empty":
            return D.ConcatDataset([])
        if case == "iterable":
            return D.ConcatDataset([_data(lib, 2), _iterable(lib, 3)])
        if case == "chain_bad":
            return list(D.ChainDataset([_iterable(lib, 2), _data(lib, 2)]))
        if case == "iter_add":
            s = _iterable(lib, 2) + _iterable(lib, 3)
            return type(s).__name__, list(s), len(s)
        return _warned(lambda: D.ConcatDataset([_data(lib, 2)]).cummulative_sizes)

    _same(body)


def test_subset_and_stack_dataset():
    def body(lib):
        D = lib.utils.data
        ds = _data(lib, 8)
        sub = D.Subset(ds, [7, 2, 5])
        st = D.StackDataset(ds, D.Subset(ds, list(range(8))))
        sd = D.StackDataset(a=ds, b=ds)
        return (
            len(sub),
            sub[0],
            sub[[0, 2]],
            sub.__getitems__([1, 2]),
            len(st),
            st[3],
            st.__getitems__([0, 1]),
            sd[2],
            sd.__getitems__([4]),
        )

    _same(body)


def test_subset_override_error():
    def body(lib):
        class Sub(lib.utils.data.Subset):
            def __getitem__(self, idx):
                return idx

        return Sub(range(3), [0])

    _same(body)


@pytest.mark.parametrize("case", ["both", "none", "mismatch"])
def test_stack_dataset_errors(case):
    def body(lib):
        D = lib.utils.data
        if case == "both":
            return D.StackDataset(range(2), a=range(2))
        if case == "none":
            return D.StackDataset()
        return D.StackDataset(range(2), range(3))

    _same(body)


# --------------------------------------------------------------------------- random_split


@pytest.mark.parametrize(
    "n, lengths",
    [
        (10, [3, 7]),
        (10, [0.3, 0.7]),
        (11, [0.5, 0.5]),
        (30, [0.3, 0.3, 0.4]),
        (7, [0.2, 0.2, 0.2, 0.2, 0.2]),  # remainder handed out round robin
        (3, [0.1, 0.9]),  # a zero-length part: torch's warning
        (5, [0.1, 1.2]),  # fraction out of range
        (10, [3, 8]),  # sum mismatch
        (0, [0, 0]),
    ],
)
@pytest.mark.parametrize("seeding", ["generator", "global"])
def test_random_split(n, lengths, seeding):
    def body(lib):
        D = lib.utils.data
        lib.manual_seed(5)
        if seeding == "generator":
            g = lib.Generator().manual_seed(123)
            out, warned = _warned(lambda: D.random_split(range(n), lengths, generator=g))
        else:
            out, warned = _warned(lambda: D.random_split(range(n), lengths))
        parts = [(type(s).__name__, list(s.indices), [s[i] for i in range(len(s))]) for s in out]
        return parts, warned, lib.randint(0, 1000, (3,))  # the default generator's state after

    _same(body)


# --------------------------------------------------------------------------- samplers


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"replacement": True},
        {"replacement": True, "num_samples": 70},
        {"num_samples": 25},
        {"num_samples": 4},
    ],
)
@pytest.mark.parametrize("seeding", ["generator", "global"])
def test_random_sampler(kw, seeding):
    def body(lib):
        D = lib.utils.data
        g = lib.Generator().manual_seed(7) if seeding == "generator" else None
        lib.manual_seed(11)
        s = D.RandomSampler(range(10), generator=g, **kw)
        return len(s), list(s), list(s), lib.rand(2)

    _same(body)


def test_samplers():
    def body(lib):
        D = lib.utils.data
        lib.manual_seed(3)
        g = lib.Generator().manual_seed(9)
        w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6, 0.0, 2.0]
        return (
            list(D.SequentialSampler(range(5))),
            len(D.SequentialSampler(range(5))),
            list(D.SubsetRandomSampler([10, 20, 30, 40, 50], generator=g)),
            list(D.SubsetRandomSampler([3, 1, 4, 1, 5])),
            len(D.SubsetRandomSampler([3, 1, 4])),
            list(D.WeightedRandomSampler(w, 20, generator=g)),
            list(D.WeightedRandomSampler(w, 6, replacement=False, generator=g)),
            list(D.WeightedRandomSampler(w, 40)),
            list(D.WeightedRandomSampler(lib.tensor(w), 3, replacement=False)),
            len(D.WeightedRandomSampler(w, 13)),
            lib.rand(2),
        )

    _same(body)


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("n, bs", [(10, 3), (9, 3), (2, 5), (0, 2)])
def test_batch_sampler(n, bs, drop_last):
    def body(lib):
        D = lib.utils.data
        s = D.BatchSampler(D.SequentialSampler(range(n)), bs, drop_last)
        return list(s), len(s), list(D.BatchSampler(range(n), bs, drop_last))

    _same(body)


@pytest.mark.parametrize(
    "make",
    [
        lambda D: D.RandomSampler(range(3), replacement=1),
        lambda D: D.RandomSampler(range(3), num_samples=0),
        lambda D: D.RandomSampler(range(0)),
        lambda D: D.WeightedRandomSampler([1.0, 2.0], 0),
        lambda D: D.WeightedRandomSampler([1.0, 2.0], True),
        lambda D: D.WeightedRandomSampler([1.0, 2.0], 2, replacement=0),
        lambda D: D.WeightedRandomSampler([[1.0, 2.0]], 2),
        lambda D: list(D.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
        lambda D: list(D.WeightedRandomSampler([1.0, -2.0], 3)),
        lambda D: D.BatchSampler(range(3), 0, False),
        lambda D: D.BatchSampler(range(3), True, False),
        lambda D: D.BatchSampler(range(3), 2, 1),
        lambda D: len(D.Sampler()),
        lambda D: iter(D.Sampler()),
    ],
)
def test_sampler_errors(make):
    _same(lambda lib: make(lib.utils.data))


# --------------------------------------------------------------------------- DataLoader


LOADER_OPTIONS = [
    {},
    {"batch_size": 4},
    {"batch_size": 4, "drop_last": True},
    {"batch_size": 3, "shuffle": True},
    {"batch_size": 3, "shuffle": True, "drop_last": True},
    {"batch_size": 3, "shuffle": True, "generator": 17},
    {"batch_size": None},
    {"batch_size": None, "shuffle": True},
    {"batch_size": 2, "sampler": "weighted"},
    {"batch_size": 2, "sampler": "random_replacement"},
    {"batch_size": 2, "sampler": [9, 0, 4, 4, 1]},
    {"batch_sampler": [[3, 1], [0], [9, 8, 7]]},
    {"batch_sampler": "batch"},
    {"batch_size": 3, "collate_fn": "custom"},
    {"batch_size": 3, "shuffle": False, "generator": 17},
]


def _loader(lib, ds, opts):
    D = lib.utils.data
    kw = dict(opts)
    if "generator" in kw:
        kw["generator"] = lib.Generator().manual_seed(kw["generator"])
    if kw.get("sampler") == "weighted":
        kw["sampler"] = D.WeightedRandomSampler(np.linspace(0.1, 1, len(ds)).tolist(), 7)
    elif kw.get("sampler") == "random_replacement":
        kw["sampler"] = D.RandomSampler(ds, replacement=True, num_samples=5)
    if kw.get("batch_sampler") == "batch":
        kw["batch_sampler"] = D.BatchSampler(D.RandomSampler(ds), 4, False)
    if kw.get("collate_fn") == "custom":
        kw["collate_fn"] = lambda batch: [len(batch), [b[1] for b in batch]]
    return D.DataLoader(ds, **kw)


@pytest.mark.parametrize("opts", LOADER_OPTIONS)
def test_dataloader_batches(opts):
    def body(lib):
        lib.manual_seed(2024)
        dl = _loader(lib, _data(lib, 10), opts)
        first = list(dl)
        second = list(dl)  # a new epoch: reshuffled where shuffling
        return len(dl), first, second, lib.rand(3)  # and the same draws from the global RNG

    _same(body)


@pytest.mark.parametrize("batch_size, drop_last", [(None, False), (1, False), (3, False),
                                                   (3, True), (5, True)])  # fmt: skip
def test_dataloader_iterable_dataset(batch_size, drop_last):
    def body(lib):
        dl = lib.utils.data.DataLoader(
            _iterable(lib, 11), batch_size=batch_size, drop_last=drop_last
        )
        return list(dl), len(dl)

    _same(body)


def test_dataloader_iterable_len_warning():
    def body(lib):
        class Liar(lib.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(4))

            def __len__(self):
                return 2

        ds = Liar()
        dl = lib.utils.data.DataLoader(ds, batch_size=None)
        n = len(dl)
        out, warned = _warned(lambda: list(dl))
        return n, out, [w.replace(repr(ds), "<ds>") for w in warned]

    _same(body)


def test_dataloader_iterator_object():
    def body(lib):
        dl = lib.utils.data.DataLoader(_data(lib, 7), batch_size=2)
        it = iter(dl)
        first = next(it)
        return type(it).__name__, len(it), iter(it) is it, first, list(it), dl.batch_size

    _same(body)


def test_dataloader_getitems_and_dict_samples():
    def body(lib):
        class Batched(lib.utils.data.Dataset):
            calls = []

            def __getitem__(self, i):
                raise AssertionError("not called when __getitems__ exists")

            def __getitems__(self, idx):
                self.calls.append(list(idx))
                return [{"i": i, "sq": lib.tensor([i * i]), "name": f"s{i}"} for i in idx]

            def __len__(self):
                return 5

        ds = Batched()
        return list(lib.utils.data.DataLoader(ds, batch_size=2)), ds.calls

    _same(body)


def test_dataloader_pin_memory_warning():
    def body(lib):
        dl = lib.utils.data.DataLoader(_data(lib, 3), batch_size=2, pin_memory=True)
        return _warned(lambda: list(dl))

    _same(body)


@pytest.mark.parametrize(
    "kw",
    [
        {"shuffle": True, "sampler": [0, 1]},
        {"batch_sampler": [[0]], "batch_size": 2},
        {"batch_sampler": [[0]], "shuffle": True},
        {"batch_sampler": [[0]], "sampler": [0]},
        {"batch_sampler": [[0]], "drop_last": True},
        {"batch_size": None, "drop_last": True},
        {"num_workers": -1},
        {"timeout": -1},
        {"prefetch_factor": 2},
        {"num_workers": 1, "prefetch_factor": -1},
        {"persistent_workers": True},
        {"multiprocessing_context": "fork"},
        {"num_workers": 1, "multiprocessing_context": "nope"},
        {"num_workers": 1, "multiprocessing_context": 3},
        {"iterable": True, "shuffle": True},
        {"iterable": True, "sampler": [0]},
        {"iterable": True, "batch_sampler": [[0]]},
    ],
)
def test_dataloader_errors(kw):
    def body(lib):
        kw2 = dict(kw)
        ds = _iterable(lib, 3) if kw2.pop("iterable", False) else _data(lib, 3)
        return lib.utils.data.DataLoader(ds, **kw2)

    _same(body)


def test_dataloader_setattr_after_init():
    def body(lib):
        dl = lib.utils.data.DataLoader(_data(lib, 3))
        dl.num_workers = 0  # allowed
        dl.batch_size = 2

    _same(body)


def test_dataloader_worker_number_warning():
    import os

    n = len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else 512

    def body(lib):
        return _warned(lambda: lib.utils.data.DataLoader(range(3), num_workers=n).num_workers)

    _same(body)


# --------------------------------------------------------------------------- collate


def _batches(lib):
    """One batch per element type default_collate knows."""
    return {
        "tensor": [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        "int_tensor0d": [lib.tensor(3, dtype=lib.int16), lib.tensor(4, dtype=lib.int16)],
        "ndarray": [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
        "ndarray_f64": [np.ones((2, 2)), np.zeros((2, 2))],
        "np_f64": [np.float64(1.5), np.float64(2.5)],
        "np_f32": [np.float32(1.5), np.float32(2.5)],
        "np_i16": [np.int16(1), np.int16(2)],
        "np_u8": [np.uint8(1), np.uint8(200)],
        "np_bool": [np.bool_(True), np.bool_(False)],
        "np_mixed": [np.int32(1), np.float32(2.5)],
        "float": [1.5, 2.25, -3.0],
        "int": [1, 2, 3],
        "bool": [True, False],
        "str": ["a", "bc"],
        "bytes": [b"a", b"bc"],
        "dict": [{"a": 1, "b": 2.0}, {"a": 3, "b": 4.0}],
        "ordered": [collections.OrderedDict(z=1, a="q"), collections.OrderedDict(z=2, a="r")],
        "tuple": [(1, "x", 2.0), (3, "y", 4.0)],
        "namedtuple": [Point(1, np.float32(2)), Point(3, np.float32(4))],
        "list": [[1, 2], [3, 4]],
        "nested": [
            {"p": [Point(lib.tensor([1]), (0.5, "s"))], "n": np.array([1.0])},
            {"p": [Point(lib.tensor([2]), (1.5, "t"))], "n": np.array([2.0])},
        ],
    }


@pytest.mark.parametrize("kind", list(_batches(torchless)))
def test_default_collate(kind):
    _same(lambda lib: lib.utils.data.default_collate(_batches(lib)[kind]))


@pytest.mark.parametrize("kind", list(_batches(torchless)))
def test_default_convert(kind):
    _same(lambda lib: lib.utils.data.default_convert(_batches(lib)[kind]))


@pytest.mark.parametrize(
    "batch",
    [
        [[1, 2], [3]],
        [object(), object()],
        [np.array(["a"]), np.array(["b"])],
        [None],
    ],
)
def test_default_collate_errors(batch):
    _same(lambda lib: lib.utils.data.default_collate(batch))


def test_default_convert_leaves_others():
    def body(lib):
        c = lib.utils.data.default_convert
        return c(np.array(["a", "b"])).tolist(), c("s"), c(3), c(2.5), c(None), c((np.int8(1),))

    _same(body)


def test_collate_fn_map_extension():
    def body(lib):
        from_collate = lib.utils.data._utils.collate

        def collate_str(batch, *, collate_fn_map):
            return "|".join(batch)

        fmap = {str: collate_str, **from_collate.default_collate_fn_map}
        return from_collate.collate([("a", 1), ("b", 2)], collate_fn_map=fmap)

    _same(body)


# --------------------------------------------------------------------------- workers


def _worker_ds(lib):
    class WorkerDS(lib.utils.data.Dataset):
        """Each sample records which worker made it and draws from every RNG there."""

        def __len__(self):
            return 9

        def __getitem__(self, i):
            info = lib.utils.data.get_worker_info()
            wid = -1 if info is None else info.id
            seed = -1 if info is None else info.seed
            return {
                "i": i,
                "x": lib.tensor([float(i), i / 2]),
                "worker": wid,
                "seed": seed,
                "torch_rand": lib.rand(2),
                "py_random": random.random(),
                "np_random": np.random.rand(),
            }

    return WorkerDS()


def _seeds_of(init_calls_queue, n):
    return sorted(init_calls_queue.get(timeout=10) for _ in range(n))


@pytest.mark.parametrize("seeding", ["global", "generator"])
def test_workers_match_torch(seeding):
    import multiprocessing

    def body(lib):
        calls = multiprocessing.get_context().Queue()

        def init(worker_id):
            info = lib.utils.data.get_worker_info()
            calls.put((worker_id, info.id, info.num_workers, info.seed, type(info).__name__))

        lib.manual_seed(99)
        g = lib.Generator().manual_seed(4) if seeding == "generator" else None
        dl = lib.utils.data.DataLoader(
            _worker_ds(lib), batch_size=2, shuffle=True, num_workers=2,
            worker_init_fn=init, generator=g,
        )  # fmt: skip
        epoch1 = list(dl)
        epoch2 = list(dl)
        inits = _seeds_of(calls, 4)
        return epoch1, epoch2, inits, lib.utils.data.get_worker_info(), lib.rand(2)

    out = _same(body)
    assert [b["worker"].tolist() for b in out[0]] == [[0, 0], [1, 1], [0, 0], [1, 1], [0]]


def test_workers_same_batches_as_main_process():
    def batches(num_workers, **kw):
        torchless.manual_seed(5)
        dl = torchless.utils.data.DataLoader(
            _data(torchless, 11), batch_size=3, shuffle=True, num_workers=num_workers, **kw
        )
        return [[t.tolist() for t in b] for b in dl]

    ref = batches(0)
    assert batches(2) == ref
    assert batches(2, prefetch_factor=1, persistent_workers=True, pin_memory=False) == ref


def test_workers_iterable_dataset_and_persistent():
    def body(lib):
        dl = lib.utils.data.DataLoader(
            _iterable(lib, 7), batch_size=2, num_workers=2, persistent_workers=True
        )
        return (
            list(dl),
            list(dl),
            list(lib.utils.data.DataLoader(_iterable(lib, 5), num_workers=2)),
        )

    _same(body)


def test_worker_exception_is_reraised():
    def body(lib):
        class Bad(lib.utils.data.Dataset):
            def __len__(self):
                return 4

            def __getitem__(self, i):
                if i == 2:
                    raise KeyError("boom")
                return i

        it = iter(lib.utils.data.DataLoader(Bad(), batch_size=None, num_workers=2))
        got = []
        try:
            for x in it:
                got.append(x)
        except KeyError as e:
            msg = str(e)
            return got, msg.splitlines()[0], msg.splitlines()[1], msg.strip().splitlines()[-1]
        finally:
            # The traceback keeps the iterator alive in a cycle; torch's iterator, shut down
            # from the garbage collector, would wait out its workers' 5 s timeouts.
            it._shutdown_workers()

    _same(body)


def test_generate_state_matches_torch():
    from torch.utils.data._utils.worker import _generate_state as torch_state

    from torchless.utils.data._utils.worker import _generate_state

    for base_seed in [0, 1, 2**32 - 1, 2**32, 2**63 - 1, 900450186894289455]:
        for worker_id in [0, 1, 7]:
            assert _generate_state(base_seed, worker_id) == torch_state(base_seed, worker_id)
