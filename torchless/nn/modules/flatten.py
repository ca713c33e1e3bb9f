"""``Flatten`` and ``Unflatten``: merge a range of dims into one, or split one
dim into several."""

from __future__ import annotations

from ..._tensor import Tensor, wrap_dim
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` (default: all but the batch dim).

    Example::

        >>> nn.Flatten()(torch.zeros(32, 1, 5, 5)).shape
        torch.Size([32, 25])
    """

    __constants__ = ["start_dim", "end_dim"]

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """``input.unflatten(dim, sizes)``: split ``dim`` into ``sizes`` (one may be -1)."""
    sizes = [int(s) for s in sizes]
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    shape = list(input.shape)
    d = wrap_dim(dim, len(shape))
    n = shape[d]
    if sizes.count(-1) > 1:
        raise RuntimeError(
            "unflatten got an unexpected error:\nonly one dimension can be inferred"
        )
    if -1 in sizes:
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        if known == 0 or n % known != 0:
            raise RuntimeError(f"shape '{sizes}' is invalid for input of size {n}")
        sizes[sizes.index(-1)] = n // known
    prod = 1
    for s in sizes:
        prod *= s
    if prod != n:
        raise RuntimeError(
            f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {dim} ({n}) "
            "in the input tensor"
        )
    return input.view(shape[:d] + sizes + shape[d + 1 :])


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (a tuple of ints).

    Example::

        >>> nn.Unflatten(1, (2, 5))(torch.zeros(3, 10)).shape
        torch.Size([3, 2, 5])
    """

    __constants__ = ["dim", "unflattened_size"]

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        self._require_tuple_int(unflattened_size)
        self.dim = dim
        self.unflattened_size = unflattened_size

    def _require_tuple_int(self, input) -> None:
        if isinstance(input, (tuple, list)):
            for idx, elem in enumerate(input):
                if not isinstance(elem, int):
                    raise TypeError(
                        "unflattened_size must be tuple of ints, but found element of type "
                        f"{type(elem).__name__} at pos {idx}"
                    )
            return
        raise TypeError(
            f"unflattened_size must be a tuple of ints, but found type {type(input).__name__}"
        )

    def forward(self, input: Tensor) -> Tensor:
        if hasattr(input, "unflatten"):
            return input.unflatten(self.dim, self.unflattened_size)
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
