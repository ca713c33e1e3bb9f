"""``python -m torchless run``: torch imports served by torchless, run like ``python program.py``.

Programs run in a subprocess (the hook must never alias torch inside the test process, where
oracle tests import the real one), with warnings as errors, from a scratch folder.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from torchless._missing import TorchlessNotImplementedError, missing_attribute_getattr

REPO = Path(__file__).resolve().parents[1]
HAVE_TORCH = importlib.util.find_spec("torch") is not None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("PYTHONSAFEPATH", None)
    return env


def python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -W error *args`` in ``cwd``, with torchless importable."""
    return subprocess.run(
        [sys.executable, "-W", "error", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def torchless_run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return python("-m", "torchless", "run", *args, cwd=cwd)


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- the import hook -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement, name, torch_module, torchless_module",
    [
        ("import torch", "torch", "torch", "torchless"),
        ("import torch.nn as nn", "nn", "torch.nn", "torchless.nn"),
        ("import torch.nn", "torch.nn", "torch.nn", "torchless.nn"),
        (
            "import torch.nn.functional as F",
            "F",
            "torch.nn.functional",
            "torchless.nn.functional",
        ),
        ("from torch.nn import functional", "functional", None, "torchless.nn.functional"),
        ("import torch.optim as optim", "optim", "torch.optim", "torchless.optim"),
        ("from torch import optim", "optim", None, "torchless.optim"),
        (
            "import torch.utils.data",
            "torch.utils.data",
            "torch.utils.data",
            "torchless.utils.data",
        ),
        ("from torch.utils import data", "data", None, "torchless.utils.data"),
    ],
)
def test_hook_serves_torch_modules_from_torchless(
    tmp_path, statement, name, torch_module, torchless_module
):
    write(
        tmp_path / "prog.py",
        f"""\
        import importlib, sys
        {statement}
        real = importlib.import_module({torchless_module!r})
        assert {name} is real, ({name}, real)
        assert sys.modules["torch"] is sys.modules["torchless"]
        torch_module = {torch_module!r}
        if torch_module is not None:
            assert sys.modules[torch_module] is real
        # The alias leaves torchless's own identity alone.
        assert real.__name__ == {torchless_module!r}
        assert real.__spec__.name == {torchless_module!r}
        print("ok")
        """,
    )
    assert ok(torchless_run("prog.py", cwd=tmp_path)) == "ok\n"


def test_hook_serves_names_imported_from_torch_modules(tmp_path):
    write(
        tmp_path / "prog.py",
        """\
        from torch import nn, optim, tensor
        from torch.nn import Linear, MSELoss, Module
        from torch.optim import SGD
        from torch.utils.data import DataLoader, Dataset
        import torchless
        import torchless.utils.data

        assert tensor is torchless.tensor
        assert nn is torchless.nn and optim is torchless.optim
        assert (Linear, MSELoss, Module) == (nn.Linear, nn.MSELoss, nn.Module)
        assert SGD is torchless.optim.SGD
        assert DataLoader is torchless.utils.data.DataLoader
        assert Dataset is torchless.utils.data.Dataset
        print("ok")
        """,
    )
    assert ok(torchless_run("prog.py", cwd=tmp_path)) == "ok\n"


def test_real_torch_is_never_imported(tmp_path):
    write(
        tmp_path / "prog.py",
        """\
        import sys
        from pathlib import Path

        import torch
        import torch.nn
        import torch.nn.functional
        import torch.optim
        import torchless

        assert torch is torchless
        package = Path(torchless.__file__).resolve().parent
        assert Path(torch.__file__).resolve().parent == package
        for name, module in list(sys.modules.items()):
            if name == "torch" or name.startswith("torch."):
                assert module.__name__.startswith("torchless"), (name, module)
                assert Path(module.__file__).resolve().is_relative_to(package), name
        assert "torch._C" not in sys.modules
        print("ok")
        """,
    )
    assert ok(torchless_run("prog.py", cwd=tmp_path)) == "ok\n"


def _listing(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if "__pycache__" not in p.parts and ".venv" not in p.parts and ".git" not in p.parts
    }


def test_nothing_named_torch_is_written_or_installed(tmp_path):
    prog = write(tmp_path / "prog.py", "import torch, torch.nn, torch.optim\nprint('ok')\n")
    before = _listing(tmp_path), _listing(REPO / "torchless")
    assert ok(torchless_run(str(prog), cwd=tmp_path)) == "ok\n"
    assert (_listing(tmp_path), _listing(REPO / "torchless")) == before
    # Outside `torchless run`, `torch` is whatever it was: the real torch, or nothing.
    result = python(
        "-c",
        "import importlib.util as u; s = u.find_spec('torch'); print(s and s.origin)",
        cwd=tmp_path,
    )
    origin = ok(result).strip()
    assert "torchless" not in origin
    assert (origin != "None") == HAVE_TORCH


# -- missing parts of torch ------------------------------------------------------------------


def test_missing_submodule_names_the_torch_module(tmp_path):
    write(
        tmp_path / "prog.py",
        """\
        try:
            import torch._inductor.config
        except ModuleNotFoundError as exc:
            print(exc.name, "|", exc)
        import torch.nn.functional
        try:
            import torch.nn.functional.nothing
        except ModuleNotFoundError as exc:
            print(exc.name, "|", exc)
        import torch._inductor
        """,
    )
    result = torchless_run("prog.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "torch._inductor | torchless does not implement torch._inductor yet",
        # As torch says it: a module is no package.
        "torch.nn.functional.nothing | No module named 'torch.nn.functional.nothing'; "
        "'torch.nn.functional' is not a package",
    ]
    last = result.stderr.splitlines()[-1]
    assert last == "ModuleNotFoundError: torchless does not implement torch._inductor yet"


def test_missing_attribute_is_a_clear_attribute_error(tmp_path):
    write(
        tmp_path / "prog.py",
        """\
        import torch
        import torch.nn as nn

        assert not hasattr(torch, "surely_not_a_torch_function")
        assert getattr(nn, "SurelyNotAModule", None) is None
        for module, name in [(torch, "surely_not_a_torch_function"), (nn, "SurelyNotAModule")]:
            try:
                getattr(module, name)
            except AttributeError as exc:
                assert isinstance(exc, NotImplementedError)
                print(exc)
        torch.surely_not_a_torch_function(1)
        """,
    )
    result = torchless_run("prog.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "torchless does not implement torch.surely_not_a_torch_function yet",
        "torchless does not implement torch.nn.SurelyNotAModule yet",
    ]
    assert result.stderr.splitlines()[-1].endswith(
        "TorchlessNotImplementedError: torchless does not implement "
        "torch.surely_not_a_torch_function yet"
    )


def test_missing_name_in_from_import_is_named_in_torch_terms(tmp_path):
    write(tmp_path / "prog.py", "from torch.nn import SurelyNotAModule\n")
    result = torchless_run("prog.py", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-2].startswith(
        "ImportError: cannot import name 'SurelyNotAModule' from 'torchless.nn'"
    )
    assert lines[-1] == "torchless does not implement torch.nn.SurelyNotAModule yet"


def _module_with_missing_getattr(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.present = 1
    module.__getattr__ = missing_attribute_getattr(name)
    return module


@pytest.mark.parametrize(
    "module_name, torch_name",
    [
        ("torchless", "torch"),
        ("torchless.nn", "torch.nn"),
        ("torchless.nn.functional", "torch.nn.functional"),
        ("torchless.utils.data", "torch.utils.data"),
    ],
)
def test_missing_attribute_getattr(module_name, torch_name):
    module = _module_with_missing_getattr(module_name)
    assert module.present == 1
    assert not hasattr(module, "absent")
    assert getattr(module, "absent", "default") == "default"
    with pytest.raises(TorchlessNotImplementedError) as info:
        _ = module.absent
    assert str(info.value) == f"torchless does not implement {torch_name}.absent yet"
    assert isinstance(info.value, AttributeError)
    assert isinstance(info.value, NotImplementedError)
    assert info.value.name == "absent"


@pytest.mark.parametrize("dunder", ["__path__", "__file__", "__wrapped__", "__all__"])
def test_missing_dunders_raise_plain_attribute_error(dunder):
    module = _module_with_missing_getattr("torchless.nn.functional")
    assert not hasattr(module, dunder)
    with pytest.raises(AttributeError) as info:
        getattr(module, dunder)
    assert type(info.value) is AttributeError
    assert str(info.value) == f"module 'torchless.nn.functional' has no attribute '{dunder}'"


# -- running like `python program.py` -------------------------------------------------------

SHOW_MAIN = """\
import json, sys
import helper
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "name": __name__,
    "file": __file__,
    "package": __package__,
    "spec": repr(__spec__),
    "loader": type(__loader__).__name__,
    "main": sys.modules["__main__"].__dict__ is globals(),
    "helper": helper.VALUE,
}))
sys.exit(int(sys.argv[1]))
"""


def test_program_sees_what_python_program_py_gives_it(tmp_path):
    write(tmp_path / "sub" / "helper.py", "VALUE = 'from the program folder'\n")
    write(tmp_path / "sub" / "prog.py", SHOW_MAIN)
    args = ["sub/prog.py", "3", "--flag", "two words"]
    expected = python(*args, cwd=tmp_path)
    got = torchless_run(*args, cwd=tmp_path)
    assert expected.returncode == 3, expected.stderr
    assert (got.returncode, got.stdout, got.stderr) == (3, expected.stdout, expected.stderr)


@pytest.mark.parametrize(
    "body",
    [
        "def f():\n    raise ValueError('boom')\n\nf()\n",
        "import sys\nsys.exit('bye')\n",
        "import sys\nsys.exit(0)\n",
        "x = (\n",  # a SyntaxError is reported without a traceback
        "import warnings\nwarnings.warn('careful')\n",
        "raise KeyError('k') from OSError('why')\n",
        # The runner's `from __future__ import annotations` does not leak into the program.
        "def f(x: undefined_name):\n    pass\n",
    ],
)
def test_errors_and_exit_codes_as_under_python(tmp_path, body):
    write(tmp_path / "prog.py", body)
    expected = python("prog.py", cwd=tmp_path)
    got = torchless_run("prog.py", cwd=tmp_path)
    assert (got.returncode, got.stdout, got.stderr) == (
        expected.returncode,
        expected.stdout,
        expected.stderr,
    )


def test_uncaught_error_in_torch_program(tmp_path):
    write(tmp_path / "prog.py", "import torch\n\nraise RuntimeError('from the program')\n")
    result = torchless_run("prog.py", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    # The runner's own frames are left out: the program's line comes first.
    assert lines[1] == f'  File "{tmp_path / "prog.py"}", line 3, in <module>'
    assert lines[-1] == "RuntimeError: from the program"


def test_run_code_string(tmp_path):
    result = torchless_run(
        "-c", "import sys, torch; print(sys.argv, torch.__name__, __name__)", "a", cwd=tmp_path
    )
    assert ok(result) == "['-c', 'a'] torchless __main__\n"


def test_run_module(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "")
    write(
        tmp_path / "pkg" / "__main__.py",
        "import sys, torch\nprint(sys.argv[1:], torch.__name__, __name__)\n",
    )
    assert ok(torchless_run("-m", "pkg", "x", cwd=tmp_path)) == "['x'] torchless __main__\n"
    assert ok(torchless_run("pkg", "y", cwd=tmp_path)) == "['y'] torchless __main__\n"


def test_missing_program_file(tmp_path):
    result = torchless_run("nope.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "can't open file" in result.stderr and "nope.py" in result.stderr


@pytest.mark.parametrize(
    "args, returncode, stream",
    [
        ([], 2, "stderr"),
        (["--help"], 0, "stdout"),
        (["-h"], 0, "stdout"),
        (["run"], 2, "stderr"),
        (["run", "--help"], 0, "stdout"),
        (["frobnicate"], 2, "stderr"),
    ],
)
def test_usage(tmp_path, args, returncode, stream):
    result = python("-m", "torchless", *args, cwd=tmp_path)
    assert result.returncode == returncode
    assert "usage: python -m torchless run program.py [args ...]" in getattr(result, stream)


@pytest.mark.skipif(not HAVE_TORCH, reason="needs the real torch installed")
def test_install_refuses_when_the_real_torch_is_imported(tmp_path):
    result = python(
        "-c",
        "import torch\nfrom torchless import _import_hook\n_import_hook.install()",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "RuntimeError: torch is already imported in this process" in result.stderr
