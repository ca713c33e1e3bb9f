"""F.ctc_loss and nn.CTCLoss against torch: values, gradients, grad_fn names, errors;
a float64 gradcheck through log_softmax (no torch needed)."""

from __future__ import annotations

import numpy as np
import pytest

import torchless
from tests.oracle import oracle, to_lib
from torchless.autograd import gradcheck

T, N, C, S = 10, 4, 6, 5
IL = [10, 8, 3, 6]  # sample 2 cannot fit its 4 labels (one repeated) in 3 steps
TL = [5, 3, 4, 0]

rng = np.random.default_rng(0)
LOGITS = {dt: rng.standard_normal((T, N, C)).astype(dt) for dt in ("float32", "float64")}
PADDED = rng.integers(1, C, (N, S))
PADDED[0, :3] = 2  # repeated labels
PADDED[1, 1] = PADDED[1, 0]
CONCAT = np.concatenate([PADDED[n, : TL[n]] for n in range(N)])

TOL = {"float32": {"rtol": 1e-5, "atol": 1e-6}, "float64": {"rtol": 1e-10, "atol": 1e-12}}


def _log_probs(lib, dt, shape=None):
    x = to_lib(lib, LOGITS[dt] if shape is None else LOGITS[dt][shape], requires_grad=True)
    return x.log_softmax(-1)


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("layout", ["padded", "concat"])
def test_ctc_loss(dt, reduction, zero_infinity, layout):
    def body(lib):
        targets = to_lib(lib, PADDED if layout == "padded" else CONCAT)
        return lib.nn.functional.ctc_loss(
            _log_probs(lib, dt),
            targets,
            to_lib(lib, IL),
            to_lib(lib, TL),
            reduction=reduction,
            zero_infinity=zero_infinity,
        )

    oracle(body, **TOL[dt])


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_blank_not_zero_tuple_lengths(dt, reduction):
    targets = np.where(PADDED == 3, 0, PADDED)

    def body(lib):
        return lib.nn.functional.ctc_loss(
            _log_probs(lib, dt),
            to_lib(lib, targets),
            tuple(IL),
            list(TL),
            blank=3,
            reduction=reduction,
        )

    oracle(body, **TOL[dt])


def test_impossible_alignment_gives_inf_and_nan_grads():
    def body(lib):
        return lib.nn.functional.ctc_loss(
            _log_probs(lib, "float64"),
            to_lib(lib, PADDED),
            (2, 8, 3, 0),
            (5, 3, 4, 2),
            reduction="none",
        )

    out = oracle(body, **TOL["float64"])
    assert np.isinf(out.detach().numpy()[[0, 2, 3]]).all()


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_unbatched(dt):
    def body(lib):
        lp = _log_probs(lib, dt, (slice(None), 0))
        t = to_lib(lib, PADDED[0, :4])
        a = lib.nn.functional.ctc_loss(lp, t, to_lib(lib, 9), to_lib(lib, 4), reduction="none")
        b = lib.nn.functional.ctc_loss(lp, t[None], (10,), (3,))
        return a, b

    oracle(body, **TOL[dt])


def test_int32_targets_and_lengths_zero_input_length():
    def body(lib):
        i32 = lib.int32
        return lib.nn.functional.ctc_loss(
            _log_probs(lib, "float64"),
            to_lib(lib, PADDED).to(i32),
            to_lib(lib, [10, 0, 0, 6]).to(i32),
            to_lib(lib, [5, 0, 2, 0]).to(i32),
            reduction="none",
        )

    oracle(body, **TOL["float64"])


@pytest.mark.parametrize("kw", [{}, {"blank": 5, "reduction": "sum", "zero_infinity": True}])
def test_module(kw):
    def body(lib):
        loss = lib.nn.CTCLoss(**kw)
        targets = np.where(PADDED == 5, 1, PADDED)
        out = loss(_log_probs(lib, "float32"), to_lib(lib, targets), to_lib(lib, IL), TL)
        return repr(loss), out

    oracle(body, **TOL["float32"])


def test_double_backward_not_implemented():
    def body(lib):
        lp = _log_probs(lib, "float64")
        out = lib.nn.functional.ctc_loss(lp, to_lib(lib, PADDED), IL, TL)
        (g,) = lib.autograd.grad(out, lp, create_graph=True)
        g.sum().backward()

    oracle(body, grads=False)


def _call(lib, lp=None, targets=None, il=(10, 8, 3, 6), tl=(5, 3, 4, 0), **kw):
    lp = _log_probs(lib, "float32") if lp is None else lp(lib)
    targets = to_lib(lib, PADDED) if targets is None else targets(lib)
    il = il(lib) if callable(il) else il
    tl = tl(lib) if callable(tl) else tl
    return lib.nn.functional.ctc_loss(lp, targets, il, tl, **kw)


ERRORS = {
    "blank_high": dict(blank=6),
    "blank_negative": dict(blank=-1),
    "blank_bool": dict(blank=True),
    "blank_float": dict(blank=1.0),
    "zero_infinity_int": dict(zero_infinity=1),
    "reduction": dict(reduction="foo"),
    "il_size": dict(il=(10, 8, 3)),
    "tl_size": dict(tl=(5, 3)),
    "il_high": dict(il=(11, 8, 3, 6)),
    "il_negative": dict(il=(-1, 8, 3, 6)),
    "tl_negative": dict(tl=(5, -1, 4, 0)),
    "tl_over_padded": dict(tl=(6, 3, 4, 0)),
    "concat_size": dict(targets=lambda lib: to_lib(lib, CONCAT[:-1]), tl=(5, 3, 4, 0)),
    "targets_3d": dict(targets=lambda lib: to_lib(lib, PADDED[None])),
    "targets_0d": dict(targets=lambda lib: to_lib(lib, 1)),
    "int_lengths": dict(il=10, tl=5),
    "mixed_lengths": dict(il=lambda lib: to_lib(lib, IL)),
    "float_in_tuple": dict(il=(10, 8.0, 3, 6)),
    "none_lengths": dict(il=None),
    "float_tensor_lengths": dict(
        il=lambda lib: to_lib(lib, np.array(IL, float)), tl=lambda lib: to_lib(lib, TL)
    ),
    "bool_tensor_lengths": dict(
        il=lambda lib: to_lib(lib, IL), tl=lambda lib: to_lib(lib, np.ones(4, bool))
    ),
    "half": dict(lp=lambda lib: _log_probs(lib, "float32").half()),
    "int_log_probs": dict(lp=lambda lib: to_lib(lib, np.zeros((T, N, C), np.int64))),
    "log_probs_1d": dict(lp=lambda lib: _log_probs(lib, "float32")[0, 0]),
    "log_probs_0d": dict(lp=lambda lib: _log_probs(lib, "float32")[0, 0, 0]),
    "log_probs_4d": dict(lp=lambda lib: _log_probs(lib, "float32")[None]),
    "empty": dict(lp=lambda lib: to_lib(lib, np.zeros((0, N, C), np.float32)), il=(0,) * 4),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors(case):
    oracle(lambda lib: _call(lib, **ERRORS[case]), grads=False)


def test_gradcheck():
    r = np.random.default_rng(3)
    x = torchless.tensor(r.standard_normal((5, 2, 4)), requires_grad=True)
    targets = torchless.tensor([[1, 1, 2], [3, 2, 0]])

    def fn(x):
        lp = x.log_softmax(2)
        return torchless.nn.functional.ctc_loss(lp, targets, (5, 4), (3, 2), reduction="none")

    assert gradcheck(fn, [x])
    assert torchless.autograd.gradcheck(fn, (x,))
