"""More shape ops against torch: unflatten, movedim, broadcasting, atleast_nd, repeat and tile,
flips and rolls, splits, stacks, triangles and diagonals, meshgrid, as_strided, unfold, ravel.
Values, shapes, strides of views, memory sharing, gradients, grad_fn names and errors; float64
gradchecks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, next_fns, oracle, rand_array, to_lib

import torchless as tl

A = rand_array((2, 3, 4), "float64", seed=1)
LAYOUTS = ["contig", "T", "step"]


def _info(t):
    # torchless reports contiguous strides for every empty tensor (torch keeps a view's own)
    stride = t.stride() if t.numel() else None
    return tuple(t.shape), stride, t.is_contiguous(), t._base is not None


def _infos(ts):
    return [_info(t) for t in ts]


def _chain(t, depth=6):
    """grad_fn names down the first input edge."""
    out = []
    fn = t.grad_fn
    while fn is not None and depth:
        out.append(fn.name())
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if nxt else None
        depth -= 1
    return out


# --------------------------------------------------------------------------- unflatten & co


@pytest.mark.parametrize(
    "args", [(1, (3, 1)), (-1, (2, 2)), (-1, (2, -1)), (0, (1, 2)), (2, (-1,))], ids=str
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_unflatten(layout, args):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.unflatten(*args)
        return y, lib.unflatten(x, *args), _info(y), next_fns(y)

    oracle(body)


def test_unflatten_errors():
    oracle(lambda lib: to_lib(lib, A).unflatten(1, (2, 2)))
    oracle(lambda lib: to_lib(lib, A).unflatten(1, ()))
    oracle(lambda lib: to_lib(lib, A).unflatten(3, (1, 4)))
    oracle(lambda lib: lib.zeros(0, 4).unflatten(0, (-1, 2)).shape)


@pytest.mark.parametrize(
    "args", [(0, 2), (-1, 0), ((0, 1), (2, 0)), ([2], [0]), ((0, 2), (0, 2)), (1, 1)], ids=str
)
def test_movedim(args):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        y = x.movedim(*args)
        return y, lib.moveaxis(x, *args), x.moveaxis(*args), _info(y), next_fns(y)

    oracle(body)


def test_movedim_errors():
    oracle(lambda lib: to_lib(lib, A).movedim((0, 1), (1,)))
    oracle(lambda lib: to_lib(lib, A).movedim((0, 0), (1, 2)))
    oracle(lambda lib: to_lib(lib, A).movedim((0, 1), (2, 2)))
    oracle(lambda lib: to_lib(lib, A).movedim(3, 0))
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).movedim(0, 0))


@pytest.mark.parametrize("d", [(0, 2), (-1, 1), (1, 1)], ids=str)
def test_swapaxes_swapdims(d):
    def body(lib):
        x = make(lib, A, "step", requires_grad=True)
        y = x.swapaxes(*d)
        return y, x.swapdims(*d), lib.swapaxes(x, *d), lib.swapdims(x, *d), _info(y), next_fns(y)

    oracle(body)


# --------------------------------------------------------------------------- broadcasting


@pytest.mark.parametrize(
    "src,size", [((3, 1), (2, 3, 4)), ((1,), (5,)), ((), (2, 3)), ((3, 1), (3, -1))], ids=str
)
def test_broadcast_to(src, size):
    a = rand_array(src, "float32", 2)

    def body(lib):
        x = to_lib(lib, a, True)
        y = x.broadcast_to(size)
        return y, lib.broadcast_to(x, size), _info(y), next_fns(y)

    oracle(body)
    oracle(lambda lib: to_lib(lib, A).broadcast_to((3, 3, 4)))


def test_broadcast_tensors():
    def body(lib):
        x = to_lib(lib, A, True)
        y = to_lib(lib, A[:1, :1], True)
        z = to_lib(lib, np.array(2.0), True)
        out = lib.broadcast_tensors(x, y, z)
        same = lib.broadcast_tensors(x, x)
        return out, _infos(out), [next_fns(o) for o in out], same[0] is x, same[1] is x

    oracle(body)
    oracle(lambda lib: lib.broadcast_tensors(to_lib(lib, A), lib.ones(3)))
    oracle(lambda lib: lib.broadcast_tensors(lib.ones(3)))
    oracle(lambda lib: lib.broadcast_tensors(lib.ones(2, 1), lib.zeros(0)))


def test_broadcast_shapes():
    oracle(lambda lib: lib.broadcast_shapes((2, 1), (3,), ()))
    oracle(lambda lib: lib.broadcast_shapes((2, 1), (1, 3, 1), 1))
    oracle(lambda lib: lib.broadcast_shapes())
    oracle(lambda lib: lib.broadcast_shapes(lib.Size([4, 1]), [0]))
    oracle(lambda lib: lib.broadcast_shapes((2, 3), (4,)))
    oracle(lambda lib: lib.broadcast_shapes((2, 1), 5, ()))
    oracle(lambda lib: lib.broadcast_shapes((2, -1)))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_atleast(n):
    arrays = [np.array(1.5), np.arange(3.0), np.arange(6.0).reshape(2, 3), A]

    def body(lib):
        fn = getattr(lib, f"atleast_{n}d")
        xs = [to_lib(lib, a, True) for a in arrays]
        single = [fn(x) for x in xs]
        return (
            single,
            _infos(single),
            [_chain(s, 2) for s in single],
            fn(*xs),
            fn(xs),
            fn([xs[0]]),
            single[3] is xs[3],
        )

    oracle(body)


def test_ravel():
    def body(lib):
        outs = []
        for layout in LAYOUTS:
            x = make(lib, A, layout, requires_grad=True)
            y = x.ravel()
            outs += [y, lib.ravel(x), _info(y), _chain(y, 3)]
        s = to_lib(lib, np.array(2.0), True).ravel()
        return outs, s, _info(s)

    oracle(body)


# --------------------------------------------------------------------------- repeat & co


@pytest.mark.parametrize(
    "reps", [(1, 1, 1), (2, 1, 3), (2, 2, 1, 1), (0, 1, 2), (3, 1, 1, 2, 1)], ids=str
)
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_repeat(layout, reps):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.repeat(*reps)
        return y, x.repeat(reps), _info(y), next_fns(y)

    oracle(body)


def test_repeat_edge_cases():
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).repeat(()))
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).repeat(2, 3))
    oracle(lambda lib: to_lib(lib, rand_array((3,), "int64")).repeat(2))
    oracle(lambda lib: to_lib(lib, rand_array((3,), "bool")).repeat(2, 2))
    oracle(lambda lib: to_lib(lib, A).repeat(2, 2))
    oracle(lambda lib: to_lib(lib, A).repeat(2, 2, -1))


@pytest.mark.parametrize("dims", [(2,), (2, 1), (1, 2, 1, 2), (), (2, 2, 2)], ids=str)
def test_tile(dims):
    def body(lib):
        x = to_lib(lib, A, True)
        y = x.tile(dims)
        return y, lib.tile(x, dims), _info(y), next_fns(y)

    oracle(body)


@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_repeat_interleave_int(layout, dim):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.repeat_interleave(2, dim=dim)
        z = lib.repeat_interleave(x, 0, dim)
        return y, z, _info(y), _chain(y, 4), _chain(z, 4)

    oracle(body)


@pytest.mark.parametrize("dim", [None, 1])
def test_repeat_interleave_tensor(dim):
    def body(lib):
        x = to_lib(lib, A, True)
        n = 24 if dim is None else 3
        r = lib.arange(n) % 3
        y = x.repeat_interleave(r, dim=dim)
        z = x.repeat_interleave(lib.tensor([2]), dim=dim)
        w = x.repeat_interleave(lib.tensor(3), dim=dim, output_size=3 * n)
        return y, z, w, next_fns(y), _info(y)

    oracle(body)


def test_repeat_interleave_edge_cases():
    oracle(lambda lib: lib.repeat_interleave(lib.tensor([1, 0, 3])))
    oracle(lambda lib: lib.repeat_interleave(lib.tensor([], dtype=lib.int64)))
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).repeat_interleave(3))
    oracle(lambda lib: to_lib(lib, rand_array((3,), "bool")).repeat_interleave(2))
    oracle(lambda lib: to_lib(lib, A).repeat_interleave(-1, dim=1))
    oracle(lambda lib: to_lib(lib, A).repeat_interleave(lib.tensor([1, 2]), dim=1))
    oracle(lambda lib: to_lib(lib, A).repeat_interleave(lib.tensor([1.0, 2.0, 3.0]), dim=1))
    oracle(lambda lib: to_lib(lib, A).repeat_interleave(lib.tensor([[1, 2, 3]]), dim=1))
    oracle(lambda lib: to_lib(lib, A).repeat_interleave(lib.tensor([1, -2, 3]), dim=1))
    oracle(
        lambda lib: to_lib(lib, A).repeat_interleave(lib.tensor([1, 2, 3]), dim=1, output_size=5)
    )


# --------------------------------------------------------------------------- flip, roll, rot90


@pytest.mark.parametrize("dims", [(0,), (0, 2), (-1,), (), (2, 1, 0)], ids=str)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_flip(layout, dims):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.flip(dims)
        z = x.flip(*dims) if dims else y
        return y, z, lib.flip(x, dims), _info(y), next_fns(y)

    oracle(body)


def test_flip_lr_ud_and_errors():
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        return x.fliplr(), x.flipud(), lib.fliplr(x), lib.flipud(x[0, 0]), next_fns(x.fliplr())

    oracle(body)
    oracle(lambda lib: to_lib(lib, np.array(1.0)).flip(0))
    oracle(lambda lib: to_lib(lib, rand_array((3, 2), "int64")).flip(0))
    oracle(lambda lib: to_lib(lib, A).flip(0, 0))
    oracle(lambda lib: to_lib(lib, A).flip(3))
    oracle(lambda lib: to_lib(lib, A[0, 0]).fliplr())
    oracle(lambda lib: to_lib(lib, np.array(1.0)).flipud())


@pytest.mark.parametrize(
    "args", [(1, 0), (-1, 1), (5,), ((1, 2), (0, 1)), (25,), (2, -1), ((1,), (2,))], ids=str
)
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_roll(layout, args):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.roll(*args)
        return y, lib.roll(x, *args), _info(y), next_fns(y)

    oracle(body)


def test_roll_errors():
    oracle(lambda lib: to_lib(lib, A).roll((1, 2), (0,)))
    oracle(lambda lib: to_lib(lib, A).roll((1, 2)))
    oracle(lambda lib: to_lib(lib, A).roll(()))
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).roll(1))
    oracle(lambda lib: lib.zeros(0, 3).roll(1, 0))


@pytest.mark.parametrize("k", [0, 1, 2, 3, -1, 5])
@pytest.mark.parametrize("dims", [(0, 1), (2, 0), (-1, -2)], ids=str)
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_rot90(layout, dims, k):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.rot90(k, dims)
        return y, lib.rot90(x, k, dims), _info(y), next_fns(y)

    oracle(body)


def test_rot90_errors():
    oracle(lambda lib: to_lib(lib, A).rot90(1, (0,)))
    oracle(lambda lib: to_lib(lib, A).rot90(1, (0, 0)))
    oracle(lambda lib: to_lib(lib, A).rot90(1, (0, -3)))
    oracle(lambda lib: to_lib(lib, A[0, 0]).rot90())
    oracle(lambda lib: to_lib(lib, A).rot90(1, (0, 3)))


# --------------------------------------------------------------------------- split & co


@pytest.mark.parametrize(
    "args", [(2, 1), (1, 0), (3, -1), (5, 2), ([1, 2], 1), ([4], 2), ([0, 2, 0], 0)], ids=str
)
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_split(layout, args):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        parts = x.split(*args)
        return (
            parts,
            lib.split(x, *args),
            _infos(parts),
            [next_fns(p) for p in parts],
            [p.output_nr for p in parts],
        )

    oracle(body)


def test_split_partial_use():
    def body(lib):
        x = to_lib(lib, A, True)
        a, b = x.split([1, 3], 2)
        return b * 2

    oracle(body)


def test_split_errors():
    oracle(lambda lib: to_lib(lib, A).split(0, 1))
    oracle(lambda lib: to_lib(lib, A).split(-1, 1))
    oracle(lambda lib: to_lib(lib, A).split([1, 1], 1))
    oracle(lambda lib: to_lib(lib, A).split([4, -1], 2))
    oracle(lambda lib: to_lib(lib, np.array(1.0)).split(1))
    oracle(lambda lib: [t.shape for t in lib.zeros(0).split(0)])
    oracle(lambda lib: [t.shape for t in lib.zeros(0).split(2)])


@pytest.mark.parametrize("args", [(2, 1), (1, 0), (3, -1), (5, 2), (4, 2)], ids=str)
def test_chunk(args):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        parts = x.chunk(*args)
        return parts, lib.chunk(x, *args), _infos(parts), [next_fns(p) for p in parts]

    oracle(body)


def test_chunk_edge_cases():
    oracle(lambda lib: [t.shape for t in lib.zeros(5).chunk(4)])
    oracle(lambda lib: [_info(t) for t in lib.zeros(0, 2).chunk(3)])
    oracle(lambda lib: [next_fns(t) for t in lib.zeros(0, requires_grad=True).chunk(3)])
    oracle(lambda lib: to_lib(lib, A).chunk(0))
    oracle(lambda lib: to_lib(lib, np.array(1.0)).chunk(1))


@pytest.mark.parametrize("ios", [2, 3, 5, 1, [1, 2], [0, 3], [3, 1], [-1], (2, 10)], ids=str)
@pytest.mark.parametrize("dim", [1, -1])
def test_tensor_split(ios, dim):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        parts = x.tensor_split(ios, dim)
        t = lib.tensor(ios) if not isinstance(ios, tuple) else lib.tensor(list(ios))
        return (
            parts,
            lib.tensor_split(x, ios, dim=dim),
            x.tensor_split(t, dim),
            _infos(parts),
            [next_fns(p) for p in parts],
        )

    oracle(body)


def test_tensor_split_errors():
    oracle(lambda lib: to_lib(lib, A).tensor_split(0, 1))
    oracle(lambda lib: to_lib(lib, np.array(1.0)).tensor_split(1))
    oracle(lambda lib: to_lib(lib, A).tensor_split(lib.tensor([1.0]), 1))
    oracle(lambda lib: to_lib(lib, A).tensor_split(lib.tensor([[1]]), 1))


@pytest.mark.parametrize("fn", ["hsplit", "vsplit", "dsplit"])
@pytest.mark.parametrize("ios", [1, 2, [1], [1, 3]], ids=str)
def test_hvdsplit(fn, ios):
    def body(lib):
        x = to_lib(lib, rand_array((4, 2, 4), "float64", 3), True)
        parts = getattr(x, fn)(ios)
        return parts, getattr(lib, fn)(x, ios), _infos(parts), [next_fns(p) for p in parts]

    oracle(body)


def test_hvdsplit_errors():
    oracle(lambda lib: to_lib(lib, A).hsplit(2))
    oracle(lambda lib: to_lib(lib, np.arange(4.0)).hsplit(2))
    oracle(lambda lib: to_lib(lib, np.array(1.0)).hsplit(1))
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).vsplit(1))
    oracle(lambda lib: to_lib(lib, A[0]).dsplit(1))
    oracle(lambda lib: to_lib(lib, A).vsplit(3))
    oracle(lambda lib: to_lib(lib, A).dsplit(3))
    oracle(lambda lib: to_lib(lib, A).dsplit(0))


# --------------------------------------------------------------------------- stacks

STACK_INPUTS = {
    "0d": [np.array(1.0), np.array(2.0)],
    "1d": [np.arange(3.0), np.arange(3.0, 6.0)],
    "2d": [np.arange(6.0).reshape(2, 3), np.arange(6.0, 12.0).reshape(2, 3)],
    "3d": [A, A * 2],
    "mixed_1d_2d": [np.arange(3.0), np.arange(6.0).reshape(2, 3)],
}


@pytest.mark.parametrize("fn", ["hstack", "vstack", "dstack", "column_stack", "row_stack"])
@pytest.mark.parametrize("key", list(STACK_INPUTS))
def test_stacks(fn, key):
    arrays = STACK_INPUTS[key]

    def body(lib):
        xs = [to_lib(lib, a, True) for a in arrays]
        y = getattr(lib, fn)(xs)
        return y, next_fns(y), [_chain(y, 3)]

    oracle(body)


def test_stack_errors_and_dtypes():
    oracle(lambda lib: lib.hstack([]))
    oracle(lambda lib: lib.vstack([]))
    oracle(lambda lib: lib.dstack([]))
    oracle(lambda lib: lib.column_stack([]))
    oracle(lambda lib: lib.hstack([lib.ones(2, dtype=lib.int64), lib.ones(2)]))
    oracle(lambda lib: lib.vstack((lib.ones(2, dtype=lib.bool), lib.zeros(2, dtype=lib.bool))))


# --------------------------------------------------------------------------- tril / triu

TRI = rand_array((2, 3, 4), "float32", 4)


@pytest.mark.parametrize("k", [0, 1, -1, 5, -5])
@pytest.mark.parametrize("fn", ["tril", "triu"])
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_tril_triu(layout, fn, k):
    def body(lib):
        x = make(lib, TRI, layout, requires_grad=True)
        y = getattr(x, fn)(k)
        h = x * 1.0
        getattr(h, fn + "_")(diagonal=k)
        return y, getattr(lib, fn)(x, diagonal=k), _info(y), next_fns(y), h, next_fns(h)

    oracle(body)


def test_tril_triu_dtypes_and_errors():
    oracle(lambda lib: to_lib(lib, rand_array((3, 3), "int64")).tril())
    oracle(lambda lib: to_lib(lib, rand_array((3, 3), "bool")).triu(1))
    oracle(lambda lib: lib.zeros(0, 3).tril())
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).tril())
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).triu())


# --------------------------------------------------------------------------- diagonals


@pytest.mark.parametrize(
    "args", [(), (1,), (-1,), (2, 1, 2), (-1, 2, 0), (0, -1, -3), (3,), (-2, 0, 2)], ids=str
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_diagonal(layout, args):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.diagonal(*args)
        return y, lib.diagonal(x, *args), _info(y), y.storage_offset(), next_fns(y)

    oracle(body)


def test_diagonal_shares_memory():
    def body(lib):
        x = to_lib(lib, A)
        d = x.diagonal(1, 1, 2)
        d.fill_(-1.0)
        m = lib.zeros(3, 3)
        m.diagonal().add_(2)
        return x, d, m, x._version, d._version

    oracle(body)


def test_diagonal_errors():
    oracle(lambda lib: to_lib(lib, A).diagonal(0, 1, 1))
    oracle(lambda lib: to_lib(lib, A).diagonal(0, 1, -2))
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).diagonal())
    oracle(lambda lib: to_lib(lib, A).diagonal(0, 0, 3))


@pytest.mark.parametrize("args", [(), (1,), (-2,), (0, 0, 2), (1, 2, 0), (0, -1, 1)], ids=str)
def test_diag_embed(args):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        y = x.diag_embed(*args)
        return y, lib.diag_embed(x, *args), _info(y), next_fns(y)

    oracle(body)
    oracle(lambda lib: to_lib(lib, A).diag_embed(0, 1, 1))
    oracle(lambda lib: to_lib(lib, np.array(2.0)).diag_embed())


@pytest.mark.parametrize("k", [0, 1, -2, 4])
def test_diag(k):
    def body(lib):
        v = to_lib(lib, np.arange(1.0, 4.0), True)
        m = make(lib, A[0], "T", requires_grad=True)
        a, b = v.diag(k), m.diag(k)
        return a, b, lib.diag(v, k), _info(a), _info(b), next_fns(a), next_fns(b)

    oracle(body)
    oracle(lambda lib: to_lib(lib, A).diag())
    oracle(lambda lib: to_lib(lib, np.array(1.0)).diag())
    oracle(lambda lib: to_lib(lib, rand_array((3,), "int64")).diag())


@pytest.mark.parametrize("k", [0, 1, -2])
def test_diagflat(k):
    def body(lib):
        outs = []
        for arr in (np.array(2.0), np.arange(3.0), A[0]):
            x = make(lib, arr, "T", requires_grad=True)
            y = x.diagflat(k)
            outs += [y, lib.diagflat(x, k), _chain(y, 3)]
        return outs

    oracle(body)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (0, 3)], ids=str)
def test_trace(shape):
    a = rand_array(shape, "float64", 5)

    def body(lib):
        x = make(lib, a, "T", requires_grad=True)
        y = x.trace()
        return y, lib.trace(x), next_fns(y)

    oracle(body)


def test_trace_dtypes_and_errors():
    oracle(lambda lib: lib.arange(4).view(2, 2).trace())
    oracle(lambda lib: lib.ones(2, 2, dtype=lib.int32).trace())
    oracle(lambda lib: lib.ones(2, 2, dtype=lib.uint8).trace())
    oracle(lambda lib: lib.ones(2, 2, dtype=lib.bool).trace())
    oracle(lambda lib: to_lib(lib, A).trace())
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).trace())


# --------------------------------------------------------------------------- meshgrid


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_meshgrid(indexing, n):
    arrays = [np.arange(3.0), np.array(7.0), np.arange(4.0) * 2][:n]

    def body(lib):
        xs = [to_lib(lib, a, True) for a in arrays]
        grids = lib.meshgrid(*xs, indexing=indexing)
        return (
            grids,
            lib.meshgrid(xs, indexing=indexing),
            _infos(grids),
            [_chain(g, 2) for g in grids],
        )

    oracle(body)


def test_meshgrid_errors():
    v = np.arange(3.0)
    oracle(lambda lib: lib.meshgrid(to_lib(lib, v), to_lib(lib, v), indexing="foo"))
    oracle(lambda lib: lib.meshgrid([], indexing="ij"))
    oracle(lambda lib: lib.meshgrid(to_lib(lib, v), to_lib(lib, v).double(), indexing="ij"))
    oracle(
        lambda lib: lib.meshgrid(to_lib(lib, A), to_lib(lib, v), indexing="ij"),
        match="Expected 0D or 1D tensor in the tensor list",
    )


def test_meshgrid_warns_once_without_indexing():
    from torchless import _tensor

    _tensor._WARNED.pop("meshgrid", None)
    v = tl.arange(3)
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        a, b = tl.meshgrid(v, v)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tl.meshgrid(v, v)
    assert a.shape == (3, 3) and b.stride() == (0, 1)


# --------------------------------------------------------------------------- as_strided


@pytest.mark.parametrize(
    "args",
    [((2, 2), (1, 2)), ((3,), (4,), 1), ((2, 3), (0, 1)), ((4, 2), (2, 1), 3), ((), ())],
    ids=str,
)
def test_as_strided(args):
    def body(lib):
        x = to_lib(lib, A, True)
        h = x * 1.0
        y = h.as_strided(*args)
        z = lib.as_strided(h[1], *args)
        return y, z, _info(y), y.storage_offset(), z.storage_offset(), next_fns(y)

    oracle(body)


def test_as_strided_shares_memory_and_errors():
    def body(lib):
        x = lib.arange(12.0)
        y = x.as_strided((3, 2), (4, 1), 1)
        y[1, 1] = -5.0
        return x, y, x._version

    oracle(body)
    oracle(lambda lib: to_lib(lib, A).as_strided((2,), (-1,)))
    oracle(lambda lib: to_lib(lib, A).as_strided((2, 2), (1,)))
    oracle(lambda lib: to_lib(lib, A).as_strided((30,), (1,)))


def test_as_strided_overlapping_gradient():
    def body(lib):
        x = to_lib(lib, np.arange(6.0), True)
        y = x.as_strided((3, 3), (1, 1))  # windows overlap: gradients add up
        return y

    oracle(body)


# --------------------------------------------------------------------------- unfold


@pytest.mark.parametrize(
    "args",
    [(0, 1, 1), (2, 2, 1), (2, 2, 2), (1, 3, 1), (-1, 4, 3), (2, 0, 1), (1, 2, 5)],
    ids=str,
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_unfold(layout, args):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x.unfold(*args)
        return y, _info(y), y.storage_offset(), next_fns(y)

    oracle(body)


def test_unfold_shares_memory_and_errors():
    def body(lib):
        x = lib.arange(6.0)
        y = x.unfold(0, 2, 2)
        y[1] = 0.0
        return x, y, x._version

    oracle(body)
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).unfold(0, 1, 1))
    oracle(lambda lib: to_lib(lib, np.array(2.0)).unfold(0, 2, 1))
    oracle(lambda lib: to_lib(lib, A).unfold(2, 5, 1))
    oracle(lambda lib: to_lib(lib, A).unfold(2, 2, 0))
    oracle(lambda lib: to_lib(lib, A).unfold(2, -1, 1))
    oracle(lambda lib: to_lib(lib, A).unfold(3, 1, 1))


# --------------------------------------------------------------------------- views share memory


def test_new_views_share_memory_and_version():
    def body(lib):
        x = to_lib(lib, A)
        views = [
            x.unflatten(2, (2, 2)),
            x.movedim(0, 2),
            x.swapaxes(0, 1),
            x[:, :1].broadcast_to(2, 3, 4),
            x.split(1, 1)[1],
            x.chunk(2, 2)[1],
            x.tensor_split(2, 1)[1],
            x.diagonal(),
            x.unfold(2, 2, 1),
            x.ravel(),
        ]
        x.add_(1)
        views[1][0, 0, 1] = 100.0
        return [(v, v._version, v._base is x) for v in views], x

    oracle(body)


# --------------------------------------------------------------------------- gradcheck

SHAPE_GC = {
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "movedim": lambda x: x.movedim((0, 1), (2, 0)),
    "broadcast_to": lambda x: x[:, :1].broadcast_to(2, 2, 3, 4),
    "broadcast_tensors": lambda x: tl.broadcast_tensors(x, x[:1, :, :1])[1],
    "atleast_3d": lambda x: tl.atleast_3d(x[0, 0]),
    "repeat": lambda x: x.repeat(2, 1, 2, 1),
    "tile": lambda x: x[0].tile(2, 2),
    "repeat_interleave": lambda x: x.repeat_interleave(2, dim=1),
    "repeat_interleave_t": lambda x: x.repeat_interleave(tl.tensor([1, 0, 3]), dim=1),
    "flip": lambda x: x.flip(0, 2),
    "roll": lambda x: x.roll((1, -2), (1, 2)),
    "roll_flat": lambda x: x.roll(5),
    "rot90": lambda x: x.rot90(1, (1, 2)),
    "rot90_3": lambda x: x.rot90(3, (0, 2)),
    "split": lambda x: x.split(3, 2),
    "split_sizes": lambda x: x.split([1, 2], 1)[1],
    "chunk": lambda x: x.chunk(2, 1),
    "tensor_split": lambda x: x.tensor_split([1, 3], 2),
    "hstack": lambda x: tl.hstack([x, x * 2]),
    "column_stack": lambda x: tl.column_stack([x[0, 0], x[1, 1]]),
    "dstack": lambda x: tl.dstack([x[0], x[1]]),
    "tril": lambda x: x.tril(1),
    "triu": lambda x: x.triu(-1),
    "diagonal": lambda x: x.diagonal(1, 1, 2),
    "diag_embed": lambda x: x.diag_embed(1),
    "diag_1d": lambda x: x[0, 0].diag(-1),
    "diag_2d": lambda x: x[0].diag(1),
    "diagflat": lambda x: x[0].diagflat(),
    "trace": lambda x: x[1].trace(),
    "meshgrid": lambda x: tl.meshgrid(x[0, 0], x[1, :, 2], indexing="xy"),
    "as_strided": lambda x: x.as_strided((3, 3), (2, 1), 1),
    "unfold": lambda x: x.unfold(2, 2, 1),
    "ravel": lambda x: x.transpose(0, 2).ravel(),
}


@pytest.mark.parametrize("op", list(SHAPE_GC))
def test_gradcheck_shape_more(op):
    x = tl.tensor(A, dtype=tl.float64, requires_grad=True)
    f = SHAPE_GC[op]
    gradcheck(f, [x])
    gradgradcheck(lambda t: f(t * t), [x])


# --------------------------------------------------------------------------- dtypes and empty

SWEEP = {
    "unflatten": lambda lib, x: x.unflatten(-1, (2, -1)),
    "movedim": lambda lib, x: x.movedim(0, -1),
    "broadcast_to": lambda lib, x: x.broadcast_to((2,) + tuple(x.shape)),
    "repeat": lambda lib, x: x.repeat(2, 1, 2),
    "tile": lambda lib, x: x.tile(2),
    "repeat_interleave": lambda lib, x: x.repeat_interleave(2, 1),
    "flip": lambda lib, x: x.flip(0, -1),
    "roll": lambda lib, x: x.roll(1, -1),
    "rot90": lambda lib, x: x.rot90(1, (1, 2)),
    "split": lambda lib, x: x.split(1, 0),
    "chunk": lambda lib, x: x.chunk(2, -1),
    "tensor_split": lambda lib, x: x.tensor_split(3, 1),
    "hstack": lambda lib, x: lib.hstack([x, x]),
    "vstack": lambda lib, x: lib.vstack([x, x]),
    "dstack": lambda lib, x: lib.dstack([x, x]),
    "tril": lambda lib, x: x.tril(),
    "triu": lambda lib, x: x.triu(1),
    "diagonal": lambda lib, x: x.diagonal(0, 1, 2),
    "diag_embed": lambda lib, x: x.diag_embed(),
    "diag": lambda lib, x: x[0].diag(),
    "diagflat": lambda lib, x: x[0].diagflat(),
    "unfold": lambda lib, x: x.unfold(-1, 2, 2),
    "ravel": lambda lib, x: x.transpose(0, 1).ravel(),
    "as_strided": lambda lib, x: x.as_strided((2, 2), (1, 2)),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float16"])
@pytest.mark.parametrize("op", list(SWEEP))
def test_dtype_sweep(op, dtype):
    a = rand_array((2, 3, 4), dtype, seed=21)
    oracle(lambda lib: SWEEP[op](lib, make(lib, a, "T")))


EMPTY_OK = [k for k in SWEEP if k not in ("as_strided",)]


@pytest.mark.parametrize("op", EMPTY_OK)
def test_empty_sweep(op):
    oracle(lambda lib: SWEEP[op](lib, lib.zeros(2, 0, 4, requires_grad=True)))


def test_resize_():
    def body(lib):
        x = lib.arange(6.0)
        v = x[:]
        r = x.resize_(2, 2)
        out = [r is x, x.clone(), x._version, v, x.is_contiguous()]
        x.resize_(3, 3)
        out += [x.shape, x[:2].clone()]
        y = lib.arange(6.0).view(2, 3).t()
        out += [y.resize_(2, 2).clone(), lib.ones(2, 3).resize_as_(lib.zeros(3))]
        return out

    oracle(body)
    oracle(lambda lib: lib.ones(2, requires_grad=True).resize_(3))
    oracle(lambda lib: lib.ones(2).resize_(-1))


def test_out_arguments():
    def body(lib):
        x = to_lib(lib, A[0])
        o1, o2, o3, o4 = (lib.empty(0, dtype=lib.float64) for _ in range(4))
        lib.tril(x, 1, out=o1)
        lib.triu(x, out=o2)
        lib.diag(x, out=o3)
        lib.hstack([x, x], out=o4)
        return o1, o2, o3, o4

    oracle(body)
