"""Small helpers the optimizers share: torch's checks of their arguments, step counters,
hyperparameters that may be tensors, fresh state buffers, the arrays an update works on,
and torch's refusal of ``capturable`` off the GPU."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._device import get_array_module
from .._tensor import Tensor, _make

__all__ = [
    "array_module",
    "as_1d",
    "cast",
    "capturable_devices",
    "check_capturable",
    "check_fused",
    "check_hyperparameters",
    "count_step",
    "full_like",
    "get_scalar_dtype",
    "group_kwargs",
    "number",
    "scalar_tensor",
    "to_scalar",
    "update_arrays",
    "zeros_like",
]

_ndarray = np.ndarray

# what torch's "Invalid ...: value" messages call a hyperparameter ("<name> value" otherwise)
_INVALID = {"lr": "learning rate", "eps": "epsilon value"}


def check_hyperparameters(**values) -> None:
    """torch's ValueError for the first invalid hyperparameter, in the order given.

    A tensor ``lr`` must have one element; each of ``betas`` (the first two) must lie in
    [0, 1); every other value, ``lr`` included, must be non-negative. The tests are
    ``not 0.0 <= value``, so NaN is invalid too.

    Example::

        >>> check_hyperparameters(lr=1e-3, eps=-1.0)
        Traceback (most recent call last):
        ValueError: Invalid epsilon value: -1.0
    """
    for name, value in values.items():
        if name == "betas":
            for i in (0, 1):
                if not 0.0 <= value[i] < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {value[i]}")
            continue
        if name == "lr" and isinstance(value, Tensor) and value.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_INVALID.get(name, name + ' value')}: {value}")


def check_fused(differentiable: bool, foreach: bool | None) -> None:
    """torch's refusals of ``fused=True`` with ``differentiable`` or ``foreach``."""
    if differentiable:
        raise RuntimeError("`fused` does not support `differentiable`")
    if foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def group_kwargs(group: dict, *names: str) -> dict:
    """``{name: group[name]}`` for each name: the keyword arguments an optimizer's
    functional update takes from a parameter group under the same names."""
    return {name: group[name] for name in names}


def capturable_devices(supports_xla: bool = True) -> list[str]:
    """The device types on which torch allows ``capturable=True``."""
    devices = ["cuda", "xpu", "hpu", "privateuseone"]
    if supports_xla:
        devices.append("xla")
    return devices


def check_capturable(params, what: str = "params and state_steps", supports_xla=True) -> None:
    """torch's AssertionError when ``capturable=True`` meets parameters on the CPU.

    torchless runs a capturable step like any other on a GPU (there is nothing to capture).
    """
    devices = capturable_devices(supports_xla)
    for p in params:
        if p.device.type not in devices:
            raise AssertionError(
                f"If capturable=True, {what} must be on supported devices: {devices}."
            )


def get_scalar_dtype(is_fused: bool | None = None) -> D.dtype:
    """The dtype of step counters: float32, or float64 when that is the default dtype
    (always float32 for fused optimizers)."""
    if is_fused:
        return D.float32
    return D.float64 if D.get_default_dtype() is D.float64 else D.float32


def scalar_tensor(value: float, dtype: D.dtype | None = None, device=None) -> Tensor:
    """A 0-d tensor (``torch.tensor(value, dtype=...)``), on the CPU unless ``device``."""
    arr = np.array(value, dtype=(dtype or get_scalar_dtype()).np)
    t = _make(arr)
    if device is not None and device.type != "cpu":
        t = t.to(device)
    return t


def zeros_like(p: Tensor) -> Tensor:
    """Fresh zeros with ``p``'s shape, dtype, device and memory layout."""
    d = p._data
    xp = np if type(d) is _ndarray else get_array_module(d)
    return _make(xp.zeros_like(d))


def full_like(p: Tensor, value) -> Tensor:
    """``value`` everywhere, with ``p``'s shape, dtype, device and memory layout."""
    d = p._data
    xp = np if type(d) is _ndarray else get_array_module(d)
    return _make(xp.full_like(d, value))


def to_scalar(x):
    """torch's ``_to_scalar``: a 1-element tensor of any shape becomes 0-d; others pass."""
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.squeeze()
    return x


def number(x):
    """A hyperparameter ready for the array arithmetic: a tensor becomes a NumPy scalar of
    its dtype, which combines with Python numbers as a 0-d tensor does in torch (a float32
    tensor stays float32); numbers pass unchanged."""
    if isinstance(x, Tensor):
        d = x._data
        if type(d) is not _ndarray:
            d = d.get()
        return d.reshape(())[()]
    return x


def as_1d(*arrays):
    """1-element views of 0-d arrays (NumPy turns 0-d results into scalars, which the
    in-place arithmetic cannot write into)."""
    return [a.reshape(1) for a in arrays]


def update_arrays(param: Tensor, grad: Tensor, *buffers: Tensor, maximize: bool = False):
    """The arrays an update works on, and their array module.

    Returns:
        ``(xp, [p, g, *bufs])``: the arrays of ``param``, of ``grad`` (negated when
        ``maximize``) and of each state buffer, as 1-element views (:func:`as_1d`) when the
        parameter is 0-d. The update writes into ``p`` and the buffers in place.
    """
    p = param._data
    arrays = [p, grad._data]
    for b in buffers:
        arrays.append(b._data)
    if p.ndim == 0:
        arrays = as_1d(*arrays)
    if maximize:
        arrays[1] = -arrays[1]
    return (np if type(p) is _ndarray else get_array_module(p)), arrays


def count_step(step: Tensor):
    """Add one to a step counter in place (torch's ``step_t += 1``, on its array: no
    version bump, no graph) and return that 0-d array; ``float()`` of it is the step."""
    st = step._data
    st += 1
    return st


def array_module(arr):
    """The array module of ``arr`` (numpy, without a lookup, for NumPy arrays)."""
    return np if type(arr) is _ndarray else get_array_module(arr)


def cast(arr, value):
    """``value`` as torch's CPU kernels use a Python scalar with a tensor like ``arr``: in
    its dtype, float32 for float16 (the computation type)."""
    dt = arr.dtype
    return dt.type(value) if dt != np.float16 else np.float32(value)
