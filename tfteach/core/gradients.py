"""`gradients(ys, xs)`: reverse-mode differentiation that adds gradient ops to the graph.

The ops between xs and ys are visited from ys back to xs, each once, after all the ops
that consume its outputs (pending counts, no recursion: graphs may be deep). An op's
gradient function comes from the op registry; it builds the gradient ops of its inputs
under ``gradients/<op name>_grad/``. Where an output feeds several ops, the gradients
that arrive are summed with one ``AddN``.

A gradient function receives None for an output no gradient reached (the other output
of a two-output op such as SoftmaxCrossEntropyWithLogits) and returns None for an
input that gets no gradient.
"""

from __future__ import annotations

from collections import deque

from .array_ops import ones
from .constant_op import convert_to_tensor, identity, new_op, shape_of
from .control_flow_ops import gated
from .graph import Operation, Tensor, get_default_graph, graph_of
from .math_ops import add_n


class UnconnectedGradients:
    """What `gradients` returns for an x that ys do not depend on."""

    NONE = "none"
    ZERO = "zero"


def _as_list(values) -> list:
    if values is None:
        return []
    return list(values) if isinstance(values, (list, tuple)) else [values]


def _as_ref(x) -> Tensor:
    """A Variable as its reference, so every read of it (not just ``name/read``) counts."""
    ref = getattr(x, "_ref", None)
    return ref() if ref is not None else convert_to_tensor(x, name="x")


def gradients(
    ys,
    xs,
    grad_ys=None,
    name: str = "gradients",
    colocate_gradients_with_ops: bool = False,
    gate_gradients: bool = False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients: str = UnconnectedGradients.NONE,
) -> list:
    """The symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``.

    Returns one tensor per x: ``sum_i d(ys[i])/dx`` weighted by ``grad_ys[i]`` (default:
    ones), or None where no y depends on x. ``stop_gradients`` are treated as constants.
    """
    ys, xs = _as_list(ys), _as_list(xs)
    grad_ys, stop_gradients = _as_list(grad_ys), _as_list(stop_gradients)
    if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    graph = graph_of(ys + xs + stop_gradients + grad_ys)
    with graph.as_default(), graph._transaction(), graph.name_scope(name or "gradients"):
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [_as_ref(x) for x in xs]
        stops = {convert_to_tensor(t).op for t in stop_gradients}
        grad_ys = _default_grad_ys(grad_ys, ys)
        grads = _backprop(graph, ys, grad_ys, xs, stops, gate_gradients)
        out = [grads.get(x) for x in xs]
        if unconnected_gradients == UnconnectedGradients.ZERO:
            out = [g if g is not None else _zeros_like(x) for g, x in zip(out, xs)]
        return out


def subgraph_gradients(ys: list, grad_ys: list, xs: list, stop_at=()) -> list:
    """The gradients of ``xs`` for ``ys`` weighted by ``grad_ys``, built in the current name
    scope; none flows past the tensors in ``stop_at``. For an op whose gradient
    differentiates a subgraph of its own: a while loop's body."""
    graph = get_default_graph()
    final = _backprop(graph, ys, grad_ys, xs, {t.op for t in stop_at}, False)
    return [final.get(x) for x in xs]


def _zeros_like(x: Tensor) -> Tensor:
    return new_op("ZerosLike", [x], name="zeros_like")


def _default_grad_ys(grad_ys: list, ys: list) -> list:
    if not grad_ys:
        grad_ys = [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Length mismatch. Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    out = []
    for i, (y, g) in enumerate(zip(ys, grad_ys)):
        if g is None:
            out.append(ones(shape_of(y), dtype=y.dtype.base_dtype, name=f"grad_ys_{i}"))
            continue
        g = convert_to_tensor(g, name=f"grad_y_{i}")
        if (y.dtype.is_floating or y.dtype.is_integer) and not (
            g.dtype.is_floating or g.dtype.is_integer
        ):
            raise TypeError(
                f"Gradient type {g.dtype.base_dtype.name} generated for real or integer-valued "
                f"tensor {y} with type {y.dtype.base_dtype.name} must be real or integer"
            )
        out.append(identity(g, name=f"grad_ys_{i}"))
    return out


def _backpropagatable(t: Tensor) -> bool:
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex


def _data_inputs(op: Operation):
    """(index, tensor) of the inputs a gradient flows through: not variable references
    of state ops (an Assign's target is written, not read)."""
    refs = op._opdef.ref_inputs
    if refs == "all":
        return []
    return [(i, t) for i, t in enumerate(op._inputs) if i not in refs]


def _reached_from(from_ops) -> set:
    """The ops that depend on ``from_ops`` through floating-point tensors (and those ops)."""
    reached = set()
    queue = deque(from_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            continue
        reached.add(op)
        for t in op._outputs:
            if not _backpropagatable(t):
                continue
            for consumer in t._op._graph._consumers_of(t):
                if consumer not in reached and any(x is t for _, x in _data_inputs(consumer)):
                    queue.append(consumer)
    return reached


def _between(to_ops, reached: set) -> tuple[list, set]:
    """The reached ops that ys depend on: the only ops whose gradients are built."""
    between, order = set(), []
    stack = list(to_ops)
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        order.append(op)
        stack.extend(t.op for _, t in _data_inputs(op))
    return order, between


def _backprop(graph, ys, grad_ys, xs, stop_ops: set, gated: bool) -> dict:
    """Runs the reverse sweep; returns the final gradient of every tensor it reached."""
    from_ops = [x.op for x in xs]
    order, between = _between([y.op for y in ys], _reached_from(from_ops))
    pending: dict[Operation, int] = dict.fromkeys(between, 0)
    for op in order:
        for _, t in _data_inputs(op):
            if t.op in between:
                pending[t.op] += 1
    # an x whose own inputs do not depend on another x: its op's gradient is not needed
    for op in from_ops:
        if all(pending.get(t.op, 0) == 0 for _, t in _data_inputs(op)):
            stop_ops.add(op)

    arriving: dict[Tensor, list] = {}
    for y, g in zip(ys, grad_ys):
        arriving.setdefault(y, []).append(g)
    queue = deque()
    for y in ys:
        if y.op in between and pending[y.op] == 0 and y.op not in queue:
            queue.append(y.op)

    final: dict[Tensor, Tensor] = {}
    while queue:
        op = queue.popleft()
        out_grads = [_aggregate(arriving.pop(t, None)) for t in op._outputs]
        for t, g in zip(op._outputs, out_grads):
            if g is not None:
                final[t] = g
        if op not in stop_ops and any(g is not None for g in out_grads):
            in_grads = _input_grads(graph, op, out_grads, between if gated else None)
            for (i, t), g in zip(_data_inputs(op), in_grads):
                if g is not None:
                    _check_shape(op, i, t, g)
                    arriving.setdefault(t, []).append(g)
        for _, t in _data_inputs(op):
            if t.op in between:
                pending[t.op] -= 1
                if pending[t.op] == 0:
                    queue.append(t.op)
    return final


def _aggregate(grads: list | None) -> Tensor | None:
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else add_n(grads)


def _input_grads(graph, op: Operation, out_grads: list, gate_for: set | None) -> list:
    """The gradients of op's inputs; with ``gate_for`` (the ops between xs and ys), gated
    by TF's ``tuple`` as ``gate_gradients=True`` asks."""
    grad_fn = op._opdef.grad
    if grad_fn is None:
        raise LookupError(
            f"No gradient defined for operation'{op.name}' (op type: {op.type}). In general "
            "every operation must have an associated `@tf.RegisterGradient` for correct "
            "autodiff, which this op is lacking. If you want to pretend this operation is a "
            "constant in your program, you may insert `tf.stop_gradient`. This can be useful "
            "to silence the error in cases where you know gradients are not needed, e.g. the "
            "forward pass of tf.custom_gradient. Please see more details in "
            "https://www.tensorflow.org/api_docs/python/tf/custom_gradient."
        )
    with graph.name_scope(op.name + "_grad"):
        in_grads = list(grad_fn(op, *out_grads))
        if len(in_grads) != len(op._inputs):
            raise ValueError(
                f"Num gradients {len(in_grads)} generated for op {op.name} do not match "
                f"num inputs {len(op._inputs)}"
            )
        if gate_for is not None and sum(g is not None for g in in_grads) > 1:
            wanted = [g for g, t in zip(in_grads, op._inputs) if g is not None and t.op in gate_for]
            in_grads = gate(in_grads, wanted)
    refs = op._opdef.ref_inputs
    return [g for i, g in enumerate(in_grads) if i not in refs]


def _check_shape(op: Operation, i: int, t: Tensor, g: Tensor) -> None:
    try:
        g.set_shape(t.shape)
    except ValueError:
        raise ValueError(
            "Incompatible shapes between op input and calculated input gradient.  Forward "
            f"operation: {op.name}.  Input index: {i}. Original input shape: {t.shape}.  "
            f"Calculated input gradient shape: {g.shape}"
        ) from None


def gate(grads: list, wanted: list | None = None) -> list:
    """TF's ``tuple`` over an op's gradients: each is usable only once all of them are.

    Only the ``wanted`` gradients (default: all) hold the gate back, so a gradient that
    flows to no x (the one for the input data of a MatMul) is never computed; TF
    computes it and discards it."""
    return gated(grads, wanted)


class AggregationMethod:
    """How ``gradients`` adds the gradients that reach one tensor along several paths
    (TF's constants; tfteach always adds them with one ``AddN``, the DEFAULT)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2
