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
from ..autograd.grad_mode import enable_grad
from ._pointwise import addcdiv_, addcmul_, axpy, lerp_, scale
from ._utils import (
    array_module,
    as_1d,
    cast,
    check_capturable,
    get_scalar_dtype,
    number,
    scalar_tensor,
    to_scalar,
    zeros_like,
)
from .optimizer import Optimizer, _use_grad_for_differentiable

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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
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
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0:
                    device = p.device if group["capturable"] else None
                    if not isinstance(p_state["step"], Tensor):
                        step_val = float(p_state["step"])
                        p_state["step"] = scalar_tensor(step_val, get_scalar_dtype(), device)
                    if not isinstance(p_state["mu_product"], Tensor):
                        mu_prod_val = p_state["mu_product"]
                        p_state["mu_product"] = scalar_tensor(
                            mu_prod_val, get_scalar_dtype(), device
                        )

    def _init_group(self, group, params, grads, exp_avgs, exp_avg_sqs, mu_products, steps):
        for p in group["params"]:
            if p._grad is None:
                continue
            params.append(p)
            grads.append(p._grad)
            state = self.state[p]
            if len(state) == 0:
                device = p.device if group["capturable"] else None
                state["step"] = scalar_tensor(0.0, get_scalar_dtype(), device)
                state["mu_product"] = scalar_tensor(1.0, get_scalar_dtype(), device)
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
            exp_avgs.append(state["exp_avg"])
            exp_avg_sqs.append(state["exp_avg_sq"])
            mu_products.append(state["mu_product"])
            steps.append(state["step"])

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step.

        Args:
            closure: a callable that re-evaluates the model and returns the loss.

        Returns:
            The loss the closure returned, or None.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()

        for group in self.param_groups:
            params: list[Tensor] = []
            grads: list[Tensor] = []
            exp_avgs: list[Tensor] = []
            exp_avg_sqs: list[Tensor] = []
            mu_products: list[Tensor] = []
            steps: list[Tensor] = []
            beta1, beta2 = group["betas"]
            self._init_group(group, params, grads, exp_avgs, exp_avg_sqs, mu_products, steps)
            nadam(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                mu_products,
                steps,
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                momentum_decay=group["momentum_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
                capturable=group["capturable"],
                differentiable=group["differentiable"],
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
        _nadam_tensors(
            params,
            grads,
            exp_avgs,
            exp_avg_sqs,
            mu_products,
            state_steps,
            beta1=beta1,
            beta2=beta2,
            lr=lr,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            eps=eps,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            capturable=capturable,
        )
        return
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param], "params, mu_products and state_steps")
        p = param._data
        g = grads[i]._data
        exp_avg = exp_avgs[i]._data
        exp_avg_sq = exp_avg_sqs[i]._data
        if p.ndim == 0:
            p, g, exp_avg, exp_avg_sq = as_1d(p, g, exp_avg, exp_avg_sq)
        xp = array_module(p)
        if maximize:
            g = -g
        st = state_steps[i]._data
        st += 1
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
