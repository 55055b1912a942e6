"""Random tensors: `random_normal`, `truncated_normal`, `random_uniform`.

The kernels compute what TensorFlow's CPU kernels compute, bit for bit (`philox`): each op
has a Philox stream per session, keyed by the op's (seed, seed2) attributes, and each run
advances it, so a fresh session restarts every sequence and running the op again continues
it. An op without seeds (no graph seed, no op seed) gets random seeds in each session, as
TensorFlow's does.
"""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np

from . import dtypes, philox
from .constant_op import constant_value, convert_to_tensor, shape_from_tensor, shape_tensor
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import atomic, get_default_graph, name_scope, shared_attrs
from .random_seed import get_seed
from .registry import register, register_plan_rewrite

# A standard normal truncated at +-2 has this standard deviation.
TRUNCATED_NORMAL_STD = 0.87962566103423978


class PhiloxStream:
    """A session's position in one random op's stream: the Philox key (``seed``), the upper
    half of its counter (``seed2``) and how many counter blocks the runs so far used."""

    __slots__ = ("seed", "seed2", "offset")

    def __init__(self, seed: int, seed2: int) -> None:
        self.seed, self.seed2, self.offset = seed, seed2, 0


# Seeds for ops that have none (TF's random::New64): one generator for the process, seeded
# from the operating system's entropy, and not the `random` module's own, which a learner's
# `random.seed(0)` would make repeat (and which these draws would disturb).
_unseeded = random.Random()


def _start_stream(op) -> PhiloxStream:
    seed, seed2 = op._attrs.get("seed"), op._attrs.get("seed2")
    if not seed and not seed2:  # None or (0, 0): TF's GuardedPhiloxRandom picks random seeds
        seed, seed2 = _unseeded.getrandbits(63), _unseeded.getrandbits(63)
    return PhiloxStream(seed, seed2)


def _draw(ctx, op, sampler, shape, *args) -> np.ndarray:
    """Runs ``sampler`` on ``op``'s stream in this session and advances the stream."""
    stream = ctx.op_state(op, _start_stream)
    values, stream.offset = sampler(stream.seed, stream.seed2, stream.offset, shape, *args)
    return values


def _random_shape(op):
    return [(shape_from_tensor(op.inputs[0]), op.get_attr("dtype"))]


def _size(shape_value) -> tuple[int, ...]:
    return tuple(np.asarray(shape_value).reshape(-1).tolist())


_SAMPLERS = {
    "RandomStandardNormal": philox.normal,
    "TruncatedNormal": philox.truncated_normal,
    "RandomUniform": philox.uniform,
}


def fused_scale_shift_kernel(op_type: str):
    """A kernel computing ``random * scale + shift`` in place: what the random op of type
    ``op_type`` followed by TF's ``mul`` and ``AddV2`` ops give, with the same values and
    rounding, without the two temporaries. Its inputs are (shape, scale, shift); ``op`` is
    the random op (for its stream and dtype)."""
    sampler = _SAMPLERS.get(op_type)
    if sampler is None:
        return None

    def kernel(ctx, op, shape, scale, shift):
        values = _draw(ctx, op, sampler, _size(shape), op._attrs["dtype"].np_dtype)
        values *= scale
        values += shift
        return values

    return kernel


# Elements from which fusing pays: below, three small numpy calls cost less than the search.
_FUSE_FROM = 1 << 16


@register_plan_rewrite
def _fuse_scale_shift(order, protected) -> dict:
    """Plan rewrite: ``AddV2(Mul(random, scale), shift)`` with scalar scale and shift,
    whose random and product tensors nothing else in the run uses, is the graph TF builds
    for random_normal, truncated_normal and random_uniform (so for most initializers). A
    large one runs as one step, `fused_scale_shift_kernel`: the same values, without two
    whole-array passes and their temporaries."""
    found: dict = {}
    uses = waited_on = None
    for add in order:
        if add._type != "AddV2":
            continue
        product, shift = add._inputs
        mul = product._op
        if mul._type != "Mul" or shift._shape._dims != ():
            continue
        noise, scale = mul._inputs
        rnd = noise._op
        kernel = fused_scale_shift_kernel(rnd._type)
        if kernel is None or scale._shape._dims != () or noise in protected:
            continue
        if product in protected or (noise._shape.num_elements() or 0) < _FUSE_FROM:
            continue
        if uses is None:  # what the run uses (ops outside it never see its values)
            uses = Counter(t for op in order for t in op._inputs)
            waited_on = {c for op in order for c in op._control_inputs}
        if uses[noise] != 1 or uses[product] != 1 or rnd in waited_on or mul in waited_on:
            continue
        found[add] = (kernel, rnd, (rnd._inputs[0], scale, shift), add._outputs)
        found[mul] = found[rnd] = None
    return found


_BATCHED = {"RandomUniform": "uniform", "RandomStandardNormal": "normal"}


@register_plan_rewrite
def _draw_small_ones_together(order, protected) -> dict:
    """Plan rewrite: the small uniform and normal draws of a run whose shapes are known
    while building (every initial value of `get_variable`: 10,000 of them in one
    ``global_variables_initializer()``) are made in one vectorised step per kind and dtype,
    `philox.sample_many`, which gives each op exactly what its own kernel would; the step
    runs where the first of them stood (it needs no input computed in the run)."""
    groups: dict = {}
    for op in order:
        kind = _BATCHED.get(op._type)
        if kind is None or op._control_inputs:
            continue
        shape = constant_value(op._inputs[0])
        if shape is None:
            continue
        dims = _size(shape)
        if math.prod(dims) >= _FUSE_FROM:
            continue
        groups.setdefault((kind, op._attrs["dtype"].np_dtype), []).append((op, dims))
    found: dict = {}
    for (kind, dtype), members in groups.items():
        if len(members) < 2:
            continue
        ops = [op for op, _ in members]
        outputs = tuple(op._outputs[0] for op in ops)
        found[ops[0]] = (_batch_kernel(kind, dtype, members), ops[0], (), outputs)
        found.update(dict.fromkeys(ops[1:]))
    return found


def _batch_kernel(kind: str, dtype, members):
    def kernel(ctx, op):
        streams = [ctx.op_state(op, _start_stream) for op, _ in members]
        requests = [(s.seed, s.seed2, s.offset, shape) for s, (_, shape) in zip(streams, members)]
        drawn = philox.sample_many(kind, requests, dtype)
        for stream, (_, offset) in zip(streams, drawn):
            stream.offset = offset
        return tuple(values for values, _ in drawn)

    return kernel


@register("RandomStandardNormal", shape=_random_shape)
def _normal_kernel(ctx, op, shape):
    return _draw(ctx, op, philox.normal, _size(shape), op._attrs["dtype"].np_dtype)


@register("TruncatedNormal", shape=_random_shape)
def _truncated_kernel(ctx, op, shape):
    return _draw(ctx, op, philox.truncated_normal, _size(shape), op._attrs["dtype"].np_dtype)


@register("RandomUniform", shape=_random_shape)
def _uniform_kernel(ctx, op, shape):
    return _draw(ctx, op, philox.uniform, _size(shape), op._attrs["dtype"].np_dtype)


@register(
    "RandomUniformInt",
    shape=lambda op: [(shape_from_tensor(op.inputs[0]), op.inputs[1].dtype.base_dtype)],
)
def _uniform_int_kernel(ctx, op, shape, minval, maxval):
    if not minval < maxval:
        raise InvalidArgumentError(None, op, f"Need minval < maxval, got {minval} >= {maxval}")
    return _draw(ctx, op, philox.uniform_int, _size(shape), minval, maxval)


def _random_op(op_type, shape, dtype, seeds, extra=()):
    seed1, seed2 = seeds
    attrs = shared_attrs({"dtype": dtype, "seed": seed1, "seed2": seed2})
    return get_default_graph().create_op(op_type, [shape, *extra], attrs, name=op_type)._first


_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_UNIFORM_DTYPES = (*_FLOATS, dtypes.int32, dtypes.int64)


def _check_float_op_dtype(dtype) -> None:
    """TF's check of a float-only random op's ``dtype`` attribute."""
    if dtype not in _FLOATS:
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            "allowed values: float16, bfloat16, float32, float64"
        )


@atomic
def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Values from a normal distribution: ``mean + stddev * N(0, 1)``."""
    return _normal_like(
        "RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name
    )


@atomic
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values with those beyond two standard deviations drawn again."""
    return _normal_like(
        "TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name
    )


def _normal_like(op_type, default_name, shape, mean, stddev, dtype, seed, name):
    dtype = as_dtype(dtype).base_dtype
    with name_scope(name, default_name) as scope:
        shape_t = shape_tensor(shape, name="shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        seeds = get_seed(seed)  # before the dtype check: TF counts the op seed even then
        _check_float_op_dtype(dtype)
        rnd = _random_op(op_type, shape_t, dtype, seeds)
        graph = get_default_graph()
        mul = graph.create_op("Mul", [rnd, std_t], name="mul")._first
        return graph.create_op("AddV2", [mul, mean_t], name=scope)._first


@atomic
def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in ``[minval, maxval)`` (``maxval`` defaults to 1 for floats)."""
    dtype = as_dtype(dtype).base_dtype
    if dtype not in _UNIFORM_DTYPES:
        raise ValueError(
            f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are (tf.float16, "
            "tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)."
        )
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    # TF skips the arithmetic for the Python ints 0 and 1 (not for 0.0 and 1.0)
    min_is_zero = isinstance(minval, int) and minval == 0
    max_is_one = isinstance(maxval, int) and maxval == 1
    with name_scope(name, "random_uniform") as scope:
        shape_t = shape_tensor(shape, name="shape")
        if not (min_is_zero and max_is_one) or dtype.is_integer:
            min_t = convert_to_tensor(minval, dtype=dtype, name="min")
            max_t = convert_to_tensor(maxval, dtype=dtype, name="max")
        graph = get_default_graph()
        if dtype.is_integer:
            seed1, seed2 = get_seed(seed)
            attrs = {"seed": seed1, "seed2": seed2}
            return graph.create_op(
                "RandomUniformInt", [shape_t, min_t, max_t], attrs, name=scope
            )._first
        rnd = _random_op("RandomUniform", shape_t, dtype, get_seed(seed))
        if min_is_zero:
            if max_is_one:
                return rnd
            return graph.create_op("Mul", [rnd, max_t], name="Mul")._first
        rng = graph.create_op("Sub", [max_t, min_t], name="sub")._first
        mul = graph.create_op("Mul", [rnd, rng], name="mul")._first
        return graph.create_op("AddV2", [mul, min_t], name=scope)._first
