"""The gradient of `tf.while_loop`: backpropagation through the loop's iterations.

A loop computes ``v1 = body(v0)``, ``v2 = body(v1)``, ... ``vN = body(vN-1)`` while its
condition holds; the body may also read tensors from outside the loop (a weight ``w``).
By the chain rule, with ``g`` the gradient arriving at the loop's results ``vN``:

    for k = N-1 down to 0:        (the last iteration first)
        dw += d body(vk) / d w  . g
        g   = d body(vk) / d vk . g
    the gradient of v0 is g; the gradient of w is dw

So the gradient of a loop is a loop too. When the gradient is built, the body's gradient
is built once (``gradients/while/mul_grad/...``, as TF names it), on two kinds of stand-ins:
the loop variables (``vk``) and the gradients arriving at the body's results (``g``). One
`WhileGrad` op, when the graph runs, walks the iterations backwards, feeding each one's
``vk`` and ``g`` to the body's gradient. From then on the loop keeps, in each run, the
values every iteration computed (TF keeps them on stacks), so the backward pass reuses
them: a body's random draws are not drawn again, nor its writes done twice. (TF's own
file for the gradients of its control-flow ops has this name.)
"""

from __future__ import annotations

import numpy as np

from .constant_op import identity, not_differentiable
from .control_flow_ops import iterations_key, keep_iterations, loop_variable, run_loop
from .gradients import subgraph_gradients
from .graph import Operation, Tensor, get_default_graph
from .registry import register, set_gradient


def _while_grad(op: Operation, *grads) -> list:
    """The gradients of a `While` op's inputs (the loop variables' initial values, then
    the tensors its body reads from outside) from those of its results."""
    attrs = op._attrs
    loop_vars, body = attrs["loop_vars"], attrs["body"]
    outside = op.inputs[len(loop_vars) :]
    result = [None] * len(op.inputs)
    if not attrs["back_prop"]:  # TF: the loop passes no gradient back at all
        return result
    carrying, reached = _carrying_gradient(loop_vars, body, outside, grads)
    if not carrying:
        return result
    keep_iterations(op)
    graph = get_default_graph()
    own_scope = graph.get_name_scope()  # gradients/while/LoopCond_grad
    # The body's gradient is named where TF names it (gradients/while/mul_grad/...), not
    # under this op's own gradient scope (gradients/while/LoopCond_grad/).
    with graph.name_scope(_gradients_scope(own_scope, op)):
        arriving = [
            loop_variable(
                loop_vars[j].shape, loop_vars[j].dtype, _exit_name(op, j) + "_grad/b_exit"
            )
            for j in carrying
        ]
        body_grads = subgraph_gradients(
            [body[j] for j in carrying],
            arriving,
            [loop_vars[j] for j in carrying] + reached,
            stop_at=outside,
        )
        to_loop_vars, to_outside = body_grads[: len(carrying)], body_grads[len(carrying) :]
        targets = list(carrying) + [
            len(loop_vars) + outside.index(t) for t, g in zip(reached, to_outside) if g is not None
        ]
        given = [j for j in carrying if grads[j] is not None]
        grad_attrs = {
            "forward": op,
            "carrying": tuple(carrying),
            "given": tuple(given),
            "arriving": tuple(arriving),
            "to_loop_vars": tuple(to_loop_vars),
            "to_outside": tuple(g for g in to_outside if g is not None),
            "targets": tuple(targets),
        }
        inputs = list(op.inputs) + [grads[j] for j in given]
        with graph.name_scope(own_scope + "/"):
            grad_op = graph.create_op("WhileGrad", inputs, grad_attrs, name="WhileGrad")
        for i, g in zip(targets, grad_op.outputs):
            result[i] = identity(g, name=_tf_gradient_name(op, i))
    return result


def _carrying_gradient(loop_vars, body, outside, grads) -> tuple[list, list]:
    """Which loop variables carry a gradient from one iteration to the one before (by index),
    and which tensors from outside the loop receive one. A loop variable carries one if a
    gradient arrives at its result, or if the body computes from it a result that carries
    one; TF gives None to the rest."""
    depends = [_float_sources(t, set(loop_vars) | set(outside)) for t in body]
    carrying = {j for j, g in enumerate(grads) if g is not None}
    while True:
        more = {j for k in carrying for j, v in enumerate(loop_vars) if v in depends[k]}
        if more <= carrying:
            break
        carrying |= more
    reached = set().union(*(depends[k] for k in carrying)) if carrying else set()
    return sorted(carrying), [t for t in outside if t in reached]


def _float_sources(tensor: Tensor, sources: set) -> set:
    """The ``sources`` that ``tensor`` is computed from along floating-point tensors and
    differentiable ops (the paths a gradient can take back)."""
    found, seen, stack = set(), set(), [tensor]
    while stack:
        t = stack.pop()
        if t in seen or not (t.dtype.is_floating or t.dtype.is_complex):
            continue
        seen.add(t)
        if t in sources:
            found.add(t)
            continue
        opdef = t.op._opdef
        if opdef.grad is not not_differentiable:
            stack.extend(opdef.value_inputs(t.op._inputs))
    return found


def _gradients_scope(scope: str, op: Operation) -> str | None:
    """The name scope of the whole gradient (``gradients/``), from the one that `gradients`
    opened for ``op`` (``gradients/while/LoopCond_grad``)."""
    own = op.name + "_grad"
    if not scope.endswith(own):
        return scope + "/" if scope else None
    return scope[: -len(own)] or None


def _exit_name(op: Operation, j: int) -> str:
    """The name of the `Exit` op of the loop's j-th result (``while/Exit_1``)."""
    exits = op.outputs[j].consumers()
    return exits[0].name if exits else op.name


def _tf_gradient_name(op: Operation, i: int) -> str:
    """The name TF gives the gradient of the loop's i-th input: for the initial value of
    the j-th loop variable ``while/Enter_j_grad/Exit``, for a tensor the body reads from
    outside ``while/mul/Enter_grad/b_acc_3`` (``while/mul`` read it first)."""
    n = len(op._attrs["loop_vars"])
    if i < n:
        scope = op.name.rpartition("/")[0]
        enter = "Enter" if i == 0 else f"Enter_{i}"
        return f"{scope}/{enter}_grad/Exit" if scope else f"{enter}_grad/Exit"
    reader = op._attrs["readers"][i - n]
    return f"{reader.name}/Enter_grad/b_acc_3" if reader is not None else "b_acc_3"


def _while_grad_shape(op):
    inputs = op._attrs["forward"].inputs
    return [(inputs[i].shape, inputs[i].dtype.base_dtype) for i in op._attrs["targets"]]


def _second_order(op, *grads):
    raise TypeError("Second-order gradient for while loops not supported.")


@register("WhileGrad", shape=_while_grad_shape, grad=_second_order, lazy=True)
def _while_grad_kernel(ctx, op, *inputs):
    """Walks the loop's iterations backwards (the sum in this module's docstring)."""
    attrs = op._attrs
    forward = attrs["forward"]
    loop_vars, carrying = forward._attrs["loop_vars"], attrs["carrying"]
    given = dict(zip(attrs["given"], inputs[len(forward.inputs) :]))
    if not any(np.any(g) for g in given.values()):
        # no gradient arrives (the loop is in the branch of a cond that did not run):
        # zeros, without running a loop that may not even stop for these inputs
        return _outputs(op, [np.zeros_like(inputs[i]) for i in attrs["targets"]])
    frames = ctx.memo.get(iterations_key(forward))
    if frames is None:  # the loop has not run in this run: run it now
        initial = inputs[: len(loop_vars)]
        final, frames = run_loop(ctx, forward, initial, keep_frames=True)
    else:
        final = [ctx.evaluate(t) for t in forward.outputs]
    # the gradient arriving at each carrying loop variable (zeros where none arrives)
    g = [given[j] if j in given else np.zeros_like(final[j]) for j in carrying]
    sums = [np.zeros_like(inputs[i]) for i in attrs["targets"][len(carrying) :]]
    to_loop_vars = attrs["to_loop_vars"]
    wanted = [t for t in to_loop_vars if t is not None] + list(attrs["to_outside"])
    for frame in reversed(frames):  # the last iteration first
        # the body's gradient, on the values this iteration computed
        step = frame.fork(dict(zip(attrs["arriving"], g)))
        computed = iter([step.evaluate(t) for t in wanted])
        g = [
            np.zeros_like(frame.memo[loop_vars[j]]) if t is None else next(computed)
            for j, t in zip(carrying, to_loop_vars)
        ]
        sums = [s + next(computed) for s in sums]
    return _outputs(op, g + sums)


def _outputs(op: Operation, values: list):
    """A kernel's result: ``values`` in the dtypes of ``op``'s outputs."""
    dtypes = [t.dtype.base_dtype.as_numpy_dtype for t in op.outputs]
    result = [np.asarray(x, dtype=d) for x, d in zip(values, dtypes)]
    return tuple(result) if len(result) > 1 else result[0]


set_gradient("While", _while_grad)
