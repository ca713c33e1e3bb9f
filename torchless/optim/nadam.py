r"""``optim.NAdam``: Adam with Nesterov momentum (Dozat, 2016).

.. math::

    \begin{aligned}
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) + \lambda \theta_{t-1}
        \quad (\text{or } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)
        \text{ when decoupled}) \\
    &\mu_t \leftarrow \beta_1 \big(1 - \tfrac12 \, 0.96^{t \psi}\big), \quad
        \mu_{t+1} \leftarrow \beta_1 \big(1 - \tfrac12 \, 0.96^{(t+1) \psi}\big) \\
    &m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad
        v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\theta_t \leftarrow \theta_{t-1}
        - \gamma \frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i} \frac{g_t}{d_t}
        - \gamma \frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i} \frac{m_t}{d_t}, \quad
        d_t = \sqrt{v_t / (1 - \beta_2^t)} + \epsilon
    \end{aligned}

with momentum decay :math:`\psi`. The product of the :math:`\mu_i` is kept in the state as
a 0-d tensor (``mu_product``), as torch keeps it.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import addcdiv_, addcmul_, axpy, lerp_, scale
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

__all__ = ["NAdam", "nadam"]


class NAdam(Optimizer):
    r"""NAdam (``torch.optim.NAdam``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 2e-3).
        betas: running-average coefficients (default (0.9, 0.999)).
        eps: added to the denominator (default 1e-8).
        weight_decay: weight decay (default 0).
        momentum_decay: the momentum decay :math:`\psi` (default 4e-3).
        decoupled_weight_decay: decay the weights directly (NAdamW) instead of adding the
            decay to the gradient.
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        capturable: as torch, only for parameters on an accelerator.
        differentiable: record the update in the autograd graph.

    State per parameter: ``step``, ``mu_product`` (0-d tensors), ``exp_avg`` and
    ``exp_avg_sq``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters(
            lr=lr, eps=eps, betas=betas, weight_decay=weight_decay, momentum_decay=momentum_decay
        )
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {
                "maximize": False,
                "foreach": None,
                "capturable": False,
                "differentiable": False,
                "decoupled_weight_decay": False,
            },
            scalars=("step", "mu_product"),
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["mu_product"] = self._state_scalar(group, p, 1.0)
        state["exp_avg"] = zeros_like(p)
        state["exp_avg_sq"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params, grads, exp_avgs, exp_avg_sqs, mu_products, steps = self._gather(
                group, "exp_avg", "exp_avg_sq", "mu_product", "step"
            )
            nadam(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                mu_products,
                steps,
                beta1=beta1,
                beta2=beta2,
                **group_kwargs(
                    group,
                    "lr",
                    "weight_decay",
                    "momentum_decay",
                    "eps",
                    "maximize",
                    "decoupled_weight_decay",
                    "capturable",
                    "differentiable",
                ),
            )
        return loss


def nadam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    mu_products: list[Tensor],
    state_steps: list[Tensor],
    decoupled_weight_decay: bool = False,
    foreach: bool | None = None,
    capturable: bool = False,
    differentiable: bool = False,
    has_complex: bool = False,
    maximize: bool = False,
    *,
    beta1: float,
    beta2: float,
    lr: float | Tensor,
    weight_decay: float,
    momentum_decay: float,
    eps: float,
) -> None:
    """The NAdam update of ``params`` (``torch.optim.nadam.nadam``), in place."""
    if differentiable:
        return _nadam_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param], "params, mu_products and state_steps")
        xp, (p, g, exp_avg, exp_avg_sq) = update_arrays(
            param, grads[i], exp_avgs[i], exp_avg_sqs[i], maximize=maximize
        )
        st = count_step(state_steps[i])
        step = float(st)
        bias_correction2 = 1 - beta2**step
        if weight_decay != 0:
            if decoupled_weight_decay:
                scale(p, 1 - lr * weight_decay, xp=xp)
            else:
                g = axpy(g, p, weight_decay, xp=xp)

        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mp = mu_products[i]._data
        mp *= mp.dtype.type(mu)  # a 0-d tensor times a number: in the tensor's dtype

        lerp_(exp_avg, g, 1 - beta1, xp)
        scale(exp_avg_sq, beta2, xp=xp)
        addcmul_(exp_avg_sq, g, g, 1 - beta2, xp)
        denom = xp.empty_like(exp_avg_sq)
        xp.divide(exp_avg_sq, cast(denom, bias_correction2), out=denom, casting="unsafe")
        xp.sqrt(denom, out=denom)

        mu_product = float(mp)
        mu_product_next = mu_product * mu_next
        xp.add(denom, cast(denom, eps), out=denom, casting="unsafe")
        addcdiv_(p, g, denom, -lr * (1.0 - mu) / (1.0 - mu_product), xp)
        addcdiv_(p, exp_avg, denom, (-lr * mu_next) / (1.0 - mu_product_next), xp)
        param._bump()


def _nadam_tensors(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    mu_products,
    state_steps,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    momentum_decay,
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
            check_capturable([param], "params, mu_products and state_steps")
        grad = grads[i] if not maximize else -grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        mu_product = mu_products[i]
        state_steps[i].add_(1)
        step = state_steps[i].item()
        bias_correction2 = 1 - beta2**step
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product.mul_(mu)
        exp_avg.mul_(beta1).add_(grad * (1 - beta1))
        exp_avg_sq.mul_(beta2).add_(grad * grad * (1 - beta2))
        denom = exp_avg_sq.div(bias_correction2).sqrt().add(eps)
        mu_product_next = mu_product * mu_next
        grad = grad * (-lr * (1.0 - mu) / (1.0 - mu_product))
        exp_avg = exp_avg * (-lr * mu_next / (1.0 - mu_product_next))
        param.add_(grad / denom)
        param.add_(exp_avg / denom)
