"""The in-place pointwise ops the optimizers' updates are written with, on arrays.

``lerp_(exp_avg, g, 1 - beta1, xp)`` is torch's ``exp_avg.lerp_(g, 1 - beta1)``, and so on:
each writes into its first array the result of :mod:`torchless._fma`'s kernel, which rounds
as torch's CPU kernel does (the Tensor ops ``torch.lerp``... run the same kernels). The
other operations of an update are single IEEE operations with the scalar cast to the
array's dtype (``scale`` for ``mul_``, ``axpy`` for ``add_(x, alpha=a)``); a number divided
by a tensor is ``reciprocal()`` then a product.

The one op the optimizers use whose result torch does not round correctly is
``Tensor.sqrt``: torch's CPU build calls MKL's vector math for tensors of two or more
elements, within 1 ulp (about a sixth of float32 results differ from the correctly rounded
one, a pure function of the input, machine dependent). NumPy's square root is correctly
rounded, so optimizers dividing by a square root (Adam, AdamW, NAdam, RAdam, RMSprop,
Adagrad, Adadelta) match torch to about an ulp per step rather than bit for bit; with
torch's square root substituted they match bit for bit (``tests/test_optimizers.py``).
"""

from __future__ import annotations

import numpy as np

from .. import _fma
from .._fma import axpy, scale

__all__ = ["addcdiv_", "addcmul_", "axpy", "lerp_", "scale"]


def lerp_(self: np.ndarray, end: np.ndarray, weight: float, xp=np) -> np.ndarray:
    """``self.lerp_(end, weight)`` for a scalar weight, in place."""
    if self.ndim == 0:  # NumPy makes scalars of 0-d results; 0-d views reshape for free
        lerp_(self.reshape(1), end.reshape(1), weight, xp)
        return self
    return _fma.lerp(self, end, weight, out=self, xp=xp)


def addcmul_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1, xp=np):
    """``self.addcmul_(t1, t2, value=value)`` in place."""
    if self.ndim == 0:
        addcmul_(self.reshape(1), t1.reshape(1), t2.reshape(1), value, xp)
        return self
    return _fma.addcmul(self, t1, t2, value, out=self, xp=xp)


def addcdiv_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1, xp=np):
    """``self.addcdiv_(t1, t2, value=value)`` in place."""
    if self.ndim == 0:
        addcdiv_(self.reshape(1), t1.reshape(1), t2.reshape(1), value, xp)
        return self
    return _fma.addcdiv(self, t1, t2, value, out=self, xp=xp)
