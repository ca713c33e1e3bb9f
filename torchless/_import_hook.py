"""Serve ``import torch`` from torchless, for running unmodified PyTorch programs.

:func:`install` puts a finder at the front of ``sys.meta_path`` that answers for the module
``torch`` with ``torchless`` and for ``torch.X.Y`` with ``torchless.X.Y``. The answer is the
torchless module object itself, so after ``import torch.nn as nn``, ``sys.modules["torch.nn"]
is sys.modules["torchless.nn"]`` and ``nn.Linear is torchless.nn.Linear``. Nothing is written to
disk and nothing is installed under the name ``torch``; the real torch, if it is installed, is
never imported while the hook is in place.

A torch submodule that torchless lacks fails at import time with
``ModuleNotFoundError: torchless does not implement torch.distributions yet``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType

from torchless._missing import torch_name

__all__ = ["TorchAliasFinder", "install", "uninstall", "is_installed"]

_TORCH = "torch"
_TORCHLESS = "torchless"


def _torchless_name(fullname: str) -> str | None:
    """``"torch.nn"`` -> ``"torchless.nn"``; ``None`` for a name outside torch."""
    if fullname == _TORCH or fullname.startswith(_TORCH + "."):
        return _TORCHLESS + fullname[len(_TORCH) :]
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system an already imported torchless module under a torch name."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self._spec = module.__spec__

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return self._module

    def exec_module(self, module: ModuleType) -> None:
        # The import system has just set module.__spec__ to the alias spec (it always does);
        # put torchless's own spec back, so that the module keeps its name, relative imports
        # inside torchless keep working, and __package__ agrees with __spec__.parent.
        module.__spec__ = self._spec


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` finder that maps ``torch`` and ``torch.*`` onto ``torchless``."""

    def find_spec(
        self,
        fullname: str,
        path: object = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        real_name = _torchless_name(fullname)
        if real_name is None:
            return None
        try:
            module = importlib.import_module(real_name)
        except ModuleNotFoundError as exc:
            # Only a torchless module that is missing becomes "not implemented"; a module that
            # exists but fails to import one of its own dependencies keeps its error.
            missing = exc.name
            if missing is not None and (
                real_name == missing or real_name.startswith(missing + ".")
            ):
                raise ModuleNotFoundError(
                    f"torchless does not implement {torch_name(missing)} yet",
                    name=torch_name(missing),
                ) from None
            raise
        return importlib.util.spec_from_loader(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__")
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: torch -> torchless>"


def is_installed() -> bool:
    """Whether the torch -> torchless finder is on ``sys.meta_path``."""
    return any(isinstance(finder, TorchAliasFinder) for finder in sys.meta_path)


def install() -> None:
    """Serve every later ``import torch...`` from torchless (idempotent).

    Raises:
        RuntimeError: the real torch is already imported in this process; the two cannot share
            the name, so install the hook before anything imports torch.
    """
    if is_installed():
        return
    imported = sys.modules.get(_TORCH)
    if imported is not None and getattr(imported, "__name__", None) != _TORCHLESS:
        raise RuntimeError(
            "torch is already imported in this process; install the torchless import hook "
            "before anything imports torch"
        )
    sys.meta_path.insert(0, TorchAliasFinder())


def uninstall() -> None:
    """Remove the finder and forget the ``torch`` aliases it made in ``sys.modules``.

    The torchless modules themselves stay imported under their own names.
    """
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, TorchAliasFinder)]
    for name in [n for n in sys.modules if _torchless_name(n) is not None]:
        module = sys.modules[name]
        if module is None or getattr(module, "__name__", "").startswith(_TORCHLESS):
            del sys.modules[name]
