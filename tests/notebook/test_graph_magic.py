"""%%graph: each run of the cell builds a fresh default graph that stays the default."""

import shutil

import pytest

import tfteach as tf
from tfteach.notebook.summary import graph_variables

LAYER = """%%graph
with tf.variable_scope("layer1"):
    w = tf.get_variable("w", [2, 3])
    b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
step = tf.Variable(0, trainable=False, name="step")
"""


def names(graph=None) -> list[str]:
    return [v.op.name for v in graph_variables(graph or tf.get_default_graph())]


def test_running_a_graph_cell_twice_rebuilds_it(nb):
    nb.ok(LAYER)
    first = tf.get_default_graph()
    nb.ok(LAYER)
    assert tf.get_default_graph() is not first
    assert names() == ["layer1/w", "layer1/b", "step"]


def test_without_graph_the_second_run_fails(nb):
    cell = LAYER.replace("%%graph\n", "")
    nb.ok(cell)
    ran = nb.run(cell)
    assert "Variable layer1/w already exists, disallowed" in str(ran.error)


def test_the_graph_stays_the_default_for_the_next_cells(nb):
    nb.ok(LAYER)
    ran = nb.ok("[v.op.name for v in tf.global_variables()]")
    assert ran.result.result == ["layer1/w", "layer1/b", "step"]


def test_summary_lists_variables_by_scope_ops_and_collections(nb):
    ran = nb.ok(LAYER)
    n_ops = len(tf.get_default_graph().get_operations())
    assert ran.text.splitlines()[0] == f"%%graph: a new default graph with {n_ops} ops"
    assert "Variables created (3):\n  - layer1: w, b\n  - (root): step" in ran.text
    assert "  - trainable_variables: +2\n  - variables: +3" in ran.text


def test_the_summary_is_deterministic(nb):
    first = nb.ok(LAYER)
    second = nb.ok(LAYER)
    assert first.outputs == second.outputs
    assert "0x" not in first.text and "0x" not in first.html


def test_keep_adds_to_the_current_graph(nb):
    nb.ok(LAYER)
    graph = tf.get_default_graph()
    before = len(graph.get_operations())
    ran = nb.ok("%%graph --keep\nextra = tf.Variable(1.0, name='extra')")
    assert tf.get_default_graph() is graph
    assert names() == ["layer1/w", "layer1/b", "step", "extra"]
    added = len(graph.get_operations()) - before
    assert ran.text.splitlines()[0] == (
        f"%%graph --keep: {added} ops added to the default graph ({before + added} now)"
    )


def test_seed_sets_the_graph_seed_so_runs_repeat(nb):
    cell = "%%graph --seed 7\nr = tf.Variable(tf.random_normal([4]), name='r')"
    values = []
    for _ in range(2):
        nb.ok(cell)
        assert tf.get_default_graph().seed == 7
        nb.ok("%init")
        values.append(nb.ok("r.eval()").result.result.tolist())
    assert values[0] == values[1]
    assert "Graph-level random seed: 7." in nb.ok(cell).text


def test_the_session_on_the_replaced_graph_is_closed_and_said_so(nb):
    nb.ok(LAYER)
    nb.ok("%init")
    session = tf.get_default_session()
    ran = nb.ok(LAYER)
    assert "Closed the default session (InteractiveSession) on the replaced graph" in ran.text
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        session.run(session.graph.get_operations()[0])


def test_a_failing_cell_brings_the_previous_graph_back(nb):
    nb.ok(LAYER)
    previous = tf.get_default_graph()
    ran = nb.run("%%graph\nhalf = tf.Variable(1.0, name='half')\nraise KeyError('boom')")
    assert isinstance(ran.error, KeyError)  # the notebook sees the cell fail
    assert tf.get_default_graph() is previous
    assert "half" not in names()
    assert ran.text.splitlines()[0] == (
        "%%graph: the cell raised KeyError; the default graph is the one from before this cell "
        "again (the new graph is dropped)"
    )


def test_a_failing_keep_cell_says_what_stays(nb):
    nb.ok(LAYER)
    ran = nb.run("%%graph --keep\nhalf = tf.Variable(1.0, name='half')\n1 / 0")
    assert isinstance(ran.error, ZeroDivisionError)
    assert "half" in names()
    assert "ops it added before the error stay in the default graph" in ran.text


def test_the_cells_last_value_is_still_shown(nb):
    ran = nb.ok("%%graph\nc = tf.constant(3, name='c')\nc.name")
    assert ran.result.result is None  # the magic itself returns nothing...
    assert nb.shell.user_ns["_"] == "c:0"  # ...the cell's last expression was displayed


def test_graph_cannot_replace_a_graph_held_by_a_with_block(nb):
    nb.ok("ctx = tf.Graph().as_default()\nheld = ctx.__enter__()")
    try:
        ran = nb.run("%%graph\nx = tf.constant(1)")
        assert type(ran.error).__name__ == "UsageError"
        assert "%%graph --keep" in str(ran.error)
        assert tf.get_default_graph() is nb.shell.user_ns["held"]
    finally:
        nb.ok("ctx.__exit__(None, None, None)")


def test_bad_arguments_are_usage_errors(nb):
    graph = tf.get_default_graph()
    for line in ("%%graph --seed many", "%%graph --bogus", "%%graph extra"):
        ran = nb.run(line + "\nx = tf.constant(1)")
        assert type(ran.error).__name__ == "UsageError", line
    assert tf.get_default_graph() is graph
    assert graph.get_operations() == []


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
def test_graph_draw_shows_the_graph_it_built(nb):
    ran = nb.ok(
        "%%graph --draw\nwith tf.name_scope('layer'):\n    v = tf.Variable(1.0, name='v')\n"
    )
    drawing = "\n".join(o.get("text/html", "") for o in ran.outputs)
    assert "<svg" in drawing
    assert "layer" in drawing and "v/Assign" in drawing
