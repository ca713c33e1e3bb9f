"""torch's CPU rounding for the in-place pointwise ops that optimizers use, on arrays.

Measured against torch 2.13's CPU kernels (vectorized loops and their scalar tails alike):

- ``self.lerp_(end, w)`` with a scalar weight is one fused multiply-add:
  ``fma(w, end - self, self)`` when ``|w| < 0.5``, else ``fma(w - 1, end - self, end)``;
  ``w`` is first cast to the tensor's dtype.
- ``self.addcmul_(t1, t2, value=v)`` is ``fma(v * t1, t2, self)``: the product ``v * t1``
  rounded, then multiplied by ``t2`` and added with one rounding.
- ``self.addcdiv_(t1, t2, value=v)`` is ``self + (v * t1) / t2``, three roundings.
- ``mul_``, ``div`` by a scalar, ``add_`` of a scalar: one IEEE operation with the scalar
  cast to the tensor's dtype (``scale`` in :mod:`torchless._fma` for ``mul_``); a number
  divided by a tensor is ``reciprocal()`` then a product.

float16 computes in float32 (torch's opmath type) and rounds the result to float16.

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

from .._fma import axpy, fma, scale

__all__ = ["addcdiv_", "addcmul_", "axpy", "lerp_", "scale"]

_f32 = np.float32
_f64 = np.float64


def _cast(dt, v):
    """A Python number as torch's CPU kernels see it: in the computation type of ``dt``
    (float32 for float16)."""
    return _f64(v) if dt == _f64 else _f32(v)


def lerp_(self: np.ndarray, end: np.ndarray, weight: float, xp=np) -> np.ndarray:
    """``self.lerp_(end, weight)`` for a scalar weight, in place."""
    if self.ndim == 0:
        lerp_(self.reshape(1), end.reshape(1), weight, xp)
        return self
    dt = self.dtype
    w = _cast(dt, weight)
    if dt == _f32 or dt == _f64:
        diff = end - self
        if abs(w) < 0.5:
            return fma(diff, w, self, out=self, xp=xp)
        return fma(diff, w - dt.type(1), end, out=self, xp=xp)
    # float16: the whole lerp in float32, rounded to float16 at the end
    s32, e32 = self.astype(_f32), end.astype(_f32)
    diff = e32 - s32
    if abs(w) < 0.5:
        r = fma(diff, w, s32, xp=xp)
    else:
        r = fma(diff, w - _f32(1), e32, xp=xp)
    xp.copyto(self, r, casting="unsafe")
    return self


def addcmul_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1, xp=np):
    """``self.addcmul_(t1, t2, value=value)`` in place."""
    if self.ndim == 0:
        addcmul_(self.reshape(1), t1.reshape(1), t2.reshape(1), value, xp)
        return self
    dt = self.dtype
    v = _cast(dt, value)
    if dt == _f32 or dt == _f64:
        x = t1 if v == 1 else t1 * v
        return fma(x, t2, self, out=self, xp=xp)
    x = t1.astype(_f32) * v
    r = fma(x, t2.astype(_f32), self.astype(_f32), xp=xp)
    xp.copyto(self, r, casting="unsafe")
    return self


def addcdiv_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1, xp=np):
    """``self.addcdiv_(t1, t2, value=value)`` in place."""
    if self.ndim == 0:  # NumPy makes scalars of 0-d results; 0-d views reshape for free
        addcdiv_(self.reshape(1), t1.reshape(1), t2.reshape(1), value, xp)
        return self
    dt = self.dtype
    v = _cast(dt, value)
    if dt == _f32 or dt == _f64:
        x = t1 * v if v != 1 else t1.copy()
        xp.divide(x, t2, out=x)
        xp.add(self, x, out=self)
        return self
    x = t1.astype(_f32) * v
    x /= t2.astype(_f32)
    x += self.astype(_f32)
    xp.copyto(self, x, casting="unsafe")
    return self
