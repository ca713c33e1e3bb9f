"""DLPack: zero-copy exchange of tensors with NumPy, PyTorch, CuPy, JAX and others.

``from_dlpack(x)`` wraps the memory of any object that implements the DLPack protocol
(``__dlpack__`` and ``__dlpack_device__``), or of a DLPack capsule, in a torchless tensor
without copying; ``to_dlpack(t)`` exports a tensor as a capsule. Tensors implement the
protocol themselves (``Tensor.__dlpack__``, ``Tensor.__dlpack_device__``), so
``numpy.from_dlpack(t)`` and ``torch.from_dlpack(t)`` share the tensor's memory.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]


class DLDeviceType:
    """DLPack's device type codes (the first item of ``__dlpack_device__()``)."""

    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLCUDAManaged = 13
    kDLOneAPI = 14


_HOST = (DLDeviceType.kDLCPU, DLDeviceType.kDLCUDAHost, DLDeviceType.kDLROCMHost)


def tensor_dlpack(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    """``Tensor.__dlpack__``: export the tensor's memory as a DLPack capsule.

    The keyword arguments are the array API's; they are passed on to the array that
    holds the tensor's data (a NumPy or CuPy array).
    """
    if self.requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
    kwargs: dict[str, Any] = {}
    if stream is not None:
        kwargs["stream"] = stream
    if max_version is not None:
        kwargs["max_version"] = max_version
    if dl_device is not None:
        kwargs["dl_device"] = dl_device
    if copy is not None:
        kwargs["copy"] = copy
    return self._data.__dlpack__(**kwargs)


def tensor_dlpack_device(self) -> tuple[int, int]:
    """``Tensor.__dlpack_device__``: ``(device type, device index)`` as DLPack codes."""
    kind, index = self._data.__dlpack_device__()
    return (int(kind), int(index))


def to_dlpack(tensor) -> Any:
    """A DLPack capsule over ``tensor``'s memory (no copy); as ``torch.utils.dlpack``.

    The capsule can be consumed once, by ``from_dlpack`` here or in another library.
    """
    return tensor.__dlpack__()


class _Capsule:
    """Gives a bare DLPack capsule the protocol's two methods, so NumPy and CuPy take it."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self) -> tuple[int, int]:
        return _capsule_device(self.capsule)


def _capsule_device(capsule) -> tuple[int, int]:
    """The (device type, index) recorded in a capsule's DLTensor."""
    api = ctypes.pythonapi
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    name = api.PyCapsule_GetName(capsule)
    if name not in (b"dltensor", b"dltensor_versioned"):
        raise BufferError(
            "from_dlpack received an invalid capsule. Note that DLTensor capsules can be "
            "consumed only once, so you might have already constructed a tensor from it once."
        )
    ptr = api.PyCapsule_GetPointer(capsule, name)
    # DLManagedTensor starts with its DLTensor {void* data; DLDevice device; ...};
    # DLManagedTensorVersioned puts a version, manager_ctx, deleter and flags first
    start = 0 if name == b"dltensor" else 8 + 3 * ctypes.sizeof(ctypes.c_void_p)
    dev = (ctypes.c_int32 * 2).from_address(ptr + start + ctypes.sizeof(ctypes.c_void_p))
    return (int(dev[0]), int(dev[1]))


def from_dlpack(ext_tensor: Any):
    """A tensor over the memory of ``ext_tensor`` (no copy): an object with
    ``__dlpack__``/``__dlpack_device__`` (a NumPy array, a torch or CuPy tensor...) or a
    DLPack capsule.

    Example::

        >>> a = numpy.arange(3.0)
        >>> t = torch.from_dlpack(a)
        >>> t[0] = 5.0
        >>> a[0]
        5.0
    """
    from .. import _dtype as D
    from .._tensor import Tensor, _make

    if isinstance(ext_tensor, Tensor):
        return ext_tensor
    src = ext_tensor if hasattr(ext_tensor, "__dlpack__") else _Capsule(ext_tensor)
    kind = int(src.__dlpack_device__()[0])
    if kind in _HOST:
        arr = np.from_dlpack(src)
    elif kind == DLDeviceType.kDLCUDA:
        try:
            import cupy
        except ImportError as e:
            raise RuntimeError(
                "torchless needs the 'cupy' extra for CUDA tensors (pip install cupy)"
            ) from e
        arr = cupy.from_dlpack(src)
    else:
        raise BufferError(f"torchless cannot import DLPack tensors from device type {kind}")
    D.from_numpy_dtype(arr.dtype)  # torch's TypeError for dtypes torchless lacks
    if isinstance(arr, np.ndarray):
        if type(arr) is not np.ndarray:
            arr = arr.view(np.ndarray)
        if not arr.flags.writeable and isinstance(src, _Capsule):
            # NumPy imports legacy capsules read-only; torch gives a writable tensor
            arr = np.asarray(_Writable(arr))
    return _make(arr)


class _Writable:
    """A writable view of a read-only imported array's memory (kept alive here)."""

    def __init__(self, arr: np.ndarray):
        self.arr = arr
        face = dict(arr.__array_interface__)
        face["data"] = (face["data"][0], False)
        self.__array_interface__ = face
