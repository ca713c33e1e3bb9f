"""torchless.nn against torch: Module's stores and routing, iteration order, state_dict
and load_state_dict (results and error texts), hooks, modes, conversions, printing,
copying; Parameter; Linear, Identity and MSELoss values and gradients; nn.init.

Most tests write one body against a library module and run it through ``oracle``,
which compares results, and exception types and messages, between torch and
torchless.
"""

from __future__ import annotations

import copy
import math
import pickle
from collections import OrderedDict

import numpy as np
import pytest
from oracle import oracle, to_lib

import torchless
import torchless.nn as tnn

torch = pytest.importorskip("torch")


def _same(body, **kw):
    return oracle(body, grads=False, **kw)


# --------------------------------------------------------------------------- models


def _models(lib):
    """Model classes written against ``lib``: the same source for both libraries."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.lin = nn.Linear(n, n)
            self.act = nn.Identity()
            self.register_buffer("steps", lib.zeros((), dtype=lib.int64))
            self.register_buffer("scratch", lib.ones(2), persistent=False)

        def forward(self, x):
            return self.act(self.lin(x))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.first = nn.Linear(3, 4)
            self.block = Block(4)
            self.head = nn.Linear(4, 2, bias=False)
            self.scale = nn.Parameter(lib.ones(()))
            self.loss = nn.MSELoss(reduction="sum")

        def forward(self, x):
            return self.head(self.block(self.first(x))) * self.scale

    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = nn.Linear(2, 2)
            self.b.weight = self.a.weight  # a shared parameter
            self.again = self.a  # a shared submodule

        def forward(self, x):
            return self.b(self.a(x))

    class Custom(nn.Module):
        def __init__(self, lines):
            super().__init__()
            self.lines = lines

        def extra_repr(self):
            return "\n".join(self.lines)

    return Block, Net, Tied, Custom


def _load_net_weights(lib, net):
    """Give ``net`` the same deterministic weights in both libraries."""
    with lib.no_grad():
        for i, (_, p) in enumerate(net.named_parameters()):
            p.copy_(to_lib(lib, np.linspace(-1, 1, p.numel()).reshape(tuple(p.shape)) * (i + 1)))


# --------------------------------------------------------------------------- repr


def test_repr_nested_and_extra_repr():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        nn = lib.nn
        outer = Custom(["alpha=1", "beta=2"])
        outer.inner = Custom(["gamma=3"])
        outer.inner.deeper = Net()
        outer.empty = nn.Module()
        outer.add_module("missing", None)
        return [
            repr(Net()),
            repr(Tied()),
            repr(outer),
            repr(Custom([])),
            repr(Custom(["one line"])),
            repr(Custom(["", "blank first"])),
            repr(nn.Linear(1, 1)),
            repr(nn.Linear(5, 3, bias=False)),
            repr(nn.Identity(54, unused="x")),
            repr(nn.MSELoss()),
            str(Net()),
        ]

    _same(body)


def test_module_without_forward():
    def body(lib):
        class NoForward(lib.nn.Module):
            pass

        return NoForward()(lib.ones(1))

    _same(body)
    _same(lambda lib: lib.nn.Module()())


@pytest.mark.parametrize("case", ["args", "kwargs", "no_super_call", "no_super_params"])
def test_module_init_errors(case):
    def body(lib):
        class NoSuper(lib.nn.Module):
            def __init__(self):
                pass

            def forward(self, x):
                return x

        if case == "args":
            return lib.nn.Module(3)
        if case == "kwargs":
            return lib.nn.Module(size=3)
        if case == "no_super_call":
            return NoSuper()(1)
        return list(NoSuper().parameters())

    _same(body)


# --------------------------------------------------------------------------- setattr routing


def test_setattr_routes_parameters_buffers_modules():
    def body(lib):
        nn = lib.nn
        m = nn.Module()
        m.w = nn.Parameter(lib.ones(2))
        m.register_buffer("b", lib.zeros(3))
        m.sub = nn.Linear(1, 1)
        m.plain = 5
        out = [
            list(m._parameters),
            list(m._buffers),
            list(m._modules),
            "plain" in m.__dict__,
            m.w is m._parameters["w"],
        ]
        m.b = lib.ones(3)  # a buffer name keeps routing to the buffers
        out.append(m.b)
        m.w = None
        out.append(m._parameters["w"])
        m.sub = None
        out.append(list(m._modules.items()))
        # a Parameter assigned over a buffer name moves the name to the parameters
        m.b = nn.Parameter(lib.zeros(1))
        out.append((list(m._parameters), list(m._buffers)))
        # a Module assigned over a plain attribute
        m.plain = nn.Identity()
        out.append(("plain" in m.__dict__, list(m._modules)))
        del m.w
        del m.b
        del m.plain
        out.append((list(m._parameters), list(m._modules)))
        return out

    _same(body)


@pytest.mark.parametrize(
    "case",
    [
        "tensor_as_parameter",
        "int_as_parameter",
        "param_before_init",
        "module_before_init",
        "buffer_before_init",
        "int_as_module",
        "int_as_buffer",
        "missing_attribute",
        "delete_missing",
        "register_existing",
        "register_dotted",
        "register_empty",
        "register_non_parameter",
        "register_non_leaf",
        "buffer_bad_name",
        "buffer_not_tensor",
        "add_module_not_module",
        "add_module_dotted",
        "add_module_name_type",
    ],
)
def test_setattr_errors(case):
    def body(lib):
        nn = lib.nn

        class Early(nn.Module):
            def __init__(self, what):
                if what == "param":
                    self.w = nn.Parameter(lib.ones(1))
                elif what == "module":
                    self.m = nn.Linear(1, 1)
                else:
                    self.register_buffer("b", lib.ones(1))

        m = nn.Linear(2, 2)
        if case == "tensor_as_parameter":
            m.weight = lib.zeros(2, 2)
        elif case == "int_as_parameter":
            m.bias = 3
        elif case == "param_before_init":
            Early("param")
        elif case == "module_before_init":
            Early("module")
        elif case == "buffer_before_init":
            Early("buffer")
        elif case == "int_as_module":
            m.sub = nn.Identity()
            m.sub = 1
        elif case == "int_as_buffer":
            m.register_buffer("buf", lib.ones(1))
            m.buf = [1]
        elif case == "missing_attribute":
            return m.nothing
        elif case == "delete_missing":
            del m.nothing
        elif case == "register_existing":
            m.register_parameter("in_features", None)
        elif case == "register_dotted":
            m.register_parameter("a.b", None)
        elif case == "register_empty":
            m.register_parameter("", None)
        elif case == "register_non_parameter":
            m.register_parameter("extra", lib.ones(1))
        elif case == "register_non_leaf":
            m.register_parameter("extra", nn.Parameter(lib.ones(1)) * 2)
        elif case == "buffer_bad_name":
            m.register_buffer("x.y", lib.ones(1))
        elif case == "buffer_not_tensor":
            m.register_buffer("x", 1.5)
        elif case == "add_module_not_module":
            m.add_module("x", 3)
        elif case == "add_module_dotted":
            m.add_module("x.y", nn.Identity())
        elif case == "add_module_name_type":
            m.add_module(3, nn.Identity())
        return "no error"

    _same(body)


# --------------------------------------------------------------------------- iteration


def test_named_members_order_and_sharing():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net, tied = Net(), Tied()
        return [
            [n for n, _ in net.named_parameters()],
            [n for n, _ in net.named_parameters(prefix="model", recurse=False)],
            [n for n, _ in tied.named_parameters()],
            [n for n, _ in tied.named_parameters(remove_duplicate=False)],
            len(list(tied.parameters())),
            [n for n, _ in net.named_buffers()],
            [n for n, _ in net.named_children()],
            [n for n, _ in tied.named_children()],
            [n for n, _ in net.named_modules()],
            [n for n, _ in tied.named_modules()],
            [n for n, _ in tied.named_modules(remove_duplicate=False)],
            [n for n, _ in net.named_modules(prefix="root")],
            [type(m).__name__ for m in net.modules()],
            [type(m).__name__ for m in net.children()],
            list(net.parameters(recurse=False))[0].shape,
            tied.b.weight is tied.a.weight,
        ]

    _same(body)


def test_parameters_are_parameters():
    net = _models(torchless)[1]()
    for p in net.parameters():
        assert isinstance(p, tnn.Parameter) and isinstance(p, torchless.Tensor)
        assert p.requires_grad and p.is_leaf
    assert not isinstance(net.block.steps, tnn.Parameter)


def test_get_submodule_parameter_buffer():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net = Net()
        out = [
            type(net.get_submodule("block.lin")).__name__,
            net.get_submodule("") is net,
            net.get_parameter("block.lin.bias").shape,
            net.get_parameter("scale").shape,
            net.get_buffer("block.steps").dtype,
        ]
        for call in (
            lambda: net.get_submodule("block.nothing"),
            lambda: net.get_submodule("scale"),
            lambda: net.get_parameter("block.steps"),
            lambda: net.get_parameter("block.zzz"),
            lambda: net.get_buffer("first.weight"),
        ):
            try:
                call()
            except AttributeError as e:
                out.append(str(e))
        net.set_submodule("block.act", lib.nn.Linear(4, 4))
        out.append(repr(net.block))
        return out

    _same(body)


def test_dir_lists_members():
    net = _models(torchless)[1]()
    names = dir(net)
    for name in ("first", "block", "scale", "forward", "training", "state_dict"):
        assert name in names
    assert names == sorted(names)


# --------------------------------------------------------------------------- state_dict


def test_state_dict_keys_values_and_detach():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net = Net()
        _load_net_weights(lib, net)
        sd = net.state_dict()
        kept = net.state_dict(keep_vars=True)
        tied = Tied().state_dict()
        return [
            type(sd).__name__,
            list(sd.keys()),
            dict(sd),
            [v.requires_grad for v in sd.values()],
            [v.requires_grad for v in kept.values()],
            kept["first.weight"] is net.first.weight,
            list(tied.keys()),
            list(net.state_dict(prefix="pre.").keys()),
            dict(sd._metadata),
        ]

    _same(body)


def test_state_dict_shares_memory():
    net = tnn.Linear(2, 2)
    sd = net.state_dict()
    with torchless.no_grad():
        net.weight.fill_(3.0)
    assert float(sd["weight"].sum()) == 12.0


def test_load_state_dict_roundtrip_in_place():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        src, dst = Net(), Net()
        _load_net_weights(lib, src)
        w = dst.first.weight
        result = dst.load_state_dict(src.state_dict())
        return [
            repr(result),
            str(result),
            result.missing_keys,
            dst.first.weight is w,  # copied into the same Parameter
            dst.first.weight.requires_grad,
            dict(dst.state_dict()),
        ]

    _same(body)


@pytest.mark.parametrize(
    "case",
    ["missing", "unexpected", "both", "size", "not_tensor", "non_strict", "scalar", "nested"],
)
def test_load_state_dict_errors_and_results(case):
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        m = lib.nn.Linear(3, 2)
        sd = OrderedDict((k, v.clone()) for k, v in m.state_dict().items())
        if case == "missing":
            del sd["bias"]
        elif case == "unexpected":
            sd["extra"] = lib.ones(1)
            sd["sub.weight"] = lib.ones(1)
        elif case == "both":
            del sd["weight"]
            sd["extra"] = lib.ones(1)
        elif case == "size":
            sd["weight"] = lib.ones(4, 3)
            sd["bias"] = lib.ones(5)
        elif case == "not_tensor":
            sd["bias"] = [0.0, 1.0]
        elif case == "non_strict":
            del sd["bias"]
            sd["extra"] = lib.ones(1)
            return repr(m.load_state_dict(sd, strict=False))
        elif case == "scalar":
            net = Net()
            full = net.state_dict()
            full["scale"] = lib.tensor([2.5])  # shape (1,) loads into a 0-d parameter
            net.load_state_dict(full)
            return net.scale
        elif case == "nested":
            net = Net()
            full = net.state_dict()
            del full["block.lin.bias"]
            full["block.lin.extra"] = lib.ones(1)
            full["block.steps"] = lib.ones(3, dtype=lib.int64)
        return m.load_state_dict(sd) if case != "nested" else net.load_state_dict(full)

    _same(body)


def test_load_state_dict_assign():
    def body(lib):
        m = lib.nn.Linear(2, 2)
        new_w = lib.ones(2, 2)
        new_b = lib.zeros(2)
        m.load_state_dict({"weight": new_w, "bias": new_b}, assign=True)
        return [
            type(m.weight).__name__,
            m.weight.requires_grad,
            m.weight,
            m.bias,
        ]

    _same(body)
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        tnn.Linear(1, 1).load_state_dict([("weight", torchless.ones(1, 1))])


def test_state_dict_hooks():
    def body(lib):
        m = lib.nn.Linear(2, 1)
        calls = []
        m.register_state_dict_pre_hook(lambda mod, prefix, keep: calls.append(("pre", prefix)))
        m.register_state_dict_post_hook(
            lambda mod, sd, prefix, meta: calls.append(("post", list(sd)))
        )
        m.register_load_state_dict_post_hook(
            lambda mod, keys: calls.append(("load", list(keys.missing_keys)))
        )
        m.load_state_dict(m.state_dict())
        return calls

    _same(body)


# --------------------------------------------------------------------------- hooks


def test_forward_hooks():
    def body(lib):
        m = lib.nn.Linear(2, 2)
        _load_net_weights(lib, m)
        log = []

        def pre(mod, args):
            log.append(("pre", len(args)))
            return (args[0] * 2,)

        def pre_single(mod, args):
            log.append(("pre_single", tuple(args[0].shape)))
            return args[0] + 1  # a non-tuple result is wrapped

        def post(mod, args, out):
            log.append(("post", tuple(out.shape)))
            return out * 10

        def post_first(mod, args, out):
            log.append("post_first")

        def pre_kw(mod, args, kwargs):
            log.append(("pre_kw", sorted(kwargs)))
            return args, kwargs

        def post_kw(mod, args, kwargs, out):
            log.append(("post_kw", sorted(kwargs)))

        x = to_lib(lib, [[1.0, 2.0]], dtype="float32")
        plain = m(x)
        handles = [
            m.register_forward_pre_hook(pre),
            m.register_forward_pre_hook(pre_single),
            m.register_forward_hook(post),
            m.register_forward_hook(post_first, prepend=True),
            m.register_forward_pre_hook(pre_kw, with_kwargs=True),
            m.register_forward_hook(post_kw, with_kwargs=True),
        ]
        hooked = m(x)
        for h in handles:
            h.remove()
        after = m(x)
        with m.register_forward_hook(post):
            in_ctx = m(x)
        return [plain, hooked, after, in_ctx, m(x), log]

    _same(body)


def test_forward_hook_always_call_and_bad_pre_hook():
    def body(lib):
        class Boom(lib.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        m = Boom()
        seen = []
        m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
        try:
            m(lib.ones(1))
        except ValueError as e:
            seen.append(str(e))
        bad = lib.nn.Identity()
        bad.register_forward_pre_hook(lambda mod, a, k: 5, with_kwargs=True)
        try:
            bad(lib.ones(1))
        except RuntimeError as e:
            seen.append(str(e))
        return seen

    _same(body)


def test_global_forward_hooks():
    from torchless.nn.modules import module as tl_module

    def body(lib):
        mod = lib.nn.modules.module
        log = []
        h1 = mod.register_module_forward_pre_hook(lambda m, a: log.append(type(m).__name__))
        h2 = mod.register_module_forward_hook(lambda m, a, o: log.append("after"))
        try:
            lib.nn.Identity()(lib.ones(1))
        finally:
            h1.remove()
            h2.remove()
        lib.nn.Identity()(lib.ones(1))
        return log

    assert torchless.nn.modules.module is tl_module
    _same(body)


def test_call_goes_straight_to_forward():
    m = tnn.Linear(2, 2)
    calls = []
    m.forward = lambda x: calls.append(x) or x  # an instance attribute, as torch allows
    m(1)
    assert calls == [1]


# --------------------------------------------------------------------------- modes, grads


def test_train_eval_requires_grad_apply():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net = Net()
        out = [net.training, net.block.lin.training]
        out.append(net.eval() is net)
        out.append([m.training for m in net.modules()])
        out.append(net.train() is net)
        out.append([m.training for m in net.modules()])
        net.block.train(False)
        out.append([m.training for m in net.modules()])
        try:
            net.train("yes")
        except ValueError as e:
            out.append(str(e))
        out.append(net.requires_grad_(False) is net)
        out.append([p.requires_grad for p in net.parameters()])
        net.requires_grad_()
        visited = []
        out.append(net.apply(lambda m: visited.append(type(m).__name__)) is net)
        out.append(visited)
        return out

    _same(body)


@pytest.mark.parametrize("set_to_none", [True, False])
def test_module_zero_grad(set_to_none):
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net = Net()
        _load_net_weights(lib, net)
        x = to_lib(lib, np.ones((2, 3), dtype=np.float32))
        net(x).sum().backward()
        grads = [p.grad for p in net.parameters()]
        net.zero_grad(set_to_none=set_to_none)
        after = [p.grad for p in net.parameters()]
        same_objects = [a is b for a, b in zip(grads, after)]
        return [after, same_objects]

    _same(body)


# --------------------------------------------------------------------------- conversions


def test_to_float_double_keep_parameter_identity():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        net = Net()
        _load_net_weights(lib, net)
        net(to_lib(lib, np.ones((1, 3), dtype=np.float32))).sum().backward()
        before = list(net.parameters())
        out = [net.double() is net]
        out.append([p is q for p, q in zip(before, net.parameters())])
        out.append([p.dtype for p in net.parameters()])
        out.append([p.grad.dtype for p in net.parameters()])
        out.append([(n, b.dtype) for n, b in net.named_buffers()])
        net.float()
        out.append([p.dtype for p in net.parameters()])
        net.to(lib.float64)
        out.append([p.dtype for p in net.parameters()])
        net.to("cpu", lib.float32)
        out.append([p.dtype for p in net.parameters()])
        net.to(dtype=lib.float16)
        out.append([p.dtype for p in net.parameters()])
        net.to(lib.zeros(1, dtype=lib.float64))
        out.append([p.dtype for p in net.parameters()])
        out.append(net.cpu() is net)
        out.append(net.half().first.weight.dtype)
        out.append(net.type(lib.float32).first.weight.dtype)
        out.append([p.requires_grad and p.is_leaf for p in net.parameters()])
        out.append(dict(net.state_dict()))
        try:
            net.to(lib.int64)
        except TypeError as e:
            out.append(str(e))
        return out

    _same(body)


# --------------------------------------------------------------------------- copying


def test_deepcopy_and_pickle():
    def body(lib):
        Block, Net, Tied, Custom = _models(lib)
        tied = Tied()
        _load_net_weights(lib, tied)
        tied(to_lib(lib, np.ones((1, 2), dtype=np.float32))).sum().backward()
        out = []
        for clone in (copy.deepcopy(tied), pickle.loads(pickle.dumps(tied))):
            out.append(repr(clone))
            out.append(dict(clone.state_dict()))
            out.append(clone.a.weight is clone.b.weight)  # sharing survives
            out.append(clone.again is clone.a)
            out.append(clone.a.weight is tied.a.weight)
            out.append(type(clone.a.weight).__name__)
            out.append(clone.a.weight.requires_grad)
        out.append(copy.deepcopy(tied).a.weight.grad)  # Parameter's deepcopy drops .grad
        return out

    _same(body)


# --------------------------------------------------------------------------- Parameter


def test_parameter():
    def body(lib):
        P = lib.nn.Parameter
        base = to_lib(lib, [1.0, 2.0])
        p = P(base)
        empty = P()
        frozen = P(lib.ones(2), requires_grad=False)
        leaf = lib.ones(2, requires_grad=True)
        from_graph = P(leaf * 2)
        with lib.no_grad():
            p.mul_(3)
        return [
            repr(p),
            str(p),
            repr(empty),
            empty.dtype,
            repr(frozen),
            isinstance(p, lib.Tensor),
            isinstance(p, P),
            isinstance(base, P),
            base,  # shares memory with the Parameter
            (p._version, base._version),  # and its version counter
            from_graph.is_leaf,
            from_graph.grad_fn,
            repr(P(lib.zeros(2, 2, dtype=lib.float64))),
            repr(p * 2),  # ops on a Parameter give plain tensors
            type(p * 2).__name__,
            type(p.detach()).__name__,
        ]

    _same(body)


def test_parameter_copies():
    def body(lib):
        p = lib.nn.Parameter(to_lib(lib, [1.0, 2.0], dtype="float32"))
        p.grad = lib.ones(2)
        d = copy.deepcopy(p)
        q = pickle.loads(pickle.dumps(p))
        memo = {}
        same = copy.deepcopy([p, p], memo)
        return [
            repr(d),
            d.grad,
            d is p,
            repr(q),
            type(q).__name__,
            q.requires_grad,
            same[0] is same[1],
            repr(pickle.loads(pickle.dumps(lib.nn.Parameter(lib.ones(1), requires_grad=False)))),
        ]

    _same(body)


# --------------------------------------------------------------------------- Linear


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "shape,bias",
    [
        ((5, 3), True),
        ((5, 3), False),
        ((3,), True),
        ((3,), False),
        ((2, 4, 3), True),
        ((2, 4, 3), False),
        ((0, 3), True),
    ],
)
def test_linear_forward_backward(dtype, shape, bias):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((4, 3))
    b = rng.standard_normal(4)
    x = rng.standard_normal(shape)

    def body(lib):
        dt = getattr(lib, dtype)
        m = lib.nn.Linear(3, 4, bias=bias, dtype=dt)
        with lib.no_grad():
            m.weight.copy_(to_lib(lib, w))
            if bias:
                m.bias.copy_(to_lib(lib, b))
        xi = to_lib(lib, x, requires_grad=True, dtype=dtype)
        out = m(xi)
        out.sum().backward() if out.numel() else None
        return [out, m.weight.grad, None if m.bias is None else m.bias.grad, m.weight.dtype]

    tol = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    oracle(body, **tol)


def test_linear_attributes_and_errors():
    def body(lib):
        m = lib.nn.Linear(3, 2)
        out = [m.in_features, m.out_features, m.weight.shape, m.bias.shape]
        out.append(lib.nn.Linear(3, 2, bias=False).bias)
        out.append(lib.nn.Linear(2, 2, dtype=lib.float64).weight.dtype)
        out.append(lib.nn.Identity()(lib.ones(2)))
        out.append(lib.nn.Linear(0, 2).bias)  # fan_in 0: bias bound 0
        out.append(lib.nn.Linear(2, 2, device="cpu").weight.device)
        try:
            m(lib.ones(2, 4))
        except RuntimeError:
            out.append("RuntimeError")
        return out

    with pytest.warns(UserWarning, match="zero-element"):
        _same(body)


def test_linear_init_matches_torch_seeded():
    def body(lib):
        lib.manual_seed(123)
        layers = [lib.nn.Linear(7, 5), lib.nn.Linear(1, 1), lib.nn.Linear(64, 33)]
        return [t for m in layers for t in (m.weight, m.bias)]

    oracle(body, exact=True, grads=False)


def test_linear_init_statistics():
    torchless.manual_seed(0)
    fan_in = 400
    m = tnn.Linear(fan_in, 500)
    w = m.weight.detach().numpy().astype(np.float64)
    bound = 1 / math.sqrt(fan_in)
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.999 * bound
    assert abs(w.mean()) < 0.01 * bound
    # uniform(-b, b): variance b^2 / 3
    assert abs(w.var() / (bound**2 / 3) - 1) < 0.01
    b = m.bias.detach().numpy()
    assert np.abs(b).max() <= bound


# --------------------------------------------------------------------------- MSELoss


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(4, 1), (3, 5), (), (0,)])
def test_mse_loss_module(reduction, shape):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(shape)
    b = rng.standard_normal(shape)

    def body(lib):
        loss = lib.nn.MSELoss(reduction=reduction)
        x = to_lib(lib, a, requires_grad=True, dtype="float32")
        y = to_lib(lib, b, requires_grad=True, dtype="float32")
        return [loss(x, y), loss.reduction, repr(loss)]

    oracle(body, rtol=1e-6, atol=1e-6)


def test_mse_loss_functional_and_legacy_arguments():
    def body(lib):
        x = to_lib(lib, [1.0, 2.0, 4.0], requires_grad=True)
        y = to_lib(lib, [0.0, 2.0, 1.0])
        F = lib.nn.functional
        out = [F.mse_loss(x, y), F.mse_loss(x, y, reduction="sum")]
        out.append(lib.nn.MSELoss(size_average=False).reduction)
        out.append(lib.nn.MSELoss(reduce=False).reduction)
        out.append(lib.nn.MSELoss(size_average=True, reduce=True).reduction)
        return out

    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        oracle(body)


def test_mse_loss_bad_reduction():
    def body(lib):
        return lib.nn.MSELoss(reduction="avg")(lib.ones(2), lib.ones(2))

    _same(body)


# --------------------------------------------------------------------------- training loop


def test_seed_training_loop_matches_torch():
    """The seed notebook's last program: a Linear model, MSELoss and SGD."""

    def body(lib):
        lib.manual_seed(0)
        nn = lib.nn

        class LinearRegression(nn.Module):
            def __init__(self, input_dim, output_dim):
                super().__init__()
                self.lin = nn.Linear(input_dim, output_dim)

            def forward(self, x):
                return self.lin(x)

        x = lib.tensor([[1], [2], [3], [4]], dtype=lib.float32)
        y = lib.tensor([[2], [4], [6], [8]], dtype=lib.float32)
        model = LinearRegression(1, 1)
        loss = nn.MSELoss()
        optimizer = lib.optim.SGD(model.parameters(), lr=0.01)
        losses = []
        for _ in range(100):
            l = loss(y, model(x))
            l.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(l.item())
        w, b = model.parameters()
        return [losses, w, b, f"{model(lib.tensor([5.0])).item():.3f}"]

    oracle(body, rtol=1e-5, atol=1e-6, grads=False)


# --------------------------------------------------------------------------- nn.init


def test_calculate_gain_and_fans():
    def body(lib):
        init = lib.nn.init
        out = [
            init.calculate_gain(n)
            for n in ("linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu")
        ]
        out += [init.calculate_gain("leaky_relu", 0.2), init.calculate_gain("leaky_relu", 1)]
        out.append(init.calculate_gain("leaky_relu", math.sqrt(5)))
        for shape in [(3, 4), (5, 2, 3, 3), (2, 0)]:
            out.append(init._calculate_fan_in_and_fan_out(lib.empty(shape)))
        for bad in (
            lambda: init.calculate_gain("softmax"),
            lambda: init.calculate_gain("leaky_relu", True),
            lambda: init._calculate_fan_in_and_fan_out(lib.empty(3)),
            lambda: init.kaiming_uniform_(lib.empty(2, 2), mode="fan_avg"),
        ):
            try:
                bad()
            except ValueError as e:
                out.append(str(e))
        return out

    _same(body)


def test_init_deterministic_fills():
    def body(lib):
        init = lib.nn.init
        t = lib.empty(3, 4)
        out = [init.constant_(t, 0.5) is t, t.clone()]
        out += [init.ones_(t).clone(), init.zeros_(t).clone(), init.eye_(lib.empty(2, 3))]
        p = lib.nn.Parameter(lib.empty(2, 2))
        init.ones_(p)  # works on a leaf that requires grad (no_grad inside)
        out += [p, p.grad_fn]
        return out

    _same(body)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("uniform_", {"a": -2.0, "b": 3.0}),
        ("uniform_", {}),
        ("normal_", {"mean": 1.0, "std": 0.5}),
        ("xavier_uniform_", {"gain": 2.0}),
        ("xavier_normal_", {}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
        ("kaiming_normal_", {}),
        ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "tanh"}),
    ],
)
def test_init_random_matches_torch(name, kwargs):
    def body(lib):
        lib.manual_seed(7)
        t = lib.empty(40, 30)
        r = getattr(lib.nn.init, name)(t, **kwargs)
        g = lib.Generator().manual_seed(3)
        t2 = getattr(lib.nn.init, name)(lib.empty(5, 6, dtype=lib.float64), generator=g, **kwargs)
        return [r is t, t, t2]

    oracle(body, rtol=1e-6, atol=1e-7, grads=False)


@pytest.mark.parametrize(
    "name,kwargs,expect",
    [
        ("uniform_", {"a": -2.0, "b": 3.0}, ("uniform", -2.0, 3.0)),
        ("normal_", {"mean": 1.0, "std": 0.5}, ("normal", 1.0, 0.5)),
        ("xavier_uniform_", {}, ("uniform", -math.sqrt(6 / 700), math.sqrt(6 / 700))),
        ("xavier_normal_", {"gain": 2.0}, ("normal", 0.0, 2 * math.sqrt(2 / 700))),
        ("kaiming_uniform_", {}, ("uniform", -math.sqrt(6 / 300), None)),
        ("kaiming_normal_", {"nonlinearity": "relu"}, ("normal", 0.0, math.sqrt(2 / 300))),
    ],
)
def test_init_statistics(name, kwargs, expect):
    torchless.manual_seed(1)
    t = torchless.empty(400, 300)
    getattr(tnn.init, name)(t, **kwargs)
    v = t.numpy().astype(np.float64)
    kind, p1, p2 = expect
    if kind == "uniform":
        lo, hi = p1, (-p1 if p2 is None else p2)
        assert v.min() >= lo and v.max() <= hi
        assert abs(v.mean() - (lo + hi) / 2) < 0.01 * (hi - lo)
        assert abs(v.var() / ((hi - lo) ** 2 / 12) - 1) < 0.01
    else:
        assert abs(v.mean() - p1) < 0.01 * p2
        assert abs(v.std() / p2 - 1) < 0.01


def test_init_zero_element_and_deprecated():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        tnn.init.kaiming_uniform_(torchless.empty(0, 3))
    with pytest.warns(FutureWarning, match=r"`nn.init.uniform` is now deprecated"):
        tnn.init.uniform(torchless.empty(2))


# --------------------------------------------------------------------------- namespace


def test_namespace():
    for name in ("Module", "Parameter", "Linear", "Identity", "MSELoss", "functional", "init"):
        assert hasattr(tnn, name)
    assert tnn.functional.linear is torchless._ops.nn.linear
    # names torch has and torchless does not plan to implement soon
    assert not hasattr(tnn, "FractionalMaxPool2d")
    with pytest.raises(NotImplementedError, match=r"torch\.nn\.FractionalMaxPool2d"):
        tnn.FractionalMaxPool2d  # noqa: B018
    with pytest.raises(AttributeError, match=r"torch\.nn\.functional\.grid_sample"):
        tnn.functional.grid_sample  # noqa: B018


def test_buffer():
    def body(lib):
        nn = lib.nn
        m = nn.Module()
        m.a = nn.Buffer(lib.ones(2))
        m.b = nn.Buffer(lib.zeros(1), persistent=False)
        out = [
            list(m._buffers),
            list(m.state_dict()),
            isinstance(m.a, nn.Buffer),
            isinstance(lib.ones(1), nn.Buffer),
            type(m.a).__name__,
        ]
        for call in (
            lambda: m.register_buffer("training", lib.ones(1)),
            lambda: m.register_buffer(1, lib.ones(1)),
            lambda: m.register_buffer("", lib.ones(1)),
        ):
            try:
                call()
            except (KeyError, TypeError) as e:
                out.append((type(e).__name__, str(e)))
        m.b = lib.ones(3)  # stays non-persistent
        out.append(list(m.state_dict()))
        return out

    _same(body)
