"""What the extension adds to IPython's handling of typed input.

- `PercentOnly`: the magics whose names TF1 programs use for variables (``init``,
  ``graph``, ``vars``) run only when typed with their ``%``. With automagic on
  (IPython's default), a line ``init`` would otherwise run ``%init`` whenever no Python
  name ``init`` exists yet, and ``init`` is the usual name of
  ``tf.global_variables_initializer()``. The checker hands such a line to Python, which
  uses the variable, or raises ``NameError`` as it would without the extension.
- `complete_magic_arguments`: Tab after ``%init`` or ``%vars`` offers the variable and
  scope names of the default graph (and the collection keys after ``--collection``).

Both are registered through IPython's public APIs (a prefilter checker, a completer
matcher) by `extension.Extension.install` and removed by its ``uninstall``.
"""

from __future__ import annotations

import re

from IPython.core.prefilter import PrefilterChecker
from traitlets import Integer, List, Unicode

from tfteach.core.graph import get_default_graph

from .summary import graph_variables, names_and_scopes

try:  # the matcher API v2 came with IPython 8.6
    from IPython.core.completer import SimpleCompletion, context_matcher
except ImportError:  # pragma: no cover - older IPython: no completion of arguments
    SimpleCompletion = context_matcher = None


# magic names that are also the usual Python names of a TF1 program's objects
PYTHON_FIRST = ("init", "graph", "vars")


class PercentOnly(PrefilterChecker):
    """Sends a line that starts with the bare name of one of ``magics`` to Python
    instead of to automagic."""

    # before IPython's AutoMagicChecker (700), after its AssignmentChecker (600)
    priority = Integer(650)
    magics = List(Unicode(), default_value=list(PYTHON_FIRST))

    def check(self, line_info):
        if line_info.esc or line_info.ifun.split(".", 1)[0] not in self.magics:
            return None
        return self.prefilter_manager.get_handler_by_name("normal")


_MAGIC_LINE = re.compile(r"\s*%(init|vars)\s")
_COLLECTION_OPTION = re.compile(r"(?:--collection|-c)[\s=]+\S*$")


def argument_completions(line_before_cursor: str, token: str) -> list[tuple[str, str]]:
    """(completion, kind) for the word ``token`` that ends ``line_before_cursor``, when the
    line is a ``%init`` or ``%vars`` line: variables and scopes of the default graph, or
    collection keys after ``--collection``. Empty for any other line."""
    if not _MAGIC_LINE.match(line_before_cursor) or token.startswith("-"):
        return []
    graph = get_default_graph()
    if _COLLECTION_OPTION.search(line_before_cursor):
        keys = sorted(graph.get_all_collection_keys())
        return [(k, "collection") for k in keys if k.startswith(token)]
    variables = {v.op.name for v in graph_variables(graph)}
    return [
        (name, "variable" if name in variables else "scope")
        for name in names_and_scopes(graph_variables(graph))
        if name.startswith(token)
    ]


def _matcher(context):
    found = argument_completions(context.text_until_cursor, context.token)
    return {
        "completions": [SimpleCompletion(text, type=kind) for text, kind in found],
        "suppress": bool(found),  # names of the graph, not Python names or file names
    }


# None where IPython has no matcher API v2
complete_magic_arguments = None if context_matcher is None else context_matcher()(_matcher)
