"""Layer and shape ops: values against numpy formulas or recorded TensorFlow, static shapes,
op names, and TF's errors."""

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture
def sess():
    with tf.Session() as s:
        yield s


def test_activations_and_softmax_values(sess):
    # recorded from TensorFlow 2.21 (compat.v1): training_nn_ops_values
    x = tf.constant([[-1.0, 0.0, 2.0]], dtype=tf.float64)
    labels = tf.constant([[0.0, 0.0, 1.0]], dtype=tf.float64)
    np.testing.assert_allclose(sess.run(tf.nn.relu(x)), [[0.0, 0.0, 2.0]])
    np.testing.assert_allclose(sess.run(tf.nn.sigmoid(x)), [[0.26894142, 0.5, 0.88079708]])
    np.testing.assert_allclose(sess.run(tf.nn.tanh(x)), [[-0.76159416, 0.0, 0.96402758]])
    np.testing.assert_allclose(sess.run(tf.nn.softmax(x)), [[0.04201007, 0.1141952, 0.84379473]])
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=x)
    np.testing.assert_allclose(sess.run(loss), [0.16984602], rtol=1e-7)
    assert (tf.nn.relu(x).op.type, tf.nn.softmax(x).op.type) == ("Relu", "Softmax")


def test_softmax_along_an_axis_and_log_softmax(sess):
    x = np.random.RandomState(0).randn(3, 4)
    e = np.exp(x - x.max(axis=0))
    np.testing.assert_allclose(sess.run(tf.nn.softmax(tf.constant(x), axis=0)), e / e.sum(axis=0))
    log_p = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(sess.run(tf.nn.log_softmax(tf.constant(x))), log_p)


def test_softmax_of_large_logits_does_not_overflow(sess):
    p = sess.run(tf.nn.softmax(tf.constant([[1000.0, 1000.0, -1000.0]])))
    assert p.tolist() == [[0.5, 0.5, 0.0]]


def test_sparse_cross_entropy_matches_the_dense_one(sess):
    logits = np.random.RandomState(1).randn(4, 5)
    labels = np.array([0, 4, 2, 2])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.eye(5)[labels], logits=logits)
    np.testing.assert_allclose(sess.run(sparse), sess.run(dense))
    assert sparse.shape.as_list() == [4]
    assert (
        sparse.op.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits"
    )


def test_sparse_cross_entropy_errors(sess):
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(
        ValueError, match=r"^`labels.shape.rank` must equal `logits.shape.rank - 1`"
    ):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([[1]]), logits=x)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([5, 1]), logits=tf.zeros([2, 3])
    )
    # TF's wording, recorded from TensorFlow 2.21
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(loss)
    assert info.value.message == (
        "Received a label value of 5 which is outside the valid range of [0, 3).  Label values: 5 1"
    )
    # TF 2.21 takes labels and logits in order (TF 1.x refused positional arguments)
    positional = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1]), tf.zeros([1, 3]))
    np.testing.assert_allclose(sess.run(positional), [np.log(3)], rtol=1e-6)
    with pytest.raises(ValueError, match="^Both `labels` and `logits` must be provided for sparse"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1]))


def test_cross_entropy_of_higher_rank_logits(sess):
    logits = np.random.RandomState(2).randn(2, 3, 4)
    labels = np.random.RandomState(3).dirichlet(np.ones(4), size=(2, 3))
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    log_p = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    assert loss.shape.as_list() == [2, 3]
    np.testing.assert_allclose(sess.run(loss), -(labels * log_p).sum(axis=-1))


def test_deprecated_cross_entropy_stops_the_gradient_into_labels():
    logits = tf.constant([[1.0, 2.0]])
    labels = tf.constant([[0.5, 0.5]])
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    g_logits, g_labels = tf.gradients(loss, [logits, labels])
    assert g_labels is None and g_logits is not None
    assert loss.op.name.startswith("softmax_cross_entropy_with_logits_sg")


def test_l2_loss_and_bias_add(sess):
    x = np.arange(6.0).reshape(2, 3)
    assert sess.run(tf.nn.l2_loss(tf.constant(x))) == np.sum(x**2) / 2
    out = tf.nn.bias_add(tf.constant(x), tf.constant([1.0, 2.0, 3.0], tf.float64))
    assert out.op.name == "BiasAdd"
    assert sess.run(out).tolist() == (x + np.array([1, 2, 3])).tolist()
    p = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(
        ValueError, match=r"^Dimensions must be equal, but are 3 and 2 for 'BiasAdd_1'"
    ):
        tf.nn.bias_add(p, tf.constant([1.0, 2.0]))


def direct_conv2d(x, k, stride, padding):
    """Cross-correlation by the definition, with TF's padding."""
    n, h, w, _ = x.shape
    kh, kw, _, out_c = k.shape
    if padding == "SAME":
        oh, ow = -(-h // stride), -(-w // stride)
        ph = max((oh - 1) * stride + kh - h, 0)
        pw = max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, out_c))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            out[:, i, j, :] = np.einsum("nabc,abco->no", patch, k)
    return out


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv2d_matches_the_definition(sess, padding, stride):
    rng = np.random.RandomState(4)
    x, k = rng.randn(2, 7, 6, 3), rng.randn(3, 2, 3, 4)
    out = tf.nn.conv2d(x, k, strides=[1, stride, stride, 1], padding=padding)
    expected = direct_conv2d(x, k, stride, padding)
    assert out.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(sess.run(out), expected, rtol=1e-12)


def test_conv2d_values_and_shapes_recorded_from_tensorflow(sess):
    # recorded from TensorFlow 2.21 (compat.v1): training_conv2d_values, training_conv2d_shapes
    x = tf.constant(np.arange(16, dtype=np.float64).reshape(1, 4, 4, 1))
    k = tf.constant(np.ones((2, 2, 1, 1)))
    valid = sess.run(tf.nn.conv2d(x, k, strides=[1, 1, 1, 1], padding="VALID"))[0, :, :, 0]
    same = sess.run(tf.nn.conv2d(x, k, strides=[1, 2, 2, 1], padding="SAME"))[0, :, :, 0]
    assert valid.tolist() == [[10, 14, 18], [26, 30, 34], [42, 46, 50]]
    assert same.tolist() == [[10, 18], [42, 50]]
    x5 = tf.constant(np.arange(25.0).reshape(1, 5, 5, 1))
    odd = tf.nn.conv2d(x5, np.ones((2, 3, 1, 1)), [1, 2, 2, 1], "SAME")
    assert sess.run(odd)[0, :, :, 0].tolist() == [[12, 27, 24], [52, 87, 64], [41, 66, 47]]


def test_conv2d_static_shapes_recorded_from_tensorflow():
    p = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
    kernel = tf.get_variable("k", [5, 5, 1, 8])
    assert repr(tf.nn.conv2d(p, kernel, strides=[1, 1, 1, 1], padding="SAME")) == (
        "<tf.Tensor 'Conv2D:0' shape=(?, 28, 28, 8) dtype=float32>"
    )
    assert repr(tf.nn.conv2d(p, kernel, strides=[1, 2, 2, 1], padding="VALID")) == (
        "<tf.Tensor 'Conv2D_1:0' shape=(?, 12, 12, 8) dtype=float32>"
    )


def test_conv2d_errors():
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    with pytest.raises(
        ValueError,
        match="^Attr 'padding' of 'Conv2D' Op passed string 'same' not in: "
        '"SAME", "VALID", "EXPLICIT".$',
    ):
        tf.nn.conv2d(x, tf.ones([2, 2, 3, 1]), [1, 1, 1, 1], "same")
    with pytest.raises(
        ValueError, match=r"^Depth of input \(3\) is not a multiple of input depth of filter \(2\)"
    ):
        tf.nn.conv2d(x, tf.ones([2, 2, 2, 1]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="does not yet support strides in the batch"):
        tf.nn.conv2d(x, tf.ones([2, 2, 3, 1]), [2, 1, 1, 1], "SAME")


def test_max_pool_values(sess):
    # recorded from TensorFlow 2.21 (compat.v1)
    x = tf.constant(np.arange(25.0).reshape(1, 5, 5, 1))
    same = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert same.shape.as_list() == [1, 3, 3, 1] and same.op.name == "MaxPool"
    assert sess.run(same)[0, :, :, 0].tolist() == [[6, 8, 9], [16, 18, 19], [21, 23, 24]]
    valid = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "VALID")
    assert sess.run(valid)[0, :, :, 0].tolist() == [[12, 13, 14], [17, 18, 19], [22, 23, 24]]


def test_max_pool_gradient_goes_to_one_maximum_per_window(sess):
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    x = tf.constant(np.ones((1, 2, 2, 1)))
    g = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), x)[0]
    assert sess.run(g)[0, :, :, 0].tolist() == [[1.0, 0.0], [0.0, 0.0]]


def test_embedding_lookup_and_gather(sess):
    params = tf.Variable(np.arange(15.0).reshape(5, 3), name="emb")
    looked_up = tf.nn.embedding_lookup(params, [[1, 2], [4, 4]])
    # names and shape recorded from TensorFlow 2.21: GatherV2 'embedding_lookup' + Identity
    assert looked_up.name == "embedding_lookup/Identity:0"
    assert looked_up.op.inputs[0].op.type == "GatherV2"
    assert looked_up.shape.as_list() == [2, 2, 3]
    sess.run(params.initializer)
    assert sess.run(looked_up)[1, 0].tolist() == [12.0, 13.0, 14.0]
    cols = tf.gather(tf.constant([[1, 2, 3], [4, 5, 6]]), [2, 0], axis=1)
    assert sess.run(cols).tolist() == [[3, 1], [6, 4]]
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(tf.nn.embedding_lookup(tf.zeros([2, 3]), [5]))
    assert info.value.message == "indices[0] = 5 is not in [0, 2)"


def test_reshape_transpose_concat(sess):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 3])
    # names and shapes recorded from TensorFlow 2.21
    assert str(tf.transpose(x)) == 'Tensor("transpose:0", shape=(3, ?), dtype=float32)'
    assert str(tf.reshape(x, [-1])) == 'Tensor("Reshape:0", shape=(?,), dtype=float32)'
    assert str(tf.concat([x, y], 1)) == 'Tensor("concat:0", shape=(?, 6), dtype=float32)'
    assert str(tf.stop_gradient(x)) == 'Tensor("StopGradient:0", shape=(?, 3), dtype=float32)'
    a = np.arange(6.0).reshape(2, 3)
    assert sess.run(tf.reshape(a, [3, -1])).tolist() == a.reshape(3, 2).tolist()
    assert sess.run(tf.transpose(a)).tolist() == a.T.tolist()
    assert sess.run(tf.concat([a, a + 10], 0)).tolist() == np.concatenate([a, a + 10]).tolist()
    assert sess.run(tf.slice(a, [1, 1], [1, -1])).tolist() == [[4.0, 5.0]]
    assert sess.run(tf.pad(a, [[0, 1], [1, 0]])).shape == (3, 4)
    assert sess.run(tf.squeeze(tf.expand_dims(a, 0))).tolist() == a.tolist()


def test_shape_errors():
    a = tf.constant(np.zeros((2, 3)))
    with pytest.raises(
        ValueError, match=r"^Cannot reshape a tensor with 6 elements to shape \[4\]"
    ):
        tf.reshape(a, [4])
    with pytest.raises(
        ValueError, match=r"^Dimension 1 in both shapes must be equal, but are 3 and 4"
    ):
        tf.concat([a, tf.zeros([2, 4], tf.float64)], 0)
    with pytest.raises(ValueError, match=r"^Dimension must be 2 but is 3"):
        tf.transpose(a, [0, 1, 2])
    fed = tf.placeholder(tf.float64, [None, 3])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(tf.reshape(fed, [4]), {fed: np.zeros((2, 3))})
    assert info.value.message == (
        "Input to reshape is a tensor with 6 values, but the requested shape has 4"
    )


def test_mean_squared_error(sess):
    # recorded from TensorFlow 2.21: the loss is float32, named value, in the LOSSES collection
    a = tf.constant([1.0, 2.0], tf.float64)
    loss = tf.losses.mean_squared_error(a, a * 2)
    assert str(loss) == 'Tensor("mean_squared_error/value:0", shape=(), dtype=float32)'
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]
    assert sess.run(loss) == 2.5
    weighted = tf.losses.mean_squared_error(
        [[1.0, 2], [3, 4]], [[1.0, 1], [1, 1]], weights=[[0.0], [2.0]]
    )
    assert sess.run(weighted) == 13.0
    with pytest.raises(ValueError, match=r"^Argument `labels` must not be None.$"):
        tf.losses.mean_squared_error(None, a)
    with pytest.raises(ValueError, match=r"^Shapes \(2,\) and \(3,\) are incompatible$"):
        tf.losses.mean_squared_error([1.0, 2, 3], a)
