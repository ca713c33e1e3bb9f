"""Recurrent layers: ``RNN`` (tanh or relu), ``LSTM`` (with optional projections),
``GRU``, and the single-step ``RNNCell``, ``LSTMCell``, ``GRUCell``.

The modules hold the weights under torch's names (``weight_ih_l0``,
``bias_hh_l1_reverse``, ``weight_hr_l0``...), initialise all of them from
``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))`` in parameter order as torch
does, check their arguments with torch's messages, and run each layer and
direction as one fused op (``torchless/_ops/rnn.py``).
"""

from __future__ import annotations

import math
import numbers
import warnings
import weakref

from ..._ops import rnn as _rnn
from ..._tensor import Tensor
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _apply_permutation(tensor: Tensor, permutation: Tensor, dim: int = 1) -> Tensor:
    return tensor.index_select(dim, permutation)


def _zeros(*size, like: Tensor) -> Tensor:
    from ... import zeros

    return zeros(*(int(s) for s in size), dtype=like.dtype, device=like.device)


class RNNBase(Module):
    r"""Base class of ``RNN``, ``LSTM`` and ``GRU``: their arguments, weights and
    checks.

    Args:
        mode: ``'LSTM'``, ``'GRU'``, ``'RNN_TANH'`` or ``'RNN_RELU'``.
        input_size: the number of features of the input.
        hidden_size: the number of features of the hidden state.
        num_layers: the number of stacked layers (default 1).
        bias: whether the layers have ``b_ih`` and ``b_hh`` (default ``True``).
        batch_first: inputs and outputs are ``(batch, seq, feature)`` instead of
            ``(seq, batch, feature)`` (default ``False``; hidden states keep
            ``(layers, batch, hidden)``).
        dropout: the probability of dropping an output of every layer but the
            last, in training (default 0).
        bidirectional: run a second, reversed direction per layer (default ``False``).
        proj_size: LSTM only: project the hidden state to this size (default 0: none).
        device, dtype: where and in which dtype to create the weights.
    """

    __constants__ = [
        "mode",
        "input_size",
        "hidden_size",
        "num_layers",
        "bias",
        "batch_first",
        "dropout",
        "bidirectional",
        "proj_size",
    ]
    __jit_unused_properties__ = ["all_weights"]

    mode: str
    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    batch_first: bool
    dropout: float
    bidirectional: bool
    proj_size: int

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        from ... import empty

        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self._flat_weight_refs: list = []
        num_directions = 2 if bidirectional else 1

        if (
            not isinstance(dropout, numbers.Number)
            or not 0 <= dropout <= 1
            or isinstance(dropout, bool)
        ):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an "
                "element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got dropout="
                f"{dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(
                f"batch_first should be of type bool, got: {type(batch_first).__name__}"
            )
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(
                f"hidden_size should be of type int, got: {type(hidden_size).__name__}"
            )
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections"
            )
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")

        if mode == "LSTM":
            gate_size = 4 * hidden_size
        elif mode == "GRU":
            gate_size = 3 * hidden_size
        elif mode in ("RNN_TANH", "RNN_RELU"):
            gate_size = hidden_size
        else:
            raise ValueError("Unrecognized RNN mode: " + mode)

        self._flat_weights_names: list = []
        self._all_weights: list = []
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                w_ih = Parameter(empty((gate_size, layer_input_size), **factory_kwargs))
                w_hh = Parameter(empty((gate_size, real_hidden_size), **factory_kwargs))
                b_ih = Parameter(empty(gate_size, **factory_kwargs))
                # the second bias exists for cuDNN compatibility, as in torch
                b_hh = Parameter(empty(gate_size, **factory_kwargs))
                if self.proj_size == 0:
                    layer_params = (w_ih, w_hh, b_ih, b_hh) if bias else (w_ih, w_hh)
                else:
                    w_hr = Parameter(empty((proj_size, hidden_size), **factory_kwargs))
                    layer_params = (w_ih, w_hh, b_ih, b_hh, w_hr) if bias else (w_ih, w_hh, w_hr)

                suffix = "_reverse" if direction == 1 else ""
                param_names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    param_names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if self.proj_size > 0:
                    param_names += ["weight_hr_l{}{}"]
                param_names = [x.format(layer, suffix) for x in param_names]

                for name, param in zip(param_names, layer_params, strict=True):
                    setattr(self, name, param)
                self._flat_weights_names.extend(param_names)
                self._all_weights.append(param_names)

        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self) -> None:
        self._flat_weights = [
            getattr(self, wn) if hasattr(self, wn) else None for wn in self._flat_weights_names
        ]
        self._flat_weight_refs = [
            weakref.ref(w) if w is not None else None for w in self._flat_weights
        ]
        self.flatten_parameters()

    def __setattr__(self, attr, value) -> None:
        if hasattr(self, "_flat_weights_names") and attr in self._flat_weights_names:
            # keep self._flat_weights up to date if you do self.weight = ...
            idx = self._flat_weights_names.index(attr)
            self._flat_weights[idx] = value
        super().__setattr__(attr, value)

    def flatten_parameters(self) -> None:
        """Compact the weights into one buffer for cuDNN: a no-op here, as in torch
        on the CPU."""

    def _apply(self, fn, recurse=True):
        self._flat_weight_refs = []
        ret = super()._apply(fn, recurse)
        self._init_flat_weights()
        return ret

    def reset_parameters(self) -> None:
        """Fill every weight from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:
        if input.dtype != self._flat_weights[0].dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype "
                f"({self._flat_weights[0].dtype}). Convert input: "
                f"input.to({self._flat_weights[0].dtype}), or convert model: "
                f"model.to({input.dtype})"
            )
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(
                f"input must have {expected_input_dim} dimensions, got {input.dim()}"
            )
        if self.input_size != input.size(-1):
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {input.size(-1)}"
            )

    def get_expected_hidden_size(
        self, input: Tensor, batch_sizes: Tensor | None
    ) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(
        self,
        hx: Tensor,
        expected_hidden_size: tuple[int, int, int],
        msg: str = "Expected hidden size {}, got {}",
    ) -> None:
        if hx.size() != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def _weights_have_changed(self):
        # True when the weights changed since the last forward (functional_call, say)
        for ref, name in zip(self._flat_weight_refs, self._flat_weights_names, strict=True):
            weight = getattr(self, name) if hasattr(self, name) else None
            if weight is not None and ref is not None and ref() is not weight:
                return True
        return False

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: Tensor | None):
        self.check_input(input, batch_sizes)
        expected_hidden_size = self.get_expected_hidden_size(input, batch_sizes)
        self.check_hidden_size(hidden, expected_hidden_size)

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None):
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _update_flat_weights(self) -> None:
        if self._weights_have_changed():
            self._init_flat_weights()

    def __getstate__(self):
        self._update_flat_weights()
        state = self.__dict__.copy()
        state.pop("_flat_weight_refs", None)
        return state

    def __setstate__(self, d):
        super().__setstate__(d)
        if "proj_size" not in d:
            self.proj_size = 0
        self._flat_weight_refs = [
            weakref.ref(w) if w is not None else None for w in self._flat_weights
        ]

    @property
    def all_weights(self) -> list:
        """The weights of each layer and direction, as lists of Parameters."""
        return [[getattr(self, weight) for weight in weights] for weights in self._all_weights]

    # -- shared forward plumbing ---------------------------------------------
    def _prepare(self, input, hx, name: str, lstm: bool):
        """Unpack a PackedSequence, add the batch dim of an unbatched input and
        make the initial state: (input, hx, batch_sizes, sorted_indices,
        unsorted_indices, is_batched, batch_dim)."""
        num_directions = 2 if self.bidirectional else 1
        real_hidden_size = self.proj_size if self.proj_size > 0 else self.hidden_size
        is_batched, batch_dim = True, 0 if self.batch_first else 1
        if isinstance(input, PackedSequence):
            input, batch_sizes, sorted_indices, unsorted_indices = input
            max_batch_size = int(batch_sizes[0])
            if hx is None:
                h = _zeros(self.num_layers * num_directions, max_batch_size, real_hidden_size,
                           like=input)  # fmt: skip
                if lstm:
                    c = _zeros(self.num_layers * num_directions, max_batch_size,
                               self.hidden_size, like=input)  # fmt: skip
                    hx = (h, c)
                else:
                    hx = h
            else:
                hx = self.permute_hidden(hx, sorted_indices)
            return input, hx, batch_sizes, sorted_indices, unsorted_indices, True, batch_dim
        batch_sizes = None
        if input.dim() not in (2, 3):
            if name == "RNN":
                raise ValueError(
                    f"RNN: Expected input to be 2D or 3D, got {input.dim()}D tensor instead"
                )
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D instead")
        is_batched = input.dim() == 3
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        return input, hx, None, None, None, is_batched, batch_dim

    def _finish(self, output, hidden, orig_input, batch_sizes, sorted_indices, unsorted_indices,
                is_batched, batch_dim):  # fmt: skip
        if isinstance(orig_input, PackedSequence):
            packed = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
            return packed, self.permute_hidden(hidden, unsorted_indices)
        if not is_batched:
            output = output.squeeze(batch_dim)
            if isinstance(hidden, tuple):
                hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1))
            else:
                hidden = hidden.squeeze(1)
        return output, self.permute_hidden(hidden, unsorted_indices)

    def _run(self, fn, input, hx, batch_sizes):
        args = (self._flat_weights, self.bias, self.num_layers, self.dropout, self.training,
                self.bidirectional)  # fmt: skip
        if batch_sizes is None:
            return fn(input, hx, *args, self.batch_first)
        return fn(input, batch_sizes, hx, *args)


class RNN(RNNBase):
    r"""A multi-layer Elman RNN: :math:`h_t = \tanh(x_t W_{ih}^T + b_{ih} + h_{t-1}
    W_{hh}^T + b_{hh})` (or relu).

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, device, dtype: as :class:`RNNBase`.
        nonlinearity: ``'tanh'`` (default) or ``'relu'``.

    Shape:
        - input: ``(L, N, H_in)`` (``(N, L, H_in)`` with ``batch_first``), ``(L, H_in)``
          unbatched, or a :class:`PackedSequence`.
        - h_0: ``(D * num_layers, N, H_out)`` or ``(D * num_layers, H_out)``; zeros
          when not given.
        - output: ``(L, N, D * H_out)``; h_n: as h_0.

    Example::

        >>> rnn = nn.RNN(10, 20, 2)
        >>> output, hn = rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 20))
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx=None):
        self._update_flat_weights()
        orig_input = input
        input, hx, batch_sizes, sorted_indices, unsorted_indices, is_batched, batch_dim = (
            self._prepare(input, hx, "RNN", False)
        )
        if batch_sizes is None:
            hx = _one_hidden_state(self, input, hx, is_batched)
        self.check_forward_args(input, hx, batch_sizes)
        if self.mode != "RNN_TANH" and self.mode != "RNN_RELU":
            raise AssertionError(f"mode must be RNN_TANH or RNN_RELU, got {self.mode}")
        fn = _rnn.rnn_tanh if self.mode == "RNN_TANH" else _rnn.rnn_relu
        output, hidden = self._run(fn, input, hx, batch_sizes)
        return self._finish(output, hidden, orig_input, batch_sizes, sorted_indices,
                            unsorted_indices, is_batched, batch_dim)  # fmt: skip


def _one_hidden_state(m: RNNBase, input, hx, is_batched):
    """hx for a padded input of RNN or GRU: checked, unsqueezed when
    unbatched, zeros when not given."""
    if not is_batched:
        if hx is not None:
            if hx.dim() != 2:
                raise RuntimeError(
                    f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor"
                )
            hx = hx.unsqueeze(1)
    elif hx is not None and hx.dim() != 3:
        raise RuntimeError(
            f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor"
        )
    if hx is None:
        num_directions = 2 if m.bidirectional else 1
        max_batch_size = input.size(0) if m.batch_first else input.size(1)
        hx = _zeros(m.num_layers * num_directions, max_batch_size, m.hidden_size, like=input)
    return hx


class LSTM(RNNBase):
    r"""A multi-layer long short-term memory RNN. Each layer computes, per step,

    .. math::
        i, f, g, o = \sigma, \sigma, \tanh, \sigma\ \text{of}\
            x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}, \quad
        c_t = f \odot c_{t-1} + i \odot g, \quad h_t = o \odot \tanh(c_t)

    and, with ``proj_size > 0``, :math:`h_t = h_t W_{hr}^T`.

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, proj_size, device, dtype: as :class:`RNNBase`.

    Shape:
        - input: ``(L, N, H_in)`` (``(N, L, H_in)`` with ``batch_first``), ``(L, H_in)``
          unbatched, or a :class:`PackedSequence`.
        - (h_0, c_0): ``(D * num_layers, N, H_out)`` and ``(D * num_layers, N, H_cell)``;
          zeros when not given.
        - output: ``(L, N, D * H_out)``; (h_n, c_n): as (h_0, c_0).

    Example::

        >>> lstm = nn.LSTM(10, 20, 2)
        >>> output, (hn, cn) = lstm(torch.randn(5, 3, 10))
    """

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(
        self, input: Tensor, batch_sizes: Tensor | None
    ) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(
            hidden[0],
            self.get_expected_hidden_size(input, batch_sizes),
            "Expected hidden[0] size {}, got {}",
        )
        self.check_hidden_size(
            hidden[1],
            self.get_expected_cell_size(input, batch_sizes),
            "Expected hidden[1] size {}, got {}",
        )

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        return _apply_permutation(hx[0], permutation), _apply_permutation(hx[1], permutation)

    def forward(self, input, hx=None):
        self._update_flat_weights()
        orig_input = input
        input, hx, batch_sizes, sorted_indices, unsorted_indices, is_batched, batch_dim = (
            self._prepare(input, hx, "LSTM", True)
        )
        if batch_sizes is None:
            if hx is None:
                num_directions = 2 if self.bidirectional else 1
                real_hidden_size = self.proj_size if self.proj_size > 0 else self.hidden_size
                max_batch_size = input.size(0) if self.batch_first else input.size(1)
                layers = self.num_layers * num_directions
                h_zeros = _zeros(layers, max_batch_size, real_hidden_size, like=input)
                c_zeros = _zeros(layers, max_batch_size, self.hidden_size, like=input)
                hx = (h_zeros, c_zeros)
                self.check_forward_args(input, hx, batch_sizes)
            else:
                if is_batched:
                    if hx[0].dim() != 3 or hx[1].dim() != 3:
                        raise RuntimeError(
                            "For batched 3-D input, hx and cx should also be 3-D but got "
                            f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                        )
                else:
                    if hx[0].dim() != 2 or hx[1].dim() != 2:
                        raise RuntimeError(
                            "For unbatched 2-D input, hx and cx should also be 2-D but got "
                            f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                        )
                    hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
                self.check_forward_args(input, hx, batch_sizes)
        result = self._run(_rnn.lstm, input, hx, batch_sizes)
        output, hidden = result[0], result[1:]
        return self._finish(output, hidden, orig_input, batch_sizes, sorted_indices,
                            unsorted_indices, is_batched, batch_dim)  # fmt: skip


class GRU(RNNBase):
    r"""A multi-layer gated recurrent unit RNN. Each layer computes, per step,

    .. math::
        r, z = \sigma(x_t W_{ir,iz}^T + b_{ir,iz} + h_{t-1} W_{hr,hz}^T + b_{hr,hz}), \quad
        n = \tanh(x_t W_{in}^T + b_{in} + r \odot (h_{t-1} W_{hn}^T + b_{hn})), \quad
        h_t = (1 - z) \odot n + z \odot h_{t-1}

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, device, dtype: as :class:`RNNBase`.

    Shape: as :class:`RNN`.

    Example::

        >>> gru = nn.GRU(10, 20, 2)
        >>> output, hn = gru(torch.randn(5, 3, 10))
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        self._update_flat_weights()
        orig_input = input
        input, hx, batch_sizes, sorted_indices, unsorted_indices, is_batched, batch_dim = (
            self._prepare(input, hx, "GRU", False)
        )
        if batch_sizes is None:
            hx = _one_hidden_state(self, input, hx, is_batched)
        self.check_forward_args(input, hx, batch_sizes)
        output, hidden = self._run(_rnn.gru, input, hx, batch_sizes)
        return self._finish(output, hidden, orig_input, batch_sizes, sorted_indices,
                            unsorted_indices, is_batched, batch_dim)  # fmt: skip


class RNNCellBase(Module):
    """Base class of the cells: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    input_size: int
    hidden_size: int
    bias: bool
    weight_ih: Tensor
    weight_hh: Tensor

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device=None,
        dtype=None,
    ) -> None:
        from ... import empty

        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **factory_kwargs))
        self.weight_hh = Parameter(
            empty((num_chunks * hidden_size, hidden_size), **factory_kwargs)
        )
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        """Fill every weight from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)


def _cell_input(name: str, input: Tensor, hx, hidden_size: int, lstm: bool = False):
    if input.dim() not in (1, 2):
        raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
    if hx is not None:
        if lstm:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(
                        f"{name}: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D instead"
                    )
        elif hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
    is_batched = input.dim() == 2
    if not is_batched:
        input = input.unsqueeze(0)
    if hx is None:
        zeros = _zeros(input.size(0), hidden_size, like=input)
        hx = (zeros, zeros) if lstm else zeros
    elif not is_batched:
        hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0)) if lstm else hx.unsqueeze(0)
    return input, hx, is_batched


class RNNCell(RNNCellBase):
    r"""One step of an Elman RNN: :math:`h' = \tanh(x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh})`
    (or relu).

    Args:
        input_size, hidden_size: the feature sizes of input and hidden state.
        bias: whether to use ``bias_ih`` and ``bias_hh`` (default ``True``).
        nonlinearity: ``'tanh'`` (default) or ``'relu'``.

    Shape:
        - input: ``(N, H_in)`` or ``(H_in)``; hidden: ``(N, H_out)`` or ``(H_out)``,
          zeros when not given; output: as hidden.
    """

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]
    nonlinearity: str

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, is_batched = _cell_input("RNNCell", input, hx, self.hidden_size)
        if self.nonlinearity == "tanh":
            fn = _rnn.rnn_tanh_cell
        elif self.nonlinearity == "relu":
            fn = _rnn.rnn_relu_cell
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        ret = fn(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    r"""One LSTM step: gates :math:`i, f, g, o` from
    :math:`x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh}`, then
    :math:`c' = f \odot c + i \odot g` and :math:`h' = o \odot \tanh(c')`.

    Args:
        input_size, hidden_size: the feature sizes of input and hidden state.
        bias: whether to use ``bias_ih`` and ``bias_hh`` (default ``True``).

    Shape:
        - input: ``(N, H_in)`` or ``(H_in)``; (h_0, c_0): ``(N, H)`` each (or ``(H)``),
          zeros when not given; returns (h_1, c_1) of the same shapes.
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx=None):
        input, hx, is_batched = _cell_input("LSTMCell", input, hx, self.hidden_size, lstm=True)
        ret = _rnn.lstm_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        if not is_batched:
            ret = (ret[0].squeeze(0), ret[1].squeeze(0))
        return ret


class GRUCell(RNNCellBase):
    r"""One GRU step: :math:`r, z = \sigma(\cdot)`,
    :math:`n = \tanh(x W_{in}^T + b_{in} + r \odot (h W_{hn}^T + b_{hn}))`,
    :math:`h' = (1 - z) \odot n + z \odot h`.

    Args:
        input_size, hidden_size: the feature sizes of input and hidden state.
        bias: whether to use ``bias_ih`` and ``bias_hh`` (default ``True``).

    Shape: as :class:`RNNCell`.
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, is_batched = _cell_input("GRUCell", input, hx, self.hidden_size)
        ret = _rnn.gru_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
