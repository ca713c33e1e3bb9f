"""``torchless.nn.utils``: gradient clipping and parameter flattening."""

from ..._missing import missing_attribute_getattr
from . import clip_grad, convert_parameters
from .clip_grad import (
    _clip_grads_with_norm_ as clip_grads_with_norm_,
    _get_total_norm as get_total_norm,
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "get_total_norm",
    "parameters_to_vector",
    "vector_to_parameters",
]

from . import rnn

__all__ += ["rnn"]

from . import parametrizations, parametrize
from .weight_norm import remove_weight_norm, weight_norm

__all__ += ["parametrizations", "parametrize", "remove_weight_norm", "weight_norm"]

__getattr__ = missing_attribute_getattr(__name__)
