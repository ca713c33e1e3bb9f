"""The Transformer of "Attention Is All You Need": encoder and decoder layers,
their stacks, and ``nn.Transformer`` that joins them.

Construction, initialisation, masks, ``norm_first``, activations and errors are
torch's. Where torch would take its fused inference path (evaluation, no
gradient needed, ``batch_first``...) the values are the same as on the regular
path; torchless reproduces the two observable differences: a query whose keys
are all masked gives NaN rather than zeros, and ``TransformerEncoder``'s nested
tensor path zeroes the padded positions of its output.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._device import get_array_module
from ..._ops import mha as _mha
from ..._tensor import Tensor, _make
from ...autograd.grad_mode import _state as _grad_state
from .. import functional as F
from .. import init
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .multihead import MultiheadAttention
from .normalization import LayerNorm

__all__ = [
    "Transformer",
    "TransformerEncoder",
    "TransformerDecoder",
    "TransformerEncoderLayer",
    "TransformerDecoderLayer",
]


def _generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
    """``(sz, sz)``: ``-inf`` above the diagonal, 0 on and below it."""
    from ... import full

    m = full((sz, sz), float("-inf"), dtype=dtype, device=device)
    return _make(np.triu(m._data, 1))


def _get_seq_len(src: Tensor, batch_first: bool) -> int | None:
    size = src.size()
    if len(size) == 2:  # unbatched: S, E
        return size[0]
    return size[1 if batch_first else 0]


def _detect_is_causal_mask(mask, is_causal=None, size=None) -> bool:
    """``is_causal`` if given; otherwise whether ``mask`` is the causal mask of ``size``."""
    make_causal = is_causal is True
    if is_causal is None and mask is not None:
        sz = size if size is not None else mask.size(-2)
        if tuple(mask.shape) == (sz, sz):
            a = mask._data
            make_causal = bool((a == np.triu(np.full_like(a, -np.inf), 1)).all())
        else:
            make_causal = False
    return make_causal


def _get_clones(module, N):
    return ModuleList([copy.deepcopy(module) for _ in range(N)])


def _get_activation_fn(activation: str) -> Callable[[Tensor], Tensor]:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _relu_or_gelu(activation) -> int:
    from .activation import GELU, ReLU

    if activation is F.relu or isinstance(activation, ReLU):
        return 1
    if activation is F.gelu or isinstance(activation, GELU):
        return 2
    return 0


def _any_requires_grad(tensors) -> bool:
    return _grad_state.enabled and any(t is not None and t.requires_grad for t in tensors)


def _layer_tensors(layer) -> tuple:
    sa = layer.self_attn
    return (
        sa.in_proj_weight,
        sa.in_proj_bias,
        sa.out_proj.weight,
        sa.out_proj.bias,
        layer.norm1.weight,
        layer.norm1.bias,
        layer.norm2.weight,
        layer.norm2.bias,
        layer.linear1.weight,
        layer.linear1.bias,
        layer.linear2.weight,
        layer.linear2.bias,
    )


class Transformer(Module):
    r"""An encoder-decoder Transformer: a stack of :class:`TransformerEncoderLayer`
    with a final LayerNorm, and one of :class:`TransformerDecoderLayer` attending
    to the encoder's output.

    Args:
        d_model: the model dim (default 512).
        nhead: attention heads (default 8).
        num_encoder_layers, num_decoder_layers: layers in each stack (default 6).
        dim_feedforward: the hidden dim of the feed-forward blocks (default 2048).
        dropout: dropout probability (default 0.1).
        activation: ``"relu"``, ``"gelu"`` or a callable (default ``F.relu``).
        custom_encoder, custom_decoder: modules to use instead of the stacks.
        layer_norm_eps: the LayerNorms' eps (default 1e-5).
        batch_first: inputs and outputs are ``(N, S, E)`` instead of ``(S, N, E)``.
        norm_first: LayerNorm before attention and feed-forward, not after.
        bias: the Linear and LayerNorm layers learn biases (default ``True``).

    Every parameter with more than one dim is re-initialised Xavier uniform.

    Example::

        >>> model = nn.Transformer(d_model=16, nhead=4, num_encoder_layers=1,
        ...                        num_decoder_layers=1, dim_feedforward=32, batch_first=True)
        >>> model(torch.rand(2, 10, 16), torch.rand(2, 7, 16)).shape
        torch.Size([2, 7, 16])
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        custom_encoder: Any | None = None,
        custom_decoder: Any | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        fk = {"device": device, "dtype": dtype}
        super().__init__()
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            encoder_layer = TransformerEncoderLayer(
                d_model,
                nhead,
                dim_feedforward,
                dropout,
                activation,
                layer_norm_eps,
                batch_first,
                norm_first,
                bias,
                **fk,
            )
            encoder_norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
            self.encoder = TransformerEncoder(encoder_layer, num_encoder_layers, encoder_norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            decoder_layer = TransformerDecoderLayer(
                d_model,
                nhead,
                dim_feedforward,
                dropout,
                activation,
                layer_norm_eps,
                batch_first,
                norm_first,
                bias,
                **fk,
            )
            decoder_norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
            self.decoder = TransformerDecoder(decoder_layer, num_decoder_layers, decoder_norm)
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Encode ``src`` and decode ``tgt`` against it.

        Shape (``batch_first=False``; swap ``S``/``T`` and ``N`` otherwise):
            - src ``(S, N, E)``, tgt ``(T, N, E)``, output ``(T, N, E)``.
            - src_mask ``(S, S)``, tgt_mask ``(T, T)``, memory_mask ``(T, S)``, or
              ``(N * nhead, ., .)``; bool (True = may not attend) or float (added).
            - the key padding masks ``(N, S)``, ``(N, T)``, ``(N, S)``.
        """
        is_batched = src.dim() == 3
        if not self.batch_first and src.size(1) != tgt.size(1) and is_batched:
            raise RuntimeError("the batch number of src and tgt must be equal")
        elif self.batch_first and src.size(0) != tgt.size(0) and is_batched:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.size(-1) != self.d_model or tgt.size(-1) != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
        """The causal mask of a sequence of ``sz``: ``-inf`` above the diagonal, else 0.

        Example::

            >>> nn.Transformer.generate_square_subsequent_mask(3)
            tensor([[0., -inf, -inf],
                    [0., 0., -inf],
                    [0., 0., 0.]])
        """
        return _generate_square_subsequent_mask(sz, dtype=dtype, device=device)

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.dim() > 1:
                init.xavier_uniform_(p)


class TransformerEncoder(Module):
    r"""A stack of ``num_layers`` copies of ``encoder_layer``, then ``norm`` if given.

    Args:
        encoder_layer: a :class:`TransformerEncoderLayer` (deep-copied ``num_layers`` times).
        num_layers: the number of layers.
        norm: a module applied to the output (e.g. ``LayerNorm``), or ``None``.
        enable_nested_tensor: let torch's inference path pack padded batches (on
            torchless: the padded positions of the output are zero, as in torch).
        mask_check: check that the padding mask is left-aligned before packing.

    Example::

        >>> layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, batch_first=True)
        >>> encoder = nn.TransformerEncoder(layer, num_layers=2)
        >>> encoder(torch.rand(2, 10, 16)).shape
        torch.Size([2, 10, 16])
    """

    __constants__ = ["norm"]

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = _get_clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

        enc_layer = "encoder_layer"
        why_not = ""
        if not isinstance(encoder_layer, TransformerEncoderLayer):
            why_not = f"{enc_layer} was not TransformerEncoderLayer"
        elif encoder_layer.norm_first:
            why_not = f"{enc_layer}.norm_first was True"
        elif not encoder_layer.self_attn.batch_first:
            why_not = (
                f"{enc_layer}.self_attn.batch_first was not True"
                + "(use batch_first for better inference performance)"
            )
        elif not encoder_layer.self_attn._qkv_same_embed_dim:
            why_not = f"{enc_layer}.self_attn._qkv_same_embed_dim was not True"
        elif encoder_layer.self_attn.in_proj_bias is None:
            why_not = f"{enc_layer}.self_attn was passed bias=False"
        elif not encoder_layer.activation_relu_or_gelu:
            why_not = f"{enc_layer}.activation_relu_or_gelu was not True"
        elif encoder_layer.norm1.eps != encoder_layer.norm2.eps:
            why_not = f"{enc_layer}.norm1.eps was not equal to {enc_layer}.norm2.eps"
        elif encoder_layer.self_attn.num_heads % 2 == 1:
            why_not = f"{enc_layer}.self_attn.num_heads is odd"
        if enable_nested_tensor and why_not:
            warnings.warn(
                "enable_nested_tensor is True, but self.use_nested_tensor is False because "
                f"{why_not}",
                stacklevel=2,
            )
            self.use_nested_tensor = False

    def _nested_padding(self, src, mask, kpm):
        """The positions torch's nested-tensor path leaves out (bool ``(N, S)``), or
        None when torch would not take that path. The path keeps the first ``n``
        positions of each sequence, ``n`` its count of unpadded ones (the same ones
        when the mask is left-aligned, as ``mask_check`` makes sure)."""
        first = self.layers[0]
        if not getattr(self, "use_nested_tensor", False) or first.training:
            return None
        if src.dim() != 3 or kpm is None or mask is not None:
            return None
        padded = kpm._data != 0
        if getattr(self, "mask_check", True):
            # left-aligned: each row is some valid positions, then only padding
            if np.any(padded[:, :-1] & ~padded[:, 1:]):
                return None
        if _any_requires_grad((src,) + _layer_tensors(first)):
            return None
        xp = get_array_module(padded)
        lengths = (~padded).sum(axis=1, keepdims=True)
        return xp.arange(padded.shape[1]) >= lengths

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        """Run ``src`` through every layer, then the norm.

        Args:
            src: ``(S, N, E)`` (``(N, S, E)`` with ``batch_first``) or ``(S, E)``.
            mask: ``(S, S)`` or ``(N * nhead, S, S)`` attention mask.
            src_key_padding_mask: ``(N, S)``; True (or a float) marks padding.
            is_causal: whether ``mask`` is the causal mask; ``None`` detects it.
        """
        src_key_padding_mask = _mha._canonical_mask(
            src_key_padding_mask,
            "src_key_padding_mask",
            _mha._none_or_dtype(mask),
            "mask",
            src.dtype,
        )
        mask = _mha._canonical_mask(mask, "mask", None, "", src.dtype, False)

        output = src
        first_layer = self.layers[0]
        batch_first = first_layer.self_attn.batch_first
        padded = self._nested_padding(src, mask, src_key_padding_mask)
        if padded is not None:
            # the layers see only the packed positions
            dt = src.dtype.np
            src_key_padding_mask = _make(np.where(padded, dt.type(-np.inf), dt.type(0)))

        seq_len = _get_seq_len(src, batch_first)
        is_causal = _detect_is_causal_mask(mask, is_causal, seq_len)
        for mod in self.layers:
            output = mod(
                output,
                src_mask=mask,
                is_causal=is_causal,
                src_key_padding_mask=src_key_padding_mask,
            )
        if padded is not None:
            # torch packs the valid positions and pads the result with zeros
            from ..._ops.pointwise import where

            output = where(_make(padded[:, :, None]), 0.0, output)
        if self.norm is not None:
            output = self.norm(output)
        return output


class TransformerDecoder(Module):
    r"""A stack of ``num_layers`` copies of ``decoder_layer``, then ``norm`` if given.

    Args:
        decoder_layer: a :class:`TransformerDecoderLayer` (deep-copied ``num_layers`` times).
        num_layers: the number of layers.
        norm: a module applied to the output, or ``None``.

    Example::

        >>> layer = nn.TransformerDecoderLayer(d_model=16, nhead=4)
        >>> decoder = nn.TransformerDecoder(layer, num_layers=2)
        >>> decoder(torch.rand(7, 2, 16), torch.rand(10, 2, 16)).shape
        torch.Size([7, 2, 16])
    """

    __constants__ = ["norm"]

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = _get_clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Run ``tgt`` through every layer (each attending to ``memory``), then the norm."""
        output = tgt
        seq_len = _get_seq_len(tgt, self.layers[0].self_attn.batch_first)
        tgt_is_causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, seq_len)
        for mod in self.layers:
            output = mod(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=tgt_is_causal,
                memory_is_causal=memory_is_causal,
            )
        if self.norm is not None:
            output = self.norm(output)
        return output


class TransformerEncoderLayer(Module):
    r"""Self-attention and a feed-forward block, each with dropout, a residual
    connection and LayerNorm (after each block, or before with ``norm_first``).

    Args:
        d_model: the model dim.
        nhead: attention heads.
        dim_feedforward: the feed-forward hidden dim (default 2048).
        dropout: dropout probability (default 0.1).
        activation: ``"relu"``, ``"gelu"`` or a callable (default ``F.relu``).
        layer_norm_eps: the LayerNorms' eps (default 1e-5).
        batch_first: inputs and outputs are ``(N, S, E)`` instead of ``(S, N, E)``.
        norm_first: pre-norm (``x + block(norm(x))``) instead of post-norm.
        bias: the Linear and LayerNorm layers learn biases (default ``True``).

    Example::

        >>> layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32)
        >>> layer(torch.rand(10, 2, 16)).shape
        torch.Size([10, 2, 16])
    """

    __constants__ = ["norm_first"]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        fk = {"device": device, "dtype": dtype}
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, **fk
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **fk)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **fk)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _get_activation_fn(activation)
        self.activation_relu_or_gelu = _relu_or_gelu(activation)
        self.activation = activation

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "activation"):
            self.activation = F.relu

    def _fast_path(self, src, src_mask, src_key_padding_mask) -> bool:
        """Whether torch would run its fused inference kernel (same values, except a
        query with every key masked gives NaN)."""
        sa = self.self_attn
        if src.dim() != 3 or self.training or not sa.batch_first or sa.in_proj_bias is None:
            return False
        if not sa._qkv_same_embed_dim or not self.activation_relu_or_gelu:
            return False
        if self.norm1.eps != self.norm2.eps or sa.num_heads % 2 == 1:
            return False
        if any(m._forward_hooks or m._forward_pre_hooks for m in self.modules()):
            return False
        return not _any_requires_grad((src,) + _layer_tensors(self))

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        """Encode ``src``.

        Args:
            src: ``(S, N, E)`` (``(N, S, E)`` with ``batch_first``) or ``(S, E)``.
            src_mask: ``(S, S)`` or ``(N * nhead, S, S)`` attention mask.
            src_key_padding_mask: ``(N, S)``; True (or a float) marks padding.
            is_causal: a hint that ``src_mask`` is the causal mask.
        """
        src_key_padding_mask = _mha._canonical_mask(
            src_key_padding_mask,
            "src_key_padding_mask",
            _mha._none_or_dtype(src_mask),
            "src_mask",
            src.dtype,
        )
        src_mask = _mha._canonical_mask(src_mask, "src_mask", None, "", src.dtype, False)
        if self._fast_path(src, src_mask, src_key_padding_mask):
            return self._fused_forward(src, src_mask, src_key_padding_mask)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _fused_forward(self, src, src_mask, src_key_padding_mask) -> Tensor:
        """The layer as torch's fused inference kernel computes it: no dropout; relu or
        exact gelu (whatever the activation's options); a float mask taken as a bool one
        (any nonzero value masks); NaN for a query whose keys are all masked."""
        act = F.relu if self.activation_relu_or_gelu == 1 else F.gelu
        dt = src.dtype.np
        if src_mask is not None:
            src_mask = _make(np.where(src_mask._data != 0, dt.type(-np.inf), dt.type(0)))
        if src_key_padding_mask is not None:
            kpm = src_key_padding_mask._data != 0
            src_key_padding_mask = _make(np.where(kpm, dt.type(-np.inf), dt.type(0)))

        def sa(x):
            return _self_attention_unsafe(self.self_attn, x, src_mask, src_key_padding_mask)

        def ff(x):
            return self.linear2(act(self.linear1(x)))

        x = src
        if self.norm_first:
            x = x + sa(self.norm1(x))
            return x + ff(self.norm2(x))
        x = self.norm1(x + sa(x))
        return self.norm2(x + ff(x))

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False) -> Tensor:
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)


def _self_attention_unsafe(sa: MultiheadAttention, x, attn_mask, key_padding_mask):
    """``sa(x, x, x)`` as torch's fused encoder kernel computes it (batch first,
    evaluation): fully masked queries give NaN."""
    xt = x.transpose(1, 0)
    out, _ = _mha.multi_head_attention_forward(
        xt,
        xt,
        xt,
        sa.embed_dim,
        sa.num_heads,
        sa.in_proj_weight,
        sa.in_proj_bias,
        None,
        None,
        False,
        0.0,
        sa.out_proj.weight,
        sa.out_proj.bias,
        training=False,
        key_padding_mask=key_padding_mask,
        need_weights=False,
        attn_mask=attn_mask,
        _safe=False,
    )
    return out.transpose(1, 0)


class TransformerDecoderLayer(Module):
    r"""Self-attention, attention to the encoder's output (``memory``) and a
    feed-forward block, each with dropout, a residual connection and LayerNorm.

    Args:
        d_model: the model dim.
        nhead: attention heads.
        dim_feedforward: the feed-forward hidden dim (default 2048).
        dropout: dropout probability (default 0.1).
        activation: ``"relu"``, ``"gelu"`` or a callable (default ``F.relu``).
        layer_norm_eps: the LayerNorms' eps (default 1e-5).
        batch_first: inputs and outputs are ``(N, T, E)`` instead of ``(T, N, E)``.
        norm_first: pre-norm instead of post-norm.
        bias: the Linear and LayerNorm layers learn biases (default ``True``).

    Example::

        >>> layer = nn.TransformerDecoderLayer(d_model=16, nhead=4, dim_feedforward=32)
        >>> layer(torch.rand(7, 2, 16), torch.rand(10, 2, 16)).shape
        torch.Size([7, 2, 16])
    """

    __constants__ = ["norm_first"]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        fk = {"device": device, "dtype": dtype}
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, batch_first=batch_first, bias=bias, **fk
        )
        self.multihead_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, batch_first=batch_first, bias=bias, **fk
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **fk)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **fk)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **fk)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        if isinstance(activation, str):
            self.activation = _get_activation_fn(activation)
        else:
            self.activation = activation

    def __setstate__(self, state):
        if "activation" not in state:
            state["activation"] = F.relu
        super().__setstate__(state)

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Decode ``tgt`` against ``memory``.

        Args:
            tgt: ``(T, N, E)`` (``(N, T, E)`` with ``batch_first``) or ``(T, E)``.
            memory: ``(S, N, E)``, the encoder's output.
            tgt_mask, memory_mask: ``(T, T)`` and ``(T, S)`` attention masks.
            tgt_key_padding_mask, memory_key_padding_mask: ``(N, T)`` and ``(N, S)``.
            tgt_is_causal, memory_is_causal: hints that the masks are causal.
        """
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(
                self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal
            )
            x = x + self._ff_block(self.norm3(x))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(
                x
                + self._mha_block(
                    x, memory, memory_mask, memory_key_padding_mask, memory_is_causal
                )
            )
            x = self.norm3(x + self._ff_block(x))
        return x

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False) -> Tensor:
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=is_causal,
            need_weights=False,
        )[0]
        return self.dropout1(x)

    def _mha_block(self, x, mem, attn_mask, key_padding_mask, is_causal=False) -> Tensor:
        x = self.multihead_attn(
            x,
            mem,
            mem,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=is_causal,
            need_weights=False,
        )[0]
        return self.dropout2(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout3(x)
