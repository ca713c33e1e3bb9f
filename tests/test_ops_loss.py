"""Loss functions against torch: values, dtypes, shapes, gradients of every differentiable
input, grad_fn names, every option and reduction, the legacy size_average/reduce
arguments, errors; float64 finite-difference gradchecks (no torch needed)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from oracle import is_torch, oracle, to_lib

import torchless as tl
from torchless._ops import loss as L
from torchless.autograd import gradcheck, gradgradcheck

TOL = {"float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}
REDUCTIONS = ["none", "mean", "sum"]
FLOATS = ["float32", "float64"]

_rng = np.random.default_rng(0)
X = _rng.standard_normal((4, 5)) * 2  # logits / predictions
Y = _rng.standard_normal((4, 5))  # regression targets
P = _rng.random((4, 5))
P /= P.sum(1, keepdims=True)  # class probabilities
U = _rng.uniform(0.05, 0.95, (4, 5))  # probabilities for binary losses
T = np.array([1, 0, 4, 2])  # class indices
W = _rng.uniform(0.2, 1.5, 5)  # class weights
S = np.sign(_rng.random((4, 5)) - 0.4)  # +-1 labels
X3 = _rng.standard_normal((2, 5, 3))
T3 = _rng.integers(0, 5, (2, 3))
X4 = _rng.standard_normal((2, 5, 3, 2))
T4 = _rng.integers(0, 5, (2, 3, 2))
X5 = _rng.standard_normal((2, 5, 2, 2, 2))
T5 = _rng.integers(0, 5, (2, 2, 2, 2))


def F(lib):
    """The functional namespace: torch.nn.functional, or torchless's loss module."""
    return lib.nn.functional if is_torch(lib) else L


def leaf(lib, a, dt, grad=True):
    return to_lib(lib, np.asarray(a).astype(dt), requires_grad=grad)


def const(lib, a, dt=None):
    return to_lib(lib, a if dt is None else np.asarray(a).astype(dt))


# name -> body(F, lib, dt, reduction)
CASES = {
    "cross_entropy": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt), const(lib, T), reduction=r
    ),
    "cross_entropy_weight_ignore": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt), const(lib, T), weight=const(lib, W, dt), ignore_index=0, reduction=r
    ),
    "cross_entropy_probs": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt), leaf(lib, P, dt), reduction=r
    ),
    "cross_entropy_probs_weight_smoothing": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt),
        leaf(lib, P, dt),
        weight=const(lib, W, dt),
        label_smoothing=0.2,
        reduction=r,
    ),
    "cross_entropy_smoothing": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt), const(lib, T), label_smoothing=0.15, reduction=r
    ),
    "cross_entropy_smoothing_weight_ignore": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X, dt),
        const(lib, T),
        weight=const(lib, W, dt),
        ignore_index=4,
        label_smoothing=0.3,
        reduction=r,
    ),
    "cross_entropy_3d": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X3, dt), const(lib, T3), reduction=r
    ),
    "cross_entropy_4d_smoothing": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X4, dt),
        const(lib, T4),
        label_smoothing=0.1,
        weight=const(lib, W, dt),
        reduction=r,
    ),
    "cross_entropy_5d": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X5, dt), const(lib, T5), ignore_index=3, reduction=r
    ),
    "cross_entropy_unbatched": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X[0], dt), const(lib, np.int64(3)), reduction=r
    ),
    "cross_entropy_unbatched_probs": lambda F, lib, dt, r: F.cross_entropy(
        leaf(lib, X[0], dt), leaf(lib, P[0], dt), reduction=r
    ),
    "nll_loss": lambda F, lib, dt, r: F.nll_loss(leaf(lib, X, dt), const(lib, T), reduction=r),
    "nll_loss_weight_ignore": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X, dt), const(lib, T), weight=const(lib, W, dt), ignore_index=2, reduction=r
    ),
    "nll_loss_byte_target": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X, dt), const(lib, T.astype(np.uint8)), reduction=r
    ),
    "nll_loss_4d_weight": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X4, dt), const(lib, T4), weight=const(lib, W, dt), reduction=r
    ),
    "nll_loss_3d_ignore": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X3, dt), const(lib, T3), ignore_index=1, reduction=r
    ),
    "nll_loss_unbatched": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X[1], dt), const(lib, np.int64(0)), reduction=r
    ),
    "nll_loss_unbatched_1d_target": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X[1], dt), const(lib, np.array([2])), reduction=r
    ),
    "nll_loss_all_ignored": lambda F, lib, dt, r: F.nll_loss(
        leaf(lib, X, dt), const(lib, np.full(4, -100)), reduction=r
    ),
    "l1_loss": lambda F, lib, dt, r: F.l1_loss(leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r),
    "l1_loss_weight": lambda F, lib, dt, r: F.l1_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), weight=const(lib, U, dt), reduction=r
    ),
    "smooth_l1_loss": lambda F, lib, dt, r: F.smooth_l1_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r
    ),
    "smooth_l1_loss_beta": lambda F, lib, dt, r: F.smooth_l1_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r, beta=0.5
    ),
    "smooth_l1_loss_beta0": lambda F, lib, dt, r: F.smooth_l1_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r, beta=0.0
    ),
    "huber_loss": lambda F, lib, dt, r: F.huber_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r
    ),
    "huber_loss_delta_weight": lambda F, lib, dt, r: F.huber_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), reduction=r, delta=0.7, weight=const(lib, U, dt)
    ),
    "binary_cross_entropy": lambda F, lib, dt, r: F.binary_cross_entropy(
        leaf(lib, U, dt), leaf(lib, P, dt), reduction=r
    ),
    "binary_cross_entropy_weight": lambda F, lib, dt, r: F.binary_cross_entropy(
        leaf(lib, U, dt), leaf(lib, P, dt), weight=const(lib, W, dt), reduction=r
    ),
    "binary_cross_entropy_with_logits": lambda F, lib, dt, r: F.binary_cross_entropy_with_logits(
        leaf(lib, X, dt), leaf(lib, U, dt), reduction=r
    ),
    "binary_cross_entropy_with_logits_weights": lambda F, lib, dt, r: (
        F.binary_cross_entropy_with_logits(
            leaf(lib, X, dt),
            leaf(lib, U, dt),
            weight=const(lib, U[0], dt),
            pos_weight=const(lib, W * 2, dt),
            reduction=r,
        )
    ),
    "kl_div": lambda F, lib, dt, r: F.kl_div(
        leaf(lib, X, dt), leaf(lib, P, dt), reduction=r if r != "mean" else "batchmean"
    ),
    "kl_div_log_target": lambda F, lib, dt, r: F.kl_div(
        leaf(lib, X, dt),
        leaf(lib, Y, dt),
        reduction=r if r != "mean" else "batchmean",
        log_target=True,
    ),
    "poisson_nll_loss": lambda F, lib, dt, r: F.poisson_nll_loss(
        leaf(lib, X, dt), leaf(lib, P * 4, dt), reduction=r
    ),
    "poisson_nll_loss_full": lambda F, lib, dt, r: F.poisson_nll_loss(
        leaf(lib, U, dt),
        leaf(lib, P * 9, dt),
        log_input=False,
        full=True,
        eps=1e-4,
        reduction=r,
    ),
    "gaussian_nll_loss": lambda F, lib, dt, r: F.gaussian_nll_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U, dt), reduction=r
    ),
    "gaussian_nll_loss_full_var_one_short": lambda F, lib, dt, r: F.gaussian_nll_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U[:, 0], dt), full=True, reduction=r
    ),
    "gaussian_nll_loss_var_broadcast_float": lambda F, lib, dt, r: [
        F.gaussian_nll_loss(leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U[:1], dt), reduction=r),
        F.gaussian_nll_loss(leaf(lib, X, dt), leaf(lib, Y, dt), 0.7, reduction=r),
    ],
    "gaussian_nll_loss_clamped_var": lambda F, lib, dt, r: F.gaussian_nll_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U * (U > 0.5), dt), eps=0.01, reduction=r
    ),
    "cosine_embedding_loss": lambda F, lib, dt, r: F.cosine_embedding_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), const(lib, np.array([1, -1, 1, -1])), reduction=r
    ),
    "cosine_embedding_loss_margin_1d": lambda F, lib, dt, r: F.cosine_embedding_loss(
        leaf(lib, X[0], dt),
        leaf(lib, Y[0], dt),
        const(lib, np.float32(-1)),
        margin=-0.3,
        reduction=r,
    ),
    "margin_ranking_loss": lambda F, lib, dt, r: F.margin_ranking_loss(
        leaf(lib, X[0], dt), leaf(lib, Y[0], dt), leaf(lib, S[0], dt), margin=0.2, reduction=r
    ),
    "hinge_embedding_loss": lambda F, lib, dt, r: F.hinge_embedding_loss(
        leaf(lib, X, dt), const(lib, S), reduction=r
    ),
    "hinge_embedding_loss_margin": lambda F, lib, dt, r: F.hinge_embedding_loss(
        leaf(lib, X, dt), const(lib, S, dt), margin=2.5, reduction=r
    ),
    "soft_margin_loss": lambda F, lib, dt, r: F.soft_margin_loss(
        leaf(lib, X, dt), const(lib, S, dt), reduction=r
    ),
    "multilabel_soft_margin_loss": lambda F, lib, dt, r: F.multilabel_soft_margin_loss(
        leaf(lib, X, dt), leaf(lib, (P > 0.2).astype(dt), dt), reduction=r
    ),
    "multilabel_soft_margin_loss_weight": lambda F, lib, dt, r: F.multilabel_soft_margin_loss(
        leaf(lib, X, dt), leaf(lib, U, dt), weight=leaf(lib, W, dt), reduction=r
    ),
    "multi_margin_loss": lambda F, lib, dt, r: F.multi_margin_loss(
        leaf(lib, X, dt), const(lib, T), reduction=r
    ),
    "multi_margin_loss_p2_weight": lambda F, lib, dt, r: F.multi_margin_loss(
        leaf(lib, X, dt), const(lib, T), p=2, margin=0.5, weight=const(lib, W, dt), reduction=r
    ),
    "multi_margin_loss_unbatched": lambda F, lib, dt, r: [
        F.multi_margin_loss(leaf(lib, X[0], dt), const(lib, np.int64(3)), reduction=r),
        F.multi_margin_loss(leaf(lib, X[0], dt), const(lib, np.array([3])), reduction=r),
    ],
    "triplet_margin_loss": lambda F, lib, dt, r: F.triplet_margin_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U, dt), reduction=r
    ),
    "triplet_margin_loss_p1_swap": lambda F, lib, dt, r: F.triplet_margin_loss(
        leaf(lib, X, dt),
        leaf(lib, Y, dt),
        leaf(lib, U, dt),
        p=1,
        swap=True,
        margin=0.5,
        reduction=r,
    ),
    "triplet_margin_loss_p3_eps": lambda F, lib, dt, r: F.triplet_margin_loss(
        leaf(lib, X, dt), leaf(lib, Y, dt), leaf(lib, U, dt), p=3, eps=1e-3, reduction=r
    ),
    "triplet_margin_loss_inf_3d": lambda F, lib, dt, r: F.triplet_margin_loss(
        leaf(lib, X3, dt),
        leaf(lib, X3[::-1].copy(), dt),
        leaf(lib, X3 * 0.5, dt),
        p=float("inf"),
        reduction=r,
    ),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(CASES))
def test_values_and_grads(name, reduction, dtype):
    case = CASES[name]

    def body(lib):
        return case(F(lib), lib, dtype, reduction)

    oracle(body, rtol=TOL[dtype][0], atol=TOL[dtype][1])


# gradients whose top node names differ from torch's (values are still compared): torch's
# norm backward and its sum over broadcast dims end in a view; torchless's engine records
# SumToSizeBackward0 and the p-norm gradient ends in an add
NAMES_DIFFER = {
    "triplet_margin_loss_p1_swap",
    "triplet_margin_loss_inf_3d",
    "multilabel_soft_margin_loss_weight",
}


@pytest.mark.parametrize("name", list(CASES))
def test_double_backward_against_torch(name):
    """Gradients built with create_graph: values, node names, second derivatives."""
    case = CASES[name]

    def body(lib):
        from oracle import _LEAVES

        out = case(F(lib), lib, "float64", "sum")
        outs = out if isinstance(out, list) else [out]
        xs = [t for t in _LEAVES if t.requires_grad]
        total = sum((o * (1.0 + 0.1 * i)).sum() for i, o in enumerate(outs))
        gs = lib.autograd.grad(total, xs, create_graph=True, allow_unused=True)
        live = [g for g in gs if g is not None and g.requires_grad]
        names = None if name in NAMES_DIFFER else [g.grad_fn.name() for g in live]
        try:
            second = lib.autograd.grad(sum((g * g).sum() for g in live), xs, allow_unused=True)
        except RuntimeError as e:
            second = str(e)
        else:  # materialize torch's zero tensors
            second = [None if z is None else z + lib.zeros_like(z) for z in second]
        return [[g.detach() for g in live], names, second]

    oracle(body, rtol=1e-9, atol=1e-11, grads=False)


def test_cross_entropy_empty_batch():
    def body(lib):
        x = leaf(lib, np.zeros((0, 5)), "float32")
        t = const(lib, np.zeros(0, np.int64))
        f = F(lib)
        return [
            f.cross_entropy(x, t),
            f.cross_entropy(x, t, reduction="sum"),
            f.cross_entropy(x, t, reduction="none"),
            f.cross_entropy(x, leaf(lib, np.zeros((0, 5)), "float32")),
            f.nll_loss(
                leaf(lib, np.zeros((2, 3, 0)), "float32"), const(lib, np.zeros((2, 0), "i8"))
            ),
        ]

    oracle(body)


def test_cross_entropy_float16_and_promotion():
    def body(lib):
        f = F(lib)
        x = leaf(lib, X, "float32")
        return [
            f.cross_entropy(x, const(lib, P, "float64")),
            f.l1_loss(x, const(lib, Y, "float64")),
            f.smooth_l1_loss(x, const(lib, np.arange(5))),
            f.binary_cross_entropy_with_logits(x, const(lib, U, "float64")),
            f.kl_div(x, const(lib, P, "float64"), reduction="sum"),
        ]

    oracle(body, rtol=1e-5, atol=1e-6)


def test_nll_loss_next_functions():
    def body(lib):
        x = leaf(lib, X, "float32")
        y = F(lib).nll_loss(x, const(lib, T))
        z = F(lib).cross_entropy(x, const(lib, T))
        return [
            [(f and f.name(), n) for f, n in y.grad_fn.next_functions],
            z.grad_fn.next_functions,
        ]

    oracle(body)


# --------------------------------------------------------------------------- legacy arguments

LEGACY = [
    dict(size_average=False),
    dict(reduce=False),
    dict(size_average=True, reduce=True),
    dict(size_average=False, reduce=True),
]
LEGACY_LOSSES = {
    "nll_loss": lambda F, lib, kw: F.nll_loss(leaf(lib, X, "f8"), const(lib, T), **kw),
    "cross_entropy": lambda F, lib, kw: F.cross_entropy(leaf(lib, X, "f8"), const(lib, T), **kw),
    "l1_loss": lambda F, lib, kw: F.l1_loss(leaf(lib, X, "f8"), const(lib, Y), **kw),
    "smooth_l1_loss": lambda F, lib, kw: F.smooth_l1_loss(leaf(lib, X, "f8"), const(lib, Y), **kw),
    "binary_cross_entropy": lambda F, lib, kw: F.binary_cross_entropy(
        leaf(lib, U, "f8"), const(lib, P), **kw
    ),
    "binary_cross_entropy_with_logits": lambda F, lib, kw: F.binary_cross_entropy_with_logits(
        leaf(lib, X, "f8"), const(lib, U), **kw
    ),
    "kl_div": lambda F, lib, kw: F.kl_div(leaf(lib, X, "f8"), const(lib, P), **kw),
    "poisson_nll_loss": lambda F, lib, kw: F.poisson_nll_loss(
        leaf(lib, X, "f8"), const(lib, P), **kw
    ),
    "margin_ranking_loss": lambda F, lib, kw: F.margin_ranking_loss(
        leaf(lib, X[0], "f8"), const(lib, Y[0]), const(lib, S[0]), **kw
    ),
    "hinge_embedding_loss": lambda F, lib, kw: F.hinge_embedding_loss(
        leaf(lib, X, "f8"), const(lib, S), **kw
    ),
    "soft_margin_loss": lambda F, lib, kw: F.soft_margin_loss(
        leaf(lib, X, "f8"), const(lib, S), **kw
    ),
    "multilabel_soft_margin_loss": lambda F, lib, kw: F.multilabel_soft_margin_loss(
        leaf(lib, X, "f8"), const(lib, P), **kw
    ),
    "cosine_embedding_loss": lambda F, lib, kw: F.cosine_embedding_loss(
        leaf(lib, X, "f8"), const(lib, Y), const(lib, np.array([1, -1, 1, 1])), **kw
    ),
    "multi_margin_loss": lambda F, lib, kw: F.multi_margin_loss(
        leaf(lib, X, "f8"), const(lib, T), **kw
    ),
    "triplet_margin_loss": lambda F, lib, kw: F.triplet_margin_loss(
        leaf(lib, X, "f8"), const(lib, Y), const(lib, U), **kw
    ),
}


@pytest.mark.parametrize("kw", LEGACY, ids=str)
@pytest.mark.parametrize("name", list(LEGACY_LOSSES))
def test_legacy_size_average_reduce(name, kw):
    """The deprecated arguments choose the reduction and warn, as in torch."""
    case = LEGACY_LOSSES[name]

    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = case(F(lib), lib, kw)
        return [r, [str(m.message) for m in w]]

    oracle(body, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(LEGACY_LOSSES))
def test_invalid_reduction(name):
    case = LEGACY_LOSSES[name]
    oracle(lambda lib: case(F(lib), lib, dict(reduction="average")))


def test_invalid_reduction_python_losses():
    def f(lib):
        return F(lib)

    oracle(
        lambda lib: f(lib).gaussian_nll_loss(
            leaf(lib, X, "f8"), const(lib, Y), const(lib, U), reduction="x"
        )
    )
    oracle(lambda lib: f(lib).huber_loss(leaf(lib, X, "f8"), const(lib, Y), reduction="x"))
    oracle(
        lambda lib: f(lib).huber_loss(
            leaf(lib, X, "f8"), const(lib, Y), reduction="x", weight=const(lib, U)
        )
    )
    oracle(
        lambda lib: f(lib).l1_loss(
            leaf(lib, X, "f8"), const(lib, Y), reduction="x", weight=const(lib, U)
        )
    )


def test_kl_div_mean_warns():
    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = F(lib).kl_div(leaf(lib, X, "f8"), const(lib, P))
        return [r, [str(m.message) for m in w], [m.filename == __file__ for m in w]]

    oracle(body, rtol=1e-10, atol=1e-12)


def test_size_mismatch_warning():
    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            f = F(lib)
            x = leaf(lib, X, "f8")
            r = [
                f.l1_loss(x, const(lib, Y[:1])),
                f.smooth_l1_loss(x, const(lib, Y[:, :1]), reduction="none"),
                f.huber_loss(x, const(lib, Y[0])),
            ]
        return [r, [str(m.message) for m in w], [m.filename == __file__ for m in w]]

    oracle(body, rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- errors

ERRORS = {
    "nll_target_out_of_bounds": lambda F, lib: F.nll_loss(
        const(lib, X), const(lib, np.array([1, 0, 5, 2]))
    ),
    "nll_negative_target": lambda F, lib: F.nll_loss(
        const(lib, X), const(lib, np.array([1, -1, 2, 2]))
    ),
    "nll_4d_out_of_bounds": lambda F, lib: F.nll_loss(const(lib, X4), const(lib, T4 + 5)),
    "ce_out_of_bounds_smoothing": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, np.array([1, 0, 7, 2])), label_smoothing=0.1
    ),
    "nll_batch_mismatch": lambda F, lib: F.nll_loss(const(lib, X), const(lib, T[:3])),
    "nll_target_0d_batched": lambda F, lib: F.nll_loss(const(lib, X), const(lib, np.int64(1))),
    "nll_float_target": lambda F, lib: F.nll_loss(const(lib, X), const(lib, T, "float32")),
    "nll_int32_target": lambda F, lib: F.nll_loss(const(lib, X), const(lib, T, "int32")),
    "nll_weight_size": lambda F, lib: F.nll_loss(const(lib, X), const(lib, T), const(lib, W[:3])),
    "nll_weight_dtype": lambda F, lib: F.nll_loss(
        const(lib, X, "float32"), const(lib, T), const(lib, W, "float64")
    ),
    "nll_0d_input": lambda F, lib: F.nll_loss(const(lib, np.float32(1)), const(lib, np.int64(0))),
    "nll_2d_target": lambda F, lib: F.nll_loss(const(lib, X), const(lib, np.zeros((4, 2), "i8"))),
    "nll_unbatched_long_target": lambda F, lib: F.nll_loss(
        const(lib, X[0]), const(lib, np.array([1, 2]))
    ),
    "nll_4d_target_dims": lambda F, lib: F.nll_loss(const(lib, X4), const(lib, T4[:, 0])),
    "nll_4d_size_mismatch": lambda F, lib: F.nll_loss(const(lib, X4), const(lib, T4[:, :2])),
    "nll_4d_weight": lambda F, lib: F.nll_loss(const(lib, X4), const(lib, T4), const(lib, W[:2])),
    "nll_3d_target_size": lambda F, lib: F.nll_loss(const(lib, X3), const(lib, T3[:, :2])),
    "nll_weight_requires_grad": lambda F, lib: F.nll_loss(
        const(lib, X), const(lib, T), weight=leaf(lib, W, "float64")
    ),
    "ce_probs_int_target": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, np.zeros((4, 5), "i8"))
    ),
    "ce_probs_ignore_index": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, P), ignore_index=1
    ),
    "ce_probs_weight": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, P), weight=const(lib, W[:3])
    ),
    "ce_smoothing_too_big": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, T), label_smoothing=1.5
    ),
    "ce_probs_smoothing_too_big": lambda F, lib: F.cross_entropy(
        const(lib, X), const(lib, P), label_smoothing=2.0
    ),
    "ce_0d": lambda F, lib: F.cross_entropy(const(lib, np.float32(1)), const(lib, np.int64(0))),
    "ce_multi_target": lambda F, lib: F.cross_entropy(const(lib, X), const(lib, P[:, :4])),
    "l1_broadcast": lambda F, lib: F.l1_loss(const(lib, X), const(lib, Y[:3]), reduction="sum"),
    "l1_weight_shape": lambda F, lib: F.l1_loss(
        const(lib, X), const(lib, Y), weight=const(lib, W)
    ),
    "smooth_l1_negative_beta": lambda F, lib: F.smooth_l1_loss(
        const(lib, X), const(lib, Y), beta=-1.0
    ),
    "huber_zero_delta": lambda F, lib: F.huber_loss(const(lib, X), const(lib, Y), delta=0.0),
    "huber_weight_shape": lambda F, lib: F.huber_loss(
        const(lib, X), const(lib, Y), weight=const(lib, W)
    ),
    "bce_size": lambda F, lib: F.binary_cross_entropy(const(lib, U), const(lib, P[:, :4])),
    "bce_input_range": lambda F, lib: F.binary_cross_entropy(const(lib, X), const(lib, P)),
    "bce_target_range": lambda F, lib: F.binary_cross_entropy(const(lib, U), const(lib, X)),
    "bce_dtype": lambda F, lib: F.binary_cross_entropy(
        const(lib, U, "float32"), const(lib, P, "float64")
    ),
    "bce_weight_broadcast": lambda F, lib: F.binary_cross_entropy(
        const(lib, U[0]), const(lib, P[0]), weight=const(lib, U)
    ),
    "bce_weight_requires_grad": lambda F, lib: F.binary_cross_entropy(
        const(lib, U), const(lib, P), weight=leaf(lib, W, "float64")
    ),
    "bce_logits_size": lambda F, lib: F.binary_cross_entropy_with_logits(
        const(lib, X), const(lib, P[:, :4])
    ),
    "bce_logits_pos_weight": lambda F, lib: F.binary_cross_entropy_with_logits(
        const(lib, X), const(lib, P), pos_weight=const(lib, W[:3])
    ),
    "bce_logits_weight_broadcast": lambda F, lib: F.binary_cross_entropy_with_logits(
        const(lib, X[0]), const(lib, P[0]), weight=const(lib, U)
    ),
    "bce_logits_pos_weight_grad": lambda F, lib: F.binary_cross_entropy_with_logits(
        const(lib, X), const(lib, P), pos_weight=leaf(lib, W, "float64")
    ),
    "bce_logits_weight_grad": lambda F, lib: F.binary_cross_entropy_with_logits(
        const(lib, X), const(lib, P), weight=leaf(lib, W, "float64")
    ),
    "kl_div_bad_reduction": lambda F, lib: F.kl_div(const(lib, X), const(lib, P), reduction="x"),
    "gaussian_var_size": lambda F, lib: F.gaussian_nll_loss(
        const(lib, X), const(lib, Y), const(lib, U[:, :3])
    ),
    "gaussian_var_negative": lambda F, lib: F.gaussian_nll_loss(
        const(lib, X), const(lib, Y), const(lib, -U)
    ),
    "gaussian_var_negative_float": lambda F, lib: F.gaussian_nll_loss(
        const(lib, X), const(lib, Y), -1.0
    ),
    "cosine_target_2d": lambda F, lib: F.cosine_embedding_loss(
        const(lib, X), const(lib, Y), const(lib, np.ones((4, 1)))
    ),
    "cosine_1d_target_1d_inputs": lambda F, lib: F.cosine_embedding_loss(
        const(lib, X[0]), const(lib, Y[0]), const(lib, np.ones(5))
    ),
    "cosine_0d_target_2d_inputs": lambda F, lib: F.cosine_embedding_loss(
        const(lib, X), const(lib, Y), const(lib, np.float64(1))
    ),
    "margin_ranking_dims": lambda F, lib: F.margin_ranking_loss(
        const(lib, X), const(lib, Y), const(lib, S[0])
    ),
    "soft_margin_target_grad": lambda F, lib: F.soft_margin_loss(
        const(lib, X), leaf(lib, S, "float64")
    ),
    "multi_margin_p": lambda F, lib: F.multi_margin_loss(const(lib, X), const(lib, T), p=3),
    "multi_margin_weight_dims": lambda F, lib: F.multi_margin_loss(
        const(lib, X), const(lib, T), weight=const(lib, np.ones((5, 1)))
    ),
    "multi_margin_weight_size": lambda F, lib: F.multi_margin_loss(
        const(lib, X), const(lib, T), weight=const(lib, W[:3])
    ),
    "multi_margin_target_size": lambda F, lib: F.multi_margin_loss(
        const(lib, X), const(lib, T[:2])
    ),
    "multi_margin_target_range": lambda F, lib: F.multi_margin_loss(
        const(lib, X), const(lib, T + 3)
    ),
    "multi_margin_3d": lambda F, lib: F.multi_margin_loss(const(lib, X3), const(lib, T3[:, 0])),
    "multi_margin_weight_grad": lambda F, lib: F.multi_margin_loss(
        const(lib, X), const(lib, T), weight=leaf(lib, W, "float64")
    ),
    "triplet_dims": lambda F, lib: F.triplet_margin_loss(
        const(lib, X), const(lib, Y), const(lib, U[0])
    ),
    "triplet_margin": lambda F, lib: F.triplet_margin_loss(
        const(lib, X), const(lib, Y), const(lib, U), margin=0.0
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors(name):
    case = ERRORS[name]
    oracle(lambda lib: case(F(lib), lib))


def test_no_grad_allows_weight_requiring_grad():
    def body(lib):
        with lib.no_grad():
            return [
                F(lib).nll_loss(const(lib, X), const(lib, T), weight=leaf(lib, W, "float64")),
                F(lib).binary_cross_entropy(
                    const(lib, U), const(lib, P), weight=leaf(lib, W, "float64")
                ),
            ]

    oracle(body, rtol=1e-10, atol=1e-12)


def test_binary_cross_entropy_log_clamp():
    def body(lib):
        x = leaf(lib, np.array([0.0, 1.0, 0.5, 1e-50]), "float64")
        t = const(lib, np.array([1.0, 0.0, 0.5, 1.0]))
        return [
            F(lib).binary_cross_entropy(x, t, reduction="none"),
            F(lib).binary_cross_entropy(x, t),
        ]

    oracle(body, rtol=1e-10, atol=1e-12)


def test_binary_cross_entropy_with_logits_extremes():
    def body(lib):
        x = leaf(lib, np.array([-1000.0, 1000.0, 0.0, 30.0, -30.0]), "float32")
        t = const(lib, np.array([1.0, 0.0, 0.5, 1.0, 0.0], np.float32))
        pw = const(lib, np.array([2.0], np.float32))
        f = F(lib)
        return [
            f.binary_cross_entropy_with_logits(x, t, reduction="none"),
            f.binary_cross_entropy_with_logits(x, t, reduction="none", pos_weight=pw),
        ]

    oracle(body, rtol=1e-5, atol=1e-6)


def test_kl_div_zero_and_nan_target():
    def body(lib):
        x = leaf(lib, np.array([-1.0, -2.0, -0.5]), "float64")
        t = leaf(lib, np.array([0.0, 0.5, 0.5]), "float64")
        return [F(lib).kl_div(x, t, reduction="none"), F(lib).kl_div(x, t, reduction="batchmean")]

    oracle(body, rtol=1e-10, atol=1e-12)


def test_kl_div_0d_batchmean():
    oracle(
        lambda lib: F(lib).kl_div(
            leaf(lib, np.float64(-0.5), "f8"),
            leaf(lib, np.float64(0.3), "f8"),
            reduction="batchmean",
        ),
        rtol=1e-10,
        atol=1e-12,
    )


def test_printing():
    def body(lib):
        x = leaf(lib, X, "float32")
        return [
            repr(F(lib).cross_entropy(x, const(lib, T))),
            repr(F(lib).nll_loss(x, const(lib, T))),
        ]

    oracle(body)


# --------------------------------------------------------------------------- finite differences

GRADCHECK = {
    "cross_entropy": (lambda x: L.cross_entropy(x, tl.tensor(T[:3])), (X[:3],)),
    "cross_entropy_probs_smoothing": (
        lambda x, p: L.cross_entropy(x, p, label_smoothing=0.2, weight=tl.tensor(W)),
        (X[:2], P[:2]),
    ),
    "cross_entropy_smoothing_ignore": (
        lambda x: L.cross_entropy(
            x, tl.tensor(T[:3]), label_smoothing=0.2, ignore_index=0, weight=tl.tensor(W)
        ),
        (X[:3],),
    ),
    "nll_loss_3d_none": (
        lambda x: L.nll_loss(x, tl.tensor(T3), reduction="none", weight=tl.tensor(W)),
        (X3,),
    ),
    "smooth_l1_loss": (lambda x, y: L.smooth_l1_loss(x, y, beta=0.5), (X[:2], Y[:2])),
    "huber_loss": (lambda x, y: L.huber_loss(x, y, delta=0.7, reduction="sum"), (X[:2], Y[:2])),
    "l1_loss": (lambda x, y: L.l1_loss(x, y), (X[:2], Y[:2])),
    "binary_cross_entropy": (
        lambda x, t: L.binary_cross_entropy(x, t, weight=tl.tensor(W)),
        (U[:2], P[:2]),
    ),
    "binary_cross_entropy_with_logits": (
        lambda x, t: L.binary_cross_entropy_with_logits(
            x, t, weight=tl.tensor(U[0]), pos_weight=tl.tensor(W)
        ),
        (X[:2], U[:2]),
    ),
    "kl_div": (lambda x, t: L.kl_div(x, t, reduction="batchmean"), (X[:2], P[:2])),
    "kl_div_log_target": (
        lambda x, t: L.kl_div(x, t, reduction="sum", log_target=True),
        (X[:2], Y[:2]),
    ),
    "poisson_nll_loss": (lambda x, t: L.poisson_nll_loss(x, t), (X[:2], P[:2] * 3)),
    "poisson_nll_loss_full": (
        lambda x, t: L.poisson_nll_loss(x, t, log_input=False, full=True),
        (U[:2], P[:2] * 9),
    ),
    "gaussian_nll_loss": (
        lambda x, y, v: L.gaussian_nll_loss(x, y, v, full=True),
        (X[:2], Y[:2], U[:2]),
    ),
    "cosine_embedding_loss": (
        lambda a, b: L.cosine_embedding_loss(a, b, tl.tensor([1, -1]), margin=-0.5),
        (X[:2], Y[:2]),
    ),
    "margin_ranking_loss": (
        lambda a, b, t: L.margin_ranking_loss(a, b, t, margin=0.1),
        (X[0], Y[0], S[0]),
    ),
    "hinge_embedding_loss": (
        lambda x: L.hinge_embedding_loss(x, tl.tensor(S[:2]), margin=2.5),
        (X[:2],),
    ),
    "soft_margin_loss": (lambda x: L.soft_margin_loss(x, tl.tensor(S[:2])), (X[:2],)),
    "multilabel_soft_margin_loss": (
        lambda x, t: L.multilabel_soft_margin_loss(x, t, weight=tl.tensor(W)),
        (X[:2], U[:2]),
    ),
    "multi_margin_loss": (
        lambda x: L.multi_margin_loss(x, tl.tensor(T[:2]), p=2, margin=0.9, weight=tl.tensor(W)),
        (X[:2],),
    ),
    "triplet_margin_loss": (
        lambda a, p, n: L.triplet_margin_loss(a, p, n, margin=3.0),
        (X[:2], Y[:2], U[:2]),
    ),
    "triplet_margin_loss_p3_swap": (
        lambda a, p, n: L.triplet_margin_loss(a, p, n, p=3, swap=True, margin=3.0),
        (X[:2], Y[:2], U[:2]),
    ),
}


@pytest.mark.parametrize("name", list(GRADCHECK))
def test_gradcheck(name):
    fn, arrays = GRADCHECK[name]
    inputs = tuple(tl.tensor(np.asarray(a, np.float64), requires_grad=True) for a in arrays)
    assert gradcheck(fn, inputs)
    if name == "multi_margin_loss":  # torch has no derivative for its gradient either
        with pytest.raises(RuntimeError, match="multi_margin_loss_backward is not implemented"):
            gradgradcheck(fn, inputs)
        return
    assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("layout", ["T", "step"])
def test_noncontiguous_inputs(layout):
    from oracle import make

    def body(lib):
        f = F(lib)
        x = make(lib, X.T.copy(), layout, requires_grad=True)  # (5, 4) viewed as (4, 5)
        x = x.t() if layout == "step" else x
        y = make(lib, Y, "T" if layout == "step" else "step", requires_grad=True)
        return [
            f.cross_entropy(x, const(lib, T)),
            f.cross_entropy(x, const(lib, P.T.copy()).t(), label_smoothing=0.1),
            f.smooth_l1_loss(x, y),
            f.binary_cross_entropy_with_logits(x, lib.sigmoid(y)),
            f.multi_margin_loss(x, const(lib, T)),
            f.triplet_margin_loss(x, y, x * 0.5),
        ]

    oracle(body, rtol=1e-10, atol=1e-12)
