"""torchless.optim's adaptive optimizers and L-BFGS against torch: trajectories for every
option (bit for bit where torch's arithmetic allows), state, state_dict round trips,
differentiable steps, validation errors and printing."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from oracle import is_torch, oracle, to_lib

import torchless
from torchless.optim._pointwise import addcdiv_, addcmul_, lerp_

torch = pytest.importorskip("torch")

SHAPES = [(7, 5), (13,), (), (40,)]  # around and above a SIMD width, and a scalar

# (optimizer, options): every option of every optimizer appears at least once
CASES = [
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "maximize": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.5, "maximize": True}),
    ("Adamax", {"lr": 0.01}),
    ("Adamax", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1, "maximize": True}),
    ("NAdam", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.9), "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "weight_decay": 0.1, "maximize": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "maximize": True}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "maximize": True}),
    ("ASGD", {"lr": 0.05}),
    ("ASGD", {"lr": 0.05, "t0": 10, "lambd": 0.01, "alpha": 0.5, "weight_decay": 0.1}),
    ("ASGD", {"lr": 0.05, "t0": 5, "maximize": True}),
    ("Rprop", {}),
    ("Rprop", {"lr": 0.05, "etas": (0.3, 1.3), "step_sizes": (1e-3, 0.1), "maximize": True}),
]

# optimizers without a square root: torch's CPU arithmetic reproduced bit for bit
EXACT = {"Adamax", "ASGD", "Rprop"}
TOL = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-14)}


def _ids(case):
    name, opts = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in opts.items())


def _torch_sqrt(x, out=None, **kwargs):
    # torch's CPU square root (MKL's, within 1 ulp, not correctly rounded), for tests that
    # check everything else is bit for bit
    r = torch.from_numpy(np.array(x)).sqrt().numpy()
    if out is None:
        return r
    out[...] = r
    return out


def _trajectory(lib, name, options, dtype, steps=50, seed=0):
    """``steps`` steps of ``name`` with the same given gradients; the parameters after every
    step and the final state."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in SHAPES]
    grads = [[rng.standard_normal(s) for s in SHAPES] for _ in range(steps)]
    params = [to_lib(lib, a, dtype=dtype).requires_grad_() for a in init]
    opt = getattr(lib.optim, name)(params, **options)
    history = []
    for step in grads:
        for p, g in zip(params, step):
            p.grad = to_lib(lib, g, dtype=dtype)
        opt.step()
        history.append([p.detach().clone() for p in params])
    return history, [opt.state[p] for p in params]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_trajectory(dtype, case):
    name, options = case
    tol = {"exact": True} if name in EXACT else TOL[dtype]
    oracle(lambda lib: _trajectory(lib, name, options, dtype), grads=False, **tol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", [c for c in CASES if c[0] not in EXACT], ids=_ids)
def test_trajectory_bit_identical_given_torchs_sqrt(dtype, case, monkeypatch):
    """With torch's square root in place of NumPy's, every update is torch's bit for bit:
    the same operations in the same order with the same roundings (fused multiply-adds
    where torch's kernels fuse)."""
    name, options = case

    def body(lib):
        if is_torch(lib):
            return _trajectory(lib, name, options, dtype, steps=25)
        with monkeypatch.context() as m:
            m.setattr(np, "sqrt", _torch_sqrt)
            return _trajectory(lib, name, options, dtype, steps=25)

    oracle(body, grads=False, exact=True)


@pytest.mark.parametrize(
    "case", [c for i, c in enumerate(CASES) if i == 0 or CASES[i - 1][0] != c[0]], ids=_ids
)
def test_trajectory_float16(case):
    """float16 computes in float32 and rounds each result to float16, as torch's kernels
    do; the rounding also hides torch's inexact square root: bit for bit."""
    name, options = case
    oracle(
        lambda lib: _trajectory(lib, name, options, "float16", steps=20), grads=False, exact=True
    )


@pytest.mark.parametrize(
    "case",
    [
        ("Adam", {"lr": 0.02, "amsgrad": True}),
        ("AdamW", {"lr": 0.02}),
        ("Adamax", {"lr": 0.02}),
        ("NAdam", {"lr": 0.02}),
        ("RAdam", {"lr": 0.02}),
        ("RMSprop", {"lr": 0.005, "centered": True, "momentum": 0.5}),
        ("Adagrad", {"lr": 0.05}),
        ("Adadelta", {"lr": 1.0}),
        ("ASGD", {"lr": 0.05, "t0": 20}),
        ("Rprop", {"lr": 0.01}),
    ],
    ids=_ids,
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_training_loop(dtype, case):
    """A two-layer tanh network trained on its own gradients in each library for 50 steps
    stays with torch."""
    name, options = case

    def body(lib):
        dt = getattr(lib, dtype)
        rng = np.random.default_rng(3)
        x = to_lib(lib, rng.standard_normal((16, 4)), dtype=dtype)
        y = to_lib(lib, rng.standard_normal((16, 2)), dtype=dtype)
        model = [lib.nn.Linear(4, 8, dtype=dt), lib.nn.Linear(8, 2, dtype=dt)]
        with lib.no_grad():
            for layer in model:
                layer.weight.copy_(to_lib(lib, rng.standard_normal(tuple(layer.weight.shape))))
                layer.bias.copy_(to_lib(lib, rng.standard_normal(tuple(layer.bias.shape))))
        params = [p for layer in model for p in layer.parameters()]
        opt = getattr(lib.optim, name)(params, **options)
        loss_fn = lib.nn.MSELoss()
        losses = []
        for _ in range(50):
            opt.zero_grad()
            loss = loss_fn(model[1](lib.tanh(model[0](x))), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return [losses, params]

    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
    oracle(body, grads=False, **tol)


# --------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("shape", [(), (7,), (40,), (33, 65)])
def test_pointwise_kernels_round_as_torch(dtype, shape):
    """lerp_, addcmul_ and addcdiv_ on arrays are torch's CPU kernels, bit for bit."""
    rng = np.random.default_rng(5)
    s = rng.standard_normal(shape).astype(dtype)
    e = rng.standard_normal(shape).astype(dtype)
    d = (rng.random(shape) + 0.1).astype(dtype)
    for w in [0.1, 1 - 0.9, 0.7, 1 - 0.999, -0.3, 0.5]:
        a = s.copy()
        lerp_(a, e, w)
        np.testing.assert_array_equal(a, torch.tensor(s).lerp_(torch.tensor(e), w).numpy())
        a = s.copy()
        addcmul_(a, e, d, w)
        t = torch.tensor(s).addcmul_(torch.tensor(e), torch.tensor(d), value=w)
        np.testing.assert_array_equal(a, t.numpy())
        a = s.copy()
        addcdiv_(a, e, d, w)
        t = torch.tensor(s).addcdiv_(torch.tensor(e), torch.tensor(d), value=w)
        np.testing.assert_array_equal(a, t.numpy())


# --------------------------------------------------------------------------- state


@pytest.mark.parametrize(
    "case",
    [
        ("Adam", {"amsgrad": True}),
        ("AdamW", {}),
        ("Adamax", {}),
        ("NAdam", {}),
        ("RAdam", {}),
        ("RMSprop", {"centered": True, "momentum": 0.9}),
        ("RMSprop", {}),
        ("Adagrad", {"initial_accumulator_value": 0.25}),
        ("Adadelta", {}),
        ("ASGD", {}),
        ("Rprop", {}),
    ],
    ids=_ids,
)
def test_state_and_state_dict(case):
    """State keys in torch's order, 0-d float32 step counters, and the state_dict."""
    name, options = case

    def body(lib):
        w = to_lib(lib, [1.0, -2.0, 3.0], dtype="float32").requires_grad_()
        b = to_lib(lib, [0.5], dtype="float32").requires_grad_()
        frozen = to_lib(lib, [9.0], dtype="float32").requires_grad_()
        opt = getattr(lib.optim, name)([{"params": [w, frozen]}, {"params": [b]}], **options)
        before = opt.state_dict()
        for k in range(3):
            w.grad = to_lib(lib, [0.1 * k, -0.2, 0.3], dtype="float32")
            b.grad = to_lib(lib, [1.0 + k], dtype="float32")
            opt.step()
        st = opt.state[w]
        sd = opt.state_dict()
        return [before, sd, list(st), [(k, v.dtype, v.shape) for k, v in st.items()], frozen]

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("case", [c for c in CASES if c[0] not in ("ASGD",)][::2], ids=_ids)
def test_load_state_dict_round_trip(case):
    """Saved after 5 steps and loaded into a fresh optimizer, the run continues as the
    uninterrupted one does (bit for bit)."""
    name, options = case
    rng = np.random.default_rng(7)
    grads = [rng.standard_normal(4).astype(np.float32) for _ in range(10)]

    def run(lib, split):
        w = lib.tensor(np.arange(4.0, dtype=np.float32), requires_grad=True)
        opt = getattr(lib.optim, name)([w], **options)
        for k, g in enumerate(grads):
            if k == split:
                sd = copy.deepcopy(opt.state_dict())
                w = w.detach().clone().requires_grad_()
                opt = getattr(lib.optim, name)([w], **options)
                opt.load_state_dict(sd)
            w.grad = lib.tensor(g)
            opt.step()
        return w, opt.state_dict()

    def body(lib):
        return [run(lib, None), run(lib, 5)]

    out = oracle(body, grads=False, rtol=1e-5, atol=1e-6)
    (w1, sd1), (w2, sd2) = out
    np.testing.assert_array_equal(w1.detach().numpy(), w2.detach().numpy())


def test_asgd_load_state_dict_round_trip():
    def body(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.ASGD([w], lr=0.1, t0=2)
        for _ in range(4):
            w.grad = lib.tensor([0.5, -1.0])
            opt.step()
        w2 = w.detach().clone().requires_grad_()
        opt2 = lib.optim.ASGD([w2], lr=0.1, t0=2)
        opt2.load_state_dict(opt.state_dict())
        for o, p in ((opt, w), (opt2, w2)):
            p.grad = lib.tensor([0.25, 0.75])
            o.step()
        return [w, w2, opt2.state_dict()]

    oracle(body, grads=False, exact=True)


def test_old_state_dict_with_float_step_is_converted():
    """A state dict saved by an old torch (``step`` a Python number) loads with tensor
    steps."""

    def body(lib):
        out = []
        for name in ["Adam", "Adamax", "NAdam", "RAdam", "RMSprop", "Adadelta", "Rprop"]:
            w = lib.tensor([1.0, 2.0], requires_grad=True)
            opt = getattr(lib.optim, name)([w])
            w.grad = lib.tensor([0.5, -1.0])
            opt.step()
            sd = opt.state_dict()
            sd["state"][0]["step"] = 1.0
            if name == "NAdam":
                sd["state"][0]["mu_product"] = 0.5
            opt.load_state_dict(sd)
            out.append(opt.state[w])
        return out

    oracle(body, grads=False, exact=True)


def test_adagrad_state_is_made_with_the_optimizer():
    def body(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.Adagrad([w], initial_accumulator_value=0.3)
        return [opt.state_dict(), opt.state[w]]

    oracle(body, grads=False, exact=True)


def test_default_dtype_float64_steps():
    def body(lib):
        prev = lib.get_default_dtype()
        lib.set_default_dtype(lib.float64)
        try:
            w = lib.tensor([1.0, 2.0], requires_grad=True)
            opts = [lib.optim.Adam([w]), lib.optim.NAdam([w]), lib.optim.ASGD([w])]
            w.grad = lib.tensor([0.5, -1.0])
            for o in opts:
                o.step()
            return [w, [o.state[w] for o in opts]]
        finally:
            lib.set_default_dtype(prev)

    oracle(body, grads=False, exact=True)


def test_skips_params_without_grad_and_updates_in_place():
    w = torchless.tensor([1.0, 2.0], requires_grad=True)
    b = torchless.tensor([3.0], requires_grad=True)
    opt = torchless.optim.Adam([w, b], lr=0.1)
    data = w._data
    w.grad = torchless.ones(2)
    opt.step()
    opt.step()
    assert w._data is data and w._version == 2
    assert b not in opt.state and b.item() == 3.0
    assert float(opt.state[w]["step"]) == 2.0


def test_tensor_hyperparameters():
    def body(lib):
        w = to_lib(lib, [1.0, -2.0, 3.0], dtype="float32").requires_grad_()
        opts = [
            lib.optim.Adam([w], lr=lib.tensor(0.01)),
            lib.optim.Adam([w], lr=0.01, betas=(lib.tensor(0.8), lib.tensor(0.9))),
            lib.optim.RMSprop([w], lr=lib.tensor([0.01]), momentum=0.5),
            lib.optim.ASGD([w], lr=lib.tensor(0.05)),
            lib.optim.Adagrad([w], lr=lib.tensor(0.05)),
        ]
        out = []
        for k in range(5):
            for o in opts:
                w.grad = to_lib(lib, [0.1 * k, -0.2, 0.3], dtype="float32")
                o.step()
                out.append(w.detach().clone())
        return out

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


def test_foreach_and_fused_are_accepted():
    def body(lib):
        w = to_lib(lib, [1.0, -2.0, 3.0], dtype="float32").requires_grad_()
        out = []
        for cls, kw in [
            (lib.optim.Adam, {"foreach": True}),
            (lib.optim.AdamW, {"foreach": False}),
            (lib.optim.Adagrad, {"foreach": True}),
            (lib.optim.RMSprop, {"foreach": True}),
        ]:
            o = cls([w], **kw)
            w.grad = to_lib(lib, [0.1, -0.2, 0.3], dtype="float32")
            o.step()
            out.append(w.detach().clone())
        return out

    oracle(body, grads=False, rtol=1e-6, atol=1e-7)


# --------------------------------------------------------------------------- differentiable


@pytest.mark.parametrize(
    "case",
    [
        ("Adam", {"lr": 0.1, "weight_decay": 0.1}),
        ("AdamW", {"lr": 0.1}),
        ("NAdam", {"lr": 0.1, "weight_decay": 0.1}),
        ("NAdam", {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True}),
        ("RAdam", {"lr": 0.1}),
        ("RAdam", {"lr": 0.1, "betas": (0.9, 0.5)}),
        ("RMSprop", {"lr": 0.01}),
        ("Adagrad", {"lr": 0.1, "lr_decay": 0.1}),
        ("Adadelta", {"lr": 1.0, "weight_decay": 0.1}),
        ("ASGD", {"lr": 0.1, "t0": 1}),
    ],
    ids=_ids,
)
def test_differentiable_steps(case):
    """With differentiable=True the steps are in the graph: gradients flow from the updated
    parameters back to the initial ones and to every gradient."""
    name, options = case

    def body(lib):
        rng = np.random.default_rng(0)
        w0 = to_lib(lib, rng.standard_normal(4), requires_grad=True)
        gs = [to_lib(lib, rng.standard_normal(4), requires_grad=True) for _ in range(3)]
        w = w0.clone()
        opt = getattr(lib.optim, name)([w], differentiable=True, **options)
        for g in gs:
            w.grad = g * 1.0
            opt.step()
        return (w * w).sum()

    oracle(body, rtol=1e-12, atol=1e-14)


def test_differentiable_errors_as_torch_when_a_saved_tensor_changes():
    """amsgrad's state is changed in place after it was used: torch's error (its node is
    named after the operation that saved the tensor)."""

    def body(lib):
        w = to_lib(lib, [1.0, 2.0]).requires_grad_()
        p = w.clone()
        opt = lib.optim.Adam([p], differentiable=True, amsgrad=True)
        for _ in range(2):
            p.grad = w * 2.0
            opt.step()
        p.sum().backward()

    oracle(body, grads=False, match="modified by an inplace operation")


# --------------------------------------------------------------------------- L-BFGS


def _lbfgs(lib, dtype, steps=4, **options):
    rng = np.random.default_rng(0)
    m = rng.standard_normal((8, 8))
    q = to_lib(lib, m.T @ m / 8 + np.eye(8), dtype=dtype)
    b = to_lib(lib, rng.standard_normal(8), dtype=dtype)
    w = to_lib(lib, rng.standard_normal((2, 3)), dtype=dtype).requires_grad_()
    c = to_lib(lib, rng.standard_normal(2), dtype=dtype).requires_grad_()
    opt = lib.optim.LBFGS([w, c], **options)
    calls = []

    def closure():
        calls.append(lib.is_grad_enabled())
        opt.zero_grad()
        x = lib.cat([w.reshape(-1), c])
        loss = 0.5 * (x * (q @ x)).sum() - (b * x).sum() + 0.1 * (x**4).sum()
        loss.backward()
        return loss

    losses = []
    with lib.no_grad():  # the closure still runs with grad enabled
        for _ in range(steps):
            losses.append(opt.step(closure).item())
    st = opt.state[w]
    return losses, w, c, st["func_evals"], st["n_iter"], list(st), all(calls), c not in opt.state


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"line_search_fn": "strong_wolfe"},
        {"lr": 0.5, "history_size": 3, "max_iter": 7},
        {"max_iter": 5, "tolerance_change": 1e-5, "tolerance_grad": 1e-4},
        {"max_iter": 30, "max_eval": 10, "line_search_fn": "strong_wolfe"},
    ],
    ids=str,
)
def test_lbfgs_float64(options):
    oracle(lambda lib: _lbfgs(lib, "float64", **options), grads=False, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("options", [{}, {"lr": 0.5, "history_size": 3}], ids=str)
def test_lbfgs_float32(options):
    # near the optimum float32 rounding decides when to stop: values, not counts, compared
    oracle(lambda lib: _lbfgs(lib, "float32", **options)[:3], grads=False, rtol=1e-4, atol=1e-5)


def test_lbfgs_state_dict_and_errors():
    def body(lib):
        w = lib.tensor([1.0, -1.0], requires_grad=True)
        opt = lib.optim.LBFGS([w], history_size=2, max_iter=3)

        def closure():
            opt.zero_grad()
            loss = ((w - 3.0) ** 2).sum()
            loss.backward()
            return loss

        opt.step(closure)
        sd = opt.state_dict()
        errors = []
        for make in [
            lambda: lib.optim.LBFGS([{"params": [w]}, {"params": [lib.zeros(1)]}]),
            lambda: lib.optim.LBFGS([w], lr=-1.0),
            lambda: lib.optim.LBFGS([w], line_search_fn="bisect").step(closure),
        ]:
            try:
                make()
            except Exception as e:  # noqa: BLE001
                errors.append((type(e).__name__, str(e)))
        return [sorted(sd["state"][0]), sd["param_groups"], errors, repr(opt)]

    oracle(body, grads=False)


def test_lbfgs_converged_start_returns_at_once():
    def body(lib):
        w = lib.tensor([3.0], requires_grad=True)
        opt = lib.optim.LBFGS([w])

        def closure():
            opt.zero_grad()
            loss = ((w - 3.0) ** 2).sum()
            loss.backward()
            return loss

        return [opt.step(closure), dict(opt.state[w])]

    oracle(body, grads=False)


# --------------------------------------------------------------------------- errors, repr

_OPTIMIZERS = ["Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RMSprop", "Adagrad", "Adadelta"]
_OPTIMIZERS += ["ASGD", "Rprop"]

ERROR_CASES = (
    [(name, {"lr": -1.0}) for name in _OPTIMIZERS + ["LBFGS"]]
    + [(name, {"lr": float("nan")}) for name in ["Adam", "RMSprop", "Rprop"]]
    + [(name, {"lr": "2-elem"}) for name in ["Adam", "Adagrad", "NAdam"]]
    + [
        ("Adam", {"eps": -1.0}),
        ("Adam", {"betas": (1.0, 0.999)}),
        ("Adam", {"betas": (0.9, -0.1)}),
        ("Adam", {"weight_decay": -1.0}),
        ("Adam", {"betas": (0.9, 1)}),
        ("Adam", {"fused": True, "differentiable": True}),
        ("Adam", {"fused": True, "foreach": True}),
        ("Adam", {"lr": "tensor", "foreach": True}),
        ("AdamW", {"betas": (0.9, 1.5)}),
        ("Adamax", {"eps": -1.0}),
        ("Adamax", {"betas": (-0.5, 0.9)}),
        ("Adamax", {"weight_decay": -0.1}),
        ("NAdam", {"momentum_decay": -1.0}),
        ("NAdam", {"betas": (0.9, 1.0)}),
        ("RAdam", {"eps": -1e-8}),
        ("RMSprop", {"alpha": -0.1}),
        ("RMSprop", {"momentum": -0.1}),
        ("RMSprop", {"eps": -0.1}),
        ("Adagrad", {"lr_decay": -0.1}),
        ("Adagrad", {"initial_accumulator_value": -0.1}),
        ("Adagrad", {"eps": -0.1}),
        ("Adagrad", {"fused": True, "differentiable": True}),
        ("Adadelta", {"rho": 1.5}),
        ("Adadelta", {"eps": -0.1}),
        ("ASGD", {"weight_decay": -0.1}),
        ("Rprop", {"etas": (1.1, 1.2)}),
        ("Rprop", {"etas": (0.5, 0.9)}),
    ]
)


@pytest.mark.parametrize("case", ERROR_CASES, ids=_ids)
def test_validation_errors(case):
    name, options = case

    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        opts = dict(options)
        if opts.get("lr") == "2-elem":
            opts["lr"] = lib.tensor([0.1, 0.2])
        elif opts.get("lr") == "tensor":
            opts["lr"] = lib.tensor(0.1)
        getattr(lib.optim, name)([w], **opts)

    oracle(body, grads=False)


@pytest.mark.parametrize("name", [n for n in _OPTIMIZERS if n != "Adagrad"])
def test_capturable_needs_an_accelerator(name):
    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w], capturable=True)
        w.grad = lib.ones(2)
        opt.step()

    oracle(body, grads=False)


@pytest.mark.parametrize("name", _OPTIMIZERS + ["LBFGS"])
def test_repr_and_defaults(name):
    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w])
        return [repr(opt), list(opt.defaults), opt.param_groups[0]["params"][0] is w]

    oracle(body, grads=False)


def test_namespace():
    for name in _OPTIMIZERS + ["LBFGS", "SGD"]:
        cls = getattr(torchless.optim, name)
        assert cls.__name__ == name
        assert issubclass(cls, torchless.optim.Optimizer)
    assert set(torchless.optim.__all__) <= set(dir(torchless.optim))
    from torchless.optim import adam, adamw

    assert adam.Adam is torchless.optim.Adam and callable(adamw.adamw)
