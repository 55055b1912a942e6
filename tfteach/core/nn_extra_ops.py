"""More of ``tf.nn`` for ``tf.layers``: ``avg_pool`` (a kernel of its own), and ``dropout``,
``moments`` and ``batch_normalization``, which TF also builds from plain ops; and
``l2_normalize`` and ``in_top_k``, the classic evaluation of a classifier.

``AvgPool`` divides each window's sum by the number of input values inside it: with
``padding="SAME"``, border windows that overhang the input average fewer values, as in TF.
"""

from __future__ import annotations

import numpy as np

from . import dtypes, math_ops
from .array_ops import squeeze, stop_gradient, where, zeros_like
from .constant_op import constant_value, convert_to_tensor, new_op, not_differentiable, shape
from .graph import Tensor, atomic, name_scope
from .nn_ops import _max_pool_shape, _pool_windows, pool_op
from .random_ops import random_uniform
from .registry import register
from .tensor_shape import TensorShape

# -- AvgPool --------------------------------------------------------------------------------


def _window_sums(op, x: np.ndarray):
    """Per window: the sum of ``x`` (zero-padded) and how many real input values it covers;
    plus the padded input's shape and the padding before, which the gradient needs."""
    xp, index, top, left = _pool_windows(op, x, fill=0)
    ones, _, _, _ = _pool_windows(op, np.ones((1, *x.shape[1:3], 1)), fill=0)
    total = sum(xp[i] for i in index)
    count = sum(ones[i] for i in index)  # (1, oh, ow, 1): real values in each window
    return total, count, index, xp.shape, top, left


def _avg_pool_grad(op, grad):
    return [new_op("AvgPoolGrad", [shape(op.inputs[0]), grad], dict(op._attrs))]


@register("AvgPool", shape=_max_pool_shape, grad=_avg_pool_grad)
def _avg_pool_kernel(ctx, op, x):
    total, count, _, _, _, _ = _window_sums(op, x)
    return (total / count).astype(x.dtype)


def _avg_pool_grad_shape(op):
    known = constant_value(op.inputs[0])
    dims = [int(d) for d in known] if known is not None else [None] * 4
    return [(TensorShape(dims), op.inputs[1].dtype.base_dtype)]


@register("AvgPoolGrad", shape=_avg_pool_grad_shape)
def _avg_pool_grad_kernel(ctx, op, input_shape, grad):
    """Each window's gradient is shared equally by the input values it averaged."""
    x = np.zeros(tuple(input_shape), dtype=grad.dtype)
    _, count, index, padded_shape, top, left = _window_sums(op, x)
    dxp = np.zeros(padded_shape, dtype=grad.dtype)
    for i in index:
        dxp[i] += grad / count
    return dxp[:, top : top + x.shape[1], left : left + x.shape[2]]


def avg_pool(
    value=None,
    ksize=None,
    strides=None,
    padding=None,
    data_format: str = "NHWC",
    name: str | None = None,
    input=None,
) -> Tensor:
    """The mean of each ``ksize`` window of NHWC ``value``, windows ``strides`` apart."""
    value = value if value is not None else input
    return pool_op("AvgPool", value, ksize, strides, padding, data_format, name)


# -- dropout, moments, batch_normalization: compositions of public ops --------------------------


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None) -> Tensor:
    """Zeroes each element with probability ``rate`` (TF1: ``1 - keep_prob``) and scales the
    rest by ``1 / (1 - rate)``, so the expected value is unchanged; a fresh mask every run."""
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
    if keep_prob is not None:
        rate = 1 - keep_prob
    if rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    if isinstance(rate, (int, float)) and not 0 <= rate < 1:
        raise ValueError(
            f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}"
        )
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        scale = 1 / (1 - rate)
        noise = shape(x) if noise_shape is None else noise_shape
        random = random_uniform(noise, seed=seed, dtype=x.dtype.base_dtype)
        keep = math_ops.greater_equal(random, rate)
        kept = math_ops.multiply(x, scale)
        return where(keep, kept, zeros_like(kept))


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """``(mean, variance)`` of ``x`` over ``axes`` (the variance is the biased, 1/n one)."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        mean = math_ops.reduce_mean(x, axes, keepdims=True, name="mean")
        # TF stops the gradient through the mean inside the variance: the gradients agree
        deviation = math_ops.squared_difference(x, stop_gradient(mean))
        variance = math_ops.reduce_mean(deviation, axes, keepdims=True, name="variance")
        if keep:
            return mean, variance
        return squeeze(mean, axes), squeeze(variance, axes)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None) -> Tensor:
    """``scale * (x - mean) / sqrt(variance + variance_epsilon) + offset``."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        # operators, not tf.add/tf.multiply: TF's ops are named add, mul, sub as here
        inv = math_ops.rsqrt(convert_to_tensor(variance) + variance_epsilon)
        if scale is not None:
            inv *= scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return convert_to_tensor(x) * inv + shift


@atomic
def l2_normalize(x, axis=None, epsilon: float = 1e-12, name=None, dim=None) -> Tensor:
    """``x`` divided by its L2 norm along ``axis`` (all axes by default); a norm below
    ``sqrt(epsilon)`` counts as ``sqrt(epsilon)``, so zeros stay zeros."""
    if dim is not None:  # TF1's name for axis
        if axis is not None:
            raise ValueError("Cannot specify both 'dim' and 'axis'.")
        axis = dim
    with name_scope(name, "l2_normalize") as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        inverse_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, inverse_norm, name=scope)


# -- InTopKV2 -------------------------------------------------------------------------------------


def _in_top_k_shape(op):
    predictions, targets, k = op.inputs

    def where() -> str:
        shapes = ", ".join(t.shape._shape_text() for t in op.inputs)
        return f"for '{op.name}' (op: 'InTopKV2') with input shapes: {shapes}."

    for t, rank in ((predictions, 2), (targets, 1), (k, 0)):
        if t.shape.ndims not in (None, rank):
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims} {where()}")
    batch = predictions.shape[0].value if predictions.shape.ndims else None
    count = targets.shape[0].value if targets.shape.ndims else None
    if None not in (batch, count) and batch != count:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {count} {where()}")
    return [(TensorShape([batch if batch is not None else count]), dtypes.bool)]


@register("InTopKV2", shape=_in_top_k_shape, grad=not_differentiable)
def _in_top_k_kernel(ctx, op, predictions, targets, k):
    classes = predictions.shape[1]
    out = np.zeros(len(targets), dtype=bool)
    for b, target in enumerate(targets):
        row = predictions[b]
        # TF cannot say for a target out of range or a row with a non-finite prediction
        if not 0 <= target < classes or not np.all(np.isfinite(row)):
            continue
        # ties count in the target's favour: only strictly larger predictions push it out
        out[b] = np.count_nonzero(row > row[target]) < k
    return out


@atomic
def in_top_k(predictions, targets, k, name=None) -> Tensor:
    """For each example, whether its target class is among the ``k`` classes with the
    largest ``predictions`` (classes tied with the k-th count as in)."""
    with name_scope(name, "in_top_k"), name_scope("InTopKV2") as scope:
        predictions = convert_to_tensor(predictions, name="predictions")
        if predictions.dtype.base_dtype is not dtypes.float32:
            raise TypeError(
                f"Input 'predictions' of 'InTopKV2' Op has type "
                f"{predictions.dtype.base_dtype.name} that does not match expected type of "
                "float32."
            )
        targets = convert_to_tensor(targets, name="targets")
        if targets.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(
                "Value passed to parameter 'targets' has DataType "
                f"{targets.dtype.base_dtype.name} not in list of allowed values: int32, int64"
            )
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return new_op("InTopKV2", [predictions, targets, k], name=scope)
