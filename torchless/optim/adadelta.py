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
from ..autograd.grad_mode import enable_grad
from ._pointwise import addcmul_, axpy, scale
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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")

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
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                    step_val = float(p_state["step"])
                    device = p.device if group["capturable"] else None
                    p_state["step"] = scalar_tensor(step_val, get_scalar_dtype(), device)

    def _init_group(self, group, params, grads, square_avgs, acc_deltas, steps):
        for p in group["params"]:
            if p._grad is None:
                continue
            params.append(p)
            grads.append(p._grad)
            state = self.state[p]
            if len(state) == 0:
                device = p.device if group["capturable"] else None
                state["step"] = scalar_tensor(0.0, get_scalar_dtype(), device)
                state["square_avg"] = zeros_like(p)
                state["acc_delta"] = zeros_like(p)
            square_avgs.append(state["square_avg"])
            acc_deltas.append(state["acc_delta"])
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
            square_avgs: list[Tensor] = []
            acc_deltas: list[Tensor] = []
            steps: list[Tensor] = []
            self._init_group(group, params, grads, square_avgs, acc_deltas, steps)
            adadelta(
                params,
                grads,
                square_avgs,
                acc_deltas,
                steps,
                lr=group["lr"],
                rho=group["rho"],
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
                differentiable=group["differentiable"],
                capturable=group["capturable"],
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
        _adadelta_tensors(
            params,
            grads,
            square_avgs,
            acc_deltas,
            state_steps,
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
        )
        return
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        p = param._data
        g = grads[i]._data
        square_avg = square_avgs[i]._data
        acc_delta = acc_deltas[i]._data
        if p.ndim == 0:
            p, g, square_avg, acc_delta = as_1d(p, g, square_avg, acc_delta)
        xp = array_module(p)
        st = state_steps[i]._data
        st += 1
        if maximize:
            g = -g
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
    params, grads, square_avgs, acc_deltas, state_steps, *, lr, rho, eps, weight_decay, maximize
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
