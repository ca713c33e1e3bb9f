"""torch.poisson: bytes and generator state against torch 2.13's CPU sampler."""

import numpy as np
import pytest
import torch

import torchless as tl


def _cmp(rates, seed, dtype="float32", gen=False):
    torch.manual_seed(seed)
    tl.manual_seed(seed)
    if gen:
        g1, g2 = torch.Generator().manual_seed(seed), tl.Generator().manual_seed(seed)
        a = torch.poisson(torch.tensor(rates, dtype=getattr(torch, dtype)), g1)
        b = tl.poisson(tl.tensor(rates, dtype=getattr(tl, dtype)), generator=g2)
        s1, s2 = g1.get_state(), g2.get_state()
    else:
        a = torch.poisson(torch.tensor(rates, dtype=getattr(torch, dtype)))
        b = tl.poisson(tl.tensor(rates, dtype=getattr(tl, dtype)))
        s1, s2 = torch.get_rng_state(), tl.get_rng_state()
    assert b.dtype == getattr(tl, dtype) and b.shape == tuple(a.shape)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert s1.numpy().tobytes() == s2.numpy().tobytes()
    return b


_RNG = np.random.default_rng(0)
_CASES = {
    "small": _RNG.uniform(0, 10, 1500).tolist(),  # multiplication method
    "ptrs": _RNG.uniform(10, 100, 1500).tolist(),  # Hoermann's transformed rejection
    "large": (10 ** _RNG.uniform(2, 9, 1000)).tolist(),
    "edges": [0.0, 0.0, 1e-3, 10.0, 9.999999, 1e12] * 20,
    "matrix": _RNG.uniform(0, 30, (20, 30)).tolist(),
}


@pytest.mark.parametrize("seed", [0, 1, 42])
@pytest.mark.parametrize("case", list(_CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_poisson_exact(seed, case, dtype):
    _cmp(_CASES[case], seed, dtype)


def test_poisson_float16_and_generator():
    _cmp(_CASES["matrix"], 3, "float16")
    _cmp(_CASES["ptrs"][:200], 5, "float32", gen=True)


def test_poisson_zero_rate_draws_nothing():
    tl.manual_seed(0)
    before = tl.get_rng_state().numpy().tobytes()
    assert (tl.poisson(tl.zeros(5)).numpy() == 0).all()
    assert tl.get_rng_state().numpy().tobytes() == before


def test_poisson_errors():
    with pytest.raises(RuntimeError, match="invalid Poisson rate, expected rate to be non-neg"):
        tl.poisson(tl.tensor([1.0, -1.0]))
    with pytest.raises(RuntimeError, match="invalid Poisson rate"):
        tl.poisson(tl.tensor([float("nan")]))
    with pytest.raises(NotImplementedError, match="\"poisson_cpu\" not implemented for 'Long'"):
        tl.poisson(tl.tensor([1, 2]))


def test_poisson_grad_and_stats():
    x = tl.tensor([3.0, 40.0], requires_grad=True)
    y = tl.poisson(x)
    assert type(y.grad_fn).__name__ == "PoissonBackward0"
    y.sum().backward()
    assert (x.grad.numpy() == 0).all()
    tl.manual_seed(1)
    for lam in (2.5, 50.0):
        v = tl.poisson(tl.full((20000,), lam, dtype=tl.float64)).numpy()
        assert abs(v.mean() - lam) < 0.05 * lam**0.5 * 3 and abs(v.var() / lam - 1) < 0.05
