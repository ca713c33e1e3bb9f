"""Normalisation ops against torch: batch/layer/group/instance/RMS/local-response norms
and F.normalize: values, running statistics, gradients, grad_fn names and errors; float64
gradchecks and second derivatives (no torch needed)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from oracle import is_torch, next_fns, oracle, rand_array, to_lib

import torchless as tl
from torchless._ops import norm as N
from torchless.autograd import gradcheck, gradgradcheck


def same(body, **kw):
    """``oracle(body)`` for a body that must not raise."""
    r = oracle(body, **kw)
    assert not isinstance(r, BaseException), r
    return r


_MINE = SimpleNamespace(
    batch_norm=N.batch_norm,
    instance_norm=N.instance_norm,
    layer_norm=N.layer_norm,
    group_norm=N.group_norm,
    rms_norm=N.rms_norm,
    local_response_norm=N.local_response_norm,
    normalize=N.normalize,
)


def F(lib):
    return lib.nn.functional if is_torch(lib) else _MINE


# ----------------------------------------------------------------------------- batch_norm


@pytest.mark.parametrize("shape", [(8, 3), (6, 3, 5), (4, 3, 5, 6), (2, 3, 2, 3, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_values_grads_running_stats(shape, training):
    c = shape[1]

    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1) * 2 + 0.5, requires_grad=True)
        w = to_lib(lib, rand_array((c,), seed=2), requires_grad=True)
        b = to_lib(lib, rand_array((c,), seed=3), requires_grad=True)
        rm = to_lib(lib, rand_array((c,), seed=4))
        rv = to_lib(lib, rand_array((c,), seed=5, low=0.5, high=2.0))
        y = F(lib).batch_norm(x, rm, rv, w, b, training=training, momentum=0.3, eps=1e-4)
        return y, rm, rv, next_fns(y)

    same(body, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batch_norm_bit_exact_with_spatial_dims(dtype):
    """The forward, the running mean and the running variance are torch's bits (the
    contiguous CPU kernel: double sums, fused output)."""

    def body(lib):
        x = to_lib(lib, rand_array((5, 4, 3, 7), dtype, seed=7) * 3 - 1)
        w = to_lib(lib, rand_array((4,), dtype, seed=8))
        b = to_lib(lib, rand_array((4,), dtype, seed=9))
        rm = to_lib(lib, rand_array((4,), dtype, seed=10))
        rv = to_lib(lib, rand_array((4,), dtype, seed=11, low=0.5, high=2))
        out = []
        for _ in range(3):
            out.append(F(lib).batch_norm(x, rm, rv, w, b, training=True, momentum=0.1))
        out.append(F(lib).batch_norm(x, rm, rv, None, b, training=True, momentum=0.7))
        return out, rm, rv

    same(body, exact=True, grads=False)


def test_batch_norm_without_running_stats_and_affine():
    def body(lib):
        x = to_lib(lib, rand_array((4, 3, 5), seed=1), requires_grad=True)
        b = to_lib(lib, rand_array((3,), seed=2), requires_grad=True)
        y1 = F(lib).batch_norm(x, None, None, training=True)
        y2 = F(lib).batch_norm(x, None, None, None, b, training=True)
        return y1, y2, next_fns(y2)

    same(body, rtol=1e-5, atol=1e-5)


def test_batch_norm_empty_batch():
    def body(lib):
        return F(lib).batch_norm(to_lib(lib, np.zeros((0, 3, 4), np.float32)), None, None, None,
                                 None, True)  # fmt: skip

    same(body, grads=False)


@pytest.mark.parametrize(
    "case",
    [
        "rm_size",
        "rv_size",
        "w_size",
        "b_size",
        "one_value",
        "eval_no_stats",
        "long",
        "eps_train",
        "eps_eval",
    ],
)
def test_batch_norm_errors(case):
    def body(lib):
        x = to_lib(lib, rand_array((2, 3, 4), seed=1))
        z, o = lib.zeros(3), lib.ones(3)
        f = F(lib).batch_norm
        if case == "rm_size":
            return f(x, lib.zeros(4), o, training=True)
        if case == "rv_size":
            return f(x, z, lib.ones(4), lib.ones(2), training=True)
        if case == "w_size":
            return f(x, z, o, lib.ones(2), training=True)
        if case == "b_size":
            return f(x, z, o, None, lib.ones(2), training=True)
        if case == "one_value":
            return f(to_lib(lib, rand_array((1, 3))), z, o, training=True)
        if case == "eval_no_stats":
            return f(x, None, None, training=False)
        if case == "long":
            return f(x.long(), None, None, training=True)
        if case == "eps_train":
            return f(x, z, o, training=True, eps=0.0)
        return f(x, z, o, training=False, eps=-1.0)

    oracle(body, grads=False)


def test_batch_norm_eval_saves_running_stats():
    """In evaluation the running statistics are saved for backward: changing them in place
    before backward raises torch's error; in training they are not saved."""
    x = tl.randn(4, 3, requires_grad=True)
    rm, rv = tl.zeros(3), tl.ones(3)
    y = N.batch_norm(x, rm, rv, training=False)
    with tl.no_grad():
        rm.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    y = N.batch_norm(x, rm, rv, training=True) + N.batch_norm(x, rm, rv, training=True)
    y.sum().backward()


def test_batch_norm_gradcheck():
    rng = np.random.default_rng(0)
    x = tl.tensor(rng.standard_normal((4, 3, 2)), requires_grad=True)
    w = tl.tensor(rng.standard_normal(3), requires_grad=True)
    b = tl.tensor(rng.standard_normal(3), requires_grad=True)
    rm, rv = tl.zeros(3, dtype=tl.float64), tl.ones(3, dtype=tl.float64)

    def train(x, w, b):
        return N.batch_norm(x, None, None, w, b, training=True)

    def evaluate(x, w, b):
        return N.batch_norm(x, rm, rv, w, b, training=False)

    assert gradcheck(train, (x, w, b))
    assert gradcheck(evaluate, (x, w, b))
    assert gradgradcheck(train, (x, w, b))


# ----------------------------------------------------------------------------- layer_norm


@pytest.mark.parametrize(
    "shape,ns", [((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((3, 6), [6])]
)
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_layer_norm(shape, ns, affine):
    nshape = tuple(ns)

    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1) * 2 + 1, requires_grad=True)
        w = b = None
        if affine != "none":
            w = to_lib(lib, rand_array(nshape, seed=2), requires_grad=True)
        if affine == "both":
            b = to_lib(lib, rand_array(nshape, seed=3), requires_grad=True)
        y = F(lib).layer_norm(x, ns, w, b, eps=1e-3)
        return y, next_fns(y)

    same(body, rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize(
    "case", ["shape", "weight", "bias", "empty", "long", "too_long", "int", "float"]
)
def test_layer_norm_errors(case):
    def body(lib):
        x = to_lib(lib, rand_array((2, 3, 4), seed=1))
        f = F(lib).layer_norm
        if case == "shape":
            return f(x, (5,))
        if case == "weight":
            return f(x, (3, 4), lib.ones(4))
        if case == "bias":
            return f(x, (4,), lib.ones(4), lib.ones(3))
        if case == "empty":
            return f(x, ())
        if case == "long":
            return f(x.long(), (4,))
        if case == "int":
            return f(x, 4)
        if case == "float":
            return f(x, [4.0])
        return f(x, (2, 3, 4, 5))

    oracle(body, grads=False)


def test_layer_norm_gradcheck():
    rng = np.random.default_rng(1)
    x = tl.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    w = tl.tensor(rng.standard_normal(4), requires_grad=True)
    b = tl.tensor(rng.standard_normal(4), requires_grad=True)

    def fn(x, w, b):
        return N.layer_norm(x, (4,), w, b)

    assert gradcheck(fn, (x, w, b))
    assert gradgradcheck(fn, (x, w, b))


# ----------------------------------------------------------------------------- group_norm


@pytest.mark.parametrize("shape,groups", [((2, 6, 5), 3), ((3, 4, 2, 3), 2), ((3, 4), 2)])
def test_group_norm(shape, groups):
    c = shape[1]

    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1) * 2, requires_grad=True)
        w = to_lib(lib, rand_array((c,), seed=2), requires_grad=True)
        b = to_lib(lib, rand_array((c,), seed=3), requires_grad=True)
        y1 = F(lib).group_norm(x, groups, w, b)
        y2 = F(lib).group_norm(x, groups)
        return y1, y2, next_fns(y1)

    same(body, rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("case", ["divisible", "weight", "bias", "one_value", "dims", "long"])
def test_group_norm_errors(case):
    def body(lib):
        x = to_lib(lib, rand_array((2, 3, 4), seed=1))
        f = F(lib).group_norm
        if case == "divisible":
            return f(x, 2)
        if case == "weight":
            return f(x, 3, lib.ones(2))
        if case == "bias":
            return f(x, 3, None, lib.ones(2))
        if case == "one_value":
            return f(to_lib(lib, rand_array((1, 3))), 3)
        if case == "dims":
            return f(to_lib(lib, rand_array((3,))), 3)
        return f(x.long(), 3)

    oracle(body, grads=False)


def test_group_norm_gradcheck():
    rng = np.random.default_rng(2)
    x = tl.tensor(rng.standard_normal((2, 4, 3)), requires_grad=True)
    w = tl.tensor(rng.standard_normal(4), requires_grad=True)
    b = tl.tensor(rng.standard_normal(4), requires_grad=True)

    def fn(x, w, b):
        return N.group_norm(x, 2, w, b)

    assert gradcheck(fn, (x, w, b))
    assert gradgradcheck(fn, (x, w, b))


# ----------------------------------------------------------------------------- instance_norm


@pytest.mark.parametrize("stats", ["none", "running", "eval"])
def test_instance_norm(stats):
    def body(lib):
        x = to_lib(lib, rand_array((3, 2, 5), seed=1) * 2, requires_grad=True)
        w = to_lib(lib, rand_array((2,), seed=2), requires_grad=True)
        b = to_lib(lib, rand_array((2,), seed=3), requires_grad=True)
        rm = rv = None
        if stats != "none":
            rm = to_lib(lib, rand_array((2,), seed=4))
            rv = to_lib(lib, rand_array((2,), seed=5, low=0.5, high=2))
        y = F(lib).instance_norm(x, rm, rv, w, b, use_input_stats=stats != "eval", momentum=0.2)
        return y, rm, rv, next_fns(y)

    same(body, rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("case", ["spatial", "no_stats", "stat_size"])
def test_instance_norm_errors(case):
    def body(lib):
        f = F(lib).instance_norm
        if case == "spatial":
            return f(to_lib(lib, rand_array((2, 3, 1))))
        x = to_lib(lib, rand_array((2, 3, 4)))
        if case == "no_stats":
            return f(x, use_input_stats=False)
        return f(x, lib.zeros(4), lib.ones(3))

    oracle(body, grads=False)


def test_instance_norm_gradcheck():
    rng = np.random.default_rng(3)
    x = tl.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    w = tl.tensor(rng.standard_normal(3), requires_grad=True)
    b = tl.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(lambda x, w, b: N.instance_norm(x, weight=w, bias=b), (x, w, b))


# ----------------------------------------------------------------------------- rms_norm


@pytest.mark.parametrize("eps", [None, 1e-3])
@pytest.mark.parametrize("weight", [True, False])
def test_rms_norm(eps, weight):
    def body(lib):
        x = to_lib(lib, rand_array((3, 2, 4), seed=1), requires_grad=True)
        w = to_lib(lib, rand_array((2, 4), seed=2), requires_grad=True) if weight else None
        y = F(lib).rms_norm(x, (2, 4), w, eps)
        return y, next_fns(y)

    same(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", ["shape", "multi", "weight", "long"])
def test_rms_norm_errors(case):
    def body(lib):
        x = to_lib(lib, rand_array((2, 3, 4)))
        f = F(lib).rms_norm
        if case == "shape":
            return f(x, (5,))
        if case == "multi":
            return f(x, (3, 5))
        if case == "weight":
            return f(x, (4,), lib.ones(3))
        return f(x.long(), (4,))

    oracle(body, grads=False)


def test_rms_norm_gradcheck():
    rng = np.random.default_rng(4)
    x = tl.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    w = tl.tensor(rng.standard_normal(4), requires_grad=True)
    assert gradgradcheck(lambda x, w: N.rms_norm(x, (4,), w), (x, w))


# ----------------------------------------------------------------------------- LRN, normalize


@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 5, 3, 2), (1, 4, 2, 2, 2)])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_local_response_norm(shape, size):
    def body(lib):
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        return F(lib).local_response_norm(x, size, alpha=0.1, beta=0.6, k=2.0)

    same(body, rtol=1e-5, atol=1e-6)


def test_local_response_norm_errors_and_empty():
    oracle(lambda lib: F(lib).local_response_norm(lib.zeros(2, 3), 2), grads=False)
    oracle(lambda lib: F(lib).local_response_norm(lib.zeros(0, 3, 2), 2), grads=False)


def test_local_response_norm_gradcheck():
    x = tl.tensor(np.random.default_rng(5).standard_normal((1, 4, 3)), requires_grad=True)
    assert gradcheck(lambda x: N.local_response_norm(x, 3, alpha=0.5), (x,))


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 1.5, 0.5, float("inf")])
@pytest.mark.parametrize("dim", [1, -1, (0, 2)])
def test_normalize(p, dim):
    def body(lib):
        a = rand_array((3, 4, 2), seed=1)
        a[0, 1] = 0.0  # a zero vector along dim 1 for some positions
        x = to_lib(lib, a, requires_grad=True)
        return F(lib).normalize(x, p, dim)

    same(body, rtol=1e-5, atol=1e-6)


def test_normalize_out_and_errors():
    def body(lib):
        x = to_lib(lib, rand_array((2, 3), seed=1))
        out = lib.empty(2, 3)
        r = F(lib).normalize(x, out=out)
        return r, out

    oracle(body, grads=False)
    oracle(lambda lib: F(lib).normalize(lib.ones(2, 3), dim=5), grads=False)


def test_normalize_gradcheck():
    x = tl.tensor(np.random.default_rng(6).standard_normal((3, 4)), requires_grad=True)
    for p in (2.0, 3.0, 1.5):
        assert gradgradcheck(lambda x, p=p: N.normalize(x, p, 1), (x,))


def _chain(t):
    """grad_fn names along the graph, following the last non-leaf edge of each node."""
    out, fn = [], t.grad_fn
    while fn is not None:
        out.append(fn.name())
        nxt = [f for f, _ in fn.next_functions if f is not None and "Accumulate" not in f.name()]
        fn = nxt[-1] if nxt else None
    return out


def test_composed_norms_record_torchs_graph():
    def body(lib):
        x = to_lib(lib, rand_array((2, 4, 3), seed=1), requires_grad=True)
        f = F(lib)
        return [
            _chain(f.rms_norm(x, (3,))),
            _chain(f.normalize(x, dim=2)),
            _chain(f.local_response_norm(x, 3)),
            _chain(f.local_response_norm(x.view(2, 4, 3, 1), 2)),
            _chain(f.instance_norm(x)),
        ]

    same(body, grads=False)


def test_local_response_norm_4d_second_derivatives():
    x = tl.tensor(np.random.default_rng(7).standard_normal((1, 3, 2, 2)), requires_grad=True)
    assert gradgradcheck(lambda x: N.local_response_norm(x, 2, alpha=0.5), (x,))
