"""Noise-contrastive estimation: ``tf.nn.nce_loss`` and the log-uniform candidate sampler
it draws its negative classes with (word2vec's loss).

For each example, the logit of its true class and of ``num_sampled`` sampled classes is
a dot product with the class's row of ``weights`` plus its bias, minus the log of how
often the sampler is expected to pick that class; the loss is the sigmoid cross entropy
of those logits against "true class: 1, sampled: 0", summed over the row.
"""

from __future__ import annotations

import math

import numpy as np

from . import dtypes
from .array_ops import concat, expand_dims, ones, ones_like, reshape, stop_gradient, zeros_like
from .constant_op import convert_to_tensor, not_differentiable
from .graph import Tensor, get_default_graph, name_scope
from .math_ops import cast, log, matmul, reduce_sum
from .nn_ops import embedding_lookup, sigmoid_cross_entropy_with_logits
from .random_seed import get_seed
from .registry import register
from .tensor_shape import TensorShape

# -- LogUniformCandidateSampler ------------------------------------------------------------------


def _sampler_shape(op):
    true_classes = op._inputs[0]
    n, num_true = op._attrs["num_sampled"], op._attrs["num_true"]
    batch = true_classes.shape[0].value if true_classes.shape.ndims else None
    return [
        (TensorShape([n]), dtypes.int64),
        (TensorShape([batch, num_true]), dtypes.float32),
        (TensorShape([n]), dtypes.float32),
    ]


def log_uniform_probability(classes, range_max: int) -> np.ndarray:
    """Zipf's law as the sampler uses it: P(k) = log((k + 2) / (k + 1)) / log(range_max + 1)."""
    classes = np.asarray(classes, dtype=np.float64)
    return np.log((classes + 2.0) / (classes + 1.0)) / math.log(range_max + 1)


def expected_count(p: np.ndarray, num_sampled: int, num_tries: int) -> np.ndarray:
    """How many times a class of probability ``p`` is expected among the samples: drawn
    with replacement, ``p * num_sampled``; unique (``num_tries`` draws gave ``num_sampled``
    distinct classes), the chance it came up at least once, ``1 - (1 - p) ** num_tries``."""
    if num_tries == num_sampled:
        return p * num_sampled
    return -np.expm1(num_tries * np.log1p(-p))


@register("LogUniformCandidateSampler", shape=_sampler_shape, grad=not_differentiable)
def _sampler_kernel(ctx, op, true_classes):
    attrs = op._attrs
    n, range_max, unique = attrs["num_sampled"], attrs["range_max"], attrs["unique"]
    rng = ctx.op_state(op, _start_generator)
    log_range = math.log(range_max + 1)
    sampled: list[int] = []
    tries = 0
    while len(sampled) < n:
        tries += 1
        value = int(math.exp(rng.random() * log_range)) - 1
        if not unique or value not in sampled:
            sampled.append(value)
    true_p = log_uniform_probability(true_classes, range_max)
    sampled_p = log_uniform_probability(sampled, range_max)
    return (
        np.asarray(sampled, dtype=np.int64),
        expected_count(true_p, n, tries).astype(np.float32),
        expected_count(sampled_p, n, tries).astype(np.float32),
    )


def _start_generator(op) -> np.random.Generator:
    seed = op._attrs["seed"]
    return np.random.default_rng(None if seed is None else [seed, op._attrs["seed2"]])


def log_uniform_candidate_sampler(
    true_classes,
    num_true: int,
    num_sampled: int,
    unique: bool,
    range_max: int,
    seed=None,
    name=None,
):
    """``num_sampled`` classes in [0, range_max) drawn with Zipf's law (small ids are
    frequent words), with the expected counts of the true and the sampled classes."""
    if unique and num_sampled > range_max:
        raise ValueError(
            f"num_sampled ({num_sampled}) cannot exceed range_max ({range_max}) when unique."
        )
    true_classes = convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    seed1, seed2 = get_seed(seed)
    attrs = {
        "num_true": int(num_true),
        "num_sampled": int(num_sampled),
        "unique": bool(unique),
        "range_max": int(range_max),
        "seed": seed1,
        "seed2": seed2,
    }
    op = get_default_graph().create_op(
        "LogUniformCandidateSampler",
        [true_classes],
        attrs,
        name=name or "LogUniformCandidateSampler",
    )
    return tuple(op.outputs)


# -- nce_loss ------------------------------------------------------------------------------------


def nce_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled: int,
    num_classes: int,
    num_true: int = 1,
    sampled_values=None,
    remove_accidental_hits: bool = False,
    partition_strategy: str = "mod",
    name: str = "nce_loss",
) -> Tensor:
    """The NCE loss of each example (shape [batch]): ``weights`` [num_classes, dim],
    ``biases`` [num_classes], ``labels`` [batch, num_true] class ids, ``inputs``
    [batch, dim]; ``sampled_values`` (sampled, true_expected, sampled_expected) replaces
    the log-uniform sampler."""
    if remove_accidental_hits:
        raise NotImplementedError(
            "tfteach's nce_loss does not remove accidental hits; leave remove_accidental_hits "
            "False (TF's default)."
        )
    with name_scope(name, "compute_sampled_logits"):
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        inputs = convert_to_tensor(inputs, name="inputs")
        labels = convert_to_tensor(labels, name="labels")
        if labels.dtype.base_dtype != dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                labels, num_true, num_sampled, True, num_classes
            )
        sampled, true_expected, sampled_expected = (
            stop_gradient(convert_to_tensor(v)) for v in sampled_values
        )
        all_ids = concat([labels_flat, cast(sampled, dtypes.int64)], 0)
        all_w = embedding_lookup(weights, all_ids)
        true_w = all_w[: -int(num_sampled)]
        sampled_w = all_w[-int(num_sampled) :]
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids)
        true_b = reshape(all_b[: -int(num_sampled)], [-1, num_true])
        sampled_b = all_b[-int(num_sampled) :]
        dim = weights.shape[1].value
        row_w = reshape(true_w, [-1, num_true, -1 if dim is None else dim])
        true_logits = reduce_sum(expand_dims(inputs, 1) * row_w, 2) + true_b
        sampled_logits = sampled_logits + sampled_b
        # NCE compares each class with the noise: subtract log Q(class)
        true_logits = true_logits - log(true_expected)
        sampled_logits = sampled_logits - log(sampled_expected)
        logits = concat([true_logits, sampled_logits], 1)
        targets = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
    losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits, name="sampled_losses")
    # TF's _sum_rows: a matmul with a column of ones, then flattened
    column = ones([num_true + int(num_sampled), 1], dtype=losses.dtype.base_dtype)
    return reshape(matmul(losses, column), [-1])
