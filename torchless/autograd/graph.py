"""Graph nodes: what ``grad_fn`` returns.

Each differentiable op defines one small ``Node`` subclass named as torch
names it (``MulBackward0``) next to its forward. A node keeps its
``next_functions`` (one edge per differentiable input), the values its
backward needs and nothing else. ``apply(grad)`` returns one gradient per
edge, written with Tensor operations so that it can itself be differentiated.
"""

from __future__ import annotations

import itertools
import re

from .anomaly_mode import _state as _anomaly
from .anomaly_mode import forward_stack
from .grad_mode import _state as _grad_state

__all__ = ["Node", "AccumulateGrad"]

_seq = itertools.count()

FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """A backward step. Subclasses set ``apply`` and, if they keep values,
    store them with ``save`` (tensors are version-checked on use)."""

    __slots__ = (
        "next_functions",
        "_seq",
        "_meta",
        "_saved",
        "_vers",
        "_freed",
        "_hooks",
        "_pre_hooks",
        "_tensor_pre_hooks",
        "__weakref__",
        "__dict__",
    )
    _nout = 1  # number of forward outputs this node takes gradients for

    def __init__(self):
        self._seq = next(_seq)
        self._meta = None
        self._saved = None
        self._freed = False
        self._hooks = None
        self._pre_hooks = None
        self._tensor_pre_hooks = None
        if _anomaly.enabled:
            self.metadata["traceback_"] = forward_stack()

    def name(self) -> str:
        return self._name

    # Nodes shared by several ops take torch's name per use: setting ``_name``
    # moves the node to a subclass of that name, so that type(grad_fn).__name__
    # says what torch's does ("SelectBackward0", not "IndexBackward").
    @property
    def _name(self) -> str:
        cls = type(self)
        return cls.__dict__.get("_full_name", cls.__name__)

    @_name.setter
    def _name(self, value: str) -> None:
        if self._name != value:
            self.__class__ = _renamed(type(self), value)

    def __repr__(self) -> str:
        # torch prints the class name: <CopySlices ...>, not <torch::autograd::CopySlices ...>
        return f"<{self.name().rsplit('::', 1)[-1]} object at {id(self):#x}>"

    # saved values -----------------------------------------------------
    _saves_output = False  # the saved tensor is this node's own output

    def save(self, *tensors) -> None:
        """Keep tensors (or None) for backward, remembering their versions."""
        self._saved = tensors
        vers = []
        for t in tensors:
            vc = None if t is None else t._vc
            vers.append(0 if vc is None else vc[0])
        # a tuple of ints is not tracked by the cyclic GC (a list would be)
        self._vers = tuple(vers)

    def save_output(self, out) -> None:
        """Keep this node's output for backward without a reference cycle:
        a plain alias is stored and re-linked to the node when unpacked."""
        vc = out._vc
        if vc is None:
            vc = out._vc = [0]
        alias = type(out)._alias(out)
        self._saved = (alias,)
        self._vers = (vc[0],)

    def saved(self) -> tuple:
        """The saved tensors; raises torch's errors if they were freed or
        modified in place since they were saved."""
        if self._freed:
            raise RuntimeError(FREED_MSG)
        saved = self._saved
        for t, v in zip(saved, self._vers):
            if t is not None:
                vc = t._vc
                if vc is not None and vc[0] != v:
                    who = self.name() if self._saves_output else None
                    raise RuntimeError(_modified_msg(t, vc[0], v, who))
        if self._saves_output and _grad_state.enabled:
            # double backward: the output must lead back to this node
            (alias,) = saved
            return (type(alias)._alias(alias, grad_fn=self),)
        return saved

    def release(self) -> None:
        """Drop saved values after a backward without retain_graph."""
        if self._saved is not None:
            self._saved = None
            self._freed = True

    # hooks ------------------------------------------------------------
    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; it may
        return replacement grad_inputs."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return
        replacement grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _RemovableHandle(self._pre_hooks, fn)

    def __call__(self, *grads):
        out = self.apply(grads[0] if self._nout == 1 else list(grads))
        return out[0] if len(out) == 1 else tuple(out)

    @property
    def metadata(self) -> dict:
        try:
            return self.__dict__["_metadata"]
        except KeyError:
            self.__dict__["_metadata"] = {}
            return self.__dict__["_metadata"]


_RENAMED: dict = {}


def _renamed(cls, name: str):
    """A subclass of node class ``cls`` named ``name`` (made once)."""
    key = (cls, name)
    sub = _RENAMED.get(key)
    if sub is None:
        base = getattr(cls, "_renamed_from", cls)
        key = (base, name)
        sub = _RENAMED.get(key)
        if sub is None:
            short = name.rsplit("::", 1)[-1]  # torch's class of 'torch::autograd::X' is X
            sub = type(
                short,
                (base,),
                {
                    "__slots__": (),
                    "__module__": base.__module__,
                    "__qualname__": short,
                    "_renamed_from": base,
                    "_full_name": name,
                },
            )
            _RENAMED[key] = sub
        _RENAMED[(cls, name)] = sub
    return sub


def _modified_msg(t, now: int, expected: int, producer: str | None) -> str:
    desc = f"[torch.{t.dtype._legacy} {list(t._data.shape)}]"
    fn = t.grad_fn
    if producer is None and fn is not None:
        producer = fn.name()
    if producer is not None:  # torch names the forward op: MulBackward0 -> Mul
        producer = re.sub(r"Backward\d*$", "", producer)
    which = "" if producer is None else f", which is output {t._out_nr} of {producer},"
    return (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: {desc}{which} is at version {now}; expected version {expected} "
        "instead. Hint: enable anomaly detection to find the operation that failed to compute "
        "its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class _RemovableHandle:
    __slots__ = ("_list", "_fn")

    def __init__(self, lst, fn):
        self._list, self._fn = lst, fn

    def remove(self) -> None:
        try:
            self._list.remove(self._fn)
        except ValueError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds incoming gradients into ``.grad``."""

    __slots__ = ("variable",)
    _full_name = "torch::autograd::AccumulateGrad"

    def __init__(self, variable):
        super().__init__()
        self.variable = variable
        self.next_functions = ()

    def apply(self, g):  # pragma: no cover - the engine calls accumulate
        raise RuntimeError("AccumulateGrad is applied by the engine")
