r"""``optim.Adagrad``: per-coordinate learning rates from accumulated squared gradients
(Duchi et al., 2011).

.. math::

    \begin{aligned}
    &\tilde\gamma \leftarrow \gamma / (1 + (t - 1) \eta) \\
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) + \lambda \theta_{t-1}
        \quad (\text{gradient negated if } \textit{maximize}) \\
    &s_t \leftarrow s_{t-1} + g_t^2 \\
    &\theta_t \leftarrow \theta_{t-1} - \tilde\gamma \, g_t / (\sqrt{s_t} + \epsilon)
    \end{aligned}

with learning-rate decay :math:`\eta`. The sums start at ``initial_accumulator_value``; as in
torch, the state of every parameter is created with the optimizer.
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._pointwise import addcdiv_, addcmul_, axpy
from ._utils import (
    cast,
    check_fused,
    check_hyperparameters,
    count_step,
    full_like,
    get_scalar_dtype,
    group_kwargs,
    number,
    scalar_tensor,
    to_scalar,
    update_arrays,
)
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["Adagrad", "adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (``torch.optim.Adagrad``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-2).
        lr_decay: learning-rate decay (default 0).
        weight_decay: L2 penalty (default 0).
        initial_accumulator_value: the starting value of the sums of squared gradients
            (default 0).
        eps: added to the denominator (default 1e-10).
        foreach: accepted for compatibility.
        maximize: maximize the objective instead of minimizing it.
        differentiable: record the update in the autograd graph.
        fused: accepted for compatibility.

    State per parameter: ``step`` and ``sum``.
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_hyperparameters(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

        if fused:
            check_fused(differentiable, foreach)
            self._need_device_dtype_check_for_fused = True
            self._step_supports_amp_scaling = True

        # unlike the other optimizers, Adagrad makes every parameter's state up front
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(group, p, self.state[p])

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {"foreach": None, "maximize": False, "differentiable": False, "fused": None}
        )
        # as torch: if the first state's step is still a number (the state of no group's
        # parameter), every step becomes a tensor, of the last group's dtype
        fused = self.param_groups[-1]["fused"] if self.param_groups else None
        state_values = list(self.state.values())
        step_is_tensor = len(state_values) != 0 and isinstance(state_values[0]["step"], Tensor)
        if not step_is_tensor:
            for s in state_values:
                s["step"] = scalar_tensor(float(s["step"]), get_scalar_dtype(is_fused=fused))

    def share_memory(self) -> None:
        """Move the state sums to shared memory (a no-op for NumPy arrays)."""
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                share = getattr(state["sum"], "share_memory_", None)
                if share is not None:
                    share()

    def _init_state(self, group, p, state):
        state["step"] = self._state_scalar(group, p, 0.0)
        state["sum"] = full_like(p, self.defaults["initial_accumulator_value"])

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        for group in self.param_groups:
            params, grads, state_sums, steps = self._gather(group, "sum", "step")
            adagrad(
                params,
                grads,
                state_sums,
                steps,
                **group_kwargs(
                    group, "lr", "weight_decay", "lr_decay", "eps", "maximize", "differentiable"
                ),
            )
        return loss


def adagrad(
    params: list[Tensor],
    grads: list[Tensor],
    state_sums: list[Tensor],
    state_steps: list[Tensor],
    fused: bool | None = None,
    grad_scale: Tensor | None = None,
    found_inf: Tensor | None = None,
    has_sparse_grad: bool = False,
    foreach: bool | None = None,
    differentiable: bool = False,
    has_complex: bool = False,
    *,
    lr: float | Tensor,
    weight_decay: float,
    lr_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    """The Adagrad update of ``params`` (``torch.optim.adagrad.adagrad``), in place."""
    if grad_scale is not None or found_inf is not None:
        raise AssertionError("Expected grad_scale and found_inf to be None")
    if differentiable:
        return _adagrad_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        xp, (p, g, state_sum) = update_arrays(param, grads[i], state_sums[i], maximize=maximize)
        step = float(count_step(state_steps[i]))
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        clr = lr / (1 + (step - 1) * lr_decay)
        addcmul_(state_sum, g, g, 1, xp)
        std = xp.sqrt(state_sum)
        xp.add(std, cast(std, eps), out=std, casting="unsafe")
        addcdiv_(p, g, std, -clr, xp)
        param._bump()


def _adagrad_tensors(
    params, grads, state_sums, state_steps, *, lr, weight_decay, lr_decay, eps, maximize, **_
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = to_scalar(lr)
    for param, grad, state_sum, step_t in zip(params, grads, state_sums, state_steps):
        step_t.add_(1)
        step = step_t.item()
        grad = grad if not maximize else -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        state_sum.add_(grad * grad)
        std = state_sum.sqrt() + eps
        param.sub_(grad / std * clr)
