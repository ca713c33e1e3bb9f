"""torchless: PyTorch's eager API in Python on NumPy.

``import torchless as torch`` and write PyTorch: tensors, autograd, nn,
optim, with torch's names, printing, promotion rules and errors.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import _dtype
from ._tensor import Size, Tensor  # first: it loads the op families
from ._tensor import _log_softmax as log_softmax
from ._tensor import _softmax as softmax
from ._device import device
from ._dtype import (
    bool,
    can_cast,
    double,
    dtype,
    finfo,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    iinfo,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    set_default_dtype,
    short,
    uint8,
)
from ._missing import missing_attribute_getattr
from ._ops.activation import erf, selu
from ._ops.conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d
from ._ops.creation import *  # noqa: F403  (each family's __all__ is public)
from ._ops.indexing import *  # noqa: F403  (each family's __all__ is public)
from ._ops.linalg import *  # noqa: F403  (each family's __all__ is public)
from ._ops.pointwise import *  # noqa: F403  (each family's __all__ is public)
from ._ops.pooling import adaptive_avg_pool1d, avg_pool1d, max_pool1d, max_pool2d
from ._ops.random import *  # noqa: F403  (each family's __all__ is public)
from ._ops.reduction import *  # noqa: F403  (each family's __all__ is public)
from ._ops.sort import *  # noqa: F403
from ._ops.distance import *  # noqa: F403
from ._ops.attention import *  # noqa: F403
from ._ops.rnn import *  # noqa: F403
from ._ops.shape import *  # noqa: F403  (each family's __all__ is public)
from ._random import Generator, default_generator
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._tensor_str import set_printoptions
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

from . import autograd, random  # noqa: E402  (they import the names above)
from ._ops.nn import bilinear  # noqa: E402


class layout:
    """Memory layout marker; torchless has only torch.strided."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name


strided = layout("strided")


class memory_format:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")


def is_tensor(obj) -> bool:
    """True if ``obj`` is a torchless Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    return input.dtype.is_floating_point


def numel(input: Tensor) -> int:
    return input.numel()


def get_num_threads() -> int:
    import os

    return os.cpu_count() or 1


def set_num_threads(n: int) -> None:
    """Accepted for compatibility; NumPy's BLAS pool is set by its own
    environment variables (or threadpoolctl)."""


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Accepted for compatibility: torchless's CPU ops are deterministic."""


def compile(model=None, **kwargs):
    """torch.compile is the identity in torchless (there is no compiler)."""
    if model is None:
        return lambda m: m
    return model


# Submodules and functions loaded on first use, so that `import torchless`
# stays fast: `torchless.nn` works after a plain `import torchless`, as in torch.
_LAZY_MODULES = ("nn", "optim", "utils", "linalg", "func", "serialization", "safetensors")
_LAZY_NAMES = {
    "save": ("serialization", "save"),
    "load": ("serialization", "load"),
    "from_dlpack": ("utils.dlpack", "from_dlpack"),
}

__all__ = sorted(
    [
        n
        for n, v in list(globals().items())
        if not n.startswith("_") and n not in ("annotations", "missing_attribute_getattr")
    ]
    + list(_LAZY_MODULES)
    + list(_LAZY_NAMES)
)
_missing_attr = missing_attribute_getattr(__name__)


def __getattr__(name: str):
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module("." + name, __name__)
    if name in _LAZY_NAMES:
        module, attr = _LAZY_NAMES[name]
        value = getattr(importlib.import_module("." + module, __name__), attr)
        globals()[name] = value
        return value
    return _missing_attr(name)


def __dir__():
    return __all__
