"""Module backward hooks, weight_norm parametrizations, Bilinear and LazyLinear against
torch."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest
from oracle import oracle, to_lib

A = np.array([1.0, 2.0, -0.5])
B = np.array([3.0, 4.0, 0.25])


def _vals(gs):
    return [None if g is None else g.detach().clone() for g in gs]


def test_full_backward_hook_multi_input_and_replacement():
    def body(lib):
        class M(lib.nn.Module):
            def forward(self, a, k, b):
                return a * k + b.sum(), a - 1

        m = M()
        log = []
        m.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", _vals(go))))

        def hook(mod, gi, go):
            log.append(("hook", _vals(gi), _vals(go)))
            return (gi[0] * 10, None, None)

        handle = m.register_full_backward_hook(hook)
        a = to_lib(lib, A, requires_grad=True)
        b = to_lib(lib, B)
        o1, o2 = m(a, 2.0, b)
        o1.sum().backward()
        g1 = a.grad.clone()
        handle.remove()
        a.grad = None
        o1, o2 = m(a, 2.0, b)
        (o1.sum() + o2.sum()).backward()
        return log, g1, o1.grad_fn.name()

    oracle(body, grads=False)


def test_full_backward_pre_hook_replaces_grad_output():
    def body(lib):
        m = lib.nn.Linear(3, 2)
        with lib.no_grad():
            m.weight.copy_(to_lib(lib, np.arange(6.0).reshape(2, 3) / 10))
        seen = []
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
        m.register_full_backward_hook(lambda mod, gi, go: seen.append(_vals(gi) + _vals(go)))
        x = to_lib(lib, np.ones((4, 3)), requires_grad=True)
        m(x).sum().backward()
        return seen, len(seen)

    oracle(body, grads=False)


def test_full_backward_hook_nested_sequential_called_once():
    def body(lib):
        lib.manual_seed(0)
        s = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
        calls = []
        for i, c in enumerate(s):
            c.register_full_backward_hook(
                lambda mod, gi, go, i=i: calls.append((i, _vals(gi), _vals(go)))
            )
        s.register_full_backward_hook(lambda mod, gi, go: calls.append(("all", _vals(gi))))
        x = to_lib(lib, np.arange(8.0).reshape(4, 2) - 3, requires_grad=True)
        s(x).sum().backward()
        return calls

    oracle(body, rtol=1e-5, atol=1e-6)


def test_full_backward_hook_no_input_requires_grad_warns():
    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(2, 2)
        seen = []
        m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, _vals(go))))
        y = m(to_lib(lib, np.ones((1, 2))))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y.sum().backward()
        return seen, [str(x.message) for x in w]

    oracle(body, grads=False)


def test_backward_hook_errors():
    def body(lib):
        m = lib.nn.Linear(2, 2)
        m.register_full_backward_hook(lambda *a: None)
        m.register_backward_hook(lambda *a: None)

    oracle(body, match="Cannot use both")

    def body2(lib):
        m = lib.nn.ReLU()
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
        m(to_lib(lib, A, requires_grad=True)).sum().backward()

    oracle(body2, match="invalid number of grad_input")


def test_legacy_backward_hook_is_called():
    def body(lib):
        m = lib.nn.ReLU()
        seen = []
        m.register_backward_hook(lambda mod, gi, go: seen.append(_vals(gi) + _vals(go)))
        x = to_lib(lib, A, requires_grad=True)
        y = m(x * 1)
        y.sum().backward()
        return seen

    oracle(body)


def _wn(lib):
    return importlib.import_module(lib.__name__ + ".nn.utils.parametrizations").weight_norm


def _param(lib):
    return importlib.import_module(lib.__name__ + ".nn.utils.parametrize")


W = np.arange(12.0).reshape(4, 3) / 7 - 0.8


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_parametrization(dim):
    def body(lib):
        m = lib.nn.Linear(3, 4)
        with lib.no_grad():
            m.weight.copy_(to_lib(lib, W, dtype=np.float32))
            m.bias.zero_()
        _wn(lib)(m, dim=dim)
        sd = m.state_dict()
        x = to_lib(lib, np.ones((2, 3)) / 3, dtype=np.float32)
        y = m(x)
        y.sum().backward()
        p = m.parametrizations.weight
        out = [
            repr(m),
            list(sd),
            sd["parametrizations.weight.original0"],
            type(m).__name__,
            _param(lib).is_parametrized(m, "weight"),
            y.detach(),
            p.original0.grad,
            p.original1.grad,
        ]
        _param(lib).remove_parametrizations(m, "weight")
        return out + [repr(m), list(m.state_dict()), m.weight.detach()]

    oracle(body, rtol=1e-5, atol=1e-6)


def test_weight_norm_legacy():
    def body(lib):
        m = lib.nn.Linear(3, 4)
        with lib.no_grad():
            m.weight.copy_(to_lib(lib, W, dtype=np.float32))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.utils.weight_norm(m)
        msgs = [(x.category.__name__, str(x.message)) for x in w]
        keys = list(m.state_dict())
        m(to_lib(lib, np.ones((2, 3)), dtype=np.float32)).sum().backward()
        out = [msgs, keys, m.weight_g.detach(), m.weight_g.grad, m.weight_v.grad]
        lib.nn.utils.remove_weight_norm(m)
        return out + [list(m.state_dict()), m.weight.detach()]

    oracle(body, rtol=1e-5, atol=1e-6)


def test_bilinear():
    def body(lib):
        lib.manual_seed(3)
        m = lib.nn.Bilinear(2, 3, 4)
        x1 = to_lib(lib, np.arange(10.0).reshape(5, 2) / 10, dtype=np.float32, requires_grad=True)
        x2 = to_lib(lib, np.arange(15.0).reshape(5, 3) / 10, dtype=np.float32)
        y = m(x1, x2)
        y.sum().backward()
        nb = lib.nn.Bilinear(2, 3, 4, bias=False)
        return repr(m), repr(nb), m.weight.detach(), m.bias.detach(), y.detach(), m.weight.grad

    oracle(body, rtol=1e-5, atol=1e-6)


def test_lazy_linear():
    def body(lib):
        lib.manual_seed(5)
        m = lib.nn.LazyLinear(5)
        before = (repr(m), repr(m.weight), list(m.state_dict()), m.has_uninitialized_params())
        y = m(to_lib(lib, np.ones((2, 3)), dtype=np.float32))
        nb = lib.nn.LazyLinear(2, bias=False)
        return before, repr(m), type(m).__name__, m.weight.detach(), m.bias.detach(), y, repr(nb)

    oracle(body, rtol=1e-5, atol=1e-6)


def test_lazy_shape_error():
    def body(lib):
        return lib.nn.LazyLinear(5).weight.shape

    oracle(body, match="uninitialized parameter")
