"""What ``%load_ext tfteach`` installs, and ``%unload_ext tfteach`` removes again.

One `Extension` object holds everything the extension installed (the magics,
two IPython event callbacks, three runtime observers, a prefilter checker that keeps
automagic away from its magics, a completer of their arguments) and what it has seen of
the notebook (a `NotebookHistory`). Loading twice installs once; unloading
removes exactly what loading added, restoring any magic it had shadowed.
"""

from __future__ import annotations

import logging

from IPython.display import display

from tfteach.core import events

from .explain import NotebookHistory, explain
from .magics import TfteachMagics
from .shell_input import PercentOnly, complete_magic_arguments
from .summary import session_label

log = logging.getLogger(__name__)


class Extension:
    """The extension's state in one shell: installed hooks and the notebook's history."""

    def __init__(self, shell):
        self.shell = shell
        self.history = NotebookHistory(shell.user_ns)
        self.explain_errors = True
        self.own_session = None  # the InteractiveSession that %init opened
        self.replacing: str | None = None  # set by %%graph while it swaps the default graph
        self.magics = TfteachMagics(shell, self)
        self._running: list = []  # ExecutionInfo of the cells running now, outermost first
        self._explained: BaseException | None = None
        self._shadowed: dict[tuple[str, str], object] = {}
        self._shell_events = (
            ("pre_run_cell", self._pre_run_cell),
            ("post_run_cell", self._post_run_cell),
        )
        self._observers = (
            ("variable_created", self._variable_created),
            ("graph_replaced", self._graph_replaced),
            ("session_opened", self._session_opened),
        )
        self._percent_only = PercentOnly(shell=shell, prefilter_manager=shell.prefilter_manager)

    # -- lifecycle --------------------------------------------------------------------------
    def install(self) -> None:
        tables = self.shell.magics_manager.magics
        for kind, magics in self.magics.magics.items():
            for name in magics:
                self._shadowed[(kind, name)] = tables[kind].get(name)
        self.shell.register_magics(self.magics)
        for event, callback in self._shell_events:
            self.shell.events.register(event, callback)
        for event, callback in self._observers:
            events.subscribe(event, callback)
        self.shell.prefilter_manager.register_checker(self._percent_only)
        matchers = self.shell.Completer.custom_matchers
        if complete_magic_arguments is not None and complete_magic_arguments not in matchers:
            matchers.append(complete_magic_arguments)

    def uninstall(self) -> None:
        matchers = self.shell.Completer.custom_matchers
        if complete_magic_arguments in matchers:
            matchers.remove(complete_magic_arguments)
        self.shell.prefilter_manager.unregister_checker(self._percent_only)
        for event, callback in self._observers:
            events.unsubscribe(event, callback)
        for event, callback in self._shell_events:
            if callback in self.shell.events.callbacks[event]:
                self.shell.events.unregister(event, callback)
        manager = self.shell.magics_manager
        for (kind, name), previous in self._shadowed.items():
            if manager.magics[kind].get(name) == self.magics.magics[kind][name]:
                if previous is None:
                    del manager.magics[kind][name]
                else:
                    manager.magics[kind][name] = previous
        key = type(self.magics).__name__
        if manager.registry.get(key) is self.magics:
            del manager.registry[key]

    # -- IPython events -----------------------------------------------------------------------
    def _pre_run_cell(self, info) -> None:
        if not self._running:  # a nested run (%%graph's cell) belongs to the outer cell
            count = self.shell.execution_count - 1 if info.store_history else None
            self.history.begin_cell(count, info.raw_cell)
        self._running.append(info)

    def _post_run_cell(self, result) -> None:
        try:
            if self.explain_errors and result is not None:
                self._explain(result.error_in_exec)
        except Exception as e:  # the explainer must never break the cell run
            log.warning("tfteach: the error explainer failed: %s: %s", type(e).__name__, e)
        finally:
            info = getattr(result, "info", None)
            for i in range(len(self._running) - 1, -1, -1):
                if self._running[i] is info:
                    del self._running[i]
                    break
            if not self._running:
                self.history.end_cell()
                self._explained = None

    def _explain(self, error: BaseException | None) -> None:
        if error is None or error is self._explained:  # %%graph passes its cell's error on
            return
        self._explained = error
        explanation = explain(error, self.history)
        if explanation is not None:
            display(explanation.panel())

    # -- runtime events -----------------------------------------------------------------------
    def _variable_created(self, variable) -> None:
        self.history.variable_created(variable)

    def _session_opened(self, session) -> None:
        session_label(session)  # numbered in the order sessions open

    def _graph_replaced(self, old, new) -> None:
        self.history.graph_replaced(old, self.replacing or "`tf.reset_default_graph()`")


_extension: Extension | None = None


def load(shell) -> Extension:
    """Installs the extension in ``shell`` (once: loading again changes nothing)."""
    global _extension
    if _extension is not None:
        if _extension.shell is shell:
            return _extension
        _extension.uninstall()
    _extension = Extension(shell)
    _extension.install()
    return _extension


def unload(shell) -> None:
    """Removes everything `load` installed in ``shell``."""
    global _extension
    if _extension is not None and _extension.shell is shell:
        _extension.uninstall()
        _extension = None


def current() -> Extension | None:
    """The loaded extension, or None."""
    return _extension
