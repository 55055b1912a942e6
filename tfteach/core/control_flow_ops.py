"""`no_op` and `group`: ops that compute nothing and only order others."""

from __future__ import annotations

from .constant_op import convert_to_tensor, identity
from .graph import Operation, Tensor, atomic, get_default_graph, name_scope
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


@atomic
def tuple_(tensors, name: str | None = None, control_inputs=None) -> list:
    """Tensors with the same values that are available only once all of them are
    (TF's ``tf.tuple``: ops ``tuple/group_deps``, ``tuple/control_dependency``, ...).
    Plain values become constants first; an op in ``tensors`` comes back as a group."""
    with name_scope(name, "tuple") as scope:
        tensors = [
            t if t is None or isinstance(t, Operation) or hasattr(t, "op") else convert_to_tensor(t)
            for t in tensors
        ]
        if not any(t is not None for t in tensors) and not control_inputs:
            raise ValueError(f"'tensors' must have at least one Tensor. Received: {tensors}.")
        return gated(tensors, None, name=scope, control_inputs=control_inputs)


def gated(tensors, gate_on=None, name: str | None = None, control_inputs=None) -> list:
    """``tf.tuple`` where only the tensors in ``gate_on`` (default: all) hold the others
    back; the gradients use it so a gradient nobody needs is never computed."""
    graph = get_default_graph()
    with name_scope(name, "tuple"):
        held = [t for t in (tensors if gate_on is None else gate_on) if t is not None]
        ops = sorted({t if isinstance(t, Operation) else t.op for t in held}, key=_op_id)
        barrier = group(*ops, *(control_inputs or ()), name="group_deps")
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
            elif isinstance(t, Operation):
                with graph.control_dependencies([barrier]):
                    out.append(group(t))
            else:
                with (
                    graph.name_scope("control_dependency") as scope,
                    graph.control_dependencies([barrier]),
                ):
                    out.append(identity(t, name=scope))
        return out


def _op_id(op: Operation) -> int:
    return op._id
