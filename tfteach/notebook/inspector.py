"""The inspector: a live view of a graph's collections and of initialization in a session.

Stock ipywidgets 8 controls composed in Python (no JavaScript of its own), so it works
wherever ipywidgets does: JupyterLab, Notebook 7, Voila, Binder. Its model is a few traits;
every change of them, and every batch of runtime events, goes through one method,
`Inspector._apply`, which redraws what changed. Its ``_repr_mimebundle_`` adds a
plain-text and an escaped HTML table of what it shows beside the widget view, so a
frontend without widgets (nbviewer, GitHub, nbval) still shows something true.

It follows the runtime through `tfteach.core.events`: a ``sess.run(init)`` in any cell
updates it at the end of that cell (events that arrive while a cell runs are gathered
and applied once), touching only the rows that changed. ``close()`` unsubscribes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import ipywidgets as widgets
from IPython import get_ipython
from traitlets import Any, Instance, Int, Unicode, observe

from tfteach.core import events
from tfteach.core.graph import Graph, GraphKeys, Operation, get_default_graph, get_default_session
from tfteach.core.variables import Variable

from . import summary
from .display import (
    Cell,
    StaticTableMixin,
    Table,
    close_all,
    count,
    initializer_cell,
    message_html,
    rich_html,
)
from .summary import session_label

__all__ = ["Inspector", "inspect"]

PAGE_SIZE = 50  # rows the inspector's table shows at once
EVERY_VARIABLE = "(every variable)"  # not a collection: every tf.Variable of the graph
_LISTED_NAMES = 5  # variable names a note lists before "… and N more"
_STANDARD_KEYS = (
    GraphKeys.GLOBAL_VARIABLES,
    GraphKeys.TRAINABLE_VARIABLES,
    GraphKeys.LOCAL_VARIABLES,
)


def _cell_running_shell():
    """The IPython shell if it is running a cell now, else None (a widget callback, a
    script, a test without a shell)."""
    shell = get_ipython()
    hook = getattr(shell, "displayhook", None)
    if hook is not None and getattr(hook, "exec_result", None) is not None:
        return shell
    return None


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


class Inspector(StaticTableMixin, widgets.VBox):
    """The variables of a collection of ``graph`` (paginated), with their state in
    ``session``, and buttons that run their initializers there.

    Made by `inspect`. With no ``session`` given it shows the default session. It names
    the session it shows ("session 2 (InteractiveSession)") and never changes it behind
    the learner's back: when another session opens on the graph it says so and offers a
    button to show that one instead; only an inspector that has no open session to show
    takes the new one at once, with a note. With neither graph nor session given it also
    follows the default graph when ``%%graph`` or `tf.reset_default_graph` replaces it.
    """

    graph = Instance(Graph)
    session = Any(None, allow_none=True)
    offered = Any(None, allow_none=True)  # a newer open session the learner may switch to
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
        self._n_other = 0  # how many of them are not variables
        self._states: dict[Operation, str] = {}  # each listed variable's state
        self._counts: Counter = Counter()
        self._rows: dict[Operation, summary.VariableRow] = {}  # rows drawn, by variable op
        self._inits: summary.InitTracker | None = None
        self._problem = ""  # why the list is empty (a bad scope filter)
        self._switched = ""  # a note: the inspector took a session that opened after it
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
        self._apply(select=True)
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
        self.switch_button = widgets.Button(
            tooltip="show the states in the session that opened after this inspector",
            layout=widgets.Layout(display="none", width="auto"),
        )
        self.switch_button.on_click(lambda _: self.show_offered_session())
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
            self.switch_button,
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
    @observe("graph", "session", "collection", "scope", "page", "offered")
    def _update(self, change) -> None:
        """A trait changed (the learner's choice, or the graph or session followed)."""
        if not self._ready or self._closed:
            return
        name = change["name"]
        if name == "offered":
            self._sync_switch()
            self._draw(rows=False)
            return
        if name == "session" and self.offered is self.session:
            self.offered = None
        if name in ("graph", "session"):
            self._rows.clear()
        new_list = name in ("graph", "collection", "scope")
        self._apply(select=new_list, recount=name == "session", first_page=new_list)

    def _apply(self, select=False, recount=False, first_page=False, written=frozenset()):
        """The one update path: trait changes and the runtime's events both end here.

        ``select`` lists the collection again, ``recount`` reads every listed variable's
        state again, ``first_page`` goes back to the first page (the learner chose another
        list); ``written`` are variables' ops a run or a restore wrote, whose rows and
        counts change. Then it draws what changed."""
        for op in written:
            self._rows.pop(op, None)
        if written and not (select or recount or first_page):
            self._apply_writes(written)  # only states changed
            return
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

    def _sync_switch(self) -> None:
        offered = self.offered
        self.switch_button.layout.display = None if offered is not None else "none"
        self.switch_button.description = (
            f"show {session_label(offered)} instead" if offered is not None else ""
        )

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
        self._n_other = sum(1 for i in items if not isinstance(i, Variable))
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
            self._inits = summary.InitTracker(self.graph)
        return self._inits.update()

    def _page_table(self, missing: dict | None = None) -> Table:
        """The rows of the page shown (no title, no notes); ``missing`` is `_missing_map`."""
        visible = self._visible()
        variables = [i for i in visible if isinstance(i, Variable)]
        rows = iter(self._variable_rows(variables))
        if missing is None:
            missing = self._missing_map()
        body = []
        for item in visible:
            if isinstance(item, Variable):
                body.append(_variable_cells(next(rows), missing.get(item.op, ())))
            else:
                body.append(_other_cells(item))
        return Table(_COLUMNS, body)

    def _notes(self, pages: bool = False, missing: dict | None = None) -> list[str]:
        """The notes under the title; ``pages``: also which rows the page holds (the widget
        shows that beside its buttons); ``missing`` is `_missing_map`."""
        notes = [self._page_text()] if pages and self._items else []
        if self.offered is not None:
            notes.append(
                f"{session_label(self.offered)} opened on this graph after this inspector; "
                f"the states shown are still those of {session_label(self.session)}."
            )
        if self._switched:
            notes.append(self._switched)
        notes += self._missing_notes(self._missing_map() if missing is None else missing)
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
        counted = [count(len(self._item_ops), "variable")]
        if self._n_other:
            counted.append(count(self._n_other, "other item"))
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
        label = session_label(session)
        if session.closed:
            return f"{label} is closed: its values are gone"
        return f"states in {label} with {count(session.n_variable_values, 'variable value')}"

    def _page_text(self) -> str:
        start = self.page * PAGE_SIZE
        end = min(start + PAGE_SIZE, len(self._items))
        return f"rows {start + 1:,} to {end:,} of {len(self._items):,}"

    def _missing_notes(self, missing: dict) -> list[str]:
        by_init: dict[str, list[str]] = {}
        for op, names in missing.items():  # mostly none: not a look at every listed variable
            if op in self._item_ops:
                for name in names:
                    by_init.setdefault(name, []).append(op.name)
        notes = []
        for name, variables in sorted(by_init.items()):
            variables.sort()
            listed = ", ".join(variables[:_LISTED_NAMES])
            if len(variables) > _LISTED_NAMES:
                listed += f" … and {len(variables) - _LISTED_NAMES:,} more"
            notes.append(
                f"`{name}` was built before {count(len(variables), 'variable')} of this list "
                f"existed ({listed}): running it leaves them uninitialized. Build the "
                "initializer op again after creating them (`tf.global_variables_initializer()`)."
            )
        return notes

    def _draw(self, rows: bool = True) -> None:
        """Shows the title and notes, and (``rows``) the page's rows and the controls that
        depend on them."""
        missing = self._missing_map()
        self.status.value = "".join(
            f"<p>{'<b>' if i == 0 else ''}{rich_html(line)}{'</b>' if i == 0 else ''}</p>"
            for i, line in enumerate([self._title(), *self._notes(missing=missing)])
        )
        if not rows:
            return
        self.table.value = self._page_table(missing)._repr_html_()
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
        self._say(f"Ran the initializers of {count(len(variables), 'variable')}.")
        self._flush()  # show it now, even when clicked from a cell

    def show_offered_session(self) -> None:
        """Shows the states in the session that opened after this inspector (the button
        "show session N instead")."""
        offered = self.offered
        if offered is None or offered.closed:
            self.offered = None
            return
        self._switched = ""
        self.session = offered

    def _say(self, text: str, error: bool = False) -> None:
        self.message.value = message_html(text, error)

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
        if not self._follow_session or session.graph is not self.graph:
            return
        shown = self.session
        if shown is None or shown.closed:  # nothing to lose: take it, and say so
            before = "no session" if shown is None else f"{session_label(shown)} was closed"
            self._switched = (
                f"Now showing {session_label(session)}, which opened after this inspector "
                f"({before} before)."
            )
            self.session = session
        else:  # the learner is reading this session's states: offer, do not switch
            self.offered = session

    def _on_session_closed(self, session) -> None:
        if session is self.offered:
            self.offered = None
        if session is self.session:
            self._rows.clear()
            self._pending.add("recount")
            self._schedule()

    def _on_graph_replaced(self, old, new) -> None:
        if self._follow_graph and old is self.graph:
            with self.hold_trait_notifications():
                self.graph = new
                self.session = _default_session_on(new)
                self.offered = None

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
        # stays on the page the learner is reading
        self._apply(select="select" in pending, recount="recount" in pending, written=written)

    def _apply_writes(self, written: set[Operation]) -> None:
        """Only variables' states changed: recount them, redraw the rows if one shows."""
        changed = False
        no_values = self._no_values()  # once, not once for each of 10,000 written variables
        for op in written & self._item_ops:
            state = no_values or self.session.variable_state(op)
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
            close_all(self.children)
        super().close()


def _default_session_on(graph: Graph):
    session = get_default_session()
    if session is not None and session.graph is graph and not session.closed:
        return session
    return None


def _matches(regex: re.Pattern, item) -> bool:
    name = getattr(item, "name", None)
    return isinstance(name, str) and regex.match(name) is not None


def _variable_cells(row: summary.VariableRow, missing: tuple[str, ...]) -> tuple:
    return (
        row.name,
        row.shape,
        row.dtype,
        initializer_cell(row.initializer),
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
