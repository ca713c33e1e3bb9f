r"""``optim.Adam``: adaptive moment estimation (Kingma and Ba, 2014).

.. math::

    \begin{aligned}
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\text{negated if } \textit{maximize}) \\
    &\textbf{if}\ \lambda \neq 0:\ g_t \leftarrow g_t + \lambda \theta_{t-1}
        \quad (\text{or } \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)
        \text{ when decoupled, as AdamW}) \\
    &m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    &v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\hat v_t \leftarrow \max(\hat v_{t-1}, v_t) \text{ if } \textit{amsgrad}
        \text{ else } v_t \\
    &\theta_t \leftarrow \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t}
        \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}
    \end{aligned}

The update runs on the arrays in place in the order torch's single-tensor CPU path runs it,
with torch's rounding for ``lerp_``, ``addcmul_`` and ``addcdiv_`` (see ``_pointwise.py``).
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

__all__ = ["Adam", "adam"]


class Adam(Optimizer):
    r"""Adam (``torch.optim.Adam``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3); a float or a 1-element tensor.
        betas: coefficients of the running averages of the gradient and of its square
            (default (0.9, 0.999)); both floats or both 1-element tensors.
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty (default 0).
        amsgrad: use the maximum of the second moments seen so far (AMSGrad).
        foreach, fused: accepted for compatibility (torchless has one implementation, the
            arithmetic of torch's single-tensor path).
        maximize: maximize the objective instead of minimizing it.
        capturable: as torch, only for parameters on an accelerator.
        differentiable: record the update in the autograd graph.
        decoupled_weight_decay: decay the weights directly, as AdamW does.

    State per parameter: ``step`` (a 0-d float32 tensor), ``exp_avg``, ``exp_avg_sq`` and,
    with amsgrad, ``max_exp_avg_sq``.

    Example::

        >>> optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        >>> optimizer.zero_grad()
        >>> loss_fn(model(input), target).backward()
        >>> optimizer.step()
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-3,
        betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            if lr.numel() != 1:
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
        if not (
            (isinstance(betas[0], float) and isinstance(betas[1], float))
            or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(
                        f"betas[{i}] as a Tensor is not supported for capturable=False and "
                        "foreach=True"
                    )
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(to_scalar, betas))

        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            self._step_supports_amp_scaling = True
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            fused = group.setdefault("fused", None)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                    step_val = float(p_state["step"])
                    if group["capturable"] or group["fused"]:
                        p_state["step"] = scalar_tensor(
                            step_val, get_scalar_dtype(is_fused=fused), p.device
                        )
                    else:
                        p_state["step"] = scalar_tensor(step_val)

    def _init_group(self, group, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps):
        amsgrad = group["amsgrad"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            params.append(p)
            grads.append(grad)
            state = self.state[p]
            if len(state) == 0:
                if group["capturable"] or group["fused"]:
                    state["step"] = scalar_tensor(
                        0.0, get_scalar_dtype(is_fused=group["fused"]), p.device
                    )
                else:
                    state["step"] = scalar_tensor(0.0)
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
                if amsgrad:
                    state["max_exp_avg_sq"] = zeros_like(p)
            exp_avgs.append(state["exp_avg"])
            exp_avg_sqs.append(state["exp_avg_sq"])
            if amsgrad:
                max_exp_avg_sqs.append(state["max_exp_avg_sq"])
            if group["differentiable"] and state["step"].requires_grad:
                raise RuntimeError(
                    "`requires_grad` is not supported for `step` in differentiable mode"
                )
            if group["foreach"] and isinstance(group["lr"], Tensor) and not group["capturable"]:
                raise RuntimeError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
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
            max_exp_avg_sqs: list[Tensor] = []
            steps: list[Tensor] = []
            beta1, beta2 = group["betas"]
            self._init_group(group, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps)
            adam(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                max_exp_avg_sqs,
                steps,
                amsgrad=group["amsgrad"],
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
                capturable=group["capturable"],
                differentiable=group["differentiable"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
            )
        return loss


def adam(
    params: list[Tensor],
    grads: list[Tensor],
    exp_avgs: list[Tensor],
    exp_avg_sqs: list[Tensor],
    max_exp_avg_sqs: list[Tensor],
    state_steps: list[Tensor],
    foreach: bool | None = None,
    capturable: bool = False,
    differentiable: bool = False,
    fused: bool | None = None,
    grad_scale: Tensor | None = None,
    found_inf: Tensor | None = None,
    has_complex: bool = False,
    decoupled_weight_decay: bool = False,
    *,
    amsgrad: bool,
    beta1: float | Tensor,
    beta2: float | Tensor,
    lr: float | Tensor,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    """The Adam update of ``params`` (``torch.optim.adam.adam``), in place.

    ``foreach``, ``fused`` and ``has_complex`` are accepted; every path runs the arithmetic
    of torch's single-tensor one. ``grad_scale`` and ``found_inf`` must be None.
    """
    if grad_scale is not None or found_inf is not None:
        raise AssertionError("Expected grad_scale and found_inf to be None")
    if capturable:
        check_capturable(params)
    if differentiable:
        _adam_tensors(
            params,
            grads,
            exp_avgs,
            exp_avg_sqs,
            max_exp_avg_sqs,
            state_steps,
            amsgrad=amsgrad,
            beta1=beta1,
            beta2=beta2,
            lr=lr,
            weight_decay=weight_decay,
            eps=eps,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        return
    lr = number(to_scalar(lr))
    beta1 = number(beta1)
    beta2 = number(beta2)
    for i, param in enumerate(params):
        p = param._data
        g = grads[i]._data
        exp_avg = exp_avgs[i]._data
        exp_avg_sq = exp_avg_sqs[i]._data
        if p.ndim == 0:  # NumPy turns 0-d results into scalars; 1-element views do not
            p, g, exp_avg, exp_avg_sq = as_1d(p, g, exp_avg, exp_avg_sq)
        xp = array_module(p)
        if maximize:
            g = -g
        st = state_steps[i]._data
        st += 1
        if weight_decay != 0:
            if decoupled_weight_decay:
                scale(p, 1 - lr * weight_decay, xp=xp)
            else:
                g = axpy(g, p, weight_decay, xp=xp)
        lerp_(exp_avg, g, 1 - beta1, xp)
        scale(exp_avg_sq, beta2, xp=xp)
        addcmul_(exp_avg_sq, g, g, 1 - beta2, xp)

        step = float(st)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if amsgrad:
            m = max_exp_avg_sqs[i]._data.reshape(p.shape)
            xp.maximum(m, exp_avg_sq, out=m)
            denom = xp.sqrt(m)
        else:
            denom = xp.sqrt(exp_avg_sq)
        xp.divide(denom, cast(denom, bias_correction2_sqrt), out=denom, casting="unsafe")
        xp.add(denom, cast(denom, eps), out=denom, casting="unsafe")
        addcdiv_(p, exp_avg, denom, -step_size, xp)
        param._bump()


def _adam_tensors(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    max_exp_avg_sqs,
    state_steps,
    *,
    amsgrad,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    maximize,
    decoupled_weight_decay,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    lr = to_scalar(lr)
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else -grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        step_t = state_steps[i]
        step_t.add_(1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                param.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad * (1 - beta1))
        exp_avg_sq.mul_(beta2).add_(grad * grad * (1 - beta2))
        step = step_t
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        step_size_neg = step_size.neg()
        bias_correction2_sqrt = bias_correction2.sqrt()
        if amsgrad:
            max_exp_avg_sq = max_exp_avg_sqs[i].clone()
            max_exp_avg_sqs[i].copy_(max_exp_avg_sq.maximum(exp_avg_sq))
            v = max_exp_avg_sqs[i]
        else:
            v = exp_avg_sq
        denom = (v.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(eps / step_size_neg)
        param.add_(exp_avg.clone() / denom)
