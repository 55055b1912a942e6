"""The magics: ``%%graph``, ``%init``, ``%vars`` and ``%tfteach_explain``.

Arguments are declared with IPython's ``magic_arguments`` (so ``%init?`` shows
them and a bad argument is a ``UsageError``); the facts come from `summary`,
the views from `display`.
"""

from __future__ import annotations

import re
import warnings

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

from tfteach.core import graph as graph_module
from tfteach.core.graph import Graph, GraphKeys, get_default_graph, get_default_session
from tfteach.core.random_seed import set_random_seed
from tfteach.core.session import InteractiveSession

from . import display as views
from . import summary


def _unquote(text: str | None) -> str | None:
    """``text`` without the quotes around it (magic_arguments keeps them: `%vars 'a|b'`)."""
    if text is not None and len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _parse(magic, line: str, name: str):
    """``parse_argstring`` for the magic ``name``; any line it cannot read is a one-line
    UsageError (IPython's own parser raises a bare ValueError for an unbalanced quote)."""
    try:
        return parse_argstring(magic, line)
    except ValueError as e:  # shlex: "No closing quotation"
        raise UsageError(
            f"{name}: cannot read the arguments {line!r:.60}: {e}. Close the "
            "quote, or put a backslash before a quote that is part of a name."
        ) from None


def _check_regex(option: str, text: str | None) -> None:
    """A UsageError unless ``text`` compiles as a regular expression (``re`` raises
    RecursionError, not re.error, for one nested thousands deep)."""
    if text is None:
        return
    try:
        with warnings.catch_warnings():  # "Possible nested set" and the like: noise here
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(text)
    except re.error as e:
        raise UsageError(
            f"%vars: {option} {text!r:.60} is not a regular expression ({e})."
        ) from None
    except (RecursionError, OverflowError):
        raise UsageError(
            f"%vars: {option} {text!r:.60} is not a usable regular expression (nested or "
            "repeated too deeply)."
        ) from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@magics_class
class TfteachMagics(Magics):
    """The magics of ``%load_ext tfteach``; ``extension`` is the state they share."""

    def __init__(self, shell, extension):
        super().__init__(shell)
        self._ext = extension

    # -- %%graph --------------------------------------------------------------------------
    @magic_arguments("graph")
    @argument("--seed", type=int, metavar="N", help="graph-level random seed for the cell's graph")
    @argument("--keep", action="store_true", help="add to the current default graph instead")
    @argument("--draw", action="store_true", help="also draw the graph (scopes as boxes)")
    @cell_magic("graph")
    def graph_magic(self, line: str, cell: str):
        """Run the cell with a fresh default graph, which stays the default afterwards.

        Running the cell again rebuilds its graph from scratch, so it never meets
        "Variable ... already exists". The default session, if it runs the replaced
        graph, is closed. If the cell raises, the previous graph is the default again.
        """
        args = _parse(self.graph_magic, line, "%%graph")
        if args.keep:
            graph, old, notes = get_default_graph(), None, []
        else:
            graph, old, notes = self._fresh_graph()
        if args.seed is not None:
            set_random_seed(args.seed)
            notes.append(f"Graph-level random seed: {args.seed}.")
        before = summary.snapshot(graph)
        error = self._run_cell(cell)
        if error is not None and not args.keep:
            self._install(old)
        changes = summary.changes_since(graph, before)
        display(_graph_report(args.keep, changes, error, notes))
        if args.draw and error is None:
            from .drawing import draw_graph

            display(draw_graph(graph, get_default_session()))

    def _fresh_graph(self) -> tuple[Graph, Graph, list[str]]:
        if graph_module.nested_default_graphs():
            raise UsageError(
                "%%graph cannot replace the default graph while a `with g.as_default():` block "
                "(or an `InteractiveSession(graph=g)`) keeps another graph as the default: close "
                "it first, or use `%%graph --keep` to add to the current graph."
            )
        notes = self._close_sessions_on(get_default_graph())
        graph = Graph()
        return graph, self._install(graph), notes

    def _install(self, graph: Graph) -> Graph:
        self._ext.replacing = "`%%graph`"
        try:
            return graph_module.set_global_default_graph(graph)
        finally:
            self._ext.replacing = None

    def _close_sessions_on(self, graph: Graph) -> list[str]:
        notes = []
        session = get_default_session()
        while session is not None and session.graph is graph:
            session.close()
            notes.append(
                f"Closed the default session ({type(session).__name__}) on the replaced graph: "
                "its values are gone; `%init` opens a new one."
            )
            self._ext.history.closed_by_magic.append(self._ext.history.current)
            following = get_default_session()
            if following is session:  # a `with sess.as_default()` entry stays until its block ends
                break
            session = following
        return notes

    def _run_cell(self, cell: str) -> BaseException | None:
        """Runs ``cell`` as a cell of its own; returns its error (also the outer cell's)."""
        outer = self.shell.displayhook.exec_result
        result = self.shell.run_cell(cell)
        self.shell.displayhook.exec_result = outer
        error = result.error_before_exec or result.error_in_exec
        if error is not None and outer is not None and outer.error_in_exec is None:
            # the notebook (nbclient, the kernel's reply) sees the cell fail, as without %%graph
            outer.error_in_exec = error
        return error

    # -- %init ----------------------------------------------------------------------------
    @magic_arguments("init")
    @argument(
        "names",
        nargs="*",
        metavar="NAME_OR_SCOPE",
        help="variables (`layer1/w`) or scopes (`layer1`); all global variables if none",
    )
    @argument(
        "--plot",
        action="store_true",
        help="also plot the values drawn against their initializer's theoretical density",
    )
    @line_magic("init")
    def init_magic(self, line: str):
        """Run the initializers of variables in the default session and show before → after.

        Opens an InteractiveSession on the default graph when there is no default
        session. Running an initializer again resets an assigned value and draws
        random initial values again: the table shows both values.
        """
        args = _parse(self.init_magic, line, "%init")
        graph = get_default_graph()
        session = self._default_session_on(graph)
        variables = self._variables_to_init(graph, [_unquote(n) for n in args.names])
        notes = [] if session is not None else self._open_session()
        session = get_default_session()
        shown = variables[: views.ROWS]  # only the rows shown are summarized
        before = [summary.variable_state(session, v) for v in shown]
        again = any(session.variable_state(v) != "uninitialized" for v in variables)
        if variables:
            session.run([v.initializer for v in variables])
            self._ext.history.init_ran(session)
            title = f"%init: ran the initializers of {_count(len(variables), 'variable')}"
        else:
            title = "%init: the default graph has no global variables: nothing to initialize"
        after = [summary.variable_state(session, v) for v in shown]
        changes = [(v.op.name, b, a) for v, b, a in zip(shown, before, after)]
        if again:
            notes.append(
                "Running an initializer again resets an assigned value to the initial value "
                "and draws random initial values again."
            )
        display(views.init_table(changes, len(variables), title, notes))
        if args.plot:
            _display_plot(session, variables)

    def _default_session_on(self, graph: Graph):
        session = get_default_session()
        if session is None or (session is self._ext.own_session and session.graph is not graph):
            return None  # %init opens one (and closes its own stale one)
        if session.closed or session.graph is not graph:
            raise UsageError(
                "%init: the default session "
                + ("is closed" if session.closed else "runs another graph than the default graph")
                + " (the default graph was replaced after it was opened). Close it with "
                "`tf.get_default_session().close()`; then `%init` opens one on the current graph."
            )
        return session

    def _variables_to_init(self, graph: Graph, names: list[str]) -> list:
        if not names:
            return [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES) if v is not None]
        variables = summary.graph_variables(graph)
        selected, unknown = summary.match_names(variables, names)
        if unknown:
            raise UsageError(_unknown_names_message(unknown, variables))
        return selected

    def _open_session(self) -> list[str]:
        notes = []
        stale = self._ext.own_session
        if stale is not None and not stale.closed:
            stale.close()
            notes.append("Closed the InteractiveSession that %init had opened on an earlier graph.")
        self._ext.own_session = InteractiveSession()
        notes.append(
            "Opened an InteractiveSession on the default graph: it is the default session now, "
            "so `v.eval()` and `op.run()` work in the next cells."
        )
        return notes

    # -- %vars ----------------------------------------------------------------------------
    @magic_arguments("vars")
    @argument("pattern", nargs="?", metavar="PATTERN", help="regular expression searched in names")
    @argument("--collection", "-c", metavar="KEY", help="only this collection's variables")
    @argument("--scope", "-s", metavar="PREFIX", help="only names that start with PREFIX")
    @argument("--limit", type=int, default=views.ROWS, metavar="N", help="rows shown (0: all)")
    @argument("--widget", action="store_true", help="show the live inspector widget instead")
    @line_magic("vars")
    @no_var_expand  # PATTERN is a regex: `{2}` and `$` are its syntax, not Python variables
    def vars_magic(self, line: str):
        """Show the variables of the default graph: shape, dtype, collections, initializer,
        and their state and value in the default session."""
        args = _parse(self.vars_magic, line, "%vars")
        args.pattern, args.scope = _unquote(args.pattern), _unquote(args.scope)
        args.collection = _unquote(args.collection)
        _check_regex("PATTERN", args.pattern)
        _check_regex("--scope", args.scope)
        graph = get_default_graph()
        if args.limit < 0:
            raise UsageError(f"%vars: --limit must be 0 (all) or more, not {args.limit}.")
        if args.collection is not None:
            _check_collection(graph, args.collection)
        if args.widget:
            from .inspector import inspect

            if args.pattern:
                raise UsageError(
                    f"%vars --widget filters by --scope and --collection, not by PATTERN "
                    f"({args.pattern!r}): type it in the widget's scope box, or drop --widget."
                )
            display(inspect(collection=args.collection, scope=args.scope or ""))
            return
        variables = summary.select_variables(graph, args.pattern, args.collection, args.scope)
        shown = variables[: args.limit] if args.limit else variables
        session = get_default_session()
        rows = summary.variable_rows(shown, session, summary.collections_of(graph, shown))
        title = _vars_title(len(variables), args)
        display(views.vars_table(rows, len(variables), title, _session_notes(session, graph)))

    # -- %tfteach_explain -----------------------------------------------------------------
    @magic_arguments("tfteach_explain")
    @argument("mode", nargs="?", choices=("on", "off"), help="switch the error explainer")
    @line_magic("tfteach_explain")
    def explain_magic(self, line: str):
        """Switch the notes that explain TF errors after their traceback on or off."""
        args = _parse(self.explain_magic, line, "%tfteach_explain")
        if args.mode is not None:
            self._ext.explain_errors = args.mode == "on"
        print(f"The tfteach error explainer is {'on' if self._ext.explain_errors else 'off'}.")


# -- %init --plot -----------------------------------------------------------------------------

_PLOTTED = 6  # panels at most: a figure, not a wall of them


def _display_plot(session, variables) -> None:
    """The values each variable got, against its initializer's density (`plot_value_panels`)."""
    panels, skipped = [], []
    for v in variables:
        init = getattr(v, "_initializer_fn", None)
        values = session.variable_value(v)
        if init is None or values is None or values.size < 2 or values.dtype.kind != "f":
            skipped.append(v.op.name)
            continue
        try:
            explanation = init.explain(v.shape.as_list(), v.dtype.base_dtype)
        except Exception:  # an initializer that cannot explain this shape: not plotted
            skipped.append(v.op.name)
            continue
        panels.append((v.op.name, values.reshape(-1), explanation))
    if panels:
        from .plots import plot_value_panels

        display(plot_value_panels(panels[:_PLOTTED], title="Values drawn in this session"))
    more = [p[0] for p in panels[_PLOTTED:]]
    if more or skipped:
        parts = [f"not plotted beyond the first {_PLOTTED}: {', '.join(more)}"] if more else []
        if skipped:
            parts.append(
                "not plotted (no initializer object to compare with: made with tf.Variable, "
                f"or not floating point): {', '.join(skipped)}"
            )
        print("%init --plot: " + "; ".join(parts) + ".")


# -- messages -------------------------------------------------------------------------------


def _graph_report(keep: bool, changes: summary.GraphChanges, error, notes: list[str]):
    if error is None:
        if keep:
            title = (
                f"%%graph --keep: {_count(changes.ops_added, 'op')} added to the default graph "
                f"({changes.total_ops} now)"
            )
        else:
            title = f"%%graph: a new default graph with {_count(changes.total_ops, 'op')}"
        return views.graph_panel(title, changes, notes)
    raised = type(error).__name__
    if keep:
        title = (
            f"%%graph --keep: the cell raised {raised}; the {_count(changes.ops_added, 'op')} "
            "it added before the error stay in the default graph"
        )
        return views.graph_panel(title, changes, notes, failed=True)
    title = (
        f"%%graph: the cell raised {raised}; the default graph is the one from before this cell "
        "again (the new graph is dropped)"
    )
    return views.graph_panel(title, summary.GraphChanges(0, 0, (), ()), notes, failed=True)


def _unknown_names_message(unknown: dict[str, list[str]], variables) -> str:
    parts = []
    for name, close in unknown.items():
        hint = (
            f"close matches: {', '.join(close)}"
            if close
            else ("the graph has no variables" if not variables else "no close match")
        )
        parts.append(f"{name!r} ({hint})")
    return (
        f"%init: no variable or scope named {'; '.join(parts)} in the default graph. "
        "Give op names such as `layer1/w` or scopes such as `layer1`; `%vars` lists them."
    )


def _check_collection(graph: Graph, name: str) -> None:
    keys = sorted(graph.get_all_collection_keys())
    if summary.collection_key(name) not in keys:
        raise UsageError(
            f"%vars: the default graph has no collection {name!r}; its collections are: "
            f"{', '.join(keys) or 'none yet'}."
        )


def _vars_title(n: int, args) -> str:
    filters = [f"matching {args.pattern!r}"] if args.pattern else []
    if args.scope:
        filters.append(f"under scope {args.scope!r}")
    if args.collection:
        filters.append(f"in collection {summary.collection_key(args.collection)!r}")
    return " ".join([_count(n, "variable"), *filters, "in the default graph"])


def _session_notes(session, graph: Graph) -> list[str]:
    if session is None:
        return ["No default session: `%init` opens one and runs the initializers."]
    if session.graph is not graph:
        return ["The default session runs another graph: states and values are not shown."]
    return []
