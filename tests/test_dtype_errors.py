"""Ops given bool, integer or float16 operands: torch's result or torch's error (its type
and message), never a NumPy error from inside an op."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.oracle import oracle, to_lib

DTYPES = ["bool", "int64", "int32", "float16"]


def _t(lib, values, dtype):
    return to_lib(lib, np.asarray(values), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", ["cross", "linalg.cross"])
def test_cross(fn, dtype):
    def body(lib):
        a, b = _t(lib, [[1, 0, 1]], dtype), _t(lib, [[0, 1, 1]], dtype)
        if fn == "cross":
            return lib.cross(a, b, dim=1)
        return lib.linalg.cross(a, b, dim=1)

    oracle(body)


def test_cross_shape_error_before_dtype():
    def body(lib):
        return lib.cross(_t(lib, [[1, 0]], "bool"), _t(lib, [[0, 1]], "bool"), dim=1)

    oracle(body)


@pytest.mark.parametrize("dtype", ["bool", "int64", "float16"])
@pytest.mark.parametrize("steps", [0, 1, 2, 5])
def test_linspace(dtype, steps):
    oracle(lambda lib: lib.linspace(0, 1, steps, dtype=getattr(lib, dtype)))


_PAIR = {
    "mse_loss": {},
    "smooth_l1_loss": {},
    "huber_loss": {},
    "binary_cross_entropy": {},
    "binary_cross_entropy_with_logits": {},
    "soft_margin_loss": {},
    "kl_div": {"reduction": "sum"},
}


@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", sorted(_PAIR))
def test_pair_losses(fn, dtype, reduction):
    def body(lib):
        x, y = _t(lib, [1, 0, 1, 1], dtype), _t(lib, [0, 1, 1, 0], dtype)
        kw = dict(_PAIR[fn])
        kw.setdefault("reduction", reduction)
        return getattr(lib.nn.functional, fn)(x, y, **kw)

    oracle(body, grads=False)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", sorted(_PAIR))
@pytest.mark.parametrize("which", ["input", "target"])
def test_pair_losses_mixed(fn, dtype, which):
    """One operand float32, the other of ``dtype``."""

    def body(lib):
        a = to_lib(lib, [0.25, 0.75, 0.5, 1.0], dtype="float32")
        b = _t(lib, [1, 0, 1, 1], dtype)
        x, y = (b, a) if which == "input" else (a, b)
        kw = _PAIR[fn]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(lib.nn.functional, fn)(x, y, **kw)

    oracle(body, grads=False)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_with_logits_result_in_target_dtype(dtype):
    def body(lib):
        x = to_lib(lib, [0.3, -1.2, 2.0], dtype=dtype, requires_grad=True)
        y = to_lib(lib, [1.0, 0.0, 0.5], dtype="float16")
        return lib.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="none")

    oracle(body)


@pytest.mark.parametrize("dtype", DTYPES)
def test_soft_margin_result_in_input_dtype(dtype):
    def body(lib):
        x = to_lib(lib, [0.3, -1.2, 2.0], dtype="float16")
        y = _t(lib, [1, -1, 1], dtype) if dtype != "bool" else _t(lib, [1, 0, 1], dtype)
        return lib.nn.functional.soft_margin_loss(x, y)

    oracle(body, grads=False)


@pytest.mark.parametrize("dtype", DTYPES + ["uint8", "int16", "int8"])
def test_gaussian_nll_loss(dtype):
    def body(lib):
        x, y = to_lib(lib, [1.0, 2.0, 0.5]), to_lib(lib, [0.0, 2.5, 1.0])
        return lib.nn.functional.gaussian_nll_loss(x, y, _t(lib, [1, 1, 1], dtype))

    oracle(body, grads=False)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_nll_loss_integral_input(dtype):
    def body(lib):
        x, y = _t(lib, [1, 0, 1], dtype), _t(lib, [0, 1, 1], dtype)
        return lib.nn.functional.gaussian_nll_loss(x, y, to_lib(lib, [1.0, 2.0, 1.0]))

    oracle(body, grads=False)


@pytest.mark.parametrize("dtype", DTYPES)
def test_multi_margin_loss(dtype):
    def body(lib):
        x = _t(lib, [[1, 2, 0], [0, 1, 3]], dtype)
        return lib.nn.functional.multi_margin_loss(x, to_lib(lib, [0, 2]))

    oracle(body, grads=False)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_margin_ranking_loss(dtype, reduction):
    def body(lib):
        a, b = _t(lib, [1, 0, 1, 1], dtype), _t(lib, [0, 1, 1, 0], dtype)
        y = _t(lib, [1, -1, 1, -1], dtype) if dtype != "bool" else _t(lib, [1, 0, 1, 0], dtype)
        return lib.nn.functional.margin_ranking_loss(a, b, y, margin=2, reduction=reduction)

    oracle(body, grads=False)


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("dtype", DTYPES)
def test_triplet_margin_loss(dtype, p, swap, reduction):
    def body(lib):
        a = _t(lib, [[1, 2, 0], [0, 1, 3]], dtype)
        pos = _t(lib, [[0, 1, 3], [1, 2, 0]], dtype)
        neg = _t(lib, [[1, 1, 1], [0, 0, 1]], dtype)
        return lib.nn.functional.triplet_margin_loss(
            a, pos, neg, p=p, swap=swap, reduction=reduction
        )

    oracle(body, grads=False, rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------
# recurrent ops

_CELLS = {
    "rnn_tanh_cell": 1,
    "rnn_relu_cell": 1,
    "gru_cell": 3,
    "lstm_cell": 4,
}


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", sorted(_CELLS))
def test_cells(fn, dtype, bias):
    g = _CELLS[fn] * 3

    def body(lib):
        rng = np.random.default_rng(0)

        def arr(*shape):
            return _t(lib, rng.integers(-1, 2, shape), dtype)

        x, h = arr(2, 4), arr(2, 3)
        hx = (h, arr(2, 3)) if fn == "lstm_cell" else h
        w = [arr(g, 4), arr(g, 3)] + ([arr(g), arr(g)] if bias else [])
        return getattr(lib, fn)(x, hx, *w)

    oracle(body, grads=False)


_LAYERS = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}


@pytest.mark.parametrize("shape", [(5, 2, 1), (1, 2, 1), (1, 2, 2)])  # (T, B, layers)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", sorted(_LAYERS))
def test_layers(fn, dtype, shape):
    steps, batch, layers = shape
    g = _LAYERS[fn] * 3

    def body(lib):
        rng = np.random.default_rng(1)

        def arr(*s):
            return _t(lib, rng.integers(-1, 2, s), dtype)

        x, h0 = arr(steps, batch, 4), arr(layers, batch, 3)
        params = []
        for k in range(layers):
            params += [arr(g, 4 if k == 0 else 3), arr(g, 3), arr(g), arr(g)]
        hx = (h0, arr(layers, batch, 3)) if fn == "lstm" else h0
        return getattr(lib, fn)(x, hx, params, True, layers, 0.0, False, False, False)

    oracle(body, grads=False, rtol=1e-3, atol=1e-3)
