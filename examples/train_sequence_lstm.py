"""An LSTM that reads sequences of different lengths and tells whether their sum is positive.

The sequences (8 to 24 steps of noise) are padded into one batch tensor and packed with
``pack_padded_sequence``, so the LSTM skips the padding; the classifier reads the last
hidden state of each sequence. Chance is 50%; a few epochs reach above 90%.
Run it with ``python examples/train_sequence_lstm.py``.
"""

from __future__ import annotations

import numpy as np

try:  # run from the repository root or from examples/
    from examples._progress import Progress
except ImportError:  # pragma: no cover
    from _progress import Progress

import torchless as torch
from torchless import nn
from torchless.nn.utils.rnn import pack_padded_sequence
from torchless.utils.data import DataLoader, TensorDataset

MIN_LEN, MAX_LEN = 8, 24


def make_data(n: int, rng: np.random.Generator):
    """``n`` padded sequences ``(n, MAX_LEN, 1)``, their lengths and labels (sum > 0)."""
    lengths = rng.integers(MIN_LEN, MAX_LEN + 1, size=n)
    x = np.zeros((n, MAX_LEN, 1), np.float32)
    for i, n_steps in enumerate(lengths):
        x[i, :n_steps, 0] = rng.standard_normal(n_steps)
    y = (x.sum(axis=(1, 2)) > 0).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(y)


class SumClassifier(nn.Module):
    """A one-layer LSTM over the packed sequences and a linear layer on its last state."""

    def __init__(self, hidden: int = 32):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        return self.head(h_n[-1])


def accuracy(model, x, lengths, y) -> float:
    model.eval()
    with torch.no_grad():
        pred = model(x, lengths).argmax(dim=1)
    model.train()
    return (pred == y).float().mean().item()


def main(epochs: int = 8, seed: int = 0, verbose: bool = True) -> float:
    """Train for ``epochs`` and return the test accuracy."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train_set = make_data(2048, rng)
    test_set = make_data(512, rng)
    loader = DataLoader(TensorDataset(*train_set), batch_size=64, shuffle=True)
    model = SumClassifier()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for epoch in range(epochs):
        bar = Progress(loader, desc=f"epoch {epoch + 1}/{epochs}") if verbose else loader
        total = 0.0
        for xb, lb, yb in bar:
            loss = loss_fn(model(xb, lb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            if verbose:
                bar.set(loss=total / len(loader))
    acc = accuracy(model, *test_set)
    if verbose:
        print(f"test accuracy: {acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
