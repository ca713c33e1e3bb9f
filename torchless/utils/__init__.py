"""torchless.utils"""

from .._missing import missing_attribute_getattr
from . import data, dlpack

__getattr__ = missing_attribute_getattr(__name__)
