"""Attention: ``scaled_dot_product_attention``, as torch's math backend composes it.

``softmax(q k^T * scale + mask) v`` from matmul, softmax and where, so every gradient (and
every gradient of a gradient) is the one of its parts. The numerics follow torch's
``_scaled_dot_product_attention_math``: ``q`` and ``k^T`` are each scaled by ``sqrt(scale)``
before their product, a boolean mask becomes ``0`` / ``-inf``, rows that mask everything
give zeros rather than nan, and dropout draws torch's bits (``torchless._ops.dropout``).
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import _make
from .activation import softmax
from .dropout import dropout
from .linalg import _dt_name, matmul
from .pointwise import where

__all__: list = []


def _repeat_heads(t, r):
    """``t.repeat_interleave(r, dim=-3)``, from differentiable views."""
    if r == 1:
        return t
    shape = tuple(t.shape)
    lead, h = shape[:-3], shape[-3]
    x = t.unsqueeze(-3).expand(*lead, h, r, *shape[-2:])
    return x.reshape(*lead, h * r, *shape[-2:])


def _safe_softmax(x):
    """softmax along the last dim; a row that is all ``-inf`` gives zeros, not nan."""
    out = softmax(x, -1)
    masked = np.all(x._data == -np.inf, axis=-1, keepdims=True)
    if masked.any():
        out = where(_make(masked), 0.0, out)
    return out


def scaled_dot_product_attention(
    query,
    key,
    value,
    attn_mask=None,
    dropout_p=0.0,
    is_causal=False,
    scale=None,
    enable_gqa=False,
):
    """``softmax(query @ key^T * scale + mask) @ value`` (dropout on the weights).

    Args:
        query: ``(..., L, E)``; key: ``(..., S, E)``; value: ``(..., S, Ev)``.
        attn_mask: boolean (``True`` takes part) or floating (added), broadcast to
            ``(..., L, S)``.
        dropout_p: dropout probability on the attention weights.
        is_causal: a lower-triangular ``(L, S)`` mask (no ``attn_mask`` then).
        scale: defaults to ``1 / sqrt(E)``.
        enable_gqa: key and value heads (dim -3) are repeated to the query's.

    Returns:
        ``(..., L, Ev)``.
    """
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {query.ndim} key.dim: {key.ndim} and value.dim: {value.ndim} instead."
        )
    if not (query.dtype is key.dtype is value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_dt_name(query)} key.dtype: {_dt_name(key)} and value.dtype: "
            f"{_dt_name(value)} instead."
        )
    if attn_mask is not None and not (
        attn_mask.dtype.name == "bool"
        or attn_mask.dtype.is_floating_point
        or attn_mask.dtype is query.dtype
    ):
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
            f"attn_mask.dtype: {_dt_name(attn_mask)} and  query.dtype: {_dt_name(query)} "
            "instead."
        )
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True"
        )
    negative = scale is not None and scale < 0
    s = 1.0 / math.sqrt(query.shape[-1]) if scale is None else abs(scale)
    factor = math.sqrt(s)
    q = query * (0.0 - factor if negative else factor)
    dt = query._data.dtype
    mask = None
    if is_causal:
        L, S = query.shape[-2], key.shape[-2]
        keep = np.tril(np.ones((L, S), dtype=bool))
        mask = _make(np.where(keep, dt.type(0), dt.type(-np.inf)))
    elif attn_mask is not None:
        if attn_mask.dtype.name == "bool":
            mask = _make(np.where(attn_mask._data, dt.type(0), dt.type(-np.inf)))
        else:
            mask = attn_mask
    if enable_gqa and query.ndim >= 3:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hq % hk or hq % hv:
            raise RuntimeError(
                "Number of heads in key and value must divide the number of heads in "
            )
        key, value = _repeat_heads(key, hq // hk), _repeat_heads(value, hq // hv)
    attn = matmul(q, key.transpose(-2, -1) * factor)
    if mask is not None:
        attn = attn + mask
    attn = _safe_softmax(attn)
    if dropout_p > 0.0:
        attn = dropout(attn, dropout_p, True)
    return matmul(attn, value)


# Tensor methods that are this family's functions (self first)
TENSOR_METHODS: dict = {}
