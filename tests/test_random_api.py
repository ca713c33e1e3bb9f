"""The public random API draws torch's numbers: factories, in-place fills,
generator= arguments, state round trips, layer init, and the seed notebook's
model step with a manual_seed in front printing exactly what torch prints."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import torchless

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent

SEEDS = [0, 1, 42, -1, 2**40 + 7]
SHAPES = [(), (0,), (5,), (16,), (17,), (3, 11), (4, 8, 3)]


def _same(fn):
    a, b = fn(torch), fn(torchless)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if hasattr(x, "numpy"):
            x, y = x.numpy(), y.numpy()
            assert x.dtype == y.dtype and x.shape == y.shape
            assert x.tobytes() == y.tobytes()
        else:
            assert x == y


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_factories_match_torch(seed, shape):
    def body(lib):
        lib.manual_seed(seed)
        out = [
            lib.rand(shape),
            lib.randn(shape),
            lib.randn(shape, dtype=lib.float64),
            lib.randint(-5, 100, shape),
            lib.randint(3, shape, dtype=lib.int16),
            lib.rand(shape, dtype=lib.float64),
        ]
        out.append(lib.get_rng_state())
        return out

    _same(body)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_inplace_fills_and_generators_match_torch(seed):
    def body(lib):
        g = lib.Generator().manual_seed(seed)
        t = lib.empty(37)
        out = [
            t.uniform_(-2, 3, generator=g).clone(),
            t.normal_(1.5, 0.5, generator=g).clone(),
            t.bernoulli_(0.3, generator=g).clone(),
            t.exponential_(2.0, generator=g).clone(),
            t.geometric_(0.2, generator=g).clone(),
            t.log_normal_(0.5, 0.25, generator=g).clone(),
            t.cauchy_(0.0, 2.0, generator=g).clone(),
            lib.empty(9, dtype=lib.int64).random_(0, 10, generator=g),
            lib.randperm(50, generator=g),
            lib.normal(lib.zeros(20), lib.ones(20) * 2, generator=g),
            lib.normal(0.5, 2.0, (6,), generator=g),
            lib.bernoulli(lib.full((20,), 0.25), generator=g),
            lib.multinomial(lib.tensor([[0.2, 0.5, 0.3]]), 5, replacement=True, generator=g),
            lib.multinomial(lib.tensor([0.2, 0.5, 0.3, 0.1]), 3, generator=g),
            g.get_state(),
        ]
        return out

    _same(body)


def test_state_moves_between_torch_and_torchless():
    torch.manual_seed(123)
    torch.rand(10)
    state = torch.get_rng_state().numpy().copy()
    torchless.set_rng_state(torchless.from_numpy(state))
    assert torchless.rand(100).numpy().tobytes() == torch.rand(100).numpy().tobytes()
    np.testing.assert_array_equal(torchless.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_fork_rng_restores_state():
    torchless.manual_seed(5)
    with torchless.random.fork_rng():
        torchless.rand(7)
    a = torchless.rand(3)
    torchless.manual_seed(5)
    assert torchless.rand(3).tolist() == a.tolist()


def test_linear_init_matches_torch():
    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(7, 5)
        return [m.weight.detach(), m.bias.detach()]

    _same(body)


def test_seed_model_step_with_manual_seed_prints_as_torch():
    """The notebook's In [41] with torch.manual_seed(0) in front: identical output."""
    src = (ROOT / "examples" / "notebook_unchanged" / "step4_model.py").read_text()
    prog = "import torch\ntorch.manual_seed(0)\n" + src
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    real = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=env)
    ours = subprocess.run(
        [sys.executable, "-m", "torchless", "run", "-c", prog],
        capture_output=True,
        text=True,
        env=env,
    )
    assert real.returncode == 0, real.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == real.stdout
    assert "Prediction before training" in ours.stdout


def test_normal_on_strided_tensors_draws_in_memory_order():
    def body(lib):
        lib.manual_seed(3)
        a = lib.empty(40, 7).T
        a.normal_()
        b = lib.empty(10, 12)[:, ::3]
        b.normal_(1.0, 2.0)
        c = lib.empty(5, 6, 4).permute(2, 0, 1)
        c.normal_()
        return [a.contiguous(), b.contiguous(), c.contiguous(), lib.get_rng_state()]

    _same(body)
