"""In-place ops: ``x += y``, ``add_``, ``fill_``, ``copy_``, ``out=``.

An in-place op computes its out-of-place result, checks that it fits the
tensor (shape and dtype, with torch's errors), writes it into the tensor's
memory and bumps the version counter. Under autograd the tensor's history
is rebased onto the new node; a leaf that requires grad refuses.
"""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import broadcast_error

__all__ = ["apply_inplace", "inplace_variant", "fill_", "copy_", "copy_into_out"]

_LEAF_MSG = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_LEAF_MSG = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


def _short_name(d: D.dtype) -> str:
    return {
        "float32": "Float",
        "float64": "Double",
        "float16": "Half",
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
    }[d.name]


def _check_fits(t: Tensor, res: Tensor) -> None:
    if res._data.shape != t._data.shape:
        raise RuntimeError(
            f"output with shape {list(t._data.shape)} doesn't match the broadcast shape "
            f"{list(res._data.shape)}"
        )
    if res.dtype is not t.dtype and not D.can_cast(res.dtype, t.dtype):
        raise RuntimeError(
            f"result type {_short_name(res.dtype)} can't be cast to the desired output type "
            f"{_short_name(t.dtype)}"
        )


def _write(t: Tensor, arr) -> None:
    dst = t._data
    if not dst.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    np.copyto(dst, arr, casting="unsafe")
    t._bump()


def _guard(t: Tensor) -> None:
    """torch's refusals for in-place ops under autograd."""
    if t.grad_fn is None and t._requires_grad:
        raise RuntimeError(_VIEW_LEAF_MSG if t._base is not None else _LEAF_MSG)
    base = t._base
    if base is not None and base._requires_grad:
        if base.grad_fn is None:
            raise RuntimeError(_VIEW_LEAF_MSG)
        raise NotImplementedError(
            "torchless does not support in-place operations on a view of a tensor that requires "
            "grad yet; apply the operation to the base tensor or use the out-of-place form"
        )


def apply_inplace(t: Tensor, op, *args, **kwargs) -> Tensor:
    """Run ``op(t, *args)`` and store the result in ``t``."""
    tracked = _state.enabled and (
        t._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args)
    )
    if not tracked:
        res = op(t, *args, **kwargs)
        if res is NotImplemented:
            return NotImplemented
        _check_fits(t, res)
        _write(t, res._data)
        return t
    _guard(t)
    # the op sees a snapshot of t: its saved values must not change below it
    old = _make(t._data.copy())
    old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, t._requires_grad, t._out_nr
    res = op(old, *args, **kwargs)
    if res is NotImplemented:
        return NotImplemented
    _check_fits(t, res)
    _write(t, res._data)
    if res.dtype is not t.dtype:
        res = res.to(t.dtype)
    t.grad_fn, t._requires_grad, t._out_nr = res.grad_fn, res._requires_grad, res._out_nr
    return t


def inplace_variant(fn):
    """The ``x_`` method of an out-of-place op ``fn`` (``exp`` -> ``exp_``)."""

    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of ``{fn.__name__}``."
    return method


class FillBackward(Node):
    __slots__ = ("_name",)

    def name(self):
        return self._name

    def apply(self, g):
        return (g * 0,)


def fill_(t: Tensor, value) -> Tensor:
    """Set every element to ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        value = value.item()
    if _state.enabled and t._requires_grad:
        _guard(t)
        _write(t, np.asarray(value).astype(t._data.dtype))
        node = FillBackward()
        node._name = "ZeroBackward0" if value == 0 else "FillBackward0"
        old = _make(t._data)
        old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, True, t._out_nr
        _record(node, t, old)
        t._out_nr = 0
        return t
    dst = t._data
    if not dst.flags.writeable:
        _write(t, value)
    dst.fill(value if dst.dtype.kind == "f" or not isinstance(value, float) else int(value))
    t._bump()
    return t


class CopyBackwards(Node):
    __slots__ = ("src_dtype",)

    def name(self):
        return "torch::autograd::CopyBackwards"

    def __repr__(self):
        return f"<CopyBackwards object at {id(self):#x}>"

    def apply(self, g):
        nf = self.next_functions
        return (g * 0 if nf[0][0] is not None else None), (
            g.to(self.src_dtype) if nf[1][0] is not None else None
        )


def copy_(t: Tensor, src) -> Tensor:
    """Copy ``src`` (broadcast, cast) into ``t``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    try:
        arr = np.broadcast_to(src._host() if t.device != src.device else src._data, t._data.shape)
    except ValueError:
        raise broadcast_error(t._data.shape, src._data.shape) from None
    if _state.enabled and (t._requires_grad or src._requires_grad):
        _guard(t)
        old = _make(t._data)
        old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, t._requires_grad, t._out_nr
        _write(t, arr)
        node = CopyBackwards()
        node.src_dtype = src.dtype
        _record(node, t, old, src)
        t._out_nr = 0
        return t
    _write(t, arr)
    return t


def copy_into_out(out: Tensor, res: Tensor, name: str) -> Tensor:
    """Store the result of op ``name`` in its ``out=`` tensor (resized if empty)."""
    if _state.enabled and (res._requires_grad or out._requires_grad):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    if out._data.shape != res._data.shape:
        out._data = np.empty(res._data.shape, dtype=out._data.dtype)
    if res.dtype is not out.dtype and not D.can_cast(res.dtype, out.dtype):
        raise RuntimeError(
            f"result type {_short_name(res.dtype)} can't be cast to the desired output type "
            f"{_short_name(out.dtype)}"
        )
    _write(out, res._data)
    return out
