"""`tf.Variable` and the initializer groups.

A variable is four ops: its initial value (``a/initial_value``), the variable
itself (``a``, type VariableV2), the assign that initializes it (``a/Assign``,
which is ``v.initializer``) and a read (``a/read``). Its value lives in each
session, never in the graph.
"""

from __future__ import annotations

import functools

from . import dtypes, events, state_ops
from .array_ops import constant, convert_to_tensor, identity
from .control_flow_ops import group, no_op
from .dtypes import DType
from .graph import GraphKeys, Operation, Tensor, get_collection, get_default_graph, name_scope
from .math_ops import _install_operators
from .templates import Pending, build_or_replay
from .tensor_shape import TensorShape

_VARIABLE_OPS = ("VariableV2",)


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
        graph = get_default_graph()
        # TF builds variables in an init scope: control dependencies around them don't apply
        with graph._transaction(), graph.control_dependencies(None):
            self._build(graph, initial_value, dtype, name, validate_shape, shape)
            self._trainable = bool(trainable)
            graph.add_to_collections(collections, self)
            if events.has_observers("variable_created"):
                graph._on_commit(lambda: events.emit("variable_created", variable=self))

    def _build(self, graph, initial_value, dtype, name, validate_shape, shape):
        self._graph = graph
        from_fn = callable(initial_value)
        if from_fn:
            opened = graph.name_scope(name if name is not None else "Variable")
        else:  # TF's name_scope(name, "Variable", [initial_value]): the value's graph
            opened = name_scope(name, "Variable", [initial_value])
        with opened as scope:

            def make_ops():
                return _variable_ops(graph, scope, initial_value, dtype, validate_shape, shape)

            key = _template_key(initial_value, dtype, validate_shape, shape) if from_fn else None
            made = build_or_replay(graph, key, make_ops, owner=self)
        if type(made) is Pending:  # replayed: the graph makes the ops when they are needed
            self._made = None
            self._op_name, self._op_dtype, self._op_shape = made.output(1)
        else:
            self._materialized(made)
            self._op_name = made[1]._name
        graph._extras.setdefault("variables", []).append(self)
        graph._on_rollback(self._forget)

    def _materialized(self, made: tuple) -> None:
        """Takes the variable's ops (initial value, VariableV2 op, Assign, read tensor)."""
        self._made = made
        self._graph = made[1]._graph
        self._graph._extras.setdefault("variables_by_op", {})[made[1]] = self

    def _forget(self) -> None:  # the transaction that made this variable failed
        extras = self._graph._extras
        if self._made is not None:
            extras.get("variables_by_op", {}).pop(self._made[1], None)
        made = extras.get("variables", [])
        for i in range(len(made) - 1, -1, -1):  # nearly always the last one
            if made[i] is self:
                del made[i]
                break

    def _op_if_made(self) -> Operation | None:
        """The VariableV2 op, or None while it is pending (no session can have run it)."""
        return None if self._made is None else self._made[1]

    def _ops_made(self) -> tuple:
        made = self._made
        if made is None:
            if self._graph._pending:
                self._graph._materialize()
            made = self._made
            if made is None:  # its block was dropped: the call that made it failed
                raise ValueError(
                    f"Variable {self._op_name} has no ops: the call that made it failed, and "
                    "the graph was left as it was before that call."
                )
        return made

    # the four ops, made on first use when they were pending
    _initial_value = property(lambda self: self._ops_made()[0])
    _variable_op = property(lambda self: self._ops_made()[1])
    _initializer_op = property(lambda self: self._ops_made()[2])
    _snapshot = property(lambda self: self._ops_made()[3])

    # -- what it is -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._op_name + ":0"

    @property
    def op(self) -> Operation:
        return self._variable_op

    @property
    def graph(self):
        return self._graph

    @property
    def dtype(self) -> DType:
        made = self._made
        return made[1]._first._dtype if made is not None else self._op_dtype

    @property
    def shape(self) -> TensorShape:
        made = self._made
        return made[1]._first._shape if made is not None else self._op_shape

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
        raise TypeError("'Variable' object is not iterable.")

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
        from .session import _session_for

        session = _session_for(self._snapshot, session, "load variable")
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


def _variable_of(var_op: Operation) -> Variable | None:
    return var_op.graph._extras.get("variables_by_op", {}).get(var_op)


def variable_for_op(var_op: Operation) -> Variable | None:
    """The `Variable` whose VariableV2 op is ``var_op`` (None for a bare op)."""
    return _variable_of(var_op)


def op_name(variable: Variable) -> str:
    """``variable.op.name``, without making the variable's ops if they are pending."""
    return variable._op_name


def variables_of(graph) -> list[Variable]:
    """Every `Variable` made in ``graph``, in the order made, whatever its collections
    (without making the ops of variables whose ops are pending)."""
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


def _template_key(initial_value, dtype, validate_shape, shape):
    """For `templates`: what determines a variable's ops when its initial value is
    `get_variable`'s call of one of tfteach's initializers (``partial(init, shape,
    dtype=...)``); None for any other initial value."""
    if type(initial_value) is not functools.partial or initial_value.args is None:
        return None
    init, args, keywords = initial_value.func, initial_value.args, initial_value.keywords
    key_of = getattr(init, "_template_key", None)
    if key_of is None or len(args) != 1 or not keywords.keys() <= {"dtype", "partition_info"}:
        return None
    try:
        init_dtype = init._dtype(keywords.get("dtype"))
    except TypeError:  # not a dtype: building raises TF's error
        return None
    init_key = key_of(args[0], init_dtype, keywords.get("partition_info"))
    if init_key is None:
        return None
    if shape is not None:
        try:
            shape = TensorShape(shape).as_tuple()
        except (TypeError, ValueError):
            return None
    return ("Variable", init_key, dtype, bool(validate_shape), shape)


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
        if op.type in _VARIABLE_OPS:
            var = _variable_of(op)
            if var is not None:
                new = var.initialized_value().op
        elif op.type != "InitializedValue":
            refs = op._opdef.ref_inputs
            inputs = [
                x if (refs == "all" or i in refs) else safe_tensor(x)
                for i, x in enumerate(op._inputs)
            ]
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
