"""Plain facts about variables and graphs, shared by every view (text, HTML, widgets).

Rows hold short strings and a few numbers, never whole arrays: a value is
summarized by its statistics (a one-element value by the value itself), so a
table of 10,000 variables stays cheap to build.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tfteach.core.constant_op import constant_value
from tfteach.core.graph import Graph, GraphKeys, Operation, creation_order
from tfteach.core.variables import Variable, variable_for_op, variables_of

_CLIP = 60  # longest string a summary cell holds


def clip(text: str, width: int = _CLIP) -> str:
    """``text`` cut to ``width`` characters (an ellipsis marks the cut)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def format_number(x) -> str:
    """A short, deterministic text for a number or a scalar value."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating, complex, np.complexfloating)):
        return f"{x:.4g}"
    if isinstance(x, bytes):
        return clip(repr(x), 30)
    return clip(str(x), 30)


# -- sessions -------------------------------------------------------------------------------

_session_numbers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_next_number = itertools.count(1)


def session_label(session) -> str:
    """``"session 2 (InteractiveSession)"``: the session's number and class.

    Numbers are given in the order the notebook layer first sees sessions (the loaded
    extension sees each one open), so they stay the same for the session's lifetime and
    hold no address."""
    number = _session_numbers.get(session)
    if number is None:
        number = _session_numbers[session] = next(_next_number)
    return f"session {number} ({type(session).__name__})"


def python_names_of(obj, namespace: dict) -> list[str]:
    """The notebook's public Python names bound to ``obj`` (``sess``), in namespace order."""
    return [k for k, v in list(namespace.items()) if v is obj and not k.startswith("_")]


# -- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueSummary:
    """A value in a few numbers: one value as itself, many by mean, std, min and max."""

    size: int
    scalar: object = None
    stats: tuple[float, float, float, float] | None = None  # mean, std, min, max
    other: str | None = None  # arrays of booleans, strings, complex numbers

    def text(self) -> str:
        if self.size == 0:
            return "empty"
        if self.stats is not None:
            if self.stats[2] == self.stats[3]:
                return f"all {format_number(self.stats[2])}"
            mean, std, lo, hi = (f"{x:.4g}" for x in self.stats)  # floats: as format_number
            return f"mean {mean}, std {std}, min {lo}, max {hi}"
        if self.other is not None:
            return self.other
        return format_number(self.scalar)


def summarize_value(value) -> ValueSummary:
    """The summary of an array (or scalar) value."""
    a = np.asarray(value)
    if a.size == 0:
        return ValueSummary(0)
    if a.size == 1:
        x = a.reshape(-1)[0]  # a numpy scalar, or the object of an object array (bytes)
        return ValueSummary(1, scalar=x.item() if isinstance(x, np.generic) else x)
    kind = a.dtype.kind
    if kind in "iuf":
        (stats,) = _row_statistics(a.reshape(1, -1))
        return ValueSummary(a.size, stats=stats)
    if kind == "b":
        return ValueSummary(a.size, other=f"{int(np.count_nonzero(a))} of {a.size} True")
    if kind == "c":
        return ValueSummary(a.size, other=f"complex, mean {format_number(a.mean())}")
    return ValueSummary(a.size, other=f"{a.size} values, first {format_number(a.flat[0])}")


def _row_statistics(block: np.ndarray) -> list[tuple[float, float, float, float]]:
    """(mean, std, min, max) of each row of a 2-D numeric array, in float64."""
    with np.errstate(all="ignore"):
        f = block.astype(np.float64, copy=False)
        columns = (f.mean(axis=1), f.std(axis=1), f.min(axis=1), f.max(axis=1))
    return list(zip(*(c.tolist() for c in columns)))


_BULK_SIZE = 1024  # values this small are summarized together with others of their kind
_BULK_BLOCK = 1 << 20  # numbers per block of stacked values (8 MiB as float64)


def summarize_values(values: Sequence) -> list[ValueSummary]:
    """`summarize_value` of each value. Small numeric arrays of one shape and dtype (the
    10,000 weights of a big graph) are stacked and summarized in one numpy call per block,
    instead of four calls each: the same numbers, since each row is reduced on its own."""
    arrays = [np.asarray(v) for v in values]
    out: list[ValueSummary | None] = [None] * len(arrays)
    groups: dict[tuple, list[int]] = {}
    for i, a in enumerate(arrays):
        if 1 < a.size <= _BULK_SIZE and a.dtype.kind in "iuf":
            groups.setdefault((a.shape, a.dtype), []).append(i)
        else:
            out[i] = summarize_value(a)
    for members in groups.values():
        size = arrays[members[0]].size
        step = max(1, _BULK_BLOCK // size)
        for start in range(0, len(members), step):
            chunk = members[start : start + step]
            block = np.stack([arrays[i].reshape(-1) for i in chunk])
            for i, stats in zip(chunk, _row_statistics(block)):
                out[i] = ValueSummary(size, stats=stats)
    return out  # type: ignore[return-value]  # every slot is filled


def variable_state(session, variable: Variable) -> tuple[str, ValueSummary | None]:
    """The variable's state in ``session`` and a summary of its value there.

    States: ``uninitialized``, ``initialized``, ``assigned``, ``restored``; ``no session``
    when ``session`` is None or runs another graph; ``session closed``.
    """
    return variable_states(session, [variable])[0]


_NO_VALUE = ("no session", "session closed", "uninitialized")  # states without a value


def variable_states(
    session, variables: Sequence[Variable]
) -> list[tuple[str, ValueSummary | None]]:
    """`variable_state` of each variable (their values summarized together)."""
    states = [_state_in(session, v) for v in variables]
    held = [i for i, state in enumerate(states) if state not in _NO_VALUE]
    values = summarize_values([session.variable_value(variables[i]) for i in held])
    out: list[tuple[str, ValueSummary | None]] = [(state, None) for state in states]
    for i, value in zip(held, values):
        out[i] = (states[i], value)
    return out


def _state_in(session, variable: Variable) -> str:
    if session is None or session.graph is not variable.graph:
        return "no session"
    if getattr(session, "closed", False):
        return "session closed"
    return session.variable_state(variable)


# -- initializers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InitializerInfo:
    """What a variable's initial value is drawn from, with its resolved parameters."""

    name: str
    params: tuple[tuple[str, str], ...] = ()
    formula: str | None = None

    def params_text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.params)

    def text(self) -> str:
        """The name and the formula (else the parameters): ``glorot_uniform: limit = ...``."""
        detail = self.formula or self.params_text()
        return f"{self.name}: {detail}" if detail else self.name


# the order in which an initializer's explain() facts are shown
_FACTS = (
    "distribution",
    "mode",
    "scale",
    "fan_in",
    "fan_out",
    "n",
    "mean",
    "stddev",
    "param_stddev",
    "limit",
)
# random op type -> (the function that builds it, its parameter constants)
_RANDOM_OPS = {
    "RandomStandardNormal": ("random_normal", ("mean", "stddev")),
    "TruncatedNormal": ("truncated_normal", ("mean", "stddev")),
    "RandomUniform": ("random_uniform", ("min", "max")),
    "RandomUniformInt": ("random_uniform", ("min", "max")),
}


def describe_initializer(variable: Variable) -> InitializerInfo:
    """The initializer of ``variable``: the initializer object ``get_variable`` recorded,
    else what its initial value is built from (a random op, a constant, another op)."""
    init = getattr(variable, "_initializer_fn", None)
    if init is not None and callable(init):
        return _from_initializer(init, variable)
    return _from_initial_value(variable.initial_value)


def _from_initializer(init, variable: Variable) -> InitializerInfo:
    name = getattr(init, "__name__", None) or type(init).__name__
    explain = getattr(init, "explain", None)
    if not callable(explain):
        return InitializerInfo(name)
    try:
        facts = explain(variable.shape.as_list(), variable.dtype.base_dtype)
    except Exception:  # an unknown shape, or an initializer that cannot say
        return InitializerInfo(name)
    params = tuple((key, format_number(facts[key])) for key in _FACTS if facts.get(key) is not None)
    return InitializerInfo(str(facts.get("name") or name), params, facts.get("formula"))


def _from_initial_value(tensor) -> InitializerInfo:
    op = tensor.op
    random_op = _random_op_behind(op)
    if random_op is not None:
        function, param_names = _RANDOM_OPS[random_op.type]
        return InitializerInfo(function, _random_params(random_op, param_names))
    value = constant_value(tensor)
    if value is not None:
        return InitializerInfo("constant", (("value", summarize_value(value).text()),))
    return InitializerInfo(op.type, (("op", op.name),))


def _random_op_behind(op: Operation, limit: int = 8) -> Operation | None:
    """The random op that ``op`` scales and shifts (a few ops upstream at most)."""
    queue, seen = [op], set()
    while queue and len(seen) < limit:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current.type in _RANDOM_OPS:
            return current
        queue.extend(t.op for t in current.inputs)
    return None


def _random_params(random_op: Operation, names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    graph = random_op.graph
    # random_normal's op lives inside its scope; random_uniform's int op is the scope itself
    for scope in (random_op.name.rpartition("/")[0], random_op.name):
        params = []
        for name in names:
            try:
                value = constant_value(graph.get_operation_by_name(f"{scope}/{name}").outputs[0])
            except (KeyError, ValueError):
                value = None
            if value is not None:
                params.append((name, summarize_value(value).text()))
        if params:
            return tuple(params)
    return ()


# -- variables of a graph -------------------------------------------------------------------


def graph_variables(graph: Graph) -> list[Variable]:
    """Every `tf.Variable` of ``graph`` in creation order, whatever its collections."""
    return variables_of(graph)


def collection_key(name: str) -> str:
    """A collection name, also accepting the GraphKeys constant (``TRAINABLE_VARIABLES``)."""
    value = getattr(GraphKeys, name, None) if name.isupper() else None
    return value if isinstance(value, str) else name


def select_variables(
    graph: Graph,
    pattern: str | None = None,
    collection: str | None = None,
    scope: str | None = None,
) -> list[Variable]:
    """The variables of ``graph`` in ``collection`` (all if None) whose name ``re.match``es
    ``scope`` (as ``tf.get_collection`` filters) and contains ``pattern`` (a regular
    expression, searched). Raises ``re.error`` for a bad expression."""
    if collection is None:
        variables = graph_variables(graph)
        if scope:
            regex = re.compile(scope)
            variables = [v for v in variables if regex.match(v.name)]
    else:
        items = graph.get_collection(collection_key(collection), scope or None)
        variables = [v for v in items if isinstance(v, Variable)]
    if pattern:
        regex = re.compile(pattern)
        variables = [v for v in variables if regex.search(v.op.name)]
    return variables


def collections_of(
    graph: Graph, variables: Sequence[Variable] | None = None
) -> dict[int, tuple[str, ...]]:
    """id(variable) -> the names of the collections that hold it (each once, sorted), for
    ``variables`` (default: every variable of ``graph``): a page of rows need not index
    the other 10,000."""
    if variables is None:
        variables = graph_variables(graph)
    wanted = {id(v) for v in variables}
    index: dict[int, list[str]] = {}
    for key in sorted(graph.get_all_collection_keys()):
        for i in wanted.intersection(map(id, graph.get_collection(key))):
            index.setdefault(i, []).append(key)
    return {k: tuple(v) for k, v in index.items()}


def match_names(
    variables: Sequence[Variable], names: Iterable[str]
) -> tuple[list[Variable], dict[str, list[str]]]:
    """The variables named by ``names`` (an op name, ``name:0``, or a scope that holds them),
    and for each name that matches nothing, the closest existing names and scopes."""
    selected: dict[int, Variable] = {}
    unknown: dict[str, list[str]] = {}
    for raw in names:
        name = raw[:-2] if raw.endswith(":0") else raw
        prefix = name.rstrip("/") + "/"
        hits = [v for v in variables if v.op.name == name or v.op.name.startswith(prefix)]
        if hits:
            selected.update((id(v), v) for v in hits)
        else:
            unknown[raw] = difflib.get_close_matches(name, names_and_scopes(variables), n=5)
    order = [v for v in variables if id(v) in selected]
    return order, unknown


def names_and_scopes(variables: Sequence[Variable]) -> list[str]:
    """Each variable's op name and every scope above it, once each, scopes first."""
    out: dict[str, None] = {}
    for v in variables:
        parts = v.op.name.split("/")
        for i in range(1, len(parts)):
            out.setdefault("/".join(parts[:i]), None)
        out.setdefault(v.op.name, None)
    return list(out)


# -- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariableRow:
    """One variable, as %vars and the inspector show it."""

    name: str
    shape: str
    dtype: str
    trainable: bool
    collections: tuple[str, ...]
    initializer: InitializerInfo
    state: str
    value: ValueSummary | None


def variable_rows(
    variables: Sequence[Variable], session=None, collections: dict | None = None
) -> list[VariableRow]:
    """A row per variable; ``collections`` is `collections_of` (computed for ``variables``
    when not given)."""
    if collections is None:
        collections = collections_of(variables[0].graph, variables) if variables else {}
    described: dict[tuple, InitializerInfo] = {}  # get_variable's calls share initializers
    rows = []
    for v, (state, value) in zip(variables, variable_states(session, variables)):
        shape = str(v.shape)
        rows.append(
            VariableRow(
                name=v.op.name,
                shape=shape,
                dtype=v.dtype.base_dtype.name,
                trainable=v.trainable,
                collections=collections.get(id(v), ()),
                initializer=_described(v, shape, described),
                state=state,
                value=value,
            )
        )
    return rows


def _described(variable: Variable, shape: str, described: dict) -> InitializerInfo:
    """`describe_initializer`, once per initializer object, shape and dtype in ``described``
    (what it says depends on nothing else; the variable keeps the object, and so its id)."""
    init = getattr(variable, "_initializer_fn", None)
    if init is None:
        return describe_initializer(variable)  # built from its own initial value
    key = (id(init), shape, variable.dtype.base_dtype.name)
    info = described.get(key)
    if info is None:
        info = described[key] = describe_initializer(variable)
    return info


# -- what a cell added to a graph -------------------------------------------------------------


@dataclass(frozen=True)
class GraphSnapshot:
    """How big a graph was: its op count and the size of each collection."""

    n_ops: int
    collection_sizes: tuple[tuple[str, int], ...]


def snapshot(graph: Graph) -> GraphSnapshot:
    # sorted: the order in which collections appear depends on set iteration order
    keys = sorted(graph.get_all_collection_keys())
    sizes = tuple((k, len(graph.get_collection(k))) for k in keys)
    return GraphSnapshot(len(graph.get_operations()), sizes)


@dataclass(frozen=True)
class GraphChanges:
    """What was added to a graph since a snapshot."""

    ops_added: int
    total_ops: int
    variables_by_scope: tuple[tuple[str, tuple[str, ...]], ...]  # ("" is the root scope)
    collections: tuple[tuple[str, int], ...]  # collection, entries added

    @property
    def n_variables(self) -> int:
        return sum(len(names) for _, names in self.variables_by_scope)


def changes_since(graph: Graph, before: GraphSnapshot | None = None) -> GraphChanges:
    """The ops, variables (grouped by scope) and collection entries added after ``before``
    (everything in the graph when ``before`` is None)."""
    ops = graph.get_operations()
    start = before.n_ops if before is not None else 0
    by_scope: dict[str, list[str]] = {}
    for op in ops[start:]:
        if op.op_def.is_variable:
            scope, _, leaf = op.name.rpartition("/")
            by_scope.setdefault(scope, []).append(leaf)
    old = dict(before.collection_sizes) if before is not None else {}
    added = []
    for key, size in snapshot(graph).collection_sizes:
        n = size - old.get(key, 0)
        if n > 0:
            added.append((key, n))
    return GraphChanges(
        ops_added=len(ops) - start,
        total_ops=len(ops),
        variables_by_scope=tuple((s, tuple(names)) for s, names in by_scope.items()),
        collections=tuple(added),
    )


# -- initializer ops built before their variables -------------------------------------------


@dataclass(frozen=True)
class InitGroup:
    """An initializer op (a NoOp named ``init…``): its name, and whether it runs only local
    variables' initializers (then it is checked against local variables only)."""

    name: str
    local: bool
    order: int  # its `creation_order`: it misses the variables made after it


def _is_init_op(op: Operation) -> bool:
    """A NoOp named as `tf.global_variables_initializer` and friends name theirs: ``init``,
    ``init_1``, ``scope/init``."""
    return op.type == "NoOp" and op.name.rpartition("/")[2].startswith("init")


def _initializers_run_by(op: Operation) -> list[Operation]:
    """The variable-initializing Assign ops among ``op``'s control inputs, following
    groups of groups (NoOps) down."""
    found, stack, seen = [], [op], set()
    while stack:
        current = stack.pop()
        for dep in current.control_inputs:
            if dep in seen:
                continue
            seen.add(dep)
            if dep.type == "NoOp":
                stack.append(dep)
            elif dep.type == "Assign" and _attr(dep, "kind") == "init":
                found.append(dep)
    return found


class InitTracker:
    """Which variables an initializer op built before them leaves out, kept up to date as
    the graph grows by reading only the ops added since the last look.

    An initializer op cannot run the initializer of a variable created after it, so a
    variable's list is known when it is created and never changes: global variables are
    checked against global initializers, local ones against initializers that run only
    local variables.
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self.groups: list[InitGroup] = []
        self.missing: dict[Operation, tuple[str, ...]] = {}
        self._seen = 0  # ops read so far
        self._last: Operation | None = None  # the last of them

    def update(self) -> dict[Operation, tuple[str, ...]]:
        """variable op -> the names of the initializer ops built before it, which miss it."""
        ops = self.graph.get_operations()
        if self._seen and (len(ops) < self._seen or ops[self._seen - 1] is not self._last):
            # a failed build was rolled back (its ops removed): read everything again
            self.groups, self.missing, self._seen = [], {}, 0
        new = ops[self._seen :]
        if not new:
            return self.missing
        self._seen = len(ops)
        self._last = ops[-1]
        # the only look at every new op (the type first: a call less for all but NoOps)
        inits = [op for op in new if op.type == "NoOp" and _is_init_op(op)]
        if not inits and not self.groups:
            return self.missing  # no initializer op yet: nothing is missed
        local = set(map(id, self.graph.get_collection(GraphKeys.LOCAL_VARIABLES)))
        for op in inits:
            only_local = bool(local) and _runs_only(op, local)
            self.groups.append(InitGroup(op.name, only_local, creation_order(op)))
        glob = set(map(id, self.graph.get_collection(GraphKeys.GLOBAL_VARIABLES)))
        variables = variables_of(self.graph)  # in creation order
        # those made since the last look, and after the first initializer op (else none misses them)
        first = max(creation_order(new[0]), self.groups[0].order)
        for v in variables[bisect.bisect_left(variables, first, key=_variable_order) :]:
            kind = True if id(v) in local else (False if id(v) in glob else None)
            order = _variable_order(v)
            names = tuple(g.name for g in self.groups if g.local is kind and g.order < order)
            if names:
                self.missing[v.op] = names
        return self.missing


def _runs_only(init_op: Operation, ids: set[int]) -> bool:
    """Whether ``init_op`` runs some variables' initializers, and only those of ``ids``."""
    runs = [id(variable_for_op(a.inputs[0].op)) for a in _initializers_run_by(init_op)]
    return bool(runs) and all(i in ids for i in runs)


def _variable_order(variable: Variable) -> int:
    return creation_order(variable.op)


def missing_from_initializers(graph: Graph) -> dict[Operation, tuple[str, ...]]:
    """variable op -> the initializer ops (NoOps named ``init…``) built before the variable
    was created, which therefore do not run its initializer."""
    return dict(InitTracker(graph).update())


# -- the inspector ------------------------------------------------------------------------------


def _attr(op: Operation, name: str):
    """``op.get_attr(name)``, or None for an op without that attribute."""
    try:
        return op.get_attr(name)
    except ValueError:
        return None
