"""``python -m torchless run program.py [args...]``: run a PyTorch program on torchless.

Every ``import torch``, ``import torch.nn as nn``, ``from torch.utils.data import DataLoader``...
in the program (and in what it imports) is served by torchless through an import hook
(:mod:`torchless._import_hook`); nothing is written or installed under the name ``torch``.
The program runs as ``python program.py [args...]`` would run it: as ``__main__``, with
``sys.argv == ["program.py", *args]``, its folder first on ``sys.path``, and its exceptions
and exit code passed on.
"""

from __future__ import annotations

import builtins
import os
import re
import runpy
import sys
import types
from importlib.machinery import SourceFileLoader

from torchless import _import_hook
from torchless._missing import torch_name

__all__ = ["main", "USAGE"]

USAGE = """\
usage: python -m torchless run program.py [args ...]
       python -m torchless run -c code [args ...]
       python -m torchless run -m module [args ...]

Run an unmodified PyTorch program on torchless: every `import torch` (torch.nn,
torch.nn.functional, torch.optim, torch.utils.data, ...) in it is served by torchless.
The program sees the same sys.argv, sys.path[0], __name__ == "__main__" and exit status
as under `python program.py [args ...]`.

  program.py   a Python file, a folder or a zip file with a __main__.py
  -c code      run the code given as a string (sys.argv[0] is "-c")
  -m module    run a module as a script (as `python -m module`)
  -h, --help   show this message
"""

_PROG = "python -m torchless"


def _usage_error(message: str) -> int:
    print(f"{_PROG}: {message}\n\n{USAGE}", end="", file=sys.stderr)
    return 2


def _run_source_file(path: str) -> None:
    """Run a .py file as ``python path`` does: a fresh ``__main__`` that stays in place."""
    filename = os.path.abspath(path)
    with open(filename, "rb") as f:
        source = f.read()
    # dont_inherit: this module's `from __future__` imports must not leak into the program.
    code = compile(source, filename, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__cached__ = None
    main.__loader__ = SourceFileLoader("__main__", filename)
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _run_code(source: str) -> None:
    """Run a string as ``python -c source`` does."""
    code = compile(source, "<string>", "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _is_runner_frame(filename: str) -> bool:
    runner_files = {os.path.normcase(os.path.abspath(f)) for f in (__file__, runpy.__file__)}
    return os.path.normcase(os.path.abspath(filename)) in runner_files


_CANNOT_IMPORT = re.compile(r"cannot import name '([^']+)' from '(torchless(?:\.[\w.]+)?)'")


def _report(exc: BaseException) -> None:
    """Print an uncaught exception as Python would, without the runner's own frames."""
    # `from torch import fft` fails inside the import system, which words it in torchless's
    # names and drops the message of torchless's __getattr__: say what is missing, in torch's.
    match = _CANNOT_IMPORT.match(str(exc)) if isinstance(exc, ImportError) else None
    note = match and f"torchless does not implement {torch_name(match[2])}.{match[1]} yet"
    if note and hasattr(exc, "add_note"):
        exc.add_note(note)
        note = None
    tb = exc.__traceback__
    while tb is not None and _is_runner_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    # sys.excepthook prints exc.__traceback__, not its tb argument, when exc has one.
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)
    if note:  # Python 3.10 has no exception notes: print it where a note would stand
        print(note, file=sys.stderr)


def _run_module(name: str) -> None:
    """Run a module as ``python -m name`` does."""
    runpy.run_module(name, run_name="__main__", alter_sys=True)


def _run_path(path: str) -> None:
    """Run a folder or zip file with a ``__main__.py`` (runpy puts it first on sys.path)."""
    runpy.run_path(path, run_name="__main__")


def _run(args: list[str]) -> int:
    if not args:
        return _usage_error("run: missing program (a file, -c code or -m module)")
    if args[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if args[0] in ("-c", "-m"):
        if len(args) < 2:
            return _usage_error(f"run: argument expected for the {args[0]} option")
        option, target, rest = args[0], args[1], args[2:]
        # run_module replaces argv[0] with the module's file, as `python -m` does.
        sys.argv = [option, *rest]
        runner = _run_code if option == "-c" else _run_module
    else:
        if args[0] == "--":
            args = args[1:]
            if not args:
                return _usage_error("run: missing program after --")
        target = args[0]
        if not os.path.exists(target):
            print(
                f"{_PROG} run: can't open file {os.path.abspath(target)!r}: "
                "[Errno 2] No such file or directory",
                file=sys.stderr,
            )
            return 2
        sys.argv = list(args)
        runner = _run_path if _is_dir_or_zip(target) else _run_source_file
        if not getattr(sys.flags, "safe_path", False) and sys.path:
            # `python -m torchless` put the working directory first; `python program.py` puts
            # the program's folder there instead (runpy puts a folder or zip there itself).
            del sys.path[0]
            if runner is _run_source_file:
                sys.path.insert(0, os.path.dirname(os.path.abspath(target)))

    _import_hook.install()
    try:
        runner(target)
    except Exception as exc:  # SystemExit and KeyboardInterrupt go on as under python
        _report(exc)
        return 1
    return 0


def _is_dir_or_zip(path: str) -> bool:
    if os.path.isdir(path):
        return True
    import zipfile

    return zipfile.is_zipfile(path)


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (a program's ``sys.exit`` passes through)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        return _usage_error("a command is required")
    if args[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if args[0] == "run":
        return _run(args[1:])
    return _usage_error(f"unknown command {args[0]!r}")


if __name__ == "__main__":
    sys.exit(main())
