"""``tf.nn``: neural-network ops."""

from . import _missing
from .core.math_ops import elu, leaky_relu, relu, relu6, selu, sigmoid, softplus, softsign, tanh
from .core.more_array_ops import top_k
from .core.nce_ops import compute_accidental_hits, log_uniform_candidate_sampler, nce_loss
from .core.nn_extra_ops import (
    avg_pool,
    batch_normalization,
    dropout,
    in_top_k,
    l2_normalize,
    moments,
)
from .core.nn_ops import (
    bias_add,
    conv2d,
    embedding_lookup,
    l2_loss,
    log_softmax,
    max_pool,
    sigmoid_cross_entropy_with_logits,
    softmax,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
)

__all__ = [
    "avg_pool",
    "batch_normalization",
    "dropout",
    "in_top_k",
    "l2_normalize",
    "moments",
    "bias_add",
    "conv2d",
    "embedding_lookup",
    "l2_loss",
    "log_softmax",
    "max_pool",
    "compute_accidental_hits",
    "log_uniform_candidate_sampler",
    "nce_loss",
    "elu",
    "leaky_relu",
    "relu",
    "relu6",
    "selu",
    "softplus",
    "softsign",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
    "tanh",
    "top_k",
]


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use
