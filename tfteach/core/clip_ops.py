"""Clipping: `clip_by_value` and `clip_by_norm`, built from math ops as TF builds them
(so their gradients are those of Minimum, Maximum, Select and the rest)."""

from __future__ import annotations

from .array_ops import ones_like, where
from .constant_op import convert_to_tensor, identity
from .graph import Tensor, atomic, name_scope
from .math_ops import maximum, minimum, multiply, reduce_sum, sqrt, truediv


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
