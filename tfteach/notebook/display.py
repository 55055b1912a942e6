"""Rich display objects: a deterministic ``text/plain`` form and an escaped ``text/html`` one.

Both forms hold no addresses, ids or times, so nbval can compare them; every
name and string goes through ``html.escape`` before it reaches HTML. Text in
backticks (`` `reuse=True` ``) is code: shown as is in text, as ``<code>`` in HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .summary import clip

_BACKTICKS = re.compile(r"`([^`]+)`")
_CELL_WIDTH = 80  # longest cell of a text table


@dataclass(frozen=True)
class Cell:
    """A table cell: ``text`` everywhere, plus a ``detail`` line shown only in HTML."""

    text: str
    detail: str | None = None


def _cell_text(cell) -> str:
    return cell.text if isinstance(cell, Cell) else str(cell)


def rich_html(text: str) -> str:
    """``text`` escaped for HTML, with `code` spans as <code>."""
    return _BACKTICKS.sub(r"<code>\1</code>", html.escape(text))


class Table:
    """A table with a title and notes below it."""

    def __init__(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence],
        title: str = "",
        notes: Sequence[str] = (),
    ):
        self.columns = tuple(columns)
        self.rows = [tuple(r) for r in rows]
        self.title = title
        self.notes = tuple(notes)

    def text(self) -> str:
        cells = [[clip(_cell_text(c), _CELL_WIDTH) for c in row] for row in self.rows]
        by_column = list(zip(*cells)) or [()] * len(self.columns)
        widths = [max([len(name), *map(len, col)]) for name, col in zip(self.columns, by_column)]
        lines = [self.title] if self.title else []
        if self.rows:
            lines.append(_line(self.columns, widths))
            lines.append(_line(["-" * w for w in widths], widths))
            lines.extend(_line(row, widths) for row in cells)
        lines.extend(self.notes)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = ['<div class="tfteach-table">']
        if self.title:
            parts.append(f"<p><b>{rich_html(self.title)}</b></p>")
        if self.rows:
            head = "".join(
                f'<th style="text-align:left">{html.escape(c)}</th>' for c in self.columns
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
            for row in self.rows:
                parts.append(f"<tr>{_TD}{_TD_TD.join(map(_cell_html, row))}</td></tr>")
            parts.append("</tbody></table>")
        parts.extend(f"<p>{rich_html(n)}</p>" for n in self.notes)
        parts.append("</div>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.text()


def _line(cells, widths) -> str:
    return "  ".join(map(str.ljust, cells, widths)).rstrip()


_TD = '<td style="text-align:left">'
_TD_TD = "</td>" + _TD  # between two cells of a row


def _cell_html(cell) -> str:
    if not isinstance(cell, Cell):
        return html.escape(str(cell))
    if cell.detail:
        return f"{html.escape(cell.text)}<br><small>{html.escape(cell.detail)}</small>"
    return html.escape(cell.text)


class Panel:
    """A titled note made of sections: a heading and its list of sentences (a section
    without a heading is plain paragraphs)."""

    def __init__(
        self,
        title: str,
        sections: Sequence[tuple[str, Sequence[str]]],
        footer: str = "",
        kind: str = "info",
    ):
        self.title = title
        self.sections = [(h, tuple(lines)) for h, lines in sections if lines]
        self.footer = footer
        self.kind = kind

    def text(self) -> str:
        lines = [self.title]
        for heading, items in self.sections:
            if heading:
                lines.append(heading)
                lines.extend(f"  - {item}" for item in items)
            else:
                lines.extend(items)
        if self.footer:
            lines.append(self.footer)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        color = "#c0392b" if self.kind == "error" else "#2c6e9b"
        parts = [
            f'<div class="tfteach-panel tfteach-{html.escape(self.kind)}" '
            f'style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">',
            f"<p><b>{rich_html(self.title)}</b></p>",
        ]
        for heading, items in self.sections:
            if heading:
                parts.append(f"<p>{rich_html(heading)}</p>")
                parts.append("<ul>" + "".join(f"<li>{rich_html(i)}</li>" for i in items) + "</ul>")
            else:
                parts.extend(f"<p>{rich_html(i)}</p>" for i in items)
        if self.footer:
            parts.append(f"<p><small>{rich_html(self.footer)}</small></p>")
        parts.append("</div>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.text()


# -- the views of the magics ------------------------------------------------------------------

ROWS = 50  # rows a table shows unless asked for more
_NAMES = 8  # names listed per scope in a graph summary


def initializer_cell(info) -> Cell:
    """An initializer (summary.InitializerInfo): its name and formula, and in HTML its
    parameters below them when the formula stands in for them."""
    return Cell(info.text(), info.params_text() if info.formula else None)


def value_cell(state: str, value) -> str:
    return f"{state}: {value.text()}" if value is not None else state


def vars_table(rows, total: int, title: str, notes: Sequence[str] = ()) -> Table:
    """The %vars table: ``rows`` (summary.VariableRow) of ``total`` selected variables."""
    initializers: dict[int, Cell] = {}  # rows of variables made alike share one description
    body = []
    for r in rows:
        info = r.initializer
        initializer = initializers.get(id(info))
        if initializer is None:
            initializer = initializers[id(info)] = initializer_cell(info)
        body.append(
            (
                r.name,
                r.shape,
                r.dtype,
                "yes" if r.trainable else "no",
                ", ".join(r.collections),
                initializer,
                r.state,
                r.value.text() if r.value is not None else "",
            )
        )
    more = []
    if total > len(rows):
        more.append(
            f"… and {total - len(rows)} more (narrow with PATTERN, --scope or --collection, "
            "or show more with `--limit N`)."
        )
    columns = ("name", "shape", "dtype", "trainable", "collections", "initializer", "state")
    return Table((*columns, "value"), body, title, [*more, *notes])


def init_table(changes, total: int, title: str, notes: Sequence[str] = ()) -> Table:
    """The %init table: ``changes`` are (name, (state, value) before, (state, value) after)
    for the first of ``total`` variables initialized."""
    body = [(name, value_cell(*before), value_cell(*after)) for name, before, after in changes]
    more = [f"… and {total - len(changes)} more."] if total > len(changes) else []
    return Table(("variable", "before", "after"), body, title, [*more, *notes])


def names_line(scope: str, names: Sequence[str]) -> str:
    shown = ", ".join(names[:_NAMES])
    if len(names) > _NAMES:
        shown += f" … and {len(names) - _NAMES} more"
    return f"{scope or '(root)'}: {shown}"


def graph_panel(title: str, changes, notes: Sequence[str] = (), failed: bool = False) -> Panel:
    """The %%graph summary: variables by scope, collections touched, notes."""
    variables = [names_line(s, names) for s, names in changes.variables_by_scope]
    collections = [f"{key}: +{n}" for key, n in changes.collections]
    return Panel(
        title,
        [
            (f"Variables created ({changes.n_variables}):", variables),
            ("Collections touched:", collections),
            ("", list(notes)),
        ],
        kind="error" if failed else "info",
    )


# -- shared by the widgets (inspector, explorer) -------------------------------------------------


WIDGET_MISSING = (
    "A static copy: the live widget did not load here. It needs ipywidgets 8 in the "
    "frontend (JupyterLab 4 or Notebook 7, with `ipywidgets` installed where Jupyter runs) "
    "and a running kernel; run the cell there to use it."
)


class StaticTableMixin:
    """For a widget whose output, where no widget can be shown (nbviewer, GitHub, nbval,
    a frontend without ipywidgets), is `_static_table()`: a plain-text and an escaped HTML
    table beside the widget view, which say that they stand in for the widget."""

    def _static_table(self) -> Table:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        table = self._static_table()
        bundle["text/plain"] = table.text() + "\n" + WIDGET_MISSING
        bundle["text/html"] = (
            f'<p style="color:#8a5a00"><i>{rich_html(WIDGET_MISSING)}</i></p>\n'
            + table._repr_html_()
        )
        return bundle


def message_html(text: str, error: bool = False) -> str:
    """A one-line note for a widget's message area (escaped)."""
    if not text:
        return ""
    color = "#c0392b" if error else "#2c6e9b"
    return f'<span style="color:{color}">{html.escape(text)}</span>'


def close_all(children) -> None:
    """Closes widgets and, first, everything inside the boxes among them."""
    for child in children:
        close_all(getattr(child, "children", ()))
        child.close()


def count(n: int, noun: str) -> str:
    """``"1 variable"``, ``"1,234 variables"``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
