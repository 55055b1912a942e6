"""``tf.layers``: TF 1.x's layers, as classes (``Dense``, ``Conv2D``, ``MaxPooling2D``,
``AveragePooling2D``, ``Flatten``, ``Dropout``, ``BatchNormalization``) and as functions
(``dense``, ``conv2d``... each makes a layer object and calls it once, as TF's do).

A layer object is built on its first call: it opens ``variable_scope(None,
default_name="dense")`` (so ``dense``, ``dense_1``...) and makes its variables with
``get_variable``: ``dense/kernel``, ``dense/bias``. A later call re-enters that same scope
with ``reuse=True``, so one layer object called on two inputs shares its weights.
``reuse``, enclosing variable scopes and the default Glorot uniform kernel initializer behave
exactly as for ``get_variable``. A failing call leaves the graph (and the layer) as it was.

``layer.name`` is not the scope's name: as TF's (Keras') layers, a layer without a name is
named ``dense_1``, ``dense_2``... (counted per graph, from 1) when it is made, while its
variables go under the first unused scope name (``dense``, ``dense_1``...).
"""

from __future__ import annotations

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
    "AveragePooling2D",
    "BatchNormalization",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "MaxPooling2D",
    "average_pooling2d",
    "batch_normalization",
    "conv2d",
    "dense",
    "dropout",
    "flatten",
    "max_pooling2d",
]


def _unique_layer_name(base: str) -> str:
    """``dense_1``, ``dense_2``... : Keras' per-graph count of layers made without a name."""
    counts = get_default_graph()._extras.setdefault("layer_name_counts", {})
    counts[base] = counts.get(base, 0) + 1
    return f"{base}_{counts[base]}"


class Layer:
    """The base of the layer classes. ``__init__`` keeps the settings; ``build(input_shape)``
    makes the variables (once, on the first call, when the input's shape is known, with
    `add_weight`); ``call(inputs)`` computes the output. ``layer(x)`` (or ``layer.apply(x)``)
    runs them inside the layer's variable scope."""

    _default_name = "layer"  # the scope name of a layer without a name (dense, conv2d...)

    def __init__(self, trainable: bool = True, name: str | None = None, _scope=None, _reuse=None):
        self.trainable = trainable
        self._name = name or _unique_layer_name(self._default_name)
        self._scope_base = name or self._default_name
        self._scope_name = _scope  # the functions pass their name: variable_scope(name)
        self._reuse = _reuse
        self._scope = None  # the VariableScope, once the first call opened it
        self.built = False
        self._weights: list[tuple[object, bool]] = []  # (variable, trainable)
        self._updates: list = []

    @property
    def name(self) -> str:
        return self._name

    def build(self, input_shape) -> None:
        """Makes the layer's variables for inputs of ``input_shape``."""

    def call(self, inputs, **kwargs) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not define call().")

    def add_weight(
        self,
        name,
        shape,
        dtype,
        initializer=None,
        regularizer=None,
        trainable=True,
        constraint=None,
    ):
        """``get_variable(name, ...)`` in the layer's scope, remembered by the layer."""
        variable = get_variable(
            name,
            shape,
            dtype=dtype,
            initializer=initializer,  # None: get_variable's Glorot uniform
            regularizer=regularizer,
            trainable=self.trainable and trainable,
            constraint=constraint,
        )
        self._weights.append((variable, trainable))
        return variable

    def __call__(self, inputs, **kwargs) -> Tensor:
        inputs = convert_to_tensor(inputs)
        graph = get_default_graph()
        saved = dict(self.__dict__, _weights=list(self._weights), _updates=list(self._updates))
        try:
            with graph._transaction():
                if self._scope is None:  # the first call: open a new scope (dense, dense_1...)
                    name = self._scope_name
                    if self._reuse and name is None:
                        name = self._scope_base
                    scope = variable_scope(name, default_name=self._scope_base, reuse=self._reuse)
                    with scope as opened:
                        self._scope, self._dtype = opened, inputs.dtype.base_dtype
                        self.build(inputs.shape)
                        self.built = True
                        return self.call(inputs, **kwargs)
                self._check_input(inputs)
                # later calls: back into the same variable scope and name scope, reusing
                with (
                    variable_scope(self._scope, reuse=True, auxiliary_name_scope=False),
                    graph.name_scope(self._scope.original_name_scope),
                ):
                    return self.call(inputs, **kwargs)
        except BaseException:  # the graph took back what the call made; so does the layer
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def apply(self, inputs, *args, **kwargs) -> Tensor:
        """The same as calling the layer: ``layer.apply(x) == layer(x)``."""
        return self.__call__(inputs, *args, **kwargs)

    # which input dimensions the built layer needs: {axis: size}
    _input_axes: dict[int, int] = {}

    def _check_input(self, inputs) -> None:
        dims = inputs.shape.as_tuple()
        if dims is None:
            return
        for axis, size in self._input_axes.items():
            if -len(dims) <= axis < len(dims) and dims[axis] not in (size, None):
                raise ValueError(
                    f'Input 0 of layer "{self.name}" is incompatible with the layer: expected '
                    f"axis {axis} of input shape to have value {size}, but received input "
                    f"with shape {tuple(dims)}"  # Keras shows (None, 4), not TF1's (?, 4)
                )

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [v for v, trainable in self._weights if trainable]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return [v for v, _ in self._weights]
        return [v for v, trainable in self._weights if not trainable]

    non_trainable_variables = non_trainable_weights

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    variables = weights

    @property
    def updates(self) -> list:
        """The ops this layer's calls made that must run for training (BatchNormalization's
        moving averages; they are in ``UPDATE_OPS`` too)."""
        return list(self._updates)

    def __repr__(self) -> str:
        return f"<tfteach.layers.{type(self).__name__} name={self.name!r} built={self.built}>"


def _bias_and_activation(layer, outputs) -> Tensor:
    if layer.use_bias:
        outputs = nn_ops.bias_add(outputs, layer.bias)
    return outputs if layer.activation is None else layer.activation(outputs)


def _refuse_activity_regularizer(activity_regularizer) -> None:
    if activity_regularizer is not None:
        raise ValueError("tfteach's tf.layers do not support activity_regularizer yet.")


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``, with ``<name>/kernel`` of shape
    ``[inputs.shape[-1], units]`` and ``<name>/bias`` of shape ``[units]``."""

    _default_name = "dense"

    def __init__(
        self,
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
        **kwargs,
    ):
        _refuse_activity_regularizer(activity_regularizer)
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape) -> None:
        dims = input_shape.as_tuple()
        if dims is None or dims[-1] is None:
            raise ValueError(
                "The last dimension of the inputs to a Dense layer should be defined. Found "
                f"None. Full input shape received: {input_shape}"
            )
        self._input_axes = {-1: dims[-1]}
        self.kernel = self.add_weight(
            "kernel",
            [dims[-1], self.units],
            self._dtype,
            self.kernel_initializer,
            self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                [self.units],
                self._dtype,
                self.bias_initializer or init_ops.zeros_initializer(),
                self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs) -> Tensor:
        dims = inputs.shape.as_tuple()
        if dims is None or any(d is None for d in dims[1:]):
            raise ValueError(
                f"tfteach's dense needs every dimension but the first known, got {inputs.shape}."
            )
        if len(dims) == 2:
            outputs = math_ops.matmul(inputs, self.kernel)
        else:  # TF's tensordot: fold the leading dimensions into one, multiply, unfold
            flat = reshape(inputs, [-1, dims[-1]])
            outputs = reshape(math_ops.matmul(flat, self.kernel), [-1, *dims[1:-1], self.units])
        return _bias_and_activation(self, outputs)


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


def _channels_last(data_format: str | None) -> None:
    if data_format not in (None, "channels_last"):  # None: Keras' default, channels_last
        raise ValueError(
            f"tfteach's tf.layers support data_format='channels_last' only, got "
            f"{data_format!r}: transpose the input to (batch, height, width, channels)."
        )


class Conv2D(Layer):
    """A 2-D convolution of NHWC ``inputs`` with ``<name>/kernel`` of shape
    ``[kh, kw, in_channels, filters]``, plus ``<name>/bias`` and the activation."""

    _default_name = "conv2d"

    def __init__(
        self,
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
        **kwargs,
    ):
        _channels_last(data_format)
        if _pair(dilation_rate, "dilation_rate") != (1, 1):
            raise ValueError("tfteach's conv2d supports dilation_rate=(1, 1) only.")
        _refuse_activity_regularizer(activity_regularizer)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.filters = int(filters)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape) -> None:
        dims = input_shape.as_tuple()
        if dims is None or len(dims) != 4 or dims[-1] is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The input_shape "
                f"received is {input_shape}, where axis -1 (0-based) is the channel dimension, "
                "which found to be `None`."
            )
        self._input_axes = {-1: dims[-1]}
        self.kernel = self.add_weight(
            "kernel",
            [*self.kernel_size, dims[-1], self.filters],
            self._dtype,
            self.kernel_initializer,
            self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                [self.filters],
                self._dtype,
                self.bias_initializer or init_ops.zeros_initializer(),
                self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs) -> Tensor:
        outputs = nn_ops.conv2d(inputs, self.kernel, [1, *self.strides, 1], self.padding)
        return _bias_and_activation(self, outputs)


class _Pooling2D(Layer):
    _pool = staticmethod(nn_ops.max_pool)

    def __init__(
        self,
        pool_size,
        strides,
        padding: str = "valid",
        data_format: str = "channels_last",
        name: str | None = None,
        **kwargs,
    ):
        _channels_last(data_format)
        self.pool_size = _pair(pool_size, "pool_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        super().__init__(name=name, **kwargs)

    def call(self, inputs) -> Tensor:
        return self._pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class MaxPooling2D(_Pooling2D):
    """The maximum of each ``pool_size`` window (``max_pooling2d/MaxPool``)."""

    _default_name = "max_pooling2d"
    _pool = staticmethod(nn_ops.max_pool)


class AveragePooling2D(_Pooling2D):
    """The mean of each ``pool_size`` window (``average_pooling2d/AvgPool``)."""

    _default_name = "average_pooling2d"
    _pool = staticmethod(nn_extra_ops.avg_pool)


class Flatten(Layer):
    """``inputs`` reshaped to ``(batch, everything else)``."""

    _default_name = "flatten"

    def __init__(self, data_format: str | None = None, name: str | None = None, **kwargs):
        _channels_last(data_format)
        super().__init__(name=name, **kwargs)

    def call(self, inputs) -> Tensor:
        dims = inputs.shape.as_tuple()
        if dims is not None and all(d is not None for d in dims[1:]):
            return reshape(inputs, [-1, math.prod(dims[1:])])
        batch = _slice(shape(inputs), [0], [1])
        return reshape(inputs, concat([batch, [-1]], 0))


def _is_python_bool(training) -> bool:
    return isinstance(training, bool)


class Dropout(Layer):
    """While ``training`` (a call argument: a Python bool or a boolean tensor; False by
    default!), zeroes each element with probability ``rate`` and scales the rest by
    ``1 / (1 - rate)``; otherwise passes ``inputs`` through."""

    _default_name = "dropout"

    def __init__(self, rate: float = 0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False) -> Tensor:
        def drop():
            return nn_extra_ops.dropout(
                inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate
            )

        if _is_python_bool(training):
            return drop() if training else identity(inputs)
        # a tensor: tf.cond, as TF, so a run that is not training draws no random numbers
        # (and the next training run gets the draw a fresh op would give)
        return control_flow_ops.cond(
            convert_to_tensor(training, dtype=dtypes.bool), drop, lambda: identity(inputs)
        )


class BatchNormalization(Layer):
    """Normalizes ``inputs`` per channel (``axis``): with the batch's mean and variance while
    ``training`` (a call argument), else with the moving averages ``<name>/moving_mean`` and
    ``<name>/moving_variance``; then scales by ``gamma`` and shifts by ``beta``.

    While training, the ops that update the moving averages go into ``UPDATE_OPS`` (and
    ``layer.updates``) and run only if you make the train op depend on them (``with
    tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):``); forget it, and
    the moving averages stay at their initial 0 and 1, so inference normalizes wrongly.
    """

    _default_name = "batch_normalization"

    def __init__(
        self,
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
        renorm: bool = False,
        renorm_clipping=None,
        renorm_momentum: float = 0.99,
        fused=None,
        trainable: bool = True,
        virtual_batch_size=None,
        adjustment=None,
        name: str | None = None,
        **kwargs,
    ):
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise ValueError(
                "tfteach's batch_normalization does not support renorm, virtual_batch_size or "
                "adjustment."
            )
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer = beta_initializer or init_ops.zeros_initializer()
        self.gamma_initializer = gamma_initializer or init_ops.ones_initializer()
        self.moving_mean_initializer = moving_mean_initializer or init_ops.zeros_initializer()
        self.moving_variance_initializer = (
            moving_variance_initializer or init_ops.ones_initializer()
        )
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape) -> None:
        dims = input_shape.as_tuple()
        if dims is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        rank = len(dims)
        ax = self.axis + rank if self.axis < 0 else self.axis
        if not 0 <= ax < rank:
            raise ValueError(f"Invalid axis: {self.axis}")
        if dims[ax] is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                f"layer received an input with shape {input_shape}."
            )
        self._axis, self._rank, self._input_axes = ax, rank, {ax: dims[ax]}
        channels = [dims[ax]]
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                channels,
                self._dtype,
                self.gamma_initializer,
                self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                channels,
                self._dtype,
                self.beta_initializer,
                self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self.add_weight(
            "moving_mean", channels, self._dtype, self.moving_mean_initializer, trainable=False
        )
        self.moving_variance = self.add_weight(
            "moving_variance",
            channels,
            self._dtype,
            self.moving_variance_initializer,
            trainable=False,
        )

    def call(self, inputs, training=False) -> Tensor:
        dims = inputs.shape.as_tuple()
        ax, rank = self._axis, self._rank
        if dims is None or len(dims) != rank:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected '
                f"ndim={rank}, found ndim={None if dims is None else len(dims)}. Full shape "
                f"received: {inputs.shape}"
            )
        reduce_axes = [i for i in range(rank) if i != ax]
        broadcast = [1] * rank
        broadcast[ax] = dims[ax]

        def per_channel(t):  # reshaped to broadcast along `axis` (a no-op for the last axis)
            return t if ax == rank - 1 or t is None else reshape(t, broadcast)

        if _is_python_bool(training) and not training:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            mean, variance = self._batch_moments(inputs, dims, reduce_axes, training)
        return nn_extra_ops.batch_normalization(
            inputs,
            per_channel(mean),
            per_channel(variance),
            per_channel(self.beta),
            per_channel(self.gamma),
            self.epsilon,
        )

    def _batch_moments(self, inputs, dims, reduce_axes, training):
        """The batch's mean and variance (or, when ``training`` is a tensor, the moving ones
        while it is False), adding the moving averages' update ops."""
        batch_mean, batch_variance = nn_extra_ops.moments(inputs, reduce_axes)
        if _is_python_bool(training):
            mean, variance = batch_mean, batch_variance
            weight = None
        else:  # a tensor: TF uses tf.cond; tfteach selects, and weighs the update by it
            is_training = convert_to_tensor(training, dtype=dtypes.bool)
            mean = where(is_training, batch_mean, self.moving_mean)
            variance = where(is_training, batch_variance, self.moving_variance)
            weight = math_ops.cast(is_training, self._dtype)
        # TF's fused kernel (4-D input, fused not False) updates the moving variance with the
        # unbiased (n / (n - 1)) batch variance; the plain one with the biased variance
        moving_target = batch_variance
        if self._rank == 4 and self.fused is not False:
            n = math.prod(dims[i] for i in reduce_axes) if None not in dims else None
            if n is not None and n > 1:
                moving_target = batch_variance * (n / (n - 1))
        pairs = [(self.moving_mean, batch_mean), (self.moving_variance, moving_target)]
        self._updates += _add_moving_average_updates(pairs, self.momentum, weight)
        return mean, variance


def _add_moving_average_updates(pairs, momentum: float, weight) -> list:
    """``moving -= (moving - value) * (1 - momentum)`` for each pair, as ``AssignMovingAvg``
    ops in ``UPDATE_OPS``; ``weight`` (0 or 1, when ``training`` is a tensor) turns it off.
    Returns the ops."""
    graph = get_default_graph()
    updates = []
    for moving, value in pairs:
        with graph.name_scope("AssignMovingAvg") as scope:  # then AssignMovingAvg_1...
            decay = convert_to_tensor(1.0 - momentum, dtype=moving.dtype.base_dtype, name="decay")
            if weight is not None:
                decay = decay * weight
            update = assign_sub(moving, (moving - value) * decay, name=scope)
        graph.add_to_collection(GraphKeys.UPDATE_OPS, update.op)
        updates.append(update.op)
    return updates


# -- the functions: each makes a layer named (and scoped) by `name` and calls it once --------


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
    """``Dense(units, ...)(inputs)``: ``activation(inputs @ kernel + bias)``."""
    layer = Dense(
        units,
        activation,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer,
        bias_regularizer,
        activity_regularizer,
        kernel_constraint,
        bias_constraint,
        trainable,
        name,
        _scope=name,
        _reuse=reuse,
    )
    return layer(inputs)


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
    """``Conv2D(filters, kernel_size, ...)(inputs)``: a 2-D convolution of NHWC inputs."""
    layer = Conv2D(
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        activation,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer,
        bias_regularizer,
        activity_regularizer,
        kernel_constraint,
        bias_constraint,
        trainable,
        name,
        _scope=name,
        _reuse=reuse,
    )
    return layer(inputs)


def max_pooling2d(
    inputs,
    pool_size,
    strides,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> Tensor:
    """``MaxPooling2D(pool_size, strides, ...)(inputs)``."""
    layer = MaxPooling2D(pool_size, strides, padding, data_format, name, _scope=name)
    return layer(inputs)


def average_pooling2d(
    inputs,
    pool_size,
    strides,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> Tensor:
    """``AveragePooling2D(pool_size, strides, ...)(inputs)``."""
    layer = AveragePooling2D(pool_size, strides, padding, data_format, name, _scope=name)
    return layer(inputs)


def flatten(inputs, name: str | None = None, data_format: str = "channels_last") -> Tensor:
    """``Flatten()(inputs)``: ``inputs`` reshaped to ``(batch, everything else)``."""
    return Flatten(data_format, name, _scope=name)(inputs)


def dropout(
    inputs,
    rate: float = 0.5,
    noise_shape=None,
    seed=None,
    training=False,
    name: str | None = None,
) -> Tensor:
    """``Dropout(rate, ...)(inputs, training=training)``; ``training`` is False by default!"""
    return Dropout(rate, noise_shape, seed, name, _scope=name)(inputs, training=training)


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
    """``BatchNormalization(axis, ...)(inputs, training=training)``: see the class; while
    training, remember the ``UPDATE_OPS``."""
    layer = BatchNormalization(
        axis=axis,
        momentum=momentum,
        epsilon=epsilon,
        center=center,
        scale=scale,
        beta_initializer=beta_initializer,
        gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer,
        gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint,
        gamma_constraint=gamma_constraint,
        renorm=renorm,
        renorm_clipping=renorm_clipping,
        renorm_momentum=renorm_momentum,
        fused=fused,
        trainable=trainable,
        virtual_batch_size=virtual_batch_size,
        adjustment=adjustment,
        name=name,
        _scope=name,
        _reuse=reuse,
    )
    return layer(inputs, training=training)


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use
