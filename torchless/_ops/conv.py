"""Convolutions: conv1d/2d/3d, conv_transpose1d/2d/3d, unfold (im2col) and fold (col2im).

How they map onto NumPy
-----------------------
A convolution is one batched GEMM over an im2col matrix read through a strided view:

* ``x`` (N, C, *S) is zero-padded once; ``as_strided`` then gives the window view
  (N, G, C/G, *K, *Y) without copying (a kernel dim steps by ``dilation`` elements of its
  spatial dim, an output dim by ``stride`` elements). Reshaping that view to
  (N, G, C/G * prod(K), prod(Y)) is the im2col copy, and one ``np.matmul`` of the weight
  (G, O/G, C/G * prod(K)) with it runs the GEMM of every (sample, group) pair inside NumPy,
  giving (N, G, O/G, prod(Y)): the output, already contiguous in (N, O, *Y) order.
* grad_weight is one ``np.matmul`` of grad_output (N, G, O/G, prod(Y)) with the transposed
  columns, summed over N. The forward's columns are kept for it when the weight requires
  grad and they are small (the input is version-checked, so they cannot go stale).
* grad_input is the transposed convolution: one ``np.matmul`` of the transposed weight with
  grad_output gives the columns, and col2im adds them back into the padded input with one
  slice-add per kernel offset (prod(K) vectorised adds over batch, channels and pixels at
  once; with unit strides over a flat layout, so each add is a few long rows, see
  ``_Geom``).

These three maps (conv ``C(x, w)``, its input adjoint ``T(y, w)`` and its weight adjoint
``W(x, y)``) are bilinear and each one's derivatives are the other two, so one node class,
``ConvolutionBackward0``, serves all of them and gradients of any order are themselves
convolutions. ``conv_transpose*`` is T (plus bias) run forward. ``unfold``/``fold`` are
im2col/col2im on their own: linear maps, each the other's adjoint (``_linear`` below, also
used by the pooling ops).
"""

from __future__ import annotations

import warnings
from math import prod

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _dtype as D
from .._tensor import Tensor, _make, _record, _state
from ..autograd.graph import Node

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "unfold",
    "fold",
]

_ALL = slice(None)

# C++ names torch prints for dtypes: "Input type (float) and bias type (double)"
_CPP_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _scalar_name(dt) -> str:
    """torch's ScalarType name: Float, Double, Long, Half..."""
    return dt._legacy[: -len("Tensor")]


# --------------------------------------------------------------------------- geometry


class _Geom:
    """Where the windows of a convolution lie.

    ``xs`` is the spatial shape of the input side, ``ys`` of the output side, ``ks`` of
    the kernel; ``lo``/``hi`` the zero padding before/after each input dim. A transposed
    convolution uses the geometry of the convolution it transposes.

    With unit strides and 2+ spatial dims the transposed convolution uses a ``flat``
    layout: each image of the padded input side is one flat cell (``pitch`` elements per
    step of each dim, ``slack`` zeros after it), an output position is a flat offset on
    the padded ``grid`` (``span`` elements), and one kernel offset's columns land in one
    contiguous run per image. col2im is then prod(K) adds of long rows instead of
    N*C*rows short ones (NumPy pays per row), at the price of a GEMM over the whole grid.
    """

    __slots__ = (
        "xs", "ys", "ks", "stride", "lo", "hi", "dil", "groups",
        "flat", "full", "pitch", "span", "slack", "grid",
    )  # fmt: skip

    def __init__(self, xs, ys, ks, stride, lo, hi, dil, groups):
        self.xs, self.ys, self.ks = tuple(xs), tuple(ys), tuple(ks)
        self.stride, self.lo, self.hi = tuple(stride), tuple(lo), tuple(hi)
        self.dil, self.groups = tuple(dil), groups
        self.full = tuple(s + l + h for s, l, h in zip(self.xs, self.lo, self.hi))
        self.flat = len(self.xs) > 1 and all(s == 1 for s in self.stride) and prod(self.ys) > 0
        if self.flat:
            full = self.full
            self.pitch = tuple(prod(full[i + 1 :]) for i in range(len(full)))
            self.grid = (self.ys[0],) + full[1:]
            self.span = prod(self.grid)
            self.slack = sum(
                d * (k - 1) * p for d, k, p in zip(self.dil[1:], self.ks[1:], self.pitch[1:])
            )


def _padded(a, lo, hi):
    """``a`` (N, C, *S) with ``lo``/``hi`` zeros around each spatial dim."""
    if not any(lo) and not any(hi):
        return a
    sp = a.shape[2:]
    out = np.zeros(a.shape[:2] + tuple(s + l + h for s, l, h in zip(sp, lo, hi)), a.dtype)
    out[(_ALL, _ALL) + tuple(slice(l, l + s) for l, s in zip(lo, sp))] = a
    return out


def _inner(g: _Geom):
    """Index of the unpadded input inside the padded one."""
    return (_ALL, _ALL) + tuple(slice(l, l + s) for l, s in zip(g.lo, g.xs))


def _windows(xp, ks, ys, stride, dil, groups=1):
    """The strided view (N, G, C/G, *K, *Y) of the windows of the padded ``xp``."""
    n, c = xp.shape[:2]
    st = xp.strides
    sp = st[2:]
    cg = c // groups
    shape = (n, groups, cg) + tuple(ks) + tuple(ys)
    strides = (
        (st[0], st[1] * cg, st[1])
        + tuple(s * d for s, d in zip(sp, dil))
        + tuple(s * t for s, t in zip(sp, stride))
    )
    return as_strided(xp, shape, strides, writeable=False)


def _im2col(a, g: _Geom):
    """(N, C, *xs) -> columns (N, G, C/G * prod(ks), prod(ys)) (one copy)."""
    v = _windows(_padded(a, g.lo, g.hi), g.ks, g.ys, g.stride, g.dil, g.groups)
    n, G, cg = v.shape[:3]
    return v.reshape(n, G, cg * prod(g.ks), prod(g.ys))


def _col2im(cols, g: _Geom):
    """Columns (N, C, *ks, prod(ys)) summed back into (N, C, *xs): one strided add per
    kernel offset."""
    n, c = cols.shape[:2]
    buf = np.zeros((n, c) + g.full, cols.dtype)
    if prod(g.ys) and buf.size:
        cols = cols.reshape(cols.shape[: 2 + len(g.ks)] + g.ys)
        for kk in np.ndindex(*g.ks):
            sl = tuple(
                slice(k * d, k * d + (y - 1) * s + 1, s)
                for k, d, y, s in zip(kk, g.dil, g.ys, g.stride)
            )
            buf[(_ALL, _ALL) + sl] += cols[(_ALL, _ALL) + kk]
    if any(g.lo) or any(g.hi):
        buf = np.ascontiguousarray(buf[_inner(g)])
    return buf


def _to_grid(y, g: _Geom, length):
    """(N, O, *ys) -> (N, O, length): laid out on the flat grid, zeros elsewhere."""
    n, o = y.shape[:2]
    out = np.zeros((n, o, length), y.dtype)
    grid = out[:, :, : g.span].reshape((n, o) + g.grid)
    grid[(_ALL, _ALL, _ALL) + tuple(slice(0, s) for s in g.ys[1:])] = y
    return out


def _work(a):
    """float16 runs in float32 (as torch accumulates it); returns (array, dtype to return)."""
    if a.dtype == np.float16:
        return a.astype(np.float32), a.dtype
    return a, None


def _finite(a) -> bool:
    return a.dtype.kind not in "fc" or bool(np.isfinite(a).all())


def _conv_arr(x, w, g: _Geom):
    """C: (N, C, *xs) conv (O, C/G, *ks) -> (N, O, *ys), and the columns."""
    cols = _im2col(x, g)
    G = g.groups
    out = np.matmul(w.reshape(G, w.shape[0] // G, -1), cols)
    return out.reshape((x.shape[0], w.shape[0]) + g.ys), cols


def _conv_t_arr(y, w, g: _Geom):
    """T, the adjoint of C in x: (N, O, *ys) -> (N, C, *xs)."""
    n = y.shape[0]
    o, cg = w.shape[:2]
    G = g.groups
    og = o // G
    kk = prod(g.ks)
    if not (g.flat and _finite(w)):
        wt = w.reshape(G, og, -1).transpose(0, 2, 1)
        cols = np.matmul(wt, y.reshape(n, G, og, prod(g.ys)))
        return _col2im(cols.reshape((n, G * cg) + g.ks + (prod(g.ys),)), g)
    # flat layout: each image owns a cell of ``cell`` elements; its columns are computed
    # over the whole cell (zeros where no output is), rows ordered (kernel offset, channel),
    # so each kernel offset is one add of N rows of C/G * cell elements
    cell = prod(g.full) + g.slack
    wt = w.reshape(G, og, cg, kk).transpose(0, 3, 2, 1).reshape(G, kk * cg, og)
    cols = np.matmul(wt, _to_grid(y, g, cell).reshape(n, G, og, cell))
    cols = cols.reshape(n, G, kk, cg * cell)
    offs = [sum(k * d * p for k, d, p in zip(ki, g.dil, g.pitch)) for ki in np.ndindex(*g.ks)]
    c = G * cg
    buf = np.zeros((n, c * cell + offs[-1]), cols.dtype)
    for i, off in enumerate(offs):
        dst = buf[:, off : off + c * cell].reshape(n, G, cg * cell)  # a view: rows split
        dst += cols[:, :, i]
    view = buf[:, : c * cell].reshape(n, c, cell)[:, :, : prod(g.full)]
    return np.ascontiguousarray(view.reshape((n, c) + g.full)[_inner(g)])


def _conv_w_arr(x, y, g: _Geom, cols=None):
    """W, the adjoint of C in w: (x, y) -> (O, C/G, *ks)."""
    if cols is None:
        cols = _im2col(x, g)
    n, o = y.shape[:2]
    G = g.groups
    r = np.matmul(y.reshape(n, G, o // G, prod(g.ys)), cols.transpose(0, 1, 3, 2))
    r = r[0] if n == 1 else r.sum(0)
    return r.reshape((o, cols.shape[2] // prod(g.ks)) + g.ks)


# --------------------------------------------------------------------------- autograd

_BB = "ConvolutionBackwardBackward0"  # what torch calls the nodes of a backward's graph
_KEEP_COLS_BYTES = 1 << 25  # forward columns up to 32 MiB are kept for grad_weight


class ConvolutionBackward0(Node):
    """Backward of C, T or W (``kind``): each gradient is one of the other two maps."""

    __slots__ = ("kind", "geom", "cols")

    def release(self):
        super().release()
        self.cols = None

    def apply(self, g):
        a, b = self.saved()
        nf = self.next_functions
        geom, kind = self.geom, self.kind
        ga = gb = None
        need_a, need_b = nf[0][0] is not None, nf[1][0] is not None
        if kind == "C":  # out = C(x=a, w=b) + bias
            if need_a:
                ga = _conv_op("T", g, b, None, geom)
            if need_b:
                gb = _conv_op("W", a, g, None, geom, cols=self.cols)
        elif kind == "T":  # out = T(y=a, w=b) + bias
            if need_a:
                ga = _conv_op("C", g, b, None, geom)
            if need_b:
                gb = _conv_op("W", g, a, None, geom)
        else:  # out = W(x=a, y=b)
            if need_a:
                ga = _conv_op("T", b, g, None, geom)
            if need_b:
                gb = _conv_op("C", a, g, None, geom)
        if len(nf) == 2:
            return ga, gb
        gc = _bias_grad(g) if nf[2][0] is not None else None
        return ga, gb, gc


class _BiasGradBackward(Node):
    """Backward of the bias gradient (a sum over all dims but the channel dim)."""

    __slots__ = ("shape",)

    def name(self):
        return _BB

    def apply(self, g):
        shape = self.shape
        return (g.reshape((1, shape[1]) + (1,) * (len(shape) - 2)).expand(shape),)


def _bias_grad(g):
    """grad_output summed over the batch and spatial dims."""
    a = g._data
    r = a.sum(
        axis=(0,) + tuple(range(2, a.ndim)), dtype=np.float32 if a.dtype == np.float16 else None
    )
    res = _make(r.astype(a.dtype, copy=False))
    if _state.enabled and g._requires_grad:
        node = _BiasGradBackward()
        node.shape = a.shape
        _record(node, res, g)
    return res


def _conv_op(kind, a, b, bias, geom, name=_BB, cols=None):
    """Run C, T or W on tensors ``a``, ``b`` (plus ``bias``), recording the graph."""
    ad, dt = _work(a._data)
    bd = b._data if dt is None else b._data.astype(np.float32)
    keep = None
    if kind == "C":
        r, keep = _conv_arr(ad, bd, geom)
    elif kind == "T":
        r = _conv_t_arr(ad, bd, geom)
    else:  # cached columns come from a forward run at the same (working) dtype
        r = _conv_w_arr(ad, bd, geom, cols)
    if bias is not None:
        r += bias._data.reshape((-1,) + (1,) * len(geom.ks)).astype(r.dtype, copy=False)
    if dt is not None:
        r = r.astype(dt)
    res = _make(r)
    if _state.enabled and (
        a._requires_grad or b._requires_grad or (bias is not None and bias._requires_grad)
    ):
        node = ConvolutionBackward0()
        node.kind, node.geom, node._name = kind, geom, name
        # the columns are K times the input: kept only while that is cheap
        small = keep is not None and keep.nbytes <= _KEEP_COLS_BYTES
        node.cols = keep if (small and b._requires_grad) else None
        node.save(a, b)
        if kind == "W":
            _record(node, res, a, b)
        else:
            _record(node, res, a, b, bias)
    return res


# --------------------------------------------------------------------------- arguments


def _expand_nominal(v, nd):
    """What torch's argument parser makes of an int-or-list argument: a list, an int
    repeated to the function's nominal dimensionality."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return [int(v)] * nd
    return [int(e) for e in v]


def _expand_param(v, name, dim):
    if len(v) == 1:
        return v * dim
    if len(v) != dim:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {dim} values to match "
            f"the convolution dimensions, but got {name}={v}"
        )
    return v


def _check_tensor(fn, argname, pos, t, optional=False):
    if t is None and optional:
        return
    if not isinstance(t, Tensor):
        raise TypeError(
            f"{fn}(): argument '{argname}' (position {pos}) must be Tensor, not {type(t).__name__}"
        )


def _sizes(t) -> str:
    return str(list(t.shape))


def _backend_dtypes(input, weight, bias, kernel):
    """The dtype checks of the kernel torch would pick; returns the bias to use."""
    di, dw = input.dtype, weight.dtype
    if di.name == "float32":  # the oneDNN path names the tensor types
        for what, t in (("weight", weight), ("bias", bias)):
            if t is not None and t.dtype is not di:
                raise RuntimeError(
                    f"Input type (torch.{di._legacy}) and {what} type (torch.{t.dtype._legacy}) "
                    f"should be the same or input should be a MKLDNN tensor and {what} is a "
                    "dense tensor"
                )
    elif dw is not di:
        raise RuntimeError(f"expected scalar type {_scalar_name(di)} but found {_scalar_name(dw)}")
    elif bias is not None and bias.dtype is not di:
        bias = bias.to(di)  # the slow kernels take any bias dtype
    if di is D.bool or (
        kernel.startswith("slow_conv_transpose") and di._cat == D._INT and di is not D.int64
    ):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar_name(di)}'")
    return bias


_same_warned = False


def _padding_same(input, weight, stride, dilation, groups, nd):
    """torch's ``convolution_same``: checks, then (stride, dilation, pad before, pad after)."""
    k = weight.ndim
    if k <= 2:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    dim = k - 2
    if k != input.ndim:
        raise RuntimeError(
            f"Expected {k}-dimensional input for {k}-dimensional weight{_sizes(weight)}, but got "
            f"{input.ndim}-dimensional input of size {_sizes(input)} instead"
        )
    stride, dilation = _expand_nominal(stride, nd), _expand_nominal(dilation, nd)
    for name, v in (("stride", stride), ("dilation", dilation)):
        if len(v) not in (dim, 1):
            raise RuntimeError(f"{name} cannot broadcast to {dim} dimensions")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    dilation = dilation * dim if len(dilation) == 1 else dilation
    total = [d * (kk - 1) for d, kk in zip(dilation, weight.shape[2:])]
    lo = [_div_trunc(t, 2) for t in total]
    hi = [t - l for t, l in zip(total, lo)]
    if lo != hi:
        global _same_warned
        if not _same_warned:
            _same_warned = True
            warnings.warn(
                "Using padding='same' with even kernel lengths and odd dilation may require a "
                "zero-padded copy of the input be created",
                UserWarning,
                stacklevel=4,
            )
    return [1] * dim, dilation, lo, hi


def _div_trunc(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _convolution(
    fn, nd, input, weight, bias, stride, padding, dilation, groups, transposed, output_padding
):
    """Validate as torch's conv functions and ``at::convolution`` do, in torch's order, and
    run C (or T when transposed)."""
    _check_tensor(fn, "input", 1, input)
    _check_tensor(fn, "weight", 2, weight)
    _check_tensor(fn, "bias", 3, bias, optional=True)
    mode = padding if isinstance(padding, str) else None
    if not transposed and mode is None and bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(
            f"Input type ({_CPP_NAMES[input.dtype.name]}) and bias type "
            f"({_CPP_NAMES[bias.dtype.name]}) should be the same"
        )
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fn}, but got "
            f"input of size: {_sizes(input)}"
        )
    unbatched = input.ndim == nd + 1
    if unbatched:
        input = input.unsqueeze(0)
    groups = int(groups)
    hi = None
    if mode == "same":
        stride, dilation, padding, hi = _padding_same(input, weight, stride, dilation, groups, nd)
    elif mode == "valid":
        padding = 0
    elif mode is not None:
        raise RuntimeError(f"Invalid padding string: '{mode}'")
    # at::convolution
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    dim = weight.ndim - 2
    stride = _expand_param(_expand_nominal(stride, nd), "stride", dim)
    padding = _expand_param(_expand_nominal(padding, nd), "padding", dim)
    dilation = _expand_param(_expand_nominal(dilation, nd), "dilation", dim)
    output_padding = _expand_param(_expand_nominal(output_padding, nd), "output_padding", dim)
    hi = padding if hi is None else hi
    if any(p < 0 for p in padding + hi):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if input.ndim != weight.ndim:
        raise RuntimeError(
            f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight "
            f"{_sizes(weight)}, but got {input.ndim}-dimensional input of size "
            f"{_sizes(input)} instead"
        )
    wshape = tuple(weight.shape)
    if wshape[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, "
            f"but got weight of size {list(wshape)} instead"
        )
    if wshape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size [{list(wshape)}] instead"
        )
    xs = tuple(input.shape[2:])
    ks = wshape[2:]
    shown = _sizes(input)
    if not transposed:
        if input.shape[1] != wshape[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {list(wshape)}, expected input{shown} "
                f"to have {wshape[1] * groups} channels, but got {input.shape[1]} channels "
                "instead"
            )
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != wshape[0]):
            raise RuntimeError(
                f"Given weight of size {list(wshape)}, expected bias to be 1-dimensional with "
                f"{wshape[0]} elements, but got bias of size {_sizes(bias)} instead"
            )
        padded = [s + l + h for s, l, h in zip(xs, padding, hi)]
        eff = [d * (k - 1) + 1 for d, k in zip(dilation, ks)]
        if any(p < e for p, e in zip(padded, eff)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater "
                "than actual input size"
            )
        kern = "compute_columns3d" if nd == 3 else "slow_conv2d_cpu"
        bias = _backend_dtypes(input, weight, bias, kern)
        ys = [(p - e) // s + 1 for p, e, s in zip(padded, eff, stride)]
        geom = _Geom(xs, ys, ks, stride, padding, hi, dilation, groups)
        out = _conv_op("C", input, weight, bias, geom, "ConvolutionBackward0")
    else:
        if input.shape[1] != wshape[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {list(wshape)}, expected input{shown} to "
                f"have {wshape[0]} channels, but got {input.shape[1]} channels instead"
            )
        cout = wshape[1] * groups
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
            raise RuntimeError(
                f"Given transposed=1, weight of size {list(wshape)}, expected bias to be "
                f"1-dimensional with {cout} elements, but got bias of size {_sizes(bias)} "
                "instead"
            )
        # torch runs the 1-D case as 2-D with a unit height
        pre = [1] if dim == 1 else []
        if not all(o < s or o < d for o, s, d in zip(output_padding, stride, dilation)):
            names = ("depth", "height", "width")[-(len(pre) + dim) :]
            parts = []
            for what, vals, one in (
                ("output_padding", output_padding, 0),
                ("stride", stride, 1),
                ("dilation", dilation, 1),
            ):
                full = [one] * len(pre) + list(vals)
                parts += [f"{what}_{n}: {v}" for n, v in zip(names, full)]
            raise RuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                + " ".join(parts)
            )
        outs = [
            (i - 1) * s - 2 * p + d * (k - 1) + o + 1
            for i, s, p, d, k, o in zip(xs, stride, padding, dilation, ks, output_padding)
        ]
        if any(o < 1 for o in outs):
            ins = " x ".join(map(str, pre + list(xs)))
            got = " x ".join(map(str, pre + outs))
            raise RuntimeError(
                f"Given input size per channel: ({ins}). Calculated output size per channel: "
                f"({got}). Output size is too small"
            )
        kern = "slow_conv_transpose3d_out_cpu" if nd == 3 else "slow_conv_transpose2d_out_cpu"
        bias = _backend_dtypes(input, weight, bias, kern)
        # the convolution this transposes maps outs (x side) to xs (y side)
        geom = _Geom(outs, xs, ks, stride, padding, padding, dilation, groups)
        out = _conv_op("T", input, weight, bias, geom, "ConvolutionBackward0")
    return out.squeeze(0) if unbatched else out


# --------------------------------------------------------------------------- public


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) over (N, C_in, L) or unbatched (C_in, L).

    Args:
        input: (N, C_in, L) or (C_in, L).
        weight: (C_out, C_in / groups, kL).
        bias: optional (C_out,).
        stride, padding, dilation: an int or a 1-tuple; padding may also be
            ``'valid'`` (no padding) or ``'same'`` (output as long as the input).
        groups: split the channels into this many independent convolutions.

    Returns:
        (N, C_out, L_out) with ``L_out = (L + 2p - d (kL - 1) - 1) // stride + 1``.
    """
    return _convolution(
        "conv1d", 1, input, weight, bias, stride, padding, dilation, groups, False, 0
    )


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) over (N, C_in, H, W) or unbatched (C_in, H, W).

    Args:
        input: (N, C_in, H, W) or (C_in, H, W).
        weight: (C_out, C_in / groups, kH, kW).
        bias: optional (C_out,).
        stride, padding, dilation: an int or a pair; padding may also be ``'valid'`` or
            ``'same'``.
        groups: split the channels into this many independent convolutions.

    Returns:
        (N, C_out, H_out, W_out), each ``(size + 2p - d (k - 1) - 1) // stride + 1``.

    Example::

        >>> import torchless as torch
        >>> x = torch.ones(1, 1, 4, 4)
        >>> conv2d(x, torch.ones(2, 1, 3, 3), padding=1).shape
        torch.Size([1, 2, 4, 4])
    """
    return _convolution(
        "conv2d", 2, input, weight, bias, stride, padding, dilation, groups, False, 0
    )


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution over (N, C_in, D, H, W) or unbatched (C_in, D, H, W); arguments as
    :func:`conv2d` with triples."""
    return _convolution(
        "conv3d", 3, input, weight, bias, stride, padding, dilation, groups, False, 0
    )


def _check_int_padding(fn, padding):
    if isinstance(padding, str):
        raise TypeError(f"{fn}(): argument 'padding' must be tuple of ints, not str")


def conv_transpose1d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """1-D transposed convolution (the gradient of :func:`conv1d` with respect to its input).

    Args:
        input: (N, C_in, L) or (C_in, L).
        weight: (C_in, C_out / groups, kL).
        bias: optional (C_out,).
        stride, padding, dilation: those of the convolution this transposes.
        output_padding: extra size added to one side of the output (smaller than the
            stride or the dilation).

    Returns:
        (N, C_out, L_out) with ``L_out = (L - 1) stride - 2p + d (kL - 1) + output_padding + 1``.
    """
    _check_int_padding("conv_transpose1d", padding)
    p = (stride, padding, dilation, groups, True, output_padding)
    return _convolution("conv_transpose1d", 1, input, weight, bias, *p)


def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """2-D transposed convolution (the gradient of :func:`conv2d` with respect to its input).

    Args:
        input: (N, C_in, H, W) or (C_in, H, W).
        weight: (C_in, C_out / groups, kH, kW).
        bias: optional (C_out,).
        stride, padding, dilation, output_padding: ints or pairs, as
            :func:`conv_transpose1d`.

    Returns:
        (N, C_out, H_out, W_out), each
        ``(size - 1) stride - 2p + d (k - 1) + output_padding + 1``.
    """
    _check_int_padding("conv_transpose2d", padding)
    p = (stride, padding, dilation, groups, True, output_padding)
    return _convolution("conv_transpose2d", 2, input, weight, bias, *p)


def conv_transpose3d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """3-D transposed convolution; arguments as :func:`conv_transpose2d` with triples."""
    _check_int_padding("conv_transpose3d", padding)
    p = (stride, padding, dilation, groups, True, output_padding)
    return _convolution("conv_transpose3d", 3, input, weight, bias, *p)


# --------------------------------------------------------------------------- linear maps


class _LinearBackward(Node):
    """Backward of a linear map applied by ``_linear``: the adjoint map (and the backward of
    that is the map again)."""

    __slots__ = ("op", "adjoint")

    def name(self):
        return self.op.names[self.adjoint]

    def apply(self, g):
        self.saved()  # version and freed checks on the input, as torch's saved self
        return (_linear(g, self.op, not self.adjoint),)


def _linear(t, op, adjoint=False, result=None):
    """Apply a linear map ``op`` (``op.fwd``/``op.adj`` on arrays; ``op.names`` the node
    names recorded for each direction) to tensor ``t``; ``result`` is the array it gives
    when the caller has already computed it."""
    if result is None:
        result = op.adj(t._data) if adjoint else op.fwd(t._data)
    res = _make(result)
    if _state.enabled and t._requires_grad:
        node = _LinearBackward()
        node.op, node.adjoint = op, adjoint
        node.save(t)
        _record(node, res, t)
    return res


class _Im2Col:
    """unfold as a linear map: (N, C, H, W) -> (N, C*kH*kW, L); its adjoint is fold."""

    __slots__ = ("geom",)
    names = ("Im2ColBackward0", "Col2ImBackward0")

    def __init__(self, geom):
        self.geom = geom

    def fwd(self, a):
        if a.ndim == 3:  # unbatched
            return self.fwd(a[None])[0]
        cols = _im2col(a, self.geom)
        return cols.reshape(cols.shape[0], cols.shape[2], cols.shape[3])

    def adj(self, a):
        if a.ndim == 2:  # unbatched
            return self.adj(a[None])[0]
        g = self.geom
        c = a.shape[1] // prod(g.ks)
        return _col2im(a.reshape((a.shape[0], c) + g.ks + (prod(g.ys),)), g)


def _pair(v, name):
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return (int(v), int(v))
    v = tuple(int(e) for e in v)
    if len(v) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(v)}")
    return v


def _hw(name, v):
    return f"{name}_height: {v[0]} {name}_width: {v[1]}"


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extract sliding local blocks (im2col): (N, C, H, W) -> (N, C * kH * kW, L).

    Column ``l`` holds the block at output position ``l`` (row-major over the
    ``((size + 2p - d (k - 1) - 1) // stride + 1)`` positions per dim), its rows ordered
    (channel, kernel row, kernel column). A 3-D input (C, H, W) gives (C * kH * kW, L).
    """
    kernel_size = _pair(kernel_size, "kernel_size")
    dilation = _pair(dilation, "dilation")
    padding = _pair(padding, "padding")
    stride = _pair(stride, "stride")
    kh, kw = kernel_size
    if kh <= 0 or kw <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got {_hw('kernel', kernel_size)}"
        )
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got {_hw('dilation', dilation)}"
        )
    if padding[0] < 0 or padding[1] < 0:
        raise RuntimeError(
            "padding should be non-negative, but got pad_height: "
            f"{padding[0]} pad_width: {padding[1]}"
        )
    if stride[0] <= 0 or stride[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got {_hw('stride', stride)}")
    nd = input.ndim
    _dim_size(input, 1)
    _dim_size(input, 2)
    shape = tuple(input.shape)
    if not (
        (nd == 3 and shape[0] and shape[1] and shape[2])
        or (nd == 4 and shape[1] and shape[2] and shape[3])
    ):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
            f"non-zero dimensions for input, but got: {list(shape)}"
        )
    xs = shape[-2:]
    ys = [
        (x + 2 * p - (d * (k - 1) + 1)) // s + 1
        for x, p, d, k, s in zip(xs, padding, dilation, kernel_size, stride)
    ]
    if ys[0] < 1 or ys[1] < 1:
        raise RuntimeError(
            f"Given input with spatial size ({xs[0]}, {xs[1]}), kernel_size=({kh}, {kw}), "
            f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), "
            f"calculated shape of the array of sliding blocks as ({ys[0]}, {ys[1]}), but its "
            "components must be at least one."
        )
    _float_or_bool(input, "im2col_out_cpu")
    geom = _Geom(xs, ys, kernel_size, stride, padding, padding, dilation, 1)
    return _linear(input, _Im2Col(geom))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combine sliding local blocks into a tensor (col2im), summing overlaps:
    (N, C * kH * kW, L) -> (N, C, *output_size); the adjoint of :func:`unfold`.
    A 2-D input (C * kH * kW, L) gives (C, *output_size)."""
    output_size = _pair(output_size, "output_size")
    kernel_size = _pair(kernel_size, "kernel_size")
    dilation = _pair(dilation, "dilation")
    padding = _pair(padding, "padding")
    stride = _pair(stride, "stride")
    kh, kw = kernel_size
    if kh <= 0 or kw <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got {_hw('kernel', kernel_size)}"
        )
    if stride[0] <= 0 or stride[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got {_hw('stride', stride)}")
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got {_hw('dilation', dilation)}"
        )
    if padding[0] < 0 or padding[1] < 0:
        raise RuntimeError(
            "padding should be non-negative, but got pad_height: "
            f"{padding[0]} pad_width: {padding[1]}"
        )
    nd = input.ndim
    shape = tuple(input.shape)
    if not ((nd == 2 and shape[0] and shape[1]) or (nd == 3 and shape[1] and shape[2])):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(shape)}"
        )
    planes, length = shape[-2:]
    if planes % (kh * kw):
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={planes} and kernel_size=({kh}, {kw})."
        )
    ys = [
        (o + 2 * p - d * (k - 1) - 1) // s + 1
        for o, p, d, k, s in zip(output_size, padding, dilation, kernel_size, stride)
    ]
    desc = (
        f"Given output_size=({output_size[0]}, {output_size[1]}), kernel_size=({kh}, {kw}), "
        f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), "
        f"stride=({stride[0]}, {stride[1]}), "
    )
    if length != ys[0] * ys[1]:
        raise RuntimeError(
            desc + "expected size of input's dimension 2 to match the calculated number of "
            f"sliding blocks {ys[0]} * {ys[1]} = {ys[0] * ys[1]}, but got "
            f"input.size(2)={length}."
        )
    if ys[0] < 1 or ys[1] < 1:
        raise RuntimeError(
            desc + f"calculated shape of the array of sliding blocks as ({ys[0]}, {ys[1]}), "
            "which is too small (non-positive)"
        )
    _float_or_bool(input, "col2im_out_cpu")
    geom = _Geom(output_size, ys, kernel_size, stride, padding, padding, dilation, 1)
    return _linear(input, _Im2Col(geom), adjoint=True)


def _dim_size(t, d):
    """``t.size(d)`` with torch's IndexError for a dim out of range."""
    nd = t.ndim
    if nd == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if d >= nd:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {d})"
        )
    return t.shape[d]


def _float_or_bool(t, kernel):
    if t.dtype._cat == D._INT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar_name(t.dtype)}'")
