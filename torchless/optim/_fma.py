"""The optimizers' fused multiply-adds live in :mod:`torchless._fma`; re-exported here."""

from .._fma import _fma32 as _fma32
from .._fma import _fma64 as _fma64
from .._fma import axpy, scale

__all__ = ["axpy", "scale"]
