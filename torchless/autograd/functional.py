"""Higher-level autograd: jacobian, hessian, vjp, jvp, hvp, vhp, as
``torch.autograd.functional``. Built on ``autograd.grad``; forward-mode
products use the double-backward trick (a vjp of a vjp), as torch does for
reverse-mode-only functions."""

from __future__ import annotations

from . import grad as _grad
from . import grad_mode

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(x):
    from .._tensor import Tensor

    if isinstance(x, Tensor):
        return (x,), False
    return tuple(x), True


def _prep(inputs, create_graph):
    """Fresh differentiable copies of the inputs (torch's _grad_preprocess)."""
    out = []
    for t in inputs:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(True))
    return tuple(out)


def _post(ts, create_graph):
    if create_graph:
        return ts
    return tuple(None if t is None else t.detach() for t in ts)


def _zeros_for_none(grads, like):
    from .._ops.creation import zeros_like

    return tuple(zeros_like(x) if g is None else g for g, x in zip(grads, like))


def _check_outputs(outs, strict, what):
    for i, o in enumerate(outs):
        if strict and not o.requires_grad:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. This is "
                f"not allowed in strict mode."
            )
    del what


def _call(func, inputs):
    from .._tensor import Tensor

    out = func(*inputs)
    outs, is_tuple = _as_tuple(out)
    for o in outs:
        if not isinstance(o, Tensor):
            raise TypeError(
                "The outputs of the user-provided function given to "
                f"{func.__name__ if hasattr(func, '__name__') else 'func'} must be either a "
                f"Tensor or a tuple of Tensors but the given outputs of the user-provided "
                f"function has type {type(o)}."
            )
    return outs, is_tuple


def _vjp_raw(outs, inputs, vs, create_graph):
    diff_outs = [o for o in outs if o.requires_grad]
    diff_vs = [v for o, v in zip(outs, vs) if o.requires_grad]
    if not diff_outs:
        return (None,) * len(inputs)
    return _grad(
        diff_outs, inputs, diff_vs, create_graph=create_graph, retain_graph=True, allow_unused=True
    )


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``."""
    from .._ops.creation import ones_like

    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs)
        ins = _prep(ins, create_graph)
        outs, out_tuple = _call(func, ins)
        if v is None:
            if len(outs) != 1 or outs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a "
                    "single Tensor with a single element."
                )
            vs = (ones_like(outs[0]),)
        else:
            vs, _ = _as_tuple(v)
        grads = _vjp_raw(outs, ins, vs, create_graph)
        grads = _zeros_for_none(grads, ins)
    outs = _post(outs, create_graph)
    grads = _post(grads, create_graph)
    return (outs if out_tuple else outs[0]), (grads if in_tuple else grads[0])


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)`` via the double-backward trick."""
    from .._ops.creation import ones_like, zeros_like

    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs)
        ins = _prep(ins, create_graph)
        if v is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element."
                )
            vs = (ones_like(ins[0]),)
        else:
            vs, _ = _as_tuple(v)
        outs, out_tuple = _call(func, ins)
        # u is a dummy cotangent; g(u) = J^T u is linear in u, so d(g . v)/du = J v
        us = tuple(zeros_like(o).requires_grad_(True) for o in outs)
        g = _vjp_raw(outs, ins, us, create_graph=True)
        pairs = [(gi, vi) for gi, vi in zip(g, vs) if gi is not None and gi.requires_grad]
        if pairs:
            res = _grad(
                [p[0] for p in pairs],
                us,
                [p[1] for p in pairs],
                create_graph=create_graph,
                allow_unused=True,
            )
        else:
            res = (None,) * len(us)
        res = _zeros_for_none(res, outs)
    outs = _post(outs, create_graph)
    res = _post(res, create_graph)
    return (outs if out_tuple else outs[0]), (res if out_tuple else res[0])


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """The Jacobian of ``func`` at ``inputs``: for output i and input j a
    tensor of shape ``out_i.shape + in_j.shape``."""
    from .._ops.creation import zeros, zeros_like
    from .._ops.shape import stack

    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs)
        ins = _prep(ins, create_graph)
        outs, out_tuple = _call(func, ins)
        jac = []
        for o in outs:
            rows = [[] for _ in ins]
            flat_n = o.numel()
            for k in range(flat_n):
                if not o.requires_grad:
                    gs = (None,) * len(ins)
                else:
                    go = zeros_like(o)
                    go._data.reshape(-1)[k] = 1
                    gs = _grad(
                        o, ins, go, retain_graph=True, create_graph=create_graph, allow_unused=True
                    )
                for j, (g, x) in enumerate(zip(gs, ins)):
                    rows[j].append(zeros_like(x) if g is None else g)
            per_in = []
            for j, x in enumerate(ins):
                if flat_n:
                    J = stack(rows[j]).reshape(tuple(o.shape) + tuple(x.shape))
                else:
                    J = zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype)
                per_in.append(J if create_graph else J.detach())
            jac.append(tuple(per_in))
    if not out_tuple and not in_tuple:
        return jac[0][0]
    if not out_tuple:
        return jac[0]
    if not in_tuple:
        return tuple(r[0] for r in jac)
    return tuple(jac)


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    """The Hessian of a scalar function: ``jacobian`` of its gradient."""
    ins, in_tuple = _as_tuple(inputs)

    def grad_fn(*xs):
        out = func(*xs)
        if out.numel() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                "element"
            )
        gs = _grad(out, xs, create_graph=True, allow_unused=True)
        from .._ops.creation import zeros_like

        return tuple(zeros_like(x) if g is None else g for g, x in zip(gs, xs))

    res = jacobian(grad_fn, ins, create_graph=create_graph)
    if not in_tuple:
        return res[0][0]
    return res


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)`` for a scalar function."""
    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs)
        ins = _prep(ins, create_graph)
        out = func(*ins)
        gs = _grad(out, ins, create_graph=True, allow_unused=True)
        vs, _ = _as_tuple(v)
        pairs = [(g, vi) for g, vi in zip(gs, vs) if g is not None and g.requires_grad]
        if pairs:
            res = _grad(
                [p[0] for p in pairs],
                ins,
                [p[1] for p in pairs],
                create_graph=create_graph,
                allow_unused=True,
            )
        else:
            res = (None,) * len(ins)
        res = _zeros_for_none(res, ins)
    out = out if create_graph else out.detach()
    res = _post(res, create_graph)
    return out, (res if in_tuple else res[0])


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)`` for a scalar function (the Hessian is
    symmetric, so this equals vhp)."""
    return vhp(func, inputs, v, create_graph=create_graph, strict=strict)
