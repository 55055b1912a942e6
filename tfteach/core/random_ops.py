"""Random tensors: `random_normal`, `truncated_normal`, `random_uniform`.

Each random op draws from the session's own numpy `Generator` for that op,
seeded from the (graph seed, op seed) pair the op recorded when it was built:
a fresh session restarts every sequence; running the op again continues it.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from .array_ops import convert_to_tensor, shape_from_tensor, shape_tensor
from .dtypes import as_dtype
from .graph import get_default_graph, name_scope
from .random_seed import get_seed
from .registry import register

# A standard normal truncated at +-2 has this standard deviation.
TRUNCATED_NORMAL_STD = 0.87962566103423978
_BLOCK = 1 << 16  # values drawn per block: keeps the redraw scratch cache-sized


def _random_shape(op):
    return [(shape_from_tensor(op.inputs[0]), op.get_attr("dtype"))]


def _draw_dtype(dtype):
    """numpy's Generator draws float32 and float64 natively; float16 goes through float32."""
    return np.float64 if dtype.np_dtype == np.float64 else np.float32


def _size(shape_value) -> tuple[int, ...]:
    return tuple(int(d) for d in np.reshape(shape_value, -1))


@register("RandomStandardNormal", shape=_random_shape, stateful=True)
def _normal_kernel(ctx, op, shape):
    dtype = op._attrs["dtype"]
    out = ctx.rng(op).standard_normal(_size(shape), dtype=_draw_dtype(dtype))
    return out.astype(dtype.np_dtype, copy=False)


def truncated_standard_normal(rng: np.random.Generator, size, dtype) -> np.ndarray:
    """Standard normal values within [-2, 2]: values outside are drawn again.

    Fills the result block by block; inside a block only the rejected entries
    (about 4.6 %) are redrawn, so the work is about 1.05 draws per value.
    """
    out = np.empty(size, dtype=dtype)
    flat = out.reshape(-1)
    for start in range(0, flat.size, _BLOCK):
        block = flat[start : start + _BLOCK]
        rng.standard_normal(out=block, dtype=dtype)
        bad = np.flatnonzero(np.abs(block) > 2)
        while bad.size:
            redraw = rng.standard_normal(bad.size, dtype=dtype)
            block[bad] = redraw
            bad = bad[np.abs(redraw) > 2]
    return out


@register("TruncatedNormal", shape=_random_shape, stateful=True)
def _truncated_kernel(ctx, op, shape):
    dtype = op._attrs["dtype"]
    out = truncated_standard_normal(ctx.rng(op), _size(shape), _draw_dtype(dtype))
    return out.astype(dtype.np_dtype, copy=False)


@register("RandomUniform", shape=_random_shape, stateful=True)
def _uniform_kernel(ctx, op, shape):
    dtype = op._attrs["dtype"]
    out = ctx.rng(op).random(_size(shape), dtype=_draw_dtype(dtype))
    return out.astype(dtype.np_dtype, copy=False)


@register(
    "RandomUniformInt",
    shape=lambda op: [(shape_from_tensor(op.inputs[0]), op.inputs[1].dtype.base_dtype)],
    stateful=True,
)
def _uniform_int_kernel(ctx, op, shape, minval, maxval):
    if not minval < maxval:
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(None, op, f"Need minval < maxval, got {minval} >= {maxval}")
    return ctx.rng(op).integers(minval, maxval, _size(shape), dtype=minval.dtype)


def _random_op(op_type, shape, dtype, seed, extra=()):
    seed1, seed2 = get_seed(seed)
    attrs = {"dtype": dtype, "seed": seed1, "seed2": seed2}
    return get_default_graph().create_op(op_type, [shape, *extra], attrs, name=op_type).outputs[0]


def _float_dtype(dtype, what):
    dtype = as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError(f"Invalid dtype {dtype!r} for {what}: a floating-point dtype is required.")
    return dtype


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Values from a normal distribution: ``mean + stddev * N(0, 1)``."""
    dtype = _float_dtype(dtype, "random_normal")
    with name_scope(name, "random_normal") as scope:
        shape_t = shape_tensor(shape, name="shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _random_op("RandomStandardNormal", shape_t, dtype, seed)
        return _scale_shift(rnd, std_t, mean_t, scope)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values with those beyond two standard deviations drawn again."""
    dtype = _float_dtype(dtype, "truncated_normal")
    with name_scope(name, "truncated_normal") as scope:
        shape_t = shape_tensor(shape, name="shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _random_op("TruncatedNormal", shape_t, dtype, seed)
        return _scale_shift(rnd, std_t, mean_t, scope)


def _scale_shift(rnd, scale, shift, scope):
    graph = get_default_graph()
    mul = graph.create_op("Mul", [rnd, scale], name="mul").outputs[0]
    return graph.create_op("AddV2", [mul, shift], name=scope).outputs[0]


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in ``[minval, maxval)`` (``maxval`` defaults to 1 for floats)."""
    dtype = as_dtype(dtype).base_dtype
    if dtype.is_integer and maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
    with name_scope(name, "random_uniform") as scope:
        shape_t = shape_tensor(shape, name="shape")
        min_t = convert_to_tensor(minval, dtype=dtype, name="min")
        max_t = convert_to_tensor(1 if maxval is None else maxval, dtype=dtype, name="max")
        graph = get_default_graph()
        if dtype.is_integer:
            seed1, seed2 = get_seed(seed)
            attrs = {"seed": seed1, "seed2": seed2}
            return graph.create_op(
                "RandomUniformInt", [shape_t, min_t, max_t], attrs, name=scope
            ).outputs[0]
        if not dtype.is_floating:
            raise ValueError(f"Invalid dtype {dtype!r} for random_uniform.")
        rnd = _random_op("RandomUniform", shape_t, dtype, seed)
        rng = graph.create_op("Sub", [max_t, min_t], name="sub").outputs[0]
        mul = graph.create_op("Mul", [rnd, rng], name="mul").outputs[0]
        return graph.create_op("AddV2", [mul, min_t], name=scope).outputs[0]
