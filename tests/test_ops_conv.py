"""Convolutions against torch: conv1d/2d/3d, conv_transpose1d/2d/3d, unfold and fold.

Values, shapes, dtypes, gradients of input/weight/bias, grad_fn names, double backward and
error messages through the oracle; float64 finite-difference gradcheck/gradgradcheck that
need no torch."""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
from oracle import is_torch, make, next_fns, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import conv as C
from torchless.autograd import gradcheck, gradgradcheck

_OURS = types.SimpleNamespace(
    conv1d=C.conv1d,
    conv2d=C.conv2d,
    conv3d=C.conv3d,
    conv_transpose1d=C.conv_transpose1d,
    conv_transpose2d=C.conv_transpose2d,
    conv_transpose3d=C.conv_transpose3d,
    unfold=C.unfold,
    fold=C.fold,
)


def F(lib):
    """The functional namespace of ``lib``: torch.nn.functional or our conv module."""
    return lib.nn.functional if is_torch(lib) else _OURS


TOL = {"float32": dict(rtol=1e-4, atol=1e-4), "float64": dict(rtol=1e-10, atol=1e-10)}


def _run(fn, xshape, wshape, kwargs, dtype, bias=True, layout="contig", seed=0):
    xa = rand_array(xshape, dtype, seed=seed)
    wa = rand_array(wshape, dtype, seed=seed + 1)
    out_ch = wshape[0] if "transpose" not in fn else wshape[1] * kwargs.get("groups", 1)
    ba = rand_array((out_ch,), dtype, seed=seed + 2)

    def body(lib):
        x = make(lib, xa, layout, requires_grad=True)
        w = make(lib, wa, "T" if layout != "contig" else "contig", requires_grad=True)
        b = to_lib(lib, ba, requires_grad=True) if bias else None
        return getattr(F(lib), fn)(x, w, b, **kwargs)

    return oracle(body, **TOL[dtype])


# --------------------------------------------------------------------------- forward/backward

CONV2D = [
    ((2, 3, 7, 6), (4, 3, 3, 3), {}),
    ((2, 3, 7, 6), (4, 3, 3, 3), dict(stride=2, padding=1)),
    ((2, 3, 8, 7), (5, 3, 3, 2), dict(stride=(2, 1), padding=(1, 2), dilation=(2, 1))),
    ((2, 4, 6, 5), (6, 2, 3, 2), dict(groups=2, padding=1)),
    ((1, 4, 6, 6), (4, 1, 3, 3), dict(groups=4, stride=(1, 2))),
    ((2, 3, 5, 5), (2, 3, 3, 3), dict(padding="same")),
    ((2, 3, 6, 5), (2, 3, 3, 3), dict(padding="same", dilation=2)),
    ((2, 3, 5, 5), (2, 3, 2, 3), dict(padding="valid")),
    ((3, 2, 4, 4), (3, 2, 1, 1), {}),
    ((2, 2, 4, 5), (3, 2, 4, 5), {}),
    ((2, 2, 5, 5), (3, 2, 3, 3), dict(stride=3, padding=2, dilation=2)),
    ((0, 3, 5, 5), (4, 3, 3, 3), dict(padding=1)),
    ((3, 6, 6), (4, 3, 3, 3), dict(groups=2, padding=1)),  # unbatched
    ((2, 3, 9, 9), (4, 3, 3, 3), dict(stride=[2], padding=(1,), dilation=1, groups=1)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONV2D)))
def test_conv2d(case, dtype):
    xs, ws, kw = CONV2D[case]
    _run("conv2d", xs, ws, kw, dtype, bias=case % 2 == 0)


@pytest.mark.parametrize("layout", ["T", "step"])
@pytest.mark.parametrize("case", [0, 2, 3])
def test_conv2d_noncontiguous(case, layout):
    xs, ws, kw = CONV2D[case]
    _run("conv2d", xs, ws, kw, "float64", layout=layout)


CONV1D = [
    ((2, 3, 9), (4, 3, 3), {}),
    ((2, 4, 9), (6, 2, 2), dict(stride=2, padding=1, groups=2)),
    ((1, 3, 10), (2, 3, 3), dict(dilation=3, padding=2)),
    ((2, 3, 8), (2, 3, 3), dict(padding="same", dilation=2)),
    ((3, 7), (2, 3, 3), dict(stride=2)),  # unbatched
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONV1D)))
def test_conv1d(case, dtype):
    xs, ws, kw = CONV1D[case]
    _run("conv1d", xs, ws, kw, dtype)


CONV3D = [
    ((2, 2, 4, 5, 4), (3, 2, 2, 3, 2), {}),
    ((1, 2, 5, 4, 6), (4, 1, 3, 2, 3), dict(stride=(1, 2, 2), padding=1, groups=2)),
    ((2, 4, 4, 4), (2, 2, 3, 3, 3), dict(padding="same")),  # unbatched
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONV3D)))
def test_conv3d(case, dtype):
    xs, ws, kw = CONV3D[case]
    _run("conv3d", xs, ws, kw, dtype)


CONVT2D = [
    ((2, 4, 5, 4), (4, 3, 3, 3), {}),
    ((2, 4, 5, 4), (4, 3, 3, 2), dict(stride=2, output_padding=1)),
    (
        (2, 4, 5, 4),
        (4, 2, 3, 3),
        dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2),
    ),
    ((1, 4, 4, 4), (4, 1, 2, 3), dict(dilation=2, padding=1, groups=4)),
    ((2, 3, 4, 4), (3, 2, 3, 3), dict(stride=1, dilation=2, output_padding=1)),
    ((2, 3, 3, 3), (3, 2, 3, 3), dict(padding=2)),
    ((4, 5, 4), (4, 3, 3, 3), dict(stride=2)),  # unbatched
    ((0, 4, 5, 4), (4, 3, 3, 3), {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONVT2D)))
def test_conv_transpose2d(case, dtype):
    xs, ws, kw = CONVT2D[case]
    _run("conv_transpose2d", xs, ws, kw, dtype, bias=case % 2 == 1)


@pytest.mark.parametrize("case", [1, 2])
def test_conv_transpose2d_noncontiguous(case):
    xs, ws, kw = CONVT2D[case]
    _run("conv_transpose2d", xs, ws, kw, "float64", layout="T")


CONVT1D = [
    ((2, 4, 6), (4, 3, 3), {}),
    ((2, 4, 6), (4, 1, 3), dict(stride=3, padding=1, output_padding=2, groups=2)),
    ((4, 6), (4, 2, 2), dict(dilation=2, output_padding=1)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONVT1D)))
def test_conv_transpose1d(case, dtype):
    xs, ws, kw = CONVT1D[case]
    _run("conv_transpose1d", xs, ws, kw, dtype)


def test_conv_transpose3d():
    _run("conv_transpose3d", (1, 2, 3, 4, 3), (2, 2, 2, 3, 2), dict(stride=(1, 2, 1)), "float64")


def test_conv_integer_and_half():
    xa = rand_array((2, 3, 5, 5), "int64", seed=1, low=-5, high=5)
    wa = rand_array((2, 3, 3, 3), "int64", seed=2, low=-5, high=5)
    for fn in ("conv2d", "conv_transpose2d"):
        w = wa if fn == "conv2d" else wa.transpose(1, 0, 2, 3).copy()
        oracle(lambda lib, fn=fn, w=w: getattr(F(lib), fn)(to_lib(lib, xa), to_lib(lib, w)))
    xh = rand_array((2, 3, 5, 5), "float16", seed=1)
    wh = rand_array((2, 3, 3, 3), "float16", seed=2, low=-0.3, high=0.3)
    oracle(
        lambda lib: F(lib).conv2d(to_lib(lib, xh, True), to_lib(lib, wh, True), padding=1),
        rtol=1e-2,
        atol=1e-2,
    )


def test_conv_grad_fn_graph():
    xa, wa = rand_array((1, 2, 4, 4)), rand_array((3, 2, 3, 3))

    def body(lib):
        x = to_lib(lib, xa)
        w = to_lib(lib, wa, requires_grad=True)
        y = F(lib).conv2d(x, w)
        b = to_lib(lib, np.ones(2, np.float32), True)
        yt = F(lib).conv_transpose2d(y, w, b)
        return next_fns(y), next_fns(yt), y

    oracle(body, rtol=1e-5, atol=1e-5)


# --------------------------------------------------------------------------- double backward


@pytest.mark.parametrize(
    "fn, xs, ws, kw",
    [
        ("conv2d", (2, 4, 5, 5), (6, 2, 3, 2), dict(groups=2, padding=1, stride=(1, 2))),
        ("conv2d", (2, 3, 5, 5), (2, 3, 3, 3), dict(padding=1)),
        ("conv1d", (2, 3, 7), (2, 3, 3), dict(stride=2, dilation=2)),
        (
            "conv_transpose2d",
            (2, 4, 4, 3),
            (4, 2, 3, 2),
            dict(stride=2, groups=2, output_padding=1),
        ),
    ],
)
def test_conv_double_backward(fn, xs, ws, kw):
    xa, wa = rand_array(xs, "float64", seed=3), rand_array(ws, "float64", seed=4)
    out_ch = ws[0] if "transpose" not in fn else ws[1] * kw.get("groups", 1)
    ba = rand_array((out_ch,), "float64", seed=5)

    def body(lib):
        x, w = to_lib(lib, xa, True), to_lib(lib, wa, True)
        b = to_lib(lib, ba, True)
        y = getattr(F(lib), fn)(x, w, b, **kw)
        gx, gw, gb = lib.autograd.grad((y * y).sum(), (x, w, b), create_graph=True)
        return gx, gw, gb

    oracle(body, **TOL["float64"])


def test_saved_tensor_checks():
    xa, wa = rand_array((1, 2, 4, 4)), rand_array((3, 2, 3, 3))

    def modified(lib):
        x = to_lib(lib, xa, True).clone()
        y = F(lib).conv2d(x, to_lib(lib, wa, True))
        x.add_(1)
        y.sum().backward()

    def twice(lib):
        out = F(lib).conv2d(to_lib(lib, xa, True), to_lib(lib, wa))
        out.sum().backward()
        out.sum().backward()

    oracle(modified, grads=False)
    oracle(twice, grads=False)


# --------------------------------------------------------------------------- unfold / fold

UNFOLD = [
    ((2, 3, 5, 6), dict(kernel_size=2)),
    ((2, 3, 5, 6), dict(kernel_size=(2, 3), padding=1, stride=(2, 1), dilation=(1, 2))),
    ((3, 4, 4), dict(kernel_size=3, padding=1)),  # unbatched
    ((1, 2, 4, 4), dict(kernel_size=1, stride=2)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(UNFOLD)))
def test_unfold(case, dtype):
    xs, kw = UNFOLD[case]
    xa = rand_array(xs, dtype, seed=case)
    oracle(lambda lib: F(lib).unfold(make(lib, xa, "T", requires_grad=True), **kw), **TOL[dtype])


FOLD = [
    ((2, 12, 20), dict(output_size=(5, 6), kernel_size=2)),
    (
        (2, 12, 12),
        dict(output_size=(5, 6), kernel_size=(2, 3), padding=1, stride=(2, 1), dilation=(1, 2)),
    ),
    ((18, 16), dict(output_size=4, kernel_size=3, padding=1)),  # unbatched
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(FOLD)))
def test_fold(case, dtype):
    xs, kw = FOLD[case]
    xa = rand_array(xs, dtype, seed=case)
    oracle(lambda lib: F(lib).fold(make(lib, xa, "T", requires_grad=True), **kw), **TOL[dtype])


def test_fold_unfold_bool_and_double_backward():
    b = rand_array((2, 3, 4, 4), "bool")
    oracle(lambda lib: F(lib).unfold(to_lib(lib, b), 2))
    oracle(lambda lib: F(lib).fold(F(lib).unfold(to_lib(lib, b), 2), 4, 2))
    xa = rand_array((1, 2, 4, 4), "float64")

    def body(lib):
        x = to_lib(lib, xa, True)
        u = F(lib).unfold(x, 2, padding=1)
        (g,) = lib.autograd.grad((u * u).sum(), x, create_graph=True)
        f = F(lib).fold(u * u, 4, 2, padding=1)
        return g, f

    oracle(body, **TOL["float64"])


# --------------------------------------------------------------------------- errors

_ERRORS = [
    ("conv2d", (5, 5), (8, 4, 3, 3), {}),
    ("conv2d", (1, 2, 4, 5, 5), (8, 4, 3, 3), {}),
    ("conv3d", (4, 5, 5), (8, 4, 1, 3, 3), {}),
    ("conv1d", (5,), (8, 4, 3), {}),
    ("conv2d", (2, 4, 5, 5), (8, 3, 3, 3), {}),
    ("conv2d", (2, 4, 5, 5), (8, 4, 6, 6), {}),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(dilation=3)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3), {}),
    ("conv2d", (2, 4, 5, 5), (8, 4), {}),
    ("conv2d", (2, 4, 5, 5), (7, 2, 3, 3), dict(groups=2)),
    ("conv2d", (2, 4, 5, 5), (2, 1, 3, 3), dict(groups=4)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(groups=0)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(padding=-1)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(stride=0)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(dilation=0)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(padding="same", stride=2)),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(padding="full")),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(stride=(1, 2, 3))),
    ("conv2d", (2, 4, 5, 5), (8, 4, 3, 3), dict(padding=[])),
    ("conv2d", (2, 4, 0, 5), (8, 4, 3, 3), {}),
    ("conv2d", (2, 4, 5, 5), (0, 4, 3, 3), {}),
    ("conv_transpose2d", (2, 4, 5, 5), (3, 3, 3, 3), {}),
    ("conv_transpose2d", (5, 5), (4, 3, 3, 3), {}),
    ("conv_transpose2d", (2, 4, 5, 5), (4, 3, 3, 3), dict(stride=2, output_padding=2)),
    ("conv_transpose1d", (2, 4, 5), (4, 3, 3), dict(stride=2, output_padding=2)),
    ("conv_transpose3d", (1, 4, 1, 5, 5), (4, 3, 3, 3, 3), dict(stride=2, output_padding=2)),
    ("conv_transpose2d", (2, 4, 5, 5), (4, 3, 3, 3), dict(output_padding=-1)),
    ("conv_transpose2d", (2, 4, 5, 5), (4, 3, 3, 3), dict(output_padding=(1, 2, 3))),
    ("conv_transpose2d", (2, 4, 5, 5), (4, 3, 3, 3), dict(groups=3)),
    ("conv_transpose2d", (2, 4, 5, 5), (4, 3, 3, 3), dict(padding="same")),
]


@pytest.mark.parametrize("case", range(len(_ERRORS)))
def test_conv_errors(case):
    fn, xs, ws, kw = _ERRORS[case]
    xa, wa = rand_array(xs), rand_array(ws)
    oracle(lambda lib: getattr(F(lib), fn)(to_lib(lib, xa), to_lib(lib, wa), **kw))


def test_conv_bias_and_dtype_errors():
    xa, wa = rand_array((2, 4, 5, 5)), rand_array((8, 4, 3, 3))
    for bshape in [(7,), (8, 1)]:
        ba = rand_array(bshape)
        oracle(lambda lib, ba=ba: F(lib).conv2d(to_lib(lib, xa), to_lib(lib, wa), to_lib(lib, ba)))
        oracle(
            lambda lib, ba=ba: F(lib).conv_transpose2d(
                to_lib(lib, xa[:, :, :3]), to_lib(lib, wa[:4]), to_lib(lib, ba)
            )
        )
    dts = ["float32", "float64", "int64", "int32"]
    for dx in dts:
        for dw in dts:
            if dx != dw:
                oracle(
                    lambda lib, dx=dx, dw=dw: F(lib).conv2d(
                        to_lib(lib, xa, dtype=dx), to_lib(lib, wa, dtype=dw)
                    )
                )
        oracle(
            lambda lib, dx=dx: F(lib).conv2d(
                to_lib(lib, xa, dtype=dx), to_lib(lib, wa, dtype=dx), to_lib(lib, np.ones(8))
            )
        )
    oracle(lambda lib: F(lib).conv2d(to_lib(lib, xa > 0), to_lib(lib, wa > 0)))
    oracle(
        lambda lib: F(lib).conv_transpose2d(
            to_lib(lib, xa, dtype="int32"), to_lib(lib, wa[:4], dtype="int32")
        )
    )
    xd, wd = xa.astype(np.float64), rand_array((4, 3, 3, 3), "float64")
    oracle(lambda lib: F(lib).conv_transpose2d(to_lib(lib, xd), to_lib(lib, wd), padding=5))
    oracle(
        lambda lib: F(lib).conv_transpose1d(to_lib(lib, xd[0]), to_lib(lib, wd[..., 0]), padding=5)
    )
    oracle(lambda lib: F(lib).conv_transpose2d(to_lib(lib, xd), to_lib(lib, wd), 1))


_MODE_CASES = [
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", "float64", dict(padding="valid")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float64", "float64", "float32", dict(padding="valid")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float64", "float64", "float32", dict(padding="same")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float64", "float32", "float32", dict(padding="same")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float64", "float32", dict(padding="same")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", "float64", dict(padding="same")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(padding="same", dilation=0)),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(padding="same", dilation=-1)),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(padding="same", groups=0)),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(padding="same", groups=2)),
    (
        (2, 4, 5, 5),
        (3, 4, 3, 3),
        "float32",
        "float32",
        None,
        dict(padding="same", stride=(1, 2, 3)),
    ),
    (
        (2, 4, 5, 5),
        (3, 4, 3, 3),
        "float32",
        "float32",
        None,
        dict(padding="same", dilation=(1, 2, 3)),
    ),
    ((2, 4, 5, 5), (3, 4, 3), "float32", "float32", None, dict(padding="same")),
    ((2, 4, 5, 5), (3, 4), "float32", "float32", None, dict(padding="same")),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", "float64", dict(padding="full")),
    ((5, 5), (3, 4, 3, 3), "float32", "float32", "float64", dict(padding="full")),
    ((5, 5), (3, 4, 3, 3), "float32", "float32", "float64", {}),
    (
        (2, 4, 5, 5),
        (3, 4, 3, 3, 3),
        "float32",
        "float32",
        None,
        dict(stride=[1], padding=[0], dilation=[1]),
    ),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", "float64", dict(groups=0, padding=-1)),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(dilation=0, padding=-1)),
    ((2, 4, 5, 5), (3, 4, 3, 3), "float32", "float32", None, dict(dilation=-1, stride=0)),
]


@pytest.mark.parametrize("case", range(len(_MODE_CASES)))
def test_conv_padding_modes_and_check_order(case):
    xs, ws, dx, dw, db, kw = _MODE_CASES[case]
    xa, wa = rand_array(xs, dx), rand_array(ws, dw)
    ba = None if db is None else rand_array(ws[:1], db)

    def body(lib):
        b = None if ba is None else to_lib(lib, ba, True)
        return F(lib).conv2d(to_lib(lib, xa, True), to_lib(lib, wa, True), b, **kw)

    oracle(body, rtol=1e-4, atol=1e-4)


def test_conv_transpose_bias_dtype():
    xa, wa = rand_array((2, 4, 5, 5)), rand_array((4, 3, 3, 3))
    for dx, db in [("float32", "float64"), ("float64", "float32"), ("float64", "int64")]:

        def body(lib, dx=dx, db=db):
            x, w = to_lib(lib, xa, True, dtype=dx), to_lib(lib, wa, True, dtype=dx)
            b = to_lib(lib, np.arange(3), db in ("float32", "float64"), dtype=db)
            return F(lib).conv_transpose2d(x, w, b, stride=2)

        oracle(body, rtol=1e-6, atol=1e-6)


UNFOLD_ERRORS = [
    ((2, 4, 5, 7), dict(kernel_size=9)),
    ((2, 4, 5, 7), dict(kernel_size=0, dilation=0, padding=-1, stride=0)),
    ((2, 4, 5, 7), dict(kernel_size=1, dilation=0, padding=-1, stride=0)),
    ((2, 4, 5, 7), dict(kernel_size=1, padding=-1, stride=0)),
    ((2, 4, 5, 7), dict(kernel_size=1, stride=0)),
    ((2, 4, 5, 7), dict(kernel_size=(1, 2, 3))),
    ((2, 4, 5, 7), dict(kernel_size=2, dilation=(1, 2, 3))),
    ((2, 0, 5, 7), dict(kernel_size=2)),
    ((5, 7), dict(kernel_size=2)),
    ((7,), dict(kernel_size=2)),
    ((1, 2, 4, 5, 7), dict(kernel_size=2)),
]


@pytest.mark.parametrize("case", range(len(UNFOLD_ERRORS)))
def test_unfold_errors(case):
    xs, kw = UNFOLD_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: F(lib).unfold(to_lib(lib, xa), **kw))


FOLD_ERRORS = [
    ((2, 16, 16), dict(output_size=6, kernel_size=2)),
    ((2, 16, 16), dict(output_size=5, kernel_size=3)),
    ((2, 16, 16), dict(output_size=5, kernel_size=0, dilation=0, padding=-1, stride=0)),
    ((2, 16, 16), dict(output_size=5, kernel_size=1, dilation=0, padding=-1, stride=0)),
    ((2, 16, 16), dict(output_size=5, kernel_size=1, dilation=0, padding=-1)),
    ((2, 16, 16), dict(output_size=5, kernel_size=1, padding=-1)),
    ((2, 16, 16), dict(output_size=(5, 6, 7), kernel_size=2)),
    ((2, 16, 16), dict(output_size=1, kernel_size=2)),
    ((16, 16), dict(output_size=1, kernel_size=4)),
    ((2, 16, 0), dict(output_size=5, kernel_size=2)),
    ((16,), dict(output_size=5, kernel_size=2)),
    ((1, 2, 16, 16), dict(output_size=5, kernel_size=2)),
]


@pytest.mark.parametrize("case", range(len(FOLD_ERRORS)))
def test_fold_errors(case):
    xs, kw = FOLD_ERRORS[case]
    xa = rand_array(xs)
    oracle(lambda lib: F(lib).fold(to_lib(lib, xa), **kw))


def test_fold_unfold_integer_errors():
    xa = rand_array((2, 4, 4, 4), "int64")
    oracle(lambda lib: F(lib).unfold(to_lib(lib, xa), 2))
    oracle(lambda lib: F(lib).fold(to_lib(lib, xa[0]), 5, 2))


def test_same_padding_even_kernel_warns():
    C._same_warned = False
    x, w = tl.ones(1, 1, 4, 4), tl.ones(1, 1, 2, 2)
    with pytest.warns(UserWarning, match="padding='same' with even kernel lengths"):
        C.conv2d(x, w, padding="same")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        C.conv2d(x, w, padding="same")  # warned once per process, as torch

    xa, wa = rand_array((2, 2, 5, 6), "float64"), rand_array((3, 2, 2, 4), "float64")

    def body(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x, w = to_lib(lib, xa, True), to_lib(lib, wa, True)
            return F(lib).conv2d(x, w, padding="same", dilation=(1, 2))

    oracle(body, **TOL["float64"])


# --------------------------------------------------------------------------- special values


def test_nonfinite_weights_and_inputs():
    """inf/nan must propagate as in torch (the flat-layout transposed conv must not mix
    them into positions that torch leaves finite)."""
    xa = rand_array((1, 2, 5, 5), "float64")
    wa = rand_array((3, 2, 3, 3), "float64")
    xa[0, 1, 2, 3] = np.inf
    wa[1, 0, 0, 2] = np.nan

    def body(lib):
        x, w = to_lib(lib, xa, True), to_lib(lib, wa, True)
        return F(lib).conv2d(x, w, padding=1)

    oracle(body, **TOL["float64"])


# --------------------------------------------------------------------------- gradcheck (no torch)


def _t(shape, seed):
    a = np.random.default_rng(seed).standard_normal(shape)
    return tl.tensor(a, dtype=tl.float64, requires_grad=True)


@pytest.mark.parametrize(
    "fn, xs, ws, kw",
    [
        ("conv2d", (2, 2, 4, 3), (2, 1, 2, 2), dict(groups=2, padding=1, stride=(2, 1))),
        ("conv2d", (1, 2, 4, 4), (2, 2, 3, 2), dict(padding="same", dilation=(1, 2))),
        ("conv1d", (2, 2, 5), (3, 2, 2), dict(stride=2, padding=1)),
        ("conv3d", (1, 1, 3, 3, 3), (2, 1, 2, 2, 2), dict(padding=(1, 0, 1))),
        (
            "conv_transpose2d",
            (1, 2, 3, 3),
            (2, 1, 2, 2),
            dict(stride=2, output_padding=1, groups=2),
        ),
        ("conv_transpose1d", (2, 2, 4), (2, 2, 3), dict(padding=1, dilation=2)),
    ],
)
def test_gradcheck_conv(fn, xs, ws, kw):
    f = getattr(C, fn)
    out_ch = ws[0] if "transpose" not in fn else ws[1] * kw.get("groups", 1)
    x, w, b = _t(xs, 0), _t(ws, 1), _t((out_ch,), 2)
    fun = lambda x, w, b: f(x, w, b, **kw)  # noqa: E731
    assert gradcheck(fun, (x, w, b))
    assert gradgradcheck(fun, (x, w, b))


def test_gradcheck_unfold_fold():
    x = _t((1, 2, 3, 4), 3)
    assert gradcheck(lambda x: C.unfold(x, 2, padding=1, stride=(1, 2)), (x,))
    c = _t((1, 8, 10), 4)
    assert gradcheck(lambda c: C.fold(c, (3, 4), 2, padding=1, stride=(2, 1)), (c,))
    assert gradgradcheck(lambda c: C.fold(c, (3, 4), 2, padding=1, stride=(2, 1)) ** 2, (c,))
