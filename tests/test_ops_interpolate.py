"""interpolate and the Upsample layers against torch: every mode and align_corners, sizes and
(non-integer) scale factors, recompute_scale_factor, torch's nearest-index quirks, dtypes,
layouts, gradients, grad_fn names, double backward and errors; float64 finite-difference
gradchecks that need no torch."""

from __future__ import annotations

import types

import numpy as np
import pytest
from oracle import is_torch, make, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import interpolate as I
from torchless.autograd import gradcheck, gradgradcheck

_OURS = types.SimpleNamespace(**{name: getattr(I, name) for name in I.__all__})


def F(lib):
    """The functional namespace of ``lib``: torch.nn.functional or our interpolate module."""
    return lib.nn.functional if is_torch(lib) else _OURS


TOL = {
    "float16": dict(rtol=1e-2, atol=1e-2),
    "float32": dict(rtol=1e-4, atol=1e-5),
    "float64": dict(rtol=1e-10, atol=1e-10),
}


def _interp(xa, kw, dtype="float64", layout="contig", grad=True):
    def body(lib):
        x = make(lib, xa, layout, requires_grad=grad)
        return F(lib).interpolate(x, **kw)

    return oracle(body, **TOL[dtype])


MODES = {
    1: [("nearest", None), ("nearest-exact", None), ("linear", False), ("linear", True)],
    2: [
        ("nearest", None),
        ("nearest-exact", None),
        ("bilinear", False),
        ("bilinear", True),
        ("bicubic", False),
        ("bicubic", True),
    ],
    3: [("nearest", None), ("nearest-exact", None), ("trilinear", False), ("trilinear", True)],
}
RESIZE = [
    dict(scale_factor=2),
    dict(scale_factor=0.5),
    dict(scale_factor=1.7),
    dict(scale_factor=2.3),  # output exactly twice the input for size 3: torch's 2x quirk
    dict(scale_factor=0.73, recompute_scale_factor=True),
    dict(scale_factor=1.2),  # same output size as input, scale != 1
    dict(size=1),
    dict(size=7),
]
SPATIAL = {1: (3, 5), 2: (3, 4), 3: (3, 2, 4)}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("resize", range(len(RESIZE)))
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_interpolate_modes(nd, resize, dtype):
    xa = rand_array((2, 3) + SPATIAL[nd], dtype, seed=nd * 10 + resize)
    for mode, ac in MODES[nd]:
        _interp(xa, dict(RESIZE[resize], mode=mode, align_corners=ac), dtype)


@pytest.mark.parametrize(
    "shape, kw",
    [
        ((1, 2, 5, 6), dict(size=(9, 4))),
        ((1, 2, 5, 6), dict(scale_factor=(1.5, 0.6))),
        ((1, 2, 5, 6), dict(scale_factor=[3.3, 2.01], recompute_scale_factor=False)),
        ((1, 2, 3, 4, 5), dict(size=(4, 2, 7))),
        ((2, 1, 7), dict(size=[3])),
        ((1, 1, 2, 2), dict(scale_factor=0.5)),  # down to 1x1
    ],
)
def test_interpolate_per_dim_sizes(shape, kw):
    xa = rand_array(shape, "float64", seed=1)
    nd = len(shape) - 2
    for mode, ac in MODES[nd]:
        _interp(xa, dict(kw, mode=mode, align_corners=ac))


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("channels", [1, 5])
def test_interpolate_large_outputs(mode, channels):
    # outputs with H_out + W_out > 128 run torch's general kernel, whose nearest indices
    # differ from the small-output (vectorised) one at exactly twice the size
    xa = rand_array((1, channels, 33, 40), "float32", seed=channels)
    ac = None if "nearest" in mode else False
    for s in (2.01, 2.3, 1.0):
        _interp(xa, dict(scale_factor=s, mode=mode, align_corners=ac), "float32")


@pytest.mark.parametrize("layout", ["T", "step"])
def test_interpolate_noncontiguous(layout):
    xa = rand_array((4, 5, 3, 4), "float64", seed=2)
    for mode, ac in MODES[2]:
        _interp(xa, dict(scale_factor=1.6, mode=mode, align_corners=ac), layout=layout)


def test_interpolate_channels_last_3d():
    # a channels-last (N, C, D, H, W) tensor with C > 3 runs torch's vectorised kernel
    base = rand_array((1, 3, 2, 3, 5), "float64", seed=4)

    def body(lib):
        leaf = to_lib(lib, base, requires_grad=True)
        x = leaf.permute(0, 4, 1, 2, 3)
        return [F(lib).interpolate(x, scale_factor=s, mode=m) for s in (2.2, 1.3) for m in
                ("nearest", "nearest-exact")]  # fmt: skip

    oracle(body)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
def test_interpolate_float16(mode):
    xa = rand_array((1, 2, 4, 5), "float16", seed=3)
    ac = None if "nearest" in mode else True
    _interp(xa, dict(scale_factor=1.5, mode=mode, align_corners=ac), "float16")


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_interpolate_uint8_nearest(nd):
    xa = rand_array((1, 2) + SPATIAL[nd], "uint8", seed=5, low=0, high=255)
    for mode in ("nearest", "nearest-exact"):
        _interp(xa, dict(scale_factor=1.7, mode=mode), grad=False)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_interpolate_area(nd):
    xa = rand_array((2, 3) + SPATIAL[nd], "float64", seed=6)
    for kw in (dict(size=2), dict(size=1), dict(scale_factor=1.5), dict(scale_factor=0.6)):
        _interp(xa, dict(kw, mode="area"))
    if nd == 3:
        _interp(xa, dict(size=(2, 1, 3), mode="area"))


def test_interpolate_empty_batch():
    xa = np.zeros((0, 2, 3, 4))
    for mode, ac in MODES[2]:
        _interp(xa, dict(size=(5, 2), mode=mode, align_corners=ac), grad=False)


def test_interpolate_double_backward():
    xa = rand_array((1, 2, 3, 4), "float64", seed=7)
    for mode, ac in MODES[2] + [("area", None)]:
        out_shape = (1, 2, 6, 9) if mode != "area" else (1, 2, 2, 3)
        va = rand_array(out_shape, "float64", seed=8)

        def body(lib, mode=mode, ac=ac, va=va, out_shape=out_shape):
            x = to_lib(lib, xa, requires_grad=True)
            v = to_lib(lib, va, requires_grad=True)
            y = F(lib).interpolate(x, size=out_shape[2:], mode=mode, align_corners=ac)
            (g,) = lib.autograd.grad(y, x, v, create_graph=True)
            return y, g

        oracle(body)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_nearest_backward_index_quirk(mode):
    # size 3 -> 6 with scale_factor 2.3: torch's forward picks floor(i / 2.3) but its
    # backward scatters to i // 2, and its double backward is the forward again
    xa = np.arange(3.0).reshape(1, 1, 3)

    def body(lib):
        x = to_lib(lib, xa, requires_grad=True)
        v = to_lib(lib, np.arange(1.0, 7.0).reshape(1, 1, 6), requires_grad=True)
        y = F(lib).interpolate(x, scale_factor=2.3, mode=mode)
        (g,) = lib.autograd.grad(y, x, v, create_graph=True)
        return y, g

    oracle(body, exact=True)


def test_backward_keeps_no_input():
    # torch's upsample nodes keep only sizes: a second backward works, and modifying the
    # input in place after the op is no error
    def body(lib):
        x = to_lib(lib, np.ones((1, 1, 2, 3)), requires_grad=True)
        y = F(lib).interpolate(x, scale_factor=1.5, mode="bicubic")
        s = y.sum()
        s.backward()
        s.backward()
        z = x * 1
        y2 = F(lib).interpolate(z, size=(3, 4), mode="nearest")
        with lib.no_grad():
            z.add_(1)
        y2.sum().backward()
        return x.grad

    oracle(body, grads=False)


# --------------------------------------------------------------------------- gradcheck


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_gradcheck(nd):
    x = tl.tensor(rand_array((1, 2) + (3,) * nd, "float64", seed=9), requires_grad=True)
    for mode, ac in MODES[nd] + [("area", None)]:
        for kw in (dict(scale_factor=1.7), dict(size=2)):
            assert gradcheck(
                lambda t, kw=kw, m=mode, ac=ac: I.interpolate(t, mode=m, align_corners=ac, **kw),
                [x],
            )


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_gradgradcheck(mode):
    x = tl.tensor(rand_array((1, 1, 3, 2), "float64", seed=10), requires_grad=True)
    ac = None if mode == "nearest" else False
    assert gradgradcheck(
        lambda t: I.interpolate(t, scale_factor=1.5, mode=mode, align_corners=ac), [x]
    )


# --------------------------------------------------------------------------- errors

ERRORS = [
    ((1, 2, 0), dict(size=5)),
    ((1, 0, 3), dict(size=5)),
    ((1, 0, 3), dict(size=5, mode="linear")),
    ((1, 2, 3), dict(size=0, mode="linear")),
    ((1, 2, 3, 3, 0), dict(size=5)),
    ((1, 0, 3, 3, 3), dict(size=5)),
    ((1, 2, 0, 3), dict(size=5, mode="bicubic")),
    ((1, 0, 3, 3), dict(size=5, mode="bilinear")),
    ((2, 3, 4, 5), dict(size=[5, -1])),
    ((1, 0, 3, 3, 3), dict(size=5, mode="area")),
    ((1, 2, 3, 3, 0), dict(size=5, mode="area")),
    ((2, 3), dict(size=5)),
    ((2, 3, 4), dict(size=5, mode="bilinear")),
    ((2, 3, 4), dict(size=5, mode="trilinear")),
    ((2, 3, 4, 5), dict(size=5, mode="linear")),
    ((2, 3, 4, 5), dict(size=5, mode="trilinear")),
    ((2, 3, 4, 5, 6), dict(size=5, mode="linear")),
    ((2, 3, 4, 5, 6), dict(size=5, mode="bilinear")),
    ((2, 3, 4, 5, 6), dict(size=5, mode="bicubic")),
    ((2, 3, 4), dict(size=5, mode="foo")),
    ((2, 3, 4, 5), dict(size=5, mode="nearest", align_corners=True)),
    ((2, 3, 4, 5), dict(size=5, mode="area", align_corners=False)),
    ((2, 3, 4, 5), dict(size=(5, 5, 5))),
    ((2, 3, 4, 5), dict(size=(5.0, 5))),
    ((2, 3, 4, 5), dict(scale_factor=(2.0,))),
    ((2, 3, 4, 5), dict(size=5, scale_factor=2)),
    ((2, 3, 4, 5), dict()),
    ((2, 3, 4, 5), dict(size=5, recompute_scale_factor=True)),
    ((2, 3, 4, 5), dict(size=5, antialias=True)),
    ((2, 3, 4, 5, 2), dict(size=5, mode="trilinear", antialias=True)),
    ((2, 3, 4, 5), dict(scale_factor=float("nan"))),
    ((2, 3, 4, 5), dict(scale_factor=float("inf"), mode="bilinear")),
    ((2, 3, 4, 5), dict(scale_factor=-1.0)),
    ((2, 3, 4, 5), dict(size=5, mode="lanczos")),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_interpolate_errors(case):
    shape, kw = ERRORS[case]
    xa = np.zeros(shape, np.float32)
    _interp(xa, kw, "float32", grad=False)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "bool"])
def test_interpolate_dtype_errors(dtype):
    for nd in (1, 2, 3):
        xa = rand_array((1, 2) + SPATIAL[nd], dtype, seed=1)
        for mode, ac in MODES[nd] + [("area", None)]:
            _interp(xa, dict(size=4, mode=mode, align_corners=ac), grad=False)


def test_interpolate_unsupported_in_torchless():
    x = tl.zeros(1, 2, 3, 3)
    with pytest.raises(NotImplementedError, match="antialias"):
        I.interpolate(x, size=5, mode="bilinear", antialias=True)
    with pytest.raises(NotImplementedError, match="uint8"):
        I.interpolate(x.to(tl.uint8), size=5, mode="bilinear")


def test_deprecated_upsample_functions():
    xa = rand_array((1, 2, 3, 3), "float64", seed=11)
    for name, kw in (
        ("upsample", dict(scale_factor=2, mode="bilinear")),
        ("upsample_nearest", dict(size=5)),
        ("upsample_bilinear", dict(scale_factor=1.5)),
    ):

        def body(lib, name=name, kw=kw):
            x = to_lib(lib, xa, requires_grad=True)
            with pytest.warns(UserWarning) as rec:
                out = getattr(F(lib), name)(x, **kw)
            return out, [str(r.message) for r in rec]

        oracle(body)


# --------------------------------------------------------------------------- modules

UPSAMPLE = [
    lambda nn: nn.Upsample(scale_factor=2),
    lambda nn: nn.Upsample(scale_factor=(2, 1.5), mode="bilinear"),
    lambda nn: nn.Upsample(size=(5, 3), mode="bicubic", align_corners=True),
    lambda nn: nn.Upsample(size=4, mode="nearest-exact"),
    lambda nn: nn.Upsample(scale_factor=0.6, mode="area"),
    lambda nn: nn.Upsample(scale_factor=1.4, mode="bilinear", recompute_scale_factor=True),
    lambda nn: nn.UpsamplingNearest2d(scale_factor=3),
    lambda nn: nn.UpsamplingNearest2d(size=(2, 7)),
    lambda nn: nn.UpsamplingBilinear2d(scale_factor=2),
    lambda nn: nn.UpsamplingBilinear2d(size=5),
    lambda nn: nn.Upsample(scale_factor=0),  # stored as None
]


@pytest.mark.parametrize("case", range(len(UPSAMPLE)))
def test_upsample_modules(case):
    xa = rand_array((2, 3, 4, 5), "float32", seed=case)

    def body(lib):
        m = UPSAMPLE[case](lib.nn)
        attrs = [m.name, m.size, m.scale_factor, m.mode, m.align_corners]
        x = to_lib(lib, xa, requires_grad=True)
        return m(x), repr(m), attrs, m.state_dict(), m.recompute_scale_factor

    oracle(body, **TOL["float32"])


def test_upsample_1d_3d_modules():
    def body(lib):
        nn = lib.nn
        x1 = to_lib(lib, rand_array((1, 2, 5), "float64", seed=1), requires_grad=True)
        x3 = to_lib(lib, rand_array((1, 2, 2, 3, 2), "float64", seed=2), requires_grad=True)
        return (
            nn.Upsample(scale_factor=2.5, mode="linear")(x1),
            nn.Upsample(size=(3, 4, 5), mode="trilinear", align_corners=True)(x3),
            nn.Upsample(scale_factor=(1.5, 2, 1), mode="nearest")(x3),
        )

    oracle(body, **TOL["float64"])
