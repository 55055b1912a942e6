"""The error explainer: known TF1 errors -> what happened in this notebook, and the fix.

`explain(exc, history)` looks ``exc`` (and the exceptions it was raised from) up
in `KNOWN_ERRORS`, a table of (exception types, message pattern, explainer).
The explainers read a `NotebookHistory`: which cell created each variable, which
cell is running, when the default graph was replaced. Nothing here imports
IPython: the extension feeds the history and shows the result after the
normal traceback.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from tfteach.core.errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from tfteach.core.graph import (
    Graph,
    GraphKeys,
    Operation,
    Tensor,
    get_default_graph,
    get_default_session,
)
from tfteach.core.session import Session
from tfteach.core.variables import Variable, variable_for_op

from .display import Panel
from .summary import graph_variables, python_names_of, session_label

_LISTED = 5  # names listed in a sentence before "and N more"


@dataclass(frozen=True)
class CellRecord:
    """One run of a cell: a serial number per run, its ``In [n]`` number, its source."""

    serial: int
    execution_count: int | None
    source: str

    @property
    def label(self) -> str:
        return f"In [{self.execution_count}]" if self.execution_count else "an earlier cell"


@dataclass(frozen=True)
class Replacement:
    """The global default graph was replaced (``how``: "%%graph", "tf.reset_default_graph()");
    ``old`` is the number the history gave the old graph."""

    cell: CellRecord | None
    how: str
    old: int | None


@dataclass(frozen=True)
class InitRun:
    """``%init`` ran in ``cell`` and initialized the session labelled ``session``."""

    cell: CellRecord | None
    session: str


_GRAPHS_KEPT = 10  # graphs whose variables' origins the history remembers


class NotebookHistory:
    """What the notebook did, as far as the explainer needs it (fed by the extension).

    Graphs are known by a number, so that the history outlives a replaced graph
    (which nothing may reference any more) without keeping it alive.
    """

    def __init__(self, namespace: dict | None = None):
        self.namespace = namespace if namespace is not None else {}
        self.current: CellRecord | None = None
        self.replacements: list[Replacement] = []
        self.closed_by_magic: list[CellRecord | None] = []
        self.init_runs: list[InitRun] = []
        self._serial = 0
        self._graph_numbers: weakref.WeakKeyDictionary[Graph, int] = weakref.WeakKeyDictionary()
        self._numbers_given = 0
        self._origins: dict[int, dict[str, CellRecord]] = {}  # graph number -> name -> cell

    def number(self, graph: Graph | None) -> int | None:
        """The history's number for ``graph`` (given on first sight)."""
        if graph is None:
            return None
        number = self._graph_numbers.get(graph)
        if number is None:
            self._numbers_given += 1
            number = self._graph_numbers[graph] = self._numbers_given
        return number

    # -- fed by the extension ------------------------------------------------------------
    def begin_cell(self, execution_count: int | None, source: str) -> CellRecord:
        self._serial += 1
        self.current = CellRecord(self._serial, execution_count, source)
        return self.current

    def end_cell(self) -> None:
        self.current = None

    def variable_created(self, variable: Variable) -> None:
        if self.current is None:
            return
        number = self.number(variable.graph)
        if number not in self._origins:
            self._origins[number] = {}
            for old in list(self._origins)[:-_GRAPHS_KEPT]:
                del self._origins[old]
        self._origins[number][variable.op.name] = self.current

    def graph_replaced(self, old: Graph | None, how: str) -> None:
        self.replacements.append(Replacement(self.current, how, self.number(old)))
        del self.replacements[:-_GRAPHS_KEPT]

    def init_ran(self, session) -> None:
        """``%init`` ran the initializers in ``session``."""
        self.init_runs.append(InitRun(self.current, session_label(session)))
        del self.init_runs[:-_GRAPHS_KEPT]

    # -- read by the explainers ----------------------------------------------------------
    def origin(self, graph: Graph | int, name: str) -> CellRecord | None:
        """The cell run that created the variable ``name`` in ``graph`` (or graph number)."""
        number = graph if isinstance(graph, int) else self.number(graph)
        return self._origins.get(number, {}).get(name)

    def graphs_with(self, name: str) -> list[int]:
        """The numbers of the graphs in which a cell created a variable ``name``."""
        return [n for n, names in self._origins.items() if name in names]

    def replacement_of(self, graph: Graph | int) -> Replacement | None:
        """The replacement that made ``graph`` (or graph number) stop being the default."""
        number = graph if isinstance(graph, int) else self.number(graph)
        return next((r for r in reversed(self.replacements) if r.old == number), None)

    def python_names(self, element_name: str) -> list[tuple[str, object]]:
        """The notebook's Python names bound to a tensor, op or variable called so."""
        found = []
        for key, value in list(self.namespace.items()):
            if key.startswith("_") or not isinstance(value, (Tensor, Operation, Variable)):
                continue
            if element_name in (value.name, getattr(value, "op", value).name):
                found.append((key, value))
        return found


@dataclass(frozen=True)
class Explanation:
    """A known error, explained: a title, what happened here, and how to fix it."""

    title: str
    happened: tuple[str, ...]
    fixes: tuple[str, ...]

    def panel(self) -> Panel:
        return Panel(
            f"tfteach: {self.title}",
            [("What happened:", self.happened), ("How to fix it:", self.fixes)],
            footer="(`%tfteach_explain off` hides these notes.)",
            kind="error",
        )


Explainer = Callable[[re.Match, BaseException, NotebookHistory], Explanation]


@dataclass(frozen=True)
class KnownError:
    types: tuple[type, ...]
    pattern: re.Pattern
    explainer: Explainer


def explain(exc: BaseException, history: NotebookHistory | None = None) -> Explanation | None:
    """The explanation of ``exc`` (or of an exception it was raised from), if it is known."""
    history = history if history is not None else NotebookHistory()
    seen = 0
    while exc is not None and seen < 5:
        for known in KNOWN_ERRORS:
            if isinstance(exc, known.types):
                match = known.pattern.search(str(exc))
                if match:
                    return known.explainer(match, exc, history)
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


# -- helpers --------------------------------------------------------------------------------


def _listing(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:_LISTED])
    more = len(names) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _python_name(history: NotebookHistory, element_name: str, fallback: str) -> str:
    names = history.python_names(element_name)
    return names[0][0] if names else fallback


def _variable_named(graph: Graph, name: str) -> Variable | None:
    try:
        op = graph.get_operation_by_name(name)
    except (KeyError, ValueError):
        return None
    return variable_for_op(op) if op.type == "VariableV2" else None


def _last_replacement(history: NotebookHistory) -> str | None:
    if not history.replacements:
        return None
    r = history.replacements[-1]
    where = f" in {r.cell.label}" if r.cell else ""
    return f"The default graph was last replaced by {r.how}{where}."


# -- the explainers -----------------------------------------------------------------------


def _already_exists(match, exc, history) -> Explanation:
    name = match.group(1)
    origin = history.origin(get_default_graph(), name)
    current = history.current
    share = (
        "To share the variable on purpose: `with tf.variable_scope(scope, "
        "reuse=tf.AUTO_REUSE):` creates it when missing and returns it when present "
        "(or `reuse=True` / `scope.reuse_variables()` for the second use)."
    )
    rebuild = (
        "Start the cell with `%%graph`: each run then builds a fresh default graph, "
        "so running the cell again is safe."
    )
    reset = (
        "Or call `tf.reset_default_graph()` first (then `%init` opens a session on the new graph)."
    )
    if origin is not None and current is not None and origin.serial == current.serial:
        happened = [
            f"This cell creates `{name}` twice: a second `get_variable` call for the same "
            "name (for example a function that builds a layer, called twice) while the "
            "scope does not reuse."
        ]
        fixes = [share, rebuild]
    elif origin is not None and current is not None and origin.source == current.source:
        happened = [
            f"This cell was run twice and creates the same variable: its first run "
            f"({origin.label}) created `{name}`, and the default graph still holds it. "
            f"Running it again asks `get_variable` to create `{name}` a second time."
        ]
        fixes = [rebuild, share, reset]
    elif origin is not None:
        happened = [
            f"{origin.label} created `{name}`; this cell asks `get_variable` to create a "
            "variable with the same name in the same default graph."
        ]
        fixes = [share, rebuild, reset]
    else:
        happened = [f"The default graph already holds a variable named `{name}`."]
        fixes = [share, rebuild, reset]
    happened.append(
        "`get_variable` creates a variable unless its `variable_scope` reuses; reuse is off "
        "by default."
    )
    return Explanation(f"`{name}` already exists", tuple(happened), tuple(fixes))


def _does_not_exist(match, exc, history) -> Explanation:
    name = match.group(1)
    graph = get_default_graph()
    existing = {v.op.name: v for v in graph_variables(graph)}
    leaf = name.rpartition("/")[2]
    if name in existing:
        happened = [
            f"`{name}` exists in the default graph, but it was made by `tf.Variable(...)`: "
            "`get_variable` reuses only variables that `get_variable` created."
        ]
        fixes = [
            f"Create it with `tf.get_variable('{leaf}', ...)` so that scopes can reuse it.",
            "Or use the Python variable that holds it instead of looking it up.",
        ]
        return Explanation(f"`{name}` cannot be reused", tuple(happened), tuple(fixes))
    happened = [
        f"Reuse is on in this scope (`reuse=True` or `scope.reuse_variables()`, inherited by "
        f"nested scopes), so `get_variable('{leaf}')` only looks `{name}` up, and the default "
        "graph has no variable with that name."
    ]
    close = difflib.get_close_matches(name, list(existing), n=_LISTED)
    if close:
        happened.append(f"Variables with similar names: {_listing(close)}.")
    elsewhere = [n for n in history.graphs_with(name) if n != history.number(graph)]
    if elsewhere:
        origin = history.origin(elsewhere[-1], name)
        replaced = history.replacement_of(elsewhere[-1])
        how = f" (replaced by {replaced.how})" if replaced else ""
        happened.append(
            f"{origin.label} created `{name}` in an earlier graph{how}; the current default "
            "graph does not have it."
        )
    fixes = (
        "`reuse=tf.AUTO_REUSE` creates the variable the first time and reuses it afterwards.",
        "Or create it first in a scope without reuse, then reuse it in a later "
        "`variable_scope(..., reuse=True)`.",
        f"Check the scope names: reuse looks up the full name `{name}`.",
    )
    return Explanation(f"`{name}` does not exist", tuple(happened), fixes)


def _init_ops(graph: Graph, variables: list[Variable]) -> list[tuple[Operation, list[Variable]]]:
    """The ops that group variable initializers (``init``, ``init_1``, ...) and their variables."""
    by_initializer = {v.initializer: v for v in variables}
    covered: dict[Operation, list[Variable]] = {}
    for op in graph.get_operations():
        if op.type != "NoOp" or not op.control_inputs:
            continue
        found: list[Variable] = []
        for c in op.control_inputs:
            if c in by_initializer:
                found.append(by_initializer[c])
            else:
                found.extend(covered.get(c, ()))
        if found:
            covered[op] = found
    return list(covered.items())


def _failing_session(exc: BaseException) -> Session | None:
    """The session whose ``run`` raised ``exc`` (None if no session's method is on its
    traceback). TF's errors name the op, not the session, and tfteach keeps TF's
    attributes: the traceback is where the session is found."""
    tb = exc.__traceback__
    while tb is not None:  # outermost first: the `sess.run` the learner called
        candidate = tb.tb_frame.f_locals.get("self")
        if isinstance(candidate, Session):
            return candidate
        tb = tb.tb_next
    return None


def _session_words(session: Session, history: NotebookHistory) -> str:
    """``session 2 (Session, `sess`)``: its label, with the notebook's name for it."""
    label = session_label(session)
    names = python_names_of(session, history.namespace)
    return label[:-1] + f", `{names[0]}`)" if names else label


def _uninitialized(match, exc, history) -> Explanation:
    name = match.group(1)
    op = getattr(exc, "op", None)
    variable = variable_for_op(op) if isinstance(op, Operation) else None
    if variable is None:
        variable = _variable_named(get_default_graph(), name)
    happened = [
        f"This session has no value for `{name}`: values live in the session, and every "
        "variable starts uninitialized in each new session."
    ]
    failing = _failing_session(exc)
    elsewhere = failing is not None and not _init_magic_runs_in(failing)
    pynames = python_names_of(failing, history.namespace) if failing is not None else []
    sess = pynames[0] if pynames else "sess"
    build = (
        "Build the init op after the last variable is created (after "
        "`optimizer.minimize(...)`), then run it"
    )
    if elsewhere:
        # %init would initialize another session (or open a new one): advising it is wrong
        happened.append(_other_session_story(failing, history))
        fixes = [
            f"{build} in the session that failed: `{sess}.run(tf.global_variables_initializer())`."
        ]
    else:
        fixes = [
            "`%init` runs the initializers in the default session (it opens an "
            "InteractiveSession when there is none).",
            f"{build}: `{sess}.run(tf.global_variables_initializer())`.",
        ]
    variable_names = history.python_names(name + ":0")
    if variable_names:
        fixes.append(
            f"Or initialize just this one: `{sess}.run({variable_names[0][0]}.initializer)`."
        )
    if variable is not None and _is_local_only(variable):
        # tf.metrics keep their counters in LOCAL variables: the global initializer skips them
        happened.append(
            f"`{name}` is a LOCAL variable (in `tf.GraphKeys.LOCAL_VARIABLES`, as the counters "
            "of `tf.metrics` are): `tf.global_variables_initializer()` does not initialize it."
        )
        fixes = [
            f"Run `{sess}.run(tf.local_variables_initializer())` as well, after the metric is "
            "built (running it again resets the metric's counts).",
        ]
        if not elsewhere:
            fixes.append(f"Or `%init {name}` (a bare `%init` runs only the global ones).")
    elif variable is not None:
        happened.extend(_init_op_story(variable))
    return Explanation(f"`{name}` is uninitialized", tuple(happened), tuple(fixes))


def _init_magic_runs_in(session: Session) -> bool:
    """Would ``%init`` initialize ``session``? It uses the default session when that runs
    the default graph, and opens a new one when there is none."""
    return session is get_default_session() and session.graph is get_default_graph()


def _other_session_story(failing: Session, history: NotebookHistory) -> str:
    default = get_default_session()
    if default is None:
        target = "there is no default session, so `%init` would open a new one"
    else:
        target = f"`%init` initializes the default session, {session_label(default)}"
    story = f"The run that failed was in {_session_words(failing, history)}; {target}."
    label = session_label(failing)
    ran = [r for r in history.init_runs if r.session != label]
    if ran:
        last = ran[-1]
        where = f" in {last.cell.label}" if last.cell else ""
        story += (
            f" `%init`{where} initialized {last.session}, which is why this session still "
            "has no values."
        )
    return story


def _is_local_only(variable: Variable) -> bool:
    graph = variable.graph
    return variable in graph.get_collection(
        GraphKeys.LOCAL_VARIABLES
    ) and variable not in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)


def _unguarded_readers(variable: Variable, variables) -> list[Variable]:
    """The variables whose initializer reads ``variable``'s value directly (not through an
    ``initialized_value()`` guard): those make a single init run fail."""
    var_op = variable.op
    readers = []
    for other in variables:
        if other is variable:
            continue
        stack, seen = [other.initializer], set()
        while stack:
            op = stack.pop()
            if op in seen:
                continue
            seen.add(op)
            if op.type == "InitializedValue":  # a guard: its fallback is the unguarded value
                stack.append(op.get_attr("initial_value").op)
                continue
            refs = op.op_def.ref_inputs
            inputs = [t for i, t in enumerate(op.inputs) if i not in refs]
            if any(t.op is var_op for t in inputs):
                readers.append(other)
                break
            stack.extend(t.op for t in inputs)
    return readers


def _init_op_story(variable: Variable) -> list[str]:
    name = variable.op.name
    variables = graph_variables(variable.graph)
    inits = _init_ops(variable.graph, variables)
    covering = [op for op, vs in inits if variable in vs]
    if covering:
        readers = _unguarded_readers(variable, variables)
        if readers:
            return [
                f"`{covering[-1].name}` initializes `{name}`, but "
                f"{_listing([r.op.name for r in readers])} read `{name}` while it runs: the "
                "initial value of one reads another variable, and while that one has no value "
                f"its own initial value is computed on the spot, which reads `{name}`. TensorFlow "
                "makes an initial value's direct reads wait for the variable, but this read of "
                f"`{name}` is the first in the chain and nothing protects it.",
                f"Fix: write `{name}.initialized_value()` where an initial value uses `{name}`, "
                f"or initialize in order: `sess.run(tf.variables_initializer([{name}]))` first.",
            ]
        return [f"`{covering[-1].name}` initializes `{name}`, but this session has not run it."]
    if not inits:
        return ["No initializer op of this graph covers it yet."]
    init_op, members = inits[-1]
    made_at = {op: i for i, op in enumerate(init_op.graph.get_operations())}
    after_init = [v for v in variables if made_at[v.op] > made_at[init_op]]
    missing = [v.op.name for v in after_init if v not in members]
    story = []
    if made_at[variable.op] > made_at[init_op]:
        story.append(
            f"`{init_op.name}` was built before `{name}` existed, so it does not initialize it: "
            "an initializer op covers only the variables that existed when it was built "
            "(an optimizer's `minimize()` creates slot variables such as `w/Adam` then)."
        )
        if len(missing) > 1:
            story.append(f"Missing from `{init_op.name}`: {_listing(missing)}.")
    else:
        story.append(f"`{init_op.name}` was built from a list that does not include `{name}`.")
    return story


def _missing_feed(match, exc, history) -> Explanation:
    name, dtype, shape = match.group(1), match.group(2), match.group(3)
    pyname = _python_name(history, name + ":0", name)
    want = f"a {dtype} value" + (f" of shape {shape} (`?` is any size)" if shape else "")
    happened = (
        f"What you ran depends on the placeholder `{name}`, and this run's `feed_dict` gave it "
        "no value. A placeholder holds no value of its own: every `sess.run` that needs it "
        "must feed it.",
    )
    fixes = (
        f"Feed it: `sess.run(fetches, feed_dict={{{pyname}: value}})` with {want}.",
        f"If the result should not need `{name}`, check which tensors it is computed from.",
    )
    return Explanation(f"no value fed for placeholder `{name}`", happened, fixes)


def _dims(text: str) -> list[int | None]:
    return [None if d.strip() == "?" else int(d) for d in text.strip("()").split(",") if d.strip()]


def _feed_shape(match, exc, history) -> Explanation:
    got, tensor, want = match.group(1), match.group(2), match.group(3)
    g, w = _dims(got), _dims(want)
    happened = [
        f"The value fed for `{tensor}` has shape {got}, but the placeholder has shape {want}: "
        "a fed value needs the same rank and each known dimension equal (`?` matches any size)."
    ]
    if len(g) != len(w):
        happened.append(f"The value has {len(g)} dimensions where {len(w)} are expected.")
    else:
        for i, (a, b) in enumerate(zip(g, w)):
            if b is not None and a != b:
                happened.append(f"Dimension {i} is {a} where the placeholder needs {b}.")
    target = ", ".join("-1" if d is None else str(d) for d in w)
    fixes = (
        f"Reshape the value to the placeholder's shape, e.g. `np.reshape(value, ({target}))` "
        "when it holds the right number of elements.",
        "Or declare the placeholder with `None` for a dimension that varies, e.g. "
        "`tf.placeholder(tf.float32, shape=(None, 8))` for batches of any size.",
    )
    return Explanation(f"wrong shape fed for `{tensor}`", tuple(happened), fixes)


_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def _other_graph(match, exc, history) -> Explanation:
    quoted = _QUOTED.search(match.group(0))
    element = quoted.group(1) if quoted else None
    what = f"`{element}`" if element else "A tensor or op"
    happened = [
        f"{what} belongs to another graph than the one in use: a session runs exactly one "
        "graph (the default graph when it was opened), and ops cannot mix graphs."
    ]
    default = get_default_graph()
    for pyname, obj in history.python_names(element) if element else ():
        if obj.graph is not default:
            replaced = history.replacement_of(obj.graph)
            when = f" (replaced by {replaced.how})" if replaced else ""
            happened.append(
                f"The Python name `{pyname}` still refers to `{obj.name}` of an earlier "
                f"graph{when}."
            )
            break
    else:
        last = _last_replacement(history)
        if last:
            happened.append(last + " Tensors built before that belong to the old graph.")
    fixes = (
        "Run again the cells that build it (they now build it in the current default graph), "
        "then `%init`.",
        "Or run it in a session of its own graph: `tf.Session(graph=t.graph)`.",
        "When you rebuild a model, keep it in one `%%graph` cell so that the graph and the "
        "Python names stay together.",
    )
    return Explanation("an element of another graph", tuple(happened), fixes)


def _closed_by_graph_magic(history) -> list[str]:
    """A sentence saying %%graph closed the default session, if it did."""
    if not history.closed_by_magic:
        return []
    cell = history.closed_by_magic[-1]
    where = f" in {cell.label}" if cell else ""
    return [f"`%%graph` closed the default session{where} when it replaced the graph."]


def _closed_session(match, exc, history) -> Explanation:
    happened = [
        "This session was closed: `with tf.Session() as sess:` closes it at the end of the "
        "block, `sess.close()` closes it for good, and its variable values are gone."
    ]
    happened.extend(_closed_by_graph_magic(history))
    fixes = (
        "`%init` opens a new InteractiveSession on the default graph and initializes the "
        "variables.",
        "Or run the code inside the `with tf.Session() as sess:` block.",
    )
    return Explanation("the session is closed", tuple(happened), fixes)


def _no_session(match, exc, history) -> Explanation:
    happened = [
        "`eval()` and `run()` without `session=` use the default session, and there is none: "
        "a `with tf.Session() as sess:` block makes one only inside the block."
    ]
    happened.extend(_closed_by_graph_magic(history))
    fixes = (
        "`%init` opens an InteractiveSession (the default session from then on) and initializes "
        "the variables.",
        "Or pass a session: `t.eval(session=sess)`, or run inside `with sess.as_default():`.",
    )
    return Explanation("no default session", tuple(happened), fixes)


KNOWN_ERRORS: tuple[KnownError, ...] = (
    KnownError(
        (ValueError,), re.compile(r"Variable (\S+) already exists, disallowed"), _already_exists
    ),
    KnownError(
        (ValueError,),
        re.compile(r"Variable (\S+) does not exist, or was not created with tf\.get_variable\(\)"),
        _does_not_exist,
    ),
    KnownError(
        (FailedPreconditionError,),
        re.compile(r"Attempting to use uninitialized value (\S+)"),
        _uninitialized,
    ),
    KnownError(
        (InvalidArgumentError,),
        re.compile(
            r"You must feed a value for placeholder tensor '([^']+)' with dtype (\w+)"
            r"(?: and shape (\S+))?"
        ),
        _missing_feed,
    ),
    KnownError(
        (ValueError,),
        re.compile(
            r"Cannot feed value of shape (\([^)]*\)) for Tensor '?([^',]+?)'?, "
            r"which has shape '?(\([^)]*\))'?"
        ),
        _feed_shape,
    ),
    KnownError(
        (ValueError,),
        re.compile(
            r"(?:\S.*? is not an element of this graph"
            r"|graph is different from the session's graph"
            r"|\S.*? must be from the same graph as .*)"
        ),
        _other_graph,
    ),
    KnownError((RuntimeError,), re.compile(r"Attempted to use a closed Session"), _closed_session),
    KnownError((ValueError,), re.compile(r"No default session is registered"), _no_session),
)


# -- things other than variables that need initializing: iterators and lookup tables ------


def _iterator_uninitialized(match, exc, history) -> Explanation:
    happened = (
        "`make_initializable_iterator()` makes an iterator that starts nowhere: its position "
        "lives in the session, and only running its `initializer` op starts it there (in "
        "each session, as variables are initialized in each session).",
        "`tf.global_variables_initializer()` does not start iterators: they are not variables.",
    )
    fixes = (
        "Run `sess.run(iterator.initializer)` before the first `sess.run(next_element)` "
        "(and again to go over the data once more).",
        "Or use `tf.data.make_one_shot_iterator(dataset)`, which starts itself.",
    )
    return Explanation("the iterator is not initialized", happened, fixes)


def _end_of_sequence(match, exc, history) -> Explanation:
    happened = (
        "The iterator has handed out every element of its dataset: with no `repeat()`, a "
        "dataset is one pass (one epoch) over the data.",
    )
    fixes = (
        "This is how a TF1 loop over a dataset ends: catch it, "
        "`except tf.errors.OutOfRangeError: break`.",
        "Add `.repeat(n)` to the dataset for n epochs (`.repeat()` for no end), or run "
        "`iterator.initializer` again to start a new pass.",
    )
    return Explanation("the iterator reached the end of its data", happened, fixes)


def _feature_column_of_table(exc) -> str | None:
    """The feature key whose vocabulary column built the table ``exc``'s lookup reads, when
    ``tf.feature_column.input_layer`` built it (the table is ``.../<key>_lookup/...``)."""
    op = getattr(exc, "op", None)
    table = op.inputs[0].op.name if op is not None and op.inputs else ""
    parts = table.split("/")
    if not parts[0].startswith("input_layer"):
        return None
    return next((p.removesuffix("_lookup") for p in parts if p.endswith("_lookup")), None)


def _table_uninitialized(match, exc, history) -> Explanation:
    happened = (
        "A lookup table is filled by its initializer op, in each session, and this session "
        "has not run it; the table's initializer is in `tf.GraphKeys.TABLE_INITIALIZERS`, not "
        "among the variables' initializers.",
    )
    key = _feature_column_of_table(exc)
    if key is not None:
        happened += (
            f"`tf.feature_column.input_layer` built this table for the vocabulary column "
            f"of `{key}` (`categorical_column_with_vocabulary_list`): it maps each value to "
            "its index in the list, and `global_variables_initializer()` does not fill it.",
        )
    fixes = (
        "Run `sess.run(tf.tables_initializer())` after the tables are built (next to "
        "`tf.global_variables_initializer()`).",
    )
    return Explanation("the lookup table is not initialized", happened, fixes)


KNOWN_ERRORS += (
    KnownError(
        (FailedPreconditionError,),
        re.compile(r"GetNext\(\) failed because the iterator has not been initialized"),
        _iterator_uninitialized,
    ),
    KnownError((OutOfRangeError,), re.compile(r"^End of sequence"), _end_of_sequence),
    KnownError(
        (FailedPreconditionError,), re.compile(r"Table not initialized"), _table_uninitialized
    ),
)
