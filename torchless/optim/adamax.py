r"""``optim.Adamax``: Adam with the infinity norm (Kingma and Ba, 2014, section 7).

.. math::

    \begin{aligned}
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) + \lambda \theta_{t-1}
        \quad (\text{gradient negated if } \textit{maximize}) \\
    &m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    &u_t \leftarrow \max(\beta_2 u_{t-1}, |g_t| + \epsilon) \\
    &\theta_t \leftarrow \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t} \frac{m_t}{u_t}
    \end{aligned}

No square root: the update reproduces torch's CPU arithmetic bit for bit.
"""

from __future__ import annotations

from typing import Any

from .._ops.shape import cat
from .._tensor import Tensor
from ._pointwise import addcdiv_, axpy, lerp_, scale
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

__all__ = ["Adamax", "adamax"]


class Adamax(Optimizer):
    r"""Adamax (``torch.optim.Adamax``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 2e-3).
        betas: coefficients of the running average of the gradient and of the decay of the
            infinity norm (default (0.9, 0.999)).
        eps: added to ``|g|`` (default 1e-8).
        weight_decay: L2 penalty (default 0).
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.
        capturable: as torch, only for parameters on an accelerator.

    State per parameter: ``step``, ``exp_avg`` and ``exp_inf``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["exp_avg"] = zeros_like(p)
        state["exp_inf"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params, grads, exp_avgs, exp_infs, steps = self._gather(
                group, "exp_avg", "exp_inf", "step"
            )
            adamax(
                params,
                grads,
                exp_avgs,
                exp_infs,
                steps,
                eps=group["eps"],
                beta1=beta1,
                beta2=beta2,
                **group_kwargs(
                    group, "lr", "weight_decay", "maximize", "differentiable", "capturable"
                ),
            )
        return loss


def adamax(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_infs: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    maximize: bool = False,
    differentiable: bool = False,
    capturable: bool = False,
    has_complex: bool = False,
    *,
    eps: float,
    beta1: float,
    beta2: float,
    lr: float | Tensor,
    weight_decay: float,
) -> None:
    """The Adamax update of ``params`` (``torch.optim.adamax.adamax``), in place."""
    if differentiable:
        return _adamax_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        xp, (p, g, exp_avg, exp_inf) = update_arrays(
            param, grads[i], exp_avgs[i], exp_infs[i], maximize=maximize
        )
        st = count_step(state_steps[i])
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        lerp_(exp_avg, g, 1 - beta1, xp)
        scale(exp_inf, beta2, xp=xp)
        norm = xp.abs(g)
        xp.add(norm, cast(norm, eps), out=norm, casting="unsafe")
        xp.maximum(exp_inf, norm, out=exp_inf)
        bias_correction = 1 - beta1 ** float(st)
        clr = lr / bias_correction
        addcdiv_(p, exp_avg, exp_inf, -clr, xp)
        param._bump()


def _adamax_tensors(
    params,
    grads,
    exp_avgs,
    exp_infs,
    state_steps,
    *,
    eps,
    beta1,
    beta2,
    lr,
    weight_decay,
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
        exp_inf = exp_infs[i]
        state_steps[i].add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad * (1 - beta1))
        norm_buf = cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze(0)], 0)
        exp_inf.copy_(norm_buf.amax(0))
        bias_correction = 1 - beta1 ** state_steps[i].item()
        clr = lr / bias_correction
        param.sub_(exp_avg / exp_inf * clr)
