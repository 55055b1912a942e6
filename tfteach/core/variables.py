"""`tf.Variable` and the initializer groups.

A variable is four ops: its initial value (``a/initial_value``), the variable
itself (``a``, type VariableV2), the assign that initializes it (``a/Assign``,
which is ``v.initializer``) and a read (``a/read``). Its value lives in each
session, never in the graph.
"""

from __future__ import annotations

from . import dtypes, events, state_ops
from .array_ops import strided_slice_of
from .constant_op import constant, convert_to_tensor, identity
from .control_flow_ops import group, no_op
from .dtypes import DType
from .errors import ITERATION_NOT_ALLOWED, OperatorNotAllowedInGraphError
from .graph import (
    GraphKeys,
    Operation,
    Tensor,
    get_collection,
    get_default_graph,
    graph_of,
    name_scope,
    session_for,
)
from .math_ops import _install_operators
from .tensor_shape import TensorShape


class Variable:
    """A TF1 reference variable (``dtype=float32_ref``)."""

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        collections=None,
        validate_shape: bool = True,
        caching_device=None,
        name: str | None = None,
        variable_def=None,
        dtype=None,
        expected_shape=None,
        import_scope=None,
        constraint=None,
        use_resource=None,
        synchronization=None,
        aggregation=None,
        shape=None,
    ):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        self._constraint = constraint  # optimizers assign constraint(v) after each update
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(
                "collections argument to Variable constructor must be a list, tuple, or set. "
                f"Got {collections} of type {type(collections)}"
            )
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        # TF's name_scope(name, "Variable", [initial_value]): a tensor's graph, else the default
        graph = get_default_graph() if callable(initial_value) else graph_of([initial_value])
        # TF builds variables in an init scope: control dependencies around them don't apply
        with graph.as_default(), graph._transaction(), graph.control_dependencies(None):
            self._build(graph, initial_value, dtype, name, validate_shape, shape)
            self._trainable = bool(trainable)
            graph.add_to_collections(collections, self)
            if events.has_observers("variable_created"):
                graph._on_commit(lambda: events.emit("variable_created", variable=self))

    def _build(self, graph, initial_value, dtype, name, validate_shape, shape):
        self._graph = graph
        if callable(initial_value):
            opened = graph.name_scope(name if name is not None else "Variable")
        else:  # TF's name_scope(name, "Variable", [initial_value]): the value's graph
            opened = name_scope(name, "Variable", [initial_value])
        with opened as scope:
            made = _variable_ops(graph, scope, initial_value, dtype, validate_shape, shape)
        self._initial_value, self._variable_op, self._initializer_op, self._snapshot = made
        extras = graph._extras
        extras.setdefault("variables", []).append(self)
        extras.setdefault("variables_by_op", {})[self._variable_op] = self
        graph._on_rollback(self._forget)

    def _forget(self) -> None:  # the transaction that made this variable failed
        extras = self._graph._extras
        extras["variables_by_op"].pop(self._variable_op, None)
        made = extras["variables"]
        for i in range(len(made) - 1, -1, -1):  # nearly always the last one
            if made[i] is self:
                del made[i]
                break

    # -- what it is -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._variable_op._name + ":0"

    @property
    def op(self) -> Operation:
        return self._variable_op

    @property
    def graph(self):
        return self._graph

    @property
    def dtype(self) -> DType:
        return self._variable_op._first._dtype

    @property
    def shape(self) -> TensorShape:
        return self._variable_op._first._shape

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def device(self) -> str:
        return ""

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def initializer(self) -> Operation:
        """The op that assigns the initial value (run by the initializer groups)."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        return self._initial_value

    @property
    def constraint(self):
        """The callable given as ``constraint=`` (None if none): optimizers assign
        ``constraint(v)`` to the variable after each update."""
        return self._constraint

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Variable` as a Python `bool` is not allowed. Use `if v is not None:` "
            "to test if a variable is defined."
        )

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(ITERATION_NOT_ALLOWED)

    def __getitem__(self, key) -> Tensor:
        """``v[key]``: a StridedSlice of the variable's value (see `Tensor.__getitem__`)."""
        return strided_slice_of(self._snapshot, key)

    def count_up_to(self, limit: int) -> Tensor:
        """An op that adds 1 to this int variable and gives its old value, until it has
        reached ``limit`` (then running it raises OutOfRangeError)."""
        return state_ops.count_up_to(self, limit)

    # -- conversion ----------------------------------------------------------------
    def _as_graph_element(self) -> Tensor:
        return self._variable_op._first

    def _as_tensor(self) -> Tensor:
        return self._snapshot

    def _ref(self) -> Tensor:
        return self._variable_op._first

    def value(self) -> Tensor:
        """The ``a/read`` tensor: the variable's value in a run."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new read of the variable (an Identity op named ``read``)."""
        return identity(self._ref(), name="read")

    def initialized_value(self) -> Tensor:
        """The value if this session initialized the variable, else its initial value.

        Safe inside another variable's initial value: it never reads an
        uninitialized variable.
        """
        graph = self.graph
        # TF builds this as a cond at the top level: its tensor is named cond/Merge:0
        with graph.name_scope(None), graph.name_scope("cond"):
            op = graph.create_op(
                "InitializedValue",
                [self._ref()],
                {"initial_value": self._initial_value},
                name="Merge",
            )
        return op._first

    def eval(self, session=None):
        return self._snapshot.eval(session=session)

    def load(self, value, session=None) -> None:
        """Stores ``value`` in the variable (in ``session``), without adding ops per call."""
        session = session_for(self._snapshot, session, "load variable")
        session._load(self, value)

    # -- updates ---------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        t = state_ops.assign(self, value, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_add(self, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_sub(self, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op


_install_operators(Variable)


def variable_for_op(var_op: Operation) -> Variable | None:
    """The `Variable` whose VariableV2 op is ``var_op`` (None for a bare op)."""
    return var_op.graph._extras.get("variables_by_op", {}).get(var_op)


def variables_of(graph) -> list[Variable]:
    """Every `Variable` made in ``graph``, in the order made, whatever its collections."""
    return list(graph._extras.get("variables", ()))


def _variable_ops(graph, scope: str, initial_value, dtype, validate_shape, shape) -> tuple:
    """A variable's ops in its name scope ``scope``: its initial value (built under
    ``Initializer/`` when ``initial_value`` is callable), the VariableV2 op, the Assign that
    initializes it and the ``read`` tensor."""
    if callable(initial_value):
        with graph.name_scope("Initializer"):
            initial = convert_to_tensor(initial_value(), name="initial_value", dtype=dtype)
    else:
        initial = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
    if shape is not None:
        var_shape = TensorShape(shape)
        if validate_shape and not var_shape.is_compatible_with(initial.shape):
            raise ValueError(
                f"The initial value's shape ({initial.shape}) is not compatible with "
                f"the explicitly supplied `shape` argument ({var_shape})."
            )
    elif validate_shape:
        var_shape = initial.shape
        if not var_shape.is_fully_defined():
            raise ValueError(f"initial_value must have a shape specified: {initial}")
    else:
        var_shape = TensorShape(None)
    variable_op = state_ops.variable_op_v2(var_shape, initial.dtype, name=scope)
    ref = variable_op._first
    value = _guard_reads(variable_op.name, initial)
    initializer_op = graph.create_op(
        "Assign",
        [ref, value],
        {"validate_shape": bool(validate_shape), "use_locking": True, "kind": "init"},
        name="Assign",
    )
    snapshot = graph.create_op("Identity", (ref,), None, "read")._first
    return initial, variable_op, initializer_op, snapshot


def _guard_reads(var_name: str, initial: Tensor) -> Tensor:
    """``initial`` with every read of another variable replaced by its initialized value.

    So ``Variable(v * 2)`` works under one ``global_variables_initializer()``, as in
    TF: the copy reads ``v`` if this session has initialized it, else v's initial value.
    """
    if not initial._op._reads:  # the graph records this for each op it makes
        return initial
    cache: dict[Operation, Operation] = {}
    suffix = "_" + var_name.replace("/", "_")

    def safe_op(op: Operation) -> Operation:
        if op in cache:
            return cache[op]
        new = op
        if op._opdef.is_variable:
            var = variable_for_op(op)
            if var is not None:
                new = var.initialized_value().op
        elif op.type != "InitializedValue":
            refs = op._opdef.ref_inputs
            inputs = [x if i in refs else safe_tensor(x) for i, x in enumerate(op._inputs)]
            if any(a is not b for a, b in zip(inputs, op._inputs)):
                graph = op.graph
                with graph.name_scope(None):
                    new = graph.create_op(op.type, inputs, op._attrs, name=op.name + suffix)
        cache[op] = new
        return new

    def safe_tensor(t: Tensor) -> Tensor:
        new_op = safe_op(t.op)
        return t if new_op is t.op else new_op.outputs[t.value_index]

    return safe_tensor(initial)


# -- collections ------------------------------------------------------------------------


def global_variables(scope=None) -> list[Variable]:
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables() -> list[Variable]:
    return global_variables()


def trainable_variables(scope=None) -> list[Variable]:
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None) -> list[Variable]:
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None) -> list[Variable]:
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None) -> list[Variable]:
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


# -- initializer groups ---------------------------------------------------------------------


def variables_initializer(var_list, name: str = "init") -> Operation:
    """One op that runs the initializer of every variable in ``var_list`` (a `NoOp` if empty)."""
    var_list = list(var_list)
    for v in var_list:
        if not isinstance(v, Variable):
            raise TypeError(f"variables_initializer expects tf.Variable objects, got {v!r}.")
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def initialize_variables(var_list, name: str = "init") -> Operation:
    return variables_initializer(var_list, name=name)


def global_variables_initializer() -> Operation:
    """``variables_initializer(global_variables())``: the variables that exist now."""
    return variables_initializer(global_variables())


def initialize_all_variables() -> Operation:
    return global_variables_initializer()


def local_variables_initializer() -> Operation:
    return variables_initializer(local_variables())


def initialize_local_variables() -> Operation:
    return local_variables_initializer()


def is_variable_initialized(variable: Variable, name: str | None = None) -> Tensor:
    """A boolean scalar: has the running session initialized ``variable``?"""
    ref = state_ops._ref_tensor(variable)
    op = ref.graph.create_op("IsVariableInitialized", [ref], name=name or "IsVariableInitialized")
    return op._first


def report_uninitialized_variables(var_list=None, name: str = "report_uninitialized_variables"):
    """A 1-D string tensor: the op names (``b'first/a'``) of the variables not yet initialized."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    refs = [state_ops._ref_tensor(v) for v in var_list]
    graph = get_default_graph()
    with graph._transaction(), graph.name_scope(name):
        if not refs:
            return constant([], dtype=dtypes.string, name="Const")
        # one op; named as the tensor TF's boolean_mask subgraph ends in
        op = graph.create_op("ReportUninitializedVariables", refs, name="boolean_mask/GatherV2")
        return op._first
