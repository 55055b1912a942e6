"""tf.nn.nce_loss against a numpy reference, its gradients by finite differences, and the
log-uniform candidate sampler it draws negative classes with."""

from __future__ import annotations

import numpy as np
import pytest
from test_gradients import check_gradients, rand

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def reference_nce(weights, biases, labels, inputs, sampled, true_expected, sampled_expected):
    """TF's nce_loss written out in numpy (one true class per example)."""
    true_logits = np.sum(inputs * weights[labels[:, 0]], axis=1, keepdims=True)
    true_logits += biases[labels] - np.log(true_expected)
    sampled_logits = inputs @ weights[sampled].T + biases[sampled] - np.log(sampled_expected)
    logits = np.concatenate([true_logits, sampled_logits], axis=1)
    targets = np.concatenate([np.ones_like(true_logits), np.zeros_like(sampled_logits)], 1)
    losses = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return losses.sum(axis=1)


def test_nce_loss_with_given_samples_matches_the_numpy_reference():
    rng = np.random.RandomState(0)
    weights = rng.randn(8, 3).astype(np.float32)
    biases = rng.randn(8).astype(np.float32)
    inputs = rng.randn(4, 3).astype(np.float32)
    labels = np.array([[1], [0], [5], [7]])
    sampled = np.array([2, 3, 6])
    true_expected = rng.uniform(0.1, 0.9, (4, 1)).astype(np.float32)
    sampled_expected = rng.uniform(0.1, 0.9, 3).astype(np.float32)
    loss = tf.nn.nce_loss(
        weights,
        biases,
        labels,
        inputs,
        num_sampled=3,
        num_classes=8,
        sampled_values=(sampled, true_expected, sampled_expected),
    )
    with tf.Session() as sess:
        got = sess.run(loss)
    expected = reference_nce(
        weights, biases, labels, inputs, sampled, true_expected, sampled_expected
    )
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_nce_loss_names_follow_tf():
    w = tf.Variable(tf.zeros([10, 4]), name="nce_w")
    b = tf.Variable(tf.zeros([10]), name="nce_b")
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int64, [None, 1])
    loss = tf.nn.nce_loss(w, b, y, x, num_sampled=3, num_classes=10)
    assert loss.name == "Reshape:0" and loss.shape.as_list() == [None]
    graph = tf.get_default_graph()
    sampler = graph.get_operation_by_name("nce_loss/LogUniformCandidateSampler")
    assert [t.shape.as_list() for t in sampler.outputs] == [[3], [None, 1], [3]]
    graph.get_operation_by_name("sampled_losses")  # raises KeyError when missing


@pytest.mark.parametrize(
    ("sampled_ids", "remove_accidental_hits"),
    [([2, 4], False), ([3, 0], True)],  # 3 and 0 are true classes of examples 0 and 1
)
def test_nce_loss_gradients_match_finite_differences(sampled_ids, remove_accidental_hits):
    sampled = (np.array(sampled_ids), np.full((3, 1), 0.3), np.array([0.2, 0.6]))

    def build(weights, biases, inputs):
        labels = tf.constant([[0], [3], [1]], tf.int64)
        return tf.nn.nce_loss(
            weights,
            biases,
            labels,
            inputs,
            num_sampled=2,
            num_classes=5,
            sampled_values=sampled,
            remove_accidental_hits=remove_accidental_hits,
        )

    check_gradients(build, rand(5, 3), rand(5, seed=1), rand(3, 3, seed=2))


def test_the_sampler_draws_distinct_classes_in_range_with_zipfs_law():
    labels = tf.constant([[0], [1]], tf.int64)
    sampled, true_expected, sampled_expected = tf.nn.log_uniform_candidate_sampler(
        labels, num_true=1, num_sampled=5, unique=True, range_max=50, seed=7
    )
    counts = np.zeros(50)
    with tf.Session() as sess:
        for _ in range(300):
            ids, true_exp, sampled_exp = sess.run([sampled, true_expected, sampled_expected])
            assert len(set(ids.tolist())) == 5 and ids.min() >= 0 and ids.max() < 50
            counts[ids] += 1
    # small ids (frequent words) come up far more often than large ones
    assert counts[:5].sum() > 3 * counts[-5:].sum()
    # the expected counts follow TF's formula for the classes it reports
    p = np.log((ids + 2.0) / (ids + 1.0)) / np.log(51)
    assert np.all((sampled_exp > p) & (sampled_exp <= 1.0))  # at least 5 tries, at most 1
    assert true_exp.shape == (2, 1)


def test_a_seeded_sampler_repeats_in_a_fresh_session_and_moves_on_within_one():
    sampled = tf.nn.log_uniform_candidate_sampler(
        tf.constant([[0]], tf.int64), 1, 4, True, 100, seed=3
    )[0]
    with tf.Session() as sess:
        first = [sess.run(sampled).tolist() for _ in range(3)]
    with tf.Session() as sess:
        again = [sess.run(sampled).tolist() for _ in range(3)]
    assert first == again
    assert first[0] != first[1] or first[1] != first[2]


def test_word2vec_style_training_lowers_the_nce_loss():
    tf.set_random_seed(0)
    pairs = np.array([[i, (i + 1) % 20] for i in range(20)] * 4)
    centre = tf.placeholder(tf.int32, [None])
    context = tf.placeholder(tf.int64, [None, 1])
    embeddings = tf.Variable(tf.random_uniform([20, 8], -1.0, 1.0))
    nce_w = tf.Variable(tf.truncated_normal([20, 8], stddev=0.3))
    nce_b = tf.Variable(tf.zeros([20]))
    embedded = tf.nn.embedding_lookup(embeddings, centre)
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, context, embedded, 5, 20))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    feed = {centre: pairs[:, 0], context: pairs[:, 1:]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = np.mean([sess.run(loss, feed) for _ in range(10)])
        for _ in range(150):
            sess.run(step, feed)
        end = np.mean([sess.run(loss, feed) for _ in range(10)])
    assert end < 0.5 * start


def test_compute_accidental_hits_finds_each_true_class_among_the_samples():
    true_classes = tf.constant([[1, 2], [3, 4], [2, 2]], tf.int64)
    hits = tf.nn.compute_accidental_hits(true_classes, [2, 9, 4, 1, 2], num_true=2)
    with tf.Session() as sess:
        indices, ids, weights = sess.run(hits)
    # (row, position in the samples); a class sampled twice counts at its last position
    assert list(zip(indices.tolist(), ids.tolist())) == [(0, 3), (0, 4), (1, 2), (2, 4), (2, 4)]
    assert weights.dtype == np.float32 and np.all(weights == np.finfo(np.float32).min)


def test_compute_accidental_hits_checks_num_true():
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2"):
        tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64), [2], num_true=3)
    assert len(tf.get_default_graph().get_operations()) == before + 2  # the two Consts only
    unknown = tf.placeholder(tf.int64)
    hits = tf.nn.compute_accidental_hits(unknown, [2], num_true=3)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="num_true"):
        sess.run(hits, {unknown: [[1, 2]]})


def test_removing_accidental_hits_drops_their_terms_from_the_loss():
    rng = np.random.RandomState(1)
    weights = rng.randn(8, 3).astype(np.float32)
    biases = rng.randn(8).astype(np.float32)
    inputs = rng.randn(3, 3).astype(np.float32)
    labels = np.array([[1], [2], [7]])
    sampled = np.array([2, 5, 1, 6])  # example 0's class 1 and example 1's class 2 are drawn
    true_expected = np.full((3, 1), 0.3, np.float32)
    sampled_expected = np.array([0.2, 0.4, 0.6, 0.8], np.float32)
    values = (sampled, true_expected, sampled_expected)
    loss = tf.nn.nce_loss(
        weights, biases, labels, inputs, 4, 8, sampled_values=values, remove_accidental_hits=True
    )
    with tf.Session() as sess:
        got = sess.run(loss)
    full = reference_nce(weights, biases, labels, inputs, sampled, true_expected, sampled_expected)
    # the hit's term in the reference, a sampled logit with target 0: softplus(logit)
    logits = inputs @ weights[sampled].T + biases[sampled] - np.log(sampled_expected)
    hit_terms = np.log1p(np.exp([logits[0, 2], logits[1, 0], 0.0])) * [1, 1, 0]
    np.testing.assert_allclose(got, full - hit_terms, rtol=1e-5)
