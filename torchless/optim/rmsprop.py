r"""``optim.RMSprop``: divide the gradient by a running root mean square (Hinton, 2012).

.. math::

    \begin{aligned}
    &v_t \leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
    &\tilde v_t \leftarrow v_t - \bar g_t^2, \quad
        \bar g_t \leftarrow \alpha \bar g_{t-1} + (1 - \alpha) g_t
        \quad (\textit{centered}; \text{ else } \tilde v_t = v_t) \\
    &\textbf{if}\ \mu > 0: \quad b_t \leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t}
        + \epsilon), \quad \theta_t \leftarrow \theta_{t-1} - \gamma b_t \\
    &\textbf{else}: \quad \theta_t \leftarrow \theta_{t-1}
        - \gamma g_t / (\sqrt{\tilde v_t} + \epsilon)
    \end{aligned}

with smoothing constant :math:`\alpha`, momentum :math:`\mu`, and the gradient
:math:`g_t` including weight decay (negated when maximizing).
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

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    r"""RMSprop (``torch.optim.RMSprop``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-2).
        alpha: smoothing constant of the running average (default 0.99).
        eps: added to the denominator (default 1e-8).
        weight_decay: L2 penalty (default 0).
        momentum: momentum factor (default 0).
        centered: normalize by an estimate of the gradient's variance instead of its second
            moment.
        capturable: as torch, only for parameters on an accelerator.
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.

    State per parameter: ``step``, ``square_avg``, and ``momentum_buffer`` (momentum > 0)
    and ``grad_avg`` (centered).
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters(
            lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha
        )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {
                "momentum": 0,
                "centered": False,
                "foreach": None,
                "maximize": False,
                "differentiable": False,
                "capturable": False,
            }
        )

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["square_avg"] = zeros_like(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_like(p)
        if group["centered"]:
            state["grad_avg"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            params, grads, square_avgs, steps, momentum_bufs, grad_avgs = self._gather(
                group,
                "square_avg",
                "step",
                "momentum_buffer" if group["momentum"] > 0 else None,
                "grad_avg" if group["centered"] else None,
            )
            rmsprop(
                params,
                grads,
                square_avgs,
                grad_avgs,
                momentum_bufs,
                steps,
                **group_kwargs(
                    group,
                    "lr",
                    "alpha",
                    "eps",
                    "weight_decay",
                    "momentum",
                    "centered",
                    "maximize",
                    "differentiable",
                    "capturable",
                ),
            )
        return loss


def rmsprop(
    params: list[Tensor],
    grads: list[Tensor],
    square_avgs: list[Tensor],
    grad_avgs: list[Tensor],
    momentum_buffer_list: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    maximize: bool = False,
    differentiable: bool = False,
    capturable: bool = False,
    has_complex: bool = False,
    *,
    lr: float | Tensor,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    centered: bool,
) -> None:
    """The RMSprop update of ``params`` (``torch.optim.rmsprop.rmsprop``), in place."""
    if differentiable:
        return _rmsprop_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        xp, (p, g, square_avg) = update_arrays(param, grads[i], square_avgs[i], maximize=maximize)
        count_step(state_steps[i])
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        scale(square_avg, alpha, xp=xp)
        addcmul_(square_avg, g, g, 1 - alpha, xp)
        if centered:
            grad_avg = grad_avgs[i]._data.reshape(p.shape)
            lerp_(grad_avg, g, 1 - alpha, xp)
            avg = square_avg.copy()
            addcmul_(avg, grad_avg, grad_avg, -1, xp)
            xp.sqrt(avg, out=avg)
        else:
            avg = xp.sqrt(square_avg)
        xp.add(avg, cast(avg, eps), out=avg, casting="unsafe")
        if momentum > 0:
            buf = momentum_buffer_list[i]._data.reshape(p.shape)
            scale(buf, momentum, xp=xp)
            addcdiv_(buf, g, avg, 1, xp)
            axpy(p, buf, -lr, out=p, xp=xp)
        else:
            addcdiv_(p, g, avg, -lr, xp)
        param._bump()


def _rmsprop_tensors(
    params,
    grads,
    square_avgs,
    grad_avgs,
    momentum_buffer_list,
    state_steps,
    *,
    lr,
    alpha,
    eps,
    weight_decay,
    momentum,
    centered,
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
        square_avg = square_avgs[i]
        state_steps[i].add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(alpha).add_(grad * grad * (1 - alpha))
        if centered:
            grad_avg = grad_avgs[i]
            grad_avg.mul_(alpha).add_(grad * (1 - alpha))
            avg = (square_avg - grad_avg * grad_avg).sqrt()
        else:
            avg = square_avg.sqrt()
        avg = avg.add(eps)
        if momentum > 0:
            buf = momentum_buffer_list[i]
            buf.mul_(momentum).add_(grad / avg)
            param.sub_(buf * lr)
        else:
            param.sub_(grad / avg * lr)
