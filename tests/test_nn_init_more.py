"""nn.init's dirac_, trunc_normal_, orthogonal_, sparse_ against torch with the same seeds."""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.init as TI

import torchless as tl
import torchless.nn.init as LI


def _pair(shape, dtype="float32", seed=0):
    torch.manual_seed(seed)
    tl.manual_seed(seed)
    return torch.empty(*shape, dtype=getattr(torch, dtype)), tl.empty(
        *shape, dtype=getattr(tl, dtype)
    )


def _same_state():
    return torch.get_rng_state().numpy().tobytes() == tl.get_rng_state().numpy().tobytes()


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize(
    "args,dtype",
    [
        ((), "float32"),  # p > 0.3: normal with redraws
        ((0.0, 1.0, 0.5, 3.0), "float32"),
        ((0.0, 2.0, -1.0, 1.0), "float64"),
        ((1.0, 0.5, -2.0, 0.0), "float64"),  # p <= 0.3: uniform candidates, log acceptance
        ((0.0, 1.0, 2.0, 2.1), "float32"),
        ((3.0, 1.0, 0.0, 0.5), "float32"),
    ],
)
def test_trunc_normal_exact(seed, args, dtype):
    a, b = _pair((40, 30), dtype, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the last case is far from its mean; both warn
        TI.trunc_normal_(a, *args)
        LI.trunc_normal_(b, *args)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert _same_state()


def test_trunc_normal_bounds_generator_and_noncontiguous():
    g1, g2 = torch.Generator().manual_seed(5), tl.Generator().manual_seed(5)
    a = torch.empty(30, 20).t()
    b = tl.empty(30, 20).t()
    TI.trunc_normal_(a, 0.0, 1.0, -0.5, 0.5, generator=g1)
    LI.trunc_normal_(b, 0.0, 1.0, -0.5, 0.5, generator=g2)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert g1.get_state().numpy().tobytes() == g2.get_state().numpy().tobytes()
    v = b.numpy()
    assert v.min() >= -0.5 and v.max() <= 0.5


def test_trunc_normal_warns():
    b = tl.empty(5)
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        LI.trunc_normal_(b, mean=10.0)


def test_trunc_normal_statistics():
    tl.manual_seed(3)
    v = LI.trunc_normal_(tl.empty(20000), std=1.0, a=-1.0, b=1.0).numpy().astype(np.float64)
    assert v.min() >= -1 and v.max() <= 1
    # variance of N(0,1) truncated to [-1, 1]: 1 - 2 phi(1) / (2 Phi(1) - 1)
    phi = math.exp(-0.5) / math.sqrt(2 * math.pi)
    var = 1 - 2 * phi / math.erf(1 / math.sqrt(2))
    assert abs(v.var() - var) < 0.01 and abs(v.mean()) < 0.02


@pytest.mark.parametrize("seed", [0, 4])
@pytest.mark.parametrize(
    "shape,gain,dtype",
    [((10, 20), 1, "float32"), ((30, 5, 2), 2.0, "float32"), ((8, 8), 1, "float64")],
)
def test_orthogonal_matches(seed, shape, gain, dtype):
    a, b = _pair(shape, dtype, seed)
    TI.orthogonal_(a, gain)
    LI.orthogonal_(b, gain)
    # the normal draw is bit-identical (same generator state after); Q differs from
    # torch's only by LAPACK rounding (numpy's vs torch's geqrf/orgqr), a few ulp
    assert _same_state()
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=0, atol=tol * gain)
    m = b.numpy().reshape(shape[0], -1).astype(np.float64) / gain
    small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(small, np.eye(len(small)), atol=1e-5)


def test_orthogonal_errors_and_empty():
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        LI.orthogonal_(tl.empty(3))
    assert LI.orthogonal_(tl.empty(0, 3)).shape == (0, 3)


@pytest.mark.parametrize("seed", [0, 2])
@pytest.mark.parametrize("sparsity,std", [(0.3, 0.01), (0.0, 1.0), (0.9, 0.5)])
def test_sparse_exact(seed, sparsity, std):
    a, b = _pair((12, 9), "float32", seed)
    TI.sparse_(a, sparsity, std)
    LI.sparse_(b, sparsity, std)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert _same_state()
    zeros = (b.numpy() == 0).sum(0)
    assert (zeros >= math.ceil(sparsity * 12)).all()


def test_sparse_generator_only_for_normal():
    # torch draws the permutations from the default generator even with generator=
    torch.manual_seed(9)
    tl.manual_seed(9)
    a = TI.sparse_(torch.empty(6, 4), 0.5, generator=torch.Generator().manual_seed(1))
    b = LI.sparse_(tl.empty(6, 4), 0.5, generator=tl.Generator().manual_seed(1))
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert _same_state()
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        LI.sparse_(tl.empty(2, 3, 4), 0.1)


@pytest.mark.parametrize(
    "shape,groups", [((4, 4, 3), 1), ((6, 4, 3, 3), 2), ((3, 16, 5, 5), 1), ((4, 2, 3, 4, 5), 2)]
)
def test_dirac(shape, groups):
    a = TI.dirac_(torch.full(shape, 7.0), groups)
    b = LI.dirac_(tl.full(shape, 7.0), groups)
    assert np.array_equal(a.numpy(), b.numpy())


def test_dirac_errors():
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        LI.dirac_(tl.empty(3, 3))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        LI.dirac_(tl.empty(5, 3, 3), 2)


def test_eye_and_deprecated_aliases():
    assert np.array_equal(LI.eye_(tl.empty(3, 5)).numpy(), TI.eye_(torch.empty(3, 5)).numpy())
    for name in ("dirac", "orthogonal", "sparse"):
        assert callable(getattr(LI, name))
    with pytest.warns(FutureWarning, match="nn.init.dirac_"):
        LI.dirac(tl.empty(2, 2, 3))
