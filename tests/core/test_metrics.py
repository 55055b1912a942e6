"""``tf.metrics``: local variables and names as TF 2.21 makes them, streaming values over
batches, the classic uninitialized ``accuracy/count`` and its fix."""

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_local_variables_and_tensor_names_as_tensorflow():
    labels, preds = tf.constant([1, 0, 1, 1]), tf.constant([1, 1, 1, 0])
    made = [
        tf.metrics.accuracy(labels, preds),
        tf.metrics.mean(tf.constant([1.0, 2.0])),
        tf.metrics.precision(labels, preds),
        tf.metrics.recall(labels, preds),
    ]
    assert [(v.name, u.name) for v, u in made] == [
        ("accuracy/value:0", "accuracy/update_op:0"),
        ("mean/value:0", "mean/update_op:0"),
        ("precision/value:0", "precision/update_op:0"),
        ("recall/value:0", "recall/update_op:0"),
    ]
    assert [v.op.name for v in tf.local_variables()] == [
        "accuracy/total",
        "accuracy/count",
        "mean/total",
        "mean/count",
        "precision/true_positives/count",
        "precision/false_positives/count",
        "recall/true_positives/count",
        "recall/false_negatives/count",
    ]
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == tf.local_variables()
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    tf.metrics.accuracy(labels, preds)
    assert tf.local_variables()[-1].op.name == "accuracy_1/count"


def test_values_against_counting_by_hand():
    labels, preds = tf.constant([1, 0, 1, 1]), tf.constant([1, 1, 1, 0])
    metrics = [
        tf.metrics.accuracy(labels, preds),
        tf.metrics.mean(tf.constant([1.0, 2.0])),
        tf.metrics.precision(labels, preds),
        tf.metrics.recall(labels, preds),
    ]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        updated = sess.run([u for _, u in metrics])
        values = sess.run([v for v, _ in metrics])
    # accuracy 2/4; mean 1.5; tp=2, fp=1, fn=1: precision 2/3, recall 2/3
    np.testing.assert_allclose(updated, [0.5, 1.5, 2 / 3, 2 / 3], rtol=1e-6)
    np.testing.assert_allclose(values, updated)


def test_streaming_over_batches_and_reset_by_the_local_initializer():
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, acc_op = tf.metrics.accuracy(labels, preds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0  # no batch yet: 0 / 0 is 0, as TF's safe division
        sess.run(acc_op, {labels: [1, 2, 3], preds: [1, 2, 0]})
        sess.run(acc_op, {labels: [4], preds: [0]})
        assert sess.run(acc) == 0.5  # 2 right of 4, over both batches
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0


def test_weights_count_each_value_by_its_weight():
    _, m_op = tf.metrics.mean(tf.constant([1.0, 3.0]), weights=tf.constant([3.0, 1.0]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(m_op) == 1.5  # (3 * 1 + 1 * 3) / 4


def test_the_classic_uninitialized_accuracy_count_and_its_fix():
    _, acc_op = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())  # covers no local variable
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(acc_op)
        assert str(e.value).startswith("Attempting to use uninitialized value accuracy/count")
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc_op) == 0.5


def test_metrics_and_updates_collections():
    acc, acc_op = tf.metrics.accuracy(
        tf.constant([1]), tf.constant([1]), metrics_collections=["m"], updates_collections=["u"]
    )
    assert tf.get_collection("m") == [acc] and tf.get_collection("u") == [acc_op]


def test_error_metrics_stream_over_batches():
    labels = tf.placeholder(tf.float32, [None])
    preds = tf.placeholder(tf.float32, [None])
    mse, mse_op = tf.metrics.mean_squared_error(labels, preds)
    mae, mae_op = tf.metrics.mean_absolute_error(labels, preds)
    rmse, rmse_op = tf.metrics.root_mean_squared_error(labels, preds)
    batches = [([1.0, 2.0], [2.0, 2.0]), ([0.0, 3.0, 1.0], [4.0, 1.0, 1.0])]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for y, p in batches:
            sess.run([mse_op, mae_op, rmse_op], {labels: y, preds: p})
        got = sess.run([mse, mae, rmse])
    errors = np.concatenate([np.subtract(p, y) for y, p in batches])
    expected = [np.mean(errors**2), np.mean(np.abs(errors)), np.sqrt(np.mean(errors**2))]
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_outcome_counts_add_up_to_every_example():
    labels, preds = [1, 0, 1, 0, 1], [1, 1, 0, 0, 1]
    made = [
        tf.metrics.true_positives(labels, preds),
        tf.metrics.false_positives(labels, preds),
        tf.metrics.false_negatives(labels, preds),
        tf.metrics.true_negatives(labels, preds),
    ]
    assert [v.op.name for v in tf.local_variables()] == [
        "true_positives/count",
        "false_positives/count",
        "false_negatives/count",
        "true_negatives/count",
    ]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run([u for _, u in made]) == [2.0, 1.0, 1.0, 1.0]
        assert sess.run([v for v, _ in made]) == [2.0, 1.0, 1.0, 1.0]
