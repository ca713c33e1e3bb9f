"""Shape and view ops: view/reshape, permute/transpose, (un)squeeze, expand,
flatten, cat/stack, unbind, clone/contiguous; movedim, broadcasting, repeat
and tile, flips and rolls, splits, stacks, triangles and diagonals,
meshgrid, as_strided and unfold.

Views share memory with their input (NumPy views) and its version counter.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make, _record, _state, _view_of, wrap_dim
from ..autograd.graph import Node
from .inplace import inplace_variant, track_view

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
    "unflatten",
    "movedim",
    "moveaxis",
    "swapaxes",
    "swapdims",
    "broadcast_to",
    "broadcast_tensors",
    "broadcast_shapes",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "repeat_interleave",
    "tile",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "chunk",
    "split",
    "tensor_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "hstack",
    "vstack",
    "dstack",
    "column_stack",
    "row_stack",
    "tril",
    "triu",
    "diag",
    "diagonal",
    "diag_embed",
    "diagflat",
    "trace",
    "meshgrid",
    "as_strided",
    "ravel",
]


def _c_order(arr):
    """``arr`` as a C-contiguous array (copied only if needed; 0-d stays 0-d,
    unlike np.ascontiguousarray)."""
    return np.asarray(arr, order="C")


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
        track_view(_record(node, res, input))
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
        track_view(_record(node, res, input))
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
        track_view(_record(node, res, input))
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
        track_view(_record(node, res, input))
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
        track_view(_record(TBackward0(), res, input))
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
        track_view(_record(node, res, input))
    return res


class SqueezeBackward(Node):
    __slots__ = ("shape",)

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
        track_view(_record(node, res, input))
    return res


class ExpandBackward0(Node):
    __slots__ = ("shape",)

    def apply(self, g):
        from .reduction import sum_to_shape

        return (sum_to_shape(g, self.shape),)


def broadcast_view(a, shape):
    """A read-only view of ``a`` broadcast to ``shape``, with the strides
    torch's expand gives (built directly from strides: np.broadcast_to's
    checks cost more than the small tensors it is used on)."""
    nd = len(shape)
    lead = nd - a.ndim
    strides = [0] * nd
    ast = a.strides
    for i in range(nd - 1, -1, -1):
        if i >= lead:
            n, st = a.shape[i - lead], ast[i - lead]
        else:
            n, st = 1, (strides[i + 1] * shape[i + 1] if i < nd - 1 else 0)
        strides[i] = st if n == shape[i] else 0
    if a.flags.c_contiguous:
        v = np.ndarray(shape, a.dtype, a, 0, tuple(strides))
        v.flags.writeable = False
        return v
    return np.lib.stride_tricks.as_strided(a, shape, tuple(strides), writeable=False)


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
        track_view(_record(node, res, input))
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

        if self._nout == 1:
            grads = [grads]
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
            track_view(_record(node, o, input))
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


# ----------------------------------------------------------------------------
# unflatten, movedim, swapaxes, broadcasting


def _int_list(v):
    """An int or a sequence of ints (or a 1-D tensor) as a tuple of ints."""
    if isinstance(v, Tensor):
        return tuple(int(e) for e in v._host().reshape(-1))
    if isinstance(v, (tuple, list)):
        return tuple(int(e) for e in v)
    return (int(v),)


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (a view; one size may be -1)."""
    shape = input._data.shape
    sizes = _int_list(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    d = wrap_dim(dim, len(shape))
    n = shape[d] if shape else 1
    if sizes.count(-1) == 1:
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        if known and n % known == 0:
            sizes = tuple(n // known if s == -1 else s for s in sizes)
    total = 1
    for s in sizes:
        total *= s
    if total != n or -1 in sizes:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} "
            f"({n}) in the input tensor"
        )
    return view(input, shape[:d] + sizes + shape[d + 1 :])


def movedim(input, source, destination):
    """Move dims ``source`` to positions ``destination`` (a view)."""
    n = input._data.ndim
    src = _int_list(source)
    dst = _int_list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)"
        )
    ws = [wrap_dim(d, n) for d in src]
    wd = [wrap_dim(d, n) for d in dst]
    if len(set(ws)) != len(ws):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
    if len(set(wd)) != len(wd):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
    if n == 0:
        return _alias(input)
    order = [-1] * n
    for s, d in zip(ws, wd):
        order[d] = s
    rest = iter(d for d in range(n) if d not in ws)
    order = [next(rest) if o == -1 else o for o in order]
    return permute(input, order)


def _alias(input):
    from .indexing import AliasBackward0

    res = _view_of(input._data[...], input)
    if _state.enabled and input._requires_grad:
        track_view(_record(AliasBackward0(), res, input))
    return res


moveaxis = movedim


def swapaxes(input, axis0, axis1):
    """Swap two dims (a view): ``transpose``."""
    return transpose(input, axis0, axis1)


swapdims = swapaxes


def broadcast_to(input, *size):
    """``input`` expanded to ``size`` (a view)."""
    return expand(input, *size)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to, as a torch.Size."""
    from .._tensor import Size

    shapes = tuple((s,) if isinstance(s, int) else s for s in shapes if s is not None)
    if not shapes:
        return Size([])
    for s in shapes:
        if not isinstance(s, (tuple, list)):
            raise RuntimeError(
                f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s}"
            )
    common = [1] * max(len(s) for s in shapes)
    for k, s in enumerate(shapes):
        for i in range(-1, -1 - len(s), -1):
            if s[i] == common[i]:
                continue
            if common[i] == 1:
                if s[i] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = s[i]
            if s[i] == 1:
                continue
            if common[i] != s[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {s[i]} at {i}! Mismatching "
                    f"argument at index {k} had {s}; but expected shape should be broadcastable "
                    f"to {common}"
                )
    return Size(common)


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views; a tensor already of
    that shape is returned itself)."""
    from ._common import broadcast_error

    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shapes = [t._data.shape for t in tensors]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise broadcast_error(*shapes) from None
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


def _atleast(tensors, fn):
    if len(tensors) == 1:
        t = tensors[0]
        if isinstance(t, Tensor):
            return fn(t)
        return tuple(fn(x) for x in t)
    return tuple(fn(x) for x in tensors)


def _at1(x):
    return reshape(x, (1,)) if x._data.ndim == 0 else x


def _at2(x):
    n = x._data.ndim
    if n == 0:
        return reshape(x, (1, 1))
    return unsqueeze(x, 0) if n == 1 else x


def _at3(x):
    n = x._data.ndim
    if n == 0:
        return reshape(x, (1, 1, 1))
    if n == 1:
        return unsqueeze(unsqueeze(x, 0), -1)
    return unsqueeze(x, -1) if n == 2 else x


def atleast_1d(*tensors):
    """Each tensor with at least one dim (0-d ones reshaped to (1,))."""
    return _atleast(tensors, _at1)


def atleast_2d(*tensors):
    """Each tensor with at least two dims (new dims in front)."""
    return _atleast(tensors, _at2)


def atleast_3d(*tensors):
    """Each tensor with at least three dims, as torch adds them."""
    return _atleast(tensors, _at3)


def ravel(input):
    """The elements as a 1-D tensor: a view of a contiguous input."""
    return view(contiguous(input), (-1,))


# ----------------------------------------------------------------------------
# repeat, repeat_interleave, tile


class RepeatBackward0(Node):
    __slots__ = ("reps", "shape")

    def apply(self, g):
        reps, shape = self.reps, self.shape
        lead = len(reps) - len(shape)
        if lead:
            g = g.sum(tuple(range(lead)))
        if not shape:
            return (g,)
        pairs = []
        for r, s in zip(reps[lead:], shape):
            pairs += [r, s]
        g = g.reshape(pairs)
        return (g.sum(tuple(range(0, len(pairs), 2))),)


def repeat(input, *sizes):
    """Tile the tensor ``sizes[i]`` times along each dim (new dims in front)."""
    a = input._data
    reps = _shape_args(sizes)
    if len(reps) < a.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    lead = len(reps) - a.ndim
    shape = [r * (a.shape[i - lead] if i >= lead else 1) for i, r in enumerate(reps)]
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {shape}")
    res = _make(_c_order(np.tile(a, reps)) if reps else a.copy())
    if _state.enabled and input._requires_grad:
        node = RepeatBackward0()
        node.reps, node.shape = reps, a.shape
        _record(node, res, input)
    return res


def tile(input, *dims):
    """``repeat`` with ``dims`` padded with leading ones to the input's dims."""
    dims = _shape_args(dims)
    n = input._data.ndim
    if len(dims) < n:
        dims = (1,) * (n - len(dims)) + dims
    return repeat(input, dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times along ``dim`` (the flattened
    input when ``dim`` is None). ``repeat_interleave(t)`` of a 1-D int
    tensor repeats its indices."""
    if repeats is None:
        r = _interleave_counts(input)
        return _make(np.repeat(np.arange(r.size, dtype=np.int64), r))
    if dim is None:
        input = reshape(input, (-1,))
        dim = 0
    n = input._data.ndim
    d = wrap_dim(dim, n)
    size = input._data.shape[d] if n else 1
    if not isinstance(repeats, Tensor):
        r = int(repeats)
        if r < 0:
            raise RuntimeError("Repeats must be non-negative")
        if output_size is not None and output_size != size * r:
            raise RuntimeError("allocated size does not match required size")
        if n == 0:
            input = reshape(input, (1,))
        u = unsqueeze(input, d + 1)
        shape = list(u._data.shape)
        shape[d + 1] = r
        out = list(input._data.shape)
        out[d] *= r
        return view(clone(expand(u, shape)), out)
    if repeats._data.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    r = repeats._data.reshape(-1)
    if r.size == 1:
        r = np.broadcast_to(r, (size,))
    elif r.size != size:
        raise RuntimeError(
            "repeats must have the same size as input along dim, but got repeats.size(0) = "
            f"{r.size} and input.size({d}) = {size}"
        )
    r = _interleave_counts(_make(_c_order(r)))
    idx = np.repeat(np.arange(size, dtype=np.int64), r)
    if output_size is not None and output_size != idx.size:
        raise RuntimeError("allocated size does not match required size")
    from .indexing import index_select

    return index_select(input, d, _make(idx))


def _interleave_counts(repeats):
    r = repeats._data
    if r.dtype.kind not in "iu":
        raise NotImplementedError(
            f"\"repeat_interleave_cpu\" not implemented for '{_short(repeats.dtype)}'"
        )
    if r.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if r.size and r.min() < 0:
        raise RuntimeError("repeats can not be negative")
    return r.astype(np.int64)


def _short(dtype):
    from .inplace import _short_name

    return _short_name(dtype)


# ----------------------------------------------------------------------------
# flip, roll, rot90


def _dims_list(dims, n, unique=True):
    dims = _int_list(dims)
    out = [wrap_dim(d, n) for d in dims]
    if unique:
        seen = set()
        for d in out:
            if d in seen:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
            seen.add(d)
    return out


def _copy_like(arr, like):
    """A copy of ``arr`` laid out as torch's empty_like(preserve) lays out
    ``like``: its dense strides kept, else contiguous."""
    if like.flags.c_contiguous or not _is_dense(like):
        return _c_order(arr)
    return arr.copy(order="K")


class FlipBackward0(Node):
    __slots__ = ("dims",)

    def apply(self, g):
        return (flip(g, self.dims),)


def flip(input, *dims):
    """Reverse the order of elements along ``dims`` (a copy)."""
    if len(dims) == 1:
        dims = dims[0]
    a = input._data
    ds = _dims_list(dims, a.ndim)
    if a.ndim == 0:
        ds = []
    res = _make(_copy_like(np.flip(a, tuple(ds)), a) if ds else a.copy())
    if _state.enabled and input._requires_grad:
        node = FlipBackward0()
        node.dims = tuple(ds)
        _record(node, res, input)
    return res


def fliplr(input):
    """Flip dim 1 (the columns of a matrix)."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """Flip dim 0 (the rows of a matrix)."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


class RollBackward0(Node):
    __slots__ = ("shifts", "dims")

    def apply(self, g):
        return (roll(g, tuple(-s for s in self.shifts), self.dims),)


def roll(input, shifts, dims=None):
    """Shift elements along ``dims`` with wrap-around (the flattened tensor
    when ``dims`` is None)."""
    a = input._data
    sh = _int_list(shifts)
    ds = () if dims is None else _int_list(dims)
    if not sh:
        raise RuntimeError("`shifts` required")
    if dims is None and len(sh) == 1:
        r = np.roll(a.reshape(-1), sh[0]).reshape(a.shape)
        wd = None
    else:
        if len(sh) != len(ds):
            raise RuntimeError(
                f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}"
            )
        wd = tuple(wrap_dim(d, a.ndim) for d in ds)
        r = np.roll(a, sh, wd) if a.ndim else a.copy()
    res = _make(_c_order(r))
    if _state.enabled and input._requires_grad:
        node = RollBackward0()
        node.shifts, node.dims = sh, wd
        _record(node, res, input)
    return res


class Rot90Backward0(Node):
    __slots__ = ("k", "dims")

    def apply(self, g):
        return (rot90(g, -self.k, self.dims),)


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the
    first towards the second."""
    a = input._data
    dims = _int_list(dims)
    n = a.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    d0, d1 = wrap_dim(dims[0], n), wrap_dim(dims[1], n)
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and "
            f"dim1 = {dims[1]}"
        )
    k = int(k)
    m = k % 4
    if m == 1:
        r = np.swapaxes(_copy_like(np.flip(a, d1), a), d0, d1)
    elif m == 2:
        r = _copy_like(np.flip(a, (d0, d1)), a)
    elif m == 3:
        r = np.swapaxes(_copy_like(np.flip(a, d0), a), d0, d1)
    else:
        r = a.copy(order="C")
    res = _make(r)
    if _state.enabled and input._requires_grad:
        node = Rot90Backward0()
        node.k, node.dims = k, (d0, d1)
        _record(node, res, input)
    return res


# ----------------------------------------------------------------------------
# split, chunk, tensor_split


class SplitBackward(Node):
    """Gradient of split/chunk: the outputs' gradients joined (zeros for
    outputs that received none)."""

    __slots__ = ("dim", "sizes", "shape", "dtype")

    @property
    def _nout(self):
        return len(self.sizes)

    def apply(self, grads):
        from .creation import zeros

        if self._nout == 1:
            grads = [grads]
        parts = []
        for g, s in zip(grads, self.sizes):
            if g is None:
                shape = list(self.shape)
                shape[self.dim] = s
                g = zeros(shape, dtype=self.dtype)
            parts.append(g)
        return (cat(parts, self.dim),)


def _split_views(input, d, sizes, name):
    a = input._data
    outs = []
    start = 0
    for s in sizes:
        idx = (slice(None),) * d + (slice(start, start + s),)
        outs.append(_view_of(a[idx], input))
        start += s
    if _state.enabled and input._requires_grad:
        node = SplitBackward()
        node._name, node.dim, node.sizes = name, d, tuple(sizes)
        node.shape, node.dtype = a.shape, input.dtype
        for i, o in enumerate(outs):
            track_view(_record(node, o, input))
            o._out_nr = i
    return tuple(outs)


def split(tensor, split_size_or_sections, dim=0):
    """Views of pieces along ``dim``: of ``split_size`` each (the last may be
    smaller), or of the listed sizes."""
    a = tensor._data
    if a.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={sizes}"
            )
        if sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {d}), but got split_sizes={sizes}"
            )
        return _split_views(tensor, d, sizes, "SplitWithSizesBackward0")
    s = int(split_size_or_sections)
    if s < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
    if s == 0 and size != 0:
        raise RuntimeError(
            f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
        )
    n = max((size + s - 1) // s, 1) if s else 1
    sizes = [s] * (n - 1) + [size - s * (n - 1)]
    return _split_views(tensor, d, sizes, "SplitBackward0")


def _split_method(self, split_size, dim=0):
    """Tensor.split: ``split_size`` is an int or a list of sizes."""
    return split(self, split_size, dim)


def chunk(input, chunks, dim=0):
    """At most ``chunks`` views of equal size (the last may be smaller) along ``dim``."""
    a = input._data
    if a.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    s = (size + chunks - 1) // chunks
    if s == 0 and size == 0:
        return _split_views(input, d, [0] * chunks, "SplitWithSizesBackward0")
    return split(input, s, d)


def _slice(input, d, start, stop):
    """``input`` sliced along ``d``, recorded as torch's slice op (SliceBackward0)."""
    from .indexing import _step

    if _state.enabled and input._requires_grad:
        return _step(input, "slice", d, slice(start, stop), input)
    a = input._data
    return _view_of(a[(slice(None),) * d + (slice(start, stop),)], input)


def tensor_split(
    input,
    indices_or_sections=None,
    dim=0,
    *,
    sections=None,
    indices=None,
    tensor_indices_or_sections=None,
):
    """Views along ``dim``: ``n`` nearly equal sections, or the pieces
    between the given indices."""
    for alt in (sections, indices, tensor_indices_or_sections):
        if alt is not None:
            indices_or_sections = alt
    a = input._data
    if a.ndim == 0:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    d = wrap_dim(dim, a.ndim)
    size = a.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios.dtype.name != "int64":
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                f"{_short(ios.dtype)}"
            )
        if ios._data.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {ios._data.ndim} dims"
            )
        ios = int(ios._data) if ios._data.ndim == 0 else [int(i) for i in ios._data]
    if isinstance(ios, (list, tuple)):
        bounds = [0] + [int(i) for i in ios] + [size]
        return tuple(_slice(input, d, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1))
    n = int(ios)
    if n <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {n}")
    q, r = divmod(size, n)
    outs = []
    start = 0
    for i in range(n):
        s = q + (1 if i < r else 0)
        outs.append(_slice(input, d, start, start + s))
        start += s
    return tuple(outs)


def _dir_split(input, ios, name, d, need):
    n = input._data.ndim
    if n < need:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {need} dimension, but got a tensor "
            f"with {n} dimensions!"
        )
    if not isinstance(ios, (list, tuple, Tensor)):
        size = input._data.shape[d]
        s = int(ios)
        if s == 0 or size % s:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {d}, but the size of the "
                f"dimension {size} is not divisible by the split_size {s}!"
            )
    return tensor_split(input, ios, d)


def hsplit(input, indices_or_sections):
    """``tensor_split`` along dim 1 (dim 0 for a 1-D tensor)."""
    d = 1 if input._data.ndim > 1 else 0
    return _dir_split(input, indices_or_sections, "hsplit", d, 1)


def vsplit(input, indices_or_sections):
    """``tensor_split`` along dim 0 of a tensor of 2 or more dims."""
    return _dir_split(input, indices_or_sections, "vsplit", 0, 2)


def dsplit(input, indices_or_sections):
    """``tensor_split`` along dim 2 of a tensor of 3 or more dims."""
    return _dir_split(input, indices_or_sections, "dsplit", 2, 3)


# ----------------------------------------------------------------------------
# hstack, vstack, dstack, column_stack


def _tensor_list(tensors, name):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    ts = [_at1(t) for t in _tensor_list(tensors, "hstack")]
    return cat(ts, 0 if ts[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """Concatenate along dim 0 after making every tensor at least 2-D."""
    ts = [_at2(t) for t in _tensor_list(tensors, "vstack")]
    return cat(ts, 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """Concatenate along dim 2 after making every tensor at least 3-D."""
    ts = [_at3(t) for t in _tensor_list(tensors, "dstack")]
    return cat(ts, 2, out=out)


def column_stack(tensors, *, out=None):
    """Stack 1-D tensors as columns (and concatenate others along dim 1)."""
    ts = [
        reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t
        for t in _tensor_list(tensors, "column_stack")
    ]
    return cat(ts, 1, out=out)


# ----------------------------------------------------------------------------
# tril, triu, diagonals, trace


class TrilBackward0(Node):
    __slots__ = ("k",)

    def apply(self, g):
        return (tril(g, self.k),)


class TriuBackward0(Node):
    __slots__ = ("k",)

    def apply(self, g):
        return (triu(g, self.k),)


def _tri(input, diagonal, name, fn, node_cls):
    a = input._data
    if a.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    res = _make(_c_order(fn(a, int(diagonal))))
    if _state.enabled and input._requires_grad:
        node = node_cls()
        node.k = int(diagonal)
        _record(node, res, input)
    return res


def _to_out(res, out, name):
    if out is None:
        return res
    from .inplace import copy_into_out

    return copy_into_out(out, res, name)


def tril(input, diagonal=0, *, out=None):
    """The lower triangle of the last two dims (the rest zeroed); ``diagonal``
    moves the boundary up (positive) or down."""
    return _to_out(_tri(input, diagonal, "tril", np.tril, TrilBackward0), out, "tril")


def triu(input, diagonal=0, *, out=None):
    """The upper triangle of the last two dims (the rest zeroed)."""
    return _to_out(_tri(input, diagonal, "triu", np.triu, TriuBackward0), out, "triu")


def _strided(a, shape, strides, start=0):
    """A view of ``a``'s memory with ``shape`` and byte ``strides`` from byte
    ``start`` past ``a``'s first element. Built on the owning array, so that
    the view's ``.base`` chain (and so its storage offset) stays known."""
    root = _root(a)
    if root.flags.c_contiguous or root.flags.f_contiguous:
        v = np.ndarray(shape, a.dtype, root, _ptr(a) + start - _ptr(root), strides)
        if not a.flags.writeable:
            v.flags.writeable = False
        return v
    w = a.flags.writeable
    if start:
        k = start // a.itemsize
        a = np.lib.stride_tricks.as_strided(a, (k + 1,), (a.itemsize,), writeable=w)[k:]
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=w)


def _diag_geometry(a, offset, d1, d2):
    """Shape, strides and start of the diagonal view of array ``a``."""
    n1, n2 = a.shape[d1], a.shape[d2]
    if offset >= 0:
        length = max(0, min(n1, n2 - offset))
        start = (0, offset)
    else:
        length = max(0, min(n1 + offset, n2))
        start = (-offset, 0)
    shape = tuple(s for i, s in enumerate(a.shape) if i not in (d1, d2)) + (length,)
    st = a.strides
    strides = tuple(s for i, s in enumerate(st) if i not in (d1, d2)) + (st[d1] + st[d2],)
    return shape, strides, (start if length else (0, 0))


def _diag_view(a, offset, d1, d2):
    """The diagonal of ``a`` as a writeable NumPy view (np.diagonal's is read-only)."""
    shape, strides, (s1, s2) = _diag_geometry(a, offset, d1, d2)
    return _strided(a, shape, strides, s1 * a.strides[d1] + s2 * a.strides[d2])


def _diag_dims(n, dim1, dim2):
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


class DiagonalBackward(Node):
    """Gradient of diagonal: ``g`` written on the diagonal of zeros."""

    __slots__ = ("shape", "offset", "d1", "d2")

    def apply(self, g):
        return (_diagonal_scatter(g, self.shape, self.offset, self.d1, self.d2),)


class DiagonalBackwardBackward0(Node):
    __slots__ = ("offset", "d1", "d2")

    def apply(self, g):
        return (diagonal(g, self.offset, self.d1, self.d2),)


def _diagonal_scatter(g, shape, offset, d1, d2):
    z = np.zeros(shape, dtype=g._data.dtype)
    _diag_view(z, offset, d1, d2)[...] = g._data
    res = _make(z)
    if _state.enabled and g._requires_grad:
        node = DiagonalBackwardBackward0()
        node.offset, node.d1, node.d2 = offset, d1, d2
        _record(node, res, g)
    return res


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal of dims ``dim1``/``dim2`` as the last dim (a view);
    ``offset`` > 0 is above the main diagonal."""
    a = input._data
    d1, d2 = _diag_dims(a.ndim, dim1, dim2)
    res = _view_of(_diag_view(a, int(offset), d1, d2), input)
    if _state.enabled and input._requires_grad:
        node = DiagonalBackward()
        node._name = "DiagonalBackward0"
        node.shape, node.offset, node.d1, node.d2 = a.shape, int(offset), d1, d2
        track_view(_record(node, res, input))
    return res


class DiagEmbedBackward0(Node):
    __slots__ = ("offset", "d1", "d2")

    def apply(self, g):
        return (diagonal(g, self.offset, self.d1, self.d2),)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Matrices (in dims ``dim1``/``dim2``) whose diagonal is the last dim of ``input``."""
    a = input._data
    n = a.ndim + 1
    d1, d2 = _diag_dims(n, dim1, dim2)
    offset = int(offset)
    m = (a.shape[-1] if a.ndim else 1) + abs(offset)
    rest = list(a.shape[:-1])
    shape = [0] * n
    for i in range(n):
        if i in (d1, d2):
            shape[i] = m
        else:
            shape[i] = rest.pop(0)
    z = np.zeros(shape, dtype=a.dtype)
    _diag_view(z, offset, d1, d2)[...] = a
    res = _make(z)
    if _state.enabled and input._requires_grad:
        node = DiagEmbedBackward0()
        node.offset, node.d1, node.d2 = offset, d1, d2
        _record(node, res, input)
    return res


def diag(input, diagonal=0, *, out=None):
    """A 1-D tensor as a diagonal matrix, or the diagonal of a matrix (a copy)."""
    a = input._data
    if out is not None:
        return _to_out(diag(input, diagonal), out, "diag")
    if a.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if a.ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {a.ndim}D")
    res = _make(_diag_view(a, int(diagonal), 0, 1).copy())
    if _state.enabled and input._requires_grad:
        node = DiagonalBackward()
        node._name = "DiagonalBackward0_copy"
        node.shape, node.offset, node.d1, node.d2 = a.shape, int(diagonal), 0, 1
        _record(node, res, input)
    return res


def diagflat(input, offset=0):
    """The flattened input as the diagonal of a matrix."""
    return diag_embed(view(contiguous(input), (-1,)), offset, 0, 1)


class TraceBackward0(Node):
    __slots__ = ("shape",)

    def apply(self, g):
        n = min(self.shape)
        return (_diagonal_scatter(g.expand(n), self.shape, 0, 0, 1),)


def trace(input):
    """The sum of the main diagonal of a matrix (integers sum as int64)."""
    a = input._data
    if a.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {a.ndim}")
    if a.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    dt = np.int64 if a.dtype.kind in "iu" else a.dtype
    res = _make(np.asarray(np.trace(a, dtype=dt)))
    if _state.enabled and input._requires_grad:
        node = TraceBackward0()
        node.shape = a.shape
        _record(node, res, input)
    return res


# ----------------------------------------------------------------------------
# meshgrid


def meshgrid(*tensors, indexing=None):
    """Coordinate grids: output ``i`` varies along dim ``i`` ('ij'), or with
    the first two dims swapped ('xy'). Views of the inputs."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        from .._tensor import _WARNED

        if not _WARNED.get("meshgrid"):
            _WARNED["meshgrid"] = True
            import warnings

            warnings.warn(
                "torch.meshgrid: in an upcoming release, it will be required to pass the "
                "indexing argument. (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)",
                UserWarning,
                stacklevel=2,
            )
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(
                "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + repr(t)
            )
    for t in tensors[1:]:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing not in ("xy", "ij"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = [t._data.size for t in ts]
    grids = []
    for i, t in enumerate(ts):
        vs = [1] * len(ts)
        vs[i] = -1
        grids.append(expand(view(t, vs), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


# ----------------------------------------------------------------------------
# as_strided, unfold


def _root(a):
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    return root


def _ptr(a):
    return a.__array_interface__["data"][0]


class AsStridedBackward0(Node):
    """Gradient of a view given by its elements' positions in the input:
    each output element's gradient added at the input element it reads.
    (Also the node of a view re-created from its base after an in-place op:
    then the positions are found from the two arrays when first needed.)"""

    __slots__ = ("idx", "shape", "_arrs")

    def apply(self, g):
        from .indexing import _accumulate_at, _positions_in

        if self.idx is None:
            self.idx = _positions_in(*self._arrs)
            self._arrs = None
        return (_accumulate_at(g, self.idx, self.shape),)


def as_strided(input, size, stride, storage_offset=None):
    """A view of ``input``'s storage with the given sizes, element strides
    and storage offset (the input's own offset by default)."""
    a = input._data
    size, stride = _int_list(size), _int_list(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(
            "as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(stride)}"
        )
    for s in size:
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {list(size)}"
            )
    isz = a.itemsize
    root = _root(a)
    base_off = (_ptr(a) - _ptr(root)) // isz
    off = base_off if storage_offset is None else int(storage_offset)
    storage = root.nbytes // isz
    need = 0 if 0 in size else off + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if need > storage:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {off}, and "
            f"itemsize {isz} requiring a storage size of {need * isz} are out of bounds for "
            f"storage of size {storage * isz}"
        )
    v = np.ndarray(size, a.dtype, root, off * isz, tuple(s * isz for s in stride))
    if not a.flags.writeable:
        v.flags.writeable = False
    res = _view_of(v, input)
    if _state.enabled and input._requires_grad:
        from .indexing import _positions_in

        node = AsStridedBackward0()
        node.idx, node.shape, node._arrs = _positions_in(v, a), a.shape, None
        track_view(_record(node, res, input))
    return res


class UnfoldBackward0(Node):
    __slots__ = ("idx", "shape")

    def apply(self, g):
        from .indexing import _accumulate_at

        return (_accumulate_at(g, self.idx, self.shape),)


def unfold(input, dimension, size, step):
    """All windows of ``size`` elements ``step`` apart along ``dimension``,
    in a new last dim (a view)."""
    a = input._data
    n = a.ndim
    d = wrap_dim(dimension, n)
    length = a.shape[d] if n else 1
    if size > length:
        raise RuntimeError(
            f"maximum size for tensor at dimension {d} is {length} but size is {size}"
        )
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if n == 0:
        v = a.reshape(1)
    else:
        count = (length - size) // step + 1
        shape = a.shape[:d] + (count,) + a.shape[d + 1 :] + (size,)
        st = a.strides
        strides = st[:d] + (st[d] * step,) + st[d + 1 :] + (st[d],)
        v = _strided(a, shape, strides)
    res = _view_of(v, input)
    if _state.enabled and input._requires_grad:
        from .indexing import _positions_in

        node = UnfoldBackward0()
        node.idx, node.shape = _positions_in(v, a), a.shape
        track_view(_record(node, res, input))
    return res


def resize_(self, *sizes, memory_format=None):
    """Give the tensor ``sizes`` (contiguous), keeping its storage when it
    is large enough; a larger tensor gets new storage holding the old
    elements first (the rest zeros, where torch leaves them uninitialised)."""
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = _shape_args(sizes)
    n = 1
    for s in shape:
        if s < 0:
            raise RuntimeError("numel: integer multiplication overflow")
        n *= s
    a = self._data
    root = _root(a)
    isz = a.itemsize
    off = (_ptr(a) - _ptr(root)) // isz
    avail = root.nbytes // isz - off
    dense = root.flags.c_contiguous or root.flags.f_contiguous
    storage = np.ndarray((max(avail, 0),), a.dtype, root, off * isz, (isz,)) if dense else None
    if storage is not None and avail >= n:
        new = storage[:n].reshape(shape)
    else:
        new = np.zeros(shape, a.dtype)
        old = storage if storage is not None else a.reshape(-1)
        m = min(old.size, n)
        new.reshape(-1)[:m] = old[:m]
    self._data = new
    self._bump()
    return self


def resize_as_(self, other, memory_format=None):
    """``resize_`` to ``other``'s shape."""
    return resize_(self, other.shape)


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
    "unflatten": unflatten,
    "movedim": movedim,
    "moveaxis": moveaxis,
    "swapaxes": swapaxes,
    "swapdims": swapdims,
    "broadcast_to": broadcast_to,
    "repeat": repeat,
    "repeat_interleave": repeat_interleave,
    "tile": tile,
    "flip": flip,
    "fliplr": fliplr,
    "flipud": flipud,
    "roll": roll,
    "rot90": rot90,
    "chunk": chunk,
    "split": _split_method,
    "tensor_split": tensor_split,
    "hsplit": hsplit,
    "vsplit": vsplit,
    "dsplit": dsplit,
    "tril": tril,
    "triu": triu,
    "tril_": inplace_variant(tril),
    "triu_": inplace_variant(triu),
    "diag": diag,
    "diagonal": diagonal,
    "diag_embed": diag_embed,
    "diagflat": diagflat,
    "trace": trace,
    "as_strided": as_strided,
    "unfold": unfold,
    "ravel": ravel,
    "resize_": resize_,
    "resize_as_": resize_as_,
}
