"""An MLP on scikit-learn's handwritten digits (8x8 images, 10 classes).

Everything a PyTorch training script has: a Dataset and DataLoader, an
nn.Sequential model, cross-entropy, Adam, train/eval modes, a progress bar.
Run it with ``python examples/train_digits_mlp.py`` (needs scikit-learn).
"""

from __future__ import annotations

import numpy as np

try:  # run from the repository root or from examples/
    from examples._progress import Progress
except ImportError:  # pragma: no cover
    from _progress import Progress

import torchless as torch
from torchless import nn
from torchless.utils.data import DataLoader, TensorDataset


def load_digits_split(seed: int = 0):
    """Standardised digits, split 80/20 with a fixed permutation."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.data.astype(np.float32) / 16.0
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    cut = int(0.8 * len(x))
    mean, std = x[:cut].mean(0), x[:cut].std(0) + 1e-6
    x = (x - mean) / std
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def accuracy(model, x, y) -> float:
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    model.train()
    return (pred == y).float().mean().item()


def main(epochs: int = 30, seed: int = 0, verbose: bool = True) -> float:
    torch.manual_seed(seed)
    (xtr, ytr), (xte, yte) = load_digits_split(seed)
    train = DataLoader(
        TensorDataset(torch.from_numpy(xtr), torch.from_numpy(ytr)), batch_size=64, shuffle=True
    )
    model = nn.Sequential(
        nn.Linear(64, 128),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(128, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x_test, y_test = torch.from_numpy(xte), torch.from_numpy(yte)
    for epoch in range(epochs):
        bar = Progress(train, desc=f"epoch {epoch + 1:2d}/{epochs}") if verbose else train
        total = 0.0
        for xb, yb in bar:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            if verbose:
                bar.set(loss=total / len(train))
    acc = accuracy(model, x_test, y_test)
    if verbose:
        print(f"test accuracy: {acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
