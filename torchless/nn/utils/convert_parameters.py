"""Flatten parameters into one vector and back."""

from __future__ import annotations

from collections.abc import Iterable

from ..._ops.shape import cat
from ..._tensor import Tensor
from ..modules.module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All ``parameters`` flattened and concatenated into one vector
    (``torch.nn.utils.parameters_to_vector``).

    Args:
        parameters: tensors on one device.

    Returns:
        A 1-d tensor (part of the autograd graph when the parameters require grad).
    """
    param_device = None
    vec = []
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        vec.append(param.view(-1))
    return cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Point the ``.data`` of each of ``parameters`` at its slice of ``vec``
    (``torch.nn.utils.vector_to_parameters``).

    Args:
        vec: a 1-d tensor with as many elements as the parameters together.
        parameters: the tensors to overwrite, in the order of ``vec``.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    param_device = None
    pointer = 0
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        num_param = param.numel()
        param.data = vec[pointer : pointer + num_param].view_as(param).data
        pointer += num_param


def _check_param_device(param: Tensor, old_param_device: int | None) -> int:
    """The GPU index of ``param`` (-1 on the CPU); TypeError when it differs from the
    previous parameters'."""
    device = param.device
    on_gpu = device.type == "cuda"
    index = (device.index or 0) if on_gpu else -1
    if old_param_device is None:
        return index
    warn = index != old_param_device if on_gpu else old_param_device != -1
    if warn:
        raise TypeError(
            "Found two parameters on different devices, this is currently not supported."
        )
    return old_param_device
