"""gradcheck and gradgradcheck: compare autograd's gradients with central
finite differences, as torch.autograd.gradcheck does (slow mode)."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised when analytical and numerical gradients disagree."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _is_diff(t) -> bool:
    from .._tensor import Tensor

    return isinstance(t, Tensor) and t.requires_grad


def _outputs(func, inputs):
    from .._tensor import Tensor

    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical(func, inputs, diff_idx, outputs, eps):
    """Jacobians d out / d in, one (in.numel(), out.numel()) array per pair."""
    jac = [[np.zeros((inputs[i].numel(), o.numel())) for o in outputs] for i in diff_idx]
    # grad mode stays on: func may itself call autograd (gradgradcheck)
    for a, i in enumerate(diff_idx):
        arr = inputs[i]._data  # perturbed in place (works for any strides)
        for j, idx in enumerate(np.ndindex(arr.shape)):
            orig = arr[idx].item()
            arr[idx] = orig + eps
            plus = [o._data.astype(np.float64).ravel() for o in _outputs(func, inputs)]
            arr[idx] = orig - eps
            minus = [o._data.astype(np.float64).ravel() for o in _outputs(func, inputs)]
            arr[idx] = orig
            for k in range(len(outputs)):
                jac[a][k][j] = (plus[k] - minus[k]) / (2 * eps)
    return jac


def _analytical(inputs, diff_idx, outputs):
    from .._ops.creation import zeros_like
    from . import grad as autograd_grad

    jac = [[np.zeros((inputs[i].numel(), o.numel())) for o in outputs] for i in diff_idx]
    diff_inputs = [inputs[i] for i in diff_idx]
    for k, o in enumerate(outputs):
        if not o.requires_grad:
            continue
        for j in range(o.numel()):
            go = zeros_like(o)
            go._data.reshape(-1)[j] = 1
            gs = autograd_grad(o, diff_inputs, go, retain_graph=True, allow_unused=True)
            for a, g in enumerate(gs):
                if g is not None:
                    jac[a][k][:, j] = g._data.astype(np.float64).ravel()
    return jac


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked=None,
) -> bool:
    """Check ``func``'s gradients at ``inputs`` against finite differences.

    Args:
        func: a function of tensors returning a tensor or a tuple of tensors.
        inputs: a tensor or tuple; those with ``requires_grad=True`` are checked
            (use float64 for meaningful results).
        eps, atol, rtol: perturbation size and tolerances, as in torch.
        raise_exception: raise GradcheckError on mismatch instead of returning False.

    Returns:
        True when every Jacobian matches.
    """
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if _is_diff(t)]
    if not diff_idx:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of the them have requires_grad=True."
        )
    for i in diff_idx:
        if inputs[i].dtype.name != "float64":
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=2,
            )
    outputs = _outputs(func, inputs)
    num = _numerical(func, inputs, diff_idx, outputs, eps)
    ana = _analytical(inputs, diff_idx, outputs)
    for a, i in enumerate(diff_idx):
        for k in range(len(outputs)):
            n, an = num[a][k], ana[a][k]
            if not np.allclose(an, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {k} with respect to input {i},\n"
                    f"numerical:{n}\nanalytical:{an}\n"
                )
    return True


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Check second derivatives: gradcheck of the gradient function (built
    with ``create_graph=True``) with respect to the inputs and the
    gradients flowing in."""
    from .._ops.creation import tensor
    from . import grad as autograd_grad

    inputs = _as_tuple(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            tensor(rng.standard_normal(o.shape), dtype=o.dtype, requires_grad=True)
            for o in outputs
        )
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if _is_diff(t)]

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        outs = [o for o in _outputs(func, ins) if o.requires_grad]
        gs = autograd_grad(
            outs,
            [ins[i] for i in diff_idx],
            list(gos)[: len(outs)],
            create_graph=True,
            allow_unused=True,
        )
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        first_grads,
        inputs + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
