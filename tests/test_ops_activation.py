"""Activation functions against torch: values, dtypes, shapes, gradients, grad_fn names,
in-place forms, options and errors; float64 finite-difference gradchecks (no torch needed)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from oracle import is_torch, make, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import activation as A
from torchless.autograd import gradcheck, gradgradcheck

TOL = {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}


def F(lib):
    """The functional namespace: torch.nn.functional, or torchless's activation module."""
    return lib.nn.functional if is_torch(lib) else A


# name -> f(F, x); every function of one tensor, with its options
ELEMENTWISE = {
    "relu6": lambda F, x: F.relu6(x),
    "hardtanh": lambda F, x: F.hardtanh(x),
    "hardtanh_range": lambda F, x: F.hardtanh(x, -0.5, 2.0),
    "leaky_relu": lambda F, x: F.leaky_relu(x),
    "leaky_relu_slope": lambda F, x: F.leaky_relu(x, 0.2),
    "elu": lambda F, x: F.elu(x),
    "elu_alpha": lambda F, x: F.elu(x, 0.5),
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x),
    "celu_alpha": lambda F, x: F.celu(x, 2.0),
    "gelu": lambda F, x: F.gelu(x),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "silu": lambda F, x: F.silu(x),
    "mish": lambda F, x: F.mish(x),
    "softplus": lambda F, x: F.softplus(x),
    "softplus_beta": lambda F, x: F.softplus(x, beta=2.0, threshold=1.0),
    "softsign": lambda F, x: F.softsign(x),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "softshrink": lambda F, x: F.softshrink(x),
    "softshrink_lambd": lambda F, x: F.softshrink(x, 1.0),
    "hardshrink": lambda F, x: F.hardshrink(x),
    "hardshrink_lambd": lambda F, x: F.hardshrink(x, 1.0),
    "threshold": lambda F, x: F.threshold(x, 0.5, -1.0),
    "prelu_shared": lambda F, x: F.prelu(x, x.new_tensor([0.25])),
}
ALONG_DIM = {
    "glu": lambda F, x: F.glu(x),
    "glu_dim0": lambda F, x: F.glu(x, 0),
    "softmax": lambda F, x: F.softmax(x, -1),
    "softmax_dim0": lambda F, x: F.softmax(x, 0),
    "log_softmax": lambda F, x: F.log_softmax(x, -1),
    "log_softmax_dim0": lambda F, x: F.log_softmax(x, 0),
    "softmin": lambda F, x: F.softmin(x, -1),
    "softmin_dim0": lambda F, x: F.softmin(x, 0),
}
ALL = {**ELEMENTWISE, **ALONG_DIM}
FLOATS = ["float32", "float64"]
SHAPES = [(), (0,), (5,), (2, 4), (2, 3, 4)]
KINKS = np.array([-20.0, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 20.0, 0.25, -2.5, 10.0])


def _shape_ok(name, shape):
    if name.startswith("glu"):
        dim = 0 if name.endswith("dim0") else -1
        return len(shape) > 0 and shape[dim] % 2 == 0 and shape[dim] > 0
    if name in ALONG_DIM:
        return len(shape) > 0
    return True


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(
    "name,shape", [(n, s) for n in ALL for s in SHAPES if _shape_ok(n, s)], ids=str
)
def test_values_and_grads(name, shape, dtype):
    a = rand_array(shape, dtype, seed=1, low=-4, high=4)
    fn = ALL[name]

    def body(lib):
        return fn(F(lib), to_lib(lib, a, requires_grad=True))

    oracle(body, rtol=TOL[dtype][0], atol=TOL[dtype][1])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_kinks_and_extremes(name, dtype):
    """Values at each function's break points, where the gradient conventions show."""
    fn = ALL[name]

    def body(lib):
        return fn(F(lib), to_lib(lib, KINKS.astype(dtype), requires_grad=True))

    oracle(body, rtol=TOL[dtype][0], atol=TOL[dtype][1])


@pytest.mark.parametrize("name", list(ALL))
def test_float16(name):
    a = rand_array((2, 4), "float16", seed=4)

    def body(lib):
        return fn(F(lib), to_lib(lib, a))

    fn = ALL[name]
    oracle(body, rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("layout", ["T", "step"])
@pytest.mark.parametrize("name", ["gelu", "elu", "softplus", "softmax", "log_softmax", "glu"])
def test_noncontiguous(name, layout):
    a = rand_array((4, 6), "float64", seed=5)
    fn = ALL[name]

    def body(lib):
        return fn(F(lib), make(lib, a, layout, requires_grad=True))

    oracle(body, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", ["int64", "bool", "uint8"])
@pytest.mark.parametrize("name", [n for n in ALL if n != "prelu_shared"])  # prelu: see below
def test_integer_inputs(name, dtype):
    """torch's result or error (NotImplementedError naming the kernel) for non-floats."""
    a = rand_array((2, 4), dtype, seed=6)
    fn = ALL[name]

    def body(lib):
        return fn(F(lib), to_lib(lib, a))

    oracle(body)


def test_special_values():
    a = np.array([np.nan, np.inf, -np.inf, 1e30, -1e30, 1e-30, -0.0, 0.0])

    def body(lib):
        x = to_lib(lib, a)
        f = F(lib)
        return [ALL[n](f, x) for n in ELEMENTWISE] + [f.softmax(x, 0), f.log_softmax(x, 0)]

    oracle(body)


def test_softmax_stability():
    a = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1e4, -999.0], [0.0, -np.inf, 1.0]])
    for dtype in FLOATS:

        def body(lib, dtype=dtype):
            x = to_lib(lib, a.astype(dtype), requires_grad=True)
            f = F(lib)
            return [f.softmax(x, 1), f.log_softmax(x, 1), f.softmin(x, 1)]

        oracle(body, rtol=TOL[dtype][0], atol=TOL[dtype][1])


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_dtype(fn):
    a = rand_array((3, 4), "float32", seed=7)
    i = rand_array((3, 4), "int64", seed=7)

    def body(lib):
        f = getattr(F(lib), fn)
        x = to_lib(lib, a, requires_grad=True)
        return [f(x, 1, dtype=lib.float64), f(to_lib(lib, i), 0, dtype=lib.float32)]

    oracle(body, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("ndim", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_implicit_dim(fn, ndim):
    """dim=None: torch's deprecation warning (pointing at the caller) and its choice of dim."""
    a = rand_array((2,) * ndim, "float64", seed=8)

    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = getattr(F(lib), fn)(to_lib(lib, a, requires_grad=True))
        return [r, [str(m.message) for m in w], [m.filename == __file__ for m in w]]

    oracle(body, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dim", [-3, 2])
def test_softmax_bad_dim(dim):
    a = rand_array((2, 3), "float32")
    oracle(lambda lib: F(lib).softmax(to_lib(lib, a), dim))
    oracle(lambda lib: F(lib).log_softmax(to_lib(lib, a), dim))


# --------------------------------------------------------------------------- in-place

INPLACE = {
    "relu6": lambda F, x: F.relu6(x, inplace=True),
    "hardtanh": lambda F, x: F.hardtanh(x, -0.5, 0.5, inplace=True),
    "hardtanh_": lambda F, x: F.hardtanh_(x, -0.5, 0.5),
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.1, inplace=True),
    "leaky_relu_": lambda F, x: F.leaky_relu_(x, 0.1),
    "leaky_relu_neg": lambda F, x: F.leaky_relu(x, -0.1, inplace=True),
    "elu": lambda F, x: F.elu(x, 0.7, inplace=True),
    "elu_": lambda F, x: F.elu_(x),
    "elu_neg": lambda F, x: F.elu(x, -1.0, inplace=True),
    "selu": lambda F, x: F.selu(x, inplace=True),
    "selu_": lambda F, x: F.selu_(x),
    "celu": lambda F, x: F.celu(x, 2.0, inplace=True),
    "celu_": lambda F, x: F.celu_(x),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x, inplace=True),
    "hardswish": lambda F, x: F.hardswish(x, inplace=True),
    "silu": lambda F, x: F.silu(x, inplace=True),
    "mish": lambda F, x: F.mish(x, inplace=True),
    "threshold": lambda F, x: F.threshold(x, 0.2, 3.0, inplace=True),
    "threshold_": lambda F, x: F.threshold_(x, 0.2, 3.0),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace(name):
    a = rand_array((2, 5), "float64", seed=9)
    fn = INPLACE[name]

    def body(lib):
        x = to_lib(lib, a, requires_grad=True)
        y = x * 1.0
        r = fn(F(lib), y)
        return [r, r is y, y._version > 0]

    oracle(body, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_without_grad_and_on_leaf(name):
    a = rand_array((2, 5), "float32", seed=10)
    fn = INPLACE[name]

    def plain(lib):
        x = to_lib(lib, a)
        r = fn(F(lib), x)
        return [x, r is x]

    def leaf(lib):
        return fn(F(lib), to_lib(lib, a, requires_grad=True))

    oracle(plain, rtol=1e-5, atol=1e-6)
    oracle(leaf)


def test_relu6_inplace_on_int():
    oracle(lambda lib: F(lib).relu6(to_lib(lib, np.array([-3, 2, 9])), inplace=True))


# --------------------------------------------------------------------------- prelu and glu


@pytest.mark.parametrize(
    "xs,ws",
    [((2, 3, 4), (3,)), ((2, 3), (3,)), ((2, 3, 4), (1,)), ((4,), (1,)), ((), (1,)), ((), ())],
    ids=str,
)
def test_prelu(xs, ws):
    a = rand_array(xs, "float64", seed=11)
    w = rand_array(ws, "float64", seed=12, low=0, high=1)

    def body(lib):
        x = to_lib(lib, a, requires_grad=True)
        wt = to_lib(lib, w, requires_grad=True)
        r = F(lib).prelu(x, wt)
        return [r, [None if f is None else f.name() for f, _ in r.grad_fn.next_functions]]

    oracle(body, rtol=1e-10, atol=1e-12)


def test_prelu_errors():
    f = np.zeros((2, 3), np.float32)
    oracle(lambda lib: F(lib).prelu(to_lib(lib, f), to_lib(lib, np.ones(2, np.float32))))
    oracle(lambda lib: F(lib).prelu(to_lib(lib, f), to_lib(lib, np.ones((3, 1), np.float32))))
    oracle(lambda lib: F(lib).prelu(to_lib(lib, f), to_lib(lib, np.ones(3, np.float64))))
    oracle(lambda lib: F(lib).prelu(to_lib(lib, np.float32(1)), to_lib(lib, np.ones(3, "f4"))))
    oracle(lambda lib: F(lib).prelu(to_lib(lib, np.ones(3, "i8")), to_lib(lib, np.ones(1, "i8"))))
    oracle(lambda lib: F(lib).prelu(to_lib(lib, np.ones(3)), to_lib(lib, np.ones(3))))


def test_glu_errors():
    oracle(lambda lib: F(lib).glu(to_lib(lib, np.zeros(3))))
    oracle(lambda lib: F(lib).glu(to_lib(lib, np.zeros(4)), 1))
    oracle(lambda lib: F(lib).glu(to_lib(lib, np.float64(1.0))))
    oracle(lambda lib: F(lib).glu(to_lib(lib, np.zeros((2, 3))), 1))


# --------------------------------------------------------------------------- options and errors


def test_option_errors():
    x = np.linspace(-2, 2, 6)
    oracle(lambda lib: F(lib).hardtanh(to_lib(lib, x), 2.0, 1.0))
    oracle(lambda lib: F(lib).gelu(to_lib(lib, x), approximate="tanhh"))
    oracle(lambda lib: F(lib).celu(to_lib(lib, x), alpha=0.0))
    oracle(lambda lib: F(lib).softshrink(to_lib(lib, x.astype("f4")), -1.0))
    oracle(lambda lib: F(lib).softshrink(to_lib(lib, x), -0.5))
    oracle(lambda lib: F(lib).relu6(to_lib(lib, np.array([True]))))
    oracle(lambda lib: F(lib).hardtanh(to_lib(lib, np.array([True]))))


def test_negative_alpha_and_zero_beta():
    x = np.linspace(-2, 2, 7)
    oracle(lambda lib: F(lib).elu(to_lib(lib, x, requires_grad=True), alpha=-1.5))
    oracle(lambda lib: F(lib).celu(to_lib(lib, x, requires_grad=True), alpha=-1.5))
    oracle(lambda lib: F(lib).leaky_relu(to_lib(lib, x, requires_grad=True), -0.3))
    oracle(lambda lib: F(lib).softplus(to_lib(lib, x, requires_grad=True), beta=-1.0))
    oracle(lambda lib: F(lib).softshrink(to_lib(lib, x, requires_grad=True), 0.0))


def test_erf():
    torch = pytest.importorskip("torch")
    a = np.concatenate(
        [np.linspace(-7, 7, 2001), [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -1e-12, 5.9999]]
    )
    got = A.erf(tl.tensor(a)).numpy()
    want = torch.erf(torch.tensor(a)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-300)
    oracle(lambda lib: (lib.erf if is_torch(lib) else A.erf)(to_lib(lib, a[:50], True)))
    oracle(lambda lib: (lib.erf if is_torch(lib) else A.erf)(to_lib(lib, np.arange(-2, 3))))


# --------------------------------------------------------------------------- autograd

# values away from every function's break points, for finite differences
SMOOTH = np.array([[-2.5, -0.7, 0.3, 1.7], [2.2, -1.3, 0.8, -0.2]])


@pytest.mark.parametrize("name", list(ALL))
def test_gradcheck(name):
    fn = ALL[name]
    x = tl.tensor(SMOOTH, requires_grad=True)
    assert gradcheck(lambda t: fn(A, t), (x,))
    if name == "hardsigmoid":  # as in torch, its gradient has no derivative
        with pytest.raises(RuntimeError, match="hardsigmoid_backward is not implemented"):
            gradgradcheck(lambda t: fn(A, t), (x,))
        return
    assert gradgradcheck(lambda t: fn(A, t), (x,))


def test_gradcheck_two_inputs():
    x = tl.tensor(SMOOTH.reshape(2, 2, 2), requires_grad=True)
    w = tl.tensor([0.3, -0.4], dtype=tl.float64, requires_grad=True)
    assert gradcheck(A.prelu, (x, w))
    assert gradgradcheck(A.prelu, (x, w))
    assert gradcheck(A.erf, (tl.tensor(SMOOTH, requires_grad=True),))
    assert gradgradcheck(A.erf, (tl.tensor(SMOOTH, requires_grad=True),))


@pytest.mark.parametrize("name", list(ALL))
def test_double_backward_against_torch(name):
    """Gradients built with create_graph: values, the gradient op's node name, and the
    second derivatives."""
    fn = ALL[name]

    def body(lib):
        x = to_lib(lib, SMOOTH, requires_grad=True)
        y = fn(F(lib), x)
        w = lib.tensor(np.linspace(-1.5, 2.0, y.numel()).reshape(tuple(y.shape)))
        (g,) = lib.autograd.grad((y * w).sum(), x, create_graph=True)
        return [g, (g * g).sum()]

    oracle(body, rtol=1e-10, atol=1e-12)
