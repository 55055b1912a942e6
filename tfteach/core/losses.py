"""``tf.losses``: weighted losses that also add themselves to the LOSSES collection."""

from __future__ import annotations

from . import dtypes
from .constant_op import constant, convert_to_tensor, new_op
from .graph import GraphKeys, Tensor, add_to_collection, get_collection, name_scope
from .math_ops import (
    add_n,
    cast,
    div_no_nan,
    multiply,
    not_equal,
    reduce_sum,
    squared_difference,
)


class Reduction:
    """How `compute_weighted_loss` reduces the weighted losses to a scalar (or not)."""

    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        return (
            cls.NONE,
            cls.SUM,
            cls.MEAN,
            cls.SUM_OVER_BATCH_SIZE,
            cls.SUM_OVER_NONZERO_WEIGHTS,
            cls.SUM_BY_NONZERO_WEIGHTS,
        )

    @classmethod
    def validate(cls, key) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def add_loss(loss: Tensor, loss_collection=GraphKeys.LOSSES) -> None:
    """Adds ``loss`` to the collection ``loss_collection`` (None: to none)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES) -> list:
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope=None) -> list:
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name: str = "total_regularization_loss") -> Tensor:
    """The sum of the regularization losses (a constant 0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    return add_n(losses, name=name) if losses else constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name="total_loss", scope=None):
    """The sum of the LOSSES collection (and of the regularization losses)."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError(
            "inputs must be an iterable of at least one Tensor/IndexedSlices with the same "
            "dtype and shape"
        )
    return add_n(losses, name=name)


def _count(losses: Tensor, weights: Tensor | None) -> Tensor:
    """How many losses have a nonzero weight (all of them without weights)."""
    if weights is None:
        return reduce_sum(_ones(losses), name="num_elements")
    with name_scope(None, "num_present") as scope:
        present = cast(not_equal(weights, 0.0), dtypes.float32)
        return reduce_sum(multiply(present, _ones(losses)), name=scope)


def compute_weighted_loss(
    losses,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """``losses * weights``, reduced as ``reduction`` says, added to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss"):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        losses = cast(losses, dtypes.float32)
        weights = cast(weights, dtypes.float32)
        weighted = multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = div_no_nan(loss, reduce_sum(multiply(_ones(losses), weights)), "value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, _count(losses, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, _count(losses, None), name="value")
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


def _ones(t: Tensor) -> Tensor:
    return new_op("OnesLike", [t], name="ones_like")


def mean_squared_error(
    labels,
    predictions,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of ``(predictions - labels) ** 2`` (by default over the nonzero
    weights), as float32, added to the LOSSES collection."""
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    with name_scope(scope, "mean_squared_error") as scope:
        predictions = cast(convert_to_tensor(predictions), dtypes.float32)
        labels = cast(convert_to_tensor(labels), dtypes.float32)
        predictions.shape.assert_is_compatible_with(labels.shape)
        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)
