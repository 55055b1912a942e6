"""`no_op` and `group`: ops that compute nothing and only order others."""

from __future__ import annotations

from .graph import Operation, Tensor, get_default_graph, name_scope
from .registry import register


@register("NoOp", shape=lambda op: [])
def _noop_kernel(ctx, op):
    return None


def no_op(name: str | None = None) -> Operation:
    """An op that does nothing; with control inputs, it waits for them."""
    return get_default_graph().create_op("NoOp", [], name=name or "NoOp")


def _flatten_ops(inputs) -> list[Operation]:
    out = []
    for x in inputs:
        if isinstance(x, (list, tuple)):
            out.extend(_flatten_ops(x))
            continue
        element = getattr(x, "_as_graph_element", None)
        if element is not None:
            x = element()
        if isinstance(x, Tensor):
            x = x.op
        if not isinstance(x, Operation):
            raise TypeError(f"Expected an Operation or Tensor in group(), got {x!r}.")
        out.append(x)
    return out


def group(*inputs, name: str | None = None) -> Operation:
    """A `NoOp` whose control inputs are ``inputs``: running it runs all of them, in no order."""
    ops = _flatten_ops(inputs)
    with name_scope(name, "group_deps") as scope:
        graph = get_default_graph()
        if not ops:
            return graph.create_op("NoOp", [], name=scope)
        with graph.control_dependencies(ops):
            return graph.create_op("NoOp", [], name=scope)


def tuple_(tensors, name: str | None = None, control_inputs=None) -> list:
    """Tensors with the same values that are available only once all of them are."""
    from .array_ops import identity

    with name_scope(name, "tuple") as scope:
        gate = group(
            *[t for t in tensors if t is not None],
            *(control_inputs or ()),
            name=scope + "control_dependency",
        )
        with get_default_graph().control_dependencies([gate]):
            return [None if t is None else identity(t) for t in tensors]
