"""Optimizers (``tf.train.GradientDescentOptimizer``, ``MomentumOptimizer``, ``AdamOptimizer``),
their update ops, and the global step.

As in TF1, ``minimize`` is ``compute_gradients`` then ``apply_gradients``. Slot variables
(``w/Momentum``, ``w/Adam``, ``w/Adam_1``) and Adam's ``beta1_power``/``beta2_power`` are
ordinary global, non-trainable variables created when the update ops are built, so an
initializer op made before that does not initialize them. Hyperparameters are float32
constants cast to each variable's dtype, as in TF.
"""

from __future__ import annotations

import numpy as np

from . import dtypes, init_ops
from .array_ops import zeros_like
from .constant_op import convert_to_tensor
from .control_flow_ops import group
from .gradients import gate, gradients
from .graph import GraphKeys, Operation, Tensor, atomic, get_default_graph, name_scope
from .math_ops import cast
from .registry import register
from .state_ops import assign_add
from .variable_scope import get_variable, variable_scope
from .variables import Variable, trainable_variables

# -- update ops: read the variable (and its slots) from the session, write the new values ------


def _apply_shape(n_refs: int, grad_index: int = -1):
    """Shape rule: inputs ``0..n_refs-1`` are variables of one shape and dtype, the rest
    tensors of that dtype; input ``grad_index`` (the gradient) has the variable's shape."""

    def rule(op):
        var = op.inputs[0]
        for t in op.inputs[:n_refs]:
            if not t.dtype.is_ref_dtype or not t.op.op_def.is_variable:
                raise TypeError(
                    f"'{op.type}' Op requires that input 'var' be a mutable tensor (e.g.: a "
                    "tf.Variable)"
                )
        dtype = var.dtype.base_dtype
        for t in op.inputs[1:]:
            if t.dtype.base_dtype is not dtype:
                raise TypeError(
                    f"Input of '{op.type}' Op has type {t.dtype.base_dtype.name} that does not "
                    f"match type {dtype.name} of argument 'var'."
                )
        grad = op.inputs[grad_index]
        if not var.shape.is_compatible_with(grad.shape):
            raise ValueError(f"{_shape_clash(var.shape, grad.shape)} for {_op_text(op)}.")
        return [(var.shape, var.dtype)]

    return rule


def _shape_clash(a, b) -> str:
    if a.ndims != b.ndims:
        return f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}"
    i, x, y = next(
        (i, x, y)
        for i, (x, y) in enumerate(zip(a.as_tuple(), b.as_tuple()))
        if x is not None and y is not None and x != y
    )
    return (
        f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes are "
        f"{a._shape_text()} and {b._shape_text()}."
    )


def _op_text(op) -> str:
    shapes = ", ".join(t.shape._shape_text() for t in op.inputs)
    return f"'{op.name}' (op: '{op.type}') with input shapes: {shapes}"


def _read_refs(ctx, op, n: int) -> list:
    return [ctx.read(op._inputs[i]._op) for i in range(n)]


@register("ApplyGradientDescent", shape=_apply_shape(1), ref_inputs=(0,))
def _apply_gradient_descent_kernel(ctx, op, alpha, delta):
    (var,) = _read_refs(ctx, op, 1)
    new = np.asarray(delta * alpha)  # a fresh array: subtract into it, one temporary less
    np.subtract(var, new, out=new)
    ctx.write(op._inputs[0]._op, new, "assign")
    return new


@register("ApplyMomentum", shape=_apply_shape(2, grad_index=3), ref_inputs=(0, 1))
def _apply_momentum_kernel(ctx, op, lr, grad, momentum):
    var, accum = _read_refs(ctx, op, 2)
    accum = accum * momentum + grad
    if op._attrs["use_nesterov"]:
        var = var - (grad * lr + accum * momentum * lr)
    else:
        var = var - accum * lr
    ctx.write(op._inputs[1]._op, accum, "assign")
    ctx.write(op._inputs[0]._op, var, "assign")
    return var


@register("ApplyAdam", shape=_apply_shape(3), ref_inputs=(0, 1, 2))
def _apply_adam_kernel(ctx, op, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    var, m, v = _read_refs(ctx, op, 3)
    one = np.ones((), dtype=var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m = m + (grad - m) * (one - beta1)
    v = v + (np.square(grad) - v) * (one - beta2)
    if op._attrs["use_nesterov"]:
        step = ((grad * (one - beta1) + beta1 * m) * alpha) / (np.sqrt(v) + epsilon)
    else:
        step = (m * alpha) / (np.sqrt(v) + epsilon)
    var = var - step
    for i, value in ((1, m), (2, v), (0, var)):
        ctx.write(op._inputs[i]._op, value, "assign")
    return var


# -- Optimizer --------------------------------------------------------------------------------

_FLOAT_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _assert_valid_dtypes(tensors) -> None:
    for t in tensors:
        dtype = t.dtype.base_dtype
        if dtype not in _FLOAT_DTYPES:
            raise ValueError(
                f"Invalid type {dtype!r} for {t.name}, expected: {list(_FLOAT_DTYPES)}."
            )


def _check_variable(v) -> Variable:
    if not isinstance(v, Variable):
        raise NotImplementedError("Trying to optimize unsupported type ", v)
    return v


def _flatten(values) -> list:
    out = []
    for v in values:
        out.extend(_flatten(v) if isinstance(v, (list, tuple)) else [v])
    return out


class Optimizer:
    """Base class of the optimizers: gradients, then one update op per variable."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict[str, dict[Operation, Variable]] = {}
        self._non_slot: dict[tuple, Variable] = {}

    def get_name(self) -> str:
        return self._name

    @atomic
    def minimize(
        self,
        loss,
        global_step=None,
        var_list=None,
        gate_gradients: int = GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops: bool = False,
        name: str | None = None,
        grad_loss=None,
    ) -> Operation:
        """An op that takes one optimization step on ``loss`` (and increments ``global_step``).

        ``var_list`` defaults to the trainable variables.
        """
        if not callable(loss) and not hasattr(loss, "dtype"):
            # TF's own error, raised before anything is built (no Const left behind)
            raise AttributeError(f"'{type(loss).__name__}' object has no attribute 'dtype'")
        loss_t = loss() if callable(loss) else convert_to_tensor(loss)
        graph = loss_t.graph
        with graph.as_default(), graph._transaction():
            grads_and_vars = self.compute_gradients(
                loss_t,
                var_list=var_list,
                gate_gradients=gate_gradients,
                aggregation_method=aggregation_method,
                colocate_gradients_with_ops=colocate_gradients_with_ops,
                grad_loss=grad_loss,
            )
            if not any(g is not None for g, _ in grads_and_vars):
                raise ValueError(
                    "No gradients provided for any variable, check your graph for ops that do "
                    "not support gradients, between variables "
                    f"{[str(v) for _, v in grads_and_vars]} and loss {loss_t}."
                )
            return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(
        self,
        loss,
        var_list=None,
        gate_gradients: int = GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops: bool = False,
        grad_loss=None,
    ) -> list:
        """``[(gradient or None, variable), ...]`` of ``loss`` for each variable in var_list."""
        if gate_gradients not in (self.GATE_NONE, self.GATE_OP, self.GATE_GRAPH):
            raise ValueError(
                "gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                f"Optimizer.GATE_GRAPH.  Not {gate_gradients}"
            )
        loss = loss() if callable(loss) else convert_to_tensor(loss)
        _assert_valid_dtypes([loss])
        graph = loss.graph
        with graph.as_default(), graph._transaction():
            if var_list is None:
                var_list = trainable_variables()
                var_list += graph.get_collection(GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
            else:
                var_list = _flatten(var_list)
            var_list = [_check_variable(v) for v in var_list]
            if not var_list:
                raise ValueError("No variables to optimize.")
            grads = gradients(
                loss,
                [v._ref() for v in var_list],
                grad_ys=grad_loss,
                gate_gradients=gate_gradients == self.GATE_OP,
                aggregation_method=aggregation_method,
                colocate_gradients_with_ops=colocate_gradients_with_ops,
            )
            if gate_gradients == self.GATE_GRAPH and any(g is not None for g in grads):
                grads = gate(grads)
            grads_and_vars = list(zip(grads, var_list))
            _assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
            return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name: str | None = None):
        """An op that applies the gradients to their variables (and increments global_step)."""
        pairs = []
        for g, v in tuple(grads_and_vars):
            if g is not None:
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError(
                        f"Gradient must be convertible to a Tensor or IndexedSlices, or None: {g}"
                    ) from None
            pairs.append((g, _check_variable(v)))
        if not pairs:
            raise ValueError("No variables provided.")
        var_list = [v for g, v in pairs if g is not None]
        if not var_list:
            raise ValueError(
                f"No gradients provided for any variable: {[str(v) for _, v in pairs]}."
            )
        graph = var_list[0].graph
        with graph.as_default(), graph._transaction():
            with graph.control_dependencies(None):
                self._create_slots(var_list)
            with name_scope(name, self._name) as scope:
                self._prepare()
                update_ops = []
                for g, v in pairs:
                    if g is not None:
                        with name_scope("update_" + v.op.name):
                            update_ops.append(self._apply_constrained(g, v))
                if global_step is None:
                    train_op = self._finish(update_ops, scope)
                else:
                    with graph.control_dependencies([self._finish(update_ops, "update")]):
                        train_op = assign_add(global_step, 1, name=scope).op
            train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
            if train_op not in train_ops:
                graph.add_to_collection(GraphKeys.TRAIN_OP, train_op)
            return train_op

    def _apply_constrained(self, grad: Tensor, var: Variable) -> Operation:
        """The update op; for a variable with a ``constraint``, TF then assigns
        ``constraint(var)`` to it, after the update (a projection, e.g. onto a norm ball)."""
        update = self._apply_dense(grad, var)
        if var.constraint is None:
            return update
        with get_default_graph().control_dependencies([update]):
            # TF passes the variable, whose read aliases the updated buffer; tfteach's reads
            # are values, so the constraint gets a read made after the update instead
            return var.assign(var.constraint(var.read_value())).op

    # -- slots ------------------------------------------------------------------------------
    def get_slot(self, var, name: str):
        """The slot variable ``name`` this optimizer made for ``var`` (None if none)."""
        return self._slots.get(name, {}).get(var.op)

    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def variables(self) -> list[Variable]:
        """This optimizer's slot and non-slot variables in the default graph, by name."""
        graph = get_default_graph()
        found = [v for (_, g), v in self._non_slot.items() if g is graph]
        found += [v for slots in self._slots.values() for v in slots.values() if v.graph is graph]
        return sorted(found, key=lambda v: v.name)

    def _zeros_slot(
        self, var: Variable, slot_name: str, op_name: str, fill_value: float = 0.0
    ) -> Variable:
        slots = self._slots.setdefault(slot_name, {})
        if var.op not in slots:
            slots[var.op] = _zeros_slot_variable(var, op_name, fill_value)
            var.graph._on_rollback(lambda: self._forget_slot(slot_name, var))
        return slots[var.op]

    def _forget_slot(self, slot_name: str, var: Variable) -> None:
        slots = self._slots[slot_name]
        slots.pop(var.op, None)
        if not slots:
            del self._slots[slot_name]

    def _create_non_slot_variable(self, initial_value, name: str, colocate_with: Variable):
        key = (name, colocate_with.graph)
        if key not in self._non_slot:
            self._non_slot[key] = Variable(initial_value, name=name, trainable=False)
            colocate_with.graph._on_rollback(lambda: self._non_slot.pop(key, None))
        return self._non_slot[key]

    def _get_non_slot_variable(self, name: str, graph=None):
        return self._non_slot.get((name, graph or get_default_graph()))

    # -- what each optimizer defines ------------------------------------------------------------
    def _create_slots(self, var_list) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        raise NotImplementedError()

    def _finish(self, update_ops, name_scope: str) -> Operation:
        return group(*update_ops, name=name_scope)

    def _hyper(self, value, name: str) -> Tensor:
        return convert_to_tensor(value() if callable(value) else value, name=name)


def _zeros_slot_variable(primary: Variable, op_name: str, fill_value: float = 0.0) -> Variable:
    """A global, non-trainable variable of zeros (or of ``fill_value``: Adagrad's 0.1,
    RMSProp's ones) shaped as ``primary``, named as TF's slot creator names it: variable
    scope ``<primary>/<op_name>`` (made unique: ``w/Adam``, ``w/Adam_1``) inside the current
    variable scope; name scopes do not count."""
    shape, dtype = primary.shape, primary.dtype.base_dtype
    with variable_scope(None, default_name=f"{primary.op.name}/{op_name}"):
        if shape.is_fully_defined():
            if fill_value == 0.0:
                initializer = init_ops.zeros_initializer()
            elif fill_value == 1.0:
                initializer = init_ops.ones_initializer()
            else:
                initializer = init_ops.constant_initializer(fill_value)
            return get_variable(
                "",
                shape=shape,
                dtype=dtype,
                initializer=initializer,
                trainable=False,
            )
        initial = zeros_like(primary.initialized_value())
        return get_variable(
            "",
            initializer=initial + fill_value if fill_value else initial,
            trainable=False,
            validate_shape=False,
        )


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * gradient``."""

    def __init__(self, learning_rate, use_locking: bool = False, name: str = "GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        lr = cast(self._learning_rate_tensor, var.dtype.base_dtype)
        return get_default_graph().create_op(
            "ApplyGradientDescent",
            [var._ref(), lr, grad],
            {"use_locking": self._use_locking},
            name="ApplyGradientDescent",
        )


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + gradient; var -= learning_rate * accum`` (Nesterov:
    ``var -= learning_rate * (gradient + momentum * accum)``)."""

    def __init__(
        self,
        learning_rate,
        momentum,
        use_locking: bool = False,
        name: str = "Momentum",
        use_nesterov: bool = False,
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = bool(use_nesterov)

    def _create_slots(self, var_list) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._learning_rate, "learning_rate")
        self._momentum_tensor = self._hyper(self._momentum, "momentum")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        accum = self.get_slot(var, "momentum")
        inputs = [
            var._ref(),
            accum._ref(),
            cast(self._learning_rate_tensor, dtype),
            grad,
            cast(self._momentum_tensor, dtype),
        ]
        attrs = {"use_locking": self._use_locking, "use_nesterov": self._use_nesterov}
        return get_default_graph().create_op("ApplyMomentum", inputs, attrs, name="ApplyMomentum")


class AdamOptimizer(Optimizer):
    """Adam (Kingma and Ba): moving averages of the gradient (slot ``m``, ``w/Adam``) and of
    its square (slot ``v``, ``w/Adam_1``), with bias correction through ``beta1_power`` and
    ``beta2_power``."""

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-08,
        use_locking: bool = False,
        name: str = "Adam",
    ):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _get_beta_accumulators(self):
        graph = get_default_graph()
        return (
            self._get_non_slot_variable("beta1_power", graph),
            self._get_non_slot_variable("beta2_power", graph),
        )

    def _create_slots(self, var_list) -> None:
        first_var = min(var_list, key=lambda v: v.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name + "_1")

    def _prepare(self) -> None:
        self._lr_t = self._hyper(self._lr, "learning_rate")
        self._beta1_t = self._hyper(self._beta1, "beta1")
        self._beta2_t = self._hyper(self._beta2, "beta2")
        self._epsilon_t = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        inputs = [
            var._ref(),
            self.get_slot(var, "m")._ref(),
            self.get_slot(var, "v")._ref(),
            *(cast(t, dtype) for t in (beta1_power, beta2_power, self._lr_t)),
            *(cast(t, dtype) for t in (self._beta1_t, self._beta2_t, self._epsilon_t)),
            grad,
        ]
        attrs = {"use_locking": self._use_locking, "use_nesterov": False}
        return get_default_graph().create_op("ApplyAdam", inputs, attrs, name="ApplyAdam")

    def _finish(self, update_ops, name_scope: str) -> Operation:
        graph = get_default_graph()
        with graph.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t)
        return group(*update_ops, update_beta1, update_beta2, name=name_scope)


# -- global step ----------------------------------------------------------------------------------


def _check_global_step(global_step) -> None:
    if not isinstance(global_step, (Variable, Tensor)):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: {global_step}.')
    if not global_step.dtype.base_dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: {global_step.dtype}')
    if not global_step.shape.is_compatible_with([]):
        raise TypeError(f'Existing "global_step" is not scalar: {global_step.shape}')


def get_global_step(graph=None):
    """The global step variable of ``graph`` (default graph), or None if there is none."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        return None  # TF logs "Multiple tensors in global_step collection." and gives up
    if found:
        step = found[0]
    else:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    _check_global_step(step)
    return step


def create_global_step(graph=None) -> Variable:
    """Creates the int64 scalar ``global_step`` variable (0, not trainable) in ``graph``."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(
            GraphKeys.GLOBAL_STEP,
            shape=[],
            dtype=dtypes.int64,
            initializer=init_ops.zeros_initializer(),
            trainable=False,
            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP],
        )


def get_or_create_global_step(graph=None):
    """The global step of ``graph``, created first if it has none."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def global_step(sess, global_step_tensor) -> int:
    """The value of the global step in ``sess``, as a Python int."""
    return int(sess.run(global_step_tensor))
