"""docs/ops.md is generated from the code by tools/gen_ops_doc.py and must be current.

When this fails after a change to an op: run ``python tools/gen_ops_doc.py`` and commit
docs/ops.md. When it fails because an op has no probe: add a sample call for it to the
``PROBES`` table of the generator.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def gen():
    path = os.path.join(ROOT, "tools", "gen_ops_doc.py")
    spec = importlib.util.spec_from_file_location("gen_ops_doc", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_ops_doc"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_op_has_a_probe(gen):
    assert gen.coverage_problems() == []


def test_every_family_is_listed(gen):
    ops_dir = os.path.join(ROOT, "torchless", "_ops")
    files = {f[:-3] for f in os.listdir(ops_dir) if f.endswith(".py") and not f.startswith("_")}
    listed = {mod.rsplit(".", 1)[1] for _, mod in gen.FAMILIES if mod.startswith("torchless._ops")}
    # inplace.py holds the in-place machinery, not ops of its own
    assert files - {"inplace"} == listed


def test_ops_doc_is_current(gen, capsys):
    rc = gen.main(["--check"])
    out = capsys.readouterr()
    assert rc == 0, "docs/ops.md is stale: run `python tools/gen_ops_doc.py`\n" + out.out


def test_probes_are_deterministic(gen):
    fam, name = "pointwise", "add"
    from torchless._ops import pointwise

    a = gen.probe_op(gen.get_probe(fam, name), getattr(pointwise, name))
    b = gen.probe_op(gen.get_probe(fam, name), getattr(pointwise, name))
    assert (a.dtypes, a.backward, a.double) == (b.dtypes, b.backward, b.double)
    assert a.backward == "`AddBackward0`" and a.double == "✓"
