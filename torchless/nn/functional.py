"""``torchless.nn.functional``: the stateless functions behind the layers.

The ops themselves live with the Tensor core, one family per file under
``torchless._ops``; this module gives them their torch names.
"""

from __future__ import annotations

from .._missing import missing_attribute_getattr
from .._ops.activation import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    selu_,
    silu,
    softmax,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
    threshold_,
)
from .._ops.attention import scaled_dot_product_attention
from .._ops.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    unfold,
)
from .._ops.distance import cosine_similarity, pairwise_distance, pdist
from .._ops.dropout import (
    alpha_dropout,
    dropout,
    dropout1d,
    dropout2d,
    dropout3d,
    feature_alpha_dropout,
    rrelu,
)
from .._ops.embedding import embedding, embedding_bag, one_hot
from .._ops.interpolate import interpolate, upsample, upsample_bilinear, upsample_nearest
from .._ops.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    ctc_loss,
    gaussian_nll_loss,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from .._ops.mha import multi_head_attention_forward
from .._ops.nn import bilinear, linear, mse_loss
from .._ops.norm import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
    local_response_norm,
    normalize,
    rms_norm,
)
from .._ops.padding import pad
from .._ops.pixel_shuffle import pixel_shuffle, pixel_unshuffle
from .._ops.pointwise import sigmoid, tanh
from .._ops.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    lp_pool1d,
    lp_pool2d,
    max_pool1d,
    max_pool2d,
)


def relu(input, inplace: bool = False):
    """``max(input, 0)``; in place with ``inplace=True``."""
    from .._ops.pointwise import relu as _relu

    if inplace:
        return input.relu_()
    return _relu(input)


def relu_(input):
    return input.relu_()


__all__ = sorted(
    n
    for n, v in list(globals().items())
    if not n.startswith("_")
    and callable(v)
    and n not in ("annotations", "missing_attribute_getattr")
)

__getattr__ = missing_attribute_getattr(__name__)
