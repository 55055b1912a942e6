"""Sharing variables: `get_variable`, `variable_scope` and the graph's variable store.

`get_variable("w")` looks the full name (``scope/w``) up in a per-graph store
and returns the stored variable or creates one, as the current variable
scope's reuse mode allows: ``False`` (create only), ``True`` (reuse only,
inherited by every nested scope) or ``AUTO_REUSE`` (either). A
`variable_scope` also opens a name scope for ops, made unique like any name
scope; `get_variable` ignores name scopes: its names depend only on the
variable scope. Variables made with `tf.Variable` never enter the store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import inspect
import os
import sys
import threading
import traceback
import types

from . import init_ops
from .constant_op import convert_to_tensor
from .dtypes import DType, as_dtype, float32
from .graph import Graph, GraphKeys, get_collection, get_default_graph, graph_of
from .tensor_shape import as_shape
from .variables import Variable


class _ReuseMode(enum.Enum):
    """The reuse mode that creates missing variables and returns existing ones."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def no_regularizer(_) -> None:
    """A regularizer that adds no loss (turns a scope's default regularizer off)."""
    return None


@dataclasses.dataclass(frozen=True)
class _ScopeOptions:
    """The settings a variable scope hands to the `get_variable` calls inside it."""

    reuse: object = False  # False, True, None or AUTO_REUSE
    initializer: object = None
    regularizer: object = None
    dtype: object = float32
    constraint: object = None
    caching_device: object = None
    partitioner: object = None
    custom_getter: object = None
    use_resource: object = None

    def overridden(self, **changes) -> _ScopeOptions:
        """These options with every change that is not None applied."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes) if changes else self


class VariableScope:
    """A variable scope: the name prefix and the defaults for `get_variable` inside it."""

    def __init__(
        self,
        reuse,
        name: str = "",
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        name_scope: str = "",
        dtype=float32,
        use_resource=None,
        constraint=None,
    ):
        _refuse_unsupported(partitioner, custom_getter, use_resource)
        self._name = name
        self._name_scope = name_scope
        self._options = _ScopeOptions(
            reuse=reuse,
            initializer=initializer,
            regularizer=regularizer,
            dtype=dtype,
            constraint=constraint,
            caching_device=caching_device,
            partitioner=partitioner,
            custom_getter=custom_getter,
            use_resource=use_resource,
        )

    @classmethod
    def _from_options(cls, name: str, name_scope: str, options: _ScopeOptions) -> VariableScope:
        scope = cls.__new__(cls)
        scope._name, scope._name_scope, scope._options = name, name_scope, options
        return scope

    @property
    def name(self) -> str:
        """The prefix `get_variable` puts before names (``"outer/inner"``)."""
        return self._name

    @property
    def original_name_scope(self) -> str:
        """The name scope opened when this scope was first entered (``"outer/inner/"``)."""
        return self._name_scope

    @property
    def reuse(self):
        return self._options.reuse

    @property
    def initializer(self):
        return self._options.initializer

    @property
    def regularizer(self):
        return self._options.regularizer

    @property
    def dtype(self) -> DType:
        return self._options.dtype

    @property
    def constraint(self):
        return self._options.constraint

    @property
    def caching_device(self):
        return self._options.caching_device

    @property
    def partitioner(self):
        return self._options.partitioner

    @property
    def custom_getter(self):
        return self._options.custom_getter

    @property
    def use_resource(self):
        return self._options.use_resource

    def reuse_variables(self) -> None:
        """From now on, `get_variable` in this scope only returns existing variables."""
        self._set(reuse=True)

    def set_initializer(self, initializer) -> None:
        self._set(initializer=initializer)

    def set_regularizer(self, regularizer) -> None:
        self._set(regularizer=regularizer)

    def set_dtype(self, dtype) -> None:
        self._set(dtype=dtype)

    def set_caching_device(self, caching_device) -> None:
        self._set(caching_device=caching_device)

    def set_partitioner(self, partitioner) -> None:
        _refuse_unsupported(partitioner=partitioner)
        self._set(partitioner=partitioner)

    def set_custom_getter(self, custom_getter) -> None:
        _refuse_unsupported(custom_getter=custom_getter)
        self._set(custom_getter=custom_getter)

    def set_use_resource(self, use_resource) -> None:
        _refuse_unsupported(use_resource=use_resource)
        self._set(use_resource=use_resource)

    def _set(self, **change) -> None:
        self._options = dataclasses.replace(self._options, **change)

    def get_collection(self, name) -> list:
        """The items of collection ``name`` whose names start with this scope's ``name/``."""
        return get_collection(name, self._name + "/" if self._name else "")

    def trainable_variables(self) -> list:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def __repr__(self) -> str:
        return f"<tfteach VariableScope {self._name!r} reuse={self.reuse}>"


def _refuse_unsupported(partitioner=None, custom_getter=None, use_resource=None) -> None:
    """tfteach has one kind of variable: TF1's unpartitioned reference variable."""
    if partitioner is not None:
        raise ValueError(
            f"partitioner={partitioner!r}: tfteach does not partition variables. "
            "Leave partitioner=None."
        )
    if custom_getter is not None:
        raise ValueError(
            f"custom_getter={custom_getter!r}: tfteach does not support custom getters. "
            "Leave custom_getter=None and call tf.get_variable directly."
        )
    if use_resource:
        raise ValueError(
            "use_resource=True asks for a resource variable; tfteach has TF1's reference "
            "variables only. Leave use_resource=None or False."
        )


# -- per-graph state: the variable store and each thread's scope stack -----------------


class _ScopeCounts:
    """How often each variable-scope name was opened, as a tree of name parts.

    Closing a scope resets the counts of the scopes below it (as TF does), which
    on a tree is one ``clear()`` instead of a scan of every name seen so far.
    """

    __slots__ = ("_root",)

    def __init__(self, root=None):
        self._root = root if root is not None else [0, {}]  # node: [count, children]

    def _node(self, name: str, create: bool):
        node = self._root
        for part in name.split("/"):
            child = node[1].get(part)
            if child is None:
                if not create:
                    return None
                child = node[1][part] = [0, {}]
            node = child
        return node

    def open(self, name: str) -> None:
        self._node(name, create=True)[0] += 1

    def unopen(self, name: str) -> None:
        """Takes one opening back (a transaction that opened the scope failed)."""
        node = self._node(name, create=False)
        if node is not None and node[0] > 0:
            node[0] -= 1

    def count(self, name: str) -> int:
        node = self._node(name, create=False)
        return 0 if node is None else node[0]

    def close_subscopes(self, name: str) -> None:
        node = self._node(name, create=False)
        if node is not None:
            node[1].clear()

    def copy(self) -> _ScopeCounts:
        def clone(node):
            return [node[0], {k: clone(v) for k, v in node[1].items()}]

        return _ScopeCounts(clone(self._root))


class _ScopeState(threading.local):
    """One thread's current variable scope and scope-name counts, for one graph."""

    def __init__(self):
        self.current = VariableScope(False)
        self.counts = _ScopeCounts()


def _scope_state(graph: Graph) -> _ScopeState:
    state = graph._extras.get("variable_scope_state")
    if state is None:
        state = graph._extras.setdefault("variable_scope_state", _ScopeState())
    return state


def get_variable_scope() -> VariableScope:
    """The variable scope open in this thread on the default graph (the root: name ``''``)."""
    return _scope_state(get_default_graph()).current


# -- get_variable ---------------------------------------------------------------------


@dataclasses.dataclass
class _Request:
    """One `get_variable` call's arguments, merged with the scope's defaults."""

    name: str
    shape: object = None
    dtype: object = None
    initializer: object = None
    regularizer: object = None
    trainable: object = None
    collections: object = None
    caching_device: object = None
    partitioner: object = None
    validate_shape: bool = True
    use_resource: object = None
    custom_getter: object = None
    constraint: object = None
    synchronization: object = None
    aggregation: object = None

    def use_scope_defaults(self, options: _ScopeOptions) -> None:
        """Takes what this call left out (initializer, dtype, ...) from the scope."""
        if self.initializer is None:
            self.initializer = options.initializer
        if self.dtype is None:
            self.dtype = options.dtype
        if self.regularizer is None:
            self.regularizer = options.regularizer
        if self.constraint is None:
            self.constraint = options.constraint


def get_variable(
    name: str,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable: bool | None = None,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape: bool = True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
) -> Variable:
    """The variable ``<scope>/name`` from the graph's store, created when the scope allows.

    Without ``initializer`` (here or in the scope) a new variable is filled by
    `glorot_uniform_initializer` (floats) or zeros (integers, booleans, strings).
    ``initializer`` may also be a value (Tensor, list, array, number): then the
    variable takes its shape, and ``shape`` must not be given.
    """
    request = _Request(
        name,
        shape,
        dtype,
        initializer,
        regularizer,
        trainable,
        collections,
        caching_device,
        partitioner,
        validate_shape,
        use_resource,
        custom_getter,
        constraint,
        synchronization,
        aggregation,
    )
    graph = get_default_graph()
    return _store(graph).get(graph, _scope_state(graph).current, request)


def get_local_variable(
    name: str,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable: bool = False,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape: bool = True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
) -> Variable:
    """As `get_variable`, but in `LOCAL_VARIABLES` and never trainable."""
    del trainable  # TF ignores it: local variables are not trained
    return get_variable(
        name,
        shape,
        dtype,
        initializer,
        regularizer,
        False,
        [*(collections or ()), GraphKeys.LOCAL_VARIABLES],
        caching_device,
        partitioner,
        validate_shape,
        use_resource,
        custom_getter,
        constraint,
        synchronization,
        aggregation,
    )


def _store(graph: Graph) -> _VariableStore:
    store = graph._extras.get("variable_store")
    if store is None:
        store = graph._extras.setdefault("variable_store", _VariableStore())
    return store


class _VariableStore:
    """The variables `get_variable` made in one graph, by full name."""

    def __init__(self):
        self._vars: dict[str, Variable] = {}
        self._origins: dict[str, tuple] = {}  # name -> user frames that created it

    def get(self, graph: Graph, scope: VariableScope, req: _Request) -> Variable:
        _refuse_unsupported(req.partitioner, req.custom_getter, req.use_resource)
        options = scope._options
        full_name = scope._name + "/" + req.name if scope._name else req.name
        # a failed call leaves no ops, names, collection entries or store entries behind
        with graph._transaction(), graph.name_scope(None):
            if req.dtype is not None and req.initializer is not None:
                _check_constant_dtype(req.initializer, req.dtype)
            req.use_scope_defaults(options)
            return self._get_single(graph, full_name, req, options.reuse)

    def _get_single(self, graph: Graph, name: str, req: _Request, reuse) -> Variable:
        initializer, regularizer = req.initializer, req.regularizer
        from_value = initializer is not None and not callable(initializer)
        if req.shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = as_dtype(req.dtype).base_dtype
        shape = None if req.shape is None else as_shape(req.shape)
        found = self._vars.get(name)
        if found is not None:
            return self._existing(name, found, reuse, shape, dtype)
        if reuse is True:
            raise ValueError(
                f"Variable {name} does not exist, or was not created with tf.get_variable(). "
                "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"
            )
        if initializer is None:
            if shape is None:
                raise ValueError(
                    f"Variable {name} did not get an initializer, so its `shape` argument "
                    "must be specified."
                )
            initializer = _default_initializer(name, dtype)
        elif isinstance(initializer, type):
            initializer = initializer()
        initial_value, variable_dtype = _initial_value(initializer, from_value, shape, dtype)
        with graph.control_dependencies(None):  # TF builds variables in an init scope
            variable = Variable(
                initial_value=initial_value,
                name=name,
                trainable=req.trainable,
                collections=req.collections,
                validate_shape=req.validate_shape,
                dtype=variable_dtype,
                constraint=req.constraint,
                shape=shape,
            )
            variable._initializer_fn = initializer
            self._add(graph, name, variable)
            if regularizer:
                _regularize(graph, name, variable, regularizer)
        return variable

    def _existing(self, name, found, reuse, shape, dtype) -> Variable:
        if reuse is False:
            raise ValueError(
                f"Variable {name} already exists, disallowed. Did you mean to set reuse=True "
                f"or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n"
                + _format_frames(self._origins.get(name, ()))
            )
        if shape is not None and not shape.is_compatible_with(found.shape):
            raise ValueError(
                f"Trying to share variable {name}, but specified shape {shape} and found "
                f"shape {found.shape}."
            )
        if not dtype.is_compatible_with(found.dtype):
            raise ValueError(
                f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
                f"dtype {found.dtype.name}."
            )
        return found

    def _add(self, graph: Graph, name: str, variable: Variable) -> None:
        self._vars[name] = variable
        self._origins[name] = _user_frames()

        def undo():
            self._vars.pop(name, None)
            self._origins.pop(name, None)

        graph._on_rollback(undo)


def _check_constant_dtype(initializer, dtype) -> None:
    """A value initializer must already have the explicit dtype (TF converts it to check)."""
    if callable(initializer):
        return
    init_dtype = convert_to_tensor(initializer).dtype.base_dtype
    if init_dtype != dtype:
        raise ValueError(
            f"Initializer type '{init_dtype}' and explicit dtype '{dtype}' don't match."
        )


def _default_initializer(name: str, dtype: DType):
    # one shared instance of each: initializers without a seed hold no state of their own
    if dtype.is_floating:
        return _DEFAULT_FLOAT_INITIALIZER
    if dtype.is_integer or dtype.is_bool or dtype.name == "string":
        return _DEFAULT_OTHER_INITIALIZER
    raise ValueError(f"An initializer for variable {name} of {dtype} is required")


_DEFAULT_FLOAT_INITIALIZER = init_ops.glorot_uniform_initializer()
_DEFAULT_OTHER_INITIALIZER = init_ops.zeros_initializer()


def _initial_value(initializer, from_value: bool, shape, dtype: DType):
    """What `Variable` gets as its initial value, and the dtype to ask it for."""
    if from_value:
        return initializer, None
    if shape is not None and shape.is_fully_defined():
        call = functools.partial(initializer, shape.as_list(), dtype=dtype)
        if _takes_partition_info(initializer):
            call = functools.partial(call, partition_info=None)
        return call, dtype
    if _needs_no_arguments(initializer):
        return initializer, None
    raise ValueError(
        "The initializer passed is not valid. It should be a callable with no arguments and "
        "the shape should not be provided or an instance of `tf.keras.initializers.*' and "
        "`shape` should be fully defined."
    )


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _parameters(fn) -> dict:
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return {}


def _takes_partition_info(fn) -> bool:
    # initializer objects share their class's __call__: look its signature up once
    if isinstance(fn, (types.FunctionType, types.MethodType, functools.partial)):
        return "partition_info" in _parameters(fn)
    return _call_takes_partition_info(type(fn))


@functools.lru_cache(maxsize=256)
def _call_takes_partition_info(cls: type) -> bool:
    return "partition_info" in _parameters(cls.__call__)


def _needs_no_arguments(fn) -> bool:
    return all(p.default is not p.empty for p in _parameters(fn).values() if p.kind in _POSITIONAL)


def _regularize(graph: Graph, name: str, variable: Variable, regularizer) -> None:
    # TF 1.x calls the regularizer once, under "<name>/Regularizer/"; TF 2.x's compat.v1
    # calls it a second time outside any scope and leaves those duplicate ops behind.
    with graph.name_scope(name + "/Regularizer/"):
        loss = regularizer(variable)
    if loss is not None:
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_LIBRARY_DIRS = tuple(
    {os.path.join(p, "lib") + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
)


def _user_frames(limit: int = 5) -> tuple[tuple[types.CodeType, int], ...]:
    """The caller's frames outside tfteach, innermost first, up to the first library frame
    (so a learner sees their own lines, not pytest's or IPython's): (code, last
    instruction) pairs, whose line numbers are worked out only for an error message."""
    frames = []
    frame = sys._getframe(2)
    while frame is not None and len(frames) < limit:
        code = frame.f_code
        filename = code.co_filename
        if not filename.startswith(_PACKAGE_DIR):
            if frames and filename.startswith(_LIBRARY_DIRS):
                break
            frames.append((code, frame.f_lasti))
        frame = frame.f_back
    return tuple(frames)


def _line_of(code: types.CodeType, lasti: int) -> int:
    for start, end, line in code.co_lines():
        if start <= lasti < end and line is not None:
            return line
    return code.co_firstlineno


def _format_frames(frames) -> str:
    """TF's "Originally defined at:" listing (source lines are looked up only now)."""
    summaries = [
        traceback.FrameSummary(code.co_filename, _line_of(code, lasti), code.co_name)
        for code, lasti in frames
    ]
    return "".join(traceback.format_list(summaries))


# -- variable_scope ---------------------------------------------------------------------


class variable_scope:  # TF's public name is lower case
    """Opens a variable scope (names for `get_variable`, reuse, defaults) and a name scope.

    ``with variable_scope("layer", reuse=tf.AUTO_REUSE) as scope:`` yields the
    `VariableScope`. A string opens ``<current>/layer`` and a name scope made
    unique (``layer_1/`` the second time); a `VariableScope` object re-opens
    that scope's name wherever it is used; ``variable_scope(None,
    default_name="layer")`` picks an unused variable-scope name (``layer_1``).
    """

    def __init__(
        self,
        name_or_scope,
        default_name: str | None = None,
        values=None,
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        reuse=None,
        dtype=None,
        use_resource=None,
        constraint=None,
        auxiliary_name_scope: bool = True,
    ):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # a scope cannot switch reuse off: None inherits the parent's
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError(
                "The auxiliary_name_scope must be `True` or `False`, "
                f"while get {auxiliary_name_scope}"
            )
        _refuse_unsupported(partitioner, custom_getter, use_resource)
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._reuse = reuse
        self._changes = {
            "initializer": initializer,
            "regularizer": regularizer,
            "caching_device": caching_device,
            "dtype": dtype,
            "constraint": constraint,
            "use_resource": use_resource,
        }
        self._auxiliary_name_scope = auxiliary_name_scope
        self._graph = graph_of(values) if values else get_default_graph()
        self._exit_stack: contextlib.ExitStack | None = None

    def __enter__(self) -> VariableScope:
        with contextlib.ExitStack() as stack:  # unwinds what was entered if a step fails
            stack.enter_context(self._graph.as_default())
            scope = self._enter(stack)
            self._exit_stack = stack.pop_all()
        return scope

    def __exit__(self, exc_type, exc, tb):
        stack, self._exit_stack = self._exit_stack, None
        return stack.__exit__(exc_type, exc, tb)

    def _enter(self, stack: contextlib.ExitStack) -> VariableScope:
        graph, name_or_scope = self._graph, self._name_or_scope
        name_scope = None
        if not self._auxiliary_name_scope:  # stay in the current name scope
            current = graph.get_name_scope()
            name_scope = graph.name_scope(current + "/" if current else "")
        if name_or_scope is None:
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            opened = stack.enter_context(name_scope or graph.name_scope(self._default_name))
            state = _scope_state(graph)
            unique = _unique_scope_name(state, self._default_name)
            return self._push(stack, state, unique, opened)
        if isinstance(name_or_scope, str):
            short_name = name_or_scope
        elif isinstance(name_or_scope, VariableScope):
            short_name = name_or_scope.name.split("/")[-1]
        else:
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        opened = None
        if short_name or name_scope:
            opened = stack.enter_context(name_scope or graph.name_scope(short_name))
        return self._push(stack, _scope_state(graph), name_or_scope, opened)

    def _push(self, stack, state: _ScopeState, name_or_scope, opened) -> VariableScope:
        """Makes the new scope current until the block ends (TF's pure variable scope)."""
        old = state.current
        if isinstance(name_or_scope, VariableScope):
            # re-entering keeps the scope's own name, settings and original name scope
            reuse = self._reuse or name_or_scope.reuse
            options = _derive(name_or_scope._options, reuse, self._changes)
            scope = VariableScope._from_options(
                name_or_scope.name, name_or_scope.original_name_scope, options
            )
            state.counts.open(scope.name)
            self._graph._on_rollback(lambda: state.counts.unopen(scope.name))
            saved = state.counts.copy()

            def restore_counts():
                state.counts = saved
        else:
            name = old.name + "/" + name_or_scope if old.name else name_or_scope
            reuse = self._reuse or old.reuse  # reuse is inherited by sub-scopes
            options = _derive(old._options, reuse, self._changes)
            scope = VariableScope._from_options(
                name, name_or_scope if opened is None else opened, options
            )
            state.counts.open(name)
            self._graph._on_rollback(lambda: state.counts.unopen(name))

            def restore_counts():
                state.counts.close_subscopes(name)

        state.current = scope

        def pop():
            if state.current is not scope:
                raise RuntimeError("Improper nesting of variable_scope.")
            restore_counts()
            state.current = old

        stack.callback(pop)
        return scope


def _derive(options: _ScopeOptions, reuse, changes: dict) -> _ScopeOptions:
    """A nested scope's options: the parent's, with this scope's reuse and changes.

    As in TF, a constraint is not inherited: only the one given to this scope counts.
    """
    return dataclasses.replace(options, reuse=reuse, constraint=None).overridden(**changes)


def _unique_scope_name(state: _ScopeState, prefix: str) -> str:
    """``prefix``, or ``prefix_1``, ... : the first not yet opened in the current scope."""
    parent = state.current.name
    full = parent + "/" + prefix if parent else prefix
    if state.counts.count(full) == 0:
        return prefix
    i = 1
    while state.counts.count(f"{full}_{i}") > 0:
        i += 1
    return f"{prefix}_{i}"


__all__ = [
    "AUTO_REUSE",
    "VariableScope",
    "get_local_variable",
    "get_variable",
    "get_variable_scope",
    "no_regularizer",
    "variable_scope",
]
