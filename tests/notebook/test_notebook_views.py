"""The facts (summary rows) and views (text and escaped HTML) behind the magics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- many rows at once: the same facts as one row at a time --------------------------------

_NUMERIC = st.sampled_from([np.float32, np.float64, np.int32, np.int64, np.uint8, np.float16])


@st.composite
def _values(draw):
    """A list of values as a session holds them: several of one shape and dtype (the bulk
    path), others of any size (up to past the bulk limit), special floats included."""
    shapes = draw(st.lists(st.sampled_from([(), (1,), (4, 4), (3,), (129,), (1025,)]), min_size=1))
    values = []
    for shape in shapes:
        dtype = draw(_NUMERIC)
        elements = (
            st.floats(width=16 if dtype == np.float16 else 32, allow_nan=True)
            if np.dtype(dtype).kind == "f"
            else st.integers(np.iinfo(dtype).min, np.iinfo(dtype).max)
        )
        size = int(np.prod(shape))
        items = draw(st.lists(elements, min_size=size, max_size=size))
        values.append(np.array(items, dtype=dtype).reshape(shape))
    values += draw(st.lists(st.sampled_from([np.array([True, False]), np.zeros((0, 2))])))
    return draw(st.permutations(values))


@settings(max_examples=150, deadline=None, database=None)
@given(_values())
def test_values_summarized_together_are_summarized_as_one_by_one(values):
    together = summary.summarize_values(values)
    alone = [summary.summarize_value(v) for v in values]
    # repr: every number bit for bit (a float's repr round-trips), nan included
    assert [repr(s) for s in together] == [repr(s) for s in alone]


def test_many_equal_arrays_are_summarized_in_blocks(monkeypatch):
    monkeypatch.setattr(summary, "_BULK_BLOCK", 48)  # 3 arrays of 16 a block
    values = [np.arange(16, dtype=np.float32).reshape(4, 4) * i for i in range(10)]
    together = summary.summarize_values(values)
    assert [s.text() for s in together] == [summary.summarize_value(v).text() for v in values]
    assert together[2].stats == (15.0, float(np.std(np.arange(16) * 2.0)), 0.0, 30.0)


def test_rows_of_variables_sharing_an_initializer_say_what_each_alone_says():
    shared, uniform = tf.glorot_uniform_initializer(), tf.random_uniform_initializer(0, 10)
    variables = [
        tf.get_variable("a", [784, 200], initializer=shared),
        tf.get_variable("b", [784, 200], initializer=shared),
        tf.get_variable("c", [10, 3], initializer=shared),
        tf.get_variable("d", [10, 3], initializer=shared, dtype=tf.float64),
        tf.get_variable("e", [10, 3], initializer=tf.glorot_uniform_initializer(seed=1)),
        tf.get_variable("f", [10, 3]),
        tf.get_variable("g", [10, 3], initializer=tf.random_normal_initializer(stddev=2.0)),
        tf.Variable(tf.random_normal([10, 3], stddev=0.5), name="h"),
        tf.get_variable("u", [10, 3], initializer=uniform),
        tf.get_variable("u_int", [10, 3], initializer=uniform, dtype=tf.int32),
    ]
    rows = summary.variable_rows(variables)
    alone = [summary.describe_initializer(v) for v in variables]
    assert [r.initializer for r in rows] == alone
    assert rows[0].initializer.formula != rows[2].initializer.formula  # the shape counts
    assert rows[-2].initializer.formula != rows[-1].initializer.formula  # and the dtype


def test_rows_of_a_session_hold_what_each_variable_alone_shows():
    a = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="a")
    b = tf.Variable(np.ones((2, 3), np.float32), name="b")
    c = tf.Variable(np.ones((2, 3), np.float32), name="c")
    flag = tf.Variable([True, False], name="flag")
    with tf.Session() as sess:
        sess.run([a.initializer, b.initializer, flag.initializer])
        sess.run(b.assign(b * 3))
        rows = summary.variable_rows([a, b, c, flag], sess)
        alone = [summary.variable_state(sess, v) for v in (a, b, c, flag)]
    assert [(r.state, r.value) for r in rows] == alone
    assert [r.state for r in rows] == ["initialized", "assigned", "uninitialized", "initialized"]
    assert [r.value.text() if r.value else "" for r in rows] == [
        "mean 2.5, std 1.708, min 0, max 5",
        "all 3",
        "",
        "1 of 2 True",
    ]


def test_collections_of_some_variables_is_the_index_of_all_cut_to_them():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, trainable=False, name="b")
    c = tf.Variable(1.0, collections=["mine"], name="c")
    tf.add_to_collection("mine", a)
    tf.add_to_collection("mine", a)  # twice: still one collection
    tf.add_to_collection("mine", "not a variable")
    graph = tf.get_default_graph()
    everything = summary.collections_of(graph)
    assert everything == {
        id(a): ("mine", "trainable_variables", "variables"),
        id(b): ("variables",),
        id(c): ("mine", "trainable_variables"),
    }
    assert summary.collections_of(graph, [c, b]) == {k: everything[k] for k in (id(b), id(c))}
    assert summary.collections_of(graph, []) == {}
