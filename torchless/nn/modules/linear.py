"""Linear layers: ``Identity`` and ``Linear`` (``y = x A^T + b``)."""

from __future__ import annotations

import math
from typing import Any

from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Identity", "Linear"]


class Identity(Module):
    """Returns its input unchanged; accepts (and ignores) any constructor arguments.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the same.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    r"""Applies an affine transformation: :math:`y = x A^T + b`.

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: if ``False``, the layer learns no additive bias (default ``True``).
        device: where to create the parameters.
        dtype: the parameters' dtype (default: the default float dtype).

    Shape:
        - Input: ``(*, in_features)``.
        - Output: ``(*, out_features)``.

    Attributes:
        weight: learnable, shape ``(out_features, in_features)``, initialised from
            :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})` with :math:`k = 1/\text{in\_features}`.
        bias: learnable, shape ``(out_features,)``, initialised from the same distribution.

    Example::

        >>> m = nn.Linear(20, 30)
        >>> m(torch.randn(128, 20)).size()
        torch.Size([128, 30])
    """

    __constants__ = ["in_features", "out_features"]
    in_features: int
    out_features: int
    weight: Tensor

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        from ... import empty

        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in_features), **factory_kwargs))
        if bias:
            self.bias = Parameter(empty(out_features, **factory_kwargs))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's initialisation: ``kaiming_uniform_(a=sqrt(5))`` on the weight, which is
        uniform in ``±1/sqrt(in_features)``, and the same bound for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
