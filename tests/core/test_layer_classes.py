"""``tf.layers``' classes (``Dense``, ``Conv2D``, ``MaxPooling2D``, ``AveragePooling2D``,
``Flatten``, ``Dropout``, ``BatchNormalization``): built on the first call, sharing their
variables on later calls, named as TF 2.21 (tf_keras, ``TF_USE_LEGACY_KERAS=1``) names them;
a failing call leaves the graph and the layer as they were."""

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def names(variables):
    return [v.op.name for v in variables]


DATA = np.array([[1.0, -2.0, 3.0], [0.5, 0.25, -1.0]], dtype=np.float32)


def test_a_layer_called_twice_shares_its_variables():
    x1 = tf.placeholder(tf.float32, [None, 3])
    x2 = tf.placeholder(tf.float32, [None, 3])
    layer = tf.layers.Dense(2, activation=tf.nn.relu)
    assert (layer.built, layer.variables) == (False, [])
    y1, y2, y3 = layer(x1), layer(x2), layer.apply(x1)
    assert layer.built
    assert [y.op.name for y in (y1, y2, y3)] == ["dense/Relu", "dense/Relu_1", "dense/Relu_2"]
    assert names(tf.global_variables()) == ["dense/kernel", "dense/bias"]
    assert layer.kernel is tf.global_variables()[0] and layer.bias is tf.global_variables()[1]
    assert layer.variables == layer.weights == layer.trainable_variables == layer.trainable_weights
    assert layer.non_trainable_variables == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y1, y2], {x1: DATA, x2: DATA})
        kernel, bias = sess.run([layer.kernel, layer.bias])
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a, np.maximum(DATA @ kernel + bias, 0), rtol=1e-6)


def test_one_step_trains_the_shared_kernel_with_both_calls_gradients():
    x1 = tf.placeholder(tf.float32, [None, 3])
    x2 = tf.placeholder(tf.float32, [None, 3])
    layer = tf.layers.Dense(1, use_bias=False, kernel_initializer=tf.zeros_initializer())
    loss = tf.reduce_sum(layer(x1)) + tf.reduce_sum(layer(x2))
    step = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {x1: DATA, x2: 2 * DATA})
        kernel = sess.run(layer.kernel)
    np.testing.assert_allclose(kernel[:, 0], -3 * DATA.sum(axis=0), rtol=1e-6)


def test_names_objects_functions_and_scopes_as_tf():
    x = tf.placeholder(tf.float32, [None, 3])
    a, b = tf.layers.Dense(3), tf.layers.Dense(3)
    assert (a.name, b.name) == ("dense_1", "dense_2")  # Keras counts layers from 1
    assert b(x).op.name == "dense/BiasAdd"  # the scope: the first unused name
    assert a(x).op.name == "dense_1/BiasAdd"
    assert tf.layers.dense(x, 3).op.name == "dense_2/BiasAdd"  # the function makes dense_3
    c = tf.layers.Dense(3)
    assert c.name == "dense_4"
    with tf.variable_scope("model"):
        d = tf.layers.Dense(3)
        assert d(x).op.name == "model/dense/BiasAdd"
        e, f = tf.layers.Dense(2, name="fc"), tf.layers.Dense(2, name="fc")
        assert (e.name, f.name) == ("fc", "fc")
        assert (e(x).op.name, f(x).op.name) == ("model/fc/BiasAdd", "model/fc_1/BiasAdd")
    with tf.variable_scope("other"):
        assert d(x).op.name == "model/dense/BiasAdd_1"  # back in its own scope
    assert names(d.variables) == ["model/dense/kernel", "model/dense/bias"]
    with tf.Graph().as_default():
        assert tf.layers.Dense(1).name == "dense_1"  # counted per graph


def test_reuse_scope_shares_variables_with_the_function():
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("model"):
        tf.layers.dense(x, 2, name="fc")
    with tf.variable_scope("model", reuse=True):
        layer = tf.layers.Dense(2, name="fc")
        layer(x)
    assert layer.kernel is tf.global_variables()[0]
    assert len(tf.global_variables()) == 2


def test_a_failed_first_call_leaves_graph_and_layer_as_they_were():
    layer = tf.layers.Dense(2)
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="every dimension but the first known"):
        layer(tf.placeholder(tf.float32, [None, None, 3]))  # built kernel and bias, then failed
    assert len(tf.get_default_graph().get_operations()) == before + 1  # the placeholder
    assert (layer.built, layer.variables, tf.global_variables()) == (False, [], [])
    with pytest.raises(AttributeError):
        layer.kernel  # noqa: B018
    y = layer(tf.placeholder(tf.float32, [None, 3]))
    assert y.op.name == "dense/BiasAdd"  # the scope name was given back
    assert names(layer.variables) == ["dense/kernel", "dense/bias"]


def test_an_incompatible_later_input_is_refused_and_changes_nothing():
    layer = tf.layers.Dense(2, name="fc")
    layer(tf.placeholder(tf.float32, [None, 3]))
    wide = tf.placeholder(tf.float32, [None, 4])
    ops = tf.get_default_graph().get_operations()
    with pytest.raises(ValueError) as info:
        layer(wide)
    assert str(info.value) == (
        'Input 0 of layer "fc" is incompatible with the layer: expected axis -1 of input '
        "shape to have value 3, but received input with shape (None, 4)"
    )
    assert tf.get_default_graph().get_operations() == ops
    assert layer.built and names(layer.variables) == ["fc/kernel", "fc/bias"]


def test_bad_arguments_fail_at_construction_without_touching_the_graph():
    with pytest.raises(ValueError, match="padding"):
        tf.layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="pool_size"):
        tf.layers.MaxPooling2D([2, 2, 2], 2)
    with pytest.raises(ValueError, match="channels_last"):
        tf.layers.Flatten(data_format="channels_first")
    assert tf.get_default_graph().get_operations() == []
    assert tf.layers.Conv2D(2, 3).name == "conv2d_1"


def test_data_format_none_means_channels_last_as_in_keras():
    images = tf.placeholder(tf.float32, [None, 4, 4, 2])
    pooled = tf.layers.MaxPooling2D(2, 2, data_format=None)(images)
    conv = tf.layers.Conv2D(3, 1, data_format=None)(pooled)
    assert tf.layers.Flatten()(conv).shape.as_list() == [None, 12]
    assert tf.layers.flatten(conv, data_format=None).shape.as_list() == [None, 12]


def test_not_trainable_layers_keep_their_variables_out_of_training():
    x = tf.placeholder(tf.float32, [None, 3])
    frozen = tf.layers.Dense(2, trainable=False)
    frozen(x)
    assert frozen.trainable_variables == [] and tf.trainable_variables() == []
    assert names(frozen.non_trainable_variables) == ["dense/kernel", "dense/bias"]


def test_conv_pooling_flatten_and_dropout_layers():
    images = tf.placeholder(tf.float32, [None, 4, 4, 1])
    conv = tf.layers.Conv2D(1, 1, use_bias=False, kernel_initializer=tf.ones_initializer())
    pool, avg = tf.layers.MaxPooling2D(2, 2), tf.layers.AveragePooling2D(2, 2)
    flat, drop = tf.layers.Flatten(), tf.layers.Dropout(0.5, seed=1)
    h = conv(images)
    p, q = flat(pool(h)), flat(avg(h))
    train, test = drop(q, training=True), drop(q)
    assert names(conv.variables) == ["conv2d/kernel"] and pool.variables == []
    assert [t.op.name for t in (p, q)] == ["flatten/Reshape", "flatten/Reshape_1"]
    image = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mx, mean, on, off = sess.run([p, q, train, test], {images: image})
    np.testing.assert_array_equal(mx, [[5, 7, 13, 15]])
    np.testing.assert_array_equal(mean, [[2.5, 4.5, 10.5, 12.5]])
    np.testing.assert_array_equal(off, mean)
    assert set(np.round(on / mean, 5).ravel()) <= {0.0, 2.0}


def test_batch_normalization_layer_collects_its_update_ops():
    x = tf.placeholder(tf.float32, [None, 3])
    bn = tf.layers.BatchNormalization(momentum=0.5)
    y = bn(x, training=True)
    first = bn.updates
    bn(x, training=True)
    bn(x)  # inference adds no update
    assert [u.name for u in bn.updates] == [
        "batch_normalization/AssignMovingAvg",
        "batch_normalization/AssignMovingAvg_1",
        "batch_normalization/AssignMovingAvg_2",
        "batch_normalization/AssignMovingAvg_3",
    ]
    assert bn.updates == tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert names(bn.trainable_variables) == [
        "batch_normalization/gamma",
        "batch_normalization/beta",
    ]
    assert names(bn.non_trainable_variables) == [
        "batch_normalization/moving_mean",
        "batch_normalization/moving_variance",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, _ = sess.run([y, first], {x: DATA})
        mean, variance = sess.run(bn.non_trainable_variables)
    np.testing.assert_allclose(mean, 0.5 * DATA.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(variance, 0.5 + 0.5 * DATA.var(axis=0), rtol=1e-6)
    expected = (DATA - DATA.mean(axis=0)) / np.sqrt(DATA.var(axis=0) + 1e-3)
    np.testing.assert_allclose(out, expected, rtol=1e-5)
