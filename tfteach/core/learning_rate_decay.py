"""Learning-rate schedules of ``tf.train``: ``exponential_decay`` and ``piecewise_constant``.

Both are small graphs over the global step (or any scalar), built from public ops: the
schedule is a tensor, recomputed from the step on every ``Session.run``; nothing is stored.
"""

from __future__ import annotations

from . import math_ops
from .array_ops import where
from .constant_op import convert_to_tensor
from .graph import Tensor, name_scope
from .math_ops import cast, floordiv, greater, multiply, truediv


def exponential_decay(
    learning_rate,
    global_step,
    decay_steps,
    decay_rate,
    staircase: bool = False,
    name: str | None = None,
) -> Tensor:
    """``learning_rate * decay_rate ** (global_step / decay_steps)``; with ``staircase=True``
    the exponent is rounded down, so the rate drops once every ``decay_steps`` steps."""
    if global_step is None:
        raise ValueError("None values not supported.")  # TF 2.21's words for this case
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step]) as scope:
        initial = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype
        steps = cast(decay_steps, dtype)
        rate = cast(decay_rate, dtype)
        step = cast(global_step, dtype)
        # floor(step / steps), written as the floor division it is
        exponent = floordiv(step, steps) if staircase else truediv(step, steps)
        return multiply(initial, math_ops.pow(rate, exponent), name=name or scope)


def piecewise_constant(x, boundaries, values, name: str | None = None) -> Tensor:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[1]`` while ``boundaries[0] < x <=
    boundaries[1]``, ..., ``values[-1]`` once ``x > boundaries[-1]``."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant", [x]):
        x = convert_to_tensor(x)
        value_tensors = [convert_to_tensor(v) for v in values]
        for v in value_tensors[1:]:
            if v.dtype.base_dtype is not value_tensors[0].dtype.base_dtype:
                raise ValueError(
                    "Values must have elements all with the same dtype "
                    f"({value_tensors[0].dtype} vs {v.dtype})."
                )
        bound_tensors = []
        for b in boundaries:
            b = convert_to_tensor(b)
            if b.dtype.base_dtype is not x.dtype.base_dtype:
                if b.dtype.is_integer and x.dtype.base_dtype.is_integer:
                    b = cast(b, x.dtype.base_dtype)  # TF widens int32 boundaries for int64 x
                else:
                    raise ValueError(
                        f"Boundaries ({b.dtype}) must have the same dtype as x ({x.dtype})."
                    )
            bound_tensors.append(b)
        # walk up the boundaries: each one that x has passed selects the next value
        result = value_tensors[0]
        for b, v in zip(bound_tensors, value_tensors[1:]):
            result = where(greater(x, b), v, result)
        return result
