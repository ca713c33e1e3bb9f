"""State dicts in the safetensors format, as ``safetensors.torch`` reads and writes them.

safetensors files hold only named tensors and a text header, so loading one can never
run code. This module uses the optional ``safetensors`` package (``pip install
safetensors``) through its NumPy API; the files interchange with ``safetensors.torch``.

Example::

    >>> from torchless.safetensors import save_file, load_file
    >>> save_file(model.state_dict(), "model.safetensors")
    >>> model.load_state_dict(load_file("model.safetensors"))
"""

from __future__ import annotations

import os

import numpy as np

from ._tensor import Tensor, _make

__all__ = ["load", "load_file", "save", "save_file"]


def _backend():
    try:
        import safetensors.numpy as st
    except ImportError as e:
        raise ImportError(
            "torchless.safetensors needs the optional 'safetensors' package: "
            "pip install safetensors (or pip install torchless[safetensors])"
        ) from e
    return st


def _arrays(tensors: dict[str, Tensor]) -> dict[str, np.ndarray]:
    """The tensors' arrays, checked as ``safetensors.torch`` checks them."""
    if not isinstance(tensors, dict):
        raise ValueError(f"Expected a dict of [str, torch.Tensor] but received {type(tensors)}")
    from .serialization import _extent, _root

    arrays = {}
    by_root: dict[int, list] = {}
    for k, v in tensors.items():
        if not isinstance(v, Tensor):
            raise ValueError(f"Key `{k}` is invalid, expected torch.Tensor but received {type(v)}")
        arr = v._host()
        if arr.size:
            by_root.setdefault(id(_root(v._data)), []).append((*_extent(arr), k))
        arrays[k] = arr
    failing = []
    for areas in by_root.values():
        # tensors that view overlapping memory would load as separate copies
        areas.sort()
        group = {areas[0][2]}
        stop = areas[0][1]
        for start, end, name in areas[1:]:
            if start >= stop:
                if len(group) > 1:
                    failing.append(group)
                group = {name}
            else:
                group.add(name)
            stop = end
        if len(group) > 1:
            failing.append(group)
    if failing:
        raise RuntimeError(
            "\n            Some tensors share memory, this will lead to duplicate memory on disk "
            f"and potential differences when loading them again: {failing}.\n            A "
            "potential way to correctly save your model is to use `save_model`.\n            "
            "More information at https://huggingface.co/docs/safetensors/torch_shared_tensors"
            "\n            "
        )
    for k, arr in arrays.items():
        if not arr.flags.c_contiguous:
            raise ValueError(
                f"You are trying to save a non contiguous tensor: `{k}` which is not allowed. It "
                "either means you are trying to save tensors which are reference of each other "
                "in which case it's recommended to save only the full tensors, and reslice at "
                "load time, or simply call `.contiguous()` on your tensor to pack it before "
                "saving."
            )
    return arrays


def _tensors(arrays: dict[str, np.ndarray], device="cpu") -> dict[str, Tensor]:
    out = {}
    for k, a in arrays.items():
        if not a.flags.writeable:
            a = a.copy()
        t = _make(a)
        if str(device) != "cpu":
            t = t.to(device if not isinstance(device, int) else f"cuda:{device}")
        out[k] = t
    return out


def save_file(
    tensors: dict[str, Tensor],
    filename: str | os.PathLike,
    metadata: dict[str, str] | None = None,
) -> None:
    """Save a dict of contiguous tensors that share no memory to a safetensors file.

    Args:
        tensors: name -> tensor (a ``state_dict``).
        filename: the file to write.
        metadata: optional text-only header entries.
    """
    _backend().save_file(_arrays(tensors), filename, metadata=metadata)


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors``."""
    return _backend().save(_arrays(tensors), metadata=metadata)


def load_file(filename: str | os.PathLike, device: str | int = "cpu") -> dict[str, Tensor]:
    """Load the tensors of a safetensors file (written here or by ``safetensors.torch``).

    Args:
        filename: the file to read.
        device: where to put the tensors (default ``"cpu"``).
    """
    return _tensors(_backend().load_file(filename), device)


def load(data: bytes) -> dict[str, Tensor]:
    """Load the tensors of a safetensors file's bytes."""
    return _tensors(_backend().load(data))
