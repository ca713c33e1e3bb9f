"""A clear error for the parts of torch that torchless does not implement yet.

Each torchless package module ends with::

    __getattr__ = missing_attribute_getattr(__name__)

so that ``torch.fft`` or ``torch.nn.Transformer`` fails with a message that says what is missing,
in torch's names, instead of ``module 'torchless' has no attribute 'fft'``. The error is an
``AttributeError``, so ``hasattr``, ``getattr(module, name, default)`` and feature checks behave
as they do for any attribute a module lacks; it is also a ``NotImplementedError``, so a program
can catch "not implemented" as such.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn

__all__ = ["TorchlessNotImplementedError", "missing_attribute_getattr", "torch_name"]


class TorchlessNotImplementedError(AttributeError, NotImplementedError):
    """A torch attribute that torchless does not implement (yet).

    It is an ``AttributeError`` first: ``hasattr(torch, "fft")`` is ``False`` and
    ``getattr(torch, "fft", None)`` is ``None``, as for any missing attribute.
    """


def torch_name(module_name: str) -> str:
    """The torch name of a torchless module: ``"torchless.nn"`` -> ``"torch.nn"``."""
    if module_name == "torchless" or module_name.startswith("torchless."):
        return "torch" + module_name[len("torchless") :]
    return module_name


def missing_attribute_getattr(module_name: str) -> Callable[[str], NoReturn]:
    """Make a module-level ``__getattr__`` that reports missing torch attributes clearly.

    Args:
        module_name: the ``__name__`` of the torchless module that uses it.

    Returns:
        A function for the module's ``__getattr__`` (PEP 562). Python only calls it for names the
        module does not define. For a dunder name (``__path__``, ``__wrapped__``...) it raises a
        plain ``AttributeError`` worded as Python words it, since tools probe those on every
        module; for any other name a :class:`TorchlessNotImplementedError` saying
        ``torchless does not implement torch.<module>.<name> yet``.

    Example::

        # at the end of torchless/nn/__init__.py
        __getattr__ = missing_attribute_getattr(__name__)

        # then, in a program: torch.nn.Transformer raises
        # TorchlessNotImplementedError: torchless does not implement torch.nn.Transformer yet
    """
    public_name = torch_name(module_name)

    def __getattr__(name: str) -> NoReturn:
        # obj and name let Python 3.12+ add "Did you mean: ...?" for a misspelt name.
        module = sys.modules.get(module_name)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r}", name=name, obj=module
            )
        raise TorchlessNotImplementedError(
            f"torchless does not implement {public_name}.{name} yet", name=name, obj=module
        )

    __getattr__.__qualname__ = __getattr__.__name__
    __getattr__.__module__ = module_name
    return __getattr__
