"""Type promotion and broadcasting against torch.

The dtype of ``a <op> b`` for every pair of dtypes, with each side a tensor with dims, a 0-d
tensor or a Python scalar (int, float, bool), equals torch's (or both raise the same error);
the shapes of broadcasting pairs give torch's shape or torch's error. One exhaustive table
test, and hypothesis property tests drawing values and shapes.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst
from oracle import oracle, to_lib

import torchless as tl

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
OPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SCALARS = {"int": 2, "float": 1.5, "bool": True}
KINDS = ["dim", "0d"] + [f"scalar_{k}" for k in SCALARS]


def _operand(lib, kind, dtype, values):
    """A tensor of ``dtype`` with dims or 0-d, or a Python scalar."""
    if kind.startswith("scalar"):
        return SCALARS[kind[7:]]
    a = np.asarray(values if kind == "dim" else values[0]).astype(dtype)
    return lib.tensor(a)


def _outcome(lib, op, ka, da, kb, db, va=(1, 2), vb=(3, 1)):
    """The result's dtype and values, or the error raised."""
    try:
        x = _operand(lib, ka, da, va)
        y = _operand(lib, kb, db, vb)
        r = OPS[op](x, y)
        return repr(r.dtype), np.asarray(r.detach().numpy(), dtype=np.float64).tolist()
    except Exception as e:  # noqa: BLE001 - errors are outcomes
        return type(e).__name__, str(e)


def _combos():
    for ka in KINDS:
        for kb in KINDS:
            if ka.startswith("scalar") and kb.startswith("scalar"):
                continue
            yield ka, kb


@pytest.mark.parametrize("op", list(OPS))
def test_promotion_table(op):
    """Every dtype pair, every operand kind: torch's dtype, values or error."""
    mismatches = []
    for ka, kb in _combos():
        das = DTYPES if not ka.startswith("scalar") else [None]
        dbs = DTYPES if not kb.startswith("scalar") else [None]
        for da in das:
            for db in dbs:
                t = _outcome(torch, op, ka, da, kb, db)
                l = _outcome(tl, op, ka, da, kb, db)
                if t[0] != l[0] or (
                    t[0].startswith("torch.") and not np.allclose(t[1], l[1], rtol=2e-3)
                ):
                    mismatches.append((ka, da, kb, db, t, l))
                elif not t[0].startswith("torch.") and t[1] != l[1]:
                    mismatches.append((ka, da, kb, db, t, l))
    assert not mismatches, "\n".join(map(str, mismatches[:20]))


def test_result_type_and_promote_types_api():
    mismatches = []
    for da in DTYPES:
        for db in DTYPES:
            t = repr(torch.promote_types(getattr(torch, da), getattr(torch, db)))
            l = repr(tl.promote_types(getattr(tl, da), getattr(tl, db)))
            if t != l:
                mismatches.append(("promote_types", da, db, t, l))
            for s in (2, 1.5, True):
                t = repr(torch.result_type(torch.ones(2, dtype=getattr(torch, da)), s))
                l = repr(tl.result_type(tl.ones(2, dtype=getattr(tl, da)), s))
                if t != l:
                    mismatches.append(("result_type", da, s, t, l))
            t = torch.can_cast(getattr(torch, da), getattr(torch, db))
            l = tl.can_cast(getattr(tl, da), getattr(tl, db))
            if t != l:
                mismatches.append(("can_cast", da, db, t, l))
    assert not mismatches, mismatches


# --------------------------------------------------------------------------- hypothesis

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    op=st.sampled_from(list(OPS)),
    da=st.sampled_from(DTYPES),
    db=st.sampled_from(DTYPES),
    kinds=st.sampled_from(list(_combos())),
    va=st.lists(st.integers(-4, 4), min_size=2, max_size=2),
    vb=st.lists(st.integers(-4, 4), min_size=2, max_size=2),
)
def test_promotion_property(op, da, db, kinds, va, vb):
    """Random values: the dtype always matches torch's, and so do the values or the error
    (division by an integer zero, negative integer powers, bool subtraction...)."""
    ka, kb = kinds
    if op in ("/", "//", "%") and 0 in vb:
        vb = [v or 1 for v in vb]  # torch's integer division by zero is an error, float's inf
    t = _outcome(torch, op, ka, da, kb, db, va, vb)
    l = _outcome(tl, op, ka, da, kb, db, va, vb)
    assert t[0] == l[0], (t, l)
    if t[0].startswith("torch."):
        np.testing.assert_allclose(l[1], t[1], rtol=2e-3, atol=1e-3, equal_nan=True)
    else:
        assert t[1] == l[1]


@SETTINGS
@given(shapes=npst.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3))
def test_broadcast_compatible(shapes):
    sa, sb = shapes.input_shapes

    def body(lib):
        x = to_lib(lib, np.ones(sa), True)
        y = to_lib(lib, np.ones(sb), True)
        return x + y, x * y, x == y, lib.where(x > 0, x, y)

    oracle(body)


@SETTINGS
@given(
    sa=npst.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
    sb=npst.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)
def test_broadcast_any_pair(sa, sb):
    """Arbitrary shape pairs (most do not broadcast): torch's shape or torch's error."""

    def body(lib):
        x, y = lib.zeros(sa), lib.zeros(sb)
        return (x + y).shape, (x < y).shape, lib.maximum(x, y).shape

    oracle(body)


@SETTINGS
@given(
    sa=npst.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3),
    sb=npst.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3),
)
def test_matmul_shapes(sa, sb):
    """matmul over arbitrary shapes: torch's result shape or its error type."""

    def body(lib):
        return (lib.zeros(sa) @ lib.zeros(sb)).shape

    oracle(body, match=".")
