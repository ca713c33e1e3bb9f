r"""``torch.nn.utils.parametrizations``: ready-made parametrizations.

:func:`weight_norm` registers :math:`w = g\, v / \|v\|` on a module's weight, keeping
``g`` and ``v`` as ``parametrizations.weight.original0`` and ``original1``.
"""

from __future__ import annotations

from ..modules.module import Module
from . import parametrize
from .weight_norm import _norm_except_dim, _weight_norm

__all__ = ["weight_norm"]


class _WeightNorm(Module):
    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        weight_g = _norm_except_dim(weight, 2, self.dim)
        weight_v = weight
        return weight_g, weight_v


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    r"""Apply weight normalization to ``module.<name>`` as a parametrization.

    :math:`w = g\, v / \|v\|`, the norm taken over every dim but ``dim`` (over the whole
    tensor when ``dim=None``). ``g`` is ``module.parametrizations.<name>.original0``,
    ``v`` is ``original1``; a ``state_dict`` from the legacy
    :func:`torchless.nn.utils.weight_norm` (``<name>_g``, ``<name>_v``) still loads.

    Example::

        >>> m = weight_norm(nn.Linear(20, 40))
        >>> m.parametrizations.weight.original0.size()
        torch.Size([40, 1])
    """
    _weight_norm_module = _WeightNorm(dim)
    parametrize.register_parametrization(module, name, _weight_norm_module, unsafe=True)

    def _weight_norm_compat_hook(
        state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
    ) -> None:
        g_key = f"{prefix}{name}_g"
        v_key = f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            original0 = state_dict.pop(g_key)
            original1 = state_dict.pop(v_key)
            state_dict[f"{prefix}parametrizations.{name}.original0"] = original0
            state_dict[f"{prefix}parametrizations.{name}.original1"] = original1

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module
