"""Random tensors: `random_normal`, `truncated_normal`, `random_uniform`.

Each random op draws from the session's own numpy `Generator` for that op,
seeded from the (graph seed, op seed) pair the op recorded when it was built:
a fresh session restarts every sequence; running the op again continues it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from . import dtypes
from .constant_op import convert_to_tensor, shape_from_tensor, shape_tensor
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import atomic, get_default_graph, name_scope, shared_attrs
from .random_seed import get_seed
from .registry import register, register_plan_rewrite

# A standard normal truncated at +-2 has this standard deviation.
TRUNCATED_NORMAL_STD = 0.87962566103423978
# Values per block (256 KiB of float32): a block and its rejection mask stay in cache.
_BLOCK = 1 << 16


def _random_shape(op):
    return [(shape_from_tensor(op.inputs[0]), op.get_attr("dtype"))]


def _size(shape_value) -> tuple[int, ...]:
    return tuple(int(d) for d in np.reshape(shape_value, -1))


def _native(dtype) -> type:
    """numpy's Generator draws float32 and float64; float16 is drawn as float32."""
    return np.float64 if np.dtype(dtype) == np.float64 else np.float32


def _sample(size, dtype, fill, *, whole: bool, scale=1.0, shift=0.0) -> np.ndarray:
    """A new array of ``dtype`` filled by ``fill(target)`` (which writes into a float32 or
    float64 array), then ``* scale + shift`` in ``dtype``, as TF's ``mul`` and ``AddV2``
    ops compute it.

    Block by block, so each block is scaled while it is in cache and nothing as large as
    the result is allocated besides it (float16 goes through one block-sized float32
    scratch). ``whole``: a native dtype without scaling is filled in one call instead."""
    out = np.empty(size, dtype=dtype)
    flat = out.reshape(-1)
    native = _native(dtype)
    affine = scale != 1 or shift != 0
    if out.dtype == native and whole and not affine:
        fill(flat)
        return out
    scratch = None if out.dtype == native else np.empty(min(_BLOCK, flat.size), native)
    scale, shift = out.dtype.type(scale), out.dtype.type(shift)
    for start in range(0, flat.size, _BLOCK):
        block = flat[start : start + _BLOCK]
        if scratch is None:
            fill(block)
        else:
            target = scratch[: block.size]
            fill(target)
            block[...] = target
        if affine:
            block *= scale
            block += shift
    return out


def _truncated_fill(rng: np.random.Generator, dtype):
    """Fills a block with standard normal values within [-2, 2]: values outside are drawn
    again. Only the rejected entries (about 4.6 %) are redrawn: about 1.05 draws a value."""

    def fill(block):
        rng.standard_normal(out=block, dtype=block.dtype)
        bad = np.flatnonzero(np.abs(block) > 2)
        while bad.size:
            redraw = rng.standard_normal(bad.size, dtype=block.dtype)
            block[bad] = redraw
            bad = bad[np.abs(redraw) > 2]

    return fill


def _normal_fill(rng: np.random.Generator, dtype):
    def fill(target):
        rng.standard_normal(out=target, dtype=target.dtype)

    return fill


def truncated_normal_values(rng: np.random.Generator, size, dtype=np.float32, mean=0.0, stddev=1.0):
    """``mean + stddev * z``, z standard normal within [-2, 2]."""
    return _sample(size, dtype, _truncated_fill(rng, dtype), whole=False, scale=stddev, shift=mean)


def normal_values(rng: np.random.Generator, size, dtype=np.float32, mean=0.0, stddev=1.0):
    """``mean + stddev * z``, z standard normal."""
    return _sample(size, dtype, _normal_fill(rng, dtype), whole=True, scale=stddev, shift=mean)


# the largest float32 that rounds to a float16 below 1
_BELOW_ONE_IN_HALF = np.float32(np.nextafter(np.float16(1), np.float16(0)))


def uniform_values(rng: np.random.Generator, size, dtype=np.float32, minval=0.0, maxval=1.0):
    """``minval + (maxval - minval) * u``, u uniform in [0, 1) in ``dtype``."""
    kind = np.dtype(dtype).type
    width = kind(maxval) - kind(minval)  # TF's ``sub`` op, in the same dtype
    return _sample(size, dtype, _uniform_fill(rng, dtype), whole=True, scale=width, shift=minval)


def _uniform_fill(rng: np.random.Generator, dtype):
    half = np.dtype(dtype) == np.float16

    def fill(target):
        rng.random(out=target, dtype=target.dtype)
        if half:  # rounding to half precision could reach 1.0: keep [0, 1)
            np.minimum(target, _BELOW_ONE_IN_HALF, out=target)

    return fill


_FILLS = {
    "RandomStandardNormal": (_normal_fill, True),
    "TruncatedNormal": (_truncated_fill, False),
    "RandomUniform": (_uniform_fill, True),
}


def fused_scale_shift_kernel(op_type: str):
    """A kernel computing ``random * scale + shift`` in one blockwise pass: what the random
    op of type ``op_type`` followed by TF's ``mul`` and ``AddV2`` ops give, with the same
    values and rounding, without the two whole-array passes and temporaries. Its inputs are
    (shape, scale, shift); ``op`` is the random op (for its generator and dtype)."""
    if op_type not in _FILLS:
        return None
    make_fill, whole = _FILLS[op_type]

    def kernel(ctx, op, shape, scale, shift):
        dtype = op._attrs["dtype"].np_dtype
        fill = make_fill(ctx.rng(op), dtype)
        return _sample(_size(shape), dtype, fill, whole=whole, scale=scale, shift=shift)

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


@register("RandomStandardNormal", shape=_random_shape)
def _normal_kernel(ctx, op, shape):
    return normal_values(ctx.rng(op), _size(shape), op._attrs["dtype"].np_dtype)


@register("TruncatedNormal", shape=_random_shape)
def _truncated_kernel(ctx, op, shape):
    return truncated_normal_values(ctx.rng(op), _size(shape), op._attrs["dtype"].np_dtype)


@register("RandomUniform", shape=_random_shape)
def _uniform_kernel(ctx, op, shape):
    return uniform_values(ctx.rng(op), _size(shape), op._attrs["dtype"].np_dtype)


@register(
    "RandomUniformInt",
    shape=lambda op: [(shape_from_tensor(op.inputs[0]), op.inputs[1].dtype.base_dtype)],
)
def _uniform_int_kernel(ctx, op, shape, minval, maxval):
    if not minval < maxval:
        raise InvalidArgumentError(None, op, f"Need minval < maxval, got {minval} >= {maxval}")
    return ctx.rng(op).integers(minval, maxval, _size(shape), dtype=minval.dtype)


def _random_op(op_type, shape, dtype, seed, extra=()):
    seed1, seed2 = get_seed(seed)
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
        _check_float_op_dtype(dtype)
        rnd = _random_op(op_type, shape_t, dtype, seed)
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
        rnd = _random_op("RandomUniform", shape_t, dtype, seed)
        if min_is_zero:
            if max_is_one:
                return rnd
            return graph.create_op("Mul", [rnd, max_t], name="Mul")._first
        rng = graph.create_op("Sub", [max_t, min_t], name="sub")._first
        mul = graph.create_op("Mul", [rnd, rng], name="mul")._first
        return graph.create_op("AddV2", [mul, min_t], name=scope)._first
