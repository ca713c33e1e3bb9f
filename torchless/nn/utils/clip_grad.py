"""Gradient clipping: by the total norm of all gradients, or elementwise by value.

``clip_grad_norm_`` computes, as torch does, each gradient's norm, then the norm of those
norms, then scales every gradient by ``min(1, max_norm / (total_norm + 1e-6))``.
"""

from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Iterable

import numpy as np

from ..._tensor import Tensor, _make
from ...autograd.grad_mode import no_grad
from ...optim._utils import array_module

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_"]

_tensor_or_tensors = Tensor | Iterable[Tensor]


def _no_grad(func):
    """Run ``func`` with grad mode off, keeping its name and docstring."""

    @functools.wraps(func)
    def _no_grad_wrapper(*args, **kwargs):
        with no_grad():
            return func(*args, **kwargs)

    return _no_grad_wrapper


def _vector_norm(arr, ord: float, xp):
    """``torch.linalg.vector_norm(arr, ord)`` as a 0-d array of ``arr``'s dtype.

    Sums of float16 and float32 values accumulate in float64 and round once: the result is
    within an ulp or so of torch's (whose CPU kernel sums in 16 float32 lanes).
    """
    dt = arr.dtype
    a = xp.abs(arr.reshape(-1))
    acc = a.astype(np.float64) if dt != np.float64 else a
    if ord == 2.0:
        r = xp.sqrt(xp.dot(acc, acc)) if a.size else 0.0
    elif ord == float("inf"):
        r = a.max() if a.size else 0.0
    elif ord == float("-inf"):
        r = a.min() if a.size else float("inf")
    elif ord == 0.0:
        r = float(xp.count_nonzero(a))
    elif ord == 1.0:
        r = acc.sum()
    else:
        r = (acc**ord).sum() ** (1.0 / ord)
    return xp.asarray(r).astype(dt)


@_no_grad
def _get_total_norm(
    tensors: _tensor_or_tensors,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The norm of the norms of ``tensors`` (``torch.nn.utils.get_total_norm``).

    Args:
        tensors: a tensor or tensors (usually gradients).
        norm_type: the order of the norm; ``inf`` for the largest absolute value.
        error_if_nonfinite: raise when the total norm is NaN or infinite.
        foreach: accepted for compatibility.

    Returns:
        The total norm, a 0-d tensor (``tensor(0.)`` for no tensors).
    """
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    else:
        tensors = list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return _make(np.array(0.0, dtype=np.float32))
    first = tensors[0]._data
    xp = array_module(first)
    norms = [_vector_norm(t._data, norm_type, array_module(t._data)) for t in tensors]
    # torch.stack promotes the norms to one dtype
    stacked = xp.stack([xp.asarray(n) for n in norms])
    total = _vector_norm(stacked, norm_type, xp)
    total_norm = _make(total)
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return total_norm


@_no_grad
def _clip_grads_with_norm_(
    parameters: _tensor_or_tensors,
    max_norm: float,
    total_norm: Tensor,
    foreach: bool | None = None,
) -> None:
    """Scale the gradients of ``parameters`` by ``min(1, max_norm / (total_norm + 1e-6))``
    (``torch.nn.utils.clip_grads_with_norm_``), in place.

    Args:
        parameters: a tensor or tensors whose ``.grad`` are scaled.
        max_norm: the largest norm allowed.
        total_norm: the norm to scale from (see :func:`get_total_norm`).
        foreach: accepted for compatibility.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if len(grads) == 0:
        return
    tn = total_norm._data
    xp = array_module(tn)
    # as torch: (total_norm + 1e-6) in its dtype, max_norm / x as a reciprocal then a
    # product, clamped to 1
    denom = tn + tn.dtype.type(1e-6)
    clip_coef = xp.reciprocal(denom) * tn.dtype.type(max_norm)
    clip_coef = xp.minimum(clip_coef, tn.dtype.type(1.0))
    for g in grads:
        d = g._data
        if d.ndim == 0:  # write through a 1-element view: NumPy makes scalars of 0-d results
            d = d.reshape(1)
        # a 0-d coefficient takes the gradient's dtype
        xp.multiply(d, clip_coef.astype(d.dtype), out=d)
        g._bump()


@_no_grad
def clip_grad_norm_(
    parameters: _tensor_or_tensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale the gradients of ``parameters`` so that their total norm is at most
    ``max_norm`` (``torch.nn.utils.clip_grad_norm_``), in place.

    Args:
        parameters: a tensor or tensors whose gradients are clipped.
        max_norm: the largest total norm.
        norm_type: the order of the norm (default 2; ``inf`` for the largest absolute
            value).
        error_if_nonfinite: raise a RuntimeError when the total norm is NaN or infinite.
        foreach: accepted for compatibility.

    Returns:
        The total norm of the gradients before clipping (a 0-d tensor).

    Example::

        >>> loss.backward()
        >>> torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        >>> optimizer.step()
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=3,
            )
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = _get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    _clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(
    parameters: _tensor_or_tensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Deprecated: :func:`clip_grad_norm_` (``torch.nn.utils.clip_grad_norm``)."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@_no_grad
def clip_grad_value_(
    parameters: _tensor_or_tensors, clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient of ``parameters`` to ``[-clip_value, clip_value]``
    (``torch.nn.utils.clip_grad_value_``), in place.

    Args:
        parameters: a tensor or tensors whose gradients are clamped.
        clip_value: the largest absolute value.
        foreach: accepted for compatibility.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    for p in parameters:
        g = p.grad
        if g is None:
            continue
        d = g._data
        lo, hi = d.dtype.type(-clip_value), d.dtype.type(clip_value)
        if d.ndim == 0:
            d = d.reshape(1)
        array_module(d).clip(d, lo, hi, out=d)
        g._bump()
