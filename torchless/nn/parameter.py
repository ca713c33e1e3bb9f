"""``nn.Parameter``: a tensor that a Module registers as one of its parameters.

A Parameter is a Tensor subclass with no state of its own: assigning one to a
Module attribute puts it in the module's ``_parameters``, so ``parameters()``,
``state_dict()`` and optimizers find it. It prints as ``Parameter containing:``
followed by the tensor.
"""

from __future__ import annotations

from .._tensor import Tensor, _make

__all__ = ["Buffer", "Parameter", "UninitializedParameter", "is_lazy"]


class Parameter(Tensor):
    """A Tensor that is a module parameter (``torch.nn.Parameter``).

    Args:
        data: the tensor to wrap; the Parameter shares its memory, detached from any
            graph. ``None`` gives an empty float tensor.
        requires_grad: whether the parameter requires gradient (default ``True``).

    Example::

        >>> p = Parameter(torch.zeros(2))
        >>> p.requires_grad
        True
    """

    __slots__ = ()
    _is_parameter = True

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            from .. import empty

            data = empty(0)
        elif not isinstance(data, Tensor):
            raise TypeError(
                f"_make_subclass(): argument 'data' (position 2) must be Tensor, not "
                f"{type(data).__name__}"
            )
        p = _make(data._data, cls=cls)
        # the same memory as data, so the same version counter (as torch's _make_subclass)
        vc = data._vc
        if vc is None:
            vc = data._vc = [0]
        p._vc = vc
        if requires_grad:
            p.requires_grad_(True)  # torch's error for integer dtypes
        return p

    def __deepcopy__(self, memo: dict) -> Parameter:
        # as torch: a fresh Parameter over a copy of the data; .grad is not copied
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(_make(self._data.copy()), self._requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self._host().copy(), self._requires_grad, type(self)))


def _rebuild_parameter(arr, requires_grad: bool, cls=Parameter) -> Parameter:
    return cls(_make(arr), requires_grad)


class _BufferMeta(type):
    # torch.nn.Buffer(t) returns a plain Tensor marked as a buffer; isinstance sees the mark
    def __instancecheck__(cls, instance) -> bool:
        if cls is Buffer:
            return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """A tensor that, assigned to a Module attribute, registers as a buffer
    (``torch.nn.Buffer``).

    Args:
        data: the buffer's tensor (detached); ``None`` gives an empty float tensor.
        persistent: whether the buffer is part of the module's ``state_dict``.
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Tensor:
        if data is None:
            from .. import empty

            data = empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


_UNINIT_MSG = (
    "Can't access the {} of an uninitialized parameter or buffer. This error usually happens "
    "in `load_state_dict` when trying to load an uninitialized parameter into an initialized "
    "one. Call `forward` to initialize the parameters before accessing their attributes."
)


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet (``torch.nn.UninitializedParameter``):
    what lazy modules such as ``LazyLinear`` hold until their first call, when
    :meth:`materialize` gives it a shape and turns it into a plain :class:`Parameter`."""

    __slots__ = ()
    cls_to_become = Parameter

    def __new__(
        cls, requires_grad: bool = True, device=None, dtype=None
    ) -> UninitializedParameter:
        from .. import empty

        return super().__new__(cls, empty(0, device=device, dtype=dtype), requires_grad)

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Give the parameter ``shape`` (uninitialised values) and make it a Parameter."""
        from .. import empty

        if device is None:
            device = self.device
        if dtype is None:
            dtype = self.dtype
        self._data = empty(shape, device=device, dtype=dtype)._data
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_UNINIT_MSG.format("shape"))

    def size(self, dim=None):
        raise RuntimeError(_UNINIT_MSG.format("size"))

    def numel(self):
        raise RuntimeError(_UNINIT_MSG.format("numel"))

    def dim(self):
        raise RuntimeError(_UNINIT_MSG.format("dim"))

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    def __reduce_ex__(self, proto):
        return (self.__class__, (self._requires_grad,))


def is_lazy(param) -> bool:
    """Whether ``param`` is an uninitialized parameter (of a lazy module)."""
    return isinstance(param, UninitializedParameter)
