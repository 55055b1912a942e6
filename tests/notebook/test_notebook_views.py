"""The facts (summary rows) and views (text and escaped HTML) behind the magics."""

import numpy as np
import pytest

import tfteach as tf
from tfteach.notebook import summary
from tfteach.notebook.display import Cell, Panel, Table


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (np.float32(1.5), "1.5"),
        (np.array([7], dtype=np.int32), "7"),
        (np.zeros((2, 2)), "all 0"),
        (np.array([True, False, True]), "2 of 3 True"),
        (np.array([b"a", b"b"], dtype=object), "2 values, first b'a'"),
        (np.zeros((0, 3)), "empty"),
        (np.float64(1 / 3), "0.3333"),
    ],
)
def test_value_summaries(value, text):
    assert summary.summarize_value(value).text() == text


def test_an_array_is_summarized_by_its_statistics():
    a = np.random.default_rng(0).normal(size=(100, 10))
    s = summary.summarize_value(a)
    assert s.stats == pytest.approx((a.mean(), a.std(), a.min(), a.max()))
    assert (
        s.text() == f"mean {a.mean():.4g}, std {a.std():.4g}, min {a.min():.4g}, max {a.max():.4g}"
    )


def test_initializer_of_get_variable_comes_from_its_explain():
    v = tf.get_variable("w", [784, 200])
    info = summary.describe_initializer(v)
    assert info.name == "glorot_uniform"
    assert dict(info.params)["fan_in"] == "784"
    assert dict(info.params)["limit"] == f"{np.sqrt(6 / 984):.4g}"
    assert info.text() == f"glorot_uniform: {info.formula}"


def test_initializer_of_a_tf_variable_comes_from_its_initial_value():
    normal = tf.Variable(tf.random_normal([3], stddev=0.1), name="n")
    uniform = tf.Variable(tf.random_uniform([3], -2.0, 2.0), name="u")
    ints = tf.Variable(tf.random_uniform([3], 0, 10, dtype=tf.int32), name="i")
    const = tf.Variable([[1.0, 2.0]], name="c")
    other = tf.Variable(const.initialized_value() * 2, name="o")
    texts = {
        v.op.name: summary.describe_initializer(v).text()
        for v in (normal, uniform, ints, const, other)
    }
    assert texts == {
        "n": "random_normal: mean=0, stddev=0.1",
        "u": "random_uniform: min=-2, max=2",
        "i": "random_uniform: min=0, max=10",
        "c": "constant: value=mean 1.5, std 0.5, min 1, max 2",
        "o": "Mul: op=mul",
    }


def test_match_names_by_name_scope_and_tensor_name():
    with tf.name_scope("a"):
        x = tf.Variable(1.0, name="x")
        y = tf.Variable(1.0, name="y")
    ab = tf.Variable(1.0, name="ab")
    variables = summary.graph_variables(tf.get_default_graph())
    selected, unknown = summary.match_names(variables, ["a", "ab:0", "a/z"])
    assert selected == [x, y, ab]
    assert list(unknown) == ["a/z"]
    assert sorted(unknown["a/z"]) == ["a/x", "a/y"]


def test_changes_since_a_snapshot():
    tf.Variable(1.0, name="before")
    graph = tf.get_default_graph()
    snap = summary.snapshot(graph)
    with tf.name_scope("s"):
        tf.Variable(2.0, name="v")
    tf.Variable(3.0, trainable=False, name="t")
    changes = summary.changes_since(graph, snap)
    assert changes.variables_by_scope == (("s", ("v",)), ("", ("t",)))
    assert changes.collections == (("trainable_variables", 1), ("variables", 2))
    assert changes.ops_added == len(graph.get_operations()) - snap.n_ops


def test_table_text_is_aligned_and_html_escaped():
    table = Table(
        ("name", "value"), [("a<b", Cell("x & y", "detail <i>")), ("c", "1")], "T", ["note `code`"]
    )
    assert table.text() == "T\nname  value\n----  -----\na<b   x & y\nc     1\nnote `code`"
    html = table._repr_html_()
    assert "a&lt;b" in html and "x &amp; y" in html and "detail &lt;i&gt;" in html
    assert "<code>code</code>" in html
    assert repr(table) == table.text()


def test_panel_text_and_html():
    panel = Panel("title <x>", [("Fix:", ["use `a<b`"]), ("", ["plain line"])], footer="foot")
    assert panel.text() == "title <x>\nFix:\n  - use `a<b`\nplain line\nfoot"
    html = panel._repr_html_()
    assert "title &lt;x&gt;" in html and "<li>use <code>a&lt;b</code></li>" in html
