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
from ..autograd.grad_mode import enable_grad
from ._pointwise import addcdiv_, addcmul_, axpy
from ._utils import (
    array_module,
    as_1d,
    cast,
    full_like,
    get_scalar_dtype,
    number,
    scalar_tensor,
    to_scalar,
)
from .optimizer import Optimizer, _use_grad_for_differentiable

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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")

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
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
            self._need_device_dtype_check_for_fused = True
            self._step_supports_amp_scaling = True

        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = scalar_tensor(
                    0.0,
                    get_scalar_dtype(is_fused=group["fused"]),
                    p.device if group["fused"] else None,
                )
                state["sum"] = full_like(p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        fused = None
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            fused = group.setdefault("fused", None)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                    step_val = float(p_state["step"])
                    device = p.device if group["fused"] else None
                    p_state["step"] = scalar_tensor(
                        step_val, get_scalar_dtype(is_fused=fused), device
                    )
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

    def _init_group(self, group, params, grads, state_sums, steps):
        for p in group["params"]:
            if p._grad is None:
                continue
            params.append(p)
            grads.append(p._grad)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(
                    0.0,
                    get_scalar_dtype(is_fused=group["fused"]),
                    p.device if group["fused"] else None,
                )
                state["sum"] = full_like(p, self.defaults["initial_accumulator_value"])
            state_sums.append(state["sum"])
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
            state_sums: list[Tensor] = []
            steps: list[Tensor] = []
            self._init_group(group, params, grads, state_sums, steps)
            adagrad(
                params,
                grads,
                state_sums,
                steps,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                lr_decay=group["lr_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
                differentiable=group["differentiable"],
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
        _adagrad_tensors(
            params,
            grads,
            state_sums,
            state_steps,
            lr=lr,
            weight_decay=weight_decay,
            lr_decay=lr_decay,
            eps=eps,
            maximize=maximize,
        )
        return
    lr = number(to_scalar(lr))
    for i, param in enumerate(params):
        p = param._data
        g = grads[i]._data
        state_sum = state_sums[i]._data
        if p.ndim == 0:
            p, g, state_sum = as_1d(p, g, state_sum)
        xp = array_module(p)
        st = state_steps[i]._data
        st += 1
        step = float(st)
        if maximize:
            g = -g
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        clr = lr / (1 + (step - 1) * lr_decay)
        addcmul_(state_sum, g, g, 1, xp)
        std = xp.sqrt(state_sum)
        xp.add(std, cast(std, eps), out=std, casting="unsafe")
        addcdiv_(p, g, std, -clr, xp)
        param._bump()


def _adagrad_tensors(
    params, grads, state_sums, state_steps, *, lr, weight_decay, lr_decay, eps, maximize
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
