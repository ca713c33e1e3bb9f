"""Custom differentiable operations: ``torchless.autograd.Function``.

A Function's ``forward`` runs on tensors with grad mode off; its outputs are
attached to one graph node (named ``<ClassName>Backward`` as torch names it)
whose ``apply`` calls the user's ``backward``. Both the classic style
(``forward(ctx, ...)``) and the ``setup_context`` style are supported.
"""

from __future__ import annotations

import functools

from . import grad_mode
from .graph import Node

__all__ = ["Function", "FunctionCtx", "once_differentiable", "InplaceFunction"]


class FunctionCtx:
    """The ``ctx`` a Function's forward and backward share."""

    def __init__(self):
        self._node = None
        self._to_save = ()
        self._dirty = ()
        self._non_diff = ()
        self.materialize_grads = True
        self.needs_input_grad = ()

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors (or None) for backward; they are version-checked."""
        self._to_save = tensors

    def save_for_forward(self, *tensors) -> None:
        self._to_save_fwd = tensors

    @property
    def saved_tensors(self) -> tuple:
        node = self._node
        if node is None:
            return tuple(self._to_save)
        return node.saved()

    def mark_dirty(self, *tensors) -> None:
        """Declare inputs that forward modified in place."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Declare outputs that have no gradient (e.g. indices)."""
        self._non_diff = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """Whether backward receives zeros (True) or None for outputs that
        got no gradient."""
        self.materialize_grads = bool(value)


class BackwardCFunction(Node):
    """The node of a custom Function: runs the user's backward."""

    __slots__ = ("ctx", "fn_cls", "n_out", "out_meta")

    @property
    def _nout(self):
        return self.n_out

    def apply(self, grads):
        from .._ops.creation import zeros

        if self.n_out == 1:
            grads = [grads]
        grads = list(grads)
        if self.ctx.materialize_grads:
            for i, g in enumerate(grads):
                if g is None:
                    shape, dtype = self.out_meta[i]
                    grads[i] = zeros(shape, dtype=dtype)
        result = self.fn_cls.backward(self.ctx, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        n_in = len(self.next_functions)
        if len(result) < n_in:
            raise RuntimeError(
                f"function {self._name} returned an incorrect number of gradients (expected "
                f"{n_in}, got {len(result)})"
            )
        if len(result) > n_in:
            extra = result[n_in:]
            if any(r is not None for r in extra):
                raise RuntimeError(
                    f"function {self._name} returned an incorrect number of gradients "
                    f"(expected {n_in}, got {len(result)})"
                )
            result = result[:n_in]
        return result

    # the user's backward may ask ctx.saved_tensors: the node checks versions
    def release(self) -> None:
        super().release()


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_name = name + "Backward"


class Function(metaclass=_FunctionMeta):
    """Base class for custom autograd operations.

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx,
    *grad_outputs)`` (or ``forward(*args)`` plus ``setup_context(ctx, inputs,
    output)``) and call ``MyFunction.apply(*args)``.
    """

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor, _edge, _make

        ctx = FunctionCtx()
        tensor_args = [a if isinstance(a, Tensor) else None for a in args]
        ctx.needs_input_grad = tuple(a is not None and a._requires_grad for a in tensor_args)
        custom_setup = cls.setup_context is not Function.setup_context
        with grad_mode.no_grad():
            if custom_setup:
                output = cls.forward(*args, **kwargs)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if custom_setup:
            cls.setup_context(ctx, args, output)

        single = not isinstance(output, tuple)
        outputs = (output,) if single else output
        track = grad_mode._state.enabled and any(ctx.needs_input_grad)
        dirty = {id(t) for t in ctx._dirty}
        non_diff = {id(t) for t in ctx._non_diff}
        results = []
        node = None
        if track:
            node = BackwardCFunction()
            node.ctx, node.fn_cls, node._name = ctx, cls, cls._backward_name
            node.n_out = len(outputs)
            node.out_meta = [
                (o.shape, o.dtype) if isinstance(o, Tensor) else ((), None) for o in outputs
            ]
            node.next_functions = tuple(
                _edge(a) if a is not None else (None, 0) for a in tensor_args
            )
            ctx._node = node
            node.save(*ctx._to_save)
        for i, o in enumerate(outputs):
            if not isinstance(o, Tensor):
                results.append(o)
                continue
            if id(o) in dirty:
                if track and o.grad_fn is None and o._requires_grad:
                    raise RuntimeError(
                        "a leaf Variable that requires grad is being used in an in-place "
                        "operation."
                    )
                o._bump() if o._vc is None else None
                out = o
            elif any(o is a for a in tensor_args):
                # an input returned as is: a new tensor over the same data
                out = _make(o._data)
                out._vc = o._vc
            else:
                out = o
            if track and id(o) not in non_diff and out.dtype.is_floating_point:
                out.grad_fn, out._requires_grad, out._out_nr = node, True, i
            elif id(o) in non_diff:
                out._requires_grad = False
            results.append(out)
        return results[0] if single else tuple(results)


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


def once_differentiable(fn):
    """Decorate a backward that is not itself differentiable: it runs with
    grad mode off."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)

    return wrapper
