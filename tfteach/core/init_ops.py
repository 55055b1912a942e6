"""Initializers: TF1's ``tf.*_initializer`` family with its exact mathematics.

An initializer is a callable ``init(shape, dtype=None, partition_info=None)``: it builds,
in the current name scope, the ops TensorFlow builds (``random_uniform``,
``truncated_normal``, ``zeros``, ``Const``, ...) and returns their tensor. Random ones take
``seed`` and follow `set_random_seed` through `random_ops`.

For teaching, ``init.explain(shape)`` (or `explain`) returns what the initializer will
draw for a shape: the fans, the n and scale it uses, the distribution, its mean, standard
deviation or bound, and a one-line formula such as
``limit = sqrt(6 / (784 + 200)) = 0.0781``.
"""

from __future__ import annotations

import math

import numpy as np

from . import dtypes, random_ops
from .array_ops import ones, reshape, transpose, zeros
from .constant_op import constant, constant_value, to_numpy
from .dtypes import DType, as_dtype
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
from .math_ops import sign
from .registry import register
from .tensor_shape import TensorShape

# The standard deviation of a unit normal truncated at +-2.
_TRUNCATED_STD = random_ops.TRUNCATED_NORMAL_STD

EXPLAIN_KEYS = (
    "name",
    "distribution",
    "fan_in",
    "fan_out",
    "mode",
    "n",
    "scale",
    "mean",
    "stddev",
    "limit",
    "param_stddev",
    "formula",
)


# -- shapes and fans -------------------------------------------------------------------


def _static_dims(shape) -> list[int]:
    """``shape`` (list, tuple, TensorShape or int) as a list of ints."""
    if _plain_dims(shape):  # the common case
        return list(shape)
    if isinstance(shape, Tensor):
        value = constant_value(shape)
        if value is None:
            raise TypeError(
                f"This initializer needs the shape as a list of ints, got the tensor "
                f"{shape.name}. Pass the shape as a list, e.g. [784, 200]."
            )
        shape = np.reshape(value, -1).tolist()
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    elif isinstance(shape, (int, np.integer)):
        shape = [shape]
    dims = list(shape)
    if any(d is None or (hasattr(d, "value") and d.value is None) for d in dims):
        raise TypeError(
            f"Cannot initialize a tensor of partly unknown shape {dims}: every dimension "
            "must be known. Give the full shape."
        )
    return [int(d) for d in dims]


def _compute_fans(shape) -> tuple[int, int]:
    """TF's (fan_in, fan_out) for a shape: scalar (1, 1); 1-D (n, n); 2-D (rows, cols);
    convolution kernels multiply both by the receptive field ``prod(shape[:-2])``."""
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape[0], shape[1]
    else:
        receptive_field = math.prod(shape[:-2])
        fan_in = shape[-2] * receptive_field
        fan_out = shape[-1] * receptive_field
    return int(fan_in), int(fan_out)


def _assert_float_dtype(dtype: DType) -> DType:
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


def _num(x) -> str:
    """An input number as a formula shows it: ``784``, ``6``, ``1.43``."""
    return f"{x:.4g}"


def _res(x) -> str:
    """A computed number as a formula shows it: three significant digits."""
    return f"{x:.3g}"


def _plain_dims(shape) -> bool:
    """Is ``shape`` a list or tuple of plain ints?"""
    if type(shape) is not list and type(shape) is not tuple:
        return False
    for d in shape:  # noqa: SIM110 (a loop: all() over a generator costs more, per call)
        if type(d) is not int:
            return False
    return True


# -- the base class ----------------------------------------------------------------------


class Initializer:
    """Base class of all initializers: ``init(shape, dtype=None, partition_info=None)``
    returns a tensor of initial values for ``shape``."""

    dtype: DType = dtypes.float32
    teaching_name = "initializer"

    @atomic
    def __call__(self, shape, dtype=None, partition_info=None) -> Tensor:
        """A tensor of ``shape`` and ``dtype`` (default: the initializer's dtype), built in
        the current name scope."""
        return self._build(shape, self._dtype(dtype), partition_info)

    def _build(self, shape, dtype: DType, partition_info) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict):
        """An initializer made from a `get_config` dict."""
        return cls(**config)

    def __repr__(self) -> str:
        # its arguments, not TF's "object at 0x..." (stable in stored notebook outputs)
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"

    def explain(self, shape, dtype=None) -> dict:
        """What this initializer draws for ``shape``: a dict with the keys `EXPLAIN_KEYS`
        (name, distribution, fans, mode, n, scale, mean, stddev, limit, param_stddev, formula);
        keys that do not apply are None."""
        dims = _static_dims(shape)
        fan_in, fan_out = _compute_fans(dims)
        info = dict.fromkeys(EXPLAIN_KEYS)
        info.update(name=self.teaching_name, fan_in=fan_in, fan_out=fan_out)
        info.update(self._explain(dims, self._dtype(dtype)))
        return info

    def _explain(self, dims: list[int], dtype: DType) -> dict:
        raise TypeError(
            f"{type(self).__name__} does not describe what it draws: explain() works for "
            "the initializers tfteach provides (tf.glorot_uniform_initializer, ...)."
        )

    def _dtype(self, dtype) -> DType:
        return self.dtype if dtype is None else as_dtype(dtype)


def _require_float(name: str, dtype: DType) -> None:
    """explain() for a distribution that only floating-point dtypes can hold."""
    if not dtype.is_floating:
        raise ValueError(
            f"{name} draws floating-point values; dtype {dtype.name} cannot hold them. "
            "Use a floating-point dtype such as tf.float32."
        )


# -- constants ------------------------------------------------------------------------------


class Zeros(Initializer):
    """Initializer that generates tensors initialized to 0."""

    teaching_name = "zeros"

    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def _build(self, shape, dtype, partition_info):
        return zeros(shape, dtype)

    def get_config(self) -> dict:
        return {"dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        return _constant_explanation(0.0, "every value is 0")


class Ones(Initializer):
    """Initializer that generates tensors initialized to 1."""

    teaching_name = "ones"

    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def _build(self, shape, dtype, partition_info):
        return ones(shape, dtype)

    def get_config(self) -> dict:
        return {"dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        return _constant_explanation(1.0, "every value is 1")


def _constant_explanation(mean, formula, stddev=0.0) -> dict:
    return {"distribution": "constant", "mean": mean, "stddev": stddev, "formula": formula}


class Constant(Initializer):
    """Initializer that generates tensors with constant values: a scalar fills the shape;
    a list or array is laid out in row-major order, the last value repeating to fill the
    rest (more values than the shape holds is an error)."""

    teaching_name = "constant"

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(
                f"Invalid type for initial value={value} of type: {type(value).__name__}. "
                "Expected Python scalar, list or tuple of values, or numpy.ndarray."
            )
        self.value = value
        self.dtype = as_dtype(dtype)
        self._verify_shape = verify_shape

    @atomic
    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None) -> Tensor:
        if verify_shape is None:
            verify_shape = self._verify_shape
        dtype = self._dtype(dtype)
        values = _lay_out(self.value, _static_dims(shape), dtype, verify_shape)
        return constant(values, dtype=dtype, name="Const")

    def get_config(self) -> dict:
        return {"value": self.value, "dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        given = to_numpy(self.value, dtype)
        size = math.prod(dims)
        if given.size > size:
            _lay_out(self.value, dims, dtype, False)  # raises TF's error
        if given.dtype.kind not in "biuf" or size == 0:
            return _constant_explanation(None, "no values", stddev=None)
        flat = given.reshape(-1).astype(np.float64)
        if flat.size <= 1:
            value = flat[0] if flat.size else 0.0
            return _constant_explanation(float(value), f"every value is {_num(value)}")
        # the values as laid out: the given ones, then the last repeated
        repeats = size - flat.size
        mean = (flat.sum() + repeats * flat[-1]) / size
        square = (np.square(flat).sum() + repeats * flat[-1] ** 2) / size
        stddev = math.sqrt(max(square - mean**2, 0.0))
        formula = f"{flat.size} given values laid out row-major into {tuple(dims)}"
        if repeats:
            formula += f", the last ({_num(flat[-1])}) repeated {repeats} more times"
        return _constant_explanation(float(mean), formula, stddev=stddev)


def _lay_out(value, dims: list[int], dtype: DType, verify_shape: bool) -> np.ndarray:
    """``value`` laid out into ``dims`` as TF1's ``constant(value, shape=dims)`` does."""
    shape = tuple(dims)
    size = math.prod(shape)
    if size == 0:
        return np.empty(shape, dtype=dtype.np_dtype)
    given = to_numpy(value, dtype)
    if verify_shape and given.shape != shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, but got {given.shape}.")
    if given.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size}, but got {given.size}.")
    if given.size == size:
        return given.reshape(shape)
    out = np.empty(shape, dtype=given.dtype)
    flat, source = out.reshape(-1), given.reshape(-1)
    flat[: source.size] = source
    if source.size:
        flat[source.size :] = source[-1]
    else:  # no values at all: TF fills with the dtype's zero
        flat[:] = b"" if given.dtype.kind == "O" else 0
    return out


# -- plain distributions ---------------------------------------------------------------------


def _number(x):
    """A Python float for a number or a constant scalar tensor (None if not known)."""
    if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
        x = constant_value(x if isinstance(x, Tensor) else x._as_tensor())
        if x is None:
            return None
    return float(x)


class RandomUniform(Initializer):
    """Initializer that generates tensors with a uniform distribution in
    ``[minval, maxval)`` (``maxval`` defaults to 1 for floating-point dtypes)."""

    teaching_name = "random_uniform"

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = as_dtype(dtype)

    def _build(self, shape, dtype, partition_info):
        return random_ops.random_uniform(shape, self.minval, self.maxval, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {
            "minval": self.minval,
            "maxval": self.maxval,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }

    def _explain(self, dims, dtype):
        if dtype.is_integer and self.maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        low = _number(self.minval)
        high = 1.0 if self.maxval is None else _number(self.maxval)
        info = {"distribution": "uniform", "mean": None, "stddev": None}
        if low is None or high is None:
            info["formula"] = "uniform between two tensors whose values are known only when run"
            return info
        info["limit"] = max(abs(low), abs(high))
        width = f"({_num(high)} - {_num(low)})"
        if dtype.is_integer:
            # a discrete uniform over the integers low .. high - 1
            info["mean"] = (low + high - 1) / 2
            info["stddev"] = math.sqrt(((high - low) ** 2 - 1) / 12)
            spread = f"sqrt(({width}^2 - 1) / 12)"
        else:
            info["mean"] = (low + high) / 2
            info["stddev"] = (high - low) / math.sqrt(12)
            spread = f"{width} / sqrt(12)"
        info["formula"] = (
            f"uniform in [{_num(low)}, {_num(high)}): mean {_res(info['mean'])}, "
            f"stddev {spread} = {_res(info['stddev'])}"
        )
        return info


class _MeanStddev(Initializer):
    """The arguments and config the two normal initializers share."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def get_config(self) -> dict:
        return {
            "mean": self.mean,
            "stddev": self.stddev,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


class RandomNormal(_MeanStddev):
    """Initializer that generates tensors with a normal distribution."""

    teaching_name = "random_normal"

    def _build(self, shape, dtype, partition_info):
        return random_ops.random_normal(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        mean, stddev = _number(self.mean), _number(self.stddev)
        return {
            "distribution": "normal",
            "mean": mean,
            "stddev": stddev,
            "formula": f"normal with mean {_num(mean)} and stddev {_num(stddev)}",
        }


class TruncatedNormal(_MeanStddev):
    """Initializer that generates a truncated normal distribution: values more than two
    standard deviations from the mean are drawn again."""

    teaching_name = "truncated_normal"

    def _build(self, shape, dtype, partition_info):
        return random_ops.truncated_normal(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        mean, param = _number(self.mean), _number(self.stddev)
        realized = param * _TRUNCATED_STD
        return {
            "distribution": "truncated_normal",
            "mean": mean,
            "stddev": realized,
            "param_stddev": param,
            "formula": (
                f"values within {_num(mean)} ± 2 · {_num(param)}; realized std "
                f"{_num(param)} · 0.8796 = {_res(realized)}"
            ),
        }


class UniformUnitScaling(Initializer):
    """Initializer that keeps the scale of the input variance: uniform in
    ``±sqrt(3 / input_size) · factor`` with ``input_size = prod(shape[:-1])``.
    (Deprecated in TF: variance_scaling with distribution="uniform" does the same.)"""

    teaching_name = "uniform_unit_scaling"

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor = factor
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def _limit(self, dims) -> tuple[float, float]:
        input_size = max(float(math.prod(dims[:-1])), 1.0)
        return input_size, math.sqrt(3 / input_size) * self.factor

    def _build(self, shape, dtype, partition_info):
        scale_shape = shape if partition_info is None else partition_info.full_shape
        _, limit = self._limit(_static_dims(scale_shape))
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        input_size, limit = self._limit(dims)
        return {
            "distribution": "uniform",
            "n": int(input_size),
            "scale": self.factor,
            "mean": 0.0,
            "stddev": limit / math.sqrt(3),
            "limit": limit,
            "formula": (
                f"limit = sqrt(3 / {int(input_size)}) · {_num(self.factor)} = {_res(limit)}"
            ),
        }


# -- variance scaling and its presets ---------------------------------------------------------


class VarianceScaling(Initializer):
    """Initializer whose values have variance ``scale / n``, n being fan_in, fan_out or
    their mean (``mode``). ``distribution``: "truncated_normal" (stddev parameter
    ``sqrt(scale / n) / 0.8796``, so the truncated values have the target variance),
    "untruncated_normal", "uniform" (limit ``sqrt(3 · scale / n)``), or "normal", a
    deprecated alias of "truncated_normal"."""

    teaching_name = "variance_scaling"

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        dtype=dtypes.float32,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError(
                "Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). "
                f"Received: {mode}"
            )
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            # TF's message, its missing quote included
            raise ValueError(
                "Argument `distribution` should be one of ('normal', uniform', "
                f"'truncated_normal', 'untruncated_normal'). Received: {distribution}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def _variance(self, dims) -> tuple[float, float]:
        """(n, scale / max(1, n)) for a shape."""
        fan_in, fan_out = _compute_fans(dims)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        n = max(1.0, n[self.mode])
        return n, self.scale / n

    def _build(self, shape, dtype, partition_info):
        scale_shape = shape if partition_info is None else partition_info.full_shape
        _, variance = self._variance(_static_dims(scale_shape))
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(variance) / _TRUNCATED_STD
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            stddev = math.sqrt(variance)
            return random_ops.random_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        n, variance = self._variance(dims)
        std = math.sqrt(variance)
        info = {"mode": self.mode, "n": int(n) if n == int(n) else n, "scale": self.scale}
        info["mean"], info["stddev"] = 0.0, std
        ratio = self._ratio_text(dims)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            info.update(distribution="uniform", limit=limit)
            info["formula"] = f"limit = sqrt({ratio(3)}) = {_res(limit)}"
        elif self.distribution == "untruncated_normal":
            info["distribution"] = "normal"
            info["formula"] = f"stddev = sqrt({ratio(1)}) = {_res(std)}"
        else:
            param = std / _TRUNCATED_STD
            info.update(distribution="truncated_normal", param_stddev=param)
            info["formula"] = (
                f"stddev = sqrt({ratio(1)}) / 0.8796 = {_res(param)} (realized std {_res(std)})"
            )
            if self.distribution == "normal":
                info["formula"] += "; 'normal' is TF's deprecated alias of truncated_normal"
        return info

    def _ratio_text(self, dims):
        """A function k -> "k·scale / n" written with the fans: ``6 / (784 + 200)``."""
        fan_in, fan_out = _compute_fans(dims)
        raw = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        raw = raw[self.mode]
        if raw < 1:  # TF divides by max(1, n)
            return lambda k: f"{_num(k * self.scale)} / 1"
        if self.mode == "fan_avg":
            return lambda k: f"{_num(2 * k * self.scale)} / ({fan_in} + {fan_out})"
        return lambda k: f"{_num(k * self.scale)} / {raw}"


class _Preset(VarianceScaling):
    """Variance scaling with fixed (scale, mode, distribution)."""

    _preset: tuple = ()

    def __init__(self, seed=None, dtype=dtypes.float32):
        # TF ignores ``dtype`` here: the initializer's dtype stays float32.
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(_Preset):
    """The Glorot (Xavier) uniform initializer: uniform in ``±sqrt(6 / (fan_in + fan_out))``."""

    teaching_name = "glorot_uniform"
    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """The Glorot (Xavier) normal initializer: truncated normal whose values have variance
    ``2 / (fan_in + fan_out)``."""

    teaching_name = "glorot_normal"
    _preset = (1.0, "fan_avg", "truncated_normal")


class _KerasPreset(_Preset):
    """Keras 1's He and LeCun classes: configured by their seed alone."""

    def __init__(self, seed=None):
        super().__init__(seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class HeNormal(_KerasPreset):
    """He normal: truncated normal whose values have variance ``2 / fan_in``."""

    teaching_name = "he_normal"
    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_KerasPreset):
    """He uniform: uniform in ``±sqrt(6 / fan_in)``."""

    teaching_name = "he_uniform"
    _preset = (2.0, "fan_in", "uniform")


class LecunNormal(_KerasPreset):
    """LeCun normal: truncated normal whose values have variance ``1 / fan_in``."""

    teaching_name = "lecun_normal"
    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_KerasPreset):
    """LeCun uniform: uniform in ``±sqrt(3 / fan_in)``."""

    teaching_name = "lecun_uniform"
    _preset = (1.0, "fan_in", "uniform")


def _variance_scaling_as(preset: type[_KerasPreset], seed) -> VarianceScaling:
    """What ``tf.initializers.he_normal(seed)`` and friends return in TF1: a plain
    VarianceScaling (its config lists every argument), which explains itself by name."""
    scale, mode, distribution = preset._preset
    init = VarianceScaling(scale=scale, mode=mode, distribution=distribution, seed=seed)
    init.teaching_name = preset.teaching_name
    return init


def he_normal(seed=None) -> VarianceScaling:
    """He normal initializer: truncated normal whose values have variance ``2 / fan_in``."""
    return _variance_scaling_as(HeNormal, seed)


def he_uniform(seed=None) -> VarianceScaling:
    """He uniform initializer: uniform in ``±sqrt(6 / fan_in)``."""
    return _variance_scaling_as(HeUniform, seed)


def lecun_normal(seed=None) -> VarianceScaling:
    """LeCun normal initializer: truncated normal whose values have variance ``1 / fan_in``."""
    return _variance_scaling_as(LecunNormal, seed)


def lecun_uniform(seed=None) -> VarianceScaling:
    """LeCun uniform initializer: uniform in ``±sqrt(3 / fan_in)``."""
    return _variance_scaling_as(LecunUniform, seed)


# -- orthogonal and identity ------------------------------------------------------------------


def _matrix_shape_error(shape) -> ValueError:
    return ValueError(
        "The tensor to initialize, specified by argument `shape` must be at least "
        f"two-dimensional. Received shape={shape}"
    )


class Orthogonal(Initializer):
    """Initializer that generates an orthogonal matrix (times ``gain``): the Q of the QR
    decomposition of a standard normal matrix, column signs fixed so Q is uniformly
    distributed. Shapes with more than two dimensions are flattened to
    ``(prod(shape[:-1]), shape[-1])``."""

    teaching_name = "orthogonal"

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(as_dtype(dtype))
        self.seed = seed

    @staticmethod
    def _matrix(shape, dims) -> tuple[int, int]:
        if len(dims) < 2:
            raise _matrix_shape_error(shape)
        return math.prod(dims[:-1]), dims[-1]

    def _build(self, shape, dtype, partition_info):
        dims = _static_dims(shape)
        rows, cols = self._matrix(shape, dims)
        flat_shape = (cols, rows) if rows < cols else (rows, cols)
        a = random_ops.random_normal(flat_shape, dtype=dtype, seed=self.seed)
        q, r = qr(a)
        q = q * sign(diag_part(r))
        if rows < cols:
            with name_scope("matrix_transpose"):
                q = transpose(q, [1, 0], name="transpose")
        return self.gain * reshape(q, dims)

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        rows, cols = self._matrix(dims, dims)
        longest = max(rows, cols)
        rms = abs(self.gain) / math.sqrt(longest) if longest else None
        unit = "columns" if rows >= cols else "rows"
        return {
            "distribution": "orthogonal",
            "scale": self.gain,
            "mean": 0.0,
            "stddev": rms,
            "formula": (
                f"orthonormal {unit} of a {rows}x{cols} matrix (QR of a normal matrix, "
                f"signs fixed) · gain {_num(self.gain)}: rms {_num(self.gain)} / "
                f"sqrt({longest}) = {_res(rms) if rms is not None else 'n/a'}"
            ),
        }


class Identity(Initializer):
    """Initializer that generates the identity matrix (times ``gain``); 2-D shapes only
    (a non-square shape gets ones on its main diagonal)."""

    teaching_name = "identity"

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(as_dtype(dtype))

    def _build(self, shape, dtype, partition_info):
        full = _static_dims(shape if partition_info is None else partition_info.full_shape)
        if len(full) != 2:
            raise _matrix_shape_error(shape)
        eye = np.eye(*full, dtype=dtype.np_dtype)
        if partition_info is not None:
            dims = _static_dims(shape)
            start = partition_info.var_offset
            eye = eye[start[0] : start[0] + dims[0], start[1] : start[1] + dims[1]]
        return self.gain * constant(eye, dtype=dtype, name="eye")

    def get_config(self) -> dict:
        return {"gain": self.gain, "dtype": self.dtype.name}

    def _explain(self, dims, dtype):
        _require_float(self.teaching_name, dtype)
        if len(dims) != 2:
            raise _matrix_shape_error(dims)
        rows, cols = dims
        size = rows * cols
        share = min(rows, cols) / size if size else None  # the diagonal's share of the values
        return {
            "distribution": "identity",
            "scale": self.gain,
            "mean": None if share is None else self.gain * share,
            "stddev": None if share is None else abs(self.gain) * math.sqrt(share * (1 - share)),
            "formula": f"{_num(self.gain)} on the diagonal of a {rows}x{cols} matrix, 0 elsewhere",
        }


# TF1's public names: classes, so ``tf.zeros_initializer()`` is an instance.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity


# -- by name, and explained ----------------------------------------------------------------

_BY_NAME: dict[str, type[Initializer]] = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "random_normal": RandomNormal,
    "truncated_normal": TruncatedNormal,
    "random_uniform": RandomUniform,
    "uniform_unit_scaling": UniformUnitScaling,
    "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal,
    "identity": Identity,
}


def get(identifier) -> Initializer:
    """An initializer instance from a name (``"glorot_uniform"``, ``"he_normal"``, ...; the
    ``_initializer`` suffix is optional), an initializer class, or an instance (returned as
    it is). Named ones take TF1's default arguments."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.removesuffix("_initializer"))
        if cls is None:
            raise ValueError(
                f"Unknown initializer name {identifier!r}. Valid names: "
                f"{', '.join(sorted(_BY_NAME))}."
            )
        return cls()
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. Pass an initializer "
        "such as tf.glorot_uniform_initializer() or one of the names "
        f"{', '.join(sorted(_BY_NAME))}."
    )


def explain(initializer, shape, dtype=None) -> dict:
    """What ``initializer`` (an instance, class or name) draws for ``shape``: see
    `Initializer.explain`."""
    return get(initializer).explain(shape, dtype)


# -- the linear-algebra ops the orthogonal initializer builds -------------------------------
# Qr and DiagPart are used by nothing else yet; they move to a linalg module if one appears
# (the registry refuses an op type registered twice).


def _qr_shape(op):
    a = op.inputs[0]
    dtype = a.dtype.base_dtype
    if a.shape.ndims is None:
        return [(TensorShape(None), dtype), (TensorShape(None), dtype)]
    if a.shape.ndims < 2:
        raise ValueError(
            f"Shape must be at least rank 2 but is rank {a.shape.ndims} for '{op.name}' "
            f"(op: 'Qr') with input shapes: {a.shape._shape_text()}."
        )
    *batch, m, n = a.shape.as_list()
    k = None if m is None or n is None else min(m, n)
    return [(TensorShape([*batch, m, k]), dtype), (TensorShape([*batch, k, n]), dtype)]


@register("Qr", shape=_qr_shape)
def _qr_kernel(ctx, op, a):
    # LAPACK has no half precision: compute in float32
    work = a.astype(np.float32) if a.dtype == np.float16 else a
    q, r = np.linalg.qr(work, mode="reduced")
    return q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)


def qr(input, name: str | None = None) -> tuple[Tensor, Tensor]:
    """The reduced QR decomposition of the inner-most 2-D matrices: (q, r)."""
    op = get_default_graph().create_op("Qr", [input], {"full_matrices": False}, name=name or "Qr")
    return op._first, op.outputs[1]


def _diag_part_shape(op):
    x = op.inputs[0]
    ndims = x.shape.ndims
    if ndims is None:
        return [(TensorShape(None), x.dtype.base_dtype)]
    if ndims % 2 or ndims == 0:
        raise ValueError(
            f"Input must have even and non-zero rank, input rank is {ndims} for '{op.name}' "
            f"(op: 'DiagPart') with input shapes: {x.shape._shape_text()}."
        )
    return [(TensorShape(x.shape.as_list()[: ndims // 2]), x.dtype.base_dtype)]


@register("DiagPart", shape=_diag_part_shape)
def _diag_part_kernel(ctx, op, x):
    half = x.shape[: x.ndim // 2]
    if x.shape[x.ndim // 2 :] != half:
        raise InvalidArgumentError(
            None, op, f"Invalid shape {list(x.shape)}: dimensions must match their counterparts"
        )
    size = math.prod(half)
    return np.diagonal(x.reshape(size, size)).reshape(half).copy()


def diag_part(input, name: str | None = None) -> Tensor:
    """The diagonal of a [d1..dk, d1..dk] tensor, shape [d1..dk]."""
    return get_default_graph().create_op("DiagPart", [input], name=name or "DiagPart")._first
