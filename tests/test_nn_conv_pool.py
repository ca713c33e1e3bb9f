"""Convolution and pooling layers against torch: seeded initialisation (bit for bit),
state_dict keys, reprs, forward values, input and parameter gradients, padding modes,
``ConvTranspose`` ``output_size`` and validation errors."""

from __future__ import annotations

import pytest
from oracle import oracle, rand_array, to_lib

import torchless as tl

TOL = {"float32": dict(rtol=1e-4, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-10)}


def _init_state(lib, make):
    """The state_dict of a freshly seeded module: (key, shape, dtype, bytes) per entry."""
    lib.manual_seed(1234)
    m = make(lib)
    out = []
    for k, v in m.state_dict().items():
        a = v.detach().numpy()
        out.append((k, tuple(a.shape), str(a.dtype), a.tobytes()))
    return out, repr(m)


# --------------------------------------------------------------------------- initialisation

CONVS = [
    lambda lib: lib.nn.Conv1d(4, 6, 5),
    lambda lib: lib.nn.Conv1d(4, 6, 3, stride=2, groups=2, bias=False),
    lambda lib: lib.nn.Conv2d(3, 8, 3, padding=1),
    lambda lib: lib.nn.Conv2d(4, 8, (3, 2), stride=(2, 1), dilation=(1, 2), groups=4),
    lambda lib: lib.nn.Conv2d(3, 5, 4, padding="same", padding_mode="reflect"),
    lambda lib: lib.nn.Conv2d(3, 5, 3, padding="valid", padding_mode="circular", bias=False),
    lambda lib: lib.nn.Conv3d(2, 4, (1, 2, 3), padding=(0, 1, 1), padding_mode="replicate"),
    lambda lib: lib.nn.Conv3d(2, 4, 2, dtype=lib.float64),
    lambda lib: lib.nn.ConvTranspose1d(3, 5, 4, stride=3, padding=1, output_padding=2),
    lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2, dilation=2),
    lambda lib: lib.nn.ConvTranspose2d(3, 2, (2, 3), bias=False),
    lambda lib: lib.nn.ConvTranspose3d(2, 3, 2, dtype=lib.float64),
]


@pytest.mark.parametrize("case", range(len(CONVS)))
def test_conv_init_state_dict_and_repr(case):
    torch = pytest.importorskip("torch")
    t_state, t_repr = _init_state(torch, CONVS[case])
    l_state, l_repr = _init_state(tl, CONVS[case])
    assert [s[:3] for s in l_state] == [s[:3] for s in t_state]
    assert [s[3] for s in l_state] == [s[3] for s in t_state]  # bit-identical values
    assert l_repr == t_repr


def test_conv_attributes():
    m = tl.nn.Conv2d(3, 6, 3, stride=2, padding=1, groups=3)
    assert m.kernel_size == (3, 3) and m.stride == (2, 2) and m.padding == (1, 1)
    assert m.dilation == (1, 1) and m.output_padding == (0, 0) and not m.transposed
    assert m._reversed_padding_repeated_twice == (1, 1, 1, 1)
    assert tuple(m.weight.shape) == (6, 1, 3, 3) and m.weight.requires_grad
    t = tl.nn.ConvTranspose2d(4, 6, 3, groups=2)
    assert tuple(t.weight.shape) == (4, 3, 3, 3) and t.transposed
    s = tl.nn.Conv2d(2, 2, (4, 3), padding="same", dilation=(1, 2))
    assert s._reversed_padding_repeated_twice == [2, 2, 1, 2]
    assert [n for n, _ in s.named_parameters()] == ["weight", "bias"]


def _container(lib, *mods):
    c = lib.nn.Module()
    for i, m in enumerate(mods):
        c.add_module(str(i), m)
    return c


def test_network_repr():
    def body(lib):
        nn = lib.nn
        mods = [
            nn.Conv2d(1, 8, 3, padding=1),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, stride=2, bias=False),
            nn.AvgPool2d(2, stride=1, padding=1),
            nn.AdaptiveAvgPool2d((None, 3)),
            nn.AdaptiveMaxPool2d(1, return_indices=True),
            nn.ConvTranspose2d(16, 8, 2, stride=2),
            nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True),
            nn.AvgPool1d(3),
            nn.AdaptiveAvgPool1d(4),
            nn.AdaptiveMaxPool1d(2),
            nn.LPPool1d(2, 3),
            nn.LPPool2d(1.5, (2, 3), stride=1, ceil_mode=True),
            nn.Upsample(scale_factor=2),
            nn.Upsample(size=(4, 5), mode="bilinear", align_corners=True),
            nn.UpsamplingNearest2d(scale_factor=(2, 3)),
            nn.UpsamplingBilinear2d(size=7),
        ]
        if hasattr(nn, "Sequential"):
            seq = repr(nn.Sequential(*mods))
        else:
            seq = None
        return repr(_container(lib, *mods)), seq, [m.extra_repr() for m in mods]

    oracle(body, grads=False)


# --------------------------------------------------------------------------- forward


def _module_run(make, xshape, dtype="float64", unbatched=False, fwd_kwargs=None):
    xa = rand_array(xshape, dtype, seed=len(xshape))

    def body(lib):
        lib.manual_seed(7)
        m = make(lib)
        if dtype == "float64":
            m = m.double()
        x = to_lib(lib, xa, requires_grad=True)
        out = m(x, **(fwd_kwargs or {}))
        w = to_lib(lib, rand_array(tuple(out.shape), dtype, seed=3))
        (out * w).sum().backward()
        grads = [p.grad for p in m.parameters()]
        return out, x.grad, grads

    return oracle(body, grads=False, **TOL[dtype])


CONV_FWD = [
    (lambda lib: lib.nn.Conv1d(4, 6, 3, stride=2, groups=2), (2, 4, 9)),
    (lambda lib: lib.nn.Conv1d(4, 6, 4, padding="same", dilation=2), (2, 4, 9)),
    (lambda lib: lib.nn.Conv2d(3, 4, 3, padding=1), (2, 3, 6, 5)),
    (lambda lib: lib.nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding="valid"), (2, 3, 7, 6)),
    (lambda lib: lib.nn.Conv2d(3, 4, 3, padding=1, bias=False), (3, 6, 5)),  # unbatched
    (lambda lib: lib.nn.Conv3d(2, 3, (2, 3, 2), padding=(1, 0, 1)), (2, 2, 4, 5, 4)),
    (
        lambda lib: lib.nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1),
        (2, 4, 5),
    ),
    (lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2, dilation=2), (2, 4, 4, 3)),
    (lambda lib: lib.nn.ConvTranspose3d(2, 3, 2, stride=(1, 2, 1)), (1, 2, 3, 3, 2)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(CONV_FWD)))
def test_conv_forward_backward(case, dtype):
    make, xshape = CONV_FWD[case]
    _module_run(make, xshape, dtype)


PAD_MODES = [
    (lambda lib: lib.nn.Conv1d(2, 3, 3, padding=2, padding_mode="reflect"), (2, 2, 6)),
    (lambda lib: lib.nn.Conv1d(2, 3, 4, padding="same", padding_mode="circular"), (2, 2, 6)),
    (lambda lib: lib.nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="replicate"), (2, 2, 5, 4)),
    (lambda lib: lib.nn.Conv2d(2, 3, 3, padding=1, padding_mode="circular", stride=2), (2, 5, 6)),
    (
        lambda lib: lib.nn.Conv2d(2, 4, 4, padding="same", padding_mode="reflect", groups=2),
        (1, 2, 6, 6),
    ),
    (lambda lib: lib.nn.Conv3d(2, 2, 3, padding=1, padding_mode="replicate"), (1, 2, 3, 4, 3)),
]


@pytest.mark.parametrize("case", range(len(PAD_MODES)))
def test_conv_padding_modes(case):
    make, xshape = PAD_MODES[case]
    _module_run(make, xshape)


@pytest.mark.parametrize(
    "xshape, size",
    [
        ((1, 4, 5, 5), [10, 10]),
        ((1, 4, 5, 5), [9, 10]),
        ((4, 5, 5), [6, 10, 10]),
        ((1, 4, 5, 5), [1, 6, 10, 9]),
        ((1, 4, 5, 5), [11, 11]),
        ((4, 5, 5), [1, 6, 10, 10]),
        ((1, 4, 5, 5), [10]),
    ],
)
def test_conv_transpose_output_size(xshape, size):
    def make(lib):
        return lib.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1)

    _module_run(make, xshape, fwd_kwargs=dict(output_size=size))


def test_conv_transpose_output_size_1d_3d():
    _module_run(
        lambda lib: lib.nn.ConvTranspose1d(2, 3, 3, stride=3),
        (2, 2, 4),
        fwd_kwargs={"output_size": [12]},
    )
    _module_run(
        lambda lib: lib.nn.ConvTranspose3d(2, 1, 2, stride=2, dilation=(1, 2, 1)),
        (1, 2, 2, 3, 2),
        fwd_kwargs={"output_size": (5, 7, 5)},
    )


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.nn.Conv2d(2, 3, 3, groups=0),
        lambda lib: lib.nn.Conv2d(3, 4, 3, groups=2),
        lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2),
        lambda lib: lib.nn.Conv1d(4, 4, 3, padding="same", stride=2),
        lambda lib: lib.nn.Conv3d(4, 4, 3, padding="same", stride=(1, 2, 1)),
        lambda lib: lib.nn.ConvTranspose1d(2, 3, 3, padding_mode="reflect"),
        lambda lib: lib.nn.ConvTranspose3d(2, 3, 3, padding_mode="circular"),
        lambda lib: lib.nn.Conv2d(4, 4, 3)(lib.zeros(1, 3, 6, 6)),
        lambda lib: lib.nn.Conv2d(4, 4, 3)(lib.zeros(4, 6)),
        lambda lib: lib.nn.Conv1d(4, 4, 3, padding=5, padding_mode="reflect")(lib.zeros(1, 4, 3)),
        lambda lib: lib.nn.ConvTranspose2d(2, 3, 3, stride=2)(lib.zeros(1, 2, 4, 4), [12, 12]),
    ],
)
def test_conv_errors(make):
    oracle(make, grads=False)


def test_conv_errors_with_sets():
    # torch formats a set in these messages: its order depends on the hash seed
    oracle(
        lambda lib: lib.nn.Conv2d(4, 4, 3, padding="foo"),
        grads=False,
        match=r"^Invalid padding string 'foo', should be one of \{'\w+', '\w+'\}",
    )
    oracle(
        lambda lib: lib.nn.Conv2d(4, 4, 3, padding_mode="zero"),
        grads=False,
        match=r"^padding_mode must be one of \{.*\}, but got padding_mode='zero'$",
    )


# --------------------------------------------------------------------------- pooling

POOLS = [
    (lambda lib: lib.nn.MaxPool1d(3, stride=2, padding=1), (2, 3, 9)),
    (lambda lib: lib.nn.MaxPool1d(2, return_indices=True, ceil_mode=True), (2, 3, 7)),
    (lambda lib: lib.nn.MaxPool2d(2), (2, 3, 6, 6)),
    (
        lambda lib: lib.nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2)),
        (2, 3, 7, 8),
    ),
    (lambda lib: lib.nn.MaxPool2d(3, 2, return_indices=True, ceil_mode=True), (3, 7, 7)),
    (lambda lib: lib.nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), (2, 3, 8)),
    (lambda lib: lib.nn.AvgPool1d(2, ceil_mode=True), (3, 7)),
    (lambda lib: lib.nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 7, 6)),
    (lambda lib: lib.nn.AvgPool2d((2, 3), ceil_mode=True, count_include_pad=False), (2, 3, 7, 8)),
    (lambda lib: lib.nn.AvgPool2d(2, divisor_override=3), (1, 2, 4, 4)),
    (lambda lib: lib.nn.AdaptiveAvgPool1d(4), (2, 3, 10)),
    (lambda lib: lib.nn.AdaptiveAvgPool2d((3, None)), (2, 3, 7, 5)),
    (lambda lib: lib.nn.AdaptiveAvgPool2d(1), (2, 3, 7, 5)),
    (lambda lib: lib.nn.AdaptiveMaxPool1d(3, return_indices=True), (2, 3, 10)),
    (lambda lib: lib.nn.AdaptiveMaxPool2d((2, 3)), (2, 3, 7, 5)),
    (lambda lib: lib.nn.AdaptiveMaxPool2d(4, return_indices=True), (3, 9, 9)),
    (lambda lib: lib.nn.LPPool1d(2, 3, stride=2), (2, 3, 9)),
    (lambda lib: lib.nn.LPPool2d(3, (2, 3)), (2, 3, 6, 7)),
    (lambda lib: lib.nn.LPPool2d(float("inf"), 2, ceil_mode=True), (2, 3, 5, 5)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(POOLS)))
def test_pooling_modules(case, dtype):
    make, xshape = POOLS[case]
    xa = rand_array(xshape, dtype, seed=case, low=0.1 if case in (16, 17) else -3.0)

    def body(lib):
        m = make(lib)
        x = to_lib(lib, xa, requires_grad=True)
        return m(x), repr(m), m.state_dict()

    oracle(body, **TOL[dtype])


def test_pooling_attributes():
    def body(lib):
        nn = lib.nn
        mods = [
            nn.MaxPool2d(2),
            nn.MaxPool1d(3, stride=1),
            nn.AvgPool1d(2),
            nn.AvgPool2d((2, 3)),
            nn.LPPool2d(2, 3),
            nn.AdaptiveMaxPool2d((2, None)),
        ]
        return [
            {k: v for k, v in vars(m).items() if not k.startswith("_") and k != "training"}
            for m in mods
        ]

    oracle(body, grads=False)


def test_pooling_errors():
    for make in (
        lambda lib: lib.nn.MaxPool2d(4)(lib.zeros(1, 2, 3, 3)),
        lambda lib: lib.nn.AvgPool1d(2, padding=2)(lib.zeros(1, 2, 6)),
        lambda lib: lib.nn.AdaptiveAvgPool2d((2, 2, 2))(lib.zeros(1, 2, 3, 3)),
    ):
        oracle(make, grads=False)


@pytest.mark.parametrize("ch", [1, 3])
def test_small_cnn_training_step(ch):
    """A conv/pool/upsample network: output and every parameter gradient as torch."""
    xa = rand_array((2, ch, 8, 8), "float32", seed=5)

    def body(lib):
        nn = lib.nn
        lib.manual_seed(0)
        layers = [
            nn.Conv2d(ch, 4, 3, padding=1),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 6, 3, padding="same", padding_mode="reflect"),
            nn.AvgPool2d(2),
            nn.Upsample(scale_factor=2, mode="bilinear"),
            nn.ConvTranspose2d(6, 2, 2, stride=2),
            nn.AdaptiveAvgPool2d(3),
        ]
        x = to_lib(lib, xa)
        for m in layers:
            x = m(x)
        loss = (x * x).mean()
        loss.backward()
        return loss, [p.grad for m in layers for p in m.parameters()]

    oracle(body, grads=False, rtol=1e-4, atol=1e-6)


def test_exported_from_nn():
    from torchless.nn.modules import conv, pooling, upsampling

    for mod in (conv, pooling, upsampling):
        for name in mod.__all__:
            assert getattr(tl.nn, name) is getattr(mod, name)
            assert name in tl.nn.__all__
