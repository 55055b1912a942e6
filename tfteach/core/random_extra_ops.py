"""Random ops beyond the initializers' draws: `random_shuffle` and `multinomial`.

They draw from a numpy generator per op and session (``ctx.op_state``), so they follow TF's
seed rules as the other random ops do: a seeded op restarts its sequence in every new
session and continues it from run to run.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from .constant_op import constant_value, convert_to_tensor, not_differentiable
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
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
    return x[_generator(ctx, op).permutation(len(x))]


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
    return [(TensorShape([batch, n]), op._attrs["output_dtype"])]


@register("Multinomial", shape=_multinomial_shape, grad=not_differentiable)
def _multinomial_kernel(ctx, op, logits, num_samples):
    if logits.shape[1] == 0:
        raise InvalidArgumentError(None, op, "num_classes should be positive, got: 0")
    # each row's probabilities: softmax of its logits (a -inf logit is never drawn)
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    probs = np.exp(shifted.astype(np.float64))
    probs /= probs.sum(axis=1, keepdims=True)
    rng = _generator(ctx, op)
    n = int(num_samples)
    out = np.stack([rng.choice(len(p), size=n, p=p) for p in probs]) if len(probs) else None
    if out is None:
        out = np.zeros((0, n))
    return out.astype(op._attrs["output_dtype"].np_dtype)


@atomic
def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None) -> Tensor:
    """For each row of ``logits`` (unnormalized log-probabilities of the classes),
    ``num_samples`` class indices drawn with those probabilities: shape [batch, num_samples]."""
    with name_scope(name, "multinomial"):
        logits_t = convert_to_tensor(logits, name="logits")
        n = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
        attrs = _seed_attrs(seed)
        attrs["output_dtype"] = as_dtype(output_dtype or dtypes.int64).base_dtype
        graph = get_default_graph()
        return graph.create_op("Multinomial", [logits_t, n], attrs, name="Multinomial")._first


def _generator(ctx, op) -> np.random.Generator:
    """This session's numpy generator for ``op``: a seeded op restarts in every new session
    and continues from run to run; an unseeded one draws afresh."""
    return ctx.op_state(op, _start_generator)


def _start_generator(op) -> np.random.Generator:
    seed = op._attrs.get("seed")
    return np.random.default_rng(None if seed is None else [seed, op._attrs.get("seed2")])
