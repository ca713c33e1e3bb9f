"""Shape and view ops: view/reshape, permute/transpose, (un)squeeze, expand,
flatten, cat/stack, unbind, clone/contiguous.

Views share memory with their input (NumPy views) and its version counter.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state, _view_of, wrap_dim
from ..autograd.graph import Node

__all__ = [
    "view",
    "reshape",
    "flatten",
    "permute",
    "transpose",
    "t",
    "unsqueeze",
    "squeeze",
    "expand",
    "expand_as",
    "cat",
    "concat",
    "stack",
    "unbind",
    "clone",
    "contiguous",
    "narrow",
    "select",
]


def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _infer_shape(shape, numel):
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    if neg:
        known = 1
        for s in shape:
            if s != -1:
                known *= s
        if known == 0 and numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    n = 1
    for s in shape:
        n *= s
    if n != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class ViewBackward0(Node):
    __slots__ = ("shape",)

    def apply(self, g):
        return (g.reshape(self.shape),)


class UnsafeViewBackward0(ViewBackward0):
    __slots__ = ()


class ReshapeAliasBackward0(ViewBackward0):
    __slots__ = ()


def _try_view(a, shape):
    """A view of ``a`` with ``shape``, or None when the strides forbid it."""
    try:
        return a.reshape(shape, copy=False)
    except ValueError:
        return None
    except TypeError:  # NumPy < 2.1 has no copy= argument
        v = a.view()
        try:
            v.shape = shape
        except AttributeError:
            return None
        return v


def view(input, *shape):
    """The same data with another shape; the memory layout must allow it."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list)):
        from .. import _dtype as D

        if isinstance(shape[0], D.dtype):
            return _view_dtype(input, shape[0])
    a = input._data
    shape = _infer_shape(_shape_args(shape), a.size)
    v = _try_view(a, shape)
    if v is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    res = _view_of(v, input)
    if _state.enabled and input._requires_grad:
        node = ViewBackward0()
        node.shape = a.shape
        _record(node, res, input)
    return res


def _view_dtype(input, dtype):
    a = input._data
    return _view_of(a.view(dtype.np), input)


def reshape(input, *shape):
    """The same data with another shape: a view when possible, else a copy."""
    a = input._data
    shape = _infer_shape(_shape_args(shape), a.size)
    v = _try_view(a, shape)
    if v is not None:
        res = _view_of(v, input)
        # torch views a contiguous input, and aliases a non-contiguous one
        node_cls = ViewBackward0 if a.flags.c_contiguous else ReshapeAliasBackward0
    else:
        # a contiguous clone, viewed: recorded as torch records it
        input = _clone(input, "C")
        res = _make(input._data.reshape(shape))
        node_cls = UnsafeViewBackward0
    if _state.enabled and input._requires_grad:
        node = node_cls()
        node.shape = a.shape
        _record(node, res, input)
    return res


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    shape = input._data.shape
    if len(shape) == 0:
        return reshape(input, (1,))
    s = wrap_dim(start_dim, len(shape))
    e = wrap_dim(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    n = 1
    for d in shape[s : e + 1]:
        n *= d
    return reshape(input, shape[:s] + (n,) + shape[e + 1 :])


class PermuteBackward0(Node):
    __slots__ = ("inv",)

    def apply(self, g):
        return (permute(g, self.inv),)


def permute(input, *dims):
    """Reorder the dims (a view)."""
    a = input._data
    dims = tuple(wrap_dim(d, a.ndim) for d in _shape_args(dims))
    if len(dims) != a.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {a.ndim} is not "
            f"equal to len(dims) = {len(dims)}"
        )
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    res = _view_of(a.transpose(dims), input)
    if _state.enabled and input._requires_grad:
        node = PermuteBackward0()
        node.inv = tuple(np.argsort(dims).tolist())
        _record(node, res, input)
    return res


class TransposeBackward0(Node):
    __slots__ = ("d0", "d1")

    def apply(self, g):
        return (transpose(g, self.d0, self.d1),)


def transpose(input, dim0, dim1):
    """Swap two dims (a view)."""
    a = input._data
    n = a.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    res = _view_of(np.swapaxes(a, d0, d1) if n else a.view(), input)
    if _state.enabled and input._requires_grad:
        node = TransposeBackward0()
        node.d0, node.d1 = d0, d1
        _record(node, res, input)
    return res


class TBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (t(g),)


def t(input):
    """Transpose a tensor of at most 2 dims."""
    a = input._data
    if a.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {a.ndim}D")
    res = _view_of(a.T, input)
    if _state.enabled and input._requires_grad:
        _record(TBackward0(), res, input)
    return res


class UnsqueezeBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        return (squeeze(g, self.dim),)


def unsqueeze(input, dim):
    """Insert a dim of size 1 at ``dim`` (a view)."""
    a = input._data
    d = wrap_dim(dim, a.ndim + 1)
    res = _view_of(np.expand_dims(a, d), input)
    if _state.enabled and input._requires_grad:
        node = UnsqueezeBackward0()
        node.dim = d
        _record(node, res, input)
    return res


class SqueezeBackward(Node):
    __slots__ = ("shape", "_name")

    def name(self):
        return self._name

    def apply(self, g):
        return (g.reshape(self.shape),)


def squeeze(input, dim=None):
    """Remove dims of size 1 (all, or those in ``dim``) (a view)."""
    a = input._data
    if dim is None:
        axes = tuple(i for i, s in enumerate(a.shape) if s == 1)
        name = "SqueezeBackward0"
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        wrapped = [wrap_dim(d, a.ndim) for d in dims]
        if len(set(wrapped)) != len(wrapped):
            first = next(d for i, d in enumerate(wrapped) if d in wrapped[:i])
            raise RuntimeError(f"dim {first} appears multiple times in the list of dims")
        axes = tuple(i for i in wrapped if a.ndim and a.shape[i] == 1)
        name = "SqueezeBackward1" if not isinstance(dim, (tuple, list)) else "SqueezeBackward2"
    res = _view_of(np.squeeze(a, axis=axes) if axes else a.view(), input)
    if _state.enabled and input._requires_grad:
        node = SqueezeBackward()
        node.shape, node._name = a.shape, name
        _record(node, res, input)
    return res


class ExpandBackward0(Node):
    __slots__ = ("shape",)

    def apply(self, g):
        from .reduction import sum_to_shape

        return (sum_to_shape(g, self.shape),)


def broadcast_view(a, shape):
    """A read-only view of ``a`` broadcast to ``shape`` (like np.broadcast_to,
    built directly from strides: np.broadcast_to's checks cost more than the
    small tensors it is used on)."""
    if a.flags.c_contiguous:
        lead = len(shape) - a.ndim
        strides = [0] * len(shape)
        for i, n in enumerate(a.shape):
            if n != 1:
                strides[lead + i] = a.strides[i]
        v = np.ndarray(shape, a.dtype, a, 0, tuple(strides))
        v.flags.writeable = False
        return v
    return np.broadcast_to(a, shape)


def expand(input, *sizes):
    """Broadcast size-1 dims to ``sizes`` without copying (-1 keeps a dim)."""
    a = input._data
    sizes = _shape_args(sizes)
    if len(sizes) < a.ndim:
        raise RuntimeError(
            f"expand(torch.{input.dtype._legacy}{{{list(a.shape)}}}, size={list(sizes)}): the "
            f"number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({a.ndim})"
        )
    lead = len(sizes) - a.ndim
    target = list(sizes)
    # checked from the last dim, as torch reports the first failure from the right
    for i in range(len(sizes) - 1, -1, -1):
        s = sizes[i]
        cur = a.shape[i - lead] if i >= lead else 1
        if s == -1:
            if i < lead:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            s = target[i] = cur
        if cur != s and cur != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({cur}) "
                f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                f"{list(a.shape)}"
            )
        if s < 0:
            raise RuntimeError("numel: integer multiplication overflow")
    target = tuple(target)
    if target == a.shape:
        res = _view_of(a.view(), input)
    else:
        res = _view_of(broadcast_view(a, target), input)
    if _state.enabled and input._requires_grad:
        node = ExpandBackward0()
        node.shape = a.shape
        _record(node, res, input)
    return res


def expand_as(input, other):
    return expand(input, other.shape)


class CatBackward0(Node):
    __slots__ = ("dim", "sizes")

    def apply(self, g):
        out = []
        start = 0
        for s in self.sizes:
            out.append(g.narrow(self.dim, start, s))
            start += s
        return tuple(out)


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim."""
    from .. import _dtype as D

    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    # legacy behaviour: 1-D empty tensors are skipped
    live = [x for x in tensors if not (x._data.ndim == 1 and x._data.size == 0)]
    if not live:
        return _make(tensors[0]._data.copy())
    ref = live[0]
    for i, x in enumerate(tensors):
        if x._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = wrap_dim(dim, ref._data.ndim)
    rd = D.result_type(*live) if len({x.dtype for x in live}) > 1 else ref.dtype
    for i, x in enumerate(live):
        if x._data.ndim != ref._data.ndim:
            raise RuntimeError(
                "Tensors must have same number of dimensions: got "
                f"{ref._data.ndim} and {x._data.ndim}"
            )
        for k in range(ref._data.ndim):
            if k != d and x._data.shape[k] != ref._data.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{ref._data.shape[k]} but got size {x._data.shape[k]} for tensor number "
                    f"{i} in the list."
                )
    r = np.concatenate([x._data for x in live], axis=d, dtype=rd.np)
    res = _make(r)
    if _state.enabled and any(x._requires_grad for x in live):
        node = CatBackward0()
        node.dim, node.sizes = d, [x._data.shape[d] for x in live]
        _record(node, res, *live)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "cat")
    return res


concat = cat


class StackBackward0(Node):
    __slots__ = ("dim",)

    def apply(self, g):
        return tuple(unbind(g, self.dim))


def stack(tensors, dim=0, *, out=None):
    """Join tensors along a new dim."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                f"and {list(x._data.shape)} at entry {i}"
            )
    d = wrap_dim(dim, len(shape) + 1)
    from .. import _dtype as D

    rd = D.result_type(*tensors)
    res = _make(np.stack([x._data for x in tensors], axis=d).astype(rd.np, copy=False))
    if _state.enabled and any(x._requires_grad for x in tensors):
        node = StackBackward0()
        node.dim = d
        _record(node, res, *tensors)
    if out is not None:
        from .inplace import copy_into_out

        return copy_into_out(out, res, "stack")
    return res


class UnbindBackward0(Node):
    __slots__ = ("dim", "shape", "dtype")

    @property
    def _nout(self):
        return self.shape[self.dim]

    def apply(self, grads):
        from .creation import zeros

        parts = [
            g
            if g is not None
            else zeros(self.shape[: self.dim] + self.shape[self.dim + 1 :], dtype=self.dtype)
            for g in grads
        ]
        return (stack(parts, self.dim),)


def unbind(input, dim=0):
    """Split into a tuple of views along ``dim``."""
    a = input._data
    d = wrap_dim(dim, a.ndim)
    n = a.shape[d]
    moved = np.moveaxis(a, d, 0)
    outs = tuple(_view_of(moved[i], input) for i in range(n))
    if _state.enabled and input._requires_grad:
        node = UnbindBackward0()
        node.dim, node.shape, node.dtype = d, a.shape, input.dtype
        for i, o in enumerate(outs):
            _record(node, o, input)
            o._out_nr = i
    return outs


class CloneBackward0(Node):
    __slots__ = ()

    def apply(self, g):
        return (g,)


def _clone(input, order):
    res = _make(input._data.copy(order=order))
    if _state.enabled and input._requires_grad:
        _record(CloneBackward0(), res, input)
    return res


def _is_dense(a) -> bool:
    """Non-overlapping and dense: a permutation of a contiguous layout."""
    expected = a.itemsize
    for stride, size in sorted(zip(a.strides, a.shape)):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def clone(input, *, memory_format=None):
    """A copy with its own memory; gradients flow through. The copy keeps
    the strides of a dense input (torch's preserve_format), else is
    contiguous."""
    a = input._data
    fmt = getattr(memory_format, "name", "preserve_format")
    if fmt == "contiguous_format" or a.flags.c_contiguous or not _is_dense(a):
        return _clone(input, "C")
    return _clone(input, "K")


def contiguous(input, memory_format=None):
    """The tensor itself if C-contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return _clone(input, "C")


def narrow(input, dim, start, length):
    """``length`` elements of ``dim`` from ``start`` (a view); a negative
    ``start`` counts from the end."""
    d = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    idx = (slice(None),) * d + (slice(start, start + length),)
    return input[idx]


_ = Tensor


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, that dim removed (a view)."""
    n = input._data.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, n)
    size = input._data.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size "
            f"{list(input._data.shape)} at dimension {d}"
        )
    return input[(slice(None),) * d + (index,)]


# Tensor methods that are these functions themselves (self first); _tensor.py
# installs every family's table on the class.
TENSOR_METHODS = {
    "view": view,
    "reshape": reshape,
    "flatten": flatten,
    "permute": permute,
    "transpose": transpose,
    "t": t,
    "unsqueeze": unsqueeze,
    "squeeze": squeeze,
    "expand": expand,
    "expand_as": expand_as,
    "unbind": unbind,
    "narrow": narrow,
    "select": select,
    "clone": clone,
    "contiguous": contiguous,
}
