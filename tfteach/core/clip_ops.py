"""Clipping: `clip_by_value`, `clip_by_norm` and `clip_by_global_norm`, built from math ops
as TF builds them (so their gradients are those of Minimum, Maximum, Select and the rest)."""

from __future__ import annotations

from collections.abc import Sequence

from .array_ops import ones_like, stack, where
from .constant_op import constant, convert_to_tensor, identity
from .graph import Tensor, atomic, name_scope
from .math_ops import maximum, minimum, multiply, reduce_sum, sqrt, truediv
from .nn_ops import l2_loss


@atomic
def clip_by_value(t, clip_value_min, clip_value_max, name=None) -> Tensor:
    """``t`` with values below ``clip_value_min`` raised to it and values above
    ``clip_value_max`` lowered to it."""
    with name_scope(name, "clip_by_value") as scope:
        t = convert_to_tensor(t, name="t")
        lowered = minimum(t, clip_value_max, name="Minimum")
        return maximum(lowered, clip_value_min, name=scope)


@atomic
def clip_by_norm(t, clip_norm, axes=None, name=None) -> Tensor:
    """``t`` scaled down so that its L2 norm (over ``axes``, default all) is at most
    ``clip_norm``; left as it is when the norm is already smaller."""
    with name_scope(name, "clip_by_norm") as scope:
        t = convert_to_tensor(t, name="t")
        l2sum = reduce_sum(t * t, axes, keepdims=True)
        pred = l2sum > 0
        # sqrt(0) has an infinite gradient: take the sqrt of 1 where the sum is 0
        l2sum_safe = where(pred, l2sum, ones_like(l2sum))
        l2norm = where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = multiply(t, clip_norm)
        return identity(truediv(intermediate, maximum(l2norm, clip_norm)), name=scope)


def _check_sequence(t_list) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def _tensor_list(t_list: list) -> list:
    return [
        None if t is None else convert_to_tensor(t, name=f"t_{i}") for i, t in enumerate(t_list)
    ]


@atomic
def global_norm(t_list, name=None) -> Tensor:
    """The L2 norm of all the tensors of ``t_list`` together (None entries are skipped):
    ``sqrt(sum of every element squared)``."""
    t_list = _check_sequence(t_list)
    with name_scope(name, "global_norm"):
        values = _tensor_list(t_list)
        half_squared_norm = reduce_sum(stack([l2_loss(v) for v in values if v is not None]))
        two = constant(2.0, dtype=half_squared_norm.dtype.base_dtype)
        return sqrt(half_squared_norm * two, name="global_norm")


@atomic
def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None) -> tuple[list, Tensor]:
    """``(clipped, norm)``: every tensor of ``t_list`` scaled by ``clip_norm / max(norm,
    clip_norm)``, where ``norm`` is their ``global_norm`` (or ``use_norm``), so together
    they keep their direction and have a norm of at most ``clip_norm``. Gradient clipping
    for RNNs: ``grads, _ = tf.clip_by_global_norm(grads, 5.0)``."""
    t_list = _check_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm") as scope:
        values = _tensor_list(t_list)
        one = constant(1.0, dtype=use_norm.dtype.base_dtype)
        scale = clip_norm * minimum(1.0 / use_norm, one / clip_norm)
        # a finite norm changes nothing here; inf or nan makes every value nan, as in TF
        scale = scale + (use_norm - use_norm)
        clipped = [
            None if v is None else identity(v * scale, name=f"{scope}_{i}")
            for i, v in enumerate(values)
        ]
    return clipped, use_norm
