r"""``optim.SGD``: stochastic gradient descent, with momentum, Nesterov and weight decay.

.. math::

    \begin{aligned}
    &g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\text{negated if } \textit{maximize}) \\
    &\textbf{if}\ \lambda \neq 0:\ g_t \leftarrow g_t + \lambda \theta_{t-1} \\
    &\textbf{if}\ \mu \neq 0: \\
    &\qquad b_t \leftarrow g_t \ \text{at } t = 1, \text{ else }
        \mu b_{t-1} + (1 - \tau) g_t \\
    &\qquad g_t \leftarrow g_t + \mu b_t \ \text{if } \textit{nesterov} \text{ else } b_t \\
    &\theta_t \leftarrow \theta_{t-1} - \gamma g_t
    \end{aligned}

with learning rate :math:`\gamma`, momentum :math:`\mu`, dampening :math:`\tau` and weight
decay :math:`\lambda`. The update runs on the arrays in place with torch's CPU rounding (see
``torchless/_fma.py``), so a trajectory matches torch's bit for bit.
"""

from __future__ import annotations

from typing import Any

from .._fma import axpy, scale
from .._tensor import Tensor, _make
from ._utils import array_module, check_fused, group_kwargs
from .optimizer import Optimizer, _evaluate_closure, _use_grad_for_differentiable

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum (``torch.optim.SGD``).

    Args:
        params: the parameters to optimize, or dicts defining parameter groups.
        lr: learning rate (default 1e-3).
        momentum: momentum factor (default 0).
        dampening: dampening for momentum (default 0).
        weight_decay: weight decay, an L2 penalty (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and zero dampening).
        maximize: maximize the objective instead of minimizing it.
        foreach: accepted for compatibility (torchless has one implementation).
        differentiable: record the update in the autograd graph (slower).
        fused: accepted for compatibility.

    The momentum buffer starts as the first gradient (not zeros), so dampening applies from
    the second step on, as in torch.

    Example::

        >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> optimizer.zero_grad()
        >>> loss_fn(model(input), target).backward()
        >>> optimizer.step()
    """

    def __init__(
        self,
        params: Any,
        lr: float | Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float | Tensor = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        # torch's SGD tests `value < 0.0` (not `not 0.0 <= value`): NaN passes
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")

        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

        if fused:
            check_fused(differentiable, foreach)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._upgrade_state(
            {
                "nesterov": False,
                "maximize": False,
                "foreach": None,
                "differentiable": False,
                "fused": False,
            },
            scalars=(),
        )

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """Perform one optimization step (see :meth:`Optimizer.step`)."""
        loss = _evaluate_closure(closure)
        state = self.state
        for group in self.param_groups:
            # not Optimizer._gather: SGD has no step counter, and its state (the momentum
            # buffer, made from the first gradient by sgd()) exists only with momentum
            momentum = group["momentum"]
            params = []
            grads = []
            bufs = []
            for p in group["params"]:
                g = p._grad
                if g is not None:
                    params.append(p)
                    grads.append(g)
                    if momentum != 0:
                        bufs.append(state[p].get("momentum_buffer"))
            sgd(
                params,
                grads,
                bufs,
                momentum=momentum,
                **group_kwargs(
                    group,
                    "weight_decay",
                    "lr",
                    "dampening",
                    "nesterov",
                    "maximize",
                    "differentiable",
                ),
            )
            if momentum != 0:
                for p, buf in zip(params, bufs):
                    state[p]["momentum_buffer"] = buf
        return loss


def _scalar(x) -> float:
    if isinstance(x, Tensor):
        return x.item()
    return x


def sgd(
    params: list[Tensor],
    d_p_list: list[Tensor],
    momentum_buffer_list: list[Tensor | None],
    *,
    weight_decay: float,
    momentum: float,
    lr: float,
    dampening: float,
    nesterov: bool,
    maximize: bool,
    differentiable: bool = False,
    **kwargs: Any,
) -> None:
    """The SGD update of ``params`` with gradients ``d_p_list`` (``torch.optim.sgd.sgd``).

    ``momentum_buffer_list`` holds each parameter's buffer (None before the first step);
    new buffers are written into it.
    """
    if differentiable:
        return _sgd_tensors(**locals())  # the same arguments, to the update in Tensor ops
    lr = _scalar(lr)
    weight_decay = _scalar(weight_decay)
    for i, param in enumerate(params):
        grad_t = d_p_list[i]
        p = param._data
        g = grad_t._data
        xp = array_module(p)
        if maximize:
            g = -g
        if weight_decay != 0:
            g = axpy(g, p, weight_decay, xp=xp)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                # a copy of the gradient (after decay and sign), then never aliased
                buf = _make(g.copy() if g is grad_t._data else g)
                momentum_buffer_list[i] = buf
            else:
                b = buf._data
                scale(b, momentum, xp=xp)
                axpy(b, g, 1 - dampening, out=b, xp=xp)
                buf._bump()
            if nesterov:
                g = axpy(g, buf._data, momentum, xp=xp)
            else:
                g = buf._data
        axpy(p, g, -lr, out=p, xp=xp)
        param._bump()


def _sgd_tensors(
    params,
    d_p_list,
    momentum_buffer_list,
    *,
    weight_decay,
    momentum,
    lr,
    dampening,
    nesterov,
    maximize,
    **_,
) -> None:
    # differentiable=True: the same update with Tensor ops, recorded by autograd
    for i, param in enumerate(params):
        grad = d_p_list[i] if not maximize else -d_p_list[i]
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = grad.detach().clone()
                momentum_buffer_list[i] = buf
            else:
                buf.mul_(momentum).add_(grad, alpha=1 - dampening)
            if nesterov:
                grad = grad.add(buf, alpha=momentum)
            else:
                grad = buf
        param.add_(grad, alpha=-lr)
