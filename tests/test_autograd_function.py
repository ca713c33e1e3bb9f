"""Custom autograd Functions against torch: both styles, saved tensors,
double backward, non-differentiable outputs, dirty inputs, errors, and
gradcheck/gradgradcheck on user Functions."""

import pytest

import torchless
from torchless.autograd import gradcheck, gradgradcheck
from torchless.autograd.gradcheck import GradcheckError

torch = pytest.importorskip("torch")


def _make_exp(lib):
    class MyExp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            r = x.exp() * k
            ctx.save_for_backward(r)
            return r

        @staticmethod
        def backward(ctx, g):
            (r,) = ctx.saved_tensors
            return g * r, None

    return MyExp


def _make_split(lib):
    class Split(lib.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2, x.argmax()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.mark_non_differentiable(output[1])

        @staticmethod
        def backward(ctx, ga, gb):
            return ga * 2

    return Split


def run_both(body):
    a, b = body(torch), body(torchless)
    assert a == b, f"\ntorch:     {a}\ntorchless: {b}"
    return b


def test_classic_style_with_double_backward():
    def body(lib):
        x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
        y = _make_exp(lib).apply(x, 2.0)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        return [str(y), y.grad_fn.name(), str(g), str(h)]

    run_both(body)


def test_setup_context_style_and_non_differentiable_outputs():
    def body(lib):
        x = lib.tensor([0.5, 1.0], dtype=lib.float64, requires_grad=True)
        a, b = _make_split(lib).apply(x)
        a.sum().backward()
        return [str(a), str(b), b.requires_grad, a.grad_fn.name(), str(x.grad)]

    run_both(body)


def test_needs_input_grad_and_materialized_grads():
    def body(lib):
        seen = []

        class Two(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                seen.append(ctx.needs_input_grad)
                return x * 1, y * 1

            @staticmethod
            def backward(ctx, gx, gy):
                seen.append((str(gx), str(gy)))
                return gx, gy

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([3.0])
        a, b = Two.apply(x, y)
        a.sum().backward()
        return seen, str(x.grad)

    run_both(body)


def test_wrong_number_of_gradients_is_an_error():
    def body(lib):
        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, g):
                return (g,)

        x = lib.tensor([1.0], requires_grad=True)
        try:
            Bad.apply(x, lib.tensor([2.0])).sum().backward()
        except RuntimeError as e:
            return str(e)

    assert "incorrect number of gradients" in run_both(body)


def test_saved_tensor_modified_in_place_is_detected():
    def body(lib):
        MyExp = _make_exp(lib)
        x = lib.tensor([0.5, 1.0], requires_grad=True)
        y = MyExp.apply(x, 1.0)
        with lib.no_grad():
            y.mul_(2)
        try:
            y.sum().backward()
        except RuntimeError as e:
            return type(e).__name__

    assert run_both(body) == "RuntimeError"


def test_gradcheck_on_user_functions():
    MyExp = _make_exp(torchless)
    x = torchless.tensor([0.3, -0.7, 1.1], dtype=torchless.float64, requires_grad=True)
    assert gradcheck(lambda t: MyExp.apply(t, 1.5), (x,))
    assert gradgradcheck(lambda t: MyExp.apply(t, 1.5), (x,))

    class WrongGrad(torchless.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * t

        @staticmethod
        def backward(ctx, g):
            return g * 3

    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradcheck(WrongGrad.apply, (x,))
    assert gradcheck(WrongGrad.apply, (x,), raise_exception=False) is False
