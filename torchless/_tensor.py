"""The Tensor: an array from the backend, a dtype, and its place in the graph.

Tensor methods are thin: each delegates to the op function in its family
file under ``_ops``. Internal results are built by ``_make``, which skips all
validation; the public constructors in ``_ops/creation.py`` validate.
"""

from __future__ import annotations

import weakref

import numpy as np

from . import _dtype as D
from ._device import CPU, device_of_array
from .autograd import grad_mode
from .autograd.engine import run_backward
from .autograd.graph import AccumulateGrad

__all__ = ["Tensor"]

_ndarray = np.ndarray
_new = object.__new__
_state = grad_mode._state
_FROM_NP = D._FROM_NP
_WARNED: dict = {}  # torch's warn-once messages already given


def _make(arr, grad_fn=None, cls=None):
    """Wrap an array in a Tensor without any checks (the fast path)."""
    if type(arr) is not _ndarray:
        arr = _as_array(arr)
    t = _new(cls or Tensor)
    t._data = arr
    t.dtype = _FROM_NP[arr.dtype]
    t.grad_fn = grad_fn
    t._requires_grad = grad_fn is not None
    t._grad = None
    t._vc = None
    t._out_nr = 0
    t._base = None
    t._extra = None
    return t


def _as_array(arr):
    if isinstance(arr, np.generic):
        return np.asarray(arr)
    if isinstance(arr, _ndarray):  # an ndarray subclass
        return np.asarray(arr)
    return arr  # an array of another backend (cupy)


def _view_of(arr, base: Tensor, grad_fn=None) -> Tensor:
    """A tensor over ``arr`` that views ``base``'s memory: it shares the
    version counter, so in-place changes through either are seen by both."""
    t = _make(arr, grad_fn)
    vc = base._vc
    if vc is None:
        vc = base._vc = [0]
    t._vc = vc
    t._base = base if base._base is None else base._base
    return t


def _edge(t: Tensor) -> tuple:
    """The graph edge a gradient for ``t`` flows along."""
    if not t._requires_grad:
        return (None, 0)
    fn = t.grad_fn
    if fn is not None:
        return (fn, t._out_nr)
    return (t._accumulator(), 0)


_NO_EDGE = (None, 0)


def _record(node, out: Tensor, *inputs) -> Tensor:
    """Make ``out`` the output of ``node`` whose inputs are ``inputs``
    (Tensors, or None for arguments without a gradient)."""
    shape = out._data.shape
    dt = out.dtype
    edges = []
    refit = False
    for t in inputs:
        if t is None or not t._requires_grad:
            edges.append(_NO_EDGE)
            continue
        fn = t.grad_fn
        edges.append((fn, t._out_nr) if fn is not None else (t._accumulator(), 0))
        if t._data.shape != shape or t.dtype is not dt:
            refit = True
    node.next_functions = tuple(edges)
    if refit:
        # gradients for these inputs must be summed/cast back to their shape/dtype
        meta = []
        for t in inputs:
            meta.append(_NO_META if t is None else (t._data.shape, t.dtype))
        node._meta = tuple(meta)
    out.grad_fn = node
    out._requires_grad = True
    return out


_NO_META = (None, None)


def _needs_grad(*tensors) -> bool:
    """True when grad mode is on and some input requires grad."""
    if not _state.enabled:
        return False
    for t in tensors:
        if t is not None and t._requires_grad:
            return True
    return False


class Size(tuple):
    """torch.Size: a tuple of ints that prints as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __reduce__(self):
        return (Size, (tuple(self),))


class Tensor:
    """A multi-dimensional array with autograd, as ``torch.Tensor``."""

    __slots__ = (
        "_data",
        "dtype",
        "grad_fn",
        "_requires_grad",
        "_grad",
        "_vc",
        "_out_nr",
        "_base",
        "_extra",
        "__weakref__",
        "__dict__",
    )
    __array_priority__ = 1000  # NumPy defers to our reflected operators
    _is_parameter = False

    def __new__(cls, *args, **kwargs):
        # the legacy constructor: torch.Tensor(data) or torch.Tensor(2, 3)
        from ._ops import creation

        return creation._legacy_new(cls, *args, **kwargs)

    # ------------------------------------------------------------------
    # attributes
    @property
    def data(self) -> Tensor:
        """The same tensor, detached from the graph (shares memory)."""
        t = _make(self._data)
        t._vc = None  # .data does not share the version counter
        t._base = None
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data
        self.dtype = value.dtype

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set whether autograd records operations on this (leaf) tensor."""
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want "
                    "to use a computed variable in a subgraph that doesn't require "
                    "differentiation use var_no_grad = var.detach()."
                )
            return self
        if requires_grad and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient of a leaf (or of a tensor that retains it)."""
        if self.grad_fn is not None and not self.retains_grad and self._grad is None:
            import warnings

            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more informations. (Triggered "
                "internally at /pytorch/build/aten/src/ATen/core/TensorBody.h:500.)",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_c_name(value.dtype)}' to a "
                    f"tensor with grad_dtype '{_c_name(self.dtype, True)}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    "its gradient may break downstream systems that assume they match."
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user rather than by an op that
        recorded a graph."""
        return self.grad_fn is None

    @property
    def retains_grad(self) -> bool:
        ex = self._extra
        return ex is not None and ex.get("retains_grad", False)

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape as a torch.Size, or the length of one dimension."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[self._wrap_dim(dim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    @property
    def device(self):
        arr = self._data
        return CPU if type(arr) is _ndarray else device_of_array(arr)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    @property
    def layout(self):
        from . import strided

        return strided

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return False

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return False

    def is_signed(self) -> bool:
        return self.dtype.is_signed

    def is_contiguous(self, memory_format=None) -> bool:
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim: int | None = None):
        """Strides in elements, as torch reports them."""
        isz = self._data.itemsize
        st = tuple(s // isz for s in self._data.strides)
        # NumPy reports 0-length or 1-length dims with arbitrary strides
        if self._data.flags.writeable:  # expanded (broadcast) views keep their 0 strides
            st = _torch_strides(self._data.shape, st)
        return st if dim is None else st[self._wrap_dim(dim)]

    def storage_offset(self) -> int:
        arr = self._data
        base = arr
        while isinstance(base.base, _ndarray):
            base = base.base
        return (
            arr.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        ) // arr.itemsize

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0]

    @property
    def _version(self) -> int:
        return 0 if self._vc is None else self._vc[0]

    @property
    def output_nr(self) -> int:
        return self._out_nr

    @property
    def _is_view(self) -> bool:
        return self._base is not None

    def _is_view_fn(self) -> bool:
        return self._base is not None

    @property
    def T(self) -> Tensor:
        """The dims reversed (for 2-D: the transpose)."""
        n = self._data.ndim
        if n == 2:
            return permute(self, (1, 0))
        import warnings

        # torch warns once per process (TORCH_WARN_ONCE) for each case
        if n == 0:
            if _WARNED.get("T0"):
                return self
            _WARNED["T0"] = True
            warnings.warn(
                "Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
                "cases. (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)",
                UserWarning,
                stacklevel=2,
            )
            return self
        if not _WARNED.get("T"):
            _WARNED["T"] = True
            warnings.warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor. (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)",
                UserWarning,
                stacklevel=2,
            )
        return permute(self, tuple(range(n - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        if self._data.ndim < 2:
            raise RuntimeError(
                "tensor.mT is only supported on matrices or batches of matrices. "
                f"Got {self._data.ndim}-D tensor."
            )
        return transpose(self, -2, -1)

    @property
    def H(self) -> Tensor:
        return self.T

    @property
    def mH(self) -> Tensor:
        return self.mT

    @property
    def real(self) -> Tensor:
        return self

    def _wrap_dim(self, dim: int) -> int:
        return wrap_dim(dim, self._data.ndim)

    # ------------------------------------------------------------------
    # conversions
    def _host(self) -> np.ndarray:
        """The values as a NumPy array on the host (no copy on the CPU)."""
        arr = self._data
        return arr if type(arr) is _ndarray else arr.get()

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def tolist(self):
        return self._host().tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The values as a NumPy array sharing memory with this tensor."""
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        if type(self._data) is not _ndarray:
            if not force:
                raise TypeError(
                    f"can't convert {self.device} device type tensor to numpy. Use "
                    "Tensor.cpu() to copy the tensor to host memory first."
                )
            return self._host()
        return self._data

    def __array__(self, dtype=None, copy=None):
        arr = self._host()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        from .utils.dlpack import tensor_dlpack  # lazily: torchless.utils imports Tensor

        return tensor_dlpack(
            self, stream=stream, max_version=max_version, dl_device=dl_device, copy=copy
        )

    def __dlpack_device__(self) -> tuple[int, int]:
        from .utils.dlpack import tensor_dlpack_device

        return tensor_dlpack_device(self)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(unbind(self, 0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            if self._data.size == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index"
            )
        return int(self.item())

    def __complex__(self) -> complex:
        return complex(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self, tensor_contents=tensor_contents)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        from ._tensor_str import tensor_format

        return tensor_format(self, spec)

    def __reduce_ex__(self, proto):
        return (_rebuild, (self._host().copy(), self._requires_grad, type(self)))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment.  If you were attempting to deepcopy a module, "
                "this may be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        if id(self) in memo:
            return memo[id(self)]
        t = _make(self._data.copy(), cls=type(self))
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        if self.__dict__:
            import copy

            t.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = t
        return t

    def to(self, *args, **kwargs) -> Tensor:
        """Convert dtype and/or device: ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, ``to(other)``; returns self when nothing changes."""
        dtype, dev, copy = _parse_to(self, args, kwargs)
        return to_copy(self, dtype, dev, copy)

    def type(self, dtype=None, non_blocking: bool = False, **kwargs):
        """With no argument, the legacy type name ('torch.FloatTensor');
        otherwise a conversion to that dtype."""
        if dtype is None:
            return "torch." + self.dtype._legacy
        if isinstance(dtype, str):
            name = dtype.rsplit(".", 1)[-1]
            for d in D.ALL_DTYPES:
                if d._legacy == name:
                    dtype = d
                    break
            else:
                raise ValueError(f"invalid type: '{dtype}'")
        return to_copy(self, dtype, None, False)

    def type_as(self, other: Tensor) -> Tensor:
        return to_copy(self, other.dtype, None, False)

    def float(self) -> Tensor:
        return to_copy(self, D.float32, None, False)

    def double(self) -> Tensor:
        return to_copy(self, D.float64, None, False)

    def half(self) -> Tensor:
        return to_copy(self, D.float16, None, False)

    def long(self) -> Tensor:
        return to_copy(self, D.int64, None, False)

    def int(self) -> Tensor:
        return to_copy(self, D.int32, None, False)

    def short(self) -> Tensor:
        return to_copy(self, D.int16, None, False)

    def char(self) -> Tensor:
        return to_copy(self, D.int8, None, False)

    def byte(self) -> Tensor:
        return to_copy(self, D.uint8, None, False)

    def bool(self) -> Tensor:
        return to_copy(self, D.bool, None, False)

    def cpu(self) -> Tensor:
        return to_copy(self, None, CPU, False)

    def cuda(self, device=None, non_blocking: bool = False) -> Tensor:
        from ._device import device as _device

        return to_copy(self, None, _device("cuda", 0 if device is None else device), False)

    # ------------------------------------------------------------------
    # autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate the gradient of this tensor into the leaves' ``.grad``."""
        fn = self.grad_fn
        if gradient is None and inputs is None and fn is not None and self._data.size == 1:
            # the common case (a scalar loss) without the general argument handling
            if self.dtype.is_floating_point:
                one = _make(np.array(1, dtype=self._data.dtype).reshape(self._data.shape))
                keep = create_graph if retain_graph is None else retain_graph
                run_backward([(fn, self._out_nr)], [one], keep, create_graph)
                return
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A new tensor sharing memory (and version counter), without a graph."""
        return _view_of(self._data, self)

    def detach_(self) -> Tensor:
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn = None
        self._requires_grad = False
        self._out_nr = 0
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor during backward."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if self.retains_grad:
            return
        ref = weakref.ref(self)

        def _retain(g):
            t = ref()
            if t is not None:
                if t._grad is None:
                    t._grad = g._detached_copy() if not _state.enabled else g
                else:
                    t._grad = t._grad + g
            return None

        self._extra_dict()["retains_grad"] = True
        self._add_tensor_hook(_retain)

    def register_hook(self, hook):
        """``hook(grad)`` runs when the gradient for this tensor is computed;
        it may return a replacement gradient."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            hooks = self._extra_dict().setdefault("hooks", [])
            hooks.append(hook)
            from .autograd.graph import _RemovableHandle

            return _RemovableHandle(hooks, hook)
        return self._add_tensor_hook(hook)

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after ``.grad`` of this leaf was updated."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        hooks = self._extra_dict().setdefault("post_hooks", [])
        hooks.append(hook)
        from .autograd.graph import _RemovableHandle

        return _RemovableHandle(hooks, hook)

    def _add_tensor_hook(self, hook):
        from .autograd.graph import _RemovableHandle

        fn = self.grad_fn
        if fn._tensor_pre_hooks is None:
            fn._tensor_pre_hooks = {}
        hooks = fn._tensor_pre_hooks.setdefault(self._out_nr, [])
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def _extra_dict(self) -> dict:
        if self._extra is None:
            self._extra = {}
        return self._extra

    def _accumulator(self) -> AccumulateGrad:
        """This leaf's AccumulateGrad node, shared by all graphs using it."""
        ex = self._extra
        if ex is not None:
            ref = ex.get("accum")
            if ref is not None:
                acc = ref()
                if acc is not None:
                    return acc
        acc = AccumulateGrad(self)
        self._extra_dict()["accum"] = weakref.ref(acc)
        return acc

    @staticmethod
    def _alias(t: Tensor, grad_fn=None) -> Tensor:
        """A tensor over the same array and version counter (for saved outputs)."""
        a = _make(t._data, grad_fn)
        a._vc = t._vc
        return a

    @staticmethod
    def _scalar_like(v, like: Tensor) -> Tensor:
        """A 0-d tensor for a Python scalar, typed as torch types scalars."""
        if isinstance(v, np.generic):
            v = v.item()
        return _make(np.asarray(v, dtype=D.scalar_dtype(v).np))

    @staticmethod
    def _from_numpy_array(a: np.ndarray) -> Tensor:
        D.from_numpy_dtype(a.dtype)
        return _make(np.asarray(a))

    def _reset_grad(self, set_to_none: bool = True) -> None:
        """Module.zero_grad / Optimizer.zero_grad for one parameter: drop
        ``.grad``, or zero it in place, detached from any graph."""
        grad = self._grad
        if grad is None:
            return
        if set_to_none:
            self._grad = None
        else:
            if grad.grad_fn is not None:
                grad.detach_()
            else:
                grad.requires_grad_(False)
            grad.zero_()

    def _detached_copy(self) -> Tensor:
        return _make(self._data.copy())

    def _inplace_add_data(self, other: Tensor) -> None:
        """``self += other`` on the arrays, outside autograd (for .grad)."""
        np.add(self._data, other._data, out=self._data, casting="unsafe")
        self._bump()

    def _bump(self) -> None:
        vc = self._vc
        if vc is None:
            self._vc = [1]
        else:
            vc[0] += 1

    # ------------------------------------------------------------------
    # operators (each delegates to its op)
    def __radd__(self, other):
        return add(self, other, _reverse=True)

    def __rsub__(self, other):
        return rsub(self, other)

    def __rmul__(self, other):
        return mul(self, other, _reverse=True)

    def __rtruediv__(self, other):
        return rdiv(self, other)

    def __floordiv__(self, other):
        return floor_divide(self, other)

    def __rfloordiv__(self, other):
        return floor_divide(other, self) if isinstance(other, Tensor) else _rfloordiv(self, other)

    def __mod__(self, other):
        return remainder(self, other)

    def __rmod__(self, other):
        return _rremainder(self, other)

    def __rpow__(self, other):
        return _rpow(self, other)

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return matmul(self, other)

    def __rmatmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return matmul(other, self)

    def __pos__(self):
        return self

    def __abs__(self):
        return abs(self)

    def __invert__(self):
        if self.dtype.is_floating_point:
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return bitwise_not(self)

    def __and__(self, other):
        return bitwise_and(self, other)

    __rand__ = __and__

    def __or__(self, other):
        return bitwise_or(self, other)

    __ror__ = __or__

    def __xor__(self, other):
        return bitwise_xor(self, other)

    __rxor__ = __xor__

    def __iand__(self, other):
        return self._inplace(bitwise_and, other)

    def __ior__(self, other):
        return self._inplace(bitwise_or, other)

    def __ixor__(self, other):
        return self._inplace(bitwise_xor, other)

    def __eq__(self, other):
        return eq(self, other)

    def __ne__(self, other):
        return ne(self, other)

    def __lt__(self, other):
        return lt(self, other)

    def __le__(self, other):
        return le(self, other)

    def __gt__(self, other):
        return gt(self, other)

    def __ge__(self, other):
        return ge(self, other)

    def __iadd__(self, other):
        return self._inplace(add, other)

    def __isub__(self, other):
        return self._inplace(sub, other)

    def __imul__(self, other):
        return self._inplace(mul, other)

    def __itruediv__(self, other):
        return self._inplace(div, other)

    def __ifloordiv__(self, other):
        return self._inplace(floor_divide, other)

    def __imod__(self, other):
        return self._inplace(remainder, other)

    def __ipow__(self, other):
        return self._inplace(pow, other)

    def __setitem__(self, index, value):
        setitem(self, index, value)

    def _inplace(self, op, *args, **kwargs):
        return apply_inplace(self, op, *args, **kwargs)

    # in-place arithmetic
    def add_(self, other, *, alpha=1):
        return apply_inplace(self, add, other, alpha=alpha)

    def sub_(self, other, *, alpha=1):
        return apply_inplace(self, sub, other, alpha=alpha)

    def mul_(self, other):
        return apply_inplace(self, mul, other)

    def div_(self, other, *, rounding_mode=None):
        return apply_inplace(self, div, other, rounding_mode=rounding_mode)

    def pow_(self, exponent):
        return apply_inplace(self, pow, exponent)

    def neg_(self):
        return apply_inplace(self, neg)

    def abs_(self):
        return apply_inplace(self, abs)

    def zero_(self) -> Tensor:
        return fill_(self, 0)

    def fill_(self, value) -> Tensor:
        return fill_(self, value)

    def copy_(self, src, non_blocking: bool = False) -> Tensor:
        return copy_(self, src)


def _c_name(d, capital=False) -> str:
    """torch's C-level dtype names in messages ('float' / 'Double')."""
    n = {
        "float32": "float",
        "float64": "double",
        "float16": "Half",
        "int64": "long",
        "int32": "int",
        "int16": "short",
        "int8": "signed char",
        "uint8": "unsigned char",
        "bool": "bool",
    }[d.name]
    return n.capitalize() if capital else n


def _torch_strides(shape, strides):
    """Strides as torch reports them: NumPy's, except for empty tensors, where
    any stride is valid and torch reports the contiguous ones."""
    if 0 not in shape:
        return tuple(strides)
    out = [0] * len(shape)
    expected = 1
    for i in range(len(shape) - 1, -1, -1):
        out[i] = expected
        expected *= max(shape[i], 1)
    return tuple(out)


def wrap_dim(dim, ndim: int) -> int:
    """Turn a possibly negative dim into an index, with torch's IndexError."""
    n = ndim if ndim > 0 else 1
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


def _rebuild(arr, requires_grad, cls):
    t = _make(arr, cls=cls)
    t._requires_grad = requires_grad
    return t


def _parse_to(t, args, kwargs):
    from ._device import as_device
    from ._device import device as _device

    dtype = kwargs.pop("dtype", None)
    dev = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, (str, _device)) or (isinstance(a, int) and not isinstance(a, bool)):
            dev = a
        elif isinstance(a, Tensor):
            dtype, dev = a.dtype, a.device
        elif isinstance(a, bool):
            pass  # non_blocking / copy given positionally
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    return dtype, (None if dev is None else as_device(dev)), copy


# op functions the methods delegate to (imported last: they need Tensor)
from ._ops import attention as _attention  # noqa: E402
from ._ops import creation as _creation  # noqa: E402
from ._ops import distance as _distance  # noqa: E402
from ._ops import indexing as _indexing  # noqa: E402
from ._ops import inplace as _inplace  # noqa: E402
from ._ops import linalg as _linalg  # noqa: E402
from ._ops import pointwise as _pw  # noqa: E402
from ._ops import random as _rand  # noqa: E402
from ._ops import reduction as _red  # noqa: E402
from ._ops import shape as _shape  # noqa: E402
from ._ops import sort as _sort  # noqa: E402
from ._ops.indexing import setitem  # noqa: E402
from ._ops.inplace import apply_inplace, copy_, fill_  # noqa: E402
from ._ops.linalg import matmul  # noqa: E402
from ._ops.pointwise import (  # noqa: E402
    _rfloordiv,
    _rpow,
    _rremainder,
    abs,
    add,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    div,
    eq,
    floor_divide,
    ge,
    gt,
    le,
    lt,
    mul,
    ne,
    neg,
    pow,
    rdiv,
    remainder,
    rsub,
    sub,
    to_copy,
)
from ._ops.shape import permute, transpose, unbind  # noqa: E402


def _new_factory(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **kwargs):
        return fn(
            *size,
            dtype=dtype or self.dtype,
            device=device or self.device,
            requires_grad=requires_grad,
        )

    method.__name__ = "new_" + fn.__name__
    return method


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return _creation.full(
        size,
        fill_value,
        dtype=dtype or self.dtype,
        device=device or self.device,
        requires_grad=requires_grad,
    )


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return _creation.tensor(
        data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad
    )


def _clamp_(self, min=None, max=None):
    return apply_inplace(self, _pw.clamp, min, max)


# Tensor methods that are the op functions themselves (self is the first
# argument): one table, so each method is found where its op is defined.
_METHODS = {
    "new_zeros": _new_factory(_creation.zeros),
    "new_ones": _new_factory(_creation.ones),
    "new_empty": _new_factory(_creation.empty),
    "new_full": _new_full,
    "new_tensor": _new_tensor,
    "clamp_": _clamp_,
    "clip_": _clamp_,
    "exp_": _inplace.inplace_variant(_pw.exp),
    "log_": _inplace.inplace_variant(_pw.log),
    "sqrt_": _inplace.inplace_variant(_pw.sqrt),
    "sigmoid_": _inplace.inplace_variant(_pw.sigmoid),
    "tanh_": _inplace.inplace_variant(_pw.tanh),
    "relu_": _inplace.inplace_variant(_pw.relu),
    "reciprocal_": _inplace.inplace_variant(_pw.reciprocal),
    "sign_": _inplace.inplace_variant(_pw.sign),
}
# each op family lists the Tensor methods that are its functions
for _family in (_pw, _red, _shape, _linalg, _rand, _indexing, _sort, _distance, _attention):
    for _name, _fn in _family.TENSOR_METHODS.items():
        setattr(Tensor, _name, _fn)
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
del _family, _name, _fn


def _view_as(self, other):
    return _shape.view(self, other.shape)


def _reshape_as(self, other):
    return _shape.reshape(self, other.shape)


Tensor.view_as = _view_as
Tensor.reshape_as = _reshape_as

from ._ops import activation as _act  # noqa: E402


def _softmax(input, dim, dtype=None):
    """softmax along ``dim`` (torch.softmax / Tensor.softmax argument order)."""
    return _act.softmax(input, dim, dtype=dtype)


def _log_softmax(input, dim, dtype=None):
    return _act.log_softmax(input, dim, dtype=dtype)


Tensor.softmax = _softmax
Tensor.log_softmax = _log_softmax
Tensor.erf = _act.erf
Tensor.erf_ = _inplace.inplace_variant(_act.erf)
