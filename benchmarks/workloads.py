"""The benchmark workloads. Each ``make_*(lib, quick)`` builds its data and
model with ``lib`` (torch or torchless) and returns a zero-argument callable
that runs the workload once. ``quick`` shrinks sizes so CI can run the code
without caring about time."""

from __future__ import annotations

import numpy as np


def _data(shape, seed=0, scale=1.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(np.float32)


def make_w1(lib, quick):
    """W1: the seed's autograd loop on a scalar weight."""
    x = lib.tensor([1, 2, 3, 4], dtype=lib.float32)
    y = lib.tensor([2, 4, 6, 8], dtype=lib.float32)
    n = 5 if quick else 100

    def run():
        w = lib.tensor(0.0, dtype=lib.float32, requires_grad=True)
        for _ in range(n):
            loss = ((w * x - y) ** 2).mean()
            loss.backward()
            with lib.no_grad():
                w -= 0.01 * w.grad
            w.grad.zero_()

    return run


def make_w2(lib, quick):
    """W2: the seed's model loop: nn.Linear(1, 1), MSELoss, SGD."""
    x = lib.tensor([[1.0], [2.0], [3.0], [4.0]])
    y = lib.tensor([[2.0], [4.0], [6.0], [8.0]])
    n = 5 if quick else 100

    def run():
        model = lib.nn.Linear(1, 1)
        loss_fn = lib.nn.MSELoss()
        opt = lib.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(n):
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()

    return run


def make_w3(lib, quick):
    """W3: MLP 64-256-256-10, ReLU, cross-entropy, Adam, batch 64, 1024 samples."""
    nn = lib.nn
    n = 128 if quick else 1024
    X = lib.tensor(_data((n, 64)))
    Y = lib.tensor(np.random.default_rng(1).integers(0, 10, n))
    model = nn.Sequential(
        nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
    )
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def run():
        for i in range(0, n, 64):
            loss = loss_fn(model(X[i : i + 64]), Y[i : i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()

    return run


def make_w4(lib, quick):
    """W4: small CNN on batch 32 of 1x28x28, SGD with momentum, 5 steps."""
    nn = lib.nn
    b = 4 if quick else 32
    X = lib.tensor(_data((b, 1, 28, 28)))
    Y = lib.tensor(np.random.default_rng(1).integers(0, 10, b))
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 10),
    )
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    steps = 1 if quick else 5

    def run():
        for _ in range(steps):
            loss = loss_fn(model(X), Y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    return run


W5_SIZES = {"quick": (16, 64, 128), "full": (256, 1024, 2048)}


def make_w5(lib, quick):
    """W5: BLAS-bound MLP 1024-2048-1024, batch 256, MSE, SGD, 2 steps."""
    nn = lib.nn
    b, d, h = W5_SIZES["quick" if quick else "full"]
    X = lib.tensor(_data((b, d)))
    Y = lib.tensor(_data((b, d)))
    model = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))
    opt = lib.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()

    def run():
        for _ in range(2):
            loss = loss_fn(model(X), Y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    return run


def w5_flops(quick):
    """Floating point operations of one W5 run (forward + backward GEMMs)."""
    b, d, h = W5_SIZES["quick" if quick else "full"]
    per_gemm = 2 * b * d * h
    return 2 * 3 * 2 * per_gemm  # 2 steps x (fwd + 2 bwd GEMMs) x 2 layers


def make_w6(lib, quick):
    """W6: 2-layer LSTM, hidden 128, sequence 32, batch 16, one training step."""
    nn = lib.nn
    seq, batch, hid = (4, 2, 16) if quick else (32, 16, 128)
    lstm = nn.LSTM(hid, hid, num_layers=2)
    X = lib.tensor(_data((seq, batch, hid)))
    opt = lib.optim.SGD(lstm.parameters(), lr=0.01)

    def run():
        out, _ = lstm(X)
        loss = out.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return run


def make_w7(lib, quick):
    """W7: Transformer encoder layer, d_model 128, 4 heads, seq 64, batch 16."""
    nn = lib.nn
    d, seq, batch = (32, 8, 2) if quick else (128, 64, 16)
    layer = nn.TransformerEncoderLayer(d, 4, dim_feedforward=4 * d, dropout=0.0, batch_first=True)
    X = lib.tensor(_data((batch, seq, d)))
    opt = lib.optim.SGD(layer.parameters(), lr=0.01)

    def run():
        loss = layer(X).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return run


def make_w8(lib, quick):
    """W8: a chain of 100,000 scalar ops, forward and backward."""
    n = 1000 if quick else 100_000

    def run():
        x = lib.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * 1.00001
        y.backward()

    return run


WORKLOADS = {
    "W1 seed autograd loop": make_w1,
    "W2 seed model loop": make_w2,
    "W3 MLP + Adam": make_w3,
    "W4 small CNN": make_w4,
    "W5 BLAS-bound MLP": make_w5,
    "W6 LSTM step": make_w6,
    "W7 Transformer layer step": make_w7,
    "W8 100k-op scalar chain": make_w8,
}
