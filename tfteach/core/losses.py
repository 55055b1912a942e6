"""``tf.losses``: weighted losses that also add themselves to the LOSSES collection."""

from __future__ import annotations

from . import dtypes
from .array_ops import squeeze, stop_gradient
from .constant_op import constant, convert_to_tensor, new_op, shape
from .graph import GraphKeys, Tensor, add_to_collection, atomic, get_collection, name_scope
from .math_ops import (
    abs as absolute,
)
from .math_ops import (
    add,
    add_n,
    cast,
    div_no_nan,
    log,
    minimum,
    multiply,
    not_equal,
    reduce_sum,
    relu,
    squared_difference,
    subtract,
)
from .nn_ops import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
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
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


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


_NOT_BROADCASTABLE = "weights can not be broadcast to values."


def _check_broadcastable(weights: Tensor, values: Tensor) -> None:
    """TF's static check: ``weights`` is a scalar, or has the rank of ``values`` with each
    dimension 1 or the same as in ``values`` (unknown dimensions pass)."""
    w_rank, v_rank = weights.shape.ndims, values.shape.ndims
    if w_rank is None or v_rank is None or w_rank == 0:
        return
    received = f"Received weights={weights}, values={values}"
    if w_rank != v_rank:
        raise ValueError(
            f"{_NOT_BROADCASTABLE} values.rank={v_rank}. weights.rank={w_rank}. "
            f"values.shape={values.shape}. weights.shape={weights.shape}. {received}"
        )
    if not (weights.shape.is_fully_defined() and values.shape.is_fully_defined()):
        return
    w_dims, v_dims = weights.shape.as_list(), values.shape.as_list()
    for i, (w, v) in enumerate(zip(w_dims, v_dims)):
        if w not in (1, v):
            raise ValueError(  # TF prints the shapes as numpy arrays here
                f"{_NOT_BROADCASTABLE} Mismatch at dim {i}. values.shape={_np_text(v_dims)}, "
                f"weights.shape={_np_text(w_dims)}. {received}"
            )


def _np_text(dims: list) -> str:
    return "[" + " ".join(str(d) for d in dims) + "]"


@atomic
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
        _check_broadcastable(weights, losses)
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


# -- the losses built on compute_weighted_loss ------------------------------------------------
# Each casts its inputs, checks that their shapes agree, computes one loss per element, and
# hands those to compute_weighted_loss inside its own name scope, so the result is named
# e.g. ``absolute_difference/value:0``.


def _require(**args) -> None:
    """TF's check that no argument is None (they are checked in the order given)."""
    for name, value in args.items():
        if value is None:
            raise ValueError(f"Argument `{name}` must not be None.")


def _float_pair(labels, predictions) -> tuple[Tensor, Tensor]:
    """Both as float32, after checking their static shapes are compatible."""
    predictions = cast(convert_to_tensor(predictions), dtypes.float32)
    labels = cast(convert_to_tensor(labels), dtypes.float32)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return labels, predictions


@atomic
def absolute_difference(
    labels,
    predictions,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of ``|predictions - labels|`` (L1 loss), as float32."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference") as scope:
        labels, predictions = _float_pair(labels, predictions)
        losses = absolute(subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@atomic
def hinge_loss(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of ``max(0, 1 - y * logits)``, where TF turns the 0/1 ``labels``
    into y = -1/+1 first (``y = 2 * labels - 1``)."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss") as scope:
        labels, logits = _float_pair(labels, logits)
        all_ones = new_op("OnesLike", [labels], name="ones_like")
        signs = subtract(2 * labels, all_ones)
        losses = relu(subtract(all_ones, multiply(signs, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@atomic
def huber_loss(
    labels,
    predictions,
    weights=1.0,
    delta=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of the Huber loss of ``error = predictions - labels``:
    ``0.5 * error**2`` where ``|error| <= delta``, else ``delta * (|error| - 0.5 * delta)``.

    TF writes it as ``0.5 * q**2 + delta * (|error| - q)`` with ``q = min(|error|, delta)``,
    so that at ``|error| == delta`` the gradient is not counted twice.
    """
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss") as scope:
        labels, predictions = _float_pair(labels, predictions)
        abs_error = absolute(subtract(predictions, labels))
        quadratic = minimum(abs_error, delta)
        linear = subtract(abs_error, quadratic)
        half = convert_to_tensor(0.5, dtype=quadratic.dtype)
        losses = add(multiply(half, multiply(quadratic, quadratic)), multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@atomic
def log_loss(
    labels,
    predictions,
    weights=1.0,
    epsilon=1e-7,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of the binary cross entropy of probabilities ``predictions``:
    ``-labels * log(p + epsilon) - (1 - labels) * log(1 - p + epsilon)``."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss") as scope:
        labels, p = _float_pair(labels, predictions)
        losses = -multiply(labels, log(p + epsilon)) - multiply((1 - labels), log(1 - p + epsilon))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@atomic
def sigmoid_cross_entropy(
    multi_class_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean of `tf.nn.sigmoid_cross_entropy_with_logits` (one independent
    yes/no per element). With ``label_smoothing`` s > 0 the labels move towards 1/2:
    ``labels * (1 - s) + 0.5 * s``. The loss has the dtype of ``logits``."""
    _require(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = cast(multi_class_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(labels.shape)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@atomic
def softmax_cross_entropy(
    onehot_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean over examples of `tf.nn.softmax_cross_entropy_with_logits_v2`.

    With ``label_smoothing`` s > 0 the one-hot labels move towards the uniform
    distribution: ``labels * (1 - s) + s / num_classes``. No gradient flows into the labels
    (TF stops it). The loss has the dtype of ``logits``.
    """
    _require(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = cast(onehot_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(labels.shape)
        if label_smoothing > 0:
            num_classes = cast(shape(labels)[-1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        labels = stop_gradient(labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def _squeeze_last_if(t: Tensor, rank_diff: int, expected: int) -> Tensor:
    """``t`` without its last dimension if the ranks differ by ``expected`` and that
    dimension may be 1 (TF's ``_remove_squeezable_dimensions``, static ranks only)."""
    if rank_diff == expected and t.shape[-1].is_compatible_with(1):
        return squeeze(t, [-1])
    return t


def _remove_squeezable_dimensions(labels, logits, weights):
    """Class indices of shape ``[batch, 1]`` become ``[batch]`` (and so do weights of one
    rank more than the labels), so that ``rank(logits) == rank(labels) + 1``."""
    with name_scope(None, "remove_squeezable_dimensions"):
        logits, labels = convert_to_tensor(logits), convert_to_tensor(labels)
        l_rank, p_rank = labels.shape.ndims, logits.shape.ndims
        if l_rank is not None and p_rank is not None:
            logits = _squeeze_last_if(logits, p_rank - l_rank, 2)
            labels = _squeeze_last_if(labels, p_rank - l_rank, 0)
    weights = convert_to_tensor(weights)
    l_rank, w_rank = labels.shape.ndims, weights.shape.ndims
    if l_rank is not None and w_rank is not None and w_rank - l_rank == 1:
        weights = squeeze(weights, [-1])
    return labels, logits, weights


@atomic
def sparse_softmax_cross_entropy(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Tensor:
    """The weighted mean over examples of `tf.nn.sparse_softmax_cross_entropy_with_logits`:
    ``labels`` are class indices (int32/int64), one fewer dimension than ``logits``."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss") as scope:
        labels, logits, weights = _remove_squeezable_dimensions(labels, logits, weights)
        losses = sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)
