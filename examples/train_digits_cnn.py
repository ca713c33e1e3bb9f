"""A small CNN on scikit-learn's handwritten digits as 1x8x8 images.

Conv2d, ReLU, MaxPool2d, BatchNorm2d, Flatten and Linear, trained with SGD
with momentum and a learning-rate schedule, with a progress bar.
Run it with ``python examples/train_digits_cnn.py`` (needs scikit-learn).
"""

from __future__ import annotations

try:  # run from the repository root or from examples/
    from examples._progress import Progress
    from examples.train_digits_mlp import accuracy, load_digits_split
except ImportError:  # pragma: no cover
    from _progress import Progress
    from train_digits_mlp import accuracy, load_digits_split

import torchless as torch
from torchless import nn
from torchless.utils.data import DataLoader, TensorDataset


def main(epochs: int = 15, seed: int = 0, verbose: bool = True) -> float:
    torch.manual_seed(seed)
    (xtr, ytr), (xte, yte) = load_digits_split(seed)
    images = torch.from_numpy(xtr).reshape(-1, 1, 8, 8)
    train = DataLoader(TensorDataset(images, torch.from_numpy(ytr)), batch_size=32, shuffle=True)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 10),
    )
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    x_test = torch.from_numpy(xte).reshape(-1, 1, 8, 8)
    y_test = torch.from_numpy(yte)
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
        sched.step()
    acc = accuracy(model, x_test, y_test)
    if verbose:
        print(f"test accuracy: {acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
