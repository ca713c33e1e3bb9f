"""Convolution layers: ``Conv1d/2d/3d`` and ``ConvTranspose1d/2d/3d``.

Each layer holds a ``weight`` (and optional ``bias``) and calls the functional convolution
of :mod:`torchless._ops.conv`. Arguments, validation messages, initialisation (the same
random draws as torch, so a seeded model starts from the same weights), ``state_dict`` keys
and the printed form are torch's. Non-zero ``padding_mode`` pads the input with ``F.pad``
first, as torch does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..._ops import conv as _C
from ..._tensor import Tensor
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = [
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(n: int):
    def parse(x: Any) -> tuple:
        if isinstance(x, Iterable):
            return tuple(x)
        return (x,) * n

    return parse


_single, _pair, _triple = _ntuple(1), _ntuple(2), _ntuple(3)


def _reverse_repeat_tuple(t, n: int) -> tuple:
    """``(a, b)`` -> ``(b, b, a, a)`` for n = 2: a conv padding as ``F.pad`` takes it."""
    return tuple(x for x in reversed(t) for _ in range(n))


def _pad(input: Tensor, pads, mode: str) -> Tensor:
    try:
        from ..._ops.padding import pad
    except ImportError:  # pragma: no cover - depends on the build
        raise NotImplementedError(
            f"torchless: padding_mode={mode!r} needs torch.nn.functional.pad "
            "(torchless._ops.padding), which this build lacks"
        ) from None
    return pad(input, list(pads), mode=mode)


class _ConvNd(Module):
    """What every convolution layer shares: validation, parameters, init and repr."""

    __constants__ = [
        "stride",
        "padding",
        "dilation",
        "groups",
        "padding_mode",
        "output_padding",
        "in_channels",
        "out_channels",
        "kernel_size",
    ]
    _conv_fn = None  # the functional op (set by each subclass)
    in_channels: int
    out_channels: int
    kernel_size: tuple
    stride: tuple
    padding: str | tuple
    dilation: tuple
    transposed: bool
    output_padding: tuple
    groups: int
    padding_mode: str
    weight: Tensor

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: tuple,
        stride: tuple,
        padding: str | tuple,
        dilation: tuple,
        transposed: bool,
        output_padding: tuple,
        groups: int,
        bias: bool,
        padding_mode: str,
        device=None,
        dtype=None,
    ) -> None:
        from ... import empty

        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        valid_padding_strings = {"same", "valid"}
        if isinstance(padding, str):
            if padding not in valid_padding_strings:
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {valid_padding_strings}"
                )
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {set(_PADDING_MODES)}, but got "
                f"padding_mode='{padding_mode}'"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
        self.groups = groups
        self.padding_mode = padding_mode
        # the padding F.pad applies for a non-zero padding_mode: (last dim left, right, ...)
        if isinstance(self.padding, str):
            self._reversed_padding_repeated_twice = [0, 0] * len(kernel_size)
            if padding == "same":
                n = len(kernel_size)
                for d, k, i in zip(dilation, kernel_size, range(n - 1, -1, -1)):
                    total_padding = d * (k - 1)
                    left_pad = total_padding // 2
                    self._reversed_padding_repeated_twice[2 * i] = left_pad
                    self._reversed_padding_repeated_twice[2 * i + 1] = total_padding - left_pad
        else:
            self._reversed_padding_repeated_twice = _reverse_repeat_tuple(self.padding, 2)
        if transposed:
            shape = (in_channels, out_channels // groups, *kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *kernel_size)
        self.weight = Parameter(empty(shape, **factory_kwargs))
        if bias:
            self.bias = Parameter(empty(out_channels, **factory_kwargs))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's initialisation: ``kaiming_uniform_(a=sqrt(5))`` on the weight, i.e.
        uniform in ``±1/sqrt(fan_in)``, and the same bound for the bias (``fan_in`` is
        weight dim 1 times the kernel size, also for a transposed convolution)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if not hasattr(self, "padding_mode"):
            self.padding_mode = "zeros"

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        fn = type(self)._conv_fn
        if self.padding_mode != "zeros":
            input = _pad(input, self._reversed_padding_repeated_twice, self.padding_mode)
            zero = (0,) * len(self.kernel_size)
            return fn(input, weight, bias, self.stride, zero, self.dilation, self.groups)
        return fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_ConvNd):
    r"""1-D convolution (cross-correlation) over an input of ``in_channels`` planes.

    Args:
        in_channels: channels of the input.
        out_channels: channels the convolution produces.
        kernel_size: size of the kernel (int or 1-tuple).
        stride: step of the kernel (default 1).
        padding: added to both sides: an int, a 1-tuple, ``'valid'`` (none) or ``'same'``
            (output as long as the input; stride 1 only). Default 0.
        dilation: spacing between kernel elements (default 1).
        groups: split input and output channels into this many independent convolutions;
            both channel counts must be divisible by it (default 1).
        bias: learn an additive bias (default ``True``).
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        device, dtype: where and in what dtype to create the parameters.

    Shape:
        - Input: ``(N, C_in, L_in)`` or ``(C_in, L_in)``.
        - Output: ``(N, C_out, L_out)`` with
          ``L_out = (L_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1``.

    Attributes:
        weight: ``(out_channels, in_channels / groups, kernel_size)``, from
            :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`, ``k = groups / (C_in * kernel_size)``.
        bias: ``(out_channels,)``, from the same distribution.

    Example::

        >>> m = nn.Conv1d(16, 33, 3, stride=2)
        >>> m(torch.randn(20, 16, 50)).shape
        torch.Size([20, 33, 24])
    """

    _conv_fn = staticmethod(_C.conv1d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding: str | int | tuple = 0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        padding_ = padding if isinstance(padding, str) else _single(padding)
        super().__init__(
            in_channels,
            out_channels,
            _single(kernel_size),
            _single(stride),
            padding_,
            _single(dilation),
            False,
            _single(0),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )


class Conv2d(_ConvNd):
    r"""2-D convolution (cross-correlation) over an input of ``in_channels`` planes.

    Args:
        in_channels, out_channels: channels of the input and of the output.
        kernel_size: an int or a pair (height, width).
        stride, dilation: ints or pairs (default 1).
        padding: an int, a pair, ``'valid'`` or ``'same'`` (default 0).
        groups, bias, padding_mode, device, dtype: as :class:`Conv1d`.

    Shape:
        - Input: ``(N, C_in, H_in, W_in)`` or ``(C_in, H_in, W_in)``.
        - Output: ``(N, C_out, H_out, W_out)``, each size
          ``(size + 2 padding - dilation (kernel - 1) - 1) // stride + 1``.

    Attributes:
        weight: ``(out_channels, in_channels / groups, kH, kW)``, from
            :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`, ``k = groups / (C_in * kH * kW)``.
        bias: ``(out_channels,)``, from the same distribution.

    Example::

        >>> m = nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
        >>> m(torch.randn(20, 16, 50, 100)).shape
        torch.Size([20, 33, 28, 100])
    """

    _conv_fn = staticmethod(_C.conv2d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding: str | int | tuple = 0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        padding_ = padding if isinstance(padding, str) else _pair(padding)
        super().__init__(
            in_channels,
            out_channels,
            _pair(kernel_size),
            _pair(stride),
            padding_,
            _pair(dilation),
            False,
            _pair(0),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )


class Conv3d(_ConvNd):
    r"""3-D convolution over an input of ``in_channels`` volumes; arguments as
    :class:`Conv2d` with triples (depth, height, width).

    Shape:
        - Input: ``(N, C_in, D_in, H_in, W_in)`` or ``(C_in, D_in, H_in, W_in)``.
        - Output: ``(N, C_out, D_out, H_out, W_out)``, sized as :class:`Conv2d`.
    """

    _conv_fn = staticmethod(_C.conv3d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding: str | int | tuple = 0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        padding_ = padding if isinstance(padding, str) else _triple(padding)
        super().__init__(
            in_channels,
            out_channels,
            _triple(kernel_size),
            _triple(stride),
            padding_,
            _triple(dilation),
            False,
            _triple(0),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )


class _ConvTransposeNd(_ConvNd):
    """What the transposed convolutions share: zeros padding only, ``output_size``."""

    _nd = 0

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        dilation,
        transposed,
        output_padding,
        groups,
        bias,
        padding_mode,
        device=None,
        dtype=None,
    ) -> None:
        if padding_mode != "zeros":
            raise ValueError(
                f'Only "zeros" padding mode is supported for {self.__class__.__name__}'
            )
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            transposed,
            output_padding,
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )

    def _output_padding(
        self, input, output_size, stride, padding, kernel_size, num_spatial_dims, dilation=None
    ) -> list:
        """The ``output_padding`` that makes the output ``output_size`` (the layer's own
        ``output_padding`` when no size is asked for)."""
        if output_size is None:
            return list(_single(self.output_padding))
        has_batch_dim = input.dim() == num_spatial_dims + 2
        num_non_spatial_dims = 2 if has_batch_dim else 1
        output_size = list(output_size)
        if len(output_size) == num_non_spatial_dims + num_spatial_dims:
            output_size = output_size[num_non_spatial_dims:]
        if len(output_size) != num_spatial_dims:
            raise ValueError(
                f"ConvTranspose{num_spatial_dims}D: for {input.dim()}D input, output_size must "
                f"have {num_spatial_dims} or {num_non_spatial_dims + num_spatial_dims} elements "
                f"(got {len(output_size)})"
            )
        min_sizes, max_sizes = [], []
        for d in range(num_spatial_dims):
            dim_size = (
                (input.size(d + num_non_spatial_dims) - 1) * stride[d]
                - 2 * padding[d]
                + (dilation[d] if dilation is not None else 1) * (kernel_size[d] - 1)
                + 1
            )
            min_sizes.append(dim_size)
            max_sizes.append(min_sizes[d] + stride[d] - 1)
        for i in range(len(output_size)):
            size, min_size, max_size = output_size[i], min_sizes[i], max_sizes[i]
            if size < min_size or size > max_size:
                raise ValueError(
                    f"requested an output size of {output_size}, but valid sizes range "
                    f"from {min_sizes} to {max_sizes} (for an input of {input.size()[2:]})"
                )
        return [output_size[d] - min_sizes[d] for d in range(num_spatial_dims)]

    def forward(self, input: Tensor, output_size: list[int] | None = None) -> Tensor:
        nd = self._nd
        if self.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for ConvTranspose{nd}d")
        if not isinstance(self.padding, tuple):
            raise AssertionError("self.padding must be a tuple")
        output_padding = self._output_padding(
            input, output_size, self.stride, self.padding, self.kernel_size, nd, self.dilation
        )
        return type(self)._conv_fn(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            output_padding,
            self.groups,
            self.dilation,
        )


class ConvTranspose1d(_ConvTransposeNd):
    r"""1-D transposed convolution: the gradient of :class:`Conv1d` with respect to its
    input (sometimes called a fractionally-strided convolution).

    Args:
        in_channels, out_channels, kernel_size, stride, groups, bias, dilation,
            device, dtype: as :class:`Conv1d` (``padding_mode`` must be ``'zeros'``).
        padding: ``dilation * (kernel_size - 1) - padding`` zeros are added to both sides
            of the input (an int or 1-tuple; default 0).
        output_padding: extra size added to one side of the output (default 0).

    Shape:
        - Input: ``(N, C_in, L_in)`` or ``(C_in, L_in)``.
        - Output: ``(N, C_out, L_out)`` with ``L_out = (L_in - 1) stride - 2 padding +
          dilation (kernel_size - 1) + output_padding + 1``; ``forward(input, output_size)``
          picks the output_padding that gives ``output_size``.

    Attributes:
        weight: ``(in_channels, out_channels / groups, kernel_size)``, from
            :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`, ``k = groups / (C_out * kernel_size)``.
        bias: ``(out_channels,)``, from the same distribution.
    """

    _conv_fn = staticmethod(_C.conv_transpose1d)
    _nd = 1

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            _single(kernel_size),
            _single(stride),
            _single(padding),
            _single(dilation),
            True,
            _single(output_padding),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )


class ConvTranspose2d(_ConvTransposeNd):
    r"""2-D transposed convolution: the gradient of :class:`Conv2d` with respect to its
    input; arguments as :class:`ConvTranspose1d` with pairs.

    Shape:
        - Input: ``(N, C_in, H_in, W_in)`` or ``(C_in, H_in, W_in)``.
        - Output: ``(N, C_out, H_out, W_out)``, each size ``(size - 1) stride - 2 padding
          + dilation (kernel - 1) + output_padding + 1``.

    Example::

        >>> up = nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1)
        >>> up(torch.randn(1, 16, 6, 6), output_size=[12, 12]).shape
        torch.Size([1, 16, 12, 12])
    """

    _conv_fn = staticmethod(_C.conv_transpose2d)
    _nd = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            _pair(kernel_size),
            _pair(stride),
            _pair(padding),
            _pair(dilation),
            True,
            _pair(output_padding),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )


class ConvTranspose3d(_ConvTransposeNd):
    r"""3-D transposed convolution; arguments as :class:`ConvTranspose2d` with triples.

    Shape:
        - Input: ``(N, C_in, D_in, H_in, W_in)`` or ``(C_in, D_in, H_in, W_in)``.
        - Output: ``(N, C_out, D_out, H_out, W_out)``, sized as :class:`ConvTranspose2d`.
    """

    _conv_fn = staticmethod(_C.conv_transpose3d)
    _nd = 3

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            _triple(kernel_size),
            _triple(stride),
            _triple(padding),
            _triple(dilation),
            True,
            _triple(output_padding),
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
        )
