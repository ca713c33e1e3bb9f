"""Second-order autograd: a Hessian-vector product and a WGAN-GP style
gradient penalty.

Both use ``autograd.grad(..., create_graph=True)``: the first gradient is
itself a graph that can be differentiated again. Run it with torchless
(``python examples/hessian_and_gradient_penalty.py``) or with PyTorch
(``--torch``): the printed output is identical.
"""

from __future__ import annotations

import sys


def main(torch) -> None:
    torch.manual_seed(0)
    nn = torch.nn

    # Hessian-vector product of f(w) = sum(tanh(X @ w) ** 2) at w, along v
    X = torch.randn(5, 3, dtype=torch.float64)
    w = torch.randn(3, dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1.0, -0.5, 2.0], dtype=torch.float64)
    f = (torch.tanh(X @ w) ** 2).sum()
    (g,) = torch.autograd.grad(f, w, create_graph=True)
    (hv,) = torch.autograd.grad(g, w, grad_outputs=v)
    print("f     =", f)
    print("grad  =", g)
    print("H @ v =", hv)
    # the same through torch.autograd.functional
    _, hv2 = torch.autograd.functional.hvp(lambda w: (torch.tanh(X @ w) ** 2).sum(), w, v)
    print("hvp   =", hv2)

    # Gradient penalty: the critic's gradient norm at interpolated points
    # is pushed towards 1, and the penalty is differentiated w.r.t. the weights
    critic = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    real = torch.randn(8, 4)
    fake = torch.randn(8, 4)
    alpha = torch.rand(8, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(mixed)
    (grads,) = torch.autograd.grad(scores.sum(), mixed, create_graph=True)
    penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    penalty.backward()
    print("penalty =", penalty)
    print("d penalty / d first bias =", critic[0].bias.grad[:4])


if __name__ == "__main__":
    if "--torch" in sys.argv:
        import torch as lib
    else:
        import torchless as lib
    main(lib)
