"""Noise-contrastive estimation: ``tf.nn.nce_loss`` and the log-uniform candidate sampler
it draws its negative classes with (word2vec's loss).

For each example, the logit of its true class and of ``num_sampled`` sampled classes is
a dot product with the class's row of ``weights`` plus its bias, minus the log of how
often the sampler is expected to pick that class; the loss is the sigmoid cross entropy
of those logits against "true class: 1, sampled: 0", summed over the row.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from . import dtypes
from .array_ops import (
    concat,
    expand_dims,
    one_hot,
    ones,
    ones_like,
    reshape,
    shape,
    stop_gradient,
    unsorted_segment_sum,
    zeros_like,
)
from .constant_op import convert_to_tensor, not_differentiable
from .errors import InvalidArgumentError
from .graph import Tensor, get_default_graph, name_scope
from .math_ops import cast, log, matmul, maximum, reduce_sum
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


# -- ComputeAccidentalHits ---------------------------------------------------------------------

# TF's weight for an accidental hit: -FLT_MAX, the lowest float32, so the sampled logit of a
# true class becomes hugely negative and its loss term (label 0) vanishes
_LOWEST_FLOAT32 = float(np.finfo(np.float32).min)


def _hits_shape(op):
    true_classes, sampled = op._inputs
    num_true = op._attrs["num_true"]
    dims = true_classes.shape.as_tuple()
    if dims is not None and len(dims) == 2 and dims[1] not in (None, num_true):
        raise ValueError(
            f"Dimension must be {num_true} but is {dims[1]} for '{op.name}' (op: "
            f"'ComputeAccidentalHits') with input shapes: {true_classes.shape._shape_text()}, "
            f"{sampled.shape._shape_text()}."
        )
    return [
        (TensorShape([None]), dtypes.int32),
        (TensorShape([None]), dtypes.int64),
        (TensorShape([None]), dtypes.float32),
    ]


@register("ComputeAccidentalHits", shape=_hits_shape, grad=not_differentiable)
def _hits_kernel(ctx, op, true_classes, sampled):
    if true_classes.ndim != 2 or true_classes.shape[1] != op._attrs["num_true"]:
        raise InvalidArgumentError(
            None, op, "true_candidates must be a batch_size * num_true matrix"
        )
    # a class sampled twice counts at its last position, as TF's map from class to position
    position = {int(c): j for j, c in enumerate(sampled)}
    rows, ids = [], []
    for i, row in enumerate(true_classes):
        for c in row:
            j = position.get(int(c))
            if j is not None:
                rows.append(i)
                ids.append(j)
    weights = np.full(len(rows), _LOWEST_FLOAT32, dtype=np.float32)
    return np.array(rows, dtype=np.int32), np.array(ids, dtype=np.int64), weights


AccidentalHits = collections.namedtuple("ComputeAccidentalHits", "indices ids weights")


def compute_accidental_hits(true_classes, sampled_candidates, num_true: int, seed=None, name=None):
    """Where a sampled class is one of an example's true classes (an "accidental hit"):
    ``(indices, ids, weights)``, the example's row, the position in
    ``sampled_candidates``, and -FLT_MAX for each hit."""
    true_classes = convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    sampled = convert_to_tensor(sampled_candidates, dtype=dtypes.int64, name="sampled_candidates")
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "seed": seed1, "seed2": seed2}
    op = get_default_graph().create_op(
        "ComputeAccidentalHits",
        [true_classes, sampled],
        attrs,
        name=name or "ComputeAccidentalHits",
    )
    return AccidentalHits(*op.outputs)


def _accidental_hits_mask(labels, sampled, num_true: int, num_sampled: int, dtype) -> Tensor:
    """[batch, num_sampled]: -FLT_MAX where example i's true class was sampled at j, else 0.
    TF scatters the hits with SparseToDense; the same matrix here: one one-hot row per hit,
    summed into its example's row."""
    indices, ids, weights = compute_accidental_hits(labels, sampled, num_true)
    rows = one_hot(ids, num_sampled, dtype=dtype) * expand_dims(cast(weights, dtype), 1)
    dense = unsorted_segment_sum(rows, indices, shape(labels)[0])
    # a true class given twice in one row is two hits on one cell: TF writes -FLT_MAX once,
    # where the sum would reach -inf
    return maximum(dense, _LOWEST_FLOAT32)


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
    the log-uniform sampler. With ``remove_accidental_hits``, a sampled class that is one of
    the example's true classes does not count as noise for that example."""
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
        if remove_accidental_hits:  # a true class drawn as noise for its own example
            sampled_logits = sampled_logits + _accidental_hits_mask(
                labels, sampled, num_true, int(num_sampled), sampled_logits.dtype.base_dtype
            )
        # NCE compares each class with the noise: subtract log Q(class)
        true_logits = true_logits - log(true_expected)
        sampled_logits = sampled_logits - log(sampled_expected)
        logits = concat([true_logits, sampled_logits], 1)
        targets = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
    losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits, name="sampled_losses")
    # TF's _sum_rows: a matmul with a column of ones, then flattened
    column = ones([num_true + int(num_sampled), 1], dtype=losses.dtype.base_dtype)
    return reshape(matmul(losses, column), [-1])
