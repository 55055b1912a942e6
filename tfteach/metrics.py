"""``tf.metrics``: streaming ``accuracy``, ``mean``, ``precision``, ``recall``, the four
outcome counts (``true_positives``...) and the mean squared / absolute errors.

Each returns ``(value, update_op)``. The running sums live in LOCAL variables
(``accuracy/total``, ``accuracy/count``; ``precision/true_positives/count``...), in the
collections ``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``: ``global_variables_initializer()``
does not initialize them, so a session must also run ``tf.local_variables_initializer()`` —
otherwise TF's classic "Attempting to use uninitialized value accuracy/count". Each run of
``update_op`` adds a batch; ``value`` reads the result so far; re-running the local
initializer starts the count again.
"""

from __future__ import annotations

from . import _missing
from .core import dtypes
from .core.array_ops import convert_to_tensor, identity, ones_like, zeros
from .core.graph import GraphKeys, Tensor, get_default_graph
from .core.math_ops import abs as abs_
from .core.math_ops import cast, div_no_nan, equal, reduce_sum, sqrt, squared_difference
from .core.state_ops import assign_add
from .core.variable_scope import variable_scope
from .core.variables import Variable

__all__ = [
    "accuracy",
    "false_negatives",
    "false_positives",
    "mean",
    "mean_absolute_error",
    "mean_squared_error",
    "precision",
    "recall",
    "root_mean_squared_error",
    "true_negatives",
    "true_positives",
]


def _metric_variable(name: str) -> Variable:
    """A float32 scalar counter starting at 0, local and not trainable, as TF makes them."""
    return Variable(
        lambda: zeros([], dtypes.float32),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        name=name,
    )


def _add_to(collections, value) -> None:
    if collections:
        get_default_graph().add_to_collections(collections, value)


def _as_float(values, weights) -> Tensor:
    values = cast(convert_to_tensor(values), dtypes.float32)
    if weights is not None:
        values = values * cast(convert_to_tensor(weights), dtypes.float32)
    return values


def mean(
    values,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name: str | None = None,
) -> tuple[Tensor, Tensor]:
    """The running mean of ``values``: ``total / count`` over every batch added so far."""
    with get_default_graph()._transaction(), variable_scope(name, "mean", (values, weights)):
        total = _metric_variable("total")
        count = _metric_variable("count")
        # how many values this batch adds (their total weight, with weights)
        number = reduce_sum(_as_float(ones_like(values), weights))
        values = _as_float(values, weights)
        # TF runs the two updates in parallel and, without the local initializer, reports
        # `accuracy/count`; tfteach runs ops one by one, so count's update goes first (built
        # first, under TF's name for it) to give the same classic message
        update_count = assign_add(count, number, name="AssignAdd_1")
        with get_default_graph().control_dependencies([update_count.op]):
            update_total = assign_add(total, reduce_sum(values), name="AssignAdd")
        value = div_no_nan(total, count, name="value")
        update_op = div_no_nan(update_total, update_count, name="update_op")
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op


def accuracy(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name: str | None = None,
) -> tuple[Tensor, Tensor]:
    """How often ``predictions`` equals ``labels``: the running mean of ``labels ==
    predictions`` (compare class indices: ``tf.argmax(logits, 1)``, not the logits)."""
    labels, predictions = convert_to_tensor(labels), convert_to_tensor(predictions)
    if predictions.dtype.base_dtype is not labels.dtype.base_dtype:
        predictions = cast(predictions, labels.dtype.base_dtype)
    is_correct = cast(equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def _as_bool_float(t) -> Tensor:
    """1.0 where ``t`` is nonzero (True), else 0.0: TF casts labels and predictions to bool."""
    return cast(cast(convert_to_tensor(t), dtypes.bool), dtypes.float32)


def _outcome(kind: str, labels, predictions) -> Tensor:
    """1.0 where the example is a ``kind`` ("true_positives", "false_positives",
    "false_negatives", "true_negatives") of boolean labels and predictions, else 0.0."""
    truth, guess = _as_bool_float(labels), _as_bool_float(predictions)
    if kind == "true_positives":
        return truth * guess
    if kind == "false_positives":
        return (1.0 - truth) * guess
    if kind == "false_negatives":
        return truth * (1.0 - guess)
    return (1.0 - truth) * (1.0 - guess)


def _count(kind: str, labels, predictions, weights) -> tuple[Variable, Tensor]:
    """A ``count`` variable of ``kind`` outcomes in the current scope, and its update op."""
    count = _metric_variable("count")
    outcome = _as_float(_outcome(kind, labels, predictions), weights)
    return count, assign_add(count, reduce_sum(outcome))


def _counts(labels, predictions, weights, which: tuple[str, ...]):
    """Counters for the outcomes in ``which``, each in its own scope, with their updates."""
    found = []
    for kind in which:
        with variable_scope(None, kind, (predictions, labels, weights)):
            found.append(_count(kind, labels, predictions, weights))
    return found


def _counting_metric(kind: str, labels, predictions, weights, collections, name):
    metrics_collections, updates_collections = collections
    graph = get_default_graph()
    with graph._transaction(), variable_scope(name, kind, (predictions, labels, weights)):
        count, update_op = _count(kind, labels, predictions, weights)
        value = identity(count)
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op


def true_positives(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """How many examples are labelled and predicted True (nonzero), so far."""
    collections = (metrics_collections, updates_collections)
    return _counting_metric("true_positives", labels, predictions, weights, collections, name)


def false_positives(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """How many examples are labelled False (zero) but predicted True, so far."""
    collections = (metrics_collections, updates_collections)
    return _counting_metric("false_positives", labels, predictions, weights, collections, name)


def false_negatives(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """How many examples are labelled True but predicted False, so far."""
    collections = (metrics_collections, updates_collections)
    return _counting_metric("false_negatives", labels, predictions, weights, collections, name)


def true_negatives(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """How many examples are labelled and predicted False, so far."""
    collections = (metrics_collections, updates_collections)
    return _counting_metric("true_negatives", labels, predictions, weights, collections, name)


def _errors(labels, predictions) -> tuple[Tensor, Tensor]:
    labels, predictions = convert_to_tensor(labels), convert_to_tensor(predictions)
    if not predictions.dtype.is_floating:
        predictions = cast(predictions, dtypes.float32)
    return cast(labels, predictions.dtype.base_dtype), predictions


def mean_squared_error(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """The running mean of ``(labels - predictions) ** 2``."""
    labels, predictions = _errors(labels, predictions)
    squared = squared_difference(labels, predictions)
    collections = (metrics_collections, updates_collections)
    return mean(squared, weights, *collections, name or "mean_squared_error")


def mean_absolute_error(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """The running mean of ``|labels - predictions|``."""
    labels, predictions = _errors(labels, predictions)
    collections = (metrics_collections, updates_collections)
    return mean(abs_(predictions - labels), weights, *collections, name or "mean_absolute_error")


def root_mean_squared_error(
    labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None
) -> tuple[Tensor, Tensor]:
    """The square root of the running mean squared error (ops ``Sqrt`` outside its scope,
    as TF builds them)."""
    labels, predictions = _errors(labels, predictions)
    squared = squared_difference(labels, predictions)
    with get_default_graph()._transaction():
        mse, update_mse = mean(squared, weights, None, None, name or "root_mean_squared_error")
        rmse, update_rmse = sqrt(mse), sqrt(update_mse)
    _add_to(metrics_collections, rmse)
    _add_to(updates_collections, update_rmse)
    return rmse, update_rmse


def _ratio(name, default, labels, predictions, weights, other, collections):
    metrics_collections, updates_collections = collections
    graph = get_default_graph()
    with graph._transaction(), variable_scope(name, default, (predictions, labels, weights)):
        (tp, tp_update), (other_count, other_update) = _counts(
            labels, predictions, weights, ("true_positives", other)
        )
        value = div_no_nan(tp, tp + other_count, name="value")
        update_op = div_no_nan(tp_update, tp_update + other_update, name="update_op")
        _add_to(metrics_collections, value)
        _add_to(updates_collections, update_op)
        return value, update_op


def precision(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name: str | None = None,
) -> tuple[Tensor, Tensor]:
    """Of the examples predicted positive, the fraction that are: ``tp / (tp + fp)``."""
    collections = (metrics_collections, updates_collections)
    args = (labels, predictions, weights, "false_positives", collections)
    return _ratio(name, "precision", *args)


def recall(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name: str | None = None,
) -> tuple[Tensor, Tensor]:
    """Of the positive examples, the fraction predicted positive: ``tp / (tp + fn)``."""
    collections = (metrics_collections, updates_collections)
    args = (labels, predictions, weights, "false_negatives", collections)
    return _ratio(name, "recall", *args)


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use
