"""In-place ops: ``x += y``, ``add_``, ``fill_``, ``copy_``, ``out=``.

An in-place op computes its out-of-place result, checks that it fits the
tensor (shape and dtype, with torch's errors), writes it into the tensor's
memory and bumps the version counter. Under autograd the tensor's history
is rebased onto the new node; a leaf that requires grad refuses.

An in-place op on a view rebases the view's base, as torch does: the op's
node is wrapped in a CopySlices node for the base (the gradient of the old
base is the incoming gradient with the view's region replaced by the op's
gradient for its input), and every live view of the base is given a fresh
AsStridedBackward0 from the base's new node.
"""

from __future__ import annotations

import weakref

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node
from ._common import broadcast_error

__all__ = [
    "apply_inplace",
    "inplace_variant",
    "fill_",
    "copy_",
    "copy_into_out",
    "rebase_view",
    "regenerate_views",
    "track_view",
]

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


_MULTI_VIEW_MSG = (
    "Output {nr} of {fn} is a view and is being modified inplace. This view is the output of a "
    "function that returns multiple views. Such functions do not allow the output views to be "
    "modified inplace. You should replace the inplace operation by an out-of-place one."
)


def _guard(t: Tensor) -> bool:
    """torch's refusals for in-place ops under autograd. True when ``t`` is
    a view whose base must be rebased."""
    base = t._base
    if base is not None and t._data is base._data and t.grad_fn is None:
        base = None  # a detach(): shares memory but is no differentiable view
    if t.grad_fn is None and t._requires_grad:
        raise RuntimeError(_VIEW_LEAF_MSG if base is not None else _LEAF_MSG)
    if base is None:
        return False
    if base._requires_grad and base.grad_fn is None:
        raise RuntimeError(_VIEW_LEAF_MSG)
    fn = t.grad_fn
    if fn is not None and fn.name() in _MULTI_VIEW_NODES:
        raise RuntimeError(_MULTI_VIEW_MSG.format(nr=t._out_nr, fn=fn.name()[: -len("Backward0")]))
    return True


_MULTI_VIEW_NODES = ("UnbindBackward0", "SplitBackward0", "SplitWithSizesBackward0")


def _snapshot(t: Tensor) -> Tensor:
    """A copy of ``t`` that carries its history: what an in-place op's node
    sees as its input (its saved values must not change below it)."""
    old = _make(t._data.copy())
    old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, t._requires_grad, t._out_nr
    return old


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
    is_view = _guard(t)
    old = _snapshot(t)
    res = op(old, *args, **kwargs)
    if res is NotImplemented:
        return NotImplemented
    _check_fits(t, res)
    _write(t, res._data)
    if is_view:
        rebase_view(t, res.grad_fn if res._requires_grad else None, res.dtype)
        return t
    if res.dtype is not t.dtype:
        res = res.to(t.dtype)
    t.grad_fn, t._requires_grad, t._out_nr = res.grad_fn, res._requires_grad, res._out_nr
    regenerate_views(t)
    return t


# ----------------------------------------------------------------------------
# in-place ops on views: CopySlices, and views re-created from their base


class ViewCopySlices(Node):
    """The base's node after an in-place op on one of its views: runs the
    op's node ``fn`` on the view's region of the gradient; the base's old
    history gets the gradient with that region replaced by fn's gradient
    for the view's old values, fn's other inputs their gradients."""

    __slots__ = ("fn", "view_arr", "base_arr", "idx", "view_meta", "res_dtype")
    _full_name = "torch::autograd::CopySlices"

    def _positions(self):
        if self.idx is None:
            from .indexing import _positions_in

            self.idx = _positions_in(self.view_arr, self.base_arr)
        return self.idx

    def apply(self, g):
        from ..autograd.engine import _fit
        from .indexing import _gather_at, _put

        idx = self._positions()
        fn = self.fn
        g0 = None
        rest = ()
        if fn is not None:
            gv = _gather_at(g, idx, "TakeBackward0")
            if gv.dtype is not self.res_dtype:
                gv = gv.to(self.res_dtype)
            out = fn.apply(gv)
            g0, rest = out[0], tuple(out[1:])
            if g0 is not None:
                shape, dtype = self.view_meta
                if g0._data.shape != shape or g0.dtype is not dtype:
                    g0 = _fit(g0, shape, dtype)
        gx = None
        if self.next_functions[0][0] is not None:
            if g0 is None:
                g0 = _make(np.zeros(idx.shape, dtype=g._data.dtype))
            gx = _put(g, idx, g0, False)
        return (gx,) + rest

    def release(self):
        super().release()
        if self.fn is not None:
            self.fn.release()


def rebase_view(t: Tensor, fn, res_dtype) -> None:
    """After an in-place op whose node is ``fn`` (input 0: the view's old
    value) wrote into view ``t``: make the base's history a CopySlices over
    fn, and re-create ``t`` (and the base's other views) from the base."""
    base = t._base
    if fn is None and not base._requires_grad:
        return  # nothing that requires grad was written
    node = ViewCopySlices()
    node.fn, node.view_arr, node.base_arr, node.idx = fn, t._data, base._data, None
    node.view_meta, node.res_dtype = (t._data.shape, t.dtype), res_dtype
    base_edge = _edge_of(base)
    rest = fn.next_functions[1:] if fn is not None else ()
    node.next_functions = (base_edge,) + tuple(rest)
    meta = fn._meta if fn is not None else None
    if meta is not None:
        node._meta = ((base._data.shape, base.dtype),) + tuple(meta[1:])
    base.grad_fn, base._requires_grad, base._out_nr = node, True, 0
    _regenerate(t, node)
    regenerate_views(base)


def _edge_of(t: Tensor):
    if not t._requires_grad:
        return (None, 0)
    fn = t.grad_fn
    return (fn, t._out_nr) if fn is not None else (t._accumulator(), 0)


def _regenerate(v: Tensor, node) -> None:
    """Give view ``v`` a fresh AsStridedBackward0 from its base's ``node``."""
    from .shape import AsStridedBackward0

    n = AsStridedBackward0()
    n.idx, n.shape, n._arrs = None, v._base._data.shape, (v._data, v._base._data)
    n.next_functions = ((node, 0),)
    v.grad_fn, v._requires_grad, v._out_nr = n, True, 0


def regenerate_views(base: Tensor) -> None:
    """Re-create the live views of ``base`` from its current history (after
    the base was modified in place under autograd)."""
    ex = base._extra
    if ex is None:
        return
    refs = ex.get("views")
    if not refs:
        return
    node = base.grad_fn
    live = _Views()
    for r in refs:
        v = r()
        if v is not None:
            live.append(r)
            if v.grad_fn is not None and v.grad_fn.next_functions[:1] == ((node, 0),):
                continue  # already re-created from this node
            if node is not None:
                _regenerate(v, node)
    live.cap = max(64, 2 * len(live))
    ex["views"] = live


def track_view(v: Tensor) -> Tensor:
    """Remember view ``v`` on its base (a non-leaf), so that an in-place op
    on the base or on another of its views can re-create ``v``'s history."""
    base = v._base
    if base is not None and base.grad_fn is not None:
        ex = base._extra
        if ex is None:
            base._extra = {"views": _Views((_ref(v),))}
            return v
        refs = ex.get("views")
        if refs is None:
            ex["views"] = _Views((_ref(v),))
        else:
            refs.append(_ref(v))
            if len(refs) >= refs.cap:  # drop the dead ones, amortised O(1)
                refs[:] = [r for r in refs if r() is not None]
                refs.cap = max(64, 2 * len(refs))
    return v


_ref = weakref.ref


class _Views(list):
    """Weak references to a base's views, pruned when ``cap`` is reached."""

    __slots__ = ("cap",)

    def __init__(self, items=()):
        super().__init__(items)
        self.cap = 64


def inplace_variant(fn):
    """The ``x_`` method of an out-of-place op ``fn`` (``exp`` -> ``exp_``)."""

    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of ``{fn.__name__}``."
    return method


class FillBackward(Node):
    __slots__ = ()

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
        is_view = _guard(t)
        _write(t, np.asarray(value).astype(t._data.dtype))
        node = FillBackward()
        node._name = "ZeroBackward0" if value == 0 else "FillBackward0"
        old = _make(t._data)
        old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, True, t._out_nr
        if is_view:
            _record(node, _make(t._data), old)
            rebase_view(t, node, t.dtype)
            return t
        _record(node, t, old)
        t._out_nr = 0
        regenerate_views(t)
        return t
    dst = t._data
    if not dst.flags.writeable:
        _write(t, value)
    dst.fill(value if dst.dtype.kind == "f" or not isinstance(value, float) else int(value))
    t._bump()
    return t


class CopyBackwards(Node):
    __slots__ = ("src_dtype",)
    _full_name = "torch::autograd::CopyBackwards"

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
        is_view = _guard(t)
        old = _make(t._data)
        old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, t._requires_grad, t._out_nr
        _write(t, arr)
        node = CopyBackwards()
        node.src_dtype = src.dtype
        if is_view:
            _record(node, _make(t._data), old, src)
            rebase_view(t, node, t.dtype)
            return t
        _record(node, t, old, src)
        t._out_nr = 0
        regenerate_views(t)
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
