"""``torchless.nn.functional``: the stateless functions behind the layers.

The ops themselves live with the Tensor core (``torchless._ops.nn``); this
module gives them their torch names.
"""

from __future__ import annotations

from .._missing import missing_attribute_getattr
from .._ops.nn import linear, mse_loss

__all__ = ["linear", "mse_loss"]

__getattr__ = missing_attribute_getattr(__name__)
