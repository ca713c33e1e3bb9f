r"""``optim.RAdam``: Adam with a rectified adaptive learning rate (Liu et al., 2019).

.. math::

    \begin{aligned}
    &m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad
        v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\rho_\infty \leftarrow \frac{2}{1 - \beta_2} - 1, \quad
        \rho_t \leftarrow \rho_\infty - \frac{2 t \beta_2^t}{1 - \beta_2^t} \\
    &\textbf{if}\ \rho_t > 5: \quad
        \theta_t \leftarrow \theta_{t-1} - \gamma \frac{m_t}{1 - \beta_1^t}
        \frac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + \epsilon} r_t, \quad
        r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}
        {(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}} \\
    &\textbf{else}: \quad \theta_t \leftarrow \theta_{t-1} - \gamma \frac{m_t}{1 - \beta_1^t}
    \end{aligned}

While the variance estimate is unreliable (:math:`\rho_t \le 5`, the first few steps) the
update is SGD with momentum.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import addcmul_, axpy, lerp_, scale
from ._utils import (
    cast,
    check_capturable,
    check_hyperparameters,
    count_step,
    group_kwargs,
    number,
    to_scalar,
    update_arrays,
    zeros_like,
)
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["RAdam", "radam"]


class RAdam(Optimizer):
    r"""RAdam (``torch.optim.RAdam``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3).
        betas: running-average coefficients (default (0.9, 0.999)).
        eps: added to the denominator (default 1e-8).
        weight_decay: weight decay (default 0).
        decoupled_weight_decay: decay the weights directly (as AdamW) instead of adding the
            decay to the gradient.
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        capturable: as torch, only for parameters on an accelerator.
        differentiable: record the update in the autograd graph.

    State per parameter: ``step``, ``exp_avg`` and ``exp_avg_sq``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {
                "foreach": None,
                "maximize": False,
                "differentiable": False,
                "decoupled_weight_decay": False,
                "capturable": False,
            }
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["exp_avg"] = zeros_like(p)
        state["exp_avg_sq"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params, grads, exp_avgs, exp_avg_sqs, steps = self._gather(
                group, "exp_avg", "exp_avg_sq", "step"
            )
            radam(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                steps,
                beta1=beta1,
                beta2=beta2,
                **group_kwargs(
                    group,
                    "lr",
                    "weight_decay",
                    "eps",
                    "maximize",
                    "decoupled_weight_decay",
                    "differentiable",
                    "capturable",
                ),
            )
        return loss


def radam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    state_steps: list[Tensor],
    decoupled_weight_decay: bool = False,
    foreach: bool | None = None,
    differentiable: bool = False,
    capturable: bool = False,
    has_complex: bool = False,
    maximize: bool = False,
    *,
    beta1: float,
    beta2: float,
    lr: float | Tensor,
    weight_decay: float,
    eps: float,
) -> None:
    """The RAdam update of ``params`` (``torch.optim.radam.radam``), in place."""
    if differentiable:
        return _radam_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        xp, (p, g, exp_avg, exp_avg_sq) = update_arrays(
            param, grads[i], exp_avgs[i], exp_avg_sqs[i], maximize=maximize
        )
        st = count_step(state_steps[i])
        step = float(st)
        if weight_decay != 0:
            if decoupled_weight_decay:
                scale(p, 1 - lr * weight_decay, xp=xp)
            else:
                g = axpy(g, p, weight_decay, xp=xp)
        lerp_(exp_avg, g, 1 - beta1, xp)
        scale(exp_avg_sq, beta2, xp=xp)
        addcmul_(exp_avg_sq, g, g, 1 - beta2, xp)

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        # the update, in torch's order: (m / bc1) * lr [* (sqrt(bc2) / (sqrt(v) + eps)) * r]
        update = xp.empty_like(exp_avg)
        xp.divide(exp_avg, cast(update, bias_correction1), out=update, casting="unsafe")
        xp.multiply(update, cast(update, lr), out=update, casting="unsafe")
        rect = _rectification(beta2, step, bias_correction2)
        if rect is not None:
            adaptive = xp.sqrt(exp_avg_sq)
            xp.add(adaptive, cast(adaptive, eps), out=adaptive, casting="unsafe")
            # a number divided by a tensor is torch's reciprocal, then a product
            xp.reciprocal(adaptive, out=adaptive)
            xp.multiply(
                adaptive, cast(adaptive, bias_correction2**0.5), out=adaptive, casting="unsafe"
            )
            xp.multiply(update, adaptive, out=update)
            xp.multiply(update, cast(update, rect), out=update, casting="unsafe")
        xp.subtract(p, update, out=p)
        param._bump()


def _rectification(beta2, step: float, bias_correction2):
    r"""The rectification term :math:`r_t`, or None while :math:`\rho_t \le 5` (the first
    steps, when the update is SGD with momentum)."""
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
    if rho_t > 5.0:
        return (
            (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
        ) ** 0.5
    return None


def _radam_tensors(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    state_steps,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    decoupled_weight_decay,
    maximize,
    capturable,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = to_scalar(lr)
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        grad = grads[i] if not maximize else -grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        state_steps[i].add_(1)
        step = state_steps[i].item()
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad * (1 - beta1))
        exp_avg_sq.mul_(beta2).add_(grad * grad * (1 - beta2))
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        bias_corrected_exp_avg = exp_avg / bias_correction1
        rect = _rectification(beta2, step, bias_correction2)
        if rect is not None:
            adaptive_lr = (bias_correction2**0.5) / exp_avg_sq.sqrt().add(eps)
            param.sub_(bias_corrected_exp_avg * lr * adaptive_lr * rect)
        else:
            param.sub_(bias_corrected_exp_avg * lr)
