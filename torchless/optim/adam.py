r"""``optim.Adam``: adaptive moment estimation (Kingma and Ba, 2014).

.. math::

    \begin{aligned}
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\text{negated if } \textit{maximize}) \\
    &\textbf{if}\ \lambda \neq 0:\ g_t \leftarrow g_t + \lambda \theta_{t-1}
        \quad (\text{or } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)
        \text{ when decoupled, as AdamW}) \\
    &m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    &v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\hat v_t \leftarrow \max(\hat v_{t-1}, v_t) \text{ if } \textit{amsgrad}
        \text{ else } v_t \\
    &\theta_t \leftarrow \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t}
        \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}
    \end{aligned}

The update runs on the arrays in place in the order torch's single-tensor CPU path runs it,
with torch's rounding for ``lerp_``, ``addcmul_`` and ``addcdiv_`` (see ``torchless/_fma.py``).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import addcdiv_, addcmul_, axpy, lerp_, scale
from ._utils import (
    cast,
    check_capturable,
    check_fused,
    check_hyperparameters,
    count_step,
    group_kwargs,
    number,
    to_scalar,
    update_arrays,
    zeros_like,
)
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["Adam", "adam"]


class Adam(Optimizer):
    r"""Adam (``torch.optim.Adam``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3); a float or a 1-element tensor.
        betas: coefficients of the running averages of the gradient and of its square
            (default (0.9, 0.999)); both floats or both 1-element tensors.
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty (default 0).
        amsgrad: use the maximum of the second moments seen so far (AMSGrad).
        foreach, fused: accepted for compatibility (torchless has one implementation, the
            arithmetic of torch's single-tensor path).
        maximize: maximize the objective instead of minimizing it.
        capturable: as torch, only for parameters on an accelerator.
        differentiable: record the update in the autograd graph.
        decoupled_weight_decay: decay the weights directly, as AdamW does.

    State per parameter: ``step`` (a 0-d float32 tensor), ``exp_avg``, ``exp_avg_sq`` and,
    with amsgrad, ``max_exp_avg_sq``.

    Example::

        >>> optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        >>> optimizer.zero_grad()
        >>> loss_fn(model(input), target).backward()
        >>> optimizer.step()
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-3,
        betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError(
                "lr as a Tensor is not supported for capturable=False and foreach=True"
            )
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        if not (
            (isinstance(betas[0], float) and isinstance(betas[1], float))
            or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(
                        f"betas[{i}] as a Tensor is not supported for capturable=False and "
                        "foreach=True"
                    )
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(to_scalar, betas))

        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

        if fused:
            check_fused(differentiable, foreach)
            self._step_supports_amp_scaling = True

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {
                "amsgrad": False,
                "maximize": False,
                "foreach": None,
                "capturable": False,
                "differentiable": False,
                "decoupled_weight_decay": False,
                "fused": None,
            }
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["exp_avg"] = zeros_like(p)
        state["exp_avg_sq"] = zeros_like(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_like(p)

    def _check_state(self, group, state):
        if group["differentiable"] and state["step"].requires_grad:
            raise RuntimeError(
                "`requires_grad` is not supported for `step` in differentiable mode"
            )
        if group["foreach"] and isinstance(group["lr"], Tensor) and not group["capturable"]:
            raise RuntimeError(
                "lr as a Tensor is not supported for capturable=False and foreach=True"
            )

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps = self._gather(
                group,
                "exp_avg",
                "exp_avg_sq",
                "max_exp_avg_sq" if group["amsgrad"] else None,
                "step",
            )
            adam(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                max_exp_avg_sqs,
                steps,
                beta1=beta1,
                beta2=beta2,
                **group_kwargs(
                    group,
                    "amsgrad",
                    "lr",
                    "weight_decay",
                    "eps",
                    "maximize",
                    "capturable",
                    "differentiable",
                    "decoupled_weight_decay",
                ),
            )
        return loss


def adam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    max_exp_avg_sqs: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    capturable: bool = False,
    differentiable: bool = False,
    fused: bool | None = None,
    grad_scale: Tensor | None = None,
    found_inf: Tensor | None = None,
    has_complex: bool = False,
    decoupled_weight_decay: bool = False,
    *,
    amsgrad: bool,
    beta1: float | Tensor,
    beta2: float | Tensor,
    lr: float | Tensor,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    """The Adam update of ``params`` (``torch.optim.adam.adam``), in place.

    ``foreach``, ``fused`` and ``has_complex`` are accepted; every path runs the arithmetic
    of torch's single-tensor one. ``grad_scale`` and ``found_inf`` must be None.
    """
    if grad_scale is not None or found_inf is not None:
        raise AssertionError("Expected grad_scale and found_inf to be None")
    if capturable:
        check_capturable(params)
    if differentiable:
        return _adam_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    beta1 = number(beta1)
    beta2 = number(beta2)
    for i, param in enumerate(params):
        xp, (p, g, exp_avg, exp_avg_sq) = update_arrays(
            param, grads[i], exp_avgs[i], exp_avg_sqs[i], maximize=maximize
        )
        st = count_step(state_steps[i])
        if weight_decay != 0:
            if decoupled_weight_decay:
                scale(p, 1 - lr * weight_decay, xp=xp)
            else:
                g = axpy(g, p, weight_decay, xp=xp)
        lerp_(exp_avg, g, 1 - beta1, xp)
        scale(exp_avg_sq, beta2, xp=xp)
        addcmul_(exp_avg_sq, g, g, 1 - beta2, xp)

        step = float(st)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if amsgrad:
            m = max_exp_avg_sqs[i]._data.reshape(p.shape)
            xp.maximum(m, exp_avg_sq, out=m)
            denom = xp.sqrt(m)
        else:
            denom = xp.sqrt(exp_avg_sq)
        xp.divide(denom, cast(denom, bias_correction2_sqrt), out=denom, casting="unsafe")
        xp.add(denom, cast(denom, eps), out=denom, casting="unsafe")
        addcdiv_(p, exp_avg, denom, -step_size, xp)
        param._bump()


def _adam_tensors(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    max_exp_avg_sqs,
    state_steps,
    *,
    amsgrad,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    maximize,
    decoupled_weight_decay,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = to_scalar(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        step_t = state_steps[i]
        step_t.add_(1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad * (1 - beta1))
        exp_avg_sq.mul_(beta2).add_(grad * grad * (1 - beta2))
        step = step_t
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        step_size_neg = step_size.neg()
        bias_correction2_sqrt = bias_correction2.sqrt()
        if amsgrad:
            max_exp_avg_sq = max_exp_avg_sqs[i].clone()
            max_exp_avg_sqs[i].copy_(max_exp_avg_sq.maximum(exp_avg_sq))
            v = max_exp_avg_sqs[i]
        else:
            v = exp_avg_sq
        denom = (v.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(eps / step_size_neg)
        param.add_(exp_avg.clone() / denom)
