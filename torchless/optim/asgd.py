r"""``optim.ASGD``: averaged stochastic gradient descent (Polyak and Juditsky, 1992).

.. math::

    \begin{aligned}
    &\theta_t \leftarrow \theta_{t-1} (1 - \lambda \eta_{t-1}) - \eta_{t-1} g_t \\
    &a_t \leftarrow a_{t-1} + \mu_{t-1} (\theta_t - a_{t-1})
        \quad (\text{a copy of } \theta_t \text{ while } \mu = 1) \\
    &\eta_t \leftarrow \gamma / (1 + \lambda \gamma t)^\alpha, \quad
        \mu_t \leftarrow 1 / \max(1, t - t_0)
    \end{aligned}

The average :math:`a_t` (state ``ax``) starts averaging after :math:`t_0` steps; the
parameters themselves follow plain SGD with a decaying step :math:`\eta_t` (state ``eta``).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import axpy, scale
from ._utils import (
    check_capturable,
    check_hyperparameters,
    count_step,
    get_scalar_dtype,
    group_kwargs,
    number,
    scalar_tensor,
    to_scalar,
    update_arrays,
    zeros_like,
)
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    r"""ASGD (``torch.optim.ASGD``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-2).
        lambd: decay term (default 1e-4).
        alpha: power of the learning-rate decay (default 0.75).
        t0: the step at which averaging starts (default 1e6).
        weight_decay: L2 penalty (default 0).
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.
        capturable: as torch, only for parameters on an accelerator.

    State per parameter: ``step``, ``eta``, ``mu`` (0-d tensors) and ``ax``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_hyperparameters(lr=lr, weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
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
            {"foreach": None, "maximize": False, "differentiable": False, "capturable": False},
            scalars=("step", "eta", "mu"),
        )

    def _state_scalar(self, group, p, value):
        # torch's ASGD keeps its scalars on the parameter's device, capturable or not
        return scalar_tensor(value, get_scalar_dtype(), p.device)

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["eta"] = self._state_scalar(group, p, number(to_scalar(group["lr"])))
        state["mu"] = self._state_scalar(group, p, 1.0)
        state["ax"] = zeros_like(p)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            params, grads, mus, axs, etas, steps = self._gather(group, "mu", "ax", "eta", "step")
            asgd(
                params,
                grads,
                axs,
                mus,
                etas,
                steps,
                **group_kwargs(
                    group,
                    "lambd",
                    "lr",
                    "t0",
                    "alpha",
                    "weight_decay",
                    "maximize",
                    "differentiable",
                    "capturable",
                ),
            )
        return loss


def asgd(
    params: list[Tensor],
    grads: list[Tensor],
    axs: list[Tensor],
    mus: list[Tensor],
    etas: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    maximize: bool = False,
    differentiable: bool = False,
    capturable: bool = False,
    has_complex: bool = False,
    *,
    lambd: float,
    lr: float | Tensor,
    t0: float,
    alpha: float,
    weight_decay: float,
) -> None:
    """The ASGD update of ``params`` (``torch.optim.asgd.asgd``), in place."""
    if differentiable:
        return _asgd_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param], "params, mus, etas, and state_steps")
        xp, (p, g, ax) = update_arrays(param, grads[i], axs[i], maximize=maximize)
        st = count_step(state_steps[i])
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        eta = etas[i]._data
        mu = mus[i]._data
        eta_value = float(eta)
        scale(p, 1 - lambd * eta_value, xp=xp)
        axpy(p, g, -eta_value, out=p, xp=xp)
        if float(mu) != 1:
            d = p - ax
            xp.multiply(d, mu, out=d, casting="unsafe")
            xp.add(ax, d, out=ax)
        else:
            xp.copyto(ax, p)
        step = float(st)
        # as torch: the new values are computed in Python, made tensors of the default
        # dtype, and copied into the state
        new_eta = _default_float(lr / ((1 + lambd * lr * step) ** alpha))
        eta[()] = new_eta
        mu[()] = _default_float(1 / max(1, step - t0))
        param._bump()


def _default_float(value):
    # torch.as_tensor of a Python float has the default dtype; a NumPy scalar (from a
    # tensor lr) keeps its own
    if isinstance(value, float):
        return get_scalar_dtype().np.type(value)
    return value


def _asgd_tensors(
    params,
    grads,
    axs,
    mus,
    etas,
    state_steps,
    *,
    lambd,
    lr,
    t0,
    alpha,
    weight_decay,
    maximize,
    capturable,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:
            check_capturable([param], "params, mus, etas, and state_steps")
        grad = grads[i] if not maximize else -grads[i]
        mu = mus[i]
        ax = axs[i]
        eta = etas[i]
        state_steps[i].add_(1)
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        eta_value = eta.item()
        param.mul_(1 - lambd * eta_value)
        param.sub_(grad * eta_value)
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul(mu))
        else:
            ax.copy_(param)
        step = state_steps[i].item()
        eta.fill_(_default_float(lr / ((1 + lambd * lr * step) ** alpha)))
        mu.fill_(_default_float(1 / max(1, step - t0)))
