"""Programs whose printed output must be identical under torch and torchless:
the second-order autograd example, and a seeded training script (layer init,
dropout, a shuffled DataLoader) printing its losses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

SEEDED_TRAINING = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(1234)
x = torch.randn(96, 6)
y = (x[:, :1] * 2 - x[:, 1:2]).sin() + 0.1 * torch.randn(96, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.MSELoss()
for epoch in range(4):
    for i, (xb, yb) in enumerate(loader):
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} batch {i} loss {loss.item():.4f}")
print(model[0].weight[0, :3])
"""


def _run(args):
    out = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_hessian_and_gradient_penalty_example_prints_what_torch_prints():
    script = str(ROOT / "examples" / "hessian_and_gradient_penalty.py")
    ours = _run([sys.executable, script])
    theirs = _run([sys.executable, script, "--torch"])
    assert ours == theirs
    assert "H @ v =" in ours and "penalty =" in ours


def test_seeded_training_script_prints_identical_losses():
    theirs = _run([sys.executable, "-c", SEEDED_TRAINING])
    ours = _run([sys.executable, "-m", "torchless", "run", "-c", SEEDED_TRAINING])
    assert ours == theirs
    assert ours.count("loss") == 24
