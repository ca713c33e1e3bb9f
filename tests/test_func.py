"""torch.func essentials against torch: grad (nested), grad_and_value, vjp,
jacrev, hessian, vmap (incl. vmap of grad and unbatched arguments)."""

import pytest

import torchless

torch = pytest.importorskip("torch")


def _x(lib):
    return lib.tensor([0.3, -1.2, 0.8], dtype=lib.float64)


def _f(x):
    return (x.sin() * x.exp()).sum()


CASES = {
    "grad": lambda lib: lib.func.grad(_f)(_x(lib)),
    "grad_of_grad": lambda lib: lib.func.grad(lambda x: lib.func.grad(_f)(x).sum())(_x(lib)),
    "grad_and_value": lambda lib: lib.func.grad_and_value(_f)(_x(lib)),
    "grad_argnums": lambda lib: lib.func.grad(lambda a, b: (a * b.exp()).sum(), argnums=(0, 1))(
        _x(lib), _x(lib) * 2
    ),
    "jacrev": lambda lib: lib.func.jacrev(lambda x: x.sin() * x[0])(_x(lib)),
    "hessian": lambda lib: lib.func.hessian(_f)(_x(lib)),
    "vmap": lambda lib: lib.func.vmap(lambda r: (r * _x(lib)).sum())(
        lib.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=lib.float64)
    ),
    "vmap_grad": lambda lib: lib.func.vmap(lib.func.grad(lambda r: (r.sin() * r).sum()))(
        lib.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=lib.float64)
    ),
    "vmap_in_dims": lambda lib: lib.func.vmap(lambda r, s: r * s, in_dims=(1, None))(
        lib.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 2.0]], dtype=lib.float64), _x(lib)
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_func_matches_torch(case):
    assert str(CASES[case](torch)) == str(CASES[case](torchless))


def test_vjp_matches_torch():
    def body(lib):
        out, fn = lib.func.vjp(lambda x: x.exp() * x, _x(lib))
        return str(out), str(fn(lib.ones(3, dtype=lib.float64)))

    assert body(torch) == body(torchless)


def test_grad_needs_a_scalar_output():
    with pytest.raises(RuntimeError, match="Expected f"):
        torchless.func.grad(lambda x: x * 2)(_x(torchless))
