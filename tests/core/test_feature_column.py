"""``tf.feature_column``: indicator and embedding columns against numpy, the lookup table
they need ("Table not initialized." until ``tf.tables_initializer()``), names and
collections as TF 2.21 makes them (the recorded cases are in tests/fixtures), and a failing
``input_layer`` leaving the graph as it was."""

import numpy as np
import pytest

import tfteach as tf

fc = tf.feature_column
VOCABULARY = ["red", "green", "blue", "gray"]
WORDS = [["red", "blue"], ["green", ""], ["", ""], ["gray", "gray"], ["pink", "red"]]


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def color(**kw):
    return fc.categorical_column_with_vocabulary_list("color", VOCABULARY, **kw)


def counts(words, default=-1) -> np.ndarray:
    """How often each category occurs in each row ('' is missing, unknown is ``default``)."""
    out = np.zeros((len(words), len(VOCABULARY)), np.float32)
    for i, row in enumerate(words):
        for w in row:
            index = VOCABULARY.index(w) if w in VOCABULARY else (default if w else -1)
            if index >= 0:
                out[i, index] += 1
    return out


def run(net, feed=None, variables=()):
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
        return sess.run([net, *variables], feed)


def test_indicator_counts_each_category_and_skips_missing_and_unknown_values():
    words = tf.placeholder(tf.string, [None, 2])
    net = fc.input_layer({"color": words}, [fc.indicator_column(color())])
    assert net.shape.as_list() == [None, 4]
    (got,) = run(net, {words: WORDS})
    np.testing.assert_array_equal(got, counts(WORDS))
    tf.reset_default_graph()
    words = tf.placeholder(tf.string, [None, 2])
    net = fc.input_layer({"color": words}, [fc.indicator_column(color(default_value=0))])
    np.testing.assert_array_equal(run(net, {words: WORDS})[0], counts(WORDS, default=0))


def test_integer_vocabularies_and_rank_1_features():
    sizes = fc.categorical_column_with_vocabulary_list("size", [3, 5, 9])
    features = {"size": tf.constant([9, 4, 3], tf.int32), "age": tf.constant([1.0, 2.0, 3.0])}
    net = fc.input_layer(features, [fc.numeric_column("age"), fc.indicator_column(sizes)])
    (got,) = run(net)
    np.testing.assert_array_equal(got, [[1, 0, 0, 1], [2, 0, 0, 0], [3, 1, 0, 0]])


@pytest.mark.parametrize("combiner", ["mean", "sqrtn", "sum"])
def test_embedding_combines_the_rows_of_its_variable(combiner):
    net = fc.input_layer(
        {"color": tf.constant(WORDS)}, [fc.embedding_column(color(), 3, combiner=combiner)]
    )
    (weights,) = tf.global_variables()
    assert weights.op.name == "input_layer/color_embedding/embedding_weights"
    assert weights.shape.as_list() == [4, 3]
    got, table = run(net, variables=[weights])
    n = counts(WORDS)
    total = n.sum(axis=1, keepdims=True)
    divisor = {"mean": total, "sqrtn": np.sqrt(total), "sum": np.ones_like(total)}[combiner]
    np.testing.assert_allclose(got, (n @ table) / np.maximum(divisor, 1), rtol=1e-6)
    assert not got[2].any()  # a row without any known value embeds as zeros


def test_embedding_gradient_reaches_the_rows_that_were_used():
    net = fc.input_layer({"color": tf.constant(WORDS)}, [fc.embedding_column(color(), 2)])
    upstream = np.arange(10, dtype=np.float32).reshape(5, 2)
    (weights,) = tf.trainable_variables()
    (grad,) = tf.gradients(tf.reduce_sum(net * upstream), [weights])
    (got,) = run(grad)
    n = counts(WORDS)
    share = n / np.maximum(n.sum(axis=1, keepdims=True), 1)  # each row's mean weights
    np.testing.assert_allclose(got, share.T @ upstream, rtol=1e-6)


def test_default_embedding_initializer_is_truncated_normal_with_stddev_one_over_sqrt_dim():
    column = fc.embedding_column(color(), 16)
    assert isinstance(column.initializer, tf.truncated_normal_initializer)
    assert column.initializer.stddev == pytest.approx(0.25)


def test_the_table_needs_tables_initializer_in_each_session():
    net = fc.input_layer({"color": tf.constant([["blue"]])}, [fc.indicator_column(color())])
    assert tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)[0].name == (
        "input_layer/color_indicator/color_lookup/hash_table/table_init/LookupTableImportV2"
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())  # no help: a table is not a variable
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"^Table not initialized\."):
            sess.run(net)
        sess.run(tf.tables_initializer())
        np.testing.assert_array_equal(sess.run(net), [[0, 0, 1, 0]])
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError):
        sess.run(net)


def test_indicator_and_embedding_of_one_column_share_one_table():
    column = color()
    features = {"color": tf.constant([["red"]])}
    fc.input_layer(features, [fc.indicator_column(column), fc.embedding_column(column, 2)])
    tables = [op.name for op in tf.get_default_graph().get_operations()]
    assert [n for n in tables if n.endswith("/hash_table/hash_table")] == [
        "input_layer/color_embedding/color_lookup/hash_table/hash_table"
    ]


def test_cols_to_vars_and_cols_to_output_tensors():
    embedding = fc.embedding_column(color(), 2)
    indicator = fc.indicator_column(color())
    cols_to_vars, outputs = {}, {}
    fc.input_layer(
        {"color": tf.constant([["red"]])},
        [indicator, embedding],
        cols_to_vars=cols_to_vars,
        cols_to_output_tensors=outputs,
    )
    assert cols_to_vars == {indicator: [], embedding: tf.global_variables()}
    assert {c.name: t.op.name for c, t in outputs.items()} == {
        "color_embedding": "input_layer/color_embedding/Reshape",
        "color_indicator": "input_layer/color_indicator/Reshape",
    }


def test_a_failing_input_layer_leaves_the_graph_as_it_was():
    graph = tf.get_default_graph()
    words = tf.constant([["red"]])
    before = len(graph.get_operations())
    columns = [fc.embedding_column(color(), 2), fc.numeric_column("zz_missing")]
    with pytest.raises(ValueError, match="Feature zz_missing is not in features dictionary."):
        fc.input_layer({"color": words}, columns)
    assert len(graph.get_operations()) == before
    assert tf.global_variables() == []
    assert tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS) == []
    net = fc.input_layer({"color": words}, columns[:1])
    assert net.op.name == "input_layer/concat/concat"  # the scope name was not used up


def test_what_tfteach_does_not_support_says_so():
    with pytest.raises(NotImplementedError, match="num_oov_buckets"):
        color(num_oov_buckets=2)
    with pytest.raises(NotImplementedError, match="max_norm"):
        fc.embedding_column(color(), 2, max_norm=1.0)
    with pytest.raises(AttributeError, match="tfteach does not teach tf.feature_column.bucketized"):
        fc.bucketized_column  # noqa: B018
