"""``torchless.nn``: modules, parameters, losses, ``functional`` and ``init``."""

from .._missing import missing_attribute_getattr
from . import functional, init
from .modules import Identity, Linear, Module, MSELoss
from .parameter import Buffer, Parameter

__all__ = [
    "Buffer",
    "Identity",
    "Linear",
    "MSELoss",
    "Module",
    "Parameter",
    "functional",
    "init",
]

__getattr__ = missing_attribute_getattr(__name__)
