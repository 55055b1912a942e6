"""The one op table: each op type's shape rule, numpy kernel and gradient.

Graph building asks the shape rule for the outputs' static shapes and dtypes,
`Session.run` calls the kernel, `gradients` calls the gradient. An op type is
declared once, next to the code that builds it::

    @register("Square", shape=same_as_input, grad=_square_grad)
    def _square(ctx, op, x):
        return np.square(x)

Kernel: ``kernel(ctx, op, *input_values)`` returns the output value (one-output
ops) or a tuple of values. Inputs listed in ``ref_inputs`` are references to a
variable, not reads of it: they are not evaluated nor passed to the kernel,
which reaches the variable as ``op.inputs[i].op`` (so an `Assign` never needs
the variable to be initialized). Kernels never modify their inputs: values are
shared between the run, the session and constants.

Shape rule: ``shape(op) -> [(shape, dtype), ...]`` one pair per output; it may
raise ValueError to reject the op before it is added to the graph.

Gradient: ``grad(op, *output_grads) -> [input_grad or None, ...]``, built from
graph ops (it builds tensors, it does not compute numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OpDef:
    type: str
    kernel: Callable
    shape: Callable
    grad: Callable | None = None
    ref_inputs: tuple[int, ...] = ()
    stateful: bool = False
    lazy: bool = False  # the kernel evaluates other tensors on demand (ctx.evaluate)


_REGISTRY: dict[str, OpDef] = {}


def register(
    op_type: str,
    *,
    shape: Callable,
    grad: Callable | None = None,
    ref_inputs: tuple[int, ...] = (),
    stateful: bool = False,
    lazy: bool = False,
) -> Callable:
    """Decorator: declares ``op_type`` with the decorated function as its kernel."""

    def decorate(kernel: Callable) -> Callable:
        if op_type in _REGISTRY:
            raise KeyError(f"Op type {op_type!r} is already registered.")
        _REGISTRY[op_type] = OpDef(op_type, kernel, shape, grad, ref_inputs, stateful, lazy)
        return kernel

    return decorate


def set_gradient(op_type: str, grad: Callable) -> None:
    """Attaches a gradient to an op type declared elsewhere (used by `gradients`)."""
    from dataclasses import replace

    _REGISTRY[op_type] = replace(_REGISTRY[op_type], grad=grad)


def lookup(op_type: str) -> OpDef:
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"No op type {op_type!r} is registered.") from None


def registered_types() -> list[str]:
    return sorted(_REGISTRY)
