r"""``optim.Adadelta``: an adaptive learning rate from running averages of squared
gradients and squared updates (Zeiler, 2012).

.. math::

    \begin{aligned}
    &v_t \leftarrow \rho v_{t-1} + (1 - \rho) g_t^2 \\
    &\Delta x_t \leftarrow \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}} g_t \\
    &u_t \leftarrow \rho u_{t-1} + (1 - \rho) \Delta x_t^2 \\
    &\theta_t \leftarrow \theta_{t-1} - \gamma \Delta x_t
    \end{aligned}

with the gradient :math:`g_t` including weight decay (negated when maximizing).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import addcmul_, axpy, scale
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

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (``torch.optim.Adadelta``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: a coefficient that scales the update (default 1.0).
        rho: coefficient of the running averages (default 0.9).
        eps: added inside the square roots (default 1e-6).
        weight_decay: L2 penalty (default 0).
        foreach: accepted for compatibility.
        capturable: as torch, only for parameters on an accelerator.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.

    State per parameter: ``step``, ``square_avg`` and ``acc_delta``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_hyperparameters(eps=eps, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["square_avg"] = zeros_like(p)
        state["acc_delta"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            params, grads, square_avgs, acc_deltas, steps = self._gather(
                group, "square_avg", "acc_delta", "step"
            )
            adadelta(
                params,
                grads,
                square_avgs,
                acc_deltas,
                steps,
                **group_kwargs(
                    group,
                    "lr",
                    "rho",
                    "eps",
                    "weight_decay",
                    "maximize",
                    "differentiable",
                    "capturable",
                ),
            )
        return loss


def adadelta(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    acc_deltas: list[Tensor],
    state_steps: list[Tensor],
    capturable: bool = False,
    foreach: bool | None = None,
    differentiable: bool = False,
    has_complex: bool = False,
    *,
    lr: float | Tensor,
    rho: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    """The Adadelta update of ``params`` (``torch.optim.adadelta.adadelta``), in place."""
    if capturable:
        check_capturable(params, supports_xla=False)
    if differentiable:
        return _adadelta_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        xp, (p, g, square_avg, acc_delta) = update_arrays(
            param, grads[i], square_avgs[i], acc_deltas[i], maximize=maximize
        )
        count_step(state_steps[i])
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        scale(square_avg, rho, xp=xp)
        addcmul_(square_avg, g, g, 1 - rho, xp)
        std = xp.empty_like(square_avg)
        xp.add(square_avg, cast(std, eps), out=std, casting="unsafe")
        xp.sqrt(std, out=std)
        delta = xp.empty_like(acc_delta)
        xp.add(acc_delta, cast(delta, eps), out=delta, casting="unsafe")
        xp.sqrt(delta, out=delta)
        xp.divide(delta, std, out=delta)
        xp.multiply(delta, g, out=delta)
        scale(acc_delta, rho, xp=xp)
        addcmul_(acc_delta, delta, delta, 1 - rho, xp)
        axpy(p, delta, -lr, out=p, xp=xp)
        param._bump()


def _adadelta_tensors(
    params,
    grads,
    square_avgs,
    acc_deltas,
    state_steps,
    *,
    lr,
    rho,
    eps,
    weight_decay,
    maximize,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = to_scalar(lr)
    for param, grad, square_avg, acc_delta, step in zip(
        params, grads, square_avgs, acc_deltas, state_steps
    ):
        step.add_(1)
        grad = grad if not maximize else -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(rho).add_(grad * grad * (1 - rho))
        std = square_avg.add(eps).sqrt()
        delta = acc_delta.add(eps).sqrt()
        delta = delta / std * grad
        acc_delta.mul_(rho).add_(delta * delta * (1 - rho))
        param.sub_(delta * lr)
