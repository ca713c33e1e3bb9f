"""torchless.nn.utils against torch: gradient clipping by norm and by value, the total
norm, and flattening parameters into a vector and back."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from oracle import oracle, to_lib

import torchless
import torchless.nn.utils  # noqa: F401  (until torchless.nn imports it)

torch = pytest.importorskip("torch")

SHAPES = [(7, 5), (13,), (), (300,)]


def _params(lib, dtype="float32", scale=1.0, seed=0, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    ps = []
    for s in shapes:
        p = to_lib(lib, rng.standard_normal(s), dtype=dtype).requires_grad_()
        p.grad = to_lib(lib, rng.standard_normal(s) * scale, dtype=dtype)
        ps.append(p)
    return ps


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, 0.5, float("inf"), "inf", 0, -float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm(dtype, norm_type, max_norm):
    def body(lib):
        ps = _params(lib, dtype)
        total = lib.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        return [total, [p.grad for p in ps]]

    # the norms are sums: torch adds in its own order (16 float32 lanes)
    tol = dict(rtol=1e-6, atol=1e-7) if dtype == "float32" else dict(rtol=1e-13, atol=1e-15)
    oracle(body, grads=False, **tol)


def test_clip_grad_norm_forms():
    def body(lib):
        u = lib.nn.utils
        out = []
        single = _params(lib)[0]
        out.append(u.clip_grad_norm_(single, 1.0))  # one tensor
        ps = _params(lib, seed=1)
        out.append(u.clip_grad_norm_(iter(ps), 1.0, foreach=True))  # any iterable
        no_grad = lib.zeros(3, requires_grad=True)
        out.append(u.clip_grad_norm_([no_grad], 1.0))  # no gradients: norm 0
        out.append(u.clip_grad_norm_([], 1.0))
        mixed = _params(lib, seed=2) + _params(lib, "float64", seed=3)
        out.append(u.clip_grad_norm_(mixed, 0.1))
        out.append([p.grad for p in mixed])
        return out

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_nonfinite():
    def body(lib):
        ps = _params(lib)
        ps[1].grad[3] = float("nan")
        total = lib.nn.utils.clip_grad_norm_(ps, 1.0)
        try:
            lib.nn.utils.clip_grad_norm_(_params(lib, scale=1e38), 1.0, error_if_nonfinite=True)
        except RuntimeError as e:
            err = str(e)
        return [total, ps[0].grad, err]

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_warns_on_an_empty_generator():
    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            total = lib.nn.utils.clip_grad_norm_((p for p in []), 1.0)
            lib.nn.utils.clip_grad_norm(_params(lib), 1.0)
        return [total, [(x.category.__name__, str(x.message)) for x in w]]

    oracle(body, grads=False)


def test_get_total_norm_and_clip_grads_with_norm():
    def body(lib):
        u = lib.nn.utils
        ps = _params(lib, scale=3.0)
        grads = [p.grad for p in ps]
        total = u.get_total_norm(grads, norm_type=2.0)
        total_inf = u.get_total_norm(grads[0], norm_type="inf")
        u.clip_grads_with_norm_(ps, 2.0, total)
        u.clip_grads_with_norm_(ps[0], 2.0, lib.tensor(1.0))
        return [total, total_inf, grads, u.get_total_norm([])]

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clip_grad_value(dtype):
    def body(lib):
        ps = _params(lib, dtype, scale=2.0)
        r = lib.nn.utils.clip_grad_value_(ps, 0.75)
        single = _params(lib, dtype, seed=4)[0]
        lib.nn.utils.clip_grad_value_(single, clip_value=lib.tensor(0.1), foreach=False)
        return [r, [p.grad for p in ps], single.grad]

    oracle(body, grads=False, exact=True)


def test_clipping_is_in_place():
    p = _params(torchless)[0]
    g = p.grad
    data = g._data
    torchless.nn.utils.clip_grad_norm_([p], 0.01)
    torchless.nn.utils.clip_grad_value_([p], 0.001)
    assert p.grad is g and g._data is data
    assert float(abs(g).max()) == float(np.float32(0.001))


def test_parameters_to_vector_and_back():
    def body(lib):
        u = lib.nn.utils
        model = lib.nn.Linear(3, 2)
        with lib.no_grad():
            model.weight.copy_(to_lib(lib, np.arange(6.0).reshape(2, 3)))
            model.bias.copy_(to_lib(lib, [-1.0, -2.0]))
        vec = u.parameters_to_vector(model.parameters())
        loss = (vec * vec).sum()
        loss.backward()
        new = to_lib(lib, np.linspace(0.0, 1.0, 8), dtype="float32")
        u.vector_to_parameters(new, model.parameters())
        try:
            u.vector_to_parameters([1.0, 2.0], model.parameters())
        except TypeError as e:
            err = str(e)
        return [vec, model.weight.grad, model.weight, model.bias, err]

    oracle(body, grads=False)


def test_namespace():
    u = torchless.nn.utils
    for name in u.__all__:
        if inspect.ismodule(getattr(u, name)):  # submodules such as nn.utils.rnn
            continue
        assert getattr(u, name).__name__.lstrip("_") == name.lstrip("_") or name in (
            "clip_grads_with_norm_",
            "get_total_norm",
        )
    with pytest.raises(NotImplementedError, match=r"torch\.nn\.utils\.spectral_norm"):
        u.spectral_norm  # noqa: B018
    assert u.clip_grad.clip_grad_norm_ is u.clip_grad_norm_
