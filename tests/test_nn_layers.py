"""nn layers against torch: containers, activations, normalisation, dropout, embeddings,
flatten, padding, pixel shuffle and loss modules. Seeded models start from torch's weights;
forward values, gradients, running statistics, state_dict keys, reprs and errors match."""

from __future__ import annotations

import warnings
from collections import OrderedDict

import numpy as np
import pytest
from oracle import oracle, rand_array, to_lib

import torchless as tl


def same(body, **kw):
    """``oracle(body)`` for a body that must not raise."""
    r = oracle(body, **kw)
    assert not isinstance(r, BaseException), r
    return r


def _sd(m):
    """A module's state_dict as {key: (shape, values)}, comparable across libraries."""
    return OrderedDict((k, v) for k, v in m.state_dict().items())


# ----------------------------------------------------------------------------- containers


def _every_layer(lib):
    nn = lib.nn
    return nn.Sequential(
        OrderedDict(
            [
                (
                    "conv",
                    nn.Sequential(
                        nn.ZeroPad2d((1, 1, 2, 0)),
                        nn.ReflectionPad2d(1),
                        nn.ReplicationPad1d(2),
                        nn.ConstantPad1d((1, 2), 3.5),
                        nn.ZeroPad1d(1),
                        nn.CircularPad2d(1),
                        nn.PixelShuffle(2),
                        nn.PixelUnshuffle(2),
                    ),
                ),  # fmt: skip
                (
                    "norms",
                    nn.ModuleList(
                        [
                            nn.BatchNorm1d(4),
                            nn.BatchNorm2d(3, momentum=None),
                            nn.BatchNorm3d(2, affine=False),
                            nn.BatchNorm1d(5, track_running_stats=False),
                            nn.LayerNorm([4, 5], bias=False),
                            nn.GroupNorm(2, 4),
                            nn.InstanceNorm1d(3),
                            nn.InstanceNorm2d(3, affine=True),
                            nn.InstanceNorm3d(2, track_running_stats=True),
                            nn.RMSNorm(8),
                            nn.RMSNorm((2, 3), eps=1e-3, elementwise_affine=False),
                            nn.LocalResponseNorm(3),
                        ]
                    ),
                ),  # fmt: skip
                (
                    "acts",
                    nn.ModuleDict(
                        {
                            "relu": nn.ReLU(),
                            "relu_": nn.ReLU(inplace=True),
                            "relu6": nn.ReLU6(),
                            "rrelu": nn.RReLU(0.1, 0.3, True),
                            "lrelu": nn.LeakyReLU(0.2, True),
                            "elu": nn.ELU(0.5),
                            "selu": nn.SELU(True),
                            "celu": nn.CELU(),
                            "gelu": nn.GELU("tanh"),
                            "silu": nn.SiLU(),
                            "mish": nn.Mish(True),
                            "softplus": nn.Softplus(2, 10),
                            "softsign": nn.Softsign(),
                            "hardtanh": nn.Hardtanh(-2, 3),
                            "hsig": nn.Hardsigmoid(),
                            "hswish": nn.Hardswish(),
                            "logsig": nn.LogSigmoid(),
                            "tanhshrink": nn.Tanhshrink(),
                            "softshrink": nn.Softshrink(0.3),
                            "hardshrink": nn.Hardshrink(),
                            "thr": nn.Threshold(0.1, 20.0, True),
                            "prelu": nn.PReLU(3, 0.1),
                            "glu": nn.GLU(1),
                            "sigmoid": nn.Sigmoid(),
                            "tanh": nn.Tanh(),
                            "softmax": nn.Softmax(dim=1),
                            "lsm": nn.LogSoftmax(-1),
                            "softmin": nn.Softmin(0),
                            "softmax2d": nn.Softmax2d(),
                        }
                    ),
                ),  # fmt: skip
                (
                    "drop",
                    nn.Sequential(
                        nn.Dropout(0.2),
                        nn.Dropout1d(),
                        nn.Dropout2d(0.1, True),
                        nn.Dropout3d(),
                        nn.AlphaDropout(0.3),
                        nn.FeatureAlphaDropout(),
                    ),
                ),  # fmt: skip
                (
                    "emb",
                    nn.Embedding(
                        10, 3, padding_idx=1, max_norm=2.0, norm_type=3.0, scale_grad_by_freq=True
                    ),
                ),  # fmt: skip
                ("bag", nn.EmbeddingBag(10, 3, mode="sum", padding_idx=0)),
                ("flat", nn.Sequential(nn.Flatten(), nn.Unflatten(1, (2, 3)), nn.Identity())),
                ("head", nn.Linear(6, 2)),
                ("params", nn.ParameterList([nn.Parameter(lib.zeros(2, 3)), lib.ones(4)])),
                ("pdict", nn.ParameterDict({"b": nn.Parameter(lib.ones(2)), "a": lib.zeros(3)})),
                (
                    "losses",
                    nn.ModuleList(
                        [
                            nn.CrossEntropyLoss(label_smoothing=0.1),
                            nn.NLLLoss(),
                            nn.L1Loss(),
                            nn.MSELoss(),
                            nn.SmoothL1Loss(beta=0.5),
                            nn.HuberLoss(delta=2.0),
                            nn.BCELoss(),
                            nn.BCEWithLogitsLoss(),
                            nn.KLDivLoss(reduction="batchmean"),
                            nn.PoissonNLLLoss(),
                            nn.GaussianNLLLoss(),
                            nn.CosineEmbeddingLoss(0.1),
                            nn.MarginRankingLoss(0.2),
                            nn.HingeEmbeddingLoss(),
                            nn.SoftMarginLoss(),
                            nn.MultiLabelSoftMarginLoss(),
                            nn.MultiMarginLoss(p=2),
                            nn.TripletMarginLoss(swap=True),
                        ]
                    ),
                ),  # fmt: skip
                ("repeat", nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU()] * 2)),
            ]
        )
    )


def test_repr_of_every_layer_nested():
    def body(lib):
        lib.manual_seed(0)
        return repr(_every_layer(lib))

    same(body, grads=False)


def test_state_dict_of_every_layer_seeded():
    """The same seed gives the same initial weights, buffers and keys."""

    def body(lib):
        lib.manual_seed(3)
        m = _every_layer(lib)
        return _sd(m), [n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()]

    same(body, exact=True, grads=False)


def test_sequential_operations():
    def body(lib):
        nn = lib.nn
        a, b, c, d = nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Identity()
        s = nn.Sequential(a, b, c)
        out = [len(s), s[0] is a, s[-1] is c, repr(s[1:]), type(s[:2]).__name__]
        s.append(d)
        s.insert(1, nn.ELU())
        s.insert(-1, nn.GELU())
        s.extend([nn.SiLU()])
        out.append(repr(s))
        out.append(s.pop(2) is b)
        del s[0]
        out.append(list(s._modules))
        s2 = s + nn.Sequential(nn.ReLU6())
        out.append(repr(s2))
        s3 = nn.Sequential(nn.ReLU()) * 2
        out.append(repr(s3))
        s[0] = nn.Softsign()
        out.append(repr(s))
        named = nn.Sequential(OrderedDict([("first", nn.ReLU()), ("second", nn.Tanh())]))
        out.append((repr(named), repr(named[1:])))
        x = to_lib(lib, rand_array((2, 3), seed=1), requires_grad=True)
        out.append(nn.Sequential(nn.Tanh(), nn.ReLU())(x))
        return out

    same(body)


@pytest.mark.parametrize("case", ["index", "add", "insert_type", "insert_range", "mul"])
def test_sequential_errors(case):
    def body(lib):
        s = lib.nn.Sequential(lib.nn.ReLU())
        if case == "index":
            return s[3]
        if case == "add":
            return s + 1
        if case == "insert_type":
            return s.insert(0, 3)
        if case == "insert_range":
            return s.insert(5, lib.nn.ReLU())
        return s * 0

    oracle(body, grads=False)


def test_module_list_and_dict():
    def body(lib):
        nn = lib.nn
        ml = nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])
        ml.append(nn.Tanh())
        ml.extend([nn.ReLU(), nn.ReLU()])
        ml.insert(1, nn.Sigmoid())
        out = [len(ml), repr(ml), repr(ml[1:3]), type(ml[-1]).__name__]
        del ml[0]
        out.append(list(ml._modules))
        out.append(repr(ml + nn.ModuleList([nn.ELU()])))
        out.append(type(ml.pop(0)).__name__)
        md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
        md["c"] = nn.ELU()
        md.update([("d", nn.SiLU())])
        out.append((list(md.keys()), "a" in md, len(md), repr(md)))
        out.append(type(md.pop("a")).__name__)
        md.clear()
        out.append(len(md))
        out.append(repr(nn.ModuleList()))
        return out

    same(body, grads=False)


def test_parameter_containers():
    def body(lib):
        nn = lib.nn
        pl = nn.ParameterList([nn.Parameter(lib.zeros(2)), lib.ones(3, dtype=lib.float64)])
        pl.append(lib.zeros(1, 2))
        pl.extend([nn.Parameter(lib.ones(2))])
        out = [len(pl), repr(pl), [type(p).__name__ for p in pl], repr(pl[1:3])]
        out.append([n for n, _ in pl.named_parameters()])
        pd = nn.ParameterDict({"z": lib.zeros(2), "a": nn.Parameter(lib.ones(1))})
        pd["m"] = lib.ones(2, 2)
        pd.update(OrderedDict([("y", lib.zeros(1)), ("b", lib.zeros(1))]))
        out.append((list(pd.keys()), repr(pd), type(pd["z"]).__name__))
        out.append((pd.get("nope", 3), "a" in pd, len(pd)))
        out.append(pd.popitem()[0])
        out.append(list((pd | nn.ParameterDict({"q": lib.ones(1)})).keys()))
        return out

    same(body, grads=False)


def test_parameter_container_errors():
    oracle(lambda lib: lib.nn.ParameterList()(1), grads=False)
    oracle(lambda lib: lib.nn.ParameterList().extend(lib.ones(2)), grads=False)
    oracle(lambda lib: lib.nn.ParameterDict()[1], grads=False)
    oracle(lambda lib: lib.nn.ModuleList().extend(3), grads=False)
    oracle(lambda lib: lib.nn.ModuleDict().update([(1, 2, 3)]), grads=False)


# ----------------------------------------------------------------------------- activations

_ACTS = [
    ("ReLU", (), {}),
    ("ReLU6", (), {}),
    ("LeakyReLU", (0.2,), {}),
    ("ELU", (0.7,), {}),
    ("SELU", (), {}),
    ("CELU", (1.5,), {}),
    ("GELU", (), {"approximate": "tanh"}),
    ("SiLU", (), {}),
    ("Mish", (), {}),
    ("Softplus", (2.0, 5.0), {}),
    ("Softsign", (), {}),
    ("Hardtanh", (-0.5, 0.7), {}),
    ("Hardsigmoid", (), {}),
    ("Hardswish", (), {}),
    ("LogSigmoid", (), {}),
    ("Tanhshrink", (), {}),
    ("Softshrink", (0.4,), {}),
    ("Hardshrink", (0.4,), {}),
    ("Threshold", (0.1, -3.0), {}),
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
    ("Softmax", (1,), {}),
    ("LogSoftmax", (-1,), {}),
    ("Softmin", (0,), {}),
    ("Softmax2d", (), {}),
    ("GLU", (1,), {}),
    ("PReLU", (4, 0.3), {}),
]


@pytest.mark.parametrize("name,args,kwargs", _ACTS)
def test_activation_modules(name, args, kwargs):
    def body(lib):
        m = getattr(lib.nn, name)(*args, **kwargs)
        x = to_lib(lib, rand_array((3, 4, 2, 2), seed=1), requires_grad=True)
        return repr(m), m(x), _sd(m)

    same(body, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "name,args",
    [("ReLU", ()), ("ReLU6", ()), ("LeakyReLU", (0.1,)), ("ELU", (1.0,)), ("SELU", ()),
     ("CELU", (1.0,)), ("SiLU", ()), ("Mish", ()), ("Hardtanh", (-1.0, 1.0)),
     ("Hardsigmoid", ()), ("Hardswish", ()), ("Threshold", (0.0, 2.0))],
)  # fmt: skip
def test_activation_modules_inplace(name, args):
    def body(lib):
        m = getattr(lib.nn, name)(*args, inplace=True)
        x = to_lib(lib, rand_array((3, 4), seed=2))
        y = m(x)
        return repr(m), y is x, x

    same(body, rtol=1e-6, atol=1e-7, grads=False)


def test_rrelu_module():
    def body(lib):
        lib.manual_seed(1)
        m = lib.nn.RReLU(0.05, 0.5)
        x = to_lib(lib, rand_array((20, 3), seed=1), requires_grad=True)
        y_train = m(x)
        m.eval()
        return repr(m), y_train, m(x)

    same(body, exact=True)


@pytest.mark.parametrize("case", ["hardtanh", "softmax2d", "prelu_dtype", "hardtanh_kw"])
def test_activation_module_errors(case):
    def body(lib):
        if case == "hardtanh":
            return lib.nn.Hardtanh(1.0, 0.5)
        if case == "softmax2d":
            return lib.nn.Softmax2d()(lib.ones(2, 3))
        if case == "prelu_dtype":
            return lib.nn.PReLU(dtype=lib.float64).weight.dtype
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = lib.nn.Hardtanh(min_value=-2.0)
        return repr(m), [str(x.message) for x in w], [x.category.__name__ for x in w]

    oracle(body, grads=False)


def test_softmax_module_implicit_dim_warning():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        tl.nn.Softmax()(tl.ones(2, 3))


# ----------------------------------------------------------------------------- batch norm


@pytest.mark.parametrize(
    "cls,shape",
    [("BatchNorm1d", (8, 3)), ("BatchNorm1d", (4, 3, 5)), ("BatchNorm2d", (4, 3, 5, 4)),
     ("BatchNorm3d", (2, 3, 2, 3, 4))],
)  # fmt: skip
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_training_steps(cls, shape, momentum):
    """Several train steps (running stats, num_batches_tracked, gradients of input and
    parameters), then evaluation."""
    exact = len(shape) > 2  # the contiguous kernel with spatial dims: torch's bits

    def body(lib):
        m = getattr(lib.nn, cls)(3, momentum=momentum, eps=1e-4)
        with lib.no_grad():
            m.weight.copy_(to_lib(lib, rand_array((3,), seed=9)))
            m.bias.copy_(to_lib(lib, rand_array((3,), seed=8)))
        outs = []
        for step in range(3):
            x = to_lib(lib, rand_array(shape, seed=step) * (step + 1) + step)
            outs.append(m(x))
        x = to_lib(lib, rand_array(shape, seed=7), requires_grad=True)
        y_train = m(x)
        m.eval()
        y_eval = m(x)
        return outs, y_train, y_eval, _sd(m), m.num_batches_tracked.item()

    if exact:
        same(body, exact=True, grads=False)
    same(body, rtol=1e-5, atol=1e-5)


def test_batchnorm_parameter_gradients():
    def body(lib):
        m = lib.nn.BatchNorm2d(3)
        x = to_lib(lib, rand_array((4, 3, 2, 5), seed=1), requires_grad=True)
        y = m(x)
        (y * to_lib(lib, rand_array((4, 3, 2, 5), seed=2))).sum().backward()
        return y, m.weight.grad, m.bias.grad, y.grad_fn.name()

    same(body, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("track", [True, False])
def test_batchnorm_options(affine, track):
    def body(lib):
        m = lib.nn.BatchNorm1d(3, affine=affine, track_running_stats=track)
        x = to_lib(lib, rand_array((6, 3), seed=1), requires_grad=True)
        y = m(x)
        m.eval()
        return repr(m), y, m(x), _sd(m), [n for n, _ in m.named_buffers()]

    same(body, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls,dims", [("BatchNorm1d", 4), ("BatchNorm2d", 3), ("BatchNorm3d", 4)])
def test_batchnorm_input_dim_errors(cls, dims):
    oracle(lambda lib: getattr(lib.nn, cls)(3)(lib.ones(*([2, 3] + [2] * (dims - 2)))),
           grads=False)  # fmt: skip


def test_batchnorm_errors():
    oracle(lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)), grads=False)
    oracle(lambda lib: lib.nn.BatchNorm1d(4)(lib.ones(2, 3)), grads=False)


def test_batchnorm_load_state_dict_without_num_batches_tracked():
    def body(lib):
        m = lib.nn.BatchNorm1d(3)
        sd = OrderedDict(
            [("weight", lib.ones(3) * 2), ("bias", lib.zeros(3)), ("running_mean", lib.ones(3)),
             ("running_var", lib.ones(3) * 3)]
        )  # fmt: skip
        res = m.load_state_dict(sd)
        return repr(res), _sd(m)

    same(body, grads=False)


def test_batchnorm_reset_and_dtype():
    def body(lib):
        m = lib.nn.BatchNorm2d(2, dtype=lib.float64)
        m(to_lib(lib, rand_array((3, 2, 2, 2), "float64", seed=1)))
        before = _sd(m)
        m.reset_running_stats()
        return before, _sd(m), m.num_batches_tracked.dtype

    same(body, rtol=1e-12, atol=1e-12, grads=False)


# ----------------------------------------------------------------------------- other norms


@pytest.mark.parametrize("cls,shape", [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)),
                                       ("InstanceNorm2d", (2, 3, 4, 4)),
                                       ("InstanceNorm3d", (3, 2, 2, 3))])  # fmt: skip
@pytest.mark.parametrize("affine,track", [(False, False), (True, True)])
def test_instance_norm_modules(cls, shape, affine, track):
    def body(lib):
        m = getattr(lib.nn, cls)(3, affine=affine, track_running_stats=track)
        x = to_lib(lib, rand_array(shape, seed=1) * 2 + 1, requires_grad=True)
        y = m(x)
        m.eval()
        return repr(m), y, m(x), _sd(m)

    same(body, rtol=1e-5, atol=1e-5)


def test_instance_norm_module_errors():
    oracle(lambda lib: lib.nn.InstanceNorm1d(3)(lib.ones(2, 3, 4, 5)), grads=False)
    oracle(lambda lib: lib.nn.InstanceNorm2d(4, affine=True)(lib.ones(2, 3, 4, 5)), grads=False)
    with pytest.warns(UserWarning, match="does not match num_features"):
        tl.nn.InstanceNorm2d(4)(tl.ones(2, 3, 4, 5))


@pytest.mark.parametrize(
    "make,shape",
    [(lambda nn: nn.LayerNorm(5), (3, 5)), (lambda nn: nn.LayerNorm([3, 5], 1e-3), (2, 3, 5)),
     (lambda nn: nn.LayerNorm(5, elementwise_affine=False), (4, 5)),
     (lambda nn: nn.GroupNorm(2, 4), (3, 4, 5)), (lambda nn: nn.GroupNorm(1, 4, affine=False),
                                                  (3, 4)),
     (lambda nn: nn.RMSNorm(5), (3, 5)), (lambda nn: nn.RMSNorm([2, 5], eps=1e-4), (3, 2, 5)),
     (lambda nn: nn.LocalResponseNorm(3, 0.1, 0.5, 2.0), (2, 4, 3, 2))],
)  # fmt: skip
def test_norm_modules(make, shape):
    def body(lib):
        m = make(lib.nn)
        x = to_lib(lib, rand_array(shape, seed=1) * 2 + 1, requires_grad=True)
        for p in m.parameters():  # non-trivial affine parameters
            with lib.no_grad():
                p.add_(to_lib(lib, rand_array(tuple(p.shape), seed=5)))
        return repr(m), m(x), _sd(m)

    same(body, rtol=1e-5, atol=1e-5)


def test_group_norm_module_error():
    oracle(lambda lib: lib.nn.GroupNorm(3, 4), grads=False)


# ----------------------------------------------------------------------------- dropout


@pytest.mark.parametrize(
    "name,shape",
    [("Dropout", (4, 5)), ("Dropout1d", (3, 4, 5)), ("Dropout2d", (2, 3, 4, 5)),
     ("Dropout3d", (2, 3, 2, 2, 3)), ("AlphaDropout", (4, 5)), ("FeatureAlphaDropout", (3, 4, 5))],
)  # fmt: skip
def test_dropout_modules(name, shape):
    def body(lib):
        lib.manual_seed(5)
        m = getattr(lib.nn, name)(0.3)
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        y_train = m(x)
        m.eval()
        return repr(m), y_train, m(x) is x, lib.rand(2)

    same(body, exact=True)


def test_dropout_module_errors():
    oracle(lambda lib: lib.nn.Dropout(1.2), grads=False)
    oracle(lambda lib: lib.nn.Dropout2d(-0.1), grads=False)


def test_dropout_inplace_module():
    def body(lib):
        lib.manual_seed(1)
        x = to_lib(lib, rand_array((4, 6), seed=1))
        y = lib.nn.Dropout(0.5, inplace=True)(x)
        return y is x, x

    same(body, exact=True, grads=False)


# ----------------------------------------------------------------------------- embeddings


def test_embedding_module():
    def body(lib):
        lib.manual_seed(2)
        m = lib.nn.Embedding(7, 3, padding_idx=2)
        idx = to_lib(lib, np.array([[1, 2, 6], [2, 0, 1]]))
        y = m(idx)
        (y * to_lib(lib, rand_array((2, 3, 3), seed=3))).sum().backward()
        return repr(m), _sd(m), y, m.weight.grad

    same(body, rtol=1e-6, atol=1e-7, grads=False)


def test_embedding_from_pretrained_and_max_norm():
    def body(lib):
        w = to_lib(lib, rand_array((5, 2), seed=1) * 4)
        frozen = lib.nn.Embedding.from_pretrained(w)
        free = lib.nn.Embedding.from_pretrained(w.clone(), freeze=False, max_norm=1.0)
        idx = to_lib(lib, np.array([0, 3, 3]))
        return (repr(frozen), frozen.weight.requires_grad, frozen(idx), repr(free),
                free.weight.requires_grad, free(idx), free.weight)  # fmt: skip

    same(body, rtol=1e-6, atol=1e-6, grads=False)


def test_embedding_module_errors():
    oracle(lambda lib: lib.nn.Embedding(5, 2, padding_idx=5), grads=False)
    oracle(lambda lib: lib.nn.Embedding(5, 2, padding_idx=-6), grads=False)
    oracle(lambda lib: lib.nn.Embedding(5, 2, _weight=lib.ones(4, 2)), grads=False)
    oracle(lambda lib: lib.nn.Embedding.from_pretrained(lib.ones(3)), grads=False)
    oracle(lambda lib: lib.nn.EmbeddingBag(5, 2, padding_idx=7), grads=False)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_module(mode):
    def body(lib):
        lib.manual_seed(4)
        m = lib.nn.EmbeddingBag(8, 3, mode=mode, padding_idx=-1)
        inp = to_lib(lib, np.array([1, 7, 3, 3, 2, 0]))
        off = to_lib(lib, np.array([0, 2, 2, 5]))
        y = m(inp, off)
        (y * to_lib(lib, rand_array((4, 3), seed=3))).sum().backward()
        bag = lib.nn.EmbeddingBag.from_pretrained(m.weight.detach(), mode=mode)
        return repr(m), _sd(m), y, m.weight.grad, repr(bag), bag.weight.requires_grad

    same(body, rtol=1e-6, atol=1e-6, grads=False)


# ----------------------------------------------------------------------------- shape layers


def test_flatten_unflatten_pixel_shuffle():
    def body(lib):
        nn = lib.nn
        x = to_lib(lib, rand_array((2, 8, 2, 3), seed=1), requires_grad=True)
        mods = [nn.Flatten(), nn.Flatten(0, 2), nn.Unflatten(1, (2, 4)),
                nn.Unflatten(-1, lib.Size([3, 1])), nn.PixelShuffle(2),
                nn.PixelUnshuffle(1)]  # fmt: skip
        return [(repr(m), m(x)) for m in mods]

    same(body, exact=True)


def test_unflatten_errors():
    oracle(lambda lib: lib.nn.Unflatten(1, 3), grads=False)
    oracle(lambda lib: lib.nn.Unflatten(1, (2, 3.0)), grads=False)
    oracle(lambda lib: lib.nn.Unflatten(1, (2, 4))(lib.ones(2, 6)), grads=False)


@pytest.mark.parametrize(
    "name,arg,shape",
    [("ZeroPad1d", (1, 2), (2, 3, 4)), ("ZeroPad2d", 1, (1, 2, 3)), ("ZeroPad3d", 1, (1, 2, 2, 2)),
     ("ConstantPad1d", 2, (2, 3)), ("ConstantPad2d", (1, 0, 2, 1), (1, 2, 3)),
     ("ConstantPad3d", (1, 0, 1, 0, 1, 0), (1, 1, 2, 2, 2)), ("ReflectionPad1d", 2, (2, 3, 4)),
     ("ReflectionPad2d", (1, 2, 0, 1), (1, 3, 4)), ("ReflectionPad3d", 1, (1, 2, 2, 3, 3)),
     ("ReplicationPad1d", (3, 1), (2, 4)), ("ReplicationPad2d", 2, (1, 1, 2, 3)),
     ("ReplicationPad3d", (1, 2, 0, 1, 1, 0), (2, 2, 2, 3)), ("CircularPad1d", 2, (2, 3, 4)),
     ("CircularPad2d", (1, 0, 2, 1), (1, 3, 4)), ("CircularPad3d", 1, (1, 2, 2, 3, 3))],
)  # fmt: skip
def test_padding_modules(name, arg, shape):
    def body(lib):
        cls = getattr(lib.nn, name)
        m = cls(arg, 1.5) if name.startswith("Constant") else cls(arg)
        x = to_lib(lib, rand_array(shape, seed=1), requires_grad=True)
        return repr(m), m(x)

    same(body, rtol=1e-6, atol=1e-6)


def test_circular_pad_module_error():
    oracle(lambda lib: lib.nn.CircularPad2d(1)(lib.ones(2, 3)), grads=False)


# ----------------------------------------------------------------------------- losses


def _loss_inputs(lib, name):
    """(module args, forward inputs) for a loss module."""
    r = rand_array
    x = to_lib(lib, r((4, 5), seed=1), requires_grad=True)
    cls = to_lib(lib, np.array([1, 0, 4, 2]))
    prob = to_lib(lib, r((4, 5), seed=2, low=0.05, high=0.95))
    sign = to_lib(lib, np.array([1.0, -1.0, 1.0, -1.0], np.float32))
    if name in ("CrossEntropyLoss", "MultiMarginLoss"):
        return (x, cls)
    if name == "NLLLoss":
        return (lib.log_softmax(x, 1), cls)
    if name in ("L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "PoissonNLLLoss"):
        return (x, to_lib(lib, r((4, 5), seed=3)))
    if name in ("BCELoss",):
        return (lib.sigmoid(x), prob)
    if name in ("BCEWithLogitsLoss", "MultiLabelSoftMarginLoss"):
        return (x, prob)
    if name == "KLDivLoss":
        return (lib.log_softmax(x, 1), lib.softmax(to_lib(lib, r((4, 5), seed=4)), 1))
    if name == "GaussianNLLLoss":
        return (x, to_lib(lib, r((4, 5), seed=3)), to_lib(lib, r((4, 5), seed=4, low=0.1)))
    if name in ("CosineEmbeddingLoss",):
        return (x, to_lib(lib, r((4, 5), seed=3), requires_grad=True), sign)
    if name == "MarginRankingLoss":
        return (x[:, 0], to_lib(lib, r((4,), seed=3)), sign)
    if name in ("HingeEmbeddingLoss", "SoftMarginLoss"):
        return (x[:, 0], sign)
    if name == "TripletMarginLoss":
        return (x, to_lib(lib, r((4, 5), seed=3)), to_lib(lib, r((4, 5), seed=4)))
    raise KeyError(name)


_LOSSES = [
    ("CrossEntropyLoss", {}),
    ("CrossEntropyLoss", {"label_smoothing": 0.2, "reduction": "sum"}),
    ("CrossEntropyLoss", {"ignore_index": 0}),
    ("NLLLoss", {"reduction": "none"}),
    ("L1Loss", {}),
    ("MSELoss", {"reduction": "sum"}),
    ("SmoothL1Loss", {"beta": 0.5}),
    ("HuberLoss", {"delta": 0.7}),
    ("BCELoss", {}),
    ("BCEWithLogitsLoss", {}),
    ("KLDivLoss", {"reduction": "batchmean"}),
    ("PoissonNLLLoss", {"full": True, "log_input": True}),
    ("GaussianNLLLoss", {"full": True}),
    ("CosineEmbeddingLoss", {"margin": 0.1}),
    ("MarginRankingLoss", {"margin": 0.3}),
    ("HingeEmbeddingLoss", {"margin": 0.5}),
    ("SoftMarginLoss", {}),
    ("MultiLabelSoftMarginLoss", {}),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5}),
    ("TripletMarginLoss", {"margin": 0.5, "swap": True}),
]


@pytest.mark.parametrize("name,kwargs", _LOSSES)
def test_loss_modules(name, kwargs):
    def body(lib):
        m = getattr(lib.nn, name)(**kwargs)
        return repr(m), m(*_loss_inputs(lib, name)), _sd(m)

    same(body, rtol=1e-5, atol=1e-6)


def test_weighted_loss_modules():
    def body(lib):
        w = to_lib(lib, rand_array((5,), seed=7, low=0.1, high=2))
        x = to_lib(lib, rand_array((4, 5), seed=1), requires_grad=True)
        cls = to_lib(lib, np.array([1, 0, 4, 2]))
        prob = to_lib(lib, rand_array((4, 5), seed=2, low=0.05, high=0.95))
        ce = lib.nn.CrossEntropyLoss(weight=w)
        bce = lib.nn.BCEWithLogitsLoss(weight=w, pos_weight=w * 2)
        mm = lib.nn.MultiMarginLoss(weight=w)
        return (ce(x, cls), bce(x, prob), mm(x, cls), _sd(ce), _sd(bce),
                [n for n, _ in bce.named_buffers()])  # fmt: skip

    same(body, rtol=1e-5, atol=1e-6)


def test_loss_module_legacy_arguments():
    def body(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = lib.nn.L1Loss(size_average=False)
            n = lib.nn.NLLLoss(reduce=False)
        return m.reduction, n.reduction, [str(x.message) for x in w]

    same(body, grads=False)


@pytest.mark.parametrize("case", ["triplet", "multimargin_p", "multimargin_w", "huber"])
def test_loss_module_errors(case):
    def body(lib):
        if case == "triplet":
            return lib.nn.TripletMarginLoss(margin=0.0)
        if case == "multimargin_p":
            return lib.nn.MultiMarginLoss(p=3)
        if case == "multimargin_w":
            return lib.nn.MultiMarginLoss(weight=lib.ones(2, 2))
        return lib.nn.HuberLoss(delta="1")

    oracle(body, grads=False)


# ----------------------------------------------------------------------------- a model


def test_seeded_model_trains_like_torch():
    """A small CNN with every common layer: same init under the seed, same outputs, loss
    and gradients over two SGD steps (train mode with dropout, then eval)."""

    def body(lib):
        nn = lib.nn
        lib.manual_seed(0)
        model = nn.Sequential(
            nn.Linear(12, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.25),
            nn.Unflatten(1, (4, 4)), nn.LayerNorm(4), nn.GELU(), nn.Flatten(),
            nn.Linear(16, 3),
        )  # fmt: skip
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        x = to_lib(lib, rand_array((6, 12), seed=1))
        y = to_lib(lib, np.array([0, 1, 2, 1, 0, 2]))
        losses = []
        for _ in range(2):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss)
        model.eval()
        return losses, model(x), _sd(model)

    same(body, rtol=2e-5, atol=2e-6, grads=False)
