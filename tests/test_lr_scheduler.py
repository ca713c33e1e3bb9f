"""torchless.optim.lr_scheduler against torch: the learning rates of every scheduler over
many steps (equal as floats, not just close), closed forms, state_dict round trips, the
warnings about call order, and validation errors."""

from __future__ import annotations

import copy
import math
import warnings

import pytest
from oracle import oracle

import torchless

torch = pytest.importorskip("torch")


def _opt(lib, name="SGD", groups=2, **kw):
    ws = [lib.zeros(2, requires_grad=True) for _ in range(groups)]
    lrs = [0.1, 0.05, 0.3][:groups]
    return getattr(lib.optim, name)(
        [{"params": [w], "lr": lr} for w, lr in zip(ws, lrs)], lr=0.1, **kw
    )


class _Scale:
    """A callable object (its __dict__ goes in the state dict)."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, epoch):
        return self.factor**epoch


# name -> factory(lib, optimizer); each run for STEPS epochs
SCHEDULERS = {
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.95**e),
    "LambdaLR-per-group": lambda S, o: S.LambdaLR(o, [lambda e: 1 / (e + 1), _Scale(0.9)]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda S, o: S.StepLR(o, step_size=7, gamma=0.3),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.5),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.3, total_iters=6),
    "ConstantLR-default": lambda S, o: S.ConstantLR(o),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=13),
    "LinearLR-default": lambda S, o: S.LinearLR(o),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, gamma=0.93),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=17, power=2.5),
    "PolynomialLR-default": lambda S, o: S.PolynomialLR(o),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=9, eta_min=0.001),
    "CosineAnnealingLR-0": lambda S, o: S.CosineAnnealingLR(o, T_max=10),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5),
    "CosineAnnealingWarmRestarts-mult": lambda S, o: S.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01
    ),
    "CyclicLR": lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4),
    "CyclicLR-triangular2": lambda S, o: S.CyclicLR(
        o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2"
    ),
    "CyclicLR-exp_range": lambda S, o: S.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.97
    ),
    "CyclicLR-scale_fn": lambda S, o: S.CyclicLR(
        o, 0.01, 0.1, step_size_up=2, scale_fn=lambda x: 0.5**x, scale_mode="iterations"
    ),
    "OneCycleLR": lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=50),
    "OneCycleLR-linear-3phase": lambda S, o: S.OneCycleLR(
        o,
        max_lr=[0.5, 1.0],
        epochs=5,
        steps_per_epoch=10,
        anneal_strategy="linear",
        three_phase=True,
        pct_start=0.25,
    ),
    "OneCycleLR-nomomentum": lambda S, o: S.OneCycleLR(
        o,
        max_lr=0.5,
        total_steps=50,
        cycle_momentum=False,
        div_factor=10.0,
        final_div_factor=100.0,
    ),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o,
        [S.LinearLR(o, start_factor=0.1, total_iters=5), S.ExponentialLR(o, gamma=0.9)],
        milestones=[5],
    ),
    "SequentialLR-3": lambda S, o: S.SequentialLR(
        o,
        [
            S.ConstantLR(o, factor=0.5, total_iters=4),
            S.CosineAnnealingLR(o, T_max=8),
            S.StepLR(o, step_size=3, gamma=0.5),
        ],
        milestones=[4, 20],
    ),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler(
        [S.ConstantLR(o, factor=0.5, total_iters=4), S.ExponentialLR(o, gamma=0.9)]
    ),
    "ChainedScheduler-opt": lambda S, o: S.ChainedScheduler(
        [S.LinearLR(o, total_iters=6), S.CosineAnnealingLR(o, T_max=11), S.StepLR(o, 4)],
        optimizer=o,
    ),
}
STEPS = 50


def _momentum_of(opt):
    return [g.get("momentum", g.get("betas")) for g in opt.param_groups]


@pytest.mark.parametrize("optim", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence(name, optim):
    """The rates (and cycled momenta) of every epoch equal torch's exactly."""

    def body(lib):
        kw = {"momentum": 0.9} if optim == "SGD" else {}
        opt = _opt(lib, optim, **kw)
        sched = SCHEDULERS[name](lib.optim.lr_scheduler, opt)
        out = [sched.get_last_lr(), _momentum_of(opt)]
        for _ in range(STEPS - 1 if "OneCycle" in name else STEPS):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr())
            out.append([g["lr"] for g in opt.param_groups])
            out.append(_momentum_of(opt))
        return out

    oracle(body, grads=False, exact=True)


@pytest.mark.parametrize(
    "name", [n for n in SCHEDULERS if not n.startswith(("Sequential", "Chained"))]
)
def test_state_dict_and_round_trip(name):
    """state_dict holds torch's keys and values; loaded into a fresh scheduler it continues
    the same sequence."""

    def body(lib):
        S = lib.optim.lr_scheduler
        opt = _opt(lib, momentum=0.9)
        sched = SCHEDULERS[name](S, opt)
        for _ in range(7):
            opt.step()
            sched.step()
        sd = sched.state_dict()
        opt2 = _opt(lib, momentum=0.9)
        sched2 = SCHEDULERS[name](S, opt2)
        opt2.load_state_dict(copy.deepcopy(opt.state_dict()))
        sched2.load_state_dict(copy.deepcopy(sd))
        seq = []
        for s, o in ((sched, opt), (sched2, opt2)):
            for _ in range(10):
                o.step()
                s.step()
                seq.append(s.get_last_lr())
        keys = [k for k in sd if not callable(sd[k])]
        values = {k: sd[k] for k in keys if k not in ("_schedule_phases",)}
        return [keys, values, seq[:10] == seq[10:], seq]

    oracle(body, grads=False, exact=True)


@pytest.mark.parametrize("name", ["SequentialLR", "SequentialLR-3", "ChainedScheduler"])
def test_nested_state_dict(name):
    def body(lib):
        S = lib.optim.lr_scheduler
        opt = _opt(lib, momentum=0.9)
        sched = SCHEDULERS[name](S, opt)
        for _ in range(6):
            opt.step()
            sched.step()
        sd = sched.state_dict()
        opt2 = _opt(lib, momentum=0.9)
        sched2 = SCHEDULERS[name](S, opt2)
        opt2.load_state_dict(opt.state_dict())
        sched2.load_state_dict(sd)
        out = []
        for s, o in ((sched, opt), (sched2, opt2)):
            for _ in range(8):
                o.step()
                s.step()
                out.append(s.get_last_lr())
        return [list(sd), [list(c) for c in sd["_schedulers"]], out, "_schedulers" in sd]

    oracle(body, grads=False, exact=True)


@pytest.mark.parametrize(
    "name",
    [
        "StepLR",
        "MultiStepLR",
        "ConstantLR",
        "LinearLR",
        "ExponentialLR",
        "PolynomialLR",
        "CosineAnnealingLR",
        "LambdaLR",
        "MultiplicativeLR",
    ],
)
def test_closed_form_with_epoch(name):
    """``step(epoch)`` warns that epoch is deprecated and uses the closed form."""

    def body(lib):
        opt = _opt(lib)
        sched = SCHEDULERS[name](lib.optim.lr_scheduler, opt)
        out = []
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            for epoch in [3, 7, 8, 20, 2, 40, 15]:
                opt.step()
                sched.step(epoch)
                out.append(sched.get_last_lr())
        out.append(sorted({(x.category.__name__, str(x.message)) for x in w}))
        return out

    oracle(body, grads=False, exact=True)


def test_cosine_warm_restarts_fractional_epochs():
    def body(lib):
        opt = _opt(lib)
        out = []
        for t_mult in (1, 2, 3):
            sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=t_mult)
            for epoch in range(12):
                for i in range(3):
                    opt.step()
                    sched.step(epoch + i / 3)
                    out.append(sched.get_last_lr())
            out.append([sched.T_cur, sched.T_i, sched.last_epoch])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                sched.step(-1)
            except ValueError as e:
                out.append(str(e))
        return out

    oracle(body, grads=False, exact=True)


@pytest.mark.parametrize("mode", ["min", "max"])
@pytest.mark.parametrize("threshold_mode", ["rel", "abs"])
def test_reduce_lr_on_plateau(mode, threshold_mode):
    metrics = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.9, 0.89, 0.95, 0.96, 0.97, 0.98, 0.99, 0.7]
    metrics = metrics * 4

    def body(lib):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(
            opt,
            mode=mode,
            factor=0.5,
            patience=2,
            threshold=0.01,
            threshold_mode=threshold_mode,
            cooldown=1,
            min_lr=[0.01, 0.002],
        )
        out = []
        for m in metrics:
            opt.step()
            sched.step(m if mode == "min" else -m)
            out.append([sched.get_last_lr(), sched.num_bad_epochs, sched.best])
        sd = sched.state_dict()
        sched2 = lib.optim.lr_scheduler.ReduceLROnPlateau(opt)
        sched2.load_state_dict(sd)
        out.append([sd, sched2.mode, sched2.mode_worse, sched2.in_cooldown])
        sched2.step(lib.tensor(0.5))  # any number-like metric
        out.append(sched2.get_last_lr())
        return out

    oracle(body, grads=False, exact=True)


def test_reduce_lr_on_plateau_new_group():
    def body(lib):
        opt = _opt(lib)
        out = []
        for min_lr in (0.001, [0.001, 0.002]):
            sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=min_lr)
            opt.add_param_group({"params": [lib.zeros(1, requires_grad=True)], "lr": 1.0})
            try:
                for m in [1.0, 2.0, 3.0]:
                    sched.step(m)
                out.append(sched.get_last_lr())
            except RuntimeError as e:
                out.append(str(e))
        return out

    oracle(body, grads=False, exact=True)


def test_tensor_lr_stays_a_tensor():
    def body(lib):
        w = lib.zeros(2, requires_grad=True)
        opt = lib.optim.Adam([w], lr=lib.tensor(0.01))
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        lr = opt.param_groups[0]["lr"]
        out = []
        for _ in range(5):
            opt.step()
            sched.step()
            out.append([sched.get_last_lr(), opt.param_groups[0]["lr"] is lr])
        return [out, sched.base_lrs]

    oracle(body, grads=False, exact=True)


# --------------------------------------------------------------------------- warnings


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fn()
    return [(x.category.__name__, str(x.message)) for x in w]


def test_warns_when_scheduler_steps_before_optimizer():
    def body(lib):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 3)
        first = _warnings_of(sched.step)
        opt2 = _opt(lib)
        sched2 = lib.optim.lr_scheduler.StepLR(opt2, 3)
        opt2.step()
        second = _warnings_of(sched2.step)
        opt3 = _opt(lib)
        sched3 = lib.optim.lr_scheduler.ExponentialLR(opt3, 0.9)
        opt3.step = lambda *a, **k: None  # replaced after the scheduler wrapped it
        third = _warnings_of(sched3.step)
        return [first, second, third, hasattr(opt2.step, "_wrapped_by_lr_sched")]

    oracle(body, grads=False)


def test_warns_when_get_lr_is_called_directly():
    def body(lib):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5)
        return _warnings_of(sched.get_lr)

    oracle(body, grads=False)


def test_a_second_scheduler_does_not_rewrap_step():
    def body(lib):
        opt = _opt(lib)
        lib.optim.lr_scheduler.StepLR(opt, 3)
        step = opt.step
        lib.optim.lr_scheduler.ExponentialLR(opt, 0.9)
        return [opt.step is step, [g["initial_lr"] for g in opt.param_groups]]

    oracle(body, grads=False)


# --------------------------------------------------------------------------- errors

ERRORS = {
    "not-optimizer": lambda S, o: S.StepLR(object(), 3),
    "resume-without-initial_lr": lambda S, o: S.StepLR(o, 3, last_epoch=4),
    "lambdas-length": lambda S, o: S.LambdaLR(o, [lambda e: 1.0]),
    "multiplicative-not-callable": lambda S, o: S.MultiplicativeLR(o, [1.0, 2.0]),
    "constant-factor": lambda S, o: S.ConstantLR(o, factor=1.5),
    "linear-start": lambda S, o: S.LinearLR(o, start_factor=0.0),
    "linear-end": lambda S, o: S.LinearLR(o, end_factor=1.5),
    "sequential-empty": lambda S, o: S.SequentialLR(o, [], []),
    "sequential-milestones": lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2)], [3]),
    "sequential-plateau": lambda S, o: S.SequentialLR(
        o, [S.StepLR(o, 2), S.ReduceLROnPlateau(o)], [3]
    ),
    "sequential-no-optimizer": lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2), 3], [3]),
    "chained-empty": lambda S, o: S.ChainedScheduler([]),
    "plateau-factor": lambda S, o: S.ReduceLROnPlateau(o, factor=1.0),
    "plateau-mode": lambda S, o: S.ReduceLROnPlateau(o, mode="mid"),
    "plateau-threshold-mode": lambda S, o: S.ReduceLROnPlateau(o, threshold_mode="x"),
    "plateau-min-lrs": lambda S, o: S.ReduceLROnPlateau(o, min_lr=[0.1]),
    "plateau-not-optimizer": lambda S, o: S.ReduceLROnPlateau(None),
    "cyclic-mode": lambda S, o: S.CyclicLR(o, 0.1, 1.0, mode="square"),
    "cyclic-base-length": lambda S, o: S.CyclicLR(o, [0.1], 1.0),
    "cyclic-no-momentum": lambda S, o: S.CyclicLR(torchless_or_torch_adagrad(o), 0.1, 1.0),
    "warm-T_0": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0),
    "warm-T_0-float": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2.0),
    "warm-T_mult": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    "warm-eta_min": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="0"),
    "onecycle-no-steps": lambda S, o: S.OneCycleLR(o, 1.0),
    "onecycle-total": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=0),
    "onecycle-epochs": lambda S, o: S.OneCycleLR(o, 1.0, epochs=-1, steps_per_epoch=2),
    "onecycle-steps-per-epoch": lambda S, o: S.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=0),
    "onecycle-pct": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=10, pct_start=1.5),
    "onecycle-pct-int": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=10, pct_start=1),
    "onecycle-anneal": lambda S, o: S.OneCycleLR(o, 1.0, total_steps=10, anneal_strategy="x"),
    "onecycle-too-many-steps": lambda S, o: [
        S.OneCycleLR(o, 1.0, total_steps=3).step() for _ in range(4)
    ],
}


def torchless_or_torch_adagrad(opt):
    lib = torch if isinstance(opt, torch.optim.Optimizer) else torchless
    return lib.optim.Adagrad([lib.zeros(1, requires_grad=True)])


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors(case):
    def body(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ERRORS[case](lib.optim.lr_scheduler, _opt(lib, momentum=0.9))

    oracle(body, grads=False)


def test_namespace():
    S = torchless.optim.lr_scheduler
    for name in S.__all__:
        assert getattr(S, name).__name__ == name
    assert issubclass(S._LRScheduler, S.LRScheduler)
    assert torchless.optim.lr_scheduler is S
    import torchless.optim.lr_scheduler as mod

    assert mod is S
    assert math.isinf(S.ReduceLROnPlateau(_opt(torchless)).best)
