"""Random ops beyond the initializers' draws: `random_shuffle` and `multinomial`.

Like `random_ops`, they compute what TensorFlow's CPU kernels compute, bit for bit
(`philox.shuffle_permutation`, `philox.multinomial`), from a Philox stream per op and
session: a seeded op restarts its sequence in every new session and continues it from run
to run; an op without seeds gets random ones in each session.
"""

from __future__ import annotations

import os

from . import dtypes, philox
from .constant_op import constant_value, convert_to_tensor, not_differentiable
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
from .random_ops import _draw
from .random_seed import get_seed
from .registry import register
from .tensor_shape import TensorShape


def _seed_attrs(seed) -> dict:
    seed1, seed2 = get_seed(seed)
    return {"seed": seed1, "seed2": seed2}


# -- RandomShuffle -------------------------------------------------------------------------------


def _shuffle_shape(op):
    x = op.inputs[0]
    if x.shape.ndims == 0:
        raise ValueError(
            f"Shape must be at least rank 1 but is rank 0 for '{op.name}' (op: "
            "'RandomShuffle') with input shapes: []."
        )
    return [(x.shape, x.dtype.base_dtype)]


@register("RandomShuffle", shape=_shuffle_shape, grad=not_differentiable)
def _shuffle_kernel(ctx, op, x):
    if x.size <= 1 or len(x) <= 1:  # TF returns the input as it is, and draws nothing
        return x
    return x[_draw(ctx, op, philox.shuffle_permutation, len(x))]


def random_shuffle(value, seed=None, name=None) -> Tensor:
    """``value`` with its rows (first dimension) in a random order, a new one each run."""
    x = convert_to_tensor(value, name="value")
    graph = get_default_graph()
    return graph.create_op(
        "RandomShuffle", [x], _seed_attrs(seed), name=name or "RandomShuffle"
    )._first


# -- Multinomial ---------------------------------------------------------------------------------


def _multinomial_shape(op):
    logits, num_samples = op.inputs
    if logits.shape.ndims not in (None, 2):
        raise ValueError(
            f"Shape must be rank 2 but is rank {logits.shape.ndims} for '{op.name}' (op: "
            f"'Multinomial') with input shapes: {logits.shape._shape_text()}, []."
        )
    batch = None if logits.shape.ndims is None else logits.shape[0].value
    n = constant_value(num_samples)  # known now when it is a constant
    n = None if n is None else int(n)
    if n is not None and n < 0:
        raise ValueError(
            f"Dimension size, given by scalar input 1, must be non-negative but is {n} for "
            f"'{op.name}' (op: 'Multinomial') with input shapes: "
            f"{logits.shape._shape_text()}, [] and with computed input tensors: input[1] = <{n}>."
        )
    return [(TensorShape([batch, n]), op._attrs["output_dtype"])]


@register("Multinomial", shape=_multinomial_shape, grad=not_differentiable)
def _multinomial_kernel(ctx, op, logits, num_samples):
    n = int(num_samples)
    if n < 0:
        raise InvalidArgumentError(None, op, f"num_samples should be non-negative, got {n}")
    if logits.shape[1] == 0:
        raise InvalidArgumentError(None, op, "num_classes should be positive, got: 0")
    if logits.dtype.kind != "f":  # TF's graph accepts integer logits, its CPU kernels do not
        raise InvalidArgumentError(
            None,
            op,
            f"No OpKernel was registered to support Op 'Multinomial' used by {{{{node "
            f"{op.name}}}}} with logits of dtype {logits.dtype}: its CPU kernels take "
            "float16, bfloat16, float32 or float64 logits",
        )
    samples = _draw(ctx, op, philox.multinomial, logits, n, tensorflow_cpu_threads())
    return samples.astype(op._attrs["output_dtype"].np_dtype, copy=False)


def tensorflow_cpu_threads() -> int:
    """How many worker threads TensorFlow's CPU device would have in this process:
    ``TF_NUM_INTRAOP_THREADS`` when set to a positive number, else the CPUs this process may
    run on. (`multinomial` splits its rows among them, and the split decides its values.)"""
    try:
        threads = int(os.environ.get("TF_NUM_INTRAOP_THREADS", ""))
    except ValueError:
        threads = 0
    if threads > 0:
        return threads
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@atomic
def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None) -> Tensor:
    """For each row of ``logits`` (unnormalized log-probabilities of the classes),
    ``num_samples`` class indices drawn with those probabilities: shape [batch, num_samples]."""
    with name_scope(name, "multinomial"):
        return _multinomial_op(logits, num_samples, seed, output_dtype)


@atomic
def categorical(logits, num_samples, dtype=None, seed=None, name=None) -> Tensor:
    """``tf.random.categorical``: ``multinomial`` under another default name
    (``categorical/Multinomial``), with ``dtype`` where ``multinomial`` says ``output_dtype``."""
    with name_scope(name, "categorical"):
        return _multinomial_op(logits, num_samples, seed, dtype)


# the logits dtypes TF's Multinomial op takes, in the order its error lists them
_REAL_NUMBER_NAMES = [
    "float32",
    "float64",
    "int32",
    "uint8",
    "int16",
    "int8",
    "int64",
    "bfloat16",
    "uint16",
    "float16",
    "uint32",
    "uint64",
]


def _multinomial_op(logits, num_samples, seed, output_dtype) -> Tensor:
    """The ``Multinomial`` op both build (int64 indices unless told otherwise)."""
    logits_t = convert_to_tensor(logits, name="logits")
    if logits_t.dtype.base_dtype.name not in _REAL_NUMBER_NAMES:
        raise TypeError(
            f"Value passed to parameter 'logits' has DataType {logits_t.dtype.base_dtype.name} "
            f"not in list of allowed values: {', '.join(_REAL_NUMBER_NAMES)}"
        )
    n = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
    attrs = _seed_attrs(seed)
    attrs["output_dtype"] = as_dtype(output_dtype or dtypes.int64).base_dtype
    graph = get_default_graph()
    return graph.create_op("Multinomial", [logits_t, n], attrs, name="Multinomial")._first
