"""``torchless.nn``: modules, parameters, losses, ``functional`` and ``init``."""

from .._missing import missing_attribute_getattr
from . import functional, init, utils
from .modules import *  # noqa: F403  (every module class; the list is modules.__all__)
from .modules import __all__ as _module_names
from .parameter import Buffer, Parameter, UninitializedParameter

__all__ = [*_module_names, "Buffer", "Parameter", "UninitializedParameter"]
__all__ += ["functional", "init", "utils"]

__getattr__ = missing_attribute_getattr(__name__)
