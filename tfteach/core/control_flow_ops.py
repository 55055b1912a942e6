"""Control flow: `no_op`, `group` and `tuple` (ops that only order others), `cond` and
`while_loop` (ops that decide, when the graph runs, what else runs)."""

from __future__ import annotations

import numpy as np

from . import dtypes
from .constant_op import constant, convert_to_tensor, identity, new_op, same_as_input
from .errors import InvalidArgumentError
from .graph import Operation, Tensor, atomic, creation_order, get_default_graph, name_scope
from .registry import register, register_plan_rewrite
from .tensor_shape import TensorShape


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
        ops = sorted({t if isinstance(t, Operation) else t.op for t in held}, key=creation_order)
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


# -- cond -------------------------------------------------------------------------------------
#
# TF1 builds both branches into the graph and, when the graph runs, computes only the one
# the predicate picks. tfteach does the same: `cond` records which ops each branch made,
# and a plan rewrite leaves those ops out of a run; the `Merge` op then computes the
# chosen branch's output on demand.


def _merge_shape(op):
    false_out, true_out = op.inputs
    if false_out.dtype.base_dtype is not true_out.dtype.base_dtype:
        raise TypeError(
            "true_fn and false_fn arguments to tf.cond must have the same number, type, and "
            f"overall structure of return values. true_fn output: {true_out}, false_fn "
            f"output: {false_out}"
        )
    a, b = true_out.shape, false_out.shape
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        shape = TensorShape(None)
    else:  # the dimensions both branches agree on
        shape = TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])
    return [(shape, true_out.dtype.base_dtype)]


def _merge_grad(op, grad):
    """The gradient reaches only the branch that ran: zeros for the other one."""
    switch = get_default_graph().create_op("Switch", [grad, op._attrs["pred"]])
    return [switch.outputs[0], switch.outputs[1]]


@register("Merge", shape=_merge_shape, grad=_merge_grad, lazy=True)
def _merge_kernel(ctx, op, false_value, true_value):
    return true_value if ctx.evaluate(op._attrs["pred"]) else false_value


def _taken_branch_kernel(ctx, op):
    """A Merge that computes only the chosen branch (its branches' ops left out of the plan)."""
    false_out, true_out = op._inputs
    return ctx.evaluate(true_out if ctx.evaluate(op._attrs["pred"]) else false_out)


def _on_demand(kernel, ins, skipped):
    """A step whose inputs made by skipped ops are computed when it runs (only then)."""

    def run(ctx, op):
        values = []
        for t in ins:
            if t._op._opdef.is_variable:
                values.append(ctx.read(t._op))
            else:
                values.append(ctx.evaluate(t))
        return kernel(ctx, op, *values)

    return run


@register_plan_rewrite
def _run_only_the_taken_branch(order, protected) -> dict:
    merges = [op for op in order if op._type == "Merge"]
    if not merges:
        return {}
    in_branches = set()
    for merge in merges:
        in_branches |= merge._attrs["branch_ops"]
    skipped = {
        op for op in order if op in in_branches and not any(t in protected for t in op._outputs)
    }
    replaced = dict.fromkeys(skipped)
    for op in order:
        if op._type == "Merge":
            replaced[op] = (_taken_branch_kernel, op, (), op._outputs)
        elif op not in skipped and any(t._op in skipped for t in op._inputs):
            ins = op._opdef.value_inputs(op._inputs)
            replaced[op] = (_on_demand(op._opdef.kernel, ins, skipped), op, (), op._outputs)
    return replaced


def _switch_shape(op):
    data = op.inputs[0]
    return [(data.shape, data.dtype.base_dtype)] * 2


@register("Switch", shape=_switch_shape)
def _switch_kernel(ctx, op, data, pred):
    """(data, zeros) when pred is false, (zeros, data) when true: TF's Switch, with zeros in
    place of the output that TF leaves dead."""
    zeros = np.zeros_like(data)
    return (zeros, data) if pred else (data, zeros)


def _flatten(structure) -> list:
    if isinstance(structure, (list, tuple)):
        return [x for item in structure for x in _flatten(item)]
    return [structure]


def _pack_like(structure, flat: list):
    it = iter(flat)

    def build(s):
        if isinstance(s, (list, tuple)):
            items = [build(x) for x in s]
            return type(s)(items) if not hasattr(s, "_fields") else type(s)(*items)
        return next(it)

    return build(structure)


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` is true when the graph runs, else ``false_fn()``.

    Both functions are called now, to build their ops (under the ``cond/`` name scope);
    a run computes only the ops of the branch that ``pred`` picks. Their results must
    have the same structure and dtypes; the result is ``cond/Merge:0`` (``Merge_1``, ...).
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if isinstance(pred, (bool, np.bool_)):
        raise TypeError("'pred' must not be a Python bool.")
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    graph = get_default_graph()
    with name_scope(name, "cond"):
        pred = convert_to_tensor(pred)
        if pred.dtype.base_dtype is not dtypes.bool or pred.shape.ndims not in (None, 0):
            raise TypeError(
                f"pred must be a scalar bool tensor, got {pred.dtype.base_dtype.name} of shape "
                f"{pred.shape}"
            )
        pred_id = identity(pred, name="pred_id")
        first = len(graph._ops)
        true_out = true_fn()
        false_out = false_fn()
        branch_ops = frozenset(graph._ops[first:])  # what the plan rewrite may leave out
        true_flat, false_flat = _flatten(true_out), _flatten(false_out)
        if len(true_flat) != len(false_flat):
            raise ValueError(
                "true_fn and false_fn arguments to tf.cond must have the same number, type, "
                "and overall structure of return values."
            )
        merged = []
        for t, f in zip(true_flat, false_flat):
            if isinstance(t, Operation) or isinstance(f, Operation):
                t = _as_value(t)
                f = _as_value(f)
            t, f = convert_to_tensor(t), convert_to_tensor(f)
            attrs = {"pred": pred_id, "branch_ops": branch_ops}
            merged.append(graph.create_op("Merge", [f, t], attrs, name="Merge")._first)
    if len(merged) == 1 and not isinstance(true_out, (list, tuple)):
        return merged[0]
    return _pack_like(true_out, merged)


def _as_value(x):
    """An op returned by a branch counts as a tensor that waits for it (TF1's rule)."""
    if isinstance(x, Operation):
        with get_default_graph().control_dependencies([x]):
            return constant(True, name="cond_op_done")
    return x


# -- while_loop -----------------------------------------------------------------------------
#
# TF1 builds a loop from Enter, Merge, Switch, NextIteration and Exit ops. tfteach builds
# the body and the condition once on the loop variables (ops named ``while/Identity``,
# ``while/Identity_1``, as the body sees them in TF) and one `While` op that runs them
# until the condition is false; the results are ``while/Exit:0``, ``while/Exit_1:0``, ...
# The `While` op's inputs are the loop variables' initial values and then every tensor
# from outside the loop that the condition or the body reads (TF's Enter ops bring those
# into the loop): so a variable the body reads is an input of the loop, and `gradients`
# sees that the loop's results depend on it. Its gradient is in `control_flow_grad`.


def _loop_variable_shape(op):
    return [(op._attrs["shape"], op._attrs["dtype"])]


@register("LoopVariable", shape=_loop_variable_shape)
def _loop_variable_kernel(ctx, op):
    raise InvalidArgumentError(
        None,
        op,
        f"'{op.name}' is a loop variable of a tf.while_loop: it has a value only inside the "
        "loop. Fetch the loop's results (the tensors tf.while_loop returned) instead.",
    )


def loop_variable(shape: TensorShape, dtype, name: str) -> Tensor:
    """A tensor that stands for a value which changes from one iteration of a loop to the
    next; a loop's kernel gives it its value in each iteration's context (`fork`)."""
    attrs = {"shape": shape, "dtype": dtype}
    return get_default_graph().create_op("LoopVariable", [], attrs, name=name)._first


def _while_shape(op):
    # the loop variables' shapes: the initial values' or the shape invariants
    return [(v.shape, v.dtype.base_dtype) for v in op._attrs["loop_vars"]]


def run_loop(ctx, op: Operation, initial, keep_frames: bool = False) -> tuple[list, list]:
    """Runs a `While` op's loop from the ``initial`` values of its loop variables; returns
    their final values and, with ``keep_frames``, the context each iteration ran in (its
    loop variables' values fed, the values its condition and body computed)."""
    attrs = op._attrs
    loop_vars, pred, body = attrs["loop_vars"], attrs["pred"], attrs["body"]
    limit = attrs["maximum_iterations"]
    if limit is not None:
        limit = ctx.evaluate(limit)
    values, frames, n = list(initial), [], 0
    while limit is None or n < limit:
        frame = ctx.fork(dict(zip(loop_vars, values)))
        if not frame.evaluate(pred):
            break
        values = [frame.evaluate(t) for t in body]
        n += 1
        if keep_frames:
            frames.append(frame)
    return values, frames


@register("While", shape=_while_shape, lazy=True)
def _while_kernel(ctx, op, *inputs):
    keep = op._attrs.get("keep_iterations", False)
    values, frames = run_loop(ctx, op, inputs[: len(op._attrs["loop_vars"])], keep)
    if keep:  # a gradient walks them back later in this run (TF keeps them on stacks)
        ctx.memo[iterations_key(op)] = frames
    return tuple(values) if len(values) > 1 else values[0]


def iterations_key(op: Operation) -> tuple:
    """Where a run keeps the iterations of a `While` op whose gradient was built (among the
    run's computed values; not a tensor, so no fetch can name it)."""
    return ("iterations", op)


def keep_iterations(op: Operation) -> None:
    """From now on, runs of the `While` op ``op`` keep the context of every iteration
    (unless the gradient being built fails: then the graph is left as it was)."""
    if not op._attrs.get("keep_iterations"):
        op._attrs["keep_iterations"] = True
        op.graph._on_rollback(lambda: op._attrs.pop("keep_iterations"))


@register("Exit", shape=same_as_input, grad=lambda op, g: [g])
def _exit_kernel(ctx, op, x):
    return x


def _read_from_outside(loop_ops: list) -> dict:
    """The tensors made before the loop that ``loop_ops`` (its condition and body) read,
    each with the first op that reads it, in the order they are first read (references to
    a variable that an op writes are not reads)."""
    inside = set(loop_ops)
    found = {}
    for op in loop_ops:
        for t in op._opdef.value_inputs(op._inputs):
            if t._op not in inside and t not in found:
                found[t] = op
    return found


def _maximum_iterations(value) -> Tensor:
    limit = convert_to_tensor(value, name="maximum_iterations")
    if limit.shape.ndims not in (None, 0):
        raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}")
    return limit


@atomic
def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
    maximum_iterations=None,
    return_same_structure=False,
):
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` is true, when the
    graph runs; returns the final values (a single tensor for a single loop variable).

    `gradients` flows through the loop to the initial values and to the tensors the body
    reads from outside it (variables, placeholders), unless ``back_prop`` is False."""
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if not loop_vars:
        raise ValueError("No loop variables provided")
    graph = get_default_graph()
    with name_scope(name, "while"):
        flat = [convert_to_tensor(v) for v in _flatten(loop_vars)]
        limit = None if maximum_iterations is None else _maximum_iterations(maximum_iterations)
        shapes = _flatten(shape_invariants) if shape_invariants is not None else None
        if limit is not None:  # TF counts the iterations in a loop variable of its own
            graph.unique_name("Identity")
        first = len(graph._ops)
        inside = []
        for i, t in enumerate(flat):
            shape = t.shape if shapes is None else TensorShape(shapes[i])
            inside.append(loop_variable(shape, t.dtype.base_dtype, name="Identity"))
        structured = _pack_like(loop_vars, inside)
        args = structured if isinstance(loop_vars, (list, tuple)) else [structured]
        pred = convert_to_tensor(cond(*args))
        out = body(*args)
        out_flat = [convert_to_tensor(v) for v in _flatten(out)]
        if len(out_flat) != len(flat):
            raise ValueError(
                "The two structures don't have the same number of elements.\n\nFirst "
                f"structure: {loop_vars}\n\nSecond structure: {out}"
            )
        for t, before, after in zip(flat, inside, out_flat):
            if not after.shape.is_compatible_with(before.shape):
                raise ValueError(
                    f"Input tensor '{t.name}' enters the loop with shape {before.shape}, but "
                    f"has shape {after.shape} after one iteration. To allow the shape to vary "
                    "across iterations, use the `shape_invariants` argument of tf.while_loop "
                    "to specify a less-specific shape."
                )
        readers = _read_from_outside(graph._ops[first:])
        outside = list(readers)
        if limit is not None and limit not in readers:
            outside.append(limit)
        attrs = {
            "loop_vars": tuple(inside),
            "pred": pred,
            "body": tuple(out_flat),
            "maximum_iterations": limit,
            "back_prop": bool(back_prop),
            "readers": tuple(readers.get(t) for t in outside),  # TF names gradients by them
        }
        loop = graph.create_op("While", flat + outside, attrs, name="LoopCond")
        if limit is not None:
            graph.unique_name("Exit")  # the iteration counter's, in TF
        exits = [new_op("Exit", [t], name="Exit") for t in loop.outputs]
    if len(exits) == 1 and not return_same_structure:
        return exits[0]
    return _pack_like(loop_vars, exits)
