"""Graphs, operations and tensors: the structure a session runs.

A `Graph` holds `Operation`s; each op has a unique name and produces `Tensor`s
named ``op:0``, ``op:1``. The graph never holds values: those live in a
`Session`. Name scopes, collections, control dependencies and the
per-thread default-graph stack follow TF1.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from types import MappingProxyType

from . import events
from .dtypes import DType
from .errors import ITERATION_NOT_ALLOWED, OperatorNotAllowedInGraphError
from .registry import OpDef, lookup
from .tensor_shape import TensorShape, as_shape, interned


class GraphKeys:
    """Standard names for graph collections (TF's `tf.GraphKeys`)."""

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class Tensor:
    """A symbolic handle to one output of an `Operation`; its value exists only in a run."""

    # Few attributes and no per-tensor containers: a graph of 10,000 variables holds
    # 100,000 tensors, and Python's garbage collector scans each container it holds.
    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "__weakref__")
    # numpy defers `array + tensor` to Tensor.__radd__
    __array_priority__ = 100

    def __init__(self, op: Operation, value_index: int, dtype: DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def graph(self) -> Graph:
        return self._op.graph

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def device(self) -> str:
        """The device its op was placed on with `tf.device` ("" when none)."""
        return self._op._device

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        self._shape = self._shape.merge_with(as_shape(shape))

    def consumers(self) -> list[Operation]:
        """The ops that take this tensor as an input, in the order they were made."""
        return list(self._op._graph._consumers_of(self))

    def eval(self, feed_dict=None, session=None):
        """The value of this tensor in ``session`` (default: the default session)."""
        return session_for(self, session, "evaluate tensor using `eval()`").run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        # as TF: a tensor of unknown rank prints no shape at all
        shape = "" if self._shape.ndims is None else f", shape={self._shape}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'

    # Tensors compare and hash by identity (object's defaults, as in TF1), so they can be
    # dict keys and feed_dict keys.

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such "
            "as tf.cond to execute subgraphs conditioned on the value of a tensor."
        )

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(ITERATION_NOT_ALLOWED)

    def __len__(self):
        raise TypeError(
            f"len is not well defined for symbolic Tensors. ({self.name}) Please call `x.shape` "
            "rather than `len(x)` for shape information."
        )

    def _as_graph_element(self) -> Tensor:
        return self


class Operation:
    """A node of the graph: a type (``"MatMul"``), inputs, attributes and output tensors."""

    __slots__ = (
        "_graph",
        "_name",
        "_type",
        "_inputs",
        "_control_inputs",
        "_first",
        "_rest",
        "_attrs",
        "_id",
        "_opdef",
        "_reads",
        "_device",
        "__weakref__",
    )

    def __init__(self, graph, name, op_type, inputs, control_inputs, attrs, opdef):
        self._graph = graph
        self._device = graph._device  # the innermost open `tf.device` block's device
        self._name = name
        self._type = op_type
        self._inputs = inputs  # tuples (create_op makes them)
        self._control_inputs = tuple(control_inputs)
        # a builder's shared read-only attrs stay shared (see `shared_attrs`)
        self._attrs = attrs if type(attrs) is MappingProxyType else dict(attrs or ())
        # The outputs: the first one, and a tuple of the others (nearly always the shared
        # empty tuple). No tuple per op: fewer containers for the garbage collector to scan.
        self._first: Tensor | None = None
        self._rest: tuple[Tensor, ...] = ()
        self._id = -1
        self._opdef = opdef
        # Does computing this op read a variable's value (it is one, or one of its value
        # inputs reads one)? `Variable` guards initial values that do.
        self._reads = opdef.is_variable or (
            bool(inputs) and any(t._op._reads for t in opdef.value_inputs(inputs))
        )

    def _set_outputs(self, specs) -> None:
        """Makes the output tensors, one per (shape, dtype) the shape rule gave."""
        if len(specs) == 1:  # nearly every op
            ((shape, dtype),) = specs
            self._first = Tensor(self, 0, dtype, interned(shape))
        elif specs:
            outputs = [Tensor(self, i, dt, interned(sh)) for i, (sh, dt) in enumerate(specs)]
            self._first, self._rest = outputs[0], tuple(outputs[1:])

    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._type

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        return self._inputs

    @property
    def outputs(self) -> list[Tensor]:
        return [] if self._first is None else [self._first, *self._rest]

    @property
    def _outputs(self) -> tuple[Tensor, ...]:
        return () if self._first is None else (self._first, *self._rest)

    @property
    def control_inputs(self) -> list[Operation]:
        return list(self._control_inputs)

    @property
    def device(self) -> str:
        """The device string `tf.device` recorded ("" when none): tfteach runs every op on
        numpy whatever it says."""
        return self._device

    @property
    def node_def(self):
        return None

    @property
    def op_def(self) -> OpDef:
        """What the op registry knows of this op's type (its kernel, gradient and facts)."""
        return self._opdef

    def values(self) -> tuple[Tensor, ...]:
        return self._outputs

    def get_attr(self, name: str):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def run(self, feed_dict=None, session=None) -> None:
        """Runs this op in ``session`` (default: the default session)."""
        session_for(self, session, "execute operation using `run()`").run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self) -> str:
        """The op as TF prints its NodeDef: name, type, data inputs, ^control inputs
        (attributes are left out)."""
        lines = [f'name: "{self._name}"', f'op: "{self._type}"']
        lines += [f'input: "{t.op.name if t.value_index == 0 else t.name}"' for t in self._inputs]
        lines += [f'input: "^{c.name}"' for c in self._control_inputs]
        return "\n".join(lines)

    def _as_graph_element(self) -> Operation:
        return self


def _per_thread(attr: str, doc: str) -> property:
    """A Graph attribute that each thread has its own value of."""
    return property(
        lambda graph: getattr(graph._thread_local, attr),
        lambda graph, value: setattr(graph._thread_local, attr, value),
        doc=doc,
    )


class Graph:
    """A TensorFlow computation graph: operations, collections and name scopes."""

    def __init__(self):
        self._ops: list[Operation] = []  # in the order made; op i has id i + 1
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}  # lower-cased name -> next suffix
        self._last_id = 0  # the id of the newest op
        self._collections: dict[object, list] = {}
        # name scopes, control_dependencies blocks and transactions are per thread, as in
        # TF (`Graph._thread_local`): threads building one graph do not see each other's
        self._thread_local = _GraphThreadState()
        self._finalized = False
        self._seed = None
        # names already checked against TF's patterns (names repeat in every scope): valid
        # at the root (whole names), valid below a scope (the part after the scope)
        self._valid_root_names: set[str] = set()
        self._valid_scope_names: set[str] = set()
        # tensor -> the ops that consume it, built on demand (see _consumers_of)
        self._consumer_index: dict[Tensor, list[Operation]] = {}
        self._consumers_indexed = 0  # how many of self._ops the index covers
        # state owned by higher layers (variable store, scope stack), kept per graph
        self._extras: dict[str, object] = {}
        self._device = ""  # the device of the innermost open `device()` block
        # building from several threads: one op, name or collection entry at a time
        self._lock = threading.RLock()

    # -- per-thread state (see _GraphThreadState) ------------------------------
    _name_stack = _per_thread("name_stack", "The open name scope's name ('' at the root).")
    _name_stack_key = _per_thread("name_stack_key", "The name stack lower-cased (names are ASCII).")
    _control_stack = _per_thread(
        "control_stack", "One (control ops, ops made inside the block) pair per open block."
    )
    _journal = _per_thread("journal", "Undo records while a transaction is open (else None).")
    _commits = _per_thread("commits", "What to call when the open transaction succeeds.")

    # -- naming -------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` inside the current name scope, made unique (``c``, ``c_1``, ...)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        with self._lock:
            name, marks = self._unique_name_and_marks(name)
            if mark_as_used:
                self._mark_names(marks)
        return name

    def _unique_name_and_marks(self, name: str):
        """``name`` (already under the name scope) made unique, and the (key, count) entries
        that marking it as used sets. TF counts case-insensitively and skips names that
        uniquifying already took (``c_1`` made by hand)."""
        name_key = name.lower()
        i = self._names_in_use.get(name_key, 0)
        if i == 0:
            return name, ((name_key, 1),)
        marks = [(name_key, i + 1)]
        base_name_key = name_key
        while name_key in self._names_in_use:
            name_key = f"{base_name_key}_{i}"
            i += 1
        marks.append((name_key, 1))
        return f"{name}_{i - 1}", marks

    def _mark_names(self, marks) -> None:
        names, journal = self._names_in_use, self._thread_local.journal
        for key, count in marks:
            if journal is not None:
                journal.append(("name", key, names.get(key)))
            names[key] = count

    # -- transactions -------------------------------------------------------
    def _transaction(self) -> _Transaction:
        """All or nothing: if the ``with`` block raises, the ops, names and collection
        entries it added are removed again (nested blocks join the outermost one)."""
        return _Transaction(self)

    def _on_commit(self, callback) -> None:
        """Calls ``callback()`` once the open transaction succeeds (at once outside one):
        observers hear of a new variable only when it is there to stay."""
        if self._journal is None:
            callback()
        else:
            self._commits.append(callback)

    def _on_rollback(self, undo) -> None:
        """Registers ``undo()`` to run if the open transaction fails (no-op outside one)."""
        if self._journal is not None:
            self._journal.append(("undo", undo, None))

    def _rollback(self, n_ops: int) -> None:
        """Removes the ops this thread's transaction made (all made after the first
        ``n_ops``, unless other threads built meanwhile), and undoes the journal."""
        with self._lock:  # other threads may be adding ops to the same lists
            self._undo_journal(n_ops)

    def _undo_journal(self, n_ops: int) -> None:
        made = {key for kind, key, _ in self._journal if kind == "op"}
        ops = self._ops
        # This thread's ops lie at or after position n_ops, unless other threads' rollbacks
        # removed ops before them meanwhile: look back from the end until all are found.
        start, left = len(ops), len(made)
        while left and start > 0:
            start -= 1
            if ops[start] in made:
                left -= 1
        start = min(start, n_ops)
        for op in made:
            del self._ops_by_name[op._name]
        ops[start:] = [op for op in ops[start:] if op not in made]
        self._last_id = ops[-1]._id if ops else 0
        if self._consumers_indexed > start:  # the index covers removed ops: rebuild it later
            self._consumer_index, self._consumers_indexed = {}, 0
        for kind, key, old in reversed(self._journal):
            if kind == "name":
                if old is None:
                    self._names_in_use.pop(key, None)
                else:
                    self._names_in_use[key] = old
            elif kind == "collection":
                if old is None:
                    self._collections.pop(key, None)
                else:
                    del self._collections[key][old:]
            elif kind == "undo":
                key()

    def get_name_scope(self) -> str:
        return self._name_stack

    def name_scope(self, name) -> _NameScope:
        """Prefixes op names with ``name/`` (uniquified); a name ending in ``/`` re-enters it.

        Entering yields the scope's prefix (``"a/"``, or ``""`` at the root)."""
        return _NameScope(self, name)

    def _scope_for(self, name) -> str:
        """The name stack ``name_scope(name)`` opens (marking a new name as used)."""
        if not name:
            return ""
        if type(name) is not str:
            if isinstance(name, bytes):
                name = name.decode()
            if not isinstance(name, str):
                raise TypeError(f"name for name_scope must be a string, got {name!r}.")
        here = self._thread_local  # read once: the per-thread properties cost a call each
        root = not here.name_stack
        checked = self._valid_root_names if root else self._valid_scope_names
        if name not in checked and not self._extends_valid_name(name, root):
            pattern = _VALID_OP_NAME if root else _VALID_SCOPE_NAME
            if not pattern.match(name):
                kind = "root scope name" if root else "scope name"
                raise ValueError(
                    f"'{name}' is not a valid {kind}. A {kind} has to match the following "
                    f"pattern: {pattern.pattern}"
                )
            checked.add(name)
        if name[-1] == "/":
            return name[:-1]
        if here.name_stack:
            full = here.name_stack + "/" + name
            key = here.name_stack_key + "/" + name.lower()
        else:
            full, key = name, name.lower()
        with self._lock:
            if key in self._names_in_use:
                return self.unique_name(name)
            journal = here.journal
            if journal is not None:  # the common case, spelled out: a new name
                journal.append(("name", key, None))
            self._names_in_use[key] = 1
        self._valid_root_names.add(full)  # an op may take the scope's name ("a/b/")
        return full

    def _extends_valid_name(self, name: str, root: bool) -> bool:
        """Is ``name`` a checked root name, ``/``, and a valid scope part ("a/b" + "/c")?
        (Spares matching the whole of a long name against the pattern again.)"""
        head, _, tail = name.rpartition("/")
        return (
            root
            and head in self._valid_root_names
            and (tail in self._valid_scope_names or _VALID_SCOPE_NAME.match(tail) is not None)
        )

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Ops made inside record ``device_name_or_function`` (canonical, merged with the
        enclosing block's) as their ``device``; None clears it. Nothing else changes."""
        saved = self._device
        if device_name_or_function is None:
            self._device = ""
        elif callable(device_name_or_function):
            raise TypeError(
                "tfteach records device strings only; pass a string such as '/cpu:0' to "
                "tf.device instead of a function."
            )
        else:
            self._device = merge_devices(saved, str(device_name_or_function))
        try:
            yield
        finally:
            self._device = saved

    # -- operations ---------------------------------------------------------
    def create_op(
        self,
        op_type: str,
        inputs=(),
        attrs: dict | None = None,
        name: str | None = None,
    ) -> Operation:
        """Adds an op of a registered type; its output shapes come from the op's shape rule.

        Nothing is added (not even the name) when the op is rejected: an unknown type, an
        input from another graph, an invalid name, or a shape rule that raises.
        """
        self._check_not_finalized()
        opdef = lookup(op_type)
        inputs = tuple(inputs)
        for t in inputs:
            if not isinstance(t, Tensor):
                raise TypeError(f"Input to op {op_type!r} must be a Tensor, got {t!r}.")
            if t._op._graph is not self:
                raise ValueError(f"Tensor {t} must be from the same graph as the op {op_type!r}.")
        with self._lock:
            name, marks = self._name_for_new_op(name or op_type)
            control = self._control_inputs_for(inputs) if self._thread_local.control_stack else ()
            op = Operation(self, name, op_type, inputs, control, attrs, opdef)
            op._set_outputs(opdef.shape(op))  # may raise: the graph is still untouched
            self._mark_names(marks)
            self._add(op)
        return op

    def _name_for_new_op(self, base: str):
        """The name an op asking for ``base`` gets in the current scope, and the marks
        that taking it sets (`_unique_name_and_marks`). A name ending in ``/`` is a scope's
        name, which the op takes exactly (TF's ``name_scope(...) as scope`` idiom)."""
        if base[-1] == "/":
            name = base[:-1]
            self._check_name(name, self._valid_root_names, _VALID_OP_NAME)
            marks = ()  # as in TF: taking a scope's name marks nothing
        else:  # only the new part is checked: the scope was checked on entering it
            stack = self._thread_local.name_stack
            if stack:
                self._check_name(base, self._valid_scope_names, _VALID_SCOPE_NAME)
                name = stack + "/" + base
            else:
                self._check_name(base, self._valid_root_names, _VALID_OP_NAME)
                name = base
            name, marks = self._unique_name_and_marks(name)
        if name in self._ops_by_name:
            raise ValueError(f"Duplicate node name in graph: '{name}'")
        return name, marks

    def _add(self, op: Operation) -> None:
        """Puts a checked op into the graph: its id, its name, the open control blocks."""
        self._last_id += 1
        op._id = self._last_id
        self._ops.append(op)
        self._ops_by_name[op._name] = op
        here = self._thread_local
        if here.journal is not None:
            here.journal.append(("op", op, None))
        for _, made_inside in here.control_stack:
            made_inside.add(op)

    @staticmethod
    def _check_name(name: str, checked: set, pattern) -> None:
        """Raises TF's error unless ``name`` matches ``pattern``; ``checked`` remembers the
        names already found valid (names repeat in every scope)."""
        if name in checked:
            return
        if not pattern.match(name):
            raise ValueError(
                f"`{name}` is not a valid node name. Accepted names conform to Regex "
                f"/{_VALID_OP_NAME}/"
            )
        checked.add(name)

    def _consumers_of(self, tensor: Tensor) -> list[Operation]:
        """The ops that take ``tensor`` as an input. The index behind it is built on first
        use and extended with the ops made since, so graphs that never ask pay nothing."""
        index, ops = self._consumer_index, self._ops
        if self._consumers_indexed < len(ops):
            for op in ops[self._consumers_indexed :]:
                for t in op._inputs:  # an op using a tensor twice is listed twice, as in TF
                    found = index.get(t)
                    if found is None:
                        index[t] = [op]
                    else:
                        found.append(op)
            self._consumers_indexed = len(ops)
        return index.get(tensor, ())

    def _control_inputs_for(self, inputs) -> list[Operation]:
        """TF's rule: a control_dependencies block adds its ops to a new op unless one of the
        new op's inputs was itself made inside that block (it already waits for them), and
        never an op that is already a data input."""
        input_ops = {t.op for t in inputs}
        control = []
        for controls, made_inside in self._control_stack:
            if input_ops.isdisjoint(made_inside):
                control.extend(c for c in controls if c not in input_ops)
        return _dedupe(control)

    def get_operations(self) -> list[Operation]:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor: bool = True, allow_operation: bool = True):
        """The Tensor or Operation ``obj`` names or is, checked to belong to this graph."""
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, _, index = obj.rpartition(":")
                try:
                    out_n = int(index)
                except ValueError:
                    raise ValueError(
                        f"The name {obj!r} looks a like a Tensor name, but is not a valid one. "
                        'Tensor names must be of the form "<op_name>:<output_index>".'
                    ) from None
                if op_name not in self._ops_by_name:
                    raise KeyError(
                        f"The name {obj!r} refers to a Tensor which does not exist. "
                        f"The operation, {op_name!r}, does not exist in the graph."
                    )
                outputs = self._ops_by_name[op_name]._outputs
                try:  # as TF: Python indexing, so "c:-1" is c's last output
                    return outputs[out_n]
                except IndexError:
                    raise KeyError(
                        f"The name {obj!r} refers to a Tensor which does not exist. "
                        f"The operation, {op_name!r}, exists but only has "
                        f"{len(outputs)} outputs."
                    ) from None
            if ":" not in obj and allow_operation:
                if obj not in self._ops_by_name:
                    raise KeyError(f"The name {obj!r} refers to an Operation not in the graph.")
                return self._ops_by_name[obj]
            if ":" in obj:
                raise ValueError(f"Name {obj!r} appears to refer to a Tensor, not a {types_str}.")
            kind = (
                "refers to an Operation"
                if obj in self._ops_by_name
                else ("looks like an (invalid) Operation name")
            )
            raise ValueError(
                f"The name {obj!r} {kind}, not a {types_str}. Tensor names "
                'must be of the form "<op_name>:<output_index>".'
            )
        element = getattr(obj, "_as_graph_element", None)
        element = element() if element is not None else None
        if isinstance(element, Tensor) and allow_tensor:
            if element.graph is not self:
                raise ValueError(f"Tensor {element} is not an element of this graph.")
            return element
        if isinstance(element, Operation) and allow_operation:
            if element.graph is not self:
                raise ValueError(f"Operation {element!r} is not an element of this graph.")
            return element
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types_str}.")

    # -- collections --------------------------------------------------------
    def add_to_collection(self, name, value) -> None:
        self._check_not_finalized()
        with self._lock:
            items = self._collections.get(name)
            journal = self._journal
            if journal is not None:
                journal.append(("collection", name, None if items is None else len(items)))
            if items is None:
                items = self._collections[name] = []
            items.append(value)

    def add_to_collections(self, names, value) -> None:
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name) -> list:
        """The collection's list itself: changes to it change the collection."""
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None) -> list:
        """A copy of the collection; with ``scope``, only items whose name ``re.match``es it."""
        items = self._collections.get(name)
        if items is None:
            return []
        if scope is None:
            return list(items)
        regex = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and regex.match(i.name)]

    @property
    def collections(self) -> list[str]:
        """The names of the collections in this graph (as ``get_all_collection_keys()``)."""
        return self.get_all_collection_keys()

    def get_all_collection_keys(self) -> list[str]:
        return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name) -> None:
        self._check_not_finalized()
        self._collections.pop(name, None)

    # -- control dependencies, seeds, defaults --------------------------------
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after ``control_inputs``; ``None`` clears them."""
        if control_inputs is None:
            return _ClearedControlDependencies(self)
        return self._control_dependencies(control_inputs)

    @contextlib.contextmanager
    def _control_dependencies(self, control_inputs):
        ops = []
        for c in control_inputs:
            element = getattr(c, "_as_graph_element", None)
            c = element() if element is not None else c
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError(f"Control input must be Operation or Tensor: {c!r}")
            if c.graph is not self:
                raise ValueError(f"Control input {c!r} is not an element of this graph.")
            ops.append(c)
        self._control_stack.append((ops, set()))
        try:
            yield
        finally:
            self._control_stack.pop()

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = value

    @property
    def version(self) -> int:
        return len(self._ops)

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only: adding an op afterwards raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        self._finalized = False

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @contextlib.contextmanager
    def as_default(self):
        """Makes this graph the default graph inside the ``with`` block (this thread only)."""
        stack = _stack()
        stack.append(self)
        try:
            yield self
        finally:
            # remove this entry even if an inner block misbehaved
            for i in range(len(stack) - 1, -1, -1):
                if stack[i] is self:
                    del stack[i]
                    break

    def __repr__(self) -> str:
        return f"<tfteach Graph with {len(self._ops)} ops>"


_DEVICE_FIELDS = ("job", "replica", "task", "device")


def _device_fields(spec: str) -> dict:
    """A device string's fields, as TF's DeviceSpec parses them ('/cpu:0' is device CPU:0)."""
    fields = {}
    for part in spec.strip().split("/"):
        if not part:
            continue
        key, _, rest = part.partition(":")
        if key.lower() in ("cpu", "gpu", "tpu"):
            fields["device"] = f"{key.upper()}:{rest or '*'}"
        elif key == "device":
            kind, _, index = rest.partition(":")
            fields["device"] = f"{kind.upper()}:{index or '*'}"
        elif key in _DEVICE_FIELDS:
            fields[key] = rest
        else:
            raise ValueError(f"Unknown attribute: '{key}' in '{spec}'")
    return fields


def merge_devices(outer: str, inner: str) -> str:
    """The canonical device string of ``inner`` inside ``outer``: the inner block's fields
    win, the outer block's fill in the rest (``/job:worker`` in ``/gpu:1`` is
    ``/job:worker/device:GPU:1``)."""
    fields = {**_device_fields(outer), **_device_fields(inner)}
    return "".join(f"/{k}:{fields[k]}" for k in _DEVICE_FIELDS if k in fields)


def device(device_name_or_function):
    """TF1's ``tf.device``: ops built inside record the device string; tfteach runs every
    op on numpy whatever it says."""
    return get_default_graph().device(device_name_or_function)


def creation_order(op: Operation) -> int:
    """A sort key: ops sorted by it stand in the order they were made, which is a dependency
    order (an op's inputs and control inputs always exist before it)."""
    return op._id


class _GraphThreadState(threading.local):
    """A graph's state that each thread has its own of (TF's ``Graph._thread_local``)."""

    def __init__(self):
        self.name_stack = ""
        self.name_stack_key = ""
        self.control_stack: list[tuple[list[Operation], set[Operation]]] = []
        self.journal: list | None = None
        self.commits: list = []


_SHARED_ATTRS: dict = {}


def shared_attrs(attrs: dict, key=None) -> MappingProxyType:
    """A read-only view of ``attrs`` shared by every op with equal attrs, found by ``key``
    (default: the items, whose values must then be hashable). Most ops of a large graph
    repeat a few attribute sets (a dtype and no seeds, a variable's shape); a dict per op
    would be one more container per op for Python's garbage collector to scan."""
    if key is None:
        key = tuple(attrs.items())
    found = _SHARED_ATTRS.get(key)
    if found is None:
        if len(_SHARED_ATTRS) >= 4096:
            _SHARED_ATTRS.clear()
        found = _SHARED_ATTRS[key] = MappingProxyType(attrs)
    return found


class _NameScope:
    """``with graph.name_scope(name) as prefix:`` (a class: cheaper than a generator for
    the several scopes each variable opens)."""

    __slots__ = ("_graph", "_name", "_old", "_old_key")

    def __init__(self, graph: Graph, name):
        self._graph = graph
        self._name = name

    def __enter__(self) -> str:
        graph = self._graph
        new_stack = graph._scope_for(self._name) if self._name else ""
        here = graph._thread_local
        self._old, self._old_key = here.name_stack, here.name_stack_key
        here.name_stack, here.name_stack_key = new_stack, new_stack.lower()
        return new_stack + "/" if new_stack else ""

    def __exit__(self, *exc_info) -> None:
        here = self._graph._thread_local
        here.name_stack, here.name_stack_key = self._old, self._old_key


class _ClearedControlDependencies:
    """``with graph.control_dependencies(None):`` no control inputs inside."""

    __slots__ = ("_graph", "_saved")

    def __init__(self, graph: Graph):
        self._graph = graph

    def __enter__(self) -> None:
        self._saved, self._graph._control_stack = self._graph._control_stack, []

    def __exit__(self, *exc_info) -> None:
        self._graph._control_stack = self._saved


class _Transaction:
    """See `Graph._transaction`. The outermost block owns the journal; nested blocks
    join it."""

    __slots__ = ("_graph", "_journal", "_n_ops")

    def __init__(self, graph: Graph):
        self._graph = graph
        self._journal = None

    def __enter__(self) -> None:
        graph = self._graph
        if graph._journal is None:
            self._journal = graph._journal = []
            graph._commits = []
            self._n_ops = len(graph._ops)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._journal is None:  # nested: the outermost block decides
            return
        graph = self._graph
        commits, graph._commits = graph._commits, []
        try:
            if exc_type is not None:
                with graph._lock:
                    graph._rollback(self._n_ops)
                return
        finally:
            graph._journal = None
        for callback in commits:
            callback()


def _dedupe(ops):
    seen, out = set(), []
    for op in ops:
        if op not in seen:
            seen.add(op)
            out.append(op)
    return out


# -- the default graph -----------------------------------------------------------
_thread_state = threading.local()
_global_default_graph: Graph | None = None
_global_lock = threading.Lock()


def _stack() -> list[Graph]:
    stack = getattr(_thread_state, "graphs", None)
    if stack is None:
        stack = _thread_state.graphs = []
    return stack


def get_default_graph() -> Graph:
    """The innermost ``with g.as_default()`` graph of this thread, else the global default."""
    stack = getattr(_thread_state, "graphs", None)
    if stack:
        return stack[-1]
    global _global_default_graph
    if _global_default_graph is None:
        with _global_lock:
            if _global_default_graph is None:
                _global_default_graph = Graph()
    return _global_default_graph


def reset_default_graph() -> None:
    """Replaces the global default graph with a new, empty one."""
    if _stack():
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
            "cleared graph, exit the nesting and create a new graph."
        )
    global _global_default_graph
    old, _global_default_graph = _global_default_graph, Graph()
    if events.has_observers("graph_replaced"):
        events.emit("graph_replaced", old=old, new=_global_default_graph)


def nested_default_graphs() -> int:
    """How many ``with g.as_default():`` blocks are open in this thread (tfteach's own: the
    %%graph magic cannot replace the default graph inside one)."""
    return len(_stack())


def set_global_default_graph(graph: Graph) -> Graph | None:
    """Installs ``graph`` as the global default (tfteach's own, for the %%graph magic: what
    `reset_default_graph` does with a graph of the caller's); returns the old one."""
    if _stack():
        raise AssertionError("Cannot replace the default graph inside a `with g.as_default()`.")
    global _global_default_graph
    old, _global_default_graph = _global_default_graph, graph
    if events.has_observers("graph_replaced"):
        events.emit("graph_replaced", old=old, new=graph)
    return old


# -- the default session ---------------------------------------------------------
# Kept beside the default graph (as TF's ops.py keeps both): `Tensor.eval` and
# `Operation.run` need it, and `Session` builds on the graph, not the other way round.


def _session_stack() -> list:
    stack = getattr(_thread_state, "sessions", None)
    if stack is None:
        stack = _thread_state.sessions = []
    return stack


def get_default_session():
    """The session of the innermost ``with sess:`` / ``sess.as_default()`` (or None)."""
    stack = _session_stack()
    return stack[-1] if stack else None


class default_session:
    """``with default_session(sess):`` makes ``sess`` the default session of this thread."""

    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _session_stack().append(self._session)
        return self._session

    def __exit__(self, *exc) -> bool:
        stack = _session_stack()
        for i in range(len(stack) - 1, -1, -1):  # this entry, even if an inner one leaked
            if stack[i] is self._session:
                del stack[i]
                break
        return False


_NO_SESSION = {
    "evaluate tensor using `eval()`": "`with sess.as_default()` or pass an explicit session to "
    "`eval(session=sess)`",
    "execute operation using `run()`": "`with sess.as_default():` or pass an explicit session "
    "to `run(session=sess)`",
}


def session_for(element, session, what: str):
    """``session``, else the default session, checked to run ``element``'s graph."""
    if session is None:
        session = get_default_session()
        if session is None:
            how = _NO_SESSION.get(what, "`with sess.as_default():` or pass `session=sess`")
            raise ValueError(f"Cannot {what}: No default session is registered. Use {how}")
    if session.graph is not element.graph:
        kind = "operation" if isinstance(element, Operation) else "tensor"
        verb = "execute operation" if kind == "operation" else "evaluate tensor"
        raise ValueError(
            f"Cannot use the given session to {verb}: the {kind}'s graph is different from "
            "the session's graph."
        )
    return session


def atomic(builder):
    """Decorator for op builders: if the builder raises, the default graph is left as it
    was (no half-made ops, no used-up names)."""

    @functools.wraps(builder)
    def build(*args, **kwargs):
        graph = get_default_graph()
        if graph._thread_local.journal is not None:  # already inside a transaction
            return builder(*args, **kwargs)
        with _Transaction(graph):
            return builder(*args, **kwargs)

    return build


def name_scope(name, default_name=None, values=None):
    """TF1's ``tf.name_scope(name, default_name=None, values=None)`` on the right graph."""
    n = default_name if name is None else name
    if n is None and values is not None:
        raise ValueError(
            f"At least one of name ({name}) and default_name ({default_name}) must be provided."
        )
    graph = graph_of(values) if values else get_default_graph()
    return graph.name_scope(n)


def graph_of(values) -> Graph:
    """The graph of the first tensor, op or variable among ``values`` (else the default)."""
    for v in values:
        element = getattr(v, "_as_graph_element", None)
        if element is not None:
            e = element()
            if isinstance(e, (Tensor, Operation)):
                return e.graph
    return get_default_graph()


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def add_to_collection(name, value) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key) -> list:
    return get_default_graph().get_collection_ref(key)


def get_all_collection_keys() -> list[str]:
    return get_default_graph().get_all_collection_keys()
