"""Speed of the inspector widget (issue 6) on 10,000 variables, each figure beside a reference.

The graph: 10,000 variables of shape [4, 4] (``get_variable``, glorot uniform) in 20 scopes of
500, and a ``global_variables_initializer`` built after them. Cells run in an in-process
IPython shell, as in a kernel, so the inspector applies the events of a cell once, at its end.

1. ``inspect(session=sess)``: building the widget (the list, every state counted, the
   initializer check, the first page of 50 rows drawn), uninitialized and initialized.
2. A cell ``sess.run(init)`` with the inspector open, against the same cell without it: the
   difference is the inspector's update (10,000 states changed, one page redrawn).
3. A cell that runs one variable's initializer, on the page shown and off it.
4. A page turn, a scope filter typed, and a cell that creates one more variable.
5. The HTML the frontend receives for a page, against the table of all 10,000 rows that an
   unpaginated view would send.

Reference (numpy, same run): mean, std, min and max of all 10,000 values, which any table of
every variable's value must at least compute.

Run: .venv/bin/python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import numpy as np
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

import tfteach as tf
from tfteach.notebook import summary
from tfteach.notebook.display import vars_table
from tfteach.notebook.inspector import inspect

N, SCOPES, SHAPE = 10_000, 20, (4, 4)
REPEATS = 5


def best(fn, repeats: int = REPEATS, setup=None) -> float:
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cell(shell, source: str):
    def run():
        result = shell.run_cell(source, store_history=False)
        result.raise_error()

    return run


def timed_updates(widget) -> list[float]:
    """Times each update the inspector applies at the end of a cell (its post_execute)."""
    times: list[float] = []
    apply = widget._flush

    def timed():
        start = time.perf_counter()
        apply()
        times.append(time.perf_counter() - start)

    widget._flush = timed  # what the inspector registers with the shell from now on
    return times


def ms(t: float) -> str:
    return f"{t * 1000:8.1f} ms"


def main() -> None:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    shell.run_cell(
        "import tfteach as tf\n"
        f"for s in range({SCOPES}):\n"
        "    with tf.variable_scope(f'layer{s}'):\n"
        f"        for i in range({N // SCOPES}):\n"
        f"            tf.get_variable(f'w{{i}}', {list(SHAPE)})\n"
        "init = tf.global_variables_initializer()\n"
        "sess = tf.Session()\n"
        "reset = [v.initializer for v in tf.global_variables()]",
        store_history=False,
    ).raise_error()
    ns = shell.user_ns
    sess, variables = ns["sess"], tf.global_variables()

    def fresh_session():
        ns["sess"].close()
        ns["sess"] = tf.Session()

    def numpy_stats():
        values = [sess.variable_value(v) for v in variables]
        return [(a.mean(), a.std(), a.min(), a.max()) for a in values]

    print(f"{N:,} variables of shape {list(SHAPE)}, best of {REPEATS}")

    def build():
        inspect(session=ns["sess"]).close()

    t_build_uninit = best(build, setup=fresh_session)
    sess = ns["sess"]
    sess.run(ns["init"])
    t_build_init = best(build)
    ref = best(numpy_stats)
    reference = f"(numpy stats of all {N:,} values: {ref * 1000:.1f} ms)"
    print(f"  inspect(), {N:,} uninitialized      {ms(t_build_uninit)}")
    print(f"  inspect(), {N:,} initialized        {ms(t_build_init)}   {reference}")

    run_init = cell(shell, "sess.run(init)")
    without = best(run_init, setup=fresh_session)
    widget = inspect(session=ns["sess"])

    def fresh_session_followed():
        fresh_session()
        widget.session = ns["sess"]

    updates = timed_updates(widget)
    with_widget = best(run_init, setup=fresh_session_followed)
    print(f"  cell sess.run(init), no inspector   {ms(without)}")
    print(
        f"  cell sess.run(init), inspector open {ms(with_widget)}   "
        f"(of which the inspector's update at the end of the cell: {min(updates) * 1000:.1f} ms)"
    )

    on_page, off_page = variables[10], variables[9_000]
    for label, v in (("on the page shown", on_page), ("off the page", off_page)):
        ns["one"] = v.initializer
        updates = timed_updates(widget)

        def assigned(v=v):  # its state changes in every timed run: assigned -> initialized
            v.load(np.zeros(SHAPE, np.float32), ns["sess"])

        t_with = best(cell(shell, "sess.run(one)"), setup=assigned)
        widget.close()
        t_without = best(cell(shell, "sess.run(one)"), setup=assigned)
        widget = inspect(session=ns["sess"])
        print(
            f"  cell running 1 initializer, {label:<17} {ms(t_with)}   "
            f"(update {min(updates) * 1000:.1f} ms; without the inspector: "
            f"{t_without * 1000:.1f} ms)"
        )

    def turn():
        widget.next_button.click()
        widget.previous_button.click()

    print(f"  page turn (next, then previous) / 2   {ms(best(turn) / 2)}")

    def filter_scope():
        widget.scope_filter.value = "layer7/"
        widget.scope_filter.value = ""

    print(f"  scope filter typed, then cleared / 2  {ms(best(filter_scope) / 2)}")
    counter = iter(range(1_000_000))

    def one_more():
        shell.run_cell(f"_ = tf.Variable(1.0, name='extra{next(counter)}')").raise_error()

    t_more = best(one_more)
    widget.close()
    t_more_without = best(one_more)
    print(
        f"  cell creating 1 variable             {ms(t_more)}   "
        f"(without the inspector: {t_more_without * 1000:.1f} ms)"
    )

    widget = inspect(session=ns["sess"])
    page = len(widget.table.value) + len(widget.status.value)
    start = time.perf_counter()
    rows = summary.variable_rows(variables, ns["sess"], {})
    whole = len(vars_table(rows, len(rows), "all")._repr_html_())
    t_whole = time.perf_counter() - start
    widget.close()
    print(
        f"  HTML sent for a page of 50 rows      {page / 1024:8.1f} KiB   "
        f"(all {N:,} rows: {whole / 1024 / 1024:.1f} MiB, {t_whole * 1000:.0f} ms to build)"
    )


if __name__ == "__main__":
    main()
