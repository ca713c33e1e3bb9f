"""Shape and view ops against torch: results, strides, contiguity, memory sharing, version
counters, gradients, grad_fn names and errors; float64 gradchecks."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, next_fns, oracle, rand_array, to_lib

import torchless as tl

A234 = rand_array((2, 3, 4), "float64", seed=1)
LAYOUTS = ["contig", "T", "step"]


def _layout_info(t):
    return tuple(t.shape), t.stride(), t.is_contiguous()


# --------------------------------------------------------------------------- view / reshape

SHAPES_24 = [(24,), (4, 6), (2, 3, 4), (-1,), (2, -1), (-1, 4), (1, 24, 1), (2, 1, 3, 4)]


@pytest.mark.parametrize("shape", SHAPES_24, ids=str)
@pytest.mark.parametrize("op", ["view", "reshape"])
def test_view_reshape_contiguous(op, shape):
    def body(lib):
        x = to_lib(lib, A234, True)
        y = getattr(x, op)(shape)
        z = getattr(x, op)(*shape)
        return y, z, _layout_info(y), y._base is x, next_fns(y)

    oracle(body)


@pytest.mark.parametrize("shape", [(12, 2), (2, 12), (-1,), (4, 3, 2), (4, 6)], ids=str)
@pytest.mark.parametrize("layout", ["T", "step"])
def test_reshape_noncontiguous(layout, shape):
    a = rand_array((4, 3, 2), "float32", seed=2)

    def body(lib):
        x = make(lib, a, layout, requires_grad=True)
        if layout == "step":
            shape2 = tuple(s if s != 12 else 6 for s in shape)
            shape2 = (2, 3, 2) if shape2 == (4, 3, 2) else shape2
            shape2 = (2, 6) if shape2 == (4, 6) else shape2
        else:
            shape2 = shape
        y = x.reshape(shape2)
        return y, y.is_contiguous(), next_fns(y)

    oracle(body)


def test_view_errors():
    oracle(lambda lib: to_lib(lib, A234).transpose(0, 2).view(24))
    oracle(lambda lib: to_lib(lib, A234).view(5, 5))
    oracle(lambda lib: to_lib(lib, A234).view(-1, -1))
    oracle(lambda lib: to_lib(lib, A234).view(5, -1))
    oracle(lambda lib: to_lib(lib, A234).reshape(7, -1))
    oracle(lambda lib: to_lib(lib, A234).reshape(-2, 12))
    oracle(lambda lib: lib.zeros(0, 3).reshape(-1, 0))
    oracle(lambda lib: lib.zeros(0, 3).reshape(3, -1))


def test_view_shares_memory_and_version():
    def body(lib):
        x = to_lib(lib, A234)
        v = x.view(6, 4)
        r = x.transpose(0, 1)
        v[0, 0] = 100.0
        r.mul_(2)
        return x, v, r, x._version, v._version, r._version

    oracle(body)


def test_view_as_reshape_as():
    def body(lib):
        x = to_lib(lib, A234, True)
        y = lib.zeros(4, 6)
        return x.view_as(y), x.reshape_as(y), x.transpose(0, 1).reshape_as(y)

    oracle(body)


def test_view_dtype():
    a = np.arange(4, dtype=np.float32)
    oracle(lambda lib: to_lib(lib, a).view(lib.int32))


# --------------------------------------------------------------------------- flatten


@pytest.mark.parametrize(
    "dims", [(0, -1), (1, -1), (0, 1), (1, 2), (2, 2), (-2, -1), (0, 0)], ids=str
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_flatten(layout, dims):
    def body(lib):
        x = make(lib, A234, layout, requires_grad=True)
        y = lib.flatten(x, *dims)
        return y, x.flatten(*dims), next_fns(y), y is x

    oracle(body)


def test_flatten_edge_cases():
    oracle(lambda lib: lib.flatten(to_lib(lib, np.array(3.0), True)))
    oracle(lambda lib: to_lib(lib, A234).flatten(2, 1))
    oracle(lambda lib: to_lib(lib, A234).flatten(0, 3))
    oracle(lambda lib: lib.zeros(2, 0, 3).flatten(1))


# --------------------------------------------------------------------------- permute & co


@pytest.mark.parametrize("dims", [(0, 1, 2), (2, 0, 1), (1, 0, 2), (-1, -2, -3), (2, 1, 0)])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_permute(layout, dims):
    def body(lib):
        x = make(lib, A234, layout, requires_grad=True)
        y = x.permute(dims)
        return y, x.permute(*dims), lib.permute(x, dims), _layout_info(y), next_fns(y)

    oracle(body)


def test_permute_errors():
    oracle(lambda lib: to_lib(lib, A234).permute(0, 1))
    oracle(lambda lib: to_lib(lib, A234).permute(0, 1, 1))
    oracle(lambda lib: to_lib(lib, A234).permute(0, 1, 3))


@pytest.mark.parametrize("d", [(0, 1), (0, 2), (-1, 0), (1, 1), (2, -2)], ids=str)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_transpose(layout, d):
    def body(lib):
        x = make(lib, A234, layout, requires_grad=True)
        y = x.transpose(*d)
        return y, lib.transpose(x, *d), _layout_info(y), next_fns(y)

    oracle(body)


def test_transpose_t_edge_cases():
    s = np.array(2.0)
    v = np.arange(3.0)
    m = np.arange(6.0).reshape(2, 3)

    def body(lib):
        xs, xv, xm = to_lib(lib, s, True), to_lib(lib, v, True), to_lib(lib, m, True)
        return [
            xs.transpose(0, -1),
            xs.t(),
            xv.t(),
            xm.t(),
            lib.t(xm),
            xm.T,
            xm.mT,
            next_fns(xm.t()),
            next_fns(xv.t()),
            next_fns(xm.T),
        ]

    oracle(body)
    oracle(lambda lib: to_lib(lib, A234).t())
    oracle(lambda lib: to_lib(lib, A234).transpose(0, 3))
    oracle(lambda lib: to_lib(lib, v).mT)
    oracle(lambda lib: to_lib(lib, A234).mT)


# --------------------------------------------------------------------------- (un)squeeze


@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1, -4])
def test_unsqueeze(dim):
    def body(lib):
        x = make(lib, A234, "T", requires_grad=True)
        y = x.unsqueeze(dim)
        return y, lib.unsqueeze(x, dim), _layout_info(y), next_fns(y)

    oracle(body)


def test_unsqueeze_errors():
    oracle(lambda lib: to_lib(lib, A234).unsqueeze(4))
    oracle(lambda lib: to_lib(lib, A234).unsqueeze(-5))
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).unsqueeze(0))
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).unsqueeze(-1))


SQ = rand_array((1, 3, 1, 2), "float32", seed=3)


@pytest.mark.parametrize("dim", [None, 0, 1, 2, -1, -4, (0, 2), (0, 1), (), [2]], ids=str)
def test_squeeze(dim):
    def body(lib):
        x = to_lib(lib, SQ, True)
        y = x.squeeze() if dim is None else x.squeeze(dim)
        z = lib.squeeze(x) if dim is None else lib.squeeze(x, dim)
        return y, z, _layout_info(y), next_fns(y)

    oracle(body)


def test_squeeze_edge_cases():
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).squeeze())
    oracle(lambda lib: to_lib(lib, np.array(1.0), True).squeeze(0))
    oracle(lambda lib: to_lib(lib, SQ).squeeze(4))
    oracle(lambda lib: to_lib(lib, SQ).squeeze((0, 0)))
    oracle(lambda lib: lib.zeros(1, 0, 1).squeeze())


# --------------------------------------------------------------------------- expand


@pytest.mark.parametrize(
    "src,size",
    [
        ((3, 1), (3, 4)),
        ((3, 1), (-1, 4)),
        ((3, 1), (2, 3, 4)),
        ((1,), (5,)),
        ((), (2, 3)),
        ((3, 1), (3, 1)),
        ((1, 1), (0, 4)),
        ((3, 1), (2, -1, 4)),
    ],
    ids=str,
)
def test_expand(src, size):
    a = rand_array(src, "float32", seed=4)

    def body(lib):
        x = to_lib(lib, a, True)
        y = x.expand(size)
        return y, x.expand(*size), y.stride(), y.is_contiguous(), next_fns(y)

    oracle(body)


def test_expand_as_and_errors():
    a = rand_array((3, 1), "float32", seed=5)
    oracle(lambda lib: to_lib(lib, a, True).expand_as(lib.zeros(2, 3, 4)))
    oracle(lambda lib: to_lib(lib, a).expand(4, 4))
    oracle(lambda lib: to_lib(lib, a).expand(4))
    oracle(lambda lib: to_lib(lib, a).expand(-1, 2, 4))
    oracle(lambda lib: to_lib(lib, a).expand(3, -2))


# --------------------------------------------------------------------------- cat / stack


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_cat(dim):
    a = rand_array((2, 3, 4), "float32", 6)

    def body(lib):
        x = to_lib(lib, a, True)
        y = make(lib, a, "T", requires_grad=True)
        z = make(lib, a, "step", requires_grad=True).narrow(dim, 0, 1)
        out = lib.cat([x, y, z], dim)
        return out, lib.concat((x, y), dim=dim), next_fns(out)

    oracle(body)


@pytest.mark.parametrize("dims", [("float32", "float64"), ("int64", "float32"), ("bool", "int32")])
def test_cat_promotion(dims):
    a = rand_array((2, 3), dims[0], 7)
    b = rand_array((1, 3), dims[1], 8)
    oracle(lambda lib: lib.cat([to_lib(lib, a), to_lib(lib, b)]))
    oracle(lambda lib: lib.stack([to_lib(lib, a[:1]), to_lib(lib, b)], 1))


def test_cat_edge_cases():
    a = rand_array((2, 3), "float32", 9)

    def body(lib):
        x = to_lib(lib, a, True)
        e = lib.zeros(0)
        e2 = lib.zeros(0, 3)
        return lib.cat([x, e, x]), lib.cat([e2, x]), lib.cat([x]), lib.cat([e, e])

    oracle(body)
    oracle(lambda lib: lib.cat([]))
    oracle(lambda lib: lib.cat([to_lib(lib, a), to_lib(lib, a[:, :2])]))
    oracle(lambda lib: lib.cat([to_lib(lib, a), to_lib(lib, a[0])]))
    oracle(lambda lib: lib.cat([to_lib(lib, a), to_lib(lib, a)], 2))
    oracle(lambda lib: lib.cat([to_lib(lib, np.array(1.0)), to_lib(lib, np.array(1.0))]))


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_stack(dim):
    a, b = rand_array((2, 3), "float32", 10), rand_array((2, 3), "float32", 11)

    def body(lib):
        x = to_lib(lib, a, True)
        y = make(lib, b, "T", requires_grad=True)
        out = lib.stack([x, y, x], dim)
        return out, next_fns(out)

    oracle(body)


def test_stack_errors():
    a = rand_array((2, 3), "float32", 12)
    oracle(lambda lib: lib.stack([]))
    oracle(lambda lib: lib.stack([to_lib(lib, a), to_lib(lib, a[:1])]))
    oracle(lambda lib: lib.stack([to_lib(lib, a), to_lib(lib, a)], 3))
    oracle(lambda lib: lib.stack([to_lib(lib, np.array(1.0)), to_lib(lib, np.array(2.0))]))


# --------------------------------------------------------------------------- unbind / narrow


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unbind(dim):
    def body(lib):
        x = make(lib, A234, "T", requires_grad=True)
        parts = x.unbind(dim)
        return (
            parts,
            lib.unbind(x, dim),
            [p.grad_fn.name() for p in parts],
            [p.output_nr for p in parts],
        )

    oracle(body)


def test_unbind_partial_use_and_iter():
    def body(lib):
        x = to_lib(lib, A234, True)
        a, b = x.unbind(0)
        rows = list(to_lib(lib, A234[0], True))
        return a * 2, rows, len(x)

    oracle(body)
    oracle(lambda lib: to_lib(lib, A234).unbind(3))
    oracle(lambda lib: iter(to_lib(lib, np.array(1.0))))
    oracle(lambda lib: len(to_lib(lib, np.array(1.0))))


@pytest.mark.parametrize(
    "args", [(0, 0, 1), (1, 1, 2), (-1, 1, 3), (2, 0, 0), (1, -2, 2)], ids=str
)
def test_narrow(args):
    def body(lib):
        x = make(lib, A234, "step", requires_grad=True)
        y = x.narrow(*args)
        return y, lib.narrow(x, *args), next_fns(y), y.is_contiguous()

    oracle(body)


def test_narrow_errors():
    oracle(lambda lib: to_lib(lib, A234).narrow(1, 2, 2))
    oracle(lambda lib: to_lib(lib, A234).narrow(3, 0, 1))
    oracle(lambda lib: to_lib(lib, A234).narrow(0, 0, -1))


# --------------------------------------------------------------------------- clone / contiguous


@pytest.mark.parametrize("layout", LAYOUTS)
def test_clone_contiguous(layout):
    def body(lib):
        x = make(lib, A234, layout, requires_grad=True)
        c = x.clone()
        k = x.contiguous()
        return c, k, c.is_contiguous(), k.is_contiguous(), k is x, next_fns(c), next_fns(k)

    oracle(body)


def test_clone_is_a_copy():
    def body(lib):
        x = to_lib(lib, A234)
        c = lib.clone(x)
        c.add_(1)
        return x, c, x._version, c._version

    oracle(body)


def test_strides_of_views():
    def body(lib):
        x = to_lib(lib, A234)
        return [
            x.stride(),
            x[0].stride(),
            x[:, 1].stride(),
            x[..., ::2].stride(),
            x.transpose(0, 2).stride(),
            x.unsqueeze(1).stride(),
            x[:, :1].squeeze(1).stride(),
            x.stride(1),
            x.stride(-1),
            x[0].storage_offset(),
            x[1, 2].storage_offset(),
        ]

    oracle(body)


def test_strides_of_size_one_and_empty_dims():
    oracle(lambda lib: to_lib(lib, A234)[0:1].stride())
    oracle(lambda lib: lib.zeros(3, 0).stride())


def test_T_warnings():
    oracle(lambda lib: to_lib(lib, np.arange(3.0)).T)
    oracle(lambda lib: to_lib(lib, np.array(1.0)).T)
    oracle(lambda lib: to_lib(lib, A234).T)


# --------------------------------------------------------------------------- gradcheck

SHAPE_GC = {
    "view": lambda x: x.view(4, 6),
    "reshape_t": lambda x: x.transpose(0, 1).reshape(-1),
    "flatten": lambda x: x.flatten(1),
    "permute": lambda x: x.permute(2, 0, 1),
    "transpose": lambda x: x.transpose(0, 2),
    "t": lambda x: x[0].t(),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "squeeze": lambda x: x[:, :1].squeeze(1),
    "squeeze_all": lambda x: x[:1].squeeze(),
    "expand": lambda x: x[:, :1].expand(2, 5, 4),
    "expand_new_dims": lambda x: x.expand(3, 2, 3, 4),
    "cat": lambda x: tl.cat([x, x * 2, x[:, :1]], 1),
    "stack": lambda x: tl.stack([x, x.sin()], 1),
    "unbind": lambda x: x.unbind(1),
    "unbind_partial": lambda x: x.unbind(0)[1],
    "narrow": lambda x: x.narrow(2, 1, 2),
    "clone": lambda x: x.clone(),
    "contiguous": lambda x: x.transpose(0, 1).contiguous(),
    "mT": lambda x: x.mT,
}


@pytest.mark.parametrize("op", list(SHAPE_GC))
def test_gradcheck_shape(op):
    x = tl.tensor(A234, dtype=tl.float64, requires_grad=True)
    f = SHAPE_GC[op]
    gradcheck(f, [x])
    gradgradcheck(lambda t: f(t * t), [x])


@pytest.mark.parametrize("args", [(0, 1), (1, -1), (-1, 4), (2, 0), (-3, -4)], ids=str)
def test_select(args):
    def body(lib):
        x = make(lib, A234, "T", requires_grad=True)
        y = x.select(*args)
        return y, lib.select(x, *args), next_fns(y)

    oracle(body)


def test_select_errors():
    oracle(lambda lib: to_lib(lib, A234).select(0, 2))
    oracle(lambda lib: to_lib(lib, A234).select(1, -4))
    oracle(lambda lib: to_lib(lib, A234).select(3, 0))
    oracle(lambda lib: to_lib(lib, np.array(1.0)).select(0, 0))


def test_gradcheck_select():
    x = tl.tensor(A234, dtype=tl.float64, requires_grad=True)
    gradcheck(lambda t: t.select(1, 2), [x])
    gradgradcheck(lambda t: (t * t).select(-1, 0), [x])
