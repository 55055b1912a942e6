"""Widgets: a live inspector of a graph's collections and of initialization in a session,
and an explorer of what an initializer draws.

Both are stock ipywidgets 8 controls composed in Python (no JavaScript of their own), so
they work wherever ipywidgets does: JupyterLab, Notebook 7, Voila, Binder. Each keeps its
model in a few traits and redraws from one update method. Their ``_repr_mimebundle_``
adds a plain-text and an escaped HTML table of what they show beside the widget view,
so a frontend without widgets (nbviewer, GitHub, nbval) still shows something true.

The inspector follows the runtime through `tfteach.core.events`: a ``sess.run(init)`` in
any cell updates it at the end of that cell (events that arrive while a cell runs are
gathered and applied once), touching only the rows that changed. ``close()`` unsubscribes.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
from IPython import get_ipython
from traitlets import Any, Float, Instance, Int, Unicode, observe

from tfteach.core import events, init_ops
from tfteach.core.graph import Graph, GraphKeys, Operation, get_default_graph, get_default_session
from tfteach.core.variables import Variable, variable_for_op

from . import summary
from .display import Cell, Table, rich_html

__all__ = ["InitializerExplorer", "Inspector", "explore_initializers", "inspect"]

PAGE_SIZE = 50  # rows the inspector's table shows at once
EVERY_VARIABLE = "(every variable)"  # not a collection: every tf.Variable of the graph
_LISTED_NAMES = 5  # variable names a note lists before "… and N more"
_STANDARD_KEYS = (
    GraphKeys.GLOBAL_VARIABLES,
    GraphKeys.TRAINABLE_VARIABLES,
    GraphKeys.LOCAL_VARIABLES,
)


class _StaticTable:
    """Mixin for a widget whose output, where no widget can be shown, is `_static_table()`."""

    def _static_table(self) -> Table:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        table = self._static_table()
        bundle["text/plain"] = table.text()
        bundle["text/html"] = table._repr_html_()
        return bundle


def _message_html(text: str, error: bool = False) -> str:
    if not text:
        return ""
    color = "#c0392b" if error else "#2c6e9b"
    return f'<span style="color:{color}">{html.escape(text)}</span>'


def _close_all(children) -> None:
    for child in children:
        if isinstance(child, widgets.Box):
            _close_all(child.children)
        child.close()


def _cell_running_shell():
    """The IPython shell if it is running a cell now, else None (a widget callback, a
    script, a test without a shell)."""
    shell = get_ipython()
    hook = getattr(shell, "displayhook", None)
    if hook is not None and getattr(hook, "exec_result", None) is not None:
        return shell
    return None


# -- initializer ops built before their variables -------------------------------------------


@dataclass(frozen=True)
class InitGroup:
    """An initializer op (a NoOp named ``init…``): its name, and whether it runs only local
    variables' initializers (then it is checked against local variables only)."""

    name: str
    local: bool


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
            elif dep.type == "Assign" and dep._attrs.get("kind") == "init":
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
        self._seen = len(ops)
        self._last = ops[-1] if ops else None
        if not any(_is_init_op(op) for op in new) and not self.groups:
            return self.missing  # no initializer op yet: nothing is missed
        local = {id(v) for v in self.graph.get_collection(GraphKeys.LOCAL_VARIABLES)}
        glob = {id(v) for v in self.graph.get_collection(GraphKeys.GLOBAL_VARIABLES)}
        for op in new:
            if _is_init_op(op):
                covers = _initializers_run_by(op)
                ids = [id(variable_for_op(a.inputs[0].op)) for a in covers]
                only_local = bool(ids) and all(i in local for i in ids)
                self.groups.append(InitGroup(op.name, only_local))
            elif op.type == "VariableV2":
                v = variable_for_op(op)
                kind = True if id(v) in local else (False if id(v) in glob else None)
                names = tuple(g.name for g in self.groups if g.local is kind)
                if names:
                    self.missing[op] = names
        return self.missing


def missing_from_initializers(graph: Graph) -> dict[Operation, tuple[str, ...]]:
    """variable op -> the initializer ops (NoOps named ``init…``) built before the variable
    was created, which therefore do not run its initializer."""
    return dict(InitTracker(graph).update())


# -- the inspector ------------------------------------------------------------------------------

_COLUMNS = ("name", "shape", "dtype", "initializer", "state", "value", "missing from")


def _key_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for attr in dir(GraphKeys):
        value = getattr(GraphKeys, attr)
        if attr.isupper() and isinstance(value, str) and value not in labels:
            labels[value] = attr
    # the alias VARIABLES sorts after GLOBAL_VARIABLES in dir(), but say so explicitly
    labels[GraphKeys.GLOBAL_VARIABLES] = "GLOBAL_VARIABLES"
    return labels


_KEY_LABELS = _key_labels()


def collection_options(graph: Graph) -> list[tuple[str, str]]:
    """(label, key) for the inspector's collection menu: the variable collections, every
    other key of the graph, and every variable whatever its collections."""
    keys = list(_STANDARD_KEYS)
    keys += sorted(k for k in graph.get_all_collection_keys() if k not in _STANDARD_KEYS)
    options = []
    for key in keys:
        constant = _KEY_LABELS.get(key)
        options.append((f"{key} (GraphKeys.{constant})" if constant else key, key))
    options.append(("every variable (any collection or none)", EVERY_VARIABLE))
    return options


class Inspector(_StaticTable, widgets.VBox):
    """The variables of a collection of ``graph`` (paginated), with their state in
    ``session``, and buttons that run their initializers there.

    Made by `inspect`. With no ``session`` given it follows the default session, and any
    session opened later on the graph; with neither graph nor session given it also
    follows the default graph when ``%%graph`` or `tf.reset_default_graph` replaces it.
    """

    graph = Instance(Graph)
    session = Any(None, allow_none=True)
    collection = Unicode(GraphKeys.GLOBAL_VARIABLES)
    scope = Unicode("")
    page = Int(0)

    def __init__(
        self,
        graph: Graph | None = None,
        session=None,
        collection: str | None = None,
        scope: str = "",
    ):
        self._ready = False
        self._follow_graph = graph is None and session is None
        self._follow_session = session is None
        if graph is None:
            graph = session.graph if session is not None else get_default_graph()
        if session is None:
            session = _default_session_on(graph)
        elif session.graph is not graph:
            raise ValueError(
                f"inspect: the session runs another graph than the one given ({session!r}); "
                "pass that session's graph, or no graph (the session's is used)."
            )
        collection = summary.collection_key(collection or GraphKeys.GLOBAL_VARIABLES)
        known = [key for _, key in collection_options(graph)]
        if collection not in known:
            raise ValueError(
                f"inspect: the graph has no collection {collection!r}; its collections are "
                f"{', '.join(repr(k) for k in known[:-1])} (or {EVERY_VARIABLE!r})."
            )
        self._items: list = []  # what the collection holds under the scope filter
        self._item_ops: set[Operation] = set()  # the ops of the variables among them
        self._states: dict[Operation, str] = {}  # each listed variable's state
        self._counts: Counter = Counter()
        self._rows: dict[Operation, summary.VariableRow] = {}  # rows drawn, by variable op
        self._inits: InitTracker | None = None
        self._problem = ""  # why the list is empty (a bad scope filter)
        self._pending: set[str] = set()  # what events changed since the last refresh
        self._written: set[Operation] = set()
        self._flush_shell = None  # the shell whose post_execute will apply the pending events
        self._closed = False
        self._build_controls()
        super().__init__(
            children=self._layout(),
            graph=graph,
            session=session,
            collection=collection,
            scope=scope,
        )
        self._ready = True
        self._refresh(select=True)
        self._subscriptions = (
            ("variable_created", self._on_variable_created),
            ("variables_written", self._on_variables_written),
            ("session_opened", self._on_session_opened),
            ("session_closed", self._on_session_closed),
            ("graph_replaced", self._on_graph_replaced),
        )
        for event, callback in self._subscriptions:
            events.subscribe(event, callback)

    # -- controls ---------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.collection_menu = widgets.Dropdown(
            description="collection", layout=widgets.Layout(width="420px")
        )
        self.scope_filter = widgets.Text(
            description="scope",
            placeholder="layer1 (a regex matched at the start, as tf.get_collection)",
            layout=widgets.Layout(width="420px"),
        )
        self.status = widgets.HTML()
        self.table = widgets.HTML()
        self.previous_button = widgets.Button(description="◀ previous", tooltip="previous page")
        self.next_button = widgets.Button(description="next ▶", tooltip="next page")
        self.page_label = widgets.Label()
        self.selection = widgets.SelectMultiple(
            description="select", rows=6, layout=widgets.Layout(width="420px")
        )
        self.initialize_selected_button = widgets.Button(
            description="initialize selected",
            tooltip="run the initializers of the variables selected above in the session",
        )
        self.initialize_all_button = widgets.Button(
            description="initialize all",
            button_style="primary",
            tooltip="run the initializers of every variable listed (this collection and scope)",
        )
        self.message = widgets.HTML()
        self.collection_menu.observe(self._collection_chosen, "value")
        self.scope_filter.observe(self._scope_typed, "value")
        self.previous_button.on_click(lambda _: self._turn(-1))
        self.next_button.on_click(lambda _: self._turn(+1))
        self.initialize_selected_button.on_click(lambda _: self.initialize_selected())
        self.initialize_all_button.on_click(lambda _: self.initialize_all())

    def _layout(self) -> list:
        return [
            widgets.HBox([self.collection_menu, self.scope_filter]),
            self.status,
            self.table,
            widgets.HBox([self.previous_button, self.page_label, self.next_button]),
            widgets.HBox([self.selection]),
            widgets.HBox([self.initialize_selected_button, self.initialize_all_button]),
            self.message,
        ]

    def _collection_chosen(self, change) -> None:
        if self._ready and change["new"] is not None:
            self.collection = change["new"]

    def _scope_typed(self, change) -> None:
        if self._ready:
            self.scope = change["new"]

    def _turn(self, step: int) -> None:
        self.page = min(max(0, self.page + step), self._last_page())

    def _last_page(self) -> int:
        return max(0, (len(self._items) - 1) // PAGE_SIZE)

    # -- the one update ---------------------------------------------------------------------
    @observe("graph", "session", "collection", "scope", "page")
    def _update(self, change) -> None:
        if not self._ready or self._closed:
            return
        name = change["name"]
        if name in ("graph", "session"):
            self._rows.clear()
        self._refresh(
            select=name in ("graph", "collection", "scope"),
            recount=name == "session",
            first_page=name in ("graph", "collection", "scope"),
        )

    def _refresh(self, select=False, recount=False, first_page=False) -> None:
        """Brings the view up to date: ``select`` lists the collection again, ``recount``
        reads every listed variable's state again; then draws the page (the first one
        when the learner chose another list)."""
        self._sync_controls()
        if select:
            self._select()
        elif recount:
            self._count_states()
        page = 0 if first_page else min(self.page, self._last_page())
        if page != self.page:
            self.page = page  # draws through `_update`
            return
        self._draw()

    def _sync_controls(self) -> None:
        """The menu lists the graph's collections and shows the chosen one (without letting
        the menu's own change notifications come back as a new choice)."""
        options = collection_options(self.graph)
        if self.collection not in (key for _, key in options):
            options.insert(-1, (self.collection, self.collection))
        self._ready = False
        try:
            if tuple(options) != tuple(self.collection_menu.options):
                self.collection_menu.options = options
            self.collection_menu.value = self.collection
            self.scope_filter.value = self.scope
        finally:
            self._ready = True

    def _select(self) -> None:
        graph, self._problem = self.graph, ""
        if self.collection == EVERY_VARIABLE:
            items = summary.graph_variables(graph)
        else:
            items = graph.get_collection(self.collection)
        if self.scope:
            try:
                regex = re.compile(self.scope)
            except re.error as e:
                self._problem = (
                    f"The scope filter {self.scope!r} is not a regular expression ({e}): "
                    "fix it, or clear it to see the whole collection."
                )
                items = []
            else:
                items = [i for i in items if _matches(regex, i)]
        self._items = items
        self._item_ops = {i.op for i in items if isinstance(i, Variable)}
        self._count_states()

    def _count_states(self) -> None:
        missing = self._no_values()
        if missing is not None:
            self._states = dict.fromkeys(self._item_ops, missing)
        else:
            read = self.session.variable_state
            self._states = {i.op: read(i) for i in self._items if isinstance(i, Variable)}
        self._counts = Counter(self._states.values())

    def _no_values(self) -> str | None:
        """Why the session shows no states ("no session", "session closed"), or None."""
        session = self.session
        if session is None or session.graph is not self.graph:
            return "no session"
        return "session closed" if session.closed else None

    def _state(self, op: Operation) -> str:
        return self._no_values() or self.session.variable_state(op)

    # -- drawing ----------------------------------------------------------------------------
    def _visible(self) -> list:
        start = self.page * PAGE_SIZE
        return self._items[start : start + PAGE_SIZE]

    def _variable_rows(self, variables: Sequence[Variable]) -> list[summary.VariableRow]:
        todo = [v for v in variables if v.op not in self._rows]
        if todo:
            for v, row in zip(todo, summary.variable_rows(todo, self.session, collections={})):
                self._rows[v.op] = row
        return [self._rows[v.op] for v in variables]

    def _missing_map(self) -> dict[Operation, tuple[str, ...]]:
        if self._inits is None or self._inits.graph is not self.graph:
            self._inits = InitTracker(self.graph)
        return self._inits.update()

    def _page_table(self) -> Table:
        """The rows of the page shown (no title, no notes)."""
        visible = self._visible()
        variables = [i for i in visible if isinstance(i, Variable)]
        rows = iter(self._variable_rows(variables))
        missing = self._missing_map()
        body = []
        for item in visible:
            if isinstance(item, Variable):
                body.append(_variable_cells(next(rows), missing.get(item.op, ())))
            else:
                body.append(_other_cells(item))
        return Table(_COLUMNS, body)

    def _notes(self, pages: bool = False) -> list[str]:
        """The notes under the title; ``pages``: also which rows the page holds (the widget
        shows that beside its buttons)."""
        notes = [self._page_text()] if pages and self._items else []
        notes += self._missing_notes(self._missing_map())
        if self._problem:
            notes.append(self._problem)
        return notes

    def _title(self) -> str:
        where = (
            "every variable"
            if self.collection == EVERY_VARIABLE
            else f"collection {self.collection!r}"
        )
        if self.scope:
            where += f" under scope {self.scope!r}"
        n_variables = len(self._item_ops)
        n_other = sum(1 for i in self._items if not isinstance(i, Variable))
        counted = [_count(n_variables, "variable")]
        if n_other:
            counted.append(_count(n_other, "other item"))
        states = ", ".join(
            f"{n:,} {state}"
            for state, n in sorted(self._counts.items())
            if state not in ("no session", "session closed")
        )
        return (
            f"{where}: {' and '.join(counted)}"
            + (f" ({states})" if states else "")
            + f"; {self._session_text()}"
        )

    def _session_text(self) -> str:
        session = self.session
        if session is None:
            return "no session: open one (`sess = tf.Session()`, or `%init`) and the states show"
        kind = type(session).__name__
        if session.closed:
            return f"the {kind} is closed: its values are gone"
        return f"states in the {kind} with {_count(session.n_variable_values, 'variable value')}"

    def _page_text(self) -> str:
        start = self.page * PAGE_SIZE
        end = min(start + PAGE_SIZE, len(self._items))
        return f"rows {start + 1:,} to {end:,} of {len(self._items):,}"

    def _missing_notes(self, missing: dict) -> list[str]:
        by_init: dict[str, list[str]] = {}
        for op in self._item_ops:
            for name in missing.get(op, ()):
                by_init.setdefault(name, []).append(op.name)
        notes = []
        for name, variables in sorted(by_init.items()):
            variables.sort()
            listed = ", ".join(variables[:_LISTED_NAMES])
            if len(variables) > _LISTED_NAMES:
                listed += f" … and {len(variables) - _LISTED_NAMES:,} more"
            notes.append(
                f"`{name}` was built before {_count(len(variables), 'variable')} of this list "
                f"existed ({listed}): running it leaves them uninitialized. Build the "
                "initializer op again after creating them (`tf.global_variables_initializer()`)."
            )
        return notes

    def _draw(self, rows: bool = True) -> None:
        """Shows the title and notes, and (``rows``) the page's rows and the controls that
        depend on them."""
        self.status.value = "".join(
            f"<p>{'<b>' if i == 0 else ''}{rich_html(line)}{'</b>' if i == 0 else ''}</p>"
            for i, line in enumerate([self._title(), *self._notes()])
        )
        if not rows:
            return
        self.table.value = self._page_table()._repr_html_()
        self.page_label.value = self._page_text() if self._items else "no rows"
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= self._last_page()
        names = tuple(i.op.name for i in self._visible() if isinstance(i, Variable))
        if names != tuple(self.selection.options):
            self.selection.options = names
        self.initialize_selected_button.disabled = not names
        self.initialize_all_button.disabled = not self._item_ops

    def _static_table(self) -> Table:
        self._catch_up()
        return Table(_COLUMNS, self._page_table().rows, self._title(), self._notes(pages=True))

    def _catch_up(self) -> None:
        """Applies the events of the running cell now (someone reads the inspector)."""
        if self._pending or self._written:
            self._flush()

    # -- what a learner reads and does ------------------------------------------------------
    @property
    def rows(self) -> list[tuple[str, ...]]:
        """The rows of the page shown, as text (name, shape, dtype, initializer, state,
        value, missing from)."""
        self._catch_up()
        table = self._page_table()
        return [tuple(c.text if isinstance(c, Cell) else str(c) for c in r) for r in table.rows]

    def text(self) -> str:
        """The page shown, as a text table with its title and notes."""
        return self._static_table().text()

    def selected_variables(self) -> list[Variable]:
        chosen = set(self.selection.value)
        return [i for i in self._visible() if isinstance(i, Variable) and i.op.name in chosen]

    def initialize_selected(self) -> None:
        """Runs the initializers of the variables selected in the list, in the session."""
        chosen = self.selected_variables()
        if not chosen:
            self._say("Select one or more variables in the list first.", error=True)
            return
        self._initialize(chosen)

    def initialize_all(self) -> None:
        """Runs the initializers of every variable listed (all pages) in the session."""
        variables = [i for i in self._items if isinstance(i, Variable)]
        if not variables:
            self._say("This list has no variables to initialize.", error=True)
            return
        self._initialize(variables)

    def _initialize(self, variables: list[Variable]) -> None:
        session = self.session
        if session is None or session.closed:
            self._say(
                ("The session is closed" if session is not None else "There is no session")
                + " to run the initializers in: open one (`sess = tf.Session()`, or `%init`); "
                "this inspector then shows its states.",
                error=True,
            )
            return
        try:
            session.run([v.initializer for v in variables])
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            self._say(f"Running the initializers raised {type(e).__name__}: {first}", error=True)
            return
        self._say(f"Ran the initializers of {_count(len(variables), 'variable')}.")
        self._flush()  # show it now, even when clicked from a cell

    def _say(self, text: str, error: bool = False) -> None:
        self.message.value = _message_html(text, error)

    # -- following the runtime --------------------------------------------------------------
    def _on_variable_created(self, variable) -> None:
        if variable.graph is self.graph:
            self._pending.add("select")
            self._schedule()

    def _on_variables_written(self, session, ops, kinds) -> None:
        if session is self.session:
            self._written.update(ops)
            self._schedule()

    def _on_session_opened(self, session) -> None:
        if self._follow_session and session.graph is self.graph:
            self.session = session

    def _on_session_closed(self, session) -> None:
        if session is self.session:
            self._rows.clear()
            self._pending.add("recount")
            self._schedule()

    def _on_graph_replaced(self, old, new) -> None:
        if self._follow_graph and old is self.graph:
            with self.hold_trait_notifications():
                self.graph = new
                self.session = _default_session_on(new)

    def _schedule(self) -> None:
        """Apply the pending changes at the end of the running cell (once, however many
        events it makes), or now when no cell is running."""
        if self._flush_shell is not None:
            return
        shell = _cell_running_shell()
        if shell is None:
            self._flush()
        else:
            self._flush_shell = shell
            shell.events.register("post_execute", self._flush)

    def _flush(self) -> None:
        if self._flush_shell is not None:
            self._flush_shell.events.unregister("post_execute", self._flush)
            self._flush_shell = None
        if self._closed:
            return
        pending, written = self._pending, self._written
        self._pending, self._written = set(), set()
        for op in written:
            self._rows.pop(op, None)
        if pending:  # stays on the page the learner is reading
            self._refresh(select="select" in pending, recount="recount" in pending)
        elif written:
            self._apply_writes(written)

    def _apply_writes(self, written: set[Operation]) -> None:
        changed = False
        for op in written & self._item_ops:
            state = self._state(op)
            old = self._states.get(op)
            if state != old:
                self._counts[old] -= 1
                if not self._counts[old]:
                    del self._counts[old]
                self._counts[state] += 1
                self._states[op] = state
                changed = True
        visible = {i.op for i in self._visible() if isinstance(i, Variable)}
        if not visible.isdisjoint(written):
            self._draw()
        elif changed:
            self._draw(rows=False)  # only the counts in the title changed

    def close(self) -> None:
        """Stops following the runtime and closes the widget and its controls."""
        if not getattr(self, "_closed", True):  # True: __init__ refused its arguments
            self._closed = True
            for event, callback in self._subscriptions:
                events.unsubscribe(event, callback)
            if self._flush_shell is not None:
                self._flush_shell.events.unregister("post_execute", self._flush)
                self._flush_shell = None
            _close_all(self.children)
        super().close()


def _default_session_on(graph: Graph):
    session = get_default_session()
    if session is not None and session.graph is graph and not session.closed:
        return session
    return None


def _matches(regex: re.Pattern, item) -> bool:
    name = getattr(item, "name", None)
    return isinstance(name, str) and regex.match(name) is not None


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _variable_cells(row: summary.VariableRow, missing: tuple[str, ...]) -> tuple:
    info = row.initializer
    return (
        row.name,
        row.shape,
        row.dtype,
        Cell(info.text(), info.params_text() if info.formula else None),
        row.state,
        row.value.text() if row.value is not None else "",
        ", ".join(missing),
    )


def _other_cells(item) -> tuple:
    """A collection entry that is not a variable: a tensor (a regularization loss), an op
    (a train op), or any Python object a learner added."""
    name = getattr(item, "name", None)
    if not isinstance(name, str):
        return (summary.clip(repr(item)), "", "", "", f"a {type(item).__name__}", "", "")
    shape = getattr(item, "shape", None)
    dtype = getattr(item, "dtype", None)
    kind = "an op" if isinstance(item, Operation) else "a tensor"
    return (
        name,
        "" if shape is None else str(shape),
        "" if dtype is None else dtype.base_dtype.name,
        "",
        f"{kind}, not a variable",
        "",
        "",
    )


def inspect(
    graph: Graph | None = None,
    session=None,
    collection: str | None = None,
    scope: str = "",
) -> Inspector:
    """A live inspector of ``graph``'s collections (default: the default graph, followed
    when it is replaced) and of their variables' state in ``session`` (default: the
    default session, then any session opened on the graph). ``collection`` (a key, or a
    GraphKeys name such as ``TRAINABLE_VARIABLES``) and ``scope`` set the first view."""
    return Inspector(graph, session, collection, scope)


# -- the initializer explorer -------------------------------------------------------------------

SHAPES = (
    ("dense 784x200", (784, 200)),
    ("conv 5x5x32x64", (5, 5, 32, 64)),
    ("custom", None),
)
MAX_DRAWN = 2_000_000  # values the explorer draws for its histogram at most
MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform", "normal")
# initializer -> the constructor argument the explorer's number box sets
_PARAMETER = {
    "variance_scaling": "scale",
    "random_normal": "stddev",
    "truncated_normal": "stddev",
    "random_uniform": "maxval",
    "uniform_unit_scaling": "factor",
    "orthogonal": "gain",
    "identity": "gain",
    "constant": "value",
}
# explain()'s facts the explorer lists below the fan arithmetic, in explain()'s order
_FACT_KEYS = tuple(
    k for k in init_ops.EXPLAIN_KEYS if k not in ("name", "fan_in", "fan_out", "formula")
)


def initializer_names() -> list[str]:
    """The initializers the explorer offers: init_ops' names and Glorot & Bengio's
    ``standard_uniform`` of the plots."""
    from .plots import STANDARD_UNIFORM

    return [*sorted(init_ops._BY_NAME), STANDARD_UNIFORM]


def _make_initializer(name: str, parameter: float | None, mode: str, distribution: str):
    """The initializer ``name`` with the explorer's settings (those it takes)."""
    from .plots import STANDARD_UNIFORM, standard_uniform

    if name == STANDARD_UNIFORM:
        return standard_uniform()
    default = init_ops.get(name)
    config = default.get_config()
    key = _PARAMETER.get(name)
    if key in config and parameter is not None:
        config[key] = parameter
    if "mode" in config:
        config.update(mode=mode, distribution=distribution)
    return type(default).from_config(config)


def parse_shape(text: str) -> tuple[int, ...]:
    """``"5, 5, 32, 64"`` (or ``5x5x32x64``, ``[784, 200]``) as a tuple of positive ints."""
    parts = [p for p in re.split(r"[\s,x*()\[\]]+", text.strip()) if p]
    try:
        dims = tuple(int(p) for p in parts)
    except ValueError:
        dims = ()
    if not parts or not dims or any(d < 1 for d in dims):
        raise ValueError(
            f"The shape {text!r} is not a list of positive integers: write it as "
            "`784, 200` or `5, 5, 32, 64`."
        )
    return dims


def fan_arithmetic(shape: Sequence[int]) -> list[tuple[str, str]]:
    """How TF computes fan_in and fan_out for ``shape``, with the numbers, as
    (quantity, arithmetic) rows."""
    dims = list(shape)
    if not dims:
        return [("fan_in", "1 (a scalar)"), ("fan_out", "1 (a scalar)")]
    if len(dims) == 1:
        return [("fan_in", f"{dims[0]} (a vector)"), ("fan_out", f"{dims[0]} (a vector)")]
    if len(dims) == 2:
        return [("fan_in", f"{dims[0]} (rows)"), ("fan_out", f"{dims[1]} (columns)")]
    field = 1
    for d in dims[:-2]:
        field *= d
    return [
        ("receptive field", " · ".join(str(d) for d in dims[:-2]) + f" = {field}"),
        ("fan_in", f"{field} · {dims[-2]} = {field * dims[-2]} (field · input channels)"),
        ("fan_out", f"{field} · {dims[-1]} = {field * dims[-1]} (field · output channels)"),
    ]


class InitializerExplorer(_StaticTable, widgets.VBox):
    """Choose an initializer and a shape: see the fan arithmetic, the resolved limit or
    standard deviation, and the histogram of a fresh draw with its theoretical density."""

    initializer = Unicode("glorot_uniform")
    shape = Any((784, 200))
    mode = Unicode("fan_in")
    distribution = Unicode("truncated_normal")
    parameter = Float(1.0)
    seed = Int(0)

    def __init__(self, initializer: str = "glorot_uniform", shape=(784, 200), seed: int = 0):
        names = initializer_names()
        if initializer not in names:
            raise ValueError(
                f"explore_initializers: unknown initializer {initializer!r}; choose one of "
                f"{', '.join(names)}."
            )
        self._ready = False
        self._explanation: dict | None = None
        self._problem = ""
        self.initializer_menu = widgets.Dropdown(options=names, description="initializer")
        self.shape_choice = widgets.ToggleButtons(
            options=[label for label, _ in SHAPES],
            description="shape",
            style={"button_width": "auto"},
        )
        self.shape_text = widgets.Text(
            description="dims",
            placeholder="784, 200",
            continuous_update=False,  # a shape is read when typed in full (Enter or leaving)
            layout=widgets.Layout(width="220px"),
        )
        self.mode_menu = widgets.Dropdown(options=MODES, description="mode")
        self.distribution_menu = widgets.Dropdown(options=DISTRIBUTIONS, description="distribution")
        self.parameter_box = widgets.FloatText(description="scale")
        self.seed_box = widgets.IntText(description="seed")
        self.facts = widgets.HTML()
        self.message = widgets.HTML()
        self.histogram = widgets.Image(format="png", layout=widgets.Layout(width="460px"))
        for control in (
            self.initializer_menu,
            self.shape_choice,
            self.shape_text,
            self.mode_menu,
            self.distribution_menu,
            self.parameter_box,
            self.seed_box,
        ):
            control.observe(self._control_changed, "value")
        super().__init__(
            children=[
                self.initializer_menu,
                widgets.HBox([self.shape_choice, self.shape_text]),
                widgets.HBox([self.mode_menu, self.distribution_menu]),
                widgets.HBox([self.parameter_box, self.seed_box]),
                self.message,
                widgets.HBox([self.facts, self.histogram]),
            ],
            initializer=initializer,
            shape=_check_shape(shape),
            seed=seed,
        )
        self._ready = True
        self._update({"name": "initializer"})

    # -- controls -> traits -----------------------------------------------------------------
    def _control_changed(self, change) -> None:
        if not self._ready:
            return
        owner, value = change["owner"], change["new"]
        if owner is self.initializer_menu:
            self.initializer = value
        elif owner in (self.shape_choice, self.shape_text):
            preset = dict(SHAPES)[self.shape_choice.value]
            self.shape_text.disabled = preset is not None
            try:
                shape = preset if preset is not None else parse_shape(self.shape_text.value)
            except ValueError as e:
                self._show_problem(str(e))
            else:
                self.shape = shape
        elif owner is self.mode_menu:
            self.mode = value
        elif owner is self.distribution_menu:
            self.distribution = value
        elif owner is self.parameter_box:
            self.parameter = value
        elif owner is self.seed_box:
            self.seed = value

    # -- the one update ---------------------------------------------------------------------
    @observe("initializer", "shape", "mode", "distribution", "parameter", "seed")
    def _update(self, change) -> None:
        if not self._ready:
            return
        if change["name"] == "initializer":
            self._take_defaults()
        self._sync_controls()
        self._draw()

    def _take_defaults(self) -> None:
        """A newly chosen initializer starts from TF's default arguments."""
        config = (
            init_ops.get(self.initializer).get_config()
            if not _is_standard(self.initializer)
            else {}
        )
        key = _PARAMETER.get(self.initializer)
        self._ready = False
        try:
            if key in config:
                value = config[key]
                self.parameter = 1.0 if value is None else float(value)  # maxval None is 1
            if "mode" in config:
                self.mode, self.distribution = config["mode"], config["distribution"]
        finally:
            self._ready = True

    def _sync_controls(self) -> None:
        """The controls show the traits; those the initializer does not take are disabled
        (a preset's fixed mode, distribution and scale) or hidden."""
        name = self.initializer
        config = {} if _is_standard(name) else init_ops.get(name).get_config()
        try:
            info = self._build().explain(self.shape)
        except (ValueError, TypeError):
            info = {}
        preset = "mode" not in config and info.get("mode") is not None
        key = _PARAMETER.get(name) if _PARAMETER.get(name) in config else None
        self._ready = False
        try:
            self.initializer_menu.value = name
            label = _shape_label(self.shape)
            self.shape_choice.value = label
            self.shape_text.disabled = label != "custom"
            self.shape_text.value = ", ".join(str(d) for d in self.shape)
            for menu in (self.mode_menu, self.distribution_menu):
                menu.layout.display = None if ("mode" in config or preset) else "none"
                menu.disabled = preset
            if preset:
                self.mode_menu.value = info["mode"]
                self.distribution_menu.value = _distribution_option(info["distribution"])
            else:
                self.mode_menu.value = self.mode
                self.distribution_menu.value = self.distribution
            shown = key is not None or (preset and info.get("scale") is not None)
            self.parameter_box.layout.display = None if shown else "none"
            self.parameter_box.disabled = key is None
            self.parameter_box.description = key or "scale"
            if key is not None:
                self.parameter_box.value = self.parameter
            elif preset and info.get("scale") is not None:
                self.parameter_box.value = float(info["scale"])
            self.seed_box.value = self.seed
        finally:
            self._ready = True

    def _build(self):
        return _make_initializer(self.initializer, self.parameter, self.mode, self.distribution)

    def _draw(self) -> None:
        self._problem = ""
        self._explanation = None
        try:
            init = self._build()
            self._explanation = init.explain(self.shape)
        except (ValueError, TypeError) as e:
            self._show_problem(str(e))
            return
        size = 1
        for d in self.shape:
            size *= d
        if size > MAX_DRAWN:
            self._show_problem(
                f"The shape {tuple(self.shape)} holds {size:,} values; the explorer draws at "
                f"most {MAX_DRAWN:,} for its histogram. The arithmetic holds for any size."
            )
            return
        self.message.value = ""
        self.facts.value = self._static_table()._repr_html_()
        self.histogram.value = _histogram_png(init, self._explanation, self.shape, self.seed)

    def _show_problem(self, text: str) -> None:
        self._problem = text
        self.message.value = _message_html(text, error=True)
        self.facts.value = self._static_table()._repr_html_()
        self.histogram.value = b""

    def _static_table(self) -> Table:
        e = self._explanation or {}
        rows = [("initializer", self.initializer), ("shape", str(tuple(self.shape)))]
        if e:
            rows += fan_arithmetic(self.shape)
            rows += [(k, summary.format_number(e[k])) for k in _FACT_KEYS if e.get(k) is not None]
            if e.get("formula"):
                rows.append(("formula", str(e["formula"])))
        notes = [self._problem] if self._problem else []
        return Table(("quantity", "value"), rows, f"What {self.initializer} draws", notes)

    @property
    def explanation(self) -> dict | None:
        """The initializer's ``explain(shape)`` for the current settings (None when they
        are not valid)."""
        return None if self._explanation is None else dict(self._explanation)

    def close(self) -> None:
        _close_all(self.children)
        super().close()


def _is_standard(name: str) -> bool:
    from .plots import STANDARD_UNIFORM

    return name == STANDARD_UNIFORM


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, str):
        return parse_shape(shape)
    return parse_shape(", ".join(str(d) for d in shape))


def _shape_label(shape) -> str:
    for label, preset in SHAPES:
        if preset is not None and tuple(preset) == tuple(shape):
            return label
    return "custom"


def _distribution_option(kind: str | None) -> str | None:
    """The distribution menu's entry for an explain() distribution."""
    return (
        {"normal": "untruncated_normal"}.get(kind, kind)
        if kind
        in (
            "normal",
            "uniform",
            "truncated_normal",
        )
        else None
    )


def _histogram_png(init, explanation: dict, shape: tuple[int, ...], seed: int) -> bytes:
    from .plots import initializer_values, plot_value_panels

    values = initializer_values(init, shape, seed=seed)
    title = f"{explanation['name']}: a fresh draw (seed {seed})"
    figure = plot_value_panels([(title, values, explanation)])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    return buffer.getvalue()


def explore_initializers(
    initializer: str = "glorot_uniform", shape=(784, 200), seed: int = 0
) -> InitializerExplorer:
    """An explorer of initializers: pick one, a shape (dense, convolution or custom), its
    mode, distribution and scale or standard deviation, and a seed; it shows the fan
    arithmetic, the formula with the resolved limit or stddev, and the histogram of a
    fresh draw under the theoretical density."""
    return InitializerExplorer(initializer, shape, seed)
