"""The backward engine.

From the roots, count how many edges lead into each node, then run nodes
whose count has dropped to zero, newest first (as torch orders by sequence
number), summing the gradients that arrive for each node's outputs. Leaves
receive theirs through AccumulateGrad. Iterative throughout: graphs of any
depth run without touching the recursion limit.
"""

from __future__ import annotations

import heapq

from . import grad_mode
from .anomaly_mode import _state as _anomaly
from .graph import AccumulateGrad

__all__ = ["run_backward", "accumulate_grad"]


class _LazyReduction:
    """torchless._ops.reduction, imported on first use (it imports this module)."""

    def __getattr__(self, name):
        from .._ops import reduction

        globals()["_ops_reduction"] = reduction
        return getattr(reduction, name)


_ops_reduction = _LazyReduction()


def _fit(g, shape, dtype):
    """Make a gradient match the input it flows into: undo broadcasting
    (sum over broadcast dims) and cast to the input's dtype."""
    if g._data.shape != shape:
        g = _ops_reduction.sum_to_shape(g, shape)
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


def run_backward(
    roots,
    grads,
    retain_graph: bool,
    create_graph: bool,
    inputs=None,
    accumulate: bool = True,
    allow_unused: bool = True,
):
    """Backpropagate ``grads`` from ``roots`` (a list of (node, output_nr)).

    With ``accumulate`` the leaves' ``.grad`` fields receive the results;
    otherwise the gradients flowing into ``inputs`` (edges) are returned.
    """
    # 1. dependency counts over the reachable graph
    deps: dict = {}
    stack = []
    for node, _ in roots:
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is not None:
                if nxt in deps:
                    deps[nxt] += 1
                else:
                    deps[nxt] = 1
                    stack.append(nxt)

    # edges whose gradient is captured (autograd.grad, backward(inputs=))
    capture = None
    needed = None
    if inputs is not None:
        capture = {}
        for i, (node, nr) in enumerate(inputs):
            capture.setdefault(node, []).append((nr, i))
        needed = _needed_nodes(deps, roots, capture)
    results = [None] * (len(inputs) if inputs is not None else 0)

    # 2. seed the buffers with the root gradients
    buffers: dict = {}
    # ids of gradients others may hold (the caller's, or one passed to two
    # edges): a leaf's .grad must not take their arrays without a copy
    shared = set()
    for (node, nr), g in zip(roots, grads):
        shared.add(id(g))
        _add_to_buffer(buffers, node, nr, g)

    ready = [(-n._seq, n) for n in deps if deps[n] == 0]
    heapq.heapify(ready)
    heappop, heappush = heapq.heappop, heapq.heappush

    prev = grad_mode._state.enabled
    grad_mode._state.enabled = create_graph
    try:
        while ready:
            node = heappop(ready)[1]
            g = buffers.pop(node, None)
            if capture is not None:
                if node in capture:
                    for nr, i in capture[node]:
                        results[i] = g if node._nout == 1 else (None if g is None else g[nr])
                if node not in needed:
                    continue
            if type(node) is AccumulateGrad:
                if accumulate and g is not None:
                    accumulate_grad(node.variable, g, create_graph, id(g) not in shared)
                continue

            if node._tensor_pre_hooks is not None:
                g = _run_tensor_hooks(node, g)
            if node._pre_hooks is not None:
                g = _run_pre_hooks(node, g)
            if g is None:
                out = (None,) * len(node.next_functions)
            elif _anomaly.enabled:
                out = _apply_checked(node, g)
            else:
                out = node.apply(g)
                if node._hooks is not None:
                    out = _run_post_hooks(node, out, g)
            if not retain_graph:
                node.release()
            meta = node._meta
            i = -1
            for nxt, nr in node.next_functions:
                i += 1
                if nxt is None:
                    continue
                gi = out[i]
                if gi is not None:
                    if gi is g or id(gi) in shared or (len(out) > 1 and _fanned_out(out, gi)):
                        shared.add(id(gi))  # passed through or fanned out: not ours alone
                    if meta is not None:
                        shape, dtype = meta[i]
                        if gi._data.shape != shape or gi.dtype is not dtype:
                            gi = _fit(gi, shape, dtype)
                    if nxt._nout == 1:
                        held = buffers.get(nxt)
                        buffers[nxt] = gi if held is None else held + gi
                    else:
                        _add_to_buffer(buffers, nxt, nr, gi)
                d = deps[nxt] - 1
                deps[nxt] = d
                if d == 0:
                    heappush(ready, (-nxt._seq, nxt))
    finally:
        grad_mode._state.enabled = prev
    return results


def _apply_checked(node, g):
    """apply() under anomaly mode: report the forward traceback on an error
    or on NaN in the results."""
    import numpy as np

    from . import anomaly_mode

    try:
        out = node.apply(g)
        if node._hooks is not None:
            out = _run_post_hooks(node, out, g)
        if _anomaly.check_nan:
            for i, gi in enumerate(out):
                if gi is not None and np.isnan(gi._host()).any():
                    raise RuntimeError(
                        f"Function '{node.name()}' returned nan values in its {i}th output."
                    )
    except Exception:
        anomaly_mode.report(node)
        raise
    return out


def _add_to_buffer(buffers, node, nr, g):
    if node._nout == 1:
        prev = buffers.get(node)
        buffers[node] = g if prev is None else prev + g
    else:
        slots = buffers.get(node)
        if slots is None:
            slots = buffers[node] = [None] * node._nout
        slots[nr] = g if slots[nr] is None else slots[nr] + g


def _needed_nodes(deps, roots, capture):
    """Nodes from which a captured edge can be reached: only they run."""
    # Kahn's order from the roots, then walk it backwards
    counts = dict(deps)
    order = []
    queue = [n for n in counts if counts[n] == 0]
    while queue:
        n = queue.pop()
        order.append(n)
        for nxt, _ in n.next_functions:
            if nxt is not None:
                counts[nxt] -= 1
                if counts[nxt] == 0:
                    queue.append(nxt)
    needed = set()
    for n in reversed(order):
        for nxt, _ in n.next_functions:
            if nxt is not None and (nxt in needed or nxt in capture):
                needed.add(n)
                break
    return needed


def accumulate_grad(var, g, create_graph: bool, owned: bool = False) -> None:
    """Add ``g`` into ``var.grad`` as AccumulateGrad does.

    ``owned`` says the engine made ``g`` and nothing else holds it, so its
    array can become ``.grad`` without a copy."""
    extra = var._extra
    hooked = extra is not None and "hooks" in extra  # a hook may have kept g
    if hooked:
        for h in extra["hooks"]:
            r = h(g)
            if r is not None:
                g = r
    shape = var._data.shape  # (not .shape: that builds a torch.Size each time)
    if g._data.shape != shape:
        g = _fit(g, shape, var.dtype)
    elif g.dtype is not var.dtype:
        g = g.to(var.dtype)
    cur = var._grad
    if cur is None:
        if create_graph:
            var._grad = g
        elif owned and not hooked and g.grad_fn is None and _is_own_array(g._data):
            var._grad = g  # the engine's own fresh result: no copy needed
        elif owned and not hooked and g.grad_fn is None and _covers_own_base(g._data):
            # a view laid exactly over a fresh array (e.g. a weight's gradient
            # transposed back by TBackward0): take the array itself
            var._grad = type(g)._alias(g)
            var._grad._data = g._data.base
        else:
            # a copy: the incoming gradient may be shared with other leaves or
            # held by the caller, and .grad is updated in place later
            var._grad = g._detached_copy()
    elif create_graph or cur.requires_grad:
        var._grad = cur + g
    else:
        cur._inplace_add_data(g)
    if extra is not None and "post_hooks" in extra:
        for h in extra["post_hooks"]:
            h(var)


def _fanned_out(out, gi) -> bool:
    """Whether the same gradient object goes to more than one edge."""
    n = 0
    for o in out:
        if o is gi:
            n += 1
    return n > 1


def _covers_own_base(a) -> bool:
    """A view with exactly the layout of the fresh array it views."""
    b = a.base
    return (
        b is not None
        and b.base is None
        and b.flags.writeable
        and b.flags.c_contiguous
        and a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
    )


def _is_own_array(a) -> bool:
    """A writeable array that owns its memory (not a view or broadcast)."""
    return a.base is None and a.flags.writeable


def _run_tensor_hooks(node, g):
    hooks = node._tensor_pre_hooks
    if node._nout == 1:
        for h in hooks.get(0, ()):
            if g is None:
                break
            r = h(g)
            if r is not None:
                g = r
        return g
    g = list(g) if g is not None else [None] * node._nout
    for nr, hs in hooks.items():
        for h in hs:
            if g[nr] is None:
                break
            r = h(g[nr])
            if r is not None:
                g[nr] = r
    return g


def _run_pre_hooks(node, g):
    gs = (g,) if node._nout == 1 else tuple(g)
    for h in node._pre_hooks:
        r = h(gs)
        if r is not None:
            gs = tuple(r)
    return gs[0] if node._nout == 1 else list(gs)


def _run_post_hooks(node, out, g):
    gs = (g,) if node._nout == 1 else tuple(g)
    out = tuple(out)
    for h in node._hooks:
        r = h(out, gs)
        if r is not None:
            out = tuple(r)
    return out
