"""The layers of ``torchless.nn``, one file per family as in torch."""

from .linear import Identity, Linear
from .loss import MSELoss
from .module import Module

__all__ = ["Identity", "Linear", "MSELoss", "Module"]
