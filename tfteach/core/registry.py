"""The one op table: each op type's shape rule, numpy kernel, gradient and facts.

Graph building asks the shape rule for the outputs' static shapes and dtypes,
`Session.run` calls the kernel, `gradients` calls the gradient. An op type is
declared once, next to the code that builds it::

    @register("Square", shape=same_as_input, grad=_square_grad)
    def _square(ctx, op, x):
        return np.square(x)

Kernel: ``kernel(ctx, op, *input_values)`` returns the output value (one-output
ops) or a tuple of values. Kernels never modify their inputs: values are shared
between the run, the session and constants.

Shape rule: ``shape(op) -> [(shape, dtype), ...]`` one pair per output; it may
raise ValueError to reject the op before it is added to the graph.

Gradient: ``grad(op, *output_grads) -> [input_grad or None, ...]``, built from
graph ops (it builds tensors, it does not compute numbers).

Facts, which graph building, the session and the teaching tools read here
instead of naming op types:

- ``is_variable``: the op *is* a variable (TF's ``VariableV2``): it has no
  kernel of its own; the session holds its value, and consumers read it when
  they run.
- ``ref_inputs``: the inputs that are references to a variable, not reads of
  it (an `Assign`'s target): they are not evaluated nor passed to the kernel,
  which reaches the variable as ``op.inputs[i].op``. `ALL_INPUTS` for ops that
  take every input by reference (``IsVariableInitialized``, the report of
  uninitialized variables).
- ``fold``: ``fold(op, *input_values)`` computes the op's value while building
  the graph when its inputs' values are known there (`constant_value`: a shape
  given as a list, a constant axis).
- ``lazy``: the kernel evaluates other tensors on demand (``ctx.evaluate``),
  so the session must not compute them all first.
- ``forwards_input``: the output is the input itself (TF's ``Identity`` hands on
  its input's buffer). Of a variable, such an op (the variable's read ``w/read``)
  is the variable's buffer: an op that consumes it reads the variable when it
  runs, so after an assign it depends on, it sees the assigned value.

Plan rewrites: an op family may register a function that replaces a chain of
ops in a run plan with one equivalent step (see `register_plan_rewrite`); the
session applies every registered rewrite when it compiles a plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


class _AllInputs:
    """The ``ref_inputs`` of ops that take every input by reference: it contains every
    input index."""

    __slots__ = ()

    def __contains__(self, index) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL_INPUTS"


ALL_INPUTS = _AllInputs()


@dataclasses.dataclass(frozen=True)
class OpDef:
    type: str
    kernel: Callable
    shape: Callable
    grad: Callable | None = None
    ref_inputs: tuple[int, ...] = ()
    is_variable: bool = False
    fold: Callable | None = None
    lazy: bool = False
    forwards_input: bool = False

    def value_inputs(self, inputs: tuple) -> tuple:
        """The inputs whose values the kernel takes (the reference inputs left out)."""
        refs = self.ref_inputs
        if not refs:
            return inputs
        return tuple(t for i, t in enumerate(inputs) if i not in refs)


_REGISTRY: dict[str, OpDef] = {}
_PLAN_REWRITES: list[Callable] = []


def register(
    op_type: str,
    *,
    shape: Callable,
    grad: Callable | None = None,
    ref_inputs: tuple[int, ...] = (),
    is_variable: bool = False,
    fold: Callable | None = None,
    lazy: bool = False,
    forwards_input: bool = False,
) -> Callable:
    """Decorator: declares ``op_type`` with the decorated function as its kernel."""

    def decorate(kernel: Callable) -> Callable:
        if op_type in _REGISTRY:
            raise KeyError(f"Op type {op_type!r} is already registered.")
        _REGISTRY[op_type] = OpDef(
            op_type, kernel, shape, grad, ref_inputs, is_variable, fold, lazy, forwards_input
        )
        return kernel

    return decorate


def set_gradient(op_type: str, grad: Callable) -> None:
    """Attaches a gradient to an op type declared elsewhere (used by `gradients`)."""
    _REGISTRY[op_type] = dataclasses.replace(_REGISTRY[op_type], grad=grad)


def lookup(op_type: str) -> OpDef:
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"No op type {op_type!r} is registered.") from None


def register_plan_rewrite(rewrite: Callable) -> Callable:
    """Declares ``rewrite(order, protected) -> {op: step or None}``: for ops of a run's
    ``order`` (dependency order), the step ``(kernel, op, inputs, outputs)`` that replaces
    the op's own, or None for an op that a replacing step computes. ``protected`` holds the
    tensors the run must keep (fetched or fed): a rewrite never hides one of them."""
    _PLAN_REWRITES.append(rewrite)
    return rewrite


def plan_rewrites() -> tuple[Callable, ...]:
    return tuple(_PLAN_REWRITES)
