"""Multi-head attention: ``multi_head_attention_forward`` and the mask helpers
behind ``nn.MultiheadAttention`` and the Transformer layers.

The steps, checks and error messages are torch's
(``torch.nn.functional.multi_head_attention_forward``): shape checks, masks made
canonical (a bool mask becomes ``0``/``-inf`` in the query's dtype), the packed
or separate in-projection, ``bias_k``/``bias_v`` and ``add_zero_attn``, the key
padding mask merged into the attention mask, then attention over all heads at
once and the out-projection.

Heads are never looped over: q, k and v are laid out ``(N, heads, L, head_dim)``
(views of the projections where the layout allows) and one batched matmul
serves every head. With ``need_weights=True`` the weights come from an explicit
softmax (a fully masked row gives NaN, as in torch); with ``need_weights=False``
torch runs ``scaled_dot_product_attention``, whose softmax gives a fully masked
row zero weights. So does this module: through ``attention.py``'s
``scaled_dot_product_attention``, or, when some row is fully masked, its own
composition, which also keeps those rows' gradients zero rather than NaN.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtype as D
from .._device import get_array_module
from .._tensor import Tensor, _make
from .activation import softmax
from .dropout import dropout as _dropout
from .linalg import matmul
from .nn import linear
from .shape import cat, unbind

__all__ = ["multi_head_attention_forward"]


_float32 = D.float32
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half"}


def _c_name(t: Tensor) -> str:
    """The C++ name of a tensor's dtype, as torch's kernels print it."""
    return _C_NAMES.get(t.dtype.name, "c10::BFloat16")


def _none_or_dtype(input):
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A bool mask as a float mask (``-inf`` where True, else 0) in ``target_type``;
    a float mask as it is; anything else is an error."""
    if mask is None:
        return None
    is_float = mask.dtype.is_floating_point
    if mask.dtype.name != "bool" and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype is not other_type:
        warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} "
            "is deprecated. Use same type for both instead.",
            stacklevel=2,
        )
    if not is_float:
        a = mask._data
        ft = target_type.np
        mask = _make(np.where(a, ft.type(-np.inf), ft.type(0)).astype(ft, copy=False))
    return mask


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads) -> bool:
    """torch's checks of the input dims; whether the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                f" but found {attn_mask.dim()}-D tensor instead"
            )
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                    f" but found {attn_mask.dim()}-D tensor instead"
                )
            if attn_mask.dim() == 3:
                expected_shape = (num_heads, query.shape[0], key.shape[0])
                if attn_mask.shape != expected_shape:
                    raise AssertionError(
                        f"Expected `attn_mask` shape to be {expected_shape} but got "
                        f"{attn_mask.shape}"
                    )
        return False
    raise AssertionError(
        "query should be unbatched 2D or batched 3D tensor but received "
        f"{query.dim()}-D query tensor"
    )


def _heads(x: Tensor, num_heads: int) -> Tensor:
    """``(L, N, E)`` as ``(N, heads, L, head_dim)``: a view, no copy."""
    L, N, E = x.shape
    return x.view(L, N, num_heads, E // num_heads).permute(1, 2, 0, 3)


def _split(t: Tensor, sizes) -> list:
    """``t.split(sizes)`` along dim 0 (narrowed views)."""
    out, start = [], 0
    for s in sizes:
        out.append(t.narrow(0, start, s))
        start += s
    return out


def _in_projection_packed(q, k, v, w, b, num_heads):
    """The in-projection with the weights packed ``(3E, E)`` in q, k, v order; the
    results already split into heads. Self-attention runs one matmul for all three,
    encoder-decoder attention one for q and one for k and v."""
    E = q.size(-1)
    if k is v:
        if q is k:
            proj = linear(q, w, b)  # (L, N, 3E)
            L, N, _ = proj.shape
            # (3, N, heads, L, head_dim): views of the one projection
            return unbind(proj.view(L, N, 3, num_heads, E // num_heads).permute(2, 1, 3, 0, 4))
        w_q, w_kv = _split(w, (E, 2 * E))
        b_q, b_kv = (None, None) if b is None else _split(b, (E, 2 * E))
        q_proj = _heads(linear(q, w_q, b_q), num_heads)
        kv = linear(k, w_kv, b_kv)
        S, N, _ = kv.shape
        k_proj, v_proj = unbind(kv.view(S, N, 2, num_heads, E // num_heads).permute(2, 1, 3, 0, 4))
        return q_proj, k_proj, v_proj
    w_q, w_k, w_v = _split(w, (E, E, E))
    b_q = b_k = b_v = None
    if b is not None:
        b_q, b_k, b_v = _split(b, (E, E, E))
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    """The in-projection with separate weights (``kdim``/``vdim`` may differ)."""
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    if w_q.shape != (Eq, Eq):
        raise AssertionError(f"expecting query weights shape of {(Eq, Eq)}, but got {w_q.shape}")
    if w_k.shape != (Eq, Ek):
        raise AssertionError(f"expecting key weights shape of {(Eq, Ek)}, but got {w_k.shape}")
    if w_v.shape != (Eq, Ev):
        raise AssertionError(f"expecting value weights shape of {(Eq, Ev)}, but got {w_v.shape}")
    if b_q is not None and b_q.shape != (Eq,):
        raise AssertionError(f"expecting query bias shape of {(Eq,)}, but got {b_q.shape}")
    if b_k is not None and b_k.shape != (Eq,):
        raise AssertionError(f"expecting key bias shape of {(Eq,)}, but got {b_k.shape}")
    if b_v is not None and b_v.shape != (Eq,):
        raise AssertionError(f"expecting value bias shape of {(Eq,)}, but got {b_v.shape}")
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _pad_last(mask: Tensor) -> Tensor:
    """``F.pad(mask, (0, 1))``: one zero column more."""
    from .padding import pad

    return pad(mask, (0, 1))


def _sdpa():
    """``scaled_dot_product_attention`` from the attention family, when it has it."""
    from . import attention

    return getattr(attention, "scaled_dot_product_attention", None)


def _dead_rows(mask: Tensor):
    """Where every key of a query is masked (``-inf``): a bool array, the mask's shape
    with a last dim of 1."""
    return np.isneginf(mask._data).all(axis=-1, keepdims=True)


def _attention(q, k, v, mask, dropout_p, is_causal, safe):
    """Attention over every head at once: ``softmax(q k^T / sqrt(d) + mask) v``.

    q, k, v are ``(N, heads, L|S, head_dim)``; ``mask`` is None or a float tensor that
    broadcasts to ``(N, heads, L, S)``. With ``safe``, a row whose keys are all masked
    gets zero weights (``scaled_dot_product_attention``); otherwise it gives NaN.
    Returns the output ``(N, heads, L, head_dim)`` and the weights ``(N, heads, L, S)``.
    """
    L, S = q.shape[-2], k.shape[-2]
    if is_causal:
        dt = q.dtype.np
        xp = get_array_module(q._data)
        causal = xp.where(xp.tril(xp.ones((L, S), bool)), dt.type(0), dt.type(-np.inf))
        mask = _make(causal) if mask is None else mask + _make(causal)
    keep = None
    if safe and mask is not None:
        dead = _dead_rows(mask)
        if dead.any():
            from .pointwise import where

            mask = where(_make(dead), 0.0, mask)
            keep = _make((~dead).astype(q.dtype.np))
    scores = matmul(q * math.sqrt(1.0 / float(q.shape[-1])), k.transpose(-2, -1))
    if mask is not None:
        scores = scores + mask
    w = softmax(scores, -1)
    if keep is not None:
        w = w * keep
    if dropout_p > 0.0:
        w = _dropout(w, dropout_p)
    return matmul(w, v), w


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
    _safe: bool = True,
) -> tuple[Tensor, Tensor | None]:
    r"""Multi-head attention: project query, key and value, attend in each head,
    concatenate the heads and project out.

    Args:
        query, key, value: ``(L, N, E)``, ``(S, N, E_k)``, ``(S, N, E_v)`` (or without
            the batch dim ``N``).
        embed_dim_to_check: the model dim ``E``; the query's last dim must equal it.
        num_heads: the number of heads (divides ``E``).
        in_proj_weight, in_proj_bias: packed ``(3E, E)`` and ``(3E,)`` projections.
        bias_k, bias_v: ``(1, 1, E)`` biases appended to the key and value sequences.
        add_zero_attn: append a zero key and value to each head.
        dropout_p: dropout on the attention weights (in ``training`` only).
        out_proj_weight, out_proj_bias: the output projection.
        key_padding_mask: ``(N, S)``; True (or ``-inf``) marks keys to ignore.
        need_weights: also return the attention weights.
        attn_mask: ``(L, S)`` or ``(N * num_heads, L, S)``, bool or float (added).
        use_separate_proj_weight: use ``q/k/v_proj_weight`` instead of the packed weight.
        static_k, static_v: ``(N * num_heads, S, E / num_heads)`` keys and values to use
            instead of the projected ones.
        average_attn_weights: average the returned weights over heads.
        is_causal: a hint that ``attn_mask`` is the causal mask.

    Returns:
        ``(attn_output, attn_output_weights)``: ``(L, N, E)`` and ``(N, L, S)`` (or
        ``(N, num_heads, L, S)`` unaveraged; ``None`` unless ``need_weights``).
    """
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query = query.unsqueeze(1)
        key = key.unsqueeze(1)
        value = value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)

    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]

    key_padding_mask = _canonical_mask(
        key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask", query.dtype
    )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. "
            "You may use the Transformer module method "
            "`generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        # scaled_dot_product_attention applies the causal mask itself
        attn_mask = None
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)
        if key_padding_mask is not None:
            is_causal = False  # the merged mask is no longer causal

    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")

    # in-projection; packed self/encoder-decoder attention comes back split into heads
    split = False
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias, num_heads)
        split = key is value
    else:
        if q_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but q_proj_weight is None")
        if k_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but k_proj_weight is None")
        if v_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but v_proj_weight is None")
        b_q = b_k = b_v = None
        if in_proj_bias is not None:
            b_q, b_k, b_v = _split(in_proj_bias, (embed_dim,) * 3)
        q, k, v = _in_projection(
            query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v
        )

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            correct_2d_size = (tgt_len, src_len)
            if attn_mask.shape != correct_2d_size:
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                    f"{correct_2d_size}."
                )
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            correct_3d_size = (bsz * num_heads, tgt_len, src_len)
            if attn_mask.shape != correct_3d_size:
                raise RuntimeError(
                    f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                    f"{correct_3d_size}."
                )
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        if split:  # back to (S, N, E) to append along the sequence
            k = k.permute(2, 0, 1, 3).reshape(src_len, bsz, embed_dim)
            v = v.permute(2, 0, 1, 3).reshape(src_len, bsz, embed_dim)
            split = False
        k = cat([k, bias_k.expand(1, bsz, embed_dim)])
        v = cat([v, bias_v.expand(1, bsz, embed_dim)])
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    else:
        if bias_k is not None:
            raise AssertionError("bias_k is set but bias_v is None")
        if bias_v is not None:
            raise AssertionError("bias_v is set but bias_k is None")

    # (N, heads, L, head_dim) from here on
    if q.dim() == 3:
        q = _heads(q, num_heads)
    if static_k is None:
        if not split:
            k = _heads(k, num_heads)
    else:
        if static_k.size(0) != bsz * num_heads:
            raise AssertionError(
                f"expecting static_k.size(0) of {bsz * num_heads}, but got {static_k.size(0)}"
            )
        if static_k.size(2) != head_dim:
            raise AssertionError(
                f"expecting static_k.size(2) of {head_dim}, but got {static_k.size(2)}"
            )
        k = static_k.view(bsz, num_heads, static_k.shape[1], head_dim)
    if static_v is None:
        if not split:
            v = _heads(v, num_heads)
    else:
        if static_v.size(0) != bsz * num_heads:
            raise AssertionError(
                f"expecting static_v.size(0) of {bsz * num_heads}, but got {static_v.size(0)}"
            )
        if static_v.size(2) != head_dim:
            raise AssertionError(
                f"expecting static_v.size(2) of {head_dim}, but got {static_v.size(2)}"
            )
        v = static_v.view(bsz, num_heads, static_v.shape[1], head_dim)

    if add_zero_attn:
        from .creation import zeros

        k = cat([k, zeros((bsz, num_heads, 1, head_dim), dtype=k.dtype)], dim=2)
        v = cat([v, zeros((bsz, num_heads, 1, head_dim), dtype=v.dtype)], dim=2)
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)

    src_len = k.size(2)
    # the masks, broadcastable to (N, heads, L, S)
    if attn_mask is not None:
        if attn_mask.size(0) == 1:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, tgt_len, src_len)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(
                f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                f"{key_padding_mask.shape[0]}"
            )
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(
                f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                f"{key_padding_mask.shape[1]}"
            )
        kpm = key_padding_mask.view(bsz, 1, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm

    if not training:
        dropout_p = 0.0

    if need_weights:
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None and attn_mask.dtype is not q.dtype:  # torch's baddbmm
            raise RuntimeError(
                f"Input dtypes must be the same, got: input {_c_name(attn_mask)}, batch1: "
                f"{_c_name(q)}, batch2: {_c_name(k)}"
            )
        out, weights = _attention(q, k, v, attn_mask, dropout_p, False, False)
    else:
        if attn_mask is not None and attn_mask.dtype not in (q.dtype, _float32):
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                f"attn_mask.dtype: {_c_name(attn_mask)} and  query.dtype: {_c_name(q)} instead."
            )
        sdpa = _sdpa() if _safe else None
        if sdpa is not None and attn_mask is not None and _dead_rows(attn_mask).any():
            sdpa = None  # rows with every key masked: zeros here, and zero gradients
        if sdpa is not None:
            out, weights = sdpa(q, k, v, attn_mask, dropout_p, is_causal), None
        else:
            out, weights = _attention(q, k, v, attn_mask, dropout_p, is_causal, _safe)
    # (N, heads, L, head_dim) -> (L * N, E)
    out = out.permute(2, 0, 1, 3).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.size(1))
    if not need_weights:
        if not is_batched:
            out = out.squeeze(1)
        return out, None
    weights = weights.view(bsz, num_heads, tgt_len, src_len)
    if average_attn_weights:
        weights = weights.mean(dim=1)
    if not is_batched:
        out = out.squeeze(1)
        weights = weights.squeeze(0)
    return out, weights
