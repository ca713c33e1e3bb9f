"""The oracle harness: run one test body against torch and torchless and compare.

A test body is a function of a library module, written once::

    def body(lib):
        x = to_lib(lib, np.arange(6.0).reshape(2, 3), requires_grad=True)
        return x.t() * 2.5

    oracle(body)

``oracle`` calls ``body(torch)`` and ``body(torchless)``, records an exception from
either as (type name, message), and compares the two results recursively: tensors by
shape, dtype, values, ``requires_grad`` and ``grad_fn`` name; containers elementwise;
dtypes, devices, sizes, numbers and strings by equality. Then, with ``grads=True``, it
backpropagates ``sum(out * w)`` (``w`` a fixed random tensor per floating output) and
compares the ``.grad`` of every leaf made by ``to_lib(..., requires_grad=True)``.

``gradcheck`` and ``gradgradcheck`` need no torch: they compare torchless's analytical
derivatives with central finite differences in float64.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import torchless

__all__ = [
    "oracle",
    "to_lib",
    "is_torch",
    "next_fns",
    "gradcheck",
    "gradgradcheck",
    "OracleMismatch",
    "rand_array",
    "make",
]

# leaves made by to_lib(requires_grad=True) during the current oracle run, per library
_LEAVES: list = []

# dtypes whose values are compared with at least these tolerances
_LOOSE = {"torch.float16": (1e-3, 1e-3)}


class OracleMismatch(AssertionError):
    """torch and torchless disagree."""


def _torch():
    return pytest.importorskip("torch")


def is_torch(lib) -> bool:
    """True when ``lib`` is torch (for the rare body that must branch)."""
    return lib.__name__ == "torch"


def to_lib(lib, array, requires_grad: bool = False, dtype=None):
    """A tensor of ``lib`` holding a copy of a NumPy array (or anything np.asarray takes),
    with the array's dtype; a leaf requiring grad when asked (its gradient is then compared
    by ``oracle``)."""
    a = np.array(array, copy=True)
    if dtype is not None:
        a = a.astype(dtype)
    t = lib.tensor(a)
    if requires_grad:
        t.requires_grad_(True)
        _LEAVES.append(t)
    return t


def next_fns(t):
    """``t.grad_fn.next_functions`` as [(name or None, output_nr)], comparable across
    libraries."""
    fn = t.grad_fn
    if fn is None:
        return None
    return [(None if f is None else f.name(), nr) for f, nr in fn.next_functions]


# --------------------------------------------------------------------------- running


class _Raised:
    __slots__ = ("type", "msg", "exc")

    def __init__(self, e: BaseException):
        self.type = type(e).__name__
        self.msg = str(e)
        self.exc = e

    def __repr__(self):
        return f"<raised {self.type}: {self.msg!r}>"


def _run(fn, lib):
    del _LEAVES[:]
    try:
        out = fn(lib)
    except Exception as e:  # noqa: BLE001 - every exception is a result to compare
        out = _Raised(e)
    return out, list(_LEAVES)


def oracle(
    fn,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-7,
    exact: bool = False,
    grads: bool = True,
    match: str | None = None,
):
    """Run ``fn(torch)`` and ``fn(torchless)`` and assert the results agree.

    Args:
        fn: the test body, called with the library module.
        rtol, atol: tolerances for floating values (float16 is compared at 1e-3 at least).
        exact: compare floating values exactly.
        grads: also compare the gradients of the leaves made by ``to_lib(requires_grad=True)``
            after backpropagating ``sum(out * w)`` from every floating output requiring grad.
        match: when both raise, a regex both messages must match instead of being equal.

    Returns:
        The torchless result, or the exception it raised.
    """
    torch = _torch()
    t_out, t_leaves = _run(fn, torch)
    l_out, l_leaves = _run(fn, torchless)
    cmp = _Comparer(torch, rtol, atol, exact, match)
    cmp.compare(t_out, l_out, "result")
    if grads and not isinstance(t_out, _Raised):
        t_g = _backprop(torch, t_out, t_leaves)
        l_g = _backprop(torchless, l_out, l_leaves)
        cmp.compare(t_g, l_g, "grads")
    return l_out.exc if isinstance(l_out, _Raised) else l_out


def _flat_tensors(x, lib, out):
    if isinstance(x, (list, tuple)):
        for e in x:
            _flat_tensors(e, lib, out)
    elif isinstance(x, dict):
        for e in x.values():
            _flat_tensors(e, lib, out)
    elif isinstance(x, lib.Tensor):
        out.append(x)
    return out


def _backprop(lib, out, leaves):
    """Backpropagate sum(o * w) over the floating outputs requiring grad; the leaves'
    gradients (or the exception backward raised)."""
    outs = [
        o for o in _flat_tensors(out, lib, []) if o.requires_grad and o.dtype.is_floating_point
    ]
    if not outs or not leaves:
        return None
    rng = np.random.default_rng(1234)
    try:
        loss = None
        for o in outs:
            npdt = np.dtype(repr(o.dtype).replace("torch.", ""))
            w = lib.tensor(rng.standard_normal(tuple(o.shape)).astype(npdt))
            term = (o * w).sum()
            loss = term if loss is None else loss + term
        loss.backward()
    except Exception as e:  # noqa: BLE001
        return _Raised(e)
    return [leaf.grad for leaf in leaves]


# --------------------------------------------------------------------------- comparing


class _Comparer:
    def __init__(self, torch, rtol, atol, exact, match):
        self.torch = torch
        self.rtol, self.atol, self.exact, self.match = rtol, atol, exact, match

    def fail(self, path, what, t, l):
        raise OracleMismatch(f"{path}: {what}\n  torch:     {t!r}\n  torchless: {l!r}")

    def compare(self, t, l, path):
        torch = self.torch
        if isinstance(t, _Raised) or isinstance(l, _Raised):
            if not (isinstance(t, _Raised) and isinstance(l, _Raised)):
                self.fail(path, "only one library raised", t, l)
            if t.type != l.type:
                self.fail(path, "exception types differ", t, l)
            if self.match is not None:
                for r in (t, l):
                    if not re.search(self.match, r.msg):
                        self.fail(path, f"message does not match {self.match!r}", t, l)
            elif t.msg != l.msg:
                self.fail(path, "exception messages differ", t, l)
            return
        if isinstance(t, torch.Tensor):
            if not isinstance(l, torchless.Tensor):
                self.fail(path, "torchless did not return a Tensor", t, l)
            self.compare_tensors(t, l, path)
            return
        if isinstance(l, torchless.Tensor):
            self.fail(path, "torchless returned a Tensor, torch did not", t, l)
        if isinstance(t, torch.dtype) or isinstance(t, torch.device):
            if repr(t) != repr(l):
                self.fail(path, "values differ", t, l)
            return
        if type(t).__name__ != type(l).__name__:
            self.fail(path, "types differ", type(t).__name__, type(l).__name__)
        if isinstance(t, (list, tuple)):
            if len(t) != len(l):
                self.fail(path, "lengths differ", t, l)
            for i, (a, b) in enumerate(zip(t, l)):
                self.compare(a, b, f"{path}[{i}]")
            return
        if isinstance(t, dict):
            if list(t) != list(l):
                self.fail(path, "keys differ", list(t), list(l))
            for k in t:
                self.compare(t[k], l[k], f"{path}[{k!r}]")
            return
        if isinstance(t, float):
            if not _close_scalar(t, l, self.rtol, self.atol, self.exact):
                self.fail(path, "values differ", t, l)
            return
        if hasattr(t, "name") and hasattr(t, "next_functions"):  # graph nodes
            if t.name() != l.name():
                self.fail(path, "grad_fn names differ", t.name(), l.name())
            return
        if t != l:
            self.fail(path, "values differ", t, l)

    def compare_tensors(self, t, l, path):
        if tuple(t.shape) != tuple(l.shape):
            self.fail(path, "shapes differ", tuple(t.shape), tuple(l.shape))
        if repr(t.dtype) != repr(l.dtype):
            self.fail(path, "dtypes differ", t.dtype, l.dtype)
        if t.requires_grad != l.requires_grad:
            self.fail(path, "requires_grad differs", t.requires_grad, l.requires_grad)
        tn = None if t.grad_fn is None else t.grad_fn.name()
        ln = None if l.grad_fn is None else l.grad_fn.name()
        if tn != ln:
            self.fail(path, "grad_fn names differ", tn, ln)
        a = t.detach().cpu().numpy()
        b = l.detach().numpy()
        if a.dtype.kind in "biu" or self.exact:
            ok = np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        else:
            rtol, atol = self.rtol, self.atol
            loose = _LOOSE.get(repr(t.dtype))
            if loose is not None:
                rtol, atol = max(rtol, loose[0]), max(atol, loose[1])
            a64, b64 = a.astype(np.float64), b.astype(np.float64)
            ok = np.array_equal(np.isnan(a64), np.isnan(b64)) and np.allclose(
                a64, b64, rtol=rtol, atol=atol, equal_nan=True
            )
        if not ok:
            self.fail(path, "values differ", a, b)


def _close_scalar(a, b, rtol, atol, exact):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if exact or math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(a)


# --------------------------------------------------------------------------- gradcheck


def _outputs(out):
    outs = out if isinstance(out, (list, tuple)) else (out,)
    return [o for o in outs if isinstance(o, torchless.Tensor) and o.dtype.is_floating_point]


def _as_numpy(t):
    return np.array(t.detach().numpy(), dtype=np.float64)


def _perturbed(inputs, i, flat_index, delta):
    """A copy of ``inputs`` with element ``flat_index`` of input ``i`` moved by ``delta``."""
    x = inputs[i]
    a = _as_numpy(x).copy()
    a.reshape(-1)[flat_index] += delta
    new = list(inputs)
    new[i] = torchless.tensor(a, dtype=x.dtype, requires_grad=x.requires_grad)
    return new


def _jacobians(fn, inputs, diff, eps):
    """Analytical and numerical Jacobians: {(output k, input i): (analytical, numerical)},
    each of shape (output numel, input numel)."""
    outs = _outputs(fn(*inputs))
    diff_inputs = [inputs[i] for i in diff]
    ana = {}
    for k, o in enumerate(outs):
        n = o.numel()
        for i in diff:
            ana[k, i] = np.zeros((n, inputs[i].numel()))
        if not o.requires_grad:
            continue  # does not depend on any input: zero rows
        for r in range(n):
            v = np.zeros(n)
            v[r] = 1.0
            gv = torchless.tensor(v.reshape(tuple(o.shape)), dtype=o.dtype)
            gs = torchless.autograd.grad(
                [o], diff_inputs, grad_outputs=[gv], retain_graph=True, allow_unused=True
            )
            for i, g in zip(diff, gs):
                if g is not None:
                    if tuple(g.shape) != tuple(inputs[i].shape):
                        raise AssertionError(
                            f"gradient for input {i} has shape {tuple(g.shape)}, expected "
                            f"{tuple(inputs[i].shape)}"
                        )
                    ana[k, i][r] = _as_numpy(g).reshape(-1)
    num = {key: np.zeros_like(a) for key, a in ana.items()}
    for i in diff:
        for j in range(inputs[i].numel()):
            plus = _outputs(fn(*_perturbed(inputs, i, j, eps)))
            minus = _outputs(fn(*_perturbed(inputs, i, j, -eps)))
            for k in range(len(outs)):
                d = (_as_numpy(plus[k]) - _as_numpy(minus[k])).reshape(-1) / (2 * eps)
                num[k, i][:, j] = d
    return {key: (ana[key], num[key]) for key in ana}


def gradcheck(fn, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Check torchless's gradients of ``fn`` against central finite differences.

    ``inputs`` are torchless tensors (float64 ones requiring grad are differentiated; others
    are constants) or other arguments; ``fn(*inputs)`` returns a tensor or a tuple (its
    non-floating tensors are ignored). Raises AssertionError on a mismatch; returns True.
    """
    inputs = list(inputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, torchless.Tensor) and x.requires_grad]
    for i in diff:
        if inputs[i].dtype is not torchless.float64:
            raise ValueError(f"gradcheck input {i} must be float64, got {inputs[i].dtype}")
    for (k, i), (a, n) in _jacobians(fn, inputs, diff, eps).items():
        if not np.allclose(a, n, rtol=rtol, atol=atol):
            raise AssertionError(
                f"Jacobian mismatch for output {k} with respect to input {i}\n"
                f"analytical:\n{a}\nnumerical:\n{n}"
            )
    return True


def gradgradcheck(
    fn, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0
) -> bool:
    """Check second derivatives: ``gradcheck`` of the function that maps (inputs, v) to the
    gradient of ``fn`` at inputs against grad_outputs ``v`` (built with create_graph)."""
    inputs = list(inputs)
    n_in = len(inputs)
    outs = _outputs(fn(*inputs))
    rng = np.random.default_rng(seed)
    vs = [
        torchless.tensor(
            rng.standard_normal(tuple(o.shape)), dtype=torchless.float64, requires_grad=True
        )
        for o in outs
        if o.requires_grad
    ]

    def first_grad(*args):
        xs, v = list(args[:n_in]), list(args[n_in:])
        diff_xs = [x for x in xs if isinstance(x, torchless.Tensor) and x.requires_grad]
        outs = [o for o in _outputs(fn(*xs)) if o.requires_grad]
        gs = torchless.autograd.grad(outs, diff_xs, v, create_graph=True, allow_unused=True)
        return tuple(torchless.zeros_like(x) if g is None else g for g, x in zip(gs, diff_xs))

    return gradcheck(first_grad, inputs + vs, eps=eps, atol=atol, rtol=rtol)


# --------------------------------------------------------------------------- inputs

_NP = {
    "bool": np.bool_,
    "uint8": np.uint8,
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "float16": np.float16,
    "float32": np.float32,
    "float64": np.float64,
}


def rand_array(shape, dtype="float32", seed=0, low=-3.0, high=3.0):
    """Deterministic test values: uniform in [low, high) for floats, integers in
    [low, high) for integer dtypes (clipped to the dtype), random for bool."""
    rng = np.random.default_rng(seed)
    shape = tuple(shape)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in ("float16", "float32", "float64"):
        return (rng.random(shape) * (high - low) + low).astype(_NP[dtype])
    info = np.iinfo(_NP[dtype])
    lo, hi = max(int(low), int(info.min)), min(int(high), int(info.max) + 1)
    return rng.integers(lo, max(hi, lo + 1), size=shape).astype(_NP[dtype])


def make(lib, array, layout: str = "contig", requires_grad: bool = False):
    """A tensor with ``array``'s values in a given memory layout: ``contig``;
    ``T`` (dims reversed over a contiguous leaf: non-contiguous for 2+ dims); ``step``
    (every other element of dim 0 of a leaf twice as long). The leaf is the one that
    requires grad, so gradients flow back through the layout change."""
    a = np.asarray(array)
    if layout == "contig" or a.ndim == 0:
        return to_lib(lib, a, requires_grad)
    if layout == "T":
        leaf = to_lib(lib, a.transpose(), requires_grad)
        return leaf.permute(*range(a.ndim - 1, -1, -1))
    if layout == "step":
        big = np.repeat(a, 2, axis=0)
        big[1::2] = a[::-1] if a.shape[0] else a  # junk in between
        leaf = to_lib(lib, big, requires_grad)
        return leaf[::2]
    raise ValueError(layout)
