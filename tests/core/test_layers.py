"""``tf.layers`` and the ``tf.nn`` ops they need: variable names, reuse and scopes as TF 2.21
(tf_keras, ``TF_USE_LEGACY_KERAS=1``) names them, values against numpy, the moving averages
in ``UPDATE_OPS`` and the classic forgotten ``control_dependencies``; gradients of the new
ops by finite differences."""

import numpy as np
import pytest
from test_gradients import check_gradients, rand

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def names(variables):
    return [v.op.name for v in variables]


def test_dense_variables_names_and_default_glorot_uniform():
    x = tf.placeholder(tf.float32, [None, 30])
    h = tf.layers.dense(x, 20, activation=tf.nn.relu)
    out = tf.layers.dense(h, 10)
    assert (h.op.name, out.op.name) == ("dense/Relu", "dense_1/BiasAdd")
    assert names(tf.trainable_variables()) == [
        "dense/kernel",
        "dense/bias",
        "dense_1/kernel",
        "dense_1/bias",
    ]
    kernel = tf.global_variables()[0]
    assert kernel.shape.as_list() == [30, 20]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, b = sess.run(tf.global_variables()[:2])
    limit = np.sqrt(6 / (30 + 20))
    assert np.abs(k).max() <= limit and np.abs(k).max() > 0.8 * limit
    np.testing.assert_array_equal(b, np.zeros(20))


def test_dense_computes_activation_of_matmul_plus_bias():
    x = tf.constant([[1.0, 2.0]])
    y = tf.layers.dense(
        x,
        2,
        activation=tf.nn.relu,
        kernel_initializer=tf.constant_initializer([[1.0, -1.0], [2.0, -3.0]]),
        bias_initializer=tf.constant_initializer([0.5, 0.5]),
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(y), [[5.5, 0.0]])


def test_dense_reuse_by_name_and_inside_variable_scopes():
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("model"):
        tf.layers.dense(x, 2, name="fc")
    with tf.variable_scope("model", reuse=True):
        tf.layers.dense(x, 2, name="fc")
    assert names(tf.global_variables()) == ["model/fc/kernel", "model/fc/bias"]
    with pytest.raises(ValueError, match="Variable model/fc/kernel already exists, disallowed"):
        with tf.variable_scope("model"):
            tf.layers.dense(x, 2, name="fc")
    tf.layers.dense(x, 2, name="solo")
    tf.layers.dense(x, 2, name="solo", reuse=True)
    assert len(tf.global_variables()) == 4


def test_dense_errors_leave_the_graph_as_it_was():
    x = tf.placeholder(tf.float32, [None, None])
    before = tf.get_default_graph().get_operations()
    with pytest.raises(ValueError, match="The last dimension of the inputs to a Dense layer"):
        tf.layers.dense(x, 2)
    y = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(y, 2, name="d")
    before = tf.get_default_graph().get_operations()
    with pytest.raises(ValueError, match="already exists"):
        tf.layers.dense(y, 2, name="d")
    assert tf.get_default_graph().get_operations() == before


def test_dense_trainable_use_bias_and_regularizer():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2, use_bias=False, trainable=False, kernel_regularizer=tf.nn.l2_loss)
    assert names(tf.global_variables()) == ["dense/kernel"]
    assert tf.trainable_variables() == []
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1


def test_dense_of_a_rank_3_input_applies_to_the_last_axis():
    x = tf.constant(rand(2, 4, 3).astype(np.float32))
    y = tf.layers.dense(x, 5, kernel_initializer=tf.ones_initializer())
    assert y.shape.as_list() == [2, 4, 5]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(y)
    np.testing.assert_allclose(got, np.repeat(rand(2, 4, 3).sum(-1, keepdims=True), 5, -1), 1e-5)


def test_conv2d_pooling_flatten_shapes_and_names():
    img = tf.placeholder(tf.float32, [None, 8, 8, 1])
    c = tf.layers.conv2d(img, 4, 3, padding="same", activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(c, 2, 2)
    a = tf.layers.average_pooling2d(c, [2, 2], [2, 2])
    f = tf.layers.flatten(p)
    assert [t.op.name for t in (c, p, a, f)] == [
        "conv2d/Relu",
        "max_pooling2d/MaxPool",
        "average_pooling2d/AvgPool",
        "flatten/Reshape",
    ]
    assert [t.shape.as_list() for t in (c, p, a, f)] == [
        [None, 8, 8, 4],
        [None, 4, 4, 4],
        [None, 4, 4, 4],
        [None, 64],
    ]
    assert names(tf.global_variables()) == ["conv2d/kernel", "conv2d/bias"]
    assert tf.global_variables()[0].shape.as_list() == [3, 3, 1, 4]
    with pytest.raises(ValueError, match="padding"):
        tf.layers.max_pooling2d(c, 2, 2, padding="full")


def test_avg_pool_same_padding_averages_only_real_values():
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    y = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with tf.Session() as sess:
        got = sess.run(y)[0, :, :, 0]
    # windows: {0,1,3,4}, {2,5}, {6,7}, {8}: border windows average fewer values
    np.testing.assert_array_equal(got, [[2.0, 3.5], [6.5, 8.0]])


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_avg_pool_gradient(padding):
    check_gradients(
        lambda x: tf.nn.avg_pool(x, [1, 2, 3, 1], [1, 2, 2, 1], padding), rand(2, 5, 5, 2)
    )


def test_moments_and_batch_normalization_gradients():
    def normalized(x, g, b):
        mean, var = tf.nn.moments(x, [0])
        return tf.nn.batch_normalization(x, mean, var, b, g, 1e-3)

    check_gradients(normalized, rand(5, 3), rand(3, seed=1), rand(3, seed=2), atol=1e-5)


def test_nn_dropout_keeps_the_expected_value_and_checks_rate():
    x = tf.ones([200, 100])
    y = tf.nn.dropout(x, rate=0.25)
    z = tf.nn.dropout(x, keep_prob=0.5)
    with tf.Session() as sess:
        a, b = sess.run([y, z])
    assert set(np.unique(a)) == {0.0, np.float32(1 / 0.75)}
    assert abs((a == 0).mean() - 0.25) < 0.02 and abs((b == 0).mean() - 0.5) < 0.02
    with pytest.raises(ValueError, match=r"in the range \[0, 1\). Received: rate=1"):
        tf.nn.dropout(x, rate=1)


def test_layers_dropout_is_off_unless_training():
    x = tf.ones([100, 100])
    training = tf.placeholder_with_default(False, [])
    off = tf.layers.dropout(x, 0.5)  # training=False by default: a classic surprise
    on = tf.layers.dropout(x, 0.5, training=True)
    fed = tf.layers.dropout(x, 0.5, training=training)
    assert (off.op.name, on.op.name[:8]) == ("dropout/Identity", "dropout_")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(off), np.ones([100, 100]))
        assert 0.4 < (sess.run(on) == 0).mean() < 0.6
        np.testing.assert_array_equal(sess.run(fed), np.ones([100, 100]))
        assert 0.4 < (sess.run(fed, {training: True}) == 0).mean() < 0.6


X = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5


def test_batch_normalization_variables_and_update_ops():
    y = tf.layers.batch_normalization(X, training=True, momentum=0.5)
    assert names(tf.global_variables()) == [
        "batch_normalization/gamma",
        "batch_normalization/beta",
        "batch_normalization/moving_mean",
        "batch_normalization/moving_variance",
    ]
    assert names(tf.trainable_variables()) == names(tf.global_variables())[:2]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in updates] == [
        "batch_normalization/AssignMovingAvg",
        "batch_normalization/AssignMovingAvg_1",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y)
        sess.run(updates)
        mean, var = sess.run(tf.global_variables()[2:])
    np.testing.assert_allclose(out, (X - X.mean(0)) / np.sqrt(X.var(0) + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(mean, 0.5 * X.mean(0), rtol=1e-6)
    np.testing.assert_allclose(var, 0.5 + 0.5 * X.var(0), rtol=1e-6)  # biased variance


def test_batch_normalization_of_images_updates_with_the_unbiased_variance():
    # TF's fused kernel for 4-D input: values recorded from TF 2.21 (tf_keras 2.21)
    images = np.arange(24, dtype=np.float32).reshape(2, 2, 2, 3) ** 1.5
    tf.layers.batch_normalization(images, training=True, momentum=0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        var = sess.run(tf.global_variables()[3])
    np.testing.assert_allclose(var, [603.0155, 669.3511, 733.5784], rtol=1e-6)


def test_batch_normalization_at_inference_uses_the_moving_averages_only():
    y = tf.layers.batch_normalization(X, training=False)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), X / np.sqrt(1 + 1e-3), rtol=1e-6)


def _bn_training_program(with_dependencies: bool):
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder_with_default(False, [])
    y = tf.layers.batch_normalization(x, training=training, momentum=0.5)
    loss = tf.reduce_mean(tf.square(y - 1.0))
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    if with_dependencies:
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = optimizer.minimize(loss)
    else:
        train = optimizer.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train, {x: X, training: True})
        return sess.run(tf.global_variables()[2:4])


def test_the_classic_forgotten_update_ops_mistake():
    mean, var = _bn_training_program(with_dependencies=False)
    np.testing.assert_array_equal(mean, np.zeros(3))  # never updated: inference is wrong
    np.testing.assert_array_equal(var, np.ones(3))
    tf.reset_default_graph()
    mean, var = _bn_training_program(with_dependencies=True)
    np.testing.assert_allclose(mean, 0.875 * X.mean(0), rtol=1e-6)
