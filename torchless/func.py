"""torch.func essentials: grad, grad_and_value, vjp, jacrev, hessian, vmap,
functional_call.

Transforms compose because each one works on fresh differentiable copies of
its inputs and keeps the graph (``create_graph=True``) whenever an outer
transform may differentiate again. ``vmap`` runs the function once per batch
element in Python and stacks the results: torch's results, without a
batching compiler.
"""

from __future__ import annotations

import functools

from . import autograd
from ._tensor import Tensor
from .autograd import grad_mode

__all__ = ["grad", "grad_and_value", "vjp", "jacrev", "hessian", "vmap", "functional_call"]


def _enter(x):
    """A differentiable copy of ``x`` that stays linked to any outer graph."""
    if x.requires_grad:
        return x.view_as(x)
    return x.detach().requires_grad_(True)


def _tree_map(fn, obj):
    if isinstance(obj, Tensor):
        return fn(obj)
    if isinstance(obj, tuple):
        return tuple(_tree_map(fn, o) for o in obj)
    if isinstance(obj, list):
        return [_tree_map(fn, o) for o in obj]
    if isinstance(obj, dict):
        return {k: _tree_map(fn, v) for k, v in obj.items()}
    return obj


def _leaves(obj):
    out = []
    _tree_map(lambda t: out.append(t) or t, obj)
    return out


def _unflatten(obj, flat):
    it = iter(flat)
    return _tree_map(lambda t: next(it), obj)


def grad_and_value(func, argnums=0, has_aux=False):
    """A function returning (gradient of ``func`` w.r.t. ``argnums``, value)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
        with grad_mode.enable_grad():
            args = list(args)
            outer = any(t.requires_grad for i in nums for t in _leaves(args[i]))
            for i in nums:
                args[i] = _tree_map(_enter, args[i])
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                out, aux = out
            if not isinstance(out, Tensor) or out.numel() != 1:
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                    f"tensor with {out.dim() if isinstance(out, Tensor) else '?'} dims. Maybe you "
                    "wanted to use the vjp or jacrev APIs instead?"
                )
            leaves = [t for i in nums for t in _leaves(args[i])]
            gs = autograd.grad(
                out, leaves, create_graph=True, allow_unused=True, materialize_grads=True
            )
        if not outer:
            gs = [g.detach() for g in gs]
            out = out.detach()
        pos = 0
        results = []
        for i in nums:
            n = len(_leaves(args[i]))
            results.append(_unflatten(args[i], gs[pos : pos + n]))
            pos += n
        g = results[0] if isinstance(argnums, int) else tuple(results)
        return (g, (out, aux)) if has_aux else (g, out)

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """A function computing the gradient of scalar ``func`` w.r.t. ``argnums``."""
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, val = gv(*args, **kwargs)
        return (g, val[1]) if has_aux else g

    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)`` where ``vjp_fn(v)`` gives v^T J per primal."""
    with grad_mode.enable_grad():
        outer = any(t.requires_grad for t in _leaves(primals))
        ins = _tree_map(_enter, primals)
        out = func(*ins)
        aux = None
        if has_aux:
            out, aux = out
    leaves_in = _leaves(ins)

    def vjp_fn(*cotangents):
        cot = cotangents[0] if len(cotangents) == 1 else cotangents
        outs = _leaves(out)
        vs = _leaves(cot)
        with grad_mode.enable_grad():
            gs = autograd.grad(
                outs,
                leaves_in,
                vs,
                retain_graph=True,
                create_graph=True,
                allow_unused=True,
                materialize_grads=True,
            )
        if not outer:
            gs = [g.detach() for g in gs]
        return tuple(_unflatten(ins, gs))

    primal_out = out if outer else _tree_map(lambda t: t.detach(), out)
    return (primal_out, vjp_fn, aux) if has_aux else (primal_out, vjp_fn)


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """The Jacobian of ``func`` w.r.t. ``argnums`` by reverse mode."""
    from ._ops.creation import zeros_like
    from ._ops.shape import stack

    @functools.wraps(func)
    def wrapper(*args):
        nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
        with grad_mode.enable_grad():
            args = list(args)
            outer = any(args[i].requires_grad for i in nums)
            for i in nums:
                args[i] = _enter(args[i])
            out = func(*args)
            aux = None
            if has_aux:
                out, aux = out
            ins = [args[i] for i in nums]
            rows = [[] for _ in ins]
            for k in range(out.numel()):
                go = zeros_like(out)
                go._data.reshape(-1)[k] = 1
                gs = autograd.grad(
                    out,
                    ins,
                    go,
                    retain_graph=True,
                    create_graph=True,
                    allow_unused=True,
                    materialize_grads=True,
                )
                for j, g in enumerate(gs):
                    rows[j].append(g)
        jacs = []
        for j, x in enumerate(ins):
            J = stack(rows[j]).reshape(tuple(out.shape) + tuple(x.shape))
            jacs.append(J if outer else J.detach())
        res = jacs[0] if isinstance(argnums, int) else tuple(jacs)
        return (res, aux) if has_aux else res

    return wrapper


def hessian(func, argnums=0):
    """The Hessian of scalar ``func``: jacrev of its gradient."""
    return jacrev(jacrev(func, argnums), argnums)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Map ``func`` over a batch dimension of its inputs (``in_dims``; None
    for unbatched arguments) and stack the results along ``out_dims``."""
    from ._ops.shape import stack

    @functools.wraps(func)
    def wrapper(*args):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(
                f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has "
                f"structure {len(args)}."
            )
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None and isinstance(a, Tensor)}
        if not sizes:
            raise ValueError(
                f"vmap(f, in_dims={in_dims}, ...)(<inputs>): at least one input must be a "
                "Tensor batched along an in_dim"
            )
        if len(sizes) != 1:
            raise ValueError(
                "vmap: Expected all tensors to have the same size in the mapped dimension, got "
                f"sizes {sorted(sizes)} for the mapped dimension"
            )
        (n,) = sizes
        results = []
        for i in range(n):
            call = [
                a.select(d, i) if d is not None and isinstance(a, Tensor) else a
                for a, d in zip(args, dims)
            ]
            results.append(func(*call))
        first = results[0]
        if isinstance(first, tuple):
            od = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(first)
            return tuple(stack([r[k] for r in results], od[k]) for k in range(len(first)))
        return stack(results, out_dims)

    return wrapper


def functional_call(
    module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False
):
    """Call ``module`` with its parameters and buffers replaced by the given
    tensors (restored afterwards)."""
    if isinstance(parameter_and_buffer_dicts, (list, tuple)):
        merged = {}
        for d in parameter_and_buffer_dicts:
            merged.update(d)
    else:
        merged = dict(parameter_and_buffer_dicts)
    args = () if args is None else (args if isinstance(args, tuple) else (args,))
    kwargs = kwargs or {}
    saved = []
    try:
        for name, value in merged.items():
            *path, leaf = name.split(".")
            owner = module
            for p in path:
                owner = getattr(owner, p)
            store = owner._parameters if leaf in owner._parameters else owner._buffers
            saved.append((store, leaf, store[leaf]))
            store[leaf] = value
        return module(*args, **kwargs)
    finally:
        for store, leaf, old in reversed(saved):
            store[leaf] = old
