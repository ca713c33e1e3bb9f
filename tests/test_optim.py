"""torchless.optim against torch: SGD trajectories for every option (bit for bit with the
same gradients), parameter groups, state and state_dict, zero_grad, validation errors,
printing and hooks."""

from __future__ import annotations

import copy
import itertools
import pickle

import numpy as np
import pytest
from oracle import oracle, to_lib

import torchless
from torchless.optim._fma import axpy, scale

torch = pytest.importorskip("torch")

SHAPES = [(7, 5), (13,), (), (40,)]  # sizes around and above a SIMD width, and a scalar


def _same(body, **kw):
    return oracle(body, grads=False, **kw)


def _sgd_options():
    for momentum, dampening, nesterov, weight_decay, maximize in itertools.product(
        [0, 0.9], [0, 0.1], [False, True], [0, 0.01], [False, True]
    ):
        if nesterov and (momentum == 0 or dampening != 0):
            continue
        yield {
            "lr": 0.01,
            "momentum": momentum,
            "dampening": dampening,
            "nesterov": nesterov,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }


_OPTIONS = list(_sgd_options())


def _trajectory(lib, dtype, options, steps=50, seed=0):
    """Run ``steps`` SGD steps with the same given gradients in ``lib``; return the
    parameters after every step and the final momentum buffers."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in SHAPES]
    grads = [[rng.standard_normal(s) for s in SHAPES] for _ in range(steps)]
    params = [to_lib(lib, a, dtype=dtype).requires_grad_() for a in init]
    opt = lib.optim.SGD(params, **options)
    history = []
    for step in grads:
        for p, g in zip(params, step):
            p.grad = to_lib(lib, g, dtype=dtype)
        opt.step()
        history.append([p.detach().clone() for p in params])
    bufs = [opt.state[p].get("momentum_buffer") for p in params]
    return history, bufs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "options", _OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items() if k != "lr")
)
def test_sgd_trajectory_bit_identical(dtype, options):
    # the update reproduces torch's CPU rounding (its add_ with alpha is a fused
    # multiply-add), so equal gradients give equal parameters, bit for bit
    oracle(lambda lib: _trajectory(lib, dtype, options), exact=True, grads=False)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", [_OPTIONS[0], _OPTIONS[-1], _OPTIONS[9]])
def test_sgd_training_loop(dtype, options):
    """A model trained end to end (its own gradients each side) stays with torch."""

    def body(lib):
        dt = getattr(lib, dtype)
        rng = np.random.default_rng(3)
        x = to_lib(lib, rng.standard_normal((16, 3)), dtype=dtype)
        y = to_lib(lib, rng.standard_normal((16, 2)), dtype=dtype)
        model = lib.nn.Linear(3, 2, dtype=dt)
        with lib.no_grad():
            model.weight.copy_(to_lib(lib, rng.standard_normal((2, 3))))
            model.bias.copy_(to_lib(lib, rng.standard_normal(2)))
        opt = lib.optim.SGD(model.parameters(), **dict(options, lr=0.05))
        loss_fn = lib.nn.MSELoss()
        losses = []
        for _ in range(50):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return [losses, model.weight, model.bias]

    tol = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    oracle(body, grads=False, **tol)


def test_sgd_skips_params_without_grad_and_lr_tensor():
    def body(lib):
        a = to_lib(lib, [1.0, 2.0], dtype="float32").requires_grad_()
        b = to_lib(lib, [3.0], dtype="float32").requires_grad_()
        opt = lib.optim.SGD([a, b], lr=lib.tensor(0.1), momentum=0.5)
        a.grad = lib.ones(2)
        opt.step()
        opt.step()
        return [a, b, len(opt.state), opt.state[a]["momentum_buffer"], b in opt.state]

    _same(body, exact=True)


def test_sgd_closure_and_differentiable_flag():
    def body(lib):
        w = to_lib(lib, [1.0, -2.0], dtype="float32").requires_grad_()
        opt = lib.optim.SGD([w], lr=0.1)
        grad_modes = []

        def closure():
            grad_modes.append(lib.is_grad_enabled())
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss

        with lib.no_grad():
            loss = opt.step(closure)
        return [loss, w, grad_modes, opt.step(), lib.is_grad_enabled()]

    _same(body)


def test_sgd_momentum_buffer_is_updated_in_place():
    w = torchless.tensor([1.0, 2.0], requires_grad=True)
    opt = torchless.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = torchless.ones(2)
    opt.step()
    buf = opt.state[w]["momentum_buffer"]
    assert buf._data is not w.grad._data  # a copy, not the gradient itself
    opt.step()
    assert opt.state[w]["momentum_buffer"] is buf
    np.testing.assert_array_equal(buf.numpy(), np.float32(1.9) * np.ones(2, np.float32))
    assert w._version == 2


# --------------------------------------------------------------------------- groups, state


def test_param_groups_and_defaults():
    def body(lib):
        a = lib.zeros(2, requires_grad=True)
        b = lib.zeros(3, requires_grad=True)
        opt = lib.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.1}], lr=0.1)
        c = lib.zeros(1, requires_grad=True)
        opt.add_param_group({"params": [c], "nesterov": True, "momentum": 0.9})
        return [
            opt.defaults,
            [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups],
            [len(g["params"]) for g in opt.param_groups],
            opt.param_groups[1]["params"][0] is b,
            repr(opt),
            type(opt.state).__name__,
        ]

    _same(body)


def test_named_params():
    def body(lib):
        m = lib.nn.Linear(2, 1)
        opt = lib.optim.SGD(m.named_parameters(), lr=0.1)
        return [opt.param_groups[0]["param_names"], opt.state_dict()["param_groups"]]

    _same(body)


@pytest.mark.parametrize(
    "case",
    [
        "tensor",
        "empty",
        "set_in_group",
        "not_tensor",
        "non_leaf",
        "duplicate_group",
        "group_not_dict",
        "lr",
        "momentum",
        "weight_decay",
        "nesterov",
        "nesterov_dampening",
        "lr_tensor",
        "mixed_names",
        "fused_differentiable",
    ],
)
def test_validation_errors(case):
    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        SGD = lib.optim.SGD
        if case == "tensor":
            SGD(w, lr=0.1)
        elif case == "empty":
            SGD([], lr=0.1)
        elif case == "set_in_group":
            SGD([{"params": {w}}], lr=0.1)
        elif case == "not_tensor":
            SGD([w, 1.5], lr=0.1)
        elif case == "non_leaf":
            SGD([w * 2], lr=0.1)
        elif case == "duplicate_group":
            SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
        elif case == "group_not_dict":
            SGD([w], lr=0.1).add_param_group([w])
        elif case == "lr":
            SGD([w], lr=-1)
        elif case == "momentum":
            SGD([w], lr=0.1, momentum=-0.5)
        elif case == "weight_decay":
            SGD([w], lr=0.1, weight_decay=-1e-3)
        elif case == "nesterov":
            SGD([w], lr=0.1, nesterov=True)
        elif case == "nesterov_dampening":
            SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
        elif case == "lr_tensor":
            SGD([w], lr=lib.tensor([0.1, 0.2]))
        elif case == "mixed_names":
            SGD([("a", w), lib.zeros(1, requires_grad=True)], lr=0.1)
        elif case == "fused_differentiable":
            SGD([w], lr=0.1, fused=True, differentiable=True)
        return "no error"

    _same(body)


def test_a_set_of_params_is_accepted_and_duplicates_warn():
    # torch takes a set given directly (it is turned into a list); only a set inside a
    # group dict is refused
    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD({w}, lr=0.1)
        return len(opt.param_groups[0]["params"])

    _same(body)
    w = torchless.zeros(2, requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        torchless.optim.SGD([w, w], lr=0.1)


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    def body(lib):
        w = lib.ones(3, requires_grad=True)
        v = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w, v], lr=0.1)
        (w * w).sum().backward()
        g = w.grad
        opt.zero_grad(set_to_none=set_to_none)
        return [w.grad, v.grad, w.grad is g]

    _same(body)


def test_optimizer_base_class():
    def body(lib):
        w = lib.zeros(1, requires_grad=True)
        opt = lib.optim.Optimizer([w], {"lr": 1})
        out = [repr(opt), opt.defaults]
        try:
            opt.step()
        except NotImplementedError as e:
            out.append(("NotImplementedError", str(e)))
        return out

    _same(body)


# --------------------------------------------------------------------------- state_dict


def _stepped(lib, momentum=0.9):
    m = lib.nn.Linear(3, 2)
    with lib.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(to_lib(lib, np.linspace(-1, 1, p.numel()).reshape(tuple(p.shape)) * (i + 2)))
    extra = to_lib(lib, [0.5], dtype="float32").requires_grad_()
    opt = lib.optim.SGD(
        [{"params": m.parameters()}, {"params": [extra], "lr": 0.5}], lr=0.1, momentum=momentum
    )
    x = to_lib(lib, np.ones((4, 3)), dtype="float32")
    (m(x).sum() + (extra * extra).sum()).backward()
    opt.step()
    return m, extra, opt


def test_state_dict_structure():
    def body(lib):
        m, extra, opt = _stepped(lib)
        sd = opt.state_dict()
        plain = lib.optim.SGD([lib.zeros(1, requires_grad=True)]).state_dict()
        return [sd, plain, list(sd["state"]), type(sd["state"]).__name__]

    _same(body, exact=True)


def test_load_state_dict_restores_and_continues():
    def body(lib):
        m, extra, opt = _stepped(lib)
        sd = opt.state_dict()
        m2, extra2, opt2 = _stepped(lib, momentum=0.0)
        opt2.load_state_dict(copy.deepcopy(sd))
        params2 = [p for g in opt2.param_groups for p in g["params"]]
        same_params = [a is b for a, b in zip(params2, [*m2.parameters(), extra2])]
        # the loaded momentum buffers drive the next step
        for p in params2:
            p.grad = lib.ones_like(p)
        opt2.step()
        return [opt2.state_dict(), same_params, [p for p in params2]]

    _same(body, exact=True)


@pytest.mark.parametrize("case", ["groups", "sizes"])
def test_load_state_dict_errors(case):
    def body(lib):
        m, extra, opt = _stepped(lib)
        sd = opt.state_dict()
        if case == "groups":
            other = lib.optim.SGD(m.parameters(), lr=0.1)
        else:
            other = lib.optim.SGD([{"params": [m.weight]}, {"params": [m.bias, extra]}], lr=0.1)
        other.load_state_dict(sd)

    _same(body)


def test_load_state_dict_casts_state_to_param_dtype():
    w = torchless.zeros(2, dtype=torchless.float64, requires_grad=True)
    opt = torchless.optim.SGD([w], lr=0.1, momentum=0.9)
    sd = {
        "state": {0: {"momentum_buffer": torchless.ones(2)}},
        "param_groups": [dict(opt.state_dict()["param_groups"][0])],
    }
    opt.load_state_dict(sd)
    assert opt.state[w]["momentum_buffer"].dtype == torchless.float64


def test_pickle_and_deepcopy():
    def body(lib):
        m, extra, opt = _stepped(lib)
        out = []
        for clone in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
            out.append(repr(clone))
            out.append(clone.state_dict())
        return out

    _same(body, exact=True)


# --------------------------------------------------------------------------- hooks


def test_step_and_state_dict_hooks():
    def body(lib):
        w = to_lib(lib, [1.0], dtype="float32").requires_grad_()
        opt = lib.optim.SGD([w], lr=0.1)
        log = []
        opt.register_step_pre_hook(lambda o, a, k: log.append("pre"))
        h = opt.register_step_post_hook(lambda o, a, k: log.append("post"))
        opt.register_state_dict_pre_hook(lambda o: log.append("sd_pre"))
        opt.register_state_dict_post_hook(lambda o, sd: log.append(("sd_post", list(sd))))
        opt.register_load_state_dict_pre_hook(lambda o, sd: log.append("load_pre"))
        opt.register_load_state_dict_post_hook(lambda o: log.append("load_post"))
        w.grad = lib.ones(1)
        opt.step()
        h.remove()
        opt.step()
        opt.load_state_dict(opt.state_dict())
        return [log, w]

    _same(body)


# --------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [0.1, -0.01, 0.9, 1.0, 0.5, -1e3, 3.3e-5])
def test_axpy_matches_torch_add_alpha(dtype, alpha):
    rng = np.random.default_rng(11)
    n = 20011
    y = (rng.standard_normal(n) * np.exp(rng.uniform(-30, 30, n))).astype(dtype)
    x = (rng.standard_normal(n) * np.exp(rng.uniform(-30, 30, n))).astype(dtype)
    x[:50] = -y[:50] / dtype(alpha)  # near-cancellation
    expect = torch.from_numpy(y.copy()).add_(torch.from_numpy(x), alpha=alpha).numpy()
    np.testing.assert_array_equal(axpy(y, x, alpha), expect)
    out = y.copy()
    axpy(out, x, alpha, out=out)
    np.testing.assert_array_equal(out, expect)


def _ties():
    """Cases where rounding twice (to float64, then to float32; or the product, then the
    sum) lands on a tie and rounds the wrong way: fma(x, alpha, y) must not."""
    f32 = np.float32
    a32 = float(f32(1 - 2**-23))
    return [
        # float32: x * alpha = 2**-24 - 2**-70, so y + x * alpha in float64 is a tie
        (np.float32, [1 + 2**-23, -(1 + 2**-23), 1.0], [2**-24 * (1 + 2**-23)] * 2 + [0], a32),
        # float32, subnormal result: a tie on the subnormal grid
        (np.float32, [2**-127 + 2**-149], [2**-100 * (1 + 2**-23)], float(f32(2**-50 * a32))),
        # float64: the product rounds up to 2**-53, then the sum is a tie
        (np.float64, [1 + 2**-52, -(1 + 2**-52)], [2**-53 * (1 + 2**-52)] * 2, 1 - 2**-52),
    ]


@pytest.mark.parametrize("dtype,y,x,alpha", _ties())
@pytest.mark.parametrize("zero_d", [False, True])
def test_axpy_double_rounding_ties(dtype, y, x, alpha, zero_d):
    y = np.array(y, dtype=dtype)
    x = np.array(x, dtype=dtype)
    if zero_d:
        y, x = np.array(y[0]), np.array(x[0])
    expect = torch.from_numpy(y.copy()).add_(torch.from_numpy(x), alpha=alpha).numpy()
    naive = (y.astype(np.float64) + x.astype(np.float64) * alpha).astype(dtype)
    if dtype == np.float32:
        assert not np.array_equal(naive, expect)  # the case is a real trap
    got = axpy(y, x, alpha)
    assert got.shape == expect.shape
    np.testing.assert_array_equal(got, expect)
    out = y.copy()
    assert axpy(out, x, alpha, out=out) is out
    np.testing.assert_array_equal(out, expect)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_scale_matches_torch_mul(dtype):
    rng = np.random.default_rng(12)
    y = rng.standard_normal(1001).astype(dtype)
    expect = torch.from_numpy(y.copy()).mul_(0.9).numpy()
    np.testing.assert_array_equal(scale(y.copy(), 0.9), expect)


def test_namespace():
    assert torchless.optim.SGD.__name__ == "SGD"
    assert issubclass(torchless.optim.SGD, torchless.optim.Optimizer)
    with pytest.raises(NotImplementedError, match=r"torch\.optim\.SparseAdam"):
        torchless.optim.SparseAdam  # noqa: B018
