"""``tf.train.ExponentialMovingAverage``: a shadow copy of each variable that trails it.

``ema.apply([w])`` creates one shadow variable per variable, ``w/ExponentialMovingAverage``
(global, not trainable; initialized to ``w``'s initial value), adds ``w`` itself to the
``MOVING_AVERAGE_VARIABLES`` collection, and returns an op that moves every shadow towards
its variable::

    shadow -= (1 - decay) * (shadow - w)        # i.e. shadow = decay * shadow + (1 - decay) * w

With ``num_updates`` (usually the global step) TF uses a smaller decay early in training:
``min(decay, (1 + num_updates) / (10 + num_updates))``, so the average warms up quickly.

The classic use runs the update after each training step and, at test time, restores the
averages into the model's variables through a ``Saver(ema.variables_to_restore())``.
"""

from __future__ import annotations

from . import dtypes
from .constant_op import convert_to_tensor
from .control_flow_ops import group
from .graph import GraphKeys, Tensor, atomic, get_default_graph, graph_of, name_scope
from .math_ops import cast, minimum, truediv
from .state_ops import assign_sub
from .training import _zeros_slot_variable
from .variable_scope import get_variable, variable_scope
from .variables import Variable, global_variables, moving_average_variables, trainable_variables

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)  # and bfloat16, which tfteach lacks


class ExponentialMovingAverage:
    """Keeps moving averages of variables (or tensors) in shadow variables."""

    def __init__(
        self,
        decay,
        num_updates=None,
        zero_debias: bool = False,
        name: str = "ExponentialMovingAverage",
    ):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict = {}  # _key(var) -> shadow variable

    @property
    def name(self) -> str:
        return self._name

    @atomic
    def apply(self, var_list=None):
        """Creates the shadow variables still missing and returns the op (a ``NoOp`` named
        ``ExponentialMovingAverage``) that updates the shadows of ``var_list`` (default: the
        trainable variables)."""
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        for var in var_list:  # TF checks as it goes; tfteach before it builds anything
            _check_averageable(var, self._zero_debias)
        graph = graph_of(var_list)
        with graph.as_default():
            for var in var_list:
                key = _key(var)
                if key not in self._averages:
                    with graph.control_dependencies(None):  # TF's init_scope
                        self._averages[key] = _create_shadow(var, self._name)
                    graph._on_rollback(lambda k=key: self._averages.pop(k, None))
            with name_scope(self._name) as scope:
                decay = self._decay_tensor()
                updates = [
                    assign_moving_average(self._averages[_key(var)], var, decay) for var in var_list
                ]
                return group(*updates, name=scope)

    def _decay_tensor(self) -> Tensor:
        """``decay`` as float32, or ``min(decay, (1 + n) / (10 + n))`` with ``num_updates``."""
        decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
        if self._num_updates is None:
            return decay
        n = cast(self._num_updates, dtypes.float32, name="num_updates")
        return minimum(decay, truediv(1.0 + n, 10.0 + n))

    def average(self, var):
        """The shadow variable of ``var``, or None if ``apply`` has not seen it."""
        return self._averages.get(_key(var))

    def average_name(self, var) -> str:
        """The name of ``var``'s shadow variable: the actual one once ``apply`` made it, else
        the name it would get now (``<var>/ExponentialMovingAverage``, made unique)."""
        shadow = self._averages.get(_key(var))
        if shadow is not None:
            return shadow.op.name
        return get_default_graph().unique_name(
            f"{var.name[: -len(':0')]}/{self._name}", mark_as_used=False
        )

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """A ``{checkpoint name: variable}`` map for ``tf.train.Saver``: each averaged
        variable (default: trainable ones plus ``MOVING_AVERAGE_VARIABLES``) is loaded from
        its shadow's name, every other global variable from its own name."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        averaged = list(dict.fromkeys(moving_avg_variables))  # no duplicates, in order
        name_map = {self.average_name(v): v for v in averaged}
        averaged_names = {v.name for v in averaged}
        for v in global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map


def assign_moving_average(variable, value, decay, name: str | None = None):
    """``variable -= (variable - value) * (1 - decay)``, named ``AssignMovingAvg``."""
    with name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        one_minus_decay = 1.0 - decay  # operators, as TF writes it: sub, sub_1, mul
        dtype = variable.dtype.base_dtype
        if one_minus_decay.dtype.base_dtype is not dtype:
            one_minus_decay = cast(one_minus_decay, dtype)
        # under control_dependencies([train_op]), `value`'s read sees the trained value
        step = (variable - value) * one_minus_decay
        return assign_sub(variable, step, name=scope)


def _key(var):
    """Variables are keyed by their op (as the optimizers key slots), tensors by themselves."""
    return var.op if isinstance(var, Variable) else var


def _check_averageable(var, zero_debias: bool) -> None:
    """TF's dtype check (with its words), and what tfteach leaves out, said plainly."""
    if not isinstance(var, (Variable, Tensor)):
        raise TypeError(f"ExponentialMovingAverage.apply takes Variables or Tensors, got {var!r}.")
    if var.dtype.base_dtype not in _FLOATS:
        raise TypeError(f"The variables must be half, float, or double: {var.name}")
    if isinstance(var, Tensor) and zero_debias:
        raise NotImplementedError(
            "tfteach's ExponentialMovingAverage does not do zero_debias=True for tensors "
            f"({var.name}): use zero_debias=False, or average a Variable (TF ignores "
            "zero_debias for Variables)."
        )
    if isinstance(var, Tensor) and not var.shape.is_fully_defined():
        raise NotImplementedError(
            "tfteach's ExponentialMovingAverage averages tensors of fully defined shape "
            f"only; {var.name} has shape {var.shape}."
        )


def _create_shadow(var, name: str) -> Variable:
    """TF's slot creator: ``<var>/<name>`` in the current variable scope, not trainable.
    A variable's shadow starts at the variable's value (its initial value if it is not
    initialized yet); a tensor's at zeros."""
    if not isinstance(var, Variable):
        return _zeros_slot_variable(var, name)
    with variable_scope(None, default_name=f"{var.op.name}/{name}"):
        shadow = get_variable("", initializer=var.initialized_value(), trainable=False)
    var.graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
    return shadow
