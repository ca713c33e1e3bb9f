"""The autograd engine and grad mode against torch: backward, accumulation,
grad_fn names and next_functions, retain_graph, version counters, in-place
rules, grad modes, hooks and the iterative engine."""

import gc
import threading
import weakref

import numpy as np
import pytest

import torchless

torch = pytest.importorskip("torch")

LIBS = [torch, torchless]


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is what we compare
        return type(e).__name__, str(e)
    return None


def same_error(fn):
    """fn(lib) raises the same exception type and message in both libraries."""
    a = _err(lambda: fn(torch))
    b = _err(lambda: fn(torchless))
    assert a is not None, "torch raised nothing"
    assert a == b


def same_text(fn):
    a, b = fn(torch), fn(torchless)
    assert a == b, f"\ntorch:     {a!r}\ntorchless: {b!r}"
    return b


def graph_names(t):
    """The graph below t as nested (name, [children]) tuples."""
    out = []
    stack = [(t.grad_fn, out)]
    while stack:
        fn, acc = stack.pop()
        if fn is None:
            acc.append(None)
            continue
        kids = []
        acc.append((fn.name(), kids))
        for nxt, _nr in fn.next_functions:
            stack.append((nxt, kids))
    return out


# -- the seed's first cell ----------------------------------------------------


def test_seed_first_cell_prints_as_torch():
    def body(lib):
        x = lib.tensor(1.0)
        y = lib.tensor(2.0)
        w = lib.tensor(1.0, requires_grad=True)
        loss = (w * x - y) ** 2
        lines = [str(loss)]
        loss.backward()
        lines.append(str(w.grad))
        return lines

    assert same_text(body) == ["tensor(1., grad_fn=<PowBackward0>)", "tensor(-2.)"]


def test_seed_autograd_loop_matches_torch_every_step():
    def body(lib):
        x = lib.tensor([1, 2, 3, 4], dtype=lib.float32)
        y = lib.tensor([2, 4, 6, 8], dtype=lib.float32)
        w = lib.tensor(0.0, dtype=lib.float32, requires_grad=True)
        out = []
        for _ in range(100):
            loss = ((w * x - y) ** 2).mean()
            loss.backward()
            with lib.no_grad():
                w -= 0.01 * w.grad
            w.grad.zero_()
            out.append((w.item(), loss.item()))
        return out

    assert same_text(body)


# -- grad_fn names and structure ------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    [
        "x * 2.5",
        "2.5 * x",
        "x + 1",
        "1 + x",
        "x - 1",
        "1 - x",
        "x / 2",
        "2 / x",
        "x ** 2",
        "2 ** x",
        "x ** w",
        "-x",
        "x * w",
        "x.mean()",
        "x.sum()",
        "x.sum(0)",
        "M @ x",
        "x @ x",
        "M @ M",
        "M.T",
        "M.t()",
        "M.view(4)",
        "M.reshape(4)",
        "x.double()",
        "x.clone()",
        "x.abs()",
        "x.exp()",
        "x.log()",
        "x.sqrt()",
        "x.tanh()",
        "x.sigmoid()",
        "x.relu()",
        "x[0]",
        "x[1:]",
        "M[:, 0]",
        "x.unsqueeze(0)",
        "M.permute(1, 0)",
        "M.transpose(0, 1)",
        "x.expand(3, 2)",
        "x.max()",
    ],
)
def test_grad_fn_graph_matches_torch(expr):
    def body(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor(3.0, requires_grad=True)
        M = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        return graph_names(eval(expr, {"lib": lib, "x": x, "w": w, "M": M}))

    same_text(body)


def test_accumulate_grad_node_is_shared_and_holds_variable():
    x = torchless.tensor([1.0, 2.0], requires_grad=True)
    a = (x * 2).grad_fn.next_functions[0][0]
    b = (x * 3).grad_fn.next_functions[0][0]
    assert a is b
    assert a.name() == "torch::autograd::AccumulateGrad"
    assert a.variable is x


# -- backward -------------------------------------------------------------------


def test_gradients_accumulate_and_shared_grad_is_not_aliased():
    def body(lib):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        (a + b).sum().backward()
        a.grad.zero_()  # must not clear b.grad
        (a * b).sum().backward()
        return a.grad.tolist(), b.grad.tolist()

    assert same_text(body) == ([3.0, 4.0], [2.0, 3.0])


def test_explicit_gradient_and_errors():
    def body(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        y.backward(lib.tensor([1.0, 0.5, 0.0]))
        return x.grad.tolist()

    same_text(body)
    same_error(lambda lib: (lib.tensor([1.0, 2.0], requires_grad=True) * 2).backward())
    same_error(lambda lib: lib.tensor([1.0, 2.0]).sum().backward())


def test_second_backward_raises_and_retain_graph_allows_it():
    def twice(lib):
        x = lib.tensor(3.0, requires_grad=True)
        y = x * x
        y.backward()
        y.backward()

    same_error(twice)

    def retained(lib):
        x = lib.tensor(3.0, requires_grad=True)
        y = x * x
        y.backward(retain_graph=True)
        y.backward()
        return x.grad.item()

    assert same_text(retained) == 12.0

    def no_saved(lib):  # nodes that save nothing may run again
        x = lib.tensor(3.0, requires_grad=True)
        y = x + 1
        y.backward()
        y.backward()
        return x.grad.item()

    assert same_text(no_saved) == 2.0


def test_broadcast_and_dtype_gradients_fit_their_inputs():
    def body(lib):
        a = lib.tensor([[1.0], [2.0]], requires_grad=True)
        b = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        (a * b).sum().backward()
        return repr((a.grad.dtype, a.grad.shape, b.grad.dtype)), a.grad.tolist(), b.grad.tolist()

    assert same_text(body)[1:] == ([[6.0], [6.0]], [3.0, 3.0, 3.0])


def test_diamond_graph_sums_branches():
    def body(lib):
        x = lib.tensor(2.0, requires_grad=True)
        y = x * x
        z = y * x + y.exp() - (y / x)
        z.backward()
        return round(x.grad.item(), 2)

    same_text(body)


def test_engine_is_iterative_for_deep_graphs():
    x = torchless.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0
    del y  # dropping the chain must not hit the recursion limit either
    gc.collect()


def test_saved_tensors_are_released_after_backward():
    x = torchless.tensor(np.ones(1000), requires_grad=True)
    y = x.exp()
    ref = weakref.ref(y.grad_fn.saved()[0]._data)
    y.sum().backward()
    gc.collect()
    assert y.grad_fn._saved is None
    del y
    gc.collect()
    assert ref() is None


# -- version counter and in-place rules -----------------------------------------


def test_modified_saved_input_raises_torch_error():
    def body(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        a = x * 1
        y = a * a
        with lib.no_grad():
            a.add_(1)
        y.sum().backward()

    same_error(body)


def test_modified_saved_output_raises_torch_error():
    def body(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        w = x.exp()
        with lib.no_grad():
            w.mul_(2)
        w.sum().backward()

    same_error(body)


def test_inplace_on_leaf_requiring_grad_raises():
    same_error(lambda lib: lib.tensor([1.0], requires_grad=True).add_(1))
    same_error(lambda lib: lib.tensor([1.0], requires_grad=True).__iadd__(1))
    same_error(lambda lib: lib.tensor([1.0, 2.0], requires_grad=True).__setitem__(0, 5.0))


def test_inplace_on_non_leaf_rebases_history():
    def body(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y += x * x
        y.mul_(3)
        names = graph_names(y)
        y.sum().backward()
        return names, x.grad.tolist(), y._version

    same_text(body)


def test_setitem_on_non_leaf_flows_gradients():
    def body(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = lib.tensor(5.0, requires_grad=True)
        y = x * 1
        y[1] = v * 2
        (y * lib.tensor([1.0, 10.0, 100.0])).sum().backward()
        return y.tolist(), x.grad.tolist(), v.grad.item()

    same_text(body)


def test_version_counter_shared_with_views_and_detach():
    def body(lib):
        x = lib.zeros(3)
        v = x[1:]
        d = x.detach()
        v.add_(1)
        d.mul_(2)
        return x.tolist(), x._version, v._version, d._version

    same_text(body)


def test_no_grad_update_of_leaf_is_allowed():
    def body(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.no_grad():
            w -= 0.5
            w[0] = 7.0
        return w.tolist(), w.requires_grad, w.is_leaf

    same_text(body)


# -- grad modes -----------------------------------------------------------------


def test_grad_modes_as_contexts_and_decorators():
    def body(lib):
        x = lib.tensor(1.0, requires_grad=True)
        out = []
        with lib.no_grad():
            out.append((x * 2).requires_grad)
            with lib.enable_grad():
                out.append((x * 2).requires_grad)
        with lib.set_grad_enabled(False):
            out.append(lib.is_grad_enabled())
        out.append(lib.is_grad_enabled())
        with lib.inference_mode():
            out.append((x * 2).requires_grad)

        @lib.no_grad()
        def f():
            return (x * 2).requires_grad

        @lib.no_grad
        def g():
            return (x * 2).requires_grad

        @lib.enable_grad()
        def h():
            return (x * 2).requires_grad

        out += [f(), g(), lib.is_grad_enabled()]
        with lib.no_grad():
            out.append(h())
        lib.set_grad_enabled(False)
        out.append(lib.is_grad_enabled())
        lib.set_grad_enabled(True)
        return out

    same_text(body)


def test_grad_mode_is_thread_local():
    seen = []

    def worker():
        seen.append(torchless.is_grad_enabled())

    with torchless.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == [True]


# -- leaf flags, detach, hooks ----------------------------------------------------


def test_requires_grad_rules():
    same_error(lambda lib: (lib.tensor(1.0, requires_grad=True) * 2).requires_grad_(False))
    same_error(lambda lib: lib.tensor([1, 2]).requires_grad_())
    same_error(lambda lib: lib.tensor([1.0], requires_grad=True).numpy())

    def body(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        y = x * 2
        return d.requires_grad, d.is_leaf, y.is_leaf, x.is_leaf, d.grad_fn is None

    same_text(body)


def test_non_leaf_grad_warns_and_retain_grad_keeps_it():
    def body(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        z = y * y
        z.sum().backward()
        return y.retains_grad, y.grad.tolist(), x.grad.tolist()

    same_text(body)
    y = torchless.tensor([1.0], requires_grad=True) * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor"):
        assert y.grad is None


def test_tensor_hooks_can_replace_gradients():
    def body(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(g.tolist()))
        y = x * 2
        y.register_hook(lambda g: g * 10)
        y.sum().backward()
        return seen, x.grad.tolist()

    same_text(body)


# -- conversions and errors -------------------------------------------------------


def test_scalar_conversions_and_errors():
    same_error(lambda lib: lib.tensor([1.0, 2.0]).item())
    same_error(lambda lib: bool(lib.tensor([1.0, 2.0])))
    same_error(lambda lib: lib.tensor([1.0, 2.0]) @ lib.tensor([1.0, 2.0, 3.0]))
    same_error(lambda lib: lib.ones(4, 1) @ lib.ones(2, 3))

    def body(lib):
        t = lib.tensor([1.5])
        s = lib.tensor(2.0)
        return t.item(), float(t), int(t), bool(t), f"{s:.3f}", f"{s}", t.tolist()

    same_text(body)


def test_node_hooks_and_prehooks():
    def body(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        seen = []

        def post(grad_inputs, grad_outputs):
            seen.append(("post", [str(g) for g in grad_inputs], [str(g) for g in grad_outputs]))
            return (grad_inputs[0] * 2,) + tuple(grad_inputs[1:])

        def pre(grad_outputs):
            seen.append(("pre", [str(g) for g in grad_outputs]))
            return (grad_outputs[0] + 1,)

        y.grad_fn.register_hook(post)
        h = y.grad_fn.register_prehook(pre)
        y.sum().backward(retain_graph=True)
        h.remove()
        y.sum().backward()
        return seen, str(x.grad)

    same_text(body)


def test_post_accumulate_grad_hook_and_backward_inputs():
    def body(lib):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0], requires_grad=True)
        seen = []
        a.register_post_accumulate_grad_hook(lambda t: seen.append(str(t.grad)))
        (a * b).sum().backward(inputs=[a])
        return seen, str(a.grad), b.grad is None

    same_text(body)


def test_grad_never_aliases_a_gradient_someone_else_holds():
    """.grad may take the engine's fresh arrays, never shared or user-held ones."""
    a = torchless.tensor([1.0, 2.0], requires_grad=True)
    b = torchless.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()  # AddBackward0 hands one gradient to both edges
    a.grad.zero_()
    assert b.grad.tolist() == [1.0, 1.0]
    g = torchless.tensor([5.0, 6.0])
    y = torchless.tensor([1.0, 2.0], requires_grad=True)
    y.clone().backward(g)  # CloneBackward0 passes the caller's gradient through
    y.grad.add_(1)
    assert g.tolist() == [5.0, 6.0]
    w = torchless.tensor([[1.0, 2.0]], requires_grad=True)
    (w @ torchless.ones(2, 3)).sum().backward()  # a fresh array: taken without a copy
    first = w.grad
    (w @ torchless.ones(2, 3)).sum().backward()
    assert w.grad is first and w.grad.tolist() == [[6.0, 6.0]]
