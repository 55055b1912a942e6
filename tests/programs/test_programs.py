"""Complete TF1 programs in the style of well-known public tutorials, run unmodified with
``import tfteach as tf`` on small synthetic data; each checks its result (loss falls,
accuracy above chance). Variable names match what TF 2.21 (tf_keras) makes for the same code."""

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    tf.set_random_seed(0)


def blobs(n=200, seed=0):
    """Two Gaussian blobs in 4-D, labels 0 and 1 (one-hot too)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    xs = rng.normal(size=(n, 4)).astype(np.float32) + labels[:, None] * 2.0
    return xs, labels, np.eye(2, dtype=np.float32)[labels]


def test_linear_regression_with_placeholder_float():
    rng = np.random.default_rng(1)
    train_x = rng.uniform(0, 10, 50).astype(np.float32)
    train_y = 0.3 * train_x + 2.0 + rng.normal(0, 0.1, 50).astype(np.float32)
    # (shape [None]: reductions over a tensor of unknown rank are the other half of issue 20)
    X = tf.placeholder("float", [None])
    Y = tf.placeholder("float", [None])
    W = tf.Variable(rng.normal(), name="weight", dtype="float")
    b = tf.Variable(rng.normal(), name="bias", dtype="float")
    pred = tf.add(tf.multiply(X, W), b)
    cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * 50)
    optimizer = tf.train.AdagradOptimizer(0.5).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(cost, feed_dict={X: train_x, Y: train_y})
        for _ in range(300):
            sess.run(optimizer, feed_dict={X: train_x, Y: train_y})
        last = sess.run(cost, feed_dict={X: train_x, Y: train_y})
        assert last < first / 10
        assert abs(sess.run(W) - 0.3) < 0.1


def test_layers_mlp_classifier_with_dropout_and_metrics():
    xs, _, onehot = blobs()
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder_with_default(False, [])
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    h = tf.layers.dropout(h, rate=0.2, training=training)
    logits = tf.layers.dense(h, 2)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train_op = tf.train.RMSPropOptimizer(0.01).minimize(loss)
    acc, acc_op = tf.metrics.accuracy(tf.argmax(y, 1), tf.argmax(logits, 1))
    assert [v.op.name for v in tf.trainable_variables()] == [
        "dense/kernel",
        "dense/bias",
        "dense_1/kernel",
        "dense_1/bias",
    ]
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        for _ in range(100):
            sess.run(train_op, {x: xs, y: onehot, training: True})
        sess.run(acc_op, {x: xs, y: onehot})
        assert sess.run(acc) > 0.9


def test_cnn_with_conv2d_max_pooling_and_batch_norm():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 2, 64)
    images = rng.normal(0, 0.5, (64, 8, 8, 1)).astype(np.float32)
    images[labels == 1, 2:6, 2:6, 0] += 1.5  # class 1 has a bright square
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    y = tf.placeholder(tf.int64, [None])
    training = tf.placeholder_with_default(False, [])
    c = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(c, 2, 2)
    f = tf.layers.flatten(p)
    f = tf.layers.batch_normalization(f, momentum=0.9, training=training)
    logits = tf.layers.dense(f, 2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    correct = tf.equal(tf.argmax(logits, 1), y)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: images, y: labels})
        for _ in range(60):
            sess.run(train_op, {x: images, y: labels, training: True})
        assert sess.run(loss, {x: images, y: labels}) < first
        assert sess.run(accuracy, {x: images, y: labels}) > 0.8  # inference: moving averages
