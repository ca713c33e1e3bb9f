"""Dropout (masks bit-identical to torch's under the same seed), rrelu, embedding,
embedding_bag, one_hot, pad and pixel_shuffle against torch; float64 gradchecks."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from oracle import is_torch, make, next_fns, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import dropout as D
from torchless._ops import embedding as E
from torchless._ops import padding as P
from torchless._ops import pixel_shuffle as PS
from torchless.autograd import gradcheck, gradgradcheck


def same(body, **kw):
    """``oracle(body)`` for a body that must not raise."""
    r = oracle(body, **kw)
    assert not isinstance(r, BaseException), r
    return r


_MINE = SimpleNamespace(
    dropout=D.dropout,
    alpha_dropout=D.alpha_dropout,
    feature_alpha_dropout=D.feature_alpha_dropout,
    dropout1d=D.dropout1d,
    dropout2d=D.dropout2d,
    dropout3d=D.dropout3d,
    rrelu=D.rrelu,
    embedding=E.embedding,
    embedding_bag=E.embedding_bag,
    one_hot=E.one_hot,
    pad=P.pad,
    pixel_shuffle=PS.pixel_shuffle,
    pixel_unshuffle=PS.pixel_unshuffle,
)


def F(lib):
    return lib.nn.functional if is_torch(lib) else _MINE


# ----------------------------------------------------------------------------- dropout

_DROPOUTS = ["dropout", "alpha_dropout", "feature_alpha_dropout", "dropout1d", "dropout2d",
             "dropout3d"]  # fmt: skip


@pytest.mark.parametrize("name", _DROPOUTS)
@pytest.mark.parametrize("shape", [(40,), (6, 7), (3, 4, 5), (2, 3, 4, 5), (2, 3, 2, 2, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_masks_bit_identical(name, shape, dtype):
    """Seeded, every kind draws torch's mask: the same output bits, the same generator
    state afterwards (or, for ranks a kind refuses, the same error)."""

    def body(lib):
        lib.manual_seed(11)
        outs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dropout2d/3d warn about some ranks, as torch
            for p in (0.2, 0.5, 0.85):
                x = to_lib(lib, rand_array(shape, dtype, seed=1), requires_grad=True)
                y = getattr(F(lib), name)(x, p, True)
                outs.append((y, next_fns(y)))
        return outs, lib.rand(3)

    oracle(body, exact=True)


@pytest.mark.parametrize("layout", ["T", "step"])
@pytest.mark.parametrize("name", ["dropout", "alpha_dropout", "dropout2d"])
def test_dropout_non_contiguous(layout, name):
    """A transposed input gets its mask drawn in memory order, as torch's empty_like keeps
    the input's strides."""

    def body(lib):
        lib.manual_seed(8)
        x = make(lib, rand_array((4, 3, 5), seed=1), layout, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = getattr(F(lib), name)(x, 0.5, True)
        return y, y.stride()

    same(body, exact=True)


@pytest.mark.parametrize("name", _DROPOUTS)
def test_dropout_inplace(name):
    shape = (2, 3, 4, 5) if name == "dropout3d" else (3, 4, 5)

    def body(lib):
        lib.manual_seed(3)
        x = to_lib(lib, rand_array(shape, seed=2))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = getattr(F(lib), name)(x, 0.4, True, True)
        return y is x, x, lib.rand(2)

    same(body, exact=True, grads=False)


@pytest.mark.parametrize("name", _DROPOUTS)
def test_dropout_identity_cases(name):
    """Evaluation and p = 0 return the input itself and draw nothing; p = 1 zeroes."""

    def body(lib):
        lib.manual_seed(5)
        shape = (2, 3, 4) if name == "dropout1d" else (2, 3, 4, 5)
        x = to_lib(lib, rand_array(shape, seed=2), requires_grad=True)
        f = getattr(F(lib), name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same = (f(x, 0.5, False) is x, f(x, 0.0, True) is x)
            ones = f(x, 1.0, True)
        return same, ones, lib.rand(2)

    same(body, exact=True)


def test_dropout_unbatched_inplace_channels():
    def body(lib):
        lib.manual_seed(9)
        x = to_lib(lib, rand_array((6, 5), seed=2))
        F(lib).dropout1d(x, 0.5, True, True)
        y = to_lib(lib, rand_array((4, 2, 3, 2), seed=3))
        F(lib).dropout3d(y, 0.5, True, True)
        return x, y

    same(body, exact=True, grads=False)


@pytest.mark.parametrize(
    "case", ["p_high", "p_low", "long", "alpha_long", "1d_rank", "feature_rank", "leaf_inplace"]
)
def test_dropout_errors(case):
    def body(lib):
        lib.manual_seed(0)
        x = to_lib(lib, rand_array((3, 4), seed=1))
        f = F(lib)
        if case == "p_high":
            return f.dropout(x, 1.5)
        if case == "p_low":
            return f.dropout1d(x, -0.1)
        if case == "long":
            return f.dropout(x.long(), 0.5)
        if case == "alpha_long":
            return f.alpha_dropout(x.long(), 0.5, True)
        if case == "1d_rank":
            return f.dropout1d(lib.ones(3), 0.5)
        if case == "feature_rank":
            return f.feature_alpha_dropout(lib.ones(3), 0.5, True)
        return f.dropout(lib.ones(3, requires_grad=True), 0.5, inplace=True)

    oracle(body, grads=False)


def test_dropout2d_warnings():
    x = tl.ones(2, 3, 4)
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        D.dropout2d(x, 0.5, False)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        D.dropout2d(tl.ones(2, 3), 0.5, False)
    with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
        D.dropout3d(x, 0.5, False)


def test_dropout_gradients():
    def body(lib):
        lib.manual_seed(4)
        x = to_lib(lib, rand_array((5, 6), seed=1), requires_grad=True)
        return F(lib).dropout(x, 0.3), F(lib).alpha_dropout(x, 0.3, True)

    same(body, exact=True)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rrelu(training, dtype):
    def body(lib):
        lib.manual_seed(2)
        x = to_lib(lib, rand_array((50, 3), dtype, seed=1), requires_grad=True)
        y = F(lib).rrelu(x, 0.1, 0.4, training=training)
        return y, lib.rand(2)

    same(body, exact=True)


def test_rrelu_errors_and_inplace():
    oracle(lambda lib: F(lib).rrelu(lib.ones(3), 0.5, 0.1, True), grads=False)

    def body(lib):
        lib.manual_seed(2)
        x = to_lib(lib, rand_array((20,), seed=1))
        return F(lib).rrelu(x, training=True, inplace=True) is x, x

    oracle(body, exact=True, grads=False)


# ----------------------------------------------------------------------------- embedding


@pytest.mark.parametrize(
    "kw",
    [{}, {"padding_idx": 2}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
     {"padding_idx": 0, "scale_grad_by_freq": True}],
)  # fmt: skip
@pytest.mark.parametrize("idx_dtype", ["int64", "int32"])
def test_embedding(kw, idx_dtype):
    def body(lib):
        w = to_lib(lib, rand_array((10, 3), seed=1), requires_grad=True)
        idx = to_lib(lib, np.array([[1, 2, 2, 9], [0, 2, 7, 1]]), dtype=idx_dtype)
        y = F(lib).embedding(idx, w, **kw)
        return y, next_fns(y)

    same(body, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0])
def test_embedding_max_norm(norm_type):
    def body(lib):
        w = to_lib(lib, rand_array((6, 4), seed=1) * 3)
        idx = to_lib(lib, np.array([1, 3, 1, 5]))
        y = F(lib).embedding(idx, w, max_norm=1.5, norm_type=norm_type)
        return y, w, w._version

    same(body, rtol=1e-6, atol=1e-6, grads=False)


@pytest.mark.parametrize("case", ["float_idx", "range", "negative", "weight_dim", "padding"])
def test_embedding_errors(case):
    def body(lib):
        w = to_lib(lib, rand_array((5, 3), seed=1))
        f = F(lib).embedding
        if case == "float_idx":
            return f(to_lib(lib, np.array([1.0, 2.0], np.float32)), w)
        if case == "range":
            return f(to_lib(lib, np.array([1, 7])), w)
        if case == "negative":
            return f(to_lib(lib, np.array([1, -1])), w)
        if case == "weight_dim":
            return f(to_lib(lib, np.array([1])), lib.ones(5))
        return f(to_lib(lib, np.array([1])), w, padding_idx=7)

    oracle(body, grads=False)


def test_embedding_gradcheck_and_double_backward():
    w = tl.tensor(np.random.default_rng(0).standard_normal((6, 2)), requires_grad=True)
    idx = tl.tensor([[1, 4], [4, 0]])
    assert gradcheck(lambda w: E.embedding(idx, w), (w,))
    assert gradgradcheck(lambda w: E.embedding(idx, w).pow(2), (w,))


_BAGS = [
    ("sum", [0, 2, 4, 5], False, None),
    ("sum", [0, 0, 3, 8], True, None),
    ("sum", [0, 2, 4, 5], False, 2),
    ("mean", [0, 2, 4, 5], False, None),
    ("mean", [0, 0, 3, 6], False, 2),
    ("mean", [0, 3, 8], True, 4),
    ("max", [0, 2, 4, 5], False, None),
    ("max", [0, 0, 3, 8], True, 2),
]


@pytest.mark.parametrize(
    "mode,offsets,include_last,padding_idx,psw",
    [b + (False,) for b in _BAGS] + [b + (True,) for b in _BAGS if b[0] == "sum"],
)
def test_embedding_bag(mode, offsets, include_last, padding_idx, psw):

    def body(lib):
        w = to_lib(lib, rand_array((10, 3), seed=1), requires_grad=True)
        inp = to_lib(lib, np.array([1, 2, 4, 5, 4, 3, 2, 9]))
        off = to_lib(lib, np.array(offsets))
        p = to_lib(lib, rand_array((8,), seed=2), requires_grad=True) if psw else None
        return F(lib).embedding_bag(
            inp, w, off, mode=mode, include_last_offset=include_last, padding_idx=padding_idx,
            per_sample_weights=p,
        )  # fmt: skip

    same(body, rtol=1e-6, atol=1e-6)


def test_embedding_bag_2d_and_freq():
    def body(lib):
        w = to_lib(lib, rand_array((10, 3), seed=1), requires_grad=True)
        inp = to_lib(lib, np.array([[1, 2, 2], [5, 1, 1]]))
        a = F(lib).embedding_bag(inp, w, mode="sum", scale_grad_by_freq=True)
        b = F(lib).embedding_bag(inp, w, mode="max")
        return a, b

    same(body, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "case",
    ["offset0", "offset_last", "psw_mode", "psw_shape", "no_offsets", "2d_offsets", "mode",
     "offsets_2d", "padding", "range", "max_freq", "input_3d", "weight_1d"],
)  # fmt: skip
def test_embedding_bag_errors(case):
    def body(lib):
        w = to_lib(lib, rand_array((5, 3), seed=1))
        i = to_lib(lib, np.array([1, 2]))
        f = F(lib).embedding_bag
        o = to_lib(lib, np.array([0, 1]))
        if case == "offset0":
            return f(i, w, to_lib(lib, np.array([1])))
        if case == "offset_last":
            return f(i, w, to_lib(lib, np.array([0, 3])), include_last_offset=True)
        if case == "psw_mode":
            return f(i, w, o, per_sample_weights=lib.ones(2))
        if case == "psw_shape":
            return f(i, w, o, mode="sum", per_sample_weights=lib.ones(3))
        if case == "no_offsets":
            return f(i, w)
        if case == "2d_offsets":
            return f(to_lib(lib, np.array([[1, 2]])), w, o)
        if case == "mode":
            return f(i, w, o, mode="foo")
        if case == "offsets_2d":
            return f(i, w, to_lib(lib, np.array([[0, 1]])))
        if case == "padding":
            return f(i, w, o, padding_idx=9)
        if case == "range":
            return f(to_lib(lib, np.array([1, 9])), w, o)
        if case == "max_freq":
            return f(i, w, o, mode="max", scale_grad_by_freq=True)
        if case == "input_3d":
            return f(to_lib(lib, np.ones((1, 1, 1), np.int64)), w)
        return f(i, lib.ones(5), o)

    oracle(body, grads=False)


def test_embedding_bag_gradcheck():
    rng = np.random.default_rng(1)
    w = tl.tensor(rng.standard_normal((6, 2)), requires_grad=True)
    p = tl.tensor(rng.standard_normal(5), requires_grad=True)
    inp, off = tl.tensor([1, 4, 4, 0, 2]), tl.tensor([0, 2, 2])
    assert gradcheck(lambda w: E.embedding_bag(inp, w, off, mode="mean"), (w,))
    assert gradcheck(lambda w: E.embedding_bag(inp, w, off, mode="max"), (w,))
    assert gradcheck(
        lambda w, p: E.embedding_bag(inp, w, off, mode="sum", per_sample_weights=p), (w, p)
    )


@pytest.mark.parametrize(
    "case", ["basic", "classes", "nd", "scalar", "int32", "empty", "empty_n", "neg", "big"]
)
def test_one_hot(case):
    def body(lib):
        f = F(lib).one_hot
        if case == "basic":
            return f(to_lib(lib, np.array([0, 2, 1])))
        if case == "classes":
            return f(to_lib(lib, np.array([0, 2, 1])), 5)
        if case == "nd":
            return f(to_lib(lib, np.array([[0, 3], [1, 1]])))
        if case == "scalar":
            return f(to_lib(lib, np.array(2)), 4)
        if case == "int32":
            return f(to_lib(lib, np.array([1, 2], np.int32)))
        if case == "empty":
            return f(to_lib(lib, np.array([], np.int64)))
        if case == "empty_n":
            return f(to_lib(lib, np.array([], np.int64)), 3)
        if case == "neg":
            return f(to_lib(lib, np.array([-1, 2])))
        return f(to_lib(lib, np.array([1, 5])), 3)

    oracle(body, grads=False)


# ----------------------------------------------------------------------------- pad

_PADS = [
    ((2, 3, 4), (1, 2)),
    ((2, 3, 4), (0, 3)),
    ((3, 4), (2, 1)),
    ((2, 3, 4), (-1, 2)),
    ((2, 3, 4, 5), (1, 1, 2, 0)),
    ((3, 4, 5), (2, -1, 1, 2)),
    ((1, 2, 3, 4, 3), (1, 0, 2, 1, 1, 2)),
    ((2, 3, 3, 4), (2, 1, 0, 1, 1, 2)),
]


@pytest.mark.parametrize("shape,pads", _PADS)
@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad(shape, pads, mode):
    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        return F(lib).pad(x, pads, mode)

    same(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "shape,pads,value",
    [((2, 3, 2), (1, 2, 0, 1, 1, 0), 0.5), ((4,), (-1, -2), None), ((2, 3), (3, -1), -2.0)],
)
def test_constant_pad_any_rank(shape, pads, value):
    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        return F(lib).pad(x, pads, value=value)

    same(body)


def test_pad_integer_and_bool():
    def body(lib):
        a = to_lib(lib, np.arange(6).reshape(2, 3))
        b = to_lib(lib, np.array([[True, False]]))
        return (
            F(lib).pad(a, (1, 1), value=2.5),
            F(lib).pad(a, (1, 2), mode="reflect"),
            F(lib).pad(a, (1, 2), mode="replicate"),
            F(lib).pad(b, (1, 2), value=True),
            F(lib).pad(b, (1, 1), mode="circular"),
        )

    same(body, grads=False)


_PAD_ERRORS = [
    ((2, 3, 4), (1,), "constant"),
    ((2, 3, 4), (1,) * 8, "constant"),
    ((2, 3, 4), (-3, -2), "constant"),
    ((2, 3, 4), (1, 1), "foo"),
    ((2, 3, 4), (4, 1), "reflect"),
    ((1, 3, 4), (0, 0, 3, 0), "reflect"),
    ((1, 2, 3, 4), (0, 0, 0, 0, 2, 0), "reflect"),
    ((1, 3, 4), (-5, 0), "reflect"),
    ((1, 3, 4), (-5, 1), "replicate"),
    ((1, 3, 4), (-5, 0), "replicate"),
    ((2, 3, 4), (5, 1), "circular"),
    ((1, 3, 4), (0, 0, -4, 0), "circular"),
    ((2, 3, 4), (1, 1, 1, 1, 1, 1), "reflect"),
    ((4,), (1, 1), "replicate"),
    ((2, 0, 4), (1, 1), "reflect"),
    ((0, 3, 4), (1, 1), "replicate"),
]


@pytest.mark.parametrize("shape,pads,mode", _PAD_ERRORS)
def test_pad_errors(shape, pads, mode):
    oracle(lambda lib: F(lib).pad(lib.ones(*shape), pads, mode), grads=False)


def test_pad_argument_errors():
    oracle(lambda lib: F(lib).pad(lib.ones(2, 3), (1, 1.5)), grads=False)
    oracle(lambda lib: F(lib).pad(lib.ones(2, 3), (1, 1), "reflect", 1.0), grads=False)
    oracle(lambda lib: F(lib).pad(lib.ones(2, 3), (1, 1), "reflect", 0), grads=False)
    bools = lambda lib: F(lib).pad(lib.ones(1, 2, dtype=lib.bool), (1, 1), "replicate")  # noqa: E731
    oracle(bools, grads=False)


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_gradcheck(mode):
    x = tl.tensor(np.random.default_rng(0).standard_normal((1, 2, 3, 4)), requires_grad=True)
    assert gradcheck(lambda x: P.pad(x, (2, 1, -1, 2), mode).pow(2), (x,))
    assert gradgradcheck(lambda x: P.pad(x[0], (1, 2), mode).pow(2), (x,))


# ----------------------------------------------------------------------------- pixel shuffle


@pytest.mark.parametrize("shape,r", [((1, 8, 2, 3), 2), ((2, 9, 2, 2), 3), ((2, 2, 4, 2, 2), 2)])
def test_pixel_shuffle(shape, r):
    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        y = F(lib).pixel_shuffle(x, r)
        z = F(lib).pixel_unshuffle(y, r)
        return y, z

    same(body, exact=True)


@pytest.mark.parametrize(
    "fn,shape,r",
    [("pixel_shuffle", (2, 3), 2), ("pixel_shuffle", (3, 2, 2), 2),
     ("pixel_shuffle", (4, 2, 2), 0), ("pixel_unshuffle", (4, 3, 2), 2),
     ("pixel_unshuffle", (4, 2, 3), 2),
     ("pixel_unshuffle", (2, 3), 2), ("pixel_unshuffle", (4, 2, 2), -1)],
)  # fmt: skip
def test_pixel_shuffle_errors(fn, shape, r):
    oracle(lambda lib: getattr(F(lib), fn)(lib.ones(*shape), r), grads=False)


def test_pixel_shuffle_gradcheck():
    x = tl.tensor(np.random.default_rng(0).standard_normal((1, 4, 2, 2)), requires_grad=True)
    assert gradgradcheck(lambda x: PS.pixel_shuffle(x, 2).pow(2), (x,))
