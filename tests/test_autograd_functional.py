"""torch.autograd.functional equivalents against torch: jacobian, hessian,
vjp, jvp, hvp, vhp, plus a Hessian-vector product and a gradient penalty
written with autograd.grad(create_graph=True)."""

import pytest

import torchless

torch = pytest.importorskip("torch")


def run_both(body):
    a, b = body(torch), body(torchless)
    assert a == b, f"\ntorch:     {a}\ntorchless: {b}"
    return b


def _setup(lib):
    x = lib.tensor([0.3, -1.2, 0.8], dtype=lib.float64)
    W = lib.tensor([[0.5, 0.1, -0.3], [0.2, -0.4, 0.9]], dtype=lib.float64)
    v = lib.tensor([1.0, 0.5, -2.0], dtype=lib.float64)
    return x, W, v


@pytest.mark.parametrize(
    "which", ["jacobian", "jacobian_tuple", "hessian", "vjp", "jvp", "hvp", "vhp"]
)
def test_functional_matches_torch(which):
    def body(lib):
        F = lib.autograd.functional
        x, W, v = _setup(lib)

        def f(x):
            return (W @ x).tanh() * x[:2].exp()

        def s(x):
            return (x.exp() * x * x).sum()

        if which == "jacobian":
            return str(F.jacobian(f, x))
        if which == "jacobian_tuple":
            return str(F.jacobian(lambda a, b: (a * b, a.sum()), (x, v)))
        if which == "hessian":
            return str(F.hessian(s, x))
        if which == "vjp":
            return str(F.vjp(f, x, lib.tensor([1.0, 2.0], dtype=lib.float64)))
        if which == "jvp":
            return str(F.jvp(f, x, v))
        return str(getattr(F, which)(s, x, v))

    run_both(body)


def test_hessian_vector_product_and_gradient_penalty():
    def body(lib):
        x, W, v = _setup(lib)
        x.requires_grad_(True)
        W.requires_grad_(True)
        y = ((W @ x).sigmoid() ** 2).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (hv,) = lib.autograd.grad(g, x, grad_outputs=v, retain_graph=True)
        penalty = ((g * g).sum().sqrt() - 1) ** 2  # WGAN-GP style
        penalty.backward()
        return str(hv), str(W.grad)

    run_both(body)


def test_third_derivative_of_elementwise_ops():
    def body(lib):
        x = lib.tensor([0.4, -0.9], dtype=lib.float64, requires_grad=True)
        y = (x.sin() * x.exp() + x.tanh() ** 3).sum()
        (g1,) = lib.autograd.grad(y, x, create_graph=True)
        (g2,) = lib.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = lib.autograd.grad(g2.sum(), x)
        return [str(g1), str(g2), str(g3)]

    run_both(body)
