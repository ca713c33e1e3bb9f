"""``torchless.optim``: optimizers that update parameters from their gradients."""

from .._missing import missing_attribute_getattr
from . import optimizer, sgd
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Optimizer", "optimizer", "sgd"]

__getattr__ = missing_attribute_getattr(__name__)
