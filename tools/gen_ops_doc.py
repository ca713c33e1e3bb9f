"""Generate ``docs/ops.md``: every torchless op, where it is exposed, and what it supports.

    python tools/gen_ops_doc.py           # (re)write docs/ops.md
    python tools/gen_ops_doc.py --check   # exit 1 when docs/ops.md is stale

The op list is read from the code (each family's ``__all__``), and every fact in the table is
probed by calling the op: ``PROBES`` holds one small sample call per op. An op without a probe
makes the generator (and ``tests/test_ops_doc.py``) fail, so the table cannot drift.

What is probed, per op:

* **dtypes**: the sample call is run with its inputs in float16, float32, float64, int64 and bool
  (index, mask and shape arguments keep their own dtype); the dtypes that run without error
  are listed.
* **backward**: the float64 call, inputs requiring grad. The output's ``grad_fn`` is named, and
  the gradient of ``s = sum(w * y * y)`` (``w`` fixed random weights, ``y`` every floating
  output) is compared, along one random direction, with a central finite difference of ``s``.
* **double backward**: ``autograd.grad(s, inputs, create_graph=True)`` must give gradients that
  require grad, a second ``autograd.grad`` through them must succeed, and the Hessian-vector
  product it gives must match a central finite difference of the gradient.

Everything is seeded, and error messages are stripped of addresses, so the output is the same
on every run. Writing the document never imports torch;

    python tools/gen_ops_doc.py --vs-torch

(torch installed) runs the same probes on torch and prints where torchless differs: accepted
dtypes, ``grad_fn`` names, double backward, error messages.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import inspect
import os
import re
import sys
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "ops.md")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import torchless  # noqa: E402
import torchless.linalg  # noqa: E402
import torchless.nn.functional  # noqa: E402

# (family title, module): the order of the tables in the document
FAMILIES = [
    ("pointwise", "torchless._ops.pointwise"),
    ("reduction", "torchless._ops.reduction"),
    ("shape", "torchless._ops.shape"),
    ("indexing", "torchless._ops.indexing"),
    ("linalg", "torchless._ops.linalg"),
    ("torch.linalg", "torchless.linalg"),
    ("sort", "torchless._ops.sort"),
    ("distance", "torchless._ops.distance"),
    ("attention", "torchless._ops.attention"),
    ("random", "torchless._ops.random"),
    ("creation", "torchless._ops.creation"),
    ("activation", "torchless._ops.activation"),
    ("loss", "torchless._ops.loss"),
    ("conv", "torchless._ops.conv"),
    ("pooling", "torchless._ops.pooling"),
    ("norm", "torchless._ops.norm"),
    ("dropout", "torchless._ops.dropout"),
    ("embedding", "torchless._ops.embedding"),
    ("padding", "torchless._ops.padding"),
    ("pixel_shuffle", "torchless._ops.pixel_shuffle"),
    ("interpolate", "torchless._ops.interpolate"),
    ("nn", "torchless._ops.nn"),
    ("rnn", "torchless._ops.rnn"),
    ("mha", "torchless._ops.mha"),
]

# (short name in the table, dtype name)
DTYPES = [
    ("f16", "float16"),
    ("f32", "float32"),
    ("f64", "float64"),
    ("i64", "int64"),
    ("bool", "bool"),
]

EPS = 1e-6  # finite-difference step (float64)


# ---------------------------------------------------------------------------------------------
# The op list


def family_ops(module) -> list[str]:
    """The ops of a family: its ``__all__`` (classes left out), then the module's own public
    functions that are exposed under their name without being in ``__all__`` (Tensor-only
    methods such as ``Tensor.repeat``, or ``F.scaled_dot_product_attention``)."""
    names = [n for n in module.__all__ if not isinstance(getattr(module, n), type)]
    spaces = (vars(torchless), vars(torchless.nn.functional), vars(torchless.Tensor))
    for n, v in vars(module).items():
        if n.startswith("_") or n in names or not inspect.isfunction(v):
            continue
        if v.__module__ == module.__name__ and any(s.get(n) is v for s in spaces):
            names.append(n)
    return names


def all_ops() -> list[tuple[str, str]]:
    """Every (family, op) pair, in document order."""
    return [(fam, n) for fam, mod in FAMILIES for n in family_ops(importlib.import_module(mod))]


def exposure(name: str) -> tuple[list[str], list[str]]:
    """Where a function of this name is reachable, and its in-place variants."""
    T, F, L = torchless.Tensor, torchless.nn.functional, torchless.linalg
    public = {"torch": set(torchless.__all__), "F": set(F.__all__), "linalg": set(L.__all__)}

    def has(label, n):
        return hasattr(T, n) if label == "Tensor" else n in public[label]

    where = [label for label in ("torch", "Tensor", "F", "linalg") if has(label, name)]
    inplace = []
    if not name.endswith("_"):
        inplace = [f"{lb}.{name}_" for lb in ("torch", "Tensor", "F") if has(lb, name + "_")]
    return where, inplace


# ---------------------------------------------------------------------------------------------
# Sample inputs


class Inputs:
    """Builds the sample inputs of one probe call, in one dtype.

    Every value comes from a generator seeded the same way for each call, so the k-th input
    is the same array in every dtype and every run. Floating inputs made by ``x``, ``p``,
    ``u``, ``nl``, ``sq`` and ``spd`` are the differentiated ones (``grad=False`` makes a
    constant of the probed dtype); ``i``, ``L`` and ``b`` make index and mask tensors whose
    dtype is fixed. With ``shift`` set, the k-th differentiated input is moved by
    ``shift[k]`` (the finite differences).
    """

    def __init__(self, lib, dtype_name: str, grad: bool = False, shift=None):
        self.lib = lib
        self._dt = getattr(lib, dtype_name)
        self.dtype_name = dtype_name
        self.grad = grad
        self.shift = shift
        self.rng = np.random.default_rng(0)
        self.leaves: list = []
        self.used_dtype = False

    # -- the probed dtype
    @property
    def dt(self):
        """The probed dtype (for ``dtype=`` arguments)."""
        self.used_dtype = True
        return self._dt

    def _cast(self, arr: np.ndarray, kind: str, grad: bool):
        """``arr`` in the probed dtype: rounded in int64, ``> 0`` in bool (all True for
        ``kind="p"``, positive values)."""
        self.used_dtype = True
        name = self.dtype_name
        if name == "bool":
            arr = arr > 0 if kind == "x" else np.ones(arr.shape, bool)
        elif name == "int64":
            arr = np.rint(arr).astype(np.int64)
        if grad and self.grad:
            if self.shift is not None:
                arr = arr + self.shift[len(self.leaves)]
            t = self.lib.tensor(arr, dtype=self._dt, requires_grad=True)
            self.leaves.append(t)
            return t
        return self.lib.tensor(arr, dtype=self._dt)

    def x(self, *shape, grad=True):
        """Standard normal values (integers -3..3 in int64, True where positive in bool)."""
        arr = self.rng.standard_normal(shape)
        if self.dtype_name == "int64":
            arr = self.rng.integers(-3, 4, shape).astype(np.float64)
        return self._cast(arr, "x", grad)

    def p(self, *shape, lo=0.5, hi=2.0, grad=True):
        """Values in ``[lo, hi)`` (integers in that range, at least ``ceil(lo)``, in int64)."""
        arr = self.rng.uniform(lo, hi, shape)
        if self.dtype_name == "int64":
            ilo = int(np.ceil(lo))
            arr = self.rng.integers(ilo, max(ilo + 1, int(np.floor(hi)) + 1), shape).astype(float)
        return self._cast(arr, "p", grad)

    def u(self, *shape, grad=True):
        """Values in ``(-0.8, 0.8)``."""
        return self.p(*shape, lo=-0.8, hi=0.8, grad=grad)

    def c(self, *shape):
        """A constant (no grad) of the probed dtype."""
        return self.x(*shape, grad=False)

    def pm(self, *shape):
        """A constant of ``+1`` / ``-1`` in the probed dtype."""
        return self._cast(np.where(self.rng.random(shape) < 0.5, -1.0, 1.0), "x", False)

    def bit(self, *shape):
        """A constant of ``0`` / ``1`` in the probed dtype."""
        return self._cast((self.rng.random(shape) < 0.5).astype(float), "x", False)

    def t(self, data):
        """A constant of the probed dtype from Python data."""
        return self._cast(np.asarray(data, dtype=np.float64), "x", False)

    def array(self, *shape):
        """A NumPy array of the probed dtype."""
        self.used_dtype = True
        return self.rng.standard_normal(shape).astype(self.dtype_name)

    def nl(self, *shape):
        """Like ``x``, but not a leaf when differentiated (for in-place ops)."""
        t = self.x(*shape)
        return t.clone() if self.grad else t

    def sq(self, n):
        """A well-conditioned square matrix: ``x + n * I``."""
        if not self.grad:
            return self._cast(self.rng.standard_normal((n, n)) + n * np.eye(n), "x", False)
        return self.x(n, n) + n * self.lib.eye(n, dtype=self.dt)

    def spd(self, n):
        """A symmetric positive definite matrix ``x x^T + n * I``."""
        if not self.grad:
            a = self.rng.standard_normal((n, n))
            return self._cast(a @ a.T + n * np.eye(n), "x", False)
        a = self.x(n, n)
        return a @ a.mT + n * self.lib.eye(n, dtype=self.dt)

    # -- fixed dtypes
    def i(self, *shape, n):
        """int64 indices in ``[0, n)``."""
        return self.lib.tensor(self.rng.integers(0, n, shape), dtype=self.lib.int64)

    def L(self, data):
        """An int64 tensor from Python data."""
        return self.lib.tensor(data, dtype=self.lib.int64)

    def b(self, *shape):
        """A bool mask."""
        return self.lib.tensor(self.rng.random(shape) < 0.5)


@dataclass
class Probe:
    call: object
    nondiff: bool = False  # floating output without a grad_fn is by design


def ND(call):
    """A probe whose floating output is not differentiable by design (as in torch)."""
    return Probe(call, nondiff=True)


# One sample call per op: ``lambda f, a: ...`` calls the op ``f`` on inputs from ``a``
# (an :class:`Inputs`). Ops that take no tensor use ``a.dt`` as their ``dtype=``.
_x34 = lambda f, a: f(a.x(3, 4))  # noqa: E731
_xx = lambda f, a: f(a.x(3, 4), a.x(4))  # noqa: E731
_xp = lambda f, a: f(a.x(3, 4), a.p(4))  # noqa: E731
_pos = lambda f, a: f(a.p(3, 4))  # noqa: E731
_unit = lambda f, a: f(a.u(3, 4))  # noqa: E731
_dim1 = lambda f, a: f(a.x(3, 4), 1)  # noqa: E731
_same = lambda f, a: f(a.x(3, 4), a.x(3, 4))  # noqa: E731
_inpl = lambda f, a: f(a.nl(3, 4))  # noqa: E731
_stack = lambda f, a: f([a.x(2, 3), a.x(2, 3)])  # noqa: E731
_size = lambda f, a: f(2, 3, dtype=a.dt)  # noqa: E731
_like = ND(lambda f, a: f(a.x(2, 3)))
_data = lambda f, a: f([[1.5, -2.0], [0.0, 3.0]], dtype=a.dt)  # noqa: E731
_sq = lambda f, a: f(a.sq(3))  # noqa: E731
_spd = lambda f, a: f(a.spd(3))  # noqa: E731
_tall = lambda f, a: f(a.x(3, 2))  # noqa: E731
_mm = lambda f, a: f(a.x(2, 3), a.x(3, 4))  # noqa: E731
_cross = lambda f, a: f(a.x(2, 3), a.x(2, 3), dim=1)  # noqa: E731
_scat = lambda f, a: f(a.x(3, 4), 1, a.L([[0, 2], [1, 3], [3, 0]]), a.x(3, 2))  # noqa: E731
_idx2 = lambda f, a: f(a.x(3, 4), 1, a.L([0, 2]), a.x(3, 2))  # noqa: E731
_bss = [[-1.0, 0.0, 0.5, 2.0]]
_seq = lambda f, a: f(a.x(3, 2, 4), 0.5)  # noqa: E731
_p1 = lambda f, a: f(a.x(1, 2, 6), 2)  # noqa: E731
_p2 = lambda f, a: f(a.x(1, 2, 4, 4), 2)  # noqa: E731
_rinp = lambda f, a: f(a.c(3, 4))  # noqa: E731
_interp2 = lambda f, a: f(a.x(1, 2, 3, 3), scale_factor=2)  # noqa: E731


def _rnn(gates):
    """``torch.lstm``-style call: input (3, 2, 4), hidden size 3, one layer."""

    def call(f, a):
        hx = a.x(1, 2, 3)
        if gates == 4:
            hx = (hx, a.x(1, 2, 3))
        g = 3 * gates
        params = [a.x(g, 4), a.x(g, 3), a.x(g), a.x(g)]
        return f(a.x(3, 2, 4), hx, params, True, 1, 0.0, True, False, False)

    return call


def _cell(gates):
    def call(f, a):
        hx = a.x(2, 3)
        if gates == 4:
            hx = (hx, a.x(2, 3))
        g = 3 * gates
        return f(a.x(2, 4), hx, a.x(g, 4), a.x(g, 3), a.x(g), a.x(g))

    return call


def _mha(f, a):
    q, k, v = a.x(2, 1, 4), a.x(3, 1, 4), a.x(3, 1, 4)
    w, bias, ow, ob = a.x(12, 4), a.x(12), a.x(4, 4), a.x(4)
    return f(q, k, v, 4, 2, w, bias, None, None, False, 0.0, ow, ob)


PROBES: dict[str, dict[str, object]] = {
    "pointwise": {
        **dict.fromkeys(["add", "sub", "rsub", "mul", "multiply", "subtract"], _xx),
        **dict.fromkeys(["div", "true_divide", "divide", "floor_divide", "remainder"], _xp),
        "fmod": _xp,
        "pow": lambda f, a: f(a.p(3, 4), a.x(4)),
        **dict.fromkeys(["neg", "negative", "abs", "absolute", "exp", "square", "sin"], _x34),
        **dict.fromkeys(["cos", "tanh", "sigmoid", "relu", "sign", "exp2", "expm1"], _x34),
        **dict.fromkeys(["atan", "arctan", "sinh", "cosh", "asinh", "arcsinh"], _x34),
        **dict.fromkeys(["deg2rad", "rad2deg", "erfc", "floor", "ceil", "round"], _x34),
        **dict.fromkeys(["trunc", "fix", "frac", "sgn", "positive", "nan_to_num"], _x34),
        **dict.fromkeys(["signbit", "isposinf", "isneginf", "isreal", "isnan", "isinf"], _x34),
        **dict.fromkeys(["isfinite", "logical_not", "bitwise_not"], _x34),
        **dict.fromkeys(["reciprocal", "log", "sqrt", "rsqrt", "log2", "log10", "log1p"], _pos),
        **dict.fromkeys(["tan", "asin", "acos", "arcsin", "arccos", "atanh", "arctanh"], _unit),
        "erfinv": _unit,
        **dict.fromkeys(["acosh", "arccosh"], lambda f, a: f(a.p(3, 4, lo=1.2, hi=3.0))),
        "logit": lambda f, a: f(a.p(3, 4, lo=0.1, hi=0.9)),
        **dict.fromkeys(["atan2", "arctan2", "hypot", "logaddexp", "logaddexp2"], _xx),
        **dict.fromkeys(["fmax", "fmin", "copysign", "maximum", "minimum", "heaviside"], _xx),
        "xlogy": _xp,
        "float_power": lambda f, a: f(a.p(3, 4), a.x(4)),
        **dict.fromkeys(["clamp", "clip"], lambda f, a: f(a.x(3, 4), -0.5, 0.5)),
        "clamp_min": lambda f, a: f(a.x(3, 4), -0.5),
        "clamp_max": lambda f, a: f(a.x(3, 4), 0.5),
        "where": lambda f, a: f(a.b(3, 4), a.x(3, 4), a.x(4)),
        **dict.fromkeys(["eq", "ne", "lt", "le", "gt", "ge"], _xx),
        **dict.fromkeys(["logical_and", "logical_or", "logical_xor"], _xx),
        **dict.fromkeys(["bitwise_and", "bitwise_or", "bitwise_xor"], _xx),
        **dict.fromkeys(["bitwise_left_shift", "bitwise_right_shift"], _xp),
        "lerp": lambda f, a: f(a.x(3, 4), a.x(4), a.p(4, lo=0.1, hi=0.9)),
        "addcmul": lambda f, a: f(a.x(3, 4), a.x(4), a.x(3, 1), value=0.5),
        "addcdiv": lambda f, a: f(a.x(3, 4), a.x(4), a.p(3, 1), value=0.5),
        **dict.fromkeys(["isclose", "allclose", "equal"], _same),
    },
    "reduction": {
        **dict.fromkeys(["sum", "mean", "nansum", "nanmean", "prod", "max", "min"], _dim1),
        **dict.fromkeys(["amax", "amin", "argmax", "argmin", "var", "std"], _dim1),
        **dict.fromkeys(["var_mean", "std_mean", "logsumexp", "cumsum", "cumprod"], _dim1),
        **dict.fromkeys(["cummax", "cummin", "all", "any", "count_nonzero"], _dim1),
        "norm": _x34,
        "aminmax": lambda f, a: f(a.x(3, 4), dim=1),
        "diff": _x34,
    },
    "shape": {
        **dict.fromkeys(["view", "reshape"], lambda f, a: f(a.x(3, 4), (4, 3))),
        "flatten": lambda f, a: f(a.x(2, 3, 4), 1),
        "permute": lambda f, a: f(a.x(2, 3, 4), (2, 0, 1)),
        "transpose": lambda f, a: f(a.x(2, 3, 4), 0, 2),
        **dict.fromkeys(["t", "clone", "contiguous", "fliplr", "flipud", "ravel"], _x34),
        "unsqueeze": _dim1,
        "squeeze": lambda f, a: f(a.x(3, 1, 4), 1),
        **dict.fromkeys(["expand", "broadcast_to"], lambda f, a: f(a.x(3, 1), (3, 4))),
        "expand_as": lambda f, a: f(a.x(3, 1), a.c(3, 4)),
        **dict.fromkeys(["cat", "concat", "stack"], lambda f, a: f([a.x(2, 3), a.x(2, 3)], 1)),
        "unbind": _dim1,
        "narrow": lambda f, a: f(a.x(3, 4), 1, 1, 2),
        "select": lambda f, a: f(a.x(3, 4), 1, 2),
        "unflatten": lambda f, a: f(a.x(3, 4), 1, (2, 2)),
        **dict.fromkeys(["movedim", "moveaxis"], lambda f, a: f(a.x(2, 3, 4), 0, 2)),
        **dict.fromkeys(["swapaxes", "swapdims"], lambda f, a: f(a.x(2, 3, 4), 0, 2)),
        "broadcast_tensors": lambda f, a: f(a.x(3, 1), a.x(4)),
        "broadcast_shapes": lambda f, a: f((3, 1), (4,)),
        **dict.fromkeys(["atleast_1d", "atleast_2d", "atleast_3d"], lambda f, a: f(a.x(3))),
        "repeat_interleave": lambda f, a: f(a.x(2, 3), 2, dim=1),
        **dict.fromkeys(["tile", "repeat"], lambda f, a: f(a.x(2, 3), (2, 1))),
        "flip": lambda f, a: f(a.x(2, 3), (0,)),
        "roll": lambda f, a: f(a.x(2, 3), 1, 1),
        "rot90": lambda f, a: f(a.x(2, 3), 1, (0, 1)),
        **dict.fromkeys(["chunk", "split", "tensor_split"], lambda f, a: f(a.x(4, 3), 2)),
        "hsplit": lambda f, a: f(a.x(2, 4), 2),
        "vsplit": lambda f, a: f(a.x(4, 2), 2),
        "dsplit": lambda f, a: f(a.x(2, 2, 4), 2),
        **dict.fromkeys(["hstack", "vstack", "dstack", "column_stack", "row_stack"], _stack),
        **dict.fromkeys(["tril", "triu", "diagonal", "trace"], lambda f, a: f(a.x(3, 3))),
        **dict.fromkeys(["diag", "diagflat"], lambda f, a: f(a.x(3))),
        "diag_embed": lambda f, a: f(a.x(2, 3)),
        "meshgrid": lambda f, a: f(a.x(3), a.x(2), indexing="ij"),
        "as_strided": lambda f, a: f(a.x(3, 4), (2, 2), (1, 2)),
        "unfold": lambda f, a: f(a.x(5, 3), 0, 2, 1),
        "resize_": lambda f, a: f(a.c(3, 4), (2, 3)),
        "resize_as_": lambda f, a: f(a.c(3, 4), a.c(2, 3)),
    },
    "indexing": {
        **dict.fromkeys(["nonzero", "argwhere"], _x34),
        "index_select": lambda f, a: f(a.x(3, 4), 1, a.L([0, 2])),
        "gather": lambda f, a: f(a.x(3, 4), 1, a.i(3, 2, n=4)),
        **dict.fromkeys(["scatter", "scatter_add"], _scat),
        "scatter_reduce": lambda f, a: f(
            a.x(3, 4), 1, a.L([[0, 2], [1, 3], [3, 0]]), a.x(3, 2), "amax"
        ),
        **dict.fromkeys(["index_add", "index_copy"], _idx2),
        "index_fill": lambda f, a: f(a.x(3, 4), 1, a.L([0, 2]), -1.0),
        "index_put": lambda f, a: f(a.x(3, 4), (a.L([0, 2]),), a.x(4)),
        "index_put_": lambda f, a: f(a.nl(3, 4), (a.L([0, 2]),), a.x(4)),
        "masked_fill": lambda f, a: f(a.x(3, 4), a.b(3, 4), 0.5),
        "masked_select": lambda f, a: f(a.x(3, 4), a.b(3, 4)),
        "masked_scatter": lambda f, a: f(a.x(3, 4), a.b(3, 4), a.x(12)),
        "take": lambda f, a: f(a.x(3, 4), a.L([0, 5, 11])),
        "take_along_dim": lambda f, a: f(a.x(3, 4), a.i(3, 2, n=4), 1),
        "put": lambda f, a: f(a.x(3, 4), a.L([0, 5]), a.x(2)),
    },
    "linalg": {
        **dict.fromkeys(["matmul", "mm"], _mm),
        "mv": lambda f, a: f(a.x(2, 3), a.x(3)),
        **dict.fromkeys(["dot", "vdot"], lambda f, a: f(a.x(3), a.x(3))),
        "bmm": lambda f, a: f(a.x(2, 2, 3), a.x(2, 3, 2)),
        "addmm": lambda f, a: f(a.x(2, 4), a.x(2, 3), a.x(3, 4)),
        "addmv": lambda f, a: f(a.x(2), a.x(2, 3), a.x(3)),
        "addbmm": lambda f, a: f(a.x(2, 2), a.x(3, 2, 3), a.x(3, 3, 2)),
        "baddbmm": lambda f, a: f(a.x(3, 2, 2), a.x(3, 2, 3), a.x(3, 3, 2)),
        **dict.fromkeys(["outer", "ger"], lambda f, a: f(a.x(3), a.x(2))),
        "einsum": lambda f, a: f("ij,jk->ik", a.x(2, 3), a.x(3, 2)),
        "tensordot": lambda f, a: f(a.x(2, 3), a.x(3, 2), 1),
        "inner": lambda f, a: f(a.x(2, 3), a.x(4, 3)),
        "kron": lambda f, a: f(a.x(2, 2), a.x(2, 3)),
        "cross": _cross,
        "matrix_power": lambda f, a: f(a.x(3, 3), 3),
        "chain_matmul": lambda f, a: f(a.x(2, 3), a.x(3, 3), a.x(3, 2)),
        "block_diag": lambda f, a: f(a.x(2, 2), a.x(1, 3)),
        "cartesian_prod": lambda f, a: f(a.x(2), a.x(3)),
        **dict.fromkeys(["det", "logdet", "slogdet", "inverse"], _sq),
        **dict.fromkeys(["pinverse", "svd", "qr"], _tall),
        "cholesky": _spd,
    },
    "torch.linalg": {
        **dict.fromkeys(["inv", "inv_ex", "det", "slogdet"], _sq),
        "solve": lambda f, a: f(a.sq(3), a.x(3, 2)),
        **dict.fromkeys(["cholesky", "cholesky_ex", "eigh", "eigvalsh"], _spd),
        **dict.fromkeys(["qr", "svdvals", "pinv", "matrix_rank"], _tall),
        "svd": lambda f, a: f(a.x(3, 2), full_matrices=False),
        "lstsq": lambda f, a: f(a.x(4, 2), a.x(4, 1)),
        **dict.fromkeys(["norm", "vector_norm", "matrix_norm"], _x34),
        "multi_dot": lambda f, a: f([a.x(2, 3), a.x(3, 3), a.x(3, 2)]),
        "cross": _cross,
        "matrix_power": lambda f, a: f(a.x(3, 3), 3),
        "matmul": _mm,
        "vecdot": lambda f, a: f(a.x(2, 3), a.x(2, 3)),
    },
    "sort": {
        **dict.fromkeys(["sort", "argsort", "msort"], _x34),
        **dict.fromkeys(["topk", "kthvalue"], lambda f, a: f(a.x(3, 4), 2)),
        **dict.fromkeys(["median", "nanmedian"], _dim1),
        "mode": _x34,
        **dict.fromkeys(["unique", "unique_consecutive"], _x34),
        "searchsorted": lambda f, a: f(a.t(_bss), a.x(1, 3)),
        "bucketize": lambda f, a: f(a.x(3), a.t(_bss[0])),
    },
    "distance": {
        **dict.fromkeys(["cosine_similarity", "pairwise_distance"], _same),
        "cdist": lambda f, a: f(a.x(3, 4), a.x(2, 4)),
        "pdist": _x34,
    },
    "attention": {
        "scaled_dot_product_attention": lambda f, a: f(
            a.x(1, 2, 3, 4), a.x(1, 2, 5, 4), a.x(1, 2, 5, 4)
        ),
    },
    "random": {
        "bernoulli": lambda f, a: f(a.p(3, 4, lo=0.1, hi=0.9)),
        "multinomial": lambda f, a: f(a.p(2, 4, lo=0.1, hi=0.9), 2),
        "poisson": lambda f, a: f(a.p(3, 4, lo=0.5, hi=20.0)),
        **dict.fromkeys(["uniform_", "normal_", "random_", "exponential_"], _rinp),
        **dict.fromkeys(["log_normal_", "cauchy_"], _rinp),
        **dict.fromkeys(["bernoulli_", "geometric_"], lambda f, a: f(a.c(3, 4), 0.5)),
    },
    "creation": {
        **dict.fromkeys(["tensor", "as_tensor", "asarray"], _data),
        "from_numpy": lambda f, a: f(a.array(2, 3)),
        **dict.fromkeys(["zeros", "ones", "empty", "rand", "randn"], _size),
        "full": lambda f, a: f((2, 3), 1.5, dtype=a.dt),
        **dict.fromkeys(["zeros_like", "ones_like", "empty_like"], _like),
        **dict.fromkeys(["rand_like", "randn_like"], _like),
        "full_like": ND(lambda f, a: f(a.x(2, 3), 1.5)),
        "randint_like": ND(lambda f, a: f(a.x(2, 3), 5)),
        "arange": lambda f, a: f(5, dtype=a.dt),
        "linspace": lambda f, a: f(0, 1, 5, dtype=a.dt),
        "eye": lambda f, a: f(3, dtype=a.dt),
        "randint": lambda f, a: f(0, 5, (2, 3), dtype=a.dt),
        "randperm": lambda f, a: f(5, dtype=a.dt),
        "normal": lambda f, a: f(0.0, 1.0, size=(2, 3), dtype=a.dt),
        "scalar_tensor": lambda f, a: f(1.5, dtype=a.dt),
    },
    "activation": {
        **dict.fromkeys(["erf", "relu6", "hardtanh", "leaky_relu", "elu", "selu"], _x34),
        **dict.fromkeys(["celu", "gelu", "silu", "mish", "softplus", "softsign"], _x34),
        **dict.fromkeys(["hardsigmoid", "hardswish", "logsigmoid", "tanhshrink"], _x34),
        **dict.fromkeys(["softshrink", "hardshrink", "glu"], _x34),
        **dict.fromkeys(["hardtanh_", "leaky_relu_", "elu_", "selu_", "celu_"], _inpl),
        "threshold": lambda f, a: f(a.x(3, 4), 0.1, 20.0),
        "threshold_": lambda f, a: f(a.nl(3, 4), 0.1, 20.0),
        "prelu": lambda f, a: f(a.x(2, 3, 4), a.p(3)),
        **dict.fromkeys(["softmax", "log_softmax", "softmin"], _dim1),
    },
    "loss": {
        **dict.fromkeys(["cross_entropy", "nll_loss"], lambda f, a: f(a.x(3, 5), a.i(3, n=5))),
        "multi_margin_loss": lambda f, a: f(a.x(3, 5), a.i(3, n=5)),
        **dict.fromkeys(["l1_loss", "smooth_l1_loss", "huber_loss"], _same),
        "binary_cross_entropy": lambda f, a: f(
            a.p(3, 4, lo=0.1, hi=0.9), a.p(3, 4, lo=0.0, hi=1.0, grad=False)
        ),
        "binary_cross_entropy_with_logits": lambda f, a: f(a.x(3, 4), a.p(3, 4, lo=0, hi=1)),
        "kl_div": lambda f, a: f(a.x(3, 4), a.p(3, 4, lo=0.1, hi=0.9)),
        "poisson_nll_loss": lambda f, a: f(a.x(3, 4), a.p(3, 4)),
        "gaussian_nll_loss": lambda f, a: f(a.x(3, 4), a.x(3, 4), a.p(3, 4)),
        "cosine_embedding_loss": lambda f, a: f(a.x(3, 4), a.x(3, 4), a.pm(3)),
        "margin_ranking_loss": lambda f, a: f(a.x(3), a.x(3), a.pm(3)),
        **dict.fromkeys(
            ["hinge_embedding_loss", "soft_margin_loss"], lambda f, a: f(a.x(3, 4), a.pm(3, 4))
        ),
        "multilabel_soft_margin_loss": lambda f, a: f(a.x(3, 4), a.bit(3, 4)),
        "triplet_margin_loss": lambda f, a: f(a.x(3, 4), a.x(3, 4), a.x(3, 4)),
        "ctc_loss": lambda f, a: f(
            a.x(4, 2, 5).log_softmax(2), a.L([[1, 2], [3, 3]]), (4, 3), (2, 2)
        ),
    },
    "conv": {
        "conv1d": lambda f, a: f(a.x(1, 2, 5), a.x(3, 2, 3), a.x(3)),
        "conv2d": lambda f, a: f(a.x(1, 2, 4, 4), a.x(3, 2, 2, 2), a.x(3)),
        "conv3d": lambda f, a: f(a.x(1, 2, 3, 3, 3), a.x(2, 2, 2, 2, 2), a.x(2)),
        "conv_transpose1d": lambda f, a: f(a.x(1, 2, 4), a.x(2, 3, 3), a.x(3)),
        "conv_transpose2d": lambda f, a: f(a.x(1, 2, 3, 3), a.x(2, 3, 2, 2), a.x(3)),
        "conv_transpose3d": lambda f, a: f(a.x(1, 2, 2, 2, 2), a.x(2, 2, 2, 2, 2), a.x(2)),
        "unfold": _p2,
        "fold": lambda f, a: f(a.x(1, 8, 9), (4, 4), 2),
    },
    "pooling": {
        **dict.fromkeys(["max_pool1d", "avg_pool1d"], _p1),
        **dict.fromkeys(["max_pool2d", "avg_pool2d"], _p2),
        **dict.fromkeys(["adaptive_avg_pool1d", "adaptive_max_pool1d"], _p1),
        **dict.fromkeys(["adaptive_avg_pool2d", "adaptive_max_pool2d"], _p2),
        "lp_pool1d": lambda f, a: f(a.x(1, 2, 6), 2.0, 2),
        "lp_pool2d": lambda f, a: f(a.x(1, 2, 4, 4), 2.0, 2),
    },
    "norm": {
        "batch_norm": lambda f, a: f(a.x(4, 3), None, None, a.x(3), a.x(3), training=True),
        "instance_norm": lambda f, a: f(a.x(2, 3, 4)),
        "layer_norm": lambda f, a: f(a.x(3, 4), (4,), a.x(4), a.x(4)),
        "group_norm": lambda f, a: f(a.x(2, 4, 3), 2, a.x(4), a.x(4)),
        "rms_norm": lambda f, a: f(a.x(3, 4), (4,), a.x(4)),
        "local_response_norm": lambda f, a: f(a.x(1, 4, 3), 2),
        "normalize": _x34,
    },
    "dropout": {
        "dropout": lambda f, a: f(a.x(3, 4), 0.5),
        "alpha_dropout": lambda f, a: f(a.x(3, 4), 0.5, True),
        "feature_alpha_dropout": lambda f, a: f(a.x(2, 3, 4), 0.5, True),
        "dropout1d": _seq,
        "dropout2d": lambda f, a: f(a.x(1, 3, 2, 2), 0.5),
        "dropout3d": lambda f, a: f(a.x(1, 3, 2, 2, 2), 0.5),
        "rrelu": lambda f, a: f(a.x(3, 4), training=True),
    },
    "embedding": {
        "embedding": lambda f, a: f(a.i(3, n=5), a.x(5, 4)),
        "embedding_bag": lambda f, a: f(a.i(2, 3, n=5), a.x(5, 4)),
        "one_hot": lambda f, a: f(a.p(4, lo=0, hi=2), 3),
        "embedding_renorm_": lambda f, a: f(a.nl(5, 4), a.L([0, 2]), 1.0, 2.0),
    },
    "padding": {"pad": lambda f, a: f(a.x(1, 2, 3), (1, 2))},
    "pixel_shuffle": {
        "pixel_shuffle": lambda f, a: f(a.x(1, 4, 2, 2), 2),
        "pixel_unshuffle": lambda f, a: f(a.x(1, 1, 4, 4), 2),
    },
    "interpolate": {
        "interpolate": lambda f, a: f(
            a.x(1, 2, 3, 3), scale_factor=2, mode="bilinear", align_corners=False
        ),
        "upsample": lambda f, a: f(a.x(1, 2, 3), scale_factor=2),
        **dict.fromkeys(["upsample_nearest", "upsample_bilinear"], _interp2),
    },
    "nn": {
        "linear": lambda f, a: f(a.x(3, 4), a.x(2, 4), a.x(2)),
        "bilinear": lambda f, a: f(a.x(3, 4), a.x(3, 5), a.x(2, 4, 5), a.x(2)),
        "mse_loss": _same,
    },
    "rnn": {
        "lstm": _rnn(4),
        "gru": _rnn(3),
        **dict.fromkeys(["rnn_tanh", "rnn_relu"], _rnn(1)),
        "lstm_cell": _cell(4),
        "gru_cell": _cell(3),
        **dict.fromkeys(["rnn_tanh_cell", "rnn_relu_cell"], _cell(1)),
    },
    "mha": {"multi_head_attention_forward": _mha},
}


def get_probe(family: str, name: str) -> Probe:
    p = PROBES[family][name]
    return p if isinstance(p, Probe) else Probe(p)


def coverage_problems() -> list[str]:
    """Ops without a probe and probes without an op (both must be empty)."""
    ops = set(all_ops())
    probed = {(fam, n) for fam, table in PROBES.items() for n in table}
    return [f"no probe for {fam}: {n}" for fam, n in sorted(ops - probed)] + [
        f"probe for a missing op {fam}: {n}" for fam, n in sorted(probed - ops)
    ]


# ---------------------------------------------------------------------------------------------
# Probing


def _flat(out, lib) -> list:
    if isinstance(out, lib.Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o, lib)]
    return []


def _clean(msg: str) -> str:
    msg = re.sub(r"0x[0-9a-fA-F]+", "0x…", str(msg).strip().splitlines()[0] if msg else "")
    msg = msg.replace("|", "\\|")
    return msg if len(msg) <= 160 else msg[:157] + "…"


_TORCH_STYLE = (RuntimeError, TypeError, ValueError, IndexError, NotImplementedError)
_NUMPY_WORDS = re.compile(
    r"ufunc|numpy|ndarray|could not be broadcast|casting rule|did not contain a loop|"
    r"only integer scalar arrays|object of type|unhashable|not subscriptable|"
    r"has no attribute|takes \d+ positional|got an unexpected keyword|object is not"
)


def _is_crash(exc: BaseException) -> bool:
    """A NumPy/Python internal error leaking out instead of a torch-style error."""
    if type(exc).__module__.startswith("numpy") or not isinstance(exc, _TORCH_STYLE):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and os.sep + "numpy" + os.sep in frames[-1].filename:
        return True
    return bool(_NUMPY_WORDS.search(str(exc)))


@dataclass
class Facts:
    dtypes: list = field(default_factory=list)  # short names that ran
    forward: bool = False
    uses_dtype: bool = True
    backward: str = "—"
    differentiable: bool = False  # has a grad_fn whose backward runs
    grad_ok: bool = False  # ... and matches finite differences
    double: str = "—"
    problems: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # dtype name -> exception (not rendered)


@contextlib.contextmanager
def _quiet(lib):
    """No warnings, float32 default dtype, grad mode on; the caller's RNG state is kept."""
    default, rng_state = lib.get_default_dtype(), lib.get_rng_state()
    lib.set_default_dtype(lib.float32)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), lib.enable_grad():
            warnings.simplefilter("ignore")
            yield
    finally:
        lib.set_default_dtype(default)
        lib.set_rng_state(rng_state)


def _call(probe, fn, lib, dtype_name, grad=False, shift=None):
    lib.manual_seed(0)
    a = Inputs(lib, dtype_name, grad=grad, shift=shift)
    out = probe.call(fn, a)
    return out, a


def _scalar(out, lib, weights):
    """``sum(w * y * y)`` over the floating outputs that require grad."""
    ys = [y for y in _flat(out, lib) if y.dtype.is_floating_point and y.requires_grad]
    s = None
    for k, y in enumerate(ys):
        if k not in weights:
            rng = np.random.default_rng(100 + k)
            weights[k] = lib.tensor(rng.uniform(0.5, 1.5, tuple(y.shape)), dtype=y.dtype)
        term = (weights[k] * y * y).sum()
        s = term if s is None else s + term
    return ys, s


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= 1e-5 * scale))


def _err(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_clean(str(exc))}"


def _np(t) -> np.ndarray:
    t = t.detach()
    try:
        return t.numpy()
    except RuntimeError:  # torch's ZeroTensor (an all-zero gradient) has no array
        return np.array(t.tolist(), dtype=np.float64)


def _grads(lib, s, leaves, create_graph=False) -> list:
    g = lib.autograd.grad(s, leaves, create_graph=create_graph, allow_unused=True)
    return [lib.zeros_like(x) if gi is None else gi for x, gi in zip(leaves, g)]


_NOT_IMPLEMENTED = re.compile(r"derivative for .* (is )?not implemented")


def _not_implemented(exc: BaseException) -> bool:
    """The op says it has no derivative (as torch does for unique, heaviside...)."""
    return bool(_NOT_IMPLEMENTED.search(str(exc)))


def probe_grad(probe, fn, lib, facts: Facts) -> None:
    """Backward and double backward facts, from the float64 call."""
    out, a = _call(probe, fn, lib, "float64", grad=True)
    leaves = a.leaves
    if not leaves:
        return
    weights: dict = {}
    ys, s = _scalar(out, lib, weights)
    if not ys:
        floats = [y for y in _flat(out, lib) if y.dtype.is_floating_point]
        if floats and not probe.nondiff:
            facts.backward = "✗ no grad_fn"
            facts.problems.append("floating output without a grad_fn")
        return
    fns = [type(y.grad_fn).__name__ for y in ys if y.grad_fn is not None]
    name = f"`{fns[0]}`" if fns else "returns its input"
    try:
        g = _grads(lib, s, leaves, create_graph=True)
    except Exception as e:  # noqa: BLE001
        if _not_implemented(e):
            facts.backward = f"{name} not implemented"
        else:
            facts.backward = f"{name} ✗ {type(e).__name__}"
            facts.problems.append(("backward", e))
        return
    # central differences along one random direction, for s and for its gradient
    rng = np.random.default_rng(7)
    dirs = [rng.standard_normal(tuple(x.shape)) for x in leaves]
    side = []
    for sign in (1.0, -1.0):
        o, b = _call(probe, fn, lib, "float64", grad=True, shift=[sign * EPS * d for d in dirs])
        _, sv = _scalar(o, lib, weights)
        side.append((float(sv.detach()), [_np(gi) for gi in _grads(lib, sv, b.leaves)]))
    facts.differentiable = True
    fd1 = (side[0][0] - side[1][0]) / (2 * EPS)
    an1 = sum(float((_np(gi) * d).sum()) for gi, d in zip(g, dirs))
    ok1 = _close(np.array([an1]), np.array([fd1]))
    facts.backward = name + ("" if ok1 else " ≠FD")
    facts.grad_ok = ok1
    if not ok1:
        facts.problems.append(f"gradient ≠ finite difference ({an1:.6g} vs {fd1:.6g})")
    gd = sum((gi * lib.tensor(d, dtype=lib.float64)).sum() for gi, d in zip(g, dirs))
    if not gd.requires_grad:
        if not any(np.any(_np(gi)) for gi in g):
            return  # an identically zero gradient (floor, sign...): nothing to differentiate
        facts.double = "✗ no graph"
        facts.problems.append("the gradient does not require grad under create_graph=True")
        return
    try:
        h = _grads(lib, gd, leaves)
    except Exception as e:  # noqa: BLE001
        if _not_implemented(e):
            facts.double = "not implemented"
        else:
            facts.double = f"✗ {type(e).__name__}"
            facts.problems.append(("double backward", e))
        return
    h = np.concatenate([_np(hi).ravel() for hi in h])
    fd2 = np.concatenate([((p - m) / (2 * EPS)).ravel() for p, m in zip(*(g for _, g in side))])
    ok2 = _close(h, fd2)
    facts.double = "✓" if ok2 else "≠FD"
    if not ok2:
        facts.problems.append("Hessian-vector product ≠ finite difference")


def probe_op(probe, fn, lib=torchless) -> Facts:
    facts = Facts()
    first_error = None
    with _quiet(lib):
        for short, name in DTYPES:
            try:
                _, a = _call(probe, fn, lib, name)
            except Exception as e:  # noqa: BLE001
                first_error = first_error or (name, e)
                facts.errors[name] = e
                if _is_crash(e):
                    facts.problems.append((name, e))
                continue
            facts.dtypes.append(short)
            if not a.used_dtype:
                facts.uses_dtype = False
                break
        facts.forward = bool(facts.dtypes)
        if not facts.forward:
            facts.problems.append(("every dtype", first_error[1]))
        elif "f64" in facts.dtypes:
            try:
                probe_grad(probe, fn, lib, facts)
            except Exception as e:  # noqa: BLE001
                facts.backward = f"✗ {type(e).__name__}"
                facts.problems.append(("gradient probe", e))
    return facts


# ---------------------------------------------------------------------------------------------
# The document

HEADER = """\
# Ops

<!-- Generated by tools/gen_ops_doc.py from the code: do not edit by hand. -->

Every op of torchless, one table per family (the file under `torchless/_ops/`, and
`torchless/linalg.py` for `torch.linalg`), and what a sample call of it does. Regenerate with

    python tools/gen_ops_doc.py           # rewrite this file
    python tools/gen_ops_doc.py --check   # exit 1 if it is stale (tests/test_ops_doc.py runs this)

The ops of a family are the names in its `__all__`, plus its public functions exposed under
their own name but not listed there (Tensor-only methods such as `Tensor.repeat`). Every fact
below is probed by calling the op on small inputs (the sample calls are the `PROBES` table of
the generator), so the table cannot drift from the code.

Columns:

* **Exposed as**: where a function of this name is reachable: `torch` (`torch.x`), `Tensor`
  (`Tensor.x`), `F` (`torch.nn.functional.x`), `linalg` (`torch.linalg.x`).
* **In-place**: the in-place variants `x_` that exist.
* **Fwd**: the sample call runs (✓) in at least one dtype.
* **Backward**: the `grad_fn` of the output of the float64 call with inputs that require
  grad (`returns its input` when the op returns an input itself). The gradient of
  `s = sum(w * y * y)` (`w` fixed weights, `y` the floating outputs) is compared with a
  central finite difference along a random direction; `≠FD` marks a mismatch.
  `not implemented`: backward raises "the derivative for ... is not implemented" (as
  torch does for `unique` or `heaviside`); `—`: not differentiable (integer or bool outputs,
  no input that can require grad, or a factory such as `zeros_like`); `✗ no grad_fn`: a
  floating output that should have one.
* **Double backward**: `autograd.grad(s, inputs, create_graph=True)` gives gradients that
  require grad, a second `autograd.grad` through them succeeds, and the Hessian-vector
  product matches a finite difference of the gradient (✓); `≠FD`: it runs but disagrees;
  `✗ no graph`: the first gradient does not require grad; `not implemented`: as above;
  `—`: no backward, or a gradient that is identically zero (`floor`, `sign`...).
* **Dtypes**: the input dtypes (`dtype=` for factories) the sample call accepts, among
  float16, float32, float64, int64 and bool; `n/a` when the call takes none.

Problems found by the probes (an op failing in every dtype, a NumPy or Python internal error
instead of a torch-style error, a gradient that disagrees with finite differences) are listed
under each table.
"""


def _problem_text(p) -> str:
    if isinstance(p, str):
        return p
    where, exc = p
    kind = "internal error" if _is_crash(exc) else "error"
    return f"{kind} ({where}): `` {_err(exc)} ``"


def render() -> str:
    missing = coverage_problems()
    if missing:
        raise SystemExit("gen_ops_doc: " + "; ".join(missing))
    sections, totals = [], dict(ops=0, fwd=0, diff=0, bwd=0, dbl=0, problems=0)
    for fam, modname in FAMILIES:
        module = importlib.import_module(modname)
        names = family_ops(module)
        rows, notes = [], []
        for name in names:
            facts = probe_op(get_probe(fam, name), getattr(module, name))
            where, inplace = exposure(name)
            dts = " ".join(facts.dtypes) if facts.uses_dtype else "n/a"
            rows.append(
                f"| `{name}` | {' '.join(where) or '—'} | "
                f"{' '.join(f'`{i}`' for i in inplace)} | {'✓' if facts.forward else '✗'} | "
                f"{facts.backward} | {facts.double} | {dts} |"
            )
            totals["ops"] += 1
            totals["fwd"] += facts.forward
            totals["diff"] += facts.differentiable
            totals["bwd"] += facts.grad_ok
            totals["dbl"] += facts.double == "✓"
            for p in facts.problems:
                notes.append(f"- `{name}`: {_problem_text(p)}")
            totals["problems"] += bool(facts.problems)
        title = (
            "torch.linalg (`torchless/linalg.py`)"
            if fam == "torch.linalg"
            else (f"{fam} (`torchless/_ops/{fam}.py`)")
        )
        lines = [f"## {title}", ""]
        lines.append("| Op | Exposed as | In-place | Fwd | Backward | Double backward | Dtypes |")
        lines.append("|---|---|---|:-:|---|:-:|---|")
        lines += rows
        if notes:
            lines += ["", "Problems:", ""] + notes
        sections.append("\n".join(lines))
    summary = "\n".join(
        [
            f"**{totals['ops']} ops** in {len(FAMILIES)} families:",
            "",
            f"- {totals['fwd']} run forward;",
            f"- {totals['diff']} have a backward that runs, {totals['bwd']} of them with a "
            "gradient that matches finite differences;",
            f"- {totals['dbl']} have a double backward that matches finite differences;",
            f"- {totals['problems']} have problems, listed under their table.",
        ]
    )
    return HEADER + "\n" + summary + "\n\n" + "\n\n".join(sections) + "\n"


# families whose functions follow torch.nn.functional's signatures
_F_FAMILIES = {"activation", "loss", "conv", "pooling", "norm", "dropout", "embedding"}
_F_FAMILIES |= {"padding", "pixel_shuffle", "interpolate", "nn", "mha", "distance", "attention"}


def vs_torch() -> int:
    """Run the same probes on torch and print where torchless differs (needs torch).

    Differences in accepted dtypes, ``grad_fn`` names, double backward, error messages, and
    the problems of torchless. Not part of the document: torch is a test-only dependency."""
    import torch  # noqa: PLC0415  (only here: the document never needs torch)

    count = 0
    for fam, modname in FAMILIES:
        module = importlib.import_module(modname)
        for name in family_ops(module):
            if fam == "torch.linalg":
                spaces = (torch.linalg,)
            elif fam in _F_FAMILIES:
                spaces = (torch.nn.functional, torch, torch.Tensor)
            else:
                spaces = (torch, torch.Tensor, torch.nn.functional)
            tfn = next((getattr(ns, name) for ns in spaces if hasattr(ns, name)), None)
            probe = get_probe(fam, name)
            ours = probe_op(probe, getattr(module, name))
            lines = [f"  problem: {_problem_text(p)}" for p in ours.problems]
            tspaces = {"torch": torch, "Tensor": torch.Tensor}
            tspaces.update(F=torch.nn.functional, linalg=torch.linalg)
            where, inplace = exposure(name)
            twhere = [lb for lb, ns in tspaces.items() if hasattr(ns, name)]
            tinplace = (
                []
                if name.endswith("_")
                else [
                    f"{lb}.{name}_"
                    for lb in ("torch", "Tensor", "F")
                    if hasattr(tspaces[lb], name + "_")
                ]
            )
            if (where, inplace) != (twhere, tinplace):
                lines.append(f"  exposed: torchless {where + inplace} | torch {twhere + tinplace}")
            if tfn is None:
                lines.append("  torch has no function of this name")
            else:
                theirs = probe_op(probe, tfn, lib=torch)
                for what in ("dtypes", "backward", "double"):
                    a, b = getattr(ours, what), getattr(theirs, what)
                    if a != b:
                        lines.append(f"  {what}: torchless {a} | torch {b}")
                for dt in sorted(set(ours.errors) & set(theirs.errors)):
                    a, b = _err(ours.errors[dt]), _err(theirs.errors[dt])
                    if a != b:
                        lines.append(f"  {dt} error: torchless {a} | torch {b}")
            if lines:
                count += 1
                print(f"{fam}.{name}")
                print("\n".join(lines))
    print(f"{count} ops differ from torch or have problems")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/ops.md is stale")
    parser.add_argument(
        "--vs-torch", action="store_true", help="print where the probes differ from torch's"
    )
    args = parser.parse_args(argv)
    if args.vs_torch:
        return vs_torch()
    text = render()
    if args.check:
        try:
            with open(DOC, encoding="utf-8") as fh:
                old = fh.read()
        except FileNotFoundError:
            old = ""
        if old != text:
            diff = difflib.unified_diff(
                old.splitlines(), text.splitlines(), "docs/ops.md", "generated", lineterm=""
            )
            print("\n".join(list(diff)[:60]))
            print("docs/ops.md is stale: run `python tools/gen_ops_doc.py`", file=sys.stderr)
            return 1
        return 0
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
