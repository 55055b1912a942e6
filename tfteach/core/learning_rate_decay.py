"""Learning-rate schedules of ``tf.train``: ``exponential_decay``, ``natural_exp_decay``,
``inverse_time_decay``, ``polynomial_decay``, ``cosine_decay`` and ``piecewise_constant``.

Each is a small graph over the global step (or any scalar), built from public ops: the
schedule is a tensor, recomputed from the step on every ``Session.run``; nothing is stored.
As in TF, the result has ``learning_rate``'s dtype (float32 for a Python number) and the
step is cast to it; a ``global_step`` of None is refused with TF 2.21's words.
"""

from __future__ import annotations

import math

from . import dtypes, math_ops
from .array_ops import where
from .constant_op import convert_to_tensor
from .graph import Tensor, atomic, name_scope
from .math_ops import (
    add,
    cast,
    ceil,
    cos,
    equal,
    exp,
    floor,
    greater,
    minimum,
    multiply,
    negative,
    truediv,
)


@atomic  # a refused argument leaves the graph as it was
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
    _require_step(global_step)
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step]) as scope:
        initial = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype
        steps = cast(decay_steps, dtype)
        rate = cast(decay_rate, dtype)
        step = cast(global_step, dtype)
        exponent = truediv(step, steps)
        if staircase:
            exponent = floor(exponent)
        return multiply(initial, math_ops.pow(rate, exponent), name=scope)


def _require_step(global_step) -> None:
    """TF casts the step to the rate's dtype, and casting None fails with these words."""
    if global_step is None:
        raise ValueError("None values not supported.")  # TF 2.21's words for this case


@atomic  # a refused argument leaves the graph as it was
def natural_exp_decay(
    learning_rate,
    global_step,
    decay_steps,
    decay_rate,
    staircase: bool = False,
    name: str | None = None,
) -> Tensor:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``: TF builds
    ``exp(-decay_rate)`` (ops ``Neg``, ``Exp`` outside the schedule's scope) and hands it to
    ``exponential_decay``, so the result is named ``ExponentialDecay`` by default."""
    _require_step(global_step)
    rate = exp(negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase, name)


@atomic  # a refused argument leaves the graph as it was
def inverse_time_decay(
    learning_rate,
    global_step,
    decay_steps,
    decay_rate,
    staircase: bool = False,
    name: str | None = None,
) -> Tensor:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``; with
    ``staircase=True`` the quotient ``global_step / decay_steps`` is rounded down."""
    _require_step(global_step)
    with name_scope(name or "InverseTimeDecay") as scope:
        initial = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype
        steps = cast(decay_steps, dtype)
        rate = cast(decay_rate, dtype)
        p = cast(global_step, dtype) / steps
        if staircase:
            p = floor(p)
        one = cast(convert_to_tensor(1, name="Const"), dtype)
        return truediv(initial, add(one, multiply(rate, p)), name=scope)


@atomic  # a refused argument leaves the graph as it was
def polynomial_decay(
    learning_rate,
    global_step,
    decay_steps,
    end_learning_rate=0.0001,
    power=1.0,
    cycle: bool = False,
    name: str | None = None,
) -> Tensor:
    """From ``learning_rate`` down to ``end_learning_rate`` in ``decay_steps`` steps::

        p = min(global_step, decay_steps) / decay_steps
        (learning_rate - end_learning_rate) * (1 - p) ** power + end_learning_rate

    and ``end_learning_rate`` after that. With ``cycle=True`` it starts again instead: the
    horizon becomes the first multiple of ``decay_steps`` not below the step
    (``decay_steps * ceil(global_step / decay_steps)``, and ``decay_steps`` at step 0)."""
    _require_step(global_step)
    with name_scope(name or "PolynomialDecay") as scope:
        initial = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype
        end = cast(end_learning_rate, dtype)
        power = cast(power, dtype)
        step = cast(global_step, dtype)
        steps = cast(decay_steps, dtype)
        if cycle:
            _check_float32_for_cycle(dtype)
            multiplier = where(equal(step, 0), 1.0, ceil(step / decay_steps))
            steps = multiply(steps, multiplier)
        else:
            step = minimum(step, steps)
        p = truediv(step, steps)
        return add(multiply(initial - end, math_ops.pow(1 - p, power)), end, name=scope)


@atomic  # a refused argument leaves the graph as it was
def cosine_decay(
    learning_rate, global_step, decay_steps, alpha=0.0, name: str | None = None
) -> Tensor:
    """Half a cosine from ``learning_rate`` down to ``alpha * learning_rate``::

        p = min(global_step, decay_steps) / decay_steps
        learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * p)) + alpha)

    The result is TF's last ``Mul`` (``CosineDecay/Mul_3``), not an op named after the
    scope."""
    _require_step(global_step)
    with name_scope(name or "CosineDecay"):
        initial = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype
        steps = cast(decay_steps, dtype)
        step = minimum(cast(global_step, dtype), steps)
        completed_fraction = step / steps
        # pi is a float32 constant in TF: a float64 rate fails in Mul, as in TF
        cosine_decayed = 0.5 * (
            1.0 + cos(convert_to_tensor(math.pi, name="Const") * completed_fraction)
        )
        decayed = (1 - alpha) * cosine_decayed + alpha
        return multiply(initial, decayed)


def _check_float32_for_cycle(dtype) -> None:
    """TF selects between a float32 ``1.0`` and the rounded-up step: other dtypes fail."""
    if dtype.base_dtype is not dtypes.float32:
        raise TypeError(
            f"Input 'e' of 'SelectV2' Op has type {dtype.base_dtype.name} that does not "
            "match type float32 of argument 't'."
        )


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
