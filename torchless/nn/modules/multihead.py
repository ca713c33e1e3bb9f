"""``nn.MultiheadAttention`` (in torch it lives in ``activation.py``) and the
``NonDynamicallyQuantizableLinear`` that is its output projection."""

from __future__ import annotations

from ..._ops import mha as _mha
from ..._tensor import Tensor
from ...autograd.grad_mode import _state as _grad_state
from .. import init
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear`` that torch's quantization leaves alone; in every other way a
    ``Linear`` (it is the output projection of :class:`MultiheadAttention`)."""

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__(in_features, out_features, bias=bias, device=device, dtype=dtype)


class MultiheadAttention(Module):
    r"""Attend to information from several representation subspaces at once:

    .. math::
        \text{MultiHead}(Q, K, V) = \text{Concat}(\text{head}_1, \dots, \text{head}_h) W^O,
        \quad \text{head}_i = \text{Attention}(Q W_i^Q, K W_i^K, V W_i^V)

    with :math:`\text{Attention}(q, k, v) = \text{softmax}(q k^T / \sqrt{d}) v`.

    Args:
        embed_dim: the model dim ``E``; split across the heads.
        num_heads: the number of heads (must divide ``embed_dim``).
        dropout: dropout on the attention weights (default ``0.0``).
        bias: add biases to the in- and out-projections (default ``True``).
        add_bias_kv: append learned biases to the key and value sequences.
        add_zero_attn: append a zero key and value to each head.
        kdim, vdim: the key and value feature dims (default ``embed_dim``); when they
            differ from it, q, k and v get separate projection weights.
        batch_first: inputs and outputs are ``(N, L, E)`` instead of ``(L, N, E)``.

    Attributes:
        in_proj_weight: ``(3E, E)``, the packed q, k, v projections (Xavier uniform),
            or ``q_proj_weight``/``k_proj_weight``/``v_proj_weight`` when kdim/vdim differ.
        in_proj_bias: ``(3E,)``, zeros.
        out_proj: the output projection, a ``Linear(E, E)`` with a zero bias.

    Example::

        >>> mha = nn.MultiheadAttention(16, 4, batch_first=True)
        >>> x = torch.randn(2, 5, 16)
        >>> out, weights = mha(x, x, x)
        >>> out.shape, weights.shape
        (torch.Size([2, 5, 16]), torch.Size([2, 5, 5]))
    """

    __constants__ = ["batch_first"]
    bias_k: Tensor | None
    bias_v: Tensor | None

    def __init__(
        self,
        embed_dim,
        num_heads,
        dropout=0.0,
        bias=True,
        add_bias_kv=False,
        add_zero_attn=False,
        kdim=None,
        vdim=None,
        batch_first=False,
        device=None,
        dtype=None,
    ) -> None:
        from ... import empty

        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0,"
                f" got embed_dim={embed_dim} and num_heads={num_heads} instead"
            )
        fk = {"device": device, "dtype": dtype}
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim

        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")

        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(empty((embed_dim, embed_dim), **fk))
            self.k_proj_weight = Parameter(empty((embed_dim, self.kdim), **fk))
            self.v_proj_weight = Parameter(empty((embed_dim, self.vdim), **fk))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(empty((3 * embed_dim, embed_dim), **fk))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)

        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, **fk))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **fk)

        if add_bias_kv:
            self.bias_k = Parameter(empty((1, 1, embed_dim), **fk))
            self.bias_v = Parameter(empty((1, 1, embed_dim), **fk))
        else:
            self.bias_k = self.bias_v = None

        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def __setstate__(self, state):
        # checkpoints of torch 1.1 lack this attribute
        if "_qkv_same_embed_dim" not in state:
            state["_qkv_same_embed_dim"] = True
        super().__setstate__(state)

    def _fast_path(self, query, key, value, attn_mask, key_padding_mask) -> bool:
        """Whether torch would run its fused inference kernel here. Its values are
        the same except that a query whose keys are all masked gives NaN instead
        of zeros when ``need_weights=False``."""
        if (attn_mask is not None and attn_mask.dtype.is_floating_point) or (
            key_padding_mask is not None and key_padding_mask.dtype.is_floating_point
        ):
            return False
        if query.dim() != 3 or query is not key or key is not value:
            return False
        w, b = self.in_proj_weight, self.in_proj_bias
        if w is None or (b is not None and query.dtype is not b.dtype):
            return False
        if query.dtype is not w.dtype or self.training or self.num_heads % 2:
            return False
        if not self.batch_first or self.bias_k is not None or self.bias_v is not None:
            return False
        if self.add_zero_attn or b is None:
            return False
        if _grad_state.enabled:
            args = (query, w, b, self.out_proj.weight, self.out_proj.bias)
            if any(t is not None and t.requires_grad for t in args):
                return False
        return True

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        r"""Attend from ``query`` to ``key``/``value``.

        Args:
            query: ``(L, N, E)`` (``(N, L, E)`` with ``batch_first``) or unbatched ``(L, E)``.
            key, value: ``(S, N, kdim)`` and ``(S, N, vdim)``, likewise.
            key_padding_mask: ``(N, S)`` (``(S,)`` unbatched): True, or a float added to
                the scores, for keys to ignore.
            need_weights: also return the attention weights.
            attn_mask: ``(L, S)`` or ``(N * num_heads, L, S)``; True where a query may not
                attend, or floats added to the scores.
            average_attn_weights: average the returned weights over the heads.
            is_causal: a hint that ``attn_mask`` is the causal mask.

        Returns:
            ``(attn_output, attn_output_weights)``: the output shaped like ``query``, and
            the weights ``(N, L, S)`` (``(N, num_heads, L, S)`` when not averaged), or
            ``None`` when ``need_weights`` is False.
        """
        safe = not self._fast_path(query, key, value, attn_mask, key_padding_mask)
        is_batched = query.dim() == 3
        key_padding_mask = _mha._canonical_mask(
            key_padding_mask,
            "key_padding_mask",
            _mha._none_or_dtype(attn_mask),
            "attn_mask",
            query.dtype,
        )
        attn_mask = _mha._canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, False)

        if self.batch_first and is_batched:
            # keep `query is key is value` true for the projection
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))

        sep = not self._qkv_same_embed_dim
        attn_output, attn_output_weights = _mha.multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=sep,
            q_proj_weight=self.q_proj_weight if sep else None,
            k_proj_weight=self.k_proj_weight if sep else None,
            v_proj_weight=self.v_proj_weight if sep else None,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
            _safe=safe,
        )
        if self.batch_first and is_batched:
            return attn_output.transpose(1, 0), attn_output_weights
        return attn_output, attn_output_weights

    def merge_masks(
        self, attn_mask: Tensor | None, key_padding_mask: Tensor | None, query: Tensor
    ) -> tuple[Tensor | None, int | None]:
        """Combine an ``(L, L)`` or ``(N * heads, L, L)`` attention mask (type 0) and an
        ``(N, L)`` key padding mask (type 1) for torch's fused kernel: one of them as
        it is, or both expanded to ``(N, heads, L, L)`` and added (type 2)."""
        mask_type = None
        merged_mask = None
        if key_padding_mask is not None:
            mask_type = 1
            merged_mask = key_padding_mask
        if attn_mask is not None:
            batch_size, seq_len, _ = query.shape
            mask_type = 2
            if attn_mask.dim() == 3:
                attn_mask_expanded = attn_mask.view(batch_size, -1, seq_len, seq_len)
            else:
                attn_mask_expanded = attn_mask.view(1, 1, seq_len, seq_len).expand(
                    batch_size, self.num_heads, -1, -1
                )
            merged_mask = attn_mask_expanded
            if key_padding_mask is not None:
                key_padding_mask_expanded = key_padding_mask.view(
                    batch_size, 1, 1, seq_len
                ).expand(-1, self.num_heads, -1, -1)
                merged_mask = attn_mask_expanded + key_padding_mask_expanded
        return merged_mask, mask_type
