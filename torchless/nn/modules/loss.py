"""Loss modules: thin wrappers over the functions in ``nn.functional``."""

from __future__ import annotations

import warnings

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["MSELoss"]


def _legacy_get_string(size_average: bool | None, reduce: bool | None) -> str:
    """The ``reduction`` that the deprecated ``size_average``/``reduce`` flags mean."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
        stacklevel=2,
    )
    return ret


class _Loss(Module):
    reduction: str

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = _legacy_get_string(size_average, reduce)
        else:
            self.reduction = reduction


class MSELoss(_Loss):
    r"""Mean squared error between each element of the input :math:`x` and target
    :math:`y`: :math:`\ell_n = (x_n - y_n)^2`, then the mean (``reduction='mean'``), the
    sum (``'sum'``) or each element (``'none'``).

    Args:
        size_average: deprecated, use ``reduction``.
        reduce: deprecated, use ``reduction``.
        reduction: ``'none'``, ``'mean'`` (default) or ``'sum'``.

    Shape:
        - Input: ``(*)``.
        - Target: ``(*)``, the same shape.
        - Output: a scalar, or ``(*)`` with ``reduction='none'``.

    Example::

        >>> loss = nn.MSELoss()
        >>> loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
        tensor(2.)
    """

    __constants__ = ["reduction"]

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)
