"""Automatic differentiation: backward, grad, grad mode, graph nodes."""

from __future__ import annotations

import numpy as np

from .._missing import missing_attribute_getattr
from . import graph
from . import function
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .engine import accumulate_grad, run_backward
from .function import Function, FunctionCtx, once_differentiable
from .gradcheck import gradcheck, gradgradcheck
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

__all__ = [
    "backward",
    "grad",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "graph",
    "gradcheck",
    "gradgradcheck",
    "Function",
    "FunctionCtx",
    "once_differentiable",
    "detect_anomaly",
    "set_detect_anomaly",
]


def _as_list(x):
    if x is None:
        return None
    from .._tensor import Tensor

    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _root_grads(outputs, grad_outputs, is_grads_batched=False):
    from .._tensor import Tensor, _make

    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad requires one gradient per output: got {len(grad_outputs)} gradients and "
            f"{len(outputs)} outputs"
        )
    roots, grads = [], []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    + repr(out.dtype)
                )
            g = _make(np.ones(out._data.shape, dtype=out._data.dtype))
        elif not isinstance(g, Tensor):
            from .._ops.creation import tensor

            g = tensor(g, dtype=out.dtype)
        elif g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                f"has a shape of {out.shape}."
            )
        fn = out.grad_fn
        roots.append((fn, out._out_nr) if fn is not None else (out._accumulator(), 0))
        grads.append(g)
    return roots, grads


def _input_edge(t):
    if not t._requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    fn = t.grad_fn
    return (fn, t._out_nr) if fn is not None else (t._accumulator(), 0)


def backward(
    tensors,
    grad_tensors=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables=None,
    inputs=None,
) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of the leaves
    (or only of ``inputs``)."""
    tensors = _as_list(tensors)
    grad_tensors = _as_list(grad_tensors if grad_tensors is not None else grad_variables)
    if retain_graph is None:
        retain_graph = create_graph
    roots, grads = _root_grads(tensors, grad_tensors)
    if inputs is None:
        run_backward(roots, grads, retain_graph, create_graph)
        return
    inputs = _as_list(inputs)
    if not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    edges = [_input_edge(t) for t in inputs]
    results = run_backward(
        roots, grads, retain_graph, create_graph, inputs=edges, accumulate=False
    )
    for t, g in zip(inputs, results):
        if g is not None:
            accumulate_grad(t, g, create_graph)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
):
    """The gradients of ``outputs`` with respect to ``inputs``, returned
    rather than accumulated into ``.grad``."""
    outputs = _as_list(outputs)
    inputs = _as_list(inputs)
    grad_outputs = _as_list(grad_outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    roots, grads = _root_grads(outputs, grad_outputs)
    edges = [_input_edge(t) for t in inputs]
    results = run_backward(
        roots, grads, retain_graph, create_graph, inputs=edges, accumulate=False
    )
    out = []
    for t, g in zip(inputs, results):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                from .._ops.creation import zeros_like

                g = zeros_like(t)
        elif g.shape != t.shape or g.dtype is not t.dtype:
            from .engine import _fit

            g = _fit(g, t.shape, t.dtype)
        out.append(g)
    return tuple(out)


from . import functional  # noqa: E402  (needs grad above)

__getattr__ = missing_attribute_getattr(__name__)
