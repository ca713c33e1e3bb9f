r"""``optim.Rprop``: resilient backpropagation (Riedmiller and Braun, 1993).

.. math::

    \begin{aligned}
    &\textbf{if}\ g_t g_{t-1} > 0: \quad \eta_t \leftarrow \min(\eta_{t-1} \eta_+,
        \Gamma_{max}) \\
    &\textbf{else if}\ g_t g_{t-1} < 0: \quad \eta_t \leftarrow \max(\eta_{t-1} \eta_-,
        \Gamma_{min}), \quad g_t \leftarrow 0 \\
    &\textbf{else}: \quad \eta_t \leftarrow \eta_{t-1} \\
    &\theta_t \leftarrow \theta_{t-1} - \eta_t \operatorname{sign}(g_t)
    \end{aligned}

Only the sign of the gradient is used; each coordinate keeps its own step size (state
``step_size``), and ``prev`` the previous gradient (zero after a sign change).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._utils import (
    check_capturable,
    check_hyperparameters,
    count_step,
    full_like,
    group_kwargs,
    number,
    to_scalar,
    update_arrays,
    zeros_like,
)
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["Rprop", "rprop"]


class Rprop(Optimizer):
    r"""Rprop (``torch.optim.Rprop``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: the initial step size (default 1e-2).
        etas: the factors ``(etaminus, etaplus)`` that shrink and grow the step sizes
            (default (0.5, 1.2)).
        step_sizes: the minimal and maximal step sizes (default (1e-6, 50)).
        capturable: as torch, only for parameters on an accelerator.
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.

    State per parameter: ``step``, ``prev`` and ``step_size``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_hyperparameters(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")

        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
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
        state["prev"] = zeros_like(p)
        state["step_size"] = full_like(p._grad, number(to_scalar(group["lr"])))

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            params, grads, prevs, step_sizes, steps = self._gather(
                group, "prev", "step_size", "step"
            )
            rprop(
                params,
                grads,
                prevs,
                step_sizes,
                steps,
                step_size_min=step_size_min,
                step_size_max=step_size_max,
                etaminus=etaminus,
                etaplus=etaplus,
                **group_kwargs(group, "maximize", "differentiable", "capturable"),
            )
        return loss


def rprop(
    params: list[Tensor],
    grads: list[Tensor],
    prevs: list[Tensor],
    step_sizes: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    capturable: bool = False,
    maximize: bool = False,
    differentiable: bool = False,
    has_complex: bool = False,
    *,
    step_size_min: float,
    step_size_max: float,
    etaminus: float,
    etaplus: float,
) -> None:
    """The Rprop update of ``params`` (``torch.optim.rprop.rprop``), in place."""
    if differentiable:
        return _rprop_tensors(**locals())  # the same arguments, to the update in Tensor ops
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        xp, (p, g, prev, step_size) = update_arrays(
            param, grads[i], prevs[i], step_sizes[i], maximize=maximize
        )
        count_step(state_steps[i])
        sign = _sign(g * prev, xp)
        # comparisons and clamps take the numbers in the tensor's own dtype
        dt = sign.dtype.type
        minus = dt(etaminus)
        sign[sign > 0] = dt(etaplus)
        sign[sign < 0] = minus
        sign[sign == 0] = 1
        xp.multiply(step_size, sign, out=step_size)
        xp.clip(step_size, dt(step_size_min), dt(step_size_max), out=step_size)
        g = g.copy()
        g[sign == minus] = 0
        update = _sign(g, xp)
        xp.multiply(update, step_size, out=update)
        xp.subtract(p, update, out=p)
        xp.copyto(prev, g)
        param._bump()


def _sign(x, xp):
    # torch's sign: (0 < x) - (x < 0), so NaN has sign 0
    s = (x > 0).astype(x.dtype)
    s -= x < 0
    return s


def _rprop_tensors(
    params,
    grads,
    prevs,
    step_sizes,
    state_steps,
    *,
    step_size_min,
    step_size_max,
    etaminus,
    etaplus,
    maximize,
    capturable,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param])
        grad = grads[i] if not maximize else -grads[i]
        prev = prevs[i]
        step_size = step_sizes[i]
        state_steps[i].add_(1)
        sign = grad.mul(prev.clone()).sign()
        sign[sign.gt(0)] = etaplus
        sign[sign.lt(0)] = etaminus
        sign[sign.eq(0)] = 1
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)
        grad = grad.clone()
        grad[sign.eq(etaminus)] = 0
        param.sub_(grad.sign() * step_size)
        prev.copy_(grad)
