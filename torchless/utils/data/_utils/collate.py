"""Collation: turning a list of samples into a batch (``torch.utils.data._utils.collate``).

:func:`default_collate` stacks tensors along a new first dimension and recurses into
containers, so a list of ``(image, label)`` tuples becomes ``[images, labels]``. It looks each
element's type up in :data:`default_collate_fn_map`; a program may add its own types there, or
call :func:`collate` with a map of its own.
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable

import numpy as np

import torchless

__all__ = [
    "collate",
    "collate_float_fn",
    "collate_int_fn",
    "collate_numpy_array_fn",
    "collate_numpy_scalar_fn",
    "collate_str_fn",
    "collate_tensor_fn",
    "default_collate",
    "default_collate_fn_map",
    "default_convert",
]

# NumPy dtype kinds that cannot become tensors: bytes, str, void, object
np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)

_CollateMap = dict[type | tuple[type, ...], Callable]


def _is_numpy_value(elem_type: type) -> bool:
    return elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_")


def default_convert(data):
    """Turn every NumPy array and NumPy scalar in ``data`` into a tensor, recursing into
    mappings, named tuples, tuples (which become lists) and sequences; leave the rest as is.

    The DataLoader's ``collate_fn`` when automatic batching is off (``batch_size=None``).

    Example::

        >>> default_convert({"x": np.array([0, 1]), "n": 3})
        {'x': tensor([0, 1]), 'n': 3}
    """
    elem_type = type(data)
    if isinstance(data, torchless.Tensor):
        return data
    if _is_numpy_value(elem_type):
        if (
            elem_type.__name__ == "ndarray"
            and np_str_obj_array_pattern.search(data.dtype.str) is not None
        ):
            return data
        return torchless.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def collate(batch, *, collate_fn_map: _CollateMap | None = None):
    """Collate ``batch`` (a list of samples of one structure) into one batch.

    Args:
        batch: the samples.
        collate_fn_map: functions by element type, each called as
            ``fn(batch, collate_fn_map=collate_fn_map)``. The type of ``batch[0]`` is looked
            up exactly first, then each key is tried with ``isinstance`` in insertion order.

    Returns:
        For a type in the map, what its function returns. Otherwise mappings give a mapping of
        collated values per key, named tuples a named tuple of collated fields, tuples a list
        and other sequences a sequence of the same type of collated positions (all samples
        must have the same length).

    Raises:
        TypeError: for an element type it cannot collate.
        RuntimeError: ``each element in list of batch should be of equal size``.
    """
    elem = batch[0]
    elem_type = type(elem)

    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        collated = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                    for key in elem}  # fmt: skip
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(collated)
                return clone
            return elem_type(collated)
        except TypeError:
            return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))  # fmt: skip
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, column in enumerate(columns):
                    clone[i] = column
                return clone
            return elem_type(columns)
        except TypeError:
            return columns

    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """Stack tensors along a new first dimension."""
    elem = batch[0]
    if getattr(elem, "is_nested", False):
        raise RuntimeError(
            "Batches of nested tensors are not currently supported by the default collate_fn; "
            "please provide a custom collate_fn to handle them appropriately."
        )
    if getattr(elem, "is_sparse", False):
        raise RuntimeError(
            "Batches of sparse tensors are not currently supported by the default collate_fn; "
            "please provide a custom collate_fn to handle them appropriately."
        )
    return torchless.stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """Turn NumPy arrays into tensors, then collate those."""
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([torchless.as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """A 1-D tensor of NumPy scalars, in their promoted dtype (torch's promotion)."""
    first = type(batch[0])
    if first is not np.object_ and all(type(b) is first for b in batch):
        return torchless.as_tensor(np.array(batch))
    # Mixed scalar types: promote as torch does, not as NumPy does (int32 + float32 gives
    # float32 there, float64 here).
    parts = [torchless.as_tensor(b) for b in batch]
    dtype = parts[0].dtype
    for p in parts[1:]:
        dtype = torchless.promote_types(dtype, p.dtype)
    return torchless.stack([p.to(dtype) for p in parts])


def collate_float_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """Python floats make a float64 tensor (not the default dtype)."""
    return torchless.tensor(batch, dtype=torchless.float64)


def collate_int_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """Python ints make an int64 tensor (and bools a bool tensor)."""
    return torchless.tensor(batch)


def collate_str_fn(batch, *, collate_fn_map: _CollateMap | None = None):
    """Strings and bytes stay a list."""
    return batch


default_collate_fn_map: _CollateMap = {
    torchless.Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """Collate a list of samples into a batch, as the DataLoader does by default.

    Tensors are stacked along a new first dimension; NumPy arrays and NumPy scalars become
    tensors (then stacked); Python floats a float64 tensor; ints an int64 tensor; strings and
    bytes stay a list; mappings, named tuples, tuples and lists are collated per key or
    position (tuples become lists).

    Example::

        >>> default_collate([(0, 1.5, "a"), (2, 3.0, "b")])
        [tensor([0, 2]), tensor([1.5000, 3.0000], dtype=torch.float64), ('a', 'b')]
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)
