"""``tf.layers``: TF 1.x's functional layers (``dense``, ``conv2d``, pooling, ``flatten``,
``dropout``, ``batch_normalization``).

Each call opens ``variable_scope(name, default_name="dense")`` (so ``dense``, ``dense_1``...)
and makes its variables with ``get_variable``: ``dense/kernel``, ``dense/bias``. So these
are "functions that create variables implicitly": ``reuse``, enclosing variable scopes and
the default Glorot uniform kernel initializer behave exactly as for ``get_variable``.
A failing call leaves the graph as it was.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

from . import _missing
from .core import control_flow_ops, dtypes, init_ops, math_ops, nn_extra_ops, nn_ops
from .core.array_ops import concat, convert_to_tensor, identity, reshape, shape, where
from .core.array_ops import slice_ as _slice
from .core.graph import GraphKeys, Tensor, get_default_graph
from .core.state_ops import assign_sub
from .core.variable_scope import get_variable, variable_scope

__all__ = [
    "average_pooling2d",
    "batch_normalization",
    "conv2d",
    "dense",
    "dropout",
    "flatten",
    "max_pooling2d",
]


@contextlib.contextmanager
def _layer_scope(name, default_name: str, reuse=None):
    """The layer's variable scope (and name scope), inside one graph transaction: if the
    layer fails half-built, its ops, variables and scope names are all taken back."""
    graph = get_default_graph()
    with graph._transaction(), variable_scope(name, default_name=default_name, reuse=reuse):
        yield


def _add_bias_and_activate(outputs, use_bias, units, dtype, options) -> Tensor:
    if use_bias:
        bias = get_variable(
            "bias",
            [units],
            dtype=dtype,
            initializer=options["bias_initializer"] or init_ops.zeros_initializer(),
            regularizer=options["bias_regularizer"],
            trainable=options["trainable"],
            constraint=options["bias_constraint"],
        )
        outputs = nn_ops.bias_add(outputs, bias)
    activation = options["activation"]
    return outputs if activation is None else activation(outputs)


def _kernel(shape, dtype, options):
    return get_variable(
        "kernel",
        shape,
        dtype=dtype,
        initializer=options["kernel_initializer"],  # None: get_variable's Glorot uniform
        regularizer=options["kernel_regularizer"],
        trainable=options["trainable"],
        constraint=options["kernel_constraint"],
    )


def dense(
    inputs,
    units: int,
    activation: Callable | None = None,
    use_bias: bool = True,
    kernel_initializer=None,
    bias_initializer=None,
    kernel_regularizer=None,
    bias_regularizer=None,
    activity_regularizer=None,
    kernel_constraint=None,
    bias_constraint=None,
    trainable: bool = True,
    name: str | None = None,
    reuse=None,
) -> Tensor:
    """``activation(inputs @ kernel + bias)``, with ``<name>/kernel`` of shape
    ``[inputs.shape[-1], units]`` and ``<name>/bias`` of shape ``[units]``."""
    inputs = convert_to_tensor(inputs)
    dims = inputs.shape.as_tuple()
    if dims is None or dims[-1] is None:
        raise ValueError(
            "The last dimension of the inputs to a Dense layer should be defined. Found None. "
            f"Full input shape received: {inputs.shape}"
        )
    if any(d is None for d in dims[1:]):
        raise ValueError(
            f"tfteach's dense needs every dimension but the first known, got {inputs.shape}."
        )
    _refuse_activity_regularizer(activity_regularizer)
    options = locals()  # the keyword arguments by name, for _kernel and _add_bias_and_activate
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "dense", reuse):
        kernel = _kernel([dims[-1], units], dtype, options)
        if len(dims) == 2:
            outputs = math_ops.matmul(inputs, kernel)
        else:  # TF's tensordot: fold the leading dimensions into one, multiply, unfold
            flat = reshape(inputs, [-1, dims[-1]])
            outputs = reshape(math_ops.matmul(flat, kernel), [-1, *dims[1:-1], units])
        return _add_bias_and_activate(outputs, use_bias, units, dtype, options)


def _pair(value, what: str) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {value}")
    return value


def _padding(padding: str) -> str:
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            f'The `padding` argument must be a list/tuple or one of "valid", "same" (or '
            f'"causal", only for `Conv1D). Received: {padding}'
        )
    return padding.upper()


def _channels_last(data_format: str) -> None:
    if data_format != "channels_last":
        raise ValueError(
            f"tfteach's tf.layers support data_format='channels_last' only, got "
            f"{data_format!r}: transpose the input to (batch, height, width, channels)."
        )


def _refuse_activity_regularizer(activity_regularizer) -> None:
    if activity_regularizer is not None:
        raise ValueError("tfteach's tf.layers do not support activity_regularizer yet.")


def conv2d(
    inputs,
    filters: int,
    kernel_size,
    strides=(1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate=(1, 1),
    activation: Callable | None = None,
    use_bias: bool = True,
    kernel_initializer=None,
    bias_initializer=None,
    kernel_regularizer=None,
    bias_regularizer=None,
    activity_regularizer=None,
    kernel_constraint=None,
    bias_constraint=None,
    trainable: bool = True,
    name: str | None = None,
    reuse=None,
) -> Tensor:
    """A 2-D convolution of NHWC ``inputs`` with ``<name>/kernel`` of shape
    ``[kh, kw, in_channels, filters]``, plus ``<name>/bias`` and the activation."""
    inputs = convert_to_tensor(inputs)
    _channels_last(data_format)
    if _pair(dilation_rate, "dilation_rate") != (1, 1):
        raise ValueError("tfteach's conv2d supports dilation_rate=(1, 1) only.")
    _refuse_activity_regularizer(activity_regularizer)
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    pad = _padding(padding)
    dims = inputs.shape.as_tuple()
    if dims is None or len(dims) != 4 or dims[-1] is None:
        raise ValueError(
            "The channel dimension of the inputs should be defined. The input_shape received "
            f"is {inputs.shape}, where axis -1 (0-based) is the channel dimension, which found "
            "to be `None`."
        )
    options = locals()  # the keyword arguments by name, for _kernel and _add_bias_and_activate
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "conv2d", reuse):
        kernel = _kernel([kh, kw, dims[-1], filters], dtype, options)
        outputs = nn_ops.conv2d(inputs, kernel, [1, sh, sw, 1], pad)
        return _add_bias_and_activate(outputs, use_bias, filters, dtype, options)


def _pooling(pool, default_name, inputs, pool_size, strides, padding, data_format, name):
    _channels_last(data_format)
    kh, kw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides, "strides")
    pad = _padding(padding)
    with _layer_scope(name, default_name):
        return pool(inputs, [1, kh, kw, 1], [1, sh, sw, 1], pad)


def max_pooling2d(
    inputs,
    pool_size,
    strides,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> Tensor:
    """The maximum of each ``pool_size`` window (``max_pooling2d/MaxPool``)."""
    args = (inputs, pool_size, strides, padding, data_format, name)
    return _pooling(nn_ops.max_pool, "max_pooling2d", *args)


def average_pooling2d(
    inputs,
    pool_size,
    strides,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> Tensor:
    """The mean of each ``pool_size`` window (``average_pooling2d/AvgPool``)."""
    args = (inputs, pool_size, strides, padding, data_format, name)
    return _pooling(nn_extra_ops.avg_pool, "average_pooling2d", *args)


def flatten(inputs, name: str | None = None, data_format: str = "channels_last") -> Tensor:
    """``inputs`` reshaped to ``(batch, everything else)``."""
    inputs = convert_to_tensor(inputs)
    _channels_last(data_format)
    dims = inputs.shape.as_tuple()
    with _layer_scope(name, "flatten"):
        if dims is not None and all(d is not None for d in dims[1:]):
            return reshape(inputs, [-1, math.prod(dims[1:])])
        batch = _slice(shape(inputs), [0], [1])
        return reshape(inputs, concat([batch, [-1]], 0))


def _is_python_bool(training) -> bool:
    return isinstance(training, bool)


def dropout(
    inputs,
    rate: float = 0.5,
    noise_shape=None,
    seed=None,
    training=False,
    name: str | None = None,
) -> Tensor:
    """While ``training`` (a Python bool or a boolean tensor; False by default!), zeroes each
    element with probability ``rate`` and scales the rest by ``1 / (1 - rate)``; otherwise
    passes ``inputs`` through."""
    inputs = convert_to_tensor(inputs)
    with _layer_scope(name, "dropout"):
        if _is_python_bool(training):
            if not training:
                return identity(inputs)
            return nn_extra_ops.dropout(inputs, noise_shape=noise_shape, seed=seed, rate=rate)
        # a tensor: tf.cond, as TF, so a run that is not training draws no random numbers
        # (and the next training run gets the draw a fresh op would give)
        return control_flow_ops.cond(
            convert_to_tensor(training, dtype=dtypes.bool),
            lambda: nn_extra_ops.dropout(inputs, noise_shape=noise_shape, seed=seed, rate=rate),
            lambda: identity(inputs),
        )


def batch_normalization(
    inputs,
    axis: int = -1,
    momentum: float = 0.99,
    epsilon: float = 0.001,
    center: bool = True,
    scale: bool = True,
    beta_initializer=None,
    gamma_initializer=None,
    moving_mean_initializer=None,
    moving_variance_initializer=None,
    beta_regularizer=None,
    gamma_regularizer=None,
    beta_constraint=None,
    gamma_constraint=None,
    training=False,
    trainable: bool = True,
    name: str | None = None,
    reuse=None,
    renorm: bool = False,
    renorm_clipping=None,
    renorm_momentum: float = 0.99,
    fused=None,
    virtual_batch_size=None,
    adjustment=None,
) -> Tensor:
    """Normalizes ``inputs`` per channel (``axis``): with the batch's mean and variance while
    ``training``, else with the moving averages ``<name>/moving_mean`` and
    ``<name>/moving_variance``; then scales by ``gamma`` and shifts by ``beta``.

    While training, the ops that update the moving averages go into ``UPDATE_OPS`` and run
    only if you make the train op depend on them (``with
    tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):``); forget it, and
    the moving averages stay at their initial 0 and 1, so inference normalizes wrongly.
    """
    if renorm or virtual_batch_size is not None or adjustment is not None:
        raise ValueError(
            "tfteach's batch_normalization does not support renorm, virtual_batch_size or "
            "adjustment."
        )
    inputs = convert_to_tensor(inputs)
    dims = inputs.shape.as_tuple()
    if dims is None:
        raise ValueError(f"Input has undefined rank. Received: input_shape={inputs.shape}.")
    rank = len(dims)
    ax = axis + rank if axis < 0 else axis
    if not 0 <= ax < rank:
        raise ValueError(f"Invalid axis: {axis}")
    if dims[ax] is None:
        raise ValueError(
            f"Axis {axis} of input tensor should have a defined dimension but the layer "
            f"received an input with shape {inputs.shape}."
        )
    channels = dims[ax]
    reduce_axes = [i for i in range(rank) if i != ax]
    dtype = inputs.dtype.base_dtype
    # TF's fused kernel (4-D input, fused not False) updates the moving variance with the
    # unbiased (n / (n - 1)) batch variance; the plain one with the biased variance
    unbiased_moving_variance = rank == 4 and fused is not False

    def param(name_, initializer, default, regularizer=None, constraint=None, train=True):
        return get_variable(
            name_,
            [channels],
            dtype=dtype,
            initializer=initializer or default,
            regularizer=regularizer,
            trainable=trainable and train,
            constraint=constraint,
        )

    with _layer_scope(name, "batch_normalization", reuse):
        gamma = beta = None
        if scale:
            gamma = param(
                "gamma",
                gamma_initializer,
                init_ops.ones_initializer(),
                gamma_regularizer,
                gamma_constraint,
            )
        if center:
            beta = param(
                "beta",
                beta_initializer,
                init_ops.zeros_initializer(),
                beta_regularizer,
                beta_constraint,
            )
        moving_mean = param(
            "moving_mean", moving_mean_initializer, init_ops.zeros_initializer(), train=False
        )
        moving_variance = param(
            "moving_variance",
            moving_variance_initializer,
            init_ops.ones_initializer(),
            train=False,
        )
        broadcast = [1] * rank
        broadcast[ax] = channels

        def per_channel(t):  # reshaped to broadcast along `axis` (a no-op for the last axis)
            return t if ax == rank - 1 or t is None else reshape(t, broadcast)

        if _is_python_bool(training) and not training:
            mean, variance = moving_mean, moving_variance
        else:
            batch_mean, batch_variance = nn_extra_ops.moments(inputs, reduce_axes)
            if _is_python_bool(training):
                mean, variance = batch_mean, batch_variance
                weight = None
            else:  # a tensor: TF uses tf.cond; tfteach selects, and weighs the update by it
                is_training = convert_to_tensor(training, dtype=dtypes.bool)
                mean = where(is_training, batch_mean, moving_mean)
                variance = where(is_training, batch_variance, moving_variance)
                weight = math_ops.cast(is_training, dtype)
            moving_target = batch_variance
            if unbiased_moving_variance:
                n = math.prod(dims[i] for i in reduce_axes) if None not in dims else None
                if n is not None and n > 1:
                    moving_target = batch_variance * (n / (n - 1))
            _add_moving_average_updates(
                [(moving_mean, batch_mean), (moving_variance, moving_target)], momentum, weight
            )
        return nn_extra_ops.batch_normalization(
            inputs,
            per_channel(mean),
            per_channel(variance),
            per_channel(beta),
            per_channel(gamma),
            epsilon,
        )


def _add_moving_average_updates(pairs, momentum: float, weight) -> None:
    """``moving -= (moving - value) * (1 - momentum)`` for each pair, as ``AssignMovingAvg``
    ops in ``UPDATE_OPS``; ``weight`` (0 or 1, when ``training`` is a tensor) turns it off."""
    graph = get_default_graph()
    for i, (moving, value) in enumerate(pairs):
        name = "AssignMovingAvg" if i == 0 else f"AssignMovingAvg_{i}"
        with graph.name_scope(name) as scope:
            decay = convert_to_tensor(1.0 - momentum, dtype=moving.dtype.base_dtype, name="decay")
            if weight is not None:
                decay = decay * weight
            update = assign_sub(moving, (moving - value) * decay, name=scope)
        graph.add_to_collection(GraphKeys.UPDATE_OPS, update.op)


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use
