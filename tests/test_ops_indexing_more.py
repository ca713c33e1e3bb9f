"""More indexing ops against torch: index_select, gather, scatter (and _add, _reduce),
index_add/copy/fill/put, masked_fill/select/scatter, take, put, take_along_dim, argwhere,
nonzero; values, dtypes, gradients, grad_fn names, in-place variants and errors; float64
gradchecks. Also in-place ops on views of tensors that require grad (torch's CopySlices)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, next_fns, oracle, rand_array, to_lib

import torchless as tl

A = rand_array((2, 3, 4), "float64", seed=1)
IDX_GATHER = np.array([[[0, 2, 1, 1], [2, 2, 0, 1]], [[1, 0, 0, 2], [0, 1, 2, 2]]])  # (2, 2, 4)


def _long(lib, a):
    return lib.tensor(np.asarray(a, dtype=np.int64))


# --------------------------------------------------------------------------- index_select


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_index_select(layout, dim):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        n = x.shape[dim]
        idx = _long(lib, [n - 1, 0, n - 1])
        y = x.index_select(dim, idx)
        z = lib.index_select(x, dim, idx.int())
        w = x.index_select(dim, _long(lib, 0))
        e = x.index_select(dim, _long(lib, []))
        return y, z, w, e, next_fns(y), y.is_contiguous()

    oracle(body)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32"])
def test_index_select_dtypes(dtype):
    a = rand_array((3, 4), dtype, 2)
    oracle(lambda lib: to_lib(lib, a).index_select(1, _long(lib, [3, 3, 0])))


def test_index_select_errors():
    oracle(lambda lib: to_lib(lib, A).index_select(1, lib.tensor([0.0])))
    oracle(lambda lib: to_lib(lib, A).index_select(1, _long(lib, [[0]])))
    oracle(lambda lib: to_lib(lib, A).index_select(1, _long(lib, [3])))
    oracle(lambda lib: to_lib(lib, A).index_select(1, _long(lib, [-1])))
    oracle(lambda lib: to_lib(lib, A).index_select(3, _long(lib, [0])))
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).index_select(0, _long(lib, [0])))
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).index_select(0, _long(lib, 0)))
    oracle(lambda lib: to_lib(lib, np.array(2.0)).index_select(0, _long(lib, [0, 0])))


# --------------------------------------------------------------------------- gather


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("layout", ["contig", "T", "step"])
def test_gather(layout, dim):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        n = x.shape[dim]
        idx = _long(lib, IDX_GATHER % n)
        y = x.gather(dim, idx)
        z = lib.gather(x, dim, idx.int())
        return y, z, next_fns(y), y.is_contiguous()

    oracle(body)


def test_gather_edge_cases():
    def body(lib):
        s = to_lib(lib, np.array(2.0), True)
        x = to_lib(lib, A, True)
        return (
            s.gather(0, _long(lib, 0)),
            s.gather(0, _long(lib, [0, 0])),
            x.gather(1, lib.zeros(2, 5, 4, dtype=lib.int64)),
            x.gather(1, lib.zeros(0, 1, 1, dtype=lib.int64)),
            to_lib(lib, rand_array((3, 3), "int64")).gather(1, _long(lib, [[2], [1], [0]])),
        )

    oracle(body)


def test_gather_errors():
    oracle(lambda lib: to_lib(lib, A).gather(1, lib.zeros(1, 1, 1)))
    oracle(lambda lib: to_lib(lib, A).gather(1, _long(lib, [[0]])))
    oracle(lambda lib: to_lib(lib, A).gather(1, lib.zeros(3, 3, 4, dtype=lib.int64)))
    oracle(lambda lib: to_lib(lib, A).gather(1, lib.full((2, 3, 4), 3)))
    oracle(lambda lib: to_lib(lib, A).gather(1, lib.full((2, 3, 4), -1)))
    oracle(lambda lib: to_lib(lib, np.array(2.0)).gather(0, _long(lib, [[0]])))


# --------------------------------------------------------------------------- scatter

SC_IDX = np.array([[[0, 2, 1, 0], [2, 1, 0, 1]], [[1, 0, 2, 2], [0, 2, 1, 0]]])  # unique per col


@pytest.mark.parametrize("layout", ["contig", "T"])
def test_scatter_src(layout):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        src = to_lib(lib, rand_array((2, 2, 4), "float64", 3), True)
        idx = _long(lib, SC_IDX)
        big = x.detach().scatter(1, idx, to_lib(lib, rand_array((3, 2, 5), "float64", 3)))
        y = x.scatter(1, idx, src)
        z = lib.scatter(x, 1, idx, src=src)
        h = x * 1.0
        h.scatter_(1, idx, src)
        return y, z, h, big, next_fns(y), next_fns(h), y.is_contiguous()

    oracle(body)


def test_scatter_src_larger_than_index_gradient():
    # torch's backward refuses (its gradient has the index's shape); torchless pads it
    x = tl.tensor(A, requires_grad=True)
    src = tl.tensor(rand_array((2, 2, 5), "float64", 3), requires_grad=True)
    idx = tl.tensor(SC_IDX)
    gradcheck(lambda x, s: x.scatter(1, idx, s), [x, src])
    gradcheck(lambda x, s: x.scatter_add(1, idx, s), [x, src])
    gradcheck(lambda x, s: x.scatter_reduce(1, idx, s, "amax"), [x, src])


def test_scatter_value():
    def body(lib):
        x = to_lib(lib, A, True)
        idx = _long(lib, SC_IDX)
        y = x.scatter(1, idx, 2.5)
        z = lib.scatter(x, 1, idx, value=-1.0)
        i = lib.zeros(3, 4, dtype=lib.int64).scatter(0, _long(lib, [[2, 1, 0, 2]]), 1.7)
        b = lib.zeros(3, dtype=lib.bool).scatter(0, _long(lib, [1]), True)
        h = x * 1.0
        h.scatter_(2, _long(lib, [[[3]]]), 0.5)
        return y, z, i, b, h, next_fns(y), next_fns(h)

    oracle(body)


def test_scatter_reduce_arg():
    def body(lib):
        x = to_lib(lib, A)
        idx = _long(lib, np.zeros((2, 3, 4), np.int64))
        a = x.scatter(1, idx, x, reduce="add")
        m = x.scatter(1, idx, x, reduce="multiply")
        v = x.scatter(1, idx, 2.0, reduce="multiply")
        xi = to_lib(lib, A, True)
        g = xi.scatter(1, idx, 2.0, reduce="add")
        return a, m, v, next_fns(g)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns once per process
        oracle(body)
        oracle(lambda lib: to_lib(lib, A, True).scatter(1, _long(lib, [[[0]]]), 2.0, reduce="add"))
        oracle(lambda lib: to_lib(lib, A).scatter(1, _long(lib, [[[0]]]), 2.0, reduce="mean"))


def test_scatter_reduce_arg_warns_once():
    from torchless import _tensor

    _tensor._WARNED.pop("scatter_reduce", None)
    x = tl.zeros(3)
    with pytest.warns(UserWarning, match="The reduce argument of torch.scatter with Tensor src"):
        x.scatter(0, tl.tensor([0]), tl.ones(1), reduce="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x.scatter(0, tl.tensor([0]), tl.ones(1), reduce="add")
        x.scatter(0, tl.tensor([0]), 1.0, reduce="add")


def test_scatter_errors():
    z = np.zeros((2, 3, 4), np.int64)
    oracle(lambda lib: to_lib(lib, A).scatter(1, _long(lib, z), to_lib(lib, A).float()))
    oracle(lambda lib: to_lib(lib, A).scatter(1, lib.zeros(2, 5, 4, dtype=lib.int64), 1.0))
    oracle(
        lambda lib: to_lib(lib, A).scatter(1, lib.zeros(2, 3, 5, dtype=lib.int64), to_lib(lib, A))
    )
    oracle(lambda lib: to_lib(lib, A).scatter(1, lib.full((2, 3, 4), 3), 1.0))
    oracle(lambda lib: to_lib(lib, A).scatter(1, lib.full((2, 3, 4), -1), to_lib(lib, A)))
    oracle(lambda lib: to_lib(lib, A).scatter(1, lib.zeros(2, 3, 4), to_lib(lib, A)))
    oracle(lambda lib: to_lib(lib, A).scatter(1, lib.zeros(2, 3, dtype=lib.int64), 1.0))
    oracle(lambda lib: to_lib(lib, A).scatter(1, _long(lib, z), to_lib(lib, A[0])))


@pytest.mark.parametrize("layout", ["contig", "T"])
def test_scatter_add(layout):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        src = to_lib(lib, rand_array((2, 2, 3), "float64", 4), True)
        idx = _long(lib, np.zeros((2, 2, 3), np.int64))
        y = x.scatter_add(2, idx, src)
        h = x * 1.0
        h.scatter_add_(0, _long(lib, [[[1, 1]]]), src[:1, :1, :2])
        i = lib.zeros(3, dtype=lib.int64).scatter_add(
            0, _long(lib, [0, 0, 2]), _long(lib, [1, 2, 3])
        )
        return y, lib.scatter_add(x, 2, idx, src), h, i, next_fns(y), next_fns(h)

    oracle(body)
    oracle(lambda lib: lib.zeros(3).scatter_add(0, _long(lib, [0]), lib.ones(1).double()))


SR_INPUTS = {
    "plain": (rand_array((3, 4), "float64", 5), rand_array((3, 5), "float64", 6)),
    "ties": (
        np.array([[1.0, 2.0, 2.0], [3.0, 3.0, 0.0]]),
        np.array([[2.0, 2.0, 1.0], [3.0, 0.0, 3.0]]),
    ),
    "zeros": (
        np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]),
        np.array([[0.0, 2.0, 1.0], [3.0, 0.0, 0.5]]),
    ),
}
SR_IDX = np.array([[0, 0, 2, 1, 0], [1, 1, 1, 2, 0], [3, 2, 3, 3, 1]])


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("key", list(SR_INPUTS))
def test_scatter_reduce(key, reduce, include_self):
    xa, sa = SR_INPUTS[key]
    idx = SR_IDX[: sa.shape[0], : sa.shape[1]] % xa.shape[1]

    def body(lib):
        x = to_lib(lib, xa, True)
        src = to_lib(lib, sa, True)
        y = x.scatter_reduce(1, _long(lib, idx), src, reduce, include_self=include_self)
        z = lib.scatter_reduce(
            x, 1, _long(lib, idx), src, reduce=reduce, include_self=include_self
        )
        return y, z, next_fns(y)

    oracle(body)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_scatter_reduce_dtypes_and_inplace(dtype, reduce):
    def body(lib):
        x = to_lib(lib, np.array([-7, 3, 5, 2]), dtype=dtype)
        src = to_lib(lib, np.array([1, 2, -4, 9, 6]), dtype=dtype)
        idx = _long(lib, [0, 0, 1, 0, 3])
        a = x.scatter_reduce(0, idx, src, reduce)
        b = x.scatter_reduce(0, idx, src, reduce, include_self=False)
        x.scatter_reduce_(0, idx, src, reduce)
        return a, b, x

    oracle(body)


def test_scatter_reduce_errors_and_nan():
    oracle(
        lambda lib: lib.tensor([1.0, 2.0]).scatter_reduce(
            0, _long(lib, [0, 0]), lib.tensor([float("nan"), 2.0]), "amax"
        )
    )
    oracle(lambda lib: lib.zeros(3).scatter_reduce(0, _long(lib, [0]), lib.ones(1), "foo"))
    oracle(
        lambda lib: lib.zeros(3).scatter_reduce(0, _long(lib, [0]), lib.ones(1).double(), "sum")
    )


# --------------------------------------------------------------------------- index_add/copy/fill


@pytest.mark.parametrize("alpha", [1, 2.5])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_index_add(dim, alpha):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        shape = list(x.shape)
        shape[dim] = 4
        src = to_lib(lib, rand_array(shape, "float64", 7), True)
        n = x.shape[dim]
        idx = _long(lib, [0, n - 1, 0, 1])
        y = x.index_add(dim, idx, src, alpha=alpha)
        z = lib.index_add(x, dim, idx.int(), src, alpha=alpha)
        h = x * 1.0
        h.index_add_(dim, idx, src, alpha=alpha)
        return y, z, h, next_fns(y), next_fns(h)

    oracle(body)


def test_index_add_edge_cases_and_errors():
    oracle(
        lambda lib: lib.zeros(3, dtype=lib.int64).index_add(
            0, _long(lib, [0, 0]), lib.ones(2, dtype=lib.int64), alpha=2
        )
    )
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).index_add(0, _long(lib, [0]), lib.ones(1)))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, _long(lib, [0, 0]), lib.ones(2, 3)))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, _long(lib, [0, 0]), lib.ones(3, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, _long(lib, [0, 0]), lib.ones(2, 2).double()))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, _long(lib, [0, 5]), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, _long(lib, [-1, 0]), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_add(0, lib.tensor([0.0, 1.0]), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3).index_add(0, _long(lib, [[0]]), lib.ones(1)))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_index_copy(dim):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        shape = list(x.shape)
        shape[dim] = 2
        src = to_lib(lib, rand_array(shape, "float64", 8), True)
        n = x.shape[dim]
        idx = _long(lib, [n - 1, 0])
        y = x.index_copy(dim, idx, src)
        h = x * 1.0
        h.index_copy_(dim, idx, src)
        return y, lib.index_copy(x, dim, idx, src), h, next_fns(y), next_fns(h)

    oracle(body)


def test_index_copy_errors():
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [0, 5]), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [-1, 0]), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [0, 0]), lib.ones(3, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [0, 1]), lib.ones(2, 2).double()))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [0, 1]).int(), lib.ones(2, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [[0]]), lib.ones(1, 2)))
    oracle(lambda lib: lib.zeros(3, 2).index_copy(0, _long(lib, [0]), lib.ones(1, 3)))


@pytest.mark.parametrize("value", ["scalar", "tensor", "int"])
@pytest.mark.parametrize("dim", [0, 2, -2])
def test_index_fill(dim, value):
    def body(lib):
        x = make(lib, A, "step", requires_grad=True)
        if value == "scalar":
            v = -1.5
        elif value == "int":
            v = 3
        else:
            v = to_lib(lib, np.array(4.0), True)
        # a negative index fails in torch's backward for a tensor value
        idx = _long(lib, [1, -1] if value != "tensor" else [1, 0])
        y = x.index_fill(dim, idx, v)
        h = x * 1.0
        h.index_fill_(dim, idx, v)
        return y, lib.index_fill(x, dim, idx, v), h, next_fns(y), next_fns(h)

    oracle(body)


def test_index_fill_dtypes_and_errors():
    oracle(lambda lib: lib.zeros(3, 2, dtype=lib.int64).index_fill(0, _long(lib, [0]), 1.5))
    oracle(lambda lib: lib.zeros(3, 2, dtype=lib.bool).index_fill(0, _long(lib, [0]), 2))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, _long(lib, 1), 2.0))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, _long(lib, [0, 1]), lib.ones(2)))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, _long(lib, [0, 5]), 1.0))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, lib.tensor([0.0]), 1.0))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, _long(lib, [0]).int(), 1.0))
    oracle(lambda lib: lib.zeros(3, 2).index_fill(0, _long(lib, [[0]]), 1.0))


# --------------------------------------------------------------------------- index_put


INDEX_PUT_KEYS = {
    "one": lambda lib: (_long(lib, [0, 1]),),
    "two": lambda lib: (_long(lib, [0, 1, 1]), _long(lib, [2, 0, 2])),
    "repeat": lambda lib: (_long(lib, [1, 1, 0]),),
    "mask": lambda lib: (to_lib(lib, A[:, :, 0] > 0),),
    "broadcast": lambda lib: (_long(lib, [[0], [1]]), _long(lib, [0, 2])),
}


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("key", list(INDEX_PUT_KEYS))
def test_index_put(key, accumulate):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        ind = INDEX_PUT_KEYS[key](lib)
        shape = tuple(x[ind].shape)
        if key == "repeat" and not accumulate:
            v = to_lib(lib, np.ones(shape[-1:]), True)  # which write wins is unspecified
        else:
            v = to_lib(lib, rand_array(shape[-1:], "float64", 9), True)
        y = x.index_put(ind, v, accumulate=accumulate)
        z = lib.index_put(x, list(ind), v, accumulate)
        h = x * 1.0
        h.index_put_(ind, v, accumulate=accumulate)
        s = x.index_put(ind, lib.tensor(2.0, dtype=lib.float64), accumulate)
        return y, z, h, s, next_fns(y), next_fns(h)

    oracle(body)


def test_index_put_errors():
    oracle(lambda lib: lib.zeros(3, 2).index_put((_long(lib, [0]),), lib.tensor(1.0).double()))
    oracle(lambda lib: lib.zeros(3, 2).index_put((_long(lib, [0]),) * 3, lib.tensor(1.0)))
    oracle(lambda lib: lib.zeros(3, 2).index_put_((_long(lib, [0]),), lib.ones(5)))
    oracle(lambda lib: lib.zeros(3, 2).index_put_((_long(lib, [5]),), lib.ones(2)))
    oracle(lambda lib: lib.index_put_(lib.zeros(3, 2), (_long(lib, [1]),), lib.ones(2)))


# --------------------------------------------------------------------------- masks

MASK = A > 0


@pytest.mark.parametrize("value", ["scalar", "tensor", "tensor64", "int"])
@pytest.mark.parametrize("mshape", ["same", "bcast", "bigger"])
def test_masked_fill(mshape, value):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True).float()
        if mshape == "same":
            m = to_lib(lib, MASK)
        elif mshape == "bcast":
            m = to_lib(lib, MASK[0, :, :1])
        else:
            m = to_lib(lib, np.stack([MASK, ~MASK]))
        if value == "scalar":
            v = -2.5
        elif value == "int":
            v = 7
        else:
            v = to_lib(
                lib, np.array(3.0, dtype=np.float32 if value == "tensor" else np.float64), True
            )
        y = x.masked_fill(m, v)
        out = [y, lib.masked_fill(x, m, v), next_fns(y), y.is_contiguous()]
        if mshape != "bigger":
            h = x * 1.0
            h.masked_fill_(m, v)
            out += [h, next_fns(h)]
        return out

    oracle(body)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float16"])
def test_masked_fill_dtypes(dtype):
    a = rand_array((3, 4), dtype, 10)
    m = rand_array((3, 4), "bool", 11)

    def body(lib):
        x = to_lib(lib, a)
        return x.masked_fill(to_lib(lib, m), 1.7), x.masked_fill(to_lib(lib, m), lib.tensor(-1.0))

    oracle(body)


def test_masked_fill_errors():
    oracle(lambda lib: to_lib(lib, A).masked_fill(lib.ones(2, 3, 4, dtype=lib.int64), 1.0))
    oracle(lambda lib: to_lib(lib, A).masked_fill(lib.ones(2, 3, 4, dtype=lib.uint8), 1.0))
    oracle(lambda lib: to_lib(lib, A).masked_fill(to_lib(lib, MASK), lib.ones(1)))
    oracle(lambda lib: to_lib(lib, A).masked_fill(lib.ones(3, 3, 4, dtype=lib.bool), 1.0))
    oracle(lambda lib: to_lib(lib, A[0, 0]).masked_fill_(to_lib(lib, MASK[0]), 1.0))


@pytest.mark.parametrize("mshape", ["same", "bcast", "bigger"])
@pytest.mark.parametrize("layout", ["contig", "T"])
def test_masked_select(layout, mshape):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        m = {
            "same": MASK,
            "bcast": MASK[0, :, :1],
            "bigger": np.stack([MASK, ~MASK]),
        }[mshape]
        y = x.masked_select(to_lib(lib, m))
        return y, lib.masked_select(x, to_lib(lib, m)), next_fns(y)

    oracle(body)
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).masked_select(lib.tensor(True)))
    oracle(lambda lib: to_lib(lib, A).masked_select(lib.ones(2, 3, 4, dtype=lib.int64)))
    oracle(lambda lib: to_lib(lib, A).masked_select(lib.ones(3, 4, 4, dtype=lib.bool)))


@pytest.mark.parametrize("mshape", ["same", "bcast", "bigger"])
def test_masked_scatter(mshape):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        m = {
            "same": MASK,
            "bcast": MASK[0, :, :1],
            "bigger": np.stack([MASK, ~MASK]),
        }[mshape]
        src = to_lib(lib, rand_array((7, 8), "float64", 12), True)
        y = x.masked_scatter(to_lib(lib, m), src)
        out = [y, lib.masked_scatter(x, to_lib(lib, m), src), next_fns(y)]
        if mshape != "bigger":
            h = x * 1.0
            h.masked_scatter_(to_lib(lib, m), src)
            out += [h, next_fns(h)]
        return out

    oracle(body)


def test_masked_scatter_errors():
    m = np.ones((2, 3, 4), bool)
    oracle(lambda lib: to_lib(lib, A).masked_scatter(to_lib(lib, m), lib.ones(3).double()))
    oracle(lambda lib: to_lib(lib, A).masked_scatter(to_lib(lib, MASK), lib.ones(24)))
    oracle(lambda lib: to_lib(lib, A).masked_scatter(to_lib(lib, m).long(), lib.ones(24).double()))


# --------------------------------------------------------------------------- take / put


@pytest.mark.parametrize("layout", ["contig", "T", "step"])
def test_take(layout):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        idx = _long(lib, [[0, 23, -1], [5, 5, 7]])
        y = x.take(idx)
        return y, lib.take(x, idx), x.take(_long(lib, 3)), next_fns(y)

    oracle(body)
    oracle(lambda lib: to_lib(lib, np.array(2.0), True).take(_long(lib, 0)))
    oracle(lambda lib: to_lib(lib, A).take(_long(lib, [24])))
    oracle(lambda lib: to_lib(lib, A).take(_long(lib, [-25])))
    oracle(lambda lib: to_lib(lib, A).take(lib.tensor([1.0])))
    oracle(lambda lib: to_lib(lib, A).take(_long(lib, [1]).int()))


@pytest.mark.parametrize("accumulate", [False, True])
def test_put(accumulate):
    def body(lib):
        x = make(lib, A, "T", requires_grad=True)
        src = to_lib(lib, rand_array((2, 2), "float64", 13), True)
        idx = _long(lib, [0, 23, -1, 5])
        if not accumulate:
            idx = _long(lib, [0, 22, -1, 5])
        y = x.put(idx, src, accumulate)
        h = x * 1.0
        h.put_(idx, src, accumulate=accumulate)
        return y, h, next_fns(y), next_fns(h)

    oracle(body)


def test_put_errors():
    oracle(lambda lib: lib.zeros(3).put_(_long(lib, [0, 0]), lib.ones(3)))
    oracle(lambda lib: lib.zeros(3).put_(_long(lib, [0, 0]), lib.ones(2).double()))
    oracle(lambda lib: lib.zeros(3).put_(_long(lib, [0]).int(), lib.ones(1)))
    oracle(lambda lib: lib.zeros(3).put_(_long(lib, [5]), lib.ones(1)))
    oracle(lambda lib: lib.zeros(3).put_(_long(lib, [-1]), lib.ones(1)))


@pytest.mark.parametrize("dim", [None, 0, 1, -1])
def test_take_along_dim(dim):
    def body(lib):
        x = to_lib(lib, A, True)
        if dim is None:
            idx = _long(lib, [[3, 0], [23, 7]])
        else:
            shape = [1, 1, 1]
            shape[dim] = 2
            idx = _long(lib, np.arange(2).reshape(shape))
        y = x.take_along_dim(idx, dim)
        return y, lib.take_along_dim(x, idx, dim=dim), _chain2(y)

    oracle(body)


def _chain2(t):
    fn = t.grad_fn
    return [fn.name(), [None if f is None else f.name() for f, _ in fn.next_functions]]


def test_take_along_dim_errors():
    oracle(lambda lib: to_lib(lib, A).take_along_dim(lib.tensor([1.0])))
    oracle(lambda lib: to_lib(lib, A).take_along_dim(lib.zeros(1, 1, 1), 1))
    oracle(lambda lib: to_lib(lib, A).take_along_dim(lib.zeros(1, 1, 1, dtype=lib.int32), 1))
    oracle(lambda lib: to_lib(lib, A).take_along_dim(_long(lib, [[1]]), 1))
    oracle(lambda lib: to_lib(lib, A).take_along_dim(lib.zeros(5, 1, 1, dtype=lib.int64), 1))
    oracle(lambda lib: to_lib(lib, A).transpose(0, 1).take_along_dim(_long(lib, [0])))


# --------------------------------------------------------------------------- nonzero / argwhere


@pytest.mark.parametrize("shape", [(), (0,), (5,), (3, 4), (2, 3, 2)], ids=str)
def test_argwhere_nonzero_layout(shape):
    a = rand_array(shape, "float32", seed=14, low=-1, high=2).round()

    def body(lib):
        x = to_lib(lib, a)
        n = lib.nonzero(x)
        w = lib.argwhere(x)
        return n, w, x.argwhere(), n.stride() if n.numel() else None, w.is_contiguous()

    oracle(body)
    oracle(lambda lib: lib.nonzero(to_lib(lib, np.array(0.0)), as_tuple=True))
    oracle(lambda lib: lib.nonzero(to_lib(lib, np.array(3.0)), as_tuple=True))


def test_nonzero_as_tuple_checks():
    oracle(lambda lib: lib.nonzero(to_lib(lib, A), as_tuple=None))
    oracle(lambda lib: lib.nonzero(to_lib(lib, A), as_tuple=1))
    oracle(lambda lib: lib.nonzero(to_lib(lib, A), True))


# --------------------------------------------------------------------------- gradcheck

IDX_GC = {
    "index_select": lambda x: x.index_select(1, tl.tensor([2, 0, 2])),
    "gather": lambda x: x.gather(2, tl.tensor(IDX_GATHER)),
    "scatter": lambda x: x.scatter(1, tl.tensor(SC_IDX[:, :, :3]), x[:, :2, :3].sin()),
    "scatter_value": lambda x: x.scatter(2, tl.tensor(SC_IDX), 0.5),
    "scatter_add": lambda x: x.scatter_add(1, tl.zeros(2, 2, 4, dtype=tl.int64), x[:, :2] * 3),
    "index_add": lambda x: x.index_add(1, tl.tensor([0, 0, 2]), x.flip(1), alpha=2.0),
    "index_copy": lambda x: x.index_copy(2, tl.tensor([3, 0]), x[:, :, 1:3].exp()),
    "index_fill": lambda x: x.index_fill(1, tl.tensor([1]), 2.0),
    "index_fill_t": lambda x: x.index_fill(1, tl.tensor([1]), x[0, 0, 0]),
    "index_put": lambda x: x.index_put((tl.tensor([1, 0]),), x[0, 0] * 2),
    "index_put_acc": lambda x: x.index_put((tl.tensor([1, 1]),), x[0, 0] * 2, accumulate=True),
    "masked_fill": lambda x: x.masked_fill(tl.tensor(MASK), 1.0),
    "masked_fill_t": lambda x: x.masked_fill(tl.tensor(MASK[0]), x[1, 1, 1]),
    "masked_select": lambda x: x.masked_select(tl.tensor(MASK)),
    "masked_scatter": lambda x: x.masked_scatter(tl.tensor(MASK), x.flip(0) * 2),
    "take": lambda x: x.take(tl.tensor([[1, 1], [23, -3]])),
    "put": lambda x: x.put(tl.tensor([1, 3]), x[0, 0, :2] * 3),
    "put_acc": lambda x: x.put(tl.tensor([1, 1]), x[0, 0, :2] * 3, accumulate=True),
    "take_along_dim": lambda x: x.take_along_dim(tl.tensor([[[1], [0]]]), 1),
}


@pytest.mark.parametrize("op", list(IDX_GC))
def test_gradcheck_indexing_more(op):
    x = tl.tensor(A, dtype=tl.float64, requires_grad=True)
    f = IDX_GC[op]
    gradcheck(f, [x])
    gradgradcheck(lambda t: f(t * t), [x])


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_gradcheck_scatter_reduce(reduce, include_self):
    x = tl.tensor(rand_array((3, 4), "float64", 15), requires_grad=True)
    s = tl.tensor(rand_array((3, 5), "float64", 16), requires_grad=True)
    idx = tl.tensor(SR_IDX % 4)

    def f(x, s):
        return x.scatter_reduce(1, idx, s, reduce, include_self=include_self)

    gradcheck(f, [x, s])
    if reduce in ("sum", "mean"):
        gradgradcheck(f, [x, s])


# --------------------------------------------------------------------------- in-place on views

M = rand_array((3, 4), "float64", seed=20)


def _views_body(kind):
    def body(lib):
        x = to_lib(lib, M, True)
        out = []
        if kind == "mul_row":
            y = x * 2
            v, w = y[0], y[:, 1]
            v.mul_(3)
            out = [v, w, next_fns(v), next_fns(w), v._version]
        elif kind == "iadd_column":
            y = x * 2
            y[:, 1] += 1
            out = [next_fns(y)]
        elif kind == "transpose_row":
            y = x.exp()
            u = y.t()[1]
            u.add_(y[0, :3].detach().clone())
            out = [next_fns(u)]
        elif kind == "view_of_view":
            y = (x * 1).view(2, 6)
            y[0].mul_(to_lib(lib, np.arange(6.0)))
            y.t()[2:4].mul_(2)
            out = [next_fns(y)]
        elif kind == "base_no_grad":
            y = lib.zeros(2, 3, dtype=lib.float64)
            y[0].mul_(x[0, :3])
            y[0].add_(x[0, 1:])
            y[1].copy_(x[1, :3] * 3)
            y[1, 1:].fill_(2.0)
            y[:, 0] = x[2, :2]
            out = [next_fns(y), y.requires_grad]
        elif kind == "diagonal_zero":
            y = x * 1
            y.diagonal().zero_()
            y.diagonal(1).fill_(5.0)
            out = [next_fns(y)]
        elif kind == "unfold_mul":
            y = x * 1
            y.unfold(1, 2, 2).mul_(to_lib(lib, np.array([2.0, 3.0])))
            out = [next_fns(y)]
        elif kind == "setitem_on_view":
            y = x * 1
            v = y[1:]
            v[0] = 5.0
            v[lib.tensor([0, 1]), 1:3] = x[:2, :2]
            out = [next_fns(y), next_fns(v)]
        elif kind == "base_inplace_with_views":
            y = x * 1
            w = y[1:]
            t = y.t()
            y.mul_(2)
            out = [w * 1, t * 1, next_fns(w), next_fns(t)]
            return out + [y]
        elif kind == "cast":
            y = (x * 1).float()
            y[1:3].mul_(to_lib(lib, np.arange(4.0), True))
            out = [next_fns(y)]
        elif kind == "as_strided":
            y = x * 1
            y.as_strided((2, 2), (1, 4), 1).mul_(-1)
            out = [next_fns(y)]
        elif kind == "chain_of_inplace":
            y = x.sin()
            r = y[1]
            r.mul_(r.detach().clone())
            r.add_(x[0])
            y[2].sub_(r)
            out = [next_fns(y), next_fns(r)]
        elif kind == "mask_setitem_view":
            y = x.exp()
            v = y.view(-1)
            v[v > 2.0] = 0.0
            out = [next_fns(y)]
        return [y] + out

    return body


VIEW_KINDS = [
    "mul_row",
    "iadd_column",
    "transpose_row",
    "view_of_view",
    "base_no_grad",
    "diagonal_zero",
    "unfold_mul",
    "setitem_on_view",
    "base_inplace_with_views",
    "cast",
    "as_strided",
    "chain_of_inplace",
    "mask_setitem_view",
]


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_inplace_on_view(kind):
    oracle(_views_body(kind))


def test_inplace_on_view_errors():
    def multi(fn):
        def body(lib):
            y = to_lib(lib, M, True) * 1
            fn(y)[0].mul_(2)

        return body

    oracle(multi(lambda y: y.split([1, 2])))
    oracle(multi(lambda y: y.split(2)))
    oracle(multi(lambda y: y.chunk(2)))
    oracle(multi(lambda y: y.unbind(1)))
    oracle(lambda lib: to_lib(lib, M, True)[0].mul_(2))
    oracle(lambda lib: to_lib(lib, M, True).t().zero_())
    oracle(lambda lib: (to_lib(lib, M, True) * 1)[:, :1].expand(3, 4).mul_(2))

    def tensor_split_ok(lib):
        y = to_lib(lib, M, True) * 1
        y.tensor_split(2)[1].mul_(2)
        return y, next_fns(y)

    oracle(tensor_split_ok)


def test_inplace_on_view_saved_tensor_modified():
    def body(lib):
        y = to_lib(lib, M, True) * 1
        z = y[0].exp()
        y[0].mul_(2)
        z.sum().backward()

    oracle(body)


def test_inplace_on_view_double_backward():
    def body(lib):
        x = to_lib(lib, M, True)
        y = x * x
        y[1:, ::2].mul_(x[:2, :2] * 3)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        return g

    oracle(body)


def _on_view(x):
    y = x * x
    y[0].mul_(x[1])
    y[:, 1:3] += x[2, :2].exp()
    y.diagonal().sub_(x[:, 0])
    v = y.view(-1)
    v[::5] = v[::5] * 2
    return y


def test_gradcheck_inplace_on_views():
    x = tl.tensor(M, requires_grad=True)
    gradcheck(_on_view, [x])
    gradgradcheck(_on_view, [x])


# --------------------------------------------------------------------------- dtypes and empty

IX_SWEEP = {
    "index_select": lambda lib, x: x.index_select(1, _long(lib, [2, 0])),
    "gather": lambda lib, x: x.gather(2, _long(lib, IDX_GATHER)),
    "scatter": lambda lib, x: x.scatter(1, _long(lib, SC_IDX[:, :, :3]), x[:, :2, :3]),
    "scatter_value": lambda lib, x: x.scatter(1, _long(lib, SC_IDX), 1),
    "scatter_add": lambda lib, x: x.scatter_add(1, _long(lib, SC_IDX[:, :, :3]), x[:, :2, :3]),
    "index_add": lambda lib, x: x.index_add(2, _long(lib, [1, 1]), x[:, :, :2]),
    "index_copy": lambda lib, x: x.index_copy(2, _long(lib, [3, 1]), x[:, :, :2]),
    "index_fill": lambda lib, x: x.index_fill(1, _long(lib, [0]), 1),
    "index_put": lambda lib, x: x.index_put((_long(lib, [1]),), x[0, 0]),
    "index_put_acc": lambda lib, x: x.index_put((_long(lib, [1, 1]),), x[0, 0], True),
    "masked_fill": lambda lib, x: x.masked_fill(to_lib(lib, MASK), 1),
    "masked_select": lambda lib, x: x.masked_select(to_lib(lib, MASK)),
    "masked_scatter": lambda lib, x: x.masked_scatter(to_lib(lib, MASK), x.flip(0)),
    "take": lambda lib, x: x.take(_long(lib, [3, -1])),
    "put": lambda lib, x: x.put(_long(lib, [3, 0]), x[0, 0, :2]),
    "take_along_dim": lambda lib, x: x.take_along_dim(_long(lib, [[[1], [0]]]), 1),
    "argwhere": lambda lib, x: lib.argwhere(x),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float16"])
@pytest.mark.parametrize("op", list(IX_SWEEP))
def test_indexing_dtype_sweep(op, dtype):
    a = rand_array((2, 3, 4), dtype, seed=22)
    oracle(lambda lib: IX_SWEEP[op](lib, make(lib, a, "T")))


EMPTY_IX = {
    "index_select": lambda lib, x: x.index_select(1, _long(lib, [])),
    "gather": lambda lib, x: x.gather(1, lib.zeros(2, 0, 4, dtype=lib.int64)),
    "scatter": lambda lib, x: x.scatter(1, lib.zeros(2, 0, 4, dtype=lib.int64), 1.0),
    "scatter_add": lambda lib, x: x.scatter_add(0, lib.zeros(0, 3, 4, dtype=lib.int64), x[:0]),
    "index_add": lambda lib, x: x.index_add(1, _long(lib, []), x[:, :0]),
    "index_fill": lambda lib, x: x.index_fill(1, _long(lib, []), 1.0),
    "masked_fill": lambda lib, x: x.masked_fill(lib.zeros(3, 4, dtype=lib.bool), 1.0),
    "masked_select": lambda lib, x: x.masked_select(lib.zeros(3, 4, dtype=lib.bool)),
    "take": lambda lib, x: x.take(_long(lib, [])),
}


@pytest.mark.parametrize("op", list(EMPTY_IX))
def test_indexing_empty(op):
    oracle(lambda lib: EMPTY_IX[op](lib, to_lib(lib, A, True)))
    if op in ("index_select", "masked_fill", "masked_select", "take"):
        oracle(lambda lib: EMPTY_IX[op](lib, lib.zeros(0, 3, 4, requires_grad=True)))
